/*
 * apis_api.c - advance passenger information (issue 7, part 2): airlines
 * send UN/EDIFACT PAXLST interchanges; border staff read the manifests.
 *
 * Every interchange is kept byte for byte as received (apis_interchanges,
 * base64), good or bad, with what the reader said about it.  Only an
 * interchange without errors becomes manifests (apis_manifests) with their
 * passengers and crew (apis_persons), all in one transaction: a broken
 * manifest is reported to the carrier and kept, never half-ingested.
 *
 * A manifest is "the same" as an earlier one when carrier, flight, flight
 * date (departure, local) and list (passengers / crew) agree: a re-sent or
 * amended one replaces the current version (status "replaced", replaced_by
 * the new one), a cancellation (BGM 1225 = 1) withdraws it ("cancelled").
 *
 * A carrier's account (role transportista) is tied to its IATA code in
 * apis_carrier_accounts; it may only send its own flights.
 */
#include "api/apis.h"
#include "api/paxlst_json.h"
#include "core/calendar.h"
#include "store/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* El Salvador: UTC-6 all year (no daylight saving). */
static void local_now(struct paxlst_options *o)
{
	time_t t = time(NULL) - 6 * 3600;
	struct tm tm;
	paxlst_options_init(o);
	if (!gmtime_r(&t, &tm))
		return;
	o->now_day = cal_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	o->now_minute = tm.tm_hour * 60 + tm.tm_min;
}

static const char *list_type(const struct paxlst_message *m)
{
	return !strcmp(m->document, "745") ? "passengers" : "crew";
}

static const char *function_of(const struct paxlst_message *m)
{
	return !strcmp(m->function, "1")   ? "cancel"
	       : !strcmp(m->function, "5") ? "replace"
					   : "original";
}

/* The date that, with carrier and flight, names a manifest. */
static int32_t flight_day(const struct paxlst_message *m)
{
	const struct paxlst_leg *l = paxlst_flight(m);
	if (!l)
		return CAL_NONE;
	return l->dep.day != CAL_NONE ? l->dep.day : l->arr.day;
}

struct ingest {
	const struct apis_submission *sub;
	const struct paxlst_interchange *ix;
	bool accept;
	char *errors, *warnings;
	struct apis_raw raw;
	int64_t id;
	json_t *manifests; /* filled by the write: what happened to each */
};

static int insert_persons(struct store_tx *tx, int64_t mid,
			  const struct paxlst_message *m, struct sigm_error *err)
{
	for (unsigned i = 0; i < m->n_persons; i++) {
		const struct paxlst_person *p = &m->persons[i];
		const struct paxlst_document *d = p->n_docs ? &p->docs[0] : NULL;
		char birth[11], expiry[11];
		cal_format(p->birth_date, birth);
		cal_format(d ? d->expiry : CAL_NONE, expiry);
		struct store_val v[] = {
			sv_int(mid), sv_int(i + 1),
			sv_text(p->role == PAXLST_CREW ? "crew" : "passenger"),
			sv_opt(p->surnames), sv_opt(p->given_names), sv_opt(birth),
			sv_opt(p->sex), sv_opt(p->nationality), sv_opt(p->residence),
			sv_opt(d ? d->type : NULL), sv_opt(d ? d->number : NULL),
			sv_opt(d ? d->issuing_state : NULL), sv_opt(expiry),
			sv_opt(p->embarkation), sv_opt(p->disembarkation)};
		int rc = store_tx_exec(
			tx,
			"INSERT INTO apis_persons (manifest_id, seq, role, surnames, given_names, birth_date, sex,"
			" nationality, residence, doc_type, doc_number, doc_issuing_state, doc_expiry,"
			" embarkation, disembarkation)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
			v, SV_N(v), NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

int apis_manifest_put(struct store_tx *tx, int64_t interchange_id,
		      const struct apis_manifest_row *m, const char *now,
		      int64_t *mid, int64_t *prev, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	bool cancel = !strcmp(m->function, "cancel");
	const char *mode = m->mode ? m->mode : "air";
	int rc;

	*mid = *prev = 0;
	/* An airline re-sends under a new UNH reference, so air manifests are
	 * the same by flight and date alone; a bus may cross twice a day, so
	 * land and sea lists are also told apart by trip and direction. */
	struct store_val key[] = {sv_text(m->carrier), sv_text(m->flight),
				  sv_text(m->day), sv_text(m->list_type),
				  sv_text(mode), sv_text(m->message_ref ? m->message_ref : ""),
				  sv_text(m->direction ? m->direction : "")};
	rc = store_tx_query(tx,
			    "SELECT id FROM apis_manifests WHERE carrier = $1 AND flight = $2 AND flight_date = $3"
			    " AND list_type = $4 AND status = 'current' AND mode = $5"
			    " AND (mode = 'air' OR (COALESCE(message_ref, '') = $6 AND COALESCE(direction, '') = $7))"
			    " ORDER BY id DESC",
			    key, SV_N(key), &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) > 0)
		*prev = store_rows_int(r, 0, 0);
	store_rows_free(&r);

	struct store_val v[] = {
		sv_int(interchange_id), sv_opt(m->message_ref), sv_text(m->carrier),
		sv_text(m->flight), sv_text(m->day), sv_text(m->list_type),
		sv_opt(m->dep_port), sv_opt(m->dep_time), sv_opt(m->arr_port),
		sv_opt(m->arr_time), sv_text(m->function),
		sv_text(cancel ? "cancellation" : "current"), sv_int(m->passengers),
		sv_int(m->crew), sv_text(now), sv_text(mode), sv_opt(m->direction),
		sv_opt(m->vehicle), sv_opt(m->company)};
	rc = store_tx_query_int(
		tx,
		"INSERT INTO apis_manifests (interchange_id, message_ref, carrier, flight, flight_date, list_type,"
		" dep_port, dep_time, arr_port, arr_time, function, status, passengers, crew, received_at,"
		" mode, direction, vehicle, company)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
		" RETURNING id",
		v, SV_N(v), mid, err);
	if (rc || !*prev)
		return rc;
	struct store_val u[] = {sv_int(*prev), sv_int(*mid),
				sv_text(cancel ? "cancelled" : "replaced")};
	return store_tx_exec(tx, "UPDATE apis_manifests SET status = $3, replaced_by = $2 WHERE id = $1",
			     u, SV_N(u), NULL, err);
}

json_t *apis_manifest_action(int64_t mid, int64_t prev, const char *function,
			     const char *carrier, const char *flight,
			     const char *day, const char *list_type,
			     int passengers, int crew)
{
	bool cancel = !strcmp(function, "cancel");
	const char *action = cancel ? (prev ? "cancelled" : "nothing_to_cancel")
				    : prev ? "replaced" : "created";
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "id",
			      (json_int_t)mid, "carrier", carrier, "flight",
			      flight, "flight_date", day, "list", list_type,
			      "action", action, "passengers", passengers,
			      "crew", crew);
	if (o && prev)
		json_object_set_new(o, "replaces", json_integer(prev));
	return o;
}

/* One message of an accepted interchange: replaces or withdraws the current
 * manifest of the same flight, date and list. */
static int ingest_message(struct store_tx *tx, struct ingest *g,
			  const struct paxlst_message *m, const char *now,
			  struct sigm_error *err)
{
	const struct paxlst_leg *l = paxlst_flight(m);
	char day[11], dep[17], arr[17];
	int64_t mid = 0, prev = 0;
	const char *fn = function_of(m), *lt = list_type(m);
	int rc;

	cal_format(flight_day(m), day);
	paxlst_time_format(&l->dep, dep);
	paxlst_time_format(&l->arr, arr);
	struct apis_manifest_row row = {
		.message_ref = m->reference, .carrier = l->carrier,
		.flight = l->flight, .day = day, .list_type = lt,
		.dep_port = l->dep_port, .dep_time = dep, .arr_port = l->arr_port,
		.arr_time = arr, .function = fn, .mode = "air",
		.passengers = (int)m->n_passengers, .crew = (int)m->n_crew};
	rc = apis_manifest_put(tx, g->id, &row, now, &mid, &prev, err);
	if (rc)
		return rc;
	if (strcmp(fn, "cancel")) {
		rc = insert_persons(tx, mid, m, err);
		if (rc)
			return rc;
	}
	json_array_append_new(g->manifests,
			      apis_manifest_action(mid, prev, fn, l->carrier,
						   l->flight, day, lt,
						   (int)m->n_passengers,
						   (int)m->n_crew));
	return 0;
}

int apis_interchange_insert(struct store_tx *tx,
			    const struct apis_submission *s,
			    const struct apis_raw *raw, bool accept,
			    const char *errors_json, const char *warnings_json,
			    const char *sender, const char *reference,
			    const char *now, int64_t *id, struct sigm_error *err)
{
	struct store_val v[] = {
		sv_text(now), sv_text(s->source), sv_text(s->actor),
		sv_opt(s->file_name), sv_int((int64_t)s->len), sv_text(raw->sha),
		sv_text(raw->b64), sv_text(accept ? "accepted" : "rejected"),
		sv_text(errors_json), sv_text(warnings_json), sv_opt(sender),
		sv_opt(reference), sv_text(s->format ? s->format : "paxlst")};
	return store_tx_query_int(
		tx,
		"INSERT INTO apis_interchanges (received_at, source, submitted_by, file_name, raw_bytes,"
		" raw_sha256, raw_base64, status, errors_json, warnings_json, sender, reference, format)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
		v, SV_N(v), id, err);
}

int apis_raw_encode(const char *body, size_t len, struct apis_raw *raw,
		    struct sigm_error *err)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t b64 = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	raw->b64 = malloc(b64);
	if (!raw->b64)
		return sigm_error_set(err, SIGM_ENOMEM, "no_memory", NULL, "sin memoria");
	sodium_bin2base64(raw->b64, b64, (const unsigned char *)body, len,
			  sodium_base64_VARIANT_ORIGINAL);
	crypto_hash_sha256(h, (const unsigned char *)body, len);
	sodium_bin2hex(raw->sha, sizeof(raw->sha), h, sizeof(h));
	return 0;
}

static int ingest_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct ingest *g = arg;
	const struct apis_submission *s = g->sub;
	char now[40];
	int rc;

	store_now_iso(now, sizeof(now));
	json_array_clear(g->manifests);
	rc = apis_interchange_insert(tx, s, &g->raw, g->accept, g->errors,
				     g->warnings, g->ix->sender,
				     g->ix->reference, now, &g->id, err);
	if (rc)
		return rc;
	for (unsigned i = 0; g->accept && i < g->ix->n_messages; i++) {
		rc = ingest_message(tx, g, &g->ix->messages[i], now, err);
		if (rc)
			return rc;
	}
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)g->id);
	json_t *d = json_pack("{s:s, s:s, s:s?, s:I, s:O}", "status",
			      g->accept ? "accepted" : "rejected", "source",
			      s->source, "file", s->file_name, "bytes",
			      (json_int_t)s->len, "manifests", g->manifests);
	char *ds = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(d);
	struct audit_entry e = {s->actor, "apis.receive", "apis_interchange",
				rid, s->remote, ds};
	rc = audit_append(tx, &e, err);
	free(ds);
	return rc;
}

/* An error of the ingest itself (not of the reader), in the same shape. */
static void add_error(json_t *errors, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void add_error(json_t *errors, const char *code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(errors,
			      json_pack("{s:i, s:s, s:s, s:s, s:s}", "segment", 0,
					"tag", "", "element", "", "code", code,
					"message", msg));
}

int apis_ingest(struct store *store, const struct apis_submission *sub,
		struct apis_result *res, struct sigm_error *err)
{
	struct paxlst_interchange ix;
	struct paxlst_options opt;
	struct sigm_error perr;
	struct ingest g = {.sub = sub, .ix = &ix};
	json_t *errors = NULL, *warnings = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	local_now(&opt);
	int prc = paxlst_parse(sub->body, sub->len, &opt, &ix, &perr);
	errors = paxlst_diags_json(ix.errors, ix.n_errors);
	warnings = paxlst_diags_json(ix.warnings, ix.n_warnings);
	g.manifests = json_array();
	if (!errors || !warnings || !g.manifests) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "no_memory", NULL, "sin memoria");
		goto out;
	}
	if (prc == SIGM_ENOMEM) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "no_memory", NULL, "sin memoria");
		goto out;
	}
	if (prc)
		add_error(errors, perr.code, "%s", perr.message);
	/* checks of the ingest: a manifest must name its flight and date,
	 * and a carrier sends its own flights only */
	for (unsigned i = 0; prc == 0 && i < ix.n_messages; i++) {
		const struct paxlst_message *m = &ix.messages[i];
		const struct paxlst_leg *l = paxlst_flight(m);
		if (!l || !l->flight[0] || !l->carrier[0] ||
		    flight_day(m) == CAL_NONE) {
			add_error(errors, "missing_flight",
				  "mensaje %s: sin vuelo, transportista o fecha del vuelo",
				  m->reference);
			continue;
		}
		if (sub->carrier && strcmp(sub->carrier, l->carrier)) {
			add_error(errors, "carrier_mismatch",
				  "mensaje %s: el vuelo %s es de %s; esta cuenta envía por %s",
				  m->reference, l->flight, l->carrier, sub->carrier);
			res->forbidden = true;
		}
	}
	g.accept = prc == 0 && json_array_size(errors) == 0;
	g.errors = json_dumps(errors, JSON_COMPACT);
	g.warnings = json_dumps(warnings, JSON_COMPACT);
	if (!g.errors || !g.warnings) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "no_memory", NULL, "sin memoria");
		goto out;
	}
	rc = apis_raw_encode(sub->body, sub->len, &g.raw, err);
	if (rc)
		goto out;
	rc = store_write(store, ingest_fn, &g, err);
	if (rc)
		goto out;
	res->id = g.id;
	res->accepted = g.accept;
	res->unusable = prc != 0;
	res->body = json_pack("{s:I, s:s, s:s, s:O, s:O, s:O}", "id",
			      (json_int_t)g.id, "status",
			      g.accept ? "accepted" : "rejected", "sha256", g.raw.sha,
			      "manifests", g.manifests, "errors", errors,
			      "warnings", warnings);
	if (!res->body)
		rc = sigm_error_set(err, SIGM_ENOMEM, "no_memory", NULL, "sin memoria");
out:
	json_decref(errors);
	json_decref(warnings);
	json_decref(g.manifests);
	free(g.errors);
	free(g.warnings);
	free(g.raw.b64);
	paxlst_release(&ix);
	return rc;
}

/* ---- HTTP ------------------------------------------------------------ */

int apis_carrier_of(struct store *s, const char *user, char out[16],
		    char kind[16], struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val v[] = {sv_text(user)};
	out[0] = '\0';
	if (kind)
		kind[0] = '\0';
	int rc = store_query(s, "SELECT carrier, kind FROM apis_carrier_accounts WHERE username = $1",
			     v, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) > 0) {
		snprintf(out, 16, "%s", store_rows_text(r, 0, 0));
		if (kind)
			snprintf(kind, 16, "%s", store_rows_text(r, 0, 1));
	}
	store_rows_free(&r);
	return 0;
}

void api_apis_submit(struct api_req *req, struct api_resp *resp);
void api_apis_submit(struct api_req *req, struct api_resp *resp)
{
	struct sigm_error err;
	struct apis_result res;
	char carrier[16] = "";
	bool is_carrier = false;

	/* staff with the permission (tests, a gateway account without an
	 * airline) may send any flight; a transportista only its own */
	for (int i = 0; i < req->who->nroles; i++)
		if (!strcmp(req->who->roles[i], "transportista"))
			is_carrier = true;
	if (apis_carrier_of(req->ctx->store, req->who->username, carrier, NULL, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (is_carrier && !carrier[0]) {
		api_error(resp, 403, "no_carrier", NULL,
			  "la cuenta %s no tiene aerolínea asignada",
			  req->who->username);
		return;
	}
	if (req->body_len == 0) {
		api_error(resp, 400, "empty_body", NULL,
			  "el cuerpo debe ser un intercambio UN/EDIFACT PAXLST");
		return;
	}
	struct apis_submission sub = {
		.body = req->body, .len = req->body_len, .source = "api",
		.actor = req->actor, .remote = req->remote,
		.carrier = carrier[0] ? carrier : NULL,
	};
	if (apis_ingest(req->ctx->store, &sub, &res, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (!res.accepted) {
		/* the carrier hears what is wrong; the interchange is kept */
		json_object_set_new(
			res.body, "error",
			json_pack("{s:s, s:s}", "code",
				  res.forbidden ? "carrier_mismatch"
				  : res.unusable ? "not_edifact"
						 : "manifest_rejected",
				  "message",
				  res.forbidden ? "el intercambio trae vuelos de otra aerolínea"
						: "intercambio guardado pero no aceptado: vea «errors»"));
		api_json(resp, res.forbidden ? 403 : 422, res.body);
		return;
	}
	/* after the write committed: the manifest is kept whatever happens */
	apis_after_ingest(req->ctx, json_object_get(res.body, "manifests"),
			  req->actor, req->remote);
	api_json(resp, 201, res.body);
}

static const char *const MANIFEST_INTS[] = {"id", "interchange_id",
					    "replaced_by", "passengers",
					    "crew", NULL};

const char *apis_stage(int64_t arrivals, const char *day, const char *today,
		       bool screened)
{
	if (arrivals > 0)
		return strcmp(day, today) < 0 ? "reconciled" : "arrived";
	return screened ? "screened" : "received";
}

void api_apis_list(struct api_req *req, struct api_resp *resp);
void api_apis_list(struct api_req *req, struct api_resp *resp)
{
	const char *flight = api_query(req, "flight"),
		   *date = api_query(req, "date"),
		   *carrier = api_query(req, "carrier"),
		   *status = api_query(req, "status"),
		   *mode = api_query(req, "mode");
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (date && !api_valid_date(date, false)) {
		api_error(resp, 400, "invalid_date", "date",
			  "«date»: AAAA-MM-DD");
		return;
	}
	/* flights by default; the buses and ships of prechequeo have their
	 * own list (GET /api/v1/prechequeo/lists), "mode=all" both */
	struct store_val v[] = {sv_text(flight), sv_text(date),
				sv_text(carrier),
				sv_text(status ? status : "current"),
				sv_text(mode ? mode : "air")};
	if (store_query(req->ctx->store,
			"SELECT id, interchange_id, message_ref, carrier, flight, flight_date, list_type,"
			" dep_port, dep_time, arr_port, arr_time, function, status, replaced_by,"
			" passengers, crew, received_at, screened_at, screen_hits,"
			" (SELECT COUNT(*) FROM apis_arrivals a WHERE a.manifest_id = apis_manifests.id) AS arrivals,"
			" (SELECT COUNT(*) FROM apis_hits h WHERE h.manifest_id = apis_manifests.id"
			"  AND h.superseded_at IS NULL AND h.review IS NULL) AS open_hits"
			" FROM apis_manifests"
			" WHERE (CAST($1 AS TEXT) IS NULL OR flight = $1)"
			" AND (CAST($2 AS TEXT) IS NULL OR flight_date = $2)"
			" AND (CAST($3 AS TEXT) IS NULL OR carrier = $3)"
			" AND (CAST($4 AS TEXT) = 'all' OR status = $4)"
			" AND (CAST($5 AS TEXT) = 'all' OR mode = $5)"
			" ORDER BY flight_date DESC, id DESC LIMIT 500",
			v, SV_N(v), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	static const char *const ints[] = {"id", "interchange_id", "replaced_by",
					   "passengers", "crew", "screen_hits",
					   "arrivals", "open_hits", NULL};
	char today[11];
	api_today(today);
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *o = api_row_object(r, i, ints);
		const char *stage = apis_stage(store_rows_int(r, i, 19),
					       store_rows_text(r, i, 5), today,
					       !store_rows_isnull(r, i, 17));
		json_object_set_new(o, "stage", json_string(stage));
		json_array_append_new(a, o);
	}
	store_rows_free(&r);
	/* flights of the day whose travelers were inspected with no manifest
	 * at all: what carrier compliance found (compliance.c) */
	json_t *missing = json_array();
	struct store_val mv[] = {sv_text(date ? date : today)};
	if (store_query(req->ctx->store,
			"SELECT id AS fine_id, carrier, flight, port, transport, status, evidence FROM carrier_fines"
			" WHERE cause = 'missing_manifest' AND imposed_on = $1 AND status <> 'cancelled'"
			" ORDER BY flight",
			mv, 1, &r, &err)) {
		json_decref(a);
		json_decref(missing);
		api_error_from(resp, &err);
		return;
	}
	static const char *const mints[] = {"fine_id", NULL};
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *o = api_row_object(r, i, mints);
		json_t *ev = json_loads(store_rows_text(r, i, 6), 0, NULL);
		json_object_set_new(o, "inspections",
				    json_integer((json_int_t)json_array_size(
					    json_object_get(ev, "inspection_ids"))));
		json_decref(ev);
		json_object_del(o, "evidence");
		json_object_set_new(o, "stage", json_string("missing"));
		json_array_append_new(missing, o);
	}
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", a, "missing", missing));
}

void api_apis_get(struct api_req *req, struct api_resp *resp);
void api_apis_get(struct api_req *req, struct api_resp *resp)
{
	static const char *const person_ints[] = {"seq", NULL};
	struct store_rows *r = NULL;
	struct sigm_error err;
	int64_t id;
	if (api_path_id(req, resp, "not_found", "manifiesto", &id))
		return;
	struct store_val v[] = {sv_int(id)};
	if (store_query(req->ctx->store,
			"SELECT id, interchange_id, message_ref, carrier, flight, flight_date, list_type,"
			" dep_port, dep_time, arr_port, arr_time, function, status, replaced_by,"
			" passengers, crew, received_at, mode, direction, vehicle, company"
			" FROM apis_manifests WHERE id = $1",
			v, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		api_error(resp, 404, "not_found", "id", "no existe el manifiesto");
		return;
	}
	json_t *m = api_row_object(r, 0, MANIFEST_INTS);
	store_rows_free(&r);
	if (store_query(req->ctx->store,
			"SELECT seq, role, surnames, given_names, birth_date, sex, nationality, residence,"
			" doc_type, doc_number, doc_issuing_state, doc_expiry, embarkation, disembarkation"
			" FROM apis_persons WHERE manifest_id = $1 ORDER BY seq",
			v, 1, &r, &err)) {
		json_decref(m);
		api_error_from(resp, &err);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++)
		json_array_append_new(a, api_row_object(r, i, person_ints));
	store_rows_free(&r);
	/* the passengers' personal data: the read is audited */
	api_audit(req, "apis.manifest.read", "apis_manifest", req->params[0], NULL);
	json_object_set_new(m, "persons", a);
	api_json(resp, 200, m);
}

void api_apis_interchange(struct api_req *req, struct api_resp *resp);
void api_apis_interchange(struct api_req *req, struct api_resp *resp)
{
	static const char *const ints[] = {"id", "raw_bytes", NULL};
	struct store_rows *r = NULL;
	struct sigm_error err;
	json_error_t jerr;
	int64_t id;
	if (api_path_id(req, resp, "not_found", "manifiesto", &id))
		return;
	struct store_val v[] = {sv_int(id)};
	if (store_query(req->ctx->store,
			"SELECT id, received_at, source, submitted_by, file_name, raw_bytes, raw_sha256,"
			" raw_base64, status, sender, reference, errors_json, warnings_json"
			" FROM apis_interchanges WHERE id = $1",
			v, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		api_error(resp, 404, "not_found", "id", "no existe el intercambio");
		return;
	}
	json_t *o = api_row_object(r, 0, ints);
	json_object_set_new(o, "errors", json_loads(store_rows_text(r, 0, 11), 0, &jerr));
	json_object_set_new(o, "warnings", json_loads(store_rows_text(r, 0, 12), 0, &jerr));
	json_object_del(o, "errors_json");
	json_object_del(o, "warnings_json");
	store_rows_free(&r);
	api_json(resp, 200, o);
}

struct carrier_set {
	struct api_req *req;
	const char *username, *carrier, *kind;
};

static int carrier_set_fn(struct store_tx *tx, void *arg,
			  struct sigm_error *err)
{
	struct carrier_set *c = arg;
	char now[40];
	int64_t n = 0;
	store_now_iso(now, sizeof(now));
	struct store_val u[] = {sv_text(c->username)};
	int rc = store_tx_query_int(tx, "SELECT COUNT(*) FROM users WHERE username = $1",
				    u, 1, &n, err);
	if (rc)
		return rc;
	if (!n)
		return sigm_error_set(err, SIGM_ENOTFOUND, "unknown_user",
				      "username", "no existe el usuario «%s»",
				      c->username);
	rc = store_tx_exec(tx, "DELETE FROM apis_carrier_accounts WHERE username = $1",
			   u, 1, NULL, err);
	if (rc)
		return rc;
	struct store_val v[] = {sv_text(c->username), sv_text(c->carrier),
				sv_text(now), sv_text(c->req->actor),
				sv_text(c->kind)};
	rc = store_tx_exec(tx, "INSERT INTO apis_carrier_accounts (username, carrier, created_at, created_by, kind)"
			       " VALUES ($1, $2, $3, $4, $5)",
			   v, SV_N(v), NULL, err);
	if (rc)
		return rc;
	char d[96];
	snprintf(d, sizeof(d), "{\"carrier\":\"%s\",\"kind\":\"%s\"}",
		 c->carrier, c->kind);
	struct audit_entry e;
	api_audit_entry(c->req, &e, "apis.carrier_account", "user",
			c->username, d);
	return audit_append(tx, &e, err);
}

void api_apis_carrier_set(struct api_req *req, struct api_resp *resp);
void api_apis_carrier_set(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"username", "carrier", "kind", NULL};
	struct carrier_set c = {req, NULL, NULL, NULL};
	struct sigm_error err;
	json_t *b = api_body_object(req, resp, f);
	if (!b || api_get_str(resp, b, "username", true, 63, &c.username) ||
	    api_get_str(resp, b, "kind", false, 10, &c.kind))
		return;
	if (!c.kind)
		c.kind = "airline";
	if (strcmp(c.kind, "airline") && strcmp(c.kind, "bus") &&
	    strcmp(c.kind, "cruise")) {
		api_error(resp, 422, "invalid_value", "kind",
			  "«kind»: airline, bus o cruise");
		return;
	}
	bool airline = !strcmp(c.kind, "airline");
	if (api_get_str(resp, b, "carrier", true, airline ? 3 : 12, &c.carrier))
		return;
	/* IATA airline designators: two or three letters or digits; a bus
	 * company or cruise line has no such code, the DGME gives it one of
	 * up to 12 */
	size_t n = strlen(c.carrier);
	for (size_t i = 0; i < n; i++)
		if (!((c.carrier[i] >= 'A' && c.carrier[i] <= 'Z') ||
		      (c.carrier[i] >= '0' && c.carrier[i] <= '9')))
			n = 0;
	if (n < 2) {
		api_error(resp, 422, "invalid_value", "carrier",
			  airline ? "«carrier»: código IATA de 2 o 3 caracteres (A-Z, 0-9)"
				  : "«carrier»: código de 2 a 12 caracteres (A-Z, 0-9)");
		return;
	}
	if (store_write(req->ctx->store, carrier_set_fn, &c, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:s, s:s, s:s}", "username", c.username,
				      "carrier", c.carrier, "kind", c.kind));
}
