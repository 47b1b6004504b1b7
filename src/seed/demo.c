/*
 * demo.c - the demo accounts: one staff member per role, so every workbench
 * can be tried at once.  Passwords are public demo passwords: a real
 * deployment creates its own staff with `ywtb admin user add` and never seeds.
 */
#include "seed/seed.h"

#include "catalog/catalog.h"
#include "core/cnid.h"
#include "identity/identity.h"

#include <stdio.h>

#include <string.h>

struct demo_staff {
    const char *username, *name, *dept, *roles;
};

static const struct demo_staff staff[] = {
    { "admin", "系统管理员", "XH-DSJ", "admin" },
    { "clerk", "王窗口", "XH-ZWFW", "window_clerk" },
    { "reviewer", "李审核", "XH-SCJ", "reviewer" },
    { "chief", "张首席", "XH-ZWFW", "chief_approver,reviewer" },
    { "supervisor", "赵监察", "XH-ZWFW", "supervisor" },
    { "dataofficer", "钱数据", "XH-DSJ", "data_officer" },
    { "hotline", "孙热线", "XH-12345", "hotline_operator" },
    { "grid", "周网格", "XH-12345", "grid_worker" },
    { "finance", "吴财务", "XH-CZJ", "finance" },
    /* one reviewer for each department that the bundles and common items reach */
    { "rev.swj", "周税务", "XH-SWJ", "reviewer" },
    { "rev.rsj", "吴人社", "XH-RSJ", "reviewer" },
    { "rev.gjj", "郑公积金", "XH-GJJ", "reviewer" },
    { "rev.gafj", "冯公安", "XH-GAFJ", "reviewer" },
    { "rev.wjw", "陈卫健", "XH-WJW", "reviewer" },
    { "rev.fgj", "褚房管", "XH-FGJ", "reviewer" },
    { "rev.ghzyj", "卫规划", "XH-GHZYJ", "reviewer" },
    { "rev.xfj", "蒋消防", "XH-XFJ", "reviewer" },
    { "rev.rfb", "沈民防", "XH-RFB", "reviewer" },
    { "rev.lrj", "韩绿化", "XH-LRJ", "reviewer" },
    { "rev.jsglw", "杨建管", "XH-JSGLW", "reviewer" },
    { "rev.swjw", "朱商务", "XH-SWW", "reviewer" },
    { "rev.cl", "秦残联", "XH-CL", "reviewer" },
    { "rev.whlyj", "尤文旅", "XH-WHLYJ", "reviewer" },
    { "rev.yjglj", "许应急", "XH-YJGLJ", "reviewer" },
};

/* A demo citizen and a demo company (their numbers pass GB 11643 / GB 32100). */
#define DEMO_PERSON_BODY  "31010419900307201" /* 徐汇, born 1990-03-07 */
#define DEMO_COMPANY_BODY "91310104MA1FL8XQ"  /* + org-code check + final check */

#define DEMO_PASSWORD "Demo@2026"

struct realname_ctx {
    int64_t id;
};

static int
realname_tx(struct yw_dbc *c, void *ctx)
{
    struct realname_ctx *rn = ctx;
    return yw_ident_set_realname(c, rn->id, 3, "seed", NULL, NULL);
}

int
yw_seed_demo(struct yw_app *app, FILE *out, struct yw_err *err)
{
    int rc = yw_catalog_seed(app, app->cfg->data_dir, out, err);
    if (rc)
        return rc;
    int created = 0;
    for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
        struct yw_ident_staff s = { .username = staff[i].username,
                                    .password = DEMO_PASSWORD,
                                    .name = staff[i].name,
                                    .dept = staff[i].dept,
                                    .roles = staff[i].roles };
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
    char pid[19], uscc[19], org[9];
    memcpy(pid, DEMO_PERSON_BODY, 17);
    pid[17] = yw_cnid_id_check_char(DEMO_PERSON_BODY);
    pid[18] = '\0';
    memcpy(org, DEMO_COMPANY_BODY + 8, 8);
    org[8] = '\0';
    char body[18];
    snprintf(body, sizeof body, "%s%c", DEMO_COMPANY_BODY, yw_cnid_org_check_char(org));
    memcpy(uscc, body, 17);
    uscc[17] = yw_cnid_uscc_check_char(body);
    uscc[18] = '\0';
    const struct yw_ident_registration regs[] = {
        { .kind = YW_IDENT_PERSON,
          .ident = pid,
          .name = "张小明",
          .phone = "13912345678",
          .password = DEMO_PASSWORD },
        { .kind = YW_IDENT_ENTERPRISE,
          .ident = uscc,
          .name = "上海徐汇示范科技有限公司",
          .phone = "021-64872222",
          .password = DEMO_PASSWORD,
          .legal_rep_name = "张小明",
          .legal_rep_id = pid },
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        struct yw_err e = { 0 };
        int64_t id = 0;
        rc = yw_ident_register(app, &regs[i], &id, &e);
        if (rc == 0) {
            /* the demo applicants count as verified in person, so they can try every item */
            struct realname_ctx rn = { .id = id };
            rc = yw_db_tx(app->db, YW_TX_WRITE, realname_tx, &rn, &e);
            if (rc) {
                if (err)
                    *err = e;
                return rc;
            }
            created++;
        } else if (rc != YW_ECONFLICT) {
            if (err)
                *err = e;
            return rc;
        }
    }
    if (out) {
        fprintf(out, "demo accounts (%d new), password for all: %s\n", created, DEMO_PASSWORD);
        fprintf(out, "  %-18s %-24s %s\n", pid, "citizen (个人)", "张小明");
        fprintf(out, "  %-18s %-24s %s\n", uscc, "company (法人)", "上海徐汇示范科技有限公司");
        for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++)
            fprintf(out, "  %-18s %-24s %s (%s)\n", staff[i].username, staff[i].roles,
                    staff[i].name, staff[i].dept);
    }
    return 0;
}
