/*
 * archive.c - finished cases leave the working tables (issue 17, ten years of
 * cases).  A case finished (approved, denied, not accepted, withdrawn) more
 * than cases_archive_after_days ago moves with its timeline, tasks and
 * materials to the archive tables of migration 0036: on PostgreSQL
 * cases_archive is partitioned by the month the case finished, and this file
 * makes each month's partition before the first case of that month moves in;
 * on SQLite it is one table.  Every read of a case falls back to the archive
 * (model.c, list.c, public.c, file_access.c), so the case page, an applicant's
 * list, the public status query and file downloads do not change; writes to
 * an archived case are refused (it is final).
 *
 * A pass moves at most cases_archive_batch cases in one transaction, each
 * with its audit record ("case.archive").  Exactly once across nodes: on
 * PostgreSQL the pass takes a transaction-level advisory lock (another node's
 * pass at the same time moves nothing and says so) and its candidate rows FOR
 * UPDATE SKIP LOCKED; a case moves by being deleted from cases in the same
 * transaction that copies it, so no later pass can see it again.  On SQLite
 * one node serves and the write transaction is the lock.  Bundles and their
 * sub-cases stay where they are (a bundle moves as a whole, not yet done).
 *
 * The job runs every cases_archive_seconds on each node (0: never, then only
 * `ywtb archive` moves cases).
 */
#include "cases/internal.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "db/audit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- settings ---- */

struct yw_cases_settings {
    int64_t cases_archive_after_days;
    int64_t cases_archive_seconds;
    int64_t cases_archive_batch;
    int64_t cases_mine_cache_kib; /* mine_cache.c */
    int64_t cases_mine_cache_ms;
};

#define T struct yw_cases_settings
static const struct yw_setting rows[] = {
    YW_SET_INT(T, cases_archive_after_days, "730", 0, 36500,
               "days after a case finished before it moves to the archive tables (0: at once)"),
    YW_SET_INT(T, cases_archive_seconds, "3600", 0, 86400,
               "how often (seconds) each node runs the archive job; 0: only `ywtb archive`"),
    YW_SET_INT(T, cases_archive_batch, "500", 1, 10000,
               "cases the archive job moves in one transaction"),
    YW_SET_INT(T, cases_mine_cache_kib, "8192", 0, 4194304,
               "KiB of memory for a citizen's own case list and case pages kept as answered "
               "(0: off)"),
    YW_SET_INT(T, cases_mine_cache_ms, "30000", 0, 86400000,
               "longest an answer of that cache is used (ms): bounds what changed behind ywtb's back"),
};
#undef T

const struct yw_settings yw_cases__settings_table = {
    .owner = "cases",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_cases_settings),
};

static struct yw_cases_settings defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void
make_defaults(void)
{
    yw_settings_init(&yw_cases__settings_table, &defaults);
}

static const struct yw_cases_settings *
settings_of(const struct yw_app *app)
{
    if (app && app->cfg) {
        const struct yw_cases_settings *s = yw_config_values(app->cfg, &yw_cases__settings_table);
        if (s)
            return s;
    }
    pthread_once(&defaults_once, make_defaults);
    return &defaults;
}

void
yw_cases__mine_settings(const struct yw_app *app, int64_t *kib, int64_t *ttl_ms)
{
    const struct yw_cases_settings *cfg = settings_of(app);
    *kib = cfg->cases_mine_cache_kib;
    *ttl_ms = cfg->cases_mine_cache_ms;
}

/* ---- one pass ---- */

#define CASE_COLS                                                                                  \
    "id, case_no, parent_id, kind, item_id, code, title, dept_code, bundle_step, applicant_id, "   \
    "applicant_kind, applicant_name, applicant_ident, submitted_by, channel, status, form, "       \
    "legal_days, promised_days, current_step, created_at, updated_at, submitted_at, "              \
    "accepted_at, decided_at, start_day, due_day, legal_due_day, paused_days, pause_kind, "        \
    "pause_day, supplement, result_note, version"
#define EVENT_COLS                                                                                 \
    "id, case_id, at, actor_id, actor_name, actor_role, action, from_status, to_status, note"
#define TASK_COLS                                                                                  \
    "id, case_id, dept_code, step, kind, status, assignee_id, requested_by, decided_by, "          \
    "decided_at, opinion, created_at, due_day, version"
#define MATERIAL_COLS "case_id, material_code, name, required, license_type, source, ref, sort"

/* The ids of the batch as the statements below read them: a JSON array. */
#define IDS_SQLITE "(SELECT value FROM json_each(?))"
#define IDS_PG     "(SELECT value::bigint FROM json_array_elements_text(CAST(? AS json)))"

/* `ywtb archive` waits this many quarter seconds for another node's pass. */
#define ARCHIVE_WAITS 240

/* PostgreSQL's advisory lock key of the archive job ("yw-archive"). */
#define ARCHIVE_LOCK 0x79772d6172636876LL

struct pass {
    int64_t cutoff_ms;
    int64_t batch;
    int moved;
    bool busy; /* another node holds the job */
};

static void
iso_of_ms(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ms % 1000 + 1000) % 1000);
}

/* PostgreSQL: the partition of cases_archive for the month of day (YYYY-MM-DD). */
static int
ensure_month(struct yw_dbc *c, const char *day)
{
    int y = atoi(day), m = atoi(day + 5);
    if (y < 1900 || y > 9999 || m < 1 || m > 12)
        return YW_EINTERNAL;
    int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
    char sql[320];
    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS cases_archive_m%04d%02d PARTITION OF cases_archive "
             "FOR VALUES FROM ('%04d-%02d-01') TO ('%04d-%02d-01')",
             y, m, y, m, ny, nm);
    return yw_db_exec_script(c, sql, NULL);
}

static int
archive_tx(struct yw_dbc *c, void *vctx)
{
    struct pass *p = vctx;
    p->moved = 0;
    p->busy = false;
    bool pg = yw_db_engine(yw_dbc_db(c)) == YW_DB_PG;
    int rc;
    if (pg) {
        int64_t got = 0;
        if ((rc = yw_db_one_int(c, &got, "SELECT CASE WHEN pg_try_advisory_xact_lock(?) THEN 1 ELSE 0 END",
                                "i", (int64_t)ARCHIVE_LOCK)))
            return rc;
        if (!got) {
            p->busy = true;
            return 0;
        }
    }
    char cutoff[32];
    iso_of_ms(p->cutoff_ms, cutoff);
    /* the candidates: a range of the partial index cases_finished (0036) */
    struct yw_stmt *s = yw_db_query(
        c,
        pg ? "SELECT id, case_no, substr(decided_at, 1, 10) FROM cases WHERE status IN "
             "('approved', 'denied', 'not_accepted', 'withdrawn') AND parent_id IS NULL AND "
             "kind = 'item' AND decided_at <> '' AND decided_at < ? ORDER BY decided_at LIMIT ? "
             "FOR UPDATE SKIP LOCKED"
           : "SELECT id, case_no, substr(decided_at, 1, 10) FROM cases WHERE status IN "
             "('approved', 'denied', 'not_accepted', 'withdrawn') AND parent_id IS NULL AND "
             "kind = 'item' AND decided_at <> '' AND decided_at < ? ORDER BY decided_at LIMIT ?",
        "si", cutoff, p->batch);
    if (s == NULL)
        return YW_EDB;
    struct yw_buf ids;
    yw_buf_init(&ids);
    yw_buf_addc(&ids, '[');
    int n = 0, cap = 64;
    struct cand {
        int64_t id;
        char case_no[48];
        char day[11];
    } *cands = yw_xcalloc((size_t)cap, sizeof *cands);
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (n == cap) {
            cap *= 2;
            cands = yw_xrealloc(cands, (size_t)cap * sizeof *cands);
        }
        cands[n].id = yw_db_col_int(s, 0);
        snprintf(cands[n].case_no, sizeof cands[n].case_no, "%s", yw_db_col_text(s, 1));
        snprintf(cands[n].day, sizeof cands[n].day, "%s", yw_db_col_text(s, 2));
        yw_buf_printf(&ids, "%s%lld", n ? "," : "", (long long)cands[n].id);
        n++;
    }
    yw_buf_addc(&ids, ']');
    yw_buf_addc(&ids, '\0');
    rc = yw_db_finish(s, rc);
    if (rc || n == 0)
        goto out;
    if (pg) { /* each month's partition, once per batch */
        for (int i = 0; i < n && rc == 0; i++) {
            bool seen = false;
            for (int j = 0; j < i && !seen; j++)
                seen = !strncmp(cands[j].day, cands[i].day, 7);
            if (!seen)
                rc = ensure_month(c, cands[i].day);
        }
        if (rc)
            goto out;
    }
    char now[32];
    yw_db_now_text(now);
    const char *in = pg ? IDS_PG : IDS_SQLITE;
    const char *finished = pg ? "CAST(substr(decided_at, 1, 10) AS date)" : "substr(decided_at, 1, 10)";
    char sql[1600];
    int64_t copied = 0;
    snprintf(sql, sizeof sql,
             "INSERT INTO cases_archive (" CASE_COLS ", finished_on, archived_at) SELECT " CASE_COLS
             ", %s, ? FROM cases WHERE id IN %s",
             finished, in);
    if ((rc = yw_db_run_changes(c, &copied, sql, "ss", now, ids.p)))
        goto out;
    if (copied != n) { /* the rows were locked: every candidate is there */
        rc = YW_ECONFLICT;
        goto out;
    }
    static const char *const children[][2] = {
        { "case_events", EVENT_COLS },
        { "tasks", TASK_COLS },
        { "case_materials", MATERIAL_COLS },
    };
    for (size_t t = 0; t < 3 && rc == 0; t++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s_archive (%s) SELECT %s FROM %s WHERE case_id IN %s", children[t][0],
                 children[t][1], children[t][1], children[t][0], in);
        rc = yw_db_run(c, sql, "s", ids.p);
    }
    for (size_t t = 0; t < 3 && rc == 0; t++) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE case_id IN %s", children[t][0], in);
        rc = yw_db_run(c, sql, "s", ids.p);
    }
    if (rc)
        goto out;
    snprintf(sql, sizeof sql, "DELETE FROM cases WHERE id IN %s", in);
    if ((rc = yw_db_run(c, sql, "s", ids.p)))
        goto out;
    for (int i = 0; i < n && rc == 0; i++) {
        char summary[96];
        snprintf(summary, sizeof summary, "{\"finished_on\":\"%s\"}", cands[i].day);
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = "system",
                                                       .role = "system",
                                                       .action = "case.archive",
                                                       .obj_type = "case",
                                                       .obj_id = cands[i].case_no,
                                                       .summary = summary });
    }
    if (rc == 0)
        p->moved = n;
out:
    free(cands);
    yw_buf_release(&ids);
    return rc;
}

int
yw_cases__archive_pass(struct yw_db *db, int64_t after_days, int64_t batch, int *moved, bool *busy,
                       struct yw_err *err)
{
    struct pass p = { .cutoff_ms = yw_clock_now_ms() - after_days * 86400000LL, .batch = batch };
    int rc = yw_db_tx(db, YW_TX_WRITE, archive_tx, &p, err);
    *moved = rc ? 0 : p.moved;
    if (busy)
        *busy = rc == 0 && p.busy;
    return rc;
}

/* ---- the job ---- */

static struct yw_app *job_app;
static pthread_t job_thread;
static bool job_started;
static atomic_bool job_run;

static void *
job_main(void *arg)
{
    (void)arg;
    int64_t ticks = 0;
    while (atomic_load(&job_run)) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        const struct yw_cases_settings *cfg = settings_of(job_app);
        if (++ticks % (cfg->cases_archive_seconds * 10))
            continue; /* every cases_archive_seconds, but stop within 100 ms */
        /* batches until the backlog is gone (or the server stops) */
        int total = 0, moved = 0;
        bool busy = false;
        int rc;
        do {
            struct yw_err err = { 0 };
            rc = yw_cases__archive_pass(job_app->db, cfg->cases_archive_after_days,
                                        cfg->cases_archive_batch, &moved, &busy, &err);
            if (rc)
                yw_log_warn("cases", "archive pass failed: %s",
                            err.msg[0] ? err.msg : yw_strerror(rc));
            total += moved;
        } while (rc == 0 && moved == cfg->cases_archive_batch && atomic_load(&job_run));
        if (total)
            yw_log_info("cases", "%d finished cases moved to the archive", total);
    }
    return NULL;
}

int
yw_cases__archive_start(struct yw_app *app, struct yw_err *err)
{
    job_app = app;
    if (settings_of(app)->cases_archive_seconds == 0)
        return 0;
    atomic_store(&job_run, true);
    if (pthread_create(&job_thread, NULL, job_main, NULL) != 0)
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the archive job");
    job_started = true;
    return 0;
}

void
yw_cases__archive_stop(void)
{
    if (!job_started)
        return;
    atomic_store(&job_run, false);
    pthread_join(job_thread, NULL);
    job_started = false;
}

/* ---- `ywtb archive` ---- */

static int
archive_cmd(struct yw_cli *cli)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    const struct yw_cases_settings *cfg = settings_of(cli->app);
    int64_t total = 0;
    int moved = 0, waits = 0;
    bool busy = false;
    do {
        struct yw_err err = { 0 };
        rc = yw_cases__archive_pass(cli->app->db, cfg->cases_archive_after_days,
                                    cfg->cases_archive_batch, &moved, &busy, &err);
        if (rc) {
            fprintf(stderr, "ywtb: archive: %s\n", err.msg[0] ? err.msg : yw_strerror(rc));
            return 1;
        }
        total += moved;
        if (busy && waits < ARCHIVE_WAITS) { /* another node's pass: wait for it, then go on */
            waits++;
            nanosleep(&(struct timespec){ 0, 250 * 1000 * 1000 }, NULL);
            continue;
        }
    } while (moved == cfg->cases_archive_batch || (busy && waits < ARCHIVE_WAITS));
    printf("archive: %lld finished cases moved (finished more than %lld days ago)\n",
           (long long)total, (long long)cfg->cases_archive_after_days);
    if (busy) {
        fprintf(stderr, "ywtb: archive: another node kept the archive job for %d s; run again later\n",
                ARCHIVE_WAITS / 4);
        return 1;
    }
    return 0;
}

const struct yw_command yw_cases__commands[] = {
    {
        .name = "archive",
        .summary = "move finished cases older than cases_archive_after_days to the archive",
        .usage = "[--cases-archive-after-days N] [--cases-archive-batch N] --db URL",
        .help = "Moves every finished case (approved, denied, not accepted, withdrawn) that finished\n"
                "more than cases_archive_after_days ago, with its timeline, tasks and materials, to\n"
                "the archive tables, in transactions of cases_archive_batch cases, each move audited\n"
                "(case.archive).  What every node's archive job does every cases_archive_seconds.\n"
                "Archived cases stay readable through the same API.  Safe to run while nodes serve\n"
                "and on several nodes at once: a case moves exactly once (while another node's pass\n"
                "holds the job, it waits, up to a minute; then it exits 1).\n",
        .run = archive_cmd,
    },
    { NULL },
};
