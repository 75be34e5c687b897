/*
 * audit_api.c - searching and verifying the audit log, and the entry of a
 * read through a list (api_audit_list).  Looking at the audit is itself
 * audited.
 */
#include "api/audit_api.h"
#include "store/audit.h"

#include <stdlib.h>
#include <string.h>

/* Absent is fine; present must be a real day (not 2026-02-30). */
static bool valid_date(const char *s)
{
	return !s || api_valid_date(s, false);
}

void api_audit_search(struct api_req *req, struct api_resp *resp);
void api_audit_search(struct api_req *req, struct api_resp *resp)
{
	struct audit_query q = {0};
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 50, 1, AUDIT_PAGE_MAX, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	q.actor = api_query(req, "user");
	q.action = api_query(req, "action");
	q.record_type = api_query(req, "record_type");
	q.record_id = api_query(req, "record_id");
	q.from = api_query(req, "from");
	q.to = api_query(req, "to");
	if (!valid_date(q.from) || !valid_date(q.to)) {
		api_error(resp, 400, "invalid_date", valid_date(q.from) ? "to" : "from",
			  "fecha inválida (use AAAA-MM-DD)");
		return;
	}
	q.limit = (int)limit + 1;
	q.before_seq = cursor;
	struct store_rows *r = NULL;
	struct sigm_error err;
	if (audit_search(req->ctx->store, &q, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	json_t *items = json_array();
	int n = store_rows_count(r);
	for (int i = 0; i < n && i < limit; i++) {
		const char *d = store_rows_text(r, i, 7);
		json_t *detail = d ? json_loads(d, 0, NULL) : NULL;
		json_array_append_new(
			items,
			json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:o}",
				  "seq", (json_int_t)store_rows_int(r, i, 0), "at",
				  store_rows_text(r, i, 1), "user",
				  store_rows_text(r, i, 2), "action",
				  store_rows_text(r, i, 3), "record_type",
				  store_rows_text(r, i, 4), "record_id",
				  store_rows_text(r, i, 5), "remote_addr",
				  store_rows_text(r, i, 6), "detail",
				  detail ? detail : json_null()));
	}
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	store_rows_free(&r);
	json_t *crit = json_pack("{s:s*, s:s*, s:s*, s:s*, s:s*, s:s*}", "user",
				 q.actor, "action", q.action, "record_type",
				 q.record_type, "record_id", q.record_id, "from",
				 q.from, "to", q.to);
	api_audit(req, "audit.search", NULL, NULL, crit);
	json_decref(crit);
	api_json(resp, 200,
		 json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}

void api_audit_verify(struct api_req *req, struct api_resp *resp);
void api_audit_verify(struct api_req *req, struct api_resp *resp)
{
	struct audit_verify_result v;
	struct sigm_error err;
	if (audit_verify(req->ctx->store, &v, &err)) {
		api_error_from(resp, &err);
		return;
	}
	api_audit(req, "audit.verify", NULL, NULL, NULL);
	api_json(resp, 200,
		 json_pack("{s:b, s:I, s:o, s:s}", "ok", v.ok, "checked",
			   (json_int_t)v.checked, "first_broken_seq",
			   v.ok ? json_null() : json_integer(v.first_broken),
			   "message",
			   v.ok ? "la cadena de auditoría está íntegra" : v.reason));
}

int api_audit_list(struct api_req *req, const char *action, const char *rtype,
		   const struct store_rows *r, int id_col, int n,
		   json_t *criteria)
{
	int rows = r ? store_rows_count(r) : 0;
	if (n > rows)
		n = rows;
	if (n < 0)
		n = 0;
	int64_t *ids = malloc(((size_t)n + 1) * sizeof(*ids));
	if (!ids) {
		req->audit_failed = true;
		return -1;
	}
	size_t m = 0;
	for (int i = 0; i < n; i++)
		if (!store_rows_isnull(r, i, id_col))
			ids[m++] = store_rows_int(r, i, id_col);
	int rc = api_audit_ids(req, action, rtype, ids, m, criteria);
	free(ids);
	return rc;
}

int api_audit_ids(struct api_req *req, const char *action, const char *rtype,
		  int64_t *ids, size_t m, json_t *criteria)
{
	json_t *crit = json_is_object(criteria) ? json_copy(criteria) : json_object();
	char *members = NULL, *detail = NULL;
	int rc = -1;
	if (!crit)
		goto out;
	/* the list is ours, and the last member (audit_list_detail) */
	json_object_del(crit, "ids");
	members = json_dumps(crit, JSON_COMPACT | JSON_SORT_KEYS);
	detail = members ? audit_list_detail(members, ids, m) : NULL;
	if (!detail)
		goto out;
	struct audit_entry e;
	api_audit_entry(req, &e, action, rtype, NULL, detail);
	struct sigm_error err;
	rc = audit_record(req->ctx->store, &e, &err);
	if (rc) {
		json_t *x = json_pack("{s:s, s:s}", "action", action, "error", err.message);
		api_log("error", "audit_write_failed", x);
		json_decref(x);
	}
out:
	free(members);
	free(detail);
	json_decref(crit);
	if (rc)
		req->audit_failed = true;
	return rc;
}
