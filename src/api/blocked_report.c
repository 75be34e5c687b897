/*
 * blocked_report.c - the daily report of blocked exits (attempts to leave
 * the country under an active court restriction), by court and case, as
 * CSV or as a signed PDF: what the Secretaría General sends to each court
 * (manual, Secretaría General 20).  The rows come from api_blocked_exits()
 * (restrictions_api.c), already ordered by court, case and time.
 */
#include "api/api.h"
#include "api/bulk.h"
#include "api/pdf.h"
#include "core/rules.h"
#include "store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Columns of the query in api_blocked_exits(). */
enum { C_ID, C_COURT, C_CASE, C_RESTR, C_INSP, C_PERSON, C_PORT, C_AT, C_GIVEN,
       C_SUR, C_BIRTH, C_NAT, C_INFORMED };

static void local_hm(const char *iso, char *out, size_t cap)
{
	struct tm tm;
	if (!api_local_tm(iso, &tm))
		snprintf(out, cap, "%s", iso ? iso : "");
	else
		snprintf(out, cap, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static const char *port_name(struct api_req *req, const char *code)
{
	const struct rules_port *p = req->ctx->rules && code ? rules_port_find(req->ctx->rules, code) : NULL;
	return p ? p->name : code;
}

static bool same_text(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

int api_blocked_attempts(const struct store_rows *r, int *head)
{
	int n = store_rows_count(r), attempts = 0;
	for (int i = 0; i < n; i++) {
		head[i] = i;
		/* the latest attempt of the same person, restriction and post
		 * in this case: this read joins it when within the window of
		 * its first read, as a repeat at the booth is measured from
		 * the crossing first recorded */
		for (int j = i - 1; j >= 0 && same_text(store_rows_text(r, j, C_COURT), store_rows_text(r, i, C_COURT)) &&
				    same_text(store_rows_text(r, j, C_CASE), store_rows_text(r, i, C_CASE));
		     j--) {
			if (head[j] != j || store_rows_int(r, j, C_PERSON) != store_rows_int(r, i, C_PERSON) ||
			    store_rows_int(r, j, C_RESTR) != store_rows_int(r, i, C_RESTR) ||
			    !same_text(store_rows_text(r, j, C_PORT), store_rows_text(r, i, C_PORT)))
				continue;
			/* a time that does not read joins nothing */
			long gap = -1;
			api_seconds_between(store_rows_text(r, j, C_AT), store_rows_text(r, i, C_AT), &gap);
			if (gap >= 0 && gap <= API_SAME_CROSSING_S)
				head[i] = j;
			break;
		}
		if (head[i] == i)
			attempts++;
	}
	return attempts;
}

/* The reads of the attempt that row h opened: how many, the last one's
 * row, and the inspections, "12 14" (in ids, cap bytes). */
static int attempt_reads(const struct store_rows *r, const int *head, int h,
			 int *last, char *ids, size_t cap)
{
	int reads = 0;
	size_t k = 0;
	ids[0] = 0;
	for (int i = h; i < store_rows_count(r) &&
			same_text(store_rows_text(r, i, C_COURT), store_rows_text(r, h, C_COURT)) &&
			same_text(store_rows_text(r, i, C_CASE), store_rows_text(r, h, C_CASE));
	     i++) {
		if (head[i] != h)
			continue;
		reads++;
		*last = i;
		int w = snprintf(ids + k, cap - k, "%s%s", k ? " " : "", store_rows_text(r, i, C_INSP));
		if (w > 0 && (size_t)w < cap - k)
			k += (size_t)w;
	}
	return reads;
}

static void csv_report(struct api_req *req, struct api_resp *resp,
		       struct store_rows *r, const char *day)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		api_error(resp, 503, "no_memory", NULL, "sin memoria");
		return;
	}
	int *head = calloc((size_t)store_rows_count(r) + 1, sizeof(*head));
	if (!head) {
		fclose(f);
		free(buf);
		api_error(resp, 503, "no_memory", NULL, "sin memoria");
		return;
	}
	api_blocked_attempts(r, head);
	/* one row per attempt (its first read), as the JSON list and the
	 * PDF; the columns after inspection_id added for the repeats */
	fputs("court,case_number,restriction_id,at_local,port,port_name,given_names,surnames,birth_date,nationality,inspection_id,"
	      "reads,last_at_local,inspection_ids\r\n", f);
	for (int i = 0; i < store_rows_count(r); i++) {
		if (head[i] != i)
			continue;
		char at[40], last_at[40], ids[400], reads[16];
		int last = i;
		snprintf(reads, sizeof(reads), "%d", attempt_reads(r, head, i, &last, ids, sizeof(ids)));
		local_hm(store_rows_text(r, i, C_AT), at, sizeof(at));
		local_hm(store_rows_text(r, last, C_AT), last_at, sizeof(last_at));
		const char *v[] = {store_rows_text(r, i, C_COURT), store_rows_text(r, i, C_CASE),
				   store_rows_text(r, i, C_RESTR), at, store_rows_text(r, i, C_PORT),
				   port_name(req, store_rows_text(r, i, C_PORT)),
				   store_rows_text(r, i, C_GIVEN), store_rows_text(r, i, C_SUR),
				   store_rows_text(r, i, C_BIRTH), store_rows_text(r, i, C_NAT),
				   store_rows_text(r, i, C_INSP), reads, last_at, ids};
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
			if (k)
				fputc(',', f);
			bulk_csv_field(f, v[k]);
		}
		fputs("\r\n", f);
	}
	free(head);
	char name[60];
	snprintf(name, sizeof(name), "salidas-bloqueadas-%s.csv", day);
	bulk_csv_answer(resp, f, &buf, &len, name);
}

static void pdf_report(struct api_req *req, struct api_resp *resp,
		       struct store_rows *r, const char *day)
{
	int n = store_rows_count(r);
	/* one heading + one table per case */
	struct pdf_block *blocks = calloc((size_t)n * 2 + 4, sizeof(*blocks));
	const char **cells = calloc((size_t)n * 4 + 1, sizeof(*cells));
	char **owned = calloc((size_t)n * 3 + 4, sizeof(*owned));
	int *head = calloc((size_t)n + 1, sizeof(*head));
	int nb = 0, no = 0, nc = 0, attempts = 0;
	static const char *const head_cols[] = {"Fecha y hora", "Persona", "Nacimiento", "Delegación"};
	static const double widths[] = {0.2, 0.36, 0.14, 0.3};
	char date_long[64], intro[600];
	if (!blocks || !cells || !owned || !head)
		goto nomem;
	/* the court reads attempts to leave: a passport swiped twice (or
	 * the officer retrying) is one, its reads said in the time cell */
	attempts = api_blocked_attempts(r, head);
	pdf_long_date(day, date_long, sizeof(date_long));
	snprintf(intro, sizeof(intro),
		 "Intentos de salida del país de personas con restricción migratoria judicial vigente, "
		 "registrados por el control migratorio el %s, ordenados por juzgado y expediente. Total: %d.%s",
		 date_long, attempts,
		 attempts < n ? " Las lecturas repetidas del documento de la misma persona en la misma delegación "
				"dentro de cinco minutos (doble lectura, reintento del oficial) cuentan como un solo intento; "
				"se indica cuántas hubo." : "");
	blocks[nb++] = (struct pdf_block){.kind = PDF_PARA, .text = intro};
	if (n == 0)
		blocks[nb++] = (struct pdf_block){.kind = PDF_PARA,
						  .text = "No se registraron intentos de salida con restricción vigente en el día."};
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && !strcmp(store_rows_text(r, j, C_COURT), store_rows_text(r, i, C_COURT)) &&
		       !strcmp(store_rows_text(r, j, C_CASE), store_rows_text(r, i, C_CASE)))
			j++;
		if (asprintf(&owned[no], "%s — expediente %s (restricción %s)",
			     store_rows_text(r, i, C_COURT), store_rows_text(r, i, C_CASE),
			     store_rows_text(r, i, C_RESTR)) < 0)
			goto nomem;
		blocks[nb++] = (struct pdf_block){.kind = PDF_HEADING, .text = owned[no++]};
		int first = nc;
		for (int k = i; k < j; k++) {
			if (head[k] != k)
				continue;
			char at[40], last_at[40], ids[400];
			int last = k;
			int reads = attempt_reads(r, head, k, &last, ids, sizeof(ids));
			local_hm(store_rows_text(r, k, C_AT), at, sizeof(at));
			local_hm(store_rows_text(r, last, C_AT), last_at, sizeof(last_at));
			if ((reads > 1 ? asprintf(&owned[no], "%s (%d lecturas; la última a las %s)", at, reads,
						  strlen(last_at) > 11 ? last_at + 11 : last_at)
				       : asprintf(&owned[no], "%s", at)) < 0)
				goto nomem;
			cells[nc * 4] = owned[no++];
			if (asprintf(&owned[no], "%s %s (%s)",
				     store_rows_text(r, k, C_GIVEN) ? store_rows_text(r, k, C_GIVEN) : "",
				     store_rows_text(r, k, C_SUR) ? store_rows_text(r, k, C_SUR) : "",
				     store_rows_text(r, k, C_NAT) ? store_rows_text(r, k, C_NAT) : "—") < 0)
				goto nomem;
			cells[nc * 4 + 1] = owned[no++];
			cells[nc * 4 + 2] = store_rows_text(r, k, C_BIRTH);
			cells[nc * 4 + 3] = port_name(req, store_rows_text(r, k, C_PORT));
			nc++;
		}
		blocks[nb++] = (struct pdf_block){.kind = PDF_TABLE, .ncols = 4, .nrows = nc - first,
						  .headers = head_cols, .widths = widths,
						  .cells = cells + (size_t)first * 4};
		i = j;
	}
	char today[11], place[80], position[200], footer[120];
	api_today(today);
	char tl[64];
	pdf_long_date(today, tl, sizeof(tl));
	snprintf(place, sizeof(place), "San Salvador, %s.", tl);
	const char *unit = api_org_unit_name(req->ctx, req->who->unit);
	snprintf(position, sizeof(position), "%s — Dirección General de Migración y Extranjería",
		 unit ? unit : req->who->unit);
	snprintf(footer, sizeof(footer), "Informe diario de salidas bloqueadas — %s", day);
	struct pdf_doc doc = {
		.title = "INFORME DIARIO DE SALIDAS BLOQUEADAS",
		.blocks = blocks,
		.nblocks = nb,
		.place_date = place,
		.signer_name = req->who->display_name[0] ? req->who->display_name : req->who->username,
		.signer_position = position,
		.footer = footer,
		.meta_title = "Informe diario de salidas bloqueadas",
	};
	struct sigm_error err;
	char *pdf = NULL;
	size_t len = 0;
	if (pdf_render(&doc, &pdf, &len, &err)) {
		api_error_from(resp, &err);
		goto out;
	}
	api_raw(resp, 200, "application/pdf", pdf, len);
	char cd[100];
	snprintf(cd, sizeof(cd), "inline; filename=\"salidas-bloqueadas-%s.pdf\"", day);
	api_header(resp, "Content-Disposition", cd);
	goto out;
nomem:
	api_error(resp, 503, "no_memory", NULL, "sin memoria");
out:
	for (int i = 0; owned && i < no; i++)
		free(owned[i]);
	free(owned);
	free(cells);
	free(blocks);
	free(head);
}

void api_blocked_exits_report(struct api_req *req, struct api_resp *resp,
			      struct store_rows *r, const char *day,
			      const char *format);
void api_blocked_exits_report(struct api_req *req, struct api_resp *resp,
			      struct store_rows *r, const char *day,
			      const char *format)
{
	/* audited by the caller (api_blocked_exits), as the JSON list */
	if (!strcmp(format, "csv"))
		csv_report(req, resp, r, day);
	else
		pdf_report(req, resp, r, day);
}

/* ---- the court was informed ---- */

struct informed {
	struct api_req *req;
	const char *day, *court, *cas, *ref;
	int64_t n, attempts;
};

/* How many of the day's attempts of the court (and case) have a read not
 * yet informed: what this informing tells the court of, counted as the
 * report counts them (a double swipe is one attempt). */
static int pending_attempts(struct store_tx *tx, const struct informed *w,
			    int64_t *out, struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_text(w->day), sv_text(w->court), sv_opt(w->cas)};
	/* the columns of api_blocked_exits()'s query that the grouping reads */
	int rc = store_tx_query(tx, "SELECT b.id, b.court, b.case_number, b.restriction_id, b.inspection_id,"
				    " b.person_id, b.port, b.at, NULL, NULL, NULL, NULL, b.informed_at"
				    " FROM blocked_exits b WHERE b.day = $1 AND b.court = $2"
				    " AND (CAST($3 AS TEXT) IS NULL OR b.case_number = $3)"
				    " ORDER BY b.court, b.case_number, b.at",
				p, SV_N(p), &r, err);
	if (rc)
		return rc;
	int n = store_rows_count(r);
	int *head = calloc((size_t)n + 1, sizeof(*head));
	bool *pending = calloc((size_t)n + 1, sizeof(*pending));
	*out = 0;
	if (!head || !pending) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "no_memory", NULL, "sin memoria");
		goto out;
	}
	api_blocked_attempts(r, head);
	for (int i = 0; i < n; i++)
		if (store_rows_isnull(r, i, C_INFORMED) && !pending[head[i]]) {
			pending[head[i]] = true;
			(*out)++;
		}
out:
	free(pending);
	free(head);
	store_rows_free(&r);
	return rc;
}

static int informed_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct informed *w = arg;
	char now[40];
	store_now_iso(now, sizeof(now));
	int rc = pending_attempts(tx, w, &w->attempts, err);
	if (rc)
		return rc;
	/* every read of every attempt: each row says when it was informed */
	struct store_val p[] = {sv_text(w->day), sv_text(w->court), sv_opt(w->cas),
				sv_text(now), sv_text(w->req->actor)};
	rc = store_tx_exec(tx, "UPDATE blocked_exits SET informed_at = $4, informed_by = $5"
			       " WHERE day = $1 AND court = $2 AND (CAST($3 AS TEXT) IS NULL OR case_number = $3)"
			       " AND informed_at IS NULL",
			   p, SV_N(p), &w->n, err);
	if (rc)
		return rc;
	json_t *d = json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:I}", "day", w->day, "court",
			      w->court, "case_number", w->cas, "reference", w->ref,
			      "rows", (json_int_t)w->n, "attempts", (json_int_t)w->attempts);
	return api_audit_tx(tx, w->req, "blocked_exit.informed", "blocked_exit", w->day, d, err);
}

/* POST /api/v1/blocked-exits/informed {"date", "court", "case_number"?,
 * "reference"?}: the day's attempts of that court (and case) were reported
 * to it; the list shows when and by whom.  Already informed rows keep their
 * first date.  Every read of an attempt is marked. */
void api_blocked_exits_informed(struct api_req *req, struct api_resp *resp);
void api_blocked_exits_informed(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"date", "court", "case_number", "reference", NULL};
	struct informed w = {.req = req};
	struct sigm_error err;
	json_t *b = api_body_object(req, resp, f);
	if (!b || api_get_date(resp, b, "date", true, false, &w.day) ||
	    api_get_str(resp, b, "court", true, 200, &w.court) ||
	    api_get_str(resp, b, "case_number", false, 100, &w.cas) ||
	    api_get_str(resp, b, "reference", false, 200, &w.ref))
		return;
	if (store_write(req->ctx->store, informed_fn, &w, &err)) {
		api_error_from(resp, &err);
		return;
	}
	/* informed: the attempts, as the report counts them; reads: the
	 * records marked (a double swipe's two) */
	api_json(resp, 200, json_pack("{s:I, s:I}", "informed", (json_int_t)w.attempts,
				      "reads", (json_int_t)w.n));
}
