/* mrz.c - placeholder until the mrz module lands; see the issue tracker. */
#include "cli/cli.h"

int cmd_mrz(int argc, char **argv)
{
	(void)argc;
	return cli_usage(argv[0], "todavía no implementado");
}
