/*
 * calendar.c - civil date arithmetic on day numbers; see calendar.h.
 *
 * The conversions are Howard Hinnant's days_from_civil / civil_from_days
 * (public domain algorithms): exact for the proleptic Gregorian calendar and
 * free of tables, so there is nothing to get out of date.
 */
#include "core/calendar.h"

#include <stdio.h>
#include <string.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cal_days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

bool cal_valid_ymd(int y, int m, int d)
{
	return y >= CAL_YEAR_MIN && y <= CAL_YEAR_MAX && m >= 1 && m <= 12 &&
	       d >= 1 && d <= cal_days_in_month(y, m);
}

int32_t cal_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;                                /* [0, 399] */
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;         /* [0, 146096] */
	return (int32_t)(era * 146097 + doe - 719468);
}

void cal_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int32_t z = day + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400) + (mm <= 2);
	*m = mm;
	*d = dd;
}

/* Reads exactly n ASCII digits; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "00", "XX" or "xx" mark an unknown month or day. */
static bool unknown_part(const char *s)
{
	return (s[0] == '0' && s[1] == '0') ||
	       ((s[0] == 'X' || s[0] == 'x') && (s[1] == 'X' || s[1] == 'x'));
}

static int bad_date(struct sigm_error *err, const char *field, const char *s)
{
	return sigm_error_set(err, SIGM_EINVAL, "invalid_date", field,
			      "fecha inválida: «%.40s» (se espera AAAA-MM-DD)",
			      s ? s : "");
}

int cal_parse(const char *s, struct cal_date *out, const char *field,
	      struct sigm_error *err)
{
	struct cal_date d = {0};
	size_t len = s ? strnlen(s, 16) : 0;

	if (len != 4 && len != 7 && len != 10)
		return bad_date(err, field, s);
	d.year = digits(s, 4);
	if (d.year < CAL_YEAR_MIN || d.year > CAL_YEAR_MAX)
		return bad_date(err, field, s);
	d.prec = CAL_PREC_YEAR;
	if (len >= 7) {
		if (s[4] != '-')
			return bad_date(err, field, s);
		if (!unknown_part(s + 5)) {
			d.month = digits(s + 5, 2);
			if (d.month < 1 || d.month > 12)
				return bad_date(err, field, s);
			d.prec = CAL_PREC_MONTH;
		}
	}
	if (len == 10) {
		if (s[7] != '-')
			return bad_date(err, field, s);
		if (!unknown_part(s + 8)) {
			/* A day without a month is no date anyone wrote on
			 * purpose: refuse it rather than guess. */
			if (d.prec != CAL_PREC_MONTH)
				return bad_date(err, field, s);
			d.day = digits(s + 8, 2);
			if (!cal_valid_ymd(d.year, d.month, d.day))
				return bad_date(err, field, s);
			d.prec = CAL_PREC_DAY;
		}
	}
	*out = d;
	return 0;
}

int cal_parse_day(const char *s, int32_t *out, const char *field,
		  struct sigm_error *err)
{
	struct cal_date d;
	if (!s || strnlen(s, 16) != 10 || cal_parse(s, &d, field, NULL) != 0 ||
	    d.prec != CAL_PREC_DAY)
		return bad_date(err, field, s);
	*out = cal_from_ymd(d.year, d.month, d.day);
	return 0;
}

int32_t cal_earliest(const struct cal_date *d)
{
	switch (d->prec) {
	case CAL_PREC_DAY: return cal_from_ymd(d->year, d->month, d->day);
	case CAL_PREC_MONTH: return cal_from_ymd(d->year, d->month, 1);
	case CAL_PREC_YEAR: return cal_from_ymd(d->year, 1, 1);
	case CAL_PREC_NONE: break;
	}
	return CAL_NONE;
}

int32_t cal_latest(const struct cal_date *d)
{
	switch (d->prec) {
	case CAL_PREC_DAY: return cal_from_ymd(d->year, d->month, d->day);
	case CAL_PREC_MONTH:
		return cal_from_ymd(d->year, d->month,
				    cal_days_in_month(d->year, d->month));
	case CAL_PREC_YEAR: return cal_from_ymd(d->year, 12, 31);
	case CAL_PREC_NONE: break;
	}
	return CAL_NONE;
}

int cal_local_day(const char *iso_utc, int offset_s, char out[static 11])
{
	int y, mo, d, hh, mm, n = 0;
	if (!iso_utc || sscanf(iso_utc, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &hh, &mm, &n) != 5 ||
	    n != 16 || !cal_valid_ymd(y, mo, d) || hh > 23 || mm > 59 || hh < 0 || mm < 0)
		return SIGM_EINVAL;
	int32_t day = cal_from_ymd(y, mo, d);
	int minutes = hh * 60 + mm + offset_s / 60;
	/* floor division: an offset never moves more than a day either way */
	day += minutes < 0 ? -1 : minutes >= 24 * 60 ? 1 : 0;
	cal_format(day, out);
	return 0;
}

void cal_format(int32_t day, char buf[static 11])
{
	int y, m, d;
	if (day == CAL_NONE) {
		buf[0] = 0;
		return;
	}
	cal_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		buf[0] = 0;
		return;
	}
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

void cal_format_es(int32_t day, char buf[static CAL_TEXT])
{
	/* the month abbreviations of CLDR's Spanish, which the browsers
	 * use for the same dates on the screens */
	static const char *const mon[] = {"ene", "feb", "mar", "abr", "may", "jun",
					  "jul", "ago", "sept", "oct", "nov", "dic"};
	int y, m, d;
	buf[0] = 0;
	if (day == CAL_NONE)
		return;
	cal_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999 || m < 1 || m > 12)
		return;
	snprintf(buf, CAL_TEXT, "%d %s %d", d, mon[m - 1], y);
}

int32_t cal_add_days(int32_t day, int32_t n)
{
	return day + n;
}

int32_t cal_add_months(int32_t day, int n)
{
	int y, m, d;
	cal_to_ymd(day, &y, &m, &d);
	int total = y * 12 + (m - 1) + n;
	y = total >= 0 ? total / 12 : -((-total + 11) / 12);
	m = total - y * 12 + 1;
	int dim = cal_days_in_month(y, m);
	return cal_from_ymd(y, m, d > dim ? dim : d);
}

int32_t cal_add_years(int32_t day, int n)
{
	int y, m, d;
	cal_to_ymd(day, &y, &m, &d);
	y += n;
	if (m == 2 && d == 29 && !is_leap(y))
		d = 28;
	return cal_from_ymd(y, m, d);
}

int32_t cal_days_between(int32_t a, int32_t b)
{
	return b - a;
}

int cal_age(int32_t birth, int32_t on)
{
	int by, bm, bd, oy, om, od;
	cal_to_ymd(birth, &by, &bm, &bd);
	cal_to_ymd(on, &oy, &om, &od);
	int age = oy - by;
	if (om < bm || (om == bm && od < bd))
		age--;
	return age;
}

int cal_age_range(const struct cal_date *birth, int32_t on, int *min,
		  int *max, struct sigm_error *err)
{
	int32_t first = cal_earliest(birth), last = cal_latest(birth);
	if (first == CAL_NONE)
		return sigm_error_set(err, SIGM_EINVAL, "invalid_date",
				      "birth_date", "falta la fecha de nacimiento");
	if (first > on)
		return sigm_error_set(err, SIGM_EINVAL, "birth_date_in_future",
				      "birth_date",
				      "la fecha de nacimiento es posterior a la "
				      "fecha de la inspección");
	if (last > on)
		last = on; /* born "this year/month": at least 0 */
	*max = cal_age(first, on);
	*min = cal_age(last, on);
	return 0;
}
