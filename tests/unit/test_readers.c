/*
 * test_readers.c - the readers identity.h and catalog.h give other modules:
 * an account with its profile, a staff member's department, enterprise
 * agents; a department, "department exists", an e-license type - from the
 * catalog snapshot and from the tables, which must agree.
 *
 * Each reader returns 0 with its value, YW_ENOTFOUND for no such row, and a
 * negative error when the read fails (a lost table) - never "not found".
 * Runs on SQLite and, when YWTB_TEST_PG_ADMIN is set, on PostgreSQL.
 */
#include "failfx.h"

#include "catalog/catalog.h"
#include "catalog/internal.h"
#include "identity/identity.h"

static int engine;

#define COMPANY  "91310104MA1FL8XQ10"
#define PERSON   "310104199003072013"
#define REP      "310104198001011234"
#define PASSWORD "Xuhui-2026"

static int
setup(void **state)
{
    return yw_failfx_setup(state, engine, true);
}

static int64_t
reg(struct yw_failfx *f, const struct yw_ident_registration *r)
{
    struct yw_err err = { 0 };
    int64_t id = 0;
    int rc = yw_ident_register(&f->app, r, &id, &err);
    if (rc)
        fail_msg("register failed (%d): %s (%s)", rc, err.msg, err.field);
    return id;
}

/* ==== identity ==== */

static void
test_ident_readers(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_arena *a = &f->arena;
    int64_t person = reg(f, &(struct yw_ident_registration){ .kind = YW_IDENT_PERSON,
                                                             .ident = PERSON,
                                                             .name = "张三",
                                                             .phone = "13800000000",
                                                             .password = PASSWORD });
    int64_t company = reg(f, &(struct yw_ident_registration){ .kind = YW_IDENT_ENTERPRISE,
                                                              .ident = COMPANY,
                                                              .name = "上海徐汇示范科技有限公司",
                                                              .phone = "02164870000",
                                                              .password = PASSWORD,
                                                              .legal_rep_name = "李四",
                                                              .legal_rep_id = PERSON });
    struct yw_err err = { 0 };
    int64_t staff = 0;
    assert_int_equal(yw_ident_staff_add(&f->app,
                                        &(struct yw_ident_staff){ .username = "clerk1",
                                                                  .password = PASSWORD,
                                                                  .name = "王五",
                                                                  .dept = "XH-ZWFW",
                                                                  .roles = "window_clerk" },
                                        NULL, &staff, &err),
                     0);

    struct yw_ident_account ac;
    assert_int_equal(yw_ident_account_get(c, a, person, &ac), 0);
    assert_int_equal(ac.id, person);
    assert_string_equal(ac.kind, "person");
    assert_string_equal(ac.login, PERSON);
    assert_string_equal(ac.name, "张三");
    assert_string_equal(ac.phone, "13800000000");
    assert_string_equal(ac.status, "active");
    assert_string_equal(ac.dept_code, "");
    assert_string_equal(ac.ident, PERSON);
    assert_string_equal(ac.sex, "M");
    assert_string_equal(ac.birth_date, "1990-03-07");
    assert_true(ac.realname_level >= 1);
    assert_string_equal(ac.legal_rep_name, "");
    assert_string_equal(ac.legal_rep_id, "");

    assert_int_equal(yw_ident_account_get(c, a, company, &ac), 0);
    assert_string_equal(ac.kind, "enterprise");
    assert_string_equal(ac.ident, COMPANY);
    assert_string_equal(ac.sex, "");
    assert_string_equal(ac.birth_date, "");
    assert_string_equal(ac.legal_rep_name, "李四");
    assert_string_equal(ac.legal_rep_id, PERSON);
    assert_true(ac.realname_level >= 1);

    assert_int_equal(yw_ident_account_get(c, a, staff, &ac), 0);
    assert_string_equal(ac.kind, "staff");
    assert_string_equal(ac.login, "clerk1");
    assert_string_equal(ac.dept_code, "XH-ZWFW");
    assert_string_equal(ac.ident, "");
    assert_int_equal(ac.realname_level, 0);
    assert_int_equal(yw_ident_account_get(c, a, staff + 100, &ac), YW_ENOTFOUND);

    const char *dept = "x";
    assert_int_equal(yw_ident_staff_dept(c, a, staff, &dept), 0);
    assert_string_equal(dept, "XH-ZWFW");
    assert_int_equal(yw_ident_staff_dept(c, a, person, &dept), YW_ENOTFOUND); /* not staff */
    assert_null(dept);
    assert_int_equal(yw_ident_staff_dept(c, a, staff + 100, &dept), YW_ENOTFOUND);

    /* agents: none, one active, one revoked */
    int64_t *ids = (int64_t *)&ids;
    size_t n = 99;
    assert_int_equal(yw_ident_agent_active(c, company, person), YW_ENOTFOUND);
    assert_int_equal(yw_ident_agent_enterprises(c, a, person, &ids, &n), 0);
    assert_int_equal(n, 0);
    assert_null(ids);
    assert_int_equal(
        yw_db_run(
            c,
            "INSERT INTO enterprise_agents (enterprise_id, agent_id, authorized_at) VALUES (?, ?, ?)",
            "iis", company, person, "2026-01-01T00:00:00.000Z"),
        0);
    assert_int_equal(yw_ident_agent_active(c, company, person), 0);
    assert_int_equal(yw_ident_agent_active(c, person, company), YW_ENOTFOUND);
    assert_int_equal(yw_ident_agent_enterprises(c, a, person, &ids, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], company);
    assert_int_equal(yw_db_run(c, "UPDATE enterprise_agents SET revoked_at = ? WHERE agent_id = ?",
                               "si", "2026-02-01T00:00:00.000Z", person),
                     0);
    assert_int_equal(yw_ident_agent_active(c, company, person), YW_ENOTFOUND);
    assert_int_equal(yw_ident_agent_enterprises(c, a, person, &ids, &n), 0);
    assert_int_equal(n, 0);

    /* failed reads are errors, not "not found" */
    yw_failfx_lose_table(f, "enterprise_agents");
    assert_true(yw_ident_agent_active(c, company, person) < 0);
    assert_int_not_equal(yw_ident_agent_active(c, company, person), YW_ENOTFOUND);
    assert_true(yw_ident_agent_enterprises(c, a, person, &ids, &n) < 0);
    assert_int_not_equal(yw_ident_agent_enterprises(c, a, person, &ids, &n), YW_ENOTFOUND);
    yw_failfx_lose_table(f, "person_profiles");
    assert_int_equal(yw_ident_account_get(c, a, person, &ac), YW_EDB);
    yw_failfx_lose_table(f, "accounts");
    assert_int_equal(yw_ident_staff_dept(c, a, staff, &dept), YW_EDB);
}

/* ==== catalog ==== */

static void
check_scj(const struct yw_catalog_dept *d)
{
    assert_string_equal(d->code, "XH-SCJ");
    assert_string_equal(d->name, "上海市徐汇区市场监督管理局");
    assert_string_equal(d->name_en, "Xuhui District Administration for Market Regulation");
    assert_string_equal(d->short_name, "区市场监管局");
    assert_string_equal(d->uscc, "113101044259256669");
    assert_string_equal(d->phone, "021-64872050");
    assert_string_equal(d->address, "上海市徐汇区漕溪北路595号");
}

static void
check_lt002(const struct yw_catalog_license_type *t)
{
    assert_string_equal(t->code, "LT-002");
    assert_string_equal(t->name, "食品经营许可证");
    assert_string_equal(t->name_en, "Food Business License");
    assert_string_equal(t->dept_code, "XH-SCJ");
    assert_string_equal(t->type_code, "113101044259256669002");
    assert_string_equal(t->holder, "enterprise");
    assert_int_equal(t->validity_years, 5);
    json_t *fields = json_loads(t->fields, 0, NULL);
    assert_true(json_is_array(fields));
    assert_true(json_array_size(fields) > 0);
    assert_non_null(json_string_value(json_object_get(json_array_get(fields, 0), "key")));
    json_decref(fields);
}

/* Both ways to answer - the tables (no snapshot) and the snapshot - give the
 * same values; unknown codes are YW_ENOTFOUND either way. */
static void
test_catalog_readers(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_arena *a = &f->arena;
    struct yw_catalog_dept d;
    struct yw_catalog_license_type t;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            struct yw_err err = { 0 };
            assert_int_equal(yw_cat__snap_start(&f->app, &err), 0);
        }
        assert_int_equal(yw_catalog_dept(c, a, "XH-SCJ", &d), 0);
        check_scj(&d);
        assert_int_equal(yw_catalog_dept(c, a, "XH-NOPE", &d), YW_ENOTFOUND);
        assert_int_equal(yw_catalog_dept(c, a, NULL, &d), YW_ENOTFOUND);
        assert_int_equal(yw_catalog_dept_exists(c, "XH-ZWFW"), 0);
        assert_int_equal(yw_catalog_dept_exists(c, "xh-zwfw"), YW_ENOTFOUND);
        assert_int_equal(yw_catalog_dept_exists(c, NULL), YW_ENOTFOUND);
        assert_int_equal(yw_catalog_license_type(c, a, "LT-002", &t), 0);
        check_lt002(&t);
        assert_int_equal(yw_catalog_license_type(c, a, "LT-001", &t), 0);
        assert_int_equal(t.validity_years, 0);
        assert_string_equal(t.holder, "enterprise");
        assert_int_equal(yw_catalog_license_type(c, a, "LT-999", &t), YW_ENOTFOUND);
    }
    /* with a snapshot loaded, no connection is needed */
    assert_int_equal(yw_catalog_dept(NULL, a, "XH-SCJ", &d), 0);
    check_scj(&d);
    assert_int_equal(yw_catalog_dept_exists(NULL, "XH-SCJ"), 0);
    assert_int_equal(yw_catalog_license_type(NULL, a, "LT-002", &t), 0);
    check_lt002(&t);
    /* and the tables are not read */
    yw_failfx_lose_table(f, "departments");
    assert_int_equal(yw_catalog_dept(c, a, "XH-SCJ", &d), 0);
    yw_cat__snap_stop();
    assert_int_equal(yw_catalog_dept(NULL, a, "XH-SCJ", &d), YW_EUNAVAIL);
}

/* Without a snapshot, a table that cannot be read is an error. */
static void
test_catalog_read_errors(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_arena *a = &f->arena;
    struct yw_catalog_dept d;
    struct yw_catalog_license_type t;
    assert_int_equal(yw_catalog_dept_exists(c, "XH-SCJ"), 0);
    assert_int_equal(yw_catalog_dept(c, a, "XH-SCJ", &d), 0);
    assert_int_equal(yw_catalog_license_type(c, a, "LT-002", &t), 0);
    yw_failfx_lose_table(f, "license_types");
    assert_int_equal(yw_catalog_license_type(c, a, "LT-002", &t), YW_EDB);
    yw_failfx_lose_column(f, "departments", "uscc");
    assert_int_equal(yw_catalog_dept(c, a, "XH-SCJ", &d), YW_EDB);
    yw_failfx_lose_table(f, "departments");
    assert_int_equal(yw_catalog_dept_exists(c, "XH-SCJ"), YW_EDB);
}

/* An item row read in a transaction is not read again by id in the same
 * transaction (a submission and its fee's subscriber), and is read again
 * in the next one and outside any. */
static void
test_item_read_once_a_transaction(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    int64_t id = 0;
    int version = 0;
    json_t *cur = NULL, *by_id = NULL;
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_true(yw_dbc_tx_id(c) != 0);
    assert_int_equal(yw_catalog_item_current_ro(c, "SCJ-20-0006", &id, &version, &cur), 0);
    uint64_t q0 = yw_db_queries_total();
    assert_int_equal(yw_catalog_item_by_id_ro(c, id, &by_id), 0);
    assert_int_equal(yw_db_queries_total(), q0); /* no statement */
    assert_true(json_equal(by_id, cur));         /* the same document */
    json_decref(by_id);
    uint64_t first = yw_dbc_tx_id(c);
    assert_int_equal(yw_db_commit(c), 0);
    assert_int_equal(yw_dbc_tx_id(c), 0);
    assert_int_equal(yw_db_begin(c, YW_TX_WRITE), 0);
    assert_true(yw_dbc_tx_id(c) != first);
    q0 = yw_db_queries_total();
    assert_int_equal(yw_catalog_item_by_id_ro(c, id, &by_id), 0);
    assert_true(yw_db_queries_total() > q0);
    assert_true(json_equal(by_id, cur));
    json_decref(by_id);
    yw_db_rollback(c);
    /* outside a transaction every call reads */
    q0 = yw_db_queries_total();
    assert_int_equal(yw_catalog_item_by_id_ro(c, id, &by_id), 0);
    assert_true(yw_db_queries_total() > q0);
    json_decref(by_id);
    json_decref(cur);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ident_readers, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_catalog_readers, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_catalog_read_errors, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_item_read_once_a_transaction, setup,
                                        yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("readers", tests, engine);
}
