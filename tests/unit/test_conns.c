/*
 * test_conns.c - unit tests of the connection table (http/conns.c): the
 * per-address limit, the total limit, an IPv4-mapped IPv6 address counting as
 * its IPv4 address, and places given back.  (The header deadline and the
 * closing of connections need a running server: tests/api/connections.test.js.)
 */
#include "testutil.h"

#include "http/internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static struct sockaddr_storage
v4(const char *ip)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, ip, &a->sin_addr), 1);
    return ss;
}

static struct sockaddr_storage
v6(const char *ip)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, ip, &a->sin6_addr), 1);
    return ss;
}

#define SA(ss) ((const struct sockaddr *)&(ss))

static void
test_per_address(void **state)
{
    (void)state;
    yw_conns__init(&(struct yw_conn_limits){ .total = 100, .per_addr = 3 });
    struct sockaddr_storage a = v4("10.0.0.1"), b = v4("10.0.0.2");
    struct sockaddr_storage a6 = v6("::ffff:10.0.0.1"), c6 = v6("2001:db8::1");
    for (int i = 0; i < 3; i++)
        assert_int_equal(yw_conns__reserve(SA(a)), YW_ADMIT_OK);
    assert_int_equal(yw_conns__reserve(SA(a)), YW_ADMIT_ADDR);
    /* the same address written as IPv4-mapped IPv6 */
    assert_int_equal(yw_conns__reserve(SA(a6)), YW_ADMIT_ADDR);
    /* other addresses are not affected */
    assert_int_equal(yw_conns__reserve(SA(b)), YW_ADMIT_OK);
    assert_int_equal(yw_conns__reserve(SA(c6)), YW_ADMIT_OK);
    /* a place given back can be taken again, once */
    yw_conns__unreserve(SA(a6));
    assert_int_equal(yw_conns__reserve(SA(a)), YW_ADMIT_OK);
    assert_int_equal(yw_conns__reserve(SA(a)), YW_ADMIT_ADDR);
    struct yw_conn_stats s;
    yw_conns__stats(&s);
    assert_int_equal(s.open, 5);
    assert_int_equal(s.limit, 100);
    assert_int_equal(s.refused_addr, 3);
    yw_conns__release();
}

static void
test_total(void **state)
{
    (void)state;
    yw_conns__init(&(struct yw_conn_limits){ .total = 4, .per_addr = 0 });
    struct sockaddr_storage a = v4("10.0.0.1");
    for (int i = 0; i < 4; i++) {
        assert_true(yw_conns__has_room());
        assert_int_equal(yw_conns__reserve(SA(a)), YW_ADMIT_OK); /* no per-address limit */
    }
    assert_false(yw_conns__has_room());
    assert_int_equal(yw_conns__reserve(SA(a)), YW_ADMIT_FULL);
    /* waiting for room at the limit returns after its timeout */
    yw_conns__wait_room(20);
    yw_conns__unreserve(SA(a));
    assert_true(yw_conns__has_room());
    assert_int_equal(yw_conns__reserve(SA(a)), YW_ADMIT_OK);
    /* after wake (the server stops) a wait returns at once */
    yw_conns__wake();
    yw_conns__wait_room(60000);
    yw_conns__release();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_address),
        cmocka_unit_test(test_total),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
