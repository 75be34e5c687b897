/*
 * audit_api.h - auditing reads of personal data through lists.  See
 * audit_api.c and, for the entry's shape, store/audit.h.
 */
#ifndef SIGM_AUDIT_API_H
#define SIGM_AUDIT_API_H

#include "api/api.h"

/* Records the one audit entry of a list or search that shows personal
 * data, naming every record it shows, so that the trail of a record
 * (GET /api/v1/audit?record_type=<rtype>&record_id=<id>) answers who saw it
 * in a list too, not only who opened it:
 *   action  e.g. "movement.list";
 *   rtype   the kind of record whose ids are named, e.g. "person";
 *   r, id_col, n  the ids: column id_col of the first n rows of r (the
 *           page shown, not the extra row asked to see whether more
 *           follow); NULLs are skipped, each id is named once;
 *   criteria  what was asked (an object, borrowed, may be NULL): kept as
 *           the detail's members, with "ids" added (a member of criteria
 *           named "ids" is dropped).
 * One entry per call whatever the number of rows.  Returns 0, or negative
 * when the entry could not be written (as api_audit). */
int api_audit_list(struct api_req *req, const char *action, const char *rtype,
		   const struct store_rows *r, int id_col, int n,
		   json_t *criteria);
/* The same with the ids given (m of them, sorted in place), for a page
 * that is not the first rows of a result (the blocked-exits report's
 * attempts, read among the reads around the days asked). */
int api_audit_ids(struct api_req *req, const char *action, const char *rtype,
		  int64_t *ids, size_t m, json_t *criteria);

#endif
