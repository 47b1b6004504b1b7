/*
 * routes.c - the service hall's routes and its module descriptor.
 *
 *   GET  /api/v1/hall/windows                      the hall's windows (public)
 *   GET  /api/v1/hall/slots?item=&day=             the day's slots for an item (public)
 *   GET/POST /api/v1/appointments                  my bookings / book a slot
 *   GET  /api/v1/appointments/{code}               one booking; .../calendar.ics its iCalendar,
 *                                                  .../qr.svg its code for the kiosk's scanner
 *   POST /api/v1/appointments/{code}/reschedule | cancel
 *   POST /api/v1/hall/tickets                      take a number (kiosk, public)
 *   POST /api/v1/hall/checkin                      check a booking in (kiosk, public)
 *   GET  /api/v1/public/hall/screen                the hall screen's data (public)
 *   GET  /api/v1/public/hall/events                the same, live: server-sent events (public)
 *   GET  /api/v1/hall/windows/{code}/queue         a window's queue (clerk)
 *   POST /api/v1/hall/windows/{code}/call-next     call the next number (clerk)
 *   POST /api/v1/hall/windows/{code}/tickets/{id}/{action}   recall | no-show | start | finish
 *   GET  /api/v1/ratings, POST /api/v1/ratings/{id}           my rating requests / rate
 *   GET  /api/v1/public/ratings/summary?by=        ratings in aggregate (public)
 *   GET  /api/v1/rectifications[/{id}], POST .../{id}/report | appeal | decide
 *   GET  /api/v1/me/inbox, POST /api/v1/me/inbox/{id}/read
 *   GET/PUT /api/v1/me/notify-settings
 *   GET  /api/v1/admin/outbox, POST /api/v1/admin/outbox/{id}/retry
 *   GET  /api/v1/admin/notify-templates, PUT .../{name}/{lang}   message templates
 *   GET/POST /api/v1/consultations, GET .../{id}, POST .../{id}/answer
 *   GET  /api/v1/public/consultations/suggest?item=&q=
 */
#include "services/internal.h"

#include "core/provider.h"
#include "db/events.h"

#define CLERKS (YW_ROLE_WINDOW_CLERK | YW_ROLE_ADMIN)
#define DEPT_STAFF                                                                                 \
    (YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER | YW_ROLE_WINDOW_CLERK | YW_ROLE_ADMIN)

static const struct yw_field book_body[] = { { "item_code", YW_F_STRING, true, 40 },
                                             { "slot", YW_F_STRING, true, 40 },
                                             { NULL, 0, false, 0 } };
static const struct yw_field slot_body[] = { { "slot", YW_F_STRING, true, 40 },
                                             { NULL, 0, false, 0 } };
static const struct yw_field empty_body[] = { { NULL, 0, false, 0 } };
static const struct yw_field take_body[] = { { "item_code", YW_F_STRING, true, 40 },
                                             { "id_number", YW_F_STRING, false, 32 },
                                             { "help", YW_F_BOOL, false, 0 },
                                             { NULL, 0, false, 0 } };
static const struct yw_field checkin_body[] = { { "code", YW_F_STRING, false, 24 },
                                                { "id_number", YW_F_STRING, false, 32 },
                                                { NULL, 0, false, 0 } };
static const struct yw_field act_body[] = { { "case_no", YW_F_STRING, false, 32 },
                                            { NULL, 0, false, 0 } };
static const struct yw_field rate_body[] = { { "level", YW_F_INT, true, 0 },
                                             { "comment", YW_F_STRING, false, 500 },
                                             { NULL, 0, false, 0 } };
static const struct yw_field report_body[] = { { "verified", YW_F_STRING, true, 2000 },
                                               { "contacted", YW_F_STRING, true, 2000 },
                                               { "outcome", YW_F_STRING, true, 2000 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field appeal_body[] = { { "reason", YW_F_STRING, true, 2000 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field decide_body[] = { { "result", YW_F_STRING, true, 16 },
                                               { "note", YW_F_STRING, false, 2000 },
                                               { NULL, 0, false, 0 } };
static const struct yw_field contact_body[] = { { "email", YW_F_STRING, false, 254 },
                                                { "channels", YW_F_ARRAY, false, 3 },
                                                { "lang", YW_F_STRING, false, 2 },
                                                { NULL, 0, false, 0 } };
static const struct yw_field ask_body[] = { { "item_code", YW_F_STRING, true, 40 },
                                            { "question", YW_F_STRING, true, 2000 },
                                            { "file_id", YW_F_STRING, false, 48 },
                                            { NULL, 0, false, 0 } };
static const struct yw_field template_body[] = { { "title", YW_F_STRING, true, 200 },
                                                 { "body", YW_F_STRING, true, 2000 },
                                                 { NULL, 0, false, 0 } };
static const struct yw_field answer_body[] = { { "answer", YW_F_STRING, true, 4000 },
                                               { "publish", YW_F_BOOL, false, 0 },
                                               { NULL, 0, false, 0 } };

static const struct yw_route routes[] = {
    { "GET", "/api/v1/hall/windows", yw_svc__h_windows, 0, YW_R_PUBLIC, NULL, "hall windows" },
    { "GET", "/api/v1/hall/slots", yw_svc__h_slots, 0, YW_R_PUBLIC, NULL,
      "a day's slots for an item" },
    { "GET", "/api/v1/appointments", yw_svc__h_appointments, YW_ROLE_APPLICANT, YW_R_WRITE, NULL,
      "my appointments (marks past bookings as no-shows)" },
    { "POST", "/api/v1/appointments", yw_svc__h_book, YW_ROLE_APPLICANT, YW_R_BATCH, book_body,
      "book a slot" },
    { "GET", "/api/v1/appointments/{code}", yw_svc__h_appointment, YW_ROLE_APPLICANT, 0, NULL,
      "one appointment" },
    { "GET", "/api/v1/appointments/{code}/calendar.ics", yw_svc__h_appointment_ics,
      YW_ROLE_APPLICANT, 0, NULL, "an appointment as iCalendar" },
    { "GET", "/api/v1/appointments/{code}/qr.svg", yw_svc__h_appointment_qr, YW_ROLE_APPLICANT, 0,
      NULL, "the booking code as a QR symbol" },
    { "POST", "/api/v1/appointments/{code}/reschedule", yw_svc__h_reschedule, YW_ROLE_APPLICANT,
      YW_R_BATCH, slot_body, "move a booking" },
    { "POST", "/api/v1/appointments/{code}/cancel", yw_svc__h_cancel, YW_ROLE_APPLICANT, YW_R_BATCH,
      empty_body, "cancel a booking" },
    { "POST", "/api/v1/hall/tickets", yw_svc__h_take, 0, YW_R_PUBLIC | YW_R_BATCH, take_body,
      "take a queue number (kiosk)", 60 },
    { "POST", "/api/v1/hall/checkin", yw_svc__h_checkin, 0, YW_R_PUBLIC | YW_R_BATCH, checkin_body,
      "check a booking in (kiosk)", 60 },
    { "GET", "/api/v1/public/hall/screen", yw_svc__h_screen, 0, YW_R_PUBLIC, NULL,
      "the hall screen" },
    { "GET", "/api/v1/public/hall/events", yw_svc__h_hall_events, 0, YW_R_PUBLIC, NULL,
      "the hall screen, live (server-sent events)" },
    { "GET", "/api/v1/hall/windows/{code}/queue", yw_svc__h_window_queue, CLERKS, 0, NULL,
      "a window's queue" },
    { "POST", "/api/v1/hall/windows/{code}/call-next", yw_svc__h_call_next, CLERKS, YW_R_BATCH,
      empty_body, "call the next number" },
    { "POST", "/api/v1/hall/windows/{code}/tickets/{id}/{action}", yw_svc__h_ticket_act, CLERKS,
      YW_R_BATCH, act_body, "recall, no-show, start or finish a number" },
    { "GET", "/api/v1/ratings", yw_svc__h_ratings, YW_ROLE_APPLICANT, 0, NULL,
      "my ratings and requests" },
    { "POST", "/api/v1/ratings/{id}", yw_svc__h_rate, YW_ROLE_APPLICANT, YW_R_BATCH, rate_body,
      "rate a case, visit or rectification" },
    { "GET", "/api/v1/public/ratings/summary", yw_svc__h_rating_summary, 0, YW_R_PUBLIC | YW_R_STALE, NULL,
      "ratings in aggregate" },
    { "GET", "/api/v1/rectifications", yw_svc__h_rectifications, YW_ROLE_STAFF, 0, NULL,
      "rectifications of bad ratings" },
    { "GET", "/api/v1/rectifications/{id}", yw_svc__h_rectification, YW_ROLE_STAFF, 0, NULL,
      "one rectification" },
    { "POST", "/api/v1/rectifications/{id}/report", yw_svc__h_rectify_report, DEPT_STAFF,
      YW_R_BATCH, report_body, "report a rectification" },
    { "POST", "/api/v1/rectifications/{id}/appeal", yw_svc__h_rectify_appeal, DEPT_STAFF,
      YW_R_BATCH, appeal_body, "appeal a rating" },
    { "POST", "/api/v1/rectifications/{id}/decide", yw_svc__h_rectify_decide,
      YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN, YW_R_BATCH, decide_body, "decide an appeal" },
    { "GET", "/api/v1/me/inbox", yw_svc__h_inbox, 0, 0, NULL, "my messages" },
    { "POST", "/api/v1/me/inbox/{id}/read", yw_svc__h_inbox_read, 0, YW_R_BATCH, empty_body,
      "mark a message read" },
    { "GET", "/api/v1/me/notify-settings", yw_svc__h_contact, 0, 0, NULL,
      "my notification settings" },
    { "PUT", "/api/v1/me/notify-settings", yw_svc__h_contact_set, 0, YW_R_BATCH, contact_body,
      "change my notification settings" },
    { "GET", "/api/v1/admin/outbox", yw_svc__h_outbox, YW_ROLE_ADMIN, 0, NULL,
      "outgoing messages" },
    { "POST", "/api/v1/admin/outbox/{id}/retry", yw_svc__h_outbox_retry, YW_ROLE_ADMIN, YW_R_BATCH,
      empty_body, "requeue a failed message" },
    { "GET", "/api/v1/admin/notify-templates", yw_svc__h_templates, YW_ROLE_ADMIN, 0, NULL,
      "message templates" },
    { "PUT", "/api/v1/admin/notify-templates/{name}/{lang}", yw_svc__h_template_set,
      YW_ROLE_ADMIN, YW_R_BATCH, template_body, "edit a message template" },
    { "GET", "/api/v1/consultations", yw_svc__h_consultations, 0, 0, NULL,
      "consultations (mine, or my department's)" },
    { "POST", "/api/v1/consultations", yw_svc__h_ask, YW_ROLE_APPLICANT, YW_R_BATCH, ask_body,
      "ask about an item" },
    { "GET", "/api/v1/consultations/{id}", yw_svc__h_consultation, 0, 0, NULL, "one consultation" },
    { "POST", "/api/v1/consultations/{id}/answer", yw_svc__h_answer, DEPT_STAFF, YW_R_BATCH,
      answer_body, "answer a consultation" },
    { "GET", "/api/v1/public/consultations/suggest", yw_svc__h_suggest, 0, YW_R_PUBLIC, NULL,
      "answers and FAQ that match a question", 240 },
};

static int
services_init(struct yw_app *app, struct yw_err *err)
{
    yw_svc__set_app(app);
    int rc = yw_svc__calendar_load(app, err);
    if (rc)
        return rc;
    /* in the case's transaction: the visit being served names the case */
    yw_events_subscribe(YW_EV_CASE_ACCEPTED, yw_svc__on_case_accepted, NULL);
    /* after the commit (db/events.h): messages and rating invitations are
     * derived from the event, never part of it */
    yw_events_subscribe_after(YW_EV_CASE_ACCEPTED, yw_svc__on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_NOT_ACCEPTED, yw_svc__on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_SUPPLEMENT_REQUESTED, yw_svc__on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_APPROVED, yw_svc__on_case, NULL);
    yw_events_subscribe_after(YW_EV_CASE_DENIED, yw_svc__on_case, NULL);
    yw_events_subscribe_after(YW_EV_LICENSE_ISSUED, yw_svc__on_license, NULL);
    yw_events_subscribe_after(YW_EV_HOTLINE_ORDER_ANSWERED, yw_svc__on_hotline, NULL);
    yw_events_subscribe_after(YW_EV_HOTLINE_ORDER_CLOSED, yw_svc__on_hotline, NULL);
    yw_events_subscribe_after(YW_EV_DELIVERY_NOTICE, yw_svc__on_delivery, NULL);
    yw_provider_add_file_access("services", yw_svc__consult_file_access, NULL);
    yw_provider_add_sms("services", yw_svc__sms_provider, NULL); /* identity's codes (issue 15) */
    if ((rc = yw_svc__feed_start(app, err)))
        return rc;
    return yw_svc__sender_start(app, err);
}

static void
services_shutdown(void)
{
    yw_svc__sender_stop();
    yw_svc__feed_stop();
    yw_svc__calendar_free();
}

const struct yw_module yw_services_module = {
    .name = "services",
    .init = services_init,
    .shutdown = services_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .settings = &yw_svc_settings_table,
    .seed = yw_svc__seed,
};
