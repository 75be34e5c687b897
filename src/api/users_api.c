/*
 * users_api.c - user administration (Informática): list, create, update,
 * disable/enable, reset password; the list of roles.
 * Reads of staff records are audited like any personal data.
 */
#include "api/api.h"
#include "store/users.h"

#include <stdlib.h>
#include <string.h>

static json_t *roles_array(const char *csv)
{
	json_t *a = json_array();
	if (!csv)
		return a;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", csv);
	char *save = NULL;
	for (char *r = strtok_r(buf, ",", &save); r; r = strtok_r(NULL, ",", &save))
		json_array_append_new(a, json_string(r));
	return a;
}

static json_t *row_json(struct store_rows *r, int i)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s?, s:o, s:I, s:s?}",
			 "username", store_rows_text(r, i, 0), "display_name",
			 store_rows_text(r, i, 1), "unit",
			 store_rows_text(r, i, 2), "disabled",
			 (int)store_rows_int(r, i, 3), "created_at",
			 store_rows_text(r, i, 4), "last_login_at",
			 store_rows_text(r, i, 5), "roles",
			 roles_array(store_rows_text(r, i, 6)), "failed_logins",
			 (json_int_t)store_rows_int(r, i, 7), "locked_until",
			 store_rows_text(r, i, 8));
}

/* Validates a "roles" array into a NULL-terminated list (max 15). */
static int parse_roles(struct api_resp *resp, json_t *arr,
		       const char *out[16])
{
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > 15) {
		api_error(resp, 400, "invalid_roles", "roles",
			  "«roles» debe ser una lista de 1 a 15 códigos de rol");
		return -1;
	}
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		const char *r = json_string_value(v);
		if (!r || !authz_role_known(r)) {
			api_error(resp, 422, "unknown_role", "roles",
				  "rol desconocido: %s", r ? r : "(no es texto)");
			return -1;
		}
		out[i] = r;
	}
	out[json_array_size(arr)] = NULL;
	/* Separation of duties: who administers the accounts does not also
	 * hold a role that reads travelers' data (the manual puts UIDT apart
	 * from the operational units) */
	bool admin = false;
	for (size_t k = 0; out[k]; k++)
		admin |= !strcmp(out[k], "admin_ti");
	if (admin && json_array_size(arr) > 1) {
		api_error(resp, 422, "role_conflict", "roles",
			  "el rol admin_ti no se combina con otros roles: la administración de cuentas va aparte de las funciones operativas");
		return -1;
	}
	return 0;
}

void api_users_list(struct api_req *req, struct api_resp *resp);
void api_users_list(struct api_req *req, struct api_resp *resp)
{
	long long limit;
	if (api_query_int(req, resp, "limit", 50, 1, 500, &limit))
		return;
	const char *cursor = api_query(req, "cursor");
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (users_list(req->ctx->store, cursor, (int)limit + 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *items = json_array();
	int n = store_rows_count(r);
	for (int i = 0; i < n && i < limit; i++)
		json_array_append_new(items, row_json(r, i));
	json_t *next = n > limit ? json_string(store_rows_text(r, (int)limit - 1, 0))
				 : json_null();
	store_rows_free(&r);
	api_audit(req, "user.list", "user", NULL, NULL);
	api_json(resp, 200,
		 json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

static int respond_user(struct api_req *req, struct api_resp *resp,
			const char *username, int status)
{
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (users_get(req->ctx->store, username, &r, &err)) {
		api_error_from(resp, &err);
		return -1;
	}
	api_json(resp, status, json_pack("{s:o}", "user", row_json(r, 0)));
	store_rows_free(&r);
	return 0;
}

void api_users_get(struct api_req *req, struct api_resp *resp);
void api_users_get(struct api_req *req, struct api_resp *resp)
{
	if (respond_user(req, resp, req->params[0], 200) == 0)
		api_audit(req, "user.read", "user", req->params[0], NULL);
}

void api_users_create(struct api_req *req, struct api_resp *resp);
void api_users_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const fields[] = {"username", "display_name", "unit",
					     "roles",	 "password",	 NULL};
	const char *username, *display, *unit, *password, *roles[16];
	json_t *b = api_body_object(req, resp, fields);
	if (!b || api_get_str(resp, b, "username", true, 32, &username) ||
	    api_get_str(resp, b, "display_name", true, 160, &display) ||
	    api_get_str(resp, b, "unit", true, 15, &unit) ||
	    api_get_str(resp, b, "password", true, 256, &password))
		return;
	struct sigm_error err;
	if (auth_check_username(username, "username", &err)) {
		api_error(resp, 400, err.code, err.field, "%s", err.message);
		return;
	}
	if (!api_org_has_unit(req->ctx, unit)) {
		api_error(resp, 422, "unknown_unit", "unit",
			  "no existe la unidad «%s»", unit);
		return;
	}
	if (parse_roles(resp, json_object_get(b, "roles"), roles))
		return;
	/* a taken name before the password is judged and hashed (argon2id
	 * at full cost), as sigm user add: a name taken meanwhile is refused
	 * by users_add, the same way */
	if (users_name_free(req->ctx->store, username, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (auth_check_password_policy(username, password, "password", &err)) {
		api_error(resp, 422, err.code, err.field, "%s", err.message);
		return;
	}
	char hash[128];
	if (auth_hash_password(password, hash, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *d = json_pack("{s:s, s:O}", "unit", unit, "roles",
			      json_object_get(b, "roles"));
	char *ds = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	struct audit_entry e;
	api_audit_entry(req, &e, "user.create", "user", username, ds);
	struct users_new u = {username, display, unit, hash, roles};
	int rc = users_add(req->ctx->store, &u, &e, &err);
	free(ds);
	if (rc) {
		api_error_from(resp, &err);
		return;
	}
	respond_user(req, resp, username, 201);
}

void api_users_update(struct api_req *req, struct api_resp *resp);
void api_users_update(struct api_req *req, struct api_resp *resp)
{
	static const char *const fields[] = {"display_name", "unit", "roles",
					     NULL};
	const char *display, *unit, *roles[16];
	json_t *b = api_body_object(req, resp, fields);
	if (!b || api_get_str(resp, b, "display_name", false, 160, &display) ||
	    api_get_str(resp, b, "unit", false, 15, &unit))
		return;
	if (unit && !api_org_has_unit(req->ctx, unit)) {
		api_error(resp, 422, "unknown_unit", "unit",
			  "no existe la unidad «%s»", unit);
		return;
	}
	json_t *jr = json_object_get(b, "roles");
	if (jr && parse_roles(resp, jr, roles))
		return;
	/* nobody grants themselves roles: another administrator does */
	if (jr && !strcmp(req->params[0], req->who->username)) {
		api_error(resp, 409, "cannot_change_own_roles", "roles",
			  "no puede cambiar sus propios roles: debe hacerlo otro administrador");
		return;
	}
	char *ds = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	struct audit_entry e;
	struct sigm_error err;
	api_audit_entry(req, &e, "user.update", "user", req->params[0], ds);
	int rc = users_update(req->ctx->store, req->params[0], display, unit,
			      jr ? roles : NULL, &e, &err);
	free(ds);
	if (rc) {
		api_error_from(resp, &err);
		return;
	}
	auth_forget();
	respond_user(req, resp, req->params[0], 200);
}

static void set_disabled(struct api_req *req, struct api_resp *resp, int dis)
{
	if (dis && !strcmp(req->params[0], req->who->username)) {
		api_error(resp, 409, "cannot_disable_self", "username",
			  "no puede deshabilitar su propia cuenta");
		return;
	}
	struct audit_entry e;
	struct sigm_error err;
	api_audit_entry(req, &e, dis ? "user.disable" : "user.enable", "user",
			req->params[0], NULL);
	if (users_set_disabled(req->ctx->store, req->params[0], dis, &e, &err)) {
		api_error_from(resp, &err);
		return;
	}
	auth_forget();
	respond_user(req, resp, req->params[0], 200);
}

void api_users_disable(struct api_req *req, struct api_resp *resp);
void api_users_disable(struct api_req *req, struct api_resp *resp)
{
	set_disabled(req, resp, 1);
}

void api_users_enable(struct api_req *req, struct api_resp *resp);
void api_users_enable(struct api_req *req, struct api_resp *resp)
{
	set_disabled(req, resp, 0);
}

void api_users_password(struct api_req *req, struct api_resp *resp);
void api_users_password(struct api_req *req, struct api_resp *resp)
{
	static const char *const fields[] = {"new_password", NULL};
	const char *pw;
	json_t *b = api_body_object(req, resp, fields);
	if (!b || api_get_str(resp, b, "new_password", true, 256, &pw))
		return;
	struct sigm_error err;
	if (auth_check_password_policy(req->params[0], pw, "new_password",
				       &err)) {
		api_error(resp, 422, err.code, err.field, "%s", err.message);
		return;
	}
	char hash[128];
	if (auth_hash_password(pw, hash, &err)) {
		api_error_from(resp, &err);
		return;
	}
	struct audit_entry e;
	api_audit_entry(req, &e, "user.password_reset", "user", req->params[0],
			NULL);
	if (users_set_password(req->ctx->store, req->params[0], hash, &e, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_no_content(resp);
}

void api_roles_list(struct api_req *req, struct api_resp *resp);
void api_roles_list(struct api_req *req, struct api_resp *resp)
{
	(void)req;
	json_t *a = json_array();
	for (const char *const *r = authz_roles; *r; r++)
		json_array_append_new(
			a, json_pack("{s:s, s:s, s:o}", "code", *r, "name",
				     authz_role_name(*r), "permissions",
				     authz_perms_json(authz_role_perms(*r))));
	api_json(resp, 200, a);
}
