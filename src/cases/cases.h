/*
 * cases.h - applications (办件): applying online, at the integrated window or
 * at a kiosk; acceptance separated from approval (受审分离); the review tasks
 * of the departments behind the window; "one thing" bundles; and the
 * working-day clock on every case and task.
 *
 * Other modules learn about cases through the case events (YW_EV_CASE_...),
 * published in the transaction of each transition: core/events.h lists them
 * with their payloads, db/events.h subscribes.  They offer services to cases
 * through the providers core declares (core/provider.h: material and prefill
 * providers), never through this header.
 *
 * Tables cases owns: cases, case_materials, case_events, tasks, idempotency_keys,
 * task_counts, cases_archive, case_events_archive, tasks_archive,
 * case_materials_archive.
 * (cases reads other modules' tables only through their headers).
 */
#ifndef YW_CASES_CASES_H
#define YW_CASES_CASES_H

#include "db/db.h"
#include "http/http.h"

#include <jansson.h>

extern const struct yw_module yw_cases_module;

#endif
