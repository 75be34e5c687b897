/*
 * border_api.c - what happens around the booth: the secondary-inspection
 * queue of each post and the supervisor's resolution (admit into the
 * ledger, refuse with an inadmission record, or refer to Atención al
 * Migrante), ledger corrections by compensating entries, movements by post
 * and day, overstayers, and the register of fines imposed on carriers.
 */
#include "api/api.h"
#include "api/apis.h"
#include "api/audit_api.h"
#include "api/bulk.h"
#include "api/countries.h"
#include "api/screen_api.h"
#include "core/calendar.h"
#include "core/rules.h"
#include "store/audit.h"
#include "store/ledger.h"
#include "store/persons.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const INTS[] = {"id", "person_id", "document_id",
				   "movement_id", "inspection_id",
				   "amount_cents", "permitted_stay_days",
				   "corrects_movement_id", "inside",
				   "manifest_id", "voided_by", "inadmission_id",
				   "correction_requested", "fine_id",
				   "referral_id", NULL};

/* Letting a traveler through over one of these needs a written
 * justification, kept with the case: a refusal reason, an alert or
 * warrant, a court order, a document reported lost or stolen, a child
 * without the authorization LEPINA requires, a hit the APIS desk sent to
 * secondary, a check that could not run. */
static bool reasons_grave(const json_t *reasons)
{
	static const char *const GRAVE[] = {
		"watchlist_match", "reentry_ban", "exit_ban", "court_restriction",
		"exit_permit_destination_mismatch", "document_lost_stolen",
		"minor_without_authorization", "minor_id_card_not_passport",
		"apis_secondary", "check_failed",
		/* a fine spared on a carnet nobody checked; someone refused
		 * entry days ago, or gone from secondary at another post */
		"residence_unverified", "inadmission_recent", "secondary_pending",
		/* nobody's identity but their word: how the supervisor
		 * identified them (the RNPN, a consulate) is the record's */
		"document_missing", NULL};
	size_t i;
	json_t *x;
	json_array_foreach(reasons, i, x) {
		const char *sev = json_string_value(json_object_get(x, "severity"));
		const char *code = json_string_value(json_object_get(x, "code"));
		if (sev && !strcmp(sev, "refuse"))
			return true;
		for (int k = 0; code && GRAVE[k]; k++)
			if (!strcmp(code, GRAVE[k]))
				return true;
	}
	return false;
}

/* The first of a case's reasons whose key ("code", "record") is want, or
 * NULL. */
static const json_t *reason_with(const json_t *reasons, const char *key, const char *want)
{
	size_t i;
	json_t *x;
	json_array_foreach(reasons, i, x) {
		const char *v = json_string_value(json_object_get(x, key));
		if (v && !strcmp(v, want))
			return x;
	}
	return NULL;
}

/* The reason of that code (the overstay's "fine" carries the days and
 * the amount: inspections_api.c; a case referred before that has none). */
static const json_t *reason_of(const json_t *reasons, const char *code)
{
	return reason_with(reasons, "code", code);
}

static json_t *rows_json(struct store_rows *r, int limit)
{
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r) && i < limit; i++) {
		json_t *o = api_row_object(r, i, INTS);
		/* a proposed fine's evidence, stored as JSON text */
		json_t *ev = json_object_get(o, "evidence");
		if (json_is_string(ev)) {
			json_t *p = json_loads(json_string_value(ev), 0, NULL);
			if (p)
				json_object_set_new(o, "evidence", p);
		}
		json_t *reasons = json_object_get(o, "reasons");
		if (json_is_string(reasons)) {
			json_t *p = json_loads(json_string_value(reasons), 0, NULL);
			if (p)
				json_object_set_new(o, "reasons", p);
		}
		json_array_append_new(a, o);
	}
	return a;
}

/*
 * A reopened case's earlier decision (reopen_cases), read as the columns
 * previous_resolution, previous_notes, previous_resolved_by(_name) and
 * previous_resolved_at, is said as one object, previous_resolution:
 * {resolution, notes, resolved_by, resolved_by_name, resolved_at}, or
 * null for a case never reopened.
 */
static void previous_resolution(json_t *it)
{
	static const char *const cols[][2] = {
		{"previous_notes", "notes"},
		{"previous_resolved_by", "resolved_by"},
		{"previous_resolved_by_name", "resolved_by_name"},
		{"previous_resolved_at", "resolved_at"},
	};
	json_t *res = json_object_get(it, "previous_resolution");
	json_t *o = json_is_string(res) ? json_pack("{s:O}", "resolution", res) : NULL;
	for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		if (o)
			json_object_set(o, cols[k][1], json_object_get(it, cols[k][0]) ? json_object_get(it, cols[k][0]) : json_null());
		json_object_del(it, cols[k][0]);
	}
	json_object_set_new(it, "previous_resolution", o ? o : json_null());
}

static void list_answer(struct api_req *req, struct api_resp *resp,
			struct store_rows *r, long long limit,
			const char *audit_action, const char *rtype, int id_col,
			json_t *crit, bool cases)
{
	int n = store_rows_count(r);
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	json_t *items = rows_json(r, (int)limit);
	/* the queue says which cases need a justification to admit, so that
	 * the screen asks for it before the API refuses */
	size_t i;
	json_t *it;
	if (cases)
		json_array_foreach(items, i, it) {
			json_t *reasons = json_object_get(it, "reasons");
			json_object_set_new(it, "justification_required",
					    json_boolean(!json_is_array(reasons) || reasons_grave(reasons)));
			previous_resolution(it);
		}
	/* the records a page shows are named in its audit entry
	 * (audit_api.h): the trail of each finds this read */
	if (audit_action)
		api_audit_list(req, audit_action, rtype, r, id_col,
			       n < limit ? n : (int)limit, crit);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

/* ---- secondary inspection ---- */

void api_secondary_queue(struct api_req *req, struct api_resp *resp);
void api_secondary_queue(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 50, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	/* the post as the other lists take it (movements, overstayers): any
	 * case, and an unknown one said, not answered with an empty queue */
	const struct rules_port *pt;
	if (api_query_port(req, resp, &pt))
		return;
	const char *port = pt ? pt->code : NULL;
	static const char *const STATUS[] = {"pending", "resolved", "closed", NULL};
	const char *status;
	if (api_query_enum(req, resp, "status", STATUS, &status))
		return;
	if (!status)
		status = "pending";
	/* Pending cases in the order the travelers came, the one waiting
	 * longest first (it was last, and past the first page of fifty a
	 * supervisor never saw it); resolved and closed ones newest first,
	 * as a history reads */
	bool fifo = !strcmp(status, "pending");
	struct store_val p[] = {sv_opt(port), sv_text(status),
				sv_int(cursor > 0 ? cursor : fifo ? 0 : INT64_MAX),
				sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	/* The post, when given, is a plain condition, read with the status
	 * by its index (migration 35): a post's resolved cases were found by
	 * walking every post's (3.4 s cold at a post with 20 of 240,000). */
	char sql[2560];
	snprintf(sql, sizeof(sql),
		 "SELECT i.id, i.at, i.port, i.direction, i.transport, i.decision, i.reasons, i.officer, i.status,"
		 " i.person_id, i.document_id, p.given_names, p.surnames, p.birth_date, p.nationality,"
		 " d.number AS document_number, d.issuing_state,"
		 /* a resolved case: what the supervisor decided, and the
		  * inadmission or referral it made */
		 " i.resolution, i.resolved_by, i.resolved_at, i.legal_ground, i.resolution_notes, i.movement_id,"
		 /* the staff by name, as the supervisors know them */
		 " " API_STAFF_NAME("i.officer") " AS officer_name,"
		 " " API_STAFF_NAME("i.resolved_by") " AS resolved_by_name,"
		 /* a case back in the queue: what had been decided
		  * (reopen_cases), shown to the supervisor deciding again */
		 " i.previous_resolution, i.previous_resolution_notes AS previous_notes, i.previous_resolved_by,"
		 " " API_STAFF_NAME("i.previous_resolved_by") " AS previous_resolved_by_name, i.previous_resolved_at,"
		 " (SELECT min(n.id) FROM inadmissions n WHERE n.inspection_id = i.id) AS inadmission_id,"
		 /* and the carrier that returns the traveler, on what */
		 " (SELECT n.carrier FROM inadmissions n WHERE n.inspection_id = i.id ORDER BY n.id LIMIT 1) AS inadmission_carrier,"
		 " (SELECT n.return_transport FROM inadmissions n WHERE n.inspection_id = i.id ORDER BY n.id LIMIT 1) AS inadmission_return,"
		 " (SELECT min(rf.id) FROM referrals rf WHERE rf.inspection_id = i.id) AS referral_id,"
		 /* the carrier of the list or manifest the booth linked the
		  * crossing to (apis_arrivals, by its key): the code compliance
		  * proposes the inadmissible passenger's fine to, which the
		  * refusal's «Transportista» starts from (a cruise line's
		  * passenger refused was recorded under the company's name,
		  * typed, and the month's summary split in two) */
		 " (SELECT m.carrier FROM apis_arrivals a JOIN apis_manifests m ON m.id = a.manifest_id"
		 "  WHERE a.inspection_id = i.id) AS list_carrier,"
		 /* an overstayer let out: the fine and whether it was paid
		  * (read by the person, traveler_fines_person) */
		 /* one fine, its id and its status together: the one still owed
		  * first (a credited fine paid and the days beyond it pending
		  * read «pagada» by the least id and status, each on its own) */
		 " (SELECT f.id FROM traveler_fines f WHERE f.person_id = i.person_id AND f.inspection_id = i.id"
		 "  ORDER BY CASE WHEN f.status = 'pending' THEN 0 ELSE 1 END, f.id DESC LIMIT 1) AS fine_id,"
		 " (SELECT f.status FROM traveler_fines f WHERE f.person_id = i.person_id AND f.inspection_id = i.id"
		 "  ORDER BY CASE WHEN f.status = 'pending' THEN 0 ELSE 1 END, f.id DESC LIMIT 1) AS fine_status"
		 " FROM inspections i LEFT JOIN persons p ON p.id = i.person_id LEFT JOIN documents d ON d.id = i.document_id"
		 " WHERE %s AND i.status = $2 AND i.id %s $3"
		 " ORDER BY i.id %s LIMIT $4",
		 port ? "i.port = $1" : "CAST($1 AS TEXT) IS NULL", fifo ? ">" : "<", fifo ? "ASC" : "DESC");
	if (store_query(req->ctx->store, sql, p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *crit = json_pack("{s:s, s:s?}", "status", status, "port", port);
	list_answer(req, resp, r, limit, "inspection.queue", "person", 9, crit, true);
	json_decref(crit);
	store_rows_free(&r);
}

struct resolve {
	struct api_req *req;
	int64_t id;
	const char *resolution, *ground, *carrier, *arrival, *ret, *notes;
	const char *receipt; /* the overstay fine's receipt, when paid */
	const char *motive;  /* a referral's: referral_motive */
	int64_t fine_cents;  /* the amount charged; -1 not given */
	int permitted_stay_days;
	int64_t movement_id, inadmission_id, fine_id, referral_id;
	bool already_recorded; /* closed on a movement recorded since */
	const char *fine_status;
	int64_t fine_days, fine_amount; /* as recorded; -1: none (null) */
	char had_status[16]; /* the fine an exit recorded since already had */
	int64_t credited_fine; /* paid for an exit voided since, credited here */
	/* a fine of an exit without a case (id 0: a contingency record,
	 * api_exit_fine_record) goes on the movement itself */
	int64_t fine_movement;
};

/*
 * The overstay fines standing on an exit (pending or paid), charged by the
 * cases that closed on it or on the exit itself (a contingency record's,
 * api_exit_fine_record), oldest first: id, status, days, amount_cents,
 * person_id.  Read by the person's records (traveler_fines_person), not a
 * walk of every case for the movement; the status compared as an
 * expression, or SQLite takes traveler_fines_status and walks every fine
 * pending or paid in the country.
 */
static int exit_fines(struct store_tx *tx, int64_t person, int64_t movement,
		      struct store_rows **r, struct sigm_error *err)
{
	struct store_val k[] = {sv_int(movement), sv_int(person)};
	return store_tx_query(tx, "SELECT f.id, f.status, f.days, f.amount_cents, f.person_id FROM traveler_fines f"
			      " LEFT JOIN inspections i ON i.id = f.inspection_id"
			      " WHERE f.person_id IN " API_LINKED("$2") " AND (i.movement_id = $1 OR f.movement_id = $1)"
			      " AND (f.status || '') IN ('pending', 'paid') ORDER BY f.id",
			      k, SV_N(k), r, err);
}

/*
 * The overstay fine of an exit already recorded (the case closes on it):
 * the one a case that closed on it charged, not cancelled nor held
 * (api_movement_void_tx), into o (fine_id, status, days, amount).
 * *found: whether there is one.
 */
static int exit_fine(struct store_tx *tx, struct resolve *o, int64_t person,
		     int64_t movement, bool *found, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	*found = false;
	int rc = exit_fines(tx, person, movement, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) >= 1) {
		*found = true;
		o->fine_id = store_rows_int(r, 0, 0);
		snprintf(o->had_status, sizeof(o->had_status), "%s", store_rows_text(r, 0, 1));
		o->fine_status = o->had_status;
		o->fine_days = store_rows_isnull(r, 0, 2) ? -1 : store_rows_int(r, 0, 2);
		o->fine_amount = store_rows_isnull(r, 0, 3) ? -1 : store_rows_int(r, 0, 3);
	}
	store_rows_free(&r);
	return 0;
}

/*
 * The fines the person paid for an exit that was voided since
 * (refund_review, api_movement_void_tx): the stay they paid for is the
 * one this exit ends.  Their days and amount are summed into *days and
 * *cents (0 when none), and they are re-attached to this case: paid again,
 * the case and the credit said in their note, audited.  *first: the
 * earliest of them (0: none).
 */
static int credit_held_fines(struct store_tx *tx, struct resolve *o, int64_t person,
			     int64_t *days, int64_t *cents, int64_t *first,
			     struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(person)};
	*days = *cents = *first = 0;
	int rc = store_tx_query(tx, "SELECT id, days, amount_cents FROM traveler_fines"
				" WHERE status = 'refund_review' AND person_id IN " API_LINKED("$1") " ORDER BY id",
				k, 1, &r, err);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	for (int i = 0; !rc && i < store_rows_count(r); i++) {
		int64_t id = store_rows_int(r, i, 0);
		if (!*first)
			*first = id;
		*days += store_rows_isnull(r, i, 1) ? 0 : store_rows_int(r, i, 1);
		*cents += store_rows_isnull(r, i, 2) ? 0 : store_rows_int(r, i, 2);
		char note[200];
		if (o->id)
			snprintf(note, sizeof(note), "Pagada por una salida anulada; acreditada a la salida autorizada en la inspección n.º %lld",
				 (long long)o->id);
		else
			snprintf(note, sizeof(note), "Pagada por una salida anulada; acreditada a la salida registrada por contingencia (movimiento n.º %lld)",
				 (long long)o->fine_movement);
		struct store_val u[] = {sv_int(id), o->id ? sv_int(o->id) : sv_null(), sv_text(note), sv_text(now),
					o->id ? sv_null() : sv_int(o->fine_movement)};
		rc = store_tx_exec(tx, "UPDATE traveler_fines SET status = 'paid', inspection_id = $2, status_note = $3, status_changed_at = $4,"
				   " movement_id = $5 WHERE id = $1", u, SV_N(u), NULL, err);
		if (rc)
			break;
		char fid[24];
		snprintf(fid, sizeof(fid), "%lld", (long long)id);
		json_t *d = json_pack("{s:s, s:s, s:I, s:I}", "from", "refund_review", "status", "paid",
				      o->id ? "inspection" : "movement", (json_int_t)(o->id ? o->id : o->fine_movement),
				      "person_id", (json_int_t)person);
		rc = api_audit_tx(tx, o->req, "traveler_fine.credited", "traveler_fine", fid, d, err);
	}
	store_rows_free(&r);
	return rc;
}

/*
 * A refused entry the supervisor lets in after all (the passport's
 * validity mended, a visa verified): the carrier fined for bringing an
 * inadmissible passenger, by hand while the case waited, brought none.
 * Its fine not yet paid is cancelled saying so; a paid one stays paid
 * (the money to give back is the supervisors' to record, with its
 * receipt) but says it is to be refunded, where the register shows it:
 * nothing told them.  Audited as any change of a carrier fine.
 */
static int drop_inadmissible_fines(struct store_tx *tx, struct resolve *o, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(o->id)};
	int rc = store_tx_query(tx, "SELECT id, status FROM carrier_fines WHERE inspection_id = $1"
				" AND (cause = 'inadmissible_passenger' OR cause IS NULL)"
				" AND status IN ('proposed', 'pending', 'notified', 'paid')",
				k, 1, &r, err);
	if (rc)
		return rc;
	char now[40], note[200], refund[200];
	store_now_iso(now, sizeof(now));
	snprintf(note, sizeof(note), "El pasajero fue admitido en segunda revisión (inspección n.º %lld): no hubo inadmisión",
		 (long long)o->id);
	snprintf(refund, sizeof(refund), "%s; lo pagado se reembolsa al transportista", note);
	for (int i = 0; !rc && i < store_rows_count(r); i++) {
		bool paid = !strcmp(store_rows_text(r, i, 1), "paid");
		struct store_val u[] = {sv_int(store_rows_int(r, i, 0)), sv_text(paid ? refund : note), sv_text(now)};
		if (paid) /* its status, when it changed and its note (the
			   * receipt) stay as they were */
			rc = store_tx_exec(tx, "UPDATE carrier_fines SET status_note = CASE WHEN coalesce(status_note, '') = ''"
					   " THEN $2 ELSE status_note || '. ' || $2 END WHERE id = $1", u, 2, NULL, err);
		else
			rc = store_tx_exec(tx, "UPDATE carrier_fines SET status = 'cancelled', status_note = $2, status_changed_at = $3 WHERE id = $1",
					   u, SV_N(u), NULL, err);
		if (rc)
			break;
		json_t *d = json_pack("{s:s, s:s, s:s}", "from", store_rows_text(r, i, 1), "status",
				      paid ? "paid" : "cancelled", "note", paid ? refund : note);
		rc = api_audit_tx(tx, o->req, paid ? "carrier_fine.refund_due" : "carrier_fine.status",
				  "carrier_fine", store_rows_text(r, i, 0), d, err);
	}
	store_rows_free(&r);
	return rc;
}

/* An exit after the permitted stay, authorized: its fine, paid with the
 * receipt, or pending (a debt on record, never lost).  What the person
 * paid for an exit voided since is credited (credit_held_fines): the
 * days it paid for are not charged again, only those beyond them, for
 * the amount beyond it; all paid for, no new fine, and the answer names
 * the paid one. */
static int record_overstay_fine(struct store_tx *tx, struct resolve *o,
				int64_t person, const char *port,
				const json_t *overstay, struct sigm_error *err)
{
	const json_t *fine = json_object_get(overstay, "fine");
	const json_t *amt = json_object_get(fine, "amount_cents");
	const json_t *jdays = json_object_get(fine, "days");
	int64_t days = json_is_integer(jdays) ? (int64_t)json_integer_value(jdays) : -1;
	int64_t table = json_is_integer(amt) ? (int64_t)json_integer_value(amt) : -1;
	int64_t held_days, held_cents, held;
	int rc = credit_held_fines(tx, o, person, &held_days, &held_cents, &held, err);
	if (rc)
		return rc;
	if (held) {
		if (days >= 0)
			days = days > held_days ? days - held_days : 0;
		if (table >= 0)
			table = table > held_cents ? table - held_cents : 0;
		/* all of it paid already: that fine is this exit's */
		if (days == 0 || table == 0) {
			if (o->receipt || (o->fine_cents >= 0 && o->fine_cents != held_cents))
				return sigm_error_set(err, SIGM_ECONFLICT, "fine_already_recorded",
						      o->receipt ? "fine_receipt" : "fine_amount",
						      "la permanencia excedida ya está pagada (multa n.º %lld, de una salida anulada, "
						      "acreditada a esta): no se cobra dos veces; déjense vacíos el recibo y el monto",
						      (long long)held);
			o->fine_id = o->credited_fine = held;
			o->fine_status = "paid";
			o->fine_days = held_days;
			o->fine_amount = held_cents;
			return 0;
		}
	}
	int64_t cents = o->fine_cents >= 0 ? o->fine_cents : table;
	/* an amount the tables set is what is owed, as the payment says
	 * (traveler_fines_api.c): another one given here replaced it, and
	 * the payment then refused the amount the tables compute.  "Según
	 * resolución" (no amount in the tables) takes the resolution's. */
	if (o->fine_cents >= 0 && table >= 0 && o->fine_cents != table) {
		int64_t owed = table;
		return sigm_error_set(err, SIGM_ERULE, "amount_differs", "fine_amount",
				      "el monto indicado (US$ %lld.%02lld) no es el de la multa (US$ %lld.%02lld%s)",
				      (long long)(o->fine_cents / 100), (long long)(o->fine_cents % 100),
				      (long long)(owed / 100), (long long)(owed % 100),
				      held ? ", descontado lo ya pagado" : "");
	}
	if (o->receipt && cents < 0)
		return sigm_error_set(err, SIGM_ERULE, "missing_field", "fine_amount",
				      "indique el monto cobrado: la multa es «según resolución»");
	char now[40];
	store_now_iso(now, sizeof(now));
	o->fine_status = o->receipt ? "paid" : "pending";
	o->fine_days = days;
	o->fine_amount = cents;
	o->credited_fine = held;
	const char *basis = json_string_value(json_object_get(fine, "basis"));
	char note[120];
	snprintf(note, sizeof(note), "Los días más allá de los ya pagados en la multa n.º %lld", (long long)held);
	struct store_val p[] = {sv_int(person), sv_int(o->id),
				days >= 0 ? sv_int(days) : sv_null(),
				cents >= 0 ? sv_int(cents) : sv_null(),
				sv_text(basis && *basis ? basis : "LEME, permanencia excedida"),
				sv_text(o->fine_status), sv_text(o->receipt),
				o->receipt ? sv_text(now) : sv_null(),
				o->receipt ? sv_text(o->req->actor) : sv_null(),
				sv_text(port), sv_text(now), sv_text(o->req->actor),
				held ? sv_text(note) : sv_null(),
				o->id ? sv_null() : sv_int(o->fine_movement)};
	if (!o->id)
		p[1] = sv_null();
	return store_tx_query_int(tx,
		"INSERT INTO traveler_fines (person_id, inspection_id, cause, days, amount_cents, legal_basis, status, receipt, paid_at, paid_by, port, created_at, created_by, status_note, movement_id)"
		" VALUES ($1, $2, 'overstay', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
		p, SV_N(p), &o->fine_id, err);
}

/* Whether the booth took the traveler leaving for a foreigner without
 * residence whose stay it measured: it found them over their stay
 * (overstay), or found no entry to measure it from (exit_without_entry,
 * of severity secondary for such a traveler only: rules.c rule_ledger). */
static bool booth_measured_stay(const json_t *reasons)
{
	if (reason_of(reasons, "overstay"))
		return true;
	const json_t *x = reason_of(reasons, "exit_without_entry");
	const char *sev = json_string_value(json_object_get(x, "severity"));
	return sev && !strcmp(sev, "secondary");
}

/*
 * The overstay of a traveler leaving, counted when the supervisor lets
 * them out, as the booth counts it (rules.c overstay()) but from where
 * the person is now: the latest presence of all the records linked to
 * them (API_WHERE_NOW), so a link a supervisor made after the booth (the
 * entry on the old passport, the exit on the new one) or an extension
 * granted since counts.  The days are counted to the booth's day (the day
 * the traveler presented themselves to leave) and the fine is the row of
 * fines.json in force that day, as the booth's reason would have carried
 * it.  *inside: whether there is a stay to measure (the person is inside
 * by the ledger); when there is none (no entry on record now, the exit
 * recorded since) the caller keeps what the booth saw.  *out: a reason
 * {"code": "overstay", "fine": {days, amount_cents, basis}} as the booth
 * stores it (inspections_api.c), or NULL when the person is inside
 * within their stay or on a stay without term.
 */
static int overstay_now(struct store_tx *tx, const struct rules_tables *t, int64_t person,
			const char *booth_at, bool *inside, json_t **out,
			struct sigm_error *err)
{
	*out = NULL;
	*inside = false;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(person)};
	int rc = store_tx_query(tx,
				"SELECT q.inside, q.since, q.permitted_until, (SELECT nationality FROM persons WHERE id = $1), "
				API_STAY_OPEN_SQL("q.movement_id") API_WHERE_NOW("$1"),
				k, 1, &r, err);
	if (rc)
		return rc;
	char booth[11], entered[11];
	int32_t today, entry, last_ok = CAL_NONE;
	struct sigm_error ignored;
	if (store_rows_count(r) != 1 || !store_rows_int(r, 0, 0))
		goto out; /* not inside: nothing to measure */
	*inside = true;
	api_local_day(booth_at, booth);
	api_local_day(store_rows_text(r, 0, 1), entered);
	if (cal_parse_day(booth, &today, "at", &ignored) ||
	    cal_parse_day(entered, &entry, "since", &ignored))
		goto out;
	if (!store_rows_isnull(r, 0, 2)) {
		/* the last permitted day, extensions included (ledger.c) */
		if (cal_parse_day(store_rows_text(r, 0, 2), &last_ok, "permitted_until", &ignored))
			goto out;
	} else if (!api_stay_open(store_rows_text(r, 0, 4))) {
		/* an entry without a stay of its own: the tables' for the
		 * nationality on the day of entry; none for a national, and
		 * none known is no fine (the booth says stay_not_determined) */
		int days = rules_default_stay(t, store_rows_text(r, 0, 3), entry);
		if (days > 0)
			last_ok = entry + days - 1;
	}
	if (last_ok == CAL_NONE || today <= last_ok)
		goto out;
	int over = (int)(today - last_ok);
	const struct rules_fine *f;
	int64_t cents = rules_overstay_fine(t, today, over, &f);
	json_t *amount = cents >= 0 ? json_integer(cents) : json_null();
	*out = json_pack("{s:s, s:{s:i, s:o, s:s}}", "code", "overstay", "fine",
			 "days", over, "amount_cents", amount, "basis", f ? f->basis : "");
out:
	store_rows_free(&r);
	return 0;
}

int api_exit_overstay(struct store_tx *tx, struct api_req *req, int64_t person,
		      const char *at, json_t **out, struct sigm_error *err)
{
	bool inside;
	return overstay_now(tx, req->ctx->rules, person, at, &inside, out, err);
}

int api_exit_fine_record(struct store_tx *tx, struct api_req *req, int64_t person,
			 int64_t movement, const char *port, const json_t *overstay,
			 const char *receipt, int64_t cents, json_t **fine,
			 struct sigm_error *err)
{
	struct resolve o = {.req = req, .receipt = receipt, .fine_cents = cents,
			    .fine_movement = movement};
	*fine = NULL;
	int rc = record_overstay_fine(tx, &o, person, port, overstay, err);
	if (rc)
		return rc;
	*fine = json_pack("{s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)o.fine_id,
			  "status", o.fine_status,
			  "days", o.fine_days >= 0 ? json_integer(o.fine_days) : json_null(),
			  "amount_cents", o.fine_amount >= 0 ? json_integer(o.fine_amount) : json_null(),
			  "credited_fine", o.credited_fine ? json_integer(o.credited_fine) : json_null());
	if (!*fine)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	char fid[24];
	snprintf(fid, sizeof(fid), "%lld", (long long)o.fine_id);
	json_t *d = json_pack("{s:s, s:I, s:I, s:O}", "status", o.fine_status,
			      "movement", (json_int_t)movement, "person_id", (json_int_t)person,
			      "amount_cents", json_object_get(*fine, "amount_cents"));
	return api_audit_tx(tx, req, "traveler_fine.contingency", "traveler_fine", fid, d, err);
}

/*
 * Whether registry record id (an exact match of the index) is in force
 * today and bars this crossing: an exit ban bars exits only, any other
 * court measure and any alert both ways.  since: only one registered
 * after it (NULL: whenever).  *what says it in Spanish, NULL when it does
 * not bar.
 */
static int registry_bars(struct store_tx *tx, enum subject_kind kind, int64_t id,
			 const char *since, const char *today, bool entry,
			 const char **what, struct sigm_error *err)
{
	struct store_rows *x = NULL;
	struct store_val q[] = {sv_int(id), sv_text(since), sv_text(today)};
	*what = NULL;
	int rc = store_tx_query(tx, kind == SUBJECT_RESTRICTION
		? "SELECT measure FROM restrictions WHERE id = $1 AND status = 'active'"
		  " AND (CAST($2 AS TEXT) IS NULL OR created_at > $2)"
		  " AND effective_from <= $3 AND (effective_to IS NULL OR effective_to >= $3)"
		: "SELECT category FROM alerts WHERE id = $1 AND status = 'active'"
		  " AND (CAST($2 AS TEXT) IS NULL OR created_at > $2)"
		  " AND valid_from <= $3 AND (valid_until IS NULL OR valid_until >= $3)",
		q, SV_N(q), &x, err);
	if (!rc && store_rows_count(x) == 1) {
		bool ban = kind == SUBJECT_RESTRICTION && !strcmp(store_rows_text(x, 0, 0), "exit_ban");
		if (!ban || !entry)
			*what = kind == SUBJECT_ALERT ? "una alerta migratoria"
				: ban ? "un impedimento de salida" : "una restricción judicial";
	}
	store_rows_free(&x);
	return rc;
}

/*
 * The person's exact matches in the registries now (the index, as the
 * booth reads them: api_screen_exact) registered after the booth's
 * inspection at booth_at and in force today: an exit ban (on an exit) or
 * another court measure, an alert, or a report of the inspected document
 * lost or stolen.  The first one found is a 409 registry_changed naming
 * it; 0 when none.  Without an index (a tool's server) the booth's
 * reading stands.
 */
static int registered_since_booth(struct store_tx *tx, struct resolve *o, int64_t person,
				  int64_t doc, bool entry, const char *booth_at,
				  struct sigm_error *err)
{
	struct store_rows *p = NULL;
	struct store_val k[] = {sv_int(person), sv_int(doc)};
	int rc = store_tx_query(tx, "SELECT p.given_names, p.surnames, p.birth_date, p.sex, p.nationality,"
				" d.kind, d.number, d.issuing_state FROM persons p LEFT JOIN documents d ON d.id = $2"
				" WHERE p.id = $1", k, 2, &p, err);
	if (rc || store_rows_count(p) != 1) {
		store_rows_free(&p);
		return rc;
	}
	struct persons_doc d = {.given_names = store_rows_text(p, 0, 0), .surnames = store_rows_text(p, 0, 1),
				.birth_date = store_rows_text(p, 0, 2), .sex = store_rows_text(p, 0, 3),
				.nationality = store_rows_text(p, 0, 4), .kind = store_rows_text(p, 0, 5),
				.number = store_rows_text(p, 0, 6), .issuing_state = store_rows_text(p, 0, 7)};
	char today[11];
	api_today(today);
	const char *what = NULL;
	int64_t found = 0;
	for (int kind = 0; !rc && !found && kind < SUBJECT_NKINDS; kind++) {
		int64_t ids[16];
		int n = api_screen_exact(o->req->ctx, (enum subject_kind)kind, &d, NULL, ids, 16);
		for (int i = 0; !rc && !found && i < n && i < 16; i++) {
			rc = registry_bars(tx, (enum subject_kind)kind, ids[i], booth_at, today, entry, &what, err);
			if (!rc && what)
				found = ids[i];
		}
	}
	if (!rc && !found && d.number && d.issuing_state) {
		struct store_val q[] = {sv_text(d.number), sv_text(d.issuing_state), sv_text(booth_at)};
		rc = store_tx_query_int(tx, "SELECT id FROM lost_stolen WHERE status = 'active' AND document_number = $1"
					" AND issuing_state = $2 AND created_at > $3 ORDER BY id LIMIT 1",
					q, SV_N(q), &found, err);
		if (rc == SIGM_ENOTFOUND)
			rc = 0, found = 0;
		else if (!rc)
			what = "la denuncia de pérdida o robo del documento";
	}
	store_rows_free(&p);
	if (rc || !found)
		return rc;
	return sigm_error_set(err, SIGM_ECONFLICT, "registry_changed", "resolution",
			      "después de la inspección se registró %s de esta persona (n.º %lld), que este caso no pesó: "
			      "inspeccione de nuevo en la cabina, o resuelva como no admitida",
			      what, (long long)found);
}


/*
 * A case inspected without any document weighed the traveler's names
 * alone: the booth had no number to look up.  Once a supervisor links the
 * person to their records (person-duplicates, «same»: the returnee whose
 * passport is on file), those records' documents are theirs, and a court's
 * order or an alert registered on a document's number stops them as it
 * would have at the booth: an exit admitted after secondary walked out
 * over the exit ban on the passport left at home.  In force now, not
 * named by the case's reasons (what the booth found by the names the
 * supervisor has read); an exit ban bars exits only.  409
 * linked_registry naming it; 0 when none.  Without an index (a tool's
 * server) the booth's reading stands, as in registered_since_booth.
 */
static int linked_documents_clear(struct store_tx *tx, struct resolve *o, int64_t person,
				  bool entry, const json_t *reasons, struct sigm_error *err)
{
	struct store_rows *d = NULL;
	struct store_val k[] = {sv_int(person)};
	int rc = store_tx_query(tx, "SELECT d.kind, d.number, d.issuing_state, p.given_names, p.surnames, p.birth_date"
				" FROM documents d JOIN persons p ON p.id = d.person_id"
				" WHERE d.person_id IN " API_LINKED_PERSONS " ORDER BY d.id LIMIT 50",
				k, 1, &d, err);
	if (rc)
		return rc;
	char today[11];
	api_today(today);
	const char *what = NULL;
	int64_t found = 0;
	int on = -1; /* the row of the document it was registered on */
	for (int i = 0; !rc && !found && i < store_rows_count(d); i++) {
		const char *kind = store_rows_text(d, i, 0), *num = store_rows_text(d, i, 1),
			   *state = store_rows_text(d, i, 2);
		struct persons_doc pd = {.kind = kind, .number = num, .issuing_state = state,
					 .given_names = store_rows_text(d, i, 3),
					 .surnames = store_rows_text(d, i, 4),
					 .birth_date = store_rows_text(d, i, 5)};
		/* a Salvadoran identity card's number is a DUI, as the
		 * registries keep it (12345678-9) */
		char dui[12];
		bool is_dui = kind && !strcmp(kind, "id_card") && state && !strcmp(state, "SLV") &&
			      num && strlen(num) == 9;
		if (is_dui)
			snprintf(dui, sizeof(dui), "%.8s-%c", num, num[8]);
		for (int sk = 0; !rc && !found && sk < SUBJECT_NKINDS; sk++) {
			int64_t ids[16];
			int n = api_screen_exact(o->req->ctx, (enum subject_kind)sk, &pd, is_dui ? dui : NULL, ids, 16);
			for (int j = 0; !rc && !found && j < n && j < 16; j++) {
				char ref[48];
				snprintf(ref, sizeof(ref), "%s:%lld", sk == SUBJECT_RESTRICTION ? "restriction" : "alert",
					 (long long)ids[j]);
				/* named by the case: the booth weighed it, and the
				 * supervisor read it */
				if (reason_with(reasons, "record", ref))
					continue;
				rc = registry_bars(tx, (enum subject_kind)sk, ids[j], NULL, today, entry, &what, err);
				if (!rc && what) {
					found = ids[j];
					on = i;
				}
			}
		}
	}
	if (!rc && found)
		rc = sigm_error_set(err, SIGM_ECONFLICT, "linked_registry", "resolution",
				    "la persona, inspeccionada sin documento, está vinculada a un registro cuyo documento "
				    "(%s %s) tiene %s vigente (n.º %lld), que este caso no pesó: %s",
				    store_rows_text(d, on, 2), store_rows_text(d, on, 1), what, (long long)found,
				    entry ? "inspeccione de nuevo con ese documento, o resuelva como no admitida"
					  : "inspeccione de nuevo con ese documento, o resuelva como salida no autorizada");
	store_rows_free(&d);
	return rc;
}

/*
 * An exit of a traveler without a document is a record of its own (never
 * linked by the booth), flagged beside the records whose data agree.  One
 * of them inside the country is most likely the same person leaving (the
 * stowaway admitted last month): let out before a supervisor reviews the
 * flag, the exit went to the new record, the entry stayed open (an
 * overstayer on the list for good, gone) and the overstay was never
 * charged.  409 duplicate_unreviewed naming the record; 0 when none.
 */
static int flags_reviewed(struct store_tx *tx, int64_t person, struct sigm_error *err)
{
	struct store_rows *x = NULL;
	struct store_val k[] = {sv_int(person)};
#define OTHER_SIDE "(CASE WHEN x.person_id IN " API_LINKED("$1") " THEN x.other_person_id ELSE x.person_id END)"
	int rc = store_tx_query(tx, "SELECT x.id, " OTHER_SIDE " FROM person_duplicates x WHERE x.status = 'open'"
				" AND (x.person_id IN " API_LINKED("$1") " OR x.other_person_id IN " API_LINKED("$1") ")"
				" AND EXISTS (SELECT 1 FROM presence q WHERE q.inside = 1 AND q.person_id IN " API_LINKED(OTHER_SIDE) ")"
				" ORDER BY x.id LIMIT 1",
				k, 1, &x, err);
#undef OTHER_SIDE
	if (!rc && store_rows_count(x) == 1)
		rc = sigm_error_set(err, SIGM_ECONFLICT, "duplicate_unreviewed", "resolution",
				    "la persona, inspeccionada sin documento, tiene un posible duplicado por revisar que está en el país "
				    "(persona n.º %s, posible duplicado n.º %s): revíselo antes de autorizar la salida; si es la misma "
				    "persona, la salida cierra su entrada y cuenta su permanencia",
				    store_rows_text(x, 0, 1), store_rows_text(x, 0, 0));
	store_rows_free(&x);
	return rc;
}

static int resolve_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct resolve *o = arg;
	struct store_rows *r = NULL;
	json_t *reasons = NULL;
	json_t *counted = NULL; /* the overstay as it stands (overstay_now) */
	struct store_val v[] = {sv_int(o->id)};
	int rc = store_tx_query(tx, "SELECT status, person_id, document_id, direction, port, transport, reasons, at, decision FROM inspections WHERE id = $1",
				v, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "inspection_not_found",
				    "id", "inspección inexistente");
		goto out;
	}
	if (strcmp(store_rows_text(r, 0, 0), "pending")) {
		rc = sigm_error_set(err, SIGM_ECONFLICT, "already_resolved",
				    "id", "la inspección ya fue resuelta");
		goto out;
	}
	int64_t person = store_rows_int(r, 0, 1), doc = store_rows_int(r, 0, 2);
	reasons = json_loads(store_rows_text(r, 0, 6), 0, NULL);
	/* An entry refused is an inadmission: the carrier returns the traveler
	 * (and a fine is proposed to it).  An exit refused is a departure not
	 * authorized (a warrant, a court order): its legal ground only, no
	 * inadmission, nothing for the carrier. */
	bool entry = !strcmp(store_rows_text(r, 0, 3), "entry");
	bool refuse = !strcmp(o->resolution, "refuse");
	bool admit = !strcmp(o->resolution, "admit");
	bool refer = !strcmp(o->resolution, "refer_atencion_migrante");
	const json_t *fine = entry ? NULL : reason_of(reasons, "overstay");
	if (refuse && (!o->ground || (entry && !o->ret))) {
		rc = sigm_error_set(err, SIGM_ERULE, "missing_field",
				    o->ground ? "return_transport" : "legal_ground",
				    entry ? "una inadmisión requiere el fundamento legal y el transporte de retorno"
					  : "una salida no autorizada requiere el fundamento legal");
		goto out;
	}
	/* at an airport or a seaport somebody brought the traveler: the
	 * carrier returns them and the fine is proposed to it (it was
	 * recorded without one, and no fine followed) */
	const struct rules_port *at_port = rules_port_find(o->req->ctx->rules, store_rows_text(r, 0, 4));
	if (refuse && entry && (!o->carrier || !*o->carrier) && at_port &&
	    at_port->kind != RULES_PORT_LAND) {
		rc = sigm_error_set(err, SIGM_ERULE, "missing_field", "carrier",
				    "una inadmisión en un aeropuerto o puerto requiere el transportista que trajo a la persona");
		goto out;
	}
	if (refuse && !entry && (o->ret || o->carrier || o->arrival)) {
		rc = sigm_error_set(err, SIGM_ERULE, "not_an_inadmission",
				    o->ret ? "return_transport" : o->carrier ? "carrier" : "arrival_transport",
				    "una salida no autorizada no es una inadmisión: sin transportista ni transporte de retorno");
		goto out;
	}
	/* a stay is granted on an entry that lets a foreigner in */
	if (o->permitted_stay_days && (!entry || refuse)) {
		rc = sigm_error_set(err, SIGM_ERULE, "stay_not_granted", "permitted_stay_days",
				    !entry ? "la permanencia solo se concede en una entrada"
					   : "una inadmisión no concede permanencia");
		goto out;
	}
	if (o->permitted_stay_days) {
		int64_t home = 0;
		struct store_val pv[] = {sv_int(person),
					 sv_text(o->req->ctx->rules->home)};
		rc = store_tx_query_int(tx, "SELECT count(*) FROM persons WHERE id = $1 AND nationality = $2",
					pv, 2, &home, err);
		if (rc)
			goto out;
		if (home) {
			rc = sigm_error_set(err, SIGM_ERULE, "no_stay_limit", "permitted_stay_days",
					    "la permanencia de una persona salvadoreña no tiene plazo");
			goto out;
		}
	}
	/* a stored case whose reasons cannot be read counts as grave; a
	 * referral on entry lets the person in too */
	if ((admit || (refer && entry)) && !o->notes && (!reasons || reasons_grave(reasons))) {
		rc = sigm_error_set(err, SIGM_ERULE, "justification_required", "notes",
				    "dejar pasar a la persona en este caso requiere una justificación en las observaciones: tiene un motivo de rechazo, una alerta, una restricción, un menor sin autorización, una verificación que no pudo hacerse, o no presentó documento de viaje (indique cómo se la identificó)");
		goto out;
	}
	const char *walked = json_string_value(json_object_get(reason_of(reasons, "secondary_pending"), "record"));
	/* A court's order or an alert registered for the person after the
	 * booth's inspection: the case's reasons never named it, and the
	 * supervisor letting the traveler through would cross it unseen (an
	 * exit recorded over an exit ban registered a minute after the booth
	 * sent the case here).  Inspected again, the booth weighs it. */
	if ((admit || (refer && entry)) && person &&
	    (rc = registered_since_booth(tx, o, person, doc, entry, store_rows_text(r, 0, 7), err)))
		goto out;
	if ((admit || (refer && entry)) && person && !doc &&
	    (rc = linked_documents_clear(tx, o, person, entry, reasons, err)))
		goto out;
	if (admit && !entry && person && !doc && (rc = flags_reviewed(tx, person, err)))
		goto out;
	/* Refused at another post since this inspection: the traveler left
	 * this queue and was turned back elsewhere (an inadmission, or an
	 * exit not authorized), or the case the booth found left pending
	 * there (secondary_pending) ended in a refusal.  Letting them
	 * through here would overrule that refusal unseen; inspected again,
	 * the booth says it (inadmission_recent). */
	if ((admit || (refer && entry)) && person) {
		struct store_rows *lr = NULL;
		int64_t left = walked && !strncmp(walked, "inspection:", 11) ? strtoll(walked + 11, NULL, 10) : 0;
		struct store_val lk[] = {sv_int(person), sv_text(store_rows_text(r, 0, 7)), sv_int(o->id),
					 sv_text(store_rows_text(r, 0, 3)), sv_int(left)};
		if ((rc = store_tx_query(tx, "SELECT i.id, i.port FROM inspections i WHERE i.person_id IN " API_LINKED("$1")
					 " AND (i.resolved_at > $2 OR i.id = $5) AND i.id <> $3 AND i.direction = $4"
					 " AND (i.resolution || '') = 'refuse' ORDER BY i.resolved_at DESC LIMIT 1",
					 lk, SV_N(lk), &lr, err)))
			goto out;
		if (store_rows_count(lr) == 1) {
			const struct rules_port *lp = rules_port_find(o->req->ctx->rules, store_rows_text(lr, 0, 1));
			rc = sigm_error_set(err, SIGM_ECONFLICT, "other_case_refused", "resolution",
					    "el caso de la inspección n.º %s en %s terminó en rechazo después de esta inspección: "
					    "inspeccione de nuevo a la persona",
					    store_rows_text(lr, 0, 0), lp ? lp->name : store_rows_text(lr, 0, 1));
		}
		store_rows_free(&lr);
		if (rc)
			goto out;
	}
	/* Refusing a crossing that has happened since (the booth admitted
	 * the person on a later inspection, at this post or another) would
	 * record an inadmission for somebody inside, or a departure not
	 * authorized for somebody gone. */
	int64_t crossed = 0;
	char crossed_at[40];
	if (person && (rc = api_crossing_since(tx, person, true, entry, NULL, store_rows_text(r, 0, 7),
					       &crossed, crossed_at, err)))
		goto out;
	/* An exit the booth refused (a court's exit ban, a stolen or
	 * expired passport) stays refused: it is pending only for what lies
	 * beside the refusal (a warrant for the police, a child alone), and
	 * a supervisor's note could let out a person a court holds.  A
	 * permit, or the record mended, and a new inspection do that; once
	 * that exit is recorded, the case closes on it. */
	if (!entry && admit && !crossed && !strcmp(store_rows_text(r, 0, 8), "refuse")) {
		rc = sigm_error_set(err, SIGM_ERULE, "exit_refused", "resolution",
				    "la salida fue rechazada en ventanilla: no se autoriza desde segunda revisión (un permiso judicial, o el registro corregido, y una nueva inspección)");
		goto out;
	}
	if (refuse) {
		if (crossed) {
			rc = sigm_error_set(err, SIGM_ECONFLICT, "crossing_recorded", "resolution",
					    "la persona ya %s después de este caso (movimiento n.º %lld): no se registra %s; "
					    "si aquel cruce fue un error, anúlelo primero",
					    entry ? "ingresó" : "salió", (long long)crossed,
					    entry ? "una inadmisión" : "una salida no autorizada");
			goto out;
		}
	}
	/* A case closing on an entry recorded since: that movement set the
	 * stay (the booth's, or its supervisor's), and the case records no
	 * movement of its own to carry another.  A stay given here was
	 * answered 200 and dropped; a prórroga (stay_api.c) is how a stay
	 * already running changes. */
	if (crossed && o->permitted_stay_days) {
		rc = sigm_error_set(err, SIGM_ERULE, "stay_already_recorded", "permitted_stay_days",
				    "la persona ya ingresó (movimiento n.º %lld), con la permanencia que ese ingreso fijó: "
				    "este caso se cierra sobre él sin conceder otra; para cambiarla, una prórroga",
				    (long long)crossed);
		goto out;
	}
	/* An exit let out after secondary pays the overstay of the person as
	 * it stands now, not as the booth saw it: a supervisor who linked the
	 * record the traveler entered on (their old passport) since the booth
	 * sent them here for "exit without entry" let them out without the
	 * fine.  With no stay left to measure (the exit recorded since, no
	 * entry on record now) the booth's reading stands. */
	/* A visitor past the stay who showed a carnet (residence_unverified):
	 * the supervisor who finds the residence does not stand charges the
	 * fine (its amount or receipt given); one who verified it lets the
	 * person out with the note that says so, and no fine. */
	/* A case closing on an exit recorded since (another case at another
	 * post let the traveler out, or the booth did) does not charge the
	 * stay again: when that exit has its fine, the fine is that one,
	 * named in the answer, and a receipt or another amount given here is
	 * refused (a payment goes to the fine, traveler_fines_api.c).  An
	 * exit recorded without one (on paper during an outage, at a post
	 * that did not see the overstay) still owes what this case found:
	 * it is charged below, to this case, as on any exit. */
	bool had = false;
	if (!entry && admit && crossed) {
		if ((rc = exit_fine(tx, o, person, crossed, &had, err)))
			goto out;
		if (had && (o->receipt || (o->fine_cents >= 0 && o->fine_cents != o->fine_amount))) {
			rc = sigm_error_set(err, SIGM_ECONFLICT, "fine_already_recorded",
					    o->receipt ? "fine_receipt" : "fine_amount",
					    "la salida (movimiento n.º %lld) ya tiene su multa por permanencia excedida "
					    "(multa n.º %lld, %s): no se cobra dos veces; %s",
					    (long long)crossed, (long long)o->fine_id,
					    strcmp(o->fine_status, "paid") ? "pendiente" : "pagada",
					    strcmp(o->fine_status, "paid") ? "su pago se registra en esa multa"
									   : "déjense vacíos el recibo y el monto");
			goto out;
		}
		if (had)
			fine = NULL;
	}
	bool charge = booth_measured_stay(reasons) ||
		      (reason_of(reasons, "residence_unverified") && (o->receipt || o->fine_cents >= 0));
	if (!entry && admit && !crossed && person && reasons && charge) {
		bool inside;
		if ((rc = overstay_now(tx, o->req->ctx->rules, person, store_rows_text(r, 0, 7), &inside, &counted, err)))
			goto out;
		if (inside)
			fine = counted;
	}
	if ((o->receipt || o->fine_cents >= 0) && !(admit && fine) && !had) {
		rc = sigm_error_set(err, SIGM_ERULE, "no_fine",
				    o->receipt ? "fine_receipt" : "fine_amount",
				    "solo la salida autorizada de quien excedió la permanencia lleva multa");
		goto out;
	}
	char now[40];
	store_now_iso(now, sizeof(now));
	/* Admitted, the movement is recorded; referred on entry too, since the
	 * person is in the country in the care of Atención al Migrante
	 * (asylum, protection, a returnee).  Referred on exit, the person
	 * does not leave. */
	if (admit || (refer && entry)) {
		if (!person) {
			rc = sigm_error_set(err, SIGM_ERULE, "no_identity", "id",
					    "no se puede registrar el movimiento sin identidad registrada");
			goto out;
		}
		struct ledger_movement m = {
			.person_id = person, .document_id = doc,
			.inspection_id = o->id,
			.direction = store_rows_text(r, 0, 3),
			.port = store_rows_text(r, 0, 4),
			.officer = o->req->actor,
			.transport = store_rows_text(r, 0, 5),
			.decision = admit ? "admit_after_secondary" : "admit_referred",
			.reasons_json = store_rows_text(r, 0, 6),
			.permitted_stay_days = o->permitted_stay_days};
		/* Without a stay of its own, an admitted entry gets the one the
		 * booth worked out (its stay_granted reason): a foreigner
		 * admitted after secondary has a last permitted day like any
		 * other, the day the booth said - the days since the booth are
		 * taken off, as the stay counts from the movement's day.  A
		 * referral does not: the person is in the DAM's care. */
		const json_t *granted = reason_of(reasons, "stay_granted");
		json_t *gd = json_object_get(granted, "days");
		if (admit && entry && !m.permitted_stay_days && json_is_integer(gd) &&
		    json_integer_value(gd) > 0 && json_integer_value(gd) <= 365) {
			char booth[11], today[11];
			int32_t b, t;
			struct sigm_error ignored;
			api_local_day(store_rows_text(r, 0, 7), booth);
			api_today(today);
			int late = 0;
			if (!cal_parse_day(booth, &b, "at", &ignored) &&
			    !cal_parse_day(today, &t, "today", &ignored) && t > b)
				late = cal_days_between(b, t);
			int left = (int)json_integer_value(gd) - late;
			m.permitted_stay_days = left > 0 ? left : 0;
		}
		/* The crossing may be recorded already: the case was opened
		 * twice (a double swipe that went to secondary), or the booth
		 * admitted the person since (the facts changed), here or at
		 * another post.  The case then closes on that movement: a
		 * crossing is recorded once (another post's was recorded
		 * again). */
		if (crossed) {
			o->movement_id = crossed;
			o->already_recorded = true;
		} else {
			rc = ledger_add(tx, &m, &o->movement_id, err);
		}
	}
	if (!rc && admit && fine)
		rc = record_overstay_fine(tx, o, person, store_rows_text(r, 0, 4), fine, err);
	if (!rc && entry && o->movement_id)
		rc = drop_inadmissible_fines(tx, o, err);
	if (!rc && refer) {
		struct store_val p[] = {sv_int(o->id), person ? sv_int(person) : sv_null(),
					sv_text(store_rows_text(r, 0, 4)),
					sv_text(store_rows_text(r, 0, 3)), sv_text(o->motive),
					sv_text(o->notes), sv_text(now), sv_text(o->req->actor)};
		rc = store_tx_query_int(tx,
			"INSERT INTO referrals (inspection_id, person_id, port, direction, motive, notes, status, created_at, created_by)"
			" VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id",
			p, SV_N(p), &o->referral_id, err);
	}
	if (!rc && refuse && entry) {
		struct store_val p[] = {sv_int(o->id),
					person ? sv_int(person) : sv_null(),
					sv_text(o->ground), sv_text(o->carrier),
					sv_text(o->arrival), sv_text(o->ret),
					sv_text(o->notes), sv_text(now),
					sv_text(o->req->actor)};
		rc = store_tx_query_int(tx,
					"INSERT INTO inadmissions (inspection_id, person_id, legal_ground, carrier, arrival_transport, return_transport, notes, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
					p, SV_N(p), &o->inadmission_id, err);
	}
	if (rc)
		goto out;
	struct store_val u[] = {sv_int(o->id), sv_text(o->req->actor), sv_text(now),
				sv_text(o->resolution),
				o->movement_id ? sv_int(o->movement_id) : sv_null(),
				sv_text(o->ground), sv_text(o->notes)};
	rc = store_tx_exec(tx, "UPDATE inspections SET status = 'resolved', resolved_by = $2, resolved_at = $3, resolution = $4, movement_id = COALESCE($5, movement_id), legal_ground = $6, resolution_notes = $7 WHERE id = $1",
			   u, SV_N(u), NULL, err);
	if (rc)
		goto out;
	/* The case the traveler walked away from at another post
	 * (secondary_pending), which this supervisor read before letting the
	 * person through: the crossing recorded here settles it, closed on
	 * that movement (and opened again if the movement is voided). */
	if (o->movement_id && walked && !strncmp(walked, "inspection:", 11)) {
		char note[240];
		snprintf(note, sizeof(note), "%s en %s tras segunda revisión (inspección n.º %lld)",
			 refer ? "Remitida a Atención al Migrante" : entry ? "Admitida" : "Salida autorizada",
			 at_port ? at_port->name : store_rows_text(r, 0, 4), (long long)o->id);
		struct store_val k[] = {sv_int(strtoll(walked + 11, NULL, 10)), sv_text(o->req->actor),
					sv_text(now), sv_int(o->movement_id), sv_text(note),
					sv_int(person), sv_text(store_rows_text(r, 0, 3))};
		int64_t closed = 0;
		rc = store_tx_exec(tx, "UPDATE inspections SET status = 'resolved', resolution = 'superseded', resolved_by = $2,"
				   " resolved_at = $3, movement_id = $4, resolution_notes = $5"
				   /* a referral, not a refusal: a refused entry waits
				    * for its inadmission record whatever the person
				    * does next, as at the booth */
				   " WHERE id = $1 AND status = 'pending' AND decision = 'secondary'"
				   " AND person_id IN " API_LINKED("$6") " AND direction = $7",
				   k, SV_N(k), &closed, err);
		if (!rc && closed) {
			json_t *d = json_pack("{s:s, s:I, s:I, s:I}", "resolution", "superseded", "by_inspection",
					      (json_int_t)o->id, "movement", (json_int_t)o->movement_id,
					      "person_id", (json_int_t)person);
			rc = api_audit_tx(tx, o->req, "inspection.superseded", "inspection", walked + 11, d, err);
		}
		if (rc)
			goto out;
	}
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)o->id);
	/* whose case: the entry names the person (their audit trail) */
	json_t *d = json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o}", "resolution", o->resolution,
			      "legal_ground", o->ground, "notes", o->notes,
			      "fine_status", o->fine_status, "fine_receipt", o->receipt,
			      "referral_motive", o->motive,
			      "person_id", person ? json_integer(person) : json_null());
	rc = api_audit_tx(tx, o->req, "inspection.resolve", "inspection", rid, d, err);
out:
	json_decref(counted);
	json_decref(reasons);
	store_rows_free(&r);
	return rc;
}

void api_secondary_resolve(struct api_req *req, struct api_resp *resp);
void api_secondary_resolve(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"resolution", "legal_ground", "carrier",
					"arrival_transport", "return_transport",
					"notes", "permitted_stay_days", "fine_receipt",
					"fine_amount", "referral_motive", NULL};
	struct resolve o = {.req = req, .fine_cents = -1};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "inspección", &o.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "resolution", true, 40, &o.resolution) ||
	    api_get_str(resp, b, "legal_ground", false, 500, &o.ground) ||
	    api_get_str(resp, b, "carrier", false, 120, &o.carrier) ||
	    api_get_str(resp, b, "arrival_transport", false, 120, &o.arrival) ||
	    api_get_str(resp, b, "return_transport", false, 120, &o.ret) ||
	    api_get_str(resp, b, "notes", false, 2000, &o.notes) ||
	    api_get_str(resp, b, "fine_receipt", false, 60, &o.receipt) ||
	    api_get_str(resp, b, "referral_motive", false, 40, &o.motive))
		return;
	if (strcmp(o.resolution, "admit") && strcmp(o.resolution, "refuse") &&
	    strcmp(o.resolution, "refer_atencion_migrante")) {
		api_error(resp, 422, "invalid_value", "resolution",
			  "resolución: admit, refuse o refer_atencion_migrante");
		return;
	}
	/* why Atención al Migrante receives the person: its work list is
	 * sorted by it */
	static const char *const MOTIVES[] = {"asylum", "trafficking",
		"unaccompanied_minor", "returnee", "vulnerable", NULL};
	bool refer = !strcmp(o.resolution, "refer_atencion_migrante"), known = false;
	for (int k = 0; o.motive && MOTIVES[k]; k++)
		known |= !strcmp(o.motive, MOTIVES[k]);
	if (refer && !known) {
		api_error(resp, 422, o.motive ? "invalid_value" : "missing_field", "referral_motive",
			  "elija el motivo de la remisión (asylum, trafficking, unaccompanied_minor, returnee o vulnerable)");
		return;
	}
	if (!refer && o.motive) {
		api_error(resp, 422, "not_a_referral", "referral_motive",
			  "el motivo de remisión solo acompaña una remisión a Atención al Migrante");
		return;
	}
	long long days;
	if (api_get_int(resp, b, "permitted_stay_days", false, 1, 365, &days))
		return;
	o.permitted_stay_days = (int)days;
	if (api_get_amount(resp, b, "fine_amount", &o.fine_cents))
		return;
	struct sigm_error err;
	if (store_write(req->ctx->store, resolve_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (o.inadmission_id) {
		/* the carrier that brought the traveler: a proposed fine (after
		 * the commit, the refusal stands whatever happens here) */
		char today[11];
		api_today(today);
		compliance_evaluate_logged(req->ctx, today, COMPLIANCE_INADMISSIBLE,
					   req->actor, req->remote);
	}
	json_t *out =
		 json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)o.id,
			   "status", "resolved", "resolution", o.resolution,
			   "movement_id", o.movement_id ? json_integer(o.movement_id) : json_null(),
			   "inadmission_id", o.inadmission_id ? json_integer(o.inadmission_id) : json_null(),
			   "referral_id", o.referral_id ? json_integer(o.referral_id) : json_null(),
			   "fine", o.fine_id ? json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)o.fine_id,
							 "status", o.fine_status,
							 "days", o.fine_days >= 0 ? json_integer(o.fine_days) : json_null(),
							 "amount_cents", o.fine_amount >= 0 ? json_integer(o.fine_amount) : json_null())
					     : json_null(),
			   "already_recorded", o.already_recorded);
	/* what was paid for an exit voided since, credited to this one */
	if (o.credited_fine)
		json_object_set_new(out, "credited_fine_id", json_integer(o.credited_fine));
	api_json(resp, 200, out);
}

/* ---- ledger ---- */

void api_movement_stats(struct api_req *req, struct api_resp *resp);
void api_movement_stats(struct api_req *req, struct api_resp *resp)
{
	const char *month = api_query(req, "month");
	if (!month || !(strlen(month) == 7 && api_valid_date(month, true))) {
		api_error(resp, 400, month ? "invalid_date" : "missing_parameter",
			  "month", "indique el mes (AAAA-MM)");
		return;
	}
	const char *format = api_query(req, "format");
	if (format && strcmp(format, "csv") && strcmp(format, "json")) {
		api_error(resp, 400, "invalid_value", "format", "«format»: json o csv");
		return;
	}
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (ledger_monthly(req->ctx->store, month, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	/* figures without names, but a post's single crossing of a month
	 * can point at someone: who read which month is kept */
	json_t *crit = json_pack("{s:s, s:s}", "month", month, "format", format ? format : "json");
	api_audit(req, "statistics.read", NULL, NULL, crit);
	json_decref(crit);
	/* Planificación takes the month into its own sheets: one row per
	 * post, direction and decision, the post's name beside its code */
	if (format && !strcmp(format, "csv")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (!f) {
			store_rows_free(&r);
			api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
			return;
		}
		fputs("month,port,port_name,direction,decision,count\r\n", f);
		for (int i = 0; i < store_rows_count(r); i++) {
			const struct rules_port *pt = rules_port_find(req->ctx->rules, store_rows_text(r, i, 0));
			const char *v[] = {month, store_rows_text(r, i, 0), pt ? pt->name : store_rows_text(r, i, 0),
					   store_rows_text(r, i, 1), store_rows_text(r, i, 2)};
			for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
				bulk_csv_field(f, v[k]);
				fputc(',', f);
			}
			fprintf(f, "%lld\r\n", (long long)store_rows_int(r, i, 3));
		}
		store_rows_free(&r);
		char name[40];
		snprintf(name, sizeof(name), "movimientos-%s.csv", month);
		bulk_csv_answer(resp, f, &buf, &len, name);
		return;
	}
	json_t *items = json_array();
	json_int_t total = 0;
	for (int i = 0; i < store_rows_count(r); i++) {
		json_int_t n = (json_int_t)store_rows_int(r, i, 3);
		total += n;
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:I}",
			"port", store_rows_text(r, i, 0),
			"direction", store_rows_text(r, i, 1),
			"decision", store_rows_text(r, i, 2), "count", n));
	}
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:s, s:I, s:o}", "month", month,
				      "total", total, "items", items));
}

/* The ledger's instants as ledger_add writes them (store_now_iso, or a
 * contingency record's instant in the same form): 2026-07-28T17:52:03.123Z. */
#define API_INSTANT_LEN 24

/* Whether s is such an instant, a real one (not 2026-13-01 nor 25:00). */
static bool instant_ok(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	if (strlen(s) != API_INSTANT_LEN)
		return false;
	for (int i = 0; i < API_INSTANT_LEN; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	char day[11];
	snprintf(day, sizeof(day), "%.10s", s);
	return api_valid_date(day, false) && atoi(s + 11) < 24 &&
	       atoi(s + 14) < 60 && atoi(s + 17) < 60;
}

/* A day as the overstayers' cursor writes it (a last permitted day). */
static bool day_ok(const char *s)
{
	return api_valid_date(s, false);
}

/* A page's cursor "KEY,ID" as next_cursor writes it: the last row's key
 * of len characters that key_ok accepts (the movements' instant, the
 * overstayers' day) and its number, written one way (no sign, space or
 * leading zero, at most 18 digits).  Anything else used to be compared
 * as text: "abc,1" sorts after every instant and answered the first page
 * again, without its totals; "2026-01-01, 5" or a 20-digit number were
 * taken for some page. */
static bool cursor_parse(const char *s, size_t len, bool (*key_ok)(const char *),
			 char *key, long long *id)
{
	const char *comma = strrchr(s, ',');
	if (!comma || (size_t)(comma - s) != len)
		return false;
	snprintf(key, len + 1, "%.*s", (int)len, s);
	const char *n = comma + 1;
	size_t nlen = strlen(n);
	if (!key_ok(key) || nlen == 0 || nlen > 18 || n[0] == '0')
		return false;
	for (size_t i = 0; i < nlen; i++)
		if (!isdigit((unsigned char)n[i]))
			return false;
	*id = atoll(n);
	return true;
}

void api_movements_list(struct api_req *req, struct api_resp *resp);
void api_movements_list(struct api_req *req, struct api_resp *resp)
{
	long long limit;
	if (api_query_int(req, resp, "limit", 100, 1, 1000, &limit))
		return;
	const char *day = api_query(req, "day");
	const char *dir = api_query(req, "direction"), *cursor = api_query(req, "cursor");
	if (!day) {
		api_error(resp, 400, "missing_parameter", "day",
			  "indique el día (AAAA-MM-DD)");
		return;
	}
	if (!api_valid_date(day, false)) {
		api_error(resp, 400, "invalid_date", "day", "día inválido (AAAA-MM-DD)");
		return;
	}
	const struct rules_port *pt;
	if (api_query_port(req, resp, &pt))
		return;
	if (dir && strcmp(dir, "entry") && strcmp(dir, "exit")) {
		api_error(resp, 400, "invalid_direction", "direction", "«direction»: entry o exit");
		return;
	}
	/* In the order the crossings happened (a contingency record entered
	 * hours later falls at its hour), newest first; the cursor is the
	 * last row's instant and number, "AT,ID". */
	char at[API_INSTANT_LEN + 1] = "9999";
	long long after = INT64_MAX;
	if (cursor && !cursor_parse(cursor, API_INSTANT_LEN, instant_ok, at, &after)) {
		api_error(resp, 400, "invalid_parameter", "cursor",
			  "«cursor»: el next_cursor de la página anterior (instante,número)");
		return;
	}
	struct store_val p[] = {sv_opt(pt ? pt->code : NULL), sv_text(day), sv_opt(dir),
				sv_text(at), sv_int(after), sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store,
			"SELECT m.id, m.at, m.port, m.direction, m.decision, m.transport, m.officer, m.person_id, m.document_id,"
			" m.permitted_stay_days, m.corrects_movement_id, m.correction_reason, m.approved_by,"
			" m.reasons, m.created_at AS recorded_at, p.given_names, p.surnames, p.nationality,"
			/* the officer by name, as the supervisors know them */
			" " API_STAFF_NAME("m.officer") " AS officer_name,"
			" " API_STAFF_NAME("m.approved_by") " AS approved_by_name,"
			/* a movement voided since: the list says by which entry */
			" (SELECT min(c.id) FROM movements c WHERE c.corrects_movement_id = m.id) AS voided_by,"
			/* an officer asked for it to be voided: the request waiting */
			" (SELECT min(q.id) FROM correction_requests q WHERE q.movement_id = m.id AND q.status = 'pending') AS correction_requested"
			" FROM movements m JOIN persons p ON p.id = m.person_id"
			" WHERE (CAST($1 AS TEXT) IS NULL OR m.port = $1) AND m.day = $2"
			" AND (CAST($3 AS TEXT) IS NULL OR m.direction = $3)"
			" AND (m.at < $4 OR (m.at = $4 AND m.id < $5)) ORDER BY m.at DESC, m.id DESC LIMIT $6",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	int n = store_rows_count(r);
	json_t *next = n > limit ? json_sprintf("%s,%lld", store_rows_text(r, (int)limit - 1, 1),
						  (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	json_t *out = json_pack("{s:o, s:o}", "items", rows_json(r, (int)limit), "next_cursor", next);
	json_t *crit = json_pack("{s:s, s:s?, s:s?}", "day", day, "port", pt ? pt->code : NULL, "direction", dir);
	api_audit_list(req, "movement.list", "person", r, 7, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	/* the day's figures, whatever the page: a busy airport has thousands */
	if (!cursor) {
		struct store_val c[] = {sv_opt(pt ? pt->code : NULL), sv_text(day)};
		if (store_query(req->ctx->store,
				"SELECT direction, count(*) FROM movements m WHERE (CAST($1 AS TEXT) IS NULL OR m.port = $1)"
				" AND m.day = $2 AND m.decision <> 'void'"
				" AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = m.id) GROUP BY direction",
				c, 2, &r, &err)) {
			json_decref(out);
			api_error_from(resp, &err);
			return;
		}
		json_t *t = json_pack("{s:i, s:i}", "entry", 0, "exit", 0);
		for (int i = 0; i < store_rows_count(r); i++)
			json_object_set_new(t, store_rows_text(r, i, 0), json_integer(store_rows_int(r, i, 1)));
		json_object_set_new(out, "totals", t);
		store_rows_free(&r);
	}
	api_json(resp, 200, out);
}

struct correction {
	struct api_req *req;
	int64_t id;
	const char *reason, *approved_by;
	int64_t new_id;
	json_t *reopened; /* the cases back in the queue (reopen_cases) */
};

static int correct_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct correction *c = arg;
	/* The approver is the supervisor who records it, signed in: a
	 * correction naming another supervisor, who never saw it, was
	 * recorded as approved by them. */
	if (strcmp(c->approved_by, c->req->actor))
		return sigm_error_set(err, SIGM_ERULE, "approver_not_caller", "approved_by",
				      "la corrección la aprueba el supervisor que la registra (%s), no «%s»",
				      c->req->actor, c->approved_by);
	struct store_val a[] = {sv_text(c->approved_by)};
	int64_t ok = 0;
	struct sigm_error e2;
	store_tx_query_int(tx, "SELECT COUNT(*) FROM user_roles r JOIN users u ON u.username = r.username WHERE r.username = $1 AND r.role = 'supervisor_control' AND u.disabled = 0",
			   a, 1, &ok, &e2);
	if (!ok)
		return sigm_error_set(err, SIGM_ERULE, "approver_not_supervisor",
				      "approved_by",
				      "«%s» no es un supervisor de control migratorio activo",
				      c->approved_by);
	return api_movement_void_tx(tx, c->req, c->id, c->reason, 0, NULL, &c->new_id, c->reopened, err);
}

/*
 * The overstay fines of an exit being voided (the fines of the cases that
 * closed on it): the crossing did not happen, so its fine does not stand.
 * A pending one is cancelled; a paid one is held ("refund_review"): the
 * money was taken for an exit that did not happen, and is credited to
 * the person's next exit (record_overstay_fine) or refunded, never lost
 * nor deleted.  Each says which correction, and is audited.
 */
static int void_exit_fines(struct store_tx *tx, struct api_req *req, int64_t person,
			   int64_t movement, int64_t correction, const char *reason,
			   struct sigm_error *err)
{
	struct store_rows *r = NULL;
	int rc = exit_fines(tx, person, movement, &r, err);
	if (rc)
		return rc;
	char now[40];
	store_now_iso(now, sizeof(now));
	for (int i = 0; !rc && i < store_rows_count(r); i++) {
		bool paid = !strcmp(store_rows_text(r, i, 1), "paid");
		const char *to = paid ? "refund_review" : "cancelled";
		char note[1200];
		snprintf(note, sizeof(note), "%s: la salida (movimiento n.º %lld) fue anulada por la corrección n.º %lld (%s)",
			 paid ? "Pagada por una salida anulada: se acredita a la próxima salida o se reembolsa"
			      : "Anulada",
			 (long long)movement, (long long)correction, reason);
		struct store_val u[] = {sv_int(store_rows_int(r, i, 0)), sv_text(to), sv_text(note), sv_text(now)};
		rc = store_tx_exec(tx, "UPDATE traveler_fines SET status = $2, status_note = $3, status_changed_at = $4 WHERE id = $1",
				   u, SV_N(u), NULL, err);
		if (rc)
			break;
		char fid[24];
		snprintf(fid, sizeof(fid), "%lld", (long long)store_rows_int(r, i, 0));
		json_t *d = json_pack("{s:s, s:s, s:I, s:I, s:I}", "from", store_rows_text(r, i, 1), "status", to,
				      "voided_movement", (json_int_t)movement, "correction", (json_int_t)correction,
				      "person_id", (json_int_t)store_rows_int(r, i, 4));
		rc = api_audit_tx(tx, req, "traveler_fine.exit_voided", "traveler_fine", fid, d, err);
	}
	store_rows_free(&r);
	return rc;
}

/*
 * The cases that closed on a movement being voided, back in the secondary
 * queue: the crossing they stand on did not happen.  Those a later
 * admission closed (superseded: the booth's, or another post's supervisor
 * letting the person through), and those a supervisor admitted on the
 * crossing recorded since (already_recorded: the movement is not the
 * case's own).  Left resolved, such a case looked finished while the
 * person had no crossing on record.  Each goes back pending, saying why
 * and who had decided it; its ids are appended to reopened, and each is
 * audited as inspection.reopened.  A case whose own resolution wrote the
 * movement (the voiding corrects that record itself), and a referral to
 * Atención al Migrante (its outcome is the referral, which stands), are
 * not reopened.
 */
static int reopen_cases(struct store_tx *tx, struct api_req *req, int64_t movement,
			int64_t person, json_t *reopened, struct sigm_error *err)
{
	struct store_val so[] = {sv_int(movement), sv_int(person)};
	struct store_rows *r = NULL;
	/* by the person (inspections_person), not a walk of every case:
	 * the person's records, linked ones too (a case on another record
	 * closed by this admission, secondary_pending); the status compared
	 * as an expression, or SQLite walks every resolved case in the
	 * country by inspections_status */
	int rc = store_tx_query(tx, "SELECT i.id, i.resolution, i.resolved_by, " API_STAFF_NAME("i.resolved_by") ","
				" i.resolution_notes, i.resolved_at FROM inspections i"
				" WHERE i.person_id IN " API_LINKED("$2") " AND i.movement_id = $1"
				" AND (i.status || '') = 'resolved'"
				" AND (i.resolution = 'superseded' OR (i.resolution = 'admit' AND NOT EXISTS"
				"  (SELECT 1 FROM movements mv WHERE mv.id = $1 AND mv.inspection_id = i.id)))"
				" ORDER BY i.id",
				so, SV_N(so), &r, err);
	/* people by the names the supervisors know them by, as the queue
	 * shows the staff (the username when an account has none) */
	const char *voider = req->who && req->who->display_name[0] ? req->who->display_name : req->actor;
	for (int i = 0; !rc && i < store_rows_count(r); i++) {
		bool superseded = !strcmp(store_rows_text(r, i, 1), "superseded");
		const char *by = store_rows_isnull(r, i, 2) ? NULL : store_rows_text(r, i, 2);
		const char *by_name = store_rows_isnull(r, i, 3) || !*store_rows_text(r, i, 3) ? by : store_rows_text(r, i, 3);
		/* the queue and the history say why it is back */
		char why[600];
		if (superseded)
			snprintf(why, sizeof(why), "Reabierta: la admisión que la cerró (movimiento n.º %lld) fue anulada por %s",
				 (long long)movement, voider);
		else
			snprintf(why, sizeof(why), "Reabierta: el cruce sobre el que %s la admitió, ya registrado "
				 "(movimiento n.º %lld), fue anulado por %s: la persona no tiene ese cruce; resuélvala de nuevo",
				 by_name ? by_name : "el supervisor", (long long)movement, voider);
		int64_t cid = store_rows_int(r, i, 0);
		/* what had been decided stays on the case, for the supervisor
		 * who decides it again (previous_resolution in the queue) */
		struct store_val k[] = {sv_int(cid), sv_text(why), sv_text(store_rows_text(r, i, 1)), sv_opt(by),
					store_rows_isnull(r, i, 4) ? sv_null() : sv_text(store_rows_text(r, i, 4)),
					store_rows_isnull(r, i, 5) ? sv_null() : sv_text(store_rows_text(r, i, 5))};
		rc = store_tx_exec(tx, "UPDATE inspections SET status = 'pending', resolution = NULL, resolved_by = NULL,"
				   " resolved_at = NULL, movement_id = NULL, legal_ground = NULL, resolution_notes = $2,"
				   " previous_resolution = $3, previous_resolved_by = $4, previous_resolution_notes = $5,"
				   " previous_resolved_at = $6 WHERE id = $1",
				   k, SV_N(k), NULL, err);
		if (rc)
			break;
		char id[24];
		snprintf(id, sizeof(id), "%lld", (long long)cid);
		json_t *d = json_pack("{s:I, s:I, s:s, s:s?}", "voided_movement", (json_int_t)movement,
				      "person_id", (json_int_t)person, "was", store_rows_text(r, i, 1),
				      "resolved_by", by);
		rc = api_audit_tx(tx, req, "inspection.reopened", "inspection", id, d, err);
		if (!rc)
			json_array_append_new(reopened, json_integer(cid));
	}
	store_rows_free(&r);
	return rc;
}

int api_movement_void_tx(struct store_tx *tx, struct api_req *req, int64_t id,
			 const char *reason, int64_t request, const char *note,
			 int64_t *new_id, json_t *reopened, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	/* a supervisor voiding directly a movement they themselves asked to
	 * void would answer their own request: the four eyes it asked for */
	if (!request) {
		struct store_val k[] = {sv_int(id)};
		int qrc = store_tx_query(tx, "SELECT id, requested_by FROM correction_requests WHERE movement_id = $1 AND status = 'pending'",
					 k, 1, &r, err);
		if (qrc)
			return qrc;
		if (store_rows_count(r) == 1) {
			request = store_rows_int(r, 0, 0);
			if (!strcmp(store_rows_text(r, 0, 1), req->actor)) {
				store_rows_free(&r);
				return sigm_error_set(err, SIGM_ECONFLICT, "four_eyes", "id",
						      "usted pidió la anulación de este movimiento (solicitud n.º %lld): la decide otro supervisor",
						      (long long)request);
			}
		}
		store_rows_free(&r);
	}
	struct store_val v[] = {sv_int(id)};
	int rc = store_tx_query(tx,
				"SELECT person_id, document_id, direction, port, corrects_movement_id,"
				" (SELECT COUNT(*) FROM movements x WHERE x.corrects_movement_id = m.id) FROM movements m WHERE id = $1",
				v, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		return sigm_error_set(err, SIGM_ENOTFOUND, "movement_not_found",
				      "id", "movimiento inexistente");
	}
	if (!store_rows_isnull(r, 0, 4) || store_rows_int(r, 0, 5) > 0) {
		store_rows_free(&r);
		return sigm_error_set(err, SIGM_ECONFLICT, "already_corrected", "id",
				      "el movimiento ya fue corregido o es una corrección");
	}
	struct ledger_movement m = {
		.person_id = store_rows_int(r, 0, 0),
		.document_id = store_rows_int(r, 0, 1),
		.direction = store_rows_text(r, 0, 2),
		.port = store_rows_text(r, 0, 3),
		.officer = req->actor,
		.decision = "void",
		.corrects_movement_id = id,
		.correction_reason = reason,
		.approved_by = req->actor};
	/* (m's texts are r's: gone with it) */
	bool was_exit = !strcmp(m.direction, "exit");
	rc = ledger_add(tx, &m, new_id, err);
	store_rows_free(&r);
	if (rc)
		return rc;
	/* the fines first: they are found by the cases that closed on the
	 * exit, which reopen_cases takes off it */
	if (was_exit && (rc = void_exit_fines(tx, req, m.person_id, id, *new_id, reason, err)))
		return rc;
	json_t *cases = json_array();
	if ((rc = reopen_cases(tx, req, id, m.person_id, cases, err))) {
		json_decref(cases);
		return rc;
	}
	if (reopened)
		json_array_extend(reopened, cases);
	/* an officer's request for it is answered by it, whichever way the
	 * supervisor came to it */
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val q[] = {sv_int(id), sv_text(req->actor), sv_text(now), sv_int(*new_id)};
	rc = store_tx_exec(tx, "UPDATE correction_requests SET status = 'approved', decided_by = $2, decided_at = $3,"
			   " correction_movement_id = $4 WHERE movement_id = $1 AND status = 'pending'",
			   q, SV_N(q), NULL, err);
	if (rc) {
		json_decref(cases);
		return rc;
	}
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)id);
	json_t *d = json_pack("{s:s, s:s, s:I, s:I}", "reason", reason,
			      "approved_by", req->actor, "compensating_movement",
			      (json_int_t)*new_id, "person_id", (json_int_t)m.person_id);
	/* the correction's entry names the cases it sent back to the queue */
	if (json_array_size(cases))
		json_object_set(d, "reopened_cases", cases);
	json_decref(cases);
	if (request)
		json_object_set_new(d, "request", json_integer(request));
	if (note)
		json_object_set_new(d, "note", json_string(note));
	return api_audit_tx(tx, req, "movement.correct", "movement", rid, d, err);
}

void api_movements_correct(struct api_req *req, struct api_resp *resp);
void api_movements_correct(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"reason", "approved_by", NULL};
	struct correction c = {.req = req};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "movimiento", &c.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "reason", true, 1000, &c.reason) ||
	    api_get_str(resp, b, "approved_by", false, 64, &c.approved_by))
		return;
	if (!c.approved_by)
		c.approved_by = req->actor;
	struct sigm_error err;
	c.reopened = json_array();
	if (store_write(req->ctx->store, correct_fn, &c, &err)) {
		json_decref(c.reopened);
		api_error_from(resp, &err);
		return;
	}
	/* the cases that closed on it, back in the secondary queue: said to
	 * the supervisor who voided it */
	api_json(resp, 201,
		 json_pack("{s:I, s:I, s:s, s:o}", "id", (json_int_t)c.new_id,
			   "corrects_movement_id", (json_int_t)c.id, "decision", "void",
			   "reopened_cases", c.reopened));
}

void api_overstayers(struct api_req *req, struct api_resp *resp);
void api_overstayers(struct api_req *req, struct api_resp *resp)
{
	long long limit, min_days;
	if (api_query_int(req, resp, "limit", 200, 1, 2000, &limit) ||
	    api_query_int(req, resp, "min_days", 1, 1, 36600, &min_days))
		return;
	char today[11], cut[11], nat[4] = "";
	api_today(today);
	const char *as_of = api_query(req, "as_of");
	if (as_of && !api_valid_date(as_of, false)) {
		api_error(resp, 400, "invalid_date", "as_of", "fecha inválida (AAAA-MM-DD)");
		return;
	}
	if (!as_of)
		as_of = today;
	/* the list is of who is in the country now: an earlier day would
	 * leave out whoever has left since (0 on a day they were over) */
	if (strcmp(as_of, today) < 0) {
		api_error(resp, 422, "as_of_past", "as_of",
			  "la lista es de quienes están hoy en el país: «as_of» no puede ser anterior a hoy (%s)", today);
		return;
	}
	const char *nq = api_query(req, "nationality");
	const char *cursor = api_query(req, "cursor");
	const struct rules_port *pt;
	if (api_query_port(req, resp, &pt))
		return;
	if (nq) {
		if (strlen(nq) != 3 || !api_country_code(nq, nat)) {
			api_error(resp, 400, "invalid_value", "nationality",
				  "«nationality»: código de 3 letras (USA, MEX …)");
			return;
		}
		/* a nationality a document can state: ICAO's codes (XXA
		 * stateless, XXX unspecified…) or the country table's, as the
		 * booth knows them; an unknown code ("QQQ") found nobody and
		 * said nothing.  Without the table (iso-codes missing) any
		 * three letters. */
		const struct mrz_countries *t =
			req->ctx->mrz_countries ? api_countries_table(req->ctx->mrz_countries) : NULL;
		if (t && !mrz_country_name(t, nat, 3)) {
			api_error(resp, 400, "unknown_country", "nationality",
				  "«nationality»: país desconocido «%s» (código ISO 3166-1, p. ej. USA, MEX)", nat);
			return;
		}
	}
	/* days over = as_of - permitted_until: at least min_days means the
	 * stay ended before as_of - (min_days - 1) */
	int32_t a = 0;
	struct sigm_error err;
	if (cal_parse_day(as_of, &a, "as_of", &err)) {
		api_error_from(resp, &err);
		return;
	}
	cal_format(cal_add_days(a, -(int32_t)(min_days - 1)), cut);
	/* The longest overstays first; the cursor is the last row's last
	 * permitted day and person, "DAY,ID". */
	char until[11] = "";
	long long after = 0;
	if (cursor && !cursor_parse(cursor, 10, day_ok, until, &after)) {
		api_error(resp, 400, "invalid_parameter", "cursor",
			  "«cursor»: el next_cursor de la página anterior");
		return;
	}
#define OVERSTAY_FROM                                                                           \
	" FROM presence pr JOIN persons p ON p.id = pr.person_id"                                   \
	" WHERE pr.inside = 1 AND pr.permitted_until IS NOT NULL AND pr.permitted_until < $1"     \
	" AND (CAST($2 AS TEXT) IS NULL OR pr.port = $2) AND (CAST($3 AS TEXT) IS NULL OR p.nationality = $3)" \
	/* a record linked to the same person with a later movement      \
	 * (entered on one passport, left on the other) says where the   \
	 * person is: this one is stale */                                \
	" AND NOT EXISTS (SELECT 1 FROM presence q WHERE q.person_id IN " API_LINKED("pr.person_id")  \
	" AND q.person_id <> pr.person_id AND (q.since > pr.since OR (q.since = pr.since AND q.movement_id > pr.movement_id)))"
	struct store_val p[] = {sv_text(cut), sv_opt(pt ? pt->code : NULL), sv_opt(nat[0] ? nat : NULL),
				sv_opt(cursor ? until : NULL), sv_int(after), sv_int(limit + 1)};
	struct store_rows *r = NULL;
	if (store_query(req->ctx->store,
			"SELECT pr.person_id, p.given_names, p.surnames, p.birth_date, p.nationality, pr.since AS entered_at,"
			" pr.port, pr.permitted_until, pr.movement_id" OVERSTAY_FROM
			" AND (CAST($4 AS TEXT) IS NULL OR pr.permitted_until > $4 OR (pr.permitted_until = $4 AND pr.person_id > $5))"
			" ORDER BY pr.permitted_until, pr.person_id LIMIT $6",
			p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	int n = store_rows_count(r);
	json_t *items = json_array();
	for (int i = 0; i < n && i < limit; i++) {
		json_t *o = api_row_object(r, i, INTS);
		int32_t u = 0;
		if (!cal_parse_day(store_rows_text(r, i, 7), &u, "permitted_until", &err))
			json_object_set_new(o, "days_over", json_integer(cal_days_between(u, a)));
		json_array_append_new(items, o);
	}
	json_t *next = n > limit ? json_sprintf("%s,%lld", store_rows_text(r, (int)limit - 1, 7),
						  (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	json_t *crit = json_pack("{s:s, s:s?, s:s?, s:I}", "as_of", as_of, "port", pt ? pt->code : NULL,
				 "nationality", nq ? nat : NULL, "min_days", (json_int_t)min_days);
	api_audit_list(req, "overstayers.list", "person", r, 0, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	json_t *out = json_pack("{s:s, s:o, s:o}", "as_of", as_of, "items", items, "next_cursor", next);
	/* how many in all, whatever the page: the list is a unit's workload */
	if (!cursor) {
		int64_t total = 0;
		if (store_query_int(req->ctx->store, "SELECT count(*)" OVERSTAY_FROM, p, 3, &total, &err)) {
			json_decref(out);
			api_error_from(resp, &err);
			return;
		}
		json_object_set_new(out, "total", json_integer(total));
	}
#undef OVERSTAY_FROM
	api_json(resp, 200, out);
}

/* ---- carrier fines ---- */

/* "proposed": found by carrier compliance (compliance.c), not yet
 * confirmed by a supervisor; confirming makes it "pending" (imposed,
 * awaiting notification and payment). */
static const char *const FINE_STATUS[] = {"pending", "notified", "paid",
					  "appealed", "cancelled", NULL};

/* What a fine is for: the causes carrier compliance proposes
 * (compliance.c, docs/prechequeo.md). */
static const char *const FINE_CAUSE[] = {"late_manifest", "missing_manifest",
					 "inaccurate_manifest", "inadmissible_passenger", NULL};
/* the causes as a message to a supervisor says them, in FINE_CAUSE's order */
static const char *const FINE_CAUSE_SAID[] = {"manifiesto fuera de plazo", "sin manifiesto",
					      "manifiesto inexacto", "pasajero inadmisible", NULL};

static const char *cause_said(const char *code)
{
	for (int k = 0; code && FINE_CAUSE[k]; k++)
		if (!strcmp(code, FINE_CAUSE[k]))
			return FINE_CAUSE_SAID[k];
	return code ? code : "";
}

struct fine_new {
	struct store_val p[12];
	int64_t id;
	struct api_req *req;
	char port[16]; /* the inspection's, when the fine names none */
};

static int fine_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct fine_new *w = arg;
	int rc;
	/* the inspection the fine comes from, if named, exists (a storage
	 * constraint's words are not an answer) */
	if (w->p[7].type == STORE_INT) {
		struct store_rows *r = NULL;
		rc = store_tx_query(tx, "SELECT port FROM inspections WHERE id = $1",
				    &w->p[7], 1, &r, err);
		if (rc)
			return rc;
		bool found = store_rows_count(r) == 1;
		bool other = found && w->p[5].type == STORE_TEXT &&
			     strcmp(store_rows_text(r, 0, 0), w->p[5].s);
		char at[16];
		snprintf(at, sizeof(at), "%s", found ? store_rows_text(r, 0, 0) : "");
		store_rows_free(&r);
		/* no post given: the inspection's */
		if (found && w->p[5].type != STORE_TEXT) {
			snprintf(w->port, sizeof(w->port), "%s", at);
			w->p[5] = sv_text(w->port);
		}
		if (!found)
			return sigm_error_set(err, SIGM_ERULE, "inspection_not_found", "inspection_id",
					      "no existe la inspección %lld", (long long)w->p[7].i);
		/* the fine is the post's that inspected the passenger */
		if (other)
			return sigm_error_set(err, SIGM_ERULE, "inspection_other_port", "inspection_id",
					      "la inspección %lld se hizo en %s, no en %s",
					      (long long)w->p[7].i, at, w->p[5].s);
		/* a fine for an inadmissible passenger needs the refusal: an
		 * admitted traveler's inspection was fined as one.  The
		 * inadmission recorded, or an entry the booth refused whose
		 * case waits for the supervisor (the refusal stands until
		 * then; an exit refused is no inadmission) */
		int64_t n = 0;
		if (!strcmp(w->p[11].s, "inadmissible_passenger")) {
			rc = store_tx_query_int(tx, "SELECT count(*) FROM inspections i WHERE i.id = $1 AND"
						" (EXISTS (SELECT 1 FROM inadmissions n WHERE n.inspection_id = i.id)"
						" OR (i.direction = 'entry' AND i.decision = 'refuse' AND i.status = 'pending'))",
						&w->p[7], 1, &n, err);
			if (rc)
				return rc;
			if (!n)
				return sigm_error_set(err, SIGM_ERULE, "no_inadmission", "inspection_id",
						      "la inspección %lld no terminó en una inadmisión: no es un pasajero inadmisible",
						      (long long)w->p[7].i);
		}
		/* one fine per fact: the same inspection charged for the same
		 * cause again (by hand, or by hand after compliance proposed
		 * it) was a second debt for one passenger.  Whatever the name
		 * the carrier is written with: one carrier brought the
		 * passenger, and a proposal to «RCCL» let a fine typed by hand
		 * to «Royal Caribbean» charge the same passenger twice.  A
		 * cancelled fine does not count (its cancellation may be what
		 * is being mended); one recorded before causes were said could
		 * be any of them, so it counts. */
		struct store_val d[] = {w->p[7], w->p[11]};
		struct store_rows *dup = NULL;
		rc = store_tx_query(tx, "SELECT id, carrier FROM carrier_fines WHERE inspection_id = $1"
				    " AND (cause = $2 OR cause IS NULL) AND status <> 'cancelled' ORDER BY id LIMIT 1",
				    d, SV_N(d), &dup, err);
		if (rc == 0 && store_rows_count(dup))
			rc = sigm_error_set(err, SIGM_ECONFLICT, "fine_exists", "inspection_id",
					    "la multa n.º %lld ya cobra a %s esta inspección por %s: no se registra dos veces",
					    (long long)store_rows_int(dup, 0, 0), store_rows_text(dup, 0, 1),
					    cause_said(w->p[11].s));
		store_rows_free(&dup);
		/* nor the traveler charged twice for one flight's manifest by
		 * way of two of their inspections (sent to secondary, then
		 * admitted): one traveler missing from it is one fact, as the
		 * proposals count it (compliance.c) */
		if (rc == 0 && !strcmp(w->p[11].s, "inaccurate_manifest"))
			rc = compliance_traveler_fined(tx, w->p[7].i, &dup, err);
		if (rc == 0 && store_rows_count(dup))
			rc = sigm_error_set(err, SIGM_ECONFLICT, "fine_exists", "inspection_id",
					    "la multa n.º %lld ya cobra a %s por este viajero en el manifiesto de ese vuelo "
					    "(otra de sus inspecciones): no se registra dos veces",
					    (long long)store_rows_int(dup, 0, 0), store_rows_text(dup, 0, 1));
		store_rows_free(&dup);
		if (rc)
			return rc;
	}
	rc = store_tx_query_int(tx,
				    "INSERT INTO carrier_fines (carrier, amount_cents, currency, legal_basis, reason, port, transport, inspection_id, imposed_on, created_at, created_by, cause) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
				    w->p, 12, &w->id, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)w->id);
	struct audit_entry e;
	api_audit_entry(w->req, &e, "carrier_fine.create", "carrier_fine", rid, NULL);
	return audit_append(tx, &e, err);
}

#define FINE_FIRST_DAY "2001-01-01"

void api_fines_create(struct api_req *req, struct api_resp *resp);
void api_fines_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"carrier", "amount", "currency",
					"legal_basis", "reason", "port",
					"transport", "inspection_id",
					"imposed_on", "cause", NULL};
	const char *carrier, *currency, *basis, *reason, *port, *transport, *on, *cause;
	json_t *b = api_body_object(req, resp, f);
	if (!b || api_get_str(resp, b, "carrier", true, 120, &carrier) ||
	    api_get_str(resp, b, "currency", false, 3, &currency) ||
	    api_get_str(resp, b, "legal_basis", true, 300, &basis) ||
	    api_get_str(resp, b, "reason", true, 1000, &reason) ||
	    api_get_str(resp, b, "port", false, 12, &port) ||
	    api_get_str(resp, b, "transport", false, 60, &transport) ||
	    api_get_date(resp, b, "imposed_on", false, false, &on) ||
	    api_get_str(resp, b, "cause", false, 40, &cause))
		return;
	int64_t cents;
	long long insp;
	if (api_get_amount(resp, b, "amount", &cents) ||
	    api_get_int(resp, b, "inspection_id", false, 1, INT64_MAX, &insp))
		return;
	if (cents < 0) {
		api_error(resp, 400, "missing_field", "amount", "falta el campo obligatorio «amount»");
		return;
	}
	bool known = false;
	for (int k = 0; cause && FINE_CAUSE[k]; k++)
		known |= !strcmp(cause, FINE_CAUSE[k]);
	if (cause && !known) {
		api_error(resp, 422, "invalid_value", "cause",
			  "«cause»: late_manifest, missing_manifest, inaccurate_manifest o inadmissible_passenger");
		return;
	}
	/* a fine that names an inspection is for something about it: an
	 * admitted traveler's inspection was fined as an inadmission, and the
	 * same inadmission charged again.  The cause tells one fact from
	 * another (an inadmissible passenger who was also missing from the
	 * manifest is two); unsaid, it is the usual one, the passenger the
	 * carrier brought and must take back. */
	if (insp && !cause)
		cause = "inadmissible_passenger";
	if (!insp && cause && !strcmp(cause, "inadmissible_passenger")) {
		api_error(resp, 422, "missing_field", "inspection_id",
			  "un pasajero inadmisible se multa nombrando la inspección de su inadmisión");
		return;
	}
	if (currency && (strlen(currency) != 3 || strspn(currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)) {
		api_error(resp, 400, "invalid_value", "currency",
			  "«currency»: código ISO 4217 de tres letras (p. ej. USD)");
		return;
	}
	/* El Salvador's fines are imposed and paid in its legal tender, the
	 * US dollar (Ley de Integración Monetaria); the register, its reports
	 * and the payment screens add up dollars ("ZZZ" was taken) */
	if (currency && strcmp(currency, "USD")) {
		api_error(resp, 422, "invalid_currency", "currency",
			  "«currency»: las multas se imponen en dólares de los Estados Unidos (USD)");
		return;
	}
	const struct rules_port *pt = port ? rules_port_find(req->ctx->rules, port) : NULL;
	if (port && !pt) {
		api_error(resp, 422, "unknown_port", "port", "delegación desconocida «%s»", port);
		return;
	}
	char today[11], now[40];
	api_today(today);
	store_now_iso(now, sizeof(now));
	if (on && strcmp(on, today) > 0) {
		api_error(resp, 422, "future_date", "imposed_on",
			  "«imposed_on»: la multa no puede imponerse después de hoy (%s)", today);
		return;
	}
	/* the register holds dollars: before the dollar was El Salvador's
	 * currency (Ley de Integración Monetaria, in force 2001-01-01) a fine
	 * was imposed in colones, so an earlier day is a typing error
	 * ("1900-01-01" was taken), not a fine of this register */
	if (on && strcmp(on, FINE_FIRST_DAY) < 0) {
		api_error(resp, 422, "date_out_of_range", "imposed_on",
			  "«imposed_on»: una multa en dólares se impuso a partir del %s", FINE_FIRST_DAY);
		return;
	}
	struct fine_new w = {
		{sv_text(carrier), sv_int(cents), sv_text(currency ? currency : "USD"),
		 sv_text(basis), sv_text(reason), sv_text(pt ? pt->code : NULL), sv_text(transport),
		 insp ? sv_int(insp) : sv_null(),
		 sv_text(on ? on : today), sv_text(now), sv_text(req->actor), sv_text(cause)},
		0, req, ""};
	struct sigm_error err;
	if (store_write(req->ctx->store, fine_fn, &w, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 201, json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)w.id,
				      "carrier", carrier, "amount_cents", (json_int_t)cents,
				      "status", "pending"));
}

struct fine_status {
	struct api_req *req;
	int64_t id;
	const char *status, *note;
	int64_t cents; /* the resolution's amount when confirming; -1 none */
	char from[16];
};

static int fine_status_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct fine_status *f = arg;
	struct store_rows *r = NULL;
	char now[40];
	store_now_iso(now, sizeof(now));
	int64_t changes = 0;
	struct store_val k[] = {sv_int(f->id)};
	int rc = store_tx_query(tx, "SELECT status, amount_known, amount_cents FROM carrier_fines WHERE id = $1",
				k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		return sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id", "la multa no existe");
	}
	snprintf(f->from, sizeof(f->from), "%s", store_rows_text(r, 0, 0));
	bool known = store_rows_int(r, 0, 1) != 0;
	int64_t owed = store_rows_int(r, 0, 2);
	store_rows_free(&r);
	bool proposed = !strcmp(f->from, "proposed");
	if (!strcmp(f->from, "paid") || !strcmp(f->from, "cancelled"))
		return sigm_error_set(err, SIGM_ECONFLICT, "fine_closed", "id",
				      "la multa ya está pagada o anulada");
	/* a fine marked again as it stands (notified twice) is no change:
	 * written, it put the second click's day and note over the
	 * notification's (the oficio, the day the appeal term runs from) */
	if (!strcmp(f->from, f->status) && strcmp(f->status, "pending"))
		return sigm_error_set(err, SIGM_ECONFLICT, "same_status", "status",
				      "la multa ya está %s: se conservan la fecha y la nota de entonces",
				      !strcmp(f->status, "notified") ? "notificada" : "apelada");
	/* a proposal is confirmed (pending) or cancelled, nothing else: no
	 * fine is notified or collected before a supervisor confirmed it */
	if (proposed != !strcmp(f->status, "pending") && strcmp(f->status, "cancelled"))
		return sigm_error_set(err, SIGM_ECONFLICT, proposed ? "fine_not_confirmed" : "fine_already_confirmed",
				      "status", proposed ? "multa propuesta: primero confírmela (pending) o anúlela (cancelled)"
							 : "solo una multa propuesta se confirma");
	/* a fine a supervisor confirmed is a debt of the carrier: its
	 * cancellation says why (the resolution, the appeal won), or the
	 * register shows a debt gone with no reason */
	if (!proposed && !strcmp(f->status, "cancelled") && !f->note)
		return sigm_error_set(err, SIGM_ERULE, "missing_field", "note",
				      "indique por qué se anula la multa (resolución o motivo)");
	/* a debt marked paid says by what (the receipt, the transfer), as a
	 * traveler's fine does: the register showed debts gone on a click */
	if (!strcmp(f->status, "paid") && !f->note)
		return sigm_error_set(err, SIGM_ERULE, "missing_field", "note",
				      "indique el recibo o comprobante del pago");
	/* a fine paid says how much, as a traveler's does
	 * (traveler_fines_api.c): one confirmed "según resolución" takes
	 * the amount paid, and needs it (it was closed with no amount ever
	 * recorded, and the amount refused); one whose amount is on record
	 * is paid in that amount */
	if (!strcmp(f->status, "paid") && !known && f->cents < 0)
		return sigm_error_set(err, SIGM_ERULE, "missing_field", "amount",
				      "indique el monto pagado: la multa es «según resolución»");
	if (!strcmp(f->status, "paid") && known && f->cents >= 0 && f->cents != owed)
		return sigm_error_set(err, SIGM_ERULE, "amount_differs", "amount",
				      "el monto pagado (US$ %lld.%02lld) no es el de la multa (US$ %lld.%02lld)",
				      (long long)(f->cents / 100), (long long)(f->cents % 100),
				      (long long)(owed / 100), (long long)(owed % 100));
	struct store_val p[] = {sv_int(f->id), sv_text(f->status), sv_text(f->note),
				sv_text(now), sv_int(f->cents)};
	rc = store_tx_exec(tx, "UPDATE carrier_fines SET status = $2, status_note = $3, status_changed_at = $4,"
			       " amount_cents = CASE WHEN $5 >= 0 THEN $5 ELSE amount_cents END,"
			       " amount_known = CASE WHEN $5 >= 0 THEN 1 ELSE amount_known END"
			       " WHERE id = $1",
			   p, SV_N(p), &changes, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)f->id);
	json_t *d = json_pack("{s:s, s:s, s:s?, s:o}", "from", f->from, "status", f->status,
			      "note", f->note, "amount_cents",
			      f->cents >= 0 ? json_integer(f->cents) : json_null());
	return api_audit_tx(tx, f->req, "carrier_fine.status", "carrier_fine", rid, d, err);
}

void api_fines_status(struct api_req *req, struct api_resp *resp);
void api_fines_status(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"status", "note", "amount", NULL};
	struct fine_status o = {.req = req, .cents = -1};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "multa", &o.id) || !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "status", true, 20, &o.status) ||
	    api_get_str(resp, b, "note", false, 1000, &o.note))
		return;
	bool ok = false;
	for (const char *const *k = FINE_STATUS; *k; k++)
		ok |= !strcmp(*k, o.status);
	if (!ok) {
		api_error(resp, 422, "invalid_value", "status",
			  "estado: pending (confirmar una propuesta), notified, paid, appealed o cancelled");
		return;
	}
	/* the amount of the resolution, entered when confirming a proposal
	 * whose amount the law tables do not establish, or when it is paid */
	json_t *amount = json_object_get(b, "amount");
	if (amount && !json_is_null(amount) && strcmp(o.status, "pending") && strcmp(o.status, "paid")) {
		api_error(resp, 422, "invalid_value", "amount",
			  "«amount»: solo al confirmar una propuesta (status pending) o al registrar su pago (paid)");
		return;
	}
	/* whole cents, above zero: 0.004 was confirmed as US$ 0.00 */
	int64_t cents;
	if (api_get_amount(resp, b, "amount", &cents))
		return;
	if (cents >= 0)
		o.cents = cents;
	struct sigm_error err;
	if (store_write(req->ctx->store, fine_status_fn, &o, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)o.id, "status", o.status,
				      "from", o.from));
}

void api_fines_list(struct api_req *req, struct api_resp *resp);
void api_fines_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 100, 1, 1000, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	static const char *const LISTED[] = {"proposed", "pending", "notified", "paid",
					     "appealed", "cancelled", NULL};
	const char *carrier = api_query(req, "carrier"), *st;
	if (api_query_enum(req, resp, "status", LISTED, &st))
		return;
	const char *month = api_query(req, "month"); /* YYYY-MM */
	if (month && !(strlen(month) == 7 && api_valid_date(month, true))) {
		api_error(resp, 400, "invalid_date", "month", "mes inválido (AAAA-MM)");
		return;
	}
	char like[16] = "";
	if (month)
		snprintf(like, sizeof(like), "%s-%%", month);
	/* a carrier as the supervisor remembers it: any part of the name, any
	 * case, any accent ("golfo" finds "Transportes del Golfo S.A. de
	 * C.V.", "linea aerea" finds "Línea Aérea"), its words in order with
	 * anything between.  What the two engines fold alike is compared,
	 * the rest (a dot, ø, ß, a curly apostrophe) matches anything, so
	 * that both find the same carriers (persons.h). */
	char pat[260] = "", fold[2048], sql[4096];
	if (carrier && !persons_fold_like(carrier, pat, sizeof(pat))) {
		api_error(resp, 400, "invalid_value", "carrier",
			  "escriba al menos una letra o un número del transportista");
		return;
	}
	if (!api_fold_sql(req, resp, "carrier", fold, sizeof(fold)))
		return;
	snprintf(sql, sizeof(sql),
		 "SELECT id, carrier, CASE WHEN amount_known = 0 THEN NULL ELSE amount_cents END AS amount_cents,"
		 " currency, legal_basis, reason, port, transport, inspection_id, imposed_on, status,"
		 " status_note, status_changed_at, created_at, created_by, cause, flight, manifest_id,"
		 " evidence FROM carrier_fines WHERE (CAST($1 AS TEXT) IS NULL OR %s LIKE $1)"
		 " AND (CAST($2 AS TEXT) IS NULL OR status = $2) AND (CAST($3 AS TEXT) IS NULL OR imposed_on LIKE $3)"
		 " AND id < $4 ORDER BY id DESC LIMIT $5",
		 fold);
	struct store_val p[] = {sv_opt(carrier ? pat : NULL), sv_opt(st), sv_opt(like),
				sv_int(cursor > 0 ? cursor : INT64_MAX),
				sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store, sql, p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	/* a fine's evidence names travelers (a passport number, a birth
	 * date): the fines shown are named, so the trail of each
	 * (record_type carrier_fine) answers who read it in the register */
	json_t *crit = json_pack("{s:s?, s:s?, s:s?}", "carrier", carrier, "status", st, "month", month);
	list_answer(req, resp, r, limit, "carrier_fine.list", "carrier_fine", 0, crit, false);
	json_decref(crit);
	store_rows_free(&r);
}
