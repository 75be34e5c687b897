/*
 * rules_load.c - reading the border reference data (data/border/) into
 * struct rules_tables; see rules_load.h.
 */
#include "api/rules_load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/calendar.h"
#include "core/mrz.h"

static int bad(struct sigm_error *err, const char *file, size_t row,
	       const char *what)
{
	if (row == (size_t)-1)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_border_data",
				      file, "%s: %s", file, what);
	return sigm_error_set(err, SIGM_EINVAL, "invalid_border_data", file,
			      "%s: fila %zu: %s", file, row + 1, what);
}

static int open_json(const char *dir, const char *name, json_t **root,
		     struct sigm_error *err)
{
	char path[512];
	json_error_t jerr;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    (int)sizeof(path))
		return sigm_error_set(err, SIGM_EINVAL, "invalid_path", "dir",
				      "ruta demasiado larga");
	*root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!*root) {
		int rc = jerr.position == 0 && jerr.line <= 0 ? SIGM_EIO
							       : SIGM_EINVAL;
		return sigm_error_set(err, rc, "invalid_border_data", name,
				      "%s: %s (línea %d)", path, jerr.text,
				      jerr.line);
	}
	/* Every file cites where its facts come from (issue 5). */
	if (!json_is_object(*root) ||
	    !json_object_get(*root, "source") ||
	    !json_is_string(json_object_get(*root, "effective_from")))
		return bad(err, name, (size_t)-1,
			   "falta «source» o «effective_from»");
	return 0;
}

/* A date field: absent or null -> CAL_NONE; else "YYYY-MM-DD". */
static int get_date(json_t *obj, const char *key, int32_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v)) {
		*out = CAL_NONE;
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	return cal_parse_day(json_string_value(v), out, key, NULL);
}

/* A row's keys are the ones the loader reads, the provenance ones
 * (source, confidence, verify, note…) or comments ("_doc"): a key typed
 * wrong ("effective_form") would otherwise be skipped, and the row taken
 * as in force for ever. */
static const char *unknown_key(json_t *row, const char *const *known)
{
	static const char *const meta[] = {"source", "confidence", "verify", "note",
					   "name", NULL};
	const char *k;
	json_t *v;
	json_object_foreach(row, k, v) {
		bool ok = k[0] == '_';
		for (int i = 0; !ok && known[i]; i++)
			ok = !strcmp(k, known[i]);
		for (int i = 0; !ok && meta[i]; i++)
			ok = !strcmp(k, meta[i]);
		if (!ok)
			return k;
	}
	return NULL;
}

static int check_keys(json_t *row, const char *const *known,
		      struct sigm_error *err, const char *f, size_t i)
{
	if (!json_is_object(row))
		return bad(err, f, i, "la fila no es un objeto");
	const char *k = unknown_key(row, known);
	if (!k)
		return 0;
	char what[160];
	snprintf(what, sizeof(what), "campo desconocido «%.60s»", k);
	return bad(err, f, i, what);
}

static bool is_alpha3(const char *s)
{
	return s && strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' &&
	       s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

static bool overlap(int32_t f1, int32_t t1, int32_t f2, int32_t t2)
{
	/* CAL_NONE is INT32_MIN: as a start it is minus infinity already;
	 * as an end it must be plus infinity. */
	if (t1 == CAL_NONE)
		t1 = INT32_MAX;
	if (t2 == CAL_NONE)
		t2 = INT32_MAX;
	return f1 <= t2 && f2 <= t1;
}

static int load_ports(json_t *root, struct rules_tables *t,
		      struct sigm_error *err)
{
	const char *f = "ports.json";
	json_t *list = json_object_get(root, "ports"), *p;
	size_t i;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return bad(err, f, (size_t)-1, "falta la lista «ports»");
	if (json_array_size(list) > RULES_MAX_PORTS)
		return sigm_error_set(err, SIGM_ETOOBIG, "too_many", f,
				      "%s: más de %d delegaciones", f,
				      RULES_MAX_PORTS);
	static const char *const keys[] = {"code", "kind", "neighbour", "active",
					   "iata", "department", NULL};
	json_array_foreach(list, i, p) {
		struct rules_port *o = &t->ports[t->n_ports];
		if (check_keys(p, keys, err, f, i))
			return -1;
		const char *code = json_string_value(json_object_get(p, "code"));
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *kind = json_string_value(json_object_get(p, "kind"));
		json_t *nb = json_object_get(p, "neighbour");
		json_t *active = json_object_get(p, "active");

		if (!code || !*code || strlen(code) >= sizeof(o->code))
			return bad(err, f, i, "«code» inválido");
		for (const char *c = code; *c; c++)
			if (!((*c >= 'A' && *c <= 'Z') ||
			      (*c >= '0' && *c <= '9')))
				return bad(err, f, i,
					   "«code» debe ser A-Z y 0-9");
		if (rules_port_find(t, code))
			return bad(err, f, i, "«code» repetido");
		if (!name || !*name || strlen(name) >= sizeof(o->name))
			return bad(err, f, i, "«name» inválido");
		o->kind = rules_port_kind_parse(kind);
		if (!o->kind)
			return bad(err, f, i, "«kind» debe ser air, land o sea");
		if (nb && !json_is_null(nb)) {
			if (!is_alpha3(json_string_value(nb)))
				return bad(err, f, i,
					   "«neighbour» debe ser alfa-3");
			snprintf(o->neighbour, sizeof(o->neighbour), "%s",
				 json_string_value(nb));
		}
		if (o->kind == RULES_PORT_LAND && !o->neighbour[0])
			return bad(err, f, i,
				   "una frontera terrestre necesita «neighbour»");
		if (!json_is_boolean(active))
			return bad(err, f, i, "falta «active»");
		o->active = json_is_true(active);
		/* an airport's IATA code: what APIS manifests name it by
		 * (LOC); "" (and the SIGM code is tried) when not given */
		json_t *iata = json_object_get(p, "iata");
		if (iata && !json_is_null(iata)) {
			const char *ic = json_string_value(iata);
			if (!ic || strlen(ic) != 3 || o->kind != RULES_PORT_AIR)
				return bad(err, f, i,
					   "«iata»: 3 letras, solo en un aeropuerto");
			for (const char *c = ic; *c; c++)
				if (*c < 'A' || *c > 'Z')
					return bad(err, f, i, "«iata»: 3 letras A-Z");
			snprintf(o->iata, sizeof(o->iata), "%s", ic);
		}
		snprintf(o->code, sizeof(o->code), "%s", code);
		snprintf(o->name, sizeof(o->name), "%s", name);
		if (!json_object_get(p, "source"))
			return bad(err, f, i, "falta «source»");
		t->n_ports++;
	}
	return 0;
}

static int cat_parse(const char *s, enum rules_visa_cat *out)
{
	if (!s)
		return -1;
	if (!strcmp(s, "A"))
		*out = RULES_CAT_A;
	else if (!strcmp(s, "B"))
		*out = RULES_CAT_B;
	else if (!strcmp(s, "C"))
		*out = RULES_CAT_C;
	else if (!strcmp(s, "unknown"))
		*out = RULES_CAT_UNKNOWN;
	else
		return -1;
	return 0;
}

static int load_nationalities(json_t *root, struct rules_tables *t,
			      struct sigm_error *err)
{
	const char *f = "nationality_rules.json";
	const char *home = json_string_value(json_object_get(root, "home"));
	json_t *ca4 = json_object_get(json_object_get(root, "ca4"), "members");
	json_t *list = json_object_get(root, "nationalities");
	json_t *stays = json_object_get(root, "stays");
	json_t *minval = json_object_get(
		json_object_get(root, "passport_min_validity_months_on_entry"),
		"value");
	json_t *v;
	size_t i;

	if (!is_alpha3(home))
		return bad(err, f, (size_t)-1, "«home» debe ser alfa-3");
	snprintf(t->home, sizeof(t->home), "%s", home);

	if (!json_is_array(ca4) || json_array_size(ca4) == 0 ||
	    json_array_size(ca4) > RULES_MAX_CA4)
		return bad(err, f, (size_t)-1, "«ca4.members» inválido");
	json_array_foreach(ca4, i, v) {
		if (!is_alpha3(json_string_value(v)))
			return bad(err, f, i, "miembro CA-4 no es alfa-3");
		snprintf(t->ca4[t->n_ca4++], 4, "%s", json_string_value(v));
	}

	if (minval && !json_is_null(minval)) {
		if (!json_is_integer(minval) || json_integer_value(minval) < 0 ||
		    json_integer_value(minval) > 120)
			return bad(err, f, (size_t)-1,
				   "«passport_min_validity_months_on_entry» "
				   "inválido");
		t->min_passport_validity_months = (int)json_integer_value(minval);
	}

	if (!json_is_array(list))
		return bad(err, f, (size_t)-1, "falta «nationalities»");
	if (json_array_size(list) > RULES_MAX_NATIONALITIES)
		return sigm_error_set(err, SIGM_ETOOBIG, "too_many", f,
				      "%s: más de %d nacionalidades", f,
				      RULES_MAX_NATIONALITIES);
	static const char *const nkeys[] = {"code", "category", "effective_from",
					    "effective_to", NULL};
	json_array_foreach(list, i, v) {
		struct rules_nationality *n =
			&t->nationalities[t->n_nationalities];
		if (check_keys(v, nkeys, err, f, i))
			return -1;
		const char *code = json_string_value(json_object_get(v, "code"));
		if (!is_alpha3(code))
			return bad(err, f, i, "«code» debe ser alfa-3");
		if (cat_parse(json_string_value(json_object_get(v, "category")),
			      &n->cat))
			return bad(err, f, i,
				   "«category» debe ser A, B, C o unknown");
		if (get_date(v, "effective_from", &n->effective_from) ||
		    get_date(v, "effective_to", &n->effective_to))
			return bad(err, f, i, "fecha inválida");
		if (n->effective_from != CAL_NONE &&
		    n->effective_to != CAL_NONE &&
		    n->effective_to < n->effective_from)
			return bad(err, f, i, "effective_to antes de "
					      "effective_from");
		if (!json_object_get(v, "source"))
			return bad(err, f, i, "falta «source»");
		snprintf(n->code, sizeof(n->code), "%s", code);
		for (size_t k = 0; k < t->n_nationalities; k++) {
			const struct rules_nationality *o = &t->nationalities[k];
			if (!strcmp(o->code, n->code) &&
			    overlap(o->effective_from, o->effective_to,
				    n->effective_from, n->effective_to))
				return bad(err, f, i,
					   "dos filas vigentes a la vez para "
					   "la misma nacionalidad");
		}
		t->n_nationalities++;
	}

	if (!json_is_array(stays) || json_array_size(stays) > RULES_MAX_STAYS)
		return bad(err, f, (size_t)-1, "«stays» inválido");
	static const char *const skeys[] = {"who", "days", "extendable",
					    "effective_from", "effective_to", NULL};
	json_array_foreach(stays, i, v) {
		struct rules_stay *s = &t->stays[t->n_stays];
		if (check_keys(v, skeys, err, f, i))
			return -1;
		const char *who = json_string_value(json_object_get(v, "who"));
		json_t *days = json_object_get(v, "days");
		if (!who)
			return bad(err, f, i, "falta «who»");
		if (!strcmp(who, "ca4"))
			s->who = RULES_STAY_CA4;
		else if (!strcmp(who, "A"))
			s->who = RULES_STAY_CAT_A;
		else if (!strcmp(who, "B"))
			s->who = RULES_STAY_CAT_B;
		else if (!strcmp(who, "C"))
			s->who = RULES_STAY_CAT_C;
		else
			return bad(err, f, i, "«who» debe ser ca4, A, B o C");
		if (!json_is_integer(days) || json_integer_value(days) < 1 ||
		    json_integer_value(days) > 3660)
			return bad(err, f, i, "«days» inválido");
		s->days = (int)json_integer_value(days);
		if (get_date(v, "effective_from", &s->effective_from) ||
		    get_date(v, "effective_to", &s->effective_to))
			return bad(err, f, i, "fecha inválida");
		if (s->effective_from != CAL_NONE && s->effective_to != CAL_NONE &&
		    s->effective_to < s->effective_from)
			return bad(err, f, i, "effective_to antes de effective_from");
		if (!json_object_get(v, "source"))
			return bad(err, f, i, "falta «source»");
		for (size_t k = 0; k < t->n_stays; k++)
			if (t->stays[k].who == s->who &&
			    overlap(t->stays[k].effective_from,
				    t->stays[k].effective_to,
				    s->effective_from, s->effective_to))
				return bad(err, f, i,
					   "dos permanencias vigentes a la vez "
					   "para la misma categoría");
		t->n_stays++;
	}
	return 0;
}

/* USD amount (number or null) to cents; -1 for null, -2 for bad. */
static int64_t usd(json_t *v)
{
	if (!v || json_is_null(v))
		return -1;
	if (!json_is_number(v))
		return -2;
	double d = json_number_value(v);
	if (!(d >= 0 && d < 1e9))
		return -2;
	return (int64_t)llround(d * 100.0);
}

static int load_fines(json_t *root, struct rules_tables *t,
		      struct sigm_error *err)
{
	const char *f = "fines.json";
	json_t *list = json_object_get(root, "fines"), *v;
	size_t i;

	if (!json_is_array(list) || json_array_size(list) > RULES_MAX_FINES)
		return bad(err, f, (size_t)-1, "«fines» inválido");
	static const char *const keys[] = {"applies_to", "basis", "fixed_usd",
					   "per_day_usd", "max_usd", "effective_from",
					   "effective_to", NULL};
	json_array_foreach(list, i, v) {
		if (check_keys(v, keys, err, f, i))
			return -1;
		const char *what =
			json_string_value(json_object_get(v, "applies_to"));
		const char *basis = json_string_value(json_object_get(v, "basis"));
		if (!what || !basis)
			return bad(err, f, i, "falta «applies_to» o «basis»");
		/* the only fine a booth counts; another word is a typo that
		 * would leave overstays without their fine */
		if (strcmp(what, "overstay") != 0)
			return bad(err, f, i, "«applies_to» debe ser overstay");
		struct rules_fine *o = &t->fines[t->n_fines];
		int64_t fixed = usd(json_object_get(v, "fixed_usd"));
		int64_t per_day = usd(json_object_get(v, "per_day_usd"));
		int64_t max = usd(json_object_get(v, "max_usd"));
		if (fixed == -2 || per_day == -2 || max == -2)
			return bad(err, f, i, "monto inválido");
		/* a 0 read as "no cap" or as a known fine of US$ 0: the
		 * booth would record overstays fined nothing, or uncapped,
		 * on a typo; none is written null */
		if (max == 0)
			return bad(err, f, i, "«max_usd» 0: sin tope se escribe null");
		if (fixed <= 0 && per_day <= 0 && (fixed == 0 || per_day == 0))
			return bad(err, f, i, "una multa de US$ 0: un monto no establecido se escribe null, y sin multa se quita la fila");
		o->known = fixed >= 0 || per_day >= 0;
		o->fixed_cents = fixed > 0 ? fixed : 0;
		o->per_day_cents = per_day > 0 ? per_day : 0;
		o->max_cents = max > 0 ? max : 0;
		snprintf(o->basis, sizeof(o->basis), "%s", basis);
		if (get_date(v, "effective_from", &o->effective_from) ||
		    get_date(v, "effective_to", &o->effective_to))
			return bad(err, f, i, "fecha inválida");
		if (o->effective_from != CAL_NONE && o->effective_to != CAL_NONE &&
		    o->effective_to < o->effective_from)
			return bad(err, f, i, "effective_to antes de effective_from");
		if (!json_object_get(v, "source"))
			return bad(err, f, i, "falta «source»");
		for (size_t k = 0; k < t->n_fines; k++)
			if (overlap(t->fines[k].effective_from,
				    t->fines[k].effective_to,
				    o->effective_from, o->effective_to))
				return bad(err, f, i,
					   "dos multas vigentes a la vez");
		t->n_fines++;
	}
	return 0;
}

int api_rules_load(const char *dir, struct rules_tables **out,
		   struct sigm_error *err)
{
	json_t *ports = NULL, *nat = NULL, *fines = NULL;
	struct rules_tables *t = NULL;
	int rc;

	*out = NULL;
	if (!(t = calloc(1, sizeof(*t)))) {
		rc = sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
		goto fail;
	}
	if ((rc = open_json(dir, "ports.json", &ports, err)) ||
	    (rc = open_json(dir, "nationality_rules.json", &nat, err)) ||
	    (rc = open_json(dir, "fines.json", &fines, err)) ||
	    (rc = load_ports(ports, t, err)) ||
	    (rc = load_nationalities(nat, t, err)) ||
	    (rc = load_fines(fines, t, err)))
		goto fail;
	json_decref(ports);
	json_decref(nat);
	json_decref(fines);
	*out = t;
	return 0;

fail:
	json_decref(ports);
	json_decref(nat);
	json_decref(fines);
	free(t);
	return rc;
}

static int country_known(const struct mrz_countries *c, const char *code,
			 const char *file, size_t row, const char *field,
			 struct sigm_error *err)
{
	if (mrz_country_name(c, code, 3))
		return 0;
	char what[120];
	snprintf(what, sizeof(what), "%s «%s» no es un país (ISO 3166-1 o ICAO)",
		 field, code);
	return bad(err, file, row, what);
}

int api_rules_check_countries(const struct rules_tables *t,
			      const struct mrz_countries *c,
			      struct sigm_error *err)
{
	const char *nf = "nationality_rules.json";
	if (country_known(c, t->home, nf, (size_t)-1, "«home»", err))
		return SIGM_EINVAL;
	for (size_t i = 0; i < t->n_ca4; i++)
		if (country_known(c, t->ca4[i], nf, i, "miembro CA-4", err))
			return SIGM_EINVAL;
	for (size_t i = 0; i < t->n_nationalities; i++)
		if (country_known(c, t->nationalities[i].code, nf, i, "«code»", err))
			return SIGM_EINVAL;
	for (size_t i = 0; i < t->n_ports; i++)
		if (t->ports[i].neighbour[0] &&
		    country_known(c, t->ports[i].neighbour, "ports.json", i, "«neighbour»", err))
			return SIGM_EINVAL;
	return 0;
}

void api_rules_free(struct rules_tables *t)
{
	free(t);
}
