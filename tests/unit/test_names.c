/* test_names.c - name normalization rules, similarity, variant tables. */
#include "api/screen_names.h"
#include "core/names.h"
#include "harness.h"

/* folds given + surnames and joins the tokens with spaces */
static const char *F(const char *given, const char *sur)
{
	static char out[512];
	struct names_person p;
	size_t o = 0;
	out[0] = 0;
	if (names_person_set(&p, given, sur, NULL))
		return "(error)";
	for (int i = 0; i < p.n; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s",
				      i ? " " : "", p.tok[i].s);
	return out;
}

static void t_case_and_accents(void)
{
	T_EQ_STR(F("José Luis", "Hernández Núñez"), "jose luis hernandez nunez");
	T_EQ_STR(F("JOSÉ", "PEÑA UMAÑA"), "jose pena umana");
	T_EQ_STR(F("Ángel", "Müller"), "angel muller");
	T_EQ_STR(F("Hans", "Straße"), "hans strasse");
	T_EQ_STR(F("Søren", "Kierkegaard Æbelø"), "soren kierkegaard aebelo");
	T_EQ_STR(F("Łukasz", "Wałęsa"), "lukasz walesa");
	/* fullwidth and compatibility forms fold too */
	T_EQ_STR(F("ＪＯＳＥ", NULL), "jose");
}

static void t_cyrillic_icao(void)
{
	T_EQ_STR(F("Владимир", "Путин"), "vladimir putin");
	T_EQ_STR(F("Юрий", "Щукин"), "iurii shchukin");
	T_EQ_STR(F("Артём", "Хабаров"), "artem khabarov");
	/* Serbian and Macedonian letters: as the MRZ writes them */
	T_EQ_STR(F("Ђорђе", "Ђорђевић"), "dorde dordevic");
	T_EQ_STR(F("Љубиша", "Његош"), "ljubisha njegosh"); /* ш: SH (Serbian passports: S) */
	T_EQ_STR(F("Јован", "Ћирић"), "jovan ciric");
	T_EQ_STR(F("Ѓорѓи", "Ќосевски"), "gorgi kosevski");
	T_EQ_STR(F("Џеки", "Ѕвонковски"), "dzeki dzvonkovski");
}

static void t_punctuation_hyphen_apostrophe(void)
{
	T_EQ_STR(F("Seán", "O'Brien"), "sean obrien");
	T_EQ_STR(F("Roberto", "D’Aubuisson"), "roberto daubuisson");
	T_EQ_STR(F("Ana-María", "Ruiz-Jiménez"), "ana maria ruiz jimenez");
	T_EQ_STR(F("  José ,  ", " Pérez;; "), "jose perez");
}

static void t_mrz(void)
{
	struct names_person p;
	T_EQ_INT(names_person_from_mrz(&p, "HERNANDEZ<DE<LA<CRUZ<<JOSE<LUIS<<<<<", NULL), 0);
	T_EQ_INT(p.n, 4);
	T_EQ_STR(p.tok[0].s, "hernandez");
	T_EQ_INT(p.tok[0].role, NAMES_SURNAME);
	T_EQ_STR(p.tok[1].s, "cruz");
	T_EQ_STR(p.tok[2].s, "jose");
	T_EQ_INT(p.tok[2].role, NAMES_GIVEN);
	/* '<' separates inside one field too */
	T_EQ_STR(F("JOSE<LUIS", "HERNANDEZ<DE<LA<CRUZ"), "jose luis hernandez cruz");
	T_EQ_INT(names_person_from_mrz(&p, "PUTIN", NULL), 0);
	T_EQ_INT(p.n, 1);
}

static void t_particles(void)
{
	T_EQ_STR(F("María", "López de Hernández"), "maria lopez hernandez");
	T_EQ_STR(F("Juan", "de los Santos y Pérez"), "juan santos perez");
	T_EQ_STR(F("Ana", "Vda. de Pérez"), "ana perez");
	T_EQ_STR(F("Ludwig", "van der Rohe"), "ludwig rohe");
	T_EQ_STR(F("Ana", "Dela Cruz"), "ana cruz");
	/* glued particles */
	T_EQ_STR(F("José", "Delacruz"), "jose cruz");
	T_EQ_STR(F("José", "Delossantos"), "jose santos");
	/* but not names that merely start like one */
	T_EQ_STR(F("Luis", "Delgado Deras"), "luis delgado deras");
	T_EQ_STR(F("Delia", NULL), "delia");
	T_EQ_STR(F("Ana", "Delao"), "ana delao"); /* remainder under 3 letters */
}

static void t_initials(void)
{
	struct names_person p;
	T_EQ_INT(names_person_set(&p, "Jose L.", "Hernandez", NULL), 0);
	T_EQ_INT(p.n, 3);
	T_EQ_STR(p.tok[1].s, "l");
	T_ASSERT(p.tok[1].flags & NAMES_TOK_INITIAL);
	T_ASSERT(!(p.tok[0].flags & NAMES_TOK_INITIAL));
}

static void t_bad_input(void)
{
	struct names_person p;
	struct sigm_error e;
	char big[10241];

	memset(&p, 0, sizeof(p));
	T_EQ_INT(names_normalize(&p, "Jos\xe9", -1, NAMES_GIVEN, "given_names", &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "invalid_utf8");
	T_EQ_STR(e.field, "given_names");
	T_EQ_INT(names_normalize(&p, "\xc3", -1, NAMES_GIVEN, "x", &e), SIGM_EINVAL);
	T_EQ_INT(names_normalize(&p, "a\0b", 3, NAMES_GIVEN, "x", &e), SIGM_EINVAL);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	T_EQ_INT(names_normalize(&p, big, -1, NAMES_GIVEN, "x", &e), SIGM_ETOOBIG);
	T_EQ_STR(e.code, "name_too_long");
	T_EQ_INT(p.n, 0); /* unchanged on error */
	/* the cap is NAMES_MAX_CHARS letters of any script, not 512 bytes:
	 * 200 CJK letters (600 bytes) and NAMES_MAX_CHARS four-byte letters
	 * (U+20000) are a name, one byte more is too long */
	{
		static char wide[NAMES_MAX_BYTES + 2];
		for (int i = 0; i < 200; i++)
			memcpy(wide + 3 * i, "\xe7\x8e\x8b", 3); /* 王 */
		wide[600] = 0;
		T_EQ_INT(names_person_set(&p, "Wei", wide, &e), 0);
		T_EQ_INT(p.n, 2);
		for (int i = 0; i < NAMES_MAX_CHARS; i++)
			memcpy(wide + 4 * i, "\xf0\xa0\x80\x80", 4);
		wide[NAMES_MAX_BYTES] = 0;
		T_EQ_INT(names_person_set(&p, wide, "Li", &e), 0);
		T_EQ_INT(p.n, 2);
		T_EQ_INT(p.tok[0].len, NAMES_TOK_MAX - 1 - (NAMES_TOK_MAX - 1) % 4); /* whole letters */
		wide[NAMES_MAX_BYTES] = 'a';
		wide[NAMES_MAX_BYTES + 1] = 0;
		T_EQ_INT(names_person_set(&p, wide, "Li", &e), SIGM_ETOOBIG);
		T_EQ_STR(e.field, "given_names");
	}
	/* empty, punctuation only, particles only: no tokens, no error */
	T_EQ_INT(names_person_set(&p, "", "  ", NULL), 0);
	T_EQ_INT(p.n, 0);
	T_EQ_INT(names_person_set(&p, "...", "de la", NULL), 0);
	T_EQ_INT(p.n, 0);
	/* a token longer than NAMES_TOK_MAX is cut, never overflows */
	memset(big, 'b', 300);
	big[300] = 0;
	T_EQ_INT(names_person_set(&p, big, NULL, NULL), 0);
	T_EQ_INT(p.n, 1);
	T_EQ_INT(p.tok[0].len, NAMES_TOK_MAX - 1);
	/* more than NAMES_MAX_TOKENS tokens: kept the first, flagged */
	T_EQ_INT(names_person_set(&p, "a b c d e f g h", "i j k l m n o", NULL), 0);
	T_EQ_INT(p.n, NAMES_MAX_TOKENS);
	T_ASSERT(p.truncated);
}

static void t_similarity(void)
{
	double j = names_jaro_winkler("martha", 6, "marhta", 6);
	T_ASSERT(j > 0.960 && j < 0.962);
	j = names_jaro_winkler("dwayne", 6, "duane", 5);
	T_ASSERT(j > 0.83 && j < 0.85);
	T_ASSERT(names_jaro_winkler("abc", 3, "abc", 3) == 1.0);
	T_ASSERT(names_jaro_winkler("abc", 3, "xyz", 3) == 0.0);
	T_EQ_INT(names_edit_distance("hernandez", 9, "hernadnez", 9, 2), 1);
	T_EQ_INT(names_edit_distance("hernandez", 9, "fernandez", 9, 2), 1);
	T_EQ_INT(names_edit_distance("lopez", 5, "lopes", 5, 2), 1);
	T_EQ_INT(names_edit_distance("jose", 4, "maria", 5, 2), 3);
	T_EQ_INT(names_edit_distance("ana", 3, "ana", 3, 2), 0);
}

static void t_tables(void)
{
	struct names_table *t = NULL;
	const char nick[] = "# comment\nnickname,formal\npepe,jose\nChepe,José\nbeto,alberto\nbeto,roberto\nchema,jose maria\n";
	const char en[] = "name1,relationship,name2\nwilliam,has_nickname,bill\n";
	const char var[] = "mohammed, muhammad, mohamed => X1\nалександр, aleksandr, alexander\n";

	T_EQ_INT(names_table_new(&t, NULL), 0);
	T_EQ_INT(names_table_add_nicknames(t, nick, sizeof(nick) - 1, NULL), 0);
	T_EQ_INT(names_table_add_nicknames(t, en, sizeof(en) - 1, NULL), 0);
	T_EQ_INT(names_table_add_variants(t, var, sizeof(var) - 1, NULL), 0);
	T_EQ_INT(names_table_relation(t, "pepe", "jose"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "chepe", "pepe"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "beto", "roberto"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "alberto", "roberto"), 0);
	T_EQ_INT(names_table_relation(t, "chema", "jose"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "bill", "william"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "muhammad", "mohamed"), NAMES_VARIANT);
	/* the Cyrillic form is folded by the same rules as names */
	T_EQ_INT(names_table_relation(t, "aleksandr", "aleksandr"), 0);
	T_EQ_INT(names_table_relation(t, "alexander", "aleksandr"), NAMES_VARIANT);
	T_EQ_INT(names_table_relation(t, "jose", "juan"), 0);
	T_EQ_INT(names_table_relation(NULL, "pepe", "jose"), 0);
	names_table_free(&t);
	T_ASSERT(t == NULL);
}

static void t_data_files(void)
{
	struct names_table *t = NULL;
	struct sigm_error e;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/data", t_srcdir());
	T_EQ_INT(screen_names_load(dir, &t, &e), 0);
	T_ASSERT(names_table_size(t) > 2000);
	/* the hypocoristics the issue names */
	T_EQ_INT(names_table_relation(t, "paco", "francisco"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "pancho", "francisco"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "chepe", "jose"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "pepe", "jose"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "lupe", "guadalupe"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "chuy", "jesus"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "beto", "roberto"), NAMES_NICKNAME);
	T_EQ_INT(names_table_relation(t, "mohammed", "muhammad"), NAMES_VARIANT);
	T_EQ_INT(names_table_relation(t, "mohamed", "muhammad"), NAMES_VARIANT);
	T_EQ_INT(names_table_relation(t, "aleksandr", "alexander"), NAMES_VARIANT);
	/* different surnames are never declared variants */
	T_EQ_INT(names_table_relation(t, "hernandez", "fernandez"), 0);
	names_table_free(&t);
	T_EQ_INT(screen_names_load("/nonexistent", &t, &e), SIGM_EIO);
	T_EQ_STR(e.code, "names_data_missing");
}

/* Blank is what shows nothing, whatever space or invisible it is made of. */
static void t_visible(void)
{
	static const char *const blank[] = {
		"", " ", "\t\n ", "\xC2\xA0" /* NBSP */, "\xE2\x80\x8B" /* ZWSP */,
		"\xE3\x80\x80" /* ideographic space */, "\xE2\x80\xA8" /* line separator */,
		"\xEF\xBB\xBF" /* BOM */, "\xE2\x81\xA0" /* word joiner */,
		"\xCC\x81" /* a combining acute alone */, " \xC2\xA0\xE2\x80\x8B ",
		"\xE3\x85\xA4" /* Hangul filler U+3164 */, "\xE1\x85\x9F" /* U+115F */,
		"\xEF\xBE\xA0" /* U+FFA0 */, "\xE2\xA0\x80" /* blank Braille U+2800 */, NULL};
	for (const char *const *b = blank; *b; b++)
		T_ASSERT(!names_visible(*b));
	T_ASSERT(!names_visible(NULL));
	static const char *const shown[] = {"x", " .", "-", "\xC2\xA0" "Ana", "e\xCC\x81",
					    "\xE6\x9D\x8E" /* 李 */, "0", NULL};
	for (const char *const *v = shown; *v; v++)
		T_ASSERT(names_visible(*v));
}

static const struct t_case cases[] = {
	T(t_visible),
	T(t_case_and_accents),
	T(t_cyrillic_icao),
	T(t_punctuation_hyphen_apostrophe),
	T(t_mrz),
	T(t_particles),
	T(t_initials),
	T(t_bad_input),
	T(t_similarity),
	T(t_tables),
	T(t_data_files),
	{0},
};
T_MAIN(cases)
