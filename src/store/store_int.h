/*
 * store_int.h - what an engine (sqlite.c, later pg.c) implements, and the
 * pieces of struct store that the engine-independent code in store.c shares
 * with it.  Nothing outside src/store includes this file.
 */
#ifndef SIGM_STORE_INT_H
#define SIGM_STORE_INT_H

#include <pthread.h>
#include <semaphore.h>

#include "store/store.h"

struct store_conn; /* one engine connection, used by one thread at a time */
struct store_listener; /* an engine's LISTEN thread */

struct store_engine_ops {
	const char *name;
	/* writer: the single read-write connection; else a reader. */
	int (*connect)(struct store *s, int writer, struct store_conn **out,
		       struct sigm_error *err);
	void (*disconnect)(struct store_conn *c);
	/* One statement with parameters.  rows may be NULL when the caller
	 * wants none; changes may be NULL. */
	int (*exec)(struct store_conn *c, const char *sql,
		    const struct store_val *p, int n, struct store_rows **rows,
		    int64_t *changes, struct sigm_error *err);
	/* Several statements, no parameters (migrations, BEGIN/COMMIT). */
	int (*exec_script)(struct store_conn *c, const char *sql,
			   struct sigm_error *err);
	/* Engine-specific spellings substituted into migration scripts:
	 * a static string, or buf (cap bytes) filled; NULL = unknown token.
	 * Tokens may carry arguments: "APPEND_ONLY table prefix". */
	const char *(*ddl)(const char *token, char *buf, size_t cap);
	int (*backup)(struct store_conn *c, const char *path,
		      struct sigm_error *err);
	/* Optional: notifications from other nodes (LISTEN/NOTIFY).  NULL =
	 * the engine has a single node, store_listen is a no-op. */
	int (*listen)(struct store *s, const char *channel, store_notify_fn fn,
		      void *arg, struct store_listener **out,
		      struct sigm_error *err);
	void (*unlisten)(struct store_listener *l);
	const char *begin_sql; /* "BEGIN IMMEDIATE" / "BEGIN" */
	/* Optional: opens a read transaction on a reader for
	 * store_read_begin (SQLite: "BEGIN"); NULL = no snapshot, the pinned
	 * connection's queries each see the latest commit. */
	const char *read_begin_sql;
	/* Optional maintenance run in a write transaction at every open,
	 * after migrations (PostgreSQL: create upcoming partitions). */
	const char *after_open_sql;
	/* Optional housekeeping on the writer connection, called by the
	 * writer thread between group commits (outside any transaction);
	 * it decides itself how often to do anything, and must be quick.
	 * Failures are its own business: the next call tries again. */
	void (*maintain)(struct store *s, struct store_conn *c);
};

extern const struct store_engine_ops store_sqlite_ops;
extern const struct store_engine_ops store_pg_ops;

struct store_wreq {
	store_write_fn fn;
	void *arg;
	struct sigm_error *err;
	struct sigm_error local_err;
	int rc;
	/* Posted by the writer once the commit that served this request is
	 * done: it wakes exactly that caller, which needs no lock to return.
	 * With a condition variable under the queue's mutex, each woken
	 * caller had to take that mutex back while the writer held it, and
	 * slept on it again (bench/RESULTS.md). */
	sem_t done;
	struct store_wreq *next;
};

struct store {
	const struct store_engine_ops *ops;
	enum store_engine engine;
	char *url;
	struct store_opts opts;

	/* reader pool */
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_cv;
	struct store_conn **readers;
	int nreaders, nfree;
	struct store_conn **free_readers;

	/* writer */
	struct store_conn *wconn;
	pthread_t wthread;
	int wthread_started;
	pthread_mutex_t wq_mu;
	pthread_cond_t wq_cv;   /* writer waits for work */
	struct store_wreq *wq_head, *wq_tail;
	int stopping;

	/* store_listen subscriptions, stopped by store_close */
	struct store_listener *listeners[4];
	int nlisteners;

	pthread_mutex_t stats_mu;
	struct store_stats stats;

	/* key of the audit hash chain, kept outside the database */
	unsigned char audit_key[32];
};

struct store_tx {
	struct store *s;
	struct store_conn *c;
};

/* rows builder used by engines */
struct store_rows *store_rows_new(int ncols);
int store_rows_set_name(struct store_rows *r, int col, const char *name);
/* vals[ncols], NULL = SQL NULL; copied. */
int store_rows_add(struct store_rows *r, const char *const *vals,
		   const size_t *lens);

int store_migrate_conn(struct store *s, struct store_conn *c,
		       struct sigm_error *err);


int store_audit_key_load(struct store *s, struct sigm_error *err);
void store_hist_add(uint64_t *hist, uint64_t us);

#endif
