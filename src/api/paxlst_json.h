/*
 * paxlst_json.h - a parsed PAXLST interchange (core/paxlst.h) as JSON: the
 * one rendering shared by `sigm paxlst`, the ingest API and the golden
 * tests, so that all three say the same thing about a manifest.
 */
#ifndef SIGM_PAXLST_JSON_H
#define SIGM_PAXLST_JSON_H

#include <jansson.h>

#include "core/paxlst.h"

/*
 * Returns a new object (caller owns it; NULL when out of memory):
 *   {"interchange": {...}, "messages": [...], "errors": [...],
 *    "warnings": [...]}
 * Absent values are null.  Field names are a fixed interface: see
 * docs/paxlst.md.  ix may come from a paxlst_parse() that failed: the
 * diagnostics are then all there is.
 */
json_t *paxlst_to_json(const struct paxlst_interchange *ix);

/* {"segment", "tag", "element", "code", "message"} for each diagnostic. */
json_t *paxlst_diags_json(const struct paxlst_diag *d, unsigned n);

#endif
