/*
 * internal.h - what the files of src/selfservice/ share: settings, the kiosk
 * login handlers (kiosk.c), the delivery handlers (delivery.c) and the carrier
 * interface (carrier.c).
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
int yw_ss__h_lockers(struct yw_req *req);
int yw_ss__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err);

/* carrier.c: ask the carrier for a waybill.  With no carrier URL the staff's
 * number is used (the manual carrier).  0 and tracking (arena) or an error. */
int yw_ss__carrier_waybill(struct yw_arena *a, const char *case_no, const char *recipient,
                           const char *phone, const char *address, const char *manual,
                           const char **tracking, struct yw_err *err);

#endif
