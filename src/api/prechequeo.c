/*
 * prechequeo.c - land and sea prechequeo (issue 7, part 6): international
 * bus companies and cruise lines adhered to the DGME's prechequeo
 * agreements (manual, Control Migratorio 26 and 28) send the passenger list
 * of a bus or ship before it reaches the post, as JSON or CSV.
 *
 * A list is an APIS manifest with another envelope: it is kept as received
 * in apis_interchanges (format json/csv), and an accepted one becomes an
 * apis_manifests row (mode land/sea, flight = the plate or vessel folded by
 * apis_transport_key, flight_date = the expected arrival's day, arr_port =
 * the post) with its apis_persons.  Screening, the desk's review, the booth
 * link and the reconciliation are therefore the APIS ones, unchanged.
 *
 * Every record is validated; one bad record rejects the whole list (422,
 * each record and field named), which is kept all the same and visible to
 * the carrier: never half-ingested.  Re-sending the list of the same
 * vehicle, day, trip and direction replaces it; "action": "cancel"
 * withdraws it.
 */
#include "api/apis.h"
#include "core/calendar.h"
#include "core/csv.h"
#include "core/names.h"
#include "core/rules.h"
#include "core/utf8.h"
#include "store/audit.h"

#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PQ_MAX_TRAVELERS 10000 /* the largest cruise ships carry ~7,000 */

/* role: optional, "passenger" (absent or empty) or "crew" - a cruise
 * ship's crew going ashore and a bus's driver are inspected under the
 * ship's or the bus's name as its passengers are, and without them on the
 * list each was «no figura en la lista» and a fine proposed for it */
enum { F_SUR, F_GIVEN, F_BIRTH, F_SEX, F_NAT, F_DTYPE, F_DNUM, F_DSTATE, F_DEXP, F_ROLE, F_N };
static const char *const FIELD[F_N] = {"surnames",   "given_names", "birth_date",
				       "sex",	     "nationality", "doc_type",
				       "doc_number", "doc_issuing_state",
				       "doc_expiry", "role"};

/* A field a traveler may leave out (a missing column is no error). */
static bool optional_field(int f)
{
	return f == F_GIVEN || f == F_ROLE;
}

enum { H_PORT, H_VEHICLE, H_COMPANY, H_TRIP, H_ARRIVAL, H_DIRECTION, H_ACTION, H_N };
static const char *const HEADER[H_N] = {"port",	   "vehicle",	"company", "trip",
					"arrival", "direction", "action"};

struct pq_traveler {
	char *f[F_N]; /* owned; NULL = absent */
	int line;     /* CSV line, 0 for JSON */
	bool crew;    /* role "crew" */
};

struct pq_list {
	char *h[H_N]; /* owned */
	struct pq_traveler *t;
	int n, cap;
	bool has_travelers;
	int nbad;      /* errors found, reported or not: the list's verdict */
	int ncrew;     /* travelers whose role is crew */
	json_t *errors;
	char vkey[APIS_VEHICLE_KEY], day[11];
	const char *mode; /* "land" / "sea" */
	bool cancel;
};

static void pq_free(struct pq_list *l)
{
	for (int i = 0; i < H_N; i++)
		free(l->h[i]);
	for (int i = 0; i < l->n; i++)
		for (int k = 0; k < F_N; k++)
			free(l->t[i].f[k]);
	free(l->t);
	json_decref(l->errors);
	memset(l, 0, sizeof(*l));
}

/* record: 1-based traveler, 0 for the list itself. */
static void bad(struct pq_list *l, int record, int line, const char *field,
		const char *code, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void bad(struct pq_list *l, int record, int line, const char *field,
		const char *code, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l->nbad++;
	/* a list of 10,000 bad records: the first 500 say enough */
	if (json_array_size(l->errors) >= 500)
		return;
	json_t *e = json_pack("{s:i, s:s?, s:s, s:s}", "record", record, "field",
			      field, "code", code, "message", msg);
	/* a field name or a cut message that is not UTF-8 still reports
	 * the record (nbad already rejects the list) */
	if (!e)
		e = json_pack("{s:i, s:s, s:s}", "record", record, "code", code,
			      "message", "dato no válido (texto que no es UTF-8)");
	if (e && line)
		json_object_set_new(e, "line", json_integer(line));
	json_array_append_new(l->errors, e);
}

static struct pq_traveler *add_traveler(struct pq_list *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 32;
		struct pq_traveler *t = realloc(l->t, (size_t)cap * sizeof(*t));
		if (!t)
			return NULL;
		l->t = t;
		l->cap = cap;
	}
	memset(&l->t[l->n], 0, sizeof(l->t[l->n]));
	return &l->t[l->n++];
}

/* ---- reading: JSON ---- */

static int field_index(const char *const *names, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], key))
			return i;
	return -1;
}

/* A JSON value that must be a string (or null: absent). */
static int json_text(struct pq_list *l, int record, const char *key, json_t *v, char **out)
{
	if (json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		bad(l, record, 0, key, "invalid_type", "«%s» debe ser texto", key);
		return 0;
	}
	/* read (JSON_ALLOW_NUL) to be refused here, by record and field,
	 * as api_body_object refuses it for every other endpoint */
	if (json_string_length(v) != strlen(json_string_value(v))) {
		bad(l, record, 0, key, "invalid_characters",
		    "«%s» contiene caracteres de control (\\u0000)", key);
		return 0;
	}
	*out = strdup(json_string_value(v));
	return *out ? 0 : SIGM_ENOMEM;
}

static int read_json(struct pq_list *l, const char *body, size_t len)
{
	json_error_t jerr;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	const char *key;
	json_t *v;
	int rc = 0;
	if (!json_is_object(root)) {
		if (root)
			bad(l, 0, 0, NULL, "invalid_body", "el cuerpo debe ser un objeto JSON");
		else
			bad(l, 0, jerr.line, NULL, "malformed_json",
			    "JSON mal formado (línea %d, columna %d): %s", jerr.line,
			    jerr.column, jerr.text);
		json_decref(root);
		return 0;
	}
	json_object_foreach(root, key, v) {
		int h = field_index(HEADER, H_N, key);
		if (h >= 0) {
			if ((rc = json_text(l, 0, key, v, &l->h[h])))
				goto out;
			continue;
		}
		if (strcmp(key, "travelers")) {
			bad(l, 0, 0, key, "unknown_field", "campo desconocido «%s»", key);
			continue;
		}
		if (!json_is_array(v)) {
			bad(l, 0, 0, key, "invalid_type", "«travelers» debe ser una lista");
			continue;
		}
		l->has_travelers = json_array_size(v) > 0;
		if (json_array_size(v) > PQ_MAX_TRAVELERS) {
			bad(l, 0, 0, key, "too_many", "más de %d viajeros", PQ_MAX_TRAVELERS);
			continue;
		}
		size_t i;
		json_t *o;
		json_array_foreach(v, i, o) {
			struct pq_traveler *t = add_traveler(l);
			if (!t) {
				rc = SIGM_ENOMEM;
				goto out;
			}
			if (!json_is_object(o)) {
				bad(l, (int)i + 1, 0, NULL, "invalid_type",
				    "viajero %d: debe ser un objeto", (int)i + 1);
				continue;
			}
			const char *k2;
			json_t *x;
			json_object_foreach(o, k2, x) {
				int f = field_index(FIELD, F_N, k2);
				if (f < 0)
					bad(l, (int)i + 1, 0, k2, "unknown_field",
					    "campo desconocido «%s»", k2);
				else if ((rc = json_text(l, (int)i + 1, k2, x, &t->f[f])))
					goto out;
			}
		}
	}
out:
	json_decref(root);
	return rc;
}

/* ---- reading: CSV (the list's data in the query string) ---- */

static int read_csv(struct pq_list *l, struct api_req *req, const char *body, size_t len)
{
	struct csv_reader r;
	struct sigm_error e;
	int col[CSV_MAX_FIELDS];
	int ncols = 0, rc = 0, x;
	for (int h = 0; h < H_N; h++) {
		const char *q = api_query(req, HEADER[h]);
		if (q && !(l->h[h] = strdup(q)))
			return SIGM_ENOMEM;
	}
	csv_init(&r, body, len);
	while ((x = csv_next(&r, &e)) == 1) {
		if (r.record == 1) { /* the header names the columns */
			ncols = r.nfields;
			for (int i = 0; i < r.nfields; i++) {
				col[i] = field_index(FIELD, F_N, r.field[i]);
				bool named = r.len[i] > 0 && r.len[i] <= 60 &&
					     utf8_valid(r.field[i], r.len[i]);
				if (col[i] < 0)
					bad(l, 0, r.line, named ? r.field[i] : NULL,
					    "unknown_column", "columna desconocida «%s»",
					    named ? r.field[i] : "?");
				/* a repeated column is refused, and its data
				 * read once: which copy was meant is not ours
				 * to guess (and a second copy read would
				 * overwrite the first) */
				for (int j = 0; j < i; j++)
					if (col[i] >= 0 && col[j] == col[i]) {
						bad(l, 0, r.line, FIELD[col[i]], "duplicate_column",
						    "columna repetida «%s»", FIELD[col[i]]);
						col[i] = -1;
						break;
					}
			}
			for (int f = 0; f < F_N; f++) {
				bool have = false;
				for (int i = 0; i < ncols; i++)
					have |= col[i] == f;
				if (!have && !optional_field(f))
					bad(l, 0, r.line, FIELD[f], "missing_column",
					    "falta la columna «%s»", FIELD[f]);
			}
			continue;
		}
		if (l->n >= PQ_MAX_TRAVELERS) {
			bad(l, 0, r.line, NULL, "too_many", "más de %d viajeros", PQ_MAX_TRAVELERS);
			break;
		}
		struct pq_traveler *t = add_traveler(l);
		if (!t) {
			rc = SIGM_ENOMEM;
			break;
		}
		t->line = r.line;
		l->has_travelers = true;
		if (r.nfields != ncols)
			bad(l, l->n, r.line, NULL, "field_count",
			    "línea %d: %d campos, la cabecera tiene %d", r.line, r.nfields, ncols);
		for (int i = 0; i < r.nfields && i < ncols; i++) {
			if (col[i] < 0 || !r.len[i])
				continue;
			if (!utf8_valid(r.field[i], r.len[i])) {
				bad(l, l->n, r.line, FIELD[col[i]], "invalid_encoding",
				    "«%s»: no es UTF-8 válido", FIELD[col[i]]);
				continue;
			}
			if (!(t->f[col[i]] = strdup(r.field[i]))) {
				rc = SIGM_ENOMEM;
				break;
			}
		}
	}
	if (x < 0 && x != SIGM_ENOMEM)
		bad(l, l->n + 1, r.line, "csv", e.code[0] ? e.code : "invalid_csv", "%s", e.message);
	if (x == SIGM_ENOMEM)
		rc = SIGM_ENOMEM;
	csv_release(&r);
	return rc;
}

/* ---- validation ---- */

static bool printable(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return false;
	return utf8_valid(s, strlen(s));
}

/* Characters of a printable() string: names are limited in characters,
 * as the message says (80 of «Peña» are 85 bytes). */
static size_t chars(const char *s)
{
	return utf8_chars(s, strlen(s));
}

static bool letters(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
	return n >= min && n <= max;
}

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
}

/* Local (UTC-6) minutes since the calendar's epoch. */
static int64_t now_minutes(void)
{
	time_t t = time(NULL) - 6 * 3600;
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return 0;
	return (int64_t)cal_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) * 1440 +
	       tm.tm_hour * 60 + tm.tm_min;
}

static void check_header(struct pq_list *l, const struct rules_tables *rules,
			 const char *kind)
{
	struct sigm_error e;
	for (int h = 0; h < H_N; h++)
		if (l->h[h] && (!printable(l->h[h]) || chars(l->h[h]) > 120)) {
			bad(l, 0, 0, HEADER[h], "invalid_value",
			    "«%s»: texto de hasta 120 caracteres, sin caracteres de control", HEADER[h]);
			free(l->h[h]);
			l->h[h] = NULL;
		}
	const char *action = l->h[H_ACTION];
	l->cancel = action && !strcmp(action, "cancel");
	if (action && !l->cancel && strcmp(action, "original"))
		bad(l, 0, 0, "action", "invalid_value", "«action»: original o cancel");
	const char *port = l->h[H_PORT];
	const struct rules_port *p = port ? rules_port_find(rules, port) : NULL;
	if (!port)
		bad(l, 0, 0, "port", "missing_field", "falta «port» (código de la delegación: GET /api/v1/ports)");
	else if (!p || !p->active)
		bad(l, 0, 0, "port", "unknown_port", "«%s» no es una delegación activa", port);
	else if (p->kind == RULES_PORT_AIR)
		bad(l, 0, 0, "port", "air_port",
		    "«%s» es un aeropuerto: los vuelos se envían como APIS (PAXLST)", port);
	else {
		l->mode = p->kind == RULES_PORT_SEA ? "sea" : "land";
		/* a bus company sends to land posts, a cruise line to ports */
		if (kind && ((!strcmp(kind, "bus") && p->kind != RULES_PORT_LAND) ||
			     (!strcmp(kind, "cruise") && p->kind != RULES_PORT_SEA)))
			bad(l, 0, 0, "port", "port_kind_mismatch",
			    "la cuenta es de %s; «%s» es un puesto %s",
			    !strcmp(kind, "bus") ? "una empresa de autobuses" : "una naviera",
			    port, p->kind == RULES_PORT_SEA ? "marítimo" : "terrestre");
	}
	if (!l->h[H_VEHICLE])
		bad(l, 0, 0, "vehicle", "missing_field", "falta «vehicle» (placa del autobús o nombre del buque)");
	else if (!apis_transport_key(l->h[H_VEHICLE], l->vkey, sizeof(l->vkey)) ||
		 strlen(l->vkey) < 2)
		bad(l, 0, 0, "vehicle", "invalid_value",
		    "«vehicle»: letras y dígitos sin acentos (espacios, puntos y guiones permitidos), de 2 a %d",
		    APIS_VEHICLE_KEY - 1);
	const char *dir = l->h[H_DIRECTION];
	if (!dir)
		bad(l, 0, 0, "direction", "missing_field", "falta «direction» (entry o exit)");
	else if (strcmp(dir, "entry") && strcmp(dir, "exit"))
		bad(l, 0, 0, "direction", "invalid_value", "«direction»: entry o exit");
	const char *arr = l->h[H_ARRIVAL];
	int32_t d = 0;
	int hh = -1, mm = -1;
	if (arr && strlen(arr) == 16 && arr[10] == 'T' && arr[13] == ':') {
		const char *x = arr + 11;
		bool digits = true;
		for (int k = 0; k < 5; k++)
			digits &= k == 2 || (x[k] >= '0' && x[k] <= '9');
		if (digits) {
			hh = (x[0] - '0') * 10 + (x[1] - '0');
			mm = (x[3] - '0') * 10 + (x[4] - '0');
		}
		snprintf(l->day, sizeof(l->day), "%.10s", arr);
	}
	if (!arr)
		bad(l, 0, 0, "arrival", "missing_field", "falta «arrival» (AAAA-MM-DDTHH:MM, hora local)");
	else if (hh < 0 || hh > 23 || mm > 59 || cal_parse_day(l->day, &d, "arrival", &e))
		bad(l, 0, 0, "arrival", "invalid_date", "«arrival»: AAAA-MM-DDTHH:MM (hora local de El Salvador)");
	else if (!l->cancel && (int64_t)d * 1440 + hh * 60 + mm < now_minutes())
		bad(l, 0, 0, "arrival", "arrival_in_past",
		    "la llegada prevista (%s) ya pasó: una lista se envía antes de llegar al puesto", arr);
	if (l->cancel && l->has_travelers)
		bad(l, 0, 0, "travelers", "unexpected_field", "una cancelación no lleva viajeros");
	if (!l->cancel && !l->has_travelers)
		bad(l, 0, 0, "travelers", "missing_field", "la lista no tiene viajeros");
}

static void check_traveler(struct pq_list *l, int i, int32_t today)
{
	struct pq_traveler *t = &l->t[i];
	struct sigm_error e;
	int rec = i + 1;
	for (int f = 0; f < F_N; f++) {
		/* spaces only are empty, as everywhere in the API (README):
		 * a traveler of surnames "   " was accepted, a record no
		 * booth and no reconciliation could ever match by name */
		if (t->f[f] && !names_visible(t->f[f]))
			t->f[f][0] = 0;
		if (!t->f[f] || !*t->f[f]) {
			if (!optional_field(f))
				bad(l, rec, t->line, FIELD[f], "missing_field",
				    "viajero %d: falta «%s»", rec, FIELD[f]);
			continue;
		}
		if (!printable(t->f[f]) || chars(t->f[f]) > 80) {
			bad(l, rec, t->line, FIELD[f], "invalid_value",
			    "viajero %d: «%s» de hasta 80 caracteres, sin caracteres de control", rec, FIELD[f]);
			free(t->f[f]);
			t->f[f] = NULL;
		}
	}
	/* a name of no letter of any script («😀», «123», «---») is
	 * refused as the booth refuses it: no inspection could ever match
	 * such a record by name */
	for (int f = F_SUR; f <= F_GIVEN; f++)
		if (t->f[f] && *t->f[f] && !names_has_letter(t->f[f]))
			bad(l, rec, t->line, FIELD[f], "invalid_name",
			    "viajero %d: «%s» no contiene ninguna letra", rec, FIELD[f]);
	for (int f = F_NAT; f < F_DEXP; f++)
		if (t->f[f])
			upcase(t->f[f]);
	/* a spreadsheet's «Crew» is the crew all the same */
	const char *role = t->f[F_ROLE];
	if (role && *role) {
		t->crew = !strcasecmp(role, "crew");
		if (!t->crew && strcasecmp(role, "passenger"))
			bad(l, rec, t->line, "role", "invalid_value",
			    "viajero %d: «role»: passenger (pasajero) o crew (tripulante)", rec);
		else if (t->crew)
			l->ncrew++;
	}
	if (t->f[F_SEX]) {
		upcase(t->f[F_SEX]);
		if (strcmp(t->f[F_SEX], "M") && strcmp(t->f[F_SEX], "F") && strcmp(t->f[F_SEX], "X"))
			bad(l, rec, t->line, "sex", "invalid_value", "viajero %d: «sex»: M, F o X", rec);
	}
	int32_t d;
	if (t->f[F_BIRTH]) {
		if (cal_parse_day(t->f[F_BIRTH], &d, "birth_date", &e))
			bad(l, rec, t->line, "birth_date", "invalid_date",
			    "viajero %d: «birth_date»: AAAA-MM-DD, un día que exista", rec);
		else if (d > today)
			bad(l, rec, t->line, "birth_date", "invalid_date",
			    "viajero %d: «birth_date» en el futuro", rec);
	}
	if (t->f[F_DEXP] && cal_parse_day(t->f[F_DEXP], &d, "doc_expiry", &e))
		bad(l, rec, t->line, "doc_expiry", "invalid_date",
		    "viajero %d: «doc_expiry»: AAAA-MM-DD, un día que exista", rec);
	/* ICAO 9303 codes: three letters (Germany's "D" too), document
	 * type one or two letters (P, I, AC ...) */
	if (t->f[F_NAT] && !letters(t->f[F_NAT], 1, 3))
		bad(l, rec, t->line, "nationality", "invalid_value",
		    "viajero %d: «nationality»: código ICAO de 3 letras (SLV, GTM ...)", rec);
	if (t->f[F_DSTATE] && !letters(t->f[F_DSTATE], 1, 3))
		bad(l, rec, t->line, "doc_issuing_state", "invalid_value",
		    "viajero %d: «doc_issuing_state»: código ICAO de 3 letras", rec);
	if (t->f[F_DTYPE] && !letters(t->f[F_DTYPE], 1, 2))
		bad(l, rec, t->line, "doc_type", "invalid_value",
		    "viajero %d: «doc_type»: P (pasaporte), I (documento de identidad) u otro código ICAO", rec);
	if (t->f[F_DNUM] && *t->f[F_DNUM]) { /* an empty one is missing_field */
		/* the booth's rule (rules_docno_read): a number of one
		 * character was listed, which no booth would ever take, and
		 * «G-555 0001» is the G5550001 the booth reads and the
		 * reconciliation compares */
		char num[RULES_DOCNO_MAX + 1];
		bool ok = !rules_docno_read(t->f[F_DNUM], "doc_number", NULL, num, &e);
		if (!ok)
			bad(l, rec, t->line, "doc_number", e.code, "viajero %d: %s", rec, e.message);
		else
			memcpy(t->f[F_DNUM], num, strlen(num) + 1); /* never longer */
		const char *s = t->f[F_DNUM];
		for (int j = 0; ok && j < i; j++)
			if (l->t[j].f[F_DNUM] && !strcmp(l->t[j].f[F_DNUM], s) &&
			    l->t[j].f[F_DSTATE] && t->f[F_DSTATE] &&
			    !strcmp(l->t[j].f[F_DSTATE], t->f[F_DSTATE])) {
				bad(l, rec, t->line, "doc_number", "duplicate",
				    "viajero %d: el documento %s ya figura como viajero %d", rec, s, j + 1);
				break;
			}
	}
}

/* ---- storage ---- */

struct pq_write {
	struct api_req *req;
	const struct apis_submission *sub;
	struct pq_list *l;
	const char *carrier;
	struct apis_raw raw;
	bool accept;
	char *errors;
	int64_t id;
	json_t *manifests;
};

static int insert_travelers(struct store_tx *tx, int64_t mid, const struct pq_list *l,
			    struct sigm_error *err)
{
	for (int i = 0; i < l->n; i++) {
		char *const *f = l->t[i].f;
		struct store_val v[] = {
			sv_int(mid), sv_int(i + 1), sv_text(f[F_SUR]), sv_opt(f[F_GIVEN]),
			sv_text(f[F_BIRTH]), sv_text(f[F_SEX]), sv_text(f[F_NAT]),
			sv_text(f[F_DTYPE]), sv_text(f[F_DNUM]), sv_text(f[F_DSTATE]),
			sv_text(f[F_DEXP]), sv_text(l->h[H_PORT]),
			sv_text(l->t[i].crew ? "crew" : "passenger")};
		int rc = store_tx_exec(
			tx,
			"INSERT INTO apis_persons (manifest_id, seq, role, surnames, given_names, birth_date, sex,"
			" nationality, doc_type, doc_number, doc_issuing_state, doc_expiry, disembarkation)"
			" VALUES ($1, $2, $13, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
			v, SV_N(v), NULL, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int pq_write_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct pq_write *w = arg;
	struct pq_list *l = w->l;
	char now[40];
	int rc;

	store_now_iso(now, sizeof(now));
	json_array_clear(w->manifests);
	rc = apis_interchange_insert(tx, w->sub, &w->raw, w->accept, w->errors, "[]",
				     w->carrier, l->h[H_TRIP], now, &w->id, err);
	if (rc)
		return rc;
	if (w->accept) {
		const char *fn = l->cancel ? "cancel" : "original";
		int64_t mid = 0, prev = 0;
		struct apis_manifest_row row = {
			.message_ref = l->h[H_TRIP], .carrier = w->carrier, .flight = l->vkey,
			.day = l->day, .list_type = "passengers", .arr_port = l->h[H_PORT],
			.arr_time = l->h[H_ARRIVAL], .function = fn, .mode = l->mode,
			.direction = l->h[H_DIRECTION], .vehicle = l->h[H_VEHICLE],
			.company = l->h[H_COMPANY] ? l->h[H_COMPANY] : w->carrier,
			.passengers = l->n - l->ncrew, .crew = l->ncrew};
		rc = apis_manifest_put(tx, w->id, &row, now, &mid, &prev, err);
		if (rc)
			return rc;
		if (!l->cancel && (rc = insert_travelers(tx, mid, l, err)))
			return rc;
		json_t *o = apis_manifest_action(mid, prev, fn, w->carrier, l->vkey, l->day,
						 "passengers", l->n - l->ncrew, l->ncrew);
		json_object_set_new(o, "vehicle", json_string(l->h[H_VEHICLE]));
		json_object_set_new(o, "port", json_string(l->h[H_PORT]));
		json_object_set_new(o, "mode", json_string(l->mode));
		json_array_append_new(w->manifests, o);
	}
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)w->id);
	json_t *d = json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:O}", "status",
			      w->accept ? "accepted" : "rejected", "format", w->sub->format,
			      "port", l->h[H_PORT], "vehicle", l->h[H_VEHICLE], "bytes",
			      (json_int_t)w->sub->len, "manifests", w->manifests);
	return api_audit_tx(tx, w->req, "prechequeo.receive", "apis_interchange", rid, d, err);
}

/* POST /api/v1/prechequeo/lists: a bus company's or cruise line's list. */
void api_prechequeo_submit(struct api_req *req, struct api_resp *resp);
void api_prechequeo_submit(struct api_req *req, struct api_resp *resp)
{
	struct pq_list l = {0};
	struct pq_write w = {.req = req, .l = &l};
	struct sigm_error err;
	char carrier[16], kind[16], today[11];
	int32_t tday;
	int rc;

	if (apis_carrier_of(req->ctx->store, req->who->username, carrier, kind, &err)) {
		api_error_from(resp, &err);
		return;
	}
	/* the list names no carrier: the account's is the one it is filed
	 * under, so an account without one cannot send */
	if (!carrier[0]) {
		api_error(resp, 403, "no_carrier", NULL,
			  "la cuenta %s no tiene empresa de transporte asignada", req->who->username);
		return;
	}
	/* 422, not 403: the role may send lists, this account's company is
	 * of the wrong kind (403 is kept for permissions, which the role x
	 * route test holds every route to) */
	if (!strcmp(kind, "airline")) {
		api_error(resp, 422, "wrong_carrier_kind", "kind",
			  "la cuenta %s es de una aerolínea: sus vuelos se envían como APIS (PAXLST)",
			  req->who->username);
		return;
	}
	if (req->body_len == 0) {
		api_error(resp, 400, "empty_body", NULL,
			  "el cuerpo debe ser la lista (JSON o CSV)");
		return;
	}
	const char *ct = api_req_header(req, "Content-Type");
	const char *format = ct && !strncasecmp(ct, "text/csv", 8)		   ? "csv"
			     : !ct || !strncasecmp(ct, "application/json", 16) ? "json"
									       : NULL;
	if (!format) {
		api_error(resp, 415, "unsupported_media_type", "Content-Type",
			  "la lista se envía como application/json o text/csv");
		return;
	}
	l.errors = json_array();
	w.manifests = json_array();
	if (!l.errors || !w.manifests) {
		rc = SIGM_ENOMEM;
		goto nomem;
	}
	rc = !strcmp(format, "csv") ? read_csv(&l, req, req->body, req->body_len)
				    : read_json(&l, req->body, req->body_len);
	if (rc)
		goto nomem;
	api_today(today);
	if (cal_parse_day(today, &tday, "today", &err)) {
		api_error_from(resp, &err);
		goto out;
	}
	check_header(&l, req->ctx->rules, kind);
	for (int i = 0; i < l.n; i++)
		check_traveler(&l, i, tday);
	w.accept = l.nbad == 0;
	w.errors = json_dumps(l.errors, JSON_COMPACT);
	if (!w.errors || apis_raw_encode(req->body, req->body_len, &w.raw, &err))
		goto nomem;
	struct apis_submission sub = {.body = req->body, .len = req->body_len, .source = "api",
				      .actor = req->actor, .remote = req->remote,
				      .carrier = carrier, .format = format};
	w.sub = &sub;
	w.carrier = carrier;
	if (store_write(req->ctx->store, pq_write_fn, &w, &err)) {
		api_error_from(resp, &err);
		goto out;
	}
	json_t *body = json_pack("{s:I, s:s, s:s, s:s, s:O, s:O, s:[]}", "id", (json_int_t)w.id,
				 "status", w.accept ? "accepted" : "rejected", "format", format,
				 "sha256", w.raw.sha, "manifests", w.manifests, "errors", l.errors,
				 "warnings");
	if (!w.accept) {
		/* kept, reported to the carrier with every bad record */
		json_object_set_new(body, "error",
				    json_pack("{s:s, s:s}", "code", "list_rejected", "message",
					      "lista guardada pero no aceptada: vea «errors»"));
		api_json(resp, 422, body);
		goto out;
	}
	apis_after_ingest(req->ctx, json_object_get(body, "manifests"), req->actor, req->remote);
	api_json(resp, 201, body);
	goto out;
nomem:
	api_error(resp, 500, "out_of_memory", NULL, "sin memoria");
out:
	free(w.errors);
	free(w.raw.b64);
	json_decref(w.manifests);
	pq_free(&l);
}

/* ---- reads ---- */

/* GET /api/v1/prechequeo/lists?port=&date=&status=: the buses and ships
 * expected at a post on a day, with counts and hits (no personal data). */
void api_prechequeo_lists(struct api_req *req, struct api_resp *resp);
void api_prechequeo_lists(struct api_req *req, struct api_resp *resp)
{
	static const char *const ints[] = {"id", "interchange_id", "replaced_by", "passengers",
					   "screen_hits", "arrivals", "arrivals_listed",
					   "arrivals_unlisted", "open_hits",
					   "crew", NULL};
	const char *port = api_query(req, "port"), *date = api_query(req, "date"),
		   *status = api_query(req, "status");
	struct store_rows *r = NULL;
	struct sigm_error err;
	char today[11];
	api_today(today);
	if (date && !api_valid_date(date, false)) {
		api_error(resp, 400, "invalid_date", "date", "«date»: AAAA-MM-DD");
		return;
	}
	/* a post or status that is none ("ACJ", "curent") found no list
	 * and answered an empty one, as if no bus or ship were expected */
	const struct rules_port *post;
	if (api_query_port(req, resp, &post))
		return;
	if (api_query_enum(req, resp, "status", apis_list_statuses, &status))
		return;
	port = post ? post->code : NULL; /* as the lists keep it */
	struct store_val v[] = {sv_opt(port), sv_text(date ? date : today),
				sv_text(status ? status : "current")};
	if (store_query(req->ctx->store,
			"SELECT id, interchange_id, carrier, company, mode, direction, vehicle, flight AS vehicle_key,"
			" message_ref AS trip, arr_port AS port, arr_time AS arrival, flight_date, status, replaced_by,"
			" passengers, received_at, screened_at, screen_hits,"
			" (SELECT COUNT(*) FROM apis_arrivals a WHERE a.manifest_id = apis_manifests.id) AS arrivals,"
			/* the list's own passengers inspected (a row read «4 (2
			 * inspeccionados)» when one of the two was not on it) */
			" " APIS_ARRIVED("apis_manifests.id", "1 = 1") " AS arrivals_listed,"
			/* and the travelers inspected without being on it, each
			 * once: arrivals counts inspections, and a listed
			 * traveler inspected twice (secondary, then admitted)
			 * read as one «más sin figurar en ella»; linked records
			 * are one traveler, as in the reconciliation */
			" " APIS_UNLISTED("apis_manifests.id") " AS arrivals_unlisted,"
			" (SELECT COUNT(*) FROM apis_hits h WHERE h.manifest_id = apis_manifests.id"
			"  AND h.superseded_at IS NULL AND h.review IS NULL) AS open_hits,"
			/* last: the stage reads the columns above by number */
			" crew"
			" FROM apis_manifests WHERE mode <> 'air'"
			" AND (CAST($1 AS TEXT) IS NULL OR arr_port = $1) AND flight_date = $2"
			" AND (CAST($3 AS TEXT) = 'all' OR status = $3)"
			" ORDER BY arr_time, id LIMIT 500",
			v, SV_N(v), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *o = api_row_object(r, i, ints);
		json_object_set_new(o, "stage",
				    json_string(apis_stage(store_rows_int(r, i, 18),
							   store_rows_text(r, i, 11), today,
							   !store_rows_isnull(r, i, 16))));
		json_array_append_new(a, o);
	}
	store_rows_free(&r);
	/* buses and ships of the day that came without a list, as carrier
	 * compliance found them (compliance.c): the post's «sin lista» */
	json_t *missing = json_array();
	struct store_val mv[] = {sv_text(date ? date : today), sv_opt(port)};
	if (store_query(req->ctx->store,
			"SELECT id AS fine_id, carrier, flight AS vehicle_key, transport AS vehicle, port, status, evidence"
			" FROM carrier_fines WHERE cause = 'missing_manifest' AND imposed_on = $1 AND status <> 'cancelled'"
			" AND (CAST($2 AS TEXT) IS NULL OR port = $2) ORDER BY id",
			mv, SV_N(mv), &r, &err)) {
		json_decref(a);
		json_decref(missing);
		api_error_from(resp, &err);
		return;
	}
	for (int i = 0; i < store_rows_count(r); i++) {
		const struct rules_port *pt = rules_port_find(req->ctx->rules, store_rows_text(r, i, 4));
		if (!pt || pt->kind == RULES_PORT_AIR)
			continue; /* a flight: the APIS flights' list */
		json_t *o = apis_missing_entry(r, i, 6);
		json_object_set_new(o, "mode", json_string(rules_port_kind_name(pt->kind)));
		json_array_append_new(missing, o);
	}
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:s, s:s?, s:o, s:o}", "date", date ? date : today, "port",
				      port, "items", a, "missing", missing));
}

static const char *const SUB_INTS[] = {"id", "raw_bytes", "manifest_id", "passengers", "crew", NULL};

static json_t *submission_object(struct store_rows *r, int i)
{
	json_error_t jerr;
	json_t *o = api_row_object(r, i, SUB_INTS);
	json_t *e = json_loads(store_rows_text(r, i, 6), 0, &jerr);
	json_object_set_new(o, "errors", e ? e : json_array());
	json_object_del(o, "errors_json");
	return o;
}

/* GET /api/v1/prechequeo/submissions: what this carrier account sent (its
 * own only), with the errors of the rejected ones. */
void api_prechequeo_submissions(struct api_req *req, struct api_resp *resp);
void api_prechequeo_submissions(struct api_req *req, struct api_resp *resp)
{
	struct store_rows *r = NULL;
	struct sigm_error err;
	struct store_val v[] = {sv_text(req->actor)};
	if (store_query(req->ctx->store,
			"SELECT id, received_at, format, status, reference AS trip, raw_bytes, errors_json,"
			" (SELECT MIN(m.id) FROM apis_manifests m WHERE m.interchange_id = apis_interchanges.id) AS manifest_id,"
			/* the counts the list was accepted with (a list is one
			 * manifest): its passengers and its crew */
			" (SELECT MIN(m.passengers) FROM apis_manifests m WHERE m.interchange_id = apis_interchanges.id) AS passengers,"
			" (SELECT MIN(m.crew) FROM apis_manifests m WHERE m.interchange_id = apis_interchanges.id) AS crew"
			" FROM apis_interchanges WHERE submitted_by = $1 AND format <> 'paxlst'"
			" ORDER BY id DESC LIMIT 100",
			v, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++)
		json_array_append_new(a, submission_object(r, i));
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:o}", "items", a));
}

/* GET /api/v1/prechequeo/submissions/{id}: one of them, as received
 * (base64) - another account's is "not found", not "forbidden", so that
 * ids of other companies' lists are not confirmed.  Audited
 * (prechequeo.submission.read on the apis_interchange). */
void api_prechequeo_submission(struct api_req *req, struct api_resp *resp);
void api_prechequeo_submission(struct api_req *req, struct api_resp *resp)
{
	struct store_rows *r = NULL;
	struct sigm_error err;
	int64_t id;
	if (api_path_id(req, resp, "not_found", "lista", &id))
		return;
	struct store_val v[] = {sv_int(id), sv_text(req->actor)};
	if (store_query(req->ctx->store,
			"SELECT id, received_at, format, status, reference AS trip, raw_bytes, errors_json,"
			" raw_sha256, raw_base64,"
			" (SELECT MIN(m.id) FROM apis_manifests m WHERE m.interchange_id = apis_interchanges.id) AS manifest_id,"
			" (SELECT MIN(m.passengers) FROM apis_manifests m WHERE m.interchange_id = apis_interchanges.id) AS passengers,"
			" (SELECT MIN(m.crew) FROM apis_manifests m WHERE m.interchange_id = apis_interchanges.id) AS crew"
			" FROM apis_interchanges"
			" WHERE id = $1 AND submitted_by = $2 AND format <> 'paxlst'",
			v, SV_N(v), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		api_error(resp, 404, "not_found", "id", "no existe la lista %lld de esta cuenta",
			  (long long)id);
		return;
	}
	json_t *o = submission_object(r, 0);
	store_rows_free(&r);
	/* the list as received is the passengers' personal data (names,
	 * birth dates, document numbers): no entry in the audit, no answer */
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)id);
	api_audit(req, "prechequeo.submission.read", "apis_interchange", rid, NULL);
	api_json(resp, 200, o);
}
