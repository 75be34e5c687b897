/*
 * cli.h - the subcommands of the sigm binary.
 *
 * main.c dispatches argv[1] through one table to cmd_<name>(argc, argv),
 * where argv[0] is the subcommand's name.  A command returns the process exit
 * status: 0 success, 1 a negative verdict (invalid document, failed audit),
 * 2 unusable input or usage error.  Commands print to stdout/stderr; library
 * code below src/cli never does.
 */
#ifndef SIGM_CLI_H
#define SIGM_CLI_H

#include <stddef.h>

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_mrz(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_paxlst(int argc, char **argv);

/* Prints "sigm NAME: message" to stderr; returns 2 (usage). */
int cli_usage(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads a whole file ("-" or NULL = stdin) up to cap bytes; NUL-terminated,
 * caller frees.  Returns NULL and prints the reason on failure. */
char *cli_read_file(const char *path, size_t cap, size_t *len_r);

#endif
