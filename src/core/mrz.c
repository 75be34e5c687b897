/*
 * mrz.c - ICAO Doc 9303 machine-readable zones; see mrz.h.
 *
 * The five formats differ only in where fields sit, so one table of
 * layouts (positions as in Doc 9303 Parts 4-7, 0-based here) drives both
 * the reader and the writer.  The reader first normalizes what was typed
 * into fixed-width lines, then walks the layout, appending an issue per
 * problem; nothing is allocated and the messages are static strings, so a
 * parse costs a few hundred character operations.
 */
#include "core/mrz.h"
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- countries ---- */

/* Doc 9303 Part 3 §5 Parts A-H: codes that are not ISO 3166-1 alpha-3,
 * sorted by code.  YTO is not in §5 but is the fictitious state of
 * Part 3 Appendix A's worked examples, so specimens use it too. */
static const struct mrz_country ICAO_CODES[] = {
	{"ANT", "Antillas Neerlandesas (código retirado)"},
	{"D", "Alemania"},
	{"EUE", "Unión Europea"},
	{"GBD", "Reino Unido (ciudadano de territorio británico de ultramar)"},
	{"GBN", "Reino Unido (nacional británico de ultramar)"},
	{"GBO", "Reino Unido (ciudadano británico de ultramar)"},
	{"GBP", "Reino Unido (persona protegida británica)"},
	{"GBS", "Reino Unido (súbdito británico)"},
	{"IAO", "Organización de Aviación Civil Internacional"},
	{"NTZ", "Zona Neutral (código retirado)"},
	{"RKS", "Kosovo"},
	{"UNA", "Organismo especializado de las Naciones Unidas"},
	{"UNK", "Residente de Kosovo (documento de la UNMIK)"},
	{"UNO", "Organización de las Naciones Unidas"},
	{"UTO", "Utopía (espécimen)"},
	{"XBA", "Banco Africano de Desarrollo"},
	{"XCC", "Comunidad del Caribe (CARICOM)"},
	{"XCE", "Consejo de Europa"},
	{"XCO", "Mercado Común de África Oriental y Austral (COMESA)"},
	{"XDC", "Comunidad de Desarrollo de África Austral"},
	{"XEC", "Comunidad Económica de los Estados de África Occidental"},
	{"XES", "Organización de Estados del Caribe Oriental"},
	{"XIM", "Banco Africano de Exportación e Importación"},
	{"XMP", "Asamblea Parlamentaria del Mediterráneo"},
	{"XOM", "Soberana Orden Militar de Malta"},
	{"XPO", "Organización Internacional de Policía Criminal (INTERPOL)"},
	{"XXA", "Apátrida"},
	{"XXB", "Refugiado (Convención de 1951)"},
	{"XXC", "Refugiado (otra condición)"},
	{"XXX", "Nacionalidad no especificada"},
	{"YTO", "Estado ficticio (ejemplos de ICAO)"},
};
#define N_ICAO (sizeof(ICAO_CODES) / sizeof(ICAO_CODES[0]))

const struct mrz_country *mrz_icao_codes(size_t *n)
{
	*n = N_ICAO;
	return ICAO_CODES;
}

const char *mrz_field_label(const char *field)
{
	static const char *const L[][2] = {
		{"birth_date", "fecha de nacimiento"},
		{"composite", "dígito de control compuesto"},
		{"document_code", "código del documento"},
		{"document_number", "número de documento"},
		{"expiry_date", "fecha de vencimiento"},
		{"given_names", "nombres"},
		{"issuing_state", "estado emisor"},
		{"line1", "primera línea"},
		{"line2", "segunda línea"},
		{"line3", "tercera línea"},
		{"mrz", "zona de lectura"},
		{"nationality", "nacionalidad"},
		{"optional_data", "datos opcionales"},
		{"optional_data_2", "datos opcionales (segunda línea)"},
		{"sex", "sexo"},
		{"surnames", "apellidos"},
	};
	for (size_t i = 0; field && i < sizeof(L) / sizeof(L[0]); i++)
		if (!strcmp(field, L[i][0]))
			return L[i][1];
	return field;
}

const char *mrz_iso_state(const char *code)
{
	return code && !strcmp(code, "D") ? "DEU" : code;
}

static int country_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mrz_country *)a)->code,
		      ((const struct mrz_country *)b)->code);
}

void mrz_countries_sort(struct mrz_country *v, size_t n)
{
	if (v && n > 1)
		qsort(v, n, sizeof(*v), country_cmp);
}

/* A code of 1-3 upper-case letters as one integer; for such codes the
 * integer order is strcmp's order, so a table sorted by strcmp can be
 * bisected with integer comparisons (the lookup runs twice per zone). */
static inline uint32_t pack(const char *c)
{
	uint32_t k = (uint32_t)(unsigned char)c[0] << 16;
	if (c[0] && c[1]) {
		k |= (uint32_t)(unsigned char)c[1] << 8;
		k |= (unsigned char)c[2];
	}
	return k;
}

static const char *find_code(const struct mrz_country *v, size_t n,
			     const char *code)
{
	/* Branch-free bisection: the halving step compiles to a conditional
	 * move, which matters because the codes arrive in no useful order. */
	uint32_t key = pack(code);
	const struct mrz_country *base = v;
	if (!n)
		return NULL;
	while (n > 1) {
		size_t half = n / 2;
		base = pack(base[half].code) <= key ? base + half : base;
		n -= half;
	}
	return pack(base->code) == key ? base->name : NULL;
}

/* Copies an MRZ country field ("D<<", "UTO") without its fillers into
 * out; false unless it is 1-3 letters followed only by fillers. */
static bool country_code(const char *code, size_t len, char out[4])
{
	size_t n = 0;
	if (len > 3)
		return false;
	while (n < len && code[n] >= 'A' && code[n] <= 'Z') {
		out[n] = code[n];
		n++;
	}
	out[n] = 0;
	for (size_t i = n; i < len; i++)
		if (code[i] != '<')
			return false;
	return n > 0;
}

const char *mrz_country_name(const struct mrz_countries *t, const char *code,
			     size_t len)
{
	char c[4];
	if (!code || !country_code(code, len, c))
		return NULL;
	/* ISO first: nearly every document carries an ISO code. */
	const char *name = t && t->v ? find_code(t->v, t->n, c) : NULL;
	return name ? name : find_code(ICAO_CODES, N_ICAO, c);
}

/* ---- check digits ---- */

/* One more than the value of an MRZ character for the 7-3-1 sum (0-9,
 * A-Z as 10-35, '<' as 0); 0 for anything else.  A table because the sum
 * runs over every character of every zone. */
static const unsigned char VALUE1[256] = {
	['<'] = 1, ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['A'] = 11, ['B'] = 12,
	['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16, ['G'] = 17, ['H'] = 18,
	['I'] = 19, ['J'] = 20, ['K'] = 21, ['L'] = 22, ['M'] = 23, ['N'] = 24,
	['O'] = 25, ['P'] = 26, ['Q'] = 27, ['R'] = 28, ['S'] = 29, ['T'] = 30,
	['U'] = 31, ['V'] = 32, ['W'] = 33, ['X'] = 34, ['Y'] = 35, ['Z'] = 36,
};

/* What a typed byte stands for in a zone: itself for A-Z, 0-9 and '<',
 * the capital for a-z (readers and people type lower case), 0 for
 * anything else. */
static const char TYPED[256] = {
	['<'] = '<', ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3',
	['4'] = '4', ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8',
	['9'] = '9', ['A'] = 'A', ['B'] = 'B', ['C'] = 'C', ['D'] = 'D',
	['E'] = 'E', ['F'] = 'F', ['G'] = 'G', ['H'] = 'H', ['I'] = 'I',
	['J'] = 'J', ['K'] = 'K', ['L'] = 'L', ['M'] = 'M', ['N'] = 'N',
	['O'] = 'O', ['P'] = 'P', ['Q'] = 'Q', ['R'] = 'R', ['S'] = 'S',
	['T'] = 'T', ['U'] = 'U', ['V'] = 'V', ['W'] = 'W', ['X'] = 'X',
	['Y'] = 'Y', ['Z'] = 'Z', ['a'] = 'A', ['b'] = 'B', ['c'] = 'C',
	['d'] = 'D', ['e'] = 'E', ['f'] = 'F', ['g'] = 'G', ['h'] = 'H',
	['i'] = 'I', ['j'] = 'J', ['k'] = 'K', ['l'] = 'L', ['m'] = 'M',
	['n'] = 'N', ['o'] = 'O', ['p'] = 'P', ['q'] = 'Q', ['r'] = 'R',
	['s'] = 'S', ['t'] = 'T', ['u'] = 'U', ['v'] = 'V', ['w'] = 'W',
	['x'] = 'X', ['y'] = 'Y', ['z'] = 'Z',
};

/* Value of an MRZ character; -1 outside the set. */
static inline int char_value(unsigned char c)
{
	return VALUE1[c] - 1;
}

static const int WEIGHT[3] = {7, 3, 1};

int mrz_check_digit(const char *s, size_t len)
{
	int sum = 0;
	for (size_t i = 0; i < len; i++) {
		int v = char_value((unsigned char)s[i]);
		if (v < 0)
			return -1;
		sum += v * WEIGHT[i % 3];
	}
	return sum % 10;
}

/* ---- layouts (Doc 9303 Part 4 §4.2.2, Part 5 §4.2.2, Part 6 §4.2.2,
 *      Part 7 §4.2.2 and §5.2.2; positions 0-based) ---- */

struct seg {
	signed char line, pos, len;
};

struct layout {
	enum mrz_format fmt;
	const char *name;
	int nlines, width;
	struct seg name_f;	/* name field */
	struct seg num;		/* 9 characters, check digit follows */
	struct seg nat;
	struct seg birth;	/* 6, check follows */
	struct seg sex;
	struct seg expiry;	/* 6, check follows */
	struct seg opt;		/* optional / personal data */
	struct seg opt2;	/* TD1 second optional field; len 0 if none */
	signed char opt_check;	/* TD3: position of its check digit, else -1 */
	bool long_number;	/* TD1/TD2: number may continue in opt */
	struct seg comp[4];	/* composite check input; nothing for visas */
	struct seg comp_at;	/* composite check digit */
};

static const struct layout LAYOUTS[] = {
	{MRZ_TD1, "TD1", 3, 30, {2, 0, 30}, {0, 5, 9}, {1, 15, 3}, {1, 0, 6},
	 {1, 7, 1}, {1, 8, 6}, {0, 15, 15}, {1, 18, 11}, -1, true,
	 {{0, 5, 25}, {1, 0, 7}, {1, 8, 7}, {1, 18, 11}}, {1, 29, 1}},
	{MRZ_TD2, "TD2", 2, 36, {0, 5, 31}, {1, 0, 9}, {1, 10, 3}, {1, 13, 6},
	 {1, 20, 1}, {1, 21, 6}, {1, 28, 7}, {0, 0, 0}, -1, true,
	 {{1, 0, 10}, {1, 13, 7}, {1, 21, 14}, {0, 0, 0}}, {1, 35, 1}},
	{MRZ_TD3, "TD3", 2, 44, {0, 5, 39}, {1, 0, 9}, {1, 10, 3}, {1, 13, 6},
	 {1, 20, 1}, {1, 21, 6}, {1, 28, 14}, {0, 0, 0}, 42, false,
	 {{1, 0, 10}, {1, 13, 7}, {1, 21, 22}, {0, 0, 0}}, {1, 43, 1}},
	{MRZ_MRVA, "MRVA", 2, 44, {0, 5, 39}, {1, 0, 9}, {1, 10, 3}, {1, 13, 6},
	 {1, 20, 1}, {1, 21, 6}, {1, 28, 16}, {0, 0, 0}, -1, false,
	 {{0, 0, 0}}, {0, 0, 0}},
	{MRZ_MRVB, "MRVB", 2, 36, {0, 5, 31}, {1, 0, 9}, {1, 10, 3}, {1, 13, 6},
	 {1, 20, 1}, {1, 21, 6}, {1, 28, 8}, {0, 0, 0}, -1, false,
	 {{0, 0, 0}}, {0, 0, 0}},
};

static const struct layout *layout_of(enum mrz_format f)
{
	for (size_t i = 0; i < sizeof(LAYOUTS) / sizeof(LAYOUTS[0]); i++)
		if (LAYOUTS[i].fmt == f)
			return &LAYOUTS[i];
	return NULL;
}

const char *mrz_format_name(enum mrz_format f)
{
	const struct layout *l = layout_of(f);
	return l ? l->name : NULL;
}

/* ---- issues ---- */

static void add_error(struct mrz_doc *d, const char *code, const char *field,
		      const char *message)
{
	if (d->n_errors < MRZ_MAX_ISSUES)
		d->errors[d->n_errors++] =
			(struct mrz_issue){code, field, message};
}

static void add_warning(struct mrz_doc *d, const char *code, const char *field,
			const char *message)
{
	if (d->n_warnings < (int)(sizeof(d->warnings) / sizeof(d->warnings[0])))
		d->warnings[d->n_warnings++] =
			(struct mrz_issue){code, field, message};
}

static void add_suggestion(struct mrz_doc *d, const char *field, int line,
			   int pos, char found, char suggested)
{
	if (d->n_suggestions < MRZ_MAX_SUGGESTIONS)
		d->suggestions[d->n_suggestions++] = (struct mrz_suggestion){
			field, line + 1, pos + 1, found, suggested};
}

static const char *const LINE_FIELD[3] = {"line1", "line2", "line3"};

/* ---- dates ---- */

void mrz_date_string(const struct cal_date *d, char buf[static 11])
{
	static const char dig[] = "0123456789";
	int y = d->year;
	buf[0] = 0;
	if (d->prec == CAL_PREC_NONE || y < 0 || y > 9999)
		return;
	buf[0] = dig[y / 1000];
	buf[1] = dig[y / 100 % 10];
	buf[2] = dig[y / 10 % 10];
	buf[3] = dig[y % 10];
	buf[4] = 0;
	if (d->prec >= CAL_PREC_MONTH) {
		buf[4] = '-';
		buf[5] = dig[d->month / 10 % 10];
		buf[6] = dig[d->month % 10];
		buf[7] = 0;
	}
	if (d->prec == CAL_PREC_DAY) {
		buf[7] = '-';
		buf[8] = dig[d->day / 10 % 10];
		buf[9] = dig[d->day % 10];
		buf[10] = 0;
	}
}

void mrz_date_yymmdd(const struct cal_date *d, char buf[static 7])
{
	static const char dig[] = "0123456789";
	memset(buf, '<', 6);
	buf[6] = 0;
	if (d->prec == CAL_PREC_NONE)
		return;
	int yy = ((d->year % 100) + 100) % 100;
	buf[0] = dig[yy / 10];
	buf[1] = dig[yy % 10];
	if (d->prec >= CAL_PREC_MONTH) {
		buf[2] = dig[d->month / 10 % 10];
		buf[3] = dig[d->month % 10];
	}
	if (d->prec == CAL_PREC_DAY) {
		buf[4] = dig[d->day / 10 % 10];
		buf[5] = dig[d->day % 10];
	}
}

/* A pair of characters: 0..99, -2 for "<<" (unknown), -1 otherwise. */
static int pair(const char *p)
{
	if (p[0] == '<' && p[1] == '<')
		return -2;
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/*
 * Reads YYMMDD at p.  The century: a birth date is the latest reading not
 * after today (nobody is born in the future, and nobody crossing a border
 * is more than a hundred years older than the two digits suggest); an
 * expiry may lie ahead, so it is this century unless that puts it more
 * than 50 years out (documents are valid ten years at most; anything
 * beyond is a twentieth-century date).  Returns false for a malformed date.
 */
static bool read_date(const char *p, bool birth, int32_t today, int ty,
		      struct cal_date *out)
{
	int yy = pair(p), mm = pair(p + 2), dd = pair(p + 4);
	struct cal_date d = {0};
	*out = d;
	if (yy == -1 || mm == -1 || dd == -1)
		return false;
	if (yy == -2)
		return mm == -2 && dd == -2; /* wholly unknown: fine */
	if (mm == -2 && dd != -2)
		return false; /* a day without a month */
	if (mm != -2 && (mm < 1 || mm > 12))
		return false;
	d.year = 2000 + yy;
	d.month = mm == -2 ? 0 : mm;
	d.day = dd == -2 ? 0 : dd;
	d.prec = mm == -2 ? CAL_PREC_YEAR
			  : (dd == -2 ? CAL_PREC_MONTH : CAL_PREC_DAY);
	if (birth) {
		struct cal_date e = d;
		if (e.prec == CAL_PREC_DAY && !cal_valid_ymd(e.year, e.month, e.day))
			e.day = 1; /* 29 Feb: judge the century by the month */
		if (cal_earliest(&e) > today)
			d.year -= 100;
	} else if (d.year > ty + 50) {
		d.year -= 100;
	}
	if (d.prec == CAL_PREC_DAY && !cal_valid_ymd(d.year, d.month, d.day))
		return false;
	*out = d;
	return true;
}

/* ---- the reader ---- */

struct rd {
	struct mrz_doc *d;
	const struct layout *l;
	const struct mrz_countries *countries;
	int32_t today;
	int today_year;
};

static inline const char *at(const struct rd *r, struct seg s)
{
	return r->d->line[(int)s.line] + s.pos;
}

/* Copies n characters of a field, dropping fillers at both ends and
 * turning inner ones into spaces (optional data, as people read it). */
static void copy_text(char *out, const char *p, int n)
{
	int a = 0, b = n;
	while (a < b && p[a] == '<')
		a++;
	while (b > a && p[b - 1] == '<')
		b--;
	int k = 0;
	for (int i = a; i < b; i++)
		out[k++] = p[i] == '<' ? ' ' : p[i];
	out[k] = 0;
}

/* Sum for the 7-3-1 check over segments, as if they were one string. */
static int segs_digit(const struct mrz_doc *d, const struct seg *s, int ns)
{
	/* The lines hold only MRZ characters (normalize() replaced the rest),
	 * so every value is defined. */
	int sum = 0, w = 0;
	for (int k = 0; k < ns; k++) {
		const unsigned char *p =
			(const unsigned char *)d->line[(int)s[k].line] + s[k].pos;
		for (int i = 0; i < s[k].len; i++) {
			sum += (VALUE1[p[i]] - 1) * WEIGHT[w];
			w = w == 2 ? 0 : w + 1;
		}
	}
	return sum % 10;
}

/* The digit an OCR engine may have read as this letter; 0 if none. */
static char ocr_digit(char c)
{
	switch (c) {
	case 'O': return '0';
	case 'I': return '1';
	case 'B': return '8';
	case 'S': return '5';
	case 'Z': return '2';
	case 'G': return '6';
	default: return 0;
	}
}

/*
 * Verifies the check digit at `at` over segs.  numeric (may be NULL) is
 * the one segment whose characters must be digits (a date): a confusable
 * letter there, or in the check digit itself, whose digit makes the check
 * pass becomes a suggestion.  filler_ok: an unused field may carry '<' as
 * its check digit (Doc 9303 Part 4 note to positions 29-42).
 */
static void verify(struct rd *r, const char *field, const struct seg *segs,
		   int ns, struct seg at_, const struct seg *numeric,
		   bool filler_ok)
{
	struct mrz_doc *d = r->d;
	char c = d->line[(int)at_.line][at_.pos];
	int want = segs_digit(d, segs, ns);
	if (c >= '0' && c <= '9' && c - '0' == want)
		return;
	if (c == '<' && filler_ok) {
		bool empty = true;
		for (int k = 0; k < ns; k++)
			for (int i = 0; i < segs[k].len; i++)
				empty &= d->line[(int)segs[k].line][segs[k].pos + i] == '<';
		if (empty)
			return;
	}
	if (c >= '0' && c <= '9')
		add_error(d, "check_digit_mismatch", field,
			  "el dígito de control no coincide");
	else
		add_error(d, "invalid_check_digit", field,
			  "el dígito de control no es un número");
	/* One confusion in a numeric position, or in the check digit. */
	char g = ocr_digit(c);
	if (g && g - '0' == want)
		add_suggestion(d, field, at_.line, at_.pos, c, g);
	if (!numeric || !(c >= '0' && c <= '9'))
		return;
	char *p = &d->line[(int)numeric->line][numeric->pos];
	for (int i = 0; i < numeric->len; i++) {
		char o = p[i], n = ocr_digit(o);
		if (!n)
			continue;
		p[i] = n;
		int got = segs_digit(d, segs, ns);
		p[i] = o;
		if (got == c - '0')
			add_suggestion(d, field, numeric->line, numeric->pos + i,
				       o, n);
	}
}

/* Splits the name field into primary and secondary identifiers. */
static void read_name(struct rd *r)
{
	struct mrz_doc *d = r->d;
	const char *p = at(r, r->l->name_f);
	int n = r->l->name_f.len, i = 0, k = 0;
	bool bad = false;
	for (int j = 0; j < n; j++)
		bad |= p[j] >= '0' && p[j] <= '9';
	/* Doc 9303 Part 4 §4.2.2: a letter in the last position means the
	 * name must be treated as though truncated. */
	d->name_truncated = p[n - 1] != '<';
	while (i < n && !(p[i] == '<' && i + 1 < n && p[i + 1] == '<') &&
	       !(p[i] == '<' && i + 1 == n)) {
		d->surnames[k++] = p[i] == '<' ? ' ' : p[i];
		i++;
	}
	d->surnames[k] = 0;
	while (i < n && p[i] == '<')
		i++;
	k = 0;
	bool gap = false;
	for (; i < n; i++) {
		if (p[i] == '<') {
			gap = true;
			continue;
		}
		if (gap && k > 0)
			d->given_names[k++] = ' ';
		gap = false;
		d->given_names[k++] = p[i];
	}
	d->given_names[k] = 0;
	if (bad)
		add_error(d, "invalid_name", "surnames",
			  "el nombre contiene dígitos");
	else if (!d->surnames[0] || p[0] == '<')
		add_error(d, "invalid_name", "surnames",
			  "falta el identificador primario (apellidos)");
	if (d->name_truncated)
		add_warning(d, "name_truncated", "given_names",
			    "el nombre ocupa todo el campo: puede estar truncado");
}

static void read_code(struct rd *r)
{
	struct mrz_doc *d = r->d;
	char c0 = d->line[0][0], c1 = d->line[0][1];
	d->document_code[0] = c0;
	d->document_code[1] = c1 == '<' ? 0 : c1;
	d->document_code[2] = 0;
	bool ok = c1 == '<' || (c1 >= 'A' && c1 <= 'Z');
	switch (r->l->fmt) {
	case MRZ_TD3: ok &= c0 == 'P'; break;
	case MRZ_MRVA:
	case MRZ_MRVB: ok &= c0 == 'V'; break;
	default:
		/* Part 5/6 note: A, C or I; V is never the second letter. */
		ok &= (c0 == 'A' || c0 == 'C' || c0 == 'I') && c1 != 'V';
		break;
	}
	if (!ok)
		add_error(d, "invalid_document_code", "document_code",
			  "código de documento inválido para este formato");
}

static void read_country(struct rd *r, struct seg s, char out[4],
			 const char *field)
{
	const char *p = at(r, s);
	if (!country_code(p, 3, out)) {
		memcpy(out, p, 3);
		out[3] = 0;
		add_error(r->d, "invalid_country", field,
			  "código de país mal formado (tres letras)");
		return;
	}
	if (!mrz_country_name(r->countries, p, 3))
		add_error(r->d, "unknown_country", field,
			  "código de país desconocido (ISO 3166-1 / ICAO 9303)");
}

/* The document number, with the TD1/TD2 long-number extension (Part 5
 * note j, Part 6 note j): a '<' in place of the check digit means the
 * number goes on at the start of the optional data, ended by its check
 * digit and a filler; the check covers all of it except that '<'. */
static int read_number(struct rd *r)
{
	struct mrz_doc *d = r->d;
	const struct layout *l = r->l;
	const char *p = at(r, l->num);
	struct seg chk = {l->num.line, (signed char)(l->num.pos + 9), 1};
	int n = 9;
	while (n > 0 && p[n - 1] == '<')
		n--;
	memcpy(d->document_number, p, (size_t)n);
	d->document_number[n] = 0;
	if (n == 0)
		add_error(d, "missing_field", "document_number",
			  "falta el número de documento");
	if (!(l->long_number && p[9] == '<' && n == 9)) {
		verify(r, "document_number", &l->num, 1, chk, NULL, false);
		return 0;
	}
	const char *o = at(r, l->opt);
	int k = 0;
	while (k < l->opt.len && o[k] != '<')
		k++;
	/* k characters: the rest of the number, then its check digit; the
	 * last digit of the number sits at most 2 before the field's end. */
	if (k < 1 || k > l->opt.len - 1) {
		add_error(d, "invalid_check_digit", "document_number",
			  "número largo sin dígito de control");
		return 0;
	}
	memcpy(d->document_number + 9, o, (size_t)(k - 1));
	d->document_number[9 + k - 1] = 0;
	struct seg segs[2] = {l->num, {l->opt.line, l->opt.pos, (signed char)(k - 1)}};
	struct seg at2 = {l->opt.line, (signed char)(l->opt.pos + k - 1), 1};
	verify(r, "document_number", segs, 2, at2, NULL, false);
	return k + 1; /* optional data proper starts after the filler */
}

static void read_sex(struct rd *r)
{
	char c = *at(r, r->l->sex);
	/* Part 4 §4.2.2 position 21: F, M or < (unspecified), which we
	 * report as X, the visual zone's letter for it. */
	if (c == 'M' || c == 'F')
		r->d->sex = c;
	else if (c == '<')
		r->d->sex = 'X';
	else
		add_error(r->d, "invalid_sex", "sex", "sexo inválido (F, M o <)");
}

static void read_dates(struct rd *r)
{
	const struct layout *l = r->l;
	struct mrz_doc *d = r->d;
	struct seg bc = {l->birth.line, (signed char)(l->birth.pos + 6), 1};
	struct seg ec = {l->expiry.line, (signed char)(l->expiry.pos + 6), 1};
	if (!read_date(at(r, l->birth), true, r->today, r->today_year, &d->birth))
		add_error(d, "invalid_date", "birth_date",
			  "fecha de nacimiento inválida");
	verify(r, "birth_date", &l->birth, 1, bc, &l->birth, false);
	if (!read_date(at(r, l->expiry), false, r->today, r->today_year, &d->expiry))
		add_error(d, "invalid_date", "expiry_date",
			  "fecha de vencimiento inválida");
	verify(r, "expiry_date", &l->expiry, 1, ec, &l->expiry, false);
}

/* Gathers the typed text into fixed-width lines; false when the shape
 * matches no format (the error is added). */
static bool normalize(const char *text, size_t len, struct mrz_doc *d,
		      const struct layout **lp)
{
	char raw[3][96];
	int rl[3] = {0, 0, 0}, nl = 0;
	size_t i = 0;
	while (i < len) {
		const char *nlp = memchr(text + i, '\n', len - i);
		size_t e = nlp ? (size_t)(nlp - text) : len;
		size_t a = i, b = e;
		while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
			a++;
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' ||
				 text[b - 1] == '\r'))
			b--;
		if (b > a) {
			if (nl == 3 || b - a > sizeof(raw[0]))
				goto bad;
			memcpy(raw[nl], text + a, b - a);
			rl[nl++] = (int)(b - a);
		}
		i = e + 1;
	}
	/* The whole zone on one line, as some readers send it. */
	if (nl == 1 && (rl[0] == 90 || rl[0] == 88 || rl[0] == 72)) {
		int w = rl[0] == 90 ? 30 : rl[0] / 2;
		nl = rl[0] / w;
		for (int k = nl - 1; k >= 0; k--) {
			memmove(raw[k], raw[0] + k * w, (size_t)w);
			rl[k] = w;
		}
	}
	int width;
	if (nl == 3)
		width = 30;
	else if (nl == 2 && rl[0] >= 35 && rl[0] <= 36 && rl[1] >= 35 && rl[1] <= 36)
		width = 36;
	else if (nl == 2)
		width = 44;
	else
		goto bad;
	enum mrz_format f;
	bool visa = raw[0][0] == 'V' || raw[0][0] == 'v';
	switch (width) {
	case 30: f = MRZ_TD1; break;
	case 36: f = visa ? MRZ_MRVB : MRZ_TD2; break;
	default: f = visa ? MRZ_MRVA : MRZ_TD3; break;
	}
	for (int k = 0; k < nl; k++)
		if (rl[k] != width && rl[k] != width - 1)
			goto bad;
	d->nlines = nl;
	for (int k = 0; k < nl; k++) {
		/* Upper case, and '<' for what is no MRZ character (reported). */
		bool badc = false;
		for (int j = 0; j < rl[k]; j++) {
			char c = TYPED[(unsigned char)raw[k][j]];
			badc |= !c;
			d->line[k][j] = c ? c : '<';
		}
		if (rl[k] < width) {
			d->line[k][width - 1] = '<';
			add_warning(d, "filler_added", LINE_FIELD[k],
				    "se completó el carácter de relleno final que faltaba");
		}
		d->line[k][width] = 0;
		if (badc)
			add_error(d, "invalid_character", LINE_FIELD[k],
				  "carácter no permitido en la MRZ (solo A-Z, 0-9 y <)");
	}
	*lp = layout_of(f);
	d->format = f;
	return true;
bad:
	add_error(d, "unknown_format", "mrz",
		  "no es una MRZ reconocible: se esperan 3 líneas de 30, o 2 de 36 o de 44 caracteres");
	return false;
}

int mrz_parse(const char *text, size_t len, int32_t today,
	      const struct mrz_countries *countries, struct mrz_doc *d,
	      struct sigm_error *err)
{
	if (!text || !d)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_argument",
				      "mrz", "sin texto que leer");
	if (len > MRZ_INPUT_MAX)
		return sigm_error_set(err, SIGM_ETOOBIG, "too_big", "mrz",
				      "la MRZ supera %d bytes", MRZ_INPUT_MAX);
	/* Not memset: the struct is large and the benchmark counts. */
	d->format = MRZ_UNKNOWN;
	d->valid = false;
	d->nlines = 0;
	d->n_errors = d->n_warnings = d->n_suggestions = 0;
	d->line[0][0] = d->line[1][0] = d->line[2][0] = 0;
	d->document_code[0] = d->issuing_state[0] = d->nationality[0] = 0;
	d->surnames[0] = d->given_names[0] = 0;
	d->document_number[0] = 0;
	d->optional_data[0] = d->optional_data_2[0] = 0;
	d->name_truncated = false;
	d->sex = 0;
	d->birth = d->expiry = (struct cal_date){0};

	struct rd r = {.d = d, .countries = countries, .today = today};
	int tm, td;
	cal_to_ymd(today, &r.today_year, &tm, &td);
	if (!normalize(text, len, d, &r.l))
		return 0;
	const struct layout *l = r.l;
	read_code(&r);
	read_country(&r, (struct seg){0, 2, 3}, d->issuing_state, "issuing_state");
	read_name(&r);
	int skip = read_number(&r);
	read_country(&r, l->nat, d->nationality, "nationality");
	read_dates(&r);
	read_sex(&r);
	copy_text(d->optional_data, at(&r, l->opt) + skip, l->opt.len - skip);
	if (l->opt2.len)
		copy_text(d->optional_data_2, at(&r, l->opt2), l->opt2.len);
	if (l->opt_check >= 0)
		verify(&r, "optional_data", &l->opt, 1,
		       (struct seg){l->opt.line, l->opt_check, 1}, NULL, true);
	if (l->comp[0].len) {
		int ns = 0;
		while (ns < 4 && l->comp[ns].len)
			ns++;
		verify(&r, "composite", l->comp, ns, l->comp_at, NULL, false);
	}
	d->valid = d->n_errors == 0;
	return 0;
}

/* ---- transliteration (Doc 9303 Part 3 §6) ---- */

struct xlit {
	uint16_t cp;
	const char *to;
};

/* Tables A (Latin) and B (Cyrillic), upper case, the first of the
 * recommended spellings (Ä -> AE rather than A, Ñ -> N rather than NXX),
 * sorted by code point.  Lower case is folded to these before lookup. */
static const struct xlit XLIT[] = {
	{0x00C0, "A"}, /* A grave */
	{0x00C1, "A"}, /* A acute */
	{0x00C2, "A"}, /* A circumflex */
	{0x00C3, "A"}, /* A tilde */
	{0x00C4, "AE"}, /* A diaeresis */
	{0x00C5, "AA"}, /* A ring above */
	{0x00C6, "AE"}, /* ligature AE */
	{0x00C7, "C"}, /* C cedilla */
	{0x00C8, "E"}, /* E grave */
	{0x00C9, "E"}, /* E acute */
	{0x00CA, "E"}, /* E circumflex */
	{0x00CB, "E"}, /* E diaeresis */
	{0x00CC, "I"}, /* I grave */
	{0x00CD, "I"}, /* I acute */
	{0x00CE, "I"}, /* I circumflex */
	{0x00CF, "I"}, /* I diaeresis */
	{0x00D0, "D"}, /* Eth */
	{0x00D1, "N"}, /* N tilde */
	{0x00D2, "O"}, /* O grave */
	{0x00D3, "O"}, /* O acute */
	{0x00D4, "O"}, /* O circumflex */
	{0x00D5, "O"}, /* O tilde */
	{0x00D6, "OE"}, /* O diaeresis */
	{0x00D8, "OE"}, /* O stroke */
	{0x00D9, "U"}, /* U grave */
	{0x00DA, "U"}, /* U acute */
	{0x00DB, "U"}, /* U circumflex */
	{0x00DC, "UE"}, /* U diaeresis */
	{0x00DD, "Y"}, /* Y acute */
	{0x00DE, "TH"}, /* Thorn (Iceland) */
	{0x0100, "A"}, /* A macron */
	{0x0102, "A"}, /* A breve */
	{0x0104, "A"}, /* A ogonek */
	{0x0106, "C"}, /* C acute */
	{0x0108, "C"}, /* C circumflex */
	{0x010A, "C"}, /* C dot above */
	{0x010C, "C"}, /* C caron */
	{0x010E, "D"}, /* D caron */
	{0x0110, "D"}, /* D stroke */
	{0x0112, "E"}, /* E macron */
	{0x0114, "E"}, /* E breve */
	{0x0116, "E"}, /* E dot above */
	{0x0118, "E"}, /* E ogonek */
	{0x011A, "E"}, /* E caron */
	{0x011C, "G"}, /* G circumflex */
	{0x011E, "G"}, /* G breve */
	{0x0120, "G"}, /* G dot above */
	{0x0122, "G"}, /* G cedilla */
	{0x0124, "H"}, /* H circumflex */
	{0x0126, "H"}, /* H stroke */
	{0x0128, "I"}, /* I tilde */
	{0x012A, "I"}, /* I macron */
	{0x012C, "I"}, /* I breve */
	{0x012E, "I"}, /* I ogonek */
	{0x0130, "I"}, /* I dot above */
	{0x0131, "I"}, /* I without dot (Turkey) */
	{0x0132, "IJ"}, /* ligature IJ */
	{0x0134, "J"}, /* J circumflex */
	{0x0136, "K"}, /* K cedilla */
	{0x0139, "L"}, /* L acute */
	{0x013B, "L"}, /* L cedilla */
	{0x013D, "L"}, /* L caron */
	{0x013F, "L"}, /* L middle dot */
	{0x0141, "L"}, /* L stroke */
	{0x0143, "N"}, /* N acute */
	{0x0145, "N"}, /* N cedilla */
	{0x0147, "N"}, /* N caron */
	{0x014A, "N"}, /* Eng */
	{0x014C, "O"}, /* O macron */
	{0x014E, "O"}, /* O breve */
	{0x0150, "O"}, /* O double acute */
	{0x0152, "OE"}, /* ligature OE */
	{0x0154, "R"}, /* R acute */
	{0x0156, "R"}, /* R cedilla */
	{0x0158, "R"}, /* R caron */
	{0x015A, "S"}, /* S acute */
	{0x015C, "S"}, /* S circumflex */
	{0x015E, "S"}, /* S cedilla */
	{0x0160, "S"}, /* S caron */
	{0x0162, "T"}, /* T cedilla */
	{0x0164, "T"}, /* T caron */
	{0x0166, "T"}, /* T stroke */
	{0x0168, "U"}, /* U tilde */
	{0x016A, "U"}, /* U macron */
	{0x016C, "U"}, /* U breve */
	{0x016E, "U"}, /* U ring above */
	{0x0170, "U"}, /* U double acute */
	{0x0172, "U"}, /* U ogonek */
	{0x0174, "W"}, /* W circumflex */
	{0x0176, "Y"}, /* Y circumflex */
	{0x0178, "Y"}, /* Y diaeresis */
	{0x0179, "Z"}, /* Z acute */
	{0x017B, "Z"}, /* Z dot above */
	{0x017D, "Z"}, /* Z caron */
	/* Ѐ and Ѝ (Macedonian, Bulgarian) are Е and И with a grave accent,
	 * as the Latin letters with marks of table A */
	{0x0400, "E"}, /*  */
	{0x0401, "E"}, /*  */
	{0x0402, "D"}, /*  */
	/* Ѓ: Г with an acute (Macedonian), as Ќ is К: table B gives Ќ as K */
	{0x0403, "G"}, /*  */
	{0x0404, "IE"}, /*  */
	{0x0405, "DZ"}, /*  */
	{0x0406, "I"}, /*  */
	{0x0407, "I"}, /*  */
	{0x0408, "J"}, /*  */
	{0x0409, "LJ"}, /*  */
	{0x040A, "NJ"}, /*  */
	/* Ћ (Serbian): the transcription's table lists it under 0402 with Ђ's
	 * D and has a C at 04BA; Serbian passports write it C (Ćirić: CIRIC) */
	{0x040B, "C"}, /*  */
	{0x040C, "K"}, /*  */
	{0x040D, "I"}, /*  */
	{0x040E, "U"}, /*  */
	{0x040F, "DZ"}, /*  */
	{0x0410, "A"}, /*  */
	{0x0411, "B"}, /*  */
	{0x0412, "V"}, /*  */
	{0x0413, "G"}, /*  */
	{0x0414, "D"}, /*  */
	{0x0415, "E"}, /*  */
	{0x0416, "ZH"}, /*  */
	{0x0417, "Z"}, /*  */
	{0x0418, "I"}, /*  */
	{0x0419, "I"}, /*  */
	{0x041A, "K"}, /*  */
	{0x041B, "L"}, /*  */
	{0x041C, "M"}, /*  */
	{0x041D, "N"}, /*  */
	{0x041E, "O"}, /*  */
	{0x041F, "P"}, /*  */
	{0x0420, "R"}, /*  */
	{0x0421, "S"}, /*  */
	{0x0422, "T"}, /*  */
	{0x0423, "U"}, /*  */
	{0x0424, "F"}, /*  */
	{0x0425, "KH"}, /*  */
	{0x0426, "TS"}, /*  */
	{0x0427, "CH"}, /*  */
	{0x0428, "SH"}, /*  */
	{0x0429, "SHCH"}, /*  */
	{0x042A, "IE"}, /*  */
	{0x042B, "Y"}, /*  */
	{0x042D, "E"}, /*  */
	{0x042E, "IU"}, /*  */
	{0x042F, "IA"}, /*  */
	{0x046A, "U"}, /*  */
	{0x0474, "Y"}, /*  */
	{0x0490, "G"}, /*  */
	{0x0492, "G"}, /*  */
	{0x04BA, "C"}, /*  */
	{0x1E9E, "SS"}, /* double s (Germany) */
};
#define N_XLIT (sizeof(XLIT) / sizeof(XLIT[0]))

/* Upper case of the lower-case letters the tables cover. */
static uint32_t fold(uint32_t c)
{
	if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
		return c - 0x20;
	if (c == 0xFF)
		return 0x178;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c & ~1u;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1u) ? c : c - 1;
	if (c >= 0x430 && c <= 0x44F)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45F)
		return c - 0x50;
	if (c >= 0x460 && c <= 0x4BF)
		return c & ~1u;
	return c;
}

static const char *xlit_find(uint32_t c)
{
	size_t lo = 0, hi = N_XLIT;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (XLIT[mid].cp == c)
			return XLIT[mid].to;
		if (XLIT[mid].cp < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int mrz_transliterate(const char *utf8, char *out, size_t cap)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t n = utf8 ? strlen(utf8) : 0, k = 0;
	if (!cap)
		return -1;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		int m = utf8_decode((const char *)s + i, n - i, &c);
		if (!m)
			return -1;
		i += (size_t)m;
		const char *to;
		char one[2] = {0, 0};
		if (c >= 'a' && c <= 'z')
			c -= 32;
		if (c >= 'A' && c <= 'Z') {
			one[0] = (char)c;
			to = one;
		} else if (c == ' ' || c == '-' || c == ',' || c == '<') {
			/* Part 3 §4.6: separators become fillers */
			to = "<";
		} else if (c == '\'' || c == 0x2019 || c == '.') {
			to = ""; /* apostrophes and periods are omitted */
		} else if (c == 0xDF) {
			to = "SS"; /* ß, whose capital ẞ table A gives as SS */
		} else if (!(to = xlit_find(fold(c)))) {
			return -1;
		}
		for (; *to; to++) {
			if (k + 1 >= cap)
				return -1;
			out[k++] = *to;
		}
	}
	out[k] = 0;
	return (int)k;
}

/* ---- the writer ---- */

static inline char *at_line(char L[][MRZ_LINE_MAX + 1], struct seg s)
{
	return L[(int)s.line] + s.pos;
}

/* Drops fillers at both ends and collapses runs (a name typed with two
 * spaces keeps one separator). */
static void squeeze(char *s)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		if (*p == '<' && (w == s || w[-1] == '<'))
			continue;
		*w++ = *p;
	}
	while (w > s && w[-1] == '<')
		w--;
	*w = 0;
}

/*
 * Shortens s (*len characters) to cut characters ending in a letter: while
 * the cut falls on a filler, a letter comes off the nearest component
 * before it that keeps another letter, so the next letter moves into the
 * last position.  False when no component can give one up.
 */
static bool cut_at_letter(char *s, int *len, int cut)
{
	while (*len > cut && s[cut - 1] == '<') {
		int j = cut - 2;
		while (j > 0 && !(s[j] != '<' && s[j - 1] != '<'))
			j--;
		if (j <= 0)
			return false;
		memmove(s + j, s + j + 1, (size_t)(*len - j - 1));
		(*len)--;
	}
	if (*len > cut)
		*len = cut;
	return true;
}

/*
 * Writes the name field (n positions) from the transliterated identifiers
 * with Doc 9303 Part 4 §4.2.2.1's truncation: the primary identifier gives
 * up characters until "<<" and the first letter of the secondary fit, the
 * secondary may be cut further, and a truncated field ends in a letter so
 * that readers know.  Returns false when no such field exists.
 */
static bool put_name(char *f, int n, char *prim, char *sec)
{
	char full[260];
	int pl = (int)strlen(prim), sl = (int)strlen(sec);
	if (!pl)
		return false;
	if (sl && pl > n - 3 && !cut_at_letter(prim, &pl, n - 3))
		return false;
	int len = pl;
	memcpy(full, prim, (size_t)pl);
	if (sl) {
		memcpy(full + len, "<<", 2);
		memcpy(full + len + 2, sec, (size_t)sl);
		len += 2 + sl;
	}
	if (!cut_at_letter(full, &len, n))
		return false;
	memcpy(f, full, (size_t)len);
	return true;
}

static bool all_mrz_chars(const char *s, size_t max, bool space_ok)
{
	size_t n = strnlen(s, max + 1);
	if (n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (char_value((unsigned char)s[i]) < 0 && !(space_ok && s[i] == ' '))
			return false;
	return true;
}

static void put_digit(char *p, int v)
{
	*p = (char)('0' + v);
}

static bool put_country(char *p, const char *c)
{
	size_t n = c ? strnlen(c, 4) : 0;
	if (n < 1 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (c[i] < 'A' || c[i] > 'Z')
			return false;
	memcpy(p, c, n);
	return true;
}

static void put_text(char *p, const char *s)
{
	for (; *s; s++)
		*p++ = *s == ' ' ? '<' : *s;
}

int mrz_format_zone(const struct mrz_input *in, char *out, size_t cap,
		    struct sigm_error *err)
{
	const struct layout *l = in ? layout_of(in->format) : NULL;
	char L[3][MRZ_LINE_MAX + 1];
	char prim[128], sec[128];
	const char *fail = NULL;
	const char *why = NULL;
	if (!l)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_format",
				      "format", "formato de MRZ desconocido");
	for (int k = 0; k < 3; k++) {
		memset(L[k], '<', (size_t)l->width);
		L[k][l->width] = 0;
	}
	/* document code */
	const char *dc = in->document_code ? in->document_code : "";
	size_t dl = strnlen(dc, 3);
	char want = l->fmt == MRZ_TD3 ? 'P' : (l->fmt == MRZ_MRVA || l->fmt == MRZ_MRVB) ? 'V' : 0;
	if (dl < 1 || dl > 2 || dc[0] < 'A' || dc[0] > 'Z' ||
	    (dl == 2 && (dc[1] < 'A' || dc[1] > 'Z')) ||
	    (want && dc[0] != want) ||
	    (!want && dc[0] != 'A' && dc[0] != 'C' && dc[0] != 'I')) {
		fail = "document_code";
		why = "código de documento inválido para el formato";
		goto out;
	}
	memcpy(L[0], dc, dl);
	if (!put_country(L[0] + 2, in->issuing_state)) {
		fail = "issuing_state";
		why = "código de país: de 1 a 3 letras mayúsculas";
		goto out;
	}
	if (!put_country(at_line(L, l->nat), in->nationality)) {
		fail = "nationality";
		why = "código de país: de 1 a 3 letras mayúsculas";
		goto out;
	}
	/* name */
	if (mrz_transliterate(in->surnames ? in->surnames : "", prim, sizeof(prim)) < 0 ||
	    mrz_transliterate(in->given_names ? in->given_names : "", sec, sizeof(sec)) < 0) {
		fail = "surnames";
		why = "el nombre contiene caracteres sin transliteración ICAO";
		goto out;
	}
	squeeze(prim);
	squeeze(sec);
	if (!put_name(at_line(L, l->name_f), l->name_f.len, prim, sec)) {
		fail = "surnames";
		why = "falta el apellido o el nombre no cabe en la MRZ";
		goto out;
	}
	/* document number */
	const char *num = in->document_number ? in->document_number : "";
	size_t nl = strnlen(num, MRZ_DOCNUM_MAX + 1);
	size_t ext = nl > 9 ? nl - 9 : 0;
	int opt_at = 0;
	if (nl < 1 || !all_mrz_chars(num, MRZ_DOCNUM_MAX, false) ||
	    (ext && (!l->long_number || (int)ext + 2 > l->opt.len))) {
		fail = "document_number";
		why = "número de documento vacío, con caracteres no permitidos o demasiado largo para el formato";
		goto out;
	}
	char *np = at_line(L, l->num);
	memcpy(np, num, nl > 9 ? 9 : nl);
	if (!ext) {
		put_digit(np + 9, mrz_check_digit(np, 9));
	} else {
		char *op = at_line(L, l->opt);
		char all[MRZ_DOCNUM_MAX + 1];
		memcpy(op, num + 9, ext);
		memcpy(all, num, nl);
		put_digit(op + ext, mrz_check_digit(all, nl));
		np[9] = '<';
		opt_at = (int)ext + 2;
	}
	/* dates, sex */
	char ds[7];
	mrz_date_yymmdd(&in->birth, ds);
	memcpy(at_line(L, l->birth), ds, 6);
	put_digit(at_line(L, l->birth) + 6, mrz_check_digit(ds, 6));
	mrz_date_yymmdd(&in->expiry, ds);
	memcpy(at_line(L, l->expiry), ds, 6);
	put_digit(at_line(L, l->expiry) + 6, mrz_check_digit(ds, 6));
	if (in->sex && in->sex != 'F' && in->sex != 'M' && in->sex != 'X') {
		fail = "sex";
		why = "sexo: F, M o X";
		goto out;
	}
	*at_line(L, l->sex) = in->sex == 'F' || in->sex == 'M' ? in->sex : '<';
	/* optional data */
	const char *od = in->optional_data ? in->optional_data : "";
	if (!all_mrz_chars(od, (size_t)(l->opt.len - opt_at), true)) {
		fail = "optional_data";
		why = "datos opcionales demasiado largos o con caracteres no permitidos";
		goto out;
	}
	put_text(at_line(L, l->opt) + opt_at, od);
	const char *o2 = in->optional_data_2 ? in->optional_data_2 : "";
	if (*o2 && (!l->opt2.len || !all_mrz_chars(o2, (size_t)l->opt2.len, true))) {
		fail = "optional_data_2";
		why = "datos opcionales (segunda línea) no caben o no aplican a este formato";
		goto out;
	}
	if (l->opt2.len)
		put_text(at_line(L, l->opt2), o2);
	if (l->opt_check >= 0) {
		char *op = at_line(L, l->opt);
		bool empty = true;
		for (int i = 0; i < l->opt.len; i++)
			empty &= op[i] == '<';
		L[(int)l->opt.line][l->opt_check] =
			empty ? '<' : (char)('0' + mrz_check_digit(op, (size_t)l->opt.len));
	}
	if (l->comp[0].len) {
		char buf[64];
		size_t k = 0;
		for (int s = 0; s < 4 && l->comp[s].len; s++) {
			memcpy(buf + k, at_line(L, l->comp[s]), (size_t)l->comp[s].len);
			k += (size_t)l->comp[s].len;
		}
		put_digit(at_line(L, l->comp_at), mrz_check_digit(buf, k));
	}
	size_t need = (size_t)(l->nlines * (l->width + 1));
	if (cap < need)
		return sigm_error_set(err, SIGM_ETOOBIG, "too_big", "mrz",
				      "el búfer no alcanza para la MRZ");
	for (int k = 0; k < l->nlines; k++) {
		memcpy(out + k * (l->width + 1), L[k], (size_t)l->width);
		out[k * (l->width + 1) + l->width] = k + 1 < l->nlines ? '\n' : 0;
	}
out:
	if (fail)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_field", fail,
				      "%s", why);
	return 0;
}
