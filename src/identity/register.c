/*
 * register.c - citizens and companies create their one account.
 *
 * A person registers with the GB 11643 resident identity number (sex and birth
 * date are derived from it, never asked for); a company with its GB 32100
 * unified social credit code and its legal representative.  The identifier is
 * the login, unique: a second registration is 409.  The password is hashed
 * before the transaction; the account, its profile and the audit record
 * commit together.
 */
#include "identity/internal.h"

#include "core/cnid.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

static int
check_name(const char *name, const char *field, size_t max, struct yw_err *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return yw_fail(err, YW_EMISSING, field, "'%s' is required", field);
    if (!yw_utf8_valid(name, n))
        return yw_fail(err, YW_EUTF8, field, "'%s' is not valid text", field);
    size_t chars = yw_utf8_len(name, n);
    if (chars < 2 || chars > max)
        return yw_fail(err, YW_EFIELD, field, "'%s' must be 2 to %zu characters", field, max);
    /* no blanks at either end (ASCII space, U+3000 ideographic space), no
     * zero-width or other format characters anywhere */
    if (name[0] == ' ' || name[n - 1] == ' ' || !strncmp(name, "\xe3\x80\x80", 3) ||
        (n >= 3 && !strcmp(name + n - 3, "\xe3\x80\x80")))
        return yw_fail(err, YW_EFIELD, field, "'%s' starts or ends with a blank", field);
    if (strstr(name, "\xe2\x80\x8b") || strstr(name, "\xe2\x80\x8c") ||
        strstr(name, "\xe2\x80\x8d") || strstr(name, "\xef\xbb\xbf") ||
        strstr(name, "\xe2\x80\xae"))
        return yw_fail(err, YW_EFIELD, field, "'%s' has invisible characters", field);
    for (const char *p = name; *p; p++)
        if (strchr("<>\"'&;\\{}[]=`$%", *p) || (unsigned char)*p < 0x20)
            return yw_fail(err, YW_EFIELD, field, "'%s' has characters a name cannot have", field);
    return 0;
}

static bool
landline_ok(const char *p)
{
    /* 021-64872222 / 02164872222: area code 0 + 2..3 digits, 7..8 digits */
    size_t digits = 0;
    if (p[0] != '0')
        return false;
    for (const char *s = p; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s != '-')
            return false;
    }
    return digits >= 10 && digits <= 12;
}

struct reg_tx {
    const struct yw_ident_registration *r;
    const char *login;
    char legal_rep_id[19]; /* normalised (upper-case X) */
    const char *hash;
    struct yw_cnid_person person;
    struct yw_cnid_org org;
    int64_t id;
};

static int
reg_insert(struct yw_dbc *c, void *ctx)
{
    struct reg_tx *t = ctx;
    bool person = t->r->kind == YW_IDENT_PERSON;
    char now[32];
    yw_db_now_text(now);
    int rc =
        yw_db_one_int(c, &t->id,
                      "INSERT INTO accounts (kind, login, name, phone, password_hash, created_at, "
                      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      "sssssss", person ? "person" : "enterprise", t->login, t->r->name,
                      t->r->phone, t->hash, now, now);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    if (person) {
        char sex[2] = { t->person.sex, 0 };
        rc = yw_db_run(
            c,
            "INSERT INTO person_profiles (account_id, id_number, sex, birth_date, region) "
            "VALUES (?, ?, ?, ?, ?)",
            "issss", t->id, t->person.id, sex, t->person.birth, t->person.region);
    } else {
        char cat[64];
        snprintf(cat, sizeof cat, "%s%s", t->org.authority ? t->org.authority : "",
                 t->org.category ? t->org.category : "");
        rc = yw_db_run(
            c,
            "INSERT INTO enterprise_profiles (account_id, uscc, legal_rep_name, legal_rep_id, region, "
            "category) VALUES (?, ?, ?, ?, ?, ?)",
            "isssss", t->id, t->org.code, t->r->legal_rep_name, t->legal_rep_id, t->org.region,
            cat);
    }
    if (rc)
        return rc;
    char id[24], masked[24], summary[128];
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    if (person)
        yw_cnid_mask_id(t->login, masked);
    else
        snprintf(masked, sizeof masked, "%s", t->login); /* a credit code is public */
    snprintf(summary, sizeof summary, "{\"kind\":\"%s\",\"login\":\"%s\"}",
             person ? "person" : "enterprise", masked);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = id,
                                                     .role = person ? "person" : "enterprise",
                                                     .action = "account.register",
                                                     .obj_type = "account",
                                                     .obj_id = id,
                                                     .summary = summary });
}

int
yw_ident_register(struct yw_app *app, const struct yw_ident_registration *r, int64_t *id_out,
                  struct yw_err *err)
{
    struct reg_tx t = { .r = r };
    int rc;
    const char *id_field = r->kind == YW_IDENT_PERSON ? "id_number" : "uscc";
    if (r->ident == NULL)
        return yw_fail(err, YW_EMISSING, id_field, "'%s' is required", id_field);
    if (r->kind == YW_IDENT_PERSON) {
        if ((rc = yw_cnid_check_id(r->ident, strlen(r->ident), &t.person, err)))
            return rc;
        t.login = t.person.id;
        if ((rc = check_name(r->name, "name", 32, err)))
            return rc;
    } else {
        if ((rc = yw_cnid_check_uscc(r->ident, strlen(r->ident), &t.org, err)))
            return rc;
        t.login = t.org.code;
        if ((rc = check_name(r->name, "name", 100, err)) ||
            (rc = check_name(r->legal_rep_name, "legal_rep_name", 32, err)))
            return rc;
        if (r->legal_rep_id == NULL)
            return yw_fail(err, YW_EMISSING, "legal_rep_id", "'legal_rep_id' is required");
        struct yw_cnid_person rep;
        if ((rc = yw_cnid_check_id(r->legal_rep_id, strlen(r->legal_rep_id), &rep, err))) {
            snprintf(err->field, sizeof err->field, "legal_rep_id");
            return rc;
        }
        snprintf(t.legal_rep_id, sizeof t.legal_rep_id, "%s", rep.id);
    }
    if (r->phone == NULL ||
        (!yw_cnid_mobile_ok(r->phone) && (r->kind == YW_IDENT_PERSON || !landline_ok(r->phone))))
        return yw_fail(err, YW_EFIELD, "phone",
                       r->kind == YW_IDENT_PERSON
                           ? "the mobile number must be 11 digits starting 13-19"
                           : "the phone must be a mobile number or a landline like 021-64872222");
    if (r->password == NULL)
        return yw_fail(err, YW_EMISSING, "password", "'password' is required");
    if ((rc = yw_ident_password_check(r->password, "password", err)))
        return rc;
    char hash[128];
    if ((rc = yw_ident_password_hash(app, r->password, hash)))
        return yw_fail(err, rc, "", "cannot hash the password");
    t.hash = hash;
    rc = yw_db_tx(app->db, YW_TX_WRITE, reg_insert, &t, err);
    if (rc == YW_ECONFLICT)
        return yw_fail(err, rc, id_field,
                       r->kind == YW_IDENT_PERSON
                           ? "an account with this ID number already exists; log in instead"
                           : "an account with this credit code already exists; log in instead");
    if (rc == 0 && id_out)
        *id_out = t.id;
    return rc;
}
