/*
 * rules_load.h - turns data/border/{ports,nationality_rules,fines}.json into
 * the struct rules_tables of src/core/rules.h.
 *
 * The core does no I/O; this is the one place the border reference data is
 * read.  Files are parsed strictly: a missing source, a bad date, a bad
 * code, a category other than A/B/C/unknown, a key the loader does not
 * know (a typo such as "effective_form"), a row ending before it starts,
 * or two rows for the same nationality (or stay) whose dates overlap are
 * errors that name the file and the row, so a policy edit that does not
 * make sense never loads.
 */
#ifndef SIGM_API_RULES_LOAD_H
#define SIGM_API_RULES_LOAD_H

#include "core/err.h"
#include "core/rules.h"

/*
 * Loads the three files from directory dir (e.g. "data/border").  On
 * success *out is a new table the caller frees with api_rules_free();
 * on failure *out is NULL and err names the file and row.
 * Returns 0, SIGM_EINVAL (bad data), SIGM_EIO (unreadable file),
 * SIGM_ETOOBIG (more rows than the RULES_MAX_* caps) or SIGM_ENOMEM.
 */
int api_rules_load(const char *dir, struct rules_tables **out,
		   struct sigm_error *err);

/*
 * Every country the tables name (home, CA-4 members, nationalities, land
 * neighbours) is one the country table knows: "HDN" for HND loaded, and
 * every Honduran then went to secondary.  0, or SIGM_EINVAL naming the
 * file and row.
 */
struct mrz_countries;
int api_rules_check_countries(const struct rules_tables *t,
			      const struct mrz_countries *c,
			      struct sigm_error *err);

void api_rules_free(struct rules_tables *t);

#endif
