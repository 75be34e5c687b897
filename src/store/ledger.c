/* ledger.c - entries and exits; see ledger.h. */
#include "store/ledger.h"
#include "core/calendar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "YYYY-MM-DD" + days. */
static void add_days(const char *day, int days, char out[11])
{
	struct tm tm = {0};
	tm.tm_year = atoi(day) - 1900;
	tm.tm_mon = atoi(day + 5) - 1;
	tm.tm_mday = atoi(day + 8) + days;
	tm.tm_hour = 12;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday);
}

/*
 * Writes the person's presence as left by one movement.  The day of entry
 * is the first day of the stay (as in the rules): the last permitted day is
 * entry + days - 1.  forward_only: only over a presence of an earlier or
 * equal instant (*changes 0 otherwise).
 */
static int put_presence(struct store_tx *tx, int64_t person,
			const char *direction, const char *at, const char *port,
			bool has_stay, int stay_days, const char *fixed_until,
			int64_t movement_id, bool forward_only, int64_t *changes,
			struct sigm_error *err)
{
	int inside = !strcmp(direction, "entry");
	char until[11] = "";
	if (inside && fixed_until) {
		snprintf(until, sizeof(until), "%s", fixed_until);
	} else if (inside && has_stay) {
		/* the stay counts in El Salvador's days, like the ledger's
		 * day: from the UTC date, an entry after 18:00 got a day more */
		char day[11];
		if (cal_local_day(at, CAL_SV_UTC_OFFSET_S, day))
			snprintf(day, sizeof(day), "%.10s", at);
		add_days(day, stay_days - 1, until);
	}
	struct store_val p[] = {sv_int(person), sv_int(inside), sv_text(at),
				sv_text(port), sv_opt(until), sv_int(movement_id)};
	return store_tx_exec(tx,
			     forward_only
				     ? "INSERT INTO presence (person_id, inside, since, port, permitted_until, movement_id) VALUES ($1, $2, $3, $4, $5, $6)"
				       " ON CONFLICT (person_id) DO UPDATE SET inside = excluded.inside, since = excluded.since, port = excluded.port,"
				       " permitted_until = excluded.permitted_until, movement_id = excluded.movement_id"
				       " WHERE presence.since <= excluded.since"
				     : "INSERT INTO presence (person_id, inside, since, port, permitted_until, movement_id) VALUES ($1, $2, $3, $4, $5, $6)"
				       " ON CONFLICT (person_id) DO UPDATE SET inside = excluded.inside, since = excluded.since, port = excluded.port,"
				       " permitted_until = excluded.permitted_until, movement_id = excluded.movement_id",
			     p, SV_N(p), changes, err);
}

int ledger_refresh_presence(struct store_tx *tx, int64_t person,
			    struct sigm_error *err)
{
	struct store_rows *r = NULL;
	int rc = ledger_last(tx, NULL, person, &r, err);
	struct store_val d[] = {sv_int(person)};
	if (rc == SIGM_ENOTFOUND)
		return store_tx_exec(tx, "DELETE FROM presence WHERE person_id = $1",
				     d, 1, NULL, err);
	if (rc)
		return rc;
	/* The extensions (prórrogas) of that entry, chained: the first one's
	 * previous day is the stay's own end (also for an entry recorded
	 * without a stay, extended from the tables' one), and those not
	 * annulled add their days to it. */
	struct store_rows *x = NULL;
	char until[11], *fixed = NULL;
	struct store_val e[] = {sv_int(store_rows_int(r, 0, 0))};
	if (!strcmp(store_rows_text(r, 0, 1), "entry"))
		rc = store_tx_query(tx, "SELECT min(previous_until), COALESCE(SUM(CASE WHEN annulled_at IS NULL THEN days ELSE 0 END), 0),"
				    " CASE WHEN COUNT(annulled_at) < COUNT(*) THEN 1 ELSE 0 END"
				    " FROM stay_extensions WHERE entry_movement_id = $1", e, 1, &x, err);
	/* all annulled: the entry's own stay, NULL when it had none (a
	 * resident's, a paper record's) */
	if (rc == 0 && x && !store_rows_isnull(x, 0, 0) && store_rows_int(x, 0, 2)) {
		add_days(store_rows_text(x, 0, 0), (int)store_rows_int(x, 0, 1), until);
		fixed = until;
	}
	if (rc == 0)
		rc = put_presence(tx, person, store_rows_text(r, 0, 1),
				  store_rows_text(r, 0, 2), store_rows_text(r, 0, 3),
				  !store_rows_isnull(r, 0, 4), (int)store_rows_int(r, 0, 4),
				  fixed, store_rows_int(r, 0, 0), false, NULL, err);
	store_rows_free(&x);
	store_rows_free(&r);
	return rc;
}

int ledger_add(struct store_tx *tx, const struct ledger_movement *m,
	       int64_t *id_out, struct sigm_error *err)
{
	char now[40];
	store_now_iso(now, sizeof(now));
	const char *at = m->at ? m->at : now;
	/* the ledger's day is El Salvador's: what "movements of the day",
	 * the monthly rollup and the courts mean */
	char day[11];
	if (cal_local_day(at, CAL_SV_UTC_OFFSET_S, day))
		return sigm_error_set(err, SIGM_EINVAL, "invalid_field", "at",
				      "instante inválido: %s", at);
	struct store_val p[] = {
		sv_int(m->person_id),
		m->document_id ? sv_int(m->document_id) : sv_null(),
		m->inspection_id ? sv_int(m->inspection_id) : sv_null(),
		sv_text(m->direction), sv_text(m->port), sv_text(at),
		sv_text(day), sv_text(m->officer), sv_text(m->transport),
		sv_text(m->decision), sv_text(m->reasons_json),
		m->permitted_stay_days ? sv_int(m->permitted_stay_days) : sv_null(),
		m->corrects_movement_id ? sv_int(m->corrects_movement_id) : sv_null(),
		sv_text(m->correction_reason), sv_text(m->approved_by),
		sv_text(now)};
	int rc = store_tx_query_int(
		tx,
		"INSERT INTO movements (person_id, document_id, inspection_id, direction, port, at, day, officer, transport, decision, reasons, permitted_stay_days, corrects_movement_id, correction_reason, approved_by, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
		p, SV_N(p), id_out, err);
	if (rc)
		return rc;
	if (!m->corrects_movement_id) {
		/* A new movement is the person's latest valid one unless the
		 * presence row already holds a later instant (a clock set back,
		 * a movement recorded late): then, and for corrections, the
		 * ledger is read again.  Its stay is stored NULL when 0. */
		int64_t n = 0;
		rc = put_presence(tx, m->person_id, m->direction, at, m->port,
				  m->permitted_stay_days != 0, m->permitted_stay_days,
				  NULL, *id_out, true, &n, err);
		if (rc || n == 1)
			return rc;
	}
	return ledger_refresh_presence(tx, m->person_id, err);
}

int ledger_last(struct store_tx *tx, struct store *s, int64_t person_id,
		struct store_rows **out, struct sigm_error *err)
{
	static const char q[] =
		"SELECT m.id, m.direction, m.at, m.port, m.permitted_stay_days FROM movements m"
		" WHERE m.person_id = $1 AND m.corrects_movement_id IS NULL"
		" AND NOT EXISTS (SELECT 1 FROM movements c WHERE c.corrects_movement_id = m.id)"
		" ORDER BY m.at DESC, m.id DESC LIMIT 1";
	struct store_val p[] = {sv_int(person_id)};
	int rc = tx ? store_tx_query(tx, q, p, 1, out, err)
		    : store_query(s, q, p, 1, out, err);
	if (rc == 0 && store_rows_count(*out) == 0) {
		store_rows_free(out);
		return sigm_error_set(err, SIGM_ENOTFOUND, "no_movement", NULL,
				      "sin movimientos");
	}
	return rc;
}

int ledger_monthly(struct store *s, const char *month, struct store_rows **out,
		   struct sigm_error *err)
{
	struct store_val p[] = {sv_text(month)};
	return store_query(s,
			   "SELECT port, direction, decision, n FROM movement_stats_monthly"
			   " WHERE month = $1 ORDER BY port, direction, decision",
			   p, 1, out, err);
}
