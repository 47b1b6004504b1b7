/*
 * commands.c - identity's `ywtb` commands: `ywtb admin user add` creates a
 * staff account from the command line (the first administrator of a new
 * installation is made this way); `ywtb oidc keys rotate` and `ywtb oidc keys
 * list` rotate and show the OpenID Connect provider's signing keys
 * (oidc_keys.c) - what an operator runs on a schedule or when a key may have
 * leaked, with or without a server running.
 */
#include "identity/identity.h"
#include "identity/internal.h"
#include "identity/settings.h"

#include "db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct yw_option user_add_options[] = {
    { "username", "U", "login name: 3 to 32 of a-z 0-9 . _ -" },
    { "password", "P",
      "at least 8 characters, mixing two of: lower case, upper case, digits, symbols" },
    { "name", "N", "the person's name" },
    { "dept", "CODE", "department code (XH-...)" },
    { "roles", "r1,r2", "roles, comma-separated" },
    { NULL },
};

static int
user_add(struct yw_cli *cli)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    const char *dept = yw_cli_opt(cli, "dept");
    struct yw_ident_staff s = { .username = yw_cli_opt(cli, "username"),
                                .password = yw_cli_opt(cli, "password"),
                                .name = yw_cli_opt(cli, "name"),
                                .dept = dept ? dept : "",
                                .roles = yw_cli_opt(cli, "roles"),
                                .check_dept = true };
    struct yw_err err = { 0 };
    int64_t id = 0;
    rc = yw_ident_staff_add(cli->app, &s, "cli", &id, &err);
    if (rc) {
        fprintf(stderr, "ywtb: cannot add user: %s%s%s%s\n", err.msg[0] ? err.msg : yw_strerror(rc),
                err.field[0] ? " (--" : "", err.field[0] ? err.field : "", err.field[0] ? ")" : "");
        /* 2: the operator's input was refused (an unknown department or role, a
         * weak password); 1: the database failed */
        return rc == YW_EFIELD || rc == YW_EMISSING || rc == YW_ECONFLICT ? 2 : 1;
    }
    printf("created staff account %lld '%s'\n", (long long)id, s.username);
    return 0;
}

static const struct yw_option keys_rotate_options[] = {
    { "alg", "ALG", "the algorithm whose key to rotate: ES256 (default) or SM2SM3" },
    { NULL },
};

struct rotate_tx {
    struct yw_app *app;
    const char *alg;
    char kid[17];
    struct yw_err *err;
};

static int
rotate_tx(struct yw_dbc *c, void *ctx)
{
    struct rotate_tx *t = ctx;
    return yw_ident__keys_rotate(t->app, c, t->alg, "cli", t->kid, t->err);
}

static int
print_keys(struct yw_cli *cli)
{
    struct yw_dbc *c = yw_db_conn(cli->app->db, NULL);
    json_t *keys = NULL;
    if (c == NULL || yw_ident__keys_list(c, &keys)) {
        fprintf(stderr, "ywtb: cannot read the signing keys\n");
        return 1;
    }
    printf("%-16s  %-6s  %-9s  %-24s  %s\n", "kid", "alg", "state", "created", "published until");
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        const char *until = json_string_value(json_object_get(k, "published_until"));
        printf("%-16s  %-6s  %-9s  %-24s  %s\n", json_string_value(json_object_get(k, "kid")),
               json_string_value(json_object_get(k, "alg")),
               json_string_value(json_object_get(k, "state")),
               json_string_value(json_object_get(k, "created_at")), until[0] ? until : "-");
    }
    json_decref(keys);
    return 0;
}

static const struct yw_option user_status_options[] = {
    { "username", "U", "the staff account's login name" },
    { NULL },
};

/* admin user disable / enable: the change is answered once every serving node
 * confirmed it dropped the account's sessions (PostgreSQL; see identity.h). */
static int
user_status(struct yw_cli *cli, bool active)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    const char *username = yw_cli_opt(cli, "username");
    if (username == NULL) {
        fprintf(stderr, "ywtb: --username is required\n");
        return 2;
    }
    bool listening = yw_ident_cache_listen(cli->app, 5000);
    struct yw_err err = { 0 };
    int64_t ended = 0;
    rc = yw_ident_staff_set_active(cli->app, username, active, "cli", &ended, &err);
    yw_ident_cache_unlisten();
    if (rc) {
        fprintf(stderr, "ywtb: cannot %s '%s': %s\n", active ? "enable" : "disable", username,
                err.msg[0] ? err.msg : yw_strerror(rc));
        return rc == YW_ENOTFOUND || rc == YW_EFIELD ? 2 : 1;
    }
    if (active)
        printf("enabled staff account '%s'\n", username);
    else
        printf("disabled staff account '%s'; %lld session(s) ended%s\n", username, (long long)ended,
               yw_db_engine(cli->app->db) == YW_DB_PG && !listening
                   ? " (not confirmed by the other nodes: no LISTEN connection; they drop it "
                     "within session_cache_ms)"
                   : "");
    return 0;
}

static int
keys_rotate(struct yw_cli *cli)
{
    const char *alg = yw_cli_opt(cli, "alg");
    if (alg == NULL)
        alg = "ES256";
    if (strcmp(alg, "ES256") && strcmp(alg, YW_IDENT_ALG_SM2)) {
        fprintf(stderr, "ywtb: --alg must be ES256 or %s\n", YW_IDENT_ALG_SM2);
        return 2;
    }
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    struct yw_err err = { 0 };
    struct rotate_tx t = { .app = cli->app, .alg = alg, .err = &err };
    /* listening, the rotation returns once every serving node has dropped the
     * keys and JWKS it keeps (as a disabled account's sessions, above) */
    yw_ident_cache_listen(cli->app, 5000);
    rc = yw_db_tx(cli->app->db, YW_TX_WRITE, rotate_tx, &t, &err);
    yw_ident_cache_unlisten();
    if (rc) {
        fprintf(stderr, "ywtb: cannot rotate the %s key: %s\n", alg,
                err.msg[0] ? err.msg : yw_strerror(rc));
        return 1;
    }
    printf("rotated the %s signing key: %s signs from now on; the old key stays in the JWKS until "
           "the tokens it signed have expired\n\n",
           alg, t.kid);
    return print_keys(cli);
}

static int
keys_list(struct yw_cli *cli)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    return print_keys(cli);
}

static int
user_disable(struct yw_cli *cli)
{
    return user_status(cli, false);
}

static int
user_enable(struct yw_cli *cli)
{
    return user_status(cli, true);
}

const struct yw_command yw_ident_commands[] = {
    {
        .name = "admin user add",
        .summary = "create a staff account",
        .usage = "--db URL --username U --password P --name N --dept CODE --roles r1,r2",
        .help = "Creates a staff account that logs in with its username and password.\n\n"
                "roles: window_clerk, reviewer, chief_approver, supervisor, data_officer,\n"
                "       hotline_operator, admin\n",
        .options = user_add_options,
        .run = user_add,
    },
    {
        .name = "oidc keys rotate",
        .summary = "make a new ID token signing key the active one",
        .usage = "--db URL [--alg ES256|SM2SM3] [--secret-key-file FILE]",
        .help = "Makes a new signing key for ID tokens (sealed under the server's secret key)\n"
                "and retires the one signing now: it signs nothing more, stays in the JWKS\n"
                "until every token it signed has expired, then drops out.  Audited\n"
                "(oidc.key_rotate).  Running servers sign with the new key within a minute.\n",
        .options = keys_rotate_options,
        .run = keys_rotate,
    },
    {
        .name = "oidc keys list",
        .summary = "list the ID token signing keys and their state",
        .usage = "--db URL",
        .help = "Lists every signing key: active (signing), published (retired, still in the\n"
                "JWKS until the time shown) or retired.\n",
        .run = keys_list,
    },
    {
        .name = "admin user disable",
        .summary = "stop a staff account: no login, its sessions ended on every node",
        .usage = "--db URL --username U",
        .help = "Disables the staff account and ends its sessions.  On PostgreSQL it returns once\n"
                "every serving node confirmed it dropped them (docs/OPERATIONS.md).\n",
        .options = user_status_options,
        .run = user_disable,
    },
    {
        .name = "admin user enable",
        .summary = "let a disabled staff account log in again",
        .usage = "--db URL --username U",
        .options = user_status_options,
        .run = user_enable,
    },
    { NULL },
};
