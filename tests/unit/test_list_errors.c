/*
 * test_list_errors.c - a failed read is an error, never an empty list.
 *
 * Functions that build a JSON list from a query used to stop at the first
 * step that was not a row and return what they had, so a database failure
 * (a PostgreSQL error, a broken connection, a SQLite I/O error) answered 200
 * with an empty or short list: "you have no cases".  Here, on SQLite and on
 * PostgreSQL (when YWTB_TEST_PG_ADMIN is set), each such function is called
 * on a freshly migrated database and must return its (empty) list; then a
 * table its query reads is renamed away - the statement is already prepared
 * and cached, so it is the step that fails, as it would mid-request - and the
 * function must return NULL (or an error code), which its route turns into a
 * 500 "database_error".
 *
 * Covered: identity (a company's agents, the companies a person acts for, the
 * staff's applicant search), cases (the list of cases for an applicant and
 * for the window, one case's JSON with its materials and timeline, a notice
 * PDF's materials table), licenses (the wallet list, the use log, the grants,
 * the public keys, the signed status list) and the catalog snapshot (a failed
 * rebuild keeps the catalog it had).
 */
#include "failfx.h"

#include "cases/internal.h"
#include "catalog/internal.h"
#include "core/config.h"
#include "core/log.h"
#include "core/roles.h"
#include "db/db.h"
#include "identity/internal.h"
#include "licenses/internal.h"

#include <jansson.h>

static int engine;

static int
setup(void **state)
{
    return yw_failfx_setup(state, engine, false);
}

static void
expect_empty_array(json_t *list)
{
    assert_non_null(list);
    assert_true(json_is_array(list));
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
}

/* ==== identity ==== */

static void
test_identity_lists(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    expect_empty_array(yw_ident__agents_json(c, 1));
    expect_empty_array(yw_ident__agent_of_json(c, 1));
    expect_empty_array(yw_ident__accounts_lookup(c, "张三", 20));

    yw_failfx_lose_table(f, "enterprise_agents");
    assert_null(yw_ident__agents_json(c, 1));   /* GET /enterprise/agents: 500, not "no agents" */
    assert_null(yw_ident__agent_of_json(c, 1)); /* GET /me: 500, not "agent of no company" */
    expect_empty_array(yw_ident__accounts_lookup(c, "张三", 20)); /* reads accounts only */

    yw_failfx_lose_table(f, "accounts");
    assert_null(yw_ident__accounts_lookup(c, "张三", 20)); /* GET /accounts?q=: 500, not "nobody" */
}

/* ==== cases ==== */

/* A case as yw_case__load would fill it (no row behind it: its lists are empty). */
static struct yw_case
hand_case(void)
{
    return (struct yw_case){ .id = 1,
                             .case_no = "XH2026000001",
                             .kind = "item",
                             .code = "XH-T-001",
                             .title = "测试事项",
                             .dept = "XH-T",
                             .applicant_id = 2,
                             .applicant_kind = "person",
                             .applicant_name = "张三",
                             .applicant_ident = "310104199003072013",
                             .channel = "online",
                             .status = "submitted",
                             .form = "{}",
                             .created_at = "2026-01-05T09:00:00.000Z",
                             .submitted_at = "2026-01-05T09:00:00.000Z",
                             .accepted_at = "",
                             .decided_at = "",
                             .pause_kind = "",
                             .supplement = "",
                             .result_note = "",
                             .updated_at = "" };
}

static json_t *
cases_list(struct yw_failfx *f, const struct yw_principal *who)
{
    int64_t next = -1;
    json_t *list =
        yw_cases__list(yw_failfx_conn(f), &f->arena, who, NULL, NULL, false, 20, INT64_MAX, &next,
                       NULL, NULL);
    if (list)
        assert_int_equal(next, 0);
    return list;
}

static void
test_cases_lists(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_principal person = { .account_id = 2,
                                   .login = "310104199003072013",
                                   .kind = "person",
                                   .dept = "",
                                   .roles = YW_ROLE_PERSON };
    struct yw_principal clerk = { .account_id = 3,
                                  .login = "clerk",
                                  .kind = "staff",
                                  .dept = "XH-T",
                                  .roles = YW_ROLE_WINDOW_CLERK };
    expect_empty_array(cases_list(f, &person));
    expect_empty_array(cases_list(f, &clerk));

    struct yw_case k = hand_case();
    json_t *o = yw_case__json(c, &f->arena, &k, true);
    assert_non_null(o);
    assert_int_equal(json_array_size(json_object_get(o, "materials")), 0);
    assert_int_equal(json_array_size(json_object_get(o, "timeline")), 0);
    json_decref(o);
    char *pdf = NULL;
    size_t len = 0;
    struct yw_err err = { 0 };
    assert_int_equal(yw_case__notice(c, &k, "receipt", "http://test", &pdf, &len, &err), 0);
    assert_non_null(pdf);
    assert_true(len > 0);
    free(pdf);
    pdf = NULL;

    /* one case: a timeline that cannot be read fails the whole answer */
    yw_failfx_lose_table(f, "case_events");
    assert_null(yw_case__json(c, &f->arena, &k, true));
    assert_null(yw_case__json(c, &f->arena, &k, false));

    /* a receipt never lists fewer materials than were handed in */
    yw_failfx_lose_table(f, "case_materials");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_case__notice(c, &k, "receipt", "http://test", &pdf, &len, &err), YW_EDB);
    assert_null(pdf);
    assert_non_null(strstr(err.msg, "materials"));

    /* the lists: 500, never "you have no cases" */
    yw_failfx_lose_table(f, "cases");
    assert_null(cases_list(f, &person));
    assert_null(cases_list(f, &clerk));
}

/* ==== licenses ==== */

struct list_ctx {
    const char *dept;
    json_t *list;
    struct yw_err *err;
};

static int
dept_tx(struct yw_dbc *c, void *vctx)
{
    struct list_ctx *x = vctx;
    const struct yw_sm2_key *key = NULL;
    char key_id[17];
    int rc = yw_db_exec(
        c, "INSERT INTO departments (code, name, uscc) VALUES (?, '测试局', '113101044259256669')",
        1, x->dept);
    return rc ? rc : yw_lic__dept_key(c, x->dept, &key, key_id, x->err);
}

static int
status_list_tx(struct yw_dbc *c, void *vctx)
{
    struct list_ctx *x = vctx;
    return yw_lic__status_list(c, x->dept, &x->list, x->err);
}

static int
status_list(struct yw_failfx *f, json_t **out, struct yw_err *err)
{
    struct list_ctx x = { .dept = "XH-T", .err = err };
    int rc = yw_db_tx(f->db, YW_TX_WRITE, status_list_tx, &x, err);
    *out = x.list;
    return rc;
}

static void
test_license_lists(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_err err = { 0 };
    struct list_ctx d = { .dept = "XH-T", .err = &err };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, dept_tx, &d, &err), 0);

    expect_empty_array(yw_lic__list_json(c, "310104199003072013", NULL, NULL, 50, 0));
    expect_empty_array(yw_lic__uses_json(c, "1.2.156.3005.2.x"));
    expect_empty_array(yw_lic__grants_json(c, "1.2.156.3005.2.x"));
    json_t *keys = yw_lic__keys_json(c);
    assert_non_null(keys);
    assert_int_equal(json_object_size(keys), 1); /* the department's key made above */
    json_decref(keys);
    json_t *sl = NULL;
    assert_int_equal(status_list(f, &sl, &err), 0);
    assert_non_null(sl);
    assert_int_equal(json_array_size(json_object_get(json_object_get(sl, "list"), "entries")), 0);
    json_decref(sl);

    /* the wallet and the signed status list read licenses: an unreadable
     * table is an error, and nothing is signed (a signed list that misses a
     * revocation would vouch for a revoked license offline) */
    yw_failfx_lose_table(f, "licenses");
    assert_null(yw_lic__list_json(c, "310104199003072013", NULL, NULL, 50, 0));
    memset(&err, 0, sizeof err);
    assert_int_equal(status_list(f, &sl, &err), YW_EDB);
    assert_null(sl);

    yw_failfx_lose_table(f, "license_uses");
    assert_null(yw_lic__uses_json(c, "1.2.156.3005.2.x"));
    yw_failfx_lose_table(f, "license_grants");
    assert_null(yw_lic__grants_json(c, "1.2.156.3005.2.x"));
    yw_failfx_lose_table(f, "signing_keys");
    assert_null(yw_lic__keys_json(c)); /* verifiers cache the keys: never an empty set */
}

/* ==== catalog ==== */

static void
test_catalog_snapshot_kept(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    assert_int_equal(yw_cat__snap_refresh(c), 0);
    char *body = NULL;
    size_t len = 0;
    assert_int_equal(yw_cat__snap_get("departments", &body, &len, NULL), 0);
    assert_string_equal(body, "{\"items\":[]}");
    free(body);

    /* a rebuild that cannot read the bundles fails and keeps the snapshot it
     * had, instead of serving a catalog without bundles */
    assert_int_equal(
        yw_db_exec(c, "INSERT INTO departments (code, name) VALUES ('XH-T', '测试局')", 0), 0);
    yw_failfx_lose_table(f, "bundles");
    assert_int_equal(yw_cat__snap_refresh(c), YW_EDB);
    body = NULL;
    assert_int_equal(yw_cat__snap_get("departments", &body, &len, NULL), 0);
    assert_string_equal(body, "{\"items\":[]}");
    free(body);
    body = NULL;
    assert_int_equal(yw_cat__snap_get("bundles", &body, &len, NULL), 0);
    assert_string_equal(body, "{\"items\":[]}");
    free(body);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_identity_lists, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_cases_lists, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_license_lists, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_catalog_snapshot_kept, setup, yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("list_errors", tests, engine);
}
