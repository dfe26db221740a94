/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What every download needs: the saved file's name, HTTP dates, byte
 * ranges (so video seeks), and a table sent as an XLSX workbook. */
#ifndef AULA_DOWNLOAD_H
#define AULA_DOWNLOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "http.h"

/* Content-Disposition ("inline" or "attachment") with the original UTF-8
 * name (RFC 6266 and 8187), plus a plain ASCII fallback for old clients. */
const char *content_disposition(arena *a, const char *kind, const char *name);

/* t as an HTTP date (RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"). */
void http_date(time_t t, char *out, size_t n);

enum range_kind { RANGE_NONE, RANGE_ONE, RANGE_BAD };

/* A Range header h against a file of size bytes: one "bytes=a-b",
 * "bytes=a-" or "bytes=-n" range (digits only) gives RANGE_ONE with from
 * and len; a valid one that cannot be satisfied RANGE_BAD (416); anything
 * else, a malformed header (ignored, as RFC 9110 says) or several ranges
 * (not served as multipart: the whole file is sent instead, which RFC 9110
 * allows), RANGE_NONE. */
enum range_kind parse_range(const char *h, uint64_t size, uint64_t *from, uint64_t *len);

/* Answers with a table as an .xlsx download named filename (no-store).
 * libxlsxwriter writes files: a private temporary one in tmp_dir, read
 * back and removed.  False, with nothing sent, when it cannot be made. */
bool send_xlsx(request *req, response *res, const char *tmp_dir, const char *sheet,
               json_t *headers, json_t *rows, const char *filename);

#endif
