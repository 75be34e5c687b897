/*
 * pg.c - the PostgreSQL engine behind store.h (libpq).
 *
 * Same shape as sqlite.c: one read-write connection owned by the writer
 * thread, read-only connections for the reader pool, prepared statements
 * cached per connection keyed by the SQL text.  Parameters and results
 * travel in text format: the portable "$1" SQL of the modules is sent as is
 * and the server infers each parameter's type from its context (which is
 * why modules write CAST($2 AS TEXT) IS NULL where there is none).
 *
 * Guarantees kept from SQLite:
 *  - one writer at a time, across every node: the writer's BEGIN also takes
 *    a transaction-scoped advisory lock, so write transactions of several
 *    `sigm serve` nodes on one database serialize exactly like SQLite's
 *    BEGIN IMMEDIATE (no lost update between nodes, audit chain intact);
 *  - durability: synchronous_commit=on, so COMMIT returns after the WAL
 *    flush and an acknowledged write survives a crash;
 *  - booleans come back as "1"/"0" like SQLite's integers.
 *
 * A lost connection: a reader reconnects and retries its statement once
 * (reads are idempotent); the writer never replays — the statements of a
 * broken transaction fail with SIGM_EBUSY (503, Retry-After) until the next
 * BEGIN, which reconnects.  A write is only acknowledged after its COMMIT
 * succeeded, so a dropped connection can fail a write, never lose one.
 */
#include "store/store_int.h"
#include "store/persons.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CACHE_N 96
#define MAX_PARAMS 64
#define BOOLOID 16

/* Key of the advisory lock that serializes writers across nodes ("SIGM"). */
#define WRITER_LOCK "1397311309"

struct cached {
	char *sql;
	char name[24];
	int nparams;
};

struct store_conn {
	PGconn *pg;
	char *url;
	int writer;
	int lost; /* connection dropped; reconnect at next BEGIN (writer) */
	unsigned next_name;
	int next_evict;
	struct cached cache[CACHE_N];
};

static void cache_clear(struct store_conn *c)
{
	for (int i = 0; i < CACHE_N; i++) {
		free(c->cache[i].sql);
		c->cache[i].sql = NULL;
	}
	c->next_evict = 0;
}

static int is_conn_state(const char *state)
{
	/* 08: connection exception; 57P01-03: server shutting down/starting */
	return state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
			 !strcmp(state, "57P02") || !strcmp(state, "57P03"));
}

/* Maps a failed result (or a NULL one) to SIGM_E* and fills err. */
static int pg_error(struct store_conn *c, PGresult *res, struct sigm_error *err,
		    const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!msg || !*msg)
		msg = PQerrorMessage(c->pg);
	if (PQstatus(c->pg) == CONNECTION_BAD || is_conn_state(state)) {
		c->lost = 1;
		sigm_error_set(err, SIGM_EBUSY, "db_unavailable", NULL,
			       "la base de datos no está disponible (%s)", what);
		sigm_error_detail(err, "%s", msg);
		sigm_error_hint(err, "reintente en unos segundos");
		return SIGM_EBUSY;
	}
	int rc = SIGM_EIO;
	const char *code = "storage_error";
	if (state && !strncmp(state, "23", 2)) {
		rc = SIGM_ECONFLICT;
		code = "constraint";
	} else if (state && !strcmp(state, "P0001")) {
		/* RAISE EXCEPTION from our triggers (append-only tables):
		 * SQLite reports its RAISE(ABORT) as a constraint too. */
		rc = SIGM_ECONFLICT;
		code = "constraint";
	} else if (state && (!strcmp(state, "42P18") || !strcmp(state, "42P02"))) {
		/* a parameter the SQL names but the caller did not give */
		rc = SIGM_EINVAL;
		code = "sql_param";
	} else if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
			     !strcmp(state, "55P03") || !strcmp(state, "57014") ||
			     !strncmp(state, "53", 2))) {
		rc = SIGM_EBUSY;
		code = "busy";
	}
	sigm_error_set(err, rc, code, NULL, "error de almacenamiento (%s)", what);
	sigm_error_detail(err, "%s%s%s", state ? state : "", state ? ": " : "", msg);
	return rc;
}

/* Server notices ("relation already exists, skipping") are not errors and
 * must not reach stderr, which carries the server's JSON log. */
static void no_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int open_conn(struct store_conn *c, struct sigm_error *err)
{
	c->pg = PQconnectdb(c->url);
	if (!c->pg)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	if (PQstatus(c->pg) != CONNECTION_OK) {
		sigm_error_set(err, SIGM_EIO, "db_connect", "db",
			       "no se puede conectar con PostgreSQL");
		sigm_error_detail(err, "%s", PQerrorMessage(c->pg));
		sigm_error_hint(err, "revise la URL postgresql://usuario@servidor:puerto/base (SIGM_DB o --db) y que el servidor esté en marcha");
		goto fail;
	}
	PQsetNoticeProcessor(c->pg, no_notices, NULL);
	/* UTC timestamps, UTF-8 text, durable commits whatever the server's
	 * default; readers are read-only like SQLite's query_only. */
	PGresult *res = PQexec(c->pg,
			       c->writer ? "SET TimeZone = 'UTC'; SET client_encoding = 'UTF8';"
					   " SET synchronous_commit = on;"
					   /* A node that hangs holding the writer lock
					    * must not stop the others for ever: its
					    * transaction is killed after 30 s idle, and
					    * the others give up waiting after 10 s
					    * (503, Retry-After) — unless the URL's
					    * options=-c… or the role set them. */
					   " SELECT set_config('lock_timeout', '10s', false)"
					   "  WHERE current_setting('lock_timeout') = '0';"
					   " SELECT set_config('idle_in_transaction_session_timeout', '30s', false)"
					   "  WHERE current_setting('idle_in_transaction_session_timeout') = '0'"
					 : "SET TimeZone = 'UTC'; SET client_encoding = 'UTF8';"
					   " SET default_transaction_read_only = on");
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_error(c, res, err, "configurar la sesión");
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	c->lost = 0;
	return 0;
fail:
	PQfinish(c->pg);
	c->pg = NULL;
	return err ? err->rc : SIGM_EIO;
}

static int reconnect(struct store_conn *c, struct sigm_error *err)
{
	cache_clear(c);
	PQfinish(c->pg);
	c->pg = NULL;
	int rc = open_conn(c, err);
	if (rc && err) {
		/* A server that went away mid-run is a temporary condition for
		 * the client: 503 with Retry-After, not 500. */
		err->rc = SIGM_EBUSY;
		snprintf(err->code, sizeof(err->code), "db_unavailable");
		rc = SIGM_EBUSY;
	} else if (rc) {
		rc = SIGM_EBUSY;
	}
	return rc;
}

static int pg_connect(struct store *s, int writer, struct store_conn **out,
		      struct sigm_error *err)
{
	struct store_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	c->writer = writer;
	c->url = strdup(s->url);
	if (!c->url) {
		free(c);
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	}
	int rc = open_conn(c, err);
	if (rc) {
		free(c->url);
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void pg_disconnect(struct store_conn *c)
{
	cache_clear(c);
	PQfinish(c->pg);
	free(c->url);
	free(c);
}

static int prepare(struct store_conn *c, const char *sql, struct cached **out,
		   struct sigm_error *err)
{
	for (int i = 0; i < CACHE_N; i++)
		if (c->cache[i].sql && !strcmp(c->cache[i].sql, sql)) {
			*out = &c->cache[i];
			return 0;
		}
	int slot = -1;
	for (int i = 0; i < CACHE_N; i++)
		if (!c->cache[i].sql) {
			slot = i;
			break;
		}
	if (slot < 0) {
		slot = c->next_evict;
		c->next_evict = (c->next_evict + 1) % CACHE_N;
		char dealloc[48];
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s",
			 c->cache[slot].name);
		PQclear(PQexec(c->pg, dealloc));
		free(c->cache[slot].sql);
		c->cache[slot].sql = NULL;
	}
	struct cached *k = &c->cache[slot];
	snprintf(k->name, sizeof(k->name), "s%u", c->next_name++);
	PGresult *res = PQprepare(c->pg, k->name, sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int rc = pg_error(c, res, err, "preparar");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	/* SQLite ignores values no placeholder names; the server refuses
	 * them, so remember how many the statement takes. */
	res = PQdescribePrepared(c->pg, k->name);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		int rc = pg_error(c, res, err, "preparar");
		PQclear(res);
		return rc;
	}
	k->nparams = PQnparams(res);
	PQclear(res);
	k->sql = strdup(sql);
	if (!k->sql)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	*out = k;
	return 0;
}

static int rows_from(PGresult *res, struct store_rows **rows,
		     struct sigm_error *err)
{
	int ncols = PQnfields(res), nrows = PQntuples(res);
	if (ncols > MAX_PARAMS)
		return sigm_error_set(err, SIGM_EINVAL, "sql_cols", NULL,
				      "demasiadas columnas");
	struct store_rows *r = store_rows_new(ncols);
	if (!r)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	for (int i = 0; i < ncols; i++)
		if (store_rows_set_name(r, i, PQfname(res, i)))
			goto nomem;
	for (int row = 0; row < nrows; row++) {
		const char *vals[MAX_PARAMS];
		size_t lens[MAX_PARAMS];
		for (int i = 0; i < ncols; i++) {
			if (PQgetisnull(res, row, i)) {
				vals[i] = NULL;
				lens[i] = 0;
				continue;
			}
			vals[i] = PQgetvalue(res, row, i);
			lens[i] = (size_t)PQgetlength(res, row, i);
			if (PQftype(res, i) == BOOLOID) {
				/* SQLite has no booleans: comparisons are 1/0
				 * and callers read them with store_rows_int. */
				vals[i] = vals[i][0] == 't' ? "1" : "0";
				lens[i] = 1;
			}
		}
		if (store_rows_add(r, vals, lens))
			goto nomem;
	}
	*rows = r;
	return 0;
nomem:
	store_rows_free(&r);
	return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
}

static int exec_once(struct store_conn *c, const char *sql,
		     const struct store_val *p, int n, struct store_rows **rows,
		     int64_t *changes, struct sigm_error *err)
{
	struct cached *k = NULL;
	int rc = prepare(c, sql, &k, err);
	if (rc)
		return rc;
	if (k->nparams > n || k->nparams > MAX_PARAMS)
		return sigm_error_set(err, SIGM_EINVAL, "sql_param", NULL,
				      "parámetro SQL $%d sin valor", n + 1);
	const char *vals[MAX_PARAMS];
	char nums[MAX_PARAMS][32];
	for (int i = 0; i < k->nparams; i++) {
		switch (p[i].type) {
		case STORE_INT:
			snprintf(nums[i], sizeof(nums[i]), "%lld", (long long)p[i].i);
			vals[i] = nums[i];
			break;
		case STORE_REAL:
			snprintf(nums[i], sizeof(nums[i]), "%.17g", p[i].d);
			vals[i] = nums[i];
			break;
		case STORE_TEXT: vals[i] = p[i].s; break;
		default: vals[i] = NULL; break;
		}
	}
	PGresult *res = PQexecPrepared(c->pg, k->name, k->nparams, vals, NULL,
				       NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		rc = pg_error(c, res, err, "ejecutar");
		goto out;
	}
	if (changes) {
		const char *t = PQcmdTuples(res);
		*changes = t && *t ? strtoll(t, NULL, 10) : 0;
	}
	if (rows)
		rc = rows_from(res, rows, err);
out:
	PQclear(res);
	return rc;
}

static int is_begin(const char *sql)
{
	return !strncmp(sql, "BEGIN", 5);
}

/* Before a statement: a dropped connection is reopened by a reader at once
 * and by the writer only when a new transaction begins — reopening in the
 * middle of one would run the rest of it outside any transaction. */
static int revive(struct store_conn *c, const char *sql, struct sigm_error *err)
{
	if (!c->lost && PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	if (c->writer && !is_begin(sql))
		return sigm_error_set(err, SIGM_EBUSY, "db_unavailable", NULL,
				      "se perdió la conexión con la base de datos");
	return reconnect(c, err);
}

static int pg_exec(struct store_conn *c, const char *sql,
		   const struct store_val *p, int n, struct store_rows **rows,
		   int64_t *changes, struct sigm_error *err)
{
	int rc = revive(c, sql, err);
	if (rc)
		return rc;
	rc = exec_once(c, sql, p, n, rows, changes, err);
	if (rc == SIGM_EBUSY && c->lost && !c->writer) {
		/* Reads are idempotent: one retry on a fresh connection. */
		if (reconnect(c, err) == 0)
			rc = exec_once(c, sql, p, n, rows, changes, err);
	}
	return rc;
}

static int pg_exec_script(struct store_conn *c, const char *sql,
			  struct sigm_error *err)
{
	int rc = revive(c, sql, err);
	if (rc)
		return rc;
	PGresult *res = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		rc = pg_error(c, res, err, "script");
		PQclear(res);
		/* A server restarted while we were idle is only noticed now;
		 * nothing has run in this transaction yet, so begin again on a
		 * fresh connection. */
		if (rc != SIGM_EBUSY || !c->lost || !is_begin(sql) ||
		    reconnect(c, err) != 0)
			return rc;
		res = PQexec(c->pg, sql);
		st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			rc = pg_error(c, res, err, "script");
			PQclear(res);
			return rc;
		}
		rc = 0;
	}
	/* COMMIT of a transaction that had failed "succeeds" as ROLLBACK:
	 * that must not be reported as a commit. */
	if (!strcmp(sql, "COMMIT") && !strcmp(PQcmdStatus(res), "ROLLBACK")) {
		PQclear(res);
		return sigm_error_set(err, SIGM_EIO, "rolled_back", NULL,
				      "la transacción se revirtió");
	}
	PQclear(res);
	return 0;
}

/*
 * The ledger partitioned by month.  The table of migration 3 is replaced by
 * one partitioned on day (ISO text: its ranges are month ranges in any
 * collation) with the same columns, secondary indexes and append-only
 * triggers; the rows are copied and the identity continues.  A partitioned table needs the key in
 * every unique constraint, so the primary key is (id, day) and the
 * self-reference corrects_movement_id loses its foreign key (the correction
 * code reads the corrected movement first).  Monthly partitions are created
 * ahead by sigm_movement_partitions() — here for the months that have rows
 * and at every start-up for the next twelve (pg_after_open); a DEFAULT
 * partition takes anything else, so an insert never fails for want of one.
 */
#define PARTITION_MOVEMENTS                                                    \
	"ALTER TABLE movements RENAME TO movements_v3;\n"                      \
	"DROP TRIGGER movements_no_update ON movements_v3;\n"                  \
	"DROP TRIGGER movements_no_delete ON movements_v3;\n"                  \
	"DROP TRIGGER movements_no_truncate ON movements_v3;\n"                \
	/* LIKE: every column, in order, with defaults, NOT NULL, CHECKs and   \
	 * the identity — including columns a later-merged migration may have  \
	 * added before this one. */                                           \
	"CREATE TABLE movements (LIKE movements_v3 INCLUDING DEFAULTS"          \
	" INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING GENERATED)"        \
	" PARTITION BY RANGE (day);\n"                                         \
	"ALTER TABLE movements ADD CONSTRAINT movements_id_day_pkey"           \
	" PRIMARY KEY (id, day);\n"                                            \
	"ALTER TABLE movements ADD CONSTRAINT movements_person_fk"             \
	" FOREIGN KEY (person_id) REFERENCES persons(id);\n"                   \
	"ALTER TABLE movements ADD CONSTRAINT movements_document_fk"           \
	" FOREIGN KEY (document_id) REFERENCES documents(id);\n"               \
	"CREATE TABLE movements_default PARTITION OF movements DEFAULT;\n"     \
	"CREATE FUNCTION sigm_movement_partitions(first_month text, months int)" \
	" RETURNS int LANGUAGE plpgsql AS $$\n"                                \
	"DECLARE m date := to_date(first_month || '-01', 'YYYY-MM-DD');"       \
	" made int := 0; name text;\n"                                         \
	"BEGIN\n"                                                              \
	" FOR i IN 1..months LOOP\n"                                           \
	"  name := 'movements_' || to_char(m, 'YYYYMM');\n"                    \
	"  IF to_regclass(name) IS NULL THEN\n"                                \
	"   BEGIN\n"                                                           \
	"    EXECUTE format('CREATE TABLE %I PARTITION OF movements"           \
	" FOR VALUES FROM (%L) TO (%L)', name, to_char(m, 'YYYY-MM-DD'),"      \
	" to_char(m + interval '1 month', 'YYYY-MM-DD'));\n"                   \
	"    made := made + 1;\n"                                              \
	"   EXCEPTION WHEN check_violation THEN\n"                             \
	"    NULL; /* rows of that month already in DEFAULT: leave them */\n"  \
	"   END;\n"                                                            \
	"  END IF;\n"                                                          \
	"  m := m + interval '1 month';\n"                                     \
	" END LOOP;\n"                                                         \
	" RETURN made;\n"                                                      \
	"END $$;\n"                                                            \
	"SELECT sigm_movement_partitions(COALESCE(MIN(substr(day, 1, 7)),"     \
	" to_char(now(), 'YYYY-MM')), 1 + COALESCE((SELECT"                    \
	" (EXTRACT(YEAR FROM age(now(), to_date(MIN(day), 'YYYY-MM-DD'))) * 12" \
	" + EXTRACT(MONTH FROM age(now(), to_date(MIN(day), 'YYYY-MM-DD'))))::int" \
	" FROM movements_v3), 0) + 12) FROM movements_v3;\n"                   \
	"INSERT INTO movements OVERRIDING SYSTEM VALUE SELECT * FROM movements_v3;\n" \
	"SELECT setval(pg_get_serial_sequence('movements', 'id'),"             \
	" COALESCE((SELECT MAX(id) FROM movements_v3), 0) + 1, false);\n"      \
	/* Every secondary index of the old table, under its own name. */      \
	"DO $$ DECLARE r record; BEGIN\n"                                      \
	" FOR r IN SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS def" \
	"  FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid"            \
	"  WHERE x.indrelid = 'movements_v3'::regclass AND NOT x.indisprimary LOOP\n" \
	"  EXECUTE format('ALTER INDEX %I RENAME TO %I', r.name, r.name || '_v3');\n" \
	"  EXECUTE regexp_replace(r.def, ' ON (\\S+\\.)?movements_v3 ', ' ON \\1movements ');\n" \
	" END LOOP;\n"                                                         \
	"END $$;\n"                                                            \
	"DROP TABLE movements_v3;\n"                                           \
	"CREATE INDEX movements_id ON movements(id);\n"                        \
	"CREATE TRIGGER movements_rollup AFTER INSERT ON movements"             \
	" FOR EACH ROW EXECUTE FUNCTION sigm_movements_rollup();\n"            \
	"CREATE TRIGGER movements_no_update BEFORE UPDATE ON movements"          \
	" FOR EACH ROW EXECUTE FUNCTION sigm_append_only();\n"                 \
	"CREATE TRIGGER movements_no_delete BEFORE DELETE ON movements"          \
	" FOR EACH ROW EXECUTE FUNCTION sigm_append_only();\n"                 \
	"CREATE TRIGGER movements_no_truncate BEFORE TRUNCATE ON movements"      \
	" FOR EACH STATEMENT EXECUTE FUNCTION sigm_append_only();\n"

/* Engine spellings for migration tokens; see schema.c. */
static const char *pg_ddl(const char *token, char *buf, size_t cap)
{
	if (!strcmp(token, "ID"))
		return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	if (!strcmp(token, "TEXT_BYTES"))
		return "TEXT COLLATE \"C\"";
	if (!strncmp(token, "FOLD ", 5))
		return persons_fold_sql(token + 5, 1, buf, cap);
	if (!strncmp(token, "UPPER_ASCII ", 12)) {
		/* the "C" collation upper-cases ASCII letters alone, as
		 * SQLite's upper() does: «é» stays «é» on both engines */
		int w = snprintf(buf, cap, "upper(%s COLLATE \"C\")", token + 12);
		return w < 0 || (size_t)w >= cap ? NULL : buf;
	}
	if (!strcmp(token, "BLOB"))
		return "BYTEA";
	if (!strcmp(token, "PRESENCE_BY_ROWID"))
		return ""; /* its BIGINT PRIMARY KEY is the table's key already */
	if (!strcmp(token, "FUNCTIONS"))
		/* group_concat as SQLite has it (string_agg is not in the
		 * SQLite we build on), and the append-only trigger body. */
		return "CREATE OR REPLACE FUNCTION sigm_concat_step(acc text, v text, sep text)"
		       " RETURNS text LANGUAGE sql IMMUTABLE AS $$"
		       " SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v"
		       " ELSE acc || sep || v END $$;\n"
		       "CREATE AGGREGATE group_concat(text, text)"
		       " (SFUNC = sigm_concat_step, STYPE = text);\n"
		       "CREATE OR REPLACE FUNCTION sigm_append_only() RETURNS trigger"
		       " LANGUAGE plpgsql AS $$ BEGIN"
		       " RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;"
		       " END $$;\n";
	if (!strcmp(token, "ROLLUP_TRIGGER"))
		return "CREATE FUNCTION sigm_movements_rollup() RETURNS trigger"
		       " LANGUAGE plpgsql AS $$ BEGIN"
		       " INSERT INTO movement_stats_monthly (month, port, direction, decision, n)"
		       " VALUES (substr(NEW.day, 1, 7), NEW.port, NEW.direction, NEW.decision, 1)"
		       " ON CONFLICT (month, port, direction, decision) DO UPDATE"
		       " SET n = movement_stats_monthly.n + 1;"
		       " RETURN NULL; END $$;\n";
	if (!strcmp(token, "ROLLUP_VOID_TRIGGER"))
		/* a compensating entry takes its movement out of the month it
		 * was counted in (was counted as one more, "void") */
		return "CREATE OR REPLACE FUNCTION sigm_movements_rollup() RETURNS trigger"
		       " LANGUAGE plpgsql AS $$ BEGIN"
		       " IF NEW.corrects_movement_id IS NOT NULL THEN"
		       "  UPDATE movement_stats_monthly s SET n = s.n - 1 FROM movements o"
		       "  WHERE o.id = NEW.corrects_movement_id AND s.month = substr(o.day, 1, 7)"
		       "  AND s.port = o.port AND s.direction = o.direction AND s.decision = o.decision;"
		       "  RETURN NULL;"
		       " END IF;"
		       " INSERT INTO movement_stats_monthly (month, port, direction, decision, n)"
		       " VALUES (substr(NEW.day, 1, 7), NEW.port, NEW.direction, NEW.decision, 1)"
		       " ON CONFLICT (month, port, direction, decision) DO UPDATE"
		       " SET n = movement_stats_monthly.n + 1;"
		       " RETURN NULL; END $$;\n";
	if (!strcmp(token, "PARTITION_MOVEMENTS"))
		return PARTITION_MOVEMENTS;
	if (!strncmp(token, "CHANGE_LOG", 10))
		return ""; /* NOTIFY tells the other nodes (migration 9) */
	if (!strncmp(token, "NOTIFY ", 7)) {
		/* "NOTIFY table": every committed change of a row sends
		 * "table:id" on STORE_CHANNEL_WATCHLIST (store_listen). */
		char table[40];
		if (sscanf(token + 7, "%39s", table) != 1)
			return NULL;
		int n = snprintf(buf, cap,
				 "CREATE OR REPLACE FUNCTION sigm_notify_watchlist() RETURNS trigger"
				 " LANGUAGE plpgsql AS $$ BEGIN"
				 " IF TG_OP = 'DELETE' THEN"
				 "  PERFORM pg_notify('" STORE_CHANNEL_WATCHLIST "', TG_TABLE_NAME || ':' || OLD.id);"
				 " ELSE"
				 "  PERFORM pg_notify('" STORE_CHANNEL_WATCHLIST "', TG_TABLE_NAME || ':' || NEW.id);"
				 " END IF; RETURN NULL; END $$;\n"
				 "CREATE TRIGGER %s_notify AFTER INSERT OR UPDATE OR DELETE ON %s"
				 " FOR EACH ROW EXECUTE FUNCTION sigm_notify_watchlist();\n",
				 table, table);
		return n > 0 && (size_t)n < cap ? buf : NULL;
	}
	if (!strncmp(token, "APPEND_ONLY ", 12)) {
		/* "APPEND_ONLY table prefix" */
		char table[40], prefix[40];
		if (sscanf(token + 12, "%39s %39s", table, prefix) != 2)
			return NULL;
		int n = snprintf(buf, cap,
				 "CREATE TRIGGER %s_no_update BEFORE UPDATE ON %s"
				 " FOR EACH ROW EXECUTE FUNCTION sigm_append_only();\n"
				 "CREATE TRIGGER %s_no_delete BEFORE DELETE ON %s"
				 " FOR EACH ROW EXECUTE FUNCTION sigm_append_only();\n"
				 "CREATE TRIGGER %s_no_truncate BEFORE TRUNCATE ON %s"
				 " FOR EACH STATEMENT EXECUTE FUNCTION sigm_append_only();\n",
				 prefix, table, prefix, table, prefix, table);
		return n > 0 && (size_t)n < cap ? buf : NULL;
	}
	return NULL;
}

static int pg_backup(struct store_conn *c, const char *path,
		     struct sigm_error *err)
{
	(void)c;
	(void)path;
	sigm_error_set(err, SIGM_EUNSUP, "unsupported", NULL,
		       "la copia en línea de sigm es solo para SQLite");
	sigm_error_hint(err, "en PostgreSQL use pg_dump -Fc o pg_basebackup (docs/operations.md)");
	return SIGM_EUNSUP;
}

/* ---- LISTEN / NOTIFY ---- */

struct store_listener {
	char *url;
	char *channel;
	store_notify_fn fn;
	void *arg;
	pthread_t thread;
	int pipe_fd[2]; /* written to stop the thread */
};

static PGconn *listen_connect(struct store_listener *l)
{
	PGconn *pg = PQconnectdb(l->url);
	if (PQstatus(pg) != CONNECTION_OK) {
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeProcessor(pg, no_notices, NULL);
	char *ch = PQescapeIdentifier(pg, l->channel, strlen(l->channel));
	char sql[160];
	snprintf(sql, sizeof(sql), "LISTEN %s", ch ? ch : "sigm");
	PQfreemem(ch);
	PGresult *res = PQexec(pg, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok) {
		PQfinish(pg);
		return NULL;
	}
	return pg;
}

static void *listen_main(void *arg)
{
	struct store_listener *l = arg;
	PGconn *pg = NULL;
	for (;;) {
		if (!pg) {
			pg = listen_connect(l);
			if (pg) {
				/* Notifications sent while we were not
				 * listening are lost: tell the subscriber to
				 * reload everything. */
				l->fn(l->arg, l->channel, NULL);
			}
		}
		struct pollfd fds[2] = {{.fd = l->pipe_fd[0], .events = POLLIN},
					{.fd = pg ? PQsocket(pg) : -1,
					 .events = POLLIN}};
		int r = poll(fds, 2, pg ? 5000 : 1000);
		if (r > 0 && (fds[0].revents & POLLIN))
			break;
		if (!pg)
			continue;
		if (r > 0 && fds[1].revents) {
			if (!PQconsumeInput(pg)) {
				PQfinish(pg);
				pg = NULL;
				continue;
			}
			PGnotify *nt;
			while ((nt = PQnotifies(pg)) != NULL) {
				l->fn(l->arg, nt->relname, nt->extra);
				PQfreemem(nt);
			}
		} else if (r == 0) {
			/* Idle: make sure the server is still there. */
			PGresult *res = PQexec(pg, "SELECT 1");
			int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
			PQclear(res);
			PGnotify *nt;
			while (ok && (nt = PQnotifies(pg)) != NULL) {
				l->fn(l->arg, nt->relname, nt->extra);
				PQfreemem(nt);
			}
			if (!ok) {
				PQfinish(pg);
				pg = NULL;
			}
		}
	}
	PQfinish(pg);
	return NULL;
}

static int pg_listen(struct store *s, const char *channel, store_notify_fn fn,
		     void *arg, struct store_listener **out,
		     struct sigm_error *err)
{
	struct store_listener *l = calloc(1, sizeof(*l));
	if (!l)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	l->pipe_fd[0] = l->pipe_fd[1] = -1;
	l->fn = fn;
	l->arg = arg;
	l->url = strdup(s->url);
	l->channel = strdup(channel);
	if (!l->url || !l->channel || pipe(l->pipe_fd) != 0) {
		sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
		goto fail;
	}
	/* Fail at start-up, not silently later, if LISTEN cannot work. */
	PGconn *probe = listen_connect(l);
	if (!probe) {
		sigm_error_set(err, SIGM_EIO, "db_listen", NULL,
			       "no se pudo escuchar el canal %s", channel);
		goto fail;
	}
	PQfinish(probe);
	if (pthread_create(&l->thread, NULL, listen_main, l) != 0) {
		sigm_error_set(err, SIGM_EIO, "thread", NULL,
			       "no se pudo iniciar el hilo de avisos");
		goto fail;
	}
	*out = l;
	return 0;
fail:
	if (l->pipe_fd[0] >= 0) {
		close(l->pipe_fd[0]);
		close(l->pipe_fd[1]);
	}
	free(l->url);
	free(l->channel);
	free(l);
	return err ? err->rc : SIGM_EIO;
}

static void pg_unlisten(struct store_listener *l)
{
	ssize_t w = write(l->pipe_fd[1], "x", 1);
	(void)w;
	pthread_join(l->thread, NULL);
	close(l->pipe_fd[0]);
	close(l->pipe_fd[1]);
	free(l->url);
	free(l->channel);
	free(l);
}

const struct store_engine_ops store_pg_ops = {
	.name = "postgresql",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.exec_script = pg_exec_script,
	.ddl = pg_ddl,
	.backup = pg_backup,
	.listen = pg_listen,
	.unlisten = pg_unlisten,
	/* The advisory lock makes this node's writer the only one in the
	 * cluster until COMMIT: the same single-writer rule as SQLite. */
	.begin_sql = "BEGIN; SELECT pg_advisory_xact_lock(" WRITER_LOCK ")",
	/* Next twelve months of ledger partitions, at every start-up (PL/pgSQL
	 * so that a database not yet migrated to 10 is left alone, and a hot
	 * standby — read-only commands such as `sigm audit verify` — too). */
	.after_open_sql = "DO $$ BEGIN"
			  " IF to_regproc('sigm_movement_partitions') IS NOT NULL"
			  "    AND NOT pg_is_in_recovery() THEN"
			  "  PERFORM sigm_movement_partitions(to_char(now(), 'YYYY-MM'), 13);"
			  " END IF; END $$",
};
