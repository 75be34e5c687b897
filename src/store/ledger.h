/*
 * ledger.h - the ledger of entries and exits.
 *
 * Append-only (the table refuses UPDATE and DELETE): a wrong movement is
 * corrected by a compensating movement that names the one it corrects, the
 * reason, and the supervisor who approved it.  A movement is written in the
 * same transaction as the decision that produced it.
 */
#ifndef SIGM_LEDGER_H
#define SIGM_LEDGER_H

#include "store/store.h"

struct ledger_movement {
	int64_t person_id, document_id, inspection_id;
	const char *direction; /* "entry" | "exit" */
	const char *port, *officer, *transport, *decision;
	const char *reasons_json;
	int permitted_stay_days; /* entries of foreigners; 0 = none */
	int64_t corrects_movement_id;
	const char *correction_reason, *approved_by;
	const char *at; /* NULL = now */
};

int ledger_add(struct store_tx *tx, const struct ledger_movement *m,
	       int64_t *id_out, struct sigm_error *err);

/* Recounts the person's presence from the latest valid movement, with
 * the extensions of stay (stay_extensions) of that entry not annulled.
 * Run after any change that the forward write of ledger_add cannot make
 * (a correction, a movement recorded late, an extension annulled). */
int ledger_refresh_presence(struct store_tx *tx, int64_t person,
			    struct sigm_error *err);

/* The person's latest movement that is not itself corrected: direction,
 * at, port, permitted_stay_days.  SIGM_ENOTFOUND when none. */
int ledger_last(struct store_tx *tx, struct store *s, int64_t person_id,
		struct store_rows **out, struct sigm_error *err);

/* Monthly statistics for month "YYYY-MM": rows port, direction, decision, n
 * from the rollup kept with every movement (migration 10), so the cost does
 * not grow with the ledger.  Corrections count under decision "void". */
int ledger_monthly(struct store *s, const char *month, struct store_rows **out,
		   struct sigm_error *err);

#endif
