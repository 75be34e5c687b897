/*
 * store_cases.h - the storage conformance suite: cases every engine behind
 * store.h must pass, included by test_store.c (SQLite) and test_store_pg.c
 * (PostgreSQL).  The including file provides, before the #include:
 *
 *   static int fresh_db(const char *name);        empty database NAME (0 ok)
 *   static void db_url(const char *name, char *buf, size_t cap);
 *   static void key_path(const char *name, char *buf, size_t cap);
 *   static int raw_sql(const char *name, const char *sql);
 *        SQL behind the store's back, as an intruder would (0 = accepted)
 *   static const char *const DROP_AUDIT_TRIGGERS;  SQL that removes them
 */
#ifndef SIGM_TEST_STORE_CASES_H
#define SIGM_TEST_STORE_CASES_H

#include "store/audit.h"
#include "store/persons.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens database NAME with its audit key (key_override: another key). */
static int open_named(const char *name, const char *key_override,
		      const struct store_opts *o, struct store **s,
		      struct sigm_error *err)
{
	char url[512], key[512];
	db_url(name, url, sizeof(url));
	key_path(name, key, sizeof(key));
	setenv("SIGM_AUDIT_KEY_FILE", key_override ? key_override : key, 1);
	int rc = store_open(s, url, o, err);
	unsetenv("SIGM_AUDIT_KEY_FILE");
	return rc;
}

static struct store *open_db(const char *name)
{
	struct sigm_error err;
	struct store *s = NULL;
	if (fresh_db(name) != 0) {
		fprintf(stderr, "fresh_db %s failed\n", name);
		return NULL;
	}
	if (open_named(name, NULL, NULL, &s, &err) != 0) {
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
	struct store *s = open_db("a");
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
	struct store *s = open_db("b");
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
	struct store *s = open_db("c");
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

static void t_rows_accessors_are_safe(void)
{
	T_ASSERT(store_rows_text(NULL, 0, 0) == NULL);
	T_EQ_INT(store_rows_count(NULL), 0);
	struct store *s = open_db("f");
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


static void t_newer_schema_is_refused(void)
{
	struct sigm_error err;
	struct store *s = open_db("d");
	T_ASSERT(s);
	store_close(&s);
	T_EQ_INT(raw_sql("d", "INSERT INTO schema_migrations VALUES (999, 'future', 'x')"), 0);
	T_EQ_INT(open_named("d", NULL, NULL, &s, &err), SIGM_EUNSUP);
	T_EQ_STR(err.code, "schema_too_new");
	T_ASSERT(strstr(err.message, "999") != NULL);
	T_ASSERT(s == NULL);
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
		snprintf(name, sizeof(name), "audit%d", c);
		struct store *s = open_db(name);
		T_ASSERT(s);
		T_EQ_INT(audit_n(s, 10), 0);
		T_EQ_INT(audit_verify(s, &v, &err), 0);
		T_EQ_INT(v.ok, 1);
		T_EQ_INT(v.checked, 10);
		store_close(&s);
		/* The triggers stop plain UPDATE/DELETE... */
		T_ASSERT(raw_sql(name, cases[c]) != 0);
		/* ...an intruder who drops them is caught by the chain. */
		T_EQ_INT(raw_sql(name, DROP_AUDIT_TRIGGERS), 0);
		T_EQ_INT(raw_sql(name, cases[c]), 0);
		T_EQ_INT(open_named(name, NULL, NULL, &s, &err), 0);
		T_EQ_INT(audit_verify(s, &v, &err), 0);
		T_EQ_INT(v.ok, 0);
		T_EQ_INT(v.first_broken, expect_broken[c]);
		T_ASSERT(v.reason[0] != 0);
		store_close(&s);
	}
}

static void t_append_only_tables(void)
{
	struct store *s = open_db("ao");
	T_ASSERT(s);
	T_EQ_INT(audit_n(s, 2), 0);
	store_close(&s);
	T_ASSERT(raw_sql("ao", "UPDATE audit_log SET actor='x'") != 0);
	T_ASSERT(raw_sql("ao", "DELETE FROM audit_log") != 0);
}

static void t_audit_key_matters(void)
{
	/* With another key, an intact log does not verify: the chain is keyed. */
	struct store *s = open_db("key");
	struct audit_verify_result v;
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(audit_n(s, 3), 0);
	store_close(&s);
	char k[512];
	key_path("other", k, sizeof(k));
	FILE *f = fopen(k, "w");
	T_ASSERT(f);
	fputs("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", f);
	fclose(f);
	T_EQ_INT(open_named("key", k, NULL, &s, &err), 0);
	T_EQ_INT(audit_verify(s, &v, &err), 0);
	T_EQ_INT(v.ok, 0);
	T_EQ_INT(v.first_broken, 1);
	store_close(&s);
}

static int returning_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	int64_t *ids = arg;
	struct store_val p[] = {sv_text("ACME"), sv_int(1234), sv_text("ley"),
				sv_text("r"), sv_text("2026-01-01"),
				sv_text("2026-01-01T00:00:00Z"), sv_text("t")};
	for (int i = 0; i < 2; i++) {
		int rc = store_tx_query_int(tx,
			"INSERT INTO carrier_fines (carrier, amount_cents, legal_basis, reason,"
			" imposed_on, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
			" RETURNING id", p, SV_N(p), &ids[i], err);
		if (rc)
			return rc;
	}
	int64_t ch = -1;
	int rc = store_tx_exec(tx, "UPDATE carrier_fines SET status = 'paid' WHERE carrier = $1",
			       p, 1, &ch, err);
	ids[2] = ch;
	return rc;
}

/* Generated keys through RETURNING, row counts, booleans and sums read the
 * same on every engine. */
static void t_portable_values(void)
{
	struct store *s = open_db("pv");
	struct sigm_error err;
	T_ASSERT(s);
	int64_t ids[3] = {0, 0, 0};
	T_EQ_INT(store_write(s, returning_fn, ids, &err), 0);
	T_EQ_INT(ids[0], 1);
	T_EQ_INT(ids[1], 2);
	T_EQ_INT(ids[2], 2);
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_text("ACME"), sv_int(5), sv_real(2.5), sv_null()};
	/* more values than the SQL names: ignored, as SQLite does */
	T_EQ_INT(store_query(s, "SELECT COUNT(*) AS n, SUM(amount_cents) AS total,"
			     " MAX(amount_cents) > 1000 AS big, MIN(id) = 2 AS two,"
			     " CAST($2 AS INTEGER) + 1 AS six"
			     " FROM carrier_fines WHERE carrier = $1",
			     p, SV_N(p), &r, &err), 0);
	T_EQ_STR(store_rows_name(r, 1), "total");
	T_EQ_STR(store_rows_text(r, 0, 0), "2");
	T_EQ_STR(store_rows_text(r, 0, 1), "2468");
	T_EQ_STR(store_rows_text(r, 0, 2), "1");
	T_EQ_STR(store_rows_text(r, 0, 3), "0");
	T_EQ_INT(store_rows_int(r, 0, 4), 6);
	store_rows_free(&r);
	/* NULL parameters, text comparison byte by byte (ISO dates) */
	T_EQ_INT(store_query(s, "SELECT id FROM carrier_fines WHERE (CAST($1 AS TEXT) IS NULL OR carrier = $1)"
			     " AND imposed_on >= $2 ORDER BY id DESC",
			     (struct store_val[]){sv_null(), sv_text("2025-12-31")}, 2, &r, &err), 0);
	T_EQ_INT(store_rows_count(r), 2);
	T_EQ_INT(store_rows_int(r, 0, 0), 2);
	store_rows_free(&r);
	T_EQ_INT(store_query(s, "SELECT group_concat(carrier, ',') FROM (SELECT carrier FROM carrier_fines ORDER BY id) AS c",
			     NULL, 0, &r, &err), 0);
	T_EQ_STR(store_rows_text(r, 0, 0), "ACME,ACME");
	store_rows_free(&r);
	store_close(&s);
}

static int swallow_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	(void)arg;
	struct sigm_error ignored;
	/* A duplicate key this write chooses to ignore, then carries on:
	 * allowed on SQLite; on PostgreSQL the savepoint is aborted and the
	 * write must fail alone, without its neighbours. */
	struct store_val p[] = {sv_text("dup"), sv_text("v")};
	store_tx_exec(tx, "INSERT INTO meta (key, value) VALUES ($1, $2)", p, 2, NULL, &ignored);
	struct store_val q[] = {sv_text("after-dup"), sv_text("v")};
	store_tx_exec(tx, "INSERT INTO meta (key, value) VALUES ($1, $2)", q, 2, NULL, &ignored);
	return 0;
	(void)err;
}

static void t_ignored_error_never_commits_half(void)
{
	struct store *s = open_db("sw");
	struct sigm_error err;
	T_ASSERT(s);
	T_EQ_INT(store_write(s, ins_fn, "dup", &err), 0);
	int rc = store_write(s, swallow_fn, NULL, &err);
	T_EQ_INT(store_write(s, ins_fn, "neighbour", &err), 0);
	int64_t n = -1, a = -1;
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key = 'neighbour'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 1);
	T_EQ_INT(store_query_int(s, "SELECT COUNT(*) FROM meta WHERE key = 'after-dup'", NULL, 0, &a, &err), 0);
	/* either the write succeeded whole (SQLite) or failed whole */
	T_EQ_INT(a, rc == 0 ? 1 : 0);
	store_close(&s);
}

static void t_schema_version(void)
{
	struct store *s = open_db("ver");
	struct sigm_error err;
	int64_t v = 0;
	T_ASSERT(s);
	T_EQ_INT(store_schema_version(s, &v, &err), 0);
	T_EQ_INT(v, store_schema_latest());
	store_close(&s);
	/* reopening applies nothing twice */
	T_EQ_INT(open_named("ver", NULL, NULL, &s, &err), 0);
	store_close(&s);
}

/* Results of every size come back whole: many rows, long and empty
 * values, NULLs, the column names (the rows' storage grows as it fills). */
static void t_large_results(void)
{
	struct store *s = open_db("big");
	struct store_rows *r = NULL;
	struct sigm_error err;
	char ab[601];
	for (int i = 0; i < 600; i++)
		ab[i] = i % 2 ? 'b' : 'a';
	ab[600] = 0;
	struct store_val p[] = {sv_text(ab)};
	T_EQ_INT(store_query(s,
			     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
			     " SELECT i AS num, CASE WHEN i % 7 = 0 THEN NULL ELSE substr($1, 1, 2 * (i % 300)) END AS txt,"
			     " '' AS empty FROM n ORDER BY i",
			     p, 1, &r, &err), 0);
	T_EQ_INT(store_rows_count(r), 3000);
	T_EQ_STR(store_rows_name(r, 0), "num");
	T_EQ_STR(store_rows_name(r, 1), "txt");
	T_EQ_STR(store_rows_name(r, 2), "empty");
	int bad = 0;
	for (int i = 0; i < 3000; i++) {
		int v = i + 1;
		const char *t = store_rows_text(r, i, 1);
		if (store_rows_int(r, i, 0) != v || strcmp(store_rows_text(r, i, 2), ""))
			bad++;
		else if (v % 7 == 0 ? t != NULL : (!t || strlen(t) != (size_t)(2 * (v % 300))))
			bad++;
	}
	T_EQ_INT(bad, 0);
	store_rows_free(&r);
	store_close(&s);
}

/* INSERT ... RETURNING id answers the new row's id, one row per row
 * inserted, none when nothing was inserted. */
static int rowid_ret_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	int64_t *ids = arg;
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_text("ret")};
	int rc = store_tx_query(tx, "INSERT INTO test_ret (v) VALUES ($1) RETURNING id", p, 1, &r, err);
	if (rc)
		return rc;
	ids[0] = store_rows_count(r) == 1 && !strcmp(store_rows_name(r, 0), "id")
			 ? store_rows_int(r, 0, 0) : -1;
	store_rows_free(&r);
	rc = store_tx_query(tx, "INSERT INTO test_ret (v) VALUES ($1) RETURNING id", p, 1, &r, err);
	if (rc)
		return rc;
	ids[1] = store_rows_count(r) == 1 ? store_rows_int(r, 0, 0) : -1;
	store_rows_free(&r);
	/* nothing inserted: no row */
	rc = store_tx_query(tx, "INSERT INTO test_ret (id, v) VALUES ($1, 'x') ON CONFLICT DO NOTHING RETURNING id",
			    (struct store_val[]){sv_int(ids[0])}, 1, &r, err);
	if (rc)
		return rc;
	ids[2] = store_rows_count(r);
	store_rows_free(&r);
	/* several rows: each id */
	rc = store_tx_query(tx, "INSERT INTO test_ret (v) VALUES ('a'), ('b') RETURNING id", NULL, 0, &r, err);
	if (rc)
		return rc;
	ids[3] = store_rows_count(r) == 2 ? store_rows_int(r, 1, 0) - store_rows_int(r, 0, 0) : -1;
	store_rows_free(&r);
	return 0;
}

static int rowid_ret_setup(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	const struct store *s = arg;
	return store_tx_exec(tx, store_engine(s) == STORE_SQLITE
				     ? "CREATE TABLE test_ret (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"
				     : "CREATE TABLE test_ret (id BIGSERIAL PRIMARY KEY, v TEXT NOT NULL)",
			     NULL, 0, NULL, err);
}

static void t_insert_returning_id(void)
{
	struct store *s = open_db("ret");
	struct sigm_error err;
	int64_t ids[4] = {0};
	T_EQ_INT(store_write(s, rowid_ret_setup, s, &err), 0);
	T_EQ_INT(store_write(s, rowid_ret_fn, ids, &err), 0);
	T_ASSERT(ids[0] > 0);
	T_EQ_INT(ids[1], ids[0] + 1);
	T_EQ_INT(ids[2], 0);
	T_EQ_INT(ids[3], 1);
	int64_t v = 0;
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM test_ret WHERE id = $1 AND v = 'ret'",
				 (struct store_val[]){sv_int(ids[1])}, 1, &v, &err), 0);
	T_EQ_INT(v, 1);
	store_close(&s);
}

/* store_read_begin/end: queries between them work, nest, and after the
 * end the thread sees what was written meanwhile. */
static void t_read_pin(void)
{
	struct store *s = open_db("pin");
	struct sigm_error err;
	int64_t n = -1;
	store_read_begin(s);
	store_read_begin(s);
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM meta WHERE key = 'pinned'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 0);
	store_read_end(s);
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM meta WHERE key = 'pinned'", NULL, 0, &n, &err), 0);
	store_read_end(s);
	T_EQ_INT(store_write(s, ins_fn, "pinned", &err), 0);
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM meta WHERE key = 'pinned'", NULL, 0, &n, &err), 0);
	T_EQ_INT(n, 1);
	/* an unmatched end is harmless */
	store_read_end(s);
	T_EQ_INT(store_query_int(s, "SELECT count(*) FROM meta", NULL, 0, &n, &err), 0);
	store_close(&s);
}

/* Migration 22 folds the surnames already stored in SQL: the same key
 * persons_fold() gives the rows written after it, on both engines. */
static void t_surnames_fold_in_sql(void)
{
	struct store *s = open_db("fold");
	struct sigm_error err;
	static const char *const names[] = {
		"Ramírez Mejía", "RAMIREZ MEJIA", "Núñez-Ávila", "O'Connor Peña",
		"Gonçalves Conceição", "Müller", "Kovačević", "Łukasz Wałęsa",
		"de la Cruz", NULL};
	char expr[2048], sql[2300];
	T_ASSERT(persons_fold_sql("$1", store_engine(s) == STORE_PG, expr,
				  sizeof(expr)) != NULL);
	snprintf(sql, sizeof(sql), "SELECT %s", expr);
	for (int i = 0; names[i]; i++) {
		struct store_rows *r = NULL;
		char want[256];
		persons_fold(names[i], want, sizeof(want));
		T_EQ_INT(store_query(s, sql, (struct store_val[]){sv_text(names[i])}, 1, &r, &err), 0);
		T_EQ_STR(store_rows_text(r, 0, 0), want);
		store_rows_free(&r);
	}
	store_close(&s);
}

/* A read through a list: one entry naming the ids shown, found by each of
 * them and by no other, the same on every engine (audit.h). */
static void t_audit_list_reads(void)
{
	int64_t ids[] = {330, 33, 133, 33, 7};
	char *d = audit_list_detail("{\"surnames\":\"x,33,\\\"ids\\\":[1]\"}", ids, 5);
	T_EQ_STR(d, "{\"surnames\":\"x,33,\\\"ids\\\":[1]\",\"ids\":[7,33,133,330]}");
	char *none = audit_list_detail(NULL, ids, 0);
	T_EQ_STR(none, "{\"ids\":[]}");
	free(none);
	char *empty = audit_list_detail("{}", (int64_t[]){5}, 1);
	T_EQ_STR(empty, "{\"ids\":[5]}");
	free(empty);
	T_ASSERT(audit_list_detail("[1]", ids, 1) == NULL);
	struct store *s = open_db("alist");
	T_ASSERT(s);
	struct sigm_error err;
	struct audit_entry list = {"tester", "person.search", "person", NULL, NULL, d};
	struct audit_entry one = {"tester", "person.read", "person", "33", NULL, NULL};
	struct audit_entry other = {"tester", "alert.search", "alert", NULL, NULL, "{\"ids\":[33]}"};
	T_EQ_INT(audit_record(s, &list, &err), 0);
	T_EQ_INT(audit_record(s, &one, &err), 0);
	T_EQ_INT(audit_record(s, &other, &err), 0);
	free(d);
	static const struct {
		const char *id;
		int n;
	} want[] = {{"33", 2}, {"7", 1}, {"133", 1}, {"330", 1}, {"3", 0},
		    {"1", 0}, {"033", 0}, {"%", 0}, {"3_", 0}};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct audit_query q = {.record_type = "person", .record_id = want[i].id, .limit = 10};
		struct store_rows *r = NULL;
		T_EQ_INT(audit_search(s, &q, &r, &err), 0);
		if (store_rows_count(r) != want[i].n)
			fprintf(stderr, "  record_id %s\n", want[i].id);
		T_EQ_INT(store_rows_count(r), want[i].n);
		store_rows_free(&r);
	}
	/* the type still counts: alert 33 is the alert list's alone */
	struct audit_query q = {.record_type = "alert", .record_id = "33", .limit = 10};
	struct store_rows *r = NULL;
	T_EQ_INT(audit_search(s, &q, &r, &err), 0);
	T_EQ_INT(store_rows_count(r), 1);
	T_EQ_STR(store_rows_text(r, 0, 3), "alert.search");
	store_rows_free(&r);
	struct audit_verify_result v;
	T_EQ_INT(audit_verify(s, &v, &err), 0);
	T_EQ_INT(v.ok, 1);
	store_close(&s);
}

/* A page and one row more: 501 rows asked, 501 answered (not the default). */
static void t_audit_search_page_and_one(void)
{
	struct store *s = open_db("apage");
	T_ASSERT(s);
	T_EQ_INT(audit_n(s, AUDIT_PAGE_MAX + 20), 0);
	struct sigm_error err;
	struct store_rows *r = NULL;
	struct audit_query q = {.limit = AUDIT_PAGE_MAX + 1};
	T_EQ_INT(audit_search(s, &q, &r, &err), 0);
	T_EQ_INT(store_rows_count(r), AUDIT_PAGE_MAX + 1);
	store_rows_free(&r);
	q.limit = 100000; /* cut to the most a caller may ask */
	T_EQ_INT(audit_search(s, &q, &r, &err), 0);
	T_EQ_INT(store_rows_count(r), AUDIT_PAGE_MAX + 1);
	store_rows_free(&r);
	q.limit = 0;
	T_EQ_INT(audit_search(s, &q, &r, &err), 0);
	T_EQ_INT(store_rows_count(r), 50);
	store_rows_free(&r);
	store_close(&s);
}

#define STORE_CONFORMANCE_CASES                                              \
	T(t_write_then_read), T(t_group_commit_many_threads),                \
	T(t_failed_write_rolls_back_alone), T(t_newer_schema_is_refused),   \
	T(t_audit_chain_detects_tampering), T(t_append_only_tables),        \
	T(t_audit_key_matters), T(t_rows_accessors_are_safe),               \
	T(t_portable_values), T(t_ignored_error_never_commits_half),        \
	T(t_schema_version), T(t_large_results), T(t_insert_returning_id),  \
	T(t_read_pin), T(t_surnames_fold_in_sql), T(t_audit_list_reads),    \
	T(t_audit_search_page_and_one)

/* ---- change notices (store_listen), both engines ---- */

struct notes {
	pthread_mutex_t mu;
	int reloads;
	char last[64];
	int count;
};

static void on_note(void *arg, const char *channel, const char *payload)
{
	struct notes *n = arg;
	pthread_mutex_lock(&n->mu);
	if (!payload) {
		n->reloads++;
	} else {
		n->count++;
		snprintf(n->last, sizeof(n->last), "%s", payload);
	}
	(void)channel;
	pthread_mutex_unlock(&n->mu);
}

static int add_alert(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	(void)arg;
	struct store_val p[] = {sv_text("X1"), sv_text("2026-01-01T00:00:00Z")};
	return store_tx_exec(tx,
		"INSERT INTO alerts (category, issuing_unit, document_number, valid_from,"
		" instructions, created_at, created_by, updated_at)"
		" VALUES ('other', 'DGME', $1, '2026-01-01', 'retener', $2, 't', $2)",
		p, 2, NULL, err);
}

/* An alert written, then the write fails: rolled back, never announced. */
static int alert_then_fail(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	int rc = add_alert(tx, arg, err);
	if (rc)
		return rc;
	return sigm_error_set(err, SIGM_EINVAL, "nope", "x", "falla a propósito");
}

static int wait_count(struct notes *n, int want, int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		pthread_mutex_lock(&n->mu);
		int c = n->count;
		pthread_mutex_unlock(&n->mu);
		if (c >= want)
			return c;
		usleep(10000);
	}
	return n->count;
}

#endif
