/*
 * schedule_api.c - the day's scheduled arrivals at the airports, so that the
 * APIS desk sees a flight as "expected" before its carrier sends anything,
 * and as overdue ("sin manifiesto") once its arrival time has passed without
 * a manifest — not only when its travelers reach the booth.
 *
 * The schedule comes from the airport operator (CEPA publishes the day's
 * arrivals) and is loaded by the APIS desk: POST /api/v1/apis/schedule with
 * {"flights": [{date, carrier, flight, port, origin?, arrival, status?}]}.
 * Every record is checked before anything is written: one bad record
 * rejects the whole load, each bad record and field named.  A flight is
 * one row per (date, carrier, flight): loading it again updates it, and
 * "cancelled" withdraws it.  GET /api/v1/apis/schedule?date= lists them.
 * Ownership: nothing outlives a call.
 */
#include "api/api.h"
#include "api/apis.h"
#include "core/rules.h"
#include "store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FLIGHTS 2000

struct sched_row {
	const char *date, *carrier, *flight, *port, *origin, *arrival, *status;
};

struct sched_write {
	struct api_req *req;
	struct sched_row *rows;
	size_t n;
};

static bool upper_alnum(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static bool hhmm(const char *s)
{
	return strlen(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' &&
	       s[1] >= '0' && s[1] <= '9' && s[3] >= '0' && s[3] <= '5' &&
	       s[4] >= '0' && s[4] <= '9' && (s[0] < '2' || s[1] <= '3');
}

static void bad(json_t *errors, size_t i, const char *field, const char *code,
		const char *msg)
{
	char f[64];
	snprintf(f, sizeof(f), "flights[%zu].%s", i, field);
	json_array_append_new(errors, json_pack("{s:i, s:s, s:s, s:s}", "record",
						(int)i, "field", f, "code", code,
						"message", msg));
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Checks one record; appends what is wrong to errors. */
static void check(struct api_ctx *ctx, json_t *o, size_t i, struct sched_row *r,
		  json_t *errors)
{
	static const char *const allowed[] = {"date", "carrier", "flight", "port",
					      "origin", "arrival", "status", NULL};
	const char *k;
	json_t *v;
	if (!json_is_object(o)) {
		bad(errors, i, "", "invalid_record", "cada vuelo es un objeto");
		return;
	}
	json_object_foreach(o, k, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, k);
		if (!ok) {
			bad(errors, i, k, "unknown_field", "campo desconocido");
			continue;
		}
		if (!json_is_string(v))
			bad(errors, i, k, "invalid_type", "se espera texto");
	}
	r->date = str(o, "date");
	r->carrier = str(o, "carrier");
	r->flight = str(o, "flight");
	r->port = str(o, "port");
	r->origin = str(o, "origin");
	r->arrival = str(o, "arrival");
	r->status = str(o, "status") ? str(o, "status") : "scheduled";
	if (!r->date || !api_valid_date(r->date, false))
		bad(errors, i, "date", "invalid_date", "fecha de llegada AAAA-MM-DD");
	if (!r->carrier || !upper_alnum(r->carrier, 2, 3))
		bad(errors, i, "carrier", "invalid_value",
		    "transportista: código IATA (2 o 3 letras o dígitos en mayúsculas)");
	if (!r->flight || !upper_alnum(r->flight, 1, 5))
		bad(errors, i, "flight", "invalid_value",
		    "vuelo: el número sin el código del transportista (p. ej. 611)");
	const struct rules_port *p = r->port ? rules_port_find(ctx->rules, r->port) : NULL;
	if (!p || !p->active || p->kind != RULES_PORT_AIR)
		bad(errors, i, "port", "invalid_port",
		    "delegación: un aeropuerto activo (GET /api/v1/ports)");
	else
		r->port = p->code;
	if (r->origin && !upper_alnum(r->origin, 3, 3))
		bad(errors, i, "origin", "invalid_value", "origen: código IATA de 3 letras");
	if (!r->arrival || !hhmm(r->arrival))
		bad(errors, i, "arrival", "invalid_time", "hora de llegada prevista HH:MM (hora local)");
	if (strcmp(r->status, "scheduled") && strcmp(r->status, "cancelled"))
		bad(errors, i, "status", "invalid_value", "estado: scheduled o cancelled");
}

static int put_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct sched_write *w = arg;
	char now[40];
	store_now_iso(now, sizeof(now));
	for (size_t i = 0; i < w->n; i++) {
		const struct sched_row *r = &w->rows[i];
		struct store_val v[] = {sv_text(r->date), sv_text(r->carrier),
					sv_text(r->flight), sv_text(r->port),
					sv_opt(r->origin), sv_text(r->arrival),
					sv_text(r->status), sv_text(now),
					sv_text(w->req->actor)};
		int rc = store_tx_exec(tx,
				       "INSERT INTO apis_schedule (flight_date, carrier, flight, port, origin, arrival, status, loaded_at, loaded_by)"
				       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
				       " ON CONFLICT (flight_date, carrier, flight) DO UPDATE SET port = excluded.port,"
				       " origin = excluded.origin, arrival = excluded.arrival, status = excluded.status,"
				       " loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by",
				       v, SV_N(v), NULL, err);
		if (rc)
			return rc;
	}
	json_t *d = json_pack("{s:i}", "flights", (int)w->n);
	char *ds = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	struct audit_entry e;
	api_audit_entry(w->req, &e, "apis.schedule_load", "apis_schedule", NULL, ds);
	int rc = audit_append(tx, &e, err);
	free(ds);
	return rc;
}

void api_apis_schedule_post(struct api_req *req, struct api_resp *resp);
void api_apis_schedule_post(struct api_req *req, struct api_resp *resp)
{
	static const char *const allowed[] = {"flights", NULL};
	json_t *b = api_body_object(req, resp, allowed);
	struct sched_row *rows = NULL;
	json_t *errors = NULL;
	if (!b)
		return;
	json_t *fl = json_object_get(b, "flights");
	size_t n = json_array_size(fl);
	if (!json_is_array(fl) || n == 0 || n > MAX_FLIGHTS) {
		api_error(resp, 422, "invalid_value", "flights",
			  "«flights»: una lista de 1 a %d vuelos", MAX_FLIGHTS);
		goto out;
	}
	rows = calloc(n, sizeof(*rows));
	errors = json_array();
	if (!rows || !errors) {
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		check(req->ctx, json_array_get(fl, i), i, &rows[i], errors);
	for (size_t i = 0; i < n && !json_array_size(errors); i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(rows[i].date, rows[j].date) &&
			    !strcmp(rows[i].carrier, rows[j].carrier) &&
			    !strcmp(rows[i].flight, rows[j].flight)) {
				bad(errors, i, "flight", "duplicate_flight",
				    "el mismo vuelo dos veces en la carga");
				break;
			}
	if (json_array_size(errors)) {
		/* nothing is written: a schedule half loaded would show flights
		 * as missing that are only absent from the load */
		json_t *first = json_array_get(errors, 0);
		api_json(resp, 422,
			 json_pack("{s:{s:s, s:s, s:s}, s:O}", "error", "code",
				   "schedule_rejected", "field",
				   json_string_value(json_object_get(first, "field")),
				   "message", "programación rechazada: revise los vuelos señalados",
				   "errors", errors));
		goto out;
	}
	struct sched_write w = {req, rows, n};
	struct sigm_error err;
	if (store_write(req->ctx->store, put_fn, &w, &err)) {
		api_error_from(resp, &err);
		goto out;
	}
	api_json(resp, 201, json_pack("{s:i}", "loaded", (int)n));
out:
	json_decref(errors);
	free(rows); /* b is the request's (api_body_object) */
}

void api_apis_schedule_get(struct api_req *req, struct api_resp *resp);
void api_apis_schedule_get(struct api_req *req, struct api_resp *resp)
{
	const char *date = api_query(req, "date");
	char today[11];
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (date && !api_valid_date(date, false)) {
		api_error(resp, 400, "invalid_date", "date", "«date»: AAAA-MM-DD");
		return;
	}
	api_today(today);
	struct store_val v[] = {sv_text(date ? date : today)};
	if (store_query(req->ctx->store,
			"SELECT id, flight_date, carrier, flight, port, origin, arrival, status, loaded_at, loaded_by"
			" FROM apis_schedule WHERE flight_date = $1 ORDER BY arrival, carrier, flight",
			v, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	static const char *const ints[] = {"id", NULL};
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++)
		json_array_append_new(a, api_row_object(r, i, ints));
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:o}", "items", a));
}

/* See apis.h. */
int apis_schedule_expected(struct api_ctx *ctx, const char *date,
			   json_t **out, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	char today[11], prev[11], now_hm[6];
	int32_t d;
	if (cal_parse_day(date, &d, "date", err))
		return err ? err->rc : SIGM_EINVAL;
	cal_format(d - 1, prev); /* a late-night departure lands the next day */
	api_today(today);
	api_now_hm(now_hm);
	/* the manifest's flight is TDT 8028 as sent: "611" or "AV611" */
	struct store_val v[] = {sv_text(date), sv_text(prev)};
	int rc = store_query(ctx->store,
			     "SELECT s.id, s.carrier, s.flight, s.port, s.origin, s.arrival FROM apis_schedule s"
			     " WHERE s.flight_date = $1 AND s.status = 'scheduled'"
			     " AND NOT EXISTS (SELECT 1 FROM apis_manifests m WHERE m.carrier = s.carrier"
			     "  AND (m.flight = s.flight OR m.flight = s.carrier || s.flight)"
			     "  AND m.flight_date IN ($1, $2) AND m.mode = 'air' AND m.status = 'current')"
			     " ORDER BY s.arrival, s.carrier, s.flight",
			     v, SV_N(v), &r, err);
	if (rc)
		return rc;
	static const char *const ints[] = {"id", NULL};
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *o = api_row_object(r, i, ints);
		int c = strcmp(date, today);
		bool due = c < 0 || (c == 0 && strcmp(store_rows_text(r, i, 5), now_hm) <= 0);
		json_object_set_new(o, "stage", json_string(due ? "overdue" : "expected"));
		json_array_append_new(a, o);
	}
	store_rows_free(&r);
	*out = a;
	return 0;
}
