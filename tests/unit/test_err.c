/* test_err.c - struct sigm_error filling and truncation. */
#include "core/err.h"
#include "harness.h"

static void t_set_returns_rc_and_fills(void)
{
	struct sigm_error e;
	int rc = sigm_error_set(&e, SIGM_EINVAL, "invalid_field", "birth_date",
				"fecha inválida: %s", "2099-01-01");
	T_EQ_INT(rc, SIGM_EINVAL);
	T_EQ_INT(e.rc, SIGM_EINVAL);
	T_EQ_STR(e.code, "invalid_field");
	T_EQ_STR(e.field, "birth_date");
	T_EQ_STR(e.message, "fecha inválida: 2099-01-01");
}

static void t_null_err_is_allowed(void)
{
	T_EQ_INT(sigm_error_set(NULL, SIGM_ENOTFOUND, NULL, NULL, "x"),
		 SIGM_ENOTFOUND);
}

static void t_default_code_and_truncation(void)
{
	struct sigm_error e;
	char big[1000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	sigm_error_set(&e, SIGM_ECONFLICT, NULL, big, "%s", big);
	T_EQ_STR(e.code, "conflict");
	T_EQ_INT(strlen(e.field), sizeof(e.field) - 1);
	T_EQ_INT(strlen(e.message), sizeof(e.message) - 1);
}

static const struct t_case cases[] = {
	T(t_set_returns_rc_and_fills),
	T(t_null_err_is_allowed),
	T(t_default_code_and_truncation),
	{0},
};
T_MAIN(cases)
