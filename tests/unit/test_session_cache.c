/*
 * test_session_cache.c - what keeps the session cache (identity/cache.c)
 * correct, on SQLite and PostgreSQL: functions registered with yw_db_after_tx
 * run once the transaction ends (commit or rollback, never before); a read that
 * began before a change is never stored; a change evicts the account's entries
 * after the commit; entries expire; and PostgreSQL notifications reach a
 * listener only when their transaction commits.
 */
#include "testutil.h"

#include "core/clock.h"
#include "core/config.h"
#include "core/crypto.h"
#include "identity/internal.h"

#include <stdatomic.h>
#include <time.h>

static int engine;

static int64_t after_calls[64];
static int nafter;

static void
record_after(int64_t arg)
{
    after_calls[nafter++] = arg;
}

static void
record_other(int64_t arg)
{
    (void)arg;
}

static struct yw_db *
open_fresh(char **url)
{
    *url = yw_test_db_fresh(engine);
    assert_non_null(*url);
    struct yw_db *db = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_open(*url, &db, &err), 0);
    int applied = 0;
    assert_int_equal(yw_db_migrate(db, &applied, &err), 0);
    return db;
}

static void
test_after_tx_runs_when_the_transaction_ends(void **state)
{
    (void)state;
    char *url;
    struct yw_db *db = open_fresh(&url);
    struct yw_dbc *c = yw_db_conn(db, NULL);
    nafter = 0;

    yw_db_after_tx(c, record_after, 7); /* no transaction: at once */
    assert_int_equal(nafter, 1);
    assert_int_equal(after_calls[0], 7);

    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    yw_db_after_tx(c, record_after, 8);
    yw_db_after_tx(c, record_after, 9);
    assert_int_equal(nafter, 1); /* not before the commit */
    assert_int_equal(yw_db_commit(c), 0);
    assert_int_equal(nafter, 3);
    assert_int_equal(after_calls[1], 8);
    assert_int_equal(after_calls[2], 9);

    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    yw_db_after_tx(c, record_after, 10);
    yw_db_rollback(c);
    assert_int_equal(nafter, 4);
    assert_int_equal(after_calls[3], 10);

    /* more than fit: the calls widen to "everything", none is lost */
    nafter = 0;
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    yw_db_after_tx(c, record_other, 1);
    for (int i = 0; i < YW_DB_AFTER_TX_MAX + 5; i++)
        yw_db_after_tx(c, record_after, 100 + i);
    assert_int_equal(yw_db_commit(c), 0);
    assert_int_equal(nafter, YW_DB_AFTER_TX_MAX - 1);
    bool widened = false;
    for (int i = 0; i < nafter; i++)
        widened |= after_calls[i] == YW_DB_AFTER_TX_ALL;
    assert_true(widened);
    /* and the next transaction starts empty */
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_db_commit(c), 0);
    assert_int_equal(nafter, YW_DB_AFTER_TX_MAX - 1);

    yw_db_close(db);
    yw_test_db_drop(url);
}

static struct yw_principal
principal(int64_t id)
{
    return (struct yw_principal){ .account_id = id,
                                  .login = "310104199003072013",
                                  .name = "张三",
                                  .kind = "person",
                                  .dept = "",
                                  .roles = YW_ROLE_PERSON,
                                  .csrf = "csrf-token" };
}

static const char KEY_A[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char KEY_B[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

static bool
cached(const char *key, struct yw_arena *a, struct yw_principal *who)
{
    int64_t seen = 0, exp = 0;
    return yw_ident__cache_get(key, a, who, &seen, &exp);
}

static void
test_cache_refuses_stale_reads_and_evicts_after_commit(void **state)
{
    (void)state;
    char *url;
    struct yw_db *db = open_fresh(&url);
    struct yw_config cfg;
    yw_config_init(&cfg);
    struct yw_app app = { .cfg = &cfg, .db = db };
    struct yw_err err = { 0 };
    assert_int_equal(yw_ident__cache_start(&app, &err), 0);
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    struct yw_principal p = principal(42), got;
    /* PostgreSQL: entries are trusted only once the listener listens */
    for (int i = 0; i < 500 && !cached(KEY_A, &a, &got); i++) {
        yw_ident__cache_put(KEY_A, yw_ident__cache_gen(), &p, 1000, 2000);
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
    }

    /* a plain round trip, the strings copied */
    yw_ident__cache_put(KEY_A, yw_ident__cache_gen(), &p, 1000, 2000);
    int64_t seen = 0, exp = 0;
    assert_true(yw_ident__cache_get(KEY_A, &a, &got, &seen, &exp));
    assert_int_equal(got.account_id, 42);
    assert_string_equal(got.name, "张三");
    assert_string_equal(got.csrf, "csrf-token");
    assert_int_equal(got.roles, YW_ROLE_PERSON);
    assert_int_equal(seen, 1000);
    assert_int_equal(exp, 2000);
    assert_false(cached(KEY_B, &a, &got));
    const char body[] = "{\"account\":{\"id\":42}}";
    yw_ident__cache_put_me(KEY_A, yw_ident__cache_gen(), body, sizeof body - 1);
    size_t len = 0;
    char *me = yw_ident__cache_get_me(KEY_A, &len);
    assert_non_null(me);
    assert_int_equal(len, sizeof body - 1);
    assert_memory_equal(me, body, len);
    free(me);

    /* a change committed: the entry is gone after the commit */
    struct yw_dbc *c = yw_db_conn(db, NULL);
    uint64_t before_change = yw_ident__cache_gen();
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_ident__cache_changed(c, 42), 0);
    /* a reader that read before the change cannot store what it read */
    yw_ident__cache_put(KEY_A, before_change, &p, 1000, 2000);
    assert_false(cached(KEY_A, &a, &got));
    /* a reader that read during the transaction (the old row) stores it ... */
    yw_ident__cache_put(KEY_A, yw_ident__cache_gen(), &p, 1000, 2000);
    assert_true(cached(KEY_A, &a, &got));
    assert_int_equal(yw_db_commit(c), 0);
    /* ... and the commit evicts it */
    assert_false(cached(KEY_A, &a, &got));
    assert_null(yw_ident__cache_get_me(KEY_A, &len));

    /* another account's change leaves this one alone (a third account: on
     * PostgreSQL the notification of the change above to 42 may still come) */
    struct yw_principal p44 = principal(44);
    /* (that late notification bumps the generation: a put racing it is refused, so retry) */
    for (int i = 0; i < 500 && !cached(KEY_A, &a, &got); i++) {
        yw_ident__cache_put(KEY_A, yw_ident__cache_gen(), &p44, 1000, 2000);
        if (!cached(KEY_A, &a, &got))
            nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
    }
    assert_int_equal(got.account_id, 44);
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_ident__cache_changed(c, 43), 0);
    assert_int_equal(yw_db_commit(c), 0);
    assert_true(cached(KEY_A, &a, &got));

    /* /me bodies are only kept for a cached session, and not after a change */
    uint64_t g = yw_ident__cache_gen();
    yw_ident__cache_put_me(KEY_B, g, body, sizeof body - 1);
    assert_null(yw_ident__cache_get_me(KEY_B, &len));

    yw_ident__cache_stop();
    yw_arena_release(&a);
    yw_config_release(&cfg);
    yw_db_close(db);
    yw_test_db_drop(url);
}

static void
test_cache_entries_expire_and_can_be_turned_off(void **state)
{
    (void)state;
    if (engine == YW_TEST_PG)
        skip(); /* the same code on both engines; the listener is tested below */
    char *url;
    struct yw_db *db = open_fresh(&url);
    struct yw_config cfg;
    yw_config_init(&cfg);
    struct yw_app app = { .cfg = &cfg, .db = db };
    struct yw_err err = { 0 };
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    struct yw_principal p = principal(5), got;

    /* identity's settings live in its own table (identity/settings.c) */
    assert_int_equal(yw_config_add(&cfg, yw_identity_module.settings, &err), 0);
    assert_int_equal(yw_config_set(&cfg, "session_cache_ms", "30", "flag", &err), 0);
    assert_int_equal(yw_ident__cache_start(&app, &err), 0);
    yw_ident__cache_put(KEY_A, yw_ident__cache_gen(), &p, 1, 2);
    assert_true(cached(KEY_A, &a, &got));
    nanosleep(&(struct timespec){ 0, 60 * 1000 * 1000 }, NULL);
    assert_false(cached(KEY_A, &a, &got));
    yw_ident__cache_stop();

    assert_int_equal(yw_config_set(&cfg, "session_cache", "0", "flag", &err), 0);
    assert_int_equal(yw_config_set(&cfg, "session_cache_ms", "5000", "flag", &err), 0);
    assert_int_equal(yw_ident__cache_start(&app, &err), 0);
    yw_ident__cache_put(KEY_A, yw_ident__cache_gen(), &p, 1, 2);
    assert_false(cached(KEY_A, &a, &got));
    yw_ident__cache_stop();

    yw_arena_release(&a);
    yw_config_release(&cfg);
    yw_db_close(db);
    yw_test_db_drop(url);
}

static atomic_int heard_total, heard_lost;
static char heard_last[64];

static void
on_heard(const char *payload, void *ctx)
{
    (void)ctx;
    if (payload == NULL) {
        atomic_fetch_add(&heard_lost, 1);
        return;
    }
    snprintf(heard_last, sizeof heard_last, "%s", payload);
    atomic_fetch_add(&heard_total, 1);
}

static bool
wait_for(atomic_int *v, int want)
{
    for (int i = 0; i < 1000; i++) {
        if (atomic_load(v) >= want)
            return true;
        nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    }
    return false;
}

static void
test_notifications_arrive_only_after_commit(void **state)
{
    (void)state;
    char *url;
    struct yw_db *db = open_fresh(&url);
    struct yw_err err = { 0 };
    struct yw_db_listener *l = NULL;
    atomic_store(&heard_total, 0);
    atomic_store(&heard_lost, 0);
    assert_int_equal(yw_db_listen(db, "ywtb_test", on_heard, NULL, &l, &err), 0);
    struct yw_dbc *c = yw_db_conn(db, NULL);
    if (engine != YW_TEST_PG) {
        assert_null(l); /* one node: nobody to tell */
        assert_int_equal(yw_db_notify(c, "ywtb_test", "1"), 0);
        yw_db_close(db);
        yw_test_db_drop(url);
        return;
    }
    assert_non_null(l);
    assert_true(wait_for(&heard_lost, 1)); /* "listening now; anything before is unknown" */
    assert_true(yw_db_listener_up(l));

    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_db_notify(c, "ywtb_test", "rolled-back"), 0);
    yw_db_rollback(c);
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_int_equal(yw_db_notify(c, "ywtb_test", "17"), 0);
    assert_int_equal(yw_db_commit(c), 0);
    assert_true(wait_for(&heard_total, 1));
    assert_string_equal(heard_last, "17");
    assert_int_equal(atomic_load(&heard_total), 1);

    assert_int_not_equal(
        yw_db_listen(db, "Bad-Name;", on_heard, NULL, &(struct yw_db_listener *){ NULL }, &err), 0);
    yw_db_listen_stop(l);
    yw_db_close(db);
    yw_test_db_drop(url);
}

int
main(void)
{
    yw_crypto_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_after_tx_runs_when_the_transaction_ends),
        cmocka_unit_test(test_cache_refuses_stale_reads_and_evicts_after_commit),
        cmocka_unit_test(test_cache_entries_expire_and_can_be_turned_off),
        cmocka_unit_test(test_notifications_arrive_only_after_commit),
    };
    return YW_TEST_RUN_ENGINES("session_cache", tests, engine) ? 1 : 0;
}
