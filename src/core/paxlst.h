/*
 * paxlst.h - UN/EDIFACT PAXLST (API passenger and crew lists) as airlines
 * send them: versions D:02B and D:05B of the IATA/WCO/ICAO implementation
 * guide, with or without a UNA service string advice.
 *
 * Two layers, both pure (no I/O, no clock, no globals):
 *
 *   1. The segment reader (paxlst_una(), paxlst_next_segment()) turns bytes
 *      into segments in the manner of curl's strparse: it advances a
 *      `const char **` and writes into a caller-owned, fixed-size struct
 *      paxlst_segment.  It never allocates; every limit below is a hard cap
 *      on untrusted input.
 *   2. The interchange reader (paxlst_parse()) walks the segments through
 *      UNB/UNG/UNH...UNT/UNE/UNZ, builds the manifests (flight legs,
 *      passengers, crew, documents) and checks the control counts.
 *
 * Diagnostics.  Problems in the data never stop the reader: each becomes a
 * struct paxlst_diag naming the segment (its ordinal in the interchange,
 * UNB = 1; UNA is a service string advice, not a segment) and the element
 * ("DTM+1:2" = first data element, second component; "" = the segment as a
 * whole), in ix->errors or ix->warnings.
 *   - errors: data that is wrong or missing (a bad date, an unknown
 *     qualifier, a passenger without surnames, a truncated interchange, a
 *     flight already arrived).  The manifest is still built so that it can
 *     be kept and reported to the carrier, but it must not be ingested as
 *     good.
 *   - warnings: the manifest is complete and usable but the envelope does
 *     not add up: UNT/UNE/UNZ/CNT counts that differ from what was seen
 *     (common in real traffic: GTAS's own test messages do it), a message
 *     reference that differs from UNT's, data after UNZ, characters outside
 *     the declared character set.  "Report it, keep the manifest."  Also
 *     one traveler's DOC without a number ("missing_document_number" on
 *     DOC+2, an entirely empty DOC too) or with a number but no type
 *     ("missing_document_type" on DOC+1): the traveler is read with
 *     number or type "", and an error would refuse every other traveler
 *     of the list with them.
 *
 * Character sets: UNOC is read as ISO 8859-1 and converted to UTF-8;
 * UNOA, UNOB, UNOY and UNOW as UTF-8 (a superset of UNOA/UNOB); any other
 * gets a warning and is read as UTF-8.  Invalid UTF-8 and control characters become
 * U+FFFD and an error naming the element.  Line breaks (CR, LF) between or
 * inside segments are dropped: Type-B transport folds long lines.
 */
#ifndef SIGM_PAXLST_H
#define SIGM_PAXLST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Hard caps on untrusted input. */
#define PAXLST_MAX_INPUT (8u << 20) /* bytes of one interchange */
#define PAXLST_MAX_SEGMENTS 400000  /* segments in one interchange */
#define PAXLST_SEG_TEXT 2048        /* bytes of one segment's values */
#define PAXLST_MAX_ELEMS 40         /* data elements in one segment */
#define PAXLST_MAX_COMPS 80         /* components in one segment, all told */
#define PAXLST_MAX_MESSAGES 512     /* UNH..UNT in one interchange */
#define PAXLST_MAX_PERSONS 60000    /* passengers + crew, all messages */
#define PAXLST_MAX_LEGS 16          /* TDT groups in one message */
#define PAXLST_MAX_DOCS 4           /* DOC groups per person */
#define PAXLST_MAX_REFS 6           /* RFF kept per person */
#define PAXLST_MAX_DIAGS 400        /* errors (and warnings) kept */

/* ---- layer 1: segments ------------------------------------------------ */

/* The separators in force: from UNA, or the ISO 9735 level A defaults. */
struct paxlst_syntax {
	char comp;     /* component data element separator, default ':' */
	char elem;     /* data element separator, default '+' */
	char decimal;  /* decimal mark, default '.' */
	char release;  /* release character, default '?'; '\0' = none */
	char reserved; /* repetition separator (D05B) or ' ' */
	char term;     /* segment terminator, default '\'' */
	bool una;      /* true when read from a UNA */
	bool latin1;   /* values are ISO 8859-1 (UNOC): convert to UTF-8 */
};

/* One segment, unescaped.  Values are NUL-terminated strings in text[]. */
struct paxlst_segment {
	char tag[4];          /* "NAD" */
	bool tag_space;       /* the tag was followed by spaces ("UNG *...") */
	bool bad_chars;       /* invalid UTF-8 or control characters replaced */
	uint8_t bad_elem;     /* ... first in this element (1-based) */
	uint8_t bad_comp;     /* ... and component */
	size_t offset;        /* byte offset of the tag in the input */
	unsigned n_elems;     /* data elements after the tag */
	uint8_t elem_first[PAXLST_MAX_ELEMS]; /* index of first component */
	uint8_t elem_ncomp[PAXLST_MAX_ELEMS];
	unsigned n_comps;
	uint16_t comp_off[PAXLST_MAX_COMPS]; /* offset of each value in text */
	char text[PAXLST_SEG_TEXT];
};

/* ':' '+' '.' '?' ' ' '\'' */
void paxlst_syntax_default(struct paxlst_syntax *s);

/*
 * Skips leading white space and a UTF-8 byte order mark, then reads a UNA
 * service string advice if there is one, advancing *p past it.  Without UNA
 * *s gets the defaults.  Returns 0, or SIGM_EINVAL (code "invalid_una") when
 * the UNA is cut short or names a letter, digit, space or the same character
 * twice as a separator.
 */
int paxlst_una(const char **p, const char *end, struct paxlst_syntax *s,
	       struct sigm_error *err);

/*
 * Skips a Type-B (SITA/ARINC teletype) envelope before the interchange:
 * address and origin lines such as "QU SALAPXH" / ".HDQFMXX 251200" in
 * front of UNA or UNB, as gateways deliver APIS.  Only when the input does
 * not already start with UNA/UNB (after white space), the envelope is
 * printable ASCII lines, and UNA or UNB starts a line within the first
 * 4 KiB.  Returns the bytes skipped (0: nothing recognised, *p unchanged).
 */
size_t paxlst_skip_typeb(const char **p, const char *end);

/*
 * Reads the next segment at *p (white space before it is skipped) into seg.
 * Returns 1 with a segment, 0 at the end of the input (nothing but white
 * space left), or SIGM_EINVAL with err->code one of "invalid_tag",
 * "too_long", "too_many_elements", "truncated" (no terminator before the
 * end, or a release character as the last byte) and err->field the element
 * ("" for the tag).  After an error *p is past the faulty segment's
 * terminator (or at end), so the caller can go on; seg->tag and
 * seg->offset are still set when they could be read.
 */
int paxlst_next_segment(const char **p, const char *start, const char *end,
			const struct paxlst_syntax *s,
			struct paxlst_segment *seg, struct sigm_error *err);

/* Value of data element e, component c (both 1-based); "" when absent. */
const char *paxlst_seg_get(const struct paxlst_segment *seg, unsigned e,
			   unsigned c);

/* Components in data element e (1-based), 0 when absent. */
unsigned paxlst_seg_ncomp(const struct paxlst_segment *seg, unsigned e);

/* ---- layer 2: interchange ------------------------------------------------ */

/* A time as written: day number (CAL_NONE = none) and minute of day (-1 =
 * date only).  Local time of the airport; PAXLST carries no time zone. */
struct paxlst_time {
	int32_t day;
	int minute;
};

struct paxlst_document {
	char type[4];           /* DOC 1001: "P", "V", "I", "A", "C"... */
	char number[36];        /* DOC 1004 */
	char issuing_state[4];  /* LOC+91 */
	int32_t expiry;         /* DTM+36, CAL_NONE if absent */
	int32_t issued;         /* DTM+182 */
	unsigned segment;       /* the DOC segment */
};

struct paxlst_ref {
	char qualifier[4]; /* RFF 1153: "AVF" (PNR locator), "SEA" (seat)... */
	char value[36];
};

enum paxlst_role {
	PAXLST_PASSENGER = 0, /* NAD+FL, NAD+DDU (in transit) */
	PAXLST_CREW = 1,      /* NAD+FM, NAD+DDT (in transit) */
};

struct paxlst_person {
	enum paxlst_role role;
	char qualifier[4];        /* NAD 3035 as sent */
	unsigned segment;         /* the NAD segment */
	char surnames[72];        /* NAD C080 first component */
	char given_names[144];    /* the others, joined by spaces */
	char address[144];        /* street, city, region, postcode, country */
	char sex[2];              /* ATT+2: M, F, U or X; "" when absent */
	int32_t birth_date;       /* DTM+329 */
	char nationality[4];      /* NAT+2 */
	char residence[4];        /* LOC+174 */
	char birth_place[72];     /* LOC+180: code or free text */
	char embarkation[6];      /* LOC+178 */
	char disembarkation[6];   /* LOC+179 */
	char clearance[6];        /* LOC+22 */
	char function[8];         /* EMP (crew): "CR1"... */
	unsigned n_refs;
	struct paxlst_ref refs[PAXLST_MAX_REFS];
	unsigned n_docs;
	struct paxlst_document docs[PAXLST_MAX_DOCS];
};

struct paxlst_leg {
	char carrier[4];            /* TDT C040 3127, or the flight's prefix */
	char flight[18];            /* TDT 8028 */
	char dep_port[6];           /* LOC+125 (or first LOC+92) */
	char arr_port[6];           /* LOC+87 (or second LOC+92) */
	struct paxlst_time dep;     /* DTM+189 */
	struct paxlst_time arr;     /* DTM+232 */
	bool border;                /* has LOC+125/87: the leg that crosses */
	unsigned segment;           /* the TDT segment */
};

struct paxlst_message {
	char reference[16];        /* UNH 0062 */
	char version[8];           /* "D:05B" */
	char association[8];       /* "IATA" */
	char access_ref[36];       /* UNH 0068 common access reference: what
				      ties the parts of one list together */
	char sequence[8];          /* UNH 0070 part number, "" if none */
	char part_status[2];       /* UNH 0073: "C" more parts follow, "F" */
	char document[4];          /* BGM 1001: 745 passengers, 250 crew */
	char document_id[36];      /* BGM 1004 */
	char function[4];          /* BGM 1225: "1" cancellation, "5" replace,
				      "9" original; "" when absent */
	char reporting_party[72];  /* NAD+MS */
	char transaction_ref[36];  /* RFF+TN */
	unsigned n_legs;
	struct paxlst_leg legs[PAXLST_MAX_LEGS];
	int primary;               /* index of the leg reported as the flight,
				      -1 when there is none */
	struct paxlst_person *persons; /* n_persons, in order of the message */
	unsigned n_persons, cap_persons;
	unsigned n_passengers, n_crew;
	long cnt_passengers;       /* CNT+42, -1 when absent */
	long cnt_crew;             /* CNT+41, -1 when absent */
	long unt_declared;         /* UNT 0074, -1 when absent */
	unsigned unt_seen;         /* UNH..UNT inclusive */
	bool closed;               /* UNT was read */
	unsigned segment;          /* the UNH segment */
};

struct paxlst_diag {
	unsigned segment;   /* ordinal in the interchange, UNB = 1 */
	char tag[4];        /* segment tag, "" when unreadable */
	char element[12];   /* "DOC+2", "DTM+1:2", "" */
	char code[24];      /* stable English code */
	char message[200];  /* Spanish, for people */
};

struct paxlst_options {
	/* "Now" as a day number and minute of day, for "flight already
	 * arrived": CAL_NONE skips the check (the core has no clock). */
	int32_t now_day;
	int now_minute;
};

struct paxlst_interchange {
	struct paxlst_syntax syntax;
	char charset[5];          /* UNB 0001: "UNOA" */
	char syntax_version[2];   /* UNB 0002 */
	char sender[36];          /* UNB 0004 */
	char recipient[36];       /* UNB 0010 */
	char reference[16];       /* UNB 0020 */
	struct paxlst_time prepared; /* UNB S004 */
	unsigned n_groups;        /* UNG..UNE */
	long unz_declared;        /* UNZ 0036, -1 when absent */
	unsigned n_segments;      /* segments read, UNA not counted */
	unsigned n_messages, cap_messages;
	struct paxlst_message *messages;
	unsigned n_persons;       /* all messages */
	struct paxlst_diag *errors;   /* n_errors, allocated */
	struct paxlst_diag *warnings; /* n_warnings, allocated */
	unsigned n_errors, n_warnings, cap_errors, cap_warnings;
	bool diags_truncated;     /* more than PAXLST_MAX_DIAGS of either */
};

/* Options with no clock check. */
void paxlst_options_init(struct paxlst_options *opt);

/*
 * Reads the interchange in buf[0..len) (need not be NUL-terminated; the
 * caller keeps ownership).  ix is initialised here; its contents are owned
 * by ix and freed by paxlst_release(), which must be called whatever the
 * return (also on error: the diagnostics say what was wrong).
 *
 * Returns 0 when the input is an EDIFACT interchange with at least one
 * message: the manifests are built and any problems are in ix->errors /
 * ix->warnings.  Returns SIGM_EINVAL ("not_edifact": no UNB or UNH could be
 * found, or a bad UNA) or SIGM_ETOOBIG (over a PAXLST_MAX_* cap) when the
 * input is unusable, SIGM_ENOMEM when memory ran out.
 */
int paxlst_parse(const char *buf, size_t len, const struct paxlst_options *opt,
		 struct paxlst_interchange *ix, struct sigm_error *err);

/* Frees what paxlst_parse() allocated; ix may then be parsed into again. */
void paxlst_release(struct paxlst_interchange *ix);

/* The leg reported as "the flight" of m (NULL when m has no TDT). */
const struct paxlst_leg *paxlst_flight(const struct paxlst_message *m);

/* Writes "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD" (17 bytes with the NUL); ""
 * when t has no date. */
void paxlst_time_format(const struct paxlst_time *t, char buf[static 17]);

#endif
