/*
 * utf8.h - UTF-8 as SIGM takes it from outside: one definition of a
 * well-formed sequence, used by every reader (CSV imports, PAXLST, query
 * strings, JSON error bodies) so that they cannot disagree on what is text.
 *
 * Well-formed is RFC 3629 §4 / Unicode table 3-7: code points U+0000 to
 * U+10FFFF in their shortest form, surrogates (U+D800..U+DFFF) excluded.
 * So an overlong form ("\xC0\xAF" for '/', "\xC0\x80" for NUL), a CESU-8
 * surrogate pair, a five- or six-byte form of the old RFC 2279, a lone
 * continuation byte or a sequence cut short is not text.  NUL (U+0000) is
 * a character like any other here: functions given a length accept it, and
 * a caller that refuses control characters checks them itself.
 * Noncharacters (U+FFFE, U+FFFF...) are valid, as Unicode says they are.
 *
 * Conventions: pure (no allocation, no globals), nothing here fails, so no
 * struct sigm_error: each function says in its return value what it found.
 * Inputs are the caller's and only read, except utf8_fix, which changes its
 * argument in place.  A length n is obeyed: no byte at s[n] or after is
 * read, and s may be NULL when n is 0.
 */
#ifndef SIGM_UTF8_H
#define SIGM_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The well-formed sequence at s (n bytes left): its length, 1 to 4, and
 * its code point into *cp when cp is not NULL; 0 when n is 0 or the bytes
 * at s start no well-formed sequence within n (then *cp is left alone). */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Whether s[0..n) is well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);

/* Makes NUL-terminated s well-formed in place, keeping its length: each
 * byte that starts no well-formed sequence becomes '?', and the bytes after
 * it are read again (a good letter right after a bad byte is kept).  For
 * texts said back to people that quote raw input or were cut at a fixed
 * size, maybe inside a letter ("%.12s", snprintf): json_string() refuses
 * anything else. */
void utf8_fix(char *s);

/* Characters (code points) in s[0..n), which must be well-formed
 * (utf8_valid): the bytes that do not continue a sequence.  Limits said to
 * people in characters count with this, not strlen. */
size_t utf8_chars(const char *s, size_t n);

#endif
