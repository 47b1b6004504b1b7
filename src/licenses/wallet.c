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

#define LIC_COLS "l.id, l.type_code, COALESCE(t.name, ''), l.issuer_dept, COALESCE(d.name, ''), l.holder_kind, " \
                 "l.holder_ident, l.holder_name, l.fields, l.issued_at, l.valid_from, l.valid_until, l.status, "   \
                 "l.status_reason, l.status_at, l.source, l.key_id, l.document"

static json_t *
row_json(struct yw_stmt *s, bool with_document)
{
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms()), until = 0;
    const char *vu = yw_db_col_text(s, 11);
    bool expired = *vu && yw_cal_parse_day(vu, &until) == 0 && today > until;
    json_t *fields = json_loads(yw_db_col_text(s, 8), 0, NULL);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
                          "id", yw_db_col_text(s, 0), "type", yw_db_col_text(s, 1), "type_name", yw_db_col_text(s, 2),
                          "issuer_dept", yw_db_col_text(s, 3), "issuer_name", yw_db_col_text(s, 4), "holder", "kind",
                          yw_db_col_text(s, 5), "ident", yw_db_col_text(s, 6), "name", yw_db_col_text(s, 7), "fields",
                          fields ? fields : json_object(), "issued_at", yw_db_col_text(s, 9), "valid_from",
                          yw_db_col_text(s, 10), "valid_until", vu, "status", yw_db_col_text(s, 12), "status_reason",
                          yw_db_col_text(s, 13), "status_at", yw_db_col_text(s, 14), "source", yw_db_col_text(s, 15),
                          "key_id", yw_db_col_text(s, 16), "expired", expired);
    /* usable = what a material needs: valid, in its dates */
    json_object_set_new(o, "usable", json_boolean(!expired && !strcmp(yw_db_col_text(s, 12), "valid")));
    if (with_document) {
        json_t *doc = json_loads(yw_db_col_text(s, 17), 0, NULL);
        json_object_set_new(o, "document", doc ? doc : json_null());
    }
    return o;
}

int
yw_lic_license_json(struct yw_dbc *c, const char *id, bool with_document, json_t **out)
{
    *out = NULL;
    struct yw_stmt *s = yw_db_prepare(c, "SELECT " LIC_COLS " FROM licenses l LEFT JOIN license_types t ON t.code = l.type_code "
                                         "LEFT JOIN departments d ON d.code = l.issuer_dept WHERE l.id = ?");
    if (s == NULL)
        return YW_EDB;
    yw_db_bind_str(s, 1, id);
    int rc = yw_db_step(s);
    if (rc == YW_ROW)
        *out = row_json(s, with_document);
    yw_db_reset(s);
    /* only "no row" is "no such license": a failed read is the caller's 500 */
    return rc == YW_ROW ? 0 : rc == YW_DONE ? YW_ENOTFOUND : (rc < 0 ? rc : YW_EDB);
}

json_t *
yw_lic_list_json(struct yw_dbc *c, const char *holder, const char *type, const char *dept, int64_t limit, int64_t offset)
{
    struct yw_stmt *s = yw_db_prepare(c, "SELECT " LIC_COLS " FROM licenses l LEFT JOIN license_types t ON t.code = l.type_code "
                                         "LEFT JOIN departments d ON d.code = l.issuer_dept WHERE (? = '' OR l.holder_ident = ?) "
                                         "AND (? = '' OR l.type_code = ?) AND (? = '' OR l.issuer_dept = ?) "
                                         "ORDER BY l.issued_at DESC, l.id LIMIT ? OFFSET ?");
    if (s == NULL)
        return NULL;
    yw_db_bind_str(s, 1, holder ? holder : "");
    yw_db_bind_str(s, 2, holder ? holder : "");
    yw_db_bind_str(s, 3, type ? type : "");
    yw_db_bind_str(s, 4, type ? type : "");
    yw_db_bind_str(s, 5, dept ? dept : "");
    yw_db_bind_str(s, 6, dept ? dept : "");
    yw_db_bind_int(s, 7, limit);
    yw_db_bind_int(s, 8, offset);
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, row_json(s, false));
    yw_db_reset(s);
    if (rc != YW_DONE) {
        json_decref(list);
        return NULL; /* the caller answers 500: a failed read never looks like an empty wallet */
    }
    return list;
}

int
yw_lic_provider(struct yw_dbc *c, const char *holder, const char *license_type, json_t **evidence, void *ctx)
{
    (void)ctx;
    char today[11];
    yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), today);
    /* valid, in its dates, of this holder and type - expired, revoked,
     * suspended and other holders' licenses never satisfy a material */
    struct yw_stmt *s = yw_db_prepare(c, "SELECT l.id, COALESCE(t.name, '') FROM licenses l LEFT JOIN license_types t "
                                         "ON t.code = l.type_code WHERE l.holder_ident = ? AND l.type_code = ? AND "
                                         "l.status = 'valid' AND l.valid_from <= ? AND (l.valid_until = '' OR l.valid_until >= ?) "
                                         "ORDER BY l.issued_at DESC LIMIT 1");
    if (s == NULL)
        return YW_EDB;
    yw_db_bind_str(s, 1, holder);
    yw_db_bind_str(s, 2, license_type);
    yw_db_bind_str(s, 3, today);
    yw_db_bind_str(s, 4, today);
    int rc = yw_db_step(s);
    if (rc == YW_ROW)
        *evidence = json_pack("{s:s, s:s}", "ref", yw_db_col_text(s, 0), "label", yw_db_col_text(s, 1));
    yw_db_reset(s);
    return rc == YW_ROW ? 0 : (rc < 0 ? rc : YW_ENOTFOUND);
}

int
yw_lic_log_use(struct yw_dbc *c, const char *license_id, const char *case_no, const char *dept, const char *material,
               const char *purpose, const char *actor)
{
    char now[32];
    yw_db_now_text(now);
    struct yw_stmt *s = yw_db_prepare(c, "INSERT INTO license_uses (license_id, case_no, dept_code, material_name, purpose, "
                                         "actor, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (s == NULL)
        return YW_EDB;
    yw_db_bind_str(s, 1, license_id);
    yw_db_bind_str(s, 2, case_no ? case_no : "");
    yw_db_bind_str(s, 3, dept ? dept : "");
    yw_db_bind_str(s, 4, material ? material : "");
    yw_db_bind_str(s, 5, purpose);
    yw_db_bind_str(s, 6, actor ? actor : "");
    yw_db_bind_str(s, 7, now);
    int rc = yw_db_step(s);
    yw_db_reset(s);
    return rc == YW_DONE ? 0 : (rc < 0 ? rc : YW_EDB);
}

/* case.submitted: every license that stood in for a material goes to the
 * holder's use log (which case, which department, when, why). */
int
yw_lic_on_case_submitted(struct yw_dbc *c, const char *name, json_t *payload, void *ctx, struct yw_err *err)
{
    (void)name;
    (void)ctx;
    (void)err;
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(payload, "licenses_used"), i, u)
    {
        char purpose[300];
        snprintf(purpose, sizeof purpose, "办理“%s”时免于提交“%s”", json_string_value(json_object_get(u, "title")) ?: "",
                 json_string_value(json_object_get(u, "material")) ?: "");
        int rc = yw_lic_log_use(c, json_string_value(json_object_get(u, "license_id")),
                                json_string_value(json_object_get(payload, "case_no")),
                                json_string_value(json_object_get(u, "dept")), json_string_value(json_object_get(u, "material")),
                                purpose, "system");
        if (rc)
            return rc;
    }
    return 0;
}

json_t *
yw_lic_uses_json(struct yw_dbc *c, const char *license_id)
{
    struct yw_stmt *s = yw_db_prepare(c, "SELECT u.used_at, u.case_no, u.dept_code, COALESCE(d.name, ''), u.material_name, "
                                         "u.purpose FROM license_uses u LEFT JOIN departments d ON d.code = u.dept_code "
                                         "WHERE u.license_id = ? ORDER BY u.id DESC LIMIT 500");
    if (s == NULL)
        return NULL;
    yw_db_bind_str(s, 1, license_id);
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "at", yw_db_col_text(s, 0), "case_no",
                                              yw_db_col_text(s, 1), "dept", yw_db_col_text(s, 2), "dept_name",
                                              yw_db_col_text(s, 3), "material", yw_db_col_text(s, 4), "purpose",
                                              yw_db_col_text(s, 5)));
    yw_db_reset(s);
    if (rc != YW_DONE) {
        json_decref(list);
        return NULL; /* a failed read never looks like "never used" */
    }
    return list;
}
