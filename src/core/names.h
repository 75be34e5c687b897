/*
 * names.h - person names reduced to comparable tokens, and the tables of
 * name variants (hypocoristics, transliterations) that say which different
 * spellings denote the same name.
 *
 * Normalization of one name field (names_normalize):
 *   - the input must be valid UTF-8 of at most NAMES_MAX_BYTES bytes
 *     (SIGM_EINVAL "invalid_utf8" / SIGM_ETOOBIG "name_too_long"), which
 *     any NAMES_MAX_CHARS characters are;
 *   - Unicode compatibility decomposition, case folding and removal of
 *     combining marks (utf8proc): "Hernández" -> "hernandez", "ß" -> "ss";
 *     a few letters that do not decompose are spelled out (æ -> ae, ø -> o,
 *     ł -> l, đ -> d, þ -> th, ı -> i) and Cyrillic is transliterated as
 *     ICAO 9303 part 3 does for the MRZ ("Владимир" -> "vladimir");
 *   - apostrophes join ("O'Ryan" -> "oryan", "D'Aubuisson" -> "daubuisson");
 *     hyphens, the MRZ filler '<', digits, punctuation and blanks separate;
 *   - Spanish, Portuguese and Germanic particles (de, del, la, las, los, y, e,
 *     da, das, do, dos, di, du, van, von, der, den) and widow markers (vda,
 *     viuda) are dropped, so "López de Hernández" and "Lopez Hernandez"
 *     compare equal; a token glued to "de la"/"de los"/"de las"/"della"
 *     loses it when what remains has 3+ letters ("Delacruz" -> "cruz",
 *     "Delosantos" -> "santos"), which is applied the same way on both
 *     sides of a comparison so it can only help;
 *   - a single letter ("L.") is kept as an initial (NAMES_TOK_INITIAL);
 *   - at most NAMES_MAX_TOKENS tokens survive per person (the rest is
 *     dropped and flagged, never an error: a long legal name still screens).
 * A field that folds to nothing (empty, only particles, only punctuation)
 * gives zero tokens and returns 0: the caller decides whether a person
 * without names is acceptable (screen_* rejects it).
 *
 * Variant tables (struct names_table): each group is a set of spellings of
 * one name; a token belongs to any number of groups, as a plain variant
 * (transliterations: Mohammed, Muhammad, Mohamed) or as a nickname (Pepe,
 * Chepe in the group of José).  Tables are parsed from caller-supplied
 * buffers; reading files is the caller's business.
 *
 * Thread-safety: a table is built by one thread, then is read-only and may
 * be shared by any number of threads.  Functions without a table are pure.
 */
#ifndef SIGM_NAMES_H
#define SIGM_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* One name field, as received.  Every form that takes a name (the booth
 * and the registries: 200 characters; POST /api/v1/screen: NAMES_MAX_CHARS)
 * says its limit in characters, and a name it takes must screen: 200 CJK
 * letters are 600 bytes, 200 letters of a supplementary plane 800, and a
 * cap of 512 bytes sent such a traveler to secondary with check_failed.  So
 * the byte cap is that of NAMES_MAX_CHARS characters of any script (UTF-8
 * is at most 4 bytes a character); it still bounds the work of one field. */
#define NAMES_MAX_CHARS 512
#define NAMES_MAX_BYTES (4 * NAMES_MAX_CHARS)
#define NAMES_MAX_TOKENS 12 /* tokens kept per person */
#define NAMES_TOK_MAX 40    /* bytes of one folded token, NUL included */

enum names_role {
	NAMES_GIVEN = 0,
	NAMES_SURNAME = 1,
};

enum names_tok_flags {
	NAMES_TOK_INITIAL = 1, /* one letter: "L." */
};

struct names_token {
	char s[NAMES_TOK_MAX]; /* folded, NUL-terminated, non-empty */
	uint8_t len;
	uint8_t role;  /* enum names_role */
	uint8_t flags; /* enum names_tok_flags */
};

struct names_person {
	struct names_token tok[NAMES_MAX_TOKENS];
	int n;
	bool truncated; /* more tokens were given than kept */
};

/*
 * Appends the tokens of one name field (given names or surnames) to p.
 * s may be NULL or empty (no tokens).  len is the byte length, or -1 for a
 * NUL-terminated string.  field names the input in errors.  Returns 0,
 * SIGM_EINVAL (invalid UTF-8) or SIGM_ETOOBIG (over NAMES_MAX_BYTES); p is
 * unchanged on error.
 */
int names_normalize(struct names_person *p, const char *s, long len,
		    enum names_role role, const char *field,
		    struct sigm_error *err);

/* Clears p, then normalizes given names and surnames into it. */
int names_person_set(struct names_person *p, const char *given,
		     const char *surnames, struct sigm_error *err);

/*
 * Splits an MRZ name field "HERNANDEZ<DE<LA<CRUZ<<JOSE<LUIS" (primary
 * identifier, "<<", secondary identifier) and normalizes both parts into p
 * (cleared first).  Returns as names_normalize.
 */
int names_person_from_mrz(struct names_person *p, const char *mrz_name,
			  struct sigm_error *err);

/* Folds a whole string into out as space-separated tokens (particles
 * dropped), for display and for baselines.  Returns 0 or as names_normalize. */
int names_fold(const char *s, char *out, size_t cap, struct sigm_error *err);

/* How ICAO 9303 part 3 spells letter c (case folded, its marks already
 * stripped) in Latin, lower case, when it neither is ASCII nor decomposes
 * to it: Cyrillic ("ж" -> "zh", "ь" -> "") and a few Latin letters ("æ"
 * -> "ae", "ø" -> "o"); NULL for any other.  Pure. */
const char *names_icao_letter(int32_t c);

/* Jaro-Winkler similarity of two byte strings, 0..1 (prefix scale 0.1, at
 * most 4 prefix bytes). */
double names_jaro_winkler(const char *a, size_t alen, const char *b,
			  size_t blen);

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), or cap+1 when it exceeds cap (cap <= 8 keeps it cheap).
 * Strings longer than NAMES_TOK_MAX are compared on their first bytes. */
int names_edit_distance(const char *a, size_t alen, const char *b, size_t blen,
			int cap);

/* ---- variant tables ---- */

enum names_variant_kind {
	NAMES_VARIANT = 1,  /* transliteration / spelling of the same name */
	NAMES_NICKNAME = 2, /* hypocoristic of a given name */
};

struct names_table; /* opaque */

int names_table_new(struct names_table **t_r, struct sigm_error *err);
void names_table_free(struct names_table **t);

/*
 * Adds hypocoristics from CSV text: lines "nickname,formal" ('#' comments,
 * a header line whose first field is "nickname" or "name1", blank lines
 * ignored; a third column, as in "name1,relationship,name2", is read as
 * name1,relationship,name2 with name1 formal and name2 the nickname).
 * A formal name of several words keeps its first word ("chema" -> "jose").
 * Lines that fold to nothing are skipped.  Returns 0, SIGM_ENOMEM or
 * SIGM_ETOOBIG (more than 1,000,000 forms).
 */
int names_table_add_nicknames(struct names_table *t, const char *buf,
			      size_t len, struct sigm_error *err);

/*
 * Adds variant classes: one class per line, forms separated by commas,
 * optionally ending in "=> id" (the rigour person_names format); '#'
 * comments.  Multi-word forms are skipped (classes are of single tokens).
 */
int names_table_add_variants(struct names_table *t, const char *buf,
			     size_t len, struct sigm_error *err);

/* Number of distinct forms in the table. */
size_t names_table_size(const struct names_table *t);

/*
 * How two folded tokens relate through the table: 0 (not at all),
 * NAMES_VARIANT or NAMES_NICKNAME (nickname wins when either token is in
 * the shared group as a nickname).  t may be NULL (returns 0).
 */
int names_table_relation(const struct names_table *t, const char *a,
			 const char *b);

/*
 * Calls fn(form, kind, ctx) for each other form sharing a group with token
 * (each form once per group it shares).  Returns the number of calls.
 */
size_t names_table_each_variant(const struct names_table *t, const char *token,
				void (*fn)(const char *form, int kind,
					   void *ctx),
				void *ctx);

/* Whether text s (valid UTF-8) shows anything: false when it is only
 * separators (Zs, Zl, Zp: spaces of every width, NBSP, U+3000), format
 * and control characters (Cf, Cc: U+200B, U+FEFF, U+2060...), lone
 * combining marks, default-ignorable code points (the Hangul fillers
 * U+3164, U+115F, U+FFA0) and the blank Braille cell U+2800.  A field of those is blank however many bytes it has;
 * a justification of a no-break space passed for one.  Pure. */
bool names_visible(const char *s);

/* Whether s holds a letter of any script (Unicode L*): a name of dashes
 * or emoji is no name, and matched any holder.  Pure. */
bool names_has_letter(const char *s);

#endif
