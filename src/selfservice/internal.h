/*
 * internal.h - what the files of src/selfservice/ share: settings, the kiosk
 * logins (kiosk.c by QR, otp.c by ID number and SMS code through sms.c), the
 * kiosk actions (actions.c), the deliveries (delivery.c), the lockers and the
 * return of uncollected results (lockers.c, returns.c), the shipping label
 * (label.c) and the carrier interface (carrier.c).
 */
#ifndef YW_SELFSERVICE_INTERNAL_H
#define YW_SELFSERVICE_INTERNAL_H

#include "core/config.h"
#include "db/db.h"
#include "http/http.h"

#include <jansson.h>
#include <stdio.h>

struct yw_ss_settings {
    int64_t ss_login_ttl;     /* seconds a kiosk QR login request stays valid */
    int64_t ss_kiosk_session; /* seconds a kiosk session lasts at most */
    char *ss_carrier_url;     /* the carrier's API ("" = manual: staff type the number) */
    char *ss_carrier_name;    /* the carrier's name shown to the applicant */
    char *ss_sms_url;         /* the SMS gateway of kiosk login codes ("" = none) */
    int64_t ss_otp_ttl;       /* seconds a kiosk login code is valid */
    int64_t ss_locker_days;   /* days a result waits in a locker before going back */
    int64_t ss_return_seconds; /* how often the return job looks */
    char *ss_sender_address;  /* the hall's address on shipping labels */
};
extern const struct yw_settings yw_ss__settings_table;
void yw_ss__cfg_set(struct yw_app *app);
const struct yw_ss_settings *yw_ss__cfg(void);

/* kiosk.c */
int yw_ss__h_login_new(struct yw_req *req);
int yw_ss__h_login_poll(struct yw_req *req);
int yw_ss__h_login_show(struct yw_req *req);
int yw_ss__h_login_confirm(struct yw_req *req);
int yw_ss__h_login_qr(struct yw_req *req);
bool yw_ss__kiosk_ok(const char *kiosk);
/* A kiosk session opened (by QR or code), before its answer is sent. */
struct yw_ss_session {
    char token[64], csrf[64], kiosk[20];
    int ttl;
};
int yw_ss__session_open(struct yw_req *req, struct yw_dbc *c, int64_t account_id,
                        const char *kiosk, const char *via, struct yw_ss_session *out);
int yw_ss__session_answer(struct yw_req *req, const struct yw_ss_session *ks);
/* The kiosk of the caller's session: 0, or 403 when it was not opened at one. */
int yw_ss__kiosk_of(struct yw_req *req, char kiosk[20]);

/* otp.c, sms.c */
int yw_ss__h_otp_new(struct yw_req *req);
int yw_ss__h_otp_verify(struct yw_req *req);
int yw_ss__sms_send(const char *to, const char *text, const char *event, struct yw_err *err);
/* Delete login codes, kiosk sessions and failed pickup codes a day past use. */
int yw_ss__prune(struct yw_db *db, struct yw_err *err);

/* actions.c */
int yw_ss__h_action(struct yw_req *req);

/* delivery.c */
int yw_ss__on_approved(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                       struct yw_err *err);
int yw_ss__h_list(struct yw_req *req);
int yw_ss__h_show(struct yw_req *req);
int yw_ss__h_choose(struct yw_req *req);
int yw_ss__h_locker(struct yw_req *req);
int yw_ss__h_ship(struct yw_req *req);
int yw_ss__h_handover(struct yw_req *req);
int yw_ss__h_pickup(struct yw_req *req);
int yw_ss__h_code(struct yw_req *req);
int yw_ss__h_own_pickup(struct yw_req *req);

/* label.c */
int yw_ss__h_label(struct yw_req *req);

/* lockers.c, returns.c */
int yw_ss__h_lockers(struct yw_req *req);
int yw_ss__h_compartments(struct yw_req *req);
int yw_ss__h_open(struct yw_req *req);
int yw_ss__h_release(struct yw_req *req);
int yw_ss__h_state(struct yw_req *req);
/* An in_locker result back to the window (delivery.notice kind returned),
 * its compartment free; who NULL for the job.  0 also when it already left. */
int yw_ss__send_back(struct yw_dbc *c, int64_t delivery_id, const struct yw_principal *who,
                     const char *why, struct yw_err *err);
/* One pass of the return job; *returned: how many went back. */
int yw_ss__return_once(struct yw_db *db, int *returned, struct yw_err *err);
int yw_ss__returns_start(struct yw_app *app, struct yw_err *err);
void yw_ss__returns_stop(void);
int yw_ss__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err);

/* carrier.c: ask the carrier for a waybill.  With no carrier URL the staff's
 * number is used (the manual carrier).  0 and tracking (arena) or an error. */
int yw_ss__carrier_waybill(struct yw_arena *a, const char *case_no, const char *recipient,
                           const char *phone, const char *address, const char *manual,
                           const char **tracking, struct yw_err *err);

#endif
