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
 * do), then parse + screening of every person (passengers and crew)
 * against a screening index of PAXLST_SCREEN_N generated entries (default
 * 1,000,000; bench/screen/gen.c, seed 1; 0 skips it) with the server's
 * settings (threshold 73, 5 hits a person, explanations on): what the
 * ingest does between the parse and the write of the hits; first on one
 * thread, then on two (the persons taken in turn by two threads, as
 * apis_screen.c does; PAXLST_ONE_THREAD=1 skips it).
 */
#include "../screen/gen.h"
#include "api/paxlst_json.h"
#include "api/screen_names.h"
#include "core/paxlst.h"
#include "core/screen.h"

#include <pthread.h>
#include <stdatomic.h>
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

/* The same manifest with the persons of the watch-list generator (seed 2:
 * the index's name distribution, none of them listed): a typical
 * Salvadoran flight rather than 512 variations of the twelve commonest
 * names. */
static char *manifest_gen(int pax, size_t *len_r)
{
	struct gperson *g = malloc((size_t)pax * sizeof(*g));
	size_t cap = 4096, len = 0;
	char *b = malloc(cap);
	int seg;
	if (!g || !b)
		abort();
	gen_entries(g, (size_t)pax, 2);
	time_t tt = time(NULL) + 86400;
	struct tm tm;
	char day[16];
	gmtime_r(&tt, &tm);
	snprintf(day, sizeof(day), "%02d%02d%02d", tm.tm_year % 100,
		 tm.tm_mon + 1, tm.tm_mday);
	b[0] = '\0';
	add(&b, &len, &cap, "UNA:+.? '\nUNB+UNOA:4+TAIRLINE:ZZ+SLVAPIS:ZZ+261125:1200+B00001'\n");
	add(&b, &len, &cap, "UNH+M1+PAXLST:D:05B:UN:IATA'\nBGM+745'\nNAD+MS+++OPS'\n");
	add(&b, &len, &cap, "TDT+20+TA101+++TA'\nLOC+125+MIA'\nDTM+189:%s0800:201'\nLOC+87+SAL'\nDTM+232:%s1030:201'\n",
	    day, day);
	seg = 9;
	for (int i = 0; i < pax; i++) {
		char sur[96], giv[96], dob[8];
		/* EDIFACT release of the separators a name may hold */
		size_t k = 0;
		for (const char *c = g[i].sur; *c && k + 2 < sizeof(sur); c++) {
			if (*c == '\'' || *c == '+' || *c == ':' || *c == '?')
				sur[k++] = '?';
			sur[k++] = *c;
		}
		sur[k] = '\0';
		k = 0;
		for (const char *c = g[i].given; *c && k + 2 < sizeof(giv); c++) {
			if (*c == '\'' || *c == '+' || *c == ':' || *c == '?')
				giv[k++] = '?';
			giv[k++] = *c;
		}
		giv[k] = '\0';
		/* a partial birth date of the generator: no DTM+329 */
		bool full = strlen(g[i].dob) == 10;
		snprintf(dob, sizeof(dob), "%.2s%.2s%.2s", g[i].dob + 2,
			 full ? g[i].dob + 5 : "", full ? g[i].dob + 8 : "");
		add(&b, &len, &cap, "NAD+FL+++%s:%s'\nATT+2++%s'\n", sur, giv,
		    g[i].sex[0] ? g[i].sex : "F");
		if (full)
			add(&b, &len, &cap, "DTM+329:%s'\n", dob);
		add(&b, &len, &cap, "NAT+2+%s'\nDOC+P+Q%08d'\nDTM+36:300101'\nLOC+91+%s'\n",
		    g[i].nat, 20000000 + i, g[i].nat);
		seg += full ? 7 : 6;
	}
	add(&b, &len, &cap, "CNT+42:%d'\n", pax);
	seg++;
	add(&b, &len, &cap, "UNT+%d+M1'\nUNZ+1+B00001'\n", seg - 1);
	free(g);
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

/* The persons of one parsed manifest, screened by several threads taking
 * them in turn: what apis_screen.c's prescreen() does in the ingest. */
struct pjob {
	struct screen_index *sx;
	const struct paxlst_interchange *ix;
	unsigned n;
	atomic_uint next;
	atomic_long hits;
};

static void screen_one(struct screen_index *sx, const struct paxlst_person *p,
		       struct screen_memo *memo, long *hits)
{
	char birth[11];
	cal_format(p->birth_date, birth);
	struct screen_person q = {p->given_names, p->surnames, birth, p->sex,
				  p->nationality,
				  p->n_docs ? p->docs[0].number : NULL};
	struct screen_opts o = {SCREEN_DEFAULT_THRESHOLD, 5, CAL_NONE, true, memo};
	struct screen_result r;
	if (screen_query(sx, &q, &o, &r, NULL) == 0) {
		*hits += r.n;
		screen_result_release(&r);
	}
}

static void *pjob_run(void *arg)
{
	struct pjob *j = arg;
	long h = 0;
	struct screen_memo *memo = NULL; /* a thread's, as in the ingest */
	(void)screen_memo_new(&memo);
	for (;;) {
		unsigned i = atomic_fetch_add(&j->next, 1);
		if (i >= j->n)
			break;
		/* one message in the generated manifests */
		screen_one(j->sx, &j->ix->messages[0].persons[i], memo, &h);
	}
	screen_memo_free(&memo);
	atomic_fetch_add(&j->hits, h);
	return NULL;
}

static double proc_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse + screen of every person on two threads (a thread started per
 * manifest, as in the ingest), again and again for secs. */
static int run_screen2(struct screen_index *sx, const char *what,
		       const char *buf, size_t len, int pax, double secs)
{
	enum { SAMPLES = 2000 };
	static double t[SAMPLES];
	struct paxlst_interchange ix;
	long n = 0, hits = 0;
	int ns = 0;
	double t0 = now_s(), end = t0 + secs, c0 = proc_cpu_s();
	while (now_s() < end || n < 3) {
		double a = now_s();
		if (paxlst_parse(buf, len, NULL, &ix, NULL) != 0 || ix.n_errors ||
		    ix.n_messages != 1) {
			fprintf(stderr, "bench: %s manifest did not parse cleanly\n", what);
			paxlst_release(&ix);
			return 1;
		}
		struct pjob j = {sx, &ix, ix.messages[0].n_persons, 0, 0};
		pthread_t th;
		bool started = pthread_create(&th, NULL, pjob_run, &j) == 0;
		pjob_run(&j);
		if (started)
			pthread_join(th, NULL);
		hits += atomic_load(&j.hits);
		paxlst_release(&ix);
		double d = now_s() - a;
		if (ns < SAMPLES)
			t[ns++] = d;
		else
			t[n % SAMPLES] = d;
		n++;
	}
	double el = now_s() - t0, cpu = proc_cpu_s() - c0;
	qsort(t, (size_t)ns, sizeof(t[0]), cmp_d);
	printf("parse + screen (%s), 2 threads %4d pax  wall: %7.3f ms median %7.3f ms p99 %6.1f manifests/s %8.0f pax/s"
	       " | cpu (both threads): %6.3f ms/manifest | %.2f hits/manifest\n",
	       what, pax, t[ns / 2] * 1e3, t[(ns * 99) / 100] * 1e3,
	       (double)n / el, (double)n * pax / el, cpu / (double)n * 1e3,
	       (double)hits / (double)n);
	return 0;
}

/* Parse + screen of every person, again and again for secs. */
static int run_screen(struct screen_index *sx, const char *what,
		      const char *buf, size_t len, int pax, double secs)
{
	enum { SAMPLES = 2000 };
	static double t[SAMPLES];
	struct paxlst_interchange ix;
	long n = 0, hits = 0, queries = 0, walked = 0, scored = 0;
	int ns = 0;
	double t0 = now_s(), end = t0 + secs, c0 = cpu_s();
	while (now_s() < end || n < 3) {
		double a = now_s();
		if (paxlst_parse(buf, len, NULL, &ix, NULL) != 0 || ix.n_errors) {
			fprintf(stderr, "bench: %s manifest did not parse cleanly: %s\n",
				what, ix.n_errors ? ix.errors[0].message : "");
			paxlst_release(&ix);
			return 1;
		}
		struct screen_memo *memo = NULL; /* one per manifest, as in the
						    ingest */
		(void)screen_memo_new(&memo);
		for (unsigned m = 0; m < ix.n_messages; m++)
			for (unsigned i = 0; i < ix.messages[m].n_persons; i++) {
				const struct paxlst_person *p = &ix.messages[m].persons[i];
				char birth[11];
				cal_format(p->birth_date, birth);
				struct screen_person q = {
					p->given_names, p->surnames, birth, p->sex,
					p->nationality,
					p->n_docs ? p->docs[0].number : NULL};
				struct screen_opts o = {SCREEN_DEFAULT_THRESHOLD, 5,
							CAL_NONE, true, memo};
				struct screen_result r;
				if (screen_query(sx, &q, &o, &r, NULL) == 0) {
					hits += r.n;
					walked += (long)r.walked;
					scored += (long)r.candidates;
					screen_result_release(&r);
				}
				queries++;
			}
		screen_memo_free(&memo);
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
	printf("parse + screen (%s) %4d pax  wall: %7.3f ms median %7.3f ms p99 %6.1f manifests/s %8.0f pax/s"
	       " | cpu: %6.3f ms/manifest %6.1f manifests/s %8.0f pax/s | %.2f hits/manifest"
	       " | work: %.0f postings walked, %.0f entries scored per manifest\n",
	       what, pax, t[ns / 2] * 1e3, t[(ns * 99) / 100] * 1e3,
	       (double)n / el, (double)n * pax / el, cpu / (double)n * 1e3,
	       (double)n / cpu, (double)n * pax / cpu, (double)hits / (double)n,
	       (double)walked / (double)n, (double)scored / (double)n);
	(void)queries;
	return 0;
}

static struct screen_index *build_index(size_t n)
{
	struct names_table *names = NULL;
	struct screen_index *sx = NULL;
	struct sigm_error err;
	if (screen_names_load(NULL, &names, &err) || screen_new(&sx, names, &err)) {
		fprintf(stderr, "bench: %s\n", err.message);
		return NULL;
	}
	struct gperson *e = malloc(n * sizeof(*e));
	if (!e)
		return NULL;
	double t0 = now_s();
	gen_entries(e, n, 1);
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof(id), "%zu", i);
		struct screen_entry en = {
			id, {e[i].given, e[i].sur, e[i].dob, e[i].sex, e[i].nat, e[i].doc},
			"bench", id, CAL_NONE, CAL_NONE};
		screen_put(sx, &en, NULL);
	}
	printf("screening index: %zu entries (bench/screen/gen.c, seed 1), built in %.1f s, %.0f MB\n",
	       screen_count(sx), now_s() - t0, (double)screen_memory(sx) / 1e6);
	free(e);
	return sx; /* names: kept for the life of the process */
}

int main(int argc, char **argv)
{
	/* --print N: write the generated manifest to stdout (bench/paxlst
	 * /ingest.mjs posts it to a server); --print-gen N: the manifest of
	 * generated names; --print-list N: the first N entries of the
	 * 1,000,000-entry watch list (gen.c, seed 1) as CSV, which ingest.mjs
	 * loads into the server's alerts so that the server screens against
	 * the same index as this binary */
	if (argc > 2 && !strcmp(argv[1], "--print-list")) {
		size_t n = (size_t)atol(argv[2]);
		struct gperson *e = malloc((n + 1) * sizeof(*e));
		if (!e)
			return 1;
		gen_entries(e, n, 1);
		printf("given_names,surnames,birth_date,sex,nationality,document_number\n");
		for (size_t i = 0; i < n; i++)
			printf("\"%s\",\"%s\",%s,%s,%s,%s\n", e[i].given, e[i].sur,
			       e[i].dob, e[i].sex, e[i].nat, e[i].doc);
		free(e);
		return 0;
	}
	bool print = argc > 1 && !strcmp(argv[1], "--print");
	bool print_gen = argc > 1 && !strcmp(argv[1], "--print-gen");
	if (print || print_gen) {
		argv++;
		argc--;
	}
	int pax = argc > 1 ? atoi(argv[1]) : 500;
	double secs = argc > 2 ? atof(argv[2]) : 3.0;
	size_t len;
	char *buf = print_gen ? manifest_gen(pax, &len) : manifest(pax, 12, &len);
	if (print || print_gen) {
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
	const char *sn = getenv("PAXLST_SCREEN_N");
	size_t n = sn ? (size_t)atol(sn) : 1000000;
	if (n && rc == 0) {
		struct screen_index *sx = build_index(n);
		rc |= sx ? run_screen(sx, "common names", buf, len, pax, secs) : 1;
		size_t glen;
		char *gbuf = manifest_gen(pax, &glen);
		if (sx && rc == 0)
			rc |= run_screen(sx, "generated", gbuf, glen, pax, secs);
		if (sx && rc == 0 && !getenv("PAXLST_ONE_THREAD")) {
			rc |= run_screen2(sx, "common names", buf, len, pax, secs);
			rc |= run_screen2(sx, "generated", gbuf, glen, pax, secs);
		}
		free(gbuf);
		screen_free(&sx);
	}
	free(buf);
	return rc;
}
