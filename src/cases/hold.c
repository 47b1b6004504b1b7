/*
 * hold.c - a case that must wait for something outside cases before it goes
 * on: a fee to pay (待缴费).  Cases never learns of payments: it asks the hold
 * providers (core/provider.h) when a case is submitted and when its reviews
 * have all approved it; a provider that answers with a hold (payments, with
 * the order it made) puts the case in status on_hold with its clock paused
 * (pause_kind = the hold's kind, "payment").  The case goes on when the
 * provider's event says the thing happened (payment.paid, payment.waived):
 * back to submitted for the window, or on to approved (and case.approved, so
 * licenses issues the license only once the fee is paid).  The working days
 * it waited move both due dates on, as a special procedure's do.
 */
#include "cases/internal.h"

#include "core/clock.h"
#include "core/provider.h"
#include "db/events.h"

#include <stdio.h>
#include <string.h>

int
yw_case__hold(struct yw_dbc *c, struct yw_case *k, const char *point, const struct yw_actor *who,
              bool *held, struct yw_err *err)
{
    *held = false;
    if (strcmp(k->kind, "item") != 0)
        return 0; /* a bundle's fees are its sub-cases' */
    json_t *kase = json_pack(
        "{s:s, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "case_no", k->case_no, "case_id",
        (json_int_t)k->id, "code", k->code, "item_id", (json_int_t)k->item_id, "applicant_id",
        (json_int_t)k->applicant_id, "applicant_ident", k->applicant_ident, "applicant_name",
        k->applicant_name, "dept", k->dept, "kind", k->kind, "title", k->title);
    json_t *hold = NULL;
    int rc = yw_provider_hold(c, point, kase, &hold, err);
    json_decref(kase);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return err && err->msg[0]
                   ? rc
                   : yw_fail(err, rc, "", "cannot tell whether case '%s' must wait", k->case_no);
    const char *kind = json_string_value(json_object_get(hold, "kind"));
    const char *ref = json_string_value(json_object_get(hold, "ref"));
    char hk[32], note[160];
    snprintf(hk, sizeof hk, "%s", kind && kind[0] ? kind : "hold");
    snprintf(note, sizeof note, "%s %s (%s)", hk, ref ? ref : "", point);
    json_decref(hold);
    rc = yw_case__transition(c, k, CS_ON_HOLD, who, "case.hold", note, err);
    /* the clock, once started, stops while the case waits */
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    if (rc == 0)
        rc = yw_db_run(c, "UPDATE cases SET pause_kind = ?, pause_day = ? WHERE id = ?", "sii", hk,
                       k->start_day ? today : (int64_t)0, k->id);
    if (rc == 0)
        *held = true;
    return rc;
}

/* payment.paid / payment.waived: the case held for that order goes on. */
static int
on_released(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    (void)ctx;
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct yw_case k;
    int rc = yw_case__load_id(c, &a, json_integer_value(json_object_get(p, "case_id")), &k);
    if (rc == YW_ENOTFOUND) {
        rc = 0; /* nothing to resume */
        goto out;
    }
    if (rc)
        goto out;
    if (strcmp(k.status, CS_ON_HOLD) != 0 || strcmp(k.pause_kind, "payment") != 0)
        goto out; /* withdrawn meanwhile, or not waiting for a payment */
    struct yw_actor who = {
        .id = json_integer_value(json_object_get(p, "actor_id")),
        .name = json_string_value(json_object_get(p, "actor_name")),
        .role = json_string_value(json_object_get(p, "actor_role")),
    };
    /* the working days it waited move both due dates on */
    int paused = 0;
    int64_t due = k.due_day, legal = k.legal_due_day;
    if (k.start_day && k.pause_day) {
        const struct yw_calendar *cal = yw_cases__calendar();
        paused = yw_cal_workdays_between(cal, k.pause_day, yw_cal_day_of_ms(yw_clock_now_ms()));
        if (paused < 0)
            paused = 0;
        due = yw_cal_add_workdays(cal, k.start_day, k.promised_days + k.paused_days + paused);
        legal = yw_cal_add_workdays(cal, k.start_day, k.legal_days + k.paused_days + paused);
    }
    rc = yw_db_run(c,
                   "UPDATE cases SET pause_kind = '', pause_day = 0, paused_days = ?, due_day = ?, "
                   "legal_due_day = ? WHERE id = ?",
                   "diii", k.paused_days + paused, due, legal, k.id);
    if (rc)
        goto out;
    k.pause_kind = "";
    k.paused_days += paused;
    k.due_day = due;
    k.legal_due_day = legal;
    char note[160];
    snprintf(note, sizeof note, "%s %s",
             !strcmp(name, "payment.waived") ? "fee waived:" : "fee paid:",
             json_string_value(json_object_get(p, "order_no")));
    if (k.accepted_at[0] == '\0') {
        /* held on submission: back to the window */
        rc = yw_case__transition(c, &k, CS_SUBMITTED, &who, "case.release", note, err);
    } else {
        /* held after its reviews approved it: the decision takes effect */
        rc = yw_case__note(c, &k, &who, "case.release", note);
        if (rc == 0)
            rc = yw_case__complete(c, &a, &k, &who, err);
    }
out:
    yw_arena_release(&a);
    return rc;
}

/* kiosk.printed (selfservice): the applicant printed a notice or the status
 * sheet of their own case at a kiosk: a line in the case's timeline.  Not
 * their case, or no such case: nothing (the kiosk action is audited there). */
static int
on_kiosk_printed(struct yw_dbc *c, const char *name, json_t *p, void *ctx, struct yw_err *err)
{
    (void)name;
    (void)ctx;
    (void)err;
    const char *what = json_string_value(json_object_get(p, "what"));
    const char *case_no = json_string_value(json_object_get(p, "ref"));
    if (what == NULL || case_no == NULL || (strcmp(what, "notice") && strcmp(what, "status")))
        return 0;
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct yw_case k;
    int rc = yw_case__load(c, &a, case_no, &k);
    if (rc == YW_ENOTFOUND) {
        rc = 0;
        goto out;
    }
    if (rc || k.applicant_id != json_integer_value(json_object_get(p, "account_id")))
        goto out;
    struct yw_actor who = { .id = k.applicant_id,
                            .name = json_string_value(json_object_get(p, "account_name")),
                            .role = "person" };
    char note[96];
    snprintf(note, sizeof note, "%s %.20s",
             !strcmp(what, "notice") ? "自助打印通知书 kiosk print of a notice:"
                                     : "自助打印办件进度 kiosk print of the status sheet:",
             json_string_value(json_object_get(p, "kiosk")) ?: "");
    rc = yw_case__note(c, &k, &who, "case.kiosk_print", note);
out:
    yw_arena_release(&a);
    return rc;
}

void
yw_cases__hold_subscribe(void)
{
    yw_events_subscribe(YW_EV_KIOSK_PRINTED, on_kiosk_printed, NULL);
    yw_events_subscribe(YW_EV_PAYMENT_PAID, on_released, NULL);
    yw_events_subscribe(YW_EV_PAYMENT_WAIVED, on_released, NULL);
}
