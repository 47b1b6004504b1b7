/*
 * commands.c - supervision's `ywtb` commands:
 *
 *   ywtb import credit FILE --db URL
 *       credit records from another system (a department's list of 失信
 *       entities, the national credit platform's feed) as NDJSON, one record
 *       a line, or CSV with a header row, in the fields of POST
 *       /api/v1/credit/records.  All rows or none: every bad row is reported
 *       with its line number and field, and then nothing is written.
 */
#include "supervision/internal.h"

#include "core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXCOLS 16
static const char *const FIELDS[] = {
    "subject_ident", "subject_name", "kind",       "category", "dept",
    "basis",         "measures",     "valid_from", "valid_to", NULL
};

/* Split one CSV line (RFC 4180 quotes, no embedded newlines) into cols, in place. */
static int
csv_split(char *line, char **cols, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        char *out = p, *start = p;
        if (*p == '"') {
            start = out = ++p;
            for (;;) {
                if (*p == '\0')
                    break;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',')
                p++;
            out = p;
        }
        char sep = *p;
        *out = '\0';
        cols[n++] = start;
        if (sep != ',')
            break;
        p++;
    }
    return n;
}

struct import {
    const char *path;
    struct yw_buf errors;
    int64_t rows, bad;
};

static const char *
jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int
import_row(struct yw_dbc *c, struct import *im, int64_t line, json_t *o)
{
    struct yw_sup_record r = { jstr(o, "subject_ident"), jstr(o, "subject_name"),
                               jstr(o, "kind"),          jstr(o, "category"),
                               jstr(o, "dept"),          jstr(o, "basis"),
                               jstr(o, "measures"),      jstr(o, "valid_from"),
                               jstr(o, "valid_to") };
    struct yw_err err = { 0 };
    int64_t id = 0;
    int rc = yw_sup__credit_add(c, &r, 0, &id, &err);
    if (rc == YW_EFIELD || rc == YW_EMISSING) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s:%lld: %s: %s\n", im->path, (long long)line,
                 err.field[0] ? err.field : "row", err.msg);
        yw_buf_adds(&im->errors, msg);
        im->bad++;
        return 0;
    }
    im->rows += rc == 0;
    return rc;
}

static int
import_tx(struct yw_dbc *c, void *ctx)
{
    struct import *im = ctx;
    yw_buf_reset(&im->errors);
    im->rows = im->bad = 0;
    FILE *f = fopen(im->path, "r");
    if (f == NULL)
        return YW_EIO;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int64_t lineno = 0;
    int rc = 0, ncols = 0;
    char *head[MAXCOLS];
    char *headbuf = NULL;
    bool csv = false;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *s = line;
        if (lineno == 1 && !strncmp(s, "\xEF\xBB\xBF", 3)) /* a BOM from a spreadsheet */
            s += 3;
        if (*s == '\0')
            continue;
        if (lineno == 1 && *s != '{') { /* a CSV header */
            csv = true;
            headbuf = strdup(s);
            ncols = csv_split(headbuf, head, MAXCOLS);
            continue;
        }
        json_t *o;
        if (csv) {
            char *cols[MAXCOLS];
            int k = csv_split(s, cols, MAXCOLS);
            o = json_object();
            for (int i = 0; i < k && i < ncols; i++)
                for (const char *const *fl = FIELDS; *fl; fl++)
                    if (!strcmp(head[i], *fl) && cols[i][0])
                        json_object_set_new(o, *fl, json_string(cols[i]));
        } else {
            json_error_t je;
            o = json_loads(s, JSON_REJECT_DUPLICATES, &je);
            if (!json_is_object(o)) {
                char msg[300];
                snprintf(msg, sizeof msg, "%s:%lld: not a JSON object: %s\n", im->path,
                         (long long)lineno, je.text);
                yw_buf_adds(&im->errors, msg);
                im->bad++;
                json_decref(o);
                continue;
            }
        }
        rc = import_row(c, im, lineno, o);
        json_decref(o);
    }
    free(line);
    free(headbuf);
    fclose(f);
    if (rc == 0 && im->bad)
        rc = YW_EINVAL; /* roll back: all rows or none */
    return rc;
}

static int
import_credit(struct yw_cli *cli)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    struct import im = { .path = cli->args[0] };
    yw_buf_init(&im.errors);
    struct yw_err err = { 0 };
    rc = yw_db_tx(cli->app->db, YW_TX_WRITE, import_tx, &im, &err);
    if (im.errors.n)
        fwrite(im.errors.p, 1, im.errors.n, stderr);
    if (rc == YW_EIO)
        fprintf(stderr, "ywtb: cannot read '%s'\n", im.path);
    else if (rc == YW_EINVAL)
        fprintf(stderr, "ywtb: %lld bad rows: nothing imported\n", (long long)im.bad);
    else if (rc)
        fprintf(stderr, "ywtb: import: %s\n", err.msg[0] ? err.msg : yw_strerror(rc));
    else
        printf("imported %lld credit records\n", (long long)im.rows);
    yw_buf_release(&im.errors);
    return rc ? 1 : 0;
}

const struct yw_command yw_sup_commands[] = {
    {
        .name = "import credit",
        .summary = "import credit records (信用记录) from NDJSON or CSV, all rows or none",
        .usage = "FILE --db URL",
        .help =
            "Imports credit records from NDJSON ({subject_ident, subject_name, kind, category,\n"
            "dept, basis, measures, valid_from, valid_to} a line) or CSV with a header row of\n"
            "those names.  kind is dishonest (失信) or honest (守信); subject_ident a resident ID\n"
            "number or unified social credit code; dept a department of the catalog.  All rows\n"
            "or none: every bad row is reported with its line number and field.\n",
        .min_args = 1,
        .max_args = 1,
        .run = import_credit,
    },
    { NULL },
};
