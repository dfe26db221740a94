/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Which address is the client: X-Forwarded-For is believed only from the
 * configured proxies, and only as far back as trusted hops vouch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "http/proxies.h"

static const char *client(const char *peer, const char *xff)
{
    static char buf[INET6_ADDRSTRLEN];
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, peer, &v4->sin_addr) == 1)
        v4->sin_family = AF_INET;
    else if (inet_pton(AF_INET6, peer, &v6->sin6_addr) == 1)
        v6->sin6_family = AF_INET6;
    else
        fail_msg("bad peer %s", peer);
    assert_true(proxies_client((struct sockaddr *)&ss, xff, buf, sizeof buf));
    return buf;
}

static void no_proxies_means_the_peer(void **state)
{
    (void)state;
    assert_true(proxies_configure(""));
    assert_string_equal(client("127.0.0.1", "203.0.113.5"), "127.0.0.1");
    assert_string_equal(client("2001:db8::1", "203.0.113.5"), "2001:db8::1");
    assert_true(proxies_configure(NULL));
    assert_string_equal(client("192.0.2.1", "203.0.113.5"), "192.0.2.1");
}

static void untrusted_peer_is_ignored(void **state)
{
    (void)state;
    assert_true(proxies_configure("127.0.0.1, ::1"));
    assert_string_equal(client("192.0.2.9", "203.0.113.5"), "192.0.2.9");
    assert_string_equal(client("192.0.2.9", "127.0.0.1"), "192.0.2.9");
}

static void trusted_peer_names_the_client(void **state)
{
    (void)state;
    assert_true(proxies_configure("127.0.0.1, ::1"));
    assert_string_equal(client("127.0.0.1", "203.0.113.5"), "203.0.113.5");
    assert_string_equal(client("::1", " 203.0.113.5 "), "203.0.113.5");
    /* A dual-stack socket's IPv4-mapped form is the same proxy. */
    assert_string_equal(client("::ffff:127.0.0.1", "2001:db8::7"), "2001:db8::7");
    /* No header: the proxy itself. */
    assert_string_equal(client("127.0.0.1", NULL), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", ""), "127.0.0.1");
    /* Whatever the client wrote before the proxy's entry is not believed. */
    assert_string_equal(client("127.0.0.1", "198.51.100.1, 203.0.113.5"), "203.0.113.5");
    /* Through trusted hops, back to the first untrusted one. */
    assert_string_equal(client("127.0.0.1", "198.51.100.1, 203.0.113.5, 127.0.0.1, ::1"),
                        "203.0.113.5");
    /* A malformed entry ends the walk at the last believable hop. */
    assert_string_equal(client("127.0.0.1", "203.0.113.5, junk"), "127.0.0.1");
    assert_string_equal(client("127.0.0.1", "[2001:db8::9]"), "2001:db8::9");
}

static void networks_and_malformed_lists(void **state)
{
    (void)state;
    assert_true(proxies_configure("10.0.0.0/8 fd00::/8"));
    assert_string_equal(client("10.1.2.3", "203.0.113.5"), "203.0.113.5");
    assert_string_equal(client("11.1.2.3", "203.0.113.5"), "11.1.2.3");
    assert_string_equal(client("fd12::1", "203.0.113.5"), "203.0.113.5");
    assert_string_equal(client("fe80::1", "203.0.113.5"), "fe80::1");
    assert_true(proxies_configure("192.168.1.128/25"));
    assert_string_equal(client("192.168.1.200", "203.0.113.5"), "203.0.113.5");
    assert_string_equal(client("192.168.1.100", "203.0.113.5"), "192.168.1.100");
    const char *bad[] = {"localhost", "127.0.0.1/33", "::1/129", "10.0.0.0/", "1.2.3",
                         "127.0.0.1, nope", "10.0.0.0/x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(proxies_valid(bad[i]));
        /* A refused list trusts nobody. */
        assert_false(proxies_configure(bad[i]));
        assert_string_equal(client("127.0.0.1", "203.0.113.5"), "127.0.0.1");
    }
    assert_true(proxies_valid("127.0.0.1,::1"));
    assert_true(proxies_valid(" "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_proxies_means_the_peer),
        cmocka_unit_test(untrusted_peer_is_ignored),
        cmocka_unit_test(trusted_peer_names_the_client),
        cmocka_unit_test(networks_and_malformed_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
