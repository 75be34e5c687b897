/*
 * fuzz_screen_csv.c - libFuzzer target for the screening CSV reader and the
 * index behind it: every row of the input is added to a fresh index, then
 * screened against it, then removed.
 */
#include "core/screen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct screen_csv_row *rows[64];
static int nrows;

static struct screen_person person(const struct screen_csv_row *r)
{
	return (struct screen_person){
		r->f[SCREEN_COL_GIVEN], r->f[SCREEN_COL_SURNAMES],
		r->f[SCREEN_COL_BIRTH], r->f[SCREEN_COL_SEX],
		r->f[SCREEN_COL_NATIONALITY], r->f[SCREEN_COL_DOCUMENT]};
}

static int on_row(const struct screen_csv_row *r, void *v)
{
	struct screen_index *ix = v;
	struct screen_entry e = {r->f[SCREEN_COL_ID], person(r), "fuzz",
				 r->f[SCREEN_COL_ID], CAL_NONE, CAL_NONE};
	struct screen_opts o = {0, 10, CAL_NONE, true, NULL};
	struct screen_result res;
	struct screen_person p = person(r);

	screen_put(ix, &e, NULL);
	if (screen_query(ix, &p, &o, &res, NULL) == 0) {
		for (int i = 0; i < res.n; i++)
			if (res.hits[i].score < 0 || res.hits[i].score > 100 ||
			    (i && res.hits[i].score > res.hits[i - 1].score))
				abort();
		screen_result_release(&res);
	}
	(void)rows;
	nrows++;
	return nrows > 200 ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct screen_index *ix = NULL;

	if (screen_new(&ix, NULL, NULL))
		return 0;
	nrows = 0;
	screen_csv_parse((const char *)data, size, on_row, ix, NULL);
	screen_free(&ix);
	return 0;
}
