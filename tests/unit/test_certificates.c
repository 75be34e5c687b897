/*
 * test_certificates.c - the pieces of the certificates that need no server:
 * verification codes as people type them, and dates in Spanish.
 */
#include "api/certificates.h"
#include "api/pdf.h"
#include "harness.h"

static void t_codes_fold_what_people_type(void)
{
	char c[CODE_LEN + 4];
	T_ASSERT(cert_canonical_code("7K2M-9QXH-4TZP-0ABC", c));
	T_EQ_STR(c, "7K2M-9QXH-4TZP-0ABC");
	T_ASSERT(cert_canonical_code("7k2m9qxh4tzp0abc", c));
	T_EQ_STR(c, "7K2M-9QXH-4TZP-0ABC");
	T_ASSERT(cert_canonical_code("7K2M 9QXH 4TZP OABC", c)); /* O read as 0 */
	T_EQ_STR(c, "7K2M-9QXH-4TZP-0ABC");
	T_ASSERT(cert_canonical_code("IL00-0000-0000-0000", c)); /* I, L read as 1 */
	T_EQ_STR(c, "1100-0000-0000-0000");
	T_ASSERT(!cert_canonical_code("7K2M-9QXH-4TZP-0AB", c));   /* short */
	T_ASSERT(!cert_canonical_code("7K2M-9QXH-4TZP-0ABCD", c)); /* long */
	T_ASSERT(!cert_canonical_code("7K2M-9QXH-4TZP-0ABU", c));  /* U not in the alphabet */
	T_ASSERT(!cert_canonical_code("../../etc/passwd", c));
	T_ASSERT(!cert_canonical_code("", c));
}

static void t_long_dates(void)
{
	char d[64];
	pdf_long_date("2026-11-25", d, sizeof(d));
	T_EQ_STR(d, "25 de noviembre de 2026");
	pdf_long_date("2026-01-01T10:00:00Z", d, sizeof(d));
	T_EQ_STR(d, "1 de enero de 2026");
	pdf_long_date("1980", d, sizeof(d));
	T_EQ_STR(d, "1980");
}

static const struct t_case cases[] = {T(t_codes_fold_what_people_type),
				      T(t_long_dates), {0}};
T_MAIN(cases)
