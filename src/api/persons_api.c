/*
 * persons_api.c - a person's record and timeline: identity, documents
 * (with renewals), possible duplicates, and every inspection and movement
 * in time order.  Every read is audited: this is the most personal data the
 * system holds.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "core/rules.h"
#include "store/persons.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

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
	/* no entry in the audit, no answer: the server turns this 200 into
	 * 503 audit_unavailable when the entry could not be written */
	api_audit(req, "person.read", "person", req->params[0], NULL);
	api_json(resp, 200, o);
}

/*
 * The timeline is paged: a person who crossed thousands of times (a
 * trucker, a border commuter) had every event of every linked record read,
 * turned into JSON and sorted by insertion (3,000 crossings: 0.9 s and
 * 2.7 MB; 8,000: 3.9 s) on every read.  Events are ordered by (at, kind,
 * id), the kinds in the order below (at the same instant a document comes
 * before the inspection that showed it, and so on); a page is the latest
 * `limit` events before the cursor, answered oldest first as the whole
 * timeline was, and next_cursor ("AT,KIND,ID", the page's oldest event)
 * gives the earlier ones.  Each kind reads at most limit + 1 rows before
 * the cursor, by the person's indexes; the rows are merged with qsort.
 */
enum ev_kind { EV_DOCUMENT, EV_INSPECTION, EV_MOVEMENT, EV_FINE, EV_EXTENSION, EV_KINDS };
static const char *const EV_NAME[EV_KINDS] = {"document", "inspection", "movement",
					      "fine", "stay_extension"};
#define TIMELINE_LIMIT 200
#define TIMELINE_MAX 1000
/* The instants the store writes (store_now_iso): 2026-07-28T17:52:03.123Z. */
#define INSTANT_LEN 24

struct ev {
	const char *at;
	enum ev_kind kind;
	int64_t id;
	struct store_rows *r; /* the row (NULL: one of the person's own documents) */
	int row;
	json_t *doc;          /* the person's own document (borrowed) */
	bool by_other;        /* an inspection of somebody else with its document */
};

/* Newest first: later instant, then later kind, then higher number. */
static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	int c = strcmp(y->at, x->at);
	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? 1 : -1;
	return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

/* "AT,KIND,ID" as next_cursor writes it, or false. */
static bool timeline_cursor(const char *s, char at[INSTANT_LEN + 1], int *kind, int64_t *id)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	if (strlen(s) < INSTANT_LEN + 4 || s[INSTANT_LEN] != ',')
		return false;
	for (int i = 0; i < INSTANT_LEN; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return false;
	char day[11];
	snprintf(day, sizeof(day), "%.10s", s);
	if (!api_valid_date(day, false) || atoi(s + 11) > 23 || atoi(s + 14) > 59 || atoi(s + 17) > 59)
		return false;
	snprintf(at, INSTANT_LEN + 1, "%.*s", INSTANT_LEN, s);
	const char *k = s + INSTANT_LEN + 1, *comma = strchr(k, ',');
	if (!comma)
		return false;
	*kind = -1;
	for (int i = 0; i < EV_KINDS; i++)
		if ((size_t)(comma - k) == strlen(EV_NAME[i]) && !strncmp(k, EV_NAME[i], (size_t)(comma - k)))
			*kind = i;
	const char *n = comma + 1;
	size_t len = strlen(n);
	if (*kind < 0 || len == 0 || len > 18 || n[0] == '0')
		return false;
	for (size_t i = 0; i < len; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	*id = atoll(n);
	return true;
}

/* An inspection as the history shows it: the resolution as the supervisor
 * gave it, its legal ground, the notes (a justification), the inadmission
 * with the return, the referral. */
#define INSPECTION_EVENT                                                                                           \
	"SELECT i.id, i.at, i.direction, i.port, i.document_id, i.transport, i.decision, i.reasons, i.officer,"      \
	" i.status, i.resolution, i.resolved_by, i.resolved_at, i.movement_id,"                                      \
	/* the supervisor by name, as the staff know each other */                                                 \
	" " API_STAFF_NAME("i.resolved_by") " AS resolved_by_name,"               \
	" i.legal_ground, i.resolution_notes, n.id AS inadmission_id, n.carrier, n.return_transport,"                \
	" rf.id AS referral_id, rf.motive AS referral_motive, rf.status AS referral_status,"                         \
	" rf.outcome AS referral_outcome, i.person_id FROM inspections i"                                             \
	" LEFT JOIN inadmissions n ON n.inspection_id = i.id LEFT JOIN referrals rf ON rf.inspection_id = i.id"

/* The rows of one kind before the cursor ($2 instant, $3 kind, $4 number),
 * newest first, at most $5: the tail of its query.  at and id are the
 * columns of its instant and number; k its kind. */
#define BEFORE(at, id, k) " AND (" at " < $2 OR (" at " = $2 AND ($3 > " #k " OR ($3 = " #k " AND " id " < $4))))" \
	" ORDER BY " at " DESC, " id " DESC LIMIT $5"

static json_t *event_json(const struct ev *e, const char *const *ints)
{
	if (e->doc)
		return json_pack("{s:s, s:O, s:O}", "type", "document",
				 "at", json_object_get(e->doc, "first_seen_at"), "document", e->doc);
	json_t *o = api_row_object(e->r, e->row, ints);
	if (e->by_other)
		json_object_set_new(o, "presented_by_other", json_true());
	if (e->kind == EV_INSPECTION || e->kind == EV_MOVEMENT) {
		/* a contingency record says so here, with its paper form */
		json_t *reasons = json_loads(json_string_value(json_object_get(o, "reasons")), 0, NULL);
		json_object_set_new(o, "reasons", reasons ? reasons : json_array());
	}
	return json_pack("{s:s, s:s, s:o}", "type", EV_NAME[e->kind], "at", e->at, EV_NAME[e->kind], o);
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
	long long limit;
	if (api_path_id(req, resp, "person_not_found", "persona", &id) ||
	    api_query_int(req, resp, "limit", TIMELINE_LIMIT, 1, TIMELINE_MAX, &limit))
		return;
	const char *cursor = api_query(req, "cursor");
	char c_at[INSTANT_LEN + 1] = "9999";
	int c_kind = EV_KINDS;
	int64_t c_id = INT64_MAX;
	if (cursor && !timeline_cursor(cursor, c_at, &c_kind, &c_id)) {
		api_error(resp, 400, "invalid_parameter", "cursor",
			  "«cursor»: el next_cursor de la página anterior");
		return;
	}
	json_t *person = person_json(req, resp, id);
	if (!person)
		return;
	struct store_rows *m = NULL, *in = NULL, *fi = NULL, *ld = NULL, *ex = NULL, *st = NULL, *ot = NULL;
	struct sigm_error err;
	struct store_val v[] = {sv_int(id)};
	struct store_val pv[] = {sv_int(id), sv_text(c_at), sv_int(c_kind), sv_int(c_id), sv_int(limit + 1)};
	struct store *s = req->ctx->store;
	if (store_query(s, "SELECT id, at, direction, port, document_id, transport, decision, officer, permitted_stay_days, corrects_movement_id, correction_reason, approved_by, " API_STAFF_NAME("approved_by") " AS approved_by_name, inspection_id, reasons, created_at AS recorded_at, person_id FROM movements WHERE person_id IN " API_LINKED_PERSONS
			BEFORE("at", "id", 2), pv, SV_N(pv), &m, &err) ||
	    store_query(s, INSPECTION_EVENT " WHERE i.person_id IN " API_LINKED_PERSONS
			BEFORE("i.at", "i.id", 1), pv, SV_N(pv), &in, &err) ||
	    /* somebody else with one of the person's documents (the booth
	     * said document_holder_differs and kept them apart, flagged
	     * beside the holder): their inspections are in the holder's
	     * history too, as presented by another (the holder's history
	     * said nothing of a passport used at a post by somebody else).
	     * Found through the flags (person_duplicates_other), then each
	     * one's inspections by inspections_person */
	    store_query(s, INSPECTION_EVENT " WHERE i.person_id IN (SELECT d.person_id FROM person_duplicates d"
			" WHERE d.other_person_id IN " API_LINKED_PERSONS " AND d.reason = 'document_holder_differs')"
			" AND i.person_id NOT IN " API_LINKED_PERSONS
			" AND i.document_id IN (SELECT id FROM documents WHERE person_id IN " API_LINKED_PERSONS ")"
			BEFORE("i.at", "i.id", 1), pv, SV_N(pv), &ot, &err) ||
	    /* with why a fine was cancelled, held or credited (its exit
	     * voided: border_api.c) */
	    store_query(s, "SELECT id, created_at, inspection_id, cause, days, amount_cents, legal_basis, status, receipt, paid_at, paid_by, port, person_id, status_note FROM traveler_fines WHERE person_id IN " API_LINKED_PERSONS
			BEFORE("created_at", "id", 3), pv, SV_N(pv), &fi, &err) ||
	    store_query(s, "SELECT id, kind, document_code, number, issuing_state, expiry_date, first_seen_at, person_id FROM documents WHERE person_id <> $1 AND person_id IN " API_LINKED_PERSONS
			BEFORE("first_seen_at", "id", 0), pv, SV_N(pv), &ld, &err) ||
	    store_query(s, "SELECT id, granted_at, person_id, entry_movement_id, days, previous_until, permitted_until, resolution, requested_on, note, granted_by, annulled_at, annulled_by, annul_reason FROM stay_extensions WHERE person_id IN " API_LINKED_PERSONS
			BEFORE("granted_at", "id", 4), pv, SV_N(pv), &ex, &err) ||
	    /* where the person is now: the latest presence of all the
	     * linked records, as the booth reads it */
	    store_query(s, "SELECT q.person_id, q.movement_id, q.inside, q.since, q.port, q.permitted_until" API_WHERE_NOW("$1"), v, 1, &st, &err)) {
		store_rows_free(&m);
		store_rows_free(&in);
		store_rows_free(&fi);
		store_rows_free(&ld);
		store_rows_free(&ex);
		store_rows_free(&ot);
		json_decref(person);
		api_error_from(resp, &err);
		return;
	}
	/* the candidates: each kind's rows before the cursor (the person's own
	 * documents, a handful, are the person's, filtered here) */
	json_t *docs = json_object_get(person, "documents");
	size_t cap = json_array_size(docs) + (size_t)store_rows_count(ld) + (size_t)store_rows_count(in) +
		     (size_t)store_rows_count(m) + (size_t)store_rows_count(fi) + (size_t)store_rows_count(ex) +
		     (size_t)store_rows_count(ot);
	struct ev *evs = calloc(cap ? cap : 1, sizeof(*evs));
	size_t n = 0;
	struct store_rows **all[] = {&m, &in, &fi, &ld, &ex, &st, &ot};
	if (!evs) {
		for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
			store_rows_free(all[k]);
		json_decref(person);
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	const struct ev cur = {.at = c_at, .kind = (enum ev_kind)c_kind, .id = c_id};
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d) {
		const char *at = json_string_value(json_object_get(d, "first_seen_at"));
		struct ev e = {.at = at ? at : "", .kind = EV_DOCUMENT,
			       .id = (int64_t)json_integer_value(json_object_get(d, "id")), .doc = d};
		if (ev_cmp(&cur, &e) < 0) /* older than the cursor */
			evs[n++] = e;
	}
	struct {
		struct store_rows *r;
		enum ev_kind kind;
		int at_col;
	} src[] = {{ld, EV_DOCUMENT, 6}, {in, EV_INSPECTION, 1}, {m, EV_MOVEMENT, 1},
		   {fi, EV_FINE, 1}, {ex, EV_EXTENSION, 1}, {ot, EV_INSPECTION, 1}};
	for (size_t k = 0; k < sizeof(src) / sizeof(src[0]); k++)
		for (int row = 0; row < store_rows_count(src[k].r); row++) {
			const char *at = store_rows_text(src[k].r, row, src[k].at_col);
			evs[n++] = (struct ev){.at = at ? at : "", .kind = src[k].kind,
					       .id = store_rows_int(src[k].r, row, 0),
					       .r = src[k].r, .row = row, .by_other = src[k].r == ot};
		}
	qsort(evs, n, sizeof(*evs), ev_cmp);
	/* each kind read one row more than a page: more than a page in all
	 * means earlier events remain */
	size_t shown = n > (size_t)limit ? (size_t)limit : n;
	json_t *next = json_null();
	if (n > shown)
		next = json_sprintf("%s,%s,%lld", evs[shown - 1].at, EV_NAME[evs[shown - 1].kind],
				    (long long)evs[shown - 1].id);
	/* oldest first, as the whole timeline was answered */
	json_t *events = json_array();
	for (size_t k = shown; k > 0; k--)
		json_array_append_new(events, event_json(&evs[k - 1], ints));
	free(evs);
	json_t *stay = json_null();
	if (store_rows_count(st) == 1) {
		stay = api_row_object(st, 0, ints);
		json_object_set_new(stay, "inside", json_boolean(store_rows_int(st, 0, 2)));
	}
	for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
		store_rows_free(all[k]);
	/* the linked records were read too: each has its audit entry; any
	 * entry missing, no answer (api_persons_get) */
	struct store_rows *ids = NULL;
	int arc = api_audit(req, "person.timeline", "person", req->params[0], NULL);
	if (!arc && store_query(s, "SELECT id FROM " API_LINKED_PERSONS " l WHERE id <> $1", v, 1, &ids, &err)) {
		json_decref(person);
		json_decref(events);
		json_decref(stay);
		json_decref(next);
		api_error_from(resp, &err);
		return;
	}
	for (int k = 0; !arc && k < store_rows_count(ids); k++)
		arc = api_audit(req, "person.timeline", "person", store_rows_text(ids, k, 0), NULL);
	store_rows_free(&ids);
	/* and whoever presented the person's document: their inspections
	 * were read, once each */
	json_t *seen = json_object();
	size_t k;
	json_t *ev;
	json_array_foreach(events, k, ev) {
		json_t *x = json_object_get(ev, "inspection");
		if (arc || !json_is_true(json_object_get(x, "presented_by_other")))
			continue;
		char pid[24];
		snprintf(pid, sizeof(pid), "%lld", (long long)json_integer_value(json_object_get(x, "person_id")));
		if (json_object_get(seen, pid))
			continue;
		json_object_set_new(seen, pid, json_true());
		json_t *why = json_pack("{s:s, s:I}", "as", "presented_document_of", "holder", (json_int_t)id);
		arc = api_audit(req, "person.timeline", "person", pid, why);
		json_decref(why);
	}
	json_decref(seen);
	/* an entry missing: the server answers 503 (api.h, api_audit) */
	api_json(resp, 200, json_pack("{s:o, s:o, s:o, s:o}", "person", person, "stay", stay,
				      "events", events, "next_cursor", next));
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
	const char *doc;
	const char *sur = api_query(req, "surnames");
	const char *bd = api_query(req, "birth_date");
	/* the number as the booth records it, by the one rule
	 * (api_query_docno): "ab123456" or "AB-123456" found nothing, with a
	 * 200, while the record holds AB123456.  What cannot be a number
	 * ("A": no booth records one so short) is said. */
	char up[API_DOCNO_BUF];
	if (api_query_docno(req, resp, "document_number", up, &doc))
		return;
	if (!doc && !sur) {
		api_error(resp, 400, "missing_parameter", "document_number",
			  "indique document_number o surnames (con birth_date opcional)");
		return;
	}
	if (bd && !api_valid_date(bd, true)) {
		api_error(resp, 400, "invalid_date", "birth_date", "fecha inválida");
		return;
	}
	/* surnames as people write them: accents and case aside, in any
	 * script (Иванов finds the IVANOV of an MRZ, and IVANOV the Иванов a
	 * clerk typed: persons_surnames_key), and the start of them finds
	 * the rest */
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
	api_audit_list(req, "person.search", "person", r, 0, (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
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
