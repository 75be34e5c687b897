/*
 * screen_api.c - the process-wide screening index of `sigm serve` and
 * POST /api/v1/screen (screen_api.h).
 */
#include "api/screen_api.h"

#include "api/screen_names.h"
#include "api/subject_ix.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api_screen {
	struct names_table *names;
	struct screen_index *ix;
	struct subject_ix *exact; /* the booth's exact keys (subject_ix.h) */
	/* serializes "read the row, then put/remove" so that two changes of
	 * one record cannot reach the index in the wrong order */
	pthread_mutex_t apply;
};

static int32_t day_or(const char *s, int32_t def)
{
	int32_t d;
	if (!s || !*s || cal_parse_day(s, &d, "date", NULL))
		return def;
	return d;
}

/* Column order of every SELECT below:
 * 0 id, 1 given, 2 surnames, 3 birth, 4 sex, 5 nationality, 6 document,
 * 7 subcategory, 8 valid_from, 9 valid_until, 10 status, 11 dui */
static const char *const SQL[3][2] = {
	{"restriction",
	 "SELECT id, given_names, surnames, birth_date, sex, nationality, "
	 "document_number, measure, effective_from, effective_to, status, dui "
	 "FROM restrictions"},
	{"alert",
	 "SELECT id, given_names, surnames, birth_date, sex, nationality, "
	 "document_number, category, valid_from, valid_until, status, NULL "
	 "FROM alerts"},
	{"lost_stolen",
	 "SELECT id, holder_given_names, holder_surnames, holder_birth_date, "
	 "NULL, issuing_state, document_number, reason, NULL, NULL, status, "
	 "NULL FROM lost_stolen"},
};

static void put_row(struct api_screen *s, const char *kind,
		    const struct store_rows *r, int i)
{
	char id[SCREEN_ID_MAX], cat[SCREEN_FIELD_MAX];
	struct sigm_error err;
	const char *birth = store_rows_text(r, i, 3);

	snprintf(id, sizeof(id), "%s:%s", kind, store_rows_text(r, i, 0));
	bool active = !strcmp(store_rows_text(r, i, 10) ? store_rows_text(r, i, 10) : "",
			      "active");
	int xk = !strcmp(kind, "restriction") ? SUBJECT_RESTRICTION
		 : !strcmp(kind, "alert")     ? SUBJECT_ALERT
					       : -1;
	if (xk >= 0) {
		struct subject_rec x = {(enum subject_kind)xk, store_rows_int(r, i, 0),
					store_rows_text(r, i, 1), store_rows_text(r, i, 2),
					birth, store_rows_text(r, i, 6),
					store_rows_text(r, i, 11)};
		if (!active)
			subject_ix_remove(s->exact, x.kind, x.id);
		else if (subject_ix_put(s->exact, &x, &err))
			/* the booth's lookup would miss it: say so loudly;
			 * the caller's reload retries */
			fprintf(stderr, "sigm serve: cotejo exacto: %s omitido: %s\n",
				id, err.message);
	}
	if (!active) {
		screen_remove(s->ix, id, NULL);
		return;
	}
	snprintf(cat, sizeof(cat), "%s/%s", kind,
		 store_rows_text(r, i, 7) ? store_rows_text(r, i, 7) : "");
	struct screen_entry e = {
		.id = id,
		.person = {store_rows_text(r, i, 1), store_rows_text(r, i, 2),
			   birth, store_rows_text(r, i, 4),
			   store_rows_text(r, i, 5), store_rows_text(r, i, 6)},
		.category = cat,
		.record_ref = id,
		.valid_from = day_or(store_rows_text(r, i, 8), CAL_NONE),
		.valid_until = day_or(store_rows_text(r, i, 9), CAL_NONE),
	};
	if (screen_put(s->ix, &e, &err)) {
		/* a record the index cannot hold (no name, no document) is
		 * still checked by the exact rules of the inspection */
		fprintf(stderr, "sigm serve: cotejo: %s omitido: %s\n", id,
			err.message);
		screen_remove(s->ix, id, NULL);
	}
}

static int load_kind(struct api_ctx *ctx, struct api_screen *s, int k,
		     const char *where, const struct store_val *p, int np,
		     struct sigm_error *err)
{
	char sql[600];
	struct store_rows *r = NULL;
	snprintf(sql, sizeof(sql), "%s %s", SQL[k][1], where);
	int rc = store_query(ctx->store, sql, p, np, &r, err);
	if (rc)
		return rc;
	for (int i = 0; i < store_rows_count(r); i++)
		put_row(s, SQL[k][0], r, i);
	store_rows_free(&r);
	return 0;
}

static void on_change(struct api_ctx *ctx, const char *kind, int64_t id)
{
	struct api_screen *s = ctx->screen;
	struct store_val v[] = {sv_int(id)};
	struct sigm_error err;

	if (!s)
		return;
	for (int k = 0; k < 3; k++) {
		if (strcmp(kind, SQL[k][0]) != 0)
			continue;
		pthread_mutex_lock(&s->apply);
		if (load_kind(ctx, s, k, "WHERE id = $1", v, 1, &err))
			fprintf(stderr, "sigm serve: cotejo: no se pudo releer %s %lld: %s\n",
				kind, (long long)id, err.message);
		pthread_mutex_unlock(&s->apply);
	}
}

void api_screen_notify(struct api_ctx *ctx, const char *payload)
{
	static const char *const TABLES[3] = {"restrictions", "alerts",
					      "lost_stolen"};
	struct api_screen *s = ctx->screen;
	struct sigm_error err;

	if (!s)
		return;
	if (!payload) {
		/* every row: put_row() removes what is no longer active */
		for (int k = 0; k < 3; k++) {
			pthread_mutex_lock(&s->apply);
			if (load_kind(ctx, s, k, "", NULL, 0, &err))
				fprintf(stderr, "sigm serve: cotejo: no se pudo recargar %s: %s\n",
					SQL[k][0], err.message);
			pthread_mutex_unlock(&s->apply);
		}
		return;
	}
	const char *colon = strchr(payload, ':');
	char *end;
	if (!colon)
		return;
	long long id = strtoll(colon + 1, &end, 10);
	if (*end || id <= 0)
		return;
	for (int k = 0; k < 3; k++)
		if (strlen(TABLES[k]) == (size_t)(colon - payload) &&
		    !strncmp(payload, TABLES[k], (size_t)(colon - payload)))
			on_change(ctx, SQL[k][0], id);
}

int api_screen_start(struct api_ctx *ctx, struct sigm_error *err)
{
	struct api_screen *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "memoria insuficiente");
	pthread_mutex_init(&s->apply, NULL);
	rc = screen_names_load(ctx->cfg.data_dir[0] ? ctx->cfg.data_dir : NULL,
			       &s->names, err);
	if (rc == 0)
		rc = screen_new(&s->ix, s->names, err);
	if (rc == 0)
		rc = subject_ix_new(&s->exact, err);
	/* the highest ids before the load: a row added meanwhile is either
	 * loaded or above them (subject_ix_seen) */
	static const char *const MAXSQL[SUBJECT_NKINDS] = {
		[SUBJECT_RESTRICTION] = "SELECT coalesce(max(id), 0) FROM restrictions",
		[SUBJECT_ALERT] = "SELECT coalesce(max(id), 0) FROM alerts"};
	for (int k = 0; rc == 0 && k < SUBJECT_NKINDS; k++) {
		int64_t top = 0;
		if (!(rc = store_query_int(ctx->store, MAXSQL[k], NULL, 0, &top, err)))
			subject_ix_saw(s->exact, (enum subject_kind)k, top);
	}
	for (int k = 0; rc == 0 && k < 3; k++)
		rc = load_kind(ctx, s, k, "WHERE status = 'active'", NULL, 0, err);
	if (rc) {
		subject_ix_free(&s->exact);
		screen_free(&s->ix);
		names_table_free(&s->names);
		pthread_mutex_destroy(&s->apply);
		free(s);
		return rc;
	}
	ctx->screen = s;
	ctx->on_record_change = on_change;
	return 0;
}

void api_screen_stop(struct api_ctx *ctx)
{
	struct api_screen *s = ctx->screen;
	if (!s)
		return;
	ctx->on_record_change = NULL;
	ctx->screen = NULL;
	subject_ix_free(&s->exact);
	screen_free(&s->ix);
	names_table_free(&s->names);
	pthread_mutex_destroy(&s->apply);
	free(s);
}

static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

static void memo_free(void *m)
{
	struct screen_memo *memo = m;
	screen_memo_free(&memo);
}

static void memo_key_make(void)
{
	(void)pthread_key_create(&memo_key, memo_free);
}

/* The calling thread's memo, made on first use; NULL without memory
 * (screening without one gives the same results). */
static struct screen_memo *thread_memo(void)
{
	(void)pthread_once(&memo_once, memo_key_make);
	struct screen_memo *m = pthread_getspecific(memo_key);
	if (!m && screen_memo_new(&m) == 0 && pthread_setspecific(memo_key, m))
		screen_memo_free(&m);
	return m;
}

int api_screen_query(struct api_ctx *ctx, const struct screen_person *p,
		     int threshold, int top, struct screen_result *res,
		     struct sigm_error *err)
{
	struct api_screen *s = ctx->screen;
	char today[11];
	int32_t on;

	memset(res, 0, sizeof(*res));
	if (!s)
		return sigm_error_set(err, SIGM_EUNSUP, "screening_unavailable", NULL,
				      "el índice de cotejo no está cargado");
	api_today(today);
	on = day_or(today, CAL_NONE);
	struct screen_opts o = {threshold, top, on, true, thread_memo()};
	return screen_query(s->ix, p, &o, res, err);
}

int api_screen_exact(struct api_ctx *ctx, enum subject_kind kind,
		     const struct persons_doc *d, const char *dui, int64_t *ids,
		     int max)
{
	struct api_screen *s = ctx->screen;
	if (!s)
		return -1;
	return subject_ix_match(s->exact, kind, d->given_names, d->surnames,
				d->birth_date, d->number, dui, ids, max);
}

int64_t api_screen_exact_seen(struct api_ctx *ctx, enum subject_kind kind)
{
	struct api_screen *s = ctx->screen;
	return s ? subject_ix_seen(s->exact, kind) : -1;
}

json_t *api_screen_hit_json(const struct screen_hit *h)
{
	json_t *pairs = json_array(), *uq = json_array(), *ue = json_array();
	for (int i = 0; i < h->npairs; i++) {
		const struct screen_pair *p = &h->pairs[i];
		json_array_append_new(
			pairs,
			json_pack("{s:s,s:s,s:s,s:f,s:f,s:f}", "query", p->query,
				  "entry", p->entry, "how", screen_how_name(p->how),
				  "similarity", (double)(int)(p->similarity * 1000 + 0.5) / 1000,
				  "weight", (double)(int)(p->weight * 100 + 0.5) / 100,
				  "points", (double)(int)(p->points * 10 + 0.5) / 10));
	}
	for (int i = 0; i < h->nunmatched_query; i++)
		json_array_append_new(uq, json_string(h->unmatched_query[i]));
	for (int i = 0; i < h->nunmatched_entry; i++)
		json_array_append_new(ue, json_string(h->unmatched_entry[i]));
	return json_pack(
		"{s:s,s:s,s:s,s:i,s:{s:f,s:f,s:f,s:f,s:f},s:o,s:o,s:o,s:b,s:s,s:b}",
		"entry_id", h->id, "category", h->category, "record_ref",
		h->record_ref, "score", h->score, "parts", "names",
		(double)(int)(h->name_points * 10 + 0.5) / 10, "birth_date",
		h->birth_points, "sex", h->sex_points, "nationality",
		h->nationality_points, "document", h->document_points, "tokens",
		pairs, "unmatched_query", uq, "unmatched_entry", ue,
		"order_swapped", h->swapped, "birth_date_match", h->birth_how,
		"document_match", h->document_match);
}

/* POST /api/v1/screen {given_names, surnames, birth_date, sex, nationality,
 * document_number, threshold?, top?} */
void api_screen_post(struct api_req *req, struct api_resp *resp);
void api_screen_post(struct api_req *req, struct api_resp *resp)
{
	static const char *const allowed[] = {
		"given_names", "surnames", "birth_date", "sex", "nationality",
		"document_number", "threshold", "top", NULL};
	struct screen_person p = {0};
	struct screen_result res;
	struct sigm_error err;
	json_int_t threshold = SCREEN_DEFAULT_THRESHOLD, top = 10;
	json_t *b = api_body_object(req, resp, allowed);

	if (!b)
		return;
	/* the limit is in characters, as every form says it; the engine
	 * takes that many of any script (names.h), so a name taken here
	 * screens rather than failing as too many bytes */
	if (api_get_str(resp, b, "given_names", false, NAMES_MAX_CHARS, &p.given_names) ||
	    api_get_str(resp, b, "surnames", false, NAMES_MAX_CHARS, &p.surnames) ||
	    api_get_date(resp, b, "birth_date", false, true, &p.birth_date) ||
	    api_get_str(resp, b, "sex", false, 1, &p.sex) ||
	    api_get_str(resp, b, "nationality", false, 3, &p.nationality) ||
	    api_get_docno(resp, b, "document_number", "document_number", false, &p.document_number))
		goto out;
	json_t *t = json_object_get(b, "threshold");
	if (t && !json_is_null(t)) {
		if (!json_is_integer(t) || json_integer_value(t) < 0 ||
		    json_integer_value(t) > 100) {
			api_error(resp, 422, "invalid_value", "threshold",
				  "threshold debe ser un entero de 0 a 100");
			goto out;
		}
		threshold = json_integer_value(t);
	}
	json_t *k = json_object_get(b, "top");
	if (k && !json_is_null(k)) {
		if (!json_is_integer(k) || json_integer_value(k) < 1 ||
		    json_integer_value(k) > 100) {
			api_error(resp, 422, "invalid_value", "top",
				  "top debe ser un entero de 1 a 100");
			goto out;
		}
		top = json_integer_value(k);
	}
	if (api_screen_query(req->ctx, &p, (int)threshold, (int)top, &res, &err)) {
		api_error_from(resp, &err);
		goto out;
	}
	json_t *arr = json_array();
	for (int i = 0; i < res.n; i++)
		json_array_append_new(arr, api_screen_hit_json(&res.hits[i]));
	/* who screened is audited, and which records it was shown (a
	 * watchlist's entries are personal data); the names asked are not
	 * copied into the log, which outlives any query */
	json_t *refs = json_array();
	for (int i = 0; i < res.n; i++)
		json_array_append_new(refs, json_string(res.hits[i].record_ref[0] ? res.hits[i].record_ref : res.hits[i].id));
	json_t *detail = json_pack("{s:i,s:i,s:o}", "matches", res.n, "threshold",
				   (int)threshold, "records", refs);
	api_audit(req, "screen.query", "screening", NULL, detail);
	json_decref(detail);
	api_json(resp, 200,
		 json_pack("{s:i,s:i,s:o}", "threshold", (int)threshold,
			   "candidates", (int)res.candidates, "matches", arr));
	screen_result_release(&res);
out:
	return; /* b is the request's (api_body_object) */
}
