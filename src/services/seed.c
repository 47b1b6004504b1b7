/*
 * seed.c - the hall's demo windows, for `ywtb seed --demo` (and --scale,
 * which needs the same hall): four integrated windows (综合窗口) that serve
 * every department and two departmental ones, open 09:00-12:00 and
 * 13:30-17:00 on working days, in half-hour slots of four bookings.
 * Idempotent: windows that exist are left as they are.
 */
#include "services/internal.h"

#include "core/clock.h"
#include "db/audit.h"

#include <stdio.h>

static const struct {
    const char *code, *name, *name_en, *dept;
} windows[] = {
    { "W01", "1号综合窗口", "Integrated window 1", "" },
    { "W02", "2号综合窗口", "Integrated window 2", "" },
    { "W03", "3号综合窗口", "Integrated window 3", "" },
    { "W04", "4号综合窗口", "Integrated window 4", "" },
    { "W05", "5号窗口（公安户政）", "Window 5 (police: household)", "XH-GAFJ" },
    { "W06", "6号窗口（人社）", "Window 6 (human resources)", "XH-RSJ" },
};

struct seed_ctx {
    int added;
};

static int
seed_tx(struct yw_dbc *c, void *ctx)
{
    struct seed_ctx *sc = ctx;
    sc->added = 0;
    char now[32];
    yw_svc__now_text(now);
    for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
        int64_t changed = 0;
        int rc = yw_db_run_changes(
            c, &changed,
            "INSERT INTO svc_windows (code, name, name_en, dept, item_codes, hours, slot_minutes, "
            "capacity, status, created_at) VALUES (?, ?, ?, ?, '[]', '09:00-12:00,13:30-17:00', "
            "30, 4, 'open', ?) ON CONFLICT (code) DO NOTHING",
            "sssss", windows[i].code, windows[i].name, windows[i].name_en, windows[i].dept, now);
        if (rc)
            return rc;
        sc->added += (int)changed;
    }
    if (sc->added == 0)
        return 0;
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "system",
                                                     .role = "system",
                                                     .action = "services.seed",
                                                     .obj_type = "hall",
                                                     .obj_id = "windows",
                                                     .summary = "{}" });
}

int
yw_svc__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err)
{
    (void)what;
    yw_svc__set_app(app);
    struct seed_ctx sc = { 0 };
    int rc = yw_db_tx(app->db, YW_TX_WRITE, seed_tx, &sc, err);
    if (rc)
        return rc;
    if (out)
        fprintf(out, "services: %d hall windows added\n", sc.added);
    return 0;
}
