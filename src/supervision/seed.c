/*
 * seed.c - supervision's demo data for `ywtb seed --demo`: the joint
 * punishment rules a district starts with (a dishonest record flags every
 * application to the market regulator for careful review), so the window and
 * the reviewer see credit flags as soon as a record is entered.  Idempotent:
 * a second run finds the rule and adds nothing.  Cards and figures need no
 * seed: they come from the events of the demo's cases.
 */
#include "supervision/internal.h"

#include <stdio.h>
#include <string.h>

static int
seed_tx(struct yw_dbc *c, void *ctx)
{
    int *added = ctx;
    *added = 0;
    int rc = yw_db_exists(c,
                          "SELECT 1 FROM sup_credit_rules WHERE target_kind = 'dept' AND target = "
                          "'XH-SCJ' AND measure = 'flag'",
                          NULL);
    if (rc != YW_ENOTFOUND)
        return rc;
    int64_t id = 0;
    struct yw_err err = { 0 };
    rc = yw_sup__rule_add(c,
                          &(struct yw_sup_rule){ .record_kind = "dishonest",
                                                 .category = "",
                                                 .target_kind = "dept",
                                                 .target = "XH-SCJ",
                                                 .measure = "flag",
                                                 .note = "失信主体申请市场监管事项，审慎审查" },
                          0, &id, &err);
    if (rc == YW_EFIELD)
        return 0; /* a catalog without the market regulator: nothing to link */
    if (rc == 0)
        *added = 1;
    return rc;
}

int
yw_sup__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err)
{
    if (strcmp(what, "demo") != 0)
        return 0;
    int added = 0;
    int rc = yw_db_tx(app->db, YW_TX_WRITE, seed_tx, &added, err);
    if (rc == 0 && added)
        fprintf(out, "supervision: 1 joint punishment rule\n");
    return rc;
}
