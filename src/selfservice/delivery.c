/*
 * delivery.c - how a paper result reaches its applicant (自助取件, 自助物流).
 *
 * case.approved of an item that produces a certificate makes a delivery row
 * (method not yet chosen).  The applicant chooses window, locker or mail (with
 * recipient, phone and address) and may change it while the delivery is
 * pending.  Hall staff then put the result into a free compartment of a
 * locker, or mail it (the carrier gives the tracking number, carrier.c), or
 * hand it over at the window.  delivery.notice tells the applicant (services
 * turns it into an inbox message) but never carries a pickup code: the owner
 * asks for one on their own delivery page (POST .../pickup-code), which
 * answers it once and keeps only a salted SM3 of it (a new one replaces the
 * old), so no code rests in the outbox, the inbox or the mail queue.  At the
 * kiosk the code opens the compartment once, or the owner signed in at the
 * kiosk opens it (POST .../pickup); five wrong codes at one locker within 15
 * minutes lock it for the rest of that window.  Every change writes its audit
 * record in its transaction.
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
    "locker, compartment, carrier, tracking_no, created_at, updated_at, done_at, returned_at";

struct dlv {
    int64_t id, applicant_id, compartment;
    const char *case_no, *title, *dept, *result, *method, *status, *recipient, *phone, *address,
        *locker, *carrier, *tracking_no, *created_at, *updated_at, *done_at, *returned_at;
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
    d->returned_at = yw_arena_strdup(a, yw_db_col_text(s, 18));
}

static json_t *
to_json(const struct dlv *d)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, "
                     "s:s, s:s, s:s}",
                     "case_no", d->case_no, "title", d->title, "dept", d->dept, "result", d->result,
                     "method", d->method, "status", d->status, "recipient", d->recipient, "phone",
                     d->phone, "address", d->address, "locker", d->locker, "compartment",
                     (json_int_t)d->compartment, "carrier", d->carrier, "tracking_no",
                     d->tracking_no, "created_at", d->created_at, "updated_at", d->updated_at,
                     "done_at", d->done_at, "returned_at", d->returned_at);
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

/* The applicant's page of this delivery: what the notice points to. */
static void
page_ref(const char *case_no, char out[96])
{
    snprintf(out, 96, "/delivery.html?case=%.60s", case_no);
}

static int
notice(struct yw_dbc *c, const struct dlv *d, const char *kind, const char *locker,
       int64_t compartment, const char *carrier, const char *tracking, struct yw_err *err)
{
    char ref[96];
    page_ref(d->case_no, ref);
    /* services' locker template still names {code}: it reads where to get it */
    json_t *p = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "case_no",
                          d->case_no, "applicant_id", (json_int_t)d->applicant_id, "title",
                          d->title, "kind", kind, "method", d->method, "locker", locker,
                          "compartment", (json_int_t)compartment, "carrier", carrier,
                          "tracking_no", tracking, "ref", ref, "code",
                          "请在“结果领取”页获取 / get it on your delivery page");
    int rc = yw_events_publish(c, YW_EV_DELIVERY_NOTICE, p, err);
    json_decref(p);
    return rc;
}

/* The stored form of a pickup code: "salt$" and SM3 of salt, locker and code. */
static void
code_seal(const char *salt, const char *locker, const char *code, char out[96])
{
    char key[96], h[65];
    snprintf(key, sizeof key, "%s:%s:%s", salt, locker, code);
    yw_sm3_hex(key, strlen(key), h);
    snprintf(out, 96, "%s$%s", salt, h);
}

static bool
code_matches(const char *sealed, const char *locker, const char *code)
{
    const char *dollar = strchr(sealed, '$');
    if (dollar == NULL || dollar - sealed > 32)
        return false;
    char salt[40], again[96];
    snprintf(salt, sizeof salt, "%.*s", (int)(dollar - sealed), sealed);
    code_seal(salt, locker, code, again);
    return strlen(again) == strlen(sealed) && yw_ct_equal(again, sealed, strlen(sealed));
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
    int rc = yw_catalog_item_by_id_ro(c, item_id, &doc); /* read only */
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
                       "SELECT MIN(slot) FROM ss_compartments WHERE locker = ? AND delivery_id = 0 "
                       "AND state = 'ok'",
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
                               "slot = ? AND delivery_id = 0 AND state = 'ok'",
                               "isi", d.id, locker, slot);
    if (rc == 0 && n != 1)
        return yw_fail(&req->err, YW_ECONFLICT, "locker", "the compartment was just taken");
    char now[32];
    yw_db_now_text(now);
    if (rc == 0)
        rc = yw_db_run(req->db,
                       "UPDATE ss_deliveries SET status = 'in_locker', locker = ?, compartment = ?, "
                       "code_hash = '', placed_ms = ?, updated_at = ? WHERE id = ?",
                       "siisi", locker, slot, yw_clock_now_ms(), now, d.id);
    if (rc == 0)
        rc = audit(req->db, req->who, "delivery.locker", case_no,
                   json_pack("{s:s, s:I}", "locker", locker, "compartment", (json_int_t)slot));
    if (rc == 0)
        rc = notice(req->db, &d, "locker_ready", locker, slot, "", "", &req->err);
    if (rc)
        return req->err.msg[0] ? rc
                               : yw_fail(&req->err, rc, "", "cannot put the result in a locker");
    return send(req, req->db, case_no, 200);
}

/* The owner asks for the pickup code of their result in a locker: a new
 * 6-digit code no other result in that locker has, answered this once; only
 * its salted SM3 is kept, and an earlier code stops working. */
int
yw_ss__h_code(struct yw_req *req)
{
    const char *case_no = yw_req_param(req, "case_no");
    struct dlv d;
    int rc = load(req, req->db, case_no, &d);
    if (rc)
        return rc;
    if (d.applicant_id != req->who->account_id)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no delivery for case '%.40s'", case_no);
    if (strcmp(d.status, "in_locker"))
        return yw_fail(&req->err, YW_ESTATE, "", "the result is not in a locker (status %s)",
                       d.status);
    char code[8] = "", sealed[96] = "", salt[32];
    bool unique = false;
    for (int tries = 0; rc == 0 && !unique && tries < 20; tries++) {
        unsigned char r[4];
        yw_random(r, sizeof r);
        uint32_t v = ((uint32_t)r[0] << 24 | (uint32_t)r[1] << 16 | (uint32_t)r[2] << 8 | r[3]);
        snprintf(code, sizeof code, "%06u", v % 1000000u);
        unique = true;
        struct yw_stmt *s = yw_db_query(req->db,
                                        "SELECT code_hash FROM ss_deliveries WHERE locker = ? AND "
                                        "status = 'in_locker' AND id <> ? AND code_hash <> ''",
                                        "si", d.locker, d.id);
        if (s == NULL) {
            rc = YW_EDB;
            break;
        }
        while ((rc = yw_db_step(s)) == YW_ROW)
            if (code_matches(yw_db_col_text(s, 0), d.locker, code))
                unique = false;
        rc = yw_db_finish(s, rc);
    }
    if (rc == 0 && !unique)
        rc = YW_EINTERNAL;
    yw_random_token(12, salt, sizeof salt);
    code_seal(salt, d.locker, code, sealed);
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    if (rc == 0)
        rc = yw_db_run_changes(req->db, &n,
                               "UPDATE ss_deliveries SET code_hash = ?, updated_at = ? WHERE id = "
                               "? AND status = 'in_locker'",
                               "ssi", sealed, now, d.id);
    if (rc == 0 && n != 1)
        return yw_fail(&req->err, YW_ESTATE, "", "the result is no longer in the locker");
    if (rc == 0)
        rc = audit(req->db, req->who, "delivery.code_issued", case_no,
                   json_pack("{s:s, s:I}", "locker", d.locker, "compartment",
                             (json_int_t)d.compartment));
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot issue a pickup code");
    yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:I, s:s}", "case_no", d.case_no, "locker",
                                  d.locker, "compartment", (json_int_t)d.compartment, "code",
                                  code));
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
        rc = notice(c, t->d, "shipped", "", 0, t->carrier, t->tracking, &t->req->err);
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
        rc = notice(req->db, &d, "done", "", 0, d.carrier, d.tracking_no, &req->err);
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot record the handover");
    return send(req, req->db, case_no, 200);
}

/* ---- the kiosk: a code opens its compartment ---- */

struct pickup_tx {
    struct yw_req *req;
    const char *locker, *code, *case_no; /* a code at a locker, or the owner's case_no */
    int64_t now_ms;
    struct dlv d;
    int64_t slot;
};

/* The result leaves its compartment: done, the compartment free, audited, told. */
static int
take_out(struct yw_dbc *c, struct pickup_tx *t, const char *how)
{
    t->slot = t->d.compartment;
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    int rc = yw_db_run_changes(c, &n,
                               "UPDATE ss_deliveries SET status = 'done', code_hash = '', done_at "
                               "= ?, updated_at = ? WHERE id = ? AND status = 'in_locker'",
                               "ssi", now, now, t->d.id);
    if (rc == 0 && n != 1)
        return yw_fail(&t->req->err, YW_ESTATE, "", "the result is no longer in the locker");
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE ss_compartments SET delivery_id = 0 WHERE delivery_id = ?", "i",
                       t->d.id);
    if (rc == 0)
        rc = audit(c, t->req->who, "delivery.pickup", t->d.case_no,
                   json_pack("{s:s, s:I, s:s}", "locker", t->d.locker, "compartment",
                             (json_int_t)t->slot, "by", how));
    if (rc == 0)
        rc = notice(c, &t->d, "done", t->d.locker, t->slot, "", "", &t->req->err);
    return rc;
}

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
    /* a locker holds a few results: each sealed code is checked (salted, so no index) */
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT %s, code_hash FROM ss_deliveries WHERE locker = ? AND status = 'in_locker' "
             "AND code_hash <> ''",
             COLS);
    struct yw_stmt *s = yw_db_query(c, sql, "s", t->locker);
    if (s == NULL)
        return YW_EDB;
    bool found = false;
    while ((rc = yw_db_step(s)) == YW_ROW)
        if (!found && code_matches(yw_db_col_text(s, 19), t->locker, t->code)) {
            read_row(s, &req->arena, &t->d);
            found = true;
        }
    if ((rc = yw_db_finish(s, rc)))
        return rc;
    if (!found)
        return yw_fail(&req->err, YW_ESSCODE, "code", "the pickup code is wrong for this locker");
    return take_out(c, t, "code");
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

/* The owner, signed in at a kiosk, opens the compartment of their result. */
static int
own_pickup_tx(struct yw_dbc *c, void *ctx)
{
    struct pickup_tx *t = ctx;
    int rc = load(t->req, c, t->case_no, &t->d);
    if (rc)
        return rc;
    if (t->d.applicant_id != t->req->who->account_id)
        return yw_fail(&t->req->err, YW_ENOTFOUND, "", "no delivery for case '%.40s'", t->case_no);
    if (strcmp(t->d.status, "in_locker"))
        return yw_fail(&t->req->err, YW_ESTATE, "", "the result is not in a locker (status %s)",
                       t->d.status);
    return take_out(c, t, "login");
}

int
yw_ss__h_own_pickup(struct yw_req *req)
{
    char kiosk[20];
    int rc = yw_ss__kiosk_of(req, kiosk);
    if (rc)
        return rc;
    struct pickup_tx t = { .req = req, .case_no = yw_req_param(req, "case_no") };
    rc = yw_db_tx(req->app->db, YW_TX_WRITE, own_pickup_tx, &t, &req->err);
    if (rc)
        return req->err.msg[0] ? rc : yw_fail(&req->err, rc, "", "cannot open the compartment");
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "case_no", t.d.case_no,
                                  "title", t.d.title, "locker", t.d.locker, "compartment",
                                  (json_int_t)t.slot, "status", "done", "kiosk", kiosk));
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
