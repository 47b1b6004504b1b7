/*
 * internal.h - shared inside src/cases only.
 */
#ifndef YW_CASES_INTERNAL_H
#define YW_CASES_INTERNAL_H

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "core/calendar.h"
#include "core/events.h"

#include <stdint.h>

/* Case statuses.  Final: approved, denied, not_accepted, withdrawn. */
#define CS_DRAFT        "draft"
#define CS_SUBMITTED    "submitted"
#define CS_SUPPLEMENT   "supplement_requested"
#define CS_ACCEPTED     "accepted"
#define CS_APPROVED     "approved"
#define CS_DENIED       "denied"
#define CS_NOT_ACCEPTED "not_accepted"
#define CS_WITHDRAWN    "withdrawn"
/* waiting for something outside cases, its clock paused (hold.c): a fee */
#define CS_ON_HOLD "on_hold"

bool yw_case__status_final(const char *status);

/* The calendar loaded at start (data_dir/calendar). */
const struct yw_calendar *yw_cases__calendar(void);

/* One case row, as loaded by yw_case__load (strings in the arena). */
struct yw_case {
    int64_t id;
    const char *case_no;
    int64_t parent_id;
    const char *kind; /* item | bundle */
    int64_t item_id;
    const char *code;
    const char *title;
    const char *dept;
    int bundle_step;
    int64_t applicant_id;
    const char *applicant_kind, *applicant_name, *applicant_ident;
    int64_t submitted_by;
    const char *channel;
    const char *status;
    const char *form; /* JSON text */
    int legal_days, promised_days, current_step;
    const char *created_at, *updated_at, *submitted_at, *accepted_at, *decided_at;
    int64_t start_day, due_day, legal_due_day;
    int paused_days;
    const char *pause_kind;
    int64_t pause_day;
    const char *supplement; /* JSON text or "" */
    const char *result_note;
    int version;
    bool archived; /* read from the archive tables (archive.c): final, never written */
    /* set by whoever loaded the row after the last change of its form in this
     * transaction (a new case): the event payload need not read the form again */
    bool form_current;
};

/* The acting user of a transition. */
struct yw_actor {
    int64_t id;
    const char *name;
    const char *role; /* the role under which they act: "person", "window_clerk" ... */
    const char *dept;
    uint32_t roles;
};

/* ---- archive.c: finished cases leave the working tables ---- */
extern const struct yw_settings yw_cases__settings_table;
extern const struct yw_command yw_cases__commands[];
/* One pass: move up to batch cases finished more than after_days ago; *moved
 * says how many, *busy (may be NULL) that another node holds the job. */
int yw_cases__archive_pass(struct yw_db *db, int64_t after_days, int64_t batch, int *moved,
                           bool *busy, struct yw_err *err);
int yw_cases__archive_start(struct yw_app *app, struct yw_err *err);
void yw_cases__archive_stop(void);

/* ---- model.c: rows ---- */
/* The columns of a case row as yw_case__row reads them (id first): for a
 * SELECT, or the RETURNING of the INSERT that makes the row. */
#define YW_CASE_COLS                                                                                         \
    "id, case_no, COALESCE(parent_id, 0), kind, COALESCE(item_id, 0), code, title, dept_code, bundle_step, " \
    "applicant_id, applicant_kind, applicant_name, applicant_ident, submitted_by, channel, status, form, "   \
    "legal_days, promised_days, current_step, created_at, updated_at, submitted_at, accepted_at, "           \
    "decided_at, start_day, due_day, legal_due_day, paused_days, pause_kind, pause_day, supplement, "        \
    "result_note, version"
/* The case of the row s is on, read from YW_CASE_COLS (strings into a). */
void yw_case__row(struct yw_stmt *s, struct yw_arena *a, struct yw_case *out);
int yw_case__load(struct yw_dbc *c, struct yw_arena *a, const char *case_no, struct yw_case *out);
int yw_case__load_id(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_case *out);
/* Move a case to `to` if it is still at `from` (optimistic: YW_ECONFLICT when
 * someone changed it first); records the timeline event and audit record. */
int yw_case__transition(struct yw_dbc *c, const struct yw_case *k, const char *to,
                        const struct yw_actor *who, const char *action, const char *note,
                        struct yw_err *err);
/* Timeline event + audit record without a status change. */
int yw_case__note(struct yw_dbc *c, const struct yw_case *k, const struct yw_actor *who,
                  const char *action, const char *note);
/* The name of material `code` of case k (archived or not) or of its sub-cases
 * into out: 0, YW_ENOTFOUND (no such material: a form field's key), or the
 * read's error.  Read by case id whatever the statistics; the code is
 * compared in C (a case has a few dozen materials at most). */
int yw_case__material_name(struct yw_dbc *c, const struct yw_case *k, const char *code, char *out,
                           size_t n);
/* The standard payload of a case event into *out (a new reference): 0, or
 * the read's error (*out NULL). */
int yw_case__event_payload(struct yw_dbc *c, const struct yw_case *k, json_t **out,
                           struct yw_err *err);
/* Publish a case event (core/events.h) with the standard payload. */
int yw_case__publish(struct yw_dbc *c, const struct yw_case *k, enum yw_event ev,
                     struct yw_err *err);
/* The same; known (may be NULL, taken): a submission's licenses_used when the
 * caller has them (a new item case: what its transaction just wrote), else
 * they are read. */
int yw_case__publish_used(struct yw_dbc *c, const struct yw_case *k, enum yw_event ev,
                          json_t *known, struct yw_err *err);
/* Full JSON of a case for its viewer (applicant: staff masked in the timeline).
 * NULL when any of its lists (materials, tasks, timeline, sub-cases) cannot be
 * read: the caller answers 500, never a case with missing parts. */
json_t *yw_case__json(struct yw_dbc *c, struct yw_arena *a, const struct yw_case *k,
                      bool staff_view);
/* The same, with parts the caller already has (a new case's, from what its
 * transaction wrote): each non-NULL list is used instead of its read and
 * taken (the function owns every part of *known, used or not). */
struct yw_case_parts {
    json_t *materials; /* yw_case__material_json entries in sort order */
    int missing;       /* required materials still missing among them */
    json_t *tasks;     /* as yw_case__tasks_json */
    json_t *timeline;  /* yw_case__timeline_json entries in order */
};
json_t *yw_case__json_parts(struct yw_dbc *c, struct yw_arena *a, const struct yw_case *k,
                            bool staff_view, struct yw_case_parts *known);
struct yw_file_info;
/* One material as a viewer sees it (fi: the upload of a 'file' material, NULL
 * when it cannot be read); *missing counts a required one still missing. */
json_t *yw_case__material_json(const char *code, const char *name, const char *required,
                               const char *lt, const char *source, const char *ref,
                               const struct yw_file_info *fi, int *missing);
/* One timeline entry as a viewer sees it (staff names masked to applicants). */
json_t *yw_case__timeline_json(const char *at, int64_t actor_id, const char *actor_name,
                               const char *role, const char *action, const char *from,
                               const char *to, const char *note, bool staff_view);
/* yw_case__note, with the event's time (as stored) in at. */
int yw_case__note_at(struct yw_dbc *c, const struct yw_case *k, const struct yw_actor *who,
                     const char *action, const char *note, char at[32]);
/* May this principal see this case?  0: yes; YW_ENOTFOUND: no; or the
 * error of a read that failed (never a yes: the caller answers 500). */
int yw_case__check_visible(struct yw_dbc *c, const struct yw_case *k,
                           const struct yw_principal *who);
/* Actor from the request principal, acting as `role`. */
struct yw_actor yw_case__actor(const struct yw_principal *who, const char *role);

/* ---- file_access.c ---- */
/* Register the file access provider (core/provider.h): an upload that is a
 * material of a case is visible to whoever may see the case.  Module init. */
void yw_cases__file_access_register(void);

/* ---- clock.c ---- */
struct yw_case__clock {
    int64_t due_day, legal_due_day;
    int days_left;     /* working days from today to due (0 = due today, < 0 overdue) */
    const char *light; /* green | yellow | red | paused | stopped */
    bool paused;
    bool overdue; /* today is past the due date (even on a day off) */
};
void yw_case__clock(const struct yw_case *k, int64_t now_ms, struct yw_case__clock *out);
json_t *yw_case__clock_json(const struct yw_case *k);
/* Start the clock at acceptance (sets start/due days on the row). */
int yw_case__clock_start(struct yw_dbc *c, const struct yw_case *k, int64_t now_ms);
const char *yw_case__light(int days_left, int limit_days);
/* The light of a pending task due on day due (0: no clock), days_left working
 * days away, of a case with limit_days, paused or not, seen on day today.  The
 * queue's marks (queue.c) and the counts (stats.c) both come from here. */
const char *yw_case__task_light(int64_t today, int64_t due, int days_left, int limit_days,
                                bool paused);

/* ---- stats.c ---- */
/* Pending tasks by light, in all and per department (dept "" = every one). */
json_t *yw_tasks__stats(struct yw_dbc *c, const char *dept);

/* ---- apply.c ---- */
struct yw_apply {
    const char *item_code, *bundle_code;
    json_t *form;      /* object */
    json_t *materials; /* array of {material_code, file_id | license_id} */
    bool draft;
    const char *channel;  /* online | window | kiosk */
    int64_t applicant_id; /* who the case is for */
    const char *idem_key; /* Idempotency-Key or NULL */
};
/* A new case (or, for a retried Idempotency-Key, the first one: *replayed).
 * made (may be NULL): for a new item case not put on hold, what its answer is
 * made of, kept in a (the request's arena) from what the transaction wrote;
 * yw_case__made_json writes it out as staff_view sees it - on the HTTP worker
 * after the commit, nothing read back.  NULL otherwise: the caller reads the
 * case back after the commit. */
struct yw_case_made;
int yw_case__create(struct yw_dbc *c, struct yw_arena *a, const struct yw_apply *ap,
                    const struct yw_actor *who, bool staff_view, struct yw_case *out,
                    struct yw_case_made **made, bool *replayed, struct yw_err *err);
json_t *yw_case__made_json(struct yw_dbc *c, struct yw_arena *a, const struct yw_case_made *m);
/* Before applying (POST /cases/precheck): what the submission would fill in
 * for this applicant - the prefilled form values, each material's state
 * ("license": an own valid e-license satisfies it, asked of the same material
 * providers the submission asks; "produced": an earlier step of the bundle
 * issues it; "none": to be handed in) and whether the rules let them apply.
 * *out is a new reference. */
int yw_case__precheck(struct yw_dbc *c, struct yw_arena *a, const struct yw_apply *in,
                      const struct yw_actor *who, json_t **out, struct yw_err *err);
/* When a bundle step starts: its materials of an e-license type still
 * missing are taken from the providers (the license an earlier step issued). */
int yw_case__link_licenses(struct yw_dbc *c, struct yw_arena *a, const struct yw_case *k,
                           struct yw_err *err);
int yw_case__update_draft(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, json_t *form,
                          json_t *materials, bool submit, const struct yw_actor *who,
                          struct yw_err *err);
int yw_case__supplement(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, json_t *form,
                        json_t *materials, const struct yw_actor *who, struct yw_err *err);

/* ---- hold.c ---- */
/* Ask the hold providers whether case k (an item case) must wait at point
 * "submitted" or "approved"; when one holds it, k goes to on_hold with its
 * clock paused and *held is true.  In the caller's transaction. */
int yw_case__hold(struct yw_dbc *c, struct yw_case *k, const char *point, const struct yw_actor *who,
                  bool *held, struct yw_err *err);
/* Subscribe to the events that release a held case (module init). */
void yw_cases__hold_subscribe(void);

/* ---- review.c ---- */
/* The decision takes effect: k approved, case.approved published, its bundle
 * moves on.  (After the hold providers let it: maybe_complete, hold.c.) */
int yw_case__complete(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k,
                      const struct yw_actor *who, struct yw_err *err);
int yw_case__accept(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k,
                    const struct yw_actor *who, const char *note, struct yw_err *err);
int yw_case__reject(struct yw_dbc *c, struct yw_case *k, const struct yw_actor *who,
                    const char *reason, struct yw_err *err);
int yw_case__request_supplement(struct yw_dbc *c, struct yw_case *k, const struct yw_actor *who,
                                json_t *items, const char *note, struct yw_err *err);
int yw_case__withdraw(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k,
                      const struct yw_actor *who, const char *reason, struct yw_err *err);
int yw_case__pause(struct yw_dbc *c, struct yw_case *k, const struct yw_actor *who,
                   const char *kind, const char *reason, bool resume, struct yw_err *err);

struct yw_task {
    int64_t id, case_id;
    const char *dept, *kind, *status, *opinion;
    int step, version;
    int64_t requested_by, due_day;
};
int yw_task__load(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_task *out);
int yw_task__decide(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t,
                    const struct yw_actor *who, const char *decision, const char *opinion,
                    struct yw_err *err);
/* Before an approval joins the batch (the decide route's ahead, on the HTTP
 * worker, outside any transaction): when t is a pending review task that
 * `who` may approve, on a case under review, ask core's approval-ahead
 * providers to prepare what the case's approval would issue. */
void yw_task__decide_ahead(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t,
                           const struct yw_actor *who);
int yw_task__consult(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t,
                     const struct yw_actor *who, const char *dept, const char *note,
                     struct yw_err *err);
int yw_task__reroute(struct yw_dbc *c, struct yw_arena *a, struct yw_task *t,
                     const struct yw_actor *who, const char *dept, const char *reason,
                     bool reassign, struct yw_err *err);
json_t *yw_case__tasks_json(struct yw_dbc *c, const struct yw_case *k);

/* ---- queue.c ---- */
/* Append to `out` the JSON array of up to `limit` tasks of `dept` ("" or NULL:
 * every department) in `status`, in the queue's order (due day, then id), after
 * the task (after_due, after_id); after_due = -1 starts before every task.
 * next gets "due.id" of the last task when the page is full, "" otherwise.
 * One statement; no transaction needed.  Returns 0, or YW_EDB when the query
 * failed (then `out` holds a partial array: answer an error, never an empty
 * queue). */
int yw_tasks__queue(struct yw_dbc *c, const char *dept, const char *status, int64_t limit,
                    int64_t after_due, int64_t after_id, struct yw_buf *out, char *next,
                    size_t next_n);

/* ---- public.c ---- */
json_t *yw_case__public_json(struct yw_dbc *c, const struct yw_case *k);
int yw_case__public_lookup(struct yw_dbc *c, struct yw_arena *a, const char *case_no,
                           const char *ident, struct yw_case *out);

/* ---- notices.c ---- */
/* PDF of a notice: kind receipt | acceptance | supplement | not_accepted |
 * decision | auto (the one that fits the status).  YW_ESTATE when it does not
 * apply.  *out is malloc'd. */
int yw_case__notice(struct yw_dbc *c, const struct yw_case *k, const char *kind,
                    const char *base_url, char **out, size_t *len, struct yw_err *err);
int yw_case__status_sheet(const struct yw_case *k, const char *base_url, char **out, size_t *len,
                          struct yw_err *err);

/* ---- depts.c ---- */
/* The departments one answer names, each read once through the catalog
 * (yw_catalog_dept).  init before, release after (it frees what was read). */
#define YW_CASE_DEPTS_MEMO 16
struct yw_case_dept_memo {
    const char *code;
    struct yw_catalog_dept d;
};
struct yw_case_depts {
    struct yw_dbc *c;
    struct yw_arena a;
    size_t n;
    struct yw_case_dept_memo memo[YW_CASE_DEPTS_MEMO], spare;
};
void yw_case__depts_init(struct yw_case_depts *d, struct yw_dbc *c);
void yw_case__depts_release(struct yw_case_depts *d);
/* Department `code` in *out: every field "" when the catalog has no such
 * department or code is NULL.  0, or the read's error.  *out is valid until
 * release - past YW_CASE_DEPTS_MEMO departments only until the next call. */
int yw_case__dept(struct yw_case_depts *d, const char *code, const struct yw_catalog_dept **out);

/* ---- list.c ---- */
/* oldest: staff lists in arrival order (the intake queue), paging on after-id.
 * NULL when the read fails (the caller answers 500, never an empty list).
 * deps (may be NULL): for an applicant's own list, the accounts whose cases it
 * shows (theirs, then the companies they are an agent of; in a). */
json_t *yw_cases__list(struct yw_dbc *c, struct yw_arena *a, const struct yw_principal *who,
                       const char *status, const char *scope, bool oldest, int64_t limit,
                       int64_t before_id, int64_t *next, const int64_t **deps, size_t *ndeps);

/* ---- mine_cache.c: a citizen's own list and case pages, as answered ---- */
#define YW_CASES_MINE_KEY  96 /* a request's key, NUL included */
#define YW_CASES_MINE_DEPS 16 /* accounts one answer may depend on (more: not kept) */
/* One read through the cache: begun before the first database read. */
struct yw_cases_mine_read {
    bool on; /* the cache may be used for it */
    int64_t account;
    char key[YW_CASES_MINE_KEY];
    uint64_t stamp;
    int64_t day;
};
/* Start (cases_init): kib of memory in all (0: off), entries valid ttl_ms at
 * most; on PostgreSQL a listener for the other nodes' changes. */
int yw_cases__mine_start(struct yw_app *app, int64_t kib, int64_t ttl_ms, struct yw_err *err);
void yw_cases__mine_stop(void);
/* The key of a read: kind, two numbers >= 0 and a text (NULL: ""), written
 * into out (YW_CASES_MINE_KEY bytes); false when they do not fit. */
bool yw_cases__mine_key(char *out, char kind, int64_t a, int64_t b, const char *text);
/* Begin a read of `key` for `account` (false: the cache is not used, r->on false). */
bool yw_cases__mine_begin(int64_t account, const char *key, struct yw_cases_mine_read *r);
/* The bytes kept for r, still valid (malloc'd, *len set), or NULL. */
char *yw_cases__mine_get(const struct yw_cases_mine_read *r, size_t *len);
/* Keep body as r's answer; deps: the accounts whose cases it shows. */
void yw_cases__mine_put(const struct yw_cases_mine_read *r, const int64_t *deps, size_t ndeps,
                        const char *body, size_t len);
/* Inside the transaction that changes a case of `account` (its applicant):
 * every node's copies of their answers are invalid once it commits. */
int yw_cases__mine_changed(struct yw_dbc *c, int64_t account);
/* archive.c: the cache's settings. */
void yw_cases__mine_settings(const struct yw_app *app, int64_t *kib, int64_t *ttl_ms);

#endif
