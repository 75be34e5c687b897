/*
 * org.c - the DGME's organization (data/org/units.json, transcribed from the
 * Manual de Organización y Funciones): units, their numbered functions and
 * staff counts.  Loaded once at start-up and kept as pre-encoded JSON, so
 * requests share nothing mutable (jansson values are not safe to share
 * between threads).
 */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

struct org_unit {
	char code[16];
	char *name;
	char *json; /* the unit with numbered_functions */
};

struct api_org {
	struct org_unit *units;
	int n;
	char *list_json;
};

static int bad(struct sigm_error *err, const char *path, const char *what)
{
	return sigm_error_set(err, SIGM_EINVAL, "invalid_org_data", "org",
			      "%s: %s", path, what);
}

static json_t *nullable_int(json_t *v)
{
	return json_is_integer(v) ? json_integer(json_integer_value(v))
				  : json_null();
}

int api_org_load(struct api_ctx *ctx, const char *path, struct sigm_error *err)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	json_t *units = root ? json_object_get(root, "units") : NULL;
	json_t *list = NULL;
	struct api_org *org = NULL;
	int rc;

	if (!root)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_org_data",
				      "org", "%s: %s (línea %d)", path,
				      jerr.text, jerr.line);
	if (!json_is_array(units) || json_array_size(units) == 0) {
		rc = bad(err, path, "falta la lista «units»");
		goto fail;
	}
	org = calloc(1, sizeof(*org));
	list = json_array();
	if (!org || !list ||
	    !(org->units = calloc(json_array_size(units), sizeof(*org->units)))) {
		rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
		goto fail;
	}
	size_t i;
	json_t *u;
	json_array_foreach(units, i, u) {
		const char *code = json_string_value(json_object_get(u, "code"));
		const char *name = json_string_value(json_object_get(u, "name"));
		json_t *fns = json_object_get(u, "functions");
		json_t *staff = json_object_get(u, "staff");
		if (!code || !name || strlen(code) >= sizeof(org->units[0].code) ||
		    !json_is_array(fns)) {
			rc = bad(err, path, "unidad sin code, name o functions");
			goto fail;
		}
		json_t *texts = json_array(), *numbered = json_array();
		size_t k;
		json_t *f;
		json_array_foreach(fns, k, f) {
			const char *t = json_string_value(json_object_get(f, "text"));
			if (!t) {
				json_decref(texts);
				json_decref(numbered);
				rc = bad(err, path, "función sin texto");
				goto fail;
			}
			json_array_append_new(texts, json_string(t));
			json_array_append(numbered, f);
		}
		json_t *notes = json_object_get(u, "notes");
		json_t *out = json_pack(
			"{s:s, s:s, s:O?, s:O?, s:o, s:{s:o, s:o, s:o}, s:o}",
			"code", code, "name", name, "kind",
			json_object_get(u, "kind"), "parent",
			json_object_get(u, "parent"), "functions", texts,
			"staff", "women",
			nullable_int(json_object_get(staff, "women")), "men",
			nullable_int(json_object_get(staff, "men")), "total",
			nullable_int(json_object_get(staff, "total")), "notes",
			json_is_array(notes) ? json_deep_copy(notes) : json_array());
		json_object_set_new(out, "numbered_functions", numbered);
		json_array_append(list, out);
		struct org_unit *ou = &org->units[org->n++];
		snprintf(ou->code, sizeof(ou->code), "%s", code);
		ou->name = strdup(name);
		ou->json = json_dumps(out, JSON_COMPACT);
		json_decref(out);
		if (!ou->name || !ou->json) {
			rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
			goto fail;
		}
	}
	org->list_json = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	json_decref(root);
	ctx->org = org;
	return 0;
fail:
	json_decref(list);
	json_decref(root);
	if (org) {
		struct api_ctx tmp = {.org = org};
		api_org_free(&tmp);
	}
	return rc;
}

void api_org_free(struct api_ctx *ctx)
{
	struct api_org *org = ctx->org;
	if (!org)
		return;
	for (int i = 0; i < org->n; i++) {
		free(org->units[i].name);
		free(org->units[i].json);
	}
	free(org->units);
	free(org->list_json);
	free(org);
	ctx->org = NULL;
}

static const struct org_unit *find(struct api_ctx *ctx, const char *code)
{
	if (!ctx->org || !code)
		return NULL;
	for (int i = 0; i < ctx->org->n; i++)
		if (!strcmp(ctx->org->units[i].code, code))
			return &ctx->org->units[i];
	return NULL;
}

bool api_org_has_unit(struct api_ctx *ctx, const char *code)
{
	return find(ctx, code) != NULL;
}

const char *api_org_unit_name(struct api_ctx *ctx, const char *code)
{
	const struct org_unit *u = find(ctx, code);
	return u ? u->name : NULL;
}

static void raw_json(struct api_resp *resp, const char *s)
{
	resp->status = 200;
	resp->body = strdup(s);
	resp->body_len = resp->body ? strlen(resp->body) : 0;
	resp->content_type = "application/json; charset=utf-8";
}

void api_org_units(struct api_req *req, struct api_resp *resp);
void api_org_units(struct api_req *req, struct api_resp *resp)
{
	raw_json(resp, req->ctx->org->list_json);
}

void api_org_unit(struct api_req *req, struct api_resp *resp);
void api_org_unit(struct api_req *req, struct api_resp *resp)
{
	const struct org_unit *u = find(req->ctx, req->params[0]);
	if (!u) {
		api_error(resp, 404, "unit_not_found", "code",
			  "no existe la unidad «%s»", req->params[0]);
		return;
	}
	raw_json(resp, u->json);
}
