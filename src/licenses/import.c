/*
 * import.c - `ywtb import licenses FILE`: licenses issued before ywtb arrive
 * in bulk, from NDJSON (one JSON object a line) or CSV (a header row; columns
 * type, holder_ident, holder_name, valid_from, valid_until, and one column per
 * field named field.KEY).  Every row is checked and signed exactly as a
 * direct issue; all rows go in one transaction, so a file with any bad row
 * imports nothing and the report names each bad row by its line.
 *
 * The SM2 signature is most of an issue's CPU (~0.4 of its ~0.5 ms), and the
 * transaction is one thread: rows go in chunks of IMPORT_CHUNK through three
 * stages - prepared in the transaction (checks, identifiers, the documents to
 * sign), signed on every core (no database), written (rows, audit records,
 * events) in file order - as a pipeline: while the signing threads sign chunk
 * i, this thread writes chunk i-1 and prepares chunk i+1, so the database
 * work hides behind the signatures.  A row that fails its checks writes
 * nothing before it fails, so no savepoint is needed; once a row is bad
 * nothing more is signed or written, but every further row is still checked
 * for the report.
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

/* The signing of one chunk, on up to IMPORT_MAX_THREADS threads. */
struct signing {
    struct sign_part parts[IMPORT_MAX_THREADS];
    pthread_t tid[IMPORT_MAX_THREADS];
    bool started[IMPORT_MAX_THREADS];
    int nt;
};

static void
sign_start(struct signing *sg, struct import_ctx *x, struct import_chunk *ch)
{
    int nt = x->threads < 1 ? 1 : x->threads;
    if (nt > ch->n)
        nt = ch->n > 0 ? ch->n : 1;
    sg->nt = nt;
    for (int t = 0; t < nt; t++) {
        sg->parts[t] = (struct sign_part){ ch, ch->n * t / nt, ch->n * (t + 1) / nt, 0 };
        sg->started[t] = pthread_create(&sg->tid[t], NULL, sign_part_run, &sg->parts[t]) == 0;
    }
}

/* Wait for the chunk's signatures: 0 or YW_ECRYPTO.  A share whose thread
 * could not start is signed here. */
static int
sign_join(struct signing *sg)
{
    int rc = 0;
    for (int t = 0; t < sg->nt; t++) {
        if (sg->started[t])
            pthread_join(sg->tid[t], NULL);
        else
            sign_part_run(&sg->parts[t]);
        if (sg->parts[t].rc)
            rc = sg->parts[t].rc;
    }
    sg->nt = 0;
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

/* Write the signed chunk's rows (when no row so far was bad). */
static int
chunk_write(struct yw_dbc *c, struct import_ctx *x, struct import_chunk *ch)
{
    int rc = 0;
    struct yw_err err = { 0 };
    for (int i = 0; x->bad == 0 && rc == 0 && i < ch->n; i++)
        rc = yw_lic__issue_finish(c, ch->r[i].x, &err);
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

/* The file as it is read: the line buffer, the line number, a CSV header. */
struct reader {
    char *line;
    size_t cap;
    int64_t lineno;
    char **header;
    int nheader;
    bool eof;
};

/* The next row of the file as a JSON object, or NULL at the end.  A line
 * that is not a row is reported, counted as bad and skipped. */
static json_t *
next_row(struct import_ctx *x, struct reader *rd)
{
    ssize_t len;
    while (!rd->eof) {
        if ((len = getline(&rd->line, &rd->cap, x->in)) < 0) {
            rd->eof = true;
            break;
        }
        char *line = rd->line;
        rd->lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        if (!x->csv) {
            json_error_t je;
            json_t *row = json_loads(line, JSON_REJECT_DUPLICATES, &je);
            if (json_is_object(row))
                return row;
            x->bad++;
            x->rows++;
            if (x->report)
                fprintf(x->report, "line %lld: not a JSON object: %s\n", (long long)rd->lineno,
                        je.text);
            json_decref(row);
            continue;
        }
        if (rd->header == NULL) {
            rd->nheader = csv_split(line, &rd->header);
            continue;
        }
        char **f;
        int n = csv_split(line, &f);
        json_t *row = json_object();
        json_t *fields = json_object();
        for (int i = 0; i < n && i < rd->nheader; i++) {
            if (!strncmp(rd->header[i], "field.", 6))
                json_object_set_new(fields, rd->header[i] + 6, json_string(f[i]));
            else
                json_object_set_new(row, rd->header[i], json_string(f[i]));
        }
        json_object_set_new(row, "fields", fields);
        csv_free(f, n);
        if (n == rd->nheader)
            return row;
        x->bad++;
        x->rows++;
        if (x->report)
            fprintf(x->report, "line %lld: %d columns, the header has %d\n", (long long)rd->lineno,
                    n, rd->nheader);
        json_decref(row);
    }
    return NULL;
}

/* Read and prepare rows into ch until it is full or the file ends. */
static int
chunk_prepare(struct yw_dbc *c, struct import_ctx *x, struct reader *rd, struct import_chunk *ch)
{
    int rc = 0;
    json_t *row;
    while (rc == 0 && ch->n < IMPORT_CHUNK && (row = next_row(x, rd)) != NULL)
        rc = row_prepare(c, ch, row, rd->lineno, x);
    return rc;
}

static int
import_tx(struct yw_dbc *c, void *vctx)
{
    struct import_ctx *x = vctx;
    rewind(x->in);
    x->rows = x->bad = 0;
    struct reader rd = { 0 };
    /* three chunks in turn: written (i-1), signed (i), prepared (i+1) */
    struct import_chunk *ch[3];
    for (int k = 0; k < 3; k++)
        ch[k] = yw_xcalloc(1, sizeof *ch[k]);
    struct signing sg = { 0 };
    int rc = chunk_prepare(c, x, &rd, ch[0]);
    for (int i = 0; rc == 0 && ch[i % 3]->n > 0; i++) {
        struct import_chunk *signing = ch[i % 3], *written = ch[(i + 2) % 3],
                            *next = ch[(i + 1) % 3];
        if (x->bad == 0)
            sign_start(&sg, x, signing);
        rc = chunk_write(c, x, written); /* empty on the first turn */
        if (rc == 0)
            rc = chunk_prepare(c, x, &rd, next);
        if (sg.nt > 0 && sign_join(&sg) != 0 && rc == 0)
            rc = YW_ECRYPTO;
        if (x->bad)
            chunk_clear(signing); /* nothing will be imported: not written */
    }
    /* the chunk signed last is the one not yet written (the others are empty) */
    for (int k = 0; k < 3 && rc == 0; k++)
        rc = chunk_write(c, x, ch[k]);
    for (int k = 0; k < 3; k++) {
        chunk_clear(ch[k]);
        free(ch[k]);
    }
    free(rd.line);
    if (rd.header)
        csv_free(rd.header, rd.nheader);
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
