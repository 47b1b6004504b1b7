/*
 * test_hotline.c - unit tests of the hotline's pure rules: the even-odd
 * point-in-polygon test that places a point in its unit grid (GB/T 30428.1;
 * src/hotline/grid.c) - a square, a hole, a concave L-shaped cell, points
 * beyond either side of an edge - the callback numbers an order accepts
 * (mobile, landline with area code), and the limits in working days of
 * CN-STANDARDS.md §6.1 (沪府办〔2018〕62号) as the defaults of the settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hotline/internal.h"

static json_t *
rings(const char *text)
{
    json_t *r = json_loads(text, 0, NULL);
    assert_non_null(r);
    return r;
}

static void
test_square_and_hole(void **state)
{
    (void)state;
    json_t *sq = rings("[[[0,0],[10,0],[10,10],[0,10],[0,0]]]");
    assert_true(yw_hotline__polygon_contains(sq, 5, 5));
    assert_true(yw_hotline__polygon_contains(sq, 0.001, 9.999));
    assert_false(yw_hotline__polygon_contains(sq, -0.001, 5));
    assert_false(yw_hotline__polygon_contains(sq, 10.001, 5));
    assert_false(yw_hotline__polygon_contains(sq, 5, 10.5));
    json_decref(sq);

    json_t *holed = rings("[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]");
    assert_true(yw_hotline__polygon_contains(holed, 2, 2));
    assert_false(yw_hotline__polygon_contains(holed, 5, 5)); /* in the hole */
    assert_true(yw_hotline__polygon_contains(holed, 7, 5));
    json_decref(holed);
}

static void
test_concave(void **state)
{
    (void)state;
    /* an L: the notch (6..10 x 6..10) is outside though inside the bounding box */
    json_t *l = rings("[[[0,0],[10,0],[10,6],[6,6],[6,10],[0,10],[0,0]]]");
    assert_true(yw_hotline__polygon_contains(l, 3, 8));
    assert_true(yw_hotline__polygon_contains(l, 8, 3));
    assert_false(yw_hotline__polygon_contains(l, 8, 8));
    json_decref(l);
}

static void
test_degenerate(void **state)
{
    (void)state;
    json_t *empty = rings("[]");
    assert_false(yw_hotline__polygon_contains(empty, 0, 0));
    json_decref(empty);
    assert_false(yw_hotline__polygon_contains(NULL, 0, 0));
}

static void
test_phone(void **state)
{
    (void)state;
    assert_true(yw_hotline__phone_ok("13812345678"));
    assert_true(yw_hotline__phone_ok("021-64870000"));
    assert_true(yw_hotline__phone_ok("02164870000"));
    assert_true(yw_hotline__phone_ok("0571-88889999"));
    assert_false(yw_hotline__phone_ok("12812345678")); /* second digit 3-9 */
    assert_false(yw_hotline__phone_ok("1381234567"));
    assert_false(yw_hotline__phone_ok("021-6487"));
    assert_false(yw_hotline__phone_ok("0-2164870000"));
    assert_false(yw_hotline__phone_ok("021--64870000"));
    assert_false(yw_hotline__phone_ok("+8613812345678"));
    assert_false(yw_hotline__phone_ok(""));
    assert_false(yw_hotline__phone_ok(NULL));
}

static void
test_limits(void **state)
{
    (void)state;
    /* CN-STANDARDS.md §6.1: 一般咨询、意见建议 1; 热线督办、回访复核 3; 一般求助、投诉 5; 复杂事项 15 */
    assert_int_equal(yw_hotline__type_limit("consult"), 1);
    assert_int_equal(yw_hotline__type_limit("suggestion"), 1);
    assert_int_equal(yw_hotline__type_limit("supervision"), 3);
    assert_int_equal(yw_hotline__type_limit("help"), 5);
    assert_int_equal(yw_hotline__type_limit("complaint"), 5);
    assert_int_equal(yw_hotline__type_limit("complex"), 15);
    assert_int_equal(yw_hotline__type_limit("urgent"), -1);
    assert_int_equal(yw_hotline__type_limit(NULL), -1);
    /* every category names a known type */
    for (size_t i = 0; i < yw_hotline__ncategories; i++)
        assert_true(yw_hotline__type_limit(yw_hotline__categories[i].type) > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_square_and_hole), cmocka_unit_test(test_concave),
        cmocka_unit_test(test_degenerate),      cmocka_unit_test(test_phone),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
