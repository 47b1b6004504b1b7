/*
 * cases.h - applications (办件): applying online, at the integrated window or
 * at a kiosk; acceptance separated from approval (受审分离); the review tasks
 * of the departments behind the window; "one thing" bundles; and the
 * working-day clock on every case and task.
 *
 * Other modules learn about cases through events (db/events.h), published in
 * the transaction of each transition:
 *   case.submitted, case.accepted, case.not_accepted, case.supplement_requested,
 *   case.approved, case.denied, case.withdrawn
 * with payload {case_no, case_id, code, item_id, applicant_id, applicant_ident,
 * dept, status}.  They offer services to cases through material providers.
 */
#ifndef YW_CASES_CASES_H
#define YW_CASES_CASES_H

#include "db/db.h"
#include "http/http.h"

#include <jansson.h>

extern const struct yw_module yw_cases_module;

/* A material provider answers "which of this holder's documents satisfy a
 * material of this e-license type" (the licenses module is one).  It returns 0
 * and a new reference to {ref, label, verified...} in *evidence when it found
 * one, YW_ENOTFOUND when not.  `holder` is an ID number or a credit code. */
typedef int (*yw_material_provider_fn)(struct yw_dbc *c, const char *holder, const char *license_type,
                                       json_t **evidence, void *ctx);
/* Register at start-up (module init). */
void yw_cases_add_material_provider(const char *name, yw_material_provider_fn fn, void *ctx);

#endif
