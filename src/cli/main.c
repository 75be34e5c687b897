/*
 * main.c - entry point of the one sigm binary: a table of subcommands in the
 * manner of git.c.  Each command lives in src/cli/<name>.c.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{"serve", cmd_serve, "ejecuta el servidor (API JSON + interfaz web)"},
	{"migrate", cmd_migrate, "aplica las migraciones de esquema pendientes"},
	{"backup", cmd_backup, "copia en línea de la base de datos a FILE"},
	{"user", cmd_user, "add|list|disable: administración de usuarios"},
	{"token", cmd_token, "create --user NAME: token para clientes máquina"},
	{"audit", cmd_audit, "verify: comprueba la cadena de auditoría"},
	{"mrz", cmd_mrz, "lee y valida zonas MRZ (ICAO 9303)"},
	{"screen", cmd_screen, "cotejo de nombres contra una lista"},
	{"paxlst", cmd_paxlst, "lee un manifiesto UN/EDIFACT PAXLST"},
	{NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "uso: sigm COMANDO [opciones]\n\n"
		   "Sistema Integrado de Gestión Migratoria.\n\ncomandos:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->help);
}

int cli_usage(const char *name, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "sigm %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

char *cli_read_file(const char *path, size_t cap, size_t *len_r)
{
	FILE *f = stdin;
	char *buf = NULL;
	size_t len = 0, alloc = 0;

	if (path && strcmp(path, "-") != 0) {
		f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "sigm: no se puede abrir %s: %s\n", path,
				strerror(errno));
			return NULL;
		}
	}
	for (;;) {
		if (len + 1 >= alloc) {
			size_t na = alloc ? alloc * 2 : 65536;
			char *nb;
			if (alloc >= cap + 1) {
				fprintf(stderr, "sigm: %s supera el límite de %zu bytes\n",
					path ? path : "stdin", cap);
				goto fail;
			}
			if (na > cap + 1)
				na = cap + 1;
			nb = realloc(buf, na);
			if (!nb)
				goto fail;
			buf = nb;
			alloc = na;
		}
		size_t n = fread(buf + len, 1, alloc - len - 1, f);
		if (n == 0)
			break;
		len += n;
	}
	if (ferror(f)) {
		fprintf(stderr, "sigm: error de lectura en %s\n", path ? path : "stdin");
		goto fail;
	}
	if (len > cap) {
		fprintf(stderr, "sigm: %s supera el límite de %zu bytes\n",
			path ? path : "stdin", cap);
		goto fail;
	}
	if (!buf && !(buf = malloc(1)))
		goto fail;
	buf[len] = 0;
	if (f != stdin)
		fclose(f);
	if (len_r)
		*len_r = len;
	return buf;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "sigm: comando desconocido «%s»\n\n", argv[1]);
	usage(stderr);
	return 2;
}
