/* audit.c - the hash-chained audit log; see audit.h. */
#include "store/audit.h"
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static int read_key(const char *path, unsigned char key[32])
{
	char hex[80];
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(hex, 1, sizeof(hex) - 1, f);
	fclose(f);
	hex[n] = 0;
	size_t bin_len = 0;
	if (sodium_hex2bin(key, 32, hex, n, " \r\n", &bin_len, NULL) != 0 ||
	    bin_len != 32)
		return -2;
	return 0;
}

int store_audit_key_load(struct store *s, struct sigm_error *err)
{
	char path[4096];
	const char *env = getenv("SIGM_AUDIT_KEY_FILE");
	if (sodium_init() < 0)
		return sigm_error_set(err, SIGM_EIO, "crypto_init", NULL,
				      "no se pudo iniciar libsodium");
	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
	} else if (s->engine == STORE_PG) {
		/* The key must stay outside the database, and every node
		 * must hold the same one: no path can be derived from a URL. */
		sigm_error_set(err, SIGM_EINVAL, "audit_key_missing", "SIGM_AUDIT_KEY_FILE",
			       "con PostgreSQL hay que indicar la clave de auditoría en SIGM_AUDIT_KEY_FILE");
		sigm_error_hint(err, "un archivo con 64 dígitos hexadecimales, el mismo en todos los nodos; se crea si no existe");
		return SIGM_EINVAL;
	} else {
		snprintf(path, sizeof(path), "%s.auditkey", s->url);
	}
	int r = read_key(path, s->audit_key);
	if (r == 0)
		return 0;
	if (r == -2)
		return sigm_error_set(err, SIGM_EIO, "audit_key_invalid", NULL,
				      "la clave de auditoría %s no es válida",
				      path);
	if (errno != ENOENT)
		return sigm_error_set(err, SIGM_EIO, "audit_key_unreadable",
				      NULL, "no se puede leer la clave de auditoría %s",
				      path);
	/* First use of this database: create the key, readable by us only. */
	unsigned char key[32];
	char hex[65];
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		/* Another process created it meanwhile: use theirs. */
		if (errno == EEXIST && read_key(path, s->audit_key) == 0)
			return 0;
		return sigm_error_set(err, SIGM_EIO, "audit_key_create", NULL,
				      "no se puede crear la clave de auditoría %s",
				      path);
	}
	ssize_t w = write(fd, hex, 64);
	int ok = w == 64 && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	close(fd);
	if (!ok)
		return sigm_error_set(err, SIGM_EIO, "audit_key_create", NULL,
				      "no se pudo escribir la clave de auditoría %s",
				      path);
	memcpy(s->audit_key, key, 32);
	sodium_memzero(key, sizeof(key));
	return 0;
}

static void feed(crypto_generichash_state *st, const char *v)
{
	/* Length-prefixed so that no two field lists hash alike; NULL differs
	 * from "". */
	unsigned char len[4];
	uint32_t n = v ? (uint32_t)strlen(v) : 0xffffffffu;
	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	crypto_generichash_update(st, len, 4);
	if (v)
		crypto_generichash_update(st, (const unsigned char *)v, n);
}

static void entry_hash(const unsigned char key[32], const char *seq,
		       const char *at, const char *actor, const char *action,
		       const char *rtype, const char *rid, const char *addr,
		       const char *detail, const char *prev, char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, key, 32, sizeof(h));
	feed(&st, "sigm-audit-v1");
	feed(&st, seq);
	feed(&st, at);
	feed(&st, actor);
	feed(&st, action);
	feed(&st, rtype);
	feed(&st, rid);
	feed(&st, addr);
	feed(&st, detail);
	feed(&st, prev);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int audit_append(struct store_tx *tx, const struct audit_entry *e,
		 struct sigm_error *err)
{
	struct store *s = store_tx_store(tx);
	struct store_rows *r = NULL;
	int rc = store_tx_query(tx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
				NULL, 0, &r, err);
	if (rc)
		return rc;
	int64_t seq = 1;
	char prev[65] = GENESIS;
	if (store_rows_count(r) == 1) {
		seq = store_rows_int(r, 0, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", store_rows_text(r, 0, 1));
	}
	store_rows_free(&r);

	char at[40], seqs[24], hash[65];
	store_now_iso(at, sizeof(at));
	snprintf(seqs, sizeof(seqs), "%lld", (long long)seq);
	entry_hash(s->audit_key, seqs, at, e->actor, e->action, e->record_type,
		   e->record_id, e->remote_addr, e->detail, prev, hash);
	struct store_val p[] = {sv_int(seq),	       sv_text(at),
				sv_text(e->actor),     sv_text(e->action),
				sv_text(e->record_type), sv_text(e->record_id),
				sv_text(e->remote_addr), sv_text(e->detail),
				sv_text(prev),	       sv_text(hash)};
	rc = store_tx_exec(tx, "INSERT INTO audit_log (seq, at, actor, action, record_type, record_id, remote_addr, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
			   p, SV_N(p), NULL, err);
	if (rc)
		return rc;
	char head[100];
	snprintf(head, sizeof(head), "%s:%s", seqs, hash);
	struct store_val h[] = {sv_text(head)};
	return store_tx_exec(tx, "INSERT INTO meta (key, value) VALUES ('audit_head', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			     h, 1, NULL, err);
}

static int append_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	return audit_append(tx, arg, err);
}

int audit_record(struct store *s, const struct audit_entry *e,
		 struct sigm_error *err)
{
	return store_write(s, append_fn, (void *)e, err);
}

static int broken(struct audit_verify_result *out, int64_t seq,
		  const char *fmt, const char *a)
{
	out->ok = 0;
	out->first_broken = seq;
	snprintf(out->reason, sizeof(out->reason), fmt, a, (long long)seq);
	return 0;
}

int audit_verify(struct store *s, struct audit_verify_result *out,
		 struct sigm_error *err)
{
	memset(out, 0, sizeof(*out));
	out->ok = 1;
	char prev[65] = GENESIS;
	int64_t expect = 1, last = 0;
	for (;;) {
		struct store_rows *r = NULL;
		struct store_val p[] = {sv_int(last)};
		int rc = store_query(s, "SELECT seq, at, actor, action, record_type, record_id, remote_addr, detail, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000",
				     p, 1, &r, err);
		if (rc)
			return rc;
		int n = store_rows_count(r);
		for (int i = 0; i < n; i++) {
			int64_t seq = store_rows_int(r, i, 0);
			char calc[65];
			if (seq != expect) {
				store_rows_free(&r);
				return broken(out, expect,
					      "%sfalta la entrada %lld (borrada)", "");
			}
			if (strcmp(store_rows_text(r, i, 8), prev) != 0) {
				store_rows_free(&r);
				return broken(out, seq, "%sla entrada %lld no enlaza con la anterior", "");
			}
			entry_hash(s->audit_key, store_rows_text(r, i, 0),
				   store_rows_text(r, i, 1), store_rows_text(r, i, 2),
				   store_rows_text(r, i, 3), store_rows_text(r, i, 4),
				   store_rows_text(r, i, 5), store_rows_text(r, i, 6),
				   store_rows_text(r, i, 7), prev, calc);
			if (strcmp(calc, store_rows_text(r, i, 9)) != 0) {
				store_rows_free(&r);
				return broken(out, seq, "%sla entrada %lld fue modificada", "");
			}
			memcpy(prev, calc, sizeof(prev));
			out->checked++;
			expect++;
			last = seq;
		}
		store_rows_free(&r);
		if (n < 5000)
			break;
	}
	/* The head in meta must name the last entry: otherwise entries were
	 * removed from the end. */
	struct store_rows *h = NULL;
	int rc = store_query(s, "SELECT value FROM meta WHERE key = 'audit_head'",
			     NULL, 0, &h, err);
	if (rc)
		return rc;
	char want[100] = "";
	if (store_rows_count(h) == 1)
		snprintf(want, sizeof(want), "%s", store_rows_text(h, 0, 0));
	store_rows_free(&h);
	char have[100] = "";
	if (last > 0)
		snprintf(have, sizeof(have), "%lld:%s", (long long)last, prev);
	if (strcmp(want, have) != 0) {
		long long head_seq = atoll(want);
		out->ok = 0;
		out->first_broken = last + 1;
		snprintf(out->reason, sizeof(out->reason),
			 "la cabeza registrada (%lld) no coincide con la última entrada (%lld): se borraron entradas finales",
			 head_seq, (long long)last);
	}
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

char *audit_list_detail(const char *detail_json, int64_t *ids, size_t n)
{
	size_t dl = detail_json ? strlen(detail_json) : 0;
	if (detail_json && (dl < 2 || detail_json[0] != '{' || detail_json[dl - 1] != '}'))
		return NULL;
	if (n)
		qsort(ids, n, sizeof(*ids), cmp_id);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!m || ids[m - 1] != ids[i])
			ids[m++] = ids[i];
	/* "{" + the members + ",\"ids\":[" + up to 20 digits and a comma
	 * per id + "]}" */
	size_t cap = dl + 16 + m * 21;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t k;
	if (dl > 2) { /* the caller's members, then ours */
		memcpy(out, detail_json, dl - 1);
		k = dl - 1;
		out[k++] = ',';
	} else {
		out[0] = '{';
		k = 1;
	}
	k += (size_t)snprintf(out + k, cap - k, "\"ids\":[");
	for (size_t i = 0; i < m; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%lld", i ? "," : "",
				      (long long)ids[i]);
	snprintf(out + k, cap - k, "]}");
	return out;
}

/* A record id as lists name it: a positive integer in its one spelling. */
static bool list_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 19 || s[0] == '0')
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * A person's trail: the entries filed on the person (reads, extensions of
 * stay, correction requests), the list reads whose "ids" name them, and
 * the entries filed on the records that belong to them - their booth
 * inspections and the cases' resolutions, reopenings and supersedings,
 * their movements (contingency records, corrections), referrals, fines,
 * possible duplicates (either side) and certificates - found through each
 * record's own table by its person, as the timeline finds them.
 *
 * One arm per kind of record, read by the audit_record index
 * (record_type, record_id, seq): the person's few records are looked up by
 * their person index and their entries by key; the arms are merged by seq,
 * newest first.  Looking for "person_id":N in every entry's detail instead
 * would read the whole log for every trail, one LIKE more per entry.
 *
 * The entries filed on the person and the lists are read as each engine
 * reads them best.  SQLite walks the (person, N) and (person, NULL) ranges
 * of the index newest first and merges them with the others, stopping at
 * the page (a person named in few lists: 0.9 s over 3.3 million entries,
 * where the walk of the whole log took 1.8 s).  PostgreSQL's planner cannot
 * tell how many lists name a person, and read every list for one named in
 * thousands; the two as one condition, as the search by record had them,
 * let it choose by the record's statistics (the walk of the log for a
 * frequent one, a parallel scan for a rare one), and each arm stops at the
 * page.
 *
 * Parameters: $1 actor, $2 action, $3 record_id, $4 from, $5 to (exclusive,
 * "YYYY-MM-DDT99"), $6 before_seq, $7 limit, $8 the ids LIKE, $9 the person
 * as a number.
 */
#define TRAIL_SEL(cond) "SELECT seq, at, actor, action, record_type, record_id, remote_addr, detail" \
	" FROM audit_log WHERE " cond \
	" AND (CAST($1 AS TEXT) IS NULL OR actor = $1) AND (CAST($2 AS TEXT) IS NULL OR action = $2)" \
	" AND (CAST($4 AS TEXT) IS NULL OR at >= $4) AND (CAST($5 AS TEXT) IS NULL OR at < $5) AND seq < $6"
#define ON_PERSON "record_type = 'person' AND record_id = $3"
#define IN_LISTS "record_id IS NULL AND REPLACE(REPLACE(detail, '[', ','), ']', ',') LIKE $8"
/* the records of a person, kind by kind */
#define PERSON_RECORDS(X) \
	X("inspection", "SELECT CAST(id AS TEXT) FROM inspections WHERE person_id = $9") \
	X("movement", "SELECT CAST(id AS TEXT) FROM movements WHERE person_id = $9") \
	X("referral", "SELECT CAST(id AS TEXT) FROM referrals WHERE person_id = $9") \
	X("traveler_fine", "SELECT CAST(id AS TEXT) FROM traveler_fines WHERE person_id = $9") \
	X("person_duplicate", "SELECT CAST(id AS TEXT) FROM person_duplicates WHERE person_id = $9 OR other_person_id = $9") \
	X("certificate", "SELECT code FROM certificates WHERE person_id = $9")
#define RECORDS_OF(type, ids) "record_type = '" type "' AND record_id IN (" ids ")"
#define PAGE " ORDER BY seq DESC LIMIT $7"
#define SQLITE_ARM(type, ids) " UNION ALL " TRAIL_SEL(RECORDS_OF(type, ids))
#define PG_ARM(type, ids) " UNION ALL (" TRAIL_SEL(RECORDS_OF(type, ids)) PAGE ")"
static const char TRAIL_SQLITE[] =
	TRAIL_SEL(ON_PERSON) " UNION ALL " TRAIL_SEL("record_type = 'person' AND " IN_LISTS)
	PERSON_RECORDS(SQLITE_ARM) PAGE;
static const char TRAIL_PG[] =
	"(" TRAIL_SEL("record_type = 'person' AND (record_id = $3 OR (" IN_LISTS "))") PAGE ")"
	PERSON_RECORDS(PG_ARM) PAGE;

int audit_search(struct store *s, const struct audit_query *q,
		 struct store_rows **out, struct sigm_error *err)
{
	/* The list reads that name the record: their detail ends with
	 * "ids":[…] (audit_list_detail).  With the brackets read as commas
	 * the list is ",12,33,40," and one LIKE finds ",33," after "ids":,
	 * the same on both engines.  "ids": cannot come from a value (JSON
	 * writes a quote inside a string as \"), and nothing follows the
	 * list but the closing brace. */
	char in_list[48] = "";
	if (q->record_type && list_id(q->record_id))
		snprintf(in_list, sizeof(in_list), "%%\"ids\":%%,%s,%%", q->record_id);
	char to_next[16] = "";
	if (q->to && strlen(q->to) == 10)
		snprintf(to_next, sizeof(to_next), "%sT99", q->to);
	/* The API asks for a page plus one row to know whether more follow:
	 * a full page (500) asks for 501.  Replacing that by the default cut
	 * the page to 50 and hid the rest behind a null cursor. */
	int limit = q->limit <= 0 ? 50
		    : q->limit > AUDIT_PAGE_MAX + 1 ? AUDIT_PAGE_MAX + 1 : q->limit;
	if (in_list[0] && !strcmp(q->record_type, "person")) {
		struct store_val t[] = {
			sv_opt(q->actor), sv_opt(q->action), sv_text(q->record_id),
			sv_opt(q->from), sv_opt(to_next),
			sv_int(q->before_seq > 0 ? q->before_seq : INT64_MAX),
			sv_int(limit), sv_text(in_list), sv_int(atoll(q->record_id))};
		return store_query(s, store_engine(s) == STORE_PG ? TRAIL_PG : TRAIL_SQLITE,
				   t, SV_N(t), out, err);
	}
	struct store_val p[] = {
		sv_opt(q->actor),       sv_opt(q->action), sv_opt(q->record_type),
		sv_opt(q->record_id),   sv_opt(q->from),   sv_opt(to_next),
		sv_int(q->before_seq > 0 ? q->before_seq : INT64_MAX),
		sv_int(limit), sv_opt(in_list[0] ? in_list : NULL)};
	return store_query(s,
			   "SELECT seq, at, actor, action, record_type, record_id, remote_addr, detail FROM audit_log"
			   " WHERE (CAST($1 AS TEXT) IS NULL OR actor = $1) AND (CAST($2 AS TEXT) IS NULL OR action = $2)"
			   " AND (CAST($3 AS TEXT) IS NULL OR record_type = $3) AND (CAST($4 AS TEXT) IS NULL OR record_id = $4"
			   " OR (CAST($9 AS TEXT) IS NOT NULL AND record_id IS NULL"
			   " AND REPLACE(REPLACE(detail, '[', ','), ']', ',') LIKE $9))"
			   " AND (CAST($5 AS TEXT) IS NULL OR at >= $5) AND (CAST($6 AS TEXT) IS NULL OR at < $6)"
			   " AND seq < $7 ORDER BY seq DESC LIMIT $8",
			   p, SV_N(p), out, err);
}
