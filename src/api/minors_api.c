/*
 * minors_api.c - the registry of authorizations for minors to leave the
 * country (LEPINA Art. 44).  Who may travel with whom, where to, for how
 * long, on whose authority (notarial act, PGR, court), valid at most one
 * year.  Border control checks a minor's exit against it.
 */
#include "api/api.h"
#include "api/audit_api.h"
#include "core/calendar.h"
#include "core/names.h"
#include "core/rules.h"
#include "store/audit.h"
#include "store/persons.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const INSTRUMENTS[] = {"notarial_act", "pgr", "court", NULL};
static const char *const RELATIONS[] = {"mother", "father", "legal_guardian",
					NULL};
static const char *const INT_COLS[] = {"id", "travels_alone", NULL};

static bool in_set(const char *v, const char *const *set)
{
	for (const char *const *k = set; *k; k++)
		if (!strcmp(*k, v))
			return true;
	return false;
}

struct mcreate {
	struct api_req *req;
	struct api_subject minor;
	const char *bcert, *instrument, *iref, *issued, *from, *to, *dest,
		*length, *authorizing;
	int alone;
	struct api_subject comp;
	const char *comp_rel;
	int64_t id;
};

static int create_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct mcreate *m = arg;
	char now[40], key[256];
	store_now_iso(now, sizeof(now));
	persons_surnames_key(m->minor.surnames, key, sizeof(key));
	/* The same paper registered twice (a clerk's double click, two
	 * clerks with one act): one authorization, the second a 409 naming
	 * it.  Six sent at once made six.  The writers are serialized on
	 * both engines (one SQLite writer; PostgreSQL's advisory lock), so
	 * the read and the insert cannot interleave. */
	int64_t dup = 0;
	/* (the same child: twins share the rest, and one act may name
	 * both, each registered on its own; and the same trip: the same
	 * companion, destination and validity) */
	struct store_val d[] = {sv_text(m->minor.birth_date), sv_text(key), sv_text(m->instrument),
				sv_text(m->iref), sv_text(m->minor.given_names), sv_text(m->to),
				sv_text(m->dest), sv_text(m->comp.document_number ? m->comp.document_number : ""),
				sv_int(m->alone)};
	int rc = store_tx_query_int(tx, "SELECT id FROM minor_authorizations WHERE status = 'active'"
				    " AND minor_birth_date = $1 AND minor_surnames_key = $2 AND instrument = $3"
				    " AND upper(instrument_reference) = upper($4) AND minor_given_names = $5"
				    " AND valid_to = $6 AND destination = $7 AND coalesce(companion_document_number, '') = $8"
				    " AND travels_alone = $9 ORDER BY id LIMIT 1",
				    d, SV_N(d), &dup, err);
	if (rc == 0)
		return sigm_error_set(err, SIGM_ECONFLICT, "duplicate_authorization", "instrument_reference",
				      "esta autorización ya está registrada (n.º %lld: el mismo menor y el mismo %s)",
				      (long long)dup, !strcmp(m->instrument, "notarial_act") ? "acta notarial"
						     : !strcmp(m->instrument, "pgr") ? "documento de la PGR" : "resolución judicial");
	if (rc != SIGM_ENOTFOUND)
		return rc;
	struct store_val p[] = {
		sv_text(m->minor.given_names), sv_text(m->minor.surnames),
		sv_text(m->minor.birth_date), sv_text(m->minor.nationality),
		sv_text(m->minor.document_number), sv_text(m->bcert),
		sv_text(m->authorizing), sv_text(m->instrument),
		sv_text(m->iref), sv_text(m->issued), sv_text(m->from),
		sv_text(m->to), sv_int(m->alone),
		sv_text(m->comp.given_names), sv_text(m->comp.surnames),
		sv_text(m->comp.document_number), sv_text(m->comp_rel),
		sv_text(m->dest), sv_text(m->length), sv_text(now),
		sv_text(m->req->actor), sv_text(key)};
	rc = store_tx_query_int(
		tx,
		"INSERT INTO minor_authorizations (minor_given_names, minor_surnames, minor_birth_date, minor_nationality,"
		" minor_document_number, birth_certificate_ref, authorizing, instrument, instrument_reference, issued_on,"
		" valid_from, valid_to, travels_alone, companion_given_names, companion_surnames, companion_document_number,"
		" companion_relation, destination, length_of_stay, created_at, created_by, minor_surnames_key)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
		p, SV_N(p), &m->id, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)m->id);
	struct audit_entry e;
	api_audit_entry(m->req, &e, "minor_authorization.create",
			"minor_authorization", rid, NULL);
	return audit_append(tx, &e, err);
}

static json_t *row_json(struct store_rows *r, int i)
{
	json_t *o = api_row_object(r, i, INT_COLS);
	json_object_del(o, "minor_surnames_key"); /* the search's, not the record's */
	json_t *a = json_loads(json_string_value(json_object_get(o, "authorizing")), 0, NULL);
	json_object_set_new(o, "authorizing", a ? a : json_array());
	json_object_set_new(o, "travels_alone",
			    json_boolean(json_integer_value(json_object_get(o, "travels_alone"))));
	return o;
}

static void answer(struct api_req *req, struct api_resp *resp, int64_t id,
		   int status)
{
	struct store_rows *r = NULL;
	struct sigm_error err;
	struct store_val v[] = {sv_int(id)};
	if (store_query(req->ctx->store, "SELECT * FROM minor_authorizations WHERE id = $1",
			v, 1, &r, &err)) {
		api_error_from(resp, &err);
		return;
	}
	if (store_rows_count(r) == 0)
		api_error(resp, 404, "not_found", "id",
			  "no existe la autorización %lld", (long long)id);
	else
		api_json(resp, status, row_json(r, 0));
	store_rows_free(&r);
}

/* Validates the "authorizing" array and returns it as compact JSON, built
 * from the validated fields only (what is stored is what was checked). */
static char *authorizing_json(struct api_resp *resp, json_t *b)
{
	static const char *const keys[] = {"relation", "given_names", "surnames",
					   "document_number", NULL};
	json_t *a = json_object_get(b, "authorizing");
	if (!json_is_array(a) || json_array_size(a) < 1 || json_array_size(a) > 2) {
		api_error(resp, 400, "invalid_authorizing", "authorizing",
			  "«authorizing»: lista de 1 o 2 personas que autorizan (padre, madre o representante legal)");
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(a, i, p) {
		char f[64];
		const char *rel, *g, *s, *doc;
		snprintf(f, sizeof(f), "authorizing[%zu]", i);
		if (api_object_keys(resp, p, f, keys) ||
		    api_in(resp, f, api_get_str(resp, p, "relation", true, 20, &rel) ||
			   api_get_str(resp, p, "given_names", true, 200, &g) ||
			   api_get_str(resp, p, "surnames", true, 200, &s)))
			goto fail;
		/* a parent's number by the one rule (rules_docno_read),
		 * kept as the booth keeps numbers: "2014-02-29" typed in
		 * the wrong box was kept, «N/A» too */
		char fdoc[96];
		snprintf(fdoc, sizeof(fdoc), "%s.document_number", f);
		if (api_get_docno(resp, p, "document_number", fdoc, false, &doc))
			goto fail;
		if (!names_has_letter(g) || !names_has_letter(s)) {
			char ff[96];
			snprintf(ff, sizeof(ff), "%s.%s", f, names_has_letter(g) ? "surnames" : "given_names");
			api_error(resp, 400, "invalid_name", ff, "«%s» no contiene ninguna letra", ff);
			goto fail;
		}
		if (!in_set(rel, RELATIONS)) {
			api_error(resp, 400, "invalid_authorizing", f,
				  "cada persona que autoriza requiere relation (mother, father, legal_guardian), given_names y surnames");
			goto fail;
		}
		/* one mother and one father: a second of either is a slip */
		if (i == 1 && strcmp(rel, "legal_guardian") &&
		    !strcmp(rel, json_string_value(json_object_get(json_array_get(out, 0), "relation")))) {
			api_error(resp, 422, "duplicate_relation", f,
				  "la misma relación (%s) figura dos veces", rel);
			goto fail;
		}
		json_t *o = json_pack("{s:s, s:s, s:s}", "relation", rel,
				      "given_names", g, "surnames", s);
		if (doc)
			json_object_set_new(o, "document_number", json_string(doc));
		json_array_append_new(out, o);
	}
	char *j = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(out);
	return j;
fail:
	json_decref(out);
	return NULL;
}


/* Whether authorizing person p (an object authorizing_json built) is the
 * companion: by the document number when both give one, else by the
 * names as the registry keys them (accents and case aside). */
static bool is_companion(json_t *p, const struct api_subject *comp,
			 const char *comp_dui)
{
	const char *doc = json_string_value(json_object_get(p, "document_number"));
	if (doc && (rules_same_docno(doc, comp->document_number) || rules_same_docno(doc, comp_dui)))
		return true;
	if (doc)
		return false;
	char a[256], b[256];
	persons_surnames_key(json_string_value(json_object_get(p, "given_names")), a, sizeof(a));
	persons_surnames_key(comp->given_names, b, sizeof(b));
	if (!a[0] || strcmp(a, b))
		return false;
	persons_surnames_key(json_string_value(json_object_get(p, "surnames")), a, sizeof(a));
	persons_surnames_key(comp->surnames, b, sizeof(b));
	return a[0] && !strcmp(a, b);
}

/* LEPINA Art. 44: a notarial act is the consent of the parent who does
 * not travel.  One whose only authorizing parent is the companion is
 * nobody's consent but the traveller's own (the father "authorizing"
 * himself let the child out without the mother's).  The PGR and a judge
 * decide for an absent parent, so their instruments may name the parent
 * who asked as both; a legal guardian holds the authority alone. */
static bool self_authorized(const char *auth, const struct api_subject *comp,
			    const char *comp_dui)
{
	json_t *a = json_loads(auth, 0, NULL);
	size_t i;
	json_t *p;
	bool self = false, other = false;
	json_array_foreach(a, i, p) {
		const char *rel = json_string_value(json_object_get(p, "relation"));
		if (rel && strcmp(rel, "legal_guardian") && is_companion(p, comp, comp_dui))
			self = true;
		else
			other = true;
	}
	json_decref(a);
	return self && !other;
}

void api_minors_create(struct api_req *req, struct api_resp *resp);
void api_minors_create(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {
		"minor", "birth_certificate_ref", "authorizing", "instrument",
		"instrument_reference", "issued_on", "valid_from", "valid_to",
		"travels_alone", "companion", "destination", "length_of_stay",
		NULL};
	struct mcreate m = {.req = req};
	json_t *b = api_body_object(req, resp, f);
	if (!b)
		return;
	/* the minor is named by names and surnames (a subject of the
	 * registries may be named by a DUI alone; a child has none) */
	json_t *jm = json_object_get(b, "minor");
	for (int i = 0; json_is_object(jm) && i < 2; i++) {
		const char *k = i ? "surnames" : "given_names";
		/* absent, null or empty is not identified; another type (a
		 * number) is the type error api_get_subject says */
		json_t *jv = json_object_get(jm, k);
		const char *v = json_string_value(jv);
		while (v && isspace((unsigned char)*v))
			v++; /* blank is empty ("  " reached the insert) */
		if ((!jv || json_is_null(jv) || (v && !*v))) {
			api_error(resp, 422, "minor_not_identified", i ? "minor.surnames" : "minor.given_names",
				  "el menor requiere nombres, apellidos y fecha de nacimiento completa");
			return;
		}
	}
	/* the minor's and the companion's numbers are read by the booth's
	 * rule (api_get_subject: rules_docno_read): "D" named a passport no
	 * inspection accepts, and a companion's shorter than 4 letters or
	 * digits nobody who could ever be let through with the child */
	if (api_get_subject(req, resp, b, "minor", &m.minor))
		return;
	/* blank once trimmed ("  "): api_get_subject drops it, and the
	 * insert failed on the column (409 "constraint", no field).  A name
	 * without a letter of any script ("---", a date typed in the wrong
	 * box) is nobody's: its key is empty and no booth ever finds it */
	for (int i = 0; i < 2; i++) {
		const char *v = i ? m.minor.surnames : m.minor.given_names;
		const char *fld = i ? "minor.surnames" : "minor.given_names";
		if (!v) {
			api_error(resp, 422, "minor_not_identified", fld,
				  "el menor requiere nombres, apellidos y fecha de nacimiento completa");
			return;
		}
		if (!names_has_letter(v)) {
			api_error(resp, 400, "invalid_name", fld, "«%s» no contiene ninguna letra", fld);
			return;
		}
	}
	/* the birth date whole: the booth tells a minor by it (names were
	 * checked above) */
	if (!m.minor.birth_date || strlen(m.minor.birth_date) != 10) {
		api_error(resp, 422, "minor_not_identified", "minor.birth_date",
			  "el menor requiere nombres, apellidos y fecha de nacimiento completa");
		return;
	}
	if (api_get_str(resp, b, "birth_certificate_ref", true, 200, &m.bcert) ||
	    api_get_str(resp, b, "instrument", true, 20, &m.instrument) ||
	    api_get_str(resp, b, "instrument_reference", true, 300, &m.iref) ||
	    api_get_date(resp, b, "issued_on", true, false, &m.issued) ||
	    api_get_date(resp, b, "valid_from", false, false, &m.from) ||
	    api_get_date(resp, b, "valid_to", true, false, &m.to) ||
	    api_get_str(resp, b, "destination", true, 200, &m.dest) ||
	    api_get_str(resp, b, "length_of_stay", true, 200, &m.length))
		return;
	/* the country first, by its code, as the booth compares it with the
	 * trip's route; the city after it if wanted ("USA, Houston").  Free
	 * text ("Guatemala") was taken at the booth as any destination */
	char dcode[4];
	if (!api_place_known(req->ctx, m.dest, dcode) || (m.dest[3] && m.dest[3] != ',' && m.dest[3] != ' ')) {
		api_error(resp, 422, "invalid_destination", "destination",
			  "«destination»: el país de destino con su código de tres letras, y la ciudad si se quiere (p. ej. USA, Houston)");
		return;
	}
	/* an authorization to leave El Salvador: its destination, which the
	 * booth compares with the route's country, is another country (as
	 * a court's exit permit's, restrictions_api.c) */
	if (!strcmp(dcode, "SLV")) {
		api_error(resp, 422, "destination_is_origin", "destination",
			  "«destination»: la autorización es para salir de El Salvador; indique el país de destino");
		return;
	}
	char dest[820]; /* upper case, as compared (200 characters, up to 4 bytes each) */
	snprintf(dest, sizeof(dest), "%s%s", dcode, m.dest + 3);
	m.dest = dest;
	if (!in_set(m.instrument, INSTRUMENTS)) {
		api_error(resp, 422, "invalid_value", "instrument",
			  "instrumento: notarial_act (acta notarial), pgr (Procuraduría General de la República) o court (resolución judicial)");
		return;
	}
	if (!m.from)
		m.from = m.issued;
	char limit[11], today[11], said[16];
	int32_t issued, birth, from;
	struct sigm_error err;
	/* the dates were checked by api_get_date: these parse */
	if (cal_parse_day(m.issued, &issued, "issued_on", &err) ||
	    cal_parse_day(m.from, &from, "valid_from", &err) ||
	    cal_parse_day(m.minor.birth_date, &birth, "minor.birth_date", &err)) {
		api_error(resp, 400, "invalid_date", err.field, "%s", err.message);
		return;
	}
	/* an instrument is registered once it was granted: a date after
	 * El Salvador's today is a typing slip, not a future authorization */
	api_today(today);
	if (strcmp(m.issued, today) > 0) {
		api_error(resp, 422, "issued_in_future", "issued_on",
			  "«issued_on»: la autorización no puede estar otorgada después de hoy (%s)",
			  api_said_day(today, said));
		return;
	}
	cal_format(cal_add_years(issued, 1), limit);
	if (strcmp(m.to, limit) > 0) {
		api_error(resp, 422, "validity_over_one_year", "valid_to",
			  "la autorización vale como máximo un año desde su otorgamiento (hasta el %s)",
			  api_said_day(limit, said));
		return;
	}
	if (strcmp(m.to, m.from) < 0 || strcmp(m.from, m.issued) < 0) {
		api_error(resp, 422, "invalid_period", "valid_to",
			  "la vigencia debe empezar en o después del otorgamiento y terminar después de empezar");
		return;
	}

	if (strcmp(m.minor.birth_date, m.issued) > 0) {
		api_error(resp, 422, "born_after_issue", "minor.birth_date",
			  "el menor nació después de otorgada la autorización (%s)",
			  api_said_day(m.issued, said));
		return;
	}
	/* the booth's own reckoning (cal_age): someone born on 29 February
	 * turns 18 on 1 March of a common year, so on 28 February is still a
	 * minor who needs the authorization the booth will ask for */
	if (cal_age(birth, from) >= 18) {
		api_error(resp, 422, "not_a_minor", "minor.birth_date",
			  "la persona ya es mayor de edad en la fecha de inicio (%s)",
			  api_said_day(m.from, said));
		return;
	}
	json_t *alone = json_object_get(b, "travels_alone");
	if (alone && !json_is_boolean(alone)) {
		api_error(resp, 400, "invalid_type", "travels_alone",
			  "«travels_alone» debe ser true o false");
		return;
	}
	m.alone = json_is_true(alone);
	const char *comp_dui = NULL;
	/* what the companion is to the child, as the act says it («tía
	 * materna», «abuelo»): kept and shown with the companion (the
	 * column was there and always empty; a body that gave it was
	 * refused as an unknown key).  Words, not a code: the acts word it
	 * in many ways and the booth compares the person, not this */
	char rel[244] = "";
	json_t *jc = json_object_get(b, "companion");
	if (!m.alone && json_is_object(jc) && json_object_get(jc, "relation")) {
		const char *r = NULL;
		if (api_in(resp, "companion", api_get_str(resp, jc, "relation", false, 60, &r)))
			return;
		if (r && *r && !names_has_letter(r)) {
			api_error(resp, 400, "invalid_value", "companion.relation",
				  "«companion.relation»: el parentesco o vínculo con el menor, en palabras (p. ej. madre, tío, abuela)");
			return;
		}
		if (r)
			snprintf(rel, sizeof(rel), "%s", r);
		json_object_del(jc, "relation"); /* not an identity field */
		m.comp_rel = *rel ? rel : NULL;
	}
	if (!m.alone) {
		if (api_get_subject(req, resp, b, "companion", &m.comp))
			return;
		comp_dui = m.comp.dui;
		/* the registry keeps one number, the one the booth compares
		 * with the document shown: with both, the DUI was dropped
		 * without a word, and a companion who showed it was not the
		 * one named */
		if (m.comp.document_number && m.comp.dui &&
		    !rules_same_docno(m.comp.document_number, m.comp.dui)) {
			api_error(resp, 422, "companion_two_documents", "companion.dui",
				  "indique un solo documento de la persona acompañante: el que presentará en el control migratorio");
			return;
		}
		if (!m.comp.document_number)
			m.comp.document_number = m.comp.dui;
		if (!m.comp.given_names || !m.comp.surnames || !m.comp.document_number) {
			api_error(resp, 422, "companion_not_identified", "companion",
				  "la persona acompañante requiere nombres, apellidos y documento de identidad");
			return;
		}
		if (!names_has_letter(m.comp.given_names) || !names_has_letter(m.comp.surnames)) {
			const char *fld = names_has_letter(m.comp.given_names) ? "companion.surnames" : "companion.given_names";
			api_error(resp, 400, "invalid_name", fld, "«%s» no contiene ninguna letra", fld);
			return;
		}
		/* the child's own document as the companion's: the booth
		 * found the child "accompanied" by himself, and an
		 * authorization for an accompanied trip let him out alone */
		if (m.minor.document_number &&
		    rules_same_docno(m.comp.document_number, m.minor.document_number)) {
			api_error(resp, 422, "companion_is_minor",
				  comp_dui ? "companion.dui" : "companion.document_number",
				  "la persona acompañante no puede ser el propio menor: indique el documento de quien viaja con él");
			return;
		}
	} else if (json_object_get(b, "companion")) {
		api_error(resp, 422, "companion_with_alone", "companion",
			  "un menor que viaja solo no lleva acompañante");
		return;
	}
	char *auth = authorizing_json(resp, b);
	if (!auth)
		return;
	if (!m.alone && !strcmp(m.instrument, "notarial_act") &&
	    self_authorized(auth, &m.comp, comp_dui)) {
		api_error(resp, 422, "companion_self_authorized", "authorizing",
			  "el acta notarial es la autorización del padre o la madre que no viaja: "
			  "quien acompaña al menor no puede ser la única persona que autoriza");
		free(auth);
		return;
	}
	m.authorizing = auth;
	int rc = store_write(req->ctx->store, create_fn, &m, &err);
	free(auth);
	if (rc) {
		api_error_from(resp, &err);
		return;
	}
	answer(req, resp, m.id, 201);
}

/*
 * A parent withdraws the consent (LEPINA Art. 44: the authorization is
 * the parent's, given by notarial act or before the PGR, and so is its
 * withdrawal): the written revocation is recorded with its reference and
 * reason, and from then on the booth does not read the authorization
 * (gather_auths reads the active ones only).  Nothing is deleted: the
 * record, its revocation and who entered it stay.  There was no way to
 * record it: a mother who revoked her consent could not stop the trip.
 */
struct mrevoke {
	struct api_req *req;
	int64_t id;
	const char *reason, *reference;
};

static int revoke_fn(struct store_tx *tx, void *arg, struct sigm_error *err)
{
	struct mrevoke *m = arg;
	struct store_rows *r = NULL;
	struct store_val k[] = {sv_int(m->id)};
	int rc = store_tx_query(tx, "SELECT status, revoked_at FROM minor_authorizations WHERE id = $1", k, 1, &r, err);
	if (rc)
		return rc;
	if (store_rows_count(r) == 0) {
		store_rows_free(&r);
		return sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id",
				      "no existe la autorización %lld", (long long)m->id);
	}
	if (strcmp(store_rows_text(r, 0, 0), "active")) {
		rc = sigm_error_set(err, SIGM_ECONFLICT, "not_active", "id",
				    "la autorización n.º %lld ya fue revocada%s%s", (long long)m->id,
				    store_rows_text(r, 0, 1) ? " el " : "",
				    store_rows_text(r, 0, 1) ? store_rows_text(r, 0, 1) : "");
		store_rows_free(&r);
		return rc;
	}
	store_rows_free(&r);
	char now[40];
	store_now_iso(now, sizeof(now));
	struct store_val u[] = {sv_int(m->id), sv_text(m->reason), sv_text(m->reference),
				sv_text(now), sv_text(m->req->actor)};
	rc = store_tx_exec(tx, "UPDATE minor_authorizations SET status = 'revoked', revoke_reason = $2,"
			   " revoke_reference = $3, revoked_at = $4, revoked_by = $5 WHERE id = $1 AND status = 'active'",
			   u, SV_N(u), NULL, err);
	if (rc)
		return rc;
	char rid[24];
	snprintf(rid, sizeof(rid), "%lld", (long long)m->id);
	return api_audit_tx(tx, m->req, "minor_authorization.revoke", "minor_authorization", rid,
			    json_pack("{s:s, s:s}", "reason", m->reason, "reference", m->reference), err);
}

void api_minors_revoke(struct api_req *req, struct api_resp *resp);
void api_minors_revoke(struct api_req *req, struct api_resp *resp)
{
	static const char *const f[] = {"reason", "reference", NULL};
	struct mrevoke m = {.req = req};
	json_t *b;
	if (api_path_id(req, resp, "not_found", "autorización", &m.id) ||
	    !(b = api_body_object(req, resp, f)) ||
	    api_get_str(resp, b, "reason", true, 500, &m.reason) ||
	    api_get_str(resp, b, "reference", true, 120, &m.reference))
		return;
	struct sigm_error err;
	if (store_write(req->ctx->store, revoke_fn, &m, &err)) {
		api_error_from(resp, &err);
		return;
	}
	answer(req, resp, m.id, 200);
}

void api_minors_get(struct api_req *req, struct api_resp *resp);
void api_minors_get(struct api_req *req, struct api_resp *resp)
{
	int64_t id;
	if (api_path_id(req, resp, "not_found", "autorización", &id))
		return;
	answer(req, resp, id, 200);
	if (resp->status == 200)
		api_audit(req, "minor_authorization.read", "minor_authorization",
			  req->params[0], NULL);
}

void api_minors_list(struct api_req *req, struct api_resp *resp);
void api_minors_list(struct api_req *req, struct api_resp *resp)
{
	long long limit, cursor;
	if (api_query_int(req, resp, "limit", 50, 1, 500, &limit) ||
	    api_query_int(req, resp, "cursor", 0, 0, INT64_MAX, &cursor))
		return;
	const char *doc;
	const char *sur = api_query(req, "surnames");
	const char *bd = api_query(req, "birth_date");
	const char *valid_on = api_query(req, "valid_on");
	/* the number as it is registered (api_get_subject, by the one
	 * rule): "c000001" or «C-000 001» found nothing while the registry
	 * holds C000001 */
	char up[API_DOCNO_BUF];
	if (api_query_docno(req, resp, "document_number", up, &doc))
		return;
	if ((bd && !api_valid_date(bd, false)) || (valid_on && !api_valid_date(valid_on, false))) {
		api_error(resp, 400, "invalid_date", bd && !api_valid_date(bd, false) ? "birth_date" : "valid_on",
			  "fecha inválida (AAAA-MM-DD)");
		return;
	}
	/* The minor's surnames as people write them, as the person search
	 * (persons_api.c): keyed (persons_surnames_key, any script; migration
	 * 42), and the start of any of them finds the record ("Molina" finds
	 * «Rivas Molina»: a supervisor who knows only the mother's surname
	 * found nothing).  The registry is small: the key is scanned. */
	char key[256] = "", like[264] = "";
	if (sur)
		persons_surnames_key(sur, key, sizeof(key));
	if (sur && !key[0]) {
		api_error(resp, 400, "invalid_surnames", "surnames",
			  "escriba al menos una letra del apellido");
		return;
	}
	/* the key is letters, digits and spaces: nothing LIKE reads */
	snprintf(like, sizeof(like), "%% %s%%", key);
	const char *sql =
		"SELECT * FROM minor_authorizations WHERE (CAST($1 AS TEXT) IS NULL OR minor_document_number = $1)"
		" AND (CAST($2 AS TEXT) IS NULL OR (' ' || minor_surnames_key) LIKE $2) AND (CAST($3 AS TEXT) IS NULL OR minor_birth_date = $3)"
		" AND (CAST($4 AS TEXT) IS NULL OR (status = 'active' AND valid_from <= $4 AND valid_to >= $4))"
		" AND id < $5 ORDER BY id DESC LIMIT $6";
	struct store_val p[] = {sv_opt(doc), sv_opt(sur ? like : NULL), sv_opt(bd), sv_opt(valid_on),
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
		json_array_append_new(items, row_json(r, i));
	json_t *next = n > limit ? json_sprintf("%lld", (long long)store_rows_int(r, (int)limit - 1, 0))
				 : json_null();
	/* the authorizations shown are named (audit_api.h): the trail of
	 * each finds who listed it, not only who opened it.  The minor is
	 * not a person record (the registry keeps the minor's own names),
	 * so the authorization is the record whose trail answers. */
	json_t *crit = json_pack("{s:s?, s:s?, s:s?, s:s?}", "document_number", doc,
				 "surnames", sur, "birth_date", bd, "valid_on", valid_on);
	api_audit_list(req, "minor_authorization.search", "minor_authorization", r, 0,
		       n < limit ? n : (int)limit, crit);
	json_decref(crit);
	store_rows_free(&r);
	api_json(resp, 200, json_pack("{s:o, s:o}", "items", items, "next_cursor", next));
}
