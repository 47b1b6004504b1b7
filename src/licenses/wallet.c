/*
 * wallet.c - the holder's side: licenses as the holder and staff see them,
 * reuse instead of paper (the material provider cases call), the use log the
 * holder reads (用证记录), and view grants a holder hands to a bank, a
 * landlord or another department.
 */
#include "licenses/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIC_COLS                                                                                          \
    "id, type_code, issuer_dept, holder_kind, holder_ident, holder_name, fields, issued_at, valid_from, " \
    "valid_until, status, status_reason, status_at, source, key_id, document"

/* The license on s's current row as JSON; the names of its type and issuer
 * from the catalog (names.c).  NULL with *rc set when a name cannot be read. */
static json_t *
row_json(struct yw_stmt *s, struct yw_lic_names *names, bool with_document, int *rc)
{
    const struct yw_catalog_license_type *t;
    const struct yw_catalog_dept *d;
    if ((*rc = yw_lic__names_type(names, yw_db_col_text(s, 1), &t)) ||
        (*rc = yw_lic__names_dept(names, yw_db_col_text(s, 2), &d)))
        return NULL;
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms()), until = 0;
    const char *vu = yw_db_col_text(s, 9);
    bool expired = *vu && yw_cal_parse_day(vu, &until) == 0 && today > until;
    json_t *fields = json_loads(yw_db_col_text(s, 6), 0, NULL);
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
        "id", yw_db_col_text(s, 0), "type", yw_db_col_text(s, 1), "type_name", t->name,
        "issuer_dept", yw_db_col_text(s, 2), "issuer_name", d->name, "holder", "kind",
        yw_db_col_text(s, 3), "ident", yw_db_col_text(s, 4), "name", yw_db_col_text(s, 5), "fields",
        fields ? fields : json_object(), "issued_at", yw_db_col_text(s, 7), "valid_from",
        yw_db_col_text(s, 8), "valid_until", vu, "status", yw_db_col_text(s, 10), "status_reason",
        yw_db_col_text(s, 11), "status_at", yw_db_col_text(s, 12), "source", yw_db_col_text(s, 13),
        "key_id", yw_db_col_text(s, 14), "expired", expired);
    /* usable = what a material needs: valid, in its dates */
    json_object_set_new(o, "usable",
                        json_boolean(!expired && !strcmp(yw_db_col_text(s, 10), "valid")));
    if (with_document) {
        json_t *doc = json_loads(yw_db_col_text(s, 15), 0, NULL);
        json_object_set_new(o, "document", doc ? doc : json_null());
    }
    return o;
}

int
yw_lic__license_json(struct yw_dbc *c, const char *id, bool with_document, json_t **out)
{
    *out = NULL;
    struct yw_stmt *s;
    /* only "no row" is "no such license": a failed read is the caller's 500 */
    int rc = yw_db_one_row(c, &s, "SELECT " LIC_COLS " FROM licenses WHERE id = ?", "s", id);
    if (rc)
        return rc;
    struct yw_lic_names names;
    yw_lic__names_init(&names, c);
    *out = row_json(s, &names, with_document, &rc);
    yw_db_reset(s);
    yw_lic__names_release(&names);
    return rc;
}

static int
list_row(struct yw_stmt *s, struct yw_lic_names *names, json_t *list, void *ctx)
{
    (void)ctx;
    int rc;
    json_t *o = row_json(s, names, false, &rc);
    if (rc == 0)
        json_array_append_new(list, o);
    return rc;
}

json_t *
yw_lic__list_json(struct yw_dbc *c, const char *holder, const char *type, const char *dept,
                  int64_t limit, int64_t offset)
{
    holder = holder ? holder : "";
    type = type ? type : "";
    dept = dept ? dept : "";
    /* NULL when a read fails: the caller answers 500, a failed read never looks like an empty wallet */
    return yw_lic__rows(
        c,
        yw_db_query(c,
                    "SELECT " LIC_COLS " FROM licenses WHERE (? = '' OR holder_ident = ?) "
                    "AND (? = '' OR type_code = ?) AND (? = '' OR issuer_dept = ?) "
                    "ORDER BY issued_at DESC, id LIMIT ? OFFSET ?",
                    "ssssssii", holder, holder, type, type, dept, dept, limit, offset),
        json_array(), list_row, NULL, NULL);
}

int
yw_lic__provider(struct yw_dbc *c, const char *holder, const char *license_type, json_t **evidence,
                 void *ctx)
{
    (void)ctx;
    char today[11];
    yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), today);
    /* valid, in its dates, of this holder and type - expired, revoked,
     * suspended and other holders' licenses never satisfy a material */
    char *id = NULL;
    struct yw_lic_names names;
    yw_lic__names_init(&names, c);
    int rc = yw_db_one_text(
        c, &names.arena, &id,
        "SELECT id FROM licenses WHERE holder_ident = ? AND type_code = ? AND "
        "status = 'valid' AND valid_from <= ? AND (valid_until = '' OR valid_until >= ?) "
        "ORDER BY issued_at DESC LIMIT 1",
        "ssss", holder, license_type, today, today);
    const struct yw_catalog_license_type *t;
    if (rc == 0 && (rc = yw_lic__names_type(&names, license_type, &t)) == 0)
        *evidence = json_pack("{s:s, s:s}", "ref", id, "label", t->name);
    yw_lic__names_release(&names);
    return rc;
}

int
yw_lic__log_use(struct yw_dbc *c, const char *license_id, const char *case_no, const char *dept,
                const char *material, const char *purpose, const char *actor)
{
    char now[32];
    yw_db_now_text(now);
    return yw_db_run(
        c,
        "INSERT INTO license_uses (license_id, case_no, dept_code, material_name, purpose, actor, used_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        "sssssss", license_id, case_no ? case_no : "", dept ? dept : "", material ? material : "",
        purpose, actor ? actor : "", now);
}

/* kiosk.printed (selfservice): a holder printed their own license at a kiosk;
 * it goes to the license's use log.  Another person's license, or one that
 * does not exist, logs nothing (the kiosk action stays in the audit chain). */
int
yw_lic__on_kiosk_printed(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                         struct yw_err *err)
{
    (void)name;
    (void)ctx;
    (void)err;
    const char *what = json_string_value(json_object_get(payload, "what"));
    const char *id = json_string_value(json_object_get(payload, "ref"));
    const char *ident = json_string_value(json_object_get(payload, "account_ident"));
    if (what == NULL || strcmp(what, "license") != 0 || id == NULL || ident == NULL)
        return 0;
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT holder_ident FROM licenses WHERE id = ?", "s", id);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    bool own = strcasecmp(yw_db_col_text(s, 0), ident) == 0;
    yw_db_reset(s);
    if (!own)
        return 0;
    char purpose[64], actor[24];
    snprintf(purpose, sizeof purpose, "自助打印 kiosk print (%.20s)",
             json_string_value(json_object_get(payload, "kiosk")) ?: "");
    snprintf(actor, sizeof actor, "%lld",
             (long long)json_integer_value(json_object_get(payload, "account_id")));
    return yw_lic__log_use(c, id, "", "", "", purpose, actor);
}

/* case.submitted: every license that stood in for a material goes to the
 * holder's use log (which case, which department, when, why). */
int
yw_lic__on_case_submitted(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                          struct yw_err *err)
{
    (void)name;
    (void)ctx;
    (void)err;
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(payload, "licenses_used"), i, u)
    {
        char purpose[300];
        snprintf(purpose, sizeof purpose, "办理“%s”时免于提交“%s”",
                 json_string_value(json_object_get(u, "title")) ?: "",
                 json_string_value(json_object_get(u, "material")) ?: "");
        int rc =
            yw_lic__log_use(c, json_string_value(json_object_get(u, "license_id")),
                            json_string_value(json_object_get(payload, "case_no")),
                            json_string_value(json_object_get(u, "dept")),
                            json_string_value(json_object_get(u, "material")), purpose, "system");
        if (rc)
            return rc;
    }
    return 0;
}

static int
use_row(struct yw_stmt *s, struct yw_lic_names *names, json_t *list, void *ctx)
{
    (void)ctx;
    const struct yw_catalog_dept *d;
    int rc = yw_lic__names_dept(names, yw_db_col_text(s, 2), &d);
    if (rc == 0)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "at",
                                              yw_db_col_text(s, 0), "case_no", yw_db_col_text(s, 1),
                                              "dept", yw_db_col_text(s, 2), "dept_name", d->name,
                                              "material", yw_db_col_text(s, 3), "purpose",
                                              yw_db_col_text(s, 4)));
    return rc;
}

json_t *
yw_lic__uses_json(struct yw_dbc *c, const char *license_id)
{
    /* NULL when a read fails: it never looks like "never used" */
    return yw_lic__rows(
        c,
        yw_db_query(c,
                    "SELECT used_at, case_no, dept_code, material_name, purpose FROM license_uses "
                    "WHERE license_id = ? ORDER BY id DESC LIMIT 500",
                    "s", license_id),
        json_array(), use_row, NULL, NULL);
}
