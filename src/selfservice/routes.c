/*
 * routes.c - HTTP routes of the self-service hall, and the module descriptor.
 *
 *   POST /api/v1/public/kiosk/login-requests         a kiosk asks for a QR login request
 *   POST /api/v1/public/kiosk/login-requests/poll    the kiosk collects its session once confirmed
 *   GET  /api/v1/public/kiosk/login-requests/{code}/qr.svg  the QR code the kiosk shows
 *   GET  /api/v1/kiosk/login-requests/{code}         the phone: which kiosk asks
 *   POST /api/v1/kiosk/login-requests/{code}/confirm the phone confirms the login
 *   POST /api/v1/public/kiosk/otp                    a kiosk: send a login code to the ID's phone
 *   POST /api/v1/public/kiosk/otp/verify             the kiosk: the code opens a kiosk session
 *   POST /api/v1/kiosk/actions                       record an apply / scan / print at the kiosk
 *   POST /api/v1/public/kiosk/pickup                 a pickup code opens its compartment
 *   GET  /api/v1/deliveries                          mine; hall staff: all (status, method)
 *   GET  /api/v1/deliveries/{case_no}                one delivery
 *   PUT  /api/v1/deliveries/{case_no}/choice         the applicant chooses window, locker or mail
 *   POST /api/v1/deliveries/{case_no}/locker         staff put the result into a locker
 *   POST /api/v1/deliveries/{case_no}/ship           staff mail it (the carrier's tracking number)
 *   POST /api/v1/deliveries/{case_no}/handover       staff hand it over at the window / delivered
 *   POST /api/v1/deliveries/{case_no}/pickup-code    the owner: a new pickup code, shown once
 *   POST /api/v1/deliveries/{case_no}/pickup         the owner at a kiosk opens the compartment
 *   GET  /api/v1/deliveries/{case_no}/label.pdf      staff: the shipping label
 *   GET  /api/v1/lockers                             the hall's lockers and free compartments
 *   GET  /api/v1/lockers/{locker}/compartments       staff: each compartment and its result
 *   POST /api/v1/lockers/{locker}/compartments/{slot}/open     staff open it (audited)
 *   POST /api/v1/lockers/{locker}/compartments/{slot}/release  force-release: result to the window
 *   PUT  /api/v1/lockers/{locker}/compartments/{slot}/state    in or out of service
 */
#include "selfservice/internal.h"

#include "core/roles.h"
#include "db/events.h"

#define HALL_STAFF (YW_ROLE_WINDOW_CLERK | YW_ROLE_SUPERVISOR | YW_ROLE_ADMIN)

static const struct yw_field kiosk_body[] = { { "kiosk", YW_F_STRING, true, 16 }, { NULL } };
static const struct yw_field poll_body[] = { { "poll_token", YW_F_STRING, true, 64 }, { NULL } };
static const struct yw_field empty_body[] = { { NULL } };
static const struct yw_field pickup_body[] = { { "locker", YW_F_STRING, true, 16 },
                                               { "code", YW_F_STRING, true, 6 },
                                               { NULL } };
static const struct yw_field choice_body[] = { { "method", YW_F_STRING, true, 8 },
                                               { "recipient", YW_F_STRING, false, 40 },
                                               { "phone", YW_F_STRING, false, 11 },
                                               { "address", YW_F_STRING, false, 200 },
                                               { NULL } };
static const struct yw_field otp_body[] = { { "kiosk", YW_F_STRING, true, 16 },
                                            { "id_number", YW_F_STRING, true, 32 },
                                            { NULL } };
static const struct yw_field otp_verify_body[] = { { "otp_token", YW_F_STRING, true, 64 },
                                                   { "code", YW_F_STRING, true, 6 },
                                                   { NULL } };
static const struct yw_field action_body[] = { { "action", YW_F_STRING, true, 8 },
                                               { "ref", YW_F_STRING, true, 128 },
                                               { "what", YW_F_STRING, false, 64 },
                                               { NULL } };
static const struct yw_field reason_body[] = { { "reason", YW_F_STRING, true, 200 }, { NULL } };
static const struct yw_field state_body[] = { { "state", YW_F_STRING, true, 8 },
                                              { "reason", YW_F_STRING, true, 200 },
                                              { NULL } };
static const struct yw_field locker_body[] = { { "locker", YW_F_STRING, true, 16 }, { NULL } };
static const struct yw_field ship_body[] = { { "tracking_no", YW_F_STRING, false, 32 }, { NULL } };

static const struct yw_route routes[] = {
    { "POST", "/api/v1/public/kiosk/login-requests", yw_ss__h_login_new, 0,
      YW_R_PUBLIC | YW_R_WRITE, kiosk_body, "a kiosk asks for a QR login request", 60 },
    { "POST", "/api/v1/public/kiosk/login-requests/poll", yw_ss__h_login_poll, 0,
      YW_R_PUBLIC | YW_R_WRITE, poll_body, "the kiosk collects its session", 240 },
    { "GET", "/api/v1/public/kiosk/login-requests/{code}/qr.svg", yw_ss__h_login_qr, 0, YW_R_PUBLIC,
      NULL, "the QR code of a pending login request", 120 },
    { "GET", "/api/v1/kiosk/login-requests/{code}", yw_ss__h_login_show, YW_ROLE_APPLICANT, 0, NULL,
      "which kiosk asks to log in" },
    { "POST", "/api/v1/kiosk/login-requests/{code}/confirm", yw_ss__h_login_confirm,
      YW_ROLE_APPLICANT, YW_R_WRITE, empty_body, "confirm a kiosk login from the phone" },
    { "POST", "/api/v1/public/kiosk/pickup", yw_ss__h_pickup, 0, YW_R_PUBLIC, pickup_body,
      "open a locker compartment with a pickup code", 30 },
    { "GET", "/api/v1/deliveries", yw_ss__h_list, 0, 0, NULL, "deliveries of paper results" },
    { "GET", "/api/v1/deliveries/{case_no}", yw_ss__h_show, 0, 0, NULL, "one delivery" },
    { "PUT", "/api/v1/deliveries/{case_no}/choice", yw_ss__h_choose, YW_ROLE_APPLICANT, YW_R_WRITE,
      choice_body, "choose how to receive the result" },
    { "POST", "/api/v1/deliveries/{case_no}/locker", yw_ss__h_locker, HALL_STAFF, YW_R_WRITE,
      locker_body, "put the result into a locker compartment" },
    { "POST", "/api/v1/deliveries/{case_no}/ship", yw_ss__h_ship, HALL_STAFF, 0, ship_body,
      "mail the result" },
    { "POST", "/api/v1/deliveries/{case_no}/handover", yw_ss__h_handover, HALL_STAFF, YW_R_WRITE,
      empty_body, "hand over at the window / mail delivered" },
    { "GET", "/api/v1/lockers", yw_ss__h_lockers, HALL_STAFF, 0, NULL, "the hall's lockers" },
    { "POST", "/api/v1/public/kiosk/otp", yw_ss__h_otp_new, 0, YW_R_PUBLIC, otp_body,
      "send a kiosk login code to the account's phone", 20 },
    { "POST", "/api/v1/public/kiosk/otp/verify", yw_ss__h_otp_verify, 0, YW_R_PUBLIC,
      otp_verify_body, "a kiosk login code opens a kiosk session", 30 },
    { "POST", "/api/v1/kiosk/actions", yw_ss__h_action, YW_ROLE_APPLICANT, YW_R_WRITE, action_body,
      "record an apply, scan or print at the kiosk" },
    { "POST", "/api/v1/deliveries/{case_no}/pickup-code", yw_ss__h_code, YW_ROLE_APPLICANT,
      YW_R_WRITE, empty_body, "a new pickup code for my result in a locker" },
    { "POST", "/api/v1/deliveries/{case_no}/pickup", yw_ss__h_own_pickup, YW_ROLE_APPLICANT, 0,
      empty_body, "open my result's compartment at the kiosk" },
    { "GET", "/api/v1/deliveries/{case_no}/label.pdf", yw_ss__h_label, HALL_STAFF, 0, NULL,
      "the shipping label" },
    { "GET", "/api/v1/lockers/{locker}/compartments", yw_ss__h_compartments, HALL_STAFF, 0, NULL,
      "a locker's compartments" },
    { "POST", "/api/v1/lockers/{locker}/compartments/{slot}/open", yw_ss__h_open, HALL_STAFF,
      YW_R_WRITE, reason_body, "open a compartment" },
    { "POST", "/api/v1/lockers/{locker}/compartments/{slot}/release", yw_ss__h_release,
      HALL_STAFF, YW_R_WRITE, reason_body, "force-release a compartment" },
    { "PUT", "/api/v1/lockers/{locker}/compartments/{slot}/state", yw_ss__h_state, HALL_STAFF,
      YW_R_WRITE, state_body, "take a compartment in or out of service" },
};

static int
selfservice_init(struct yw_app *app, struct yw_err *err)
{
    yw_ss__cfg_set(app);
    /* after the commit (db/events.h): the delivery row is bookkeeping the
     * approval need not wait for */
    yw_events_subscribe_after(YW_EV_CASE_APPROVED, yw_ss__on_approved, NULL);
    return yw_ss__returns_start(app, err);
}

static void
selfservice_shutdown(void)
{
    yw_ss__returns_stop();
}

const struct yw_module yw_selfservice_module = {
    .name = "selfservice",
    .init = selfservice_init,
    .shutdown = selfservice_shutdown,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .settings = &yw_ss__settings_table,
    .seed = yw_ss__seed,
};
