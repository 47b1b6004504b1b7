/*
 * main.c - the `ywtb` command: subcommand dispatch.
 *
 *   ywtb serve    run the HTTP server
 *   ywtb migrate  bring the database schema up to date
 *   ywtb seed     load demo data
 *   ywtb admin    manage staff accounts
 *   ywtb backup   copy a SQLite database while it is in use
 *   ywtb verify   check the audit chain
 *
 * Each subcommand reads its settings the same way (core/config.h): defaults,
 * then the config file, then YWTB_* variables, then flags.
 */
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db.h"
#include "http/server.h"
#include "catalog/catalog.h"
#include "core/calendar.h"
#include "identity/identity.h"
#include "licenses/licenses.h"
#include "modules.h"
#include "seed/seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef YW_VERSION
#define YW_VERSION "0.0.0-dev"
#endif

/* Positional arguments a command takes at most (verify license FILE...). */
#define YW_MAX_POSITIONAL 4096

/* Flags a subcommand takes beyond the settings. */
struct opts {
    const char *config;
    bool print_config;
    bool demo;
    bool catalog; /* seed --catalog: the catalog only, no demo accounts */
    const char *scale;
    const char *cases;
    const char *keys, *status_list;
    bool audit;
    const char *positional[YW_MAX_POSITIONAL]; /* verify license takes many documents */
    int npos;
    /* admin user add */
    const char *username, *password, *name, *dept, *roles;
};

static void resolve_dir(struct yw_config *cfg, const char *key, char **value);

static void
usage(FILE *out)
{
    fprintf(out,
            "ywtb %s - 一网通办 government services platform\n\n"
            "usage: ywtb COMMAND [options]\n\n"
            "commands:\n"
            "  serve     run the HTTP server (portal, workbench and API)\n"
            "  migrate   bring the database schema up to date\n"
            "  seed      load demo data (--demo)\n"
            "  admin     manage staff accounts (admin user add ...)\n"
            "  backup    online copy of a SQLite database: ywtb backup FILE\n"
            "  verify    check the audit chain (--audit) or a license document offline\n"
            "  import    bulk-import licenses: ywtb import licenses FILE\n\n"
            "every command takes --db URL and --config FILE; `ywtb COMMAND --help` for more.\n"
            "--version prints the version.\n",
            YW_VERSION);
}

static void
command_help(const char *cmd)
{
    if (!strcmp(cmd, "serve")) {
        printf("usage: ywtb serve [--listen HOST:PORT] [--db URL] [--config FILE] [--clock INSTANT]\n"
               "                  [--print-config] [--SETTING VALUE ...]\n\n"
               "Runs the server until SIGTERM/SIGINT.  Migrates the database first.\n"
               "--print-config shows the effective settings and where each came from, then exits.\n\n"
               "settings (file key, YWTB_KEY variable, --key flag):\n");
        yw_config_usage(stdout);
    } else if (!strcmp(cmd, "migrate")) {
        printf("usage: ywtb migrate --db URL\n\nApplies every migration the database has not seen, "
               "each in its own transaction.\n");
    } else if (!strcmp(cmd, "seed")) {
        printf("usage: ywtb seed --demo --db URL\n"
               "       ywtb seed --catalog --db URL\n"
               "       ywtb seed --scale xuhui|small [--cases N] --db URL\n\n"
               "--demo loads the catalog (data/catalog) and the demo accounts (idempotent) and prints\n"
               "their logins.  --catalog loads the catalog only (production): into an empty database\n"
               "all of it; over a loaded one it refreshes departments and e-license types from the files\n"
               "(new ones added; names, contacts and field labels updated; a type whose field keys\n"
               "changed is kept and reported).  --scale adds a district's worth of generated citizens, companies and\n"
               "cases for load tests (xuhui: 100,000 / 43,000 / 1,000,000; small: 2,000 / 1,000 / 20,000).\n");
    } else if (!strcmp(cmd, "admin")) {
        printf("usage: ywtb admin user add --db URL --username U --password P --name N --dept CODE "
               "--roles r1,r2\n\nroles: window_clerk, reviewer, chief_approver, supervisor, data_officer,\n"
               "       hotline_operator, admin\n");
    } else if (!strcmp(cmd, "backup")) {
        printf("usage: ywtb backup --db sqlite:PATH FILE\n\nWrites a consistent copy of the SQLite database "
               "to FILE while the server runs.\nPostgreSQL: use pg_dump (docs/OPERATIONS.md).\n");
    } else if (!strcmp(cmd, "verify")) {
        printf("usage: ywtb verify --audit --db URL\n"
               "       ywtb verify license FILE... --keys KEYS [--status LIST]\n\n"
               "--audit walks the audit chain and reports the first record that was changed,\n"
               "removed or reordered.  `license` checks a license document (GET\n"
               "/api/v1/licenses/{id}/document) offline against the published keys (GET /api/v1/keys)\n"
               "and, when given, a department's signed status list (GET\n"
               "/api/v1/licenses/status-lists/{dept}).  Exit status 0 when valid/intact, 1 when not.\n");
    } else if (!strcmp(cmd, "import")) {
        printf("usage: ywtb import licenses FILE --db URL\n\n"
               "Imports licenses from NDJSON ({type, holder_ident, holder_name, fields, valid_from,\n"
               "valid_until} a line) or CSV (header: type,holder_ident,holder_name,valid_from,valid_until,\n"
               "field.KEY...).  All rows or none: every bad row is reported with its line number.\n");
    } else {
        usage(stdout);
    }
}

/* Parse argv after the command: settings go into cfg, the rest into o. */
static int
parse_args(int argc, char **argv, struct yw_config *cfg, struct opts *o, bool *want_help)
{
    /* two passes: the config file first, so flags override it */
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            o->config = argv[i + 1];
    if (o->config == NULL && getenv("YWTB_CONFIG"))
        o->config = getenv("YWTB_CONFIG");
    if (o->config == NULL && access("ywtb.conf", R_OK) == 0)
        o->config = "ywtb.conf";
    struct yw_err err = { 0 };
    if (o->config && yw_config_load_file(cfg, o->config, &err) != 0) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 2;
    }
    if (yw_config_load_env(cfg, &err) != 0) {
        fprintf(stderr, "ywtb: environment: %s\n", err.msg);
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(field)                                                     \
    do {                                                                \
        if (next == NULL) {                                             \
            fprintf(stderr, "ywtb: %s needs a value\n", a);             \
            return 2;                                                   \
        }                                                               \
        o->field = next;                                                \
        i++;                                                            \
    } while (0)
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            *want_help = true;
        } else if (!strcmp(a, "--config")) {
            i++;
        } else if (!strcmp(a, "--print-config")) {
            o->print_config = true;
        } else if (!strcmp(a, "--demo")) {
            o->demo = true;
        } else if (!strcmp(a, "--catalog")) {
            o->catalog = true;
        } else if (!strcmp(a, "--audit")) {
            o->audit = true;
        } else if (!strcmp(a, "--scale")) {
            TAKE(scale);
        } else if (!strcmp(a, "--cases")) {
            TAKE(cases);
        } else if (!strcmp(a, "--keys")) {
            TAKE(keys);
        } else if (!strcmp(a, "--status")) {
            TAKE(status_list);
        } else if (!strcmp(a, "--username")) {
            TAKE(username);
        } else if (!strcmp(a, "--password")) {
            TAKE(password);
        } else if (!strcmp(a, "--name")) {
            TAKE(name);
        } else if (!strcmp(a, "--dept")) {
            TAKE(dept);
        } else if (!strcmp(a, "--roles")) {
            TAKE(roles);
        } else if (!strncmp(a, "--", 2) && yw_config_is_key(a + 2)) {
            const char *key = a + 2, *val = next;
            char kbuf[64];
            const char *eq = strchr(key, '=');
            if (eq) {
                snprintf(kbuf, sizeof kbuf, "%.*s", (int)(eq - key), key);
                key = kbuf;
                val = eq + 1;
            } else {
                if (next == NULL) {
                    fprintf(stderr, "ywtb: %s needs a value\n", a);
                    return 2;
                }
                i++;
            }
            if (yw_config_set(cfg, key, val, "flag", &err) != 0) {
                fprintf(stderr, "ywtb: %s\n", err.msg);
                return 2;
            }
        } else if (!strncmp(a, "--", 2)) {
            const char *eq = strchr(a, '=');
            char kbuf[64];
            snprintf(kbuf, sizeof kbuf, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a) - 2), a + 2);
            if (eq && yw_config_is_key(kbuf)) {
                if (yw_config_set(cfg, kbuf, eq + 1, "flag", &err) != 0) {
                    fprintf(stderr, "ywtb: %s\n", err.msg);
                    return 2;
                }
                continue;
            }
            fprintf(stderr, "ywtb: unknown option '%s' (see --help)\n", a);
            return 2;
        } else if (o->npos < YW_MAX_POSITIONAL) {
            o->positional[o->npos++] = a;
        } else {
            fprintf(stderr, "ywtb: too many arguments\n");
            return 2;
        }
#undef TAKE
    }
    int lvl = yw_log_level_parse(cfg->log_level);
    if (lvl < 0) {
        fprintf(stderr, "ywtb: log_level '%s' is not debug, info, warn or error\n", cfg->log_level);
        return 2;
    }
    yw_log_set_level((enum yw_log_level)lvl);
    resolve_dir(cfg, "web_root", &cfg->web_root);
    resolve_dir(cfg, "data_dir", &cfg->data_dir);
    return 0;
}

/* A default relative directory (web, data) that does not exist in the
 * working directory is looked up beside the binary instead: <bin>/../NAME
 * (build/ywtb in a checkout) and <bin>/../share/ywtb/NAME (installed), so
 * `ywtb` works from any directory. */
static void
resolve_dir(struct yw_config *cfg, const char *key, char **value)
{
    struct stat st;
    if (strcmp(yw_config_origin(cfg, key), "default") != 0 || (stat(*value, &st) == 0 && S_ISDIR(st.st_mode)))
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
    const char *const patterns[] = { "%s/../%s", "%s/../share/ywtb/%s", "%s/../../%s" };
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
    snprintf(host, sizeof host, "%.*s", colon ? (int)(colon - app->cfg->listen) : 0, app->cfg->listen);
    if (host[0] == '\0' || !strcmp(host, "0.0.0.0") || !strcmp(host, "*"))
        snprintf(host, sizeof host, "127.0.0.1");
    yw_log_info("main", "ready in %lld ms: http://%s:%d/ (database %s)",
                (long long)(yw_clock_real_ms() - app->started_ms), host, port, yw_db_url_redacted(app->db));
}

static int
cmd_serve(struct yw_config *cfg, struct opts *o)
{
    if (o->print_config) {
        yw_config_print(cfg, stdout);
        return 0;
    }
    if (cfg->clock && *cfg->clock) {
        int64_t at;
        if (yw_clock_parse(cfg->clock, &at) != 0) {
            fprintf(stderr, "ywtb: --clock '%s' is not an ISO-8601 instant like 2026-09-24T10:00:00+08:00\n",
                    cfg->clock);
            return 2;
        }
        yw_clock_set(at);
        cfg->test_api = true;
        yw_log_warn("main", "DEMO/TEST CLOCK: the server clock starts at %s and runs on; "
                            "/api/v1/test/clock can move it forward. Never use this in production.",
                    cfg->clock);
    }
    struct yw_app app = { .cfg = cfg, .version = YW_VERSION, .started_ms = yw_clock_real_ms() };
    if (open_db(cfg, &app.db, true))
        return 1;
    int rc = init_modules(&app);
    if (rc == 0) {
        struct yw_err err = { 0 };
        if (yw_server_run(&app, yw_modules, yw_nmodules, on_ready, &err) != 0) {
            fprintf(stderr, "ywtb: %s\n", err.msg);
            rc = 1;
        }
    }
    shutdown_modules();
    yw_db_close(app.db);
    return rc;
}

static int
cmd_migrate(struct yw_config *cfg)
{
    struct yw_db *db;
    if (open_db(cfg, &db, false))
        return 1;
    struct yw_err err = { 0 };
    int applied = 0, version = 0;
    int rc = yw_db_migrate(db, &applied, &err);
    if (rc == 0)
        yw_db_schema_version(db, &version);
    yw_db_close(db);
    if (rc) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    printf("migrated: %d applied, schema version %d\n", applied, version);
    return 0;
}

static int
cmd_seed(struct yw_config *cfg, struct opts *o)
{
    if (!o->demo && !o->catalog && !o->scale) {
        fprintf(stderr, "ywtb: seed needs --demo, --catalog or --scale xuhui\n");
        return 2;
    }
    struct yw_app app = { .cfg = cfg, .version = YW_VERSION, .started_ms = yw_clock_real_ms() };
    if (open_db(cfg, &app.db, true))
        return 1;
    struct yw_err err = { 0 };
    int rc = 0;
    if (o->demo)
        rc = yw_seed_demo(&app, stdout, &err); /* the catalog included */
    else if (o->catalog)
        rc = yw_catalog_seed(&app, cfg->data_dir, stdout, &err);
    if (rc == 0 && o->scale)
        rc = yw_seed_scale(&app, o->scale, o->cases ? atoll(o->cases) : 0, stdout, &err);
    yw_db_close(app.db);
    if (rc) {
        fprintf(stderr, "ywtb: seed: %s\n", err.msg[0] ? err.msg : yw_strerror(rc));
        return 1;
    }
    return 0;
}

static int
cmd_admin(struct yw_config *cfg, struct opts *o)
{
    if (o->npos < 2 || strcmp(o->positional[0], "user") || strcmp(o->positional[1], "add")) {
        command_help("admin");
        return 2;
    }
    struct yw_app app = { .cfg = cfg, .version = YW_VERSION, .started_ms = yw_clock_real_ms() };
    if (open_db(cfg, &app.db, true))
        return 1;
    struct yw_ident_staff s = { .username = o->username, .password = o->password, .name = o->name,
                                .dept = o->dept ? o->dept : "", .roles = o->roles };
    struct yw_err err = { 0 };
    int64_t id = 0;
    int rc = yw_ident_staff_add(&app, &s, "cli", &id, &err);
    yw_db_close(app.db);
    if (rc) {
        fprintf(stderr, "ywtb: cannot add user: %s%s%s\n", err.msg[0] ? err.msg : yw_strerror(rc),
                err.field[0] ? " (--" : "", err.field[0] ? err.field : "");
        if (err.field[0])
            fprintf(stderr, ")\n");
        return 1;
    }
    printf("created staff account %lld '%s'\n", (long long)id, o->username);
    return 0;
}

static int
cmd_backup(struct yw_config *cfg, struct opts *o)
{
    if (o->npos != 1) {
        command_help("backup");
        return 2;
    }
    struct yw_db *db;
    if (open_db(cfg, &db, false))
        return 1;
    struct yw_err err = { 0 };
    int rc = yw_db_backup(db, o->positional[0], &err);
    yw_db_close(db);
    if (rc) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    printf("backup written to %s\n", o->positional[0]);
    return 0;
}

static json_t *
load_json_file(const char *path, const char *what)
{
    json_error_t je;
    json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL)
        fprintf(stderr, "ywtb: cannot read %s '%s': %s (line %d)\n", what, path, je.text, je.line);
    return v;
}

/* `ywtb verify license FILE... --keys KEYS [--status LIST]`: offline, no database. */
static int
verify_license(struct opts *o)
{
    if (o->npos < 2 || o->keys == NULL) {
        command_help("verify");
        return 2;
    }
    json_t *keys = load_json_file(o->keys, "keys");
    json_t *status = o->status_list ? load_json_file(o->status_list, "status list") : NULL;
    if (keys == NULL || (o->status_list && status == NULL)) {
        json_decref(keys);
        json_decref(status);
        return 1;
    }
    /* GET /api/v1/keys wraps the keys: accept both shapes */
    json_t *k = json_object_get(keys, "keys") ? json_object_get(keys, "keys") : keys;
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    /* One document: one line as ever.  Several (a process costs more than a
     * verification): one line each, named, and exit 0 only when all are valid. */
    int ndocs = o->npos - 1, bad = 0;
    for (int i = 1; i <= ndocs; i++) {
        const char *name = o->positional[i];
        json_t *doc = load_json_file(name, "license document");
        struct yw_lic_verdict v;
        int rc = doc ? yw_lic_verify_offline(doc, k, status, today, &v) : YW_EINVAL;
        json_decref(doc);
        if (rc == 0 && ndocs == 1)
            printf("%s: %s (%s; status %s)\n", v.valid ? "VALID" : "INVALID", v.reason, v.code, v.status);
        else if (rc == 0)
            printf("%s: %s: %s (%s; status %s)\n", name, v.valid ? "VALID" : "INVALID", v.reason, v.code, v.status);
        else if (ndocs > 1)
            printf("%s: UNREADABLE\n", name);
        bad += rc != 0 || !v.valid;
    }
    if (ndocs > 1)
        printf("%d of %d documents valid\n", ndocs - bad, ndocs);
    json_decref(keys);
    json_decref(status);
    return bad ? 1 : 0;
}

static int
cmd_import(struct yw_config *cfg, struct opts *o)
{
    if (o->npos != 2 || strcmp(o->positional[0], "licenses") != 0) {
        command_help("import");
        return 2;
    }
    struct yw_app app = { .cfg = cfg, .version = YW_VERSION, .started_ms = yw_clock_real_ms() };
    if (open_db(cfg, &app.db, true))
        return 1;
    struct yw_err err = { 0 };
    int64_t n = 0;
    int64_t t0 = yw_clock_mono_ns();
    int rc = yw_lic_import(&app, o->positional[1], stderr, &n, &err);
    yw_db_close(app.db);
    if (rc) {
        fprintf(stderr, "ywtb: import: %s\n", err.msg[0] ? err.msg : yw_strerror(rc));
        return 1;
    }
    printf("imported %lld licenses in %.1f s\n", (long long)n, (double)(yw_clock_mono_ns() - t0) / 1e9);
    return 0;
}

static int
cmd_verify(struct yw_config *cfg, struct opts *o)
{
    if (o->npos >= 1 && !strcmp(o->positional[0], "license"))
        return verify_license(o);
    if (!o->audit) {
        command_help("verify");
        return 2;
    }
    struct yw_db *db;
    if (open_db(cfg, &db, false))
        return 1;
    struct yw_err err = { 0 };
    struct yw_audit_report rep;
    int rc = yw_audit_verify(db, &rep, &err);
    yw_db_close(db);
    if (rc) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    if (rep.bad_seq) {
        printf("audit chain BROKEN at record %lld: %s (%lld records verified before it)\n", (long long)rep.bad_seq,
               rep.problem, (long long)rep.records);
        return 1;
    }
    printf("audit chain intact: %lld records\n", (long long)rep.records);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("ywtb %s\n", YW_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    static const char *const known[] = { "serve", "migrate", "seed", "admin", "backup", "verify", "import" };
    bool ok = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok |= !strcmp(cmd, known[i]);
    if (!ok) {
        fprintf(stderr, "ywtb: unknown command '%s'\n\n", cmd);
        usage(stderr);
        return 2;
    }
    if (yw_crypto_init() != 0) {
        fprintf(stderr, "ywtb: cannot initialise the crypto library\n");
        return 1;
    }
    struct yw_config cfg;
    yw_config_init(&cfg);
    struct opts o = { 0 };
    bool help = false;
    int rc = parse_args(argc - 2, argv + 2, &cfg, &o, &help);
    if (rc == 0 && help) {
        command_help(cmd);
    } else if (rc == 0) {
        if (!strcmp(cmd, "serve"))
            rc = cmd_serve(&cfg, &o);
        else if (!strcmp(cmd, "migrate"))
            rc = cmd_migrate(&cfg);
        else if (!strcmp(cmd, "seed"))
            rc = cmd_seed(&cfg, &o);
        else if (!strcmp(cmd, "admin"))
            rc = cmd_admin(&cfg, &o);
        else if (!strcmp(cmd, "backup"))
            rc = cmd_backup(&cfg, &o);
        else if (!strcmp(cmd, "verify"))
            rc = cmd_verify(&cfg, &o);
        else if (!strcmp(cmd, "import"))
            rc = cmd_import(&cfg, &o);
    }
    yw_config_release(&cfg);
    return rc;
}
