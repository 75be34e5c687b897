/*
 * test_store.c - the storage interface on SQLite: the conformance suite
 * every engine passes (store_cases.h: reads and writes, group commit from
 * many threads, savepoint isolation between writes of one batch,
 * migrations and refusing a newer schema, the audit chain detecting edits,
 * deletions and truncation, portable values), plus what only SQLite has:
 * online backup and a full disk.  test_store_pg.c runs the same suite on
 * PostgreSQL.
 */
#include "harness.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void path_of(const char *name, char *buf, size_t cap)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/sigm-test-store-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(buf, cap, "%s/%s.db", dir, name);
}

static void db_url(const char *name, char *buf, size_t cap)
{
	path_of(name, buf, cap);
}

static void key_path(const char *name, char *buf, size_t cap)
{
	char p[400];
	path_of(name, p, sizeof(p));
	snprintf(buf, cap, "%s.auditkey", p);
}

static int fresh_db(const char *name)
{
	char p[400], k[420];
	path_of(name, p, sizeof(p));
	key_path(name, k, sizeof(k));
	unlink(p);
	unlink(k);
	return 0;
}

/* Opens the db file behind the server's back, as an intruder would. */
static int raw_sql(const char *name, const char *sql)
{
	char p[400];
	path_of(name, p, sizeof(p));
	sqlite3 *db;
	if (sqlite3_open(p, &db) != SQLITE_OK)
		return -1;
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static const char *const DROP_AUDIT_TRIGGERS =
	"DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;";

#include "store_cases.h"

static void t_bad_urls(void)
{
	struct sigm_error err;
	struct store *s = NULL;
	T_EQ_INT(store_open(&s, "", NULL, &err), SIGM_EINVAL);
	T_ASSERT(store_open(&s, "/nonexistent-dir/x/y.db", NULL, &err) != 0);
	T_EQ_STR(err.code, "db_open");
}

static void t_backup_is_usable(void)
{
	struct store *s = open_db("e");
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(store_write(s, ins_fn, "kept", &err), 0);
	char dst[300];
	path_of("e-copy", dst, sizeof(dst));
	unlink(dst);
	T_EQ_INT(store_backup(s, dst, &err), 0);
	store_close(&s);
	struct store_opts o = {.no_migrate = true};
	T_EQ_INT(store_open(&s, dst, &o, &err), 0);
	int64_t n = 0;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key = 'kept'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 1);
	store_close(&s);
}

static int limit_pages(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d", *(int *)arg);
	int rc = store_tx_query(tx, sql, NULL, 0, &r, err);
	store_rows_free(&r);
	return rc;
}

static int big_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	(void)arg;
	return store_tx_exec(tx, "INSERT INTO meta (key, value) SELECT 'big' || value, zeroblob(200000) FROM (SELECT 1 AS value UNION SELECT 2 UNION SELECT 3)",
			     NULL, 0, NULL, err);
}

/* Fault injection: the disk fills up (SQLite's page limit stands in for a
 * full file system).  The failed write is reported as such, nothing half
 * written remains, and the store keeps working once space is back. */
static void t_disk_full_is_reported_and_survived(void)
{
	struct store *s = open_db("full");
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(store_write(s, ins_fn, "before", &err), 0);
	int pages = 40;
	T_EQ_INT(store_write(s, limit_pages, &pages, &err), 0);
	int rc = store_write(s, big_fn, NULL, &err);
	T_EQ_INT(rc, SIGM_EIO);
	T_EQ_STR(err.code, "disk_full");
	int64_t n = -1;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'big%'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 0);
	pages = 1000000;
	T_EQ_INT(store_write(s, limit_pages, &pages, &err), 0);
	T_EQ_INT(store_write(s, ins_fn, "after", &err), 0);
	rc = store_write(s, big_fn, NULL, &err);
	if (rc)
		fprintf(stderr, "%s: %s\n", err.message, err.detail);
	T_EQ_INT(rc, 0);
	store_close(&s);
}

static int blob_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct store_val p[] = {sv_text(arg)};
	return store_tx_exec(tx, "INSERT INTO meta (key, value) VALUES ($1, zeroblob(200000))",
			     p, 1, NULL, err);
}

/* Checkpoints run off the writer (sqlite.c's checkpointer) and the WAL
 * stays bounded: 600 commits of 200 kB each (~120 MB of WAL frames) leave
 * a WAL under 64 MB, and the data whole. */
static void t_wal_is_checkpointed(void)
{
	struct store *s = open_db("wal");
	struct sigm_error err;
	T_ASSERT(s);
	for (int i = 0; i < 600; i++) {
		char k[16];
		snprintf(k, sizeof(k), "w%d", i);
		T_EQ_INT(store_write(s, blob_fn, k, &err), 0);
	}
	char wal[300];
	snprintf(wal, sizeof(wal), "%s/wal.db-wal", dir);
	struct stat st;
	T_EQ_INT(stat(wal, &st), 0);
	T_ASSERT(st.st_size < 64 * 1024 * 1024);
	int64_t n = -1;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'w%'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 600);
	store_close(&s);
}

/* Two processes on one file (two `sigm serve` on one machine): a change
 * to a screening list written through A reaches B's listener within a
 * second, only once committed. */
static void t_listen_hears_other_connections(void)
{
	struct store *a = open_db("ln");
	struct store *b = NULL;
	struct sigm_error err;
	T_ASSERT(a);
	T_EQ_INT(store_write(a, add_alert, NULL, &err), 0); /* before: not heard */
	T_EQ_INT(open_named("ln", NULL, NULL, &b, &err), 0);
	struct notes n = {.mu = PTHREAD_MUTEX_INITIALIZER};
	T_EQ_INT(store_listen(b, STORE_CHANNEL_WATCHLIST, on_note, &n, &err), 0);
	uint64_t t0 = store_now_us();
	T_EQ_INT(store_write(a, add_alert, NULL, &err), 0);
	T_EQ_INT(wait_count(&n, 1, 1000), 1);
	T_ASSERT(store_now_us() - t0 < 1000000);
	T_EQ_STR(n.last, "alerts:2");
	/* a rolled-back write announces nothing */
	T_EQ_INT(store_write(a, alert_then_fail, NULL, &err), SIGM_EINVAL);
	usleep(500000);
	T_EQ_INT(n.count, 1);
	T_EQ_INT(n.reloads, 0);
	store_close(&b);
	store_close(&a);
}

/* The change log is pruned by the writer (sqlite.c, sq_maintain): with
 * entries kept 1 s, writes over 2.5 s leave only the recent entries, and
 * a listener polling all along hears every change and is never told to
 * reload. */
static void t_change_log_pruned(void)
{
	struct store_opts o = {.change_log_keep_s = 1};
	struct store *a = NULL, *b = NULL;
	struct sigm_error err;
	T_EQ_INT(fresh_db("prune"), 0);
	T_EQ_INT(open_named("prune", NULL, &o, &a, &err), 0);
	T_EQ_INT(open_named("prune", NULL, NULL, &b, &err), 0);
	struct notes n = {.mu = PTHREAD_MUTEX_INITIALIZER};
	T_EQ_INT(store_listen(b, STORE_CHANNEL_WATCHLIST, on_note, &n, &err), 0);
	for (int i = 0; i < 20; i++) {
		T_EQ_INT(store_write(a, add_alert, NULL, &err), 0);
		usleep(125000);
	}
	T_EQ_INT(wait_count(&n, 20, 2000), 20);
	T_EQ_STR(n.last, "alerts:20");
	T_EQ_INT(n.reloads, 0);
	int64_t kept = -1, first = -1;
	T_EQ_INT(store_query_int(a, "SELECT COUNT(*) FROM watchlist_changes", NULL, 0, &kept, &err), 0);
	T_EQ_INT(store_query_int(a, "SELECT MIN(id) FROM watchlist_changes", NULL, 0, &first, &err), 0);
	T_ASSERT(kept > 0 && kept < 20); /* the oldest went, the newest stay */
	T_EQ_INT(first, 20 - kept + 1);
	store_close(&b);
	store_close(&a);
}

/* Entries pruned before a listener read them (its process was stopped
 * longer than they are kept): it is told to reload everything, once, and
 * then hears the next change as usual. */
static int alert_unlogged(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	int rc = add_alert(tx, arg, err);
	return rc ? rc : store_tx_exec(tx, "DELETE FROM watchlist_changes", NULL, 0, NULL, err);
}

static void t_change_log_gap_reloads(void)
{
	struct store *a = open_db("gap");
	struct store *b = NULL;
	struct sigm_error err;
	T_ASSERT(a);
	T_EQ_INT(open_named("gap", NULL, NULL, &b, &err), 0);
	struct notes n = {.mu = PTHREAD_MUTEX_INITIALIZER};
	T_EQ_INT(store_listen(b, STORE_CHANNEL_WATCHLIST, on_note, &n, &err), 0);
	T_EQ_INT(store_write(a, alert_unlogged, NULL, &err), 0); /* log emptied */
	usleep(600000);
	pthread_mutex_lock(&n.mu);
	T_EQ_INT(n.reloads, 1);
	T_EQ_INT(n.count, 0);
	pthread_mutex_unlock(&n.mu);
	T_EQ_INT(store_write(a, alert_unlogged, NULL, &err), 0); /* and again */
	T_EQ_INT(store_write(a, add_alert, NULL, &err), 0);
	T_EQ_INT(wait_count(&n, 1, 1000), 1);
	T_EQ_STR(n.last, "alerts:3");
	T_EQ_INT(n.reloads, 2);
	usleep(500000); /* nothing more */
	T_EQ_INT(n.reloads, 2);
	T_EQ_INT(n.count, 1);
	store_close(&b);
	store_close(&a);
}

/* A trigger that inserts elsewhere does not change the id that
 * INSERT ... RETURNING id answers (SQLite's answer comes from
 * sqlite3_last_insert_rowid, which a finished trigger restores). */
static int trig_setup(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	(void)arg;
	return store_tx_exec(tx, "CREATE TABLE trig_main (id INTEGER PRIMARY KEY, v TEXT)", NULL, 0, NULL, err) ||
	       store_tx_exec(tx, "CREATE TABLE trig_side (id INTEGER PRIMARY KEY, v TEXT)", NULL, 0, NULL, err) ||
	       store_tx_exec(tx, "INSERT INTO trig_side (id, v) VALUES (1000, 'seed')", NULL, 0, NULL, err) ||
	       store_tx_exec(tx, "CREATE TRIGGER trig_copy AFTER INSERT ON trig_main BEGIN"
				 " INSERT INTO trig_side (v) VALUES (NEW.v); INSERT INTO trig_side (v) VALUES (NEW.v); END",
			     NULL, 0, NULL, err);
}

static int trig_insert(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	return store_tx_query_int(tx, "INSERT INTO trig_main (v) VALUES ('x') RETURNING id", NULL, 0, arg, err);
}

static void t_returning_id_with_trigger(void)
{
	struct store *s = open_db("trig");
	struct sigm_error err;
	int64_t a = 0, b = 0, side = 0;
	T_EQ_INT(store_write(s, trig_setup, NULL, &err), 0);
	T_EQ_INT(store_write(s, trig_insert, &a, &err), 0);
	T_EQ_INT(store_write(s, trig_insert, &b, &err), 0);
	T_EQ_INT(a, 1);
	T_EQ_INT(b, 2);
	T_EQ_INT(store_query_int(s, "SELECT max(id) FROM trig_side", NULL, 0, &side, &err), 0);
	T_EQ_INT(side, 1004);
	store_close(&s);
}

/* On SQLite a pinned reader is one snapshot: a commit made meanwhile
 * shows after store_read_end, not before. */
static void t_read_pin_is_a_snapshot(void)
{
	struct store *s = open_db("snap");
	struct sigm_error err;
	int64_t n = -1;
	store_read_begin(s);
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM meta WHERE key = 'snap'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 0);
	T_EQ_INT(store_write(s, ins_fn, "snap", &err), 0);
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM meta WHERE key = 'snap'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 0);
	store_read_end(s);
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM meta WHERE key = 'snap'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 1);
	store_close(&s);
}

static const struct t_case cases[] = {
	T(t_wal_is_checkpointed),
	STORE_CONFORMANCE_CASES,
	T(t_disk_full_is_reported_and_survived),
	T(t_bad_urls),
	T(t_backup_is_usable),
	T(t_listen_hears_other_connections),
	T(t_change_log_pruned),
	T(t_change_log_gap_reloads),
	T(t_returning_id_with_trigger),
	T(t_read_pin_is_a_snapshot),
	{0},
};
T_MAIN(cases)
