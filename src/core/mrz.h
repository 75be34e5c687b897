/*
 * mrz.h - ICAO Doc 9303 machine-readable zones: read, validate, write.
 *
 * Formats: TD1 (3 x 30, ID cards), TD2 (2 x 36), TD3 (2 x 44, passports),
 * MRV-A (2 x 44) and MRV-B (2 x 36) visas.
 *
 * Reading is tolerant, the verdict strict.  mrz_parse() accepts what
 * document readers and people type (CR/LF or LF, surrounding spaces, lower
 * case, one missing final filler per line, the whole zone on one line) and
 * then checks every field and check digit.  It never corrects anything: a
 * check digit that fails is an error, and when one OCR confusion in a
 * numeric field (O/0, I/1, B/8, S/5, Z/2, G/6) would make it pass, the
 * change is reported as a suggestion beside the error.
 *
 * Dates: two-digit years are resolved against `today` (a day number, see
 * calendar.h): a birth date is never in the future, an expiry date is taken
 * in the 21st century unless that puts it more than 50 years ahead.  Unknown
 * parts ("<<") give a partial struct cal_date, not an error.
 *
 * Country codes are checked against ICAO's own codes (Doc 9303 Part 3 §5:
 * D, GBD..GBS, RKS, EUE, UNO/UNA/UNK, X.. organizations, XXA..XXX, UTO...),
 * built in, plus the ISO 3166-1 table the caller passes in (loaded outside
 * the core from Debian's iso-codes; the core does no I/O).
 *
 * Memory: nothing is allocated.  struct mrz_doc is a fixed-size value; its
 * issue messages are static strings.  Input over MRZ_INPUT_MAX bytes is
 * refused, so the work per call is bounded.
 */
#ifndef SIGM_MRZ_H
#define SIGM_MRZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/err.h"

#define MRZ_INPUT_MAX 1024   /* bytes of raw text for one document */
#define MRZ_LINE_MAX 44      /* longest line (TD3, MRV-A) */
#define MRZ_NAME_MAX 39      /* longest name field (TD3, MRV-A) */
#define MRZ_DOCNUM_MAX 24    /* 9 + the TD1 extension (at most 13) */
#define MRZ_OPT_MAX 16       /* longest optional data field (MRV-A) */
#define MRZ_MAX_ISSUES 24
#define MRZ_MAX_SUGGESTIONS 8

enum mrz_format {
	MRZ_UNKNOWN = 0,
	MRZ_TD1,
	MRZ_TD2,
	MRZ_TD3,
	MRZ_MRVA,
	MRZ_MRVB,
};

/* One finding.  code is stable English for programs ("check_digit_mismatch"),
 * field names the field ("birth_date", "composite", "line2"...), message is
 * Spanish for people.  All three are static strings. */
struct mrz_issue {
	const char *code;
	const char *field;
	const char *message;
};

/* A correction the officer may confirm: in `line` (1-based) at `position`
 * (1-based), `found` read where `suggested` makes field's check digit pass. */
struct mrz_suggestion {
	const char *field;
	int line;
	int position;
	char found;
	char suggested;
};

struct mrz_doc {
	enum mrz_format format;
	bool valid;			/* no errors (warnings do not count) */
	int nlines;
	char line[3][MRZ_LINE_MAX + 1]; /* the zone as read (normalized) */
	char document_code[3];		/* "P", "PO", "I", "ID", "V"... */
	char issuing_state[4];		/* "UTO", "D" (fillers dropped) */
	char surnames[MRZ_NAME_MAX + 1];    /* primary identifier */
	char given_names[MRZ_NAME_MAX + 1]; /* secondary identifier */
	bool name_truncated;		/* the name field ends in a letter */
	char document_number[MRZ_DOCNUM_MAX + 1];
	char nationality[4];
	struct cal_date birth;		/* prec NONE when wholly unknown */
	char sex;			/* 'F', 'M' or 'X' ('<', unspecified); 0 invalid */
	struct cal_date expiry;
	char optional_data[MRZ_OPT_MAX + 1];   /* personal number in TD3 */
	char optional_data_2[12];		/* TD1, second line */
	int n_errors;
	struct mrz_issue errors[MRZ_MAX_ISSUES];
	int n_warnings;
	struct mrz_issue warnings[4];
	int n_suggestions;
	struct mrz_suggestion suggestions[MRZ_MAX_SUGGESTIONS];
};

/* A country as the caller's table holds it: alpha-3 code and Spanish name,
 * both borrowed for as long as the table is in use. */
struct mrz_country {
	const char *code;
	const char *name;
};

/* Sorted by code (strcmp), no duplicates; see mrz_countries_sort(). */
struct mrz_countries {
	const struct mrz_country *v;
	size_t n;
};

/* Sorts a table in place so that lookups can bisect it. */
void mrz_countries_sort(struct mrz_country *v, size_t n);

/*
 * Spanish name of an issuing state or nationality code as it appears in an
 * MRZ ("SLV", "D", "D<<", "XXA"): ICAO's codes first, then the table (may
 * be NULL).  NULL when unknown.  code need not be NUL-terminated past 3.
 */
const char *mrz_country_name(const struct mrz_countries *t, const char *code,
			     size_t len);

/*
 * The ISO 3166-1 alpha-3 code an ICAO code stands for where it is only
 * another spelling of the same state: "D" (Germany, Doc 9303 Part 3 §5)
 * is "DEU".  Any other code is returned as it is: the British "GBD",
 * "GBN"… are different nationalities for visas, not "GBR".
 */
const char *mrz_iso_state(const char *code);

/* A problem's field as an officer names it ("birth_date" -> "fecha de
 * nacimiento"); an unknown field is returned as it is. */
const char *mrz_field_label(const char *field);

/* ICAO's codes outside ISO 3166-1 (Doc 9303 Part 3 §5), for listing. */
const struct mrz_country *mrz_icao_codes(size_t *n);

/*
 * The 7-3-1 check digit of len characters (0-9 as such, A-Z as 10-35,
 * '<' as 0).  Returns 0..9, or -1 when a character is none of those.
 */
int mrz_check_digit(const char *s, size_t len);

/*
 * Reads one document's zone from text (len bytes, not necessarily
 * NUL-terminated; blank lines are ignored).  today is a day number (the
 * pivot for two-digit years); countries may be NULL (then only ICAO's own
 * codes are known).
 *
 * Returns 0 when the text was examined, whatever the verdict: doc->valid
 * says whether the zone is correct, doc->errors why not (an unrecognizable
 * shape is the error "unknown_format" with doc->format MRZ_UNKNOWN).
 * Returns SIGM_ETOOBIG over MRZ_INPUT_MAX and SIGM_EINVAL for NULL
 * arguments, with err filled and doc undefined.
 */
int mrz_parse(const char *text, size_t len, int32_t today,
	      const struct mrz_countries *countries, struct mrz_doc *doc,
	      struct sigm_error *err);

/* "TD1", "TD2", "TD3", "MRVA", "MRVB"; NULL for MRZ_UNKNOWN. */
const char *mrz_format_name(enum mrz_format f);

/* "1974-08-12", "1974-08", "1974"; "" for no date. */
void mrz_date_string(const struct cal_date *d, char buf[static 11]);

/* "YYMMDD" as printed in a zone, "<<" for unknown parts. */
void mrz_date_yymmdd(const struct cal_date *d, char buf[static 7]);

/* Document data for mrz_format_zone().  Names are UTF-8 as printed in the
 * visual zone; they are transliterated (mrz_transliterate) and truncated as
 * Doc 9303 Parts 4-7 prescribe.  Codes are upper-case ASCII. */
struct mrz_input {
	enum mrz_format format;
	const char *document_code;   /* "P", "PO", "ID", "V"... (1-2 chars) */
	const char *issuing_state;   /* alpha-3 or "D" */
	const char *surnames;
	const char *given_names;     /* may be NULL or "" */
	const char *document_number; /* up to 9, TD1/TD2 up to 22 */
	const char *nationality;
	struct cal_date birth;	     /* partial allowed */
	char sex;		     /* 'F', 'M', 'X' or 0 (unspecified) */
	struct cal_date expiry;
	const char *optional_data;   /* may be NULL */
	const char *optional_data_2; /* TD1 only; may be NULL */
};

/*
 * Writes the zone for in into out (cap bytes): the lines separated by
 * '\n', NUL-terminated, no final newline.  cap of 3 * 31 is always enough.
 * Returns 0, or SIGM_EINVAL naming the field that cannot be written (a code
 * of the wrong shape, a number too long for the format, optional data that
 * does not fit, a name with no transliteration...), SIGM_ETOOBIG when cap
 * is too small.
 */
int mrz_format_zone(const struct mrz_input *in, char *out, size_t cap,
		    struct sigm_error *err);

/*
 * ICAO transliteration (Doc 9303 Part 3 §6, tables A and B) of a UTF-8 name
 * into MRZ characters: A-Z and '<' for spaces, hyphens and commas;
 * apostrophes dropped; Ä, Ö, Ü as AE, OE, UE, Ñ as N, ß as SS, Cyrillic by
 * table B's main column.  Writes at most cap-1 characters and a NUL;
 * returns the length written, or -1 when a character has no
 * transliteration (digits included) or the result does not fit.
 */
int mrz_transliterate(const char *utf8, char *out, size_t cap);

#endif
