/*
 * recon.c - the daily reconciliation (对账): the gateway's settlement file of
 * a day (CSV: order_no,trade_no,amount_fen - a header line allowed) is
 * imported, then matched by order number against the orders ywtb recorded as
 * paid through the gateway that day.  Every difference is a mismatch for
 * finance: paid_not_settled (ywtb took it as paid, the gateway did not settle
 * it), settled_not_paid (settled, but ywtb never recorded it paid) and
 * amount_differs.  Both sides are read in order-number order and merged in
 * one pass, so 100,000 lines take two index scans.  The report also exports
 * as an XLSX workbook (an XLSX is a zip of XML parts: libzip).
 *
 * The window's POS payments are reconciled the same way against the POS
 * acquirer's settlement file of the day (source "pos"; CSV:
 * terminal_ref,amount_fen[,order_no] - a header line allowed), matched by the
 * terminal reference the clerk recorded.  A day's window payments are few (a
 * counter takes hundreds, not the gateway's hundred thousand), so that file is
 * matched in memory; both land in the same report, each mismatch with its
 * source.
 */
#include "payments/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

int
yw_pay__settlement_import(struct yw_dbc *c, const char *day, const char *source, const char *csv,
                          int *lines, const struct yw_pay_actor *who, struct yw_err *err)
{
    *lines = 0;
    bool pos = !strcmp(source, "pos");
    if (csv == NULL)
        return yw_fail(err, YW_EMISSING, "csv", "the settlement file (CSV) is missing");
    int rc =
        yw_db_run(c, "DELETE FROM pay_settlements WHERE day = ? AND source = ?", "ss", day, source);
    if (rc)
        return rc;
    char now[32];
    yw_db_now_text(now);
    int lineno = 0;
    for (const char *p = csv; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        lineno++;
        char line[256];
        if (n >= sizeof line)
            return yw_fail(err, YW_EFIELD, "csv", "line %d is too long", lineno);
        memcpy(line, p, n);
        line[n] = '\0';
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        p = e ? e + 1 : p + n;
        if (n == 0 ||
            (lineno == 1 && !strncmp(line, pos ? "terminal_ref" : "order_no", pos ? 12 : 8)))
            continue;
        if (pos) {
            /* terminal_ref,amount_fen[,order_no] */
            char *a2 = strchr(line, ',');
            if (a2 == NULL)
                return yw_fail(err, YW_EFIELD, "csv", "line %d: expected terminal_ref,amount_fen",
                               lineno);
            *a2++ = '\0';
            char *a3 = strchr(a2, ',');
            if (a3)
                *a3++ = '\0';
            char *a4 = a3 ? strchr(a3, ',') : NULL;
            if (a4)
                *a4 = '\0';
            char *end = NULL;
            long long amt = strtoll(a2, &end, 10);
            if (!line[0] || strlen(line) > 64 || end == a2 || *end || amt < 0 ||
                (a3 && strlen(a3) > 40))
                return yw_fail(err, YW_EFIELD, "csv", "line %d: bad terminal reference or amount",
                               lineno);
            if ((rc = yw_db_run(c,
                                "INSERT INTO pay_settlements (day, source, order_no, trade_no, "
                                "amount_fen, imported_at) VALUES (?, 'pos', ?, ?, ?, ?)",
                                "sssis", day, a3 ? a3 : "", line, (int64_t)amt, now)))
                return rc;
            (*lines)++;
            continue;
        }
        char *f1 = line, *f2 = strchr(f1, ',');
        char *f3 = f2 ? strchr(f2 + 1, ',') : NULL;
        if (f2 == NULL || f3 == NULL)
            return yw_fail(err, YW_EFIELD, "csv", "line %d: expected order_no,trade_no,amount_fen",
                           lineno);
        *f2++ = '\0';
        *f3++ = '\0';
        char *f4 = strchr(f3, ',');
        if (f4)
            *f4 = '\0';
        char *end = NULL;
        long long amt = strtoll(f3, &end, 10);
        if (!f1[0] || strlen(f1) > 40 || strlen(f2) > 64 || end == f3 || *end || amt < 0)
            return yw_fail(err, YW_EFIELD, "csv", "line %d: bad order number or amount", lineno);
        rc = yw_db_run(c,
                       "INSERT INTO pay_settlements (day, order_no, trade_no, amount_fen, "
                       "imported_at) VALUES (?, ?, ?, ?, ?)",
                       "sssis", day, f1, f2, (int64_t)amt, now);
        if (rc)
            return rc;
        (*lines)++;
    }
    char sum[128];
    snprintf(sum, sizeof sum, "{\"day\":\"%s\",\"source\":\"%s\",\"lines\":%d}", day, source,
             *lines);
    return yw_pay__audit(c, who, "payment.settlement_import", day, sum);
}

struct side {
    struct yw_stmt *s;
    int rc;
};

static void
mismatch_of(json_t *list, const char *source, const char *kind, const char *no, const char *ref,
            int64_t ours, int64_t theirs)
{
    json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "source", source,
                                          "kind", kind, "order_no", no, "trade_no", ref, "ours_fen",
                                          (json_int_t)ours, "theirs_fen", (json_int_t)theirs));
}

static void
mismatch(json_t *list, const char *kind, const char *no, const char *ref, int64_t ours,
         int64_t theirs)
{
    mismatch_of(list, "gateway", kind, no, ref, ours, theirs);
}

/* The window's POS payments of the day against the POS settlement file:
 * matched by terminal reference, in memory (a counter's day is small). */
static int
recon_pos(struct yw_dbc *c, const char *day, json_t *list, int64_t *matched, int64_t *ours_total,
          int64_t *theirs_total)
{
    json_t *theirs = json_object();
    struct yw_stmt *b = yw_db_query(c,
                                    "SELECT trade_no, order_no, amount_fen FROM pay_settlements "
                                    "WHERE day = ? AND source = 'pos' ORDER BY id",
                                    "s", day);
    if (b == NULL) {
        json_decref(theirs);
        return YW_EDB;
    }
    int rc;
    while ((rc = yw_db_step(b)) == YW_ROW) {
        json_t *x = json_object_get(theirs, yw_db_col_text(b, 0));
        if (x) { /* the same reference twice: its amounts add up */
            json_object_set_new(x, "amount",
                                json_integer(json_integer_value(json_object_get(x, "amount")) +
                                             yw_db_col_int(b, 2)));
            continue;
        }
        json_object_set_new(theirs, yw_db_col_text(b, 0),
                            json_pack("{s:I, s:s}", "amount", (json_int_t)yw_db_col_int(b, 2),
                                      "order_no", yw_db_col_text(b, 1)));
    }
    if ((rc = yw_db_finish(b, rc))) {
        json_decref(theirs);
        return rc;
    }
    struct yw_stmt *a = yw_db_query(c,
                                    "SELECT order_no, provider_ref, paid_fen FROM pay_orders WHERE "
                                    "paid_day = ? AND channel = 'window' AND status = 'paid' "
                                    "ORDER BY order_no",
                                    "s", day);
    if (a == NULL) {
        json_decref(theirs);
        return YW_EDB;
    }
    while ((rc = yw_db_step(a)) == YW_ROW) {
        const char *no = yw_db_col_text(a, 0), *ref = yw_db_col_text(a, 1);
        int64_t x = yw_db_col_int(a, 2);
        *ours_total += x;
        json_t *t = json_object_get(theirs, ref);
        if (t == NULL) {
            mismatch_of(list, "pos", "paid_not_settled", no, ref, x, 0);
            continue;
        }
        int64_t y = json_integer_value(json_object_get(t, "amount"));
        *theirs_total += y;
        if (x != y)
            mismatch_of(list, "pos", "amount_differs", no, ref, x, y);
        else
            (*matched)++;
        json_object_del(theirs, ref);
    }
    if ((rc = yw_db_finish(a, rc))) {
        json_decref(theirs);
        return rc;
    }
    const char *ref;
    json_t *t;
    json_object_foreach(theirs, ref, t)
    {
        int64_t y = json_integer_value(json_object_get(t, "amount"));
        *theirs_total += y;
        mismatch_of(list, "pos", "settled_not_paid",
                    json_string_value(json_object_get(t, "order_no")), ref, 0, y);
    }
    json_decref(theirs);
    return 0;
}

int
yw_pay__recon(struct yw_dbc *c, const char *day, json_t **out, struct yw_err *err)
{
    *out = NULL;
    int64_t lines = 0;
    int rc =
        yw_db_one_int(c, &lines, "SELECT COUNT(*) FROM pay_settlements WHERE day = ?", "s", day);
    int64_t pos_lines = 0;
    if (rc == 0)
        rc = yw_db_one_int(c, &pos_lines,
                           "SELECT COUNT(*) FROM pay_settlements WHERE day = ? AND source = 'pos'",
                           "s", day);
    if (rc)
        return yw_fail(err, rc == YW_ENOTFOUND ? YW_EDB : rc, "", "cannot read the settlements");
    struct yw_stmt *a = yw_db_query(c,
                                    "SELECT order_no, provider_ref, paid_fen FROM pay_orders WHERE "
                                    "paid_day = ? AND channel = 'gateway' AND status = 'paid' "
                                    "ORDER BY order_no",
                                    "s", day);
    if (a == NULL)
        return yw_fail(err, YW_EDB, "", "cannot read the orders paid on %s", day);
    /* a second connection-side cursor: the settlement lines are read into
     * memory first (both engines allow only one open cursor per statement
     * cache entry, not per connection, but keep it simple and bounded) */
    struct yw_stmt *b = yw_db_query(
        c,
        "SELECT order_no, trade_no, amount_fen FROM pay_settlements WHERE day = ? AND source = "
        "'gateway' ORDER BY order_no",
        "s", day);
    if (b == NULL) {
        yw_db_reset(a);
        return yw_fail(err, YW_EDB, "", "cannot read the settlements of %s", day);
    }
    json_t *list = json_array();
    int64_t matched = 0, ours_total = 0, theirs_total = 0;
    int ra = yw_db_step(a), rb = yw_db_step(b);
    while (ra == YW_ROW || rb == YW_ROW) {
        int cmp = ra != YW_ROW   ? 1
                  : rb != YW_ROW ? -1
                                 : strcmp(yw_db_col_text(a, 0), yw_db_col_text(b, 0));
        if (cmp < 0) {
            ours_total += yw_db_col_int(a, 2);
            mismatch(list, "paid_not_settled", yw_db_col_text(a, 0), yw_db_col_text(a, 1),
                     yw_db_col_int(a, 2), 0);
            ra = yw_db_step(a);
        } else if (cmp > 0) {
            theirs_total += yw_db_col_int(b, 2);
            mismatch(list, "settled_not_paid", yw_db_col_text(b, 0), yw_db_col_text(b, 1), 0,
                     yw_db_col_int(b, 2));
            rb = yw_db_step(b);
        } else {
            int64_t x = yw_db_col_int(a, 2), y = yw_db_col_int(b, 2);
            ours_total += x;
            theirs_total += y;
            if (x != y)
                mismatch(list, "amount_differs", yw_db_col_text(a, 0), yw_db_col_text(b, 1), x, y);
            else
                matched++;
            ra = yw_db_step(a);
            rb = yw_db_step(b);
        }
    }
    rc = yw_db_finish(a, ra);
    int rc2 = yw_db_finish(b, rb);
    if (rc || rc2) {
        json_decref(list);
        return yw_fail(err, rc ? rc : rc2, "", "cannot read the reconciliation of %s", day);
    }
    int64_t gw_matched = matched, pos_matched = 0;
    if ((rc = recon_pos(c, day, list, &pos_matched, &ours_total, &theirs_total))) {
        json_decref(list);
        return yw_fail(err, rc, "", "cannot read the POS reconciliation of %s", day);
    }
    matched += pos_matched;
    *out = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:o}", "day", day, "imported", lines > 0,
                     "lines", (json_int_t)lines, "matched", (json_int_t)matched, "ours_fen",
                     (json_int_t)ours_total, "theirs_fen", (json_int_t)theirs_total, "mismatches",
                     list);
    json_object_set_new(*out, "sources",
                        json_pack("{s:{s:I, s:I}, s:{s:I, s:I}}", "gateway", "lines",
                                  (json_int_t)(lines - pos_lines), "matched",
                                  (json_int_t)gw_matched, "pos", "lines", (json_int_t)pos_lines,
                                  "matched", (json_int_t)pos_matched));
    return 0;
}

/* ---- XLSX ---- */

static void
cell_str(struct yw_buf *b, const char *s)
{
    yw_buf_adds(b, "<c t=\"inlineStr\"><is><t>");
    yw_buf_add_xml(b, s);
    yw_buf_adds(b, "</t></is></c>");
}

static void
cell_num(struct yw_buf *b, int64_t v)
{
    yw_buf_printf(b, "<c><v>%lld</v></c>", (long long)v);
}

static int
add_part(zip_t *z, const char *name, const char *text)
{
    size_t n = strlen(text);
    void *copy = malloc(n ? n : 1);
    memcpy(copy, text, n);
    zip_source_t *src = zip_source_buffer(z, copy, n, 1);
    if (src == NULL) {
        free(copy);
        return YW_EIO;
    }
    if (zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(src);
        return YW_EIO;
    }
    return 0;
}

static const char *const KIND_ZH[][2] = { { "paid_not_settled", "已缴未清算" },
                                          { "settled_not_paid", "已清算未入账" },
                                          { "amount_differs", "金额不符" } };

int
yw_pay__recon_xlsx(json_t *report, char **out, size_t *len, struct yw_err *err)
{
    struct yw_buf sh;
    yw_buf_init(&sh);
    yw_buf_adds(&sh,
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                "<sheetData>");
    yw_buf_adds(&sh, "<row>");
    cell_str(&sh, "对账日期 / Day");
    cell_str(&sh, json_string_value(json_object_get(report, "day")));
    cell_str(&sh, "一致笔数 / Matched");
    cell_num(&sh, json_integer_value(json_object_get(report, "matched")));
    yw_buf_adds(&sh, "</row><row>");
    const char *heads[] = { "差异类型 / Kind",
                            "订单号 / Order",
                            "交易号 / Trade",
                            "本方金额(分) / Ours (fen)",
                            "清算金额(分) / Settled (fen)",
                            "来源 / Source" };
    for (size_t i = 0; i < 6; i++)
        cell_str(&sh, heads[i]);
    yw_buf_adds(&sh, "</row>");
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(report, "mismatches"), i, m)
    {
        const char *kind = json_string_value(json_object_get(m, "kind"));
        char label[96];
        snprintf(label, sizeof label, "%s", kind);
        for (size_t k = 0; k < 3; k++)
            if (!strcmp(kind, KIND_ZH[k][0]))
                snprintf(label, sizeof label, "%s / %s", KIND_ZH[k][1], kind);
        yw_buf_adds(&sh, "<row>");
        cell_str(&sh, label);
        cell_str(&sh, json_string_value(json_object_get(m, "order_no")));
        cell_str(&sh, json_string_value(json_object_get(m, "trade_no")));
        cell_num(&sh, json_integer_value(json_object_get(m, "ours_fen")));
        cell_num(&sh, json_integer_value(json_object_get(m, "theirs_fen")));
        cell_str(&sh, json_string_value(json_object_get(m, "source")));
        yw_buf_adds(&sh, "</row>");
    }
    yw_buf_adds(&sh, "</sheetData></worksheet>");

    char path[] = "/tmp/ywtb-xlsx-XXXXXX";
    int fd = mkstemp(path);
    int rc = YW_EIO;
    zip_t *z = NULL;
    if (fd < 0)
        goto out;
    close(fd);
    int zerr = 0;
    if ((z = zip_open(path, ZIP_TRUNCATE, &zerr)) == NULL)
        goto out;
    if (add_part(
            z, "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            "<Default Extension=\"rels\" "
            "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            "<Override PartName=\"/xl/workbook.xml\" "
            "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
            "<Override PartName=\"/xl/worksheets/sheet1.xml\" "
            "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            "</Types>") ||
        add_part(
            z, "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            "<Relationship Id=\"rId1\" "
            "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
            "Target=\"xl/workbook.xml\"/></Relationships>") ||
        add_part(
            z, "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
            "<sheets><sheet name=\"对账差异\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>") ||
        add_part(
            z, "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            "<Relationship Id=\"rId1\" "
            "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
            "Target=\"worksheets/sheet1.xml\"/></Relationships>") ||
        add_part(z, "xl/worksheets/sheet1.xml", sh.p))
        goto out;
    if (zip_close(z) != 0)
        goto out;
    z = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        goto out;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc(size > 0 ? (size_t)size : 1);
    *len = fread(*out, 1, size > 0 ? (size_t)size : 0, f);
    fclose(f);
    rc = 0;
out:
    if (z)
        zip_discard(z);
    unlink(path);
    yw_buf_release(&sh);
    return rc ? yw_fail(err, rc, "", "cannot write the workbook") : 0;
}
