/*
 * test_csv.c - the bounded RFC 4180 reader: quoting, line breaks inside
 * quotes, CRLF/LF, BOM, blank lines, the errors that stop it, the caps, and
 * quoting on writing (the UTF-8 check the importers use per field is
 * test_utf8.c's).
 */
#include "core/csv.h"
#include "harness.h"

static int read_all(const char *in, size_t n, char out[][64], int max_out,
		    int *records, struct sigm_error *err)
{
	struct csv_reader r;
	int k = 0, rc;
	csv_init(&r, in, n);
	*records = 0;
	while ((rc = csv_next(&r, err)) == 1) {
		(*records)++;
		for (int i = 0; i < r.nfields && k < max_out; i++)
			snprintf(out[k++], 64, "%s", r.field[i]);
		snprintf(out[k++], 64, "|");
	}
	csv_release(&r);
	return rc;
}

static void t_plain_and_quoted(void)
{
	const char in[] = "a,b,c\r\n1,\"dos, tres\",\"con \"\"comillas\"\"\"\n";
	char f[16][64];
	int n;
	struct sigm_error err;
	T_EQ_INT(read_all(in, sizeof(in) - 1, f, 16, &n, &err), 0);
	T_EQ_INT(n, 2);
	T_EQ_STR(f[0], "a");
	T_EQ_STR(f[2], "c");
	T_EQ_STR(f[3], "|");
	T_EQ_STR(f[5], "dos, tres");
	T_EQ_STR(f[6], "con \"comillas\"");
}

static void t_newline_in_quotes_and_lines(void)
{
	const char in[] = "\xEF\xBB\xBFh1,h2\n\n\"l\xC3\xADnea\nsegunda\",x\ny,\n";
	struct csv_reader r;
	struct sigm_error err;
	csv_init(&r, in, sizeof(in) - 1);
	T_EQ_INT(csv_next(&r, &err), 1);
	T_EQ_STR(r.field[0], "h1"); /* BOM skipped */
	T_EQ_INT(r.line, 1);
	T_EQ_INT(csv_next(&r, &err), 1);
	T_EQ_INT(r.line, 3); /* blank line 2 skipped */
	T_EQ_INT(r.record, 2);
	T_EQ_STR(r.field[0], "l\xC3\xADnea\nsegunda");
	T_EQ_INT(csv_next(&r, &err), 1);
	T_EQ_INT(r.line, 5);
	T_EQ_INT(r.nfields, 2);
	T_EQ_STR(r.field[1], "");
	T_EQ_INT(csv_next(&r, &err), 0);
	csv_release(&r);
}

static void t_empty_and_no_final_newline(void)
{
	struct csv_reader r;
	struct sigm_error err;
	csv_init(&r, "", 0);
	T_EQ_INT(csv_next(&r, &err), 0);
	csv_release(&r);
	csv_init(&r, ",,", 2);
	T_EQ_INT(csv_next(&r, &err), 1);
	T_EQ_INT(r.nfields, 3);
	T_EQ_INT(csv_next(&r, &err), 0);
	csv_release(&r);
}

static void t_errors_stop_the_reader(void)
{
	static const struct {
		const char *in;
		const char *code;
	} cases[] = {
		{"a,\"b\nc", "csv_unterminated_quote"},
		{"a,b\"c\n", "csv_stray_quote"},
		{"a,\"b\"c\n", "csv_text_after_quote"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct csv_reader r;
		struct sigm_error err;
		csv_init(&r, cases[i].in, strlen(cases[i].in));
		T_ASSERT(csv_next(&r, &err) < 0);
		T_EQ_STR(err.code, cases[i].code);
		T_EQ_STR(err.field, "csv");
		T_ASSERT(csv_next(&r, &err) < 0); /* stays failed */
		csv_release(&r);
	}
	/* NUL byte, with its line in the message */
	struct csv_reader r;
	struct sigm_error err;
	const char nul[] = "ok\nx\0y\n";
	csv_init(&r, nul, sizeof(nul) - 1);
	T_EQ_INT(csv_next(&r, &err), 1);
	T_ASSERT(csv_next(&r, &err) < 0);
	T_EQ_STR(err.code, "csv_nul");
	T_ASSERT(strstr(err.message, "línea 2") != NULL);
	csv_release(&r);
}

static void t_caps(void)
{
	size_t n = CSV_MAX_FIELD + 10;
	char *big = malloc(n);
	memset(big, 'x', n);
	struct csv_reader r;
	struct sigm_error err;
	csv_init(&r, big, n);
	T_ASSERT(csv_next(&r, &err) < 0);
	T_EQ_STR(err.code, "csv_field_too_long");
	csv_release(&r);
	free(big);
	char many[CSV_MAX_FIELDS * 2 + 8];
	memset(many, ',', sizeof(many));
	csv_init(&r, many, sizeof(many));
	T_ASSERT(csv_next(&r, &err) < 0);
	T_EQ_STR(err.code, "csv_too_many_fields");
	csv_release(&r);
}

static void t_needs_quotes(void)
{
	T_ASSERT(csv_needs_quotes("a,b"));
	T_ASSERT(csv_needs_quotes("a\"b"));
	T_ASSERT(csv_needs_quotes("a\nb"));
	T_ASSERT(csv_needs_quotes(" a"));
	T_ASSERT(!csv_needs_quotes("INS-77-2026"));
}

static void t_formula_guard(void)
{
	/* text a spreadsheet would run: guarded */
	T_ASSERT(csv_formula_guard("=1+1"));
	T_ASSERT(csv_formula_guard("+Cmd Prueba"));
	T_ASSERT(csv_formula_guard("-2+3"));
	T_ASSERT(csv_formula_guard("@SUM(1+1)"));
	T_ASSERT(csv_formula_guard("\tx"));
	T_ASSERT(csv_formula_guard("\rx"));
	T_ASSERT(csv_formula_guard("-"));
	T_ASSERT(csv_formula_guard("'=1+1")); /* so one quote off is exact */
	T_ASSERT(csv_formula_guard("''@x"));
	/* numbers and ordinary text: as they are */
	T_ASSERT(!csv_formula_guard("-5"));
	T_ASSERT(!csv_formula_guard("-12.50"));
	T_ASSERT(csv_formula_guard("-12."));
	T_ASSERT(csv_formula_guard("-1e3"));
	T_ASSERT(!csv_formula_guard("INS-77-2026"));
	T_ASSERT(!csv_formula_guard("O'Neil"));
	T_ASSERT(!csv_formula_guard("'x"));
	T_ASSERT(!csv_formula_guard(""));
	T_ASSERT(!csv_formula_guard(NULL));
	/* reading back */
	T_EQ_INT(csv_guard_len("'=1+1", 5), 1);
	T_EQ_INT(csv_guard_len("''=1", 4), 1);
	T_EQ_INT(csv_guard_len("'-5", 3), 0); /* "-5" was never guarded */
	T_EQ_INT(csv_guard_len("'x", 2), 0);
	T_EQ_INT(csv_guard_len("=1", 2), 0);
	T_EQ_INT(csv_guard_len("'", 1), 0);
	/* a round trip keeps every value */
	static const char *const v[] = {"=1+1", "'=1+1", "''=1", "'-5", "-5", "'x", "x", "'", "-", "'-"};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char w[16];
		snprintf(w, sizeof(w), "%s%s", csv_formula_guard(v[i]) ? "'" : "", v[i]);
		T_EQ_STR(w + csv_guard_len(w, strlen(w)), v[i]);
	}
}

static const struct t_case cases[] = {
	T(t_plain_and_quoted), T(t_newline_in_quotes_and_lines),
	T(t_empty_and_no_final_newline), T(t_errors_stop_the_reader),
	T(t_caps), T(t_needs_quotes), T(t_formula_guard), {0}};
T_MAIN(cases)
