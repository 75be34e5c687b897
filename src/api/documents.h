/*
 * documents.h - the MRZ engine as the CLI and the HTTP API present it: one
 * JSON shape for a read zone, shared by `sigm mrz` and
 * POST /api/v1/documents/mrz so the two can never disagree.
 */
#ifndef SIGM_API_DOCUMENTS_H
#define SIGM_API_DOCUMENTS_H

#include <jansson.h>

#include "core/mrz.h"

/*
 * {"format":"TD3","valid":true,"fields":{...},"errors":[{code,field,message}],
 *  "suggestions":[{field,line,position,found,suggested,message}]}, plus
 * "warnings":[{code,field,message}] only when there are any (a truncated
 * name, a filler added).  format is null and fields empty when the shape
 * was not recognized.  Returns a new reference (NULL only on
 * out-of-memory).
 */
json_t *api_mrz_json(const struct mrz_doc *d);

/* Today's day number in El Salvador (UTC-6), the pivot for MRZ years. */
int32_t api_today_day(void);

#endif
