/*
 * stay_api.c - prórrogas de permanencia: the Dirección de Extranjería
 * extends the stay of a foreigner inside the country (manual, Dirección de
 * Extranjería 4: "otorgar ... prórrogas de permanencia"; LEME).
 *
 * An extension belongs to the entry it extends and moves presence's last
 * permitted day in the same transaction (ledger.c adds it again when the
 * presence is recounted), so the booth's overstay check and the
 * overstayers list see it without asking.  Where the person is comes from
 * all the records linked to them (API_LINKED_PERSONS), as at the booth.
 *
 * Errors as every handler: a 4xx naming the field.  The grant is audited
 * in its own transaction.
 */
#include "api/api.h"
#include "core/calendar.h"
#include "store/audit.h"

#include <stdio.h>
#include <string.h>

struct extension {
	struct api_req *req;
	int64_t person;
	long long days;
	const char *resolution, *requested_on, *note;
	int64_t id, holder, movement;
	char previous[11], until[11];
};

/* Where the person is, and whether the stay can still be extended. */
static int check_stay(struct store_tx *tx, struct extension *o,
		      struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->person)};
	int rc = store_tx_query(tx,
				"SELECT (SELECT count(*) FROM persons WHERE id = $1), q.person_id, q.movement_id, q.inside, q.permitted_until, q.since"
				" FROM (SELECT 1 AS one) o LEFT JOIN (SELECT person_id, movement_id, inside, permitted_until, since FROM presence"
				" WHERE person_id IN " API_LINKED_PERSONS " ORDER BY since DESC, movement_id DESC LIMIT 1) q ON 1 = 1",
				k, 1, &r, err);
	if (rc)
		return rc;
	char today[11], entered[11] = "";
	api_today(today);
	const char *from = o->requested_on ? o->requested_on : today;
	if (!store_rows_int(r, 0, 0))
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "person_not_found", "id",
				    "persona inexistente: %lld", (long long)o->person);
	else if (store_rows_isnull(r, 0, 1) || !store_rows_int(r, 0, 3))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "not_inside", "id",
				    store_rows_isnull(r, 0, 1)
					    ? "la persona no tiene movimientos registrados: no hay permanencia que prorrogar"
					    : "según el registro la persona no está en el país (su último movimiento es una salida)");
	else if (store_rows_isnull(r, 0, 4))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "no_stay_limit", "id",
				    "la permanencia de esta persona no tiene plazo (nacional o residente): no hay nada que prorrogar");
	else {
		snprintf(o->previous, sizeof(o->previous), "%s", store_rows_text(r, 0, 4));
		api_local_day(store_rows_text(r, 0, 5), entered);
		o->holder = store_rows_int(r, 0, 1);
		o->movement = store_rows_int(r, 0, 2);
		if (strcmp(from, o->previous) > 0)
			rc = sigm_error_set(err, SIGM_ERULE, "stay_expired",
					    o->requested_on ? "requested_on" : "id",
					    "la permanencia venció el %s: la prórroga se solicita antes de que venza "
					    "(la salida se resuelve con la multa por permanencia excedida)",
					    o->previous);
		else if (strcmp(from, entered) < 0)
			rc = sigm_error_set(err, SIGM_ERULE, "before_entry", "requested_on",
					    "la solicitud (%s) es anterior a la entrada (%s)", from, entered);
	}
	store_rows_free(&r);
	return rc;
}

static int extend_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct extension *o = arg;
	int rc = check_stay(tx, o, err);
	if (rc)
		return rc;
	int32_t day;
	rc = cal_parse_day(o->previous, &day, "permitted_until", err);
	if (rc)
		return rc;
	cal_format(cal_add_days(day, (int32_t)o->days), o->until);
	char now[40];
	store_now_iso(now, sizeof(now));
	int64_t changed = 0;
	struct store_val pr[] = {sv_int(o->holder), sv_int(o->movement), sv_text(o->until)};
	rc = store_tx_exec(tx, "UPDATE presence SET permitted_until = $3 WHERE person_id = $1 AND movement_id = $2",
			   pr, SV_N(pr), &changed, err);
	if (rc)
		return rc;
	if (changed != 1) /* a movement since the read: cannot, in one transaction */
		return sigm_error_set(err, SIGM_ECONFLICT, "presence_changed", "id",
				      "la persona acaba de registrar un movimiento: vuelva a intentarlo");
	struct store_val p[] = {sv_int(o->holder), sv_int(o->movement), sv_int(o->days),
				sv_text(o->previous), sv_text(o->until), sv_text(o->resolution),
				sv_opt(o->requested_on), sv_opt(o->note), sv_text(now),
				sv_text(o->req->actor)};
	rc = store_tx_query_int(tx,
				"INSERT INTO stay_extensions (person_id, entry_movement_id, days, previous_until, permitted_until, resolution, requested_on, note, granted_at, granted_by)"
				" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
				p, SV_N(p), &o->id, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)o->holder);
	json_t *d = json_pack("{s:I, s:I, s:s, s:s, s:s}", "stay_extension_id", (json_int_t)o->id,
			      "days", (json_int_t)o->days, "previous_until", o->previous,
			      "permitted_until", o->until, "resolution", o->resolution);
	return api_audit_tx(tx, o->req, "stay_extension.grant", "person", rid, d, err);
}

void api_stay_extensions_create(struct api_req *req, struct api_resp *resp);
void api_stay_extensions_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"days", "resolution", "requested_on", "note", NULL};
	struct extension o = {.req = req};
	json_t *b;
	/* The LEME's maximum for an extension is not known to us
	 * (data/border/nationality_rules.json, stay_unknown): a year bounds
	 * the input, the resolution states what was granted. */
	if (api_path_id(req, resp, "person_not_found", "persona", &o.person) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_int(resp, b, "days", true, 1, 365, &o.days) ||
	    api_get_str(resp, b, "resolution", true, 64, &o.resolution) ||
	    api_get_date(resp, b, "requested_on", false, false, &o.requested_on) ||
	    api_get_str(resp, b, "note", false, 1000, &o.note))
		return;
	char today[11];
	api_today(today);
	if (o.requested_on && strcmp(o.requested_on, today) > 0) {
		api_error(resp, 422, "future_date", "requested_on",
			  "la fecha de solicitud no puede ser futura");
		return;
	}
	struct sigm_error err;
	if (store_write(req->ctx->store, extend_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 201,
		 json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)o.id,
			   "person_id", (json_int_t)o.holder, "entry_movement_id",
			   (json_int_t)o.movement, "days", (json_int_t)o.days,
			   "previous_until", o.previous, "permitted_until", o.until,
			   "resolution", o.resolution));
}
