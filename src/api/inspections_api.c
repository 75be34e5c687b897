/*
 * inspections_api.c - primary inspection at the booth:
 * POST /api/v1/inspections, and GET /api/v1/ports.
 *
 * One call: validate the input, gather what the rules need (court
 * restrictions, alerts, lost/stolen reports, minors' authorizations, the
 * person's last movement) on reader connections, decide with the pure
 * rules_inspect(), then write identity, the inspection, the movement (when
 * admitted), blocked exits and the audit entry in ONE transaction.  A check
 * that could not run is passed to the rules as failed, which makes the
 * decision at least secondary: a traveler is never admitted because a
 * check failed.
 *
 * Matching against the registries is exact here (document number, DUI, or
 * folded names with the birth date), found in memory (subject_ix.h) and
 * read by id; the fuzzy screening index adds to it.
 */
#include "api/api.h"
#include "api/countries.h"
#include "api/documents.h"
#include "api/apis.h"
#include "api/screen_api.h"
#include "core/calendar.h"
#include "core/mrz.h"
#include "core/names.h"
#include "core/rules.h"
#include "core/utf8.h"
#include "store/audit.h"
#include "store/ledger.h"
#include "store/persons.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* a traveler's names, in characters: a name the booth takes must screen
 * (more bytes than the engine's cap sent the traveler to secondary with
 * check_failed) */
#define BOOTH_NAME_MAX 200
_Static_assert(BOOTH_NAME_MAX <= NAMES_MAX_CHARS, "a name the booth takes must screen");

#define MATCH_THRESHOLD 80.0

/* Everything gathered for one inspection; rows stay alive until the end
 * because the rules input points into them. */
struct gather {
	struct store_rows *restr[RULES_MAX_RESTRICTIONS], *alerts[RULES_MAX_HITS];
	struct store_rows *ls, *auths, *last;
	struct rules_hit hits[RULES_MAX_HITS];
	struct rules_restriction restrictions[RULES_MAX_RESTRICTIONS];
	struct rules_permit permit_buf[RULES_MAX_RESTRICTIONS][RULES_MAX_PERMITS];
	struct rules_authorization auth_buf[RULES_MAX_AUTHS];
	struct rules_companion companions[RULES_MAX_COMPANIONS];
	/* hits, restrictions, authorizations, the last movement, the oldest
	 * unpaid fine; permits and destinations have their own below */
	char records[RULES_MAX_HITS + RULES_MAX_RESTRICTIONS + RULES_MAX_AUTHS + 4][48];
	char permit_rec[RULES_MAX_RESTRICTIONS][RULES_MAX_PERMITS][32];
	char permit_dest[RULES_MAX_RESTRICTIONS][RULES_MAX_PERMITS][4];
	char auth_dest[RULES_MAX_AUTHS][4];
	char auth_companion[RULES_MAX_AUTHS][160]; /* given names and surnames */
	char holder_note[640], holder_rec[40]; /* the document's holder on file */
	int nrec;
	bool records_full;  /* more records than room: a check failed */
	int64_t restriction_ids[RULES_MAX_RESTRICTIONS];
	char ls_record[48];
	char expl[RULES_MAX_HITS][400]; /* screening index explanations */
	struct apis_booth apis;         /* the flight's APIS manifest */
	/* the ledger the decision read: the person's latest movement (0:
	 * none), checked again when the crossing is written */
	bool ledger_read;
	int64_t ledger_mv;
	/* the person's latest inadmission the decision read (0: none), and
	 * how it was asked (whose, since when), checked again when an entry
	 * is admitted: a supervisor's refusal between the read and the write */
	bool inadm_read, inadm_linked;
	int64_t inadm_id, inadm_person;
	char inadm_since[40];
	/* the registries as the decision weighed them: the restrictions and
	 * alerts matched exactly and in force as read, compared when an
	 * admission is written with what the database holds then
	 * (registries_unchanged) */
	bool registries_read;
	int64_t weighed[SUBJECT_NKINDS][RULES_MAX_RESTRICTIONS > RULES_MAX_HITS ? RULES_MAX_RESTRICTIONS : RULES_MAX_HITS];
	int n_weighed[SUBJECT_NKINDS];
	/* the highest registry ids the index had heard of before the read
	 * began (api_screen_exact_seen; -1 without an index): a row above
	 * them was not weighed, one below was in the read's snapshot */
	int64_t seen[SUBJECT_NKINDS];
	char inadmission_port[160], inadmission_ground[1024];
	char pending_port[160], pending_time[6];
};

static void gather_free(struct gather *g)
{
	for (int i = 0; i < RULES_MAX_RESTRICTIONS; i++)
		store_rows_free(&g->restr[i]);
	for (int i = 0; i < RULES_MAX_HITS; i++)
		store_rows_free(&g->alerts[i]);
	store_rows_free(&g->ls);
	store_rows_free(&g->auths);
	store_rows_free(&g->last);
	json_decref(g->apis.json);
}

/* A record's name ("alert:12"), kept until the answer is sent.  The room
 * is for the usual case; a traveler with more (many court orders, each
 * with many permits) makes the inspection a failed check - secondary -
 * rather than write past it. */
static const char *rec(struct gather *g, const char *kind, const char *id)
{
	if (g->nrec >= (int)(sizeof(g->records) / sizeof(g->records[0]))) {
		g->records_full = true;
		return "";
	}
	char *r = g->records[g->nrec++];
	snprintf(r, sizeof(g->records[0]), "%s:%s", kind, id);
	return r;
}

/* Appends to buf (its first o bytes written) only what fits whole: a
 * detail cut short must not end in half a UTF-8 character.  Returns the
 * new length. */
static size_t put(char *buf, size_t cap, size_t o, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static size_t put(char *buf, size_t cap, size_t o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = o < cap ? vsnprintf(buf + o, cap - o, fmt, ap) : -1;
	va_end(ap);
	if (w < 0 || (size_t)w >= cap - o) {
		if (o < cap)
			buf[o] = 0;
		return o;
	}
	return o + (size_t)w;
}

static int32_t day_or_none(const char *s)
{
	int32_t d;
	struct sigm_error e;
	return s && !cal_parse_day(s, &d, "x", &e) ? d : CAL_NONE;
}

/*
 * Fuzzy hits from the screening index (screen_api.c) that the exact match
 * above did not find: alerts and wanted persons become "watchlist_match"
 * (secondary), restrictions a hit the rules send to secondary on exit; the
 * exact-match refusal paths stay as they are.  A re-entry ban found only
 * approximately is not enough to refuse: it is passed as a plain alert.
 */
static void index_hits(struct api_ctx *ctx, const struct persons_doc *d,
		       struct gather *g, struct rules_input *in)
{
	struct screen_person p = {d->given_names, d->surnames, d->birth_date,
				  d->sex, d->nationality, d->number};
	struct screen_result res;
	struct sigm_error err;

	if (!ctx->screen)
		return;
	if (api_screen_query(ctx, &p, SCREEN_DEFAULT_THRESHOLD, 10, &res, &err)) {
		if (err.rc != SIGM_EINVAL) /* no usable name: nothing to screen */
			in->checks_failed |= RULES_CHECK_SCREENING;
		return;
	}
	for (int i = 0; i < res.n && in->n_hits < RULES_MAX_HITS; i++) {
		const struct screen_hit *sh = &res.hits[i];
		const char *colon = strchr(sh->id, ':');
		const char *sub = strchr(sh->category, '/');
		bool seen = false;
		if (!colon || !sub || !strncmp(sh->id, "lost_stolen:", 12))
			continue; /* lost/stolen: the exact number check decides */
		for (size_t k = 0; k < in->n_hits; k++)
			seen |= !strcmp(g->hits[k].record, sh->id);
		for (size_t k = 0; k < in->n_restrictions; k++)
			seen |= !strcmp(g->restrictions[k].record, sh->id);
		if (seen)
			continue;
		size_t k = in->n_hits++;
		struct rules_hit *h = &g->hits[k];
		char kind[24];
		snprintf(kind, sizeof(kind), "%.*s", (int)(colon - sh->id), sh->id);
		h->record = rec(g, kind, colon + 1);
		sub++;
		if (!strcmp(kind, "restriction")) {
			h->category = RULES_HIT_RESTRICTION;
			h->sub = RULES_ALERT_NONE;
		} else {
			h->category = !strcmp(sub, "arrest_warrant") ? RULES_HIT_WANTED
								     : RULES_HIT_ALERT;
			h->sub = !strcmp(sub, "reentry_ban")
					 ? RULES_ALERT_OTHER
					 : rules_alert_sub_parse(!strcmp(sub, "interpol_notice")
									 ? "interpol" : sub);
		}
		h->score = sh->score;
		h->threshold = SCREEN_DEFAULT_THRESHOLD;
		h->until = CAL_NONE;
		/* in the officer's words: "nombres: ramires ≈ ramirez (error
		 * de tipeo), …; nacimiento: idéntica" */
		size_t o = put(g->expl[k], sizeof(g->expl[k]), 0, "Nombres:");
		for (int j = 0; j < sh->npairs; j++)
			o = put(g->expl[k], sizeof(g->expl[k]), o, "%s %s %s %s (%s)",
				j ? "," : "", sh->pairs[j].query,
				sh->pairs[j].how == SCREEN_EXACT ? "=" : "≈",
				sh->pairs[j].entry, screen_how_label(sh->pairs[j].how));
		if (sh->birth_how[0])
			put(g->expl[k], sizeof(g->expl[k]), o, "; nacimiento: %s",
			    screen_birth_label(sh->birth_how));
		h->explanation = g->expl[k];
		/* what the record says to do, as an exact hit says it: the
		 * alert's instructions, the order's court and case (a hit
		 * is rare: one key read) */
		struct store_val id[] = {sv_text(colon + 1)};
		bool alert = !strcmp(kind, "alert"), order = h->category == RULES_HIT_RESTRICTION;
		if ((alert || order) &&
		    !store_query(ctx->store,
				 alert ? "SELECT instructions FROM alerts WHERE id = CAST($1 AS BIGINT)"
				       : "SELECT trim(coalesce(court, '') || CASE WHEN court IS NOT NULL AND case_number IS NOT NULL"
					 " THEN ', expediente ' WHEN case_number IS NOT NULL THEN 'expediente ' ELSE '' END"
					 " || coalesce(case_number, '')) FROM restrictions WHERE id = CAST($1 AS BIGINT)",
				 id, 1, &g->alerts[k], &err) &&
		    store_rows_count(g->alerts[k]) == 1)
			h->instructions = store_rows_text(g->alerts[k], 0, 0);
	}
	screen_result_release(&res);
}

/* The restrictions in force that match the traveler exactly, with their
 * exit permits. */
static void gather_restrictions(struct api_ctx *ctx, const struct persons_doc *d,
				const char *dui, const char *today, struct gather *g,
				struct rules_input *in)
{
	struct sigm_error err;
	struct store *s = ctx->store;
	int64_t ids[RULES_MAX_RESTRICTIONS];
	int n = api_screen_exact(ctx, SUBJECT_RESTRICTION, d, dui, ids,
				 RULES_MAX_RESTRICTIONS);
	if (n < 0 || n > RULES_MAX_RESTRICTIONS) {
		/* no index, or more matches than the rules can weigh */
		in->checks_failed |= RULES_CHECK_RESTRICTIONS;
		n = n < 0 ? 0 : RULES_MAX_RESTRICTIONS;
	}
	for (int x = 0; x < n; x++) {
		struct store_rows *row = NULL;
		struct store_val p1[] = {sv_int(ids[x])};
		if (store_query(s, "SELECT id, measure, effective_from, effective_to, given_names, surnames, birth_date, document_number, dui, court, case_number FROM restrictions"
				   " WHERE id = $1 AND status = 'active'",
				p1, 1, &row, &err)) {
			in->checks_failed |= RULES_CHECK_RESTRICTIONS;
			continue;
		}
		double score;
		/* the database decides: lifted since, or no longer matching */
		if (store_rows_count(row) != 1 ||
		    !api_subject_matches(d, dui, store_rows_text(row, 0, 4), store_rows_text(row, 0, 5),
					 store_rows_text(row, 0, 6), store_rows_text(row, 0, 7),
					 store_rows_text(row, 0, 8), &score)) {
			store_rows_free(&row);
			continue;
		}
		g->restr[in->n_restrictions] = row;
		size_t k = in->n_restrictions++;
		struct rules_restriction *r = &g->restrictions[k];
		g->restriction_ids[k] = store_rows_int(row, 0, 0);
		g->weighed[SUBJECT_RESTRICTION][g->n_weighed[SUBJECT_RESTRICTION]++] = g->restriction_ids[k];
		r->record = rec(g, "restriction", store_rows_text(row, 0, 0));
		r->measure = rules_measure_parse(store_rows_text(row, 0, 1));
		r->effective_from = day_or_none(store_rows_text(row, 0, 2));
		r->effective_to = day_or_none(store_rows_text(row, 0, 3));
		r->lifted = false;
		r->permits_unknown = false;
		r->court = store_rows_text(row, 0, 9);
		r->case_number = store_rows_text(row, 0, 10);
		r->permits = g->permit_buf[k];
		/* The permits that can matter, within what the rules weigh:
		 * those covering today first, then the latest (a ban of
		 * years gathers many, and the one for today was the 17th) */
		struct store_val pv[] = {sv_int(g->restriction_ids[k]), sv_text(today),
					 sv_int(RULES_MAX_PERMITS)};
		struct store_rows *pr = NULL;
		if (store_query(s, "SELECT id, valid_from, valid_to, destination FROM restriction_permits WHERE restriction_id = $1"
				   " ORDER BY CASE WHEN valid_from <= $2 AND valid_to >= $2 THEN 0 ELSE 1 END, valid_to DESC, id DESC LIMIT $3",
				pv, 3, &pr, &err)) {
			in->checks_failed |= RULES_CHECK_RESTRICTIONS;
			r->permits_unknown = true;
			continue;
		}
		for (int j = 0; j < store_rows_count(pr) && r->n_permits < RULES_MAX_PERMITS; j++) {
			struct rules_permit *pm = &g->permit_buf[k][r->n_permits++];
			pm->from = day_or_none(store_rows_text(pr, j, 1));
			pm->to = day_or_none(store_rows_text(pr, j, 2));
			/* destinations are free text ("GTM", "Guatemala"): only a
			 * 3-letter code is compared by the rules */
			const char *dest = store_rows_text(pr, j, 3);
			char *pd = g->permit_dest[k][r->n_permits - 1];
			snprintf(pd, 4, "%s", dest && strlen(dest) == 3 ? dest : "");
			pm->destination = pd;
			char *prec = g->permit_rec[k][r->n_permits - 1];
			snprintf(prec, 32, "permit:%s", store_rows_text(pr, j, 0));
			pm->record = prec;
		}
		store_rows_free(&pr);
	}
	in->restrictions = g->restrictions;
}

/* The alerts in force today that match the traveler exactly. */
static void gather_alerts(struct api_ctx *ctx, const struct persons_doc *d,
			  const char *today, struct gather *g,
			  struct rules_input *in)
{
	struct sigm_error err;
	int64_t ids[RULES_MAX_HITS];
	int n = api_screen_exact(ctx, SUBJECT_ALERT, d, NULL, ids, RULES_MAX_HITS);
	if (n < 0 || n > RULES_MAX_HITS) {
		in->checks_failed |= RULES_CHECK_SCREENING;
		n = n < 0 ? 0 : RULES_MAX_HITS;
	}
	for (int x = 0; x < n && in->n_hits < RULES_MAX_HITS; x++) {
		struct store_rows *row = NULL;
		struct store_val p2[] = {sv_int(ids[x]), sv_text(today)};
		if (store_query(ctx->store, "SELECT id, category, given_names, surnames, birth_date, document_number, reentry_ban_until, instructions FROM alerts"
				   " WHERE id = $1 AND status = 'active' AND valid_from <= $2 AND (valid_until IS NULL OR valid_until >= $2)",
				p2, 2, &row, &err)) {
			in->checks_failed |= RULES_CHECK_SCREENING;
			continue;
		}
		double score;
		if (store_rows_count(row) != 1 ||
		    !api_subject_matches(d, NULL, store_rows_text(row, 0, 2), store_rows_text(row, 0, 3),
					 store_rows_text(row, 0, 4), store_rows_text(row, 0, 5), NULL, &score)) {
			store_rows_free(&row);
			continue;
		}
		g->alerts[in->n_hits] = row;
		g->weighed[SUBJECT_ALERT][g->n_weighed[SUBJECT_ALERT]++] = store_rows_int(row, 0, 0);
		struct rules_hit *h = &g->hits[in->n_hits++];
		const char *cat = store_rows_text(row, 0, 1);
		h->category = !strcmp(cat, "arrest_warrant") ? RULES_HIT_WANTED : RULES_HIT_ALERT;
		h->sub = rules_alert_sub_parse(!strcmp(cat, "interpol_notice") ? "interpol" : cat);
		h->score = score;
		h->threshold = MATCH_THRESHOLD;
		h->exact = true;
		h->record = rec(g, "alert", store_rows_text(row, 0, 0));
		h->explanation = api_subject_how(score);
		h->instructions = store_rows_text(row, 0, 7);
		h->until = day_or_none(store_rows_text(row, 0, 6));
	}
}

/* Column 12 of the holder's row: for an entry recorded without a stay,
 * what tells whether it has a term (api_stay_open).  Read only for such
 * an entry: key lookups. */
#define STAY_OPEN_COL \
	" CASE WHEN p.inside = 1 AND p.permitted_until IS NULL THEN " API_STAY_OPEN_SQL("p.movement_id") " END"

/*
 * Who holds this document, if we know them, and where their last valid
 * movement left them: the presence row that every movement keeps current
 * in its own transaction (ledger.c), read with the document in one query
 * instead of walking the person's ledger.
 */
/* The holder's row (who: the person's id; from: the tables, with persons
 * h and presence p, and the condition): 0 person, 1-5 presence, 6-7 the
 * unpaid fines, 8 whether records are linked to them, 9-11 names and
 * birth date, 12 STAY_OPEN_COL. */
#define HOLDER_SQL(who, from)                                                                          \
	"SELECT " who ", p.movement_id, p.inside, p.since, p.port, p.permitted_until,"                   \
	" (SELECT min(f.id) FROM traveler_fines f WHERE f.person_id = " who " AND f.status = 'pending'),"  \
	" (SELECT count(*) FROM traveler_fines f WHERE f.person_id = " who " AND f.status = 'pending'),"   \
	" EXISTS (SELECT 1 FROM person_links k WHERE k.person_id = " who "),"                              \
	" h.given_names, h.surnames, h.birth_date," STAY_OPEN_COL from

/* Says whose a number shown is on file (the document's, or the DUI's
 * beside it): «given surnames, nacimiento day» on the rules' input, with
 * the record, for document_holder_mismatch. */
static void say_holder(struct gather *g, struct rules_input *in, const char *gn,
		       const char *sn, const char *birth, int64_t person_id)
{
	char born[CAL_TEXT] = "";
	int32_t b = day_or_none(birth);
	if (b != CAL_NONE)
		cal_format_es(b, born);
	snprintf(g->holder_note, sizeof(g->holder_note), "%s%s%s%s%s", gn ? gn : "",
		 gn && sn ? " " : "", sn ? sn : "", born[0] ? ", nacimiento " : "", born);
	rules_cut_whole(g->holder_note);
	snprintf(g->holder_rec, sizeof(g->holder_rec), "person:%lld", (long long)person_id);
	in->doc.holder_differs = g->holder_note;
	in->doc.holder_record = g->holder_rec;
}

/* The national number shown beside the document (a DUI beside a
 * passport: persons.h) on file under a holder whose data disagree with the
 * traveler's: said to the officer as a document on file under somebody
 * else is (document_holder_mismatch, to secondary), naming the number and
 * whose it is; two passports of two persons shown with one DUI were both
 * admitted.  The document's own mismatch, when there is one, is said
 * instead (one note). */
static void national_holder(struct api_ctx *ctx, const struct persons_doc *d,
			    const char *dui, struct gather *g, struct rules_input *in)
{
	struct sigm_error err;
	struct store_rows *r = NULL;
	if (!d->national_number || in->doc.holder_differs)
		return;
	struct store_val k[] = {sv_text(d->national_state), sv_text(d->national_number)};
	if (store_query(ctx->store,
			"SELECT d.person_id, h.given_names, h.surnames, h.birth_date FROM documents d JOIN persons h ON h.id = d.person_id"
			" WHERE d.issuing_state = $1 AND d.kind = 'id_card' AND d.number = $2",
			k, 2, &r, &err)) {
		in->checks_failed |= RULES_CHECK_DATABASE;
		return;
	}
	if (store_rows_count(r) == 1 &&
	    !persons_holder_agrees(store_rows_text(r, 0, 2), store_rows_text(r, 0, 3),
				   store_rows_text(r, 0, 1), d->surnames, d->birth_date,
				   d->given_names)) {
		say_holder(g, in, store_rows_text(r, 0, 1), store_rows_text(r, 0, 2),
			   store_rows_text(r, 0, 3), store_rows_int(r, 0, 0));
		in->doc.holder_national = dui;
	}
	store_rows_free(&r);
}

static void holder(struct api_ctx *ctx, const struct persons_doc *d,
		   struct gather *g, struct rules_input *in)
{
	struct sigm_error err;
	struct store_val pk[] = {sv_text(d->issuing_state), sv_text(d->kind),
				 sv_text(d->number)};
	if (store_query(ctx->store,
			HOLDER_SQL("d.person_id",
				   " FROM documents d JOIN persons h ON h.id = d.person_id LEFT JOIN presence p ON p.person_id = d.person_id"
				   " WHERE d.issuing_state = $1 AND d.kind = $2 AND d.number = $3"),
			pk, 3, &g->last, &err)) {
		in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
		return;
	}
	int64_t renewed = 0;
	bool differs = false;
	if (store_rows_count(g->last) == 1 &&
	    !persons_holder_agrees(store_rows_text(g->last, 0, 10), store_rows_text(g->last, 0, 11),
				   store_rows_text(g->last, 0, 9), d->surnames, d->birth_date,
				   d->given_names) &&
	    /* the rare case: who is it then (a record linked to the holder
	     * by a supervisor is the holder; one flagged with it before is
	     * that traveler, whose own movements count) */
	    (persons_holder(ctx->store, d, &renewed, &differs, &err) || differs)) {
		if (!differs) { /* the read failed */
			in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
			return;
		}
		/* the document is on file as somebody else's: said to the
		 * officer, with whose it is, before anything is recorded */
		say_holder(g, in, store_rows_text(g->last, 0, 9), store_rows_text(g->last, 0, 10),
			   store_rows_text(g->last, 0, 11), store_rows_int(g->last, 0, 0));
		/* the holder's movements and fines are not the traveler's */
		if (!renewed)
			return;
	}
	if (store_rows_count(g->last) != 1) {
		/* A new document: a known person's renewed passport is that
		 * person, who entered on the old one (persons.h) */
		if (persons_holder(ctx->store, d, &renewed, NULL, &err)) {
			in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
			return;
		}
		if (!renewed) {
			g->ledger_read = true;
			return; /* a new person */
		}
	}
	bool linked = !renewed && store_rows_int(g->last, 0, 8);
	if (renewed) {
		/* A renewed passport: its person, read as a holder is, by key;
		 * the records linked to them (below) only when there are any.
		 * The group's query builds the recursive set of links in
		 * temporary tables, each with a page cache of its own (2 MB
		 * set up and released), and its IN made every later read of
		 * the inspection do the same: ~6 per renewal, for a person
		 * who, as a rule, has no link. */
		struct store_rows *one = NULL;
		struct store_val pid[] = {sv_int(renewed)};
		if (store_query(ctx->store,
				HOLDER_SQL("h.id", " FROM persons h LEFT JOIN presence p ON p.person_id = h.id WHERE h.id = $1"),
				pid, 1, &one, &err)) {
			in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
			return;
		}
		store_rows_free(&g->last);
		g->last = one;
		if (store_rows_count(one) != 1) { /* gone meanwhile: none to weigh */
			in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
			return;
		}
		linked = store_rows_int(one, 0, 8) != 0;
	}
	if (linked) {
		/* Records a supervisor linked as the same person (a passport
		 * renewed under data that did not agree): the person entered
		 * on one and may leave on the other.  Where they are is the
		 * latest presence of them all, and their unpaid fines are all
		 * theirs; the same columns, read again for the group. */
		struct store_rows *grp = NULL;
		struct store_val pid[] = {sv_int(store_rows_int(g->last, 0, 0))};
		if (store_query(ctx->store,
				"SELECT CAST($1 AS BIGINT), p.movement_id, p.inside, p.since, p.port, p.permitted_until,"
				" (SELECT min(f.id) FROM traveler_fines f WHERE f.status = 'pending' AND f.person_id IN " API_LINKED_PERSONS "),"
				" (SELECT count(*) FROM traveler_fines f WHERE f.status = 'pending' AND f.person_id IN " API_LINKED_PERSONS "),"
				" 1, NULL, NULL, NULL," STAY_OPEN_COL
				" FROM (SELECT 1 AS one) o LEFT JOIN (SELECT q.movement_id, q.inside, q.since, q.port, q.permitted_until"
				API_WHERE_NOW("$1") ") p ON 1 = 1",
				pid, 1, &grp, &err)) {
			in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
			return;
		}
		store_rows_free(&g->last);
		g->last = grp;
	}
	struct store_rows *r = g->last;
	if (!store_rows_isnull(r, 0, 6)) {
		in->ledger.fines_pending = (int)store_rows_int(r, 0, 7);
		in->ledger.fine_record = rec(g, "traveler_fine", store_rows_text(r, 0, 6));
	}
	g->ledger_read = true;
	if (store_rows_isnull(r, 0, 1))
		return; /* a person without movements */
	g->ledger_mv = store_rows_int(r, 0, 1);
	bool inside = store_rows_int(r, 0, 2) != 0;
	const char *since = store_rows_text(r, 0, 3);
	char day[11];
	api_local_day(since, day);
	in->ledger.has_last = true;
	in->ledger.last_direction = inside ? RULES_ENTRY : RULES_EXIT;
	in->ledger.last_date = day_or_none(day);
	in->ledger.last_port = store_rows_text(r, 0, 4);
	in->ledger.last_record = rec(g, "movement", store_rows_text(r, 0, 1));
	in->ledger.stay_entry = inside ? in->ledger.last_date : CAL_NONE;
	/* presence keeps the last permitted day, counted from the local day
	 * of the entry (ledger.c): the stay granted is the days between */
	int32_t from = in->ledger.last_date, until = day_or_none(store_rows_text(r, 0, 5));
	in->ledger.stay_days = inside && from != CAL_NONE && until != CAL_NONE
				       ? (int)(until - from) + 1 : -1;
	in->ledger.stay_open = inside && api_stay_open(store_rows_text(r, 0, 12));
}

/* Whether the holder read has records linked to it (column 8 of the
 * holder's row; the group's row says 1): the reads after it then follow
 * the links, else they ask about the one person, without the recursive
 * query (two of them per inspection). */
#define HOLDER_LINKED(g) (store_rows_int((g)->last, 0, 8) != 0)

/* The person's latest refusal of entry of the last weeks (the linked
 * records' too), read by its index (migration 37).  A read that fails is
 * a failed ledger check: secondary, not a traveler let in unread. */
static void gather_inadmission(struct api_ctx *ctx, struct gather *g,
			       struct rules_input *in)
{
	if (!g->ledger_read)
		return;
	char since[40];
	store_iso_after(since, sizeof(since), -(RULES_INADMISSION_DAYS + 1) * 86400);
	if (!g->last || !store_rows_count(g->last)) {
		/* a new document: no inadmission read, none expected when
		 * the crossing is written (whoever it turns out to be) */
		g->inadm_read = true;
		snprintf(g->inadm_since, sizeof(g->inadm_since), "%s", since);
		return;
	}
	if (store_rows_isnull(g->last, 0, 0))
		return; /* the document is another's */
	struct store_val p[] = {sv_int(store_rows_int(g->last, 0, 0)), sv_text(since)};
	struct store_rows *r = NULL;
	struct sigm_error err;
#define INADMISSION_SQL(who) \
	"SELECT n.id, n.created_at, i.port, n.legal_ground FROM inadmissions n JOIN inspections i ON i.id = n.inspection_id" \
	" WHERE n.person_id " who " AND n.created_at > $2 ORDER BY n.created_at DESC LIMIT 1"
	if (store_query(ctx->store, HOLDER_LINKED(g) ? INADMISSION_SQL("IN " API_LINKED_PERSONS) : INADMISSION_SQL("= $1"),
			p, SV_N(p), &r, &err)) {
		in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
		return;
	}
	g->inadm_read = true;
	g->inadm_linked = HOLDER_LINKED(g);
	g->inadm_person = store_rows_int(g->last, 0, 0);
	snprintf(g->inadm_since, sizeof(g->inadm_since), "%s", since);
	if (store_rows_count(r)) {
		g->inadm_id = store_rows_int(r, 0, 0);
		char day[11];
		api_local_day(store_rows_text(r, 0, 1), day);
		in->ledger.inadmission_day = day_or_none(day);
		const struct rules_port *pt = rules_port_find(ctx->rules, store_rows_text(r, 0, 2));
		snprintf(g->inadmission_port, sizeof(g->inadmission_port), "%s",
			 pt ? pt->name : store_rows_text(r, 0, 2));
		snprintf(g->inadmission_ground, sizeof(g->inadmission_ground), "%s", store_rows_text(r, 0, 3));
		rules_cut_whole(g->inadmission_port);
		rules_cut_whole(g->inadmission_ground);
		in->ledger.inadmission_port = g->inadmission_port;
		in->ledger.inadmission_ground = g->inadmission_ground;
		in->ledger.inadmission_record = rec(g, "inadmission", store_rows_text(r, 0, 0));
	}
	store_rows_free(&r);
}

/* The person's case left pending in secondary at another post lately, in
 * this direction, after their latest crossing (the linked records' too),
 * read by inspections_person.
 * The post's own queue already shows its cases, and a case at this post a
 * moment ago is the one the admission that follows closes. */
static void gather_pending_case(struct api_ctx *ctx, struct gather *g, const char *port,
				const char *direction, struct rules_input *in)
{
	if (!g->ledger_read || !g->last || !store_rows_count(g->last) ||
	    store_rows_isnull(g->last, 0, 0))
		return; /* nobody known, or the document is another's */
	char since[40];
	store_iso_after(since, sizeof(since), -RULES_PENDING_CASE_HOURS * 3600);
	/* a crossing recorded since the case left it moot: the person got
	 * in or out, and that case can only close on that movement */
	const char *moved = store_rows_isnull(g->last, 0, 3) ? "" : store_rows_text(g->last, 0, 3);
	struct store_val p[] = {sv_int(store_rows_int(g->last, 0, 0)), sv_text(since),
				sv_text(direction), sv_text(port), sv_text(moved)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	/* the status compared as an expression: as a column, SQLite read the
	 * person's cases through inspections_status, every case pending in
	 * the country (0.97 s an inspection with 700,000 pending in the
	 * benchmark's data) */
#define PENDING_CASE_SQL(who) \
	"SELECT id, at, port FROM inspections WHERE person_id " who \
	" AND at > $2 AND at > $5 AND (status || '') = 'pending' AND direction = $3 AND port <> $4" \
	" ORDER BY at DESC LIMIT 1"
	if (store_query(ctx->store, HOLDER_LINKED(g) ? PENDING_CASE_SQL("IN " API_LINKED_PERSONS) : PENDING_CASE_SQL("= $1"),
			p, SV_N(p), &r, &err)) {
		in->checks_failed |= RULES_CHECK_DATABASE | RULES_CHECK_LEDGER;
		return;
	}
	struct tm tm;
	if (store_rows_count(r) && api_local_tm(store_rows_text(r, 0, 1), &tm)) {
		in->ledger.pending_case_day = cal_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		snprintf(g->pending_time, sizeof(g->pending_time), "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
		in->ledger.pending_case_time = g->pending_time;
		const struct rules_port *pt = rules_port_find(ctx->rules, store_rows_text(r, 0, 2));
		snprintf(g->pending_port, sizeof(g->pending_port), "%s",
			 pt ? pt->name : store_rows_text(r, 0, 2));
		rules_cut_whole(g->pending_port);
		in->ledger.pending_case_port = g->pending_port;
		in->ledger.pending_case_record = rec(g, "inspection", store_rows_text(r, 0, 0));
	}
	store_rows_free(&r);
}

/* The minor's LEPINA authorizations that match the traveler. */
static void gather_auths(struct api_ctx *ctx, const struct persons_doc *d,
			 struct gather *g, struct rules_input *in)
{
	struct sigm_error err;
	struct store_val p4[] = {sv_opt(d->number), sv_opt(d->birth_date)};
	if (store_query(ctx->store, "SELECT id, instrument, valid_from, valid_to, companion_given_names, companion_surnames, companion_document_number, destination,"
			   " minor_given_names, minor_surnames, minor_birth_date, minor_document_number, travels_alone FROM minor_authorizations"
			   " WHERE status = 'active' AND (minor_document_number = $1 OR minor_birth_date = $2)"
			   /* the minor's own document first, then the latest:
			    * another child born the same day must not crowd
			    * them out */
			   " ORDER BY CASE WHEN minor_document_number = $1 THEN 0 ELSE 1 END, valid_to DESC, id DESC LIMIT 50",
			p4, 2, &g->auths, &err)) {
		in->checks_failed |= RULES_CHECK_AUTHORIZATIONS;
	} else {
		for (int i = 0; i < store_rows_count(g->auths) && in->n_auths < RULES_MAX_AUTHS; i++) {
			double score;
			if (!api_subject_matches(d, NULL, store_rows_text(g->auths, i, 8), store_rows_text(g->auths, i, 9),
					     store_rows_text(g->auths, i, 10), store_rows_text(g->auths, i, 11), NULL, &score))
				continue;
			/* A permission, not a hit: the child it names, not any
			 * child whose passport of another state bears the same
			 * number (the registry keeps no issuing state), nor a
			 * twin.  Held to the names and birth date as a
			 * document to its holder */
			if (!persons_holder_agrees(store_rows_text(g->auths, i, 9), store_rows_text(g->auths, i, 10),
						   store_rows_text(g->auths, i, 8), d->surnames, d->birth_date,
						   d->given_names))
				continue;
			struct rules_authorization *a = &g->auth_buf[in->n_auths++];
			const char *inst = store_rows_text(g->auths, i, 1);
			a->record = rec(g, "minor_authorization", store_rows_text(g->auths, i, 0));
			a->by = rules_authorizer_parse(!strcmp(inst, "notarial_act") ? "notary" : inst);
			a->valid_from = day_or_none(store_rows_text(g->auths, i, 2));
			a->valid_to = day_or_none(store_rows_text(g->auths, i, 3));
			const char *cg = store_rows_text(g->auths, i, 4), *cs = store_rows_text(g->auths, i, 5);
			char *cn = g->auth_companion[in->n_auths - 1];
			snprintf(cn, sizeof(g->auth_companion[0]), "%s%s%s", cg ? cg : "", cg && *cg && cs && *cs ? " " : "", cs ? cs : "");
			a->companion_name = cn;
			a->companion_document = store_rows_int(g->auths, i, 12) ? "" :
				(store_rows_text(g->auths, i, 6) ? store_rows_text(g->auths, i, 6) : "");
			/* "USA, Houston": the leading country code is what the
			 * rules compare with the route.  A destination written
			 * otherwise (registered before the registry asked for
			 * the code: "Guatemala", "LOS ANGELES, USA") is compared
			 * as written, so it never fits a route by itself: it
			 * used to be taken as any destination */
			const char *dest = store_rows_text(g->auths, i, 7);
			char *three = g->auth_dest[in->n_auths - 1];
			bool code = dest && (!dest[3] || dest[3] == ',' || dest[3] == ' ') &&
				    api_place_known(ctx, dest, three);
			a->destination = code ? three : dest && *dest ? dest : "";
		}
	}
}

/* Gathers registries; a failure sets the check bit instead of failing. */
static void gather_all(struct api_ctx *ctx, const struct persons_doc *d,
		       const char *dui, const char *today,
		       struct gather *g, struct rules_input *in)
{
	struct sigm_error err;
	struct store *s = ctx->store;

	g->registries_read = true;
	gather_restrictions(ctx, d, dui, today, g, in);
	gather_alerts(ctx, d, today, g, in);
	index_hits(ctx, d, g, in);
	in->hits = g->hits;

	/* Lost and stolen documents. */
	struct store_val p3[] = {sv_text(d->number), sv_text(d->issuing_state)};
	if (store_query(s, "SELECT id, reason, reported_on, source FROM lost_stolen WHERE status = 'active' AND document_number = $1 AND issuing_state = $2",
			p3, 2, &g->ls, &err)) {
		in->checks_failed |= RULES_CHECK_LOST_STOLEN;
	} else if (store_rows_count(g->ls) > 0) {
		in->doc.lost_stolen = true;
		snprintf(g->ls_record, sizeof(g->ls_record), "lost_stolen:%s",
			 store_rows_text(g->ls, 0, 0));
		in->doc.lost_stolen_record = g->ls_record;
		in->doc.lost_stolen_reason = store_rows_text(g->ls, 0, 1);
		in->doc.lost_stolen_day = day_or_none(store_rows_text(g->ls, 0, 2));
		in->doc.lost_stolen_source = store_rows_text(g->ls, 0, 3);
	}

	/* Minors' authorizations: only asked for when the traveler may be a
	 * minor today (the youngest age the birth date allows is under 18). */
	int age_min = 0, age_max = 0;
	in->auths = g->auth_buf;
	if (cal_age_range(&in->person.birth, in->today, &age_min, &age_max, NULL) ||
	    age_min < 18)
		gather_auths(ctx, d, g, in);
}

/* ---- the write ---- */

/* How long after a referral to secondary the same crossing, admitted on
 * the same document, closes it (the visa typed, the passport read again) */
#define SUPERSEDE_S (30 * 60)

struct inspect_write {
	struct api_req *req;
	struct persons_doc doc;
	const char *dui; /* the national identity number typed, if any */
	const char *port, *direction, *transport;
	const struct rules_decision *dec;
	const struct gather *g;
	const struct rules_input *in;
	const struct apis_booth *apis;
	char *reasons_json;
	struct persons_result who;
	int64_t inspection_id, movement_id;
	bool repeat; /* the same case already open: inspection_id is it */
	int64_t cases_closed; /* open cases of this crossing the admission closed */
};

/* A case the supervisor must close: a referral to secondary, and an entry
 * refused, whose inadmission (the carrier, the return) only the supervisor
 * records.  An exit refused ends at the booth, the traveler stays, when
 * the refusal is all there is to it; a ground for secondary beside it (an
 * arrest warrant for the police, a child travelling alone, an overstay)
 * still needs the supervisor, and closing it at the booth dropped it. */
static const char *inspection_status(const struct rules_decision *dec, const char *direction)
{
	if (dec->decision == RULES_SECONDARY)
		return "pending";
	if (dec->decision != RULES_REFUSE)
		return "closed";
	if (!strcmp(direction, "entry"))
		return "pending";
	for (size_t i = 0; i < dec->n_reasons; i++)
		if (dec->reasons[i].severity == RULES_SEV_SECONDARY)
			return "pending";
	return "closed";
}

/*
 * The same traveler recorded crossing the same way at the same post a
 * moment ago: a double swipe, a second click, a request sent twice.  A
 * crossing is recorded once (the ledger counts arrivals and departures),
 * so the second is refused naming the first.  Read in the write
 * transaction, so that two copies sent at once cannot both pass.  A case
 * left in secondary is not a crossing: the booth may inspect again once
 * the facts change (an authorization registered).
 */
#define SAME_CROSSING_S API_SAME_CROSSING_S

int api_crossing_since(struct store_tx *tx, int64_t person, bool linked,
		       bool entry, const char *port, const char *since,
		       int64_t *movement, char at[40], struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_int(person), sv_int(entry), sv_opt(port),
				sv_text(since)};
	*movement = 0;
	int rc = store_tx_query(tx, linked
		? "SELECT q.movement_id, q.since FROM (SELECT q.movement_id, q.since, q.inside, q.port"
		  API_WHERE_NOW("$1") ") q WHERE q.inside = $2 AND (CAST($3 AS TEXT) IS NULL OR q.port = $3) AND q.since >= $4"
		: "SELECT movement_id, since FROM presence WHERE person_id = $1 AND inside = $2"
		  " AND (CAST($3 AS TEXT) IS NULL OR port = $3) AND since >= $4",
		p, SV_N(p), &r, err);
	if (!rc && store_rows_count(r) == 1) {
		*movement = store_rows_int(r, 0, 0);
		snprintf(at, 40, "%s", store_rows_text(r, 0, 1));
	}
	store_rows_free(&r);
	return rc;
}

/* Whether the traveler's records are linked to others by a supervisor
 * (holder()'s column 8): where the person is, is then the latest
 * presence of them all. */
static bool gather_linked(const struct gather *g)
{
	return g->last && store_rows_count(g->last) && store_rows_int(g->last, 0, 8);
}

static int same_crossing(struct store_tx *tx, const struct inspect_write *w,
			 const char *now, struct sigm_error *err)
{
	char since[40], at[40];
	int64_t mv;
	store_iso_after(since, sizeof(since), -SAME_CROSSING_S);
	/* records linked as one person: where the person is now is the
	 * latest presence of them all (she may have left on the other) */
	bool linked = gather_linked(w->g);
	int rc = api_crossing_since(tx, w->who.person_id, linked,
				    !strcmp(w->direction, "entry"), w->port, since,
				    &mv, at, err);
	if (!rc && !mv) {
		/* Where the person is now says nothing of a crossing recorded
		 * here a moment ago when another post recorded one since (the
		 * passport at two posts at once: three swipes, two of them
		 * here, and two entries at this post were written).  The
		 * crossings of this post are read then: one this way in the
		 * last minutes, voided by none, and not followed by the way
		 * back, is this one.  Read by the person (movements_person):
		 * the post compared as an expression, or SQLite takes
		 * movements_port_day for the linked records' form and walks
		 * every movement of the post (seconds per inspection on the
		 * benchmark's ten million, the writer stalled behind it). */
		struct store_rows *r = NULL;
		struct store_val p[] = {sv_int(w->who.person_id), sv_text(w->direction),
					sv_text(w->port), sv_text(since)};
#define HERE_SQL(who)                                                                              \
	"SELECT m.id, m.at FROM movements m WHERE m.person_id " who " AND m.direction = $2"              \
	" AND (m.port || '') = $3 AND m.at >= $4 AND m.corrects_movement_id IS NULL"                      \
	" AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = m.id)"                 \
	" AND NOT EXISTS (SELECT 1 FROM movements b WHERE b.person_id " who " AND b.at > m.at"            \
	"  AND b.direction <> m.direction AND b.corrects_movement_id IS NULL"                             \
	"  AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = b.id))"               \
	" ORDER BY m.at DESC, m.id DESC LIMIT 1"
		rc = store_tx_query(tx, linked ? HERE_SQL("IN " API_LINKED_PERSONS) : HERE_SQL("= $1"),
				    p, SV_N(p), &r, err);
#undef HERE_SQL
		if (!rc && store_rows_count(r) == 1) {
			mv = store_rows_int(r, 0, 0);
			snprintf(at, sizeof(at), "%s", store_rows_text(r, 0, 1));
		}
		store_rows_free(&r);
	}
	if (rc || !mv)
		return rc;
	long ago = 0;
	api_seconds_between(at, now, &ago);
	return sigm_error_set(err, SIGM_ECONFLICT, "already_recorded", "document.number",
			      "este cruce ya se registró hace %ld s en esta delegación (movimiento n.º %lld): "
			      "no se registra dos veces",
			      ago < 0 ? 0 : ago, (long long)mv);
}

/* The grounds of a case, as comparable text: the codes of its secondary
 * and refusal reasons, in order ("exit_ban,watchlist_match,"). */
static void grounds_of(const struct rules_decision *d, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = 0;
	for (size_t i = 0; i < d->n_reasons; i++)
		if (d->reasons[i].severity >= RULES_SEV_SECONDARY)
			k = put(out, cap, k, "%s:%s,", d->reasons[i].code, d->reasons[i].record);
}

static void grounds_of_json(const char *reasons, char *out, size_t cap)
{
	size_t k = 0, i;
	json_t *a = json_loads(reasons ? reasons : "[]", 0, NULL), *x;
	out[0] = 0;
	json_array_foreach(a, i, x) {
		const char *sev = json_string_value(json_object_get(x, "severity"));
		const char *code = json_string_value(json_object_get(x, "code"));
		const char *rec = json_string_value(json_object_get(x, "record"));
		if (code && sev && (!strcmp(sev, "secondary") || !strcmp(sev, "refuse")))
			k = put(out, cap, k, "%s:%s,", code, rec ? rec : "");
	}
	json_decref(a);
}

/*
 * A traveler sent to the supervisor again a moment later (a second click,
 * a second swipe) on the same grounds: the case already open is the
 * answer, not a second one in the queue.  A case whose grounds changed
 * (an authorization registered, an alert lifted) is a new inspection; so
 * is one on the same kind of ground from another record (an alert
 * registered since, beside the near match the case weighed): the case
 * open never named it, and its supervisor could not let the traveler
 * through over it (border_api.c, registered_since_booth).
 */
static int same_case(struct store_tx *tx, struct inspect_write *w,
		     struct sigm_error *err)
{
	char since[40], mine[400], theirs[400];
	store_iso_after(since, sizeof(since), -SAME_CROSSING_S);
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_int(w->who.person_id), sv_text(since),
				sv_text(w->port), sv_text(w->direction)};
	int rc = store_tx_query(tx, "SELECT id, reasons FROM inspections WHERE person_id = $1 AND at > $2"
				" AND port = $3 AND direction = $4 AND status = 'pending' ORDER BY at DESC LIMIT 1",
				p, SV_N(p), &r, err);
	if (rc || store_rows_count(r) == 0) {
		store_rows_free(&r);
		return rc;
	}
	grounds_of(w->dec, mine, sizeof(mine));
	grounds_of_json(store_rows_text(r, 0, 1), theirs, sizeof(theirs));
	if (!strcmp(mine, theirs)) {
		w->inspection_id = store_rows_int(r, 0, 0);
		w->repeat = true;
	}
	store_rows_free(&r);
	return 0;
}

/* Whether a repeat is refused as such: an admission, or a case whose only
 * grounds are what the repeat itself made (a second exit reads as an exit
 * without entry, a second entry as an entry without exit).  A refusal or
 * any other ground (an alert registered since, an exit ban) stands and is
 * shown: it is news the booth must act on. */
static bool repeat_checked(const struct rules_decision *d)
{
	for (size_t i = 0; i < d->n_reasons; i++) {
		const struct rules_reason *r = &d->reasons[i];
		if ((r->severity == RULES_SEV_SECONDARY || r->severity == RULES_SEV_REFUSE) &&
		    strcmp(r->code, "exit_without_entry") && strcmp(r->code, "entry_without_exit"))
			return false;
	}
	return true;
}

static int audit_inspection(struct store_tx *tx, const struct inspect_write *w,
			    const char *action, const char *decision,
			    struct sigm_error *err)
{
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)w->inspection_id);
	json_t *d = json_pack("{s:s, s:s, s:s, s:I}", "decision", decision,
			      "port", w->port, "direction", w->direction,
			      "person_id", (json_int_t)w->who.person_id);
	return api_audit_tx(tx, w->req, action, "inspection", rid, d, err);
}

/*
 * The crossing is decided on the ledger as read a moment before the
 * write; another booth may have recorded this person meanwhile (the same
 * passport at two posts at once: both exits were admitted and recorded).
 * Writes are serialized (one writer; PostgreSQL's writer lock), so what
 * is read here is the last word: a ledger that moved is a 409, nothing
 * recorded, and the booth inspects again on the new ledger.
 */
static int ledger_unchanged(struct store_tx *tx, const struct inspect_write *w,
			    struct sigm_error *err)
{
	const struct gather *g = w->g;
	if (!g->ledger_read || (w->in->checks_failed & RULES_CHECK_LEDGER))
		return 0;
	bool linked = gather_linked(g);
	struct store_val p[] = {sv_int(w->who.person_id)};
	struct store_rows *r = NULL;
	int rc = store_tx_query(tx, linked ? "SELECT q.movement_id, q.permitted_until" API_WHERE_NOW("$1")
					   : "SELECT movement_id, permitted_until FROM presence WHERE person_id = $1",
				p, 1, &r, err);
	if (rc)
		return rc;
	int64_t mv = store_rows_count(r) ? store_rows_int(r, 0, 0) : 0;
	/* the last permitted day the decision measured the stay by: an
	 * extension annulled meanwhile (stay_api.c) shortened it, and an
	 * exit admitted on it went out without the overstay's fine */
	const char *read = g->ledger_mv && g->last && store_rows_count(g->last) ? store_rows_text(g->last, 0, 5) : NULL;
	const char *now = store_rows_count(r) ? store_rows_text(r, 0, 1) : NULL;
	bool stay_same = mv != g->ledger_mv || (!read && !now) || (read && now && !strcmp(read, now));
	store_rows_free(&r);
	if (mv == g->ledger_mv && stay_same)
		return 0;
	if (mv == g->ledger_mv)
		return sigm_error_set(err, SIGM_ECONFLICT, "stay_changed", "document.number",
				      "la permanencia autorizada de esta persona acaba de cambiar (una prórroga concedida o anulada) "
				      "mientras se inspeccionaba: no se registró nada; inspeccione de nuevo");
	return sigm_error_set(err, SIGM_ECONFLICT, "ledger_changed", "document.number",
			      "se acaba de registrar otro cruce de esta persona (movimiento n.º %lld) "
			      "mientras se inspeccionaba: inspeccione de nuevo",
			      (long long)mv);
}

/*
 * The same for a refusal: a supervisor who recorded the traveler's
 * inadmission (the case this booth sent to secondary a moment ago, or
 * another post's) between the booth's read and its write.  Admitted on
 * the read, the person was both refused and let in, one crossing after
 * the other's record; inspected again, the booth says inadmission_recent.
 * Read as the booth read it (the same query, whose latest), so that an
 * answer it already weighed is no change.
 */
static int inadmission_unchanged(struct store_tx *tx, const struct inspect_write *w,
				 struct sigm_error *err)
{
	const struct gather *g = w->g;
	if (!g->inadm_read || strcmp(w->direction, "entry"))
		return 0;
	struct store_val p[] = {sv_int(g->inadm_person ? g->inadm_person : w->who.person_id),
				sv_text(g->inadm_since)};
	struct store_rows *r = NULL;
	int rc = store_tx_query(tx, g->inadm_linked ? INADMISSION_SQL("IN " API_LINKED_PERSONS)
						    : INADMISSION_SQL("= $1"),
				p, SV_N(p), &r, err);
	int64_t id = !rc && store_rows_count(r) ? store_rows_int(r, 0, 0) : 0;
	store_rows_free(&r);
	if (rc || id == g->inadm_id)
		return rc;
	return sigm_error_set(err, SIGM_ECONFLICT, "inadmission_recorded", "document.number",
			      "un supervisor acaba de registrar la inadmisión de esta persona (inadmisión n.º %lld) "
			      "mientras se inspeccionaba: no se registró nada; inspeccione de nuevo",
			      (long long)id);
}

/*
 * And for the registries: a court's exit ban, an alert or a report of the
 * document lost or stolen registered between the booth's read and its
 * write.  The decision was taken without it, and the crossing written
 * after it: an exit recorded a moment after the court's order, which the
 * blocked-exits report never shows.  The records in force that match the
 * traveler exactly are read again in the write, from the database (by
 * number, DUI and birth date, then matched as the booth matches): one the
 * decision did not weigh (registered after the read, committed before it
 * and not yet in this node's index, or in the index and not yet in the
 * read's snapshot) stops the admission; inspected again, the rules weigh
 * it.  A record lifted or a permit granted meanwhile needs nothing: the
 * read was the stricter.  (A near match registered meanwhile is not
 * looked for: that would be the screening again.)
 */
static int registry_news(struct store_tx *tx, const struct inspect_write *w, enum subject_kind kind,
			 int64_t *found, struct sigm_error *err)
{
	const struct gather *g = w->g;
	const struct persons_doc *d = &w->doc;
	bool alert = kind == SUBJECT_ALERT;
	const char *dui = alert ? NULL : w->dui;
	char today[11], y[5] = "", ym[8] = "";
	api_today(today);
	/* a birth date on record is the traveler's, or a part of it (a year,
	 * a month), or begins with the traveler's when that is the part */
	const char *bd = d->birth_date && strlen(d->birth_date) >= 4 ? d->birth_date : NULL;
	if (bd) {
		snprintf(y, sizeof(y), "%.4s", bd);
		if (strlen(bd) >= 7)
			snprintf(ym, sizeof(ym), "%.7s", bd);
	}
	struct store_val p[] = {sv_opt(d->number && *d->number ? d->number : NULL),
				sv_opt(dui && *dui ? dui : NULL), sv_opt(bd), sv_opt(bd ? y : NULL),
				sv_opt(ym[0] ? ym : NULL), sv_text(today)};
	struct store_rows *r = NULL;
	int rc;
	if (g->seen[kind] >= 0) {
		/* Only the rows the index had not heard of when the read
		 * began can be news: the rest were in the read's snapshot and
		 * the index (a seek past the highest id, no row most of the
		 * time).  Reading every row born on the traveler's dates again
		 * in the one writer cost it 0.08 ms an inspection, a fifth of
		 * the throughput on the benchmark's million registry rows. */
		struct store_val q[] = {sv_int(g->seen[kind]), sv_text(today)};
		rc = store_tx_query(tx, alert
			? "SELECT id, given_names, surnames, birth_date, document_number, NULL FROM alerts"
			  " WHERE id > $1 AND status = 'active' AND valid_from <= $2"
			  " AND (valid_until IS NULL OR valid_until >= $2) ORDER BY id"
			: "SELECT id, given_names, surnames, birth_date, document_number, dui FROM restrictions"
			  " WHERE id > $1 AND status = 'active' AND CAST($2 AS TEXT) IS NOT NULL ORDER BY id",
			q, SV_N(q), &r, err);
		goto matched;
	}
#define NEWS_SQL(cols, table, dui_match, in_force)                                                  \
	"SELECT " cols " FROM " table " WHERE status = 'active'" in_force " AND id IN ("                 \
	"SELECT id FROM " table " WHERE document_number = $1" dui_match                                   \
	" UNION SELECT id FROM " table " WHERE birth_date IN ($3, $4, $5)"                                 \
	" UNION SELECT id FROM " table " WHERE birth_date > $3 AND birth_date < CAST($3 AS TEXT) || '~')" \
	" AND CAST($6 AS TEXT) IS NOT NULL ORDER BY id"
	rc = store_tx_query(tx, alert
		? NEWS_SQL("id, given_names, surnames, birth_date, document_number, NULL", "alerts", "",
			   /* in force as gather_alerts reads them; no DUI */
			   " AND valid_from <= $6 AND (valid_until IS NULL OR valid_until >= $6)"
			   " AND CAST($2 AS TEXT) IS NULL")
		: NEWS_SQL("id, given_names, surnames, birth_date, document_number, dui", "restrictions",
			   " UNION SELECT id FROM restrictions WHERE dui = $2", ""),
		p, SV_N(p), &r, err);
#undef NEWS_SQL
matched:
	if (rc)
		return rc;
	for (int j = 0; j < store_rows_count(r) && !*found; j++) {
		double score;
		int64_t id = store_rows_int(r, j, 0);
		bool seen = false;
		for (int k = 0; k < g->n_weighed[kind]; k++)
			seen |= g->weighed[kind][k] == id;
		if (!seen && api_subject_matches(d, dui, store_rows_text(r, j, 1), store_rows_text(r, j, 2),
						 store_rows_text(r, j, 3), store_rows_text(r, j, 4),
						 store_rows_text(r, j, 5), &score))
			*found = id;
	}
	store_rows_free(&r);
	return 0;
}

static int registries_unchanged(struct store_tx *tx, const struct inspect_write *w,
				struct sigm_error *err)
{
	const struct gather *g = w->g;
	const struct persons_doc *d = &w->doc;
	if (!g->registries_read)
		return 0; /* not read: a check failed, no admission */
	const char *what = "una restricción judicial";
	int64_t id = 0;
	int rc = registry_news(tx, w, SUBJECT_RESTRICTION, &id, err);
	if (!rc && !id) {
		what = "una alerta migratoria";
		rc = registry_news(tx, w, SUBJECT_ALERT, &id, err);
	}
	/* lost or stolen: the document's own number, read again whole */
	struct store_rows *r = NULL;
	struct store_val pl[] = {sv_text(d->number), sv_text(d->issuing_state)};
	if (!rc && !id && !w->in->doc.lost_stolen &&
	    !(rc = store_tx_query(tx, "SELECT id FROM lost_stolen WHERE status = 'active' AND document_number = $1 AND issuing_state = $2",
				  pl, SV_N(pl), &r, err)) &&
	    store_rows_count(r)) {
		id = store_rows_int(r, 0, 0);
		what = "la denuncia de pérdida o robo del documento";
	}
	store_rows_free(&r);
	if (rc || !id)
		return rc;
	return sigm_error_set(err, SIGM_ECONFLICT, "registry_changed", "document.number",
			      "se acaba de registrar %s que corresponde a esta persona (n.º %lld) "
			      "mientras se inspeccionaba: no se registró nada; inspeccione de nuevo",
			      what, (long long)id);
}

/*
 * A traveler without a document is nobody the records can tie to a person
 * (persons_resolve never links them: a flag at most).  Inspected again at
 * the same post while their case waits (a name corrected, the check run
 * twice), they are the person of that case, not one more: the same
 * names, birth date and nationality, exactly as typed then.
 */
static int undocumented_case(struct store_tx *tx, struct inspect_write *w,
			     struct sigm_error *err)
{
	if (rules_doc_kind_parse(w->doc.kind) != RULES_DOC_NONE)
		return 0;
	char since[40];
	store_iso_after(since, sizeof(since), -SAME_CROSSING_S);
	struct store_val p[] = {sv_text(since), sv_text(w->port), sv_text(w->direction),
				sv_text(w->doc.surnames), sv_text(w->doc.given_names ? w->doc.given_names : ""),
				sv_text(w->doc.birth_date), sv_text(w->doc.nationality ? w->doc.nationality : "")};
	return store_tx_query_int(tx,
				  "SELECT COALESCE(max(i.person_id), 0) FROM inspections i JOIN persons p ON p.id = i.person_id"
				  " WHERE i.at > $1 AND i.port = $2 AND i.direction = $3 AND i.status = 'pending'"
				  " AND i.document_id IS NULL AND p.surnames = $4 AND COALESCE(p.given_names, '') = $5"
				  " AND p.birth_date = $6 AND COALESCE(p.nationality, '') = $7",
				  p, SV_N(p), &w->who.person_id, err);
}

static int inspect_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct inspect_write *w = arg;
	int rc = undocumented_case(tx, w, err);
	if (rc == 0 && !w->who.person_id)
		rc = persons_resolve(tx, &w->doc, &w->who, err);
	if (rc)
		return rc;
	/* after the document is recorded: a new document is first seen at
	 * or before the inspection that shows it (the timeline's order) */
	char now[40];
	store_now_iso(now, sizeof(now));
	if (repeat_checked(w->dec) && (rc = same_crossing(tx, w, now, err)))
		return rc;
	if (w->dec->decision == RULES_ADMIT && ((rc = ledger_unchanged(tx, w, err)) ||
						(rc = inadmission_unchanged(tx, w, err)) ||
						(rc = registries_unchanged(tx, w, err))))
		return rc;
	const char *decision = rules_outcome_name(w->dec->decision);
	const char *status = inspection_status(w->dec, w->direction);
	if (!strcmp(status, "pending") && (rc = same_case(tx, w, err)))
		return rc;
	if (w->repeat) /* the case already open: nothing new to record, the read is */
		return audit_inspection(tx, w, "inspection.repeat", decision, err);
	struct store_val p[] = {sv_int(w->who.person_id),
				w->who.document_id ? sv_int(w->who.document_id) : sv_null(),
				sv_text(w->port), sv_text(w->direction),
				sv_text(w->transport), sv_text(decision),
				sv_text(w->reasons_json), sv_text(w->req->actor),
				sv_text(now), sv_text(status)};
	rc = store_tx_query_int(tx,
				"INSERT INTO inspections (person_id, document_id, port, direction, transport, decision, reasons, officer, at, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
				p, SV_N(p), &w->inspection_id, err);
	if (rc)
		return rc;
	if (w->dec->decision == RULES_ADMIT) {
		struct ledger_movement m = {
			.person_id = w->who.person_id, .document_id = w->who.document_id,
			.inspection_id = w->inspection_id, .direction = w->direction,
			.port = w->port, .officer = w->req->actor,
			.transport = w->transport, .decision = "admit",
			.reasons_json = w->reasons_json, .at = now,
			.permitted_stay_days = w->dec->stay_days_granted > 0 ? w->dec->stay_days_granted : 0};
		rc = ledger_add(tx, &m, &w->movement_id, err);
		if (rc)
			return rc;
		struct store_val u[] = {sv_int(w->inspection_id), sv_int(w->movement_id)};
		rc = store_tx_exec(tx, "UPDATE inspections SET movement_id = $2 WHERE id = $1", u, 2, NULL, err);
		if (rc)
			return rc;
		/* A case this crossing left open a moment ago on the same
		 * document (the visa or the route not yet typed, a carnet
		 * without its date) is closed by the admission that followed:
		 * left pending, a supervisor found it in the queue and could
		 * record an inadmission for a person already let in.  Only a
		 * referral to secondary of the last half hour: a refusal (a
		 * stolen passport, an expired one) waits for the supervisor's
		 * record whatever the person does next, and an older case is
		 * another crossing's.  Said "superseded", reopened if the
		 * admission is voided (border_api.c). */
		char since[40], note[120];
		store_iso_after(since, sizeof(since), -SUPERSEDE_S);
		snprintf(note, sizeof(note), "%s en ventanilla al inspeccionar de nuevo (inspección n.º %lld)",
			 strcmp(w->direction, "exit") ? "Admitida" : "Salida autorizada",
			 (long long)w->inspection_id);
		struct store_val c[] = {sv_int(w->who.person_id), sv_text(since), sv_text(w->port),
					sv_text(w->direction), sv_int(w->inspection_id),
					sv_int(w->who.document_id)};
		struct store_rows *open = NULL;
		rc = store_tx_query(tx, "SELECT id FROM inspections WHERE person_id = $1 AND at > $2 AND port = $3"
				    " AND direction = $4 AND status = 'pending' AND id <> $5 AND decision = 'secondary'"
				    " AND document_id = $6",
				    c, SV_N(c), &open, err);
		for (int i = 0; !rc && i < store_rows_count(open); i++) {
			struct store_val u2[] = {sv_int(store_rows_int(open, i, 0)), sv_text(w->req->actor),
						 sv_text(now), sv_int(w->movement_id), sv_text(note)};
			rc = store_tx_exec(tx,
					   "UPDATE inspections SET status = 'resolved', resolution = 'superseded', resolved_by = $2,"
					   " resolved_at = $3, movement_id = $4, resolution_notes = $5 WHERE id = $1",
					   u2, SV_N(u2), NULL, err);
			if (rc)
				break;
			char cid[24];
			snprintf(cid, sizeof(cid), "%lld", (long long)store_rows_int(open, i, 0));
			json_t *d = json_pack("{s:s, s:I, s:I, s:I}", "resolution", "superseded", "by_inspection",
					      (json_int_t)w->inspection_id, "movement", (json_int_t)w->movement_id,
					      "person_id", (json_int_t)w->who.person_id);
			rc = api_audit_tx(tx, w->req, "inspection.superseded", "inspection", cid, d, err);
			w->cases_closed++;
		}
		store_rows_free(&open);
		if (rc)
			return rc;
	}
	rc = apis_booth_record(tx, w->apis, w->inspection_id, now, err);
	if (rc)
		return rc;
	/* Blocked exits: each exit-ban reason names its restriction. */
	for (size_t i = 0; i < w->dec->n_reasons; i++) {
		const struct rules_reason *r = &w->dec->reasons[i];
		if (strcmp(r->code, "exit_ban") || strncmp(r->record, "restriction:", 12))
			continue;
		int64_t rid = strtoll(r->record + 12, NULL, 10);
		char day[11];
		api_local_day(now, day); /* the courts' day is El Salvador's */
		struct store_val b[] = {sv_int(w->inspection_id), sv_int(rid),
					sv_int(w->who.person_id), sv_text(w->port),
					sv_text(now), sv_text(day)};
		rc = store_tx_exec(tx,
				   "INSERT INTO blocked_exits (inspection_id, restriction_id, person_id, court, case_number, port, at, day)"
				   " SELECT $1, id, $3, court, case_number, $4, $5, $6 FROM restrictions WHERE id = $2",
				   b, SV_N(b), NULL, err);
		if (rc)
			return rc;
	}
	return audit_inspection(tx, w, "inspection.create", decision, err);
}

/* ---- input ---- */

/* A state's code (issuing state, nationality, route): three letters in
 * any case, kept upper case (api_country_field); "D" is Germany. */
static int str3(struct api_resp *resp, json_t *o, const char *name,
		bool required, const char **out)
{
	bool code = api_country_field(o, name);
	if (api_get_str(resp, o, name, required, 3, out))
		return -1;
	if (*out && !code) {
		api_error(resp, 400, "invalid_code", name,
			  "«%s»: código de país de tres letras (p. ej. SLV, USA)", name);
		return -1;
	}
	return 0;
}

/* The length of s's longest prefix that is well-formed UTF-8: up to the
 * first sequence that is not (one pass; shortening s a byte at a time and
 * validating it whole again was quadratic in the text). */
static size_t valid_len(const char *s)
{
	size_t n = strlen(s), at = 0;
	int k;
	while (at < n && (k = utf8_decode(s + at, n - at, NULL)) > 0)
		at += (size_t)k;
	return at;
}

static json_t *decision_json(const struct rules_decision *dec)
{
	json_t *reasons = json_array();
	for (size_t i = 0; i < dec->n_reasons; i++) {
		const struct rules_reason *r = &dec->reasons[i];
		/* A reason is never dropped: text that is no UTF-8 (a record's
		 * text cut in a buffer) is said with what of it is whole, not
		 * left out of the decision by a json_pack that failed.  The
		 * scan only when jansson refused it: not on every reason. */
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "code", r->code,
				      "message", r->message, "severity",
				      rules_severity_name(r->severity), "record", r->record);
		if (!o)
			o = json_pack("{s:s, s:s%, s:s, s:s}", "code", r->code,
				      "message", r->message, valid_len(r->message), "severity",
				      rules_severity_name(r->severity), "record", r->record);
		if (r->detail[0]) {
			json_t *dt = json_string(r->detail);
			json_object_set_new(o, "detail", dt ? dt : json_stringn(r->detail, valid_len(r->detail)));
		}
		/* the overstay's days and fine travel with the case to the
		 * supervisor, who records the fine paid or pending */
		if ((!strcmp(r->code, "overstay") && dec->fine_applies) ||
		    (!strcmp(r->code, "residence_unverified") && dec->overstay_days > 0))
			json_object_set_new(o, "fine", json_pack("{s:i, s:o, s:s}",
				"days", dec->overstay_days, "amount_cents",
				dec->fine_known ? json_integer(dec->fine_cents) : json_null(),
				"basis", dec->fine_basis));
		/* and the stay, which the supervisor's admission records
		 * when it does not set one (border_api.c) */
		if (!strcmp(r->code, "stay_granted") && dec->stay_days_granted > 0)
			json_object_set_new(o, "days", json_integer(dec->stay_days_granted));
		json_array_append_new(reasons, o);
	}
	return reasons;
}

/* The kind of document an MRZ's format and code say it is. */
static const char *mrz_kind(const struct mrz_doc *m)
{
	switch (m->format) {
	case MRZ_TD3: return "passport";
	case MRZ_MRVA:
	case MRZ_MRVB: return "visa";
	default: return m->document_code[0] == 'I' ? "id_card" : "other";
	}
}

static bool upper_code(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < 'A' || *s > 'Z')
			return false;
	return true;
}

/*
 * Reads body.mrz and puts what it says in body.document and body.person,
 * so that the rest of the handler treats a scanned document exactly like
 * one typed by hand.  A zone that fails validation still yields its fields
 * (the rules then send the traveler to secondary with mrz_invalid); only a
 * zone too damaged to name the document and the person is refused (422),
 * so the officer reads it again or types it.  Returns 0 or -1 (resp set).
 */
static int mrz_into_body(struct api_req *req, struct api_resp *resp, json_t *b,
			 struct mrz_doc *m, char *errors, size_t cap)
{
	json_t *jm = json_object_get(b, "mrz");
	struct sigm_error err;
	if (json_object_get(b, "document") || json_object_get(b, "person")) {
		api_error(resp, 400, "conflicting_fields", "mrz",
			  "envíe «mrz» o bien «document» y «person», no ambos");
		return -1;
	}
	if (!json_is_string(jm) || json_string_length(jm) > MRZ_INPUT_MAX) {
		api_error(resp, 400, "invalid_mrz", "mrz",
			  "«mrz»: el texto de la zona de lectura mecánica (hasta %d bytes)",
			  MRZ_INPUT_MAX);
		return -1;
	}
	if (mrz_parse(json_string_value(jm), json_string_length(jm), api_today_day(),
		      api_countries_table(req->ctx->mrz_countries), m, &err)) {
		api_error_from(resp, &err);
		return -1;
	}
	char birth[11], expiry[11], sex[2] = {m->sex, 0};
	mrz_date_string(&m->birth, birth);
	mrz_date_string(&m->expiry, expiry);
	if (m->format == MRZ_UNKNOWN || !m->document_number[0] || !m->surnames[0] ||
	    !birth[0] || !upper_code(m->issuing_state) || !upper_code(m->nationality)) {
		char first[200] = "";
		if (m->n_errors)
			snprintf(first, sizeof(first), " (%s: %s)", m->errors[0].field,
				 m->errors[0].message);
		api_error(resp, 422, "mrz_unreadable", "mrz",
			  "la MRZ no permite identificar el documento y a la persona%s; vuelva a leerla o ingrese los datos",
			  first);
		return -1;
	}
	/* a filler inside the number ("X12<45678") is no document number,
	 * whatever its check digit: said on the zone read, not on a field
	 * the officer never typed */
	for (const char *c = m->document_number; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))) {
			api_error(resp, 422, "mrz_unreadable", "mrz",
				  "el número de documento de la MRZ («%s») tiene caracteres de relleno en medio; vuelva a leerla o ingrese los datos",
				  m->document_number);
			return -1;
		}
	/* the one rule (rules_docno_read), said on the zone read as above:
	 * "AB<<<<<<<" with its check digit is a number of nobody, and was
	 * refused on «document.number», a field the officer never typed.
	 * A TD1/TD2 long number is whole here (mrz.c, read_number) */
	char num[RULES_DOCNO_MAX + 1];
	if (rules_docno_read(m->document_number, "mrz", "número de documento leído de la MRZ",
			     num, &err)) {
		api_error(resp, 400, err.code, "mrz", "%s; vuelva a leerla o ingrese los datos",
			  err.message);
		return -1;
	}
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", mrz_kind(m), "code",
				m->document_code, "number", m->document_number,
				"issuing_state", m->issuing_state, "nationality",
				m->nationality);
	if (m->expiry.prec == CAL_PREC_DAY)
		json_object_set_new(doc, "expiry_date", json_string(expiry));
	json_t *person = json_pack("{s:s, s:s, s:s}", "surnames", m->surnames,
				   "birth_date", birth, "nationality", m->nationality);
	if (m->given_names[0])
		json_object_set_new(person, "given_names", json_string(m->given_names));
	if (m->sex)
		json_object_set_new(person, "sex", json_string(sex));
	json_object_set_new(b, "document", doc);
	json_object_set_new(b, "person", person);
	/* the reason's detail, as the officer reads it: "fecha de
	 * nacimiento: el dígito de control no coincide; …" */
	size_t k = 0;
	errors[0] = 0;
	for (int i = 0; i < m->n_errors; i++)
		k = put(errors, cap, k, "%s%s: %s", i ? "; " : "",
			mrz_field_label(m->errors[i].field), m->errors[i].message);
	return 0;
}

/* The "document" and "person" objects of an inspection or a contingency
 * record, checked field by field: 0, or -1 with resp set.  doc points into
 * b; birth and expiry are parsed (expiry CAL_NONE when not given). */
static int traveler_fields(struct api_resp *resp, json_t *b, int32_t today,
			   const struct mrz_countries *countries,
			   struct persons_doc *out, const char **dui_out,
			   struct cal_date *birth, int32_t *expiry_out,
			   const char **doc_nat_out)
{
	static const char *const fd[] = {"kind", "code", "number", "issuing_state",
					 "nationality", "expiry_date",
					 "previous_number", "dui", NULL};
	static const char *const fp[] = {"given_names", "surnames", "birth_date",
					 "sex", "nationality", NULL};
	struct sigm_error err;
	json_t *jd = json_object_get(b, "document"), *jp = json_object_get(b, "person");
	if (!json_is_object(jd) || !json_is_object(jp)) {
		api_error(resp, 400, "missing_field", json_is_object(jd) ? "person" : "document",
			  "se requieren «document» y «person» (o «mrz»)");
		return -1;
	}
	if (api_object_keys(resp, jd, "document", fd) ||
	    api_object_keys(resp, jp, "person", fp))
		return -1;
	/* No document at all (a stowaway, a returnee without papers): the
	 * kind alone, for nothing else describes a document not shown, and
	 * a number typed with it would tie strangers together as its
	 * holders */
	bool none = rules_doc_kind_parse(json_string_value(json_object_get(jd, "kind"))) == RULES_DOC_NONE;
	for (int k = 1; none && fd[k]; k++)
		if (json_object_get(jd, fd[k])) {
			api_error(resp, 400, "conflicting_fields", "document.kind",
				  "sin documento («none»): no indique «document.%s»", fd[k]);
			return -1;
		}
	/* the number (and the previous one) by the one rule
	 * (api_get_docno): a DUI with its hyphen (01234567-8), a passport
	 * number in lower case or in groups, is the number the records keep,
	 * as the person search, the registries, a companion's number and a
	 * prechequeo list read it; "-" and "A" were documents of nobody */
	struct persons_doc doc = {0};
	const char *expiry, *dui;
	if (api_in(resp, "document", api_get_str(resp, jd, "kind", true, 20, &doc.kind) ||
		   api_get_str(resp, jd, "code", false, 2, &doc.document_code) ||
		   api_get_docno(resp, jd, "number", "number", !none, &doc.number) ||
		   str3(resp, jd, "issuing_state", !none, &doc.issuing_state) ||
		   str3(resp, jd, "nationality", false, &doc.nationality) ||
		   api_get_str(resp, jd, "expiry_date", false, 10, &expiry) ||
		   api_get_docno(resp, jd, "previous_number", "previous_number", false,
				 &doc.previous_number) ||
		   api_get_str(resp, jd, "dui", false, 10, &dui)) ||
	    api_in(resp, "person", api_get_str(resp, jp, "given_names", false, BOOTH_NAME_MAX, &doc.given_names) ||
		   api_get_str(resp, jp, "surnames", true, BOOTH_NAME_MAX, &doc.surnames) ||
		   api_get_str(resp, jp, "birth_date", true, 10, &doc.birth_date) ||
		   api_get_str(resp, jp, "sex", false, 1, &doc.sex)))
		return -1;
	const char *pnat;
	if (api_in(resp, "person", str3(resp, jp, "nationality", false, &pnat)))
		return -1;
	/* typed by hand, a nationality is a country (or one of ICAO's codes
	 * of status): "QQQ" was stored on the person.  What an MRZ states is
	 * the document's, weighed by the rules (countries NULL) */
	const char *nat_fld[] = {"person.nationality", "document.nationality"};
	const char *nat_val[] = {pnat, doc.nationality};
	for (int k = 0; countries && k < 2; k++)
		if (nat_val[k] && !mrz_country_name(countries, nat_val[k], strlen(nat_val[k]))) {
			api_error(resp, 400, "unknown_country", nat_fld[k],
				  "nacionalidad desconocida «%s» (código ISO 3166-1, p. ej. USA, GTM)", nat_val[k]);
			return -1;
		}
	if (!rules_doc_kind_parse(doc.kind)) {
		api_error(resp, 422, "invalid_value", "document.kind",
			  "tipo de documento: passport, id_card, residence_carnet, visa, other o none (sin documento)");
		return -1;
	}
	/* ICAO's document code: a letter, and a second one or the filler;
	 * the first says the kind (P passport; I, A or C an identity card or
	 * a residence permit; V a visa) */
	if (doc.document_code) {
		const char *dc = doc.document_code, *first = NULL;
		bool shape = dc[0] >= 'A' && dc[0] <= 'Z' &&
			     (!dc[1] || (dc[1] >= 'A' && dc[1] <= 'Z') || dc[1] == '<');
		switch (rules_doc_kind_parse(doc.kind)) {
		case RULES_DOC_PASSPORT: first = "P"; break;
		case RULES_DOC_ID_CARD:
		case RULES_DOC_RESIDENCE_CARNET: first = "IAC"; break;
		case RULES_DOC_VISA: first = "V"; break;
		default: break;
		}
		if (!shape || (first && !strchr(first, dc[0]))) {
			api_error(resp, 400, "invalid_document_code", "document.code",
				  "código del documento: una letra mayúscula y otra o «<» (P pasaporte; I, A o C documento de identidad o residencia; V visa)");
			return -1;
		}
	}
	if (dui && !api_valid_dui(dui)) {
		api_error(resp, 400, "invalid_dui", "document.dui",
			  "DUI inválido: 8 dígitos, guion y dígito verificador (p. ej. 00016297-5)");
		return -1;
	}
	if (cal_parse(doc.birth_date, birth, "person.birth_date", &err)) {
		api_error(resp, 400, "invalid_date", "person.birth_date",
			  "fecha de nacimiento inválida (AAAA-MM-DD, AAAA-MM o AAAA)");
		return -1;
	}
	if (cal_earliest(birth) > today) {
		api_error(resp, 422, "birth_date_in_future", "person.birth_date",
			  "la fecha de nacimiento está en el futuro");
		return -1;
	}
	if (cal_latest(birth) < cal_add_years(today, -130)) {
		api_error(resp, 422, "birth_date_implausible", "person.birth_date",
			  "fecha de nacimiento de hace más de 130 años: revísela");
		return -1;
	}
	/* a surname, and given names when typed, hold a letter of some
	 * script: "---" matched any holder of the passport */
	if (!names_has_letter(doc.surnames) ||
	    (doc.given_names && *doc.given_names && !names_has_letter(doc.given_names))) {
		bool sn = !names_has_letter(doc.surnames);
		api_error(resp, 400, "invalid_name", sn ? "person.surnames" : "person.given_names",
			  "«%s» no contiene ninguna letra", sn ? "Apellidos" : "Nombres");
		return -1;
	}
	*expiry_out = CAL_NONE;
	if (expiry && cal_parse_day(expiry, expiry_out, "document.expiry_date", &err)) {
		api_error(resp, 400, "invalid_date", "document.expiry_date",
			  "fecha de vencimiento inválida (AAAA-MM-DD)");
		return -1;
	}
	doc.expiry_date = expiry; /* kept on the document record */
	if (doc.sex && strcmp(doc.sex, "M") && strcmp(doc.sex, "F") && strcmp(doc.sex, "X")) {
		api_error(resp, 400, "invalid_sex", "person.sex", "sexo: M, F o X");
		return -1;
	}
	/* the person's nationality as declared, the document's as printed:
	 * a dual national shows both (rules.c) */
	if (doc_nat_out)
		*doc_nat_out = doc.nationality;
	doc.nationality = pnat ? pnat : doc.nationality;
	*out = doc;
	*dui_out = dui;
	return 0;
}

void api_inspections_create(struct api_req *req, struct api_resp *resp);
void api_inspections_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"mrz", "document", "person", "port",
					"direction", "transport", "route_country",
					"companions", "visa", "visa_consultada",
					"residence", "national_dui", NULL};
	struct api_ctx *ctx = req->ctx;
	json_t *b = api_body_object(req, resp, f);
	if (!b)
		return;
	struct mrz_doc mrz;
	char mrz_errors[800] = "";
	bool from_mrz = json_object_get(b, "mrz") != NULL;
	/* a Salvadoran scanned on a foreign passport: the DUI shown beside it
	 * makes the MRZ's holder a national (rules.c, dual_national) */
	json_t *ndui = json_object_get(b, "national_dui");
	if (ndui && !from_mrz) {
		api_error(resp, 400, "conflicting_fields", "national_dui",
			  "«national_dui» acompaña a «mrz»; con los datos a mano, use person.nationality y document.dui");
		return;
	}
	if (ndui && (!json_is_string(ndui) || !api_valid_dui(json_string_value(ndui)))) {
		api_error(resp, 400, "invalid_dui", "national_dui",
			  "«national_dui»: DUI de 8 dígitos, guion y dígito verificador (p. ej. 00016297-5)");
		return;
	}
	if (ndui)
		json_incref(ndui);
	if (from_mrz && mrz_into_body(req, resp, b, &mrz, mrz_errors, sizeof(mrz_errors))) {
		json_decref(ndui);
		return;
	}
	if (ndui) {
		json_object_set(json_object_get(b, "document"), "dui", ndui);
		json_object_set_new(json_object_get(b, "person"), "nationality", json_string(ctx->rules->home));
		json_decref(ndui);
	}
	const char *port, *direction, *transport, *route;
	if (api_get_str(resp, b, "port", true, 12, &port) ||
	    api_get_str(resp, b, "direction", true, 8, &direction) ||
	    api_get_str(resp, b, "transport", false, 60, &transport) ||
	    str3(resp, b, "route_country", false, &route))
		return;
	const struct rules_port *pt = rules_port_find(ctx->rules, port);
	if (!pt || !pt->active) {
		/* a closed post is said as such (docs/border-rules.md) */
		api_error(resp, 422, pt ? "port_inactive" : "unknown_port", "port",
			  pt ? "la delegación «%s» no está activa" : "delegación desconocida «%s»", port);
		return;
	}
	/* a route compared with permits and authorizations is a country:
	 * "XXX" or "QQQ" matched none of them and said nothing */
	char route_code[4];
	if (route && api_place_code(req, resp, "route_country", route, route_code))
		return;
	int dir = rules_direction_parse(direction);
	if (!dir) {
		api_error(resp, 400, "invalid_direction", "direction",
			  "«direction» debe ser entry o exit");
		return;
	}
	/* the other end of a crossing is another country: El Salvador typed
	 * there (the form's own country) passed the CA-4 rule, and a DUI
	 * was let out on a flight to anywhere; as a permit's or an
	 * authorization's destination, it is refused */
	if (route && !strcmp(route_code, ctx->rules->home)) {
		api_error(resp, 422, "destination_is_origin", "route_country",
			  dir == RULES_EXIT ? "«route_country»: la salida es de El Salvador; indique el país de destino"
					    : "«route_country»: el ingreso es a El Salvador; indique el país de procedencia");
		return;
	}
	struct persons_doc doc = {0};
	const char *dui, *doc_nat = NULL;
	struct sigm_error err;
	struct rules_input in;
	memset(&in, 0, sizeof(in));
	char today_s[11];
	api_today(today_s);
	cal_parse_day(today_s, &in.today, "today", &err);
	if (traveler_fields(resp, b, in.today,
			    from_mrz ? NULL : api_countries_table(ctx->mrz_countries),
			    &doc, &dui, &in.person.birth,
			    &in.doc.expiry, &doc_nat))
		return;
	/* the DUI shown kept with the person, by the number the records
	 * keep (a DUI card presented is kept so): persons.h */
	char dui_no[API_DOCNO_BUF];
	if (dui && doc.kind && strcmp(doc.kind, "none") &&
	    !rules_docno_read(dui, "document.dui", "DUI", dui_no, &err)) {
		doc.national_number = dui_no;
		doc.national_state = ctx->rules->home;
	}
	json_t *v;

	struct gather *g = calloc(1, sizeof(*g));
	if (!g) {
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	/* Companions (required to be listed for minors; the rules check). */
	json_t *jc = json_object_get(b, "companions");
	if (jc) {
		if (!json_is_array(jc) || json_array_size(jc) > RULES_MAX_COMPANIONS) {
			api_error(resp, 400, "invalid_companions", "companions",
				  "«companions»: lista de hasta %d acompañantes", RULES_MAX_COMPANIONS);
			goto out;
		}
		in.companions_listed = true;
		static const char *const fc[] = {"relation", "name", "document_number",
						 "identity_checked", NULL};
		size_t i;
		json_array_foreach(jc, i, v) {
			char fld[40];
			snprintf(fld, sizeof(fld), "companions[%zu]", i);
			if (!json_is_object(v)) {
				api_error(resp, 400, "invalid_companion", fld,
					  "cada acompañante es un objeto con relation, name, document_number e identity_checked");
				goto out;
			}
			const char *rel, *name, *docno;
			json_t *checked = json_object_get(v, "identity_checked");
			/* a companion is someone the officer identified: a
			 * blank row, or a number of no letter or digit ("-",
			 * a no-break space), is nobody, and must not count as
			 * a parent.  The number by the one rule (api_get_docno):
			 * written with dots or a slash (12.345.678, AB/123456)
			 * it is the number the registry compares */
			if (api_object_keys(resp, v, fld, fc) ||
			    api_in(resp, fld, api_get_str(resp, v, "relation", true, 20, &rel) ||
				   api_get_str(resp, v, "name", false, 200, &name) ||
				   api_get_docno(resp, v, "document_number", "document_number", true, &docno)))
				goto out;
			if (!rules_relation_parse(rel)) {
				snprintf(fld, sizeof(fld), "companions[%zu].relation", i);
				api_error(resp, 422, "invalid_value", fld,
					  "relación: parent, legal_guardian u other");
				goto out;
			}
			if (checked && !json_is_boolean(checked)) {
				snprintf(fld, sizeof(fld), "companions[%zu].identity_checked", i);
				api_error(resp, 400, "invalid_type", fld, "«identity_checked»: true o false");
				goto out;
			}
			struct rules_companion *c = &g->companions[in.n_companions++];
			c->relation = rules_relation_parse(rel);
			c->identity_checked = json_is_true(checked);
			c->name = name ? name : "";
			c->document_number = docno;
		}
	}
	in.companions = g->companions;
	/* A visa, a visa consultada or a carnet whose day cannot be read
	 * is refused, not taken as absent: a check must not pass because
	 * its input was unreadable. */
	static const char *const fv[] = {"type", "valid_until", "reference", NULL};
	static const char *const fq[] = {"approved", "valid_until", "reference", NULL};
	static const char *const fr[] = {"carnet_number", "valid_until", NULL};
	const char *vu;
	json_t *jv = json_object_get(b, "visa");
	if (jv) {
		if (api_object_keys(resp, jv, "visa", fv) ||
		    api_in(resp, "visa", api_get_str(resp, jv, "type", false, 40, &in.visa.type) ||
			   api_get_date(resp, jv, "valid_until", false, false, &vu) ||
			   api_get_str(resp, jv, "reference", false, 60, &in.visa.record)))
			goto out;
		/* the kinds the booth's form offers; any other word (a typo,
		 * «bogus») was taken as a visa and admitted the traveler */
		static const char *const kinds[] = {"consular", "consultada", "otra", NULL};
		const char *const *k = kinds;
		while (in.visa.type && *k && strcmp(*k, in.visa.type))
			k++;
		if (in.visa.type && !*k) {
			api_error(resp, 422, "invalid_value", "visa.type",
				  "«visa.type»: tipo de visa desconocido; valores aceptados: consular, consultada u otra");
			goto out;
		}
		in.visa.held = true;
		in.visa.valid_until = day_or_none(vu);
	}
	json_t *jq = json_object_get(b, "visa_consultada");
	if (jq) {
		json_t *ja = json_object_get(jq, "approved");
		if (api_object_keys(resp, jq, "visa_consultada", fq) ||
		    api_in(resp, "visa_consultada",
			   api_get_date(resp, jq, "valid_until", false, false, &vu) ||
			   api_get_str(resp, jq, "reference", false, 60, &in.consultada.record)))
			goto out;
		if (!json_is_boolean(ja)) {
			api_error(resp, 400, "invalid_type", "visa_consultada.approved",
				  "«visa_consultada.approved»: true o false");
			goto out;
		}
		in.consultada.present = true;
		in.consultada.approved = json_is_true(ja);
		in.consultada.valid_until = day_or_none(vu);
	}
	in.person.carnet_valid_until = CAL_NONE;
	json_t *jr = json_object_get(b, "residence");
	if (jr) {
		/* a carnet states its validity: without it the traveler is
		 * neither a resident nor a visitor */
		if (api_object_keys(resp, jr, "residence", fr) ||
		    api_in(resp, "residence",
			   api_get_str(resp, jr, "carnet_number", false, 0, &in.person.carnet_record) ||
			   api_get_date(resp, jr, "valid_until", true, false, &vu)))
			goto out;
		/* blank is read by the rule below (invalid_document_number,
		 * as a blank document number); absent is missing */
		in.person.carnet_record = json_string_value(json_object_get(jr, "carnet_number"));
		if (!in.person.carnet_record) {
			api_error(resp, 400, "missing_field", "residence.carnet_number",
				  "falta el campo obligatorio «residence.carnet_number»");
			goto out;
		}
		/* no format of the carnet's number is on record (docs,
		 * data): it is read by a document number's rule
		 * (rules_docno_read), its length too (no cap of its own:
		 * 25 characters were too_long here and 21 letters accepted).
		 * «😀» or «-» was recorded with the crossing and printed on
		 * its certificate.  The number is kept as typed («RT-99001»):
		 * it is shown, never compared */
		char cn[RULES_DOCNO_MAX + 1];
		if (rules_docno_read(in.person.carnet_record, "residence.carnet_number",
				     "número de carné", cn, &err)) {
			api_error_from(resp, &err);
			goto out;
		}
		in.person.carnet_valid_until = day_or_none(vu);
	}

	in.direction = dir;
	in.port = pt->code;
	in.route_country = route ? route : "";
	in.doc.kind = rules_doc_kind_parse(doc.kind);
	in.doc.code = doc.document_code ? doc.document_code : "";
	in.doc.number = doc.number;
	in.doc.issuing_state = doc.issuing_state;
	in.doc.nationality = doc_nat ? doc_nat : doc.nationality ? doc.nationality : "";
	in.person.national_document = dui;
	in.doc.mrz_present = from_mrz;
	in.doc.mrz_valid = !from_mrz || mrz.valid;
	in.doc.mrz_errors = mrz_errors;
	/* a state ICAO or ISO 3166 knows (Serbia is one though the visa
	 * rules do not list it yet: that is visa_category_unknown) */
	in.countries = api_countries_table(ctx->mrz_countries);
	/* ICAO's codes for a holder's status (stateless XXA, refugee XXB
	 * and XXC, unspecified XXX) name nobody who issues documents, and
	 * UTO is the specimens' Utopia: a document "issued" by one is not
	 * a document of a known state */
	static const char *const not_issuers[] = {"XXA", "XXB", "XXC", "XXX", "UTO", NULL};
	bool issuer_ok = doc.issuing_state != NULL; /* NULL: no document (rules.c) */
	for (int k = 0; issuer_ok && not_issuers[k]; k++)
		issuer_ok &= strcmp(doc.issuing_state, not_issuers[k]) != 0;
	in.doc.issuing_state_known = issuer_ok &&
		(mrz_country_name(in.countries, doc.issuing_state,
				  strlen(doc.issuing_state)) != NULL ||
		 rules_is_ca4(ctx->rules, doc.issuing_state) ||
		 rules_category(ctx->rules, doc.issuing_state, in.today) != RULES_CAT_UNKNOWN);
	in.person.sex = doc.sex ? doc.sex[0] : 0;
	in.person.nationality = doc.nationality ? doc.nationality : "";

	/* what the index held before the read: taken first, so that all
	 * of it is in the read's snapshot (registry_news) */
	for (int k = 0; k < SUBJECT_NKINDS; k++)
		g->seen[k] = api_screen_exact_seen(ctx, (enum subject_kind)k);
	/* the traveler's records as of one instant, read on one connection */
	store_read_begin(ctx->store);
	in.ledger.inadmission_day = CAL_NONE;
	holder(ctx, &doc, g, &in);
	national_holder(ctx, &doc, dui, g, &in);
	if (dir == RULES_ENTRY)
		gather_inadmission(ctx, g, &in);
	gather_pending_case(ctx, g, pt->code, direction, &in);
	gather_all(ctx, &doc, dui, today_s, g, &in);
	/* APIS: the manifest of the flight given (issue 7, part 4) */
	if (apis_booth_lookup(ctx, transport, pt->code, direction, doc.number, doc.surnames,
			      doc.given_names, doc.birth_date, &g->apis, &err))
		in.checks_failed |= RULES_CHECK_DATABASE;
	store_read_end(ctx->store);
	in.apis = (struct rules_apis){g->apis.manifest_id != 0,
				      g->apis.apis_person_id != 0,
				      g->apis.secondary, g->apis.record,
				      g->apis.note[0] ? g->apis.note : NULL};
	if (g->records_full)
		in.checks_failed |= RULES_CHECK_OTHER;
	if (in.checks_failed)
		in.check_detail = g->records_full
			? "coinciden más registros (restricciones, permisos, alertas) de los que una inspección puede sopesar"
			: "uno o más registros no pudieron consultarse";

	struct rules_decision dec;
	if (rules_inspect(ctx->rules, &in, &dec, &err) && err.rc == SIGM_EINVAL) {
		/* bad input the rules caught (e.g. minors without the list of
		 * companions): a 4xx, nothing recorded */
		api_error(resp, 422, err.code, err.field, "%s", err.message);
		goto out;
	}
	json_t *reasons = decision_json(&dec);
	struct inspect_write w = {.req = req, .doc = doc, .dui = dui, .port = pt->code,
				  .direction = direction, .transport = transport,
				  .dec = &dec, .g = g, .in = &in, .apis = &g->apis};
	w.reasons_json = json_dumps(reasons, JSON_COMPACT);
	int rc = store_write(ctx->store, inspect_fn, &w, &err);
	free(w.reasons_json);
	if (rc) {
		json_decref(reasons);
		api_error_from(resp, &err);
		goto out;
	}
	if (ctx->on_record_change)
		ctx->on_record_change(ctx, "person", w.who.person_id);
	char until[11] = "";
	if (dec.stay_until != CAL_NONE)
		cal_format(dec.stay_until, until);
	json_t *facts = json_pack("{s:i, s:i, s:b, s:b, s:b, s:s, s:i, s:s?, s:i, s:b, s:o}",
				  "age_min", dec.age_min, "age_max", dec.age_max,
				  "minor", dec.minor, "national", dec.national,
				  "resident", dec.resident, "visa_category",
				  rules_category_name(dec.category), "stay_days_granted",
				  dec.stay_days_granted, "stay_until", until[0] ? until : NULL,
				  "overstay_days", dec.overstay_days, "fine_applies",
				  dec.fine_applies,
				  "fine", dec.fine_applies ? (dec.fine_known ? json_pack("{s:I, s:s}", "amount_cents", (json_int_t)dec.fine_cents, "basis", dec.fine_basis)
									     : json_pack("{s:n, s:s}", "amount_cents", "basis", "según resolución"))
							   : json_null());
	api_json(resp, 201,
		 json_pack("{s:s, s:o, s:I, s:o, s:o, s:I, s:s, s:o, s:b, s:i}",
			   "decision", rules_outcome_name(dec.decision), "reasons",
			   reasons, "person_id", (json_int_t)w.who.person_id,
			   "document_id", w.who.document_id ? json_integer(w.who.document_id) : json_null(),
			   "movement_id", w.movement_id ? json_integer(w.movement_id) : json_null(),
			   "inspection_id", (json_int_t)w.inspection_id,
			   "status", inspection_status(&dec, direction),
			   "facts", facts, "renewal", w.who.renewal,
			   "possible_duplicates", w.who.duplicates_flagged));
	if (resp->json) { /* sent again on the same grounds: the case already open */
		json_object_set_new(resp->json, "case_already_open", json_boolean(w.repeat));
		json_object_set_new(resp->json, "cases_closed", json_integer(w.cases_closed));
	}
	if (from_mrz && resp->json)
		json_object_set_new(resp->json, "mrz", api_mrz_json(&mrz));
	if (g->apis.json && resp->json)
		json_object_set(resp->json, "apis", g->apis.json);
out:
	gather_free(g);
	free(g);
}

void api_ports_list(struct api_req *req, struct api_resp *resp);
void api_ports_list(struct api_req *req, struct api_resp *resp)
{
	const struct rules_tables *t = req->ctx->rules;
	json_t *a = json_array();
	for (size_t i = 0; i < t->n_ports; i++) {
		const struct rules_port *p = &t->ports[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:b}", "code", p->code,
				      "name", p->name, "kind",
				      rules_port_kind_name(p->kind), "neighbour",
				      p->neighbour[0] ? p->neighbour : NULL,
				      "active", p->active);
		if (p->iata[0]) /* what APIS manifests name the airport by */
			json_object_set_new(o, "iata", json_string(p->iata));
		json_array_append_new(a, o);
	}
	api_json(resp, 200, a);
}

/* ---- contingency records ---- */

/*
 * A crossing decided while the post could not reach SIGM (an outage, a
 * power cut): the officer followed the contingency procedure on paper, and
 * a supervisor enters the movement afterwards with the instant it
 * happened, the paper form's reference and the reason.  The ledger keeps
 * both instants (at: the crossing; created_at: the entry), and an entry
 * recorded late is still the traveler's presence with its permitted stay,
 * so the overstay follows from it.  The traveler is screened now, as the
 * booth would have been: the hits come back with the record, so that an
 * alert found after the fact is acted on.
 */
#define CONTINGENCY_MAX_DAYS 366

struct contingency {
	struct api_req *req;
	struct persons_doc doc;
	const char *port, *direction, *transport, *reference, *reason;
	char at[40];
	int stay_days;
	const char *stay_source; /* "form", "tables" or NULL (no stay) */
	char *reasons_json;
	struct persons_result who;
	int64_t movement_id;
	/* an exit after the permitted stay: the fine it owes, paid on the
	 * paper form (its receipt) or pending; the reason and the fine
	 * recorded (api_exit_fine_record) */
	const char *fine_receipt;
	int64_t fine_cents; /* -1: not given */
	json_t *overstay, *fine;
};

/* The movement's reasons with the overstay said after the form's: the
 * days and the fine, paid on the form or pending; *out a new text. */
static int contingency_overstay_reason(struct contingency *c, char **out,
				       struct sigm_error *err)
{
	const json_t *f = json_object_get(c->overstay, "fine");
	json_int_t days = json_integer_value(json_object_get(f, "days"));
	const json_t *amt = json_object_get(f, "amount_cents");
	int64_t cents = c->fine_cents >= 0 ? c->fine_cents
			: json_is_integer(amt) ? (int64_t)json_integer_value(amt) : -1;
	char fine[160], msg[400];
	if (cents >= 0)
		snprintf(fine, sizeof(fine), "multa de US$ %lld.%02lld", (long long)(cents / 100),
			 (long long)(cents % 100));
	else
		snprintf(fine, sizeof(fine), "multa según resolución");
	snprintf(msg, sizeof(msg), "Permanencia excedida en %lld día%s: %s %s", (long long)days,
		 days == 1 ? "" : "s", fine,
		 c->fine_receipt ? "pagada según el formulario" : "pendiente de cobro");
	json_t *rs = json_loads(c->reasons_json, 0, NULL);
	json_t *it = json_pack("{s:s, s:s, s:s, s:O}", "code", "overstay", "message", msg,
			       "severity", "info", "fine", f);
	if (c->fine_receipt && it)
		json_object_set_new(it, "detail", json_sprintf("recibo %s", c->fine_receipt));
	if (!rs || !it || json_array_append_new(rs, it)) {
		json_decref(rs);
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	}
	*out = json_dumps(rs, JSON_COMPACT);
	json_decref(rs);
	return *out ? 0 : sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
}

static int contingency_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct contingency *c = arg;
	int rc = persons_resolve(tx, &c->doc, &c->who, err);
	if (rc)
		return rc;
	/* a paper form naming a document on file as somebody else's: a
	 * typing slip, or the case the booth would have sent to secondary;
	 * never recorded under the other person */
	if (c->who.holder_differs)
		return sigm_error_set(err, SIGM_ERULE, "document_holder_mismatch", "document.number",
				      "el documento ya está registrado a nombre de otra persona "
				      "(persona n.º %lld): revise el número y los datos del formulario",
				      (long long)c->who.holder_id);
	/* the same paper form entered twice: the same crossing, or the same
	 * form (its reference) for the same person and direction, whatever
	 * instant was typed the second time */
	struct store_rows *r = NULL;
	/* the reference as the stored reasons write it (JSON: a quote or a
	 * backslash escaped); a movement voided since is no longer there */
	json_t *js = json_string(c->reference);
	char *esc = json_dumps(js, JSON_ENCODE_ANY);
	json_decref(js);
	if (!esc)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	esc[strlen(esc) - 1] = 0;
	/* and as a LIKE pattern of both engines: '!' escapes (PostgreSQL's
	 * default escape, the backslash, is in the JSON) */
	char pat[2 * 200 + 1];
	api_like_escape(esc + 1, pat, sizeof(pat));
	struct store_val d[] = {sv_int(c->who.person_id), sv_text(c->at),
				sv_text(c->direction), sv_text(pat)};
	rc = store_tx_query(tx, "SELECT at, reasons FROM movements WHERE person_id = $1 AND direction = $3 AND (at = $2"
			    " OR reasons LIKE '%' || $4 || '%' ESCAPE '!') AND corrects_movement_id IS NULL"
			    " AND NOT EXISTS (SELECT 1 FROM movements v WHERE v.corrects_movement_id = movements.id)",
			    d, 4, &r, err);
	free(esc);
	if (rc)
		return rc;
	/* the LIKE narrows; the form's reference is read exactly */
	int dup = 0, same_at = 0;
	for (int i = 0; i < store_rows_count(r) && !dup; i++) {
		dup = same_at = !strcmp(store_rows_text(r, i, 0), c->at);
		json_t *rs = json_loads(store_rows_text(r, i, 1), 0, NULL);
		size_t j;
		json_t *it;
		json_array_foreach(rs, j, it) {
			const char *code = json_string_value(json_object_get(it, "code"));
			const char *ref = json_string_value(json_object_get(it, "record"));
			dup |= code && ref && !strcmp(code, "contingency_record") && !strcmp(ref, c->reference);
		}
		json_decref(rs);
	}
	store_rows_free(&r);
	if (dup)
		return sigm_error_set(err, SIGM_ECONFLICT, "duplicate_record", same_at ? "at" : "reference",
				      "ese movimiento ya está registrado (misma persona y sentido, mismo instante o mismo formulario)");
	/* An overstayer who left on paper owes the fine as one who left
	 * through the booth: measured before the exit changes where the
	 * ledger has them, said in the movement, recorded on it */
	bool exit = !strcmp(c->direction, "exit");
	json_decref(c->overstay); /* a transaction tried again */
	c->overstay = NULL;
	if (exit && (rc = api_exit_overstay(tx, c->req, c->who.person_id, c->at, &c->overstay, err)))
		return rc;
	if ((c->fine_receipt || c->fine_cents >= 0) && !c->overstay)
		return sigm_error_set(err, SIGM_ERULE, "no_fine",
				      c->fine_receipt ? "fine_receipt" : "fine_amount",
				      "solo la salida de quien excedió la permanencia lleva multa");
	char *reasons = c->reasons_json;
	if (c->overstay && (rc = contingency_overstay_reason(c, &reasons, err)))
		return rc;
	struct ledger_movement m = {
		.person_id = c->who.person_id, .document_id = c->who.document_id,
		.direction = c->direction, .port = c->port,
		.officer = c->req->actor, .transport = c->transport,
		.decision = "admit", .reasons_json = reasons,
		.permitted_stay_days = c->stay_days, .at = c->at};
	rc = ledger_add(tx, &m, &c->movement_id, err);
	if (reasons != c->reasons_json)
		free(reasons);
	if (rc)
		return rc;
	json_decref(c->fine); /* a transaction tried again */
	c->fine = NULL;
	if (c->overstay &&
	    (rc = api_exit_fine_record(tx, c->req, c->who.person_id, c->movement_id, c->port,
				       c->overstay, c->fine_receipt, c->fine_cents, &c->fine, err)))
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)c->movement_id);
	json_t *dj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "at", c->at,
			       "port", c->port, "direction", c->direction,
			       "reference", c->reference, "reason", c->reason,
			       "person_id", (json_int_t)c->who.person_id);
	return api_audit_tx(tx, c->req, "movement.contingency", "movement", rid, dj, err);
}

/*
 * A paper form without the days granted: the stay the booth would have
 * given, from the tables for the nationality on the day of the crossing,
 * so that the visitor's stay runs out and the overstayers list shows it.
 * None for a national, a resident (entered on the carnet), or a
 * nationality the tables do not settle (the booth would have sent it to
 * secondary): Extranjería extends from the tables later if needed.
 */
static void contingency_table_stay(struct api_ctx *ctx, struct contingency *c)
{
	char day[11];
	int32_t d;
	struct sigm_error ignored;
	if (c->doc.kind && !strcmp(c->doc.kind, "residence_carnet"))
		return;
	api_local_day(c->at, day);
	if (cal_parse_day(day, &d, "at", &ignored))
		return;
	int days = rules_default_stay(ctx->rules, c->doc.nationality, d);
	if (days > 0) {
		c->stay_days = days;
		c->stay_source = "tables";
	}
}

/* "YYYY-MM-DDTHH:MM[:SS[.sss]]Z" -> the ledger's form, in out[40]. */
static bool contingency_instant(const char *s, char out[40], time_t *t)
{
	/* strptime alone takes "2026-12-1T1:0Z" and "T 10:00": the form
	 * is fixed, digit by digit */
	static const char shape[] = "dddd-dd-ddTdd:dd";
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return false;
	struct tm tm = {0};
	const char *e = strptime(s, "%Y-%m-%dT%H:%M", &tm);
	if (!e)
		return false;
	int sec = 0, ms = 0;
	if (*e == ':') {
		if (e[1] < '0' || e[1] > '5' || e[2] < '0' || e[2] > '9')
			return false;
		sec = (e[1] - '0') * 10 + (e[2] - '0');
		e += 3;
		if (*e == '.') {
			int k = 0;
			for (e++; *e >= '0' && *e <= '9' && k < 3; e++, k++)
				ms = ms * 10 + (*e - '0');
			if (k != 3)
				return false;
		}
	}
	if (strcmp(e, "Z"))
		return false;
	tm.tm_sec = sec;
	struct tm back = tm;
	*t = timegm(&tm);
	if (*t == (time_t)-1 || tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon)
		return false; /* 31 April, 29 February 2027 */
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, sec, ms);
	return true;
}

void api_movements_contingency(struct api_req *req, struct api_resp *resp);
void api_movements_contingency(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"port", "direction", "at", "transport",
					"document", "person", "permitted_stay_days",
					"reference", "reason", "fine_receipt",
					"fine_amount", NULL};
	struct api_ctx *ctx = req->ctx;
	struct contingency c = {.req = req, .fine_cents = -1};
	const char *at;
	json_t *b = api_body_object(req, resp, f);
	if (!b || api_get_str(resp, b, "port", true, 12, &c.port) ||
	    api_get_str(resp, b, "direction", true, 8, &c.direction) ||
	    api_get_str(resp, b, "at", true, 40, &at) ||
	    api_get_str(resp, b, "transport", false, 60, &c.transport) ||
	    api_get_str(resp, b, "reference", true, 60, &c.reference) ||
	    api_get_str(resp, b, "reason", true, 500, &c.reason) ||
	    api_get_str(resp, b, "fine_receipt", false, 60, &c.fine_receipt) ||
	    api_get_amount(resp, b, "fine_amount", &c.fine_cents))
		return;
	const struct rules_port *pt = rules_port_find(ctx->rules, c.port);
	if (!pt || !pt->active) {
		/* a closed post is said as such (docs/border-rules.md) */
		api_error(resp, 422, pt ? "port_inactive" : "unknown_port", "port",
			  pt ? "la delegación «%s» no está activa" : "delegación desconocida «%s»", c.port);
		return;
	}
	c.port = pt->code;
	int dir = rules_direction_parse(c.direction);
	if (!dir) {
		api_error(resp, 400, "invalid_direction", "direction",
			  "«direction» debe ser entry o exit");
		return;
	}
	time_t t;
	if (!contingency_instant(at, c.at, &t)) {
		api_error(resp, 400, "invalid_instant", "at",
			  "instante del cruce en UTC: AAAA-MM-DDTHH:MM[:SS]Z");
		return;
	}
	time_t now = time(NULL);
	if (t > now + 300) {
		api_error(resp, 422, "instant_in_future", "at",
			  "el instante del cruce está en el futuro");
		return;
	}
	if (now - t > (time_t)CONTINGENCY_MAX_DAYS * 86400) {
		api_error(resp, 422, "instant_too_old", "at",
			  "un registro de contingencia no puede tener más de %d días",
			  CONTINGENCY_MAX_DAYS);
		return;
	}
	json_t *js = json_object_get(b, "permitted_stay_days");
	if (js) {
		if (!json_is_integer(js) || json_integer_value(js) < 1 ||
		    json_integer_value(js) > 180) {
			api_error(resp, 400, "invalid_stay", "permitted_stay_days",
				  "días de permanencia concedidos: entero de 1 a 180");
			return;
		}
		if (dir != RULES_ENTRY) {
			api_error(resp, 422, "stay_on_exit", "permitted_stay_days",
				  "la permanencia solo se concede en una entrada");
			return;
		}
		c.stay_days = (int)json_integer_value(js);
		c.stay_source = "form";
	}
	if (dir != RULES_EXIT && (c.fine_receipt || c.fine_cents >= 0)) {
		api_error(resp, 422, "no_fine", c.fine_receipt ? "fine_receipt" : "fine_amount",
			  "solo la salida de quien excedió la permanencia lleva multa");
		return;
	}
	const char *dui;
	int32_t today, expiry;
	char today_s[11];
	struct cal_date birth;
	struct sigm_error err;
	api_today(today_s);
	cal_parse_day(today_s, &today, "today", &err);
	if (traveler_fields(resp, b, today, api_countries_table(req->ctx->mrz_countries),
			    &c.doc, &dui, &birth, &expiry, NULL))
		return;
	(void)dui;
	/* a paper form records a crossing admitted on a document; somebody
	 * without one was never admitted at a booth, and is not by a form */
	if (rules_doc_kind_parse(c.doc.kind) == RULES_DOC_NONE) {
		api_error(resp, 422, "document_required", "document.kind",
			  "un registro de contingencia requiere el documento con que se cruzó; "
			  "una persona sin documento pasa a inspección secundaria en ventanilla");
		return;
	}
	if (c.stay_days && c.doc.nationality && !strcmp(c.doc.nationality, ctx->rules->home)) {
		api_error(resp, 422, "no_stay_limit", "permitted_stay_days",
			  "la permanencia de una persona salvadoreña no tiene plazo");
		return;
	}
	char crossed[11];
	api_local_day(c.at, crossed); /* El Salvador's day of the crossing */
	if (strncmp(c.doc.birth_date, crossed, strlen(c.doc.birth_date)) > 0) {
		api_error(resp, 422, "born_after_crossing", "person.birth_date",
			  "la persona nació después del cruce que se registra");
		return;
	}
	if (dir == RULES_ENTRY && !c.stay_days)
		contingency_table_stay(ctx, &c);
	json_t *reasons = json_pack("[{s:s, s:s, s:s, s:s}]", "code", "contingency_record",
				    "message", "Registro de contingencia (decisión tomada en papel)",
				    "severity", "info", "record", c.reference);
	json_object_set_new(json_array_get(reasons, 0), "detail", json_string(c.reason));
	c.reasons_json = json_dumps(reasons, JSON_COMPACT);
	json_decref(reasons);
	int rc = store_write(ctx->store, contingency_fn, &c, &err);
	free(c.reasons_json);
	json_decref(c.overstay);
	if (rc) {
		json_decref(c.fine);
		api_error_from(resp, &err);
		return;
	}
	if (ctx->on_record_change)
		ctx->on_record_change(ctx, "person", c.who.person_id);
	/* screened now, as the booth would have */
	json_t *screening;
	struct screen_person p = {c.doc.given_names, c.doc.surnames, c.doc.birth_date,
				  c.doc.sex, c.doc.nationality, c.doc.number};
	struct screen_result res;
	if (!ctx->screen) {
		screening = json_pack("{s:s}", "error", "sin índice de cotejo en este servidor");
	} else if (api_screen_query(ctx, &p, SCREEN_DEFAULT_THRESHOLD, 5, &res, &err)) {
		screening = json_pack("{s:s}", "error", err.message);
	} else {
		json_t *hits = json_array();
		for (int i = 0; i < res.n; i++)
			json_array_append_new(hits, json_pack("{s:s, s:s, s:i}", "record",
							      res.hits[i].id, "category",
							      res.hits[i].category, "score",
							      res.hits[i].score));
		screening = json_pack("{s:o}", "hits", hits);
		screen_result_release(&res);
	}
	json_t *out = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o}", "movement_id",
				(json_int_t)c.movement_id, "person_id",
				(json_int_t)c.who.person_id, "document_id",
				(json_int_t)c.who.document_id, "at", c.at, "port", c.port,
				"direction", c.direction, "screening", screening);
	json_object_set_new(out, "permitted_stay_days",
			    c.stay_days ? json_integer(c.stay_days) : json_null());
	json_object_set_new(out, "stay_source",
			    c.stay_source ? json_string(c.stay_source) : json_null());
	json_object_set_new(out, "fine", c.fine ? c.fine : json_null());
	api_json(resp, 201, out);
}
