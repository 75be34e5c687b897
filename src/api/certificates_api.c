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
 * phone (no I, L, O, U; lookups fold them).  The PDF is laid out in
 * certificate_pdf.c, the public page in verify_page.c.
 *
 * The restrictions certificate matches the person against every active
 * restriction exactly as border control does (api_subject_matches on each
 * of the person's documents and on the names with the birth date).  Hook:
 * when the screening index (fuzzy names) exists, its candidates should be
 * added in restrictions_in_force(), flagged for the officer's review.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "api/certificates.h"
#include "api/screen_api.h"
#include "core/calendar.h"
#include "core/rules.h"
#include "store/audit.h"
#include "store/persons.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_MOVEMENTS CERT_MAX_MOVEMENTS
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

/* See certificates.h. */
bool cert_canonical_code(const char *in, char out[CODE_LEN + 4])
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

/*
 * Restrictions in force that the booth's screening finds for this person
 * and the exact match above does not: a near match ("Rosa María Lemus"
 * for "Rosa María Lemus de Paz", same birth date) stops the traveler at
 * the booth, so the certificate cannot say "none" until a clerk has
 * looked at it.  Returns the ids (an array) or NULL when the screening
 * could not run; none without an index, as at the booth.
 */
static json_t *near_restrictions(struct api_ctx *ctx, struct store_rows *person,
				 struct store_rows *docs, json_t *exact)
{
	json_t *near = json_array();
	if (!ctx->screen)
		return near;
	char nums[300] = "";
	size_t k = 0;
	for (int i = 0; i < store_rows_count(docs) && k + 30 < sizeof(nums); i++)
		k += (size_t)snprintf(nums + k, sizeof(nums) - k, "%s%s", k ? ";" : "",
				      store_rows_text(docs, i, 3));
	struct screen_person sp = {store_rows_text(person, 0, 1), store_rows_text(person, 0, 2),
				   store_rows_text(person, 0, 3), store_rows_text(person, 0, 4),
				   store_rows_text(person, 0, 5), nums[0] ? nums : NULL};
	struct screen_result res;
	struct sigm_error err;
	if (api_screen_query(ctx, &sp, SCREEN_DEFAULT_THRESHOLD, 20, &res, &err)) {
		if (err.rc == SIGM_EINVAL) /* no name to screen */
			return near;
		json_decref(near);
		return NULL;
	}
	for (int i = 0; i < res.n; i++) {
		if (strncmp(res.hits[i].id, "restriction:", 12))
			continue;
		long long id = atoll(res.hits[i].id + 12);
		bool known = false;
		size_t j;
		json_t *r;
		json_array_foreach(exact, j, r)
			known |= json_integer_value(json_object_get(r, "id")) == id;
		if (!known && id > 0)
			json_array_append_new(near, json_integer(id));
	}
	screen_result_release(&res);
	return near;
}

static int movements_of(struct api_ctx *ctx, int64_t person_id,
			const char *from, const char *to, json_t **out,
			struct sigm_error *err)
{
	struct store_rows *r = NULL;
	struct store_val p[] = {sv_int(person_id), sv_opt(from), sv_opt(to),
				sv_int(MAX_MOVEMENTS + 1)};
	/* Corrected movements and their compensating entries cancel out:
	 * what is certified is what stands in the ledger, of the person: the
	 * records a supervisor linked as theirs too (each movement names its
	 * document). */
	int rc = store_query(ctx->store,
			     "SELECT m.at, m.direction, m.port, d.number AS document_number, d.issuing_state"
			     " FROM movements m LEFT JOIN documents d ON d.id = m.document_id"
			     " WHERE m.person_id IN " API_LINKED_PERSONS " AND m.corrects_movement_id IS NULL"
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
	return api_audit_tx(tx, w->req, "certificate.issue", "certificate", w->code, d, err);
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
					"purpose", "from", "to", "reviewed_matches", NULL};
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
		if (api_object_keys(resp, rq, "requester", rf) ||
		    api_in(resp, "requester",
			   enum_field(resp, rq, "kind", REQUESTERS, true, &w.rkind) ||
			   api_get_str(resp, rq, "name", false, 200, &w.rname) ||
			   api_get_str(resp, rq, "reference", false, 200, &w.rref)))
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
	    /* the documents of the records a supervisor linked as this
	     * person's too, as the movements are (movements_of): a traveler
	     * recorded without a document and linked to their passport's
	     * record was certified free of the exit ban on that passport */
	    store_query(s, "SELECT id, kind, document_code, number, issuing_state, expiry_date FROM documents"
			" WHERE person_id IN " API_LINKED_PERSONS " ORDER BY first_seen_at, id LIMIT 50",
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
	/* near matches: issued only once the clerk says each was reviewed
	 * and is not this person (reviewed_matches), and said so */
	json_t *reviewed = NULL;
	if (!strcmp(w.kind, "restrictions")) {
		json_t *near = near_restrictions(req->ctx, p, d, extra);
		if (!near) {
			api_error(resp, 503, "screening_unavailable", NULL,
				  "no se pudo consultar el cotejo de nombres: la certificación de restricciones no se emite sin él");
			goto out;
		}
		json_t *given = json_object_get(b, "reviewed_matches");
		if (given && !json_is_array(given)) {
			json_decref(near);
			api_error(resp, 400, "invalid_type", "reviewed_matches",
				  "«reviewed_matches»: la lista de números de restricción revisados");
			goto out;
		}
		json_t *missing = json_array();
		size_t i;
		json_t *id;
		json_array_foreach(near, i, id) {
			bool ok = false;
			size_t j;
			json_t *g;
			json_array_foreach(given, j, g)
				ok |= json_is_integer(g) && json_integer_value(g) == json_integer_value(id);
			if (!ok)
				json_array_append(missing, id);
		}
		if (json_array_size(missing)) {
			char list[300] = "";
			size_t k = 0;
			json_array_foreach(missing, i, id)
				if (k + 24 < sizeof(list))
					k += (size_t)snprintf(list + k, sizeof(list) - k, "%sn.º %lld", k ? ", " : "",
							      (long long)json_integer_value(id));
			api_error(resp, 409, "possible_match", "reviewed_matches",
				  "el cotejo encuentra restricciones parecidas a esta persona (%s): revíselas y, si no le corresponden, "
				  "indíquelo para emitir la certificación", list);
			json_object_set_new(json_object_get(resp->json, "error"), "matches", missing);
			json_decref(near);
			goto out;
		}
		json_decref(missing);
		if (json_array_size(near))
			reviewed = near;
		else
			json_decref(near);
	}
	static const char *const dints[] = {"id", NULL};
	json_t *person = api_row_object(p, 0, dints);
	json_object_del(person, "id");
	content = json_pack("{s:o, s:o, s:o, s:s?, s:s?, s:o?}", "person", person,
			    "documents", rows_json(d, dints),
			    !strcmp(w.kind, "movements") ? "movements" : "restrictions", extra,
			    "from", from, "to", to, "reviewed_matches", reviewed);
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
	if (!cert_canonical_code(req->params[0], code)) {
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
	    cert_render_pdf(req->ctx, c, &pdf, &len, &err)) {
		store_rows_free(&c);
		api_error_from(resp, &err);
		return;
	}
	store_rows_free(&c);
	/* a download is a disclosure of personal data: audited before it
	 * leaves (not at all when the entry could not be written: server.c) */
	api_audit(req, "certificate.download", "certificate", code, NULL);
	api_raw(resp, 200, "application/pdf", pdf, len);
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
	static const char *const STATUS[] = {"valid", "revoked", NULL};
	const char *kind, *st;
	if (api_query_enum(req, resp, "kind", KINDS, &kind) ||
	    api_query_enum(req, resp, "status", STATUS, &st))
		return;
	const char *day = api_query(req, "date");
	if (day && !api_valid_date(day, false)) {
		api_error(resp, 400, "invalid_date", "date", "fecha inválida (AAAA-MM-DD)");
		return;
	}
	char sql[900];
	snprintf(sql, sizeof(sql),
		 "SELECT %s FROM certificates WHERE (CAST($1 AS BIGINT) = 0 OR person_id = CAST($1 AS BIGINT))"
		 " AND (CAST($2 AS TEXT) IS NULL OR kind = $2) AND (CAST($3 AS TEXT) IS NULL OR status = $3)"
		 " AND (CAST($4 AS TEXT) IS NULL OR (issued_at >= $4 AND issued_at < $7))"
		 " AND id < $5 ORDER BY id DESC LIMIT $6",
		 CERT_COLS);
	/* the day is El Salvador's: its instants in UTC, [from, to) */
	char from[24] = "", to[24] = "";
	if (day) {
		struct tm tm = {0};
		sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		time_t t = timegm(&tm) - CAL_SV_UTC_OFFSET_S, u = t + 86400;
		strftime(from, sizeof(from), "%Y-%m-%dT%H:%M:%S", gmtime_r(&t, &tm));
		strftime(to, sizeof(to), "%Y-%m-%dT%H:%M:%S", gmtime_r(&u, &tm));
	}
	struct store_val p[] = {sv_int(person), sv_opt(kind), sv_opt(st), sv_opt(day ? from : NULL),
				sv_int(cursor > 0 ? cursor : INT64_MAX), sv_int(limit + 1),
				sv_opt(day ? to : NULL)};
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
	/* a certificate's trail is by its code, which a list of ids cannot
	 * name; its holder is a person record: the persons shown are named
	 * (audit_api.h), so the trail of each answers who listed their
	 * certificates */
	json_t *crit = json_pack("{s:o, s:s?, s:s?, s:s?}",
				 "person_id", person ? json_integer(person) : json_null(),
				 "kind", kind, "status", st, "date", day);
	api_audit_list(req, "certificate.search", "person", r, 3, n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
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
	/* the holder named, as the issue's entry names them: the person's
	 * trail reads every change of their certificates */
	int64_t holder = 0;
	struct store_val k[] = {sv_text(w->code)};
	rc = store_tx_query_int(tx, "SELECT person_id FROM certificates WHERE code = $1", k, 1, &holder, err);
	if (rc && rc != SIGM_ENOTFOUND)
		return rc;
	json_t *d = json_pack("{s:s}", "reason", w->reason);
	if (holder)
		json_object_set_new(d, "person_id", json_integer(holder));
	char *ds = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
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
