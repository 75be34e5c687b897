/* test_mrz.c - the ICAO 9303 MRZ engine: specimens, check digits, every
 * field error, OCR suggestions, dates, long numbers, names, round trips. */
#include "api/countries.h"
#include "core/mrz.h"
#include "harness.h"

#include <jansson.h>

static struct api_countries *g_countries;
static struct mrz_doc D;

static const struct mrz_countries *T_(void)
{
	if (!g_countries) {
		struct sigm_error e;
		if (api_countries_load(NULL, NULL, &g_countries, &e))
			fprintf(stderr, "  iso-codes: %s\n", e.message);
	}
	return api_countries_table(g_countries);
}

static int32_t day(int y, int m, int d) { return cal_from_ymd(y, m, d); }
#define TODAY day(2026, 11, 25)

static int parse(const char *s)
{
	return mrz_parse(s, strlen(s), TODAY, T_(), &D, NULL);
}

/* true when D has an error with this code on this field */
static int has_error(const char *code, const char *field)
{
	for (int i = 0; i < D.n_errors; i++)
		if (!strcmp(D.errors[i].code, code) && !strcmp(D.errors[i].field, field))
			return 1;
	return 0;
}

static json_t *load(const char *name)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/tests/data/mrz/%s", t_srcdir(), name);
	return json_load_file(p, 0, NULL);
}

#define TD3_OK "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"

static void t_check_digits(void)
{
	json_t *v = load("checkdigit_vectors.json");
	T_ASSERT(v);
	size_t i;
	json_t *e;
	int n = 0;
	json_array_foreach(json_object_get(v, "single_field"), i, e) {
		const char *s = json_string_value(json_object_get(e, "data"));
		T_EQ_INT(mrz_check_digit(s, strlen(s)),
			 json_integer_value(json_object_get(e, "check_digit")));
		n++;
	}
	json_array_foreach(json_object_get(v, "composite"), i, e) {
		const char *s = json_string_value(json_object_get(e, "composite_input"));
		T_EQ_INT(mrz_check_digit(s, strlen(s)),
			 json_integer_value(json_object_get(e, "check_digit")));
		n++;
	}
	T_ASSERT(n >= 12);
	T_EQ_INT(mrz_check_digit("AB2134<<<", 9), 5);
	T_EQ_INT(mrz_check_digit("ab", 2), -1);
	json_decref(v);
}

static void yymmdd(const struct cal_date *d, char b[7]) { mrz_date_yymmdd(d, b); }

static void t_specimens(void)
{
	json_t *v = load("specimens.json");
	T_ASSERT(json_array_size(v) == 26);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		json_t *r = json_object_get(e, "recomputed");
		char text[200] = "";
		size_t k;
		json_t *ln;
		json_array_foreach(json_object_get(e, "lines"), k, ln) {
			strcat(text, json_string_value(ln));
			strcat(text, "\n");
		}
		T_EQ_INT(parse(text), 0);
		const char *id = json_string_value(json_object_get(e, "id"));
#define S(key) json_string_value(json_object_get(r, key))
		if (strcmp(mrz_format_name(D.format), S("format")))
			T_FAIL_("%s: format %s", id, mrz_format_name(D.format));
		T_EQ_STR(D.document_code, S("documentCode"));
		T_EQ_STR(D.issuing_state, S("issuingState"));
		T_EQ_STR(D.nationality, S("nationality"));
		T_EQ_STR(D.surnames, S("primary"));
		T_EQ_STR(D.given_names, S("secondary"));
		T_EQ_STR(D.document_number, S("documentNumber"));
		char b[7];
		yymmdd(&D.birth, b);
		T_EQ_STR(b, S("birthDate"));
		yymmdd(&D.expiry, b);
		T_EQ_STR(b, S("expiryDate"));
		char sex[2] = {D.sex, 0};
		T_EQ_STR(sex, S("sex"));
		const char *opt = S("personalNumber") ? S("personalNumber")
			: S("optional") ? S("optional") : S("optional1");
		char o[40];
		snprintf(o, sizeof(o), "%s", opt);
		/* the recomputation keeps a leading filler as a space */
		T_EQ_STR(D.optional_data, o[0] == ' ' ? o + 1 : o);
		if (S("optional2"))
			T_EQ_STR(D.optional_data_2, S("optional2"));
		T_EQ_INT(D.name_truncated, json_is_true(json_object_get(r, "lastCharAlpha")));
		if (D.valid != json_is_true(json_object_get(r, "allChecksOk")))
			T_FAIL_("%s: valid %d (%d errors, first %s/%s)", id, D.valid,
				D.n_errors, D.n_errors ? D.errors[0].code : "",
				D.n_errors ? D.errors[0].field : "");
#undef S
	}
	json_decref(v);
}

/* A TD3 line 2 with its check digits recomputed after an edit, so that a
 * test breaks exactly one thing. */
static void fix_td3(char *l2)
{
	l2[9] = (char)('0' + mrz_check_digit(l2, 9));
	l2[19] = (char)('0' + mrz_check_digit(l2 + 13, 6));
	l2[27] = (char)('0' + mrz_check_digit(l2 + 21, 6));
	l2[42] = (char)('0' + mrz_check_digit(l2 + 28, 14));
	char c[64];
	memcpy(c, l2, 10);
	memcpy(c + 10, l2 + 13, 7);
	memcpy(c + 17, l2 + 21, 22);
	l2[43] = (char)('0' + mrz_check_digit(c, 39));
}

static int parse_td3(const char *l1, const char *l2, int fix)
{
	char a[45], b[45], t[100];
	snprintf(a, sizeof(a), "%s", l1);
	snprintf(b, sizeof(b), "%s", l2);
	if (fix)
		fix_td3(b);
	snprintf(t, sizeof(t), "%s\n%s", a, b);
	return parse(t);
}

#define L1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
#define L2 "L898902C36UTO7408122F1204159ZE184226B<<<<<10"

static void t_field_errors(void)
{
	T_EQ_INT(parse(TD3_OK), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(parse_td3("X<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", L2, 0), 0);
	T_ASSERT(has_error("invalid_document_code", "document_code"));
	T_EQ_INT(parse_td3("P<ZZZERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", L2, 0), 0);
	T_ASSERT(has_error("unknown_country", "issuing_state"));
	T_EQ_INT(parse_td3("P<U1OERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", L2, 0), 0);
	T_ASSERT(has_error("invalid_country", "issuing_state"));
	T_EQ_INT(parse_td3(L1, "L898902C36ZZZ7408122F1204159ZE184226B<<<<<10", 1), 0);
	T_ASSERT(has_error("unknown_country", "nationality"));
	T_EQ_INT(D.n_errors, 1);
	T_EQ_INT(parse_td3("P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", L2, 0), 0);
	T_ASSERT(has_error("invalid_name", "surnames"));
	T_EQ_INT(parse_td3("P<UTO<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<<<<<<<<", L2, 0), 0);
	T_ASSERT(has_error("invalid_name", "surnames"));
	T_EQ_INT(parse_td3(L1, "L898902C37UTO7408122F1204159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_error("check_digit_mismatch", "document_number"));
	T_ASSERT(has_error("check_digit_mismatch", "composite"));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408123F1204159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_error("check_digit_mismatch", "birth_date"));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F1204158ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_error("check_digit_mismatch", "expiry_date"));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F1204159ZE184226B<<<<<20", 0), 0);
	T_ASSERT(has_error("check_digit_mismatch", "optional_data"));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F1204159ZE184226B<<<<<11", 0), 0);
	T_ASSERT(has_error("check_digit_mismatch", "composite"));
	T_EQ_INT(D.n_errors, 1);
	T_EQ_INT(parse_td3(L1, "L898902C3AUTO7408122F1204159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_error("invalid_check_digit", "document_number"));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7413322F1204159ZE184226B<<<<<10", 1), 0);
	T_ASSERT(has_error("invalid_date", "birth_date"));
	T_EQ_INT(D.n_errors, 1);
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F1202309ZE184226B<<<<<10", 1), 0);
	T_ASSERT(has_error("invalid_date", "expiry_date"));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122Q1204159ZE184226B<<<<<10", 1), 0);
	T_ASSERT(has_error("invalid_sex", "sex"));
	T_EQ_INT(D.n_errors, 1);
	/* the zone writes an unspecified sex as '<' (Part 4 position 21) */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122X1204159ZE184226B<<<<<10", 1), 0);
	T_ASSERT(has_error("invalid_sex", "sex"));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122<1204159ZE184226B<<<<<10", 1), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.sex, 'X');
	/* regression (fuzzer): a name field opening with a single filler */
	T_EQ_INT(parse_td3("P<UTO<T<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", L2, 0), 0);
	T_ASSERT(has_error("invalid_name", "surnames"));
	T_EQ_INT(parse_td3("P<UTOERIKSSON<<ANNA*MARIA<<<<<<<<<<<<<<<<<<<", L2, 0), 0);
	T_ASSERT(has_error("invalid_character", "line1"));
	T_EQ_INT(parse_td3(L1, "<<<<<<<<<0UTO7408122F1204159ZE184226B<<<<<10", 1), 0);
	T_ASSERT(has_error("missing_field", "document_number"));
	T_EQ_INT(parse("P<UTOERIKSSON\nL898902C36"), 0);
	T_ASSERT(has_error("unknown_format", "mrz"));
	T_EQ_INT(D.format, MRZ_UNKNOWN);
	T_ASSERT(!D.valid);
	T_EQ_INT(parse(""), 0);
	T_ASSERT(has_error("unknown_format", "mrz"));
	/* every message is Spanish text, never empty */
	for (int i = 0; i < D.n_errors; i++)
		T_ASSERT(strlen(D.errors[i].message) > 10);
	char big[MRZ_INPUT_MAX + 2];
	memset(big, '<', sizeof(big));
	struct sigm_error e;
	T_EQ_INT(mrz_parse(big, sizeof(big), TODAY, NULL, &D, &e), SIGM_ETOOBIG);
	T_EQ_INT(mrz_parse(NULL, 0, TODAY, NULL, &D, &e), SIGM_EINVAL);
}

static int has_suggestion(const char *field, int line, int pos, char from, char to)
{
	for (int i = 0; i < D.n_suggestions; i++) {
		const struct mrz_suggestion *s = &D.suggestions[i];
		if (!strcmp(s->field, field) && s->line == line && s->position == pos &&
		    s->found == from && s->suggested == to)
			return 1;
	}
	return 0;
}

static void t_ocr_suggestions(void)
{
	/* O for 0 in the birth date: an error, and a suggestion, never a fix */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO74O8122F1204159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(!D.valid);
	T_ASSERT(has_error("invalid_date", "birth_date"));
	T_ASSERT(has_suggestion("birth_date", 2, 16, 'O', '0'));
	T_EQ_INT(D.birth.prec, CAL_PREC_NONE);
	/* S for 5 in the expiry check digit */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F120415SZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_error("invalid_check_digit", "expiry_date"));
	T_ASSERT(!has_suggestion("expiry_date", 2, 28, 'S', '5'));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F120415GZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_suggestion("expiry_date", 2, 28, 'G', '9') == 0);
	/* I for 1 in the expiry date, B for 8, Z for 2 */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122FI204159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_suggestion("expiry_date", 2, 22, 'I', '1'));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO74O8I22F1204159ZE184226B<<<<<10", 0), 0);
	T_EQ_INT(D.n_suggestions, 0); /* two confusions: no single fix */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F1Z04159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_suggestion("expiry_date", 2, 23, 'Z', '2'));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F12041S9ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_suggestion("expiry_date", 2, 27, 'S', '5'));
	/* a check digit read as a letter */
	T_EQ_INT(parse_td3(L1, "L898902C3GUTO7408122F1204159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_suggestion("document_number", 2, 10, 'G', '6'));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408122F1204159ZE184226B<<<<<1O", 0), 0);
	T_ASSERT(has_suggestion("composite", 2, 44, 'O', '0'));
	T_EQ_INT(parse_td3(L1, "L898902C36UTO740812ZF1204159ZE184226B<<<<<10", 0), 0);
	T_ASSERT(has_suggestion("birth_date", 2, 20, 'Z', '2'));
	/* I for 1 in a TD1 birth date */
	T_EQ_INT(parse("I<UTOD231458907<<<<<<<<<<<<<<<\n7408I22F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"), 0);
	T_ASSERT(has_suggestion("birth_date", 2, 5, 'I', '1'));
}

static void t_dates(void)
{
	/* century: a birth date is never in the future; an expiry may be */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO2612010F3001010ZE184226B<<<<<10", 1), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.birth.year, 1926);
	T_EQ_INT(D.expiry.year, 2030);
	T_EQ_INT(parse_td3(L1, "L898902C36UTO2611250F7601010ZE184226B<<<<<10", 1), 0);
	T_EQ_INT(D.birth.year, 2026); /* born today */
	T_EQ_INT(D.expiry.year, 2076);
	T_EQ_INT(parse_td3(L1, "L898902C36UTO0001010F7701010ZE184226B<<<<<10", 1), 0);
	T_EQ_INT(D.birth.year, 2000);
	T_EQ_INT(D.expiry.year, 1977);
	/* 29 February in 1968 (SRB specimen) and in 2000; not in 1900 */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO0002290F3001010ZE184226B<<<<<10", 1), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.birth.year, 2000);
	/* partial dates are kept, not rejected */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO74<<<<0F3001010ZE184226B<<<<<10", 1), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.birth.prec, CAL_PREC_YEAR);
	T_EQ_INT(D.birth.year, 1974);
	char b[11];
	mrz_date_string(&D.birth, b);
	T_EQ_STR(b, "1974");
	T_EQ_INT(parse_td3(L1, "L898902C36UTO7408<<0F3001010ZE184226B<<<<<10", 1), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.birth.prec, CAL_PREC_MONTH);
	mrz_date_string(&D.birth, b);
	T_EQ_STR(b, "1974-08");
	T_EQ_INT(parse_td3(L1, "L898902C36UTO<<<<<<0F3001010ZE184226B<<<<<10", 1), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.birth.prec, CAL_PREC_NONE);
	/* a day with an unknown month is no date */
	T_EQ_INT(parse_td3(L1, "L898902C36UTO74<<120F3001010ZE184226B<<<<<10", 1), 0);
	T_ASSERT(has_error("invalid_date", "birth_date"));
}

static void t_tolerant_input(void)
{
	T_EQ_INT(parse("  p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<  \r\n"
		       "l898902c36uto7408122f1204159ze184226b<<<<<10 \r\n\r\n"), 0);
	T_ASSERT(D.valid);
	T_EQ_STR(D.surnames, "ERIKSSON");
	/* a missing final filler is added, with a warning */
	T_EQ_INT(parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\n" L2), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.n_warnings, 1);
	T_EQ_STR(D.warnings[0].code, "filler_added");
	T_EQ_INT(parse("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<"), 0);
	T_ASSERT(D.valid);
	/* two missing are not "a missing final filler" */
	T_EQ_INT(parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<\n" L2), 0);
	T_ASSERT(has_error("unknown_format", "mrz"));
	/* the whole zone on one line */
	T_EQ_INT(parse(L1 L2), 0);
	T_ASSERT(D.valid);
	T_EQ_INT(D.format, MRZ_TD3);
	/* too many lines */
	T_EQ_INT(parse(L1 "\n" L2 "\n" L2 "\n" L2), 0);
	T_ASSERT(has_error("unknown_format", "mrz"));
}

static void t_countries(void)
{
	const struct mrz_countries *t = T_();
	T_ASSERT(t && t->n > 240);
	T_EQ_STR(mrz_country_name(t, "SLV", 3), "El Salvador");
	T_EQ_STR(mrz_country_name(t, "D<<", 3), "Alemania");
	T_EQ_STR(mrz_country_name(t, "DEU", 3), "Alemania");
	T_EQ_STR(mrz_country_name(t, "XXA", 3), "Apátrida");
	T_ASSERT(mrz_country_name(t, "RKS", 3));
	T_ASSERT(mrz_country_name(t, "GBD", 3));
	T_ASSERT(mrz_country_name(t, "EUE", 3));
	T_ASSERT(mrz_country_name(NULL, "UNO", 3));
	T_ASSERT(!mrz_country_name(t, "ZZZ", 3));
	T_ASSERT(!mrz_country_name(t, "D<D", 3));
	/* Germany's "D" is DEU; the British nationalities stay apart */
	T_EQ_STR(mrz_iso_state("D"), "DEU");
	T_EQ_STR(mrz_iso_state("DEU"), "DEU");
	T_EQ_STR(mrz_iso_state("GBN"), "GBN");
	T_ASSERT(mrz_iso_state(NULL) == NULL);
	T_ASSERT(!mrz_country_name(t, "<<<", 3));
	T_ASSERT(!mrz_country_name(NULL, "SLV", 3));
}

static void t_transliteration(void)
{
	char b[64];
	T_EQ_INT(mrz_transliterate("Müller", b, sizeof(b)), 7);
	T_EQ_STR(b, "MUELLER");
	mrz_transliterate("Peña Nieto", b, sizeof(b));
	T_EQ_STR(b, "PENA<NIETO");
	mrz_transliterate("José Ángel", b, sizeof(b));
	T_EQ_STR(b, "JOSE<ANGEL");
	mrz_transliterate("Ørsted-Åberg", b, sizeof(b));
	T_EQ_STR(b, "OERSTED<AABERG");
	mrz_transliterate("Straße", b, sizeof(b));
	T_EQ_STR(b, "STRASSE");
	mrz_transliterate("O'Connor", b, sizeof(b));
	T_EQ_STR(b, "OCONNOR");
	mrz_transliterate("Ткаченко", b, sizeof(b));
	T_EQ_STR(b, "TKACHENKO");
	mrz_transliterate("Щукин", b, sizeof(b));
	T_EQ_STR(b, "SHCHUKIN");
	mrz_transliterate("Dvořák Łukasz", b, sizeof(b));
	T_EQ_STR(b, "DVORAK<LUKASZ");
	/* Serbian and Macedonian Cyrillic (Ћ, Ѓ, Ѝ were refused) */
	T_EQ_INT(mrz_transliterate("Ђорђевић Ћирић", b, sizeof(b)), 14);
	T_EQ_STR(b, "DORDEVIC<CIRIC");
	mrz_transliterate("Љубиша Његош", b, sizeof(b));
	T_EQ_STR(b, "LJUBISHA<NJEGOSH");
	mrz_transliterate("Ѓорѓи Ќосевски Ѝ Ѐ", b, sizeof(b));
	T_EQ_STR(b, "GORGI<KOSEVSKI<I<E");
	T_EQ_INT(mrz_transliterate("R2D2", b, sizeof(b)), -1);
	T_EQ_INT(mrz_transliterate("\xff", b, sizeof(b)), -1);
	/* not UTF-8 however it decodes: an overlong «A» (E0 81 81) was read
	 * as A, a surrogate (ED A0 80) and a code point past U+10FFFF
	 * (F4 90 80 80) as characters of no script */
	T_EQ_INT(mrz_transliterate("\xe0\x81\x81", b, sizeof(b)), -1);
	T_EQ_INT(mrz_transliterate("A\xed\xa0\x80", b, sizeof(b)), -1);
	T_EQ_INT(mrz_transliterate("\xf4\x90\x80\x80", b, sizeof(b)), -1);
	T_EQ_INT(mrz_transliterate("ABCDEF", b, 4), -1);
}

static void t_format_td3_specimen(void)
{
	struct mrz_input in = {
		.format = MRZ_TD3, .document_code = "P", .issuing_state = "UTO",
		.surnames = "Eriksson", .given_names = "Anna María",
		.document_number = "L898902C3", .nationality = "UTO",
		.birth = {1974, 8, 12, CAL_PREC_DAY}, .sex = 'F',
		.expiry = {2012, 4, 15, CAL_PREC_DAY}, .optional_data = "ZE184226B",
	};
	char out[200];
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
	T_EQ_STR(out, L1 "\n" L2);
	struct sigm_error e;
	in.document_number = "L898902C3X"; /* TD3 has no long numbers */
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "document_number");
	in.document_number = "L898902C3";
	in.document_code = "V";
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "document_code");
	in.document_code = "P";
	in.surnames = "R2D2";
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), &e), SIGM_EINVAL);
	T_EQ_STR(e.field, "surnames");
	in.surnames = "Eriksson";
	T_EQ_INT(mrz_format_zone(&in, out, 40, &e), SIGM_ETOOBIG);
}

/* format -> parse gives the same fields back, for every format */
static void roundtrip(struct mrz_input *in, const char *want_sur,
		      const char *want_given)
{
	char out[200];
	struct sigm_error e;
	if (mrz_format_zone(in, out, sizeof(out), &e))
		T_FAIL_("format: %s %s", e.field, e.message);
	T_EQ_INT(parse(out), 0);
	if (!D.valid)
		T_FAIL_("%s: %s %s", out, D.errors[0].code, D.errors[0].field);
	T_EQ_INT(D.format, in->format);
	T_EQ_STR(D.document_code, in->document_code);
	T_EQ_STR(D.issuing_state, in->issuing_state);
	T_EQ_STR(D.nationality, in->nationality);
	T_EQ_STR(D.surnames, want_sur);
	T_EQ_STR(D.given_names, want_given);
	T_EQ_STR(D.document_number, in->document_number);
	T_ASSERT(!memcmp(&D.birth, &in->birth, sizeof(D.birth)));
	T_ASSERT(!memcmp(&D.expiry, &in->expiry, sizeof(D.expiry)));
	T_EQ_INT(D.sex, in->sex ? in->sex : 'X');
	T_EQ_STR(D.optional_data, in->optional_data ? in->optional_data : "");
	T_EQ_STR(D.optional_data_2, in->optional_data_2 ? in->optional_data_2 : "");
}

static void t_roundtrip_all_formats(void)
{
	static const enum mrz_format F[] = {MRZ_TD1, MRZ_TD2, MRZ_TD3, MRZ_MRVA, MRZ_MRVB};
	static const char *const CODE[] = {"ID", "I", "P", "V", "VB"};
	for (int k = 0; k < 5; k++) {
		struct mrz_input in = {
			.format = F[k], .document_code = CODE[k],
			.issuing_state = "SLV", .surnames = "Martínez Peña",
			.given_names = "José Ángel", .document_number = "A1234567",
			.nationality = "D", .birth = {1990, 2, 28, CAL_PREC_DAY},
			.sex = 'M', .expiry = {2031, 12, 31, CAL_PREC_DAY},
			.optional_data = "X12",
		};
		roundtrip(&in, "MARTINEZ PENA", "JOSE ANGEL");
		in.sex = 0;
		in.birth = (struct cal_date){1961, 0, 0, CAL_PREC_YEAR};
		in.optional_data = NULL;
		in.given_names = NULL;
		in.surnames = "Nguyen";
		roundtrip(&in, "NGUYEN", "");
	}
	/* TD1 with its second optional field */
	struct mrz_input td1 = {
		.format = MRZ_TD1, .document_code = "I", .issuing_state = "SLV",
		.surnames = "López", .given_names = "Ana", .document_number = "012345678",
		.nationality = "SLV", .birth = {2001, 7, 4, CAL_PREC_DAY}, .sex = 'F',
		.expiry = {2029, 7, 4, CAL_PREC_DAY}, .optional_data = "04567890",
		.optional_data_2 = "ABC123",
	};
	roundtrip(&td1, "LOPEZ", "ANA");
}

static void t_long_numbers(void)
{
	/* TD1 and TD2 carry numbers over 9 characters in the optional data */
	struct mrz_input in = {
		.format = MRZ_TD1, .document_code = "I", .issuing_state = "UTO",
		.surnames = "Eriksson", .given_names = "Anna Maria",
		.document_number = "D23145890123", .nationality = "UTO",
		.birth = {1974, 8, 12, CAL_PREC_DAY}, .sex = 'F',
		.expiry = {2012, 4, 15, CAL_PREC_DAY},
	};
	char out[200];
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
	T_EQ_STR(out, "I<UTOD23145890<1233<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<2\nERIKSSON<<ANNA<MARIA<<<<<<<<<<");
	roundtrip(&in, "ERIKSSON", "ANNA MARIA");
	in.optional_data = "XY";
	roundtrip(&in, "ERIKSSON", "ANNA MARIA");
	in.document_number = "D231458901234567890123";
	in.optional_data = NULL;
	roundtrip(&in, "ERIKSSON", "ANNA MARIA");
	in.document_number = "D2314589012345678901234";
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), SIGM_EINVAL);
	in.format = MRZ_TD2;
	in.document_number = "AB12345678901";
	roundtrip(&in, "ERIKSSON", "ANNA MARIA");
	/* the extension without a check digit */
	T_EQ_INT(parse("I<UTOD23145890<<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"), 0);
	T_ASSERT(has_error("invalid_check_digit", "document_number"));
	/* a wrong extension check digit (BEL negative specimen) */
	T_EQ_INT(parse("I<UTOD23145890<1234<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<2\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"), 0);
	T_ASSERT(has_error("check_digit_mismatch", "document_number"));
}

static void t_truncation(void)
{
	char out[200];
	struct mrz_input in = {
		.format = MRZ_TD3, .document_code = "P", .issuing_state = "UTO",
		.surnames = "Nilavadhanananda", .given_names = "Chayapa Dejthamrong Krasuang",
		.document_number = "123456789", .nationality = "UTO",
		.birth = {1974, 8, 12, CAL_PREC_DAY}, .sex = 'F',
		.expiry = {2032, 4, 15, CAL_PREC_DAY},
	};
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
	/* Doc 9303 Part 4 §4.2.3.2 example (b) */
	T_ASSERT(!strncmp(out, "P<UTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K\n", 45));
	T_EQ_INT(parse(out), 0);
	T_ASSERT(D.valid);
	T_ASSERT(D.name_truncated);
	T_EQ_STR(D.warnings[0].code, "name_truncated");
	T_EQ_STR(D.given_names, "CHAYAPA DEJTHAMRONG K");
	/* a cut that would end on a filler takes letters off the primary */
	in.surnames = "Bennelong Woolloomooloo Warrandyte Warnambool";
	in.given_names = "Dingo Potoroo";
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
	T_EQ_INT(parse(out), 0);
	T_ASSERT(D.valid && D.name_truncated);
	T_ASSERT(out[43] >= 'A' && out[43] <= 'Z');
	T_ASSERT(strstr(out, "<<D") != NULL);
	/* a primary identifier alone, too long */
	in.given_names = "";
	in.surnames = "Abcdefghijklmnopqrstuvwxyz Abcdefghijklmnopqrstuvwxyz";
	in.format = MRZ_TD1;
	in.document_code = "I";
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
	T_EQ_INT(parse(out), 0);
	T_ASSERT(D.valid && D.name_truncated);
	T_EQ_STR(D.given_names, "");
	/* the primary cut to make room for "<<" and one letter must not end
	 * on a component boundary (found by a randomized check) */
	in.format = MRZ_TD2;
	in.surnames = "Suohluccmkmqj Nxzwkdbqhhqmz Rodlkr Xoxzahosseipf";
	in.given_names = "A";
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
	T_ASSERT(!strncmp(out, "I<UTOSUOHLUCCMKMQJ<NXZWKDBQHHQM<R<<A\n", 37));
	T_EQ_INT(parse(out), 0);
	T_ASSERT(D.valid && D.name_truncated);
	in.format = MRZ_TD1;
	/* a name that fits is never truncated */
	in.surnames = "Ana";
	T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
	T_EQ_INT(parse(out), 0);
	T_ASSERT(!D.name_truncated);
}

/* Random names of every length through every format: the writer always
 * produces a valid zone whose name reads back whole when it fits, and is
 * marked truncated (ending in a letter, the secondary's first letter kept)
 * when it does not. */
static void t_names_random(void)
{
	uint32_t x = 9303;
	for (int it = 0; it < 20000; it++) {
		char sur[128] = "", giv[128] = "";
		char *v[2] = {sur, giv};
		x = x * 1103515245u + 12345u;
		int nc[2] = {1 + (int)(x >> 16) % 4, (int)(x >> 20) % 4};
		for (int w = 0; w < 2; w++)
			for (int i = 0; i < nc[w]; i++) {
				x = x * 1103515245u + 12345u;
				int l = 1 + (int)(x >> 16) % 14;
				size_t k = strlen(v[w]);
				if (i)
					v[w][k++] = ' ';
				for (int j = 0; j < l; j++) {
					x = x * 1103515245u + 12345u;
					v[w][k++] = (char)('A' + (x >> 16) % 26);
				}
				v[w][k] = 0;
			}
		enum mrz_format f = (enum mrz_format)(1 + it % 5);
		const char *code = f == MRZ_TD3 ? "P" : f >= MRZ_MRVA ? "V" : "I";
		struct mrz_input in = {f, code, "UTO", sur, giv, "AB123", "UTO",
				       {1980, 1, 2, CAL_PREC_DAY}, 'M',
				       {2030, 1, 2, CAL_PREC_DAY}, NULL, NULL};
		char out[200];
		T_EQ_INT(mrz_format_zone(&in, out, sizeof(out), NULL), 0);
		T_EQ_INT(parse(out), 0);
		T_ASSERT(D.valid);
		int width = f == MRZ_TD1 ? 30 : (f == MRZ_TD2 || f == MRZ_MRVB) ? 31 : 39;
		int full = (int)strlen(sur) + (giv[0] ? 2 + (int)strlen(giv) : 0);
		if (full <= width) {
			T_EQ_STR(D.surnames, sur);
			T_EQ_STR(D.given_names, giv);
		} else {
			T_ASSERT(D.name_truncated);
			T_ASSERT(!giv[0] || D.given_names[0] == giv[0]);
		}
	}
}

static void t_release(void)
{
	api_countries_free(&g_countries);
	T_ASSERT(!g_countries);
}

static const struct t_case cases[] = {
	T(t_check_digits), T(t_specimens), T(t_field_errors),
	T(t_ocr_suggestions), T(t_dates), T(t_tolerant_input),
	T(t_countries), T(t_transliteration), T(t_format_td3_specimen),
	T(t_roundtrip_all_formats), T(t_long_numbers), T(t_truncation),
	T(t_names_random), T(t_release), {0}};
T_MAIN(cases)
