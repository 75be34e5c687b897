/*
 * rules.h - the primary-inspection decision of border control (issue 5):
 * everything the caller gathered about one traveler at one post goes in,
 * admit / secondary / refuse comes out with every reason in plain Spanish.
 *
 * Pure: no I/O, no clock, no globals.  The reference data (posts,
 * nationality categories, permitted stays, fines) arrive as a struct
 * rules_tables that src/api/rules_load.c builds from the JSON files of data/border/;
 * "today" is an input.  The same input always gives the same decision,
 * which is what lets the decision be replayed from the ledger.
 *
 * Decision: every reason has a severity; the decision is the most severe
 * one (refuse > secondary > admit; info and warning do not move it).  The
 * reason codes are stable English strings, documented with their Spanish
 * message, decision and legal basis in docs/border-rules.md.
 *
 * Safety: a check that could not run (input.checks_failed) always yields
 * `check_failed` at secondary; and when rules_inspect itself fails, *out
 * still says secondary with `check_failed`, so a caller that ignores the
 * return code cannot admit anybody by accident.
 *
 * Ownership: the caller owns the input and every string it points to for
 * the duration of the call; *out is a self-contained value (fixed buffers,
 * no pointers into the input).
 */
#ifndef SIGM_RULES_H
#define SIGM_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/err.h"
#include "core/mrz.h"

/* ------------------------------------------------------------------ */
/* Reference tables                                                    */
/* ------------------------------------------------------------------ */

/* Hard caps: the tables are fixed-size so that loading is one calloc and
 * a bad data file cannot make the server allocate without bound. */
#define RULES_MAX_PORTS 64
#define RULES_MAX_NATIONALITIES 512 /* rows, history included */
#define RULES_MAX_CA4 8
#define RULES_MAX_STAYS 32
#define RULES_MAX_FINES 16

enum rules_port_kind { RULES_PORT_AIR = 1, RULES_PORT_LAND, RULES_PORT_SEA };

struct rules_port {
	char code[12];      /* stable uppercase code, e.g. "SAL", "HAC" */
	char iata[4];       /* an airport's IATA code (APIS LOC), or "" */
	char name[128];     /* Spanish name of the post */
	enum rules_port_kind kind;
	char neighbour[4];  /* alpha-3 of the state across a land post, or "" */
	bool active;
};

/* Visa categories of the CA-4 harmonised list (Anexo I). */
enum rules_visa_cat {
	RULES_CAT_UNKNOWN = 0, /* not established: officer decides */
	RULES_CAT_A,           /* exento de visa */
	RULES_CAT_B,           /* visa consular (sin consulta) */
	RULES_CAT_C,           /* visa consultada: DGME approval first */
};

/* One effective-dated row: nationality `code` is in `cat` from
 * `effective_from` to `effective_to` inclusive (CAL_NONE = open). */
struct rules_nationality {
	char code[4];
	enum rules_visa_cat cat;
	int32_t effective_from;
	int32_t effective_to;
};

/* Who a stay row applies to. */
enum rules_stay_who {
	RULES_STAY_CA4 = 1, /* nationals of the other CA-4 states */
	RULES_STAY_CAT_A,
	RULES_STAY_CAT_B,
	RULES_STAY_CAT_C,
};

struct rules_stay {
	enum rules_stay_who who;
	int days;           /* permitted stay granted on entry */
	int32_t effective_from;
	int32_t effective_to;
};

/* The overstay fine.  known=false: the amount is not in the data and is
 * set per resolution (the message says so instead of inventing one). */
struct rules_fine {
	bool known;
	int64_t fixed_cents;    /* charged once when there is an overstay */
	int64_t per_day_cents;  /* times the days over */
	int64_t max_cents;      /* 0 = no cap */
	char basis[160];        /* legal basis, Spanish, for the message */
	int32_t effective_from;
	int32_t effective_to;
};

struct rules_tables {
	size_t n_ports;
	struct rules_port ports[RULES_MAX_PORTS];

	size_t n_ca4;
	char ca4[RULES_MAX_CA4][4]; /* CA-4 members, alpha-3 */
	char home[4];               /* the inspecting state: "SLV" */

	size_t n_nationalities;
	struct rules_nationality nationalities[RULES_MAX_NATIONALITIES];

	size_t n_stays;
	struct rules_stay stays[RULES_MAX_STAYS];

	size_t n_fines;
	struct rules_fine fines[RULES_MAX_FINES];

	/* Foreign passports must still be valid this many months after
	 * the day of entry (0 = rule off). */
	int min_passport_validity_months;
};

/* The post with this code, or NULL. */
const struct rules_port *rules_port_find(const struct rules_tables *t,
					 const char *code);

/* The category of nationality on `day`, RULES_CAT_UNKNOWN when no row. */
enum rules_visa_cat rules_category(const struct rules_tables *t,
				   const char *nationality, int32_t day);

bool rules_is_ca4(const struct rules_tables *t, const char *nationality);

/* Permitted stay in days for `who` on `day`, or -1 when no row. */
int rules_stay_days(const struct rules_tables *t, enum rules_stay_who who,
		    int32_t day);

/* The stay the tables give a traveler of `nationality` entering on `day`,
 * as the overstay rule counts it when an entry has none on record: days,
 * 0 for the home state's nationals (no limit), -1 when no row, no
 * nationality or no tables. */
int rules_default_stay(const struct rules_tables *t, const char *nationality,
		       int32_t day);

/* The overstay fine of days_over days counted on `day` (the exit's): the
 * row of fines.json in force that day in *row (NULL if none), and its
 * amount in cents, capped by its maximum; -1 when no amount is
 * established ("según resolución").  One formula for the booth and for a
 * supervisor's admission. */
int64_t rules_overstay_fine(const struct rules_tables *t, int32_t day,
			    int days_over, const struct rules_fine **row);

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

/* Caps on the lists of one inspection (over them: SIGM_ETOOBIG). */
#define RULES_MAX_HITS 64
#define RULES_MAX_RESTRICTIONS 32
#define RULES_MAX_PERMITS 16
#define RULES_MAX_COMPANIONS 16
#define RULES_MAX_AUTHS 16
#define RULES_MAX_REASONS 32

enum rules_direction { RULES_ENTRY = 1, RULES_EXIT };

enum rules_doc_kind {
	RULES_DOC_PASSPORT = 1,
	RULES_DOC_ID_CARD,          /* DUI, DPI, DNI, cédula */
	RULES_DOC_RESIDENCE_CARNET, /* carné de residente */
	RULES_DOC_VISA,
	RULES_DOC_OTHER,
	/* none shown (a stowaway, a returnee without papers): never admitted
	 * at the booth, identified in secondary */
	RULES_DOC_NONE,
};

/* A bit per check the caller could not run.  Any bit set: at least
 * secondary with `check_failed`. */
enum rules_check {
	RULES_CHECK_SCREENING = 1u << 0,    /* watchlist index */
	RULES_CHECK_RESTRICTIONS = 1u << 1, /* court restrictions */
	RULES_CHECK_LOST_STOLEN = 1u << 2,
	RULES_CHECK_LEDGER = 1u << 3,       /* last movement / current stay */
	RULES_CHECK_AUTHORIZATIONS = 1u << 4, /* LEPINA registry */
	RULES_CHECK_VISA = 1u << 5,         /* visas, visa consultada */
	RULES_CHECK_RESIDENCE = 1u << 6,    /* residents' registry */
	RULES_CHECK_DATABASE = 1u << 7,     /* any other storage failure */
	RULES_CHECK_MRZ = 1u << 8,          /* MRZ engine failed (not: invalid) */
	RULES_CHECK_OTHER = 1u << 9,
};

struct rules_document {
	enum rules_doc_kind kind;
	const char *code;           /* MRZ document code ("P", "ID", "I<"...) */
	const char *number;
	const char *issuing_state;  /* alpha-3 */
	const char *nationality;    /* alpha-3 as printed on the document */
	int32_t expiry;             /* CAL_NONE: none given */
	bool mrz_present;
	bool mrz_valid;
	const char *mrz_errors;     /* the MRZ engine's error codes, joined */
	bool issuing_state_known;   /* the caller's ICAO code list has it */
	bool lost_stolen;           /* exact match on the lost/stolen list */
	const char *lost_stolen_record;
	/* the report: "lost", "stolen" or "invalidated" (NULL: unknown),
	 * the day it was made (CAL_NONE: unknown) and by whom */
	const char *lost_stolen_reason;
	int32_t lost_stolen_day;
	const char *lost_stolen_source;
	/* the document is on file under a holder whose surnames or birth
	 * date are not the traveler's (persons_same_holder): who that is,
	 * as the officer reads it, and the record; NULL when it agrees */
	const char *holder_differs;
	const char *holder_record;
	/* when the number on file under that holder is not the document's
	 * but the national one shown beside it (a DUI beside a passport), as
	 * shown: the message names it, not the passport, which is nobody's */
	const char *holder_national;
};

struct rules_person {
	struct cal_date birth;      /* full or partial; required */
	char sex;                   /* 'F', 'M', 'X' or 0 */
	const char *nationality;    /* alpha-3; "" -> the document's */
	int32_t carnet_valid_until; /* residence carnet, CAL_NONE if none */
	const char *carnet_record;
	/* the Salvadoran document (DUI) shown beside a foreign one, by a
	 * traveler who declares El Salvador's nationality; NULL if none */
	const char *national_document;
};

enum rules_hit_cat {
	RULES_HIT_ALERT = 1,
	RULES_HIT_WANTED,
	RULES_HIT_RESTRICTION,
	RULES_HIT_LOST_STOLEN,
	RULES_HIT_OTHER,
};

enum rules_alert_sub {
	RULES_ALERT_NONE = 0,
	RULES_ALERT_INTERPOL,
	RULES_ALERT_ARREST_WARRANT,
	RULES_ALERT_MISSING_PERSON, /* missing person or child */
	RULES_ALERT_TRAFFICKING_VICTIM,
	RULES_ALERT_REENTRY_BAN,    /* expelled/deported, until a date */
	RULES_ALERT_OTHER,
};

struct rules_hit {
	enum rules_hit_cat category;
	enum rules_alert_sub sub;
	double score, threshold;    /* counts when score >= threshold */
	const char *record;
	const char *explanation;    /* the screening engine's words */
	int32_t until;              /* re-entry ban end, CAL_NONE = indefinite */
	/* the registry matched it (name and birth date as written, or the
	 * document): said as such, not as a score on the index's scale */
	bool exact;
	/* what the record tells the officer to do (an alert's
	 * instructions, a court order's court and case): NULL if none */
	const char *instructions;
};

enum rules_measure { RULES_MEASURE_EXIT_BAN = 1, RULES_MEASURE_OTHER };

struct rules_permit {
	int32_t from, to;           /* inclusive */
	const char *destination;    /* alpha-3 or "" */
	const char *record;
};

struct rules_restriction {
	const char *record;
	enum rules_measure measure;
	int32_t effective_from;
	int32_t effective_to;       /* CAL_NONE: until lifted */
	bool lifted;
	size_t n_permits;
	const struct rules_permit *permits;
	/* the permits could not be read: without one covering today the
	 * exit goes to secondary, not refused on a permit the registry may
	 * hold (the caller also sets its check in checks_failed) */
	bool permits_unknown;
	/* who ordered it, for the traveler who asks: NULL if not known */
	const char *court, *case_number;
};

enum rules_relation {
	RULES_REL_PARENT = 1,
	RULES_REL_GUARDIAN,         /* legal guardian / representante legal */
	RULES_REL_OTHER,
};

struct rules_companion {
	enum rules_relation relation;
	bool identity_checked;      /* their document was inspected now */
	const char *name;
	const char *document_number;
};

enum rules_authorizer {
	RULES_AUTH_NOTARY = 1,
	RULES_AUTH_PGR,
	RULES_AUTH_COURT,
};

/* A registered LEPINA Art. 44 authorization for this minor. */
struct rules_authorization {
	const char *record;
	enum rules_authorizer by;
	int32_t valid_from, valid_to; /* inclusive */
	const char *companion_name;
	const char *companion_document; /* "" = travels alone */
	const char *destination;        /* alpha-3 or "" */
};

struct rules_visa {
	bool held;
	const char *type;           /* "consular", "consultada" or "otra" (the API refuses any other); the rules do not read it */
	int32_t valid_until;
	const char *record;
};

struct rules_consultada {
	bool present;
	bool approved;
	int32_t valid_until;        /* CAL_NONE: not stated, not valid */
	const char *record;
};

struct rules_ledger {
	bool has_last;              /* false: no movement on record */
	enum rules_direction last_direction;
	int32_t last_date;
	const char *last_port;
	const char *last_record;
	/* Current stay (meaningful when the last movement is an entry). */
	int32_t stay_entry;         /* CAL_NONE: unknown */
	int stay_days;              /* granted on entry; -1: from the tables */
	/* The entry was on a residence carnet (valid, or expired and let in
	 * by a supervisor), or referred to Atención al Migrante: that stay
	 * has no term, and none of the tables' is put on it. */
	bool stay_open;
	/* Prórrogas granted since, on top of stay_days.  The server passes 0:
	 * its presence row already keeps the extended last day, which it
	 * gives as stay_days (inspections_api.c, stay_api.c). */
	int extension_days;
	/* Fines of the person left unpaid (an overstayer let go without
	 * paying): how many, and the oldest ("traveler_fine:ID"). */
	int fines_pending;
	const char *fine_record;
	/* The person's latest refusal of entry (an inadmission recorded by a
	 * supervisor) of the last RULES_INADMISSION_DAYS days: day CAL_NONE
	 * if none.  A traveler turned back at the airport who shows up at a
	 * land post an hour later was inspected as anyone else. */
	int32_t inadmission_day;
	const char *inadmission_port;
	const char *inadmission_ground;
	const char *inadmission_record;
	/* The person's case left pending in secondary at another post, in
	 * the same direction, in the last RULES_PENDING_CASE_HOURS hours
	 * (record NULL if none): the traveler did not wait for the
	 * supervisor there, and tries here.  Its local day and "HH:MM". */
	const char *pending_case_record;
	const char *pending_case_port;
	int32_t pending_case_day;
	const char *pending_case_time;
};

/* The same document number, the punctuation that groups it aside
 * (04000001-6 and 040000016; case aside): how a companion's number, or a
 * registry's, is compared.  False when either has no letter or digit. */
bool rules_same_docno(const char *a, const char *b);
/* The one rule for a document number taken from outside (the booth's
 * document and carnet, a companion's, the registries' subjects, a
 * lost/stolen report, a parent's, a prechequeo list, the searches): the
 * number as the records keep it (letters upper-cased, the spaces, hyphens,
 * dots and slashes that group it dropped: "01234567-8" is "012345678"),
 * RULES_DOCNO_MIN to RULES_DOCNO_MAX letters or digits.  Shorter named nobody a booth would ever read ("A",
 * "-"); longer is no document of ICAO's or of the registries.
 *
 * s is the text as received (NULL or blank is "no number": an error, the
 * caller decides first whether the number may be absent).  field names the
 * field in err (its path, "minor.document_number"); what is how the
 * message calls the number (NULL: "número de documento").  On success
 * returns 0 with the number in out; otherwise SIGM_EINVAL, out empty and
 * err {code "invalid_document_number", field, a message naming the field
 * and saying why}. */
#define RULES_DOCNO_MIN 4
#define RULES_DOCNO_MAX 20
int rules_docno_read(const char *s, const char *field, const char *what,
		     char out[static RULES_DOCNO_MAX + 1], struct sigm_error *err);

/* Cuts s before a UTF-8 character left incomplete at its end (text
 * written by snprintf into a buffer too small): half a character made
 * the whole reason no JSON string, and it was dropped. */
void rules_cut_whole(char *s);

#define RULES_INADMISSION_DAYS 30
#define RULES_PENDING_CASE_HOURS 24

/* APIS (issue 7): what the manifest of the traveler's declared flight
 * says.  Set by the caller only when that flight has a current manifest. */
struct rules_apis {
	bool manifest;           /* the declared flight has a received manifest */
	bool on_manifest;        /* the traveler is on it */
	bool secondary;          /* the APIS desk sent a hit of theirs to secondary */
	const char *record;      /* "apis_hit:ID" or "apis_manifest:ID" */
	const char *note;        /* the desk's note, or NULL */
};

struct rules_input {
	int32_t today;
	enum rules_direction direction;
	const char *port;           /* rules_port code */
	/* The state at the other end: destination on exit, origin on entry
	 * (alpha-3 or ""); for land posts the neighbour when "". */
	const char *route_country;

	struct rules_document doc;
	struct rules_person person;

	size_t n_hits;
	const struct rules_hit *hits;
	size_t n_restrictions;
	const struct rules_restriction *restrictions;

	bool companions_listed;     /* the caller asked; required for minors */
	size_t n_companions;
	const struct rules_companion *companions;
	size_t n_auths;
	const struct rules_authorization *auths;

	struct rules_visa visa;
	struct rules_consultada consultada;
	struct rules_ledger ledger;

	unsigned checks_failed;     /* enum rules_check bits */
	const char *check_detail;   /* what failed, for the officer */

	struct rules_apis apis;

	/* Names of countries for the messages ("Cuba (CUB)"); NULL: the
	 * codes alone. */
	const struct mrz_countries *countries;
};

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

enum rules_outcome { RULES_ADMIT = 0, RULES_SECONDARY, RULES_REFUSE };

enum rules_severity {
	RULES_SEV_INFO = 0,   /* recorded, decision unchanged */
	RULES_SEV_WARNING,    /* shown prominently, decision unchanged */
	RULES_SEV_SECONDARY,  /* to secondary inspection */
	RULES_SEV_REFUSE,     /* refusal (inadmission / exit not allowed) */
};

struct rules_reason {
	char code[40];
	/* Spanish, plain, for the officer; room for an alert's instructions
	 * (up to 2,000 characters, alerts_api.c), which close the message:
	 * cut at 320 bytes, «NO PERMITIR LA SALIDA…» was lost */
	char message[2560];
	char record[64];      /* the record behind it, or "" */
	char detail[320];     /* e.g. the screening explanation, or "" */
	enum rules_severity severity;
};

struct rules_decision {
	enum rules_outcome decision;
	size_t n_reasons;
	bool reasons_truncated;     /* more than RULES_MAX_REASONS */
	struct rules_reason reasons[RULES_MAX_REASONS];

	/* Derived facts. */
	int age_min, age_max;       /* equal for a full birth date */
	bool minor;                 /* under 18 on the date (age_min < 18) */
	bool national;              /* Salvadoran (person or document) */
	bool ca4_national;          /* of another CA-4 state */
	bool resident;              /* valid residence carnet */
	enum rules_visa_cat category;
	int stay_days_granted;      /* entry: days granted; else 0 */
	int32_t stay_until;         /* entry: last permitted day; CAL_NONE */
	int overstay_days;          /* exit: days over; 0 if none */
	bool fine_applies;
	bool fine_known;            /* false: "según resolución" */
	int64_t fine_cents;
	char fine_basis[160];
};

/*
 * Decides one primary inspection.  t and in are read only.
 *
 * Returns 0 with *out filled, or:
 *   SIGM_EINVAL  bad input: unknown or inactive post (field "port"),
 *                direction, today missing, birth date missing or after
 *                today ("birth_date"), a minor without the companions list
 *                ("companions"), bad enum values (named field);
 *   SIGM_ETOOBIG more hits/restrictions/permits/companions/authorizations
 *                than the RULES_MAX_* caps.
 * On any error *out is still valid and says secondary with `check_failed`.
 */
int rules_inspect(const struct rules_tables *t, const struct rules_input *in,
		  struct rules_decision *out, struct sigm_error *err);

/* Stable names for JSON: "admit"/"secondary"/"refuse", "info"/"warning"/
 * "secondary"/"refuse", "air"/"land"/"sea", "A"/"B"/"C"/"unknown". */
const char *rules_outcome_name(enum rules_outcome o);
const char *rules_severity_name(enum rules_severity s);
const char *rules_port_kind_name(enum rules_port_kind k);
const char *rules_category_name(enum rules_visa_cat c);

/* Parsers of the same names and of the input enums; 0 when unknown:
 * "entry"/"exit"; "passport"/"id_card"/"residence_carnet"/"visa"/"other";
 * "alert"/"wanted"/"restriction"/"lost_stolen"/"other"; "interpol"/
 * "arrest_warrant"/"missing_person"/"missing_child"/"trafficking_victim"/
 * "reentry_ban"/"other"; "exit_ban"/other strings -> OTHER; "parent"/
 * "legal_guardian"/"other"; "notary"/"pgr"/"court". */
int rules_direction_parse(const char *s);
int rules_doc_kind_parse(const char *s);
int rules_hit_cat_parse(const char *s);
int rules_alert_sub_parse(const char *s);
int rules_measure_parse(const char *s);
int rules_relation_parse(const char *s);
int rules_authorizer_parse(const char *s);
int rules_port_kind_parse(const char *s);

#endif
