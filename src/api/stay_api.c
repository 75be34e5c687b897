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
 * A grant made in error is annulled with its reason (never deleted): the
 * presence is recounted without it.
 *
 * Errors as every handler: a 4xx naming the field.  The grant and the
 * annulment are audited in their own transaction.
 */
#include "api/api.h"
#include "core/calendar.h"
#include "core/rules.h"
#include "store/audit.h"
#include "store/ledger.h"

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

bool api_stay_open(const char *entry)
{
	/* the codes as the reasons store them (JSON), the document's kind
	 * and the resolution as API_STAY_OPEN_SQL joins them */
	return entry && (strstr(entry, "\"resident_carnet_valid\"") ||
			 strstr(entry, "\"residence_carnet_expired\"") ||
			 strstr(entry, " residence_car") ||
			 strstr(entry, " refer_atencion_migrante"));
}

/*
 * An entry recorded without a stay (a contingency record without one, or
 * older data): the stay the tables give the nationality on the day of
 * entry, as the booth's overstay rule counts it, into o->previous.
 */
static int table_stay(struct extension *o, const char *nationality,
		      const char *since, const char *entry_text,
		      struct sigm_error *err)
{
	/* a resident's entry has no stay because a resident has no limit;
	 * nor has a person's in the care of Atención al Migrante */
	if (api_stay_open(entry_text))
		return sigm_error_set(err, SIGM_ECONFLICT, "no_stay_limit", "id",
				      "la persona ingresó como residente (carné) o quedó a cargo de Atención al Migrante: su permanencia no tiene plazo");
	char day[11];
	int32_t entry;
	api_local_day(since, day);
	int rc = cal_parse_day(day, &entry, "since", err);
	if (rc)
		return rc;
	int days = rules_default_stay(o->req->ctx->rules, nationality, entry);
	if (days == 0)
		return sigm_error_set(err, SIGM_ECONFLICT, "no_stay_limit", "id",
				      "la permanencia de una persona salvadoreña no tiene plazo: no hay nada que prorrogar");
	if (days < 0)
		return sigm_error_set(err, SIGM_ECONFLICT, "stay_not_determined", "id",
				      "no consta la permanencia autorizada de esta entrada ni la dan las tablas para la nacionalidad %s",
				      nationality ? nationality : "desconocida");
	cal_format(cal_add_days(entry, days - 1), o->previous);
	return 0;
}

/* Where the person is, and whether the stay can still be extended. */
static int check_stay(struct store_tx *tx, struct extension *o,
		      struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->person)};
	int rc = store_tx_query(tx,
				"SELECT (SELECT count(*) FROM persons WHERE id = $1), q.person_id, q.movement_id, q.inside, q.permitted_until, q.since,"
				" (SELECT nationality FROM persons WHERE id = q.person_id), " API_STAY_OPEN_SQL("q.movement_id")
				" FROM (SELECT 1 AS one) o LEFT JOIN (SELECT q.person_id, q.movement_id, q.inside, q.permitted_until, q.since"
				API_WHERE_NOW("$1") ") q ON 1 = 1",
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
					    ? "la persona no tiene movimientos vigentes (ninguno registrado, o todos anulados): no hay permanencia que prorrogar"
					    : "según el registro la persona no está en el país (su último movimiento es una salida)");
	else if (store_rows_isnull(r, 0, 4) &&
		 (rc = table_stay(o, store_rows_text(r, 0, 6), store_rows_text(r, 0, 5),
				  store_rows_text(r, 0, 7), err)))
		; /* a national, or no stay known */
	else {
		if (!store_rows_isnull(r, 0, 4))
			snprintf(o->previous, sizeof(o->previous), "%s", store_rows_text(r, 0, 4));
		api_local_day(store_rows_text(r, 0, 5), entered);
		o->holder = store_rows_int(r, 0, 1);
		o->movement = store_rows_int(r, 0, 2);
		char t1[CAL_TEXT], t2[CAL_TEXT];
		if (strcmp(from, o->previous) > 0)
			rc = sigm_error_set(err, SIGM_ERULE, "stay_expired",
					    o->requested_on ? "requested_on" : "id",
					    "la permanencia venció el %s: la prórroga se solicita antes de que venza "
					    "(la salida se resuelve con la multa por permanencia excedida)",
					    api_said_day(o->previous, t1));
		else if (strcmp(from, entered) < 0)
			rc = sigm_error_set(err, SIGM_ERULE, "before_entry", "requested_on",
					    "la solicitud (%s) es anterior a la entrada (%s)",
					    api_said_day(from, t1), api_said_day(entered, t2));
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
	/* asked for on one record, written on the linked one that holds the
	 * entry: each has the entry in its audit */
	if (o->person != o->holder) {
		char pid[24];
		snprintf(pid, sizeof(pid), "%lld", (long long)o->person);
		rc = api_audit_tx(tx, o->req, "stay_extension.grant", "person", pid, json_deep_copy(d), err);
		if (rc) {
			json_decref(d);
			return rc;
		}
	}
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

struct annul {
	struct api_req *req;
	int64_t id, person;
	const char *reason;
	char until[11];
};

static int annul_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct annul *o = arg;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->id)};
	/* the extension, and whether the stay it extends is the person's
	 * current one (the latest presence of the linked records) */
	int rc = store_tx_query(tx,
				"SELECT e.person_id, e.annulled_at,"
				" (SELECT CASE WHEN q.inside = 1 AND q.movement_id = e.entry_movement_id THEN 1 ELSE 0 END"
				API_WHERE_NOW("e.person_id") "),"
				/* why it is not: the entry voided since, or a later
				 * entry, rather than an exit */
				" (SELECT min(c.id) FROM movements c WHERE c.corrects_movement_id = e.entry_movement_id),"
				" (SELECT q.inside" API_WHERE_NOW("e.person_id") "), e.entry_movement_id"
				" FROM stay_extensions e WHERE e.id = $1",
				k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0)
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id",
				    "prórroga inexistente: %lld", (long long)o->id);
	else if (!store_rows_isnull(r, 0, 1))
		rc = sigm_error_set(err, SIGM_ECONFLICT, "already_annulled", "id",
				    "esa prórroga ya fue anulada");
	else if (!store_rows_int(r, 0, 2) && !store_rows_isnull(r, 0, 3))
		/* its entry was voided since: the message said an exit that
		 * is not on record */
		rc = sigm_error_set(err, SIGM_ECONFLICT, "stay_over", "id",
				    "la entrada que prorrogaba (movimiento n.º %lld) fue anulada por la corrección n.º %lld: la prórroga queda como estaba",
				    (long long)store_rows_int(r, 0, 5), (long long)store_rows_int(r, 0, 3));
	else if (!store_rows_int(r, 0, 2))
		/* the stay it extended is over (an exit since, or an entry
		 * recorded after it): it stands as it was when it ended */
		rc = sigm_error_set(err, SIGM_ECONFLICT, "stay_over", "id",
				    !store_rows_isnull(r, 0, 4) && store_rows_int(r, 0, 4)
					    ? "la estadía que prorrogaba ya no es la actual (hay una entrada registrada después): la prórroga queda como estaba"
					    : "la estadía que prorrogaba ya terminó (hay una salida registrada después): la prórroga queda como estaba");
	else
		o->person = store_rows_int(r, 0, 0);
	store_rows_free(&r);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(o->id), sv_text(now), sv_text(o->req->actor),
				sv_text(o->reason)};
	rc = store_tx_exec(tx, "UPDATE stay_extensions SET annulled_at = $2, annulled_by = $3, annul_reason = $4 WHERE id = $1 AND annulled_at IS NULL",
			   p, SV_N(p), NULL, err);
	if (!rc)
		rc = ledger_refresh_presence(tx, o->person, err);
	if (rc)
		return rc;
	struct store_val pp[] = {sv_int(o->person)};
	rc = store_tx_query(tx, "SELECT permitted_until FROM presence WHERE person_id = $1", pp, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 1 && !store_rows_isnull(r, 0, 0))
		snprintf(o->until, sizeof(o->until), "%s", store_rows_text(r, 0, 0));
	store_rows_free(&r);
	/* on every record of the person, as the grant may have been asked
	 * for on any of them */
	struct store_rows *ids = NULL;
	rc = store_tx_query(tx, "SELECT id FROM " API_LINKED_PERSONS " l ORDER BY id", pp, 1, &ids, err);
	for (int i = 0; !rc && i < store_rows_count(ids); i++) {
		json_t *d = json_pack("{s:I, s:s, s:s?}", "stay_extension_id", (json_int_t)o->id,
				      "reason", o->reason, "permitted_until", o->until[0] ? o->until : NULL);
		rc = api_audit_tx(tx, o->req, "stay_extension.annul", "person",
				  store_rows_text(ids, i, 0), d, err);
	}
	store_rows_free(&ids);
	return rc;
}

void api_stay_extensions_annul(struct api_req *req, struct api_resp *resp);
void api_stay_extensions_annul(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"reason", NULL};
	struct annul o = {.req = req};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "prórroga", &o.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "reason", true, 1000, &o.reason))
		return;
	struct sigm_error err;
	if (store_write(req->ctx->store, annul_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200,
		 json_pack("{s:I, s:I, s:b, s:s?}", "id", (json_int_t)o.id, "person_id",
			   (json_int_t)o.person, "annulled", 1, "permitted_until",
			   o.until[0] ? o.until : NULL));
}
