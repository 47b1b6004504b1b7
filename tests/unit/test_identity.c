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

#include "core/clock.h"
#include "core/crypto.h"
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

struct open_tx {
    int64_t id;
    int ttl;
    char token[64], csrf[64];
};

static int
open_tx(struct yw_dbc *c, void *ctx)
{
    struct open_tx *t = ctx;
    return yw_ident_session_open(c, t->id, t->ttl, "127.0.0.1", "kiosk:K01", t->token, t->csrf);
}

/* yw_ident_session_open (the kiosk's QR login): a session row whose only
 * stored secret is the token's SM3, expiring ttl seconds after its creation,
 * named by where it was opened, with its auth.login audit record; a bad
 * account or ttl is refused and writes nothing. */
static void
test_session_open(void **state)
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
    struct open_tx t = { .id = id, .ttl = 300 };
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, open_tx, &t, &err), 0);
    assert_true(strlen(t.token) >= 40);
    assert_true(strlen(t.csrf) >= 30);
    char hash[65];
    yw_sm3_hex(t.token, strlen(t.token), hash);
    char *ua = NULL, *created = NULL, *expires = NULL;
    struct yw_dbc *c = yw_failfx_conn(f);
    assert_int_equal(yw_db_one_text(c, &f->arena, &ua,
                                    "SELECT user_agent FROM sessions WHERE token_hash = ? AND "
                                    "account_id = ?",
                                    "si", hash, id),
                     0);
    assert_string_equal(ua, "kiosk:K01");
    assert_int_equal(yw_db_one_text(c, &f->arena, &created,
                                    "SELECT created_at FROM sessions WHERE token_hash = ?", "s",
                                    hash),
                     0);
    assert_int_equal(yw_db_one_text(c, &f->arena, &expires,
                                    "SELECT expires_at FROM sessions WHERE token_hash = ?", "s",
                                    hash),
                     0);
    int64_t c_ms = 0, e_ms = 0;
    assert_int_equal(yw_clock_parse(created, &c_ms), 0);
    assert_int_equal(yw_clock_parse(expires, &e_ms), 0);
    assert_int_equal(e_ms - c_ms, 300 * 1000);
    assert_int_equal(yw_db_exists(c, "SELECT 1 FROM sessions WHERE token_hash = ?", "s", t.token),
                     YW_ENOTFOUND); /* the token itself is never stored */
    char *sum = NULL;
    assert_int_equal(yw_db_one_text(c, &f->arena, &sum,
                                    "SELECT summary FROM audit_log WHERE action = 'auth.login' "
                                    "ORDER BY seq DESC",
                                    NULL),
                     0);
    assert_non_null(strstr(sum, "kiosk:K01"));

    int64_t before = 0, after = 0;
    assert_int_equal(yw_db_one_int(c, &before, "SELECT COUNT(*) FROM sessions", NULL), 0);
    t.ttl = 0;
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, open_tx, &t, &err), YW_EINVAL);
    t.ttl = 60;
    t.id = 0;
    assert_int_equal(yw_db_tx(f->db, YW_TX_WRITE, open_tx, &t, &err), YW_EINVAL);
    assert_int_equal(yw_db_one_int(c, &after, "SELECT COUNT(*) FROM sessions", NULL), 0);
    assert_int_equal(after, before);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_realname_summary, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_session_open, setup, yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("identity", tests, engine);
}
