/* test_subject_ix.c - the booth's in-memory exact keys find exactly what
 * api_subject_matches() finds by scanning, after puts, replacements and
 * removals. */
#include "api/api.h"
#include "api/subject_ix.h"
#include "store/persons.h"
#include "harness.h"

#include <stdint.h>

#define NREC 6000

static const char *const SUR[] = {"García López", "GARCIA LOPEZ", "Hernández",
				  "Núñez  Peña", "NUNEZ PENA", "O'Brien",
				  "Smith", "", NULL, "de la Cruz"};
static const char *const GIV[] = {"María José", "MARIA JOSE", "José", "Jose",
				  "Ana", "", NULL, "Luis"};
static const char *const BIRTH[] = {"1980-05-04", "1980-05", "1980",
				    "1980-05-05", "1981-05-04", "1981", "",
				    NULL, "198"};
static const char *const DOC[] = {NULL, NULL, "A123", "B456", "", "A1234"};
static const char *const DUI[] = {NULL, NULL, NULL, "01234567-8",
				  "98765432-1", ""};

#define PICK(a, r) (a)[(r) % (sizeof(a) / sizeof((a)[0]))]

struct row {
	struct subject_rec r;
	int live;
};

static struct row rows[NREC];
static uint64_t seed = 42;
static unsigned rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(seed >> 33);
}

static void random_row(struct row *w, int64_t id)
{
	w->r.kind = rnd() % 3 == 0 ? SUBJECT_ALERT : SUBJECT_RESTRICTION;
	w->r.id = id;
	w->r.given_names = PICK(GIV, rnd());
	w->r.surnames = PICK(SUR, rnd());
	w->r.birth_date = PICK(BIRTH, rnd());
	w->r.document_number = PICK(DOC, rnd());
	w->r.dui = w->r.kind == SUBJECT_RESTRICTION ? PICK(DUI, rnd()) : NULL;
	w->live = 1;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* every traveler shape against the whole table */
static void check_all(struct subject_ix *ix)
{
	static const char *const TB[] = {"1980-05-04", "1980-05", "1980",
					 "1981-05-04"};
	for (unsigned q = 0; q < 400; q++) {
		struct persons_doc d = {0};
		d.given_names = PICK(GIV, q * 7 + 1);
		d.surnames = PICK(SUR, q * 3 + 2);
		d.birth_date = PICK(TB, q);
		d.number = PICK(DOC, q * 5 + 3);
		const char *dui = PICK(DUI, q * 11);
		for (int kind = 0; kind < SUBJECT_NKINDS; kind++) {
			const char *qd = kind == SUBJECT_ALERT ? NULL : dui;
			int64_t want[NREC], got[NREC];
			int nw = 0;
			for (int i = 0; i < NREC; i++) {
				const struct subject_rec *r = &rows[i].r;
				double score;
				if (rows[i].live && (int)r->kind == kind &&
				    api_subject_matches(&d, qd, r->given_names, r->surnames,
							r->birth_date, r->document_number,
							r->dui, &score))
					want[nw++] = r->id;
			}
			int ng = subject_ix_match(ix, (enum subject_kind)kind, d.given_names,
						  d.surnames, d.birth_date, d.number, qd,
						  got, NREC);
			T_EQ_INT(ng, nw);
			qsort(want, (size_t)nw, sizeof(*want), cmp_id);
			qsort(got, (size_t)ng, sizeof(*got), cmp_id);
			for (int i = 0; i < nw; i++)
				T_EQ_INT(got[i], want[i]);
		}
	}
}

static void t_same_as_scan(void)
{
	struct subject_ix *ix = NULL;
	struct sigm_error err;
	T_EQ_INT(subject_ix_new(&ix, &err), 0);
	for (int i = 0; i < NREC; i++) {
		random_row(&rows[i], i + 1);
		T_EQ_INT(subject_ix_put(ix, &rows[i].r, &err), 0);
	}
	T_EQ_INT(subject_ix_count(ix), NREC);
	check_all(ix);
	/* changes: a third replaced (same id, new data), a sixth removed */
	for (int i = 0; i < NREC; i += 3) {
		enum subject_kind k = rows[i].r.kind; /* an id keeps its kind */
		random_row(&rows[i], i + 1);
		rows[i].r.kind = k;
		if (k == SUBJECT_ALERT)
			rows[i].r.dui = NULL;
		T_EQ_INT(subject_ix_put(ix, &rows[i].r, &err), 0);
	}
	int removed = 0;
	for (int i = 1; i < NREC; i += 6) {
		subject_ix_remove(ix, rows[i].r.kind, rows[i].r.id);
		rows[i].live = 0;
		removed++;
	}
	subject_ix_remove(ix, SUBJECT_ALERT, 999999); /* absent: nothing */
	T_EQ_INT(subject_ix_count(ix), NREC - removed);
	check_all(ix);
	subject_ix_free(&ix);
	T_ASSERT(ix == NULL);
}

/* A truncated answer says how many there were. */
static void t_overflow_counts(void)
{
	struct subject_ix *ix = NULL;
	struct sigm_error err;
	T_EQ_INT(subject_ix_new(&ix, &err), 0);
	for (int i = 1; i <= 50; i++) {
		struct subject_rec r = {SUBJECT_RESTRICTION, i, "Ana", "Pérez",
					"1990-01-02", NULL, NULL};
		T_EQ_INT(subject_ix_put(ix, &r, &err), 0);
	}
	int64_t ids[8];
	T_EQ_INT(subject_ix_match(ix, SUBJECT_RESTRICTION, "ANA", "PEREZ", "1990",
				  NULL, NULL, ids, 8), 50);
	T_EQ_INT(subject_ix_match(ix, SUBJECT_ALERT, "ANA", "PEREZ", "1990", NULL,
				  NULL, ids, 8), 0);
	subject_ix_free(&ix);
}

static const struct t_case cases[] = {
	T(t_same_as_scan),
	T(t_overflow_counts),
	{0},
};
T_MAIN(cases)
