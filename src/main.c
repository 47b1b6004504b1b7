/*
 * main.c - the `ywtb` command: core's commands and the dispatch.
 *
 *   ywtb serve    run the HTTP server
 *   ywtb migrate  bring the database schema up to date
 *   ywtb backup   copy a SQLite database while it is in use
 *   ywtb verify   check the audit chain (--audit)
 *
 * The modules bring their own commands (`ywtb seed`, `ywtb admin user add`,
 * `ywtb verify license`, `ywtb import licenses` ...) and settings through
 * their descriptors (src/modules.c); main names no module.  core/cli.c reads
 * the arguments from the command tables and prints the help, after the
 * settings were read the same way for every command (core/config.h):
 * defaults, then the config file, then YWTB_* variables, then flags.
 */
#include "core/cli.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/events.h"
#include "http/server.h"
#include "modules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef YW_VERSION
#define YW_VERSION "0.0.0-dev"
#endif

/* A default relative directory (web, data) is looked up beside the binary
 * first: <bin>/../share/ywtb/NAME (installed), <bin>/../NAME (build/ywtb in a
 * checkout), <bin>/../../NAME (build/asan/ywtb); only when none exists is it
 * taken from the working directory.  So `ywtb` works from any directory, and
 * a data/ or web/ that happens to be in the working directory never wins over
 * the installed one (issue 21); a configured path is used as given. */
static void
resolve_dir(struct yw_config *cfg, const char *key, char **value)
{
    struct stat st;
    if (strcmp(yw_config_origin(cfg, key), "default") != 0)
        return;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    const char *const patterns[] = { "%s/../share/ywtb/%s", "%s/../%s", "%s/../../%s" };
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        char cand[8192];
        snprintf(cand, sizeof cand, patterns[i], exe, *value);
        char real[4096];
        if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode) && realpath(cand, real)) {
            yw_config_set(cfg, key, real, "default", NULL);
            return;
        }
    }
}

/* After the arguments were read, before any command runs. */
static int
prepare(struct yw_cli *cli)
{
    struct yw_config *cfg = cli->cfg;
    int lvl = yw_log_level_parse(cfg->log_level);
    if (lvl < 0) {
        fprintf(stderr, "ywtb: log_level '%s' is not debug, info, warn or error\n", cfg->log_level);
        return 2;
    }
    yw_log_set_level((enum yw_log_level)lvl);
    resolve_dir(cfg, "web_root", &cfg->web_root);
    resolve_dir(cfg, "data_dir", &cfg->data_dir);
    if (yw_crypto_init() != 0) {
        fprintf(stderr, "ywtb: cannot initialise the crypto library\n");
        return 1;
    }
    return 0;
}

static int
open_db(struct yw_config *cfg, struct yw_db **db, bool migrate)
{
    struct yw_err err = { 0 };
    if (yw_db_open(cfg->db, db, &err) != 0) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    if (migrate) {
        int applied = 0;
        if (yw_db_migrate(*db, &applied, &err) != 0) {
            fprintf(stderr, "ywtb: %s\n", err.msg);
            yw_db_close(*db);
            *db = NULL;
            return 1;
        }
    }
    return 0;
}

/* spec.open: the database of a command, closed by main after the command. */
static int
open_app(struct yw_cli *cli, bool migrate)
{
    return open_db(cli->cfg, &cli->app->db, migrate);
}

static int
init_modules(struct yw_app *app)
{
    for (size_t i = 0; i < yw_nmodules; i++) {
        struct yw_err err = { 0 };
        if (yw_modules[i]->init && yw_modules[i]->init(app, &err) != 0) {
            fprintf(stderr, "ywtb: module %s: %s\n", yw_modules[i]->name, err.msg);
            return 1;
        }
    }
    return 0;
}

static void
shutdown_modules(void)
{
    for (size_t i = yw_nmodules; i-- > 0;)
        if (yw_modules[i]->shutdown)
            yw_modules[i]->shutdown();
}

static void
on_ready(struct yw_app *app, int port)
{
    const char *colon = strrchr(app->cfg->listen, ':');
    char host[128];
    snprintf(host, sizeof host, "%.*s", colon ? (int)(colon - app->cfg->listen) : 0,
             app->cfg->listen);
    if (host[0] == '\0' || !strcmp(host, "0.0.0.0") || !strcmp(host, "*"))
        snprintf(host, sizeof host, "127.0.0.1");
    yw_log_info("main", "ready in %lld ms: http://%s:%d/ (database %s)",
                (long long)(yw_clock_real_ms() - app->started_ms), host, port,
                yw_db_url_redacted(app->db));
}

static int
cmd_serve(struct yw_cli *cli)
{
    struct yw_config *cfg = cli->cfg;
    struct yw_app *app = cli->app;
    if (yw_cli_flag(cli, "print-config")) {
        yw_config_print(cfg, stdout);
        return 0;
    }
    if (cfg->clock && *cfg->clock) {
        int64_t at;
        if (yw_clock_parse(cfg->clock, &at) != 0) {
            fprintf(
                stderr,
                "ywtb: --clock '%s' is not an ISO-8601 instant like 2026-09-24T10:00:00+08:00\n",
                cfg->clock);
            return 2;
        }
        yw_clock_set(at);
        cfg->test_api = true;
        yw_log_warn("main",
                    "DEMO/TEST CLOCK: the server clock starts at %s and runs on; "
                    "/api/v1/test/clock can move it forward. Never use this in production.",
                    cfg->clock);
    }
    if (cfg->trust_proxy) {
        /* X-Forwarded-For is believed: a client that reaches ywtb itself, not
         * through the proxy, can name any address (issue 21) */
        const char *colon = strrchr(cfg->listen, ':');
        size_t hl = colon ? (size_t)(colon - cfg->listen) : 0;
        const char *h = cfg->listen;
        if (hl == 0 || (hl == 7 && !strncmp(h, "0.0.0.0", 7)) || (hl == 1 && *h == '*') ||
            (hl == 4 && !strncmp(h, "[::]", 4)) || (hl == 2 && !strncmp(h, "::", 2)))
            yw_log_warn("main",
                        "listen %s takes connections on every interface while trust_proxy is on: "
                        "anyone who reaches this port directly can forge X-Forwarded-For (the "
                        "client address of login limits and the access log); listen on "
                        "127.0.0.1 behind the proxy",
                        cfg->listen);
    }
    app->started_ms = yw_clock_real_ms();
    if (yw_cli_open(cli, true))
        return 1;
    if (cfg->db_read && *cfg->db_read) {
        struct yw_err err = { 0 };
        if (yw_db_replica_open(app->db, cfg->db_read, cfg->db_read_max_lag * 1000, 0, &err) != 0) {
            fprintf(stderr, "ywtb: %s\n", err.msg);
            yw_db_close(app->db);
            app->db = NULL;
            return 1;
        }
    }
    int rc = init_modules(app);
    if (rc == 0) {
        struct yw_err err = { 0 };
        /* the events' after-commit subscribers (db/events.h), once every module subscribed */
        if (yw_events_start(app->db, &err) != 0 ||
            yw_server_run(app, yw_modules, yw_nmodules, on_ready, &err) != 0) {
            fprintf(stderr, "ywtb: %s\n", err.msg);
            rc = 1;
        }
        yw_events_stop();
    }
    shutdown_modules();
    yw_db_close(app->db);
    app->db = NULL;
    return rc;
}

static int
cmd_migrate(struct yw_cli *cli)
{
    if (yw_cli_open(cli, false))
        return 1;
    struct yw_err err = { 0 };
    int applied = 0, version = 0;
    int rc = yw_db_migrate(cli->app->db, &applied, &err);
    if (rc == 0)
        yw_db_schema_version(cli->app->db, &version);
    if (rc) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    printf("migrated: %d applied, schema version %d\n", applied, version);
    return 0;
}

/* Progress of `ywtb backup` on a terminal: one line rewritten in place. */
static void
backup_progress(void *ctx, int copied, int total)
{
    (void)ctx;
    fprintf(stderr, "\rbackup: %3d%% (%d of %d pages)", total ? (int)(100LL * copied / total) : 100,
            copied, total);
    if (copied >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int
cmd_backup(struct yw_cli *cli)
{
    struct yw_db_backup_opts o = { .timeout_s = 3600 };
    const char *t = yw_cli_opt(cli, "timeout");
    if (t) {
        char *end;
        long v = strtol(t, &end, 10);
        if (*t == '\0' || *end || v < 0 || v > 7 * 86400) {
            fprintf(stderr, "ywtb: --timeout '%s' is not a number of seconds (0 = none)\n", t);
            return 2;
        }
        o.timeout_s = (int)v;
    }
    if (isatty(STDERR_FILENO))
        o.progress = backup_progress;
    if (yw_cli_open(cli, false))
        return 1;
    struct yw_err err = { 0 };
    int rc = yw_db_backup_with(cli->app->db, cli->args[0], &o, &err);
    if (rc) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    printf("backup written to %s\n", cli->args[0]);
    return 0;
}

static int
cmd_verify(struct yw_cli *cli)
{
    if (!yw_cli_flag(cli, "audit")) {
        yw_cli_help(cli);
        return 2;
    }
    if (yw_cli_open(cli, false))
        return 1;
    struct yw_err err = { 0 };
    struct yw_audit_report rep;
    int rc = yw_audit_verify(cli->app->db, &rep, &err);
    if (rc) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    if (rep.bad_seq == -1) { /* a signed tree head, not a record */
        printf("audit tree BROKEN: %s (%lld records and %lld tree heads verified before it)\n",
               rep.problem, (long long)rep.records, (long long)rep.sths);
        return 1;
    }
    if (rep.bad_seq) {
        printf("audit chain BROKEN at record %lld: %s (%lld records verified before it)\n",
               (long long)rep.bad_seq, rep.problem, (long long)rep.records);
        return 1;
    }
    printf("audit chain intact: %lld records\n", (long long)rep.records);
    printf("audit tree intact: %lld records sealed, %lld signed tree heads verified, %lld "
           "chains\n",
           (long long)rep.sealed, (long long)rep.sths, (long long)rep.chains);
    return 0;
}

static const struct yw_option serve_options[] = {
    { "print-config", NULL, "show the effective settings and where each came from, then exit" },
    { NULL },
};

static const struct yw_option backup_options[] = {
    { "timeout", "SECONDS", "give up after this long, leaving no file (default 3600; 0 = never)" },
    { NULL },
};

static const struct yw_option verify_options[] = {
    { "audit", NULL, "check the audit log: every chain, the signed tree heads, the tree" },
    { NULL },
};

static const struct yw_command core_commands[] = {
    {
        .name = "serve",
        .summary = "run the HTTP server (portal, workbench and API)",
        .usage = "[--listen HOST:PORT] [--db URL] [--config FILE] [--clock INSTANT]\n"
                 " [--print-config] [--SETTING VALUE ...]",
        .help = "Runs the server until SIGTERM/SIGINT.  Migrates the database first.\n",
        .options = serve_options,
        .run = cmd_serve,
        .flags = YW_CMD_LIST_SETTINGS,
    },
    {
        .name = "migrate",
        .summary = "bring the database schema up to date",
        .usage = "--db URL",
        .help = "Applies every migration the database has not seen, each in its own transaction.\n",
        .run = cmd_migrate,
    },
    {
        .name = "backup",
        .summary = "online copy of a SQLite database: ywtb backup FILE",
        .usage = "--db sqlite:PATH [--timeout SECONDS] FILE",
        .help = "Writes a consistent copy of the SQLite database to FILE (mode 0600) while the\n"
                "server runs: one snapshot, read in one transaction, so writes go on and do not\n"
                "restart it.  Shows its progress when stderr is a terminal.\n"
                "PostgreSQL: use pg_dump (docs/OPERATIONS.md).\n",
        .options = backup_options,
        .min_args = 1,
        .max_args = 1,
        .run = cmd_backup,
    },
    {
        .name = "verify",
        .summary = "check the audit chain (--audit)",
        .usage = "--audit --db URL",
        .help = "Walks the audit chain and reports the first record that was changed, removed or\n"
                "reordered.  Exit status 0 when intact, 1 when not.\n",
        .options = verify_options,
        .run = cmd_verify,
    },
};

int
main(int argc, char **argv)
{
    struct yw_config cfg;
    yw_config_init(&cfg);
    struct yw_app app = { .cfg = &cfg,
                          .version = YW_VERSION,
                          .started_ms = yw_clock_real_ms(),
                          .modules = yw_modules,
                          .nmodules = yw_nmodules };
    /* every command: core's, then each module's in module order */
    size_t ncore = sizeof core_commands / sizeof core_commands[0], ncmds = ncore;
    for (size_t m = 0; m < yw_nmodules; m++)
        for (const struct yw_command *c = yw_modules[m]->commands; c && c->name; c++)
            ncmds++;
    const struct yw_command **cmds = calloc(ncmds, sizeof *cmds);
    int rc = cmds ? 0 : 1;
    size_t n = 0;
    for (size_t i = 0; cmds && i < ncore; i++)
        cmds[n++] = &core_commands[i];
    for (size_t m = 0; cmds && m < yw_nmodules; m++) {
        for (const struct yw_command *c = yw_modules[m]->commands; c && c->name; c++)
            cmds[n++] = c;
        struct yw_err err = { 0 };
        if (rc == 0 && yw_modules[m]->settings &&
            yw_config_add(&cfg, yw_modules[m]->settings, &err) != 0) {
            fprintf(stderr, "ywtb: module %s: %s\n", yw_modules[m]->name, err.msg);
            rc = 1;
        }
    }
    if (rc == 0) {
        struct yw_cli_spec spec = { .version = YW_VERSION,
                                    .cmds = cmds,
                                    .ncmds = ncmds,
                                    .cfg = &cfg,
                                    .app = &app,
                                    .prepare = prepare,
                                    .open = open_app };
        rc = yw_cli_main(&spec, argc, argv);
    }
    if (app.db)
        yw_db_close(app.db);
    free(cmds);
    yw_config_release(&cfg);
    return rc;
}
