/* screen.c - placeholder until the screen module lands; see the issue tracker. */
#include "cli/cli.h"

int cmd_screen(int argc, char **argv)
{
	(void)argc;
	return cli_usage(argv[0], "todavía no implementado");
}
