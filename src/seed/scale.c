/*
 * scale.c - `ywtb seed --scale xuhui`: a district's worth of data for load and
 * scale tests - 100,000 citizens, 43,000 companies and 1,000,000 cases with
 * their review tasks and timelines, spread over the past year in every state.
 *
 * `--cases N` makes N cases over a year per million (ten at most): the last
 * year as at one million, the years before it finished, ids growing with the
 * day a case was filed (ten million: ten years of Xuhui, issue 17).
 *
 * Rows go in through bulk copies (db/copy.h: COPY FROM STDIN on PostgreSQL,
 * multi-row INSERTs on SQLite) in transactions of CHUNK cases; each account's
 * name and number are kept in memory, so a case row needs no read.  Identity
 * numbers and credit codes come from ids.c, unique by construction, and a
 * preflight check refuses a database that already holds one of them, so no
 * generated account is ever skipped and every case has its applicant.  All
 * generated accounts share one password hash (password "Scale@2026"): hashing
 * 143,000 passwords with Argon2id would take hours and proves nothing.  The run
 * writes one audit record ("seed.scale") with the counts instead of one per
 * row.  Needs the catalog (seed --demo) first; refuses to run twice.
 */
#include "seed/seed.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/crypto.h"
#include "db/audit.h"
#include "db/copy.h"
#include "identity/identity.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCALE_PASSWORD "Scale@2026"
#define CHUNK          50000

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t
rnd(void)
{
    /* xorshift64*: deterministic, so every run makes the same district */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static int
rnd_int(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
    "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"
};
static const char *const given[] = { "伟", "芳",   "娜", "敏", "静", "丽",   "强",   "磊",
                                     "军", "洋",   "勇", "艳", "杰", "娟",   "涛",   "明",
                                     "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东" };
static const char *const trades[] = { "科技",     "餐饮",     "贸易",     "文化传媒",
                                      "咨询",     "信息技术", "医药",     "建筑工程",
                                      "物业管理", "教育科技", "商务服务", "健康管理" };
static const char *const marks[] = { "汇智", "徐光", "漕河泾", "衡山", "天平", "龙华", "康健",
                                     "田林", "虹梅", "枫林",   "斜土", "凌云", "华泾", "长桥" };

struct item_ref {
    int64_t id;
    char code[48], name[128], dept[40], target[16];
    int promised, legal;
};

/* The one integer an aggregate query (COUNT, MAX) returns. */
static int
exec_id(struct yw_dbc *c, const char *sql, int64_t *out)
{
    *out = 0;
    int rc = yw_db_one_int(c, out, sql, NULL);
    return rc == YW_ENOTFOUND ? YW_EDB : rc; /* an aggregate always has its row */
}

static int
load_items(struct yw_dbc *c, struct item_ref **out, int *n)
{
    struct yw_stmt *s = yw_db_prepare(
        c, "SELECT id, code, name, dept_code, target, promised_days, legal_days FROM items "
           "WHERE is_current = 1 ORDER BY id");
    if (s == NULL)
        return YW_EDB;
    int cap = 1024;
    *out = yw_xcalloc((size_t)cap, sizeof **out);
    *n = 0;
    while (yw_db_step(s) == YW_ROW && *n < cap) {
        struct item_ref *it = &(*out)[(*n)++];
        it->id = yw_db_col_int(s, 0);
        snprintf(it->code, sizeof it->code, "%s", yw_db_col_text(s, 1));
        snprintf(it->name, sizeof it->name, "%s", yw_db_col_text(s, 2));
        snprintf(it->dept, sizeof it->dept, "%s", yw_db_col_text(s, 3));
        snprintf(it->target, sizeof it->target, "%s", yw_db_col_text(s, 4));
        it->promised = (int)yw_db_col_int(s, 5);
        it->legal = (int)yw_db_col_int(s, 6);
    }
    yw_db_reset(s);
    return 0;
}

/* A generated account as its cases name it. */
struct gen_account {
    char ident[19];
    char name[80];
};

struct gen {
    struct yw_dbc *c;
    struct gen_account *accounts; /* persons, then companies */
    int64_t span_days;            /* cases are created over this many past days */
    const char *hash;
    int64_t persons, companies, cases;
    int64_t first_person, first_company;
    struct item_ref *items;
    int nitems;
    int person_items[1024], company_items[1024];
    int np, nc;
    struct yw_err *err; /* says which row failed */
};

/* Insert generated accounts [from, to) of one kind with their profiles, inside
 * the caller's transaction, through bulk copies (db/copy.h).  Identifiers
 * come from ids.c, unique by construction; a number that exists anyway
 * (registered after the preflight check) fails the run rather than being
 * skipped, because cases refer to every generated account by id.  Each
 * account's name and number are kept in g for its cases. */
static int
gen_accounts(struct gen *g, bool company, int64_t from, int64_t to, int64_t first_id)
{
    char now[32];
    yw_db_now_text(now);
    struct yw_db_copy *acc = NULL, *prof = NULL;
    int rc = yw_db_copy_begin(g->c, "accounts",
                              "id, kind, login, name, phone, password_hash, created_at, updated_at",
                              &acc, g->err);
    if (rc)
        return rc;
    rc = company ? yw_db_copy_begin(g->c, "enterprise_profiles",
                                    "account_id, uscc, legal_rep_name, legal_rep_id, region, category",
                                    &prof, g->err)
                 : yw_db_copy_begin(g->c, "person_profiles",
                                    "account_id, id_number, sex, birth_date, region", &prof, g->err);
    for (int64_t i = from; i < to && rc == 0; i++) {
        int64_t id = first_id + i;
        struct gen_account *ga = &g->accounts[(company ? g->persons : 0) + i];
        char *ident = ga->ident, *name = ga->name, phone[12];
        if (company) {
            yw_seed_company_code(i, ident);
            snprintf(name, sizeof ga->name, "上海%s%s有限公司%lld", marks[rnd_int(14)],
                     trades[rnd_int(12)], (long long)i);
        } else {
            yw_seed_person_id(i, ident);
            snprintf(name, sizeof ga->name, "%s%s", surnames[rnd_int(20)], given[rnd_int(24)]);
        }
        snprintf(phone, sizeof phone, "13%09lld", (long long)(rnd() % 1000000000ULL));
        if ((rc = yw_db_copy_row(acc, "isssssss", id, company ? "enterprise" : "person", ident,
                                 name, phone, g->hash, now, now)))
            break;
        if (company) {
            /* the legal representative is one of the generated citizens */
            char rep[19];
            yw_seed_person_id((i + 7) % g->persons, rep);
            rc = yw_db_copy_row(prof, "isssss", id, ident, surnames[rnd_int(20)], rep, "310104",
                                "工商企业");
        } else {
            struct yw_cnid_person p;
            if ((rc = yw_cnid_check_id(ident, 18, &p, NULL))) {
                rc = yw_fail(g->err, rc, "scale", "generated identity number '%s' is not valid",
                             ident);
                break;
            }
            char sex[2] = { p.sex, 0 };
            rc = yw_db_copy_row(prof, "issss", id, ident, sex, p.birth, "310104");
        }
    }
    rc = yw_db_copy_end(prof, rc, g->err);
    rc = yw_db_copy_end(acc, rc, g->err);
    if (rc == YW_ECONFLICT)
        return yw_fail(g->err, rc, "scale",
                       "cannot add generated accounts %lld-%lld: a login, id or profile is taken",
                       (long long)(first_id + from), (long long)(first_id + to - 1));
    return rc;
}

/* The copies one chunk of cases goes through. */
struct case_copies {
    struct yw_db_copy *cases, *tasks, *events;
};

static int
gen_one_case(struct gen *g, struct case_copies *cc, int64_t i, int64_t id, int64_t today)
{
    const struct yw_calendar *cal = NULL; /* Monday-Friday is close enough for generated history */
    bool company = rnd_int(10) < 7;
    struct item_ref *it;
    int64_t applicant;
    const struct gen_account *ga;
    if ((company && g->nc) || g->np == 0) {
        it = &g->items[g->company_items[rnd_int(g->nc)]];
        int64_t k = rnd_int((int)g->companies);
        applicant = g->first_company + k;
        ga = &g->accounts[g->persons + k];
        company = true;
    } else {
        it = &g->items[g->person_items[rnd_int(g->np)]];
        int64_t k = rnd_int((int)g->persons);
        applicant = g->first_person + k;
        ga = &g->accounts[k];
        company = false;
    }
    /* ids grow with time, as they do in service: case i of n was filed
     * (n - 1 - i) * span / n days ago, so the case numbers (XH + day + id)
     * arrive in index order.  The last year is as it always was; the years
     * before it (ten years of a district) are history: every case there is
     * finished. */
    int64_t age = (g->cases - 1 - i) * g->span_days / g->cases;
    int64_t created = today - age;
    int r = rnd_int(100);
    const char *status = age >= 365 ? (r < 90 ? "approved" : r < 95 ? "withdrawn" : "denied")
                         : r < 8    ? "submitted"
                         : r < 38   ? "accepted"
                         : r < 93   ? "approved"
                         : r < 96   ? "withdrawn"
                                    : "denied";
    if (created > today - 2 && !strcmp(status, "approved"))
        status = "accepted";
    bool started = strcmp(status, "submitted") != 0 && strcmp(status, "withdrawn") != 0;
    int64_t start = started ? created : 0;
    int64_t due = started ? yw_cal_add_workdays(cal, created, it->promised) : 0;
    int64_t legal_due = started ? yw_cal_add_workdays(cal, created, it->legal) : 0;
    char day[11], ts[32], no[40], dts[32] = "";
    yw_cal_day_text(created, day);
    snprintf(ts, sizeof ts, "%sT02:%02d:%02d.000Z", day, rnd_int(60), rnd_int(60));
    snprintf(no, sizeof no, "XH%.4s%.2s%.2s%06lld", day, day + 5, day + 8, (long long)id);
    bool final = !strcmp(status, "approved") || !strcmp(status, "denied") ||
                 !strcmp(status, "withdrawn");
    if (final) {
        char dd[11];
        yw_cal_day_text(started ? yw_cal_add_workdays(cal, created, rnd_int(it->promised + 2) + 0)
                                : created,
                        dd);
        snprintf(dts, sizeof dts, "%sT07:00:00.000Z", dd);
    }
    const char *channel = rnd_int(10) < 7 ? "online" : rnd_int(4) ? "window" : "kiosk";
    int rc = yw_db_copy_row(cc->cases, "ississssiisssssdddsssssiii", id, no, "item", it->id,
                            it->code, it->name, it->dept, company ? "enterprise" : "person",
                            applicant, applicant, ga->name, ga->ident, channel, status, "{}",
                            it->legal, it->promised, started ? 1 : 0, ts, ts, ts,
                            started ? ts : "", dts, start, due, legal_due);
    if (rc)
        return rc;
    if (started) {
        bool pending = !strcmp(status, "accepted");
        rc = yw_db_copy_row(cc->tasks, "isdssssi", id, it->dept, 1, "review",
                            pending                     ? "pending"
                            : !strcmp(status, "denied") ? "denied"
                                                        : "approved",
                            ts, dts, due);
        if (rc)
            return rc;
    }
    const char *actions[3] = { "case.submit", started ? "case.accept" : NULL,
                               final ? (!strcmp(status, "approved") ? "case.approve"
                                        : !strcmp(status, "denied") ? "case.deny"
                                                                    : "case.withdraw")
                                     : NULL };
    for (int e = 0; e < 3; e++) {
        if (actions[e] == NULL)
            continue;
        rc = yw_db_copy_row(cc->events, "isissss", id, e == 2 ? dts : ts,
                            e == 0 ? applicant : (int64_t)0, "seed",
                            e == 0 ? (company ? "enterprise" : "person") : "window_clerk",
                            actions[e],
                            e == 0   ? "submitted"
                            : e == 1 ? "accepted"
                                     : status);
        if (rc)
            return rc;
    }
    return 0;
}

static int
gen_cases(struct gen *g, int64_t from, int64_t to, int64_t first_id, int64_t today)
{
    struct case_copies cc = { 0 };
    /* applicant_id doubles as submitted_by (the applicant filed online) */
    int rc = yw_db_copy_begin(
        g->c, "cases",
        "id, case_no, kind, item_id, code, title, dept_code, applicant_kind, applicant_id, "
        "submitted_by, applicant_name, applicant_ident, channel, status, form, legal_days, "
        "promised_days, current_step, created_at, updated_at, submitted_at, accepted_at, "
        "decided_at, start_day, due_day, legal_due_day",
        &cc.cases, g->err);
    if (rc)
        return rc;
    if ((rc = yw_db_copy_begin(g->c, "tasks",
                               "case_id, dept_code, step, kind, status, created_at, decided_at, due_day",
                               &cc.tasks, g->err)) == 0)
        rc = yw_db_copy_begin(g->c, "case_events",
                              "case_id, at, actor_id, actor_name, actor_role, action, to_status", &cc.events,
                              g->err);
    for (int64_t i = from; i < to && rc == 0; i++)
        rc = gen_one_case(g, &cc, i, first_id + i, today);
    /* the parent rows first: the tasks and events refer to the cases */
    rc = yw_db_copy_end(cc.cases, rc, g->err);
    rc = yw_db_copy_end(cc.tasks, rc, g->err);
    rc = yw_db_copy_end(cc.events, rc, g->err);
    return rc;
}

struct chunk_ctx {
    struct gen *g;
    int what; /* 0 persons, 1 companies, 2 cases */
    int64_t from, to, first_id, today;
};

static int
chunk_tx(struct yw_dbc *c, void *vctx)
{
    struct chunk_ctx *x = vctx;
    x->g->c = c;
    if (x->what == 2)
        return gen_cases(x->g, x->from, x->to, x->first_id, x->today);
    return gen_accounts(x->g, x->what == 1, x->from, x->to, x->first_id);
}

static int
final_tx(struct yw_dbc *c, void *vctx)
{
    struct gen *g = vctx;
    int rc = 0;
    if (yw_db_engine(yw_dbc_db(c)) == YW_DB_PG) {
        /* explicit ids do not move PostgreSQL's identity sequences */
        rc = yw_db_exec_script(
            c,
            "SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT MAX(id) FROM accounts));"
            "SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases));"
            "ANALYZE accounts; ANALYZE cases; ANALYZE tasks; ANALYZE case_events;",
            NULL);
    } else {
        rc = yw_db_exec_script(c, "ANALYZE", NULL);
    }
    if (rc)
        return rc;
    char summary[160];
    snprintf(summary, sizeof summary, "{\"persons\":%lld,\"companies\":%lld,\"cases\":%lld}",
             (long long)g->persons, (long long)g->companies, (long long)g->cases);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "seed",
                                                     .role = "admin",
                                                     .action = "seed.scale",
                                                     .obj_type = "district",
                                                     .obj_id = "310104",
                                                     .summary = summary });
}

static int
cmp_ident(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Before writing anything, make sure no account or profile in the database
 * already holds a number the run will generate (say a tester registered one of
 * them by hand): failing half-way would leave a partial district behind. */
static int
preflight(struct yw_dbc *c, const struct gen *g, struct yw_err *err)
{
    size_t n = (size_t)(g->persons + g->companies);
    char(*ids)[19] = yw_xcalloc(n, sizeof *ids);
    for (int64_t i = 0; i < g->persons; i++)
        yw_seed_person_id(i, ids[i]);
    for (int64_t i = 0; i < g->companies; i++)
        yw_seed_company_code(i, ids[g->persons + i]);
    qsort(ids, n, sizeof *ids, cmp_ident);
    for (size_t i = 1; i < n; i++)
        assert(strcmp(ids[i - 1], ids[i]) != 0); /* ids.c: unique by construction */
    int rc = 0;
    struct yw_stmt *s =
        yw_db_prepare(c, "SELECT login FROM accounts UNION SELECT id_number FROM person_profiles "
                         "UNION SELECT uscc FROM enterprise_profiles");
    if (s == NULL) {
        rc = YW_EDB;
        goto out;
    }
    int step;
    while ((step = yw_db_step(s)) == YW_ROW) {
        const char *have = yw_db_col_text(s, 0);
        if (strlen(have) == 18 && bsearch(have, ids, n, sizeof *ids, cmp_ident)) {
            rc = yw_fail(
                err, YW_ECONFLICT, "scale",
                "'%s' is already registered and is one of the generated numbers; seed a fresh database",
                have);
            break;
        }
    }
    if (rc == 0 && step != YW_DONE)
        rc = step < 0 ? step : YW_EDB;
    yw_db_reset(s);
out:
    free(ids);
    return rc;
}

int
yw_seed_scale(struct yw_app *app, const char *scale, int64_t cases, FILE *out, struct yw_err *err)
{
    if (strcmp(scale, "xuhui") != 0 && strcmp(scale, "small") != 0)
        return yw_fail(err, YW_EINVAL, "scale", "unknown scale '%s' (xuhui or small)", scale);
    bool small = !strcmp(scale, "small");
    struct gen g = { .persons = small ? 2000 : 100000,
                     .companies = small ? 1000 : 43000,
                     .cases = cases > 0 ? cases : (small ? 20000 : 1000000),
                     .err = err };
    assert(g.persons <= yw_seed_person_capacity() && g.companies <= yw_seed_company_capacity());
    struct yw_dbc *c = yw_db_conn(app->db, err);
    if (c == NULL)
        return YW_EDB;
    int64_t existing = 0;
    int rc = exec_id(c, "SELECT COUNT(*) FROM audit_log WHERE action = 'seed.scale'", &existing);
    if (rc)
        goto out;
    if (existing) {
        rc = yw_fail(err, YW_ECONFLICT, "scale", "this database was already seeded at scale");
        goto out;
    }
    if ((rc = load_items(c, &g.items, &g.nitems)))
        goto out;
    for (int i = 0; i < g.nitems; i++) {
        if (!strcmp(g.items[i].target, "enterprise"))
            g.company_items[g.nc++] = i;
        else
            g.person_items[g.np++] = i;
    }
    if (g.np + g.nc == 0) {
        rc = yw_fail(err, YW_ESTATE, "scale", "load the catalog first (ywtb seed --demo)");
        goto out;
    }
    if ((rc = preflight(c, &g, err)))
        goto out;
    char hash[128];
    if ((rc = yw_ident_password_hash(app, SCALE_PASSWORD, hash))) {
        yw_fail(err, rc, "", "cannot hash the password");
        goto out;
    }
    g.hash = hash;
    g.accounts = yw_xcalloc((size_t)(g.persons + g.companies), sizeof *g.accounts);
    /* a year per million cases (a district's year), at most ten */
    g.span_days = 365 * ((g.cases + 999999) / 1000000);
    if (g.span_days > 3650)
        g.span_days = 3650;
    int64_t max_acc = 0, max_case = 0;
    if ((rc = exec_id(c, "SELECT COALESCE(MAX(id), 0) FROM accounts", &max_acc)) ||
        (rc = exec_id(c, "SELECT COALESCE(MAX(id), 0) FROM cases", &max_case)))
        goto out;
    g.first_person = max_acc + 1;
    g.first_company = g.first_person + g.persons;
    if (yw_db_engine(app->db) == YW_DB_SQLITE &&
        (rc = yw_db_exec_script(c, "PRAGMA cache_size=-262144", err)))
        goto out; /* 256 MB of pages: ten million cases' indexes stay in memory while they grow */
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    int64_t t0 = yw_clock_mono_ns();
    const struct {
        int what;
        int64_t n, first;
        const char *name;
    } parts[] = { { 0, g.persons, g.first_person, "citizens" },
                  { 1, g.companies, g.first_company, "companies" },
                  { 2, g.cases, max_case + 1, "cases" } };
    for (size_t p = 0; p < 3 && rc == 0; p++) {
        for (int64_t from = 0; from < parts[p].n && rc == 0; from += CHUNK) {
            struct chunk_ctx x = { .g = &g,
                                   .what = parts[p].what,
                                   .from = from,
                                   .to = from + CHUNK < parts[p].n ? from + CHUNK : parts[p].n,
                                   .first_id = parts[p].first,
                                   .today = today };
            rc = yw_db_tx(app->db, YW_TX_WRITE, chunk_tx, &x, err);
            if (out && rc == 0 && (x.to == parts[p].n || x.to % 200000 == 0)) {
                fprintf(out, "scale: %lld/%lld %s (%.1f s)\n", (long long)x.to,
                        (long long)parts[p].n, parts[p].name,
                        (double)(yw_clock_mono_ns() - t0) / 1e9);
                fflush(out);
            }
        }
    }
    if (rc == 0)
        rc = yw_db_tx(app->db, YW_TX_WRITE, final_tx, &g, err);
    if (rc == 0 && out)
        fprintf(out, "scale: done in %.1f s; generated accounts log in with password %s\n",
                (double)(yw_clock_mono_ns() - t0) / 1e9, SCALE_PASSWORD);
out:
    free(g.accounts);
    free(g.items);
    return rc;
}
