/*
 * http.c - helpers shared by every handler: error bodies, strict JSON body
 * parsing, query parameters, audit of the current request.
 */
#include "api/api.h"
#include "core/calendar.h"
#include "core/names.h"
#include "core/rules.h"
#include "core/utf8.h"
#include "store/audit.h"

#include <errno.h>
#include <math.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int api_status_for(int rc)
{
	switch (rc) {
	case SIGM_OK: return 200;
	case SIGM_EINVAL: return 400;
	case SIGM_ENOTFOUND: return 404;
	case SIGM_ECONFLICT: return 409;
	case SIGM_EPERM: return 403;
	case SIGM_ETOOBIG: return 413;
	case SIGM_EAUTH: return 401;
	case SIGM_EBUSY: return 503;
	case SIGM_EUNSUP: return 422;
	case SIGM_ERULE: return 422;
	case SIGM_ENOMEM: return 503;
	default: return 500;
	}
}

/* A text of an error body, made valid UTF-8: json_string() of anything
 * else is NULL, and the key went missing (a field, detail or hint) or the
 * whole body did (the code or message).  Texts quote what the client sent
 * (a query parameter is any bytes: ?port=%FF), storage messages quote
 * stored values, and all are cut at a fixed size, maybe inside a letter. */
static json_t *error_text(const char *s)
{
	if (utf8_valid(s, strlen(s)))
		return json_string(s);
	char *c = strdup(s);
	if (!c)
		return NULL;
	utf8_fix(c);
	json_t *j = json_string(c);
	free(c);
	return j;
}

static json_t *error_body(const char *code, const char *field,
			  const char *message)
{
	json_t *e = json_pack("{s:o, s:o}", "code", error_text(code), "message",
			      error_text(message));
	if (e && field && *field)
		json_object_set_new(e, "field", error_text(field));
	return json_pack("{s:o}", "error", e);
}

void api_error(struct api_resp *resp, int status, const char *code,
	       const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	api_json(resp, status, error_body(code, field, msg));
}

void api_error_from(struct api_resp *resp, const struct sigm_error *err)
{
	int status = api_status_for(err->rc);
	json_t *body = error_body(err->code[0] ? err->code : sigm_rc_name(err->rc),
				  err->field, err->message[0] ? err->message : "error");
	json_t *e = json_object_get(body, "error");
	/* Storage details may name tables and paths: keep them in the log,
	 * not in the answer. */
	if (status < 500) {
		if (err->detail[0])
			json_object_set_new(e, "detail", error_text(err->detail));
		if (err->hint[0])
			json_object_set_new(e, "hint", error_text(err->hint));
	}
	if (status == 503)
		api_header(resp, "Retry-After", "1");
	api_json(resp, status, body);
}

void api_json(struct api_resp *resp, int status, json_t *j)
{
	json_decref(resp->json);
	resp->json = j;
	resp->status = status;
}

void api_no_content(struct api_resp *resp)
{
	json_decref(resp->json);
	resp->json = NULL;
	resp->status = 204;
}

void api_header(struct api_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders >= API_MAX_HEADERS)
		return;
	snprintf(resp->headers[resp->nheaders].name,
		 sizeof(resp->headers[0].name), "%s", name);
	snprintf(resp->headers[resp->nheaders].value,
		 sizeof(resp->headers[0].value), "%s", value);
	resp->nheaders++;
}

/* "application/json", optionally with parameters ("; charset=utf-8"). */
static bool json_content_type(const char *ct)
{
	static const char type[] = "application/json";
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, type, sizeof(type) - 1))
		return false;
	ct += sizeof(type) - 1;
	while (*ct == ' ')
		ct++;
	return *ct == 0 || *ct == ';';
}

/* The path of the first string in v that holds a NUL, as the errors of
 * nested fields name it ("person.given_names", "companions[0].name"),
 * appended to path (cap bytes); false, path as it was, when none.  The
 * depth is jansson's parser's limit. */
static bool nul_path(json_t *v, char *path, size_t cap)
{
	size_t n = strlen(path);
	const char *key;
	size_t i;
	json_t *x;
	if (json_is_string(v))
		return memchr(json_string_value(v), 0, json_string_length(v)) != NULL;
	if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			snprintf(path + n, cap - n, "%s%s", n ? "." : "", key);
			if (nul_path(x, path, cap))
				return true;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			snprintf(path + n, cap - n, "[%zu]", i);
			if (nul_path(x, path, cap))
				return true;
		}
	}
	path[n] = 0;
	return false;
}

/* The bytes of a white-space character at p (n bytes left), 0 if none:
 * ASCII's spaces, tabs and line breaks, and Unicode's space separators
 * (the no-break space U+00A0 a web page or a spreadsheet copies, the
 * ideographic space...).  p is a character's first byte or a
 * continuation byte, which matches none of them. */
static size_t space_at(const unsigned char *p, size_t n)
{
	if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		return 1;
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (n < 3)
		return 0;
	if ((p[0] == 0xE1 && p[1] == 0x9A && p[2] == 0x80) ||   /* U+1680 */
	    (p[0] == 0xE2 && p[1] == 0x80 && (p[2] <= 0x8A || p[2] == 0xAF)) ||
	    (p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0x9F) ||   /* U+205F */
	    (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80))     /* U+3000 */
		return 3;
	return 0;
}

/* A password is what was typed, spaces and all: trimmed, one set with a
 * trailing space could no longer be given. */
static const char *const UNTRIMMED[] = {"password", "current_password",
					"new_password", NULL};

/* Takes the white space around every string in v off (key: the member v
 * is, NULL for an array's element or the body).  A clerk pasting a date,
 * a post's code or a name from a spreadsheet brings a space or a line
 * break with it: «2026-12-07 » was refused as «supera 10 caracteres» and
 * « SAL » as a post unknown, each endpoint naming it its own way.  Done
 * once on the body, so that every reading of it (api_get_str, a handler's
 * own json_string_value, api_country_field) sees the same text.  The
 * depth is jansson's parser's limit. */
static void trim_strings(json_t *v, const char *key)
{
	const char *k;
	size_t i;
	json_t *x;
	if (json_is_string(v)) {
		for (const char *const *u = UNTRIMMED; key && *u; u++)
			if (!strcmp(*u, key))
				return;
		const unsigned char *s = (const unsigned char *)json_string_value(v);
		size_t n = json_string_length(v), a = 0, b, w;
		while (a < n && (w = space_at(s + a, n - a)))
			a += w;
		/* b: the end of the last byte that is not space */
		b = a;
		for (size_t j = a; j < n;) {
			w = space_at(s + j, n - j);
			j += w ? w : 1;
			if (!w)
				b = j;
		}
		if (a > 0 || b < n)
			json_string_setn(v, (const char *)s + a, b - a);
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, x)
			trim_strings(x, k);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			trim_strings(x, NULL);
	}
}

json_t *api_body_object(struct api_req *req, struct api_resp *resp,
			const char *const *allowed)
{
	if (req->json)
		return req->json;
	/* An HTML form cannot send application/json: refusing other types
	 * closes cross-site form posts (login CSRF) and catches clients that
	 * send the wrong thing.  No Content-Type at all is read as JSON. */
	const char *ct = api_req_header(req, "Content-Type");
	if (ct && *ct && !json_content_type(ct)) {
		api_error(resp, 415, "unsupported_media_type", "Content-Type",
			  "el cuerpo debe ser JSON (Content-Type: application/json)");
		return NULL;
	}
	if (!req->body || req->body_len == 0) {
		api_error(resp, 400, "missing_body", NULL,
			  "se esperaba un cuerpo JSON");
		return NULL;
	}
	/* "\u0000" in a string is read, not refused as malformed JSON: the
	 * client is then told which field holds it.  A NUL is never taken:
	 * every handler would read the text as cut there. */
	json_error_t jerr;
	json_t *j = json_loadb(req->body, req->body_len,
			       JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!j) {
		api_error(resp, 400, "malformed_json", NULL,
			  "JSON mal formado (línea %d, columna %d): %s",
			  jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		api_error(resp, 400, "invalid_body", NULL,
			  "el cuerpo debe ser un objeto JSON");
		return NULL;
	}
	char path[160] = "";
	if (api_object_keys(resp, j, NULL, allowed)) {
		json_decref(j);
		return NULL;
	}
	if (nul_path(j, path, sizeof(path))) {
		json_decref(j);
		api_error(resp, 400, "invalid_characters", path,
			  "«%s» contiene caracteres de control (\\u0000)", path);
		return NULL;
	}
	trim_strings(j, NULL);
	req->json = j;
	return j;
}

int api_object_keys(struct api_resp *resp, json_t *obj, const char *field,
		    const char *const *allowed)
{
	if (!json_is_object(obj)) {
		api_error(resp, 400, "invalid_type", field,
			  "«%s» debe ser un objeto", field);
		return -1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; a && *a && !ok; a++)
			ok = !strcmp(*a, key);
		if (!ok) {
			char f[160];
			snprintf(f, sizeof(f), "%s%s%s", field ? field : "",
				 field ? "." : "", key);
			api_error(resp, 400, "unknown_field", f, "campo desconocido: %s", f);
			return -1;
		}
	}
	return 0;
}

static bool clean_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return false;
	return true;
}

/* A body field absent or null: fine when optional, a 400 when required. */
static int absent(struct api_resp *resp, const char *field, bool required)
{
	if (!required)
		return 0;
	api_error(resp, 400, "missing_field", field,
		  "falta el campo obligatorio «%s»", field);
	return -1;
}

int api_in(struct api_resp *resp, const char *parent, int rc)
{
	json_t *e = json_object_get(resp->json, "error");
	const char *f = json_string_value(json_object_get(e, "field"));
	if (!rc || !f)
		return rc;
	char full[160], was[100], now[200];
	snprintf(full, sizeof(full), "%s.%s", parent, f);
	const char *m = json_string_value(json_object_get(e, "message"));
	snprintf(was, sizeof(was), "«%s»", f);
	const char *at = m ? strstr(m, was) : NULL;
	if (at) {
		char msg[600];
		snprintf(now, sizeof(now), "«%s»", full);
		snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(at - m), m, now, at + strlen(was));
		json_object_set_new(e, "message", error_text(msg));
	}
	json_object_set_new(e, "field", error_text(full));
	return rc;
}

bool api_seconds_between(const char *a, const char *b, long *out)
{
	struct tm ta = {0}, tb = {0};
	if (!a || !b || !strptime(a, "%Y-%m-%dT%H:%M:%S", &ta) ||
	    !strptime(b, "%Y-%m-%dT%H:%M:%S", &tb))
		return false;
	*out = (long)(timegm(&tb) - timegm(&ta));
	return true;
}

int api_get_str(struct api_resp *resp, json_t *obj, const char *field,
		bool required, size_t maxlen, const char **out)
{
	json_t *v = json_object_get(obj, field);
	*out = NULL;
	if (!v || json_is_null(v))
		return absent(resp, field, required);
	if (!json_is_string(v)) {
		api_error(resp, 400, "invalid_type", field,
			  "«%s» debe ser un texto", field);
		return -1;
	}
	const char *s = json_string_value(v);
	if (json_string_length(v) != strlen(s) || !clean_text(s)) {
		api_error(resp, 400, "invalid_characters", field,
			  "«%s» contiene caracteres de control", field);
		return -1;
	}
	/* the limit is said in characters, so it counts characters: 101
	 * accented letters (202 bytes) are within 200 (jansson's strings
	 * are valid UTF-8) */
	if (maxlen && utf8_chars(s, json_string_length(v)) > maxlen) {
		api_error(resp, 400, "too_long", field,
			  "«%s» supera %zu caracteres", field, maxlen);
		return -1;
	}
	/* Blank is empty: a required field of spaces is refused, an optional
	 * one is absent - a justification, a receipt or an outcome of blanks
	 * must not pass for one, nor one of no-break or zero-width spaces. */
	bool blank = !names_visible(s);
	if (required && blank) {
		api_error(resp, 400, "empty_field", field,
			  "«%s» no puede estar vacío", field);
		return -1;
	}
	*out = blank ? NULL : s;
	return 0;
}

void api_like_escape(const char *in, char *out, size_t cap)
{
	size_t k = 0;
	for (const char *q = in; *q && k + 3 <= cap; q++) {
		if (*q == '!' || *q == '%' || *q == '_')
			out[k++] = '!';
		out[k++] = *q;
	}
	if (cap)
		out[k < cap ? k : cap - 1] = 0;
}

int api_get_amount(struct api_resp *resp, json_t *obj, const char *field,
		   int64_t *cents)
{
	json_t *v = json_object_get(obj, field);
	*cents = -1;
	if (!v || json_is_null(v))
		return 0;
	/* whole cents: 0.001 is not an amount (it would be stored as 0) */
	double d = json_is_number(v) ? json_number_value(v) * 100.0 : 0;
	long long c = (long long)llround(d);
	if (!json_is_number(v) || c < 1 || d > 1e9 || fabs(d - (double)c) > 1e-6) {
		api_error(resp, 400, "invalid_value", field,
			  "«%s»: importe positivo en dólares, con hasta dos decimales (p. ej. 150.00)", field);
		return -1;
	}
	*cents = c;
	return 0;
}

int api_get_int(struct api_resp *resp, json_t *obj, const char *field,
		bool required, long long min, long long max, long long *out)
{
	json_t *v = json_object_get(obj, field);
	*out = 0;
	if (!v || json_is_null(v))
		return absent(resp, field, required);
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		api_error(resp, 400, "invalid_value", field,
			  "«%s» debe ser un entero entre %lld y %lld", field, min, max);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool api_valid_date(const char *s, bool partial_ok)
{
	if (!s)
		return false;
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return false;
	if (n != 10 && !partial_ok)
		return false;
	if (!digits(s, 4))
		return false;
	int y = atoi(s);
	if (y < 1850 || y > 2200)
		return false;
	if (n == 4)
		return true;
	if (s[4] != '-' || !digits(s + 5, 2))
		return false;
	int m = atoi(s + 5);
	if (m < 1 || m > 12)
		return false;
	if (n == 7)
		return true;
	if (s[7] != '-' || !digits(s + 8, 2))
		return false;
	int d = atoi(s + 8);
	return d >= 1 && d <= days_in_month(y, m);
}

int api_get_date(struct api_resp *resp, json_t *obj, const char *field,
		 bool required, bool partial_ok, const char **out)
{
	/* no length limit of its own: a date typed a digit too long (year
	 * 22027) is a date that is not valid, said as such, not a text
	 * «que supera 10 caracteres» */
	if (api_get_str(resp, obj, field, required, 0, out))
		return -1;
	if (*out && !**out && !required) {
		*out = NULL;
		return 0;
	}
	if (*out && !api_valid_date(*out, partial_ok)) {
		api_error(resp, 400, "invalid_date", field,
			  partial_ok ? "«%s» debe ser una fecha AAAA-MM-DD, AAAA-MM o AAAA válida"
				     : "«%s» debe ser una fecha AAAA-MM-DD válida",
			  field);
		return -1;
	}
	return 0;
}

const char *api_said_day(const char *iso, char buf[16])
{
	int32_t d;
	struct sigm_error ignored;
	if (!iso || cal_parse_day(iso, &d, "day", &ignored))
		return iso;
	cal_format_es(d, buf);
	return buf;
}

void api_today(char out[11])
{
	time_t t = time(NULL) + CAL_SV_UTC_OFFSET_S;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
}

void api_now_hm(char out[6])
{
	time_t t = time(NULL) + CAL_SV_UTC_OFFSET_S;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 6, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

/*
 * An integer written one way only: digits, an optional leading '-', no
 * '+', spaces or leading zeros, within long long.  "06", "+6" and " 6"
 * would name record 6 too, and the audit, keyed by the text, would file
 * the read where a search for 6 does not find it.
 */
static bool canonical_int(const char *s, long long *out)
{
	const char *d = *s == '-' ? s + 1 : s;
	if (*d < '0' || *d > '9' || (*d == '0' && d[1]) || (d != s && *d == '0'))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

int api_path_id(struct api_req *req, struct api_resp *resp, const char *code,
		const char *what, int64_t *id)
{
	const char *s = req->nparams > 0 ? req->params[0] : "";
	long long v = 0;
	if (!canonical_int(s, &v) || v <= 0) {
		api_error(resp, 404, code, "id", "%s inexistente: %s", what, s);
		return -1;
	}
	*id = v;
	return 0;
}

void api_local_day(const char *iso_utc, char out[11])
{
	if (cal_local_day(iso_utc, CAL_SV_UTC_OFFSET_S, out))
		snprintf(out, 11, "%.10s", iso_utc ? iso_utc : "");
}

bool api_local_tm(const char *iso, struct tm *out)
{
	struct tm tm = {0};
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &tm.tm_year, &tm.tm_mon,
			   &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm) - 6 * 3600;
	gmtime_r(&t, out);
	return true;
}

void api_raw(struct api_resp *resp, int status, const char *content_type,
	     char *body, size_t len)
{
	resp->status = status;
	resp->body = body;
	resp->body_len = len;
	resp->content_type = content_type;
}

json_t *api_row_object(const struct store_rows *r, int row,
		       const char *const *int_cols)
{
	json_t *o = json_object();
	for (int c = 0; c < store_rows_cols(r); c++) {
		const char *name = store_rows_name(r, c);
		const char *v = store_rows_text(r, row, c);
		bool is_int = false;
		for (const char *const *k = int_cols; k && *k; k++)
			is_int |= !strcmp(*k, name);
		json_object_set_new(o, name,
				    !v ? json_null()
				       : is_int ? json_integer(strtoll(v, NULL, 10))
						: json_string(v));
	}
	return o;
}

json_t *api_page(const struct store_rows *r, long long limit,
		 const char *const *int_cols)
{
	int n = store_rows_count(r);
	json_t *items = json_array();
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, api_row_object(r, i, int_cols));
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	return json_pack("{s:o, s:o}", "items", items, "next_cursor", next);
}

const char *api_query(struct api_req *req, const char *name)
{
	const char *v = MHD_lookup_connection_value(req->conn,
						    MHD_GET_ARGUMENT_KIND, name);
	return v && *v ? v : NULL;
}

int api_query_port(struct api_req *req, struct api_resp *resp, const struct rules_port **out)
{
	const char *port = api_query(req, "port");
	*out = port ? rules_port_find(req->ctx->rules, port) : NULL;
	if (port && !*out) {
		api_error(resp, 400, "unknown_port", "port", "delegación desconocida «%s»", port);
		return -1;
	}
	return 0;
}

int api_query_enum(struct api_req *req, struct api_resp *resp,
		   const char *name, const char *const *allowed,
		   const char **out)
{
	const char *v = api_query(req, name);
	*out = v;
	if (!v)
		return 0;
	char list[300] = "";
	size_t k = 0;
	for (const char *const *a = allowed; *a; a++) {
		if (!strcmp(*a, v))
			return 0;
		int w = snprintf(list + k, sizeof(list) - k, "%s%s", k ? ", " : "", *a);
		if (w > 0 && (size_t)w < sizeof(list) - k)
			k += (size_t)w;
	}
	api_error(resp, 400, "invalid_value", name, "«%s»: %s", name, list);
	return -1;
}

int api_query_int(struct api_req *req, struct api_resp *resp,
		  const char *name, long long def, long long min,
		  long long max, long long *out)
{
	const char *v = api_query(req, name);
	*out = def;
	if (!v)
		return 0;
	long long n = 0;
	if (!canonical_int(v, &n) || n < min || n > max) {
		api_error(resp, 400, "invalid_parameter", name,
			  "«%s» debe ser un entero entre %lld y %lld", name,
			  min, max);
		return -1;
	}
	*out = n;
	return 0;
}

const char *api_req_header(struct api_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void api_audit_entry(struct api_req *req, struct audit_entry *e,
		     const char *action, const char *rtype, const char *rid,
		     const char *detail_json)
{
	e->actor = req->actor[0] ? req->actor : "anonymous";
	e->action = action;
	e->record_type = rtype;
	e->record_id = rid;
	e->remote_addr = req->remote;
	e->detail = detail_json;
}

int api_audit_tx(struct store_tx *tx, struct api_req *req, const char *action,
		 const char *rtype, const char *rid, json_t *detail,
		 struct sigm_error *err)
{
	struct audit_entry e;
	char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS)
			 : NULL;
	json_decref(detail);
	api_audit_entry(req, &e, action, rtype, rid, d);
	int rc = audit_append(tx, &e, err);
	free(d);
	return rc;
}

int api_audit(struct api_req *req, const char *action, const char *rtype,
	      const char *rid, json_t *detail)
{
	struct audit_entry e;
	char *d = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS)
			 : NULL;
	api_audit_entry(req, &e, action, rtype, rid, d);
	struct sigm_error err;
	int rc = audit_record(req->ctx->store, &e, &err);
	free(d);
	if (rc) {
		req->audit_failed = true;
		json_t *x = json_pack("{s:s, s:s}", "action", action, "error", err.message);
		api_log("error", "audit_write_failed", x);
		json_decref(x);
	}
	return rc;
}
