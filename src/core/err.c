/* err.c - filling struct sigm_error; see err.h. */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

void sigm_error_clear(struct sigm_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

static void copy(char *dst, size_t cap, const char *src)
{
	if (!src)
		src = "";
	snprintf(dst, cap, "%s", src);
}

int sigm_error_vset(struct sigm_error *err, int rc, const char *code,
		    const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return rc;
	sigm_error_clear(err);
	err->rc = rc;
	copy(err->code, sizeof(err->code), code ? code : sigm_rc_name(rc));
	copy(err->field, sizeof(err->field), field);
	if (fmt)
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return rc;
}

int sigm_error_set(struct sigm_error *err, int rc, const char *code,
		   const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sigm_error_vset(err, rc, code, field, fmt, ap);
	va_end(ap);
	return rc;
}

void sigm_error_detail(struct sigm_error *err, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
}

void sigm_error_hint(struct sigm_error *err, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
}

const char *sigm_rc_name(int rc)
{
	switch (rc) {
	case SIGM_OK: return "ok";
	case SIGM_EINVAL: return "invalid";
	case SIGM_ENOMEM: return "out_of_memory";
	case SIGM_ENOTFOUND: return "not_found";
	case SIGM_ECONFLICT: return "conflict";
	case SIGM_EIO: return "io_error";
	case SIGM_EPERM: return "forbidden";
	case SIGM_ETOOBIG: return "too_large";
	case SIGM_EAUTH: return "unauthorized";
	case SIGM_EBUSY: return "busy";
	case SIGM_EUNSUP: return "unsupported";
	case SIGM_ERULE: return "rule_violation";
	}
	return "error";
}
