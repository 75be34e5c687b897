/* test_screen_exhaustive.c - candidate generation drops nothing: on a
 * generated list full of common names (a tenth of the surnames Hernández,
 * birth years over half a century, typo spellings in the list itself),
 * screen_query() must return exactly the hits of screen_query_exhaustive(),
 * which scores every entry, for many queries with and without birth dates,
 * at the default threshold and below it, after removals and replacements;
 * the fast query keeps a memo of its tokens (screen_opts.memo) across the
 * queries while entries with new spellings keep arriving.
 * The one documented exception: entries with initials (ids "I...") are
 * reached through their full tokens only, so the fast query may miss some
 * of those, never return one the reference does not. */
#include "api/screen_names.h"
#include "core/screen.h"
#include "harness.h"

#define NENT 20000
#define NQ 400

static struct names_table *names(void)
{
	static struct names_table *t;
	char dir[4096];
	if (!t) {
		snprintf(dir, sizeof(dir), "%s/data", t_srcdir());
		if (screen_names_load(dir, &t, NULL))
			return NULL;
	}
	return t;
}

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* index into a list of n, skewed towards the start (rank^-1.2-ish) */
static uint32_t skew(uint32_t n)
{
	uint32_t a = rnd(n), b = rnd(n), c = rnd(n);
	uint32_t m = a < b ? a : b;
	return m < c ? m : c;
}

static const char *const GIVEN[] = {
	"José", "María", "Juan", "Carlos", "Ana", "Luis", "Rosa", "Pedro",
	"Jorge", "Francisco", "Mario", "Sandra", "Marta", "Miguel", "Jose",
	"Guadalupe", "Roberto", "Blanca", "Pepe", "Chepe", "Mohammed",
	"Muhammad", "Aleksandr", "Maria", "Jesús", "Josue"};
static const char *const SUR[] = {
	"Hernández", "López", "Martínez", "García", "Pérez", "Ramírez",
	"Rodríguez", "Flores", "González", "Rivera", "Hernandes", "Garsia",
	"Lopes", "Martines", "Cruz", "Del Cid", "Delcid", "Al Hassan",
	"Alhassan", "Menjívar", "Perez", "Hernandez", "Ramires", "Mejía"};

static void rare(char *b, size_t n)
{
	static const char *const syl[] = {"xi", "ca", "ra", "te", "pas", "ol",
					  "mu", "ke", "zan", "qui", "lo", "bor"};
	b[0] = 0;
	int k = 2 + (int)rnd(3);
	for (int i = 0; i < k; i++)
		strncat(b, syl[rnd(12)], n - strlen(b) - 1);
}

struct person {
	char given[96], sur[96], dob[12], sex[2], nat[4], doc[16];
};

static void gen(struct person *p, int initials)
{
	char r[32];
	const size_t ng = sizeof(GIVEN) / sizeof(*GIVEN),
		     ns = sizeof(SUR) / sizeof(*SUR);
	if (rnd(20) == 0) {
		rare(r, sizeof(r));
		snprintf(p->given, sizeof(p->given), "%s", r);
	} else
		snprintf(p->given, sizeof(p->given), "%s", GIVEN[skew(ng)]);
	if (rnd(2)) {
		size_t l = strlen(p->given);
		snprintf(p->given + l, sizeof(p->given) - l, " %s",
			 initials ? "J." : GIVEN[skew(ng)]);
	}
	if (rnd(8) == 0)
		rare(r, sizeof(r));
	else
		snprintf(r, sizeof(r), "%s", SUR[skew(ns)]);
	if (rnd(4)) {
		const char *b = SUR[skew(ns)];
		snprintf(p->sur, sizeof(p->sur), "%s%s%s", r,
			 rnd(10) == 0 ? " de " : " ", b);
	} else
		snprintf(p->sur, sizeof(p->sur), "%s", r);
	int y = 1950 + (int)rnd(56), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
	uint32_t u = rnd(100);
	if (u < 80)
		snprintf(p->dob, sizeof(p->dob), "%04d-%02d-%02d", y, m, d);
	else if (u < 88)
		snprintf(p->dob, sizeof(p->dob), "%04d-%02d", y, m);
	else if (u < 95)
		snprintf(p->dob, sizeof(p->dob), "%04d", y);
	else
		p->dob[0] = 0;
	snprintf(p->sex, sizeof(p->sex), "%s", rnd(10) == 0 ? "" : rnd(2) ? "M" : "F");
	snprintf(p->nat, sizeof(p->nat), "%s", rnd(3) ? "SLV" : rnd(2) ? "GTM" : "HND");
	if (rnd(3) == 0)
		snprintf(p->doc, sizeof(p->doc), "D%07u", rnd(30000));
	else
		p->doc[0] = 0;
}

static int put(struct screen_index *ix, const char *id, const struct person *p)
{
	struct screen_entry e = {id, {p->given, p->sur, p->dob, p->sex, p->nat,
				      p->doc}, "alert", id, CAL_NONE, CAL_NONE};
	return screen_put(ix, &e, NULL);
}

/* a query: a variation of a listed person, or a new one */
static void make_query(const struct person *list, struct person *q)
{
	*q = list[rnd(NENT)];
	switch (rnd(8)) {
	case 0: /* a stranger */
		gen(q, 0);
		break;
	case 1: { /* a typo */
		size_t l = strlen(q->sur);
		if (l > 3)
			q->sur[1 + rnd((uint32_t)l - 2)] = 'x';
		break;
	}
	case 2: { /* second surname dropped */
		char *sp = strchr(q->sur, ' ');
		if (sp)
			*sp = 0;
		break;
	}
	case 3: { /* order swapped */
		char t[96];
		memcpy(t, q->given, sizeof(t));
		memcpy(q->given, q->sur, sizeof(t));
		memcpy(q->sur, t, sizeof(t));
		break;
	}
	case 4: /* birth year a year or two off */
		if (q->dob[0])
			q->dob[3] = (char)(q->dob[3] == '9' ? '7' : q->dob[3] + 1 + (char)rnd(2));
		break;
	case 5: /* day and month swapped or day changed */
		if (strlen(q->dob) == 10)
			q->dob[9] = (char)('1' + rnd(8));
		break;
	default:
		break;
	}
	if (rnd(3) == 0) /* a third of the queries without birth date */
		q->dob[0] = 0;
	if (rnd(2))
		q->doc[0] = 0;
	if (rnd(4) == 0)
		q->sex[0] = 0;
}

/* hits of res without initials entries into ids; returns how many */
static int plain_hits(const struct screen_result *r, char (*ids)[80])
{
	int n = 0;
	for (int i = 0; i < r->n; i++)
		if (r->hits[i].id[0] != 'I')
			snprintf(ids[n++], 80, "%s:%d", r->hits[i].id, r->hits[i].score);
	return n;
}

static bool has_hit(const struct screen_result *r, const char *id)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->hits[i].id, id))
			return true;
	return false;
}

static int compare(struct screen_index *ix, const struct person *q, int threshold,
		   struct screen_memo *memo)
{
	static char a[SCREEN_TOP_MAX][80], b[SCREEN_TOP_MAX][80];
	struct screen_person p = {q->given, q->sur, q->dob, q->sex, q->nat, q->doc};
	struct screen_opts o = {threshold, SCREEN_TOP_MAX, CAL_NONE, false, NULL},
			   om = o;
	struct screen_result fast, ref;
	int bad = 0;
	struct sigm_error e1 = {0}, e2 = {0};
	om.memo = memo;
	int r1 = screen_query(ix, &p, &om, &fast, &e1),
	    r2 = screen_query_exhaustive(ix, &p, &o, &ref, &e2);
	if (r1 || r2) {
		/* the same refusal from both, nothing to compare */
		bool same = r1 == r2 && !strcmp(e1.code, e2.code);
		if (!same)
			fprintf(stderr, "  query [%s | %s]: %d %s vs %d %s\n",
				q->given, q->sur, r1, e1.code, r2, e2.code);
		if (!r1)
			screen_result_release(&fast);
		if (!r2)
			screen_result_release(&ref);
		return !same;
	}
	if (ref.n >= SCREEN_TOP_MAX)
		bad = 1; /* the comparison needs every hit */
	int na = plain_hits(&fast, a), nb = plain_hits(&ref, b);
	if (na != nb)
		bad = 1;
	for (int i = 0; !bad && i < na; i++)
		bad = strcmp(a[i], b[i]) != 0;
	for (int i = 0; i < fast.n; i++)
		if (!has_hit(&ref, fast.hits[i].id))
			bad = 1;
	if (bad) {
		fprintf(stderr, "  query [%s | %s | %s | %s | %s | %s] at %d: fast %d hits, reference %d\n",
			q->given, q->sur, q->dob, q->sex, q->nat, q->doc,
			threshold, fast.n, ref.n);
		for (int i = 0; i < ref.n && i < 20; i++)
			fprintf(stderr, "    ref %s %d%s\n", ref.hits[i].id,
				ref.hits[i].score,
				has_hit(&fast, ref.hits[i].id) ? "" : "  <- missing");
	}
	screen_result_release(&fast);
	screen_result_release(&ref);
	return bad;
}

static struct person *list;
static char (*ids)[16];

static void t_equal_to_exhaustive(void)
{
	struct screen_index *ix = NULL;
	list = calloc(NENT, sizeof(*list));
	ids = calloc(NENT, sizeof(*ids));
	T_ASSERT(list != NULL && ids != NULL);
	T_EQ_INT(screen_new(&ix, names(), NULL), 0);
	for (int i = 0; i < NENT; i++) {
		bool ini = rnd(50) == 0;
		gen(&list[i], ini);
		snprintf(ids[i], sizeof(ids[i]), "%c%d", ini ? 'I' : 'N', i);
		T_EQ_INT(put(ix, ids[i], &list[i]), 0);
	}
	/* removals and replacements (a new slot, the old one unlinked) */
	for (int i = 0; i < NENT; i += 10) {
		if (i % 20 == 0) {
			T_EQ_INT(screen_remove(ix, ids[i], NULL), 0);
		} else {
			snprintf(list[i].dob, sizeof(list[i].dob), "%04d", 1950 + (int)rnd(56));
			T_EQ_INT(put(ix, ids[i], &list[i]), 0);
		}
	}
	int bad = 0, with_dob = 0, runs = 0;
	struct screen_memo *memo = NULL;
	T_EQ_INT(screen_memo_new(&memo), 0);
	for (int i = 0; i < NQ && bad < 5; i++) {
		struct person q;
		make_query(list, &q);
		with_dob += q.dob[0] != 0;
		static const int th[] = {SCREEN_DEFAULT_THRESHOLD, 80, SCREEN_DEFAULT_THRESHOLD, 90};
		bad += compare(ix, &q, th[i % 4], memo);
		runs++;
		if (i % 8 == 7) {
			/* a listed person again with a new spelling of a
			 * name the memo may hold (a typo of it), then
			 * queries for both spellings */
			struct person o = list[rnd(NENT)], n = o;
			size_t l = strlen(n.sur);
			if (l > 3)
				n.sur[l - 1] = (char)('p' + rnd(8));
			char id[16];
			snprintf(id, sizeof(id), "M%d", i);
			bad += compare(ix, &o, th[i % 4], memo);
			T_EQ_INT(put(ix, id, &n), 0);
			bad += compare(ix, &o, th[i % 4], memo);
			bad += compare(ix, &n, th[i % 4], memo);
		}
	}
	screen_memo_free(&memo);
	fprintf(stderr, "  %d queries (%d with a birth date), %d differ\n", runs,
		with_dob, bad);
	T_EQ_INT(bad, 0);
	T_ASSERT(with_dob > NQ / 2 && with_dob < NQ);
	screen_free(&ix);
	free(list);
	free(ids);
}

static void t_cleanup(void)
{
	struct names_table *t = names();
	names_table_free(&t);
}

static const struct t_case cases[] = {
	T(t_equal_to_exhaustive),
	T(t_cleanup),
	{0},
};
T_MAIN(cases)
