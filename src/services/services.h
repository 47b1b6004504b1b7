/*
 * services.h - service hall 2.0 and the citizen's side of every service:
 * the hall's windows and their bookable slots, appointments (预约) with an
 * iCalendar attachment, queue numbers at the kiosk (取号) and calling at the
 * window (叫号), 好差评 ratings with rectification (整改) and appeal (申诉复核),
 * consultations (咨询), and notifications (in-app inbox, email by SMTP) made
 * from the events other modules publish.
 *
 * Other modules never call into services: it learns of cases and licenses
 * through core's events (case.*, license.*) and publishes its own
 * (rating.submitted for statistics, visit.finished for whoever counts
 * visits).  This header only exports the module.
 *
 * Tables services owns: svc_windows, svc_slot_counts, svc_appointments,
 * svc_counters, svc_tickets, svc_ratings, svc_rectifications,
 * svc_consultations, svc_contacts, svc_inbox, svc_outbox, svc_templates.
 */
#ifndef YW_SERVICES_SERVICES_H
#define YW_SERVICES_SERVICES_H

#include "http/http.h"

extern const struct yw_module yw_services_module;

#endif
