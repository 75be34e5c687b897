/*
 * fuzz_names.c - libFuzzer target for name normalization and the variant
 * table parsers: input is "given\nsurnames\nrest", the rest also parsed as
 * nickname CSV and as variant classes; every token pair is compared.
 */
#include "core/names.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *given = s, *sur = NULL;
	struct names_person p;
	struct names_table *t = NULL;
	char out[256];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	char *nl = memchr(s, '\n', size);
	if (nl) {
		*nl = 0;
		sur = nl + 1;
		char *nl2 = strchr(sur, '\n');
		if (nl2)
			*nl2 = 0;
	}
	if (names_person_set(&p, given, sur, NULL) == 0) {
		for (int i = 0; i < p.n; i++) {
			if (p.tok[i].len == 0 || p.tok[i].len >= NAMES_TOK_MAX ||
			    strlen(p.tok[i].s) != p.tok[i].len)
				abort();
			for (int j = 0; j < p.n; j++) {
				double jw = names_jaro_winkler(p.tok[i].s, p.tok[i].len,
							       p.tok[j].s, p.tok[j].len);
				if (jw < 0 || jw > 1.0000001)
					abort();
				if (names_edit_distance(p.tok[i].s, p.tok[i].len,
							p.tok[j].s, p.tok[j].len, 2) > 3)
					abort();
			}
		}
	}
	names_person_from_mrz(&p, given, NULL);
	names_fold(given, out, sizeof(out), NULL);
	if (names_table_new(&t, NULL) == 0) {
		names_table_add_nicknames(t, (const char *)data, size, NULL);
		names_table_add_variants(t, (const char *)data, size, NULL);
		if (p.n >= 2)
			names_table_relation(t, p.tok[0].s, p.tok[1].s);
		names_table_free(&t);
	}
	free(s);
	return 0;
}
