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
 * A long list comes split in parts (UNH 0070 part number, 0073 "C" more
 * follow / "F" final, the parts sharing the 0068 common access reference),
 * in one interchange or several, in any order.  A part whose access
 * reference is that of the current manifest's set is joined to it: its
 * persons are added (each row keeps its part number), the part numbers
 * received and completeness are recorded, and the manifest is re-screened
 * whole.  A part number already received is a duplicate: it is not added
 * again and the interchange gets a "duplicate_part" warning - replacing
 * that part's persons would drop the desk's reviews and arrivals tied to
 * them; a carrier that corrects a part re-sends the set with BGM 1225 = 5,
 * which starts a new version.  Any other part (another access reference,
 * or no set current) starts a new version as a whole message does.  See
 * docs/paxlst.md, "Multi-part lists".
 *
 * A carrier's account (role transportista) is tied to its IATA code in
 * apis_carrier_accounts; it may only send its own flights.
 */
#include "api/apis.h"
#include "api/paxlst_json.h"
#include "core/calendar.h"
#include "core/mrz.h"
#include "core/names.h"
#include "core/rules.h"
#include "store/audit.h"

#include <sodium.h>
#include <stdarg.h>
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

/* A message's place in a split list (UNH 0068, 0070, 0073). */
struct part {
	int number;          /* 0070; 1 when only 0073 is given; 0: whole */
	bool final;          /* 0073 "F" */
	const char *ref;     /* 0068, "" when absent */
};

#define PART_MAX 999 /* part numbers accepted: parts_received stays short */

/* 0 when m's S010 reads, else -1 (the ingest's checks report it). */
static int part_of(const struct paxlst_message *m, struct part *p)
{
	p->number = 0;
	p->final = !strcmp(m->part_status, "F");
	p->ref = m->access_ref;
	if (!m->sequence[0] && !m->part_status[0])
		return 0;
	if (m->part_status[0] && strcmp(m->part_status, "C") && !p->final)
		return -1;
	if (!m->sequence[0]) {
		p->number = 1;
		return 0;
	}
	int n = 0;
	for (const char *c = m->sequence; *c; c++) {
		if (*c < '0' || *c > '9' || n > PART_MAX)
			return -1;
		n = n * 10 + (*c - '0');
	}
	if (n < 1 || n > PART_MAX)
		return -1;
	p->number = n;
	return 0;
}

struct ingest {
	const struct apis_submission *sub;
	const struct paxlst_interchange *ix;
	bool accept;     /* before the write: the reader's and ingest's checks */
	bool accepted;   /* after it: also the checks against stored sets */
	json_t *errors, *warnings; /* the reader's, plus what the write adds */
	size_t n_errors, n_warnings; /* ... sizes before the write */
	struct apis_raw raw;
	int64_t id;
	json_t *manifests; /* filled by the write: what happened to each */
	/* screening in the write (sub->screen): the index queries, run
	 * before it; the manifests stored whole by this write (message,
	 * manifest, entry of manifests); their summaries, [entry, summary]
	 * pairs; whether the screening made the write fail */
	struct apis_prescreen *ps;
	struct to_screen {
		unsigned msg;
		int64_t mid;
		size_t at;
	} *scr;
	unsigned nscr;
	json_t *screened;
	bool screen_broke;
};

/* A state's code as the registers keep it: "usa" is USA and "D" DEU (a
 * UNOB message may carry lower case, and the screening's match on the
 * lost/stolen registry is exact); anything else as sent. */
static const char *state_code(const char *in, char out[4])
{
	return in && api_country_code(in, out) ? out : mrz_iso_state(in);
}

bool apis_doc_is_visa(const char *type)
{
	return type && (type[0] == 'V' || type[0] == 'v');
}

int apis_travel_doc(const struct paxlst_person *p)
{
	for (unsigned i = 0; i < p->n_docs; i++)
		if (p->docs[i].type[0] && !apis_doc_is_visa(p->docs[i].type))
			return (int)i;
	return p->n_docs ? 0 : -1;
}

/* The documents of person pid (apis_persons.id) other than its travel
 * document t, each as read by check_persons (number "" when unusable). */
static int insert_other_docs(struct store_tx *tx, int64_t mid, int64_t pid,
			     const struct paxlst_person *p, int t,
			     struct sigm_error *err)
{
	for (unsigned j = 0; j < p->n_docs; j++) {
		const struct paxlst_document *d = &p->docs[j];
		char expiry[11], iss[4];
		if ((int)j == t)
			continue;
		cal_format(d->expiry, expiry);
		struct store_val v[] = {
			sv_int(pid), sv_int(mid), sv_int(j + 1), sv_opt(d->type),
			sv_opt(d->number), sv_opt(state_code(d->issuing_state, iss)),
			sv_opt(expiry)};
		int rc = store_tx_exec(
			tx,
			"INSERT INTO apis_person_documents (apis_person_id, manifest_id, seq, doc_type,"
			" doc_number, doc_issuing_state, doc_expiry) VALUES ($1, $2, $3, $4, $5, $6, $7)",
			v, SV_N(v), NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* seq continues after `after` (the persons already in a joined set), so
 * that it stays unique in the manifest; part 0: a whole message.  Each
 * traveler's travel document (apis_travel_doc) on the row, the others in
 * apis_person_documents. */
static int insert_persons(struct store_tx *tx, int64_t mid,
			  const struct paxlst_message *m, int64_t after,
			  int part, struct sigm_error *err)
{
	for (unsigned i = 0; i < m->n_persons; i++) {
		const struct paxlst_person *p = &m->persons[i];
		int t = apis_travel_doc(p);
		const struct paxlst_document *d = t >= 0 ? &p->docs[t] : NULL;
		char birth[11], expiry[11], nat[4], res[4], iss[4];
		int64_t pid = 0;
		cal_format(p->birth_date, birth);
		cal_format(d ? d->expiry : CAL_NONE, expiry);
		/* read by the one rule already (check_persons): as the booth
		 * keeps it, or "" when unusable */
		const char *number = d && d->number[0] ? d->number : NULL;
		struct store_val v[] = {
			sv_int(mid), sv_int(after + i + 1),
			sv_text(p->role == PAXLST_CREW ? "crew" : "passenger"),
			sv_opt(p->surnames), sv_opt(p->given_names), sv_opt(birth),
			sv_opt(p->sex), sv_opt(state_code(p->nationality, nat)),
			sv_opt(state_code(p->residence, res)),
			sv_opt(d ? d->type : NULL), sv_opt(number),
			sv_opt(d ? state_code(d->issuing_state, iss) : NULL), sv_opt(expiry),
			sv_opt(p->embarkation), sv_opt(p->disembarkation),
			part ? sv_int(part) : sv_null()};
		int rc = store_tx_query_int(
			tx,
			"INSERT INTO apis_persons (manifest_id, seq, role, surnames, given_names, birth_date, sex,"
			" nationality, residence, doc_type, doc_number, doc_issuing_state, doc_expiry,"
			" embarkation, disembarkation, part)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
			" RETURNING id",
			v, SV_N(v), &pid, err);
		if (rc == 0 && p->n_docs > 1)
			rc = insert_other_docs(tx, mid, pid, p, t, err);
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

/* A diagnostic in the reader's shape ({"segment", "tag", "element",
 * "code", "message"}), for what the ingest finds itself. */
static void add_diag(json_t *to, unsigned segment, const char *tag,
		     const char *element, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void add_diag(json_t *to, unsigned segment, const char *tag,
		     const char *element, const char *code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_array_append_new(to, json_pack("{s:i, s:s, s:s, s:s, s:s}",
					    "segment", (int)segment, "tag", tag,
					    "element", element, "code", code,
					    "message", msg));
}

/* "1,3,2" -> got[1], got[2], got[3]; numbers out of range are skipped. */
static void parts_parse(const char *s, bool got[PART_MAX + 1])
{
	memset(got, 0, (PART_MAX + 1) * sizeof(*got));
	while (s && *s) {
		char *end;
		long n = strtol(s, &end, 10);
		if (end == s)
			break;
		if (n >= 1 && n <= PART_MAX)
			got[n] = true;
		s = *end == ',' ? end + 1 : end;
	}
}

/* Ascending "1,2,3"; buf holds every number up to PART_MAX. */
static void parts_format(const bool got[PART_MAX + 1], char buf[4 * PART_MAX + 1])
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 1; i <= PART_MAX; i++)
		if (got[i])
			n += (size_t)snprintf(buf + n, 4 * PART_MAX + 1 - n, "%s%d",
					      n ? "," : "", i);
}

/* Complete: the final part is known and every number up to it arrived. */
static bool parts_done(const bool got[PART_MAX + 1], int final)
{
	if (final < 1)
		return false;
	for (int i = 1; i <= final; i++)
		if (!got[i])
			return false;
	return true;
}

json_t *apis_missing_entry(struct store_rows *r, int i, int ev_col)
{
	static const char *const ints[] = {"fine_id", NULL};
	json_t *o = api_row_object(r, i, ints);
	json_t *ev = json_loads(store_rows_text(r, i, ev_col), 0, NULL);
	json_object_set_new(o, "inspections",
			    json_integer((json_int_t)json_array_size(
				    json_object_get(ev, "inspection_ids"))));
	json_t *dir = json_object_get(ev, "direction");
	if (dir)
		json_object_set(o, "direction", dir);
	json_decref(ev);
	json_object_del(o, "evidence");
	json_object_set_new(o, "stage", json_string("missing"));
	return o;
}

/* See apis.h.  "missing" is what the desk acts on (it asks the carrier
 * for those parts) and what carrier compliance quotes when the set is still
 * incomplete at its deadline. */
json_t *apis_parts_json(const char *ref, const char *received, int final,
			bool complete)
{
	bool got[PART_MAX + 1];
	int top = 0;
	json_t *missing = json_array();
	parts_parse(received, got);
	for (int i = 1; i <= PART_MAX; i++)
		if (got[i])
			top = i;
	for (int i = 1; missing && i <= (final > 0 ? final : top); i++)
		if (!got[i])
			json_array_append_new(missing, json_integer(i));
	return json_pack("{s:s?, s:s, s:o, s:b, s:o*}", "access_ref",
			 ref && *ref ? ref : NULL, "received", received ? received : "",
			 "final", final > 0 ? json_integer(final) : json_null(),
			 "complete", complete, "missing", missing);
}

/*
 * Checks against the sets already stored, before anything is written: a
 * part whose access reference names a current, incomplete set of the same
 * carrier for another flight, date or list is an error (422: the carrier
 * mixed two lists under one reference).  A complete set no longer takes
 * parts, so a carrier that reuses a fixed reference for every flight is
 * not refused.  Adds to g->errors; returns a store error only.
 */
static int check_sets(struct store_tx *tx, struct ingest *g,
		      struct sigm_error *err)
{
	for (unsigned i = 0; i < g->ix->n_messages; i++) {
		const struct paxlst_message *m = &g->ix->messages[i];
		const struct paxlst_leg *l = paxlst_flight(m);
		struct part pt;
		char day[11];
		struct store_rows *r = NULL;
		if (part_of(m, &pt) || !pt.number || !pt.ref[0] || !l)
			continue;
		cal_format(flight_day(m), day);
		struct store_val v[] = {sv_text(l->carrier), sv_text(pt.ref),
					sv_text(l->flight), sv_text(day),
					sv_text(list_type(m))};
		int rc = store_tx_query(
			tx,
			"SELECT flight, flight_date, list_type FROM apis_manifests"
			" WHERE carrier = $1 AND access_ref = $2 AND status = 'current' AND mode = 'air'"
			" AND parts_received IS NOT NULL AND parts_complete = 0"
			" AND NOT (flight = $3 AND flight_date = $4 AND list_type = $5)"
			" ORDER BY id DESC",
			v, SV_N(v), &r, err);
		if (rc)
			return rc;
		if (store_rows_count(r) > 0)
			add_diag(g->errors, l->segment, "TDT", "TDT+2",
				 "access_ref_mismatch",
				 "mensaje %s: la referencia común «%s» (UNH+3) es de las partes del vuelo %s del %s (%s); esta parte trae el vuelo %s del %s",
				 m->reference, pt.ref, store_rows_text(r, 0, 0),
				 store_rows_text(r, 0, 1), store_rows_text(r, 0, 2),
				 l->flight, day);
		store_rows_free(&r);
	}
	return 0;
}

/*
 * A part of the current set of its flight, date and list (same access
 * reference): adds its persons, or warns of a duplicate.  *done = false
 * when the part does not belong there (no set, another reference, or a
 * replacement (BGM 1225 = 5) of a part already received, which starts a
 * new version): the caller stores it as a new version.
 */
static int join_part(struct store_tx *tx, struct ingest *g,
		     const struct paxlst_message *m, const struct part *pt,
		     const struct apis_manifest_row *row, const char *now,
		     bool *done, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	bool got[PART_MAX + 1];
	char received[4 * PART_MAX + 1];
	int rc;

	*done = false;
	struct store_val k[] = {sv_text(row->carrier), sv_text(row->flight),
				sv_text(row->day), sv_text(row->list_type),
				sv_text(pt->ref)};
	rc = store_tx_query(
		tx,
		"SELECT id, parts_received, COALESCE(parts_final, 0), passengers, crew,"
		" (SELECT COALESCE(MAX(seq), 0) FROM apis_persons p WHERE p.manifest_id = apis_manifests.id)"
		" FROM apis_manifests WHERE carrier = $1 AND flight = $2 AND flight_date = $3"
		" AND list_type = $4 AND status = 'current' AND mode = 'air'"
		" AND parts_received IS NOT NULL AND COALESCE(access_ref, '') = $5"
		" ORDER BY id DESC",
		k, SV_N(k), &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0)
		goto out;
	int64_t mid = store_rows_int(r, 0, 0);
	int final = (int)store_rows_int(r, 0, 2);
	int pax = (int)store_rows_int(r, 0, 3), crew = (int)store_rows_int(r, 0, 4);
	int64_t seq = store_rows_int(r, 0, 5);
	parts_parse(store_rows_text(r, 0, 1), got);
	if (got[pt->number]) {
		if (!strcmp(m->function, "5"))
			goto out; /* the carrier replaces the set: new version */
		*done = true;
		add_diag(g->warnings, m->segment, "UNH", "UNH+4:1", "duplicate_part",
			 "mensaje %s: la parte %d de «%s» ya se recibió (manifiesto %lld); no se añade otra vez. Para corregirla, reenvíe la lista completa con BGM 1225 = 5",
			 m->reference, pt->number, pt->ref, (long long)mid);
		json_t *o = apis_manifest_action(mid, 0, "original", row->carrier,
						 row->flight, row->day,
						 row->list_type, pax, crew);
		json_object_set_new(o, "action", json_string("duplicate_part"));
		json_object_set_new(o, "part", json_integer(pt->number));
		json_array_append_new(g->manifests, o);
		goto out;
	}
	*done = true;
	got[pt->number] = true;
	/* the first "F" seen names the last part; a later one (a carrier's
	 * mistake) does not move it */
	if (pt->final && final < 1)
		final = pt->number;
	bool complete = parts_done(got, final);
	parts_format(got, received);
	pax += (int)m->n_passengers;
	crew += (int)m->n_crew;
	rc = insert_persons(tx, mid, m, seq, pt->number, err);
	if (rc)
		goto out;
	/* the list is whole only now: carrier compliance measures lateness
	 * by this time, not by the first part's */
	struct store_val u[] = {sv_int(mid), sv_int(pax), sv_int(crew),
				sv_text(received),
				final > 0 ? sv_int(final) : sv_null(),
				sv_int(complete), complete ? sv_text(now) : sv_null()};
	rc = store_tx_exec(tx,
			   "UPDATE apis_manifests SET passengers = $2, crew = $3, parts_received = $4,"
			   " parts_final = $5, parts_complete = $6,"
			   " parts_complete_at = COALESCE(parts_complete_at, $7) WHERE id = $1",
			   u, SV_N(u), NULL, err);
	if (rc)
		goto out;
	json_t *o = apis_manifest_action(mid, 0, "original", row->carrier,
					 row->flight, row->day, row->list_type,
					 pax, crew);
	/* "joined": apis_screen_ingested() re-screens the whole manifest */
	json_object_set_new(o, "action", json_string("joined"));
	json_object_set_new(o, "part", json_integer(pt->number));
	json_object_set_new(o, "parts", apis_parts_json(pt->ref, received, final, complete));
	json_array_append_new(g->manifests, o);
out:
	store_rows_free(&r);
	return rc;
}

/* One message of an accepted interchange: a part joins its set; anything
 * else replaces or withdraws the current manifest of the same flight, date
 * and list. */
static int ingest_message(struct store_tx *tx, struct ingest *g,
			  const struct paxlst_message *m, const char *now,
			  struct sigm_error *err)
{
	const struct paxlst_leg *l = paxlst_flight(m);
	char day[11], dep[17], arr[17];
	int64_t mid = 0, prev = 0;
	const char *fn = function_of(m), *lt = list_type(m);
	bool cancel = !strcmp(fn, "cancel"), done = false;
	struct part pt;
	int rc;

	part_of(m, &pt); /* checked before the write */
	cal_format(flight_day(m), day);
	paxlst_time_format(&l->dep, dep);
	paxlst_time_format(&l->arr, arr);
	struct apis_manifest_row row = {
		.message_ref = m->reference, .carrier = l->carrier,
		.flight = l->flight, .day = day, .list_type = lt,
		.dep_port = l->dep_port, .dep_time = dep, .arr_port = l->arr_port,
		.arr_time = arr, .function = fn, .mode = "air",
		.passengers = (int)m->n_passengers, .crew = (int)m->n_crew};
	/* a cancellation withdraws the whole set, whatever part it names */
	if (pt.number && !cancel) {
		rc = join_part(tx, g, m, &pt, &row, now, &done, err);
		if (rc || done)
			return rc;
	}
	rc = apis_manifest_put(tx, g->id, &row, now, &mid, &prev, err);
	if (rc)
		return rc;
	json_t *o = apis_manifest_action(mid, prev, fn, l->carrier, l->flight,
					 day, lt, (int)m->n_passengers,
					 (int)m->n_crew);
	if (!cancel) {
		rc = insert_persons(tx, mid, m, 0, pt.number, err);
		if (rc)
			goto fail;
	}
	/* the first part of a new set (in arrival order: any number) */
	char received[8] = "";
	bool complete = pt.final && pt.number == 1;
	if (pt.number && !cancel)
		snprintf(received, sizeof(received), "%d", pt.number);
	struct store_val u[] = {sv_int(mid), sv_opt(pt.ref), sv_opt(received),
				pt.number && pt.final && !cancel ? sv_int(pt.number) : sv_null(),
				received[0] ? sv_int(complete) : sv_null(),
				received[0] && complete ? sv_text(now) : sv_null()};
	rc = store_tx_exec(tx,
			   "UPDATE apis_manifests SET access_ref = $2, parts_received = $3,"
			   " parts_final = $4, parts_complete = $5, parts_complete_at = $6 WHERE id = $1",
			   u, SV_N(u), NULL, err);
	if (rc)
		goto fail;
	if (received[0]) {
		json_object_set_new(o, "part", json_integer(pt.number));
		json_object_set_new(o, "parts",
				    apis_parts_json(pt.ref, received,
						    pt.final ? pt.number : 0, complete));
	}
	if (g->ps && !cancel)
		g->scr[g->nscr++] = (struct to_screen){
			(unsigned)(m - g->ix->messages), mid,
			json_array_size(g->manifests)};
	json_array_append_new(g->manifests, o);
	return 0;
fail:
	json_decref(o);
	return rc;
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
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	sodium_bin2base64(raw->b64, b64, (const unsigned char *)body, len,
			  sodium_base64_VARIANT_ORIGINAL);
	crypto_hash_sha256(h, (const unsigned char *)body, len);
	sodium_bin2hex(raw->sha, sizeof(raw->sha), h, sizeof(h));
	return 0;
}

/* Screens, in the write, the manifests it stored whole: not those a
 * later part of the same interchange joined (apis_screen_ingested()
 * screens the joined set once it is committed). */
static int screen_stored(struct store_tx *tx, struct ingest *g,
			 struct sigm_error *err)
{
	for (unsigned i = 0; i < g->nscr; i++) {
		const struct to_screen *t = &g->scr[i];
		bool joined = false;
		size_t j;
		json_t *o;
		json_array_foreach(g->manifests, j, o)
			joined |= json_integer_value(json_object_get(o, "id")) == t->mid &&
				  !strcmp(json_string_value(json_object_get(o, "action")), "joined");
		if (joined)
			continue;
		json_t *sum = NULL;
		int rc = apis_screen_tx(tx, g->ps, t->msg, t->mid, g->sub->actor,
					g->sub->remote, &sum, err);
		if (rc) {
			g->screen_broke = true;
			return rc;
		}
		if (json_array_append_new(g->screened,
					  json_pack("[I, o]", (json_int_t)t->at, sum))) {
			g->screen_broke = true;
			return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
					      "sin memoria");
		}
	}
	return 0;
}

static int ingest_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct ingest *g = arg;
	const struct apis_submission *s = g->sub;
	char now[40], *errors = NULL, *warnings = NULL;
	int rc;

	store_now_iso(now, sizeof(now));
	/* the writer may run this again: start from the reader's findings */
	json_array_clear(g->manifests);
	json_array_clear(g->screened);
	g->nscr = 0;
	g->screen_broke = false;
	while (json_array_size(g->errors) > g->n_errors)
		json_array_remove(g->errors, json_array_size(g->errors) - 1);
	while (json_array_size(g->warnings) > g->n_warnings)
		json_array_remove(g->warnings, json_array_size(g->warnings) - 1);
	g->accepted = false;
	if (g->accept) {
		rc = check_sets(tx, g, err);
		if (rc)
			return rc;
		g->accepted = json_array_size(g->errors) == g->n_errors;
	}
	errors = json_dumps(g->errors, JSON_COMPACT);
	warnings = json_dumps(g->warnings, JSON_COMPACT);
	if (!errors || !warnings) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	rc = apis_interchange_insert(tx, s, &g->raw, g->accepted, errors,
				     warnings, g->ix->sender,
				     g->ix->reference, now, &g->id, err);
	if (rc)
		goto out;
	for (unsigned i = 0; g->accepted && i < g->ix->n_messages; i++) {
		rc = ingest_message(tx, g, &g->ix->messages[i], now, err);
		if (rc)
			goto out;
	}
	if (json_array_size(g->warnings) > g->n_warnings) {
		/* duplicate parts found while joining: kept with the rest */
		free(warnings);
		warnings = json_dumps(g->warnings, JSON_COMPACT);
		if (!warnings) {
			rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
			goto out;
		}
		struct store_val w[] = {sv_int(g->id), sv_text(warnings)};
		rc = store_tx_exec(tx, "UPDATE apis_interchanges SET warnings_json = $2 WHERE id = $1",
				   w, SV_N(w), NULL, err);
		if (rc)
			goto out;
	}
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)g->id);
	json_t *d = json_pack("{s:s, s:s, s:s?, s:I, s:O}", "status",
			      g->accepted ? "accepted" : "rejected", "source",
			      s->source, "file", s->file_name, "bytes",
			      (json_int_t)s->len, "manifests", g->manifests);
	char *ds = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(d);
	struct audit_entry e = {s->actor, "apis.receive", "apis_interchange",
				rid, s->remote, ds};
	rc = audit_append(tx, &e, err);
	free(ds);
	if (rc)
		goto out;
	rc = screen_stored(tx, g, err);
out:
	free(errors);
	free(warnings);
	return rc;
}

/* An error of the ingest itself (not of the reader), in the same shape. */
#define add_error(errors, code, ...) add_diag(errors, 0, "", "", code, __VA_ARGS__)

/* The warning added at index at names the field it is about. */
static void set_field(json_t *warnings, size_t at, const char *field)
{
	if (json_array_size(warnings) > at)
		json_object_set_new(json_array_get(warnings, at), "field",
				    json_string(field));
}

/* Where in warnings the reader's `code` on the DOC at segment seg is
 * (to be restated there: said with traveler, element and field rather than
 * twice), or the end of warnings when there is none (the reader's were cut
 * at their cap).  warnings[0..reader) are the reader's; *from is where to
 * look in them for the next DOC: the reader says at most one of these two
 * codes per DOC, in the order of the DOCs, as the travelers come (one pass
 * over them in all). */
static size_t reader_warning(json_t *warnings, size_t reader, size_t *from,
			     unsigned seg, const char *code)
{
	for (size_t i = *from; i < reader; i++) {
		json_t *w = json_array_get(warnings, i);
		const char *c = json_string_value(json_object_get(w, "code"));
		json_int_t s = json_integer_value(json_object_get(w, "segment"));
		if (!c || (strcmp(c, "missing_document_number") &&
			   strcmp(c, "missing_document_type")))
			continue;
		if (s > (json_int_t)seg)
			break;
		*from = i + 1;
		if (s == (json_int_t)seg && !strcmp(c, code))
			return i;
	}
	return json_array_size(warnings);
}

/* The warning just appended takes the place of warnings[at] when that is
 * the reader's own, and names field. */
static void restate(json_t *warnings, size_t at, const char *field)
{
	size_t last = json_array_size(warnings) - 1;
	if (at < last) {
		json_array_set(warnings, at, json_array_get(warnings, last));
		json_array_remove(warnings, last);
	}
	set_field(warnings, at, field);
}

/* The numbers of traveler k's other documents (all but its travel
 * document t), each read by the one rule: an unusable one is dropped with
 * a warning naming its DOC, as the travel document's is.  A missing
 * number or type of these is the reader's warning on that DOC, as sent:
 * nothing of them is stored on the traveler. */
static void read_other_docnos(const struct paxlst_message *m, unsigned k,
			      struct paxlst_person *p, int t, json_t *warnings)
{
	char num[RULES_DOCNO_MAX + 1];
	struct sigm_error e;
	for (unsigned j = 0; j < p->n_docs; j++) {
		struct paxlst_document *d = &p->docs[j];
		if ((int)j == t || !d->number[0])
			continue;
		if (!rules_docno_read(d->number, "other_documents", NULL, num, &e)) {
			snprintf(d->number, sizeof(d->number), "%s", num);
			continue;
		}
		d->number[0] = '\0';
		size_t at = json_array_size(warnings);
		add_diag(warnings, d->segment, "DOC", "DOC+2:1", e.code,
			 "mensaje %s, viajero %u, otro documento (DOC %u.º, tipo «%s»): %s; se registra sin número",
			 m->reference, k + 1, j + 1, d->type, e.message);
		set_field(warnings, at, "other_documents");
	}
}

/* The travel document's number of traveler k (from 0, as sent) of m
 * (apis_travel_doc: the first DOC that is not a visa), and the lack of
 * its number or type said for the traveler; then its other documents'. */
static void read_docno(const struct paxlst_message *m, unsigned k,
		       struct paxlst_person *p, json_t *warnings,
		       size_t reader, size_t *from)
{
	char num[RULES_DOCNO_MAX + 1];
	struct sigm_error e;
	size_t at = json_array_size(warnings);
	int t = apis_travel_doc(p);
	if (t < 0) {
		add_diag(warnings, p->segment, "NAD", "", "missing_document_number",
			 "mensaje %s, viajero %u: sin DOC (documento de viaje); se registra sin número de documento",
			 m->reference, k + 1);
		set_field(warnings, at, "doc_number");
		return;
	}
	read_other_docnos(m, k, p, t, warnings);
	at = json_array_size(warnings);
	struct paxlst_document *d = &p->docs[t];
	if (!d->number[0]) {
		at = reader_warning(warnings, reader, from, d->segment,
				    "missing_document_number");
		add_diag(warnings, d->segment, "DOC", "DOC+2:1", "missing_document_number",
			 "mensaje %s, viajero %u: DOC sin número de documento; se registra sin número de documento",
			 m->reference, k + 1);
		restate(warnings, at, "doc_number");
		return;
	}
	if (!d->type[0]) {
		at = reader_warning(warnings, reader, from, d->segment,
				    "missing_document_type");
		add_diag(warnings, d->segment, "DOC", "DOC+1:1", "missing_document_type",
			 "mensaje %s, viajero %u: DOC sin tipo de documento; se registra el número sin tipo",
			 m->reference, k + 1);
		restate(warnings, at, "doc_type");
		at = json_array_size(warnings);
	}
	if (!rules_docno_read(d->number, "doc_number", NULL, num, &e)) {
		snprintf(d->number, sizeof(d->number), "%s", num);
		return;
	}
	d->number[0] = '\0';
	add_diag(warnings, d->segment, "DOC", "DOC+2:1", e.code,
		 "mensaje %s, viajero %u: %s; se registra sin número de documento",
		 m->reference, k + 1, e.message);
	set_field(warnings, at, "doc_number");
}

/*
 * A traveler whose surnames or given names hold no letter of any script
 * ("123", "---", "😀") is refused, as the booth and the prechequeo refuse
 * such a name: no inspection could ever be matched to the record.  It is
 * taken out of its message before anything is screened or stored, and
 * said as a warning ("invalid_name", naming the NAD and the field); the
 * rest of the list goes in, its counts those of the persons stored.  A
 * warning, not an error: an error would reject the whole interchange.
 *
 * The number of a traveler's travel document (apis_travel_doc: the first
 * DOC that is not a visa, the one stored on the traveler) is read by the
 * one rule (rules_docno_read), as the booth reads the one shown:
 * a good one is kept as the booth keeps it (AB-123456 is AB123456); one
 * the rule refuses ("A", "AB#123") is no number, so it is dropped with a
 * warning ("invalid_document_number", naming the DOC and the field) and
 * the traveler kept: on the flight all the same, screened and matched at
 * the booth by name and birth date.  As sent, "AB" named nobody the booth
 * or the registers could ever find, and the desk read it as a number.
 * A DOC without a number, or no DOC at all, is the same for the list:
 * the traveler kept without one, warned "missing_document_number" (the
 * DOC's element, or the NAD when there is no DOC).  Refusing the whole
 * interchange for it, as the reader did, left the flight's other
 * travelers unscreened.  A DOC with a number but no type keeps the
 * number, warned "missing_document_type" (field doc_type).  The numbers
 * of the other documents (a visa, a second passport) are read by the same
 * rule; an unusable one is dropped, warned "invalid_document_number" with
 * field other_documents.
 */
static void check_persons(struct paxlst_interchange *ix, json_t *warnings)
{
	size_t reader = json_array_size(warnings), from = 0;
	for (unsigned i = 0; i < ix->n_messages; i++) {
		struct paxlst_message *m = &ix->messages[i];
		unsigned kept = 0;
		for (unsigned k = 0; k < m->n_persons; k++) {
			const struct paxlst_person *p = &m->persons[k];
			/* no surnames is the reader's error already; given
			 * names of spaces are none */
			bool sur = p->surnames[0] && !names_has_letter(p->surnames);
			bool giv = names_visible(p->given_names) &&
				   !names_has_letter(p->given_names);
			if (!sur && !giv) {
				if (kept != k)
					m->persons[kept] = *p;
				read_docno(m, k, &m->persons[kept++], warnings,
					   reader, &from);
				continue;
			}
			const char *field = sur ? "surnames" : "given_names";
			size_t at = json_array_size(warnings);
			add_diag(warnings, p->segment, "NAD", sur ? "NAD+4:1" : "NAD+4:2",
				 "invalid_name",
				 "mensaje %s, viajero %u: «%s» no contiene ninguna letra; no se registra",
				 m->reference, k + 1, field);
			set_field(warnings, at, field);
			if (p->role == PAXLST_CREW)
				m->n_crew--;
			else
				m->n_passengers--;
			ix->n_persons--;
		}
		m->n_persons = kept;
	}
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
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	if (prc == SIGM_ENOMEM) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	if (prc)
		add_error(errors, perr.code, "%s", perr.message);
	else
		check_persons(&ix, warnings);
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
		struct part pt;
		if (part_of(m, &pt)) {
			add_diag(errors, m->segment, "UNH", "UNH+4",
				 "invalid_value",
				 "mensaje %s: parte «%.8s:%.2s»: número de 1 a %d y estado C o F",
				 m->reference, m->sequence, m->part_status, PART_MAX);
			continue;
		}
		/* the parts of one set in this same interchange: one flight */
		for (unsigned j = 0; pt.number && pt.ref[0] && j < i; j++) {
			const struct paxlst_message *o = &ix.messages[j];
			const struct paxlst_leg *ol = paxlst_flight(o);
			if (!ol || (!o->sequence[0] && !o->part_status[0]) ||
			    strcmp(o->access_ref, pt.ref) ||
			    strcmp(ol->carrier, l->carrier))
				continue;
			if (strcmp(ol->flight, l->flight) ||
			    flight_day(o) != flight_day(m) ||
			    strcmp(list_type(o), list_type(m))) {
				add_diag(errors, l->segment, "TDT", "TDT+2",
					 "access_ref_mismatch",
					 "mensaje %s: la referencia común «%s» (UNH+3) es de las partes del vuelo %s (mensaje %s); esta parte trae el vuelo %s o otra fecha o lista",
					 m->reference, pt.ref, ol->flight,
					 o->reference, l->flight);
				break;
			}
		}
	}
	g.accept = prc == 0 && json_array_size(errors) == 0;
	g.errors = errors;
	g.warnings = warnings;
	g.n_errors = json_array_size(errors);
	g.n_warnings = json_array_size(warnings);
	rc = apis_raw_encode(sub->body, sub->len, &g.raw, err);
	if (rc)
		goto out;
	/* the index queries before the write, which then stores the hits
	 * with the manifest (one fsync); without memory for them, the
	 * manifests are screened after the write (apis_screen_ingested) */
	g.screened = json_array();
	g.scr = calloc((size_t)ix.n_messages + 1, sizeof(*g.scr));
	if (g.accept && sub->screen && g.screened && g.scr &&
	    apis_prescreen_parsed(sub->screen, &ix, &g.ps, &perr))
		g.ps = NULL;
	rc = store_write(store, ingest_fn, &g, err);
	if (rc && g.screen_broke) {
		/* a manifest is never lost to its screening: stored without
		 * it, it is screened after the write like a joined set */
		json_t *x = json_pack("{s:s}", "reason", err->message);
		api_log("error", "apis_screen_failed", x);
		json_decref(x);
		apis_prescreen_free(&g.ps);
		rc = store_write(store, ingest_fn, &g, err);
	}
	if (rc)
		goto out;
	size_t si;
	json_t *sp;
	json_array_foreach(g.screened, si, sp)
		json_object_set(json_array_get(g.manifests,
					       (size_t)json_integer_value(json_array_get(sp, 0))),
				"screening", json_array_get(sp, 1));
	res->id = g.id;
	res->accepted = g.accepted;
	res->unusable = prc != 0;
	res->body = json_pack("{s:I, s:s, s:s, s:O, s:O, s:O}", "id",
			      (json_int_t)g.id, "status",
			      g.accepted ? "accepted" : "rejected", "sha256", g.raw.sha,
			      "manifests", g.manifests, "errors", errors,
			      "warnings", warnings);
	if (!res->body)
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
out:
	json_decref(errors);
	json_decref(warnings);
	json_decref(g.manifests);
	json_decref(g.screened);
	free(g.scr);
	apis_prescreen_free(&g.ps);
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
		.screen = req->ctx,
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

/* current; replaced by an amendment; cancelled, and the cancellation
 * itself (docs/paxlst.md) */
const char *const apis_list_statuses[] = {"current", "replaced", "cancelled",
					  "cancellation", "all", NULL};

void api_apis_list(struct api_req *req, struct api_resp *resp);
void api_apis_list(struct api_req *req, struct api_resp *resp)
{
	static const char *const MODES[] = {"air", "land", "sea", "all", NULL};
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
	/* a status or mode that no manifest has ("curent", "AIR") found
	 * none and answered an empty list, as if nothing had arrived */
	if (api_query_enum(req, resp, "status", apis_list_statuses, &status) ||
	    api_query_enum(req, resp, "mode", MODES, &mode))
		return;
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
			"  AND h.superseded_at IS NULL AND h.review IS NULL) AS open_hits,"
			" parts_received, parts_final, parts_complete, access_ref"
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
					   "arrivals", "open_hits", "parts_final",
					   "parts_complete", NULL};
	char today[11];
	api_today(today);
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *o = api_row_object(r, i, ints);
		const char *stage = apis_stage(store_rows_int(r, i, 19),
					       store_rows_text(r, i, 5), today,
					       !store_rows_isnull(r, i, 17));
		json_object_set_new(o, "stage", json_string(stage));
		/* a split list: which parts are still missing (null: whole) */
		json_object_set_new(
			o, "parts",
			store_rows_isnull(r, i, 21)
				? json_null()
				: apis_parts_json(store_rows_text(r, i, 24),
						  store_rows_text(r, i, 21),
						  store_rows_isnull(r, i, 22) ? 0 : (int)store_rows_int(r, i, 22),
						  store_rows_int(r, i, 23) != 0));
		json_object_del(o, "access_ref");
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
	const char *want = mode ? mode : "air";
	for (int i = 0; i < store_rows_count(r); i++) {
		/* a bus or ship without its list (compliance.c) is missing
		 * from the land or sea lists, not from the flights */
		const struct rules_port *pt = rules_port_find(req->ctx->rules, store_rows_text(r, i, 3));
		const char *kind = pt ? rules_port_kind_name(pt->kind) : "air";
		if (strcmp(want, "all") && strcmp(want, kind))
			continue;
		json_array_append_new(missing, apis_missing_entry(r, i, 6));
	}
	store_rows_free(&r);
	/* scheduled flights that have sent nothing yet: expected, or overdue
	 * once their arrival time has passed */
	json_t *expected = NULL;
	if (apis_schedule_expected(req->ctx, date ? date : today, &expected, &err)) {
		json_decref(a);
		json_decref(missing);
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, json_pack("{s:o, s:o, s:o}", "items", a, "missing",
				      missing, "expected", expected));
}

void api_apis_get(struct api_req *req, struct api_resp *resp);
void api_apis_get(struct api_req *req, struct api_resp *resp)
{
	static const char *const person_ints[] = {"seq", "part", NULL};
	struct store_rows *r = NULL;
	struct sigm_error err;
	int64_t id;
	if (api_path_id(req, resp, "not_found", "manifiesto", &id))
		return;
	struct store_val v[] = {sv_int(id)};
	if (store_query(req->ctx->store,
			"SELECT id, interchange_id, message_ref, carrier, flight, flight_date, list_type,"
			" dep_port, dep_time, arr_port, arr_time, function, status, replaced_by,"
			" passengers, crew, received_at, mode, direction, vehicle, company,"
			" access_ref, parts_received, parts_final, parts_complete"
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
	/* a split list: which parts arrived, null for a whole message */
	json_object_del(m, "parts_received");
	json_object_del(m, "parts_final");
	json_object_del(m, "parts_complete");
	json_object_set_new(
		m, "parts",
		store_rows_isnull(r, 0, 22)
			? json_null()
			: apis_parts_json(store_rows_text(r, 0, 21),
					  store_rows_text(r, 0, 22),
					  store_rows_isnull(r, 0, 23) ? 0 : (int)store_rows_int(r, 0, 23),
					  store_rows_int(r, 0, 24) != 0));
	store_rows_free(&r);
	if (store_query(req->ctx->store,
			"SELECT seq, part, role, surnames, given_names, birth_date, sex, nationality, residence,"
			" doc_type, doc_number, doc_issuing_state, doc_expiry, embarkation, disembarkation"
			" FROM apis_persons WHERE manifest_id = $1 ORDER BY seq",
			v, 1, &r, &err)) {
		json_decref(m);
		api_error_from(resp, &err);
		return;
	}
	/* each traveler's other documents (a visa, a second passport): the
	 * manifest's in one query, in the travelers' order */
	struct store_rows *o = NULL;
	if (store_query(req->ctx->store,
			"SELECT p.seq, o.doc_type, o.doc_number, o.doc_issuing_state, o.doc_expiry"
			" FROM apis_person_documents o JOIN apis_persons p ON p.id = o.apis_person_id"
			" WHERE o.manifest_id = $1 ORDER BY p.seq, o.seq",
			v, 1, &o, &err)) {
		store_rows_free(&r);
		json_decref(m);
		api_error_from(resp, &err);
		return;
	}
	json_t *a = json_array();
	int oi = 0, on = store_rows_count(o);
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *pj = api_row_object(r, i, person_ints), *od = json_array();
		int64_t seq = store_rows_int(r, i, 0);
		while (oi < on && store_rows_int(o, oi, 0) < seq)
			oi++;
		for (; oi < on && store_rows_int(o, oi, 0) == seq; oi++)
			json_array_append_new(
				od, json_pack("{s:s?, s:s?, s:s?, s:s?}", "type",
					      store_rows_isnull(o, oi, 1) ? NULL : store_rows_text(o, oi, 1),
					      "number",
					      store_rows_isnull(o, oi, 2) ? NULL : store_rows_text(o, oi, 2),
					      "issuing_state",
					      store_rows_isnull(o, oi, 3) ? NULL : store_rows_text(o, oi, 3),
					      "expiry",
					      store_rows_isnull(o, oi, 4) ? NULL : store_rows_text(o, oi, 4)));
		json_object_set_new(pj, "other_documents", od);
		json_array_append_new(a, pj);
	}
	store_rows_free(&r);
	store_rows_free(&o);
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
	if (api_path_id(req, resp, "not_found", "intercambio", &id))
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
	/* the list as received carries the same passengers as the manifest
	 * parsed from it (names, birth dates, passport numbers): audited
	 * like that read */
	api_audit(req, "apis.interchange.read", "apis_interchange", req->params[0], NULL);
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
