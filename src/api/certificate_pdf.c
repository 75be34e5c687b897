/*
 * certificate_pdf.c - the document a certificate prints: the stored row and
 * its snapshot (certificates_api.c) described as a struct pdf_doc for pdf.c
 * — title, the certifying paragraph, the person's data, the movements table
 * or the restrictions in force (or "no registra restricciones
 * migratorias"), who asked and why, place and date, the authorizing
 * officer's signature block, the verification code and its QR.
 */
#include "api/api.h"
#include "api/certificates.h"
#include "api/pdf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MOVEMENTS CERT_MAX_MOVEMENTS

/* ---- dates ---- */

/* "2026-11-25T18:03:00.000Z" (UTC) -> "25/11/2026 12:03" in El Salvador
 * (UTC-6 all year). */
static void local_time(const char *iso, char *out, size_t cap)
{
	struct tm tm;
	if (!api_local_tm(iso, &tm))
		snprintf(out, cap, "%s", iso ? iso : "");
	else
		snprintf(out, cap, "%02d/%02d/%04d %02d:%02d", tm.tm_mday,
			 tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

static void short_date(const char *ymd, char *out, size_t cap)
{
	int y, m, d;
	if (ymd && strlen(ymd) == 10 && sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(out, cap, "%02d/%02d/%04d", d, m, y);
	else
		snprintf(out, cap, "%s", ymd ? ymd : "");
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
	/* inspections record residence_carnet; the lost and stolen
	 * register and alerts say residence_card */
	if (!strcmp(k, "residence_card") || !strcmp(k, "residence_carnet"))
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

/* See certificates.h. */
int cert_render_pdf(struct api_ctx *ctx, struct store_rows *c, char **pdf,
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
	api_local_day(store_rows_text(c, 0, 10), day);
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
	/* a person recorded without any document (a stowaway, a returnee
	 * without papers) is said to be so: a dash read as a field left out */
	values[5] = json_array_size(docs) ? doclist : "Ninguno registrado (sin documento de viaje)";
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
			/* a crossing admitted without a document says so (the
			 * cell was blank, as if the column had been forgotten) */
			cells[i * 4 + 3] = num ? keep(sp, "%s %s", json_string_value(json_object_get(d, "issuing_state")), num)
					       : "Sin documento";
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
		api_local_day(store_rows_text(c, 0, 15), rd);
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
