/*
 * bench_mrz.c - MRZ documents parsed per second on one core.
 *
 *   build/bench/mrz [CORPUS [SECONDS]]
 *
 * Reads the corpus the peer comparison uses (tests/data/mrz/peer-corpus.txt:
 * documents separated by blank lines, '#' comments), then calls mrz_parse()
 * over it round after round for SECONDS (default 3) of wall time on one
 * thread, with the iso-codes country table loaded as the server does.
 * Prints one line with the rate per CPU second of the thread (what one core
 * does, even when the machine is shared) and per wall second.
 */
#include "api/countries.h"
#include "core/mrz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_DOCS 4096

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "tests/data/mrz/peer-corpus.txt";
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	static const char *doc[MAX_DOCS];
	static size_t len[MAX_DOCS];
	static char buf[1 << 20];
	FILE *f;
	/* Documents: runs of non-blank, non-comment lines, copied together. */
	int nd = 0;
	size_t bl = 0;
	bool open = false;
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 2;
	}
	char ln[256];
	while (fgets(ln, sizeof(ln), f)) {
		size_t l = strcspn(ln, "\r\n");
		ln[l] = 0;
		bool blank = l == 0;
		if (ln[0] == '#')
			continue;
		if (blank) {
			if (open) {
				len[nd - 1] = (size_t)(buf + bl - doc[nd - 1]);
				open = false;
			}
			continue;
		}
		if (!open) {
			if (nd == MAX_DOCS)
				break;
			doc[nd++] = buf + bl;
			open = true;
		}
		memcpy(buf + bl, ln, l);
		bl += l;
		buf[bl++] = '\n';
	}
	if (open)
		len[nd - 1] = (size_t)(buf + bl - doc[nd - 1]);
	fclose(f);

	struct api_countries *c = NULL;
	struct sigm_error err;
	if (api_countries_load(NULL, NULL, &c, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 2;
	}
	const struct mrz_countries *t = api_countries_table(c);
	int32_t today = cal_from_ymd(2026, 11, 25);
	static struct mrz_doc d;
	long long parses = 0, valid = 0;
	for (int i = 0; i < nd; i++) { /* warm up, count the valid ones */
		mrz_parse(doc[i], len[i], today, t, &d, NULL);
		valid += d.valid;
	}
	/* Wall time bounds the run; the thread's CPU time gives the rate,
	 * which is what "one core" means on a shared machine. */
	double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	double w1, c1;
	do {
		for (int i = 0; i < nd; i++)
			mrz_parse(doc[i], len[i], today, t, &d, NULL);
		parses += nd;
		w1 = clock_s(CLOCK_MONOTONIC);
	} while (w1 - w0 < secs);
	c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	double rate = (double)parses / (c1 - c0);
	printf("mrz: %d documents (%lld valid), %.0f parses/s per CPU second "
	       "(%.0f ns/parse), %.0f parses/s wall\n",
	       nd, valid, rate, 1e9 / rate, (double)parses / (w1 - w0));
	api_countries_free(&c);
	return 0;
}
