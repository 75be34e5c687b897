/*
 * screen.c - `sigm screen`: screens every person of a query CSV against a
 * watch-list CSV with the screening index (src/core/screen.h) and prints
 * query_id,entry_id,score (or JSON lines with the reasons, --explain).
 */
#include "cli/cli.h"

#include "api/bulk.h"
#include "api/screen_api.h"
#include "api/screen_names.h"
#include "core/screen.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_FILE_MAX ((size_t)4 << 30)

struct load_ctx {
	struct screen_index *ix;
	const char *path;
	long bad;
};

static int on_entry(const struct screen_csv_row *r, void *vctx)
{
	struct load_ctx *c = vctx;
	struct sigm_error e;
	struct screen_entry en = {
		.id = r->f[SCREEN_COL_ID],
		.person = {
			.given_names = r->f[SCREEN_COL_GIVEN],
			.surnames = r->f[SCREEN_COL_SURNAMES],
			.birth_date = r->f[SCREEN_COL_BIRTH],
			.sex = r->f[SCREEN_COL_SEX],
			.nationality = r->f[SCREEN_COL_NATIONALITY],
			.document_number = r->f[SCREEN_COL_DOCUMENT],
		},
		.category = "watchlist",
		.record_ref = r->f[SCREEN_COL_ID],
		.valid_until = CAL_NONE,
	};
	int rc = screen_put(c->ix, &en, &e);
	if (rc == SIGM_ENOMEM)
		return rc;
	if (rc) {
		fprintf(stderr, "sigm screen: %s línea %ld: %s (omitida)\n",
			c->path, r->line, e.message);
		c->bad++;
	}
	return 0;
}

struct query_ctx {
	struct screen_index *ix;
	const char *path;
	struct screen_opts opts;
	long bad;
};

/* The server's explanation of a hit (POST /api/v1/screen), with the
 * query it answers. */
static json_t *explain_json(const char *qid, const struct screen_hit *h)
{
	json_t *j = api_screen_hit_json(h);
	json_object_set_new(j, "query_id", json_string(qid));
	return j;
}

static int on_query(const struct screen_csv_row *r, void *vctx)
{
	struct query_ctx *c = vctx;
	struct sigm_error e;
	struct screen_result res;
	struct screen_person p = {
		.given_names = r->f[SCREEN_COL_GIVEN],
		.surnames = r->f[SCREEN_COL_SURNAMES],
		.birth_date = r->f[SCREEN_COL_BIRTH],
		.sex = r->f[SCREEN_COL_SEX],
		.nationality = r->f[SCREEN_COL_NATIONALITY],
		.document_number = r->f[SCREEN_COL_DOCUMENT],
	};
	int rc = screen_query(c->ix, &p, &c->opts, &res, &e);
	if (rc == SIGM_ENOMEM)
		return rc;
	if (rc) {
		fprintf(stderr, "sigm screen: %s línea %ld: %s (omitida)\n",
			c->path, r->line, e.message);
		c->bad++;
		return 0;
	}
	for (int i = 0; i < res.n; i++) {
		if (c->opts.explain) {
			json_t *j = explain_json(r->f[SCREEN_COL_ID], &res.hits[i]);
			char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
			if (s)
				puts(s);
			free(s);
			json_decref(j);
		} else {
			bulk_csv_field(stdout, r->f[SCREEN_COL_ID]);
			fputc(',', stdout);
			bulk_csv_field(stdout, res.hits[i].id);
			printf(",%d\n", res.hits[i].score);
		}
	}
	screen_result_release(&res);
	return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int cmd_screen(int argc, char **argv)
{
	const char *wl = NULL, *qf = NULL, *datadir = NULL;
	struct query_ctx qc = {.opts = {.threshold = SCREEN_DEFAULT_THRESHOLD,
					.top = 50,
					.on = CAL_NONE}};
	struct load_ctx lc = {0};
	struct names_table *names = NULL;
	struct screen_index *ix = NULL;
	struct sigm_error e;
	char *buf = NULL;
	size_t len;
	int rc = 2;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--explain") == 0) {
			qc.opts.explain = true;
			continue;
		}
		if (!v)
			return cli_usage(argv[0], "falta el valor de %s", a);
		i++;
		if (strcmp(a, "--watchlist") == 0)
			wl = v;
		else if (strcmp(a, "--queries") == 0)
			qf = v;
		else if (strcmp(a, "--data") == 0)
			datadir = v;
		else if (strcmp(a, "--threshold") == 0) {
			if (parse_int(v, 0, 100, &qc.opts.threshold))
				return cli_usage(argv[0], "--threshold debe ser 0..100");
		} else if (strcmp(a, "--top") == 0) {
			if (parse_int(v, 1, SCREEN_TOP_MAX, &qc.opts.top))
				return cli_usage(argv[0], "--top debe ser 1..%d", SCREEN_TOP_MAX);
		} else
			return cli_usage(argv[0], "opción desconocida: %s", a);
	}
	if (!wl || !qf)
		return cli_usage(argv[0],
				 "uso: sigm screen --watchlist W.csv --queries Q.csv "
				 "[--threshold N] [--top K] [--explain] [--data DIR]");
	if (screen_names_load(datadir, &names, &e) || screen_new(&ix, names, &e)) {
		fprintf(stderr, "sigm screen: %s\n", e.message);
		goto out;
	}
	buf = cli_read_file(wl, CSV_FILE_MAX, &len);
	if (!buf)
		goto out;
	lc.ix = ix;
	lc.path = wl;
	if (screen_csv_parse(buf, len, on_entry, &lc, &e)) {
		fprintf(stderr, "sigm screen: %s: %s\n", wl, e.message);
		goto out;
	}
	free(buf);
	buf = cli_read_file(qf, CSV_FILE_MAX, &len);
	if (!buf)
		goto out;
	qc.ix = ix;
	qc.path = qf;
	if (screen_memo_new(&qc.opts.memo)) {
		fprintf(stderr, "sigm screen: memoria insuficiente\n");
		goto out;
	}
	if (!qc.opts.explain)
		puts("query_id,entry_id,score");
	if (screen_csv_parse(buf, len, on_query, &qc, &e)) {
		fprintf(stderr, "sigm screen: %s: %s\n", qf, e.message);
		goto out;
	}
	if (lc.bad || qc.bad)
		fprintf(stderr, "sigm screen: %ld entradas y %ld consultas omitidas\n",
			lc.bad, qc.bad);
	rc = 0;
out:
	fflush(stdout);
	free(buf);
	screen_memo_free(&qc.opts.memo);
	screen_free(&ix);
	names_table_free(&names);
	return rc;
}
