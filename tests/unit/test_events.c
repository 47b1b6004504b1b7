/*
 * test_events.c - the event table (core/events.h) and in-transaction
 * publish/subscribe (db/events.h).
 *
 * Events are named at compile time (YW_EV_...), so a misspelt event does not
 * build; what is left to check at run time is the table itself (a unique wire
 * name and a payload declaration per row) and that publishing holds the
 * publisher to the row: a payload that lacks a declared field is refused
 * (YW_EINVAL: a bug in the publisher) before any subscriber runs or the
 * outbox is written, and a complete one reaches its subscribers and the
 * outbox under its wire name.  After-commit subscribers run from the outbox
 * when it is drained, once per event, and a failing one rolls back alone.
 * The publishing tests run on SQLite and on
 * PostgreSQL (when YWTB_TEST_PG_ADMIN is set).
 */
#include "failfx.h"

#include "core/events.h"
#include "db/batch.h"
#include "db/db.h"
#include "db/events.h"

#include <jansson.h>

static int engine;

static int
setup(void **state)
{
    yw_events_reset();
    return yw_failfx_setup(state, engine, false);
}

static int
teardown(void **state)
{
    yw_events_reset();
    return yw_failfx_teardown(state);
}

/* Every row: a wire name "module.what" used by no other row, a publisher,
 * and a list of distinct, non-empty field names; lookups agree with it. */
static void
test_table(void **state)
{
    (void)state;
    assert_true(YW_EV__COUNT > 0);
    for (int i = 0; i < YW_EV__COUNT; i++) {
        const char *wire = yw_event_wire((enum yw_event)i);
        const char *pub = yw_event_publisher((enum yw_event)i);
        const char *fields = yw_event_fields((enum yw_event)i);
        assert_non_null(wire);
        assert_non_null(pub);
        assert_non_null(fields);
        assert_non_null(strchr(wire, '.'));
        assert_true(strchr(wire, '.') > wire && strchr(wire, '.')[1] != '\0');
        assert_true(*pub != '\0');
        assert_true(*fields != '\0');
        assert_int_equal(yw_event_by_wire(wire), i);
        for (int j = 0; j < i; j++)
            if (!strcmp(wire, yw_event_wire((enum yw_event)j)))
                fail_msg("events %d and %d share the wire name '%s'", j, i, wire);
        /* fields: "a,b,c" - no empty name, no name twice */
        char copy[512];
        snprintf(copy, sizeof copy, "%s", fields);
        assert_true(copy[0] != ',' && copy[strlen(copy) - 1] != ',');
        assert_null(strstr(copy, ",,"));
        char *names[64];
        int n = 0;
        char *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            assert_true(n < 64);
            for (int k = 0; k < n; k++)
                if (!strcmp(names[k], t))
                    fail_msg("event '%s' declares field '%s' twice", wire, t);
            names[n++] = t;
        }
        assert_true(n > 0);
    }
    assert_string_equal(yw_event_wire(YW_EV_CASE_APPROVED), "case.approved");
    assert_string_equal(yw_event_publisher(YW_EV_LICENSE_REVOKED), "licenses");
    assert_int_equal(yw_event_by_wire("case.approve"), -1); /* an audit action, not an event */
    assert_int_equal(yw_event_by_wire(NULL), -1);
    assert_null(yw_event_wire(YW_EV__COUNT));
    assert_null(yw_event_fields((enum yw_event) - 1));
}

/* ---- publishing ---- */

struct seen {
    int calls;
    char name[64];
    json_t *payload;
};

static int
subscriber(struct yw_dbc *c, const char *name, json_t *payload, void *ctx, struct yw_err *err)
{
    (void)c;
    (void)err;
    struct seen *s = ctx;
    s->calls++;
    snprintf(s->name, sizeof s->name, "%s", name);
    json_decref(s->payload);
    s->payload = json_incref(payload);
    return 0;
}

struct publish_ctx {
    enum yw_event ev;
    json_t *payload;
    struct yw_err *err;
};

static int
publish_tx(struct yw_dbc *c, void *vctx)
{
    struct publish_ctx *x = vctx;
    return yw_events_publish(c, x->ev, x->payload, x->err);
}

static int
publish(struct yw_failfx *f, enum yw_event ev, json_t *payload, struct yw_err *err)
{
    struct publish_ctx x = { .ev = ev, .payload = payload, .err = err };
    memset(err, 0, sizeof *err);
    return yw_db_tx(f->db, YW_TX_WRITE, publish_tx, &x, err);
}

/* The outbox's rows as "name" strings, oldest first (a JSON array). */
static json_t *
outbox(struct yw_failfx *f)
{
    struct yw_stmt *s =
        yw_db_prepare(yw_failfx_conn(f), "SELECT name, payload FROM outbox_events ORDER BY id");
    assert_non_null(s);
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, json_pack("{s:s, s:s}", "name", yw_db_col_text(s, 0), "payload",
                                              yw_db_col_text(s, 1)));
    yw_db_reset(s);
    assert_int_equal(rc, YW_DONE);
    return list;
}

/* A payload with every declared field of license.revoked. */
static json_t *
revoked_payload(void)
{
    return json_pack("{s:s, s:s, s:s}", "id", "31010420260001", "status", "revoked", "dept",
                     "XH-SCJ");
}

static void
test_publish_complete(void **state)
{
    struct yw_failfx *f = *state;
    struct seen mine = { 0 }, other = { 0 }, all = { 0 };
    yw_events_subscribe(YW_EV_LICENSE_REVOKED, subscriber, &mine);
    yw_events_subscribe(YW_EV_CASE_APPROVED, subscriber, &other);
    yw_events_subscribe_all(subscriber, &all);
    json_t *p = revoked_payload();
    json_object_set_new(p, "extra", json_true()); /* more than declared is allowed */
    struct yw_err err;
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, p, &err), 0);
    assert_int_equal(mine.calls, 1);
    assert_string_equal(mine.name, "license.revoked");
    assert_string_equal(json_string_value(json_object_get(mine.payload, "id")), "31010420260001");
    assert_int_equal(other.calls, 0);
    assert_int_equal(all.calls, 1);
    assert_string_equal(all.name, "license.revoked");

    json_t *rows = outbox(f); /* the wire name, as text: stored data is as before */
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")),
                        "license.revoked");
    json_t *stored =
        json_loads(json_string_value(json_object_get(json_array_get(rows, 0), "payload")), 0, NULL);
    assert_true(json_equal(stored, p));
    json_decref(stored);
    json_decref(rows);
    json_decref(p);
    json_decref(mine.payload);
    json_decref(all.payload);
}

/* A payload without a declared field is the publisher's bug: YW_EINVAL
 * naming the field, no subscriber runs, nothing reaches the outbox. */
static void
test_publish_missing_field(void **state)
{
    struct yw_failfx *f = *state;
    struct seen mine = { 0 }, all = { 0 };
    yw_events_subscribe(YW_EV_LICENSE_REVOKED, subscriber, &mine);
    yw_events_subscribe_all(subscriber, &all);
    struct yw_err err;
    const char *fields[] = { "id", "status", "dept" };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        json_t *p = revoked_payload();
        json_object_del(p, fields[i]);
        assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, p, &err), YW_EINVAL);
        assert_non_null(strstr(err.msg, "license.revoked"));
        assert_non_null(strstr(err.msg, fields[i]));
        json_decref(p);
    }
    json_t *p =
        json_pack("{s:s}", "case_no", "XH20260105000001"); /* a case event needs the whole case */
    assert_int_equal(publish(f, YW_EV_CASE_APPROVED, p, &err), YW_EINVAL);
    assert_non_null(strstr(err.msg, "case_id"));
    json_decref(p);
    json_t *arr = json_array();
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, arr, &err), YW_EINVAL);
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, NULL, &err), YW_EINVAL);
    json_decref(arr);
    p = revoked_payload();
    assert_int_equal(publish(f, YW_EV__COUNT, p, &err), YW_EINVAL); /* not an event */
    json_decref(p);
    assert_int_equal(mine.calls, 0);
    assert_int_equal(all.calls, 0);
    json_t *rows = outbox(f);
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
}

/* Outside a transaction nothing is published (as before). */
static void
test_publish_outside_tx(void **state)
{
    struct yw_failfx *f = *state;
    struct seen mine = { 0 };
    yw_events_subscribe(YW_EV_LICENSE_REVOKED, subscriber, &mine);
    json_t *p = revoked_payload();
    struct yw_err err = { 0 };
    assert_int_equal(yw_events_publish(yw_failfx_conn(f), YW_EV_LICENSE_REVOKED, p, &err),
                     YW_EINTERNAL);
    assert_int_equal(mine.calls, 0);
    json_decref(p);
}

/* An after-commit subscriber writes a row of its own (so a rolled-back
 * dispatch is seen) and fails while ctx->fail is set. */
struct after_seen {
    int calls;
    int fail;
    int64_t id;
};

static int
after_subscriber(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                 struct yw_err *err)
{
    struct after_seen *s = ctx;
    s->calls++;
    s->id = yw_events_current_id();
    int rc = yw_db_run(c, "INSERT INTO rate_buckets (k, tokens, last_ms) VALUES (?, 0, 0)",
                       "s", json_string_value(json_object_get(payload, "id")));
    if (rc == 0 && s->fail)
        rc = yw_fail(err, YW_ESTATE, "", "told to fail");
    return rc;
}

static int64_t
count(struct yw_failfx *f, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(yw_db_one_int(yw_failfx_conn(f), &n, sql, NULL), 0);
    return n;
}

/* Publishing runs no after-commit subscriber: it leaves a pending row with
 * the outbox row; a drain runs the subscriber once, on the event's id, and
 * removes the row; another drain finds nothing.  An event without
 * after-commit subscribers leaves no pending row. */
static void
test_after_commit(void **state)
{
    struct yw_failfx *f = *state;
    struct after_seen after = { 0 };
    struct seen now = { 0 };
    yw_events_subscribe(YW_EV_LICENSE_REVOKED, subscriber, &now);
    yw_events_subscribe_after(YW_EV_LICENSE_REVOKED, after_subscriber, &after);
    json_t *p = revoked_payload();
    struct yw_err err;
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, p, &err), 0);
    assert_int_equal(now.calls, 1);
    assert_int_equal(after.calls, 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox_pending"), 1);
    int64_t id = count(f, "SELECT MAX(id) FROM outbox_events");
    assert_int_equal(count(f, "SELECT MAX(event_id) FROM outbox_pending"), id);

    int done = -1;
    assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(done, 1);
    assert_int_equal(after.calls, 1);
    assert_int_equal(after.id, id);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM rate_buckets"), 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox_pending"), 0);
    assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(done, 0);
    assert_int_equal(after.calls, 1);
    assert_int_equal(yw_events_current_id(), 0); /* outside a dispatch */

    json_t *q = json_pack("{s:s, s:s, s:s}", "id", "x", "status", "suspended", "dept", "XH-SCJ");
    assert_int_equal(publish(f, YW_EV_LICENSE_SUSPENDED, q, &err), 0); /* nobody after it */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox_pending"), 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox_events"), 2);
    json_decref(q);
    json_decref(p);
    json_decref(now.payload);
}

/* A failing after-commit subscriber rolls back alone: its row is not
 * written, the event stays pending with an attempt counted and the error
 * kept, and the events after it are still handled; once it succeeds the
 * event is done, and after YW_EVENTS_MAX_ATTEMPTS failures it is left. */
static void
test_after_commit_failure(void **state)
{
    struct yw_failfx *f = *state;
    struct after_seen after = { .fail = 1 };
    yw_events_subscribe_after(YW_EV_LICENSE_REVOKED, after_subscriber, &after);
    struct yw_err err;
    json_t *p = revoked_payload();
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, p, &err), 0);
    int done = -1;
    assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(done, 0);
    assert_int_equal(after.calls, 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM rate_buckets"), 0);
    assert_int_equal(count(f, "SELECT attempts FROM outbox_pending"), 1);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM outbox_pending WHERE last_error LIKE '%told to fail%'"), 1);

    after.fail = 0; /* the next pass */
    assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(done, 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM rate_buckets"), 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox_pending"), 0);

    after.fail = 1;
    json_object_set_new(p, "id", json_string("2"));
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, p, &err), 0);
    for (int i = 0; i < YW_EVENTS_MAX_ATTEMPTS + 3; i++)
        assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(count(f, "SELECT attempts FROM outbox_pending"), YW_EVENTS_MAX_ATTEMPTS);
    int64_t waiting = -1, stuck = -1;
    assert_int_equal(yw_events_backlog(yw_failfx_conn(f), &waiting, &stuck), 0);
    assert_int_equal(waiting, 0);
    assert_int_equal(stuck, 1);
    json_decref(p);
}

/* On SQLite a round runs as a job of the group-commit batcher once one is
 * given (http/server.c does): the subscriber's row and the removal of the
 * pending row commit with the batch, a failing subscriber still rolls back
 * alone and its event stays pending with the attempt counted; the rounds are
 * counted as the batch's.  PostgreSQL keeps a transaction of its own per
 * round, batcher or not. */
static void
test_after_commit_in_batch(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_db_batcher *b = NULL;
    struct yw_err err = { 0 };
    assert_int_equal(yw_db_batcher_start(f->db, NULL, &b, &err), 0);
    yw_events_use_batcher(b);
    struct after_seen after = { 0 };
    yw_events_subscribe_after(YW_EV_LICENSE_REVOKED, after_subscriber, &after);
    json_t *p = revoked_payload();
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, p, &err), 0);
    uint64_t own0, batched0, own1, batched1;
    yw_events_rounds(&own0, &batched0);
    int done = -1;
    assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(done, 1);
    assert_int_equal(after.calls, 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM rate_buckets"), 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox_pending"), 0);
    yw_events_rounds(&own1, &batched1);
    if (yw_db_engine(f->db) == YW_DB_SQLITE) {
        assert_int_equal(batched1 - batched0, 1);
        assert_int_equal(own1 - own0, 0);
    } else {
        assert_int_equal(own1 - own0, 1);
        assert_int_equal(batched1 - batched0, 0);
    }

    after.fail = 1; /* fails alone, in the batch */
    json_object_set_new(p, "id", json_string("2"));
    assert_int_equal(publish(f, YW_EV_LICENSE_REVOKED, p, &err), 0);
    assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(done, 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM rate_buckets"), 1);
    assert_int_equal(count(f, "SELECT attempts FROM outbox_pending"), 1);
    after.fail = 0;
    assert_int_equal(yw_events_drain(f->db, &done, &err), 0);
    assert_int_equal(done, 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM rate_buckets"), 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox_pending"), 0);
    assert_int_equal(yw_events_current_id(), 0);

    yw_events_use_batcher(NULL);
    yw_db_batcher_stop(b);
    json_decref(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test_setup_teardown(test_publish_complete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publish_missing_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publish_outside_tx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_after_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_after_commit_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_after_commit_in_batch, setup, teardown),
    };
    return YW_TEST_RUN_ENGINES("events", tests, engine);
}
