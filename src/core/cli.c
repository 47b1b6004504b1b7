/*
 * cli.c - the one parser and the help texts of the `ywtb` command line (see
 * cli.h).  Arguments are read exactly as the tables say: --name and
 * --name=value for the command's own options, --key VALUE and --key=VALUE for
 * every setting (dashes or underscores), --config FILE, --help or -h anywhere;
 * everything else not starting with `--` is a positional argument.
 */
#include "core/cli.h"

#include "core/mem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *
out_of(const struct yw_cli_spec *s)
{
    return s->out ? s->out : stdout;
}

static FILE *
err_of(const struct yw_cli_spec *s)
{
    return s->err ? s->err : stderr;
}

/* Length of the first word of a command name. */
static size_t
first_word_len(const char *name)
{
    const char *sp = strchr(name, ' ');
    return sp ? (size_t)(sp - name) : strlen(name);
}

/* True when `word` is the first word of the command's name. */
static bool
starts_with_word(const struct yw_command *c, const char *word)
{
    size_t n = first_word_len(c->name);
    return strlen(word) == n && strncmp(c->name, word, n) == 0;
}

/* How many of argv's words the command's name matches entirely (0 = not). */
static int
match_words(const struct yw_command *c, int argc, char **argv)
{
    const char *p = c->name;
    int k = 0;
    while (*p) {
        size_t n = first_word_len(p);
        if (k >= argc || strlen(argv[k]) != n || strncmp(argv[k], p, n) != 0)
            return 0;
        k++;
        p += n;
        if (*p == ' ')
            p++;
    }
    return k;
}

static size_t
noptions(const struct yw_command *c)
{
    size_t n = 0;
    while (c->options && c->options[n].name)
        n++;
    return n;
}

static void
usage(const struct yw_cli_spec *s, FILE *out)
{
    int w = 0;
    for (size_t i = 0; i < s->ncmds; i++)
        if ((int)strlen(s->cmds[i]->name) > w)
            w = (int)strlen(s->cmds[i]->name);
    fprintf(out, "ywtb %s - 一网通办 government services platform\n\n", s->version);
    fprintf(out, "usage: ywtb COMMAND [options]\n\ncommands:\n");
    /* in table order, but the commands that share a first word together */
    for (size_t i = 0; i < s->ncmds; i++) {
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)first_word_len(s->cmds[i]->name),
                 s->cmds[i]->name);
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= starts_with_word(s->cmds[j], word);
        for (size_t j = i; j < s->ncmds && !seen; j++)
            if (starts_with_word(s->cmds[j], word))
                fprintf(out, "  %-*s  %s\n", w, s->cmds[j]->name, s->cmds[j]->summary);
    }
    fprintf(out,
            "\nevery command takes --db URL and --config FILE; `ywtb COMMAND --help` for more.\n"
            "--version prints the version.\n");
}

/* One option's left column: "--name ARG". */
static void
option_label(const struct yw_option *o, char *buf, size_t n)
{
    snprintf(buf, n, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* Help of every command whose first word is `word`. */
static void
help_group(const struct yw_cli_spec *s, const char *word, FILE *out)
{
    size_t ncmd = 0;
    int w = 0;
    for (size_t i = 0; i < s->ncmds; i++) {
        if (!starts_with_word(s->cmds[i], word))
            continue;
        ncmd++;
        for (const struct yw_option *o = s->cmds[i]->options; o && o->name; o++) {
            char label[128];
            option_label(o, label, sizeof label);
            if ((int)strlen(label) > w)
                w = (int)strlen(label);
        }
    }
    /* the usage lines: one per form of each command */
    const char *lead = "usage:";
    for (size_t i = 0; i < s->ncmds; i++) {
        const struct yw_command *c = s->cmds[i];
        if (!starts_with_word(c, word))
            continue;
        const char *u = c->usage ? c->usage : "";
        do {
            size_t n = strcspn(u, "\n");
            if (*u == ' ') /* a continuation of the form above */
                fprintf(out, "%-6s %*s%.*s\n", "", (int)(strlen("ywtb ") + strlen(c->name)), "",
                        (int)n, u);
            else
                fprintf(out, "%-6s ywtb %s%s%.*s\n", lead, c->name, n ? " " : "", (int)n, u);
            lead = "";
            u += n;
        } while (*u++ == '\n');
    }
    bool settings = false;
    for (size_t i = 0; i < s->ncmds; i++) {
        const struct yw_command *c = s->cmds[i];
        if (!starts_with_word(c, word))
            continue;
        fputc('\n', out);
        if (ncmd > 1)
            fprintf(out, "ywtb %s: %s\n", c->name, c->summary);
        if (c->help)
            fputs(c->help, out);
        else if (ncmd == 1)
            fprintf(out, "%s\n", c->summary);
        if (c->options && c->options[0].name)
            fputc('\n', out);
        for (const struct yw_option *o = c->options; o && o->name; o++) {
            char label[128];
            option_label(o, label, sizeof label);
            fprintf(out, "  %-*s  %s\n", w, label, o->help);
        }
        settings |= (c->flags & YW_CMD_LIST_SETTINGS) != 0;
    }
    if (settings) {
        fprintf(out, "\nsettings (file key, YWTB_KEY variable, --key flag):\n");
        yw_config_usage(s->cfg, out);
    } else {
        fprintf(
            out,
            "\nEvery setting is also a flag (--db URL, --data-dir DIR ...; `ywtb serve --help` lists "
            "them);\n--config FILE names the config file.\n");
    }
}

void
yw_cli_help(const struct yw_cli *cli)
{
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)first_word_len(cli->cmd->name), cli->cmd->name);
    help_group(cli->spec, word, out_of(cli->spec));
}

int
yw_cli_check(const struct yw_cli_spec *s, struct yw_err *err)
{
    for (size_t i = 0; i < s->ncmds; i++) {
        const struct yw_command *c = s->cmds[i];
        if (c->name == NULL || *c->name == '\0' || c->run == NULL)
            return yw_fail(err, YW_EINVAL, "", "command %zu has no name or no run function", i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->cmds[j]->name, c->name) == 0)
                return yw_fail(err, YW_EINVAL, c->name, "command '%s' is defined twice", c->name);
        if (noptions(c) > YW_CLI_MAX_OPTIONS)
            return yw_fail(err, YW_EINVAL, c->name, "command '%s' has more than %d options",
                           c->name, YW_CLI_MAX_OPTIONS);
        if (c->max_args >= 0 && c->min_args > c->max_args)
            return yw_fail(err, YW_EINVAL, c->name,
                           "command '%s' takes at least %d and at most %d arguments", c->name,
                           c->min_args, c->max_args);
        for (const struct yw_option *o = c->options; o && o->name; o++)
            if (yw_config_is_key(s->cfg, o->name) || !strcmp(o->name, "config") ||
                !strcmp(o->name, "help"))
                return yw_fail(err, YW_EINVAL, o->name,
                               "option --%s of command '%s' is also a setting", o->name, c->name);
    }
    return 0;
}

/* Which of the command's options `a` ("--name" or "--name=value") is: its
 * index, or -1.  *value points after '=' when there is one. */
static int
find_option(const struct yw_command *c, const char *a, const char **value)
{
    const char *name = a + 2;
    size_t n = strcspn(name, "=");
    for (size_t k = 0; c->options && c->options[k].name; k++) {
        const struct yw_option *o = &c->options[k];
        if (strlen(o->name) != n || strncmp(o->name, name, n) != 0)
            continue;
        if (name[n] == '=' && o->arg == NULL)
            return -1; /* a flag takes no value */
        *value = name[n] == '=' ? name + n + 1 : NULL;
        return (int)k;
    }
    return -1;
}

/* A YWTB_ variable that names no setting (a typo: YWTB_LISEN) is ignored, but
 * said (issue 21); YWTB_CONFIG and the test harness's YWTB_TEST_* and
 * YWTB_BIN are not settings and not warned about. */
static void
warn_unknown_env(const struct yw_config *cfg, FILE *e)
{
    for (char **ep = environ; *ep; ep++) {
        const char *v = *ep;
        if (strncmp(v, "YWTB_", 5) != 0 || !strncmp(v, "YWTB_CONFIG=", 12) ||
            !strncmp(v, "YWTB_TEST_", 10) || !strncmp(v, "YWTB_BIN=", 9))
            continue;
        const char *eq = strchr(v, '=');
        size_t n = eq ? (size_t)(eq - v) : strlen(v);
        char key[80];
        if (n - 5 >= sizeof key)
            n = sizeof key + 4;
        size_t k = 0;
        for (size_t i = 5; i < n && k < sizeof key - 1; i++)
            key[k++] = (char)tolower((unsigned char)v[i]);
        key[k] = '\0';
        if (!yw_config_is_key(cfg, key))
            fprintf(e,
                    "ywtb: warning: the environment variable %.*s is not a setting and is ignored "
                    "(`ywtb serve --help` lists the settings)\n",
                    (int)n, v);
    }
}

/* Read the arguments after the command's words into cli and cli->cfg.
 * Returns 0 or the exit status 2 (the message printed). */
static int
parse(struct yw_cli *cli, int argc, char **argv, bool *want_help)
{
    const struct yw_cli_spec *s = cli->spec;
    FILE *e = err_of(s);
    struct yw_err err = { 0 };
    /* the config file first, so the flags override it */
    const char *config = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config = argv[i + 1];
        else if (!strncmp(argv[i], "--config=", 9))
            config = argv[i] + 9;
    }
    if (config == NULL && getenv("YWTB_CONFIG"))
        config = getenv("YWTB_CONFIG");
    if (config == NULL && access("ywtb.conf", R_OK) == 0)
        config = "ywtb.conf";
    if (config && yw_config_load_file(cli->cfg, config, &err) != 0) {
        fprintf(e, "ywtb: %s\n", err.msg);
        return 2;
    }
    if (yw_config_load_env(cli->cfg, &err) != 0) {
        fprintf(e, "ywtb: environment: %s\n", err.msg);
        return 2;
    }
    warn_unknown_env(cli->cfg, e);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        const char *value = NULL;
        int k;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *want_help = true;
        } else if (!strcmp(a, "--config") || !strncmp(a, "--config=", 9)) {
            if (a[8] == '\0' && next == NULL) {
                fprintf(e, "ywtb: %s needs a value\n", a);
                return 2;
            }
            i += a[8] == '\0';
        } else if (strncmp(a, "--", 2) != 0) {
            cli->args[cli->nargs++] = argv[i];
        } else if ((k = find_option(cli->cmd, a, &value)) >= 0) {
            const struct yw_option *o = &cli->cmd->options[k];
            if (o->arg == NULL) {
                cli->opt[k] = "";
            } else if (value) {
                cli->opt[k] = value;
            } else if (next == NULL) {
                fprintf(e, "ywtb: %s needs a value\n", a);
                return 2;
            } else {
                cli->opt[k] = next;
                i++;
            }
        } else {
            /* a setting: --key VALUE or --key=VALUE */
            char key[64];
            const char *eq = strchr(a, '=');
            size_t kn = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            if (kn < sizeof key)
                snprintf(key, sizeof key, "%.*s", (int)kn, a + 2);
            if (kn >= sizeof key || !yw_config_is_key(cli->cfg, key)) {
                fprintf(e, "ywtb: unknown option '%s' (see --help)\n", a);
                return 2;
            }
            if (eq) {
                value = eq + 1;
            } else if (next == NULL) {
                fprintf(e, "ywtb: %s needs a value\n", a);
                return 2;
            } else {
                value = next;
                i++;
            }
            if (yw_config_set(cli->cfg, key, value, "flag", &err) != 0) {
                fprintf(e, "ywtb: %s\n", err.msg);
                return 2;
            }
        }
    }
    return 0;
}

int
yw_cli_main(const struct yw_cli_spec *s, int argc, char **argv)
{
    FILE *out = out_of(s), *e = err_of(s);
    struct yw_err err = { 0 };
    if (yw_cli_check(s, &err) != 0) {
        fprintf(e, "ywtb: %s\n", err.msg);
        return 1;
    }
    if (argc < 2) {
        usage(s, e);
        return 2;
    }
    const char *first = argv[1];
    if (!strcmp(first, "--version") || !strcmp(first, "version")) {
        fprintf(out, "ywtb %s\n", s->version);
        return 0;
    }
    if (!strcmp(first, "--help") || !strcmp(first, "-h") || !strcmp(first, "help")) {
        usage(s, out);
        return 0;
    }
    /* the command whose name matches most words */
    const struct yw_command *cmd = NULL;
    int nwords = 0;
    for (size_t i = 0; i < s->ncmds; i++) {
        int k = match_words(s->cmds[i], argc - 1, argv + 1);
        if (k > nwords) {
            cmd = s->cmds[i];
            nwords = k;
        }
    }
    if (cmd == NULL) {
        /* `ywtb admin` or `ywtb import cases`: the first word is known, the rest not */
        bool known = false;
        for (size_t i = 0; i < s->ncmds; i++)
            known |= starts_with_word(s->cmds[i], first);
        if (!known) {
            fprintf(e, "ywtb: unknown command '%s'\n\n", first);
            usage(s, e);
            return 2;
        }
        bool help = false;
        for (int i = 2; i < argc; i++)
            help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
        help_group(s, first, out);
        return help ? 0 : 2;
    }
    int rest = argc - 1 - nwords;
    struct yw_cli cli = { .cmd = cmd, .cfg = s->cfg, .app = s->app, .spec = s };
    cli.args = yw_xmalloc(((size_t)rest + 1) * sizeof *cli.args);
    bool help = false;
    int rc = parse(&cli, rest, argv + 1 + nwords, &help);
    if (rc == 0 && help) {
        yw_cli_help(&cli);
    } else if (rc == 0 &&
               (cli.nargs < cmd->min_args || (cmd->max_args >= 0 && cli.nargs > cmd->max_args))) {
        yw_cli_help(&cli);
        rc = 2;
    } else if (rc == 0 && (!s->prepare || (rc = s->prepare(&cli)) == 0)) {
        rc = cmd->run(&cli);
    }
    free(cli.args);
    return rc;
}

const char *
yw_cli_opt(const struct yw_cli *cli, const char *name)
{
    for (size_t k = 0; cli->cmd->options && cli->cmd->options[k].name; k++)
        if (!strcmp(cli->cmd->options[k].name, name))
            return cli->opt[k];
    fprintf(stderr, "ywtb: command '%s' has no option --%s\n", cli->cmd->name, name);
    abort();
}

bool
yw_cli_flag(const struct yw_cli *cli, const char *name)
{
    return yw_cli_opt(cli, name) != NULL;
}

int
yw_cli_open(struct yw_cli *cli, bool migrate)
{
    return cli->spec->open(cli, migrate);
}
