/*
 * err.h - the one error convention of SIGM.
 *
 * Every fallible function returns an int: 0 on success, a negative SIGM_E*
 * code on failure, and, when the caller passes a non-NULL struct sigm_error,
 * fills it with a stable English code for programs, the field at fault and a
 * Spanish message for people (plus optional detail and hint, in the manner of
 * PostgreSQL's error style guide).  The struct is a fixed-size value: no
 * allocation, so it can be filled on out-of-memory paths too.
 *
 * The API layer maps the return code to an HTTP status in one table
 * (api_status_for()); the CLI prints message and exits non-zero.
 */
#ifndef SIGM_ERR_H
#define SIGM_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum sigm_rc {
	SIGM_OK = 0,
	SIGM_EINVAL = -1,    /* bad input: 400/422 */
	SIGM_ENOMEM = -2,    /* allocation failed: 503 */
	SIGM_ENOTFOUND = -3, /* no such record: 404 */
	SIGM_ECONFLICT = -4, /* state does not allow it: 409 */
	SIGM_EIO = -5,       /* storage or OS failure: 500/503 */
	SIGM_EPERM = -6,     /* authenticated but not allowed: 403 */
	SIGM_ETOOBIG = -7,   /* input over a hard cap: 413 */
	SIGM_EAUTH = -8,     /* not authenticated: 401 */
	SIGM_EBUSY = -9,     /* try again later: 429/503 */
	SIGM_EUNSUP = -10,   /* well-formed but unsupported: 422 */
	SIGM_ERULE = -11,    /* well-formed but breaks a business rule: 422 */
};

struct sigm_error {
	int rc;            /* the enum sigm_rc value returned with it */
	char code[48];     /* stable machine code, e.g. "invalid_field" */
	char field[64];    /* field path at fault, "" when none */
	char message[320]; /* Spanish, for people */
	char detail[320];  /* optional */
	char hint[160];    /* optional */
};

/* Clears err (no-op on NULL). */
void sigm_error_clear(struct sigm_error *err);

/*
 * Fills err (if non-NULL) and returns rc, so a failure reads
 *     return sigm_error_set(err, SIGM_EINVAL, "invalid_field", "birth_date",
 *                           "fecha inválida: %s", s);
 * field may be NULL.  Strings are truncated, never overflow.
 */
int sigm_error_set(struct sigm_error *err, int rc, const char *code,
		   const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

int sigm_error_vset(struct sigm_error *err, int rc, const char *code,
		    const char *field, const char *fmt, va_list ap);

/* Sets the optional detail / hint of an already filled error. */
void sigm_error_detail(struct sigm_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sigm_error_hint(struct sigm_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Short English name of an rc ("invalid", "not_found"...). */
const char *sigm_rc_name(int rc);

#endif
