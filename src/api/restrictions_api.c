/*
 * restrictions_api.c - court restrictions (medidas cautelares) registered by
 * the Secretaría General: register, modify, grant exit permits, lift.
 *
 * Every change bumps the record's version and stores a full snapshot of the
 * record (with its permits) in restriction_versions, in the same transaction
 * as the change and its audit entry: the history is complete by
 * construction.  After the commit the screening index is told, so the next
 * inspection sees the change.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "api/bulk.h"
#include "api/countries.h"
#include "core/mrz.h"
#include "store/audit.h"

#include <stdlib.h>
#include <string.h>

static const char *const MEASURES[] = {
	"exit_ban",	       /* impedimento de salida del país */
	"passport_retention",  /* retención de pasaporte */
	"periodic_appearance", /* presentación periódica */
	"other", NULL};

/* A measure as the message to the clerk says it. */
static const char *measure_said(const char *m)
{
	if (!strcmp(m, "passport_retention"))
		return "retención de pasaporte";
	if (!strcmp(m, "periodic_appearance"))
		return "presentación periódica";
	return "otra medida cautelar";
}

static const char *const RESTR_INT_COLS[] = {"id", "version", NULL};

#define RESTR_COLS                                                          \
	"id, court, case_number, measure, given_names, surnames, birth_date, " \
	"sex, nationality, document_number, dui, order_date, effective_from, " \
	"effective_to, document_reference, status, lift_order_reference, "     \
	"lifted_at, version, created_at, created_by, updated_at"

static bool measure_known(const char *m)
{
	for (const char *const *k = MEASURES; *k; k++)
		if (!strcmp(*k, m))
			return true;
	return false;
}

static json_t *permits_json(struct store_rows *p)
{
	static const char *const ints[] = {"id", NULL};
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(p); i++)
		json_array_append_new(a, api_row_object(p, i, ints));
	return a;
}

/* The record as JSON, read inside a transaction (tx) or not (s). */
static int load(struct store_tx *tx, struct store *s, int64_t id,
		json_t **out, struct sigm_error *err)
{
	struct store_rows *r = NULL, *p = NULL;
	struct store_val v[] = {sv_int(id)};
	static const char q1[] = "SELECT " RESTR_COLS " FROM restrictions WHERE id = $1";
	static const char q2[] = "SELECT id, valid_from, valid_to, destination, authorization_ref AS authorization, created_at, created_by FROM restriction_permits WHERE restriction_id = $1 ORDER BY id";
	int rc = tx ? store_tx_query(tx, q1, v, 1, &r, err)
		    : store_query(s, q1, v, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		return sigm_error_set(err, SIGM_ENOTFOUND, "restriction_not_found",
				      "id", "no existe la restricción %lld",
				      (long long)id);
	}
	rc = tx ? store_tx_query(tx, q2, v, 1, &p, err)
		: store_query(s, q2, v, 1, &p, err);
	if (rc) {
		store_rows_free(&r);
		return rc;
	}
	json_t *o = api_row_object(r, 0, RESTR_INT_COLS);
	/* Present the subject as the object it was given as. */
	json_t *subj = json_object();
	static const char *const sk[] = {"given_names", "surnames", "birth_date",
					 "sex", "nationality", "document_number",
					 "dui", NULL};
	for (const char *const *k = sk; *k; k++) {
		json_object_set(subj, *k, json_object_get(o, *k));
		json_object_del(o, *k);
	}
	json_object_set_new(o, "subject", subj);
	json_object_set_new(o, "permits", permits_json(p));
	store_rows_free(&r);
	store_rows_free(&p);
	*out = o;
	return 0;
}

/* Appends the version snapshot of record id after a change. */
static int snapshot(struct store_tx *tx, int64_t id, const char *change,
		    const char *actor, struct sigm_error *err)
{
	json_t *o = NULL;
	int rc = load(tx, NULL, id, &o, err);
	if (rc)
		return rc;
	char *snap = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(id), sv_int(json_integer_value(json_object_get(o, "version"))),
				sv_text(now), sv_text(actor), sv_text(change),
				sv_text(snap)};
	rc = store_tx_exec(tx, "INSERT INTO restriction_versions (restriction_id, version, at, actor, change, snapshot) VALUES ($1, $2, $3, $4, $5, $6)",
			   p, SV_N(p), NULL, err);
	free(snap);
	json_decref(o);
	return rc;
}

struct op {
	struct api_req *req;
	int64_t id;
	const char *action;
	/* create / modify */
	const char *court, *case_number, *measure, *order_date, *from, *to,
		*docref, *reason;
	bool to_given;
	struct api_subject subj;
	bool subj_given;
	/* permit */
	const char *p_from, *p_to, *dest, *auth;
	/* lift */
	const char *order_ref;
};

static int audit_op(struct store_tx *tx, struct op *o, const char *detail,
		    struct sigm_error *err)
{
	char rid[24];
	struct audit_entry e;
	snprintf(rid, sizeof(rid), "%lld", (long long)o->id);
	api_audit_entry(o->req, &e, o->action, "restriction", rid, detail);
	return audit_append(tx, &e, err);
}

static int create_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct op *o = arg;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {
		sv_text(o->court),	     sv_text(o->case_number),
		sv_text(o->measure),	     sv_text(o->subj.given_names),
		sv_text(o->subj.surnames),   sv_text(o->subj.birth_date),
		sv_text(o->subj.sex),	     sv_text(o->subj.nationality),
		sv_text(o->subj.document_number), sv_text(o->subj.dui),
		sv_text(o->order_date),	     sv_text(o->from),
		sv_text(o->to),		     sv_text(o->docref),
		sv_text(now),		     sv_text(o->req->actor)};
	int rc = store_tx_query_int(
		tx,
		"INSERT INTO restrictions (court, case_number, measure, given_names, surnames, birth_date, sex, nationality, document_number, dui, order_date, effective_from, effective_to, document_reference, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15) RETURNING id",
		p, SV_N(p), &o->id, err);
	if (rc == 0)
		rc = snapshot(tx, o->id, "created", o->req->actor, err);
	if (rc == 0)
		rc = audit_op(tx, o, NULL, err);
	return rc;
}

/* Whether restriction id exists and is active, its window into from and
 * to ("" for none) and, when measure is not NULL, its measure (up to 31
 * bytes).  0, or the error filled. */
static int require_active(struct store_tx *tx, int64_t id, char from[16],
			  char to[16], char *measure, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val v[] = {sv_int(id)};
	int rc = store_tx_query(tx, "SELECT status, effective_from, effective_to, measure FROM restrictions WHERE id = $1",
				v, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0)
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "restriction_not_found",
				    "id", "no existe la restricción %lld",
				    (long long)id);
	else if (strcmp(store_rows_text(r, 0, 0), "active"))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "restriction_lifted",
				    "id",
				    "la restricción %lld ya fue levantada; no admite cambios",
				    (long long)id);
	if (rc == 0) {
		snprintf(from, 16, "%s", store_rows_text(r, 0, 1));
		snprintf(to, 16, "%s", store_rows_text(r, 0, 2) ? store_rows_text(r, 0, 2) : "");
		if (measure)
			snprintf(measure, 32, "%s", store_rows_text(r, 0, 3) ? store_rows_text(r, 0, 3) : "");
	}
	store_rows_free(&r);
	return rc;
}

static int bump(struct store_tx *tx, int64_t id, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val v[] = {sv_int(id), sv_text(now)};
	return store_tx_exec(tx, "UPDATE restrictions SET version = version + 1, updated_at = $2 WHERE id = $1",
			     v, 2, NULL, err);
}

static int modify_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct op *o = arg;
	char from[16], to[16];
	int rc = require_active(tx, o->id, from, to, NULL, err);
	if (rc)
		return rc;
	const char *nf = o->from ? o->from : from;
	const char *nt = o->to_given ? o->to : (to[0] ? to : NULL);
	if (nt && strcmp(nt, nf) < 0)
		return sigm_error_set(err, SIGM_ERULE, "invalid_period",
				      "effective_to",
				      "la vigencia termina antes de empezar");
	struct store_val p[] = {
		sv_int(o->id),		  sv_text(o->court),
		sv_text(o->case_number),  sv_text(o->measure),
		sv_text(o->order_date),	  sv_text(o->from),
		sv_int(o->to_given),	  sv_text(o->to),
		sv_text(o->docref)};
	rc = store_tx_exec(tx,
			   "UPDATE restrictions SET court = COALESCE($2, court), case_number = COALESCE($3, case_number),"
			   " measure = COALESCE($4, measure), order_date = COALESCE($5, order_date),"
			   " effective_from = COALESCE($6, effective_from),"
			   " effective_to = CASE WHEN $7 = 1 THEN $8 ELSE effective_to END,"
			   " document_reference = COALESCE($9, document_reference) WHERE id = $1",
			   p, SV_N(p), NULL, err);
	if (rc == 0 && o->subj_given) {
		struct store_val q[] = {
			sv_int(o->id), sv_text(o->subj.given_names),
			sv_text(o->subj.surnames), sv_text(o->subj.birth_date),
			sv_text(o->subj.sex), sv_text(o->subj.nationality),
			sv_text(o->subj.document_number), sv_text(o->subj.dui)};
		rc = store_tx_exec(tx,
				   "UPDATE restrictions SET given_names = $2, surnames = $3, birth_date = $4, sex = $5,"
				   " nationality = $6, document_number = $7, dui = $8 WHERE id = $1",
				   q, SV_N(q), NULL, err);
	}
	if (rc == 0)
		rc = bump(tx, o->id, err);
	if (rc == 0)
		rc = snapshot(tx, o->id, "modified", o->req->actor, err);
	if (rc == 0) {
		json_t *d = json_pack("{s:s}", "reason", o->reason);
		char *ds = json_dumps(d, JSON_COMPACT);
		rc = audit_op(tx, o, ds, err);
		free(ds);
		json_decref(d);
	}
	return rc;
}

static int permit_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct op *o = arg;
	char from[16], to[16], measure[32];
	int rc = require_active(tx, o->id, from, to, measure, err);
	if (rc)
		return rc;
	/* the booth weighs permits on an exit ban only (rules.c): on a
	 * passport retention or a periodic appearance a permit was stored,
	 * shown with the restriction, and changed nothing at the booth - the
	 * clerk believed the person could travel */
	if (strcmp(measure, "exit_ban"))
		return sigm_error_set(err, SIGM_ERULE, "permit_needs_exit_ban", "id",
				      "la restricción %lld es de %s: un permiso de salida solo se registra sobre un impedimento de salida del país",
				      (long long)o->id, measure_said(measure));
	if (strcmp(o->p_from, from) < 0 || (to[0] && strcmp(o->p_to, to) > 0))
		return sigm_error_set(err, SIGM_ERULE, "permit_outside_restriction",
				      strcmp(o->p_from, from) < 0 ? "from" : "to",
				      "el permiso (%s a %s) debe estar dentro de la vigencia de la restricción (%s a %s)",
				      o->p_from, o->p_to, from,
				      to[0] ? to : "indefinida");
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(o->id),	 sv_text(o->p_from),
				sv_text(o->p_to), sv_text(o->dest),
				sv_text(o->auth), sv_text(now),
				sv_text(o->req->actor)};
	rc = store_tx_exec(tx, "INSERT INTO restriction_permits (restriction_id, valid_from, valid_to, destination, authorization_ref, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			   p, SV_N(p), NULL, err);
	if (rc == 0)
		rc = bump(tx, o->id, err);
	if (rc == 0)
		rc = snapshot(tx, o->id, "permit_granted", o->req->actor, err);
	if (rc == 0) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "from", o->p_from,
				      "to", o->p_to, "destination", o->dest,
				      "authorization", o->auth);
		char *ds = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
		rc = audit_op(tx, o, ds, err);
		free(ds);
		json_decref(d);
	}
	return rc;
}

static int lift_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct op *o = arg;
	char from[16], to[16];
	int rc = require_active(tx, o->id, from, to, NULL, err);
	if (rc == SIGM_ECONFLICT)
		return sigm_error_set(err, SIGM_ECONFLICT, "already_lifted", "id",
				      "la restricción %lld ya estaba levantada",
				      (long long)o->id);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(o->id), sv_text(o->order_ref),
				sv_text(now)};
	rc = store_tx_exec(tx, "UPDATE restrictions SET status = 'lifted', lift_order_reference = $2, lifted_at = $3 WHERE id = $1",
			   p, SV_N(p), NULL, err);
	if (rc == 0)
		rc = bump(tx, o->id, err);
	if (rc == 0)
		rc = snapshot(tx, o->id, "lifted", o->req->actor, err);
	if (rc == 0) {
		json_t *d = json_pack("{s:s}", "order_reference", o->order_ref);
		char *ds = json_dumps(d, JSON_COMPACT);
		rc = audit_op(tx, o, ds, err);
		free(ds);
		json_decref(d);
	}
	return rc;
}

/* Runs op, then answers with the record (status) and notifies the index. */
static void run(struct api_req *req, struct api_resp *resp, store_write_fn fn,
		struct op *o, int status)
{
	struct sigm_error err;
	if (store_write(req->ctx->store, fn, o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (req->ctx->on_record_change)
		req->ctx->on_record_change(req->ctx, "restriction", o->id);
	json_t *rec = NULL;
	if (load(NULL, req->ctx->store, o->id, &rec, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, status, rec);
}

static int measure_ok(struct api_resp *resp, const char *m)
{
	if (m && !measure_known(m)) {
		api_error(resp, 422, "unknown_measure", "measure",
			  "medida desconocida «%s» (exit_ban, passport_retention, periodic_appearance, other)",
			  m);
		return -1;
	}
	return 0;
}

/* The body of a new restriction (POST, and each row of an import). */
static int create_parse(struct api_resp *resp, json_t *b, struct op *o)
{
	if (api_get_str(resp, b, "court", true, 200, &o->court) ||
	    api_get_str(resp, b, "case_number", true, 100, &o->case_number) ||
	    api_get_str(resp, b, "measure", true, 40, &o->measure) ||
	    measure_ok(resp, o->measure) ||
	    api_get_subject(o->req, resp, b, "subject", &o->subj) ||
	    api_get_date(resp, b, "order_date", false, false, &o->order_date) ||
	    api_get_date(resp, b, "effective_from", true, false, &o->from) ||
	    api_get_date(resp, b, "effective_to", false, false, &o->to) ||
	    api_get_str(resp, b, "document_reference", false, 200, &o->docref))
		return -1;
	if (o->to && strcmp(o->to, o->from) < 0) {
		api_error(resp, 422, "invalid_period", "effective_to",
			  "la vigencia termina (%s) antes de empezar (%s)", o->to,
			  o->from);
		return -1;
	}
	return 0;
}

void api_restrictions_create(struct api_req *req, struct api_resp *resp);
void api_restrictions_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"court", "case_number", "measure",
					"subject", "order_date",
					"effective_from", "effective_to",
					"document_reference", NULL};
	struct op o = {.req = req, .action = "restriction.create"};
	json_t *b = api_body_object(req, resp, f);
	if (!b || create_parse(resp, b, &o))
		return;
	run(req, resp, create_fn, &o, 201);
}

/* ---- CSV import and export (bulk.h) ---- */

static const char *const SUBJECT_COLS[] = {"given_names", "surnames",
					   "birth_date", "sex", "nationality",
					   "document_number", "dui", NULL};

static int import_prepare(struct api_req *req, json_t *row, void *prep,
			  json_t *hold, struct api_resp *resp)
{
	struct op *o = prep;
	*o = (struct op){.req = req, .action = "restriction.create"};
	/* the row as the POST body: identity columns under "subject" (always
	 * there: its absence is the "no identifying datum" error) */
	json_t *b = bulk_body(row, "subject", SUBJECT_COLS, NULL, hold);
	if (!json_object_get(b, "subject"))
		json_object_set_new(b, "subject", json_object());
	if (create_parse(resp, b, o)) {
		bulk_error_field(resp, "subject", "given_names/surnames/document_number/dui");
		return -1;
	}
	return 0;
}

static int import_insert(struct store_tx *tx, struct api_req *req, void *prep,
			 int64_t *id, struct sigm_error *err)
{
	struct op *o = prep;
	o->req = req;
	int rc = create_fn(tx, o, err);
	*id = o->id;
	return rc;
}

static const char *const IMPORT_COLS[] = {
	"court", "case_number", "measure", "given_names", "surnames",
	"birth_date", "sex", "nationality", "document_number", "dui",
	"order_date", "effective_from", "effective_to", "document_reference",
	NULL};
static const char *const IMPORT_REQUIRED[] = {"court", "case_number", "measure",
					      "effective_from", NULL};

static const struct bulk_kind RESTRICTIONS_CSV = {
	.record = "restriction",
	.file = "restricciones",
	.columns = IMPORT_COLS,
	.required = IMPORT_REQUIRED,
	.row_size = sizeof(struct op),
	.prepare = import_prepare,
	.insert = import_insert,
	.export_sql = "SELECT id, status, court, case_number, measure, given_names, surnames, birth_date, sex,"
		      " nationality, document_number, dui, order_date, effective_from, effective_to, document_reference"
		      " FROM restrictions WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) ORDER BY id",
};

void api_restrictions_import(struct api_req *req, struct api_resp *resp);
void api_restrictions_import(struct api_req *req, struct api_resp *resp)
{
	bulk_import(req, resp, &RESTRICTIONS_CSV);
}

void api_restrictions_export(struct api_req *req, struct api_resp *resp);
void api_restrictions_export(struct api_req *req, struct api_resp *resp)
{
	bulk_export(req, resp, &RESTRICTIONS_CSV);
}

void api_restrictions_modify(struct api_req *req, struct api_resp *resp);
void api_restrictions_modify(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"court", "case_number", "measure",
					"subject", "order_date",
					"effective_from", "effective_to",
					"document_reference", "reason", NULL};
	struct op o = {.req = req, .action = "restriction.modify"};
	json_t *b;
	if (api_path_id(req, resp, "restriction_not_found", "restricción", &o.id) || !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "court", false, 200, &o.court) ||
	    api_get_str(resp, b, "case_number", false, 100, &o.case_number) ||
	    api_get_str(resp, b, "measure", false, 40, &o.measure) ||
	    measure_ok(resp, o.measure) ||
	    api_get_date(resp, b, "order_date", false, false, &o.order_date) ||
	    api_get_date(resp, b, "effective_from", false, false, &o.from) ||
	    api_get_date(resp, b, "effective_to", false, false, &o.to) ||
	    api_get_str(resp, b, "document_reference", false, 200, &o.docref) ||
	    api_get_str(resp, b, "reason", true, 500, &o.reason))
		return;
	o.to_given = json_object_get(b, "effective_to") != NULL;
	if (json_object_get(b, "subject")) {
		if (api_get_subject(req, resp, b, "subject", &o.subj))
			return;
		o.subj_given = true;
	}
	run(req, resp, modify_fn, &o, 200);
}

void api_restrictions_permit(struct api_req *req, struct api_resp *resp);
void api_restrictions_permit(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"from", "to", "destination",
					"authorization", NULL};
	struct op o = {.req = req, .action = "restriction.permit"};
	char dest[4];
	json_t *b;
	if (api_path_id(req, resp, "restriction_not_found", "restricción", &o.id) || !(b = api_body_object(req, resp, f)) ||
	    api_get_date(resp, b, "from", true, false, &o.p_from) ||
	    api_get_date(resp, b, "to", true, false, &o.p_to) ||
	    api_get_str(resp, b, "destination", true, 200, &o.dest) ||
	    api_place_code(req, resp, "destination", o.dest, dest) ||
	    api_get_str(resp, b, "authorization", true, 300, &o.auth))
		return;
	o.dest = dest;
	/* a permit lets the person leave El Salvador: its destination, which
	 * the booth compares with the route's country, is another country */
	if (!strcmp(dest, "SLV")) {
		api_error(resp, 422, "destination_is_origin", "destination",
			  "«destination»: el permiso es para salir de El Salvador; indique el país de destino");
		return;
	}
	if (strcmp(o.p_to, o.p_from) < 0) {
		api_error(resp, 422, "invalid_period", "to",
			  "el permiso termina antes de empezar");
		return;
	}
	run(req, resp, permit_fn, &o, 201);
}

void api_restrictions_lift(struct api_req *req, struct api_resp *resp);
void api_restrictions_lift(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"order_reference", NULL};
	struct op o = {.req = req, .action = "restriction.lift"};
	json_t *b;
	if (api_path_id(req, resp, "restriction_not_found", "restricción", &o.id) || !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "order_reference", true, 300, &o.order_ref))
		return;
	run(req, resp, lift_fn, &o, 200);
}

void api_restrictions_get(struct api_req *req, struct api_resp *resp);
void api_restrictions_get(struct api_req *req, struct api_resp *resp)
{
	int64_t id;
	struct sigm_error err;
	json_t *rec = NULL;
	if (api_path_id(req, resp, "restriction_not_found", "restricción", &id))
		return;
	if (load(NULL, req->ctx->store, id, &rec, &err)) {
		api_error_from(resp, &err);
		return;
	}
	struct store_rows *h = NULL;
	struct store_val v[] = {sv_int(id)};
	if (store_query(req->ctx->store, "SELECT version, at, actor, change, snapshot FROM restriction_versions WHERE restriction_id = $1 ORDER BY version",
			v, 1, &h, &err)) {
		json_decref(rec);
		api_error_from(resp, &err);
		return;
	}
	json_t *hist = json_array();
	for (int i = 0; i < store_rows_count(h); i++)
		json_array_append_new(
			hist, json_pack("{s:I, s:s, s:s, s:s, s:o}", "version",
					(json_int_t)store_rows_int(h, i, 0), "at",
					store_rows_text(h, i, 1), "user",
					store_rows_text(h, i, 2), "change",
					store_rows_text(h, i, 3), "record",
					json_loads(store_rows_text(h, i, 4), 0, NULL)));
	store_rows_free(&h);
	json_object_set_new(rec, "history", hist);
	api_audit(req, "restriction.read", "restriction", req->params[0], NULL);
	api_json(resp, 200, rec);
}

void api_restrictions_list(struct api_req *req, struct api_resp *resp);
void api_restrictions_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 50, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	const char *court = api_query(req, "court"), *cas = api_query(req, "case_number");
	const char *st = api_query(req, "status");
	const char *name = api_query(req, "name");
	/* the number by the one rule, as the records keep it (rules_docno_read:
	 * «ab 12-34» finds AB1234, as every other search), and a DUI however
	 * its dash was typed or stored: the 9 digits of «00016297-5» */
	char docbuf[API_DOCNO_BUF];
	const char *doc, *dui = NULL;
	if (api_query_docno(req, resp, "document_number", docbuf, &doc))
		return;
	if (doc && strlen(doc) == 9 && strspn(doc, "0123456789") == 9)
		dui = doc;
	/* Name search is a substring match on the stored names; the fuzzy,
	 * accent-folded search belongs to the screening index (hook: query it
	 * here and add its restriction ids when it exists). */
	char like[260] = "";
	if (name)
		snprintf(like, sizeof(like), "%%%s%%", name);
	struct store_val p[] = {sv_opt(court), sv_opt(cas), sv_opt(doc),
				sv_opt(st), sv_opt(like),
				sv_int(cursor > 0 ? cursor : INT64_MAX),
				sv_int(limit + 1), sv_opt(dui)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store,
			"SELECT " RESTR_COLS " FROM restrictions WHERE"
			" (CAST($1 AS TEXT) IS NULL OR court = $1) AND (CAST($2 AS TEXT) IS NULL OR case_number = $2)"
			" AND (CAST($3 AS TEXT) IS NULL OR document_number = $3 OR REPLACE(dui, '-', '') = $8)"
			" AND (CAST($4 AS TEXT) IS NULL OR status = $4)"
			" AND (CAST($5 AS TEXT) IS NULL OR (COALESCE(given_names, '') || ' ' || COALESCE(surnames, '')) LIKE $5)"
			" AND id < $6 ORDER BY id DESC LIMIT $7",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *items = json_array();
	int n = store_rows_count(r);
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, api_row_object(r, i, RESTR_INT_COLS));
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	json_t *crit = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "court", court,
				 "case_number", cas, "document_number", doc,
				 "status", st, "name", name);
	/* the restrictions shown are named (audit_api.h): each names a
	 * person with no person record, so its own trail answers who saw it */
	api_audit_list(req, "restriction.search", "restriction", r, 0,
		       n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

/* Attempts to leave under an active restriction, by court and case: what
 * the Secretaría General reports to the courts.  ?day=YYYY-MM-DD (or
 * ?date=) gives the daily report, ?from= and ?to= the attempts of those
 * days; ?court= and ?case_number= narrow it; ?limit= and ?offset= count
 * attempts; ?format=csv|pdf gives the report as a file (blocked_report.c),
 * and ?seen_through= (the files only) the attempts of the officer's list
 * alone (api_blocked_through).  An attempt is the day's of its first read
 * (api_blocked_read). */
void api_blocked_exits(struct api_req *req, struct api_resp *resp);
void api_blocked_exits(struct api_req *req, struct api_resp *resp)
{
	static const char *const ints[] = {"id", "inspection_id", "restriction_id",
					   "person_id", NULL};
	long long limit, offset, through;
	/* seen_through: the newest record of the list the officer read (0:
	 * it showed none), -1 when not asked */
	if (api_query_int(req, resp, "limit", 500, 1, 5000, &limit) ||
	    api_query_int(req, resp, "offset", 0, 0, 1000000, &offset) ||
	    api_query_int(req, resp, "seen_through", -1, 0, INT64_MAX, &through))
		return;
	const char *day = api_query(req, "day"), *court = api_query(req, "court");
	const char *cas = api_query(req, "case_number");
	const char *format = api_query(req, "format");
	const char *from = api_query(req, "from"), *to = api_query(req, "to");
	char today[11];
	if (!day)
		day = api_query(req, "date");
	if (day && !api_valid_date(day, false)) {
		api_error(resp, 400, "invalid_date", api_query(req, "day") ? "day" : "date",
			  "día inválido (AAAA-MM-DD)");
		return;
	}
	if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "pdf")) {
		api_error(resp, 400, "invalid_parameter", "format", "formato: json, csv o pdf");
		return;
	}
	/* a range of days: the list, not the daily report to the courts */
	const char *rf = from ? "from" : "to";
	if ((from || to) && (day || (format && strcmp(format, "json")))) {
		api_error(resp, 400, "invalid_parameter", rf,
			  day ? "«%s» con «date»: use uno u otro"
			      : "el informe (CSV o PDF) es de un día: use «date»", rf);
		return;
	}
	if ((from && !api_valid_date(from, false)) || (to && !api_valid_date(to, false))) {
		rf = from && !api_valid_date(from, false) ? "from" : "to";
		api_error(resp, 400, "invalid_date", rf, "«%s»: día inválido (AAAA-MM-DD)", rf);
		return;
	}
	if (from && to && strcmp(from, to) > 0) {
		api_error(resp, 400, "invalid_range", "to", "«to» es anterior a «from»");
		return;
	}
	/* the list is what is stored (the screen reads it to learn the value);
	 * a page cut after it would say a wrong next_offset */
	if (through >= 0 && (!format || !strcmp(format, "json"))) {
		api_error(resp, 400, "invalid_parameter", "seen_through",
			  "«seen_through» es del informe (CSV o PDF): use «format=csv» o «format=pdf»");
		return;
	}
	/* the daily report to the courts is of one day: today by default */
	if (format && strcmp(format, "json") && !day) {
		api_today(today);
		day = today;
	}
	/* the file sent to a court is the whole day: a page of it only when
	 * asked for (?limit=), never cut silently at the list's default */
	if (format && strcmp(format, "json") && !api_query(req, "limit"))
		limit = 0;
	struct api_blocked_ask q = {.from = day ? day : from, .to = day ? day : to, .court = court,
				    .cas = cas, .offset = offset, .limit = limit};
	struct api_blocked b;
	struct sigm_error err;
	if (api_blocked_read(req->ctx->store, NULL, &q, &b, &err)) {
		api_blocked_release(&b);
		api_error_from(resp, &err);
		return;
	}
	int left = through >= 0 ? api_blocked_through(&b, through) : 0;
	if (left < 0) {
		api_blocked_release(&b);
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	/* who read which attempts, in every format: the persons shown (each
	 * read's record) and the filters asked */
	int64_t *pids = calloc((size_t)b.n + 1, sizeof(*pids));
	json_t **attempt = calloc((size_t)b.n + 1, sizeof(*attempt));
	if (!pids || !attempt) {
		free(pids);
		free(attempt);
		api_blocked_release(&b);
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	size_t np = 0;
	for (int i = 0; i < b.n; i++)
		if (!store_rows_isnull(b.r, b.row[i], BLOCKED_C_PERSON))
			pids[np++] = store_rows_int(b.r, b.row[i], BLOCKED_C_PERSON);
	json_t *crit = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s}", "day", day, "from", from, "to", to,
				 "court", court, "case_number", cas, "format", format ? format : "json");
	if (crit && through >= 0)
		json_object_set_new(crit, "seen_through", json_integer(through));
	api_audit_ids(req, "blocked_exit.report", "person", pids, np, crit);
	json_decref(crit);
	free(pids);
	if (format && strcmp(format, "json")) {
		api_blocked_exits_report(req, resp, &b, day, format, through, left);
		free(attempt);
		api_blocked_release(&b);
		return;
	}
	/* grouped by court, then case; in a case, one attempt per person,
	 * restriction and post within the window of a repeat (a passport
	 * swiped twice is one attempt to leave, not two): the first read's
	 * fields, and its reads, first and last time, records and
	 * inspections beside them */
	json_t *courts = json_array(), *cur_court = NULL, *cur_case = NULL;
	const char *lc = NULL, *lk = NULL;
	for (int k = 0; k < b.n; k++) {
		int i = b.row[k];
		struct store_rows *r = b.r;
		const char *c = store_rows_text(r, i, BLOCKED_C_COURT), *ck = store_rows_text(r, i, BLOCKED_C_CASE);
		json_t *a = attempt[b.head[k]];
		if (a) { /* a repeat of the attempt at head[k] */
			json_t *reads = json_object_get(a, "reads");
			json_integer_set(reads, json_integer_value(reads) + 1);
			json_object_set_new(a, "last_at", json_string(store_rows_text(r, i, BLOCKED_C_AT)));
			json_array_append_new(json_object_get(a, "ids"), json_integer(store_rows_int(r, i, BLOCKED_C_ID)));
			json_array_append_new(json_object_get(a, "inspection_ids"),
					      json_integer(store_rows_int(r, i, BLOCKED_C_INSP)));
			/* the traveler's records read (linked as one person) */
			json_t *ps = json_object_get(a, "person_ids");
			json_int_t pid = store_rows_int(r, i, BLOCKED_C_PERSON);
			bool seen = store_rows_isnull(r, i, BLOCKED_C_PERSON);
			for (size_t x = 0; x < json_array_size(ps) && !seen; x++)
				seen = json_integer_value(json_array_get(ps, x)) == pid;
			if (!seen)
				json_array_append_new(ps, json_integer(pid));
			/* an attempt told once is told: informed at its first
			 * informing; a read that joined it after (a retry, the
			 * 00:01 read of a day informed at 23:59:30) is counted
			 * apart, not made news again (blocked_report.c) */
			if (!store_rows_isnull(r, i, BLOCKED_C_INFORMED)) {
				const char *was = json_string_value(json_object_get(a, "informed_at"));
				const char *now = store_rows_text(r, i, BLOCKED_C_INFORMED);
				json_t *told = json_object_get(a, "informed_reads");
				json_integer_set(told, json_integer_value(told) + 1);
				if (!was || strcmp(now, was) < 0)
					json_object_set_new(a, "informed_at", json_string(now));
			}
			continue;
		}
		if (!lc || strcmp(lc, c)) {
			cur_court = json_pack("{s:s, s:[]}", "court", c, "cases");
			json_array_append_new(courts, cur_court);
			lc = c;
			lk = NULL;
		}
		if (!lk || strcmp(lk, ck)) {
			cur_case = json_pack("{s:s, s:I, s:[]}", "case_number", ck,
					     "restriction_id", (json_int_t)store_rows_int(r, i, BLOCKED_C_RESTR),
					     "attempts");
			json_array_append_new(json_object_get(cur_court, "cases"), cur_case);
			lk = ck;
		}
		a = api_row_object(r, i, ints);
		json_object_del(a, "traveler"); /* the grouping's, not the client's */
		json_object_set_new(a, "reads", json_integer(1));
		json_object_set_new(a, "informed_reads", json_integer(!store_rows_isnull(r, i, BLOCKED_C_INFORMED)));
		json_object_set_new(a, "first_at", json_string(store_rows_text(r, i, BLOCKED_C_AT)));
		json_object_set_new(a, "last_at", json_string(store_rows_text(r, i, BLOCKED_C_AT)));
		json_object_set_new(a, "ids", json_pack("[I]", (json_int_t)store_rows_int(r, i, BLOCKED_C_ID)));
		json_object_set_new(a, "inspection_ids", json_pack("[I]", (json_int_t)store_rows_int(r, i, BLOCKED_C_INSP)));
		json_object_set_new(a, "person_ids", store_rows_isnull(r, i, BLOCKED_C_PERSON) ? json_array()
						      : json_pack("[I]", (json_int_t)store_rows_int(r, i, BLOCKED_C_PERSON)));
		attempt[k] = a;
		json_array_append_new(json_object_get(cur_case, "attempts"), a);
	}
	int attempts = b.attempts, reads = b.n;
	bool more = b.more;
	free(attempt);
	api_blocked_release(&b);
	/* a day's list: its reads of the day before's attempts told, still
	 * unmarked, are marked from the day before's screen, and nothing
	 * above shows them */
	json_t *later = NULL;
	if (day && api_blocked_later_prev(req->ctx->store, day, court, cas, &later, &err)) {
		json_decref(courts);
		api_error_from(resp, &err);
		return;
	}
	/* total: the attempts, as the screen and the PDF say them; reads: the
	 * records (each refused read of the document) of those attempts;
	 * next_offset: where the next page of attempts begins, null at the
	 * last */
	json_t *j = json_pack("{s:s?, s:i, s:i, s:o, s:o}", "day", day, "total", attempts,
			      "reads", reads, "courts", courts, "next_offset",
			      more ? json_integer(offset + attempts) : json_null());
	if (j && later)
		json_object_set_new(j, "later_reads_of_previous_day", later);
	else
		json_decref(later);
	api_json(resp, 200, j);
}
