/* Every URL Aula answers, with who may use it.  One table, read top to
 * bottom: the first pattern that matches the path and method wins. */
#include "pages.h"

static const struct route routes[] = {
    /* method     pattern                                       handler          access         form        flags */
    {HTTP_GET,  "/healthz",                                    page_healthz,    ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/static/{file}",                              page_static,     ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/",                                           page_home,       ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/events/{slug}",                              page_event,      ACCESS_PUBLIC, NULL,        R_CACHE},
    {HTTP_GET,  "/events/{slug}/agenda",                       page_agenda,     ACCESS_PUBLIC, NULL,        R_CACHE},
    {HTTP_GET,  "/events/{slug}/speakers",                     page_speakers,   ACCESS_PUBLIC, NULL,        R_CACHE},
    {HTTP_GET,  "/events/{slug}/calendar.ics",                 page_event_ics,  ACCESS_PUBLIC, NULL,        R_CACHE},
    {HTTP_GET,  "/events/{slug}/courses/{course}",             page_course,     ACCESS_PUBLIC, NULL,        R_CACHE},
    {HTTP_GET,  "/events/{slug}/courses/{course}/calendar.ics", page_course_ics, ACCESS_PUBLIC, NULL,       R_CACHE},

    {HTTP_GET,  "/events/{slug}/apply",                        page_apply_form, ACCESS_PUBLIC, NULL,        0},
    {HTTP_POST, "/events/{slug}/apply",                        page_apply,      ACCESS_PUBLIC, &apply_form, 0},
    {HTTP_GET,  "/events/{slug}/apply/done",                   page_apply_done, ACCESS_PUBLIC, NULL,        0},

    {HTTP_GET,  "/api/v1/events",                              api_events,      ACCESS_PUBLIC, NULL,        R_API},
    {HTTP_GET,  "/api/v1/events/{slug}",                       api_event,       ACCESS_PUBLIC, NULL,        R_API},

    {HTTP_GET,  "/api/v1/events/{slug}/applications",          api_applications, ACCESS_COORDINATOR, NULL,  R_API},
    {HTTP_POST, "/api/v1/applications/{id}/decision",          api_decision,    ACCESS_COORDINATOR, NULL,   R_API},

    {HTTP_GET,  "/login",                                      page_login_form, ACCESS_PUBLIC, NULL,        0},
    {HTTP_POST, "/login",                                      page_login,      ACCESS_PUBLIC, &login_form, 0},
    {HTTP_GET,  "/login/{token}",                              page_login_link, ACCESS_PUBLIC, NULL,        0},
    {HTTP_POST, "/logout",                                     page_logout,     ACCESS_PUBLIC, NULL,        0},

    {HTTP_GET,  "/j/{token}",                                  page_join,       ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/api/v1/events/{slug}/attendance",            api_attendance,  ACCESS_COORDINATOR, NULL,   R_API},
    {HTTP_GET,  "/materials/{id}",                             page_material_download, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/events/{slug}/courses/{course}/materials",   page_course_materials, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/events/{slug}/courses/{course}/materials.zip", page_materials_zip, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/api/v1/events/{slug}/courses/{course}/materials", api_materials, ACCESS_PARTICIPANT, NULL, R_API},
    {HTTP_POST, "/api/v1/events/{slug}/courses/{course}/materials", api_material_upload, ACCESS_TRAINER, &material_form, R_API | R_UPLOAD},
    {HTTP_GET,  "/me",                                         page_me,         ACCESS_PARTICIPANT, NULL,   0},
    {HTTP_GET,  "/me/applications/{id}/register",              page_register_form, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_POST, "/me/applications/{id}/register",              page_register,   ACCESS_PARTICIPANT, &register_form, 0},
    {HTTP_POST, "/me/withdraw",                                page_withdraw,   ACCESS_PARTICIPANT, &withdraw_form, 0},

    {HTTP_GET,  "/admin",                                      admin_home,      ACCESS_COORDINATOR, NULL,   0},
    {HTTP_GET,  "/admin/audit",                                admin_audit,     ACCESS_ADMIN,  NULL,        0},
    {HTTP_GET,  "/admin/outbox",                               admin_outbox,    ACCESS_COORDINATOR, NULL,   0},
    {HTTP_POST, "/admin/outbox/resend",                        admin_resend,    ACCESS_COORDINATOR, &resend_form, 0},
    {HTTP_GET,  "/admin/batches/{batch}",                      admin_batch,     ACCESS_COORDINATOR, NULL,   0},
    {HTTP_POST, "/admin/events/{slug}/courses/{course}/invitations", admin_send_invitations, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}",                        admin_edition,   ACCESS_ADMIN,  NULL,        0},
    {HTTP_GET,  "/admin/events/{slug}/applications",           admin_applications, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/applications",           admin_decide,    ACCESS_COORDINATOR, &decide_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/applications.csv",       admin_applications_csv, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/applications.xlsx",      admin_applications_xlsx, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/materials",              admin_materials, ACCESS_TRAINER, NULL,       0},
    {HTTP_POST, "/admin/events/{slug}/materials",              admin_material_upload, ACCESS_TRAINER, &material_form, R_UPLOAD},
    {HTTP_POST, "/admin/events/{slug}/materials/delete",       admin_material_delete, ACCESS_TRAINER, &material_delete_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/attendance",             admin_attendance, ACCESS_COORDINATOR, NULL,  0},
    {HTTP_POST, "/admin/events/{slug}/attendance/import",      admin_attendance_import, ACCESS_COORDINATOR, &attendance_import_form, R_UPLOAD},
    {HTTP_POST, "/admin/events/{slug}/attendance/match",       admin_attendance_match, ACCESS_ADMIN, &attendance_match_form, 0},
    {HTTP_POST, "/admin/events/{slug}/attendance/override",    admin_attendance_override, ACCESS_ADMIN, &attendance_override_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/attendance.csv",         admin_attendance_csv, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/attendance.xlsx",        admin_attendance_xlsx, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/meetings",               admin_meetings,  ACCESS_COORDINATOR, NULL,   0},
    {HTTP_POST, "/admin/events/{slug}/meetings",               admin_meeting_save, ACCESS_COORDINATOR, &meeting_form, 0},
    {HTTP_GET,  "/admin/applications/{id}",                    admin_application, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/{kind}/new",                           admin_new_form,  ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/new",                           admin_create,    ACCESS_ADMIN,  NULL,        0},
    {HTTP_GET,  "/admin/{kind}/{id}/edit",                     admin_edit_form, ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/{id}/edit",                     admin_edit,      ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/{id}/delete",                   admin_delete,    ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/{id}/move",                     admin_move,      ACCESS_ADMIN,  &move_form,  0},
};

const struct server_app aula_app = {
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .authenticate = authenticate,
    .error_page = res_error,
};
