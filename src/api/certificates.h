/*
 * certificates.h - shared between the certificate files: certificates_api.c
 * (issue, list, read, download, revoke), certificate_pdf.c (the printed
 * document) and verify_page.c (the public page).
 */
#ifndef SIGM_CERTIFICATES_H
#define SIGM_CERTIFICATES_H

#include <stdbool.h>
#include <stddef.h>

#include "api/api.h"

#define CODE_LEN 16		 /* characters of a code, without dashes */
#define CERT_MAX_MOVEMENTS 5000 /* per certificate; more need a period */

/* A code as typed or scanned into its canonical grouped form
 * "XXXX-XXXX-XXXX-XXXX": case and separators ignored, O read as 0 and I, L
 * as 1.  false when it cannot be a code (so no query is made for junk). */
bool cert_canonical_code(const char *in, char out[CODE_LEN + 4]);

/*
 * Draws the certificate row c (the columns of CERT_COLS in
 * certificates_api.c, then content) as a PDF: 0 and *pdf (malloc'd, the
 * caller frees) and *len, or an error from pdf_render().
 */
int cert_render_pdf(struct api_ctx *ctx, struct store_rows *c, char **pdf,
		    size_t *len, struct sigm_error *err);

#endif
