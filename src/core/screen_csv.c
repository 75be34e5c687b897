/*
 * screen_csv.c - the RFC 4180 reader for watch lists and query files
 * (screen_csv_parse in screen.h).  Untrusted input: every field is capped,
 * quotes must close, rows may not be wider than the header.
 */
#include "core/screen.h"

#include <stdlib.h>
#include <string.h>

static const char *const colnames[SCREEN_CSV_NCOLS] = {
	"id", "given_names", "surnames", "birth_date",
	"sex", "nationality", "document_number",
};

struct reader {
	const char *p, *end;
	long line;
	char *buf; /* fields of the current row, NUL-separated */
	size_t cap;
	size_t off[SCREEN_CSV_MAX_COLS];
	int n;
};

/* Reads one record into r->buf.  Returns 1 (a row), 0 (end), or negative. */
static int read_row(struct reader *r, struct sigm_error *err)
{
	size_t o = 0, flen = 0;
	bool quoted = false, inq = false;

	if (r->p >= r->end)
		return 0;
	r->n = 0;
	r->off[0] = 0;
	for (;;) {
		char ch;
		bool eof = r->p >= r->end;
		ch = eof ? '\n' : *r->p;
		if (inq) {
			if (eof)
				return sigm_error_set(err, SIGM_EINVAL, "csv_unterminated_quote", NULL,
						      "línea %ld: comillas sin cerrar", r->line);
			r->p++;
			if (ch == '"') {
				if (r->p < r->end && *r->p == '"') {
					r->p++;
				} else {
					inq = false;
					continue;
				}
			} else if (ch == '\n') {
				r->line++;
			}
		} else {
			if (!eof)
				r->p++;
			if (ch == '"' && flen == 0 && !quoted) {
				inq = quoted = true;
				continue;
			}
			if (ch == '\r' && (r->p >= r->end || *r->p == '\n'))
				continue;
			if (ch == ',' || ch == '\n') {
				r->buf[o++] = 0;
				r->n++;
				if (ch == '\n') {
					r->line++;
					return 1;
				}
				if (r->n >= SCREEN_CSV_MAX_COLS)
					return sigm_error_set(err, SIGM_ETOOBIG, "csv_too_many_columns", NULL,
							      "línea %ld: más de %d columnas", r->line,
							      SCREEN_CSV_MAX_COLS);
				r->off[r->n] = o;
				flen = 0;
				quoted = false;
				continue;
			}
		}
		if (flen >= SCREEN_CSV_FIELD_MAX)
			return sigm_error_set(err, SIGM_ETOOBIG, "csv_field_too_long", NULL,
					      "línea %ld: campo de más de %d bytes", r->line,
					      SCREEN_CSV_FIELD_MAX);
		r->buf[o++] = ch;
		flen++;
	}
}

int screen_csv_parse(const char *buf, size_t len,
		     int (*fn)(const struct screen_csv_row *row, void *ctx),
		     void *ctx, struct sigm_error *err)
{
	struct reader r = {.p = buf, .end = buf + len, .line = 1};
	int map[SCREEN_CSV_NCOLS], ncols, rc;

	/* a row is never longer than its bytes plus one NUL per field */
	r.cap = (size_t)SCREEN_CSV_MAX_COLS * (SCREEN_CSV_FIELD_MAX + 1);
	r.buf = malloc(r.cap);
	if (!r.buf)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "memoria insuficiente");
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		r.p += 3; /* UTF-8 byte order mark */
	rc = read_row(&r, err);
	if (rc <= 0) {
		if (rc == 0)
			rc = sigm_error_set(err, SIGM_EINVAL, "csv_no_header", NULL,
					    "falta la cabecera CSV");
		goto out;
	}
	ncols = r.n;
	for (int c = 0; c < SCREEN_CSV_NCOLS; c++) {
		map[c] = -1;
		for (int k = 0; k < ncols; k++)
			if (strcmp(r.buf + r.off[k], colnames[c]) == 0)
				map[c] = k;
	}
	if (map[SCREEN_COL_ID] < 0) {
		rc = sigm_error_set(err, SIGM_EINVAL, "csv_no_id", NULL,
				    "la cabecera CSV no tiene la columna id");
		goto out;
	}
	for (;;) {
		struct screen_csv_row row;
		long start = r.line;
		rc = read_row(&r, err);
		if (rc <= 0)
			break;
		if (r.n == 1 && r.buf[0] == 0)
			continue; /* blank line */
		if (r.n > ncols) {
			rc = sigm_error_set(err, SIGM_EINVAL, "csv_row_too_wide", NULL,
					    "línea %ld: %d columnas, la cabecera tiene %d",
					    start, r.n, ncols);
			break;
		}
		row.line = start;
		for (int c = 0; c < SCREEN_CSV_NCOLS; c++)
			row.f[c] = (map[c] >= 0 && map[c] < r.n)
					   ? r.buf + r.off[map[c]]
					   : "";
		rc = fn(&row, ctx);
		if (rc)
			break;
	}
out:
	free(r.buf);
	return rc;
}
