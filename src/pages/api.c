/* The public JSON API: the same data the pages render. */
#include "../store/programme_store.h"
#include "pages.h"
#include "programme_view.h"

void api_events(request *req, response *res)
{
    json_t *list = edition_list(false);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_object_set_new(e, "url", json_sprintf("%s/api/v1/events/%s", server_origin(),
                                                   json_string_value(json_object_get(e, "slug"))));
    }
    res_json(req, res, 200, list);
}

void api_event(request *req, response *res)
{
    json_t *p = programme_view(req_param(req, "slug"), 0);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    res_json(req, res, 200, p);
}
