/*
 * events.h - the one table of events that modules publish (what happened),
 * so that a module learns of another's changes without including it.
 *
 * Like the error table (core/err.h), every event is one row of the X-macro
 * below, and everything else expands from it: the compile-time name
 * (YW_EV_CASE_APPROVED) that publish and subscribe take (db/events.h), so a
 * misspelt event does not compile; the wire name ("case.approved") that the
 * outbox stores and systems outside ywtb read; the payload fields every
 * publication must carry (db/events.c refuses one that lacks any: a bug); and
 * the module that publishes it.  Adding an event is adding a row.
 *
 * The events, their publishers and today's subscribers.  A subscriber is
 * synchronous (runs in the publisher's transaction: what must commit with the
 * event) unless marked [after]: an after-commit subscriber, run from the
 * outbox once the publisher committed, exactly once (db/events.h) - for what
 * is derived and need not be atomic with the event (rollups, messages,
 * bookkeeping).  docs/ARCHITECTURE.md "Events between modules" has the table.
 *
 *   synchronous: licenses (issue on approval, use logs), cases' holds,
 *     payments (withdrawn), datahub (ledger), supervision's deadlines and
 *     cards (task.*, case.clock, a case that ended) and its credit check
 *     (case.submitted / case.accepted: a block refuses the transaction),
 *     services' link of the number being served to the case (case.accepted).
 *   [after]: supervision's rollups (case.*, license.issued,
 *     rating.submitted, visit.finished), services' inbox / email / SMS /
 *     rating invitations (case.accepted ... denied, license.issued,
 *     hotline.order_answered / closed, delivery.notice), selfservice's
 *     delivery row (case.approved).
 *
 *   case.submitted            cases     an application (item or bundle) was
 *                                       submitted or resubmitted from a draft.
 *                                       licenses: writes the e-licenses used
 *                                       (licenses_used) to their use logs.
 *   case.accepted             cases     the window accepted it (受理); the clock runs
 *   case.not_accepted         cases     the window refused it (不予受理)
 *   case.supplement_requested cases     the one-time notice of what is missing
 *   case.approved             cases     decided: granted.  licenses: issues the
 *                                       license the item produces, if any.
 *   case.denied               cases     decided: refused
 *   case.withdrawn            cases     the applicant withdrew it
 *   license.issued            licenses  a license was signed and stored
 *   license.revoked           licenses  revoked by its department (final)
 *   license.suspended         licenses  suspended by its department
 *   license.reinstated        licenses  a suspension was lifted
 *
 * Payloads (JSON objects).  Every case event carries the case as it is after
 * the transition:
 *   case_no, case_id, code (item or bundle code), item_id (0 for a bundle),
 *   applicant_id, applicant_ident (ID number or credit code), applicant_name,
 *   dept (the item's department; "" for a bundle), kind (item | bundle),
 *   title, form (the case's form, an object)
 * and case.submitted also licenses_used: [{license_id, material, title, dept}].
 * license.issued: id, type (LT-nnn), holder_ident, dept (the issuer).
 * license.revoked / suspended / reinstated: id, status (the new one), dept.
 * A payload may carry more than its row declares; subscribers rely only on
 * the declared fields.
 */
#ifndef YW_CORE_EVENTS_H
#define YW_CORE_EVENTS_H

#define YW_EV_CASE_FIELDS                                                                          \
    "case_no,case_id,code,item_id,applicant_id,applicant_ident,applicant_name,dept,kind,title,form"
#define YW_EV_LICENSE_STATUS_FIELDS "id,status,dept"

/*       name                      wire name                    publisher   payload fields */
// clang-format off
#define YW_EVENTS(X)                                                                                          \
    X(CASE_SUBMITTED,            "case.submitted",            "cases",    YW_EV_CASE_FIELDS ",licenses_used") \
    X(CASE_ACCEPTED,             "case.accepted",             "cases",    YW_EV_CASE_FIELDS)                  \
    X(CASE_NOT_ACCEPTED,         "case.not_accepted",         "cases",    YW_EV_CASE_FIELDS)                  \
    X(CASE_SUPPLEMENT_REQUESTED, "case.supplement_requested", "cases",    YW_EV_CASE_FIELDS)                  \
    X(CASE_APPROVED,             "case.approved",             "cases",    YW_EV_CASE_FIELDS)                  \
    X(CASE_DENIED,               "case.denied",               "cases",    YW_EV_CASE_FIELDS)                  \
    X(CASE_WITHDRAWN,            "case.withdrawn",            "cases",    YW_EV_CASE_FIELDS)                  \
    X(LICENSE_ISSUED,            "license.issued",            "licenses", "id,type,holder_ident,dept")        \
    X(LICENSE_REVOKED,           "license.revoked",           "licenses", YW_EV_LICENSE_STATUS_FIELDS)        \
    X(LICENSE_SUSPENDED,         "license.suspended",         "licenses", YW_EV_LICENSE_STATUS_FIELDS)        \
    X(LICENSE_REINSTATED,        "license.reinstated",        "licenses", YW_EV_LICENSE_STATUS_FIELDS)        \
    /* ---- sso (issue 13) ---- */ \
    /* oidc.login: a person logged in to a registered system through ywtb (the code was */ \
    /* exchanged); subject_ident is their ID number or credit code, scopes space-separated. */ \
    /* datahub: writes the login to the person's ledger of data use (用数记录) */ \
    X(OIDC_LOGIN,                "oidc.login",                "identity", "account_id,subject_ident,client_id,client_name,dept,scopes") \
    /* ---- datahub (issue 9) ---- */ \
    /* (publishes none; subscribes to oidc.login and case.submitted: a submission's prefill */ \
    /* reads get the item code and case number in the person's ledger) */ \
    /* ---- supervision (issue 10) ---- */ \
    /* Task events, published by cases for supervision's deadlines and cards: */ \
    /* task.opened: a review or opinion task was created (acceptance, a bundle */ \
    /*   step, 加签, re-route, reassign); day numbers as core/calendar.h, */ \
    /*   parent_id 0 for no bundle, assignee_id 0 for the department's queue, */ \
    /*   limit_days the promised working days; opened_by / opened_by_name the */ \
    /*   person whose action queued it (the accepting clerk, the reviewer who */ \
    /*   asked or re-routed, the chief who reassigned; 0 / "" for none). */ \
    /*   supervision: starts a deadline, counts per person on the board. */ \
    /* task.closed: a task left 'pending' by a decision (approved, denied, */ \
    /*   returned, done, rerouted), by = account id, by_name their name. */ \
    /*   supervision: ends its deadline, counts the decision per person; */ \
    /*   denied/returned end every deadline of the case. */ \
    /* case.clock: a special procedure paused or resumed the clock; due_day */ \
    /*   is the case's (moved) due day.  supervision: holds or moves deadlines. */ \
    /* Case payloads also carry channel (online | window | kiosk), undeclared: */ \
    /*   supervision's figures use it when present. */ \
    /* supervision also subscribes to visit.finished (services): visits per case */ \
    /*   and the cases whose applicant came more than once. */ \
    X(TASK_OPENED, "task.opened", "cases", \
      "task_id,case_id,parent_id,case_no,code,title,dept,kind,assignee_id,start_day,due_day,limit_days,opened_by,opened_by_name") \
    X(TASK_CLOSED, "task.closed", "cases", "task_id,case_id,dept,status,by,by_name") \
    X(CASE_CLOCK,  "case.clock",  "cases", "case_id,case_no,paused,due_day") \
    /* ---- services (issue 11) ---- */ \
    /* a 好差评 rating was given (level 1..5), for statistics */ \
    X(RATING_SUBMITTED,          "rating.submitted",          "services", "id,kind,target,dept,item_code,window_code,level") \
    /* visit.finished: a window clerk finished a called hall number; case_no is the case */ \
    /*   served for it ("" when none was named or linked), applicant_ident the ID number or */ \
    /*   credit code ("" for an anonymous walk-in), served_ms started to finished. */ \
    X(VISIT_FINISHED,            "visit.finished",            "services", "ticket_id,ticket_no,window_code,item_code,dept,applicant_ident,case_no,served_ms") \
    /* ---- hotline (issue 12) ---- */ \
    X(HOTLINE_ORDER_CREATED    , "hotline.order_created",      "hotline",  "order_no,type,category,dept,status,due_date,caller_account_id,caller_ident") \
    X(HOTLINE_ORDER_DISPATCHED , "hotline.order_dispatched",   "hotline",  "order_no,type,category,dept,status,due_date,caller_account_id,caller_ident") \
    X(HOTLINE_ORDER_ANSWERED   , "hotline.order_answered",     "hotline",  "order_no,type,category,dept,status,due_date,caller_account_id,caller_ident") \
    X(HOTLINE_ORDER_CLOSED     , "hotline.order_closed",       "hotline",  "order_no,type,category,dept,status,due_date,caller_account_id,caller_ident") \
    X(HOTLINE_ORDER_RATED      , "hotline.order_rated",        "hotline",  "order_no,type,category,dept,status,due_date,caller_account_id,caller_ident,rating") \
    /* ---- payments (issue 18) ---- */ \
    /* a fee order was paid (window or gateway) or waived (减免) by a clerk; cases resumes the */ \
    /* case held for it.  refunded: an approved refund (amount_fen: the refund's).            */ \
    X(PAYMENT_PAID,     "payment.paid",     "payments", "order_no,case_id,case_no,amount_fen,channel,actor_id,actor_name,actor_role") \
    X(PAYMENT_WAIVED,   "payment.waived",   "payments", "order_no,case_id,case_no,amount_fen,channel,actor_id,actor_name,actor_role") \
    X(PAYMENT_REFUNDED, "payment.refunded", "payments", "order_no,case_id,case_no,amount_fen,refund_no") \
    /* ---- selfservice (issue 20) ---- */ \
    /* delivery.notice: a paper result moved (kind: locker_ready with locker and compartment; */ \
    /*   shipped with carrier and tracking_no; returned: uncollected, back at the window; done). */ \
    /*   ref: the applicant's delivery page.  Never the pickup code: the owner asks for it on */ \
    /*   that page (the outbox keeps no secret).  services: the inbox. */ \
    X(DELIVERY_NOTICE, "delivery.notice", "selfservice", "case_no,applicant_id,title,kind,method,locker,compartment,carrier,tracking_no,ref") \
    /* kiosk.printed: the person printed at a kiosk (what: license, notice or status; ref: the */ \
    /*   license identifier or the case number); licenses write it to the license's use log, */ \
    /*   cases to the case's timeline - each only for the holder's or the applicant's own. */ \
    X(KIOSK_PRINTED, "kiosk.printed", "selfservice", "what,ref,kiosk,account_id,account_ident,account_name") \
    /* ---- identity: agents (issue 19, cases' own-list cache) ---- */ \
    /* agent.changed: a company authorized a person as its agent (经办人, active true) or */ \
    /*   revoked it (active false).  cases: the agent's cached list and case pages are invalid */ \
    /*   (src/cases/mine_cache.c). */ \
    X(AGENT_CHANGED, "agent.changed", "identity", "enterprise_id,agent_id,active") \
    /* ---- end of the events ---- */
// clang-format on

enum yw_event {
#define YW_EV_ENUM(name, wire, publisher, fields) YW_EV_##name,
    YW_EVENTS(YW_EV_ENUM)
#undef YW_EV_ENUM
    YW_EV__COUNT /* not an event: the number of rows */
};

/* The row's columns; NULL for a value that is not an event. */
const char *yw_event_wire(enum yw_event ev);
const char *yw_event_publisher(enum yw_event ev);
/* Comma-separated payload field names ("case_no,case_id,..."). */
const char *yw_event_fields(enum yw_event ev);
/* The event with this wire name, or -1 (tools that read the outbox). */
int yw_event_by_wire(const char *wire);

#endif
