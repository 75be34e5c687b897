/*
 * server.c - sigm serve: libmicrohttpd glue, routing, the request pipeline
 * (body cap -> route -> authenticate -> CSRF -> permission -> handler),
 * security headers, static files of the web UI, JSON-lines request logs,
 * and graceful shutdown on SIGTERM/SIGINT.
 *
 * Threading: one thread per connection (handlers may block on the group
 * commit of store_write()); MHD_stop_daemon() waits for those threads, so
 * in-flight requests finish before the store is closed and its writer drains.
 */
#include "api/api.h"
#include "api/apis.h"
#include "core/utf8.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_MAX_BODY (1024 * 1024)
#define HARD_MAX_BODY (64 * 1024 * 1024)

static const char CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; "
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
	"form-action 'self'";

/* Requests between their first byte and the end of their answer: shutdown
 * waits for this to reach zero before closing connections. */
static int inflight;

int api_inflight(void)
{
	return __atomic_load_n(&inflight, __ATOMIC_SEQ_CST);
}

#define DRAIN_MAX_S 25 /* below systemd's default 90 s stop timeout */

/* A query parameter refused: found, and its name as sent ("" when it
 * has none) to say in the answer. */
struct bad_param {
	bool found;
	char name[64];
};

struct conn_state {
	char *body;
	size_t len, cap, max;
	int too_big;
	uint64_t t0;
	const struct api_route *route;
	int route_idx;
	char params[512];
	const char *pv[4];
	int np;
	bool started;	   /* on_request has seen the request */
	bool bad_path;	   /* a control character in the decoded path */
	char raw_path[256]; /* the path as sent (logged when bad_path) */
	struct bad_param bad_query; /* one with a control character */
};

/* ---- routing ---- */

/* Matches path against pattern; {name} segments capture into buf. */
static int match(const char *pattern, const char *path, char *buf,
		 size_t cap, const char **pv, int *np)
{
	size_t used = 0;
	*np = 0;
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *pe = strchr(pattern, '}');
			const char *se = strchr(path, '/');
			size_t n = se ? (size_t)(se - path) : strlen(path);
			/* A parameter may end with a suffix such as ".pdf". */
			const char *suffix = pe + 1;
			size_t sl = 0;
			while (suffix[sl] && suffix[sl] != '/')
				sl++;
			if (sl) {
				if (n <= sl || strncmp(path + n - sl, suffix, sl))
					return 0;
				n -= sl;
			}
			if (n == 0 || *np >= 4 || used + n + 1 > cap)
				return 0;
			memcpy(buf + used, path, n);
			buf[used + n] = 0;
			pv[(*np)++] = buf + used;
			used += n + 1;
			path += n + sl;
			pattern = suffix + sl;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	return *pattern == 0 && *path == 0;
}

/* Index of the route, -1 no path matches, -2 path matches but not the
 * method (405). */
static int find_route(const char *method, const char *path,
		      struct conn_state *cs)
{
	int path_hit = 0;
	for (int i = 0; i < api_nroutes; i++) {
		if (!match(api_routes[i].pattern, path, cs->params,
			   sizeof(cs->params), cs->pv, &cs->np))
			continue;
		if (!strcmp(api_routes[i].method, method))
			return i;
		path_hit = 1;
	}
	cs->np = 0;
	return path_hit ? -2 : -1;
}

/* ---- responses ---- */

static void add_common_headers(struct MHD_Response *r, int api)
{
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control",
				api ? "no-store" : "no-cache");
}

static const char *mime_for(const char *path)
{
	const char *dot = strrchr(path, '.');
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".json", "application/json"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	if (dot)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcmp(dot, types[i].ext))
				return types[i].type;
	return "application/octet-stream";
}

static void static_file(struct api_ctx *ctx, const char *path,
			struct api_resp *resp)
{
	char full[PATH_MAX];
	if (strstr(path, "..") || strchr(path, '\\')) {
		api_error(resp, 404, "not_found", NULL, "no encontrado");
		return;
	}
	if (!strcmp(path, "/"))
		path = "/index.html";
	snprintf(full, sizeof(full), "%s%s", ctx->cfg.web_dir, path);
	struct stat st;
	if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
		resp->status = 404;
		resp->body = strdup("No encontrado\n");
		resp->body_len = resp->body ? strlen(resp->body) : 0;
		resp->content_type = "text/plain; charset=utf-8";
		return;
	}
	resp->status = 200;
	resp->file_path = strdup(full);
	resp->content_type = mime_for(full);
}

static int queue(struct MHD_Connection *conn, struct api_resp *resp, int api)
{
	struct MHD_Response *r = NULL;
	if (resp->file_path) {
		int fd = open(resp->file_path, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd >= 0 && fstat(fd, &st) == 0)
			r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
		else if (fd >= 0)
			close(fd);
		if (!r) {
			resp->status = 404;
			free(resp->file_path);
			resp->file_path = NULL;
		}
	}
	if (!r && resp->json) {
		char *s = json_dumps(resp->json, JSON_COMPACT);
		if (s) {
			r = MHD_create_response_from_buffer(strlen(s), s,
							    MHD_RESPMEM_MUST_FREE);
			resp->content_type = "application/json; charset=utf-8";
		}
	}
	if (!r && resp->body) {
		r = MHD_create_response_from_buffer(resp->body_len, resp->body,
						    MHD_RESPMEM_MUST_FREE);
		resp->body = NULL; /* owned by MHD now */
	}
	if (!r)
		r = MHD_create_response_from_buffer(0, (void *)"",
						    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	if (resp->content_type && resp->status != 204)
		MHD_add_response_header(r, "Content-Type", resp->content_type);
	add_common_headers(r, api);
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i].name,
					resp->headers[i].value);
	int ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* ---- logging ---- */

/* s as the inside of a JSON string, into out (cap bytes, cut short, never
 * inside an escape).  A byte of invalid UTF-8 (a path is the client's
 * bytes, percent-decoded) is written as \u00XX, so the line stays JSON. */
static void log_str(char *out, size_t cap, const char *s)
{
	bool utf8 = utf8_valid(s, strlen(s));
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char e[8];
		size_t k;
		if (*p == '"' || *p == '\\') {
			e[0] = '\\';
			e[1] = (char)*p;
			k = 2;
		} else if (*p < 0x20 || (*p >= 0x80 && !utf8)) {
			k = (size_t)snprintf(e, sizeof(e), "\\u%04x", *p);
		} else {
			e[0] = (char)*p;
			k = 1;
		}
		if (n + k >= cap) {
			/* not in the middle of a character */
			if (utf8 && (*p & 0xc0) == 0x80) {
				while (n && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
					n--;
				if (n)
					n--;
			}
			break;
		}
		memcpy(out + n, e, k);
		n += k;
	}
	out[n] = 0;
}

/* One JSON line per request, formatted directly: built as a jansson
 * object and dumped, it was 3.6 % of the server's CPU under the booth
 * benchmark (perf, 2026-12-05).  The same fields in the same order. */
static void log_request(const char *method, const char *path, int status,
			uint64_t us, const struct api_req *req)
{
	char ts[40], m[32], p[1024], u[160] = "", r[96] = "", ms[32];
	store_now_iso(ts, sizeof(ts));
	log_str(m, sizeof(m), method);
	log_str(p, sizeof(p), path);
	if (req && req->who) {
		char x[128];
		log_str(x, sizeof(x), req->who->username);
		snprintf(u, sizeof(u), ",\"user\":\"%s\"", x);
	}
	if (req && req->remote[0]) {
		char x[64];
		log_str(x, sizeof(x), req->remote);
		snprintf(r, sizeof(r), ",\"remote\":\"%s\"", x);
	}
	/* as jansson writes a real: 6 significant digits, never an integer */
	snprintf(ms, sizeof(ms), "%.6g", (double)us / 1000.0);
	if (!strpbrk(ms, ".eE"))
		strcat(ms, ".0");
	fprintf(stderr,
		"{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"request\",\"method\":\"%s\","
		"\"path\":\"%s\",\"status\":%d,\"ms\":%s%s%s}\n",
		ts, status >= 500 ? "error" : "info", m, p, status, ms, u, r);
}

void api_log(const char *level, const char *msg, json_t *extra)
{
	char ts[40];
	store_now_iso(ts, sizeof(ts));
	json_t *j = json_pack("{s:s, s:s, s:s}", "ts", ts, "level", level,
			      "msg", msg);
	if (extra)
		json_object_update(j, extra);
	char *line = json_dumps(j, JSON_COMPACT);
	if (line) {
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	json_decref(j);
}

/* ---- the pipeline ---- */

static void remote_of(struct MHD_Connection *conn, char *out, size_t cap)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = 0;
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, (socklen_t)cap);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)cap);
}

/*
 * Idempotency-Key: a client that retries a POST (after a timeout, a lost
 * answer) with the same key gets the first answer again instead of a second
 * effect.  Keys are per actor.  The key is taken before the handler runs,
 * in a transaction of its own (status 0 while it runs), so that two copies
 * of a request sent at once cannot both run: the second is told to retry
 * (409) and then gets the first one's answer.  The same key with another
 * method, path or body is a 422.  A key left taken by a server that died
 * mid-request is freed after IDEM_STALE_S.
 */
#define IDEM_STALE_S 60

struct idem {
	const char *actor, *key, *method, *path, *body;
	char hash[33];
	char taken_at[40]; /* this request's hold on the key: its created_at */
	int status;
	/* begin's findings */
	int taken; /* 1: this request holds the key */
	int state; /* the row found: status, 0 while it runs */
	int mismatch;
	char *replay;
};

static int idem_begin_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct idem *i = arg;
	char now[40], stale[40];
	store_iso_after(stale, sizeof(stale), -IDEM_STALE_S);
	store_now_iso(now, sizeof(now));
	snprintf(i->taken_at, sizeof(i->taken_at), "%s", now);
	struct store_val free_p[] = {sv_text(i->actor), sv_text(i->key), sv_text(stale)};
	int rc = store_tx_exec(tx, "DELETE FROM idempotency WHERE actor = $1 AND key = $2 AND status = 0 AND created_at < $3",
			       free_p, SV_N(free_p), NULL, err);
	if (rc)
		return rc;
	struct store_val p[] = {sv_text(i->key),    sv_text(i->actor),
				sv_text(i->method), sv_text(i->path),
				sv_text(now),       sv_text(i->hash)};
	int64_t n = 0;
	rc = store_tx_exec(tx, "INSERT INTO idempotency (key, actor, method, path, status, body, created_at, request_hash)"
			   " VALUES ($1, $2, $3, $4, 0, NULL, $5, $6) ON CONFLICT DO NOTHING",
			   p, SV_N(p), &n, err);
	if (rc || (i->taken = n == 1))
		return rc;
	struct store_rows *r = NULL;
	rc = store_tx_query(tx, "SELECT method, path, status, body, request_hash FROM idempotency WHERE actor = $1 AND key = $2",
			    free_p, 2, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 1) {
		const char *h = store_rows_text(r, 0, 4);
		i->mismatch = strcmp(store_rows_text(r, 0, 0), i->method) ||
			      strcmp(store_rows_text(r, 0, 1), i->path) ||
			      (h && strcmp(h, i->hash));
		i->state = (int)store_rows_int(r, 0, 2);
		if (store_rows_text(r, 0, 3))
			i->replay = strdup(store_rows_text(r, 0, 3));
	}
	store_rows_free(&r);
	return 0;
}

static int idem_end_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct idem *i = arg;
	/* only this request's hold: after IDEM_STALE_S a retry may have
	 * taken the key over, and its answer is its own */
	struct store_val k[] = {sv_text(i->actor), sv_text(i->key), sv_text(i->taken_at)};
	/* a server failure is not remembered: a retry runs again */
	if (i->status >= 500 || i->status == 0)
		return store_tx_exec(tx, "DELETE FROM idempotency WHERE actor = $1 AND key = $2 AND status = 0 AND created_at = $3",
				     k, 3, NULL, err);
	struct store_val p[] = {sv_text(i->actor), sv_text(i->key), sv_text(i->taken_at),
				sv_int(i->status), sv_text(i->body)};
	return store_tx_exec(tx, "UPDATE idempotency SET status = $4, body = $5 WHERE actor = $1 AND key = $2 AND status = 0 AND created_at = $3",
			     p, SV_N(p), NULL, err);
}

static enum MHD_Result hash_arg(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	(void)kind;
	crypto_generichash_state *st = cls;
	/* "\0key\0value": no two argument lists hash alike by joining */
	crypto_generichash_update(st, (const unsigned char *)"", 1);
	crypto_generichash_update(st, (const unsigned char *)key, strlen(key) + 1);
	if (value)
		crypto_generichash_update(st, (const unsigned char *)value, strlen(value) + 1);
	return MHD_YES;
}

/* 0: run the handler (the key, if any, is held: i->taken); 1: answered. */
static int idempotent_begin(struct api_req *req, struct api_resp *resp,
			    struct idem *i)
{
	const char *key = api_req_header(req, "Idempotency-Key");
	if (!key || !*key)
		return 0;
	if (strlen(key) > 128) {
		api_error(resp, 400, "invalid_idempotency_key", "Idempotency-Key",
			  "Idempotency-Key supera 128 caracteres");
		return 1;
	}
	/* the request is its body and its query string (?dry_run=1 is
	 * another request) */
	unsigned char h[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)(req->body ? req->body : ""),
				  req->body_len);
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, hash_arg, &st);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(i->hash, sizeof(i->hash), h, sizeof(h));
	i->actor = req->actor;
	i->key = key;
	i->method = req->method;
	i->path = req->path;
	struct sigm_error err;
	if (store_write(req->ctx->store, idem_begin_fn, i, &err)) {
		free(i->replay);
		i->replay = NULL;
		api_error_from(resp, &err);
		return 1;
	}
	if (i->taken)
		return 0;
	if (i->mismatch)
		api_error(resp, 422, "idempotency_key_reused", "Idempotency-Key",
			  "esta Idempotency-Key ya se usó para otra solicitud");
	else if (i->state == 0)
		api_error(resp, 409, "idempotency_in_progress", "Idempotency-Key",
			  "la misma solicitud está en curso: reintente en unos segundos");
	else {
		resp->status = i->state;
		if (i->replay) {
			resp->body = i->replay;
			resp->body_len = strlen(i->replay);
			resp->content_type = "application/json; charset=utf-8";
			i->replay = NULL;
		}
		api_header(resp, "Idempotent-Replayed", "true");
	}
	free(i->replay);
	i->replay = NULL;
	return 1;
}

static void idempotent_end(struct api_req *req, struct api_resp *resp,
			   struct idem *i)
{
	if (!i->taken)
		return;
	char *body = resp->json ? json_dumps(resp->json, JSON_COMPACT) : NULL;
	i->body = body;
	i->status = resp->status;
	struct sigm_error err;
	/* a failure here leaves the key taken; it is freed after
	 * IDEM_STALE_S, and the handler's effect stands */
	if (store_write(req->ctx->store, idem_end_fn, i, &err))
		fprintf(stderr, "sigm: idempotency key not saved: %s\n", err.message);
	free(body);
}

/* Stops at the first query parameter whose name or value (percent-
 * decoded) is not UTF-8, its name into the struct bad_param of cls. */
static enum MHD_Result query_utf8(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *value)
{
	(void)kind;
	struct bad_param *bad = cls;
	if (utf8_valid(key, strlen(key)) && (!value || utf8_valid(value, strlen(value))))
		return MHD_YES;
	bad->found = true;
	snprintf(bad->name, sizeof(bad->name), "%s", key);
	utf8_fix(bad->name); /* the name is said in the answer */
	return MHD_NO;
}

/* A 400 for query parameter p.  One sent without a name ("?=%0A",
 * "?=%FF") is refused for its value like any other, the field then
 * "query" (the query string): a field is never empty.  A nameless one of
 * good bytes ("?=x") is ignored, as is any parameter no route reads. */
static void bad_param_error(struct api_resp *resp, const struct bad_param *p,
			    const char *code, const char *what)
{
	if (p->name[0])
		api_error(resp, 400, code, p->name, "el parámetro «%s» %s", p->name, what);
	else
		api_error(resp, 400, code, "query",
			  "un parámetro sin nombre de la consulta (?=…) %s", what);
}

static void dispatch(struct api_ctx *ctx, struct MHD_Connection *conn,
		     const char *method, const char *url,
		     struct conn_state *cs, struct api_req *req,
		     struct api_resp *resp)
{
	req->ctx = ctx;
	req->conn = conn;
	req->method = method;
	req->path = url;
	req->body = cs->body;
	req->body_len = cs->len;
	remote_of(conn, req->remote, sizeof(req->remote));

	if (cs->bad_path) {
		req->path = cs->raw_path;
		api_error(resp, 400, "invalid_path", NULL,
			  "la ruta contiene caracteres de control (%%00…): no se atiende");
		return;
	}
	if (cs->route_idx == -2) {
		api_error(resp, 405, "method_not_allowed", NULL,
			  "método %s no permitido en %s", method, url);
		return;
	}
	if (cs->route_idx < 0) {
		if (!strncmp(url, "/api/", 5)) {
			api_error(resp, 404, "not_found", NULL,
				  "ruta desconocida: %s", url);
			return;
		}
		if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
			api_error(resp, 405, "method_not_allowed", NULL,
				  "método no permitido");
			return;
		}
		static_file(ctx, url, resp);
		return;
	}
	const struct api_route *rt = &api_routes[cs->route_idx];
	req->route = rt;
	memcpy(req->param_buf, cs->params, sizeof(req->param_buf));
	req->nparams = cs->np;
	for (int i = 0; i < cs->np; i++)
		req->params[i] = req->param_buf + (cs->pv[i] - cs->params);

	if (cs->too_big) {
		/* the request's body is the field: a client that shows
		 * errors by field has somewhere to show this one */
		api_error(resp, 413, "body_too_large", "body",
			  "el cuerpo de la solicitud supera el límite de %zu bytes", cs->max);
		return;
	}
	/* A query string is text.  A parameter of bytes that are not UTF-8
	 * (?status=%FF) reached the queries of the handlers that compare it
	 * as it is: PostgreSQL refused it, a 500, where SQLite answered an
	 * empty list */
	struct bad_param badq = {0};
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_utf8, &badq);
	if (badq.found) {
		bad_param_error(resp, &badq, "invalid_encoding", "no es texto UTF-8");
		return;
	}
	/* found, not a name: "?=%0A" has none, and was let through */
	if (cs->bad_query.found) {
		bad_param_error(resp, &cs->bad_query, "invalid_characters",
				"contiene caracteres de control");
		return;
	}
	/* Authentication and CSRF happen for every non-public route; an
	 * anonymous or forbidden caller never reaches the handler. */
	bool open_metrics = rt->perm == PERM_METRICS_READ && api_metrics_open_to(req);
	if (open_metrics) {
		snprintf(req->actor, sizeof(req->actor), "anonymous");
	} else if (rt->perm != PERM_NONE) {
		if (auth_authenticate(req, resp) != 0)
			return;
		if (!(req->who->perms & (UINT64_C(1) << rt->perm))) {
			api_error(resp, 403, "forbidden", NULL,
				  "su rol no permite esta operación (%s)",
				  authz_perm_name(rt->perm));
			return;
		}
	} else {
		/* Public routes may still know who is calling (session GET). */
		snprintf(req->actor, sizeof(req->actor), "anonymous");
	}
	struct idem idem = {0};
	if (rt->perm != PERM_NONE && !strcmp(method, "POST") &&
	    idempotent_begin(req, resp, &idem))
		return;
	rt->fn(req, resp);
	/* Every read of personal data is audited: one whose entry could
	 * not be written is not served, whichever handler forgot to check
	 * (before the idempotency record: a 5xx is not replayed). */
	if (req->audit_failed && resp->status >= 200 && resp->status < 300) {
		free(resp->body);
		free(resp->file_path);
		resp->body = resp->file_path = NULL;
		resp->body_len = 0;
		resp->content_type = NULL;
		resp->nheaders = 0;
		api_error(resp, 503, "audit_unavailable", NULL,
			  "no se pudo registrar la consulta en la auditoría: no se muestra");
	}
	idempotent_end(req, resp, &idem);
	if (resp->status == 0)
		api_error(resp, 500, "internal", NULL, "respuesta vacía");
}

/* Whether a raw URI holds a control character at p, as a byte or
 * percent-encoded ("%00", "%0a", "%7F"). */
static bool control_at(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f)
		return true;
	if (*p == '%' && isxdigit(p[1]) && isxdigit(p[2])) {
		char h[3] = {(char)p[1], (char)p[2], 0};
		long v = strtol(h, NULL, 16);
		return v < 0x20 || v == 0x7f;
	}
	return false;
}

/* Whether the path of a raw request URI (up to '?') holds a control
 * character. */
static bool raw_path_has_control(const char *uri)
{
	for (const unsigned char *p = (const unsigned char *)uri; *p && *p != '?'; p++)
		if (control_at(p))
			return true;
	return false;
}

/* The name (as sent, at most 63 bytes; "" for "?=%0A") of the first
 * parameter of the raw URI's query string that holds a control character,
 * into bad: libmicrohttpd cuts a value at %00, so
 * ?document_number=AB123%00X searched for AB123 and ?status=%00 was no
 * filter at all.  false, bad untouched, when none. */
static bool raw_query_control(const char *uri, struct bad_param *bad)
{
	const char *q = strchr(uri, '?');
	if (!q)
		return false;
	const char *start = q + 1;
	for (const unsigned char *p = (const unsigned char *)start; *p; p++) {
		if (*p == '&') {
			start = (const char *)p + 1;
			continue;
		}
		if (control_at(p)) {
			bad->found = true;
			snprintf(bad->name, sizeof(bad->name), "%.*s",
				 (int)strcspn(start, "=&"), start);
			utf8_fix(bad->name); /* said in the answer */
			return true;
		}
	}
	return false;
}

/*
 * libmicrohttpd percent-decodes the path in place before on_request sees
 * it, so "/api/v1/persons/33%00/timeline" reaches it as "/api/v1/persons/33"
 * and would be answered as that.  The raw URI is only seen here, before
 * decoding: the request's state starts here, marked when its path holds a
 * control character, and such a request is a 400 whatever it names.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	struct conn_state *cs = calloc(1, sizeof(*cs));
	if (cs && uri)
		(void)raw_query_control(uri, &cs->bad_query);
	if (cs && uri && raw_path_has_control(uri)) {
		cs->bad_path = true;
		size_t n = strcspn(uri, "?");
		if (n >= sizeof(cs->raw_path))
			n = sizeof(cs->raw_path) - 1;
		memcpy(cs->raw_path, uri, n);
		cs->raw_path[n] = 0;
	}
	return cs;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct api_ctx *ctx = cls;
	struct conn_state *cs = *con_cls;
	(void)version;

	if (!cs)
		return MHD_NO; /* on_uri could not allocate it */
	if (!cs->started) {
		cs->started = true;
		cs->t0 = store_now_us();
		__atomic_fetch_add(&inflight, 1, __ATOMIC_SEQ_CST);
		cs->route_idx = cs->bad_path ? -1 : find_route(method, url, cs);
		cs->max = DEFAULT_MAX_BODY;
		if (cs->route_idx >= 0 && api_routes[cs->route_idx].max_body)
			cs->max = api_routes[cs->route_idx].max_body;
		if (cs->max > HARD_MAX_BODY)
			cs->max = HARD_MAX_BODY;
		*con_cls = cs;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (cs->too_big || cs->len + n > cs->max) {
			cs->too_big = 1;
			return MHD_YES; /* drain; answer 413 at the end */
		}
		if (cs->len + n + 1 > cs->cap) {
			size_t nc = cs->cap ? cs->cap : 512;
			while (nc < cs->len + n + 1)
				nc *= 2;
			char *nb = realloc(cs->body, nc);
			if (!nb)
				return MHD_NO;
			cs->body = nb;
			cs->cap = nc;
		}
		memcpy(cs->body + cs->len, upload, n);
		cs->len += n;
		cs->body[cs->len] = 0;
		return MHD_YES;
	}

	struct api_req req;
	struct api_resp resp;
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	dispatch(ctx, conn, method, url, cs, &req, &resp);
	int api = !strncmp(url, "/api/", 5) || cs->route_idx >= 0;
	int status = resp.status;
	enum MHD_Result ret = queue(conn, &resp, api) == MHD_YES ? MHD_YES : MHD_NO;

	uint64_t us = store_now_us() - cs->t0;
	api_metrics_observe(ctx->metrics, cs->route_idx, status, us);
	/* a path cut at a %00 is logged as it was sent, not as cut */
	log_request(method, cs->bad_path ? cs->raw_path : url, status, us, &req);

	json_decref(resp.json);
	free(resp.body);
	free(resp.file_path);
	json_decref(req.json);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct conn_state *cs = *con_cls;
	if (cs) {
		if (cs->started)
			__atomic_fetch_sub(&inflight, 1, __ATOMIC_SEQ_CST);
		free(cs->body);
		free(cs);
	}
	*con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa,
			struct sigm_error *err)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(host))
		return sigm_error_set(err, SIGM_EINVAL, "invalid_listen",
				      "listen",
				      "dirección de escucha inválida «%s» (use HOST:PUERTO)",
				      listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_listen",
				      "listen", "puerto inválido en «%s»", listen);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_listen",
				      "listen",
				      "dirección IPv4 inválida «%s»", host);
	return 0;
}

void api_block_signals(void)
{
	/* Every thread inherits this mask, so only api_serve()'s sigwait()
	 * takes SIGTERM: called before the store starts its threads, or a
	 * signal delivered to one of them would kill the process mid-write. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int api_serve(struct api_ctx *ctx, struct sigm_error *err)
{
	struct sockaddr_in sa;
	int rc = parse_listen(ctx->cfg.listen, &sa, err);
	if (rc)
		return rc;

	/* Signals are taken synchronously by this thread only. */
	api_block_signals();

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			MHD_USE_ITC | MHD_USE_ERROR_LOG,
		0, NULL, NULL, on_request, ctx, MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)2000,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, ctx,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, ctx, MHD_OPTION_END);
	if (!d)
		return sigm_error_set(err, SIGM_EIO, "listen_failed", "listen",
				      "no se puede escuchar en %s: %s",
				      ctx->cfg.listen, strerror(errno));
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	int port = di ? di->port : ntohs(sa.sin_port);
	char host[64];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof(host));
	/* Printed documents need an absolute URL; without SIGM_PUBLIC_URL the
	 * server's own address is the best it knows. */
	if (!ctx->cfg.public_url[0])
		snprintf(ctx->cfg.public_url, sizeof(ctx->cfg.public_url),
			 "http://%s:%d", host, port);
	for (size_t n = strlen(ctx->cfg.public_url);
	     n > 0 && ctx->cfg.public_url[n - 1] == '/'; n--)
		ctx->cfg.public_url[n - 1] = 0;
	json_t *x = json_pack("{s:s, s:i, s:s, s:i}", "host", host, "port",
			      port, "db", ctx->cfg.db, "pid", (int)getpid());
	api_log("info", "listening", x);
	json_decref(x);
	/* APIS files dropped by a gateway (SIGM_APIS_SPOOL), if configured */
	struct apis_spool *spool = apis_spool_start(ctx);
	/* carrier compliance of the day, for facts no request brought up */
	struct compliance_timer *ctimer = compliance_timer_start(ctx);

	int sig = 0;
	sigset_t wait_set;
	sigemptyset(&wait_set);
	sigaddset(&wait_set, SIGTERM);
	sigaddset(&wait_set, SIGINT);
	sigwait(&wait_set, &sig);

	x = json_pack("{s:s}", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	api_log("info", "stopping", x);
	json_decref(x);
	/* Stop accepting, let the requests in flight finish and send their
	 * answers, then close the (idle) connections; the caller closes the
	 * store, which drains its writer.  MHD_stop_daemon() alone would shut
	 * the sockets of requests still being handled. */
	MHD_socket lfd = MHD_quiesce_daemon(d);
	uint64_t give_up = store_now_us() + (uint64_t)DRAIN_MAX_S * 1000000;
	int left;
	while ((left = __atomic_load_n(&inflight, __ATOMIC_SEQ_CST)) > 0 &&
	       store_now_us() < give_up) {
		struct timespec ts = {0, 5 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (left > 0) {
		x = json_pack("{s:i}", "abandoned", left);
		api_log("warn", "drain_timeout", x);
		json_decref(x);
	}
	apis_spool_stop(&spool);
	compliance_timer_stop(&ctimer);
	MHD_stop_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	return 0;
}
