/*
 * compliance.c - carrier compliance (issue 7, part 5): the facts that make a
 * carrier liable - a manifest or passenger list received late, a flight
 * that arrived without one, a manifest that did not match who arrived, a
 * passenger refused entry - become *proposed* entries of the carrier fines
 * register (border_api.c), each with its cause, flight and evidence, for a
 * supervisor to confirm or cancel through the register's status workflow.
 *
 * The rules (lead times, causes, legal basis, amounts) are data:
 * data/border/fines.json, "carrier_compliance".  No amount is established
 * in the research behind it, so proposals are "según resolución" and the
 * supervisor enters the resolution's amount when confirming.
 *
 * An evaluation covers one El Salvador day and may run any number of times
 * (after every ingest, every refusal, the desk's button): each fact has a
 * dedupe_key under a unique index, so a fact is proposed once.  A fact is
 * not an inspection: a traveler not on a manifest, inspected twice for the
 * flight, is one (eval_inaccurate).
 */
#include "api/apis.h"
#include "api/bulk.h"
#include "core/calendar.h"
#include "core/rules.h"
#include "store/audit.h"
#include "store/persons.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- the rules, from data/border/fines.json ---- */

enum { C_LATE, C_MISSING, C_INACCURATE, C_INADMISSIBLE, C_N };
static const char *const CAUSE_CODE[C_N] = {"late_manifest", "missing_manifest",
					    "inaccurate_manifest",
					    "inadmissible_passenger"};

struct crules {
	int lead_air, lead_land, lead_sea; /* minutes */
	struct {
		char label[160], basis[400];
		int64_t cents; /* -1: not established */
	} cause[C_N];
	int rc;
	struct sigm_error err;
};

static struct crules R;
static pthread_once_t R_once = PTHREAD_ONCE_INIT;

static int rules_fail(const char *what)
{
	return sigm_error_set(&R.err, SIGM_EIO, "compliance_rules", NULL,
			      "fines.json, carrier_compliance: %s", what);
}

static void rules_load(void)
{
	char path[4096];
	json_error_t jerr;
	snprintf(path, sizeof(path), "%s/border/fines.json", api_data_dir());
	json_t *root = json_load_file(path, 0, &jerr);
	json_t *cc = json_object_get(root, "carrier_compliance");
	json_t *lead = json_object_get(cc, "lead_minutes");
	json_t *causes = json_object_get(cc, "causes");
	if (!json_is_object(lead) || !json_is_array(causes)) {
		R.rc = rules_fail(root ? "falta lead_minutes o causes" : jerr.text);
		goto out;
	}
	R.lead_air = (int)json_integer_value(json_object_get(lead, "air"));
	R.lead_land = (int)json_integer_value(json_object_get(lead, "land"));
	R.lead_sea = (int)json_integer_value(json_object_get(lead, "sea"));
	if (R.lead_air < 0 || R.lead_land <= 0 || R.lead_sea <= 0) {
		R.rc = rules_fail("lead_minutes inválido");
		goto out;
	}
	for (int c = 0; c < C_N; c++) {
		size_t i;
		json_t *v;
		bool found = false;
		json_array_foreach(causes, i, v) {
			const char *code = json_string_value(json_object_get(v, "cause"));
			const char *label = json_string_value(json_object_get(v, "label"));
			const char *basis = json_string_value(json_object_get(v, "basis"));
			json_t *usd = json_object_get(v, "fixed_usd");
			if (!code || strcmp(code, CAUSE_CODE[c]))
				continue;
			if (!label || !basis || (usd && !json_is_null(usd) && !json_is_number(usd))) {
				R.rc = rules_fail("causa sin label, basis o con fixed_usd inválido");
				goto out;
			}
			snprintf(R.cause[c].label, sizeof(R.cause[c].label), "%s", label);
			snprintf(R.cause[c].basis, sizeof(R.cause[c].basis), "%s", basis);
			R.cause[c].cents = json_is_number(usd)
						   ? (int64_t)(json_number_value(usd) * 100.0 + 0.5)
						   : -1;
			found = true;
		}
		if (!found) {
			R.rc = rules_fail(CAUSE_CODE[c]);
			goto out;
		}
	}
out:
	json_decref(root);
}

static int rules_get(struct sigm_error *err)
{
	pthread_once(&R_once, rules_load);
	if (R.rc)
		*err = R.err;
	return R.rc;
}

/* ---- time ---- */

/* Minutes since the calendar's epoch of a local "YYYY-MM-DDTHH:MM"; -1 when
 * it is not one. */
static int64_t local_minutes(const char *s)
{
	int y, mo, d, h, mi;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
		return -1;
	return (int64_t)cal_from_ymd(y, mo, d) * 1440 + h * 60 + mi;
}

static void format_minutes(int64_t m, char out[17])
{
	char day[11];
	cal_format((int32_t)(m / 1440), day);
	snprintf(out, 17, "%s %02d:%02d", day, (int)(m % 1440 / 60), (int)(m % 60));
}

/* ---- proposals ---- */

/*
 * Whom a fine is proposed to: the carrier's code (TICABUS, RCCL, TA), the
 * key its account, its manifests and lists and the monthly report go by,
 * never a name - a list's "company" is free text the company may write
 * another way on its next list, and a supervisor's words are another.  The
 * company's own name, from its list, goes with the evidence for the
 * register to show (evidence.company); the name a supervisor typed in an
 * inadmission, when it was another, too (evidence.carrier_named).
 */
static void evidence_names(json_t *evidence, const char *code, const char *company,
			   const char *named)
{
	if (!evidence)
		return;
	if (company && *company && strcmp(company, code))
		json_object_set_new(evidence, "company", json_string(company));
	if (named && *named && strcasecmp(named, code) && (!company || strcasecmp(named, company)))
		json_object_set_new(evidence, "carrier_named", json_string(named));
}

struct eval {
	struct api_ctx *ctx;
	const char *day, *actor, *remote;
	unsigned what;
	char lo[32], hi[32], yday[11];
	int proposed;
};

struct proposal {
	int cause;
	const char *carrier, *port, *transport, *flight;
	int64_t manifest_id, inspection_id;
	char key[96];
	char reason[600];
	json_t *evidence; /* owned */
};

static int propose(struct store_tx *tx, struct eval *ev, struct proposal *p,
		   struct sigm_error *err)
{
	char now[40], *evs = NULL;
	int64_t changes = 0, id = 0;
	int rc;

	store_now_iso(now, sizeof(now));
	json_object_set_new(p->evidence, "cause", json_string(CAUSE_CODE[p->cause]));
	evs = json_dumps(p->evidence, JSON_COMPACT | JSON_SORT_KEYS);
	if (!evs) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	int64_t cents = R.cause[p->cause].cents;
	struct store_val v[] = {
		sv_text(p->carrier), sv_int(cents < 0 ? 0 : cents),
		sv_text(R.cause[p->cause].basis), sv_text(p->reason),
		sv_opt(p->port), sv_opt(p->transport),
		p->inspection_id ? sv_int(p->inspection_id) : sv_null(),
		sv_text(ev->day), sv_text(now), sv_text(ev->actor),
		sv_text(CAUSE_CODE[p->cause]), sv_opt(p->flight),
		p->manifest_id ? sv_int(p->manifest_id) : sv_null(), sv_text(evs),
		sv_text(p->key), sv_int(cents >= 0)};
	rc = store_tx_exec(
		tx,
		"INSERT INTO carrier_fines (carrier, amount_cents, currency, legal_basis, reason, port, transport,"
		" inspection_id, imposed_on, created_at, created_by, status, cause, flight, manifest_id, evidence,"
		" dedupe_key, amount_known)"
		" VALUES ($1, $2, 'USD', $3, $4, $5, $6, $7, $8, $9, $10, 'proposed', $11, $12, $13, $14, $15, $16)"
		" ON CONFLICT (dedupe_key) DO NOTHING",
		v, SV_N(v), &changes, err);
	if (rc || changes == 0)
		goto out;
	struct store_val k[] = {sv_text(p->key)};
	rc = store_tx_query_int(tx, "SELECT id FROM carrier_fines WHERE dedupe_key = $1",
				k, 1, &id, err);
	if (rc)
		goto out;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)id);
	struct audit_entry e = {ev->actor, "carrier_fine.propose", "carrier_fine",
				rid, ev->remote, evs};
	rc = audit_append(tx, &e, err);
	if (rc == 0)
		ev->proposed++;
out:
	free(evs);
	json_decref(p->evidence);
	p->evidence = NULL;
	return rc;
}

/* Minutes since the calendar's epoch, El Salvador time, of a stored UTC
 * time ("...Z"); -1 when it does not read. */
static int64_t stored_minutes(const char *iso)
{
	struct tm tm;
	if (!iso || !api_local_tm(iso, &tm))
		return -1;
	return (int64_t)cal_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 1440 +
	       tm.tm_hour * 60 + tm.tm_min;
}

enum { L_ID, L_CARRIER, L_FLIGHT, L_MODE, L_DEP_PORT, L_DEP_TIME, L_ARR_PORT,
       L_ARR_TIME, L_RECEIVED, L_VEHICLE, L_LIST, L_FUNCTION, L_REPLACED_BY,
       L_PARTS, L_PARTS_FINAL, L_PARTS_COMPLETE, L_COMPLETE_AT, L_ACCESS_REF, L_COMPANY };

/* The row of manifest id (rows ordered by id), or -1. */
static int row_of(struct store_rows *r, int64_t id)
{
	int lo = 0, hi = store_rows_count(r) - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int64_t v = store_rows_int(r, mid, L_ID);
		if (v == id)
			return mid;
		if (v < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* When version i held the whole list: received_at for a whole message, the
 * arrival of its last needed part for a split one (received_at for a set
 * completed before parts_complete_at was recorded); -1 while incomplete. */
static int64_t whole_at(struct store_rows *r, int i, const char **iso)
{
	*iso = store_rows_text(r, i, L_RECEIVED);
	if (!store_rows_isnull(r, i, L_PARTS)) {
		if (!store_rows_int(r, i, L_PARTS_COMPLETE))
			return -1;
		if (!store_rows_isnull(r, i, L_COMPLETE_AT))
			*iso = store_rows_text(r, i, L_COMPLETE_AT);
	}
	return stored_minutes(*iso);
}

/*
 * A manifest or list is late when the carrier did not have it whole with
 * the DGME by the deadline: lead minutes before the arrival at a
 * Salvadoran post, or the departure from one (outbound flights).  Whole
 * means the first version of the chain (first version, replacements) that
 * held every part: a list split in parts is on time only if its last part
 * arrived on time, and one still incomplete when the deadline passed is
 * late - the DGME did not receive the list it needed in time (a traveler of
 * a missing part who reaches the booth is, besides, not on the manifest:
 * eval_inaccurate).  One proposal per first version (late:<id>), whichever
 * of the two it is found as first.  A chain cancelled before it was ever
 * whole is not proposed (the flight or trip was withdrawn).
 */
static int eval_late(struct store_tx *tx, struct eval *ev, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val v[] = {sv_text(ev->day)};
	char now[40];
	store_now_iso(now, sizeof(now));
	int64_t now_min = stored_minutes(now);
	int rc = store_tx_query(
		tx,
		"SELECT m.id, m.carrier, m.flight, m.mode, m.dep_port, m.dep_time, m.arr_port, m.arr_time,"
		" m.received_at, m.vehicle, m.list_type, m.function, m.replaced_by, m.parts_received,"
		" m.parts_final, m.parts_complete, m.parts_complete_at, m.access_ref, m.company FROM apis_manifests m"
		" WHERE m.flight_date = $1 ORDER BY m.id",
		v, 1, &r, err);
	if (rc)
		return rc;
	int n = store_rows_count(r);
	bool *later = calloc((size_t)n + 1, sizeof(*later)); /* not a first version */
	if (!later) {
		store_rows_free(&r);
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	}
	for (int i = 0; i < n; i++) {
		int j = store_rows_isnull(r, i, L_REPLACED_BY)
				? -1 : row_of(r, store_rows_int(r, i, L_REPLACED_BY));
		if (j >= 0)
			later[j] = true;
	}
	for (int i = 0; rc == 0 && i < n; i++) {
		if (later[i] || !strcmp(store_rows_text(r, i, L_FUNCTION), "cancel"))
			continue;
		const char *mode = store_rows_text(r, i, L_MODE);
		const char *dep_port = store_rows_text(r, i, L_DEP_PORT),
			   *arr_port = store_rows_text(r, i, L_ARR_PORT);
		int64_t due, lead;
		const char *when;
		if (strcmp(mode, "air")) {
			lead = !strcmp(mode, "sea") ? R.lead_sea : R.lead_land;
			due = local_minutes(store_rows_text(r, i, L_ARR_TIME)) - lead;
			when = "la llegada prevista";
		} else if (arr_port && rules_port_find(ev->ctx->rules, arr_port)) {
			lead = R.lead_air;
			due = local_minutes(store_rows_text(r, i, L_ARR_TIME)) - lead;
			when = "la llegada programada";
		} else if (dep_port && rules_port_find(ev->ctx->rules, dep_port)) {
			lead = 0;
			due = local_minutes(store_rows_text(r, i, L_DEP_TIME));
			when = "la salida programada";
		} else
			continue;
		if (due < 0)
			continue;
		/* walk the versions: the first that held the whole list */
		int cur = i, last = i;
		int64_t got = -1;
		const char *got_iso = NULL;
		bool cancelled = false;
		for (int steps = 0; cur >= 0 && steps < n; steps++) {
			if (!strcmp(store_rows_text(r, cur, L_FUNCTION), "cancel")) {
				cancelled = true;
				break;
			}
			last = cur;
			got = whole_at(r, cur, &got_iso);
			if (got >= 0 || store_rows_isnull(r, cur, L_REPLACED_BY))
				break;
			cur = row_of(r, store_rows_int(r, cur, L_REPLACED_BY));
		}
		bool split = !store_rows_isnull(r, last, L_PARTS);
		bool incomplete = got < 0;
		if (incomplete && (cancelled || !split || now_min < 0 || now_min <= due))
			continue; /* withdrawn, unreadable, or still in time */
		if (!incomplete && got <= due)
			continue;
		char sgot[17], sdue[17];
		format_minutes(incomplete ? now_min : got, sgot);
		format_minutes(due, sdue);
		int64_t mid = store_rows_int(r, i, L_ID);
		const char *vehicle = store_rows_text(r, i, L_VEHICLE);
		const char *name = vehicle ? vehicle : store_rows_text(r, i, L_FLIGHT);
		/* a bus's or a ship's list is feminine («lista … recibida»;
		 * it read «lista de Rhapsody of the Seas recibido») */
		bool list = strcmp(mode, "air") != 0;
		const char *what = list ? "lista" : "manifiesto";
		struct proposal p = {.cause = C_LATE, .carrier = store_rows_text(r, i, L_CARRIER),
				     .port = strcmp(mode, "air") || lead ? arr_port : dep_port,
				     .transport = name, .flight = store_rows_text(r, i, L_FLIGHT),
				     .manifest_id = mid};
		snprintf(p.key, sizeof(p.key), "late:%lld", (long long)mid);
		json_t *parts = split ? apis_parts_json(store_rows_text(r, last, L_ACCESS_REF),
							store_rows_text(r, last, L_PARTS),
							store_rows_isnull(r, last, L_PARTS_FINAL)
								? 0 : (int)store_rows_int(r, last, L_PARTS_FINAL),
							!incomplete)
				      : NULL;
		if (incomplete) {
			/* "faltan partes 2, 4" (and the last, while unknown) */
			char miss[200] = "";
			size_t k, o = 0;
			json_t *x;
			json_array_foreach(json_object_get(parts, "missing"), k, x)
				if (o < sizeof(miss))
					o += (size_t)snprintf(miss + o, sizeof(miss) - o, "%s%lld",
							      o ? ", " : "", (long long)json_integer_value(x));
			bool no_final = json_is_null(json_object_get(parts, "final"));
			snprintf(p.reason, sizeof(p.reason),
				 "%s: %s de %s %s al vencer el plazo (%s, %lld min antes de %s): %s%s%s%s; partes recibidas: %s",
				 R.cause[C_LATE].label, what, name, list ? "incompleta" : "incompleto",
				 sdue, (long long)lead, when,
				 miss[0] ? "faltan partes " : "", miss,
				 miss[0] && no_final ? " y " : "",
				 no_final ? (miss[0] ? "la última" : "falta la última parte") : "",
				 store_rows_text(r, last, L_PARTS));
		} else
			snprintf(p.reason, sizeof(p.reason),
				 "%s: %s de %s %s%s el %s; plazo: %s (%lld min antes de %s)",
				 R.cause[C_LATE].label, what, name, list ? "recibida" : "recibido",
				 split ? (list ? " completa (su última parte)" : " completo (su última parte)") : "",
				 sgot, sdue,
				 (long long)lead, when);
		p.evidence = json_pack("{s:I, s:s, s:s, s:s, s:I, s:b}", "manifest_id", (json_int_t)mid,
				       "received_at", store_rows_text(r, i, L_RECEIVED),
				       "received_local", sgot, "deadline_local", sdue,
				       "lead_minutes", (json_int_t)lead, "incomplete", incomplete);
		if (p.evidence && split) {
			json_object_set_new(p.evidence, "parts", parts);
			parts = NULL;
			if (!incomplete)
				json_object_set_new(p.evidence, "complete_at", json_string(got_iso));
			if (last != i)
				json_object_set_new(p.evidence, "version_id",
						    json_integer(store_rows_int(r, last, L_ID)));
		}
		json_decref(parts);
		evidence_names(p.evidence, p.carrier, store_rows_text(r, i, L_COMPANY), NULL);
		rc = propose(tx, ev, &p, err);
	}
	free(later);
	store_rows_free(&r);
	return rc;
}

#define GKEY 64 /* a group's key: a vehicle key, a post and a direction */

/* The day's inspections that named a transport and that the booth linked
 * to no manifest or list (no arrival row), as sql selects them ($1, $2:
 * the day's bounds; the post in column 1), with each row's post (pt, NULL
 * if unknown) and an empty group key per row for the caller.  The caller
 * frees *r, *gk and *pt. */
static int unlinked_inspections(struct store_tx *tx, struct eval *ev,
				const char *sql, struct store_rows **r,
				char (**gk)[GKEY], const struct rules_port ***pt,
				struct sigm_error *err)
{
	struct store_val v[] = {sv_text(ev->lo), sv_text(ev->hi)};
	int rc = store_tx_query(tx, sql, v, SV_N(v), r, err);
	if (rc)
		return rc;
	int n = store_rows_count(*r);
	*gk = calloc((size_t)n + 1, sizeof(**gk));
	*pt = calloc((size_t)n + 1, sizeof(**pt));
	if (!*gk || !*pt) {
		free(*gk);
		free(*pt);
		*gk = NULL;
		*pt = NULL;
		store_rows_free(r);
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	}
	for (int i = 0; i < n; i++)
		(*pt)[i] = rules_port_find(ev->ctx->rules, store_rows_text(*r, i, 1));
	return 0;
}

/* The rows with a group key, grouped: sorting, not comparing every pair,
 * since the evaluation holds the writer and a day's unlinked inspections
 * at the land posts run to thousands. */
struct groups {
	int *row;      /* rows with a key, by (key, row) */
	int *start;    /* group k: row[start[k]] .. row[start[k + 1] - 1] */
	int *by_first; /* the groups in the order of their first row */
	int n;
};

static int gk_cmp(const void *a, const void *b, void *ctx)
{
	char (*gk)[GKEY] = ctx;
	int x = *(const int *)a, y = *(const int *)b, c = strcmp(gk[x], gk[y]);
	return c ? c : (x > y) - (x < y);
}

static int first_cmp(const void *a, const void *b, void *ctx)
{
	const struct groups *g = ctx;
	int x = g->row[g->start[*(const int *)a]],
	    y = g->row[g->start[*(const int *)b]];
	return (x > y) - (x < y);
}

static void groups_free(struct groups *g)
{
	free(g->row);
	free(g->start);
	free(g->by_first);
	memset(g, 0, sizeof(*g));
}

static int group_rows(char (*gk)[GKEY], int nrows, struct groups *g,
		      struct sigm_error *err)
{
	memset(g, 0, sizeof(*g));
	g->row = malloc(((size_t)nrows + 1) * sizeof(int));
	g->start = malloc(((size_t)nrows + 2) * sizeof(int));
	g->by_first = malloc(((size_t)nrows + 1) * sizeof(int));
	if (!g->row || !g->start || !g->by_first) {
		groups_free(g);
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	}
	int m = 0;
	for (int i = 0; i < nrows; i++)
		if (gk[i][0])
			g->row[m++] = i;
	qsort_r(g->row, (size_t)m, sizeof(int), gk_cmp, gk);
	for (int k = 0; k < m; k++)
		if (k == 0 || strcmp(gk[g->row[k]], gk[g->row[k - 1]]))
			g->start[g->n++] = k;
	g->start[g->n] = m;
	for (int k = 0; k < g->n; k++)
		g->by_first[k] = k;
	qsort_r(g->by_first, (size_t)g->n, sizeof(int), first_cmp, g);
	return 0;
}

/* The inspection ids of group k. */
static json_t *group_ids(const struct groups *g, int k, struct store_rows *r)
{
	json_t *ids = json_array();
	for (int y = g->start[k]; y < g->start[k + 1]; y++)
		json_array_append_new(ids, json_integer(store_rows_int(r, g->row[y], 0)));
	return ids;
}

/* Travelers inspected for a flight with no manifest at all (no arrival row:
 * the booth found none) on that day or the day before. */
static int eval_missing(struct store_tx *tx, struct eval *ev, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	char (*gk)[GKEY] = NULL;
	const struct rules_port **pt = NULL;
	struct groups g;
	int rc = unlinked_inspections(
		tx, ev,
		"SELECT i.id, i.port, i.transport FROM inspections i"
		" WHERE i.at >= $1 AND i.at < $2 AND i.direction = 'entry' AND i.transport IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM apis_arrivals a WHERE a.inspection_id = i.id)"
		" ORDER BY i.transport, i.id",
		&r, &gk, &pt, err);
	if (rc)
		return rc;
	int n = store_rows_count(r);
	for (int i = 0; i < n; i++) {
		char key[9];
		const struct rules_port *port = pt[i];
		/* a flight number: airline designator and digits, at an airport */
		if (port && port->kind == RULES_PORT_AIR &&
		    apis_transport_key(store_rows_text(r, i, 2), key, sizeof(key)) &&
		    strlen(key) >= 3)
			snprintf(gk[i], GKEY, "%s", key);
	}
	rc = group_rows(gk, n, &g, err);
	for (int x = 0; rc == 0 && x < g.n; x++) {
		int k = g.by_first[x], i = g.row[g.start[k]];
		char key[9];
		snprintf(key, sizeof(key), "%s", gk[i]);
		const struct rules_port *port = pt[i];
		json_t *ids = group_ids(&g, k, r);
		char carrier[3] = {key[0], key[1], 0};
		struct store_val q[] = {sv_text(key), sv_text(key + 2), sv_text(carrier),
					sv_text(ev->day), sv_text(ev->yday)};
		int64_t have = 0;
		rc = store_tx_query_int(tx,
					"SELECT COUNT(*) FROM apis_manifests WHERE mode = 'air'"
					" AND flight_date IN ($4, $5)"
					" AND (flight = $1 OR (flight = $2 AND carrier = $3))",
					q, SV_N(q), &have, err);
		if (rc || have) {
			json_decref(ids);
			continue;
		}
		struct proposal p = {.cause = C_MISSING, .carrier = carrier,
				     .port = port->code, .transport = store_rows_text(r, i, 2),
				     .flight = key,
				     .inspection_id = store_rows_int(r, i, 0)};
		snprintf(p.key, sizeof(p.key), "missing:%s:%s", key, ev->day);
		snprintf(p.reason, sizeof(p.reason),
			 "%s: vuelo %s del %s, %d viajero(s) inspeccionado(s) en %s sin manifiesto",
			 R.cause[C_MISSING].label, key, ev->day, (int)json_array_size(ids),
			 port->code);
		p.evidence = json_pack("{s:s, s:s, s:o}", "flight", key, "day", ev->day,
				       "inspection_ids", ids);
		rc = propose(tx, ev, &p, err);
	}
	groups_free(&g);
	free(pt);
	free(gk);
	store_rows_free(&r);
	return rc;
}

/*
 * Buses and ships inspected at a land or sea post with no list for them
 * (no arrival row: the booth found none for that plate or vessel, post and
 * direction) on that day or the day before.  The booth records a plate, not
 * a company: the company is the one whose lists have named that vehicle
 * (the latest), so a vehicle that no company ever listed is proposed to
 * nobody; the evidence names the list the company was found by.
 */
static int eval_missing_lists(struct store_tx *tx, struct eval *ev,
			      struct sigm_error *err)
{
	struct store_rows *r = NULL;
	char (*gk)[GKEY] = NULL;
	const struct rules_port **pt = NULL;
	struct groups g;
	int rc = unlinked_inspections(
		tx, ev,
		"SELECT i.id, i.port, i.transport, i.direction FROM inspections i"
		" WHERE i.at >= $1 AND i.at < $2 AND i.transport IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM apis_arrivals a WHERE a.inspection_id = i.id)"
		" ORDER BY i.id", /* not by transport: the engines' collations differ */
		&r, &gk, &pt, err);
	if (rc)
		return rc;
	int n = store_rows_count(r);
	for (int i = 0; i < n; i++) {
		char key[APIS_VEHICLE_KEY];
		const struct rules_port *port = pt[i];
		/* folded as the booth looks the list up («Río Lempa» is the
		 * list's «Rio Lempa»): what the booth would link is what is
		 * missing */
		if (port && port->kind != RULES_PORT_AIR &&
		    apis_booth_transport_key(store_rows_text(r, i, 2), key, sizeof(key)))
			snprintf(gk[i], GKEY, "%s\x1f%s\x1f%s", key, port->code,
				 store_rows_text(r, i, 3));
	}
	rc = group_rows(gk, n, &g, err);
	for (int x = 0; rc == 0 && x < g.n; x++) {
		int k = g.by_first[x], i = g.row[g.start[k]];
		char key[APIS_VEHICLE_KEY];
		const char *dir = store_rows_text(r, i, 3);
		const struct rules_port *port = pt[i];
		(void)apis_booth_transport_key(store_rows_text(r, i, 2), key, sizeof(key));
		const char *mode = rules_port_kind_name(port->kind);
		bool sea = port->kind == RULES_PORT_SEA;
		json_t *ids = group_ids(&g, k, r);
		/* a list of that day for this post and direction, in any state,
		 * is not missing (late or inaccurate are the other causes) */
		struct store_val q[] = {sv_text(key), sv_text(mode), sv_text(ev->day),
					sv_text(ev->yday), sv_text(port->code), sv_text(dir)};
		int64_t have = 0;
		rc = store_tx_query_int(tx,
					"SELECT COUNT(*) FROM apis_manifests WHERE flight = $1 AND mode = $2"
					" AND flight_date IN ($3, $4) AND arr_port = $5 AND direction = $6",
					q, SV_N(q), &have, err);
		struct store_rows *owner = NULL;
		if (!rc && !have)
			rc = store_tx_query(tx,
					    "SELECT carrier, id, flight_date, vehicle, company FROM apis_manifests"
					    " WHERE flight = $1 AND mode = $2 ORDER BY flight_date DESC, id DESC LIMIT 1",
					    q, 2, &owner, err);
		if (rc || have || store_rows_count(owner) == 0) {
			store_rows_free(&owner);
			json_decref(ids);
			continue;
		}
		const char *carrier = store_rows_text(owner, 0, 0);
		struct proposal p = {.cause = C_MISSING, .carrier = carrier,
				     .port = port->code, .transport = store_rows_text(r, i, 2),
				     .flight = key,
				     .inspection_id = store_rows_int(r, i, 0)};
		snprintf(p.key, sizeof(p.key), "missing:%s:%s:%s:%s", key, port->code,
			 dir, ev->day);
		/* not the cause's label, which speaks of flights and APIS */
		snprintf(p.reason, sizeof(p.reason),
			 "%s sin lista de prechequeo: %s en %s (%s) el %s, %d viajero(s) inspeccionado(s);"
			 " empresa según sus listas de ese %s",
			 sea ? "Buque" : "Autobús", store_rows_text(r, i, 2), port->code,
			 !strcmp(dir, "exit") ? "salida" : "entrada", ev->day,
			 (int)json_array_size(ids), sea ? "buque" : "autobús");
		p.evidence = json_pack("{s:s, s:s, s:s, s:o, s:{s:I, s:s?, s:s?}}",
				       "vehicle", key, "day", ev->day, "direction", dir,
				       "inspection_ids", ids, "known_from_list",
				       "manifest_id", (json_int_t)store_rows_int(owner, 0, 1),
				       "flight_date", store_rows_text(owner, 0, 2),
				       "vehicle", store_rows_text(owner, 0, 3));
		evidence_names(p.evidence, carrier, store_rows_text(owner, 0, 4), NULL);
		rc = propose(tx, ev, &p, err);
		store_rows_free(&owner);
	}
	groups_free(&g);
	free(pt);
	free(gk);
	store_rows_free(&r);
	return rc;
}

static bool differ(const char *a, const char *b)
{
	return a && *a && b && *b && strcmp(a, b);
}

/* What eval_inaccurate reads of an arrival: its manifest and entry, the
 * document and birth date presented, the person, and the flight the
 * manifest is of (as apis_manifest_put tells flights apart). */
#define INACC_SELECT \
	"SELECT a.inspection_id, a.manifest_id, a.apis_person_id, m.carrier, m.flight, m.vehicle," \
	" i.port, p.doc_number, d.number, p.birth_date, pe.birth_date, p.seq, m.mode, m.company," \
	" i.person_id, m.flight_date, COALESCE(m.message_ref, ''), COALESCE(m.direction, '')," \
	" CASE WHEN EXISTS (SELECT 1 FROM apis_person_documents o" \
	"  WHERE o.apis_person_id = a.apis_person_id AND o.doc_number = d.number) THEN 1 ELSE 0 END" \
	" FROM apis_arrivals a JOIN apis_manifests m ON m.id = a.manifest_id" \
	" JOIN inspections i ON i.id = a.inspection_id" \
	" LEFT JOIN apis_persons p ON p.id = a.apis_person_id" \
	" LEFT JOIN documents d ON d.id = i.document_id" \
	" LEFT JOIN persons pe ON pe.id = i.person_id"
enum { A_INSP, A_MANIFEST, A_ENTRY, A_CARRIER, A_FLIGHT, A_VEHICLE, A_PORT, A_MDOC,
       A_IDOC, A_MBIRTH, A_IBIRTH, A_SEQ, A_MODE, A_COMPANY, A_PERSON, A_DAY,
       A_TRIP, A_DIRECTION, A_OTHER_DOC };
/* One flight (carrier, number, day; a bus's or ship's trip also by trip
 * and direction), whichever version of its manifest the booth linked: a
 * replacement that came between two inspections is the same flight.
 * Parameters $2..$7 as flight_args gives them. */
#define INACC_SAME_FLIGHT \
	" m.carrier = $2 AND m.flight = $3 AND m.flight_date = $4 AND m.mode = $5" \
	" AND (m.mode = 'air' OR (COALESCE(m.message_ref, '') = $6" \
	" AND COALESCE(m.direction, '') = $7))"

/* The same, between the manifests aliased n and m of two arrivals. */
#define INACC_SAME_FLIGHT_AS(n, m) \
	" " #n ".carrier = " #m ".carrier AND " #n ".flight = " #m ".flight" \
	" AND " #n ".flight_date = " #m ".flight_date AND " #n ".mode = " #m ".mode" \
	" AND (" #n ".mode = 'air' OR (COALESCE(" #n ".message_ref, '') = COALESCE(" #m ".message_ref, '')" \
	" AND COALESCE(" #n ".direction, '') = COALESCE(" #m ".direction, '')))"

enum { F_NONE, F_ABSENT, F_DATA };

/* What arrival i says of the manifest: nothing, the traveler is not on it,
 * or is on it with another document number or birth date (*doc, *birth)
 * than the one presented. */
static int finding(struct store_rows *r, int i, bool *doc, bool *birth)
{
	*doc = *birth = false;
	if (store_rows_isnull(r, i, A_ENTRY))
		return F_ABSENT;
	/* a list's traveler stored without a number (the ingest refused
	 * "AB1", or the DOC had none, or there was no DOC: each a warning
	 * to the carrier) is data the carrier got wrong, as another
	 * document's number is: the list owes a number for everyone */
	const char *mdoc = store_rows_text(r, i, A_MDOC), *idoc = store_rows_text(r, i, A_IDOC);
	/* the number shown is the list's when it is the traveler's travel
	 * document there, or another document the carrier listed for them
	 * (a second passport): the list carried it */
	*doc = idoc && *idoc && (!mdoc || !*mdoc || strcmp(mdoc, idoc)) &&
	       store_rows_int(r, i, A_OTHER_DOC) == 0;
	*birth = differ(store_rows_text(r, i, A_MBIRTH), store_rows_text(r, i, A_IBIRTH));
	return *doc || *birth ? F_DATA : F_NONE;
}

/* The proposal of arrival i's finding f. */
static int propose_inaccurate(struct store_tx *tx, struct eval *ev, struct store_rows *r,
			      int i, int f, bool doc_diff, bool birth_diff,
			      struct sigm_error *err)
{
	int64_t insp = store_rows_int(r, i, A_INSP), mid = store_rows_int(r, i, A_MANIFEST);
	const char *mdoc = store_rows_text(r, i, A_MDOC), *idoc = store_rows_text(r, i, A_IDOC);
	const char *mbirth = store_rows_text(r, i, A_MBIRTH), *ibirth = store_rows_text(r, i, A_IBIRTH);
	const char *vehicle = store_rows_text(r, i, A_VEHICLE);
	const char *name = vehicle ? vehicle : store_rows_text(r, i, A_FLIGHT);
	/* a bus's or a ship's list is not a manifest */
	const char *mode = store_rows_text(r, i, A_MODE);
	const char *of = mode && strcmp(mode, "air") ? "la lista" : "el manifiesto";
	struct proposal p = {.cause = C_INACCURATE, .carrier = store_rows_text(r, i, A_CARRIER),
			     .port = store_rows_text(r, i, A_PORT), .transport = name,
			     .flight = store_rows_text(r, i, A_FLIGHT), .manifest_id = mid,
			     .inspection_id = insp};
	snprintf(p.key, sizeof(p.key), "inaccurate:%lld", (long long)insp);
	if (f == F_ABSENT) {
		snprintf(p.reason, sizeof(p.reason),
			 "%s: viajero inspeccionado (inspección %lld) que no figura en %s de %s",
			 R.cause[C_INACCURATE].label, (long long)insp, of, name);
		p.evidence = json_pack("{s:I, s:I, s:s}", "manifest_id", (json_int_t)mid,
				       "inspection_id", (json_int_t)insp, "finding",
				       "not_on_manifest");
	} else {
		snprintf(p.reason, sizeof(p.reason),
			 "%s: el pasajero %lld de %s de %s no coincide con el documento presentado%s%s",
			 R.cause[C_INACCURATE].label, (long long)store_rows_int(r, i, A_SEQ), of, name,
			 doc_diff ? " (número de documento)" : "",
			 birth_diff ? " (fecha de nacimiento)" : "");
		p.evidence = json_pack("{s:I, s:I, s:I, s:s, s:{s:s?, s:s?}, s:{s:s?, s:s?}}",
				       "manifest_id", (json_int_t)mid, "inspection_id",
				       (json_int_t)insp, "apis_person_id",
				       (json_int_t)store_rows_int(r, i, A_ENTRY), "finding",
				       "data_mismatch", "manifest", "doc_number", mdoc,
				       "birth_date", mbirth, "presented", "doc_number", idoc,
				       "birth_date", ibirth);
	}
	evidence_names(p.evidence, p.carrier, store_rows_text(r, i, A_COMPANY), NULL);
	return propose(tx, ev, &p, err);
}

/*
 * Arrivals of the day against their manifest: a traveler not on it, or on
 * it with another document number or birth date than the one presented.
 * One fact per traveler and flight (a person, with the records a
 * supervisor linked to them as the same: API_LINKED, as the APIS
 * reconciliation counts travelers), however many times the booth
 * inspected them for it: sent to secondary and inspected again once the
 * facts changed, or an entry voided and recorded again, wrote an arrival
 * each, and the carrier was proposed a fine for each (4 proposals for 2
 * travelers).  The fact is the traveler's first inspection for the flight
 * that found it (inaccurate:<that inspection>, the key it always had), so
 * proposals made before stand as they are; whichever day's evaluation
 * sees the traveler first proposes it, and none does once any fine of
 * this cause names an inspection of the traveler for the flight - a
 * proposal in any state (one cancelled is not proposed again), or one
 * by hand not cancelled: a database holding two proposals for one
 * traveler, from before, gets no third.
 */
int compliance_traveler_fined(struct store_tx *tx, int64_t inspection,
			      struct store_rows **out, struct sigm_error *err)
{
	/* the traveler and the flight of the inspection's arrival (o), then
	 * the fines on the traveler's other inspections for that flight */
	struct store_val k[] = {sv_int(inspection)};
	return store_tx_query(tx,
			      "SELECT cf.id, cf.carrier FROM apis_arrivals ao"
			      " JOIN inspections io ON io.id = ao.inspection_id"
			      " JOIN apis_manifests mo ON mo.id = ao.manifest_id"
			      /* the traveler's records from the inspection's, once
			       * (not a recursion per row joined) */
			      " JOIN inspections i ON i.person_id IN "
			      API_LINKED("(SELECT ix.person_id FROM inspections ix WHERE ix.id = $1)")
			      " JOIN apis_arrivals a ON a.inspection_id = i.id"
			      " JOIN apis_manifests m ON m.id = a.manifest_id"
			      " JOIN carrier_fines cf ON cf.inspection_id = i.id"
			      " WHERE ao.inspection_id = $1 AND cf.cause = 'inaccurate_manifest'"
			      " AND cf.status <> 'cancelled' AND cf.inspection_id <> $1 AND"
			      INACC_SAME_FLIGHT_AS(m, mo) " ORDER BY cf.id LIMIT 1",
			      k, SV_N(k), out, err);
}

static int eval_inaccurate(struct store_tx *tx, struct eval *ev, struct sigm_error *err)
{
	struct store_rows *r = NULL, *g = NULL;
	struct store_val v[] = {sv_text(ev->lo), sv_text(ev->hi)};
	int rc = store_tx_query(tx, INACC_SELECT " WHERE a.at >= $1 AND a.at < $2 ORDER BY a.inspection_id",
				v, SV_N(v), &r, err);
	if (rc)
		return rc;
	for (int i = 0; rc == 0 && i < store_rows_count(r); i++) {
		bool doc, birth;
		int f = finding(r, i, &doc, &birth);
		if (f == F_NONE)
			continue;
		if (store_rows_isnull(r, i, A_PERSON)) { /* nobody to tell apart */
			rc = propose_inaccurate(tx, ev, r, i, f, doc, birth, err);
			continue;
		}
		struct store_val q[] = {sv_int(store_rows_int(r, i, A_PERSON)),
					sv_text(store_rows_text(r, i, A_CARRIER)),
					sv_text(store_rows_text(r, i, A_FLIGHT)),
					sv_text(store_rows_text(r, i, A_DAY)),
					sv_text(store_rows_text(r, i, A_MODE)),
					sv_text(store_rows_text(r, i, A_TRIP)),
					sv_text(store_rows_text(r, i, A_DIRECTION))};
		int64_t fined = 0;
		rc = store_tx_query_int(tx,
					"SELECT COUNT(*) FROM carrier_fines cf"
					" JOIN apis_arrivals a ON a.inspection_id = cf.inspection_id"
					" JOIN inspections i ON i.id = a.inspection_id"
					" JOIN apis_manifests m ON m.id = a.manifest_id"
					" WHERE cf.cause = 'inaccurate_manifest'"
					" AND (cf.dedupe_key IS NOT NULL OR cf.status <> 'cancelled')"
					" AND i.person_id IN " API_LINKED("$1") " AND" INACC_SAME_FLIGHT,
					q, SV_N(q), &fined, err);
		if (rc || fined)
			continue;
		/* the traveler's inspections for the flight, the first that
		 * found it standing for all (on an earlier day, maybe never
		 * evaluated: proposed now, under its own key) */
		rc = store_tx_query(tx, INACC_SELECT " WHERE i.person_id IN " API_LINKED("$1") " AND" INACC_SAME_FLIGHT
					" ORDER BY a.inspection_id",
				    q, SV_N(q), &g, err);
		for (int j = 0; rc == 0 && j < store_rows_count(g); j++) {
			int fj = finding(g, j, &doc, &birth);
			if (fj == F_NONE)
				continue;
			rc = propose_inaccurate(tx, ev, g, j, fj, doc, birth, err);
			break;
		}
		store_rows_free(&g);
	}
	store_rows_free(&r);
	return rc;
}

/* Every refusal of the day: the carrier is the one whose manifest the
 * traveler came on, else the one the supervisor named in the
 * inadmission. */
static int eval_inadmissible(struct store_tx *tx, struct eval *ev, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val v[] = {sv_text(ev->lo), sv_text(ev->hi)};
	int rc = store_tx_query(
		tx,
		"SELECT n.id, n.inspection_id, n.carrier, n.legal_ground, i.port, i.transport,"
		" a.manifest_id, m.carrier, m.flight, m.vehicle, m.company"
		" FROM inadmissions n JOIN inspections i ON i.id = n.inspection_id"
		" LEFT JOIN apis_arrivals a ON a.inspection_id = n.inspection_id"
		" LEFT JOIN apis_manifests m ON m.id = a.manifest_id"
		" WHERE n.created_at >= $1 AND n.created_at < $2 ORDER BY n.id",
		v, SV_N(v), &r, err);
	if (rc)
		return rc;
	for (int i = 0; rc == 0 && i < store_rows_count(r); i++) {
		bool on_manifest = !store_rows_isnull(r, i, 6);
		const char *carrier = on_manifest ? store_rows_text(r, i, 7) : store_rows_text(r, i, 2);
		if (!carrier || !*carrier)
			continue; /* nobody to propose it to */
		int64_t nid = store_rows_int(r, i, 0), insp = store_rows_int(r, i, 1);
		/* the carrier as the supervisor named it, and as its list does */
		const char *named = store_rows_text(r, i, 2);
		const char *company = on_manifest ? store_rows_text(r, i, 10) : NULL;
		/* one inadmissible passenger, one fine to each carrier: a
		 * supervisor may have fined this one by hand while the case
		 * waited (border_api.c counts duplicates the same way) - under
		 * the name typed in the inadmission or the company's name on its
		 * list as well as under the list's code: the proposal to «RCCL»
		 * charged again a passenger fined to «Royal Caribbean» */
		int64_t fined = 0;
		struct store_val f[] = {sv_int(insp), sv_text(carrier), sv_opt(named), sv_opt(company)};
		rc = store_tx_query_int(tx, "SELECT count(*) FROM carrier_fines WHERE inspection_id = $1"
					" AND (upper(carrier) = upper($2) OR upper(carrier) = upper(CAST($3 AS TEXT))"
					"  OR upper(carrier) = upper(CAST($4 AS TEXT)))"
					" AND (cause = 'inadmissible_passenger' OR cause IS NULL)"
					" AND status <> 'cancelled'", f, SV_N(f), &fined, err);
		if (rc || fined)
			continue;
		const char *vehicle = store_rows_text(r, i, 9);
		struct proposal p = {.cause = C_INADMISSIBLE, .carrier = carrier,
				     .port = store_rows_text(r, i, 4),
				     .transport = vehicle ? vehicle : store_rows_text(r, i, 5),
				     .flight = on_manifest ? store_rows_text(r, i, 8) : NULL,
				     .manifest_id = on_manifest ? store_rows_int(r, i, 6) : 0,
				     .inspection_id = insp};
		snprintf(p.key, sizeof(p.key), "inadmissible:%lld", (long long)nid);
		snprintf(p.reason, sizeof(p.reason), "%s (inadmisión %lld: %s)",
			 R.cause[C_INADMISSIBLE].label, (long long)nid, store_rows_text(r, i, 3));
		p.evidence = json_pack("{s:I, s:I, s:o}", "inadmission_id", (json_int_t)nid,
				       "inspection_id", (json_int_t)insp, "manifest_id",
				       on_manifest ? json_integer(store_rows_int(r, i, 6)) : json_null());
		if (on_manifest)
			evidence_names(p.evidence, carrier, company, named);
		rc = propose(tx, ev, &p, err);
	}
	store_rows_free(&r);
	return rc;
}

/* Flights of the airport's schedule (schedule_api.c) whose arrival time
 * has passed with no manifest at all: missing even before any of their
 * travelers reaches the booth.  The same key as eval_missing's, so one
 * flight is proposed once, whichever finds it first. */
static int eval_missing_scheduled(struct store_tx *tx, struct eval *ev,
				  struct sigm_error *err)
{
	struct store_rows *r = NULL;
	char today[11], now_hm[6];
	api_today(today);
	api_now_hm(now_hm);
	/* a day gone by: every flight of it; today: those already due */
	const char *until = strcmp(ev->day, today) < 0 ? "99:99" : now_hm;
	struct store_val v[] = {sv_text(ev->day), sv_text(ev->yday), sv_text(until)};
	int rc = store_tx_query(
		tx,
		"SELECT s.id, s.carrier, s.flight, s.port, s.origin, s.arrival FROM apis_schedule s"
		" WHERE s.flight_date = $1 AND s.status = 'scheduled' AND s.arrival <= $3"
		" AND NOT EXISTS (SELECT 1 FROM apis_manifests m WHERE m.mode = 'air'"
		"  AND m.flight_date IN ($1, $2) AND m.carrier = s.carrier"
		"  AND (m.flight = s.flight OR m.flight = s.carrier || s.flight))"
		" ORDER BY s.arrival, s.carrier, s.flight",
		v, SV_N(v), &r, err);
	if (rc)
		return rc;
	for (int i = 0; rc == 0 && i < store_rows_count(r); i++) {
		char key[16];
		snprintf(key, sizeof(key), "%s%s", store_rows_text(r, i, 1),
			 store_rows_text(r, i, 2));
		struct proposal p = {.cause = C_MISSING, .carrier = store_rows_text(r, i, 1),
				     .port = store_rows_text(r, i, 3), .transport = key,
				     .flight = key};
		snprintf(p.key, sizeof(p.key), "missing:%s:%s", key, ev->day);
		snprintf(p.reason, sizeof(p.reason),
			 "%s: vuelo %s programado en %s a las %s del %s, sin manifiesto",
			 R.cause[C_MISSING].label, key, store_rows_text(r, i, 3),
			 store_rows_text(r, i, 5), ev->day);
		p.evidence = json_pack("{s:s, s:s, s:I, s:s, s:s?}", "flight", key,
				       "day", ev->day, "schedule_id",
				       (json_int_t)store_rows_int(r, i, 0),
				       "scheduled_arrival", store_rows_text(r, i, 5),
				       "origin", store_rows_text(r, i, 4));
		rc = propose(tx, ev, &p, err);
	}
	store_rows_free(&r);
	return rc;
}

static int evaluate_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct eval *ev = arg;
	int rc = 0;
	ev->proposed = 0;
	if (!rc && (ev->what & COMPLIANCE_LATE))
		rc = eval_late(tx, ev, err);
	if (!rc && (ev->what & COMPLIANCE_MISSING))
		rc = eval_missing(tx, ev, err);
	if (!rc && (ev->what & COMPLIANCE_MISSING))
		rc = eval_missing_scheduled(tx, ev, err);
	if (!rc && (ev->what & COMPLIANCE_MISSING))
		rc = eval_missing_lists(tx, ev, err);
	if (!rc && (ev->what & COMPLIANCE_INACCURATE))
		rc = eval_inaccurate(tx, ev, err);
	if (!rc && (ev->what & COMPLIANCE_INADMISSIBLE))
		rc = eval_inadmissible(tx, ev, err);
	return rc;
}

int compliance_evaluate_day(struct api_ctx *ctx, const char *day,
			    unsigned what, const char *actor, const char *remote,
			    int *proposed, struct sigm_error *err)
{
	struct eval ev = {.ctx = ctx, .day = day, .actor = actor, .remote = remote,
			  .what = what};
	int32_t d;
	int rc = rules_get(err);
	if (rc)
		return rc;
	if (cal_parse_day(day, &d, "date", err))
		return SIGM_EINVAL;
	/* the El Salvador day in the stored UTC times: 06:00Z to 06:00Z */
	char next[11];
	cal_format(d + 1, next);
	cal_format(d - 1, ev.yday);
	snprintf(ev.lo, sizeof(ev.lo), "%sT06:00:00", day);
	snprintf(ev.hi, sizeof(ev.hi), "%sT06:00:00", next);
	rc = store_write(ctx->store, evaluate_fn, &ev, err);
	if (rc == 0 && proposed)
		*proposed = ev.proposed;
	return rc;
}

int compliance_evaluate_logged(struct api_ctx *ctx, const char *day,
			       unsigned what, const char *actor,
			       const char *remote)
{
	struct sigm_error err;
	int n = 0;
	json_t *x = NULL;
	if (compliance_evaluate_day(ctx, day, what, actor, remote, &n, &err)) {
		x = json_pack("{s:s, s:s}", "day", day, "reason", err.message);
		api_log("error", "compliance_failed", x);
	} else if (n) {
		x = json_pack("{s:s, s:i}", "day", day, "proposed", n);
		api_log("info", "compliance_proposed", x);
	}
	json_decref(x);
	return n;
}

void apis_after_ingest(struct api_ctx *ctx, json_t *manifests,
		       const char *actor, const char *remote)
{
	size_t i;
	json_t *o;
	char last[11] = "";
	apis_screen_ingested(ctx, manifests, actor, remote);
	json_array_foreach(manifests, i, o) {
		const char *day = json_string_value(json_object_get(o, "flight_date"));
		if (!day || !strcmp(day, last))
			continue;
		snprintf(last, sizeof(last), "%s", day);
		/* only what the ingest can change: the full day is the
		 * timer's and the supervisor's (it reads the day's inspections) */
		compliance_evaluate_logged(ctx, day, COMPLIANCE_LATE, actor, remote);
	}
}

/* ---- HTTP ---- */

/* POST /api/v1/carrier-compliance/evaluate {"date"}: the supervisor's
 * button, for facts the automatic evaluations did not see (a flight whose
 * travelers were inspected but whose carrier never sent anything). */
void api_compliance_evaluate(struct api_req *req, struct api_resp *resp);
void api_compliance_evaluate(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"date", NULL};
	const char *day = NULL;
	char today[11];
	struct sigm_error err;
	int n = 0;
	json_t *b = api_body_object(req, resp, f);
	if (!b || api_get_date(resp, b, "date", false, false, &day))
		return;
	api_today(today);
	if (!day)
		day = today;
	if (strcmp(day, today) > 0) {
		api_error(resp, 422, "future_date", "date",
			  "«date»: no se evalúa un día que aún no ha llegado");
		return;
	}
	if (compliance_evaluate_day(req->ctx, day, COMPLIANCE_ALL, req->actor, req->remote, &n, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:s, s:i}", "date", day, "proposed", n));
}

struct crow {
	char carrier[512]; /* a name typed by hand is up to 120 characters */
	const char *company; /* the name its latest list gives; borrowed */
	int64_t v[13];
};
enum { K_RECEIVED, K_LATE, K_MISSING, K_INACCURATE, K_INADMISSIBLE, K_PROPOSED,
       K_CONFIRMED, K_COLLECTED, K_CANCELLED, K_CONF_CENTS, K_COLL_CENTS,
       K_UNKNOWN_AMOUNT, K_INACC_REPEATED, K_N };
/* the CSV's columns, as spreadsheets were built on them: the ones after
 * (inaccurate_repeated) are the JSON's only */
enum { K_CSV = K_INACC_REPEATED };
static const char *const K_NAME[K_N] = {
	"manifests_received", "late", "missing", "inaccurate", "inadmissible",
	"fines_proposed", "fines_confirmed", "fines_collected", "fines_cancelled",
	"confirmed_amount_cents", "collected_amount_cents", "fines_amount_unknown",
	"inaccurate_repeated"};

static struct crow *crow_get(struct crow **rows, int *n, const char *carrier)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*rows)[i].carrier, carrier))
			return &(*rows)[i];
	struct crow *x = realloc(*rows, (size_t)(*n + 1) * sizeof(**rows));
	if (!x)
		return NULL;
	*rows = x;
	memset(&x[*n], 0, sizeof(x[*n]));
	snprintf(x[*n].carrier, sizeof(x[*n].carrier), "%s", carrier);
	return &x[(*n)++];
}

static int crow_cmp(const void *a, const void *b)
{
	return strcmp(((const struct crow *)a)->carrier, ((const struct crow *)b)->carrier);
}

/*
 * The names the register may hold for a carrier, folded (persons_fold:
 * case, accents, runs of spaces and stops) - its code, and the company
 * names its own lists gave - and the code each stands for; "" when two
 * carriers share a name (it is then nobody's).  A fine a supervisor typed
 * by hand as «Royal Caribbean International» or «rccl» is RCCL's, counted
 * in its row: the report split one company into two.  A name no carrier
 * gave itself stays a row of its own: whose it is, is the supervisor's to
 * say by naming the carrier (docs/prechequeo.md).
 */
struct alias {
	char fold[512];
	char code[16];
	const char *company; /* the name as its list wrote it, else NULL; borrowed */
};

struct aliases {
	struct alias *a;
	int n;
	struct store_rows *r; /* the names are its rows' */
};

static int alias_add(struct aliases *al, const char *code, const char *name, bool company)
{
	char fold[512];
	persons_fold(name, fold, sizeof(fold));
	if (!fold[0])
		return 0;
	for (int i = 0; i < al->n; i++)
		if (!strcmp(al->a[i].fold, fold)) {
			if (strcmp(al->a[i].code, code))
				al->a[i].code[0] = '\0';
			return 0;
		}
	struct alias *x = realloc(al->a, (size_t)(al->n + 1) * sizeof(*x));
	if (!x)
		return SIGM_ENOMEM;
	al->a = x;
	x = &al->a[al->n++];
	snprintf(x->fold, sizeof(x->fold), "%s", fold);
	snprintf(x->code, sizeof(x->code), "%s", code);
	x->company = company ? name : NULL;
	return 0;
}

static void aliases_free(struct aliases *al)
{
	free(al->a);
	store_rows_free(&al->r);
	memset(al, 0, sizeof(*al));
}

/* The carriers' codes (their accounts') and their lists' company names,
 * latest first; the codes of the month's manifests are added by the
 * caller (alias_add). */
static int aliases_load(struct store *s, struct aliases *al, struct sigm_error *err)
{
	memset(al, 0, sizeof(*al));
	int rc = store_query(s,
			     "SELECT carrier, carrier, 0 AS list, 0 AS latest FROM apis_carrier_accounts"
			     " UNION ALL SELECT carrier, company, 1, MAX(id) FROM apis_manifests"
			     " WHERE mode <> 'air' AND company IS NOT NULL GROUP BY carrier, company"
			     " ORDER BY 3, 4 DESC",
			     NULL, 0, &al->r, err);
	if (rc)
		return rc;
	for (int i = 0; rc == 0 && i < store_rows_count(al->r); i++)
		rc = alias_add(al, store_rows_text(al->r, i, 0), store_rows_text(al->r, i, 1),
			       store_rows_int(al->r, i, 2) != 0);
	if (rc)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	return 0;
}

/* The code a fine's carrier names, or the name itself. */
static const char *alias_code(const struct aliases *al, const char *name)
{
	char fold[512];
	persons_fold(name, fold, sizeof(fold));
	for (int i = 0; i < al->n; i++)
		if (!strcmp(al->a[i].fold, fold))
			return al->a[i].code[0] ? al->a[i].code : name;
	return name;
}

/* The company's name its latest list gave, or NULL. */
static const char *alias_company(const struct aliases *al, const char *code)
{
	for (int i = 0; i < al->n; i++)
		if (al->a[i].company && !strcmp(al->a[i].code, code))
			return al->a[i].company;
	return NULL;
}

/* GET /api/v1/carrier-compliance/report?month=YYYY-MM[&carrier=][&format=csv]:
 * per carrier, manifests and lists received for flights and trips of the
 * month, the facts found (late, missing, inaccurate, inadmissible; cancelled
 * proposals not counted) and the fines by stage with their amounts. */
void api_compliance_report(struct api_req *req, struct api_resp *resp);
void api_compliance_report(struct api_req *req, struct api_resp *resp)
{
	const char *month = api_query(req, "month"), *carrier = api_query(req, "carrier"),
		   *format = api_query(req, "format");
	struct store_rows *r = NULL, *rep = NULL;
	struct crow *rows = NULL;
	struct aliases al = {0};
	int n = 0;
	struct sigm_error err;
	char like[16], today[11];
	if (!month) {
		api_today(today);
		today[7] = '\0';
		month = today;
	}
	if (!(strlen(month) == 7 && api_valid_date(month, true))) {
		api_error(resp, 400, "invalid_date", "month", "«month»: AAAA-MM");
		return;
	}
	if (format && strcmp(format, "csv") && strcmp(format, "json")) {
		api_error(resp, 400, "invalid_value", "format", "«format»: json o csv");
		return;
	}
	snprintf(like, sizeof(like), "%s-%%", month);
	/* rows by the carrier's code, whatever name a fine gives it; the
	 * carrier asked for too («rccl» is RCCL) */
	if (aliases_load(req->ctx->store, &al, &err))
		goto fail;
	const char *want = carrier ? alias_code(&al, carrier) : NULL;
	struct store_val v[] = {sv_text(like), sv_opt(want)};
	if (store_query(req->ctx->store,
			/* a flight's versions differ in their UNH reference, a
			 * bus's trips in trip and direction */
			"SELECT carrier, COUNT(DISTINCT mode || '|' || flight || '|' || flight_date || '|' || list_type"
			" || CASE WHEN mode = 'air' THEN '' ELSE '|' || COALESCE(message_ref, '') || '|'"
			" || COALESCE(direction, '') END) FROM apis_manifests"
			" WHERE flight_date LIKE $1 AND function <> 'cancel'"
			" AND (CAST($2 AS TEXT) IS NULL OR carrier = $2) GROUP BY carrier",
			v, SV_N(v), &r, &err))
		goto fail;
	for (int i = 0; i < store_rows_count(r); i++) {
		struct crow *c = crow_get(&rows, &n, store_rows_text(r, i, 0));
		if (!c || alias_add(&al, c->carrier, c->carrier, false))
			goto nomem;
		c->v[K_RECEIVED] = store_rows_int(r, i, 1);
	}
	store_rows_free(&r);
	/* every fine of the month: which carrier it is counted for is known
	 * once its name is read as a code */
	if (store_query(req->ctx->store,
			"SELECT carrier, cause, status, amount_known, COUNT(*), SUM(amount_cents) FROM carrier_fines"
			" WHERE imposed_on LIKE $1 GROUP BY carrier, cause, status, amount_known",
			v, 1, &r, &err))
		goto fail;
	for (int i = 0; i < store_rows_count(r); i++) {
		const char *key = alias_code(&al, store_rows_text(r, i, 0));
		if (want && strcmp(key, want))
			continue;
		struct crow *c = crow_get(&rows, &n, key);
		if (!c)
			goto nomem;
		const char *cause = store_rows_text(r, i, 1), *st = store_rows_text(r, i, 2);
		bool known = store_rows_int(r, i, 3) != 0;
		int64_t cnt = store_rows_int(r, i, 4), cents = store_rows_int(r, i, 5);
		if (!strcmp(st, "cancelled")) {
			c->v[K_CANCELLED] += cnt;
			continue;
		}
		for (int k = 0; cause && k < C_N; k++)
			if (!strcmp(cause, CAUSE_CODE[k]))
				c->v[K_LATE + k] += cnt;
		if (!strcmp(st, "proposed")) {
			c->v[K_PROPOSED] += cnt;
			continue;
		}
		c->v[K_CONFIRMED] += cnt;
		if (known)
			c->v[K_CONF_CENTS] += cents;
		else
			c->v[K_UNKNOWN_AMOUNT] += cnt;
		if (!strcmp(st, "paid")) {
			c->v[K_COLLECTED] += cnt;
			if (known)
				c->v[K_COLL_CENTS] += cents;
		}
	}
	store_rows_free(&r);
	/* inaccurate counts travelers: a fine of that cause naming a traveler
	 * of a flight an earlier one (not cancelled) named already is not
	 * another fact.  Evaluations no longer propose such a fine
	 * (eval_inaccurate), but a database may hold them from before, and a
	 * supervisor may have typed one by hand; they stay fines of the
	 * register (counted by stage above) for a supervisor to cancel, and
	 * are counted apart in inaccurate_repeated.  Each with the first fine
	 * of that traveler and flight, kept for the JSON: the desk links the
	 * supervisor to both, to say which one stands */
	if (store_query(req->ctx->store,
			"SELECT carrier, id, first_id FROM (SELECT cf.carrier, cf.id,"
			" (SELECT MIN(cg.id) FROM carrier_fines cg"
			"  JOIN apis_arrivals b ON b.inspection_id = cg.inspection_id"
			"  JOIN inspections j ON j.id = b.inspection_id"
			"  JOIN apis_manifests n ON n.id = b.manifest_id"
			"  WHERE cg.cause = 'inaccurate_manifest' AND cg.status <> 'cancelled'"
			"  AND cg.id < cf.id AND j.person_id IN " API_LINKED("i.person_id") " AND" INACC_SAME_FLIGHT_AS(n, m) ") AS first_id"
			" FROM carrier_fines cf"
			" JOIN apis_arrivals a ON a.inspection_id = cf.inspection_id"
			" JOIN inspections i ON i.id = a.inspection_id"
			" JOIN apis_manifests m ON m.id = a.manifest_id"
			" WHERE cf.imposed_on LIKE $1 AND cf.cause = 'inaccurate_manifest'"
			" AND cf.status <> 'cancelled') x WHERE first_id IS NOT NULL ORDER BY id",
			v, 1, &rep, &err))
		goto fail;
	for (int i = 0; i < store_rows_count(rep); i++) {
		const char *key = alias_code(&al, store_rows_text(rep, i, 0));
		if (want && strcmp(key, want))
			continue;
		struct crow *c = crow_get(&rows, &n, key);
		if (!c)
			goto nomem;
		c->v[K_INACCURATE]--;
		c->v[K_INACC_REPEATED]++;
	}
	if (n > 1)
		qsort(rows, (size_t)n, sizeof(*rows), crow_cmp);
	for (int i = 0; i < n; i++)
		rows[i].company = alias_company(&al, rows[i].carrier);
	json_t *d = json_pack("{s:s, s:s?, s:i}", "month", month, "carrier", carrier,
			      "carriers", n);
	api_audit(req, "carrier_compliance.report", NULL, NULL, d);
	json_decref(d);
	if (format && !strcmp(format, "csv")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (!f)
			goto nomem;
		fputs("month,carrier", f);
		for (int k = 0; k < K_CSV; k++)
			fprintf(f, ",%s", K_NAME[k]);
		fputc('\n', f);
		for (int i = 0; i < n; i++) {
			fprintf(f, "%s,", month);
			bulk_csv_field(f, rows[i].carrier);
			for (int k = 0; k < K_CSV; k++)
				fprintf(f, ",%lld", (long long)rows[i].v[k]);
			fputc('\n', f);
		}
		free(rows);
		aliases_free(&al);
		store_rows_free(&rep);
		bulk_csv_answer(resp, f, &buf, &len, "cumplimiento-transportistas.csv");
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		/* the company's name as its latest list gives it, for the
		 * desk to read the code by (null: none, or an airline) */
		json_t *o = json_pack("{s:s, s:s?}", "carrier", rows[i].carrier, "company",
				      rows[i].company);
		for (int k = 0; k < K_N; k++)
			json_object_set_new(o, K_NAME[k], json_integer(rows[i].v[k]));
		/* which fines the repeats are, and the first fine each repeats:
		 * for the supervisor to reach them in the register */
		json_t *dup = json_array();
		for (int j = 0; j < store_rows_count(rep); j++)
			if (!strcmp(alias_code(&al, store_rows_text(rep, j, 0)), rows[i].carrier))
				json_array_append_new(dup, json_pack("{s:I, s:I}", "id",
								     (json_int_t)store_rows_int(rep, j, 1), "repeats",
								     (json_int_t)store_rows_int(rep, j, 2)));
		json_object_set_new(o, "inaccurate_repeated_fines", dup);
		json_array_append_new(items, o);
	}
	free(rows);
	aliases_free(&al);
	store_rows_free(&rep);
	api_json(resp, 200, json_pack("{s:s, s:o}", "month", month, "items", items));
	return;
nomem:
	sigm_error_set(&err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
fail:
	store_rows_free(&r);
	store_rows_free(&rep);
	free(rows);
	aliases_free(&al);
	api_error_from(resp, &err);
}

/* ---- the timer: facts no request brings up ---- */

/* A traveler not on a list inspected late at night, with no ingest or
 * refusal after it that day, would wait for the supervisor's button; the
 * server evaluates yesterday and today every SIGM_COMPLIANCE_MINUTES
 * (default 15, 0 = off).  Several nodes may do it at once: the unique
 * dedupe_key makes the second a no-op. */
struct compliance_timer {
	struct api_ctx *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	double minutes;
};

static void *timer_run(void *arg)
{
	struct compliance_timer *t = arg;
	for (;;) {
		struct timespec ts;
		long ms = (long)(t->minutes * 60000.0);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&t->mu);
		while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &ts) == 0)
			;
		bool stop = t->stop;
		pthread_mutex_unlock(&t->mu);
		if (stop)
			return NULL;
		char today[11], yday[11];
		int32_t d;
		struct sigm_error err;
		api_today(today);
		if (cal_parse_day(today, &d, "today", &err))
			continue;
		cal_format(d - 1, yday);
		for (int i = 0; i < 2; i++)
			compliance_evaluate_logged(t->ctx, i ? today : yday, COMPLIANCE_ALL,
						   "sistema", NULL);
	}
}

struct compliance_timer *compliance_timer_start(struct api_ctx *ctx)
{
	const char *env = getenv("SIGM_COMPLIANCE_MINUTES");
	/* fractions allowed (tests: 0.05 = 3 s); at least 1 s */
	double minutes = env && *env ? strtod(env, NULL) : 15;
	if (!(minutes >= 1.0 / 60 && minutes <= 24 * 60))
		return NULL;
	struct compliance_timer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->ctx = ctx;
	t->minutes = minutes;
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->cv, NULL);
	if (pthread_create(&t->thread, NULL, timer_run, t) != 0) {
		pthread_mutex_destroy(&t->mu);
		pthread_cond_destroy(&t->cv);
		free(t);
		return NULL;
	}
	return t;
}

void compliance_timer_stop(struct compliance_timer **tp)
{
	struct compliance_timer *t = *tp;
	if (!t)
		return;
	pthread_mutex_lock(&t->mu);
	t->stop = true;
	pthread_cond_signal(&t->cv);
	pthread_mutex_unlock(&t->mu);
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->mu);
	pthread_cond_destroy(&t->cv);
	free(t);
	*tp = NULL;
}
