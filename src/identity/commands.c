/*
 * commands.c - identity's `ywtb` commands: `ywtb admin user add` creates a
 * staff account from the command line (the first administrator of a new
 * installation is made this way).
 */
#include "identity/identity.h"
#include "identity/settings.h"

#include "db/db.h"

#include <stdio.h>

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
