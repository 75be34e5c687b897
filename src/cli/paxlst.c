/*
 * paxlst.c - `sigm paxlst [--now WHEN] FILE`: reads a UN/EDIFACT PAXLST
 * interchange ("-" = stdin) and prints it as JSON (docs/paxlst.md).
 *
 * Exit status: 0 read without errors (warnings allowed), 1 read but with
 * errors (the manifest is printed all the same), 2 unusable (not EDIFACT,
 * over a size cap, unreadable) or a usage error.
 *
 * The core has no clock: "flight already arrived" is checked only with
 * --now (a "YYYY-MM-DDTHH:MM" local time, or the word "now").
 *
 * --segments prints the segment reader's view instead, one JSON line per
 * segment ({"i", "tag", "elements": [["c1", "c2"], ...]}, or {"i",
 * "error", "code"}): what the peer comparison (tests/peer) looks at.
 */
#include "api/paxlst_json.h"
#include "cli/cli.h"
#include "core/calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The segment reader alone, as JSON lines; 0, or 1 if a segment failed. */
static int print_segments(const char *buf, size_t len)
{
	struct paxlst_syntax syn;
	struct paxlst_segment *seg = malloc(sizeof(*seg));
	struct sigm_error err;
	const char *p = buf, *end = buf + len;
	int status = 0, r;
	unsigned i = 0;

	if (!seg)
		return 2;
	paxlst_skip_typeb(&p, end);
	if (paxlst_una(&p, end, &syn, &err)) {
		fprintf(stderr, "sigm paxlst: %s\n", err.message);
		free(seg);
		return 2;
	}
	while ((r = paxlst_next_segment(&p, buf, end, &syn, seg, &err)) != 0) {
		json_t *j;
		if (r < 0) {
			j = json_pack("{s:i, s:s, s:s, s:s}", "i", (int)i,
				      "tag", seg->tag, "code", err.code,
				      "error", err.message);
			status = 1;
		} else {
			json_t *els = json_array();
			for (unsigned e = 1; e <= seg->n_elems; e++) {
				json_t *cs = json_array();
				for (unsigned c = 1; c <= paxlst_seg_ncomp(seg, e); c++)
					json_array_append_new(
						cs, json_string(paxlst_seg_get(seg, e, c)));
				json_array_append_new(els, cs);
			}
			j = json_pack("{s:i, s:s, s:o}", "i", (int)i, "tag",
				      seg->tag, "elements", els);
		}
		if (j) {
			json_dumpf(j, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
		}
		json_decref(j);
		i++;
	}
	free(seg);
	return status;
}

static int parse_now(const char *s, struct paxlst_options *opt)
{
	int y, mo, d, hh = 0, mi = 0;
	if (!strcmp(s, "now")) {
		time_t t = time(NULL);
		struct tm tm;
		if (!localtime_r(&t, &tm))
			return -1;
		opt->now_day = cal_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1,
					    tm.tm_mday);
		opt->now_minute = tm.tm_hour * 60 + tm.tm_min;
		return 0;
	}
	size_t n = strlen(s);
	if ((n != 10 && n != 16) ||
	    sscanf(s, "%4d-%2d-%2d", &y, &mo, &d) != 3 ||
	    (n == 16 && sscanf(s + 10, "T%2d:%2d", &hh, &mi) != 2) ||
	    !cal_valid_ymd(y, mo, d) || hh > 23 || mi > 59 || hh < 0 || mi < 0)
		return -1;
	opt->now_day = cal_from_ymd(y, mo, d);
	opt->now_minute = hh * 60 + mi;
	return 0;
}

int cmd_paxlst(int argc, char **argv)
{
	struct paxlst_options opt;
	struct paxlst_interchange ix;
	struct sigm_error err;
	const char *path = NULL;
	char *buf = NULL;
	size_t len = 0;
	json_t *j = NULL;
	int status = 2;
	bool segments = false;

	paxlst_options_init(&opt);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--segments")) {
			segments = true;
		} else if (!strcmp(argv[i], "--now") && i + 1 < argc) {
			if (parse_now(argv[++i], &opt))
				return cli_usage(argv[0],
						 "--now: se espera AAAA-MM-DD[THH:MM] o «now»");
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage(argv[0], "opción desconocida «%s»\n"
						  "uso: sigm paxlst [--segments] [--now AAAA-MM-DDTHH:MM|now] FICHERO",
					 argv[i]);
		} else if (path) {
			return cli_usage(argv[0], "un solo fichero");
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return cli_usage(argv[0],
				 "uso: sigm paxlst [--segments] [--now AAAA-MM-DDTHH:MM|now] FICHERO");
	buf = cli_read_file(path, PAXLST_MAX_INPUT, &len);
	if (!buf)
		return 2;
	if (segments) {
		status = print_segments(buf, len);
		free(buf);
		return status;
	}
	int rc = paxlst_parse(buf, len, &opt, &ix, &err);
	j = paxlst_to_json(&ix);
	if (!j) {
		fprintf(stderr, "sigm paxlst: sin memoria\n");
		goto out;
	}
	if (rc) {
		/* unusable: what was found is still worth printing */
		json_t *e = json_pack("{s:i, s:s, s:s, s:s, s:s}", "segment", 0,
				      "tag", "", "element", err.field, "code",
				      err.code, "message", err.message);
		json_array_insert_new(json_object_get(j, "errors"), 0, e);
		fprintf(stderr, "sigm paxlst: %s\n", err.message);
	}
	if (json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    fputc('\n', stdout) == EOF || fflush(stdout)) {
		fprintf(stderr, "sigm paxlst: no se pudo escribir la salida\n");
		goto out;
	}
	status = rc ? 2 : ix.n_errors ? 1 : 0;
out:
	json_decref(j);
	paxlst_release(&ix);
	free(buf);
	return status;
}
