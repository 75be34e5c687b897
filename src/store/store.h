/*
 * store.h - the one storage interface of SIGM.
 *
 * Every module reads and writes through these functions; none of them knows
 * which engine is underneath.  SQL is written once in a portable subset with
 * $1, $2 ... parameters (SQLite and PostgreSQL both accept them) and
 * RETURNING for generated keys.
 *
 * Reads run on a pool of reader connections, concurrently.
 *
 * Writes never run on the caller's thread: store_write() hands a function to
 * the single writer thread, which runs the functions that arrived together
 * inside one transaction (each in its own savepoint, so one failing write
 * does not undo its neighbours) and commits them with one fsync — the group
 * commit.  store_write() returns only after that commit is durable, so an
 * acknowledged write survives kill -9 and power loss (SQLite WAL with
 * synchronous=FULL).  A write function must touch nothing but the
 * transaction: effects outside the database belong after store_write()
 * returns 0.
 *
 * Ownership: the caller owns the store and every store_rows it receives
 * (store_rows_free).  Text returned by store_rows_* lives as long as the rows.
 * Thread safety: all functions may be called from any thread once the store
 * is open, except store_close().
 * Errors: int 0 / negative SIGM_E*, with struct sigm_error filled.
 */
#ifndef SIGM_STORE_H
#define SIGM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;
struct store_tx;
struct store_rows;

enum store_type { STORE_NULL = 0, STORE_INT, STORE_TEXT, STORE_REAL };

struct store_val {
	enum store_type type;
	int64_t i;
	double d;
	const char *s; /* NUL-terminated; not copied, must outlive the call */
};

static inline struct store_val sv_int(int64_t i)
{
	return (struct store_val){.type = STORE_INT, .i = i};
}
static inline struct store_val sv_text(const char *s)
{
	return (struct store_val){.type = s ? STORE_TEXT : STORE_NULL, .s = s};
}
/* Empty string stored as NULL: optional text fields from JSON. */
static inline struct store_val sv_opt(const char *s)
{
	return (struct store_val){.type = s && *s ? STORE_TEXT : STORE_NULL, .s = s};
}
static inline struct store_val sv_real(double d)
{
	return (struct store_val){.type = STORE_REAL, .d = d};
}
static inline struct store_val sv_null(void)
{
	return (struct store_val){.type = STORE_NULL};
}
#define SV_N(arr) ((int)(sizeof(arr) / sizeof((arr)[0])))

enum store_engine { STORE_SQLITE = 1, STORE_PG = 2 };

struct store_opts {
	int readers;       /* reader connections; 0 = default (4) */
	int batch_max;     /* most writes in one group commit; 0 = 256 */
	bool no_migrate;   /* open without applying migrations */
	/* SQLite: seconds an entry of the change log (the screening lists'
	 * notices between processes, store_listen) is kept before the writer
	 * prunes it; 0 = default (600).  A listener polls every 200 ms, so
	 * only a process stalled longer than this misses entries: it then
	 * gets a NULL payload (reload everything). */
	int change_log_keep_s;
};

/*
 * Opens the database named by url: "postgresql://..." / "postgres://..." for
 * PostgreSQL, otherwise a SQLite file path (optionally "sqlite:" prefixed).
 * Applies pending migrations unless opts->no_migrate.  Fails with
 * SIGM_EUNSUP if the database's schema is newer than this binary knows.
 */
int store_open(struct store **out, const char *url,
	       const struct store_opts *opts, struct sigm_error *err);

/* Drains pending writes, stops the writer, closes every connection.  Sets
 * *s to NULL.  NULL-safe. */
void store_close(struct store **s);

enum store_engine store_engine(const struct store *s);

/* A read on a pooled reader connection. *out receives the rows (possibly
 * zero of them). */
int store_query(struct store *s, const char *sql, const struct store_val *p,
		int n, struct store_rows **out, struct sigm_error *err);

/* Pins one reader connection to the calling thread until store_read_end:
 * the thread's store_query calls on s between them share it and, on
 * SQLite, one read transaction: one snapshot of the data, and one page
 * cache that the commits of other threads do not empty in between (a
 * query per connection checkout emptied it every time).  Calls nest; a
 * failure to begin only means the queries run unpinned.  End it before a
 * store_write whose result the thread reads back: the snapshot would
 * not show it. */
void store_read_begin(struct store *s);
void store_read_end(struct store *s);

/* Convenience: first column of the first row as integer; SIGM_ENOTFOUND when
 * no row. */
int store_query_int(struct store *s, const char *sql,
		    const struct store_val *p, int n, int64_t *out,
		    struct sigm_error *err);

typedef int (*store_write_fn)(struct store_tx *tx, void *arg,
			      struct sigm_error *err);

/* Runs fn in a transaction on the writer thread; returns fn's result once the
 * enclosing group has committed durably (or the commit's failure).  If fn
 * returns non-zero its changes are rolled back and that value returned. */
int store_write(struct store *s, store_write_fn fn, void *arg,
		struct sigm_error *err);

/* Inside a write function. */
int store_tx_exec(struct store_tx *tx, const char *sql,
		  const struct store_val *p, int n, int64_t *changes_r,
		  struct sigm_error *err);
int store_tx_query(struct store_tx *tx, const char *sql,
		   const struct store_val *p, int n, struct store_rows **out,
		   struct sigm_error *err);
int store_tx_query_int(struct store_tx *tx, const char *sql,
		       const struct store_val *p, int n, int64_t *out,
		       struct sigm_error *err);
struct store *store_tx_store(struct store_tx *tx);

/* Result sets: rows x columns, every value kept as text (NULL kept as
 * NULL), which both engines deliver cheaply and JSON needs anyway. */
int store_rows_count(const struct store_rows *r);
int store_rows_cols(const struct store_rows *r);
const char *store_rows_name(const struct store_rows *r, int col);
/* NULL for SQL NULL. */
const char *store_rows_text(const struct store_rows *r, int row, int col);
int64_t store_rows_int(const struct store_rows *r, int row, int col);
bool store_rows_isnull(const struct store_rows *r, int row, int col);
void store_rows_free(struct store_rows **r);

/*
 * Notifications between nodes.  Every write to a watched table (restrictions,
 * alerts, lost_stolen: the screening lists) sends a notification on the
 * channel STORE_CHANNEL_WATCHLIST from inside its transaction, so it is
 * delivered only if the write commits, and by whichever node wrote it.
 * store_listen() calls fn(arg, channel, payload) on a dedicated thread for
 * each one (payload "table:id"), and with payload NULL whenever the listener
 * (re)connects: notifications may have been missed, reload everything.
 * On SQLite (processes sharing one file) a poller reads a change log that
 * triggers keep, every 200 ms, and delivers the same payloads; the writer
 * prunes entries older than opts.change_log_keep_s, and a poller that
 * finds entries it never read pruned delivers NULL (reload).  Each
 * process also hears its own changes.  fn must be quick and thread-safe.
 * Up to 4 listeners per store; store_close() stops them.
 */
#define STORE_CHANNEL_WATCHLIST "sigm_watchlist"
typedef void (*store_notify_fn)(void *arg, const char *channel,
				const char *payload);
int store_listen(struct store *s, const char *channel, store_notify_fn fn,
		 void *arg, struct sigm_error *err);

/* Online backup of the whole database to a file (SQLite backup API).
 * SIGM_EUNSUP on PostgreSQL (use pg_dump). */
int store_backup(struct store *s, const char *path, struct sigm_error *err);

/* Schema version the database is at, and the newest this binary knows. */
int store_schema_version(struct store *s, int64_t *out, struct sigm_error *err);
int store_schema_latest(void);

/* Timings for /metrics: write batches, their sizes and commit latency. */
struct store_stats {
	uint64_t writes, write_errors, batches, queries, query_errors;
	uint64_t commit_us_total, query_us_total;
	uint64_t commit_hist[12]; /* buckets: see STORE_HIST_BOUNDS_US */
	uint64_t query_hist[12];
	uint64_t batch_size_max;
};
#define STORE_HIST_N 12
extern const double store_hist_bounds_s[STORE_HIST_N]; /* last = +Inf */
void store_get_stats(struct store *s, struct store_stats *out);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf (>= 32 bytes). */
void store_now_iso(char *buf, size_t cap);
/* UTC now + seconds, same format as store_now_iso. */
void store_iso_after(char *buf, size_t cap, int64_t seconds);
/* Monotonic microseconds, for timings. */
uint64_t store_now_us(void);

#endif
