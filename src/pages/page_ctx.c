/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "page_ctx.h"

struct app_ctx page_ctx(request *req)
{
    return (struct app_ctx){
        .a = req->a,
        .lang = req->lang,
        .actor_id = req->user.id,
        .actor = req->user.id ? req->user.email : "public",
        .now = time(NULL),
        .cfg = app_config(),
        .origin = app_origin(),
    };
}

int page_status_of(app_status kind)
{
    switch (kind) {
    case APP_OK: return 200;
    case APP_INVALID: return 422;
    case APP_NOT_FOUND: return 404;
    case APP_CONFLICT: return 409;
    case APP_BUSY: return 503;
    case APP_FORBIDDEN: return 403;
    case APP_FAILED: break;
    }
    return 500;
}
