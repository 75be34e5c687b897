/*
 * apis_spool.c - the APIS spool directory that `sigm serve` watches
 * (SIGM_APIS_SPOOL): a gateway (SITA/ARINC Type-B or MQ bridge) drops one
 * interchange per file; each is ingested like a POST (apis_ingest(), source
 * "spool", no carrier restriction: the gateway is trusted) and then moved
 * to done/ or rejected/ under the spool, so that nothing is read twice and
 * nothing is lost.
 *
 * Beside each rejected file goes ID-name.errors.json: the errors the
 * carrier must hear about (the gateway passes them on).
 *
 * Files whose names start with '.' or end in ".tmp" are being written:
 * a gateway writes under such a name and renames when complete (rename is
 * atomic on one file system).  The directory is polled every
 * SIGM_APIS_SPOOL_MS milliseconds (default 1000): simple, and a manifest
 * is due hours before the flight, not milliseconds.
 */
#include "api/apis.h"
#include "core/paxlst.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void api_log(const char *level, const char *msg, json_t *extra);

struct apis_spool {
	struct api_ctx *ctx;
	char dir[PATH_MAX / 2];
	long interval_ms;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
};

static bool skip_name(const char *n)
{
	size_t len = strlen(n);
	return n[0] == '.' || (len >= 4 && !strcmp(n + len - 4, ".tmp"));
}

/* Reads a whole regular file of at most cap bytes; NULL (errno set) when
 * it cannot, ERANGE when it is bigger. */
static char *read_all(const char *path, size_t cap, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto out;
	}
	if ((size_t)st.st_size > cap) {
		errno = ERANGE;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto out;
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			free(buf);
			buf = NULL;
			errno = n < 0 ? errno : EIO;
			goto out;
		}
		got += (size_t)n;
	}
	*len = got;
out:
	close(fd);
	return buf;
}

static void move_to(struct apis_spool *sp, const char *name, const char *sub,
		    int64_t id)
{
	char from[PATH_MAX], to[PATH_MAX];
	snprintf(from, sizeof(from), "%s/%s", sp->dir, name);
	/* the interchange id keeps names unique when a file name repeats */
	snprintf(to, sizeof(to), "%s/%s/%lld-%s", sp->dir, sub, (long long)id,
		 name);
	if (rename(from, to) != 0) {
		json_t *x = json_pack("{s:s, s:s}", "file", name, "reason",
				      strerror(errno));
		api_log("error", "apis_spool_move_failed", x);
		json_decref(x);
	}
}

/* Beside a rejected file, what was wrong with it (ID-name.errors.json),
 * for the gateway to return to the carrier.  Written under a temporary
 * name and renamed, like the gateway's own files. */
static void write_report(struct apis_spool *sp, const char *name, int64_t id,
			 json_t *body)
{
	char tmp[PATH_MAX], to[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s/rejected/.%lld-%s.errors.json.tmp",
		 sp->dir, (long long)id, name);
	snprintf(to, sizeof(to), "%s/rejected/%lld-%s.errors.json", sp->dir,
		 (long long)id, name);
	if (json_dump_file(body, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
	    rename(tmp, to) != 0) {
		json_t *x = json_pack("{s:s, s:s}", "file", name, "reason",
				      "no se pudo escribir el informe de errores");
		api_log("error", "apis_spool_report_failed", x);
		json_decref(x);
		unlink(tmp);
	}
}

static void one_file(struct apis_spool *sp, const char *name)
{
	char path[PATH_MAX], actor[96];
	size_t len = 0;
	struct apis_result res;
	struct sigm_error err;

	snprintf(path, sizeof(path), "%s/%s", sp->dir, name);
	char *buf = read_all(path, PAXLST_MAX_INPUT, &len);
	if (!buf) {
		/* too big or unreadable: set aside, never retried forever */
		json_t *x = json_pack("{s:s, s:s}", "file", name, "reason",
				      strerror(errno));
		api_log("warn", "apis_spool_unreadable", x);
		json_decref(x);
		move_to(sp, name, "rejected", 0);
		return;
	}
	snprintf(actor, sizeof(actor), "spool");
	struct apis_submission sub = {.body = buf, .len = len,
				      .source = "spool", .actor = actor,
				      .file_name = name};
	if (apis_ingest(sp->ctx->store, &sub, &res, &err) != 0) {
		/* the store failed: leave the file for the next round */
		json_t *x = json_pack("{s:s, s:s}", "file", name, "reason",
				      err.message);
		api_log("error", "apis_spool_store_failed", x);
		json_decref(x);
		free(buf);
		return;
	}
	if (res.accepted)
		apis_after_ingest(sp->ctx, json_object_get(res.body, "manifests"),
				     actor, NULL);
	json_t *x = json_pack("{s:s, s:I, s:s, s:I}", "file", name, "id",
			      (json_int_t)res.id, "status",
			      res.accepted ? "accepted" : "rejected", "errors",
			      (json_int_t)json_array_size(
				      json_object_get(res.body, "errors")));
	api_log(res.accepted ? "info" : "warn", "apis_spool_received", x);
	json_decref(x);
	free(buf);
	move_to(sp, name, res.accepted ? "done" : "rejected", res.id);
	if (!res.accepted)
		write_report(sp, name, res.id, res.body);
	json_decref(res.body);
}

static void scan(struct apis_spool *sp)
{
	DIR *d = opendir(sp->dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (skip_name(e->d_name) ||
		    (e->d_type != DT_REG && e->d_type != DT_UNKNOWN))
			continue;
		one_file(sp, e->d_name);
		pthread_mutex_lock(&sp->mu);
		bool stop = sp->stop;
		pthread_mutex_unlock(&sp->mu);
		if (stop)
			break;
	}
	closedir(d);
}

static void *run(void *arg)
{
	struct apis_spool *sp = arg;
	for (;;) {
		scan(sp);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += sp->interval_ms / 1000;
		ts.tv_nsec += (sp->interval_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&sp->mu);
		while (!sp->stop &&
		       pthread_cond_timedwait(&sp->cv, &sp->mu, &ts) == 0)
			;
		bool stop = sp->stop;
		pthread_mutex_unlock(&sp->mu);
		if (stop)
			return NULL;
	}
}

struct apis_spool *apis_spool_start(struct api_ctx *ctx)
{
	const char *dir = getenv("SIGM_APIS_SPOOL");
	const char *ms = getenv("SIGM_APIS_SPOOL_MS");
	struct apis_spool *sp;
	char sub[PATH_MAX];

	if (!dir || !*dir)
		return NULL;
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return NULL;
	sp->ctx = ctx;
	snprintf(sp->dir, sizeof(sp->dir), "%s", dir);
	sp->interval_ms = ms ? atol(ms) : 1000;
	if (sp->interval_ms < 50 || sp->interval_ms > 600000)
		sp->interval_ms = 1000;
	for (int i = 0; i < 2; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, i ? "rejected" : "done");
		if (mkdir(sub, 0750) != 0 && errno != EEXIST) {
			json_t *x = json_pack("{s:s, s:s}", "dir", sub, "reason",
					      strerror(errno));
			api_log("error", "apis_spool_unusable", x);
			json_decref(x);
			free(sp);
			return NULL;
		}
	}
	pthread_mutex_init(&sp->mu, NULL);
	pthread_cond_init(&sp->cv, NULL);
	if (pthread_create(&sp->thread, NULL, run, sp) != 0) {
		pthread_mutex_destroy(&sp->mu);
		pthread_cond_destroy(&sp->cv);
		free(sp);
		return NULL;
	}
	json_t *x = json_pack("{s:s, s:I}", "dir", dir, "interval_ms",
			      (json_int_t)sp->interval_ms);
	api_log("info", "apis_spool_watching", x);
	json_decref(x);
	return sp;
}

void apis_spool_stop(struct apis_spool **spp)
{
	struct apis_spool *sp = *spp;
	if (!sp)
		return;
	pthread_mutex_lock(&sp->mu);
	sp->stop = true;
	pthread_cond_signal(&sp->cv);
	pthread_mutex_unlock(&sp->mu);
	pthread_join(sp->thread, NULL);
	pthread_mutex_destroy(&sp->mu);
	pthread_cond_destroy(&sp->cv);
	free(sp);
	*spp = NULL;
}
