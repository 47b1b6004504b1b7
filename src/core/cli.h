/*
 * cli.h - the `ywtb` command line as data.
 *
 * Each command is one row (struct yw_command): the words that name it ("seed",
 * "verify license", "admin user add"), a summary, its usage, its option table
 * and the function that runs it.  Core's commands are in main.c; a module's
 * come with its descriptor (struct yw_module.commands), so adding a module's
 * command touches only that module's folder.  One parser (yw_cli_main) reads
 * every command's arguments from its table, and `ywtb --help` and
 * `ywtb COMMAND --help` are printed from the same tables.
 *
 * Every command also takes every setting (core/config.h) as --key VALUE or
 * --key=VALUE, and --config FILE; the config file, YWTB_* variables and those
 * flags are applied before the command runs (default < file < env < flag).
 * An option the command does not list and that is no setting is refused
 * (exit 2).
 *
 * This file knows nothing of the database or HTTP: the caller (main.c)
 * passes the application and the function that opens its database.
 */
#ifndef YW_CORE_CLI_H
#define YW_CORE_CLI_H

#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct yw_app; /* http/http.h */
struct yw_cli;
struct yw_cli_spec;

/* An option of one command: --name, or --name VALUE / --name=VALUE. */
struct yw_option {
    const char *name; /* without the dashes: "keys"; NULL ends a table */
    const char *arg;  /* the value's name in help ("FILE"); NULL for a flag without value */
    const char *help; /* one line */
};

/* Runs a command whose arguments were parsed: returns the process's exit
 * status (0 success, 1 failure, 2 bad usage). */
typedef int (*yw_command_fn)(struct yw_cli *cli);

enum {
    YW_CMD_LIST_SETTINGS = 1u << 0, /* its --help lists every setting (serve) */
};

struct yw_command {
    const char *name;    /* the words after `ywtb`, one space apart; NULL ends a table */
    const char *summary; /* one line for `ywtb --help` */
    const char *usage;   /* what follows `ywtb NAME` on its usage line; '\n' between forms,
                          * "\n " (a space) before a form's continuation */
    const char *help;    /* paragraphs for `ywtb NAME --help` ('\n'-terminated), or NULL */
    const struct yw_option *options; /* ends with { NULL }; NULL for none */
    int min_args;                    /* positional arguments after the name: at least */
    int max_args;                    /* and at most; -1 = any number */
    yw_command_fn run;
    unsigned flags; /* YW_CMD_* */
};

#define YW_CLI_MAX_OPTIONS 16

/* What a running command sees. */
struct yw_cli {
    const struct yw_command *cmd;
    struct yw_config *cfg; /* every setting, with the flags applied */
    struct yw_app *app;    /* the caller's: cfg and version set; db NULL until yw_cli_open() */
    int nargs;             /* positional arguments, in order */
    char **args;
    const char *opt[YW_CLI_MAX_OPTIONS]; /* parallel to cmd->options: the value ("" for a
                                          * flag) or NULL when not given */
    const struct yw_cli_spec *spec;
};

/* The whole command line of a program. */
struct yw_cli_spec {
    const char *version;                  /* `ywtb --version` */
    const struct yw_command *const *cmds; /* every command, in the order `ywtb --help` lists them */
    size_t ncmds;
    struct yw_config *cfg; /* core's settings and every module's, added */
    struct yw_app *app;    /* handed to the command */
    /* After the arguments were read and before the command runs (log level,
     * directories): 0 to go on, or the exit status.  May be NULL. */
    int (*prepare)(struct yw_cli *cli);
    /* Open cfg->db into app->db, migrating it when asked: 0, or the exit status
     * with the error printed.  The caller closes app->db after yw_cli_main. */
    int (*open)(struct yw_cli *cli, bool migrate);
    FILE *out, *err; /* help / messages; NULL for stdout / stderr */
};

/* Run the command argv names (argv[0] is the program): find it by its words,
 * read the config file, YWTB_* variables and the arguments, then call its run
 * function.  Prints help for --help, -h and `help`, the version for --version.
 * Returns the exit status: the command's, 0 after help, 2 for bad usage (an
 * unknown command or option, a missing value, a bad setting, a wrong number of
 * arguments), 1 when the tables themselves are inconsistent (yw_cli_check). */
int yw_cli_main(const struct yw_cli_spec *spec, int argc, char **argv);

/* 0, or YW_EINVAL with err saying what is wrong: two commands with one name,
 * a command with more than YW_CLI_MAX_OPTIONS options or one named like a
 * setting of spec->cfg, min_args > max_args. */
int yw_cli_check(const struct yw_cli_spec *spec, struct yw_err *err);

/* The value of the running command's option `name` (NULL when not given; ""
 * for a flag).  `name` must be in the command's table (abort otherwise). */
const char *yw_cli_opt(const struct yw_cli *cli, const char *name);
/* True when the flag or option `name` was given. */
bool yw_cli_flag(const struct yw_cli *cli, const char *name);

/* Open the database of cli->cfg into cli->app->db (spec->open): 0, or the
 * exit status to return (the error was printed). */
int yw_cli_open(struct yw_cli *cli, bool migrate);

/* Print the help of the running command's first word (every command that
 * begins with it) to spec->out: what a command prints before it exits 2 on bad
 * usage. */
void yw_cli_help(const struct yw_cli *cli);

#endif
