/* Page handlers, grouped in one file per area, and the route table that
 * lists them all (routes.c). */
#ifndef AULA_PAGES_H
#define AULA_PAGES_H

#include "../http/http.h"
#include "../http/server.h"

extern const struct server_app aula_app;

/* render.c */
/* A complete HTML page from a template with data, in the request's language,
 * or the same data as JSON when the client asks for it (?format=json or
 * Accept: application/json). */
void res_page(request *req, response *res, int status, const char *template_name, json_t *data);
/* An error page (404, 403, 413, ...) in the visitor's language. */
void res_error(request *req, response *res, int status, const char *message_key);


/* public.c */
void page_home(request *req, response *res);
void page_event(request *req, response *res);
void page_agenda(request *req, response *res);
void page_course(request *req, response *res);
void page_speakers(request *req, response *res);
void page_healthz(request *req, response *res);
void page_static(request *req, response *res);

/* calendar.c */
void page_event_ics(request *req, response *res);
void page_course_ics(request *req, response *res);

/* api.c */
void api_events(request *req, response *res);
void api_event(request *req, response *res);

/* auth.c */
void page_login_form(request *req, response *res);
void page_login(request *req, response *res);
void page_logout(request *req, response *res);
void authenticate(request *req);
extern const struct form_spec login_form;

/* admin.c */
void admin_home(request *req, response *res);
void admin_edition(request *req, response *res);
void admin_edit_form(request *req, response *res);
void admin_edit(request *req, response *res);
void admin_new_form(request *req, response *res);
void admin_create(request *req, response *res);
void admin_delete(request *req, response *res);
void admin_move(request *req, response *res);
void admin_audit(request *req, response *res);
extern const struct form_spec move_form;

/* Data changed: cached public pages must be rendered again. */
void programme_changed(void);

#endif
