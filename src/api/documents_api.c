/*
 * documents_api.c - reading machine-readable zones over HTTP
 * (POST /api/v1/documents/mrz) and the country list the UI shows
 * (GET /api/v1/countries); the JSON shape is shared with `sigm mrz`.
 */
#include "api/api.h"
#include "api/countries.h"
#include "api/documents.h"

#include <stdio.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *issues_json(const struct mrz_issue *v, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code",
						   v[i].code, "field", v[i].field,
						   "message", v[i].message));
	return a;
}

json_t *api_mrz_json(const struct mrz_doc *d)
{
	json_t *fields = json_object();
	if (d->format != MRZ_UNKNOWN) {
		char b[11], e[11], sex[2] = {d->sex, 0};
		mrz_date_string(&d->birth, b);
		mrz_date_string(&d->expiry, e);
		json_object_set_new(fields, "document_code", json_string(d->document_code));
		json_object_set_new(fields, "issuing_state", json_string(d->issuing_state));
		json_object_set_new(fields, "surnames", json_string(d->surnames));
		json_object_set_new(fields, "given_names", json_string(d->given_names));
		json_object_set_new(fields, "document_number", json_string(d->document_number));
		json_object_set_new(fields, "nationality", json_string(d->nationality));
		json_object_set_new(fields, "birth_date", str_or_null(b));
		json_object_set_new(fields, "sex", str_or_null(sex));
		json_object_set_new(fields, "expiry_date", str_or_null(e));
		json_object_set_new(fields, "optional_data", json_string(d->optional_data));
		if (d->format == MRZ_TD1)
			json_object_set_new(fields, "optional_data_2",
					    json_string(d->optional_data_2));
	}
	json_t *sugg = json_array();
	for (int i = 0; i < d->n_suggestions; i++) {
		const struct mrz_suggestion *s = &d->suggestions[i];
		char found[2] = {s->found, 0}, to[2] = {s->suggested, 0};
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "posible confusión de lectura: «%s» en la línea %d, posición %d, podría ser «%s»; verifique el documento",
			 found, s->line, s->position, to);
		json_array_append_new(sugg, json_pack("{s:s, s:i, s:i, s:s, s:s, s:s}",
						      "field", s->field, "line", s->line,
						      "position", s->position, "found", found,
						      "suggested", to, "message", msg));
	}
	const char *fmt = mrz_format_name(d->format);
	json_t *o = json_pack("{s:o, s:b, s:o, s:o, s:o}", "format",
			      fmt ? json_string(fmt) : json_null(), "valid", d->valid,
			      "fields", fields, "errors", issues_json(d->errors, d->n_errors),
			      "suggestions", sugg);
	/* Only when there are any: the interface's fixed shape has no such
	 * key, and a warning never changes the verdict. */
	if (o && d->n_warnings)
		json_object_set_new(o, "warnings", issues_json(d->warnings, d->n_warnings));
	return o;
}

int32_t api_today_day(void)
{
	char t[11];
	int32_t day = CAL_NONE;
	api_today(t);
	cal_parse_day(t, &day, "today", NULL);
	return day;
}

void api_documents_mrz(struct api_req *req, struct api_resp *resp);
void api_documents_mrz(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"mrz", NULL};
	json_t *b = api_body_object(req, resp, f);
	if (!b)
		return;
	json_t *m = json_object_get(b, "mrz");
	if (!json_is_string(m)) {
		api_error(resp, 400, "missing_field", "mrz",
			  "«mrz»: el texto de la zona de lectura mecánica");
		return;
	}
	if (json_string_length(m) > MRZ_INPUT_MAX) {
		api_error(resp, 413, "too_big", "mrz", "la MRZ supera %d bytes",
			  MRZ_INPUT_MAX);
		return;
	}
	struct mrz_doc doc;
	struct sigm_error err;
	if (mrz_parse(json_string_value(m), json_string_length(m), api_today_day(),
		      api_countries_table(req->ctx->mrz_countries), &doc, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_json(resp, 200, api_mrz_json(&doc));
}

void api_countries_list(struct api_req *req, struct api_resp *resp);
void api_countries_list(struct api_req *req, struct api_resp *resp)
{
	const struct mrz_countries *t = api_countries_table(req->ctx->mrz_countries);
	json_t *a = json_array();
	for (size_t i = 0; t && i < t->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", t->v[i].code,
						   "name", t->v[i].name, "icao", 0));
	size_t n;
	const struct mrz_country *ic = mrz_icao_codes(&n);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", ic[i].code,
						   "name", ic[i].name, "icao", 1));
	api_json(resp, 200, json_pack("{s:o}", "countries", a));
}
