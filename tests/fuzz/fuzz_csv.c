/*
 * fuzz_csv.c - libFuzzer target for the bounded CSV reader: any input must
 * end in a clean end or a reported error, within the caps, without reading
 * past the input; every field handed out is NUL-terminated at its length.
 */
#include "core/csv.h"
#include "core/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct sigm_error err;
	csv_init(&r, (const char *)data, size);
	int rc, records = 0;
	while ((rc = csv_next(&r, &err)) == 1) {
		records++;
		if (r.nfields < 1 || r.nfields > CSV_MAX_FIELDS)
			abort();
		for (int i = 0; i < r.nfields; i++) {
			if (r.len[i] > CSV_MAX_FIELD || r.field[i][r.len[i]] != 0)
				abort();
			(void)utf8_valid(r.field[i], r.len[i]);
			(void)csv_needs_quotes(r.field[i]);
		}
		if ((size_t)records > size + 1)
			abort();
	}
	if (rc < 0 && !err.code[0])
		abort();
	csv_release(&r);
	return 0;
}
