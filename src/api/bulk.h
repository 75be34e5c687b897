/*
 * bulk.h - CSV import and export of the Secretaría General's registries
 * (court restrictions, migration alerts, lost and stolen documents).
 *
 * Policy: an import is ALL OR NOTHING.  Every row is validated exactly as
 * the record's POST endpoint validates its body (the module's own parse
 * function is called on the row turned into that body), then all rows are
 * written in one transaction with their audit entries; if any row is
 * rejected nothing is written and the answer (422) lists every rejected row
 * as {row, line, field, code, message}.  ?dry_run=1 runs the same
 * validation and the same transaction (so duplicates against the database
 * and within the file are found too), then rolls it back and answers 200
 * with the report.  Nothing is dropped silently: a row is either imported
 * or listed.
 *
 * The first record is the header; columns may come in any order, unknown
 * columns are refused, empty cells are absent values.  Exports write the
 * same columns (plus id and status, which imports accept and check: only
 * active records are imported), so an export can be imported again.
 *
 * Caps: BULK_MAX_ROWS data rows per import (one transaction holds the
 * writer: big files are split by the sender), the route's body cap, and
 * the CSV reader's caps (core/csv.h).
 */
#ifndef SIGM_BULK_H
#define SIGM_BULK_H

#include "api/api.h"

#include <stdio.h>

#define BULK_MAX_ROWS 5000
#define BULK_MAX_ERRORS 1000

struct bulk_kind {
	const char *record;	     /* "restriction": audit record type and index kind */
	const char *file;	     /* "restricciones": export file name */
	const char *const *columns;  /* importable columns, in export order */
	const char *const *required; /* columns the header must have */
	size_t row_size;	     /* bytes of one prepared row */
	/*
	 * Validates one row (a JSON object of its non-empty cells as strings,
	 * keyed by column) into prep, as the POST endpoint would its body.  On
	 * a bad row fills resp with the error (field = a column when possible)
	 * and returns -1.  Anything prep borrows must be appended to hold.
	 */
	int (*prepare)(struct api_req *req, json_t *row, void *prep,
		       json_t *hold, struct api_resp *resp);
	/*
	 * Inside the import's transaction: checks against the database (e.g.
	 * duplicates), inserts, audits.  SIGM_ECONFLICT / SIGM_ERULE /
	 * SIGM_EINVAL with err naming the column reject the row; any other
	 * error aborts the import.
	 */
	int (*insert)(struct store_tx *tx, struct api_req *req, void *prep,
		      int64_t *id, struct sigm_error *err);
	/* SELECT of id, status and the columns; $1 = status filter or NULL. */
	const char *export_sql;
};

void bulk_import(struct api_req *req, struct api_resp *resp,
		 const struct bulk_kind *k);
void bulk_export(struct api_req *req, struct api_resp *resp,
		 const struct bulk_kind *k);

/*
 * The POST body a row stands for: a copy of row with the columns in cols
 * moved into an object under key (named as in names, or as the column when
 * names is NULL); the object is left out when no such column has a value.
 * The body is appended to hold (which keeps it alive) and returned.
 */
json_t *bulk_body(json_t *row, const char *key, const char *const *cols,
		  const char *const *names, json_t *hold);
/* After a failed prepare: an error on the object key itself (no
 * identifying datum) is renamed to the columns that could have given one. */
void bulk_error_field(struct api_resp *resp, const char *key,
		      const char *columns);

/* Writes text s as one CSV field (quoted when needed) to f, with a single
 * quote before a cell a spreadsheet would run as a formula
 * (csv_formula_guard; plain numbers as they are).  Numbers the caller
 * knows to be numbers are printed directly. */
void bulk_csv_field(FILE *f, const char *s);

/* Closes f, the open_memstream() writing *buf and *len, and answers its
 * text as a CSV attachment named filename; 503 out_of_memory when the stream
 * ran out of memory.  The answer takes *buf (left NULL). */
struct api_resp;
void bulk_csv_answer(struct api_resp *resp, FILE *f, char **buf, size_t *len,
		     const char *filename);

#endif
