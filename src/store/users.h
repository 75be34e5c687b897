/*
 * users.h - staff accounts: persistence of users, their roles, sessions and
 * API tokens.  Password hashing and policy are the caller's (api/auth.c):
 * these functions store hashes, never passwords.
 *
 * Every function that changes something takes the audit entry to append in
 * the same transaction, so a change and its audit record commit together or
 * not at all.
 */
#ifndef SIGM_USERS_H
#define SIGM_USERS_H

#include "store/audit.h"
#include "store/store.h"

struct users_new {
	const char *username, *display_name, *unit, *password_hash;
	const char *const *roles; /* NULL-terminated */
};

/* SIGM_ECONFLICT if the username exists. */
int users_add(struct store *s, const struct users_new *u,
	      const struct audit_entry *audit, struct sigm_error *err);

/* Columns: username, display_name, unit_code, disabled, created_at,
 * last_login_at, roles (comma-separated), failed_logins, locked_until.
 * Ordered by username; after = paging cursor (exclusive), NULL = start. */
int users_list(struct store *s, const char *after, int limit,
	       struct store_rows **out, struct sigm_error *err);

/* 0 when no user is called username; SIGM_ECONFLICT (username_taken), as
 * users_add says it, when one is: asked before a new user's password is
 * hashed (argon2id at full cost), so that a taken name costs nothing.
 * users_add still refuses the name taken meanwhile. */
int users_name_free(struct store *s, const char *username, struct sigm_error *err);

/* One user (same columns as users_list) plus password_hash as column 9;
 * SIGM_ENOTFOUND when absent. */
int users_get(struct store *s, const char *username, struct store_rows **out,
	      struct sigm_error *err);

int users_set_disabled(struct store *s, const char *username, int disabled,
		       const struct audit_entry *audit, struct sigm_error *err);
int users_set_password(struct store *s, const char *username,
		       const char *hash, const struct audit_entry *audit,
		       struct sigm_error *err);
/* The same password hashed again (a higher cost): the hash is replaced
 * only while it is still old, and password_changed_at stays. */
int users_rehash_password(struct store *s, const char *username,
			  const char *old, const char *hash,
			  const struct audit_entry *audit, struct sigm_error *err);
/* Any of display_name/unit may be NULL (unchanged); roles NULL = unchanged. */
int users_update(struct store *s, const char *username,
		 const char *display_name, const char *unit,
		 const char *const *roles, const struct audit_entry *audit,
		 struct sigm_error *err);

/* Login bookkeeping.  An attempt is counted as a failure before its
 * password is checked (users_login_attempt), so that guesses sent in
 * parallel cannot all pass a lock check read before any of them failed:
 * *attempt is the failures counted with this one (0: the account is
 * locked, until locked_until, and nothing was counted; the caller checks
 * no password); locked_until is also set when this attempt locked it.  The attempt that reaches lock_after locks the account
 * for base_s seconds, doubling with each attempt after, up to max_s.  A
 * login that succeeds resets the count (users_login_ok); one that fails
 * leaves it (the caller audits it). */
int users_login_attempt(struct store *s, const char *username, int lock_after,
			int base_s, int max_s, int64_t *attempt, char locked_until[40],
			struct sigm_error *err);
int users_count(struct store *s, int64_t *out, struct sigm_error *err);

/* Sessions: id_hash is the hash of the cookie secret. */
struct users_session_new {
	const char *id_hash, *username, *csrf, *expires_at, *idle_expires_at,
		*remote_addr;
};
/* Records a successful login: resets failures, sets last_login_at and
 * creates the session, with its audit entry. */
int users_login_ok(struct store *s, const struct users_session_new *n,
		   const struct audit_entry *audit, struct sigm_error *err);
/* Columns: username, csrf_token, expires_at, idle_expires_at, revoked_at,
 * display_name, unit_code, disabled, roles. */
int users_session_get(struct store *s, const char *id_hash,
		      struct store_rows **out, struct sigm_error *err);
int users_session_touch(struct store *s, const char *id_hash,
			const char *idle_expires_at, struct sigm_error *err);
int users_session_revoke(struct store *s, const char *id_hash,
			 const struct audit_entry *audit,
			 struct sigm_error *err);

/* Tokens: columns username, display_name, unit_code, disabled, roles. */
int users_token_add(struct store *s, const char *token_hash,
		    const char *username, const char *label,
		    const struct audit_entry *audit, struct sigm_error *err);
/* The API tokens (all, or one user's): id, username, label, created_at,
 * revoked_at.  Never the secret: only its hash is stored. */
int users_token_list(struct store *s, const char *username,
		     struct store_rows **out, struct sigm_error *err);
/* Revokes token id (SIGM_ENOTFOUND: none in force with that id). */
int users_token_revoke(struct store *s, int64_t id,
		       const struct audit_entry *audit, struct sigm_error *err);
int users_token_get(struct store *s, const char *token_hash,
		    struct store_rows **out, struct sigm_error *err);

#endif
