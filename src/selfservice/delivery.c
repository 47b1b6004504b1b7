/*
 * delivery.c - how a paper result reaches its applicant (自助取件, 自助物流).
 *
 * case.approved of an item that produces a certificate makes a delivery row
 * (method not yet chosen).  The applicant chooses window, locker or mail (with
 * recipient, phone and address) and may change it while the delivery is
 * pending.  Hall staff then put the result into a free compartment of a
 * locker (a 6-digit pickup code goes to the applicant through delivery.notice,
 * which services turns into an inbox message; only its SM3 is stored), or mail
 * it (the carrier gives the tracking number, carrier.c), or hand it over at the
 * window.  At the kiosk the code opens the compartment once; five wrong codes
 * at one locker within 15 minutes lock it for the rest of that window.  Every
 * change writes its audit record in its transaction.
 */
#include "selfservice/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/roles.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HALL_STAFF     (YW_ROLE_WINDOW_CLERK | YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN)
#define FAIL_WINDOW_MS (15 * 60 * 1000)
#define FAIL_MAX       5

static const char *const COLS =
    "id, case_no, applicant_id, title, dept, result, method, status, recipient, phone, address, "
    "locker, compartment, carrier, tracking_no, created_at, updated_at, done_at";

struct dlv {
    int64_t id, applicant_id, compartment;
    const char *case_no, *title, *dept, *result, *method, *status, *recipient, *phone, *address,
        *locker, *carrier, *tracking_no, *created_at, *updated_at, *done_at;
};

static void
read_row(struct yw_stmt *s, struct yw_arena *a, struct dlv *d)
{
    d->id = yw_db_col_int(s, 0);
    d->case_no = yw_arena_strdup(a, yw_db_col_text(s, 1));
    d->applicant_id = yw_db_col_int(s, 2);
    d->title = yw_arena_strdup(a, yw_db_col_text(s, 3));
    d->dept = yw_arena_strdup(a, yw_db_col_text(s, 4));
    d->result = yw_arena_strdup(a, yw_db_col_text(s, 5));
    d->method = yw_arena_strdup(a, yw_db_col_text(s, 6));
    d->status = yw_arena_strdup(a, yw_db_col_text(s, 7));
    d->recipient = yw_arena_strdup(a, yw_db_col_text(s, 8));
    d->phone = yw_arena_strdup(a, yw_db_col_text(s, 9));
    d->address = yw_arena_strdup(a, yw_db_col_text(s, 10));
    d->locker = yw_arena_strdup(a, yw_db_col_text(s, 11));
    d->compartment = yw_db_col_int(s, 12);
    d->carrier = yw_arena_strdup(a, yw_db_col_text(s, 13));
    d->tracking_no = yw_arena_strdup(a, yw_db_col_text(s, 14));
    d->created_at = yw_arena_strdup(a, yw_db_col_text(s, 15));
    d->updated_at = yw_arena_strdup(a, yw_db_col_text(s, 16));
    d->done_at = yw_arena_strdup(a, yw_db_col_text(s, 17));
}

static json_t *
to_json(const struct dlv *d)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, "
                     "s:s, s:s}",
                     "case_no", d->case_no, "title", d->title, "dept", d->dept, "result", d->result,
                     "method", d->method, "status", d->status, "recipient", d->recipient, "phone",
                     d->phone, "address", d->address, "locker", d->locker, "compartment",
                     (json_int_t)d->compartment, "carrier", d->carrier, "tracking_no",
                     d->tracking_no, "created_at", d->created_at, "updated_at", d->updated_at,
                     "done_at", d->done_at);
}

static bool
is_staff(const struct yw_req *req)
{
    return (req->who->roles & HALL_STAFF) != 0;
}

/* The delivery of the case in the path, if the caller may see it (else 404). */
static int
load(struct yw_req *req, struct yw_dbc *c, const char *case_no, struct dlv *d)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT %s FROM ss_deliveries WHERE case_no = ?", COLS);
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, sql, "s", case_no ? case_no : "");
    if (rc == 0) {
        read_row(s, &req->arena, d);
        yw_db_reset(s);
        if (!is_staff(req) && d->applicant_id != req->who->account_id)
            rc = YW_ENOTFOUND;
    }
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no delivery for case '%.40s'", case_no ? case_no : "");
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the delivery");
    return 0;
}

static int
send(struct yw_req *req, struct yw_dbc *c, const char *case_no, int status)
{
    struct dlv d;
    int rc = load(req, c, case_no, &d);
    if (rc)
        return rc;
    return yw_resp_json(req, status, json_pack("{s:o}", "delivery", to_json(&d)));
}

static int
audit(struct yw_dbc *c, const struct yw_principal *who, const char *action, const char *case_no,
      json_t *summary)
{
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)(who ? who->account_id : 0));
    char *text = json_dumps(summary, JSON_COMPACT);
    json_decref(summary);
    int rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = who ? actor : "anonymous",
                                                       .role = "",
                                                       .action = action,
                                                       .obj_type = "delivery",
                                                       .obj_id = case_no,
                                                       .summary = text ? text : "{}" });
    free(text);
    return rc;
}

static int
notice(struct yw_dbc *c, const struct dlv *d, const char *kind, const char *locker,
       int64_t compartment, const char *code, const char *carrier, const char *tracking,
       struct yw_err *err)
{
    json_t *p =
        json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "case_no", d->case_no,
                  "applicant_id", (json_int_t)d->applicant_id, "title", d->title, "kind", kind,
                  "method", d->method, "locker", locker, "compartment", (json_int_t)compartment,
                  "code", code, "carrier", carrier, "tracking_no", tracking);
    int rc = yw_events_publish(c, YW_EV_DELIVERY_NOTICE, p, err);
    json_decref(p);
    return rc;
}

/* ---- case.approved ---- */

int
yw_ss__on_approved(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                   struct yw_err *err)
{
    (void)name;
    (void)ctx;
    int64_t item_id = json_integer_value(json_object_get(payload, "item_id"));
    int64_t case_id = json_integer_value(json_object_get(payload, "case_id"));
    int64_t applicant = json_integer_value(json_object_get(payload, "applicant_id"));
    const char *case_no = json_string_value(json_object_get(payload, "case_no"));
    const char *title = json_string_value(json_object_get(payload, "title"));
    const char *dept = json_string_value(json_object_get(payload, "dept"));
    if (item_id <= 0 || case_no == NULL || applicant <= 0)
        return 0; /* a bundle: its items' own cases carry their results */
    json_t *doc = NULL;
    int rc = yw_catalog_item_by_id(c, item_id, &doc);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return yw_fail(err, rc, "", "selfservice: cannot read the item of %s", case_no);
    const char *produces = json_string_value(json_object_get(doc, "produces"));
    char result[160] = "";
    if (produces && *produces) {
        struct yw_arena a;
        yw_arena_init(&a, 1024);
        struct yw_catalog_license_type lt;
        if (yw_catalog_license_type(c, &a, produces, &lt) == 0)
            snprintf(result, sizeof result, "%s", lt.name);
        else
            snprintf(result, sizeof result, "%s", produces);
        yw_arena_release(&a);
    }
    json_decref(doc);
    if (!*result)
        return 0; /* no paper result */
    char now[32];
    yw_db_now_text(now);
    rc =
        yw_db_run(c,
                  "INSERT INTO ss_deliveries (case_id, case_no, applicant_id, title, dept, result, "
                  "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                  "isisssss", case_id, case_no, applicant, title ? title : "", dept ? dept : "",
                  result, now, now);
    if (rc == 0)
        rc = audit(c, NULL, "delivery.open", case_no, json_pack("{s:s}", "result", result));
    if (rc)
        return yw_fail(err, rc, "", "selfservice: cannot record the delivery of %s", case_no);
    return 0;
}

/* ---- the applicant ---- */

int
yw_ss__h_list(struct yw_req *req)
{
    const char *status = yw_req_query(req, "status");
    const char *method = yw_req_query(req, "method");
    bool staff = is_staff(req);
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM ss_deliveries WHERE (? = 1 OR applicant_id = ?) AND (? = '' OR "
             "status = ?) AND (? = '' OR method = ?) ORDER BY id DESC LIMIT 200",
             COLS);
    const char *st = status ? status : "", *me = method ? method : "";
    struct yw_stmt *s = yw_db_query(req->db, sql, "iissss", (int64_t)(staff ? 1 : 0),
                                    req->who->account_id, st, st, me, me);
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot list deliveries");
    json_t *items = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        struct dlv d;
        read_row(s, &req->arena, &d);
        json_array_append_new(items, to_json(&d));
    }
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(items);
        return yw_fail(&req->err, rc, "", "cannot list deliveries");
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", items));
}

int
yw_ss__h_show(struct yw_req *req)
{
    return send(req, req->db, yw_req_param(req, "case_no"), 200);
}

static bool
digits(const char *p, size_t n)
{
    if (strlen(p) != n)
        return false;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

int
yw_ss__h_choose(struct yw_req *req)
{
    const char *case_no = yw_req_param(req, "case_no");
    struct dlv d;
    int rc = load(req, req->db, case_no, &d);
    if (rc)
        return rc;
    if (d.applicant_id != req->who->account_id)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no delivery for case '%.40s'", case_no);
    const char *method = yw_body_str(req, "method");
    if (strcmp(method, "window") && strcmp(method, "locker") && strcmp(method, "mail"))
        return yw_fail(&req->err, YW_EFIELD, "method", "method is window, locker or mail");
    const char *recipient = yw_body_str(req, "recipient"), *phone = yw_body_str(req, "phone"),
               *address = yw_body_str(req, "address");
    if (!strcmp(method, "mail")) {
        if (recipient == NULL || !*recipient)
            return yw_fail(&req->err, YW_EMISSING, "recipient", "mail needs a recipient");
        if (phone == NULL || !digits(phone, 11) || phone[0] != '1')
            return yw_fail(&req->err, YW_EFIELD, "phone", "phone is an 11-digit mobile number");
        if (address == NULL || strlen(address) < 6)
            return yw_fail(&req->err, YW_EFIELD, "address", "mail needs a full address");
    } else {
        recipient = phone = address = "";
    }
    if (strcmp(d.status, "pending"))
        return yw_fail(&req->err, YW_ESTATE, "method",
                       "the result has already left (%s): the choice cannot change", d.status);
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    rc = yw_db_run_changes(req->db, &n,
                           "UPDATE ss_deliveries SET method = ?, recipient = ?, phone = ?, "
                           "address = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
                           "sssssi", method, recipient, phone, address, now, d.id);
    if (rc == 0 && n != 1)
        return yw_fail(&req->err, YW_ESTATE, "method", "the result has already left");
    if (rc == 0)
        rc = audit(req->db, req->who, "delivery.choose", case_no,
                   json_pack("{s:s}", "method", method));
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot record the choice");
    return send(req, req->db, case_no, 200);
}

/* ---- the hall's staff ---- */

int
yw_ss__h_locker(struct yw_req *req)
{
    const char *case_no = yw_req_param(req, "case_no");
    const char *locker = yw_body_str(req, "locker");
    struct dlv d;
    int rc = load(req, req->db, case_no, &d);
    if (rc)
        return rc;
    if (strcmp(d.method, "locker") || strcmp(d.status, "pending"))
        return yw_fail(&req->err, YW_ESTATE, "",
                       "the delivery is not waiting for a locker (method '%s', status %s)",
                       d.method, d.status);
    int64_t slot = 0;
    rc = yw_db_one_int(req->db, &slot,
                       "SELECT MIN(slot) FROM ss_compartments WHERE locker = ? AND delivery_id = 0",
                       "s", locker);
    if (rc == 0 && slot <= 0) {
        if (yw_db_exists(req->db, "SELECT 1 FROM ss_compartments WHERE locker = ?", "s", locker) !=
            0)
            return yw_fail(&req->err, YW_ENOTFOUND, "locker", "no locker '%.20s'", locker);
        return yw_fail(&req->err, YW_ESTATE, "locker", "locker '%.20s' has no free compartment",
                       locker);
    }
    int64_t n = 0;
    if (rc == 0)
        rc = yw_db_run_changes(req->db, &n,
                               "UPDATE ss_compartments SET delivery_id = ? WHERE locker = ? AND "
                               "slot = ? AND delivery_id = 0",
                               "isi", d.id, locker, slot);
    if (rc == 0 && n != 1)
        return yw_fail(&req->err, YW_ECONFLICT, "locker", "the compartment was just taken");
    /* a code no other result in this locker has */
    char code[8] = "", key[64], h[65];
    for (int tries = 0; rc == 0 && tries < 20; tries++) {
        unsigned char r[4];
        yw_random(r, sizeof r);
        uint32_t v = ((uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3]);
        snprintf(code, sizeof code, "%06u", v % 1000000u);
        snprintf(key, sizeof key, "%s:%s", locker, code);
        yw_sm3_hex(key, strlen(key), h);
        rc = yw_db_exists(req->db, "SELECT 1 FROM ss_deliveries WHERE code_hash = ?", "s", h);
        if (rc == YW_ENOTFOUND) {
            rc = 0;
            break;
        }
        if (rc == 0)
            rc = tries == 19 ? YW_EINTERNAL : 0;
    }
    char now[32];
    yw_db_now_text(now);
    if (rc == 0)
        rc =
            yw_db_run(req->db,
                      "UPDATE ss_deliveries SET status = 'in_locker', locker = ?, compartment = ?, "
                      "code_hash = ?, updated_at = ? WHERE id = ?",
                      "sissi", locker, slot, h, now, d.id);
    if (rc == 0)
        rc = audit(req->db, req->who, "delivery.locker", case_no,
                   json_pack("{s:s, s:I}", "locker", locker, "compartment", (json_int_t)slot));
    if (rc == 0)
        rc = notice(req->db, &d, "locker_ready", locker, slot, code, "", "", &req->err);
    if (rc)
        return req->err.msg[0] ? rc
                               : yw_fail(&req->err, rc, "", "cannot put the result in a locker");
    return send(req, req->db, case_no, 200);
}

struct ship_tx {
    struct yw_req *req;
    struct dlv *d;
    const char *carrier, *tracking;
};

static int
ship_tx(struct yw_dbc *c, void *ctx)
{
    struct ship_tx *t = ctx;
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    int rc = yw_db_run_changes(c, &n,
                               "UPDATE ss_deliveries SET status = 'shipped', carrier = ?, "
                               "tracking_no = ?, updated_at = ? WHERE id = ? AND status = "
                               "'pending' AND method = 'mail'",
                               "sssi", t->carrier, t->tracking, now, t->d->id);
    if (rc == 0 && n != 1)
        return yw_fail(&t->req->err, YW_ESTATE, "",
                       "the delivery is no longer waiting to be mailed");
    if (rc == 0)
        rc = audit(c, t->req->who, "delivery.ship", t->d->case_no,
                   json_pack("{s:s, s:s}", "carrier", t->carrier, "tracking_no", t->tracking));
    if (rc == 0)
        rc = notice(c, t->d, "shipped", "", 0, "", t->carrier, t->tracking, &t->req->err);
    return rc;
}

int
yw_ss__h_ship(struct yw_req *req)
{
    const char *case_no = yw_req_param(req, "case_no");
    struct dlv d;
    int rc = load(req, req->db, case_no, &d);
    if (rc)
        return rc;
    if (strcmp(d.method, "mail") || strcmp(d.status, "pending"))
        return yw_fail(&req->err, YW_ESTATE, "",
                       "the delivery is not waiting to be mailed (method '%s', status %s)",
                       d.method, d.status);
    const char *tracking = NULL;
    /* the carrier is asked with no transaction open */
    rc = yw_ss__carrier_waybill(&req->arena, d.case_no, d.recipient, d.phone, d.address,
                                yw_body_str(req, "tracking_no"), &tracking, &req->err);
    if (rc)
        return rc;
    struct ship_tx t = { req, &d, yw_ss__cfg()->ss_carrier_name, tracking };
    rc = yw_db_tx(req->app->db, YW_TX_WRITE, ship_tx, &t, &req->err);
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot record the mailing");
    return send(req, req->db, case_no, 200);
}

int
yw_ss__h_handover(struct yw_req *req)
{
    const char *case_no = yw_req_param(req, "case_no");
    struct dlv d;
    int rc = load(req, req->db, case_no, &d);
    if (rc)
        return rc;
    bool window = !strcmp(d.method, "window") && !strcmp(d.status, "pending");
    bool mail = !strcmp(d.method, "mail") && !strcmp(d.status, "shipped");
    if (!window && !mail)
        return yw_fail(&req->err, YW_ESTATE, "", "nothing to hand over (method '%s', status %s)",
                       d.method, d.status);
    char now[32];
    yw_db_now_text(now);
    rc = yw_db_run(req->db,
                   "UPDATE ss_deliveries SET status = 'done', done_at = ?, updated_at = ? WHERE "
                   "id = ?",
                   "ssi", now, now, d.id);
    if (rc == 0)
        rc = audit(req->db, req->who, window ? "delivery.handover" : "delivery.delivered", case_no,
                   json_pack("{s:s}", "method", d.method));
    if (rc == 0)
        rc = notice(req->db, &d, "done", "", 0, "", d.carrier, d.tracking_no, &req->err);
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot record the handover");
    return send(req, req->db, case_no, 200);
}

int
yw_ss__h_lockers(struct yw_req *req)
{
    struct yw_stmt *s = yw_db_query(req->db,
                                    "SELECT locker, COUNT(*), SUM(CASE WHEN delivery_id = 0 THEN 1 "
                                    "ELSE 0 END) FROM ss_compartments GROUP BY locker ORDER BY "
                                    "locker",
                                    "");
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot list the lockers");
    json_t *items = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(items, json_pack("{s:s, s:I, s:I}", "locker", yw_db_col_text(s, 0),
                                               "compartments", (json_int_t)yw_db_col_int(s, 1),
                                               "free", (json_int_t)yw_db_col_int(s, 2)));
    rc = yw_db_finish(s, rc);
    if (rc) {
        json_decref(items);
        return yw_fail(&req->err, rc, "", "cannot list the lockers");
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", items));
}

/* ---- the kiosk: a code opens its compartment ---- */

struct pickup_tx {
    struct yw_req *req;
    const char *locker, *code;
    int64_t now_ms;
    struct dlv d;
    int64_t slot;
};

static int
pickup_tx(struct yw_dbc *c, void *ctx)
{
    struct pickup_tx *t = ctx;
    struct yw_req *req = t->req;
    int64_t fails = 0;
    int rc = yw_db_one_int(c, &fails,
                           "SELECT COUNT(*) FROM ss_pickup_failures WHERE locker = ? AND at_ms > ?",
                           "si", t->locker, t->now_ms - FAIL_WINDOW_MS);
    if (rc)
        return rc;
    if (fails >= FAIL_MAX)
        return yw_fail(&req->err, YW_ESSLOCKED, "code",
                       "too many wrong codes at this locker: try again later or ask the window");
    char key[64], h[65], sql[400];
    snprintf(key, sizeof key, "%s:%s", t->locker, t->code);
    yw_sm3_hex(key, strlen(key), h);
    snprintf(sql, sizeof sql,
             "SELECT %s FROM ss_deliveries WHERE code_hash = ? AND status = 'in_locker' AND "
             "locker = ?",
             COLS);
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s, sql, "ss", h, t->locker);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_ESSCODE, "code", "the pickup code is wrong for this locker");
    if (rc)
        return rc;
    read_row(s, &req->arena, &t->d);
    yw_db_reset(s);
    t->slot = t->d.compartment;
    char now[32];
    yw_db_now_text(now);
    rc = yw_db_run(c,
                   "UPDATE ss_deliveries SET status = 'done', code_hash = '', done_at = ?, "
                   "updated_at = ? WHERE id = ? AND status = 'in_locker'",
                   "ssi", now, now, t->d.id);
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE ss_compartments SET delivery_id = 0 WHERE delivery_id = ?", "i",
                       t->d.id);
    if (rc == 0)
        rc =
            audit(c, req->who, "delivery.pickup", t->d.case_no,
                  json_pack("{s:s, s:I}", "locker", t->locker, "compartment", (json_int_t)t->slot));
    if (rc == 0)
        rc = notice(c, &t->d, "done", t->locker, t->slot, "", "", "", &req->err);
    return rc;
}

struct fail_tx {
    const char *locker;
    int64_t now_ms;
};

static int
fail_tx(struct yw_dbc *c, void *ctx)
{
    struct fail_tx *t = ctx;
    int rc = yw_db_run(c, "INSERT INTO ss_pickup_failures (locker, at_ms) VALUES (?, ?)", "si",
                       t->locker, t->now_ms);
    if (rc == 0)
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = "anonymous",
                                                       .role = "",
                                                       .action = "delivery.pickup_failed",
                                                       .obj_type = "locker",
                                                       .obj_id = t->locker,
                                                       .summary = "{}" });
    return rc;
}

int
yw_ss__h_pickup(struct yw_req *req)
{
    const char *locker = yw_body_str(req, "locker"), *code = yw_body_str(req, "code");
    if (!digits(code, 6))
        return yw_fail(&req->err, YW_EFIELD, "code", "the pickup code has 6 digits");
    if (yw_db_exists(req->db, "SELECT 1 FROM ss_compartments WHERE locker = ?", "s", locker) != 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "locker", "no locker '%.20s'", locker);
    struct pickup_tx t = {
        .req = req, .locker = locker, .code = code, .now_ms = yw_clock_now_ms()
    };
    int rc = yw_db_tx(req->app->db, YW_TX_WRITE, pickup_tx, &t, &req->err);
    if (rc == YW_ESSCODE) { /* counted (and audited) in a transaction of its own */
        struct fail_tx f = { locker, t.now_ms };
        struct yw_err ferr = { 0 };
        if (yw_db_tx(req->app->db, YW_TX_WRITE, fail_tx, &f, &ferr) != 0)
            return yw_fail(&req->err, YW_EDB, "", "cannot record the failed code");
        return rc;
    }
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot open the compartment");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:s, s:I, s:s}", "case_no", t.d.case_no, "title",
                                  t.d.title, "locker", locker, "compartment", (json_int_t)t.slot,
                                  "status", "done"));
}

/* ---- demo data: two lockers in the 24-hour hall ---- */

struct seed_ctx {
    int added;
};

static int
seed_tx(struct yw_dbc *c, void *ctx)
{
    struct seed_ctx *sc = ctx;
    static const struct {
        const char *locker;
        int n;
    } lockers[] = { { "G01", 12 }, { "G02", 8 } };
    for (size_t i = 0; i < sizeof lockers / sizeof lockers[0]; i++)
        for (int s = 1; s <= lockers[i].n; s++) {
            int64_t n = 0;
            int rc = yw_db_run_changes(c, &n,
                                       "INSERT INTO ss_compartments (locker, slot) VALUES (?, ?) "
                                       "ON CONFLICT DO NOTHING",
                                       "si", lockers[i].locker, (int64_t)s);
            if (rc)
                return rc;
            sc->added += (int)n;
        }
    return 0;
}

int
yw_ss__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err)
{
    if (what == NULL || strcmp(what, "demo"))
        return 0;
    struct seed_ctx sc = { 0 };
    int rc = yw_db_tx(app->db, YW_TX_WRITE, seed_tx, &sc, err);
    if (rc)
        return rc;
    if (out)
        fprintf(out, "selfservice: %d locker compartments\n", sc.added);
    return 0;
}
