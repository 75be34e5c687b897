/*
 * corrections_api.c - an officer's request to void a movement recorded
 * wrong, and a supervisor's answer (docs/border-rules.md, «Corrections of
 * the ledger»).  The voiding itself is border_api.c's
 * api_movement_void_tx, the same compensating entry a supervisor records
 * directly; here it waits for a second person.  Errors as api.h says:
 * 4xx with the field and a Spanish message.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "store/audit.h"

#include <stdio.h>
#include <string.h>

static const char *const INTS[] = {"id", "movement_id", "correction_movement_id",
				   "person_id", NULL};

struct request {
	struct api_req *req;
	int64_t movement, id, new_id;
	const char *reason, *note;
	bool approve;
	json_t *reopened; /* approved: the cases back in the queue */
};

static int request_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct request *o = arg;
	struct store_rows *r = NULL;
	struct store_val v[] = {sv_int(o->movement)};
	int rc = store_tx_query(tx,
				"SELECT m.corrects_movement_id, (SELECT COUNT(*) FROM movements x WHERE x.corrects_movement_id = m.id),"
				" (SELECT min(q.id) FROM correction_requests q WHERE q.movement_id = m.id AND q.status = 'pending'), m.person_id"
				" FROM movements m WHERE m.id = $1",
				v, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0)
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "movement_not_found", "id",
				    "movimiento inexistente");
	else if (!store_rows_isnull(r, 0, 0) || store_rows_int(r, 0, 1) > 0)
		rc = sigm_error_set(err, SIGM_ECONFLICT, "already_corrected", "id",
				    "el movimiento ya fue anulado o es una anulación");
	else if (!store_rows_isnull(r, 0, 2))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "request_pending", "id",
				    "ya hay una solicitud de anulación pendiente de este movimiento (n.º %lld)",
				    (long long)store_rows_int(r, 0, 2));
	int64_t person = rc ? 0 : store_rows_int(r, 0, 3);
	store_rows_free(&r);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(o->movement), sv_text(o->reason),
				sv_text(o->req->actor), sv_text(now)};
	rc = store_tx_query_int(tx,
		"INSERT INTO correction_requests (movement_id, reason, requested_by, requested_at, status)"
		" VALUES ($1, $2, $3, $4, 'pending') RETURNING id",
		p, SV_N(p), &o->id, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)person);
	json_t *d = json_pack("{s:I, s:I, s:s}", "request", (json_int_t)o->id,
			      "movement", (json_int_t)o->movement, "reason", o->reason);
	return api_audit_tx(tx, o->req, "movement.correction_request", "person", rid, d, err);
}

void api_correction_requests_create(struct api_req *req, struct api_resp *resp);
void api_correction_requests_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"reason", NULL};
	struct request o = {.req = req};
	json_t *b;
	if (api_path_id(req, resp, "movement_not_found", "movimiento", &o.movement) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "reason", true, 1000, &o.reason))
		return;
	struct sigm_error err;
	if (store_write(req->ctx->store, request_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 201, json_pack("{s:I, s:I, s:s}", "id", (json_int_t)o.id,
				      "movement_id", (json_int_t)o.movement, "status", "pending"));
}

static int decide_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct request *o = arg;
	struct store_rows *r = NULL;
	struct store_val v[] = {sv_int(o->id)};
	int rc = store_tx_query(tx,
				"SELECT q.status, q.movement_id, q.reason, q.requested_by, m.person_id FROM correction_requests q"
				" JOIN movements m ON m.id = q.movement_id WHERE q.id = $1",
				v, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "request_not_found", "id",
				    "solicitud inexistente");
		goto out;
	}
	if (strcmp(store_rows_text(r, 0, 0), "pending")) {
		rc = sigm_error_set(err, SIGM_ECONFLICT, "request_decided", "id",
				    "la solicitud ya fue %s", !strcmp(store_rows_text(r, 0, 0), "approved")
							      ? "aprobada" : "rechazada");
		goto out;
	}
	/* four eyes: who asked does not decide, supervisor or not */
	if (!strcmp(store_rows_text(r, 0, 3), o->req->actor)) {
		rc = sigm_error_set(err, SIGM_ECONFLICT, "four_eyes", "id",
				    "quien pidió la anulación no la decide: la decide otro supervisor");
		goto out;
	}
	o->movement = store_rows_int(r, 0, 1);
	if (o->approve) {
		/* the compensating entry answers the request itself */
		rc = api_movement_void_tx(tx, o->req, o->movement, store_rows_text(r, 0, 2),
					  o->id, o->note, &o->new_id, o->reopened, err);
		if (rc == 0 && o->note) {
			struct store_val n[] = {sv_int(o->id), sv_text(o->note)};
			rc = store_tx_exec(tx, "UPDATE correction_requests SET decision_note = $2 WHERE id = $1",
					   n, SV_N(n), NULL, err);
		}
		goto out;
	}
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(o->id), sv_text(o->req->actor), sv_text(now), sv_text(o->note)};
	rc = store_tx_exec(tx, "UPDATE correction_requests SET status = 'rejected', decided_by = $2, decided_at = $3,"
			   " decision_note = $4 WHERE id = $1", p, SV_N(p), NULL, err);
	if (rc)
		goto out;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)store_rows_int(r, 0, 4));
	json_t *d = json_pack("{s:I, s:I, s:s}", "request", (json_int_t)o->id,
			      "movement", (json_int_t)o->movement, "note", o->note);
	rc = api_audit_tx(tx, o->req, "movement.correction_rejected", "person", rid, d, err);
out:
	store_rows_free(&r);
	return rc;
}

static void decide(struct api_req *req, struct api_resp *resp, bool approve)
{
	static const char *const f[] = {"note", NULL};
	struct request o = {.req = req, .approve = approve};
	json_t *b;
	if (api_path_id(req, resp, "request_not_found", "solicitud", &o.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "note", !approve, 1000, &o.note))
		return;
	struct sigm_error err;
	if (approve)
		o.reopened = json_array();
	if (store_write(req->ctx->store, decide_fn, &o, &err)) {
		json_decref(o.reopened);
		api_error_from(resp, &err);
		return;
	}
	json_t *out = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)o.id, "movement_id",
				(json_int_t)o.movement, "status", approve ? "approved" : "rejected");
	if (approve) {
		json_object_set_new(out, "correction_movement_id", json_integer(o.new_id));
		/* the cases that closed on the movement, back in the queue */
		json_object_set_new(out, "reopened_cases", o.reopened);
	}
	api_json(resp, 200, out);
}

void api_correction_requests_approve(struct api_req *req, struct api_resp *resp);
void api_correction_requests_approve(struct api_req *req, struct api_resp *resp)
{
	decide(req, resp, true);
}

void api_correction_requests_reject(struct api_req *req, struct api_resp *resp);
void api_correction_requests_reject(struct api_req *req, struct api_resp *resp)
{
	decide(req, resp, false);
}

void api_correction_requests_list(struct api_req *req, struct api_resp *resp);
void api_correction_requests_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 100, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	static const char *const STATUS[] = {"pending", "approved", "rejected", NULL};
	const char *status;
	if (api_query_enum(req, resp, "status", STATUS, &status))
		return;
	if (!status)
		status = "pending";
	struct store_val p[] = {sv_text(status), sv_int(cursor > 0 ? cursor : INT64_MAX),
				sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store,
			"SELECT q.id, q.movement_id, q.reason, q.requested_by, q.requested_at, q.status,"
			" q.decided_by, q.decided_at, q.decision_note, q.correction_movement_id,"
			" m.person_id, m.at, m.port, m.direction, m.transport, m.officer,"
			" p.given_names, p.surnames, p.nationality,"
			/* the staff by name, as the supervisors know them */
			" " API_STAFF_NAME("m.officer") " AS officer_name,"
			" " API_STAFF_NAME("q.requested_by") " AS requested_by_name"
			" FROM correction_requests q JOIN movements m ON m.id = q.movement_id"
			" JOIN persons p ON p.id = m.person_id"
			" WHERE q.status = $1 AND q.id < $2 ORDER BY q.id DESC LIMIT $3",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	int n = store_rows_count(r);
	json_t *page = api_page(r, limit, INTS);
	json_t *crit = json_pack("{s:s}", "status", status);
	/* the travelers the list names, as every list of them (audit_api.h) */
	api_audit_list(req, "movement.correction_requests", "person", r, 10,
		       n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	api_json(resp, 200, page);
}
