/*
 * bench_paxlst.c - PAXLST parse speed on one core: a generated D05B
 * manifest of 500 passengers (and 12 crew), parsed again and again.
 *
 *   build/bench/paxlst [PASSENGERS] [SECONDS]
 *   build/bench/paxlst --print [PASSENGERS]   (the manifest, to stdout)
 *
 * Prints per-manifest time (median and 99th percentile of single parses),
 * manifests/s and passengers/s sustained over SECONDS, for the parse alone
 * and for parse + JSON rendering (what `sigm paxlst` and the ingest API
 * do).  Screening against the name index is not measured here yet: the
 * index (src/core/screen) is being written; see bench/RESULTS.md.
 */
#include "api/paxlst_json.h"
#include "core/paxlst.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const SURNAMES[] = {
	"HERNANDEZ", "GARCIA", "MARTINEZ", "LOPEZ", "RODRIGUEZ", "PEREZ",
	"SMITH", "O?'BRIEN", "MULLER", "NGUYEN", "DE LA CRUZ", "ABDULLAH"};
static const char *const GIVEN[] = {"JOSE", "MARIA", "ANA", "JOHN", "LUIS",
				    "FATIMA", "WEI", "CARMEN", "PEDRO"};
static const char *const NATS[] = {"SLV", "USA", "GTM", "HND", "MEX", "ESP",
				   "CAN", "DEU", "CHN", "NIC"};

/* Appends to a growing buffer (the generator is not under test). */
static void add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static void add(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < *cap - *len) {
			*len += (size_t)n;
			return;
		}
		*cap *= 2;
		*buf = realloc(*buf, *cap);
		if (!*buf)
			abort();
	}
}

static char *manifest(int pax, int crew, size_t *len_r)
{
	size_t cap = 4096, len = 0;
	char *b = malloc(cap);
	int seg = 0;
	/* the flight leaves tomorrow, so that an ingest with a clock accepts
	 * it (the parse itself has no clock) */
	time_t tt = time(NULL) + 86400;
	struct tm tm;
	char day[16];
	gmtime_r(&tt, &tm);
	snprintf(day, sizeof(day), "%02d%02d%02d", tm.tm_year % 100,
		 tm.tm_mon + 1, tm.tm_mday);
	if (!b)
		abort();
	b[0] = '\0';
	add(&b, &len, &cap, "UNA:+.? '\n");
	add(&b, &len, &cap, "UNB+UNOA:4+TAIRLINE:ZZ+SLVAPIS:ZZ+261125:1200+B00001++APIS'\n");
	add(&b, &len, &cap, "UNG+PAXLST+TA AIRLINES+SLVAPIS+261125:1200+1+UN+D:05B'\n");
	add(&b, &len, &cap, "UNH+M1+PAXLST:D:05B:UN:IATA+TA0101+01:F'\n");
	add(&b, &len, &cap, "BGM+745'\nRFF+TN:TA0101261126:::1'\nNAD+MS+++OPERACIONES'\nCOM+503-2200-0000:TE'\n");
	add(&b, &len, &cap, "TDT+20+TA101+++TA'\nLOC+125+MIA'\nDTM+189:%s0800:201'\nLOC+87+SAL'\nDTM+232:%s1030:201'\n",
	    day, day);
	seg = 13;
	for (int i = 0; i < pax + crew; i++) {
		bool c = i >= pax;
		add(&b, &len, &cap,
		    "NAD+%s+++%s:%s:%s+CALLE %d+SAN SALVADOR++01101+SLV'\n"
		    "ATT+2++%c'\nDTM+329:%02d%02d%02d'\n"
		    "LOC+22+SAL'\nLOC+174+%s'\nLOC+178+MIA'\nLOC+179+SAL'\n"
		    "NAT+2+%s'\nRFF+AVF:X%05d'\nRFF+SEA:%d%c'\n"
		    "DOC+P:110:111+P%08d'\nDTM+36:%02d%02d%02d'\nLOC+91+%s'\n",
		    c ? "FM" : "FL", SURNAMES[i % 12], GIVEN[i % 9],
		    GIVEN[(i / 9) % 9], i, i % 2 ? 'F' : 'M', 40 + i % 60,
		    1 + i % 12, 1 + i % 28, NATS[i % 10], NATS[(i / 3) % 10],
		    i, 1 + i / 6, 'A' + i % 6, 10000000 + i * 7, 27 + i % 8,
		    1 + i % 12, 1 + i % 28, NATS[i % 10]);
		seg += 13;
	}
	add(&b, &len, &cap, "CNT+42:%d'\nCNT+41:%d'\n", pax, crew);
	seg += 2;
	add(&b, &len, &cap, "UNT+%d+M1'\nUNE+1+1'\nUNZ+1+B00001'\n", seg + 1 - 3);
	*len_r = len;
	return b;
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int run(const char *name, const char *buf, size_t len, int pax,
	       double secs, bool json)
{
	enum { SAMPLES = 2000 };
	static double t[SAMPLES];
	struct paxlst_interchange ix;
	long n = 0;
	int ns = 0;
	double t0 = now_s(), end = t0 + secs, c0 = cpu_s();
	while (now_s() < end) {
		double a = now_s();
		if (paxlst_parse(buf, len, NULL, &ix, NULL) != 0 ||
		    ix.n_errors != 0 || ix.messages[0].n_passengers != (unsigned)pax) {
			fprintf(stderr, "bench: manifest did not parse cleanly\n");
			paxlst_release(&ix);
			return 1;
		}
		if (json) {
			json_t *j = paxlst_to_json(&ix);
			char *s = json_dumps(j, JSON_COMPACT);
			free(s);
			json_decref(j);
		}
		paxlst_release(&ix);
		double d = now_s() - a;
		if (ns < SAMPLES)
			t[ns++] = d;
		else
			t[n % SAMPLES] = d;
		n++;
	}
	double el = now_s() - t0, cpu = cpu_s() - c0;
	qsort(t, (size_t)ns, sizeof(t[0]), cmp_d);
	/* wall-clock figures suffer from a shared machine; CPU time per
	 * manifest is what one dedicated core would give */
	printf("%-14s %4d pax  wall: %7.3f ms median %7.3f ms p99 %6.0f manifests/s %8.0f pax/s"
	       " | cpu: %6.3f ms/manifest %6.0f manifests/s %8.0f pax/s\n",
	       name, pax, t[ns / 2] * 1e3, t[(ns * 99) / 100] * 1e3,
	       (double)n / el, (double)n * pax / el, cpu / (double)n * 1e3,
	       (double)n / cpu, (double)n * pax / cpu);
	return 0;
}

int main(int argc, char **argv)
{
	/* --print N: write the generated manifest to stdout (bench/paxlst
	 * /ingest.mjs posts it to a server) */
	bool print = argc > 1 && !strcmp(argv[1], "--print");
	if (print) {
		argv++;
		argc--;
	}
	int pax = argc > 1 ? atoi(argv[1]) : 500;
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	size_t len;
	char *buf = manifest(pax, 12, &len);
	if (print) {
		fwrite(buf, 1, len, stdout);
		free(buf);
		return 0;
	}
	struct paxlst_interchange ix;
	if (paxlst_parse(buf, len, NULL, &ix, NULL) || ix.n_errors ||
	    ix.n_warnings) {
		fprintf(stderr, "bench: generated manifest is not clean (%u errors, %u warnings: %s)\n",
			ix.n_errors, ix.n_warnings,
			ix.n_errors ? ix.errors[0].message
				    : ix.n_warnings ? ix.warnings[0].message : "");
		return 1;
	}
	printf("paxlst: %d passengers + 12 crew, %zu bytes, %u segments, one core\n",
	       pax, len, ix.n_segments);
	paxlst_release(&ix);
	int rc = run("parse", buf, len, pax, secs, false);
	rc |= run("parse + JSON", buf, len, pax, secs, true);
	printf("screening against the 1,000,000-entry index: not measured (src/core/screen not merged yet)\n");
	free(buf);
	return rc;
}
