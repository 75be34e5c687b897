/*
 * referrals_api.c - the cases Control Migratorio refers to the Dirección
 * de Atención al Migrante at a post (border_api.c, resolve): a possible
 * asylum seeker, a victim of trafficking, an unaccompanied child, a
 * returnee.  Its staff list them, mark them received when they take the
 * person in charge, and close them with the outcome (manual, Atención al
 * Migrante 5-7, 14, 15, 18).  A referral is never deleted.
 *
 * Errors as every handler: a 4xx naming the field.  Personal data: every
 * read and change is audited.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "core/rules.h"
#include "store/audit.h"

#include <string.h>

void api_referrals_list(struct api_req *req, struct api_resp *resp);
void api_referrals_list(struct api_req *req, struct api_resp *resp)
{
	static const char *const ints[] = {"id", "inspection_id", "person_id", NULL};
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 100, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	const char *status = api_query(req, "status");
	const char *port = api_query(req, "port");
	if (!status)
		status = "open";
	if (strcmp(status, "open") && strcmp(status, "received") && strcmp(status, "closed")) {
		api_error(resp, 400, "invalid_value", "status", "estado: open, received o closed");
		return;
	}
	/* a post that is none found no referral: an empty list, as if
	 * there were none to attend */
	const struct rules_port *pt;
	if (api_query_port(req, resp, &pt))
		return;
	struct store_val p[] = {sv_text(status), sv_opt(pt ? pt->code : NULL),
				sv_int(cursor > 0 ? cursor : INT64_MAX), sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store,
			"SELECT f.id, f.inspection_id, f.person_id, f.port, f.direction, f.motive, f.notes, f.status,"
			" f.created_at, f.created_by, f.received_at, f.received_by, f.outcome, f.closed_at, f.closed_by,"
			" p.given_names, p.surnames, p.birth_date, p.sex, p.nationality, d.number AS document_number, d.issuing_state,"
			/* the staff said by their names, as the day's list says its
			 * officers (the page read «Remitida por super1») */
			" " API_STAFF_NAME("f.created_by") " AS created_by_name,"
			" " API_STAFF_NAME("f.received_by") " AS received_by_name,"
			" " API_STAFF_NAME("f.closed_by") " AS closed_by_name"
			" FROM referrals f JOIN inspections i ON i.id = f.inspection_id"
			" LEFT JOIN persons p ON p.id = f.person_id LEFT JOIN documents d ON d.id = i.document_id"
			" WHERE f.status = $1 AND (CAST($2 AS TEXT) IS NULL OR f.port = $2) AND f.id < $3"
			" ORDER BY f.id DESC LIMIT $4",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *page = api_page(r, limit, ints);
	int n = store_rows_count(r);
	json_t *crit = json_pack("{s:s, s:s?}", "status", status, "port", port);
	api_audit_list(req, "referral.list", "person", r, 2, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	api_json(resp, 200, page);
}

struct referral_status {
	struct api_req *req;
	int64_t id;
	const char *status, *outcome;
};

static int status_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct referral_status *o = arg;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->id)};
	int rc = store_tx_query(tx, "SELECT status, person_id FROM referrals WHERE id = $1", k, 1, &r, err);
	if (rc)
		return rc;
	char from[16] = "";
	/* whose case: the entry names the person (their audit trail) */
	json_t *who = json_null();
	if (store_rows_count(r)) {
		snprintf(from, sizeof(from), "%s", store_rows_text(r, 0, 0));
		if (!store_rows_isnull(r, 0, 1))
			who = json_integer(store_rows_int(r, 0, 1));
	}
	/* open → received → closed; an open case may be closed at once
	 * (the person left, or another institution took the case) */
	if (!from[0])
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id", "la remisión no existe");
	else if (!strcmp(from, "closed"))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "referral_closed", "id",
				    "la remisión ya está cerrada");
	else if (!strcmp(o->status, "received") && strcmp(from, "open"))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "already_received", "status",
				    "la remisión ya fue recibida");
	store_rows_free(&r);
	if (rc) {
		json_decref(who);
		return rc;
	}
	char now[40];
	store_now_iso(now, sizeof(now));
	if (!strcmp(o->status, "received")) {
		struct store_val p[] = {sv_int(o->id), sv_text(now), sv_text(o->req->actor)};
		rc = store_tx_exec(tx, "UPDATE referrals SET status = 'received', received_at = $2, received_by = $3 WHERE id = $1",
				   p, SV_N(p), NULL, err);
	} else {
		struct store_val p[] = {sv_int(o->id), sv_text(now), sv_text(o->req->actor),
					sv_text(o->outcome)};
		rc = store_tx_exec(tx, "UPDATE referrals SET status = 'closed', closed_at = $2, closed_by = $3, outcome = $4 WHERE id = $1",
				   p, SV_N(p), NULL, err);
	}
	if (rc) {
		json_decref(who);
		return rc;
	}
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)o->id);
	json_t *d = json_pack("{s:s, s:s, s:s?, s:o}", "from", from, "status", o->status, "outcome", o->outcome,
			      "person_id", who);
	return api_audit_tx(tx, o->req, "referral.status", "referral", rid, d, err);
}

void api_referrals_status(struct api_req *req, struct api_resp *resp);
void api_referrals_status(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"status", "outcome", NULL};
	struct referral_status o = {.req = req};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "remisión", &o.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "status", true, 20, &o.status) ||
	    api_get_str(resp, b, "outcome", false, 2000, &o.outcome))
		return;
	if (strcmp(o.status, "received") && strcmp(o.status, "closed")) {
		api_error(resp, 422, "invalid_value", "status", "estado: received o closed");
		return;
	}
	/* what became of the person: sheltered at the CAIM, handed to the
	 * CONNA, a refugee application filed… */
	if (!strcmp(o.status, "closed") && !o.outcome) {
		api_error(resp, 422, "missing_field", "outcome",
			  "indique el resultado de la atención para cerrar la remisión");
		return;
	}
	if (!strcmp(o.status, "received") && o.outcome) {
		api_error(resp, 422, "invalid_value", "outcome",
			  "el resultado se indica al cerrar la remisión");
		return;
	}
	struct sigm_error err;
	if (store_write(req->ctx->store, status_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:I, s:s}", "id", (json_int_t)o.id, "status", o.status));
}
