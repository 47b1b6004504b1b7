/*
 * readers.c - the catalog's readers for other modules (catalog.h): a
 * department, whether a department exists, an e-license type.
 *
 * Other modules used to join departments and license_types into their own
 * queries; these readers are the one way in instead.  In the server the
 * snapshot (snapshot.c) holds every department and license type, so a read
 * costs a binary search and a few string copies; without a snapshot of the
 * same database (command-line tools, unit tests) they read the tables on c.
 */
#include "catalog/internal.h"

#include <string.h>

static const char *
col_dup(struct yw_arena *a, struct yw_stmt *s, int col)
{
    return yw_arena_strdup(a, yw_db_col_text(s, col));
}

int
yw_catalog_dept(struct yw_dbc *c, struct yw_arena *a, const char *code, struct yw_catalog_dept *out)
{
    memset(out, 0, sizeof *out);
    int rc = yw_cat__snap_dept(c ? yw_dbc_db(c) : NULL, a, code, out);
    if (rc != YW_EUNAVAIL || c == NULL)
        return rc;
    if (code == NULL)
        return YW_ENOTFOUND;
    struct yw_stmt *s;
    rc = yw_db_one_row(
        c, &s,
        "SELECT code, name, name_en, short, uscc, phone, address FROM departments WHERE code = ?",
        "s", code);
    if (rc)
        return rc;
    *out = (struct yw_catalog_dept){ col_dup(a, s, 0), col_dup(a, s, 1), col_dup(a, s, 2),
                                     col_dup(a, s, 3), col_dup(a, s, 4), col_dup(a, s, 5),
                                     col_dup(a, s, 6) };
    yw_db_reset(s);
    return 0;
}

int
yw_catalog_dept_exists(struct yw_dbc *c, const char *code)
{
    int rc = yw_cat__snap_dept(c ? yw_dbc_db(c) : NULL, NULL, code, NULL);
    if (rc != YW_EUNAVAIL || c == NULL)
        return rc;
    if (code == NULL)
        return YW_ENOTFOUND;
    return yw_db_exists(c, "SELECT 1 FROM departments WHERE code = ?", "s", code);
}

int
yw_catalog_license_type(struct yw_dbc *c, struct yw_arena *a, const char *code,
                        struct yw_catalog_license_type *out)
{
    memset(out, 0, sizeof *out);
    int rc = yw_cat__snap_license_type(c ? yw_dbc_db(c) : NULL, a, code, out);
    if (rc != YW_EUNAVAIL || c == NULL)
        return rc;
    if (code == NULL)
        return YW_ENOTFOUND;
    struct yw_stmt *s;
    rc = yw_db_one_row(
        c, &s,
        "SELECT code, name, name_en, dept_code, type_code, holder, validity_years, fields "
        "FROM license_types WHERE code = ?",
        "s", code);
    if (rc)
        return rc;
    *out = (struct yw_catalog_license_type){ col_dup(a, s, 0),         col_dup(a, s, 1),
                                             col_dup(a, s, 2),         col_dup(a, s, 3),
                                             col_dup(a, s, 4),         col_dup(a, s, 5),
                                             (int)yw_db_col_int(s, 6), col_dup(a, s, 7) };
    yw_db_reset(s);
    return 0;
}
