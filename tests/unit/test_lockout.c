/*
 * test_lockout.c - the login lockout's policy and its ledger
 * (identity/lockout.c; ARCHITECTURE.md "Login lockout").
 *
 * The policy is a pure function of the counts: a (login, address) pair has
 * login_free_failures free failures, then waits login_delay doubled per
 * further failure up to login_delay_max; past a login's or an address's
 * ceiling the free failures drop to none and a pair that has not failed waits
 * login_delay once.  The ledger part runs yw_ident__lockout_reserve and
 * yw_ident__lockout_settle on SQLite and, with YWTB_TEST_PG_ADMIN, PostgreSQL:
 * a reservation counts as a failure at once, a success clears only its pair.
 */
#include "failfx.h"

#include "core/config.h"
#include "identity/internal.h"
#include "identity/settings.h"

static int engine;

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

static void
test_delay_doubles_and_caps(void **state)
{
    (void)state;
    struct yw_ident_settings c = cfg_default();
    assert_int_equal(yw_ident__lockout_delay_ms(&c, 0), 1000);
    assert_int_equal(yw_ident__lockout_delay_ms(&c, 1), 2000);
    assert_int_equal(yw_ident__lockout_delay_ms(&c, 2), 4000);
    assert_int_equal(yw_ident__lockout_delay_ms(&c, 8), 256000);
    assert_int_equal(yw_ident__lockout_delay_ms(&c, 9), 300000); /* 512 s capped */
    assert_int_equal(yw_ident__lockout_delay_ms(&c, INT64_MAX), 300000);
    c.login_delay = 0;
    assert_int_equal(yw_ident__lockout_delay_ms(&c, 5), 0);
}

static void
test_pair_waits_after_free_failures(void **state)
{
    (void)state;
    struct yw_ident_settings c = cfg_default();
    struct yw_ident_lock_verdict v;
    int64_t now = 1000000000;
    for (int64_t p = 0; p < 5; p++) {
        yw_ident__lockout_decide(
            &c, &(struct yw_ident_lock_counts){ .pair = p, .pair_last_ms = now }, now, &v);
        assert_int_equal(v.wait_ms, 0);
        assert_int_equal(v.free, 5);
    }
    /* five failures: 1 s after the last, measured from it */
    struct yw_ident_lock_counts n = {
        .pair = 5, .pair_last_ms = now - 400, .account = 5, .address = 5
    };
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_int_equal(v.wait_ms, 600);
    assert_int_equal(v.code, YW_ELOCKED);
    assert_false(v.announce);
    yw_ident__lockout_decide(&c, &n, now + 600, &v);
    assert_int_equal(v.wait_ms, 0);
    n.pair = 7; /* two more: 4 s */
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_int_equal(v.wait_ms, 4000 - 400);
}

static void
test_ceilings_only_slow(void **state)
{
    (void)state;
    struct yw_ident_settings c = cfg_default();
    struct yw_ident_lock_verdict v;
    int64_t now = 1000000000;
    /* the login past its ceiling: an address that has not failed waits once */
    struct yw_ident_lock_counts n = { .pair = 0, .account = 50, .address = 0 };
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_int_equal(v.free, 0);
    assert_true(v.announce);
    assert_int_equal(v.wait_ms, 1000);
    assert_int_equal(v.code, YW_ELOCKED);
    n.announced_ms = now - 300; /* asking again: the rest of the same wait */
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_false(v.announce);
    assert_int_equal(v.wait_ms, 700);
    yw_ident__lockout_decide(&c, &n, now + 700, &v); /* then it may try */
    assert_int_equal(v.wait_ms, 0);
    /* a pair that failed twice waits 4 s under the ceiling */
    n = (struct yw_ident_lock_counts){ .pair = 2, .pair_last_ms = now, .account = 60 };
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_int_equal(v.wait_ms, 4000);
    /* the address past its ceiling: rate_limited, one short wait */
    n = (struct yw_ident_lock_counts){ .pair = 0, .account = 0, .address = 100 };
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_int_equal(v.code, YW_ERATE);
    assert_int_equal(v.wait_ms, 1000);
    /* ... but a pair past its own free failures is its own doing */
    n = (struct yw_ident_lock_counts){ .pair = 5, .pair_last_ms = now, .address = 100 };
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_int_equal(v.code, YW_ELOCKED);
    /* login_delay = 0 turns the waits off */
    c.login_delay = 0;
    n = (struct yw_ident_lock_counts){
        .pair = 50, .pair_last_ms = now, .account = 500, .address = 500
    };
    yw_ident__lockout_decide(&c, &n, now, &v);
    assert_int_equal(v.wait_ms, 0);
}

static void
test_address_key(void **state)
{
    (void)state;
    char out[64];
    yw_ident__lockout_address("192.0.2.1", out);
    assert_string_equal(out, "192.0.2.1");
    yw_ident__lockout_address("::ffff:192.0.2.1", out);
    assert_string_equal(out, "192.0.2.1");
    yw_ident__lockout_address("2001:db8:1:2:aaaa:bbbb:cccc:dddd", out);
    assert_string_equal(out, "2001:db8:1:2::/64");
    yw_ident__lockout_address("2001:db8:1:2::1", out);
    assert_string_equal(out, "2001:db8:1:2::/64");
    yw_ident__lockout_address("not:an:address", out); /* as given */
    assert_string_equal(out, "not:an:address");
}

static int
setup(void **state)
{
    return yw_failfx_setup(state, engine, false);
}

static int64_t
count(struct yw_failfx *f, const char *login, const char *ip)
{
    int64_t n = -1;
    assert_int_equal(
        yw_db_one_int(
            yw_failfx_conn(f), &n,
            "SELECT COUNT(*) FROM login_failures WHERE login = ? AND ip = ? AND kind <> 'wait'",
            "ss", login, ip),
        0);
    return n;
}

struct settle_tx {
    struct yw_failfx *f;
    const char *login, *ip;
    const struct yw_ident_attempt *a;
    bool ok;
    int64_t now;
};

static int
settle(struct yw_dbc *c, void *ctx)
{
    struct settle_tx *t = ctx;
    return yw_ident__lockout_settle(c, yw_ident_cfg(&t->f->app), t->login, t->ip, t->a, t->ok,
                                    t->now);
}

static void
test_reserve_and_settle(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_err err = { 0 };
    assert_int_equal(yw_config_set(&f->cfg, "login_delay", "60", "flag", &err), 0);
    int64_t now = 1790000000000; /* 2026-09-21 */
    struct yw_ident_attempt a[6];
    /* five reservations, none settled yet: each sees the ones before it */
    for (int i = 0; i < 5; i++) {
        assert_int_equal(
            yw_ident__lockout_reserve(&f->app, "chief", "192.0.2.7", now + i, &a[i], &err), 0);
        assert_int_equal(a[i].pair, i);
        assert_true(a[i].id > 0);
        assert_int_equal(a[i].retry_after, 0);
    }
    assert_int_equal(count(f, "chief", "192.0.2.7"), 5);
    /* the sixth waits the first delay from the fifth, and reserves nothing */
    assert_int_equal(
        yw_ident__lockout_reserve(&f->app, "chief", "192.0.2.7", now + 10, &a[5], &err), 0);
    assert_int_equal(a[5].id, 0);
    assert_int_equal(a[5].retry_after, 60);
    assert_int_equal(a[5].code, YW_ELOCKED);
    assert_int_equal(count(f, "chief", "192.0.2.7"), 5);
    /* settled as failures: still five */
    for (int i = 0; i < 5; i++) {
        struct settle_tx t = { f, "chief", "192.0.2.7", &a[i], false, now + 20 };
        assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, settle, &t, &err), 0);
    }
    assert_int_equal(count(f, "chief", "192.0.2.7"), 5);
    /* another address is not affected; its success clears only its own pair */
    struct yw_ident_attempt b;
    assert_int_equal(
        yw_ident__lockout_reserve(&f->app, "chief", "198.51.100.9", now + 30, &b, &err), 0);
    assert_int_equal(b.pair, 0);
    assert_int_equal(b.retry_after, 0);
    struct settle_tx t = { f, "chief", "198.51.100.9", &b, true, now + 40 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, settle, &t, &err), 0);
    assert_int_equal(count(f, "chief", "198.51.100.9"), 0);
    assert_int_equal(count(f, "chief", "192.0.2.7"), 5);
    /* after the wait the pair may try again; beyond the window nothing counts */
    assert_int_equal(
        yw_ident__lockout_reserve(&f->app, "chief", "192.0.2.7", now + 4 + 60000, &a[5], &err), 0);
    assert_int_equal(a[5].pair, 5);
    assert_true(a[5].id > 0);
    struct settle_tx late = { f, "chief", "192.0.2.7", &a[5], false, now + 901000 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, settle, &late, &err), 0);
    assert_int_equal(count(f, "chief", "192.0.2.7"),
                     1); /* the five older than the window are gone */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delay_doubles_and_caps),
        cmocka_unit_test(test_pair_waits_after_free_failures),
        cmocka_unit_test(test_ceilings_only_slow),
        cmocka_unit_test(test_address_key),
        cmocka_unit_test_setup_teardown(test_reserve_and_settle, setup, yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("lockout", tests, engine);
}
