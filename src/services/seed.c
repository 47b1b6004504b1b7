/*
 * seed.c - the hall's demo windows, for `ywtb seed --demo` (and --scale,
 * which needs the same hall): four integrated windows (综合窗口) that serve
 * every department and two departmental ones, open 09:00-12:00 and
 * 13:30-17:00 on working days, in half-hour slots of four bookings.
 * Idempotent: windows that exist are left as they are.
 *
 * "demo" also gives the demo citizen (310104199003072013) something to see
 * and the role tests real objects with known ids on a fresh database: a
 * booking YYDEMO000001 on the next working day (its confirmation is inbox
 * message 1), consultation 1 to XH-SCJ, an open rating request (rating 1),
 * and a 不满意 rating (2) whose rectification (1) XH-SCJ has to report.
 */
#include "services/internal.h"

#include "core/clock.h"
#include "db/audit.h"

#include "identity/identity.h"

#include <stdio.h>
#include <string.h>

#define DEMO_CITIZEN "310104199003072013"
#define DEMO_CODE    "YYDEMO000001"
#define DEMO_ITEM    "SCJ-01-0047"

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
    bool demo;
    bool demo_added;
};

/* The demo citizen's booking, consultation, rating request and rectified
 * rating (see the top). */
static int
seed_demo(struct yw_dbc *c, struct seed_ctx *sc)
{
    if (yw_db_exists(c, "SELECT 1 FROM svc_appointments WHERE code = ?", "s", DEMO_CODE) == 0)
        return 0;
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    struct yw_ident_account acc;
    int rc = yw_ident_account_by_ident(c, &a, DEMO_CITIZEN, &acc);
    if (rc) {
        yw_arena_release(&a);
        return rc == YW_ENOTFOUND ? 0 : rc;
    }
    int64_t account = acc.id;
    char name[128];
    snprintf(name, sizeof name, "%s", acc.name);
    yw_arena_release(&a);
    int64_t day = yw_cal_add_workdays(yw_svc__calendar(), yw_svc__today(), 1);
    char dtext[11], key[48], st[32], en[32], now[32];
    yw_cal_day_text(day, dtext);
    snprintf(key, sizeof key, "W01.%.4s%.2s%.2s.0900", dtext, dtext + 5, dtext + 8);
    int64_t start = yw_cal_start_of_day_ms(day) + 9 * 3600000LL;
    yw_clock_format(start, st);
    yw_clock_format(start + 30 * 60000, en);
    yw_svc__now_text(now);
    if ((rc =
             yw_db_run(c,
                       "INSERT INTO svc_slot_counts (slot_key, window_code, day, capacity, booked) "
                       "VALUES (?, 'W01', ?, 4, 1) ON CONFLICT (slot_key) DO UPDATE SET booked = "
                       "svc_slot_counts.booked + 1",
                       "ss", key, dtext)) ||
        (rc = yw_db_run(
             c,
             "INSERT INTO svc_appointments (code, account_id, ident, name, item_code, "
             "item_name, dept, window_code, slot_key, day, start_at, end_at, status, seq, "
             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, '特种设备作业人员资格认定', "
             "'XH-SCJ', 'W01', ?, ?, ?, ?, 'booked', 0, ?, ?)",
             "sisssssssss", DEMO_CODE, account, DEMO_CITIZEN, name, DEMO_ITEM, key, dtext, st, en,
             now, now)))
        return rc;
    json_t *vars =
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "item", "特种设备作业人员资格认定", "window",
                  "1号综合窗口", "day", dtext, "time", "09:00", "code", DEMO_CODE);
    rc = yw_svc__notify(c, account, "appointment.confirmed:" DEMO_CODE ":0",
                        "appointment.confirmed", vars, "/appointments.html", NULL);
    json_decref(vars);
    if (rc)
        return rc;
    int64_t id = 0;
    if ((rc = yw_db_one_int(
             c, &id,
             "INSERT INTO svc_consultations (account_id, item_code, item_name, dept, "
             "question, status, asked_at, due_day) VALUES (?, ?, "
             "'特种设备作业人员资格认定', 'XH-SCJ', '报名考试需要哪些材料？', 'open', ?, ?) "
             "RETURNING id",
             "isss", account, DEMO_ITEM, now, dtext)) ||
        (rc = yw_svc__rating_open(c, "visit", "demo-1", account, "XH-SCJ", DEMO_ITEM, "W01",
                                  "特种设备作业人员资格认定")) ||
        (rc = yw_svc__rating_open(c, "visit", "demo-2", account, "XH-SCJ", DEMO_ITEM, "W02",
                                  "特种设备作业人员资格认定")) ||
        (rc = yw_db_run(c,
                        "UPDATE svc_ratings SET level = 2, comment = '排队时间较长', rated_at = ? "
                        "WHERE kind = 'visit' AND target = 'demo-2'",
                        "s", now)) ||
        (rc = yw_db_one_int(
             c, &id, "SELECT id FROM svc_ratings WHERE kind = 'visit' AND target = 'demo-2'", "")))
        return rc;
    char due[11];
    yw_cal_day_text(yw_cal_add_workdays(yw_svc__calendar(), yw_svc__today(), 15), due);
    if ((rc = yw_db_run(c,
                        "INSERT INTO svc_rectifications (rating_id, dept, status, due_day, "
                        "created_at) VALUES (?, 'XH-SCJ', 'open', ?, ?)",
                        "iss", id, due, now)))
        return rc;
    sc->demo_added = true;
    return 0;
}

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
    sc->demo_added = false;
    if (sc->demo) {
        int rc = seed_demo(c, sc);
        if (rc)
            return rc;
    }
    if (sc->added == 0 && !sc->demo_added)
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
    yw_svc__set_app(app);
    int rc = yw_svc__calendar_load(app, err);
    if (rc)
        return rc;
    struct seed_ctx sc = { .demo = what && !strcmp(what, "demo") };
    rc = yw_db_tx(app->db, YW_TX_WRITE, seed_tx, &sc, err);
    if (rc)
        return rc;
    if (out)
        fprintf(out, "services: %d hall windows added%s\n", sc.added,
                sc.demo_added ? ", the demo citizen's booking, question and ratings" : "");
    return 0;
}
