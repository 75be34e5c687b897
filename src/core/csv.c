/*
 * csv.c - the bounded RFC 4180 reader (see csv.h).  One pass over the
 * input per record, copying the record's fields into one growable buffer
 * (capped by CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1)); no other allocation.
 */
#include "core/csv.h"

#include <stdlib.h>
#include <string.h>

void csv_init(struct csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->p = data;
	r->end = data + len;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		r->p += 3;
	r->next_line = 1;
}

void csv_release(struct csv_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

static int put(struct csv_reader *r, size_t *used, char c,
	       struct sigm_error *err)
{
	if (*used + 1 >= r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 1024;
		size_t max = (size_t)CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1) + 1;
		if (nc > max)
			nc = max;
		if (*used + 1 >= nc)
			return sigm_error_set(err, SIGM_ETOOBIG, "csv_record_too_long",
					      "csv", "línea %d: registro demasiado largo",
					      r->line);
		char *nb = realloc(r->buf, nc);
		if (!nb)
			return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
		r->buf = nb;
		r->cap = nc;
	}
	r->buf[(*used)++] = c;
	return 0;
}

static int fail(struct csv_reader *r, struct sigm_error *err, int rc,
		const char *code, const char *msg)
{
	r->failed = true;
	return sigm_error_set(err, rc, code, "csv", "línea %d: %s",
			      r->next_line, msg);
}

int csv_next(struct csv_reader *r, struct sigm_error *err)
{
	if (r->failed)
		return SIGM_EINVAL;
	/* skip blank lines */
	while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
		if (*r->p == '\n')
			r->next_line++;
		r->p++;
	}
	if (r->p >= r->end)
		return 0;
	r->line = r->next_line;
	r->record++;
	r->nfields = 0;
	size_t used = 0, start = 0;
	size_t starts[CSV_MAX_FIELDS];
	int rc;
	for (;;) {
		if (r->nfields >= CSV_MAX_FIELDS)
			return fail(r, err, SIGM_ETOOBIG, "csv_too_many_fields",
				    "más de 64 columnas");
		start = used;
		bool quoted = r->p < r->end && *r->p == '"';
		if (quoted) {
			r->p++;
			for (;;) {
				if (r->p >= r->end)
					return fail(r, err, SIGM_EINVAL, "csv_unterminated_quote",
						    "comillas sin cerrar");
				char c = *r->p++;
				if (c == '"') {
					if (r->p < r->end && *r->p == '"') {
						r->p++;
					} else {
						break;
					}
				} else if (c == '\n') {
					r->next_line++;
				} else if (c == 0) {
					return fail(r, err, SIGM_EINVAL, "csv_nul", "byte nulo");
				}
				if (used - start >= CSV_MAX_FIELD)
					return fail(r, err, SIGM_ETOOBIG, "csv_field_too_long",
						    "campo de más de 8192 bytes");
				if ((rc = put(r, &used, c, err)))
					return r->failed = true, rc;
			}
			if (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
			    !(*r->p == '\r'))
				return fail(r, err, SIGM_EINVAL, "csv_text_after_quote",
					    "texto después de las comillas de cierre");
		} else {
			while (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
			       *r->p != '\r') {
				char c = *r->p++;
				if (c == '"')
					return fail(r, err, SIGM_EINVAL, "csv_stray_quote",
						    "comillas dentro de un campo sin comillas");
				if (c == 0)
					return fail(r, err, SIGM_EINVAL, "csv_nul", "byte nulo");
				if (used - start >= CSV_MAX_FIELD)
					return fail(r, err, SIGM_ETOOBIG, "csv_field_too_long",
						    "campo de más de 8192 bytes");
				if ((rc = put(r, &used, c, err)))
					return r->failed = true, rc;
			}
		}
		r->len[r->nfields] = used - start;
		if ((rc = put(r, &used, 0, err)))
			return r->failed = true, rc;
		starts[r->nfields++] = start;
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		/* end of record: CRLF, LF, a lone CR, or the end of input */
		if (r->p < r->end && *r->p == '\r')
			r->p++;
		if (r->p < r->end && *r->p == '\n')
			r->p++;
		r->next_line++;
		break;
	}
	for (int i = 0; i < r->nfields; i++)
		r->field[i] = r->buf + starts[i];
	return 1;
}

bool csv_needs_quotes(const char *s)
{
	if (!s || !*s)
		return false;
	if (*s == ' ' || s[strlen(s) - 1] == ' ')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* "-5", "-12.50": what a spreadsheet reads as a number, never a formula. */
static bool plain_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

bool csv_formula_guard(const char *s)
{
	if (!s)
		return false;
	const char *p = s + strspn(s, "'");
	if (!*p || !strchr("=+-@\t\r", *p))
		return false;
	return !plain_number(s);
}

size_t csv_guard_len(const char *s, size_t n)
{
	return n >= 2 && s[0] == '\'' && csv_formula_guard(s + 1) ? 1 : 0;
}
