/*
 * paxlst.c - the PAXLST interchange reader: envelopes (UNB/UNG/UNH and their
 * trailers with the control counts), flight legs, passengers, crew and
 * their documents.  See paxlst.h, layer 2.
 *
 * One pass over the segments with a small state machine (header, leg,
 * person, document, trailer).  Every problem becomes a diagnostic naming
 * the segment and element, and reading goes on: a carrier must hear about
 * all that is wrong with a manifest at once, not one error per resend.
 */
#include "core/paxlst.h"
#include "core/calendar.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum ctx {
	C_OUT,         /* between messages */
	C_HEADER,      /* after UNH: BGM, RFF, NAD+MS, COM */
	C_LEG,         /* after TDT: LOC, DTM */
	C_PERSON,      /* after NAD+FL/FM */
	C_DOC,         /* after DOC inside a person */
	C_SKIP_PERSON, /* after a NAD we could not read */
	C_TRAILER,     /* after CNT */
	C_SKIP_MSG,    /* a message that is not PAXLST */
};

struct state {
	struct paxlst_interchange *ix;
	const struct paxlst_options *opt;
	struct paxlst_segment seg;
	unsigned segno;       /* ordinal of seg, UNB = 1 */
	enum ctx ctx;
	int leg_loc;          /* last LOC of the leg: 1 departure, 2 arrival */
	bool have_unb, have_unz, in_group, charset_warned;
	char group_ref[16];
	unsigned group_msgs;
	unsigned cnt_segno;   /* the CNT of the open message */
	unsigned leg_dtm[PAXLST_MAX_LEGS][2]; /* DTM segments of each leg */
	int fatal;            /* SIGM_ENOMEM / SIGM_ETOOBIG */
};

static struct paxlst_message *cur_msg(struct state *st)
{
	return st->ctx == C_OUT || st->ix->n_messages == 0
		       ? NULL
		       : &st->ix->messages[st->ix->n_messages - 1];
}

static struct paxlst_person *cur_person(struct state *st)
{
	struct paxlst_message *m = cur_msg(st);
	return m && m->n_persons && (st->ctx == C_PERSON || st->ctx == C_DOC)
		       ? &m->persons[m->n_persons - 1]
		       : NULL;
}

static struct paxlst_document *cur_doc(struct state *st)
{
	struct paxlst_person *p = cur_person(st);
	return p && st->ctx == C_DOC && p->n_docs ? &p->docs[p->n_docs - 1]
						   : NULL;
}

/* Grows *arr (of n used, *cap allocated, elements of size sz) by one,
 * up to max.  Returns the new slot zeroed, NULL when full or out of memory
 * (st->fatal says which when it matters). */
static void *grow(void **arr, unsigned n, unsigned *cap, size_t sz,
		  unsigned max, int *fatal)
{
	if (n >= max) {
		*fatal = SIGM_ETOOBIG;
		return NULL;
	}
	if (n >= *cap) {
		unsigned nc = *cap ? *cap * 2 : 8;
		if (nc > max)
			nc = max;
		void *na = realloc(*arr, (size_t)nc * sz);
		if (!na) {
			*fatal = SIGM_ENOMEM;
			return NULL;
		}
		*arr = na;
		*cap = nc;
	}
	void *slot = (char *)*arr + (size_t)n * sz;
	memset(slot, 0, sz);
	return slot;
}

static void vdiag(struct state *st, bool error, unsigned e, unsigned c,
		  const char *code, const char *fmt, va_list ap)
{
	struct paxlst_interchange *ix = st->ix;
	struct paxlst_diag **arr = error ? &ix->errors : &ix->warnings;
	unsigned *n = error ? &ix->n_errors : &ix->n_warnings;
	unsigned *cap = error ? &ix->cap_errors : &ix->cap_warnings;
	int full = 0;
	struct paxlst_diag *d = grow((void **)arr, *n, cap, sizeof(**arr),
				     PAXLST_MAX_DIAGS, &full);
	if (!d) {
		if (full == SIGM_ETOOBIG)
			ix->diags_truncated = true;
		else
			st->fatal = full;
		return;
	}
	(*n)++;
	d->segment = st->segno;
	snprintf(d->tag, sizeof(d->tag), "%s", st->seg.tag);
	if (e == 0)
		d->element[0] = '\0';
	else if (c > 1)
		snprintf(d->element, sizeof(d->element), "%s+%u:%u",
			 st->seg.tag, e, c);
	else
		snprintf(d->element, sizeof(d->element), "%s+%u", st->seg.tag,
			 e);
	snprintf(d->code, sizeof(d->code), "%s", code);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	utf8_fix(d->message);
}

__attribute__((format(printf, 5, 6))) static void
err_at(struct state *st, unsigned e, unsigned c, const char *code,
       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(st, true, e, c, code, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 5, 6))) static void
warn_at(struct state *st, unsigned e, unsigned c, const char *code,
	const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdiag(st, false, e, c, code, fmt, ap);
	va_end(ap);
}

static const char *get(struct state *st, unsigned e, unsigned c)
{
	return paxlst_seg_get(&st->seg, e, c);
}

/* Copies value (e, c) into dst; an over-long value is an error and is cut
 * at a character boundary, so that the output stays valid UTF-8. */
static void put_str(struct state *st, char *dst, size_t cap, const char *v,
		    unsigned e, unsigned c)
{
	size_t n = strlen(v);
	if (n >= cap) {
		err_at(st, e, c, "too_long",
		       "valor de %zu bytes, el máximo es %zu", n, cap - 1);
		n = cap - 1;
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static void put(struct state *st, char *dst, size_t cap, unsigned e,
		unsigned c)
{
	put_str(st, dst, cap, get(st, e, c), e, c);
}

/* Appends v to dst (cap bytes) after sep when both are non-empty. */
static void join(struct state *st, char *dst, size_t cap, const char *sep,
		 const char *v, unsigned e, unsigned c)
{
	size_t have = strlen(dst);
	if (!*v)
		return;
	if (have && have + strlen(sep) < cap) {
		strcpy(dst + have, sep);
		have += strlen(sep);
	}
	put_str(st, dst + have, cap - have, v, e, c);
}

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* A count (UNT, UNZ, UNE, CNT): 1 to 9 digits; -1 when not a number. */
static long count_of(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 9 || !is_digits(s, n))
		return -1;
	return strtol(s, NULL, 10);
}

enum century { CENT_PAST, CENT_FUTURE };

/*
 * Reads the date (and time) v of DTM C507 (element e, value in component
 * vc, format code fmt in vc + 1) or UNB S004.  Two-digit years: 20YY for flights and expiry
 * dates; for birth and issue dates, 20YY unless that is after the
 * interchange was prepared, then 19YY.  Returns 0, or -1 after an error.
 */
static int read_time(struct state *st, const char *v, const char *fmt,
		     unsigned e, unsigned vc, enum century cent,
		     struct paxlst_time *out)
{
	size_t n = strlen(v);
	int y, mo, d, hh = -1, mi = -1, f;

	out->day = CAL_NONE;
	out->minute = -1;
	if (*fmt) {
		f = atoi(fmt);
		if (strcmp(fmt, "101") && strcmp(fmt, "102") &&
		    strcmp(fmt, "201") && strcmp(fmt, "203")) {
			err_at(st, e, vc + 1, "unknown_qualifier",
			       "formato de fecha desconocido: «%s» (se aceptan 101, 102, 201, 203)",
			       fmt);
			return -1;
		}
	} else {
		f = n == 6 ? 101 : n == 8 ? 102 : n == 10 ? 201 : n == 12 ? 203 : 0;
	}
	size_t want = f == 101 ? 6 : f == 102 ? 8 : f == 201 ? 10 : 12;
	if (n == 0) {
		err_at(st, e, vc, "invalid_date", "fecha vacía");
		return -1;
	}
	if (f == 0 || n != want || !is_digits(v, n)) {
		err_at(st, e, vc, "invalid_date",
		       "fecha inválida: «%.20s» (formato %s)", v,
		       f == 101 ? "AAMMDD" : f == 102 ? "SSAAMMDD"
			       : f == 201 ? "AAMMDDHHMM" : f == 203 ? "SSAAMMDDHHMM"
			       : "AAMMDD[HHMM]");
		return -1;
	}
	const char *q = v;
	if (f == 102 || f == 203) {
		y = num(q, 4);
		q += 4;
	} else {
		y = 2000 + num(q, 2);
		q += 2;
		if (cent == CENT_PAST) {
			int32_t ref = st->ix->prepared.day;
			if (ref == CAL_NONE)
				ref = st->opt->now_day;
			int ry = 2000 + 30, rm = 12, rd = 31;
			if (ref != CAL_NONE)
				cal_to_ymd(ref, &ry, &rm, &rd);
			int mm = num(q, 2), dd = num(q + 2, 2);
			if (y > ry || (y == ry && (mm > rm || (mm == rm && dd > rd))))
				y -= 100;
		}
	}
	mo = num(q, 2);
	d = num(q + 2, 2);
	q += 4;
	if (f == 201 || f == 203) {
		hh = num(q, 2);
		mi = num(q + 2, 2);
	}
	if (!cal_valid_ymd(y, mo, d) || hh > 23 || mi > 59) {
		err_at(st, e, vc, "invalid_date",
		       "fecha inválida: «%.20s» no es un día u hora real", v);
		return -1;
	}
	out->day = cal_from_ymd(y, mo, d);
	out->minute = hh < 0 ? -1 : hh * 60 + mi;
	return 0;
}

static bool is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

static bool in_list(const char *v, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(v, *list))
			return true;
	return false;
}

/* ---- envelope -------------------------------------------------------- */

static void on_unb(struct state *st)
{
	struct paxlst_interchange *ix = st->ix;
	if (st->have_unb || st->segno != 1) {
		err_at(st, 0, 0, "unexpected_segment",
		       "UNB fuera de lugar: debe ser el primer segmento y único");
		return;
	}
	st->have_unb = true;
	put(st, ix->charset, sizeof(ix->charset), 1, 1);
	put(st, ix->syntax_version, sizeof(ix->syntax_version), 1, 2);
	put(st, ix->sender, sizeof(ix->sender), 2, 1);
	put(st, ix->recipient, sizeof(ix->recipient), 3, 1);
	put(st, ix->reference, sizeof(ix->reference), 5, 1);
	if (!strcmp(ix->charset, "UNOC"))
		ix->syntax.latin1 = true;
	else if (strcmp(ix->charset, "UNOA") && strcmp(ix->charset, "UNOB") &&
		 strcmp(ix->charset, "UNOY") && strcmp(ix->charset, "UNOW"))
		warn_at(st, 1, 1, "unknown_charset",
			"juego de caracteres «%s» no previsto: se lee como UTF-8",
			ix->charset);
	if (!ix->reference[0])
		err_at(st, 5, 0, "missing_element",
		       "falta la referencia de control del intercambio");
	/* S004: YYMMDD or CCYYMMDD, then HHMM */
	const char *d = get(st, 4, 1), *t = get(st, 4, 2);
	char buf[16];
	if (*d && strlen(d) <= 8 && (!*t || strlen(t) == 4)) {
		snprintf(buf, sizeof(buf), "%s%s", d, t);
		const char *fmt = strlen(d) == 8 ? (*t ? "203" : "102")
						 : (*t ? "201" : "101");
		struct paxlst_time pt;
		if (read_time(st, buf, fmt, 4, 1, CENT_FUTURE, &pt) == 0)
			ix->prepared = pt;
	} else {
		err_at(st, 4, 1, "invalid_date",
		       "fecha de preparación del intercambio ausente o inválida");
	}
}

static void close_message(struct state *st, bool unt_seen);

static void on_unh(struct state *st)
{
	struct paxlst_interchange *ix = st->ix;
	if (cur_msg(st)) {
		err_at(st, 0, 0, "truncated",
		       "UNH antes del UNT del mensaje anterior: mensaje truncado");
		close_message(st, false);
	}
	struct paxlst_message *m =
		grow((void **)&ix->messages, ix->n_messages, &ix->cap_messages,
		     sizeof(*m), PAXLST_MAX_MESSAGES, &st->fatal);
	if (!m)
		return;
	ix->n_messages++;
	m->segment = st->segno;
	m->primary = -1;
	m->cnt_passengers = m->cnt_crew = m->unt_declared = -1;
	st->cnt_segno = 0;
	st->group_msgs++;
	put(st, m->reference, sizeof(m->reference), 1, 1);
	if (!m->reference[0])
		err_at(st, 1, 0, "missing_element",
		       "falta la referencia del mensaje");
	snprintf(m->version, sizeof(m->version), "%.3s:%.3s", get(st, 2, 2),
		 get(st, 2, 3));
	utf8_fix(m->version); /* "%.3s" may cut a character */
	put(st, m->association, sizeof(m->association), 2, 5);
	put(st, m->access_ref, sizeof(m->access_ref), 3, 1);
	put(st, m->sequence, sizeof(m->sequence), 4, 1);
	put(st, m->part_status, sizeof(m->part_status), 4, 2);
	if (strcmp(get(st, 2, 1), "PAXLST")) {
		err_at(st, 2, 1, "unsupported_message",
		       "mensaje «%.12s»: solo se leen mensajes PAXLST",
		       get(st, 2, 1));
		st->ctx = C_SKIP_MSG;
		return;
	}
	if (strcmp(m->version, "D:02B") && strcmp(m->version, "D:05B"))
		warn_at(st, 2, 3, "unsupported_version",
			"versión %s no verificada (se conocen D:02B y D:05B)",
			m->version);
	st->ctx = C_HEADER;
}

/* A flight already arrived (or departed, when no arrival is given) is of no
 * use for pre-screening: an error, so that it is never ingested as good. */
static void check_past(struct state *st, struct paxlst_message *m)
{
	if (m->primary < 0 || st->opt->now_day == CAL_NONE)
		return;
	const struct paxlst_leg *l = &m->legs[m->primary];
	int which = l->arr.day != CAL_NONE ? 1 : 0;
	const struct paxlst_time *t = which ? &l->arr : &l->dep;
	if (t->day == CAL_NONE)
		return;
	long long at = (long long)t->day * 1440 + (t->minute < 0 ? 1439 : t->minute);
	long long now = (long long)st->opt->now_day * 1440 +
			(st->opt->now_minute < 0 ? 0 : st->opt->now_minute);
	if (at >= now)
		return;
	unsigned keep = st->segno;
	char tag[4];
	memcpy(tag, st->seg.tag, sizeof(tag));
	st->segno = st->leg_dtm[m->primary][which];
	if (!st->segno)
		st->segno = l->segment;
	snprintf(st->seg.tag, sizeof(st->seg.tag), "%s",
		 st->leg_dtm[m->primary][which] ? "DTM" : "TDT");
	char when[17];
	paxlst_time_format(t, when);
	err_at(st, st->leg_dtm[m->primary][which] ? 1 : 0,
	       st->leg_dtm[m->primary][which] ? 2 : 0, "flight_in_past",
	       "el vuelo %s ya %s (%s): manifiesto tardío", l->flight,
	       which ? "llegó" : "salió", when);
	st->segno = keep;
	memcpy(st->seg.tag, tag, sizeof(tag));
}

/* The leg reported as the flight: the first that crosses the border
 * (LOC+125/87), else the first. */
static void pick_primary(struct paxlst_message *m)
{
	m->primary = m->n_legs ? 0 : -1;
	for (unsigned k = 0; k < m->n_legs; k++)
		if (m->legs[k].border) {
			m->primary = (int)k;
			break;
		}
}

/* Ends the open message: the UNT checks are done by on_unt, these are the
 * checks of the whole message (CNT, a flight at all, the clock). */
static void close_message(struct state *st, bool unt_seen)
{
	struct paxlst_message *m = cur_msg(st);
	if (!m)
		return;
	m->closed = unt_seen;
	pick_primary(m);
	if (st->ctx != C_SKIP_MSG) {
		if (m->n_legs == 0)
			err_at(st, 0, 0, "missing_segment",
			       "mensaje %s sin TDT: no dice qué vuelo es",
			       m->reference);
		if (!m->document[0])
			warn_at(st, 0, 0, "missing_segment",
				"mensaje %s sin BGM", m->reference);
		if (m->cnt_passengers >= 0 &&
		    m->cnt_passengers != (long)m->n_passengers)
			warn_at(st, 0, 0, "count_mismatch",
				"CNT+42 declara %ld pasajeros; el mensaje %s trae %u",
				m->cnt_passengers, m->reference, m->n_passengers);
		if (m->cnt_crew >= 0 && m->cnt_crew != (long)m->n_crew)
			warn_at(st, 0, 0, "count_mismatch",
				"CNT+41 declara %ld tripulantes; el mensaje %s trae %u",
				m->cnt_crew, m->reference, m->n_crew);
		if (!st->cnt_segno)
			warn_at(st, 0, 0, "missing_segment",
				"mensaje %s sin CNT: no se puede comprobar el total",
				m->reference);
		check_past(st, m);
	}
	st->ctx = C_OUT;
}

static void on_unt(struct state *st)
{
	struct paxlst_message *m = cur_msg(st);
	if (!m) {
		err_at(st, 0, 0, "unexpected_segment", "UNT sin UNH");
		return;
	}
	m->unt_seen = st->segno - m->segment + 1;
	m->unt_declared = count_of(get(st, 1, 1));
	if (m->unt_declared < 0)
		err_at(st, 1, 0, "invalid_count",
		       "UNT: número de segmentos ausente o no numérico: «%.12s»",
		       get(st, 1, 1));
	else if (m->unt_declared != (long)m->unt_seen)
		warn_at(st, 1, 0, "count_mismatch",
			"UNT declara %ld segmentos; el mensaje %s tiene %u",
			m->unt_declared, m->reference, m->unt_seen);
	if (strcmp(get(st, 2, 1), m->reference))
		warn_at(st, 2, 0, "reference_mismatch",
			"UNT: referencia «%.14s» distinta de la de UNH «%s»",
			get(st, 2, 1), m->reference);
	close_message(st, true);
}

static void on_ung(struct state *st)
{
	if (cur_msg(st) || st->in_group) {
		err_at(st, 0, 0, "unexpected_segment",
		       "UNG dentro de un mensaje o de otro grupo");
		return;
	}
	st->in_group = true;
	st->ix->n_groups++;
	st->group_msgs = 0;
	snprintf(st->group_ref, sizeof(st->group_ref), "%.14s", get(st, 5, 1));
}

static void on_une(struct state *st)
{
	if (cur_msg(st)) {
		err_at(st, 0, 0, "truncated", "UNE sin el UNT del mensaje");
		close_message(st, false);
	}
	if (!st->in_group) {
		err_at(st, 0, 0, "unexpected_segment", "UNE sin UNG");
		return;
	}
	st->in_group = false;
	long n = count_of(get(st, 1, 1));
	if (n < 0)
		err_at(st, 1, 0, "invalid_count",
		       "UNE: número de mensajes ausente o no numérico");
	else if (n != (long)st->group_msgs)
		warn_at(st, 1, 0, "count_mismatch",
			"UNE declara %ld mensajes; el grupo tiene %u", n,
			st->group_msgs);
	if (strcmp(get(st, 2, 1), st->group_ref))
		warn_at(st, 2, 0, "reference_mismatch",
			"UNE: referencia «%.14s» distinta de la de UNG «%s»",
			get(st, 2, 1), st->group_ref);
}

static void on_unz(struct state *st)
{
	struct paxlst_interchange *ix = st->ix;
	if (cur_msg(st)) {
		err_at(st, 0, 0, "truncated", "UNZ sin el UNT del mensaje");
		close_message(st, false);
	}
	if (st->in_group) {
		err_at(st, 0, 0, "truncated", "UNZ sin el UNE del grupo");
		st->in_group = false;
	}
	st->have_unz = true;
	ix->unz_declared = count_of(get(st, 1, 1));
	/* ISO 9735: groups when there are groups, else messages.  Senders mix
	 * them up, and both readings describe a complete interchange. */
	if (ix->unz_declared < 0)
		err_at(st, 1, 0, "invalid_count",
		       "UNZ: número de mensajes ausente o no numérico");
	else if (ix->unz_declared != (long)ix->n_messages &&
		 (ix->n_groups == 0 || ix->unz_declared != (long)ix->n_groups))
		warn_at(st, 1, 0, "count_mismatch",
			"UNZ declara %ld; el intercambio tiene %u mensajes%s",
			ix->unz_declared, ix->n_messages,
			ix->n_groups ? " en grupos" : "");
	if (strcmp(get(st, 2, 1), ix->reference))
		warn_at(st, 2, 0, "reference_mismatch",
			"UNZ: referencia «%.14s» distinta de la de UNB «%s»",
			get(st, 2, 1), ix->reference);
}

/* ---- message body ---------------------------------------------------- */

static void on_bgm(struct state *st, struct paxlst_message *m)
{
	/* 745 passenger list, 250 crew list, 266 flight crew list (D05B),
	 * 336 / 655 master crew lists. */
	static const char *const docs[] = {"745", "250", "266", "336", "655",
					   NULL};
	put(st, m->document, sizeof(m->document), 1, 1);
	put(st, m->document_id, sizeof(m->document_id), 2, 1);
	put(st, m->function, sizeof(m->function), 3, 1);
	if (!in_list(m->document, docs))
		err_at(st, 1, 0, "unknown_qualifier",
		       "BGM: tipo de documento «%.8s» desconocido (745 pasajeros, 250 tripulación)",
		       get(st, 1, 1));
}

static void on_tdt(struct state *st, struct paxlst_message *m)
{
	if (st->ctx == C_PERSON || st->ctx == C_DOC || st->ctx == C_TRAILER ||
	    st->ctx == C_SKIP_PERSON) {
		err_at(st, 0, 0, "unexpected_segment",
		       "TDT después de las personas: los tramos van antes");
		return;
	}
	if (m->n_legs >= PAXLST_MAX_LEGS) {
		err_at(st, 0, 0, "too_many", "más de %d tramos TDT",
		       PAXLST_MAX_LEGS);
		st->ctx = C_SKIP_PERSON; /* ignore its LOC/DTM */
		return;
	}
	struct paxlst_leg *l = &m->legs[m->n_legs];
	memset(l, 0, sizeof(*l));
	st->leg_dtm[m->n_legs][0] = st->leg_dtm[m->n_legs][1] = 0;
	m->n_legs++;
	l->segment = st->segno;
	l->dep.day = l->arr.day = CAL_NONE;
	l->dep.minute = l->arr.minute = -1;
	if (strcmp(get(st, 1, 1), "20"))
		err_at(st, 1, 0, "unknown_qualifier",
		       "TDT: calificador «%.8s» desconocido (se espera 20)",
		       get(st, 1, 1));
	put(st, l->flight, sizeof(l->flight), 2, 1);
	if (!l->flight[0])
		err_at(st, 2, 0, "missing_element", "TDT sin número de vuelo");
	put(st, l->carrier, sizeof(l->carrier), 5, 1);
	/* D02B messages often omit C040: an IATA flight designator starts
	 * with the two-character airline code. */
	if (!l->carrier[0] && strlen(l->flight) > 2 &&
	    is_alnum(l->flight[0]) && is_alnum(l->flight[1]))
		memcpy(l->carrier, l->flight, 2), l->carrier[2] = '\0';
	st->ctx = C_LEG;
	st->leg_loc = 0;
}

static void on_leg_loc(struct state *st, struct paxlst_message *m)
{
	struct paxlst_leg *l = &m->legs[m->n_legs - 1];
	const char *q = get(st, 1, 1);
	char *port = NULL;
	if (!strcmp(q, "125")) {
		port = l->dep_port;
		st->leg_loc = 1;
		l->border = true;
	} else if (!strcmp(q, "87")) {
		port = l->arr_port;
		st->leg_loc = 2;
		l->border = true;
	} else if (!strcmp(q, "92")) { /* routing: departure, then arrival */
		st->leg_loc = l->dep_port[0] ? 2 : 1;
		port = st->leg_loc == 1 ? l->dep_port : l->arr_port;
	} else if (!strcmp(q, "22") && !l->dep_port[0]) {
		/* seen in a UAE gateway's D05B test message: the customs
		 * clearance code where 125 belongs.  Its DTM+189 makes the
		 * meaning plain; say so rather than lose the departure. */
		warn_at(st, 1, 0, "nonstandard_qualifier",
			"LOC+22 en el tramo: se toma como aeropuerto de salida (se espera 125)");
		port = l->dep_port;
		st->leg_loc = 1;
		l->border = true;
	} else if (!strcmp(q, "130")) { /* final destination: not a port here */
		st->leg_loc = 0;
		return;
	} else {
		err_at(st, 1, 0, "unknown_qualifier",
		       "LOC del tramo: calificador «%.8s» desconocido (125, 87, 92)",
		       q);
		st->leg_loc = 0;
		return;
	}
	if (port[0])
		warn_at(st, 1, 0, "repeated",
			"LOC+%s repetido en el tramo: se conserva el primero", q);
	else
		put(st, port, 6, 2, 1);
	if (!port[0])
		err_at(st, 2, 0, "missing_element", "LOC sin aeropuerto");
}

static void on_leg_dtm(struct state *st, struct paxlst_message *m)
{
	unsigned i = m->n_legs - 1;
	struct paxlst_leg *l = &m->legs[i];
	const char *q = get(st, 1, 1);
	int which;
	if (!strcmp(q, "189"))
		which = 0;
	else if (!strcmp(q, "232"))
		which = 1;
	else {
		err_at(st, 1, 0, "unknown_qualifier",
		       "DTM del tramo: calificador «%.8s» desconocido (189 salida, 232 llegada)",
		       q);
		return;
	}
	struct paxlst_time *t = which ? &l->arr : &l->dep;
	if (t->day != CAL_NONE) {
		warn_at(st, 1, 0, "repeated",
			"DTM+%s repetido en el tramo: se conserva el primero", q);
		return;
	}
	if (read_time(st, get(st, 1, 2), get(st, 1, 3), 1, 2, CENT_FUTURE, t) == 0)
		st->leg_dtm[i][which] = st->segno;
}

static void on_nad(struct state *st, struct paxlst_message *m)
{
	struct paxlst_interchange *ix = st->ix;
	const char *q = get(st, 1, 1);
	if (!strcmp(q, "MS")) {
		if (st->ctx != C_HEADER)
			warn_at(st, 1, 0, "unexpected_segment",
				"NAD+MS fuera de la cabecera del mensaje");
		m->reporting_party[0] = '\0';
		for (unsigned c = 1; c <= 5; c++)
			join(st, m->reporting_party,
			     sizeof(m->reporting_party), " ", get(st, 4, c), 4,
			     c);
		if (!m->reporting_party[0])
			put(st, m->reporting_party, sizeof(m->reporting_party),
			    2, 1);
		return;
	}
	enum paxlst_role role;
	if (!strcmp(q, "FL") || !strcmp(q, "DDU"))
		role = PAXLST_PASSENGER;
	else if (!strcmp(q, "FM") || !strcmp(q, "DDT") || !strcmp(q, "COT"))
		role = PAXLST_CREW;
	else {
		err_at(st, 1, 0, "unknown_qualifier",
		       "NAD: calificador «%.8s» desconocido (FL pasajero, FM tripulante, DDU/DDT en tránsito)",
		       q);
		st->ctx = C_SKIP_PERSON;
		return;
	}
	if (st->ctx == C_TRAILER) {
		err_at(st, 0, 0, "unexpected_segment", "NAD después de CNT");
		st->ctx = C_SKIP_PERSON;
		return;
	}
	if (ix->n_persons >= PAXLST_MAX_PERSONS) {
		st->fatal = SIGM_ETOOBIG;
		return;
	}
	struct paxlst_person *p =
		grow((void **)&m->persons, m->n_persons, &m->cap_persons,
		     sizeof(*p), PAXLST_MAX_PERSONS, &st->fatal);
	if (!p)
		return;
	m->n_persons++;
	ix->n_persons++;
	if (role == PAXLST_PASSENGER)
		m->n_passengers++;
	else
		m->n_crew++;
	p->role = role;
	p->segment = st->segno;
	p->birth_date = CAL_NONE;
	put(st, p->qualifier, sizeof(p->qualifier), 1, 1);
	put(st, p->surnames, sizeof(p->surnames), 4, 1);
	if (!p->surnames[0])
		err_at(st, 4, 1, "missing_element", "NAD sin apellidos");
	for (unsigned c = 2; c <= 5; c++)
		join(st, p->given_names, sizeof(p->given_names), " ",
		     get(st, 4, c), 4, c);
	for (unsigned e = 5; e <= 9; e++)
		for (unsigned c = 1; c <= paxlst_seg_ncomp(&st->seg, e); c++)
			join(st, p->address, sizeof(p->address), ", ",
			     get(st, e, c), e, c);
	st->ctx = C_PERSON;
}

static void on_att(struct state *st, struct paxlst_person *p)
{
	static const char *const sexes[] = {"M", "F", "U", "X", NULL};
	if (strcmp(get(st, 1, 1), "2")) {
		err_at(st, 1, 0, "unknown_qualifier",
		       "ATT: calificador «%.8s» desconocido (2 = sexo)",
		       get(st, 1, 1));
		return;
	}
	const char *v = get(st, 3, 1);
	if (!in_list(v, sexes)) {
		err_at(st, 3, 0, "invalid_value",
		       "sexo «%.8s» no válido (M, F, U o X)", v);
		return;
	}
	memcpy(p->sex, v, 2);
}

static void on_person_dtm(struct state *st, struct paxlst_person *p)
{
	const char *q = get(st, 1, 1);
	struct paxlst_document *d = cur_doc(st);
	int32_t *slot;
	enum century cent = CENT_PAST;
	if (!strcmp(q, "329"))
		slot = &p->birth_date;
	else if (!strcmp(q, "36") || !strcmp(q, "182")) {
		if (!d) {
			err_at(st, 1, 0, "unexpected_segment",
			       "DTM+%s sin DOC que lo preceda", q);
			return;
		}
		slot = q[0] == '3' ? &d->expiry : &d->issued;
		cent = q[0] == '3' ? CENT_FUTURE : CENT_PAST;
	} else {
		err_at(st, 1, 0, "unknown_qualifier",
		       "DTM: calificador «%.8s» desconocido (329 nacimiento, 36 vencimiento, 182 expedición)",
		       q);
		return;
	}
	struct paxlst_time t;
	if (read_time(st, get(st, 1, 2), get(st, 1, 3), 1, 2, cent, &t))
		return;
	if (*slot != CAL_NONE) {
		warn_at(st, 1, 0, "repeated",
			"DTM+%s repetido: se conserva el primero", q);
		return;
	}
	*slot = t.day;
}

static void on_person_loc(struct state *st, struct paxlst_person *p)
{
	const char *q = get(st, 1, 1);
	char *dst;
	size_t cap;
	if (!strcmp(q, "91")) {
		struct paxlst_document *d = cur_doc(st);
		if (!d) {
			err_at(st, 1, 0, "unexpected_segment",
			       "LOC+91 sin DOC que lo preceda");
			return;
		}
		dst = d->issuing_state;
		cap = sizeof(d->issuing_state);
	} else if (!strcmp(q, "22")) {
		dst = p->clearance;
		cap = sizeof(p->clearance);
	} else if (!strcmp(q, "174")) {
		dst = p->residence;
		cap = sizeof(p->residence);
	} else if (!strcmp(q, "178")) {
		dst = p->embarkation;
		cap = sizeof(p->embarkation);
	} else if (!strcmp(q, "179")) {
		dst = p->disembarkation;
		cap = sizeof(p->disembarkation);
	} else if (!strcmp(q, "180")) {
		/* place of birth: a code, or free text in the fourth component */
		put(st, p->birth_place, sizeof(p->birth_place), 2,
		    *get(st, 2, 1) ? 1 : 4);
		return;
	} else {
		err_at(st, 1, 0, "unknown_qualifier",
		       "LOC: calificador «%.8s» desconocido (22, 91, 174, 178, 179, 180)",
		       q);
		return;
	}
	if (dst[0]) {
		warn_at(st, 1, 0, "repeated",
			"LOC+%s repetido: se conserva el primero", q);
		return;
	}
	put(st, dst, cap, 2, 1);
	if (!dst[0])
		err_at(st, 2, 0, "missing_element", "LOC+%s sin lugar", q);
}

static void on_doc(struct state *st, struct paxlst_person *p)
{
	if (p->n_docs >= PAXLST_MAX_DOCS) {
		err_at(st, 0, 0, "too_many", "más de %d documentos",
		       PAXLST_MAX_DOCS);
		st->ctx = C_PERSON; /* its DTM/LOC would go to the last one */
		return;
	}
	struct paxlst_document *d = &p->docs[p->n_docs++];
	memset(d, 0, sizeof(*d));
	d->segment = st->segno;
	d->expiry = d->issued = CAL_NONE;
	put(st, d->type, sizeof(d->type), 1, 1);
	put(st, d->number, sizeof(d->number), 2, 1);
	/* One traveler's missing number or type is that traveler's problem,
	 * not the message's: an error would refuse the whole list, every
	 * other traveler of the flight unscreened.  A number that is there
	 * but unusable ("A") is judged by the ingest (rules_docno_read),
	 * which keeps the traveler without it; so too here.  Without a
	 * number the type says nothing anyone can look up, so an empty DOC
	 * is one warning, the number's: what the carrier has to add. */
	if (!d->number[0])
		warn_at(st, 2, 0, "missing_document_number",
			"DOC sin número de documento");
	else if (!d->type[0])
		warn_at(st, 1, 0, "missing_document_type",
			"DOC sin tipo de documento");
	st->ctx = C_DOC;
}

static void on_cnt(struct state *st, struct paxlst_message *m)
{
	const char *q = get(st, 1, 1);
	long n = count_of(get(st, 1, 2));
	st->ctx = C_TRAILER;
	if (strcmp(q, "41") && strcmp(q, "42")) {
		err_at(st, 1, 0, "unknown_qualifier",
		       "CNT: calificador «%.8s» desconocido (42 pasajeros, 41 tripulantes)",
		       q);
		return;
	}
	st->cnt_segno = st->segno;
	if (n < 0) {
		err_at(st, 1, 2, "invalid_count",
		       "CNT+%s: total ausente o no numérico", q);
		return;
	}
	if (q[1] == '2')
		m->cnt_passengers = n;
	else
		m->cnt_crew = n;
}

static void on_body(struct state *st, struct paxlst_message *m)
{
	const char *tag = st->seg.tag;
	struct paxlst_person *p = cur_person(st);
	bool person = st->ctx == C_PERSON || st->ctx == C_DOC;

	if (st->ctx == C_SKIP_MSG)
		return;
	if (!strcmp(tag, "BGM"))
		on_bgm(st, m);
	else if (!strcmp(tag, "TDT"))
		on_tdt(st, m);
	else if (!strcmp(tag, "NAD"))
		on_nad(st, m);
	else if (!strcmp(tag, "CNT"))
		on_cnt(st, m);
	else if (st->ctx == C_LEG && !strcmp(tag, "LOC"))
		on_leg_loc(st, m);
	else if (st->ctx == C_LEG && !strcmp(tag, "DTM"))
		on_leg_dtm(st, m);
	else if (person && !strcmp(tag, "ATT"))
		on_att(st, p);
	else if (person && !strcmp(tag, "DTM"))
		on_person_dtm(st, p);
	else if (person && !strcmp(tag, "LOC"))
		on_person_loc(st, p);
	else if (person && !strcmp(tag, "DOC"))
		on_doc(st, p);
	else if (person && !strcmp(tag, "NAT")) {
		if (strcmp(get(st, 1, 1), "2"))
			err_at(st, 1, 0, "unknown_qualifier",
			       "NAT: calificador «%.8s» desconocido (2 = nacionalidad)",
			       get(st, 1, 1));
		else if (p->nationality[0])
			warn_at(st, 1, 0, "repeated",
				"NAT repetido: se conserva el primero");
		else
			put(st, p->nationality, sizeof(p->nationality), 2, 1);
	} else if (person && !strcmp(tag, "RFF")) {
		if (p->n_refs < PAXLST_MAX_REFS) {
			struct paxlst_ref *r = &p->refs[p->n_refs++];
			put(st, r->qualifier, sizeof(r->qualifier), 1, 1);
			put(st, r->value, sizeof(r->value), 1, 2);
		}
	} else if (person && !strcmp(tag, "EMP")) {
		put(st, p->function, sizeof(p->function), 2, 1);
	} else if (st->ctx == C_HEADER && !strcmp(tag, "RFF")) {
		if (!strcmp(get(st, 1, 1), "TN"))
			put(st, m->transaction_ref, sizeof(m->transaction_ref),
			    1, 2);
	} else if (!strcmp(tag, "COM") || !strcmp(tag, "FTX") ||
		   !strcmp(tag, "MEA") || !strcmp(tag, "GEI") ||
		   !strcmp(tag, "QTY") || !strcmp(tag, "CPI") ||
		   !strcmp(tag, "FII") || !strcmp(tag, "EMP") ||
		   !strcmp(tag, "CTA") || !strcmp(tag, "RFF")) {
		/* known to PAXLST, not needed for border control */
	} else if (st->ctx == C_SKIP_PERSON &&
		   (!strcmp(tag, "ATT") || !strcmp(tag, "DTM") ||
		    !strcmp(tag, "LOC") || !strcmp(tag, "NAT") ||
		    !strcmp(tag, "DOC"))) {
		/* belongs to a NAD already reported */
	} else {
		err_at(st, 0, 0, "unexpected_segment",
		       "segmento %s inesperado aquí", tag);
	}
}

/* UNOA allows upper-case letters, digits and a few marks; UNOB adds lower
 * case.  Senders put accented names in anyway: say so once. */
static void check_charset(struct state *st)
{
	const char *cs = st->ix->charset;
	bool a = !strcmp(cs, "UNOA"), b = !strcmp(cs, "UNOB");
	if (st->charset_warned || (!a && !b))
		return;
	for (unsigned i = 0; i < st->seg.n_comps; i++) {
		const unsigned char *v =
			(const unsigned char *)st->seg.text + st->seg.comp_off[i];
		for (; *v; v++) {
			if (*v >= 0x80 || (a && *v >= 'a' && *v <= 'z')) {
				unsigned e = 1;
				while (e < st->seg.n_elems &&
				       st->seg.elem_first[e] <= i)
					e++;
				warn_at(st, e, i - st->seg.elem_first[e - 1] + 1,
					"charset",
					"caracteres fuera del juego %s declarado en UNB (primer caso)",
					cs);
				st->charset_warned = true;
				return;
			}
		}
	}
}

static void one_segment(struct state *st)
{
	const char *tag = st->seg.tag;
	struct paxlst_message *m = cur_msg(st);

	if (st->seg.tag_space)
		warn_at(st, 0, 0, "tag_space",
			"espacio entre la etiqueta %s y el primer separador", tag);
	if (st->seg.bad_chars)
		err_at(st, st->seg.bad_elem, st->seg.bad_comp,
		       "invalid_encoding",
		       "bytes que no son UTF-8 válido (o de control): sustituidos por U+FFFD");
	check_charset(st);
	if (!strcmp(tag, "UNB"))
		on_unb(st);
	else if (!strcmp(tag, "UNG"))
		on_ung(st);
	else if (!strcmp(tag, "UNH"))
		on_unh(st);
	else if (!strcmp(tag, "UNT"))
		on_unt(st);
	else if (!strcmp(tag, "UNE"))
		on_une(st);
	else if (!strcmp(tag, "UNZ"))
		on_unz(st);
	else if (m)
		on_body(st, m);
	else
		err_at(st, 0, 0, "unexpected_segment",
		       "segmento %s fuera de un mensaje (UNH..UNT)", tag);
}

void paxlst_options_init(struct paxlst_options *opt)
{
	opt->now_day = CAL_NONE;
	opt->now_minute = -1;
}

int paxlst_parse(const char *buf, size_t len, const struct paxlst_options *opt,
		 struct paxlst_interchange *ix, struct sigm_error *err)
{
	struct state *st = NULL;
	struct paxlst_options noopt;
	struct sigm_error lex;
	const char *p = buf, *end = buf + len;
	int rc = 0;

	memset(ix, 0, sizeof(*ix));
	ix->prepared.day = CAL_NONE;
	ix->prepared.minute = -1;
	ix->unz_declared = -1;
	if (!opt) {
		paxlst_options_init(&noopt);
		opt = &noopt;
	}
	if (len > PAXLST_MAX_INPUT) {
		rc = sigm_error_set(err, SIGM_ETOOBIG, "too_big", "",
				    "intercambio de %zu bytes: el máximo es %u",
				    len, PAXLST_MAX_INPUT);
		goto out;
	}
	/* the state holds a 2 KiB segment: keep it off small thread stacks */
	st = calloc(1, sizeof(*st));
	if (!st) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", "",
				    "sin memoria");
		goto out;
	}
	st->ix = ix;
	st->opt = opt;
	size_t envelope = paxlst_skip_typeb(&p, end);
	if (envelope)
		warn_at(st, 0, 0, "type_b_envelope",
			"%zu bytes de cabecera Type-B antes de UNA/UNB: ignorados",
			envelope);
	rc = paxlst_una(&p, end, &ix->syntax, err);
	if (rc)
		goto out;
	for (;;) {
		int r = paxlst_next_segment(&p, buf, end, &ix->syntax, &st->seg,
					    &lex);
		if (r == 0)
			break;
		st->segno++;
		ix->n_segments++;
		if (ix->n_segments > PAXLST_MAX_SEGMENTS) {
			rc = sigm_error_set(err, SIGM_ETOOBIG, "too_big", "",
					    "más de %d segmentos",
					    PAXLST_MAX_SEGMENTS);
			goto out;
		}
		if (r < 0) {
			struct paxlst_diag *d;
			err_at(st, 0, 0, lex.code, "%s", lex.message);
			/* the lexer names the element itself */
			if (ix->n_errors && lex.field[0]) {
				d = &ix->errors[ix->n_errors - 1];
				snprintf(d->element, sizeof(d->element), "%s",
					 lex.field);
			}
			if (st->segno == 1 && !st->have_unb &&
			    strcmp(lex.code, "truncated"))
				break; /* not EDIFACT at all: do not go on */
		} else {
			one_segment(st);
		}
		if (st->fatal) {
			rc = sigm_error_set(err, st->fatal,
					    st->fatal == SIGM_ENOMEM ? "out_of_memory"
								    : "too_big",
					    "",
					    st->fatal == SIGM_ENOMEM
						    ? "sin memoria"
						    : "el intercambio supera los límites (mensajes o personas)");
			goto out;
		}
		if (st->have_unz)
			break;
	}
	/* the end of the input: what is still open was cut short */
	st->segno++;
	snprintf(st->seg.tag, sizeof(st->seg.tag), "%s", "");
	if (cur_msg(st)) {
		err_at(st, 0, 0, "truncated",
		       "fin de los datos sin UNT: mensaje truncado");
		close_message(st, false);
	}
	if (!st->have_unz && st->have_unb)
		err_at(st, 0, 0, "truncated",
		       "fin de los datos sin UNZ: intercambio truncado");
	st->segno--;
	if (st->have_unz) {
		const char *q = p;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' ||
				   *q == '\n' || *q == '\0' || *q == 0x1A))
			q++;
		if (q < end)
			warn_at(st, 0, 0, "trailing_data",
				"%zu bytes tras UNZ: ignorados", (size_t)(end - q));
	}
	if (!st->have_unb && ix->n_messages) {
		unsigned keep = st->segno;
		st->segno = 1;
		err_at(st, 0, 0, "missing_segment",
		       "el intercambio no empieza por UNB");
		st->segno = keep;
	}
	if (ix->n_messages == 0) {
		rc = sigm_error_set(err, SIGM_EINVAL, "not_edifact", "",
				    "no es un intercambio EDIFACT PAXLST: ningún mensaje UNH");
		goto out;
	}
out:
	free(st);
	return rc;
}

void paxlst_release(struct paxlst_interchange *ix)
{
	if (!ix)
		return;
	for (unsigned i = 0; i < ix->n_messages; i++)
		free(ix->messages[i].persons);
	free(ix->messages);
	free(ix->errors);
	free(ix->warnings);
	memset(ix, 0, sizeof(*ix));
}

const struct paxlst_leg *paxlst_flight(const struct paxlst_message *m)
{
	if (m->primary >= 0 && (unsigned)m->primary < m->n_legs)
		return &m->legs[m->primary];
	for (unsigned k = 0; k < m->n_legs; k++)
		if (m->legs[k].border)
			return &m->legs[k];
	return m->n_legs ? &m->legs[0] : NULL;
}

void paxlst_time_format(const struct paxlst_time *t, char buf[static 17])
{
	int y, m, d;
	if (t->day == CAL_NONE) {
		buf[0] = '\0';
		return;
	}
	cal_to_ymd(t->day, &y, &m, &d);
	if (t->minute < 0)
		snprintf(buf, 17, "%04d-%02d-%02d", y % 10000, m, d);
	else
		snprintf(buf, 17, "%04d-%02d-%02dT%02d:%02d", y % 10000, m, d,
			 t->minute / 60, t->minute % 60);
}
