/*
 * search.c - find service items by any part of their name, guide or
 * materials, in Chinese, in the database.
 *
 * The HTTP search answers from the catalog snapshot instead (snapshot.c,
 * yw_cat__snap_search): measured on the full catalog, the FTS5 trigram phrase
 * query for a common term (营业执照, 376 of 585 items) took 43 ms and served 35
 * requests a second at 64 connections, a LIKE scan about 2 ms, while a scan of
 * the in-memory search texts takes well under a millisecond.  This path stays
 * for when no snapshot is loaded and for catalogs far larger than a district's,
 * where the indexes win.
 *
 * SQLite: queries of three or more characters use the FTS5 trigram index
 * (items_fts); shorter ones (许可, 社保 - two-character queries are common)
 * find nothing through trigrams, so they scan search_text with LIKE, which at
 * catalog size (hundreds of items) takes well under a millisecond.
 * PostgreSQL: LIKE over search_text, which the pg_trgm GIN index serves for
 * three or more characters (the database needs a UTF-8 locale).
 * Filters: department, target, type.  Sorted by popularity.
 */
#include "catalog/internal.h"

#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* '%q%' with LIKE's wildcards escaped (ESCAPE '\'). */
static char *
like_pattern(const char *q)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_addc(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            yw_buf_addc(&b, '\\');
        yw_buf_addc(&b, *p);
    }
    yw_buf_addc(&b, '%');
    return b.p;
}

/* FTS5 phrase: the query in double quotes, inner quotes doubled. */
static char *
fts_phrase(const char *q)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_addc(&b, '"');
    for (const char *p = q; *p; p++) {
        if (*p == '"')
            yw_buf_addc(&b, '"');
        yw_buf_addc(&b, *p);
    }
    yw_buf_addc(&b, '"');
    return b.p;
}

#define COLS                                                                                         \
    "i.code, i.name, i.dept_code, i.type, i.target, i.legal_days, i.promised_days, i.online_level, " \
    "i.max_visits, i.popularity"
#define FILTERS                                                                                    \
    " AND (? = '' OR i.dept_code = ?) AND (? = '' OR i.target = ?) AND (? = '' OR i.type = ?)"

int
yw_cat__search(struct yw_dbc *c, const struct yw_cat_query *q, json_t **items, int64_t *total,
               struct yw_err *err)
{
    const char *text = q->q ? q->q : "";
    size_t chars = yw_utf8_len(text, strlen(text));
    bool sqlite = yw_db_engine(yw_dbc_db(c)) == YW_DB_SQLITE;
    const char *sql, *count_sql;
    char *arg = NULL;
    if (chars == 0) {
        sql = "SELECT " COLS " FROM items i WHERE i.is_current = 1" FILTERS
              " ORDER BY i.popularity DESC, i.code LIMIT ? OFFSET ?";
        count_sql = "SELECT COUNT(*) FROM items i WHERE i.is_current = 1" FILTERS;
    } else if (sqlite && chars >= 3) {
        arg = fts_phrase(text);
        sql = "SELECT " COLS
              " FROM items_fts f JOIN items i ON i.id = f.rowid WHERE items_fts MATCH ? "
              "AND i.is_current = 1" FILTERS " ORDER BY i.popularity DESC, i.code LIMIT ? OFFSET ?";
        count_sql =
            "SELECT COUNT(*) FROM items_fts f JOIN items i ON i.id = f.rowid WHERE items_fts MATCH ? "
            "AND i.is_current = 1" FILTERS;
    } else {
        arg = like_pattern(text);
        sql = "SELECT " COLS
              " FROM items i WHERE i.search_text LIKE ? ESCAPE '\\' AND i.is_current = 1" FILTERS
              " ORDER BY i.popularity DESC, i.code LIMIT ? OFFSET ?";
        count_sql =
            "SELECT COUNT(*) FROM items i WHERE i.search_text LIKE ? ESCAPE '\\' AND i.is_current = 1" FILTERS;
    }
    const char *dept = q->dept ? q->dept : "", *target = q->target ? q->target : "",
               *type = q->type ? q->type : "";
    int rc = 0;
    json_t *list = json_array();
    for (int pass = 0; pass < 2; pass++) {
        struct yw_stmt *s = yw_db_prepare(c, pass == 0 ? sql : count_sql);
        if (s == NULL) {
            rc = YW_EDB;
            break;
        }
        int i = 1;
        if (arg)
            yw_db_bind_str(s, i++, arg);
        yw_db_bind_str(s, i++, dept);
        yw_db_bind_str(s, i++, dept);
        yw_db_bind_str(s, i++, target);
        yw_db_bind_str(s, i++, target);
        yw_db_bind_str(s, i++, type);
        yw_db_bind_str(s, i++, type);
        if (pass == 0) {
            yw_db_bind_int(s, i++, q->limit);
            yw_db_bind_int(s, i++, q->offset);
        }
        while ((rc = yw_db_step(s)) == YW_ROW) {
            if (pass == 1) {
                *total = yw_db_col_int(s, 0);
                continue;
            }
            char dn[128];
            yw_cat__snap_dept_name(yw_db_col_text(s, 2), dn, sizeof dn);
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "code",
                                yw_db_col_text(s, 0), "name", yw_db_col_text(s, 1), "dept",
                                yw_db_col_text(s, 2), "dept_name", dn, "type", yw_db_col_text(s, 3),
                                "target", yw_db_col_text(s, 4), "legal_days",
                                (json_int_t)yw_db_col_int(s, 5), "promised_days",
                                (json_int_t)yw_db_col_int(s, 6), "online_level",
                                (json_int_t)yw_db_col_int(s, 7), "max_visits",
                                (json_int_t)yw_db_col_int(s, 8), "popularity",
                                (json_int_t)yw_db_col_int(s, 9)));
        }
        if ((rc = yw_db_finish(s, rc)))
            break;
    }
    free(arg);
    if (rc) {
        json_decref(list);
        return yw_fail(err, rc, "q", "the search failed");
    }
    *items = list;
    return 0;
}
