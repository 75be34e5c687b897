/*
 * store.c - the engine-independent half of the store: reader pool, the
 * writer thread with group commit, result sets, statistics.  See store.h for
 * the contract; the engines implement store_int.h.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const double store_hist_bounds_s[STORE_HIST_N] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
	0.01,   0.025,   0.05,   0.1,   1.0,    -1 /* +Inf */};

uint64_t store_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void store_hist_add(uint64_t *hist, uint64_t us)
{
	double s = (double)us / 1e6;
	for (int i = 0; i < STORE_HIST_N - 1; i++)
		if (s <= store_hist_bounds_s[i]) {
			hist[i]++;
			return;
		}
	hist[STORE_HIST_N - 1]++;
}

void store_now_iso(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

void store_iso_after(char *buf, size_t cap, int64_t seconds)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	time_t t = ts.tv_sec + (time_t)seconds;
	gmtime_r(&t, &tm);
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* ---- result sets ---- */

/* A result set in three allocations whatever its size: the cells are
 * offsets into one text buffer (names first, then every value with its
 * NUL).  A cell per malloc was a tenth of the booth's CPU in malloc and
 * free.  Texts are located by offset while the rows grow (the buffer
 * moves) and only handed out once the driver has finished. */
struct store_rows {
	int ncols, nrows, cap;
	int64_t *cells; /* ncols name offsets, then nrows * ncols, -1 = NULL */
	char *text;
	size_t len, tcap;
};

static int64_t rows_text_add(struct store_rows *r, const char *v, size_t n)
{
	if (r->len + n + 1 > r->tcap) {
		size_t nc = r->tcap ? r->tcap : 256;
		while (nc < r->len + n + 1)
			nc *= 2;
		char *t = realloc(r->text, nc);
		if (!t)
			return -1;
		r->text = t;
		r->tcap = nc;
	}
	int64_t off = (int64_t)r->len;
	memcpy(r->text + r->len, v, n);
	r->text[r->len + n] = 0;
	r->len += n + 1;
	return off;
}

struct store_rows *store_rows_new(int ncols)
{
	struct store_rows *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->ncols = ncols;
	r->cap = 4;
	r->cells = malloc((size_t)(ncols ? ncols : 1) * (size_t)(r->cap + 1) *
			  sizeof(*r->cells));
	if (!r->cells) {
		free(r);
		return NULL;
	}
	for (int c = 0; c < ncols; c++)
		r->cells[c] = -1;
	return r;
}

int store_rows_set_name(struct store_rows *r, int col, const char *name)
{
	const char *n = name ? name : "";
	r->cells[col] = rows_text_add(r, n, strlen(n));
	return r->cells[col] < 0 ? SIGM_ENOMEM : 0;
}

int store_rows_add(struct store_rows *r, const char *const *vals,
		   const size_t *lens)
{
	if (r->nrows == r->cap) {
		int nc = r->cap * 2;
		int64_t *n = realloc(r->cells, (size_t)(nc + 1) * (size_t)r->ncols *
						       sizeof(*r->cells));
		if (!n)
			return SIGM_ENOMEM;
		r->cells = n;
		r->cap = nc;
	}
	int64_t *row = r->cells + (size_t)(r->nrows + 1) * (size_t)r->ncols;
	size_t mark = r->len;
	for (int c = 0; c < r->ncols; c++) {
		row[c] = -1;
		if (!vals[c])
			continue;
		row[c] = rows_text_add(r, vals[c], lens ? lens[c] : strlen(vals[c]));
		if (row[c] < 0) {
			r->len = mark;
			return SIGM_ENOMEM;
		}
	}
	r->nrows++;
	return 0;
}

int store_rows_count(const struct store_rows *r) { return r ? r->nrows : 0; }
int store_rows_cols(const struct store_rows *r) { return r ? r->ncols : 0; }

const char *store_rows_name(const struct store_rows *r, int col)
{
	if (!r || col < 0 || col >= r->ncols)
		return NULL;
	return r->cells[col] < 0 ? "" : r->text + r->cells[col];
}

const char *store_rows_text(const struct store_rows *r, int row, int col)
{
	if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
		return NULL;
	int64_t off = r->cells[(size_t)(row + 1) * (size_t)r->ncols + (size_t)col];
	return off < 0 ? NULL : r->text + off;
}

bool store_rows_isnull(const struct store_rows *r, int row, int col)
{
	return store_rows_text(r, row, col) == NULL;
}

int64_t store_rows_int(const struct store_rows *r, int row, int col)
{
	const char *t = store_rows_text(r, row, col);
	return t ? strtoll(t, NULL, 10) : 0;
}

void store_rows_free(struct store_rows **rp)
{
	struct store_rows *r = rp ? *rp : NULL;
	if (!r)
		return;
	free(r->text);
	free(r->cells);
	free(r);
	*rp = NULL;
}

/* ---- reader pool ---- */

static struct store_conn *reader_get(struct store *s)
{
	pthread_mutex_lock(&s->pool_mu);
	while (s->nfree == 0)
		pthread_cond_wait(&s->pool_cv, &s->pool_mu);
	struct store_conn *c = s->free_readers[--s->nfree];
	pthread_mutex_unlock(&s->pool_mu);
	return c;
}

static void reader_put(struct store *s, struct store_conn *c)
{
	pthread_mutex_lock(&s->pool_mu);
	s->free_readers[s->nfree++] = c;
	pthread_cond_signal(&s->pool_cv);
	pthread_mutex_unlock(&s->pool_mu);
}

/* The calling thread's pinned reader (store_read_begin). */
static _Thread_local struct {
	struct store *s;
	struct store_conn *c;
	int depth;
	bool tx;
} pin;

void store_read_begin(struct store *s)
{
	if (pin.s == s) {
		pin.depth++;
		return;
	}
	if (pin.s) /* another store's pin: this one reads unpinned */
		return;
	struct sigm_error err;
	pin.c = reader_get(s);
	pin.s = s;
	pin.depth = 1;
	pin.tx = s->ops->read_begin_sql &&
		 s->ops->exec_script(pin.c, s->ops->read_begin_sql, &err) == 0;
}

void store_read_end(struct store *s)
{
	if (pin.s != s || --pin.depth > 0)
		return;
	struct sigm_error err;
	if (pin.tx && s->ops->exec_script(pin.c, "COMMIT", &err))
		s->ops->exec_script(pin.c, "ROLLBACK", &err);
	reader_put(s, pin.c);
	pin.s = NULL;
	pin.c = NULL;
	pin.tx = false;
}

int store_query(struct store *s, const char *sql, const struct store_val *p,
		int n, struct store_rows **out, struct sigm_error *err)
{
	uint64_t t0 = store_now_us();
	bool pinned = pin.s == s;
	struct store_conn *c = pinned ? pin.c : reader_get(s);
	int rc = s->ops->exec(c, sql, p, n, out, NULL, err);
	if (!pinned)
		reader_put(s, c);
	uint64_t dt = store_now_us() - t0;
	pthread_mutex_lock(&s->stats_mu);
	s->stats.queries++;
	if (rc)
		s->stats.query_errors++;
	s->stats.query_us_total += dt;
	store_hist_add(s->stats.query_hist, dt);
	pthread_mutex_unlock(&s->stats_mu);
	return rc;
}

static int first_int(struct store_rows *r, int64_t *out,
		     struct sigm_error *err)
{
	if (store_rows_count(r) == 0 || store_rows_isnull(r, 0, 0))
		return sigm_error_set(err, SIGM_ENOTFOUND, "not_found", NULL,
				      "sin resultados");
	*out = store_rows_int(r, 0, 0);
	return 0;
}

int store_query_int(struct store *s, const char *sql,
		    const struct store_val *p, int n, int64_t *out,
		    struct sigm_error *err)
{
	struct store_rows *r = NULL;
	int rc = store_query(s, sql, p, n, &r, err);
	if (rc == 0)
		rc = first_int(r, out, err);
	store_rows_free(&r);
	return rc;
}

/* ---- writer ---- */

int store_tx_exec(struct store_tx *tx, const char *sql,
		  const struct store_val *p, int n, int64_t *changes_r,
		  struct sigm_error *err)
{
	return tx->s->ops->exec(tx->c, sql, p, n, NULL, changes_r, err);
}

int store_tx_query(struct store_tx *tx, const char *sql,
		   const struct store_val *p, int n, struct store_rows **out,
		   struct sigm_error *err)
{
	return tx->s->ops->exec(tx->c, sql, p, n, out, NULL, err);
}

int store_tx_query_int(struct store_tx *tx, const char *sql,
		       const struct store_val *p, int n, int64_t *out,
		       struct sigm_error *err)
{
	struct store_rows *r = NULL;
	int rc = store_tx_query(tx, sql, p, n, &r, err);
	if (rc == 0)
		rc = first_int(r, out, err);
	store_rows_free(&r);
	return rc;
}

struct store *store_tx_store(struct store_tx *tx) { return tx->s; }

static void run_batch(struct store *s, struct store_wreq *batch, int count)
{
	struct store_tx tx = {.s = s, .c = s->wconn};
	struct sigm_error berr;
	uint64_t t0 = store_now_us();
	int rc = s->ops->exec_script(s->wconn, s->ops->begin_sql, &berr);
	if (rc) {
		/* BEGIN may have half-succeeded (PostgreSQL: the transaction
		 * opened, the writer lock timed out): leave no transaction
		 * behind for the next batch to trip over. */
		struct sigm_error rerr;
		s->ops->exec_script(s->wconn, "ROLLBACK", &rerr);
	}

	for (struct store_wreq *r = batch; r; r = r->next) {
		if (rc) {
			r->rc = rc;
			*r->err = berr;
			continue;
		}
		struct sigm_error serr;
		if (s->ops->exec_script(s->wconn, "SAVEPOINT w", &serr)) {
			r->rc = serr.rc ? serr.rc : SIGM_EIO;
			*r->err = serr;
			continue;
		}
		sigm_error_clear(r->err);
		r->rc = r->fn(&tx, r->arg, r->err);
		if (r->rc == 0 &&
		    s->ops->exec_script(s->wconn, "RELEASE SAVEPOINT w", &serr)) {
			/* fn ignored a failed statement: on PostgreSQL its
			 * savepoint is aborted and must not take the batch
			 * down with it. */
			r->rc = serr.rc ? serr.rc : SIGM_EIO;
			*r->err = serr;
		}
		if (r->rc) {
			s->ops->exec_script(s->wconn,
					    "ROLLBACK TO SAVEPOINT w", &serr);
			s->ops->exec_script(s->wconn, "RELEASE SAVEPOINT w",
					    &serr);
		}
	}
	if (rc == 0) {
		rc = s->ops->exec_script(s->wconn, "COMMIT", &berr);
		if (rc) {
			struct sigm_error rerr;
			s->ops->exec_script(s->wconn, "ROLLBACK", &rerr);
			for (struct store_wreq *r = batch; r; r = r->next)
				if (r->rc == 0) {
					r->rc = rc;
					*r->err = berr;
				}
		}
	}
	uint64_t dt = store_now_us() - t0;
	pthread_mutex_lock(&s->stats_mu);
	s->stats.batches++;
	s->stats.commit_us_total += dt;
	store_hist_add(s->stats.commit_hist, dt);
	if ((uint64_t)count > s->stats.batch_size_max)
		s->stats.batch_size_max = (uint64_t)count;
	for (struct store_wreq *r = batch; r; r = r->next) {
		s->stats.writes++;
		if (r->rc)
			s->stats.write_errors++;
	}
	pthread_mutex_unlock(&s->stats_mu);
}

static void *writer_main(void *arg)
{
	struct store *s = arg;
	int batch_max = s->opts.batch_max > 0 ? s->opts.batch_max : 256;

	pthread_mutex_lock(&s->wq_mu);
	for (;;) {
		while (!s->wq_head && !s->stopping)
			pthread_cond_wait(&s->wq_cv, &s->wq_mu);
		if (!s->wq_head && s->stopping)
			break;
		struct store_wreq *batch = s->wq_head, *last = batch;
		int count = 1;
		while (last->next && count < batch_max) {
			last = last->next;
			count++;
		}
		s->wq_head = last->next;
		if (!s->wq_head)
			s->wq_tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&s->wq_mu);

		/* here, where wq_mu is free anyway: releasing and taking it
		 * again after the wake-ups made the woken callers contend for
		 * it (+5 % server CPU per inspection, bench/RESULTS.md) */
		if (s->ops->maintain)
			s->ops->maintain(s, s->wconn);
		run_batch(s, batch, count);

		for (struct store_wreq *r = batch; r;) {
			/* r is gone once its caller sees the post */
			struct store_wreq *next = r->next;
			sem_post(&r->done);
			r = next;
		}
		pthread_mutex_lock(&s->wq_mu);
	}
	pthread_mutex_unlock(&s->wq_mu);
	return NULL;
}

int store_write(struct store *s, store_write_fn fn, void *arg,
		struct sigm_error *err)
{
	struct store_wreq req = {.fn = fn, .arg = arg};
	req.err = err ? err : &req.local_err;
	sem_init(&req.done, 0, 0);

	pthread_mutex_lock(&s->wq_mu);
	if (s->stopping) {
		pthread_mutex_unlock(&s->wq_mu);
		sem_destroy(&req.done);
		return sigm_error_set(err, SIGM_EBUSY, "shutting_down", NULL,
				      "el servidor se está deteniendo");
	}
	if (s->wq_tail)
		s->wq_tail->next = &req;
	else
		s->wq_head = &req;
	s->wq_tail = &req;
	pthread_cond_signal(&s->wq_cv);
	pthread_mutex_unlock(&s->wq_mu);
	/* a signal handler's interruption is no answer: the request is
	 * queued and the writer will post it */
	while (sem_wait(&req.done) != 0)
		;
	sem_destroy(&req.done);
	return req.rc;
}

/* ---- open / close ---- */

static int parse_url(const char *url, const struct store_engine_ops **ops,
		     enum store_engine *eng, const char **path,
		     struct sigm_error *err)
{
	if (!url || !*url)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_db", "db",
				      "falta la base de datos (SIGM_DB)");
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
		*ops = &store_pg_ops;
		*eng = STORE_PG;
		*path = url;
		return 0;
	}
	*ops = &store_sqlite_ops;
	*eng = STORE_SQLITE;
	*path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	return 0;
}

int store_open(struct store **out, const char *url,
	       const struct store_opts *opts, struct sigm_error *err)
{
	const struct store_engine_ops *ops = NULL;
	enum store_engine eng = STORE_SQLITE;
	const char *path = NULL;
	int rc = parse_url(url, &ops, &eng, &path, err);
	if (rc)
		return rc;

	struct store *s = calloc(1, sizeof(*s));
	if (!s)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	s->ops = ops;
	s->engine = eng;
	if (opts)
		s->opts = *opts;
	s->url = strdup(path);
	pthread_mutex_init(&s->pool_mu, NULL);
	pthread_cond_init(&s->pool_cv, NULL);
	pthread_mutex_init(&s->wq_mu, NULL);
	pthread_cond_init(&s->wq_cv, NULL);
	pthread_mutex_init(&s->stats_mu, NULL);
	if (!s->url) {
		rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
		goto fail;
	}

	rc = ops->connect(s, 1, &s->wconn, err);
	if (rc)
		goto fail;
	if (!s->opts.no_migrate) {
		rc = store_migrate_conn(s, s->wconn, err);
		if (rc)
			goto fail;
	}
	if (ops->after_open_sql) {
		rc = ops->exec_script(s->wconn, ops->begin_sql, err);
		if (rc == 0)
			rc = ops->exec_script(s->wconn, ops->after_open_sql, err);
		if (rc == 0)
			rc = ops->exec_script(s->wconn, "COMMIT", err);
		if (rc) {
			struct sigm_error e2;
			ops->exec_script(s->wconn, "ROLLBACK", &e2);
			goto fail;
		}
	}
	rc = store_audit_key_load(s, err);
	if (rc)
		goto fail;

	s->nreaders = s->opts.readers > 0 ? s->opts.readers : 4;
	s->readers = calloc((size_t)s->nreaders, sizeof(*s->readers));
	s->free_readers = calloc((size_t)s->nreaders, sizeof(*s->free_readers));
	if (!s->readers || !s->free_readers) {
		rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
		goto fail;
	}
	for (int i = 0; i < s->nreaders; i++) {
		rc = ops->connect(s, 0, &s->readers[i], err);
		if (rc)
			goto fail;
		s->free_readers[s->nfree++] = s->readers[i];
	}
	if (pthread_create(&s->wthread, NULL, writer_main, s) != 0) {
		rc = sigm_error_set(err, SIGM_EIO, "thread", NULL,
				    "no se pudo iniciar el hilo escritor");
		goto fail;
	}
	s->wthread_started = 1;
	*out = s;
	return 0;
fail:
	store_close(&s);
	return rc;
}

void store_close(struct store **sp)
{
	struct store *s = sp ? *sp : NULL;
	if (!s)
		return;
	for (int i = 0; i < s->nlisteners; i++)
		s->ops->unlisten(s->listeners[i]);
	if (s->wthread_started) {
		pthread_mutex_lock(&s->wq_mu);
		s->stopping = 1;
		pthread_cond_signal(&s->wq_cv);
		pthread_mutex_unlock(&s->wq_mu);
		pthread_join(s->wthread, NULL);
	}
	for (int i = 0; i < s->nreaders; i++)
		if (s->readers[i])
			s->ops->disconnect(s->readers[i]);
	if (s->wconn)
		s->ops->disconnect(s->wconn);
	free(s->readers);
	free(s->free_readers);
	free(s->url);
	pthread_mutex_destroy(&s->pool_mu);
	pthread_cond_destroy(&s->pool_cv);
	pthread_mutex_destroy(&s->wq_mu);
	pthread_cond_destroy(&s->wq_cv);
	pthread_mutex_destroy(&s->stats_mu);
	free(s);
	*sp = NULL;
}

enum store_engine store_engine(const struct store *s) { return s->engine; }

int store_listen(struct store *s, const char *channel, store_notify_fn fn,
		 void *arg, struct sigm_error *err)
{
	if (!s->ops->listen)
		return 0; /* one node: nobody else writes */
	if (s->nlisteners == (int)(sizeof(s->listeners) / sizeof(s->listeners[0])))
		return sigm_error_set(err, SIGM_ETOOBIG, "too_many_listeners",
				      NULL, "demasiadas suscripciones");
	struct store_listener *l = NULL;
	int rc = s->ops->listen(s, channel, fn, arg, &l, err);
	if (rc == 0)
		s->listeners[s->nlisteners++] = l;
	return rc;
}

int store_backup(struct store *s, const char *path, struct sigm_error *err)
{
	if (!s->ops->backup)
		return sigm_error_set(err, SIGM_EUNSUP, "unsupported", NULL,
				      "copia no disponible para este motor");
	struct store_conn *c = reader_get(s);
	int rc = s->ops->backup(c, path, err);
	reader_put(s, c);
	return rc;
}

void store_get_stats(struct store *s, struct store_stats *out)
{
	pthread_mutex_lock(&s->stats_mu);
	*out = s->stats;
	pthread_mutex_unlock(&s->stats_mu);
}
