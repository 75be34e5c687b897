/*
 * test_screen_peer.c - other engines' test data (tests/data/screen, see
 * PROVENANCE.md) run through SIGM's name score.  These are checks of
 * agreement, not targets: each case below says where SIGM differs on
 * purpose.  The name score is the names part of the score scaled to 0-100
 * (no birth date in these pairs), computed on a one-entry list.
 */
#include "api/screen_names.h"
#include "core/screen.h"
#include "harness.h"

#include <math.h>

static struct names_table *tab;

static char *slurp(const char *rel)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/data/screen/%s", t_srcdir(), rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = calloc(1, 1 << 20);
	size_t n = fread(b, 1, (1 << 20) - 1, f);
	b[n] = 0;
	fclose(f);
	return b;
}

/* name score 0..100 of query against result ("SURNAME, Given" allowed) */
static double name_score(const char *query, const char *result)
{
	struct screen_index *ix = NULL;
	struct screen_result r;
	struct screen_opts o = {0, 1, CAL_NONE, false, NULL};
	double s = 0;
	char g[256] = "", sur[256];
	const char *comma = strchr(result, ',');
	if (comma) { /* "PUTIN, Vladimir": surname first */
		snprintf(sur, sizeof(sur), "%.*s", (int)(comma - result), result);
		snprintf(g, sizeof(g), "%s", comma + 1);
	} else
		snprintf(sur, sizeof(sur), "%s", result);
	struct screen_entry e = {"R", {g, sur, NULL, NULL, NULL, NULL}, "peer", "R", CAL_NONE, CAL_NONE};
	if (!tab) {
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/data", t_srcdir());
		screen_names_load(dir, &tab, NULL);
	}
	screen_new(&ix, tab, NULL);
	if (screen_put(ix, &e, NULL) == 0) {
		struct screen_person p = {NULL, query, NULL, NULL, NULL, NULL};
		if (screen_query(ix, &p, &o, &r, NULL) == 0) {
			if (r.n)
				s = r.hits[0].name_points / 0.8;
			screen_result_release(&r);
		}
	}
	screen_free(&ix);
	return s;
}

/* next CSV field (no quotes inside quoted fields in these files but commas) */
static const char *field(const char *p, char *out, size_t cap)
{
	size_t o = 0;
	bool q = *p == '"';
	if (q)
		p++;
	while (*p && (q ? *p != '"' : (*p != ',' && *p != '\n'))) {
		if (o + 1 < cap)
			out[o++] = *p;
		p++;
	}
	out[o] = 0;
	if (q && *p == '"')
		p++;
	if (*p == ',')
		p++;
	return p;
}

static void t_ofac_fixtures(void)
{
	char *b = slurp("ofac_fixtures.csv");
	T_ASSERT(b);
	int n = 0, hi = 0, hi_ok = 0, lo = 0, lo_ok = 0;
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	for (char *line = strchr(b, '\n') + 1; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char q[256], r[256], sc[16];
		const char *p = field(line, q, sizeof(q));
		p = field(p, r, sizeof(r));
		field(p, sc, sizeof(sc));
		int ofac = atoi(sc);
		if (ofac < 0)
			continue; /* not listed by OFAC's tool */
		double s = name_score(q, r);
		n++;
		sx += ofac; sy += s; sxx += (double)ofac * ofac; syy += s * s; sxy += ofac * s;
		if (ofac >= 95 && s < 85 && getenv("PEER_VERBOSE"))
			fprintf(stderr, "  ofac %d, here %.0f: %s | %s\n", ofac, s, q, r);
		if (ofac >= 95) {
			hi++;
			hi_ok += s >= 85;
		} else if (ofac < 80) {
			lo++;
			lo_ok += s < 85;
		}
	}
	double corr = (n * sxy - sx * sy) / sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
	fprintf(stderr, "  ofac: %d pairs, correlation %.2f; OFAC>=95: %d/%d also >=85 here; OFAC<80: %d/%d also <85 here\n",
		n, corr, hi_ok, hi, lo_ok, lo);
	/* Where OFAC's tool says no, SIGM agrees.  Where it says 100, SIGM
	 * often does not, on purpose: OFAC gives 100 to a query that is a
	 * subset of a listed name ("PUTIN" vs "PUTIN, Anna Evgenyevna",
	 * "Z" vs "DONCOALTRADE SP Z O O", "KIM JONG UN" vs "KIM, Jong Sik");
	 * at a border one surname is not an identity, and SIGM leaves it to
	 * the birth date and the document (PEER_VERBOSE=1 lists them). */
	T_ASSERT(n > 150);
	T_ASSERT(lo_ok * 10 >= lo * 9);
	T_ASSERT(corr > 0.3);
	free(b);
}

static void t_nomenklatura_person(void)
{
	char *b = slurp("nomenklatura_person_cases.csv");
	T_ASSERT(b);
	int n = 0, agree = 0;
	for (char *line = strchr(b, '\n') + 1; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char q[256], r[256], m[4];
		const char *p = field(line, q, sizeof(q));
		p = field(p, r, sizeof(r));
		field(p, m, sizeof(m));
		double s = name_score(q, r);
		/* reaches the default threshold without a birth date */
		bool ours = s >= SCREEN_DEFAULT_THRESHOLD / 0.8;
		n++;
		if (ours == (m[0] == '1'))
			agree++;
		else
			fprintf(stderr, "  nomenklatura differs: \"%s\" vs \"%s\" expected %s, name score %.0f\n",
				q, r, m[0] == '1' ? "match" : "no match", s);
	}
	fprintf(stderr, "  nomenklatura: %d/%d agree\n", agree, n);
	/* Known, deliberate differences: "John Doe" / "Juan Doe" (John and Juan
	 * are one name in variants.txt: Salvadoran records translate it);
	 * "Ted Doe" / "Theodore Doe" with first/last swapped (SIGM ignores
	 * the order, carriers swap it); "Ramimakhlouf" glued given name and
	 * surname (not split, only glued particles are). */
	T_ASSERT(agree * 10 >= n * 6);
	free(b);
}

static void t_cross_script(void)
{
	char *b = slurp("cross_script_pairs.csv");
	T_ASSERT(b);
	int cyr = 0, cyr_ok = 0, other = 0, other_ok = 0;
	for (char *line = b; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (*line == '#' || *line == '\n' || !strncmp(line, "Query", 5))
			continue;
		char q[256], r[256], ms[16];
		const char *p = field(line, q, sizeof(q));
		p = field(p, r, sizeof(r));
		field(p, ms, sizeof(ms));
		double s = name_score(q, r) / 100.0;
		bool cyrillic = (unsigned char)q[0] == 0xd0 || (unsigned char)q[0] == 0xd1;
		if (cyrillic) {
			cyr++;
			cyr_ok += s >= atof(ms);
		} else {
			other++;
			other_ok += s >= atof(ms);
		}
	}
	fprintf(stderr, "  cross-script: Cyrillic %d/%d reach watchman's minimum; Arabic/CJK/other %d/%d\n",
		cyr_ok, cyr, other_ok, other);
	/* ICAO transliteration covers Cyrillic; Arabic and CJK need the
	 * passport's Latin (MRZ) name, which every travel document carries. */
	T_EQ_INT(cyr_ok, cyr);
	free(b);
}

static void t_cleanup(void)
{
	names_table_free(&tab);
}

static const struct t_case cases[] = {
	T(t_ofac_fixtures),
	T(t_nomenklatura_person),
	T(t_cross_script),
	T(t_cleanup),
	{0},
};
T_MAIN(cases)
