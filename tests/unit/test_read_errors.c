/*
 * test_read_errors.c - a failed read is an error, never "not found" or a
 * wrong answer.
 *
 * Functions that read one row used to test `yw_db_step(s) == YW_ROW` and
 * take anything else for "no row", so a database failure (a PostgreSQL error,
 * a broken connection, a SQLite I/O error) became an answer: a genuine license
 * "unknown" to a verifier, "no such license", "the current password is
 * wrong", no failed logins (and so no lockout).  Here, on SQLite and on
 * PostgreSQL (when YWTB_TEST_PG_ADMIN is set), each such function is called
 * on a freshly migrated database with the catalog seeded and must give its
 * normal answer; then a table (or a column) its query reads is renamed away -
 * the statement is already prepared and cached, so it is the step that fails,
 * as it would mid-request - and the function must return an error code, which
 * its route turns into a 500 "database_error" (503 "busy" for YW_ERETRY).
 * Only YW_DONE, no row, may mean "not found".
 *
 * The list functions are covered by test_list_errors.c.
 */
#include "failfx.h"

#include "cases/internal.h"
#include "catalog/catalog.h"
#include "core/config.h"
#include "core/log.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/events.h"
#include "identity/internal.h"
#include "licenses/internal.h"

#include <jansson.h>

static int engine;

#define COMPANY      "91310104MA1FL8XQ10"
#define COMPANY_NAME "上海徐汇示范科技有限公司"
#define PERSON       "310104199003072013"
#define PASSWORD     "Xuhui-2026"

static int
setup(void **state)
{
    return yw_failfx_setup(state, engine, true);
}

/* ==== identity ==== */

static int64_t
register_person(struct yw_failfx *f)
{
    struct yw_ident_registration r = { .kind = YW_IDENT_PERSON,
                                       .ident = PERSON,
                                       .name = "张三",
                                       .phone = "13800000000",
                                       .password = PASSWORD };
    struct yw_err err = { 0 };
    int64_t id = 0;
    int rc = yw_ident_register(&f->app, &r, &id, &err);
    if (rc)
        fail_msg("register failed (%d): %s (%s)", rc, err.msg, err.field);
    return id;
}

static int
login(struct yw_failfx *f, const char *password, struct yw_err *err)
{
    struct yw_ident_login_result r;
    memset(err, 0, sizeof *err);
    return yw_ident__login(&f->app, PERSON, password, "192.0.2.1", "test", &r, err);
}

/* Five failures of one address make it wait (login_free_failures' default;
 * identity/lockout.c); when the failures cannot be read the login is an
 * error - never a login that skips the wait. */
static void
test_login_lockout_read(void **state)
{
    struct yw_failfx *f = *state;
    register_person(f);
    struct yw_err err;
    assert_int_equal(login(f, PASSWORD, &err), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(login(f, "Wrong-pass1", &err), YW_ECREDS);
    /* the right password, but within a second of the fifth failure */
    assert_int_equal(login(f, PASSWORD, &err), YW_ELOCKED);

    /* the failures' times cannot be read (recording a success still can:
     * DELETE FROM login_failures WHERE login = ? AND ip = ?): the waiting
     * pair must not log in */
    yw_failfx_lose_column(f, "login_failures", "at");
    assert_int_equal(login(f, PASSWORD, &err), YW_EDB); /* POST /auth/login: 500, not 200 */
    assert_non_null(strstr(err.msg, "failed logins"));
    assert_int_equal(login(f, "Wrong-pass1", &err), YW_EDB); /* not "wrong password" either */
}

/* The account itself cannot be read: an error, not "wrong password". */
static void
test_login_account_read(void **state)
{
    struct yw_failfx *f = *state;
    register_person(f);
    struct yw_err err;
    assert_int_equal(login(f, PASSWORD, &err), 0);
    yw_failfx_lose_column(f, "accounts", "password_hash");
    assert_int_equal(login(f, PASSWORD, &err), YW_EDB);
    assert_non_null(strstr(err.msg, "account"));
}

static void
test_account_reads(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    int64_t id = register_person(f);
    struct yw_principal who = { .account_id = id,
                                .login = PERSON,
                                .kind = "person",
                                .dept = "",
                                .roles = YW_ROLE_PERSON,
                                .session = "" };
    struct yw_principal company = { .account_id = 999,
                                    .login = COMPANY,
                                    .kind = "enterprise",
                                    .dept = "",
                                    .roles = YW_ROLE_ENTERPRISE,
                                    .session = "" };
    struct yw_err err = { 0 };
    json_t *acct = NULL;
    assert_int_equal(yw_ident__account_json(c, id, &acct, &err), 0);
    assert_string_equal(json_string_value(json_object_get(acct, "login")), PERSON);
    json_decref(acct);
    acct = NULL;
    assert_int_equal(yw_ident__account_json(c, id + 1000, &acct, &err), YW_ENOTFOUND);
    assert_null(acct);
    assert_int_equal(yw_ident__password_change(&f->app, &who, "Wrong-pass1", "Xuhui-2027", &err),
                     YW_ECREDS);
    assert_int_equal(yw_ident__agent_add(c, &company, "110101199003074477", "李四", NULL, &err),
                     YW_ENOTFOUND);

    /* the person's profile cannot be read: looking an agent up fails, it
     * does not say "no registered person" */
    yw_failfx_lose_table(f, "person_profiles");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_ident__agent_add(c, &company, PERSON, "张三", NULL, &err), YW_EDB);

    /* the accounts cannot be read: GET /me is a 500, not "your account no
     * longer exists"; a password change is a 500, not "the current password
     * is wrong"; a real-name check is a 500, not "no such applicant" */
    yw_failfx_lose_table(f, "accounts");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_ident__account_json(c, id, &acct, &err), YW_EDB);
    assert_null(acct);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_ident__password_change(&f->app, &who, PASSWORD, "Xuhui-2027", &err),
                     YW_EDB);
    assert_string_equal(err.field, "");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_ident_set_realname(c, id, 2, "window", NULL, &err), YW_EDB);
}

/* ==== cases ==== */

/* A case as yw_case__load would fill it (no row behind it). */
static struct yw_case
hand_case(void)
{
    return (struct yw_case){ .id = 1,
                             .case_no = "XH2026000001",
                             .kind = "item",
                             .code = "XH-T-001",
                             .title = "测试事项",
                             .dept = "XH-T",
                             .applicant_id = 5,
                             .applicant_kind = "enterprise",
                             .applicant_name = "测试公司",
                             .applicant_ident = COMPANY,
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

static int published;

static int
on_test_event(struct yw_dbc *c, const char *name, json_t *payload, void *ctx, struct yw_err *err)
{
    (void)c;
    (void)name;
    (void)ctx;
    (void)err;
    assert_true(json_is_object(json_object_get(payload, "form")));
    published++;
    return 0;
}

struct publish_ctx {
    const struct yw_case *k;
    struct yw_err *err;
};

static int
publish_tx(struct yw_dbc *c, void *vctx)
{
    struct publish_ctx *x = vctx;
    return yw_case__publish(c, x->k, YW_EV_CASE_ACCEPTED, x->err);
}

/* An event carries the case's form as it is: a form that cannot be read
 * publishes nothing (the transaction fails), never an empty form. */
static void
test_case_publish_form(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_case k = hand_case();
    struct yw_err err = { 0 };
    struct publish_ctx x = { .k = &k, .err = &err };
    yw_events_reset();
    yw_events_subscribe(YW_EV_CASE_ACCEPTED, on_test_event, NULL);
    published = 0;
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, publish_tx, &x, &err), 0);
    assert_int_equal(published, 1);

    yw_failfx_lose_table(f, "cases");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, publish_tx, &x, &err), YW_EDB);
    assert_int_equal(published, 1);
    assert_non_null(strstr(err.msg, "form"));
    yw_events_reset();
}

/* Who may see a case: a read that fails denies with an error, never with
 * "no such case" (and never allows). */
static void
test_case_visibility(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_case k = hand_case();
    struct yw_principal agent = {
        .account_id = 6, .login = PERSON, .kind = "person", .dept = "", .roles = YW_ROLE_PERSON
    };
    struct yw_principal reviewer = { .account_id = 7,
                                     .login = "rev",
                                     .kind = "staff",
                                     .dept = "XH-SCJ",
                                     .roles = YW_ROLE_REVIEWER };
    struct yw_principal owner = { .account_id = 5,
                                  .login = COMPANY,
                                  .kind = "enterprise",
                                  .dept = "",
                                  .roles = YW_ROLE_ENTERPRISE };
    assert_int_equal(yw_case__check_visible(c, &k, &owner), 0);
    assert_int_equal(yw_case__check_visible(c, &k, &agent), YW_ENOTFOUND);
    assert_int_equal(yw_case__check_visible(c, &k, &reviewer), YW_ENOTFOUND);

    yw_failfx_lose_table(f, "enterprise_agents");
    assert_int_equal(yw_case__check_visible(c, &k, &agent), YW_EDB); /* 500, not 404 */
    yw_failfx_lose_table(f, "tasks");
    assert_int_equal(yw_case__check_visible(c, &k, &reviewer), YW_EDB);
    assert_int_equal(yw_case__check_visible(c, &k, &owner), 0); /* needs no read */
}

/* The one-time supplement notice names materials; a failed read is an
 * error, not "neither a material nor a form field" and not a notice that
 * shows codes for names.  A consult or a reroute names a department that
 * must exist. */
static void
test_case_review_reads(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    struct yw_case k = hand_case();
    struct yw_actor clerk = { .id = 3,
                              .name = "窗口",
                              .role = "window_clerk",
                              .dept = "XH-T",
                              .roles = YW_ROLE_WINDOW_CLERK };
    struct yw_actor rev = {
        .id = 7, .name = "审查", .role = "reviewer", .dept = "XH-SCJ", .roles = YW_ROLE_REVIEWER
    };
    struct yw_task t = { .id = 1,
                         .case_id = 1,
                         .dept = "XH-SCJ",
                         .kind = "review",
                         .status = "pending",
                         .opinion = "" };
    struct yw_err err = { 0 };
    json_t *items = json_pack("[{s:s, s:s}]", "what", "M-NONE", "reason", "缺少");
    assert_int_equal(yw_case__request_supplement(c, &k, &clerk, items, "", &err), YW_EFIELD);
    assert_int_equal(yw_task__consult(c, &a, &t, &rev, "NO-SUCH", "请会签", &err), YW_EFIELD);
    assert_int_equal(yw_task__reroute(c, &a, &t, &rev, "NO-SUCH", "不属本部门", false, &err),
                     YW_EFIELD);
    struct yw_case ks = hand_case();
    ks.status = "supplement";
    ks.supplement = "{\"items\":[{\"what\":\"M-1\",\"reason\":\"缺少\"}]}";
    char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(yw_case__notice(c, &ks, "supplement", "http://test", &pdf, &len, &err), 0);
    free(pdf);
    pdf = NULL;

    yw_failfx_lose_table(f, "case_materials");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_case__request_supplement(c, &k, &clerk, items, "", &err), YW_EDB);
    assert_string_equal(err.field, "");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_case__notice(c, &ks, "supplement", "http://test", &pdf, &len, &err),
                     YW_EDB);
    assert_null(pdf);

    yw_failfx_lose_table(f, "departments");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_task__consult(c, &a, &t, &rev, "XH-T", "请会签", &err),
                     YW_EDB); /* not "name another" */
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_task__reroute(c, &a, &t, &rev, "XH-T", "不属本部门", false, &err), YW_EDB);
    json_decref(items);
    yw_arena_release(&a);
}

/* ==== catalog ==== */

/* An item's department and license types that cannot be checked are an
 * error, not "unknown department" / "unknown license type" (422). */
static void
test_catalog_item_checks(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    char dd[4096], path[4200];
    yw_failfx_data_dir(dd, sizeof dd);
    snprintf(path, sizeof path, "%s/catalog/items.json", dd);
    json_t *items = json_load_file(path, 0, NULL);
    assert_non_null(items);
    json_t *item = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(items, i,
                       it) if (item == NULL && json_string_length(json_object_get(it, "produces")))
        item = it;
    assert_non_null(item);
    struct yw_err err = { 0 };
    assert_int_equal(yw_catalog_item_validate(c, item, &err), 0);

    yw_failfx_lose_table(f, "license_types");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_catalog_item_validate(c, item, &err), YW_EDB);
    assert_string_equal(err.field, "");
    yw_failfx_lose_table(f, "departments");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_catalog_item_validate(c, item, &err), YW_EDB);
    assert_string_equal(err.field, "");
    json_decref(items);
}

/* ==== the audit chain ==== */

/* A chain head that cannot be read is an error, not tampering. */
static void
test_audit_head_read(void **state)
{
    struct yw_failfx *f = *state;
    register_person(f); /* audited */
    struct yw_audit_report rep;
    struct yw_err err = { 0 };
    assert_int_equal(yw_audit_verify(f->db, &rep, &err), 0);
    assert_true(rep.records > 0);
    assert_int_equal(rep.bad_seq, 0);

    yw_failfx_lose_table(f, "audit_chains");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_audit_verify(f->db, &rep, &err),
                     YW_EDB); /* not "records after 0 are not covered" */
    assert_non_null(strstr(err.msg, "audit log"));
}

/* ==== licenses ==== */

struct issue_ctx {
    struct yw_lic__issue in;
    char id[128];
    struct yw_err *err;
};

static int
issue_tx(struct yw_dbc *c, void *vctx)
{
    struct issue_ctx *x = vctx;
    return yw_lic__issue(c, &x->in, x->id, x->err);
}

/* A 营业执照 (LT-001) of the demo company; its id into id. */
static void
issue_license(struct yw_failfx *f, char id[128])
{
    json_t *fields = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", COMPANY_NAME,
                               "uscc", COMPANY, "legal_rep", "张小明", "type", "有限责任公司",
                               "registered_capital", "100", "address", "上海市徐汇区漕溪北路88号",
                               "business_scope", "技术服务", "established", "2026-01-15");
    struct yw_err err = { 0 };
    struct issue_ctx x = { .in = { .type_code = "LT-001",
                                   .holder_ident = COMPANY,
                                   .holder_name = COMPANY_NAME,
                                   .fields = fields,
                                   .source = "api",
                                   .actor = "test",
                                   .actor_dept = "XH-SCJ" },
                           .err = &err };
    int rc = yw_db_tx(f->db, YW_TX_WRITE, issue_tx, &x, &err);
    json_decref(fields);
    if (rc)
        fail_msg("issue failed (%d): %s (%s)", rc, err.msg, err.field);
    snprintf(id, 128, "%s", x.id);
}

static void
test_license_reads(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    char id[128];
    issue_license(f, id);
    json_t *row = NULL, *pub = NULL;
    assert_int_equal(yw_lic__license_json(c, id, true, &row), 0);
    assert_non_null(row);
    json_t *doc = json_incref(json_object_get(row, "document"));
    json_decref(row);
    row = NULL;
    assert_int_equal(yw_lic__license_json(c, "1.2.156.3005.2.x", false, &row), YW_ENOTFOUND);
    assert_null(row);
    assert_int_equal(yw_lic__public_status(c, id, &pub), 0);
    assert_non_null(pub);
    json_decref(pub);
    pub = NULL;
    struct yw_lic_verdict v;
    struct yw_err err = { 0 };
    assert_int_equal(yw_lic__verify_online(c, doc, &v, &err), 0);
    assert_true(v.valid);
    assert_string_equal(v.code, "ok");

    /* the licenses cannot be read: an error, never "no such license" and
     * never "the signature is good but ywtb has no such license" */
    yw_failfx_lose_table(f, "licenses");
    assert_int_equal(yw_lic__license_json(c, id, false, &row),
                     YW_EDB); /* GET /licenses/{id}: 500, not 404 */
    assert_null(row);
    assert_int_equal(yw_lic__public_status(c, id, &pub),
                     YW_EDB); /* the public check: 500, not 404 */
    assert_null(pub);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_lic__verify_online(c, doc, &v, &err),
                     YW_EDB); /* POST /licenses/verify: 500 */
    assert_false(v.valid);
    assert_non_null(strstr(err.msg, "status"));

    /* the signing keys cannot be read: an error, never "unknown_key" */
    yw_failfx_lose_table(f, "signing_keys");
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_lic__verify_online(c, doc, &v, &err), YW_EDB);
    assert_false(v.valid);
    assert_non_null(strstr(err.msg, "signing key"));
    json_decref(doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_login_lockout_read, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_login_account_read, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_account_reads, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_case_publish_form, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_case_visibility, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_case_review_reads, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_catalog_item_checks, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_audit_head_read, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_license_reads, setup, yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("read_errors", tests, engine);
}
