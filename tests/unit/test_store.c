/*
 * test_store.c - the storage interface on SQLite: reads and writes, group
 * commit from many threads, savepoint isolation between writes of one
 * batch, migrations (and refusing a newer schema), backup, and the audit
 * chain detecting edits, deletions and truncation.
 */
#include "harness.h"
#include "store/audit.h"
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void fresh(char *path, size_t cap, const char *name)
{
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/sigm-test-store-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(path, cap, "%s/%s", dir, name);
	unlink(path);
	char k[300];
	snprintf(k, sizeof(k), "%s.auditkey", path);
	unlink(k);
}

static struct store *open_db(const char *name)
{
	char p[300];
	struct sigm_error err;
	struct store *s = NULL;
	fresh(p, sizeof(p), name);
	if (store_open(&s, p, NULL, &err) != 0) {
		fprintf(stderr, "store_open: %s %s\n", err.message, err.detail);
		return NULL;
	}
	return s;
}

static int ins_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct store_val p[] = {sv_text(arg), sv_text("v")};
	return store_tx_exec(tx, "INSERT INTO meta (key, value) VALUES ($1, $2)",
			     p, 2, NULL, err);
}

static void t_write_then_read(void)
{
	struct store *s = open_db("a.db");
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(store_write(s, ins_fn, "k1", &err), 0);
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_text("k1")};
	T_EQ_INT(store_query(s, "SELECT key, value FROM meta WHERE key = $1", p, 1, &r, &err), 0);
	T_EQ_INT(store_rows_count(r), 1);
	T_EQ_STR(store_rows_text(r, 0, 1), "v");
	T_EQ_STR(store_rows_name(r, 0), "key");
	store_rows_free(&r);
	/* a duplicate key is a conflict, reported, not a crash */
	T_EQ_INT(store_write(s, ins_fn, "k1", &err), SIGM_ECONFLICT);
	store_close(&s);
	T_ASSERT(s == NULL);
}

struct worker {
	struct store *s;
	int id, ok;
};

static void *writer_thread(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 50; i++) {
		char key[32];
		struct sigm_error err;
		snprintf(key, sizeof(key), "w%d-%d", w->id, i);
		if (store_write(w->s, ins_fn, key, &err) == 0)
			w->ok++;
	}
	return NULL;
}

static void t_group_commit_many_threads(void)
{
	struct store *s = open_db("b.db");
	T_ASSERT(s);
	pthread_t th[16];
	struct worker w[16];
	for (int i = 0; i < 16; i++) {
		w[i] = (struct worker){s, i, 0};
		pthread_create(&th[i], NULL, writer_thread, &w[i]);
	}
	for (int i = 0; i < 16; i++)
		pthread_join(th[i], NULL);
	int64_t n = 0;
	struct sigm_error err;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'w%'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 800);
	for (int i = 0; i < 16; i++)
		T_EQ_INT(w[i].ok, 50);
	struct store_stats st;
	store_get_stats(s, &st);
	T_EQ_INT(st.writes, 800);
	/* Concurrent writers share commits: fewer commits than writes. */
	T_ASSERT(st.batches < st.writes);
	T_ASSERT(st.batch_size_max > 1);
	store_close(&s);
}

static int fail_after_insert(struct store_tx *tx, void *arg,
			     struct sigm_error *err)
{
	int rc = ins_fn(tx, arg, err);
	if (rc)
		return rc;
	return sigm_error_set(err, SIGM_EINVAL, "nope", "x", "falla a propósito");
}

static void *failing_thread(void *arg)
{
	struct store *s = arg;
	struct sigm_error err;
	for (int i = 0; i < 50; i++) {
		char key[32];
		snprintf(key, sizeof(key), "bad-%d", i);
		store_write(s, fail_after_insert, key, &err);
	}
	return NULL;
}

static void t_failed_write_rolls_back_alone(void)
{
	struct store *s = open_db("c.db");
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(store_write(s, fail_after_insert, "x", &err), SIGM_EINVAL);
	T_EQ_STR(err.code, "nope");
	T_EQ_STR(err.field, "x");
	/* Failing and succeeding writes interleaved in the same batches:
	 * every failure is undone, every success kept. */
	pthread_t f, g;
	struct worker w = {s, 99, 0};
	pthread_create(&f, NULL, failing_thread, s);
	pthread_create(&g, NULL, writer_thread, &w);
	pthread_join(f, NULL);
	pthread_join(g, NULL);
	int64_t bad = -1, good = -1;
	store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'bad-%' OR key = 'x'", NULL, 0, &bad, &err);
	store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key LIKE 'w99-%'", NULL, 0, &good, &err);
	T_EQ_INT(bad, 0);
	T_EQ_INT(good, 50);
	store_close(&s);
}

static void t_newer_schema_is_refused(void)
{
	char p[300];
	struct sigm_error err;
	struct store *s = NULL;
	fresh(p, sizeof(p), "d.db");
	T_EQ_INT(store_open(&s, p, NULL, &err), 0);
	store_close(&s);
	sqlite3 *db;
	T_EQ_INT(sqlite3_open(p, &db), SQLITE_OK);
	T_EQ_INT(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'future', 'x')", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	T_EQ_INT(store_open(&s, p, NULL, &err), SIGM_EUNSUP);
	T_EQ_STR(err.code, "schema_too_new");
	T_ASSERT(s == NULL);
}

static void t_bad_urls(void)
{
	struct sigm_error err;
	struct store *s = NULL;
	T_EQ_INT(store_open(&s, "", NULL, &err), SIGM_EINVAL);
	T_ASSERT(store_open(&s, "/nonexistent-dir/x/y.db", NULL, &err) != 0);
	T_EQ_STR(err.code, "db_open");
}

static int audit_n(struct store *s, int n)
{
	for (int i = 0; i < n; i++) {
		char id[16];
		snprintf(id, sizeof(id), "%d", i);
		struct audit_entry e = {"tester", "thing.read", "thing", id,
					"127.0.0.1", "{\"i\":1}"};
		struct sigm_error err;
		if (audit_record(s, &e, &err))
			return -1;
	}
	return 0;
}

/* Opens the db file behind the server's back, as an intruder would. */
static void tamper(const char *name, const char *sql)
{
	char p[300];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	sqlite3 *db;
	sqlite3_open(p, &db);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "tamper: %s\n", msg);
	sqlite3_free(msg);
	sqlite3_close(db);
}

static void t_audit_chain_detects_tampering(void)
{
	struct audit_verify_result v;
	struct sigm_error err;
	const char *cases[] = {
		"UPDATE audit_log SET detail = '{\"i\":2}' WHERE seq = 5",
		"DELETE FROM audit_log WHERE seq = 5",
		"DELETE FROM audit_log WHERE seq >= 9",
		"UPDATE audit_log SET actor = 'otro' WHERE seq = 10",
	};
	const int64_t expect_broken[] = {5, 5, 9, 10};
	for (int c = 0; c < 4; c++) {
		char name[32];
		snprintf(name, sizeof(name), "audit%d.db", c);
		struct store *s = open_db(name);
		T_ASSERT(s);
		T_EQ_INT(audit_n(s, 10), 0);
		T_EQ_INT(audit_verify(s, &v, &err), 0);
		T_EQ_INT(v.ok, 1);
		T_EQ_INT(v.checked, 10);
		store_close(&s);
		/* The triggers stop plain UPDATE/DELETE... */
		tamper(name, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;");
		tamper(name, cases[c]);
		char p[300];
		snprintf(p, sizeof(p), "%s/%s", dir, name);
		T_EQ_INT(store_open(&s, p, NULL, &err), 0);
		T_EQ_INT(audit_verify(s, &v, &err), 0);
		T_EQ_INT(v.ok, 0);
		T_EQ_INT(v.first_broken, expect_broken[c]);
		T_ASSERT(v.reason[0] != 0);
		store_close(&s);
	}
}

static void t_audit_is_append_only(void)
{
	struct store *s = open_db("ao.db");
	T_ASSERT(s);
	T_EQ_INT(audit_n(s, 2), 0);
	store_close(&s);
	char p[300];
	snprintf(p, sizeof(p), "%s/ao.db", dir);
	sqlite3 *db;
	sqlite3_open(p, &db);
	T_ASSERT(sqlite3_exec(db, "UPDATE audit_log SET actor='x'", NULL, NULL, NULL) != SQLITE_OK);
	T_ASSERT(sqlite3_exec(db, "DELETE FROM audit_log", NULL, NULL, NULL) != SQLITE_OK);
	sqlite3_close(db);
}

static void t_audit_key_matters(void)
{
	/* With another key, an intact log does not verify: the chain is keyed. */
	struct store *s = open_db("key.db");
	struct audit_verify_result v;
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(audit_n(s, 3), 0);
	store_close(&s);
	char p[300], k[320];
	snprintf(p, sizeof(p), "%s/key.db", dir);
	snprintf(k, sizeof(k), "%s/other.key", dir);
	FILE *f = fopen(k, "w");
	fputs("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", f);
	fclose(f);
	setenv("SIGM_AUDIT_KEY_FILE", k, 1);
	T_EQ_INT(store_open(&s, p, NULL, &err), 0);
	unsetenv("SIGM_AUDIT_KEY_FILE");
	T_EQ_INT(audit_verify(s, &v, &err), 0);
	T_EQ_INT(v.ok, 0);
	T_EQ_INT(v.first_broken, 1);
	store_close(&s);
}

static void t_backup_is_usable(void)
{
	struct store *s = open_db("e.db");
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(store_write(s, ins_fn, "kept", &err), 0);
	char dst[300];
	fresh(dst, sizeof(dst), "e-copy.db");
	T_EQ_INT(store_backup(s, dst, &err), 0);
	store_close(&s);
	struct store_opts o = {.no_migrate = true};
	T_EQ_INT(store_open(&s, dst, &o, &err), 0);
	int64_t n = 0;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key = 'kept'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 1);
	store_close(&s);
}

static void t_rows_accessors_are_safe(void)
{
	T_ASSERT(store_rows_text(NULL, 0, 0) == NULL);
	T_EQ_INT(store_rows_count(NULL), 0);
	struct store *s = open_db("f.db");
	struct store_rows *r = NULL;
	struct sigm_error err;
	T_EQ_INT(store_query(s, "SELECT NULL, 42, 'x'", NULL, 0, &r, &err), 0);
	T_ASSERT(store_rows_isnull(r, 0, 0));
	T_EQ_INT(store_rows_int(r, 0, 1), 42);
	T_ASSERT(store_rows_text(r, 1, 0) == NULL);
	T_ASSERT(store_rows_text(r, 0, 3) == NULL);
	store_rows_free(&r);
	/* a parameter the SQL names but the caller did not give */
	T_EQ_INT(store_query(s, "SELECT $2", (struct store_val[]){sv_int(1)}, 1, &r, &err), SIGM_EINVAL);
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
	struct store *s = open_db("full.db");
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
	struct store *s = open_db("wal.db");
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

static const struct t_case cases[] = {
	T(t_wal_is_checkpointed),
	T(t_disk_full_is_reported_and_survived),
	T(t_write_then_read),
	T(t_group_commit_many_threads),
	T(t_failed_write_rolls_back_alone),
	T(t_newer_schema_is_refused),
	T(t_bad_urls),
	T(t_audit_chain_detects_tampering),
	T(t_audit_is_append_only),
	T(t_audit_key_matters),
	T(t_backup_is_usable),
	T(t_rows_accessors_are_safe),
	{0},
};
T_MAIN(cases)
