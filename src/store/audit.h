/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * Every change, and every read of personal data, appends one entry: who
 * (actor: a username, "system", or "token:<user>"), what (action, e.g.
 * "user.create", "person.read"), which record (type and id), when (UTC, ms),
 * from where (remote address) and a JSON detail.
 *
 * Each entry's hash is keyed BLAKE2b-256 over its own fields and the
 * previous entry's hash; the key lives outside the database (the file
 * "<db>.auditkey", or SIGM_AUDIT_KEY_FILE), so whoever can edit the database
 * but not read the key cannot forge a consistent chain.  The head (last seq
 * and hash) is also kept in meta so that deleting the newest entries is
 * seen.  audit_verify() recomputes everything and names the first broken
 * link.
 *
 * Sequence numbers are dense (1, 2, 3 ...): a gap is a deletion.
 */
#ifndef SIGM_AUDIT_H
#define SIGM_AUDIT_H

#include "store/store.h"

struct audit_entry {
	const char *actor;
	const char *action;
	const char *record_type; /* may be NULL */
	const char *record_id;   /* may be NULL */
	const char *remote_addr; /* may be NULL */
	const char *detail;      /* JSON text or NULL */
};

/* Appends inside the caller's write transaction. */
int audit_append(struct store_tx *tx, const struct audit_entry *e,
		 struct sigm_error *err);

/* Appends in a write of its own (durable on return). */
int audit_record(struct store *s, const struct audit_entry *e,
		 struct sigm_error *err);

struct audit_verify_result {
	int ok;
	int64_t checked;
	int64_t first_broken; /* 0 when ok */
	char reason[256];     /* Spanish */
};

int audit_verify(struct store *s, struct audit_verify_result *out,
		 struct sigm_error *err);

/* The largest page a caller may show; audit_search() answers one row more,
 * so that the caller can tell whether another page follows. */
#define AUDIT_PAGE_MAX 500

struct audit_query {
	const char *actor, *action, *record_type, *record_id;
	const char *from, *to; /* YYYY-MM-DD, inclusive; NULL = open */
	int64_t before_seq;    /* paging: entries with seq < this; 0 = newest */
	int limit;             /* 1 .. AUDIT_PAGE_MAX + 1; 0 (or less) = 50 */
};

/* Newest first, at most q->limit rows (a larger limit is cut to
 * AUDIT_PAGE_MAX + 1, never to the default).  Columns: seq, at, actor,
 * action, record_type, record_id, remote_addr, detail. */
int audit_search(struct store *s, const struct audit_query *q,
		 struct store_rows **out, struct sigm_error *err);

#endif
