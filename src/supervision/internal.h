/*
 * internal.h - shared inside src/supervision only.
 */
#ifndef YW_SUPERVISION_INTERNAL_H
#define YW_SUPERVISION_INTERNAL_H

#include "supervision/supervision.h"

#include "core/calendar.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- settings.c ---- */
struct yw_sup_settings {
    int64_t supervision_yellow_days;    /* yellow when at most this many working days are left */
    int64_t supervision_yellow_percent; /* ... or at most this share of the limit */
    int64_t supervision_sweep_seconds;  /* how often the sweep looks at the due index */
    int64_t supervision_stats_cache;    /* dashboard answers kept per node (0: none) */
};
extern const struct yw_settings yw_sup_settings_table;
/* The values in force (the defaults before init). */
const struct yw_sup_settings *yw_sup__cfg(void);
void yw_sup__cfg_set(const struct yw_app *app);

/* The working-day calendar supervision loaded at init (data_dir/calendar). */
const struct yw_calendar *yw_sup__calendar(void);
/* Use cal from now on (init; unit tests).  The caller keeps ownership. */
void yw_sup__calendar_use(const struct yw_calendar *cal);
/* Today's day number on the server clock (core/clock.h, Asia/Shanghai). */
int64_t yw_sup__today(void);

/* A day number as "YYYY-MM-DD" in the arena ("" for 0). */
const char *yw_sup__day_text(struct yw_arena *a, int64_t day);

/* The day the sweep acts on next, for a deadline at `stage` (green |
 * yellow | red) due on due_day with limit_days: the yellow day, the red day
 * (the day after the due day) or YW_SUP_NEVER. */
#define YW_SUP_NEVER ((int64_t)1 << 40)
int64_t yw_sup__next_day(const char *stage, int64_t due_day, int limit_days);
/* The light of an open deadline seen today: green | yellow | red | paused. */
const char *yw_sup__light(int64_t today, int64_t due_day, int limit_days, bool paused);

/* ---- feed.c: the event subscribers ---- */
void yw_sup__feed_register(void);

/* ---- sweep.c ---- */
/* One pass over the due index in one write transaction: every deadline due
 * by today (server clock) becomes its card.  *made gets the number of cards
 * created.  Safe on many nodes at once (rows taken FOR UPDATE SKIP LOCKED on
 * PostgreSQL; one writer on SQLite; a card is unique per task and level). */
int yw_sup__sweep_once(struct yw_db *db, int *made, struct yw_err *err);
int yw_sup__sweep_start(struct yw_app *app, struct yw_err *err);
void yw_sup__sweep_stop(void);

/* ---- cards.c ---- */
/* The caller's scope: dept NULL = every department (supervisors, the chief),
 * else that department only. */
struct yw_sup_scope {
    const char *dept;
    int64_t actor_id;
    const char *actor_name;
};
/* Create the card of a deadline row (inside the sweep's transaction).
 * Closes an open yellow card of the same task when level is red. */
int yw_sup__card_create(struct yw_dbc *c, int64_t task_id, const char *level);
/* The task ended (decided, cancelled with its case): its yellow cards close
 * (task_done), its red cards are marked task_closed and stay for the answer. */
int yw_sup__cards_task_closed(struct yw_dbc *c, int64_t task_id);
/* Cards in scope: status "active" (not closed, the default), or one status;
 * level "" or yellow/red; oldest first, after id after_id.  NULL on a failed read. */
json_t *yw_sup__cards_list(struct yw_dbc *c, struct yw_arena *a, const struct yw_sup_scope *s,
                           const char *status, const char *level, int64_t limit, int64_t after_id,
                           int64_t *next);
/* One card with its history; YW_ENOTFOUND outside the scope. */
int yw_sup__card_get(struct yw_dbc *c, struct yw_arena *a, const struct yw_sup_scope *s, int64_t id,
                     json_t **out);
/* The department answers (open or escalated -> answered). */
int yw_sup__card_answer(struct yw_dbc *c, const struct yw_sup_scope *s, int64_t id,
                        const char *text, struct yw_err *err);
/* The supervisor accepts the answer (answered -> closed, accepted) or
 * escalates (open or answered -> escalated). */
int yw_sup__card_decide(struct yw_dbc *c, const struct yw_sup_scope *s, int64_t id, bool accept,
                        const char *note, struct yw_err *err);

/* ---- board.c ---- */
/* The supervisor's board: open deadlines by light and open cards by level per
 * department and per person, and the oldest open cards.  NULL on a failed read. */
json_t *yw_sup__board(struct yw_dbc *c, struct yw_arena *a, const char *dept);
/* The chief's board: open deadlines of one department ("" = all) by light,
 * most urgent first.  NULL on a failed read. */
json_t *yw_sup__queue(struct yw_dbc *c, struct yw_arena *a, const char *dept, const char *light,
                      int64_t limit);

/* ---- stats.c ---- */
/* Add n to metric of (day, dept, code) (inside the event's transaction). */
int yw_sup__stat_add(struct yw_dbc *c, int64_t day, const char *dept, const char *code,
                     const char *metric, int64_t n);
/* Figures for days [from, to] of one department ("" = all). NULL on a failed read. */
json_t *yw_sup__stats(struct yw_dbc *c, struct yw_arena *a, int64_t from, int64_t to,
                      const char *dept, int64_t top);

/* ---- cache.c: dashboard answers per rollup version ---- */
/* The rollups' version (bumped by every yw_sup__stat_add). */
int yw_sup__stats_version(struct yw_dbc *c, int64_t *v);
/* A malloc'd copy of the answer kept for key at this version, or NULL. */
char *yw_sup__cache_get(const char *key, int64_t version, size_t *len);
void yw_sup__cache_put(const char *key, int64_t version, const char *body, size_t len);
/* Held around computing a missing answer (look again after taking it). */
void yw_sup__cache_fill_lock(void);
void yw_sup__cache_fill_unlock(void);
void yw_sup__cache_clear(void);

/* ---- audit.c: the audit viewer (the chain read through db/audit.h) ---- */
struct yw_sup_audit_query {
    const char *actor, *action, *obj_type, *obj_id; /* NULL or "" = any */
    int64_t from_day, to_day;                       /* day numbers (Asia/Shanghai), 0 = open */
    int64_t before;                                 /* records before this seq (0: from the head) */
    int64_t limit;
};
struct yw_audit_filter;
void yw_sup__audit_filter(struct yw_audit_filter *f, const struct yw_sup_audit_query *q,
                          char from[32], char until[32]);
/* {records:[...], head, next_before}; NULL on a failed read. */
json_t *yw_sup__audit_search(struct yw_dbc *c, const struct yw_sup_audit_query *q);
/* The matches as CSV (at most max records, newest first) appended to out. */
int yw_sup__audit_csv(struct yw_dbc *c, const struct yw_sup_audit_query *q, int64_t max,
                      struct yw_buf *out);

/* ---- export.c ---- */
/* The figures of yw_sup__stats as an XLSX workbook in *out (malloc'd). */
int yw_sup__stats_xlsx(json_t *stats, char **out, size_t *len, struct yw_err *err);

/* ---- creditset.c ---- */
/* False in *may when the subject (a normalized identifier) has no active
 * credit record for sure; true when it may have one (the full check
 * decides).  One point read and a hash lookup while no record or rule
 * changed; 0 or the read's error. */
int yw_sup__creditset_may_have(struct yw_dbc *c, const char *ident, bool *may);
/* True when the set should be read (never read, or a check saw a newer
 * version); reading it: one read transaction on db. */
bool yw_sup__creditset_wanted(void);
int yw_sup__creditset_refresh(struct yw_db *db, struct yw_err *err);
void yw_sup__creditset_free(void);

/* ---- credit.c ---- */
void yw_sup__credit_register(void);
struct yw_sup_record {
    const char *subject_ident, *subject_name, *kind, *category, *dept, *basis, *measures,
        *valid_from, *valid_to;
};
int yw_sup__credit_add(struct yw_dbc *c, const struct yw_sup_record *r, int64_t by, int64_t *id,
                       struct yw_err *err);
json_t *yw_sup__credit_list(struct yw_dbc *c, const char *subject, bool active_only);
int yw_sup__credit_repair(struct yw_dbc *c, int64_t id, const char *dept, int64_t by,
                          const char *note, struct yw_err *err);
/* The subject applies for credit repair of their own active dishonest record
 * (404 for another's); the issuing department then repairs it. */
int yw_sup__credit_repair_request(struct yw_dbc *c, int64_t id, const char *subject, int64_t by,
                                  const char *reason, struct yw_err *err);
struct yw_sup_rule {
    const char *record_kind, *category, *target_kind, *target, *measure, *note,
        *material; /* fast_track: the item's required material that may come later */
};
int yw_sup__rule_add(struct yw_dbc *c, const struct yw_sup_rule *r, int64_t by, int64_t *id,
                     struct yw_err *err);
json_t *yw_sup__rules_list(struct yw_dbc *c);
/* What the rules say for this subject and item/department now: {flags:[...],
 * result}.  NULL on a failed read. */
json_t *yw_sup__credit_flags(struct yw_dbc *c, const char *subject, const char *item,
                             const char *dept);
json_t *yw_sup__credit_checks(struct yw_dbc *c, const char *case_no);

/* ---- seed.c ---- */
int yw_sup__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err);

#endif
