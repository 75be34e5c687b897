/*
 * certificates_api.c - certificates of migratory movements and of
 * restrictions (Secretaría General), requested by the person, a court or
 * the Ministerio Público, and their public verification page.
 *
 * Issuing takes a snapshot of what is certified (identity, documents, and
 * the movements or the restrictions in force that day) and stores it with a
 * random code in the same transaction as its audit entry; the PDF is drawn
 * from that snapshot (pdf.c), so every download is the same document.
 *
 * The code is 16 characters of Crockford's base-32 (80 bits from
 * libsodium), printed in groups of four: unguessable, and readable over the
 * phone (no I, L, O, U; lookups fold them).  The public page
 * GET /verificar/{code} says only whether the code exists, its issue date,
 * the holder's name and whether it was revoked; it is rate-limited per
 * client address.
 *
 * The restrictions certificate matches the person against every active
 * restriction exactly as border control does (api_subject_matches on each
 * of the person's documents and on the names with the birth date).  Hook:
 * when the screening index (fuzzy names) exists, its candidates should be
 * added in restrictions_in_force(), flagged for the officer's review.
 */
#include "api/api.h"
#include "api/pdf.h"
#include "core/rules.h"
#include "store/audit.h"
#include "store/persons.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CODE_LEN 16
#define MAX_MOVEMENTS 5000
#define MAX_DOCS 50

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static const char *const KINDS[] = {"movements", "restrictions", NULL};
static const char *const REQUESTERS[] = {"person", "court", "public_ministry",
					 NULL};

static const char *const CERT_COLS =
	"id, code, kind, person_id, holder_name, requester_kind, requester_name,"
	" requester_reference, purpose, as_of, issued_at, issued_by, signer_name,"
	" signer_unit, status, revoked_at, revoked_by, revoke_reason";
static const char *const CERT_INTS[] = {"id", "person_id", NULL};

static bool one_of(const char *v, const char *const *set)
{
	for (const char *const *k = set; *k; k++)
		if (!strcmp(*k, v))
			return true;
	return false;
}

/* ---- codes ---- */

static void new_code(char out[CODE_LEN + 4])
{
	int k = 0;
	for (int i = 0; i < CODE_LEN; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = ALPHABET[randombytes_uniform(32)];
	}
	out[k] = 0;
}

/* A code as typed or scanned into its canonical grouped form: case and
 * separators ignored, O read as 0 and I, L as 1.  false when it cannot be
 * a code (so no query is made for junk). */
static bool canonical_code(const char *in, char out[CODE_LEN + 4])
{
	char raw[CODE_LEN];
	int n = 0;
	if (strlen(in) > 40)
		return false;
	for (const char *p = in; *p; p++) {
		char c = (char)toupper((unsigned char)*p);
		if (c == '-' || c == ' ')
			continue;
		if (c == 'O')
			c = '0';
		if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(ALPHABET, c) || !c || n >= CODE_LEN)
			return false;
		raw[n++] = c;
	}
	if (n != CODE_LEN)
		return false;
	int k = 0;
	for (int i = 0; i < CODE_LEN; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = raw[i];
	}
	out[k] = 0;
	return true;
}

/* ---- dates ---- */

/* "2026-11-25T18:03:00.000Z" (UTC) -> "25/11/2026 12:03" in El Salvador
 * (UTC-6 all year). */
static void local_time(const char *iso, char *out, size_t cap)
{
	struct tm tm = {0};
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &tm.tm_year, &tm.tm_mon,
			   &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5) {
		snprintf(out, cap, "%s", iso ? iso : "");
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm) - 6 * 3600;
	gmtime_r(&t, &tm);
	snprintf(out, cap, "%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

static void short_date(const char *ymd, char *out, size_t cap)
{
	int y, m, d;
	if (ymd && strlen(ymd) == 10 && sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(out, cap, "%02d/%02d/%04d", d, m, y);
	else
		snprintf(out, cap, "%s", ymd ? ymd : "");
}

/* ---- gathering what is certified ---- */

static json_t *rows_json(struct store_rows *r, const char *const *ints)
{
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++)
		json_array_append_new(a, api_row_object(r, i, ints));
	return a;
}

static void add_match_candidates(struct store *s, const char *sql,
				  const struct store_val *p, int n,
				  json_t *byid, struct sigm_error *err, int *rc)
{
	struct store_rows *r = NULL;
	if (*rc || (*rc = store_query(s, sql, p, n, &r, err)))
		return;
	static const char *const ints[] = {"id", NULL};
	for (int i = 0; i < store_rows_count(r); i++)
		json_object_set_new(byid, store_rows_text(r, i, 0),
				    api_row_object(r, i, ints));
	store_rows_free(&r);
}

/* The DUI as restrictions store it ("12345678-9") from a Salvadoran
 * identity card's number; NULL when the document is not one. */
static const char *dui_of(const char *kind, const char *state,
			  const char *number, char buf[12])
{
	if (!kind || strcmp(kind, "id_card") || !state || strcmp(state, "SLV") ||
	    !number || strlen(number) != 9)
		return NULL;
	snprintf(buf, 12, "%.8s-%c", number, number[8]);
	return buf;
}

#define RESTR_Q                                                             \
	"SELECT id, court, case_number, measure, order_date, effective_from,"  \
	" effective_to, given_names, surnames, birth_date, document_number, dui" \
	" FROM restrictions WHERE status = 'active' AND effective_from <= $1"    \
	" AND (effective_to IS NULL OR effective_to >= $1)"

/*
 * Restrictions in force on as_of that match the person, as border control
 * matches them: by any of the person's documents (number, or DUI for a
 * Salvadoran identity card), or by folded names with the birth date.
 */
static int restrictions_in_force(struct store *s, struct store_rows *person,
				 struct store_rows *docs, const char *as_of,
				 json_t **out, struct sigm_error *err)
{
	int rc = 0;
	json_t *cand = json_object();
	const char *birth = store_rows_text(person, 0, 3);
	for (int i = 0; i < store_rows_count(docs); i++) {
		char dbuf[12];
		const char *dui = dui_of(store_rows_text(docs, i, 1),
					 store_rows_text(docs, i, 4),
					 store_rows_text(docs, i, 3), dbuf);
		struct store_val p[] = {sv_text(as_of),
					sv_text(store_rows_text(docs, i, 3)),
					sv_opt(dui)};
		add_match_candidates(s, RESTR_Q " AND (document_number = $2 OR dui = $3)",
				     p, 3, cand, err, &rc);
	}
	if (birth) {
		struct store_val p[] = {sv_text(as_of), sv_text(birth)};
		add_match_candidates(s, RESTR_Q " AND substr(birth_date, 1, 4) = substr($2, 1, 4) LIMIT 1000",
				     p, 2, cand, err, &rc);
	}
	/* Screening-index hook: fuzzy name candidates go here. */
	json_t *list = json_array();
	const char *key;
	json_t *r;
	json_object_foreach(cand, key, r) {
		const char *g = json_string_value(json_object_get(r, "given_names"));
		const char *sn = json_string_value(json_object_get(r, "surnames"));
		const char *b = json_string_value(json_object_get(r, "birth_date"));
		const char *dn = json_string_value(json_object_get(r, "document_number"));
		const char *rd = json_string_value(json_object_get(r, "dui"));
		bool hit = false;
		double score;
		/* the names alone (no document), then each document */
		struct persons_doc d = {
			.given_names = store_rows_text(person, 0, 1),
			.surnames = store_rows_text(person, 0, 2),
			.birth_date = birth};
		hit = api_subject_matches(&d, NULL, g, sn, b, dn, rd, &score);
		for (int i = 0; !hit && i < store_rows_count(docs); i++) {
			char dbuf[12];
			d.number = store_rows_text(docs, i, 3);
			const char *dui = dui_of(store_rows_text(docs, i, 1),
						 store_rows_text(docs, i, 4),
						 d.number, dbuf);
			hit = api_subject_matches(&d, dui, g, sn, b, dn, rd, &score);
		}
		if (hit)
			json_array_append(list, r);
	}
	json_decref(cand);
	if (rc) {
		json_decref(list);
		return rc;
	}
	/* stable order: by effective date, then id */
	size_t n = json_array_size(list);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(list, j - 1), *b = json_array_get(list, j);
			int c = strcmp(json_string_value(json_object_get(a, "effective_from")),
				       json_string_value(json_object_get(b, "effective_from")));
			if (c < 0 || (c == 0 && json_integer_value(json_object_get(a, "id")) <
							 json_integer_value(json_object_get(b, "id"))))
				break;
			json_incref(a);
			json_array_set(list, j - 1, b);
			json_array_set_new(list, j, a);
		}
	/* the exit permits of each, for the record */
	size_t i;
	json_array_foreach(list, i, r) {
		struct store_rows *pr = NULL;
		struct store_val v[] = {sv_int(json_integer_value(json_object_get(r, "id")))};
		if ((rc = store_query(s, "SELECT valid_from, valid_to, destination, authorization_ref AS authorization FROM restriction_permits WHERE restriction_id = $1 ORDER BY id",
				      v, 1, &pr, err)))
			break;
		json_object_set_new(r, "permits", rows_json(pr, NULL));
		store_rows_free(&pr);
		/* the certificate shows court and case, not the registry's copy
		 * of the identity */
		json_object_del(r, "given_names");
		json_object_del(r, "surnames");
		json_object_del(r, "birth_date");
		json_object_del(r, "document_number");
		json_object_del(r, "dui");
	}
	if (rc) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int movements_of(struct api_ctx *ctx, int64_t person_id,
			const char *from, const char *to, json_t **out,
			struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_int(person_id), sv_opt(from), sv_opt(to),
				sv_int(MAX_MOVEMENTS + 1)};
	/* Corrected movements and their compensating entries cancel out:
	 * what is certified is what stands in the ledger. */
	int rc = store_query(ctx->store,
			     "SELECT m.at, m.direction, m.port, d.number AS document_number, d.issuing_state"
			     " FROM movements m LEFT JOIN documents d ON d.id = m.document_id"
			     " WHERE m.person_id = $1 AND m.corrects_movement_id IS NULL"
			     " AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = m.id)"
			     " AND (CAST($2 AS TEXT) IS NULL OR m.day >= $2) AND (CAST($3 AS TEXT) IS NULL OR m.day <= $3)"
			     " ORDER BY m.at, m.id LIMIT $4",
			     p, SV_N(p), &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) > MAX_MOVEMENTS) {
		store_rows_free(&r);
		sigm_error_set(err, SIGM_ETOOBIG, "too_many_movements", "from",
			       "más de %d movimientos: indique un período (from, to)",
			       MAX_MOVEMENTS);
		return SIGM_ETOOBIG;
	}
	json_t *a = json_array();
	for (int i = 0; i < store_rows_count(r); i++) {
		json_t *m = api_row_object(r, i, NULL);
		const struct rules_port *pt =
			ctx->rules ? rules_port_find(ctx->rules, store_rows_text(r, i, 2)) : NULL;
		json_object_set_new(m, "port_name",
				    json_string(pt ? pt->name : store_rows_text(r, i, 2)));
		json_array_append_new(a, m);
	}
	store_rows_free(&r);
	*out = a;
	return 0;
}

/* ---- the PDF from a stored certificate ---- */

static const char *measure_es(const char *m)
{
	if (!m)
		return "";
	if (!strcmp(m, "exit_ban"))
		return "Impedimento de salida del país";
	if (!strcmp(m, "passport_retention"))
		return "Retención de pasaporte";
	if (!strcmp(m, "periodic_appearance"))
		return "Presentación periódica";
	return "Otra medida cautelar";
}

static const char *doc_kind_es(const char *k)
{
	if (!k)
		return "Documento";
	if (!strcmp(k, "passport"))
		return "Pasaporte";
	if (!strcmp(k, "id_card"))
		return "Documento de identidad";
	if (!strcmp(k, "residence_card"))
		return "Carné de residente";
	if (!strcmp(k, "visa"))
		return "Visa";
	return "Documento";
}

static const char *sex_es(const char *s)
{
	if (!s)
		return NULL;
	return !strcmp(s, "M") ? "Masculino" : !strcmp(s, "F") ? "Femenino" : "No especificado";
}

/* Strings the PDF description points into, freed together. */
struct strpool {
	char *s[MAX_MOVEMENTS * 2 + 256];
	int n;
};

static const char *keep(struct strpool *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *keep(struct strpool *p, const char *fmt, ...)
{
	if (p->n >= (int)(sizeof(p->s) / sizeof(p->s[0])))
		return "";
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return "";
	p->s[p->n++] = s;
	return s;
}

static void pool_free(struct strpool *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->s[i]);
	p->n = 0;
}

static const char *requester_text(struct strpool *sp, const char *kind,
				  const char *name, const char *ref)
{
	if (!strcmp(kind, "court"))
		return keep(sp, "Extendida a solicitud de %s%s%s.",
			    name ? name : "autoridad judicial",
			    ref ? ", referencia " : "", ref ? ref : "");
	if (!strcmp(kind, "public_ministry"))
		return keep(sp, "Extendida a solicitud del Ministerio Público%s%s%s%s.",
			    name ? " (" : "", name ? name : "", name ? ")" : "",
			    ref ? keep(sp, ", referencia %s", ref) : "");
	return keep(sp, "Extendida a solicitud de la persona interesada%s%s.",
		    ref ? ", solicitud " : "", ref ? ref : "");
}

/* Renders the stored certificate row (CERT_COLS + content) to PDF. */
static int render(struct api_ctx *ctx, struct store_rows *c, char **pdf,
		  size_t *len, struct sigm_error *err)
{
	struct strpool *sp = calloc(1, sizeof(*sp));
	if (!sp)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	const char *code = store_rows_text(c, 0, 1), *kind = store_rows_text(c, 0, 2);
	json_t *content = json_loads(store_rows_text(c, 0, 18), 0, NULL);
	json_t *person = json_object_get(content, "person");
	json_t *docs = json_object_get(content, "documents");
	char as_of[64], issued[64];
	pdf_long_date(store_rows_text(c, 0, 9), as_of, sizeof(as_of));
	char day[11];
	snprintf(day, sizeof(day), "%.10s", store_rows_text(c, 0, 10));
	pdf_long_date(day, issued, sizeof(issued));
	bool movements = !strcmp(kind, "movements");

	struct pdf_block blocks[8];
	int nb = 0;
	const char *purpose = store_rows_text(c, 0, 8);
	blocks[nb++] = (struct pdf_block){
		.kind = PDF_PARA,
		.text = keep(sp,
			     "La Secretaría General de la Dirección General de Migración y Extranjería CERTIFICA que, "
			     "según los registros del Sistema Integrado de Gestión Migratoria al %s, la persona cuyos datos "
			     "se detallan a continuación %s",
			     as_of,
			     movements ? "registra los movimientos migratorios siguientes."
				       : "registra la situación de restricciones migratorias siguiente.")};

	static const char *const labels[] = {"Nombres:", "Apellidos:", "Fecha de nacimiento:",
					     "Sexo:", "Nacionalidad:", "Documentos:"};
	const char *values[6];
	char bd[16];
	short_date(json_string_value(json_object_get(person, "birth_date")), bd, sizeof(bd));
	values[0] = json_string_value(json_object_get(person, "given_names"));
	values[1] = json_string_value(json_object_get(person, "surnames"));
	values[2] = bd;
	values[3] = sex_es(json_string_value(json_object_get(person, "sex")));
	values[4] = json_string_value(json_object_get(person, "nationality"));
	char *doclist = NULL;
	size_t dl = 0;
	FILE *f = open_memstream(&doclist, &dl);
	size_t i;
	json_t *d;
	json_array_foreach(docs, i, d)
		fprintf(f, "%s%s N.º %s (%s)", i ? "\n" : "",
			doc_kind_es(json_string_value(json_object_get(d, "kind"))),
			json_string_value(json_object_get(d, "number")),
			json_string_value(json_object_get(d, "issuing_state")));
	fclose(f);
	values[5] = doclist;
	blocks[nb++] = (struct pdf_block){.kind = PDF_HEADING, .text = "Datos de la persona"};
	blocks[nb++] = (struct pdf_block){.kind = PDF_FIELDS, .labels = labels,
					  .values = values, .n = 6};

	const char **cells = NULL;
	int nrows = 0;
	static const char *const mv_h[] = {"Fecha y hora", "Delegación migratoria",
					   "Movimiento", "Documento"};
	static const double mv_w[] = {0.2, 0.42, 0.14, 0.24};
	static const char *const rs_h[] = {"Juzgado", "Expediente", "Medida", "Vigencia"};
	static const double rs_w[] = {0.34, 0.18, 0.24, 0.24};
	if (movements) {
		json_t *mv = json_object_get(content, "movements");
		nrows = (int)json_array_size(mv);
		cells = calloc((size_t)nrows * 4 + 1, sizeof(*cells));
		json_array_foreach(mv, i, d) {
			char t[40];
			local_time(json_string_value(json_object_get(d, "at")), t, sizeof(t));
			const char *dir = json_string_value(json_object_get(d, "direction"));
			const char *num = json_string_value(json_object_get(d, "document_number"));
			cells[i * 4] = keep(sp, "%s", t);
			cells[i * 4 + 1] = json_string_value(json_object_get(d, "port_name"));
			cells[i * 4 + 2] = dir && !strcmp(dir, "exit") ? "Salida" : "Entrada";
			cells[i * 4 + 3] = num ? keep(sp, "%s %s", json_string_value(json_object_get(d, "issuing_state")), num) : "";
		}
		const char *from = json_string_value(json_object_get(content, "from"));
		const char *to = json_string_value(json_object_get(content, "to"));
		blocks[nb++] = (struct pdf_block){
			.kind = PDF_HEADING,
			.text = from || to ? keep(sp, "Movimientos migratorios (%s%s%s%s)",
						  from ? "desde " : "", from ? from : "",
						  to ? " hasta " : "", to ? to : "")
					   : "Movimientos migratorios"};
		blocks[nb++] = (struct pdf_block){
			.kind = PDF_TABLE, .ncols = 4, .nrows = nrows, .headers = mv_h,
			.widths = mv_w, .cells = cells,
			.empty_text = "La persona no registra movimientos migratorios en el período."};
	} else {
		json_t *rs = json_object_get(content, "restrictions");
		nrows = (int)json_array_size(rs);
		cells = calloc((size_t)nrows * 4 + 1, sizeof(*cells));
		json_array_foreach(rs, i, d) {
			char f1[16], t1[16];
			short_date(json_string_value(json_object_get(d, "effective_from")), f1, sizeof(f1));
			short_date(json_string_value(json_object_get(d, "effective_to")), t1, sizeof(t1));
			json_t *pm = json_object_get(d, "permits");
			cells[i * 4] = json_string_value(json_object_get(d, "court"));
			cells[i * 4 + 1] = json_string_value(json_object_get(d, "case_number"));
			cells[i * 4 + 2] = measure_es(json_string_value(json_object_get(d, "measure")));
			cells[i * 4 + 3] = keep(sp, "Desde %s%s%s%s", f1, t1[0] ? " hasta " : ", sin fecha de fin",
						t1[0] ? t1 : "",
						json_array_size(pm) ? keep(sp, "\n%zu permiso(s) de salida", json_array_size(pm)) : "");
		}
		blocks[nb++] = (struct pdf_block){.kind = PDF_HEADING, .text = "Restricciones migratorias"};
		if (nrows == 0)
			blocks[nb++] = (struct pdf_block){
				.kind = PDF_PARA,
				.text = "La persona no registra restricciones migratorias a la fecha de esta certificación."};
		else
			blocks[nb++] = (struct pdf_block){
				.kind = PDF_TABLE, .ncols = 4, .nrows = nrows, .headers = rs_h,
				.widths = rs_w, .cells = cells};
	}
	blocks[nb++] = (struct pdf_block){
		.kind = PDF_PARA,
		.text = keep(sp, "%s%s%s%s", requester_text(sp, store_rows_text(c, 0, 5), store_rows_text(c, 0, 6), store_rows_text(c, 0, 7)),
			     purpose ? " Finalidad: " : "", purpose ? purpose : "",
			     purpose && !strchr(".!?", purpose[strlen(purpose) - 1]) ? "." : "")};

	const char *url = keep(sp, "%s/verificar/%s", ctx->cfg.public_url, code);
	bool revoked = !strcmp(store_rows_text(c, 0, 14), "revoked");
	char rv[64] = "";
	if (revoked) {
		char rd[11];
		snprintf(rd, sizeof(rd), "%.10s", store_rows_text(c, 0, 15));
		pdf_long_date(rd, rv, sizeof(rv));
	}
	struct pdf_doc doc = {
		.title = movements ? "CERTIFICACIÓN DE MOVIMIENTOS MIGRATORIOS"
				   : "CERTIFICACIÓN DE RESTRICCIONES MIGRATORIAS",
		.banner = revoked ? keep(sp, "REVOCADO el %s — sin validez", rv) : NULL,
		.blocks = blocks,
		.nblocks = nb,
		.place_date = keep(sp, "San Salvador, %s.", issued),
		.signer_name = store_rows_text(c, 0, 12),
		.signer_position = keep(sp, "%s — Dirección General de Migración y Extranjería",
					store_rows_text(c, 0, 13)),
		.footer = keep(sp, "Código de verificación: %s", code),
		.qr_text = url,
		.qr_caption = keep(sp, "Verifique la autenticidad de esta certificación en %s o con el código QR. Código de verificación: %s",
				   url, code),
		.meta_title = movements ? "Certificación de movimientos migratorios"
					: "Certificación de restricciones migratorias",
	};
	int rc = pdf_render(&doc, pdf, len, err);
	free(cells);
	free(doclist);
	json_decref(content);
	pool_free(sp);
	free(sp);
	return rc;
}

/* ---- issue ---- */

struct issue {
	struct api_req *req;
	char code[CODE_LEN + 4];
	const char *kind, *holder, *rkind, *rname, *rref, *purpose, *as_of;
	const char *signer, *unit;
	char *content;
	int64_t person_id, id;
};

static int issue_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct issue *w = arg;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {
		sv_text(w->code),   sv_text(w->kind),  sv_int(w->person_id),
		sv_text(w->holder), sv_text(w->rkind), sv_opt(w->rname),
		sv_opt(w->rref),    sv_opt(w->purpose), sv_text(w->as_of),
		sv_text(w->content), sv_text(now),     sv_text(w->req->actor),
		sv_text(w->signer), sv_text(w->unit)};
	int rc = store_tx_query_int(
		tx,
		"INSERT INTO certificates (code, kind, person_id, holder_name, requester_kind, requester_name,"
		" requester_reference, purpose, as_of, content, issued_at, issued_by, signer_name, signer_unit)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
		p, SV_N(p), &w->id, err);
	if (rc)
		return rc;
	json_t *d = json_pack("{s:s, s:I, s:s, s:s?, s:s?}", "kind", w->kind,
			      "person_id", (json_int_t)w->person_id,
			      "requester_kind", w->rkind, "requester_reference",
			      w->rref, "purpose", w->purpose);
	char *ds = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	struct audit_entry e;
	api_audit_entry(w->req, &e, "certificate.issue", "certificate", w->code, ds);
	rc = audit_append(tx, &e, err);
	free(ds);
	return rc;
}

static int enum_field(struct api_resp *resp, json_t *b, const char *field,
		      const char *const *set, bool required, const char **out)
{
	if (api_get_str(resp, b, field, required, 40, out))
		return -1;
	if (*out && !one_of(*out, set)) {
		char list[200] = "";
		for (const char *const *k = set; *k; k++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", *k, k[1] ? ", " : "");
		api_error(resp, 422, "invalid_value", field,
			  "«%s» no es válido para %s (use: %s)", *out, field, list);
		return -1;
	}
	return 0;
}

static json_t *cert_json(struct api_req *req, struct store_rows *r, int i)
{
	json_t *o = api_row_object(r, i, CERT_INTS);
	const char *code = store_rows_text(r, i, 1);
	json_object_set_new(o, "pdf", json_sprintf("/api/v1/certificates/%s.pdf", code));
	json_object_set_new(o, "verify_url",
			    json_sprintf("%s/verificar/%s", req->ctx->cfg.public_url, code));
	return o;
}

static int load_cert(struct store *s, const char *code, bool with_content,
		     struct store_rows **out, struct sigm_error *err)
{
	char sql[600];
	snprintf(sql, sizeof(sql), "SELECT %s%s FROM certificates WHERE code = $1",
		 CERT_COLS, with_content ? ", content" : "");
	struct store_val v[] = {sv_text(code)};
	int rc = store_query(s, sql, v, 1, out, err);
	if (rc == 0 && store_rows_count(*out) == 0) {
		store_rows_free(out);
		return sigm_error_set(err, SIGM_ENOTFOUND, "certificate_not_found",
				      "code", "no existe el certificado %s", code);
	}
	return rc;
}

void api_certificates_create(struct api_req *req, struct api_resp *resp);
void api_certificates_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"kind", "person_id", "requester",
					"purpose", "from", "to", NULL};
	static const char *const rf[] = {"kind", "name", "reference", NULL};
	struct issue w = {.req = req, .rkind = "person"};
	const char *from = NULL, *to = NULL;
	json_t *b = api_body_object(req, resp, f);
	if (!b || enum_field(resp, b, "kind", KINDS, true, &w.kind) ||
	    api_get_str(resp, b, "purpose", false, 500, &w.purpose) ||
	    api_get_date(resp, b, "from", false, false, &from) ||
	    api_get_date(resp, b, "to", false, false, &to))
		return;
	json_t *pid = json_object_get(b, "person_id");
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0) {
		api_error(resp, 400, pid ? "invalid_type" : "missing_field", "person_id",
			  "«person_id» debe ser el número de una persona registrada");
		return;
	}
	w.person_id = json_integer_value(pid);
	json_t *rq = json_object_get(b, "requester");
	if (rq) {
		if (!json_is_object(rq)) {
			api_error(resp, 400, "invalid_type", "requester",
				  "«requester» debe ser un objeto {kind, name, reference}");
			return;
		}
		const char *key;
		json_t *v;
		json_object_foreach(rq, key, v) {
			if (!one_of(key, rf)) {
				api_error(resp, 400, "unknown_field", "requester",
					  "campo desconocido en requester: %s", key);
				return;
			}
		}
		if (enum_field(resp, rq, "kind", REQUESTERS, true, &w.rkind) ||
		    api_get_str(resp, rq, "name", false, 200, &w.rname) ||
		    api_get_str(resp, rq, "reference", false, 200, &w.rref))
			return;
		/* a court or the Ministerio Público asks by an official letter:
		 * its reference is what the certificate answers */
		if (strcmp(w.rkind, "person") && (!w.rref || !*w.rref)) {
			api_error(resp, 422, "missing_field", "requester.reference",
				  "una solicitud de un juzgado o del Ministerio Público requiere la referencia del oficio");
			return;
		}
		if (!strcmp(w.rkind, "court") && (!w.rname || !*w.rname)) {
			api_error(resp, 422, "missing_field", "requester.name",
				  "indique el juzgado que solicita la certificación");
			return;
		}
	}
	if (from && to && strcmp(to, from) < 0) {
		api_error(resp, 422, "invalid_period", "to", "el período termina antes de empezar");
		return;
	}

	struct store *s = req->ctx->store;
	struct sigm_error err;
	struct store_rows *p = NULL, *d = NULL;
	struct store_val v[] = {sv_int(w.person_id)};
	if (store_query(s, "SELECT id, given_names, surnames, birth_date, sex, nationality FROM persons WHERE id = $1",
			v, 1, &p, &err) ||
	    store_query(s, "SELECT id, kind, document_code, number, issuing_state, expiry_date FROM documents WHERE person_id = $1 ORDER BY first_seen_at, id LIMIT 50",
			v, 1, &d, &err)) {
		store_rows_free(&p);
		api_error_from(resp, &err);
		return;
	}
	json_t *content = NULL, *extra = NULL;
	char today[11];
	api_today(today);
	w.as_of = today;
	if (store_rows_count(p) == 0) {
		api_error(resp, 404, "person_not_found", "person_id",
			  "persona inexistente: %lld", (long long)w.person_id);
		goto out;
	}
	int rc = !strcmp(w.kind, "movements")
			 ? movements_of(req->ctx, w.person_id, from, to, &extra, &err)
			 : restrictions_in_force(s, p, d, today, &extra, &err);
	if (rc) {
		api_error_from(resp, &err);
		goto out;
	}
	static const char *const dints[] = {"id", NULL};
	json_t *person = api_row_object(p, 0, dints);
	json_object_del(person, "id");
	content = json_pack("{s:o, s:o, s:o, s:s?, s:s?}", "person", person,
			    "documents", rows_json(d, dints),
			    !strcmp(w.kind, "movements") ? "movements" : "restrictions", extra,
			    "from", from, "to", to);
	extra = NULL;
	w.content = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
	char holder[420];
	const char *gn = store_rows_text(p, 0, 1), *sn = store_rows_text(p, 0, 2);
	snprintf(holder, sizeof(holder), "%s%s%s", gn ? gn : "",
		 gn && sn ? " " : "", sn ? sn : "");
	w.holder = holder;
	w.signer = req->who->display_name[0] ? req->who->display_name : req->who->username;
	w.unit = api_org_unit_name(req->ctx, req->who->unit);
	if (!w.unit)
		w.unit = req->who->unit;
	if (sodium_init() < 0) {
		api_error(resp, 500, "internal", NULL, "libsodium no disponible");
		goto out;
	}
	/* 80 random bits: a collision is astronomically unlikely, but the
	 * UNIQUE constraint would say so; try again with a new code. */
	for (int attempt = 0;; attempt++) {
		new_code(w.code);
		rc = store_write(s, issue_fn, &w, &err);
		if (rc != SIGM_ECONFLICT || attempt >= 2)
			break;
	}
	if (rc) {
		api_error_from(resp, &err);
		goto out;
	}
	struct store_rows *c = NULL;
	if (load_cert(s, w.code, false, &c, &err)) {
		api_error_from(resp, &err);
		goto out;
	}
	json_t *o = cert_json(req, c, 0);
	store_rows_free(&c);
	json_object_set(o, "content", content);
	api_json(resp, 201, o);
out:
	json_decref(extra);
	json_decref(content);
	free(w.content);
	store_rows_free(&p);
	store_rows_free(&d);
}

/* ---- read, download, list, revoke ---- */

static bool code_param(struct api_req *req, struct api_resp *resp,
		       char code[CODE_LEN + 4])
{
	if (!canonical_code(req->params[0], code)) {
		api_error(resp, 404, "certificate_not_found", "code",
			  "no existe el certificado %s", req->params[0]);
		return false;
	}
	return true;
}

void api_certificates_get(struct api_req *req, struct api_resp *resp);
void api_certificates_get(struct api_req *req, struct api_resp *resp)
{
	char code[CODE_LEN + 4];
	struct store_rows *c = NULL;
	struct sigm_error err;
	if (!code_param(req, resp, code))
		return;
	if (load_cert(req->ctx->store, code, true, &c, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *o = cert_json(req, c, 0);
	json_object_del(o, "content");
	json_object_set_new(o, "content", json_loads(store_rows_text(c, 0, 18), 0, NULL));
	store_rows_free(&c);
	api_audit(req, "certificate.read", "certificate", code, NULL);
	api_json(resp, 200, o);
}

void api_certificates_pdf(struct api_req *req, struct api_resp *resp);
void api_certificates_pdf(struct api_req *req, struct api_resp *resp)
{
	char code[CODE_LEN + 4];
	struct store_rows *c = NULL;
	struct sigm_error err;
	char *pdf = NULL;
	size_t len = 0;
	if (!code_param(req, resp, code))
		return;
	if (load_cert(req->ctx->store, code, true, &c, &err) ||
	    render(req->ctx, c, &pdf, &len, &err)) {
		store_rows_free(&c);
		api_error_from(resp, &err);
		return;
	}
	store_rows_free(&c);
	/* a download is a disclosure of personal data: audited before it
	 * leaves */
	if (api_audit(req, "certificate.download", "certificate", code, NULL)) {
		free(pdf);
		api_error(resp, 503, "audit_unavailable", NULL,
			  "no se pudo registrar la descarga en la auditoría");
		return;
	}
	resp->status = 200;
	resp->body = pdf;
	resp->body_len = len;
	resp->content_type = "application/pdf";
	char cd[80];
	snprintf(cd, sizeof(cd), "inline; filename=\"certificado-%s.pdf\"", code);
	api_header(resp, "Content-Disposition", cd);
}

void api_certificates_list(struct api_req *req, struct api_resp *resp);
void api_certificates_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor, person;
	if (api_query_int(req, resp, "limit", 50, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor) ||
	    api_query_int(req, resp, "person_id", 0, 0, INT64_MAX, &person))
		return;
	const char *kind = api_query(req, "kind"), *st = api_query(req, "status");
	const char *day = api_query(req, "date");
	if (day && !api_valid_date(day, false)) {
		api_error(resp, 400, "invalid_date", "date", "fecha inválida (AAAA-MM-DD)");
		return;
	}
	char sql[900];
	snprintf(sql, sizeof(sql),
		 "SELECT %s FROM certificates WHERE ($1 = 0 OR person_id = $1)"
		 " AND (CAST($2 AS TEXT) IS NULL OR kind = $2) AND (CAST($3 AS TEXT) IS NULL OR status = $3)"
		 " AND (CAST($4 AS TEXT) IS NULL OR substr(issued_at, 1, 10) = $4)"
		 " AND id < $5 ORDER BY id DESC LIMIT $6",
		 CERT_COLS);
	struct store_val p[] = {sv_int(person), sv_opt(kind), sv_opt(st), sv_opt(day),
				sv_int(cursor > 0 ? cursor : INT64_MAX), sv_int(limit + 1)};
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (store_query(req->ctx->store, sql, p, SV_N(p), &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *items = json_array();
	int n = store_rows_count(r);
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, cert_json(req, r, i));
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	store_rows_free(&r);
	api_audit(req, "certificate.search", "certificate", NULL, NULL);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

struct revoke {
	struct api_req *req;
	const char *code, *reason;
};

static int revoke_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct revoke *w = arg;
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val p[] = {sv_text(w->code), sv_text(now),
				sv_text(w->req->actor), sv_text(w->reason)};
	int64_t changed = 0;
	int rc = store_tx_exec(tx, "UPDATE certificates SET status = 'revoked', revoked_at = $2, revoked_by = $3, revoke_reason = $4"
				   " WHERE code = $1 AND status = 'valid'",
			       p, SV_N(p), &changed, err);
	if (rc)
		return rc;
	if (changed == 0) {
		struct store_rows *r = NULL;
		struct store_val v[] = {sv_text(w->code)};
		rc = store_tx_query(tx, "SELECT status FROM certificates WHERE code = $1", v, 1, &r, err);
		if (rc)
			return rc;
		rc = store_rows_count(r) == 0
			     ? sigm_error_set(err, SIGM_ENOTFOUND, "certificate_not_found", "code",
					      "no existe el certificado %s", w->code)
			     : sigm_error_set(err, SIGM_ECONFLICT, "already_revoked", "code",
					      "el certificado %s ya estaba revocado", w->code);
		store_rows_free(&r);
		return rc;
	}
	json_t *d = json_pack("{s:s}", "reason", w->reason);
	char *ds = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	struct audit_entry e;
	api_audit_entry(w->req, &e, "certificate.revoke", "certificate", w->code, ds);
	rc = audit_append(tx, &e, err);
	free(ds);
	return rc;
}

void api_certificates_revoke(struct api_req *req, struct api_resp *resp);
void api_certificates_revoke(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"reason", NULL};
	char code[CODE_LEN + 4];
	struct revoke w = {.req = req, .code = code};
	struct sigm_error err;
	json_t *b;
	if (!code_param(req, resp, code) || !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "reason", true, 500, &w.reason))
		return;
	if (!*w.reason) {
		api_error(resp, 422, "missing_field", "reason", "indique el motivo de la revocación");
		return;
	}
	if (store_write(req->ctx->store, revoke_fn, &w, &err)) {
		api_error_from(resp, &err);
		return;
	}
	struct store_rows *c = NULL;
	if (load_cert(req->ctx->store, code, false, &c, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *o = cert_json(req, c, 0);
	store_rows_free(&c);
	api_json(resp, 200, o);
}

/* ---- the public verification page ---- */

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
	resp->status = status;
	resp->body = buf;
	resp->body_len = len;
	resp->content_type = "text/html; charset=utf-8";
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
	if (!canonical_code(req->params[0], code) ||
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
	snprintf(day, sizeof(day), "%.10s", store_rows_text(r, 0, 1));
	pdf_long_date(day, issued, sizeof(issued));
	bool is_revoked = !strcmp(store_rows_text(r, 0, 2), "revoked");
	if (is_revoked) {
		snprintf(day, sizeof(day), "%.10s", store_rows_text(r, 0, 3));
		pdf_long_date(day, revoked, sizeof(revoked));
	}
	page(resp, 200, "Verificación de certificación", is_revoked ? "revocado" : "valido",
	     is_revoked ? "Esta certificación fue REVOCADA y no tiene validez."
			: "Esta certificación fue emitida por la DGME y está vigente.",
	     code, issued, store_rows_text(r, 0, 0), is_revoked ? revoked : NULL);
	store_rows_free(&r);
}
