/*
 * disk.c - what the disk under the database does to a group commit.
 *
 * The booth's p99 is bounded below by the latency of the writer's
 * fdatasync of the WAL (bench/RESULTS.md, "Primary inspection").  This
 * measures that latency on the filesystem of DIR, the way sqlite.c uses
 * it: eight 4 KiB frames appended to a WAL-like file, fdatasync, a pause
 * of 1 ms, again and again; first alone, then with a second thread doing
 * what the checkpointer does (1,000 random 4 KiB writes into a 1 GiB
 * database-like file, fdatasync, every 250 ms), alternating so that both
 * see the same moment of a shared machine.
 *
 *   build/bench/disk [DIR] [SECONDS]     (default build, 8)
 *
 * Writes two scratch files in DIR (64 MiB and a sparse 1 GiB), removed at
 * the end.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define WAL_SIZE (64u << 20)
#define DB_SIZE (1ull << 30)

static atomic_int stop;
static int dbfd;
static char page[PAGE];

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *checkpointer(void *arg)
{
	(void)arg;
	uint64_t x = 88172645463325252ull;
	while (!atomic_load(&stop)) {
		for (int i = 0; i < 1000; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			if (pwrite(dbfd, page, PAGE, (off_t)(x % (DB_SIZE / PAGE)) * PAGE) != PAGE)
				return NULL;
		}
		fdatasync(dbfd);
		usleep(250000);
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int measure(int walfd, double secs, const char *label)
{
	size_t cap = 1 << 20, n = 0;
	double *lat = malloc(cap * sizeof(*lat));
	off_t off = 0;
	if (!lat)
		return 1;
	for (double end = now_s() + secs; now_s() < end && n < cap;) {
		for (int i = 0; i < 8; i++) {
			if (pwrite(walfd, page, PAGE, off) != PAGE) {
				free(lat);
				return 1;
			}
			off = (off + PAGE) % (WAL_SIZE - PAGE);
		}
		double t = now_s();
		fdatasync(walfd);
		lat[n++] = now_s() - t;
		usleep(1000);
	}
	qsort(lat, n, sizeof(*lat), cmp);
	printf("%-34s %6zu syncs  p50 %6.2f  p90 %6.2f  p99 %6.2f  max %6.2f ms\n",
	       label, n, lat[n / 2] * 1e3, lat[n * 9 / 10] * 1e3,
	       lat[n * 99 / 100] * 1e3, lat[n - 1] * 1e3);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "build";
	double secs = argc > 2 ? atof(argv[2]) : 8;
	char wal[4096], db[4096];
	snprintf(wal, sizeof(wal), "%s/disk-bench.wal", dir);
	snprintf(db, sizeof(db), "%s/disk-bench.db", dir);
	int walfd = open(wal, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dbfd = open(db, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (walfd < 0 || dbfd < 0 || ftruncate(dbfd, (off_t)DB_SIZE)) {
		perror("disk: scratch files");
		return 1;
	}
	memset(page, 0x5a, sizeof(page));
	/* the WAL is reused, not grown, as SQLite's is once it has wrapped */
	for (off_t o = 0; o < WAL_SIZE; o += PAGE)
		if (pwrite(walfd, page, PAGE, o) != PAGE) {
			perror("disk: wal");
			return 1;
		}
	fdatasync(walfd);
	printf("disk: fdatasync of 8 appended 4 KiB frames, in %s, %.0f s per line\n", dir, secs);
	int rc = 0;
	for (int round = 0; round < 2 && !rc; round++) {
		rc |= measure(walfd, secs, "WAL alone");
		atomic_store(&stop, 0);
		pthread_t th;
		if (pthread_create(&th, NULL, checkpointer, NULL))
			return 1;
		rc |= measure(walfd, secs, "WAL beside a checkpoint-like load");
		atomic_store(&stop, 1);
		pthread_join(th, NULL);
	}
	close(walfd);
	close(dbfd);
	unlink(wal);
	unlink(db);
	return rc;
}
