/* test_persons.c - identity resolution: same document, renewal, possible
 * duplicates flagged and never merged, name folding. */
#include "harness.h"
#include "store/persons.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct store *s;

struct call {
	struct persons_doc d;
	struct persons_result r;
};

static int resolve_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct call *c = arg;
	return persons_resolve(tx, &c->d, &c->r, err);
}

static struct persons_result resolve(struct persons_doc d)
{
	struct call c = {.d = d};
	struct sigm_error err;
	if (store_write(s, resolve_fn, &c, &err))
		fprintf(stderr, "resolve: %s %s\n", err.message, err.detail);
	return c.r;
}

static struct persons_doc passport(const char *given, const char *sur,
				   const char *num)
{
	return (struct persons_doc){.given_names = given, .surnames = sur,
				    .birth_date = "1980-05-17", .sex = "M",
				    .nationality = "SLV", .kind = "passport",
				    .document_code = "P", .number = num,
				    .issuing_state = "SLV",
				    .expiry_date = "2030-01-01"};
}

static void setup(void)
{
	char p[] = "/tmp/sigm-test-persons-XXXXXX";
	char path[300];
	struct sigm_error err;
	if (!mkdtemp(p))
		abort();
	snprintf(path, sizeof(path), "%s/p.db", p);
	if (store_open(&s, path, NULL, &err))
		abort();
}

static void t_fold(void)
{
	char out[64];
	persons_fold("  José-Luis  Hernández de la Cruz ", out, sizeof(out));
	T_EQ_STR(out, "JOSE LUIS HERNANDEZ DE LA CRUZ");
	persons_fold("Peña Ñúñez", out, sizeof(out));
	T_EQ_STR(out, "PENA NUNEZ");
	persons_fold(NULL, out, sizeof(out));
	T_EQ_STR(out, "");
	persons_fold("abcdef", out, 4);
	T_EQ_STR(out, "ABC");
}

/* The surnames key: persons_fold's wherever it reads the whole name, and
 * the letters it drops read, not dropped. */
static void t_surnames_key(void)
{
	static const char *const latin[] = {
		"  José-Luis  Hernández de la Cruz ", "Peña Ñúñez", "O'Connor-Núñez",
		"Müller", "Kovačević", "Łukasz Wałęsa", "GARCIA<<LOPEZ", "---", "", NULL};
	char key[256], fold[256];
	for (int i = 0; latin[i]; i++) {
		persons_surnames_key(latin[i], key, sizeof(key));
		persons_fold(latin[i], fold, sizeof(fold));
		T_EQ_STR(key, fold);
	}
	static const char *const cases[][2] = {
		/* Cyrillic as ICAO 9303 part 3 spells it in an MRZ */
		{"ИВАНОВ", "IVANOV"},
		{"Иванова-Щербакова", "IVANOVA SHCHERBAKOVA"},
		{"Ёлкин Юрьев", "ELKIN IUREV"},
		{"Хмельницкий", "KHMELNITSKII"},
		{"Шевченко Їжак", "SHEVCHENKO IZHAK"},
		/* a Cyrillic letter typed among Latin ones (the same shape) */
		{"Ивaнoв", "IVANOV"},
		/* Latin letters beyond Extended-A: their base letter */
		{"Nguyễn Thị", "NGUYEN THI"},
		{"Ștefănescu", "STEFANESCU"},
		/* full-width letters are letters */
		{"ＩＶＡＮＯＶ", "IVANOV"},
		/* other scripts: case folded, as themselves */
		{"ΠΑΠΑΔΌΠΟΥΛΟΣ", "παπαδοπουλοσ"},
		{"王", "王"},
		{"محمد", "محمد"},
		/* no letter of any script */
		{"😀 ---", ""},
		{NULL, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		persons_surnames_key(cases[i][0], key, sizeof(key));
		T_EQ_STR(key, cases[i][1]);
	}
	/* a letter that does not fit is left out whole: the key stays UTF-8 */
	persons_surnames_key("AB王", key, 4);
	T_EQ_STR(key, "AB");
	persons_surnames_key("AB王", key, 6);
	T_EQ_STR(key, "AB王");
	persons_surnames_key("ЩА", key, 4);
	T_EQ_STR(key, "");
	/* bytes that are not UTF-8 are dropped, as persons_fold drops them */
	persons_surnames_key("RIVAS\xff\xfe MEJIA", key, sizeof(key));
	T_EQ_STR(key, "RIVAS MEJIA");
	/* the search's range starts at the same key */
	char upto[270];
	T_EQ_INT(persons_key_range("Иванов", key, sizeof(key), upto, sizeof(upto)), 0);
	T_EQ_STR(key, "IVANOV");
	T_EQ_INT(persons_key_range("😀", key, sizeof(key), upto, sizeof(upto)), -1);
}

static void t_same_document_same_person(void)
{
	struct persons_result a = resolve(passport("José Luis", "Hernández Cruz", "A100"));
	T_ASSERT(a.person_created && a.document_created);
	struct persons_result b = resolve(passport("JOSE LUIS", "HERNANDEZ CRUZ", "A100"));
	T_EQ_INT(b.person_id, a.person_id);
	T_EQ_INT(b.document_id, a.document_id);
	T_ASSERT(!b.person_created && !b.document_created);
}

static void t_renewal_links_when_data_agree(void)
{
	struct persons_result a = resolve(passport("José Luis", "Hernández Cruz", "A100"));
	/* new passport, same holder written the MRZ way */
	struct persons_result b = resolve(passport("JOSE LUIS", "HERNANDEZ CRUZ", "A200"));
	T_EQ_INT(b.person_id, a.person_id);
	T_ASSERT(b.renewal && b.document_created && !b.person_created);
	T_ASSERT(b.document_id != a.document_id);
	int64_t rep = 0;
	struct sigm_error err;
	struct store_val p[] = {sv_int(b.document_id)};
	T_EQ_INT(store_query_int(s, "SELECT replaces_document_id FROM documents WHERE id = $1", p, 1, &rep, &err), 0);
	T_EQ_INT(rep, a.document_id);
}

static void t_partial_agreement_is_flagged_not_merged(void)
{
	struct persons_result a = resolve(passport("José Luis", "Hernández Cruz", "A100"));
	/* same surnames and birth date, another given name: maybe a twin */
	struct persons_result b = resolve(passport("Juan Carlos", "Hernández Cruz", "C300"));
	T_ASSERT(b.person_id != a.person_id);
	T_ASSERT(b.person_created);
	T_EQ_INT(b.duplicates_flagged, 1);
	int64_t n = 0;
	struct sigm_error err;
	struct store_val p[] = {sv_int(b.person_id), sv_int(a.person_id)};
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM person_duplicates WHERE person_id = $1 AND other_person_id = $2 AND status = 'open'", p, 2, &n, &err), 0);
	T_EQ_INT(n, 1);
	/* now two candidates share the surnames: a third passport matching
	 * one of them fully is still ambiguous -> flagged, not linked */
	struct persons_result c = resolve(passport("José Luis", "Hernández Cruz", "A999"));
	T_ASSERT(c.person_created);
	T_EQ_INT(c.duplicates_flagged, 2);
}

/* However many persons share the birth date and nationality (here 55
 * whose surnames sort first), the one whose data agree is found. */
static void t_renewal_found_in_a_crowd(void)
{
	struct persons_doc d = passport("Ana", "ZELAYA", "Z1");
	d.birth_date = "1980-05-05";
	d.nationality = "USA";
	struct persons_result a = resolve(d);
	for (int i = 0; i < 55; i++) {
		char sur[32], num[16];
		snprintf(sur, sizeof(sur), "ABARCA %c%c", 'A' + i / 26, 'A' + i % 26);
		snprintf(num, sizeof(num), "ZX%d", i);
		struct persons_doc x = passport("X", sur, num);
		x.birth_date = d.birth_date;
		x.nationality = d.nationality;
		T_ASSERT(resolve(x).person_created);
	}
	d.number = "Z2";
	struct persons_result b = resolve(d);
	T_EQ_INT(b.person_id, a.person_id);
	T_ASSERT(b.renewal && !b.person_created);
	T_EQ_INT(b.duplicates_flagged, 0);
}

/* Names written in another script are compared as they are written: a
 * renewal in Cyrillic links; the same names in Latin letters (an MRZ's
 * transliteration) are no longer the same spelling. */
static void t_renewal_in_cyrillic(void)
{
	struct persons_doc d = passport("Иван", "Иванов", "R1");
	d.birth_date = "1970-03-03";
	d.nationality = "RUS";
	d.issuing_state = "RUS";
	struct persons_result a = resolve(d);
	d.number = "R2";
	struct persons_result b = resolve(d);
	T_EQ_INT(b.person_id, a.person_id);
	T_ASSERT(b.renewal);
	/* nor are other surnames */
	struct persons_doc e = d;
	e.number = "R3";
	e.surnames = "Петров";
	struct persons_result c = resolve(e);
	T_ASSERT(c.person_created);
	T_EQ_INT(c.duplicates_flagged, 0);
	/* names without a letter: "---" is not anybody, but is "---" */
	struct persons_doc f = d;
	f.number = "R4";
	f.given_names = "Ana";
	f.surnames = "---";
	struct persons_result g = resolve(f);
	T_ASSERT(g.person_created);
	T_EQ_INT(g.duplicates_flagged, 0);
	f.number = "R5";
	struct persons_result h = resolve(f);
	T_EQ_INT(h.person_id, g.person_id);
	T_ASSERT(h.renewal);
}

static int64_t holder_of_doc(struct persons_doc d)
{
	int64_t id = -1;
	struct sigm_error err;
	if (persons_holder(s, &d, &id, NULL, &err))
		return -1;
	return id;
}

/* The ordinary variations of a renewal are possible duplicates, flagged
 * and never linked; data that agree only by chance are not. */
static int64_t flags_between(int64_t a, int64_t b, const char *why)
{
	int64_t n = -1;
	struct sigm_error err;
	struct store_val p[] = {sv_int(a), sv_int(b), sv_text(why)};
	if (store_query_int(s, "SELECT COUNT(*) FROM person_duplicates WHERE person_id = $1 AND other_person_id = $2 AND reason = $3",
			    p, 3, &n, &err))
		return -1;
	return n;
}

static void t_renewal_variations_flagged(void)
{
	static const struct {
		const char *given, *sur, *birth, *nat;       /* on file */
		const char *given2, *sur2, *birth2, *nat2;   /* the new passport */
	} v[] = {
		{"Rosa Elena", "Martínez Flores", "1988-08-08", "HND", NULL, "MARTINEZ", NULL, NULL},
		{"Carlos", "Ramos Cruz", "1988-08-08", "HND", NULL, "CRUZ RAMOS", NULL, NULL},
		{"Jürgen", "Müller", "1988-08-08", "HND", "JUERGEN", "MUELLER", NULL, NULL},
		{"Ana", "López", "1988-08-08", "HND", NULL, "López de Hernández", NULL, NULL},
		{"Sonia", "Quijada Rivas", "1988-08-08", "HND", NULL, NULL, "1988-08", NULL},
		{"Rina", "Lemus Paz", "1988-08", "HND", NULL, NULL, "1988-08-08", NULL},
		{"Tomás", "Paz", "1988-XX-XX", "HND", NULL, NULL, "1988-08-08", NULL},
		{"Irma", "Peña", "1988", "HND", NULL, NULL, "1988-08", NULL},
		{"Marco", "Bianchi Russo", "1988-08-08", "HND", NULL, NULL, NULL, "ITA"},
		{"Иван", "Иванов", "1988-08-08", "RUS", "IVAN", "IVANOV", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char n1[16], n2[16];
		snprintf(n1, sizeof(n1), "VF%zu", i);
		snprintf(n2, sizeof(n2), "VG%zu", i);
		struct persons_doc d = passport(v[i].given, v[i].sur, n1);
		d.birth_date = v[i].birth;
		d.nationality = d.issuing_state = v[i].nat;
		struct persons_result a = resolve(d);
		T_ASSERT(a.person_created);
		T_EQ_INT(a.duplicates_flagged, 0);
		struct persons_doc e = d;
		e.number = n2;
		e.given_names = v[i].given2 ? v[i].given2 : d.given_names;
		e.surnames = v[i].sur2 ? v[i].sur2 : d.surnames;
		e.birth_date = v[i].birth2 ? v[i].birth2 : d.birth_date;
		e.nationality = e.issuing_state = v[i].nat2 ? v[i].nat2 : d.nationality;
		T_EQ_INT(holder_of_doc(e), 0);
		struct persons_result b = resolve(e);
		if (!b.person_created || b.renewal || b.duplicates_flagged != 1)
			fprintf(stderr, "  variation %zu: %s %s %s %s\n", i, e.given_names, e.surnames, e.birth_date, e.nationality);
		T_ASSERT(b.person_created && !b.renewal);
		T_EQ_INT(b.duplicates_flagged, 1);
		T_EQ_INT(flags_between(b.person_id, a.person_id, "similar_names_and_birth_date"), 1);
	}
	/* by chance: another second surname, other given names, another
	 * year or month */
	struct persons_doc d = passport("José Luis", "Hernández López", "CH1");
	d.birth_date = "1977-07-07";
	struct persons_result a = resolve(d);
	const char *other[][3] = {{"José Luis", "Hernández Pérez", "1977-07-07"},
				  {"Juan", "López", "1977-07-07"},
				  {"José Luis", "HERNANDEZ", "1978-07-07"},
				  {"José Luis", "HERNANDEZ", "1977-08"},
				  {"José Luis", "Portillo López", "1977-07-07"}};
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		char num[16];
		snprintf(num, sizeof(num), "CH%zu", i + 2);
		struct persons_doc e = passport(other[i][0], other[i][1], num);
		e.birth_date = other[i][2];
		struct persons_result b = resolve(e);
		T_ASSERT(b.person_created);
		if (b.duplicates_flagged)
			fprintf(stderr, "  by chance %zu flagged: %s %s %s\n", i, e.given_names, e.surnames, e.birth_date);
		T_EQ_INT(b.duplicates_flagged, 0);
	}
	/* and the same data still link, the alike ones beside them aside */
	struct persons_doc r = passport("JOSE LUIS", "HERNANDEZ LOPEZ", "CH9");
	r.birth_date = "1977-07-07";
	struct persons_result b = resolve(r);
	T_EQ_INT(b.person_id, a.person_id);
	T_ASSERT(b.renewal);
}

static void t_previous_document_named(void)
{
	struct persons_doc d = passport("Ana María", "López", "L1");
	d.birth_date = "1990-01-02";
	struct persons_result a = resolve(d);
	struct persons_doc e = passport("Ana Maria", "Lopez de Hernandez", "L2");
	e.birth_date = "1990-01-02";
	e.previous_number = "L1";
	/* married name: the surnames differ, so the previous document does
	 * not prove it; flagged for an officer */
	struct persons_result b = resolve(e);
	T_ASSERT(b.person_id != a.person_id);
	T_EQ_INT(b.duplicates_flagged, 1);
	struct persons_doc f = passport("Ana María", "López", "L3");
	f.birth_date = "1990-01-02";
	f.previous_number = "L1";
	struct persons_result c = resolve(f);
	T_EQ_INT(c.person_id, a.person_id);
	T_ASSERT(c.renewal);
}

/* The booth's read before the write names the person the write links:
 * the holder of a known document, the person a renewal links to, and
 * nobody for a new person or a possible duplicate.  It writes nothing. */
static int64_t holder_of(struct persons_doc d)
{
	int64_t id = -1;
	struct sigm_error err;
	if (persons_holder(s, &d, &id, NULL, &err))
		return -1;
	return id;
}

static void t_holder_read_before_the_write(void)
{
	struct persons_doc d = passport("Marta Elena", "Quintanilla", "Q1");
	d.birth_date = "1975-09-09";
	T_EQ_INT(holder_of(d), 0);
	int64_t before = 0;
	struct sigm_error err;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM documents", NULL, 0, &before, &err), 0);
	struct persons_result a = resolve(d);
	T_EQ_INT(holder_of(d), a.person_id);
	/* a renewal by the data, and by the previous document */
	struct persons_doc r = d;
	r.number = "Q2";
	T_EQ_INT(holder_of(r), a.person_id);
	r.number = "Q3";
	r.surnames = "Quintanilla de Soto";
	r.previous_number = "Q1";
	T_EQ_INT(holder_of(r), 0); /* the previous holder disagrees: flagged */
	r.surnames = "QUINTANILLA";
	T_EQ_INT(holder_of(r), a.person_id);
	/* nothing was written by asking */
	int64_t after = 0;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM documents", NULL, 0, &after, &err), 0);
	T_EQ_INT(after, before + 1);
	/* what the write then does agrees */
	struct persons_result b = resolve(r);
	T_EQ_INT(b.person_id, a.person_id);
	T_ASSERT(b.renewal);
	/* a possible duplicate is nobody yet */
	struct persons_doc t = d;
	t.number = "Q9";
	t.given_names = "Marta Eugenia";
	T_EQ_INT(holder_of(t), 0);
}

/* Twins share the surnames and the birth date: the given names decide,
 * where both are known, as an MRZ and a clerk write them. */
static void t_holder_given_names(void)
{
	const char *sur = "Hernández López", *b = "1990-05-05";
	T_ASSERT(!persons_holder_agrees(sur, b, "María José", "HERNANDEZ LOPEZ", b, "ANA LUCIA"));
	T_ASSERT(persons_holder_agrees(sur, b, "María José", "HERNANDEZ LOPEZ", b, "MARIA JOSE"));
	/* one of them, the other cut short by the MRZ, run together */
	T_ASSERT(persons_holder_agrees(sur, b, "María José", "HERNANDEZ LOPEZ", b, "MARIA"));
	T_ASSERT(persons_holder_agrees(sur, b, "María José", "HERNANDEZ LOPEZ", b, "MARIA JOS"));
	T_ASSERT(persons_holder_agrees(sur, b, "María José", "HERNANDEZ LOPEZ", b, "M"));
	T_ASSERT(persons_holder_agrees(sur, b, "Ana María", "HERNANDEZ LOPEZ", b, "ANAMARIA"));
	T_ASSERT(persons_holder_agrees(sur, b, "Jürgen", "HERNANDEZ LOPEZ", b, "JUERGEN"));
	/* unknown on either side, or in two scripts: the surnames decide */
	T_ASSERT(persons_holder_agrees(sur, b, NULL, "HERNANDEZ LOPEZ", b, "ANA LUCIA"));
	T_ASSERT(persons_holder_agrees(sur, b, "María José", "HERNANDEZ LOPEZ", b, ""));
	T_ASSERT(persons_holder_agrees("Иванов", b, "Иван", "IVANOV", b, "IVAN"));
	/* and the surnames still do */
	T_ASSERT(!persons_holder_agrees(sur, b, "María José", "PEREZ", b, "MARIA JOSE"));
}

static void t_same_holder(void)
{
	T_ASSERT(persons_same_holder("Hernández Cruz", "1980-05-17", "HERNANDEZ CRUZ", "1980-05-17"));
	/* an MRZ cuts a long name short */
	T_ASSERT(persons_same_holder("Rodríguez de la Santísima Trinidad", "1980-05-17",
				     "RODRIGUEZ DE LA SANTISIMA", "1980-05-17"));
	/* but a short name is not another's start */
	T_ASSERT(!persons_same_holder("Smith", "1970-01-01", "Smithson", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Smith", "1970-01-01", "Jones", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Smith", "1970-01-01", "Smith", "1995-03-03"));
	/* a date on file without its day still has its year and month */
	T_ASSERT(!persons_same_holder("Warsame", "1981-05-XX", "Warsame", "2001-11-30"));
	T_ASSERT(!persons_same_holder("Warsame", "1981-05-XX", "Warsame", "1981-06-02"));
	T_ASSERT(persons_same_holder("Warsame", "1981-05-XX", "Warsame", "1981-05-17"));
	T_ASSERT(persons_same_holder("Warsame", "1981-00-00", "Warsame", "1981-05-17"));
	/* as an MRZ writes what a clerk typed (ICAO 9303 transliteration) */
	T_ASSERT(persons_same_holder("Müller", "1970-01-01", "MUELLER", "1970-01-01"));
	T_ASSERT(persons_same_holder("O'Brien", "1970-01-01", "OBRIEN", "1970-01-01"));
	T_ASSERT(persons_same_holder("Bjørnstad", "1970-01-01", "BJOERNSTAD", "1970-01-01"));
	T_ASSERT(persons_same_holder("García", "1970-01-01", "GARCIA LOPEZ", "1970-01-01"));
	T_ASSERT(persons_same_holder("López", "1970-01-01", "LOPEZ DE HERNANDEZ", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Müller", "1970-01-01", "MUELLER", "1971-01-01"));
	/* short surnames are surnames */
	T_ASSERT(persons_same_holder("de la O", "1970-01-01", "DE LA O GARCIA", "1970-01-01"));
	T_ASSERT(persons_same_holder("Ng", "1970-01-01", "NG HERNANDEZ", "1970-01-01"));
	T_ASSERT(persons_same_holder("Lê", "1970-01-01", "LE VAN", "1970-01-01"));
	/* letters past Latin Extended-A lose their marks too (they were
	 * dropped: Nguyễn was NGUYN, the holder of no NGUYEN) */
	T_ASSERT(persons_same_holder("Nguyễn", "1970-01-01", "NGUYEN", "1970-01-01"));
	T_ASSERT(persons_same_holder("Ștefănescu", "1970-01-01", "STEFANESCU", "1970-01-01"));
	T_ASSERT(persons_same_holder("Phạm Thị", "1970-01-01", "PHAM THI", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Nguyễn", "1970-01-01", "NGUY", "1970-01-01"));
	/* a particle is no surname in common */
	T_ASSERT(!persons_same_holder("de León", "1970-01-01", "DE PAZ", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Van Dijk", "1970-01-01", "VAN BERG", "1970-01-01"));
	/* surnames without a Latin letter are not a wildcard */
	T_ASSERT(!persons_same_holder("Zelaya", "1970-01-01", "---", "1970-01-01"));
	T_ASSERT(!persons_same_holder("---", "1970-01-01", "Zelaya", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Zelaya", "1970-01-01", "\xF0\x9F\x98\x80", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Zelaya", "1970-01-01", "", "1970-01-01"));
	T_ASSERT(!persons_same_holder("---", "1970-01-01", "\xF0\x9F\x98\x80", "1970-01-01"));
	T_ASSERT(persons_same_holder("---", "1970-01-01", " --- ", "1970-01-01"));
	/* other scripts are read: Cyrillic as ICAO writes it in an MRZ */
	T_ASSERT(persons_same_holder("Иванов", "1970-01-01", "Иванов", "1970-01-01"));
	T_ASSERT(persons_same_holder("Иванов", "1970-01-01", "IVANOV", "1970-01-01"));
	T_ASSERT(persons_same_holder("IVANOVA", "1970-01-01", "Иванова Петрова", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Иванов", "1970-01-01", "Петров", "1970-01-01"));
	T_ASSERT(!persons_same_holder("Zelaya Cañas", "1970-01-01", "Зелая", "1970-01-01"));
	T_ASSERT(persons_same_holder("王", "1970-01-01", "王", "1970-01-01"));
	T_ASSERT(!persons_same_holder("王", "1970-01-01", "李", "1970-01-01"));
	/* a partial date is not compared */
	T_ASSERT(persons_same_holder("Smith", "1970-00-00", "Smith", "1970-05-05"));
	T_ASSERT(persons_same_holder("Smith", "1970-05-XX", "Smith", "1970-05-05"));
	T_ASSERT(persons_same_holder("Smith", "1970-05-05", "Smith", "1970-xx-xx"));
	T_ASSERT(persons_same_holder("Smith", "1970-05", "Smith", "1970-05-05"));
	T_ASSERT(!persons_same_holder("Smith", "1970-05-06", "Smith", "1970-05-05"));
	T_ASSERT(persons_same_holder("Smith", NULL, "Smith", "1970-05-05"));
}

static void t_incomplete_document_refused(void)
{
	struct call c = {.d = passport("A", "B", "")};
	struct sigm_error err;
	T_EQ_INT(store_write(s, resolve_fn, &c, &err), SIGM_EINVAL);
	T_EQ_STR(err.field, "document_number");
}

/* The national number shown beside a passport (a DUI): kept as the
 * person's id_card; a new passport shown with it is its holder's renewal
 * when the data agree, and under other data it is not the traveler's. */
static void t_national_number(void)
{
	struct persons_doc a = passport("Ana Sofía", "Lemus Cañas", "NN100001");
	a.birth_date = "1977-07-07";
	a.national_number = "044444451";
	a.national_state = "SLV";
	struct persons_result ra = resolve(a);
	T_EQ_INT(ra.person_created, 1);
	T_EQ_INT(ra.national_differs, 0);
	/* another person's passport, the same DUI: flagged, not hers */
	struct persons_doc b = passport("Pedro", "Quintanilla", "NN100002");
	b.birth_date = "1991-01-01";
	b.national_number = a.national_number;
	b.national_state = "SLV";
	struct persons_result rb = resolve(b);
	T_EQ_INT(rb.person_created, 1);
	T_ASSERT(rb.person_id != ra.person_id);
	T_EQ_INT(rb.national_differs, 1);
	T_EQ_INT(rb.national_holder_id, ra.person_id);
	T_EQ_INT(rb.duplicates_flagged, 1);
	/* her new passport, a surname dropped, no previous number: hers */
	struct persons_doc c = a;
	c.surnames = "LEMUS";
	c.number = "NN100003";
	struct persons_result rc = resolve(c);
	T_EQ_INT(rc.person_id, ra.person_id);
	T_EQ_INT(rc.renewal, 1);
	T_EQ_INT(rc.duplicates_flagged, 0);
}

static const struct t_case cases[] = {
	T(t_fold),
	T(t_national_number),
	T(t_same_document_same_person),
	T(t_renewal_links_when_data_agree),
	T(t_partial_agreement_is_flagged_not_merged),
	T(t_renewal_found_in_a_crowd),
	T(t_renewal_in_cyrillic),
	T(t_renewal_variations_flagged),
	T(t_previous_document_named),
	T(t_incomplete_document_refused),
	T(t_holder_read_before_the_write),
	T(t_same_holder),
	T(t_holder_given_names),
	T(t_surnames_key),
	{0},
};

int main(int argc, char **argv)
{
	(void)argc;
	setup();
	int rc = t_run(argv[0], cases);
	store_close(&s);
	return rc;
}
