/*
 * test_cli.c - the command line as data (core/cli.c) and the settings tables
 * of modules (core/config.c): a module's settings added to a config, read
 * back, validated (range, choices) and printed; one parser reading every
 * command's options from its table (unknown option, missing value, bad
 * setting, --key=value, positional arguments); help made from the tables; and
 * the real modules' commands and settings fitting together.
 */
#include "testutil.h"

#include "core/cli.h"
#include "core/config.h"
#include "http/http.h"
#include "modules.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a module's settings ---- */

struct demo_settings {
    int64_t retries;
    char *colour;
    bool loud;
    char *token;
};

static const char *const colours[] = { "red", "green", "blue", NULL };

#define T struct demo_settings
static const struct yw_setting demo_rows[] = {
    YW_SET_INT(T, retries, "3", 1, 10, "how often to try"),
    YW_SET_ENUM(T, colour, "green", colours, "the colour"),
    YW_SET_BOOL(T, loud, "false", "shout"),
    YW_SET_SECRET(T, token, "", "a secret"),
};
#undef T
static const struct yw_settings demo_set = { "demo", demo_rows, 4, sizeof(struct demo_settings) };

/* A table whose key is core's: refused. */
struct clash_settings {
    int64_t threads;
};
static const struct yw_setting clash_rows[] = {
    YW_SET_INT(struct clash_settings, threads, "1", 0, 9, "core has it"),
};
static const struct yw_settings clash_set = { "clash", clash_rows, 1,
                                              sizeof(struct clash_settings) };

static char *
capture_print(const struct yw_config *c, bool usage)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    assert_non_null(f);
    if (usage)
        yw_config_usage(c, f);
    else
        yw_config_print(c, f);
    fclose(f);
    return out;
}

static void
test_module_settings(void **state)
{
    (void)state;
    struct yw_config c;
    struct yw_err err = { 0 };
    yw_config_init(&c);
    assert_null(yw_config_values(&c, &demo_set));
    assert_false(yw_config_is_key(&c, "retries"));
    assert_int_equal(yw_config_set(&c, "retries", "4", "flag", &err), YW_ENOTFOUND);

    assert_int_equal(yw_config_add(&c, &demo_set, &err), 0);
    assert_int_equal(yw_config_add(&c, &demo_set, &err), 0); /* again: nothing happens */
    assert_int_equal(c.ngroups, 1);
    const struct demo_settings *d = yw_config_values(&c, &demo_set);
    assert_non_null(d);
    assert_int_equal(d->retries, 3);
    assert_string_equal(d->colour, "green");
    assert_false(d->loud);
    assert_string_equal(yw_config_origin(&c, "retries"), "default");
    assert_true(yw_config_is_key(&c, "RETRIES"));

    /* set from every source like a core setting */
    assert_int_equal(yw_config_set(&c, "retries", "10", "flag", &err), 0);
    assert_int_equal(d->retries, 10);
    assert_string_equal(yw_config_origin(&c, "retries"), "flag");
    assert_int_equal(yw_config_set(&c, "colour", "blue", "file", &err), 0);
    assert_string_equal(d->colour, "blue");
    setenv("YWTB_LOUD", "yes", 1);
    assert_int_equal(yw_config_load_env(&c, &err), 0);
    unsetenv("YWTB_LOUD");
    assert_true(d->loud);
    assert_string_equal(yw_config_origin(&c, "loud"), "env");

    /* validation from the row: the range, the choices */
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_set(&c, "retries", "11", "flag", &err), YW_EINVAL);
    assert_string_equal(err.field, "retries");
    assert_string_equal(err.msg, "setting 'retries': '11' is not an integer from 1 to 10");
    assert_int_equal(yw_config_set(&c, "retries", "0", "flag", &err), YW_EINVAL);
    assert_int_equal(yw_config_set(&c, "retries", "x", "flag", &err), YW_EINVAL);
    assert_int_equal(d->retries, 10);
    assert_string_equal(yw_config_origin(&c, "retries"), "flag");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_set(&c, "colour", "purple", "flag", &err), YW_EINVAL);
    assert_string_equal(err.msg, "colour 'purple' is not red, green or blue");
    assert_string_equal(d->colour, "blue");
    /* core's log_level is such a row, with the message it always had */
    assert_int_equal(yw_config_set(&c, "log_level", "loud", "flag", &err), YW_EINVAL);
    assert_string_equal(err.msg, "log_level 'loud' is not debug, info, warn or error");
    assert_int_equal(yw_config_set(&c, "log_level", "warn", "flag", &err), 0);

    /* --print-config and --help show module settings after core's */
    assert_int_equal(yw_config_set(&c, "token", "s3cr3t-value", "flag", &err), 0);
    char *out = capture_print(&c, false);
    assert_non_null(strstr(out, "retries        = 10    # flag\n"));
    assert_non_null(strstr(out, "colour         = \"blue\"    # file\n"));
    assert_non_null(strstr(out, "loud           = true    # env\n"));
    assert_null(strstr(out, "s3cr3t"));
    assert_true(strstr(out, "trust_proxy") < strstr(out, "retries"));
    free(out);
    out = capture_print(&c, true);
    assert_non_null(strstr(out, "  --retries        how often to try (default: 3)\n"));
    assert_non_null(strstr(out, "  --listen "));
    free(out);

    /* a key that is already a setting is refused, and the table is not added */
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_config_add(&c, &clash_set, &err), YW_ECONFIG);
    assert_string_equal(err.field, "threads");
    assert_non_null(strstr(err.msg, "core"));
    assert_null(yw_config_values(&c, &clash_set));

    /* a file line for a module key */
    char *dir = yw_test_tmpdir();
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/t.conf", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("retries = 2\ncolour = \"red\"\n", f);
    fclose(f);
    assert_int_equal(yw_config_load_file(&c, path, &err), 0);
    assert_int_equal(d->retries, 2);
    assert_string_equal(d->colour, "red");
    f = fopen(path, "w");
    fputs("retries = 20\n", f);
    fclose(f);
    assert_int_equal(yw_config_load_file(&c, path, &err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "t.conf:1"));
    yw_test_rmtree(dir);
    free(dir);

    yw_config_release(&c);
    assert_int_equal(c.ngroups, 0);
    yw_config_release(&c);

    /* defaults without a config */
    struct demo_settings v;
    yw_settings_init(&demo_set, &v);
    assert_int_equal(v.retries, 3);
    assert_string_equal(v.colour, "green");
    yw_settings_release(&demo_set, &v);
    assert_null(v.colour);
}

/* ---- the parser and help, with a table of its own ---- */

static struct {
    int runs;
    const char *name;
    int nargs;
    char args[4][64];
    const char *level, *mode;
    bool fast;
    int64_t retries;
} got;

static int
run_record(struct yw_cli *cli)
{
    got.runs++;
    got.name = cli->cmd->name;
    got.nargs = cli->nargs;
    for (int i = 0; i < cli->nargs && i < 4; i++)
        snprintf(got.args[i], sizeof got.args[i], "%s", cli->args[i]);
    got.level = yw_cli_opt(cli, "level");
    got.fast = yw_cli_flag(cli, "fast");
    const struct demo_settings *d = yw_config_values(cli->cfg, &demo_set);
    got.retries = d ? d->retries : -1;
    return 0;
}

static int
run_mode(struct yw_cli *cli)
{
    got.runs++;
    got.name = cli->cmd->name;
    got.mode = yw_cli_opt(cli, "mode");
    if (got.mode == NULL) {
        yw_cli_help(cli);
        return 2;
    }
    return 7;
}

static const struct yw_option frob_options[] = {
    { "fast", NULL, "do it quickly" },
    { "level", "N", "how hard" },
    { NULL },
};
static const struct yw_option mode_options[] = {
    { "mode", "M", "which way" },
    { NULL },
};
static const struct yw_command test_commands[] = {
    { .name = "frob",
      .summary = "frob things",
      .usage = "[--fast] [--level N] FILE...",
      .help = "Frobs.\n",
      .options = frob_options,
      .min_args = 1,
      .max_args = 3,
      .run = run_record },
    { .name = "frob deep",
      .summary = "frob deeply",
      .usage = "--mode M",
      .options = mode_options,
      .run = run_mode },
    { .name = "gadget make",
      .summary = "make a gadget",
      .usage = "NAME\n NAME2",
      .min_args = 1,
      .max_args = 1,
      .run = run_record },
};

struct io {
    char *out, *err;
    size_t nout, nerr;
    FILE *fo, *fe;
};

/* Run argv (NULL-terminated, without the program) through yw_cli_main. */
static int
cli_run(struct yw_config *cfg, struct io *io, const char *const *words)
{
    const struct yw_command *cmds[] = { &test_commands[0], &test_commands[1], &test_commands[2] };
    static char bufs[32][128];
    char *argv[32] = { (char *)"ywtb" };
    int argc = 1;
    for (; words[argc - 1] && argc < 32; argc++) {
        snprintf(bufs[argc], sizeof bufs[argc], "%s", words[argc - 1]);
        argv[argc] = bufs[argc];
    }
    free(io->out);
    free(io->err);
    memset(io, 0, sizeof *io);
    io->fo = open_memstream(&io->out, &io->nout);
    io->fe = open_memstream(&io->err, &io->nerr);
    struct yw_cli_spec spec = {
        .version = "9.9.9", .cmds = cmds, .ncmds = 3, .cfg = cfg, .out = io->fo, .err = io->fe
    };
    memset(&got, 0, sizeof got);
    int rc = yw_cli_main(&spec, argc, argv);
    fclose(io->fo);
    fclose(io->fe);
    return rc;
}

#define RUN(...) cli_run(&cfg, &io, (const char *const[]){ __VA_ARGS__, NULL })

static void
test_parser(void **state)
{
    (void)state;
    /* away from any ywtb.conf; no YWTB_CONFIG */
    char *dir = yw_test_tmpdir();
    char old[4096];
    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(dir), 0);
    unsetenv("YWTB_CONFIG");
    struct yw_config cfg;
    struct yw_err err = { 0 };
    yw_config_init(&cfg);
    assert_int_equal(yw_config_add(&cfg, &demo_set, &err), 0);
    struct io io = { 0 };

    /* options from the table, settings as flags, positional arguments anywhere */
    assert_int_equal(RUN("frob", "a.txt", "--fast", "--level", "5", "--retries", "7", "b.txt"), 0);
    assert_int_equal(got.runs, 1);
    assert_string_equal(got.name, "frob");
    assert_int_equal(got.nargs, 2);
    assert_string_equal(got.args[0], "a.txt");
    assert_string_equal(got.args[1], "b.txt");
    assert_true(got.fast);
    assert_string_equal(got.level, "5");
    assert_int_equal(got.retries, 7);
    assert_string_equal(yw_config_origin(&cfg, "retries"), "flag");
    /* --key=value, dashes or underscores, for options and settings */
    assert_int_equal(RUN("frob", "--level=9", "--log_level=warn", "--web-root=/srv", "x"), 0);
    assert_string_equal(got.level, "9");
    assert_false(got.fast);
    assert_string_equal(cfg.log_level, "warn");
    assert_string_equal(cfg.web_root, "/srv");

    /* the command with the most matching words wins */
    assert_int_equal(RUN("frob", "deep", "--mode", "up"), 7);
    assert_string_equal(got.name, "frob deep");
    assert_string_equal(got.mode, "up");

    /* an option of another command is unknown here */
    assert_int_equal(RUN("frob", "x", "--mode", "up"), 2);
    assert_int_equal(got.runs, 0);
    assert_string_equal(io.err, "ywtb: unknown option '--mode' (see --help)\n");
    assert_int_equal(RUN("frob", "x", "--no-such-flag"), 2);
    assert_string_equal(io.err, "ywtb: unknown option '--no-such-flag' (see --help)\n");
    assert_int_equal(RUN("frob", "x", "--fast=yes"), 2); /* a flag takes no value */
    assert_string_equal(io.err, "ywtb: unknown option '--fast=yes' (see --help)\n");
    /* a missing value */
    assert_int_equal(RUN("frob", "x", "--level"), 2);
    assert_string_equal(io.err, "ywtb: --level needs a value\n");
    assert_int_equal(RUN("frob", "x", "--listen"), 2);
    assert_string_equal(io.err, "ywtb: --listen needs a value\n");
    assert_int_equal(RUN("frob", "x", "--config"), 2);
    /* a bad value of a setting */
    assert_int_equal(RUN("frob", "x", "--retries", "99"), 2);
    assert_string_equal(io.err, "ywtb: setting 'retries': '99' is not an integer from 1 to 10\n");
    assert_int_equal(RUN("frob", "x", "--threads", "many"), 2);
    assert_string_equal(io.err, "ywtb: setting 'threads': 'many' is not a non-negative integer\n");
    assert_int_equal(got.runs, 0);

    /* the number of positional arguments: help on stdout, exit 2 */
    assert_int_equal(RUN("frob"), 2);
    assert_int_equal(got.runs, 0);
    assert_non_null(strstr(io.out, "usage: ywtb frob [--fast] [--level N] FILE...\n"));
    assert_int_equal(RUN("frob", "1", "2", "3", "4"), 2);
    assert_int_equal(RUN("gadget", "make", "a", "b"), 2);

    /* help made from the table: usage lines, the options with their help */
    assert_int_equal(RUN("frob", "--help"), 0);
    assert_int_equal(got.runs, 0);
    assert_string_equal(
        io.out,
        "usage: ywtb frob [--fast] [--level N] FILE...\n"
        "       ywtb frob deep --mode M\n"
        "\n"
        "ywtb frob: frob things\n"
        "Frobs.\n"
        "\n"
        "  --fast     do it quickly\n"
        "  --level N  how hard\n"
        "\n"
        "ywtb frob deep: frob deeply\n"
        "\n"
        "  --mode M   which way\n"
        "\n"
        "Every setting is also a flag (--db URL, --data-dir DIR ...; `ywtb serve --help` lists "
        "them);\n--config FILE names the config file.\n");
    assert_int_equal(RUN("frob", "deep", "-h"), 0);
    assert_non_null(strstr(io.out, "  --mode M"));
    assert_int_equal(RUN("gadget", "make", "--help"), 0);
    assert_non_null(
        strstr(io.out, "usage: ywtb gadget make NAME\n                        NAME2\n"));
    /* a command's own misuse prints the same help */
    assert_int_equal(RUN("frob", "deep"), 2);
    assert_non_null(strstr(io.out, "usage: ywtb frob"));

    /* a known first word without a known command: help, 2 (0 with --help) */
    assert_int_equal(RUN("gadget"), 2);
    assert_non_null(strstr(io.out, "usage: ywtb gadget make"));
    assert_int_equal(RUN("gadget", "break", "--help"), 0);
    /* an unknown command: the list of commands on stderr */
    assert_int_equal(RUN("frobnicate"), 2);
    assert_string_equal(io.out, "");
    assert_non_null(strstr(io.err, "ywtb: unknown command 'frobnicate'\n\n"));
    assert_non_null(strstr(io.err, "  frob deep    frob deeply\n"));
    assert_int_equal(cli_run(&cfg, &io, (const char *const[]){ NULL }), 2);
    assert_non_null(strstr(io.err, "usage: ywtb COMMAND"));
    assert_int_equal(RUN("--help"), 0);
    assert_non_null(strstr(io.out, "ywtb 9.9.9 - "));
    assert_non_null(strstr(
        io.out,
        "\n  frob         frob things\n  frob deep    frob deeply\n  gadget make  make a gadget\n"));
    assert_int_equal(RUN("--version"), 0);
    assert_string_equal(io.out, "ywtb 9.9.9\n");

    /* the config file is read before the flags, which win */
    FILE *f = fopen("ywtb.conf", "w");
    assert_non_null(f);
    fputs("retries = 2\nlisten = 127.0.0.1:1\n", f);
    fclose(f);
    assert_int_equal(RUN("frob", "x", "--retries", "5"), 0);
    assert_int_equal(got.retries, 5);
    assert_string_equal(cfg.listen, "127.0.0.1:1");
    assert_string_equal(yw_config_origin(&cfg, "listen"), "file");
    f = fopen("other.conf", "w");
    fputs("retries = 4\n", f);
    fclose(f);
    assert_int_equal(RUN("frob", "x", "--config=other.conf"), 0);
    assert_int_equal(got.retries, 4);
    f = fopen("bad.conf", "w");
    fputs("colour = pink\n", f);
    fclose(f);
    assert_int_equal(RUN("frob", "x", "--config", "bad.conf"), 2);
    assert_string_equal(io.err, "ywtb: bad.conf:1: colour 'pink' is not red, green or blue\n");
    remove("ywtb.conf");
    remove("other.conf");
    remove("bad.conf");

    free(io.out);
    free(io.err);
    yw_config_release(&cfg);
    assert_int_equal(chdir(old), 0);
    yw_test_rmtree(dir);
    free(dir);
}

static void
test_check(void **state)
{
    (void)state;
    struct yw_config cfg;
    yw_config_init(&cfg);
    struct yw_err err = { 0 };
    static const struct yw_option bad_options[] = { { "listen", "X", "shadows a setting" },
                                                    { NULL } };
    const struct yw_command shadow = {
        .name = "x", .summary = "", .options = bad_options, .run = run_record
    };
    const struct yw_command *cmds[] = { &test_commands[0], &test_commands[0] };
    struct yw_cli_spec spec = { .cmds = cmds, .ncmds = 2, .cfg = &cfg };
    assert_int_equal(yw_cli_check(&spec, &err), YW_EINVAL);
    assert_non_null(strstr(err.msg, "defined twice"));
    cmds[1] = &shadow;
    assert_int_equal(yw_cli_check(&spec, &err), YW_EINVAL);
    assert_non_null(strstr(err.msg, "--listen"));
    /* yw_cli_main refuses to run with such tables */
    char *argv[] = { (char *)"ywtb", (char *)"frob", (char *)"a", NULL };
    FILE *devnull = fopen("/dev/null", "w");
    spec.err = devnull;
    memset(&got, 0, sizeof got);
    assert_int_equal(yw_cli_main(&spec, 3, argv), 1);
    assert_int_equal(got.runs, 0);
    fclose(devnull);
    yw_config_release(&cfg);
}

/* The real modules: their settings fit in one config beside core's, their
 * commands have distinct names and options that are no settings. */
static void
test_modules(void **state)
{
    (void)state;
    struct yw_config cfg;
    yw_config_init(&cfg);
    struct yw_err err = { 0 };
    const struct yw_command *cmds[64];
    size_t n = 0;
    for (size_t m = 0; m < yw_nmodules; m++) {
        if (yw_modules[m]->settings)
            assert_int_equal(yw_config_add(&cfg, yw_modules[m]->settings, &err), 0);
        for (const struct yw_command *c = yw_modules[m]->commands; c && c->name; c++) {
            assert_true(n < 64);
            cmds[n++] = c;
        }
    }
    struct yw_cli_spec spec = { .cmds = cmds, .ncmds = n, .cfg = &cfg };
    assert_int_equal(yw_cli_check(&spec, &err), 0);
    const char *names[] = { "admin user add", "verify license", "import licenses", "seed" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        bool found = false;
        for (size_t k = 0; k < n; k++)
            found |= !strcmp(cmds[k]->name, names[i]);
        assert_true(found);
    }
    /* identity's settings moved with it, defaults as before */
    for (const char *const *k =
             (const char *const[]){ "pwhash_ops", "pwhash_mem", "session_idle", "session_max",
                                    "session_cache", "session_cache_ms", NULL };
         *k; k++) {
        assert_true(yw_config_is_key(&cfg, *k));
        assert_string_equal(yw_config_origin(&cfg, *k), "default");
    }
    char *out = capture_print(&cfg, false);
    assert_non_null(strstr(out, "pwhash_ops     = 2    # default\n"));
    assert_non_null(strstr(out, "pwhash_mem     = 19922944    # default\n"));
    assert_non_null(strstr(out, "session_idle   = 1800    # default\n"));
    assert_non_null(strstr(out, "session_cache_ms = 5000    # default\n"));
    free(out);
    assert_int_equal(yw_config_set(&cfg, "pwhash_ops", "0", "flag", &err), YW_EINVAL);
    yw_config_release(&cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_settings),
        cmocka_unit_test(test_parser),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_modules),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
