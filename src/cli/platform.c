/* platform.c - placeholder; replaced by the platform commands. */
#include "cli/cli.h"
#define STUB(n) int cmd_##n(int argc, char **argv) { (void)argc; return cli_usage(argv[0], "todavía no implementado"); }
STUB(serve) STUB(migrate) STUB(backup) STUB(user) STUB(token) STUB(audit)
