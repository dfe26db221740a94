/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Matching a method and path against the route table. */
#ifndef AULA_ROUTER_H
#define AULA_ROUTER_H

#include "http.h"

enum route_match { MATCH_NONE, MATCH_FOUND, MATCH_WRONG_METHOD };

/* Finds the route for method and path in table[0..n); fills req's params
 * (copied into its arena) on success.  HEAD matches GET routes. */
enum route_match router_match(const struct route *table, size_t n, http_method method,
                              const char *path, request *req, const struct route **out);

/* Copies path into out (size n) for the access log, with every segment
 * that a route's {token} parameter would match shown as "***": such
 * paths carry a secret (sign-in links, join links), which is never logged. */
void router_mask_secrets(const struct route *table, size_t n, const char *path, char *out,
                         size_t outlen);

#endif
