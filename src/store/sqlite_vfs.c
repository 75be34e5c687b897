/*
 * sqlite_vfs.c - the unix VFS with a readahead of sigm's own (sqlite_vfs.h).
 *
 * Each file is a struct vfile: our fields, then the unix VFS's own file
 * object, to which every method is handed on.  Only xOpen and xRead do
 * more.
 *
 * The descriptor: the unix VFS does not say which one it opened, and
 * closing a descriptor of our own on the database would drop the process's
 * POSIX locks on it, SQLite's among them (sqlite.org/howtocorrupt.html,
 * 2.2).  So xOpen lists, in /proc/self/fd, the descriptors open on the file
 * before and after the unix xOpen, under a lock that every open of this VFS
 * takes: the new one is this file's.  It stays open until xClose.  When
 * none is new (the unix VFS handed back a descriptor an earlier connection
 * left open, as it does while the process holds locks on the file; or
 * another connection's close, which does not take the lock, freed the
 * number ours got), this file reads without a readahead.  Elsewhere than Linux the VFS passes everything through.
 */
#include "store/sqlite_vfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__) && defined(POSIX_FADV_RANDOM) && defined(POSIX_FADV_WILLNEED)
#define VFS_ADVISE 1
#else
#define VFS_ADVISE 0
#endif

/* The readahead: after RA_RUN reads each starting at most RA_GAP past the
 * end of the one before (a B-tree's pages in order, with other tables'
 * pages between them), keep the next RA_WINDOW asked for.  Random reads of
 * a large file do not run forward RA_RUN times; on a small one that
 * happens, and asking for pages the cache holds costs a lookup. */
#define RA_RUN 4
#define RA_GAP (256 << 10)
#define RA_WINDOW (1 << 20)

struct vfile {
	sqlite3_file base;	/* our methods */
	int fd;			/* -1: no readahead */
	int run;		/* reads forward in a row, up to RA_RUN */
	sqlite3_int64 next;	/* where the last read ended */
	sqlite3_int64 ahead;	/* asked for up to here */
};

/* the unix file after ours, aligned as malloc aligns */
#define REAL_OFFSET ((sizeof(struct vfile) + _Alignof(max_align_t) - 1) & \
		     ~(_Alignof(max_align_t) - 1))
#define REAL(f) ((sqlite3_file *)((char *)(f) + REAL_OFFSET))
#define RM(f) (REAL(f)->pMethods)

static sqlite3_vfs *unix_vfs, sigm_vfs;
#if VFS_ADVISE
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;

/* This process's descriptors open on (dev, ino), malloc'd, *n of them. */
static int *fds_on(const struct stat *want, size_t *n)
{
	*n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return NULL;
	int *v = NULL;
	size_t cap = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		if (end == e->d_name || *end || fd < 0 || fd == dirfd(d))
			continue;
		if (fstat((int)fd, &st) || !S_ISREG(st.st_mode) ||
		    st.st_dev != want->st_dev || st.st_ino != want->st_ino)
			continue;
		if (*n == cap) {
			size_t c2 = cap ? cap * 2 : 16;
			int *v2 = realloc(v, c2 * sizeof(*v));
			if (!v2)
				break;
			v = v2;
			cap = c2;
		}
		v[(*n)++] = (int)fd;
	}
	closedir(d);
	return v;
}

static bool listed(const int *v, size_t n, int fd)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == fd)
			return true;
	return false;
}

static void ahead(struct vfile *v, sqlite3_int64 off, int amt)
{
	if (off >= v->next && off - v->next <= RA_GAP) {
		if (v->run < RA_RUN)
			v->run++;
	} else {
		v->run = 0;
		v->ahead = 0;
	}
	v->next = off + amt;
	if (v->run == RA_RUN && v->next + RA_WINDOW / 2 > v->ahead) {
		sqlite3_int64 from = v->ahead > off ? v->ahead : off;
		posix_fadvise(v->fd, (off_t)from, RA_WINDOW, POSIX_FADV_WILLNEED);
		v->ahead = from + RA_WINDOW;
	}
}
#endif

static int vf_close(sqlite3_file *f)
{
	int rc = RM(f)->xClose(REAL(f));
	f->pMethods = NULL;
	return rc;
}

static int vf_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
#if VFS_ADVISE
	struct vfile *v = (struct vfile *)f;
	if (v->fd >= 0)
		ahead(v, off, amt);
#endif
	return RM(f)->xRead(REAL(f), buf, amt, off);
}

static int vf_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	return RM(f)->xWrite(REAL(f), buf, amt, off);
}

static int vf_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return RM(f)->xTruncate(REAL(f), size);
}

static int vf_sync(sqlite3_file *f, int flags)
{
	return RM(f)->xSync(REAL(f), flags);
}

static int vf_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return RM(f)->xFileSize(REAL(f), size);
}

static int vf_lock(sqlite3_file *f, int lock)
{
	return RM(f)->xLock(REAL(f), lock);
}

static int vf_unlock(sqlite3_file *f, int lock)
{
	return RM(f)->xUnlock(REAL(f), lock);
}

static int vf_check_reserved(sqlite3_file *f, int *out)
{
	return RM(f)->xCheckReservedLock(REAL(f), out);
}

static int vf_file_control(sqlite3_file *f, int op, void *arg)
{
	return RM(f)->xFileControl(REAL(f), op, arg);
}

static int vf_sector_size(sqlite3_file *f)
{
	return RM(f)->xSectorSize(REAL(f));
}

static int vf_device_characteristics(sqlite3_file *f)
{
	return RM(f)->xDeviceCharacteristics(REAL(f));
}

static int vf_shm_map(sqlite3_file *f, int pg, int pgsz, int extend,
		      void volatile **pp)
{
	return RM(f)->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int vf_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return RM(f)->xShmLock(REAL(f), off, n, flags);
}

static void vf_shm_barrier(sqlite3_file *f)
{
	RM(f)->xShmBarrier(REAL(f));
}

static int vf_shm_unmap(sqlite3_file *f, int del)
{
	return RM(f)->xShmUnmap(REAL(f), del);
}

static int vf_fetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **pp)
{
	return RM(f)->xFetch(REAL(f), off, amt, pp);
}

static int vf_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return RM(f)->xUnfetch(REAL(f), off, p);
}

/* One table per version, so that SQLite never calls through ours a method
 * the unix file does not have. */
#define VF_V1                                                                \
	vf_close, vf_read, vf_write, vf_truncate, vf_sync, vf_file_size,       \
	vf_lock, vf_unlock, vf_check_reserved, vf_file_control,               \
	vf_sector_size, vf_device_characteristics
#define VF_V2 vf_shm_map, vf_shm_lock, vf_shm_barrier, vf_shm_unmap
static const sqlite3_io_methods vf_methods[3] = {
	{ 1, VF_V1, NULL, NULL, NULL, NULL, NULL, NULL },
	{ 2, VF_V1, VF_V2, NULL, NULL },
	{ 3, VF_V1, VF_V2, vf_fetch, vf_unfetch },
};

static int vf_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f,
		   int flags, int *out_flags)
{
	(void)vfs;
	struct vfile *v = (struct vfile *)f;
	memset(v, 0, sizeof(*v));
	v->fd = -1;
#if VFS_ADVISE
	bool watch = name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL));
	int *before = NULL;
	size_t nb = 0;
	struct stat st;
	if (watch) {
		pthread_mutex_lock(&open_lock);
		if (!stat(name, &st))
			before = fds_on(&st, &nb);
	}
#endif
	int rc = unix_vfs->xOpen(unix_vfs, name, REAL(f), flags, out_flags);
#if VFS_ADVISE
	if (watch) {
		size_t na = 0;
		int *after = rc == SQLITE_OK && !stat(name, &st) ? fds_on(&st, &na)
								  : NULL;
		for (size_t i = 0; i < na; i++) {
			/* Before the first read: a read in the normal mode
			 * leaves a mark ahead, and reaching it reads further
			 * ahead whatever the mode (page_cache_async_ra).  All
			 * of them: a descriptor another connection closed
			 * meanwhile may have left its number to ours, which
			 * then looks old (advising one twice changes
			 * nothing). */
			posix_fadvise(after[i], 0, 0, POSIX_FADV_RANDOM);
			if ((flags & SQLITE_OPEN_MAIN_DB) && !listed(before, nb, after[i]))
				v->fd = after[i];
		}
		pthread_mutex_unlock(&open_lock);
		free(after);
		free(before);
	}
#endif
	const sqlite3_io_methods *m = RM(f);
	if (rc != SQLITE_OK || !m) {
		if (m)
			m->xClose(REAL(f));
		f->pMethods = NULL;
		return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
	}
	int ver = m->iVersion < 1 ? 1 : m->iVersion > 3 ? 3 : m->iVersion;
	f->pMethods = &vf_methods[ver - 1];
	return SQLITE_OK;
}

static void vfs_init(void)
{
	unix_vfs = sqlite3_vfs_find(NULL);
	if (!unix_vfs || unix_vfs->iVersion < 1 ||
	    unix_vfs->szOsFile > INT32_MAX - (int)REAL_OFFSET)
		return;
	sigm_vfs = *unix_vfs;
	sigm_vfs.zName = "sigm";
	sigm_vfs.pNext = NULL;
	sigm_vfs.szOsFile = (int)REAL_OFFSET + unix_vfs->szOsFile;
	sigm_vfs.xOpen = vf_open;
	if (sqlite3_vfs_register(&sigm_vfs, 1) != SQLITE_OK)
		sigm_vfs.zName = NULL;
}

const char *sqvfs_register(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, vfs_init);
	return sigm_vfs.zName;
}
