#!/usr/bin/env python3
# warm.py FILE...: bring files into the page cache in small folios, as sigm
# reads them: a descriptor in random mode, POSIX_FADV_WILLNEED a megabyte at
# a time.  Not `cat` (large folios: bench/RESULTS.md, 2026-12-05, third and
# fourth sessions).  Prints the large folios (FileHugePages) it added.
import os, sys
def huge():
    with open('/proc/meminfo') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('FileHugePages')) // 1024
MB = 1 << 20
for p in sys.argv[1:]:
    fd = os.open(p, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
    h0, size = huge(), os.fstat(fd).st_size
    for off in range(0, size, MB):
        os.posix_fadvise(fd, off, MB, os.POSIX_FADV_WILLNEED)
        if off % (64 * MB) == 63 * MB:
            os.pread(fd, 4096, off)  # now and then wait for the disk
    os.close(fd)
    print(f"{p}: {size // MB} MB, large folios {huge() - h0:+d} MB")
