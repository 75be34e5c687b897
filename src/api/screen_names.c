/* screen_names.c - reads data/names/ into a names_table (screen_names.h). */
#include "api/screen_names.h"

#include "api/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAMES_FILE_MAX (64u << 20)

static int slurp(const char *path, char **buf_r, size_t *len_r,
		 struct sigm_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	*buf_r = NULL;
	if (!f)
		return sigm_error_set(err, SIGM_EIO, "names_data_missing", NULL,
				      "no se puede abrir %s: %s", path,
				      strerror(errno));
	for (;;) {
		if (len == cap) {
			if (cap >= NAMES_FILE_MAX) {
				rc = sigm_error_set(err, SIGM_ETOOBIG, "names_data_too_big", NULL,
						    "%s supera %u bytes", path, NAMES_FILE_MAX);
				goto out;
			}
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
						    "memoria insuficiente");
				goto out;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f))
		rc = sigm_error_set(err, SIGM_EIO, "read_failed", NULL,
				    "error al leer %s", path);
out:
	fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	*buf_r = buf;
	*len_r = len;
	return 0;
}

int screen_names_load(const char *dir, struct names_table **t_r,
		      struct sigm_error *err)
{
	static const struct {
		const char *file;
		bool nicknames;
	} files[] = {
		{"hypocorisms_es.csv", true},
		{"nicknames_en.csv", true},
		{"variants.txt", false},
	};
	struct names_table *t = NULL;
	char path[4096];
	int rc;

	*t_r = NULL;
	if (!dir)
		dir = api_data_dir();
	rc = names_table_new(&t, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		snprintf(path, sizeof(path), "%s/names/%s", dir, files[i].file);
		rc = slurp(path, &buf, &len, err);
		if (rc)
			goto out;
		rc = files[i].nicknames
			     ? names_table_add_nicknames(t, buf, len, err)
			     : names_table_add_variants(t, buf, len, err);
		free(buf);
		if (rc)
			goto out;
	}
	*t_r = t;
	t = NULL;
out:
	names_table_free(&t);
	return rc;
}
