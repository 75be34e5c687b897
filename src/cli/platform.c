/*
 * platform.c - the platform's subcommands: serve, migrate, backup, user,
 * token, audit.  Each opens the database named by --db, else SIGM_DB, else
 * ./sigm.db.
 */
#include "api/api.h"
#include "api/countries.h"
#include "api/rules_load.h"
#include "api/screen_api.h"
#include "cli/cli.h"
#include "store/audit.h"
#include "store/users.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_err(const char *cmd, const struct sigm_error *err)
{
	fprintf(stderr, "sigm %s: %s\n", cmd, err->message);
	if (err->detail[0])
		fprintf(stderr, "  detalle: %s\n", err->detail);
	if (err->hint[0])
		fprintf(stderr, "  sugerencia: %s\n", err->hint);
}

static const char *db_of(const char *flag)
{
	const char *e = getenv("SIGM_DB");
	return flag ? flag : (e && *e ? e : "sigm.db");
}

/* readers: reader connections, 0 for the CLI's default of 2. */
static int open_store_n(const char *cmd, const char *db, struct store **s,
			bool migrate, int readers)
{
	struct sigm_error err;
	struct store_opts o = {.readers = readers > 0 ? readers : 2,
			       .no_migrate = !migrate};
	if (store_open(s, db, &o, &err)) {
		print_err(cmd, &err);
		return err.rc == SIGM_EINVAL ? 2 : 1;
	}
	return 0;
}

static int open_store(const char *cmd, const char *db, struct store **s,
		      bool migrate)
{
	return open_store_n(cmd, db, s, migrate, 0);
}

/* ---- configuration ---- */

static void trim(char *s)
{
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = 0;
	char *b = s;
	while (*b == ' ' || *b == '\t')
		b++;
	memmove(s, b, strlen(b) + 1);
}

static int apply_kv(struct api_config *c, const char *k, const char *v,
		    const char *where)
{
	if (!strcmp(k, "listen"))
		snprintf(c->listen, sizeof(c->listen), "%s", v);
	else if (!strcmp(k, "db"))
		snprintf(c->db, sizeof(c->db), "%s", v);
	else if (!strcmp(k, "web_dir"))
		snprintf(c->web_dir, sizeof(c->web_dir), "%s", v);
	else if (!strcmp(k, "data_dir"))
		snprintf(c->data_dir, sizeof(c->data_dir), "%s", v);
	else if (!strcmp(k, "secure_cookies"))
		c->secure_cookies = !strcmp(v, "1") || !strcmp(v, "true") ||
				    !strcmp(v, "yes");
	else if (!strcmp(k, "public_url"))
		snprintf(c->public_url, sizeof(c->public_url), "%s", v);
	else if (!strcmp(k, "session_idle_minutes") && atoi(v) > 0)
		c->session_idle_s = atoi(v) * 60;
	/* Seconds, for tests and kiosks; the minutes key is the usual one. */
	else if (!strcmp(k, "session_idle_seconds") && atoi(v) > 0)
		c->session_idle_s = atoi(v);
	else if (!strcmp(k, "session_max_hours") && atoi(v) > 0)
		c->session_max_hours = atoi(v);
	else if (!strcmp(k, "readers") && atoi(v) > 0 && atoi(v) <= 64)
		c->readers = atoi(v);
	else {
		fprintf(stderr, "sigm serve: %s: opción desconocida o valor inválido «%s = %s»\n",
			where, k, v);
		return -1;
	}
	return 0;
}

static int load_config(struct api_config *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "sigm serve: no se puede leer la configuración %s: %s\n",
			path, strerror(errno));
		return -1;
	}
	char line[2048];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		trim(line);
		if (!line[0] || line[0] == '#')
			continue;
		char *eq = strchr(line, '=');
		if (!eq) {
			fprintf(stderr, "sigm serve: %s:%d: se esperaba clave = valor\n",
				path, lineno);
			rc = -1;
			break;
		}
		*eq = 0;
		char *k = line, *v = eq + 1;
		trim(k);
		trim(v);
		char where[1100];
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (apply_kv(c, k, v, where)) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

void api_log(const char *level, const char *msg, json_t *extra);

/* A screening list changed (PostgreSQL NOTIFY from any node, this one
 * included; see store_listen): the in-memory index re-reads that record,
 * or every record when payload is NULL (the listener reconnected and may
 * have missed notifications).  Applying a change twice is harmless. */
static void watchlist_changed(void *arg, const char *channel,
			      const char *payload)
{
	struct api_ctx *ctx = arg;
	json_t *x = json_pack("{s:s, s:s?}", "channel", channel, "change", payload);
	api_log("info", payload ? "watchlist_changed" : "watchlist_reload", x);
	json_decref(x);
	api_screen_notify(ctx, payload);
}

int cmd_serve(int argc, char **argv)
{
	struct api_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	struct api_config *c = &ctx.cfg;
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	snprintf(c->db, sizeof(c->db), "sigm.db");
	c->session_idle_s = 30 * 60;
	/* Handlers read concurrently (an inspection makes six queries before
	 * its write); every commit empties each reader's page cache, so more
	 * readers also means more re-reading: see bench/RESULTS.md. */
	c->readers = 8;
	c->session_max_hours = 12;

	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"db", required_argument, NULL, 'd'},
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	const char *f_listen = NULL, *f_db = NULL, *f_config = getenv("SIGM_CONFIG");
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "l:d:c:h", opts, NULL)) != -1) {
		switch (o) {
		case 'l': f_listen = optarg; break;
		case 'd': f_db = optarg; break;
		case 'c': f_config = optarg; break;
		case 'h':
			printf("uso: sigm serve [--listen HOST:PUERTO] [--db RUTA|URL] [--config ARCHIVO]\n"
			       "entorno: SIGM_LISTEN, SIGM_DB, SIGM_CONFIG, SIGM_ADMIN_PASSWORD,\n"
			       "         SIGM_DATA, SIGM_WEB, SIGM_SECURE_COOKIES=1, SIGM_PUBLIC_URL\n"
			       "precedencia: opciones > entorno > archivo > valores por omisión\n");
			return 0;
		default: return 2;
		}
	}
	if (optind < argc)
		return cli_usage("serve", "argumento inesperado «%s»", argv[optind]);
	/* file < environment < flags */
	if (f_config && load_config(c, f_config))
		return 2;
	const char *e;
	if ((e = getenv("SIGM_LISTEN")) && *e)
		snprintf(c->listen, sizeof(c->listen), "%s", e);
	if ((e = getenv("SIGM_DB")) && *e)
		snprintf(c->db, sizeof(c->db), "%s", e);
	if ((e = getenv("SIGM_SECURE_COOKIES")) && *e)
		c->secure_cookies = !strcmp(e, "1");
	if ((e = getenv("SIGM_PUBLIC_URL")) && *e)
		snprintf(c->public_url, sizeof(c->public_url), "%s", e);
	if (f_listen)
		snprintf(c->listen, sizeof(c->listen), "%s", f_listen);
	if (f_db)
		snprintf(c->db, sizeof(c->db), "%s", f_db);
	if (!c->web_dir[0])
		snprintf(c->web_dir, sizeof(c->web_dir), "%s", api_web_dir());
	if (!c->data_dir[0])
		snprintf(c->data_dir, sizeof(c->data_dir), "%s", api_data_dir());

	struct sigm_error err;
	bool fast_kdf = false;
	if (auth_test_kdf(c->listen, &fast_kdf, &err)) {
		print_err("serve", &err);
		return 2;
	}
	if (fast_kdf)
		api_log("warn", "SIGM_TEST_FAST_PASSWORDS: contraseñas con el costo mínimo de argon2id (solo pruebas)", NULL);
	api_block_signals(); /* before the store's threads exist */
	int rc = open_store_n("serve", c->db, &ctx.store, true, c->readers);
	if (rc)
		return rc;
	char org_path[1200];
	snprintf(org_path, sizeof(org_path), "%s/org/units.json", c->data_dir);
	if (api_org_load(&ctx, org_path, &err))
		goto fail_store;
	char border[1200];
	snprintf(border, sizeof(border), "%s/border", c->data_dir);
	if (api_rules_load(border, &ctx.rules, &err))
		goto fail_org;
	/* Without iso-codes the MRZ engine still knows ICAO's own codes; a
	 * booth must not stop for it, but the operator should know. */
	if (api_countries_load(NULL, NULL, &ctx.mrz_countries, &err))
		print_err("serve", &err);
	else if (api_rules_check_countries(ctx.rules, api_countries_table(ctx.mrz_countries), &err))
		goto fail_rules;
	if (api_screen_start(&ctx, &err))
		goto fail_rules;
	if (store_listen(ctx.store, STORE_CHANNEL_WATCHLIST, watchlist_changed,
			 &ctx, &err))
		goto fail_screen;
	ctx.metrics = api_metrics_new(api_nroutes);
	char generated[64];
	if (auth_bootstrap_admin(&ctx, generated, &err)) {
		print_err("serve", &err);
		rc = 1;
		goto out;
	}
	if (generated[0])
		fprintf(stderr,
			"\n  Primer inicio: se creó el usuario «admin» con la contraseña: %s\n"
			"  (se muestra una sola vez; cámbiela al entrar)\n\n",
			generated);
	if (api_serve(&ctx, &err)) {
		print_err("serve", &err);
		rc = err.rc == SIGM_EINVAL ? 2 : 1;
	}
out:
	/* The store first: it drains the writer (acknowledged writes are on
	 * disk) and joins the thread that hears the other nodes' changes,
	 * which updates the screening index.  Stopped after the index was
	 * freed, a change heard while the server stopped waited on the freed
	 * index's lock, and the server never exited (an API test's server,
	 * the suite stuck until CI's time ran out). */
	store_close(&ctx.store);
	api_screen_stop(&ctx);
	api_metrics_free(ctx.metrics);
	api_countries_free(&ctx.mrz_countries);
	api_rules_free(ctx.rules);
	api_org_free(&ctx);
	if (rc == 0)
		api_log("info", "stopped", NULL);
	return rc;

	/* a start that failed: what was set up, undone in reverse */
fail_screen:
	api_screen_stop(&ctx);
fail_rules:
	api_countries_free(&ctx.mrz_countries);
	api_rules_free(ctx.rules);
fail_org:
	api_org_free(&ctx);
fail_store:
	print_err("serve", &err);
	store_close(&ctx.store);
	return 1;
}

/* Common "--db X" parsing for the small commands. */
static int parse_db(int argc, char **argv, const char **db, int *first_arg)
{
	*db = NULL;
	int i = 1, out = 1;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			*db = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--db=", 5)) {
			*db = argv[i] + 5;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	*first_arg = 1;
	return out;
}

int cmd_migrate(int argc, char **argv)
{
	const char *db;
	int first;
	argc = parse_db(argc, argv, &db, &first);
	if (argc > 1)
		return cli_usage("migrate", "uso: sigm migrate [--db RUTA]");
	struct store *s = NULL;
	int rc = open_store("migrate", db_of(db), &s, true);
	if (rc)
		return rc;
	int64_t v = 0;
	struct sigm_error err;
	store_schema_version(s, &v, &err);
	/* Never echo a password written into a URL (user:secret@host). */
	char shown[1200];
	const char *u = db_of(db), *scheme = strstr(u, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	if (at && colon && colon < at)
		snprintf(shown, sizeof(shown), "%.*s:***%s", (int)(colon - u), u, at);
	else
		snprintf(shown, sizeof(shown), "%s", u);
	printf("esquema en la versión %lld (%s)\n", (long long)v, shown);
	store_close(&s);
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	const char *db;
	int first;
	argc = parse_db(argc, argv, &db, &first);
	if (argc != 2)
		return cli_usage("backup", "uso: sigm backup [--db RUTA] ARCHIVO");
	const char *dst = argv[1];
	if (access(dst, F_OK) == 0)
		return cli_usage("backup", "%s ya existe; no se sobrescribe", dst);
	struct sigm_error err;
	if (!strncmp(db_of(db), "postgresql://", 13) || !strncmp(db_of(db), "postgres://", 11)) {
		/* said before connecting: PostgreSQL's own tools copy it, and
		 * nothing here (the audit key included) is needed for that */
		sigm_error_set(&err, SIGM_EUNSUP, "unsupported", NULL,
			       "la copia en línea de sigm es solo para SQLite");
		sigm_error_hint(&err, "en PostgreSQL use pg_dump -Fc o pg_basebackup (docs/operations.md)");
		print_err("backup", &err);
		return 1;
	}
	struct store *s = NULL;
	int rc = open_store("backup", db_of(db), &s, false);
	if (rc)
		return rc;
	/* A copy of every person's record leaves the server: who took it
	 * and where to is audited, before the copy (which then carries its
	 * own entry); no entry, no copy. */
	char *full = realpath(".", NULL), *detail = NULL;
	json_t *d = json_pack("{s:s}", "file", dst);
	if (d && dst[0] != '/' && full) /* a relative path says from where */
		json_object_set_new(d, "cwd", json_string(full));
	detail = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	free(full);
	struct audit_entry e = {.actor = "cli", .action = "backup.create", .detail = detail};
	rc = detail ? audit_record(s, &e, &err)
		    : sigm_error_set(&err, SIGM_ENOMEM, "out_of_memory", NULL, "sin memoria");
	free(detail);
	if (rc) {
		json_decref(d);
		store_close(&s);
		print_err("backup", &err);
		return 1;
	}
	rc = store_backup(s, dst, &err);
	if (rc && d) {
		/* the entry above said a copy was made: what became of it */
		struct sigm_error e2;
		json_object_set_new(d, "error", json_string(err.message));
		char *fd = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
		struct audit_entry f = {.actor = "cli", .action = "backup.failed", .detail = fd};
		if (fd)
			audit_record(s, &f, &e2);
		free(fd);
	}
	json_decref(d);
	store_close(&s);
	if (rc) {
		print_err("backup", &err);
		return 1;
	}
	/* The audit key travels with the copy, or the copy's audit chain
	 * could not be verified. */
	char src_key[1200], dst_key[1200];
	const char *env = getenv("SIGM_AUDIT_KEY_FILE");
	snprintf(src_key, sizeof(src_key), "%s", env && *env ? env : "");
	if (!src_key[0])
		snprintf(src_key, sizeof(src_key), "%s.auditkey",
			 !strncmp(db_of(db), "sqlite:", 7) ? db_of(db) + 7 : db_of(db));
	snprintf(dst_key, sizeof(dst_key), "%s.auditkey", dst);
	size_t len = 0;
	char *key = cli_read_file(src_key, 4096, &len);
	/* a copy without its key cannot be verified: said, not hidden (the
	 * store opened above read or made the key, so it is there) */
	FILE *f = key ? fopen(dst_key, "wx") : NULL;
	bool ok = f && fwrite(key, 1, len, f) == len;
	ok = (f && fclose(f) == 0) && ok;
	free(key);
	if (!ok) {
		fprintf(stderr, "sigm backup: la copia %s se hizo, pero no su clave de auditoría %s: %s\n",
			dst, dst_key, strerror(errno));
		return 1;
	}
	printf("copia completa: %s (y %s)\n", dst, dst_key);
	return 0;
}

/* ---- sigm user ---- */

static int read_password_stdin(char *out, size_t cap)
{
	if (!fgets(out, (int)cap, stdin))
		return -1;
	out[strcspn(out, "\r\n")] = 0;
	return 0;
}

static int user_add(int argc, char **argv, const char *db)
{
	const char *name = NULL, *unit = NULL, *display = NULL;
	const char *roles[16];
	int nroles = 0, pw_stdin = 0;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--unit") && i + 1 < argc)
			unit = argv[++i];
		else if (!strcmp(argv[i], "--role") && i + 1 < argc && nroles == 15)
			return cli_usage("user", "a lo sumo 15 --role");
		else if (!strcmp(argv[i], "--role") && i + 1 < argc)
			roles[nroles++] = argv[++i];
		else if (!strcmp(argv[i], "--name") && i + 1 < argc)
			display = argv[++i];
		else if (!strcmp(argv[i], "--password-stdin"))
			pw_stdin = 1;
		else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else
			return cli_usage("user", "opción inesperada «%s»", argv[i]);
	}
	roles[nroles] = NULL;
	if (!name || !unit || !nroles)
		return cli_usage("user",
				 "uso: sigm user add NOMBRE --unit CÓDIGO --role ROL [--role ROL…] [--name \"Nombre\"] [--password-stdin]");
	for (int i = 0; i < nroles; i++)
		if (!authz_role_known(roles[i]))
			return cli_usage("user", "rol desconocido «%s»", roles[i]);
	struct sigm_error err;
	/* the API's rule: a name it refuses could not be managed from the
	 * screens (disabled, given roles, its password reset) */
	if (auth_check_username(name, "username", &err))
		return cli_usage("user", "«%s»: %s", name, err.message);
	struct api_ctx ctx = {0};
	char org_path[1200];
	snprintf(org_path, sizeof(org_path), "%s/org/units.json", api_data_dir());
	if (api_org_load(&ctx, org_path, &err)) {
		print_err("user", &err);
		return 1;
	}
	int known = api_org_has_unit(&ctx, unit);
	api_org_free(&ctx);
	if (!known)
		return cli_usage("user", "unidad desconocida «%s»", unit);

	char pw[300], gen[40] = "", hash[128];
	if (pw_stdin) {
		if (read_password_stdin(pw, sizeof(pw)))
			return cli_usage("user", "no se leyó la contraseña de la entrada estándar");
	} else {
		unsigned char b[9];
		FILE *r = fopen("/dev/urandom", "rb");
		if (!r || fread(b, 1, sizeof(b), r) != sizeof(b)) {
			fprintf(stderr, "sigm user: no se pudo generar la contraseña (/dev/urandom): %s\n",
				strerror(errno));
			if (r)
				fclose(r);
			return 1;
		}
		fclose(r);
		for (int i = 0; i < 9; i++)
			snprintf(gen + 2 * i, 3, "%02x", b[i]);
		snprintf(pw, sizeof(pw), "%s", gen);
	}
	struct store *s = NULL;
	int rc = open_store("user", db, &s, true);
	if (rc)
		return rc;
	/* The name before the password: a taken name is refused before the
	 * password costs its hash (argon2id, some 0.3 s) and before the
	 * operator is told to choose a better one.  Another add may still take
	 * the name meanwhile: the insert's unique key refuses it then, with the
	 * same message. */
	if ((rc = users_name_free(s, name, &err)) ||
	    (rc = auth_check_password_policy(name, pw, "password", &err)) ||
	    (rc = auth_hash_password(pw, hash, &err)))
		goto fail;
	struct users_new u = {name, display ? display : name, unit, hash, roles};
	struct audit_entry e = {.actor = "cli", .action = "user.create",
				.record_type = "user", .record_id = name};
	if ((rc = users_add(s, &u, &e, &err)))
		goto fail;
	store_close(&s);
	if (gen[0])
		printf("usuario %s creado; contraseña: %s\n", name, gen);
	else
		printf("usuario %s creado\n", name);
	return 0;
fail:
	store_close(&s);
	print_err("user", &err);
	/* a password the policy refuses is unusable input, like a bad option */
	return rc == SIGM_EINVAL ? 2 : 1;
}

static int user_list(const char *db)
{
	struct store *s = NULL;
	int rc = open_store("user", db, &s, false);
	if (rc)
		return rc;
	struct store_rows *r = NULL;
	struct sigm_error err;
	printf("%-20s %-8s %-40s %-10s %s\n", "USUARIO", "UNIDAD", "ROLES",
	       "ESTADO", "ÚLTIMO ACCESO");
	const char *after = NULL;
	char cursor[80] = "";
	for (;;) {
		rc = users_list(s, after, 500, &r, &err);
		if (rc)
			break;
		int n = store_rows_count(r);
		for (int i = 0; i < n; i++)
			printf("%-20s %-8s %-40s %-10s %s\n",
			       store_rows_text(r, i, 0), store_rows_text(r, i, 2),
			       store_rows_text(r, i, 6) ? store_rows_text(r, i, 6) : "",
			       store_rows_int(r, i, 3) ? "deshabil." : "activo",
			       store_rows_text(r, i, 5) ? store_rows_text(r, i, 5) : "-");
		if (n)
			snprintf(cursor, sizeof(cursor), "%s", store_rows_text(r, n - 1, 0));
		store_rows_free(&r);
		if (n < 500)
			break;
		after = cursor;
	}
	store_close(&s);
	if (rc) {
		print_err("user", &err);
		return 1;
	}
	return 0;
}

static int user_disable(int argc, char **argv, const char *db, int dis)
{
	if (argc != 3)
		return cli_usage("user", "uso: sigm user %s NOMBRE",
				 dis ? "disable" : "enable");
	struct store *s = NULL;
	int rc = open_store("user", db, &s, false);
	if (rc)
		return rc;
	struct sigm_error err;
	struct audit_entry e = {.actor = "cli",
				.action = dis ? "user.disable" : "user.enable",
				.record_type = "user", .record_id = argv[2]};
	rc = users_set_disabled(s, argv[2], dis, &e, &err);
	store_close(&s);
	if (rc == SIGM_ENOTFOUND) /* the store's message does not say who */
		sigm_error_set(&err, rc, "user_not_found", "username",
			       "no existe el usuario «%s»", argv[2]);
	if (rc) {
		print_err("user", &err);
		return 1;
	}
	printf("usuario %s %s\n", argv[2], dis ? "deshabilitado" : "habilitado");
	return 0;
}

int cmd_user(int argc, char **argv)
{
	const char *db;
	int first;
	argc = parse_db(argc, argv, &db, &first);
	if (argc < 2)
		return cli_usage("user", "uso: sigm user add|list|disable|enable …");
	if (!strcmp(argv[1], "add"))
		return user_add(argc, argv, db_of(db));
	if (!strcmp(argv[1], "list"))
		return argc == 2 ? user_list(db_of(db))
				 : cli_usage("user", "uso: sigm user list");
	if (!strcmp(argv[1], "disable"))
		return user_disable(argc, argv, db_of(db), 1);
	if (!strcmp(argv[1], "enable"))
		return user_disable(argc, argv, db_of(db), 0);
	return cli_usage("user", "subcomando desconocido «%s»", argv[1]);
}

/* sigm token list [--user NOMBRE]: one line per token, tab-separated. */
static int token_list(int argc, char **argv, const char *db)
{
	const char *user = NULL;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--user") && i + 1 < argc)
			user = argv[++i];
		else
			return cli_usage("token", "opción inesperada «%s»", argv[i]);
	}
	struct store *s = NULL;
	int rc = open_store("token", db, &s, false);
	if (rc)
		return rc;
	struct store_rows *r = NULL;
	struct sigm_error err;
	rc = users_token_list(s, user, &r, &err);
	store_close(&s);
	if (rc) {
		print_err("token", &err);
		return 1;
	}
	printf("n.º	usuario	etiqueta	creado	revocado\n");
	for (int i = 0; i < store_rows_count(r); i++) {
		const char *lb = store_rows_text(r, i, 2), *rv = store_rows_text(r, i, 4);
		printf("%s\t%s\t%s\t%s\t%s\n", store_rows_text(r, i, 0),
		       store_rows_text(r, i, 1), lb ? lb : "", store_rows_text(r, i, 3),
		       rv ? rv : "vigente");
	}
	store_rows_free(&r);
	return 0;
}

/* sigm token revoke N: refused at once by this database's servers' next
 * lookup, within a second by those that validated it in the last one. */
static int token_revoke(int argc, char **argv, const char *db)
{
	if (argc != 3)
		return cli_usage("token", "uso: sigm token revoke N (el n.º de «sigm token list»)");
	char *end = NULL;
	long long id = strtoll(argv[2], &end, 10);
	if (!*argv[2] || *end || id <= 0)
		return cli_usage("token", "n.º de token inválido «%s»", argv[2]);
	struct store *s = NULL;
	int rc = open_store("token", db, &s, false);
	if (rc)
		return rc;
	struct sigm_error err;
	struct audit_entry e = {.actor = "cli", .action = "token.revoke",
				.record_type = "api_token", .record_id = argv[2]};
	rc = users_token_revoke(s, id, &e, &err);
	store_close(&s);
	if (rc) {
		print_err("token", &err);
		return 1;
	}
	printf("token %lld revocado\n", id);
	return 0;
}

int cmd_token(int argc, char **argv)
{
	const char *db;
	int first;
	argc = parse_db(argc, argv, &db, &first);
	const char *user = NULL, *label = NULL;
	static const char usage[] =
		"uso: sigm token create --user NOMBRE [--label TEXTO] | list [--user NOMBRE] | revoke N";
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return token_list(argc, argv, db_of(db));
	if (argc >= 2 && !strcmp(argv[1], "revoke"))
		return token_revoke(argc, argv, db_of(db));
	if (argc < 2 || strcmp(argv[1], "create"))
		return cli_usage("token", usage);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--user") && i + 1 < argc)
			user = argv[++i];
		else if (!strcmp(argv[i], "--label") && i + 1 < argc)
			label = argv[++i];
		else
			return cli_usage("token", "opción inesperada «%s»", argv[i]);
	}
	if (!user)
		return cli_usage("token", "falta --user NOMBRE");
	struct store *s = NULL;
	int rc = open_store("token", db_of(db), &s, false);
	if (rc)
		return rc;
	char token[80];
	struct sigm_error err;
	rc = auth_token_create(s, user, label, token, &err);
	store_close(&s);
	if (rc) {
		print_err("token", &err);
		return 1;
	}
	printf("%s\n", token);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	const char *db;
	int first;
	argc = parse_db(argc, argv, &db, &first);
	if (argc != 2 || strcmp(argv[1], "verify"))
		return cli_usage("audit", "uso: sigm audit verify [--db RUTA]");
	struct store *s = NULL;
	int rc = open_store("audit", db_of(db), &s, false);
	if (rc)
		return rc;
	struct audit_verify_result v;
	struct sigm_error err;
	rc = audit_verify(s, &v, &err);
	store_close(&s);
	if (rc) {
		print_err("audit", &err);
		return 2;
	}
	if (v.ok) {
		printf("auditoría íntegra: %lld entradas verificadas\n",
		       (long long)v.checked);
		return 0;
	}
	printf("auditoría ALTERADA: primer eslabón roto en la entrada %lld: %s\n",
	       (long long)v.first_broken, v.reason);
	return 1;
}
