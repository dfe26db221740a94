/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Every URL Aula answers, with who may use it.  One table, read top to
 * bottom: the first pattern that matches the path and method wins. */
#include "evaluation_pages.h"
#include "../app/app.h"
#include "admin.h"
#include "admin_applications.h"
#include "api.h"
#include "apply.h"
#include "attendance.h"
#include "attendance_view.h"
#include "auth.h"
#include "bulk_confirm.h"
#include "calendar.h"
#include "certificates.h"
#include "invitations.h"
#include "materials.h"
#include "me.h"
#include "meetings.h"
#include "messages.h"
#include "people.h"
#include "people_names.h"
#include "public.h"
#include "render.h"
#include "routes.h"
#include "settings.h"
#include "verify_upload.h"
#include "report.h"
#include "../store/db.h"

static const struct route routes[] = {
    /* method     pattern                                       handler          access         form        flags */
    {HTTP_GET,  "/healthz",                                    page_healthz,    ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/static/{file}",                              page_static,     ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/favicon.ico",                                page_favicon,    ACCESS_PUBLIC, NULL,        0},
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
    {HTTP_POST, "/login/{token}",                              page_login_link_use, ACCESS_PUBLIC, NULL,    0},
    {HTTP_GET,  "/password/{token}",                           page_password_form, ACCESS_PUBLIC, NULL,     0},
    {HTTP_POST, "/password/{token}",                           page_password_set, ACCESS_PUBLIC, &password_form, 0},
    {HTTP_GET,  "/logo",                                       page_logo,       ACCESS_PUBLIC, NULL,        0},
    {HTTP_POST, "/logout",                                     page_logout,     ACCESS_PUBLIC, NULL,        0},

    {HTTP_GET,  "/verify",                                     page_verify_lookup, ACCESS_PUBLIC, NULL,     0},
    {HTTP_GET,  "/verify/{number}",                            page_verify,     ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/.well-known/aula-keys.json",                 page_keys,       ACCESS_PUBLIC, NULL,        R_API},
    {HTTP_POST, "/verify",                                     page_verify_upload, ACCESS_PUBLIC, NULL,     R_UPLOAD | R_SMALL_UPLOAD | R_NO_CSRF},
    {HTTP_GET,  "/.well-known/aula-signing.pem",               page_signing_certificates, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET,  "/certificates/{file}",                        page_certificate_file, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/api/v1/events/{slug}/certificates",          api_certificates, ACCESS_COORDINATOR, NULL,  R_API},
    {HTTP_GET,  "/j/{token}",                                  page_join,       ACCESS_PUBLIC, NULL,        0},
    {HTTP_GET,  "/api/v1/events/{slug}/attendance",            api_attendance,  ACCESS_COORDINATOR, NULL,   R_API},
    {HTTP_GET,  "/api/v1/events/{slug}/report",                api_report,      ACCESS_COORDINATOR, NULL,   R_API},
    {HTTP_GET,  "/materials/{id}",                             page_material_download, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/events/{slug}/courses/{course}/materials",   page_course_materials, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/events/{slug}/courses/{course}/materials.zip", page_materials_zip, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/api/v1/events/{slug}/courses/{course}/materials", api_materials, ACCESS_PARTICIPANT, NULL, R_API},
    {HTTP_POST, "/api/v1/events/{slug}/courses/{course}/materials", api_material_upload, ACCESS_TRAINER, &material_form, R_API | R_UPLOAD},
    {HTTP_GET,  "/me",                                         page_me,         ACCESS_PARTICIPANT, NULL,   0},
    {HTTP_GET,  "/me/applications/{id}/register",              page_register_form, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_POST, "/me/applications/{id}/register",              page_register,   ACCESS_PARTICIPANT, &register_form, 0},
    {HTTP_POST, "/me/withdraw",                                page_withdraw,   ACCESS_PARTICIPANT, &withdraw_form, 0},
    {HTTP_GET,  "/me/evaluations/{id}",                        page_me_evaluation, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_POST, "/me/evaluations/{id}",                        page_me_evaluation_post, ACCESS_PARTICIPANT, NULL, 0},
    {HTTP_GET,  "/evaluation/{token}",                         page_evaluation_link, ACCESS_PUBLIC, NULL,   0},
    {HTTP_POST, "/evaluation/{token}",                         page_evaluation_link_post, ACCESS_PUBLIC, NULL, 0},

    {HTTP_GET,  "/admin",                                      admin_home,      ACCESS_TRAINER, NULL,       0},
    {HTTP_GET,  "/admin/audit",                                admin_audit,     ACCESS_ADMIN,  NULL,        0},
    {HTTP_GET,  "/admin/people",                               admin_people,    ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/people",                               admin_people_add, ACCESS_ADMIN, &people_add_form, 0},
    {HTTP_POST, "/admin/people/role",                          admin_people_role, ACCESS_ADMIN, &people_role_form, 0},
    {HTTP_POST, "/admin/people/active",                        admin_people_active, ACCESS_ADMIN, &people_active_form, 0},
    {HTTP_POST, "/admin/people/link",                          admin_people_link, ACCESS_ADMIN, &people_link_form, 0},
    {HTTP_GET,  "/admin/settings",                             admin_settings,  ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/settings/address",                     admin_settings_address, ACCESS_ADMIN, &settings_address_form, 0},
    {HTTP_POST, "/admin/settings/organisation",                admin_settings_organisation, ACCESS_ADMIN, &settings_organisation_form, 0},
    {HTTP_POST, "/admin/settings/logo",                        admin_settings_logo, ACCESS_ADMIN, NULL, R_UPLOAD},
    {HTTP_POST, "/admin/settings/logo/delete",                 admin_settings_logo_delete, ACCESS_ADMIN, NULL, 0},
    {HTTP_GET,  "/admin/outbox",                               admin_outbox,    ACCESS_COORDINATOR, NULL,   0},
    {HTTP_POST, "/admin/outbox/resend",                        admin_resend,    ACCESS_COORDINATOR, &resend_form, 0},
    {HTTP_GET,  "/admin/batches/{batch}",                      admin_batch,     ACCESS_COORDINATOR, NULL,   0},
    {HTTP_GET,  "/admin/events/{slug}/invitation-updates",      admin_updates_preview, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/invitation-updates",      admin_send_updates, ACCESS_COORDINATOR, &invitations_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/courses/{course}/invitations", admin_invitations_preview, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/courses/{course}/invitations", admin_send_invitations, ACCESS_COORDINATOR, &invitations_form, 0},
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
    {HTTP_POST, "/admin/events/{slug}/attendance/confirm",     admin_attendance_confirm, ACCESS_COORDINATOR, &attendance_confirm_form, 0},
    {HTTP_POST, "/admin/events/{slug}/attendance/match",       admin_attendance_match, ACCESS_COORDINATOR, &attendance_match_form, 0},
    {HTTP_POST, "/admin/events/{slug}/attendance/unmatch",     admin_attendance_unmatch, ACCESS_COORDINATOR, &attendance_unmatch_form, 0},
    {HTTP_POST, "/admin/events/{slug}/attendance/override",    admin_attendance_override, ACCESS_ADMIN, &attendance_override_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/attendance.csv",         admin_attendance_csv, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/attendance.xlsx",        admin_attendance_xlsx, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/attendance/revoke-link", admin_revoke_join_link, ACCESS_ADMIN, &revoke_link_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/meetings",               admin_meetings,  ACCESS_COORDINATOR, NULL,   0},
    {HTTP_POST, "/admin/events/{slug}/meetings",               admin_meeting_save, ACCESS_COORDINATOR, &meeting_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/evaluation",             admin_evaluations, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/courses/{course}/evaluation", admin_evaluation, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/courses/{course}/evaluation", admin_evaluation_save, ACCESS_COORDINATOR, &evaluation_settings_form, 0},
    {HTTP_POST, "/admin/events/{slug}/courses/{course}/evaluation/remind", admin_evaluation_remind, ACCESS_COORDINATOR, &evaluation_remind_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/courses/{course}/evaluation.csv", admin_evaluation_csv, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/courses/{course}/evaluation.xlsx", admin_evaluation_xlsx, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/api/v1/events/{slug}/evaluation",            api_evaluation,  ACCESS_COORDINATOR, NULL,   R_API},
    {HTTP_POST, "/admin/events/{slug}/evaluation",             admin_evaluation_edition_create, ACCESS_COORDINATOR, &evaluation_edition_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/evaluation/edition",     admin_evaluation, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/evaluation/edition",     admin_evaluation_save, ACCESS_COORDINATOR, &evaluation_settings_form, 0},
    {HTTP_POST, "/admin/events/{slug}/evaluation/edition/remind", admin_evaluation_remind, ACCESS_COORDINATOR, &evaluation_remind_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/evaluation/edition.csv", admin_evaluation_csv, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/evaluation/edition.xlsx", admin_evaluation_xlsx, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/courses/{course}/evaluation/questions", admin_evaluation_questions, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/courses/{course}/evaluation/questions", admin_evaluation_questions_post, ACCESS_COORDINATOR, &evaluation_editor_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/evaluation/edition/questions", admin_evaluation_questions, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/evaluation/edition/questions", admin_evaluation_questions_post, ACCESS_COORDINATOR, &evaluation_editor_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/certificates",           admin_certificates, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/report",                 admin_report,    ACCESS_COORDINATOR, NULL,   0},
    {HTTP_POST, "/admin/events/{slug}/report/texts",           admin_report_texts, ACCESS_COORDINATOR, &report_texts_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/report/comments",        admin_report_comments, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/report/comments",        admin_report_choose, ACCESS_COORDINATOR, &report_choose_form, 0},
    {HTTP_GET,  "/admin/events/{slug}/report.pdf",             admin_report_download, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/report.xlsx",            admin_report_download, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/events/{slug}/certificates/issue",     admin_certificates_preview, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_POST, "/admin/events/{slug}/certificates/issue",     admin_certificates_issue, ACCESS_COORDINATOR, &certificate_issue_form, 0},
    {HTTP_POST, "/admin/events/{slug}/certificates/grant",     admin_certificates_grant, ACCESS_ADMIN, &certificate_grant_form, 0},
    {HTTP_POST, "/admin/events/{slug}/certificates/revoke",    admin_certificates_revoke, ACCESS_ADMIN, &certificate_revoke_form, 0},
    {HTTP_GET,  "/admin/applications/{id}",                    admin_application, ACCESS_COORDINATOR, NULL, 0},
    {HTTP_GET,  "/admin/{kind}/new",                           admin_new_form,  ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/new",                           admin_create,    ACCESS_ADMIN,  NULL,        0},
    {HTTP_GET,  "/admin/{kind}/{id}/edit",                     admin_edit_form, ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/{id}/edit",                     admin_edit,      ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/{id}/delete",                   admin_delete,    ACCESS_ADMIN,  NULL,        0},
    {HTTP_POST, "/admin/{kind}/{id}/people",                   admin_assign,    ACCESS_ADMIN,  &assign_form, 0},
    {HTTP_POST, "/admin/{kind}/{id}/move",                     admin_move,      ACCESS_ADMIN,  &move_form,  0},
};

/* Before the first request: the validators' tables, and the public address
 * (the configuration's, the console's or the listening one). */
static void pages_start(const char *origin)
{
    apply_init();
    app_origin_start(origin);
}

const struct server_app aula_app = {
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
    .authenticate = authenticate,
    .error_page = res_error,
    .take_backend_failure = db_take_failure,
    .page_generation = db_page_generation,
    .start = pages_start,
    .origin = app_origin,
};
