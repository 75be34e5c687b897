/*
 * blocked_report.c - the daily report of blocked exits (attempts to leave
 * the country under an active court restriction), by court and case, as
 * CSV or as a signed PDF: what the Secretaría General sends to each court
 * (manual, Secretaría General 20).  Also what counts the attempts, for the
 * JSON list (api_blocked_exits, restrictions_api.c), the files and the
 * court's being informed alike: api_blocked_read().
 */
#include "api/api.h"
#include "api/bulk.h"
#include "api/pdf.h"
#include "core/calendar.h"
#include "core/rules.h"
#include "store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define C_ID BLOCKED_C_ID
#define C_COURT BLOCKED_C_COURT
#define C_CASE BLOCKED_C_CASE
#define C_RESTR BLOCKED_C_RESTR
#define C_INSP BLOCKED_C_INSP
#define C_PORT BLOCKED_C_PORT
#define C_AT BLOCKED_C_AT
#define C_GIVEN BLOCKED_C_GIVEN
#define C_SUR BLOCKED_C_SUR
#define C_BIRTH BLOCKED_C_BIRTH
#define C_NAT BLOCKED_C_NAT
#define C_INFORMED BLOCKED_C_INFORMED
#define C_DAY BLOCKED_C_DAY
#define C_WHO BLOCKED_C_WHO

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

static bool same_case(const struct store_rows *r, int i, int j)
{
	return same_text(store_rows_text(r, i, C_COURT), store_rows_text(r, j, C_COURT)) &&
	       same_text(store_rows_text(r, i, C_CASE), store_rows_text(r, j, C_CASE));
}

/* head[i]: the row of row i's attempt's first read, over the n rows of r
 * (a prefix of the query's order reads the same heads as the whole). */
static void attempts_of(const struct store_rows *r, int n, int *head)
{
	for (int i = 0; i < n; i++) {
		head[i] = i;
		/* the latest attempt of the same traveler, restriction and
		 * post in this case: this read joins it when within the
		 * window of its first read, as a repeat at the booth is
		 * measured from the crossing first recorded */
		for (int j = i - 1; j >= 0 && same_case(r, i, j); j--) {
			/* the case's reads are in time order: one read before
			 * the window holds no attempt this read could join, nor
			 * does any before it (a case of many days' reads is not
			 * walked back to its start for each read) */
			long before = -1;
			if (api_seconds_between(store_rows_text(r, j, C_AT), store_rows_text(r, i, C_AT), &before) &&
			    before > API_SAME_CROSSING_S)
				break;
			if (head[j] != j || store_rows_int(r, j, C_WHO) != store_rows_int(r, i, C_WHO) ||
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
	}
}

/* Whether the attempt opened at row h of the n rows read is whole: a read
 * after it in another case, or past its window, shows no more can join. */
static bool attempt_whole(const struct store_rows *r, int n, int h)
{
	long gap = -1;
	return !same_case(r, h, n - 1) ||
	       (api_seconds_between(store_rows_text(r, h, C_AT), store_rows_text(r, n - 1, C_AT), &gap) &&
		gap > API_SAME_CROSSING_S);
}

static bool asked_day(const struct api_blocked_ask *q, const char *day)
{
	return (!q->from || (day && strcmp(day, q->from) >= 0)) && (!q->to || (day && strcmp(day, q->to) <= 0));
}

void api_blocked_release(struct api_blocked *b)
{
	store_rows_free(&b->r);
	free(b->row);
	free(b->head);
	memset(b, 0, sizeof(*b));
}

int api_blocked_read(struct store *s, struct store_tx *tx, const struct api_blocked_ask *q,
		     struct api_blocked *b, struct sigm_error *err)
{
	char before[11] = "", after[11] = "";
	int32_t d;
	int *head = NULL, *at = NULL, rc = 0;
	memset(b, 0, sizeof(*b));
	/* the day before the first asked: an attempt begun at 23:59 is
	 * that day's, and its read at 00:01 is not the next day's; the day
	 * after the last: such a read of an attempt of the last day */
	if (q->from) {
		if ((rc = cal_parse_day(q->from, &d, "from", err)))
			return rc;
		cal_format(d - 1, before);
	}
	if (q->to) {
		if ((rc = cal_parse_day(q->to, &d, "to", err)))
			return rc;
		cal_format(d + 1, after);
	}
	long long want = q->limit > 0 ? q->offset + q->limit : -1;
	/* rows to read: the attempts asked have a read or two each, and the
	 * days around them some more; read again with more when the page's
	 * attempts (and one more, to say whether more follow) are not all
	 * whole in what was read */
	long long cap = want < 0 ? INT64_MAX : 4 * (want + 1) + 64;
	for (;;) {
		struct store_val p[] = {sv_opt(q->from ? before : NULL), sv_opt(q->to ? after : NULL),
					sv_opt(q->court), sv_opt(q->cas), sv_int(cap)};
		static const char sql[] =
			"SELECT b.id, b.court, b.case_number, b.restriction_id, b.inspection_id, b.person_id, b.port, b.at,"
			" p.given_names, p.surnames, p.birth_date, p.nationality, b.informed_at, b.day,"
			" " API_TRAVELER("b.person_id") " AS traveler"
			" FROM blocked_exits b LEFT JOIN persons p ON p.id = b.person_id"
			" WHERE (CAST($1 AS TEXT) IS NULL OR b.day >= $1) AND (CAST($2 AS TEXT) IS NULL OR b.day <= $2)"
			" AND (CAST($3 AS TEXT) IS NULL OR b.court = $3)"
			" AND (CAST($4 AS TEXT) IS NULL OR b.case_number = $4)"
			" ORDER BY b.court, b.case_number, b.at, b.id"
			" LIMIT $5";
		store_rows_free(&b->r);
		rc = tx ? store_tx_query(tx, sql, p, SV_N(p), &b->r, err)
			: store_query(s, sql, p, SV_N(p), &b->r, err);
		if (rc)
			goto out;
		int n = store_rows_count(b->r);
		free(head);
		head = calloc((size_t)n + 1, sizeof(*head));
		if (!head)
			goto nomem;
		attempts_of(b->r, n, head);
		if (want < 0 || n < cap)
			break;
		/* the last attempt the page needs: the (want+1)th asked */
		long long k = 0;
		int last = -1;
		for (int i = 0; i < n && k <= want; i++)
			if (head[i] == i && asked_day(q, store_rows_text(b->r, i, C_DAY))) {
				k++;
				last = i;
			}
		if (k > want && attempt_whole(b->r, n, last))
			break;
		cap = cap > INT64_MAX / 4 ? INT64_MAX : cap * 4;
	}
	int n = store_rows_count(b->r);
	/* at[i]: the attempt's number among those asked, -1 when not */
	at = calloc((size_t)n + 1, sizeof(*at));
	b->row = calloc((size_t)n + 1, sizeof(*b->row));
	b->head = calloc((size_t)n + 1, sizeof(*b->head));
	if (!at || !b->row || !b->head)
		goto nomem;
	long long k = 0;
	for (int i = 0; i < n; i++) {
		if (head[i] != i) {
			at[i] = at[head[i]];
			continue;
		}
		at[i] = -1;
		if (!asked_day(q, store_rows_text(b->r, i, C_DAY)))
			continue;
		if (k >= q->offset && (want < 0 || k < want)) {
			at[i] = (int)k;
			b->attempts++;
		} else if (k >= q->offset) {
			b->more = true;
		}
		k++;
	}
	/* the reads of the page, the first of each attempt before its
	 * repeats; head[] in the page's numbering (head[i] reused: row i's
	 * place in the page) */
	for (int i = 0; i < n; i++) {
		if (at[i] < 0)
			continue;
		b->row[b->n] = i;
		b->head[b->n] = head[i] == i ? b->n : head[head[i]];
		head[i] = b->n++;
	}
	goto out;
nomem:
	rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
out:
	free(head);
	free(at);
	return rc;
}

/* What b's page says of each attempt, indexed as b->head by the attempt's
 * first read: told[h], a read of it was informed; shown[h] (the array's
 * second half, at told + b->n + 1), a read of it has a record id <=
 * through, the officer's list (seen_through) having held it.  A new array,
 * the caller frees it; NULL out of memory.  mark(), api_blocked_through()
 * and api_blocked_later_prev() decide with these, so they agree. */
static bool *attempt_flags(const struct api_blocked *b, long long through)
{
	bool *told = calloc(2 * ((size_t)b->n + 1), sizeof(*told)), *shown;
	if (!told)
		return NULL;
	shown = told + b->n + 1;
	for (int i = 0; i < b->n; i++) {
		if (!store_rows_isnull(b->r, b->row[i], C_INFORMED))
			told[b->head[i]] = true;
		if (store_rows_int(b->r, b->row[i], C_ID) <= through)
			shown[b->head[i]] = true;
	}
	return told;
}

int api_blocked_through(struct api_blocked *b, long long through)
{
	/* to[k]: read k's place once the others are gone, -1 when gone */
	int *to = calloc((size_t)b->n + 1, sizeof(*to)), left = 0, m = 0;
	bool *flags = attempt_flags(b, through), *shown = flags ? flags + b->n + 1 : NULL;
	if (!to || !flags) {
		free(to);
		free(flags);
		return -1;
	}
	/* an attempt's first read comes before its others: to[h] is set
	 * when a later read of it asks for it, and m <= k writes no slot
	 * yet to be read */
	for (int k = 0; k < b->n; k++) {
		int h = b->head[k];
		if (!shown[h]) {
			to[k] = -1;
			left += h == k;
			continue;
		}
		to[k] = m;
		b->row[m] = b->row[k];
		b->head[m++] = to[h];
	}
	b->n = m;
	b->attempts -= left;
	free(to);
	free(flags);
	return left;
}

/* The reads of the attempt that read h of the page opened: how many, the
 * last one's, and the inspections, "12 14" (in ids, cap bytes). */
static int attempt_reads(const struct api_blocked *b, int h, int *last, char *ids, size_t cap)
{
	int reads = 0;
	size_t k = 0;
	ids[0] = 0;
	for (int i = h; i < b->n && same_case(b->r, b->row[i], b->row[h]); i++) {
		if (b->head[i] != h)
			continue;
		reads++;
		*last = i;
		int w = snprintf(ids + k, cap - k, "%s%s", k ? " " : "", store_rows_text(b->r, b->row[i], C_INSP));
		if (w > 0 && (size_t)w < cap - k)
			k += (size_t)w;
	}
	return reads;
}

/* Column col of the page's read k. */
static const char *txt(const struct api_blocked *b, int k, int col)
{
	return store_rows_text(b->r, b->row[k], col);
}

static void csv_report(struct api_req *req, struct api_resp *resp,
		       const struct api_blocked *b, const char *day)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
		return;
	}
	/* one row per attempt (its first read), as the JSON list and the
	 * PDF; the columns after inspection_id added for the repeats */
	fputs("court,case_number,restriction_id,at_local,port,port_name,given_names,surnames,birth_date,nationality,inspection_id,"
	      "reads,last_at_local,inspection_ids\r\n", f);
	for (int i = 0; i < b->n; i++) {
		if (b->head[i] != i)
			continue;
		char at[40], last_at[40], ids[400], reads[16];
		int last = i;
		snprintf(reads, sizeof(reads), "%d", attempt_reads(b, i, &last, ids, sizeof(ids)));
		local_hm(txt(b, i, C_AT), at, sizeof(at));
		local_hm(txt(b, last, C_AT), last_at, sizeof(last_at));
		const char *v[] = {txt(b, i, C_COURT), txt(b, i, C_CASE), txt(b, i, C_RESTR), at,
				   txt(b, i, C_PORT), port_name(req, txt(b, i, C_PORT)),
				   txt(b, i, C_GIVEN), txt(b, i, C_SUR), txt(b, i, C_BIRTH),
				   txt(b, i, C_NAT), txt(b, i, C_INSP), reads, last_at, ids};
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
			if (k)
				fputc(',', f);
			bulk_csv_field(f, v[k]);
		}
		fputs("\r\n", f);
	}
	char name[60];
	snprintf(name, sizeof(name), "salidas-bloqueadas-%s.csv", day);
	bulk_csv_answer(resp, f, &buf, &len, name);
}

/* through, left: api_blocked_through()'s (through < 0: not asked) */
static void pdf_report(struct api_req *req, struct api_resp *resp,
		       const struct api_blocked *b, const char *day, long long through, int left)
{
	int n = b->n;
	/* one heading + one table per case */
	struct pdf_block *blocks = calloc((size_t)n * 2 + 4, sizeof(*blocks));
	const char **cells = calloc((size_t)n * 4 + 1, sizeof(*cells));
	char **owned = calloc((size_t)n * 3 + 4, sizeof(*owned));
	int nb = 0, no = 0, nc = 0, attempts = b->attempts;
	static const char *const head_cols[] = {"Fecha y hora", "Persona", "Nacimiento", "Delegación"};
	static const double widths[] = {0.2, 0.36, 0.14, 0.3};
	char date_long[64], intro[900], later[200] = "";
	if (!blocks || !cells || !owned)
		goto nomem;
	/* the court reads attempts to leave: a passport swiped twice (or
	 * the officer retrying) is one, its reads said in the time cell */
	pdf_long_date(day, date_long, sizeof(date_long));
	/* the court is told the day is not whole here: the attempts left
	 * out stay pending, and reach it in a later report */
	if (left > 0)
		snprintf(later, sizeof(later),
			 left == 1 ? " No incluye %d intento registrado después de leerse la lista (registro n.º %lld); "
				     "se informará aparte."
				   : " No incluye %d intentos registrados después de leerse la lista (registro n.º %lld); "
				     "se informarán aparte.",
			 left, through);
	snprintf(intro, sizeof(intro),
		 "Intentos de salida del país de personas con restricción migratoria judicial vigente, "
		 "registrados por el control migratorio el %s, ordenados por juzgado y expediente. Total: %d.%s%s",
		 date_long, attempts,
		 attempts < n ? " Las lecturas repetidas del documento de la misma persona en la misma delegación "
				"dentro de cinco minutos (doble lectura, reintento del oficial) cuentan como un solo intento, "
				"del día de su primera lectura; se indica cuántas hubo." : "",
		 later);
	blocks[nb++] = (struct pdf_block){.kind = PDF_PARA, .text = intro};
	if (n == 0)
		blocks[nb++] = (struct pdf_block){.kind = PDF_PARA,
						  .text = "No se registraron intentos de salida con restricción vigente en el día."};
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && same_case(b->r, b->row[j], b->row[i]))
			j++;
		if (asprintf(&owned[no], "%s — expediente %s (restricción %s)", txt(b, i, C_COURT),
			     txt(b, i, C_CASE), txt(b, i, C_RESTR)) < 0)
			goto nomem;
		blocks[nb++] = (struct pdf_block){.kind = PDF_HEADING, .text = owned[no++]};
		int first = nc;
		for (int k = i; k < j; k++) {
			if (b->head[k] != k)
				continue;
			char at[40], last_at[40], ids[400];
			int last = k;
			int reads = attempt_reads(b, k, &last, ids, sizeof(ids));
			local_hm(txt(b, k, C_AT), at, sizeof(at));
			local_hm(txt(b, last, C_AT), last_at, sizeof(last_at));
			if ((reads > 1 ? asprintf(&owned[no], "%s (%d lecturas; la última a las %s)", at, reads,
						  strlen(last_at) > 11 ? last_at + 11 : last_at)
				       : asprintf(&owned[no], "%s", at)) < 0)
				goto nomem;
			cells[nc * 4] = owned[no++];
			if (asprintf(&owned[no], "%s %s (%s)", txt(b, k, C_GIVEN) ? txt(b, k, C_GIVEN) : "",
				     txt(b, k, C_SUR) ? txt(b, k, C_SUR) : "",
				     txt(b, k, C_NAT) ? txt(b, k, C_NAT) : "—") < 0)
				goto nomem;
			cells[nc * 4 + 1] = owned[no++];
			cells[nc * 4 + 2] = txt(b, k, C_BIRTH);
			cells[nc * 4 + 3] = port_name(req, txt(b, k, C_PORT));
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
	api_error(resp, 503, "out_of_memory", NULL, "sin memoria");
out:
	for (int i = 0; owned && i < no; i++)
		free(owned[i]);
	free(owned);
	free(cells);
	free(blocks);
}

void api_blocked_exits_report(struct api_req *req, struct api_resp *resp,
			      const struct api_blocked *b, const char *day,
			      const char *format, long long through, int left)
{
	/* audited by the caller (api_blocked_exits), as the JSON list */
	if (!strcmp(format, "csv"))
		csv_report(req, resp, b, day);
	else
		pdf_report(req, resp, b, day, through, left);
}

/* ---- the reads a day's screen shows nothing of ---- */

int api_blocked_later_prev(struct store *s, const char *day, const char *court, const char *cas,
			   json_t **out, struct sigm_error *err)
{
	struct api_blocked b;
	char prev[11];
	int32_t d;
	bool *told = NULL;
	int rc;
	*out = NULL;
	if ((rc = cal_parse_day(day, &d, "date", err)))
		return rc;
	cal_format(d - 1, prev);
	struct api_blocked_ask q = {.from = prev, .to = prev, .court = court, .cas = cas};
	if ((rc = api_blocked_read(s, NULL, &q, &b, err)))
		goto out;
	/* only an attempt told already has its later reads marked from the
	 * day before's screen (later_reads_only) */
	told = attempt_flags(&b, -1);
	*out = json_array();
	if (!told || !*out)
		goto nomem;
	/* the page is in court and case order: one item per case */
	json_t *cur = NULL;
	int last = -1;
	for (int i = 0; i < b.n; i++) {
		if (!told[b.head[i]] || !store_rows_isnull(b.r, b.row[i], C_INFORMED) ||
		    !same_text(txt(&b, i, C_DAY), day))
			continue;
		if (last < 0 || !same_case(b.r, b.row[last], b.row[i])) {
			cur = json_pack("{s:s, s:s?, s:s?, s:i}", "date", prev, "court", txt(&b, i, C_COURT),
					"case_number", txt(&b, i, C_CASE), "reads", 0);
			if (!cur || json_array_append_new(*out, cur))
				goto nomem;
		}
		last = i;
		json_t *n = json_object_get(cur, "reads");
		json_integer_set(n, json_integer_value(n) + 1);
	}
	goto out;
nomem:
	rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
out:
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	free(told);
	api_blocked_release(&b);
	return rc;
}

/* ---- the court was informed ---- */

struct informed {
	struct api_req *req;
	const char *day, *court, *cas, *ref;
	/* only the reads that joined attempts already told: the screen's
	 * «Informar lectura posterior», which must not tell the court of an
	 * attempt stored after it was read */
	bool later_only;
	/* the highest record id of the list the officer read (0: not said):
	 * an attempt none of whose reads it showed was stored after, and the
	 * court was not sent it */
	int64_t seen;
	int64_t n, attempts, left;
};

/* Marks the reads of b's attempts not yet informed, and counts in
 * w->attempts those the court hears of now: of the day informed (prev
 * false), every read of every attempt, an attempt told once staying told
 * (a retry read after the informing is marked, not told again); of the
 * day before (prev true), only the reads made on the day informed of
 * attempts the court was already told of: a double swipe at 23:59 and
 * 00:01 is the first day's attempt, and when that day was informed
 * between the two reads nothing else would ever mark the second.  With
 * w->later_only, of either day only reads of attempts already told.  With
 * w->seen, an attempt not yet told is told only when the officer's list
 * showed one of its reads (id <= w->seen); one stored since stays pending,
 * counted in w->left.  Ids, not times: the writer gives them in commit
 * order on either engine, where a read's time is the booth's clock. */
static int mark(struct store_tx *tx, struct informed *w, const struct api_blocked *b, bool prev,
		const char *now, struct sigm_error *err)
{
	int rc = 0;
	/* told[h] is set again below as the attempt h is told */
	bool *told = attempt_flags(b, w->seen), *shown;
	if (!told)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	shown = told + b->n + 1;
	for (int i = 0; !rc && i < b->n; i++) {
		if (!store_rows_isnull(b->r, b->row[i], C_INFORMED))
			continue;
		if ((prev || w->later_only) && !told[b->head[i]])
			continue;
		if (prev && !same_text(store_rows_text(b->r, b->row[i], C_DAY), w->day))
			continue;
		/* none of its reads told, none shown: all of them are still
		 * unmarked, so its first read counts it once */
		if (w->seen && !told[b->head[i]] && !shown[b->head[i]]) {
			w->left += b->head[i] == i;
			continue;
		}
		if (!told[b->head[i]]) {
			told[b->head[i]] = true;
			w->attempts++;
		}
		int64_t changed = 0;
		struct store_val p[] = {sv_int(store_rows_int(b->r, b->row[i], C_ID)), sv_text(now),
					sv_text(w->req->actor)};
		rc = store_tx_exec(tx, "UPDATE blocked_exits SET informed_at = $2, informed_by = $3"
				       " WHERE id = $1 AND informed_at IS NULL",
				   p, SV_N(p), &changed, err);
		w->n += changed;
	}
	free(told);
	return rc;
}

/* The day's attempts of the court (and case), as the report reads them
 * (a double swipe is one attempt, a traveler's linked records one
 * person, an attempt begun the day before is not the day's and one begun
 * this day keeps its reads of the next), and the day's reads of the day
 * before's attempts already told (mark()). */
static int informed_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct informed *w = arg;
	struct api_blocked b;
	char now[40], prev[11];
	int32_t day;
	int rc;
	store_now_iso(now, sizeof(now));
	if ((rc = cal_parse_day(w->day, &day, "date", err)))
		return rc;
	cal_format(day - 1, prev);
	/* the day's attempts, then the day before's (mark()) */
	const char *days[] = {w->day, prev};
	for (int k = 0; k < 2; k++) {
		struct api_blocked_ask q = {.from = days[k], .to = days[k], .court = w->court, .cas = w->cas};
		rc = api_blocked_read(NULL, tx, &q, &b, err);
		if (!rc)
			rc = mark(tx, w, &b, k == 1, now, err);
		api_blocked_release(&b);
		if (rc)
			return rc;
	}
	json_t *d = json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:I}", "day", w->day, "court",
			      w->court, "case_number", w->cas, "reference", w->ref,
			      "rows", (json_int_t)w->n, "attempts", (json_int_t)w->attempts);
	if (d && w->later_only)
		json_object_set_new(d, "later_reads_only", json_true());
	if (d && w->seen) {
		json_object_set_new(d, "seen_through", json_integer(w->seen));
		json_object_set_new(d, "left_pending", json_integer(w->left));
	}
	return api_audit_tx(tx, w->req, "blocked_exit.informed", "blocked_exit", w->day, d, err);
}

/* POST /api/v1/blocked-exits/informed {"date", "court", "case_number"?,
 * "reference"?, "later_reads_only"?}: the day's attempts of that court (and
 * case) were reported to it; the list shows when and by whom.  Already
 * informed rows keep their first date.  Every read of an attempt is
 * marked, and the day's reads of the day before's attempts already told
 * (mark()).  later_reads_only: the reads that joined attempts already
 * told, alone (a court with no attempt pending on the screen, whose next
 * day may have none to inform: informing the day would also tell the
 * court of any attempt stored since the screen was read).  seen_through:
 * the highest record id ("ids") of the list the officer read and sent;
 * an attempt of the day the court was not told of, none of whose reads
 * is that old, arrived after and stays pending (left_pending). */
void api_blocked_exits_informed(struct api_req *req, struct api_resp *resp);
void api_blocked_exits_informed(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"date", "court", "case_number", "reference", "later_reads_only",
					"seen_through", NULL};
	struct informed w = {.req = req};
	struct sigm_error err;
	long long seen;
	json_t *b = api_body_object(req, resp, f);
	if (!b || api_get_date(resp, b, "date", true, false, &w.day) ||
	    api_get_str(resp, b, "court", true, 200, &w.court) ||
	    api_get_str(resp, b, "case_number", false, 100, &w.cas) ||
	    api_get_str(resp, b, "reference", false, 200, &w.ref) ||
	    api_get_int(resp, b, "seen_through", false, 1, INT64_MAX, &seen))
		return;
	w.seen = seen;
	json_t *later = json_object_get(b, "later_reads_only");
	if (later && !json_is_boolean(later)) {
		api_error(resp, 400, "invalid_type", "later_reads_only", "«later_reads_only» debe ser true o false");
		return;
	}
	w.later_only = json_is_true(later);
	if (store_write(req->ctx->store, informed_fn, &w, &err)) {
		api_error_from(resp, &err);
		return;
	}
	/* informed: the attempts, as the report counts them; reads: the
	 * records marked (a double swipe's two); left_pending: the attempts
	 * stored after the list was read (0 without seen_through) */
	api_json(resp, 200, json_pack("{s:I, s:I, s:I}", "informed", (json_int_t)w.attempts,
				      "reads", (json_int_t)w.n, "left_pending", (json_int_t)w.left));
}
