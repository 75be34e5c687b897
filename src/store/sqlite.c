/*
 * sqlite.c - the SQLite engine behind store.h.
 *
 * WAL journal, synchronous=FULL (a committed transaction survives power
 * loss: the ledger cannot accept NORMAL's window), one read-write
 * connection owned by the writer thread and read-only connections for the
 * reader pool.  Prepared statements are cached per connection, keyed by the
 * SQL text, so the portable "$1" SQL of the modules is parsed once.
 *
 * Checkpoints (copying the WAL back into the database file, with an fsync
 * of the database) run on a thread of their own, not inside the writer's
 * COMMIT: a group commit then costs one WAL append and one fsync, and
 * requests waiting on it are not held up by a checkpoint's random writes.
 */
#include "store/store_int.h"
#include "store/persons.h"
#include "store/sqlite_vfs.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdint.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHE_N 96

struct cached {
	char *sql_copy;
	uint64_t hash;
	sqlite3_stmt *st;
	bool rowid_returning; /* st is the INSERT without its RETURNING id */
};

/* WAL frames after a commit that wake the checkpointer (SQLite's own
 * autocheckpoint default).  The WAL only starts over when a checkpoint
 * has copied every frame before the next write begins, which a background
 * checkpoint under a steady stream of writes rarely achieves: past
 * CKPT_INLINE_FRAMES (~40 MB) the writer checkpoints itself, cheaply,
 * since the checkpointer has already copied nearly everything. */
#define CKPT_FRAMES 1000
#define CKPT_INLINE_FRAMES 10000

struct checkpointer {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sqlite3 *db; /* its own read-write connection */
	int wanted, stop;
};

struct store_conn {
	sqlite3 *db;
	struct cached cache[CACHE_N];
	int next_evict;
	struct checkpointer *ck; /* writer only */
	int64_t log_start; /* writer only: the change log's end at open */
	/* writer only: the change log's end as it was at past instants, to
	 * prune what every listener has had time to read (sq_maintain) */
	struct {
		uint64_t at_us;
		int64_t end;
	} marks[16];
	int nmarks;
	uint64_t next_mark_us;
};

static void *ckpt_main(void *arg)
{
	struct checkpointer *k = arg;
	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (!k->wanted && !k->stop)
			pthread_cond_wait(&k->cv, &k->mu);
		if (k->stop)
			break;
		k->wanted = 0;
		pthread_mutex_unlock(&k->mu);
		/* PASSIVE: copies what no reader still needs, never blocks the
		 * writer or the readers; what is left is taken next time. */
		sqlite3_wal_checkpoint_v2(k->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
		pthread_mutex_lock(&k->mu);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/* Called by SQLite after each commit of the writer (replaces the built-in
 * autocheckpoint). */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct checkpointer *k = arg;
	if (frames >= CKPT_INLINE_FRAMES) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
					  NULL, NULL);
	} else if (frames >= CKPT_FRAMES) {
		pthread_mutex_lock(&k->mu);
		k->wanted = 1;
		pthread_cond_signal(&k->cv);
		pthread_mutex_unlock(&k->mu);
	}
	return SQLITE_OK;
}

static void ckpt_stop(struct checkpointer *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = 1;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->th, NULL);
	sqlite3_close(k->db);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k);
}

/* Starts the checkpointer of a writer connection; without one (no memory,
 * no thread) SQLite's own autocheckpoint stays in charge. */
static void ckpt_start(struct store *s, struct store_conn *c)
{
	struct checkpointer *k = calloc(1, sizeof(*k));
	if (!k)
		return;
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	if (sqlite3_open_v2(s->url, &k->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(k->db, "PRAGMA synchronous=FULL;", NULL, NULL, NULL) !=
		    SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(k->db, 1000);
	if (pthread_create(&k->th, NULL, ckpt_main, k) != 0)
		goto fail;
	c->ck = k;
	sqlite3_wal_hook(c->db, wal_hook, k);
	return;
fail:
	sqlite3_close(k->db);
	pthread_mutex_destroy(&k->mu);
	pthread_cond_destroy(&k->cv);
	free(k);
}

static int db_error(sqlite3 *db, int src, struct sigm_error *err,
		    const char *what)
{
	int rc = SIGM_EIO;
	const char *code = "storage_error";
	int ext = src;
	if ((ext & 0xff) == SQLITE_CONSTRAINT) {
		rc = SIGM_ECONFLICT;
		code = "constraint";
	} else if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) {
		rc = SIGM_EBUSY;
		code = "busy";
	} else if ((ext & 0xff) == SQLITE_FULL) {
		code = "disk_full";
	} else if ((ext & 0xff) == SQLITE_NOMEM) {
		rc = SIGM_ENOMEM;
	}
	sigm_error_set(err, rc, code, NULL, "error de almacenamiento (%s)",
		       what);
	sigm_error_detail(err, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(src));
	return rc;
}

/*
 * SIGM_SLOW_SQL_MS=N: one JSON line on stderr for every statement that
 * takes N ms or more (wall time, so it includes waiting for a CPU).  The
 * SQL is logged with its $N placeholders, never with the values bound to
 * them (names, document numbers).  For diagnosis; off by default.
 */
static long long slow_ns = -1;

static int slow_cb(unsigned type, void *ctx, void *p, void *x)
{
	(void)type;
	long long ns = *(long long *)x;
	if (ns < slow_ns)
		return 0;
	const char *sql = sqlite3_sql(p);
	char esc[512];
	size_t n = 0;
	for (const char *q = sql ? sql : ""; *q && n + 3 < sizeof(esc); q++) {
		if (*q == '"' || *q == '\\')
			esc[n++] = '\\';
		esc[n++] = (*q == '\n' || *q == '\t') ? ' ' : *q;
	}
	esc[n] = 0;
	fprintf(stderr,
		"{\"level\":\"warn\",\"msg\":\"slow_sql\",\"conn\":\"%s\",\"ms\":%.3f,\"sql\":\"%s\"}\n",
		ctx ? "writer" : "reader", (double)ns / 1e6, esc);
	return 0;
}

/*
 * The writer's page cache, KiB.  Every inspection lands on a few random
 * pages of the large tables (the traveler's document and presence rows,
 * the person's leaf of the ledger's index): at 10 million movements those
 * are ~1 GB, and each page missing from the cache is a read inside the
 * single writer, which every acknowledged write waits for.  SQLite
 * allocates the cache as pages are used: a small database uses little.
 * SIGM_SQLITE_CACHE_MB overrides (e.g. on a machine with little memory).
 */
static long writer_cache_kib(void)
{
	const char *e = getenv("SIGM_SQLITE_CACHE_MB");
	long mb = e && *e ? atol(e) : 1024;
	return (mb < 2 ? 2 : mb) * 1024;
}

static int64_t log_end(sqlite3 *db);

/*
 * SQLite counts every allocation in global statistics under one mutex
 * (SQLITE_CONFIG_MEMSTATUS, on by default): with readers refilling their
 * page caches after every commit, that lock and its wakeups were ~7% of an
 * inspection's CPU.  sigm never reads those statistics.  Must run before
 * SQLite initializes; a second call (SQLITE_MISUSE) changes nothing.
 */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;
#define PCACHE_BULK 1000
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* Each connection's page cache takes its first PCACHE_BULK pages
	 * (at most its cache_size) in one block and keeps them: a reader's
	 * cache is emptied whenever another commit has come since its last
	 * read (WAL), which with the default (20 pages) freed and malloc'd
	 * again every page of the next request's reads. */
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 0, PCACHE_BULK);
	/* after the configuration: finding a VFS initializes SQLite */
	sqvfs_register();
}

/* sigm_fold(text): persons_fold in SQL, for migration 22's keys of the
 * rows already stored.  NULL stays NULL. */
static void sq_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *in = sqlite3_value_text(argv[0]);
	if (!in) {
		sqlite3_result_null(ctx);
		return;
	}
	char out[256];
	persons_fold((const char *)in, out, sizeof(out));
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

static int sq_connect(struct store *s, int writer, struct store_conn **out,
		      struct sigm_error *err)
{
	pthread_once(&config_once, sq_configure);
	struct store_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	int flags = SQLITE_OPEN_NOMUTEX |
		    (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
			    : SQLITE_OPEN_READONLY);
	int rc = sqlite3_open_v2(s->url, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		sigm_error_set(err, SIGM_EIO, "db_open", "db",
			       "no se puede abrir la base de datos %s", s->url);
		sigm_error_detail(err, "%s", c->db ? sqlite3_errmsg(c->db)
						   : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(c->db, 10000);
	sqlite3_create_function(c->db, "sigm_fold", 1,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					SQLITE_INNOCUOUS,
				NULL, sq_fold, NULL, NULL);
	sqlite3_extended_result_codes(c->db, 1);
	/* No mmap_size: on the 2.7 GB benchmark database a memory map cost
	 * more (1.3 against 1.0 ms of CPU per inspection, and 1 ms against
	 * 0.26 ms for the first query after each commit) than the pread()s
	 * it saves. */
	const char *slow = getenv("SIGM_SLOW_SQL_MS");
	if (slow && *slow) {
		slow_ns = (long long)(atof(slow) * 1e6);
		sqlite3_trace_v2(c->db, SQLITE_TRACE_PROFILE, slow_cb,
				 (void *)(intptr_t)writer);
	}
	if (writer) {
		char *msg = NULL;
		/* The writer's cache survives commits (its own changes do not
		 * invalidate it), so it keeps the index pages that inserts land
		 * on in memory (writer_cache_kib).  temp_store=MEMORY keeps the savepoint
		 * journal of each write of a group commit in memory (it spilled
		 * to a temporary file, created and unlinked on every commit). */
		char pragmas[300];
		snprintf(pragmas, sizeof(pragmas),
			 "PRAGMA journal_mode=WAL;"
			 "PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;"
			 "PRAGMA cache_size=-%ld;"
			 "PRAGMA temp_store=MEMORY;",
			 writer_cache_kib());
		rc = sqlite3_exec(c->db, pragmas, NULL, NULL, &msg);
		if (rc != SQLITE_OK) {
			sigm_error_set(err, SIGM_EIO, "db_open", "db",
				       "la base de datos %s no es utilizable",
				       s->url);
			sigm_error_detail(err, "%s", msg ? msg : "");
			sqlite3_free(msg);
			goto fail;
		}
		ckpt_start(s, c);
		c->log_start = log_end(c->db);
	} else {
		/* temp_store=MEMORY: a temporary table (an IN (SELECT …), a
		 * UNION, a recursive WITH) kept in a temporary file has a page
		 * cache of its own, and with the bulk above that cache
		 * allocated ~2 MB and wrote ~490 page headers before its first
		 * row, then freed them: a person's audit trail (six IN lists)
		 * took 45 ms of CPU on a database of 224 audit rows.  In memory
		 * a temporary table takes only the pages it fills (the writer
		 * keeps its temporary tables in memory already). */
		sqlite3_exec(c->db, "PRAGMA query_only=1; PRAGMA temp_store=MEMORY;",
			     NULL, NULL, NULL);
	}
	*out = c;
	return 0;
fail:
	sqlite3_close(c->db);
	free(c);
	return err ? err->rc : SIGM_EIO;
}

static void sq_disconnect(struct store_conn *c)
{
	if (c->ck) {
		sqlite3_wal_hook(c->db, NULL, NULL);
		ckpt_stop(c->ck);
	}
	for (int i = 0; i < CACHE_N; i++) {
		sqlite3_finalize(c->cache[i].st);
		free(c->cache[i].sql_copy);
	}
	sqlite3_close(c->db);
	free(c);
}

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/*
 * "INSERT INTO t (...) VALUES (...) RETURNING id" of one row into a table
 * whose id is its rowid: SQLite runs RETURNING through a temporary table
 * opened, filled and read back per execution, about a tenth of the
 * statement's cost on the booth's inserts.  Such a statement is prepared
 * without the clause and answers with sqlite3_last_insert_rowid(), which
 * triggers do not disturb once they have finished.  Anything else
 * (upserts, INSERT ... SELECT, several rows) keeps its RETURNING.
 */
static size_t rowid_returning_len(sqlite3 *db, const char *sql)
{
	static const char tail[] = " RETURNING id";
	size_t n = strlen(sql), t = sizeof(tail) - 1;
	if (strncmp(sql, "INSERT INTO ", 12) || n <= t || strcmp(sql + n - t, tail) ||
	    strstr(sql, "ON CONFLICT") || strstr(sql, "SELECT") ||
	    strstr(sql, "), (") || !strstr(sql, " VALUES ("))
		return 0;
	char table[64];
	size_t k = strcspn(sql + 12, " (");
	if (k == 0 || k >= sizeof(table))
		return 0;
	memcpy(table, sql + 12, k);
	table[k] = 0;
	const char *type = NULL;
	int pk = 0;
	if (sqlite3_table_column_metadata(db, NULL, table, "id", &type, NULL, NULL,
					  &pk, NULL) != SQLITE_OK ||
	    !pk || !type || strcasecmp(type, "INTEGER"))
		return 0;
	return n - t;
}

static int prepare(struct store_conn *c, const char *sql, sqlite3_stmt **st,
		   bool *rowid_ret, struct sigm_error *err)
{
	/* Keyed by the text, not the pointer: SQL built in a reused buffer
	 * has the same address and different contents.  The hash spares a
	 * string comparison with each of the cached statements, which share
	 * their first words. */
	uint64_t h = sql_hash(sql);
	for (int i = 0; i < CACHE_N; i++)
		if (c->cache[i].st && c->cache[i].hash == h &&
		    !strcmp(c->cache[i].sql_copy, sql)) {
			*st = c->cache[i].st;
			*rowid_ret = c->cache[i].rowid_returning;
			return 0;
		}
	size_t plain = rowid_returning_len(c->db, sql);
	sqlite3_stmt *n = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, plain ? (int)plain : -1,
				    SQLITE_PREPARE_PERSISTENT, &n, NULL);
	if (rc != SQLITE_OK)
		return db_error(c->db, rc, err, "preparar");
	if (!n) { /* blanks or a comment: nothing to keep */
		*st = NULL;
		return 0;
	}
	int slot = -1;
	for (int i = 0; i < CACHE_N; i++)
		if (!c->cache[i].st) {
			slot = i;
			break;
		}
	if (slot < 0) {
		slot = c->next_evict;
		c->next_evict = (c->next_evict + 1) % CACHE_N;
		sqlite3_finalize(c->cache[slot].st);
		free(c->cache[slot].sql_copy);
	}
	c->cache[slot].sql_copy = strdup(sql);
	c->cache[slot].hash = h;
	c->cache[slot].st = n;
	c->cache[slot].rowid_returning = plain > 0;
	if (!c->cache[slot].sql_copy) {
		sqlite3_finalize(n);
		c->cache[slot].st = NULL;
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	}
	*st = n;
	*rowid_ret = plain > 0;
	return 0;
}

static int bind_all(sqlite3_stmt *st, const struct store_val *p, int n,
		    struct sigm_error *err)
{
	int count = sqlite3_bind_parameter_count(st);
	for (int i = 1; i <= count; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		int k = name && name[0] == '$' ? atoi(name + 1) : 0;
		if (k < 1 || k > n)
			return sigm_error_set(err, SIGM_EINVAL, "sql_param", NULL,
					      "parámetro SQL %s sin valor",
					      name ? name : "?");
		const struct store_val *v = &p[k - 1];
		int rc;
		switch (v->type) {
		case STORE_INT: rc = sqlite3_bind_int64(st, i, v->i); break;
		case STORE_REAL: rc = sqlite3_bind_double(st, i, v->d); break;
		case STORE_TEXT:
			rc = sqlite3_bind_text(st, i, v->s, -1, SQLITE_STATIC);
			break;
		default: rc = sqlite3_bind_null(st, i); break;
		}
		if (rc != SQLITE_OK)
			return sigm_error_set(err, SIGM_EIO, "sql_bind", NULL,
					      "no se pudo asignar %s", name);
	}
	return 0;
}

static int sq_exec(struct store_conn *c, const char *sql,
		   const struct store_val *p, int n, struct store_rows **rows,
		   int64_t *changes, struct sigm_error *err)
{
	sqlite3_stmt *st = NULL;
	struct store_rows *r = NULL;
	bool rowid_ret = false;
	int rc = prepare(c, sql, &st, &rowid_ret, err);
	if (rc)
		return rc;
	if (!st)
		return sigm_error_set(err, SIGM_EINVAL, "empty_sql", NULL,
				      "sentencia vacía");
	rc = bind_all(st, p, n, err);
	if (rc)
		goto out;
	int ncols = rowid_ret ? 1 : sqlite3_column_count(st);
	if (rows) {
		r = store_rows_new(ncols);
		if (!r) {
			rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
			goto out;
		}
		for (int i = 0; i < ncols; i++)
			store_rows_set_name(r, i, rowid_ret ? "id" : sqlite3_column_name(st, i));
	}
	for (;;) {
		int s = sqlite3_step(st);
		if (s == SQLITE_DONE)
			break;
		if (s != SQLITE_ROW) {
			rc = db_error(c->db, s, err, "ejecutar");
			goto out;
		}
		if (!r)
			continue;
		const char *vals[64];
		size_t lens[64];
		if (ncols > 64) {
			rc = sigm_error_set(err, SIGM_EINVAL, "sql_cols", NULL,
					    "demasiadas columnas");
			goto out;
		}
		for (int i = 0; i < ncols; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_NULL) {
				vals[i] = NULL;
				lens[i] = 0;
			} else {
				vals[i] = (const char *)sqlite3_column_text(st, i);
				lens[i] = (size_t)sqlite3_column_bytes(st, i);
			}
		}
		if (store_rows_add(r, vals, lens)) {
			rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
			goto out;
		}
	}
	if (rowid_ret && r && sqlite3_changes64(c->db) == 1) {
		char id[24];
		snprintf(id, sizeof(id), "%lld",
			 (long long)sqlite3_last_insert_rowid(c->db));
		const char *v[1] = {id};
		if (store_rows_add(r, v, NULL)) {
			rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
			goto out;
		}
	}
	if (changes)
		*changes = sqlite3_changes64(c->db);
	if (rows) {
		*rows = r;
		r = NULL;
	}
out:
	store_rows_free(&r);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int sq_exec_script(struct store_conn *c, const char *sql,
			  struct sigm_error *err)
{
	/* One statement (the writer's BEGIN, SAVEPOINT, RELEASE, COMMIT,
	 * several per inspection): prepared once and kept, instead of parsed
	 * on every call. */
	if (!strchr(sql, ';')) {
		sqlite3_stmt *st = NULL;
		bool rowid_ret; /* no rows are read here */
		int rc = prepare(c, sql, &st, &rowid_ret, err);
		if (rc)
			return rc;
		if (!st)
			return 0; /* blanks or a comment: nothing to run */
		rc = sqlite3_step(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
			rc = db_error(c->db, rc, err, "script");
			sqlite3_reset(st);
			return rc;
		}
		sqlite3_reset(st);
		return 0;
	}
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		db_error(c->db, rc, err, "script");
		if (msg && err)
			sigm_error_detail(err, "%s", msg);
		sqlite3_free(msg);
		return err ? err->rc : SIGM_EIO;
	}
	return 0;
}

static const char *sq_ddl(const char *token, char *buf, size_t cap)
{
	if (!strcmp(token, "ID"))
		return "INTEGER PRIMARY KEY AUTOINCREMENT";
	if (!strcmp(token, "TEXT_BYTES"))
		return "TEXT";
	if (!strncmp(token, "FOLD ", 5))
		return persons_fold_sql(token + 5, 0, buf, cap);
	if (!strncmp(token, "UPPER_ASCII ", 12)) {
		/* SQLite's upper() changes ASCII letters alone (no ICU) */
		int w = snprintf(buf, cap, "upper(%s)", token + 12);
		return w < 0 || (size_t)w >= cap ? NULL : buf;
	}
	if (!strcmp(token, "BLOB"))
		return "BLOB";
	if (!strcmp(token, "FUNCTIONS"))
		return ""; /* group_concat is built in */
	if (!strncmp(token, "NOTIFY ", 7))
		return ""; /* the change log below does it */
	if (!strcmp(token, "PRESENCE_BY_ROWID"))
		return "CREATE TABLE presence_new (\n"
		       "  person_id INTEGER PRIMARY KEY REFERENCES persons(id),\n"
		       "  inside INTEGER NOT NULL,\n"
		       "  since TEXT NOT NULL,\n"
		       "  port TEXT,\n"
		       "  permitted_until TEXT,\n"
		       "  movement_id BIGINT NOT NULL);\n"
		       "INSERT INTO presence_new (person_id, inside, since, port, permitted_until, movement_id)"
		       " SELECT person_id, inside, since, port, permitted_until, movement_id FROM presence"
		       " ORDER BY person_id;\n"
		       "DROP TABLE presence;\n"
		       "ALTER TABLE presence_new RENAME TO presence;\n"
		       "CREATE INDEX presence_overstay ON presence(inside, permitted_until);\n";
	if (!strcmp(token, "CHANGE_LOG_TABLE"))
		return "CREATE TABLE watchlist_changes (\n"
		       "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
		       "  tbl TEXT NOT NULL,\n"
		       "  row_id INTEGER NOT NULL);\n";
	if (!strncmp(token, "CHANGE_LOG ", 11)) {
		/* "CHANGE_LOG table": every committed change of a row is
		 * logged as (table, id) for sq_listen's poller. */
		char t[40];
		if (sscanf(token + 11, "%39s", t) != 1)
			return NULL;
		int n = snprintf(buf, cap,
				 "CREATE TRIGGER %s_log_ins AFTER INSERT ON %s BEGIN"
				 " INSERT INTO watchlist_changes (tbl, row_id) VALUES ('%s', NEW.id); END;\n"
				 "CREATE TRIGGER %s_log_upd AFTER UPDATE ON %s BEGIN"
				 " INSERT INTO watchlist_changes (tbl, row_id) VALUES ('%s', NEW.id); END;\n"
				 "CREATE TRIGGER %s_log_del AFTER DELETE ON %s BEGIN"
				 " INSERT INTO watchlist_changes (tbl, row_id) VALUES ('%s', OLD.id); END;\n",
				 t, t, t, t, t, t, t, t, t);
		return n > 0 && (size_t)n < cap ? buf : NULL;
	}
	if (!strcmp(token, "PARTITION_MOVEMENTS"))
		return ""; /* one file; the rollup keeps reports fast */
	if (!strcmp(token, "ROLLUP_TRIGGER"))
		return "CREATE TRIGGER movements_rollup AFTER INSERT ON movements\n"
		       "BEGIN\n"
		       "  INSERT INTO movement_stats_monthly (month, port, direction, decision, n)\n"
		       "  VALUES (substr(NEW.day, 1, 7), NEW.port, NEW.direction, NEW.decision, 1)\n"
		       "  ON CONFLICT (month, port, direction, decision) DO UPDATE SET n = n + 1;\n"
		       "END;\n";
	if (!strcmp(token, "ROLLUP_VOID_TRIGGER"))
		/* a compensating entry takes its movement out of the month it
		 * was counted in (was counted as one more, "void") */
		return "DROP TRIGGER movements_rollup;\n"
		       "CREATE TRIGGER movements_rollup AFTER INSERT ON movements\n"
		       "WHEN NEW.corrects_movement_id IS NULL\n"
		       "BEGIN\n"
		       "  INSERT INTO movement_stats_monthly (month, port, direction, decision, n)\n"
		       "  VALUES (substr(NEW.day, 1, 7), NEW.port, NEW.direction, NEW.decision, 1)\n"
		       "  ON CONFLICT (month, port, direction, decision) DO UPDATE SET n = n + 1;\n"
		       "END;\n"
		       "CREATE TRIGGER movements_rollup_void AFTER INSERT ON movements\n"
		       "WHEN NEW.corrects_movement_id IS NOT NULL\n"
		       "BEGIN\n"
		       "  UPDATE movement_stats_monthly SET n = n - 1 WHERE (month, port, direction, decision) ="
		       " (SELECT substr(o.day, 1, 7), o.port, o.direction, o.decision FROM movements o WHERE o.id = NEW.corrects_movement_id);\n"
		       "END;\n";
	if (!strncmp(token, "APPEND_ONLY ", 12)) {
		/* "APPEND_ONLY table prefix": UPDATE and DELETE refused.
		 * (SQLite has no TRUNCATE; DELETE covers it.) */
		char table[40], prefix[40];
		if (sscanf(token + 12, "%39s %39s", table, prefix) != 2)
			return NULL;
		int n = snprintf(buf, cap,
				 "CREATE TRIGGER %s_no_update BEFORE UPDATE ON %s\n"
				 "  BEGIN SELECT RAISE(ABORT, '%s is append-only'); END;\n"
				 "CREATE TRIGGER %s_no_delete BEFORE DELETE ON %s\n"
				 "  BEGIN SELECT RAISE(ABORT, '%s is append-only'); END;\n",
				 prefix, table, table, prefix, table, table);
		return n > 0 && (size_t)n < cap ? buf : NULL;
	}
	return NULL;
}

static int sq_backup(struct store_conn *c, const char *path,
		     struct sigm_error *err)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open(path, &dst);
	if (rc != SQLITE_OK) {
		sqlite3_close(dst);
		return sigm_error_set(err, SIGM_EIO, "backup_open", "file",
				      "no se puede crear %s", path);
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
	if (!b) {
		rc = db_error(dst, sqlite3_errcode(dst), err, "copia");
		sqlite3_close(dst);
		return rc;
	}
	/* All pages in one step: a reader connection sees one snapshot, so the
	 * copy is consistent while the writer keeps committing. */
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		db_error(dst, rc, err, "copia");
		sqlite3_close(dst);
		return err ? err->rc : SIGM_EIO;
	}
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE;", NULL, NULL, NULL);
	sqlite3_close(dst);
	return rc == SQLITE_OK ? 0 : sigm_error_set(err, SIGM_EIO, "backup", "file",
						    "copia incompleta en %s", path);
}

/* ---- change feed ---- */

/*
 * store_listen on SQLite: several processes may share one database file
 * (two `sigm serve` on one machine), and each keeps the screening lists in
 * memory.  A thread with its own read-only connection polls the change log
 * (migration 15) every LISTEN_POLL_MS and hands each new entry to fn as
 * "table:id", the payload PostgreSQL's NOTIFY carries.  It starts from the
 * log's end as it was when the store opened (the writer's connection read
 * it), so a change made while the caller loaded its lists is not missed.
 * The process's own changes come back too: re-reading a row is harmless.
 */
#define LISTEN_POLL_MS 200

struct store_listener {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	sqlite3 *db;
	char channel[64];
	store_notify_fn fn;
	void *arg;
	int64_t last;
};

/* The last id the change log has given, even when pruning has deleted
 * that entry (AUTOINCREMENT keeps it in sqlite_sequence). */
static int64_t log_end(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	/* before migration 15 the table is missing: start from 0 */
	if (sqlite3_prepare_v2(db, "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'watchlist_changes'),"
				   " (SELECT MAX(id) FROM watchlist_changes), 0)",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Pruning the change log, on the writer's connection between group
 * commits: without it the log grows by a row for every change of a
 * screening list, forever (an import of a million lost passports is a
 * million rows).  Every change_log_keep_s / 8 the writer notes the log's
 * end; an entry is deleted once a note at or after it is change_log_keep_s
 * old, so every listener polling every LISTEN_POLL_MS has long read it.
 * A listener that has not (a process stopped for longer) notices the gap
 * and reloads (log_missed).
 */
#define CHANGE_LOG_KEEP_S 600

static void sq_maintain(struct store *s, struct store_conn *c)
{
	uint64_t now = store_now_us();
	if (now < c->next_mark_us)
		return;
	uint64_t keep = (uint64_t)(s->opts.change_log_keep_s > 0
					   ? s->opts.change_log_keep_s
					   : CHANGE_LOG_KEEP_S) * 1000000u;
	c->next_mark_us = now + keep / 8;
	if (c->nmarks == (int)(sizeof(c->marks) / sizeof(c->marks[0]))) {
		memmove(c->marks, c->marks + 1, sizeof(c->marks) - sizeof(c->marks[0]));
		c->nmarks--;
	}
	c->marks[c->nmarks].at_us = now;
	c->marks[c->nmarks++].end = log_end(c->db);
	int cut = -1; /* the newest note old enough */
	for (int i = 0; i < c->nmarks && c->marks[i].at_us + keep <= now; i++)
		cut = i;
	if (cut < 0)
		return;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, "DELETE FROM watchlist_changes WHERE id <= ?1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, c->marks[cut].end);
		if (sqlite3_step(st) == SQLITE_DONE) {
			memmove(c->marks, c->marks + cut + 1,
				(size_t)(c->nmarks - cut - 1) * sizeof(c->marks[0]));
			c->nmarks -= cut + 1;
		}
	}
	sqlite3_finalize(st);
}

/* Whether entries after l->last were pruned before l read them; if so,
 * moves l->last to the gap's end. */
static bool log_missed(struct store_listener *l)
{
	sqlite3_stmt *st = NULL;
	bool missed = false;
	if (sqlite3_prepare_v2(l->db, "SELECT (SELECT MIN(id) FROM watchlist_changes),"
				      " (SELECT seq FROM sqlite_sequence WHERE name = 'watchlist_changes')",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return false;
	}
	if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
		int64_t first = sqlite3_column_int64(st, 0);
		if (first > l->last + 1) {
			missed = true;
			l->last = first - 1;
		}
	} else if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
		   sqlite3_column_int64(st, 1) > l->last) {
		missed = true; /* all pruned, some never read */
		l->last = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return missed;
}

static void poll_once(struct store_listener *l)
{
	sqlite3_stmt *st = NULL;
	if (log_missed(l))
		l->fn(l->arg, l->channel, NULL);
	if (sqlite3_prepare_v2(l->db, "SELECT id, tbl, row_id FROM watchlist_changes WHERE id > ?1 ORDER BY id LIMIT 1000",
			       -1, &st, NULL) != SQLITE_OK)
		return; /* not migrated yet, or busy: next time */
	sqlite3_bind_int64(st, 1, l->last);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char payload[96];
		snprintf(payload, sizeof(payload), "%s:%lld",
			 (const char *)sqlite3_column_text(st, 1),
			 (long long)sqlite3_column_int64(st, 2));
		l->last = sqlite3_column_int64(st, 0);
		l->fn(l->arg, l->channel, payload);
	}
	sqlite3_finalize(st);
}

static void *listen_main(void *arg)
{
	struct store_listener *l = arg;
	pthread_mutex_lock(&l->mu);
	while (!l->stop) {
		pthread_mutex_unlock(&l->mu);
		poll_once(l);
		pthread_mutex_lock(&l->mu);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += LISTEN_POLL_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		while (!l->stop &&
		       pthread_cond_timedwait(&l->cv, &l->mu, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

static int sq_listen(struct store *s, const char *channel, store_notify_fn fn,
		     void *arg, struct store_listener **out,
		     struct sigm_error *err)
{
	struct store_listener *l = calloc(1, sizeof(*l));
	if (!l)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	if (sqlite3_open_v2(s->url, &l->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		sigm_error_set(err, SIGM_EIO, "db_open", "db",
			       "no se puede abrir la base de datos %s", s->url);
		goto fail;
	}
	sqlite3_busy_timeout(l->db, 1000);
	snprintf(l->channel, sizeof(l->channel), "%s", channel);
	l->fn = fn;
	l->arg = arg;
	l->last = s->wconn ? s->wconn->log_start : log_end(l->db);
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->cv, NULL);
	if (pthread_create(&l->th, NULL, listen_main, l)) {
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->cv);
		sigm_error_set(err, SIGM_EIO, "thread", NULL,
			       "no se pudo iniciar el hilo de cambios");
		goto fail;
	}
	*out = l;
	return 0;
fail:
	sqlite3_close(l->db);
	free(l);
	return err ? err->rc : SIGM_EIO;
}

static void sq_unlisten(struct store_listener *l)
{
	pthread_mutex_lock(&l->mu);
	l->stop = 1;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->th, NULL);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->cv);
	sqlite3_close(l->db);
	free(l);
}

const struct store_engine_ops store_sqlite_ops = {
	.name = "sqlite",
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.exec_script = sq_exec_script,
	.ddl = sq_ddl,
	.backup = sq_backup,
	.begin_sql = "BEGIN IMMEDIATE",
	.read_begin_sql = "BEGIN",
	.listen = sq_listen,
	.unlisten = sq_unlisten,
	.maintain = sq_maintain,
};
