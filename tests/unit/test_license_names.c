/*
 * test_license_names.c - licenses read the names of their types and issuing
 * departments through catalog.h (src/licenses/names.c), not by joining the
 * catalog's tables into their own SQL.
 *
 * On SQLite and on PostgreSQL (when YWTB_TEST_PG_ADMIN is set), with the
 * fixture of test_read_errors.c (failfx.h: a fresh database, the catalog
 * seeded, the keys started): a license, its use log, the published keys and
 * the material provider show the catalog's names; a department the catalog
 * does not have - or none, as a grant view logs - reads as an empty name, as
 * the LEFT JOIN gave.  Then license_types and departments are renamed away
 * under the cached statements: every read that needs them is an error (500),
 * never an empty name, "unknown key", "no department" or "no such e-license
 * type".  (In the server the names come from the catalog's snapshot; the API
 * tests cover that path.)
 */
#include "failfx.h"

#include "catalog/catalog.h"
#include "db/db.h"
#include "licenses/internal.h"

#include <jansson.h>

static int engine;

#define COMPANY      "91310104MA1FL8XQ10"
#define COMPANY_NAME "上海徐汇示范科技有限公司"

static int
setup(void **state)
{
    return yw_failfx_setup(state, engine, true);
}

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

/* A 营业执照 (LT-001) of the demo company, issued by 市场监督管理局. */
static void
issue_license(struct yw_failfx *f, char id[128])
{
    struct yw_err err = { 0 };
    struct issue_ctx x = { .in = { .type_code = "LT-001",
                                   .holder_ident = COMPANY,
                                   .holder_name = COMPANY_NAME,
                                   .source = "api",
                                   .actor = "test",
                                   .actor_dept = "XH-SCJ" },
                           .err = &err };
    int rc = yw_db_tx(f->db, YW_TX_WRITE, issue_tx, &x, &err);
    if (rc)
        fail_msg("issue failed (%d): %s (%s)", rc, err.msg, err.field);
    snprintf(id, 128, "%s", x.id);
}

static int
uses_tx(struct yw_dbc *c, void *vctx)
{
    const char *id = vctx;
    int rc = yw_lic__log_use(c, id, "C-1", "XH-SCJ", "营业执照", "办理时免于提交", "system");
    if (rc == 0)
        rc = yw_lic__log_use(c, id, "C-2", "XX-NONE", "营业执照", "办理时免于提交", "system");
    if (rc == 0)
        rc = yw_lic__log_use(c, id, "", "", "", "授权查看", "银行");
    return rc;
}

static const char *
str_at(json_t *list, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(list, i), key));
}

static void
test_names(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_dbc *c = yw_failfx_conn(f);
    const char *scj = "上海市徐汇区市场监督管理局";
    char id[128];
    issue_license(f, id);
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, uses_tx, id, &err), 0);

    json_t *row = NULL;
    assert_int_equal(yw_lic__license_json(c, id, true, &row), 0);
    assert_string_equal(json_string_value(json_object_get(row, "type_name")), "营业执照");
    assert_string_equal(json_string_value(json_object_get(row, "issuer_name")), scj);
    json_t *doc = json_incref(json_object_get(row, "document"));
    json_decref(row);
    json_t *list = yw_lic__list_json(c, COMPANY, NULL, NULL, 50, 0);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(str_at(list, 0, "type_name"), "营业执照");
    assert_string_equal(str_at(list, 0, "issuer_name"), scj);
    json_decref(list);
    list = yw_lic__uses_json(c, id); /* newest first */
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(str_at(list, 0, "dept_name"), ""); /* a grant view: no department */
    assert_string_equal(str_at(list, 1, "dept"), "XX-NONE");
    assert_string_equal(str_at(list, 1, "dept_name"), ""); /* not in the catalog */
    assert_string_equal(str_at(list, 2, "dept_name"), scj);
    json_decref(list);
    json_t *keys = yw_lic__keys_json(c);
    assert_int_equal(json_object_size(keys), 1);
    const char *kid;
    json_t *k;
    json_object_foreach(keys, kid, k)
    {
        assert_string_equal(json_string_value(json_object_get(k, "dept_name")), scj);
        assert_string_equal(json_string_value(json_object_get(k, "issuer_uscc")),
                            "113101044259256669");
    }
    json_decref(keys);
    json_t *ev = NULL;
    assert_int_equal(yw_lic__provider(c, COMPANY, "LT-001", &ev, NULL), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "label")), "营业执照");
    json_decref(ev);
    ev = NULL;

    /* the license types cannot be read */
    yw_failfx_lose_table(f, "license_types");
    assert_int_equal(yw_lic__license_json(c, id, false, &row), YW_EDB);
    assert_null(row);
    assert_null(yw_lic__list_json(c, COMPANY, NULL, NULL, 50, 0));
    assert_int_equal(yw_lic__provider(c, COMPANY, "LT-001", &ev, NULL),
                     YW_EDB); /* not "no such license" */
    assert_null(ev);
    char *pdf = NULL;
    size_t len = 0;
    assert_int_equal(yw_lic__print(c, id, "http://test", &pdf, &len, &err), YW_EDB);
    assert_null(pdf);
    struct issue_ctx x = { .in = { .type_code = "LT-001",
                                   .holder_ident = COMPANY,
                                   .holder_name = COMPANY_NAME,
                                   .source = "api",
                                   .actor = "test" },
                           .err = &err };
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, issue_tx, &x, &err),
                     YW_EDB); /* not 422 "no e-license type" */

    /* the departments cannot be read */
    yw_failfx_lose_table(f, "departments");
    assert_null(yw_lic__uses_json(c, id));
    assert_null(yw_lic__keys_json(c));
    struct yw_lic_verdict v;
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_lic__verify_online(c, doc, &v, &err), YW_EDB); /* not "wrong_issuer" */
    assert_false(v.valid);
    assert_non_null(strstr(err.msg, "signing key"));
    json_t *sl = NULL;
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_lic__status_list(c, "XH-SCJ", &sl, &err), YW_EDB); /* not "no department" */
    assert_null(sl);
    assert_non_null(strstr(err.msg, "department"));
    json_decref(doc);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names, setup, yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("license_names", tests, engine);
}
