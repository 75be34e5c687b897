/*
 * fuzz_utf8.c - libFuzzer target for the UTF-8 module (src/core/utf8.c).
 *
 * Beyond "no crash, no read past the input" it checks the module's
 * promises against each other and against an encoder: utf8_valid is the
 * decoder walked to the end; every decoded code point is a scalar value
 * whose shortest encoding is the bytes it came from; utf8_fix keeps the
 * length, changes only bytes that start no sequence (into '?'), leaves a
 * valid text alone and always gives a valid one; utf8_chars counts what
 * the decoder walked.
 */
#include "core/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	int len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	static const unsigned char lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
	for (int i = len - 1; i > 0; i--) {
		out[i] = (unsigned char)(0x80 | (cp & 0x3F));
		cp >>= 6;
	}
	out[0] = (unsigned char)(lead[len] | cp);
	return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exactly size bytes, so that ASan sees a read past them */
	char *s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data, size);

	bool walked = true;
	size_t chars = 0;
	for (size_t i = 0; i < size;) {
		uint32_t cp = 0xFFFFFFFF;
		int k = utf8_decode(s + i, size - i, &cp);
		if (k < 0 || k > 4 || (size_t)k > size - i)
			abort();
		if (!k) {
			if (cp != 0xFFFFFFFF) /* left alone when refused */
				abort();
			walked = false;
			i++;
			continue;
		}
		unsigned char e[4];
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
		    encode(cp, e) != k || memcmp(e, s + i, (size_t)k))
			abort();
		if (utf8_decode(s + i, size - i, NULL) != k)
			abort();
		chars++;
		i += (size_t)k;
	}
	bool valid = utf8_valid(s, size);
	if (valid != walked)
		abort();
	if (valid && utf8_chars(s, size) != chars)
		abort();

	/* the fix-up works on a C string: the input up to its first NUL */
	size_t n = strnlen(s, size);
	char *f = malloc(n + 1);
	if (!f)
		abort();
	memcpy(f, s, n);
	f[n] = '\0';
	utf8_fix(f);
	if (strlen(f) != n || !utf8_valid(f, n))
		abort();
	for (size_t i = 0; i < n; i++)
		if (f[i] != s[i] && (f[i] != '?' || utf8_decode(s + i, n - i, NULL)))
			abort();
	if (utf8_valid(s, n) != (memcmp(f, s, n) == 0))
		abort();
	free(f);
	free(s);
	return 0;
}
