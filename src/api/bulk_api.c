/*
 * bulk_api.c - the CSV import/export driver shared by the registries (see
 * bulk.h for the policy).  The modules supply, per kind, the columns, a
 * prepare function (their POST validation) and an insert function.
 */
#include "api/bulk.h"
#include "core/csv.h"
#include "core/utf8.h"
#include "store/audit.h"

#include <stdlib.h>
#include <string.h>

struct import {
	struct api_req *req;
	const struct bulk_kind *k;
	char **preps; /* one prepared row each, NULL for rejected rows */
	int *rows, *lines;
	int n;
	bool dry;
	json_t *errors;
	int rejected;
	int malformed; /* of the rejected, the file's own fault (not a row) */
	int64_t *ids;
	int imported;
};

static void add_error(struct import *im, int row, int line, const char *field,
		      const char *code, const char *message)
{
	im->rejected++;
	if (json_array_size(im->errors) >= BULK_MAX_ERRORS)
		return;
	json_array_append_new(im->errors,
			      json_pack("{s:i, s:i, s:s?, s:s, s:s}", "row", row,
					"line", line, "field", field && *field ? field : NULL,
					"code", code, "message", message));
}

static bool in(const char *s, const char *const *set)
{
	for (const char *const *k = set; k && *k; k++)
		if (!strcmp(*k, s))
			return true;
	return false;
}

/* The validators name JSON paths ("subject.birth_date"); the sender knows
 * columns ("birth_date"). */
static const char *column_of(const struct bulk_kind *k, const char *field,
			     char *buf, size_t cap)
{
	if (!field || !*field)
		return NULL;
	const char *dot = strrchr(field, '.');
	if (dot && in(dot + 1, k->columns))
		return dot + 1;
	if (dot) {
		/* holder.birth_date -> holder_birth_date */
		snprintf(buf, cap, "%.*s_%s", (int)(dot - field), field, dot + 1);
		if (in(buf, k->columns))
			return buf;
	}
	return field;
}

static int import_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct import *im = arg;
	im->imported = 0;
	for (int i = 0; i < im->n; i++) {
		if (!im->preps[i])
			continue;
		struct sigm_error e;
		sigm_error_clear(&e);
		int64_t id = 0;
		int rc = im->k->insert(tx, im->req, im->preps[i], &id, &e);
		if (rc == SIGM_ECONFLICT || rc == SIGM_ERULE || rc == SIGM_EINVAL ||
		    rc == SIGM_ENOTFOUND) {
			char buf[96];
			add_error(im, im->rows[i], im->lines[i],
				  column_of(im->k, e.field, buf, sizeof(buf)),
				  e.code[0] ? e.code : "rejected", e.message);
			continue;
		}
		if (rc) {
			*err = e;
			return rc;
		}
		im->ids[im->imported++] = id;
	}
	if (im->rejected || im->dry)
		return sigm_error_set(err, SIGM_ERULE, "import_rolled_back", NULL,
				      "importación deshecha");
	char d[96];
	snprintf(d, sizeof(d), "{\"rows\":%d}", im->imported);
	char action[64];
	snprintf(action, sizeof(action), "%s.import", im->k->record);
	struct audit_entry a;
	api_audit_entry(im->req, &a, action, im->k->record, NULL, d);
	return audit_append(tx, &a, err);
}

void bulk_import(struct api_req *req, struct api_resp *resp,
		 const struct bulk_kind *k)
{
	const char *dr = api_query(req, "dry_run");
	struct import im = {.req = req, .k = k, .dry = dr && (!strcmp(dr, "1") || !strcmp(dr, "true"))};
	struct csv_reader r;
	struct sigm_error err;
	json_t *hold = json_array();
	int ncols = 0, rc;
	const char *cols[CSV_MAX_FIELDS];
	char colbuf[CSV_MAX_FIELDS][48];
	int status_col = -1;
	im.errors = json_array();
	csv_init(&r, req->body ? req->body : "", req->body ? req->body_len : 0);

	if (!req->body || req->body_len == 0) {
		api_error(resp, 400, "empty_body", "csv",
			  "el cuerpo debe ser un archivo CSV (text/csv) con encabezado");
		goto out;
	}
	/* the header */
	rc = csv_next(&r, &err);
	if (rc <= 0) {
		api_error(resp, 400, rc ? err.code : "empty_csv", "csv", "%s",
			  rc ? err.message : "el archivo no tiene encabezado");
		goto out;
	}
	ncols = r.nfields;
	for (int c = 0; c < ncols; c++) {
		const char *name = r.field[c];
		/* spreadsheets add spaces and change case */
		size_t o = 0;
		for (const char *p = name; *p && o + 1 < sizeof(colbuf[c]); p++)
			if (*p != ' ')
				colbuf[c][o++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		colbuf[c][o] = 0;
		cols[c] = colbuf[c];
		if (!utf8_valid(name, r.len[c]) ||
		    (!in(cols[c], k->columns) && strcmp(cols[c], "id") && strcmp(cols[c], "status")))
			add_error(&im, 1, 1, cols[c], "unknown_column",
				  "columna desconocida en el encabezado");
		for (int p = 0; p < c; p++)
			if (!strcmp(cols[p], cols[c]))
				add_error(&im, 1, 1, cols[c], "duplicate_column",
					  "columna repetida en el encabezado");
		if (!strcmp(cols[c], "status"))
			status_col = c;
	}
	for (const char *const *q = k->required; *q; q++) {
		bool have = false;
		for (int c = 0; c < ncols; c++)
			have |= !strcmp(cols[c], *q);
		if (!have)
			add_error(&im, 1, 1, *q, "missing_column",
				  "falta esta columna obligatoria en el encabezado");
	}
	if (im.rejected) {
		json_t *e = json_pack("{s:{s:s, s:n, s:s}, s:i, s:i, s:o}", "error", "code",
				      "invalid_header", "field", "message",
				      "el encabezado del CSV no es válido; no se importó nada",
				      "rows", 0, "rejected", im.rejected, "errors", im.errors);
		im.errors = NULL;
		api_json(resp, 422, e);
		goto out;
	}
	/* the rows */
	int cap = 64;
	im.preps = calloc((size_t)cap, sizeof(*im.preps));
	im.rows = calloc((size_t)cap, sizeof(int));
	im.lines = calloc((size_t)cap, sizeof(int));
	if (!im.preps || !im.rows || !im.lines)
		goto nomem;
	while ((rc = csv_next(&r, &err)) == 1) {
		if (im.n >= BULK_MAX_ROWS) {
			api_error(resp, 413, "too_many_rows", "csv",
				  "más de %d filas: divida el archivo", BULK_MAX_ROWS);
			goto out;
		}
		if (im.n == cap) {
			cap *= 2;
			char **np = realloc(im.preps, (size_t)cap * sizeof(*np));
			if (np)
				im.preps = np;
			int *nr = realloc(im.rows, (size_t)cap * sizeof(int));
			if (nr)
				im.rows = nr;
			int *nl = realloc(im.lines, (size_t)cap * sizeof(int));
			if (nl)
				im.lines = nl;
			if (!np || !nr || !nl)
				goto nomem;
		}
		int i = im.n++;
		im.preps[i] = NULL;
		im.rows[i] = r.record;
		im.lines[i] = r.line;
		if (r.nfields != ncols) {
			char m[120];
			snprintf(m, sizeof(m), "la fila tiene %d columnas y el encabezado %d",
				 r.nfields, ncols);
			add_error(&im, r.record, r.line, NULL, "wrong_field_count", m);
			continue;
		}
		json_t *row = json_object();
		bool bad = false;
		for (int c = 0; c < ncols && !bad; c++) {
			if (!utf8_valid(r.field[c], r.len[c])) {
				add_error(&im, r.record, r.line, cols[c], "invalid_encoding",
					  "texto que no es UTF-8 válido (¿guardado como Latin-1? guarde el archivo como CSV UTF-8)");
				bad = true;
			} else if (c == status_col && r.len[c] && strcmp(r.field[c], "active")) {
				add_error(&im, r.record, r.line, cols[c], "not_active",
					  "solo se importan registros activos");
				bad = true;
			} else if (r.len[c] && c != status_col && strcmp(cols[c], "id")) {
				/* the quote an export put before a formula-like
				 * cell is not part of the value */
				size_t g = csv_guard_len(r.field[c], r.len[c]);
				json_object_set_new(row, cols[c],
						    json_stringn(r.field[c] + g, r.len[c] - g));
			}
		}
		if (bad) {
			json_decref(row);
			continue;
		}
		json_array_append_new(hold, row);
		char *prep = calloc(1, k->row_size);
		if (!prep)
			goto nomem;
		struct api_resp scratch;
		memset(&scratch, 0, sizeof(scratch));
		if (k->prepare(req, row, prep, hold, &scratch)) {
			json_t *e = json_object_get(scratch.json, "error");
			char buf[96];
			add_error(&im, r.record, r.line,
				  column_of(k, json_string_value(json_object_get(e, "field")), buf, sizeof(buf)),
				  json_string_value(json_object_get(e, "code")) ? json_string_value(json_object_get(e, "code")) : "invalid",
				  json_string_value(json_object_get(e, "message")) ? json_string_value(json_object_get(e, "message")) : "fila inválida");
			json_decref(scratch.json);
			free(scratch.body);
			free(prep);
			continue;
		}
		json_decref(scratch.json);
		im.preps[i] = prep;
	}
	if (rc < 0) {
		/* a malformed file: the rest cannot be split reliably */
		add_error(&im, r.record, r.line, NULL, err.code, err.message);
		im.malformed = 1;
	}
	if (im.n == 0 && !im.rejected) {
		api_error(resp, 422, "no_rows", "csv", "el archivo no tiene filas de datos");
		goto out;
	}
	im.ids = calloc((size_t)im.n + 1, sizeof(int64_t));
	if (!im.ids)
		goto nomem;
	/* Even with rejected rows the transaction runs: it finds duplicates
	 * against the database for the report, then rolls back. */
	rc = store_write(req->ctx->store, import_fn, &im, &err);
	if (rc && strcmp(err.code, "import_rolled_back")) {
		api_error_from(resp, &err);
		goto out;
	}
	if (rc == 0 && req->ctx->on_record_change)
		for (int i = 0; i < im.imported; i++)
			req->ctx->on_record_change(req->ctx, k->record, im.ids[i]);
	json_t *ids = json_array();
	for (int i = 0; rc == 0 && i < im.imported; i++)
		json_array_append_new(ids, json_integer(im.ids[i]));
	json_t *out = json_pack("{s:b, s:i, s:i, s:i, s:o, s:o}", "dry_run", im.dry,
				"rows", im.n, "accepted", im.n - (im.rejected - im.malformed),
				"rejected", im.rejected, "errors", im.errors, "ids", ids);
	json_object_set_new(out, "errors_truncated", json_boolean(im.rejected > BULK_MAX_ERRORS));
	im.errors = NULL;
	if (im.rejected && !im.dry) {
		json_object_set_new(out, "error",
				    json_pack("{s:s, s:n, s:s}", "code", "import_rejected", "field", "message",
					      "hay filas rechazadas: no se importó nada (corrija y envíe el archivo completo)"));
		api_json(resp, 422, out);
	} else {
		json_object_set_new(out, "imported", json_integer(im.dry ? 0 : im.imported));
		api_json(resp, im.dry ? 200 : 201, out);
	}
	goto out;
nomem:
	api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
out:
	for (int i = 0; i < im.n; i++)
		free(im.preps ? im.preps[i] : NULL);
	free(im.preps);
	free(im.rows);
	free(im.lines);
	free(im.ids);
	json_decref(im.errors);
	json_decref(hold);
	csv_release(&r);
}

json_t *bulk_body(json_t *row, const char *key, const char *const *cols,
		  const char *const *names, json_t *hold)
{
	json_t *b = json_deep_copy(row), *o = NULL;
	for (int i = 0; cols[i]; i++) {
		json_t *v = json_object_get(b, cols[i]);
		if (!v)
			continue;
		if (!o)
			o = json_object();
		json_object_set(o, names ? names[i] : cols[i], v);
		json_object_del(b, cols[i]);
	}
	if (o)
		json_object_set_new(b, key, o);
	json_array_append_new(hold, b);
	return b;
}

void bulk_error_field(struct api_resp *resp, const char *key,
		      const char *columns)
{
	json_t *e = json_object_get(resp->json, "error");
	const char *f = json_string_value(json_object_get(e, "field"));
	if (f && !strcmp(f, key))
		json_object_set_new(e, "field", json_string(columns));
}

void bulk_csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	/* a name or case number typed as "=HYPERLINK(…)" must not run in
	 * the spreadsheet that opens the export (csv.h) */
	const char *guard = csv_formula_guard(s) ? "'" : "";
	if (!csv_needs_quotes(s)) {
		fputs(guard, f);
		fputs(s, f);
		return;
	}
	fputc('"', f);
	fputs(guard, f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void bulk_csv_answer(struct api_resp *resp, FILE *f, char **buf, size_t *len,
		     const char *filename)
{
	if (fclose(f) != 0) {
		free(*buf);
		*buf = NULL;
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	api_raw(resp, 200, "text/csv; charset=utf-8", *buf, *len);
	*buf = NULL;
	char cd[200];
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"", filename);
	api_header(resp, "Content-Disposition", cd);
}

void bulk_export(struct api_req *req, struct api_resp *resp,
		 const struct bulk_kind *k)
{
	const char *st = api_query(req, "status");
	struct store_val p[] = {sv_opt(st)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store, k->export_sql, p, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		store_rows_free(&r);
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	int nc = store_rows_cols(r);
	for (int c = 0; c < nc; c++) {
		if (c)
			fputc(',', f);
		bulk_csv_field(f, store_rows_name(r, c));
	}
	fputs("\r\n", f);
	int n = store_rows_count(r);
	for (int i = 0; i < n; i++) {
		for (int c = 0; c < nc; c++) {
			if (c)
				fputc(',', f);
			bulk_csv_field(f, store_rows_text(r, i, c));
		}
		fputs("\r\n", f);
	}
	store_rows_free(&r);
	char action[64];
	snprintf(action, sizeof(action), "%s.export", k->record);
	json_t *d = json_pack("{s:i, s:s?}", "rows", n, "status", st);
	/* an export whose entry could not be written is not served (server.c) */
	api_audit(req, action, k->record, NULL, d);
	json_decref(d);
	char name[120], day[11];
	api_today(day);
	snprintf(name, sizeof(name), "%s-%s.csv", k->file, day);
	bulk_csv_answer(resp, f, &buf, &len, name);
}
