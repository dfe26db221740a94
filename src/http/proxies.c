/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "proxies.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_PROXIES = 32 };

/* An address as 16 bytes: IPv4 as an IPv4-mapped IPv6 address, so that a
 * dual-stack socket's "::ffff:127.0.0.1" and "127.0.0.1" are one. */
struct net {
    unsigned char addr[16];
    int bits;
};

static struct net proxies[MAX_PROXIES];
static int nproxies;

static bool parse_addr(const char *s, unsigned char out[16], bool *v4)
{
    struct in_addr a4;
    if (inet_pton(AF_INET, s, &a4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &a4, 4);
        *v4 = true;
        return true;
    }
    *v4 = false;
    return inet_pton(AF_INET6, s, out) == 1;
}

/* One entry: an address, optionally "/bits". */
static bool parse_net(const char *s, size_t len, struct net *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    long bits = -1;
    if (slash) {
        char *end;
        *slash = '\0';
        bits = strtol(slash + 1, &end, 10);
        if (*end || end == slash + 1)
            return false;
    }
    bool v4;
    if (!parse_addr(buf, out->addr, &v4))
        return false;
    if (bits < 0)
        bits = v4 ? 32 : 128;
    if (bits > (v4 ? 32 : 128))
        return false;
    out->bits = (int)bits + (v4 ? 96 : 0);
    return true;
}

static int parse_list(const char *list, struct net *out, int max)
{
    int n = 0;
    const char *p = list ? list : "";
    for (;;) {
        p += strspn(p, " \t,");
        if (!*p)
            return n;
        size_t len = strcspn(p, " \t,");
        struct net net;
        if (n == max || !parse_net(p, len, &net))
            return -1;
        if (out)
            out[n] = net;
        n++;
        p += len;
    }
}

bool proxies_valid(const char *list)
{
    return parse_list(list, NULL, MAX_PROXIES) >= 0;
}

bool proxies_configure(const char *list)
{
    int n = parse_list(list, proxies, MAX_PROXIES);
    nproxies = n < 0 ? 0 : n;
    return n >= 0;
}

static bool trusted(const unsigned char a[16])
{
    for (int i = 0; i < nproxies; i++) {
        int bits = proxies[i].bits, full = bits / 8, rest = bits % 8;
        if (memcmp(a, proxies[i].addr, (size_t)full) != 0)
            continue;
        if (rest && ((a[full] ^ proxies[i].addr[full]) & (0xff << (8 - rest)) & 0xff))
            continue;
        return true;
    }
    return false;
}

static void format(const unsigned char a[16], char *buf, size_t n)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(a, mapped, 12) == 0)
        inet_ntop(AF_INET, a + 12, buf, (socklen_t)n);
    else
        inet_ntop(AF_INET6, a, buf, (socklen_t)n);
}

bool proxies_client(const struct sockaddr *peer, const char *xff, char *buf, size_t n)
{
    unsigned char cur[16];
    if (peer->sa_family == AF_INET) {
        memset(cur, 0, 10);
        cur[10] = cur[11] = 0xff;
        memcpy(cur + 12, &((const struct sockaddr_in *)peer)->sin_addr, 4);
    } else if (peer->sa_family == AF_INET6) {
        memcpy(cur, &((const struct sockaddr_in6 *)peer)->sin6_addr, 16);
    } else {
        return false;
    }
    /* From the right: each trusted hop vouches for the address before it.
     * The first address not trusted is the client; a malformed entry ends
     * the walk at the last hop that could be believed. */
    size_t end = xff ? strlen(xff) : 0;
    while (trusted(cur) && end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        const char *e = xff + start;
        size_t len = end - start;
        while (len && (*e == ' ' || *e == '\t'))
            e++, len--;
        while (len && (e[len - 1] == ' ' || e[len - 1] == '\t'))
            len--;
        if (len >= 2 && e[0] == '[' && e[len - 1] == ']')
            e++, len -= 2;
        char one[64];
        unsigned char next[16];
        bool v4;
        if (len == 0 || len >= sizeof one)
            break;
        memcpy(one, e, len);
        one[len] = '\0';
        if (!parse_addr(one, next, &v4))
            break;
        memcpy(cur, next, 16);
        end = start ? start - 1 : 0;
    }
    format(cur, buf, n);
    return true;
}
