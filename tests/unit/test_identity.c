/*
 * test_identity.c - identity's audit summaries are JSON built by jansson.
 *
 * yw_ident_set_realname records how an identity was checked ("window",
 * "face" ...) - text a clerk sends.  Its audit summary used to be printed with
 * "%.40s" into a JSON template: a '"' or '\' in the method made the summary
 * invalid JSON, and the 40-byte cut could split a UTF-8 character.  Here the
 * summary must parse, keep the method's characters as sent, and cut a long
 * method after 40 characters (not bytes).  SQLite and, with
 * YWTB_TEST_PG_ADMIN, PostgreSQL.
 */
#include "failfx.h"

#include "core/utf8.h"
#include "identity/identity.h"

#include <jansson.h>

static int engine;

#define PERSON "310104199003072013"

static int
setup(void **state)
{
    return yw_failfx_setup(state, engine, false);
}

struct rn_tx {
    int64_t id;
    const char *method;
};

static int
rn_tx(struct yw_dbc *c, void *ctx)
{
    struct rn_tx *t = ctx;
    return yw_ident_set_realname(c, t->id, 3, t->method, NULL, NULL);
}

/* The summary of the newest account.realname record, parsed. */
static json_t *
last_summary(struct yw_failfx *f)
{
    char *text = NULL;
    assert_int_equal(
        yw_db_one_text(
            yw_failfx_conn(f), &f->arena, &text,
            "SELECT summary FROM audit_log WHERE action = 'account.realname' ORDER BY seq DESC",
            NULL),
        0);
    json_error_t je;
    json_t *o = json_loads(text, 0, &je);
    if (o == NULL)
        fail_msg("the audit summary is not JSON (%s): %s", je.text, text);
    return o;
}

static void
test_realname_summary(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_err err = { 0 };
    int64_t id = 0;
    assert_int_equal(yw_ident_register(&f->app,
                                       &(struct yw_ident_registration){ .kind = YW_IDENT_PERSON,
                                                                        .ident = PERSON,
                                                                        .name = "张三",
                                                                        .phone = "13800000000",
                                                                        .password = "Xuhui-2026" },
                                       &id, &err),
                     0);
    /* quotes, a backslash and a control character: kept as sent */
    const char *tricky = "window \"desk 3\" \\ no.\t5";
    struct rn_tx t = { id, tricky };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, rn_tx, &t, &err), 0);
    json_t *o = last_summary(f);
    assert_int_equal(json_integer_value(json_object_get(o, "level")), 3);
    assert_string_equal(json_string_value(json_object_get(o, "method")), tricky);
    json_decref(o);

    /* 45 Chinese characters (135 bytes): the first 40 characters are kept whole */
    char longm[256] = "";
    for (int i = 0; i < 45; i++)
        strcat(longm, i % 2 ? "窗" : "口");
    t.method = longm;
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, rn_tx, &t, &err), 0);
    o = last_summary(f);
    const char *m = json_string_value(json_object_get(o, "method"));
    assert_non_null(m);
    assert_true(yw_utf8_valid(m, strlen(m)));
    assert_int_equal(yw_utf8_len(m, strlen(m)), 40);
    assert_memory_equal(m, longm, strlen(m));
    json_decref(o);

    /* short text is not cut; and a 40-character ASCII method stays whole */
    t.method = "0123456789012345678901234567890123456789xyz";
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, rn_tx, &t, &err), 0);
    o = last_summary(f);
    assert_string_equal(json_string_value(json_object_get(o, "method")),
                        "0123456789012345678901234567890123456789");
    json_decref(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_realname_summary, setup, yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("identity", tests, engine);
}
