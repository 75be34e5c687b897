/*
 * api.h - the HTTP layer: requests, responses, routes, and the helpers every
 * handler uses.  One file per module (org.c, users.c, audit_api.c ...) holds
 * handlers; routes.c lists every route with the one permission it needs.
 *
 * Flow: server.c reads the request (bounded body), finds the route,
 * authenticates (session cookie or bearer token), checks CSRF for
 * cookie-authenticated unsafe methods, checks the route's permission, then
 * calls the handler.  A handler fills struct api_resp; it never writes to
 * the connection.  Errors use ARCHITECTURE.md's format:
 *   {"error": {"code": "...", "field": "...", "message": "..."}}
 *
 * Ownership: resp->json is owned by the response and freed by the server;
 * req->json (parsed body) is owned by the request.
 */
#ifndef SIGM_API_H
#define SIGM_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct api_ctx;
struct api_countries;
struct MHD_Connection;

struct api_principal {
	char username[64];
	char display_name[160];
	char unit[16];
	char roles[16][32];
	int nroles;
	uint64_t perms; /* bit set of enum api_perm */
	bool via_token;
	char csrf[72];	    /* session's CSRF token; "" for tokens */
	char session_id[72]; /* hash of the session cookie */
};

struct api_route;

struct api_req {
	struct api_ctx *ctx;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	const char *body;
	size_t body_len;
	json_t *json; /* parsed by api_body_object() */
	const char *params[4];
	int nparams;
	char param_buf[512];
	const struct api_route *route;
	struct api_principal *who; /* NULL: anonymous */
	struct api_principal who_buf;
	char remote[64];
	char actor[80]; /* who, as written in the audit log */
	/* An audit entry of this request could not be written (api_audit,
	 * api_audit_list): what it read is not served (server.c). */
	bool audit_failed;
};

#define API_MAX_HEADERS 6

struct api_resp {
	int status;
	json_t *json;
	char *body; /* alternative to json: raw bytes, malloc'd */
	size_t body_len;
	const char *content_type;
	char *file_path; /* alternative: serve this file */
	struct {
		char name[40];
		char value[512];
	} headers[API_MAX_HEADERS];
	int nheaders;
};

typedef void (*api_handler)(struct api_req *req, struct api_resp *resp);

/* ---- permissions (authz.c) ---- */
enum api_perm {
	PERM_NONE = 0, /* public route: no authentication */
	PERM_SESSION,	/* any signed-in user */
	PERM_ORG_READ,
	PERM_USERS_READ,
	PERM_USERS_WRITE,
	PERM_AUDIT_READ,
	PERM_DOCUMENTS_CHECK,
	PERM_SCREENING_QUERY,
	PERM_METRICS_READ,
	PERM_RESTRICTIONS_READ,
	PERM_RESTRICTIONS_WRITE,
	PERM_ALERTS_READ,
	PERM_ALERTS_WRITE,
	PERM_LOST_STOLEN_READ,
	PERM_LOST_STOLEN_WRITE,
	PERM_MINORS_READ,
	PERM_MINORS_WRITE,
	PERM_PERSONS_READ,
	PERM_INSPECT,		/* primary inspection at the booth */
	PERM_SECONDARY_RESOLVE, /* supervisor's resolution; ledger corrections */
	PERM_MOVEMENTS_READ,
	PERM_FINES_READ,
	PERM_FINES_WRITE,
	PERM_CERTIFICATES_READ,
	PERM_CERTIFICATES_WRITE, /* issue and revoke certificates */
	PERM_APIS_SUBMIT, /* a carrier sends its passenger lists (APIS) */
	PERM_APIS_READ,   /* border staff read the manifests */
	PERM_APIS_REVIEW, /* the APIS desk clears a hit or sends it to secondary */
	PERM_REFERRALS_READ,  /* referrals to Atención al Migrante */
	PERM_REFERRALS_WRITE, /* Atención al Migrante receives and closes them */
	PERM_STAY_EXTEND,     /* Extranjería grants prórrogas de permanencia */
	PERM_STATISTICS_READ, /* figures without names: the monthly statistics */
	PERM__COUNT
};

const char *authz_perm_name(enum api_perm p);
int authz_perm_from_name(const char *name); /* -1 when unknown */
/* Bit set of the permissions granted by a role; 0 for unknown roles. */
uint64_t authz_role_perms(const char *role);
bool authz_role_known(const char *role);
const char *authz_role_name(const char *role); /* Spanish name */
/* Role codes, NULL-terminated. */
extern const char *const authz_roles[];
json_t *authz_perms_json(uint64_t perms);

struct api_route {
	const char *method;
	const char *pattern; /* "/api/v1/org/units/{code}" */
	enum api_perm perm;
	api_handler fn;
	size_t max_body; /* 0 = default 1 MiB */
	const char *summary;
};

extern const struct api_route api_routes[];
extern const int api_nroutes;

/* ---- helpers (http.c) ---- */

/* Sets a JSON error response.  field may be NULL. */
void api_error(struct api_resp *resp, int status, const char *code,
	       const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Maps a struct sigm_error to the status of its rc. */
void api_error_from(struct api_resp *resp, const struct sigm_error *err);
int api_status_for(int rc);

/* Takes ownership of j. */
void api_json(struct api_resp *resp, int status, json_t *j);
void api_no_content(struct api_resp *resp);
/* A non-JSON answer (a PDF, a CSV, a page); takes ownership of the
 * malloc'd body. */
void api_raw(struct api_resp *resp, int status, const char *content_type,
	     char *body, size_t len);
void api_header(struct api_resp *resp, const char *name, const char *value);

/* Parses the body as a JSON object whose keys are all in allowed
 * (NULL-terminated).  On failure sets a 400 and returns NULL.  The object
 * is the request's (req->json, released after the response): borrowed,
 * never json_decref'd by the handler.  Every string in it, at any depth,
 * comes without the white space around it (ASCII's and Unicode's space
 * separators: « 2026-12-07\u00a0» is the date), but for the passwords'
 * keys (password, current_password, new_password), kept as typed. */
json_t *api_body_object(struct api_req *req, struct api_resp *resp,
			const char *const *allowed);

/*
 * Reads an optional amount in dollars (a JSON number, > 0, at most ten
 * million, as the fines' amounts) into cents; *cents = -1 when absent.
 * Sets a 400 naming the field and returns -1 on error.
 */
int api_get_amount(struct api_resp *resp, json_t *obj, const char *field,
		   int64_t *cents);

/* A nested object (field names it, e.g. "document") whose keys must be
 * among allowed: a 400 naming "field.key" for another key, or the field
 * when it is not an object; -1 then. */
int api_object_keys(struct api_resp *resp, json_t *obj, const char *field,
		    const char *const *allowed);

/*
 * For fields of a nested object: when rc (an api_get_* result) is an
 * error, the error's field - and the «field» its message names - becomes
 * "parent.field", as the client wrote it.  Returns rc.
 *   if (api_in(resp, "document", api_get_str(resp, jd, "number", ...)))
 */
int api_in(struct api_resp *resp, const char *parent, int rc);

/* Reads an integer field within [min,max] into *out (0 when absent and
 * optional).  Same error contract as api_get_str. */
int api_get_int(struct api_resp *resp, json_t *obj, const char *field,
		bool required, long long min, long long max, long long *out);

/*
 * Reads a string field.  required: missing/null/blank is an error.  Sets a
 * 400/422 naming the field and returns -1 on error; 0 otherwise (*out =
 * NULL when absent, or blank - spaces only - and optional).  maxlen counts
 * characters (code points), as the too_long message says; the string must
 * be valid UTF-8 without control characters.
 */
int api_get_str(struct api_resp *resp, json_t *obj, const char *field,
		bool required, size_t maxlen, const char **out);

/* A document number taken from outside, by the one rule of them all
 * (rules_docno_read: 4 to 20 letters or digits, spaces, hyphens, dots and
 * slashes that group them dropped, upper case): obj's key, named field in
 * errors (its path: "companion.document_number").  Absent, null or blank
 * is no number: a 400 naming field when required (absent: missing_field;
 * blank: invalid_document_number), *out = NULL otherwise.  Every other
 * refusal is a 400 invalid_document_number naming field.  On success the
 * number replaces the text in obj as the records keep it («ab 12-34» is
 * AB1234) and *out borrows it from obj.  0 or -1. (subject.c) */
int api_get_docno(struct api_resp *resp, json_t *obj, const char *key,
		  const char *field, bool required, const char **out);
/* The same for a query parameter (a search): absent is *out = NULL;
 * given, it is read by the rule into buf and *out is buf. */
#define API_DOCNO_BUF 21 /* RULES_DOCNO_MAX + 1 */
int api_query_docno(struct api_req *req, struct api_resp *resp, const char *name,
		    char buf[static API_DOCNO_BUF], const char **out);

/* Seconds from UTC time a to b, both "YYYY-MM-DDTHH:MM:SS..." as the
 * records keep them, in *out; false (and *out untouched) when either is
 * not such a time. */
bool api_seconds_between(const char *a, const char *b, long *out);

/*
 * Reads a date field "YYYY-MM-DD" (a real calendar day); with partial_ok
 * also "YYYY-MM" and "YYYY".  Same error contract as api_get_str.
 */
int api_get_date(struct api_resp *resp, json_t *obj, const char *field,
		 bool required, bool partial_ok, const char **out);
/* The same check on a string (NULL is not valid). */
bool api_valid_date(const char *s, bool partial_ok);
/* The numeric record id of the route's first path parameter ({id}) into
 * *id; otherwise a 404 with code (e.g. "not_found", "person_not_found"),
 * field "id" and "<what> inexistente: <param>", and -1. */
int api_path_id(struct api_req *req, struct api_resp *resp, const char *code,
		const char *what, int64_t *id);
/* "YYYY-MM-DD" as a message to an officer says it ("4 mar 2027", in buf
 * of CAL_TEXT = 16 bytes); anything else is returned as it is. */
const char *api_said_day(const char *iso, char buf[16]);
/* Today's date, UTC-6 (El Salvador has no daylight saving), "YYYY-MM-DD". */
void api_today(char out[11]);
/* The time of day in El Salvador, "HH:MM" (schedules compare with it). */
void api_now_hm(char out[6]);
/* The El Salvador day of a stored UTC timestamp; a bare date (or anything
 * that is not a timestamp) is copied as its first 10 characters. */
void api_local_day(const char *iso_utc, char out[11]);
/* A stored UTC time "YYYY-MM-DDTHH:MM..." as El Salvador's local time;
 * false when s is not such a time. */
struct tm;
bool api_local_tm(const char *s, struct tm *out);

/* Identity data of a record's subject (subject.c).  Strings borrowed from
 * the request body. */
struct api_subject {
	const char *given_names, *surnames, *birth_date, *sex, *nationality,
		*document_number, *dui;
};
int api_get_subject(struct api_req *req, struct api_resp *resp, json_t *obj, const char *field,
		    struct api_subject *out);
bool api_valid_dui(const char *s);
/*
 * Same person by the data a registry record holds: document number, DUI, or
 * folded surnames + given names + birth date (a partial birth date on either
 * side compares on the known part).  d is the traveler's document and
 * identity (store/persons.h), dui the traveler's DUI or NULL; the other
 * arguments are the record's.  *score: 100 document/DUI, 95 names with the
 * full birth date, 85 with a partial one.  The hook for the fuzzy screening
 * index is beside each caller, not here: this is the exact rule.
 */
struct persons_doc;
bool api_subject_matches(const struct persons_doc *d, const char *dui,
			 const char *given, const char *sur, const char *birth,
			 const char *docnum, const char *rdui, double *score);
/* What api_subject_matches found the same, by the score it gave, in the
 * officer's words ("número de documento idéntico al del registro"). */
const char *api_subject_how(double score);

/* A member of staff as the others know them: the display name of the
 * username in column col, as a subquery ("... AS officer_name"). */
#define API_STAFF_NAME(col) "(SELECT u.display_name FROM users u WHERE u.username = " col ")"

/* The ids of a person (seed: a parameter or a column) and of the records
 * a supervisor confirmed to be the same person (person_links, written by
 * duplicates_api.c), link after link, as a subquery: "person_id IN "
 * API_LINKED_PERSONS, the person being $1.  The ledger is never rewritten
 * to merge them, so whatever asks about the person - the timeline, the
 * booth's presence, the overstayers - asks about them all.  UNION (not
 * ALL) ends the recursion on a cycle.  person_links holds the links in
 * force only: an undone link's rows are removed (duplicates_api.c; what
 * was undone is kept in person_link_ends), so no reader filters. */
#define API_LINKED(seed) "(WITH RECURSIVE linked(id) AS (SELECT CAST(" seed " AS BIGINT) UNION" \
	" SELECT k.linked_person_id FROM person_links k JOIN linked l ON k.person_id = l.id)" \
	" SELECT id FROM linked)"
#define API_LINKED_PERSONS API_LINKED("$1")
/* One traveler, however many records: the lowest id of the records linked
 * to seed (as API_LINKED), seed itself when none; NULL for NULL.  What
 * counts or groups people, not records.  Asked per row of a report (a
 * day's blocked exits, a flight's arrivals): the recursion only for a
 * record that has a link, a key probe for the others (a recursive CTE
 * per row made the blocked-exits list of 300,000 rows take 3.0 s, 0.07 s
 * without it). */
#define API_TRAVELER(seed) "(CASE WHEN EXISTS (SELECT 1 FROM person_links k0 WHERE k0.person_id = " seed ")" \
	" THEN (SELECT MIN(g.id) FROM " API_LINKED(seed) " g) ELSE " seed " END)"
/* Where a person is now, as the booth reads it: the tail of a query over
 * "presence q" that keeps the latest presence of the records linked to
 * the seed (as API_LINKED). */
#define API_WHERE_NOW(seed) " FROM presence q WHERE q.person_id IN " API_LINKED(seed) \
	" ORDER BY q.since DESC, q.movement_id DESC LIMIT 1"
/*
 * A country a traveler goes to or comes from (a permit's destination, an
 * inspection's route), compared at the booth: an ISO 3166-1 alpha-3 code
 * of the country table (iso-codes), or Kosovo's ICAO code RKS; lower case
 * is taken as upper case, into out.  ICAO's other codes are not places
 * (XXX "unspecified nationality", XXA stateless, UNO, EUE, specimens…),
 * and free text cannot be compared: -1 with a 400 naming field.  Without
 * the country table (iso-codes missing) any three letters outside ICAO's
 * list.  (countries.c)
 */
int api_place_code(struct api_req *req, struct api_resp *resp,
		   const char *field, const char *in, char out[4]);
/*
 * A state's code as a client types it.  ICAO Doc 9303 (and ISO 3166-1)
 * write codes in upper case, and so does every record SIGM keeps and
 * compares; «usa» or «Usa» typed by hand is USA.  in of three ASCII
 * letters in any case (or Germany's one-letter «D» of its zone) is
 * upper-cased into out as the code ("D" as "DEU"): true.  Anything else
 * (two letters, a digit, an accented letter): false.  Known or not is the
 * caller's question.  (countries.c)
 */
bool api_country_code(const char *in, char out[4]);
/* The same on obj's field, in place: a string that is such a code is
 * replaced in obj by the code, so the handler's own read of it
 * (api_get_str...), the record it stores and the registry lookups see the
 * code.  Returns whether the field now holds one; anything else is left
 * as it is, for the caller to refuse with a 400 naming the field. */
bool api_country_field(json_t *obj, const char *field);
/* Whether the first three letters of in are such a country, upper-cased
 * into out. */
bool api_place_known(struct api_ctx *ctx, const char *in, char out[4]);

/* Voids movement id with a compensating entry approved by the caller (a
 * supervisor), in tx: its reason, the audit entry (with the request and
 * the approver's note), an officer's pending request for it answered
 * (request: the one being approved; 0: found here, and one the caller
 * asked is 409 four_eyes), the fines of an exit settled, and the cases
 * that closed on it (superseded, or admitted on it as already recorded)
 * back in the secondary queue, their ids appended to reopened (a JSON
 * array the caller owns; NULL: not wanted).  404 movement_not_found, 409
 * already_corrected.
 * (border_api.c) */
struct store_tx;
int api_movement_void_tx(struct store_tx *tx, struct api_req *req, int64_t id,
			 const char *reason, int64_t request, const char *note,
			 int64_t *new_id, json_t *reopened, struct sigm_error *err);

/* The overstay of a person leaving at `at` (ISO instant) with no case to
 * carry it (a contingency record, inspections_api.c): measured before the
 * exit is recorded, from where the ledger has them now, as a supervisor's
 * admission measures it.  *out: {"code": "overstay", "fine": {days,
 * amount_cents (null: según resolución), basis}}, or NULL when none (not
 * inside, within the stay, a stay without term).  (border_api.c) */
int api_exit_overstay(struct store_tx *tx, struct api_req *req, int64_t person,
		      const char *at, json_t **out, struct sigm_error *err);

/* Its fine, recorded on the exit movement: paid with receipt (cents: the
 * amount, -1 the tables'), or pending, a debt on record; what the person
 * paid for an exit voided since is credited first, as at a supervisor's
 * admission.  Audited.  *fine: {id, status, days, amount_cents,
 * credited_fine}, the caller's.  422 amount_differs / missing_field
 * (fine_amount), 409 fine_already_recorded.  (border_api.c) */
int api_exit_fine_record(struct store_tx *tx, struct api_req *req, int64_t person,
			 int64_t movement, const char *port, const json_t *overstay,
			 const char *receipt, int64_t cents, json_t **fine,
			 struct sigm_error *err);

/* The SQL that folds column col as names are folded (persons.h), for
 * this request's engine, into buf; NULL with a 500 in resp if it does
 * not fit (persons_api.c). */
const char *api_fold_sql(struct api_req *req, struct api_resp *resp,
			 const char *col, char *buf, size_t cap);

/* What tells an entry recorded without a stay whose stay has no term (a
 * resident's, valid carnet or let in expired, or on a carnet recorded on
 * paper; a person referred to Atención al Migrante) from one the tables
 * settle: its reasons, its document's kind and its resolution, one text
 * for api_stay_open (stay_api.c).  mov: the movement's id expression. */
#define API_STAY_OPEN_SQL(mov) \
	"(SELECT coalesce(m.reasons, '') || ' ' || coalesce(md.kind, '') || ' ' || coalesce(mi.resolution, '')" \
	" FROM movements m LEFT JOIN documents md ON md.id = m.document_id" \
	" LEFT JOIN inspections mi ON mi.id = m.inspection_id WHERE m.id = " mov ")"
bool api_stay_open(const char *entry);

/* The crossing recorded at port (NULL: at any post) the given way (entry: inside) at or after
 * since, where the person is now (linked: as API_WHERE_NOW; otherwise the
 * record's own presence, one key lookup): *movement and its instant in at,
 * or *movement = 0.  A crossing is recorded once (inspections_api.c). */
struct store_tx;
int api_crossing_since(struct store_tx *tx, int64_t person, bool linked,
		       bool entry, const char *port, const char *since,
		       int64_t *movement, char at[40], struct sigm_error *err);

/* A crossing is recorded once: the same traveler inspected the same way at
 * the same post within this many seconds of a crossing recorded there is a
 * repeat (a double swipe, a second click; inspections_api.c).  The blocked
 * exits report reads a refused exit's repeats as one attempt
 * (blocked_report.c). */
#define API_SAME_CROSSING_S 300

/*
 * The attempts to leave under an active restriction (blocked_report.c):
 * one person refused under one restriction at one post, read again within
 * API_SAME_CROSSING_S of the attempt's first read (the passport swiped
 * twice, the officer retrying), is one attempt.  The person is the
 * traveler: records a supervisor linked as one (API_LINKED) are one.  An
 * attempt is the day's of its first read (El Salvador's day, the record's
 * "day"): a double swipe at 23:59 and 00:01 is one attempt of the first
 * day, whatever the days asked.
 *
 * What is asked: the attempts whose first read is on a day from..to
 * (both NULL: every day), of the court and case (NULL: any), in the
 * order of court, case and time, limit of them after skipping offset
 * (limit 0: all).  The reads of the days before and after are read too,
 * for the attempts that cross midnight.
 */
struct api_blocked_ask {
	const char *from, *to, *court, *cas;
	long long offset, limit;
};
/* The answer: the reads of the attempts of the page, in order; row[k] is
 * the k-th read's row in r, head[k] the k of its attempt's first read
 * (head[k] == k: the first).  r's columns are BLOCKED_C_*. */
struct api_blocked {
	struct store_rows *r;
	int n, attempts, *row, *head;
	bool more; /* attempts after the page */
};
enum { BLOCKED_C_ID, BLOCKED_C_COURT, BLOCKED_C_CASE, BLOCKED_C_RESTR, BLOCKED_C_INSP,
       BLOCKED_C_PERSON, BLOCKED_C_PORT, BLOCKED_C_AT, BLOCKED_C_GIVEN, BLOCKED_C_SUR,
       BLOCKED_C_BIRTH, BLOCKED_C_NAT, BLOCKED_C_INFORMED, BLOCKED_C_DAY, BLOCKED_C_WHO };
/* Reads them with tx when given (a write), else on s.  0, or the store's
 * error; release b in either case. */
int api_blocked_read(struct store *s, struct store_tx *tx, const struct api_blocked_ask *q,
		     struct api_blocked *b, struct sigm_error *err);
void api_blocked_release(struct api_blocked *b);
/* Keeps of b's page the attempts the officer's list showed: those with a
 * read of record id <= through, each with all its reads (a retry stored
 * after the list joined an attempt shown, and mark() marks it with it).
 * The files are read when opened, maybe after the screen was drawn; an
 * attempt stored in between went to the court in them yet stayed pending
 * after «Marcar» (seen_through), and was reported twice.  Returns the
 * attempts left out, -1 out of memory (b unchanged). */
int api_blocked_through(struct api_blocked *b, long long through);
/* The day's report as a file (format "csv" or "pdf"): b as
 * api_blocked_through() left it when through >= 0 (left: the attempts it
 * left out, which the PDF says). */
void api_blocked_exits_report(struct api_req *req, struct api_resp *resp,
			      const struct api_blocked *b, const char *day,
			      const char *format, long long through, int left);
/* The reads stored on day (El Salvador's) of the day before's attempts
 * the court was already told of, not yet marked informed, of the court and
 * case (NULL: any): the 00:01 read of a double swipe whose day was
 * informed at 23:59:30.  They belong to the day before's attempts and are
 * marked from its screen; day's own list shows nothing of them.  *out: a
 * new array of {date (the day before), court, case_number, reads}, one
 * per case in court and case order, empty when none; NULL on error.  0,
 * the store's error, or invalid_date (field "date") for a day that does
 * not read. */
int api_blocked_later_prev(struct store *s, const char *day, const char *court, const char *cas,
			   json_t **out, struct sigm_error *err);

/* One result row as a JSON object keyed by column name; the columns named
 * in int_cols (NULL-terminated, may be NULL) become integers. */
json_t *api_row_object(const struct store_rows *r, int row,
		       const char *const *int_cols);

/* A page of a keyset-paged list, from a query that asked for limit + 1
 * rows ordered by id (column 0) descending: {"items": the first limit rows,
 * "next_cursor": the last item's id as a string, or null when no row
 * follows}.  The caller still frees r. */
json_t *api_page(const struct store_rows *r, long long limit,
		 const char *const *int_cols);

/* Query-string parameter or NULL. */
const char *api_query(struct api_req *req, const char *name);
/* Query integer within [min,max] (default when absent); -1 + 400 on junk. */
/* A query parameter that must be one of allowed (NULL-terminated) when
 * given: *out is it or NULL; a 400 naming it and -1 otherwise. */
int api_query_enum(struct api_req *req, struct api_resp *resp,
		   const char *name, const char *const *allowed,
		   const char **out);
/* ?port= as the lists take it: any case, an unknown post a 400 naming it
 * (not an empty list, as if nothing had happened there).  *out is the
 * post, NULL when none is asked; -1 after the 400. */
struct rules_port;
int api_query_port(struct api_req *req, struct api_resp *resp, const struct rules_port **out);
int api_query_int(struct api_req *req, struct api_resp *resp,
		  const char *name, long long def, long long min,
		  long long max, long long *out);
const char *api_req_header(struct api_req *req, const char *name);

/* Records an audit entry for this request's actor (own durable write).
 * On failure the request is marked: whatever 2xx the handler then
 * answers becomes 503 audit_unavailable, so that a handler that ignores
 * the result still never serves personal data untraced. */
int api_audit(struct api_req *req, const char *action, const char *rtype,
	      const char *rid, json_t *detail /* borrowed, may be NULL */);

/* The same inside the caller's own write: the entry commits or rolls back
 * with it.  detail is taken (decref'd), may be NULL. */
int api_audit_tx(struct store_tx *tx, struct api_req *req, const char *action,
		 const char *rtype, const char *rid, json_t *detail,
		 struct sigm_error *err);

/* Fills the struct audit_entry fields from the request (for audit_append
 * inside a caller's own write). */
struct audit_entry;
void api_audit_entry(struct api_req *req, struct audit_entry *e,
		     const char *action, const char *rtype, const char *rid,
		     const char *detail_json);

/* ---- server-wide context ---- */

struct api_config {
	char listen[128];
	char db[1024];
	char web_dir[1024];
	char data_dir[1024];
	bool secure_cookies;
	/* Absolute base of the public pages (certificates' QR codes point at
	 * {public_url}/verificar/{code}); "" = the server's own URL. */
	char public_url[256];
	int session_idle_s; /* idle expiry of a session, seconds */
	int session_max_hours;
	int readers; /* reader connections of the store */
};

struct api_ctx {
	struct api_config cfg;
	struct store *store;
	struct api_org *org;
	struct api_metrics *metrics;
	struct api_countries *mrz_countries; /* countries.h; NULL: ICAO codes only */
	struct rules_tables *rules; /* data/border: posts, nationality rules */
	/* Called after a committed change to a record the screening index
	 * holds ("restriction", "alert", "lost_stolen"); NULL = no index. */
	void (*on_record_change)(struct api_ctx *ctx, const char *kind,
				 int64_t id);
	struct api_screen *screen; /* screening index (screen_api.c), or NULL */
};

/* server.c */
int api_serve(struct api_ctx *ctx, struct sigm_error *err);
/* Blocks SIGTERM/SIGINT/SIGPIPE in the calling thread and the threads it
 * creates after; call first in the process that will api_serve(). */
void api_block_signals(void);
/* One JSON line on stderr: {"ts","level","msg", ...extra (borrowed)}. */
void api_log(const char *level, const char *msg, json_t *extra);
/* Requests between their first byte and the end of their answer, now
 * (the gauge sigm_http_requests_in_flight of /metrics). */
int api_inflight(void);

/* data files: SIGM_DATA, ./data, or next to the executable */
const char *api_data_dir(void);
const char *api_web_dir(void);

/* org.c */
int api_org_load(struct api_ctx *ctx, const char *path, struct sigm_error *err);
void api_org_free(struct api_ctx *ctx);
bool api_org_has_unit(struct api_ctx *ctx, const char *code);
const char *api_org_unit_name(struct api_ctx *ctx, const char *code);

/* metrics.c */
struct api_metrics *api_metrics_new(int nroutes);
void api_metrics_free(struct api_metrics *m);
void api_metrics_observe(struct api_metrics *m, int route, int status,
			 uint64_t us);
char *api_metrics_render(struct api_ctx *ctx, size_t *len);

/* auth.c */
int auth_hash_password(const char *password, char out[128],
		       struct sigm_error *err);
bool auth_verify_password(const char *hash, const char *password);
/* SIGM_TEST_FAST_PASSWORDS=1 makes password hashes argon2id's minimum
 * cost, for the test suites (some 800 users created and logged in per
 * run: more than half the API suite's CPU was hashing).  Honoured only for
 * a server listening on loopback: elsewhere it is an error (not_loopback),
 * and the server does not start.  *on tells whether it took effect.  A
 * hash made so is made again at full cost at the user's next login on a
 * server without it.  Call once, before serving. */
int auth_test_kdf(const char *listen, bool *on, struct sigm_error *err);
int auth_check_password_policy(const char *username, const char *password,
			       const char *field, struct sigm_error *err);
/* A user name as the API and the CLI accept it: 2 to 32 of a-z, 0-9, «.»,
 * «_», «-» (it is typed at sign-in and shown in the audit).  0, or
 * SIGM_EINVAL (invalid_username on field). */
int auth_check_username(const char *username, const char *field, struct sigm_error *err);
int auth_authenticate(struct api_req *req, struct api_resp *resp);
/* Whether /metrics is open to this caller without signing in (metrics.c). */
bool api_metrics_open_to(const struct api_req *req);

/* in as text a LIKE pattern matches literally on both engines, with
 * ESCAPE '!' (PostgreSQL's default escape, the backslash, may be in the
 * text): '!', '%' and '_' escaped.  out has room for cap bytes; a text too
 * long for it is cut. */
void api_like_escape(const char *in, char *out, size_t cap);
/* Forget the API tokens validated in the last second: call after a change
 * to a user's status, roles or details. */
void auth_forget(void);
/* Creates an API token for a user, prints nothing: token_out gets the
 * secret (shown once). */
int auth_token_create(struct store *s, const char *username,
		      const char *label, char token_out[80],
		      struct sigm_error *err);
/* Ensures the first admin exists on an empty database: password from
 * SIGM_ADMIN_PASSWORD or a random one written to *generated (else ""). */
int auth_bootstrap_admin(struct api_ctx *ctx, char generated[64],
			 struct sigm_error *err);

#endif
