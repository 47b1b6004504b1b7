/*
 * test_datahub.c - unit tests of the data hub (src/datahub) without a
 * database: a resource definition's checks, a row checked against a
 * resource's data items (types, required items, the subject's GB 11643-1999
 * check character, numbers written as CSV text, unknown items), masking for
 * other departments, and the purpose every read must state; the import's
 * flat-line path (checked without a parse) and a department system's scopes.
 *
 * On a fresh database per engine (SQLite; PostgreSQL when YWTB_TEST_PG_ADMIN
 * is set): a login to a department system through ywtb (the oidc.login
 * event's payload) lands in the person's ledger as that system's read, and a
 * sealed entry stays out of the ledger until its seal date.
 */
#include "testutil.h"

#include "core/mem.h"
#include "datahub/internal.h"
#include "db/db.h"

#include <jansson.h>

static json_t *
resource_doc(void)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:["
        "{s:s, s:s, s:s, s:i, s:b, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:s}, {s:s, s:s, s:s}]}",
        "code", "GA-T", "dept", "XH-GAFJ", "name", "测试", "subject_kind", "person",
        "subject_field", "id_number", "share_type", "conditional", "frequency", "daily",
        "legal_basis", "测试依据", "record_key", "", "fields", "key", "id_number", "name",
        "公民身份号码", "type", "id_number", "sensitivity", 3, "masked", 1, "required", 1, "key",
        "name", "name", "姓名", "required", 1, "key", "since", "name", "登记日期", "type", "date",
        "key", "n", "name", "人数", "type", "number");
}

static void
test_resource_check(void **state)
{
    (void)state;
    struct yw_err err = { 0 };
    json_t *doc = resource_doc(), *out = NULL;
    assert_int_equal(yw_dh__res_check(doc, &out, &err), 0);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(out, "fields"), 1), "type")),
                        "text"); /* the default type */
    assert_true(json_is_true(json_object_get(out, "self_view")));
    json_decref(out);
    /* the subject field must hold an ID number for persons */
    json_object_set_new(doc, "subject_field", json_string("name"));
    assert_int_equal(yw_dh__res_check(doc, &out, &err), YW_EFIELD);
    assert_string_equal(err.field, "subject_field");
    json_object_set_new(doc, "subject_field", json_string("id_number"));
    /* only resources without subjects are open */
    json_object_set_new(doc, "open", json_true());
    assert_int_equal(yw_dh__res_check(doc, &out, &err), YW_EFIELD);
    assert_string_equal(err.field, "open");
    json_object_del(doc, "open");
    json_object_set_new(doc, "code", json_string("bad code"));
    assert_int_equal(yw_dh__res_check(doc, &out, &err), YW_EFIELD);
    assert_string_equal(err.field, "code");
    json_decref(doc);
}

static void
test_row_check(void **state)
{
    (void)state;
    struct yw_err err = { 0 };
    json_t *doc = resource_doc(), *norm = NULL;
    assert_int_equal(yw_dh__res_check(doc, &norm, &err), 0);
    struct yw_dh_res r = { .code = "GA-T",
                           .subject_kind = "person",
                           .subject_field = "id_number",
                           .record_key = "",
                           .fields = json_object_get(norm, "fields") };
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    json_t *data = NULL;
    const char *subj, *rkey;
    /* GB 11643-1999: a lower-case x check character is stored upper-case */
    json_t *row = json_pack("{s:s, s:s, s:s, s:s}", "id_number", "11010519491231002x", "name",
                            "张三", "since", "2025-01-02", "n", "3");
    assert_int_equal(yw_dh__row_check(&r, row, &a, &data, &subj, &rkey, &err), 0);
    assert_string_equal(subj, "11010519491231002X");
    assert_string_equal(rkey, "");
    assert_true(json_is_integer(json_object_get(data, "n"))); /* CSV text became a number */
    assert_int_equal(json_integer_value(json_object_get(data, "n")), 3);
    json_decref(data);
    /* a wrong check character */
    json_object_set_new(row, "id_number", json_string("110105194912310021"));
    assert_int_equal(yw_dh__row_check(&r, row, &a, &data, &subj, &rkey, &err), YW_EIDCHECK);
    assert_string_equal(err.field, "id_number");
    json_object_set_new(row, "id_number", json_string("11010519491231002X"));
    json_object_set_new(row, "since", json_string("2025-02-30"));
    assert_int_equal(yw_dh__row_check(&r, row, &a, &data, &subj, &rkey, &err), YW_EFIELD);
    assert_string_equal(err.field, "since");
    json_object_set_new(row, "since", json_string("2025-02-28"));
    json_object_set_new(row, "n", json_string("three"));
    assert_int_equal(yw_dh__row_check(&r, row, &a, &data, &subj, &rkey, &err), YW_EFIELD);
    assert_string_equal(err.field, "n");
    json_object_del(row, "n");
    json_object_del(row, "name");
    assert_int_equal(yw_dh__row_check(&r, row, &a, &data, &subj, &rkey, &err), YW_EMISSING);
    assert_string_equal(err.field, "name");
    json_object_set_new(row, "name", json_string("张三"));
    json_object_set_new(row, "salary", json_string("1"));
    assert_int_equal(yw_dh__row_check(&r, row, &a, &data, &subj, &rkey, &err), YW_EUNKNOWN);
    assert_string_equal(err.field, "salary");
    json_decref(row);
    yw_arena_release(&a);
    json_decref(norm);
    json_decref(doc);
}

static void
check_mask(const char *in, const char *want)
{
    json_t *v = json_string(in), *m = yw_dh__mask(v);
    assert_string_equal(json_string_value(m), want);
    json_decref(v);
    json_decref(m);
}

/* A flat NDJSON line (import's fast path): scanned without a parse, checked
 * where it lies; anything else goes to the parser, and both paths agree. */
static void
test_flat_line(void **state)
{
    (void)state;
    struct yw_err err = { 0 };
    json_t *doc = resource_doc(), *norm = NULL;
    assert_int_equal(yw_dh__res_check(doc, &norm, &err), 0);
    struct yw_dh_res r = { .code = "GA-T",
                           .subject_kind = "person",
                           .subject_field = "id_number",
                           .record_key = "",
                           .fields = json_object_get(norm, "fields") };
    struct yw_dh_spec sp;
    assert_int_equal(yw_dh__spec_init(&r, &sp), 0);
    struct yw_arena a;
    yw_arena_init(&a, 1024);
    struct yw_dh_flat *fl = malloc(sizeof *fl);
    const char *subj = NULL, *rkey = NULL;
#define SCAN(s) yw_dh__flat_scan(s, strlen(s), fl)
    /* flat and stored as it came */
    const char *ok = " {\"id_number\" : \"11010519491231002X\", \"name\":\"张三\", \"since\":null} ";
    assert_true(SCAN(ok));
    assert_int_equal(fl->n, 3);
    assert_true(fl->kv[2].null);
    /* since: null is dropped when stored, so the line is not stored as it came */
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), 1);
    const char *plain = "{\"id_number\":\"11010519491231002X\",\"name\":\"张三\",\"since\":\"2025-01-02\"}";
    assert_true(SCAN(plain));
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), 0);
    assert_string_equal(subj, "11010519491231002X");
    assert_true(SCAN("{}"));
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), YW_EMISSING);
    /* not flat: a number, an escape, nesting, a repeated key, trailing bytes, not an object */
    assert_false(SCAN("{\"id_number\":\"11010519491231002X\",\"n\":3}"));
    assert_false(SCAN("{\"name\":\"张\\u4e09\"}"));
    assert_false(SCAN("{\"name\":{\"a\":\"b\"}}"));
    assert_false(SCAN("{\"name\":\"a\",\"name\":\"b\"}"));
    assert_false(SCAN("{\"name\":\"a\"} x"));
    assert_false(SCAN("[\"name\"]"));
    assert_false(SCAN("{\"name\":\"a\""));
    assert_false(SCAN("{\"name\":\"a\tb\"}")); /* a raw control character: the parser refuses it */
    /* refusals on the flat path name the same field as the parser's */
    assert_true(SCAN("{\"id_number\":\"110105194912310021\",\"name\":\"张三\"}"));
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), YW_EIDCHECK);
    assert_string_equal(err.field, "id_number");
    assert_true(SCAN("{\"id_number\":\"11010519491231002X\",\"name\":\"张三\",\"salary\":\"1\"}"));
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), YW_EUNKNOWN);
    assert_string_equal(err.field, "salary");
    assert_true(SCAN("{\"id_number\":\"11010519491231002X\",\"name\":\"张三\",\"since\":\"2025-02-30\"}"));
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), YW_EFIELD);
    assert_string_equal(err.field, "since");
    /* a lower-case check character needs normalising; bytes that are not UTF-8 need the parser */
    assert_true(SCAN("{\"id_number\":\"11010519491231002x\",\"name\":\"张三\"}"));
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), 1);
    assert_true(SCAN("{\"id_number\":\"11010519491231002X\",\"name\":\"\xff\xfe\"}"));
    assert_int_equal(yw_dh__row_check_flat(&sp, fl, &a, &subj, &rkey, &err), 1);
    /* the parsed path gives the row itself back when nothing changes */
    json_t *row = json_loads(plain, 0, NULL), *data = NULL;
    assert_int_equal(yw_dh__row_check_spec(&sp, row, &a, &data, &subj, &rkey, &err), 0);
    assert_ptr_equal(data, row);
    json_decref(data);
    json_decref(row);
#undef SCAN
    free(fl);
    yw_arena_release(&a);
    yw_dh__spec_release(&sp);
    json_decref(norm);
    json_decref(doc);
}

/* A department system's token scopes: the resource, then its fields. */
static void
test_scopes(void **state)
{
    (void)state;
    assert_true(yw_dh__scope_resource(NULL, "read", "GA-HJRK")); /* staff: no scopes */
    assert_false(yw_dh__scope_resource("", "read", "GA-HJRK"));
    assert_true(yw_dh__scope_resource("openid datahub.read", "read", "GA-HJRK"));
    assert_true(yw_dh__scope_resource("datahub.read:ga-hjrk", "read", "GA-HJRK"));
    assert_true(yw_dh__scope_resource("datahub.read:ga-hjrk.name", "read", "GA-HJRK"));
    assert_false(yw_dh__scope_resource("datahub.read:ga-hjrkx", "read", "GA-HJRK"));
    assert_false(yw_dh__scope_resource("datahub.read:ga-hj", "read", "GA-HJRK"));
    assert_false(yw_dh__scope_resource("datahub.read:ga-hjrk", "push", "GA-HJRK"));
    assert_false(yw_dh__scope_resource("datahub.readall", "read", "GA-HJRK"));
    assert_true(yw_dh__scope_any("datahub.read:ga-hjrk.name", "read"));
    assert_false(yw_dh__scope_any("datahub.push datahub.reader", "read"));
    json_t *granted = json_pack("[s, s, s]", "name", "hukou_address", "sex");
    json_t *f = yw_dh__scope_fields("datahub.read:ga-hjrk.name datahub.read:ga-hjrk.sex "
                                    "datahub.read:sc-qydj.name",
                                    "GA-HJRK", granted);
    assert_int_equal(json_array_size(f), 2);
    assert_string_equal(json_string_value(json_array_get(f, 0)), "name");
    assert_string_equal(json_string_value(json_array_get(f, 1)), "sex");
    json_decref(f);
    f = yw_dh__scope_fields("datahub.read:ga-hjrk", "GA-HJRK", granted);
    assert_int_equal(json_array_size(f), 3);
    json_decref(f);
    f = yw_dh__scope_fields("datahub.read:ga-hjrk.birth_date", "GA-HJRK", granted);
    assert_int_equal(json_array_size(f), 0); /* a scope never widens the grant */
    json_decref(f);
    json_decref(granted);
}

static void
test_mask(void **state)
{
    (void)state;
    check_mask("13812345678", "138****5678");
    check_mask("张小明", "张*明");
    check_mask("张三", "张*");
    check_mask("上海市徐汇区衡山路", "上*******路");
    json_t *n = json_integer(12000), *m = yw_dh__mask(n);
    assert_string_equal(json_string_value(m), "***");
    json_decref(n);
    json_decref(m);
}

static void
test_purpose(void **state)
{
    (void)state;
    struct yw_err err = { 0 };
    struct yw_dh_reader rd = { .kind = "staff", .dept = "XH-SCJ", .login = "r" };
    assert_int_equal(yw_dh__purpose_check(&rd, &err), YW_EMISSING);
    assert_string_equal(err.field, "purpose");
    rd.purpose_code = "case";
    assert_int_equal(yw_dh__purpose_check(&rd, &err), YW_EMISSING);
    assert_string_equal(err.field, "case_no");
    rd.case_no = "XH20261207000001";
    assert_int_equal(yw_dh__purpose_check(&rd, &err), 0);
    rd.purpose_code = "prefill"; /* the hub's own purpose, not a caller's */
    assert_int_equal(yw_dh__purpose_check(&rd, &err), YW_EFIELD);
    rd.purpose_code = "inspection";
    assert_int_equal(yw_dh__purpose_check(&rd, &err), YW_EMISSING);
    assert_string_equal(err.field, "purpose_text");
    rd.purpose_text = "年度检查";
    rd.sealed_until = "2099-01-01";
    assert_int_equal(yw_dh__purpose_check(&rd, &err), YW_EFIELD); /* only investigations seal */
    assert_string_equal(err.field, "sealed_until");
}

static int engine;

struct login_ctx {
    json_t *payload;
    struct yw_err *err;
};

static int
login_tx(struct yw_dbc *c, void *ctx)
{
    struct login_ctx *l = ctx;
    return yw_dh__on_oidc_login(c, "oidc.login", l->payload, NULL, l->err);
}

static int
sealed_tx(struct yw_dbc *c, void *ctx)
{
    (void)ctx;
    struct yw_dh_res r = { .code = "GA-HJRK", .name = "户籍人口信息", .dept = "XH-GAFJ" };
    struct yw_dh_reader rd = { .kind = "staff",
                               .dept = "XH-SCJ",
                               .login = "r",
                               .name = "李审核",
                               .purpose_code = "investigation",
                               .purpose_text = "调查",
                               .sealed_until = "2099-12-31",
                               .seal_basis = "依法" };
    json_t *f = json_pack("[s]", "name");
    int64_t id;
    int rc = yw_dh__ledger_add(c, &r, "310104199003072013", &rd, f, &id);
    json_decref(f);
    return rc;
}

static void
test_login_in_ledger(void **state)
{
    (void)state;
    char *url = yw_test_db_fresh(engine);
    assert_non_null(url);
    struct yw_err err = { 0 };
    struct yw_db *db = NULL;
    assert_int_equal(yw_db_open(url, &db, &err), 0);
    int applied = 0;
    assert_int_equal(yw_db_migrate(db, &applied, &err), 0);
    struct login_ctx l = { .payload =
                               json_pack("{s:i, s:s, s:s, s:s, s:s, s:[s, s]}", "account_id", 7,
                                         "subject_ident", "310104199003072013", "client_id",
                                         "gjj-web", "client_name", "公积金网上服务", "dept",
                                         "XH-GJJ", "scopes", "openid", "profile"),
                           .err = &err };
    assert_int_equal(yw_db_tx(db, YW_TX_WRITE, login_tx, &l, &err), 0);
    assert_int_equal(yw_db_tx(db, YW_TX_WRITE, sealed_tx, NULL, &err), 0);
    struct yw_dbc *c = yw_db_conn(db, &err);
    assert_non_null(c);
    json_t *ledger = yw_dh__my_ledger(c, "310104199003072013", 10, 0);
    assert_non_null(ledger);
    assert_int_equal(json_array_size(ledger), 1); /* the sealed read is not shown */
    json_t *e = json_array_get(ledger, 0);
    assert_string_equal(json_string_value(json_object_get(e, "reader_kind")), "sso");
    assert_string_equal(json_string_value(json_object_get(e, "reader_dept")), "XH-GJJ");
    assert_string_equal(json_string_value(json_object_get(e, "reader_name")), "公积金网上服务");
    assert_string_equal(json_string_value(json_object_get(e, "purpose")), "login");
    assert_int_equal(json_array_size(json_object_get(e, "fields")), 2);
    json_decref(ledger);
    /* another person's ledger is empty */
    ledger = yw_dh__my_ledger(c, "11010519491231002X", 10, 0);
    assert_int_equal(json_array_size(ledger), 0);
    json_decref(ledger);
    json_decref(l.payload);
    yw_db_close(db);
    yw_test_db_drop(url);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resource_check),
        cmocka_unit_test(test_row_check),
        cmocka_unit_test(test_flat_line),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_purpose),
    };
    const struct CMUnitTest db_tests[] = {
        cmocka_unit_test(test_login_in_ledger),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed + YW_TEST_RUN_ENGINES("datahub_db", db_tests, engine);
}
