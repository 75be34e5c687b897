/*
 * auth.c - who is calling: passwords (argon2id), sessions (cookie + CSRF
 * token), API tokens for machine clients, login backoff and lockout, and
 * the session endpoints.
 *
 * Secrets are never stored: the database keeps BLAKE2b hashes of session
 * cookies and API tokens, and argon2id hashes of passwords.
 */
#include "api/api.h"
#include "store/audit.h"
#include "store/users.h"

#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SESSION_COOKIE "sigm_session"
#define LOCK_AFTER 5	    /* failures before the account locks */
#define LOCK_BASE_S 60	    /* first lock; doubles with every failure after */
#define LOCK_MAX_S 3600

/* ---- secrets ---- */

static void random_hex(char *out, size_t bytes)
{
	unsigned char b[64];
	randombytes_buf(b, bytes);
	sodium_bin2hex(out, bytes * 2 + 1, b, bytes);
}

static void secret_hash(const char *secret, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)secret,
			   strlen(secret), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* The cost of a password hash: argon2id's interactive limits (64 MiB, two
 * passes: 0.15-0.4 s here), except on a test server (auth_test_kdf). */
static unsigned long long kdf_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t kdf_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

static bool loopback(const char *listen)
{
	return !strncmp(listen, "127.", 4) || !strncmp(listen, "localhost:", 10) ||
	       !strncmp(listen, "[::1]:", 6);
}

int auth_test_kdf(const char *listen, bool *on, struct sigm_error *err)
{
	const char *e = getenv("SIGM_TEST_FAST_PASSWORDS");
	*on = false;
	if (!e || strcmp(e, "1"))
		return 0;
	if (!loopback(listen))
		return sigm_error_set(err, SIGM_EINVAL, "not_loopback",
				      "SIGM_TEST_FAST_PASSWORDS",
				      "SIGM_TEST_FAST_PASSWORDS es solo para pruebas: se admite únicamente con el servidor escuchando en 127.0.0.1 o [::1], no en «%s»",
				      listen);
	kdf_ops = crypto_pwhash_OPSLIMIT_MIN;
	kdf_mem = crypto_pwhash_MEMLIMIT_MIN;
	*on = true;
	return 0;
}

int auth_hash_password(const char *password, char out[128],
		       struct sigm_error *err)
{
	if (crypto_pwhash_str(out, password, strlen(password), kdf_ops,
			      kdf_mem) != 0)
		return sigm_error_set(err, SIGM_ENOMEM, "hash_failed", NULL,
				      "no se pudo proteger la contraseña (memoria)");
	return 0;
}

bool auth_verify_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int auth_check_password_policy(const char *username, const char *password,
			       const char *field, struct sigm_error *err)
{
	size_t n = strlen(password);
	if (n < 10)
		return sigm_error_set(err, SIGM_EINVAL, "weak_password", field,
				      "la contraseña debe tener al menos 10 caracteres");
	if (n > 256)
		return sigm_error_set(err, SIGM_EINVAL, "too_long", field,
				      "la contraseña supera 256 caracteres");
	if (username && strcasestr(password, username))
		return sigm_error_set(err, SIGM_EINVAL, "weak_password", field,
				      "la contraseña no puede contener el nombre de usuario");
	return 0;
}

int auth_check_username(const char *username, const char *field, struct sigm_error *err)
{
	size_t n = strlen(username);
	bool ok = n >= 2 && n <= 32;
	for (const char *p = username; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-';
	return ok ? 0
		  : sigm_error_set(err, SIGM_EINVAL, "invalid_username", field,
				   "el usuario debe tener de 2 a 32 caracteres: minúsculas, dígitos, «.», «_» o «-»");
}

/* A hash to verify against when the user does not exist, so that the
 * answer takes as long as for a real user.  Computed once, lazily. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	static const char pw[] = "sigm-no-such-user";
	if (crypto_pwhash_str(dummy, pw, sizeof(pw) - 1, kdf_ops, kdf_mem) != 0)
		dummy[0] = 0;
}

static const char *dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_init);
	return dummy;
}

/* A hash made at a lower cost than this server's (a test server's, or the
 * limits of an earlier release) is made again at this server's cost once
 * the password is known, at a successful login.  Only if the hash is still
 * the one checked: a password changed meanwhile stays.  A failure here
 * leaves the old hash, which still verifies; the login goes on. */
static void rehash(struct api_req *req, const char *username,
		   const char *old, const char *password)
{
	if (!old || crypto_pwhash_str_needs_rehash(old, kdf_ops, kdf_mem) == 0)
		return;
	char hash[128];
	struct sigm_error err;
	if (auth_hash_password(password, hash, &err))
		return;
	struct audit_entry e;
	api_audit_entry(req, &e, "user.password_rehash", "user", username, NULL);
	users_rehash_password(req->ctx->store, username, old, hash, &e, &err);
}

/* ---- principal ---- */

static void fill_principal(struct api_principal *p, const char *username,
			   const char *display, const char *unit,
			   const char *roles)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->username, sizeof(p->username), "%s", username);
	snprintf(p->display_name, sizeof(p->display_name), "%s",
		 display ? display : "");
	snprintf(p->unit, sizeof(p->unit), "%s", unit ? unit : "");
	p->perms = 0;
	if (!roles)
		return;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", roles);
	char *save = NULL;
	for (char *r = strtok_r(buf, ",", &save); r && p->nroles < 16;
	     r = strtok_r(NULL, ",", &save)) {
		snprintf(p->roles[p->nroles++], sizeof(p->roles[0]), "%s", r);
		p->perms |= authz_role_perms(r);
	}
}

static int unauthorized(struct api_resp *resp, const char *code,
			const char *msg)
{
	api_error(resp, 401, code, NULL, "%s", msg);
	return -1;
}

/* Validated API tokens, kept for a second.  A booth kiosk or a carrier's
 * gateway sends the same token thousands of times a second, and the
 * lookup (a join and a group_concat on a reader whose page cache every
 * commit empties) was 4 % of the server's CPU per inspection.  Changes
 * made through this server (a user disabled, roles changed) empty the
 * cache at once (auth_forget); those made by another process (the CLI, a
 * second node) take effect within TOKCACHE_US.  Only valid tokens are
 * kept: an unknown or refused token always goes to the database. */
#define TOKCACHE_N 64
#define TOKCACHE_US 1000000

static struct {
	char hash[65];
	uint64_t until_us;
	struct api_principal who;
} tokcache[TOKCACHE_N];
static pthread_mutex_t tokcache_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t tokcache_slot(const char h[65])
{
	size_t v = 0;
	for (int k = 0; k < 8; k++)
		v = v * 31 + (unsigned char)h[k];
	return v % TOKCACHE_N;
}

static bool tokcache_get(const char h[65], struct api_principal *out)
{
	size_t i = tokcache_slot(h);
	bool hit = false;
	pthread_mutex_lock(&tokcache_mu);
	if (!strcmp(tokcache[i].hash, h) && tokcache[i].until_us > store_now_us()) {
		*out = tokcache[i].who;
		hit = true;
	}
	pthread_mutex_unlock(&tokcache_mu);
	return hit;
}

static void tokcache_put(const char h[65], const struct api_principal *who)
{
	size_t i = tokcache_slot(h);
	pthread_mutex_lock(&tokcache_mu);
	memcpy(tokcache[i].hash, h, 65);
	tokcache[i].who = *who;
	tokcache[i].until_us = store_now_us() + TOKCACHE_US;
	pthread_mutex_unlock(&tokcache_mu);
}

void auth_forget(void)
{
	pthread_mutex_lock(&tokcache_mu);
	memset(tokcache, 0, sizeof(tokcache));
	pthread_mutex_unlock(&tokcache_mu);
}

static int from_token(struct api_req *req, struct api_resp *resp,
		      const char *token)
{
	char h[65];
	struct store_rows *r = NULL;
	struct sigm_error err;
	secret_hash(token, h);
	if (tokcache_get(h, &req->who_buf))
		goto found;
	if (users_token_get(req->ctx->store, h, &r, &err)) {
		api_error_from(resp, &err);
		return -1;
	}
	if (store_rows_count(r) != 1 || store_rows_int(r, 0, 3)) {
		store_rows_free(&r);
		return unauthorized(resp, "invalid_token",
				    "token inválido, revocado o de un usuario deshabilitado");
	}
	fill_principal(&req->who_buf, store_rows_text(r, 0, 0),
		       store_rows_text(r, 0, 1), store_rows_text(r, 0, 2),
		       store_rows_text(r, 0, 4));
	store_rows_free(&r);
	req->who_buf.via_token = true;
	tokcache_put(h, &req->who_buf);
found:
	req->who = &req->who_buf;
	snprintf(req->actor, sizeof(req->actor), "%s", req->who->username);
	return 0;
}

static bool unsafe_method(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS");
}

/* Loads the session of the cookie.  0 ok; -1 with resp set. */
static int from_cookie(struct api_req *req, struct api_resp *resp,
		       const char *cookie, bool check_csrf)
{
	char h[65], now[40];
	struct store_rows *r = NULL;
	struct sigm_error err;
	secret_hash(cookie, h);
	if (users_session_get(req->ctx->store, h, &r, &err)) {
		api_error_from(resp, &err);
		return -1;
	}
	store_now_iso(now, sizeof(now));
	if (store_rows_count(r) != 1 || store_rows_text(r, 0, 4) ||
	    strcmp(store_rows_text(r, 0, 2), now) <= 0 ||
	    strcmp(store_rows_text(r, 0, 3), now) <= 0 ||
	    store_rows_int(r, 0, 7)) {
		store_rows_free(&r);
		return unauthorized(resp, "session_expired",
				    "la sesión expiró o no es válida; inicie sesión de nuevo");
	}
	fill_principal(&req->who_buf, store_rows_text(r, 0, 0),
		       store_rows_text(r, 0, 5), store_rows_text(r, 0, 6),
		       store_rows_text(r, 0, 8));
	snprintf(req->who_buf.csrf, sizeof(req->who_buf.csrf), "%s",
		 store_rows_text(r, 0, 1));
	snprintf(req->who_buf.session_id, sizeof(req->who_buf.session_id),
		 "%s", h);
	/* Slide the idle expiry, but write at most once a minute. */
	char idle_new[40], soon[40];
	int idle_s = req->ctx->cfg.session_idle_s;
	store_iso_after(idle_new, sizeof(idle_new), idle_s);
	store_iso_after(soon, sizeof(soon), idle_s > 120 ? idle_s - 60 : idle_s / 2);
	int touch = strcmp(store_rows_text(r, 0, 3), soon) < 0;
	store_rows_free(&r);
	req->who = &req->who_buf;
	snprintf(req->actor, sizeof(req->actor), "%s", req->who->username);

	if (check_csrf && unsafe_method(req->method)) {
		const char *t = api_req_header(req, "X-CSRF-Token");
		if (!t || !*t) {
			api_error(resp, 403, "csrf_missing", "X-CSRF-Token",
				  "falta la cabecera X-CSRF-Token");
			return -1;
		}
		if (strlen(t) != strlen(req->who->csrf) ||
		    sodium_memcmp(t, req->who->csrf, strlen(t)) != 0) {
			api_error(resp, 403, "csrf_invalid", "X-CSRF-Token",
				  "token CSRF inválido");
			return -1;
		}
	}
	if (touch)
		users_session_touch(req->ctx->store, h, idle_new, &err);
	return 0;
}

int auth_authenticate(struct api_req *req, struct api_resp *resp)
{
	const char *authz = api_req_header(req, "Authorization");
	if (authz && *authz) {
		if (strncasecmp(authz, "Bearer ", 7) != 0 || !authz[7])
			return unauthorized(resp, "invalid_authorization",
					    "cabecera Authorization inválida (use Bearer TOKEN)");
		return from_token(req, resp, authz + 7);
	}
	const char *cookie = MHD_lookup_connection_value(
		req->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	if (!cookie || !*cookie)
		return unauthorized(resp, "unauthenticated",
				    "inicie sesión para continuar");
	return from_cookie(req, resp, cookie, true);
}

/* ---- session endpoints ---- */

static json_t *user_json(struct api_ctx *ctx, const struct api_principal *p)
{
	json_t *roles = json_array();
	for (int i = 0; i < p->nroles; i++)
		json_array_append_new(roles,
				      json_pack("{s:s, s:s}", "code", p->roles[i],
						"name",
						authz_role_name(p->roles[i])));
	const char *uname = api_org_unit_name(ctx, p->unit);
	return json_pack("{s:s, s:s, s:{s:s, s:s?}, s:o, s:o}", "username",
			 p->username, "display_name", p->display_name, "unit",
			 "code", p->unit, "name", uname, "roles", roles,
			 "permissions", authz_perms_json(p->perms));
}

static void set_cookie(struct api_req *req, struct api_resp *resp,
		       const char *value, int max_age)
{
	char c[300];
	snprintf(c, sizeof(c),
		 SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
		 value, max_age, req->ctx->cfg.secure_cookies ? "; Secure" : "");
	api_header(resp, "Set-Cookie", c);
}

static long long iso_diff_s(const char *later)
{
	struct tm tm = {0};
	if (!later || !strptime(later, "%Y-%m-%dT%H:%M:%S", &tm))
		return 0;
	time_t t = timegm(&tm);
	long long d = (long long)(t - time(NULL));
	return d > 0 ? d : 1;
}

/* 429 for an account locked until `until`, with when to try again. */
static void locked_answer(struct api_resp *resp, const char *until)
{
	long long wait = iso_diff_s(until);
	char ra[32];
	snprintf(ra, sizeof(ra), "%lld", wait);
	api_header(resp, "Retry-After", ra);
	api_json(resp, 429,
		 json_pack("{s:{s:s, s:s, s:I}}", "error", "code",
			   "too_many_attempts", "message",
			   "cuenta bloqueada temporalmente por intentos fallidos; intente más tarde",
			   "retry_after", (json_int_t)wait));
}

void api_session_create(struct api_req *req, struct api_resp *resp);
void api_session_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const fields[] = {"username", "password", NULL};
	const char *username, *password;
	json_t *b = api_body_object(req, resp, fields);
	if (!b || api_get_str(resp, b, "username", true, 64, &username) ||
	    api_get_str(resp, b, "password", true, 256, &password))
		return;

	struct api_ctx *ctx = req->ctx;
	struct sigm_error err;
	struct store_rows *u = NULL;
	char now[40];
	store_now_iso(now, sizeof(now));
	snprintf(req->actor, sizeof(req->actor), "%s", username);
	int rc = users_get(ctx->store, username, &u, &err);
	if (rc && rc != SIGM_ENOTFOUND) {
		api_error_from(resp, &err);
		return;
	}
	if (rc == SIGM_ENOTFOUND) {
		auth_verify_password(dummy_hash(), password);
		snprintf(req->actor, sizeof(req->actor), "anonymous");
		json_t *d = json_pack("{s:s}", "username", username);
		api_audit(req, "session.login_failed", "user", username, d);
		json_decref(d);
		api_error(resp, 401, "invalid_credentials", NULL,
			  "usuario o contraseña incorrectos");
		return;
	}
	const char *locked = store_rows_text(u, 0, 8);
	if (locked && strcmp(locked, now) > 0) {
		locked_answer(resp, locked);
		store_rows_free(&u);
		return;
	}
	/* Counted before the password is checked: guesses sent at once all
	 * read the count above before any of them failed, and all were
	 * checked (59 of 60 on PostgreSQL, the right one logged in on an
	 * account that should have locked after 5) */
	int64_t fails = 0;
	char until[40] = "";
	if (users_login_attempt(ctx->store, username, LOCK_AFTER, LOCK_BASE_S, LOCK_MAX_S,
				&fails, until, &err)) {
		store_rows_free(&u);
		api_error_from(resp, &err);
		return;
	}
	if (fails == 0) {
		locked_answer(resp, until);
		store_rows_free(&u);
		return;
	}
	if (!auth_verify_password(store_rows_text(u, 0, 9), password)) {
		json_t *d = json_pack("{s:I, s:s?}", "failures", (json_int_t)fails,
				      "locked_until", until[0] ? until : NULL);
		/* counted already (users_login_attempt): the trail is left */
		api_audit(req, "session.login_failed", "user", username, d);
		json_decref(d);
		store_rows_free(&u);
		api_error(resp, 401, "invalid_credentials", NULL,
			  "usuario o contraseña incorrectos");
		return;
	}
	if (store_rows_int(u, 0, 3)) {
		store_rows_free(&u);
		api_audit(req, "session.login_refused_disabled", "user", username,
			  NULL);
		api_error(resp, 403, "account_disabled", NULL,
			  "la cuenta está deshabilitada; contacte a Informática");
		return;
	}
	rehash(req, username, store_rows_text(u, 0, 9), password);

	char cookie[65], csrf[65], idh[65], exp[40], idle[40];
	random_hex(cookie, 32);
	random_hex(csrf, 32);
	secret_hash(cookie, idh);
	store_iso_after(exp, sizeof(exp),
			(int64_t)ctx->cfg.session_max_hours * 3600);
	store_iso_after(idle, sizeof(idle),
			(int64_t)ctx->cfg.session_idle_s);
	struct users_session_new sn = {idh, username, csrf, exp, idle,
				       req->remote};
	struct audit_entry e;
	api_audit_entry(req, &e, "session.login", "user", username, NULL);
	rc = users_login_ok(ctx->store, &sn, &e, &err);
	if (rc) {
		store_rows_free(&u);
		api_error_from(resp, &err);
		return;
	}
	fill_principal(&req->who_buf, username, store_rows_text(u, 0, 1),
		       store_rows_text(u, 0, 2), store_rows_text(u, 0, 6));
	store_rows_free(&u);
	req->who = &req->who_buf;
	set_cookie(req, resp, cookie, ctx->cfg.session_max_hours * 3600);
	api_json(resp, 200,
		 json_pack("{s:o, s:s}", "user", user_json(ctx, req->who),
			   "csrf_token", csrf));
}

void api_session_get(struct api_req *req, struct api_resp *resp);
void api_session_get(struct api_req *req, struct api_resp *resp)
{
	api_json(resp, 200,
		 json_pack("{s:o, s:s}", "user", user_json(req->ctx, req->who),
			   "csrf_token", req->who->via_token ? "" : req->who->csrf));
}

void api_session_delete(struct api_req *req, struct api_resp *resp);
void api_session_delete(struct api_req *req, struct api_resp *resp)
{
	struct sigm_error err;
	if (req->who->via_token) {
		api_error(resp, 400, "not_a_session", NULL,
			  "un token no tiene sesión que cerrar");
		return;
	}
	struct audit_entry e;
	api_audit_entry(req, &e, "session.logout", "user", req->who->username,
			NULL);
	if (users_session_revoke(req->ctx->store, req->who->session_id, &e,
				 &err)) {
		api_error_from(resp, &err);
		return;
	}
	set_cookie(req, resp, "", 0);
	api_no_content(resp);
}

void api_session_password(struct api_req *req, struct api_resp *resp);
void api_session_password(struct api_req *req, struct api_resp *resp)
{
	static const char *const fields[] = {"current_password", "new_password",
					     NULL};
	const char *cur, *nw;
	json_t *b = api_body_object(req, resp, fields);
	if (!b || api_get_str(resp, b, "current_password", true, 256, &cur) ||
	    api_get_str(resp, b, "new_password", true, 256, &nw))
		return;
	struct sigm_error err;
	struct store_rows *u = NULL;
	if (users_get(req->ctx->store, req->who->username, &u, &err)) {
		api_error_from(resp, &err);
		return;
	}
	bool ok = auth_verify_password(store_rows_text(u, 0, 9), cur);
	store_rows_free(&u);
	if (!ok) {
		api_error(resp, 422, "wrong_password", "current_password",
			  "la contraseña actual no es correcta");
		return;
	}
	if (auth_check_password_policy(req->who->username, nw, "new_password",
				       &err)) {
		api_error(resp, 422, err.code, err.field, "%s", err.message);
		return;
	}
	char hash[128];
	if (auth_hash_password(nw, hash, &err)) {
		api_error_from(resp, &err);
		return;
	}
	struct audit_entry e;
	api_audit_entry(req, &e, "user.password_change", "user",
			req->who->username, NULL);
	if (users_set_password(req->ctx->store, req->who->username, hash, &e,
			       &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_no_content(resp);
}

/* ---- tokens and bootstrap ---- */

int auth_token_create(struct store *s, const char *username,
		      const char *label, char token_out[80],
		      struct sigm_error *err)
{
	struct store_rows *u = NULL;
	int rc = users_get(s, username, &u, err);
	store_rows_free(&u);
	if (rc)
		return rc;
	char rnd[65], h[65];
	random_hex(rnd, 24);
	snprintf(token_out, 80, "sigm_%s", rnd);
	secret_hash(token_out, h);
	struct audit_entry e = {.actor = "cli", .action = "token.create",
				.record_type = "user", .record_id = username};
	return users_token_add(s, h, username, label, &e, err);
}

int auth_bootstrap_admin(struct api_ctx *ctx, char generated[64],
			 struct sigm_error *err)
{
	int64_t n = 0;
	generated[0] = 0;
	int rc = users_count(ctx->store, &n, err);
	if (rc || n > 0)
		return rc;
	const char *pw = getenv("SIGM_ADMIN_PASSWORD");
	char rnd[64];
	if (!pw || !*pw) {
		random_hex(rnd, 9);
		pw = rnd;
		snprintf(generated, 64, "%s", rnd);
	} else {
		rc = auth_check_password_policy("admin", pw, "SIGM_ADMIN_PASSWORD",
						err);
		if (rc)
			return rc;
	}
	char hash[128];
	rc = auth_hash_password(pw, hash, err);
	if (rc)
		return rc;
	static const char *const roles[] = {"admin_ti", NULL};
	struct users_new u = {"admin", "Administrador del sistema", "UIDT",
			      hash, roles};
	struct audit_entry e = {.actor = "system", .action = "user.create",
				.record_type = "user", .record_id = "admin",
				.detail = "{\"bootstrap\":true}"};
	return users_add(ctx->store, &u, &e, err);
}
