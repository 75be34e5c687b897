/*
 * countries.c - loads iso-codes' ISO 3166-1 list with Spanish names; see
 * countries.h.  The .mo reader follows the GNU gettext file layout (magic,
 * string count, two tables of (length, offset) pairs), with every offset
 * checked against the file size since the file comes from outside.
 */
#include "api/countries.h"
#include "api/api.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MO_MAX (4u << 20)
#define COUNTRIES_MAX 400

struct api_countries {
	struct mrz_country *v;
	size_t n;
	struct mrz_countries view;
	char *pool; /* codes and names, NUL-separated */
};

struct mo {
	unsigned char *buf;
	size_t len;
	uint32_t n, orig, trans;
	bool swap;
};

static uint32_t rd32(const struct mo *m, size_t off)
{
	uint32_t v;
	memcpy(&v, m->buf + off, 4);
	return m->swap ? __builtin_bswap32(v) : v;
}

static void mo_load(const char *path, struct mo *m)
{
	memset(m, 0, sizeof(*m));
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	m->buf = malloc(MO_MAX);
	if (m->buf)
		m->len = fread(m->buf, 1, MO_MAX, f);
	fclose(f);
	if (m->len < 28 || m->len == MO_MAX)
		goto bad;
	uint32_t magic;
	memcpy(&magic, m->buf, 4);
	if (magic == 0xde120495u)
		m->swap = true;
	else if (magic != 0x950412deu)
		goto bad;
	m->n = rd32(m, 8);
	m->orig = rd32(m, 12);
	m->trans = rd32(m, 16);
	if (m->n > 100000 || (size_t)m->orig + 8ull * m->n > m->len ||
	    (size_t)m->trans + 8ull * m->n > m->len)
		goto bad;
	return;
bad:
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

/* Entry i's string in table base, or NULL when it lies outside the file. */
static const char *mo_str(const struct mo *m, uint32_t base, uint32_t i)
{
	uint32_t len = rd32(m, base + 8u * i), off = rd32(m, base + 8u * i + 4);
	if ((size_t)off + len >= m->len || m->buf[off + len] != 0)
		return NULL;
	return (const char *)m->buf + off;
}

/* Translation of msgid (the originals are sorted, so bisect). */
static const char *mo_find(const struct mo *m, const char *msgid)
{
	uint32_t lo = 0, hi = m->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const char *s = mo_str(m, m->orig, mid);
		if (!s)
			return NULL;
		int c = strcmp(msgid, s);
		if (c == 0) {
			const char *t = mo_str(m, m->trans, mid);
			return t && *t ? t : NULL;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

int api_countries_load(const char *json_path, const char *mo_path,
		       struct api_countries **out, struct sigm_error *err)
{
	char jp[1024], mp[1024];
	const char *dir = getenv("SIGM_ISO_CODES");
	struct mo mo = {0};
	json_error_t je;
	json_t *root = NULL;
	struct api_countries *c = NULL;
	int rc = 0;

	*out = NULL;
	if (!json_path) {
		if (dir && *dir)
			snprintf(jp, sizeof(jp), "%s/iso_3166-1.json", dir);
		json_path = dir && *dir ? jp : COUNTRIES_JSON;
	}
	if (!mo_path) {
		if (dir && *dir)
			snprintf(mp, sizeof(mp), "%s/iso_3166-1.mo", dir);
		mo_path = dir && *dir ? mp : COUNTRIES_MO;
	}
	root = json_load_file(json_path, 0, &je);
	if (!root) {
		rc = sigm_error_set(err, SIGM_EIO, "countries_unavailable", NULL,
				    "no se pudo leer la lista de países %s: %s (paquete iso-codes)",
				    json_path, je.text);
		goto out;
	}
	json_t *arr = json_object_get(root, "3166-1");
	size_t n = json_array_size(arr);
	if (!json_is_array(arr) || n == 0 || n > COUNTRIES_MAX) {
		rc = sigm_error_set(err, SIGM_EINVAL, "countries_invalid", NULL,
				    "%s no tiene la forma de iso-codes", json_path);
		goto out;
	}
	mo_load(mo_path, &mo);
	c = calloc(1, sizeof(*c));
	size_t pool_len = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		const char *name = json_string_value(json_object_get(e, "name"));
		const char *es = name && mo.buf ? mo_find(&mo, name) : NULL;
		pool_len += 4 + strlen(es ? es : name ? name : "") + 1;
	}
	if (!c || !(c->v = calloc(n, sizeof(*c->v))) || !(c->pool = malloc(pool_len))) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
		goto out;
	}
	char *p = c->pool;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		const char *a3 = json_string_value(json_object_get(e, "alpha_3"));
		const char *name = json_string_value(json_object_get(e, "name"));
		if (!a3 || strlen(a3) != 3 || !name) {
			rc = sigm_error_set(err, SIGM_EINVAL, "countries_invalid", NULL,
					    "%s: entrada %zu sin alpha_3 o name", json_path, i);
			goto out;
		}
		const char *es = mo.buf ? mo_find(&mo, name) : NULL;
		c->v[c->n].code = p;
		memcpy(p, a3, 4);
		p += 4;
		c->v[c->n].name = p;
		size_t l = strlen(es ? es : name) + 1;
		memcpy(p, es ? es : name, l);
		p += l;
		c->n++;
	}
	mrz_countries_sort(c->v, c->n);
	c->view = (struct mrz_countries){c->v, c->n};
	*out = c;
	c = NULL;
out:
	api_countries_free(&c);
	free(mo.buf);
	json_decref(root);
	return rc;
}

void api_countries_free(struct api_countries **c)
{
	if (!c || !*c)
		return;
	free((*c)->v);
	free((*c)->pool);
	free(*c);
	*c = NULL;
}

const struct mrz_countries *api_countries_table(const struct api_countries *c)
{
	return c ? &c->view : NULL;
}

bool api_country_code(const char *in, char out[4])
{
	size_t n = in ? strlen(in) : 0;
	if (n != 3 && !(n == 1 && (in[0] == 'D' || in[0] == 'd')))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return false;
		out[i] = c;
	}
	out[n] = 0;
	/* a German passport's "D" is Germany for the visa tables, the
	 * person's record and the statistics, as "DEU" typed by hand */
	if (n == 1)
		memcpy(out, "DEU", 4);
	return true;
}

bool api_country_field(json_t *obj, const char *field)
{
	json_t *v = json_object_get(obj, field);
	char code[4];
	if (!json_is_string(v) || json_string_length(v) != strlen(json_string_value(v)) ||
	    !api_country_code(json_string_value(v), code))
		return false;
	if (strcmp(code, json_string_value(v)))
		json_object_set_new(obj, field, json_string(code));
	return true;
}

bool api_place_known(struct api_ctx *ctx, const char *in, char out[4])
{
	/* the country's code leads ("USA, Houston"): its three letters */
	char lead[4] = "";
	bool ok = in && strlen(in) >= 3;
	if (ok) {
		memcpy(lead, in, 3);
		ok = api_country_code(lead, out);
	}
	if (ok) {
		const struct mrz_countries *t =
			ctx->mrz_countries ? api_countries_table(ctx->mrz_countries) : NULL;
		bool icao = mrz_country_name(NULL, out, 3) != NULL;
		ok = !strcmp(out, "RKS") ||
		     (!icao && (!t || mrz_country_name(t, out, 3) != NULL));
	}
	return ok;
}

int api_place_code(struct api_req *req, struct api_resp *resp,
		   const char *field, const char *in, char out[4])
{
	bool ok = strlen(in) == 3 && api_place_known(req->ctx, in, out);
	if (!ok) {
		/* a permit's code as it has been since it was first said */
		api_error(resp, 400, strcmp(field, "destination") ? "invalid_country" : "invalid_destination", field,
			  "«%s»: código de país ISO 3166-1 de tres letras (GTM, USA, MEX…)", field);
		return -1;
	}
	return 0;
}
