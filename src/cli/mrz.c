/*
 * mrz.c - `sigm mrz [--today YYYY-MM-DD] [FILE]`: reads machine-readable
 * zones from FILE or stdin, the lines of one document together and a blank
 * line between documents ('#' lines are comments), and prints one JSON
 * object per document (api_mrz_json, the same as the HTTP API).
 * Exit: 0 every document valid, 1 any invalid, 2 unusable input.
 */
#include "api/countries.h"
#include "api/documents.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_CAP (256u << 20)

static bool blank_line(const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return *s == '#';
	return true;
}

/* Reads one document and prints it; returns the worst exit status so far. */
static int one(const char *text, size_t len, int32_t today,
	       const struct mrz_countries *t)
{
	struct mrz_doc doc;
	struct sigm_error err;
	int status;
	json_t *j;
	if (mrz_parse(text, len, today, t, &doc, &err)) {
		j = json_pack("{s:n, s:b, s:{}, s:[{s:s, s:s, s:s}], s:[]}",
			      "format", "valid", 0, "fields", "errors", "code",
			      err.code, "field", err.field, "message", err.message,
			      "suggestions");
		status = 2;
	} else {
		j = api_mrz_json(&doc);
		status = doc.valid ? 0 : 1;
	}
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!s) {
		fprintf(stderr, "sigm mrz: sin memoria\n");
		return 2;
	}
	puts(s);
	free(s);
	return status;
}

int cmd_mrz(int argc, char **argv)
{
	const char *path = NULL;
	int32_t today = api_today_day();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--today") && i + 1 < argc) {
			if (cal_parse_day(argv[++i], &today, "today", NULL))
				return cli_usage(argv[0], "--today: fecha AAAA-MM-DD");
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			return cli_usage(argv[0], "uso: sigm mrz [--today AAAA-MM-DD] [ARCHIVO]");
		} else if (!path && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			path = argv[i];
		} else {
			return cli_usage(argv[0], "argumento inesperado: %s", argv[i]);
		}
	}
	struct api_countries *countries = NULL;
	struct sigm_error err;
	if (api_countries_load(NULL, NULL, &countries, &err)) {
		fprintf(stderr, "sigm mrz: %s\n", err.message);
		return 2;
	}
	size_t len = 0;
	char *buf = cli_read_file(path, INPUT_CAP, &len);
	int worst = 0, ndocs = 0;
	if (!buf) {
		worst = 2;
		goto out;
	}
	const struct mrz_countries *t = api_countries_table(countries);
	/* Documents are runs of non-blank lines; comments are dropped by
	 * copying each document's lines into a small buffer. */
	char doc[MRZ_INPUT_MAX + 2];
	size_t dl = 0;
	bool over = false;
	const char *p = buf, *end = buf + len;
	while (p <= end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		bool blank = blank_line(p, e);
		bool comment = false;
		for (const char *q = p; q < e; q++)
			if (*q != ' ' && *q != '\t') {
				comment = *q == '#';
				break;
			}
		if (!blank) {
			size_t n = (size_t)(e - p);
			if (dl + n + 1 > MRZ_INPUT_MAX)
				over = true;
			else {
				memcpy(doc + dl, p, n);
				dl += n;
				doc[dl++] = '\n';
			}
		}
		if ((blank && !comment) || e == end) {
			if (dl || over) {
				int s = one(doc, over ? MRZ_INPUT_MAX + 1 : dl, today, t);
				worst = s > worst ? s : worst;
				ndocs++;
			}
			dl = 0;
			over = false;
		}
		p = e + 1;
	}
	if (!ndocs) {
		fprintf(stderr, "sigm mrz: la entrada no contiene ninguna MRZ\n");
		worst = 2;
	}
out:
	free(buf);
	api_countries_free(&countries);
	return worst;
}
