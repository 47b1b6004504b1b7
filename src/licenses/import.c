/*
 * import.c - `ywtb import licenses FILE`: licenses issued before ywtb arrive
 * in bulk, from NDJSON (one JSON object a line) or CSV (a header row; columns
 * type, holder_ident, holder_name, valid_from, valid_until, and one column per
 * field named field.KEY).  Every row is checked and signed exactly as a
 * direct issue; all rows go in one transaction, so a file with any bad row
 * imports nothing and the report names each bad row by its line.
 *
 * The SM2 signature is most of an issue's CPU, and the transaction is one
 * thread: rows go in chunks of IMPORT_CHUNK; each chunk is prepared in the
 * transaction (checks, identifiers, the documents to sign), signed on every
 * core (no database in that step), then written (rows, audit records,
 * events) in file order.  A row that fails its checks writes nothing before
 * it fails, so no savepoint is needed; once a row is bad nothing more is
 * signed or written, but every further row is still checked for the report.
 */
#include "licenses/internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT_CHUNK 512
#define IMPORT_MAX_THREADS 16

/* Split one CSV line into fields (RFC 4180 quotes; no embedded newlines). */
static int
csv_split(const char *line, char ***out)
{
    int n = 0, cap = 16;
    char **f = yw_xcalloc((size_t)cap, sizeof *f);
    const char *p = line;
    for (;;) {
        struct yw_buf b;
        yw_buf_init(&b);
        yw_buf_adds(&b, "");
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0')
                    break;
                if (*p == '"' && p[1] == '"') {
                    yw_buf_addc(&b, '"');
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    yw_buf_addc(&b, *p++);
                }
            }
        }
        while (*p && *p != ',' && *p != '\r' && *p != '\n')
            yw_buf_addc(&b, *p++);
        if (n == cap) {
            cap *= 2;
            f = yw_xrealloc(f, (size_t)cap * sizeof *f);
        }
        f[n++] = b.p;
        if (*p != ',')
            break;
        p++;
    }
    *out = f;
    return n;
}

static void
csv_free(char **f, int n)
{
    for (int i = 0; i < n; i++)
        free(f[i]);
    free(f);
}

struct import_ctx {
    FILE *in;
    FILE *report;
    bool csv;
    int64_t rows, bad;
    int threads;
};

/* One row of a chunk: the parsed row (it owns the strings `in` points to). */
struct import_row {
    json_t *row;
    struct yw_lic__issue in;
    struct yw_lic__issuing *x;
};

struct import_chunk {
    struct import_row r[IMPORT_CHUNK];
    int n;
};

struct sign_part {
    struct import_chunk *ch;
    int from, to, rc;
};

static void *
sign_part_run(void *vp)
{
    struct sign_part *sp = vp;
    for (int i = sp->from; i < sp->to && sp->rc == 0; i++)
        sp->rc = yw_lic__issue_sign(sp->ch->r[i].x);
    return NULL;
}

/* Sign every prepared row of the chunk, on up to x->threads threads (this one
 * included).  0 or YW_ECRYPTO. */
static int
chunk_sign(struct import_ctx *x, struct import_chunk *ch)
{
    int nt = x->threads < 1 ? 1 : x->threads;
    if (nt > ch->n)
        nt = ch->n > 0 ? ch->n : 1;
    struct sign_part parts[IMPORT_MAX_THREADS];
    pthread_t tid[IMPORT_MAX_THREADS];
    bool started[IMPORT_MAX_THREADS] = { false };
    for (int t = 0; t < nt; t++)
        parts[t] = (struct sign_part){ ch, ch->n * t / nt, ch->n * (t + 1) / nt, 0 };
    for (int t = 1; t < nt; t++)
        started[t] = pthread_create(&tid[t], NULL, sign_part_run, &parts[t]) == 0;
    sign_part_run(&parts[0]);
    int rc = parts[0].rc;
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            sign_part_run(&parts[t]); /* no thread: sign that share here */
        if (parts[t].rc)
            rc = parts[t].rc;
    }
    return rc;
}

static void
chunk_clear(struct import_chunk *ch)
{
    for (int i = 0; i < ch->n; i++) {
        yw_lic__issuing_free(ch->r[i].x);
        json_decref(ch->r[i].row);
    }
    ch->n = 0;
}

/* Sign and write the chunk's rows (when no row so far was bad). */
static int
chunk_flush(struct yw_dbc *c, struct import_ctx *x, struct import_chunk *ch)
{
    int rc = 0;
    if (x->bad == 0 && ch->n > 0) {
        struct yw_err err = { 0 };
        rc = chunk_sign(x, ch);
        for (int i = 0; rc == 0 && i < ch->n; i++)
            rc = yw_lic__issue_finish(c, ch->r[i].x, &err);
    }
    chunk_clear(ch);
    return rc;
}

/* Check and prepare one row; a bad row is reported and counted, not kept.
 * Takes the reference to `row`.  Non-zero only for a database failure. */
static int
row_prepare(struct yw_dbc *c, struct import_chunk *ch, json_t *row, int64_t line,
            struct import_ctx *x)
{
    struct import_row *r = &ch->r[ch->n];
    const char *valid_until = json_string_value(json_object_get(row, "valid_until"));
    r->row = row;
    r->in = (struct yw_lic__issue){
        .type_code = json_string_value(json_object_get(row, "type")),
        .holder_ident = json_string_value(json_object_get(row, "holder_ident")),
        .holder_name = json_string_value(json_object_get(row, "holder_name")),
        .fields = json_object_get(row, "fields"),
        .valid_from = json_string_value(json_object_get(row, "valid_from")),
        /* NDJSON: "" means no end; CSV: an empty cell means the type's default */
        .valid_until =
            json_object_get(row, "valid_until") && !(x->csv && valid_until && !*valid_until)
                ? (valid_until ? valid_until : "")
                : NULL,
        .source = "import",
        .actor = "import",
    };
    r->x = yw_lic__issuing_new(&r->in);
    struct yw_err err = { 0 };
    int rc = yw_lic__issue_prepare(c, r->x, &err);
    x->rows++;
    if (rc == YW_EDB || rc == YW_ERETRY) {
        yw_lic__issuing_free(r->x);
        json_decref(row);
        return rc;
    }
    if (rc) {
        x->bad++;
        if (x->report)
            fprintf(x->report, "line %lld: %s%s%s%s\n", (long long)line,
                    err.msg[0] ? err.msg : yw_strerror(rc), err.field[0] ? " (" : "", err.field,
                    err.field[0] ? ")" : "");
        yw_lic__issuing_free(r->x);
        json_decref(row);
        return 0;
    }
    ch->n++;
    return 0;
}

static int
import_tx(struct yw_dbc *c, void *vctx)
{
    struct import_ctx *x = vctx;
    rewind(x->in);
    x->rows = x->bad = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int64_t lineno = 0;
    char **header = NULL;
    int nheader = 0, rc = 0;
    struct import_chunk *ch = yw_xcalloc(1, sizeof *ch);
    while (rc == 0 && (len = getline(&line, &cap, x->in)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        json_t *row = NULL;
        if (!x->csv) {
            json_error_t je;
            row = json_loads(line, JSON_REJECT_DUPLICATES, &je);
            if (!json_is_object(row)) {
                x->bad++;
                x->rows++;
                if (x->report)
                    fprintf(x->report, "line %lld: not a JSON object: %s\n", (long long)lineno,
                            je.text);
                json_decref(row);
                continue;
            }
        } else if (header == NULL) {
            nheader = csv_split(line, &header);
            continue;
        } else {
            char **f;
            int n = csv_split(line, &f);
            row = json_object();
            json_t *fields = json_object();
            for (int i = 0; i < n && i < nheader; i++) {
                if (!strncmp(header[i], "field.", 6))
                    json_object_set_new(fields, header[i] + 6, json_string(f[i]));
                else
                    json_object_set_new(row, header[i], json_string(f[i]));
            }
            json_object_set_new(row, "fields", fields);
            if (n != nheader) {
                x->bad++;
                x->rows++;
                if (x->report)
                    fprintf(x->report, "line %lld: %d columns, the header has %d\n",
                            (long long)lineno, n, nheader);
                json_decref(row);
                csv_free(f, n);
                continue;
            }
            csv_free(f, n);
        }
        rc = row_prepare(c, ch, row, lineno, x);
        if (rc == 0 && ch->n == IMPORT_CHUNK)
            rc = chunk_flush(c, x, ch);
    }
    if (rc == 0)
        rc = chunk_flush(c, x, ch);
    chunk_clear(ch);
    free(ch);
    free(line);
    if (header)
        csv_free(header, nheader);
    if (rc)
        return rc;
    /* any bad row: nothing is imported */
    return x->bad ? YW_EINVAL : 0;
}

int
yw_lic_import(struct yw_app *app, const char *path, FILE *report, int64_t *imported,
              struct yw_err *err)
{
    *imported = 0;
    int rc = yw_lic__keys_init(app, err);
    if (rc)
        return rc;
    FILE *in = fopen(path, "r");
    if (in == NULL)
        return yw_fail(err, YW_EIO, "file", "cannot open '%s'", path);
    int first = fgetc(in);
    size_t pl = strlen(path);
    struct import_ctx x = { .in = in,
                            .report = report,
                            .csv = (pl > 4 && !strcmp(path + pl - 4, ".csv")) ||
                                   (first != '{' && first != EOF),
                            .threads = (int)sysconf(_SC_NPROCESSORS_ONLN) };
    if (x.threads > IMPORT_MAX_THREADS)
        x.threads = IMPORT_MAX_THREADS;
    rc = yw_db_tx(app->db, YW_TX_WRITE, import_tx, &x, err);
    fclose(in);
    if (rc == YW_EINVAL && x.bad)
        return yw_fail(err, YW_EINVAL, "file",
                       "%lld of %lld rows are not valid: nothing was imported", (long long)x.bad,
                       (long long)x.rows);
    if (rc == 0)
        *imported = x.rows;
    return rc;
}
