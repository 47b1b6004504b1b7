/*
 * test_apply.c - making an application (src/cases/apply.c) against the
 * providers core declares (src/core/provider.h).
 *
 * Cases asks the registry, never a module: a material provider vouches for
 * the e-license an applicant names and fills a material the applicant left
 * out; a prefill provider answers the form field sources the applicant's own
 * account does not.  A bundle whose items cannot be read from the catalog is
 * an error, never a shorter bundle.  Each test runs on a freshly migrated
 * database with the catalog seeded, on SQLite and on PostgreSQL (when
 * YWTB_TEST_PG_ADMIN is set).
 */
#include "failfx.h"

#include "cases/internal.h"
#include "catalog/catalog.h"
#include "catalog/internal.h"
#include "core/provider.h"
#include "db/db.h"
#include "db/events.h"
#include "identity/internal.h"

#include <jansson.h>

static int engine;

#define PERSON   "310104199003072013"
#define PASSWORD "Xuhui-2026"
#define ITEM     "XH-T-PREFILL"

static int
setup(void **state)
{
    yw_provider_reset();
    yw_events_reset();
    return yw_failfx_setup(state, engine, true);
}

static int
teardown(void **state)
{
    yw_provider_reset();
    yw_events_reset();
    return yw_failfx_teardown(state);
}

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

/* A person's item whose form has a field of the applicant's own account
 * (name) and one from a source only a provider knows (household_address). */
static void
add_prefill_item(struct yw_failfx *f)
{
    json_t *item = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:b, "
        "s:s}, {s:s, s:s, s:s, s:s, s:b, s:s}], s:[], s:[s], s:[]}",
        "code", ITEM, "name", "户籍证明（测试）", "dept", "XH-GAFJ", "type", "公共服务", "target",
        "person", "legal_basis", "测试", "legal_days", 5, "promised_days", 1, "online_level", 4,
        "max_visits", 0, "realname_level", 1, "fee", "不收费", "where", "徐汇区行政服务中心",
        "hours", "周一至周五", "conditions", "测试", "form", "key", "name", "label", "姓名",
        "label_en", "Name", "type", "text", "required", 1, "prefill", "name", "key", "hukou",
        "label", "户籍地址", "label_en", "Household address", "type", "text", "required", 1,
        "prefill", "household_address", "materials", "steps", "申请", "faqs");
    assert_non_null(item);
    struct yw_dbc *c = yw_failfx_conn(f);
    struct yw_err err = { 0 };
    int rc = yw_catalog_item_validate(c, item, &err);
    if (rc)
        fail_msg("the test item is not valid (%d): %s (%s)", rc, err.msg, err.field);
    assert_int_equal(yw_cat__insert_item(c, item, 1, "test", NULL), 0);
    json_decref(item);
}

/* ---- a prefill provider that records what it was asked ---- */

struct asked {
    int calls;
    char holder[32], source[64];
    int rc; /* what to answer: 0 (a value), YW_ENOTFOUND, or an error */
};

static int
prefill_provider(struct yw_dbc *c, const char *holder, const char *source, json_t **value,
                 void *ctx)
{
    (void)c;
    struct asked *a = ctx;
    a->calls++;
    snprintf(a->holder, sizeof a->holder, "%s", holder);
    snprintf(a->source, sizeof a->source, "%s", source);
    if (a->rc)
        return a->rc;
    if (strcmp(source, "household_address") != 0)
        return YW_ENOTFOUND;
    *value = json_string("上海市徐汇区漕溪北路336号");
    return 0;
}

struct create_ctx {
    struct yw_arena *arena;
    struct yw_apply in;
    struct yw_actor who;
    struct yw_case out;
    struct yw_err *err;
};

static int
create_tx(struct yw_dbc *c, void *vctx)
{
    struct create_ctx *x = vctx;
    bool replayed = false;
    return yw_case__create(c, x->arena, &x->in, &x->who, false, &x->out, NULL, &replayed, x->err);
}

static int
create_as(struct yw_failfx *f, int64_t applicant, const char *item, const char *bundle,
          json_t *form, bool draft, struct yw_case *out, struct yw_err *err)
{
    struct create_ctx x = { .arena = &f->arena,
                            .in = { .item_code = item,
                                    .bundle_code = bundle,
                                    .form = form,
                                    .channel = "window",
                                    .applicant_id = applicant,
                                    .draft = draft },
                            .who = { .id = applicant,
                                     .name = "张三",
                                     .role = "person",
                                     .dept = "",
                                     .roles = YW_ROLE_PERSON },
                            .err = err };
    memset(err, 0, sizeof *err);
    int rc = yw_db_tx(f->db, YW_TX_WRITE, create_tx, &x, err);
    if (out)
        *out = x.out;
    return rc;
}

static int
create(struct yw_failfx *f, int64_t applicant, const char *item, const char *bundle, json_t *form,
       struct yw_case *out, struct yw_err *err)
{
    return create_as(f, applicant, item, bundle, form, false, out, err);
}

/* A form field whose source the applicant's account does not know is asked
 * of the registered prefill providers, with the applicant as holder; the
 * provider's answer fills the field (the applicant need not). */
static void
test_prefill_provider_consulted(void **state)
{
    struct yw_failfx *f = *state;
    int64_t id = register_person(f);
    add_prefill_item(f);
    struct asked a = { 0 };
    yw_provider_add_prefill("test", prefill_provider, &a);

    struct yw_case k;
    struct yw_err err;
    int rc = create(f, id, ITEM, NULL, NULL, &k, &err);
    if (rc)
        fail_msg("create failed (%d): %s (%s)", rc, err.msg, err.field);
    assert_int_equal(a.calls, 1); /* household_address only: name is the account's own */
    assert_string_equal(a.holder, PERSON);
    assert_string_equal(a.source, "household_address");
    json_t *form = json_loads(k.form, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(form, "hukou")),
                        "上海市徐汇区漕溪北路336号");
    assert_string_equal(json_string_value(json_object_get(form, "name")), "张三");
    json_decref(form);
}

/* Without a provider that knows the source the field is the applicant's to
 * fill in (required: missing); a provider that cannot tell fails the
 * application with its error, never leaves the field to the applicant. */
static void
test_prefill_provider_absent_or_failing(void **state)
{
    struct yw_failfx *f = *state;
    int64_t id = register_person(f);
    add_prefill_item(f);
    struct yw_err err;
    assert_int_equal(create(f, id, ITEM, NULL, NULL, NULL, &err), YW_EMISSING);
    assert_string_equal(err.field, "form.hukou");

    json_t *form = json_pack("{s:s}", "hukou", "applicant's own text");
    struct yw_case k;
    assert_int_equal(create(f, id, ITEM, NULL, form, &k, &err), 0);
    json_t *stored = json_loads(k.form, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(stored, "hukou")),
                        "applicant's own text");
    json_decref(stored);

    struct asked a = { .rc = YW_EDB };
    yw_provider_add_prefill("failing", prefill_provider, &a);
    assert_int_equal(create(f, id, ITEM, NULL, form, NULL, &err), YW_EDB);
    assert_int_equal(a.calls, 1);
    assert_string_equal(err.field, "form.hukou");
    json_decref(form);
}

/* ---- bundles ---- */

/* The items of a bundle that cannot be read from the catalog make the
 * application fail with the read's error (500; 503 for YW_ERETRY), never a
 * bundle case with fewer items - nor, when none can be read, "the bundle is
 * empty" (422). */
static void
test_bundle_item_read_fails(void **state)
{
    struct yw_failfx *f = *state;
    int64_t id = register_person(f);
    struct yw_case k;
    struct yw_err err;
    int rc = create_as(f, id, NULL, "BND-BDCJY", NULL, true, &k, &err);
    if (rc)
        fail_msg("a draft of bundle BND-BDCJY: %d %s (%s)", rc, err.msg, err.field);
    assert_string_equal(k.kind, "bundle");

    yw_failfx_lose_table(f, "items"); /* the bundle itself can still be read */
    json_t *bundle = NULL;
    assert_int_equal(yw_catalog_bundle(yw_failfx_conn(f), "BND-BDCJY", &bundle), 0);
    json_decref(bundle);
    assert_int_equal(create_as(f, id, NULL, "BND-BDCJY", NULL, true, NULL, &err), YW_EDB);
    assert_non_null(strstr(err.msg, "BND-BDCJY"));
    assert_int_equal(create_as(f, id, NULL, "BND-BDCJY", NULL, false, NULL, &err), YW_EDB);
}

/* ---- the material registry, by itself ---- */

static int
material_a(struct yw_dbc *c, const char *holder, const char *lt, json_t **evidence, void *ctx)
{
    (void)c;
    int *mode = ctx;
    if (*mode == 2)
        return YW_EDB;
    if (strcmp(lt, "LT-001") != 0)
        return YW_ENOTFOUND;
    *evidence = json_pack("{s:s, s:s}", "ref", "A-1", "label", holder);
    return 0;
}

static int
material_b(struct yw_dbc *c, const char *holder, const char *lt, json_t **evidence, void *ctx)
{
    (void)c;
    (void)ctx;
    *evidence = json_pack("{s:s, s:s}", "ref", "B-1", "label", holder);
    return 0;
}

/* First evidence wins; a named document must be vouched for by name (a later
 * provider may); a provider's error is the answer, never "not found". */
static void
test_material_registry(void **state)
{
    (void)state;
    yw_provider_reset();
    json_t *ev = NULL;
    assert_int_equal(yw_provider_material_count(), 0);
    assert_int_equal(yw_provider_find_material(NULL, PERSON, "LT-001", NULL, &ev), YW_ENOTFOUND);
    assert_null(ev);
    int mode = 0;
    yw_provider_add_material("a", material_a, &mode);
    yw_provider_add_material("b", material_b, NULL);
    assert_int_equal(yw_provider_material_count(), 2);

    assert_int_equal(yw_provider_find_material(NULL, PERSON, "LT-001", NULL, &ev), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "ref")), "A-1");
    assert_string_equal(json_string_value(json_object_get(ev, "label")), PERSON);
    json_decref(ev);
    assert_int_equal(yw_provider_find_material(NULL, PERSON, "LT-002", NULL, &ev), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "ref")), "B-1");
    json_decref(ev);
    assert_int_equal(yw_provider_find_material(NULL, PERSON, "LT-001", "B-1", &ev), 0);
    assert_string_equal(json_string_value(json_object_get(ev, "ref")), "B-1");
    json_decref(ev);
    assert_int_equal(yw_provider_find_material(NULL, PERSON, "LT-001", "C-1", &ev), YW_ENOTFOUND);
    assert_null(ev);

    mode = 2;
    assert_int_equal(yw_provider_find_material(NULL, PERSON, "LT-001", NULL, &ev), YW_EDB);
    assert_null(ev);
    yw_provider_reset();
    assert_int_equal(yw_provider_material_count(), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_material_registry),
        cmocka_unit_test_setup_teardown(test_prefill_provider_consulted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prefill_provider_absent_or_failing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bundle_item_read_fails, setup, teardown),
    };
    return YW_TEST_RUN_ENGINES("apply", tests, engine);
}
