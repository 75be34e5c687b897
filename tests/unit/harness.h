/*
 * harness.h - the unit-test harness: one executable per tests/unit/test_*.c.
 *
 *   static void t_parse_td3(void) { T_EQ_STR(doc.surnames, "ERIKSSON"); }
 *   static const struct t_case cases[] = { T(t_parse_td3), {0} };
 *   T_MAIN(cases)
 *
 * Each case runs in order; a failed assertion records the failure and returns
 * from the case.  The program prints "NAME: N passed, N failed" and exits 1
 * when anything failed; tests/run-unit.sh adds the files up.
 * Data files are found relative to SIGM_SRCDIR (default ".").
 */
#ifndef SIGM_TEST_HARNESS_H
#define SIGM_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct t_case {
	const char *name;
	void (*fn)(void);
};
#define T(fn) { #fn, fn }

static int t_failed_now;
static int t_checks;

#define T_FAIL_(...)                                                        \
	do {                                                                \
		fprintf(stderr, "  FAIL %s:%d: ", __FILE__, __LINE__);      \
		fprintf(stderr, __VA_ARGS__);                               \
		fputc('\n', stderr);                                        \
		t_failed_now = 1;                                           \
		return;                                                     \
	} while (0)

#define T_ASSERT(c)                                                         \
	do {                                                                \
		t_checks++;                                                 \
		if (!(c))                                                   \
			T_FAIL_("assertion failed: %s", #c);                \
	} while (0)

#define T_EQ_INT(a, b)                                                      \
	do {                                                                \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);     \
		t_checks++;                                                 \
		if (t_a_ != t_b_)                                           \
			T_FAIL_("%s == %lld, expected %s == %lld", #a, t_a_, \
				#b, t_b_);                                  \
	} while (0)

#define T_EQ_STR(a, b)                                                      \
	do {                                                                \
		const char *t_a_ = (a), *t_b_ = (b);                        \
		t_checks++;                                                 \
		if (!t_a_ || !t_b_ || strcmp(t_a_, t_b_) != 0)              \
			T_FAIL_("%s == \"%s\", expected \"%s\"", #a,        \
				t_a_ ? t_a_ : "(null)",                     \
				t_b_ ? t_b_ : "(null)");                    \
	} while (0)

static inline const char *t_srcdir(void)
{
	const char *d = getenv("SIGM_SRCDIR");
	return d && *d ? d : ".";
}

static inline int t_run(const char *prog, const struct t_case *cases)
{
	int passed = 0, failed = 0;
	const char *only = getenv("T_ONLY");
	/* T_TIMES=1: each case's wall time on stderr, to find the slow ones */
	const char *times = getenv("T_TIMES");
	for (const struct t_case *c = cases; c->name; c++) {
		if (only && !strstr(c->name, only))
			continue;
		t_failed_now = 0;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		c->fn();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (times && *times)
			fprintf(stderr, "  %8.3f s %s\n",
				(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, c->name);
		if (t_failed_now) {
			failed++;
			fprintf(stderr, "  not ok %s\n", c->name);
		} else {
			passed++;
		}
	}
	const char *base = strrchr(prog, '/');
	printf("%s: %d passed, %d failed\n", base ? base + 1 : prog, passed,
	       failed);
	return failed ? 1 : 0;
}

#define T_MAIN(cases)                                                       \
	int main(int argc, char **argv)                                     \
	{                                                                   \
		(void)argc;                                                 \
		return t_run(argv[0], cases);                               \
	}

#endif
