/*
 * subject.c - the identity data attached to restrictions, alerts and other
 * records: names, birth date (possibly partial), sex, nationality, document
 * number and DUI, validated in one place.  A record must carry at least one
 * identifying datum: both names, or a document number, or a DUI.
 */
#include "api/api.h"
#include "api/countries.h"
#include "api/subject_ix.h"
#include "core/mrz.h"
#include "core/names.h"
#include "core/rules.h"
#include "store/persons.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* DUI: 8 digits, a dash, a check digit: weights 9..2, check =
 * (10 - sum mod 10) mod 10. */
bool api_valid_dui(const char *s)
{
	char d[10];
	int n = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '-' && n == 8 && p[1] && !p[2])
			continue;
		if (*p < '0' || *p > '9' || n >= 9)
			return false;
		d[n++] = *p;
	}
	if (n != 9)
		return false;
	int sum = 0;
	for (int i = 0; i < 8; i++)
		sum += (d[i] - '0') * (9 - i);
	return (10 - sum % 10) % 10 == d[8] - '0';
}

_Static_assert(API_DOCNO_BUF == RULES_DOCNO_MAX + 1, "api.h's buffer is the rule's");

/* A registry's subject names, in characters as the booth takes them
 * (inspections_api.c): a name taken here must fit the screening index,
 * which otherwise leaves the record out of the fuzzy check */
#define SUBJECT_NAME_MAX 200
_Static_assert(SUBJECT_NAME_MAX <= NAMES_MAX_CHARS, "a registry name must screen");

int api_get_docno(struct api_resp *resp, json_t *obj, const char *key,
		  const char *field, bool required, const char **out)
{
	json_t *v = json_object_get(obj, key);
	char num[RULES_DOCNO_MAX + 1];
	struct sigm_error err;
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		api_error(resp, 400, "missing_field", field, "falta el campo obligatorio «%s»", field);
		return -1;
	}
	if (!json_is_string(v)) {
		api_error(resp, 400, "invalid_type", field, "«%s» debe ser un texto", field);
		return -1;
	}
	const char *s = json_string_value(v);
	/* blank is empty, as every optional text of the API (README) */
	if (!required && !names_visible(s))
		return 0;
	if (rules_docno_read(s, field, NULL, num, &err)) {
		api_error_from(resp, &err);
		return -1;
	}
	json_object_set_new(obj, key, json_string(num));
	*out = json_string_value(json_object_get(obj, key));
	return 0;
}

int api_query_docno(struct api_req *req, struct api_resp *resp, const char *name,
		    char buf[static API_DOCNO_BUF], const char **out)
{
	struct sigm_error err;
	const char *s = api_query(req, name);
	*out = NULL;
	if (!s)
		return 0;
	if (rules_docno_read(s, name, NULL, buf, &err)) {
		api_error_from(resp, &err);
		return -1;
	}
	*out = buf;
	return 0;
}

int api_get_subject(struct api_req *req, struct api_resp *resp, json_t *obj, const char *field,
		    struct api_subject *out)
{
	static const char *const keys[] = {"given_names", "surnames",
					   "birth_date", "sex", "nationality",
					   "document_number", "dui", NULL};
	char f[96];
	memset(out, 0, sizeof(*out));
	json_t *s = json_object_get(obj, field);
	if (!json_is_object(s)) {
		api_error(resp, 400, s ? "invalid_type" : "missing_field", field,
			  "«%s» debe ser un objeto con los datos de identidad", field);
		return -1;
	}
	if (api_object_keys(resp, s, field, keys))
		return -1;
#define GET(name, max)                                                      \
	do {                                                                \
		if (api_in(resp, field,                                     \
			   api_get_str(resp, s, #name, false, max, &out->name))) \
			return -1;                                          \
		if (out->name && !*out->name)                               \
			out->name = NULL;                                   \
	} while (0)
	GET(given_names, SUBJECT_NAME_MAX);
	GET(surnames, SUBJECT_NAME_MAX);
	GET(sex, 1);
	bool nat_ok = api_country_field(s, "nationality"); /* «gtm»: GTM */
	GET(nationality, 3);
	GET(dui, 10);
#undef GET
	snprintf(f, sizeof(f), "%s.birth_date", field);
	if (api_in(resp, field, api_get_str(resp, s, "birth_date", false, 10, &out->birth_date)))
		return -1;
	if (out->birth_date && !*out->birth_date)
		out->birth_date = NULL;
	if (out->birth_date) {
		char today[11];
		api_today(today);
		if (!api_valid_date(out->birth_date, true)) {
			api_error(resp, 400, "invalid_date", f,
				  "fecha de nacimiento inválida (AAAA-MM-DD, AAAA-MM o AAAA)");
			return -1;
		}
		if (strncmp(out->birth_date, today, strlen(out->birth_date)) > 0) {
			api_error(resp, 422, "birth_date_in_future", f,
				  "la fecha de nacimiento está en el futuro");
			return -1;
		}
	}
	if (out->sex && strcmp(out->sex, "M") && strcmp(out->sex, "F") &&
	    strcmp(out->sex, "X")) {
		snprintf(f, sizeof(f), "%s.sex", field);
		api_error(resp, 400, "invalid_sex", f, "sexo: M, F o X");
		return -1;
	}
	if (out->nationality && !nat_ok) {
		snprintf(f, sizeof(f), "%s.nationality", field);
		api_error(resp, 400, "invalid_nationality", f,
			  "nacionalidad: código ICAO/ISO 3166 alfa-3 (p. ej. SLV)");
		return -1;
	}
	/* a nationality a document can state, as the booth knows them
	 * (ICAO's codes or the country table's): «XYZ» was registered and
	 * matched nobody.  Without the table (iso-codes missing) any code. */
	const struct mrz_countries *t =
		req->ctx->mrz_countries ? api_countries_table(req->ctx->mrz_countries) : NULL;
	if (out->nationality && t && !mrz_country_name(t, out->nationality, strlen(out->nationality))) {
		snprintf(f, sizeof(f), "%s.nationality", field);
		api_error(resp, 400, "unknown_country", f,
			  "nacionalidad desconocida «%s» (código ISO 3166-1 alfa-3, p. ej. SLV)", out->nationality);
		return -1;
	}
	/* the number by the one rule (rules_docno_read): «ab 123-456» is
	 * the AB123456 the booth reads; lower case was a 400 here and a
	 * number of one character was registered */
	snprintf(f, sizeof(f), "%s.document_number", field);
	if (api_get_docno(resp, s, "document_number", f, false, &out->document_number))
		return -1;
	if (out->dui && !api_valid_dui(out->dui)) {
		snprintf(f, sizeof(f), "%s.dui", field);
		api_error(resp, 400, "invalid_dui", f,
			  "DUI inválido (8 dígitos, guion y dígito verificador)");
		return -1;
	}
	if (!(out->given_names && out->surnames) && !out->document_number &&
	    !out->dui) {
		api_error(resp, 422, "subject_not_identified", field,
			  "se requieren nombres y apellidos, o un número de documento, o el DUI");
		return -1;
	}
	return 0;
}


/* See api.h.  Used by border control and by the certificates, so a
 * certificate of restrictions finds exactly what the booth would. */
bool api_subject_matches(const struct persons_doc *d, const char *dui,
			    const char *given, const char *sur,
			    const char *birth, const char *docnum,
			    const char *rdui, double *score)
{
	/* empty numbers are no numbers: they must not match each other */
	if (docnum && *docnum && d->number && !strcmp(docnum, d->number)) {
		*score = 100;
		return true;
	}
	if (rdui && *rdui && dui && !strcmp(rdui, dui)) {
		*score = 100;
		return true;
	}
	/* a date without even a year would agree with any date */
	size_t kb = subject_birth_known(birth), kd = subject_birth_known(d->birth_date);
	if (!sur || !d->surnames || !kb || !kd)
		return false;
	char a[256], b[256];
	persons_surnames_key(sur, a, sizeof(a));
	persons_surnames_key(d->surnames, b, sizeof(b));
	if (!a[0] || strcmp(a, b))
		return false;
	size_t n = kb < kd ? kb : kd;
	if (strncmp(birth, d->birth_date, n))
		return false;
	persons_surnames_key(given, a, sizeof(a));
	persons_surnames_key(d->given_names, b, sizeof(b));
	if (!a[0] || strcmp(a, b))
		return false;
	*score = n == 10 ? 95 : 85;
	return true;
}

const char *api_subject_how(double score)
{
	if (score >= 100)
		return "Número de documento (o DUI) idéntico al del registro";
	if (score >= 95)
		return "Nombres, apellidos y fecha de nacimiento idénticos a los del registro";
	return "Nombres y apellidos idénticos a los del registro; fecha de nacimiento coincidente en lo que registra (incompleta)";
}
