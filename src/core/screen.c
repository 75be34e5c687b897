/*
 * screen.c - the screening index: vocabulary with posting lists, deletion
 * neighbourhood for typos, candidate generation rarest-first, scoring with
 * explanation.  Design and contracts in screen.h.
 */
#include "core/screen.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h> /* snprintf only */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---- small helpers ---- */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h ? h : 1;
}

/* hash of s with byte `skip` left out (skip >= n: none) */
static uint64_t hash_del(const char *s, size_t n, size_t skip)
{
	char buf[NAMES_TOK_MAX];
	size_t o = 0;
	for (size_t i = 0; i < n && o < sizeof(buf); i++)
		if (i != skip)
			buf[o++] = s[i];
	return hash_bytes(buf, o);
}

static int grow(void **p, uint32_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? (size_t)*cap * 2 : 4;
	while (nc < need)
		nc *= 2;
	if (nc > UINT32_MAX)
		return SIGM_ETOOBIG;
	void *np = realloc(*p, nc * elem);
	if (!np)
		return SIGM_ENOMEM;
	*p = np;
	*cap = (uint32_t)nc;
	return 0;
}

/* ---- storage ---- */

/* The postings of a word with at least YS_FROM of them are also kept split
 * by the birth year of the entry (year slices): a query with a birth date
 * reads only the slices within a year of it, and the one of entries without
 * a known year, instead of the whole list (HERNANDEZ on a million Salvadoran
 * names: ~50,000 postings over some 70 years).  A slice is grouped by birth
 * month and sex, each group sorted by slot (ys_key() below); slots only
 * grow, so a put appends to its group. */
#define YS_FROM 256

struct yslice {
	uint32_t *post; /* the entry slots born that year, sorted by
			   (ys_key, slot): see ys_key() */
	uint32_t *meta; /* their meta (below), for the walk filter */
	uint32_t n, cap, cmeta;
	uint64_t keys;  /* the keys with a group (possibly emptied since) */
	uint32_t *gend; /* end of each group, in key order: one per bit of
			   keys */
};

struct vword {
	char *s;
	float lognp; /* log(npost + 1), kept by the writer for idf() */
	uint32_t *post; /* sorted entry slots */
	uint32_t *pmeta; /* meta of each posting's entry (birth date, sex,
			    initials: below): the blocking filters read it
			    in sequence instead of the entry */
	uint32_t npost, cpost, cpmeta;
	uint8_t len;
	uint16_t ylo, nys; /* ys[0]: year unknown; ys[1 + y - ylo]: year y */
	struct yslice *ys; /* NULL until npost reaches YS_FROM */
};

static int meta_year(uint32_t m);

/* Within a year slice the postings are grouped by birth month and sex
 * (meta bits 12-15 and 23-24), each group sorted by slot: a query with a
 * full birth date skips whole groups that cannot reach its threshold
 * (a year off with another month, the other sex without a birth date...),
 * which were half the postings a query walked, without reading them.  64
 * keys at most; a slice's groups are found through its keys and gend. */
static inline unsigned ys_key(uint32_t meta)
{
	return (meta >> 12 & 15) | (meta >> 23 & 3) << 4;
}

/* Index in gend of the group of key k (a bit of s->keys). */
static inline int ys_gi(const struct yslice *s, unsigned k)
{
	return __builtin_popcountll(s->keys & ((1ull << k) - 1));
}

/* The range [*a, *b) of s holding key k (empty when it has none). */
static void ys_group(const struct yslice *s, unsigned k, uint32_t *a,
		     uint32_t *b)
{
	if (!(s->keys >> k & 1)) {
		*a = *b = 0;
		return;
	}
	int i = ys_gi(s, k);
	*a = i ? s->gend[i - 1] : 0;
	*b = s->gend[i];
}

static uint32_t post_find(const uint32_t *post, uint32_t n, uint32_t slot);

/* Adds slot (greater than every slot of s: slots only grow) with its meta,
 * at the end of its group; room (and the group) made by ys_grow(). */
static void ys_insert(struct yslice *s, uint32_t slot, uint32_t meta)
{
	int i = ys_gi(s, ys_key(meta)), ng = __builtin_popcountll(s->keys);
	uint32_t at = s->gend[i];
	memmove(s->post + at + 1, s->post + at, (s->n - at) * sizeof(uint32_t));
	memmove(s->meta + at + 1, s->meta + at, (s->n - at) * sizeof(uint32_t));
	s->post[at] = slot;
	s->meta[at] = meta;
	s->n++;
	for (int g = i; g < ng; g++)
		s->gend[g]++;
}

/* Index of slot (meta its meta) in s, or s->n. */
static uint32_t ys_find(const struct yslice *s, uint32_t slot, uint32_t meta)
{
	uint32_t a, b;
	ys_group(s, ys_key(meta), &a, &b);
	uint32_t k = a + post_find(s->post + a, b - a, slot);
	return k < b && s->post[k] == slot ? k : s->n;
}

/* Removes index k of s. */
static void ys_delete(struct yslice *s, uint32_t k)
{
	int ng = __builtin_popcountll(s->keys), gi = ys_gi(s, ys_key(s->meta[k]));
	memmove(s->post + k, s->post + k + 1, (s->n - k - 1) * sizeof(uint32_t));
	memmove(s->meta + k, s->meta + k + 1, (s->n - k - 1) * sizeof(uint32_t));
	s->n--;
	for (int g = gi; g < ng; g++)
		s->gend[g]--;
}

static struct yslice *ys_of(const struct vword *w, int y)
{
	if (!w->ys)
		return NULL;
	if (!y)
		return &w->ys[0];
	if (y < w->ylo || y - w->ylo + 1 >= w->nys)
		return NULL;
	return &w->ys[1 + y - w->ylo];
}

static void ys_free(struct yslice *ys, uint32_t n)
{
	for (uint32_t i = 0; ys && i < n; i++) {
		free(ys[i].post);
		free(ys[i].meta);
		free(ys[i].gend);
	}
	free(ys);
}

/* Widens w's slices to cover year y (w->ys non-NULL). */
static int ys_cover(struct vword *w, int y)
{
	if (!y || ys_of(w, y))
		return 0;
	int lo = w->nys > 1 ? w->ylo : y, hi = w->nys > 1 ? w->ylo + w->nys - 2 : y;
	if (y < lo)
		lo = y;
	if (y > hi)
		hi = y;
	size_t n = (size_t)(hi - lo) + 2;
	struct yslice *ns = calloc(n, sizeof(*ns));
	if (!ns)
		return SIGM_ENOMEM;
	ns[0] = w->ys[0];
	for (int i = 1; i < w->nys; i++)
		ns[1 + w->ylo + i - 1 - lo] = w->ys[i];
	free(w->ys);
	w->ys = ns;
	w->ylo = (uint16_t)lo;
	w->nys = (uint16_t)n;
	return 0;
}

/* Room in s for one more posting of meta's key, its group made (empty)
 * if new. */
static int ys_grow(struct yslice *s, uint32_t meta)
{
	unsigned k = ys_key(meta);
	if (grow((void **)&s->post, &s->cap, (size_t)s->n + 1, 4) ||
	    grow((void **)&s->meta, &s->cmeta, (size_t)s->n + 1, 4))
		return SIGM_ENOMEM;
	if (s->keys >> k & 1)
		return 0;
	int ng = __builtin_popcountll(s->keys), i = ys_gi(s, k);
	uint32_t *g = realloc(s->gend, (size_t)(ng + 1) * sizeof(*g));
	if (!g)
		return SIGM_ENOMEM;
	memmove(g + i + 1, g + i, (size_t)(ng - i) * sizeof(*g));
	g[i] = i ? g[i - 1] : 0;
	s->gend = g;
	s->keys |= 1ull << k;
	return 0;
}

/* Makes room in w's slices for one more posting of an entry of that meta,
 * building the slices when the list reaches YS_FROM.  On failure w is as
 * it was but for capacity and empty groups. */
static int ys_reserve(struct vword *w, uint32_t meta)
{
	int y = meta_year(meta);
	if (!w->ys) {
		if (w->npost + 1 < YS_FROM)
			return 0;
		struct vword t = *w;
		t.ys = calloc(1, sizeof(*t.ys));
		t.nys = 1;
		t.ylo = 0;
		if (!t.ys)
			return SIGM_ENOMEM;
		for (uint32_t p = 0; p < w->npost; p++) {
			struct yslice *s;
			int py = meta_year(w->pmeta[p]);
			if (ys_cover(&t, py) || !(s = ys_of(&t, py)) ||
			    ys_grow(s, w->pmeta[p])) {
				ys_free(t.ys, t.nys);
				return SIGM_ENOMEM;
			}
			ys_insert(s, w->post[p], w->pmeta[p]);
		}
		w->ys = t.ys;
		w->ylo = t.ylo;
		w->nys = t.nys;
	}
	if (ys_cover(w, y))
		return SIGM_ENOMEM;
	return ys_grow(ys_of(w, y), meta);
}

/* Index of slot in a sorted list, or of where it would go. */
static uint32_t post_find(const uint32_t *post, uint32_t n, uint32_t slot)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (post[mid] < slot)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* What scoring a candidate reads, in one cache line (the array is 64-byte
 * aligned): on a million entries every candidate scored is a cache miss,
 * and common names leave hundreds per query, so one line instead of three
 * is most of what a query costs.  The rest is in struct entry_cold, read
 * for hits only. */
struct entry {
	uint32_t tok[NAMES_MAX_TOKENS]; /* vocabulary ids */
	uint32_t meta;    /* birth date, sex, initials, role counts (below) */
	uint16_t vfrom;   /* valid_from, days since 1970 (0: no start) */
	uint16_t vuntil;  /* valid_until, days since 1970 (VUNTIL_NONE) */
	uint16_t roles;   /* bit i: role of tok[i] (0 given, 1 surname) */
	uint8_t ntok;
	uint8_t flags;    /* ENT_* */
	char nat[3];      /* alpha-3, NUL-padded; "" unknown */
};
_Static_assert(sizeof(struct entry) == 64, "struct entry: one cache line");

#define ENT_LIVE 1
#define ENT_VCOLD 2 /* validity outside vfrom/vuntil's range: in the cold part */
#define VUNTIL_NONE 0xffff

struct entry_cold {
	int32_t valid_until;
	int32_t valid_from;
	char *blob;  /* id \0 given \0 surnames \0 category \0 ref \0 docs \0\0 */
	const char *category, *ref, *docs;
};

/* meta: year - 1799 (0 unknown) in bits 0-11, month 12-15, day 16-20,
 * precision 21-22, sex 23-24 (1 M, 2 F), initials 25, given-name tokens
 * 26-28 and surname tokens 29-31 (7: seven or more) */
static uint32_t meta_roles(const struct names_person *n)
{
	uint32_t k[2] = {0, 0};
	for (int i = 0; i < n->n; i++)
		k[n->tok[i].role & 1]++;
	return (k[0] > 7 ? 7 : k[0]) << 26 | (k[1] > 7 ? 7 : k[1]) << 29;
}

static uint32_t meta_pack(const struct cal_date *d, char sex, bool initials)
{
	uint32_t m = 0;
	if (d->prec)
		m = (uint32_t)(d->year - 1799) | (uint32_t)d->month << 12 |
		    (uint32_t)d->day << 16 | (uint32_t)d->prec << 21;
	m |= (uint32_t)(sex == 'M' ? 1 : sex == 'F' ? 2 : 0) << 23;
	return m | (initials ? 1u << 25 : 0);
}

static int meta_year(uint32_t m)
{
	return (m & 0xfff) ? (int)(m & 0xfff) + 1799 : 0;
}

static struct cal_date meta_dob(uint32_t m)
{
	struct cal_date d = {0, 0, 0, CAL_PREC_NONE};
	if (m & 0xfff) {
		d.year = meta_year(m);
		d.month = (int)(m >> 12 & 15);
		d.day = (int)(m >> 16 & 31);
		d.prec = (enum cal_precision)(m >> 21 & 3);
	}
	return d;
}

static char meta_sex(uint32_t m)
{
	uint32_t s = m >> 23 & 3;
	return s == 1 ? 'M' : s == 2 ? 'F' : 0;
}

/* open-addressing map from a 64-bit hash to the head of a node chain */
struct hmap {
	uint64_t *key;
	uint32_t *head; /* node index + 1 */
	size_t cap, n;
};

struct node {
	uint32_t val;
	uint32_t next; /* +1 */
};

struct nodes {
	struct node *v;
	uint32_t n, cap;
};

struct screen_index {
	pthread_rwlock_t lock;
	const struct names_table *names;
	struct vword *words;
	uint32_t nwords, cwords;
	struct entry *ent;        /* 64-byte aligned (ent_grow) */
	struct entry_cold *cold;  /* per slot, beside ent */
	uint32_t nent, cent;
	uint32_t *meta; /* per slot: birth date, sex, initials packed (META_*),
			   read by the candidate filter instead of the entry */
	uint32_t cmeta;
	size_t live;
	double loglive; /* log(live + 1) */
	uint32_t maxpost; /* most postings a word ever had: bounds idf() below */
	struct hmap wordmap; /* token -> word id (chain of one) */
	struct hmap delmap;  /* deletion key -> word ids */
	struct hmap idmap;   /* entry id -> slot (latest) */
	struct hmap docmap;  /* document -> slots */
	struct nodes nodes;
	size_t strbytes;
	uint64_t serial; /* this index among all the process made: memos */
	/* idle candidate-set buffers (struct scratch), lent to queries */
	pthread_mutex_t scr_mu;
	struct scratch *scr_free;
};

/*
 * What a query needs beyond its stack, kept between queries: its context
 * (struct qctx, 90 KB) and its candidate set's list, and the mask of a
 * dense set (a common name on a large list: 2 bytes per slot, 2 MB at a
 * million entries).  Allocated per query, these were a memset each and,
 * once glibc had given the freed block back to the kernel (a thread
 * arena's top past the trim threshold), a page fault and a cleared page
 * per 4 KiB at the next query, and the consolidation of the thread's heap
 * (perf of the booth benchmark, 2026-12-05: clear_page, memset and
 * malloc_consolidate under query() ~5 % of the server's CPU).  A lent
 * mask is all zero: the query clears the slots it set (cset_release).
 * Idle buffers wait on the index, so there are as many as queries ever
 * ran at once, not one per server thread.
 */
struct scratch {
	struct scratch *next;
	uint16_t *mask; /* nmask slots, all zero while idle */
	size_t nmask;
	uint32_t *list;
	size_t nlist;
	struct qctx *qc; /* a query's context (90 KB) */
};

static struct scratch *scratch_get(struct screen_index *ix)
{
	pthread_mutex_lock(&ix->scr_mu);
	struct scratch *b = ix->scr_free;
	if (b)
		ix->scr_free = b->next;
	pthread_mutex_unlock(&ix->scr_mu);
	return b ? b : calloc(1, sizeof(*b));
}

static void scratch_put(struct screen_index *ix, struct scratch *b)
{
	pthread_mutex_lock(&ix->scr_mu);
	b->next = ix->scr_free;
	ix->scr_free = b;
	pthread_mutex_unlock(&ix->scr_mu);
}

static void scratch_free_all(struct screen_index *ix)
{
	for (struct scratch *b = ix->scr_free, *n; b; b = n) {
		n = b->next;
		free(b->mask);
		free(b->list);
		free(b->qc);
		free(b);
	}
	ix->scr_free = NULL;
}

/* Room for need entries.  The array is 64-byte aligned (an entry is one
 * cache line), and once large 2 MB-aligned and advised as transparent huge
 * pages: scoring reads entries at random, and with 4 KB pages a million
 * of them (64 MB) would add a TLB miss to each cache miss.  Not realloc:
 * it keeps neither alignment. */
#define ENT_HUGE_FROM (4u << 20)
static int ent_grow(struct screen_index *ix, size_t need)
{
	if (need <= ix->cent)
		return 0;
	size_t nc = ix->cent ? (size_t)ix->cent * 2 : 1024;
	while (nc < need)
		nc *= 2;
	if (nc > UINT32_MAX)
		return SIGM_ENOMEM;
	size_t bytes = nc * sizeof(struct entry), align = 64;
	if (bytes >= ENT_HUGE_FROM) {
		align = 2u << 20;
		bytes = (bytes + align - 1) / align * align;
	}
	struct entry *ne = aligned_alloc(align, bytes);
	struct entry_cold *nk = ne ? realloc(ix->cold, nc * sizeof(*nk)) : NULL;
	if (!nk) {
		free(ne);
		return SIGM_ENOMEM;
	}
	ix->cold = nk;
#ifdef MADV_HUGEPAGE
	if (align > 64)
		(void)madvise(ne, bytes, MADV_HUGEPAGE); /* advice only */
#endif
	if (ix->nent)
		memcpy(ne, ix->ent, (size_t)ix->nent * sizeof(*ne));
	free(ix->ent);
	ix->ent = ne;
	ix->cent = (uint32_t)nc;
	return 0;
}

/* Whether live entry slot is valid on day on (CAL_NONE: any day). */
static bool ent_valid(const struct screen_index *ix, uint32_t slot, int32_t on)
{
	const struct entry *e = &ix->ent[slot];
	if (!(e->flags & ENT_LIVE))
		return false;
	if (on == CAL_NONE)
		return true;
	if (!(e->flags & ENT_VCOLD) && on >= 0 && on < VUNTIL_NONE)
		return !(e->vuntil != VUNTIL_NONE && e->vuntil < on) &&
		       !(e->vfrom > on);
	const struct entry_cold *k = &ix->cold[slot];
	return !((k->valid_until != CAL_NONE && k->valid_until < on) ||
		 (k->valid_from != CAL_NONE && k->valid_from > on));
}

static int hmap_grow(struct hmap *m)
{
	size_t nc = m->cap ? m->cap * 2 : 1024;
	uint64_t *nk = calloc(nc, sizeof(*nk));
	uint32_t *nh = calloc(nc, sizeof(*nh));
	if (!nk || !nh) {
		free(nk);
		free(nh);
		return SIGM_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->key[i])
			continue;
		size_t h = m->key[i] & (nc - 1);
		while (nk[h])
			h = (h + 1) & (nc - 1);
		nk[h] = m->key[i];
		nh[h] = m->head[i];
	}
	free(m->key);
	free(m->head);
	m->key = nk;
	m->head = nh;
	m->cap = nc;
	return 0;
}

/* Slot of key, or of the empty place where it would go. */
static size_t hmap_slot(const struct hmap *m, uint64_t key)
{
	size_t h = key & (m->cap - 1);
	while (m->key[h] && m->key[h] != key)
		h = (h + 1) & (m->cap - 1);
	return h;
}

static uint32_t hmap_get(const struct hmap *m, uint64_t key)
{
	if (!m->cap)
		return 0;
	return m->head[hmap_slot(m, key)];
}

/* Pushes val on key's chain. */
static int hmap_push(struct screen_index *ix, struct hmap *m, uint64_t key,
		     uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap && hmap_grow(m))
		return SIGM_ENOMEM;
	if (grow((void **)&ix->nodes.v, &ix->nodes.cap, (size_t)ix->nodes.n + 1,
		 sizeof(struct node)))
		return SIGM_ENOMEM;
	size_t s = hmap_slot(m, key);
	if (!m->key[s]) {
		m->key[s] = key;
		m->n++;
	}
	ix->nodes.v[ix->nodes.n] = (struct node){val, m->head[s]};
	m->head[s] = ++ix->nodes.n;
	return 0;
}

/* Sets key's chain to the single value val (no node: head = val + 1). */
static int hmap_set(struct hmap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap && hmap_grow(m))
		return SIGM_ENOMEM;
	size_t s = hmap_slot(m, key);
	if (!m->key[s]) {
		m->key[s] = key;
		m->n++;
	}
	m->head[s] = val + 1;
	return 0;
}

/* Word id of a folded token, or -1.  The map stores hash -> chain of ids so
 * that a 64-bit collision cannot confuse two words. */
static long word_find(const struct screen_index *ix, const char *s, size_t n)
{
	for (uint32_t x = hmap_get(&ix->wordmap, hash_bytes(s, n)); x;
	     x = ix->nodes.v[x - 1].next) {
		const struct vword *w = &ix->words[ix->nodes.v[x - 1].val];
		if (w->len == n && memcmp(w->s, s, n) == 0)
			return ix->nodes.v[x - 1].val;
	}
	return -1;
}

static long word_intern(struct screen_index *ix, const char *s, size_t n)
{
	long w = word_find(ix, s, n);
	if (w >= 0)
		return w;
	if (grow((void **)&ix->words, &ix->cwords, (size_t)ix->nwords + 1,
		 sizeof(*ix->words)))
		return SIGM_ENOMEM;
	char *c = malloc(n + 1);
	if (!c)
		return SIGM_ENOMEM;
	memcpy(c, s, n);
	c[n] = 0;
	uint32_t id = ix->nwords;
	ix->words[id] = (struct vword){.s = c, .len = (uint8_t)n};
	if (hmap_push(ix, &ix->wordmap, hash_bytes(s, n), id)) {
		free(c);
		return SIGM_ENOMEM;
	}
	ix->nwords++;
	ix->strbytes += n + 1;
	/* deletion neighbourhood: the word itself and each one-letter
	 * deletion (words of 3+ letters; shorter ones match exactly only) */
	if (n >= 3) {
		uint64_t seen[NAMES_TOK_MAX + 1];
		size_t ns = 0;
		for (size_t i = 0; i <= n; i++) {
			uint64_t k = hash_del(s, n, i);
			bool dup = false;
			for (size_t j = 0; j < ns; j++)
				dup |= seen[j] == k;
			if (dup)
				continue;
			seen[ns++] = k;
			if (hmap_push(ix, &ix->delmap, k, id))
				return SIGM_ENOMEM;
		}
	}
	return id;
}

static void hmap_free(struct hmap *m)
{
	free(m->key);
	free(m->head);
}

int screen_new(struct screen_index **ix_r, const struct names_table *names,
	       struct sigm_error *err)
{
	struct screen_index *ix = calloc(1, sizeof(*ix));
	pthread_rwlockattr_t a;

	*ix_r = NULL;
	if (!ix)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "memoria insuficiente");
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(
		&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	if (pthread_rwlock_init(&ix->lock, &a)) {
		pthread_rwlockattr_destroy(&a);
		free(ix);
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "no se pudo crear el cerrojo del índice");
	}
	pthread_rwlockattr_destroy(&a);
	pthread_mutex_init(&ix->scr_mu, NULL);
	static _Atomic uint64_t serials;
	ix->serial = atomic_fetch_add(&serials, 1) + 1;
	ix->names = names;
	*ix_r = ix;
	return 0;
}

void screen_free(struct screen_index **pix)
{
	struct screen_index *ix;

	if (!pix || !*pix)
		return;
	ix = *pix;
	for (uint32_t i = 0; i < ix->nwords; i++) {
		free(ix->words[i].s);
		free(ix->words[i].post);
		free(ix->words[i].pmeta);
		ys_free(ix->words[i].ys, ix->words[i].nys);
	}
	for (uint32_t i = 0; i < ix->nent; i++)
		free(ix->cold[i].blob);
	free(ix->words);
	free(ix->ent);
	free(ix->cold);
	free(ix->meta);
	hmap_free(&ix->wordmap);
	hmap_free(&ix->delmap);
	hmap_free(&ix->idmap);
	hmap_free(&ix->docmap);
	free(ix->nodes.v);
	scratch_free_all(ix);
	pthread_mutex_destroy(&ix->scr_mu);
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
	*pix = NULL;
}

size_t screen_count(struct screen_index *ix)
{
	size_t n;
	pthread_rwlock_rdlock(&ix->lock);
	n = ix->live;
	pthread_rwlock_unlock(&ix->lock);
	return n;
}

size_t screen_memory(struct screen_index *ix)
{
	size_t b = sizeof(*ix);
	pthread_rwlock_rdlock(&ix->lock);
	b += (size_t)ix->cwords * sizeof(struct vword) + ix->strbytes;
	for (uint32_t i = 0; i < ix->nwords; i++) {
		const struct vword *w = &ix->words[i];
		b += (size_t)w->cpost * 4 + (size_t)w->cpmeta * 4;
		for (uint32_t k = 0; w->ys && k < w->nys; k++)
			b += sizeof(struct yslice) +
			     ((size_t)w->ys[k].cap + w->ys[k].cmeta +
			      (size_t)__builtin_popcountll(w->ys[k].keys)) * 4;
	}
	b += (size_t)ix->cent * (sizeof(struct entry) + sizeof(struct entry_cold)) +
	     (size_t)ix->cmeta * 4;
	b += (ix->wordmap.cap + ix->delmap.cap + ix->idmap.cap +
	      ix->docmap.cap) * 12;
	b += (size_t)ix->nodes.cap * sizeof(struct node);
	pthread_rwlock_unlock(&ix->lock);
	return b;
}

/* ---- parsed person (outside the lock) ---- */

struct parsed {
	struct names_person names;
	struct cal_date dob;
	char sex;
	char nat[4];
	char docs[8][SCREEN_DOC_MAX]; /* normalized: A-Z 0-9 only */
	int ndocs;
};

static int parse_person(const struct screen_person *p, struct parsed *out,
			struct sigm_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = names_person_set(&out->names, p->given_names, p->surnames, err);
	if (rc)
		return rc;
	if (p->birth_date && *p->birth_date) {
		rc = cal_parse(p->birth_date, &out->dob, "birth_date", err);
		if (rc)
			return rc;
	}
	if (p->sex && (p->sex[0] == 'M' || p->sex[0] == 'm' ||
		       p->sex[0] == 'F' || p->sex[0] == 'f') && !p->sex[1])
		out->sex = (char)toupper((unsigned char)p->sex[0]);
	if (p->nationality && strlen(p->nationality) == 3) {
		for (int i = 0; i < 3; i++)
			out->nat[i] =
				(char)toupper((unsigned char)p->nationality[i]);
		if (!isalpha((unsigned char)out->nat[0]))
			out->nat[0] = 0;
	}
	if (p->document_number) {
		const char *s = p->document_number;
		size_t o = 0;
		for (;; s++) {
			if (*s == ';' || *s == 0) {
				if (o && out->ndocs < 8)
					out->docs[out->ndocs++][o] = 0;
				o = 0;
				if (!*s)
					break;
				continue;
			}
			if (out->ndocs < 8 && isalnum((unsigned char)*s) &&
			    o + 1 < SCREEN_DOC_MAX)
				out->docs[out->ndocs][o++] =
					(char)toupper((unsigned char)*s);
		}
	}
	return 0;
}

static bool has_name(const struct parsed *p)
{
	for (int i = 0; i < p->names.n; i++)
		if (!(p->names.tok[i].flags & NAMES_TOK_INITIAL))
			return true;
	return false;
}

/* ---- writes ---- */

static struct entry *live_entry(struct screen_index *ix, const char *id,
				uint32_t *slot_r)
{
	uint32_t h = hmap_get(&ix->idmap, hash_bytes(id, strlen(id)));
	if (!h)
		return NULL;
	struct entry *e = &ix->ent[h - 1];
	if (!(e->flags & ENT_LIVE) || strcmp(ix->cold[h - 1].blob, id) != 0)
		return NULL;
	if (slot_r)
		*slot_r = h - 1;
	return e;
}

static void post_remove(struct vword *w, uint32_t slot)
{
	uint32_t lo = post_find(w->post, w->npost, slot);
	if (lo < w->npost && w->post[lo] == slot) {
		struct yslice *s = ys_of(w, meta_year(w->pmeta[lo]));
		if (s) {
			uint32_t k = ys_find(s, slot, w->pmeta[lo]);
			if (k < s->n)
				ys_delete(s, k);
		}
		memmove(w->post + lo, w->post + lo + 1,
			(w->npost - lo - 1) * sizeof(uint32_t));
		memmove(w->pmeta + lo, w->pmeta + lo + 1,
			(w->npost - lo - 1) * sizeof(uint32_t));
		w->npost--;
		w->lognp = (float)log((double)w->npost + 1.0);
	}
}

static void unlink_entry(struct screen_index *ix, uint32_t slot)
{
	struct entry *e = &ix->ent[slot];
	for (int i = 0; i < e->ntok; i++) {
		bool dup = false;
		for (int j = 0; j < i; j++)
			dup |= e->tok[j] == e->tok[i];
		if (!dup)
			post_remove(&ix->words[e->tok[i]], slot);
	}
	e->flags &= (uint8_t)~ENT_LIVE;
	free(ix->cold[slot].blob);
	ix->cold[slot].blob = NULL;
	ix->live--;
}

static size_t fieldlen(const char *s)
{
	return s ? strlen(s) : 0;
}

int screen_put(struct screen_index *ix, const struct screen_entry *in,
	       struct sigm_error *err)
{
	struct parsed p;
	size_t idl = fieldlen(in->id), gl, sl, cl, rl, dl = 0;
	char *blob = NULL;
	int rc;

	if (idl == 0 || idl >= SCREEN_ID_MAX)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_field", "id",
				      "identificador de entrada vacío o de más de %d bytes",
				      SCREEN_ID_MAX - 1);
	rc = parse_person(&in->person, &p, err);
	if (rc)
		return rc;
	if (!has_name(&p) && !p.ndocs)
		return sigm_error_set(err, SIGM_EINVAL, "empty_name", "surnames",
				      "la entrada %s no tiene nombre ni documento",
				      in->id);
	gl = fieldlen(in->person.given_names);
	sl = fieldlen(in->person.surnames);
	cl = fieldlen(in->category);
	rl = fieldlen(in->record_ref);
	if (cl >= SCREEN_FIELD_MAX || rl >= SCREEN_FIELD_MAX)
		return sigm_error_set(err, SIGM_ETOOBIG, "field_too_long",
				      cl >= SCREEN_FIELD_MAX ? "category"
							     : "record_ref",
				      "campo demasiado largo");
	for (int i = 0; i < p.ndocs; i++)
		dl += strlen(p.docs[i]) + 1;
	blob = malloc(idl + gl + sl + cl + rl + dl + 6);
	if (!blob)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "memoria insuficiente");
	{
		char *o = blob;
#define PUT(s, n)                                  \
	do {                                       \
		if (n)                             \
			memcpy(o, s, n);           \
		o[n] = 0;                          \
		o += (n) + 1;                      \
	} while (0)
		PUT(in->id, idl);
		PUT(in->person.given_names, gl);
		PUT(in->person.surnames, sl);
		PUT(in->category, cl);
		PUT(in->record_ref, rl);
		for (int i = 0; i < p.ndocs; i++)
			PUT(p.docs[i], strlen(p.docs[i]));
		*o = 0;
#undef PUT
	}

	pthread_rwlock_wrlock(&ix->lock);
	if (ix->nent >= SCREEN_MAX_ENTRIES) {
		rc = sigm_error_set(err, SIGM_ETOOBIG, "index_full", NULL,
				    "el índice de cotejo está lleno");
		goto out;
	}
	if (ent_grow(ix, (size_t)ix->nent + 1) ||
	    grow((void **)&ix->meta, &ix->cmeta, (size_t)ix->nent + 1,
		 sizeof(*ix->meta))) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				    "memoria insuficiente");
		goto out;
	}
	bool initials = false;
	for (int i = 0; i < p.names.n; i++)
		initials |= p.names.tok[i].len == 1;
	uint32_t meta = meta_pack(&p.dob, p.sex, initials) |
			meta_roles(&p.names);
	/* intern words first: the only step that can fail half-way, and a
	 * word without postings is harmless */
	uint32_t slot = ix->nent, tok[NAMES_MAX_TOKENS];
	for (int i = 0; i < p.names.n; i++) {
		long w = word_intern(ix, p.names.tok[i].s, p.names.tok[i].len);
		if (w < 0 || grow((void **)&ix->words[w].post,
				  &ix->words[w].cpost,
				  (size_t)ix->words[w].npost + 1, 4) ||
		    grow((void **)&ix->words[w].pmeta, &ix->words[w].cpmeta,
			 (size_t)ix->words[w].npost + 1, 4) ||
		    ys_reserve(&ix->words[w], meta)) {
			rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory",
					    NULL, "memoria insuficiente");
			goto out;
		}
		tok[i] = (uint32_t)w;
	}
	uint32_t oldslot = 0;
	bool had_old = live_entry(ix, in->id, &oldslot) != NULL;
	/* reserve doc nodes before anything visible changes */
	if (grow((void **)&ix->nodes.v, &ix->nodes.cap,
		 (size_t)ix->nodes.n + (size_t)p.ndocs + 1,
		 sizeof(struct node))) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				    "memoria insuficiente");
		goto out;
	}
	while ((ix->docmap.n + (size_t)p.ndocs + 1) * 2 > ix->docmap.cap) {
		if (hmap_grow(&ix->docmap)) {
			rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory",
					    NULL, "memoria insuficiente");
			goto out;
		}
	}
	if (hmap_set(&ix->idmap, hash_bytes(in->id, idl), slot)) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				    "memoria insuficiente");
		goto out;
	}
	struct entry *e = &ix->ent[slot];
	struct entry_cold *k = &ix->cold[slot];
	memset(e, 0, sizeof(*e));
	memset(k, 0, sizeof(*k));
	k->blob = blob;
	blob = NULL;
	{
		const char *s = k->blob;
		s += strlen(s) + 1; /* id */
		s += strlen(s) + 1; /* given names */
		s += strlen(s) + 1; /* surnames */
		k->category = s;
		s += strlen(s) + 1;
		k->ref = s;
		s += strlen(s) + 1;
		k->docs = s;
	}
	for (int i = 0; i < p.names.n; i++) {
		e->tok[i] = tok[i];
		e->roles |= (uint16_t)((p.names.tok[i].role & 1u) << i);
		struct vword *w = &ix->words[tok[i]];
		if (!w->npost || w->post[w->npost - 1] != slot) {
			struct yslice *ys = ys_of(w, meta_year(meta));
			if (ys) /* reserved above */
				ys_insert(ys, slot, meta);
			w->pmeta[w->npost] = meta;
			w->post[w->npost++] = slot;
			if (w->npost > ix->maxpost)
				ix->maxpost = w->npost;
			w->lognp = (float)log((double)w->npost + 1.0);
		}
	}
	e->ntok = (uint8_t)p.names.n;
	memcpy(e->nat, p.nat, 3);
	e->meta = meta;
	k->valid_until = in->valid_until;
	k->valid_from = in->valid_from;
	/* most validity dates fit in 16 bits of days since 1970: checked
	 * from the hot line; others from the cold part (exact either way) */
	if (in->valid_from == CAL_NONE || in->valid_from <= 0)
		e->vfrom = 0;
	else if (in->valid_from < 0xffff)
		e->vfrom = (uint16_t)in->valid_from;
	else
		e->flags |= ENT_VCOLD;
	if (in->valid_until == CAL_NONE)
		e->vuntil = VUNTIL_NONE;
	else if (in->valid_until >= 0 && in->valid_until < VUNTIL_NONE)
		e->vuntil = (uint16_t)in->valid_until;
	else
		e->flags |= ENT_VCOLD;
	ix->meta[slot] = meta;
	e->flags |= ENT_LIVE;
	for (int i = 0; i < p.ndocs; i++)
		hmap_push(ix, &ix->docmap, hash_bytes(p.docs[i], strlen(p.docs[i])),
			  slot); /* cannot fail: reserved above */
	ix->nent++;
	ix->live++;
	if (had_old)
		unlink_entry(ix, oldslot);
	ix->loglive = log((double)ix->live + 1.0);
out:
	pthread_rwlock_unlock(&ix->lock);
	free(blob);
	return rc;
}

int screen_remove(struct screen_index *ix, const char *id,
		  struct sigm_error *err)
{
	uint32_t slot;
	int rc = 0;

	pthread_rwlock_wrlock(&ix->lock);
	if (!live_entry(ix, id ? id : "", &slot))
		rc = sigm_error_set(err, SIGM_ENOTFOUND, "not_found", "id",
				    "no hay entrada %s en el índice",
				    id ? id : "");
	else {
		unlink_entry(ix, slot);
		ix->loglive = log((double)ix->live + 1.0);
	}
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

/* ---- queries ---- */

/* An unmatched token costs its full weight when the other side has an
 * unmatched token of the same role (conflict), MISSING_FACTOR times its
 * weight capped at MISSING_CAP when it is only absent.  name_bound() relies
 * on every unmatched query token costing at least MISSING_FACTOR *
 * min(weight, MISSING_CAP). */
#define MISSING_FACTOR 0.2
#define MISSING_CAP 4.0

#define QM_MAX 48 /* vocabulary words reached by one query token */

struct qmatch {
	uint32_t word;
	float sim;
	uint8_t how;
};

struct qtok {
	const struct names_token *t;
	struct qmatch m[QM_MAX];
	int nm;
	size_t cost; /* postings to walk */
	double w;    /* weight of the token */
	double wmax; /* highest weight among the words it reaches */
};

/* word -> similarity to every query token, so that scoring an entry costs
 * one probe per entry token */
#define WMAP_CAP 1024 /* > 2 * NAMES_MAX_TOKENS * QM_MAX */
struct wrow {
	uint32_t word1; /* word + 1, 0 empty */
	float sim[NAMES_MAX_TOKENS];
	uint8_t how[NAMES_MAX_TOKENS];
};

struct qctx {
	struct screen_index *ix;
	struct parsed p;
	struct qtok q[NAMES_MAX_TOKENS];
	int nq;
	int ninitials; /* query tokens that are initials */
	uint32_t dslot[16]; /* live entries sharing a document with the
			       query (ndslot < 0: too many, compare) */
	int ndslot;
	double maxw;
	double wfloor; /* no vocabulary word weighs less */
	bool rolebound; /* role_bound() applies: no initials, no repeated
			   token, at most RB_MAXNB blocking tokens */
	float rbmemo[1 << (6 + 6)]; /* role_bound() + 1 by bits and counts */
	struct wrow wmap[WMAP_CAP];
};

static struct wrow *wrow_get(struct qctx *c, uint32_t word, bool add)
{
	size_t h = (word * 2654435761u) & (WMAP_CAP - 1);
	while (c->wmap[h].word1 && c->wmap[h].word1 != word + 1)
		h = (h + 1) & (WMAP_CAP - 1);
	if (!c->wmap[h].word1) {
		if (!add)
			return NULL;
		c->wmap[h].word1 = word + 1;
	}
	return &c->wmap[h];
}

const char *screen_how_name(int how)
{
	switch (how) {
	case SCREEN_EXACT: return "exact";
	case SCREEN_VARIANT: return "variant";
	case SCREEN_NICKNAME: return "nickname";
	case SCREEN_TYPO: return "typo";
	case SCREEN_INITIAL: return "initial";
	case SCREEN_GLUED: return "particle_glued";
	}
	return "";
}

const char *screen_how_label(int how)
{
	switch (how) {
	case SCREEN_EXACT: return "idéntico";
	case SCREEN_VARIANT: return "variante";
	case SCREEN_NICKNAME: return "hipocorístico";
	case SCREEN_TYPO: return "error de tipeo";
	case SCREEN_INITIAL: return "inicial";
	case SCREEN_GLUED: return "partícula unida";
	}
	return "";
}

const char *screen_birth_label(const char *birth_how)
{
	static const char *const L[][2] = {
		{"exact", "idéntica"},
		{"day_month_swapped", "día y mes invertidos"},
		{"year_off_by_one", "año ±1"},
		{"partial_compatible", "fecha parcial compatible"},
		{"close", "cercana"},
		{"day_differs", "difiere el día"},
		{"month_differs", "difiere el mes"},
		{"different", "distinta"},
	};
	for (size_t i = 0; birth_how && i < sizeof(L) / sizeof(L[0]); i++)
		if (!strcmp(birth_how, L[i][0]))
			return L[i][1];
	return birth_how ? birth_how : "";
}

static double idf(const struct screen_index *ix, uint32_t word)
{
	double w = ix->loglive - ix->words[word].lognp + 1.0;
	return w < 1.0 ? 1.0 : w;
}

static void qadd(struct qtok *qt, uint32_t word, double sim, int how)
{
	for (int i = 0; i < qt->nm; i++)
		if (qt->m[i].word == word) {
			if (sim > qt->m[i].sim) {
				qt->m[i].sim = (float)sim;
				qt->m[i].how = (uint8_t)how;
			}
			return;
		}
	if (qt->nm < QM_MAX)
		qt->m[qt->nm++] = (struct qmatch){word, (float)sim, (uint8_t)how};
}

struct varctx {
	struct qctx *c;
	struct qtok *qt;
};

static void on_variant(const char *form, int kind, void *ctx)
{
	struct varctx *v = ctx;
	long w = word_find(v->c->ix, form, strlen(form));
	if (w >= 0)
		qadd(v->qt, (uint32_t)w, kind == NAMES_NICKNAME ? 0.88 : 0.94,
		     kind == NAMES_NICKNAME ? SCREEN_NICKNAME : SCREEN_VARIANT);
}

/* Accepts a vocabulary word as a typo of the query token. */
static void try_typo(struct qctx *c, struct qtok *qt, uint32_t word)
{
	const struct vword *w = &c->ix->words[word];
	const struct names_token *t = qt->t;
	int d = names_edit_distance(t->s, t->len, w->s, w->len, 2);
	size_t minlen = t->len < w->len ? t->len : w->len;

	if (d == 0) {
		qadd(qt, word, 1.0, SCREEN_EXACT);
		return;
	}
	if (d > 2 || (d == 2 && minlen < 8))
		return;
	double jw = names_jaro_winkler(t->s, t->len, w->s, w->len);
	if (jw < 0.80)
		return;
	qadd(qt, word, jw > 0.97 ? 0.97 : jw, SCREEN_TYPO);
}

#define MEMO_CAP 512 /* tokens: a manifest of 500 has far fewer distinct */

struct memo_ent {
	uint32_t gen; /* empty unless the memo's */
	uint8_t len;
	char s[NAMES_TOK_MAX];
	int nm;
	struct qmatch m[QM_MAX];
};

struct screen_memo {
	uint64_t serial; /* of the index it holds the words of */
	uint32_t nwords; /* its vocabulary then: words are only added */
	uint32_t gen, n;
	struct memo_ent e[MEMO_CAP];
};

int screen_memo_new(struct screen_memo **memo)
{
	*memo = calloc(1, sizeof(**memo));
	if (!*memo)
		return SIGM_ENOMEM;
	(*memo)->gen = 1;
	return 0;
}

void screen_memo_free(struct screen_memo **memo)
{
	free(*memo);
	*memo = NULL;
}

/* The entry of token t in memo (for ix, under its lock): *hit when it
 * holds t's words, else the empty entry to fill. */
static struct memo_ent *memo_slot(struct screen_memo *memo,
				  const struct screen_index *ix,
				  const struct names_token *t, bool *hit)
{
	*hit = false;
	if (memo->serial != ix->serial || memo->nwords != ix->nwords) {
		memo->serial = ix->serial;
		memo->nwords = ix->nwords;
		memo->gen++;
		memo->n = 0;
	}
	size_t h = hash_bytes(t->s, t->len) & (MEMO_CAP - 1);
	for (; memo->e[h].gen == memo->gen; h = (h + 1) & (MEMO_CAP - 1)) {
		struct memo_ent *e = &memo->e[h];
		if (e->len == t->len && !memcmp(e->s, t->s, t->len)) {
			*hit = true;
			return e;
		}
	}
	if (memo->n >= MEMO_CAP * 3 / 4) { /* full: start again (a
					       server's thread lives long) */
		memo->gen++;
		memo->n = 0;
	}
	return &memo->e[h];
}

/* The vocabulary words qt reaches, into qt->m: from memo when it has
 * them, else found (and kept in memo). */
static void expand_words(struct qctx *c, struct qtok *qt,
			 struct screen_memo *memo);

static void expand_token(struct qctx *c, struct qtok *qt,
			 struct screen_memo *memo)
{
	struct screen_index *ix = c->ix;
	expand_words(c, qt, memo);
	qt->cost = 0;
	double best = 0, bw = c->maxw;
	for (int i = 0; i < qt->nm; i++) {
		qt->cost += ix->words[qt->m[i].word].npost;
		if (idf(ix, qt->m[i].word) > qt->wmax)
			qt->wmax = idf(ix, qt->m[i].word);
		if (qt->m[i].sim > best) {
			best = qt->m[i].sim;
			bw = idf(ix, qt->m[i].word);
		}
	}
	qt->w = bw;
}

static void expand_words(struct qctx *c, struct qtok *qt,
			 struct screen_memo *memo)
{
	struct screen_index *ix = c->ix;
	const struct names_token *t = qt->t;
	bool hit = false;
	struct memo_ent *me = memo ? memo_slot(memo, ix, t, &hit) : NULL;
	if (hit) {
		qt->nm = me->nm;
		memcpy(qt->m, me->m, (size_t)me->nm * sizeof(qt->m[0]));
		return;
	}
	long w = word_find(ix, t->s, t->len);

	if (w >= 0)
		qadd(qt, (uint32_t)w, 1.0, SCREEN_EXACT);
	if (ix->names) {
		struct varctx v = {c, qt};
		names_table_each_variant(ix->names, t->s, on_variant, &v);
	}
	/* glued particles the normalizer keeps ("Delcid", "Alhassan"): the
	 * token with the particle off, and the token with one on */
	static const char *const glue[] = {"del", "de", "al", "el"};
	for (size_t g = 0; g < 4; g++) {
		size_t gl = strlen(glue[g]);
		char buf[NAMES_TOK_MAX];
		long x;
		if (t->len >= gl + 3 && memcmp(t->s, glue[g], gl) == 0 &&
		    (x = word_find(ix, t->s + gl, t->len - gl)) >= 0)
			qadd(qt, (uint32_t)x, 0.95, SCREEN_GLUED);
		if (t->len >= 3 && t->len + gl < sizeof(buf)) {
			memcpy(buf, glue[g], gl);
			memcpy(buf + gl, t->s, t->len);
			if ((x = word_find(ix, buf, t->len + gl)) >= 0)
				qadd(qt, (uint32_t)x, 0.95, SCREEN_GLUED);
		}
	}
	if (t->len >= 3) {
		for (size_t i = 0; i <= t->len; i++) {
			uint64_t k = hash_del(t->s, t->len, i);
			for (uint32_t x = hmap_get(&ix->delmap, k); x;
			     x = ix->nodes.v[x - 1].next)
				try_typo(c, qt, ix->nodes.v[x - 1].val);
		}
	}
	if (me) {
		me->gen = memo->gen;
		me->len = (uint8_t)t->len;
		memcpy(me->s, t->s, t->len);
		me->nm = qt->nm;
		memcpy(me->m, qt->m, (size_t)qt->nm * sizeof(qt->m[0]));
		memo->n++;
	}
}

/* Whether word w lists slot, an entry born in year y (0 unknown): a
 * binary search in the year's slice when w has slices. */
static bool word_has(const struct vword *w, uint32_t slot, uint32_t meta)
{
	if (w->ys) {
		const struct yslice *s = ys_of(w, meta_year(meta));
		return s && ys_find(s, slot, meta) < s->n;
	}
	uint32_t lo = post_find(w->post, w->npost, slot);
	return lo < w->npost && w->post[lo] == slot;
}

static bool qtok_has(const struct qctx *c, const struct qtok *qt, uint32_t slot,
		     uint32_t meta)
{
	for (int i = 0; i < qt->nm; i++)
		if (word_has(&c->ix->words[qt->m[i].word], slot, meta))
			return true;
	return false;
}

/* A run of postings to walk, with the meta of each; yfilter: skip the
 * entries born two or more years away from the query's year; keys: the
 * ys_key() groups to walk (a year slice, ordered by key), or all. */
struct prange {
	const uint32_t *post;
	const uint32_t *meta;
	uint32_t n;
	bool yfilter;
	uint64_t keys;
	const struct yslice *ys; /* its groups; NULL: one run */
};

#define KEYS_ALL UINT64_MAX

/* The postings of w that can belong to an entry born within a year of qy
 * or of unknown birth year (qy 0: all of them).  km: the keys to walk in
 * the slice of unknown year and in those of qy - 1, qy and qy + 1 (NULL:
 * all).  Returns how many ranges (at most 4) it wrote to r. */
static int word_ranges(const struct vword *w, int qy, const uint64_t *km,
		       struct prange *r)
{
	int n = 0;
	if (!qy || !w->ys) {
		r[0] = (struct prange){w->post, w->pmeta, w->npost, qy != 0,
				       KEYS_ALL, NULL};
		return 1;
	}
	const struct yslice *s = &w->ys[0];
	if (s->n)
		r[n++] = (struct prange){s->post, s->meta, s->n, false,
					 km ? km[0] : KEYS_ALL, s};
	for (int y = qy - 1; y <= qy + 1; y++)
		if ((s = ys_of(w, y)) && s->n)
			r[n++] = (struct prange){s->post, s->meta, s->n, false,
						 km ? km[2 + y - qy] : KEYS_ALL, s};
	return n;
}

#define PRUNS_MAX 33 /* 64 groups, every other one walked, and a spare */

/* The runs [run[i][0], run[i][1]) of r to walk: its groups whose key
 * r->keys holds, neighbours joined; the others are not read.  Returns
 * how many. */
static int prange_runs(const struct prange *r, uint32_t (*run)[2])
{
	if (r->keys == KEYS_ALL || !r->ys) {
		run[0][0] = 0;
		run[0][1] = r->n;
		return 1;
	}
	int n = 0, i = 0;
	uint32_t start = 0;
	for (uint64_t ks = r->ys->keys; ks; ks &= ks - 1, i++) {
		uint32_t end = r->ys->gend[i];
		if (r->keys >> __builtin_ctzll(ks) & 1) {
			if (n && run[n - 1][1] == start)
				run[n - 1][1] = end;
			else if (end > start) {
				run[n][0] = start;
				run[n++][1] = end;
			}
		}
		start = end;
	}
	return n;
}

/* Postings of the words qt reaches that word_ranges() yields. */
static size_t qtok_cost(const struct qctx *c, const struct qtok *qt, int qy)
{
	struct prange r[4];
	size_t cost = 0;
	for (int i = 0; i < qt->nm; i++) {
		int nr = word_ranges(&c->ix->words[qt->m[i].word], qy, NULL, r);
		for (int k = 0; k < nr; k++)
			cost += r[k].n;
	}
	return cost;
}

/* similarity of query token i with entry word, and how */
static double tok_sim(const struct qctx *c, int i, uint32_t word,
		      const struct wrow *row, int *how)
{
	const struct qtok *qt = &c->q[i];
	const struct vword *w = &c->ix->words[word];

	if (row && row->sim[i] > 0) {
		*how = row->how[i];
		return row->sim[i];
	}
	if ((qt->t->flags & NAMES_TOK_INITIAL) || w->len == 1) {
		if (qt->t->s[0] == w->s[0]) {
			*how = SCREEN_INITIAL;
			return 0.6;
		}
		return 0;
	}
	/* every other pair within reach was found by expand_token() */
	return 0;
}

static double dob_points(const struct cal_date *q, const struct cal_date *e,
			 const char **how)
{
	int dy;

	*how = "";
	if (!q->prec || !e->prec)
		return 0;
	dy = q->year - e->year;
	if (q->prec == CAL_PREC_DAY && e->prec == CAL_PREC_DAY) {
		if (!dy && q->month == e->month && q->day == e->day)
			return *how = "exact", 20;
		if (!dy && q->month == e->day && q->day == e->month)
			return *how = "day_month_swapped", 14;
		if (abs(dy) == 1 && q->month == e->month && q->day == e->day)
			return *how = "year_off_by_one", 10;
		if (!dy && q->month == e->month)
			return *how = "day_differs", 4;
		if (!dy && q->day == e->day)
			return *how = "month_differs", 2;
	} else {
		bool mknown = q->month && e->month;
		if (!dy && (!mknown || q->month == e->month))
			return *how = "partial_compatible",
			       (q->prec >= CAL_PREC_MONTH &&
				e->prec >= CAL_PREC_MONTH) ? 14 : 10;
		if (!dy)
			return *how = "month_differs", 0;
		if (abs(dy) == 1)
			return *how = "year_off_by_one", 2;
	}
	if (abs(dy) <= 1)
		return *how = "close", -10;
	return *how = "different", -30;
}

static bool doc_match(const struct parsed *p, const char *docs)
{
	for (const char *d = docs; *d; d += strlen(d) + 1)
		for (int i = 0; i < p->ndocs; i++)
			if (strcmp(d, p->docs[i]) == 0)
				return true;
	return false;
}

/* Points of everything but the names (birth date, sex, nationality,
 * document): cheap, and enough to rule most namesakes out. */
static double other_bound(const struct qctx *c, uint32_t meta, bool doc)
{
	const char *bhow;
	struct cal_date d = meta_dob(meta);
	char sex = meta_sex(meta);
	double pts = dob_points(&c->p.dob, &d, &bhow);
	if (c->p.sex && sex && c->p.sex != sex)
		pts -= 12;
	if (c->p.nat[0])
		pts += 2; /* nationality is not in meta: assume it agrees */
	if (doc)
		pts += 40;
	return pts;
}

/* Upper bound of the name points of an entry whose blocking hits are
 * `bits` (order positions): every unmatched query token costs at least
 * MISSING_FACTOR times its capped weight, matched pairs at best their full
 * weight.  Only
 * valid when the entry has no initials (which match outside blocking). */
static double name_bound(const struct qctx *c, const int *order, int nb,
			 uint32_t bits)
{
	double hit = 0, unhit = 0;
	for (int k = 0; k < nb; k++) {
		const struct qtok *qt = &c->q[order[k]];
		if (bits & (1u << k))
			hit += qt->wmax;
		else
			unhit += qt->w < MISSING_CAP ? qt->w : MISSING_CAP;
	}
	for (int i = 0; i < c->nq; i++)
		if (!c->q[i].nm && !(c->q[i].t->flags & NAMES_TOK_INITIAL))
			unhit += c->q[i].w < MISSING_CAP ? c->q[i].w : MISSING_CAP;
	double b = hit > 0 ? 80.0 * hit / (hit + MISSING_FACTOR * unhit) : 0;
	/* an initial pair (0.6) can only pull the ratio towards 0.6 */
	if (c->ninitials && b < 48)
		b = 48;
	return b;
}

/*
 * A tighter bound of the name points, from the hit bits and the entry's
 * number of given names and surnames (meta): the query tokens an entry
 * leaves unmatched conflict with the entry tokens it leaves unmatched in
 * the same role, at the full weight of the lighter side, and every entry
 * token weighs at least wfloor.  For each set P of hit tokens that may be
 * matched, each orientation (swapped or not) and each split of the
 * matched entry tokens over the two roles, the cost per role r is at least
 *   max(0.2 mq_r, 0.2 n_r min(wfloor, 4), n_r ? min(uq_r, n_r wfloor) : 0)
 * (uq_r / mq_r: unmatched query weight, plain / capped; n_r: unmatched
 * entry tokens), since score_entry() charges min(uq_r, ue_r) + 0.2 |mq_r -
 * me_r|.  The bound is the best ratio over all of them.  Memoized per
 * (bits, counts): a query sees few distinct ones.
 */
/* The ys_key() groups of the slices word_ranges() yields for a query born
 * in qy (km[0]: unknown year; km[1..3]: qy - 1, qy, qy + 1) that can hold
 * an entry whose other_bound() reaches need: the best the birth date can
 * give over the group's possible dates (a day-precision date is only
 * compared to the query's day and month, so those two and one other day
 * stand for all), the sex and the nationality as other_bound() adds
 * them. */
static void walk_keys(const struct qctx *c, int qy, double need, uint64_t *km)
{
	const struct cal_date *q = &c->p.dob;
	int odd = 1;
	while (odd == q->day || odd == q->month)
		odd++;
	const int days[3] = {q->day, q->month, odd};
	for (int sl = 0; sl < 4; sl++) {
		km[sl] = 0;
		for (int mo = 0; mo < 16; mo++) {
			double best = -1e9;
			const char *how;
			if (sl == 0 || mo > 12) {
				best = mo ? 1e9 : 0; /* none such: keep */
			} else {
				int y = qy + sl - 2;
				struct cal_date d = {y, mo, 0, mo ? CAL_PREC_MONTH : CAL_PREC_YEAR};
				best = dob_points(q, &d, &how);
				for (int i = 0; mo && i < 3; i++) {
					if (days[i] < 1 || days[i] > 31)
						continue;
					d = (struct cal_date){y, mo, days[i], CAL_PREC_DAY};
					double pts = dob_points(q, &d, &how);
					if (pts > best)
						best = pts;
				}
			}
			for (int sx = 0; sx < 4; sx++) {
				double pts = best;
				char sex = sx == 1 ? 'M' : sx == 2 ? 'F' : 0;
				if (c->p.sex && sex && c->p.sex != sex)
					pts -= 12;
				if (c->p.nat[0])
					pts += 2;
				if (!(pts < need))
					km[sl] |= 1ull << (mo | sx << 4);
			}
		}
	}
}

#define RB_MAXNB 6

static double role_bound(struct qctx *c, const int *order, int nb,
			 uint32_t bits, uint32_t meta)
{
	int E[2] = {(int)(meta >> 26 & 7), (int)(meta >> 29 & 7)};
	size_t key = (size_t)bits << 6 | (meta >> 26 & 63);
	if (c->rbmemo[key] > 0)
		return c->rbmemo[key] - 1;
	double best = 0, wf = c->wfloor, wf4 = wf < MISSING_CAP ? wf : MISSING_CAP;
	for (uint32_t P = bits;; P = (P - 1) & bits) {
		int np = 0;
		double W = 0;
		for (int k = 0; k < nb; k++)
			if (P & (1u << k)) {
				np++;
				W += c->q[order[k]].wmax;
			}
		for (int sw = 0; W > 0 && np <= E[0] + E[1] && sw < 2; sw++) {
			double uq[2] = {0, 0}, mq[2] = {0, 0};
			for (int i = 0; i < c->nq; i++) {
				bool matched = false;
				for (int k = 0; k < nb; k++)
					matched |= order[k] == i && (P & (1u << k));
				if (matched)
					continue;
				int r = (c->q[i].t->role ^ sw) & 1;
				uq[r] += c->q[i].w;
				mq[r] += c->q[i].w < MISSING_CAP ? c->q[i].w : MISSING_CAP;
			}
			int lo = np - E[1] > 0 ? np - E[1] : 0,
			    hi = np < E[0] ? np : E[0];
			for (int pg = lo; pg <= hi; pg++) {
				int n[2] = {E[0] - pg, E[1] - (np - pg)};
				double C = 0;
				for (int r = 0; r < 2; r++) {
					double f = MISSING_FACTOR * mq[r], g;
					g = MISSING_FACTOR * n[r] * wf4;
					if (g > f)
						f = g;
					if (n[r]) {
						g = uq[r] < n[r] * wf ? uq[r] : n[r] * wf;
						if (g > f)
							f = g;
					}
					C += f;
				}
				if (W / (W + C) > best)
					best = W / (W + C);
			}
		}
		if (!P)
			break;
	}
	best *= 80.0;
	c->rbmemo[key] = (float)(best + 1.0) + 1e-4f; /* rounded up */
	return best;
}

/* Scores entry slot; fills hit when non-NULL. */
static int score_entry(const struct qctx *c, uint32_t slot,
		       struct screen_hit *hit, bool explain)
{
	const struct screen_index *ix = c->ix;
	const struct entry *e = &ix->ent[slot];
	double sim[NAMES_MAX_TOKENS][NAMES_MAX_TOKENS];
	int how[NAMES_MAX_TOKENS][NAMES_MAX_TOKENS];
	int qa[NAMES_MAX_TOKENS], ea[NAMES_MAX_TOKENS];
	double ew[NAMES_MAX_TOKENS];
	int nq = c->nq, ne = e->ntok, same = 0, cross = 0;

	for (int j = 0; j < ne; j++) {
		ea[j] = -1;
		ew[j] = e->tok[j] < ix->nwords && ix->words[e->tok[j]].len == 1
				? 0.5
				: idf(ix, e->tok[j]);
	}
	for (int i = 0; i < nq; i++)
		qa[i] = -1;
	for (int j = 0; j < ne; j++) {
		const struct wrow *row = wrow_get((struct qctx *)c, e->tok[j], false);
		for (int i = 0; i < nq; i++)
			sim[i][j] = tok_sim(c, i, e->tok[j], row, &how[i][j]);
	}
	/* greedy one-to-one alignment, best weighted pairs first */
	for (;;) {
		double best = 0;
		int bi = -1, bj = -1;
		for (int i = 0; i < nq; i++) {
			if (qa[i] >= 0)
				continue;
			for (int j = 0; j < ne; j++)
				if (ea[j] < 0 && sim[i][j] * ew[j] > best) {
					best = sim[i][j] * ew[j];
					bi = i;
					bj = j;
				}
		}
		if (bi < 0)
			break;
		qa[bi] = bj;
		ea[bj] = bi;
		if (c->q[bi].t->role == (e->roles >> bj & 1))
			same++;
		else
			cross++;
	}
	bool swapped = cross > same;
	/* unmatched weights per role: full (u*) for conflicts, capped (m*)
	 * for tokens that are only missing - a dropped rare surname is the
	 * usual way records differ, not evidence of another person */
	double S = 0, W = 0, uq[2] = {0, 0}, ue[2] = {0, 0}, mq[2] = {0, 0},
	       me[2] = {0, 0};
	for (int i = 0; i < nq; i++) {
		int r = c->q[i].t->role ^ (swapped ? 1 : 0);
		if (qa[i] < 0) {
			double w = (c->q[i].t->flags & NAMES_TOK_INITIAL) ? 0.5
									 : c->q[i].w;
			uq[r] += w;
			mq[r] += w < MISSING_CAP ? w : MISSING_CAP;
		} else {
			S += sim[i][qa[i]] * ew[qa[i]];
			W += ew[qa[i]];
		}
	}
	for (int j = 0; j < ne; j++)
		if (ea[j] < 0) {
			ue[e->roles >> j & 1] += ew[j];
			me[e->roles >> j & 1] += ew[j] < MISSING_CAP ? ew[j] : MISSING_CAP;
		}
	double conflict = 0, missing = 0;
	for (int r = 0; r < 2; r++) {
		conflict += uq[r] < ue[r] ? uq[r] : ue[r];
		missing += fabs(mq[r] - me[r]);
	}
	double denom = W + conflict + MISSING_FACTOR * missing;
	double name = denom > 0 ? S / denom : 0;
	double namepts = 80.0 * name;

	const char *bhow;
	struct cal_date edob = meta_dob(e->meta);
	double bpts = dob_points(&c->p.dob, &edob, &bhow);
	char esex = meta_sex(e->meta);
	double spts = (c->p.sex && esex && c->p.sex != esex) ? -12 : 0;
	double npts = 0;
	if (c->p.nat[0] && e->nat[0])
		npts = strncmp(c->p.nat, e->nat, 3) == 0 ? 2 : -6;
	bool dm = false;
	if (c->ndslot < 0)
		dm = c->p.ndocs && doc_match(&c->p, ix->cold[slot].docs);
	for (int i = 0; i < c->ndslot && !dm; i++)
		dm = c->dslot[i] == slot; /* e->docs not read: a cache miss */
	double dpts = dm ? 40 : 0;
	double total = namepts + bpts + spts + npts + dpts;
	int score = (int)lround(total < 0 ? 0 : total > 100 ? 100 : total);

	if (!hit)
		return score;
	memset(hit, 0, offsetof(struct screen_hit, pairs));
	hit->npairs = hit->nunmatched_query = hit->nunmatched_entry = 0;
	snprintf(hit->id, sizeof(hit->id), "%s", ix->cold[slot].blob);
	snprintf(hit->category, sizeof(hit->category), "%s", ix->cold[slot].category);
	snprintf(hit->record_ref, sizeof(hit->record_ref), "%s", ix->cold[slot].ref);
	hit->score = score;
	hit->name_points = namepts;
	hit->birth_points = bpts;
	hit->birth_how = bhow;
	hit->sex_points = spts;
	hit->nationality_points = npts;
	hit->document_points = dpts;
	hit->document_match = dm;
	hit->swapped = swapped;
	if (!explain)
		return score;
	for (int i = 0; i < nq; i++) {
		if (qa[i] < 0) {
			memcpy(hit->unmatched_query[hit->nunmatched_query++],
			       c->q[i].t->s, c->q[i].t->len + 1u);
			continue;
		}
		int j = qa[i];
		struct screen_pair *pr = &hit->pairs[hit->npairs++];
		memcpy(pr->query, c->q[i].t->s, c->q[i].t->len + 1u);
		memcpy(pr->entry, ix->words[e->tok[j]].s,
		       ix->words[e->tok[j]].len + 1u);
		pr->how = (uint8_t)how[i][j];
		pr->similarity = sim[i][j];
		pr->weight = ew[j];
		pr->points = denom > 0 ? 80.0 * sim[i][j] * ew[j] / denom : 0;
	}
	for (int j = 0; j < ne; j++)
		if (ea[j] < 0)
			memcpy(hit->unmatched_entry[hit->nunmatched_entry++],
			       ix->words[e->tok[j]].s,
			       ix->words[e->tok[j]].len + 1u);
	return score;
}

/* candidate set: slot -> token mask, and the list of slots in it.  Small
 * sets are an open-addressing hash; large ones (common names on a big list)
 * a dense array indexed by slot, which posting lists (sorted) fill almost
 * sequentially - far fewer cache misses than hashing 100,000 slots. */
#define CSET_DENSE_FROM 16384

struct cset {
	bool dense;
	uint32_t *key; /* hash: slot + 1 */
	uint16_t *mask;
	uint32_t *meta; /* hash: the slot's meta, saved from the posting
			   walked so that the candidate loop need not read
			   ix->meta at random */
	size_t cap;
	uint32_t *list; /* distinct slots, in insertion order */
	size_t n;
	bool cleared; /* dense: every mask back to zero */
	/* hash: a bit per (slot mod 64 * fwords) present, in L1: walking a
	 * common token's list against the candidates mostly meets absent
	 * slots, which this rules out without probing the table.  Sized to
	 * the set (32 bits per table slot, at most 64 Ki bits): clearing the
	 * whole 8 KiB for every query was 2 % of a manifest's screening. */
	uint64_t filt[1024];
	uint32_t fmask; /* fwords - 1 */
};

static inline bool cset_maybe(const struct cset *s, uint32_t slot)
{
	return s->filt[slot >> 6 & s->fmask] >> (slot & 63) & 1;
}

/* A set for up to n candidates among nslots, its list (and when dense
 * its mask) lent by b. */
static int cset_init(struct cset *s, size_t n, size_t nslots,
		     struct scratch *b)
{
	memset(s, 0, offsetof(struct cset, filt));
	s->fmask = 0;
	if (b->nlist < n + 1) {
		free(b->list);
		b->nlist = 0;
		if (!(b->list = malloc((n + 1) * sizeof(*b->list))))
			return SIGM_ENOMEM;
		b->nlist = n + 1;
	}
	s->list = b->list;
	if (n >= CSET_DENSE_FROM) {
		s->dense = true;
		s->cap = nslots;
		if (b->nmask < nslots + 1) {
			free(b->mask);
			b->nmask = 0;
			if (!(b->mask = calloc(nslots + 1, sizeof(*b->mask))))
				return SIGM_ENOMEM;
			b->nmask = nslots + 1;
		}
		s->mask = b->mask;
		return 0;
	}
	s->cap = 64;
	while (s->cap < n * 2)
		s->cap *= 2;
	size_t fwords = s->cap / 2 < 1024 ? s->cap / 2 : 1024;
	memset(s->filt, 0, fwords * sizeof(s->filt[0]));
	s->fmask = (uint32_t)fwords - 1;
	s->key = calloc(s->cap, sizeof(*s->key));
	s->mask = malloc(s->cap * sizeof(*s->mask));
	s->meta = malloc(s->cap * sizeof(*s->meta));
	return s->key && s->mask && s->meta ? 0 : SIGM_ENOMEM;
}

/* Leaves a lent dense mask zero again: the slots still set are those of
 * the list, unless the candidate pass (which reuses the list for its
 * survivors) cleared them. */
static void cset_release(struct cset *s)
{
	if (s->dense) {
		if (!s->cleared)
			for (size_t i = 0; i < s->n; i++)
				s->mask[s->list[i]] = 0;
	} else {
		free(s->key);
		free(s->mask);
		free(s->meta);
	}
}

/* The mask of slot; with add, inserts it (mask 0) when absent.  NULL when
 * absent and not added. */
static uint16_t *cset_ref(struct cset *s, uint32_t slot, bool add)
{
	if (s->dense) {
		uint16_t *m = &s->mask[slot];
		if (!*m) {
			if (!add)
				return NULL;
			s->list[s->n++] = slot;
		}
		return m;
	}
	uint64_t fb = 1ull << (slot & 63);
	uint64_t *fw = &s->filt[slot >> 6 & s->fmask];
	if (!add && !(*fw & fb))
		return NULL;
	size_t h = (slot * 2654435761u) & (s->cap - 1);
	while (s->key[h] && s->key[h] != slot + 1)
		h = (h + 1) & (s->cap - 1);
	if (!s->key[h]) {
		if (!add)
			return NULL;
		*fw |= fb;
		s->key[h] = slot + 1;
		s->mask[h] = 0;
		s->list[s->n++] = slot;
	}
	return &s->mask[h];
}

static void cset_add(struct cset *s, uint32_t slot, uint16_t bit,
		     uint32_t meta)
{
	uint16_t *m = cset_ref(s, slot, true);
	if (!*m && s->meta)
		s->meta[m - s->mask] = meta;
	*m |= bit;
}

static int popcount16(uint16_t v)
{
	int n = 0;
	for (; v; v &= (uint16_t)(v - 1))
		n++;
	return n;
}

struct scored {
	int score;
	uint32_t slot;
};

static int cmp_scored(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int cmp_cost(const void *a, const void *b, void *ctx)
{
	const struct qctx *c = ctx;
	size_t x = c->q[*(const int *)a].cost, y = c->q[*(const int *)b].cost;
	return x < y ? -1 : x > y;
}

/* screen_query(), or with exhaustive every live entry a candidate and no
 * pruning (screen_query_exhaustive). */
static int query(struct screen_index *ix, const struct screen_person *qp,
		 const struct screen_opts *o, struct screen_result *res,
		 struct sigm_error *err, bool exhaustive)
{
	struct qctx *c = NULL;
	struct cset cs = {0};
	struct scored *sc = NULL;
	size_t nsc = 0, csc = 0;
	int rc, order[NAMES_MAX_TOKENS], nb = 0, top;
	bool locked = false;

	memset(res, 0, sizeof(*res));
	struct scratch *scr = scratch_get(ix);
	if (scr && !scr->qc)
		scr->qc = malloc(sizeof(*scr->qc));
	if (!scr || !scr->qc) {
		if (scr)
			scratch_put(ix, scr);
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "memoria insuficiente");
	}
	c = scr->qc;
	memset(c, 0, sizeof(*c));
	rc = parse_person(qp, &c->p, err);
	if (rc)
		goto out;
	if (!has_name(&c->p) && !c->p.ndocs) {
		rc = sigm_error_set(err, SIGM_EINVAL, "empty_name", "surnames",
				    "la consulta no tiene nombre (más que iniciales) ni documento");
		goto out;
	}
	top = o->top < 1 ? 10 : o->top > SCREEN_TOP_MAX ? SCREEN_TOP_MAX
							: o->top;
	c->ix = ix;
	pthread_rwlock_rdlock(&ix->lock);
	locked = true;
	c->maxw = log((double)ix->live + 1.0) + 1.0;
	c->nq = c->p.names.n;
	for (int i = 0; i < c->nq; i++) {
		c->q[i].t = &c->p.names.tok[i];
		c->q[i].w = c->maxw;
		if (c->q[i].t->flags & NAMES_TOK_INITIAL) {
			c->ninitials++;
			continue;
		}
		expand_token(c, &c->q[i], o->memo);
		for (int k = 0; k < c->q[i].nm; k++) {
			struct wrow *row = wrow_get(c, c->q[i].m[k].word, true);
			row->sim[i] = c->q[i].m[k].sim;
			row->how[i] = c->q[i].m[k].how;
		}
		bool dup = false; /* "Hernández Hernández" blocks once */
		for (int k = 0; k < i; k++)
			dup |= strcmp(c->q[k].t->s, c->q[i].t->s) == 0;
		if (c->q[i].nm && !dup && !exhaustive)
			order[nb++] = i;
	}
	c->wfloor = ix->loglive - (double)(float)log((double)ix->maxpost + 1.0) +
		    1.0 - 1e-6;
	if (c->wfloor < 1.0)
		c->wfloor = 1.0;
	c->rolebound = !c->ninitials && nb <= RB_MAXNB && !exhaustive;
	for (int i = 0; i < c->nq; i++) {
		bool inb = false; /* a token with matches but not blocking is a
				     repeated one: it can match outside the bits */
		for (int k = 0; k < nb; k++)
			inb |= order[k] == i;
		if (c->q[i].nm && !inb)
			c->rolebound = false;
	}
	/* what the other parts can add at best: birth date +20 when the query
	 * has one, nationality +2; a document match comes through docmap */
	int qy = c->p.dob.prec ? c->p.dob.year : 0;
	double maxother = (qy ? 20 : 0) + (c->p.nat[0] ? 2 : 0);
	/* a known birth year two or more years off costs 30 points: such
	 * entries cannot reach a threshold above 80 - 30 + 2 */
	bool yf = qy && o->threshold - 0.5 > 52;
	int yq = yf ? qy : 0; /* the year the walks may restrict to */
	for (int k = 0; k < nb; k++)
		c->q[order[k]].cost = qtok_cost(c, &c->q[order[k]], yq);
	/* rarest first: enumerate the nb-m+1 cheapest tokens, probe the rest */
	if (nb)
		qsort_r(order, (size_t)nb, sizeof(int), cmp_cost, c);
	int m = nb >= 2 ? 2 : 1;
	/* fewest hits that can reach the threshold: the heaviest tokens hit */
	if (nb >= 2 && o->threshold > 0) {
		int byw[NAMES_MAX_TOKENS];
		memcpy(byw, order, sizeof(int) * (size_t)nb);
		for (int a = 1; a < nb; a++)
			for (int b = a; b > 0 && c->q[byw[b]].wmax > c->q[byw[b - 1]].wmax; b--) {
				int t = byw[b];
				byw[b] = byw[b - 1];
				byw[b - 1] = t;
			}
		for (int h = 1; h <= nb; h++) {
			uint32_t bits = 0;
			for (int a = 0; a < h; a++)
				for (int k = 0; k < nb; k++)
					if (order[k] == byw[a])
						bits |= 1u << k;
			if (name_bound(c, order, nb, bits) + maxother >=
			    o->threshold - 0.5) {
				if (h > m)
					m = h;
				break;
			}
			if (h == nb)
				m = nb;
		}
	}
	int nenum = nb ? nb - m + 1 : 0;
	bool probed[NAMES_MAX_TOKENS] = {false};
	/* threshold-aware blocking: the most common tokens C need not be
	 * walked when an entry hitting only C cannot reach the threshold even
	 * with a perfect birth date and nationality (+22); then enumerating
	 * the other tokens is enough, and often far cheaper */
	if (nb >= 2 && o->threshold > maxother) {
		uint32_t cbits = 0;
		int nc = 0;
		for (int k = nb - 1; k >= 1; k--) {
			uint32_t tryb = cbits | (1u << k);
			/* bound of an entry hitting every token of C */
			double ub = name_bound(c, order, nb, tryb);
			if (ub + maxother >= o->threshold - 0.5)
				break;
			cbits = tryb;
			nc++;
		}
		size_t cost1 = 0, cost2 = 0;
		for (int k = 0; k < nb; k++) {
			if (k < nenum)
				cost1 += c->q[order[k]].cost;
			if (k < nb - nc)
				cost2 += c->q[order[k]].cost;
		}
		if (nc && cost2 < cost1)
			nenum = nb - nc;
	}
	/* walk filter: an entry whose birth date and sex keep it below the
	 * threshold even with every name token hit is dropped while the lists
	 * are walked (the candidate loop below would prune it) */
	bool wf = nb > 0 && !exhaustive;
	double wneed = o->threshold - 0.5 -
		       name_bound(c, order, nb, (1u << nb) - 1),
	       wneed_i = o->threshold - 0.5 - 80;
	/* the groups of the year slices that walk filter rules out whole */
	uint64_t km[4];
	const uint64_t *kmp = NULL;
	if (wf && yq && c->p.dob.prec) {
		walk_keys(c, qy, wneed < wneed_i ? wneed : wneed_i, km);
		kmp = km;
	}
	size_t total = 0;
	for (int k = 0; k < nenum; k++)
		total += c->q[order[k]].cost;
	size_t ndocs_max = 0;
	for (int d = 0; d < c->p.ndocs; d++)
		for (uint32_t x = hmap_get(&ix->docmap,
					   hash_bytes(c->p.docs[d], strlen(c->p.docs[d])));
		     x; x = ix->nodes.v[x - 1].next)
			ndocs_max++;
	if (exhaustive)
		total = ix->nent;
	if (cset_init(&cs, total + ndocs_max + 8, ix->nent, scr)) {
		rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				    "memoria insuficiente");
		goto out;
	}
	for (int k = 0; k < nenum; k++) {
		const struct qtok *qt = &c->q[order[k]];
		for (int x = 0; x < qt->nm; x++) {
			struct prange r[4];
			int nr = word_ranges(&ix->words[qt->m[x].word], yq, kmp, r);
			uint32_t run[PRUNS_MAX][2];
			for (int ri = 0; ri < nr; ri++) {
				const struct prange *pr = &r[ri];
				int nu = prange_runs(pr, run);
				for (int u = 0; u < nu; u++) {
					res->walked += run[u][1] - run[u][0];
					for (uint32_t p = run[u][0]; p < run[u][1]; p++) {
						uint32_t mt = pr->meta[p];
						if (pr->yfilter) {
							int y = meta_year(mt);
							if (y && (y > qy + 1 || y < qy - 1))
								continue;
						}
						/* the bound the candidate loop
						 * applies, with every token hit:
						 * read here in sequence rather
						 * than there at random */
						if (wf && other_bound(c, mt, false) <
								  ((mt >> 25 & 1) ? wneed_i : wneed))
							continue;
						cset_add(&cs, pr->post[p],
							 (uint16_t)(1u << k), mt);
					}
				}
			}
		}
	}
	/* exact documents are candidates whatever the names say */
	for (int d = 0; d < c->p.ndocs; d++)
		for (uint32_t x = hmap_get(&ix->docmap,
					   hash_bytes(c->p.docs[d],
						      strlen(c->p.docs[d])));
		     x; x = ix->nodes.v[x - 1].next) {
			uint32_t slot = ix->nodes.v[x - 1].val;
			if (!(ix->ent[slot].flags & ENT_LIVE))
				continue;
			cset_add(&cs, slot, 0x8000, ix->meta[slot]);
			if (c->ndslot >= 0 && doc_match(&c->p, ix->cold[slot].docs)) {
				bool dup = false;
				for (int i = 0; i < c->ndslot; i++)
					dup |= c->dslot[i] == slot;
				if (dup)
					continue;
				if (c->ndslot < 16)
					c->dslot[c->ndslot++] = slot;
				else
					c->ndslot = -1;
			}
		}
	for (uint32_t slot = 0; exhaustive && slot < ix->nent; slot++)
		if (ix->ent[slot].flags & ENT_LIVE)
			cset_add(&cs, slot, 0x8000, ix->meta[slot]);
	/* the remaining, more common tokens: walk a list when that is cheaper
	 * than probing each candidate short of m hits by binary search */
	size_t ncand = cs.n;
	for (int k = nenum; k < nb; k++) {
		const struct qtok *qt = &c->q[order[k]];
		size_t probe = ncand * (cs.dense ? 64 : (size_t)qt->nm * 16);
		if (qt->cost > probe)
			continue; /* probed below */
		for (int x = 0; x < qt->nm; x++) {
			/* only raise candidates already present (the slices
			 * hold every name candidate; a document candidate
			 * born years away needs no name bits) */
			struct prange r[4];
			int nr = word_ranges(&ix->words[qt->m[x].word], yq, kmp, r);
			uint32_t run[PRUNS_MAX][2];
			for (int ri = 0; ri < nr; ri++) {
				int nu = prange_runs(&r[ri], run);
				for (int u = 0; u < nu; u++) {
					const uint32_t *post = r[ri].post;
					res->walked += run[u][1] - run[u][0];
					for (uint32_t p = run[u][0]; p < run[u][1]; p++) {
						uint32_t sl = post[p];
						if (!cs.dense && !cset_maybe(&cs, sl))
							continue; /* absent: no call */
						uint16_t *mp = cset_ref(&cs, sl, false);
						if (mp)
							*mp |= (uint16_t)(1u << k);
					}
				}
			}
		}
		probed[k] = true;
	}
	/* Two passes over the candidates, both bound by memory latency (an
	 * entry of a million-entry list is a cache miss, and common names
	 * without a birth date leave tens of thousands): the first applies
	 * the bounds and keeps the survivors in cs.list, the second scores
	 * them; both prefetch what they will read a few candidates ahead so
	 * that the misses overlap. */
	size_t nsurv = 0;
	for (size_t ci = 0; ci < cs.n; ci++) {
		if (!cs.meta && ci + 16 < cs.n)
			__builtin_prefetch(&ix->meta[cs.list[ci + 16]]);
		uint32_t slot = cs.list[ci];
		uint16_t *mp = cset_ref(&cs, slot, false), mk = *mp;
		uint32_t meta = cs.meta ? cs.meta[mp - cs.mask] : ix->meta[slot];
		if (cs.dense)
			*mp = 0; /* read for the last time (cset_release) */
		for (int k = nenum; k < nb && !(mk & 0x8000); k++)
			if (!probed[k] && popcount16(mk & 0x7fff) < m &&
			    qtok_has(c, &c->q[order[k]], slot, meta))
				mk |= (uint16_t)(1u << k);
		if (popcount16(mk & 0x7fff) < m && !(mk & 0x8000))
			continue;
		bool docbit = mk & 0x8000;
		uint32_t all = mk & 0x7fff;
		for (int k = nenum; k < nb; k++)
			if (!probed[k])
				all |= 1u << k; /* probes stop at m hits */
		/* bound from the hits alone, before touching the entry */
		double ub = name_bound(c, order, nb, all);
		if (!docbit && ub + maxother < o->threshold - 0.5) {
			res->pruned++;
			continue;
		}
		if ((meta >> 25 & 1) || docbit)
			ub = 80; /* initials match outside blocking; a document
				    candidate may have lost its name bits to
				    the birth-year filter */
		else if (c->rolebound) {
			double rb = role_bound(c, order, nb, all, meta);
			if (rb < ub)
				ub = rb;
		}
		if (!exhaustive &&
		    ub + other_bound(c, meta, docbit) < o->threshold - 0.5) {
			res->pruned++;
			continue;
		}
		cs.list[nsurv++] = slot; /* nsurv <= ci: read already */
	}
	cs.cleared = true;
	for (size_t si = 0; si < nsurv; si++) {
		if (si + 8 < nsurv)
			__builtin_prefetch(&ix->ent[cs.list[si + 8]]);
		if (si + 4 < nsurv) { /* the vocabulary words score_entry weighs */
			const struct entry *pe = &ix->ent[cs.list[si + 4]];
			for (int j = 0; j < pe->ntok && j < NAMES_MAX_TOKENS; j++)
				__builtin_prefetch(&ix->words[pe->tok[j]]);
		}
		uint32_t slot = cs.list[si];
		if (!ent_valid(ix, slot, o->on))
			continue;
		res->candidates++;
		int s = score_entry(c, slot, NULL, false);
		if (s < o->threshold)
			continue;
		if (nsc == csc) {
			size_t ncap = csc ? csc * 2 : 64;
			struct scored *ns = realloc(sc, ncap * sizeof(*sc));
			if (!ns) {
				rc = sigm_error_set(err, SIGM_ENOMEM,
						    "out_of_memory", NULL,
						    "memoria insuficiente");
				goto out;
			}
			sc = ns;
			csc = ncap;
		}
		sc[nsc++] = (struct scored){s, slot};
	}
	if (nsc)
		qsort(sc, nsc, sizeof(*sc), cmp_scored);
	if (nsc > (size_t)top)
		nsc = (size_t)top;
	if (nsc) {
		res->hits = calloc(nsc, sizeof(*res->hits));
		if (!res->hits) {
			rc = sigm_error_set(err, SIGM_ENOMEM, "out_of_memory",
					    NULL, "memoria insuficiente");
			goto out;
		}
		for (size_t i = 0; i < nsc; i++)
			score_entry(c, sc[i].slot, &res->hits[i], o->explain);
		res->n = (int)nsc;
	}
out:
	if (locked)
		pthread_rwlock_unlock(&ix->lock);
	cset_release(&cs);
	scratch_put(ix, scr);
	free(sc);
	return rc;
}

int screen_query(struct screen_index *ix, const struct screen_person *qp,
		 const struct screen_opts *o, struct screen_result *res,
		 struct sigm_error *err)
{
	return query(ix, qp, o, res, err, false);
}

int screen_query_exhaustive(struct screen_index *ix,
			    const struct screen_person *qp,
			    const struct screen_opts *o,
			    struct screen_result *res, struct sigm_error *err)
{
	return query(ix, qp, o, res, err, true);
}

void screen_result_release(struct screen_result *res)
{
	if (!res)
		return;
	free(res->hits);
	memset(res, 0, sizeof(*res));
}
