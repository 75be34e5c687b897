/*
 * test_http.c - the error bodies of http.c, which need no server: every
 * text in one is valid UTF-8 whatever it quotes, or json_string() drops it
 * (a missing "detail", "hint" or "field", or no body at all).
 */
#include "api/api.h"
#include "harness.h"

/* The text of key in the answer's error, "" when missing: a text
 * json_string() refused is missing. */
static const char *said(const struct api_resp *r, const char *key)
{
	const char *s = json_string_value(json_object_get(json_object_get(r->json, "error"), key));
	return s ? s : "";
}

static void t_error_from_fixes_every_text(void)
{
	struct api_resp r = {0};
	struct sigm_error err;
	/* a stored value quoted by the storage and cut inside "é" (\xC3),
	 * and bytes that are no UTF-8 at all */
	sigm_error_set(&err, SIGM_ECONFLICT, "constraint", "nombre\xC3",
		       "ya existe «PÉREZ\xC3»");
	sigm_error_detail(&err, "Key (surnames)=(MU\xC3\xB1OZ \xC3) already exists \xFF\xFE");
	sigm_error_hint(&err, "revise «\xE2\x82» y reintente");
	api_error_from(&r, &err);
	T_EQ_INT(r.status, 409);
	T_ASSERT(r.json != NULL);
	T_EQ_STR(said(&r, "code"), "constraint");
	T_EQ_STR(said(&r, "field"), "nombre?");
	T_EQ_STR(said(&r, "message"), "ya existe «PÉREZ?»");
	T_EQ_STR(said(&r, "detail"), "Key (surnames)=(MUñOZ ?) already exists ??");
	T_EQ_STR(said(&r, "hint"), "revise «??» y reintente");
	json_decref(r.json);
}

static void t_valid_texts_as_they_are(void)
{
	struct api_resp r = {0};
	struct sigm_error err;
	sigm_error_set(&err, SIGM_EINVAL, "invalid_value", "apellidos", "«apellidos»: Ñandú");
	sigm_error_detail(&err, "detalle: ü");
	api_error_from(&r, &err);
	T_EQ_INT(r.status, 400);
	T_EQ_STR(said(&r, "field"), "apellidos");
	T_EQ_STR(said(&r, "message"), "«apellidos»: Ñandú");
	T_EQ_STR(said(&r, "detail"), "detalle: ü");
	T_ASSERT(!json_object_get(json_object_get(r.json, "error"), "hint"));
	json_decref(r.json);
}

static void t_api_error_field_cut_in_a_letter(void)
{
	struct api_resp r = {0};
	/* api_object_keys cuts "person.<key>" at 159 bytes: maybe in a
	 * letter, as here */
	api_error(&r, 400, "unknown_field", "person.\xC3\xA9\xC3", "campo desconocido: %s", "\xC3\xA9\xC3");
	T_ASSERT(r.json != NULL);
	T_EQ_STR(said(&r, "field"), "person.é?");
	T_EQ_STR(said(&r, "message"), "campo desconocido: é?");
	json_decref(r.json);
}

static const struct t_case cases[] = {T(t_error_from_fixes_every_text),
				      T(t_valid_texts_as_they_are),
				      T(t_api_error_field_cut_in_a_letter), {0}};
T_MAIN(cases)
