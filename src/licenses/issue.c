/*
 * issue.c - issuing licenses and changing their status.
 *
 * A license is issued by its type's department: identifier (GB/T 36904, the
 * issuer's serial for the year), fields checked against the type, validity
 * from the type's years unless given, the document signed with the
 * department's SM2 key, the row, an audit record and a license.issued event -
 * all in the caller's transaction.  When a case is approved whose item
 * produces a license type, the applicant gets that license (case.approved).
 */
#include "licenses/internal.h"

#include "catalog/catalog.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/utf8.h"
#include "db/audit.h"
#include "db/events.h"

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
        json_array_foreach(t->fields, i, f) if (!strcmp(json_string_value(json_object_get(f, "key")), key)) spec = f;
        if (spec == NULL)
            return yw_fail(err, YW_EUNKNOWN, "fields", "a %s has no field '%.40s'", t->name, key);
        if (!json_is_string(v) || !yw_utf8_valid(json_string_value(v), json_string_length(v)) ||
            yw_utf8_len(json_string_value(v), json_string_length(v)) > 500)
            return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be text of at most 500 characters", key);
        const char *type = json_string_value(json_object_get(spec, "type"));
        const char *sv = json_string_value(v);
        int64_t day;
        if (type && !strcmp(type, "date") && *sv && yw_cal_parse_day(sv, &day) != 0)
            return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a date like 2026-09-24", key);
        if (type && !strcmp(type, "number") && *sv) {
            char *end;
            strtod(sv, &end);
            if (*end != '\0' || end == sv)
                return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a number", key);
        }
        if (type && !strcmp(type, "uscc") && *sv && yw_cnid_check_uscc(sv, strlen(sv), NULL, NULL) != 0)
            return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a valid credit code", key);
        if (type && !strcmp(type, "id_number") && *sv && yw_cnid_check_id(sv, strlen(sv), NULL, NULL) != 0)
            return yw_fail(err, YW_EFIELD, "fields", "field '%.40s' must be a valid ID number", key);
    }
    return 0;
}

static int
next_serial(struct yw_dbc *c, const char *dept, int year, char out[24])
{
    int64_t n = 0;
    int rc = yw_db_one_int(c, &n, "INSERT INTO license_serials (issuer_dept, year, next) VALUES (?, ?, 1) "
                                  "ON CONFLICT (issuer_dept, year) DO UPDATE SET next = license_serials.next + 1 "
                                  "RETURNING next", "sd", dept, year);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc;
    snprintf(out, 24, "%04d%06lld", year, (long long)n);
    return 0;
}

int
yw_lic_issue(struct yw_dbc *c, const struct yw_lic_issue *in, char id_out[128], struct yw_err *err)
{
    struct ltype t;
    int rc = load_type(c, in->type_code ? in->type_code : "", &t);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "type", "no e-license type '%.20s'", in->type_code ? in->type_code : "");
    if (rc)
        return rc;
    json_t *doc = NULL;
    struct yw_buf canon, sig;
    yw_buf_init(&canon);
    yw_buf_init(&sig);
    if (in->actor_dept && strcmp(in->actor_dept, t.dept) != 0) {
        rc = yw_fail(err, YW_EFORBIDDEN, "type", "%s licenses are issued by %s, not your department", t.name, t.dept_name);
        goto out;
    }
    if (strlen(t.type_code) != 21 || strlen(t.issuer_uscc) != 18) {
        rc = yw_fail(err, YW_ECONFIG, "type", "the catalog lacks the GB/T 36904 codes of %s (type code, issuer code)", t.name);
        goto out;
    }
    /* the holder: a person's ID number or a company's credit code, by the type */
    const char *ident = in->holder_ident ? in->holder_ident : "";
    char norm[24];
    if (!strcmp(t.holder, "person")) {
        struct yw_cnid_person p;
        if ((rc = yw_cnid_check_id(ident, strlen(ident), &p, err))) {
            snprintf(err->field, sizeof err->field, "holder_ident");
            goto out;
        }
        snprintf(norm, sizeof norm, "%s", p.id);
    } else {
        struct yw_cnid_org o;
        if ((rc = yw_cnid_check_uscc(ident, strlen(ident), &o, err))) {
            snprintf(err->field, sizeof err->field, "holder_ident");
            goto out;
        }
        snprintf(norm, sizeof norm, "%s", o.code);
    }
    const char *name = in->holder_name ? in->holder_name : "";
    if (*name == '\0' || !yw_utf8_valid(name, strlen(name)) || yw_utf8_len(name, strlen(name)) > 100) {
        rc = yw_fail(err, YW_EFIELD, "holder_name", "the holder's name must be 1 to 100 characters");
        goto out;
    }
    if ((rc = check_fields(&t, in->fields, err)))
        goto out;
    /* validity */
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    char from[11], until[11] = "";
    int64_t from_day = today;
    if (in->valid_from && *in->valid_from) {
        if (yw_cal_parse_day(in->valid_from, &from_day) != 0) {
            rc = yw_fail(err, YW_EFIELD, "valid_from", "valid_from must be a date like 2026-09-24");
            goto out;
        }
    }
    yw_cal_day_text(from_day, from);
    if (in->valid_until) {
        int64_t u;
        if (*in->valid_until && (yw_cal_parse_day(in->valid_until, &u) != 0 || u < from_day)) {
            rc = yw_fail(err, YW_EFIELD, "valid_until", "valid_until must be a date on or after valid_from");
            goto out;
        }
        snprintf(until, sizeof until, "%s", in->valid_until);
    } else if (t.validity_years > 0) {
        int y, m, d;
        yw_civil_from_days(from_day, &y, &m, &d);
        /* the day before the same date N years on; from 29 February that is
         * 28 February (the civil-day arithmetic takes 29 Feb of a common year
         * as 1 March) */
        int64_t end = yw_days_from_civil(y + t.validity_years, m, d) - 1;
        yw_cal_day_text(end, until);
    }
    /* identifier */
    char serial[24];
    int y, m, d;
    yw_civil_from_days(today, &y, &m, &d);
    if ((rc = next_serial(c, t.dept, y, serial)))
        goto out;
    if ((rc = yw_lic_make_id(t.type_code, t.issuer_uscc, serial, 1, id_out, 128))) {
        rc = yw_fail(err, YW_EINTERNAL, "", "cannot build the license identifier");
        goto out;
    }
    /* the signed document */
    const struct yw_sm2_key *key = NULL;
    char key_id[17];
    if ((rc = yw_lic_dept_key(c, t.dept, &key, key_id, err)))
        goto out;
    char issued[32];
    yw_db_now_text(issued);
    json_t *license = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:s, s:i, s:s}",
                                "id", id_out, "type", t.code, "type_code", t.type_code, "type_name", t.name, "issuer",
                                "dept", t.dept, "name", t.dept_name, "uscc", t.issuer_uscc, "holder", "kind", t.holder,
                                "ident", norm, "name", name, "fields",
                                in->fields ? json_incref(in->fields) : json_object(), "issued_at", issued, "valid_from",
                                from, "valid_until", until, "version", 1, "key_id", key_id);
    if ((rc = yw_lic_canonical(license, &canon)) || (rc = yw_sm2_sign(key, canon.p, canon.n, &sig))) {
        json_decref(license);
        rc = yw_fail(err, YW_ECRYPTO, "", "cannot sign the license");
        goto out;
    }
    doc = json_pack("{s:o, s:{s:s, s:s, s:s, s:s}}", "license", license, "signature", "alg", "SM2-SM3", "key_id", key_id,
                    "distid", YW_SM2_DISTID, "value", sig.p);
    char *doc_text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    char *fields_text = json_dumps(json_object_get(license, "fields"), JSON_COMPACT | JSON_SORT_KEYS);
    rc = yw_db_run(c, "INSERT INTO licenses (id, type_code, issuer_dept, serial, version, holder_kind, holder_ident, "
                      "holder_name, fields, issued_at, valid_from, valid_until, source, key_id, document, signature, "
                      "created_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   "ssssssssssssssss", id_out, t.code, t.dept, serial, t.holder, norm, name, fields_text, issued, from,
                   until, in->source ? in->source : "api", key_id, doc_text, sig.p, issued);
    free(doc_text);
    free(fields_text);
    if (rc)
        goto out;
    char summary[256];
    snprintf(summary, sizeof summary, "{\"type\":\"%s\",\"source\":\"%.40s\",\"key_id\":\"%s\"}", t.code,
             in->source ? in->source : "api", key_id);
    if ((rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = in->actor ? in->actor : "system", .role = "issuer",
                                                         .action = "license.issue", .obj_type = "license", .obj_id = id_out,
                                                         .summary = summary })))
        goto out;
    json_t *ev = json_pack("{s:s, s:s, s:s, s:s}", "id", id_out, "type", t.code, "holder_ident", norm, "dept", t.dept);
    rc = yw_events_publish(c, YW_EV_LICENSE_ISSUED, ev, err);
    json_decref(ev);
out:
    json_decref(doc);
    json_decref(t.fields);
    yw_buf_release(&canon);
    yw_buf_release(&sig);
    return rc;
}

int
yw_lic_set_status(struct yw_dbc *c, const char *id, const char *status, const char *reason, const char *actor,
                  const char *actor_dept, struct yw_err *err)
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
        return yw_fail(err, YW_EFORBIDDEN, "", "only the issuing department (%s) changes this license", dept);
    if (!strcmp(cur, "revoked"))
        return yw_fail(err, YW_ESTATE, "", "license '%.80s' is revoked; revocation is final", id);
    if (!strcmp(cur, status))
        return yw_fail(err, YW_ESTATE, "", "license '%.80s' is already %s", id, status);
    if (strcmp(status, "valid") != 0 && (reason == NULL || *reason == '\0'))
        return yw_fail(err, YW_EMISSING, "reason", "say why (the holder and verifiers see it)");
    char now[32];
    yw_db_now_text(now);
    if ((rc = yw_db_run(c, "UPDATE licenses SET status = ?, status_reason = ?, status_at = ? WHERE id = ?", "ssss", status,
                        reason ? reason : "", now, id)))
        return rc;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"status\":");
    yw_buf_add_json_str(&b, status, strlen(status));
    yw_buf_adds(&b, ",\"reason\":");
    yw_buf_add_json_str(&b, reason ? reason : "", reason ? strlen(reason) : 0);
    yw_buf_adds(&b, "}");
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor, .role = "issuer",
                                                    .action = !strcmp(status, "valid") ? "license.reinstate"
                                                              : !strcmp(status, "revoked") ? "license.revoke"
                                                                                            : "license.suspend",
                                                    .obj_type = "license", .obj_id = id, .summary = b.p });
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

/* Field values for an automatically issued license: the case form's values
 * for keys the type has, then what the applicant's identity says. */
static json_t *
fields_from_case(const struct ltype *t, json_t *form, const char *ident, const char *name, const char *case_no)
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
        static const char *const aliases[][2] = { { "legal_rep", "legal_rep_name" }, { "type", "company_type" },
                                                  { "address", "premises" },         { "address", "registered_address" },
                                                  { "holder_name", "name" } };
        for (size_t a = 0; v == NULL && a < sizeof aliases / sizeof aliases[0]; a++)
            if (!strcmp(key, aliases[a][0]))
                v = json_object_get(form, aliases[a][1]);
        if (json_is_string(v) && json_string_length(v))
            json_object_set(out, key, v);
        else if (json_is_number(v)) {
            char num[40];
            double d = json_number_value(v);
            if (d == (double)(long long)d)
                snprintf(num, sizeof num, "%lld", (long long)d);
            else
                snprintf(num, sizeof num, "%.15g", d);
            json_object_set_new(out, key, json_string(num));
        } else if (type && !strcmp(type, "date") && (!strcmp(key, "established") || !strcmp(key, "issue_date"))) {
            char today[11];
            yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), today);
            json_object_set_new(out, key, json_string(today));
        } else if (!strcmp(key, "name") || !strcmp(key, "unit") || !strcmp(key, "holder"))
            json_object_set_new(out, key, json_string(name));
        else if ((type && (!strcmp(type, "uscc") || !strcmp(type, "id_number"))) || !strcmp(key, "uscc") ||
                 !strcmp(key, "id_number"))
            json_object_set_new(out, key, json_string(ident));
        else if (!strcmp(key, "license_no") || !strcmp(key, "cert_no"))
            json_object_set_new(out, key, json_string(case_no));
    }
    return out;
}

int
yw_lic_on_case_approved(struct yw_dbc *c, const char *name, json_t *payload, void *ctx, struct yw_err *err)
{
    (void)name;
    (void)ctx;
    json_int_t item_id = json_integer_value(json_object_get(payload, "item_id"));
    if (item_id == 0)
        return 0; /* a bundle: its items issue their own */
    json_t *item = NULL;
    int rc = yw_catalog_item_by_id(c, item_id, &item);
    if (rc)
        return rc == YW_ENOTFOUND ? 0 : rc;
    const char *produces = json_string_value(json_object_get(item, "produces"));
    if (produces == NULL || *produces == '\0') {
        json_decref(item);
        return 0;
    }
    struct ltype t;
    if ((rc = load_type(c, produces, &t))) {
        json_decref(item);
        return rc == YW_ENOTFOUND ? 0 : rc;
    }
    const char *ident = json_string_value(json_object_get(payload, "applicant_ident"));
    const char *holder = json_string_value(json_object_get(payload, "applicant_name"));
    const char *case_no = json_string_value(json_object_get(payload, "case_no"));
    json_t *fields = fields_from_case(&t, json_object_get(payload, "form"), ident ? ident : "", holder ? holder : "",
                                      case_no ? case_no : "");
    char id[128];
    struct yw_lic_issue in = { .type_code = produces, .holder_ident = ident, .holder_name = holder, .fields = fields,
                               .source = case_no, .actor = "system" };
    rc = yw_lic_issue(c, &in, id, err);
    json_decref(fields);
    json_decref(t.fields);
    json_decref(item);
    return rc;
}
