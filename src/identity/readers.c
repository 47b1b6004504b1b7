/*
 * readers.c - identity's readers for other modules (identity.h): an account
 * with its profile (by id, or by ID number / credit code), a staff member's
 * department, and enterprise agents.
 *
 * Cases used to join accounts, profiles and enterprise_agents into its own
 * queries; these are the one way in instead, so identity can change its
 * tables without reading the rest of the tree.
 */
#include "identity/identity.h"

#include <string.h>

static const char *
col_dup(struct yw_arena *a, struct yw_stmt *s, int col)
{
    return yw_arena_strdup(a, yw_db_col_text(s, col));
}

int
yw_ident_account_get(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_ident_account *out)
{
    memset(out, 0, sizeof *out);
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s,
        "SELECT a.id, a.kind, a.login, a.name, a.phone, a.status, a.dept_code, COALESCE(p.id_number, e.uscc, ''), "
        "COALESCE(p.sex, ''), COALESCE(p.birth_date, ''), COALESCE(p.realname_level, e.realname_level, 0), "
        "COALESCE(e.legal_rep_name, ''), COALESCE(e.legal_rep_id, ''), a.phone_verified "
        "FROM accounts a LEFT JOIN person_profiles p ON p.account_id = a.id "
        "LEFT JOIN enterprise_profiles e ON e.account_id = a.id WHERE a.id = ?",
        "i", id);
    if (rc)
        return rc;
    *out = (struct yw_ident_account){ .id = yw_db_col_int(s, 0),
                                      .kind = col_dup(a, s, 1),
                                      .login = col_dup(a, s, 2),
                                      .name = col_dup(a, s, 3),
                                      .phone = col_dup(a, s, 4),
                                      .status = col_dup(a, s, 5),
                                      .dept_code = col_dup(a, s, 6),
                                      .ident = col_dup(a, s, 7),
                                      .sex = col_dup(a, s, 8),
                                      .birth_date = col_dup(a, s, 9),
                                      .realname_level = (int)yw_db_col_int(s, 10),
                                      .legal_rep_name = col_dup(a, s, 11),
                                      .legal_rep_id = col_dup(a, s, 12),
                                      .phone_verified = yw_db_col_text(s, 4)[0] != '\0' &&
                                                        !strcmp(yw_db_col_text(s, 4),
                                                                yw_db_col_text(s, 13)) };
    yw_db_reset(s);
    return 0;
}

int
yw_ident_account_by_ident(struct yw_dbc *c, struct yw_arena *a, const char *ident,
                          struct yw_ident_account *out)
{
    memset(out, 0, sizeof *out);
    int64_t id = 0;
    int rc = yw_db_one_int(
        c, &id, "SELECT id FROM accounts WHERE login = ? AND kind IN ('person', 'enterprise')", "s",
        ident);
    return rc ? rc : yw_ident_account_get(c, a, id, out);
}

int
yw_ident_staff_dept(struct yw_dbc *c, struct yw_arena *a, int64_t id, const char **dept)
{
    *dept = NULL;
    char *d = NULL;
    int rc = yw_db_one_text(
        c, a, &d, "SELECT dept_code FROM accounts WHERE id = ? AND kind = 'staff'", "i", id);
    if (rc == 0)
        *dept = d;
    return rc;
}

int
yw_ident_agent_active(struct yw_dbc *c, int64_t enterprise_id, int64_t agent_id)
{
    return yw_db_exists(
        c,
        "SELECT 1 FROM enterprise_agents WHERE enterprise_id = ? AND agent_id = ? AND revoked_at = ''",
        "ii", enterprise_id, agent_id);
}

int
yw_ident_agent_enterprises(struct yw_dbc *c, struct yw_arena *a, int64_t agent_id, int64_t **ids,
                           size_t *n)
{
    *ids = NULL;
    *n = 0;
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT enterprise_id FROM enterprise_agents WHERE agent_id = ? AND revoked_at = '' "
        "ORDER BY enterprise_id",
        "i", agent_id);
    if (s == NULL)
        return YW_EDB;
    size_t cap = 0, len = 0;
    int64_t *v = NULL;
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 8;
            int64_t *bigger = yw_arena_alloc(a, cap * sizeof *bigger);
            if (len)
                memcpy(bigger, v, len * sizeof *v);
            v = bigger;
        }
        v[len++] = yw_db_col_int(s, 0);
    }
    rc = yw_db_finish(s, rc);
    if (rc)
        return rc;
    *ids = v;
    *n = len;
    return 0;
}
