/*
 * apis.h - receiving APIS (PAXLST) interchanges: the one ingest path shared
 * by POST /api/v1/apis/manifests and the spool directory.  See apis_api.c.
 */
#ifndef SIGM_APIS_H
#define SIGM_APIS_H

#include "api/api.h"

/* What arrived; everything borrowed from the caller for the call. */
struct apis_submission {
	const char *body;      /* raw bytes, as received */
	size_t len;
	const char *source;    /* "api" or "spool" */
	const char *actor;     /* who, for the record and the audit */
	const char *remote;    /* may be NULL */
	const char *file_name; /* spool file, may be NULL */
	const char *carrier;   /* IATA code the sender may use; NULL = any */
	const char *format;    /* "paxlst" (NULL), "json", "csv" */
	struct api_ctx *screen; /* non-NULL: screen the manifests in the
				   ingest's own write (apis_screen_tx) */
};

/* The raw bytes as stored: base64 and SHA-256 (hex). */
struct apis_raw {
	char *b64; /* malloc'd */
	char sha[65];
};
int apis_raw_encode(const char *body, size_t len, struct apis_raw *raw,
		    struct sigm_error *err);

/* Keeps one received interchange or passenger list, good or bad. */
int apis_interchange_insert(struct store_tx *tx,
			    const struct apis_submission *s,
			    const struct apis_raw *raw, bool accept,
			    const char *errors_json, const char *warnings_json,
			    const char *sender, const char *reference,
			    const char *now, int64_t *id, struct sigm_error *err);

/* One manifest (an airline's PAXLST message or a bus/cruise list), all
 * borrowed.  function: "original", "replace" or "cancel"; mode "air" (NULL),
 * "land", "sea". */
struct apis_manifest_row {
	const char *message_ref, *carrier, *flight, *day, *list_type;
	const char *dep_port, *dep_time, *arr_port, *arr_time, *function;
	const char *mode, *direction, *vehicle, *company;
	int passengers, crew;
};

/* Stores m as the current version of its flight (or vehicle and trip):
 * the previous current one, if any (*prev), becomes replaced, or cancelled
 * when m is a cancellation.  *mid: the new row.  Persons are the
 * caller's. */
int apis_manifest_put(struct store_tx *tx, int64_t interchange_id,
		      const struct apis_manifest_row *m, const char *now,
		      int64_t *mid, int64_t *prev, struct sigm_error *err);

/* The answer's entry for one stored manifest ("action": created, replaced,
 * cancelled, nothing_to_cancel) - what apis_after_ingest() reads. */
json_t *apis_manifest_action(int64_t mid, int64_t prev, const char *function,
			     const char *carrier, const char *flight,
			     const char *day, const char *list_type,
			     int passengers, int crew);

/* The code (and kind: airline, bus, cruise) tied to a carrier account;
 * "" when none.  kind may be NULL. */
int apis_carrier_of(struct store *s, const char *user, char out[16],
		    char kind[16], struct sigm_error *err);

struct apis_result {
	int64_t id;     /* apis_interchanges.id */
	bool accepted;  /* manifests ingested */
	bool unusable;  /* not EDIFACT at all */
	bool forbidden; /* flights of another carrier */
	json_t *body;   /* {"id","status","sha256","manifests","errors",
			   "warnings"}; caller owns it */
};

/*
 * Parses and stores one interchange in one transaction: always the raw
 * bytes and the diagnostics; the manifests and their persons only when
 * there is no error.  Returns 0 when stored (accepted or not: see res), or
 * a negative SIGM_E* when nothing could be stored.
 */
int apis_ingest(struct store *store, const struct apis_submission *sub,
		struct apis_result *res, struct sigm_error *err);

/*
 * Screens a stored, current manifest (apis_screen.c): every person against
 * the screening index, the lost/stolen registry and the nationality rules;
 * stores the hits (a re-screen keeps reviewed hits it finds again) and
 * audits it.  *summary (new reference) counts the hits by severity.
 * SIGM_ENOTFOUND, SIGM_ECONFLICT (not the current version) or a store error.
 */
int apis_screen_manifest(struct api_ctx *ctx, int64_t mid, const char *actor,
			 const char *remote, json_t **summary,
			 struct sigm_error *err);

/*
 * Screening inside the ingest's write, so that a manifest and its hits
 * take one transaction and one fsync.  apis_prescreen_parsed() runs the
 * index queries of every person of ix (borrowed: it must outlive *ps)
 * before the write, on two threads, from the parsed values; inside the
 * write, once message msg is stored as manifest mid with its persons,
 * apis_screen_tx() adds the exact lost/stolen check and the nationality
 * rules and stores the hits, the manifest's screened_at and the audit
 * entry as apis_screen_manifest() does, in a savepoint: a failure of the
 * screening rolls back the screening alone, and *summary (new reference)
 * is then {"error", "message"} instead of the counts.  Returns non-zero
 * only when the transaction itself is unusable (the savepoint could not be
 * set or rolled back); the caller then stores the manifest without it.
 */
/*
 * A traveler's travel document among the DOC groups of a PAXLST person:
 * the first whose type is a travel or identity document (passport, ID
 * card, residence card...), not a visa.  PAXLST fixes no order for the
 * DOCs: airlines send a passport and then its visa (DOC+V), and some the
 * visa first, whose number the booth's passport never matches.  A visa is
 * a type whose first letter is V (V, VI, VS...: the ICAO document code of
 * a machine-readable visa and the PAXLST code 1001 "V").  When no DOC
 * qualifies (only visas, or no type) it is the first, as before
 * (2026-12-07).  Returns the index in p->docs, or -1 without any DOC.
 * The other DOCs are the traveler's other documents
 * (apis_person_documents), screened too.
 */
struct paxlst_person;
bool apis_doc_is_visa(const char *type);
int apis_travel_doc(const struct paxlst_person *p);

struct apis_prescreen;
struct paxlst_interchange;
int apis_prescreen_parsed(struct api_ctx *ctx,
			  const struct paxlst_interchange *ix,
			  struct apis_prescreen **ps, struct sigm_error *err);
int apis_screen_tx(struct store_tx *tx, struct apis_prescreen *ps,
		   unsigned msg, int64_t mid, const char *actor,
		   const char *remote, json_t **summary,
		   struct sigm_error *err);
void apis_prescreen_free(struct apis_prescreen **ps);

/* Screens the manifests an ingest created, replaced or joined a part to
 * (once each; the "manifests" of
 * struct apis_result's body) and adds "screening" to each, but for those
 * that already have one (screened in the write); a failure is logged and
 * reported there, the manifest stays stored. */
void apis_screen_ingested(struct api_ctx *ctx, json_t *manifests,
			  const char *actor, const char *remote);

/*
 * Who a manifest's arrivals (apis_arrivals, of manifest m: a column or a
 * parameter) are, counted as travelers: records a supervisor linked as one
 * person (API_LINKED) are one traveler, and an entry counts once however
 * many times the booth inspected its traveler.  The reconciliation and the
 * post's lists count with these, so they agree.
 *
 * APIS_ARRIVED(m, cond): the travelers inspected as on the list, cond
 * narrowing the entries (apis_persons p: "1 = 1", "p.role = 'crew'").
 * A traveler inspected as two entries (the list carried them twice, once
 * per passport) is one.
 */
#define APIS_TRAVELER_OF_ARRIVAL "COALESCE(" API_TRAVELER("i.person_id") ", -a.apis_person_id)"
#define APIS_ARRIVED(m, cond)                                                                   \
	"(SELECT COUNT(DISTINCT " APIS_TRAVELER_OF_ARRIVAL ") FROM apis_arrivals a"                 \
	" JOIN apis_persons p ON p.id = a.apis_person_id JOIN inspections i ON i.id = a.inspection_id" \
	" WHERE a.manifest_id = " m " AND " cond ")"
/* The condition on an arrival a (inspection i) not on the list: and its
 * traveler was not inspected as on it either (the secondary read their
 * other passport, the admission this one, which the list carries): such a
 * traveler is on the list, however they were read once.
 * Asked from the traveler's records to their inspections (by person) and
 * their arrivals (by inspection), once per arrival not on the list:
 * asked from the manifest's arrivals, the linked records were walked again
 * for every arrival of the list, and a cruise of 600 inspected whose
 * second part never came (400 inspected without being on what it sent)
 * took 1.0 s (bench/apis-lists).  CROSS JOIN keeps SQLite in that order
 * (a plain JOIN chose the manifest's arrivals first); PostgreSQL plans it
 * as a join all the same. */
#define APIS_UNLISTED_ARRIVAL                                                                   \
	"a.apis_person_id IS NULL AND NOT EXISTS (SELECT 1 FROM " API_LINKED("i.person_id") " g"    \
	" CROSS JOIN inspections oi CROSS JOIN apis_arrivals o WHERE oi.person_id = g.id"           \
	" AND o.inspection_id = oi.id AND o.manifest_id = a.manifest_id"                            \
	" AND o.apis_person_id IS NOT NULL)"
/* APIS_UNLISTED(m): the travelers inspected for manifest m without being
 * on it, each once. */
#define APIS_UNLISTED(m)                                                                        \
	"(SELECT COUNT(DISTINCT " API_TRAVELER("i.person_id") ") FROM apis_arrivals a"             \
	" JOIN inspections i ON i.id = a.inspection_id WHERE a.manifest_id = " m                   \
	" AND " APIS_UNLISTED_ARRIVAL ")"

/* The APIS desk's view of a manifest or list: received, screened, arrived
 * (travelers inspected for it), reconciled (its day is over: the
 * reconciliation is final). */
/* The ?status= of the manifest lists (apis/manifests, prechequeo/lists):
 * a version's status (apis_api.c), or "all"; NULL-terminated. */
extern const char *const apis_list_statuses[];

const char *apis_stage(int64_t arrivals, const char *day, const char *today,
		       bool screened);

/* After an ingest committed: screens what it created or replaced
 * (apis_screen_ingested) and evaluates the carrier's compliance for the
 * days of those manifests (late lists); failures are logged. */
void apis_after_ingest(struct api_ctx *ctx, json_t *manifests,
		       const char *actor, const char *remote);

/*
 * Carrier compliance (compliance.c, issue 7 part 5): proposes fines in the
 * carrier fines register for the facts of one El Salvador day (late,
 * missing and inaccurate manifests, inadmissible passengers).  Idempotent:
 * a fact already proposed is not proposed again.  what: the causes to
 * look at (COMPLIANCE_*).  *proposed (may be NULL) counts the new
 * proposals.
 */
enum {
	COMPLIANCE_LATE = 1,
	COMPLIANCE_MISSING = 2,
	COMPLIANCE_INACCURATE = 4,
	COMPLIANCE_INADMISSIBLE = 8,
	COMPLIANCE_ALL = 15
};
int compliance_evaluate_day(struct api_ctx *ctx, const char *day,
			    unsigned what, const char *actor, const char *remote,
			    int *proposed, struct sigm_error *err);

/* The fine for an inaccurate manifest (not cancelled) that already charges
 * the traveler of `inspection` on the flight the booth linked it to, under
 * another of their inspections for that flight (the first found is
 * proposed, eval_inaccurate): rows id, carrier; none when there is no such
 * fine or the inspection is linked to no manifest.  Caller frees *out. */
int compliance_traveler_fined(struct store_tx *tx, int64_t inspection,
			      struct store_rows **out, struct sigm_error *err);

/* The same after a request's own write committed: a failure is logged
 * (the request stands), so are new proposals.  Returns how many. */
int compliance_evaluate_logged(struct api_ctx *ctx, const char *day,
			       unsigned what, const char *actor,
			       const char *remote);

/* Evaluates yesterday and today every SIGM_COMPLIANCE_MINUTES (default
 * 15; 0 = off, then NULL).  stop joins the thread and sets *t to NULL. */
struct compliance_timer;
struct compliance_timer *compliance_timer_start(struct api_ctx *ctx);
void compliance_timer_stop(struct compliance_timer **t);

/* A transport as typed at the booth folded to the key a manifest's flight
 * or a list's vehicle is stored under: letters and digits, upper case,
 * spaces, dots and hyphens dropped.  false (out = "") when it has other
 * characters or more than cap - 1. */
bool apis_transport_key(const char *transport, char *out, size_t cap);
#define APIS_VEHICLE_KEY 25 /* a key's size: 24 characters and the NUL */

/* The same key for a transport typed at the booth in Spanish: a letter
 * of Latin-1 with an accent, a tilde or a diaeresis (UTF-8) counts as its
 * base letter, so that «Crucero Río Lempa» finds the list a cruise line
 * sent as «Crucero Rio Lempa» (a list's vehicle has no accents).  Any
 * other character outside ASCII: false, as apis_transport_key. */
bool apis_booth_transport_key(const char *transport, char *out, size_t cap);

/* One entry of a day's "missing" list (the flights' and the posts' lists):
 * row i of r, a carrier_fines row with its fine_id and, in column ev_col,
 * the proposal's evidence, which becomes "inspections" (how many) and
 * "direction" (when it names one); "stage" is "missing".  The caller owns
 * the object. */
json_t *apis_missing_entry(struct store_rows *r, int i, int ev_col);

/*
 * At the booth (part 4): the manifest of the traveler's declared flight.
 * Filled by apis_booth_lookup(); manifest_id 0 when the flight (transport,
 * "TA 101" or "TA101", today or yesterday) has no current manifest.
 */
struct apis_booth {
	int64_t manifest_id;
	int64_t apis_person_id;  /* 0: not on the manifest */
	bool secondary;          /* a hit of theirs marked secondary */
	char record[40];         /* "apis_hit:ID" / "apis_manifest:ID" */
	char note[1024];
	json_t *json;            /* the "apis" object of the response (owned) */
};

/* A failure is returned; the caller treats it as a check that failed to
 * run. transport may be NULL (then nothing is looked up).  port (a
 * rules_port code) and direction ("entry"/"exit") are the booth's: only a
 * manifest or list for that post links - an air manifest whose arrival LOC
 * (departure LOC on exit) is the post's code or IATA code, a bus or ship
 * list of that post and direction; the same flight number at another
 * airport is another flight. */
int apis_booth_lookup(struct api_ctx *ctx, const char *transport,
		      const char *port, const char *direction,
		      const char *doc_number, const char *surnames,
		      const char *given_names, const char *birth_date,
		      struct apis_booth *b, struct sigm_error *err);

/* Records the arrival against the manifest, in the inspection's write. */
int apis_booth_record(struct store_tx *tx, const struct apis_booth *b,
		      int64_t inspection_id, const char *at,
		      struct sigm_error *err);

/*
 * The spool directory watched by `sigm serve` (apis_spool.c): started when
 * SIGM_APIS_SPOOL names a directory, else returns NULL (also on failure,
 * which is logged).  stop joins the thread and sets *sp to NULL.
 */
struct apis_spool;
struct apis_spool *apis_spool_start(struct api_ctx *ctx);
void apis_spool_stop(struct apis_spool **sp);

/*
 * The "parts" object of a split list (apis_api.c), null-free: {access_ref
 * (omitted when none), received ("1,3", as stored), final (the number of
 * the part marked last, i.e. how many parts are expected; null until it
 * arrives), complete, missing ([2] - the numbers not received up to final,
 * or up to the highest received while final is unknown)}.  New reference.
 */
json_t *apis_parts_json(const char *ref, const char *received, int final,
			bool complete);

/* Scheduled arrivals of date (schedule_api.c) with no current manifest of
 * that carrier and flight (departing that day or the day before): each
 * {id, carrier, flight, port, origin, arrival, stage}, stage "expected"
 * before the arrival time (El Salvador), "overdue" after it.  *out is a
 * new reference. */
int apis_schedule_expected(struct api_ctx *ctx, const char *date,
			   json_t **out, struct sigm_error *err);

#endif
