/*
 * persons_api.c - a person's record and timeline: identity, documents
 * (with renewals), possible duplicates, and every inspection and movement
 * in time order.  Every read is audited: this is the most personal data the
 * system holds.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "store/persons.h"

#include <stdlib.h>
#include <string.h>

static void audit_unavailable(struct api_resp *resp)
{
	api_error(resp, 503, "audit_unavailable", NULL,
		  "no se pudo registrar la consulta en la auditoría");
}

static json_t *rows_array(struct store_rows *r, const char *const *ints)
{
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++)
		json_array_append_new(a, api_row_object(r, i, ints));
	return a;
}

/* Person + documents + open duplicate flags, or NULL with resp set. */
static json_t *person_json(struct api_req *req, struct api_resp *resp,
			   int64_t id)
{
	static const char *const ints[] = {"id", "person_id", "other_person_id",
					   "replaces_document_id", NULL};
	struct store_rows *p = NULL, *d = NULL, *dup = NULL;
	struct sigm_error err;
	struct store_val v[] = {sv_int(id)};
	struct store *s = req->ctx->store;
	if (store_query(s, "SELECT id, given_names, surnames, birth_date, sex, nationality, created_at, updated_at FROM persons WHERE id = $1", v, 1, &p, &err) ||
	    store_query(s, "SELECT id, kind, document_code, number, issuing_state, expiry_date, replaces_document_id, first_seen_at,"
		" COALESCE((SELECT max(i.at) FROM inspections i WHERE i.person_id = d.person_id AND i.document_id = d.id), last_seen_at) AS last_seen_at"
		" FROM documents d WHERE person_id = $1 ORDER BY first_seen_at, id", v, 1, &d, &err) ||
	    store_query(s, "SELECT id, other_person_id AS person_id, reason, status, created_at, reviewed_by, reviewed_at, review_note FROM person_duplicates WHERE person_id = $1"
			" UNION ALL SELECT id, person_id, reason, status, created_at, reviewed_by, reviewed_at, review_note FROM person_duplicates WHERE other_person_id = $1 ORDER BY 1", v, 1, &dup, &err)) {
		store_rows_free(&p);
		store_rows_free(&d);
		store_rows_free(&dup);
		api_error_from(resp, &err);
		return NULL;
	}
	json_t *o = NULL;
	if (store_rows_count(p) == 0) {
		api_error(resp, 404, "person_not_found", "id",
			  "persona inexistente: %lld", (long long)id);
	} else {
		o = api_row_object(p, 0, ints);
		json_object_set_new(o, "documents", rows_array(d, ints));
		json_object_set_new(o, "possible_duplicates", rows_array(dup, ints));
	}
	store_rows_free(&p);
	store_rows_free(&d);
	store_rows_free(&dup);
	return o;
}

void api_persons_get(struct api_req *req, struct api_resp *resp);
void api_persons_get(struct api_req *req, struct api_resp *resp)
{
	int64_t id;
	if (api_path_id(req, resp, "person_not_found", "persona", &id))
		return;
	json_t *o = person_json(req, resp, id);
	if (!o)
		return;
	/* no entry in the audit, no answer: a read nobody can trace is the
	 * leak the audit exists to prevent (as prechequeo.c) */
	if (api_audit(req, "person.read", "person", req->params[0], NULL)) {
		json_decref(o);
		audit_unavailable(resp);
		return;
	}
	api_json(resp, 200, o);
}

void api_persons_timeline(struct api_req *req, struct api_resp *resp);
void api_persons_timeline(struct api_req *req, struct api_resp *resp)
{
	static const char *const ints[] = {"id", "document_id", "movement_id",
					   "inspection_id", "corrects_movement_id",
					   "permitted_stay_days", "inadmission_id",
					   "days", "amount_cents", "person_id", "referral_id",
					   "entry_movement_id", NULL};
	int64_t id;
	if (api_path_id(req, resp, "person_not_found", "persona", &id))
		return;
	json_t *person = person_json(req, resp, id);
	if (!person)
		return;
	struct store_rows *m = NULL, *in = NULL, *fi = NULL, *ld = NULL, *ex = NULL, *st = NULL;
	struct sigm_error err;
	struct store_val v[] = {sv_int(id)};
	if (store_query(req->ctx->store, "SELECT id, at, direction, port, document_id, transport, decision, officer, permitted_stay_days, corrects_movement_id, correction_reason, approved_by, inspection_id, reasons, created_at AS recorded_at, person_id FROM movements WHERE person_id IN " API_LINKED_PERSONS " ORDER BY at, id", v, 1, &m, &err) ||
	    /* the resolution as the supervisor gave it: its legal ground, the
	     * notes (a justification), the inadmission with the return */
	    store_query(req->ctx->store, "SELECT i.id, i.at, i.direction, i.port, i.document_id, i.transport, i.decision, i.reasons, i.officer, i.status, i.resolution, i.resolved_by, i.resolved_at, i.movement_id,"
			" i.legal_ground, i.resolution_notes, n.id AS inadmission_id, n.carrier, n.return_transport,"
			" rf.id AS referral_id, rf.motive AS referral_motive, rf.status AS referral_status, rf.outcome AS referral_outcome"
			", i.person_id FROM inspections i LEFT JOIN inadmissions n ON n.inspection_id = i.id LEFT JOIN referrals rf ON rf.inspection_id = i.id WHERE i.person_id IN " API_LINKED_PERSONS " ORDER BY i.at, i.id", v, 1, &in, &err) ||
	    store_query(req->ctx->store, "SELECT id, created_at, inspection_id, cause, days, amount_cents, legal_basis, status, receipt, paid_at, paid_by, port, person_id FROM traveler_fines WHERE person_id IN " API_LINKED_PERSONS " ORDER BY id", v, 1, &fi, &err) ||
	    store_query(req->ctx->store, "SELECT id, kind, document_code, number, issuing_state, expiry_date, first_seen_at, person_id FROM documents WHERE person_id <> $1 AND person_id IN " API_LINKED_PERSONS " ORDER BY first_seen_at, id", v, 1, &ld, &err) ||
	    store_query(req->ctx->store, "SELECT id, granted_at, person_id, entry_movement_id, days, previous_until, permitted_until, resolution, requested_on, note, granted_by, annulled_at, annulled_by, annul_reason FROM stay_extensions WHERE person_id IN " API_LINKED_PERSONS " ORDER BY id", v, 1, &ex, &err) ||
	    /* where the person is now: the latest presence of all the
	     * linked records, as the booth reads it */
	    store_query(req->ctx->store, "SELECT q.person_id, q.movement_id, q.inside, q.since, q.port, q.permitted_until" API_WHERE_NOW("$1"), v, 1, &st, &err)) {
		store_rows_free(&m);
		store_rows_free(&in);
		store_rows_free(&fi);
		store_rows_free(&ld);
		store_rows_free(&ex);
		json_decref(person);
		api_error_from(resp, &err);
		return;
	}
	json_t *events = json_array();
	/* Documents, inspections and movements merged by time. */
	json_t *docs = json_object_get(person, "documents");
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d)
		json_array_append_new(events,
				      json_pack("{s:s, s:O, s:O}", "type", "document",
						"at", json_object_get(d, "first_seen_at"),
						"document", d));
	for (int k = 0; k < store_rows_count(ld); k++) {
		json_t *o = api_row_object(ld, k, ints);
		json_array_append_new(events, json_pack("{s:s, s:O, s:o}", "type", "document",
							"at", json_object_get(o, "first_seen_at"),
							"document", o));
	}
	for (int k = 0; k < store_rows_count(in); k++) {
		json_t *o = api_row_object(in, k, ints);
		json_t *reasons = json_loads(json_string_value(json_object_get(o, "reasons")), 0, NULL);
		json_object_set_new(o, "reasons", reasons ? reasons : json_array());
		json_array_append_new(events, json_pack("{s:s, s:O, s:o}", "type", "inspection",
							"at", json_object_get(o, "at"),
							"inspection", o));
	}
	for (int k = 0; k < store_rows_count(m); k++) {
		json_t *o = api_row_object(m, k, ints);
		/* a contingency record says so here, with its paper form */
		json_t *reasons = json_loads(json_string_value(json_object_get(o, "reasons")), 0, NULL);
		json_object_set_new(o, "reasons", reasons ? reasons : json_array());
		json_array_append_new(events, json_pack("{s:s, s:O, s:o}", "type", "movement",
							"at", json_object_get(o, "at"),
							"movement", o));
	}
	for (int k = 0; k < store_rows_count(fi); k++) {
		json_t *o = api_row_object(fi, k, ints);
		json_array_append_new(events, json_pack("{s:s, s:O, s:o}", "type", "fine",
							"at", json_object_get(o, "created_at"),
							"fine", o));
	}
	for (int k = 0; k < store_rows_count(ex); k++) {
		json_t *o = api_row_object(ex, k, ints);
		json_array_append_new(events, json_pack("{s:s, s:O, s:o}", "type", "stay_extension",
							"at", json_object_get(o, "granted_at"),
							"stay_extension", o));
	}
	json_t *stay = json_null();
	if (store_rows_count(st) == 1) {
		stay = api_row_object(st, 0, ints);
		json_object_set_new(stay, "inside", json_boolean(store_rows_int(st, 0, 2)));
	}
	store_rows_free(&m);
	store_rows_free(&in);
	store_rows_free(&fi);
	store_rows_free(&ld);
	store_rows_free(&ex);
	store_rows_free(&st);
	/* stable sort by "at" (ISO text sorts by time) */
	size_t n = json_array_size(events);
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0; b--) {
			json_t *x = json_array_get(events, b - 1), *y = json_array_get(events, b);
			if (strcmp(json_string_value(json_object_get(x, "at")),
				   json_string_value(json_object_get(y, "at"))) <= 0)
				break;
			json_incref(x);
			json_array_set(events, b - 1, y);
			json_array_set_new(events, b, x);
		}
	/* the linked records were read too: each has its audit entry; any
	 * entry missing, no answer (api_persons_get) */
	struct store_rows *ids = NULL;
	int arc = api_audit(req, "person.timeline", "person", req->params[0], NULL);
	if (!arc && store_query(req->ctx->store, "SELECT id FROM " API_LINKED_PERSONS " l WHERE id <> $1", v, 1, &ids, &err)) {
		json_decref(person);
		json_decref(events);
		json_decref(stay);
		api_error_from(resp, &err);
		return;
	}
	for (int k = 0; !arc && k < store_rows_count(ids); k++)
		arc = api_audit(req, "person.timeline", "person", store_rows_text(ids, k, 0), NULL);
	store_rows_free(&ids);
	if (arc) {
		json_decref(person);
		json_decref(events);
		json_decref(stay);
		audit_unavailable(resp);
		return;
	}
	api_json(resp, 200, json_pack("{s:o, s:o, s:o}", "person", person, "stay", stay, "events", events));
}

void api_persons_search(struct api_req *req, struct api_resp *resp);
/* Matches a page at a time in id order, keyset-paged: the cursor is the
 * last id of the previous page.  A common surname matches thousands; the
 * search stopped at 100 and said nothing of the rest. */
void api_persons_search(struct api_req *req, struct api_resp *resp)
{
	static const char *const ints[] = {"id", NULL};
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 100, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	const char *doc = api_query(req, "document_number");
	const char *sur = api_query(req, "surnames");
	const char *bd = api_query(req, "birth_date");
	if (!doc && !sur) {
		api_error(resp, 400, "missing_parameter", "document_number",
			  "indique document_number o surnames (con birth_date opcional)");
		return;
	}
	if (bd && !api_valid_date(bd, true)) {
		api_error(resp, 400, "invalid_date", "birth_date", "fecha inválida");
		return;
	}
	/* surnames as people write them: accents and case aside, and the
	 * start of them finds the rest */
	char key[256] = "", upto[260] = "";
	if (sur && persons_key_range(sur, key, sizeof(key), upto, sizeof(upto))) {
		api_error(resp, 400, "invalid_surnames", "surnames",
			  "escriba al menos una letra del apellido");
		return;
	}
	struct store_val p[] = {sv_opt(doc), sv_opt(sur ? key : NULL), sv_opt(bd),
				sv_opt(sur ? upto : NULL), sv_int(cursor),
				sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	/* The criterion that is given is written as a plain condition, so
	 * that the engine reads it by its index: "(CAST($1 AS TEXT) IS NULL
	 * OR ...)" for both made SQLite walk every person in id order (0.2 s
	 * warm, 2.6 s cold over 2.2 M persons, for every search).  By
	 * surnames alone, "+p.id" keeps the page's cursor from being taken as
	 * the way in (the walk again); a prefix shared by 200,000 persons
	 * then sorts them, 0.1 s. */
	const char *from = doc ? "SELECT DISTINCT p.id, p.given_names, p.surnames, p.birth_date, p.sex, p.nationality"
				 " FROM documents d JOIN persons p ON p.id = d.person_id WHERE d.number = $1"
			       : "SELECT p.id, p.given_names, p.surnames, p.birth_date, p.sex, p.nationality"
				 " FROM persons p WHERE CAST($1 AS TEXT) IS NULL";
	const char *by_sur = sur ? " AND p.surnames_key >= $2 AND p.surnames_key < $4"
				 : " AND CAST($2 AS TEXT) IS NULL AND CAST($4 AS TEXT) IS NULL";
	const char *by_birth = bd ? " AND p.birth_date = $3" : " AND CAST($3 AS TEXT) IS NULL";
	char sql[1024];
	snprintf(sql, sizeof(sql), "%s%s%s AND %sp.id > $5 ORDER BY p.id LIMIT $6",
		 from, by_sur, by_birth, doc ? "" : "+");
	if (store_query(req->ctx->store, sql, p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *page = api_page(r, limit, ints);
	/* who saw whom: the entry names the persons on this page, so the
	 * trail of each finds it (api_audit_list) */
	json_t *crit = json_pack("{s:s?, s:s?, s:s?}", "document_number", doc,
				 "surnames", sur, "birth_date", bd);
	if (cursor)
		json_object_set_new(crit, "cursor", json_integer(cursor));
	int arc = api_audit_list(req, "person.search", "person", r, 0, (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	if (arc) {
		json_decref(page);
		audit_unavailable(resp);
		return;
	}
	api_json(resp, 200, page);
}

const char *api_fold_sql(struct api_req *req, struct api_resp *resp,
			 const char *col, char *buf, size_t cap)
{
	if (persons_fold_sql(col, store_engine(req->ctx->store) == STORE_PG, buf, cap))
		return buf;
	api_error(resp, 500, "internal", NULL, "consulta demasiado larga");
	return NULL;
}
