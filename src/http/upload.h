/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Receiving a multipart upload as it streams in: the part named "file" goes
 * to a temporary file (hashed on the way), the other parts, which must be
 * small, become ordinary form fields.  Parsing is libmicrohttpd's post
 * processor. */
#ifndef AULA_UPLOAD_H
#define AULA_UPLOAD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "http.h"

struct upload_state;

enum upload_end { UPLOAD_OK, UPLOAD_TOO_LARGE, UPLOAD_MALFORMED, UPLOAD_IO_ERROR };

/* NULL when the body is not multipart/form-data. */
struct upload_state *upload_begin(request *req, struct MHD_Connection *conn, const char *dir,
                                  uint64_t max_bytes);
/* Feeds a chunk of the body; false once the upload cannot succeed (it is
 * then only drained). */
bool upload_feed(struct upload_state *u, const char *data, size_t n);
/* Ends the body: fills req->upload and req->raw (the other fields). */
enum upload_end upload_finish(struct upload_state *u, request *req);
/* Removes the temporary file if the handler left it, and frees the state.
 * Also what an interrupted upload gets. */
void upload_release(struct upload_state *u);

#endif
