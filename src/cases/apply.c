/*
 * apply.c - making an application: item or bundle, online, at the window or at
 * a kiosk; the form (prefilled from the applicant's authoritative record or
 * by the prefill providers, and checked by field type), the materials
 * (uploads, or e-licenses found by the material providers of
 * core/provider.h), drafts, submission, and the one supplement after a
 * one-time notice.
 *
 * Rules checked at submission: who may apply (the item's target), the account's
 * real-name level, required fields and their types, required materials.
 * A retried submission with the same Idempotency-Key returns the first case;
 * the same key with a different request is refused (422
 * idempotency_key_reused), as the payment APIs that made the header common do.
 */
#include "cases/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/crypto.h"
#include "core/provider.h"
#include "core/utf8.h"
#include "files/files.h"
#include "identity/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the applicant ---- */

struct applicant {
    int64_t id;
    const char *kind, *name, *ident, *phone;
    const char *sex, *birth_date, *legal_rep;
    int realname_level;
    /* for a company: the person who acts - its agent when an agent applies,
     * else the legal representative; person fields of a form come from them */
    const char *rep_name, *rep_id, *rep_sex, *rep_birth;
};

/* A company's acting person: its agent (when a person applies for it), else
 * the legal representative; sex and birth date from their ID number. */
static void
set_rep(struct yw_arena *a, struct applicant *ap, const char *name, const char *id)
{
    ap->rep_name = yw_arena_strdup(a, name);
    ap->rep_id = yw_arena_strdup(a, id);
    struct yw_cnid_person p;
    if (yw_cnid_check_id(id, strlen(id), &p, NULL) == 0) {
        ap->rep_sex = p.sex == 'M' ? "男" : "女";
        ap->rep_birth = yw_arena_strdup(a, p.birth);
    }
}

static int
load_applicant(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct applicant *out)
{
    memset(out, 0, sizeof *out);
    struct yw_ident_account acc; /* identity's reader: strings already in a */
    int rc = yw_ident_account_get(c, a, id, &acc);
    if (rc)
        return rc;
    if (strcmp(acc.status, "active") != 0)
        return YW_ENOTFOUND;
    out->id = acc.id;
    out->kind = acc.kind;
    out->name = acc.name;
    out->phone = acc.phone;
    out->ident = acc.ident;
    out->sex = acc.sex;
    out->birth_date = acc.birth_date;
    out->legal_rep = acc.legal_rep_name;
    out->realname_level = acc.realname_level;
    if (!strcmp(out->kind, "enterprise"))
        set_rep(a, out, out->legal_rep, acc.legal_rep_id);
    return strcmp(out->kind, "staff") == 0 ? YW_ENOTFOUND : 0;
}

/* The prefill sources the applicant's own account answers. */
static const char *const own_sources[] = { "company_name", "uscc",       "name",  "id_number",
                                           "sex",          "birth_date", "phone", "legal_rep" };

static bool
own_source(const char *source)
{
    for (size_t i = 0; i < sizeof own_sources / sizeof own_sources[0]; i++)
        if (!strcmp(own_sources[i], source))
            return true;
    return false;
}

/* The value of one of own_sources from the applicant's record (NULL or ""
 * when the record has none: the applicant fills the field in). */
static const char *
own_prefill(const struct applicant *ap, const char *source)
{
    bool company = !strcmp(ap->kind, "enterprise");
    if (!strcmp(source, "company_name"))
        return company ? ap->name : NULL;
    if (!strcmp(source, "uscc"))
        return company ? ap->ident : NULL;
    if (company) {
        /* person fields of a company's form: the acting person */
        if (!strcmp(source, "name"))
            return ap->rep_name;
        if (!strcmp(source, "id_number"))
            return ap->rep_id;
        if (!strcmp(source, "sex"))
            return ap->rep_sex;
        if (!strcmp(source, "birth_date"))
            return ap->rep_birth;
    }
    if (!strcmp(source, "name"))
        return ap->name;
    if (!strcmp(source, "id_number"))
        return ap->ident;
    if (!strcmp(source, "sex"))
        return !strcmp(ap->sex, "M") ? "男" : !strcmp(ap->sex, "F") ? "女" : "";
    if (!strcmp(source, "birth_date"))
        return ap->birth_date;
    if (!strcmp(source, "phone"))
        return ap->phone;
    if (!strcmp(source, "legal_rep"))
        return ap->legal_rep;
    return NULL;
}

/* What is known for form field source `source`: the applicant's own record
 * for own_sources, else the registered prefill providers (core/provider.h)
 * about the applicant.  0 with a new reference in *value, YW_ENOTFOUND when
 * nothing is known (the applicant fills the field in), or a provider's error. */
static int
prefill(struct yw_dbc *c, const struct applicant *ap, const char *source, json_t **value)
{
    *value = NULL;
    if (own_source(source)) {
        const char *pv = own_prefill(ap, source);
        if (pv == NULL || *pv == '\0')
            return YW_ENOTFOUND;
        *value = json_string(pv);
        return 0;
    }
    return yw_provider_prefill(c, ap->ident, source, value);
}

/* ---- the form ---- */

static bool
date_ok(const char *s)
{
    int64_t d;
    return yw_cal_parse_day(s, &d) == 0;
}

/* Check `form` against the item's field list; prefilled fields are set from
 * the applicant's record or a prefill provider (authoritative, not
 * editable).  `fields` may hold several items' fields (a bundle's one form).
 * On success *out is the normalised form (new reference); a provider that
 * cannot tell fails the check with its error. */
static int
check_form(struct yw_dbc *c, json_t *fields, json_t *form, const struct applicant *ap, bool draft,
           json_t **out, struct yw_err *err)
{
    json_t *result = json_object();
    const char *key;
    json_t *v;
    if (form && !json_is_object(form)) {
        json_decref(result);
        return yw_fail(err, YW_EFIELD, "form", "form must be an object of field values");
    }
    json_object_foreach(form, key, v)
    {
        bool known = false;
        size_t i;
        json_t *f;
        json_array_foreach(fields, i, f) if (!strcmp(json_string_value(json_object_get(f, "key")),
                                                     key)) known = true;
        if (!known) {
            json_decref(result);
            return yw_fail(err, YW_EUNKNOWN, "form", "the form has no field '%.60s'", key);
        }
    }
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        const char *k = json_string_value(json_object_get(f, "key"));
        const char *type = json_string_value(json_object_get(f, "type"));
        const char *label = json_string_value(json_object_get(f, "label"));
        const char *source = json_string_value(json_object_get(f, "prefill"));
        char fname[80];
        snprintf(fname, sizeof fname, "form.%s", k);
        if (source) {
            json_t *pv = NULL;
            int prc = prefill(c, ap, source, &pv);
            if (prc == 0) {
                json_object_set_new(result, k, pv);
                continue;
            }
            if (prc !=
                YW_ENOTFOUND) { /* a failed read is not "unknown": the field would be the applicant's */
                json_decref(result);
                return yw_fail(err, prc, fname, "cannot prefill '%s'", label ? label : k);
            }
        }
        json_t *val = form ? json_object_get(form, k) : NULL;
        if (val == NULL || json_is_null(val) ||
            (json_is_string(val) && json_string_length(val) == 0)) {
            if (json_is_true(json_object_get(f, "required")) && !draft) {
                json_decref(result);
                return yw_fail(err, YW_EMISSING, fname, "fill in '%s'", label ? label : k);
            }
            continue;
        }
        if (!strcmp(type, "number")) {
            if (!json_is_number(val)) {
                json_decref(result);
                return yw_fail(err, YW_EFIELD, fname, "'%s' must be a number", label);
            }
            if (json_number_value(val) < 0) { /* amounts, areas and counts: never below zero */
                json_decref(result);
                return yw_fail(err, YW_EFIELD, fname, "'%s' must be zero or more", label);
            }
            json_object_set(result, k, val);
            continue;
        }
        if (!json_is_string(val) ||
            !yw_utf8_valid(json_string_value(val), json_string_length(val)) ||
            yw_utf8_len(json_string_value(val), json_string_length(val)) > 500) {
            json_decref(result);
            return yw_fail(err, YW_EFIELD, fname, "'%s' must be text of at most 500 characters",
                           label);
        }
        const char *sv = json_string_value(val);
        int rc = 0;
        char norm[19] = ""; /* an identifier's stored form, however typed (yw_cnid_normalize) */
        if (!strcmp(type, "date") && !date_ok(sv))
            rc = yw_fail(err, YW_EFIELD, fname, "'%s' must be a date like 2026-09-24", label);
        else if (!strcmp(type, "id_number")) {
            struct yw_cnid_person p;
            rc = yw_cnid_check_id(sv, strlen(sv), &p, err);
            if (rc)
                snprintf(err->field, sizeof err->field, "%.63s", fname);
            else
                memcpy(norm, p.id, sizeof norm);
        } else if (!strcmp(type, "uscc")) {
            struct yw_cnid_org o;
            rc = yw_cnid_check_uscc(sv, strlen(sv), &o, err);
            if (rc)
                snprintf(err->field, sizeof err->field, "%.63s", fname);
            else
                memcpy(norm, o.code, sizeof norm);
        } else if (!strcmp(type, "phone") && !yw_cnid_mobile_ok(sv) &&
                   (sv[0] != '0' || strlen(sv) < 10)) {
            rc = yw_fail(err, YW_EFIELD, fname, "'%s' must be a phone number", label);
        } else if (!strcmp(type, "choice")) {
            bool ok = false;
            size_t j;
            json_t *opt;
            json_array_foreach(json_object_get(f, "options"), j,
                               opt) if (json_is_string(opt) && !strcmp(json_string_value(opt), sv))
                ok = true;
            if (!ok)
                rc =
                    yw_fail(err, YW_EFIELD, fname, "'%s' must be one of the listed options", label);
        }
        if (rc) {
            json_decref(result);
            return rc;
        }
        json_object_set_new(result, k, norm[0] ? json_string(norm) : json_incref(val));
    }
    *out = result;
    return 0;
}

/* ---- materials ---- */

/* A case's materials while a submission or a revision works on them: the rows
 * of case_materials, decided in memory and written once - a new case's as one
 * multi-row INSERT with their sources already set, a revision's as an UPDATE
 * of each row that changed.  Strings live in the request's arena or in the
 * item document, which outlives the rows. */
struct mat {
    const char *code, *name, *required, *lt; /* lt: license_type, "" for none */
    const char *source, *ref;
    bool changed;
};

struct mats {
    struct mat *m;
    int n;
};

static void
mat_set(struct mat *m, const char *source, const char *ref)
{
    if (strcmp(m->source, source) || strcmp(m->ref, ref))
        m->changed = true;
    m->source = source;
    m->ref = ref;
}

/* The rows of a new case of `item`: every material, none supplied yet. */
static void
mats_of_item(struct yw_arena *a, json_t *item, struct mats *out)
{
    json_t *list = json_object_get(item, "materials");
    size_t n = json_array_size(list), i;
    json_t *m;
    out->m = yw_arena_zalloc(a, (n ? n : 1) * sizeof *out->m);
    out->n = 0;
    json_array_foreach(list, i, m)
    {
        const char *lt = json_string_value(json_object_get(m, "license_type"));
        const char *req = json_string_value(json_object_get(m, "required"));
        out->m[out->n++] = (struct mat){ .code = json_string_value(json_object_get(m, "code")),
                                         .name = json_string_value(json_object_get(m, "name")),
                                         .required = req ? req : "",
                                         .lt = lt ? lt : "",
                                         .source = "none",
                                         .ref = "" };
    }
}

/* The rows of an existing case, in their order; 0 or the read's error (never
 * a short list). */
static int
mats_of_case(struct yw_dbc *c, struct yw_arena *a, int64_t case_id, struct mats *out)
{
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT material_code, name, required, license_type, source, "
                                    "ref FROM case_materials WHERE case_id = ? ORDER BY sort",
                                    "i", case_id);
    if (s == NULL)
        return YW_EDB;
    int cap = 16, rc;
    out->m = yw_arena_zalloc(a, cap * sizeof *out->m);
    out->n = 0;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        if (out->n == cap) {
            struct mat *more = yw_arena_zalloc(a, 2 * cap * sizeof *more);
            memcpy(more, out->m, cap * sizeof *more);
            out->m = more;
            cap *= 2;
        }
        out->m[out->n++] = (struct mat){ .code = yw_arena_strdup(a, yw_db_col_text(s, 0)),
                                         .name = yw_arena_strdup(a, yw_db_col_text(s, 1)),
                                         .required = yw_arena_strdup(a, yw_db_col_text(s, 2)),
                                         .lt = yw_arena_strdup(a, yw_db_col_text(s, 3)),
                                         .source = yw_arena_strdup(a, yw_db_col_text(s, 4)),
                                         .ref = yw_arena_strdup(a, yw_db_col_text(s, 5)) };
    }
    return yw_db_finish(s, rc);
}

static struct mat *
mats_find(struct mats *ms, const char *code)
{
    for (int i = 0; i < ms->n; i++)
        if (ms->m[i].code && code && !strcmp(ms->m[i].code, code))
            return &ms->m[i];
    return NULL;
}

/* A new case's rows in one INSERT (case_materials' primary key is (case_id,
 * material_code): an item never names a code twice).  On PostgreSQL the rows
 * go as one JSON array parameter, so the statement has a fixed text and
 * parameters and is sent ahead with the job's other writes (db.h,
 * YW_TX_SEND_AHEAD) instead of waiting for its answer; on SQLite, where
 * nothing waits on a network, a multi-row VALUES. */
static int
mats_insert(struct yw_dbc *c, int64_t case_id, const struct mats *ms)
{
    if (ms->n == 0)
        return 0;
    struct yw_buf b;
    yw_buf_init(&b);
    int rc;
    if (yw_db_engine(yw_dbc_db(c)) == YW_DB_PG) {
        yw_buf_addc(&b, '[');
        for (int i = 0; i < ms->n; i++) {
            const struct mat *m = &ms->m[i];
            const char *col[6] = { m->code, m->name, m->required, m->lt, m->source, m->ref };
            yw_buf_adds(&b, i ? ",[" : "[");
            for (int j = 0; j < 6; j++) {
                if (j)
                    yw_buf_addc(&b, ',');
                yw_buf_add_json_str(&b, col[j], strlen(col[j]));
            }
            yw_buf_addc(&b, ']');
        }
        yw_buf_addc(&b, ']');
        rc = yw_db_run(c,
                       "INSERT INTO case_materials (case_id, material_code, name, required, "
                       "license_type, source, ref, sort) SELECT CAST(? AS BIGINT), x->>0, x->>1, "
                       "x->>2, x->>3, x->>4, x->>5, CAST(o - 1 AS INTEGER) FROM "
                       "jsonb_array_elements(CAST(? AS JSONB)) WITH ORDINALITY AS t(x, o)",
                       "is", case_id, b.p);
        yw_buf_release(&b);
        return rc;
    }
    yw_buf_adds(&b, "INSERT INTO case_materials (case_id, material_code, name, required, "
                    "license_type, source, ref, sort) VALUES ");
    for (int i = 0; i < ms->n; i++)
        yw_buf_adds(&b, i ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)");
    struct yw_stmt *s = yw_db_prepare(c, b.p);
    yw_buf_release(&b);
    if (s == NULL)
        return YW_EDB;
    for (int i = 0; i < ms->n; i++) {
        const struct mat *m = &ms->m[i];
        int p = 8 * i;
        yw_db_bind_int(s, p + 1, case_id);
        yw_db_bind_str(s, p + 2, m->code);
        yw_db_bind_str(s, p + 3, m->name);
        yw_db_bind_str(s, p + 4, m->required);
        yw_db_bind_str(s, p + 5, m->lt);
        yw_db_bind_str(s, p + 6, m->source);
        yw_db_bind_str(s, p + 7, m->ref);
        yw_db_bind_int(s, p + 8, i);
    }
    rc = yw_db_step(s);
    yw_db_reset(s);
    return rc == YW_DONE ? 0 : rc < 0 ? rc : YW_EDB;
}

static int
set_material(struct yw_dbc *c, int64_t case_id, const char *code, const char *source,
             const char *ref)
{
    return yw_db_run(
        c, "UPDATE case_materials SET source = ?, ref = ? WHERE case_id = ? AND material_code = ?",
        "ssis", source, ref, case_id, code);
}

/* An existing case's rows that changed, an UPDATE each. */
static int
mats_update(struct yw_dbc *c, int64_t case_id, const struct mats *ms)
{
    for (int i = 0; i < ms->n; i++) {
        int rc = ms->m[i].changed
                     ? set_material(c, case_id, ms->m[i].code, ms->m[i].source, ms->m[i].ref)
                     : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static bool
item_has_material(json_t *item, const char *code)
{
    size_t i;
    json_t *m;
    json_array_foreach(
        json_object_get(item, "materials"), i,
        m) if (!strcmp(json_string_value(json_object_get(m, "code")), code)) return true;
    return false;
}

/* The uploads a request names, each read once (two materials may share one):
 * ids and their rows, in the order first named. */
struct uploads {
    int n;
    const char *id[64];
    struct yw_file_info fi[64];
};

/* Check the shape of the materials list before anything is written: every
 * upload it names exists and belongs to owner_a or owner_b.  up (may be
 * NULL) gets the uploads read. */
static int
check_material_refs(struct yw_dbc *c, json_t *materials, int64_t owner_a, int64_t owner_b,
                    struct uploads *up, struct yw_err *err)
{
    struct uploads local;
    if (up == NULL)
        up = &local;
    up->n = 0;
    if (materials == NULL || json_is_null(materials))
        return 0;
    if (!json_is_array(materials))
        return yw_fail(err, YW_EFIELD, "materials",
                       "materials must be a list of {material_code, file_id}");
    size_t i;
    json_t *m;
    json_array_foreach(materials, i, m)
    {
        const char *code = json_string_value(json_object_get(m, "material_code"));
        const char *file = json_string_value(json_object_get(m, "file_id"));
        json_t *lic = json_object_get(m, "license_id");
        bool clear = json_is_null(json_object_get(m, "file_id")) &&
                     lic == NULL; /* a draft drops a material */
        if (!json_is_object(m) || code == NULL || (file == NULL && lic == NULL && !clear))
            return yw_fail(
                err, YW_EFIELD, "materials",
                "material %zu needs material_code and file_id or license_id (file_id null removes it)",
                i);
        if (file) {
            int k = 0;
            while (k < up->n && strcmp(up->id[k], file))
                k++;
            struct yw_file_info one, *fi = k < up->n ? &up->fi[k] : &one;
            int rc = k < up->n ? 0 : yw_files_get(c, file, fi);
            if (rc == YW_ENOTFOUND || (rc == 0 && fi->owner != owner_a && fi->owner != owner_b))
                return yw_fail(err, YW_EFIELD, "materials",
                               "material '%.40s': no such upload '%.40s'", code, file);
            if (rc)
                return rc;
            if (k == up->n && up->n < 64) {
                up->id[up->n] = file;
                up->fi[up->n++] = one;
            }
        } else if (!clear && !json_is_string(lic)) {
            return yw_fail(err, YW_EFIELD, "materials",
                           "material '%.40s': license_id must be a string", code);
        }
    }
    return 0;
}

/* Apply uploads to the case's materials, then let the providers satisfy what
 * is still missing and maps to an e-license type. */
static int
fill_materials(struct yw_dbc *c, struct yw_arena *a, struct mats *ms, json_t *item,
               json_t *materials, const char *holder, bool strict_codes, struct yw_err *err)
{
    size_t i;
    json_t *m;
    json_array_foreach(materials, i, m)
    {
        const char *code = json_string_value(json_object_get(m, "material_code"));
        if (!item_has_material(item, code)) {
            if (strict_codes)
                return yw_fail(err, YW_EFIELD, "materials", "this item has no material '%.40s'",
                               code);
            continue;
        }
        struct mat *row = mats_find(ms, code);
        const char *file = json_string_value(json_object_get(m, "file_id"));
        const char *lic = json_string_value(json_object_get(m, "license_id"));
        if (file) {
            if (row)
                mat_set(row, "file", file);
        } else if (lic == NULL) {
            if (row)
                mat_set(row, "none", ""); /* removed */
        } else {
            /* an e-license named by the applicant: a provider must vouch for it */
            const char *lt = NULL;
            json_t *im;
            size_t j;
            json_array_foreach(
                json_object_get(item, "materials"), j,
                im) if (!strcmp(json_string_value(json_object_get(im, "code")), code)) lt =
                json_string_value(json_object_get(im, "license_type"));
            json_t *ev = NULL;
            int prc = lt ? yw_provider_find_material(c, holder, lt, lic, &ev) : YW_ENOTFOUND;
            json_decref(ev);
            if (prc != 0 && prc != YW_ENOTFOUND) /* a failed read is not "not a valid license" */
                return yw_fail(err, prc, "", "material '%.40s': cannot check e-license '%.40s'",
                               code, lic);
            if (prc == YW_ENOTFOUND)
                return yw_fail(
                    err, YW_EFIELD, "materials",
                    "material '%.40s': e-license '%.40s' is not a valid license of the applicant for it",
                    code, lic);
            if (row)
                mat_set(row, "license", lic);
        }
    }
    if (yw_provider_material_count() == 0)
        return 0;
    json_array_foreach(json_object_get(item, "materials"), i, m)
    {
        const char *lt = json_string_value(json_object_get(m, "license_type"));
        if (lt == NULL || *lt == '\0')
            continue;
        /* only where nothing was supplied */
        struct mat *row = mats_find(ms, json_string_value(json_object_get(m, "code")));
        if (row == NULL || strcmp(row->source, "none"))
            continue;
        json_t *ev = NULL;
        int prc = yw_provider_find_material(c, holder, lt, NULL, &ev);
        if (prc != 0 &&
            prc != YW_ENOTFOUND) /* a failed read must not leave the material "missing" */
            return yw_fail(err, prc, "", "material '%.40s': cannot look for an e-license",
                           json_string_value(json_object_get(m, "code")));
        if (prc == 0) {
            const char *ref = json_string_value(json_object_get(ev, "ref"));
            mat_set(row, "license", yw_arena_strdup(a, ref ? ref : ""));
            json_decref(ev);
        }
    }
    return 0;
}

static bool
in_list(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i,
                       v) if (json_is_string(v) && !strcmp(json_string_value(v), s)) return true;
    return false;
}

/* The e-license types that the items of a bundle before step `step` produce,
 * as {type: item code} (new reference): a sub-case's material of such a type
 * is not asked for; the earlier step issues it, and the sub-case takes it when
 * its step starts (yw_case__link_licenses). */
static json_t *
produced_before(json_t *items, json_t *steps, json_int_t step)
{
    json_t *out = json_object();
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *p = json_string_value(json_object_get(it, "produces"));
        if (p && *p && json_integer_value(json_array_get(steps, i)) < step &&
            !json_object_get(out, p))
            json_object_set(out, p, json_object_get(it, "code"));
    }
    return out;
}

/* A bundle's sub-case: what is still missing and is either issued by an
 * earlier step (`produced`, source 'step', ref the item that issues it) or
 * made from the bundle's one form (its `one_form` names, source 'form') is not
 * asked of the applicant. */
static void
bundle_sources(struct mats *ms, json_t *item, json_t *produced, json_t *one_form)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(item, "materials"), i, m)
    {
        const char *lt = json_string_value(json_object_get(m, "license_type"));
        const char *by = lt && *lt ? json_string_value(json_object_get(produced, lt)) : NULL;
        bool form = in_list(one_form, json_string_value(json_object_get(m, "name")));
        struct mat *row = mats_find(ms, json_string_value(json_object_get(m, "code")));
        if ((by == NULL && !form) || row == NULL || strcmp(row->source, "none"))
            continue;
        mat_set(row, by ? "step" : "form", by ? by : "");
    }
}

/* 422 naming the first required material still missing that no material
 * waiver provider lets the holder hand in later (容缺受理, core/provider.h);
 * the provider's error when one cannot tell (never "complete"). */
static int
check_complete(struct yw_dbc *c, const struct mats *ms, json_t *item, const char *holder,
               struct yw_err *err)
{
    const char *title = json_string_value(json_object_get(item, "name"));
    int seen = 0;
    for (int i = 0; i < ms->n && seen < 32; i++) { /* more than 32 missing: the first 32 decide */
        const struct mat *m = &ms->m[i];
        if (strcmp(m->required, "required") || strcmp(m->source, "none"))
            continue;
        seen++;
        int rc = yw_provider_waive_material(
            c, holder, json_string_value(json_object_get(item, "code")),
            json_string_value(json_object_get(item, "dept")), m->code, NULL);
        if (rc == 0)
            continue; /* to be handed in later */
        if (rc != YW_ENOTFOUND)
            return yw_fail(err, rc, "", "%s: cannot tell whether '%s' may come later", title,
                           m->name);
        char field[80];
        snprintf(field, sizeof field, "materials.%s", m->code);
        return yw_fail(err, YW_EMISSING, field, "%s: the material '%s' is still missing", title,
                       m->name);
    }
    return 0;
}

/* ---- creating ---- */

/* The INSERT of a case row with its number: XH + the Shanghai date + the row
 * id, zero-padded to at least six digits - unique across nodes, readable,
 * dated.  The id is taken in the same statement (PostgreSQL: the identity's
 * sequence, cases_id_seq, named as a constant: pg_get_serial_sequence looked it
 * up by name at every INSERT; SQLite: the rowid it would choose, one more than the largest, the
 * writer holding the database), so the row is written once with its number;
 * and it returns the row as yw_case__load_id would read it. */
#define CASE_INSERT_COLS                                                                           \
    "INSERT INTO cases (id, case_no, parent_id, kind, item_id, code, title, dept_code, "           \
    "bundle_step, applicant_id, applicant_kind, applicant_name, applicant_ident, submitted_by, "   \
    "channel, status, form, legal_days, promised_days, created_at, updated_at, submitted_at) "
#define CASE_INSERT_VALUES                                                                         \
    "NULLIF(CAST(? AS BIGINT), 0), ?, NULLIF(CAST(? AS BIGINT), 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, "   \
    "?, ?, ?, ?, ?, ?, ?, ?) RETURNING " YW_CASE_COLS
static const char case_insert_pg[] =
    "WITH n AS (SELECT nextval('cases_id_seq') AS id) " CASE_INSERT_COLS
    "VALUES ((SELECT id FROM n), (SELECT CONCAT(CAST(? AS TEXT), CASE WHEN id < 1000000 THEN "
    "LPAD(CAST(id AS TEXT), 6, '0') ELSE CAST(id AS TEXT) END) FROM n), " CASE_INSERT_VALUES;
static const char case_insert_sqlite[] =
    "WITH n AS (SELECT COALESCE(MAX(id), 0) + 1 AS id FROM cases) " CASE_INSERT_COLS
    "VALUES ((SELECT id FROM n), (SELECT ? || printf('%06d', id) FROM n), " CASE_INSERT_VALUES;

static int
insert_case(struct yw_dbc *c, const char *kind, int64_t parent, int64_t item_id, const char *code,
            const char *title, const char *dept, int step, const struct applicant *ap,
            const struct yw_actor *who, const char *channel, const char *status, json_t *form,
            int legal, int promised, struct yw_arena *a, struct yw_case *row, int64_t *id_out)
{
    char now[32];
    yw_db_now_text(now);
    char *form_text = json_dumps(form ? form : json_object(), JSON_COMPACT);
    char prefix[16], day[11];
    yw_cal_day_text(yw_cal_day_of_ms(yw_clock_now_ms()), day);
    snprintf(prefix, sizeof prefix, "XH%.4s%.2s%.2s", day, day + 5, day + 8);
    /* parent_id and item_id: 0 stores SQL NULL (an item case has no
     * parent, a bundle case no item) */
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s, yw_db_engine(yw_dbc_db(c)) == YW_DB_PG ? case_insert_pg : case_insert_sqlite,
        "sisisssdisssisssddsss", prefix, parent, kind, item_id, code, title, dept, step, ap->id,
        ap->kind, ap->name, ap->ident, who->id, channel, status, form_text ? form_text : "{}",
        legal, promised, now, now, strcmp(status, CS_DRAFT) ? now : "");
    free(form_text);
    if (rc)
        return rc == YW_ENOTFOUND ? YW_EDB : rc; /* RETURNING always has its row */
    *id_out = yw_db_col_int(s, 0);
    if (row)
        yw_case__row(s, a, row);
    yw_db_reset(s);
    return 0;
}

static int
check_rules(json_t *item, const struct applicant *ap, const struct yw_actor *who,
            const char *channel, struct yw_err *err)
{
    const char *target = json_string_value(json_object_get(item, "target"));
    const char *name = json_string_value(json_object_get(item, "name"));
    if (target && strcmp(target, ap->kind) != 0)
        return yw_fail(err, YW_EFORBIDDEN, "item_code", "'%s' is for %s applicants", name,
                       !strcmp(target, "person") ? "personal (个人)" : "company (法人)");
    json_t *rl = json_object_get(item, "realname_level");
    int need = json_is_integer(rl) ? (int)json_integer_value(rl) : 1;
    int have = ap->realname_level;
    if (!strcmp(channel, "window"))
        have = 3; /* the clerk checked the applicant's documents in person */
    if (need > have)
        return yw_fail(
            err, YW_EFORBIDDEN, "item_code",
            "'%s' needs real-name level %d (your account has %d): verify your identity at the hall or with "
            "face recognition first",
            name, need, have);
    (void)who;
    return 0;
}

/* The digest an Idempotency-Key is stored with: SHA-256 (hex) of the request
 * as the server read it - item or bundle, form, materials, draft, channel and
 * the applicant (which also stands for on_behalf_of) - as JSON with sorted
 * keys, compact.  So key order and white space in the body do not make two
 * requests differ; any value does.  Channel and applicant are the resolved
 * ones (an omitted channel is "online"). */
static void
request_digest(const struct yw_apply *in, char out[65])
{
    json_t *r = json_pack("{s:s?, s:s?, s:O?, s:O?, s:b, s:s?, s:I}", "item_code", in->item_code,
                          "bundle_code", in->bundle_code, "form", in->form, "materials",
                          in->materials, "draft", in->draft, "channel", in->channel, "applicant_id",
                          (json_int_t)in->applicant_id);
    char *text = r ? json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    unsigned char d[32] = { 0 };
    if (text == NULL || yw_sha256(text, strlen(text), d) != 0)
        memset(
            d, 0,
            sizeof d); /* never reached with a parsed body; an all-zero digest still differs from any real one */
    yw_hex(d, sizeof d, out);
    free(text);
    json_decref(r);
}

/* The case an Idempotency-Key of this account made: 0 with *case_id,
 * YW_ENOTFOUND when the key is new, YW_EIDEMREUSED when it was used with
 * another request (keys stored before migration 0011 have no digest and
 * match any request), or the read's error. */
static int
lookup_idem(struct yw_dbc *c, int64_t account, const char *key, const char *digest,
            int64_t *case_id, struct yw_err *err)
{
    struct yw_stmt *s;
    int rc = yw_db_one_row(
        c, &s,
        "SELECT case_id, request_hash FROM idempotency_keys WHERE account_id = ? AND key = ?", "is",
        account, key);
    if (rc)
        return rc;
    *case_id = yw_db_col_int(s, 0);
    const char *stored = yw_db_col_text(s, 1);
    bool same = stored == NULL || *stored == '\0' || strcmp(stored, digest) == 0;
    yw_db_reset(s);
    if (!same)
        return yw_fail(
            err, YW_EIDEMREUSED, "Idempotency-Key",
            "Idempotency-Key '%.64s' was already used with a different request: use a new key for a new "
            "request",
            key);
    return 0;
}

/* What a new item case's transaction wrote of its materials: the answer is
 * made from it after the commit instead of reading it back. */
struct made {
    const struct uploads *up; /* the uploads the request named, read once */
    struct mats ms;           /* out: the case's materials (strings in item, the request) */
    json_t *item;             /* out: a reference to the item's document, held by the arena */
    json_t *used; /* out: the e-licenses used, as the submitted event's licenses_used */
};

/* A new item case's 201 answer, in parts (yw_case__made_json). */
struct yw_case_made {
    struct yw_case row; /* as its INSERT returned it: nothing after changed it */
    struct mats ms;
    const struct uploads *up;
    bool staff_view;
    char at[32], note[96];
    const char *action;
    int64_t who_id;
    const char *who_name, *who_role;
};

static void
release_json(void *p)
{
    json_decref(p);
}

static json_t *
take_json(json_t **p)
{
    json_t *v = *p;
    *p = NULL;
    return v;
}

/* The e-licenses a new case's materials use (the submitted event's
 * licenses_used). */
static json_t *
made_used(const struct mats *ms, json_t *item)
{
    json_t *used = json_array();
    for (int i = 0; i < ms->n; i++) {
        const struct mat *m = &ms->m[i];
        if (!strcmp(m->source, "license"))
            json_array_append_new(
                used, json_pack("{s:s, s:s, s:s, s:s}", "license_id", m->ref, "material", m->name,
                                "title", json_string_value(json_object_get(item, "name")), "dept",
                                json_string_value(json_object_get(item, "dept"))));
    }
    return used;
}

/* The materials as the case's viewer sees them (yw_case__material_json). */
static json_t *
made_materials(const struct mats *ms, const struct uploads *up, int *missing)
{
    json_t *list = json_array();
    *missing = 0;
    for (int i = 0; i < ms->n; i++) {
        const struct mat *m = &ms->m[i];
        const struct yw_file_info *fi = NULL;
        for (int k = 0; up && !strcmp(m->source, "file") && k < up->n && fi == NULL; k++)
            if (!strcmp(up->id[k], m->ref))
                fi = &up->fi[k];
        json_array_append_new(list, yw_case__material_json(m->code, m->name, m->required, m->lt,
                                                           m->source, m->ref, fi, missing));
    }
    return list;
}

static int
create_item_case(struct yw_dbc *c, struct yw_arena *a, json_t *item, int64_t item_id,
                 int64_t parent, int step, const struct applicant *ap, const struct yw_actor *who,
                 const struct yw_apply *in, json_t *form, const char *status, bool strict_codes,
                 json_t *produced, json_t *one_form, struct made *mk, struct yw_case *row,
                 int64_t *id, struct yw_err *err)
{
    int rc =
        insert_case(c, "item", parent, item_id, json_string_value(json_object_get(item, "code")),
                    json_string_value(json_object_get(item, "name")),
                    json_string_value(json_object_get(item, "dept")), step, ap, who, in->channel,
                    status, form, (int)json_integer_value(json_object_get(item, "legal_days")),
                    (int)json_integer_value(json_object_get(item, "promised_days")), a, row, id);
    /* the materials decided in memory, then written in one statement */
    struct mats ms;
    mats_of_item(a, item, &ms);
    if (rc == 0)
        rc = fill_materials(c, a, &ms, item, in->materials, ap->ident, strict_codes, err);
    if (rc == 0 && parent)
        bundle_sources(&ms, item, produced, one_form);
    if (rc == 0)
        rc = mats_insert(c, *id, &ms);
    if (rc == 0 && !in->draft)
        rc = check_complete(c, &ms, item, ap->ident, err);
    if (rc == 0 && mk) {
        mk->used = made_used(&ms, item);
        mk->ms = ms;
        mk->item = json_incref(item); /* the materials' strings are the document's */
        yw_arena_on_release(a, release_json, mk->item);
    }
    return rc;
}

/* The fields of every item of a bundle, each key once: the bundle's one form. */
static json_t *
union_fields(json_t *items)
{
    json_t *all = json_array();
    size_t i, j, k;
    json_t *it, *f, *g;
    json_array_foreach(items, i, it) json_array_foreach(json_object_get(it, "form"), j, f)
    {
        bool dup = false;
        json_array_foreach(all, k, g) if (!strcmp(json_string_value(json_object_get(g, "key")),
                                                  json_string_value(json_object_get(f, "key"))))
            dup = true;
        if (!dup)
            json_array_append(all, f);
    }
    return all;
}

/* The part of the one form that belongs to an item. */
static json_t *
form_for(json_t *item, json_t *form)
{
    json_t *o = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(item, "form"), i, f)
    {
        json_t *v = json_object_get(form, json_string_value(json_object_get(f, "key")));
        if (v)
            json_object_set(o, json_string_value(json_object_get(f, "key")), v);
    }
    return o;
}

/* The applicant of a new case: the account it is for; when a person applies
 * for a company, that person acts for it (their name and ID number fill the
 * person fields of the form). */
static int
load_case_applicant(struct yw_dbc *c, struct yw_arena *a, const struct yw_apply *in,
                    const struct yw_actor *who, struct applicant *ap, struct yw_err *err)
{
    int rc = load_applicant(c, a, in->applicant_id, ap);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "applicant_id", "no such applicant");
    if (rc)
        return rc;
    if (!strcmp(ap->kind, "enterprise")) {
        if (who->id != ap->id && (who->roles & YW_ROLE_PERSON)) {
            struct applicant agent;
            if (load_applicant(c, a, who->id, &agent) == 0 && !strcmp(agent.kind, "person"))
                set_rep(a, ap, agent.name, agent.ident);
        }
    }
    return 0;
}

/* A case of one item: *id gets its row id. */
static int
create_single(struct yw_dbc *c, struct yw_arena *a, const struct yw_apply *in,
              const struct applicant *ap, const struct yw_actor *who, const char *status,
              struct made *mk, struct yw_case *row, int64_t *id, struct yw_err *err)
{
    int64_t item_id;
    json_t *item = NULL, *form = NULL;
    int rc = yw_catalog_item_current_ro(c, in->item_code, &item_id, NULL, &item); /* read only */
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "item_code", "no service item '%.40s'", in->item_code);
    if (rc)
        return rc;
    if ((rc = check_rules(item, ap, who, in->channel, err)) ||
        (rc = check_form(c, json_object_get(item, "form"), in->form, ap, in->draft, &form, err))) {
        json_decref(item);
        return rc;
    }
    rc = create_item_case(c, a, item, item_id, 0, 0, ap, who, in, form, status, true, NULL, NULL,
                          mk, row, id, err);
    json_decref(item);
    json_decref(form);
    return rc;
}

/* The current version of every item of a bundle, in step order, into items
 * (documents), ids (row ids) and steps (step numbers).  An item the catalog
 * does not have is left out; an item that cannot be read is the read's error
 * (never a bundle case with fewer items). */
static int
bundle_items(struct yw_dbc *c, const char *bundle_code, json_t *bundle, json_t *items, json_t *ids,
             json_t *steps, struct yw_err *err)
{
    size_t i, j;
    json_t *st, *code;
    json_array_foreach(json_object_get(bundle, "steps"), i, st)
        json_array_foreach(json_object_get(st, "items"), j, code)
    {
        int64_t item_id = 0;
        json_t *item = NULL;
        int rc = yw_catalog_item_current(c, json_string_value(code), &item_id, NULL, &item);
        if (rc == YW_ENOTFOUND)
            continue;
        if (rc)
            return yw_fail(err, rc, "", "cannot read item '%.40s' of bundle '%.40s'",
                           json_string_value(code), bundle_code);
        json_array_append_new(items, item);
        json_array_append_new(ids, json_integer(item_id));
        json_t *sn = json_object_get(st, "step");
        json_array_append_new(
            steps, json_integer(json_is_integer(sn) ? json_integer_value(sn) : (json_int_t)i + 1));
    }
    return 0;
}

/* Every supplied material must belong to at least one item of the bundle. */
static int
check_bundle_materials(json_t *items, json_t *materials, struct yw_err *err)
{
    size_t i, j;
    json_t *m, *item;
    json_array_foreach(materials, i, m)
    {
        const char *mc = json_string_value(json_object_get(m, "material_code"));
        bool found = false;
        json_array_foreach(items, j, item) if (item_has_material(item, mc)) found = true;
        if (!found)
            return yw_fail(err, YW_EFIELD, "materials",
                           "no item of this bundle has material '%.40s'", mc);
    }
    return 0;
}

/* A bundle ("one thing"): the parent case with the one form, and a sub-case
 * per item; *id gets the parent's row id. */
static int
create_bundle(struct yw_dbc *c, struct yw_arena *a, const struct yw_apply *in,
              const struct applicant *ap, const struct yw_actor *who, const char *status,
              struct yw_case *row, int64_t *id, struct yw_err *err)
{
    json_t *bundle = NULL;
    int rc = yw_catalog_bundle(c, in->bundle_code, &bundle);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EFIELD, "bundle_code", "no bundle '%.40s'", in->bundle_code);
    if (rc)
        return rc;
    json_t *items = json_array(), *ids = json_array(), *steps = json_array(), *form = NULL;
    rc = bundle_items(c, in->bundle_code, bundle, items, ids, steps, err);
    json_t *fields = union_fields(items);
    json_t *first = json_array_get(items, 0);
    if (rc == 0)
        rc = first ? check_rules(first, ap, who, in->channel, err)
                   : yw_fail(err, YW_EFIELD, "bundle_code", "the bundle is empty");
    if (rc == 0)
        rc = check_form(c, fields, in->form, ap, in->draft, &form, err);
    int64_t parent = 0;
    if (rc == 0) {
        int promised = (int)json_integer_value(json_object_get(bundle, "promised_days"));
        rc = insert_case(c, "bundle", 0, 0, in->bundle_code,
                         json_string_value(json_object_get(bundle, "name")), "", 0, ap, who,
                         in->channel, status, form, promised, promised, a, row, &parent);
    }
    /* one set of materials: a material code supplied once satisfies it in every sub-case */
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (rc)
            break;
        int64_t sub = 0;
        json_t *sub_form = form_for(item, form);
        json_t *produced =
            produced_before(items, steps, json_integer_value(json_array_get(steps, i)));
        rc = create_item_case(c, a, item, json_integer_value(json_array_get(ids, i)), parent,
                              (int)json_integer_value(json_array_get(steps, i)), ap, who, in,
                              sub_form, status, false, produced,
                              json_object_get(bundle, "one_form"), NULL, NULL, &sub, err);
        json_decref(produced);
        json_decref(sub_form);
    }
    if (rc == 0)
        rc = check_bundle_materials(items, in->materials, err);
    *id = parent;
    json_decref(form);
    json_decref(fields);
    json_decref(items);
    json_decref(ids);
    json_decref(steps);
    json_decref(bundle);
    return rc;
}

/* Remember the Idempotency-Key of a new case with the request's digest, so a
 * retry returns it and another request with the key is refused. */
static int
store_idem(struct yw_dbc *c, int64_t account, const char *key, const char *digest, int64_t case_id)
{
    char now[32];
    yw_db_now_text(now);
    int rc = yw_db_run(
        c,
        "INSERT INTO idempotency_keys (account_id, key, case_id, created_at, request_hash) "
        "VALUES (?, ?, ?, ?, ?)",
        "isiss", account, key, case_id, now, digest);
    if (rc == YW_ECONFLICT)
        return YW_ERETRY; /* another node stored the same key first: retry returns its case */
    return rc;
}

int
yw_case__create(struct yw_dbc *c, struct yw_arena *a, const struct yw_apply *in,
                const struct yw_actor *who, bool staff_view, struct yw_case *out,
                struct yw_case_made **made, bool *replayed, struct yw_err *err)
{
    *replayed = false;
    if (made)
        *made = NULL;
    int rc;
    char digest[65] = "";
    if (in->idem_key) {
        int64_t existing = 0;
        request_digest(in, digest);
        rc = lookup_idem(c, who->id, in->idem_key, digest, &existing, err);
        if (rc == 0) {
            *replayed = true;
            return yw_case__load_id(c, a, existing, out);
        }
        if (rc != YW_ENOTFOUND)
            return rc;
    }
    struct applicant ap;
    if ((rc = load_case_applicant(c, a, in, who, &ap, err)))
        return rc;
    struct uploads *up = yw_arena_alloc(a, sizeof *up);
    if ((rc = check_material_refs(c, in->materials, who->id, ap.id, up, err)))
        return rc;
    const char *status = in->draft ? CS_DRAFT : CS_SUBMITTED;
    int64_t id = 0;
    struct made mk = { .up = up };
    /* out: the row as its INSERT returned it (nothing after changes it) */
    rc = in->item_code ? create_single(c, a, in, &ap, who, status, &mk, out, &id, err)
                       : create_bundle(c, a, in, &ap, who, status, out, &id, err);
    if (rc == 0 && in->idem_key)
        rc = store_idem(c, who->id, in->idem_key, digest, id);
    char note[96], at[32] = "";
    const char *action = in->draft ? "case.draft" : "case.submit";
    snprintf(note, sizeof note, "channel: %s", in->channel);
    if (rc == 0)
        rc = yw_case__note_at(c, out, who, action, note, at);
    out->form_current = true;  /* just loaded: the payload need not read the form again */
    if (rc == 0 && !in->draft) /* an item case's licenses_used: what it just wrote */
        rc = yw_case__publish_used(c, out, YW_EV_CASE_SUBMITTED, take_json(&mk.used), err);
    bool held = false; /* a fee paid on application (hold.c) */
    if (rc == 0 && !in->draft && (rc = yw_case__hold(c, out, "submitted", who, &held, err)) == 0 &&
        held)
        rc = yw_case__load_id(c, a, id, out);
    if (rc == 0 && made && mk.item && !held) {
        /* the answer's parts, from what this transaction wrote: the row as
         * loaded, its materials, no task yet, the one timeline event - as a
         * read after the commit would find them (a held case is read back
         * instead); written out on the HTTP worker after the commit */
        struct yw_case_made *m = yw_arena_zalloc(a, sizeof *m);
        *m = (struct yw_case_made){ .row = *out,
                                    .ms = mk.ms,
                                    .up = up,
                                    .staff_view = staff_view,
                                    .action = action,
                                    .who_id = who->id,
                                    .who_name = who->name ? who->name : "",
                                    .who_role = who->role ? who->role : "" };
        snprintf(m->at, sizeof m->at, "%s", at);
        snprintf(m->note, sizeof m->note, "%s", note);
        *made = m;
    }
    json_decref(mk.used);
    return rc;
}

json_t *
yw_case__made_json(struct yw_dbc *c, struct yw_arena *a, const struct yw_case_made *m)
{
    struct yw_case_parts parts = { .tasks = json_array(), .timeline = json_array() };
    parts.materials = made_materials(&m->ms, m->up, &parts.missing);
    json_array_append_new(parts.timeline,
                          yw_case__timeline_json(m->at, m->who_id, m->who_name, m->who_role,
                                                 m->action, m->row.status, m->row.status, m->note,
                                                 m->staff_view));
    return yw_case__json_parts(c, a, &m->row, m->staff_view, &parts);
}

/* Re-check form and materials of a case being edited (draft) or supplemented. */
static int
revise(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, json_t *form, json_t *materials,
       bool final_check, const struct yw_actor *who, struct yw_err *err)
{
    struct applicant ap;
    int rc = load_applicant(c, a, k->applicant_id, &ap);
    if (rc)
        return rc;
    if ((rc = check_material_refs(c, materials, who->id, ap.id, NULL, err)))
        return rc;
    /* the case's own item version (or its sub-cases' for a bundle) */
    int64_t ids[64];
    int n = 0;
    if (!strcmp(k->kind, "item")) {
        ids[n++] = k->id;
    } else {
        struct yw_stmt *s =
            yw_db_query(c, "SELECT id FROM cases WHERE parent_id = ? ORDER BY id", "i", k->id);
        if (s == NULL)
            return YW_EDB;
        while (n < 64 && (rc = yw_db_step(s)) == YW_ROW)
            ids[n++] = yw_db_col_int(s, 0);
        if (rc == YW_ROW) { /* the first 64 */
            yw_db_reset(s);
            rc = 0;
        } else if ((rc = yw_db_finish(
                        s, rc))) { /* never check the form against a truncated list of sub-cases */
            return yw_fail(err, rc, "", "cannot read the sub-cases of case '%s'", k->case_no);
        }
    }
    json_t *items = json_array(), *steps = json_array(), *bundle = NULL;
    if (strcmp(k->kind, "item") && (rc = yw_catalog_bundle(c, k->code, &bundle)) == YW_ENOTFOUND)
        rc = 0; /* a bundle no longer in the catalog: nothing comes from its one form */
    for (int i = 0; i < n && rc == 0; i++) {
        struct yw_case sub;
        json_t *item = NULL;
        rc = yw_case__load_id(c, a, ids[i], &sub);
        if (rc == 0)
            rc = yw_catalog_item_by_id(c, sub.item_id, &item);
        if (rc == 0) {
            json_array_append_new(items, item);
            json_array_append_new(steps, json_integer(sub.bundle_step));
        }
    }
    json_t *fields = union_fields(items);
    json_t *merged = json_loads(k->form, 0, NULL);
    if (merged == NULL)
        merged = json_object();
    if (form && json_is_object(form))
        json_object_update(merged, form);
    json_t *checked = NULL;
    if (rc == 0)
        rc = check_form(c, fields, merged, &ap, !final_check, &checked, err);
    for (int i = 0; i < n && rc == 0; i++) {
        json_t *item = json_array_get(items, i);
        char *text = NULL;
        json_t *sub_form = form_for(item, checked);
        text = json_dumps(strcmp(k->kind, "item") ? sub_form : checked, JSON_COMPACT);
        rc = yw_db_run(c, "UPDATE cases SET form = ? WHERE id = ?", "si", text, ids[i]);
        free(text);
        json_decref(sub_form);
        struct mats ms = { 0 };
        if (rc == 0)
            rc = mats_of_case(c, a, ids[i], &ms);
        if (rc == 0)
            rc =
                fill_materials(c, a, &ms, item, materials, ap.ident, !strcmp(k->kind, "item"), err);
        if (rc == 0 && strcmp(k->kind, "item")) {
            json_t *produced =
                produced_before(items, steps, json_integer_value(json_array_get(steps, i)));
            bundle_sources(&ms, item, produced, json_object_get(bundle, "one_form"));
            json_decref(produced);
        }
        if (rc == 0)
            rc = mats_update(c, ids[i], &ms);
        if (rc == 0 && final_check)
            rc = check_complete(c, &ms, item, ap.ident, err);
    }
    if (rc == 0 && strcmp(k->kind, "item")) {
        char *text = json_dumps(checked, JSON_COMPACT);
        rc = yw_db_run(c, "UPDATE cases SET form = ? WHERE id = ?", "si", text, k->id);
        free(text);
    }
    json_decref(checked);
    json_decref(merged);
    json_decref(fields);
    json_decref(items);
    json_decref(steps);
    json_decref(bundle);
    return rc;
}

static int
set_substatus(struct yw_dbc *c, struct yw_case *k, const char *to)
{
    char now[32];
    yw_db_now_text(now);
    return yw_db_run(
        c, "UPDATE cases SET status = ?, updated_at = ?, submitted_at = ? WHERE parent_id = ?",
        "sssi", to, now, now, k->id);
}

int
yw_case__update_draft(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, json_t *form,
                      json_t *materials, bool submit, const struct yw_actor *who,
                      struct yw_err *err)
{
    if (strcmp(k->status, CS_DRAFT) != 0)
        return yw_fail(err, YW_ESTATE, "", "case '%s' is '%s', not a draft", k->case_no, k->status);
    int rc = revise(c, a, k, form, materials, submit, who, err);
    if (rc || !submit)
        return rc ? rc : yw_case__note(c, k, who, "case.draft_saved", "");
    char now[32];
    yw_db_now_text(now);
    if ((rc = yw_db_run(c, "UPDATE cases SET submitted_at = ? WHERE id = ?", "si", now, k->id)))
        return rc;
    if (!strcmp(k->kind, "bundle") && (rc = set_substatus(c, k, CS_SUBMITTED)))
        return rc;
    if ((rc = yw_case__transition(c, k, CS_SUBMITTED, who, "case.submit", "", err)))
        return rc;
    if ((rc = yw_case__publish(c, k, YW_EV_CASE_SUBMITTED, err)))
        return rc;
    /* a fee paid on application (hold.c): k as it is now */
    bool held = false;
    struct yw_case cur;
    if ((rc = yw_case__load_id(c, a, k->id, &cur)))
        return rc;
    return yw_case__hold(c, &cur, "submitted", who, &held, err);
}

int
yw_case__supplement(struct yw_dbc *c, struct yw_arena *a, struct yw_case *k, json_t *form,
                    json_t *materials, const struct yw_actor *who, struct yw_err *err)
{
    if (strcmp(k->status, CS_SUPPLEMENT) != 0)
        return yw_fail(err, YW_ESTATE, "", "case '%s' is '%s': nothing to supplement", k->case_no,
                       k->status);
    int rc = revise(c, a, k, form, materials, true, who, err);
    if (rc)
        return rc;
    if (!strcmp(k->kind, "bundle") && (rc = set_substatus(c, k, CS_SUBMITTED)))
        return rc;
    return yw_case__transition(c, k, CS_SUBMITTED, who, "case.supplement", "", err);
}

/* ---- e-licenses when a bundle step starts ---- */

int
yw_case__link_licenses(struct yw_dbc *c, struct yw_arena *a, const struct yw_case *k,
                       struct yw_err *err)
{
    if (yw_provider_material_count() == 0)
        return 0;
    struct applicant ap;
    int rc = load_applicant(c, a, k->applicant_id, &ap);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the applicant of case '%s'", k->case_no);
    /* read first, then ask the providers (they run on this connection) */
    enum {
        MAX = 64
    };
    const char *codes[MAX], *types[MAX];
    int n = 0;
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT material_code, license_type FROM case_materials "
                    "WHERE case_id = ? AND source IN ('none', 'step') AND license_type <> '' "
                    "ORDER BY sort",
                    "i", k->id);
    if (s == NULL)
        return yw_fail(err, YW_EDB, "", "cannot read the materials of case '%s'", k->case_no);
    while (n < MAX && (rc = yw_db_step(s)) == YW_ROW) {
        codes[n] = yw_arena_strdup(a, yw_db_col_text(s, 0));
        types[n] = yw_arena_strdup(a, yw_db_col_text(s, 1));
        n++;
    }
    if (rc == YW_ROW) {
        yw_db_reset(s);
        rc = 0;
    } else if ((rc = yw_db_finish(s, rc))) {
        return yw_fail(err, rc, "", "cannot read the materials of case '%s'", k->case_no);
    }
    for (int i = 0; i < n; i++) {
        json_t *ev = NULL;
        int prc = yw_provider_find_material(c, ap.ident, types[i], NULL, &ev);
        if (prc == YW_ENOTFOUND)
            continue;
        if (prc)
            return yw_fail(err, prc, "", "material '%.40s': cannot look for an e-license",
                           codes[i]);
        const char *ref = json_string_value(json_object_get(ev, "ref"));
        rc = set_material(c, k->id, codes[i], "license", ref ? ref : "");
        json_decref(ev);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- before applying: what the server will fill in ---- */

/* One material as precheck reports it. */
static json_t *
precheck_material(struct yw_dbc *c, const struct applicant *ap, json_t *item, json_int_t step,
                  json_t *m, json_t *items, json_t *steps, json_t *one_form, int *rc)
{
    const char *lt = json_string_value(json_object_get(m, "license_type"));
    json_t *o = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s, s:I}", "item_code",
                          json_string_value(json_object_get(item, "code")), "material_code",
                          json_string_value(json_object_get(m, "code")), "name",
                          json_string_value(json_object_get(m, "name")), "required",
                          json_string_value(json_object_get(m, "required")), "license_type",
                          lt ? lt : "", "step", step);
    if (o == NULL) {
        *rc = YW_EINTERNAL;
        return NULL;
    }
    const char *status = "none";
    if (lt && *lt) {
        json_t *ev = NULL;
        int prc = yw_provider_find_material(c, ap->ident, lt, NULL, &ev);
        if (prc == 0) {
            status = "license";
            json_object_set(o, "license_id", json_object_get(ev, "ref"));
            json_object_set(o, "license_name", json_object_get(ev, "label"));
            json_decref(ev);
        } else if (prc != YW_ENOTFOUND) {
            *rc = prc; /* a failed read is never "you have none" */
            json_decref(o);
            return NULL;
        } else {
            size_t i;
            json_t *it;
            json_array_foreach(items, i, it)
            {
                const char *p = json_string_value(json_object_get(it, "produces"));
                json_int_t s2 = json_integer_value(json_array_get(steps, i));
                if (p && !strcmp(p, lt) && s2 < step) {
                    status = "produced";
                    json_object_set(o, "produced_by", json_object_get(it, "code"));
                    json_object_set(o, "produced_by_name", json_object_get(it, "name"));
                    json_object_set_new(o, "produced_step", json_integer(s2));
                    break;
                }
            }
        }
    }
    if (!strcmp(status, "none") && in_list(one_form, json_string_value(json_object_get(m, "name"))))
        status = "form"; /* the bundle's one form stands for it */
    json_object_set_new(o, "status", json_string(status));
    return o;
}

int
yw_case__precheck(struct yw_dbc *c, struct yw_arena *a, const struct yw_apply *in,
                  const struct yw_actor *who, json_t **out, struct yw_err *err)
{
    *out = NULL;
    struct applicant ap;
    int rc = load_case_applicant(c, a, in, who, &ap, err);
    if (rc)
        return rc;
    json_t *items = json_array(), *ids = json_array(), *steps = json_array();
    json_t *doc = NULL;
    if (in->item_code) {
        int64_t item_id;
        json_t *item = NULL;
        rc = yw_catalog_item_current(c, in->item_code, &item_id, NULL, &item);
        if (rc == YW_ENOTFOUND)
            rc = yw_fail(err, YW_EFIELD, "item_code", "no service item '%.40s'", in->item_code);
        if (rc == 0) {
            json_array_append_new(items, item);
            json_array_append_new(steps, json_integer(0));
        }
    } else {
        rc = yw_catalog_bundle(c, in->bundle_code, &doc);
        if (rc == YW_ENOTFOUND)
            rc = yw_fail(err, YW_EFIELD, "bundle_code", "no bundle '%.40s'", in->bundle_code);
        if (rc == 0)
            rc = bundle_items(c, in->bundle_code, doc, items, ids, steps, err);
    }
    json_t *body = NULL;
    if (rc == 0) {
        json_t *first = json_array_get(items, 0);
        json_t *form = json_object(), *mats = json_array(), *rules = json_object();
        body = json_pack("{s:{s:I, s:s, s:s, s:i}, s:o, s:o, s:o}", "applicant", "id",
                         (json_int_t)ap.id, "kind", ap.kind, "name", ap.name ? ap.name : "",
                         "realname_level", ap.realname_level, "form", form, "materials", mats,
                         "rules", rules);
        /* the rules the submission checks: who may apply, the real-name level */
        struct yw_err rerr = { 0 };
        int rrc = first ? check_rules(first, &ap, who, in->channel, &rerr) : 0;
        json_object_set_new(rules, "ok", json_boolean(rrc == 0));
        if (rrc) {
            json_object_set_new(rules, "code", json_string(yw_errcode(rrc)));
            json_object_set_new(rules, "message", json_string(rerr.msg));
        }
        /* the prefilled fields, as the submission fills them */
        json_t *fields = union_fields(items);
        size_t i;
        json_t *f;
        json_array_foreach(fields, i, f)
        {
            const char *source = json_string_value(json_object_get(f, "prefill"));
            if (rc || source == NULL)
                continue;
            json_t *v = NULL;
            int prc = prefill(c, &ap, source, &v);
            if (prc == 0)
                json_object_set_new(form, json_string_value(json_object_get(f, "key")), v);
            else if (prc != YW_ENOTFOUND)
                rc = yw_fail(err, prc, "", "cannot prefill '%.60s'",
                             json_string_value(json_object_get(f, "key")));
        }
        json_decref(fields);
        /* every material of every item: satisfied by an own valid e-license,
         * produced by an earlier step of the bundle, or to be handed in */
        json_t *item;
        json_array_foreach(items, i, item)
        {
            size_t j;
            json_t *m;
            json_array_foreach(json_object_get(item, "materials"), j, m)
            {
                if (rc)
                    break;
                json_t *o =
                    precheck_material(c, &ap, item, json_integer_value(json_array_get(steps, i)), m,
                                      items, steps, json_object_get(doc, "one_form"), &rc);
                if (o)
                    json_array_append_new(mats, o);
                else if (rc)
                    rc = yw_fail(err, rc, "", "cannot look for the applicant's e-licenses");
            }
        }
    }
    json_decref(items);
    json_decref(ids);
    json_decref(steps);
    json_decref(doc);
    if (rc) {
        json_decref(body);
        return rc;
    }
    *out = body;
    return 0;
}
