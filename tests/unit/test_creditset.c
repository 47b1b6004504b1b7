/*
 * test_creditset.c - the credit check's in-memory set of subjects with an
 * active record (src/supervision/creditset.c), on both engines: before the
 * set is read every subject may have a record (the full check decides);
 * once read, a subject without an active record is known to have none and
 * one with a record may have one; any change of a record (an insert, a
 * repair) moves sup_credit_version, and until the set is read again every
 * subject takes the full path - a stale set never answers "none".
 */
#include "failfx.h"

#include "supervision/internal.h"

static int engine;

static const char *const WITH = "310104199003072013";    /* gets a record */
static const char *const WITHOUT = "110101199003074477"; /* never does */

static int
setup(void **state)
{
    yw_sup__creditset_free();
    return yw_failfx_setup(state, engine, false);
}

static int
teardown(void **state)
{
    yw_sup__creditset_free();
    return yw_failfx_teardown(state);
}

static bool
may(struct yw_failfx *f, const char *ident)
{
    bool m = false;
    assert_int_equal(yw_sup__creditset_may_have(yw_failfx_conn(f), ident, &m), 0);
    return m;
}

static void
exec(struct yw_failfx *f, const char *sql)
{
    assert_int_equal(yw_db_run(yw_failfx_conn(f), sql, NULL), 0);
}

static void
test_set(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_err err = { 0 };
    /* never read: everyone takes the full path, and the set is wanted */
    assert_true(may(f, WITHOUT));
    assert_true(yw_sup__creditset_wanted());
    assert_int_equal(yw_sup__creditset_refresh(f->db, &err), 0);
    assert_false(yw_sup__creditset_wanted());
    assert_false(may(f, WITHOUT));
    assert_false(may(f, WITH));

    /* a record written by anyone: the version moves, the set is stale */
    exec(f, "INSERT INTO sup_credit_records (subject_ident, subject_kind, subject_name, kind, "
            "category, dept, basis, valid_from, created_at) VALUES ('310104199003072013', "
            "'person', '张小明', 'dishonest', '失信被执行人', 'XH-SCJ', '名单', '2026-01-01', "
            "'2026-01-01T00:00:00.000Z')");
    assert_true(may(f, WITHOUT)); /* not "none" from a stale set */
    assert_true(may(f, WITH));
    assert_true(yw_sup__creditset_wanted());
    assert_int_equal(yw_sup__creditset_refresh(f->db, &err), 0);
    assert_false(may(f, WITHOUT));
    assert_true(may(f, WITH));

    /* repaired: no longer active once the set is read again */
    exec(f, "UPDATE sup_credit_records SET status = 'repaired'");
    assert_true(may(f, WITHOUT));
    assert_int_equal(yw_sup__creditset_refresh(f->db, &err), 0);
    assert_false(may(f, WITH));

    /* a rule changes the version too */
    exec(f, "INSERT INTO sup_credit_rules (record_kind, target_kind, target, measure, created_at) "
            "VALUES ('dishonest', 'item', 'SCJ-01-0001', 'block', '2026-01-01T00:00:00.000Z')");
    assert_true(may(f, WITHOUT));
    /* not an identifier: the full path decides */
    assert_int_equal(yw_sup__creditset_refresh(f->db, &err), 0);
    assert_true(may(f, ""));
    assert_true(may(f, "0123456789012345678901"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_set, setup, teardown),
    };
    return YW_TEST_RUN_ENGINES("creditset", tests, engine);
}
