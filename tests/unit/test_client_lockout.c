/*
 * test_client_lockout.c - the lockout of client secrets counted in memory
 * (identity/client_lockout.c; ARCHITECTURE.md "Guessing secrets is slowed
 * like guessing passwords"): the login lockout's policy on counts a node keeps
 * itself.  A pair (client, address) has login_free_failures free failures,
 * then waits; a reservation counts as a failure until it is settled, so
 * parallel attempts see each other; a right secret clears only its pair;
 * the ceilings per client slow every address; the window forgets.
 * Each test uses its own client ids: the tables are the process's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "core/err.h"
#include "identity/internal.h"
#include "identity/settings.h"

static struct yw_ident_settings
cfg_default(void)
{
    return (struct yw_ident_settings){ .login_window = 900,
                                       .login_free_failures = 5,
                                       .login_delay = 1,
                                       .login_delay_max = 300,
                                       .login_account_ceiling = 50,
                                       .login_address_ceiling = 100 };
}

/* One attempt: reserve, then settle as ok says.  The retry_after it got (0: checked). */
static int64_t
attempt(const struct yw_ident_settings *c, const char *id, const char *addr, int64_t now, bool ok)
{
    struct yw_ident_attempt a;
    yw_ident__client_lock_reserve(c, id, addr, now, &a);
    if (a.retry_after > 0) {
        assert_int_equal(a.id, 0);
        return a.retry_after;
    }
    yw_ident__client_lock_settle(c, id, addr, &a, ok, now);
    return 0;
}

static void
test_free_failures_then_growing_waits(void **state)
{
    (void)state;
    struct yw_ident_settings c = cfg_default();
    int64_t now = 1000000000;
    for (int i = 0; i < 5; i++)
        assert_int_equal(attempt(&c, "ywcA", "192.0.2.1", now, false), 0);
    /* the sixth waits 1 s after the fifth, and even the right secret is not checked */
    struct yw_ident_attempt a;
    yw_ident__client_lock_reserve(&c, "ywcA", "192.0.2.1", now, &a);
    assert_int_equal(a.retry_after, 1);
    assert_int_equal(a.code, YW_ELOCKED);
    assert_int_equal(attempt(&c, "ywcA", "192.0.2.1", now + 500, true), 1);
    /* after the wait one more wrong secret, then 2 s */
    assert_int_equal(attempt(&c, "ywcA", "192.0.2.1", now + 1000, false), 0);
    assert_int_equal(attempt(&c, "ywcA", "192.0.2.1", now + 1000, false), 2);
    /* another address of the same client is not slowed */
    assert_int_equal(attempt(&c, "ywcA", "192.0.2.2", now + 1000, false), 0);
    /* the right secret after the wait clears the pair: five free failures again */
    assert_int_equal(attempt(&c, "ywcA", "192.0.2.1", now + 3000, true), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(attempt(&c, "ywcA", "192.0.2.1", now + 3000, false), 0);
    assert_true(attempt(&c, "ywcA", "192.0.2.1", now + 3000, false) > 0);
    /* the window forgets */
    assert_int_equal(attempt(&c, "ywcA", "192.0.2.1", now + 3000 + 901000, false), 0);
}

static void
test_parallel_reservations_see_each_other(void **state)
{
    (void)state;
    struct yw_ident_settings c = cfg_default();
    int64_t now = 2000000000;
    struct yw_ident_attempt a[10];
    int through = 0;
    for (int i = 0; i < 10; i++) {
        yw_ident__client_lock_reserve(&c, "ywcB", "198.51.100.7", now, &a[i]);
        through += a[i].retry_after == 0;
    }
    assert_int_equal(through, 5);
    for (int i = 0; i < 10; i++)
        yw_ident__client_lock_settle(&c, "ywcB", "198.51.100.7", &a[i], false, now);
    assert_true(attempt(&c, "ywcB", "198.51.100.7", now, true) > 0);
}

static void
test_client_ceiling_slows_every_address(void **state)
{
    (void)state;
    struct yw_ident_settings c = cfg_default();
    c.login_account_ceiling = 8;
    int64_t now = 3000000000;
    char addr[32];
    for (int i = 0; i < 8; i++) { /* eight addresses, one failure each */
        snprintf(addr, sizeof addr, "203.0.113.%d", i + 1);
        assert_int_equal(attempt(&c, "ywcC", addr, now, false), 0);
    }
    /* past the ceiling an address that never failed waits once, then may try */
    assert_int_equal(attempt(&c, "ywcC", "203.0.113.200", now, true), 1);
    assert_int_equal(attempt(&c, "ywcC", "203.0.113.200", now + 1000, true), 0);
    /* an address that failed waits at once (no free failures left) */
    assert_true(attempt(&c, "ywcC", "203.0.113.1", now + 1000, true) > 0);
    /* other clients are not touched */
    assert_int_equal(attempt(&c, "ywcD", "203.0.113.1", now + 1000, true), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_failures_then_growing_waits),
        cmocka_unit_test(test_parallel_reservations_see_each_other),
        cmocka_unit_test(test_client_ceiling_slows_every_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
