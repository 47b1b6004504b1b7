/*
 * bench/lib_verify.c - e-license verification through ywtb's library call
 * (yw_lic_verify_offline: parse the published key, canonicalize the license
 * JSON, check identifier, signature, issuer and dates) against the raw SM2
 * verify rate of OpenSSL on the same key and message size, in the same run.
 *
 *   build/bench/lib_verify [seconds=3] [DOCUMENT KEYS]
 * prints "raw_sm2_verify_per_s=R lib_verify_per_s=L ratio=L/R"
 *
 * DOCUMENT is a license document (GET /api/v1/licenses/{id}/document) and KEYS
 * the published keys (GET /api/v1/keys, or its "keys" object); bench/run.sh
 * passes a license issued in the run.  Without them it signs a 营业执照 of its
 * own with a fresh key.  Built by `make build/bench/lib_verify`.
 */
#include "core/calendar.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/sm2.h"
#include "licenses/licenses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double
now_s(void)
{
    return (double)yw_clock_mono_ns() / 1e9;
}

static json_t *
load_json(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (j == NULL)
        fprintf(stderr, "lib_verify: %s: %s (line %d)\n", path, e.text, e.line);
    return j;
}

int
main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 3.0;
    yw_crypto_init();
    struct yw_sm2_key *key = NULL;
    struct yw_buf pem, canon, sig;
    yw_buf_init(&pem);
    yw_buf_init(&canon);
    yw_buf_init(&sig);
    json_t *doc, *keys;
    if (argc > 3) {
        /* a real document and the published keys */
        doc = load_json(argv[2]);
        json_t *k = load_json(argv[3]);
        if (doc == NULL || k == NULL)
            return 1;
        keys =
            json_object_get(k, "keys") ? json_incref(json_object_get(k, "keys")) : json_incref(k);
        json_decref(k);
        const char *kid =
            json_string_value(json_object_get(json_object_get(doc, "signature"), "key_id"));
        const char *kpem =
            json_string_value(json_object_get(json_object_get(keys, kid ? kid : ""), "public_pem"));
        const char *value =
            json_string_value(json_object_get(json_object_get(doc, "signature"), "value"));
        if (kpem == NULL || value == NULL ||
            yw_sm2_load_pem(kpem, strlen(kpem), false, &key) != 0) {
            fprintf(stderr, "lib_verify: the document's key is not among the keys\n");
            return 1;
        }
        yw_lic_canonical(json_object_get(doc, "license"), &canon);
        yw_buf_add(&sig, value, strlen(value));
    } else {
        char kid[17], id[128];
        if (yw_sm2_generate(&key) || yw_sm2_key_id(key, kid) || yw_sm2_public_pem(key, &pem))
            return 1;
        yw_lic_make_id("113101044259256669001", "113101044259256669", "2026000001", 1, id,
                       sizeof id);
        json_t *lic = json_pack(
            "{s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:s, "
            "s:s, s:s, s:i, s:s}",
            "id", id, "type", "LT-001", "type_code", "113101044259256669001", "type_name",
            "营业执照", "issuer", "dept", "XH-SCJ", "name", "上海市徐汇区市场监督管理局", "uscc",
            "113101044259256669", "holder", "kind", "enterprise", "ident", "91310104MA1FL8XQ10",
            "name", "上海徐汇示范科技有限公司", "fields", "name", "上海徐汇示范科技有限公司",
            "uscc", "91310104MA1FL8XQ10", "address", "上海市徐汇区漕溪北路336号", "business_scope",
            "技术开发、技术咨询、技术服务", "issued_at", "2026-11-26T08:00:00.000Z", "valid_from",
            "2026-11-26", "valid_until", "", "version", 1, "key_id", kid);
        yw_lic_canonical(lic, &canon);
        yw_sm2_sign(key, canon.p, canon.n, &sig);
        doc = json_pack("{s:o, s:{s:s, s:s, s:s}}", "license", lic, "signature", "alg", "SM2-SM3",
                        "key_id", kid, "value", sig.p);
        keys = json_pack("{s:{s:s, s:s, s:s}}", kid, "dept", "XH-SCJ", "issuer_uscc",
                         "113101044259256669", "public_pem", pem.p);
    }
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    struct yw_lic_verdict v;
    if (yw_lic_verify_offline(doc, keys, NULL, today, &v) != 0 || !v.valid) {
        fprintf(stderr, "lib_verify: verification failed: %s\n", v.reason);
        return 3;
    }

    /* raw: the same signature check with everything prepared once */
    long raw = 0;
    double t0 = now_s();
    while (now_s() - t0 < secs) {
        if (yw_sm2_verify(key, canon.p, canon.n, sig.p) != 0)
            return 2;
        raw++;
    }
    double raw_rate = raw / (now_s() - t0);
    long lib = 0;
    t0 = now_s();
    while (now_s() - t0 < secs) {
        if (yw_lic_verify_offline(doc, keys, NULL, today, &v) != 0 || !v.valid) {
            fprintf(stderr, "lib_verify: verification failed: %s\n", v.reason);
            return 3;
        }
        lib++;
    }
    double lib_rate = lib / (now_s() - t0);
    printf("raw_sm2_verify_per_s=%.0f lib_verify_per_s=%.0f ratio=%.2f\n", raw_rate, lib_rate,
           lib_rate / raw_rate);
    json_decref(doc);
    json_decref(keys);
    yw_sm2_free(key);
    yw_buf_release(&pem);
    yw_buf_release(&canon);
    yw_buf_release(&sig);
    return 0;
}
