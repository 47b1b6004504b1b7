/*
 * import.c - `ywtb import data RESOURCE FILE`: stream a CSV (with a header
 * row of data item keys or names) or NDJSON file into a resource.  Each row
 * is checked against the resource's data items (records.c) and upserted by
 * subject and record key, 64 rows a statement and 10,000 a transaction;
 * refused rows go to the
 * error report (line, field, reason) and the rest is kept - or, with
 * --all-or-nothing, the whole file is checked first and written in one
 * transaction only when no row is refused.  On a terminal it shows progress.
 * The file is never held in memory: one row at a time.
 */
#include "datahub/internal.h"

#include "core/clock.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 10000

struct reader {
    FILE *f;
    bool csv;
    int64_t line; /* the line the current row starts on */
    int64_t next_line;
    json_t *header; /* CSV: column -> field key (null: unknown column) */
    char *buf;
    size_t cap, len; /* NDJSON: the line in buf, len bytes */
};

/* One CSV record (RFC 4180: quoted fields may hold commas, quotes and line
 * breaks) into cells; false at the end of the file. */
static bool
csv_record(struct reader *rd, json_t *cells, struct yw_buf *cell)
{
    json_array_clear(cells);
    ssize_t n = getline(&rd->buf, &rd->cap, rd->f);
    if (n < 0)
        return false;
    rd->line = ++rd->next_line;
    yw_buf_reset(cell);
    bool quoted = false;
    const char *p = rd->buf;
    for (;;) {
        char ch = *p;
        if (ch == '\0') {
            if (quoted) { /* a line break inside quotes: the record goes on */
                n = getline(&rd->buf, &rd->cap, rd->f);
                if (n < 0)
                    break;
                rd->next_line++;
                p = rd->buf;
                continue;
            }
            break;
        }
        p++;
        if (quoted) {
            if (ch == '"' && *p == '"') {
                yw_buf_addc(cell, '"');
                p++;
            } else if (ch == '"') {
                quoted = false;
            } else {
                yw_buf_addc(cell, ch);
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            json_array_append_new(cells, json_stringn(cell->p ? cell->p : "", cell->n));
            yw_buf_reset(cell);
        } else if (ch != '\r' && ch != '\n') {
            yw_buf_addc(cell, ch);
        }
    }
    json_t *last = json_stringn(cell->p ? cell->p : "", cell->n);
    json_array_append_new(cells, last ? last : json_string(""));
    return true;
}

/* The NDJSON line in rd->buf (rd->len bytes) parsed; *bad when it is not an
 * object (why in err: the object is then empty). */
static json_t *
line_parse(struct reader *rd, bool *bad, struct yw_err *err)
{
    json_error_t je;
    json_t *row = json_loadb(rd->buf, rd->len, JSON_REJECT_DUPLICATES, &je);
    if (row == NULL || !json_is_object(row)) {
        json_decref(row);
        *bad = true;
        yw_fail(err, YW_EJSON, "", "not a JSON object: %s", row ? "another value" : je.text);
        return json_object();
    }
    return row;
}

/* The next row as an object, or NULL at the end; *bad set when the line is
 * not a row at all (bad JSON, wrong number of CSV cells): why in err.  An
 * NDJSON line that scans flat (flat.c) is not parsed: *flat is set, fl says
 * where its values are, and the row returned is json_null(). */
static json_t *
next_row(struct reader *rd, const struct yw_dh_res *r, json_t *cells, struct yw_buf *cell,
         struct yw_dh_flat *fl, bool *flat, bool *bad, struct yw_err *err)
{
    *bad = false;
    *flat = false;
    for (;;) {
        if (rd->csv) {
            if (!csv_record(rd, cells, cell))
                return NULL;
            if (json_array_size(cells) == 1 && json_string_length(json_array_get(cells, 0)) == 0)
                continue; /* an empty line */
            if (json_array_size(cells) != json_array_size(rd->header)) {
                *bad = true;
                yw_fail(err, YW_EFIELD, "", "the row has %zu cells, the header %zu",
                        json_array_size(cells), json_array_size(rd->header));
                return json_object();
            }
            json_t *row = json_object();
            size_t i;
            json_t *v;
            json_array_foreach(cells, i, v)
            {
                json_t *k = json_array_get(rd->header, i);
                if (json_string_length(v) > 0) /* an empty cell: no value */
                    json_object_set(row, json_string_value(k), v);
            }
            (void)r;
            return row;
        }
        ssize_t n = getline(&rd->buf, &rd->cap, rd->f);
        if (n < 0)
            return NULL;
        rd->line = ++rd->next_line;
        while (n > 0 && (rd->buf[n - 1] == '\n' || rd->buf[n - 1] == '\r' || rd->buf[n - 1] == ' '))
            rd->buf[--n] = '\0';
        if (n == 0)
            continue;
        rd->len = (size_t)n;
        if (yw_dh__flat_scan(rd->buf, rd->len, fl)) {
            *flat = true;
            return json_null();
        }
        return line_parse(rd, bad, err);
    }
}

static int
reader_open(struct reader *rd, const char *path, const struct yw_dh_res *r, struct yw_err *err)
{
    memset(rd, 0, sizeof *rd);
    rd->f = fopen(path, "r");
    if (rd->f == NULL)
        return yw_fail(err, YW_EIO, "", "cannot open '%s': %s", path, strerror(errno));
    int ch;
    while ((ch = fgetc(rd->f)) == ' ' || ch == '\t')
        ;
    if (ch == 0xEF) { /* a UTF-8 BOM */
        fgetc(rd->f);
        fgetc(rd->f);
        ch = fgetc(rd->f);
    }
    rd->csv = ch != '{';
    ungetc(ch, rd->f);
    if (!rd->csv)
        return 0;
    json_t *cells = json_array();
    struct yw_buf cell;
    yw_buf_init(&cell);
    bool got = csv_record(rd, cells, &cell);
    yw_buf_release(&cell);
    if (!got) {
        json_decref(cells);
        return yw_fail(err, YW_EFIELD, "", "'%s' is empty: a CSV file starts with its header",
                       path);
    }
    /* header cells name data items by key or by Chinese name */
    rd->header = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(cells, i, v)
    {
        const char *name = json_string_value(v);
        json_t *key = NULL;
        size_t j;
        json_t *f;
        json_array_foreach(r->fields, j,
                           f) if (!strcmp(json_string_value(json_object_get(f, "key")), name) ||
                                  !strcmp(json_string_value(json_object_get(f, "name")), name))
            key = json_object_get(f, "key");
        json_array_append_new(rd->header, key ? json_incref(key) : json_string(name));
    }
    json_decref(cells);
    return 0;
}

static void
reader_close(struct reader *rd)
{
    if (rd->f)
        fclose(rd->f);
    free(rd->buf);
    json_decref(rd->header);
}

struct run {
    struct yw_dbc *c;
    const struct yw_dh_res *r;
    struct yw_dh_spec spec; /* r's data items, compiled once */
    FILE *report;
    bool write, tty;
    int64_t batch, ok, refused, t0, last_ns;
    /* rows checked and waiting for their group's statement */
    struct yw_dh_put group[YW_DH_GROUP];
    uint64_t keyhash[YW_DH_GROUP]; /* of subject and record key: repeats found cheaply */
    size_t textoff[YW_DH_GROUP];   /* each row's JSON text in gtext, NUL-terminated */
    struct yw_buf gtext;
    size_t ngroup;
};

static uint64_t
key_hash(const char *subj, const char *rkey)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = subj; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (const char *p = rkey; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

/* Write the waiting rows (one statement when the group is full). */
static int
group_flush(struct run *u, const char *at)
{
    for (size_t i = 0; i < u->ngroup; i++)
        u->group[i].text = u->gtext.p + u->textoff[i];
    int rc = yw_dh__rows_put(u->c, u->r, u->batch, u->group, u->ngroup, at);
    u->ngroup = 0;
    yw_buf_reset(&u->gtext);
    return rc;
}

/* Add a checked row (text: its JSON); a row whose key is already waiting
 * flushes the group first, so the later row wins as it would one by one. */
static int
group_add(struct run *u, const char *subj, const char *rkey, const char *text, size_t len,
          const char *at)
{
    int rc = 0;
    uint64_t h = key_hash(subj, rkey);
    for (size_t i = 0; i < u->ngroup && rc == 0; i++)
        if (u->keyhash[i] == h && !strcmp(u->group[i].subject, subj) &&
            !strcmp(u->group[i].record_key, rkey))
            rc = group_flush(u, at);
    if (rc)
        return rc;
    u->keyhash[u->ngroup] = h;
    u->textoff[u->ngroup] = u->gtext.n;
    yw_buf_add(&u->gtext, text, len);
    yw_buf_addc(&u->gtext, '\0');
    u->group[u->ngroup++] =
        (struct yw_dh_put){ .subject = subj, .record_key = rkey, .text = NULL, .len = len };
    if (u->ngroup == YW_DH_GROUP)
        rc = group_flush(u, at);
    return rc;
}

static void
report_error(struct run *u, int64_t line, const struct yw_err *e)
{
    u->refused++;
    if (!u->report)
        return;
    /* line,field,reason - a CSV itself */
    fprintf(u->report, "%lld,%s,\"", (long long)line, e->field);
    for (const char *p = e->msg; *p; p++)
        fputs(*p == '"' ? "\"\"" : (char[]){ *p, 0 }, u->report);
    fputs("\"\n", u->report);
}

static void
progress(struct run *u, bool final)
{
    if (!u->tty)
        return;
    int64_t now = yw_clock_mono_ns();
    if (!final && now - u->last_ns < 250000000)
        return;
    u->last_ns = now;
    double s = (double)(now - u->t0) / 1e9;
    fprintf(stderr, "\r%s %lld rows, %.0f rows/s, %lld refused%s",
            u->write ? "imported" : "checked", (long long)u->ok, s > 0 ? (double)u->ok / s : 0.0,
            (long long)u->refused, final ? "\n" : "   ");
    fflush(stderr);
}

/* One pass over the file: check every row; write it when u->write, CHUNK
 * rows a transaction (all_in_one: one transaction for the file). */
static int
pass(struct run *u, const char *path, bool all_in_one, struct yw_err *err)
{
    struct reader rd;
    int rc = reader_open(&rd, path, u->r, err);
    if (rc)
        return rc;
    json_t *cells = json_array();
    struct yw_buf cell;
    yw_buf_init(&cell);
    struct yw_arena a;
    yw_arena_init(&a, 8192);
    int64_t in_tx = 0;
    char now[32] = "";
    json_t *row;
    bool bad, flat;
    struct yw_err e = { 0 };
    struct yw_dh_flat *fl = malloc(sizeof *fl);
    if (fl == NULL)
        rc = YW_EINTERNAL;
    while (rc == 0 && (row = next_row(&rd, u->r, cells, &cell, fl, &flat, &bad, &e)) != NULL) {
        json_t *data = NULL;
        const char *subj, *rkey;
        if (!bad)
            e.field[0] = e.msg[0] = '\0';
        int crc = 1;
        /* a flat line is checked where it lies; one that needs more is parsed */
        if (flat && (crc = yw_dh__row_check_flat(&u->spec, fl, &a, &subj, &rkey, &e)) == 1) {
            e.field[0] = e.msg[0] = '\0';
            row = line_parse(&rd, &bad, &e);
        }
        if (crc == 1 && !bad)
            crc = yw_dh__row_check_spec(&u->spec, row, &a, &data, &subj, &rkey, &e);
        if (bad || crc) {
            report_error(u, rd.line, &e);
            json_decref(row);
            progress(u, false);
            continue;
        }
        if (u->write) {
            /* an NDJSON line that needed no normalising is stored as it came */
            char *dumped = !rd.csv && (data == NULL || data == row)
                               ? NULL
                               : json_dumps(data, JSON_COMPACT);
            const char *text = dumped ? dumped : rd.buf;
            if (in_tx == 0 && (rc = yw_db_begin(u->c, YW_TX_WRITE)) == 0)
                yw_dh__now(now); /* one time stamp a transaction */
            if (rc == 0)
                rc = group_add(u, subj, rkey, text, dumped ? strlen(text) : rd.len, now);
            free(dumped);
            if (rc) {
                json_decref(row);
                json_decref(data);
                break;
            }
            in_tx++;
            if (rc == 0 && !all_in_one && in_tx >= CHUNK) {
                if ((rc = group_flush(u, now)) == 0)
                    rc = yw_db_commit(u->c);
                in_tx = 0;
                yw_arena_release(&a);
                yw_arena_init(&a, 8192);
            }
        }
        json_decref(row);
        json_decref(data);
        if (rc)
            break;
        u->ok++;
        if (!u->write && u->ok % CHUNK == 0) { /* checking only: keep the arena small */
            yw_arena_release(&a);
            yw_arena_init(&a, 8192);
        }
        progress(u, false);
    }
    if (rc == 0 && in_tx)
        rc = group_flush(u, now);
    if (rc) {
        yw_fail(err, rc, "", "cannot write line %lld: %s", (long long)rd.line, yw_dbc_errmsg(u->c));
        u->ngroup = 0;
        yw_buf_reset(&u->gtext);
        if (in_tx)
            yw_db_rollback(u->c);
    } else if (in_tx) {
        rc = yw_db_commit(u->c);
    }
    free(fl);
    yw_arena_release(&a);
    yw_buf_release(&cell);
    json_decref(cells);
    reader_close(&rd);
    return rc;
}

static int
import_data(struct yw_cli *cli)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    struct yw_err err = { 0 };
    struct yw_dbc *c = yw_db_conn(cli->app->db, &err);
    if (c == NULL) {
        fprintf(stderr, "ywtb: import data: %s\n", err.msg);
        return 1;
    }
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    struct yw_dh_res r;
    const char *code = cli->args[0], *path = cli->args[1];
    rc = yw_dh__res_get(c, &a, code, &r);
    if (rc) {
        fprintf(stderr, "ywtb: import data: %s\n",
                rc == YW_ENOTFOUND ? "no such data resource" : yw_strerror(rc));
        yw_arena_release(&a);
        return 1;
    }
    const char *report_path = yw_cli_opt(cli, "errors");
    FILE *report = report_path ? fopen(report_path, "w") : stderr;
    if (report == NULL) {
        fprintf(stderr, "ywtb: import data: cannot write '%s': %s\n", report_path, strerror(errno));
        yw_arena_release(&a);
        return 1;
    }
    if (report_path)
        fputs("line,field,reason\n", report);
    bool all = yw_cli_flag(cli, "all-or-nothing");
    struct run u = {
        .c = c, .r = &r, .report = report, .tty = isatty(2) != 0, .t0 = yw_clock_mono_ns()
    };
    yw_dh__spec_init(&r, &u.spec);
    yw_buf_init(&u.gtext);
    if (all) { /* check the whole file first: nothing is written unless every row is good */
        if ((rc = pass(&u, path, true, &err)) == 0 && u.refused) {
            progress(&u, true);
            fprintf(stderr, "ywtb: import data: %lld of %lld rows refused; nothing was imported\n",
                    (long long)u.refused, (long long)(u.ok + u.refused));
            rc = 1;
            goto out;
        }
        u.ok = 0;
    }
    if (rc == 0) {
        char actor[64];
        snprintf(actor, sizeof actor, "cli:%.50s", getenv("USER") ? getenv("USER") : "operator");
        if ((rc = yw_db_begin(c, YW_TX_WRITE)) == 0) {
            rc = yw_dh__batch_open(c, &r, "cli", actor, NULL, NULL, &u.batch);
            rc = rc ? (yw_db_rollback(c), rc) : yw_db_commit(c);
        }
        u.write = true;
        u.t0 = yw_clock_mono_ns();
        if (rc == 0)
            rc = pass(&u, path, all, &err);
        /* the batch's figures and its audit record, for what was written */
        json_t *result = json_pack("{s:s, s:I, s:I}", "resource", r.code, "rows", (json_int_t)u.ok,
                                   "refused", (json_int_t)u.refused);
        int rc2 = yw_db_begin(c, YW_TX_WRITE);
        if (rc2 == 0) {
            rc2 = yw_dh__batch_close(c, &r, u.batch, u.ok, u.refused, result, actor);
            rc2 = rc2 ? (yw_db_rollback(c), rc2) : yw_db_commit(c);
        }
        json_decref(result);
        if (rc == 0)
            rc = rc2;
    }
    progress(&u, true);
    if (rc) {
        fprintf(stderr, "ywtb: import data: %s\n", err.msg[0] ? err.msg : yw_strerror(rc));
        rc = 1;
    } else {
        double s = (double)(yw_clock_mono_ns() - u.t0) / 1e9;
        printf("imported %lld rows into %s in %.1f s (%.0f rows/s); %lld refused%s%s\n",
               (long long)u.ok, r.code, s, s > 0 ? (double)u.ok / s : 0.0, (long long)u.refused,
               u.refused && report_path ? ", listed in " : "",
               u.refused && report_path ? report_path : "");
        rc = u.refused ? 3 : 0;
    }
out:
    yw_dh__spec_release(&u.spec);
    yw_buf_release(&u.gtext);
    if (report_path)
        fclose(report);
    yw_arena_release(&a);
    return rc;
}

static const struct yw_option import_options[] = {
    { "all-or-nothing", NULL, "import nothing unless every row is good" },
    { "errors", "FILE", "write refused rows (line,field,reason) to FILE instead of stderr" },
    { NULL },
};

const struct yw_command yw_dh__commands[] = {
    {
        .name = "import data",
        .summary = "stream a CSV or NDJSON file into a data resource",
        .usage = "RESOURCE FILE [--all-or-nothing] [--errors FILE] --db URL",
        .help =
            "Imports the rows of FILE into data resource RESOURCE: CSV with a header row naming\n"
            "its data items (by key or Chinese name), or NDJSON (one object a line).  Each row\n"
            "is checked (types, required items, the subject's ID number or credit code) and\n"
            "upserted by subject and record key.  Refused rows are reported (line, field,\n"
            "reason) and the rest kept; with --all-or-nothing nothing is imported unless every\n"
            "row is good.  Exit status 0: all imported; 3: some rows refused; 1: failed.\n",
        .options = import_options,
        .min_args = 2,
        .max_args = 2,
        .run = import_data,
    },
    { NULL },
};
