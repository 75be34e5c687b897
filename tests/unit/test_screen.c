/* test_screen.c - the screening index: matching rules, scores and their
 * explanation, bad input, validity, live updates under concurrent queries,
 * and the CSV reader. */
#include "api/screen_names.h"
#include "core/screen.h"
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>

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

static int put(struct screen_index *ix, const char *id, const char *given,
	       const char *sur, const char *dob, const char *sex,
	       const char *nat, const char *doc)
{
	struct screen_entry e = {id, {given, sur, dob, sex, nat, doc},
				 "alert", id, CAL_NONE, CAL_NONE};
	return screen_put(ix, &e, NULL);
}

/* a list with namesakes so that rarity weights mean something */
static struct screen_index *sample(void)
{
	struct screen_index *ix = NULL;
	static const char *const given[] = {"José", "María", "Juan", "Carlos",
					    "Ana", "Luis", "Rosa", "Pedro"};
	static const char *const sur[] = {"Hernández", "López", "Martínez",
					  "García", "Pérez", "Ramírez"};
	char id[32], g[64], s[64], d[16];
	if (screen_new(&ix, names(), NULL))
		return NULL;
	for (int i = 0; i < 400; i++) {
		snprintf(id, sizeof(id), "N%d", i);
		snprintf(g, sizeof(g), "%s", given[i % 8]);
		snprintf(s, sizeof(s), "%s %s", sur[i % 6], sur[(i / 6) % 6]);
		snprintf(d, sizeof(d), "%04d-%02d-%02d", 1950 + i % 50, 1 + i % 12, 1 + i % 28);
		put(ix, id, g, s, d, i % 2 ? "F" : "M", "SLV", NULL);
	}
	put(ix, "W1", "José Luis", "Hernández de la Cruz", "1980-05-17", "M", "SLV", "A1234567");
	put(ix, "W2", "María Guadalupe", "López de Hernández", "1975-03-02", "F", "SLV", NULL);
	put(ix, "W3", "Francisco", "Xicará Tepas", "1990", "M", "GTM", NULL);
	put(ix, "W4", "Mohammed", "Al Hassan", "1970-01-10", "M", "SYR", NULL);
	put(ix, "W5", "Aleksandr", "Volkov", "1966-11", "M", "RUS", NULL);
	put(ix, "W6", "Roberto Carlos", "Del Cid Menjívar", "1985-07-04", "M", "SLV", NULL);
	return ix;
}

/* score of entry id for a query (-1 when not returned at threshold 0) */
static int score_of(struct screen_index *ix, const char *id, const char *given,
		    const char *sur, const char *dob, struct screen_hit *out)
{
	struct screen_person p = {given, sur, dob, NULL, NULL, NULL};
	struct screen_opts o = {0, 50, CAL_NONE, true, NULL};
	struct screen_result r;
	int s = -1;
	if (screen_query(ix, &p, &o, &r, NULL))
		return -2;
	for (int i = 0; i < r.n; i++)
		if (strcmp(r.hits[i].id, id) == 0) {
			s = r.hits[i].score;
			if (out)
				*out = r.hits[i];
		}
	screen_result_release(&r);
	return s;
}

#define TH SCREEN_DEFAULT_THRESHOLD

static void t_exact_and_explanation(void)
{
	struct screen_index *ix = sample();
	struct screen_hit h;
	T_ASSERT(ix);
	T_EQ_INT(score_of(ix, "W1", "José Luis", "Hernández de la Cruz", "1980-05-17", &h), 100);
	T_EQ_INT(h.npairs, 4);
	T_EQ_STR(h.birth_how, "exact");
	T_EQ_INT((int)h.birth_points, 20);
	T_EQ_STR(screen_how_name(h.pairs[0].how), "exact");
	/* the points of the pairs add up to the name points */
	double sum = 0;
	for (int i = 0; i < h.npairs; i++)
		sum += h.pairs[i].points;
	T_ASSERT(sum > h.name_points - 0.01 && sum < h.name_points + 0.01);
	/* rare tokens weigh more than common ones */
	double whern = 0, wcruz = 0;
	for (int i = 0; i < h.npairs; i++) {
		if (!strcmp(h.pairs[i].entry, "hernandez"))
			whern = h.pairs[i].weight;
		if (!strcmp(h.pairs[i].entry, "cruz"))
			wcruz = h.pairs[i].weight;
	}
	T_ASSERT(wcruz > whern);
	screen_free(&ix);
}

static void t_variations_match(void)
{
	struct screen_index *ix = sample();
	struct screen_hit h;
	T_ASSERT(ix);
	/* MRZ upper case, no accents, particles in '<' */
	T_ASSERT(score_of(ix, "W1", "JOSE<LUIS", "HERNANDEZ<DE<LA<CRUZ", "1980-05-17", NULL) >= 95);
	/* carriers swap given names and surnames */
	T_ASSERT(score_of(ix, "W1", "HERNANDEZ DE LA CRUZ", "JOSE LUIS", "1980-05-17", &h) >= 95);
	T_ASSERT(h.swapped);
	/* second surname missing */
	T_ASSERT(score_of(ix, "W1", "José Luis", "Hernández", "1980-05-17", NULL) >= TH);
	/* second given name missing */
	T_ASSERT(score_of(ix, "W1", "José", "Hernández de la Cruz", "1980-05-17", NULL) >= TH);
	/* initial */
	T_ASSERT(score_of(ix, "W1", "Jose L.", "Hernandez Cruz", "1980-05-17", &h) >= TH);
	bool initial = false;
	for (int i = 0; i < h.npairs; i++)
		initial |= h.pairs[i].how == SCREEN_INITIAL;
	T_ASSERT(initial);
	/* particle glued */
	T_ASSERT(score_of(ix, "W1", "Jose Luis", "Delacruz", "1980-05-17", NULL) >= TH);
	T_ASSERT(score_of(ix, "W6", "Roberto", "Delcid Menjivar", "1985-07-04", &h) >= TH);
	/* typo */
	T_ASSERT(score_of(ix, "W1", "Jose Luis", "Hernandes de la Curz", "1980-05-17", &h) >= TH);
	bool typo = false;
	for (int i = 0; i < h.npairs; i++)
		typo |= h.pairs[i].how == SCREEN_TYPO;
	T_ASSERT(typo);
	/* nickname */
	T_ASSERT(score_of(ix, "W1", "Chepe", "Hernández Cruz", "1980-05-17", &h) >= TH);
	T_EQ_STR(screen_how_name(h.pairs[0].how), "nickname");
	T_ASSERT(score_of(ix, "W3", "Paco", "Xicara", "1990-06-01", NULL) >= TH);
	/* married name: the husband's surname alone, with the birth date */
	T_ASSERT(score_of(ix, "W2", "Maria Guadalupe", "Hernandez", "1975-03-02", NULL) >= TH);
	T_ASSERT(score_of(ix, "W2", "Lupe", "Lopez", "1975-03-02", NULL) >= TH);
	/* transliteration and Cyrillic */
	T_ASSERT(score_of(ix, "W4", "Muhammad", "Al-Hassan", "1970-01-10", NULL) >= TH);
	T_ASSERT(score_of(ix, "W4", "Mohamed", "Alhassan", "1970-01-10", NULL) >= TH);
	T_ASSERT(score_of(ix, "W5", "Александр", "Волков", "1966-11-20", NULL) >= TH);
	T_ASSERT(score_of(ix, "W5", "Alexander", "Volkov", "1966", NULL) >= TH);
	screen_free(&ix);
}

static void t_birth_dates(void)
{
	struct screen_index *ix = sample();
	struct screen_hit h;
	T_ASSERT(ix);
	score_of(ix, "W1", "José Luis", "Hernández Cruz", "1980-05-17", &h);
	T_EQ_STR(h.birth_how, "exact");
	score_of(ix, "W2", "María Guadalupe", "López Hernández", "1975-02-03", &h);
	T_EQ_STR(h.birth_how, "day_month_swapped");
	T_ASSERT(h.score >= TH);
	score_of(ix, "W1", "José Luis", "Hernández Cruz", "1981-05-17", &h);
	T_EQ_STR(h.birth_how, "year_off_by_one");
	score_of(ix, "W1", "José Luis", "Hernández Cruz", "1980", &h);
	T_EQ_STR(h.birth_how, "partial_compatible");
	score_of(ix, "W3", "Francisco", "Xicará Tepas", "1990-04-04", &h);
	T_EQ_STR(h.birth_how, "partial_compatible");
	/* the same name, born years apart: not the person */
	T_ASSERT(score_of(ix, "W1", "José Luis", "Hernández de la Cruz", "1950-05-17", &h) < TH);
	T_EQ_STR(h.birth_how, "different");
	T_ASSERT(score_of(ix, "W1", "José Luis", "Hernández de la Cruz", NULL, &h) >= TH);
	T_EQ_STR(h.birth_how, "");
	screen_free(&ix);
}

static void t_hard_negatives(void)
{
	struct screen_index *ix = sample();
	T_ASSERT(ix);
	/* shared surnames, another given name */
	int s = score_of(ix, "W1", "Mario", "Hernández de la Cruz", "1961-02-11", NULL);
	T_ASSERT(s < TH);
	/* another sex lowers the score */
	struct screen_person p = {"José Luis", "Hernández Cruz", "1980-05-17", "F", NULL, NULL};
	struct screen_opts o = {0, 5, CAL_NONE, false, NULL};
	struct screen_result r;
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_ASSERT(r.n >= 1);
	T_EQ_STR(r.hits[0].id, "W1");
	T_EQ_INT((int)r.hits[0].sex_points, -12);
	screen_result_release(&r);
	screen_free(&ix);
}

static void t_document(void)
{
	struct screen_index *ix = sample();
	struct screen_person p = {"Zoila", "Quetzal Ixcot", NULL, NULL, NULL, "a-123 4567"};
	struct screen_opts o = {TH, 5, CAL_NONE, false, NULL};
	struct screen_result r;
	T_ASSERT(ix);
	/* the document alone (normalized: case, dashes, spaces) finds it */
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 0); /* 40 points: below the threshold with another name */
	screen_result_release(&r);
	o.threshold = 30;
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 1);
	T_EQ_STR(r.hits[0].id, "W1");
	T_ASSERT(r.hits[0].document_match);
	screen_result_release(&r);
	/* same document and name, birth date years off: still found (+40) */
	struct screen_person yrs = {"José Luis", "Hernández de la Cruz", "1950-01-01", NULL, NULL, "A1234567"};
	o.threshold = TH;
	T_EQ_INT(screen_query(ix, &yrs, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 1);
	T_ASSERT(r.hits[0].document_match);
	screen_result_release(&r);
	o.threshold = 30;
	/* a document with no name at all is a valid query */
	struct screen_person d = {NULL, NULL, NULL, NULL, NULL, "A1234567"};
	T_EQ_INT(screen_query(ix, &d, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 1);
	screen_result_release(&r);
	screen_free(&ix);
}

static void t_threshold_top_order(void)
{
	struct screen_index *ix = sample();
	struct screen_person p = {"José", "Hernández", NULL, NULL, NULL, NULL};
	struct screen_opts o = {0, 7, CAL_NONE, false, NULL};
	struct screen_result r;
	T_ASSERT(ix);
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 7);
	for (int i = 1; i < r.n; i++)
		T_ASSERT(r.hits[i - 1].score >= r.hits[i].score);
	screen_result_release(&r);
	o.threshold = 101;
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 0);
	screen_result_release(&r);
	screen_free(&ix);
}

static void t_bad_input(void)
{
	struct screen_index *ix = sample();
	struct sigm_error e;
	struct screen_result r;
	struct screen_opts o = {TH, 5, CAL_NONE, false, NULL};
	char big[10241];
	T_ASSERT(ix);
	struct screen_person empty = {"", "", NULL, NULL, NULL, NULL};
	T_EQ_INT(screen_query(ix, &empty, &o, &r, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "empty_name");
	struct screen_person one = {"J", "H", NULL, NULL, NULL, NULL};
	T_EQ_INT(screen_query(ix, &one, &o, &r, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "empty_name");
	struct screen_person bad = {"Jos\xe9", "P", NULL, NULL, NULL, NULL};
	T_EQ_INT(screen_query(ix, &bad, &o, &r, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "invalid_utf8");
	struct screen_person date = {"José", "Pérez", "1980-02-30", NULL, NULL, NULL};
	T_EQ_INT(screen_query(ix, &date, &o, &r, &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "birth_date");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	struct screen_person lng = {big, "Pérez", NULL, NULL, NULL, NULL};
	T_EQ_INT(screen_query(ix, &lng, &o, &r, &e), SIGM_ETOOBIG);
	/* 200 CJK letters are 600 bytes: a name the booth takes, screened */
	{
		char cjk[601];
		for (int i = 0; i < 200; i++)
			memcpy(cjk + 3 * i, "\xe7\x8e\x8b", 3);
		cjk[600] = 0;
		struct screen_person wide = {"Wei", cjk, NULL, NULL, NULL, NULL};
		T_EQ_INT(screen_query(ix, &wide, &o, &r, &e), 0);
		screen_result_release(&r);
		T_EQ_INT(put(ix, "W1", "Wei", cjk, NULL, NULL, NULL, NULL), 0);
		T_EQ_INT(screen_remove(ix, "W1", &e), 0);
	}
	/* a one-letter name with more: fine */
	struct screen_person ok = {"J", "Hernández Cruz", NULL, NULL, NULL, NULL};
	T_EQ_INT(screen_query(ix, &ok, &o, &r, &e), 0);
	screen_result_release(&r);
	/* entries */
	T_EQ_INT(put(ix, "", "A", "B", NULL, NULL, NULL, NULL), SIGM_EINVAL);
	T_EQ_INT(put(ix, big, "Ana", "Pérez", NULL, NULL, NULL, NULL), SIGM_EINVAL);
	T_EQ_INT(put(ix, "X1", "", "", NULL, NULL, NULL, NULL), SIGM_EINVAL);
	T_EQ_INT(put(ix, "X2", "Ana", "Pérez", "2023-13-01", NULL, NULL, NULL), SIGM_EINVAL);
	T_EQ_INT(put(ix, "X3", NULL, NULL, NULL, NULL, NULL, "P123"), 0); /* document only */
	screen_free(&ix);
}

static void t_remove_replace_validity(void)
{
	struct screen_index *ix = sample();
	size_t n;
	T_ASSERT(ix);
	n = screen_count(ix);
	T_ASSERT(score_of(ix, "W3", "Francisco", "Xicará Tepas", "1990", NULL) >= TH);
	T_EQ_INT(screen_remove(ix, "W3", NULL), 0);
	T_EQ_INT(screen_count(ix), n - 1);
	T_EQ_INT(score_of(ix, "W3", "Francisco", "Xicará Tepas", "1990", NULL), -1);
	T_EQ_INT(screen_remove(ix, "W3", NULL), SIGM_ENOTFOUND);
	/* replace: same id, new names; the old names stop matching */
	T_EQ_INT(put(ix, "W1", "Ana", "Quintanilla Sorto", "1971-01-01", "F", NULL, NULL), 0);
	T_EQ_INT(screen_count(ix), n - 1);
	T_ASSERT(score_of(ix, "W1", "José Luis", "Hernández de la Cruz", "1980-05-17", NULL) < TH);
	T_ASSERT(score_of(ix, "W1", "Ana", "Quintanilla Sorto", "1971-01-01", NULL) >= 95);
	/* validity: an entry past valid_until stops matching by itself */
	struct screen_entry e = {"V1", {"Ernesto", "Zapata Quijano", "1960-01-01", NULL, NULL, NULL},
				 "alert", "alert:9", cal_from_ymd(2026, 1, 31), cal_from_ymd(2026, 1, 10)};
	T_EQ_INT(screen_put(ix, &e, NULL), 0);
	struct screen_person p = {"Ernesto", "Zapata Quijano", "1960-01-01", NULL, NULL, NULL};
	struct screen_opts o = {TH, 5, cal_from_ymd(2026, 1, 31), false, NULL};
	struct screen_result r;
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 1);
	T_EQ_STR(r.hits[0].record_ref, "alert:9");
	T_EQ_STR(r.hits[0].category, "alert");
	screen_result_release(&r);
	o.on = cal_from_ymd(2026, 2, 1);
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 0);
	screen_result_release(&r);
	/* nor before valid_from */
	o.on = cal_from_ymd(2026, 1, 9);
	T_EQ_INT(screen_query(ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 0);
	screen_result_release(&r);
	screen_free(&ix);
}

/* ---- live updates: one writer, several readers ---- */

static const char *const versions[] = {"alfa", "bravo", "charlie", "delta"};

struct live {
	struct screen_index *ix;
	atomic_int stop;
	atomic_long queries, torn, missed;
};

static void *reader(void *v)
{
	struct live *l = v;
	struct screen_opts o = {0, 50, CAL_NONE, true, NULL};
	while (!atomic_load(&l->stop)) {
		/* stable entries must always be found, with the same score */
		struct screen_person s = {"Gumersindo", "Zelaya Quintanilla", "1944-04-04", NULL, NULL, NULL};
		struct screen_result r;
		if (screen_query(l->ix, &s, &o, &r, NULL) == 0) {
			bool found = false;
			for (int i = 0; i < r.n; i++)
				found |= !strcmp(r.hits[i].id, "S1") && r.hits[i].score == 100;
			if (!found)
				atomic_fetch_add(&l->missed, 1);
			screen_result_release(&r);
		}
		/* churned entries: what a hit says must be one whole version */
		for (int k = 0; k < 4; k++) {
			struct screen_person p = {versions[k], "Mejicanos Tobar", NULL, NULL, NULL, NULL};
			if (screen_query(l->ix, &p, &o, &r, NULL))
				continue;
			for (int i = 0; i < r.n; i++) {
				const struct screen_hit *h = &r.hits[i];
				if (strncmp(h->id, "C", 1))
					continue;
				/* record_ref carries the version written with the names */
				for (int j = 0; j < h->npairs; j++)
					for (int x = 0; x < 4; x++)
						if (!strcmp(h->pairs[j].entry, versions[x]) &&
						    strcmp(h->record_ref, versions[x]))
							atomic_fetch_add(&l->torn, 1);
				if (strcmp(h->category, h->record_ref))
					atomic_fetch_add(&l->torn, 1);
			}
			screen_result_release(&r);
			atomic_fetch_add(&l->queries, 1);
		}
	}
	return NULL;
}

static void t_live_updates(void)
{
	struct live l = {.ix = NULL};
	pthread_t th[4];
	T_EQ_INT(screen_new(&l.ix, names(), NULL), 0);
	put(l.ix, "S1", "Gumersindo", "Zelaya Quintanilla", "1944-04-04", NULL, NULL, NULL);
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, reader, &l);
	/* the writer adds, changes and removes while the readers query */
	for (int round = 0; round < 3000; round++) {
		char id[16];
		const char *v = versions[round % 4];
		snprintf(id, sizeof(id), "C%d", round % 50);
		struct screen_entry e = {id, {v, "Mejicanos Tobar", NULL, NULL, NULL, NULL}, v, v, CAL_NONE, CAL_NONE};
		if (round % 7 == 3)
			screen_remove(l.ix, id, NULL);
		else
			T_EQ_INT(screen_put(l.ix, &e, NULL), 0);
		if (round % 100 == 0) { /* some growth too */
			snprintf(id, sizeof(id), "G%d", round);
			put(l.ix, id, "Filomeno", "Arriaza Bonilla", NULL, NULL, NULL, NULL);
		}
	}
	atomic_store(&l.stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	T_ASSERT(atomic_load(&l.queries) > 0);
	T_EQ_INT(atomic_load(&l.torn), 0);
	T_EQ_INT(atomic_load(&l.missed), 0);
	/* after the churn: exactly the last version of each churned id */
	struct screen_person p = {"Filomeno", "Arriaza Bonilla", NULL, NULL, NULL, NULL};
	struct screen_opts o = {TH, 100, CAL_NONE, false, NULL};
	struct screen_result r;
	T_EQ_INT(screen_query(l.ix, &p, &o, &r, NULL), 0);
	T_EQ_INT(r.n, 30);
	screen_result_release(&r);
	screen_free(&l.ix);
}

/* ---- CSV ---- */

struct rows {
	int n;
	char id[8][32], given[8][64], sur[8][64], dob[8][16];
	long line[8];
};

static int on_row(const struct screen_csv_row *r, void *v)
{
	struct rows *x = v;
	if (x->n < 8) {
		snprintf(x->id[x->n], 32, "%s", r->f[SCREEN_COL_ID]);
		snprintf(x->given[x->n], 64, "%s", r->f[SCREEN_COL_GIVEN]);
		snprintf(x->sur[x->n], 64, "%s", r->f[SCREEN_COL_SURNAMES]);
		snprintf(x->dob[x->n], 16, "%s", r->f[SCREEN_COL_BIRTH]);
		x->line[x->n] = r->line;
	}
	x->n++;
	return 0;
}

static void t_csv(void)
{
	struct rows x = {0};
	struct sigm_error e;
	const char ok[] = "\xEF\xBB\xBFid,extra,surnames,given_names,birth_date\r\n"
			  "1,z,\"Hernández, de la Cruz\",José,1980\r\n"
			  "\r\n"
			  "2,,\"O\"\"Brien\",\"Multi\nLine\",\n"
			  "3\n";
	T_EQ_INT(screen_csv_parse(ok, sizeof(ok) - 1, on_row, &x, &e), 0);
	T_EQ_INT(x.n, 3);
	T_EQ_STR(x.id[0], "1");
	T_EQ_STR(x.sur[0], "Hernández, de la Cruz");
	T_EQ_STR(x.given[0], "José");
	T_EQ_STR(x.dob[0], "1980");
	T_EQ_STR(x.sur[1], "O\"Brien");
	T_EQ_STR(x.given[1], "Multi\nLine");
	T_EQ_INT(x.line[1], 4);
	T_EQ_STR(x.id[2], "3");
	T_EQ_STR(x.given[2], ""); /* absent columns read as empty */

	const char noid[] = "given_names,surnames\nA,B\n";
	T_EQ_INT(screen_csv_parse(noid, sizeof(noid) - 1, on_row, &x, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "csv_no_id");
	T_EQ_INT(screen_csv_parse("", 0, on_row, &x, &e), SIGM_EINVAL);
	const char quote[] = "id,given_names\n1,\"open\n";
	T_EQ_INT(screen_csv_parse(quote, sizeof(quote) - 1, on_row, &x, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "csv_unterminated_quote");
	const char wide[] = "id,given_names\n1,a,b\n";
	T_EQ_INT(screen_csv_parse(wide, sizeof(wide) - 1, on_row, &x, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "csv_row_too_wide");
	char *big = malloc(SCREEN_CSV_FIELD_MAX + 64);
	int n = snprintf(big, 64, "id\n");
	memset(big + n, 'a', SCREEN_CSV_FIELD_MAX + 1);
	T_EQ_INT(screen_csv_parse(big, (size_t)n + SCREEN_CSV_FIELD_MAX + 1, on_row, &x, &e), SIGM_ETOOBIG);
	free(big);
}

static void t_cleanup(void)
{
	struct names_table *t = names();
	names_table_free(&t);
}

static const struct t_case cases[] = {
	T(t_exact_and_explanation),
	T(t_variations_match),
	T(t_birth_dates),
	T(t_hard_negatives),
	T(t_document),
	T(t_threshold_top_order),
	T(t_bad_input),
	T(t_remove_replace_validity),
	T(t_live_updates),
	T(t_csv),
	T(t_cleanup),
	{0},
};
T_MAIN(cases)
