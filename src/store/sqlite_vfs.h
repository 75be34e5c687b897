/*
 * sqlite_vfs — the VFS sigm opens its SQLite files through: the unix VFS,
 * with the kernel's readahead replaced by one of its own.
 *
 * Why: Linux 6.x caches a file read in order in folios of up to 2 MB, and a
 * 4 KB write into one (every page a checkpoint copies back) then costs
 * 9-15 times more (bench/RESULTS.md, 2026-12-05, third session).  So each
 * descriptor is opened in POSIX_FADV_RANDOM mode, where the kernel reads no
 * further ahead than asked and pages enter the cache one by one; and where
 * SQLite reads the database forward (a backup, an export, `sigm audit
 * verify`), this VFS asks for the next megabyte with POSIX_FADV_WILLNEED,
 * which also leaves small folios.
 *
 * Ownership: nothing for the caller to free; the VFS lives for the process.
 * Errors: sqvfs_register returns the name to pass to sqlite3_open_v2, or
 * NULL when the default VFS cannot be wrapped (then open with the default:
 * everything works, with the kernel's readahead).
 */
#ifndef SIGM_STORE_SQLITE_VFS_H
#define SIGM_STORE_SQLITE_VFS_H

/* Registers the VFS (once; thread-safe) as the default, after
 * sqlite3_config and before any connection is opened. */
const char *sqvfs_register(void);

#endif
