/*
 * calendar_cmd.c - `ywtb calendar import FILE` and `ywtb calendar show YEAR`:
 * how an operator loads a year's official holidays and make-up working days
 * (the State Council's notice, published each November) and checks what the
 * nodes will count with (issue 21: the 2027 calendar was missing and nothing
 * said so; the reference data has only 2025 and 2026, and no year is ever
 * guessed).
 *
 * import validates the file exactly as the server does at start (core/
 * calendar.h: real dates in that year, consecutive holiday blocks, make-up
 * days on weekends, nothing listed twice), refuses to replace a loaded year
 * unless --replace, writes it as data_dir/calendar/YYYY.json (a temporary file
 * renamed into place, so a node starting meanwhile never reads half a file)
 * and records an audit record "calendar.import" (year, SHA-256 of the file,
 * counts, source) in the database.  The nodes read the calendar at start:
 * restart them afterwards, and import on every node (each has its data_dir).
 */
#include "ops/internal.h"

#include "core/calendar.h"
#include "core/cli.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "db/audit.h"
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const WEEKDAY_ZH[] = { "周日", "周一", "周二", "周三", "周四", "周五", "周六" };

/* Holiday blocks (runs of days with one name), days off, make-up working days. */
struct year_counts {
    int blocks, days_off, makeup, workdays;
};

static void
count_year(const struct yw_calendar *cal, int year, struct year_counts *n)
{
    memset(n, 0, sizeof *n);
    int64_t first = yw_days_from_civil(year, 1, 1), end = yw_days_from_civil(year + 1, 1, 1);
    const char *prev = NULL;
    for (int64_t d = first; d < end; d++) {
        const char *name = yw_cal_holiday_name(cal, d);
        if (name) {
            n->days_off++;
            if (prev == NULL || strcmp(prev, name) != 0)
                n->blocks++;
        }
        prev = name;
        bool work = yw_cal_is_workday(cal, d);
        int wd = yw_cal_weekday(d);
        n->workdays += work;
        n->makeup += work && (wd == 0 || wd == 6);
    }
}

static char *
read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct yw_buf b;
    yw_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        yw_buf_add(&b, chunk, n);
    fclose(f);
    *len = b.n;
    if (b.p == NULL)
        return calloc(1, 1);
    return b.p;
}

struct import_tx {
    int year;
    const char *sha;
    const char *source;
    const struct year_counts *n;
    bool replaced;
};

static int
import_audit(struct yw_dbc *c, void *vctx)
{
    struct import_tx *t = vctx;
    json_t *sum =
        json_pack("{s:i, s:s, s:s, s:i, s:i, s:i, s:b}", "year", t->year, "sha256", t->sha,
                  "source", t->source ? t->source : "", "holiday_blocks", t->n->blocks, "days_off",
                  t->n->days_off, "makeup_workdays", t->n->makeup, "replaced", t->replaced);
    char *text = sum ? json_dumps(sum, JSON_COMPACT) : NULL;
    json_decref(sum);
    char id[8];
    snprintf(id, sizeof id, "%d", t->year);
    int rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = "cli",
                                                       .role = "admin",
                                                       .action = "calendar.import",
                                                       .obj_type = "calendar",
                                                       .obj_id = id,
                                                       .summary = text ? text : "{}" });
    free(text);
    return rc;
}

static int
cal_import(struct yw_cli *cli)
{
    const char *file = cli->args[0];
    struct yw_calendar *cal = NULL;
    struct yw_err err = { 0 };
    char *bytes = NULL, *old = NULL;
    int status = 2, fd = -1;
    char dir[4096], target[4200], tmp[4300];
    tmp[0] = '\0';

    if (yw_cal_load_file(file, &cal, &err) != 0) {
        fprintf(stderr, "ywtb: calendar import: %s\n", err.msg);
        goto out; /* 2: the file is refused, nothing written */
    }
    int year, last;
    yw_cal_years(cal, &year, &last);
    struct year_counts n;
    count_year(cal, year, &n);
    size_t len = 0, old_len = 0;
    if ((bytes = read_all(file, &len)) == NULL) {
        fprintf(stderr, "ywtb: calendar import: cannot read %s: %s\n", file, strerror(errno));
        goto out;
    }
    snprintf(dir, sizeof dir, "%s/calendar", cli->cfg->data_dir);
    snprintf(target, sizeof target, "%s/%04d.json", dir, year);
    bool exists = access(target, F_OK) == 0;
    if (exists && (old = read_all(target, &old_len)) && old_len == len &&
        memcmp(old, bytes, len) == 0) {
        printf("calendar %d: %s already holds this file; nothing to do\n", year, target);
        status = 0;
        goto out;
    }
    if (exists && !yw_cli_flag(cli, "replace")) {
        fprintf(stderr,
                "ywtb: calendar import: %d is already loaded (%s) with other dates; give "
                "--replace to replace it (a correction by a later notice)\n",
                year, target);
        goto out;
    }
    status = 1;
    if (yw_cli_open(cli, true) != 0)
        goto out;
    snprintf(tmp, sizeof tmp, "%s.import.%d", target, (int)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, bytes, len) != (ssize_t)len || fsync(fd) != 0) {
        fprintf(stderr, "ywtb: calendar import: cannot write %s: %s\n", tmp, strerror(errno));
        goto out;
    }
    close(fd);
    fd = -1;
    unsigned char digest[32];
    char sha[65];
    yw_sha256(bytes, len, digest);
    for (int i = 0; i < 32; i++)
        snprintf(sha + 2 * i, 3, "%02x", digest[i]);
    struct import_tx t = {
        .year = year, .sha = sha, .source = yw_cal_source(cal, year), .n = &n, .replaced = exists
    };
    if (yw_db_tx(cli->app->db, YW_TX_WRITE, import_audit, &t, &err) != 0) {
        fprintf(stderr, "ywtb: calendar import: cannot record it: %s\n", err.msg);
        goto out;
    }
    if (rename(tmp, target) != 0) {
        fprintf(stderr,
                "ywtb: calendar import: recorded, but cannot put the file in place (%s -> %s: "
                "%s); move it there by hand\n",
                tmp, target, strerror(errno));
        goto out;
    }
    tmp[0] = '\0';
    printf("calendar %d %s: %d holiday blocks (%d days off), %d make-up working days, %d "
           "working days in the year\n"
           "source: %s\n"
           "written to %s; restart every node (systemctl restart ywtb) to count with it, and "
           "import it on every node\n",
           year, exists ? "replaced" : "imported", n.blocks, n.days_off, n.makeup, n.workdays,
           t.source ? t.source : "", target);
    status = 0;
out:
    if (fd >= 0)
        close(fd);
    if (tmp[0])
        unlink(tmp);
    free(bytes);
    free(old);
    yw_cal_free(cal);
    return status;
}

static int
cal_show(struct yw_cli *cli)
{
    const char *arg = cli->args[0];
    char *end;
    long year = strtol(arg, &end, 10);
    if (*end || end == arg || year < 1949 || year > 9999) {
        fprintf(stderr, "ywtb: calendar show: '%s' is not a year\n", arg);
        return 2;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/calendar", cli->cfg->data_dir);
    struct yw_calendar *cal = NULL;
    struct yw_err err = { 0 };
    if (yw_cal_load(dir, &cal, &err) != 0) {
        fprintf(stderr, "ywtb: calendar show: %s\n", err.msg);
        return 1;
    }
    int first, last;
    yw_cal_years(cal, &first, &last);
    int64_t jan1 = yw_days_from_civil((int)year, 1, 1);
    if (!yw_cal_covers(cal, jan1)) {
        fprintf(stderr,
                "ywtb: calendar show: no calendar for %ld in %s (loaded: %d-%d); days in %ld "
                "count Monday-Friday without its holidays: load the State Council's notice "
                "with `ywtb calendar import FILE` (docs/OPERATIONS.md)\n",
                year, dir, first, last, year);
        yw_cal_free(cal);
        return 1;
    }
    struct year_counts n;
    count_year(cal, (int)year, &n);
    printf("calendar %ld (%s/%04ld.json)\nsource: %s\nholidays:\n", year, dir, year,
           yw_cal_source(cal, (int)year));
    int64_t end_day = yw_days_from_civil((int)year + 1, 1, 1);
    for (int64_t d = jan1; d < end_day;) {
        const char *name = yw_cal_holiday_name(cal, d);
        if (name == NULL) {
            d++;
            continue;
        }
        int64_t e = d;
        while (e + 1 < end_day && yw_cal_holiday_name(cal, e + 1) &&
               strcmp(yw_cal_holiday_name(cal, e + 1), name) == 0)
            e++;
        char a[11], z[11];
        yw_cal_day_text(d, a);
        yw_cal_day_text(e, z);
        printf("  %s  %s .. %s  (%lld days)\n", name, a, z, (long long)(e - d + 1));
        d = e + 1;
    }
    printf("make-up working days:\n");
    for (int64_t d = jan1; d < end_day; d++) {
        int wd = yw_cal_weekday(d);
        if ((wd == 0 || wd == 6) && yw_cal_is_workday(cal, d)) {
            char a[11];
            yw_cal_day_text(d, a);
            printf("  %s  %s\n", a, WEEKDAY_ZH[wd]);
        }
    }
    printf("working days: %d\n", n.workdays);
    yw_cal_free(cal);
    return 0;
}

static const struct yw_option import_options[] = {
    { "replace", NULL, "replace a year already loaded (a correction by a later notice)" },
    { NULL },
};

const struct yw_command yw_ops_commands[] = {
    {
        .name = "audit seal",
        .summary = "seal the audit log's new records into its signed Merkle tree now",
        .usage = "--db URL [--secret-key-file FILE]",
        .help = "Appends every audit record not yet in the tree to it and signs the new tree\n"
                "head with the log's SM2 key (made on first use, kept sealed under the secret\n"
                "key as the licenses' keys are).  The server does the same every\n"
                "audit_seal_seconds; on PostgreSQL one node seals at a time (an advisory lock),\n"
                "so running this beside the servers is safe.  `ywtb verify --audit` checks the\n"
                "tree heads; GET /api/v1/public/audit/sth publishes the latest.\n",
        .min_args = 0,
        .max_args = 0,
        .run = yw_ops__cmd_audit_seal,
    },
    {
        .name = "calendar import",
        .summary = "load a year's official holidays and make-up working days",
        .usage = "FILE [--replace] --db URL [--data-dir DIR]",
        .help = "Validates FILE (the format of data/calendar/README.md, copied from the State\n"
                "Council's notice), writes it as DATA_DIR/calendar/YYYY.json and records an\n"
                "audit record.  Refuses a file with a wrong date (exit 2, nothing written) and\n"
                "a year already loaded with other dates unless --replace.  Restart the nodes\n"
                "afterwards; import on every node.\n",
        .options = import_options,
        .min_args = 1,
        .max_args = 1,
        .run = cal_import,
    },
    {
        .name = "calendar show",
        .summary = "print a year's holidays and make-up working days as the nodes count them",
        .usage = "YEAR [--data-dir DIR]",
        .help = "Exits 1 when YEAR is not loaded (its days would count Monday-Friday, holidays\n"
                "unknown).\n",
        .min_args = 1,
        .max_args = 1,
        .run = cal_show,
    },
    { NULL },
};
