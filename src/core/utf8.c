/*
 * utf8.c - the one UTF-8 decoder (see utf8.h).  The second byte's range
 * depends on the first (table 3-7): that one check rules out overlong
 * forms, surrogates and code points past U+10FFFF without decoding first.
 */
#include "core/utf8.h"

#include <string.h>

int utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xBF;
	int len;
	uint32_t c;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		if (cp)
			*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
		if (s[0] == 0xE0)
			lo = 0xA0; /* below: U+0800 overlong */
		else if (s[0] == 0xED)
			hi = 0x9F; /* above: the surrogates */
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
		if (s[0] == 0xF0)
			lo = 0x90; /* below: U+10000 overlong */
		else if (s[0] == 0xF4)
			hi = 0x8F; /* above: past U+10FFFF */
	} else {
		return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
	}
	if (n < (size_t)len || s[1] < lo || s[1] > hi)
		return 0;
	c = c << 6 | (s[1] & 0x3F);
	for (int i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (cp)
		*cp = c;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if ((unsigned char)s[i] < 0x80) { /* most text: no call */
			i++;
			continue;
		}
		int k = utf8_decode(s + i, n - i, NULL);
		if (!k)
			return false;
		i += (size_t)k;
	}
	return true;
}

void utf8_fix(char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		int k = utf8_decode(s + i, n - i, NULL);
		if (!k) {
			s[i++] = '?';
			continue;
		}
		i += (size_t)k;
	}
}

size_t utf8_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}
