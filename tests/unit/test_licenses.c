/*
 * test_licenses.c - unit tests of the e-license library (src/licenses).
 *
 * Without a database: GB/T 36904 identifiers - the ISO/IEC 7064 MOD 37,36
 * check character against the reference identifier of CN-STANDARDS.md §4.1,
 * every one-character change of it, make/check round trips and malformed
 * identifiers.
 *
 * On a fresh database per test (SQLite and, when YWTB_TEST_PG_ADMIN is set,
 * PostgreSQL): the schema migrated, the real catalog seeded from data/catalog
 * (found relative to this file), the key module started with a test secret,
 * and licenses issued with yw_lic__issue inside yw_db_tx exactly as the server
 * does.  Then yw_lic_verify_offline is shown each way a document can be wrong:
 * every field of the signed "license" object changed by one byte, unknown
 * keys, another department's key, dates outside the validity, status lists
 * (revoked, suspended, another department's, badly signed), and the canonical
 * forms (RFC 8785 with canon "jcs", the form before it without) with the
 * signature's alg and distid.  Also: online
 * verification, key rotation, the secret key, issue and status-change rules,
 * and the bulk import.
 */
#include "testutil.h"

#include "catalog/catalog.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/jcs.h"
#include "core/log.h"
#include "core/sm2.h"
#include "db/db.h"
#include "licenses/internal.h"
#include "licenses/licenses.h"

#include <sys/stat.h>

static int engine;

#define REF_ID       "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0"
#define SECRET_A     "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define SECRET_B     "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
#define COMPANY      "91310104MA1FL8XQ10"
#define COMPANY_NAME "上海徐汇示范科技有限公司"
#define COMPANY2     "91310104100000016R"
#define PERSON       "310104199003072013"
#define SCJ_USCC     "113101044259256669"
#define LT001_CODE   "113101044259256669001"

/* ==== identifiers (no database) ==== */

static void
test_check_char_reference(void **state)
{
    (void)state;
    /* the reference identifier of CN-STANDARDS.md §4.1, check character 0 */
    const char *body = "11100000000013338W009"
                       "11330105002500287C"
                       "2025052201"
                       "002";
    assert_int_equal(yw_lic_check_char(body, strlen(body)), '0');
    struct yw_err err = { 0 };
    assert_int_equal(yw_lic_check_id(REF_ID, &err), 0);
    /* the second example there: computed 2 (the portal printed X) */
    const char *b2 = "11100000000013338W050"
                     "91610800064834709T"
                     "2023000001"
                     "001";
    assert_int_equal(yw_lic_check_char(b2, strlen(b2)), '2');
    assert_int_equal(
        yw_lic_check_id("1.2.156.3005.2.11100000000013338W050.91610800064834709T.2023000001.001.2",
                        NULL),
        0);
    assert_int_not_equal(
        yw_lic_check_id("1.2.156.3005.2.11100000000013338W050.91610800064834709T.2023000001.001.X",
                        NULL),
        0);
    /* ywtb's own: 营业执照 of 徐汇区市场监管局, first of 2026 (checked with an independent implementation) */
    const char *b3 = LT001_CODE SCJ_USCC "2026000001"
                                         "001";
    assert_int_equal(yw_lic_check_char(b3, strlen(b3)), 'G');
    /* the empty string: P stays M, check = 1 */
    assert_int_equal(yw_lic_check_char("", 0), '1');
    /* only 0-9A-Z */
    assert_int_equal(yw_lic_check_char("11100000000013338w009", 21), 0);
    assert_int_equal(yw_lic_check_char("1110000000001333-W009", 21), 0);
    assert_int_equal(yw_lic_check_char("abc", 3), 0);
}

static void
test_check_char_single_changes(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    char id[sizeof REF_ID];
    memcpy(id, REF_ID, sizeof REF_ID);
    size_t root = strlen(YW_LIC_ROOT) + 1;
    int tried = 0;
    /* every character after the root (but the dots), replaced by every other one: invalid */
    for (size_t i = root; i < strlen(id); i++) {
        if (id[i] == '.')
            continue;
        char orig = id[i];
        for (const char *a = alphabet; *a; a++) {
            if (*a == orig)
                continue;
            id[i] = *a;
            struct yw_err err = { 0 };
            if (yw_lic_check_id(id, &err) == 0)
                fail_msg("'%s' (position %zu changed to %c) passed the check", id, i, *a);
            assert_string_equal(err.field, "id");
            tried++;
        }
        /* lower case is not in the alphabet */
        if (orig >= 'A' && orig <= 'Z') {
            id[i] = (char)(orig + 32);
            assert_int_not_equal(yw_lic_check_id(id, NULL), 0);
        }
        id[i] = orig;
    }
    assert_int_equal(tried, (int)(strlen(REF_ID) - root - 4) * 35);
    /* adjacent transpositions of different characters are caught too */
    for (size_t i = root; i + 1 < strlen(id); i++) {
        if (id[i] == '.' || id[i + 1] == '.' || id[i] == id[i + 1])
            continue;
        char t = id[i];
        id[i] = id[i + 1];
        id[i + 1] = t;
        if (yw_lic_check_id(id, NULL) == 0)
            fail_msg("'%s' (positions %zu and %zu swapped) passed the check", id, i, i + 1);
        id[i + 1] = id[i];
        id[i] = t;
    }
    assert_int_equal(yw_lic_check_id(id, NULL), 0); /* restored */
    /* the root is fixed */
    assert_int_not_equal(
        yw_lic_check_id("1.2.156.3005.3.11100000000013338W009.11330105002500287C.2025052201.002.0",
                        NULL),
        0);
    assert_int_not_equal(
        yw_lic_check_id("1.2.156.3006.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
                        NULL),
        0);
}

static void
test_make_id_round_trip(void **state)
{
    (void)state;
    char id[128];
    assert_int_equal(yw_lic_make_id("11100000000013338W009", "11330105002500287C", "2025052201", 2,
                                    id, sizeof id),
                     0);
    assert_string_equal(id, REF_ID);
    assert_int_equal(yw_lic_make_id(LT001_CODE, SCJ_USCC, "2026000001", 1, id, sizeof id), 0);
    assert_string_equal(id, "1.2.156.3005.2." LT001_CODE "." SCJ_USCC ".2026000001.001.G");
    /* many serials and versions, each checks; neighbours differ */
    char prev[128] = "";
    for (int n = 1; n <= 500; n++) {
        char serial[24];
        snprintf(serial, sizeof serial, "2026%06d", n);
        int version = 1 + n % 999;
        assert_int_equal(yw_lic_make_id("11310104425916073E014", "11310104425916073E", serial,
                                        version, id, sizeof id),
                         0);
        struct yw_err err = { 0 };
        if (yw_lic_check_id(id, &err) != 0)
            fail_msg("%s: %s", id, err.msg);
        char want[48];
        snprintf(want, sizeof want, ".%s.%03d.", serial, version);
        assert_non_null(strstr(id, want));
        assert_string_not_equal(id, prev);
        snprintf(prev, sizeof prev, "%s", id);
    }
    /* alphanumeric serials of other issuers (20 random [0-9A-Z]) */
    assert_int_equal(yw_lic_make_id(LT001_CODE, SCJ_USCC, "A1B2C3D4E5F6G7H8J9K0", 1, id, sizeof id),
                     0);
    assert_int_equal(yw_lic_check_id(id, NULL), 0);
    /* bad input: characters outside 0-9A-Z, an output buffer too small */
    assert_int_equal(yw_lic_make_id("11100000000013338w009", "11330105002500287C", "2025052201", 2,
                                    id, sizeof id),
                     YW_EINVAL);
    assert_int_equal(yw_lic_make_id(LT001_CODE, SCJ_USCC, "2026-01", 1, id, sizeof id), YW_EINVAL);
    assert_int_equal(yw_lic_make_id(LT001_CODE, SCJ_USCC, "2026000001", 1, id, 20), YW_EINVAL);
}

static void
test_malformed_ids(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "1.2.156.3005.2",
        "1.2.156.3005.2.",
        "2.11100000000013338W009.11330105002500287C.2025052201.002.0",               /* no root */
        "11100000000013338W009.11330105002500287C.2025052201.002.0",                 /* no root */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002",    /* no check */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.0",      /* 4 parts */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0.", /* trailing dot */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0.0",
        "1.2.156.3005.2.11100000000013338W09.11330105002500287C.2025052201.002.0",   /* type 20 */
        "1.2.156.3005.2.111000000000013338W009.11330105002500287C.2025052201.002.0", /* type 22 */
        "1.2.156.3005.2.11100000000013338W009.1133010500250028C.2025052201.002.0",   /* issuer 17 */
        "1.2.156.3005.2.11100000000013338W009.113301050025002877C.2025052201.002.0", /* issuer 19 */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.02.0",   /* version 2 */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.0002.0", /* version 4 */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.00", /* check 2 */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C..002.0", /* empty serial */
        "1.2.156.3005.2..11330105002500287C.2025052201.002.0",            /* empty type */
        "1.2.156.3005.2.11100000000013338w009.11330105002500287c.2025052201.002.0", /* lower case */
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.a",
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025-05-22.002.0", /* bad serial chars */
        " 1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0 ",
        "1.2.156.3005.2.11100000000013338W009.11330105002500287C.202505220100000000000000000000000000000000000000000000000000000001.002.0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct yw_err err = { 0 };
        if (yw_lic_check_id(bad[i], &err) == 0)
            fail_msg("'%s' was accepted", bad[i]);
        assert_string_equal(err.field, "id");
        assert_true(err.msg[0] != '\0');
    }
    assert_int_not_equal(yw_lic_check_id(NULL, NULL), 0);
}

/* ==== with a database ==== */

struct fx {
    char *url;
    char *dir; /* temp dir for files */
    struct yw_db *db;
    struct yw_config cfg;
    struct yw_app app;
};

static void
data_dir(char *out, size_t n)
{
    const char *file = __FILE__;
    const char *slash = strrchr(file, '/');
    int len = slash ? (int)(slash - file) : 1;
    snprintf(out, n, "%.*s/../../data", len, slash ? file : ".");
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    yw_lic__keys_shutdown();
    yw_db_close(f->db);
    yw_test_db_drop(f->url);
    yw_config_release(&f->cfg);
    if (f->dir) {
        yw_test_rmtree(f->dir);
        free(f->dir);
    }
    free(f);
    *state = NULL;
    return 0;
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    *state = f;
    yw_log_set_level(YW_LOG_ERROR);
    yw_config_init(&f->cfg);
    struct yw_err err = { 0 };
    char dd[4096];
    data_dir(dd, sizeof dd);
    int applied = 0;
    f->dir = yw_test_tmpdir();
    f->url = yw_test_db_fresh(engine);
    if (f->dir == NULL || f->url == NULL ||
        yw_config_set(&f->cfg, "secret_key", SECRET_A, "flag", &err) != 0 ||
        yw_config_set(&f->cfg, "data_dir", dd, "flag", &err) != 0 ||
        yw_db_open(f->url, &f->db, &err) != 0 || yw_db_migrate(f->db, &applied, &err) != 0) {
        fprintf(stderr, "cannot set up a %s database: %s\n", yw_test_engine_name(engine), err.msg);
        teardown(state);
        return -1;
    }
    f->app = (struct yw_app){ .cfg = &f->cfg, .db = f->db, .version = "test" };
    if (yw_catalog_seed(&f->app, dd, NULL, &err) != 0 || yw_lic__keys_init(&f->app, &err) != 0) {
        fprintf(stderr, "cannot seed the catalog from %s: %s\n", dd, err.msg);
        teardown(state);
        return -1;
    }
    return 0;
}

static struct yw_dbc *
conn(struct fx *f)
{
    struct yw_dbc *c = yw_db_conn(f->db, NULL);
    assert_non_null(c);
    return c;
}

/* One license as staff see it; it must be there. */
static json_t *
license_row(struct fx *f, const char *id, bool with_document)
{
    json_t *o = NULL;
    assert_int_equal(yw_lic__license_json(conn(f), id, with_document, &o), 0);
    assert_non_null(o);
    return o;
}

/* ---- issuing in a transaction ---- */

struct issue_ctx {
    struct yw_lic__issue in;
    char id[128];
    struct yw_err *err;
};

static int
issue_tx(struct yw_dbc *c, void *vctx)
{
    struct issue_ctx *x = vctx;
    return yw_lic__issue(c, &x->in, x->id, x->err);
}

/* Issue; returns the result code, the id in id_out (128 bytes) when 0. */
static int
try_issue(struct fx *f, const struct yw_lic__issue *in, char *id_out, struct yw_err *err)
{
    struct issue_ctx x = { .in = *in, .err = err };
    int rc = yw_db_tx(f->db, YW_TX_WRITE, issue_tx, &x, err);
    if (rc == 0 && id_out)
        snprintf(id_out, 128, "%s", x.id);
    return rc;
}

#define BL_FIELDS                                                                                                                            \
    "{\"name\":\"" COMPANY_NAME "\",\"uscc\":\"" COMPANY                                                                                     \
    "\",\"legal_rep\":\"张小明\",\"type\":\"有限责任公司\","                                                                        \
    "\"registered_capital\":\"100\",\"address\":\"上海市徐汇区漕溪北路88号\",\"business_scope\":\"技术服务、技术开发\"," \
    "\"established\":\"2026-01-15\"}"

/* A 营业执照 (LT-001) of the demo company with all eight fields. */
static void
issue_bl(struct fx *f, const char *from, const char *until, char id[128])
{
    json_t *fields = json_loads(BL_FIELDS, 0, NULL);
    assert_non_null(fields);
    struct yw_err err = { 0 };
    struct yw_lic__issue in = { .type_code = "LT-001",
                                .holder_ident = COMPANY,
                                .holder_name = COMPANY_NAME,
                                .fields = fields,
                                .valid_from = from,
                                .valid_until = until,
                                .source = "api",
                                .actor = "test",
                                .actor_dept = "XH-SCJ" };
    int rc = try_issue(f, &in, id, &err);
    json_decref(fields);
    if (rc)
        fail_msg("issue failed (%d): %s (%s)", rc, err.msg, err.field);
}

/* The signed document of a license (new reference). */
static json_t *
document(struct fx *f, const char *id)
{
    json_t *o = license_row(f, id, true);
    assert_non_null(o);
    json_t *doc = json_incref(json_object_get(o, "document"));
    json_decref(o);
    assert_true(json_is_object(doc));
    return doc;
}

static json_t *
keys(struct fx *f)
{
    json_t *k = yw_lic__keys_json(conn(f));
    assert_non_null(k);
    return k;
}

static int64_t
day(const char *text)
{
    int64_t d = 0;
    assert_int_equal(yw_cal_parse_day(text, &d), 0);
    return d;
}

static int64_t
today(void)
{
    return yw_cal_day_of_ms(yw_clock_now_ms());
}

/* Verify offline and check the code (and validity: only "ok" is valid). */
static void
expect_offline(json_t *doc, json_t *k, json_t *list, int64_t when, const char *code,
               const char *what)
{
    struct yw_lic_verdict v;
    memset(&v, 0x5a, sizeof v);
    assert_int_equal(yw_lic_verify_offline(doc, k, list, when, &v), 0);
    if (strcmp(v.code, code) != 0 || v.valid != !strcmp(code, "ok"))
        fail_msg("%s: expected %s, got %s (valid %d): %s", what, code, v.code, v.valid, v.reason);
    assert_true(v.reason[0] != '\0');
}

static void
test_issue_and_document(void **state)
{
    struct fx *f = *state;
    char id[128], id2[128];
    issue_bl(f, NULL, NULL, id);
    issue_bl(f, NULL, NULL, id2);
    /* GB/T 36904: type code and issuer code from the catalog, serial = year + counter, version 001 */
    char year[5];
    char td[11];
    yw_cal_day_text(today(), td);
    snprintf(year, sizeof year, "%.4s", td);
    char want[128];
    snprintf(want, sizeof want, "1.2.156.3005.2." LT001_CODE "." SCJ_USCC ".%s000001.001.", year);
    assert_true(strncmp(id, want, strlen(want)) == 0);
    assert_int_equal(strlen(id), strlen(want) + 1);
    snprintf(want, sizeof want, "1.2.156.3005.2." LT001_CODE "." SCJ_USCC ".%s000002.001.", year);
    assert_true(strncmp(id2, want, strlen(want)) == 0);
    assert_int_equal(yw_lic_check_id(id, NULL), 0);
    assert_int_equal(yw_lic_check_id(id2, NULL), 0);

    json_t *doc = document(f, id);
    json_t *lic = json_object_get(doc, "license"), *sig = json_object_get(doc, "signature");
    assert_string_equal(json_string_value(json_object_get(lic, "id")), id);
    assert_string_equal(json_string_value(json_object_get(lic, "type")), "LT-001");
    assert_string_equal(json_string_value(json_object_get(lic, "type_code")), LT001_CODE);
    assert_string_equal(json_string_value(json_object_get(lic, "type_name")), "营业执照");
    json_t *issuer = json_object_get(lic, "issuer"), *holder = json_object_get(lic, "holder");
    assert_string_equal(json_string_value(json_object_get(issuer, "dept")), "XH-SCJ");
    assert_string_equal(json_string_value(json_object_get(issuer, "uscc")), SCJ_USCC);
    assert_non_null(strstr(json_string_value(json_object_get(issuer, "name")), "市场监督管理局"));
    assert_string_equal(json_string_value(json_object_get(holder, "kind")), "enterprise");
    assert_string_equal(json_string_value(json_object_get(holder, "ident")), COMPANY);
    assert_string_equal(json_string_value(json_object_get(holder, "name")), COMPANY_NAME);
    json_t *want_fields = json_loads(BL_FIELDS, 0, NULL);
    assert_true(json_equal(json_object_get(lic, "fields"), want_fields));
    json_decref(want_fields);
    assert_string_equal(json_string_value(json_object_get(lic, "valid_from")), td);
    assert_string_equal(json_string_value(json_object_get(lic, "valid_until")),
                        ""); /* 营业执照: no end */
    assert_int_equal(json_integer_value(json_object_get(lic, "version")), 1);
    assert_true(json_is_integer(json_object_get(lic, "version")));
    assert_int_equal(json_object_size(lic), 12);
    const char *kid = json_string_value(json_object_get(lic, "key_id"));
    assert_non_null(kid);
    assert_int_equal(strlen(kid), 16);
    assert_string_equal(json_string_value(json_object_get(sig, "key_id")), kid);
    assert_string_equal(json_string_value(json_object_get(sig, "alg")), "SM2-SM3");
    assert_string_equal(json_string_value(json_object_get(sig, "distid")), "1234567812345678");

    /* the published key is the department's, and the signature covers the RFC 8785 bytes */
    json_t *k = keys(f);
    assert_int_equal(json_object_size(k), 1);
    json_t *key = json_object_get(k, kid);
    assert_non_null(key);
    assert_string_equal(json_string_value(json_object_get(key, "dept")), "XH-SCJ");
    assert_string_equal(json_string_value(json_object_get(key, "issuer_uscc")), SCJ_USCC);
    assert_string_equal(json_string_value(json_object_get(key, "status")), "active");
    assert_string_equal(json_string_value(json_object_get(key, "algorithm")), "SM2-SM3");
    const char *pem = json_string_value(json_object_get(key, "public_pem"));
    struct yw_sm2_key *pub = NULL;
    assert_int_equal(yw_sm2_load_pem(pem, strlen(pem), false, &pub), 0);
    char pkid[17];
    assert_int_equal(yw_sm2_key_id(pub, pkid), 0);
    assert_string_equal(pkid, kid);
    assert_string_equal(json_string_value(json_object_get(sig, "canon")), "jcs");
    struct yw_buf canon, cb;
    yw_buf_init(&canon);
    yw_buf_init(&cb);
    assert_int_equal(yw_jcs(lic, &canon, NULL), 0);
    assert_int_equal(yw_lic_canonical(lic, &cb), 0);
    assert_string_equal(cb.p, canon.p);
    assert_true(strncmp(canon.p, "{\"fields\":{\"address\":", 21) == 0); /* sorted */
    assert_null(strchr(canon.p, '\n'));
    assert_int_equal(
        yw_sm2_verify(pub, canon.p, canon.n, json_string_value(json_object_get(sig, "value"))), 0);
    yw_buf_release(&canon);
    yw_buf_release(&cb);
    yw_sm2_free(pub);

    /* offline: valid, status unknown without a list; online: valid and status valid */
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic_verify_offline(doc, k, NULL, today(), &v), 0);
    assert_true(v.valid);
    assert_string_equal(v.code, "ok");
    assert_string_equal(v.status, "unknown");
    assert_int_equal(yw_lic__verify_online(conn(f), doc, &v, NULL), 0);
    assert_true(v.valid);
    assert_string_equal(v.code, "ok");
    assert_string_equal(v.status, "valid");

    /* both licenses share the department's key; the row matches the document */
    json_t *doc2 = document(f, id2);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc2, "license"), "key_id")), kid);
    json_t *row = license_row(f, id, false);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "valid");
    assert_string_equal(json_string_value(json_object_get(row, "source")), "api");
    assert_true(json_is_true(json_object_get(row, "usable")));
    assert_null(json_object_get(row, "document"));
    json_decref(row);
    /* the wallet lists both, newest first; the provider finds one for a material */
    json_t *list = yw_lic__list_json(conn(f), COMPANY, NULL, NULL, 50, 0);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    json_t *ev = NULL;
    assert_int_equal(yw_lic__provider(conn(f), COMPANY, "LT-001", &ev, NULL), 0);
    const char *ref = json_string_value(json_object_get(ev, "ref"));
    assert_true(!strcmp(ref, id) || !strcmp(ref, id2));
    assert_string_equal(json_string_value(json_object_get(ev, "label")), "营业执照");
    json_decref(ev);
    ev = NULL;
    assert_int_equal(yw_lic__provider(conn(f), COMPANY2, "LT-001", &ev, NULL), YW_ENOTFOUND);
    assert_int_equal(yw_lic__provider(conn(f), COMPANY, "LT-002", &ev, NULL), YW_ENOTFOUND);
    assert_null(ev);
    json_decref(doc2);
    json_decref(k);
    json_decref(doc);
}

/* Change one byte of a string, keeping it valid UTF-8: the last byte, or
 * "0" for an empty string. */
static json_t *
one_byte_changed(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return json_string("0");
    char *t = strdup(s);
    unsigned char b = (unsigned char)t[n - 1];
    if (b >= 0x80)
        t[n - 1] = (char)(b ^ 0x01); /* a continuation byte stays one */
    else if (b >= '0' && b <= '9')
        t[n - 1] = b == '0' ? '1' : '0';
    else if (b >= 'A' && b <= 'Z')
        t[n - 1] = b == 'A' ? 'B' : 'A';
    else if (b >= 'a' && b <= 'z')
        t[n - 1] = b == 'a' ? 'b' : 'a';
    else
        t[n - 1] = 'A';
    json_t *v = json_string(t);
    assert_non_null(v);
    assert_string_not_equal(t, s);
    free(t);
    return v;
}

/* What changing the field at path must give: the identifier's check comes
 * first, then the issuer (the key's department and credit code), then the
 * signature. */
static const char *
expected_code(const char *path)
{
    if (!strcmp(path, "id"))
        return "bad_identifier";
    if (!strcmp(path, "issuer.dept") || !strcmp(path, "issuer.uscc"))
        return "wrong_issuer";
    return "bad_signature";
}

static void
tamper_leaf(json_t *doc, json_t *k, const char *k1, const char *k2, int *count)
{
    json_t *copy = json_deep_copy(doc);
    json_t *parent = json_object_get(copy, "license");
    if (k2)
        parent = json_object_get(parent, k1);
    const char *key = k2 ? k2 : k1;
    json_t *v = json_object_get(parent, key);
    char path[128];
    snprintf(path, sizeof path, "%s%s%s", k1, k2 ? "." : "", k2 ? k2 : "");
    if (json_is_string(v)) {
        json_object_set_new(parent, key, one_byte_changed(json_string_value(v)));
    } else if (json_is_integer(v)) {
        json_object_set_new(parent, key, json_integer(json_integer_value(v) + 1));
    } else {
        fail_msg("%s: unexpected JSON type %d", path, json_typeof(v));
    }
    expect_offline(copy, k, NULL, today(), expected_code(path), path);
    json_decref(copy);
    (*count)++;
}

static void
test_tamper_every_field(void **state)
{
    struct fx *f = *state;
    char id[128];
    issue_bl(f, NULL, NULL, id);
    json_t *doc = document(f, id), *k = keys(f);
    expect_offline(doc, k, NULL, today(), "ok", "untouched");
    json_t *lic = json_object_get(doc, "license");
    /* every leaf of the signed object, one at a time */
    int count = 0;
    const char *k1;
    json_t *v1;
    json_object_foreach(lic, k1, v1)
    {
        if (json_is_object(v1)) {
            const char *k2;
            json_t *v2;
            json_object_foreach(v1, k2, v2) tamper_leaf(doc, k, k1, k2, &count);
        } else {
            tamper_leaf(doc, k, k1, NULL, &count);
        }
    }
    /* id type type_code type_name issued_at valid_from valid_until version key_id,
     * issuer 3, holder 3, fields 8 */
    assert_int_equal(count, 9 + 3 + 3 + 8);

    /* other changes of the signed content */
    json_t *c = json_deep_copy(doc);
    json_t *cl = json_object_get(c, "license");
    json_object_set_new(cl, "version", json_string("1")); /* same value, other type */
    expect_offline(c, k, NULL, today(), "bad_signature", "version as text");
    json_decref(c);

    c = json_deep_copy(doc);
    cl = json_object_get(c, "license");
    json_object_set_new(cl, "note", json_string("")); /* a field added */
    expect_offline(c, k, NULL, today(), "bad_signature", "field added to license");
    json_decref(c);

    c = json_deep_copy(doc);
    json_object_del(json_object_get(c, "license"), "type_name"); /* a field removed */
    expect_offline(c, k, NULL, today(), "bad_signature", "type_name removed");
    json_decref(c);

    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(json_object_get(c, "license"), "fields"), "extra",
                        json_string("x"));
    expect_offline(c, k, NULL, today(), "bad_signature", "fields.extra added");
    json_decref(c);

    c = json_deep_copy(doc);
    json_object_del(json_object_get(json_object_get(c, "license"), "fields"), "legal_rep");
    expect_offline(c, k, NULL, today(), "bad_signature", "fields.legal_rep removed");
    json_decref(c);

    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(json_object_get(c, "license"), "holder"), "ident",
                        json_string(COMPANY2));
    expect_offline(c, k, NULL, today(), "bad_signature", "holder.ident another valid credit code");
    json_decref(c);

    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "license"), "valid_until", json_string("2099-12-31"));
    expect_offline(c, k, NULL, today(), "bad_signature", "valid_until extended");
    json_decref(c);

    /* the id replaced by another well-formed identifier (its own check character) */
    char other[128];
    const char *serial_part = id + strlen("1.2.156.3005.2." LT001_CODE "." SCJ_USCC ".");
    char serial[16];
    snprintf(serial, sizeof serial, "%.10s", serial_part);
    serial[9] = serial[9] == '9' ? '8' : (char)(serial[9] + 1);
    assert_int_equal(yw_lic_make_id(LT001_CODE, SCJ_USCC, serial, 1, other, sizeof other), 0);
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "license"), "id", json_string(other));
    expect_offline(c, k, NULL, today(), "bad_signature", "id replaced by a valid identifier");
    json_decref(c);

    /* the signature: a flipped bit of the DER, another license's signature, a removed one */
    const char *value =
        json_string_value(json_object_get(json_object_get(doc, "signature"), "value"));
    struct yw_buf der, b64;
    yw_buf_init(&der);
    yw_buf_init(&b64);
    assert_int_equal(yw_unbase64(value, &der), 0);
    der.p[der.n - 1] ^= 0x01;
    yw_base64(der.p, der.n, &b64);
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "signature"), "value", json_string(b64.p));
    expect_offline(c, k, NULL, today(), "bad_signature", "signature bit flipped");
    json_decref(c);
    yw_buf_release(&der);
    yw_buf_release(&b64);

    char id2[128];
    issue_bl(f, NULL, NULL, id2);
    json_t *doc2 = document(f, id2);
    c = json_deep_copy(doc);
    json_object_set(c, "signature", json_object_get(doc2, "signature"));
    expect_offline(c, k, NULL, today(), "bad_signature", "another license's signature");
    json_decref(c);
    json_decref(doc2);

    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "signature"), "value", json_string("not base64 !"));
    expect_offline(c, k, NULL, today(), "bad_signature", "signature not base64");
    json_decref(c);

    c = json_deep_copy(doc);
    json_object_del(c, "signature");
    expect_offline(c, k, NULL, today(), "malformed", "no signature");
    json_decref(c);

    c = json_deep_copy(doc);
    json_object_set_new(c, "license", json_string("x"));
    expect_offline(c, k, NULL, today(), "malformed", "license not an object");
    json_decref(c);

    json_t *empty = json_object();
    expect_offline(empty, k, NULL, today(), "malformed", "empty document");
    json_decref(empty);

    /* online verification agrees */
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(json_object_get(c, "license"), "fields"),
                        "registered_capital", json_string("1000"));
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic__verify_online(conn(f), c, &v, NULL), 0);
    assert_false(v.valid);
    assert_string_equal(v.code, "bad_signature");
    json_decref(c);

    /* and the original still verifies after all those copies */
    expect_offline(doc, k, NULL, today(), "ok", "untouched at the end");
    json_decref(k);
    json_decref(doc);
}

/* ---- keys ---- */

struct key_ctx {
    const char *dept;
    const struct yw_sm2_key *key;
    char key_id[17];
    struct yw_err *err;
};

static int
dept_key_tx(struct yw_dbc *c, void *vctx)
{
    struct key_ctx *x = vctx;
    return yw_lic__dept_key(c, x->dept, &x->key, x->key_id, x->err);
}

static int
rotate_tx(struct yw_dbc *c, void *vctx)
{
    struct key_ctx *x = vctx;
    return yw_lic__rotate_key(c, x->dept, x->key_id, x->err);
}

/* Re-sign doc's license (after changes) with key, under key_id. */
static void
resign(json_t *doc, const struct yw_sm2_key *key, const char *key_id)
{
    json_t *lic = json_object_get(doc, "license");
    json_object_set_new(lic, "key_id", json_string(key_id));
    struct yw_buf canon, sig;
    yw_buf_init(&canon);
    yw_buf_init(&sig);
    assert_int_equal(yw_lic_canonical(lic, &canon), 0);
    assert_int_equal(yw_sm2_sign(key, canon.p, canon.n, &sig), 0);
    json_t *s = json_object_get(doc, "signature");
    json_object_set_new(s, "key_id", json_string(key_id));
    json_object_set_new(s, "value", json_string(sig.p));
    yw_buf_release(&canon);
    yw_buf_release(&sig);
}

static void
test_unknown_key(void **state)
{
    struct fx *f = *state;
    char id[128];
    issue_bl(f, NULL, NULL, id);
    json_t *doc = document(f, id), *k = keys(f);
    const char *kid =
        json_string_value(json_object_get(json_object_get(doc, "signature"), "key_id"));
    /* no keys at all */
    json_t *none = json_object();
    expect_offline(doc, none, NULL, today(), "unknown_key", "no keys");
    json_decref(none);
    /* a key id nobody published, in the signature and in the license */
    json_t *c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "signature"), "key_id", json_string("0000000000000000"));
    expect_offline(c, k, NULL, today(), "unknown_key", "signature key id unknown");
    json_object_set_new(json_object_get(c, "license"), "key_id", json_string("0000000000000000"));
    expect_offline(c, k, NULL, today(), "unknown_key", "both key ids unknown");
    json_object_del(json_object_get(c, "signature"), "key_id");
    expect_offline(c, k, NULL, today(), "unknown_key", "no key id");
    json_decref(c);
    /* a published entry whose PEM cannot be read */
    json_t *k2 = json_deep_copy(k);
    json_object_set_new(
        json_object_get(k2, kid), "public_pem",
        json_string("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
    expect_offline(doc, k2, NULL, today(), "unknown_key", "unreadable PEM");
    json_decref(k2);
    /* a fresh key pair under the published id: the signature does not match */
    struct yw_sm2_key *stranger = NULL;
    assert_int_equal(yw_sm2_generate(&stranger), 0);
    struct yw_buf pem;
    yw_buf_init(&pem);
    assert_int_equal(yw_sm2_public_pem(stranger, &pem), 0);
    k2 = json_deep_copy(k);
    json_object_set_new(json_object_get(k2, kid), "public_pem", json_string(pem.p));
    expect_offline(doc, k2, NULL, today(), "bad_signature", "another public key under the id");
    json_decref(k2);
    /* a forger's own key, published nowhere, signing a changed license */
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(json_object_get(c, "license"), "holder"), "name",
                        json_string("冒名公司"));
    char skid[17];
    assert_int_equal(yw_sm2_key_id(stranger, skid), 0);
    resign(c, stranger, skid);
    expect_offline(c, k, NULL, today(), "unknown_key", "forger's own key");
    json_decref(c);
    yw_buf_release(&pem);
    yw_sm2_free(stranger);
    /* online: the same */
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "signature"), "key_id", json_string("ffffffffffffffff"));
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic__verify_online(conn(f), c, &v, NULL), 0);
    assert_string_equal(v.code, "unknown_key");
    assert_false(v.valid);
    json_decref(c);
    json_decref(k);
    json_decref(doc);
}

/* Sign doc's license in one canonical form (jcs: RFC 8785, else the form
 * before it) and set signature.canon to `canon` (NULL: none). */
static void
sign_as(json_t *doc, const struct yw_sm2_key *key, bool jcs, const char *canon)
{
    json_t *lic = json_object_get(doc, "license"), *s = json_object_get(doc, "signature");
    struct yw_buf bytes, sig;
    yw_buf_init(&bytes);
    yw_buf_init(&sig);
    assert_int_equal(jcs ? yw_lic_canonical(lic, &bytes) : yw_lic_canonical_v1(lic, &bytes), 0);
    assert_int_equal(yw_sm2_sign(key, bytes.p, bytes.n, &sig), 0);
    json_object_set_new(s, "value", json_string(sig.p));
    if (canon)
        json_object_set_new(s, "canon", json_string(canon));
    else
        json_object_del(s, "canon");
    yw_buf_release(&bytes);
    yw_buf_release(&sig);
}

/* Two canonical forms verify, each as its signature names it: RFC 8785
 * (canon "jcs") and the form before it (no canon), which differ on control
 * characters (\u001f against jansson's \u001F).  Signatures with another alg,
 * distid or canon are refused, and so is a real number in an RFC 8785
 * document (refused, not formatted). */
static void
test_canonical_forms(void **state)
{
    struct fx *f = *state;
    char id[128];
    issue_bl(f, NULL, NULL, id);
    json_t *doc = document(f, id), *k = keys(f);
    struct yw_err err = { 0 };
    struct key_ctx scj = { .dept = "XH-SCJ", .err = &err };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, dept_key_tx, &scj, &err), 0);
    expect_offline(doc, k, NULL, today(), "ok", "as issued");

    /* a field with a control character, as a document signed before could hold */
    json_t *c = json_deep_copy(doc);
    json_object_set_new(json_object_get(json_object_get(c, "license"), "fields"), "business_scope",
                        json_string("a\x1f\x01"
                                    "b\t\"q\"\\"));
    struct yw_buf a, b;
    yw_buf_init(&a);
    yw_buf_init(&b);
    assert_int_equal(yw_lic_canonical(json_object_get(c, "license"), &a), 0);
    assert_int_equal(yw_lic_canonical_v1(json_object_get(c, "license"), &b), 0);
    assert_non_null(strstr(a.p, "a\\u001f\\u0001b\\t\\\"q\\\"\\\\"));
    assert_non_null(strstr(b.p, "a\\u001F\\u0001b\\t\\\"q\\\"\\\\"));
    yw_buf_release(&a);
    yw_buf_release(&b);
    sign_as(c, scj.key, false, NULL);
    expect_offline(c, k, NULL, today(), "ok", "the old form without canon");
    sign_as(c, scj.key, true, "jcs");
    expect_offline(c, k, NULL, today(), "ok", "RFC 8785 with canon jcs");
    /* each signature covers its own form only */
    sign_as(c, scj.key, false, "jcs");
    expect_offline(c, k, NULL, today(), "bad_signature", "old bytes claimed as jcs");
    sign_as(c, scj.key, true, NULL);
    expect_offline(c, k, NULL, today(), "bad_signature", "jcs bytes without canon");
    json_decref(c);

    /* the signature's parameters */
    static const struct {
        const char *member, *value, *code;
    } params[] = {
        { "alg", "SM2", "bad_signature" },
        { "alg", NULL, "bad_signature" },
        { "distid", "1234567812345679", "bad_signature" },
        { "distid", "", "bad_signature" },
        { "distid", NULL, "bad_signature" },
        { "canon", "JCS", "malformed" },
        { "canon", "rfc8785", "malformed" },
    };
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        c = json_deep_copy(doc);
        json_t *s = json_object_get(c, "signature");
        if (params[i].value)
            json_object_set_new(s, params[i].member, json_string(params[i].value));
        else
            json_object_del(s, params[i].member);
        expect_offline(c, k, NULL, today(), params[i].code, params[i].member);
        struct yw_lic_verdict v;
        assert_int_equal(yw_lic__verify_online(conn(f), c, &v, NULL), 0);
        assert_string_equal(v.code, params[i].code);
        json_decref(c);
    }
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "signature"), "distid", json_integer(1234567812345678));
    expect_offline(c, k, NULL, today(), "bad_signature", "distid as a number");
    json_decref(c);

    /* a number RFC 8785 would write in floating point: refused, naming it */
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "license"), "version", json_real(1.5));
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic_verify_offline(c, k, NULL, today(), &v), 0);
    assert_string_equal(v.code, "malformed");
    assert_non_null(strstr(v.reason, "version"));
    json_decref(c);
    json_decref(k);
    json_decref(doc);
}

static void
test_wrong_issuer(void **state)
{
    struct fx *f = *state;
    char id[128];
    issue_bl(f, NULL, NULL, id);
    /* another department's key (税务局), made the way the server makes it */
    struct yw_err err = { 0 };
    struct key_ctx swj = { .dept = "XH-SWJ", .err = &err };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, dept_key_tx, &swj, &err), 0);
    assert_non_null(swj.key);
    json_t *doc = document(f, id), *k = keys(f);
    assert_int_equal(json_object_size(k), 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, swj.key_id), "dept")),
                        "XH-SWJ");
    /* a 营业执照 of 市场监管局 re-signed with 税务局's key */
    json_t *c = json_deep_copy(doc);
    json_object_set_new(json_object_get(json_object_get(c, "license"), "fields"),
                        "registered_capital", json_string("99999"));
    resign(c, swj.key, swj.key_id);
    expect_offline(c, k, NULL, today(), "wrong_issuer", "signed with another department's key");
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic__verify_online(conn(f), c, &v, NULL), 0);
    assert_string_equal(v.code, "wrong_issuer");
    json_decref(c);
    /* the unchanged document with the signature key id pointing at 税务局's key */
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "signature"), "key_id", json_string(swj.key_id));
    expect_offline(c, k, NULL, today(), "wrong_issuer", "signature key id of another department");
    json_decref(c);
    /* keys where the department of the signing key is another */
    json_t *k2 = json_deep_copy(k);
    const char *kid = json_string_value(json_object_get(json_object_get(doc, "license"), "key_id"));
    json_object_set_new(json_object_get(k2, kid), "dept", json_string("XH-SWJ"));
    expect_offline(doc, k2, NULL, today(), "wrong_issuer", "key published for another department");
    json_object_del(json_object_get(k2, kid), "dept");
    expect_offline(doc, k2, NULL, today(), "wrong_issuer", "key without a department");
    json_decref(k2);
    /* 税务局 claims to be the issuer (issuer.dept) but keeps 市场监管局's name, credit code and
     * identifier: the license then names an issuer whose key did not sign it */
    c = json_deep_copy(doc);
    json_object_set_new(json_object_get(json_object_get(c, "license"), "issuer"), "dept",
                        json_string("XH-SWJ"));
    resign(c, swj.key, swj.key_id);
    memset(&v, 0, sizeof v);
    assert_int_equal(yw_lic_verify_offline(c, k, NULL, today(), &v), 0);
    assert_false(v.valid);
    assert_string_equal(v.code, "wrong_issuer");
    json_decref(c);
    json_decref(k);
    json_decref(doc);
}

static void
test_dates(void **state)
{
    struct fx *f = *state;
    char id[128], open_id[128];
    issue_bl(f, "2026-01-10", "2026-03-31", id);
    issue_bl(f, "2020-02-29", "", open_id);
    json_t *doc = document(f, id), *k = keys(f);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "license"), "valid_from")),
        "2026-01-10");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(doc, "license"), "valid_until")),
        "2026-03-31");
    expect_offline(doc, k, NULL, day("2025-12-31"), "not_yet_valid", "a week before");
    expect_offline(doc, k, NULL, day("2026-01-09"), "not_yet_valid", "the day before valid_from");
    expect_offline(doc, k, NULL, day("2026-01-10"), "ok", "valid_from");
    expect_offline(doc, k, NULL, day("2026-02-15"), "ok", "inside");
    expect_offline(doc, k, NULL, day("2026-03-31"), "ok", "valid_until (inclusive)");
    expect_offline(doc, k, NULL, day("2026-04-01"), "expired", "the day after valid_until");
    expect_offline(doc, k, NULL, day("2030-01-01"), "expired", "years after");
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic_verify_offline(doc, k, NULL, day("2026-04-01"), &v), 0);
    assert_non_null(strstr(v.reason, "2026-03-31"));
    assert_int_equal(yw_lic_verify_offline(doc, k, NULL, day("2026-01-09"), &v), 0);
    assert_non_null(strstr(v.reason, "2026-01-10"));
    /* a signature problem is reported before the dates */
    json_t *c = json_deep_copy(doc);
    json_object_set_new(json_object_get(c, "license"), "valid_until", json_string("2026-03-30"));
    expect_offline(c, k, NULL, day("2026-04-01"), "bad_signature", "changed and expired");
    json_decref(c);
    /* no end */
    json_t *open = document(f, open_id);
    expect_offline(open, k, NULL, day("2020-02-28"), "not_yet_valid", "open: before");
    expect_offline(open, k, NULL, day("2020-02-29"), "ok", "open: first day");
    expect_offline(open, k, NULL, day("2999-12-31"), "ok", "open: far future");
    json_decref(open);
    /* the wallet marks an expired license; the provider skips it (valid_until is past by the clock) */
    char past[128];
    issue_bl(f, "2020-01-01", "2020-12-31", past);
    json_t *row = license_row(f, past, false);
    assert_true(json_is_true(json_object_get(row, "expired")));
    assert_true(json_is_false(json_object_get(row, "usable")));
    json_decref(row);
    assert_int_equal(yw_lic__verify_online(conn(f), (c = document(f, past)), &v, NULL), 0);
    assert_string_equal(v.code, "expired");
    json_decref(c);
    json_t *ev = NULL;
    assert_int_equal(yw_lic__provider(conn(f), COMPANY, "LT-001", &ev, NULL), 0);
    assert_string_not_equal(json_string_value(json_object_get(ev, "ref")), past);
    json_decref(ev);
    json_decref(k);
    json_decref(doc);
}

static void
test_validity_years(void **state)
{
    struct fx *f = *state;
    /* 食品经营许可证 (LT-002): 5 years unless given - from + 5 years - 1 day */
    static const struct {
        const char *from, *until;
    } cases[] = { { "2026-03-01", "2031-02-28" },
                  { "2026-01-01", "2030-12-31" },
                  { "2027-12-31", "2032-12-30" },
                  { "2028-03-01", "2033-02-28" } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct yw_err err = { 0 };
        char id[128];
        struct yw_lic__issue in = { .type_code = "LT-002",
                                    .holder_ident = COMPANY,
                                    .holder_name = COMPANY_NAME,
                                    .valid_from = cases[i].from,
                                    .source = "api",
                                    .actor = "test" };
        assert_int_equal(try_issue(f, &in, id, &err), 0);
        json_t *row = license_row(f, id, false);
        assert_string_equal(json_string_value(json_object_get(row, "valid_from")), cases[i].from);
        if (strcmp(json_string_value(json_object_get(row, "valid_until")), cases[i].until) != 0)
            fail_msg("from %s: until %s, want %s", cases[i].from,
                     json_string_value(json_object_get(row, "valid_until")), cases[i].until);
        json_decref(row);
    }
    /* from 29 February: five years later there is none; the last day is 28 February */
    struct yw_err err = { 0 };
    char id[128];
    struct yw_lic__issue in = { .type_code = "LT-002",
                                .holder_ident = COMPANY,
                                .holder_name = COMPANY_NAME,
                                .valid_from = "2028-02-29",
                                .source = "api",
                                .actor = "test" };
    assert_int_equal(try_issue(f, &in, id, &err), 0);
    json_t *row = license_row(f, id, false);
    const char *until = json_string_value(json_object_get(row, "valid_until"));
    assert_string_equal(until, "2033-02-28");
    json_decref(row);
}

/* ---- status ---- */

struct status_ctx {
    const char *id, *status, *reason, *dept;
    struct yw_err *err;
};

static int
status_tx(struct yw_dbc *c, void *vctx)
{
    struct status_ctx *x = vctx;
    return yw_lic__set_status(c, x->id, x->status, x->reason, "test", x->dept, x->err);
}

static int
set_status(struct fx *f, const char *id, const char *status, const char *reason, const char *dept,
           struct yw_err *err)
{
    struct status_ctx x = { id, status, reason, dept, err };
    return yw_db_tx(f->db, YW_TX_WRITE, status_tx, &x, err);
}

struct list_ctx {
    const char *dept;
    json_t *list;
    struct yw_err *err;
};

static int
list_tx(struct yw_dbc *c, void *vctx)
{
    struct list_ctx *x = vctx;
    return yw_lic__status_list(c, x->dept, &x->list, x->err);
}

static json_t *
status_list(struct fx *f, const char *dept)
{
    struct yw_err err = { 0 };
    struct list_ctx x = { .dept = dept, .err = &err };
    if (yw_db_tx(f->db, YW_TX_WRITE, list_tx, &x, &err) != 0)
        fail_msg("status list of %s: %s", dept, err.msg);
    return x.list;
}

static void
expect_with_list(json_t *doc, json_t *k, json_t *list, const char *code, const char *status,
                 const char *what)
{
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic_verify_offline(doc, k, list, today(), &v), 0);
    if (strcmp(v.code, code) != 0 || (status && strcmp(v.status, status) != 0) ||
        v.valid != !strcmp(code, "ok"))
        fail_msg("%s: expected %s/%s, got %s/%s (valid %d): %s", what, code, status, v.code,
                 v.status, v.valid, v.reason);
}

static void
test_status_lists(void **state)
{
    struct fx *f = *state;
    char a[128], b[128], c[128];
    issue_bl(f, NULL, NULL, a);
    issue_bl(f, NULL, NULL, b);
    issue_bl(f, NULL, NULL, c);
    struct yw_err err = { 0 };
    assert_int_equal(set_status(f, a, "revoked", "以欺骗手段取得登记", "XH-SCJ", &err), 0);
    assert_int_equal(set_status(f, b, "suspended", "责令停业整顿", "XH-SCJ", &err), 0);
    json_t *list = status_list(f, "XH-SCJ"), *k = keys(f);
    /* the list: this department, both entries, signed with its key */
    json_t *l = json_object_get(list, "list");
    assert_string_equal(json_string_value(json_object_get(l, "dept")), "XH-SCJ");
    assert_string_equal(json_string_value(json_object_get(l, "issuer_uscc")), SCJ_USCC);
    json_t *entries = json_object_get(l, "entries");
    assert_int_equal(json_array_size(entries), 2);
    bool saw_a = false, saw_b = false;
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        const char *eid = json_string_value(json_object_get(e, "id"));
        if (!strcmp(eid, a)) {
            saw_a = true;
            assert_string_equal(json_string_value(json_object_get(e, "status")), "revoked");
            assert_string_equal(json_string_value(json_object_get(e, "reason")),
                                "以欺骗手段取得登记");
        } else if (!strcmp(eid, b)) {
            saw_b = true;
            assert_string_equal(json_string_value(json_object_get(e, "status")), "suspended");
        }
        assert_string_not_equal(eid, c);
    }
    assert_true(saw_a && saw_b);
    const char *lkid =
        json_string_value(json_object_get(json_object_get(list, "signature"), "key_id"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, lkid), "dept")),
                        "XH-SCJ");

    json_t *da = document(f, a), *db = document(f, b), *dc = document(f, c);
    expect_with_list(da, k, list, "revoked", "revoked", "revoked license");
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic_verify_offline(da, k, list, today(), &v), 0);
    assert_non_null(strstr(v.reason, "以欺骗手段取得登记"));
    expect_with_list(db, k, list, "suspended", "suspended", "suspended license");
    expect_with_list(dc, k, list, "ok", "valid", "license not on the list");
    expect_with_list(dc, k, NULL, "ok", "unknown", "no list");

    /* a department that has signed nothing has no list */
    {
        struct yw_err lerr = { 0 };
        struct list_ctx x = { .dept = "XH-SWJ", .err = &lerr };
        assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, list_tx, &x, &lerr), YW_ENOTFOUND);
    }
    /* another department's list (signed, but not the issuer's) */
    {
        /* 税务局 gets its key (as on its first signature), so it has a list */
        struct yw_err kerr = { 0 };
        struct key_ctx kx = { .dept = "XH-SWJ", .err = &kerr };
        assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, dept_key_tx, &kx, &kerr), 0);
    }
    json_t *swj = status_list(f, "XH-SWJ");
    json_decref(k);
    k = keys(f); /* now with 税务局's key */
    expect_with_list(da, k, swj, "bad_status_list", "unknown",
                     "revoked license, another department's list");
    expect_with_list(dc, k, swj, "bad_status_list", "unknown",
                     "valid license, another department's list");
    /* another department's list relabelled as the issuer's: the signature no longer matches */
    json_t *fake = json_deep_copy(swj);
    json_object_set_new(json_object_get(fake, "list"), "dept", json_string("XH-SCJ"));
    expect_with_list(dc, k, fake, "bad_status_list", "unknown", "relabelled list");
    json_decref(fake);
    /* the issuer's list signed with another department's key */
    fake = json_deep_copy(list);
    struct yw_buf canon, sig;
    yw_buf_init(&canon);
    yw_buf_init(&sig);
    struct key_ctx kx = { .dept = "XH-SWJ", .err = &err };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, dept_key_tx, &kx, &err), 0);
    assert_int_equal(yw_lic_canonical(json_object_get(fake, "list"), &canon), 0);
    assert_int_equal(yw_sm2_sign(kx.key, canon.p, canon.n, &sig), 0);
    json_object_set_new(json_object_get(fake, "signature"), "key_id", json_string(kx.key_id));
    json_object_set_new(json_object_get(fake, "signature"), "value", json_string(sig.p));
    expect_with_list(dc, k, fake, "bad_status_list", "unknown",
                     "issuer's list signed by another department");
    json_decref(fake);
    yw_buf_release(&canon);
    yw_buf_release(&sig);
    /* the issuer's list with the revocation removed: bad signature */
    fake = json_deep_copy(list);
    json_array_clear(json_object_get(json_object_get(fake, "list"), "entries"));
    expect_with_list(da, k, fake, "bad_status_list", "unknown", "entries removed");
    json_decref(fake);
    /* a changed status (revoked -> valid) */
    fake = json_deep_copy(list);
    json_array_foreach(json_object_get(json_object_get(fake, "list"), "entries"), i, e)
        json_object_set_new(e, "status", json_string("valid"));
    expect_with_list(da, k, fake, "bad_status_list", "unknown", "status changed");
    json_decref(fake);
    /* a flipped signature byte, an unknown key, no signature, not a list */
    fake = json_deep_copy(list);
    const char *value =
        json_string_value(json_object_get(json_object_get(fake, "signature"), "value"));
    struct yw_buf der, b64;
    yw_buf_init(&der);
    yw_buf_init(&b64);
    assert_int_equal(yw_unbase64(value, &der), 0);
    der.p[der.n - 2] ^= 0x10;
    yw_base64(der.p, der.n, &b64);
    json_object_set_new(json_object_get(fake, "signature"), "value", json_string(b64.p));
    expect_with_list(dc, k, fake, "bad_status_list", "unknown", "list signature flipped");
    yw_buf_release(&der);
    yw_buf_release(&b64);
    json_object_set_new(json_object_get(fake, "signature"), "key_id",
                        json_string("0123456789abcdef"));
    expect_with_list(dc, k, fake, "bad_status_list", "unknown", "list key unknown");
    json_object_del(fake, "signature");
    expect_with_list(dc, k, fake, "bad_status_list", "unknown", "list without signature");
    json_decref(fake);
    fake = json_object();
    expect_with_list(dc, k, fake, "bad_status_list", "unknown", "empty object as list");
    json_decref(fake);
    /* a bad document stays bad whatever the list says */
    json_t *bad = json_deep_copy(dc);
    json_object_set_new(json_object_get(bad, "license"), "type_name",
                        json_string("食品经营许可证"));
    expect_with_list(bad, k, list, "bad_signature", NULL, "tampered document with a good list");
    json_decref(bad);

    /* reinstating b: the next list no longer has it */
    assert_int_equal(set_status(f, b, "valid", NULL, "XH-SCJ", &err), 0);
    json_t *list2 = status_list(f, "XH-SCJ");
    assert_int_equal(json_array_size(json_object_get(json_object_get(list2, "list"), "entries")),
                     1);
    expect_with_list(db, k, list2, "ok", "valid", "reinstated");
    expect_with_list(da, k, list2, "revoked", "revoked", "still revoked");
    /* online */
    assert_int_equal(yw_lic__verify_online(conn(f), da, &v, NULL), 0);
    assert_string_equal(v.code, "revoked");
    assert_string_equal(v.status, "revoked");
    assert_false(v.valid);
    assert_int_equal(yw_lic__verify_online(conn(f), db, &v, NULL), 0);
    assert_string_equal(v.code, "ok");
    assert_true(v.valid);
    /* the provider no longer offers the revoked one */
    json_t *ev = NULL;
    assert_int_equal(yw_lic__provider(conn(f), COMPANY, "LT-001", &ev, NULL), 0);
    assert_string_not_equal(json_string_value(json_object_get(ev, "ref")), a);
    json_decref(ev);
    /* a department that does not exist has no list */
    struct list_ctx lx = { .dept = "XH-NONE", .err = &err };
    assert_int_not_equal(yw_db_tx(f->db, YW_TX_WRITE, list_tx, &lx, &err), 0);
    assert_null(lx.list);

    json_decref(list2);
    json_decref(swj);
    json_decref(da);
    json_decref(db);
    json_decref(dc);
    json_decref(k);
    json_decref(list);
}

static void
test_status_rules(void **state)
{
    struct fx *f = *state;
    char id[128];
    issue_bl(f, NULL, NULL, id);
    struct yw_err err = { 0 };
    /* only the issuing department (NULL = an admin: any) */
    assert_int_equal(set_status(f, id, "revoked", "理由", "XH-SWJ", &err), YW_EFORBIDDEN);
    /* a reason is needed to revoke or suspend */
    memset(&err, 0, sizeof err);
    assert_int_equal(set_status(f, id, "revoked", "", "XH-SCJ", &err), YW_EMISSING);
    assert_string_equal(err.field, "reason");
    assert_int_equal(set_status(f, id, "suspended", NULL, "XH-SCJ", &err), YW_EMISSING);
    /* valid -> valid is no change */
    assert_int_equal(set_status(f, id, "valid", NULL, "XH-SCJ", &err), YW_ESTATE);
    /* suspend, suspend again, reinstate */
    assert_int_equal(set_status(f, id, "suspended", "停业整顿", "XH-SCJ", &err), 0);
    assert_int_equal(set_status(f, id, "suspended", "停业整顿", "XH-SCJ", &err), YW_ESTATE);
    assert_int_equal(set_status(f, id, "valid", NULL, "XH-SCJ", &err), 0);
    json_t *row = license_row(f, id, false);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "valid");
    json_decref(row);
    /* revoke (an admin), then nothing more */
    assert_int_equal(set_status(f, id, "revoked", "吊销", NULL, &err), 0);
    assert_int_equal(set_status(f, id, "revoked", "再次吊销", "XH-SCJ", &err), YW_ESTATE);
    assert_int_equal(set_status(f, id, "valid", NULL, "XH-SCJ", &err), YW_ESTATE);
    assert_int_equal(set_status(f, id, "suspended", "x", "XH-SCJ", &err), YW_ESTATE);
    row = license_row(f, id, false);
    assert_string_equal(json_string_value(json_object_get(row, "status")), "revoked");
    assert_string_equal(json_string_value(json_object_get(row, "status_reason")), "吊销");
    assert_true(json_is_false(json_object_get(row, "usable")));
    json_decref(row);
    /* no such license */
    assert_int_equal(set_status(f, "1.2.156.3005.2.x", "revoked", "x", NULL, &err), YW_ENOTFOUND);
}

static void
test_issue_rules(void **state)
{
    struct fx *f = *state;
    struct yw_err err;
    char id[128];
    json_t *fields = json_loads(BL_FIELDS, 0, NULL);
    struct yw_lic__issue good = { .type_code = "LT-001",
                                  .holder_ident = COMPANY,
                                  .holder_name = COMPANY_NAME,
                                  .fields = fields,
                                  .source = "api",
                                  .actor = "test",
                                  .actor_dept = "XH-SCJ" };
    struct yw_lic__issue in;
#define EXPECT_422(call, fieldv)                                                                   \
    do {                                                                                           \
        memset(&err, 0, sizeof err);                                                               \
        int rc_ = (call);                                                                          \
        if (yw_errhttp(rc_) != 422 || strcmp(err.field, (fieldv)) != 0)                            \
            fail_msg("line %d: expected 422 (%s), got %d (%s): %s", __LINE__, (fieldv), rc_,       \
                     err.field, err.msg);                                                          \
    } while (0)
#define EXPECT_ISSUE(rcv, fieldv)                                                                  \
    do {                                                                                           \
        memset(&err, 0, sizeof err);                                                               \
        int rc_ = try_issue(f, &in, id, &err);                                                     \
        if (rc_ != (rcv) || strcmp(err.field, (fieldv)) != 0)                                      \
            fail_msg("line %d: expected %d (%s), got %d (%s): %s", __LINE__, (rcv), (fieldv), rc_, \
                     err.field, err.msg);                                                          \
    } while (0)
    in = good;
    in.type_code = "LT-999";
    EXPECT_ISSUE(YW_EFIELD, "type");
    in = good;
    in.actor_dept = "XH-SWJ"; /* 税务局 does not issue 营业执照 */
    EXPECT_ISSUE(YW_EFORBIDDEN, "type");
    in = good;
    in.holder_ident = "91310104MA1FL8XQ11"; /* check character wrong */
    EXPECT_ISSUE(YW_EUSCCCHECK, "holder_ident");
    in = good;
    in.holder_ident = PERSON; /* a person cannot hold a 营业执照 */
    EXPECT_422(try_issue(f, &in, id, &err), "holder_ident");
    in = good;
    in.holder_ident = NULL;
    EXPECT_422(try_issue(f, &in, id, &err), "holder_ident");
    in = good;
    in.holder_name = "";
    EXPECT_ISSUE(YW_EFIELD, "holder_name");
    in = good;
    json_t *bad = json_pack("{s:s}", "nickname", "x");
    in.fields = bad;
    EXPECT_ISSUE(YW_EUNKNOWN, "fields");
    json_decref(bad);
    bad = json_pack("{s:s}", "established", "2026-02-30");
    in.fields = bad;
    EXPECT_ISSUE(YW_EFIELD, "fields");
    json_decref(bad);
    bad = json_pack("{s:s}", "uscc", "91310104MA1FL8XQ1X");
    in.fields = bad;
    EXPECT_ISSUE(YW_EFIELD, "fields");
    json_decref(bad);
    bad = json_pack("{s:i}", "registered_capital", 100);
    in.fields = bad;
    EXPECT_ISSUE(YW_EFIELD, "fields");
    json_decref(bad);
    in = good;
    in.valid_from = "2026-13-01";
    EXPECT_ISSUE(YW_EFIELD, "valid_from");
    in = good;
    in.valid_from = "2026-05-01";
    in.valid_until = "2026-04-30";
    EXPECT_ISSUE(YW_EFIELD, "valid_until");
    /* none of those left a license or used a serial */
    json_t *list = yw_lic__list_json(conn(f), NULL, NULL, "XH-SCJ", 50, 0);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    /* a lower-case credit code is stored in upper case; a person's license takes an ID number */
    in = good;
    in.holder_ident = "91310104ma1fl8xq10";
    EXPECT_ISSUE(0, "");
    json_t *row = license_row(f, id, false);
    assert_string_equal(json_string_value(json_object_get(json_object_get(row, "holder"), "ident")),
                        COMPANY);
    char td[11], want[128];
    yw_cal_day_text(today(), td);
    snprintf(want, sizeof want, "1.2.156.3005.2." LT001_CODE "." SCJ_USCC ".%.4s000001.001.", td);
    assert_true(strncmp(id, want, strlen(want)) == 0); /* the failures used no serial */
    json_decref(row);
    in = (struct yw_lic__issue){ .type_code = "LT-014",
                                 .holder_ident = PERSON,
                                 .holder_name = "张小明",
                                 .source = "api",
                                 .actor = "test",
                                 .actor_dept = "XH-RSJ" };
    EXPECT_ISSUE(0, "");
    assert_non_null(strstr(id, ".11310104425916073E014.11310104425916073E."));
    in.holder_ident = COMPANY;
    EXPECT_422(try_issue(f, &in, id, &err), "holder_ident");
    json_decref(fields);
#undef EXPECT_ISSUE
#undef EXPECT_422
}

static void
test_rotation(void **state)
{
    struct fx *f = *state;
    char old_id[128], new_id[128];
    issue_bl(f, NULL, NULL, old_id);
    json_t *old_doc = document(f, old_id);
    const char *old_kid =
        json_string_value(json_object_get(json_object_get(old_doc, "license"), "key_id"));
    struct yw_err err = { 0 };
    struct key_ctx r = { .dept = "XH-SCJ", .err = &err };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, rotate_tx, &r, &err), 0);
    assert_string_not_equal(r.key_id, old_kid);
    json_t *k = keys(f);
    assert_int_equal(json_object_size(k), 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, old_kid), "status")),
                        "retired");
    assert_true(json_string_value(json_object_get(json_object_get(k, old_kid), "retired_at"))[0] !=
                '\0');
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, r.key_id), "status")),
                        "active");
    /* old licenses still verify, offline and online */
    expect_offline(old_doc, k, NULL, today(), "ok", "signed by the retired key");
    struct yw_lic_verdict v;
    assert_int_equal(yw_lic__verify_online(conn(f), old_doc, &v, NULL), 0);
    assert_true(v.valid);
    /* new ones use the new key */
    issue_bl(f, NULL, NULL, new_id);
    json_t *new_doc = document(f, new_id);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(new_doc, "license"), "key_id")),
        r.key_id);
    expect_offline(new_doc, k, NULL, today(), "ok", "signed by the new key");
    /* a verifier with only the old key does not know the new one */
    json_t *only_old = json_pack("{s:O}", old_kid, json_object_get(k, old_kid));
    expect_offline(new_doc, only_old, NULL, today(), "unknown_key", "new license, old keys");
    json_decref(only_old);
    /* the status list is signed with the new key and accepted */
    json_t *list = status_list(f, "XH-SCJ");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(list, "signature"), "key_id")), r.key_id);
    expect_with_list(old_doc, k, list, "ok", "valid", "old license, new list");
    /* the new key survives the cache being dropped (sealed in the database) */
    yw_lic__keys_shutdown();
    assert_int_equal(yw_lic__keys_init(&f->app, &err), 0);
    char third[128];
    issue_bl(f, NULL, NULL, third);
    json_t *third_doc = document(f, third);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(third_doc, "license"), "key_id")),
        r.key_id);
    expect_offline(third_doc, k, NULL, today(), "ok", "after reloading");
    /* rotating a department that does not exist fails */
    struct key_ctx bad = { .dept = "XH-NONE", .err = &err };
    assert_int_not_equal(yw_db_tx(f->db, YW_TX_WRITE, rotate_tx, &bad, &err), 0);
    json_decref(third_doc);
    json_decref(list);
    json_decref(new_doc);
    json_decref(k);
    json_decref(old_doc);
}

static void
test_secret_key(void **state)
{
    struct fx *f = *state;
    char id[128];
    issue_bl(f, NULL, NULL, id); /* the key of XH-SCJ, sealed under SECRET_A */
    struct yw_err err = { 0 };
    /* the private key is not stored in the clear */
    struct yw_stmt *s = yw_db_prepare(conn(f), "SELECT private_sealed FROM signing_keys");
    assert_non_null(s);
    assert_int_equal(yw_db_step(s), YW_ROW);
    assert_null(strstr(yw_db_col_text(s, 0), "PRIVATE"));
    yw_db_reset(s);

    /* another node with another secret does not start: the key it would sign
     * with cannot be opened (issue 21 item 2) */
    yw_lic__keys_shutdown();
    assert_int_equal(yw_config_set(&f->cfg, "secret_key", SECRET_B, "flag", &err), 0);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_lic__keys_init(&f->app, &err), YW_ECONFIG);
    assert_string_equal(err.field, "secret_key");
    assert_non_null(strstr(err.msg, "XH-SCJ"));
    json_t *fields = json_loads(BL_FIELDS, 0, NULL);
    struct yw_lic__issue in = { .type_code = "LT-001",
                                .holder_ident = COMPANY,
                                .holder_name = COMPANY_NAME,
                                .fields = fields,
                                .source = "api",
                                .actor = "test" };
    /* ...so nothing is signed with it */
    memset(&err, 0, sizeof err);
    assert_int_equal(try_issue(f, &in, NULL, &err), YW_ECONFIG);
    struct list_ctx lx = { .dept = "XH-SCJ", .err = &err };
    assert_int_not_equal(yw_db_tx(f->db, YW_TX_WRITE, list_tx, &lx, &err), 0);
    /* back with the right secret */
    yw_lic__keys_shutdown();
    assert_int_equal(yw_config_set(&f->cfg, "secret_key", SECRET_A, "flag", &err), 0);
    assert_int_equal(yw_lic__keys_init(&f->app, &err), 0);
    assert_int_equal(try_issue(f, &in, NULL, &err), 0);
    /* no secret at all: nothing is signed */
    yw_lic__keys_shutdown();
    assert_int_equal(try_issue(f, &in, NULL, &err), YW_ECONFIG);
    /* bad secrets */
    static const char *const bad[] = {
        "abc", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeZZ", SECRET_A "00"
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(yw_config_set(&f->cfg, "secret_key", bad[i], "flag", &err), 0);
        memset(&err, 0, sizeof err);
        assert_int_equal(yw_lic__keys_init(&f->app, &err), YW_ECONFIG);
        assert_string_equal(err.field, "secret_key");
    }
    /* secret_key empty and no key file, but sealed keys in the database: no new
     * key is made (it would not open them) */
    char path[512];
    snprintf(path, sizeof path, "%s/var/ywtb.key", f->dir);
    assert_int_equal(yw_config_set(&f->cfg, "secret_key", "", "flag", &err), 0);
    assert_int_equal(yw_config_set(&f->cfg, "secret_key_file", path, "flag", &err), 0);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_lic__keys_init(&f->app, &err), YW_ECONFIG);
    assert_string_equal(err.field, "secret_key_file");
    assert_non_null(strstr(err.msg, path));
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    /* the right key restored into the file opens them */
    char kdir[512];
    snprintf(kdir, sizeof kdir, "%s/var", f->dir);
    mkdir(kdir, 0700);
    FILE *kf = fopen(path, "w");
    fprintf(kf, "%s\n", SECRET_A);
    fclose(kf);
    assert_int_equal(yw_lic__keys_init(&f->app, &err), 0);
    assert_int_equal(try_issue(f, &in, NULL, &err), 0);
    /* a file with garbage in it */
    kf = fopen(path, "w");
    fputs("not a key\n", kf);
    fclose(kf);
    yw_lic__keys_shutdown();
    assert_int_equal(yw_lic__keys_init(&f->app, &err), YW_ECONFIG);

    /* a database without signing keys: the file is made on first use with mode
     * 0600, then read back (the same secret, not a new one) */
    yw_lic__keys_shutdown();
    char url2[600];
    snprintf(url2, sizeof url2, "sqlite:%s/fresh.db", f->dir);
    snprintf(path, sizeof path, "%s/var/new.key", f->dir);
    assert_int_equal(yw_config_set(&f->cfg, "secret_key_file", path, "flag", &err), 0);
    struct yw_db *db2 = NULL;
    int applied = 0;
    assert_int_equal(yw_db_open(url2, &db2, &err), 0);
    assert_int_equal(yw_db_migrate(db2, &applied, &err), 0);
    struct yw_app app2 = f->app;
    app2.db = db2;
    assert_int_equal(yw_lic__keys_init(&app2, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    kf = fopen(path, "r");
    char line[80] = "";
    assert_non_null(fgets(line, sizeof line, kf));
    fclose(kf);
    assert_int_equal(strlen(line), 65);
    for (int i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", line[i]));
    yw_lic__keys_shutdown();
    assert_int_equal(yw_lic__keys_init(&app2, &err), 0);
    char line2[80] = "";
    kf = fopen(path, "r");
    assert_non_null(fgets(line2, sizeof line2, kf));
    fclose(kf);
    assert_string_equal(line, line2);
    yw_lic__keys_shutdown();
    yw_db_close(db2);
    /* the fixture's teardown expects the secret loaded */
    assert_int_equal(yw_config_set(&f->cfg, "secret_key", SECRET_A, "flag", &err), 0);
    assert_int_equal(yw_lic__keys_init(&f->app, &err), 0);
    json_decref(fields);
}

/* ---- bulk import ---- */

static int64_t
license_count(struct fx *f)
{
    struct yw_stmt *s = yw_db_prepare(conn(f), "SELECT COUNT(*) FROM licenses");
    assert_non_null(s);
    assert_int_equal(yw_db_step(s), YW_ROW);
    int64_t n = yw_db_col_int(s, 0);
    yw_db_reset(s);
    return n;
}

static void
write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int
import(struct fx *f, const char *name, const char *text, int64_t *n, char **report)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    write_text(path, text);
    size_t len = 0;
    FILE *rep = open_memstream(report, &len);
    assert_non_null(rep);
    struct yw_err err = { 0 };
    int rc = yw_lic_import(&f->app, path, rep, n, &err);
    fclose(rep);
    return rc;
}

static void
test_import(void **state)
{
    struct fx *f = *state;
    int64_t n = -1;
    char *report = NULL;
    /* CSV: quotes, doubled quotes and commas inside values; an empty line */
    const char *csv =
        "type,holder_ident,holder_name,valid_from,valid_until,field.name,field.business_scope,field.address\n"
        "LT-001," COMPANY ",\"" COMPANY_NAME "\",2020-05-01,,\"" COMPANY_NAME
        "\",\"技术开发, 技术服务, 技术咨询\","
        "\"上海市徐汇区\"\"漕河泾\"\"开发区\"\n"
        "\n"
        "LT-001," COMPANY2 ",上海测试二号有限公司,,2030-12-31,上海测试二号有限公司,批发,徐汇区\n";
    assert_int_equal(import(f, "good.csv", csv, &n, &report), 0);
    assert_int_equal(n, 2);
    assert_string_equal(report, "");
    free(report);
    assert_int_equal(license_count(f), 2);
    json_t *list = yw_lic__list_json(conn(f), COMPANY, NULL, NULL, 50, 0);
    assert_int_equal(json_array_size(list), 1);
    json_t *row = json_array_get(list, 0);
    json_t *fields = json_object_get(row, "fields");
    assert_string_equal(json_string_value(json_object_get(fields, "business_scope")),
                        "技术开发, 技术服务, 技术咨询");
    assert_string_equal(json_string_value(json_object_get(fields, "address")),
                        "上海市徐汇区\"漕河泾\"开发区");
    assert_string_equal(json_string_value(json_object_get(row, "valid_from")), "2020-05-01");
    assert_string_equal(json_string_value(json_object_get(row, "valid_until")), "");
    assert_string_equal(json_string_value(json_object_get(row, "source")), "import");
    json_t *doc = document(f, json_string_value(json_object_get(row, "id")));
    json_t *k = keys(f);
    expect_offline(doc, k, NULL, today(), "ok", "imported license");
    json_decref(doc);
    json_decref(list);

    /* NDJSON */
    const char *nd = "{\"type\":\"LT-001\",\"holder_ident\":\"" COMPANY
                     "\",\"holder_name\":\"甲\",\"fields\":{\"name\":\"甲\"}}\n"
                     "{\"type\":\"LT-002\",\"holder_ident\":\"" COMPANY2
                     "\",\"holder_name\":\"乙\",\"valid_from\":\"2026-01-01\"}\n";
    assert_int_equal(import(f, "good.ndjson", nd, &n, &report), 0);
    assert_int_equal(n, 2);
    free(report);
    assert_int_equal(license_count(f), 4);
    list = yw_lic__list_json(conn(f), COMPANY2, "LT-002", NULL, 50, 0);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "valid_until")),
                        "2030-12-31");
    json_decref(list);

    /* one bad row: nothing imported, the bad lines named */
    const char *bad_nd =
        "{\"type\":\"LT-001\",\"holder_ident\":\"" COMPANY "\",\"holder_name\":\"甲\"}\n"
        "{\"type\":\"LT-001\",\"holder_ident\":\"91310104MA1FL8XQ11\",\"holder_name\":\"甲\"}\n"
        "{\"type\":\"LT-001\",\"holder_ident\":\"" COMPANY "\",\"holder_name\":\"甲\"}\n"
        "not json\n"
        "{\"type\":\"LT-001\",\"holder_ident\":\"" COMPANY
        "\",\"holder_name\":\"甲\",\"fields\":{\"color\":\"red\"}}\n";
    assert_int_equal(import(f, "bad.ndjson", bad_nd, &n, &report), YW_EINVAL);
    assert_int_equal(n, 0);
    assert_non_null(strstr(report, "line 2:"));
    assert_non_null(strstr(report, "line 4:"));
    assert_non_null(strstr(report, "line 5:"));
    assert_null(strstr(report, "line 1:"));
    assert_null(strstr(report, "line 3:"));
    free(report);
    assert_int_equal(license_count(f), 4);

    const char *bad_csv = "type,holder_ident,holder_name,field.name\n"
                          "LT-001," COMPANY ",甲,甲\n"
                          "LT-001," COMPANY ",甲\n"               /* a column short */
                          "LT-001," COMPANY ",甲,\"a,b\",extra\n" /* a column more */
                          "LT-404," COMPANY ",甲,甲\n";
    assert_int_equal(import(f, "bad.csv", bad_csv, &n, &report), YW_EINVAL);
    assert_null(strstr(report, "line 2:"));
    assert_non_null(strstr(report, "line 3:"));
    assert_non_null(strstr(report, "line 4:"));
    assert_non_null(strstr(report, "line 5:"));
    free(report);
    assert_int_equal(license_count(f), 4);
    /* a file that is not there */
    struct yw_err err = { 0 };
    assert_int_equal(yw_lic_import(&f->app, "/nonexistent/x.csv", NULL, &n, &err), YW_EIO);
    json_decref(k);
}

int
main(void)
{
    if (yw_crypto_init() != 0)
        return 1;
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_check_char_reference),
        cmocka_unit_test(test_check_char_single_changes),
        cmocka_unit_test(test_make_id_round_trip),
        cmocka_unit_test(test_malformed_ids),
    };
    const struct CMUnitTest db[] = {
        cmocka_unit_test_setup_teardown(test_issue_and_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tamper_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_issuer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_canonical_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validity_years, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_status_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_issue_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("licenses/identifiers", pure, NULL, NULL);
    failed += YW_TEST_RUN_ENGINES("licenses", db, engine);
    return failed ? 1 : 0;
}
