/* users.c - staff accounts, sessions and API tokens; see users.h. */
#include "store/users.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                           \
	"u.username, u.display_name, u.unit_code, u.disabled, u.created_at," \
	" u.last_login_at,"                                                 \
	" (SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles r" \
	"  WHERE r.username = u.username ORDER BY role) AS ordered_roles) AS roles,"         \
	" u.failed_logins, u.locked_until"

/* ---- generic "run these statements + audit" write ---- */

struct stmt {
	const char *sql;
	struct store_val p[8];
	int n;
	int must_change; /* SIGM_ENOTFOUND when no row changed */
};

struct multi {
	struct stmt st[4];
	int nst;
	const char *username; /* for roles replacement */
	const char *const *roles;
	const struct audit_entry *audit;
};

static int replace_roles(struct store_tx *tx, const char *username,
			 const char *const *roles, struct sigm_error *err)
{
	struct store_val u[] = {sv_text(username)};
	int rc = store_tx_exec(tx, "DELETE FROM user_roles WHERE username = $1",
			       u, 1, NULL, err);
	for (const char *const *r = roles; rc == 0 && *r; r++) {
		struct store_val p[] = {sv_text(username), sv_text(*r)};
		rc = store_tx_exec(tx, "INSERT INTO user_roles (username, role) VALUES ($1, $2) ON CONFLICT DO NOTHING",
				   p, 2, NULL, err);
	}
	return rc;
}

static int multi_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct multi *m = arg;
	for (int i = 0; i < m->nst; i++) {
		int64_t changes = 0;
		int rc = store_tx_exec(tx, m->st[i].sql, m->st[i].p, m->st[i].n,
				       &changes, err);
		if (rc)
			return rc;
		if (m->st[i].must_change && changes == 0)
			return sigm_error_set(err, SIGM_ENOTFOUND,
					      "user_not_found", "username",
					      "el usuario no existe");
	}
	if (m->roles) {
		int rc = replace_roles(tx, m->username, m->roles, err);
		if (rc)
			return rc;
	}
	return m->audit ? audit_append(tx, m->audit, err) : 0;
}

static int name_taken(const char *username, struct sigm_error *err)
{
	return sigm_error_set(err, SIGM_ECONFLICT, "username_taken", "username",
			      "ya existe un usuario «%s»", username);
}

int users_add(struct store *s, const struct users_new *u,
	      const struct audit_entry *audit, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 1, .username = u->username, .roles = u->roles,
			  .audit = audit};
	m.st[0] = (struct stmt){
		"INSERT INTO users (username, display_name, unit_code, password_hash, created_at, updated_at, password_changed_at) VALUES ($1, $2, $3, $4, $5, $5, $5)",
		{sv_text(u->username), sv_text(u->display_name),
		 sv_text(u->unit), sv_text(u->password_hash), sv_text(now)},
		5, 0};
	int rc = store_write(s, multi_fn, &m, err);
	return rc == SIGM_ECONFLICT ? name_taken(u->username, err) : rc;
}

int users_name_free(struct store *s, const char *username, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	int rc = users_get(s, username, &r, err);
	store_rows_free(&r);
	if (rc == SIGM_ENOTFOUND)
		return 0;
	return rc ? rc : name_taken(username, err);
}

int users_list(struct store *s, const char *after, int limit,
	       struct store_rows **out, struct sigm_error *err)
{
	struct store_val p[] = {sv_text(after ? after : ""), sv_int(limit)};
	return store_query(s, "SELECT " USER_COLS " FROM users u WHERE u.username > $1 ORDER BY u.username LIMIT $2",
			   p, 2, out, err);
}

int users_get(struct store *s, const char *username, struct store_rows **out,
	      struct sigm_error *err)
{
	struct store_val p[] = {sv_text(username)};
	int rc = store_query(s, "SELECT " USER_COLS ", u.password_hash FROM users u WHERE u.username = $1",
			     p, 1, out, err);
	if (rc == 0 && store_rows_count(*out) == 0) {
		store_rows_free(out);
		return sigm_error_set(err, SIGM_ENOTFOUND, "user_not_found",
				      "username", "no existe el usuario «%s»",
				      username);
	}
	return rc;
}

int users_count(struct store *s, int64_t *out, struct sigm_error *err)
{
	return store_query_int(s, "SELECT COUNT(*) FROM users", NULL, 0, out,
			       err);
}

int users_set_disabled(struct store *s, const char *username, int disabled,
		       const struct audit_entry *audit, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 2, .audit = audit};
	m.st[0] = (struct stmt){
		"UPDATE users SET disabled = $2, failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE username = $1",
		{sv_text(username), sv_int(disabled), sv_text(now)}, 3, 1};
	/* Disabling ends every open session and token at once. */
	m.st[1] = (struct stmt){
		"UPDATE sessions SET revoked_at = $2 WHERE username = $1 AND revoked_at IS NULL AND $3 = 1",
		{sv_text(username), sv_text(now), sv_int(disabled)}, 3, 0};
	return store_write(s, multi_fn, &m, err);
}

int users_set_password(struct store *s, const char *username,
		       const char *hash, const struct audit_entry *audit,
		       struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 1, .audit = audit};
	m.st[0] = (struct stmt){
		"UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3, failed_logins = 0, locked_until = NULL WHERE username = $1",
		{sv_text(username), sv_text(hash), sv_text(now)}, 3, 1};
	return store_write(s, multi_fn, &m, err);
}

int users_rehash_password(struct store *s, const char *username,
			  const char *old, const char *hash,
			  const struct audit_entry *audit, struct sigm_error *err)
{
	struct multi m = {.nst = 1, .audit = audit};
	m.st[0] = (struct stmt){
		"UPDATE users SET password_hash = $3 WHERE username = $1 AND password_hash = $2",
		{sv_text(username), sv_text(old), sv_text(hash)}, 3, 1};
	return store_write(s, multi_fn, &m, err);
}

int users_update(struct store *s, const char *username,
		 const char *display_name, const char *unit,
		 const char *const *roles, const struct audit_entry *audit,
		 struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 1, .username = username, .roles = roles,
			  .audit = audit};
	m.st[0] = (struct stmt){
		"UPDATE users SET display_name = COALESCE($2, display_name), unit_code = COALESCE($3, unit_code), updated_at = $4 WHERE username = $1",
		{sv_text(username), sv_text(display_name), sv_text(unit),
		 sv_text(now)},
		4, 1};
	return store_write(s, multi_fn, &m, err);
}

struct attempt {
	const char *username, *now;
	int lock_after, base_s, max_s;
	int64_t n;
	char *until;
};

static int attempt_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct attempt *a = arg;
	a->n = 0;
	a->until[0] = 0;
	/* One statement, so that two attempts never read the same count: on
	 * PostgreSQL the second waits for the first's row lock and reads
	 * its lock; SQLite has one writer.  A locked account counts nothing */
	struct store_val p[] = {sv_text(a->username), sv_text(a->now)};
	int rc = store_tx_query_int(tx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE username = $1"
				    " AND (locked_until IS NULL OR locked_until <= $2) RETURNING failed_logins",
				    p, 2, &a->n, err);
	if (rc == SIGM_ENOTFOUND) {
		struct store_rows *r = NULL;
		struct store_val k[] = {sv_text(a->username)};
		a->n = 0;
		if ((rc = store_tx_query(tx, "SELECT locked_until FROM users WHERE username = $1", k, 1, &r, err)))
			return rc;
		snprintf(a->until, 40, "%s", store_rows_count(r) && store_rows_text(r, 0, 0) ? store_rows_text(r, 0, 0) : "");
		store_rows_free(&r);
		return 0;
	}
	if (rc || a->n < a->lock_after)
		return rc;
	/* the attempt that reaches the limit locks the account at once,
	 * before its password is checked: parallel guesses behind it find
	 * it locked.  Each attempt after a lock expires doubles it */
	int64_t secs = a->base_s;
	for (int64_t i = a->lock_after; i < a->n && secs < a->max_s; i++)
		secs *= 2;
	if (secs > a->max_s)
		secs = a->max_s;
	store_iso_after(a->until, 40, secs);
	struct store_val u[] = {sv_text(a->username), sv_text(a->until)};
	return store_tx_exec(tx, "UPDATE users SET locked_until = $2 WHERE username = $1", u, 2, NULL, err);
}

int users_login_attempt(struct store *s, const char *username, int lock_after,
			int base_s, int max_s, int64_t *attempt, char locked_until[40],
			struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct attempt a = {username, now, lock_after, base_s, max_s, 0, locked_until};
	int rc = store_write(s, attempt_fn, &a, err);
	*attempt = a.n;
	return rc;
}

int users_login_ok(struct store *s, const struct users_session_new *n,
		   const struct audit_entry *audit, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 2, .audit = audit};
	m.st[0] = (struct stmt){
		"UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE username = $1",
		{sv_text(n->username), sv_text(now)}, 2, 1};
	m.st[1] = (struct stmt){
		"INSERT INTO sessions (id_hash, username, csrf_token, created_at, expires_at, idle_expires_at, remote_addr) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		{sv_text(n->id_hash), sv_text(n->username), sv_text(n->csrf),
		 sv_text(now), sv_text(n->expires_at),
		 sv_text(n->idle_expires_at), sv_text(n->remote_addr)},
		7, 0};
	return store_write(s, multi_fn, &m, err);
}

int users_session_get(struct store *s, const char *id_hash,
		      struct store_rows **out, struct sigm_error *err)
{
	struct store_val p[] = {sv_text(id_hash)};
	return store_query(s,
			   "SELECT s.username, s.csrf_token, s.expires_at, s.idle_expires_at, s.revoked_at,"
			   " u.display_name, u.unit_code, u.disabled,"
			   " (SELECT group_concat(role, ',') FROM user_roles r WHERE r.username = u.username) AS roles"
			   " FROM sessions s JOIN users u ON u.username = s.username WHERE s.id_hash = $1",
			   p, 1, out, err);
}

int users_session_touch(struct store *s, const char *id_hash,
			const char *idle_expires_at, struct sigm_error *err)
{
	struct multi m = {.nst = 1};
	m.st[0] = (struct stmt){
		"UPDATE sessions SET idle_expires_at = $2 WHERE id_hash = $1",
		{sv_text(id_hash), sv_text(idle_expires_at)}, 2, 0};
	return store_write(s, multi_fn, &m, err);
}

int users_session_revoke(struct store *s, const char *id_hash,
			 const struct audit_entry *audit,
			 struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 1, .audit = audit};
	m.st[0] = (struct stmt){
		"UPDATE sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL",
		{sv_text(id_hash), sv_text(now)}, 2, 0};
	return store_write(s, multi_fn, &m, err);
}

int users_token_add(struct store *s, const char *token_hash,
		    const char *username, const char *label,
		    const struct audit_entry *audit, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 1, .audit = audit};
	m.st[0] = (struct stmt){
		"INSERT INTO api_tokens (token_hash, username, label, created_at) VALUES ($1, $2, $3, $4)",
		{sv_text(token_hash), sv_text(username), sv_text(label),
		 sv_text(now)},
		4, 0};
	return store_write(s, multi_fn, &m, err);
}

int users_token_list(struct store *s, const char *username,
		     struct store_rows **out, struct sigm_error *err)
{
	struct store_val p[] = {sv_text(username)};
	return store_query(s,
			   "SELECT id, username, label, created_at, revoked_at FROM api_tokens"
			   " WHERE CAST($1 AS TEXT) IS NULL OR username = $1 ORDER BY id",
			   p, 1, out, err);
}

static int revoke_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct multi *m = arg;
	int64_t changes = 0;
	int rc = store_tx_exec(tx, m->st[0].sql, m->st[0].p, m->st[0].n, &changes, err);
	if (rc)
		return rc;
	if (changes == 0)
		return sigm_error_set(err, SIGM_ENOTFOUND, "token_not_found", "id",
				      "no hay un token vigente con ese número");
	return audit_append(tx, m->audit, err);
}

int users_token_revoke(struct store *s, int64_t id,
		       const struct audit_entry *audit, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	struct multi m = {.nst = 1, .audit = audit};
	m.st[0] = (struct stmt){
		"UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
		{sv_int(id), sv_text(now)}, 2, 1};
	return store_write(s, revoke_fn, &m, err);
}

int users_token_get(struct store *s, const char *token_hash,
		    struct store_rows **out, struct sigm_error *err)
{
	struct store_val p[] = {sv_text(token_hash)};
	return store_query(s,
			   "SELECT u.username, u.display_name, u.unit_code, u.disabled,"
			   " (SELECT group_concat(role, ',') FROM user_roles r WHERE r.username = u.username) AS roles"
			   " FROM api_tokens t JOIN users u ON u.username = t.username"
			   " WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
			   p, 1, out, err);
}
