/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Trusted reverse proxies: whose X-Forwarded-For header tells the client's
 * address.  From anyone else the header is ignored, since a client can send
 * whatever it likes in it. */
#ifndef AULA_PROXIES_H
#define AULA_PROXIES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Whether list ("127.0.0.1, ::1, 10.0.0.0/8"; empty: none) is well formed. */
bool proxies_valid(const char *list);
/* Sets the trusted proxies (false, keeping none, on a malformed list). */
bool proxies_configure(const char *list);
/* The client's address: the peer's, or when the peer is a trusted proxy,
 * the nearest address in xff (the last X-Forwarded-For header, may be NULL)
 * that is not itself a trusted proxy.  Written into buf (INET6_ADDRSTRLEN);
 * false when the peer is not an IP address. */
bool proxies_client(const struct sockaddr *peer, const char *xff, char *buf, size_t n);

#endif
