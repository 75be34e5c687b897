/*
 * alerts_api.c - migration alerts (Control Migratorio: "registro,
 * procesamiento y respaldo de alertas migratorias") and the registry of lost
 * and stolen travel documents.  Both feed the screening index: after each
 * committed change the index is told (ctx->on_record_change).  Expired
 * alerts stop matching by themselves: validity is checked at query time,
 * not by a job that might not run.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "core/mrz.h"
#include "core/rules.h"
#include "api/bulk.h"
#include "store/audit.h"

#include <stdlib.h>
#include <string.h>

static const char *const CATEGORIES[] = {
	"interpol_notice", "arrest_warrant", "missing_person", "missing_child",
	"trafficking_victim", "reentry_ban", "other", NULL};
static const char *const DOC_TYPES[] = {"passport", "id_card", "residence_card",
					"visa", "other", NULL};
static const char *const LS_REASONS[] = {"lost", "stolen", "invalidated",
					 NULL};
static const char *const INT_COLS[] = {"id", NULL};

static bool one_of(const char *v, const char *const *set)
{
	for (const char *const *k = set; *k; k++)
		if (!strcmp(*k, v))
			return true;
	return false;
}

static int enum_field(struct api_resp *resp, json_t *b, const char *field,
		      bool required, const char *const *set, const char **out)
{
	if (api_get_str(resp, b, field, required, 40, out))
		return -1;
	if (*out && !one_of(*out, set)) {
		char list[300] = "";
		for (const char *const *k = set; *k; k++) {
			strncat(list, *k, sizeof(list) - strlen(list) - 3);
			if (k[1])
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		}
		api_error(resp, 422, "invalid_value", field,
			  "«%s» no es válido para %s (use: %s)", *out, field, list);
		return -1;
	}
	return 0;
}

/* ---- a generic "insert or update + audit" write ---- */

struct wr {
	const char *sql;
	struct store_val p[20];
	int n;
	int returning; /* the statement returns the id */
	int64_t id;
	int must_change;
	struct audit_entry audit;
	const char *rtype;
	char rid[24];
	const char *conflict_code, *conflict_msg, *conflict_field;
};

static int wr_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct wr *w = arg;
	int rc;
	if (w->returning) {
		rc = store_tx_query_int(tx, w->sql, w->p, w->n, &w->id, err);
	} else {
		int64_t changes = 0;
		rc = store_tx_exec(tx, w->sql, w->p, w->n, &changes, err);
		if (rc == 0 && w->must_change && changes == 0)
			rc = sigm_error_set(err, SIGM_ECONFLICT, w->conflict_code,
					    "id", "%s", w->conflict_msg);
	}
	if (rc == SIGM_ECONFLICT && w->returning && w->conflict_code)
		return sigm_error_set(err, SIGM_ECONFLICT, w->conflict_code,
				      w->conflict_field, "%s", w->conflict_msg);
	if (rc)
		return rc;
	snprintf(w->rid, sizeof(w->rid), "%lld", (long long)w->id);
	w->audit.record_id = w->rid;
	return audit_append(tx, &w->audit, err);
}

static void answer(struct api_req *req, struct api_resp *resp,
		   const char *kind, const char *table, int64_t id, int status)
{
	char sql[200];
	struct store_rows *r = NULL;
	struct sigm_error err;
	struct store_val v[] = {sv_int(id)};
	snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE id = $1", table);
	if (store_query(req->ctx->store, sql, v, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		api_error(resp, 404, "not_found", "id", "registro inexistente: %lld",
			  (long long)id);
		return;
	}
	json_t *o = api_row_object(r, 0, INT_COLS);
	store_rows_free(&r);
	(void)kind;
	api_json(resp, status, o);
}

static int do_write(struct api_req *req, struct api_resp *resp, struct wr *w,
		    const char *kind)
{
	struct sigm_error err;
	if (store_write(req->ctx->store, wr_fn, w, &err)) {
		api_error_from(resp, &err);
		return -1;
	}
	if (req->ctx->on_record_change)
		req->ctx->on_record_change(req->ctx, kind, w->id);
	return 0;
}

/* ---- alerts ---- */

/* A new alert's write, with the buffers its parameters point into. */
struct alert_row {
	struct wr w;
	char today[11], now[40];
};

/* The body of a new alert (POST, and each row of an import). */
static int alert_parse(struct api_req *req, struct api_resp *resp, json_t *b,
		       struct alert_row *ar)
{
	const char *cat, *unit, *from, *until, *ban, *instr, *ref;
	struct api_subject s;
	if (enum_field(resp, b, "category", true, CATEGORIES, &cat) ||
	    api_get_str(resp, b, "issuing_unit", false, 15, &unit) ||
	    api_get_subject(req, resp, b, "subject", &s) ||
	    api_get_date(resp, b, "valid_from", false, false, &from) ||
	    api_get_date(resp, b, "valid_until", false, false, &until) ||
	    api_get_date(resp, b, "reentry_ban_until", false, false, &ban) ||
	    api_get_str(resp, b, "instructions", true, 2000, &instr) ||
	    api_get_str(resp, b, "reference", false, 200, &ref))
		return -1;
	api_today(ar->today);
	if (!from)
		from = ar->today;
	if (!unit)
		unit = req->who->unit;
	if (!api_org_has_unit(req->ctx, unit)) {
		api_error(resp, 422, "unknown_unit", "issuing_unit",
			  "no existe la unidad «%s»", unit);
		return -1;
	}
	if (until && strcmp(until, from) < 0) {
		api_error(resp, 422, "invalid_period", "valid_until",
			  "la alerta vence antes de empezar");
		return -1;
	}
	if (!strcmp(cat, "reentry_ban") && !ban) {
		api_error(resp, 422, "missing_field", "reentry_ban_until",
			  "una prohibición de reingreso requiere la fecha «reentry_ban_until»");
		return -1;
	}
	store_now_iso(ar->now, sizeof(ar->now));
	ar->w = (struct wr){
		.sql = "INSERT INTO alerts (category, issuing_unit, given_names, surnames, birth_date, sex, nationality, document_number, valid_from, valid_until, reentry_ban_until, instructions, reference, created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14) RETURNING id",
		.p = {sv_text(cat), sv_text(unit), sv_text(s.given_names),
		      sv_text(s.surnames), sv_text(s.birth_date), sv_text(s.sex),
		      sv_text(s.nationality), sv_text(s.document_number),
		      sv_text(from), sv_text(until), sv_text(ban),
		      sv_text(instr), sv_text(ref), sv_text(ar->now),
		      sv_text(req->actor)},
		.n = 15,
		.returning = 1};
	api_audit_entry(req, &ar->w.audit, "alert.create", "alert", NULL, NULL);
	return 0;
}

void api_alerts_create(struct api_req *req, struct api_resp *resp);
void api_alerts_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"category",	  "issuing_unit",
					"subject",	  "valid_from",
					"valid_until",	  "reentry_ban_until",
					"instructions",	  "reference", NULL};
	struct alert_row ar;
	json_t *b = api_body_object(req, resp, f);
	if (!b || alert_parse(req, resp, b, &ar))
		return;
	if (do_write(req, resp, &ar.w, "alert"))
		return;
	answer(req, resp, "alert", "alerts", ar.w.id, 201);
}

void api_alerts_cancel(struct api_req *req, struct api_resp *resp);
void api_alerts_cancel(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"reason", NULL};
	const char *reason;
	int64_t id;
	json_t *b;
	if (api_path_id(req, resp, "not_found", "alerta", &id) || !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "reason", true, 500, &reason))
		return;
	/* The manual gives each unit the alerts it issues (Control
	 * Migratorio 39): another unit's alert is cancelled by that unit. */
	struct store_rows *u = NULL;
	struct sigm_error qerr;
	struct store_val uv[] = {sv_int(id)};
	if (store_query(req->ctx->store, "SELECT issuing_unit FROM alerts WHERE id = $1",
			uv, 1, &u, &qerr)) {
		api_error_from(resp, &qerr);
		return;
	}
	const char *unit = store_rows_count(u) ? store_rows_text(u, 0, 0) : NULL;
	if (unit && strcmp(unit, req->who->unit) != 0) {
		api_error(resp, 403, "other_unit", "id",
			  "la alerta la emitió la unidad %s; solo esa unidad puede cancelarla",
			  unit);
		store_rows_free(&u);
		return;
	}
	store_rows_free(&u);
	char now[40];
	store_now_iso(now, sizeof(now));
	struct wr w = {
		.sql = "UPDATE alerts SET status = 'cancelled', cancel_reason = $2, updated_at = $3 WHERE id = $1 AND status = 'active'",
		.p = {sv_int(id), sv_text(reason), sv_text(now)},
		.n = 3,
		.id = id,
		.must_change = 1,
		.conflict_code = "not_active",
		.conflict_msg = "la alerta no existe o ya no está activa"};
	api_audit_entry(req, &w.audit, "alert.cancel", "alert", NULL, NULL);
	if (do_write(req, resp, &w, "alert"))
		return;
	answer(req, resp, "alert", "alerts", id, 200);
}

/* One record by the number in its path, its read audited as KIND.read. */
static void read_one(struct api_req *req, struct api_resp *resp, const char *said,
		     const char *kind, const char *table)
{
	int64_t id;
	if (api_path_id(req, resp, "not_found", said, &id))
		return;
	answer(req, resp, kind, table, id, 200);
	char action[48];
	snprintf(action, sizeof(action), "%s.read", kind);
	if (resp->status == 200)
		api_audit(req, action, kind, req->params[0], NULL);
}

void api_alerts_get(struct api_req *req, struct api_resp *resp);
void api_alerts_get(struct api_req *req, struct api_resp *resp)
{
	read_one(req, resp, "alerta", "alert", "alerts");
}

/* One report, as a match or the booth names it (lost_stolen:N): the
 * screening page's link to it led to the register's search, empty. */
void api_lost_stolen_get(struct api_req *req, struct api_resp *resp);
void api_lost_stolen_get(struct api_req *req, struct api_resp *resp)
{
	read_one(req, resp, "reporte", "lost_stolen", "lost_stolen");
}

void api_alerts_list(struct api_req *req, struct api_resp *resp);
void api_alerts_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 50, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	const char *cat = api_query(req, "category"), *st = api_query(req, "status");
	const char *doc, *name = api_query(req, "name");
	/* looked for as api_get_subject keeps it: «ab 123-456» is AB123456,
	 * and "a" is no number (a 200 of nothing said it was nobody's) */
	char up[API_DOCNO_BUF];
	if (api_query_docno(req, resp, "document_number", up, &doc))
		return;
	char like[260] = "";
	if (name)
		snprintf(like, sizeof(like), "%%%s%%", name);
	struct store_val p[] = {sv_opt(cat), sv_opt(st), sv_opt(doc), sv_opt(like),
				sv_int(cursor > 0 ? cursor : INT64_MAX),
				sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store,
			"SELECT * FROM alerts WHERE (CAST($1 AS TEXT) IS NULL OR category = $1)"
			" AND (CAST($2 AS TEXT) IS NULL OR status = $2) AND (CAST($3 AS TEXT) IS NULL OR document_number = $3)"
			" AND (CAST($4 AS TEXT) IS NULL OR (COALESCE(given_names, '') || ' ' || COALESCE(surnames, '')) LIKE $4)"
			" AND id < $5 ORDER BY id DESC LIMIT $6",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *items = json_array();
	int n = store_rows_count(r);
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, api_row_object(r, i, INT_COLS));
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	/* the alerts shown are named (audit_api.h): the trail of each
	 * answers who saw it in a list */
	json_t *crit = json_pack("{s:s?, s:s?, s:s?, s:s?}", "category", cat, "status", st,
				 "document_number", doc, "name", name);
	api_audit_list(req, "alert.search", "alert", r, 0, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

/* ---- lost and stolen documents ---- */

struct ls_row {
	struct wr w;
	char today[11], now[40];
};

/* The body of a new lost/stolen report (POST, and each imported row). */
static int ls_parse(struct api_req *req, struct api_resp *resp, json_t *b,
		    struct ls_row *lr)
{
	const char *num, *type, *state, *reason, *on, *source;
	/* «usa» was stored so, and the booth, which compares USA, never
	 * found the passport */
	bool state_ok = api_country_field(b, "issuing_state");
	/* the number as the booth keeps it (inspections_api.c): «ab
	 * 123-456» reported was a 400, and a number stored otherwise than
	 * AB123456 is never found by the booth scanning that passport */
	if (api_get_docno(resp, b, "document_number", "document_number", true, &num) ||
	    enum_field(resp, b, "document_type", true, DOC_TYPES, &type) ||
	    api_get_str(resp, b, "issuing_state", true, 3, &state) ||
	    enum_field(resp, b, "reason", true, LS_REASONS, &reason) ||
	    api_get_date(resp, b, "reported_on", false, false, &on) ||
	    api_get_str(resp, b, "source", false, 200, &source))
		return -1;
	if (!state_ok) {
		api_error(resp, 400, "invalid_issuing_state", "issuing_state",
			  "Estado emisor: código de tres letras (p. ej. SLV)");
		return -1;
	}
	struct api_subject h = {0};
	if (json_object_get(b, "holder")) {
		json_t *hj = json_object_get(b, "holder");
		/* a holder without identifying data is allowed here: the
		 * document number identifies the record */
		const char *g = NULL, *sn = NULL;
		const char *bd = json_string_value(json_object_get(hj, "birth_date"));
		/* the holder's names as a registry subject's (200 characters,
		 * strings): a 3000-letter surname was taken, and the record
		 * then left out of the screening index, its number no longer
		 * found by POST /api/v1/screen; a number as a name was dropped
		 * without a word */
		if (json_is_object(hj) &&
		    api_in(resp, "holder", api_get_str(resp, hj, "given_names", false, 200, &g) ||
					   api_get_str(resp, hj, "surnames", false, 200, &sn)))
			return -1;
		if (!json_is_object(hj) || (bd && !api_valid_date(bd, true))) {
			api_error(resp, 400, "invalid_holder",
				  bd && !api_valid_date(bd, true) ? "holder.birth_date" : "holder",
				  "«holder» debe ser un objeto {given_names, surnames, birth_date}");
			return -1;
		}
		h.given_names = g;
		h.surnames = sn;
		h.birth_date = bd;
	}
	api_today(lr->today);
	store_now_iso(lr->now, sizeof(lr->now));
	lr->w = (struct wr){
		.sql = "INSERT INTO lost_stolen (document_number, document_type, issuing_state, reason, reported_on, holder_given_names, holder_surnames, holder_birth_date, source, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
		.p = {sv_text(num), sv_text(type), sv_text(state), sv_text(reason),
		      sv_text(on ? on : lr->today), sv_text(h.given_names),
		      sv_text(h.surnames), sv_text(h.birth_date),
		      sv_text(source ? source : "DGME"), sv_text(lr->now),
		      sv_text(req->actor)},
		.n = 11,
		.returning = 1,
		.conflict_code = "already_reported",
		.conflict_field = "document_number",
		.conflict_msg = "ese documento ya figura como extraviado o robado"};
	api_audit_entry(req, &lr->w.audit, "lost_stolen.create", "lost_stolen",
			NULL, NULL);
	return 0;
}

void api_lost_stolen_create(struct api_req *req, struct api_resp *resp);
void api_lost_stolen_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"document_number", "document_type",
					"issuing_state",   "reason",
					"reported_on",	   "holder",
					"source",	   NULL};
	struct ls_row lr;
	json_t *b = api_body_object(req, resp, f);
	if (!b || ls_parse(req, resp, b, &lr))
		return;
	if (do_write(req, resp, &lr.w, "lost_stolen"))
		return;
	answer(req, resp, "lost_stolen", "lost_stolen", lr.w.id, 201);
}

void api_lost_stolen_recover(struct api_req *req, struct api_resp *resp);
void api_lost_stolen_recover(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"reason", NULL};
	const char *reason;
	int64_t id;
	json_t *b;
	if (api_path_id(req, resp, "not_found", "registro", &id) || !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "reason", true, 500, &reason))
		return;
	struct wr w = {
		.sql = "UPDATE lost_stolen SET status = 'recovered' WHERE id = $1 AND status = 'active'",
		.p = {sv_int(id)},
		.n = 1,
		.id = id,
		.must_change = 1,
		.conflict_code = "not_active",
		.conflict_msg = "el registro no existe o ya no está activo"};
	json_t *d = json_pack("{s:s}", "reason", reason);
	char *ds = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	api_audit_entry(req, &w.audit, "lost_stolen.recover", "lost_stolen",
			NULL, ds);
	int rc = do_write(req, resp, &w, "lost_stolen");
	free(ds);
	if (rc)
		return;
	answer(req, resp, "lost_stolen", "lost_stolen", id, 200);
}

void api_lost_stolen_list(struct api_req *req, struct api_resp *resp);
void api_lost_stolen_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 50, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	const char *num;
	const char *st = api_query(req, "status");
	/* looked for as it is kept (ls_parse, by the one rule): «ab
	 * 123-456» is AB123456 */
	char up[API_DOCNO_BUF];
	if (api_query_docno(req, resp, "document_number", up, &num))
		return;
	struct store_val p[] = {sv_opt(num), sv_opt(st),
				sv_int(cursor > 0 ? cursor : INT64_MAX),
				sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store,
			"SELECT * FROM lost_stolen WHERE (CAST($1 AS TEXT) IS NULL OR document_number = $1)"
			" AND (CAST($2 AS TEXT) IS NULL OR status = $2) AND id < $3 ORDER BY id DESC LIMIT $4",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *items = json_array();
	int n = store_rows_count(r);
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, api_row_object(r, i, INT_COLS));
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	/* a report names its holder (names, birth date): the reports shown
	 * are named as the alerts are */
	json_t *crit = json_pack("{s:s?, s:s?}", "document_number", num, "status", st);
	api_audit_list(req, "lost_stolen.search", "lost_stolen", r, 0, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

/* ---- CSV import and export (bulk.h) ---- */

static const char *const ALERT_SUBJECT_COLS[] = {"given_names", "surnames",
						 "birth_date", "sex",
						 "nationality", "document_number",
						 NULL};

static int alert_import_prepare(struct api_req *req, json_t *row, void *prep,
				json_t *hold, struct api_resp *resp)
{
	json_t *b = bulk_body(row, "subject", ALERT_SUBJECT_COLS, NULL, hold);
	if (!json_object_get(b, "subject"))
		json_object_set_new(b, "subject", json_object());
	if (alert_parse(req, resp, b, prep)) {
		bulk_error_field(resp, "subject", "given_names/surnames/document_number");
		return -1;
	}
	return 0;
}

static int row_insert(struct store_tx *tx, struct api_req *req, void *prep,
		      int64_t *id, struct sigm_error *err)
{
	struct wr *w = prep; /* first member of alert_row and ls_row */
	(void)req;
	int rc = wr_fn(tx, w, err);
	*id = w->id;
	return rc;
}

static const char *const ALERT_COLS[] = {
	"category", "issuing_unit", "given_names", "surnames", "birth_date",
	"sex", "nationality", "document_number", "valid_from", "valid_until",
	"reentry_ban_until", "instructions", "reference", NULL};
static const char *const ALERT_REQUIRED[] = {"category", "instructions", NULL};

static const struct bulk_kind ALERTS_CSV = {
	.record = "alert",
	.file = "alertas",
	.columns = ALERT_COLS,
	.required = ALERT_REQUIRED,
	.row_size = sizeof(struct alert_row),
	.prepare = alert_import_prepare,
	.insert = row_insert,
	.export_sql = "SELECT id, status, category, issuing_unit, given_names, surnames, birth_date, sex, nationality,"
		      " document_number, valid_from, valid_until, reentry_ban_until, instructions, reference"
		      " FROM alerts WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) ORDER BY id",
};

void api_alerts_import(struct api_req *req, struct api_resp *resp);
void api_alerts_import(struct api_req *req, struct api_resp *resp)
{
	bulk_import(req, resp, &ALERTS_CSV);
}

void api_alerts_export(struct api_req *req, struct api_resp *resp);
void api_alerts_export(struct api_req *req, struct api_resp *resp)
{
	bulk_export(req, resp, &ALERTS_CSV);
}

static int ls_import_prepare(struct api_req *req, json_t *row, void *prep,
			     json_t *hold, struct api_resp *resp)
{
	static const char *const cols[] = {"holder_given_names", "holder_surnames",
					   "holder_birth_date", NULL};
	static const char *const names[] = {"given_names", "surnames", "birth_date"};
	return ls_parse(req, resp, bulk_body(row, "holder", cols, names, hold), prep);
}

/* Duplicates are looked for first: a failed INSERT would abort the whole
 * transaction on PostgreSQL, and every duplicate row must be reported. */
static int ls_import_insert(struct store_tx *tx, struct api_req *req,
			    void *prep, int64_t *id, struct sigm_error *err)
{
	struct ls_row *lr = prep;
	struct store_val v[] = {lr->w.p[0], lr->w.p[2]};
	struct store_rows *r = NULL;
	int rc = store_tx_query(tx, "SELECT id FROM lost_stolen WHERE status = 'active' AND document_number = $1 AND issuing_state = $2",
				v, 2, &r, err);
	if (rc)
		return rc;
	int dup = store_rows_count(r);
	store_rows_free(&r);
	if (dup)
		return sigm_error_set(err, SIGM_ECONFLICT, "already_reported",
				      "document_number",
				      "%s %s ya figura como extraviado o robado (en la base o más arriba en el archivo)",
				      lr->w.p[2].s, lr->w.p[0].s);
	return row_insert(tx, req, prep, id, err);
}

static const char *const LS_COLS[] = {
	"document_number", "document_type", "issuing_state", "reason",
	"reported_on", "holder_given_names", "holder_surnames",
	"holder_birth_date", "source", NULL};
static const char *const LS_REQUIRED[] = {"document_number", "document_type",
					  "issuing_state", "reason", NULL};

static const struct bulk_kind LOST_STOLEN_CSV = {
	.record = "lost_stolen",
	.file = "documentos-extraviados",
	.columns = LS_COLS,
	.required = LS_REQUIRED,
	.row_size = sizeof(struct ls_row),
	.prepare = ls_import_prepare,
	.insert = ls_import_insert,
	.export_sql = "SELECT id, status, document_number, document_type, issuing_state, reason, reported_on,"
		      " holder_given_names, holder_surnames, holder_birth_date, source"
		      " FROM lost_stolen WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) ORDER BY id",
};

void api_lost_stolen_import(struct api_req *req, struct api_resp *resp);
void api_lost_stolen_import(struct api_req *req, struct api_resp *resp)
{
	bulk_import(req, resp, &LOST_STOLEN_CSV);
}

void api_lost_stolen_export(struct api_req *req, struct api_resp *resp);
void api_lost_stolen_export(struct api_req *req, struct api_resp *resp)
{
	bulk_export(req, resp, &LOST_STOLEN_CSV);
}
