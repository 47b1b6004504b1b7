/*
 * test_router.c - unit tests of the route table (http/router.h): building from
 * module descriptors, literal-beats-capture matching, path parameters, 404 and
 * 405 with the Allow list, HEAD as GET, duplicate and malformed routes, and
 * test-only routes.
 */
#include "testutil.h"

#include "http/router.h"

#include <string.h>

static int
h_ok(struct yw_req *req)
{
    (void)req;
    return 0;
}

/* The fake module's table; the capture route comes before the literal one on
 * purpose, so that table order cannot be what makes the literal win. */
enum {
    R_A,
    R_ITEM,
    R_SEARCH,
    R_ACCEPT,
    R_CLOCK,
    R_NROUTES
};
static const struct yw_route fake_routes[] = {
    [R_A] = { "GET", "/a", h_ok, 0, YW_R_PUBLIC, NULL, "a" },
    [R_ITEM] = { "GET", "/items/{code}", h_ok, 0, 0, NULL, "one item" },
    [R_SEARCH] = { "GET", "/items/search", h_ok, 0, 0, NULL, "search items" },
    [R_ACCEPT] = { "POST", "/items/{code}/accept", h_ok, YW_ROLE_WINDOW_CLERK, YW_R_WRITE, NULL,
                   "accept" },
    [R_CLOCK] = { "POST", "/test/clock", h_ok, 0, YW_R_TEST | YW_R_PUBLIC, NULL, "move the clock" },
};
static const struct yw_module fake_module = { "fake", NULL, NULL, fake_routes, R_NROUTES };
static const struct yw_module *const fake_mods[] = { &fake_module };

struct fx {
    struct yw_router *r;
    struct yw_req req;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    struct yw_err err = { 0 };
    if (yw_router_build(fake_mods, 1, false, &f->r, &err) != 0) {
        fprintf(stderr, "router build failed: %s\n", err.msg);
        free(f);
        return -1;
    }
    yw_arena_init(&f->req.arena, 0);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    yw_arena_release(&f->req.arena);
    yw_router_free(f->r);
    free(f);
    return 0;
}

static enum yw_match
match(struct fx *f, const char *method, const char *path, const char **allow)
{
    f->req.route = NULL;
    f->req.nparams = 0;
    return yw_router_match(f->r, &f->req, method, path, allow);
}

static void
test_build_and_list(void **state)
{
    struct fx *f = *state;
    /* the test-only route is left out without test_api */
    assert_int_equal(yw_router_count(f->r), R_NROUTES - 1);
    for (size_t i = 0; i < R_NROUTES - 1; i++) {
        assert_ptr_equal(yw_router_at(f->r, i), &fake_routes[i]);
        assert_int_equal(yw_router_index(f->r, &fake_routes[i]), i);
    }
    assert_null(yw_router_at(f->r, R_NROUTES - 1));
    assert_int_equal(yw_router_index(f->r, &fake_routes[R_CLOCK]), yw_router_count(f->r));
    yw_router_free(NULL); /* no-op */
}

static void
test_literal_beats_capture(void **state)
{
    struct fx *f = *state;
    assert_int_equal(match(f, "GET", "/items/search", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_SEARCH]);
    assert_int_equal(f->req.nparams, 0);

    /* anything else in that position is captured */
    assert_int_equal(match(f, "GET", "/items/searchx", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_ITEM]);
    assert_string_equal(yw_req_param(&f->req, "code"), "searchx");
    assert_int_equal(match(f, "GET", "/items/Search", NULL), YW_MATCH_OK); /* case-sensitive */
    assert_ptr_equal(f->req.route, &fake_routes[R_ITEM]);

    /* the literal also wins when it is listed first */
    static const struct yw_route rev[] = {
        { "GET", "/x/new", h_ok, 0, 0, NULL, "" },
        { "GET", "/x/{id}", h_ok, 0, 0, NULL, "" },
    };
    const struct yw_module m = { "rev", NULL, NULL, rev, 2 };
    const struct yw_module *mods[] = { &m };
    struct yw_router *r2 = NULL;
    assert_int_equal(yw_router_build(mods, 1, false, &r2, NULL), 0);
    assert_int_equal(yw_router_match(r2, &f->req, "GET", "/x/new", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &rev[0]);
    assert_int_equal(yw_router_match(r2, &f->req, "GET", "/x/old", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &rev[1]);
    yw_router_free(r2);
}

static void
test_params(void **state)
{
    struct fx *f = *state;
    assert_int_equal(match(f, "GET", "/items/11310104MB2F00001X", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_ITEM]);
    assert_int_equal(f->req.nparams, 1);
    assert_string_equal(f->req.param_names[0], "code");
    assert_string_equal(f->req.param_values[0], "11310104MB2F00001X");
    assert_string_equal(yw_req_param(&f->req, "code"), "11310104MB2F00001X");
    assert_null(yw_req_param(&f->req, "other"));

    assert_int_equal(match(f, "POST", "/items/A-7/accept", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_ACCEPT]);
    assert_int_equal(f->req.nparams, 1);
    assert_string_equal(yw_req_param(&f->req, "code"), "A-7");

    /* UTF-8 in a segment is passed through as bytes */
    assert_int_equal(match(f, "GET", "/items/徐汇", NULL), YW_MATCH_OK);
    assert_string_equal(yw_req_param(&f->req, "code"), "徐汇");

    /* a literal route has no params */
    assert_int_equal(match(f, "GET", "/a", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_A]);
    assert_int_equal(f->req.nparams, 0);

    /* several captures, in path order */
    static const struct yw_route multi[] = {
        { "GET", "/d/{dept}/items/{code}/v/{ver}", h_ok, 0, 0, NULL, "" },
    };
    const struct yw_module m = { "multi", NULL, NULL, multi, 1 };
    const struct yw_module *mods[] = { &m };
    struct yw_router *r2 = NULL;
    assert_int_equal(yw_router_build(mods, 1, false, &r2, NULL), 0);
    assert_int_equal(yw_router_match(r2, &f->req, "GET", "/d/310104/items/X1/v/3", NULL),
                     YW_MATCH_OK);
    assert_int_equal(f->req.nparams, 3);
    assert_string_equal(f->req.param_names[0], "dept");
    assert_string_equal(f->req.param_names[1], "code");
    assert_string_equal(f->req.param_names[2], "ver");
    assert_string_equal(yw_req_param(&f->req, "dept"), "310104");
    assert_string_equal(yw_req_param(&f->req, "code"), "X1");
    assert_string_equal(yw_req_param(&f->req, "ver"), "3");
    yw_router_free(r2);
}

static void
test_no_path(void **state)
{
    struct fx *f = *state;
    const char *allow = "untouched";
    const char *paths[] = { "/nope",
                            "/",
                            "",
                            "/a/b",
                            "/items",
                            "/items/x/y",
                            "/items/x/accept/more",
                            "/items//accept",
                            "//a",
                            "/test/clock",
                            "a",
                            "/A" };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        enum yw_match m = match(f, "GET", paths[i], &allow);
        if (m != YW_MATCH_NO_PATH)
            fail_msg("GET '%s': expected NO_PATH, got %d", paths[i], (int)m);
        assert_null(f->req.route);
    }
    assert_string_equal(allow, "untouched");
    /* an unknown path stays unknown with other methods */
    assert_int_equal(match(f, "POST", "/nope", &allow), YW_MATCH_NO_PATH);
}

static void
test_no_method(void **state)
{
    struct fx *f = *state;
    const char *allow = NULL;
    assert_int_equal(match(f, "DELETE", "/a", &allow), YW_MATCH_NO_METHOD);
    assert_null(f->req.route);
    assert_non_null(allow);
    assert_string_equal(allow, "GET");

    allow = NULL;
    assert_int_equal(match(f, "GET", "/items/X/accept", &allow), YW_MATCH_NO_METHOD);
    assert_string_equal(allow, "POST");

    /* two GET routes match /items/search: GET is listed once */
    allow = NULL;
    assert_int_equal(match(f, "POST", "/items/search", &allow), YW_MATCH_NO_METHOD);
    assert_string_equal(allow, "GET");

    /* allow may be NULL */
    assert_int_equal(match(f, "PUT", "/a", NULL), YW_MATCH_NO_METHOD);

    /* methods are case-sensitive tokens */
    assert_int_equal(match(f, "get", "/a", &allow), YW_MATCH_NO_METHOD);

    /* several methods on one path, in table order */
    static const struct yw_route many[] = {
        { "GET", "/r/{id}", h_ok, 0, 0, NULL, "" },
        { "PUT", "/r/{id}", h_ok, 0, 0, NULL, "" },
        { "DELETE", "/r/{id}", h_ok, 0, 0, NULL, "" },
        { "POST", "/r/new", h_ok, 0, 0, NULL, "" },
    };
    const struct yw_module m = { "many", NULL, NULL, many, 4 };
    const struct yw_module *mods[] = { &m };
    struct yw_router *r2 = NULL;
    assert_int_equal(yw_router_build(mods, 1, false, &r2, NULL), 0);
    allow = NULL;
    assert_int_equal(yw_router_match(r2, &f->req, "PATCH", "/r/5", &allow), YW_MATCH_NO_METHOD);
    assert_string_equal(allow, "GET, PUT, DELETE");
    allow = NULL;
    assert_int_equal(yw_router_match(r2, &f->req, "PATCH", "/r/new", &allow), YW_MATCH_NO_METHOD);
    assert_string_equal(allow, "GET, PUT, DELETE, POST");
    /* POST /r/new matches the literal; DELETE /r/new the capture */
    assert_int_equal(yw_router_match(r2, &f->req, "POST", "/r/new", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &many[3]);
    assert_int_equal(yw_router_match(r2, &f->req, "DELETE", "/r/new", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &many[2]);
    assert_string_equal(yw_req_param(&f->req, "id"), "new");
    yw_router_free(r2);
}

static void
test_head_is_get(void **state)
{
    struct fx *f = *state;
    assert_int_equal(match(f, "HEAD", "/a", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_A]);
    assert_int_equal(match(f, "HEAD", "/items/K9", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_ITEM]);
    assert_string_equal(yw_req_param(&f->req, "code"), "K9");
    assert_int_equal(match(f, "HEAD", "/items/search", NULL), YW_MATCH_OK);
    assert_ptr_equal(f->req.route, &fake_routes[R_SEARCH]);
    /* not for POST routes */
    const char *allow = NULL;
    assert_int_equal(match(f, "HEAD", "/items/K9/accept", &allow), YW_MATCH_NO_METHOD);
    assert_string_equal(allow, "POST");
}

static void
test_duplicate_and_malformed(void **state)
{
    (void)state;
    struct yw_err err = { 0 };
    struct yw_router *r = NULL;

    /* duplicate inside one module */
    static const struct yw_route dup[] = {
        { "GET", "/a", h_ok, 0, 0, NULL, "" },
        { "POST", "/a", h_ok, 0, 0, NULL, "" },
        { "GET", "/a", h_ok, 0, 0, NULL, "" },
    };
    const struct yw_module md = { "dupmod", NULL, NULL, dup, 3 };
    const struct yw_module *mods1[] = { &md };
    assert_int_equal(yw_router_build(mods1, 1, false, &r, &err), YW_ECONFIG);
    assert_null(r);
    assert_string_equal(err.field, "route");
    assert_non_null(strstr(err.msg, "duplicate route GET /a"));
    assert_non_null(strstr(err.msg, "dupmod"));

    /* duplicate across two modules */
    static const struct yw_route other[] = { { "GET", "/items/search", h_ok, 0, 0, NULL, "" } };
    const struct yw_module mo = { "other", NULL, NULL, other, 1 };
    const struct yw_module *mods2[] = { &fake_module, &mo };
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_router_build(mods2, 2, false, &r, &err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "GET /items/search"));
    assert_non_null(strstr(err.msg, "other"));

    /* a duplicate of a test-only route counts only when test routes are on */
    static const struct yw_route clock2[] = { { "POST", "/test/clock", h_ok, 0, 0, NULL, "" } };
    const struct yw_module mc = { "clock2", NULL, NULL, clock2, 1 };
    const struct yw_module *mods3[] = { &fake_module, &mc };
    struct yw_router *ok = NULL;
    assert_int_equal(yw_router_build(mods3, 2, false, &ok, NULL), 0);
    yw_router_free(ok);
    assert_int_equal(yw_router_build(mods3, 2, true, &r, NULL), YW_ECONFIG);

    /* a path that does not start with '/' */
    static const struct yw_route bad[] = { { "GET", "items", h_ok, 0, 0, NULL, "" } };
    const struct yw_module mb = { "bad", NULL, NULL, bad, 1 };
    const struct yw_module *mods4[] = { &mb };
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_router_build(mods4, 1, false, &r, &err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "items"));

    /* too many segments */
    static const struct yw_route deep[] = { { "GET", "/1/2/3/4/5/6/7/8/9/10/11/12/13", h_ok, 0, 0,
                                              NULL, "" } };
    const struct yw_module mdp = { "deep", NULL, NULL, deep, 1 };
    const struct yw_module *mods5[] = { &mdp };
    assert_int_equal(yw_router_build(mods5, 1, false, &r, NULL), YW_ECONFIG);

    /* no modules: an empty table that matches nothing */
    assert_int_equal(yw_router_build(NULL, 0, false, &ok, NULL), 0);
    assert_int_equal(yw_router_count(ok), 0);
    struct yw_req req;
    memset(&req, 0, sizeof req);
    yw_arena_init(&req.arena, 0);
    assert_int_equal(yw_router_match(ok, &req, "GET", "/a", NULL), YW_MATCH_NO_PATH);
    yw_arena_release(&req.arena);
    yw_router_free(ok);
}

static void
test_test_routes(void **state)
{
    (void)state;
    struct yw_router *r = NULL;
    assert_int_equal(yw_router_build(fake_mods, 1, true, &r, NULL), 0);
    assert_int_equal(yw_router_count(r), R_NROUTES);
    assert_ptr_equal(yw_router_at(r, R_CLOCK), &fake_routes[R_CLOCK]);
    struct yw_req req;
    memset(&req, 0, sizeof req);
    yw_arena_init(&req.arena, 0);
    assert_int_equal(yw_router_match(r, &req, "POST", "/test/clock", NULL), YW_MATCH_OK);
    assert_ptr_equal(req.route, &fake_routes[R_CLOCK]);
    /* the ordinary routes are all still there */
    assert_int_equal(yw_router_match(r, &req, "GET", "/items/search", NULL), YW_MATCH_OK);
    assert_ptr_equal(req.route, &fake_routes[R_SEARCH]);
    yw_arena_release(&req.arena);
    yw_router_free(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_build_and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literal_beats_capture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_is_get, setup, teardown),
        cmocka_unit_test(test_duplicate_and_malformed),
        cmocka_unit_test(test_test_routes),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
