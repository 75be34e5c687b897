/*
 * countries.h - the ISO 3166-1 country table, read from Debian's iso-codes
 * (package iso-codes: iso_3166-1.json for the codes, the Spanish .mo
 * catalogue for the names) and handed to the MRZ engine, which does no I/O.
 *
 * One table serves the whole process (CLI or server); it is immutable once
 * loaded, so threads share it without locks.
 */
#ifndef SIGM_API_COUNTRIES_H
#define SIGM_API_COUNTRIES_H

#include "core/err.h"
#include "core/mrz.h"

struct api_countries;

/* Default locations of the iso-codes files. */
#define COUNTRIES_JSON "/usr/share/iso-codes/json/iso_3166-1.json"
#define COUNTRIES_MO "/usr/share/locale/es/LC_MESSAGES/iso_3166-1.mo"

/*
 * Loads json_path (required) and mo_path (may be NULL or missing: the
 * names stay in English).  NULL paths mean the defaults, or the files
 * under $SIGM_ISO_CODES when set.  On success *out is a new table the
 * caller frees with api_countries_free().  Returns 0, SIGM_EIO (unreadable
 * JSON), SIGM_EINVAL (not iso-codes' shape) or SIGM_ENOMEM.
 */
int api_countries_load(const char *json_path, const char *mo_path,
		       struct api_countries **out, struct sigm_error *err);

void api_countries_free(struct api_countries **c);

/* The view the MRZ engine takes (ISO codes only; ICAO's are built in). */
const struct mrz_countries *api_countries_table(const struct api_countries *c);

#endif
