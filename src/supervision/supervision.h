/*
 * supervision.h - efficiency supervision (效能监察), credit (信用) with joint
 * punishment and reward (联合奖惩), and the district's statistics.
 *
 * Everything here is fed by events (core/events.h): task.opened/task.closed
 * and case.clock keep one open deadline per pending task; a background sweep
 * over the deadlines' due index turns a deadline that nears its limit into a
 * yellow card and an overdue one into a red card; the case events keep the
 * daily rollups of the dashboard and run the credit check at submission and
 * acceptance.  Supervision never reads another module's tables, and no module
 * needs to include this header: other modules reach supervision only through
 * events, and pages through its routes.
 *
 * Tables supervision owns: sup_deadlines, sup_cards, sup_card_log,
 * sup_credit_records, sup_credit_rules, sup_credit_checks, sup_stats_daily,
 * sup_stats_dept, sup_stats_day, sup_stats_dept_month, sup_stats_item_month,
 * sup_stats_version, sup_case_visits, sup_person_daily, sup_credit_version.
 */
#ifndef YW_SUPERVISION_SUPERVISION_H
#define YW_SUPERVISION_SUPERVISION_H

#include "http/http.h"

/* The module descriptor (src/modules.c). */
extern const struct yw_module yw_supervision_module;

#endif
