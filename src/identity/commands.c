/*
 * commands.c - identity's `ywtb` commands: `ywtb admin user add` creates a
 * staff account from the command line (the first administrator of a new
 * installation is made this way).
 */
#include "identity/identity.h"
#include "identity/settings.h"

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
                                .roles = yw_cli_opt(cli, "roles") };
    struct yw_err err = { 0 };
    int64_t id = 0;
    rc = yw_ident_staff_add(cli->app, &s, "cli", &id, &err);
    if (rc) {
        fprintf(stderr, "ywtb: cannot add user: %s%s%s%s\n",
                err.msg[0] ? err.msg : yw_strerror(rc), err.field[0] ? " (--" : "",
                err.field[0] ? err.field : "", err.field[0] ? ")" : "");
        /* 2: the operator's input was refused (an unknown department or role, a
         * weak password); 1: the database failed */
        return rc == YW_EFIELD || rc == YW_EMISSING || rc == YW_ECONFLICT ? 2 : 1;
    }
    printf("created staff account %lld '%s'\n", (long long)id, s.username);
    return 0;
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
    { NULL },
};
