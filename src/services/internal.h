/*
 * internal.h - shared inside src/services only: the module's settings, the
 * calendar it books on, and the functions each capability file offers the
 * others (hall.c windows and slots, appointments.c, queue.c, ratings.c,
 * consult.c, notify.c and the sender in mailer.c, ics.c).
 */
#ifndef YW_SERVICES_INTERNAL_H
#define YW_SERVICES_INTERNAL_H

#include "core/calendar.h"
#include "services/services.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- settings.c ---- */
struct yw_svc_settings {
    int64_t hall_book_days;      /* how many days ahead a slot can be booked */
    int64_t hall_noshow_limit;   /* no-shows ... */
    int64_t hall_noshow_days;    /* ... within this many days ... */
    int64_t hall_noshow_block;   /* ... block new bookings for this many days */
    int64_t hall_checkin_early;  /* minutes before the slot a booking may check in */
    int64_t hall_noshow_grace;   /* minutes after the slot's end a booking becomes a no-show */
    int64_t rating_days;         /* days after the service a rating can be given */
    int64_t rating_rectify_days; /* working days to report a rectification */
    int64_t consult_days;        /* working days to answer a consultation */
    char *notify_smtp_url;       /* smtp://host:port; "" = no email */
    char *notify_smtp_from;      /* the sender address */
    char *notify_sms_url;        /* the SMS gateway (HTTP POST JSON); "" = no SMS */
    char *notify_smtp_check_url; /* "was message_id accepted?" (200/404); "" = resend */
    char *notify_sms_check_url;  /* the same for the SMS gateway */
    int64_t notify_retry_max;    /* attempts before a message is marked failed */
    int64_t notify_backoff_ms;   /* first retry delay; doubles per attempt */
    int64_t notify_interval_ms;  /* how often the sender looks for work */
};
extern const struct yw_settings yw_svc_settings_table;
const struct yw_svc_settings *yw_svc__cfg(void);
void yw_svc__set_app(struct yw_app *app);
struct yw_app *yw_svc__app(void);
const struct yw_calendar *yw_svc__calendar(void);
int yw_svc__calendar_load(struct yw_app *app, struct yw_err *err);
void yw_svc__calendar_free(void);

/* Times: now as ISO text into buf[32]; today's day number (Asia/Shanghai). */
void yw_svc__now_text(char buf[32]);
int64_t yw_svc__today(void);

/* ---- hall.c: windows and slots ---- */
struct yw_svc__window {
    char code[16];
    char name[128];
    char name_en[128];
    char dept[32];    /* "" = integrated window */
    char items[2048]; /* JSON array text */
    char hours[128];  /* "09:00-12:00,13:30-17:00" */
    int slot_minutes;
    int capacity;
    bool open;
};
int yw_svc__window_get(struct yw_dbc *c, const char *code, struct yw_svc__window *w);
/* True when window w serves item `code` of department `dept`. */
bool yw_svc__window_serves(const struct yw_svc__window *w, const char *item_code, const char *dept);
/* Every window as JSON (array, new reference); NULL on a failed read. */
json_t *yw_svc__windows_json(struct yw_dbc *c);
/* A slot: "W01.20261208.0900". */
struct yw_svc__slot {
    char key[48];
    char window[16];
    int64_t day;
    int minute; /* from midnight, Asia/Shanghai */
    int64_t start_ms, end_ms;
};
/* Parse and check a slot key against its window (hours, alignment, working
 * day, not past, not too far ahead): 0, or YW_EFIELD (field "slot") with err. */
int yw_svc__slot_check(struct yw_dbc *c, const char *key, struct yw_svc__window *w,
                       struct yw_svc__slot *s, struct yw_err *err);
/* The slots of a day for an item: {day, workday, holiday, windows:[{code, name,
 * slots:[{slot, start, end, capacity, booked, free}]}]}. */
int yw_svc__slots_json(struct yw_dbc *c, const char *item_code, int64_t day, json_t **out,
                       struct yw_err *err);
/* Take (+1) or give back (-1) a place of slot s in window w. YW_ESVCFULL
 * when the slot has no place left. */
int yw_svc__slot_take(struct yw_dbc *c, const struct yw_svc__window *w,
                      const struct yw_svc__slot *s, int delta, struct yw_err *err);

/* ---- appointments.c ---- */
struct yw_svc__who {
    int64_t account_id;
    const char *ident;
    const char *name;
    const char *actor; /* for the audit record */
};
int yw_svc__book(struct yw_dbc *c, const struct yw_svc__who *who, const char *item_code,
                 const char *slot, char code_out[24], struct yw_err *err);
int yw_svc__reschedule(struct yw_dbc *c, const struct yw_svc__who *who, const char *code,
                       const char *slot, struct yw_err *err);
int yw_svc__cancel(struct yw_dbc *c, const struct yw_svc__who *who, const char *code,
                   struct yw_err *err);
/* One appointment of account (0: any) as JSON; YW_ENOTFOUND when none. */
int yw_svc__appointment_json(struct yw_dbc *c, int64_t account_id, const char *code, json_t **out);
json_t *yw_svc__appointments_json(struct yw_dbc *c, int64_t account_id);
/* The booking block of an account: 0 when it may book, else the last blocked
 * day in *until (YYYY-MM-DD). */
int yw_svc__blocked(struct yw_dbc *c, int64_t account_id, char until[11]);
/* Bookings whose slot ended more than the grace ago become no-shows (account
 * 0: everybody's). */
int yw_svc__expire_bookings(struct yw_dbc *c, int64_t account_id);
/* Reminders for tomorrow's bookings (the sender's periodic job). */
int yw_svc__remind(struct yw_dbc *c);
/* The .ics of an appointment (text in arena a). */
int yw_svc__appointment_ics(struct yw_dbc *c, struct yw_arena *a, int64_t account_id,
                            const char *code, char **ics);

/* ---- ics.c: RFC 5545 ---- */
struct yw_svc__ics {
    const char *uid;
    int seq;
    bool cancelled;
    int64_t start_ms, end_ms, stamp_ms;
    const char *summary, *location, *description;
};
char *yw_svc__ics_build(struct yw_arena *a, const struct yw_svc__ics *e);

/* ---- queue.c ---- */
int yw_svc__take_number(struct yw_dbc *c, const char *item_code, const char *id_number, bool help,
                        json_t **ticket, struct yw_err *err);
int yw_svc__checkin(struct yw_dbc *c, const char *code, const char *id_number, json_t **ticket,
                    struct yw_err *err);
int yw_svc__call_next(struct yw_dbc *c, const char *window, int64_t clerk, json_t **ticket,
                      struct yw_err *err);
/* action: recall, no_show, start, finish (case_no for finish, may be NULL). */
int yw_svc__ticket_act(struct yw_dbc *c, const char *window, int64_t id, const char *action,
                       const char *case_no, int64_t clerk, json_t **ticket, struct yw_err *err);
/* Recent average service minutes of an item (its last 20 measured visits;
 * its department's with fewer than 3; 10 with none); *samples (may be NULL)
 * the item's own measured visits. */
double yw_svc__service_minutes(struct yw_dbc *c, const char *item_code, const char *dept,
                               int *samples);
/* A case number as cases makes them: XH, a real date YYYYMMDD, 6 to 12 digits. */
bool yw_svc__case_no_valid(const char *case_no);
json_t *yw_svc__window_queue_json(struct yw_dbc *c, const char *window);
json_t *yw_svc__screen_json(struct yw_dbc *c);
/* May staff `who` work window w (its department's clerk, or admin)? */
bool yw_svc__may_work(const struct yw_principal *who, const struct yw_svc__window *w);

/* ---- ratings.c ---- */
/* Open a rating request (kind case | visit | rectification): once per target. */
int yw_svc__rating_open(struct yw_dbc *c, const char *kind, const char *target, int64_t account,
                        const char *dept, const char *item_code, const char *window,
                        const char *title);
json_t *yw_svc__ratings_json(struct yw_dbc *c, int64_t account_id);
int yw_svc__rate(struct yw_dbc *c, int64_t account_id, int64_t id, int level, const char *comment,
                 struct yw_err *err);
json_t *yw_svc__rectifications_json(struct yw_dbc *c, const char *dept, const char *status);
int yw_svc__rectify_report(struct yw_dbc *c, const struct yw_principal *who, int64_t id,
                           const char *verified, const char *contacted, const char *outcome,
                           struct yw_err *err);
int yw_svc__rectify_appeal(struct yw_dbc *c, const struct yw_principal *who, int64_t id,
                           const char *reason, struct yw_err *err);
int yw_svc__rectify_decide(struct yw_dbc *c, const struct yw_principal *who, int64_t id,
                           const char *result, const char *note, struct yw_err *err);
int yw_svc__rectification_json(struct yw_dbc *c, int64_t id, json_t **out);
/* by: dept | item | window */
json_t *yw_svc__ratings_summary(struct yw_dbc *c, const char *by);

/* ---- consult.c ---- */
int yw_svc__ask(struct yw_dbc *c, int64_t account_id, const char *item_code, const char *question,
                const char *file_id, int64_t *id, struct yw_err *err);
int yw_svc__answer(struct yw_dbc *c, const struct yw_principal *who, int64_t id, const char *answer,
                   bool publish, struct yw_err *err);
json_t *yw_svc__consultations_json(struct yw_dbc *c, int64_t account_id, const char *dept,
                                   const char *status, bool overdue_only);
int yw_svc__consultation_json(struct yw_dbc *c, int64_t id, json_t **out);
json_t *yw_svc__suggest_json(struct yw_dbc *c, const char *item_code, const char *q);
/* The file access provider of consultations (core/provider.h). */
int yw_svc__consult_file_access(struct yw_dbc *c, const char *file_id,
                                const struct yw_principal *who, void *ctx);

/* ---- notify.c ---- */
/* A message to account from template tpl (see notify.c's table) with vars
 * ({name} placeholders), once per event_key: an inbox entry, and an email
 * (with the .ics, may be NULL) when the person chose email and gave an
 * address and SMTP is configured.  In c's open write transaction. */
int yw_svc__notify(struct yw_dbc *c, int64_t account_id, const char *event_key, const char *tpl,
                   json_t *vars, const char *link, const char *ics);
/* Whether template tpl exists (svc_templates). */
bool yw_svc__template_known(struct yw_dbc *c, const char *tpl);
/* Every template and language: [{name, lang, title, body, vars:[..], updated_at, updated_by}]. */
json_t *yw_svc__templates_json(struct yw_dbc *c);
/* Replace a template's title and body (admin): YW_ENOTFOUND for an unknown
 * name or language, YW_EFIELD for a placeholder it does not provide. */
int yw_svc__template_set(struct yw_dbc *c, const char *actor, const char *name, const char *lang,
                         const char *title, const char *body, json_t **out, struct yw_err *err);
json_t *yw_svc__inbox_json(struct yw_dbc *c, int64_t account_id, int64_t *unread);
int yw_svc__inbox_read(struct yw_dbc *c, int64_t account_id, int64_t id, struct yw_err *err);
int yw_svc__contact_json(struct yw_dbc *c, int64_t account_id, json_t **out);
/* notify.c: the SMS provider (core/provider.h) identity's codes go through */
int yw_svc__sms_provider(struct yw_dbc *c, int64_t account_id, const char *phone, const char *key,
                         const char *text_zh, const char *text_en, void *ctx);
int yw_svc__contact_set(struct yw_dbc *c, int64_t account_id, const char *email, const char *sms,
                        const char *channels, const char *lang, struct yw_err *err);
json_t *yw_svc__outbox_json(struct yw_dbc *c, const char *status);
int yw_svc__outbox_retry(struct yw_dbc *c, int64_t id, struct yw_err *err);
/* Event subscribers (registered by routes.c): on_case_accepted in the case's
 * transaction, the others after its commit (db/events.h). */
int yw_svc__on_case_accepted(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                             struct yw_err *err);
int yw_svc__on_case(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                    struct yw_err *err);
int yw_svc__on_hotline(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                       struct yw_err *err);
int yw_svc__on_delivery(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                        struct yw_err *err);
int yw_svc__on_license(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                       struct yw_err *err);

/* ---- feed.c: the hall screen's server-sent events ---- */
/* The queue changed (in c's transaction): every node's screens are told after the commit. */
int yw_svc__hall_changed(struct yw_dbc *c, const char *what);
int yw_svc__feed_start(struct yw_app *app, struct yw_err *err);
void yw_svc__feed_stop(void);
struct yw_stream *yw_svc__feed_stream(void);
/* "event: screen\ndata: JSON\n\n" (malloc'd) */
char *yw_svc__screen_event(json_t *screen, size_t *len);
int yw_svc__h_hall_events(struct yw_req *req);

/* ---- mailer.c: the background sender ---- */
int yw_svc__sender_start(struct yw_app *app, struct yw_err *err);
void yw_svc__sender_stop(void);

/* ---- seed.c ---- */
int yw_svc__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err);

/* ---- handlers (api_*.c), named in routes.c's table ---- */
int yw_svc__h_windows(struct yw_req *req);
int yw_svc__h_slots(struct yw_req *req);
int yw_svc__h_book(struct yw_req *req);
int yw_svc__h_appointments(struct yw_req *req);
int yw_svc__h_appointment(struct yw_req *req);
int yw_svc__h_appointment_ics(struct yw_req *req);
int yw_svc__h_appointment_qr(struct yw_req *req);
int yw_svc__h_reschedule(struct yw_req *req);
int yw_svc__h_cancel(struct yw_req *req);
int yw_svc__h_take(struct yw_req *req);
int yw_svc__h_checkin(struct yw_req *req);
int yw_svc__h_screen(struct yw_req *req);
int yw_svc__h_window_queue(struct yw_req *req);
int yw_svc__h_call_next(struct yw_req *req);
int yw_svc__h_ticket_act(struct yw_req *req);
int yw_svc__h_ratings(struct yw_req *req);
int yw_svc__h_rate(struct yw_req *req);
int yw_svc__h_rating_summary(struct yw_req *req);
int yw_svc__h_rectifications(struct yw_req *req);
int yw_svc__h_rectification(struct yw_req *req);
int yw_svc__h_rectify_report(struct yw_req *req);
int yw_svc__h_rectify_appeal(struct yw_req *req);
int yw_svc__h_rectify_decide(struct yw_req *req);
int yw_svc__h_inbox(struct yw_req *req);
int yw_svc__h_inbox_read(struct yw_req *req);
int yw_svc__h_contact(struct yw_req *req);
int yw_svc__h_contact_set(struct yw_req *req);
int yw_svc__h_outbox(struct yw_req *req);
int yw_svc__h_outbox_retry(struct yw_req *req);
int yw_svc__h_templates(struct yw_req *req);
int yw_svc__h_template_set(struct yw_req *req);
int yw_svc__h_ask(struct yw_req *req);
int yw_svc__h_consultations(struct yw_req *req);
int yw_svc__h_consultation(struct yw_req *req);
int yw_svc__h_answer(struct yw_req *req);
int yw_svc__h_suggest(struct yw_req *req);

#endif
