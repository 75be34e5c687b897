/*
 * rules.c - the primary-inspection decision; see rules.h for the contract
 * and docs/border-rules.md for every reason code with its legal basis.
 *
 * One pass, in the order an officer would look: checks that did not run,
 * the document, screening, court restrictions, minors, the route of an ID
 * card, a foreigner's entry requirements, the ledger.  Every rule only adds
 * reasons; the decision is taken at the end from the most severe one, so no
 * rule can "admit" over another.
 */
#include "core/rules.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static const char *s_or(const char *s)
{
	return s ? s : "";
}

/* Country codes compare case-insensitively; "" never equals anything. */
static bool same_code(const char *a, const char *b)
{
	return a && b && *a && *b && strcasecmp(a, b) == 0;
}

/* Document numbers compare on letters and digits only, case-folded:
 * "A-123 456" and "a123456" are the same document. */
bool rules_same_docno(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	size_t na = 0;
	for (;;) {
		while (*a && !isalnum((unsigned char)*a))
			a++;
		while (*b && !isalnum((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b && na > 0;
		if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
			return false;
		a++, b++, na++;
	}
}

int rules_docno_read(const char *s, const char *field, const char *what,
		     char out[static RULES_DOCNO_MAX + 1], struct sigm_error *err)
{
	const char *w = what ? what : "número de documento";
	size_t n = 0;
	bool long_ = false;
	out[0] = 0;
	for (const char *p = s ? s : ""; *p; p++) {
		if (strchr(" -./", *p))
			continue;
		/* ASCII only: «Ñ» or «😀» is no letter of any number ICAO
		 * or the registries write, and isalnum of a byte of UTF-8
		 * depends on the locale */
		if (!(*p & 0x80) && isalnum((unsigned char)*p)) {
			if (n < RULES_DOCNO_MAX)
				out[n] = (char)toupper((unsigned char)*p);
			long_ |= n++ >= RULES_DOCNO_MAX;
			continue;
		}
		out[0] = 0;
		return sigm_error_set(err, SIGM_EINVAL, "invalid_document_number", field,
				      "%s «%s»: solo letras y dígitos (espacios, guiones, puntos y barras que los agrupan se omiten)",
				      w, field);
	}
	if (long_ || n < RULES_DOCNO_MIN) {
		out[0] = 0;
		if (!n)
			return sigm_error_set(err, SIGM_EINVAL, "invalid_document_number", field,
					      "%s «%s»: indique el número (de %d a %d letras o dígitos)",
					      w, field, RULES_DOCNO_MIN, RULES_DOCNO_MAX);
		return sigm_error_set(err, SIGM_EINVAL, "invalid_document_number", field,
				      "%s «%s»: %s %d letras o dígitos (tiene %zu)", w, field,
				      long_ ? "hasta" : "al menos",
				      long_ ? RULES_DOCNO_MAX : RULES_DOCNO_MIN, n);
	}
	out[n] = 0;
	return 0;
}

static bool in_window(int32_t day, int32_t from, int32_t to)
{
	return (from == CAL_NONE || day >= from) && (to == CAL_NONE || day <= to);
}

/* a day in a message, as the officer reads it */
static void fmt_day(int32_t day, char buf[static CAL_TEXT])
{
	cal_format_es(day, buf);
	if (!buf[0])
		snprintf(buf, CAL_TEXT, "sin fecha");
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */
/* ------------------------------------------------------------------ */

const struct rules_port *rules_port_find(const struct rules_tables *t,
					 const char *code)
{
	if (!t || !code || !*code)
		return NULL;
	for (size_t i = 0; i < t->n_ports; i++)
		if (strcasecmp(t->ports[i].code, code) == 0)
			return &t->ports[i];
	return NULL;
}

bool rules_is_ca4(const struct rules_tables *t, const char *nationality)
{
	for (size_t i = 0; t && i < t->n_ca4; i++)
		if (same_code(t->ca4[i], nationality))
			return true;
	return false;
}

enum rules_visa_cat rules_category(const struct rules_tables *t,
				   const char *nationality, int32_t day)
{
	for (size_t i = 0; t && i < t->n_nationalities; i++) {
		const struct rules_nationality *n = &t->nationalities[i];
		if (same_code(n->code, nationality) &&
		    in_window(day, n->effective_from, n->effective_to))
			return n->cat;
	}
	return RULES_CAT_UNKNOWN;
}

int rules_stay_days(const struct rules_tables *t, enum rules_stay_who who,
		    int32_t day)
{
	for (size_t i = 0; t && i < t->n_stays; i++) {
		const struct rules_stay *s = &t->stays[i];
		if (s->who == who &&
		    in_window(day, s->effective_from, s->effective_to))
			return s->days;
	}
	return -1;
}

int rules_default_stay(const struct rules_tables *t, const char *nationality,
		       int32_t day)
{
	if (!t || !nationality || !*nationality)
		return -1;
	if (same_code(t->home, nationality))
		return 0;
	if (rules_is_ca4(t, nationality))
		return rules_stay_days(t, RULES_STAY_CA4, day);
	switch (rules_category(t, nationality, day)) {
	case RULES_CAT_A: return rules_stay_days(t, RULES_STAY_CAT_A, day);
	case RULES_CAT_B: return rules_stay_days(t, RULES_STAY_CAT_B, day);
	case RULES_CAT_C: return rules_stay_days(t, RULES_STAY_CAT_C, day);
	case RULES_CAT_UNKNOWN: break;
	}
	return -1;
}

static const struct rules_fine *fine_on(const struct rules_tables *t,
					int32_t day)
{
	for (size_t i = 0; i < t->n_fines; i++)
		if (in_window(day, t->fines[i].effective_from,
			      t->fines[i].effective_to))
			return &t->fines[i];
	return NULL;
}

int64_t rules_overstay_fine(const struct rules_tables *t, int32_t day,
			    int days_over, const struct rules_fine **row)
{
	const struct rules_fine *f = fine_on(t, day);
	if (row)
		*row = f;
	if (!f || !f->known)
		return -1;
	int64_t cents = f->fixed_cents + f->per_day_cents * (int64_t)days_over;
	if (f->max_cents > 0 && cents > f->max_cents)
		cents = f->max_cents;
	return cents;
}

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

const char *rules_outcome_name(enum rules_outcome o)
{
	switch (o) {
	case RULES_ADMIT: return "admit";
	case RULES_SECONDARY: return "secondary";
	case RULES_REFUSE: return "refuse";
	}
	return "secondary";
}

const char *rules_severity_name(enum rules_severity s)
{
	switch (s) {
	case RULES_SEV_INFO: return "info";
	case RULES_SEV_WARNING: return "warning";
	case RULES_SEV_SECONDARY: return "secondary";
	case RULES_SEV_REFUSE: return "refuse";
	}
	return "secondary";
}

const char *rules_port_kind_name(enum rules_port_kind k)
{
	switch (k) {
	case RULES_PORT_AIR: return "air";
	case RULES_PORT_LAND: return "land";
	case RULES_PORT_SEA: return "sea";
	}
	return "";
}

const char *rules_category_name(enum rules_visa_cat c)
{
	switch (c) {
	case RULES_CAT_A: return "A";
	case RULES_CAT_B: return "B";
	case RULES_CAT_C: return "C";
	case RULES_CAT_UNKNOWN: break;
	}
	return "unknown";
}

struct name_map {
	const char *name;
	int value;
};

static int lookup(const struct name_map *m, const char *s)
{
	for (; s && m->name; m++)
		if (strcmp(m->name, s) == 0)
			return m->value;
	return 0;
}

int rules_direction_parse(const char *s)
{
	static const struct name_map m[] = {
		{"entry", RULES_ENTRY}, {"exit", RULES_EXIT}, {0}};
	return lookup(m, s);
}

int rules_doc_kind_parse(const char *s)
{
	static const struct name_map m[] = {
		{"passport", RULES_DOC_PASSPORT},
		{"id_card", RULES_DOC_ID_CARD},
		{"residence_carnet", RULES_DOC_RESIDENCE_CARNET},
		{"visa", RULES_DOC_VISA},
		{"other", RULES_DOC_OTHER},
		{"none", RULES_DOC_NONE},
		{0}};
	return lookup(m, s);
}

int rules_hit_cat_parse(const char *s)
{
	static const struct name_map m[] = {
		{"alert", RULES_HIT_ALERT},
		{"wanted", RULES_HIT_WANTED},
		{"restriction", RULES_HIT_RESTRICTION},
		{"lost_stolen", RULES_HIT_LOST_STOLEN},
		{"other", RULES_HIT_OTHER},
		{0}};
	return lookup(m, s);
}

int rules_alert_sub_parse(const char *s)
{
	static const struct name_map m[] = {
		{"interpol", RULES_ALERT_INTERPOL},
		{"arrest_warrant", RULES_ALERT_ARREST_WARRANT},
		{"missing_person", RULES_ALERT_MISSING_PERSON},
		{"missing_child", RULES_ALERT_MISSING_PERSON},
		{"trafficking_victim", RULES_ALERT_TRAFFICKING_VICTIM},
		{"reentry_ban", RULES_ALERT_REENTRY_BAN},
		{"other", RULES_ALERT_OTHER},
		{0}};
	return lookup(m, s);
}

int rules_measure_parse(const char *s)
{
	if (!s || !*s)
		return 0;
	return strcmp(s, "exit_ban") == 0 ? RULES_MEASURE_EXIT_BAN
					  : RULES_MEASURE_OTHER;
}

int rules_relation_parse(const char *s)
{
	static const struct name_map m[] = {
		{"parent", RULES_REL_PARENT},
		{"legal_guardian", RULES_REL_GUARDIAN},
		{"other", RULES_REL_OTHER},
		{0}};
	return lookup(m, s);
}

int rules_authorizer_parse(const char *s)
{
	static const struct name_map m[] = {
		{"notary", RULES_AUTH_NOTARY},
		{"pgr", RULES_AUTH_PGR},
		{"court", RULES_AUTH_COURT},
		{0}};
	return lookup(m, s);
}

int rules_port_kind_parse(const char *s)
{
	static const struct name_map m[] = {
		{"air", RULES_PORT_AIR},
		{"land", RULES_PORT_LAND},
		{"sea", RULES_PORT_SEA},
		{0}};
	return lookup(m, s);
}

/* ------------------------------------------------------------------ */
/* The decision                                                        */
/* ------------------------------------------------------------------ */

struct ctx {
	const struct rules_tables *t;
	const struct rules_input *in;
	struct rules_decision *out;
	const struct rules_port *port;
	const char *nat;         /* nationality used for the rules */
	/* the code whose visa category applies: the nationality's, or the
	 * issuing state's when that one is stricter (issuer_differs) */
	const char *cat_from;
	enum rules_severity worst;
	bool capped;             /* a refusal was lowered for a national */
	/* A permit or authorization for one destination would let the
	 * traveler out but the trip's was not declared: the country it is
	 * for, asked of the officer before anything is decided.  An
	 * authorization's is forgotten when another one applies. */
	const char *route_for, *auth_route_for;
	/* every destination of the authorizations that fit but for it (one
	 * each, the first authorization for it): a child with one for the
	 * United States and one for Mexico was told to confirm the one
	 * read last, and sent to secondary going to the other */
	const char *auth_dest[RULES_MAX_AUTHS], *auth_dest_rec[RULES_MAX_AUTHS];
	size_t n_auth_dest;
	int auth_pick; /* the one a permit's destination settles, or -1 */
	/* the reasons those put on the decision: the booth asks for the
	 * route only when they are all there is to it (two bans with
	 * permits for one destination each put two) */
	bool route_reason[RULES_MAX_REASONS];
	/* the destination each of those reasons is for: one trip goes to
	 * one country, so reasons for two (a permit for Guatemala, the
	 * child's authorization for Mexico) are no confirmation the
	 * officer can make; the single route_for named the last one in
	 * every message and the exit was admitted */
	const char *route_dest[RULES_MAX_REASONS];
};

/* A country for the officer: "Cuba (CUB)" when the caller's table names
 * the code, else the code as given. */
static const char *country(const struct rules_input *in, const char *code,
			   char *buf, size_t cap)
{
	const char *name = code && *code && in->countries
				   ? mrz_country_name(in->countries, code, strlen(code))
				   : NULL;
	if (!name)
		return s_or(code);
	snprintf(buf, cap, "%s (%s)", name, code);
	return buf;
}

void rules_cut_whole(char *s)
{
	size_t n = strlen(s), lead = n;
	while (lead > 0 && ((unsigned char)s[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead == 0)
		return;
	unsigned char b = (unsigned char)s[lead - 1];
	size_t want = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
	if (n - (lead - 1) < want)
		s[lead - 1] = 0;
}

static void vadd(struct ctx *c, enum rules_severity sev, const char *code,
		 const char *record, const char *detail, const char *fmt,
		 va_list ap)
{
	struct rules_decision *o = c->out;

	/* A Salvadoran cannot be refused entry to El Salvador (Constitución
	 * Art. 5): what would refuse a foreigner sends a national to
	 * secondary, where identity and the document are resolved. */
	if (sev == RULES_SEV_REFUSE && o->national &&
	    c->in->direction == RULES_ENTRY) {
		sev = RULES_SEV_SECONDARY;
		c->capped = true;
	}
	if (sev > c->worst)
		c->worst = sev;
	if (o->n_reasons >= RULES_MAX_REASONS) {
		o->reasons_truncated = true;
		return;
	}
	struct rules_reason *r = &o->reasons[o->n_reasons++];
	memset(r, 0, sizeof(*r));
	snprintf(r->code, sizeof(r->code), "%s", code);
	/* a text cut at its buffer's end ends in whole characters («ñ»,
	 * «é» of a court's name or an alert's instructions) */
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	rules_cut_whole(r->message);
	snprintf(r->record, sizeof(r->record), "%s", s_or(record));
	snprintf(r->detail, sizeof(r->detail), "%s", s_or(detail));
	rules_cut_whole(r->detail);
	r->severity = sev;
}

__attribute__((format(printf, 6, 7))) static void
add(struct ctx *c, enum rules_severity sev, const char *code,
    const char *record, const char *detail, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(c, sev, code, record, detail, fmt, ap);
	va_end(ap);
}

static const char *check_name(unsigned bit)
{
	switch (bit) {
	case RULES_CHECK_SCREENING: return "listas de alertas";
	case RULES_CHECK_RESTRICTIONS: return "restricciones judiciales";
	case RULES_CHECK_LOST_STOLEN: return "documentos extraviados o robados";
	case RULES_CHECK_LEDGER: return "registro de movimientos";
	case RULES_CHECK_AUTHORIZATIONS: return "autorizaciones de menores";
	case RULES_CHECK_VISA: return "visas";
	case RULES_CHECK_RESIDENCE: return "registro de residentes";
	case RULES_CHECK_DATABASE: return "base de datos";
	case RULES_CHECK_MRZ: return "lectura de la zona MRZ";
	}
	return "otra verificación";
}

static void rule_checks_failed(struct ctx *c)
{
	unsigned bits = c->in->checks_failed;
	char list[200] = "";
	size_t used = 0;

	if (!bits)
		return;
	for (unsigned bit = 1; bit && bits; bit <<= 1) {
		if (!(bits & bit))
			continue;
		bits &= ~bit;
		int n = snprintf(list + used, sizeof(list) - used, "%s%s",
				 used ? ", " : "", check_name(bit));
		if (n < 0 || (size_t)n >= sizeof(list) - used)
			break;
		used += (size_t)n;
	}
	add(c, RULES_SEV_SECONDARY, "check_failed", NULL, c->in->check_detail,
	    "No se pudo completar la verificación (%s). No admitir sin "
	    "revisión en segunda línea.", list);
}

static void rule_document(struct ctx *c)
{
	const struct rules_document *d = &c->in->doc;
	int32_t today = c->in->today;
	char day[CAL_TEXT];

	/* Nothing to read, nothing that expires: who the traveler is rests
	 * on what they say, so a supervisor identifies them before any
	 * decision (the screening by names and birth date still runs) */
	if (d->kind == RULES_DOC_NONE) {
		add(c, RULES_SEV_SECONDARY, "document_missing", NULL, NULL,
		    "No presenta documento de viaje: identifique a la persona "
		    "en segunda línea antes de resolver.");
		return;
	}
	if (d->mrz_present && !d->mrz_valid)
		add(c, RULES_SEV_SECONDARY, "mrz_invalid", NULL, d->mrz_errors,
		    "La zona de lectura mecánica (MRZ) no es válida: vuelva a "
		    "leerla y examine el documento.");
	if (d->lost_stolen) {
		/* the officer tells the traveler what the report says */
		const char *r = d->lost_stolen_reason ? d->lost_stolen_reason : "";
		const char *how = !strcmp(r, "lost") ? "extraviado"
				  : !strcmp(r, "stolen") ? "robado"
				  : !strcmp(r, "invalidated") ? "invalidado"
							      : "extraviado o robado";
		char when[CAL_TEXT + 8] = "";
		if (d->lost_stolen_day != CAL_NONE && d->lost_stolen_day != 0) {
			fmt_day(d->lost_stolen_day, day);
			snprintf(when, sizeof(when), " el %s", day);
		}
		bool src = d->lost_stolen_source && *d->lost_stolen_source;
		add(c, RULES_SEV_REFUSE, "document_lost_stolen",
		    d->lost_stolen_record, NULL,
		    "El documento %s está reportado como %s%s%s%s%s.",
		    s_or(d->number), how, when, src ? " (fuente: " : "",
		    src ? d->lost_stolen_source : "", src ? ")" : "");
	}
	if (d->holder_differs && *d->holder_differs && d->holder_national)
		add(c, RULES_SEV_SECONDARY, "document_holder_mismatch",
		    d->holder_record, NULL,
		    "El DUI %s, mostrado con el documento %s, ya está registrado "
		    "a nombre de otra persona (%s): verifique la identidad del "
		    "portador.",
		    d->holder_national, s_or(d->number), d->holder_differs);
	else if (d->holder_differs && *d->holder_differs)
		add(c, RULES_SEV_SECONDARY, "document_holder_mismatch",
		    d->holder_record, NULL,
		    "El documento %s ya está registrado a nombre de otra "
		    "persona (%s): verifique la identidad del portador.",
		    s_or(d->number), d->holder_differs);
	if (d->expiry == CAL_NONE) {
		add(c, RULES_SEV_SECONDARY, "document_expiry_missing", NULL,
		    NULL, "El documento no indica fecha de vencimiento.");
	} else if (d->expiry < today) {
		fmt_day(d->expiry, day);
		add(c, RULES_SEV_REFUSE, "document_expired", NULL, NULL,
		    "El documento venció el %s.", day);
	}
	if (!d->issuing_state_known)
		add(c, RULES_SEV_SECONDARY, "issuing_state_unknown", NULL, NULL,
		    "El Estado emisor «%s» no es reconocido.",
		    s_or(d->issuing_state));
	switch (d->kind) {
	case RULES_DOC_PASSPORT:
	case RULES_DOC_ID_CARD:
	case RULES_DOC_NONE: /* said above */
		break;
	case RULES_DOC_RESIDENCE_CARNET:
	case RULES_DOC_VISA:
	case RULES_DOC_OTHER:
		add(c, RULES_SEV_SECONDARY, "document_not_accepted", NULL, NULL,
		    "El documento presentado no es un documento de viaje: se "
		    "requiere pasaporte (o documento de identidad CA-4).");
		break;
	}
}

static const char *alert_label(enum rules_hit_cat cat,
			       enum rules_alert_sub sub)
{
	switch (cat) {
	case RULES_HIT_WANTED: return "persona requerida";
	case RULES_HIT_RESTRICTION: return "posible restricción judicial";
	case RULES_HIT_LOST_STOLEN: return "posible documento extraviado o robado";
	case RULES_HIT_OTHER: return "otra coincidencia";
	case RULES_HIT_ALERT: break;
	}
	switch (sub) {
	case RULES_ALERT_INTERPOL: return "notificación de Interpol";
	case RULES_ALERT_ARREST_WARRANT: return "orden de captura";
	case RULES_ALERT_MISSING_PERSON: return "persona o niño desaparecido";
	case RULES_ALERT_TRAFFICKING_VICTIM: return "posible víctima de trata";
	case RULES_ALERT_REENTRY_BAN: return "prohibición de reingreso";
	case RULES_ALERT_OTHER:
	case RULES_ALERT_NONE: break;
	}
	return "alerta migratoria";
}

static bool restriction_listed(const struct rules_input *in, const char *rec)
{
	for (size_t i = 0; rec && *rec && i < in->n_restrictions; i++)
		if (in->restrictions[i].record &&
		    strcmp(in->restrictions[i].record, rec) == 0)
			return true;
	return false;
}

/* How a hit matched, in the officer's words: an exact match of the
 * registry is not a score (it printed 95, below a typo's 100 on the
 * index's scale); a fuzzy one says its score against the threshold. */
static const char *hit_how(const struct rules_hit *h, char *buf, size_t cap)
{
	if (h->exact)
		snprintf(buf, cap, "coincidencia exacta con el registro");
	else
		snprintf(buf, cap, "coincidencia aproximada: puntaje %.0f, umbral %.0f",
			 h->score, h->threshold);
	return buf;
}

/* " Instrucciones: …" of what the record says to do (" Orden de: …" of a
 * court order: its court and case), last in the message, its own
 * punctuation kept; or "". */
static const char *hit_says(const struct rules_hit *h, char *buf, size_t cap)
{
	if (!h->instructions || !*h->instructions)
		buf[0] = 0;
	else
		/* a court order's are who ordered it, not instructions */
		snprintf(buf, cap, " %s: %s", h->category == RULES_HIT_RESTRICTION ? "Orden de" : "Instrucciones",
			 h->instructions);
	rules_cut_whole(buf);
	return buf;
}

/* " (Juzgado …, expediente …)" of a court order, or "". */
static const char *ordered_by(const struct rules_restriction *r, char *buf, size_t cap)
{
	bool ct = r->court && *r->court, cs = r->case_number && *r->case_number;
	if (!ct && !cs)
		buf[0] = 0;
	else
		snprintf(buf, cap, " (%s%s%s%s)", ct ? r->court : "", ct && cs ? ", " : "",
			 cs ? "expediente " : "", cs ? r->case_number : "");
	return buf;
}

static void rule_screening(struct ctx *c)
{
	const struct rules_input *in = c->in;
	char day[CAL_TEXT], how[80], says[2100];

	for (size_t i = 0; i < in->n_hits; i++) {
		const struct rules_hit *h = &in->hits[i];
		/* NaN scores count as matches: a broken score must not
		 * hide a hit. */
		if (h->score < h->threshold)
			continue;
		if (h->category == RULES_HIT_ALERT &&
		    h->sub == RULES_ALERT_REENTRY_BAN) {
			if (in->direction != RULES_ENTRY)
				continue;
			if (h->until != CAL_NONE && h->until < in->today)
				continue; /* the ban is over */
			fmt_day(h->until, day);
			add(c, RULES_SEV_REFUSE, "reentry_ban", h->record,
			    h->explanation,
			    "Prohibición de reingreso vigente (%s%s): %s.%s",
			    h->until == CAL_NONE ? "sin fecha de fin"
						 : "hasta el ",
			    h->until == CAL_NONE ? "" : day,
			    hit_how(h, how, sizeof(how)), hit_says(h, says, sizeof(says)));
			continue;
		}
		if (h->category == RULES_HIT_RESTRICTION) {
			/* Restrictions bar exits; the matched ones are
			 * judged by rule_restrictions. */
			if (in->direction != RULES_EXIT ||
			    restriction_listed(in, h->record))
				continue;
		}
		if (h->category == RULES_HIT_LOST_STOLEN && in->doc.lost_stolen)
			continue; /* already refused on the exact match */
		add(c, RULES_SEV_SECONDARY, "watchlist_match", h->record,
		    h->explanation,
		    "Coincidencia en listas: %s, %s. Verifique la identidad "
		    "en segunda línea.%s",
		    alert_label(h->category, h->sub), hit_how(h, how, sizeof(how)),
		    hit_says(h, says, sizeof(says)));
	}
}

/* APIS pre-check (issue 7): a hit the APIS desk sent to secondary is a
 * reason of its own (the desk has already looked, so it is not left to a
 * fuzzy score); a traveler missing from the manifest of the flight given is
 * shown, not held: wrong flight typed, a late booking, a stand-by. */
static void rule_apis(struct ctx *c)
{
	const struct rules_apis *a = &c->in->apis;
	if (!a->manifest)
		return;
	if (!a->on_manifest) {
		/* at a land or sea post the list is the carrier's prechequeo
		 * list of a bus or a ship, not a flight's manifest */
		if (c->port && c->port->kind == RULES_PORT_SEA)
			/* a ship has a name, not a plate (an officer at
			 * Acajutla was told to check one) */
			add(c, RULES_SEV_WARNING, "not_on_manifest", a->record, NULL,
			    "El viajero no figura en la lista de prechequeo del "
			    "transporte declarado. Verifique el nombre del buque "
			    "y el boleto.");
		else if (c->port && c->port->kind == RULES_PORT_LAND)
			add(c, RULES_SEV_WARNING, "not_on_manifest", a->record, NULL,
			    "El viajero no figura en la lista de prechequeo del "
			    "transporte declarado. Verifique la placa del autobús "
			    "y el boleto.");
		else
			add(c, RULES_SEV_WARNING, "not_on_manifest", a->record, NULL,
			    "El viajero no figura en el manifiesto APIS del vuelo "
			    "declarado. Verifique el vuelo y la tarjeta de embarque.");
		return;
	}
	if (a->secondary)
		add(c, RULES_SEV_SECONDARY, "apis_secondary", a->record, a->note,
		    "La mesa APIS envió a este pasajero a segunda línea%s%s",
		    a->note ? ": " : ".", a->note ? a->note : "");
}

static void rule_restrictions(struct ctx *c)
{
	const struct rules_input *in = c->in;
	int32_t today = in->today;
	char a[CAL_TEXT], b[CAL_TEXT], who[400];

	if (in->direction != RULES_EXIT)
		return;
	for (size_t i = 0; i < in->n_restrictions; i++) {
		const struct rules_restriction *r = &in->restrictions[i];
		if (r->lifted || !in_window(today, r->effective_from,
					    r->effective_to))
			continue;
		if (r->measure != RULES_MEASURE_EXIT_BAN) {
			add(c, RULES_SEV_SECONDARY, "court_restriction",
			    r->record, NULL,
			    "Medida cautelar vigente distinta del impedimento "
			    "de salida%s: consulte el expediente.",
			    ordered_by(r, who, sizeof(who)));
			continue;
		}
		/* A permit covering today for the declared route wins over
		 * one covering today for another destination; of those not
		 * covering today, the first given is the one named (the
		 * caller lists the latest first). */
		const struct rules_permit *cover = NULL, *other = NULL;
		for (size_t k = 0; k < r->n_permits; k++) {
			const struct rules_permit *p = &r->permits[k];
			if (p->from != CAL_NONE && p->to != CAL_NONE &&
			    p->from <= today && today <= p->to) {
				/* a permit for one destination fits a trip
				 * declared to go there, not one whose
				 * destination nobody asked */
				bool fits = !p->destination || !*p->destination ||
					    (in->route_country && *in->route_country &&
					     same_code(p->destination, in->route_country));
				if (!cover || fits)
					cover = p;
				if (fits)
					break;
			} else if (!other) {
				other = p;
			}
		}
		if (!cover && r->permits_unknown) {
			add(c, RULES_SEV_SECONDARY, "exit_ban", r->record, NULL,
			    "Impedimento de salida del país vigente por orden "
			    "judicial%s; no se pudieron leer sus permisos de "
			    "salida: resuelva en segunda línea con el expediente.",
			    ordered_by(r, who, sizeof(who)));
			continue;
		}
		if (!cover) {
			char extra[120] = "";
			if (other) {
				fmt_day(other->from, a);
				fmt_day(other->to, b);
				snprintf(extra, sizeof(extra),
					 " El permiso de salida registrado "
					 "cubre del %s al %s, no hoy.", a, b);
			}
			add(c, RULES_SEV_REFUSE, "exit_ban", r->record, NULL,
			    "Impedimento de salida del país vigente por orden "
			    "judicial%s.%s", ordered_by(r, who, sizeof(who)), extra);
			continue;
		}
		fmt_day(cover->from, a);
		fmt_day(cover->to, b);
		const char *dest = cover->destination;
		if (dest && *dest && !(in->route_country && *in->route_country)) {
			/* without the trip's destination the permit's
			 * cannot be held to (it was admitted as if it
			 * fit): the officer is asked for it first, or,
			 * with other grounds, the case says it */
			char n1[96];
			size_t before = c->out->n_reasons;
			c->route_for = dest;
			add(c, RULES_SEV_SECONDARY,
			    "exit_permit_destination_mismatch",
			    cover->record ? cover->record : r->record, NULL,
			    "El permiso judicial de salida (del %s al %s) es "
			    "para %s, y no se declaró el destino del viaje.",
			    a, b, country(in, dest, n1, sizeof(n1)));
			if (c->out->n_reasons > before) {
				c->route_reason[before] = true;
				c->route_dest[before] = dest;
			}
			continue;
		}
		if (dest && *dest && !same_code(dest, in->route_country)) {
			char n1[96], n2[96];
			add(c, RULES_SEV_SECONDARY,
			    "exit_permit_destination_mismatch",
			    cover->record ? cover->record : r->record, NULL,
			    "El permiso judicial de salida (del %s al %s) es "
			    "para %s, pero el viaje declarado es a %s.",
			    a, b, country(in, dest, n1, sizeof(n1)),
			    country(in, in->route_country, n2, sizeof(n2)));
			continue;
		}
		char n3[96];
		add(c, RULES_SEV_INFO, "exit_permit_applies",
		    cover->record && *cover->record ? cover->record : r->record,
		    NULL,
		    "Impedimento de salida con permiso judicial vigente del %s "
		    "al %s%s%s: la salida está autorizada.", a, b,
		    dest && *dest ? ", destino " : "",
		    dest && *dest ? country(in, dest, n3, sizeof(n3)) : "");
	}
}

/* Authorization a fits this exit but for its destination, not declared. */
static void auth_route(struct ctx *c, const struct rules_authorization *a)
{
	c->auth_route_for = a->destination;
	for (size_t k = 0; k < c->n_auth_dest; k++)
		if (same_code(c->auth_dest[k], a->destination))
			return;
	if (c->n_auth_dest < RULES_MAX_AUTHS) {
		c->auth_dest[c->n_auth_dest] = a->destination;
		c->auth_dest_rec[c->n_auth_dest++] = a->record;
	}
}

/* Why authorization a does not cover this exit, or NULL when it does. */
static const char *auth_problem(struct ctx *c,
				const struct rules_authorization *a,
				char *buf, size_t cap)
{
	const struct rules_input *in = c->in;
	char d1[CAL_TEXT], d2[CAL_TEXT];

	if (a->valid_from == CAL_NONE || a->valid_to == CAL_NONE ||
	    a->valid_to < a->valid_from)
		return "no tiene un período de validez";
	/* LEPINA Art. 44: valid for no more than one year. */
	if (a->valid_to > cal_add_years(a->valid_from, 1))
		return "su validez excede un año (LEPINA Art. 44)";
	if (in->today < a->valid_from) {
		fmt_day(a->valid_from, d1);
		snprintf(buf, cap, "es válida a partir del %s", d1);
		return buf;
	}
	if (in->today > a->valid_to) {
		fmt_day(a->valid_to, d2);
		snprintf(buf, cap, "venció el %s", d2);
		return buf;
	}
	bool route = in->route_country && *in->route_country;
	if (a->destination && *a->destination && route &&
	    !same_code(a->destination, in->route_country)) {
		char n1[96], n2[96];
		snprintf(buf, cap, "es para viajar a %s, no a %s",
			 country(in, a->destination, n1, sizeof(n1)),
			 country(in, in->route_country, n2, sizeof(n2)));
		return buf;
	}
	/* it fits but for the trip's destination, not declared: not known
	 * to be the trip the parents authorized, so the officer is asked */
	if (a->destination && *a->destination && !route) {
		char n1[96];
		snprintf(buf, cap, "es para viajar a %s, y no se declaró el destino del viaje",
			 country(in, a->destination, n1, sizeof(n1)));
	}
	const char *fits = a->destination && *a->destination && !route ? buf : NULL;
	if (!a->companion_document || !*a->companion_document) {
		/* Authorized to travel alone: anybody else along is not
		 * the arrangement that was authorized. */
		if (in->n_companions == 0) {
			if (fits)
				auth_route(c, a);
			return fits;
		}
		return "autoriza viajar sin acompañante, pero viaja acompañado";
	}
	/* the child is no companion of the child (a registry that took
	 * it let a child listed as his own companion out alone) */
	if (rules_same_docno(a->companion_document, in->doc.number) ||
	    rules_same_docno(a->companion_document, in->person.national_document))
		return "nombra como acompañante a la propia persona menor de edad";
	bool listed = false;
	for (size_t i = 0; i < in->n_companions; i++) {
		const struct rules_companion *p = &in->companions[i];
		if (!rules_same_docno(p->document_number, a->companion_document))
			continue;
		if (p->identity_checked) {
			if (fits)
				auth_route(c, a);
			return fits;
		}
		listed = true;
	}
	/* the companion it names is here, but nobody has looked at their
	 * document: that is what the officer must do, not a wrong person */
	snprintf(buf, cap, listed ? "nombra a %s%s%s, cuya identidad no se ha verificado: "
				    "verifique su documento y márquelo"
				  : "nombra a otro acompañante (%s%s%s)",
		 s_or(a->companion_name),
		 a->companion_name && *a->companion_name ? ", documento " : "documento ",
		 a->companion_document);
	return buf;
}

static void rule_minor(struct ctx *c, bool *id_card_handled)
{
	const struct rules_input *in = c->in;
	struct rules_decision *o = c->out;

	if (!o->minor)
		return;
	if (in->doc.kind == RULES_DOC_ID_CARD &&
	    (o->national || o->ca4_national)) {
		add(c, RULES_SEV_REFUSE, "minor_id_card_not_passport", NULL,
		    NULL,
		    "Las personas menores de edad viajan con pasaporte; el "
		    "documento de identidad no es suficiente.");
		*id_card_handled = true;
	}
	if (in->direction != RULES_EXIT)
		return;

	/* A parent counts once its identity was checked on a document the
	 * officer names, and each document once: a row left blank, or one
	 * parent listed twice, is not the other parent. */
	int parents = 0;
	bool guardian = false;
	for (size_t i = 0; i < in->n_companions; i++) {
		const struct rules_companion *p = &in->companions[i];
		/* a number of no letter or digit names nobody (same_docno
		 * finds it equal to none, so each such row was one more
		 * parent) */
		if (!p->identity_checked || !rules_same_docno(p->document_number,
							p->document_number))
			continue;
		/* the child's own document (or DUI) typed in a parent's row
		 * is not a parent: with one real parent it counted as the
		 * other, and the child left without the absent one's consent */
		if (rules_same_docno(p->document_number, in->doc.number) ||
		    rules_same_docno(p->document_number, in->person.national_document))
			continue;
		if (p->relation == RULES_REL_PARENT) {
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = in->companions[j].relation ==
					       RULES_REL_PARENT &&
				       in->companions[j].identity_checked &&
				       rules_same_docno(in->companions[j].document_number,
						  p->document_number);
			parents += !seen;
		} else if (p->relation == RULES_REL_GUARDIAN) {
			guardian = true;
		}
	}
	if (parents >= 2) {
		add(c, RULES_SEV_INFO, "minor_with_both_parents", NULL, NULL,
		    "Persona menor de edad acompañada por ambos padres.");
		return;
	}
	/* A legal guardian (a tutor a judge appointed) stands for the
	 * parents only on the judge's decision, which the registry keeps
	 * as an authorization like the parents' (LEPINA Art. 44): a
	 * companion the officer records as a guardian let any child out
	 * on a paper nobody registered.  Without one that names the
	 * guardian, the case goes to secondary as any child's without. */
	char why[320] = "", buf[200];
	size_t used = 0, more = 0;
	enum { WHY_MORE = 16 }; /* "; y 16 más" */
	for (size_t i = 0; i < in->n_auths; i++) {
		const struct rules_authorization *a = &in->auths[i];
		const char *p = auth_problem(c, a, buf, sizeof(buf));
		if (!p) {
			c->auth_route_for = NULL; /* this one needs no route */
			c->n_auth_dest = 0;
			add(c, RULES_SEV_INFO, "minor_authorization_applies",
			    a->record, NULL,
			    "Autorización de salida registrada y vigente "
			    "(%s).",
			    a->by == RULES_AUTH_PGR	  ? "PGR"
			    : a->by == RULES_AUTH_COURT ? "resolución judicial"
							: "acta notarial");
			return;
		}
		/* "minor_authorization:4" is said as the registry numbers it */
		const char *num = a->record ? strrchr(a->record, ':') : NULL;
		/* whole entries only, room kept for saying how many more:
		 * one cut short was left in the text («…n.º 9 ven») */
		size_t room = sizeof(why) - WHY_MORE - used;
		int n = more ? -1 : snprintf(why + used, room,
				 "%sla autorización n.º %s %s", used ? "; " : "",
				 num ? num + 1 : s_or(a->record), p);
		if (n > 0 && (size_t)n < room) {
			used += (size_t)n;
		} else {
			why[used] = 0;
			more++;
		}
	}
	if (more) {
		int n = snprintf(why + used, sizeof(why) - used, "%s%zu más",
				 used ? "; y " : "", more);
		if (n > 0 && (size_t)n < sizeof(why) - used)
			used += (size_t)n;
	}
	/* said only when no authorization applies: beside one that does, it
	 * read as if the resolution were still missing */
	if (guardian)
		add(c, RULES_SEV_INFO, "minor_with_legal_guardian", NULL, NULL,
		    "Acompañante declarado como representante legal: la "
		    "resolución que lo nombra debe estar registrada como "
		    "autorización de salida, o verificarse en segunda "
		    "revisión.");
	size_t before = c->out->n_reasons;
	add(c, RULES_SEV_SECONDARY, "minor_without_authorization", NULL, why,
	    "Persona menor de edad que sale sin ambos padres y sin una "
	    "autorización de salida vigente que nombre a su acompañante "
	    "(LEPINA Art. 44)%s%s.", used ? ": " : "", used ? why : "");
	if (c->auth_route_for && c->out->n_reasons > before) {
		c->route_reason[before] = true;
		c->route_dest[before] = NULL; /* one of auth_dest */
	}
}

/* The state at the other end of the trip: the declared one, else the
 * neighbour across a land post. */
static const char *route_of(const struct ctx *c)
{
	if (c->in->route_country && *c->in->route_country)
		return c->in->route_country;
	if (c->port->kind == RULES_PORT_LAND && c->port->neighbour[0])
		return c->port->neighbour;
	return NULL;
}

static void rule_id_card(struct ctx *c, bool handled)
{
	const struct rules_decision *o = c->out;

	if (c->in->doc.kind != RULES_DOC_ID_CARD || handled)
		return;
	if (!o->national && !o->ca4_national) {
		add(c, RULES_SEV_REFUSE, "id_card_not_valid_for_route", NULL,
		    NULL,
		    "El documento de identidad solo sirve para viajar a "
		    "nacionales de los Estados CA-4 (Guatemala, El Salvador, "
		    "Honduras, Nicaragua); se requiere pasaporte.");
		return;
	}
	const char *route = route_of(c);
	if (!route) {
		add(c, RULES_SEV_SECONDARY, "route_unknown", NULL, NULL,
		    "Viaja con documento de identidad: indique el país de "
		    "%s para saber si es un viaje dentro del CA-4.",
		    c->in->direction == RULES_EXIT ? "destino" : "procedencia");
		return;
	}
	char name[96];
	if (!rules_is_ca4(c->t, route))
		add(c, RULES_SEV_REFUSE, "id_card_not_valid_for_route", NULL,
		    NULL,
		    "El documento de identidad solo es válido para viajar "
		    "dentro del CA-4; %s %s se requiere pasaporte.",
		    c->in->direction == RULES_EXIT ? "para ir a" : "viniendo de",
		    country(c->in, route, name, sizeof(name)));
}

static enum rules_stay_who stay_who(const struct rules_decision *o,
				    enum rules_visa_cat cat)
{
	if (o->ca4_national)
		return RULES_STAY_CA4;
	switch (cat) {
	case RULES_CAT_A: return RULES_STAY_CAT_A;
	case RULES_CAT_B: return RULES_STAY_CAT_B;
	case RULES_CAT_C: return RULES_STAY_CAT_C;
	case RULES_CAT_UNKNOWN: break;
	}
	return 0;
}

static void rule_foreigner_entry(struct ctx *c)
{
	const struct rules_input *in = c->in;
	struct rules_decision *o = c->out;
	int32_t today = in->today;
	char day[CAL_TEXT];

	if (o->national)
		return;
	/* the carnet a resident crosses on is recorded with the crossing:
	 * it is what spares the visa and the stay's term (rule_ledger) */
	if (o->resident) {
		fmt_day(in->person.carnet_valid_until, day);
		add(c, RULES_SEV_INFO, "resident_carnet_valid",
		    in->person.carnet_record, NULL,
		    "Residente con carné vigente hasta el %s.", day);
	}
	/* A resident leaving on a carnet that ran out: the LEME fines a late
	 * renewal, paid on renewing or on leaving, after 15 days' grace
	 * (data/border/fines.json: its amount is not established, so the
	 * officer sends the person to Extranjería rather than the booth
	 * charging it).  Said, not weighed: a resident may always leave. */
	if (in->direction == RULES_EXIT) {
		int32_t until = in->person.carnet_valid_until;
		if (until != CAL_NONE && until < today && today - until > 15) {
			fmt_day(until, day);
			add(c, RULES_SEV_WARNING, "residence_carnet_expired",
			    in->person.carnet_record, NULL,
			    "El carné de residente venció el %s (más de 15 días): "
			    "la renovación tardía tiene multa según la LEME; "
			    "infórmele y remita a la persona a Extranjería.", day);
		}
		return;
	}
	if (in->person.carnet_valid_until != CAL_NONE) {
		if (o->resident) {
			/* A definitive resident may be away two years, one
			 * more with Extranjería's permission (LEME Art. 154;
			 * the manual's Extranjería function 4), and some are
			 * exempt (Art. 152 num. 13): a carnet still valid
			 * after such an absence is the supervisor's to
			 * weigh, with the permission in hand. */
			const struct rules_ledger *l = &in->ledger;
			if (l->has_last && l->last_direction == RULES_EXIT &&
			    l->last_date != CAL_NONE &&
			    cal_add_months(l->last_date, 24) < today) {
				fmt_day(l->last_date, day);
				add(c, RULES_SEV_SECONDARY,
				    "resident_absence_exceeded", l->last_record,
				    NULL,
				    "Residente ausente desde el %s, más de dos "
				    "años (LEME Art. 154): verifique el permiso "
				    "de ausencia de Extranjería o la exención; "
				    "sin ellos la residencia pudo perderse.", day);
			}
		} else {
			fmt_day(in->person.carnet_valid_until, day);
			add(c, RULES_SEV_SECONDARY, "residence_carnet_expired",
			    in->person.carnet_record, NULL,
			    "El carné de residente venció el %s: la condición "
			    "migratoria debe revisarse.", day);
		}
		return;
	}

	/* Six months of validity left on a foreign passport (CA-4 nationals
	 * move on the CA-4 regime instead). */
	int months = c->t->min_passport_validity_months;
	if (!o->ca4_national && in->doc.kind == RULES_DOC_PASSPORT &&
	    months > 0 && in->doc.expiry != CAL_NONE &&
	    in->doc.expiry >= today &&
	    in->doc.expiry < cal_add_months(today, months)) {
		fmt_day(in->doc.expiry, day);
		add(c, RULES_SEV_SECONDARY, "document_validity_insufficient",
		    NULL, NULL,
		    "El pasaporte vence el %s: para ingresar se requiere una "
		    "vigencia mínima de %d meses.", day, months);
	}

	if (!o->ca4_national) {
		switch (o->category) {
		case RULES_CAT_UNKNOWN: {
			char name[96];
			/* no nationality at all (a traveler without a document
			 * who did not say it): «la nacionalidad de :» said nothing */
			if (!c->cat_from || !*c->cat_from)
				add(c, RULES_SEV_SECONDARY, "visa_category_unknown",
				    NULL, NULL,
				    "No consta la nacionalidad: verifique los "
				    "requisitos de ingreso.");
			else
				add(c, RULES_SEV_SECONDARY, "visa_category_unknown",
				    NULL, NULL,
				    "No hay regla de visa establecida para la "
				    "nacionalidad de %s: verifique los requisitos de "
				    "ingreso.", country(c->in, c->cat_from, name, sizeof(name)));
			return;
		}
		case RULES_CAT_A:
			break;
		case RULES_CAT_C: {
			const struct rules_consultada *q = &in->consultada;
			/* an approval that does not say until when is
			 * not taken as valid for ever (a consular visa
			 * without an end is not taken either) */
			char qn[96];
			if (!q->present || !q->approved ||
			    q->valid_until == CAL_NONE ||
			    q->valid_until < today)
				add(c, RULES_SEV_SECONDARY,
				    "visa_consultada_not_approved", q->record,
				    NULL,
				    "%s: nacionalidad de visa consultada (categoría "
				    "C), sin una autorización aprobada y vigente "
				    "de la DGME.", country(c->in, c->cat_from, qn, sizeof(qn)));
			/* A category C national also needs the visa
			 * itself. */
			__attribute__((fallthrough));
		}
		case RULES_CAT_B: {
			char name[96];
			if (!in->visa.held) {
				add(c, RULES_SEV_SECONDARY, "visa_required",
				    NULL, NULL,
				    "%s: requiere visa para ingresar (categoría "
				    "%s) y no se presentó.",
				    country(c->in, c->cat_from, name, sizeof(name)),
				    rules_category_name(o->category));
			} else if (in->visa.valid_until == CAL_NONE) {
				/* «no está vigente (vence: sin fecha)» read as
				 * a visa expired: it is one not said until when */
				add(c, RULES_SEV_SECONDARY, "visa_required",
				    in->visa.record, NULL,
				    "%s: requiere visa para ingresar (categoría "
				    "%s) y no se indicó hasta cuándo es válida la "
				    "presentada: verifíquela.",
				    country(c->in, c->cat_from, name, sizeof(name)),
				    rules_category_name(o->category));
			} else if (in->visa.valid_until < today) {
				fmt_day(in->visa.valid_until, day);
				add(c, RULES_SEV_SECONDARY, "visa_required",
				    in->visa.record, NULL,
				    "%s: requiere visa para ingresar (categoría "
				    "%s) y la presentada no está vigente (vence: %s).",
				    country(c->in, c->cat_from, name, sizeof(name)),
				    rules_category_name(o->category), day);
			}
			break;
		}
		}
	}

	int days = rules_stay_days(c->t, stay_who(o, o->category), today);
	if (days > 0) {
		o->stay_days_granted = days;
		o->stay_until = today + days - 1;
		fmt_day(o->stay_until, day);
		add(c, RULES_SEV_INFO, "stay_granted", NULL, NULL,
		    "Permanencia autorizada: %d días (hasta el %s).", days,
		    day);
	} else {
		add(c, RULES_SEV_WARNING, "stay_not_determined", NULL, NULL,
		    "No se pudo determinar la permanencia autorizada: fíjela "
		    "manualmente.");
	}
}

/* The days the stay of the recorded entry (of day entry) allows: as
 * granted, or for an entry recorded without them (a paper record), what
 * the tables gave that nationality that day; -1 if they do not say. */
static int recorded_stay(const struct ctx *c, int32_t entry)
{
	int days = c->in->ledger.stay_days;
	if (days < 0) {
		enum rules_visa_cat cat = rules_category(c->t, c->cat_from, entry);
		days = rules_stay_days(c->t, stay_who(c->out, cat), entry);
	}
	return days;
}

/* The last day the current visit's stay allows (the day of entry is
 * day 1), CAL_NONE when the visit has no term (a resident's entry, a
 * referral) or no entry to count from, and -1 with *unknown when the
 * tables do not say. */
static int32_t stay_last_day(const struct ctx *c, bool *unknown)
{
	const struct rules_ledger *l = &c->in->ledger;
	*unknown = false;
	int32_t entry = l->stay_entry != CAL_NONE ? l->stay_entry : l->last_date;
	/* a resident leaving was fined as a visitor over the tables' 90 days */
	if (entry == CAL_NONE || l->stay_open)
		return CAL_NONE;
	int days = recorded_stay(c, entry);
	if (days < 0) {
		*unknown = true;
		return CAL_NONE;
	}
	return entry + days + (l->extension_days > 0 ? l->extension_days : 0) - 1;
}

/* A resident leaving on a carnet, whose entry was a visitor's (the
 * residence granted since, or a carnet typed to spare a fine): past that
 * visit's term, the carnet the booth cannot read from a registry is what
 * waives the overstay, so the supervisor checks it with Extranjería. */
static void resident_past_visit(struct ctx *c)
{
	const struct rules_input *in = c->in;
	bool unknown;
	int32_t last_ok = stay_last_day(c, &unknown);
	if (last_ok == CAL_NONE || in->today <= last_ok)
		return;
	char day[CAL_TEXT], until[CAL_TEXT];
	fmt_day(last_ok, day);
	fmt_day(in->person.carnet_valid_until, until);
	int over = (int)(in->today - last_ok);
	/* the fine the supervisor charges if the residence does not stand:
	 * the days and amount go with the case (fine_applies stays false:
	 * the booth does not know it applies) */
	struct rules_decision *o = c->out;
	const struct rules_fine *f;
	int64_t cents = rules_overstay_fine(c->t, in->today, over, &f);
	o->overstay_days = over;
	o->fine_known = cents >= 0;
	o->fine_cents = cents >= 0 ? cents : 0;
	snprintf(o->fine_basis, sizeof(o->fine_basis), "%s", f ? f->basis : "");
	add(c, RULES_SEV_SECONDARY, "residence_unverified", in->ledger.last_record,
	    NULL,
	    "Entró como visitante con permanencia hasta el %s (%d día%s "
	    "excedido%s); el carné de residente presentado (vigente hasta el "
	    "%s) la excusaría: verifique la residencia con Extranjería.",
	    day, over, over == 1 ? "" : "s", over == 1 ? "" : "s", until);
}

static void overstay(struct ctx *c)
{
	const struct rules_input *in = c->in;
	const struct rules_ledger *l = &in->ledger;
	struct rules_decision *o = c->out;
	char day[CAL_TEXT], fine[200];

	bool unknown;
	int32_t last_ok = stay_last_day(c, &unknown);
	if (unknown) {
		add(c, RULES_SEV_WARNING, "stay_not_determined", l->last_record,
		    NULL,
		    "No se pudo determinar la permanencia autorizada de esta "
		    "estadía: verifique si hay permanencia excedida.");
		return;
	}
	if (last_ok == CAL_NONE || in->today <= last_ok)
		return;
	o->overstay_days = (int)(in->today - last_ok);
	o->fine_applies = true;
	const struct rules_fine *f;
	int64_t cents = rules_overstay_fine(c->t, in->today, o->overstay_days, &f);
	if (cents >= 0) {
		o->fine_known = true;
		o->fine_cents = cents;
		snprintf(o->fine_basis, sizeof(o->fine_basis), "%s", f->basis);
		snprintf(fine, sizeof(fine), "Multa: US$ %lld.%02lld (%s).",
			 (long long)(cents / 100), (long long)(cents % 100),
			 f->basis);
	} else {
		if (f)
			snprintf(o->fine_basis, sizeof(o->fine_basis), "%s",
				 f->basis);
		snprintf(fine, sizeof(fine),
			 "Multa según resolución: el supervisor fija el monto "
			 "o registra el recibo.");
	}
	fmt_day(last_ok, day);
	add(c, RULES_SEV_SECONDARY, "overstay", l->last_record, NULL,
	    "Permanencia excedida en %d día%s (autorizada hasta el %s). %s",
	    o->overstay_days, o->overstay_days == 1 ? "" : "s", day, fine);
}

static void rule_ledger(struct ctx *c)
{
	const struct rules_input *in = c->in;
	const struct rules_ledger *l = &in->ledger;
	const struct rules_decision *o = c->out;
	char day[CAL_TEXT];

	if (in->checks_failed & RULES_CHECK_LEDGER)
		return; /* check_failed already says it */
	bool foreigner = !o->national && !o->resident;
	/* A warning, not secondary: the fine is collected at a bank window
	 * or an office, and no rule found bars the crossing until it is. */
	if (l->fines_pending > 0)
		add(c, RULES_SEV_WARNING, "fine_pending", l->fine_record, NULL,
		    "Tiene %d multa%s pendiente%s de cobro por permanencia "
		    "excedida: infórmele y remita a la persona al pago.",
		    l->fines_pending, l->fines_pending == 1 ? "" : "s",
		    l->fines_pending == 1 ? "" : "s");
	/* Referred to secondary at one post and gone before the supervisor
	 * saw them: the case there is open, and whatever sent them to it
	 * may not show on this document (another passport, the manifest of
	 * another flight).  The supervisor here reads it first. */
	if (l->pending_case_record) {
		fmt_day(l->pending_case_day, day);
		add(c, RULES_SEV_SECONDARY, "secondary_pending", l->pending_case_record, NULL,
		    "Tiene un caso pendiente de segunda revisión en %s desde el %s "
		    "a las %s: no esperó la resolución. Consulte ese caso antes "
		    "de decidir.", s_or(l->pending_case_port), day,
		    s_or(l->pending_case_time));
	}

	if (in->direction == RULES_EXIT) {
		if (!l->has_last || l->last_direction == RULES_EXIT) {
			/* A national may leave for the first time or after
			 * an unrecorded return: noted.  A foreigner with no
			 * recorded entry may have entered irregularly and
			 * his stay cannot be measured: secondary. */
			char last[80] = "";
			if (l->has_last) {
				fmt_day(l->last_date, day);
				snprintf(last, sizeof(last),
					 " (última salida registrada: %s)",
					 day);
			}
			add(c, foreigner ? RULES_SEV_SECONDARY
					 : RULES_SEV_WARNING,
			    "exit_without_entry", l->last_record, NULL,
			    "Salida sin entrada registrada%s.", last);
			return;
		}
		if (foreigner)
			overstay(c);
		else if (o->resident)
			resident_past_visit(c);
		return;
	}
	/* refused entry lately: whatever made the refusal may not have
	 * changed, whichever post the traveler tries next (a national is
	 * never refused entry) */
	if (!o->national && l->inadmission_day != CAL_NONE &&
	    l->inadmission_day >= in->today - RULES_INADMISSION_DAYS) {
		fmt_day(l->inadmission_day, day);
		add(c, RULES_SEV_SECONDARY, "inadmission_recent", l->inadmission_record, NULL,
		    "Se le negó el ingreso el %s en %s (%s): verifique que la "
		    "causa se haya subsanado.", day, s_or(l->inadmission_port),
		    s_or(l->inadmission_ground));
	}
	if (l->has_last && l->last_direction == RULES_ENTRY) {
		fmt_day(l->last_date, day);
		const struct rules_port *lp = l->last_port ? rules_port_find(c->t, l->last_port) : NULL;
		add(c, RULES_SEV_WARNING, "entry_without_exit", l->last_record,
		    NULL,
		    "Nueva entrada sin salida registrada desde la entrada del "
		    "%s%s%s.", day, l->last_port && *l->last_port ? " por " : "",
		    lp ? lp->name : s_or(l->last_port));
		/* A foreigner whose last recorded stay ran out before this
		 * entry: when they left is not known, so neither is whether
		 * they overstayed; the ledger says they were over, and a
		 * fresh stay would wipe that out unasked. */
		int days = foreigner && l->stay_entry != CAL_NONE && !l->stay_open
				   ? recorded_stay(c, l->stay_entry) : -1;
		if (days > 0) {
			int32_t until = l->stay_entry + days + (l->extension_days > 0 ? l->extension_days : 0) - 1;
			if (until < in->today) {
				char end[CAL_TEXT];
				fmt_day(until, end);
				add(c, RULES_SEV_SECONDARY, "previous_stay_expired",
				    l->last_record, NULL,
				    "Su permanencia anterior (entrada del %s) venció "
				    "el %s y no hay salida registrada: verifique "
				    "cuándo salió del país; si se quedó más tiempo, "
				    "corresponde la multa por permanencia excedida.",
				    day, end);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Input validation                                                    */
/* ------------------------------------------------------------------ */

static int check_list(size_t n, const void *p, size_t max, const char *field,
		      struct sigm_error *err)
{
	if (n > 0 && !p)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_field", field,
				      "lista sin elementos");
	if (n > max)
		return sigm_error_set(err, SIGM_ETOOBIG, "too_many", field,
				      "demasiados elementos en «%s» (máximo "
				      "%zu)", field, max);
	return 0;
}

static int bad(struct sigm_error *err, const char *field, const char *what)
{
	return sigm_error_set(err, SIGM_EINVAL, "invalid_field", field,
			      "valor inválido: %s", what);
}

static int validate(const struct rules_tables *t, const struct rules_input *in,
		    const struct rules_port **port, struct sigm_error *err)
{
	int rc;

	if (!t || !in)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_input", NULL,
				      "faltan las tablas o la entrada");
	if (in->today == CAL_NONE)
		return bad(err, "today", "falta la fecha de la inspección");
	if (in->direction != RULES_ENTRY && in->direction != RULES_EXIT)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_direction",
				      "direction",
				      "la dirección debe ser «entry» o «exit»");
	*port = rules_port_find(t, in->port);
	if (!*port)
		return sigm_error_set(err, SIGM_EINVAL, "unknown_port", "port",
				      "delegación migratoria desconocida: «%.20s»",
				      s_or(in->port));
	if (!(*port)->active)
		return sigm_error_set(err, SIGM_EINVAL, "port_inactive", "port",
				      "la delegación %s no está habilitada",
				      (*port)->code);
	if (in->doc.kind < RULES_DOC_PASSPORT || in->doc.kind > RULES_DOC_NONE)
		return bad(err, "document.kind", "tipo de documento");
	if ((rc = check_list(in->n_hits, in->hits, RULES_MAX_HITS, "hits",
			     err)) ||
	    (rc = check_list(in->n_restrictions, in->restrictions,
			     RULES_MAX_RESTRICTIONS, "restrictions", err)) ||
	    (rc = check_list(in->n_companions, in->companions,
			     RULES_MAX_COMPANIONS, "companions", err)) ||
	    (rc = check_list(in->n_auths, in->auths, RULES_MAX_AUTHS,
			     "authorizations", err)))
		return rc;
	for (size_t i = 0; i < in->n_hits; i++)
		if (in->hits[i].category < RULES_HIT_ALERT ||
		    in->hits[i].category > RULES_HIT_OTHER ||
		    in->hits[i].sub < RULES_ALERT_NONE ||
		    in->hits[i].sub > RULES_ALERT_OTHER)
			return bad(err, "hits.category", "categoría");
	for (size_t i = 0; i < in->n_restrictions; i++) {
		const struct rules_restriction *r = &in->restrictions[i];
		if (r->measure != RULES_MEASURE_EXIT_BAN &&
		    r->measure != RULES_MEASURE_OTHER)
			return bad(err, "restrictions.measure", "medida");
		if ((rc = check_list(r->n_permits, r->permits,
				     RULES_MAX_PERMITS,
				     "restrictions.permits", err)))
			return rc;
	}
	for (size_t i = 0; i < in->n_companions; i++)
		if (in->companions[i].relation < RULES_REL_PARENT ||
		    in->companions[i].relation > RULES_REL_OTHER)
			return bad(err, "companions.relation", "parentesco");
	for (size_t i = 0; i < in->n_auths; i++)
		if (in->auths[i].by < RULES_AUTH_NOTARY ||
		    in->auths[i].by > RULES_AUTH_COURT)
			return bad(err, "authorizations.authorizing",
				   "autoridad que autoriza");
	return 0;
}

/* A traveler refused at the booth is granted no stay: the screen must
 * not say "Permanencia autorizada" under "No admitir". */
static void drop_stay(struct rules_decision *out)
{
	size_t k = 0;
	for (size_t i = 0; i < out->n_reasons; i++)
		if (strcmp(out->reasons[i].code, "stay_granted") &&
		    strcmp(out->reasons[i].code, "stay_not_determined"))
			out->reasons[k++] = out->reasons[i];
	out->n_reasons = k;
	out->stay_until = CAL_NONE;
	out->stay_days_granted = 0;
}

/* A traveler sent to secondary keeps the stay the tables give (the
 * supervisor's admission records it), but it is not granted yet: the
 * officer must not tell the traveler "90 days" before the case is closed. */
static void stay_if_admitted(struct rules_decision *out)
{
	char day[CAL_TEXT];
	for (size_t i = 0; i < out->n_reasons; i++) {
		struct rules_reason *r = &out->reasons[i];
		if (strcmp(r->code, "stay_granted") != 0)
			continue;
		fmt_day(out->stay_until, day);
		snprintf(r->message, sizeof(r->message),
			 "Permanencia si se admite: %d días (hasta el %s).",
			 out->stay_days_granted, day);
	}
}

/* A decision with no reason: all but the reasons' texts, which vadd
 * writes whole as it adds each (a reason past n_reasons is never read).
 * The 96 KB of them, zeroed on every inspection, were the booth's largest
 * memset (perf, 128 connections). */
static void decision_clear(struct rules_decision *o)
{
	size_t at = offsetof(struct rules_decision, reasons);
	size_t past = at + sizeof(o->reasons);
	memset(o, 0, at);
	memset((char *)o + past, 0, sizeof(*o) - past);
}

static void fail_safe(struct rules_decision *out, const struct sigm_error *e)
{
	decision_clear(out);
	out->decision = RULES_SECONDARY;
	out->stay_until = CAL_NONE;
	out->n_reasons = 1;
	struct rules_reason *r = &out->reasons[0];
	memset(r, 0, sizeof(*r));
	snprintf(r->code, sizeof(r->code), "check_failed");
	snprintf(r->message, sizeof(r->message),
		 "No se pudo evaluar la inspección: %s. No admitir sin "
		 "revisión en segunda línea.",
		 e && e->message[0] ? e->message : "error interno");
	snprintf(r->detail, sizeof(r->detail), "%s", e ? e->code : "");
	r->severity = RULES_SEV_SECONDARY;
}

/* How strict a visa category is: a category nobody established is the
 * strictest (secondary), as the tables' default says. */
static int cat_rank(enum rules_visa_cat c)
{
	switch (c) {
	case RULES_CAT_A: return 0;
	case RULES_CAT_B: return 1;
	case RULES_CAT_C: return 2;
	case RULES_CAT_UNKNOWN: break;
	}
	return 3;
}

/* A CA-4 national travels without a visa (and is not in the visa
 * tables): as category A when weighed against another state's rule. */
static int visa_rank(const struct rules_tables *t, const char *code, int32_t day)
{
	return rules_is_ca4(t, code) ? 0 : cat_rank(rules_category(t, code, day));
}

/* A state issues passports to its nationals; ICAO's exceptions are the
 * United Kingdom's classes of British nationality (GBD, GBN, GBO, GBP,
 * GBS on a GBR passport) and an organization's documents (UNO, EUE,
 * XOM…), whose holder's nationality is another by nature. */
static bool issuer_is_nationality(const char *issuer, const char *nat)
{
	if (same_code(issuer, nat))
		return true;
	/* ICAO Doc 9303 Part 3's organizations: a laissez-passer's holder
	 * is a national of somewhere else by nature (the visa is the
	 * holder's nationality's) */
	static const char *const orgs[] = {"UNO", "UNA", "UNK", "EUE", "XOM", "XPO", "XCC",
					   "XES", "XMP", "XBA", "XIM", "XCE", "XEC", "XDC",
					   "XCO", "XAA", NULL};
	for (int i = 0; orgs[i]; i++)
		if (same_code(issuer, orgs[i]))
			return true;
	if (same_code(issuer, "GBR") && nat && strlen(nat) == 3 &&
	    strncasecmp(nat, "GB", 2) == 0 && strchr("DNOPSdnops", nat[2]))
		return true;
	return false;
}

/* The reasons that only lack the trip's destination (route_reason),
 * turned into warnings that say what to confirm; the decision then is
 * what the other reasons make it. */
static void route_unconfirmed(struct ctx *c)
{
	const struct rules_input *in = c->in;
	struct rules_decision *o = c->out;
	char n1[96];
	c->worst = RULES_SEV_INFO;
	for (size_t i = 0; i < o->n_reasons; i++) {
		struct rules_reason *r = &o->reasons[i];
		if (c->route_reason[i]) {
			bool permit = !strcmp(r->code, "exit_permit_destination_mismatch");
			const char *dest = c->route_dest[i];
			char msg[sizeof(r->message)], to[640] = "";
			if (permit) {
				snprintf(to, sizeof(to), "%s", country(in, dest, n1, sizeof(n1)));
				/* its own words: the permit, its days, where to */
				snprintf(msg, sizeof(msg), "%s", r->message);
				size_t n = strlen(msg);
				if (n && msg[n - 1] == '.')
					msg[n - 1] = 0;
			} else {
				/* the authorizations that fit but for it: the
				 * one a permit's destination settles, else each
				 * (the trip is to one of them) */
				size_t k0 = c->auth_pick >= 0 ? (size_t)c->auth_pick : 0;
				size_t k1 = c->auth_pick >= 0 ? k0 + 1 : c->n_auth_dest;
				size_t used = 0, wrote = 0;
				for (size_t k = k0; k < k1; k++) {
					const char *num = c->auth_dest_rec[k] ? strrchr(c->auth_dest_rec[k], ':') : NULL;
					int n = snprintf(msg + used, sizeof(msg) - used, "%s (n.º %s) para viajar a %s",
							 k == k0 ? "" : k + 1 == k1 ? " y" : ",",
							 num ? num + 1 : s_or(c->auth_dest_rec[k]),
							 country(in, c->auth_dest[k], n1, sizeof(n1)));
					if (n > 0 && (size_t)n < sizeof(msg) - used)
						used += (size_t)n;
					n = snprintf(to + wrote, sizeof(to) - wrote, "%s%s",
						     k == k0 ? "" : k + 1 == k1 ? " o a " : ", a ",
						     country(in, c->auth_dest[k], n1, sizeof(n1)));
					if (n > 0 && (size_t)n < sizeof(to) - wrote)
						wrote += (size_t)n;
				}
				char list[sizeof(msg)];
				snprintf(list, sizeof(list), "%s", msg);
				snprintf(msg, sizeof(msg), "%s de salida registrada%s%s, y no se declaró el destino del viaje",
					 k1 - k0 > 1 ? "Autorizaciones" : "Autorización",
					 k1 - k0 > 1 ? "s" : "", list);
				snprintf(r->record, sizeof(r->record), "%s", s_or(c->auth_dest_rec[k0]));
				r->detail[0] = 0;
			}
			snprintf(r->message, sizeof(r->message),
				 "%s: confirme en el pasaje o la tarjeta de embarque que el viaje es a %s; "
				 "si es a otro país, envíe a segunda revisión.", msg, to);
			rules_cut_whole(r->message);
			snprintf(r->code, sizeof(r->code), "destination_unconfirmed");
			r->severity = RULES_SEV_WARNING;
		}
		if (r->severity > c->worst)
			c->worst = r->severity;
	}
}

int rules_inspect(const struct rules_tables *t, const struct rules_input *in,
		  struct rules_decision *out, struct sigm_error *err)
{
	struct sigm_error local, *e = err ? err : &local;
	const struct rules_port *port = NULL;
	struct ctx c = {0};
	int rc;

	if (!out)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_input", NULL,
				      "falta la salida");
	decision_clear(out);
	out->stay_until = CAL_NONE;
	if ((rc = validate(t, in, &port, e)) != 0)
		goto fail;
	if ((rc = cal_age_range(&in->person.birth, in->today, &out->age_min,
				&out->age_max, e)) != 0)
		goto fail;

	c.t = t;
	c.in = in;
	c.out = out;
	c.port = port;
	/* The traveler crosses on the document shown: its nationality says
	 * which visa and which CA-4 rules apply.  The one declared used to
	 * win, and an Afghan passport declared German was admitted without
	 * the visa it needs, a Bolivian one declared Guatemalan as CA-4. */
	c.nat = in->doc.nationality && *in->doc.nationality
			? in->doc.nationality
			: s_or(in->person.nationality);
	/* Anybody Salvadoran by the person record or by the document is
	 * treated as a national (dual nationals included). */
	out->national = same_code(in->person.nationality, t->home) ||
			same_code(in->doc.nationality, t->home);
	/* A nationality declared against the document's: the home one is
	 * taken on a Salvadoran document shown beside the foreign one (a DUI),
	 * else the officer looks at one first (a foreign passport typed as
	 * Salvadoran was admitted as a national, no visa, no stay); another
	 * one is said, and the document's decides (c.nat above). */
	bool declared = in->person.nationality && *in->person.nationality &&
			in->doc.nationality && *in->doc.nationality &&
			!same_code(in->person.nationality, in->doc.nationality);
	/* Salvadoran on a document another state issued: what the document
	 * says of nationality was typed with it (the booth's manual form
	 * sends one field for both), so the issuing state tells */
	bool home_on_foreign = out->national && in->doc.issuing_state &&
			       *in->doc.issuing_state &&
			       !same_code(in->doc.issuing_state, t->home);
	/* A document one state issued to another's national (typed with
	 * "Emisor CHN, Nacionalidad USA", or an alien's passport): the visa
	 * rule applied is the stricter of the two, and it is said.  The
	 * nationality typed alone used to decide: a Chinese passport typed
	 * as American was admitted without the visa consultada. */
	const char *issuer = in->doc.issuing_state;
	bool issuer_differs = !out->national && issuer && *issuer && *s_or(c.nat) &&
			      !issuer_is_nationality(issuer, c.nat);
	out->ca4_national = !out->national && rules_is_ca4(t, c.nat) &&
			    (!issuer_differs || rules_is_ca4(t, issuer));
	c.cat_from = c.nat;
	/* a CA-4 nationality has no row of the visa tables (it counts as
	 * exempt): on another state's document the issuer's rule is the
	 * one there is (a Honduran on a US document was told «no hay regla
	 * de visa establecida para la nacionalidad de Honduras») */
	if (issuer_differs && !out->ca4_national &&
	    (visa_rank(t, issuer, in->today) > visa_rank(t, c.nat, in->today) ||
	     rules_is_ca4(t, c.nat)))
		c.cat_from = issuer;
	/* Protective reading of a partial birth date: a person who may be
	 * under 18 is treated as a minor. */
	out->minor = out->age_min < 18;
	if (out->minor && !in->companions_listed) {
		rc = sigm_error_set(e, SIGM_EINVAL, "companions_required",
				    "companions",
				    "persona menor de edad: indique sus "
				    "acompañantes, o que viaja sin acompañante");
		goto fail;
	}
	out->resident = !out->national &&
			in->person.carnet_valid_until != CAL_NONE &&
			in->person.carnet_valid_until >= in->today;
	out->category = out->national || out->ca4_national
				? RULES_CAT_UNKNOWN
				: rules_category(t, c.cat_from, in->today);

	bool id_card_handled = false;
	rule_checks_failed(&c);
	rule_document(&c);
	rule_screening(&c);
	rule_restrictions(&c);
	rule_apis(&c);
	rule_minor(&c, &id_card_handled);
	rule_id_card(&c, id_card_handled);
	rule_foreigner_entry(&c);
	rule_ledger(&c);

	if (out->minor && out->age_max >= 18)
		add(&c, RULES_SEV_INFO, "birth_date_partial", NULL, NULL,
		    "Fecha de nacimiento incompleta: tiene entre %d y %d años; "
		    "se aplican las reglas de menores.", out->age_min,
		    out->age_max);
	if (c.capped)
		add(&c, RULES_SEV_INFO, "national_entry_not_refused", NULL,
		    NULL,
		    "Salvadoreño/a: no se rechaza su ingreso al país; resuelva "
		    "en segunda línea.");
	if (home_on_foreign) {
		char n1[96];
		if (in->person.national_document && *in->person.national_document)
			add(&c, RULES_SEV_INFO, "dual_national", NULL, NULL,
			    "Salvadoreño/a con documento de %s; DUI %s.",
			    country(in, in->doc.issuing_state, n1, sizeof(n1)),
			    in->person.national_document);
		else
			add(&c, RULES_SEV_SECONDARY, "nationality_not_shown", NULL, NULL,
			    "Declara la nacionalidad salvadoreña con un documento de "
			    "%s: registre su DUI o inspeccione su pasaporte "
			    "salvadoreño.",
			    country(in, in->doc.issuing_state, n1, sizeof(n1)));
	} else if (declared) {
		char n1[96], n2[96];
		add(&c, RULES_SEV_WARNING, "nationality_differs", NULL, NULL,
		    "Nacionalidad declarada %s; el documento indica %s.",
		    country(in, in->person.nationality, n1, sizeof(n1)),
		    country(in, in->doc.nationality, n2, sizeof(n2)));
	}
	if (issuer_differs) {
		char n1[96], n2[96];
		add(&c, RULES_SEV_WARNING, "issuer_differs", NULL, NULL,
		    "Documento emitido por %s a nacional de %s: verifique el "
		    "documento; se aplica la regla de visa más estricta de las "
		    "dos.",
		    country(in, issuer, n1, sizeof(n1)),
		    country(in, c.nat, n2, sizeof(n2)));
	}
	/* The missing route is all there is: the permit or the
	 * authorization fits but for a destination nobody declared (the
	 * request need not carry one; a booth officer left it empty).  The
	 * officer, ticket in hand, holds the traveler to it: a warning that
	 * names where it is for, and a decision in one call.  Asking with a
	 * 422 first answered no decision at all to a client that sends the
	 * issue's fields only; secondary for every such trip sends every
	 * child with a registered authorization there.  With other grounds
	 * (a warrant, another ban, an expired passport) the decision
	 * stands, the missing route among its reasons. */
	bool route_only = (c.route_for || c.auth_route_for) && !out->reasons_truncated;
	const char *one_dest = NULL;
	for (size_t i = 0; route_only && i < out->n_reasons; i++) {
		route_only = out->reasons[i].severity < RULES_SEV_SECONDARY ||
			     c.route_reason[i];
		/* and all of them for one destination: the trip cannot be
		 * confirmed to go to two countries (the permits' each one;
		 * the child's, one of its authorizations') */
		if (route_only && c.route_reason[i] && c.route_dest[i]) {
			if (!one_dest)
				one_dest = c.route_dest[i];
			else if (!same_code(one_dest, c.route_dest[i]))
				route_only = false;
		}
	}
	c.auth_pick = -1;
	for (size_t i = 0; route_only && one_dest && i < out->n_reasons; i++) {
		if (!c.route_reason[i] || c.route_dest[i])
			continue;
		route_only = false;
		for (size_t k = 0; k < c.n_auth_dest && !route_only; k++)
			if (same_code(c.auth_dest[k], one_dest))
				c.auth_pick = (int)k, route_only = true;
	}
	if (route_only)
		route_unconfirmed(&c);
	out->decision = c.worst == RULES_SEV_REFUSE     ? RULES_REFUSE
			: c.worst == RULES_SEV_SECONDARY ? RULES_SECONDARY
							 : RULES_ADMIT;
	if (out->decision == RULES_REFUSE)
		drop_stay(out);
	else if (out->decision == RULES_SECONDARY)
		stay_if_admitted(out);
	return 0;

fail:
	fail_safe(out, e);
	return rc;
}
