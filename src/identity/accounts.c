/*
 * accounts.c - creating and reading accounts (staff here; citizens and
 * companies register through register.c).
 */
#include "identity/identity.h"
#include "identity/internal.h"
#include "identity/settings.h"

#include "catalog/catalog.h"
#include "core/crypto.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int
yw_ident_password_check(const char *pw, const char *field, struct yw_err *err)
{
    size_t n = strlen(pw);
    if (!yw_utf8_valid(pw, n))
        return yw_fail(err, YW_EUTF8, field, "the password is not valid text");
    size_t chars = yw_utf8_len(pw, n);
    if (chars < 8)
        return yw_fail(err, YW_EFIELD, field, "the password must have at least 8 characters");
    if (chars > 128)
        return yw_fail(err, YW_EFIELD, field, "the password must have at most 128 characters");
    int lower = 0, upper = 0, digit = 0, other = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (islower(*p))
            lower = 1;
        else if (isupper(*p))
            upper = 1;
        else if (isdigit(*p))
            digit = 1;
        else
            other = 1;
    }
    if (lower + upper + digit + other < 2)
        return yw_fail(
            err, YW_EFIELD, field,
            "the password must mix at least two of: lower case, upper case, digits, symbols");
    return 0;
}

int
yw_ident_password_hash(struct yw_app *app, const char *password, char out[128])
{
    const struct yw_ident_settings *cfg = yw_ident_cfg(app);
    return yw_password_hash(password, strlen(password), (unsigned long long)cfg->pwhash_ops,
                            (size_t)cfg->pwhash_mem, out);
}

static bool
valid_username(const char *u)
{
    size_t n = strlen(u);
    if (n < 3 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = u[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static bool
valid_dept(const char *d)
{
    size_t n = strlen(d);
    if (n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)d[i]) && d[i] != '-' && d[i] != '_')
            return false;
    return true;
}

struct staff_tx {
    const struct yw_ident_staff *s;
    const char *hash;
    const char *roles; /* normalised */
    const char *actor;
    int64_t id;
};

static int
staff_insert(struct yw_dbc *c, void *ctx)
{
    struct staff_tx *t = ctx;
    char now[32];
    yw_db_now_text(now);
    /* a staff member belongs to a department of the catalog, or to none (admin) */
    if (t->s->check_dept && t->s->dept && t->s->dept[0]) {
        int drc = yw_catalog_dept_exists(c, t->s->dept);
        if (drc == YW_ENOTFOUND)
            return YW_EFIELD;
        if (drc)
            return drc;
    }
    int rc =
        yw_db_one_int(c, &t->id,
                      "INSERT INTO accounts (kind, login, name, dept_code, roles, password_hash, "
                      "created_at, updated_at) VALUES ('staff', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      "sssssss", t->s->username, t->s->name, t->s->dept ? t->s->dept : "", t->roles,
                      t->hash, now, now);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    char id[24], summary[512];
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"kind\":\"staff\",\"username\":");
    yw_buf_add_json_str(&b, t->s->username, strlen(t->s->username));
    yw_buf_adds(&b, ",\"roles\":");
    yw_buf_add_json_str(&b, t->roles, strlen(t->roles));
    yw_buf_adds(&b, ",\"dept\":");
    yw_buf_add_json_str(&b, t->s->dept ? t->s->dept : "", strlen(t->s->dept ? t->s->dept : ""));
    yw_buf_adds(&b, "}");
    snprintf(summary, sizeof summary, "%s", b.p);
    yw_buf_release(&b);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = t->actor,
                                                     .role = "admin",
                                                     .action = "account.create",
                                                     .obj_type = "account",
                                                     .obj_id = id,
                                                     .summary = summary });
}

int
yw_ident_staff_add(struct yw_app *app, const struct yw_ident_staff *s, const char *actor,
                   int64_t *id_out, struct yw_err *err)
{
    if (s->username == NULL || !valid_username(s->username))
        return yw_fail(err, YW_EFIELD, "username",
                       "the username must be 3 to 32 characters of a-z, 0-9, '.', '_' or '-'");
    if (s->name == NULL || s->name[0] == '\0' || !yw_utf8_valid(s->name, strlen(s->name)) ||
        yw_utf8_len(s->name, strlen(s->name)) > 64)
        return yw_fail(err, YW_EFIELD, "name", "the name must be 1 to 64 characters");
    if (s->dept && !valid_dept(s->dept))
        return yw_fail(err, YW_EFIELD, "dept", "the department code '%s' is not valid", s->dept);
    if (s->password == NULL)
        return yw_fail(err, YW_EMISSING, "password", "a password is required");
    int rc = yw_ident_password_check(s->password, "password", err);
    if (rc)
        return rc;
    uint32_t bits;
    char bad[64];
    if (s->roles == NULL || yw_roles_parse_list(s->roles, &bits, bad) != 0) {
        char valid[256];
        yw_ident__roles_format(YW_ROLE_STAFF, valid, sizeof valid);
        return yw_fail(err, YW_EFIELD, "roles", "unknown role '%s' (staff roles: %s)",
                       s->roles ? bad : "", valid);
    }
    if (bits & (YW_ROLE_APPLICANT | YW_ROLE_DEPT_SYSTEM) || !(bits & YW_ROLE_STAFF))
        return yw_fail(err, YW_EFIELD, "roles", "staff need at least one staff role");
    char roles[256];
    yw_ident__roles_format(bits, roles, sizeof roles);

    char hash[128];
    rc = yw_ident_password_hash(app, s->password, hash);
    if (rc)
        return yw_fail(err, rc, "", "cannot hash the password");
    struct staff_tx t = { .s = s, .hash = hash, .roles = roles, .actor = actor ? actor : "system" };
    rc = yw_db_tx(app->db, YW_TX_WRITE, staff_insert, &t, err);
    if (rc == YW_ECONFLICT)
        return yw_fail(err, rc, "username", "the username '%s' is taken", s->username);
    if (rc == YW_EFIELD)
        return yw_fail(err, rc, "dept",
                       "there is no department '%s' in the catalog (部门代码不存在; GET "
                       "/api/v1/departments lists them)",
                       s->dept);
    if (rc == 0 && id_out)
        *id_out = t.id;
    return rc;
}

struct status_tx {
    const char *username;
    bool active;
    const char *actor;
    int64_t ended;
};

static int
status_write(struct yw_dbc *c, void *vctx)
{
    struct status_tx *t = vctx;
    int64_t id = 0;
    int rc = yw_db_one_int(c, &id, "SELECT id FROM accounts WHERE login = ? AND kind = 'staff'",
                           "s", t->username);
    if (rc)
        return rc;
    char now[32];
    yw_db_now_text(now);
    if ((rc = yw_db_run(c, "UPDATE accounts SET status = ?, updated_at = ? WHERE id = ?", "ssi",
                        t->active ? "active" : "disabled", now, id)))
        return rc;
    t->ended = 0;
    if (!t->active) {
        if ((rc = yw_db_one_int(c, &t->ended, "SELECT COUNT(*) FROM sessions WHERE account_id = ?",
                                "i", id)) ||
            (rc = yw_db_run(c, "DELETE FROM sessions WHERE account_id = ?", "i", id)))
            return rc == YW_ENOTFOUND ? YW_EDB : rc;
    }
    if ((rc = yw_ident__cache_changed(c, id)))
        return rc;
    char oid[24], summary[96];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    snprintf(summary, sizeof summary, "{\"sessions_ended\":%lld}", (long long)t->ended);
    return yw_audit_add(
        c, &(struct yw_audit_entry){ .actor = t->actor,
                                     .role = "admin",
                                     .action = t->active ? "account.enable" : "account.disable",
                                     .obj_type = "account",
                                     .obj_id = oid,
                                     .summary = summary });
}

int
yw_ident_staff_set_active(struct yw_app *app, const char *username, bool active, const char *actor,
                          int64_t *ended, struct yw_err *err)
{
    if (username == NULL || !valid_username(username))
        return yw_fail(err, YW_EFIELD, "username", "'%s' is not a username",
                       username ? username : "");
    struct status_tx t = { .username = username, .active = active, .actor = actor ? actor : "cli" };
    int rc = yw_db_tx(app->db, YW_TX_WRITE, status_write, &t, err);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "username", "there is no staff account '%s'", username);
    if (rc == 0 && ended)
        *ended = t.ended;
    return rc;
}

void
yw_ident__roles_format(uint32_t bits, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (uint32_t bit = 1; bit && bit <= YW_ROLE_LAST; bit <<= 1) {
        if (!(bits & bit))
            continue;
        const char *name = yw_role_name(bit);
        int w = snprintf(out + len, n - len, "%s%s", len ? "," : "", name);
        if (w < 0 || (size_t)w >= n - len)
            break;
        len += (size_t)w;
    }
}

json_t *
yw_ident__roles_json(const char *roles, const char *kind)
{
    json_t *a = json_array();
    if (!strcmp(kind, "person"))
        json_array_append_new(a, json_string("person"));
    if (!strcmp(kind, "enterprise"))
        json_array_append_new(a, json_string("enterprise"));
    const char *p = roles;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            json_array_append_new(a, json_stringn(p, n));
        p = e ? e + 1 : NULL;
    }
    return a;
}

/* The account as its owner sees it (unmasked), with its profile: one query. */
int
yw_ident__account_json(struct yw_dbc *c, int64_t id, json_t **out, struct yw_err *err)
{
    *out = NULL;
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s,
        "SELECT a.id, a.kind, a.login, a.name, a.phone, a.dept_code, a.roles, a.created_at, "
        "p.id_number, p.sex, p.birth_date, p.region, p.realname_level, "
        "e.uscc, e.legal_rep_name, e.legal_rep_id, e.region, e.category, e.realname_level, "
        "a.phone_verified FROM accounts a LEFT JOIN person_profiles p ON p.account_id = a.id "
        "LEFT JOIN enterprise_profiles e ON e.account_id = a.id WHERE a.id = ?",
        "i", id);
    if (rc == YW_ENOTFOUND)
        return rc;
    if (rc) /* not "no such account": GET /me must not say the account is gone */
        return yw_fail(err, rc, "", "cannot read account %lld", (long long)id);
    const char *kind = yw_db_col_text(s, 1);
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)yw_db_col_int(s, 0), "kind",
        kind, "login", yw_db_col_text(s, 2), "name", yw_db_col_text(s, 3), "phone",
        yw_db_col_text(s, 4), "dept", yw_db_col_text(s, 5), "roles",
        yw_ident__roles_json(yw_db_col_text(s, 6), kind), "created_at", yw_db_col_text(s, 7));
    /* verified while the number is the one the holder proved by a code (phone.c) */
    json_object_set_new(o, "phone_verified",
                        json_boolean(yw_db_col_text(s, 4)[0] &&
                                     !strcmp(yw_db_col_text(s, 4), yw_db_col_text(s, 19))));
    if (!strcmp(kind, "person") && !yw_db_col_null(s, 8))
        json_object_set_new(
            o, "profile",
            json_pack("{s:s, s:s, s:s, s:s, s:I}", "id_number", yw_db_col_text(s, 8), "sex",
                      yw_db_col_text(s, 9), "birth_date", yw_db_col_text(s, 10), "region",
                      yw_db_col_text(s, 11), "realname_level", (json_int_t)yw_db_col_int(s, 12)));
    else if (!strcmp(kind, "enterprise") && !yw_db_col_null(s, 13))
        json_object_set_new(
            o, "profile",
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "uscc", yw_db_col_text(s, 13),
                      "legal_rep_name", yw_db_col_text(s, 14), "legal_rep_id",
                      yw_db_col_text(s, 15), "region", yw_db_col_text(s, 16), "category",
                      yw_db_col_text(s, 17), "realname_level", (json_int_t)yw_db_col_int(s, 18)));
    yw_db_reset(s);
    *out = o;
    return 0;
}

int
yw_ident__staff_json(struct yw_dbc *c, json_t **out)
{
    *out = NULL;
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT id, login, name, dept_code, roles, status FROM accounts "
                    "WHERE kind = 'staff' ORDER BY id LIMIT 1000",
                    NULL);
    if (s == NULL)
        return YW_EDB;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "id",
                                              (json_int_t)yw_db_col_int(s, 0), "username",
                                              yw_db_col_text(s, 1), "name", yw_db_col_text(s, 2),
                                              "dept", yw_db_col_text(s, 3), "roles",
                                              yw_ident__roles_json(yw_db_col_text(s, 4), "staff"),
                                              "status", yw_db_col_text(s, 5)));
    if ((rc = yw_db_finish(s, rc))) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}
