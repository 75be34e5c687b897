/*
 * csv.h - a bounded reader of RFC 4180 CSV held in memory.
 *
 * Fields separated by commas, records by CRLF or LF; a field may be quoted
 * with '"', inside which commas, line breaks and doubled quotes ("") are
 * data.  A UTF-8 byte order mark at the start is skipped.  Blank lines are
 * skipped.  Bytes are passed through as they are: the caller checks the
 * encoding of each field (utf8_valid, core/utf8.h) so that a bad row can be
 * reported
 * naming its column instead of failing the whole file.
 *
 * Untrusted input: at most CSV_MAX_FIELDS fields per record and
 * CSV_MAX_FIELD bytes per field; a NUL byte, a quote inside an unquoted
 * field, text after a closing quote, or an unterminated quote is an error
 * (SIGM_EINVAL, with the physical line) after which the reader stops: the
 * rest of the file cannot be trusted to be split correctly.
 *
 * Ownership: the reader borrows the input, which must outlive it; field
 * pointers are valid until the next csv_next() or csv_release().
 */
#ifndef SIGM_CSV_H
#define SIGM_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_FIELD 8192

struct csv_reader {
	const char *p, *end;
	int line;   /* physical line where the current record starts (1-based) */
	int record; /* number of the current record (1-based; header = 1) */
	bool failed;
	char *buf; /* the current record's fields, NUL-terminated, back to back */
	size_t cap;
	const char *field[CSV_MAX_FIELDS];
	size_t len[CSV_MAX_FIELDS];
	int nfields;
	int next_line; /* internal */
};

void csv_init(struct csv_reader *r, const char *data, size_t len);

/* Reads the next record: 1 and r->field/len/nfields set; 0 at the end;
 * negative SIGM_E* on malformed input or out of memory (err names the line
 * in its message and "csv" as field). */
int csv_next(struct csv_reader *r, struct sigm_error *err);

void csv_release(struct csv_reader *r);

/* Whether a field needs quoting when written (comma, quote, CR, LF, or
 * leading/trailing space). */
bool csv_needs_quotes(const char *s);

/*
 * Spreadsheet formulas (OWASP "CSV injection"): Excel and LibreOffice take
 * a cell that begins with '=', '+', '-', '@', a tab or a carriage return
 * for a formula, and a formula can run commands or send the sheet away.
 * A writer puts a single quote (') before such a text cell, which
 * spreadsheets show as text and do not keep when they save the file.
 *
 * csv_formula_guard: whether text cell s must be written with that quote.
 * A cell that begins with quotes and then such a character is guarded too,
 * so that taking one quote off on reading is exact (a round trip keeps
 * every value).  A plain decimal number ("-5", "-12.50") is a number to a
 * spreadsheet, not a formula: written as it is.  NULL and "" are not.
 */
bool csv_formula_guard(const char *s);

/* Reading a file that was written so: 1 when field s[0..n) is a guarded
 * cell (a quote followed by what csv_formula_guard guards) - the byte to
 * skip - else 0.  s must be NUL-terminated at n. */
size_t csv_guard_len(const char *s, size_t n);

#endif
