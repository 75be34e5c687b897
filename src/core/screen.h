/*
 * screen.h - the screening index: a watch list of persons (alerts, court
 * restrictions, lost/stolen documents, wanted persons) that a person is
 * checked against, with fuzzy name matching, a 0-100 score and an
 * explanation of every score.
 *
 * Candidate generation never scans the list.  Each distinct folded name
 * token of the list is a vocabulary word with a posting list (sorted entry
 * slots).  A query token reaches vocabulary words by exact spelling, by the
 * variant tables (names.h: nicknames, transliterations) and by a deletion
 * neighbourhood (every token with one letter deleted is a key, as in
 * SymSpell), which finds every word within one edit (substitution,
 * insertion, deletion, transposition) without comparing against the whole
 * vocabulary.  A candidate must share at least two name tokens with the
 * query (one when the query has only one usable token), and more when the
 * threshold needs more: the rarest token lists are enumerated, the most
 * common ones only probed or walked against the candidates found, and a
 * set of common tokens that could not reach the threshold on its own is not
 * enumerated at all.  With a birth date in the query, entries born two or
 * more years away cannot reach a threshold above 52: a word with many
 * postings (256 or more) also keeps them split by birth year, so such a
 * query reads only the slices of its year, the years either side and the
 * entries without a known year, instead of the whole list (shorter lists
 * are filtered on the birth date stored beside each posting).  Beside
 * each posting is also the entry's packed birth date, sex and initials
 * flag, so an entry whose date and sex keep it below the threshold even
 * with every name token matched is dropped while the list is walked, and
 * a bound of the score from the tokens it hits (and from its number of
 * given names and surnames: an unmatched query token conflicts with an
 * unmatched entry token of the same role) rules most of the rest out
 * before the entry is read.  All of this is exact: at the default
 * threshold and above it never drops an entry that could score at or
 * above the threshold, except entries whose names are mostly initials,
 * which are reached through their full tokens only
 * (screen_query_exhaustive() is the reference the unit tests compare
 * with).  Well below the default threshold the two-shared-tokens rule can
 * bind first (a query repeating a token, "Jorge Jorge", at 65).  An exact
 * document number always makes a candidate.
 *
 * Score (screen_hit.score, 0..100): names 0..80, aligned token by token
 * (one-to-one, best pairs first) and weighted by rarity (inverse document
 * frequency: Hernández weighs less than Xicará); an unmatched token costs
 * its full weight when the other side has an unmatched token of the same
 * role (a different given name) and a fifth of it, capped, when it is only
 * missing (a dropped second surname); given names and surnames are compared
 * regardless of order (carriers swap them).  Then birth date (+20 exact,
 * +14 day/month swapped, +10 year off by one, +10/+14 compatible partial
 * date, -10 a year or so apart, -30 years apart), sex (-12 if different),
 * nationality (+2 same, -6 different) and an exact document number (+40).
 * SCREEN_DEFAULT_THRESHOLD is the calibrated cut (bench/RESULTS.md).
 *
 * Concurrency: any number of threads may call screen_query() while one
 * thread at a time adds, changes or removes entries.  A reader-writer lock
 * (writer-preferring, so a stream of queries cannot starve updates) makes
 * each update atomic: a query sees an entry entirely before or entirely
 * after a change, never half-written.  Names are normalized before the lock
 * is taken, so the writer holds it for microseconds.  Hits are copied out,
 * so a result stays valid after the entry is removed.
 *
 * Ownership: the index copies everything it is given; the names table passed
 * to screen_new() is borrowed and must outlive the index.
 */
#ifndef SIGM_SCREEN_H
#define SIGM_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/err.h"
#include "core/names.h"

#define SCREEN_DEFAULT_THRESHOLD 73
#define SCREEN_ID_MAX 64      /* entry id, bytes with NUL */
#define SCREEN_DOC_MAX 40     /* one document number */
#define SCREEN_FIELD_MAX 128  /* category, record reference, nationality */
#define SCREEN_TOP_MAX 1000
#define SCREEN_MAX_ENTRIES 50000000u

/* A person as given: any field may be NULL or "". */
struct screen_person {
	const char *given_names;
	const char *surnames;
	const char *birth_date;      /* YYYY, YYYY-MM or YYYY-MM-DD */
	const char *sex;             /* "M", "F" (anything else: unknown) */
	const char *nationality;     /* ISO 3166 alpha-3, case-insensitive */
	const char *document_number; /* one or more, separated by ';' */
};

struct screen_entry {
	const char *id; /* required, unique key, at most SCREEN_ID_MAX-1 bytes */
	struct screen_person person;
	const char *category;   /* "alert", "restriction", "lost_stolen"... */
	const char *record_ref; /* what the entry points to */
	int32_t valid_until;    /* last day it matches; CAL_NONE: no end */
	int32_t valid_from;     /* first day it matches; CAL_NONE or 0: no
				   start (0 is what a brace initializer
				   leaves, 1970-01-01, before any query) */
};

struct screen_index;

/* names may be NULL (no variants).  Returns 0 or SIGM_ENOMEM. */
int screen_new(struct screen_index **ix_r, const struct names_table *names,
	       struct sigm_error *err);
void screen_free(struct screen_index **ix);

/*
 * Adds an entry, or replaces the entry with the same id.  Fails with
 * SIGM_EINVAL for a missing/long id, invalid UTF-8, an impossible birth date
 * or a person without any name token and without a document number;
 * SIGM_ETOOBIG for an overlong field or a full index.  The index is
 * unchanged on failure.
 */
int screen_put(struct screen_index *ix, const struct screen_entry *e,
	       struct sigm_error *err);

/* Removes the entry with this id.  SIGM_ENOTFOUND when there is none. */
int screen_remove(struct screen_index *ix, const char *id,
		  struct sigm_error *err);

/* Live entries. */
size_t screen_count(struct screen_index *ix);

/* Approximate heap bytes held by the index. */
size_t screen_memory(struct screen_index *ix);

struct screen_memo;

struct screen_opts {
	int threshold; /* 0..100: hits below are dropped */
	int top;       /* at most this many hits, best first (1..SCREEN_TOP_MAX) */
	int32_t on;    /* day of the check: entries with valid_until < on are
			  skipped; CAL_NONE: no validity check */
	bool explain;  /* fill the token pairs of each hit */
	struct screen_memo *memo; /* NULL, or the calling thread's memo */
};

/*
 * A memo of the name tokens a caller's queries expanded (the vocabulary
 * words each reaches: itself, its variants and nicknames, its typos).  A
 * manifest repeats its names (José, María, Hernández) and expanding a
 * token is about a tenth of a query on a large list, so a caller that
 * screens many persons in a row keeps one per thread and passes it in
 * screen_opts.memo.  The results are the same with or without it.  Not
 * shared between threads; valid across changes of any index (it forgets
 * what it holds when the index or its vocabulary changed).  The caller
 * owns it: screen_memo_new() (SIGM_ENOMEM or 0), screen_memo_free().
 */
int screen_memo_new(struct screen_memo **memo);
void screen_memo_free(struct screen_memo **memo);

enum screen_how {
	SCREEN_EXACT = 1,
	SCREEN_VARIANT,  /* transliteration table */
	SCREEN_NICKNAME, /* hypocoristic table */
	SCREEN_TYPO,     /* within one edit / Jaro-Winkler */
	SCREEN_INITIAL,  /* "L" for "Luis" */
	SCREEN_GLUED,    /* "delcid" for "del cid", "alhassan" for "al hassan" */
};

/* Name of a screen_how ("exact", "variant"...). */
const char *screen_how_name(int how);
/* The same, and a birth_how ("day_month_swapped"...), as an officer reads
 * them ("error de tipeo", "día y mes invertidos"), as web/js/labels.js. */
const char *screen_how_label(int how);
const char *screen_birth_label(const char *birth_how);

struct screen_pair {
	char query[NAMES_TOK_MAX];
	char entry[NAMES_TOK_MAX];
	uint8_t how;       /* enum screen_how */
	double similarity; /* 0..1 */
	double weight;     /* rarity of the entry token */
	double points;     /* share of the name points */
};

struct screen_hit {
	char id[SCREEN_ID_MAX];
	char category[SCREEN_FIELD_MAX];
	char record_ref[SCREEN_FIELD_MAX];
	int score;
	double name_points, birth_points, sex_points, nationality_points,
		document_points;
	const char *birth_how; /* "exact", "day_month_swapped", ... or "" */
	bool document_match;
	/* explanation (when opts.explain) */
	struct screen_pair pairs[NAMES_MAX_TOKENS];
	int npairs;
	char unmatched_query[NAMES_MAX_TOKENS][NAMES_TOK_MAX];
	int nunmatched_query;
	char unmatched_entry[NAMES_MAX_TOKENS][NAMES_TOK_MAX];
	int nunmatched_entry;
	bool swapped; /* given names matched surnames */
};

struct screen_result {
	struct screen_hit *hits; /* best first */
	int n;
	size_t candidates; /* entries scored */
	size_t pruned;     /* candidates ruled out by the score bound */
	size_t walked;     /* postings read while gathering candidates: the
			      work a query does besides scoring */
};

/*
 * Screens one person.  res is overwritten (release it with
 * screen_result_release).  SIGM_EINVAL for invalid UTF-8 or an impossible
 * birth date; a person without usable name tokens and without a document
 * number is SIGM_EINVAL ("empty_name").  Safe to call from many threads.
 */
int screen_query(struct screen_index *ix, const struct screen_person *q,
		 const struct screen_opts *opts, struct screen_result *res,
		 struct sigm_error *err);

/*
 * The reference screen_query() is checked against: the same parse, token
 * matching and score, but every live entry is a candidate (no blocking, no
 * bound).  Its hits equal screen_query()'s but for entries reached only
 * through initials (see above).  Scans the whole index: for tests and
 * benchmarks, never for a request.
 */
int screen_query_exhaustive(struct screen_index *ix,
			    const struct screen_person *q,
			    const struct screen_opts *opts,
			    struct screen_result *res, struct sigm_error *err);

void screen_result_release(struct screen_result *res);

/* ---- CSV input (the CLI's watch lists and query files) ---- */

enum screen_csv_col {
	SCREEN_COL_ID,
	SCREEN_COL_GIVEN,
	SCREEN_COL_SURNAMES,
	SCREEN_COL_BIRTH,
	SCREEN_COL_SEX,
	SCREEN_COL_NATIONALITY,
	SCREEN_COL_DOCUMENT,
	SCREEN_CSV_NCOLS,
};

struct screen_csv_row {
	long line;                         /* 1-based line where it starts */
	const char *f[SCREEN_CSV_NCOLS]; /* "" when empty or absent */
};

#define SCREEN_CSV_FIELD_MAX 4096
#define SCREEN_CSV_MAX_COLS 64

/*
 * Parses RFC 4180 CSV (quotes, doubled quotes, CRLF) whose header names at
 * least "id"; the other columns of enum screen_csv_col are found by name
 * (id,given_names,surnames,birth_date,sex,nationality,document_number),
 * unknown columns are ignored.  Calls fn for each data row (blank lines
 * skipped); fn's non-zero return stops the parse and is returned.
 * SIGM_EINVAL for a missing header, an unterminated quote or a row wider
 * than the header; SIGM_ETOOBIG for a field over SCREEN_CSV_FIELD_MAX.
 */
int screen_csv_parse(const char *buf, size_t len,
		     int (*fn)(const struct screen_csv_row *row, void *ctx),
		     void *ctx, struct sigm_error *err);

#endif
