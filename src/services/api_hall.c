/*
 * api_hall.c - the HTTP handlers of the hall: windows and slots,
 * appointments (portal), numbers and check-in (kiosk), the hall screen, and
 * calling at a window (workbench).  They validate, call the capability
 * files and shape the response; no SQL here.
 */
#include "services/internal.h"

#include "core/cnid.h"
#include "pdf/pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct yw_svc__who
who_of(struct yw_req *req)
{
    return (struct yw_svc__who){
        .account_id = req->who->account_id,
        .ident = req->who->login,
        .name = req->who->name ? req->who->name : "",
        .actor = yw_arena_printf(&req->arena, "%lld", (long long)req->who->account_id),
    };
}

int
yw_svc__h_windows(struct yw_req *req)
{
    json_t *w = yw_svc__windows_json(req->db);
    if (w == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the windows");
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", w));
}

int
yw_svc__h_slots(struct yw_req *req)
{
    const char *item = yw_req_query(req, "item"), *day = yw_req_query(req, "day");
    if (item == NULL || !*item)
        return yw_fail(&req->err, YW_EMISSING, "item", "give the item code (?item=)");
    if (strlen(item) > 40)
        return yw_fail(&req->err, YW_EFIELD, "item", "no item '%.40s'", item);
    int64_t d = yw_svc__today();
    if (day && *day && yw_cal_parse_day(day, &d))
        return yw_fail(&req->err, YW_EFIELD, "day", "day is YYYY-MM-DD");
    json_t *out = NULL;
    int rc = yw_svc__slots_json(req->db, item, d, &out, &req->err);
    return rc ? rc : yw_resp_json(req, 200, out);
}

static int
read_appt(struct yw_req *req, const char *code, int status)
{
    json_t *o = NULL;
    int rc = yw_svc__appointment_json(req->db, req->who->account_id, code, &o);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no appointment '%.24s' of yours", code);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the appointment");
    return yw_resp_json(req, status, o);
}

int
yw_svc__h_book(struct yw_req *req)
{
    struct yw_svc__who who = who_of(req);
    char code[24];
    int rc = yw_svc__book(req->db, &who, yw_body_str(req, "item_code"), yw_body_str(req, "slot"),
                          code, &req->err);
    return rc ? rc : read_appt(req, code, 201);
}

int
yw_svc__h_appointments(struct yw_req *req)
{
    if (yw_svc__expire_bookings(req->db, req->who->account_id))
        return yw_fail(&req->err, YW_EDB, "", "cannot read your appointments");
    json_t *l = yw_svc__appointments_json(req->db, req->who->account_id);
    if (l == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read your appointments");
    char until[11] = "";
    int b = yw_svc__blocked(req->db, req->who->account_id, until);
    return yw_resp_json(
        req, 200, json_pack("{s:o, s:s?}", "items", l, "blocked_until", b > 0 ? until : NULL));
}

int
yw_svc__h_appointment(struct yw_req *req)
{
    return read_appt(req, yw_req_param(req, "code"), 200);
}

int
yw_svc__h_appointment_ics(struct yw_req *req)
{
    char *ics = NULL;
    const char *code = yw_req_param(req, "code");
    int rc = yw_svc__appointment_ics(req->db, &req->arena, req->who->account_id, code, &ics);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no appointment '%.24s' of yours", code);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the appointment");
    yw_resp_header(req, "Content-Disposition", "attachment; filename=\"appointment.ics\"");
    return yw_resp_take(req, 200, "text/calendar; charset=utf-8", yw_xstrdup(ics), strlen(ics));
}

/* The booking code as a QR symbol (SVG), for the kiosk's scanner: it
 * encodes nothing but the code of the caller's own booking. */
int
yw_svc__h_appointment_qr(struct yw_req *req)
{
    const char *code = yw_req_param(req, "code");
    json_t *o = NULL;
    int rc = yw_svc__appointment_json(req->db, req->who->account_id, code, &o);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no appointment '%.24s' of yours", code);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the appointment");
    json_decref(o);
    char *svg = NULL;
    size_t len = 0;
    if ((rc = yw_pdf_qr_svg(code, &svg, &len, &req->err)))
        return rc;
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(req, 200, "image/svg+xml", svg, len);
}

int
yw_svc__h_reschedule(struct yw_req *req)
{
    struct yw_svc__who who = who_of(req);
    const char *code = yw_req_param(req, "code");
    int rc = yw_svc__reschedule(req->db, &who, code, yw_body_str(req, "slot"), &req->err);
    return rc ? rc : read_appt(req, code, 200);
}

int
yw_svc__h_cancel(struct yw_req *req)
{
    struct yw_svc__who who = who_of(req);
    const char *code = yw_req_param(req, "code");
    int rc = yw_svc__cancel(req->db, &who, code, &req->err);
    return rc ? rc : read_appt(req, code, 200);
}

/* What a kiosk shows of a ticket: no name, no ID number. */
static int
ticket_resp(struct yw_req *req, json_t *t, int status)
{
    return yw_resp_json(req, status, t);
}

int
yw_svc__h_take(struct yw_req *req)
{
    json_t *help = json_object_get(req->body, "help");
    json_t *t = NULL;
    int rc = yw_svc__take_number(req->db, yw_body_str(req, "item_code"),
                                 yw_body_str(req, "id_number"), json_is_true(help), &t, &req->err);
    return rc ? rc : ticket_resp(req, t, 201);
}

int
yw_svc__h_checkin(struct yw_req *req)
{
    json_t *t = NULL;
    int rc = yw_svc__checkin(req->db, yw_body_str(req, "code"), yw_body_str(req, "id_number"), &t,
                             &req->err);
    return rc ? rc : ticket_resp(req, t, 201);
}

int
yw_svc__h_screen(struct yw_req *req)
{
    json_t *s = yw_svc__screen_json(req->db);
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the hall");
    const char *since = yw_req_query(req, "since");
    if (since && !strcmp(since, json_string_value(json_object_get(s, "version")))) {
        /* nothing new: a small answer for the screen's next look */
        json_t *small = json_pack("{s:s, s:b}", "version", since, "unchanged", 1);
        json_decref(s);
        return yw_resp_json(req, 200, small);
    }
    return yw_resp_json(req, 200, s);
}

/* The screen, then every change: text/event-stream that stays open.  A
 * client that does not say it accepts text/event-stream (EventSource always
 * does) gets the current screen as one event and the response ends, so a
 * plain fetch or a crawler never holds a connection open by mistake. */
int
yw_svc__h_hall_events(struct yw_req *req)
{
    struct yw_stream *st = yw_svc__feed_stream();
    if (st == NULL)
        return yw_fail(&req->err, YW_EINTERNAL, "", "the hall feed is not running");
    uint64_t after = yw_stream_seq(st);
    json_t *s = yw_svc__screen_json(req->db);
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the hall");
    size_t len = 0;
    char *ev = yw_svc__screen_event(s, &len);
    json_decref(s);
    if (ev == NULL)
        return yw_fail(&req->err, YW_EINTERNAL, "", "cannot encode the hall");
    /* retry: how long a browser waits before it reconnects */
    char *first = yw_arena_printf(&req->arena, "retry: 3000\n\n%s", ev);
    free(ev);
    const char *accept = yw_req_header(req, "Accept");
    if (accept == NULL || strstr(accept, "text/event-stream") == NULL) {
        char *copy = yw_xstrdup(first);
        return yw_resp_take(req, 200, "text/event-stream; charset=utf-8", copy, strlen(copy));
    }
    yw_resp_header(req, "X-Accel-Buffering", "no");
    return yw_resp_stream(req, st, "text/event-stream; charset=utf-8", first, strlen(first), after);
}

static int
window_for(struct yw_req *req, struct yw_svc__window *w)
{
    const char *code = yw_req_param(req, "code");
    int rc = strlen(code) < sizeof w->code ? yw_svc__window_get(req->db, code, w) : YW_ENOTFOUND;
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no window '%.15s'", code);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the window");
    if (!yw_svc__may_work(req->who, w))
        return yw_fail(&req->err, YW_EFORBIDDEN, "", "window %s belongs to another department",
                       w->code);
    return 0;
}

int
yw_svc__h_window_queue(struct yw_req *req)
{
    struct yw_svc__window w;
    int rc = window_for(req, &w);
    if (rc)
        return rc;
    json_t *q = yw_svc__window_queue_json(req->db, w.code);
    if (q == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the queue");
    return yw_resp_json(req, 200, q);
}

int
yw_svc__h_call_next(struct yw_req *req)
{
    struct yw_svc__window w;
    int rc = window_for(req, &w);
    if (rc)
        return rc;
    json_t *t = NULL;
    rc = yw_svc__call_next(req->db, w.code, req->who->account_id, &t, &req->err);
    return rc ? rc : yw_resp_json(req, 200, t);
}

int
yw_svc__h_ticket_act(struct yw_req *req)
{
    struct yw_svc__window w;
    int rc = window_for(req, &w);
    if (rc)
        return rc;
    const char *action = yw_req_param(req, "action");
    const char *act = !strcmp(action, "no-show") ? "no_show" : action;
    if (strcmp(act, "recall") && strcmp(act, "no_show") && strcmp(act, "start") &&
        strcmp(act, "finish"))
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no action '%.20s'", action);
    char *end = NULL;
    const char *idt = yw_req_param(req, "id");
    long long id = strtoll(idt, &end, 10);
    if (end == idt || *end || id <= 0)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no ticket '%.20s'", idt);
    json_t *cn = req->body ? json_object_get(req->body, "case_no") : NULL;
    if (cn && !json_is_null(cn) && (!json_is_string(cn) || strcmp(act, "finish") != 0))
        return yw_fail(&req->err, YW_EFIELD, "case_no",
                       "case_no is a case number (text), given when finishing");
    json_t *t = NULL;
    rc = yw_svc__ticket_act(req->db, w.code, id, act, cn ? json_string_value(cn) : NULL,
                            req->who->account_id, &t, &req->err);
    return rc ? rc : yw_resp_json(req, 200, t);
}
