/*
 * verify_page.c - GET /verificar/{code}: the public page a QR code opens.
 * No login; it says only whether a certificate with that code exists, its
 * issue date, the holder's name and whether it was revoked — nothing else
 * (no birth date, documents, kind, requester or reason).  Plain HTML with
 * its own stylesheet and no script, under the same strict CSP as the app.
 * Rate-limited per client address; unknown codes get a 404 page.
 */
#include "api/api.h"
#include "api/certificates.h"
#include "api/pdf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Per-address fixed-window limit: enough for a person checking a few
 * documents, too little to enumerate (which 80 bits forbid anyway). */
#define RL_SLOTS 1024
#define RL_WINDOW 60
#define RL_MAX 30

static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char addr[64];
	time_t window;
	int count;
} rl[RL_SLOTS];

static bool rate_ok(const char *addr)
{
	uint32_t h = 2166136261u;
	for (const char *p = addr; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	time_t now = time(NULL), w = now - now % RL_WINDOW;
	pthread_mutex_lock(&rl_lock);
	int slot = (int)(h % RL_SLOTS);
	if (strcmp(rl[slot].addr, addr) || rl[slot].window != w) {
		snprintf(rl[slot].addr, sizeof(rl[slot].addr), "%s", addr);
		rl[slot].window = w;
		rl[slot].count = 0;
	}
	bool ok = ++rl[slot].count <= RL_MAX;
	pthread_mutex_unlock(&rl_lock);
	return ok;
}

/* Appends s to f with HTML escaping. */
static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

static void page(struct api_resp *resp, int status, const char *title,
		 const char *state_class, const char *lead, const char *code,
		 const char *date, const char *holder, const char *revoked_on)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		api_error(resp, 500, "internal", NULL, "sin memoria");
		return;
	}
	fputs("<!doctype html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"robots\" content=\"noindex\">\n<title>", f);
	esc(f, title);
	fputs(" — DGME</title>\n<link rel=\"icon\" href=\"/img/emblema.svg\">\n<link rel=\"stylesheet\" href=\"/css/verificar.css\">\n</head>\n<body>\n"
	      "<header class=\"barra\"><img src=\"/img/emblema.svg\" alt=\"\">"
	      "<div class=\"titulo\"><strong>Dirección General de Migración y Extranjería</strong>"
	      "<span>República de El Salvador — Verificación de certificaciones</span></div></header>\n"
	      "<main id=\"verificacion\">\n<h1>", f);
	esc(f, title);
	fprintf(f, "</h1>\n<p class=\"estado %s\" id=\"estado\">", state_class);
	esc(f, lead);
	fputs("</p>\n", f);
	if (code) {
		fputs("<dl>\n<dt>Código</dt><dd id=\"codigo\">", f);
		esc(f, code);
		fputs("</dd>\n<dt>Fecha de emisión</dt><dd id=\"fecha\">", f);
		esc(f, date);
		fputs("</dd>\n<dt>Titular</dt><dd id=\"titular\">", f);
		esc(f, holder);
		fputs("</dd>\n", f);
		if (revoked_on) {
			fputs("<dt>Revocado el</dt><dd id=\"revocado\">", f);
			esc(f, revoked_on);
			fputs("</dd>\n", f);
		}
		fputs("</dl>\n", f);
	}
	fputs("<p class=\"nota\">Esta página confirma únicamente la existencia de la certificación, su fecha, "
	      "el nombre de su titular y su vigencia. Compare estos datos con el documento que se le presenta. "
	      "Consultas: Secretaría General de la DGME.</p>\n</main>\n</body>\n</html>\n", f);
	fclose(f);
	api_raw(resp, status, "text/html; charset=utf-8", buf, len);
}

void api_verify_page(struct api_req *req, struct api_resp *resp);
void api_verify_page(struct api_req *req, struct api_resp *resp)
{
	char code[CODE_LEN + 4];
	if (!rate_ok(req->remote)) {
		api_header(resp, "Retry-After", "60");
		page(resp, 429, "Demasiadas consultas", "error",
		     "Ha hecho demasiadas consultas en poco tiempo. Intente de nuevo en un minuto.",
		     NULL, NULL, NULL, NULL);
		return;
	}
	struct store_rows *r = NULL;
	struct sigm_error err;
	struct store_val v[] = {sv_text(code)};
	if (!cert_canonical_code(req->params[0], code) ||
	    store_query(req->ctx->store,
			"SELECT holder_name, issued_at, status, revoked_at FROM certificates WHERE code = $1",
			v, 1, &r, &err) ||
	    store_rows_count(r) == 0) {
		store_rows_free(&r);
		page(resp, 404, "Certificación no encontrada", "error",
		     "No existe ninguna certificación con ese código. Revise que lo haya escrito completo.",
		     NULL, NULL, NULL, NULL);
		return;
	}
	char issued[64], revoked[64], day[11];
	api_local_day(store_rows_text(r, 0, 1), day);
	pdf_long_date(day, issued, sizeof(issued));
	bool is_revoked = !strcmp(store_rows_text(r, 0, 2), "revoked");
	if (is_revoked) {
		api_local_day(store_rows_text(r, 0, 3), day);
		pdf_long_date(day, revoked, sizeof(revoked));
	}
	page(resp, 200, "Verificación de certificación", is_revoked ? "revocado" : "valido",
	     is_revoked ? "Esta certificación fue REVOCADA y no tiene validez."
			: "Esta certificación fue emitida por la DGME y está vigente.",
	     code, issued, store_rows_text(r, 0, 0), is_revoked ? revoked : NULL);
	store_rows_free(&r);
}
