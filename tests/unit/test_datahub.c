/*
 * test_datahub.c - unit tests of the data hub (src/datahub) without a
 * database: a resource definition's checks, a row checked against a
 * resource's data items (types, required items, the subject's GB 11643-1999
 * check character, numbers written as CSV text, unknown items), masking for
 * other departments, and the purpose every read must state.
 */
#include "testutil.h"

#include "core/mem.h"
#include "datahub/internal.h"

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
    struct yw_dh_res r = { .code = "GA-T", .subject_kind = "person", .subject_field = "id_number",
                           .record_key = "", .fields = json_object_get(norm, "fields") };
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resource_check),
        cmocka_unit_test(test_row_check),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_purpose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
