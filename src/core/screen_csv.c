/*
 * screen_csv.c - watch lists and query files for the screening index
 * (screen_csv_parse in screen.h): the columns found by name over the one
 * bounded RFC 4180 reader of the code base (csv.h), plus the rules of these
 * files: a header with "id", no row wider than the header, fields of at
 * most SCREEN_CSV_FIELD_MAX bytes.
 */
#include "core/csv.h"
#include "core/screen.h"

#include <string.h>

static const char *const colnames[SCREEN_CSV_NCOLS] = {
	"id", "given_names", "surnames", "birth_date",
	"sex", "nationality", "document_number",
};

_Static_assert(SCREEN_CSV_MAX_COLS <= CSV_MAX_FIELDS,
	       "the reader holds every column a watch list may have");
_Static_assert(SCREEN_CSV_FIELD_MAX <= CSV_MAX_FIELD,
	       "the reader's field cap is not the tighter one");

int screen_csv_parse(const char *buf, size_t len,
		     int (*fn)(const struct screen_csv_row *row, void *ctx),
		     void *ctx, struct sigm_error *err)
{
	struct csv_reader r;
	int map[SCREEN_CSV_NCOLS], ncols, rc;

	csv_init(&r, buf, len);
	rc = csv_next(&r, err);
	if (rc <= 0) {
		if (rc == 0)
			rc = sigm_error_set(err, SIGM_EINVAL, "csv_no_header", NULL,
					    "falta la cabecera CSV");
		goto out;
	}
	ncols = r.nfields;
	for (int c = 0; c < SCREEN_CSV_NCOLS; c++) {
		map[c] = -1;
		for (int k = 0; k < ncols; k++)
			if (strcmp(r.field[k], colnames[c]) == 0)
				map[c] = k;
	}
	if (map[SCREEN_COL_ID] < 0) {
		rc = sigm_error_set(err, SIGM_EINVAL, "csv_no_id", NULL,
				    "la cabecera CSV no tiene la columna id");
		goto out;
	}
	while ((rc = csv_next(&r, err)) == 1) {
		struct screen_csv_row row = {.line = r.line};
		if (r.nfields > ncols) {
			rc = sigm_error_set(err, SIGM_EINVAL, "csv_row_too_wide", NULL,
					    "línea %d: %d columnas, la cabecera tiene %d",
					    r.line, r.nfields, ncols);
			break;
		}
		for (int k = 0; k < r.nfields; k++)
			if (r.len[k] > SCREEN_CSV_FIELD_MAX) {
				rc = sigm_error_set(err, SIGM_ETOOBIG, "csv_field_too_long", NULL,
						    "línea %d: campo de más de %d bytes",
						    r.line, SCREEN_CSV_FIELD_MAX);
				goto out;
			}
		for (int c = 0; c < SCREEN_CSV_NCOLS; c++)
			row.f[c] = (map[c] >= 0 && map[c] < r.nfields)
					   ? r.field[map[c]]
					   : "";
		rc = fn(&row, ctx);
		if (rc)
			break;
	}
out:
	csv_release(&r);
	return rc;
}
