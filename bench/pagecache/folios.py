#!/usr/bin/env python3
# folios.py DIR: what a 4 KB write costs into a file the page cache holds in
# small folios (read 4 KB at a time in random mode) against one it holds in
# large folios (read in order, as cat or cp do, on kernels that cache such
# reads in folios of up to 2 MB).  Two 1 GiB files in DIR (default: .), 40
# rounds of 200 random 4 KB pwrites and an fdatasync, the files taking
# turns.  bench/RESULTS.md, 2026-12-05, third session.
import os, random, sys, time
N=1<<30  # 1 GiB per file
def make(p):
    with open(p,'wb') as f:
        blk=os.urandom(1<<20)
        for _ in range(N>>20): f.write(blk)
    os.sync()
    fd=os.open(p,os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED); os.close(fd)
def fh(): return int([l for l in open('/proc/meminfo') if l.startswith('FileHugePages')][0].split()[1])//1024
os.chdir(sys.argv[1] if len(sys.argv) > 1 else '.')
make('fa.bin'); make('fb.bin')
h0=fh()
# A: small folios (random 4 KB reads, no readahead)
fd=os.open('fa.bin',os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_RANDOM)
for off in range(0,N,4096): os.pread(fd,4096,off)
os.close(fd)
h1=fh()
# B: sequential read (readahead -> large folios)
fd=os.open('fb.bin',os.O_RDONLY)
while os.read(fd,1<<20): pass
os.close(fd)
h2=fh()
print(f"FileHugePages MB: start {h0}, after A {h1}, after B {h2}")
fa=os.open('fa.bin',os.O_RDWR); fb=os.open('fb.bin',os.O_RDWR)
page=os.urandom(4096)
res={'A':[0,0],'B':[0,0]}
rnd=random.Random(1)
for rnd_i in range(40):
    for name,fd in (('A',fa),('B',fb)) if rnd_i%2==0 else (('B',fb),('A',fa)):
        offs=[rnd.randrange(N//4096)*4096 for _ in range(200)]  # one "checkpoint": 200 random pages
        t=time.perf_counter()
        for o in offs: os.pwrite(fd,page,o)
        t1=time.perf_counter()
        os.fdatasync(fd)
        t2=time.perf_counter()
        res[name][0]+=t1-t; res[name][1]+=t2-t1
for k,(w,s) in res.items(): print(f"{k}: pwrite {w/8000*1e6:.1f} us/page, fdatasync {s/40*1e3:.2f} ms per 200 pages")
os.close(fa); os.close(fb); os.unlink('fa.bin'); os.unlink('fb.bin')
