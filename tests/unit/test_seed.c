/*
 * test_seed.c - unit tests of the identifiers `ywtb seed --scale` generates
 * (seed/ids.c): every generated resident identity number is a valid GB
 * 11643-1999 number and every generated credit code a valid GB 32100-2015 code
 * (checked with core/cnid, CN-STANDARDS.md §1-§2), and no two accounts share
 * one.  The scale seed once drew birth dates at random and produced about 280
 * duplicate numbers per 100,000 citizens; the xuhui run then failed on the
 * cases of the citizens it had skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/cnid.h"
#include "seed/seed.h"

/* more than the xuhui scale's 100,000 citizens and 43,000 companies */
#define N 200000

static int
fix_clock(void **state)
{
    int64_t ms;
    if (yw_clock_parse("2026-03-01T00:00:00Z", &ms) != 0)
        return -1;
    yw_clock_set(ms);
    return 0;
}

static int
cmp_ident(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Sort n numbers and fail on the first pair that repeats. */
static void
assert_unique(char (*ids)[19], size_t n)
{
    qsort(ids, n, sizeof *ids, cmp_ident);
    for (size_t i = 1; i < n; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            fail_msg("generated number '%s' repeats", ids[i]);
}

/* One GB 11643 number: valid, issued in 徐汇 310104, born 1950-2005, and the
 * sex is the parity of the sequence code (GB 11643-1999, positions 15-17). */
static void
check_person(const char *id)
{
    struct yw_cnid_person p;
    int rc = yw_cnid_check_id(id, 18, &p, NULL);
    if (rc != 0)
        fail_msg("generated identity number '%s' is not valid (%d)", id, rc);
    assert_string_equal(p.id, id);
    assert_string_equal(p.region, "310104");
    assert_true(strcmp(p.birth, "1950-01-01") >= 0 && strcmp(p.birth, "2005-12-31") <= 0);
    int seq = (id[14] - '0') * 100 + (id[15] - '0') * 10 + (id[16] - '0'); /* positions 15-17 */
    assert_true(seq >= 500 && seq <= 999);
    assert_int_equal(p.sex, seq % 2 ? 'M' : 'F');
}

static void
first_citizens_are_valid_and_unique(void **state)
{
    char(*ids)[19] = calloc(N, sizeof *ids);
    assert_non_null(ids);
    int men = 0;
    for (int64_t i = 0; i < N; i++) {
        assert_int_equal(yw_seed_person_id(i, ids[i]), 0);
        assert_int_equal(strlen(ids[i]), 18);
        check_person(ids[i]);
        men += (ids[i][16] - '0') % 2;
    }
    /* scattered sequence codes give both sexes in about equal numbers */
    assert_true(men > N * 45 / 100 && men < N * 55 / 100);
    assert_unique(ids, N);
    free(ids);
}

/* The map index -> (birth date, sequence) is a bijection on the whole capacity,
 * not just at its start: N indexes spread over all of it stay distinct too. */
static void
citizens_across_the_capacity_are_unique(void **state)
{
    int64_t cap = yw_seed_person_capacity();
    assert_true(cap >= 10 * N);
    char(*ids)[19] = calloc(N, sizeof *ids);
    assert_non_null(ids);
    for (int64_t k = 0; k < N; k++) {
        int64_t i = k * (cap / N) + k % 7;
        assert_int_equal(yw_seed_person_id(i, ids[k]), 0);
        check_person(ids[k]);
    }
    assert_int_equal(yw_seed_person_id(cap - 1, ids[0]), 0);
    check_person(ids[0]);
    assert_unique(ids, N);
    free(ids);
}

static void
companies_are_valid_and_unique(void **state)
{
    assert_true(yw_seed_company_capacity() >= N);
    char(*ids)[19] = calloc(N, sizeof *ids);
    assert_non_null(ids);
    for (int64_t i = 0; i < N; i++) {
        assert_int_equal(yw_seed_company_code(i, ids[i]), 0);
        struct yw_cnid_org o;
        int rc = yw_cnid_check_uscc(ids[i], 18, &o, NULL);
        if (rc != 0)
            fail_msg("generated credit code '%s' is not valid (%d)", ids[i], rc);
        assert_string_equal(o.region, "310104");
        assert_string_equal(o.authority, "工商"); /* 91: 工商 / 企业, GB 32100-2015 */
        assert_string_equal(o.category, "企业");
    }
    assert_unique(ids, N);
    free(ids);
}

/* Outside the capacity there is no number (rather than a repeated one), and the
 * demo accounts of seed/demo.c are never generated. */
static void
out_of_range_and_demo_numbers(void **state)
{
    char out[19] = "untouched";
    assert_int_equal(yw_seed_person_id(-1, out), YW_EINVAL);
    assert_int_equal(yw_seed_person_id(yw_seed_person_capacity(), out), YW_EINVAL);
    assert_int_equal(yw_seed_company_code(-1, out), YW_EINVAL);
    assert_int_equal(yw_seed_company_code(yw_seed_company_capacity(), out), YW_EINVAL);
    assert_string_equal(out, "untouched");
    /* the demo citizen 31010419900307201x has sequence 201, below the generated 500-999;
     * the demo company's organization code MA1FL8XQ has letters where generated ones have digits */
    for (int64_t i = 0; i < N; i++) {
        assert_int_equal(yw_seed_person_id(i, out), 0);
        assert_true(strncmp(out, "31010419900307201", 17) != 0);
        assert_int_equal(yw_seed_company_code(i, out), 0);
        assert_true(strncmp(out, "91310104MA1FL8XQ", 16) != 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_citizens_are_valid_and_unique),
        cmocka_unit_test(citizens_across_the_capacity_are_unique),
        cmocka_unit_test(companies_are_valid_and_unique),
        cmocka_unit_test(out_of_range_and_demo_numbers),
    };
    return cmocka_run_group_tests_name("seed", tests, fix_clock, NULL);
}
