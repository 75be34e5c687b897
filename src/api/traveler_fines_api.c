/*
 * traveler_fines_api.c - the fines of travelers: a foreigner leaving after
 * the permitted stay pays a fine (LEME).  The supervisor who authorizes
 * the exit records it (border_api.c, resolve): paid, with the receipt, or
 * pending.  Here the register is listed, and a pending fine is paid later
 * (at the next entry, or at a DGME office) with its receipt.
 *
 * Errors as every handler: a 4xx with the field; personal data, so every
 * read is audited.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "store/audit.h"

#include <string.h>

void api_traveler_fines_list(struct api_req *req, struct api_resp *resp);
void api_traveler_fines_list(struct api_req *req, struct api_resp *resp)
{
	static const char *const ints[] = {"id", "person_id", "inspection_id",
					   "days", "amount_cents", "movement_id", NULL};
	long long limit, cursor, person;
	if (api_query_int(req, resp, "limit", 100, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor) ||
	    api_query_int(req, resp, "person_id", 0, 0, INT64_MAX, &person))
		return;
	const char *status = api_query(req, "status");
	/* cancelled: pending when its exit was voided; refund_review: paid
	 * for an exit voided since, to be credited or refunded
	 * (border_api.c, api_movement_void_tx) */
	if (status && strcmp(status, "pending") && strcmp(status, "paid") &&
	    strcmp(status, "cancelled") && strcmp(status, "refund_review")) {
		api_error(resp, 400, "invalid_value", "status", "estado: pending, paid, cancelled o refund_review");
		return;
	}
	struct store_val p[] = {sv_opt(status), person ? sv_int(person) : sv_null(),
				sv_int(cursor > 0 ? cursor : INT64_MAX), sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store,
			"SELECT f.id, f.person_id, f.inspection_id, f.cause, f.days, f.amount_cents, f.legal_basis,"
			" f.status, f.receipt, f.paid_at, f.paid_by, f.port, f.created_at, f.created_by, f.status_note, f.status_changed_at,"
			" p.given_names, p.surnames, p.nationality, p.birth_date,"
			/* the exit it was charged on: its case's, or its own
			 * (a contingency record's, which has no case) */
			" coalesce(f.movement_id, (SELECT i.movement_id FROM inspections i WHERE i.id = f.inspection_id)) AS movement_id"
			" FROM traveler_fines f JOIN persons p ON p.id = f.person_id"
			" WHERE (CAST($1 AS TEXT) IS NULL OR f.status = $1)"
			" AND (CAST($2 AS BIGINT) IS NULL OR f.person_id = $2) AND f.id < $3"
			" ORDER BY f.id DESC LIMIT $4",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *page = api_page(r, limit, ints);
	int n = store_rows_count(r);
	json_t *crit = json_pack("{s:s?}", "status", status);
	if (person)
		api_audit(req, "traveler_fine.list", "person", api_query(req, "person_id"), crit);
	else
		api_audit_list(req, "traveler_fine.list", "person", r, 1, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	api_json(resp, 200, page);
}

struct payment {
	struct api_req *req;
	int64_t id;
	const char *receipt;
	int64_t cents; /* -1: not given */
	int64_t charged;
	int64_t person;  /* whose fine (the entry names them) */
};

static int payment_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct payment *o = arg;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->id)};
	int rc = store_tx_query(tx, "SELECT status, amount_cents, person_id FROM traveler_fines WHERE id = $1",
				k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0)
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id", "la multa no existe");
	else if (strcmp(store_rows_text(r, 0, 0), "pending"))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "fine_closed", "id",
				    !strcmp(store_rows_text(r, 0, 0), "cancelled")
					    ? "la multa fue anulada (su salida se anuló): no se cobra"
				    /* paid for an exit voided since: the money is
				     * held, for the next exit's credit or a refund */
				    : !strcmp(store_rows_text(r, 0, 0), "refund_review")
					    ? "la multa ya está pagada, y su salida se anuló: el pago queda a favor de la persona (se acredita en su próxima salida o se decide su devolución)"
					    : "la multa ya está pagada");
	else if (o->cents < 0 && store_rows_isnull(r, 0, 1))
		rc = sigm_error_set(err, SIGM_ERULE, "missing_field", "amount",
				    "indique el monto cobrado: la multa es «según resolución»");
	/* an amount imposed is what is owed: a payment of another amount
	 * would overwrite it (US$ 0.01 closed a fine of US$ 250) */
	else if (o->cents >= 0 && !store_rows_isnull(r, 0, 1) && o->cents != store_rows_int(r, 0, 1))
		rc = sigm_error_set(err, SIGM_ERULE, "amount_differs", "amount",
				    "el monto cobrado (US$ %lld.%02lld) no es el impuesto (US$ %lld.%02lld)",
				    (long long)(o->cents / 100), (long long)(o->cents % 100),
				    (long long)(store_rows_int(r, 0, 1) / 100), (long long)(store_rows_int(r, 0, 1) % 100));
	else {
		o->charged = o->cents >= 0 ? o->cents : store_rows_int(r, 0, 1);
		o->person = store_rows_int(r, 0, 2);
	}
	store_rows_free(&r);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(o->id), sv_text(o->receipt), sv_int(o->charged),
				sv_text(now), sv_text(o->req->actor)};
	rc = store_tx_exec(tx, "UPDATE traveler_fines SET status = 'paid', receipt = $2, amount_cents = $3, paid_at = $4, paid_by = $5 WHERE id = $1 AND status = 'pending'",
			   p, SV_N(p), NULL, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)o->id);
	json_t *d = json_pack("{s:s, s:I, s:I}", "receipt", o->receipt, "amount_cents",
			      (json_int_t)o->charged, "person_id", (json_int_t)o->person);
	return api_audit_tx(tx, o->req, "traveler_fine.payment", "traveler_fine", rid, d, err);
}

void api_traveler_fines_payment(struct api_req *req, struct api_resp *resp);
void api_traveler_fines_payment(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"receipt", "amount", NULL};
	struct payment o = {.req = req, .cents = -1};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "multa", &o.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "receipt", true, 60, &o.receipt) ||
	    api_get_amount(resp, b, "amount", &o.cents))
		return;
	struct sigm_error err;
	if (store_write(req->ctx->store, payment_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)o.id,
				      "status", "paid", "receipt", o.receipt,
				      "amount_cents", (json_int_t)o.charged));
}
