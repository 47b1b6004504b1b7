/*
 * lockers.c - the hall's self-pickup lockers seen by their staff: each
 * compartment with its state and the result in it; opening one (to put in or
 * check), releasing one by force (the result goes back to the window), and
 * taking one out of service.  Also the return of uncollected results: after
 * ss_locker_days in a compartment a result goes back to the window and the
 * applicant is told (returns.c runs it in the background).  Every act is
 * audited in its transaction.
 */
#include "selfservice/internal.h"

#include "core/clock.h"
#include "core/roles.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
audit(struct yw_dbc *c, const struct yw_principal *who, const char *action, const char *locker,
      int64_t slot, json_t *summary)
{
    char actor[24], obj[48];
    snprintf(actor, sizeof actor, "%lld", (long long)(who ? who->account_id : 0));
    snprintf(obj, sizeof obj, "%s/%lld", locker, (long long)slot);
    char *text = json_dumps(summary, JSON_COMPACT);
    json_decref(summary);
    int rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = who ? actor : "system",
                                                       .role = "",
                                                       .action = action,
                                                       .obj_type = "locker",
                                                       .obj_id = obj,
                                                       .summary = text ? text : "{}" });
    free(text);
    return rc;
}

int
yw_ss__send_back(struct yw_dbc *c, int64_t delivery_id, const struct yw_principal *who,
                 const char *why, struct yw_err *err)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s,
                           "SELECT case_no, applicant_id, title, locker, compartment FROM "
                           "ss_deliveries WHERE id = ? AND status = 'in_locker'",
                           "i", delivery_id);
    if (rc == YW_ENOTFOUND)
        return 0; /* already collected or sent back (another node) */
    if (rc)
        return rc;
    char case_no[64], title[256], locker[20];
    snprintf(case_no, sizeof case_no, "%s", yw_db_col_text(s, 0));
    int64_t applicant = yw_db_col_int(s, 1), slot = yw_db_col_int(s, 4);
    snprintf(title, sizeof title, "%s", yw_db_col_text(s, 2));
    snprintf(locker, sizeof locker, "%s", yw_db_col_text(s, 3));
    yw_db_reset(s);
    char now[32], ref[96];
    yw_db_now_text(now);
    int64_t n = 0;
    rc = yw_db_run_changes(c, &n,
                           "UPDATE ss_deliveries SET status = 'pending', method = 'window', locker "
                           "= '', compartment = 0, code_hash = '', placed_ms = 0, returned_at = ?, "
                           "updated_at = ? WHERE id = ? AND status = 'in_locker'",
                           "ssi", now, now, delivery_id);
    if (rc || n != 1)
        return rc;
    rc = yw_db_run(c, "UPDATE ss_compartments SET delivery_id = 0 WHERE delivery_id = ?", "i",
                   delivery_id);
    if (rc == 0)
        rc = audit(c, who, "delivery.returned", locker, slot,
                   json_pack("{s:s, s:s}", "case_no", case_no, "why", why));
    snprintf(ref, sizeof ref, "/delivery.html?case=%.60s", case_no);
    if (rc == 0) {
        json_t *p = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "case_no",
                              case_no, "applicant_id", (json_int_t)applicant, "title", title,
                              "kind", "returned", "method", "window", "locker", locker,
                              "compartment", (json_int_t)slot, "carrier", "", "tracking_no", "",
                              "ref", ref);
        rc = yw_events_publish(c, YW_EV_DELIVERY_NOTICE, p, err);
        json_decref(p);
    }
    return rc;
}

/* ---- the return of uncollected results (one pass; returns.c schedules it) ---- */

struct sweep {
    int64_t cutoff_ms;
    int returned;
    bool pg;
};

static int
sweep_tx(struct yw_dbc *c, void *ctx)
{
    struct sweep *sw = ctx;
    sw->returned = 0;
    /* on PostgreSQL two nodes split the rows (SKIP LOCKED); send_back moves a
     * row only from in_locker, so a row seen twice is returned once */
    struct yw_stmt *s = yw_db_query(
        c,
        sw->pg ? "SELECT id FROM ss_deliveries WHERE status = 'in_locker' AND placed_ms > 0 AND "
                 "placed_ms <= ? ORDER BY placed_ms LIMIT 100 FOR UPDATE SKIP LOCKED"
               : "SELECT id FROM ss_deliveries WHERE status = 'in_locker' AND placed_ms > 0 AND "
                 "placed_ms <= ? ORDER BY placed_ms LIMIT 100",
        "i", sw->cutoff_ms);
    if (s == NULL)
        return YW_EDB;
    int64_t ids[100];
    int n = 0, rc;
    while ((rc = yw_db_step(s)) == YW_ROW && n < 100)
        ids[n++] = yw_db_col_int(s, 0);
    if (rc == YW_ROW)
        yw_db_reset(s);
    else if ((rc = yw_db_finish(s, rc)))
        return rc;
    struct yw_err err = { 0 };
    for (int i = 0; i < n; i++) {
        int64_t before = 0;
        if ((rc = yw_db_one_int(c, &before,
                                "SELECT COUNT(*) FROM ss_deliveries WHERE id = ? AND status = "
                                "'in_locker'",
                                "i", ids[i])))
            return rc;
        if ((rc = yw_ss__send_back(c, ids[i], NULL, "uncollected", &err)))
            return rc;
        sw->returned += (int)before;
    }
    return 0;
}

int
yw_ss__return_once(struct yw_db *db, int *returned, struct yw_err *err)
{
    struct sweep sw = { .cutoff_ms = yw_clock_now_ms() -
                                     yw_ss__cfg()->ss_locker_days * 24LL * 3600 * 1000,
                        .pg = yw_db_engine(db) == YW_DB_PG };
    *returned = 0;
    struct yw_dbc *c = yw_db_conn(db, err);
    if (c == NULL)
        return YW_EDB;
    /* a plain read first: most passes find nothing and take no write lock */
    int rc = yw_db_exists(c,
                          "SELECT 1 FROM ss_deliveries WHERE status = 'in_locker' AND placed_ms > "
                          "0 AND placed_ms <= ?",
                          "i", sw.cutoff_ms);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return yw_fail(err, rc, "", "cannot read the lockers' results");
    do {
        if ((rc = yw_db_tx(db, YW_TX_WRITE, sweep_tx, &sw, err)))
            return rc;
        *returned += sw.returned;
    } while (sw.returned == 100);
    return 0;
}

/* ---- staff ---- */

int
yw_ss__h_lockers(struct yw_req *req)
{
    struct yw_stmt *s = yw_db_query(req->db,
                                    "SELECT locker, COUNT(*), SUM(CASE WHEN delivery_id = 0 AND "
                                    "state = 'ok' THEN 1 ELSE 0 END), SUM(CASE WHEN state <> 'ok' "
                                    "THEN 1 ELSE 0 END) FROM ss_compartments GROUP BY locker "
                                    "ORDER BY locker",
                                    "");
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot list the lockers");
    json_t *items = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(items, json_pack("{s:s, s:I, s:I, s:I}", "locker",
                                               yw_db_col_text(s, 0), "compartments",
                                               (json_int_t)yw_db_col_int(s, 1), "free",
                                               (json_int_t)yw_db_col_int(s, 2), "disabled",
                                               (json_int_t)yw_db_col_int(s, 3)));
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(items);
        return yw_fail(&req->err, rc, "", "cannot list the lockers");
    }
    return yw_resp_json(req, 200,
                        json_pack("{s:o, s:I}", "items", items, "return_days",
                                  (json_int_t)yw_ss__cfg()->ss_locker_days));
}

int
yw_ss__h_compartments(struct yw_req *req)
{
    const char *locker = yw_req_param(req, "locker");
    struct yw_stmt *s = yw_db_query(
        req->db,
        "SELECT c.slot, c.state, c.delivery_id, COALESCE(d.case_no, ''), COALESCE(d.title, ''), "
        "COALESCE(d.placed_ms, 0), CASE WHEN d.code_hash <> '' THEN 1 ELSE 0 END FROM "
        "ss_compartments c LEFT JOIN ss_deliveries d ON d.id = c.delivery_id AND c.delivery_id "
        "<> 0 WHERE c.locker = ? ORDER BY c.slot",
        "s", locker ? locker : "");
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot list the compartments");
    json_t *items = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        char placed[32] = "";
        if (yw_db_col_int(s, 5) > 0)
            yw_clock_format(yw_db_col_int(s, 5), placed);
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:b, s:s, s:s, s:s, s:b}", "slot",
                             (json_int_t)yw_db_col_int(s, 0), "state", yw_db_col_text(s, 1),
                             "occupied", yw_db_col_int(s, 2) != 0, "case_no",
                             yw_db_col_text(s, 3), "title", yw_db_col_text(s, 4), "placed_at",
                             placed, "code_issued", yw_db_col_int(s, 6) != 0));
    }
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(items);
        return yw_fail(&req->err, rc, "", "cannot list the compartments");
    }
    if (json_array_size(items) == 0) {
        json_decref(items);
        return yw_fail(&req->err, YW_ENOTFOUND, "locker", "no locker '%.20s'", locker);
    }
    return yw_resp_json(req, 200, json_pack("{s:s, s:o}", "locker", locker, "items", items));
}

/* The compartment in the path: its delivery (0 when empty) and state. */
static int
slot_of(struct yw_req *req, const char **locker, int64_t *slot, int64_t *delivery, char state[12])
{
    *locker = yw_req_param(req, "locker");
    const char *sl = yw_req_param(req, "slot");
    char *end = NULL;
    long long v = sl ? strtoll(sl, &end, 10) : 0;
    if (sl == NULL || end == sl || *end || v < 1 || v > 999)
        return yw_fail(&req->err, YW_ENOTFOUND, "slot", "no such compartment");
    *slot = v;
    struct yw_stmt *s;
    int rc = yw_db_one_row(req->db, &s,
                           "SELECT delivery_id, state FROM ss_compartments WHERE locker = ? AND "
                           "slot = ?",
                           "si", *locker, *slot);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "slot", "no compartment %lld in locker '%.20s'", v, *locker);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the compartment");
    *delivery = yw_db_col_int(s, 0);
    snprintf(state, 12, "%s", yw_db_col_text(s, 1));
    yw_db_reset(s);
    return 0;
}

int
yw_ss__h_open(struct yw_req *req)
{
    const char *locker, *reason = yw_body_str(req, "reason");
    int64_t slot, delivery;
    char state[12];
    int rc = slot_of(req, &locker, &slot, &delivery, state);
    if (rc)
        return rc;
    if (reason == NULL || strlen(reason) < 2)
        return yw_fail(&req->err, YW_EMISSING, "reason", "say why the compartment is opened");
    rc = audit(req->db, req->who, "locker.open", locker, slot,
               json_pack("{s:s, s:b}", "reason", reason, "occupied", delivery != 0));
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot record the opening");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:I, s:s, s:b}", "locker", locker, "slot",
                                  (json_int_t)slot, "opened", "yes", "occupied", delivery != 0));
}

int
yw_ss__h_release(struct yw_req *req)
{
    const char *locker, *reason = yw_body_str(req, "reason");
    int64_t slot, delivery;
    char state[12];
    int rc = slot_of(req, &locker, &slot, &delivery, state);
    if (rc)
        return rc;
    if (reason == NULL || strlen(reason) < 2)
        return yw_fail(&req->err, YW_EMISSING, "reason", "say why the compartment is released");
    if (delivery == 0)
        return yw_fail(&req->err, YW_ESTATE, "slot", "the compartment is already empty");
    rc = yw_ss__send_back(req->db, delivery, req->who, "released", &req->err);
    if (rc == 0)
        rc = yw_db_run(req->db,
                       "UPDATE ss_compartments SET delivery_id = 0 WHERE locker = ? AND slot = ?",
                       "si", locker, slot);
    if (rc == 0)
        rc = audit(req->db, req->who, "locker.release", locker, slot,
                   json_pack("{s:s}", "reason", reason));
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot release the compartment");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:I, s:b}", "locker", locker, "slot", (json_int_t)slot,
                                  "occupied", false));
}

int
yw_ss__h_state(struct yw_req *req)
{
    const char *locker, *to = yw_body_str(req, "state"), *reason = yw_body_str(req, "reason");
    int64_t slot, delivery;
    char state[12];
    int rc = slot_of(req, &locker, &slot, &delivery, state);
    if (rc)
        return rc;
    if (strcmp(to, "ok") && strcmp(to, "disabled"))
        return yw_fail(&req->err, YW_EFIELD, "state", "state is ok or disabled");
    if (reason == NULL || strlen(reason) < 2)
        return yw_fail(&req->err, YW_EMISSING, "reason", "say why");
    if (!strcmp(to, "disabled") && delivery != 0)
        return yw_fail(&req->err, YW_ESTATE, "state",
                       "a result is in the compartment: release it first");
    rc = yw_db_run(req->db, "UPDATE ss_compartments SET state = ? WHERE locker = ? AND slot = ?",
                   "ssi", to, locker, slot);
    if (rc == 0)
        rc = audit(req->db, req->who, "locker.state", locker, slot,
                   json_pack("{s:s, s:s, s:s}", "from", state, "to", to, "reason", reason));
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot change the compartment");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:I, s:s}", "locker", locker, "slot", (json_int_t)slot,
                                  "state", to));
}
