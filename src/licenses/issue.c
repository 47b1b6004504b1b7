/*
 * issue.c - issuing licenses and changing their status.
 *
 * A license is issued by its type's department: identifier (GB/T 36904, the
 * issuer's serial for the year), fields checked against the type, validity
 * from the type's years unless given, the document signed with the
 * department's SM2 key, the row, an audit record and a license.issued event -
 * all in the caller's transaction.  When a case is approved whose item
 * produces a license type, the applicant gets that license (case.approved).
 *
 * Issuing is three steps (prepare, sign, finish) so that the bulk import can
 * sign a chunk of licenses on every core between the two steps that need the
 * database (import.c); the SM2 signature is most of an issue's CPU.
 *
 * What a license says must survive any verifier: no control characters
 * (U+0000-U+001F) in the holder's name or a field, and a holder who has an
 * account is named as the account is - a license cannot name the holder of
 * an ID number or credit code otherwise than identity knows them.
 */
#include "licenses/internal.h"

#include "catalog/catalog.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/events.h"
#include "identity/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ltype {
    char code[16], name[128], dept[40], dept_name[128], issuer_uscc[24], type_code[32], holder[16];
    int validity_years;
    json_t *fields;
};

/* The license type `code` and its issuing department, read through
 * catalog.h: 0, YW_ENOTFOUND when there is no such type, or the read's error.
 * A department the catalog lacks leaves its name and credit code empty. */
static int
load_type(struct yw_dbc *c, const char *code, struct ltype *t)
{
    memset(t, 0, sizeof *t);
    struct yw_arena a;
    struct yw_catalog_license_type lt;
    struct yw_catalog_dept d = { 0 };
    yw_arena_init(&a, 2048);
    int rc = yw_catalog_license_type(c, &a, code, &lt);
    if (rc == 0) {
        rc = yw_catalog_dept(c, &a, lt.dept_code, &d);
        if (rc == YW_ENOTFOUND) {
            d.name = d.uscc = "";
            rc = 0;
        }
    }
    if (rc == 0) {
        snprintf(t->code, sizeof t->code, "%s", lt.code);
        snprintf(t->name, sizeof t->name, "%s", lt.name);
        snprintf(t->dept, sizeof t->dept, "%s", lt.dept_code);
        snprintf(t->dept_name, sizeof t->dept_name, "%s", d.name);
        snprintf(t->issuer_uscc, sizeof t->issuer_uscc, "%s", d.uscc);
        snprintf(t->type_code, sizeof t->type_code, "%s", lt.type_code);
        snprintf(t->holder, sizeof t->holder, "%s", lt.holder);
        t->validity_years = lt.validity_years;
        t->fields = json_loads(lt.fields, 0, NULL);
    }
    yw_arena_release(&a);
    return rc;
}

/* True when s[0..n) holds a control character U+0000-U+001F (in UTF-8 these
 * are single bytes; no byte of a longer sequence is below 0x80). */
static bool
has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return true;
    return false;
}

static int
check_fields(const struct ltype *t, json_t *fields, struct yw_err *err)
{
    if (fields == NULL)
        return 0;
    if (!json_is_object(fields))
        return yw_fail(err, YW_EFIELD, "fields", "fields must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(fields, key, v)
    {
        json_t *spec = NULL;
        size_t i;
        json_t *f;
        json_array_foreach(t->fields, i,
                           f) if (!strcmp(json_string_value(json_object_get(f, "key")), key)) spec =
            f;
        if (spec == NULL)
            return yw_fail(err, YW_EUNKNOWN, "fields", "a %s has no field '%.40s'", t->name, key);
        if (!json_is_string(v) || !yw_utf8_valid(json_string_value(v), json_string_length(v)) ||
            yw_utf8_len(json_string_value(v), json_string_length(v)) > 500)
            return yw_fail(err, YW_EFIELD, "fields",
                           "field '%.40s' must be text of at most 500 characters", key);
        if (has_control(json_string_value(v), json_string_length(v))) {
            yw_fail(err, YW_EFIELD, "",
                    "field '%.40s' must not hold control characters (U+0000-U+001F: line breaks, "
                    "tabs ...)",
                    key);
            if (err)
                snprintf(err->field, sizeof err->field, "fields.%.40s", key);
            return YW_EFIELD;
        }
        const char *type = json_string_value(json_object_get(spec, "type"));
        const char *sv = json_string_value(v);
        int64_t day;
        if (type && !strcmp(type, "date") && *sv && yw_cal_parse_day(sv, &day) != 0)
            return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a date like 2026-09-24",
                           key);
        if (type && !strcmp(type, "number") && *sv) {
            char *end;
            strtod(sv, &end);
            if (*end != '\0' || end == sv)
                return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a number", key);
        }
        if (type && !strcmp(type, "uscc") && *sv &&
            yw_cnid_check_uscc(sv, strlen(sv), NULL, NULL) != 0)
            return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a valid credit code",
                           key);
        /* an organisation's 证件号码 is its credit code */
        if (type && !strcmp(type, "id_number") && *sv &&
            yw_cnid_check_id(sv, strlen(sv), NULL, NULL) != 0 &&
            (strcmp(t->holder, "enterprise") != 0 ||
             yw_cnid_check_uscc(sv, strlen(sv), NULL, NULL) != 0))
            return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a valid ID number",
                           key);
        char norm[19]; /* signed and stored in the normalized form, however typed */
        if (type && (!strcmp(type, "uscc") || !strcmp(type, "id_number")) &&
            yw_cnid_ident_normalize(sv, norm))
            json_string_set(v, norm);
    }
    return 0;
}

static int
next_serial(struct yw_dbc *c, const char *dept, int year, char out[24])
{
    int64_t n = 0;
    int rc = yw_db_one_int(
        c, &n,
        "INSERT INTO license_serials (issuer_dept, year, next) VALUES (?, ?, 1) "
        "ON CONFLICT (issuer_dept, year) DO UPDATE SET next = license_serials.next + 1 "
        "RETURNING next",
        "sd", dept, year);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    snprintf(out, 24, "%04d%06lld", year, (long long)n);
    return 0;
}

/* What yw_lic__issue builds up, step by step. */
struct yw_lic__issuing {
    const struct yw_lic__issue *in;
    struct ltype t;
    char norm[24];    /* the holder's identifier, normalised */
    const char *name; /* the holder's name */
    int64_t today;
    char from[11], until[11];
    char serial[24];
    char key_id[17];
    char issued[32];
    char id[128];
    const struct yw_sm2_key *key;
    json_t *license; /* what is signed (prepare) */
    json_t *doc;     /* the signed document (finish) */
    struct yw_buf canon, sig;
};
#define issuing yw_lic__issuing

/* The holder: a person's ID number or a company's credit code, by the type;
 * a name of 1 to 100 characters without control characters, and - when the
 * holder has an account - the account's name. */
static int
check_holder(struct yw_dbc *c, struct issuing *x, struct yw_err *err)
{
    const struct yw_lic__issue *in = x->in;
    const char *ident = in->holder_ident ? in->holder_ident : "";
    int rc;
    if (!strcmp(x->t.holder, "person")) {
        struct yw_cnid_person p;
        if ((rc = yw_cnid_check_id(ident, strlen(ident), &p, err))) {
            snprintf(err->field, sizeof err->field, "holder_ident");
            return rc;
        }
        snprintf(x->norm, sizeof x->norm, "%s", p.id);
    } else {
        struct yw_cnid_org o;
        if ((rc = yw_cnid_check_uscc(ident, strlen(ident), &o, err))) {
            snprintf(err->field, sizeof err->field, "holder_ident");
            return rc;
        }
        snprintf(x->norm, sizeof x->norm, "%s", o.code);
    }
    x->name = in->holder_name ? in->holder_name : "";
    if (*x->name == '\0' || !yw_utf8_valid(x->name, strlen(x->name)) ||
        yw_utf8_len(x->name, strlen(x->name)) > 100)
        return yw_fail(err, YW_EFIELD, "holder_name",
                       "the holder's name must be 1 to 100 characters");
    if (has_control(x->name, strlen(x->name)))
        return yw_fail(err, YW_EFIELD, "holder_name",
                       "the holder's name must not hold control characters (U+0000-U+001F)");
    /* A holder with an account is the account's person or company; one
     * without (licenses issued before ywtb, holders who never registered)
     * is named as the issuer says. */
    struct yw_arena a;
    struct yw_ident_account acct;
    yw_arena_init(&a, 1024);
    rc = yw_ident_account_by_ident(c, &a, x->norm, &acct);
    if (rc == 0 && strcmp(acct.kind, x->t.holder) == 0 && strcmp(acct.name, x->name) != 0)
        rc = yw_fail(err, YW_EFIELD, "holder_name",
                     "the holder's name is not the name of the account registered with %s %.20s",
                     !strcmp(x->t.holder, "person") ? "ID number" : "credit code", x->norm);
    else if (rc == YW_ENOTFOUND || rc == 0)
        rc = 0;
    else
        rc = yw_fail(err, rc, "", "cannot read the holder's account");
    yw_arena_release(&a);
    return rc;
}

/* Validity: from the given day (today by default) until the given day, or
 * for the type's years. */
static int
set_validity(struct issuing *x, struct yw_err *err)
{
    const struct yw_lic__issue *in = x->in;
    x->today = yw_cal_day_of_ms(yw_clock_now_ms());
    int64_t from_day = x->today;
    if (in->valid_from && *in->valid_from) {
        if (yw_cal_parse_day(in->valid_from, &from_day) != 0)
            return yw_fail(err, YW_EFIELD, "valid_from",
                           "valid_from must be a date like 2026-09-24");
    }
    yw_cal_day_text(from_day, x->from);
    if (in->valid_until) {
        int64_t u;
        if (*in->valid_until && (yw_cal_parse_day(in->valid_until, &u) != 0 || u < from_day))
            return yw_fail(err, YW_EFIELD, "valid_until",
                           "valid_until must be a date on or after valid_from");
        snprintf(x->until, sizeof x->until, "%s", in->valid_until);
    } else if (x->t.validity_years > 0) {
        int y, m, d;
        yw_civil_from_days(from_day, &y, &m, &d);
        /* the day before the same date N years on; from 29 February that is
         * 28 February (the civil-day arithmetic takes 29 Feb of a common year
         * as 1 March) */
        int64_t end = yw_days_from_civil(y + x->t.validity_years, m, d) - 1;
        yw_cal_day_text(end, x->until);
    }
    return 0;
}

/* The identifier (GB/T 36904): the issuer's next serial for the year. */
static int
make_identifier(struct yw_dbc *c, struct issuing *x, char id_out[128], struct yw_err *err)
{
    int y, m, d;
    yw_civil_from_days(x->today, &y, &m, &d);
    int rc = x->in->serial_fn ? x->in->serial_fn(c, x->t.dept, y, x->serial)
                              : next_serial(c, x->t.dept, y, x->serial);
    if (rc)
        return rc;
    if (yw_lic_make_id(x->t.type_code, x->t.issuer_uscc, x->serial, 1, id_out, 128))
        return yw_fail(err, YW_EINTERNAL, "", "cannot build the license identifier");
    return 0;
}

/* The department's SM2 key (made on first use), before the identifier, so
 * that a preparation without a key (ahead.c) reserves no serials. */
static int
get_key(struct yw_dbc *c, struct issuing *x, struct yw_err *err)
{
    return x->in->existing_key ? yw_lic__dept_key_existing(c, x->t.dept, &x->key, x->key_id, err)
                               : yw_lic__dept_key(c, x->t.dept, &x->key, x->key_id, err);
}

/* The document to sign: the license object, to be signed with the
 * department's key, in its canonical bytes. */
static int
prepare_document(struct yw_dbc *c, struct issuing *x, const char *id, struct yw_err *err)
{
    (void)c;
    (void)err;
    yw_db_now_text(x->issued);
    const struct ltype *t = &x->t;
    json_t *license = json_pack(
        "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:s, s:i, s:s}",
        "id", id, "type", t->code, "type_code", t->type_code, "type_name", t->name, "issuer",
        "dept", t->dept, "name", t->dept_name, "uscc", t->issuer_uscc, "holder", "kind", t->holder,
        "ident", x->norm, "name", x->name, "fields",
        x->in->fields ? json_incref(x->in->fields) : json_object(), "issued_at", x->issued,
        "valid_from", x->from, "valid_until", x->until, "version", 1, "key_id", x->key_id);
    x->license = license;
    if (license == NULL || yw_lic_canonical(license, &x->canon))
        return yw_fail(err, YW_ECRYPTO, "", "cannot sign the license");
    return 0;
}

int
yw_lic__issue_sign(struct issuing *x)
{
    return x->key && x->canon.n && yw_sm2_sign(x->key, x->canon.p, x->canon.n, &x->sig) == 0
               ? 0
               : YW_ECRYPTO;
}

/* The licenses row. */
static int
insert_license(struct yw_dbc *c, const struct issuing *x, const char *id)
{
    char *doc_text = json_dumps(x->doc, JSON_COMPACT | JSON_SORT_KEYS);
    char *fields_text = json_dumps(json_object_get(json_object_get(x->doc, "license"), "fields"),
                                   JSON_COMPACT | JSON_SORT_KEYS);
    int rc = yw_db_run(
        c,
        "INSERT INTO licenses (id, type_code, issuer_dept, serial, version, holder_kind, holder_ident, "
        "holder_name, fields, issued_at, valid_from, valid_until, source, key_id, document, signature, "
        "created_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "ssssssssssssssss", id, x->t.code, x->t.dept, x->serial, x->t.holder, x->norm, x->name,
        fields_text, x->issued, x->from, x->until, x->in->source ? x->in->source : "api", x->key_id,
        doc_text, x->sig.p, x->issued);
    free(doc_text);
    free(fields_text);
    return rc;
}

/* The audit record and the license.issued event. */
static int
record_issue(struct yw_dbc *c, const struct issuing *x, const char *id, struct yw_err *err)
{
    char summary[256];
    snprintf(summary, sizeof summary, "{\"type\":\"%s\",\"source\":\"%.40s\",\"key_id\":\"%s\"}",
             x->t.code, x->in->source ? x->in->source : "api", x->key_id);
    int rc =
        yw_audit_add(c, &(struct yw_audit_entry){ .actor = x->in->actor ? x->in->actor : "system",
                                                  .role = "issuer",
                                                  .action = "license.issue",
                                                  .obj_type = "license",
                                                  .obj_id = id,
                                                  .summary = summary });
    if (rc)
        return rc;
    json_t *ev = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "type", x->t.code, "holder_ident",
                           x->norm, "dept", x->t.dept);
    rc = yw_events_publish(c, YW_EV_LICENSE_ISSUED, ev, err);
    json_decref(ev);
    return rc;
}

struct issuing *
yw_lic__issuing_new(const struct yw_lic__issue *in)
{
    struct issuing *x = yw_xcalloc(1, sizeof *x);
    x->in = in;
    yw_buf_init(&x->canon);
    yw_buf_init(&x->sig);
    return x;
}

void
yw_lic__issuing_free(struct issuing *x)
{
    if (x == NULL)
        return;
    json_decref(x->license);
    json_decref(x->doc);
    json_decref(x->t.fields);
    yw_buf_release(&x->canon);
    yw_buf_release(&x->sig);
    free(x);
}

const char *
yw_lic__issuing_id(const struct issuing *x)
{
    return x->id;
}

int
yw_lic__issue_prepare(struct yw_dbc *c, struct issuing *x, struct yw_err *err)
{
    const struct yw_lic__issue *in = x->in;
    int rc = load_type(c, in->type_code ? in->type_code : "", &x->t);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "type", "no e-license type '%.20s'",
                       in->type_code ? in->type_code : "");
    if (rc)
        return rc;
    if (in->holder_kind &&
        (!strcmp(in->holder_kind, "person") || !strcmp(in->holder_kind, "enterprise")))
        snprintf(x->t.holder, sizeof x->t.holder, "%s", in->holder_kind);
    const struct ltype *t = &x->t;
    if (in->actor_dept && strcmp(in->actor_dept, t->dept) != 0)
        return yw_fail(err, YW_EFORBIDDEN, "type",
                       "%s licenses are issued by %s, not your department", t->name, t->dept_name);
    if (strlen(t->type_code) != 21 || strlen(t->issuer_uscc) != 18)
        return yw_fail(err, YW_ECONFIG, "type",
                       "the catalog lacks the GB/T 36904 codes of %s (type code, issuer code)",
                       t->name);
    if ((rc = check_holder(c, x, err)) || (rc = check_fields(t, in->fields, err)) ||
        (rc = set_validity(x, err)) || (rc = get_key(c, x, err)) ||
        (rc = make_identifier(c, x, x->id, err)))
        return rc;
    return prepare_document(c, x, x->id, err);
}

int
yw_lic__issue_finish(struct yw_dbc *c, struct issuing *x, struct yw_err *err)
{
    if (x->sig.n == 0)
        return yw_fail(err, YW_ECRYPTO, "", "cannot sign the license");
    x->doc = json_pack("{s:O, s:{s:s, s:s, s:s, s:s, s:s}}", "license", x->license, "signature",
                       "alg", YW_LIC_ALG, "key_id", x->key_id, "distid", YW_SM2_DISTID, "canon",
                       YW_LIC_CANON_JCS, "value", x->sig.p);
    if (x->doc == NULL)
        return YW_EINTERNAL;
    int rc = insert_license(c, x, x->id);
    return rc ? rc : record_issue(c, x, x->id, err);
}

int
yw_lic__issue(struct yw_dbc *c, const struct yw_lic__issue *in, char id_out[128],
              struct yw_err *err)
{
    struct issuing *x = yw_lic__issuing_new(in);
    int rc = yw_lic__issue_prepare(c, x, err);
    if (rc == 0 && yw_lic__issue_sign(x) != 0)
        rc = yw_fail(err, YW_ECRYPTO, "", "cannot sign the license");
    if (rc == 0)
        rc = yw_lic__issue_finish(c, x, err);
    if (rc == 0)
        snprintf(id_out, 128, "%s", x->id);
    yw_lic__issuing_free(x);
    return rc;
}

int
yw_lic__set_status(struct yw_dbc *c, const char *id, const char *status, const char *reason,
                   const char *actor, const char *actor_dept, struct yw_err *err)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT issuer_dept, status FROM licenses WHERE id = ?", "s", id);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no license '%.80s'", id);
    if (rc)
        return rc;
    char dept[40], cur[16];
    snprintf(dept, sizeof dept, "%s", yw_db_col_text(s, 0));
    snprintf(cur, sizeof cur, "%s", yw_db_col_text(s, 1));
    yw_db_reset(s);
    if (actor_dept && strcmp(actor_dept, dept) != 0)
        return yw_fail(err, YW_EFORBIDDEN, "",
                       "only the issuing department (%s) changes this license", dept);
    if (!strcmp(cur, "revoked"))
        return yw_fail(err, YW_ESTATE, "", "license '%.80s' is revoked; revocation is final", id);
    if (!strcmp(cur, status))
        return yw_fail(err, YW_ESTATE, "", "license '%.80s' is already %s", id, status);
    if (strcmp(status, "valid") != 0 && (reason == NULL || *reason == '\0'))
        return yw_fail(err, YW_EMISSING, "reason", "say why (the holder and verifiers see it)");
    char now[32];
    yw_db_now_text(now);
    if ((rc = yw_db_run(
             c, "UPDATE licenses SET status = ?, status_reason = ?, status_at = ? WHERE id = ?",
             "ssss", status, reason ? reason : "", now, id)))
        return rc;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"status\":");
    yw_buf_add_json_str(&b, status, strlen(status));
    yw_buf_adds(&b, ",\"reason\":");
    yw_buf_add_json_str(&b, reason ? reason : "", reason ? strlen(reason) : 0);
    yw_buf_adds(&b, "}");
    rc = yw_audit_add(
        c, &(struct yw_audit_entry){ .actor = actor,
                                     .role = "issuer",
                                     .action = !strcmp(status, "valid")     ? "license.reinstate"
                                               : !strcmp(status, "revoked") ? "license.revoke"
                                                                            : "license.suspend",
                                     .obj_type = "license",
                                     .obj_id = id,
                                     .summary = b.p });
    yw_buf_release(&b);
    if (rc)
        return rc;
    json_t *ev = json_pack("{s:s, s:s, s:s}", "id", id, "status", status, "dept", dept);
    rc = yw_events_publish(c,
                           !strcmp(status, "revoked")     ? YW_EV_LICENSE_REVOKED
                           : !strcmp(status, "suspended") ? YW_EV_LICENSE_SUSPENDED
                                                          : YW_EV_LICENSE_REINSTATED,
                           ev, err);
    json_decref(ev);
    return rc;
}

/* A case form's text as a license field: line breaks and tabs (a form's text
 * area allows them) become spaces, other control characters are dropped, so
 * an approval is never refused for what the applicant typed (a license holds
 * no control characters, see check_fields). */
static json_t *
field_text(json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!has_control(s, n))
        return json_incref(v);
    char *t = yw_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n' || ch == '\r' || ch == '\t')
            t[k++] = ' ';
        else if (ch >= 0x20)
            t[k++] = (char)ch;
    }
    json_t *out = json_stringn(t, k);
    free(t);
    return out;
}

/* Field values for an automatically issued license: the case form's values
 * for keys the type has, then what the applicant's identity says. */
static json_t *
fields_from_case(const struct ltype *t, json_t *form, const char *ident, const char *name,
                 const char *case_no)
{
    json_t *out = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(t->fields, i, f)
    {
        const char *key = json_string_value(json_object_get(f, "key"));
        const char *type = json_string_value(json_object_get(f, "type"));
        json_t *v = json_object_get(form, key);
        /* the same thing under the names forms use */
        static const char *const aliases[][2] = { { "legal_rep", "legal_rep_name" },
                                                  { "type", "company_type" },
                                                  { "address", "premises" },
                                                  { "address", "registered_address" },
                                                  { "holder_name", "name" } };
        for (size_t a = 0; v == NULL && a < sizeof aliases / sizeof aliases[0]; a++)
            if (!strcmp(key, aliases[a][0]))
                v = json_object_get(form, aliases[a][1]);
        if (json_is_string(v) && json_string_length(v))
            json_object_set_new(out, key, field_text(v));
        else if (json_is_number(v)) {
            char num[40];
            double d = json_number_value(v);
            if (d == (double)(long long)d)
                snprintf(num, sizeof num, "%lld", (long long)d);
            else
                snprintf(num, sizeof num, "%.15g", d);
            json_object_set_new(out, key, json_string(num));
        } else if (type && !strcmp(type, "date") &&
                   (!strcmp(key, "established") || !strcmp(key, "issue_date"))) {
            char today[11];
            yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), today);
            json_object_set_new(out, key, json_string(today));
        } else if (!strcmp(key, "name") || !strcmp(key, "unit") || !strcmp(key, "holder"))
            json_object_set_new(out, key, json_string(name));
        else if ((type && (!strcmp(type, "uscc") || !strcmp(type, "id_number"))) ||
                 !strcmp(key, "uscc") || !strcmp(key, "id_number"))
            json_object_set_new(out, key, json_string(ident));
        else if (!strcmp(key, "license_no") || !strcmp(key, "cert_no"))
            json_object_set_new(out, key, json_string(case_no));
    }
    return out;
}

int
yw_lic__case_request(struct yw_dbc *c, json_t *payload, struct yw_lic__case_request *r)
{
    memset(r, 0, sizeof *r);
    json_int_t item_id = json_integer_value(json_object_get(payload, "item_id"));
    if (item_id == 0)
        return YW_ENOTFOUND; /* a bundle: its items issue their own */
    int rc = yw_catalog_item_by_id_ro(c, item_id, &r->item); /* read only */
    if (rc)
        return rc;
    const char *produces = json_string_value(json_object_get(r->item, "produces"));
    struct ltype t;
    if (produces == NULL || *produces == '\0' || (rc = load_type(c, produces, &t))) {
        yw_lic__case_request_done(r);
        return rc ? rc : YW_ENOTFOUND;
    }
    const char *ident = json_string_value(json_object_get(payload, "applicant_ident"));
    const char *holder = json_string_value(json_object_get(payload, "applicant_name"));
    const char *case_no = json_string_value(json_object_get(payload, "case_no"));
    r->payload = json_incref(payload);
    r->fields = fields_from_case(&t, json_object_get(payload, "form"), ident ? ident : "",
                                 holder ? holder : "", case_no ? case_no : "");
    json_decref(t.fields);
    /* the holder is the case's applicant, a person or a company, whatever
     * the type's usual holder (a company's 不动产首次登记 gives it the 不动产权证书) */
    const char *kind = ident && yw_cnid_check_uscc(ident, strlen(ident), NULL, NULL) == 0
                           ? "enterprise"
                           : "person";
    r->in = (struct yw_lic__issue){ .type_code = produces,
                                    .holder_kind = kind,
                                    .holder_ident = ident,
                                    .holder_name = holder,
                                    .fields = r->fields,
                                    .source = case_no,
                                    .actor = "system" };
    return 0;
}

void
yw_lic__case_request_done(struct yw_lic__case_request *r)
{
    json_decref(r->payload);
    json_decref(r->item);
    json_decref(r->fields);
    memset(r, 0, sizeof *r);
}

int
yw_lic__issue_recheck(struct yw_dbc *c, struct issuing *x, struct yw_err *err)
{
    const struct yw_sm2_key *key;
    char key_id[17];
    int rc = check_holder(c, x, err);
    if (rc == 0 && (rc = yw_lic__dept_key_existing(c, x->t.dept, &key, key_id, err)) == 0 &&
        strcmp(key_id, x->key_id) != 0)
        rc = YW_ECONFLICT; /* the department's key changed since: sign again */
    return rc;
}

int64_t
yw_lic__issuing_day(const struct issuing *x)
{
    return x->today;
}

const char *
yw_lic__issuing_key_id(const struct issuing *x)
{
    return x->key_id;
}

/* A case approved: its item's license, signed ahead on the HTTP worker when
 * that still fits (ahead.c), else signed here. */
int
yw_lic__on_case_approved(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                         struct yw_err *err)
{
    (void)name;
    (void)ctx;
    struct yw_lic__case_request r;
    int rc = yw_lic__case_request(c, payload, &r);
    if (rc)
        return rc == YW_ENOTFOUND ? 0 : rc;
    struct yw_lic__ahead *e = r.in.source ? yw_lic__ahead_take(r.in.source, &r) : NULL;
    if (e) {
        /* the holder read again, in this transaction; a key rotated since the
         * signature, or a holder refused now, signs (or refuses) as before */
        struct yw_err why = { 0 };
        rc = yw_lic__issue_recheck(c, yw_lic__ahead_issuing(e), &why);
        if (rc == 0)
            rc = yw_lic__issue_finish(c, yw_lic__ahead_issuing(e), err);
        else if (rc != YW_EDB)
            rc = YW_ENOTFOUND; /* not used: signed below */
        yw_lic__ahead_done(e, rc == 0);
        if (rc != YW_ENOTFOUND) {
            yw_lic__case_request_done(&r);
            return rc;
        }
    }
    char id[128];
    rc = yw_lic__issue(c, &r.in, id, err);
    yw_lic__case_request_done(&r);
    return rc;
}
