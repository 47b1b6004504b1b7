/*
 * selfservice.h - the 24-hour self-service hall (issue 20): kiosk login by a
 * QR code confirmed on the person's phone, and the delivery of paper results
 * (at a window, from a self-pickup locker with a code, or by mail with a
 * carrier's tracking number).
 *
 * Other modules never call into selfservice: it learns of approved cases from
 * case.approved (core/events.h), opens kiosk sessions through identity.h and
 * tells the applicant through delivery.notice, which services turns into an
 * inbox message.  This header only exports the module.
 *
 * Tables selfservice owns: ss_login_requests, ss_deliveries, ss_compartments,
 * ss_pickup_failures.
 */
#ifndef YW_SELFSERVICE_SELFSERVICE_H
#define YW_SELFSERVICE_SELFSERVICE_H

#include "http/http.h"

extern const struct yw_module yw_selfservice_module;

#endif
