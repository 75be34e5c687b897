/*
 * test_utf8.c - the UTF-8 module: one code point decoded, validation, the
 * fix-up for texts said back to people, the character count.  Named edges first (overlongs,
 * surrogates, past U+10FFFF, truncated and broken sequences, NUL), then
 * exhaustive checks against an oracle built the other way round: every
 * code point encoded, the well-formed sequences being exactly those
 * encodings (RFC 3629 §3, Unicode table 3-7).
 */
#include "core/utf8.h"
#include "harness.h"

#include <stdbool.h>
#include <stdint.h>

#define VALID(lit) utf8_valid(lit, sizeof(lit) - 1)

/* s made valid as the error bodies make it, into out. */
static const char *fixed(const char *s, char *out, size_t cap)
{
	snprintf(out, cap, "%s", s);
	utf8_fix(out);
	return out;
}

static void t_valid_edges(void)
{
	T_ASSERT(utf8_valid("", 0));
	T_ASSERT(utf8_valid(NULL, 0));
	T_ASSERT(VALID("Hern\xC3\xA1ndez"));
	/* NUL is a character: a text of n bytes may hold one */
	T_ASSERT(VALID("a\0b"));
	T_ASSERT(VALID("\x7F"));
	/* two bytes: U+0080..U+07FF; C0 and C1 only start overlongs */
	T_ASSERT(VALID("\xC2\x80"));
	T_ASSERT(VALID("\xDF\xBF"));
	T_ASSERT(!VALID("\xC0\x80")); /* overlong NUL ("modified UTF-8") */
	T_ASSERT(!VALID("\xC0\xAF"));
	T_ASSERT(!VALID("\xC1\xBF"));
	/* three bytes: U+0800..U+FFFF without the surrogates */
	T_ASSERT(VALID("\xE0\xA0\x80"));
	T_ASSERT(!VALID("\xE0\x9F\xBF")); /* U+07FF overlong */
	T_ASSERT(!VALID("\xE0\x80\xAF"));
	T_ASSERT(VALID("\xED\x9F\xBF"));  /* U+D7FF */
	T_ASSERT(!VALID("\xED\xA0\x80")); /* U+D800 */
	T_ASSERT(!VALID("\xED\xBF\xBF")); /* U+DFFF */
	T_ASSERT(!VALID("\xED\xA0\xBD\xED\xB8\x80")); /* a CESU-8 pair */
	T_ASSERT(VALID("\xEE\x80\x80"));  /* U+E000 */
	T_ASSERT(VALID("\xEF\xBF\xBD"));  /* U+FFFD */
	T_ASSERT(VALID("\xEF\xBF\xBF"));  /* U+FFFF, a noncharacter, allowed */
	/* four bytes: U+10000..U+10FFFF */
	T_ASSERT(VALID("\xF0\x90\x80\x80"));
	T_ASSERT(!VALID("\xF0\x8F\xBF\xBF")); /* U+FFFF overlong */
	T_ASSERT(VALID("\xF4\x8F\xBF\xBF"));  /* U+10FFFF */
	T_ASSERT(!VALID("\xF4\x90\x80\x80")); /* U+110000 */
	T_ASSERT(!VALID("\xF5\x80\x80\x80"));
	T_ASSERT(!VALID("\xF7\xBF\xBF\xBF"));
	/* five and six bytes (the old RFC 2279), and bytes never used */
	T_ASSERT(!VALID("\xF8\x88\x80\x80\x80"));
	T_ASSERT(!VALID("\xFC\x84\x80\x80\x80\x80"));
	T_ASSERT(!VALID("\xFE"));
	T_ASSERT(!VALID("\xFF"));
	/* a continuation byte with nothing before it */
	T_ASSERT(!VALID("\x80"));
	T_ASSERT(!VALID("\xBF"));
	T_ASSERT(!VALID("a\x80" "b"));
	/* cut short, at the end or by another byte */
	T_ASSERT(!VALID("\xC3"));
	T_ASSERT(!VALID("\xE2\x80"));
	T_ASSERT(!VALID("\xF0\x9F\x98"));
	T_ASSERT(!VALID("\xC3("));
	T_ASSERT(!VALID("\xE2(\xA1"));
	T_ASSERT(!VALID("\xE2\x82("));
	T_ASSERT(!VALID("\xF0(\x8C\xBC"));
	T_ASSERT(!VALID("\xF0\x9F(\x80"));
	T_ASSERT(!VALID("\xF0\x9F\x98("));
	T_ASSERT(!VALID("\xC3\xC3\xA1"));
	/* n is obeyed: what follows the n bytes is not read */
	T_ASSERT(!utf8_valid("\xC3\xA1", 1));
	T_ASSERT(utf8_valid("ab\xFF", 2));
	T_ASSERT(!VALID("Hern\xE1ndez")); /* Latin-1 */
}

static void t_decode_edges(void)
{
	uint32_t cp = 7;
	T_EQ_INT(utf8_decode("", 0, &cp), 0);
	T_EQ_INT(utf8_decode(NULL, 0, &cp), 0);
	T_EQ_INT(cp, 7);
	T_EQ_INT(utf8_decode("A", 1, &cp), 1);
	T_EQ_INT(cp, 'A');
	T_EQ_INT(utf8_decode("\0x", 2, &cp), 1); /* NUL: U+0000, one byte */
	T_EQ_INT(cp, 0);
	T_EQ_INT(utf8_decode("\xC3\xB1o", 3, &cp), 2);
	T_EQ_INT(cp, 0xF1);
	T_EQ_INT(utf8_decode("\xE2\x80\x94", 3, &cp), 3);
	T_EQ_INT(cp, 0x2014);
	T_EQ_INT(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	T_EQ_INT(cp, 0x1F600);
	T_EQ_INT(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	T_EQ_INT(cp, 0x10FFFF);
	/* cp is optional */
	T_EQ_INT(utf8_decode("\xC3\xB1", 2, NULL), 2);
	/* refused: cp left alone */
	cp = 7;
	T_EQ_INT(utf8_decode("\xC0\x80", 2, &cp), 0);
	T_EQ_INT(utf8_decode("\xE0\x9F\xBF", 3, &cp), 0);
	T_EQ_INT(utf8_decode("\xED\xA0\x80", 3, &cp), 0);
	T_EQ_INT(utf8_decode("\xF0\x8F\xBF\xBF", 4, &cp), 0);
	T_EQ_INT(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
	T_EQ_INT(utf8_decode("\xBF", 1, &cp), 0);
	T_EQ_INT(utf8_decode("\xC3(", 2, &cp), 0);
	T_EQ_INT(cp, 7);
	/* n is obeyed: a sequence longer than what is left is refused */
	T_EQ_INT(utf8_decode("\xC3\xB1", 1, &cp), 0);
	T_EQ_INT(utf8_decode("\xE2\x80\x94", 2, &cp), 0);
	T_EQ_INT(utf8_decode("\xF0\x9F\x98\x80", 3, &cp), 0);
	/* only the first sequence is read */
	T_EQ_INT(utf8_decode("a\xFF", 2, &cp), 1);
	T_EQ_INT(utf8_decode("\xC3\xB1\xFF", 3, &cp), 2);
}

static void t_fix_edges(void)
{
	char b[64];
	T_EQ_STR(fixed("", b, sizeof(b)), "");
	T_EQ_STR(fixed("Hern\xC3\xA1ndez", b, sizeof(b)), "Hern\xC3\xA1ndez");
	T_EQ_STR(fixed("\xF0\x9F\x98\x80 \xEF\xBF\xBF", b, sizeof(b)),
		 "\xF0\x9F\x98\x80 \xEF\xBF\xBF");
	/* each byte that starts no valid sequence is one '?': a Latin-1
	 * letter is one, a sequence cut at the end one per byte left */
	T_EQ_STR(fixed("Hern\xE1ndez", b, sizeof(b)), "Hern?ndez");
	T_EQ_STR(fixed("ab\xC3\x91\xC3", b, sizeof(b)), "ab\xC3\x91?");
	T_EQ_STR(fixed("\xE2\x80", b, sizeof(b)), "??");
	T_EQ_STR(fixed("x\xF0\x9F\x98", b, sizeof(b)), "x???");
	/* the bytes after a bad lead are looked at again: a good sequence
	 * right after it is kept */
	T_EQ_STR(fixed("\xE2\xC3\xA1", b, sizeof(b)), "?\xC3\xA1");
	T_EQ_STR(fixed("\xC3(", b, sizeof(b)), "?(");
	T_EQ_STR(fixed("\xF0\x9F(\x80", b, sizeof(b)), "?" "?(?");
	T_EQ_STR(fixed("\xC0\xAF", b, sizeof(b)), "??");
	T_EQ_STR(fixed("\xED\xA0\x80", b, sizeof(b)), "???");
	T_EQ_STR(fixed("\xF4\x90\x80\x80", b, sizeof(b)), "????");
	T_EQ_STR(fixed("\xE0\x9F\xBF" "a", b, sizeof(b)), "???a");
	T_EQ_STR(fixed("\xFF\xFE", b, sizeof(b)), "??");
	T_EQ_STR(fixed("\x80\xC3\xA9", b, sizeof(b)), "?\xC3\xA9");
	/* control characters are valid UTF-8: not the fix-up's business */
	T_EQ_STR(fixed("a\x01\x7F" "b", b, sizeof(b)), "a\x01\x7F" "b");
}

static void t_chars(void)
{
	T_EQ_INT(utf8_chars("", 0), 0);
	T_EQ_INT(utf8_chars("abc", 3), 3);
	T_EQ_INT(utf8_chars("Pe\xC3\xB1" "a", 5), 4);
	T_EQ_INT(utf8_chars("\xE2\x80\x94\xF0\x9F\x98\x80", 7), 2);
	T_EQ_INT(utf8_chars("a\0b", 3), 3);
	/* n is obeyed */
	T_EQ_INT(utf8_chars("\xC3\xB1\xC3\xB1", 2), 1);
}

/* ---- the oracle: well-formed sequences as the encodings of code points */

/* cp in len bytes, overlong when len is more than cp needs. */
static void enc(uint32_t cp, int len, unsigned char *out)
{
	static const unsigned char lead[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
	for (int i = len - 1; i > 0; i--) {
		out[i] = (unsigned char)(0x80 | (cp & 0x3F));
		cp >>= 6;
	}
	out[0] = (unsigned char)(lead[len] | cp);
}

/* seq2[b0 << 8 | b1], seq3[b0 << 16 | b1 << 8 | b2]: well-formed. */
static unsigned char *seq2, *seq3;

static void build_oracle(void)
{
	if (seq2)
		return;
	seq2 = calloc(1u << 16, 1);
	seq3 = calloc(1u << 24, 1);
	if (!seq2 || !seq3)
		abort();
	unsigned char e[4];
	for (uint32_t cp = 0x80; cp < 0x800; cp++) {
		enc(cp, 2, e);
		seq2[e[0] << 8 | e[1]] = 1;
	}
	for (uint32_t cp = 0x800; cp < 0x10000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		enc(cp, 3, e);
		seq3[(uint32_t)e[0] << 16 | e[1] << 8 | e[2]] = 1;
	}
}

/* Length of the well-formed sequence of 1..3 bytes at s (n left), else 0.
 * Four-byte ones are checked on their own below. */
static int oracle_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	if (n >= 2 && seq2[s[0] << 8 | s[1]])
		return 2;
	if (n >= 3 && seq3[(uint32_t)s[0] << 16 | s[1] << 8 | s[2]])
		return 3;
	return 0;
}

static bool oracle_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		int k = oracle_len(s + i, n - i);
		if (!k)
			return false;
		i += (size_t)k;
	}
	return true;
}

/* Every text of one, two and three bytes: valid exactly when it splits
 * into encodings, and fixed by replacing each byte that starts none. */
static void t_exhaustive_short(void)
{
	build_oracle();
	unsigned char s[4];
	for (uint32_t v = 0; v < 0x100; v++) {
		s[0] = (unsigned char)v;
		T_EQ_INT(utf8_valid((char *)s, 1), v < 0x80);
	}
	for (uint32_t v = 0; v < 0x10000; v++) {
		s[0] = (unsigned char)(v >> 8);
		s[1] = (unsigned char)v;
		if (utf8_valid((char *)s, 2) != oracle_valid(s, 2))
			T_FAIL_("%02X %02X", s[0], s[1]);
	}
	for (uint32_t v = 0; v < 0x1000000; v++) {
		s[0] = (unsigned char)(v >> 16);
		s[1] = (unsigned char)(v >> 8);
		s[2] = (unsigned char)v;
		s[3] = 0;
		bool ok = oracle_valid(s, 3);
		if (utf8_valid((char *)s, 3) != ok)
			T_FAIL_("valid %02X %02X %02X", s[0], s[1], s[2]);
		if (!s[0] || !s[1] || !s[2])
			continue;
		unsigned char want[4] = {0}, got[4];
		for (size_t i = 0; i < 3;) {
			int k = oracle_len(s + i, 3 - i);
			if (!k) {
				want[i++] = '?';
				continue;
			}
			memcpy(want + i, s + i, (size_t)k);
			i += (size_t)k;
		}
		memcpy(got, s, 4);
		utf8_fix((char *)got);
		if (memcmp(got, want, 4))
			T_FAIL_("fix %02X %02X %02X", s[0], s[1], s[2]);
	}
	t_checks++;
}

/* Every code point in its shortest form decodes to itself with its
 * length; every other form (longer, or a surrogate) does not decode. */
static void t_exhaustive_decode(void)
{
	unsigned char e[4];
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		int need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
		for (int len = need; len <= 4; len++) {
			uint32_t got = 0xFFFFFFFF;
			enc(cp, len, e);
			int k = utf8_decode((char *)e, (size_t)len, &got);
			bool ok = len == need && !surrogate;
			if (ok && (k != len || got != cp))
				T_FAIL_("U+%04X: %d bytes, U+%04X", cp, k, got);
			if (!ok && k != (len == 1 ? 1 : 0))
				T_FAIL_("U+%04X in %d bytes decoded", cp, len);
			/* one byte short: nothing */
			if (len > 1 && utf8_decode((char *)e, (size_t)len - 1, NULL))
				T_FAIL_("U+%04X cut short decoded", cp);
		}
	}
	t_checks++;
}

/* Every four-byte form of every value of 21 bits: well-formed exactly for
 * U+10000..U+10FFFF; a lead F0..F4 followed by anything but continuation
 * bytes never is; F5..FF never start anything. */
static void t_exhaustive_four(void)
{
	unsigned char s[5] = {0};
	for (uint32_t cp = 0; cp < 0x200000; cp++) {
		enc(cp, 4, s);
		bool ok = cp >= 0x10000 && cp <= 0x10FFFF;
		if (utf8_valid((char *)s, 4) != ok)
			T_FAIL_("U+%04X in four bytes", cp);
		char f[5];
		memcpy(f, s, 5);
		utf8_fix(f);
		if ((memcmp(f, s, 5) == 0) != ok || (!ok && f[0] != '?'))
			T_FAIL_("fix U+%04X in four bytes", cp);
	}
	static const unsigned char notcont[] = {0x00, 0x41, 0x7F, 0xC0,
						0xC3, 0xE2, 0xF0, 0xFF};
	for (unsigned lead = 0xF0; lead <= 0xF4; lead++)
		for (int pos = 1; pos < 4; pos++)
			for (size_t b = 0; b < sizeof(notcont); b++) {
				unsigned char t[4] = {(unsigned char)lead, 0x90,
						      0x80, 0x80};
				t[pos] = notcont[b];
				T_ASSERT(!utf8_valid((char *)t, 4));
			}
	for (unsigned lead = 0xF5; lead <= 0xFF; lead++)
		for (unsigned c = 0x80; c <= 0xBF; c++) {
			unsigned char t[4] = {(unsigned char)lead,
					      (unsigned char)c, 0x80, 0x80};
			T_ASSERT(!utf8_valid((char *)t, 4));
		}
}

/* A valid text in, the same text out; what comes out is always valid. */
static void t_fix_is_valid(void)
{
	static const char *const in[] = {
		"Jos\xC3\xA9 Mar\xC3\xAD" "a",
		"\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD",
		"\xE7\x8E\x8B \xF0\xA0\x80\x80",
		"Hern\xE1ndez",
		"\xC3\xC3\xC3",
		"\xED\xA0\xBD\xED\xB8\x80",
		"\xF8\x88\x80\x80\x80",
		"abc\xE2\x82",
		NULL};
	for (const char *const *p = in; *p; p++) {
		char b[64];
		fixed(*p, b, sizeof(b));
		T_ASSERT(utf8_valid(b, strlen(b)));
		T_EQ_INT(strlen(b), strlen(*p));
		T_EQ_INT(strcmp(b, *p) == 0, utf8_valid(*p, strlen(*p)));
	}
}

static const struct t_case cases[] = {
	T(t_decode_edges),     T(t_valid_edges),     T(t_fix_edges),
	T(t_chars),            T(t_exhaustive_short), T(t_exhaustive_decode),
	T(t_exhaustive_four),  T(t_fix_is_valid),
	{0}};

int main(int argc, char **argv)
{
	(void)argc;
	int rc = t_run(argv[0], cases);
	free(seq2);
	free(seq3);
	return rc;
}
