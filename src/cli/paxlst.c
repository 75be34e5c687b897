/* paxlst.c - placeholder until the paxlst module lands; see the issue tracker. */
#include "cli/cli.h"

int cmd_paxlst(int argc, char **argv)
{
	(void)argc;
	return cli_usage(argv[0], "todavía no implementado");
}
