/*
 * paxlst_lex.c - the EDIFACT segment reader under paxlst.c: UNA, separators,
 * the release character, character sets.  See paxlst.h, layer 1.
 *
 * It writes into a fixed struct paxlst_segment and never allocates, so a
 * hostile interchange costs at most one pass over its bytes.
 */
#include "core/paxlst.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

void paxlst_syntax_default(struct paxlst_syntax *s)
{
	memset(s, 0, sizeof(*s));
	s->comp = ':';
	s->elem = '+';
	s->decimal = '.';
	s->release = '?';
	s->reserved = ' ';
	s->term = '\'';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

/* White space is skipped between segments unless the sender made it a
 * separator (a UNA may, in principle, choose a space as terminator). */
static const char *skip_space(const char *q, const char *end,
			      const struct paxlst_syntax *s)
{
	while (q < end && is_space(*q) && *q != s->term && *q != s->elem)
		q++;
	return q;
}

int paxlst_una(const char **p, const char *end, struct paxlst_syntax *s,
	       struct sigm_error *err)
{
	const char *q = *p;

	paxlst_syntax_default(s);
	if (end - q >= 3 && (unsigned char)q[0] == 0xEF &&
	    (unsigned char)q[1] == 0xBB && (unsigned char)q[2] == 0xBF)
		q += 3;
	q = skip_space(q, end, s);
	*p = q;
	if (end - q < 3 || memcmp(q, "UNA", 3) != 0)
		return 0;
	if (end - q < 9)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_una", "UNA",
				      "UNA incompleto: se esperan 6 caracteres de servicio");
	const char *c = q + 3;
	/* Order fixed by ISO 9735: component, element, decimal, release,
	 * reserved (repetition from version 4), terminator. */
	char v[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
	for (int i = 0; i < 6; i++) {
		/* decimal mark, release and reserved may be a space ("not used") */
		bool may_space = i == 2 || i == 3 || i == 4;
		if (is_alnum(v[i]) || (v[i] == ' ' && !may_space) ||
		    v[i] == '\0' || v[i] == '\r' || v[i] == '\n')
			return sigm_error_set(err, SIGM_EINVAL, "invalid_una", "UNA",
					      "UNA: carácter de servicio %d no válido (0x%02x)",
					      i + 1, (unsigned char)v[i]);
		for (int j = 0; j < i; j++)
			if (v[j] == v[i] && v[i] != ' ')
				return sigm_error_set(err, SIGM_EINVAL, "invalid_una",
						      "UNA",
						      "UNA: el carácter «%c» se usa para dos funciones",
						      v[i]);
	}
	s->comp = v[0];
	s->elem = v[1];
	s->decimal = v[2];
	s->release = v[3] == ' ' ? '\0' : v[3];
	s->reserved = v[4];
	s->term = v[5];
	s->una = true;
	*p = q + 9;
	return 0;
}

static bool starts_interchange(const char *q, const char *end)
{
	return end - q >= 3 &&
	       (!memcmp(q, "UNA", 3) || !memcmp(q, "UNB", 3));
}

size_t paxlst_skip_typeb(const char **p, const char *end)
{
	const char *start = *p, *q = start;
	if (end - q >= 3 && (unsigned char)q[0] == 0xEF &&
	    (unsigned char)q[1] == 0xBB && (unsigned char)q[2] == 0xBF)
		q += 3;
	while (q < end && is_space(*q))
		q++;
	if (q >= end || starts_interchange(q, end))
		return 0;
	const char *limit = end - q > 4096 ? q + 4096 : end;
	for (; q < limit; q++) {
		unsigned char c = (unsigned char)*q;
		if (c == '\n') {
			const char *l = q + 1;
			while (l < end && (*l == ' ' || *l == '\t' || *l == '\r'))
				l++;
			if (starts_interchange(l, end)) {
				*p = l;
				return (size_t)(l - start);
			}
			continue;
		}
		if (c != '\r' && c != '\t' && (c < 0x20 || c > 0x7E))
			return 0; /* not a teletype envelope */
	}
	return 0;
}

/* Where a faulty segment ends: past the next terminator that is not
 * released, or end. */
static const char *skip_segment(const char *q, const char *end,
				const struct paxlst_syntax *s)
{
	while (q < end) {
		if (s->release && *q == s->release) {
			q += q + 1 < end ? 2 : 1;
			continue;
		}
		if (*q++ == s->term)
			break;
	}
	return q;
}

static void elem_name(char *buf, size_t cap, const char *tag, unsigned e,
		      unsigned c)
{
	if (c > 1)
		snprintf(buf, cap, "%s+%u:%u", tag, e, c);
	else
		snprintf(buf, cap, "%s+%u", tag, e);
}

/* Starts a new component; false when the segment has too many. */
static bool new_comp(struct paxlst_segment *seg, size_t *len)
{
	if (seg->n_comps >= PAXLST_MAX_COMPS || *len >= PAXLST_SEG_TEXT)
		return false;
	seg->text[(*len)++] = '\0'; /* ends the previous value */
	seg->comp_off[seg->n_comps++] = (uint16_t)*len;
	seg->elem_ncomp[seg->n_elems - 1]++;
	return true;
}

static bool new_elem(struct paxlst_segment *seg, size_t *len)
{
	if (seg->n_elems >= PAXLST_MAX_ELEMS || seg->n_comps >= PAXLST_MAX_COMPS)
		return false;
	seg->elem_first[seg->n_elems] = (uint8_t)seg->n_comps;
	seg->elem_ncomp[seg->n_elems] = 0;
	seg->n_elems++;
	if (seg->n_comps == 0) { /* first value: nothing to end */
		seg->comp_off[seg->n_comps++] = (uint16_t)*len;
		seg->elem_ncomp[seg->n_elems - 1]++;
		return true;
	}
	return new_comp(seg, len);
}

int paxlst_next_segment(const char **p, const char *start, const char *end,
			const struct paxlst_syntax *s,
			struct paxlst_segment *seg, struct sigm_error *err)
{
	const char *q = skip_space(*p, end, s);
	size_t len = 0;
	unsigned ntag = 0;
	int rc;
	char where[16];
	/* the UTF-8 replacement character */
	static const char repl[3] = {(char)0xEF, (char)0xBF, (char)0xBD};

	seg->tag[0] = '\0';
	seg->tag_space = false;
	seg->bad_chars = false;
	seg->bad_elem = seg->bad_comp = 0;
	seg->n_elems = 0;
	seg->n_comps = 0;
	seg->text[0] = '\0';
	seg->offset = (size_t)(q - start);
	if (q >= end) {
		*p = q;
		return 0;
	}
	/* The tag: three upper-case letters (digits tolerated: some service
	 * segments of other syntaxes use them). */
	while (q < end && ntag < 3 && ((*q >= 'A' && *q <= 'Z') ||
				       (*q >= '0' && *q <= '9')))
		seg->tag[ntag++] = *q++;
	seg->tag[ntag] = '\0';
	while (q < end && *q == ' ' && *q != s->elem && *q != s->term) {
		seg->tag_space = true;
		q++;
	}
	if (ntag != 3 || (q < end && *q != s->elem && *q != s->term)) {
		goto bad_tag;
	}
	if (q >= end) {
		rc = sigm_error_set(err, SIGM_EINVAL, "truncated", "",
				    "segmento %s sin terminador: intercambio truncado",
				    seg->tag);
		goto fail;
	}
	while (q < end) {
		char c = *q;
		if (s->release && c == s->release) {
			if (q + 1 >= end) {
				rc = sigm_error_set(err, SIGM_EINVAL, "truncated", "",
						    "carácter de escape al final del intercambio");
				goto fail;
			}
			c = *++q; /* taken literally, whatever it is */
		} else if (c == s->term) {
			q++;
			if (len >= PAXLST_SEG_TEXT)
				goto too_long;
			seg->text[len] = '\0';
			*p = q;
			return 1;
		} else if (c == s->elem) {
			q++;
			if (!new_elem(seg, &len))
				goto too_many;
			continue;
		} else if (c == s->comp && seg->n_elems > 0) {
			q++;
			if (!new_comp(seg, &len))
				goto too_many;
			continue;
		} else if (c == '\r' || c == '\n') {
			q++; /* Type-B line folding */
			continue;
		}
		if (seg->n_elems == 0) /* a value glued to the tag */
			goto bad_tag;
		const unsigned char u = (unsigned char)c;
		int n = 1;
		bool bad = false;
		if (u >= 0x80 && s->latin1) {
			if (len + 2 >= PAXLST_SEG_TEXT)
				goto too_long;
			seg->text[len++] = (char)(0xC0 | (u >> 6));
			seg->text[len++] = (char)(0x80 | (u & 0x3F));
			q++;
			continue;
		}
		if (u >= 0x80)
			n = utf8_decode(q, (size_t)(end - q), NULL);
		if (n == 0 || u < 0x20 || u == 0x7F)
			bad = true;
		if (bad) {
			if (!seg->bad_chars) {
				seg->bad_chars = true;
				seg->bad_elem = (uint8_t)seg->n_elems;
				seg->bad_comp = (uint8_t)seg->elem_ncomp[seg->n_elems - 1];
			}
			if (len + 3 >= PAXLST_SEG_TEXT)
				goto too_long;
			memcpy(seg->text + len, repl, 3);
			len += 3;
			q++;
			continue;
		}
		if (len + (size_t)n >= PAXLST_SEG_TEXT)
			goto too_long;
		memcpy(seg->text + len, q, (size_t)n);
		len += (size_t)n;
		q += n;
	}
	rc = sigm_error_set(err, SIGM_EINVAL, "truncated", "",
			    "segmento %s sin terminador: intercambio truncado",
			    seg->tag);
	goto fail;

bad_tag: {
	/* quote what stands where the tag should be; the input is not
	 * NUL-terminated, so bound the quote by its end */
	const char *at = start + seg->offset;
	int shown = end - at < 12 ? (int)(end - at) : 12;
	rc = sigm_error_set(err, SIGM_EINVAL, "invalid_tag", "",
			    "etiqueta de segmento no válida: «%.*s»", shown, at);
	goto fail;
}
too_long:
	elem_name(where, sizeof(where), seg->tag, seg->n_elems,
		  seg->n_elems ? seg->elem_ncomp[seg->n_elems - 1] : 0);
	rc = sigm_error_set(err, SIGM_EINVAL, "too_long", where,
			    "segmento %s: valores de más de %d bytes",
			    seg->tag, PAXLST_SEG_TEXT - 1);
	goto fail;
too_many:
	elem_name(where, sizeof(where), seg->tag, seg->n_elems, 0);
	rc = sigm_error_set(err, SIGM_EINVAL, "too_many_elements", where,
			    "segmento %s: más de %d elementos o %d componentes",
			    seg->tag, PAXLST_MAX_ELEMS, PAXLST_MAX_COMPS);
fail:
	*p = skip_segment(q, end, s);
	seg->n_elems = 0;
	seg->n_comps = 0;
	return rc;
}

const char *paxlst_seg_get(const struct paxlst_segment *seg, unsigned e,
			   unsigned c)
{
	if (e < 1 || e > seg->n_elems || c < 1 || c > seg->elem_ncomp[e - 1])
		return "";
	return seg->text + seg->comp_off[seg->elem_first[e - 1] + c - 1];
}

unsigned paxlst_seg_ncomp(const struct paxlst_segment *seg, unsigned e)
{
	return e >= 1 && e <= seg->n_elems ? seg->elem_ncomp[e - 1] : 0;
}
