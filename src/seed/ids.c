/*
 * ids.c - the identifiers that `ywtb seed --scale` hands out: resident identity
 * numbers (GB 11643-1999) for generated citizens and unified social credit codes
 * (GB 32100-2015) for generated companies, each a pure function of the account's
 * index.
 *
 * It exists because drawing the birth date at random made numbers collide (about
 * 280 per 100,000 citizens, a birthday problem), and the seed then either skipped
 * the duplicates, leaving cases that point at no applicant, or aborted.  Here the
 * index maps one-to-one onto (birth date, sequence code), so two indexes below the
 * capacity never give the same number, and the demo accounts (seed/demo.c) lie
 * outside the generated ranges.  See shared/reference/CN-STANDARDS.md §1-§2.
 */
#include "seed/seed.h"

#include "core/clock.h"
#include "core/cnid.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Birth dates 1950-01-01 .. 2005-12-31: real dates, all in the past. */
#define FIRST_YEAR 1950
#define LAST_YEAR  2005
/* GB 11643-1999 sequence code (positions 15-17): generated citizens use 500-999,
 * so the demo citizen (sequence 201) and hand-made test numbers below 500 never
 * collide with them.  Odd is male, even female; the spread below gives both. */
#define SEQ_FIRST 500
#define SEQ_COUNT 500
/* A prime that does not divide the capacity (asserted), so i -> i * STRIDE mod
 * capacity is a permutation: consecutive indexes get scattered birth dates and
 * sequence codes instead of a run of neighbours. */
#define STRIDE 1000003
/* Organization codes "MA" + 6 digits: the demo company's code has letters there. */
#define ORG_COUNT 1000000

static int64_t
birth_days(void)
{
    return yw_days_from_civil(LAST_YEAR, 12, 31) - yw_days_from_civil(FIRST_YEAR, 1, 1) + 1;
}

int64_t
yw_seed_person_capacity(void)
{
    return birth_days() * SEQ_COUNT;
}

int64_t
yw_seed_company_capacity(void)
{
    return ORG_COUNT;
}

int
yw_seed_person_id(int64_t index, char out[19])
{
    int64_t days = birth_days(), cap = days * SEQ_COUNT;
    if (index < 0 || index >= cap)
        return YW_EINVAL;
    assert(cap % STRIDE != 0); /* STRIDE is prime: coprime with cap, so the map is a bijection */
    int64_t j = index * STRIDE % cap; /* index * STRIDE < 2^44: no overflow */
    int y, m, d;
    yw_civil_from_days(yw_days_from_civil(FIRST_YEAR, 1, 1) + j % days, &y, &m, &d);
    char body[18];
    /* GB 11643-1999: region 310104 (徐汇) + YYYYMMDD + sequence, then MOD 11-2 */
    unsigned seq = SEQ_FIRST + (unsigned)(j / days);
    /* the moduli change nothing (1950 <= y <= 2005, seq <= 999); they bound the widths for the compiler */
    snprintf(body, sizeof body, "310104%04u%02u%02u%03u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u, seq % 1000u);
    memcpy(out, body, 17);
    out[17] = yw_cnid_id_check_char(body);
    out[18] = '\0';
    return 0;
}

int
yw_seed_company_code(int64_t index, char out[19])
{
    if (index < 0 || index >= ORG_COUNT)
        return YW_EINVAL;
    char org[9], body[18];
    /* GB 11714 organization code "MA" + 6 digits with its own check character */
    snprintf(org, sizeof org, "MA%06lld", (long long)index);
    /* GB 32100-2015: 9 工商 + 1 企业 + 310104 + organization code, then MOD 31 */
    snprintf(body, sizeof body, "91310104%s%c", org, yw_cnid_org_check_char(org));
    memcpy(out, body, 17);
    out[17] = yw_cnid_uscc_check_char(body);
    out[18] = '\0';
    return 0;
}
