/*
 * test_notices.c - which notice a case has (src/cases/notices.c).
 *
 * GET /api/v1/cases/{case_no}/receipt.pdf answers the notice that fits the
 * case's status ("auto"); /notices/{kind}.pdf one kind, or 409 while it does
 * not apply: the receipt once submitted, the acceptance notice once accepted
 * (《行政许可法》第三十二条), the one-time supplement notice once sent, the
 * not-accepted notice and the decision (第三十八条) once decided.  Cases here
 * are made by hand (no rows behind them: no materials, no reviews).
 */
#include "failfx.h"

#include "cases/internal.h"

static int engine;

static int
setup(void **state)
{
    return yw_failfx_setup(state, engine, false);
}

static struct yw_case
hand_case(const char *status, bool accepted, bool supplement)
{
    return (struct yw_case){
        .id = 1,
        .case_no = "XH20260105000001",
        .kind = "item",
        .code = "XH-T-001",
        .title = "测试事项",
        .dept = "XH-T",
        .applicant_id = 5,
        .applicant_kind = "person",
        .applicant_name = "张三",
        .applicant_ident = "310104199003072013",
        .channel = "online",
        .status = status,
        .form = "{}",
        .created_at = "2026-01-05T09:00:00.000Z",
        .submitted_at = "2026-01-05T09:00:00.000Z",
        .accepted_at = accepted ? "2026-01-06T09:00:00.000Z" : "",
        .decided_at = "",
        .pause_kind = "",
        .supplement = supplement ? "{\"items\":[{\"what\":\"name\",\"reason\":\"写错了\"}]}" : "",
        .result_note = "不符合条件",
        .updated_at = "",
        .promised_days = 3,
        .legal_days = 20
    };
}

static int
notice(struct yw_failfx *f, const struct yw_case *k, const char *kind, struct yw_err *err)
{
    char *pdf = NULL;
    size_t len = 0;
    memset(err, 0, sizeof *err);
    int rc = yw_case__notice(yw_failfx_conn(f), k, kind, "http://test", &pdf, &len, err);
    if (rc == 0) {
        assert_true(len > 4 && !memcmp(pdf, "%PDF", 4));
        assert_true(strlen(err->msg) == 0);
    } else {
        assert_null(pdf);
    }
    free(pdf);
    return rc;
}

/* "auto": the status decides; a draft and a withdrawn case have none. */
static void
test_auto(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_err err;
    static const struct {
        const char *status;
        bool accepted, supplement;
        int rc;
    } rows[] = {
        { "draft", false, false, YW_ESTATE },
        { "submitted", false, false, 0 },
        { "supplement_requested", false, true, 0 },
        { "accepted", true, false, 0 },
        { "approved", true, false, 0 },
        { "denied", true, false, 0 },
        { "not_accepted", false, false, 0 },
        { "withdrawn", false, false, YW_ESTATE },
        { "supplement_requested", false, false, YW_ESTATE }, /* no notice was sent */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct yw_case k = hand_case(rows[i].status, rows[i].accepted, rows[i].supplement);
        int rc = notice(f, &k, "auto", &err);
        if (rc != rows[i].rc)
            fail_msg("auto notice of a %s case: %d (%s), expected %d", rows[i].status, rc, err.msg,
                     rows[i].rc);
    }
    struct yw_case k = hand_case("withdrawn", false, false);
    assert_int_equal(notice(f, &k, "auto", &err), YW_ESTATE);
    assert_string_equal(err.msg, "case 'XH20260105000001' is 'withdrawn': it has no notice");
    /* auto resolved to a kind that does not exist yet: the message names it */
    k = hand_case("supplement_requested", false, false);
    assert_int_equal(notice(f, &k, "auto", &err), YW_ESTATE);
    assert_string_equal(
        err.msg,
        "case 'XH20260105000001' is 'supplement_requested': there is no supplement notice for it");
}

/* One kind asked for: there once its event happened, 409 before. */
static void
test_kinds(void **state)
{
    struct yw_failfx *f = *state;
    struct yw_err err;
    struct yw_case draft = hand_case("draft", false, false);
    struct yw_case submitted = hand_case("submitted", false, false);
    struct yw_case resubmitted =
        hand_case("submitted", false, true); /* supplemented after the notice */
    struct yw_case accepted = hand_case("accepted", true, false);
    struct yw_case approved = hand_case("approved", true, true);
    struct yw_case refused = hand_case("not_accepted", false, false);

    assert_int_equal(notice(f, &draft, "receipt", &err), YW_ESTATE);
    assert_int_equal(notice(f, &submitted, "receipt", &err), 0);
    assert_int_equal(notice(f, &approved, "receipt", &err), 0);

    assert_int_equal(notice(f, &submitted, "acceptance", &err), YW_ESTATE);
    assert_int_equal(notice(f, &accepted, "acceptance", &err), 0);
    assert_int_equal(notice(f, &approved, "acceptance", &err), 0);

    assert_int_equal(notice(f, &submitted, "supplement", &err), YW_ESTATE);
    assert_int_equal(notice(f, &resubmitted, "supplement", &err), 0);
    assert_int_equal(notice(f, &approved, "supplement", &err), 0);

    assert_int_equal(notice(f, &accepted, "not_accepted", &err), YW_ESTATE);
    assert_int_equal(notice(f, &refused, "not_accepted", &err), 0);

    assert_int_equal(notice(f, &accepted, "decision", &err), YW_ESTATE);
    assert_string_equal(
        err.msg, "case 'XH20260105000001' is 'accepted': there is no decision notice for it");
    assert_int_equal(notice(f, &approved, "decision", &err), 0);

    assert_int_equal(notice(f, &approved, "permit", &err), YW_ESTATE);
    assert_string_equal(err.msg,
                        "case 'XH20260105000001' is 'approved': there is no permit notice for it");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_auto, setup, yw_failfx_teardown),
        cmocka_unit_test_setup_teardown(test_kinds, setup, yw_failfx_teardown),
    };
    return YW_TEST_RUN_ENGINES("notices", tests, engine);
}
