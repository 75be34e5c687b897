/*
 * pdf.h - the DGME's printed documents (certificates, reports to courts):
 * a Letter-size PDF drawn with cairo into memory, with the institutional
 * heading on every page, a page footer, flowing paragraphs, label/value
 * fields, tables that continue on the next page with their header repeated,
 * the signature block of the authorizing officer and a QR code
 * (libqrencode) with its verification URL.
 *
 * The document is described by plain data (struct pdf_doc) so callers never
 * touch cairo, and the same description always gives the same layout: a
 * certificate downloaded again is drawn from its stored snapshot.
 *
 * Text is UTF-8 (cairo's toy text API with the "DejaVu Sans" family through
 * fontconfig: Spanish accents and ñ are covered; no new dependency).
 *
 * Ownership: the caller owns the description; pdf_render() returns a
 * malloc'd buffer the caller frees.  Hard cap: PDF_MAX_BYTES.
 */
#ifndef SIGM_PDF_H
#define SIGM_PDF_H

#include <stddef.h>

#include "core/err.h"

#define PDF_MAX_BYTES (16u * 1024 * 1024)
#define PDF_MAX_COLS 8

enum pdf_block_kind {
	PDF_HEADING = 1, /* a bold section title */
	PDF_PARA,	 /* a justified-left paragraph */
	PDF_FIELDS,	 /* label: value lines */
	PDF_TABLE,	 /* header row + rows; continues across pages */
};

struct pdf_block {
	enum pdf_block_kind kind;
	const char *text; /* PDF_HEADING, PDF_PARA */
	/* PDF_FIELDS: n pairs */
	const char *const *labels;
	const char *const *values;
	int n;
	/* PDF_TABLE: ncols headers, widths as fractions of the text width
	 * (summing to 1), nrows * ncols cells in row order (NULL = empty). */
	int ncols, nrows;
	const char *const *headers;
	const double *widths;
	const char *const *cells;
	const char *empty_text; /* shown when nrows == 0 */
};

struct pdf_doc {
	const char *heading[3]; /* institutional lines; NULL = DGME default */
	const char *title;	/* bold, centred under the heading */
	const char *banner;	/* red line under the title ("REVOCADO"); NULL none */
	const struct pdf_block *blocks;
	int nblocks;
	const char *place_date;	     /* "San Salvador, 25 de noviembre de 2026" */
	const char *signer_name;     /* NULL: no signature block */
	const char *signer_position; /* "Secretaría General" */
	const char *footer;	     /* left part of every page's footer */
	const char *qr_text;	     /* NULL: no QR */
	const char *qr_caption;	     /* text beside the QR */
	const char *meta_title;	     /* PDF metadata */
};

/* Renders d.  0 with *out and *len set on success; SIGM_EINVAL for a malformed
 * description, SIGM_ETOOBIG past PDF_MAX_BYTES, SIGM_EIO for a cairo or
 * qrencode failure. */
int pdf_render(const struct pdf_doc *d, char **out, size_t *len,
	       struct sigm_error *err);

/* "2026-11-25" -> "25 de noviembre de 2026" (the input when not a date). */
void pdf_long_date(const char *ymd, char *out, size_t cap);

#endif
