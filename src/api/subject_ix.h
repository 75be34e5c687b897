/*
 * subject_ix.h - the registries' exact keys in memory, for the booth.
 *
 * Border control matches a traveler "exactly" against court restrictions
 * and alerts (api_subject_matches: the same document number, the same DUI,
 * or the same folded surnames and given names with a compatible birth
 * date).  Asking the database for every registry row born on the
 * traveler's day, month or year read ~40 random rows per registry and
 * inspection at a million entries, and in WAL mode each commit empties the
 * readers' page caches, so those reads were the largest cost of an
 * inspection (bench/RESULTS.md).  This index holds the same keys in
 * memory: a lookup costs a few hash probes and returns only the records
 * that match, which the caller then reads by primary key and re-checks
 * with api_subject_matches (the database stays the authority on status,
 * validity and details).
 *
 * Kept beside the screening index (screen_api.c), fed by the same rows and
 * the same change notices; a record the fuzzy index cannot hold (a
 * restriction known only by its DUI) is held here all the same.
 *
 * Memory: about 200 bytes per record (the record with its folded names and
 * four hash links, plus the buckets): ~200 MB for a million registry rows,
 * beside the screening index's ~480 MB.
 *
 * Concurrency: any number of lookups run while one thread at a time puts
 * or removes (a reader-writer lock).  Ownership: everything is copied.
 * Errors: put returns SIGM_ENOMEM (the index unchanged); lookups cannot
 * fail.
 */
#ifndef SIGM_SUBJECT_IX_H
#define SIGM_SUBJECT_IX_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

enum subject_kind { SUBJECT_RESTRICTION, SUBJECT_ALERT, SUBJECT_NKINDS };

struct subject_ix;

/* A registry row as the database holds it; any field may be NULL. */
struct subject_rec {
	enum subject_kind kind;
	int64_t id;
	const char *given_names, *surnames, *birth_date, *document_number, *dui;
};

/* How much of a birth date is known: 4 (the year), 7 (year and month) or
 * its length; the booth takes an MRZ's unknown parts as "XX" or "00"
 * (1980-XX-XX, 1980-05-00), which compare as unknown, not as written.  0
 * when not even the year is known. */
size_t subject_birth_known(const char *b);

int subject_ix_new(struct subject_ix **out, struct sigm_error *err);
void subject_ix_free(struct subject_ix **ix);

/* Adds the record, or replaces the one with the same kind and id. */
int subject_ix_put(struct subject_ix *ix, const struct subject_rec *r,
		   struct sigm_error *err);
/* Removes it; nothing happens when it is not there. */
void subject_ix_remove(struct subject_ix *ix, enum subject_kind kind,
		       int64_t id);
size_t subject_ix_count(struct subject_ix *ix);

/* The highest id of this kind the index has heard of: put, removed, or
 * said to exist when it was loaded (subject_ix_saw, the table's highest id
 * read before the load).  Registry rows are numbered in the order they
 * commit and heard of in that order, so a row with a higher id is one the
 * index may not hold yet: what a write checks again (inspections_api.c,
 * registry_news). */
void subject_ix_saw(struct subject_ix *ix, enum subject_kind kind, int64_t id);
int64_t subject_ix_seen(struct subject_ix *ix, enum subject_kind kind);

/*
 * Ids of the records of this kind that match the traveler exactly, as
 * api_subject_matches() would decide on the same fields (doc, dui, names,
 * birth date; dui may be NULL).  Fills at most max ids and returns how many
 * matched, which may exceed max: the caller decides what a truncated
 * answer means.
 */
int subject_ix_match(struct subject_ix *ix, enum subject_kind kind,
		     const char *given_names, const char *surnames,
		     const char *birth_date, const char *document_number,
		     const char *dui, int64_t *ids, int max);

#endif
