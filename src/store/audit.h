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

/*
 * Reads through a list.  A list or search that shows personal data records
 * ONE entry (record_type the kind of record shown, record_id NULL) whose
 * detail names every record shown: the JSON object ends with the member
 * "ids", e.g. {"surnames":"Mejía","ids":[12,33,40]}.  The detail is hashed
 * like every field, so the ids are as tamper-evident as the rest, and
 * audit_search() for record_type T and a numeric record_id N finds these
 * entries among the reads of N (see audit_search).
 *
 * audit_list_detail() builds that detail: detail_json (a compact JSON
 * object, or NULL for none) with "ids" appended as its last member, the n
 * ids ascending and each once (ids is sorted and deduplicated in place).
 * detail_json must have no member named "ids" at any depth: the search
 * reads the first "ids": it finds as the list.  Returns a malloc'd string
 * (the caller frees it), or NULL when detail_json is not an object or
 * memory runs out.
 */
char *audit_list_detail(const char *detail_json, int64_t *ids, size_t n);

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
 * AUDIT_PAGE_MAX + 1, never to the default).  With both record_type and a
 * record_id written as a positive integer ("33", not "033"), the entries
 * of that record include the list reads (record_id NULL) whose detail's
 * "ids" names it.  A person's (record_type "person") also include the
 * entries filed on the records that belong to them: their inspections,
 * movements, referrals, traveler fines, possible duplicates (either side)
 * and certificates, found by each record's person in its own table (the
 * change entries also name the person in their detail, "person_id").
 * Columns: seq, at, actor, action, record_type, record_id, remote_addr,
 * detail. */
int audit_search(struct store *s, const struct audit_query *q,
		 struct store_rows **out, struct sigm_error *err);

#endif
