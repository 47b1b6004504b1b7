/*
 * demo.c - the demo accounts: one staff member per role, so every workbench
 * can be tried at once.  Passwords are public demo passwords: a real
 * deployment creates its own staff with `ywtb admin user add` and never seeds.
 */
#include "seed/seed.h"

#include "catalog/catalog.h"
#include "identity/identity.h"

#include <string.h>

struct demo_staff {
    const char *username, *name, *dept, *roles;
};

static const struct demo_staff staff[] = {
    { "admin", "系统管理员", "XH-DSJ", "admin" },
    { "clerk", "王窗口", "XH-ZWFW", "window_clerk" },
    { "reviewer", "李审核", "XH-SCJ", "reviewer" },
    { "chief", "张首席", "XH-SPJ", "chief_approver,reviewer" },
    { "supervisor", "赵监察", "XH-JC", "supervisor" },
    { "dataofficer", "钱数据", "XH-DSJ", "data_officer" },
    { "hotline", "孙热线", "XH-12345", "hotline_operator" },
};

#define DEMO_PASSWORD "Demo@2026"

int
yw_seed_demo(struct yw_app *app, FILE *out, struct yw_err *err)
{
    int rc = yw_catalog_seed(app, app->cfg->data_dir, out, err);
    if (rc)
        return rc;
    int created = 0;
    for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
        struct yw_ident_staff s = { .username = staff[i].username, .password = DEMO_PASSWORD,
                                    .name = staff[i].name, .dept = staff[i].dept, .roles = staff[i].roles };
        struct yw_err e = { 0 };
        rc = yw_ident_staff_add(app, &s, "seed", NULL, &e);
        if (rc == 0)
            created++;
        else if (rc != YW_ECONFLICT) {
            if (err)
                *err = e;
            return rc;
        }
    }
    if (out) {
        fprintf(out, "demo accounts (%d new), password for all: %s\n", created, DEMO_PASSWORD);
        for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
            fprintf(out, "  %-12s %-24s %s\n", staff[i].username, staff[i].roles, staff[i].name);
    }
    return 0;
}
