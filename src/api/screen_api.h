/*
 * screen_api.h - the server's one screening index (src/core/screen.h) over
 * the active court restrictions, migration alerts and lost/stolen
 * documents, kept current in the request that changes them, and the
 * POST /api/v1/screen endpoint.
 *
 * Entry ids are "restriction:ID", "alert:ID", "lost_stolen:ID"; the
 * category is "KIND/SUBCATEGORY" (e.g. "alert/arrest_warrant").  Validity
 * (effective_to, valid_until, valid_from) is checked at query time against
 * the day of the query, so an expired alert stops matching by itself.
 */
#ifndef SIGM_SCREEN_API_H
#define SIGM_SCREEN_API_H

#include "api/api.h"
#include "api/subject_ix.h"
#include "core/screen.h"
#include "store/persons.h"

#include <jansson.h>

/* Builds the index from the store and hooks ctx->on_record_change.
 * Returns 0 or the error (names data missing, store failure). */
int api_screen_start(struct api_ctx *ctx, struct sigm_error *err);
void api_screen_stop(struct api_ctx *ctx);

/* Screens one person on today's date (El Salvador), with the calling
 * thread's memo of expanded names (screen_opts.memo: a booth's and a
 * manifest's names repeat), made on the thread's first query and freed
 * when it ends.  SIGM_EUNSUP when the server runs without an index. */
int api_screen_query(struct api_ctx *ctx, const struct screen_person *p,
		     int threshold, int top, struct screen_result *res,
		     struct sigm_error *err);

/* Applies a change notified by the store ("table:id", table one of
 * restrictions, alerts, lost_stolen; other tables are ignored), or
 * re-reads every record when payload is NULL.  Failures are logged: the
 * exact checks of the inspection still read the database. */
void api_screen_notify(struct api_ctx *ctx, const char *payload);

/* Ids of the active restrictions or alerts that match the traveler exactly
 * (api_subject_matches, from memory: subject_ix.h); returns how many, which
 * may exceed max, or -1 when the server runs without an index.  The
 * caller reads each by id and re-checks it. */
int api_screen_exact(struct api_ctx *ctx, enum subject_kind kind,
		     const struct persons_doc *d, const char *dui, int64_t *ids,
		     int max);

/* subject_ix_seen of the server's index; -1 without one. */
int64_t api_screen_exact_seen(struct api_ctx *ctx, enum subject_kind kind);

/* A hit with its explanation as JSON (new reference). */
json_t *api_screen_hit_json(const struct screen_hit *h);

#endif
