/* persons.c - identity resolution; see persons.h. */
#include "store/persons.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/names.h"

/* Latin-1 supplement letters as UTF-8 (C3 xx) to their base letter. */
static char fold_c3(unsigned char b)
{
	static const char map[64] =
		"AAAAAAACEEEEIIII" /* C3 80..8F */
		"DNOOOOOxOUUUUYTs" /* C3 90..9F */
		"AAAAAAACEEEEIIII" /* C3 A0..AF */
		"DNOOOOO/OUUUUYTY"; /* C3 B0..BF */
	return b >= 0x80 && b <= 0xBF ? map[b - 0x80] : '?';
}

/* Latin Extended-A (U+0100..U+017F, UTF-8 C4 80..C5 BF) to the base
 * letter, as ICAO 9303 transliterates it in an MRZ: Kovačević, KOVACEVIC. */
static char fold_ext_a(unsigned char lead, unsigned char b)
{
	static const char map[129] =
		"AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkk"
		"LlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUu"
		"WwYyYZzZzZzs";
	return b >= 0x80 && b <= 0xBF ? map[(lead - 0xC4) * 64 + (b - 0x80)]
				      : '?';
}

/* What fold() reads of the code points persons_fold drops (outside
 * ASCII, Latin-1 and Latin Extended-A) */
enum fold_reads {
	READS_LATIN1, /* nothing: persons_fold */
	READS_LATIN,  /* the Latin letters: name_keys' and match()'s fold */
	READS_ALL,    /* every letter: persons_surnames_key */
};

/* The letters of a code point that persons_fold drops, as fold() reads
 * them, into out (cap bytes, room for the NUL left): a Latin letter with
 * its marks stripped (ễ E, ș S); with READS_ALL, Cyrillic as ICAO 9303
 * spells it (Ж ZH) and a letter of another script (Greek, Arabic, CJK)
 * case folded, as itself.  Anything but a letter (a mark, a space of
 * another width, a symbol) gives nothing, as persons_fold.  Returns the
 * bytes written; -1 when they do not fit. */
static int other_letter(int32_t cp, enum fold_reads reads, char *out,
			size_t cap)
{
	utf8proc_category_t cat = utf8proc_category(cp);
	if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
		return 0;
	utf8proc_int32_t d[32];
	int last = 0;
	utf8proc_ssize_t nd = utf8proc_decompose_char(cp, d, 32,
		UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD |
		UTF8PROC_STRIPMARK | UTF8PROC_IGNORE, &last);
	if (nd < 0 || nd > 32)
		return 0;
	size_t n = 0;
	for (utf8proc_ssize_t i = 0; i < nd; i++) {
		char one[8];
		const char *rep = NULL;
		size_t rl;
		if (d[i] < 0x80) {
			if (!isalnum(d[i]))
				continue;
			one[0] = (char)d[i];
			one[1] = 0;
			rep = one;
		} else if (reads != READS_ALL) {
			continue;
		} else if (!(rep = names_icao_letter(d[i]))) {
			cat = utf8proc_category(d[i]);
			if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
				continue;
			utf8proc_ssize_t k = utf8proc_encode_char(d[i], (utf8proc_uint8_t *)one);
			one[k > 0 ? k : 0] = 0;
			rep = one;
		}
		rl = strlen(rep);
		if (n + rl >= cap)
			return -1;
		for (size_t j = 0; j < rl; j++)
			out[n++] = rep[j] >= 'a' && rep[j] <= 'z' ? (char)(rep[j] - 'a' + 'A') : rep[j];
	}
	return (int)n;
}

/* persons_fold; beyond READS_LATIN1, the letters it drops read by
 * other_letter. */
static void fold(const char *in, char *out, size_t cap, enum fold_reads reads)
{
	size_t n = 0;
	int space = 1;
	if (!cap)
		return;
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p && n + 1 < cap; p++) {
		char c;
		if (*p == 0xC3 && p[1]) {
			c = fold_c3(p[1]);
			p++;
		} else if ((*p == 0xC4 || *p == 0xC5) && p[1]) {
			c = fold_ext_a(*p, p[1]);
			p++;
		} else if (*p >= 0x80) {
			/* other scripts: kept out of persons_fold */
			utf8proc_int32_t cp;
			utf8proc_ssize_t k;
			if (reads == READS_LATIN1 || (k = utf8proc_iterate(p, -1, &cp)) <= 0)
				continue; /* not UTF-8: the byte dropped */
			int w = other_letter(cp, reads, out + n, cap - n);
			if (w < 0)
				break; /* no room for the whole letter */
			if (w > 0)
				space = 0;
			n += (size_t)w;
			p += k - 1;
			continue;
		} else {
			c = (char)*p;
		}
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			out[n++] = c;
			space = 0;
		} else if (!space && n + 1 < cap) {
			out[n++] = ' ';
			space = 1;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = 0;
}

void persons_fold(const char *in, char *out, size_t cap)
{
	fold(in, out, cap, READS_LATIN1);
}

void persons_surnames_key(const char *in, char *out, size_t cap)
{
	fold(in, out, cap, READS_ALL);
}

/* Names as the comparisons of this file read them: persons_fold, and the
 * Latin letters it drops (Nguyễn, NGUYEN: Hernández, HERNANDEZ);
 * persons_fold alone took «Nguyễn» for NGUYN, and a Vietnamese whose name
 * a clerk typed was not the holder of his own passport read by its MRZ.
 * Another script is not read: it is another spelling (name_keys). */
static void latin_fold(const char *in, char *out, size_t cap)
{
	fold(in, out, cap, READS_LATIN);
}

int persons_key_range(const char *s, char *key, size_t kcap, char *upto,
		      size_t ucap)
{
	persons_surnames_key(s, key, kcap);
	if (!key[0])
		return -1;
	int w = snprintf(upto, ucap, "%s\xF4\x8F\xBF\xBF", key);
	return w < 0 || (size_t)w >= ucap ? -1 : 0;
}

const char *persons_fold_sql(const char *col, int postgres, char *buf,
			     size_t cap)
{
	int w;
	if (postgres) {
		/* COLLATE "C": compared byte by byte, whatever the database's
		 * collation */
		/* then as persons_fold: any other non-ASCII letter dropped
		 * (it is not a separator there either), runs of ASCII
		 * non-alphanumerics one space, none at the ends */
		w = snprintf(buf, cap, "(btrim(regexp_replace(regexp_replace(upper(translate(%s, '", col);
		if (w < 0 || (size_t)w >= cap)
			return NULL;
		size_t n = (size_t)w;
		for (const char *p = PERSONS_FOLD_FROM; *p; p++) {
			/* the apostrophe doubled inside the SQL string */
			if (n + 3 >= cap)
				return NULL;
			if (*p == '\'')
				buf[n++] = '\'';
			buf[n++] = *p;
		}
		w = snprintf(buf + n, cap - n, "', '%s')), '[^\\x01-\\x7F]', '', 'g'), '[^A-Z0-9]+', ' ', 'g')) COLLATE \"C\")",
			     PERSONS_FOLD_TO);
		return w < 0 || (size_t)w >= cap - n ? NULL : buf;
	}
	/* SQLite: persons_fold itself, registered on every connection
	 * (sqlite.c); the nested replace() this would take overflows
	 * SQLite's parser stack */
	w = snprintf(buf, cap, "sigm_fold(%s)", col);
	return w < 0 || (size_t)w >= cap ? NULL : buf;
}

static int same(const char *a, const char *b)
{
	char fa[256], fb[256];
	persons_fold(a, fa, sizeof(fa));
	persons_fold(b, fb, sizeof(fb));
	return fa[0] && !strcmp(fa, fb);
}

/* names_fold's letters, upper case: Cyrillic as ICAO 9303 writes it in an
 * MRZ (Иванов, IVANOV), the letters of other scripts as they are. */
static void script_key(const char *in, char *out, size_t cap)
{
	struct sigm_error err;
	if (names_fold(in, out, cap, &err))
		out[0] = 0; /* not UTF-8, or too long: no letters read */
	for (char *p = out; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
}

/* A text without letters ("---", an emoji) as itself: NFKC, case folded,
 * without the blanks at its ends. */
static void text_key(const char *in, char *out, size_t cap)
{
	utf8proc_uint8_t *f = in ? utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)in) : NULL;
	const char *t = f ? (const char *)f : in ? in : "";
	while (isspace((unsigned char)*t))
		t++;
	snprintf(out, cap, "%s", t);
	for (size_t n = strlen(out); n && isspace((unsigned char)out[n - 1]); n--)
		out[n - 1] = 0;
	free(f);
}

enum key_kind {
	KEY_LETTERS, /* both keys are letters and digits: compare them */
	KEY_TEXT,    /* neither has a letter: the texts, equal or not */
	KEY_DIFFER,  /* one has letters and the other none */
};

/*
 * The forms in which two names are compared, into ka and kb (cap bytes
 * each).  latin_fold's keys when both have one; else (a name written
 * in Cyrillic, Greek, Chinese...) names_fold's for both, unless exact:
 * a name spelled in Latin letters and one in another script are not the
 * same spelling, though they may be the same name.  A key empty on one
 * side only is a difference, never a name that matches any other: "---"
 * is not ZELAYA.
 */
static enum key_kind name_keys(const char *a, const char *b, bool exact,
			       char *ka, char *kb, size_t cap)
{
	latin_fold(a, ka, cap);
	latin_fold(b, kb, cap);
	if (ka[0] && kb[0])
		return KEY_LETTERS;
	if (exact && (ka[0] || kb[0]))
		return KEY_DIFFER;
	script_key(a, ka, cap);
	script_key(b, kb, cap);
	if (ka[0] && kb[0])
		return KEY_LETTERS;
	if (ka[0] || kb[0])
		return KEY_DIFFER;
	text_key(a, ka, cap);
	text_key(b, kb, cap);
	return KEY_TEXT;
}

/* The same name, written alike (case, accents and separators aside); a
 * name that is not there is nobody's. */
static bool same_name(const char *a, const char *b)
{
	char ka[256], kb[256];
	return name_keys(a, b, true, ka, kb, sizeof(ka)) != KEY_DIFFER && ka[0] &&
	       !strcmp(ka, kb);
}

/* A surname as an MRZ and a clerk may both write it: letters and digits
 * only, and the ICAO transliterations of umlauts and the like read back
 * (MUELLER, Müller → MULLER; BJOERNSTAD, Bjørnstad → BJORNSTAD). */
static void holder_key(const char *folded, char *out, size_t cap)
{
	size_t k = 0;
	for (const char *p = folded; *p && k + 1 < cap; p++) {
		if (*p == ' ')
			continue;
		if ((*p == 'E' && k && (out[k - 1] == 'A' || out[k - 1] == 'O' || out[k - 1] == 'U')) ||
		    (*p == 'A' && k && out[k - 1] == 'A') || (*p == 'S' && k && out[k - 1] == 'S'))
			continue;
		out[k++] = *p;
	}
	out[k] = 0;
}

/* Particles many surnames share ("de León", "de Paz"): not a surname. */
static bool particle(const char *w)
{
	/* not LE nor DO: Lê and Đỗ are surnames */
	static const char *const P[] = {"DE", "DEL", "LA", "LAS", "LOS", "Y", "E", "DA", "DAS",
					"DOS", "DI", "DU", "VAN", "VON", "DER", "DEN", "TER",
					"SAN", "SANTA", "ST", "BEN", "BIN", "AL", "EL", NULL};
	for (const char *const *p = P; *p; p++)
		if (!strcmp(*p, w))
			return true;
	return false;
}

/* A word of a (its particles aside) written as one of b's (holder_key),
 * or, with prefix, one the start of the other (an MRZ's cut). */
static bool words_meet(const char *a, const char *b, bool prefix)
{
	char wa[256], wb[256], ka[64], kb[64];
	snprintf(wa, sizeof(wa), "%s", a);
	for (char *s1 = NULL, *t = strtok_r(wa, " ", &s1); t; t = strtok_r(NULL, " ", &s1)) {
		if (particle(t))
			continue;
		holder_key(t, ka, sizeof(ka));
		snprintf(wb, sizeof(wb), "%s", b);
		for (char *s2 = NULL, *u = strtok_r(wb, " ", &s2); u; u = strtok_r(NULL, " ", &s2)) {
			holder_key(u, kb, sizeof(kb));
			size_t la = strlen(ka), lb = strlen(kb);
			if (prefix ? la && lb && !strncmp(ka, kb, la < lb ? la : lb) : !strcmp(ka, kb))
				return true;
		}
	}
	return false;
}

/* Whether one surname of a (not a particle; its key) is a surname of b:
 * short ones count (Ng, Li, the O of «de la O»). */
static bool shares_word(const char *a, const char *b)
{
	return words_meet(a, b, false);
}

/* A birth date as the booth takes it (calendar.h): YYYY, YYYY-MM or
 * YYYY-MM-DD, "00" or "XX" for a part not known (*m, *d then 0).  False
 * when s is none of those. */
static bool birth_parts(const char *s, int *y, int *m, int *d)
{
	size_t n = s ? strlen(s) : 0;
	*y = *m = *d = 0;
	if (n != 4 && n != 7 && n != 10)
		return false;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	for (size_t at = 5; at < n; at += 3) {
		int v = isdigit((unsigned char)s[at]) && isdigit((unsigned char)s[at + 1])
				? (s[at] - '0') * 10 + (s[at + 1] - '0')
				: 0; /* XX, or anything else: not known */
		if (s[at - 1] != '-')
			return false;
		if (at == 5)
			*m = v;
		else
			*d = *m ? v : 0;
	}
	return true;
}

static bool births_compatible(const char *a, const char *b);

bool persons_same_holder(const char *surnames_on_file, const char *birth_on_file,
			 const char *surnames, const char *birth_date)
{
	/* the birth date is the sharper test: two dates that disagree as far
	 * as both are known are two persons ("1981-05-XX" is not 2001-11-30;
	 * a day unknown on one side turned the check off altogether) */
	int y, m, d;
	if (birth_parts(birth_on_file, &y, &m, &d) && birth_parts(birth_date, &y, &m, &d) &&
	    !births_compatible(birth_on_file, birth_date))
		return false;
	char a[256], b[256], ka[256], kb[256];
	switch (name_keys(surnames_on_file, surnames, false, a, b, sizeof(a))) {
	case KEY_DIFFER:
		return false;
	case KEY_TEXT:
		return !strcmp(a, b);
	case KEY_LETTERS:
		break;
	}
	holder_key(a, ka, sizeof(ka));
	holder_key(b, kb, sizeof(kb));
	size_t la = strlen(ka), lb = strlen(kb), n = la < lb ? la : lb;
	/* the same letters (O'Brien, OBRIEN), or the shorter the longer cut
	 * short by an MRZ's 39 places */
	if (!strcmp(ka, kb) || (n >= 20 && !strncmp(ka, kb, n)))
		return true;
	/* one surname of the two written, or a married name added
	 * (García / GARCIA LOPEZ; López / López de Hernández) */
	return shares_word(a, b);
}


bool persons_holder_agrees(const char *surnames_on_file, const char *birth_on_file,
			   const char *given_on_file, const char *surnames,
			   const char *birth_date, const char *given_names)
{
	if (!persons_same_holder(surnames_on_file, birth_on_file, surnames, birth_date))
		return false;
	/* Twins share surnames and birth date: the given names, where both
	 * are known and in one script, must have a word in common, or one
	 * be the other cut short (María José, MARIA; MARIA JOS).  Ana Lucía
	 * leaving on María José's passport passed as María José. */
	char a[256], b[256];
	if (name_keys(given_on_file, given_names, false, a, b, sizeof(a)) != KEY_LETTERS)
		return true; /* one unknown, or not comparable letter by letter */
	char ka[256], kb[256];
	holder_key(a, ka, sizeof(ka));
	holder_key(b, kb, sizeof(kb));
	return !strcmp(ka, kb) || words_meet(a, b, true);
}

/* The surnames of a folded name (its words but the particles), each as
 * holder_key writes it; at most max of them.  Returns how many. */
static int surname_words(const char *folded, char w[][64], int max)
{
	char buf[256];
	int n = 0;
	snprintf(buf, sizeof(buf), "%s", folded);
	for (char *sp = NULL, *t = strtok_r(buf, " ", &sp); t && n < max; t = strtok_r(NULL, " ", &sp))
		if (!particle(t))
			holder_key(t, w[n++], 64);
	return n;
}

/*
 * Surnames that one person may bear on two documents, though not written
 * alike: the same letters (Müller, MUELLER; O'Brien, OBRIEN), one cut
 * short by an MRZ, or every surname of the one among the other's: a
 * surname dropped (Martínez Flores, MARTINEZ), their order changed (Ramos
 * Cruz, CRUZ RAMOS), a married name added (López, LÓPEZ DE HERNÁNDEZ).
 * Not one surname in common only: Hernández López and Hernández Pérez
 * born the same day are two persons more often than one.
 */
static void married_cut(const char *folded, char *out, size_t cap);
static bool words_within(const char *fa, const char *fb);

static bool surnames_alike(const char *a, const char *b)
{
	char fa[256], fb[256], ka[256], kb[256];
	switch (name_keys(a, b, false, fa, fb, sizeof(fa))) {
	case KEY_DIFFER:
		return false;
	case KEY_TEXT:
		return fa[0] && !strcmp(fa, fb);
	case KEY_LETTERS:
		break;
	}
	holder_key(fa, ka, sizeof(ka));
	holder_key(fb, kb, sizeof(kb));
	size_t la = strlen(ka), lb = strlen(kb), n = la < lb ? la : lb;
	if (!strcmp(ka, kb) || (n >= 20 && !strncmp(ka, kb, n)))
		return true;
	if (words_within(fa, fb))
		return true;
	/* a married woman's name as the Ley del Nombre writes it: her first
	 * surname, then her husband's after «de» (López Rivas, LÓPEZ DE
	 * HERNÁNDEZ; «viuda de» too): the name before it among the other's.
	 * Her renewed passport was a new person flagged beside nobody. */
	char ca[256], cb[256];
	married_cut(fa, ca, sizeof(ca));
	married_cut(fb, cb, sizeof(cb));
	return (strcmp(ca, fa) || strcmp(cb, fb)) &&
	       (words_within(ca, fb) || words_within(fa, cb));
}

/* The surnames before a married name (López de Hernández, LOPEZ; López
 * Vda. de Hernández, LOPEZ): the words before a «DE» (or «VDA», «VIUDA»)
 * that follows a surname; the whole of folded when there is none. */
static void married_cut(const char *folded, char *out, size_t cap)
{
	char buf[256];
	size_t n = 0;
	bool surname = false;
	snprintf(buf, sizeof(buf), "%s", folded);
	out[0] = 0;
	for (char *sp = NULL, *t = strtok_r(buf, " ", &sp); t; t = strtok_r(NULL, " ", &sp)) {
		if (surname && (!strcmp(t, "DE") || !strcmp(t, "VDA") || !strcmp(t, "VIUDA")))
			return;
		surname = surname || !particle(t);
		int w = snprintf(out + n, cap - n, "%s%s", n ? " " : "", t);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
	snprintf(out, cap, "%s", folded);
}

/* Every surname of the one with fewer (its particles aside) among the
 * other's. */
static bool words_within(const char *fa, const char *fb)
{
	char wa[8][64], wb[8][64];
	int na = surname_words(fa, wa, 8), nb = surname_words(fb, wb, 8);
	if (!na || !nb)
		return false;
	/* the fewer among the more */
	char (*few)[64] = na <= nb ? wa : wb, (*more)[64] = na <= nb ? wb : wa;
	int nf = na <= nb ? na : nb, nm = na <= nb ? nb : na;
	for (int i = 0; i < nf; i++) {
		int j = 0;
		while (j < nm && strcmp(few[i], more[j]))
			j++;
		if (j == nm)
			return false;
	}
	return true;
}

/* Given names written alike but for an ICAO transliteration or the
 * spaces (Jürgen, JUERGEN; Ana María, ANAMARIA). */
static bool given_alike(const char *a, const char *b)
{
	char fa[256], fb[256], ka[256], kb[256];
	switch (name_keys(a, b, false, fa, fb, sizeof(fa))) {
	case KEY_DIFFER:
		return false;
	case KEY_TEXT:
		return fa[0] && !strcmp(fa, fb);
	case KEY_LETTERS:
		break;
	}
	holder_key(fa, ka, sizeof(ka));
	holder_key(fb, kb, sizeof(kb));
	return ka[0] && !strcmp(ka, kb);
}

/* The given names of a renewal that cites its previous document: written
 * alike (case, accents, spaces and ICAO transliterations aside: María
 * José, MARIA JOSE; Jürgen, JUERGEN), in the same script; none on either
 * side (a holder known by surnames alone) is no disagreement. */
static bool given_agree(const char *a, const char *b)
{
	char ka[256], kb[256], ha[256], hb[256];
	latin_fold(a, ka, sizeof(ka));
	latin_fold(b, kb, sizeof(kb));
	if (!ka[0] && !kb[0] && (!a || !*a) && (!b || !*b))
		return true;
	if (name_keys(a, b, true, ka, kb, sizeof(ka)) == KEY_DIFFER || !ka[0])
		return false;
	holder_key(ka, ha, sizeof(ha));
	holder_key(kb, hb, sizeof(hb));
	return ha[0] && !strcmp(ha, hb);
}

/* Two birth dates that agree as far as both are known: the same year, and
 * the same month and day where both give them (1988-08 and 1988-08-08). */
static bool births_compatible(const char *a, const char *b)
{
	int ya, ma, da, yb, mb, db;
	if (!birth_parts(a, &ya, &ma, &da) || !birth_parts(b, &yb, &mb, &db))
		return false;
	return ya == yb && (!ma || !mb || ma == mb) && (!da || !db || da == db);
}

static int touch_doc(struct store_tx *tx, int64_t id, const char *expiry,
		     struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(id), sv_text(now), sv_text(expiry)};
	return store_tx_exec(tx, "UPDATE documents SET last_seen_at = $2, expiry_date = COALESCE($3, expiry_date) WHERE id = $1",
			     p, 3, NULL, err);
}

static int new_doc(struct store_tx *tx, int64_t person, const struct persons_doc *d,
		   int64_t replaces, int64_t *id, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(person), sv_text(d->kind),
				sv_text(d->document_code), sv_text(d->number),
				sv_text(d->issuing_state), sv_text(d->expiry_date),
				replaces ? sv_int(replaces) : sv_null(),
				sv_text(now)};
	return store_tx_query_int(tx,
				  "INSERT INTO documents (person_id, kind, document_code, number, issuing_state, expiry_date, replaces_document_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
				  p, SV_N(p), id, err);
}

static int new_person(struct store_tx *tx, const struct persons_doc *d,
		      int64_t *id, struct sigm_error *err)
{
	char now[40], key[256];
	store_now_iso(now, sizeof(now));
	persons_surnames_key(d->surnames, key, sizeof(key));
	struct store_val p[] = {sv_text(d->given_names), sv_text(d->surnames),
				sv_text(d->birth_date), sv_text(d->sex),
				sv_text(d->nationality), sv_text(now),
				sv_text(key)};
	return store_tx_query_int(tx,
				  "INSERT INTO persons (given_names, surnames, birth_date, sex, nationality, created_at, updated_at, surnames_key) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
				  p, SV_N(p), id, err);
}

static int flag(struct store_tx *tx, int64_t a, int64_t b, const char *why,
		struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_int(a), sv_int(b), sv_text(why), sv_text(now)};
	return store_tx_exec(tx, "INSERT INTO person_duplicates (person_id, other_person_id, reason, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
			     p, 4, NULL, err);
}

/* The person's latest document of the same kind and state, to link as the
 * replaced one. */
static int64_t latest_doc(struct store_tx *tx, int64_t person,
			  const struct persons_doc *d)
{
	int64_t id = 0;
	struct sigm_error err;
	struct store_val p[] = {sv_int(person), sv_text(d->kind),
				sv_text(d->issuing_state)};
	if (store_tx_query_int(tx, "SELECT id FROM documents WHERE person_id = $1 AND kind = $2 AND issuing_state = $3 ORDER BY first_seen_at DESC, id DESC LIMIT 1",
			       p, 3, &id, &err))
		return 0;
	return id;
}

/* Where a document's holder is found: inside the write (tx), or on a
 * reader before it (s), by the same queries. */
struct src {
	struct store_tx *tx;
	struct store *s;
};

static int src_query(const struct src *q, const char *sql,
		     const struct store_val *p, int n, struct store_rows **out,
		     struct sigm_error *err)
{
	return q->tx ? store_tx_query(q->tx, sql, p, n, out, err)
		     : store_query(q->s, sql, p, n, out, err);
}

/* How many of a day's persons are weighed as likenesses (born()) */
#define DAY_READ 1000

enum born_part {
	BORN_DAY,     /* everybody born on the date */
	BORN_PARTIAL, /* a full date: those of its month and year recorded
		       * with a partial date */
	BORN_WITHIN,  /* a partial date: those born in its month, and
		       * those recorded with its year alone */
};

/*
 * Persons whose birth date agrees with d's as far as both are known
 * (births_compatible): id, given_names, surnames, nationality and, but
 * for BORN_DAY's, birth_date.  Every part is read by seeks and ranges of
 * persons_birth (birth_date, nationality, surnames, given_names), which
 * covers the queries: adjacent index pages, no table page on SQLite.
 *
 * BORN_DAY is everybody born that day, whatever the nationality: about
 * 90 persons at 2.2 M persons (a first page of it, "LIMIT 50" in the
 * index's order of surnames, never reached a ZELAYA among 55 ABARCAs);
 * on a crowded day, the first DAY_READ and those of the same surnames.  BORN_PARTIAL reads the few persons
 * with a partial date of the year and month, in four small ranges.
 * BORN_WITHIN, for a month without its day, seeks each of its days with
 * d's nationality and those four ranges, and keeps in the query only the
 * given names that fold as d's (persons_fold_sql); the whole month (3,000
 * persons) read and compared in C took 1.5 ms.  A year alone reads only
 * the persons recorded with its year alone or without a month: a year's
 * 35,000 persons took 3 ms even filtered inside the index.
 */
static int born(const struct src *q, const struct persons_doc *d,
		enum born_part part, struct store_rows **out,
		struct sigm_error *err)
{
	int y, m, dd;
	if (part == BORN_DAY || !birth_parts(d->birth_date, &y, &m, &dd)) {
		/* the day (or a text that is no date: that text alone) */
		struct store_val p[] = {sv_text(d->birth_date), sv_int(DAY_READ + 1)};
		int rc = src_query(q, "SELECT id, given_names, surnames, nationality FROM persons WHERE birth_date = $1"
				      " LIMIT $2", p, 2, out, err);
		if (rc || store_rows_count(*out) <= DAY_READ)
			return rc;
		/* A crowded day (a state that prints 1 January for an unknown
		 * birth date: tens of thousands of persons, read and compared
		 * twice a first-time traveler, once in the single writer, took
		 * 10 ms of it): the first DAY_READ of the index's order for
		 * the likenesses, and everyone with these surnames exactly,
		 * read by (surnames_key, birth_date), for the renewal. */
		store_rows_free(out);
		char key[256];
		persons_surnames_key(d->surnames, key, sizeof(key));
		struct store_val p2[] = {sv_text(d->birth_date), sv_text(key), sv_int(DAY_READ)};
		return src_query(q, "SELECT * FROM (SELECT id, given_names, surnames, nationality FROM persons WHERE birth_date = $1"
				    " LIMIT $3) AS a UNION SELECT id, given_names, surnames, nationality FROM persons"
				    " WHERE surnames_key = $2 AND birth_date = $1",
				 p2, 3, out, err);
	}
	/* Parameters: the days of the month (BORN_WITHIN), then [lo, hi)
	 * bounds of the texts of partial dates: "1988-08", "1988-08-00" are
	 * from "1988-08" to "1988-08-01"; "1988-08-XX" from "1988-08-X" to
	 * "1988-08-y"; "1988", "1988-00", "1988-00-00" from "1988" to
	 * "1988-01"; "1988-XX", "1988-xx" from "1988-X" to "1988-y".
	 * Letters, not punctuation, past the digits: they sort after them in
	 * a linguistic collation too (operations.md asks for C). */
	char t[31 + 8][16], given[256], fold[2048];
	struct store_val p[31 + 8 + 2];
	int ndays = 0, n = 0;
	bool within = part == BORN_WITHIN;
	if (within && m)
		for (ndays = 0; ndays < 31; ndays++)
			snprintf(t[n++], 16, "%04d-%02d-%02d", y, m, ndays + 1);
	if (m) {
		snprintf(t[n++], 16, "%04d-%02d", y, m);
		snprintf(t[n++], 16, "%04d-%02d-01", y, m);
		snprintf(t[n++], 16, "%04d-%02d-X", y, m);
		snprintf(t[n++], 16, "%04d-%02d-y", y, m);
	}
	snprintf(t[n++], 16, "%04d", y);
	snprintf(t[n++], 16, "%04d-01", y);
	snprintf(t[n++], 16, "%04d-X", y);
	snprintf(t[n++], 16, "%04d-y", y);
	for (int i = 0; i < n; i++)
		p[i] = sv_text(t[i]);
	/* BORN_WITHIN: d's nationality (a column of the index, tested
	 * first) and given names */
	char filter[2200] = "";
	int np = n;
	if (within) {
		struct store *st = q->tx ? store_tx_store(q->tx) : q->s;
		if (!persons_fold_sql("given_names", store_engine(st) == STORE_PG, fold, sizeof(fold)))
			return sigm_error_set(err, SIGM_EINVAL, "internal", NULL, "consulta demasiado larga");
		int w = 0;
		if (d->nationality && *d->nationality) {
			p[np++] = sv_text(d->nationality);
			w = snprintf(filter, sizeof(filter), " AND nationality = $%d", np);
		}
		persons_fold(d->given_names, given, sizeof(given));
		p[np++] = sv_text(given);
		snprintf(filter + w, sizeof(filter) - (size_t)w, " AND %s = $%d", fold, np);
	}
	/* one SELECT per range, each read by its range of the index */
	char sql[8192];
	int w = 0;
	if (ndays) {
		w += snprintf(sql, sizeof(sql), "SELECT id, given_names, surnames, nationality, birth_date FROM persons WHERE birth_date IN (");
		for (int i = 0; i < ndays; i++)
			w += snprintf(sql + w, sizeof(sql) - (size_t)w, "%s$%d", i ? ", " : "", i + 1);
		w += snprintf(sql + w, sizeof(sql) - (size_t)w, ")%s", filter);
	}
	for (int i = ndays; i < n && (size_t)w < sizeof(sql); i += 2)
		w += snprintf(sql + w, sizeof(sql) - (size_t)w,
			      "%sSELECT id, given_names, surnames, nationality, birth_date FROM persons"
			      " WHERE birth_date >= $%d AND birth_date < $%d%s",
			      i ? " UNION ALL " : "", i + 1, i + 2, filter);
	if ((size_t)w >= sizeof(sql))
		return sigm_error_set(err, SIGM_EINVAL, "internal", NULL, "consulta demasiado larga");
	return src_query(q, sql, p, np, out, err);
}

/* Whether the n records ids are all linked to one another (a supervisor
 * decided they are the same person: API_LINKED in api.h): *one. */
static int one_traveler(const struct src *q, const int64_t *ids, int n,
			bool *one, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_int(ids[0])};
	*one = false;
	int rc = src_query(q, "WITH RECURSIVE linked(id) AS (SELECT CAST($1 AS BIGINT) UNION"
			      " SELECT k.linked_person_id FROM person_links k JOIN linked l ON k.person_id = l.id)"
			      " SELECT id FROM linked", p, 1, &r, err);
	if (rc)
		return rc;
	int found = 0;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < store_rows_count(r); k++)
			if (store_rows_int(r, k, 0) == ids[i]) {
				found++;
				break;
			}
	store_rows_free(&r);
	*one = found == n;
	return 0;
}

enum match_kind {
	MATCH_NEW,           /* nobody known: a new person */
	MATCH_DOCUMENT,      /* the document seen before: its holder */
	MATCH_RENEWAL,       /* a new document of a known person */
	MATCH_PREV_DIFFERS,  /* the previous document's holder disagrees */
	MATCH_DUPLICATES,    /* data agree with some persons only in part */
};

struct match {
	enum match_kind kind;
	int64_t person_id, document_id; /* DOCUMENT; RENEWAL: person */
	int64_t prev_doc;               /* RENEWAL by the previous document */
	bool by_previous;
	char expiry[16];                /* DOCUMENT: the expiry on file */
	bool holder_differs;            /* DOCUMENT: not the traveler's data */
	int64_t cand[8];                /* PREV_DIFFERS (1), DUPLICATES */
	const char *why[8];             /* DUPLICATES: each one's reason */
	int ncand;
	/* the national number shown beside the document (persons_doc) */
	int64_t national_person;        /* on file: its holder, or 0 */
	bool national_differs;          /* on file under other data */
};

/* Whose the national number shown beside the document is (a DUI beside a
 * passport: persons.h), into m: its holder on file, and whether the
 * holder's data disagree with the traveler's, by the rule a document's
 * holder is read by (persons_holder_agrees). */
static int national_holder(const struct src *q, const struct persons_doc *d,
			   struct match *m, struct sigm_error *err)
{
	if (!d->national_number || !*d->national_number || !d->national_state ||
	    !*d->national_state)
		return 0;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_text(d->national_state), sv_text(d->national_number)};
	int rc = src_query(q, "SELECT d.person_id, p.surnames, p.birth_date, p.given_names FROM documents d JOIN persons p ON p.id = d.person_id"
			   " WHERE d.issuing_state = $1 AND d.kind = 'id_card' AND d.number = $2",
			   k, 2, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 1) {
		m->national_person = store_rows_int(r, 0, 0);
		m->national_differs = !persons_holder_agrees(store_rows_text(r, 0, 1), store_rows_text(r, 0, 2),
							     store_rows_text(r, 0, 3), d->surnames,
							     d->birth_date, d->given_names);
	}
	store_rows_free(&r);
	return 0;
}

/* Who the document belongs to, or would be linked to: the rules of
 * persons.h, reading only. */
static int match(const struct src *q, const struct persons_doc *d,
		 struct match *m, struct sigm_error *err)
{
	memset(m, 0, sizeof(*m));
	int rc = national_holder(q, d, m, err);
	if (rc)
		return rc;
	/* 1. A document seen before: its holder. */
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_text(d->issuing_state), sv_text(d->kind),
				sv_text(d->number)};
	rc = src_query(q, "SELECT d.id, d.person_id, d.expiry_date, p.surnames, p.birth_date, p.given_names FROM documents d JOIN persons p ON p.id = d.person_id"
			   " WHERE d.issuing_state = $1 AND d.kind = $2 AND d.number = $3",
			   k, 3, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 1) {
		m->kind = MATCH_DOCUMENT;
		m->document_id = store_rows_int(r, 0, 0);
		m->person_id = store_rows_int(r, 0, 1);
		snprintf(m->expiry, sizeof(m->expiry), "%s",
			 store_rows_text(r, 0, 2) ? store_rows_text(r, 0, 2) : "");
		m->holder_differs = !persons_holder_agrees(store_rows_text(r, 0, 3), store_rows_text(r, 0, 4),
							   store_rows_text(r, 0, 5), d->surnames, d->birth_date,
							   d->given_names);
		store_rows_free(&r);
		if (!m->holder_differs)
			return 0;
		/* somebody else's data: a record already seen with this
		 * document and these data (flagged the first time, or linked
		 * to the holder by a supervisor) is that traveler; else a new
		 * one, flagged, never the holder */
		struct store_val h[] = {sv_int(m->person_id)};
		rc = src_query(q, "SELECT p.id, p.surnames, p.birth_date, 1, p.given_names FROM persons p"
				  " WHERE p.id IN (SELECT linked_person_id FROM person_links WHERE person_id = $1)"
				  /* whatever the review said: "distinct" is the usual
				   * outcome for a borrowed passport, and the traveler
				   * stays the one record */
				  " UNION SELECT p.id, p.surnames, p.birth_date, 0, p.given_names FROM persons p"
				  " WHERE p.id IN (SELECT person_id FROM person_duplicates WHERE other_person_id = $1"
				  " AND reason = 'document_holder_differs') ORDER BY 4 DESC, 1",
			       h, 1, &r, err);
		if (rc)
			return rc;
		m->cand[0] = m->person_id;
		m->ncand = 1;
		m->person_id = 0;
		for (int i = 0; i < store_rows_count(r); i++)
			if (persons_holder_agrees(store_rows_text(r, i, 1), store_rows_text(r, i, 2),
						  store_rows_text(r, i, 4), d->surnames, d->birth_date,
						  d->given_names)) {
				m->person_id = store_rows_int(r, i, 0);
				/* a supervisor said they are the same person */
				m->holder_differs = store_rows_int(r, i, 3) == 0;
				break;
			}
		store_rows_free(&r);
		return 0;
	}
	store_rows_free(&r);

	/* 1b. A new document shown with the national number of a person on
	 * file whose data agree: that person's (a DUI is kept for life; the
	 * passport renewed abroad names no previous number).  On file under
	 * other data, it tells nothing of who the traveler is: the traveler
	 * is matched as without it, and the number is flagged (resolve). */
	if (m->national_person && !m->national_differs) {
		m->kind = MATCH_RENEWAL;
		m->person_id = m->national_person;
		return 0;
	}

	/* 2. The previous document named on this one; it only counts if
	 * the holder agrees. */
	if (d->previous_number && *d->previous_number) {
		struct store_val p[] = {sv_text(d->issuing_state),
					sv_text(d->previous_number)};
		rc = src_query(q, "SELECT d.id, d.person_id, p.given_names, p.surnames, p.birth_date, p.nationality FROM documents d JOIN persons p ON p.id = d.person_id WHERE d.issuing_state = $1 AND d.number = $2",
			       p, 2, &r, err);
		if (rc)
			return rc;
		if (store_rows_count(r) == 1) {
			/* every datum of the holder, not the surnames and the
			 * birth date alone: twins share both, and a sister's
			 * passport cited by mistake linked Ana Lucía to María
			 * José, silently */
			const char *nat = store_rows_text(r, 0, 5);
			bool agree = same_name(store_rows_text(r, 0, 3), d->surnames) &&
				     same(store_rows_text(r, 0, 4), d->birth_date) &&
				     given_agree(store_rows_text(r, 0, 2), d->given_names) &&
				     (!nat || !*nat || !d->nationality || !*d->nationality ||
				      !strcmp(nat, d->nationality));
			m->kind = agree ? MATCH_RENEWAL : MATCH_PREV_DIFFERS;
			m->by_previous = agree;
			m->prev_doc = store_rows_int(r, 0, 0);
			m->person_id = agree ? store_rows_int(r, 0, 1) : 0;
			m->cand[0] = store_rows_int(r, 0, 1);
			m->ncand = agree ? 0 : 1;
			store_rows_free(&r);
			return 0;
		}
		store_rows_free(&r);
	}

	/* 3. Persons whose data agree: same birth date and nationality, and
	 * the same surnames; the given names decide between a renewal and a
	 * possible duplicate.  And persons whose data an officer would take
	 * for a renewal's though they are not written alike: the given names
	 * and the surnames alike (given_alike, surnames_alike), and the same
	 * birth date, whatever the nationality, or birth dates agreeing as far
	 * as both are known (for a partial date given, of the same
	 * nationality and given names folded alike: see born()): possible
	 * duplicates too, never linked. */
	if (!d->birth_date || !d->surnames)
		return 0;
	char fsur[256], fgiven[256], hgiven[256];
	latin_fold(d->surnames, fsur, sizeof(fsur));
	latin_fold(d->given_names, fgiven, sizeof(fgiven));
	holder_key(fgiven, hgiven, sizeof(hgiven));
	int full = 0, n = 0, nalike = 0;
	int64_t alike[8], full_id = 0;
	/* the day, then (no renewal found) the dates that agree with it as
	 * far as both are known */
	int y, mo, dd;
	bool date = birth_parts(d->birth_date, &y, &mo, &dd), full_date = date && mo && dd;
	for (int pass = 0; pass < (date ? 2 : 1); pass++) {
		if ((rc = born(q, d, pass == 0 ? BORN_DAY : full_date ? BORN_PARTIAL : BORN_WITHIN, &r, err)))
			return rc;
		bool day = pass == 0; /* everybody born that day */
		for (int i = 0; i < store_rows_count(r); i++) {
			const char *given = store_rows_text(r, i, 1), *sur = store_rows_text(r, i, 2),
				   *nat = store_rows_text(r, i, 3),
				   *bd = day ? d->birth_date : store_rows_text(r, i, 4);
			char f[256], h[256];
			if (!day && (!bd || !strcmp(bd, d->birth_date)))
				continue; /* read with the day */
			if (day && (!d->nationality || (nat && !strcmp(nat, d->nationality)))) {
				latin_fold(sur, f, sizeof(f));
				if (f[0] && fsur[0] ? !strcmp(f, fsur) : same_name(sur, d->surnames)) {
					if (same_name(given, d->given_names) && !full++)
						full_id = store_rows_int(r, i, 0);
					if (n++ < 8) {
						m->why[m->ncand] = "same_birth_date_and_surnames";
						m->cand[m->ncand++] = store_rows_int(r, i, 0);
					}
					continue;
				}
			}
			if (nalike == 8 || (!day && !births_compatible(bd, d->birth_date)))
				continue;
			/* given names alike (most rows end here), then surnames */
			latin_fold(given, f, sizeof(f));
			if (f[0] && fgiven[0]) {
				holder_key(f, h, sizeof(h));
				/* or one cut short from the other, as an MRZ cuts
				 * long names (MAXIMILIANO A): the renewal read by
				 * its MRZ was a new person, flagged beside nobody */
				size_t lh = strlen(h), lg = strlen(hgiven);
				if (strncmp(h, hgiven, lh < lg ? lh : lg))
					continue;
			} else if (!given_alike(given, d->given_names)) {
				continue;
			}
			if (surnames_alike(sur, d->surnames))
				alike[nalike++] = store_rows_int(r, i, 0);
		}
		store_rows_free(&r);
		/* a nationality nobody stated agrees with none: the same names
		 * and birth date of a Mexican passport linked it to the
		 * American on file (flagged below instead) */
		bool one = n == 1 && full == 1;
		/* several records, but one traveler: a supervisor linked them
		 * (María José and MARIA of her MRZ, reviewed «same»), and her
		 * next passport was a third record flagged beside both, read
		 * at the exit as never having entered */
		if (!one && full >= 1 && n <= 8 && d->nationality && *d->nationality &&
		    (rc = one_traveler(q, m->cand, n, &one, err)))
			return rc;
		if (one && d->nationality && *d->nationality) {
			m->kind = MATCH_RENEWAL;
			m->person_id = full_id;
			m->ncand = 0;
			return 0;
		}
	}
	for (int i = 0; i < nalike && m->ncand < 8; i++) {
		m->why[m->ncand] = "similar_names_and_birth_date";
		m->cand[m->ncand++] = alike[i];
	}
	if (m->ncand > 0)
		m->kind = MATCH_DUPLICATES;
	return 0;
}

int persons_holder(struct store *s, const struct persons_doc *d,
		   int64_t *person_id, bool *holder_differs,
		   struct sigm_error *err)
{
	*person_id = 0;
	if (holder_differs)
		*holder_differs = false;
	if (!d->number || !*d->number || !d->issuing_state || !*d->issuing_state ||
	    !d->kind)
		return 0;
	struct src q = {.s = s};
	struct match m;
	int rc = match(&q, d, &m, err);
	if (rc == 0 && (m.kind == MATCH_DOCUMENT || m.kind == MATCH_RENEWAL))
		*person_id = m.person_id;
	if (rc == 0 && holder_differs)
		*holder_differs = m.kind == MATCH_DOCUMENT && m.holder_differs;
	return rc;
}

/* Nobody without a document is linked to a person on file, whatever their
 * data: what they say is all there is, and a namesake's history is not
 * theirs.  A person of their own, flagged beside everyone whose data agree
 * (the one a document would have been a renewal of too), for a supervisor
 * to review; no document record. */
static int resolve_undocumented(struct store_tx *tx, const struct persons_doc *d,
				struct persons_result *out, struct sigm_error *err)
{
	struct src q = {.tx = tx};
	struct match m;
	int rc = match(&q, d, &m, err);
	if (rc)
		return rc;
	if (m.kind == MATCH_RENEWAL) {
		m.cand[0] = m.person_id;
		m.why[0] = "same_birth_date_and_surnames";
		m.ncand = 1;
	}
	rc = new_person(tx, d, &out->person_id, err);
	out->person_created = 1;
	for (int i = 0; i < m.ncand && rc == 0; i++)
		rc = flag(tx, out->person_id, m.cand[i], m.why[i], err);
	out->duplicates_flagged = m.ncand;
	return rc;
}

static int resolve_document(struct store_tx *tx, const struct persons_doc *d,
			    struct persons_result *out, struct sigm_error *err);

/* The national number shown beside the document, once the traveler is
 * known (out->person_id): recorded as their document when nobody has it
 * on file; on file under other data, not theirs, and flagged beside its
 * holder as a document presented under other data is
 * (document_holder_differs: an officer decides, nothing is merged). */
static int keep_national(struct store_tx *tx, const struct persons_doc *d,
			 struct persons_result *out, struct sigm_error *err)
{
	if (!d->national_number || !*d->national_number || !d->national_state ||
	    !*d->national_state || !out->person_id)
		return 0;
	struct src q = {.tx = tx};
	struct match m;
	memset(&m, 0, sizeof(m));
	int rc = national_holder(&q, d, &m, err);
	if (rc || m.national_person == out->person_id)
		return rc;
	if (m.national_person) {
		if (!m.national_differs)
			return 0; /* another record with the traveler's data: left to the matching */
		if (out->holder_differs && out->holder_id == m.national_person)
			return 0; /* the DUI card itself, already flagged as the document */
		out->national_differs = 1;
		out->national_holder_id = m.national_person;
		out->duplicates_flagged++;
		return flag(tx, out->person_id, m.national_person, "document_holder_differs", err);
	}
	struct persons_doc nd = {.kind = "id_card", .number = d->national_number,
				 .issuing_state = d->national_state};
	int64_t id;
	return new_doc(tx, out->person_id, &nd, 0, &id, err);
}

int persons_resolve(struct store_tx *tx, const struct persons_doc *d,
		    struct persons_result *out, struct sigm_error *err)
{
	int rc = resolve_document(tx, d, out, err);
	return rc ? rc : keep_national(tx, d, out, err);
}

static int resolve_document(struct store_tx *tx, const struct persons_doc *d,
			    struct persons_result *out, struct sigm_error *err)
{
	memset(out, 0, sizeof(*out));
	if (d->kind && !strcmp(d->kind, "none"))
		return resolve_undocumented(tx, d, out, err);
	if (!d->number || !*d->number || !d->issuing_state || !*d->issuing_state ||
	    !d->kind)
		return sigm_error_set(err, SIGM_EINVAL, "document_incomplete",
				      "document_number",
				      "el documento requiere número, Estado emisor y tipo");
	struct src q = {.tx = tx};
	struct match m;
	int rc = match(&q, d, &m, err);
	if (rc)
		return rc;
	switch (m.kind) {
	case MATCH_DOCUMENT: {
		out->document_id = m.document_id;
		out->holder_differs = m.holder_differs;
		out->holder_id = m.cand[0];
		if (m.holder_differs && !m.person_id) {
			/* presented by somebody the records do not know with
			 * it: a person of their own, flagged beside the holder */
			rc = new_person(tx, d, &out->person_id, err);
			if (rc == 0)
				rc = flag(tx, out->person_id, m.cand[0], "document_holder_differs", err);
			out->person_created = 1;
			out->duplicates_flagged = 1;
			out->holder_differs = 1;
			return rc;
		}
		out->person_id = m.person_id;
		/* Written only when the expiry changed: a write per inspection
		 * dirtied one random page of documents for a last_seen_at that
		 * the inspections already record (persons_api derives it). */
		bool changed = d->expiry_date && *d->expiry_date &&
			       strcmp(m.expiry, d->expiry_date) && !m.holder_differs;
		/* presented by somebody else: the record on file is not
		 * rewritten from what they typed (the booth said so) */
		out->holder_differs = m.holder_differs;
		return changed ? touch_doc(tx, out->document_id, d->expiry_date, err) : 0;
	}
	case MATCH_RENEWAL:
		out->person_id = m.person_id;
		out->renewal = 1;
		out->document_created = 1;
		return new_doc(tx, m.person_id, d,
			       m.by_previous ? m.prev_doc : latest_doc(tx, m.person_id, d),
			       &out->document_id, err);
	case MATCH_PREV_DIFFERS:
	case MATCH_DUPLICATES:
		rc = new_person(tx, d, &out->person_id, err);
		out->person_created = 1;
		for (int i = 0; i < m.ncand && rc == 0; i++)
			rc = flag(tx, out->person_id, m.cand[i],
				  m.kind == MATCH_PREV_DIFFERS ? "previous_document_holder_differs"
							       : m.why[i], err);
		out->duplicates_flagged = m.ncand;
		break;
	case MATCH_NEW:
		rc = new_person(tx, d, &out->person_id, err);
		out->person_created = 1;
		break;
	}
	if (rc)
		return rc;
	out->document_created = 1;
	return new_doc(tx, out->person_id, d, 0, &out->document_id, err);
}

size_t persons_fold_like(const char *s, char *out, size_t cap)
{
	static const char from[] = PERSONS_FOLD_FROM, to[] = PERSONS_FOLD_TO;
	size_t n = 0, alnum = 0;
	if (cap < 3) {
		if (cap)
			out[0] = 0;
		return 0;
	}
	out[n++] = '%';
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && n + 2 < cap;) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
		for (size_t i = 1; i < len; i++)
			if (!p[i]) { /* cut short (a query string need not be UTF-8) */
				len = i;
				break;
			}
		char c = 0;
		if (*p < 0x80) {
			c = (char)toupper(*p);
		} else {
			/* the same character in FROM, counted in characters */
			size_t k = 0;
			for (const unsigned char *f = (const unsigned char *)from; *f; k++) {
				size_t fl = *f < 0x80 ? 1 : *f >= 0xE0 ? 3 : 2;
				if (fl == len && !memcmp(f, p, len)) {
					c = (char)toupper((unsigned char)to[k]);
					break;
				}
				f += fl;
			}
		}
		p += len;
		if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			out[n++] = c;
			alnum++;
		} else if (out[n - 1] != '%') {
			out[n++] = '%';
		}
	}
	if (out[n - 1] != '%')
		out[n++] = '%';
	out[n] = 0;
	return alnum;
}
