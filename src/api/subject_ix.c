/* subject_ix.c - exact registry keys in memory; see subject_ix.h. */
#include "api/subject_ix.h"

#include "store/persons.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The four ways to reach a record: by id (replace, remove), by folded
 * surnames and birth year, by document number, by DUI. */
enum { T_ID, T_NAME, T_DOC, T_DUI, T_N };

struct xrec {
	struct xrec *next[T_N];
	uint64_t h[T_N]; /* 0: not in that table */
	int64_t id;
	enum subject_kind kind;
	char birth[11];
	const char *surn, *given, *doc, *dui; /* point into the allocation */
};

struct subject_ix {
	pthread_rwlock_t lock;
	struct xrec **b[T_N];
	size_t nb; /* buckets per table, a power of two */
	size_t count;
	int64_t seen[SUBJECT_NKINDS]; /* subject_ix_seen */
};

static uint64_t mix(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	h ^= 0xff; /* field separator */
	h *= 0x100000001b3ULL;
	return h;
}

static uint64_t key(enum subject_kind kind, const char *a, const char *b)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)(kind + 1);
	h = mix(h, a);
	if (b)
		h = mix(h, b);
	return h ? h : 1;
}

static uint64_t id_key(enum subject_kind kind, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ULL ^ (uint64_t)kind;
	return h ? h : 1;
}

/* How much of a birth date is known: the year, the year and month, or
 * the whole date.  The booth takes an MRZ's unknown parts as "XX" or "00"
 * (1980-XX-XX, 1980-05-00): compared as written, «1980-XX-XX» agreed with
 * no date of the registry, and an exit ban on Tomás born 1980-05-17 was
 * not found for the Tomás whose passport gives 1980-XX-XX, while «1980»
 * was.  0 when not even the year is known. */
size_t subject_birth_known(const char *b)
{
	size_t n = b ? strlen(b) : 0;
	if (n < 4 || !isdigit((unsigned char)b[0]) || !isdigit((unsigned char)b[1]) ||
	    !isdigit((unsigned char)b[2]) || !isdigit((unsigned char)b[3]))
		return 0;
	if (n < 7 || (b[5] == 'X' || b[5] == 'x') || (b[5] == '0' && b[6] == '0'))
		return 4;
	if (n < 10 || (b[8] == 'X' || b[8] == 'x') || (b[8] == '0' && b[9] == '0'))
		return 7;
	return n;
}

/* A year key only when the date has one: "" dates never match by name. */
static void year_of(const char *birth, char out[5])
{
	out[0] = 0;
	if (birth && strlen(birth) >= 4) {
		memcpy(out, birth, 4);
		out[4] = 0;
	}
}

int subject_ix_new(struct subject_ix **out, struct sigm_error *err)
{
	struct subject_ix *ix = calloc(1, sizeof(*ix));
	if (!ix)
		goto fail;
	ix->nb = 1024;
	for (int t = 0; t < T_N; t++)
		if (!(ix->b[t] = calloc(ix->nb, sizeof(*ix->b[t]))))
			goto fail;
	pthread_rwlock_init(&ix->lock, NULL);
	*out = ix;
	return 0;
fail:
	if (ix)
		for (int t = 0; t < T_N; t++)
			free(ix->b[t]);
	free(ix);
	return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
			      "memoria insuficiente");
}

void subject_ix_free(struct subject_ix **ixp)
{
	struct subject_ix *ix = *ixp;
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nb; i++)
		for (struct xrec *r = ix->b[T_ID][i], *n; r; r = n) {
			n = r->next[T_ID];
			free(r);
		}
	for (int t = 0; t < T_N; t++)
		free(ix->b[t]);
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
	*ixp = NULL;
}

static void link_rec(struct subject_ix *ix, struct xrec *r)
{
	for (int t = 0; t < T_N; t++) {
		if (!r->h[t])
			continue;
		struct xrec **head = &ix->b[t][r->h[t] & (ix->nb - 1)];
		r->next[t] = *head;
		*head = r;
	}
}

static void unlink_rec(struct subject_ix *ix, struct xrec *r)
{
	for (int t = 0; t < T_N; t++) {
		if (!r->h[t])
			continue;
		for (struct xrec **p = &ix->b[t][r->h[t] & (ix->nb - 1)]; *p;
		     p = &(*p)->next[t])
			if (*p == r) {
				*p = r->next[t];
				break;
			}
	}
}

static struct xrec *find(struct subject_ix *ix, enum subject_kind kind,
			 int64_t id)
{
	uint64_t h = id_key(kind, id);
	for (struct xrec *r = ix->b[T_ID][h & (ix->nb - 1)]; r; r = r->next[T_ID])
		if (r->kind == kind && r->id == id)
			return r;
	return NULL;
}

/* Doubles the tables; on failure the index stays as it was (slower). */
static void grow(struct subject_ix *ix)
{
	size_t nb = ix->nb * 2;
	struct xrec **nt[T_N] = {0};
	for (int t = 0; t < T_N; t++)
		if (!(nt[t] = calloc(nb, sizeof(*nt[t])))) {
			for (int k = 0; k < t; k++)
				free(nt[k]);
			return;
		}
	struct xrec *all = NULL;
	for (size_t i = 0; i < ix->nb; i++)
		for (struct xrec *r = ix->b[T_ID][i], *n; r; r = n) {
			n = r->next[T_ID];
			r->next[T_ID] = all; /* a temporary list through T_ID */
			all = r;
		}
	for (int t = 0; t < T_N; t++) {
		free(ix->b[t]);
		ix->b[t] = nt[t];
	}
	ix->nb = nb;
	for (struct xrec *r = all, *n; r; r = n) {
		n = r->next[T_ID];
		link_rec(ix, r);
	}
}

static char *put_str(char **at, const char *s)
{
	char *p = *at;
	size_t n = strlen(s) + 1;
	memcpy(p, s, n);
	*at += n;
	return p;
}

int subject_ix_put(struct subject_ix *ix, const struct subject_rec *in,
		   struct sigm_error *err)
{
	char surn[256], given[256], year[5];
	persons_surnames_key(in->surnames, surn, sizeof(surn));
	persons_surnames_key(in->given_names, given, sizeof(given));
	year_of(in->birth_date, year);
	const char *doc = in->document_number && *in->document_number ? in->document_number : "";
	const char *dui = in->dui && *in->dui ? in->dui : "";
	size_t extra = strlen(surn) + strlen(given) + strlen(doc) + strlen(dui) + 4;
	struct xrec *r = calloc(1, sizeof(*r) + extra);
	if (!r)
		return sigm_error_set(err, SIGM_ENOMEM, "out_of_memory", NULL,
				      "memoria insuficiente");
	char *at = (char *)(r + 1);
	r->id = in->id;
	r->kind = in->kind;
	r->surn = put_str(&at, surn);
	r->given = put_str(&at, given);
	r->doc = put_str(&at, doc);
	r->dui = put_str(&at, dui);
	snprintf(r->birth, sizeof(r->birth), "%s", in->birth_date ? in->birth_date : "");
	r->h[T_ID] = id_key(in->kind, in->id);
	/* api_subject_matches needs both names and a birth date */
	if (surn[0] && given[0] && year[0])
		r->h[T_NAME] = key(in->kind, surn, year);
	if (doc[0])
		r->h[T_DOC] = key(in->kind, doc, NULL);
	if (dui[0])
		r->h[T_DUI] = key(in->kind, dui, NULL);

	pthread_rwlock_wrlock(&ix->lock);
	if (in->id > ix->seen[in->kind])
		ix->seen[in->kind] = in->id;
	struct xrec *old = find(ix, in->kind, in->id);
	if (old) {
		unlink_rec(ix, old);
		ix->count--;
	}
	if (ix->count + 1 > ix->nb)
		grow(ix);
	link_rec(ix, r);
	ix->count++;
	pthread_rwlock_unlock(&ix->lock);
	free(old);
	return 0;
}

void subject_ix_remove(struct subject_ix *ix, enum subject_kind kind,
		       int64_t id)
{
	pthread_rwlock_wrlock(&ix->lock);
	if (id > ix->seen[kind])
		ix->seen[kind] = id;
	struct xrec *old = find(ix, kind, id);
	if (old) {
		unlink_rec(ix, old);
		ix->count--;
	}
	pthread_rwlock_unlock(&ix->lock);
	free(old);
}

size_t subject_ix_count(struct subject_ix *ix)
{
	pthread_rwlock_rdlock(&ix->lock);
	size_t n = ix->count;
	pthread_rwlock_unlock(&ix->lock);
	return n;
}

static void add(int64_t *ids, int max, int *n, int64_t id)
{
	for (int i = 0; i < *n && i < max; i++)
		if (ids[i] == id)
			return;
	if (*n < max)
		ids[*n] = id;
	(*n)++;
}

int subject_ix_match(struct subject_ix *ix, enum subject_kind kind,
		     const char *given_names, const char *surnames,
		     const char *birth_date, const char *document_number,
		     const char *dui, int64_t *ids, int max)
{
	char surn[256], given[256], year[5];
	int n = 0;
	persons_surnames_key(surnames, surn, sizeof(surn));
	persons_surnames_key(given_names, given, sizeof(given));
	year_of(birth_date, year);

	pthread_rwlock_rdlock(&ix->lock);
	if (document_number && *document_number) {
		uint64_t h = key(kind, document_number, NULL);
		for (struct xrec *r = ix->b[T_DOC][h & (ix->nb - 1)]; r; r = r->next[T_DOC])
			if (r->h[T_DOC] == h && r->kind == kind &&
			    !strcmp(r->doc, document_number))
				add(ids, max, &n, r->id);
	}
	if (dui && *dui) {
		uint64_t h = key(kind, dui, NULL);
		for (struct xrec *r = ix->b[T_DUI][h & (ix->nb - 1)]; r; r = r->next[T_DUI])
			if (r->h[T_DUI] == h && r->kind == kind && !strcmp(r->dui, dui))
				add(ids, max, &n, r->id);
	}
	if (surn[0] && given[0] && year[0]) {
		uint64_t h = key(kind, surn, year);
		size_t bl = subject_birth_known(birth_date);
		for (struct xrec *r = ix->b[T_NAME][h & (ix->nb - 1)]; r; r = r->next[T_NAME]) {
			if (r->h[T_NAME] != h || r->kind != kind ||
			    strcmp(r->surn, surn) || strcmp(r->given, given))
				continue;
			/* the known part of both dates agrees */
			size_t rl = subject_birth_known(r->birth);
			if (rl && bl && !strncmp(r->birth, birth_date, rl < bl ? rl : bl))
				add(ids, max, &n, r->id);
		}
	}
	pthread_rwlock_unlock(&ix->lock);
	return n;
}

void subject_ix_saw(struct subject_ix *ix, enum subject_kind kind, int64_t id)
{
	pthread_rwlock_wrlock(&ix->lock);
	if (id > ix->seen[kind])
		ix->seen[kind] = id;
	pthread_rwlock_unlock(&ix->lock);
}

int64_t subject_ix_seen(struct subject_ix *ix, enum subject_kind kind)
{
	pthread_rwlock_rdlock(&ix->lock);
	int64_t id = ix->seen[kind];
	pthread_rwlock_unlock(&ix->lock);
	return id;
}
