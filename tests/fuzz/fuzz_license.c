/*
 * fuzz_license.c - libFuzzer harness for offline license verification
 * (src/licenses/verify.c, yw_lic_verify_offline, what `ywtb verify license`
 * runs on a document file) and the GB/T 36904 identifier check
 * (src/licenses/ident.c).  Input: a license document as JSON text, optionally
 * followed by a line "--status--" and a department's status list.  The keys
 * are a real published key set (GET /api/v1/keys of a test server), so the
 * seed documents in corpus/license/ verify and mutations reach every check.
 *
 * A verdict has a known code and terminated texts; "valid" only with code ok,
 * an identifier that checks and, with a status list, status valid.
 */
#include "licenses/licenses.h"

#include "core/clock.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char keys_json[] =
    "{\"distid\":\"1234567812345678\",\"keys\":{\"9ad99caf93d8a4e3\":{\"dept\":\"XH-SCJ\",\"dept_name\":\"上海市徐"
    "汇区市场监督管理局\",\"issuer_uscc\":\"113101044259256669\",\"algorithm\":\"SM2-SM3\",\"public_pem\":\"-----BEG"
    "IN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE2i7EFFTYnjWueGamUuwWZmIgHHaV\\ngPFL"
    "G1pad6BfbXleXhjHfR3lBcXed/PlIbH1eJdFqsUxMdizuv66qEIYyw==\\n-----END PUBLIC KEY-----\\n\",\"sta"
    "tus\":\"active\",\"created_at\":\"2026-12-07T02:38:06.238Z\",\"retired_at\":\"\"},\"cac2e819b6c571c0\":"
    "{\"dept\":\"XH-RSJ\",\"dept_name\":\"上海市徐汇区人力资源和社会保障局\",\"issuer_uscc\":\"11310104425916073E\",\"algori"
    "thm\":\"SM2-SM3\",\"public_pem\":\"-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQ"
    "gAEkM3PNGEmFlCBOpSZDwTJuWfjx3eh\\nwRhzk7GIFjwC5E+TVLFuGlny8YasG+LowXorEAC0eZr/YeQixrAjmkSNu"
    "g==\\n-----END PUBLIC KEY-----\\n\",\"status\":\"active\",\"created_at\":\"2026-12-07T02:38:06.266Z\""
    ",\"retired_at\":\"\"}}}";

static json_t *keys;

static void
fail(const char *what, const char *detail)
{
    fprintf(stderr, "license: %s (%s)\n", what, detail);
    abort();
}

static const char *const codes[] = {
    "ok",      "bad_signature", "unknown_key", "wrong_issuer",   "expired",         "not_yet_valid",
    "revoked", "suspended",     "malformed",   "bad_identifier", "bad_status_list", NULL
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (keys == NULL) {
        json_error_t je;
        json_t *all = json_loads(keys_json, 0, &je);
        if (all == NULL)
            fail("the built-in keys do not parse", je.text);
        keys = json_incref(json_object_get(all, "keys"));
        json_decref(all);
    }
    static const char sep[] = "\n--status--\n";
    const uint8_t *cut = size >= sizeof sep - 1 ? memmem(data, size, sep, sizeof sep - 1) : NULL;
    size_t dn = cut ? (size_t)(cut - data) : size;
    json_error_t je;
    json_t *doc = json_loadb((const char *)data, dn, JSON_REJECT_DUPLICATES, &je);
    json_t *status = cut ? json_loadb((const char *)cut + sizeof sep - 1,
                                      size - dn - (sizeof sep - 1), JSON_REJECT_DUPLICATES, &je)
                         : NULL;

    /* the identifier check on the raw text, NUL-terminated */
    char *id = malloc(dn + 1);
    memcpy(id, data, dn);
    id[dn] = '\0';
    struct yw_err err = { 0 };
    if (yw_lic_check_id(id, &err) != 0 && err.msg[0] == '\0')
        fail("an identifier refused without a message", id);
    free(id);

    if (doc) {
        struct yw_lic_verdict v;
        memset(&v, 0x55, sizeof v);
        int64_t today = yw_days_from_civil(2027, 1, 1);
        if (yw_lic_verify_offline(doc, keys, status, today, &v) == 0) {
            if (memchr(v.code, 0, sizeof v.code) == NULL ||
                memchr(v.reason, 0, sizeof v.reason) == NULL ||
                memchr(v.status, 0, sizeof v.status) == NULL)
                fail("a verdict text is not terminated", "");
            bool known = false;
            for (const char *const *c = codes; *c; c++)
                known |= strcmp(*c, v.code) == 0;
            if (!known)
                fail("an unknown verdict code", v.code);
            if (v.valid) {
                const char *lid =
                    json_string_value(json_object_get(json_object_get(doc, "license"), "id"));
                if (strcmp(v.code, "ok") != 0 || lid == NULL || yw_lic_check_id(lid, NULL) != 0)
                    fail("valid, but not ok or with an identifier that does not check", v.code);
                if (status && strcmp(v.status, "valid") != 0)
                    fail("valid with a status list that says otherwise", v.status);
                /* issue 16 item 8: only SM2-SM3 with the GM/T 0009 distinguishing ID verifies */
                json_t *sig = json_object_get(doc, "signature");
                const char *alg = json_string_value(json_object_get(sig, "alg"));
                const char *distid = json_string_value(json_object_get(sig, "distid"));
                if (alg == NULL || strcmp(alg, "SM2-SM3") != 0 || distid == NULL ||
                    strcmp(distid, "1234567812345678") != 0)
                    fail("valid, but signed with another algorithm or distinguishing ID",
                         distid ? distid : "(none)");
            }
        }
        json_decref(doc);
    }
    json_decref(status);
    return 0;
}
