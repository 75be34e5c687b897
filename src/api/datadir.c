/*
 * datadir.c - where the reference data (data/) and the web UI (web/) are:
 * SIGM_DATA / SIGM_WEB, else ./data and ./web when run from the source tree,
 * else next to the executable (BIN/../data, BIN/../share/sigm/data).
 */
#include "api/api.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void locate(const char *env, const char *name, char *out, size_t cap)
{
	const char *e = getenv(env);
	if (e && *e) {
		snprintf(out, cap, "%s", e);
		return;
	}
	if (is_dir(name)) {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd))) {
			snprintf(out, cap, "%s/%s", cwd, name);
			return;
		}
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = 0;
		const char *tries[] = {"/../%s", "/../../%s", "/../share/sigm/%s"};
		for (size_t i = 0; i < 3; i++) {
			char cand[PATH_MAX + 64], rel[64];
			snprintf(rel, sizeof(rel), tries[i], name);
			snprintf(cand, sizeof(cand), "%s%s", exe, rel);
			if (is_dir(cand)) {
				char *real = realpath(cand, NULL);
				snprintf(out, cap, "%s", real ? real : cand);
				free(real);
				return;
			}
		}
	}
	snprintf(out, cap, "%s", name);
}

static char data_dir[PATH_MAX], web_dir[PATH_MAX];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
	locate("SIGM_DATA", "data", data_dir, sizeof(data_dir));
	locate("SIGM_WEB", "web", web_dir, sizeof(web_dir));
}

const char *api_data_dir(void)
{
	pthread_once(&once, init);
	return data_dir;
}

const char *api_web_dir(void)
{
	pthread_once(&once, init);
	return web_dir;
}
