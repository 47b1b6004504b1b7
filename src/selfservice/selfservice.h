/*
 * selfservice.h - the 24-hour self-service hall (issue 20): kiosk login by a
 * QR code confirmed on the person's phone or by ID number and a one-time SMS
 * code, the kiosk's apply / scan / print records, and the delivery of paper
 * results (at a window, from a self-pickup locker with a code the owner asks
 * for or with their kiosk login, or by mail with a shipping label and a
 * carrier's tracking number), the lockers' admin and the return of
 * uncollected results.
 *
 * Other modules never call into selfservice: it learns of approved cases from
 * case.approved (core/events.h), opens kiosk sessions and reads the account's
 * phone through identity.h, an upload's owner through files.h, and tells the
 * applicant through delivery.notice, which services turns into an inbox
 * message.  This header only exports the module.
 *
 * Tables selfservice owns: ss_login_requests, ss_deliveries, ss_compartments,
 * ss_pickup_failures, ss_otps, ss_kiosk_sessions.
 */
#ifndef YW_SELFSERVICE_SELFSERVICE_H
#define YW_SELFSERVICE_SELFSERVICE_H

#include "http/http.h"

extern const struct yw_module yw_selfservice_module;

#endif
