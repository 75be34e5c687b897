/*
 * test_paxlst.c - the PAXLST reader: golden files (tests/data/paxlst/, real
 * messages from GTAS, CBP, WCO, a UAE gateway), the segment reader (UNA,
 * release character, line folding, character sets) and one bad-input test
 * per error kind, each naming segment number and element.
 */
#include "api/paxlst_json.h"
#include "core/calendar.h"
#include "core/paxlst.h"
#include "core/utf8.h"
#include "harness.h"

#include <stdbool.h>

/* ---- helpers ---------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

static int parse(const char *s, struct paxlst_interchange *ix)
{
	return paxlst_parse(s, strlen(s), NULL, ix, NULL);
}

/* The diagnostic with this code, in errors (error) or warnings. */
static const struct paxlst_diag *find(const struct paxlst_interchange *ix,
				      bool error, const char *code)
{
	const struct paxlst_diag *d = error ? ix->errors : ix->warnings;
	unsigned n = error ? ix->n_errors : ix->n_warnings;
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(d[i].code, code))
			return &d[i];
	return NULL;
}

/* A valid interchange; the comment is each segment's number. */
static const char BASE[] =
	"UNA:+.? '"
	"UNB+UNOA:4+TA+SLVAPIS+240101:1200+R1'\n"   /* 1 */
	"UNH+M1+PAXLST:D:05B:UN:IATA'\n"            /* 2 */
	"BGM+745'\n"                                /* 3 */
	"NAD+MS+++OPS'\n"                           /* 4 */
	"TDT+20+TA101+++TA'\n"                      /* 5 */
	"LOC+125+GUA'\n"                            /* 6 */
	"DTM+189:2401011000:201'\n"                 /* 7 */
	"LOC+87+SAL'\n"                             /* 8 */
	"DTM+232:2401011045:201'\n"                 /* 9 */
	"NAD+FL+++PEREZ:ANA:MARIA'\n"               /* 10 */
	"ATT+2++F'\n"                               /* 11 */
	"DTM+329:850614'\n"                         /* 12 */
	"NAT+2+SLV'\n"                              /* 13 */
	"DOC+P+A1'\n"                               /* 14 */
	"DTM+36:300101'\n"                          /* 15 */
	"LOC+91+SLV'\n"                             /* 16 */
	"CNT+42:1'\n"                               /* 17 */
	"UNT+17+M1'\n"                              /* 18 */
	"UNZ+1+R1'\n";                              /* 19 */

/* BASE with the first `from` replaced by `to` (static buffer). */
static const char *with(const char *from, const char *to)
{
	static char buf[4096];
	const char *at = strstr(BASE, from);
	if (!at) {
		fprintf(stderr, "test bug: «%s» not in BASE\n", from);
		abort();
	}
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - BASE), BASE, to,
		 at + strlen(from));
	return buf;
}

#define T_DIAG(ix, error, code, seg, elem)                                  \
	do {                                                                \
		const struct paxlst_diag *t_d_ = find(&(ix), error, code);  \
		t_checks++;                                                 \
		if (!t_d_)                                                  \
			T_FAIL_("no %s «%s»", error ? "error" : "warning",  \
				code);                                      \
		T_EQ_INT(t_d_->segment, seg);                               \
		T_EQ_STR(t_d_->element, elem);                              \
		T_ASSERT(t_d_->message[0] != '\0');                         \
	} while (0)

/* ---- golden files ---------------------------------------------------- */

struct golden {
	const char *name;
	int rc;       /* paxlst_parse */
	unsigned errors, warnings;
};

/* What each real message holds is described in docs/paxlst.md. */
static const struct golden GOLDEN[] = {
	{"cbp_d05b_guide_example", 0, 0, 0},
	{"constructed_release_char_test", 0, 0, 1},
	{"gtas_airline2", 0, 0, 4},
	{"gtas_apisMessage", 0, 0, 0},
	{"gtas_multiple_flight_leg_apis", 0, 0, 1},
	{"gtas_Test1", 0, 1, 4},
	{"gtas_Test3", 0, 1, 3},
	{"uae_d05b_single_line", 0, 0, 3},
	{"wco_d02b_no_una_sample", 0, 7, 5},
	{NULL, 0, 0, 0},
};

static void t_golden(void)
{
	for (const struct golden *g = GOLDEN; g->name; g++) {
		char path[512], jpath[512];
		size_t len = 0, jlen = 0;
		struct paxlst_interchange ix;
		snprintf(path, sizeof(path), "%s/tests/data/paxlst/%s.edi",
			 t_srcdir(), g->name);
		snprintf(jpath, sizeof(jpath), "%s/tests/data/paxlst/%s.json",
			 t_srcdir(), g->name);
		char *buf = slurp(path, &len);
		if (!buf)
			T_FAIL_("cannot read %s", path);
		int rc = paxlst_parse(buf, len, NULL, &ix, NULL);
		json_t *j = paxlst_to_json(&ix);
		char *got = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (getenv("PAXLST_REGEN")) {
			FILE *f = fopen(jpath, "wb");
			if (f) {
				fprintf(f, "%s\n", got);
				fclose(f);
			}
		}
		char *want = slurp(jpath, &jlen);
		bool same = want && got && jlen == strlen(got) + 1 &&
			    !memcmp(want, got, jlen - 1);
		unsigned ne = ix.n_errors, nw = ix.n_warnings;
		free(got);
		free(want);
		json_decref(j);
		paxlst_release(&ix);
		free(buf);
		if (!same)
			T_FAIL_("%s: output differs from %s", g->name, jpath);
		T_EQ_INT(rc, g->rc);
		T_EQ_INT(ne, g->errors);
		T_EQ_INT(nw, g->warnings);
	}
}

/* A few facts from the golden files, spelled out so a regenerated golden
 * cannot silently change them. */
static void t_reference_facts(void)
{
	char path[512];
	size_t len;
	struct paxlst_interchange ix;

	snprintf(path, sizeof(path), "%s/tests/data/paxlst/%s", t_srcdir(),
		 "constructed_release_char_test.edi");
	char *buf = slurp(path, &len);
	T_ASSERT(buf);
	T_EQ_INT(paxlst_parse(buf, len, NULL, &ix, NULL), 0);
	free(buf);
	const struct paxlst_message *m = &ix.messages[0];
	T_EQ_STR(m->reporting_party, "HELP DESK: OPS");
	T_EQ_STR(m->persons[0].surnames, "O'CONNOR");
	T_EQ_STR(m->persons[0].given_names, "MARY+ANN JO");
	T_EQ_STR(m->persons[0].refs[0].value, "ABC?12");
	T_EQ_STR(m->persons[0].docs[0].number, "PA12345:6");
	T_EQ_INT(m->persons[1].role, PAXLST_CREW);
	T_EQ_STR(m->persons[1].function, "CR1");
	/* UNH+MSG0001+PAXLST:D:05B:UN:IATA+TA0101+01:F: the common access
	 * reference (0068) ties the parts of one list; 0070:0073 the part */
	T_EQ_STR(m->access_ref, "TA0101");
	T_EQ_STR(m->sequence, "01");
	T_EQ_STR(m->part_status, "F");
	paxlst_release(&ix);

	snprintf(path, sizeof(path), "%s/tests/data/paxlst/%s", t_srcdir(),
		 "gtas_Test3.edi");
	buf = slurp(path, &len);
	T_ASSERT(buf);
	T_EQ_INT(paxlst_parse(buf, len, NULL, &ix, NULL), 0);
	free(buf);
	T_EQ_INT(ix.messages[0].n_passengers, 260);
	T_EQ_STR(ix.messages[0].access_ref, "ABC01");
	T_EQ_STR(ix.messages[0].part_status, "C");
	T_EQ_INT(ix.messages[0].unt_declared, 99);
	T_EQ_INT(ix.messages[0].unt_seen, 3131);
	/* "Nov\x87k": a byte from a DOS code page in a UNOA message */
	T_DIAG(ix, true, "invalid_encoding", 852, "NAD+4");
	paxlst_release(&ix);
}

/* ---- segment reader -------------------------------------------------- */

static void t_una(void)
{
	struct paxlst_syntax s;
	const char *in = "\xEF\xBB\xBF  UNA:*.? $UNB*X$", *p = in;
	T_EQ_INT(paxlst_una(&p, in + strlen(in), &s, NULL), 0);
	T_ASSERT(s.una);
	T_EQ_INT(s.elem, '*');
	T_EQ_INT(s.term, '$');
	T_EQ_INT(s.release, '?');
	T_EQ_STR(p, "UNB*X$");

	in = "UNB+X'";
	p = in;
	T_EQ_INT(paxlst_una(&p, in + strlen(in), &s, NULL), 0);
	T_ASSERT(!s.una);
	T_EQ_INT(s.elem, '+');
	T_EQ_INT(s.term, '\'');
	T_EQ_STR(p, "UNB+X'");

	struct sigm_error e;
	in = "UNA:+.";
	p = in;
	T_EQ_INT(paxlst_una(&p, in + strlen(in), &s, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "invalid_una");
	in = "UNA::.? 'UNB";
	p = in;
	T_EQ_INT(paxlst_una(&p, in + strlen(in), &s, &e), SIGM_EINVAL);
	in = "UNA:A.? 'UNB";
	p = in;
	T_EQ_INT(paxlst_una(&p, in + strlen(in), &s, &e), SIGM_EINVAL);
	/* no release character: a space in its place */
	in = "UNA:+.  'X";
	p = in;
	T_EQ_INT(paxlst_una(&p, in + strlen(in), &s, &e), 0);
	T_EQ_INT(s.release, 0);
}

static void t_segments(void)
{
	struct paxlst_syntax s;
	struct paxlst_segment seg;
	struct sigm_error e;
	const char *in = "NAD+FL+++O?'CON\r\nNOR:A?:B??C?+D' \r\n UNT+2'";
	const char *p = in, *end = in + strlen(in);
	paxlst_syntax_default(&s);
	T_EQ_INT(paxlst_next_segment(&p, in, end, &s, &seg, &e), 1);
	T_EQ_STR(seg.tag, "NAD");
	T_EQ_INT(seg.n_elems, 4);
	T_EQ_STR(paxlst_seg_get(&seg, 1, 1), "FL");
	T_EQ_STR(paxlst_seg_get(&seg, 2, 1), "");
	T_EQ_STR(paxlst_seg_get(&seg, 4, 1), "O'CONNOR");
	T_EQ_STR(paxlst_seg_get(&seg, 4, 2), "A:B?C+D");
	T_EQ_STR(paxlst_seg_get(&seg, 4, 3), "");
	T_EQ_STR(paxlst_seg_get(&seg, 9, 1), "");
	T_EQ_INT(paxlst_seg_ncomp(&seg, 4), 2);
	T_EQ_INT(paxlst_next_segment(&p, in, end, &s, &seg, &e), 1);
	T_EQ_STR(seg.tag, "UNT");
	T_EQ_INT(seg.offset, (size_t)(strstr(in, "UNT") - in));
	T_EQ_INT(paxlst_next_segment(&p, in, end, &s, &seg, &e), 0);

	/* errors, and the reader goes on after them */
	in = "N1+X'nad+Y'BGM+74";
	p = in;
	end = in + strlen(in);
	T_EQ_INT(paxlst_next_segment(&p, in, end, &s, &seg, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "invalid_tag");
	T_EQ_INT(paxlst_next_segment(&p, in, end, &s, &seg, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "invalid_tag");
	T_EQ_INT(paxlst_next_segment(&p, in, end, &s, &seg, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "truncated");
	T_EQ_INT(p == end, 1);

	in = "FTX+A?";
	p = in;
	T_EQ_INT(paxlst_next_segment(&p, in, in + strlen(in), &s, &seg, &e),
		 SIGM_EINVAL);
	T_EQ_STR(e.code, "truncated");

	static char big[PAXLST_SEG_TEXT + 64];
	memset(big, 'A', sizeof(big) - 1);
	memcpy(big, "FTX+", 4);
	big[sizeof(big) - 2] = '\'';
	p = big;
	T_EQ_INT(paxlst_next_segment(&p, big, big + strlen(big), &s, &seg, &e),
		 SIGM_EINVAL);
	T_EQ_STR(e.code, "too_long");
	T_EQ_STR(e.field, "FTX+1");

	char many[256] = "FTX";
	for (int i = 0; i < PAXLST_MAX_ELEMS + 1; i++)
		strcat(many, "+");
	strcat(many, "'");
	p = many;
	T_EQ_INT(paxlst_next_segment(&p, many, many + strlen(many), &s, &seg,
				     &e),
		 SIGM_EINVAL);
	T_EQ_STR(e.code, "too_many_elements");
}

static void t_charsets(void)
{
	struct paxlst_syntax s;
	struct paxlst_segment seg;
	const char *in = "NAD+FL+++MU\xD1OZ'", *p = in;
	paxlst_syntax_default(&s);
	s.latin1 = true;
	T_EQ_INT(paxlst_next_segment(&p, in, in + strlen(in), &s, &seg, NULL),
		 1);
	T_EQ_STR(paxlst_seg_get(&seg, 4, 1), "MU\xC3\x91OZ");
	T_ASSERT(!seg.bad_chars);

	s.latin1 = false;
	p = in;
	T_EQ_INT(paxlst_next_segment(&p, in, in + strlen(in), &s, &seg, NULL),
		 1);
	T_ASSERT(seg.bad_chars);
	T_EQ_INT(seg.bad_elem, 4);
	T_EQ_INT(seg.bad_comp, 1);
	T_EQ_STR(paxlst_seg_get(&seg, 4, 1), "MU\xEF\xBF\xBDOZ");

	/* valid UTF-8 passes; overlong and surrogate forms do not */
	in = "NAD+FL+++MU\xC3\x91OZ:\xE0\x80\xAF'";
	p = in;
	T_EQ_INT(paxlst_next_segment(&p, in, in + strlen(in), &s, &seg, NULL),
		 1);
	T_EQ_STR(paxlst_seg_get(&seg, 4, 1), "MU\xC3\x91OZ");
	T_ASSERT(seg.bad_chars);
	T_EQ_INT(seg.bad_comp, 2);

	/* the whole interchange in UNOC */
	struct paxlst_interchange ix;
	const char *unoc = with("UNOA", "UNOC");
	static char b2[4096];
	const char *at = strstr(unoc, "PEREZ");
	snprintf(b2, sizeof(b2), "%.*sP\xC9REZ%s", (int)(at - unoc), unoc,
		 at + 5);
	T_EQ_INT(parse(b2, &ix), 0);
	T_EQ_STR(ix.messages[0].persons[0].surnames, "P\xC3\x89REZ");
	T_EQ_INT(ix.n_errors, 0);
	paxlst_release(&ix);
}

/* ---- the interchange: a valid one, then one test per error kind ---- */

static void t_valid(void)
{
	struct paxlst_interchange ix;
	T_EQ_INT(parse(BASE, &ix), 0);
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_INT(ix.n_warnings, 0);
	T_EQ_INT(ix.n_segments, 19);
	T_EQ_STR(ix.reference, "R1");
	T_EQ_INT(ix.n_messages, 1);
	const struct paxlst_message *m = &ix.messages[0];
	T_EQ_INT(m->unt_seen, 17);
	T_EQ_INT(m->unt_declared, 17);
	const struct paxlst_leg *l = paxlst_flight(m);
	T_EQ_STR(l->flight, "TA101");
	T_EQ_STR(l->carrier, "TA");
	T_EQ_STR(l->dep_port, "GUA");
	T_EQ_STR(l->arr_port, "SAL");
	char t[17];
	paxlst_time_format(&l->arr, t);
	T_EQ_STR(t, "2024-01-01T10:45");
	const struct paxlst_person *p = &m->persons[0];
	T_EQ_STR(p->surnames, "PEREZ");
	T_EQ_STR(p->given_names, "ANA MARIA");
	T_EQ_STR(p->sex, "F");
	char d[11];
	cal_format(p->birth_date, d);
	T_EQ_STR(d, "1985-06-14");
	cal_format(p->docs[0].expiry, d);
	T_EQ_STR(d, "2030-01-01");
	T_EQ_STR(p->docs[0].issuing_state, "SLV");
	T_EQ_STR(p->nationality, "SLV");
	paxlst_release(&ix);
}

/* Two-digit birth years: 20YY unless after the interchange date. */
static void t_century(void)
{
	struct paxlst_interchange ix;
	char d[11];
	T_EQ_INT(parse(with("DTM+329:850614", "DTM+329:231231"), &ix), 0);
	cal_format(ix.messages[0].persons[0].birth_date, d);
	T_EQ_STR(d, "2023-12-31");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+329:850614", "DTM+329:240102"), &ix), 0);
	cal_format(ix.messages[0].persons[0].birth_date, d);
	T_EQ_STR(d, "1924-01-02");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+329:850614", "DTM+329:19850614:102"), &ix), 0);
	cal_format(ix.messages[0].persons[0].birth_date, d);
	T_EQ_STR(d, "1985-06-14");
	T_EQ_INT(ix.n_errors, 0);
	paxlst_release(&ix);
}

static void t_truncated(void)
{
	struct paxlst_interchange ix;
	char buf[4096];
	/* cut inside DOC (segment 14) */
	snprintf(buf, sizeof(buf), "%.*s", (int)(strstr(BASE, "DOC+P") - BASE + 5),
		 BASE);
	T_EQ_INT(parse(buf, &ix), 0);
	T_DIAG(ix, true, "truncated", 14, "");
	T_EQ_INT(ix.messages[0].closed, 0);
	T_EQ_INT(ix.messages[0].n_passengers, 1);
	paxlst_release(&ix);

	/* whole segments, but no UNT nor UNZ */
	snprintf(buf, sizeof(buf), "%.*s", (int)(strstr(BASE, "UNT") - BASE),
		 BASE);
	T_EQ_INT(parse(buf, &ix), 0);
	T_EQ_INT(ix.n_errors, 2);
	T_EQ_INT(ix.errors[0].segment, 18);
	T_EQ_STR(ix.errors[0].code, "truncated");
	paxlst_release(&ix);

	/* a second UNH before the first UNT */
	T_EQ_INT(parse(with("UNT+17+M1'\n", "UNH+M2+PAXLST:D:05B:UN:IATA'\n"),
		       &ix),
		 0);
	T_DIAG(ix, true, "truncated", 18, "");
	T_EQ_INT(ix.n_messages, 2);
	paxlst_release(&ix);

	/* a release character as the very last byte */
	T_EQ_INT(parse(with("UNZ+1+R1'\n", "UNZ+1+R1?"), &ix), 0);
	T_DIAG(ix, true, "truncated", 19, "");
	paxlst_release(&ix);
}

static void t_counts(void)
{
	struct paxlst_interchange ix;
	T_EQ_INT(parse(with("UNT+17", "UNT+16"), &ix), 0);
	T_DIAG(ix, false, "count_mismatch", 18, "UNT+1");
	T_EQ_INT(ix.n_errors, 0); /* a warning: the manifest is kept */
	paxlst_release(&ix);

	T_EQ_INT(parse(with("CNT+42:1", "CNT+42:3"), &ix), 0);
	T_DIAG(ix, false, "count_mismatch", 18, "");
	paxlst_release(&ix);

	T_EQ_INT(parse(with("UNZ+1+R1", "UNZ+2+R1"), &ix), 0);
	T_DIAG(ix, false, "count_mismatch", 19, "UNZ+1");
	paxlst_release(&ix);

	T_EQ_INT(parse(with("UNZ+1+R1", "UNZ+1+R2"), &ix), 0);
	T_DIAG(ix, false, "reference_mismatch", 19, "UNZ+2");
	paxlst_release(&ix);

	T_EQ_INT(parse(with("UNT+17+M1", "UNT+17+M9"), &ix), 0);
	T_DIAG(ix, false, "reference_mismatch", 18, "UNT+2");
	paxlst_release(&ix);

	/* a count that is no number is an error */
	T_EQ_INT(parse(with("CNT+42:1", "CNT+42+1"), &ix), 0);
	T_DIAG(ix, true, "invalid_count", 17, "CNT+1:2");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("UNT+17", "UNT+X"), &ix), 0);
	T_DIAG(ix, true, "invalid_count", 18, "UNT+1");
	paxlst_release(&ix);
}

static void t_unknown_qualifiers(void)
{
	struct paxlst_interchange ix;
	T_EQ_INT(parse(with("NAD+FL", "NAD+ZZ"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 10, "NAD+1");
	T_EQ_INT(ix.messages[0].n_persons, 0);
	T_EQ_INT(ix.n_errors, 1); /* its ATT, DTM... are not errors again */
	paxlst_release(&ix);

	T_EQ_INT(parse(with("DTM+329", "DTM+999"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 12, "DTM+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("LOC+125", "LOC+999"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 6, "LOC+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("LOC+91", "LOC+99"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 16, "LOC+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("ATT+2", "ATT+3"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 11, "ATT+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("BGM+745", "BGM+999"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 3, "BGM+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("CNT+42", "CNT+43"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 17, "CNT+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("TDT+20", "TDT+21"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 5, "TDT+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("NAT+2", "NAT+7"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 13, "NAT+1");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+36:300101", "DTM+36:300101:999"), &ix), 0);
	T_DIAG(ix, true, "unknown_qualifier", 15, "DTM+1:3");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("ATT+2++F", "ATT+2++Q"), &ix), 0);
	T_DIAG(ix, true, "invalid_value", 11, "ATT+3");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("UNH+M1+PAXLST", "UNH+M1+CUSRES"), &ix), 0);
	T_DIAG(ix, true, "unsupported_message", 2, "UNH+2");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("D:05B", "D:99A"), &ix), 0);
	T_DIAG(ix, false, "unsupported_version", 2, "UNH+2:3");
	paxlst_release(&ix);
}

static void t_bad_dates(void)
{
	struct paxlst_interchange ix;
	T_EQ_INT(parse(with("DTM+329:850614", "DTM+329:851314"), &ix), 0);
	T_DIAG(ix, true, "invalid_date", 12, "DTM+1:2");
	T_EQ_INT(ix.messages[0].persons[0].birth_date, CAL_NONE);
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+36:300101", "DTM+36:290230"), &ix), 0);
	T_DIAG(ix, true, "invalid_date", 15, "DTM+1:2");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+189:2401011000:201", "DTM+189:2401012500:201"),
		       &ix),
		 0);
	T_DIAG(ix, true, "invalid_date", 7, "DTM+1:2");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+189:2401011000:201", "DTM+189:24010110:201"),
		       &ix),
		 0);
	T_DIAG(ix, true, "invalid_date", 7, "DTM+1:2");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+36:300101", "DTM+36:'"), &ix), 0);
	T_DIAG(ix, true, "invalid_date", 15, "DTM+1:2");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("DTM+36:300101", "DTM+36:30O101"), &ix), 0);
	T_DIAG(ix, true, "invalid_date", 15, "DTM+1:2");
	paxlst_release(&ix);
	T_EQ_INT(parse(with("240101:1200", "241301:1200"), &ix), 0);
	T_DIAG(ix, true, "invalid_date", 1, "UNB+4");
	paxlst_release(&ix);
}

/* Released separators are data, not structure: a "+" inside a name must
 * not shift the elements after it. */
static void t_escaped_separators(void)
{
	struct paxlst_interchange ix;
	T_EQ_INT(parse(with("NAD+FL+++PEREZ:ANA:MARIA",
			    "NAD+FL+++PE?+REZ?:X:ANA?'S"),
		       &ix),
		 0);
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_STR(ix.messages[0].persons[0].surnames, "PE+REZ:X");
	T_EQ_STR(ix.messages[0].persons[0].given_names, "ANA'S");
	paxlst_release(&ix);
	/* the release character released */
	T_EQ_INT(parse(with("DOC+P+A1", "DOC+P+A??1"), &ix), 0);
	T_EQ_STR(ix.messages[0].persons[0].docs[0].number, "A?1");
	paxlst_release(&ix);
	/* with another UNA, '?' is ordinary and '!' releases */
	const char *s = with("UNA:+.? '", "UNA:+.! '");
	static char b[4096];
	snprintf(b, sizeof(b), "%s", s);
	char *at = strstr(b, "DOC+P+A1");
	memcpy(at, "DOC+P+?1", 8);
	T_EQ_INT(parse(b, &ix), 0);
	T_EQ_STR(ix.messages[0].persons[0].docs[0].number, "?1");
	paxlst_release(&ix);
	memcpy(at, "DOC+P+!+", 8);
	T_EQ_INT(parse(b, &ix), 0);
	T_EQ_STR(ix.messages[0].persons[0].docs[0].number, "+");
	T_EQ_INT(ix.n_errors, 0);
	paxlst_release(&ix);
}

static void t_non_utf8(void)
{
	struct paxlst_interchange ix;
	T_EQ_INT(parse(with("PEREZ:ANA:MARIA", "PEREZ:ANA:MAR\xED" "A"), &ix), 0);
	T_DIAG(ix, true, "invalid_encoding", 10, "NAD+4:3");
	T_EQ_STR(ix.messages[0].persons[0].given_names, "ANA MAR\xEF\xBF\xBD" "A");
	paxlst_release(&ix);
	/* valid UTF-8 in a UNOA message: a warning, the name is kept */
	T_EQ_INT(parse(with("PEREZ:ANA:MARIA", "P\xC3\x89REZ:ANA"), &ix), 0);
	T_EQ_INT(ix.n_errors, 0);
	T_DIAG(ix, false, "charset", 10, "NAD+4");
	paxlst_release(&ix);
}

static void t_flight_in_past(void)
{
	struct paxlst_interchange ix;
	struct paxlst_options o;
	const char *s = BASE;
	paxlst_options_init(&o);
	o.now_day = cal_from_ymd(2024, 1, 1);
	o.now_minute = 11 * 60; /* after the 10:45 arrival */
	T_EQ_INT(paxlst_parse(s, strlen(s), &o, &ix, NULL), 0);
	T_DIAG(ix, true, "flight_in_past", 9, "DTM+1:2");
	paxlst_release(&ix);
	o.now_minute = 10 * 60; /* in the air: still useful */
	T_EQ_INT(paxlst_parse(s, strlen(s), &o, &ix, NULL), 0);
	T_EQ_INT(ix.n_errors, 0);
	paxlst_release(&ix);
}

static void t_structure(void)
{
	struct paxlst_interchange ix;
	/* a DOC without a number is that traveler's warning, not an error
	 * of the message: the list is still good for the others */
	T_EQ_INT(parse(with("DOC+P+A1", "DOC+P"), &ix), 0);
	T_DIAG(ix, false, "missing_document_number", 14, "DOC+2");
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_INT(ix.messages[0].n_persons, 1);
	T_EQ_INT(ix.messages[0].persons[0].n_docs, 1);
	T_EQ_STR(ix.messages[0].persons[0].docs[0].number, "");
	T_EQ_STR(ix.messages[0].persons[0].docs[0].type, "P");
	paxlst_release(&ix);
	/* ... an empty number element too, its DTM and LOC still the DOC's */
	T_EQ_INT(parse(with("DOC+P+A1", "DOC+P+:::"), &ix), 0);
	T_DIAG(ix, false, "missing_document_number", 14, "DOC+2");
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_INT(ix.messages[0].persons[0].docs[0].expiry,
		 cal_from_ymd(2030, 1, 1));
	paxlst_release(&ix);
	/* an entirely empty DOC is a DOC without a number: the one warning,
	 * not the refusal of the list that a missing type was */
	T_EQ_INT(parse(with("DOC+P+A1", "DOC"), &ix), 0);
	T_DIAG(ix, false, "missing_document_number", 14, "DOC+2");
	T_ASSERT(!find(&ix, false, "missing_document_type"));
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_INT(ix.n_warnings, 1);
	T_EQ_INT(ix.messages[0].persons[0].n_docs, 1);
	T_EQ_STR(ix.messages[0].persons[0].docs[0].type, "");
	paxlst_release(&ix);
	/* a number without a type: kept, the type's absence warned */
	T_EQ_INT(parse(with("DOC+P+A1", "DOC++X1234567"), &ix), 0);
	T_DIAG(ix, false, "missing_document_type", 14, "DOC+1");
	T_ASSERT(!find(&ix, false, "missing_document_number"));
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_INT(ix.n_warnings, 1);
	T_EQ_STR(ix.messages[0].persons[0].docs[0].number, "X1234567");
	T_EQ_STR(ix.messages[0].persons[0].docs[0].type, "");
	T_EQ_INT(ix.messages[0].persons[0].docs[0].expiry,
		 cal_from_ymd(2030, 1, 1));
	paxlst_release(&ix);
	/* a traveler without any DOC: nothing the reader must say (SG DOC
	 * is conditional in PAXLST); the ingest warns for its list */
	T_EQ_INT(parse(with("DOC+P+A1'\nDTM+36:300101'\nLOC+91+SLV", "FTX+AAI+++X"), &ix), 0);
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_INT(ix.messages[0].persons[0].n_docs, 0);
	paxlst_release(&ix);
	/* a missing surname is still an error */
	T_EQ_INT(parse(with("PEREZ:ANA:MARIA", ":ANA"), &ix), 0);
	T_DIAG(ix, true, "missing_element", 10, "NAD+4");
	paxlst_release(&ix);
	/* a leg after the persons */
	T_EQ_INT(parse(with("CNT+42:1", "TDT+20+XX1"), &ix), 0);
	T_DIAG(ix, true, "unexpected_segment", 17, "");
	paxlst_release(&ix);
	/* an expiry date before any DOC */
	T_EQ_INT(parse(with("DTM+329:850614", "DTM+36:300101"), &ix), 0);
	T_DIAG(ix, true, "unexpected_segment", 12, "DTM+1");
	paxlst_release(&ix);
	/* no UNB */
	T_EQ_INT(parse(with("UNB+UNOA:4+TA+SLVAPIS+240101:1200+R1'\n", ""),
		       &ix),
		 0);
	T_DIAG(ix, true, "missing_segment", 1, "");
	paxlst_release(&ix);
	/* junk after UNZ */
	T_EQ_INT(parse(with("UNZ+1+R1'\n", "UNZ+1+R1'\n13Nov09"), &ix), 0);
	T_DIAG(ix, false, "trailing_data", 19, "");
	paxlst_release(&ix);
	/* two messages in one interchange, in a group */
	static char two[8192];
	const char *b = BASE;
	const char *h = strstr(b, "UNH"), *z = strstr(b, "UNZ");
	snprintf(two, sizeof(two), "%.*sUNG+PAXLST+TA+SLV+240101:1200+G1+UN+D:05B'%.*s%.*sUNE+2+G1'UNZ+1+R1'",
		 (int)(h - b), b, (int)(z - h), h, (int)(z - h), h);
	T_EQ_INT(parse(two, &ix), 0);
	T_EQ_INT(ix.n_messages, 2);
	T_EQ_INT(ix.n_groups, 1);
	T_EQ_INT(ix.n_errors, 0);
	T_EQ_INT(ix.n_warnings, 0);
	T_EQ_INT(ix.messages[1].segment, 20); /* UNB, UNG, 17 of the first */
	paxlst_release(&ix);
}

/* APIS through a SITA/ARINC gateway: Type-B address lines first. */
static void t_type_b_envelope(void)
{
	struct paxlst_interchange ix;
	static char b[4096];
	snprintf(b, sizeof(b), "QU SALAPXH\r\n.HDQFMTA 011200\r\n%s", BASE);
	T_EQ_INT(parse(b, &ix), 0);
	T_EQ_INT(ix.n_errors, 0);
	T_DIAG(ix, false, "type_b_envelope", 0, "");
	T_EQ_INT(ix.messages[0].n_passengers, 1);
	T_EQ_INT(ix.n_segments, 19); /* numbering starts at UNB all the same */
	paxlst_release(&ix);

	const char *p = "junk UNB+X'", *q = p;
	T_EQ_INT(paxlst_skip_typeb(&q, p + strlen(p)), 0); /* not at a line start */
	T_ASSERT(q == p);
	p = "QU \x01X\nUNB+X'";
	q = p;
	T_EQ_INT(paxlst_skip_typeb(&q, p + strlen(p)), 0); /* not teletype text */
	p = "  UNB+X'";
	q = p;
	T_EQ_INT(paxlst_skip_typeb(&q, p + strlen(p)), 0);
	p = "QU A\nUNB+X'";
	q = p;
	T_EQ_INT(paxlst_skip_typeb(&q, p + strlen(p)), 5);
	T_EQ_STR(q, "UNB+X'");
}

static void t_unusable(void)
{
	struct paxlst_interchange ix;
	struct sigm_error e;
	T_EQ_INT(paxlst_parse("", 0, NULL, &ix, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "not_edifact");
	paxlst_release(&ix);
	T_EQ_INT(paxlst_parse("{\"a\":1}", 7, NULL, &ix, &e), SIGM_EINVAL);
	T_EQ_INT(ix.n_errors, 1);
	paxlst_release(&ix);
	T_EQ_INT(paxlst_parse("UNA:+", 5, NULL, &ix, &e), SIGM_EINVAL);
	T_EQ_STR(e.code, "invalid_una");
	paxlst_release(&ix);
	T_EQ_INT(paxlst_parse(BASE, PAXLST_MAX_INPUT + 1u, NULL, &ix, &e),
		 SIGM_ETOOBIG);
	paxlst_release(&ix);
	/* too many persons: refused whole, never half-read */
	size_t cap = 64u * (PAXLST_MAX_PERSONS + 10);
	char *big = malloc(cap);
	T_ASSERT(big);
	size_t n = (size_t)snprintf(big, cap, "%s",
				    "UNB+UNOA:4+A+B+240101:1200+R'UNH+M+PAXLST:D:05B:UN:IATA'TDT+20+X1'");
	for (int i = 0; i <= PAXLST_MAX_PERSONS; i++)
		n += (size_t)snprintf(big + n, cap - n, "NAD+FL+++A'");
	int rc = paxlst_parse(big, n, NULL, &ix, &e);
	free(big);
	T_EQ_INT(rc, SIGM_ETOOBIG);
	paxlst_release(&ix);
	/* many broken segments: the diagnostics stop at the cap */
	cap = 16u * (PAXLST_MAX_DIAGS + 10);
	big = malloc(cap);
	T_ASSERT(big);
	n = (size_t)snprintf(big, cap, "%s",
			     "UNB+UNOA:4+A+B+240101:1200+R'UNH+M+PAXLST:D:05B:UN:IATA'");
	for (int i = 0; i < PAXLST_MAX_DIAGS + 5; i++)
		n += (size_t)snprintf(big + n, cap - n, "XYZ'");
	rc = paxlst_parse(big, n, NULL, &ix, &e);
	free(big);
	T_EQ_INT(rc, 0);
	T_EQ_INT(ix.n_errors, PAXLST_MAX_DIAGS);
	T_ASSERT(ix.diags_truncated);
	paxlst_release(&ix);
}

static bool utf8_ok(const char *s)
{
	return utf8_valid(s, strlen(s));
}

/* Inputs the fuzzer found (tests/data/paxlst/fuzz_*.bin): reading them
 * once overflowed a quote past the end of the input, cut a UTF-8
 * character in a message and in a carrier code taken from a flight. */
static void t_fuzz_regressions(void)
{
	static const char *const names[] = {"fuzz_tag_quote_past_end",
					    "fuzz_cut_utf8_in_message",
					    "fuzz_carrier_cut_utf8", NULL};
	for (const char *const *n = names; *n; n++) {
		char path[512];
		size_t len = 0;
		struct paxlst_interchange ix;
		snprintf(path, sizeof(path), "%s/tests/data/paxlst/%s.bin",
			 t_srcdir(), *n);
		char *buf = slurp(path, &len);
		T_ASSERT(buf);
		/* exactly len bytes: no NUL after them to hide an over-read */
		char *exact = malloc(len ? len : 1);
		T_ASSERT(exact);
		memcpy(exact, buf, len);
		free(buf);
		paxlst_parse(exact, len, NULL, &ix, NULL);
		free(exact);
		for (unsigned i = 0; i < ix.n_errors; i++)
			T_ASSERT(utf8_ok(ix.errors[i].message));
		for (unsigned i = 0; i < ix.n_warnings; i++)
			T_ASSERT(utf8_ok(ix.warnings[i].message));
		for (unsigned i = 0; i < ix.n_messages; i++) {
			T_ASSERT(utf8_ok(ix.messages[i].version));
			for (unsigned k = 0; k < ix.messages[i].n_legs; k++)
				T_ASSERT(utf8_ok(ix.messages[i].legs[k].carrier));
		}
		paxlst_release(&ix);
	}
	char cut[] = "ab\xC3\x91\xC3";
	utf8_fix(cut);
	T_EQ_STR(cut, "ab\xC3\x91?");
}

static const struct t_case cases[] = {
	T(t_golden),
	T(t_reference_facts),
	T(t_una),
	T(t_segments),
	T(t_charsets),
	T(t_valid),
	T(t_century),
	T(t_truncated),
	T(t_counts),
	T(t_unknown_qualifiers),
	T(t_bad_dates),
	T(t_escaped_separators),
	T(t_non_utf8),
	T(t_flight_in_past),
	T(t_structure),
	T(t_type_b_envelope),
	T(t_unusable),
	T(t_fuzz_regressions),
	{0},
};
T_MAIN(cases)
