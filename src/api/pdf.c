/*
 * pdf.c - lays out a struct pdf_doc on Letter pages with cairo's PDF
 * surface writing into memory (see pdf.h).
 *
 * Two passes: the first lays everything out on a surface whose output is
 * discarded, only to count the pages, so that every footer can say "página
 * n de N"; the second draws for real.  Layout is a cursor (y) moving down
 * the page; anything that does not fit below it starts a new page, which
 * draws the heading and the footer first.
 */
#include "api/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 612.0 /* Letter, points */
#define PAGE_H 792.0
#define MARGIN 60.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BODY_TOP 150.0
#define BODY_BOTTOM (PAGE_H - 64.0)
#define FONT "DejaVu Sans"
#define SIZE 10.0
#define LEAD 13.5
#define QR_SIZE 96.0

struct membuf {
	char *p;
	size_t len, cap;
	bool discard, too_big, nomem;
};

static cairo_status_t write_cb(void *closure, const unsigned char *data,
			       unsigned int n)
{
	struct membuf *b = closure;
	if (b->discard)
		return CAIRO_STATUS_SUCCESS;
	if (b->len + n > PDF_MAX_BYTES) {
		b->too_big = true;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	if (b->len + n > b->cap) {
		size_t nc = b->cap ? b->cap : 65536;
		while (nc < b->len + n)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np) {
			b->nomem = true;
			return CAIRO_STATUS_NO_MEMORY;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return CAIRO_STATUS_SUCCESS;
}

struct lay {
	cairo_t *cr;
	const struct pdf_doc *d;
	double y;
	int page, total;
};

static void font(cairo_t *cr, bool bold, double size)
{
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD
				    : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static double width_of(cairo_t *cr, const char *s, size_t n)
{
	char buf[1024];
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	cairo_text_extents_t e;
	cairo_text_extents(cr, buf, &e);
	return e.x_advance;
}

static void show(cairo_t *cr, double x, double y, const char *s, size_t n)
{
	char buf[1024];
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = 0;
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, buf);
}

static void centred(cairo_t *cr, double y, const char *s)
{
	double w = width_of(cr, s, strlen(s));
	show(cr, (PAGE_W - w) / 2, y, s, strlen(s));
}

/* Length of the next UTF-8 character at s (1 for a stray byte). */
static size_t u8len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c >> 5 == 6 ? 2 : c >> 4 == 14 ? 3 : c >> 3 == 30 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

/*
 * Breaks text into lines no wider than w: at spaces when possible, inside a
 * word (between UTF-8 characters) when the word alone is too wide, and at
 * '\n' always.  Calls fn for each line (start, length); returns the number
 * of lines.  With fn NULL it only counts.
 */
static int wrap(cairo_t *cr, const char *text, double w,
		void (*fn)(void *, const char *, size_t), void *arg)
{
	int lines = 0;
	const char *p = text ? text : "";
	do {
		const char *nl = strchr(p, '\n');
		size_t para = nl ? (size_t)(nl - p) : strlen(p);
		const char *end = p + para;
		while (p < end || (para == 0 && p == end)) {
			/* the longest prefix that fits */
			size_t fit = 0, last_space = 0;
			size_t i = 0;
			double acc = 0;
			/* character by character: the toy API does not kern, so a
			 * prefix's width is the sum of its characters' advances
			 * (linear, not quadratic, in the line's length) */
			while (p + i < end) {
				size_t k = u8len(p + i);
				double cw = width_of(cr, p + i, k);
				if (acc + cw > w)
					break;
				acc += cw;
				i += k;
				fit = i;
				if (p[i - k] == ' ')
					last_space = i - k;
			}
			size_t take = fit;
			if (p + fit < end) {
				if (last_space > 0)
					take = last_space;
				else if (fit == 0)
					take = u8len(p);
			}
			if (fn)
				fn(arg, p, take);
			lines++;
			p += take;
			while (p < end && *p == ' ')
				p++;
			if (para == 0)
				break;
		}
		p = nl ? nl + 1 : end;
		if (!nl)
			break;
	} while (1);
	return lines;
}

/* ---- page furniture ---- */

static const char *const DEFAULT_HEADING[3] = {
	"República de El Salvador",
	"Dirección General de Migración y Extranjería", "Secretaría General"};

static void new_page(struct lay *l)
{
	cairo_t *cr = l->cr;
	if (l->page > 0)
		cairo_show_page(cr);
	l->page++;
	cairo_set_source_rgb(cr, 0.05, 0.2, 0.45);
	for (int i = 0; i < 3; i++) {
		const char *s = l->d->heading[i] ? l->d->heading[i] : DEFAULT_HEADING[i];
		font(cr, i == 1, i == 1 ? 13.0 : 10.5);
		centred(cr, 62.0 + i * 17.0, s);
	}
	cairo_set_line_width(cr, 1.2);
	cairo_move_to(cr, MARGIN, 112.0);
	cairo_line_to(cr, PAGE_W - MARGIN, 112.0);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.4);
	cairo_move_to(cr, MARGIN, 115.0);
	cairo_line_to(cr, PAGE_W - MARGIN, 115.0);
	cairo_stroke(cr);
	/* footer */
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	font(cr, false, 8.0);
	cairo_move_to(cr, MARGIN, PAGE_H - 40.0);
	cairo_line_to(cr, PAGE_W - MARGIN, PAGE_H - 40.0);
	cairo_set_line_width(cr, 0.4);
	cairo_stroke(cr);
	if (l->d->footer)
		show(cr, MARGIN, PAGE_H - 28.0, l->d->footer, strlen(l->d->footer));
	char pg[64];
	if (l->total > 0)
		snprintf(pg, sizeof(pg), "Página %d de %d", l->page, l->total);
	else
		snprintf(pg, sizeof(pg), "Página %d", l->page);
	show(cr, PAGE_W - MARGIN - width_of(cr, pg, strlen(pg)), PAGE_H - 28.0,
	     pg, strlen(pg));
	cairo_set_source_rgb(cr, 0, 0, 0);
	l->y = BODY_TOP;
	if (l->page == 1 && l->d->title) {
		font(cr, true, 12.5);
		l->y = 140.0;
		centred(cr, l->y, l->d->title);
		l->y += 28.0;
	}
	if (l->d->banner) {
		/* on every page: a revoked certificate's pages must not pass
		 * for valid one by one */
		cairo_set_source_rgb(cr, 0.75, 0.05, 0.05);
		font(cr, true, 11.0);
		centred(cr, l->y - 6.0, l->d->banner);
		cairo_set_source_rgb(cr, 0, 0, 0);
		l->y += 18.0;
	}
}

static void ensure(struct lay *l, double h)
{
	if (l->y + h > BODY_BOTTOM)
		new_page(l);
}

/* ---- blocks ---- */

struct line_ctx {
	struct lay *l;
	double x;
};

static void para_line(void *arg, const char *s, size_t n)
{
	struct line_ctx *c = arg;
	ensure(c->l, LEAD);
	show(c->l->cr, c->x, c->l->y, s, n);
	c->l->y += LEAD;
}

static void para(struct lay *l, const char *text, bool bold, double x,
		 double w)
{
	struct line_ctx c = {l, x};
	font(l->cr, bold, SIZE);
	wrap(l->cr, text, w, para_line, &c);
}

static void fields(struct lay *l, const struct pdf_block *b)
{
	const double lw = 150.0;
	for (int i = 0; i < b->n; i++) {
		font(l->cr, false, SIZE);
		const char *v = b->values[i] && *b->values[i] ? b->values[i] : "—";
		int nl = wrap(l->cr, v, TEXT_W - lw, NULL, NULL);
		ensure(l, LEAD * (nl < 3 ? nl : 3));
		font(l->cr, true, SIZE);
		show(l->cr, MARGIN, l->y, b->labels[i], strlen(b->labels[i]));
		para(l, v, false, MARGIN + lw, TEXT_W - lw);
	}
}

/* A table cell's lines are drawn one by one at (x, y0 + k * lead). */
struct cell_ctx {
	cairo_t *cr;
	double x, y;
};

static void cell_line(void *arg, const char *s, size_t n)
{
	struct cell_ctx *c = arg;
	show(c->cr, c->x, c->y, s, n);
	c->y += LEAD - 1.5;
}

static void table_row(struct lay *l, const struct pdf_block *b,
		      const char *const *cells, bool header)
{
	cairo_t *cr = l->cr;
	const double pad = 4.0;
	int lines = 1;
	font(cr, header, header ? 9.0 : 9.0);
	for (int c = 0; c < b->ncols; c++) {
		double w = b->widths[c] * TEXT_W - 2 * pad;
		int n = wrap(cr, cells[c] ? cells[c] : "", w, NULL, NULL);
		if (n > lines)
			lines = n;
	}
	double h = lines * (LEAD - 1.5) + 2 * pad;
	if (l->y + h > BODY_BOTTOM) {
		new_page(l);
		if (!header)
			table_row(l, b, b->headers, true);
		font(cr, header, 9.0);
	}
	double top = l->y - (LEAD - 1.5) + 2.0;
	if (header) {
		cairo_set_source_rgb(cr, 0.88, 0.91, 0.96);
		cairo_rectangle(cr, MARGIN, top - pad, TEXT_W, h);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
	}
	double x = MARGIN;
	for (int c = 0; c < b->ncols; c++) {
		struct cell_ctx cc = {cr, x + pad, l->y + pad - 2.0};
		wrap(cr, cells[c] ? cells[c] : "", b->widths[c] * TEXT_W - 2 * pad,
		     cell_line, &cc);
		x += b->widths[c] * TEXT_W;
	}
	cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(cr, 0.4);
	cairo_move_to(cr, MARGIN, top - pad + h);
	cairo_line_to(cr, PAGE_W - MARGIN, top - pad + h);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	l->y += h;
}

static void table(struct lay *l, const struct pdf_block *b)
{
	ensure(l, 3 * LEAD);
	table_row(l, b, b->headers, true);
	for (int r = 0; r < b->nrows; r++)
		table_row(l, b, b->cells + (size_t)r * (size_t)b->ncols, false);
	if (b->nrows == 0 && b->empty_text) {
		l->y += 4.0;
		para(l, b->empty_text, false, MARGIN + 4.0, TEXT_W - 8.0);
	}
	l->y += 6.0;
}

static int qr(struct lay *l, double x, double y, double size)
{
	QRcode *q = QRcode_encodeString(l->d->qr_text, 0, QR_ECLEVEL_M,
					QR_MODE_8, 1);
	if (!q)
		return -1;
	/* four modules of quiet zone on each side */
	double m = size / (q->width + 8);
	cairo_set_source_rgb(l->cr, 1, 1, 1);
	cairo_rectangle(l->cr, x, y, size, size);
	cairo_fill(l->cr);
	cairo_set_source_rgb(l->cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (q->data[r * q->width + c] & 1)
				cairo_rectangle(l->cr, x + (c + 4) * m,
						y + (r + 4) * m, m, m);
	cairo_fill(l->cr);
	QRcode_free(q);
	return 0;
}

/* The closing: place and date, signature block, QR with its caption. */
static int closing(struct lay *l)
{
	const struct pdf_doc *d = l->d;
	double need = (d->place_date ? 2 * LEAD : 0) +
		      (d->signer_name ? 90.0 : 0) + (d->qr_text ? QR_SIZE + 10 : 0);
	ensure(l, need);
	if (d->place_date) {
		l->y += 6.0;
		para(l, d->place_date, false, MARGIN, TEXT_W);
	}
	if (d->signer_name) {
		l->y += 44.0;
		double cx = PAGE_W / 2;
		cairo_set_line_width(l->cr, 0.6);
		cairo_move_to(l->cr, cx - 120, l->y - 12);
		cairo_line_to(l->cr, cx + 120, l->y - 12);
		cairo_stroke(l->cr);
		font(l->cr, true, SIZE);
		centred(l->cr, l->y, d->signer_name);
		l->y += LEAD;
		if (d->signer_position) {
			font(l->cr, false, SIZE);
			centred(l->cr, l->y, d->signer_position);
			l->y += LEAD;
		}
		l->y += 8.0;
	}
	if (d->qr_text) {
		if (qr(l, MARGIN, l->y, QR_SIZE))
			return -1;
		struct line_ctx c = {l, MARGIN + QR_SIZE + 14};
		double y0 = l->y;
		l->y += 20.0;
		font(l->cr, false, 9.0);
		wrap(l->cr, d->qr_caption ? d->qr_caption : d->qr_text,
		     TEXT_W - QR_SIZE - 14, para_line, &c);
		if (l->y < y0 + QR_SIZE + 6)
			l->y = y0 + QR_SIZE + 6;
	}
	return 0;
}

static int layout(struct lay *l)
{
	new_page(l);
	for (int i = 0; i < l->d->nblocks; i++) {
		const struct pdf_block *b = &l->d->blocks[i];
		switch (b->kind) {
		case PDF_HEADING:
			ensure(l, 3 * LEAD);
			l->y += 6.0;
			para(l, b->text, true, MARGIN, TEXT_W);
			l->y += 2.0;
			break;
		case PDF_PARA:
			para(l, b->text, false, MARGIN, TEXT_W);
			l->y += 6.0;
			break;
		case PDF_FIELDS:
			fields(l, b);
			l->y += 6.0;
			break;
		case PDF_TABLE:
			table(l, b);
			break;
		}
	}
	return closing(l);
}

static int check(const struct pdf_doc *d, struct sigm_error *err)
{
	for (int i = 0; i < d->nblocks; i++) {
		const struct pdf_block *b = &d->blocks[i];
		if (b->kind == PDF_TABLE &&
		    (b->ncols < 1 || b->ncols > PDF_MAX_COLS || b->nrows < 0 ||
		     !b->headers || !b->widths || (b->nrows && !b->cells)))
			return sigm_error_set(err, SIGM_EINVAL, "invalid_pdf_table",
					      NULL, "tabla mal descrita en el bloque %d", i);
		if (b->kind == PDF_FIELDS && b->n > 0 && (!b->labels || !b->values))
			return sigm_error_set(err, SIGM_EINVAL, "invalid_pdf_fields",
					      NULL, "campos mal descritos en el bloque %d", i);
	}
	return 0;
}

/* One pass; returns pages laid out, or negative. */
static int pass(const struct pdf_doc *d, struct membuf *b, int total,
		struct sigm_error *err)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_cb, b,
								 PAGE_W, PAGE_H);
	cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
	if (d->meta_title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
					       d->meta_title);
	cairo_pdf_surface_set_metadata(
		s, CAIRO_PDF_METADATA_AUTHOR,
		"Dirección General de Migración y Extranjería");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "SIGM");
	cairo_t *cr = cairo_create(s);
	struct lay l = {.cr = cr, .d = d, .total = total};
	int rc = layout(&l);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (b->too_big)
		return sigm_error_set(err, SIGM_ETOOBIG, "pdf_too_big", NULL,
				      "el documento supera %u bytes", PDF_MAX_BYTES);
	if (b->nomem)
		return sigm_error_set(err, SIGM_ENOMEM, NULL, NULL, "sin memoria");
	if (rc)
		return sigm_error_set(err, SIGM_EIO, "qr_failed", NULL,
				      "no se pudo generar el código QR");
	if (st != CAIRO_STATUS_SUCCESS)
		return sigm_error_set(err, SIGM_EIO, "pdf_failed", NULL,
				      "cairo: %s", cairo_status_to_string(st));
	return l.page;
}

int pdf_render(const struct pdf_doc *d, char **out, size_t *len,
	       struct sigm_error *err)
{
	*out = NULL;
	*len = 0;
	int rc = check(d, err);
	if (rc)
		return rc;
	struct membuf count = {.discard = true};
	int pages = pass(d, &count, 0, err);
	if (pages < 0)
		return pages;
	struct membuf b = {0};
	rc = pass(d, &b, pages, err);
	if (rc < 0) {
		free(b.p);
		return rc;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

void pdf_long_date(const char *ymd, char *out, size_t cap)
{
	static const char *const months[] = {
		"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
		"agosto", "septiembre", "octubre", "noviembre", "diciembre"};
	int y, m, dd;
	char tail;
	if (ymd && sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) >= 3 &&
	    m >= 1 && m <= 12 && dd >= 1 && dd <= 31)
		snprintf(out, cap, "%d de %s de %d", dd, months[m - 1], y);
	else
		snprintf(out, cap, "%s", ymd ? ymd : "");
}
