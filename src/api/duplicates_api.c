/*
 * duplicates_api.c - the review of possible duplicates.  Identity
 * (store/persons.c) never merges two persons by itself: when a new
 * document's holder agrees only in part with a known person, or with
 * several, a new person is created and the pair is flagged.  Here the
 * flags are listed with both records side by side, and a supervisor
 * decides: the same person (the records are linked, and each one's
 * timeline shows the other's events) or two different persons (the flag
 * is closed); a «same person» taken by mistake is undone with its reason
 * (unlink, below: the case is open again).  Nothing is rewritten: movements stay under the record they
 * were made with, as the ledger is append-only.
 *
 * Errors as every handler: a 4xx naming the field.  Every read of these
 * personal data and every decision is audited.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "store/audit.h"

#include <string.h>

static const char *const INTS[] = {"id", NULL};

/* One record of the pair, with its documents: the rows of docs (all the
 * page's, ordered by person) whose person_id (column 0) is this one. */
static json_t *side(struct store_rows *r, int i, int col,
		    const struct store_rows *docs)
{
	int64_t id = store_rows_int(r, i, col);
	json_t *o = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)id,
			      "given_names", store_rows_text(r, i, col + 1),
			      "surnames", store_rows_text(r, i, col + 2),
			      "birth_date", store_rows_text(r, i, col + 3),
			      "sex", store_rows_text(r, i, col + 4),
			      "nationality", store_rows_text(r, i, col + 5));
	json_t *a = json_array();
	for (int k = 0; k < store_rows_count(docs); k++) {
		if (store_rows_int(docs, k, 0) != id)
			continue;
		json_t *d = api_row_object(docs, k, INTS);
		json_object_del(d, "person_id");
		json_array_append_new(a, d);
	}
	json_object_set_new(o, "documents", a);
	return o;
}

void api_duplicates_list(struct api_req *req, struct api_resp *resp);
void api_duplicates_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 50, 1, 200, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	const char *status = api_query(req, "status");
	if (!status)
		status = "open";
	if (strcmp(status, "open") && strcmp(status, "same") && strcmp(status, "distinct")) {
		api_error(resp, 400, "invalid_value", "status", "estado: open, same o distinct");
		return;
	}
	struct store_val p[] = {sv_text(status), sv_int(cursor > 0 ? cursor : INT64_MAX),
				sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	struct store *s = req->ctx->store;
	if (store_query(s,
			"SELECT x.id, x.reason, x.status, x.created_at, x.reviewed_by, x.reviewed_at, x.review_note,"
			" x.person_id, a.given_names, a.surnames, a.birth_date, a.sex, a.nationality,"
			" x.other_person_id, b.given_names, b.surnames, b.birth_date, b.sex, b.nationality"
			" FROM person_duplicates x JOIN persons a ON a.id = x.person_id JOIN persons b ON b.id = x.other_person_id"
			" WHERE x.status = $1 AND x.id < $2 ORDER BY x.id DESC LIMIT $3",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	/* the documents of every record on the page in one query (the same
	 * page's persons), not two queries per pair */
	struct store_rows *docs = NULL;
	if (store_query(s,
			"SELECT d.person_id, d.id, d.kind, d.issuing_state, d.number, d.expiry_date, d.first_seen_at FROM documents d"
			" WHERE d.person_id IN (SELECT pg.person_id FROM (SELECT x.person_id, x.other_person_id FROM person_duplicates x"
			"  WHERE x.status = $1 AND x.id < $2 ORDER BY x.id DESC LIMIT $3) pg"
			"  UNION SELECT pg.other_person_id FROM (SELECT x.person_id, x.other_person_id FROM person_duplicates x"
			"  WHERE x.status = $1 AND x.id < $2 ORDER BY x.id DESC LIMIT $3) pg)"
			" ORDER BY d.person_id, d.first_seen_at, d.id",
			p, SV_N(p), &docs, &err)) {
		store_rows_free(&r);
		api_error_from(resp, &err);
		return;
	}
	int n = store_rows_count(r);
	json_t *items = json_array();
	for (int i = 0; i < n && i < limit; i++) {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?}",
				      "id", (json_int_t)store_rows_int(r, i, 0),
				      "reason", store_rows_text(r, i, 1),
				      "status", store_rows_text(r, i, 2),
				      "created_at", store_rows_text(r, i, 3),
				      "reviewed_by", store_rows_text(r, i, 4),
				      "reviewed_at", store_rows_text(r, i, 5),
				      "review_note", store_rows_text(r, i, 6));
		json_object_set_new(o, "persons", json_pack("[o, o]", side(r, i, 7, docs),
								side(r, i, 13, docs)));
		json_array_append_new(items, o);
	}
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	/* both records of every pair shown are named (audit_api.h) */
	json_t *crit = json_pack("{s:s}", "status", status);
	api_audit_list(req, "person_duplicate.list", "person", r, 7, n < limit ? n : (int)limit, crit);
	api_audit_list(req, "person_duplicate.list", "person", r, 13, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	store_rows_free(&docs);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

struct review {
	struct api_req *req;
	int64_t id;
	const char *decision, *note;
};

static int review_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct review *o = arg;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->id)};
	int rc = store_tx_query(tx,
				"SELECT d.status, d.person_id, d.other_person_id,"
				/* the two records already linked, through others */
				" EXISTS (SELECT 1 FROM " API_LINKED("d.person_id") " g WHERE g.id = d.other_person_id),"
				/* a pair decided distinct across the two groups */
				" EXISTS (SELECT 1 FROM person_duplicates x WHERE x.status = 'distinct'"
				"  AND ((x.person_id IN " API_LINKED("d.person_id") " AND x.other_person_id IN " API_LINKED("d.other_person_id") ")"
				"   OR (x.other_person_id IN " API_LINKED("d.person_id") " AND x.person_id IN " API_LINKED("d.other_person_id") ")))"
				" FROM person_duplicates d WHERE d.id = $1",
				k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0)
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id",
				    "no existe ese posible duplicado");
	else if (strcmp(store_rows_text(r, 0, 0), "open"))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "already_reviewed", "id",
				    "ese posible duplicado ya fue revisado");
	/* links are followed link after link (API_LINKED): a decision that
	 * contradicts one already taken would join, or keep apart, what a
	 * supervisor decided otherwise */
	else if (!strcmp(o->decision, "distinct") && store_rows_int(r, 0, 3))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "already_linked", "decision",
				    "estos registros ya están vinculados como la misma persona a través de otro registro");
	else if (!strcmp(o->decision, "same") && store_rows_int(r, 0, 4))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "decided_distinct", "decision",
				    "vincularlos uniría registros que un supervisor ya decidió que son personas distintas");
	/* the pair: the entry names both records (each one's audit trail) */
	int64_t one = rc ? 0 : store_rows_int(r, 0, 1), other = rc ? 0 : store_rows_int(r, 0, 2);
	store_rows_free(&r);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(o->id), sv_text(o->decision), sv_text(o->req->actor),
				sv_text(now), sv_text(o->note)};
	rc = store_tx_exec(tx, "UPDATE person_duplicates SET status = $2, reviewed_by = $3, reviewed_at = $4, review_note = $5 WHERE id = $1 AND status = 'open'",
			   p, SV_N(p), NULL, err);
	if (rc == 0 && !strcmp(o->decision, "same")) {
		struct store_val l[] = {sv_int(o->id)};
		rc = store_tx_exec(tx, "INSERT INTO person_links (person_id, linked_person_id, duplicate_id)"
				   " SELECT person_id, other_person_id, id FROM person_duplicates WHERE id = $1"
				   " UNION SELECT other_person_id, person_id, id FROM person_duplicates WHERE id = $1"
				   " ON CONFLICT DO NOTHING",
				   l, 1, NULL, err);
	}
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)o->id);
	json_t *d = json_pack("{s:s, s:s?, s:I, s:I}", "decision", o->decision, "note", o->note,
			      "person_id", (json_int_t)one, "other_person_id", (json_int_t)other);
	return api_audit_tx(tx, o->req, "person_duplicate.review", "person_duplicate", rid, d, err);
}

void api_duplicates_review(struct api_req *req, struct api_resp *resp);
void api_duplicates_review(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"decision", "note", NULL};
	struct review o = {.req = req};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "posible duplicado", &o.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "decision", true, 20, &o.decision) ||
	    api_get_str(resp, b, "note", false, 1000, &o.note))
		return;
	if (strcmp(o.decision, "same") && strcmp(o.decision, "distinct")) {
		api_error(resp, 422, "invalid_value", "decision",
			  "decisión: same (la misma persona) o distinct (personas distintas)");
		return;
	}
	/* linking two records changes what every later reader sees: why */
	if (!strcmp(o.decision, "same") && !o.note) {
		api_error(resp, 422, "missing_field", "note",
			  "indique en qué se basa: unir dos registros requiere una justificación");
		return;
	}
	struct sigm_error err;
	if (store_write(req->ctx->store, review_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:I, s:s}", "id", (json_int_t)o.id, "status", o.decision));
}

/*
 * Undoing a «same person» decision taken by mistake (twins, namesakes born
 * the same day): the case's links end and the case is open again, to be
 * decided anew - most often «distinct», which then keeps the two apart for
 * good (decided_distinct).  Reopened, not closed as «distinct»: the one who
 * undoes a link knows the link was wrong, not always who is who, and an
 * open case is what the booth and the review already know how to treat
 * (a no-document traveler beside it is asked about, duplicate_unreviewed).
 *
 * Nothing is lost: person_link_ends keeps the decision undone and its
 * undoing, the audit trail both.  The movements never moved: each stays
 * under the record it was made with, so once the links are gone each
 * record reads only its own.
 *
 * Only this decision is undone.  In a chain (A-B, B-C) undoing A-B leaves
 * B-C: A stands apart, B and C stay one.  When the two records stay joined
 * through other decisions (A-B undone while A-C and C-B remain) the answer
 * says so (still_linked) for the supervisor to undo those too.
 */
struct unlink {
	struct api_req *req;
	int64_t id;
	const char *note;
	bool still_linked;
};

static int unlink_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct unlink *o = arg;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->id)};
	int rc = store_tx_query(tx,
				"SELECT status, person_id, other_person_id FROM person_duplicates WHERE id = $1",
				k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0)
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id",
				    "no existe ese posible duplicado");
	else if (strcmp(store_rows_text(r, 0, 0), "same"))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "not_linked", "id",
				    !strcmp(store_rows_text(r, 0, 0), "open")
				    ? "ese posible duplicado no está vinculado: aún está por revisar"
				    : "ese posible duplicado no está vinculado: se decidió que son personas distintas");
	int64_t one = rc ? 0 : store_rows_int(r, 0, 1), other = rc ? 0 : store_rows_int(r, 0, 2);
	store_rows_free(&r);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	/* what is undone, before the case's review is cleared */
	struct store_val e[] = {sv_int(o->id), sv_text(now), sv_text(o->req->actor), sv_text(o->note)};
	rc = store_tx_exec(tx, "INSERT INTO person_link_ends (duplicate_id, person_id, other_person_id,"
			   " linked_by, linked_at, link_note, unlinked_at, unlinked_by, unlink_note)"
			   " SELECT id, person_id, other_person_id, reviewed_by, reviewed_at, review_note, $2, $3, $4"
			   " FROM person_duplicates WHERE id = $1",
			   e, SV_N(e), NULL, err);
	if (rc == 0)
		rc = store_tx_exec(tx, "DELETE FROM person_links WHERE duplicate_id = $1", k, 1, NULL, err);
	if (rc == 0)
		rc = store_tx_exec(tx, "UPDATE person_duplicates SET status = 'open', reviewed_by = NULL,"
				   " reviewed_at = NULL, review_note = NULL WHERE id = $1 AND status = 'same'",
				   k, 1, NULL, err);
	if (rc)
		return rc;
	/* joined still, through other decisions? */
	struct store_val pr[] = {sv_int(one), sv_int(other)};
	int64_t still = 0;
	rc = store_tx_query_int(tx, "SELECT COUNT(*) FROM " API_LINKED("$1") " g WHERE g.id = $2",
				pr, 2, &still, err);
	if (rc)
		return rc;
	o->still_linked = still > 0;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)o->id);
	json_t *d = json_pack("{s:s, s:I, s:I, s:b}", "note", o->note,
			      "person_id", (json_int_t)one, "other_person_id", (json_int_t)other,
			      "still_linked", o->still_linked);
	return api_audit_tx(tx, o->req, "person_duplicate.unlink", "person_duplicate", rid, d, err);
}

void api_duplicates_unlink(struct api_req *req, struct api_resp *resp);
void api_duplicates_unlink(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"note", NULL};
	struct unlink o = {.req = req};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "posible duplicado", &o.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "note", false, 1000, &o.note))
		return;
	/* undoing a decision changes what every later reader sees: why
	 * (missing, null or blank alike, as the review's note) */
	if (!o.note) {
		api_error(resp, 422, "missing_field", "note",
			  "indique el motivo: deshacer un vínculo requiere una justificación");
		return;
	}
	struct sigm_error err;
	if (store_write(req->ctx->store, unlink_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)o.id, "status", "open",
				      "still_linked", o.still_linked));
}
