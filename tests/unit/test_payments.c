/*
 * test_payments.c - unit tests of payments' pure parts: a catalog fee turned
 * into fen and the point it is due (fees.c), and the gateway's signatures
 * (gateway.c: SM2 over the RFC 8785 form without "sign") - a signed document
 * verifies, any changed member or another key's signature does not.
 */
#include "testutil.h"

#include "core/crypto.h"
#include "core/err.h"
#include "core/sm2.h"
#include "payments/internal.h"

static void
fee(const char *text, int expect_rc, int64_t expect_fen, const char *expect_point)
{
    json_t *item = json_pack("{s:s}", "fee", text);
    int64_t fen = -1;
    const char *point = NULL;
    int rc = yw_pay__fee_of(item, &fen, &point);
    assert_int_equal(rc, expect_rc);
    if (rc == 0) {
        assert_int_equal(fen, expect_fen);
        assert_string_equal(point, expect_point);
    }
    json_decref(item);
}

static void
test_fees_from_catalog_text(void **state)
{
    (void)state;
    fee("120元", 0, 12000, "submitted");                 /* 普通护照 */
    fee("电子往来港澳通行证60元", 0, 6000, "submitted"); /* the amount inside text */
    fee("证书工本费每本10元", 0, 1000, "submitted");
    fee("12.5元", 0, 1250, "submitted");
    /* several amounts: the decision says which - due after approval, the first */
    fee("不动产登记费：住宅每件80元，非住宅每件550元；每增加一本证书加收工本费10元", 0, 8000,
        "approved");
    fee("不收费", YW_ENOTFOUND, 0, NULL);
    fee("按本市健康检查收费标准收取", YW_ENOTFOUND, 0, NULL);
    fee("", YW_ENOTFOUND, 0, NULL);
    /* an item that states its fee as data wins over the text */
    json_t *item =
        json_pack("{s:s, s:i, s:s}", "fee", "120元", "fee_fen", 500, "fee_point", "approved");
    int64_t fen = 0;
    const char *point = NULL;
    assert_int_equal(yw_pay__fee_of(item, &fen, &point), 0);
    assert_int_equal(fen, 500);
    assert_string_equal(point, "approved");
    json_decref(item);
}

static void
test_notification_signatures(void **state)
{
    (void)state;
    struct yw_sm2_key *gw = NULL, *other = NULL;
    assert_int_equal(yw_sm2_generate(&gw), 0);
    assert_int_equal(yw_sm2_generate(&other), 0);
    json_t *n = json_pack("{s:s, s:s, s:s, s:i, s:s, s:I}", "notify_id", "n1", "order_no",
                          "PO2026120700000001", "trade_no", "T1", "amount_fen", 12000, "status",
                          "SUCCESS", "paid_at_ms", (json_int_t)1796000000000);
    assert_int_equal(yw_pay__sign(gw, n), 0);
    assert_string_equal(json_string_value(json_object_get(n, "sign_type")), "SM2");
    struct yw_err err = { 0 };
    assert_int_equal(yw_pay__verify(gw, n, &err), 0);
    /* member order does not matter: the signature covers the canonical form */
    json_t *copy = json_deep_copy(n);
    assert_int_equal(yw_pay__verify(gw, copy, &err), 0);
    /* a changed amount, another order: refused */
    json_object_set_new(copy, "amount_fen", json_integer(1));
    assert_int_equal(yw_pay__verify(gw, copy, &err), YW_EPAYSIG);
    json_decref(copy);
    copy = json_deep_copy(n);
    json_object_set_new(copy, "order_no", json_string("PO2026120700000002"));
    assert_int_equal(yw_pay__verify(gw, copy, &err), YW_EPAYSIG);
    json_decref(copy);
    /* a member added after signing */
    copy = json_deep_copy(n);
    json_object_set_new(copy, "extra", json_string("x"));
    assert_int_equal(yw_pay__verify(gw, copy, &err), YW_EPAYSIG);
    json_decref(copy);
    /* another key's signature, none at all, another algorithm */
    assert_int_equal(yw_pay__verify(other, n, &err), YW_EPAYSIG);
    copy = json_deep_copy(n);
    json_object_del(copy, "sign");
    assert_int_equal(yw_pay__verify(gw, copy, &err), YW_EPAYSIG);
    assert_string_equal(err.field, "sign");
    json_object_set_new(copy, "sign", json_string("AAAA"));
    json_object_set_new(copy, "sign_type", json_string("RSA2"));
    assert_int_equal(yw_pay__verify(gw, copy, &err), YW_EPAYSIG);
    assert_string_equal(err.field, "sign_type");
    json_decref(copy);
    json_decref(n);
    yw_sm2_free(gw);
    yw_sm2_free(other);
}

/* pay_gateway_sign = rsa: RSA-SHA256 over the same canonical bytes */
static void
test_rsa_signatures(void **state)
{
    (void)state;
    struct yw_buf pem, pem2;
    yw_buf_init(&pem);
    yw_buf_init(&pem2);
    EVP_PKEY *gw = yw_pay__rsa_generate(&pem), *other = yw_pay__rsa_generate(&pem2);
    assert_non_null(gw);
    assert_non_null(other);
    EVP_PKEY *pub = yw_pay__rsa_load_public(pem.p, pem.n);
    assert_non_null(pub);
    json_t *n = json_pack("{s:s, s:s, s:i}", "notify_id", "n1", "order_no", "PO2026120700000001",
                          "amount_fen", 12000);
    assert_int_equal(yw_pay__rsa_sign(gw, n), 0);
    assert_string_equal(json_string_value(json_object_get(n, "sign_type")), "RSA2");
    struct yw_err err = { 0 };
    assert_int_equal(yw_pay__rsa_verify(pub, n, &err), 0);
    json_t *copy = json_deep_copy(n);
    json_object_set_new(copy, "amount_fen", json_integer(12001));
    assert_int_equal(yw_pay__rsa_verify(pub, copy, &err), YW_EPAYSIG);
    json_decref(copy);
    assert_int_equal(yw_pay__rsa_verify(other, n, &err), YW_EPAYSIG);
    /* an SM2 key's PEM is no RSA public key */
    struct yw_sm2_key *sm2 = NULL;
    struct yw_buf spem;
    yw_buf_init(&spem);
    assert_int_equal(yw_sm2_generate(&sm2), 0);
    yw_sm2_public_pem(sm2, &spem);
    assert_null(yw_pay__rsa_load_public(spem.p, spem.n));
    yw_sm2_free(sm2);
    yw_buf_release(&spem);
    json_decref(n);
    EVP_PKEY_free(gw);
    EVP_PKEY_free(other);
    EVP_PKEY_free(pub);
    yw_buf_release(&pem);
    yw_buf_release(&pem2);
}

static void
caps(int64_t fen, const char *want)
{
    char out[160];
    yw_pay__capitals(fen, out, sizeof out);
    assert_string_equal(out, want);
}

/* 人民币大写 as 财政票据 print amounts (zeros inside a number read once, 零) */
static void
test_amount_in_capitals(void **state)
{
    (void)state;
    caps(12000, "壹佰贰拾元整");
    caps(2000, "贰拾元整");
    caps(0, "零元整");
    caps(5, "伍分");
    caps(150, "壹元伍角");
    caps(100005, "壹仟元零伍分");
    caps(10010, "壹佰元壹角");
    caps(10000000, "壹拾万元整");
    caps(10000100, "壹拾万零壹元整");
    caps(123456789, "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分");
    caps(1000000000, "壹仟万元整");
    caps(100000000000, "壹拾亿元整");
}

int
main(void)
{
    if (yw_crypto_init() != 0) {
        fprintf(stderr, "cannot initialise the crypto library\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fees_from_catalog_text),
        cmocka_unit_test(test_notification_signatures),
        cmocka_unit_test(test_amount_in_capitals),
        cmocka_unit_test(test_rsa_signatures),
    };
    return cmocka_run_group_tests_name("payments", tests, NULL, NULL);
}
