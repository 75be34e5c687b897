/*
 * apis_screen.c - screening of whole APIS manifests (issue 7, part 3) and
 * the APIS desk's review of the hits.
 *
 * Right after a manifest is stored (same request, once its write has
 * committed: a screening failure never loses a manifest) every passenger
 * and crew member is checked against
 *   - the screening index (screen_api.c: alerts and court restrictions,
 *     fuzzy names, birth date, sex, nationality, document number);
 *   - the lost/stolen registry, exactly (document number and issuing
 *     state), one joined query for the whole manifest;
 *   - the nationality rules (data/border): a visa category B or C, or a
 *     nationality without a row, is a note for the desk.
 * The index queries of a manifest run first, on two threads (the index
 * takes any number of readers; hundreds of persons on a large watch list
 * are most of the screening's time), then the hits are added in order.
 * The hits go to apis_hits with a severity (critical > high > medium >
 * low), a category, a score, the record they point to and the explanation
 * as JSON.  A re-screen (POST .../screen, when the watch lists changed)
 * keeps a hit it finds again, review included, refreshes its score, and
 * supersedes the ones it no longer finds.  A part of a split list joined
 * to a manifest (apis_api.c) re-screens it whole in the same way, so the
 * reviews of the earlier parts' hits stay.
 *
 * Every read of the hit list (personal data) is audited.
 */
#include "api/apis.h"
#include "api/screen_api.h"
#include "core/mrz.h"
#include "core/paxlst.h"
#include "core/rules.h"
#include "store/audit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HITS_TOP 5 /* index hits kept per person */
#define SCREEN_THREADS 2 /* the index takes any number of readers */
#define SCREEN_PARALLEL_FROM 32 /* persons; fewer are screened in line */

struct mhit {
	int64_t pid; /* apis_persons.id */
	int pidx;    /* before the write (apis_prescreen_parsed): the
			person's place in its message, for pid */
	const char *severity;
	int rank;
	int score;
	char category[SCREEN_FIELD_MAX + 16];
	char ref[SCREEN_FIELD_MAX];
	char *expl; /* JSON text, owned */
	bool kept;  /* found again by a re-screen */
};

struct mscreen {
	int64_t mid;
	const char *actor, *remote;
	struct mhit *h;
	int n, cap, persons;
	int by_rank[5];
	char now[40];
};

static const char *const SEVERITY[] = {"", "low", "medium", "high", "critical"};

static void mscreen_free(struct mscreen *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->h[i].expl);
	free(m->h);
	m->h = NULL;
	m->n = m->cap = 0;
}

/* Takes ownership of expl (JSON, decref'd here). */
static int add_hit(struct mscreen *m, int64_t pid, int rank, int score,
		   const char *category, const char *ref, json_t *expl,
		   struct sigm_error *err)
{
	char *s = expl ? json_dumps(expl, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(expl);
	if (!s)
		goto nomem;
	if (m->n == m->cap) {
		int cap = m->cap ? m->cap * 2 : 16;
		struct mhit *h = realloc(m->h, (size_t)cap * sizeof(*h));
		if (!h) {
			free(s);
			goto nomem;
		}
		m->h = h;
		m->cap = cap;
	}
	struct mhit *h = &m->h[m->n++];
	memset(h, 0, sizeof(*h));
	h->pid = pid;
	h->rank = rank;
	h->severity = SEVERITY[rank];
	h->score = score;
	snprintf(h->category, sizeof(h->category), "%s", category);
	snprintf(h->ref, sizeof(h->ref), "%s", ref);
	h->expl = s;
	m->by_rank[rank]++;
	return 0;
nomem:
	return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
}

/* An alert that means arrest (warrant, Interpol notice) is critical; other
 * alerts high; court measures (mostly exit bans) medium. */
static int index_rank(const char *category)
{
	if (!strncmp(category, "alert/", 6))
		return strstr(category, "arrest") || strstr(category, "interpol") ? 4 : 3;
	if (!strncmp(category, "restriction", 11))
		return 2;
	return 2;
}

static const char *nz(const char *s) { return s && *s ? s : NULL; }

static struct screen_person person_row(struct store_rows *r, int i)
{
	return (struct screen_person){
		.surnames = nz(store_rows_text(r, i, 1)),
		.given_names = nz(store_rows_text(r, i, 2)),
		.birth_date = nz(store_rows_text(r, i, 3)),
		.sex = nz(store_rows_text(r, i, 4)),
		.nationality = nz(store_rows_text(r, i, 5)),
		.document_number = nz(store_rows_text(r, i, 6)),
	};
}

/* The index queries of a whole manifest, run before its hits are added:
 * on a large watch list they are most of the screening's time (0.1-1 ms a
 * person on 1,000,000 entries, a manifest holds hundreds), and independent,
 * so SCREEN_THREADS threads take the persons in turn (each with its memo
 * of the names expanded: api_screen_query). */
struct prescreen {
	struct api_ctx *ctx;
	struct screen_person *p;
	struct screen_result *res;
	struct sigm_error *err;
	int *rc;
	int n;
	atomic_int next;
};

static void *prescreen_run(void *arg)
{
	struct prescreen *ps = arg;
	for (;;) {
		int i = atomic_fetch_add(&ps->next, 1);
		if (i >= ps->n)
			break;
		ps->rc[i] = api_screen_query(ps->ctx, &ps->p[i],
					     SCREEN_DEFAULT_THRESHOLD, HITS_TOP,
					     &ps->res[i], &ps->err[i]);
	}
	return NULL;
}

static void prescreen_release(struct prescreen *ps)
{
	for (int i = 0; ps->res && i < ps->n; i++)
		if (!ps->rc[i])
			screen_result_release(&ps->res[i]);
	free(ps->p);
	free(ps->res);
	free(ps->err);
	free(ps->rc);
	memset(ps, 0, sizeof(*ps));
}

/* Makes room for n persons (ps->p to be filled by the caller, borrowed
 * strings).  Returns 0 or SIGM_ENOMEM (ps released). */
static int prescreen_alloc(struct api_ctx *ctx, int n, struct prescreen *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->ctx = ctx;
	ps->p = calloc((size_t)n + 1, sizeof(*ps->p));
	ps->res = calloc((size_t)n + 1, sizeof(*ps->res));
	ps->err = calloc((size_t)n + 1, sizeof(*ps->err));
	ps->rc = calloc((size_t)n + 1, sizeof(*ps->rc));
	if (!ps->p || !ps->res || !ps->err || !ps->rc) {
		prescreen_release(ps);
		return SIGM_ENOMEM;
	}
	for (int i = 0; i < n; i++)
		ps->rc[i] = SIGM_EINVAL; /* not run: nothing to release */
	ps->n = n;
	return 0;
}

/* Screens the ps->n persons of ps->p against the index; each person's
 * outcome is in rc/res/err. */
static void prescreen_run_all(struct prescreen *ps)
{
	pthread_t th[SCREEN_THREADS - 1];
	int nth = 0;

	atomic_init(&ps->next, 0);
	/* a thread that cannot start only leaves more to this one */
	while (ps->n >= SCREEN_PARALLEL_FROM && nth < SCREEN_THREADS - 1 &&
	       pthread_create(&th[nth], NULL, prescreen_run, ps) == 0)
		nth++;
	prescreen_run(ps);
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
}

/* Screens the n persons of r against the index.  Returns 0 or SIGM_ENOMEM
 * (then nothing was screened); each person's outcome is in rc/res/err. */
static int prescreen(struct api_ctx *ctx, struct store_rows *r, int n,
		     struct prescreen *ps)
{
	if (prescreen_alloc(ctx, n, ps))
		return SIGM_ENOMEM;
	for (int i = 0; i < n; i++)
		ps->p[i] = person_row(r, i);
	prescreen_run_all(ps);
	return 0;
}

/* Adds the hits of one person (apis_persons.id pid; issuer: of its
 * document): its index hits, already queried (ps->res[i]), and the
 * nationality rules. */
static int screen_person(struct api_ctx *ctx, struct mscreen *m, int64_t pid,
			 const struct screen_person *pp, const char *issuer,
			 int32_t today, const struct prescreen *ps, int i,
			 struct sigm_error *err)
{
	struct screen_person p = *pp;
	int rc;

	if (ctx->screen && ps->res) {
		const struct screen_result *res = &ps->res[i];
		rc = ps->rc[i];
		if (rc && ps->err[i].rc != SIGM_EINVAL) { /* EINVAL: no usable name */
			*err = ps->err[i];
			return rc;
		}
		for (int k = 0; rc == 0 && k < res->n; k++) {
			const struct screen_hit *sh = &res->hits[k];
			/* lost/stolen documents: the exact check below */
			if (!strncmp(sh->id, "lost_stolen:", 12))
				continue;
			int x = add_hit(m, pid, index_rank(sh->category), sh->score,
					sh->category, sh->id,
					api_screen_hit_json(sh), err);
			if (x)
				return x;
		}
	}

	/* Nationality rules: who needs a visa is a note for the desk (the
	 * booth checks the visa itself). */
	const char *nat = p.nationality ? p.nationality : issuer;
	if (nat && !rules_is_ca4(ctx->rules, nat)) {
		enum rules_visa_cat c = rules_category(ctx->rules, nat, today);
		if (c != RULES_CAT_A) {
			const char *cat = c == RULES_CAT_C   ? "visa/consultada"
					  : c == RULES_CAT_B ? "visa/required"
							     : "visa/unknown";
			char ref[24];
			snprintf(ref, sizeof(ref), "nationality:%s", nat);
			json_t *ex = json_pack(
				"{s:s, s:s, s:s}", "nationality", nat,
				"visa_category", rules_category_name(c), "note",
				c == RULES_CAT_C   ? "visa consultada: requiere autorización previa de la DGME"
				: c == RULES_CAT_B ? "requiere visa consular"
						   : "nacionalidad sin categoría de visa establecida");
			rc = add_hit(m, pid, c == RULES_CAT_C ? 2 : 1, 0, cat,
				     ref, ex, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int64_t find_existing(struct store_rows *old, int64_t pid,
			     const char *ref, bool *used)
{
	for (int i = 0; i < store_rows_count(old); i++)
		if (!used[i] && store_rows_int(old, i, 1) == pid &&
		    !strcmp(store_rows_text(old, i, 2), ref)) {
			used[i] = true;
			return store_rows_int(old, i, 0);
		}
	return 0;
}

static int store_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct mscreen *m = arg;
	struct store_rows *old = NULL;
	bool *used = NULL;
	int rc;

	store_now_iso(m->now, sizeof(m->now));
	struct store_val k[] = {sv_int(m->mid)};
	rc = store_tx_query(tx,
			    "SELECT id, apis_person_id, record_ref FROM apis_hits"
			    " WHERE manifest_id = $1 AND superseded_at IS NULL",
			    k, 1, &old, err);
	if (rc)
		return rc;
	used = calloc((size_t)store_rows_count(old) + 1, sizeof(*used));
	if (!used) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	for (int i = 0; i < m->n; i++) {
		struct mhit *h = &m->h[i];
		int64_t id = find_existing(old, h->pid, h->ref, used);
		struct store_val v[] = {
			sv_int(id ? id : m->mid), sv_int(h->pid),
			sv_text(h->severity), sv_int(h->rank),
			sv_text(h->category), sv_int(h->score), sv_text(h->ref),
			sv_text(h->expl), sv_text(m->now)};
		if (id)
			rc = store_tx_exec(
				tx,
				"UPDATE apis_hits SET severity = $3, severity_rank = $4, category = $5,"
				" score = $6, explanation = $8, screened_at = $9"
				" WHERE id = $1 AND apis_person_id = $2 AND record_ref = $7",
				v, SV_N(v), NULL, err);
		else
			rc = store_tx_exec(
				tx,
				"INSERT INTO apis_hits (manifest_id, apis_person_id, severity, severity_rank,"
				" category, score, record_ref, explanation, screened_at)"
				" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
				v, SV_N(v), NULL, err);
		if (rc)
			goto out;
	}
	for (int i = 0; i < store_rows_count(old); i++) {
		if (used[i])
			continue;
		struct store_val v[] = {sv_int(store_rows_int(old, i, 0)),
					sv_text(m->now)};
		rc = store_tx_exec(tx, "UPDATE apis_hits SET superseded_at = $2 WHERE id = $1",
				   v, 2, NULL, err);
		if (rc)
			goto out;
	}
	struct store_val u[] = {sv_int(m->mid), sv_text(m->now), sv_int(m->n)};
	rc = store_tx_exec(tx, "UPDATE apis_manifests SET screened_at = $2, screen_hits = $3 WHERE id = $1",
			   u, 3, NULL, err);
	if (rc)
		goto out;
	char rid[24], d[160];
	snprintf(rid, sizeof(rid), "%lld", (long long)m->mid);
	snprintf(d, sizeof(d),
		 "{\"persons\":%d,\"hits\":%d,\"critical\":%d,\"high\":%d,\"medium\":%d,\"low\":%d}",
		 m->persons, m->n, m->by_rank[4], m->by_rank[3], m->by_rank[2],
		 m->by_rank[1]);
	struct audit_entry e = {m->actor, "apis.screen", "apis_manifest", rid,
				m->remote, d};
	rc = audit_append(tx, &e, err);
out:
	free(used);
	store_rows_free(&old);
	return rc;
}

/* The lost/stolen registry, exactly: the whole manifest ($1) in one
 * query, every document of each traveler (the travel document on
 * apis_persons, the others in apis_person_documents: a stolen passport
 * sent after the visa is found too); lost_stolen_hits() adds its rows,
 * naming the document (column 6: 0 the travel document, else its DOC's
 * place among the traveler's; column 7: its type as listed). */
#define LOST_STOLEN_SQL                                                                      \
	"SELECT p.id, l.id, l.document_number, l.issuing_state, l.reason, l.document_type," \
	" 0, p.doc_type"                                                                     \
	" FROM apis_persons p JOIN lost_stolen l"                                            \
	" ON l.document_number = p.doc_number AND l.issuing_state = p.doc_issuing_state"    \
	" WHERE p.manifest_id = $1 AND l.status = 'active'"                                  \
	" UNION ALL"                                                                         \
	" SELECT o.apis_person_id, l.id, l.document_number, l.issuing_state, l.reason,"     \
	" l.document_type, o.seq, o.doc_type"                                                \
	" FROM apis_person_documents o JOIN lost_stolen l"                                   \
	" ON l.document_number = o.doc_number AND l.issuing_state = o.doc_issuing_state"    \
	" WHERE o.manifest_id = $1 AND l.status = 'active'"                                  \
	" ORDER BY 1, 7"

static int lost_stolen_hits(struct mscreen *m, struct store_rows *ls,
			    struct sigm_error *err)
{
	for (int i = 0; i < store_rows_count(ls); i++) {
		char ref[40], cat[80];
		snprintf(ref, sizeof(ref), "lost_stolen:%lld",
			 (long long)store_rows_int(ls, i, 1));
		snprintf(cat, sizeof(cat), "lost_stolen/%s", store_rows_text(ls, i, 4));
		/* which of the traveler's documents: the travel document, or
		 * another (its DOC's place as sent and its type) */
		int64_t seq = store_rows_int(ls, i, 6);
		json_t *doc = seq ? json_pack("{s:s, s:I, s:s?}", "listed_as", "other_document",
					      "doc_seq", (json_int_t)seq, "doc_type",
					      store_rows_isnull(ls, i, 7) ? NULL : store_rows_text(ls, i, 7))
				  : json_pack("{s:s, s:s?}", "listed_as", "travel_document", "doc_type",
					      store_rows_isnull(ls, i, 7) ? NULL : store_rows_text(ls, i, 7));
		json_t *ex = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "document_number",
				       store_rows_text(ls, i, 2), "issuing_state",
				       store_rows_text(ls, i, 3), "document_type",
				       store_rows_text(ls, i, 5), "reason",
				       store_rows_text(ls, i, 4), "match", "exact",
				       "document", doc);
		int rc = add_hit(m, store_rows_int(ls, i, 0), 4, 100, cat, ref, ex, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* The "screening" of an answer: hits by severity.  NULL: out of memory
 * (err filled). */
static json_t *summary_of(const struct mscreen *m, bool index,
			  struct sigm_error *err)
{
	json_t *o = json_pack("{s:s, s:b, s:i, s:i, s:{s:i, s:i, s:i, s:i}}",
			      "screened_at", m->now, "index", index,
			      "persons", m->persons, "hits", m->n, "by_severity",
			      "critical", m->by_rank[4], "high", m->by_rank[3],
			      "medium", m->by_rank[2], "low", m->by_rank[1]);
	if (!o)
		sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	return o;
}

int apis_screen_manifest(struct api_ctx *ctx, int64_t mid, const char *actor,
			 const char *remote, json_t **summary,
			 struct sigm_error *err)
{
	struct mscreen m = {.mid = mid, .actor = actor, .remote = remote};
	struct prescreen ps = {0};
	struct store_rows *r = NULL, *ls = NULL;
	char today_s[11];
	int32_t today;
	int rc;

	*summary = NULL;
	api_today(today_s);
	if (cal_parse_day(today_s, &today, "today", err))
		return SIGM_EIO;
	struct store_val k[] = {sv_int(mid)};
	char status[16] = "";
	rc = store_query(ctx->store, "SELECT status FROM apis_manifests WHERE id = $1",
			 k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) > 0)
		snprintf(status, sizeof(status), "%s", store_rows_text(r, 0, 0));
	store_rows_free(&r);
	if (!status[0])
		return sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id",
				      "no existe el manifiesto");
	if (strcmp(status, "current"))
		return sigm_error_set(err, SIGM_ECONFLICT, "manifest_not_current",
				      "id", "el manifiesto está %s: solo se coteja el vigente",
				      status);

	rc = store_query(ctx->store,
			 "SELECT id, surnames, given_names, birth_date, sex, nationality,"
			 " doc_number, doc_issuing_state FROM apis_persons"
			 " WHERE manifest_id = $1 ORDER BY seq",
			 k, 1, &r, err);
	if (rc)
		goto out;
	m.persons = store_rows_count(r);
	if (ctx->screen && m.persons &&
	    prescreen(ctx, r, m.persons, &ps)) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	for (int i = 0; i < m.persons; i++) {
		struct screen_person p = person_row(r, i);
		rc = screen_person(ctx, &m, store_rows_int(r, i, 0), &p,
				   nz(store_rows_text(r, i, 7)), today, &ps, i,
				   err);
		if (rc)
			goto out;
	}
	/* lost/stolen: exact, the whole manifest in one query */
	rc = store_query(ctx->store, LOST_STOLEN_SQL, k, 1, &ls, err);
	if (rc)
		goto out;
	rc = lost_stolen_hits(&m, ls, err);
	if (rc)
		goto out;
	rc = store_write(ctx->store, store_fn, &m, err);
	if (rc)
		goto out;
	*summary = summary_of(&m, ctx->screen != NULL, err);
	if (!*summary)
		rc = SIGM_ENOMEM;
out:
	prescreen_release(&ps);
	store_rows_free(&r);
	store_rows_free(&ls);
	mscreen_free(&m);
	return rc;
}

/* ---- screening inside the ingest's write ---------------------------- */

struct apis_prescreen {
	struct api_ctx *ctx;
	const struct paxlst_interchange *ix;
	struct prescreen ps; /* every person of every message, in order */
	int *first;          /* per message: its first person in ps */
	char (*birth)[11];   /* per person: the birth date as stored */
	const char **issuer; /* per person: of its travel document */
	/* per message: its index and rules hits, built before the write
	 * (pid still unknown: pidx), or why they could not be */
	struct mscreen *ms;
	int *brc;
	struct sigm_error *berr;
};

void apis_prescreen_free(struct apis_prescreen **pa)
{
	struct apis_prescreen *a = *pa;
	if (!a)
		return;
	prescreen_release(&a->ps);
	for (unsigned k = 0; a->ms && k < a->ix->n_messages; k++)
		mscreen_free(&a->ms[k]);
	free(a->ms);
	free(a->brc);
	free(a->berr);
	free(a->first);
	free(a->birth);
	free(a->issuer);
	free(a);
	*pa = NULL;
}

int apis_prescreen_parsed(struct api_ctx *ctx,
			  const struct paxlst_interchange *ix,
			  struct apis_prescreen **pa, struct sigm_error *err)
{
	struct apis_prescreen *a = calloc(1, sizeof(*a));
	int n = 0;

	*pa = NULL;
	if (!a)
		goto nomem;
	a->ctx = ctx;
	a->ix = ix;
	a->first = calloc((size_t)ix->n_messages + 1, sizeof(*a->first));
	a->ms = calloc((size_t)ix->n_messages + 1, sizeof(*a->ms));
	a->brc = calloc((size_t)ix->n_messages + 1, sizeof(*a->brc));
	a->berr = calloc((size_t)ix->n_messages + 1, sizeof(*a->berr));
	if (!a->first || !a->ms || !a->brc || !a->berr)
		goto nomem;
	for (unsigned k = 0; k < ix->n_messages; k++) {
		a->first[k] = n;
		n += (int)ix->messages[k].n_persons;
	}
	a->birth = calloc((size_t)n + 1, sizeof(*a->birth));
	a->issuer = calloc((size_t)n + 1, sizeof(*a->issuer));
	if (!a->birth || !a->issuer || prescreen_alloc(ctx, n, &a->ps))
		goto nomem;
	/* the values insert_persons() stores, as apis_screen_manifest()
	 * reads them back */
	for (unsigned k = 0; k < ix->n_messages; k++) {
		const struct paxlst_message *m = &ix->messages[k];
		for (unsigned i = 0; i < m->n_persons; i++) {
			const struct paxlst_person *p = &m->persons[i];
			int t = apis_travel_doc(p);
			const struct paxlst_document *d = t >= 0 ? &p->docs[t] : NULL;
			int j = a->first[k] + (int)i;
			cal_format(p->birth_date, a->birth[j]);
			a->ps.p[j] = (struct screen_person){
				.surnames = nz(p->surnames),
				.given_names = nz(p->given_names),
				.birth_date = nz(a->birth[j]),
				.sex = nz(p->sex),
				/* "D" is Germany, as stored (apis_api.c) */
				.nationality = nz(mrz_iso_state(p->nationality)),
				.document_number = d ? nz(d->number) : NULL,
			};
			a->issuer[j] = d ? nz(mrz_iso_state(d->issuing_state)) : NULL;
		}
	}
	if (ctx->screen && n)
		prescreen_run_all(&a->ps);
	/* the hits and their JSON here, not in the write: the writer thread
	 * is shared by every request */
	char today_s[11];
	int32_t today;
	api_today(today_s);
	int trc = cal_parse_day(today_s, &today, "today", &a->berr[0]) ? SIGM_EIO : 0;
	for (unsigned k = 0; k < ix->n_messages; k++) {
		struct mscreen *m = &a->ms[k];
		if (trc) {
			a->brc[k] = trc;
			a->berr[k] = a->berr[0];
			continue;
		}
		for (unsigned i = 0; i < ix->messages[k].n_persons && !a->brc[k]; i++) {
			int j = a->first[k] + (int)i, h0 = m->n;
			a->brc[k] = screen_person(ctx, m, 0, &a->ps.p[j], a->issuer[j],
						  today, &a->ps, j, &a->berr[k]);
			for (int h = h0; h < m->n; h++)
				m->h[h].pidx = (int)i;
		}
	}
	*pa = a;
	return 0;
nomem:
	apis_prescreen_free(&a);
	return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
}

/* The hits of message msg, stored as manifest mid in this transaction:
 * those built before the write, with their persons' ids, and the exact
 * lost/stolen check (a query).  a->ms[msg] is as it was afterwards (the
 * writer may run the write again). */
static int screen_tx(struct store_tx *tx, struct apis_prescreen *a,
		     unsigned msg, int64_t mid, const char *actor,
		     const char *remote, json_t **summary,
		     struct sigm_error *err)
{
	struct mscreen *m = &a->ms[msg];
	const struct paxlst_message *pm = &a->ix->messages[msg];
	struct store_rows *r = NULL, *ls = NULL;
	int n0 = m->n, rank0[5], rc;

	if (a->brc[msg]) {
		*err = a->berr[msg];
		return a->brc[msg];
	}
	memcpy(rank0, m->by_rank, sizeof(rank0));
	m->mid = mid;
	m->actor = actor;
	m->remote = remote;
	struct store_val k[] = {sv_int(mid)};
	rc = store_tx_query(tx, "SELECT id FROM apis_persons WHERE manifest_id = $1 ORDER BY seq",
			    k, 1, &r, err);
	if (rc)
		goto out;
	m->persons = store_rows_count(r);
	if (m->persons != (int)pm->n_persons) {
		rc = sigm_error_set(err, SIGM_EIO, "persons_mismatch", NULL,
				    "el manifiesto %lld tiene %d personas guardadas y %u en el mensaje",
				    (long long)mid, m->persons, pm->n_persons);
		goto out;
	}
	for (int i = 0; i < n0; i++)
		m->h[i].pid = store_rows_int(r, m->h[i].pidx, 0);
	rc = store_tx_query(tx, LOST_STOLEN_SQL, k, 1, &ls, err);
	if (rc)
		goto out;
	rc = lost_stolen_hits(m, ls, err);
	if (rc)
		goto out;
	rc = store_fn(tx, m, err);
	if (rc)
		goto out;
	*summary = summary_of(m, a->ctx->screen != NULL, err);
	if (!*summary)
		rc = SIGM_ENOMEM;
out:
	for (int i = n0; i < m->n; i++)
		free(m->h[i].expl);
	m->n = n0;
	memcpy(m->by_rank, rank0, sizeof(rank0));
	store_rows_free(&r);
	store_rows_free(&ls);
	return rc;
}

/* What a failed screening says in the answer, and in the log. */
static json_t *screening_failed(int64_t mid, const struct sigm_error *e)
{
	json_t *x = json_pack("{s:I, s:s}", "manifest", (json_int_t)mid,
			      "reason", e->message);
	api_log("error", "apis_screen_failed", x);
	json_decref(x);
	return json_pack("{s:s, s:s}", "error", e->code, "message", e->message);
}

int apis_screen_tx(struct store_tx *tx, struct apis_prescreen *a,
		   unsigned msg, int64_t mid, const char *actor,
		   const char *remote, json_t **summary,
		   struct sigm_error *err)
{
	struct sigm_error serr;
	int rc;

	*summary = NULL;
	rc = store_tx_exec(tx, "SAVEPOINT apis_screen", NULL, 0, NULL, err);
	if (rc)
		return rc;
	rc = screen_tx(tx, a, msg, mid, actor, remote, summary, &serr);
	if (rc == 0)
		return store_tx_exec(tx, "RELEASE SAVEPOINT apis_screen", NULL,
				     0, NULL, err);
	/* the manifest stays; its screening is undone and reported */
	json_decref(*summary);
	*summary = screening_failed(mid, &serr);
	rc = store_tx_exec(tx, "ROLLBACK TO SAVEPOINT apis_screen", NULL, 0,
			   NULL, err);
	if (rc == 0)
		rc = store_tx_exec(tx, "RELEASE SAVEPOINT apis_screen", NULL,
				   0, NULL, err);
	if (rc) {
		json_decref(*summary);
		*summary = NULL;
	}
	return rc;
}

void apis_screen_ingested(struct api_ctx *ctx, json_t *manifests,
			  const char *actor, const char *remote)
{
	size_t i, j;
	json_t *o, *p;
	json_array_foreach(manifests, i, o) {
		const char *action = json_string_value(json_object_get(o, "action"));
		if (!action || (strcmp(action, "created") && strcmp(action, "replaced") &&
				strcmp(action, "joined")))
			continue;
		if (json_object_get(o, "screening"))
			continue; /* screened in the ingest's own write */
		struct sigm_error err;
		json_t *sum = NULL;
		int64_t mid = json_integer_value(json_object_get(o, "id"));
		/* the parts of one split list in one interchange: the whole
		 * joined manifest is screened once, at its first entry (the
		 * write has committed all of them) */
		bool seen = false;
		json_array_foreach(manifests, j, p) {
			if (j >= i)
				break;
			if (json_integer_value(json_object_get(p, "id")) == mid &&
			    json_object_get(p, "screening"))
				seen = true;
		}
		if (seen)
			continue;
		if (apis_screen_manifest(ctx, mid, actor, remote, &sum, &err)) {
			/* the manifest is stored; the desk re-screens it */
			json_object_set_new(o, "screening", screening_failed(mid, &err));
			continue;
		}
		json_object_set_new(o, "screening", sum);
	}
}

/* ---- HTTP ------------------------------------------------------------ */

/* POST /api/v1/apis/manifests/{id}/screen */
void api_apis_screen(struct api_req *req, struct api_resp *resp);
void api_apis_screen(struct api_req *req, struct api_resp *resp)
{
	struct sigm_error err;
	json_t *sum = NULL;
	int64_t id;
	if (api_path_id(req, resp, "not_found", "manifiesto", &id))
		return;
	if (apis_screen_manifest(req->ctx, id, req->actor, req->remote, &sum, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_object_set_new(sum, "manifest_id", json_integer(id));
	api_json(resp, 200, sum);
}

static const char *const HIT_INTS[] = {"id", "apis_person_id", "seq", "score", NULL};

#define HIT_COLS \
	"h.id, h.apis_person_id, p.seq, p.role, p.surnames, p.given_names, p.birth_date," \
	" p.sex, p.nationality, p.doc_number, p.doc_issuing_state, h.severity, h.category," \
	" h.score, h.record_ref, h.explanation, h.screened_at, h.review, h.review_note," \
	" h.reviewed_by, h.reviewed_at"

static json_t *hit_object(struct store_rows *r, int i)
{
	json_error_t jerr;
	json_t *o = api_row_object(r, i, HIT_INTS);
	if (!o)
		return NULL;
	json_t *ex = json_loads(json_string_value(json_object_get(o, "explanation")), 0, &jerr);
	json_object_set_new(o, "explanation", ex ? ex : json_null());
	return o;
}

/* GET /api/v1/apis/manifests/{id}/hits: the current hits, most severe
 * first. */
void api_apis_hits(struct api_req *req, struct api_resp *resp);
void api_apis_hits(struct api_req *req, struct api_resp *resp)
{
	struct store_rows *r = NULL;
	struct sigm_error err;
	int64_t id;
	if (api_path_id(req, resp, "not_found", "manifiesto", &id))
		return;
	struct store_val v[] = {sv_int(id)};
	if (store_query(req->ctx->store,
			"SELECT id, carrier, flight, flight_date, status, screened_at, screen_hits"
			" FROM apis_manifests WHERE id = $1",
			v, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		api_error(resp, 404, "not_found", "id", "no existe el manifiesto");
		return;
	}
	static const char *const mints[] = {"id", "screen_hits", NULL};
	json_t *m = api_row_object(r, 0, mints);
	store_rows_free(&r);
	if (store_query(req->ctx->store,
			"SELECT " HIT_COLS " FROM apis_hits h JOIN apis_persons p ON p.id = h.apis_person_id"
			" WHERE h.manifest_id = $1 AND h.superseded_at IS NULL"
			" ORDER BY h.severity_rank DESC, h.score DESC, p.seq, h.id",
			v, 1, &r, &err)) {
		json_decref(m);
		api_error_from(resp, &err);
		return;
	}
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++)
		json_array_append_new(a, hit_object(r, i));
	store_rows_free(&r);
	json_t *d = json_pack("{s:i}", "hits", (int)json_array_size(a));
	api_audit(req, "apis.hits.read", "apis_manifest", req->params[0], d);
	json_decref(d);
	json_object_set_new(m, "hits", a);
	api_json(resp, 200, m);
}

struct review {
	struct api_req *req;
	int64_t id;
	const char *decision, *note;
	json_t *out;
};

static int review_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct review *w = arg;
	struct store_rows *r = NULL;
	char now[40];
	int rc;

	store_now_iso(now, sizeof(now));
	struct store_val k[] = {sv_int(w->id)};
	rc = store_tx_query(tx, "SELECT manifest_id, superseded_at, severity_rank FROM apis_hits WHERE id = $1",
			    k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		return sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id",
				      "no existe la coincidencia");
	}
	bool superseded = !store_rows_isnull(r, 0, 1);
	int64_t mid = store_rows_int(r, 0, 0);
	/* an arrest warrant or an INTERPOL notice (critical, index_rank) is
	 * set aside by a supervisor, who answers for it; an officer sends it
	 * to secondary */
	bool critical = store_rows_int(r, 0, 2) >= 4;
	store_rows_free(&r);
	if (superseded)
		return sigm_error_set(err, SIGM_ECONFLICT, "hit_superseded", "id",
				      "la coincidencia ya no está vigente (manifiesto cotejado de nuevo)");
	if (critical && !strcmp(w->decision, "cleared") &&
	    !(w->req->who->perms & (UINT64_C(1) << PERM_SECONDARY_RESOLVE)))
		return sigm_error_set(err, SIGM_EPERM, "supervisor_required", "decision",
				      "una coincidencia con orden de captura o notificación de INTERPOL solo la descarta un supervisor; "
				      "envíela a segunda revisión");
	struct store_val v[] = {sv_int(w->id), sv_text(w->decision),
				sv_opt(w->note), sv_text(w->req->actor),
				sv_text(now)};
	rc = store_tx_exec(tx,
			   "UPDATE apis_hits SET review = $2, review_note = $3, reviewed_by = $4,"
			   " reviewed_at = $5 WHERE id = $1",
			   v, SV_N(v), NULL, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)w->id);
	json_t *d = json_pack("{s:I, s:s, s:s?}", "manifest_id", (json_int_t)mid,
			      "decision", w->decision, "note", w->note);
	rc = api_audit_tx(tx, w->req, "apis.review", "apis_hit", rid, d, err);
	if (rc)
		return rc;
	json_decref(w->out);
	w->out = json_pack("{s:I, s:I, s:s, s:s?, s:s, s:s}", "id",
			   (json_int_t)w->id, "manifest_id", (json_int_t)mid,
			   "review", w->decision, "review_note", w->note,
			   "reviewed_by", w->req->actor, "reviewed_at", now);
	return 0;
}

/* POST /api/v1/apis/hits/{id}/review {"decision": "cleared"|"secondary",
 * "note"} */
void api_apis_review(struct api_req *req, struct api_resp *resp);
void api_apis_review(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"decision", "note", NULL};
	struct review w = {.req = req};
	struct sigm_error err;
	if (api_path_id(req, resp, "not_found", "coincidencia", &w.id))
		return;
	json_t *b = api_body_object(req, resp, f);
	if (!b)
		return;
	if (api_get_str(resp, b, "decision", true, 16, &w.decision) ||
	    api_get_str(resp, b, "note", false, 1000, &w.note))
		goto out;
	if (strcmp(w.decision, "cleared") && strcmp(w.decision, "secondary")) {
		api_error(resp, 422, "invalid_value", "decision",
			  "«decision»: cleared o secondary");
		goto out;
	}
	if (store_write(req->ctx->store, review_fn, &w, &err)) {
		api_error_from(resp, &err);
		goto out;
	}
	api_json(resp, 200, w.out);
	w.out = NULL;
out:
	json_decref(w.out); /* b is the request's (api_body_object) */
}

/* The travelers inspected for a flight without being on its manifest,
 * each once (rows: the arrivals without a manifest entry, by inspection,
 * C_WHO the traveler, API_TRAVELER): a traveler inspected twice (sent to
 * secondary, then admitted on the visa shown), or on two records a
 * supervisor linked as one person, is one traveler not on the list, not
 * two.  Said with the latest inspection's fields (its decision is the one
 * that stands), kept where the first put them, and with how many
 * inspections and which, and the records read (person_ids). */
static int not_listed_once(struct store_rows *r, const char *const *ints,
			   json_t *out, struct sigm_error *err)
{
	enum { C_INSP, C_PERSON, C_WHO = 10 };
	int n = store_rows_count(r);
	int64_t *who = calloc((size_t)n + 1, sizeof(*who));
	size_t k = 0;
	if (!out || !who) {
		free(who);
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	}
	for (int i = 0; i < n; i++) {
		int64_t person = store_rows_isnull(r, i, C_WHO) ? 0 : store_rows_int(r, i, C_WHO);
		json_t *o = api_row_object(r, i, ints);
		json_object_del(o, "traveler"); /* the grouping's */
		size_t at = k;
		for (size_t j = 0; person && j < k; j++)
			if (who[j] == person)
				at = j;
		json_t *was = at < k ? json_array_get(out, at) : NULL;
		json_t *ids = was ? json_incref(json_object_get(was, "inspection_ids")) : json_array();
		json_t *pids = was ? json_incref(json_object_get(was, "person_ids")) : json_array();
		json_array_append_new(ids, json_integer(store_rows_int(r, i, C_INSP)));
		bool seen = store_rows_isnull(r, i, C_PERSON);
		for (size_t x = 0; x < json_array_size(pids) && !seen; x++)
			seen = json_integer_value(json_array_get(pids, x)) == store_rows_int(r, i, C_PERSON);
		if (!seen)
			json_array_append_new(pids, json_integer(store_rows_int(r, i, C_PERSON)));
		json_object_set_new(o, "inspections", json_integer((json_int_t)json_array_size(ids)));
		json_object_set_new(o, "inspection_ids", ids);
		json_object_set_new(o, "person_ids", pids);
		if (at < k)
			json_array_set_new(out, at, o);
		else
			json_array_append_new(out, o);
		if (at == k)
			who[k++] = person;
	}
	free(who);
	return 0;
}

/* GET /api/v1/apis/manifests/{id}/reconciliation: after the flight, who was
 * on the manifest and never presented at the booth (no-shows), and who was
 * inspected for the flight without being on it.  A crew member never
 * inspected stayed aboard (a cruise ship's hundreds of crew at Acajutla, a
 * bus's driver): said apart in crew_aboard, so the passengers who did not
 * present themselves (passenger_no_shows) are not buried under them.
 * no_shows keeps every entry never inspected, crew included, as documented
 * before (docs/paxlst.md): other readers go by it.  arrived likewise keeps
 * counting crew ashore with passengers; passengers_arrived and crew_ashore
 * say them apart.  All count travelers, each once, however many times
 * the booth inspected them for the flight and on whichever of the records
 * a supervisor linked as one person (APIS_ARRIVED, APIS_UNLISTED_ARRIVAL). */
void api_apis_reconciliation(struct api_req *req, struct api_resp *resp);
void api_apis_reconciliation(struct api_req *req, struct api_resp *resp)
{
	static const char *const pints[] = {"apis_person_id", "seq", NULL};
	static const char *const iints[] = {"inspection_id", "person_id", NULL};
	struct store_rows *r = NULL;
	struct sigm_error err;
	json_t *noshow = NULL, *extra = NULL, *pax = NULL, *aboard = NULL;
	int64_t id;
	if (api_path_id(req, resp, "not_found", "manifiesto", &id))
		return;
	struct store_val v[] = {sv_int(id)};
	int64_t n = 0;
	if (store_query_int(req->ctx->store, "SELECT COUNT(*) FROM apis_manifests WHERE id = $1",
			    v, 1, &n, &err))
		goto fail;
	if (!n) {
		api_error(resp, 404, "not_found", "id", "no existe el manifiesto");
		return;
	}
	if (store_query(req->ctx->store,
			"SELECT p.id AS apis_person_id, p.seq, p.role, p.surnames, p.given_names,"
			" p.birth_date, p.nationality, p.doc_number FROM apis_persons p"
			" WHERE p.manifest_id = $1 AND NOT EXISTS"
			" (SELECT 1 FROM apis_arrivals a WHERE a.apis_person_id = p.id)"
			" ORDER BY p.seq",
			v, 1, &r, &err))
		goto fail;
	noshow = json_array();
	pax = json_array();
	aboard = json_array();
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *o = api_row_object(r, i, pints);
		const char *role = store_rows_text(r, i, 2); /* p.role */
		json_array_append(role && !strcmp(role, "crew") ? aboard : pax, o);
		json_array_append_new(noshow, o);
	}
	store_rows_free(&r);
	if (store_query(req->ctx->store,
			"SELECT a.inspection_id, i.person_id, pe.surnames, pe.given_names, pe.birth_date,"
			" pe.nationality, d.number AS doc_number, d.issuing_state, i.decision, i.at,"
			" " API_TRAVELER("i.person_id") " AS traveler"
			" FROM apis_arrivals a JOIN inspections i ON i.id = a.inspection_id"
			" LEFT JOIN persons pe ON pe.id = i.person_id"
			" LEFT JOIN documents d ON d.id = i.document_id"
			" WHERE a.manifest_id = $1 AND " APIS_UNLISTED_ARRIVAL " ORDER BY a.inspection_id",
			v, 1, &r, &err))
		goto fail;
	extra = json_array();
	if (not_listed_once(r, iints, extra, &err))
		goto fail;
	store_rows_free(&r);
	/* travelers of the list, not inspections: a traveler inspected
	 * twice for the flight (sent to secondary, then admitted on the visa
	 * shown; an entry voided and recorded again) is one of the list's,
	 * and a list of 2 never reads «3 inspeccionados»; nor records linked
	 * as one person read as two entries of a list that carried both */
	if (store_query(req->ctx->store,
			"SELECT " APIS_ARRIVED("$1", "1 = 1") ", " APIS_ARRIVED("$1", "p.role = 'crew'"),
			v, 1, &r, &err))
		goto fail;
	int64_t arrived = store_rows_int(r, 0, 0), ashore = store_rows_int(r, 0, 1);
	store_rows_free(&r);
	json_t *d = json_pack("{s:i, s:i, s:i}", "no_shows", (int)json_array_size(noshow),
			      "crew_aboard", (int)json_array_size(aboard),
			      "not_on_manifest", (int)json_array_size(extra));
	api_audit(req, "apis.reconciliation.read", "apis_manifest", req->params[0], d);
	json_decref(d);
	api_json(resp, 200, json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "manifest_id",
				      (json_int_t)id, "arrived", (json_int_t)arrived,
				      "passengers_arrived", (json_int_t)(arrived - ashore),
				      "crew_ashore", (json_int_t)ashore,
				      "no_shows", noshow, "passenger_no_shows", pax,
				      "crew_aboard", aboard, "not_on_manifest", extra));
	return;
fail:
	json_decref(noshow);
	json_decref(pax);
	json_decref(aboard);
	json_decref(extra);
	store_rows_free(&r);
	api_error_from(resp, &err);
}

/* ---- at the booth --------------------------------------------------- */

bool apis_transport_key(const char *transport, char *out, size_t cap)
{
	size_t k = 0;
	out[0] = '\0';
	for (const char *c = transport; *c; c++) {
		if (*c == ' ' || *c == '-' || *c == '.')
			continue;
		bool alnum = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			     (*c >= '0' && *c <= '9');
		if (!alnum || k + 1 >= cap) {
			out[0] = '\0';
			return false;
		}
		out[k++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
	}
	out[k] = '\0';
	return k > 0;
}

bool apis_booth_transport_key(const char *transport, char *out, size_t cap)
{
	/* U+00C0..U+00FF (UTF-8 C3 80..C3 BF) by their base letter; '?'
	 * where there is none (Æ, Ð, ×, Þ, ß, æ, ð, ÷, þ) */
	static const char base[] = "AAAAAA?CEEEEIIII?NOOOOO?OUUUUY??"
				   "aaaaaa?ceeeeiiii?nooooo?ouuuuy?y";
	char ascii[256];
	size_t k = 0;
	out[0] = '\0';
	for (const unsigned char *c = (const unsigned char *)transport; *c; c++) {
		char b = (char)*c;
		if (*c >= 0x80) {
			if (*c != 0xC3 || c[1] < 0x80 || c[1] > 0xBF || base[c[1] - 0x80] == '?')
				return false;
			b = base[*++c - 0x80];
		}
		if (k + 1 >= sizeof(ascii))
			return false;
		ascii[k++] = b;
	}
	ascii[k] = '\0';
	return apis_transport_key(ascii, out, cap);
}

int apis_booth_lookup(struct api_ctx *ctx, const char *transport,
		      const char *port, const char *direction,
		      const char *doc_number, const char *surnames,
		      const char *given_names, const char *birth_date,
		      struct apis_booth *b, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	char flight[APIS_VEHICLE_KEY], today[11], yday[11];
	int rc;

	memset(b, 0, sizeof(*b));
	/* "TA 101" as typed at the booth, "TA101" in the manifest; a bus
	 * "P-123 456" or a ship "MSC Seaview" as their list was stored, and
	 * "Crucero Río Lempa" as "CRUCERORIOLEMPA" (it was not looked up:
	 * the officer saw no pre-check, and the arrival was not recorded).
	 * A name with other characters is not looked up. */
	if (!transport || !apis_booth_transport_key(transport, flight, sizeof(flight)))
		return 0;
	size_t k = strlen(flight);
	api_today(today);
	int32_t d;
	if (cal_parse_day(today, &d, "today", err))
		return SIGM_EIO;
	cal_format(d - 1, yday); /* a late-night flight lands the next day */
	/* the manifest's flight is TDT 8028 as sent: "TA101" or "101" with
	 * the carrier apart; both spelled out so that the index on flight
	 * serves the lookup (a concatenation would scan every manifest) */
	char carrier[3] = "";
	const char *number = flight;
	if (k > 2) {
		memcpy(carrier, flight, 2);
		carrier[2] = '\0';
		number = flight + 2;
	}
	/* the booth's post: a flight number is only unique at one airport
	 * (TA 101 lands at SAL and another TA 101 at ILO the same day), a
	 * plate only on the list the company sent to that post.  An air
	 * manifest names the post by its LOC (IATA) code: arrival on entry,
	 * departure on exit. */
	const struct rules_port *pt = port ? rules_port_find(ctx->rules, port) : NULL;
	if (!pt)
		return 0;
	bool exit = direction && !strcmp(direction, "exit");
	struct store_val v[] = {sv_text(flight), sv_text(doc_number),
				sv_opt(surnames), sv_opt(given_names),
				sv_opt(birth_date), sv_text(today), sv_text(yday),
				sv_text(number), sv_text(carrier), sv_text(pt->code),
				sv_text(pt->iata[0] ? pt->iata : pt->code),
				sv_text(exit ? "exit" : "entry")};
	/* the traveler by the document shown: the list's travel document,
	 * or another the carrier listed (a second passport), or else by name
	 * and birth date.
	 * still one query on the flight index: the post and direction only
	 * filter the few manifests of that flight number.  The two days as a
	 * range inside each branch, so that each searches its index on
	 * (flight, day): as "flight_date IN (today, yesterday)" SQLite read
	 * every manifest of both days through the day index, and built a
	 * temporary index of the two values (a 2 MB page cache) for every
	 * inspection. */
	rc = store_query(ctx->store,
			 "SELECT m.id, p.id, m.screened_at FROM apis_manifests m LEFT JOIN apis_persons p"
			 " ON p.manifest_id = m.id AND (p.doc_number = $2 OR"
			 " (UPPER(p.surnames) = UPPER($3) AND UPPER(p.given_names) = UPPER($4)"
			 " AND p.birth_date = $5) OR EXISTS (SELECT 1 FROM apis_person_documents o"
			 "  WHERE o.apis_person_id = p.id AND o.doc_number = $2))"
			 " WHERE m.status = 'current'"
			 " AND ((m.flight = $1 AND m.flight_date BETWEEN $7 AND $6)"
			 "  OR (m.flight = $8 AND m.carrier = $9 AND m.flight_date BETWEEN $7 AND $6))"
			 " AND (CASE WHEN m.mode = 'air' AND CAST($12 AS TEXT) = 'exit' THEN m.dep_port"
			 "  ELSE m.arr_port END) IN ($10, $11)"
			 " AND (m.mode = 'air' OR m.direction = $12)"
			 " ORDER BY CASE WHEN p.id IS NULL THEN 1 ELSE 0 END, m.flight_date DESC, m.id DESC",
			 v, SV_N(v), &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		return 0;
	}
	b->manifest_id = store_rows_int(r, 0, 0);
	b->apis_person_id = store_rows_isnull(r, 0, 1) ? 0 : store_rows_int(r, 0, 1);
	bool screened = !store_rows_isnull(r, 0, 2);
	store_rows_free(&r);
	snprintf(b->record, sizeof(b->record), "apis_manifest:%lld",
		 (long long)b->manifest_id);
	if (!b->apis_person_id) {
		b->json = json_pack("{s:I, s:b, s:b}", "manifest_id",
				    (json_int_t)b->manifest_id, "on_manifest", 0,
				    "prechecked", 0);
		return 0;
	}
	/* the desk's reviews of this passenger, secondary first */
	struct store_val pv[] = {sv_int(b->apis_person_id)};
	rc = store_query(ctx->store,
			 "SELECT id, review, review_note, reviewed_by, reviewed_at, category, severity"
			 " FROM apis_hits WHERE apis_person_id = $1 AND superseded_at IS NULL"
			 " ORDER BY CASE review WHEN 'secondary' THEN 0 WHEN 'cleared' THEN 1 ELSE 2 END,"
			 " severity_rank DESC, id",
			 pv, 1, &r, err);
	if (rc)
		return rc;
	json_t *review = json_null();
	int n_open = 0;
	for (int i = 0; i < store_rows_count(r); i++) {
		const char *rv = store_rows_isnull(r, i, 1) ? NULL : store_rows_text(r, i, 1);
		if (!rv) {
			n_open++;
			continue;
		}
		if (!json_is_null(review))
			continue;
		json_decref(review);
		review = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:s}", "hit_id",
				   (json_int_t)store_rows_int(r, i, 0), "decision", rv,
				   "note", store_rows_isnull(r, i, 2) ? NULL : store_rows_text(r, i, 2),
				   "reviewed_by", store_rows_text(r, i, 3),
				   "reviewed_at", store_rows_text(r, i, 4),
				   "category", store_rows_text(r, i, 5),
				   "severity", store_rows_text(r, i, 6));
		if (!strcmp(rv, "secondary")) {
			b->secondary = true;
			snprintf(b->record, sizeof(b->record), "apis_hit:%lld",
				 (long long)store_rows_int(r, i, 0));
			if (!store_rows_isnull(r, i, 2))
				snprintf(b->note, sizeof(b->note), "%s", store_rows_text(r, i, 2));
		}
	}
	store_rows_free(&r);
	b->json = json_pack("{s:I, s:I, s:b, s:b, s:o, s:i}", "manifest_id",
			    (json_int_t)b->manifest_id, "apis_person_id",
			    (json_int_t)b->apis_person_id, "on_manifest", 1,
			    "prechecked", screened, "review", review ? review : json_null(),
			    "open_hits", n_open);
	return 0;
}

int apis_booth_record(struct store_tx *tx, const struct apis_booth *b,
		      int64_t inspection_id, const char *at,
		      struct sigm_error *err)
{
	if (!b->manifest_id)
		return 0;
	struct store_val v[] = {sv_int(inspection_id), sv_int(b->manifest_id),
				b->apis_person_id ? sv_int(b->apis_person_id) : sv_null(),
				sv_text(at)};
	return store_tx_exec(tx,
			     "INSERT INTO apis_arrivals (inspection_id, manifest_id, apis_person_id, at)"
			     " VALUES ($1, $2, $3, $4)",
			     v, SV_N(v), NULL, err);
}
