/*
 * names.c - name normalization (utf8proc folding, ICAO Cyrillic, particles),
 * token similarity (Jaro-Winkler, edit distance) and variant tables.
 * See names.h for the rules and contracts.
 */
#include "core/names.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- folding ---- */

/* ICAO 9303 part 3 transliteration of (case-folded) Cyrillic letters; the
 * marks of й, ё, ї were already stripped, so they arrive as и, е, і. */
static const char *cyrillic(int32_t c)
{
	static const char *const ru[32] = {
		"a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k",
		"l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "kh",
		"ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia",
	};
	if (c >= 0x430 && c <= 0x44f)
		return ru[c - 0x430];
	switch (c) {
	case 0x451: return "e";  /* ё */
	case 0x454: return "ie"; /* є */
	case 0x456: return "i";  /* і */
	case 0x457: return "i";  /* ї */
	case 0x491: return "g";  /* ґ */
	case 0x45e: return "u";  /* ў */
	/* Serbian and Macedonian letters, as ICAO 9303 part 3 table B and
	 * the MRZ engine (mrz.c) write them: a name typed in Serbian
	 * Cyrillic (Ђорђевић) kept its letters and matched nothing of its
	 * MRZ (DORDEVIC); ѓ and ќ arrive as г and к, their acute stripped */
	case 0x452: return "d";  /* ђ */
	case 0x455: return "dz"; /* ѕ */
	case 0x458: return "j";  /* ј */
	case 0x459: return "lj"; /* љ */
	case 0x45a: return "nj"; /* њ */
	case 0x45b: return "c";  /* ћ */
	case 0x45f: return "dz"; /* џ */
	case 0x46b: return "u";  /* ѫ */
	case 0x475: return "y";  /* ѵ */
	case 0x493: return "g";  /* ғ */
	}
	return NULL;
}

/* Latin letters that neither decompose nor fold to ASCII. */
static const char *latin_extra(int32_t c)
{
	switch (c) {
	case 0xe6: return "ae";  /* æ */
	case 0x153: return "oe"; /* œ */
	case 0xf8: return "o";   /* ø */
	case 0x111: return "d";  /* đ */
	case 0xf0: return "d";   /* ð */
	case 0x142: return "l";  /* ł */
	case 0xfe: return "th";  /* þ */
	case 0x131: return "i";  /* ı */
	case 0x138: return "k";  /* ĸ */
	}
	return NULL;
}

const char *names_icao_letter(int32_t c)
{
	const char *rep = cyrillic(c);
	return rep ? rep : latin_extra(c);
}

static bool is_apostrophe(int32_t c)
{
	return c == '\'' || c == '`' || c == 0x2019 || c == 0x2018 ||
	       c == 0x2bc || c == 0xb4 || c == 0x2b9;
}

static const char *const particles[] = {
	"de", "del", "la", "las", "los", "y", "e", "da", "das", "do", "dos",
	"di", "du", "van", "von", "der", "den", "vda", "viuda", "dela",
	"delos", "delas", NULL,
};

static bool is_particle(const char *t)
{
	for (size_t i = 0; particles[i]; i++)
		if (strcmp(t, particles[i]) == 0)
			return true;
	return false;
}

/* Glued particles kept out of the surname: only the unambiguous ones ("del"
 * and "de" glue onto real names: Delgado, Denis). */
static const char *const glued[] = {"delas", "delos", "dela", "della", NULL};

static void emit(struct names_person *p, char *tok, size_t n,
		 enum names_role role)
{
	const char *s = tok;

	if (n == 0)
		return;
	tok[n] = 0;
	if (is_particle(tok))
		return;
	for (size_t i = 0; glued[i]; i++) {
		size_t gl = strlen(glued[i]);
		if (n >= gl + 3 && memcmp(tok, glued[i], gl) == 0) {
			s = tok + gl;
			n -= gl;
			break;
		}
	}
	if (p->n >= NAMES_MAX_TOKENS) {
		p->truncated = true;
		return;
	}
	struct names_token *t = &p->tok[p->n++];
	memcpy(t->s, s, n + 1);
	t->len = (uint8_t)n;
	t->role = (uint8_t)role;
	t->flags = (n == 1) ? NAMES_TOK_INITIAL : 0;
}

int names_normalize(struct names_person *p, const char *s, long len,
		    enum names_role role, const char *field,
		    struct sigm_error *err)
{
	utf8proc_uint8_t *mapped = NULL;
	struct names_person work;
	size_t n;
	int rc = 0;

	if (!s)
		return 0;
	n = len < 0 ? strlen(s) : (size_t)len;
	if (n == 0)
		return 0;
	if (n > NAMES_MAX_BYTES)
		return sigm_error_set(err, SIGM_ETOOBIG, "name_too_long", field,
				      "nombre demasiado largo: %zu bytes (máximo %d)",
				      n, NAMES_MAX_BYTES);
	if (memchr(s, 0, n))
		return sigm_error_set(err, SIGM_EINVAL, "invalid_utf8", field,
				      "el nombre contiene un byte nulo");
	utf8proc_ssize_t m = utf8proc_map(
		(const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &mapped,
		UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
			UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
			UTF8PROC_IGNORE);
	if (m < 0) {
		rc = sigm_error_set(err, m == UTF8PROC_ERROR_NOMEM ? SIGM_ENOMEM
								    : SIGM_EINVAL,
				    "invalid_utf8", field,
				    "el nombre no es UTF-8 válido");
		goto out;
	}

	work = *p;
	char tok[NAMES_TOK_MAX];
	size_t tl = 0;
	utf8proc_ssize_t i = 0;
	while (i < m) {
		int32_t c;
		utf8proc_ssize_t k =
			utf8proc_iterate(mapped + i, m - i, &c);
		if (k <= 0)
			break; /* cannot happen: utf8proc_map validated */
		const char *rep = NULL;
		char one[5];
		size_t rl;

		if ((c >= 'a' && c <= 'z')) {
			one[0] = (char)c;
			one[1] = 0;
			rep = one;
		} else if (is_apostrophe(c)) {
			i += k;
			continue; /* joins: O'Ryan -> oryan */
		} else if ((rep = names_icao_letter(c))) {
			/* spelled out below */
		} else if (c >= 0x80 && utf8proc_category(c) >= UTF8PROC_CATEGORY_LU &&
			   utf8proc_category(c) <= UTF8PROC_CATEGORY_LO) {
			/* another script: kept as is, matches only itself */
			memcpy(one, mapped + i, (size_t)k);
			one[k] = 0;
			rep = one;
		}
		i += k;
		if (!rep) { /* separator */
			emit(&work, tok, tl, role);
			tl = 0;
			continue;
		}
		rl = strlen(rep);
		if (tl + rl < NAMES_TOK_MAX) {
			memcpy(tok + tl, rep, rl);
			tl += rl;
		}
	}
	emit(&work, tok, tl, role);
	*p = work;
out:
	free(mapped);
	return rc;
}

int names_person_set(struct names_person *p, const char *given,
		     const char *surnames, struct sigm_error *err)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = names_normalize(p, given, -1, NAMES_GIVEN, "given_names", err);
	if (rc == 0)
		rc = names_normalize(p, surnames, -1, NAMES_SURNAME, "surnames",
				     err);
	return rc;
}

int names_person_from_mrz(struct names_person *p, const char *mrz_name,
			  struct sigm_error *err)
{
	const char *sep;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!mrz_name)
		return 0;
	sep = strstr(mrz_name, "<<");
	if (!sep)
		return names_normalize(p, mrz_name, -1, NAMES_SURNAME, "name",
				       err);
	rc = names_normalize(p, mrz_name, sep - mrz_name, NAMES_SURNAME,
			     "surnames", err);
	if (rc == 0)
		rc = names_normalize(p, sep + 2, -1, NAMES_GIVEN, "given_names",
				     err);
	return rc;
}

int names_fold(const char *s, char *out, size_t cap, struct sigm_error *err)
{
	struct names_person p;
	size_t o = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	if (cap)
		out[0] = 0;
	rc = names_normalize(&p, s, -1, NAMES_GIVEN, "name", err);
	if (rc)
		return rc;
	for (int i = 0; i < p.n; i++) {
		size_t l = p.tok[i].len;
		if (o + l + 2 > cap)
			break;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, p.tok[i].s, l);
		o += l;
		out[o] = 0;
	}
	return 0;
}

/* ---- similarity ---- */

double names_jaro_winkler(const char *a, size_t alen, const char *b,
			  size_t blen)
{
	bool am[64] = {0}, bm[64] = {0};
	size_t win, matches = 0, trans = 0, k = 0, prefix = 0;
	double j;

	if (alen > 64)
		alen = 64;
	if (blen > 64)
		blen = 64;
	if (alen == 0 || blen == 0)
		return alen == blen ? 1.0 : 0.0;
	win = (alen > blen ? alen : blen) / 2;
	win = win ? win - 1 : 0;
	for (size_t i = 0; i < alen; i++) {
		size_t lo = i > win ? i - win : 0;
		size_t hi = i + win + 1 < blen ? i + win + 1 : blen;
		for (size_t x = lo; x < hi; x++) {
			if (!bm[x] && a[i] == b[x]) {
				am[i] = bm[x] = true;
				matches++;
				break;
			}
		}
	}
	if (!matches)
		return 0.0;
	for (size_t i = 0; i < alen; i++) {
		if (!am[i])
			continue;
		while (!bm[k])
			k++;
		if (a[i] != b[k])
			trans++;
		k++;
	}
	j = ((double)matches / (double)alen + (double)matches / (double)blen +
	     ((double)matches - (double)trans / 2.0) / (double)matches) /
	    3.0;
	while (prefix < 4 && prefix < alen && prefix < blen &&
	       a[prefix] == b[prefix])
		prefix++;
	return j + (double)prefix * 0.1 * (1.0 - j);
}

int names_edit_distance(const char *a, size_t alen, const char *b, size_t blen,
			int cap)
{
	int d[NAMES_TOK_MAX + 1][NAMES_TOK_MAX + 1];

	if (alen > NAMES_TOK_MAX)
		alen = NAMES_TOK_MAX;
	if (blen > NAMES_TOK_MAX)
		blen = NAMES_TOK_MAX;
	if ((alen > blen ? alen - blen : blen - alen) > (size_t)cap)
		return cap + 1;
	for (size_t i = 0; i <= alen; i++)
		d[i][0] = (int)i;
	for (size_t x = 0; x <= blen; x++)
		d[0][x] = (int)x;
	for (size_t i = 1; i <= alen; i++) {
		int rowmin = cap + 1;
		for (size_t x = 1; x <= blen; x++) {
			int cost = a[i - 1] == b[x - 1] ? 0 : 1;
			int v = d[i - 1][x] + 1;
			if (d[i][x - 1] + 1 < v)
				v = d[i][x - 1] + 1;
			if (d[i - 1][x - 1] + cost < v)
				v = d[i - 1][x - 1] + cost;
			if (i > 1 && x > 1 && a[i - 1] == b[x - 2] &&
			    a[i - 2] == b[x - 1] && d[i - 2][x - 2] + 1 < v)
				v = d[i - 2][x - 2] + 1;
			d[i][x] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > cap)
			return cap + 1;
	}
	return d[alen][blen] > cap ? cap + 1 : d[alen][blen];
}

/* ---- variant tables ---- */

struct member {
	uint32_t form, group;
	uint32_t next_of_form;  /* next membership of the same form, +1 */
	uint32_t next_in_group; /* next member of the same group, +1 */
	uint8_t kind;
};

struct form {
	char *s;
	uint32_t first;      /* first membership, +1 (0 none) */
	uint32_t nick_group; /* group where it is the formal name, +1 */
};

struct names_table {
	struct form *forms;
	size_t nforms, cforms;
	struct member *mem;
	size_t nmem, cmem;
	uint32_t *group_first; /* per group: first member, +1 */
	size_t ngroups, cgroups;
	uint32_t *hash; /* form index + 1, open addressing */
	size_t hcap;
};

#define TABLE_MAX_FORMS 1000000

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

int names_table_new(struct names_table **t_r, struct sigm_error *err)
{
	*t_r = calloc(1, sizeof(**t_r));
	if (!*t_r)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "memoria insuficiente");
	return 0;
}

void names_table_free(struct names_table **t)
{
	if (!t || !*t)
		return;
	for (size_t i = 0; i < (*t)->nforms; i++)
		free((*t)->forms[i].s);
	free((*t)->forms);
	free((*t)->mem);
	free((*t)->group_first);
	free((*t)->hash);
	free(*t);
	*t = NULL;
}

size_t names_table_size(const struct names_table *t)
{
	return t ? t->nforms : 0;
}

static long find_form(const struct names_table *t, const char *s)
{
	if (!t || !t->hcap)
		return -1;
	for (size_t h = fnv(s) & (t->hcap - 1);; h = (h + 1) & (t->hcap - 1)) {
		uint32_t v = t->hash[h];
		if (!v)
			return -1;
		if (strcmp(t->forms[v - 1].s, s) == 0)
			return (long)v - 1;
	}
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	void *np = realloc(*p, nc * elem);
	if (!np)
		return SIGM_ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

static int rehash(struct names_table *t)
{
	size_t nc = t->hcap ? t->hcap * 2 : 1024;
	uint32_t *nh = calloc(nc, sizeof(*nh));
	if (!nh)
		return SIGM_ENOMEM;
	for (size_t i = 0; i < t->nforms; i++) {
		size_t h = fnv(t->forms[i].s) & (nc - 1);
		while (nh[h])
			h = (h + 1) & (nc - 1);
		nh[h] = (uint32_t)i + 1;
	}
	free(t->hash);
	t->hash = nh;
	t->hcap = nc;
	return 0;
}

static long intern(struct names_table *t, const char *s)
{
	long f = find_form(t, s);
	if (f >= 0)
		return f;
	if (t->nforms >= TABLE_MAX_FORMS)
		return SIGM_ETOOBIG;
	if ((t->nforms + 1) * 2 > t->hcap && rehash(t))
		return SIGM_ENOMEM;
	if (grow((void **)&t->forms, &t->cforms, t->nforms + 1,
		 sizeof(*t->forms)))
		return SIGM_ENOMEM;
	char *c = strdup(s);
	if (!c)
		return SIGM_ENOMEM;
	t->forms[t->nforms] = (struct form){.s = c};
	size_t h = fnv(s) & (t->hcap - 1);
	while (t->hash[h])
		h = (h + 1) & (t->hcap - 1);
	t->hash[h] = (uint32_t)t->nforms + 1;
	return (long)t->nforms++;
}

static long new_group(struct names_table *t)
{
	if (grow((void **)&t->group_first, &t->cgroups, t->ngroups + 1,
		 sizeof(*t->group_first)))
		return SIGM_ENOMEM;
	t->group_first[t->ngroups] = 0;
	return (long)t->ngroups++;
}

static int join(struct names_table *t, long form, long group, int kind)
{
	for (uint32_t m = t->forms[form].first; m; m = t->mem[m - 1].next_of_form)
		if (t->mem[m - 1].group == (uint32_t)group)
			return 0;
	if (grow((void **)&t->mem, &t->cmem, t->nmem + 1, sizeof(*t->mem)))
		return SIGM_ENOMEM;
	t->mem[t->nmem] = (struct member){
		.form = (uint32_t)form,
		.group = (uint32_t)group,
		.next_of_form = t->forms[form].first,
		.next_in_group = t->group_first[group],
		.kind = (uint8_t)kind,
	};
	t->nmem++;
	t->forms[form].first = (uint32_t)t->nmem;
	t->group_first[group] = (uint32_t)t->nmem;
	return 0;
}

/* Folds one CSV field into a single token (first token for several). */
static bool fold_one(const char *s, size_t n, char out[NAMES_TOK_MAX],
		     bool first_only)
{
	struct names_person p;
	memset(&p, 0, sizeof(p));
	if (names_normalize(&p, s, (long)n, NAMES_GIVEN, "name", NULL) ||
	    p.n == 0 || (!first_only && p.n != 1))
		return false;
	memcpy(out, p.tok[0].s, p.tok[0].len + 1u);
	return true;
}

/* Next line of buf: [*pos, end) without the newline; false at the end. */
static bool next_line(const char *buf, size_t len, size_t *pos,
		      const char **line, size_t *ll)
{
	if (*pos >= len)
		return false;
	const char *s = buf + *pos;
	const char *nl = memchr(s, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - s) : len - *pos;
	*pos += n + (nl ? 1 : 0);
	if (n && s[n - 1] == '\r')
		n--;
	*line = s;
	*ll = n;
	return true;
}

static int table_rc(int rc, struct sigm_error *err)
{
	if (rc == SIGM_ETOOBIG)
		return sigm_error_set(err, rc, "table_too_big", NULL,
				      "tabla de variantes demasiado grande");
	return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
			      "memoria insuficiente");
}

int names_table_add_nicknames(struct names_table *t, const char *buf,
			      size_t len, struct sigm_error *err)
{
	size_t pos = 0, ll;
	const char *line;

	while (next_line(buf, len, &pos, &line, &ll)) {
		const char *f[3];
		size_t fl[3];
		int nf = 0;
		const char *p = line, *end = line + ll;
		char nick[NAMES_TOK_MAX], formal[NAMES_TOK_MAX];

		if (ll == 0 || line[0] == '#')
			continue;
		while (nf < 3) {
			const char *c = memchr(p, ',', (size_t)(end - p));
			f[nf] = p;
			fl[nf] = c ? (size_t)(c - p) : (size_t)(end - p);
			nf++;
			if (!c)
				break;
			p = c + 1;
		}
		if (nf < 2)
			continue;
		if ((fl[0] == 8 && memcmp(f[0], "nickname", 8) == 0) ||
		    (fl[0] == 5 && memcmp(f[0], "name1", 5) == 0))
			continue;
		const char *ns = f[0], *fs = f[1];
		size_t nl = fl[0], fsl = fl[1];
		if (nf == 3) { /* name1,relationship,name2: name1 is formal */
			ns = f[2];
			nl = fl[2];
			fs = f[0];
			fsl = fl[0];
		}
		if (!fold_one(ns, nl, nick, false) ||
		    !fold_one(fs, fsl, formal, true) ||
		    strcmp(nick, formal) == 0)
			continue;
		long fo = intern(t, formal);
		if (fo < 0)
			return table_rc((int)fo, err);
		long g = (long)t->forms[fo].nick_group - 1;
		if (g < 0) {
			g = new_group(t);
			if (g < 0 || join(t, fo, g, NAMES_VARIANT))
				return table_rc(SIGM_ENOMEM, err);
			t->forms[fo].nick_group = (uint32_t)g + 1;
		}
		long no = intern(t, nick);
		if (no < 0)
			return table_rc((int)no, err);
		if (join(t, no, g, NAMES_NICKNAME))
			return table_rc(SIGM_ENOMEM, err);
	}
	return 0;
}

int names_table_add_variants(struct names_table *t, const char *buf,
			     size_t len, struct sigm_error *err)
{
	size_t pos = 0, ll;
	const char *line;

	while (next_line(buf, len, &pos, &line, &ll)) {
		const char *p = line, *end = line + ll;
		long g = -1;

		if (ll == 0 || line[0] == '#')
			continue;
		for (const char *q = line; q + 1 < end; q++)
			if (q[0] == '=' && q[1] == '>') {
				end = q;
				break;
			}
		while (p < end) {
			const char *c = memchr(p, ',', (size_t)(end - p));
			size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
			char tok[NAMES_TOK_MAX];
			if (fold_one(p, n, tok, false)) {
				long fo = intern(t, tok);
				if (fo < 0)
					return table_rc((int)fo, err);
				if (g < 0 && (g = new_group(t)) < 0)
					return table_rc(SIGM_ENOMEM, err);
				if (join(t, fo, g, NAMES_VARIANT))
					return table_rc(SIGM_ENOMEM, err);
			}
			p += n + 1;
		}
	}
	return 0;
}

int names_table_relation(const struct names_table *t, const char *a,
			 const char *b)
{
	long fa = find_form(t, a), fb = find_form(t, b);
	int best = 0;

	if (fa < 0 || fb < 0 || fa == fb)
		return 0;
	for (uint32_t x = t->forms[fa].first; x; x = t->mem[x - 1].next_of_form)
		for (uint32_t y = t->forms[fb].first; y;
		     y = t->mem[y - 1].next_of_form) {
			if (t->mem[x - 1].group != t->mem[y - 1].group)
				continue;
			int k = t->mem[x - 1].kind > t->mem[y - 1].kind
					? t->mem[x - 1].kind
					: t->mem[y - 1].kind;
			if (k == NAMES_VARIANT)
				return NAMES_VARIANT;
			best = k;
		}
	return best;
}

size_t names_table_each_variant(const struct names_table *t, const char *token,
				void (*fn)(const char *form, int kind,
					   void *ctx),
				void *ctx)
{
	long f = find_form(t, token);
	size_t calls = 0;

	if (f < 0)
		return 0;
	for (uint32_t x = t->forms[f].first; x; x = t->mem[x - 1].next_of_form) {
		const struct member *mx = &t->mem[x - 1];
		for (uint32_t y = t->group_first[mx->group]; y;
		     y = t->mem[y - 1].next_in_group) {
			const struct member *my = &t->mem[y - 1];
			if (my->form == (uint32_t)f)
				continue;
			fn(t->forms[my->form].s,
			   mx->kind > my->kind ? mx->kind : my->kind, ctx);
			calls++;
		}
	}
	return calls;
}

bool names_has_letter(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : "");
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0)
			return false;
		utf8proc_category_t c = utf8proc_category(cp);
		if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO)
			return true;
		p += k;
	}
	return false;
}

bool names_visible(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)(s ? s : "");
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0)
			return true; /* not UTF-8: not ours to call blank */
		/* what Unicode says to draw as nothing (Hangul fillers, the
		 * variation selectors...), and the blank Braille pattern,
		 * a "symbol" that is a blank cell */
		if (utf8proc_get_property(cp)->ignorable || cp == 0x2800) {
			p += k;
			continue;
		}
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_ZS:
		case UTF8PROC_CATEGORY_ZL:
		case UTF8PROC_CATEGORY_ZP:
		case UTF8PROC_CATEGORY_CC:
		case UTF8PROC_CATEGORY_CF:
		case UTF8PROC_CATEGORY_MN:
		case UTF8PROC_CATEGORY_ME:
			break;
		default:
			return true;
		}
		p += k;
	}
	return false;
}
