/*
 * calendar.h - civil dates as day numbers: parse and validate ISO 8601
 * dates (full or partial), days between, add days or years, age on a date.
 *
 * A full date is an int32_t day number: days since 1970-01-01 in the
 * proleptic Gregorian calendar (negative before 1970).  Day numbers compare
 * and subtract like integers, which is all the border rules need.  CAL_NONE
 * (INT32_MIN) means "no date" (a null in JSON) wherever a date is optional.
 *
 * Travel documents often carry partial birth dates (year only, or year and
 * month; ICAO 9303 writes the unknown parts as "<<" and many registries as
 * "00").  struct cal_date keeps the precision so that an age can be given as
 * a range instead of a guess.
 *
 * Pure: no clock.  "Today" is always an argument.
 */
#ifndef SIGM_CALENDAR_H
#define SIGM_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define CAL_NONE INT32_MIN

/* Supported range: years 1800..2999 (a birth date before 1800 or an expiry
 * after 2999 is a typing error, not a date). */
#define CAL_YEAR_MIN 1800
#define CAL_YEAR_MAX 2999

enum cal_precision {
	CAL_PREC_NONE = 0,  /* no date at all */
	CAL_PREC_YEAR = 1,  /* "1980", "1980-00-00", "1980-XX-XX" */
	CAL_PREC_MONTH = 2, /* "1980-05", "1980-05-00", "1980-05-XX" */
	CAL_PREC_DAY = 3,   /* "1980-05-17" */
};

struct cal_date {
	int year;  /* 0 when prec is NONE */
	int month; /* 1..12, 0 when unknown */
	int day;   /* 1..31, 0 when unknown */
	enum cal_precision prec;
};

/* true when y-m-d is a real calendar day (leap years included). */
bool cal_valid_ymd(int y, int m, int d);

/* Days in month m of year y (0 for a bad month). */
int cal_days_in_month(int y, int m);

/* Day number of a valid y-m-d (no range check: call cal_valid_ymd first). */
int32_t cal_from_ymd(int y, int m, int d);

/* Inverse of cal_from_ymd. */
void cal_to_ymd(int32_t day, int *y, int *m, int *d);

/*
 * Parses a full ISO date "YYYY-MM-DD" of exactly 10 characters into a day
 * number.  field names the input in the error.  Returns 0 or SIGM_EINVAL
 * (code "invalid_date").
 */
int cal_parse_day(const char *s, int32_t *out, const char *field,
		  struct sigm_error *err);

/*
 * Parses a full or partial date: "YYYY", "YYYY-MM", "YYYY-MM-DD", with the
 * unknown parts also accepted as "00" or "XX" ("1980-00-00", "1980-05-XX").
 * A known day with an unknown month is rejected.  Returns 0 or SIGM_EINVAL.
 */
int cal_parse(const char *s, struct cal_date *out, const char *field,
	      struct sigm_error *err);

/* First and last day a (partial) date can denote; CAL_NONE for no date. */
int32_t cal_earliest(const struct cal_date *d);
int32_t cal_latest(const struct cal_date *d);

/*
 * El Salvador keeps UTC-6 all year (no daylight saving).  Times are stored
 * in UTC; the day an officer, a report or a court means is the local one.
 */
#define CAL_SV_UTC_OFFSET_S (-6 * 3600)

/* The local day (offset_s from UTC) of a UTC timestamp
 * "YYYY-MM-DDTHH:MM[:SS…]" into out as "YYYY-MM-DD".  SIGM_EINVAL (out
 * untouched) when iso is not such a timestamp. */
int cal_local_day(const char *iso_utc, int offset_s, char out[static 11]);

/* Writes "YYYY-MM-DD" (11 bytes with the NUL) into buf; "" for CAL_NONE. */
void cal_format(int32_t day, char buf[static 11]);

/* A day as an officer reads it, as the screens write it (es-SV, "4 mar
 * 2027", "14 sept 2027"): CAL_TEXT bytes with the NUL; "" for CAL_NONE.
 * Messages use it; data (JSON fields, SQL) keep "YYYY-MM-DD". */
#define CAL_TEXT 16
void cal_format_es(int32_t day, char buf[static CAL_TEXT]);

/* day + n days (n may be negative). */
int32_t cal_add_days(int32_t day, int32_t n);

/* Same day n months later (n may be negative); a day past the end of the
 * target month becomes its last day (31 Aug + 6 months = 28/29 Feb). */
int32_t cal_add_months(int32_t day, int n);

/* Same month and day n years later; 29 February becomes 28 February in a
 * year that has none (the usual legal reading of "n years after"). */
int32_t cal_add_years(int32_t day, int n);

/* b - a in days. */
int32_t cal_days_between(int32_t a, int32_t b);

/* Age in whole years on day `on` of someone born on day `birth` (full
 * dates); somebody born on 29 February turns a year older on 1 March in
 * common years.  Negative when birth is after on. */
int cal_age(int32_t birth, int32_t on);

/*
 * Age range on day `on` for a possibly partial birth date: *min assumes the
 * latest possible birth day, *max the earliest.  Equal for full dates.
 * Returns SIGM_EINVAL (code "birth_date_in_future", field "birth_date") when
 * even the earliest possible birth day is after `on`, and for no date.
 * A partial date whose range straddles `on` (born "this year") gives min 0.
 */
int cal_age_range(const struct cal_date *birth, int32_t on, int *min,
		  int *max, struct sigm_error *err);

#endif
