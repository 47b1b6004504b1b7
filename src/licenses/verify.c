/*
 * verify.c - checking a license document: its identifier, the signature's
 * parameters (alg SM2-SM3, distid 1234567812345678, the canonical form), the
 * SM2 signature over the canonical bytes with the issuer's key (current or
 * retired), the key belonging to the issuer, the validity dates, and
 * revocation - online from the database, offline from published keys and a
 * department's signed status list (`ywtb verify license FILE --keys KEYS
 * [--status LIST]`).
 *
 * Two canonical forms verify (docs/LICENSES.md): RFC 8785 for signatures with
 * canon "jcs" (everything signed now), and jansson's sorted compact form for
 * signatures without canon (documents signed before).  Letting the document
 * name its form gives a forger nothing: both forms are JSON texts that parse
 * back to the very object verified, so one signature cannot cover two
 * different licenses whichever form is claimed.
 */
#include "licenses/internal.h"

#include "core/calendar.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/jcs.h"

#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
yw_lic_canonical(json_t *obj, struct yw_buf *out)
{
    return yw_jcs(obj, out, NULL);
}

int
yw_lic_canonical_v1(json_t *obj, struct yw_buf *out)
{
    char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    if (s == NULL)
        return YW_EINTERNAL;
    yw_buf_adds(out, s);
    free(s);
    return 0;
}

/* The signature's parameters: 0 when they are ywtb's - alg SM2-SM3, distid
 * 1234567812345678 (required when `need_distid`, else checked when present),
 * canon "jcs" or absent (the form before RFC 8785) - with *jcs telling which
 * form; else a verifier's reason in why[0..n) and the verdict code to give. */
static const char *
signature_params(json_t *sig, bool need_distid, bool *jcs, char *why, size_t n)
{
    const char *alg = json_string_value(json_object_get(sig, "alg"));
    json_t *d = json_object_get(sig, "distid");
    json_t *canon = json_object_get(sig, "canon");
    *jcs = false;
    if (alg == NULL || strcmp(alg, YW_LIC_ALG) != 0) {
        snprintf(why, n, "the signature's algorithm is '%.40s', not " YW_LIC_ALG, alg ? alg : "");
        return "bad_signature";
    }
    if ((d || need_distid) &&
        (!json_is_string(d) || strcmp(json_string_value(d), YW_SM2_DISTID) != 0)) {
        /* a signature made with another distinguishing ID is another
         * signature: ywtb made none, whatever the bytes */
        snprintf(
            why, n,
            "the signature claims the distinguishing ID '%.40s'; ywtb signs with " YW_SM2_DISTID,
            json_is_string(d) ? json_string_value(d) : "");
        return "bad_signature";
    }
    if (canon &&
        (!json_is_string(canon) || strcmp(json_string_value(canon), YW_LIC_CANON_JCS) != 0)) {
        snprintf(why, n, "the signature's canonical form '%.40s' is not one ywtb knows (jcs)",
                 json_is_string(canon) ? json_string_value(canon) : "");
        return "malformed";
    }
    *jcs = canon != NULL;
    return NULL;
}

/* The bytes signed in the form the signature names. */
static int
signed_bytes(json_t *obj, bool jcs, struct yw_buf *out, struct yw_err *err)
{
    return jcs ? yw_jcs(obj, out, err) : yw_lic_canonical_v1(obj, out);
}

/* Parsed public keys by the SHA-256 of their PEM text: parsing a PEM key costs
 * about as much as the signature check itself, and verifiers see the same few
 * keys over and over.  EVP_PKEYs are safe to use from several threads once
 * loaded; the cache only grows (a district has a few dozen keys). */
#define KEY_CACHE 128
static pthread_mutex_t key_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    unsigned char digest[32];
    struct yw_sm2_key *key;
} key_cache[KEY_CACHE];
static int nkeys;

static const struct yw_sm2_key *
public_key(const char *pem)
{
    unsigned char d[32];
    if (yw_sha256(pem, strlen(pem), d) != 0)
        return NULL;
    const struct yw_sm2_key *found = NULL;
    pthread_mutex_lock(&key_mu);
    for (int i = 0; i < nkeys && !found; i++)
        if (memcmp(key_cache[i].digest, d, 32) == 0)
            found = key_cache[i].key;
    pthread_mutex_unlock(&key_mu);
    if (found)
        return found;
    struct yw_sm2_key *k = NULL;
    if (yw_sm2_load_pem(pem, strlen(pem), false, &k) != 0)
        return NULL;
    pthread_mutex_lock(&key_mu);
    if (nkeys < KEY_CACHE) {
        memcpy(key_cache[nkeys].digest, d, 32);
        key_cache[nkeys].key = k;
        nkeys++;
        found = k;
        k = NULL;
    }
    pthread_mutex_unlock(&key_mu);
    if (k) /* the cache is full: use it once */
        return NULL;
    return found;
}

static void verdict(struct yw_lic_verdict *v, const char *code, const char *fmt, const char *arg)
    __attribute__((format(printf, 3, 0)));

static void
verdict(struct yw_lic_verdict *v, const char *code, const char *fmt, const char *arg)
{
    v->valid = false;
    snprintf(v->code, sizeof v->code, "%s", code);
    snprintf(v->reason, sizeof v->reason, fmt, arg ? arg : "");
}

/* Signature, key, issuer, identifier and dates; status is the caller's. */
static int
check_document(json_t *document, const char *pem, const char *key_dept, const char *key_uscc,
               int64_t today, struct yw_lic_verdict *v)
{
    json_t *lic = json_object_get(document, "license");
    json_t *sig = json_object_get(document, "signature");
    const char *id = json_string_value(json_object_get(lic, "id"));
    const char *value = json_string_value(json_object_get(sig, "value"));
    if (!json_is_object(lic) || !json_is_object(sig) || id == NULL || value == NULL) {
        verdict(v, "malformed", "the document is not a license document (license + signature)%s",
                "");
        return 0;
    }
    struct yw_err e = { 0 };
    if (yw_lic_check_id(id, &e) != 0) {
        verdict(v, "bad_identifier", "%.180s", e.msg);
        return 0;
    }
    bool jcs;
    char why[160];
    const char *bad = signature_params(sig, true, &jcs, why, sizeof why);
    if (bad) {
        verdict(v, bad, "%s", why);
        return 0;
    }
    if (pem == NULL) {
        verdict(v, "unknown_key", "the signing key '%.40s' is not a published key",
                json_string_value(json_object_get(sig, "key_id")));
        return 0;
    }
    const char *issuer = json_string_value(json_object_get(json_object_get(lic, "issuer"), "dept"));
    if (issuer == NULL || key_dept == NULL || strcmp(issuer, key_dept) != 0) {
        verdict(v, "wrong_issuer", "the license was signed with a key of %s, not of its issuer",
                key_dept);
        return 0;
    }
    /* the issuer's credit code must be the key owner's, in the license and in
     * its identifier (GB/T 36904: root . type . issuer . serial . version . check) */
    const char *iuscc = json_string_value(json_object_get(json_object_get(lic, "issuer"), "uscc"));
    const char *idiss = id + strlen(YW_LIC_ROOT) + 1 + 21 + 1;
    if (iuscc == NULL || key_uscc == NULL || strcmp(iuscc, key_uscc) != 0 || strlen(idiss) < 18 ||
        strncmp(idiss, key_uscc, 18) != 0) {
        verdict(v, "wrong_issuer",
                "the issuer's credit code in the license does not belong to the signing key (%s)",
                key_dept);
        return 0;
    }
    const char *lkid = json_string_value(json_object_get(lic, "key_id"));
    const char *skid = json_string_value(json_object_get(sig, "key_id"));
    if (lkid == NULL || skid == NULL || strcmp(lkid, skid) != 0) {
        verdict(v, "bad_signature", "the signature's key id does not match the license's%s", "");
        return 0;
    }
    const struct yw_sm2_key *key = public_key(pem);
    if (key == NULL) {
        verdict(v, "unknown_key", "the published key '%.40s' cannot be read", skid);
        return 0;
    }
    struct yw_buf canon;
    yw_buf_init(&canon);
    int rc = signed_bytes(lic, jcs, &canon, &e);
    bool good = rc == 0 && yw_sm2_verify(key, canon.p, canon.n, value) == 0;
    yw_buf_release(&canon);
    if (rc) {
        verdict(v, "malformed", "%.180s", e.msg);
        return 0;
    }
    if (!good) {
        verdict(v, "bad_signature",
                "the signature does not match the content: the license was altered%s", "");
        return 0;
    }
    int64_t from = 0, until = 0;
    const char *vf = json_string_value(json_object_get(lic, "valid_from"));
    const char *vu = json_string_value(json_object_get(lic, "valid_until"));
    if (vf == NULL || yw_cal_parse_day(vf, &from) != 0) {
        verdict(v, "malformed", "the license has no valid_from date%s", "");
        return 0;
    }
    if (today < from) {
        verdict(v, "not_yet_valid", "the license is valid from %s", vf);
        return 0;
    }
    if (vu && *vu && (yw_cal_parse_day(vu, &until) != 0 || today > until)) {
        verdict(v, "expired", "the license expired on %s", vu);
        return 0;
    }
    v->valid = true;
    snprintf(v->code, sizeof v->code, "ok");
    snprintf(v->reason, sizeof v->reason, "signature, issuer and dates check out");
    return 0;
}

static void
apply_status(struct yw_lic_verdict *v, const char *status, const char *reason)
{
    snprintf(v->status, sizeof v->status, "%s", status);
    if (v->valid && strcmp(status, "valid") != 0) {
        v->valid = false;
        snprintf(v->code, sizeof v->code, "%s", status);
        yw_err_format(v->reason, sizeof v->reason, "the issuer %s the license: %s",
                      !strcmp(status, "revoked") ? "revoked" : "suspended", reason ? reason : "");
    }
}

int
yw_lic_verify_offline(json_t *document, json_t *keys, json_t *status_list, int64_t today,
                      struct yw_lic_verdict *v)
{
    memset(v, 0, sizeof *v);
    snprintf(v->status, sizeof v->status, "unknown");
    const char *kid =
        json_string_value(json_object_get(json_object_get(document, "signature"), "key_id"));
    json_t *k = kid ? json_object_get(keys, kid) : NULL;
    int rc = check_document(document, json_string_value(json_object_get(k, "public_pem")),
                            json_string_value(json_object_get(k, "dept")),
                            json_string_value(json_object_get(k, "issuer_uscc")), today, v);
    if (rc || status_list == NULL)
        return rc;
    /* the status list must be the issuer's own, signed with one of its keys */
    json_t *list = json_object_get(status_list, "list");
    json_t *lsig = json_object_get(status_list, "signature");
    const char *lkid = json_string_value(json_object_get(lsig, "key_id"));
    json_t *lk = lkid ? json_object_get(keys, lkid) : NULL;
    const char *issuer = json_string_value(
        json_object_get(json_object_get(json_object_get(document, "license"), "issuer"), "dept"));
    const char *ldept = json_string_value(json_object_get(list, "dept"));
    const char *kdept = json_string_value(json_object_get(lk, "dept"));
    const char *lpem = json_string_value(json_object_get(lk, "public_pem"));
    bool list_ok = false, ljcs = false;
    char lwhy[160];
    if (list && lpem && issuer && ldept && kdept && !strcmp(ldept, issuer) &&
        !strcmp(kdept, issuer) && signature_params(lsig, false, &ljcs, lwhy, sizeof lwhy) == NULL) {
        const struct yw_sm2_key *key = public_key(lpem);
        struct yw_buf canon;
        yw_buf_init(&canon);
        if (key && signed_bytes(list, ljcs, &canon, NULL) == 0)
            list_ok = yw_sm2_verify(key, canon.p, canon.n,
                                    json_string_value(json_object_get(lsig, "value"))) == 0;
        yw_buf_release(&canon);
    }
    if (!list_ok) {
        if (v->valid)
            verdict(v, "bad_status_list",
                    "the status list is not the issuer's or its signature does not match%s", "");
        snprintf(v->status, sizeof v->status, "unknown");
        return 0;
    }
    /* the status list: entries of licenses that are not valid */
    const char *id = json_string_value(json_object_get(json_object_get(document, "license"), "id"));
    json_t *entries = json_object_get(json_object_get(status_list, "list"), "entries");
    size_t i;
    json_t *e;
    const char *st = "valid", *reason = "";
    json_array_foreach(entries, i,
                       e) if (id && !strcmp(json_string_value(json_object_get(e, "id")) ?: "", id))
    {
        st = json_string_value(json_object_get(e, "status")) ?: "revoked";
        reason = json_string_value(json_object_get(e, "reason")) ?: "";
    }
    apply_status(v, st, reason);
    return 0;
}

int
yw_lic__verify_online(struct yw_dbc *c, json_t *document, struct yw_lic_verdict *v,
                      struct yw_err *err)
{
    memset(v, 0, sizeof *v);
    snprintf(v->status, sizeof v->status, "unknown");
    const char *kid =
        json_string_value(json_object_get(json_object_get(document, "signature"), "key_id"));
    char pem[1024] = "", dept[40] = "", uscc[24] = "";
    bool have = false;
    int rc;
    /* A failed read is an error, never a verdict: a verifier told "unknown
     * key" or "unknown license" would turn away a genuine license. */
    if (kid) {
        struct yw_stmt *s;
        rc = yw_db_one_row(c, &s, "SELECT public_pem, dept_code FROM signing_keys WHERE key_id = ?",
                           "s", kid);
        if (rc == 0) {
            snprintf(pem, sizeof pem, "%s", yw_db_col_text(s, 0));
            snprintf(dept, sizeof dept, "%s", yw_db_col_text(s, 1));
            yw_db_reset(s);
            /* the key owner's credit code, from the catalog ("" when it has
             * no such department) */
            struct yw_lic_names names;
            const struct yw_catalog_dept *d;
            yw_lic__names_init(&names, c);
            rc = yw_lic__names_dept(&names, dept, &d);
            snprintf(uscc, sizeof uscc, "%s", d->uscc);
            yw_lic__names_release(&names);
            have = rc == 0;
        }
        if (rc && rc != YW_ENOTFOUND)
            return yw_fail(err, rc, "", "cannot read the signing key '%.40s'", kid);
    }
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    rc = check_document(document, have ? pem : NULL, have ? dept : NULL, have ? uscc : NULL, today,
                        v);
    if (rc)
        return rc;
    if (!v->valid && strcmp(v->code, "expired") && strcmp(v->code, "not_yet_valid"))
        return 0; /* the document itself is not the license: its stored status says nothing about it */
    const char *id = json_string_value(json_object_get(json_object_get(document, "license"), "id"));
    if (id == NULL)
        return 0;
    struct yw_stmt *s;
    rc = yw_db_one_row(c, &s, "SELECT status, status_reason FROM licenses WHERE id = ?", "s", id);
    if (rc == 0) {
        char st[16], reason[200];
        snprintf(st, sizeof st, "%s", yw_db_col_text(s, 0));
        yw_err_format(reason, sizeof reason, "%s", yw_db_col_text(s, 1)); /* whole characters */
        yw_db_reset(s);
        apply_status(v, st, reason);
    } else if (rc == YW_ENOTFOUND) {
        if (v->valid) {
            v->valid = false;
            snprintf(v->code, sizeof v->code, "unknown_license");
            snprintf(v->reason, sizeof v->reason,
                     "the signature is good but ywtb has no such license");
        }
    } else {
        memset(v, 0, sizeof *v);
        snprintf(v->status, sizeof v->status, "unknown");
        return yw_fail(err, rc, "", "cannot read the status of license '%.100s'", id);
    }
    return 0;
}

static int
entry_row(struct yw_stmt *s, struct yw_lic_names *names, json_t *entries, void *ctx)
{
    (void)names;
    (void)ctx;
    json_array_append_new(entries, json_pack("{s:s, s:s, s:s, s:s}", "id", yw_db_col_text(s, 0),
                                             "status", yw_db_col_text(s, 1), "reason",
                                             yw_db_col_text(s, 2), "at", yw_db_col_text(s, 3)));
    return 0;
}

int
yw_lic__status_list(struct yw_dbc *c, const char *dept, json_t **out, struct yw_err *err)
{
    const struct yw_sm2_key *key = NULL;
    char key_id[17];
    json_t *entries = NULL, *list = NULL;
    struct yw_buf canon, sig;
    yw_buf_init(&canon);
    yw_buf_init(&sig);
    *out = NULL;
    /* the department as the catalog has it */
    char uscc[24] = "", name[128] = "";
    struct yw_arena a;
    struct yw_catalog_dept d;
    yw_arena_init(&a, 1024);
    int rc = yw_catalog_dept(c, &a, dept, &d);
    if (rc == 0) {
        snprintf(uscc, sizeof uscc, "%s", d.uscc);
        snprintf(name, sizeof name, "%s", d.name);
    }
    yw_arena_release(&a);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, YW_ENOTFOUND, "", "no department '%.32s'", dept);
    if (rc)
        return yw_fail(err, rc, "", "cannot read department '%.32s'", dept);
    if ((rc = yw_lic__dept_key_existing(c, dept, &key, key_id, err)))
        return rc;
    /* A signed list that misses a revocation would vouch for a revoked
     * license offline: a failed read signs nothing. */
    entries = yw_lic__rows(
        c,
        yw_db_query(
            c,
            "SELECT id, status, status_reason, status_at FROM licenses WHERE issuer_dept = ? "
            "AND status <> 'valid' ORDER BY status_at",
            "s", dept),
        json_array(), entry_row, NULL, &rc);
    if (entries == NULL) {
        rc = yw_fail(err, rc, "", "cannot read the revoked licenses of '%.32s'", dept);
        goto out;
    }
    char now[32];
    yw_db_now_text(now);
    list = json_pack("{s:s, s:s, s:s, s:s, s:O}", "dept", dept, "dept_name", name, "issuer_uscc",
                     uscc, "generated_at", now, "entries", entries);
    if (yw_lic_canonical(list, &canon) != 0 || yw_sm2_sign(key, canon.p, canon.n, &sig) != 0) {
        rc = yw_fail(err, YW_ECRYPTO, "", "cannot sign the status list");
        goto out;
    }
    *out = json_pack("{s:O, s:{s:s, s:s, s:s, s:s, s:s}}", "list", list, "signature", "alg",
                     YW_LIC_ALG, "key_id", key_id, "distid", YW_SM2_DISTID, "canon",
                     YW_LIC_CANON_JCS, "value", sig.p);
    rc = 0;
out:
    json_decref(entries);
    json_decref(list);
    yw_buf_release(&canon);
    yw_buf_release(&sig);
    return rc;
}
