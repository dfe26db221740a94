/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Page handlers, grouped in one file per area, and the route table that
 * lists them all (routes.c). */
#ifndef AULA_PAGES_H
#define AULA_PAGES_H

#include "../app/app.h"
#include "../http/http.h"
#include "../http/server.h"
#include "../domain/address.h"

struct message;

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

/* people.c: staff accounts in the console, setting a password by link */
void admin_people(request *req, response *res);
void admin_people_add(request *req, response *res);
void admin_people_role(request *req, response *res);
void admin_people_active(request *req, response *res);
void admin_people_link(request *req, response *res);
void page_password_form(request *req, response *res);
void page_password_set(request *req, response *res);
extern const struct form_spec people_add_form, people_role_form, people_active_form,
    people_link_form, password_form;

/* settings.c: the public address and the organisation's logo */
void admin_settings(request *req, response *res);
void admin_settings_address(request *req, response *res);
void admin_settings_logo(request *req, response *res);
void admin_settings_logo_delete(request *req, response *res);
void admin_settings_organisation(request *req, response *res);
void page_logo(request *req, response *res);
extern const struct form_spec settings_address_form, settings_organisation_form;
/* Whether links in messages and certificates would point at this machine
 * (no public address set). */
bool public_address_missing(void);

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
void admin_assign(request *req, response *res);
extern const struct form_spec assign_form;
extern const struct form_spec move_form;

/* apply.c */
void apply_init(void);
void page_apply_form(request *req, response *res);
void page_apply(request *req, response *res);
void page_apply_done(request *req, response *res);
extern const struct form_spec apply_form;

/* me.c */
void page_me(request *req, response *res);
void page_register_form(request *req, response *res);
void page_register(request *req, response *res);
void page_withdraw(request *req, response *res);
extern const struct form_spec register_form, withdraw_form;

/* auth.c: sign-in links */
void page_login_link(request *req, response *res);
void page_login_link_use(request *req, response *res);

/* admin_applications.c */
void admin_applications(request *req, response *res);
void admin_application(request *req, response *res);
void admin_decide(request *req, response *res);
void admin_applications_csv(request *req, response *res);
void admin_applications_xlsx(request *req, response *res);
void admin_outbox(request *req, response *res);
extern const struct form_spec decide_form;

/* api.c */
void api_applications(request *req, response *res);
void api_decision(request *req, response *res);

/* invitations.c */
void admin_send_invitations(request *req, response *res);
void admin_invitations_preview(request *req, response *res);
extern const struct form_spec invitations_form;
void admin_batch(request *req, response *res);
void admin_resend(request *req, response *res);
extern const struct form_spec resend_form;
/* Sends calendar updates to everyone whose course schedule changed. */
/* How many invitations of the edition a schedule change left out of date
 * (their updates are sent from the confirmation at invitation-updates). */
int invitations_outdated(request *req, const char *slug);
/* The same for one course of the edition (its slug). */
int invitations_outdated_in(request *req, const char *slug, const char *course);
void admin_updates_preview(request *req, response *res);
void admin_send_updates(request *req, response *res);

/* materials.c */
json_t *materials_for_participant(request *req, const char *edition, const char *course);
void page_course_materials(request *req, response *res);
void page_material_download(request *req, response *res);
void page_materials_zip(request *req, response *res);
void admin_materials(request *req, response *res);
void admin_material_upload(request *req, response *res);
void admin_material_delete(request *req, response *res);
void api_material_upload(request *req, response *res);
void api_materials(request *req, response *res);
extern const struct form_spec material_form, material_delete_form;

/* attendance.c */
void admin_attendance(request *req, response *res);
void admin_attendance_import(request *req, response *res);
void admin_attendance_confirm(request *req, response *res);
void admin_attendance_match(request *req, response *res);
void admin_attendance_unmatch(request *req, response *res);
void admin_attendance_override(request *req, response *res);
void admin_attendance_csv(request *req, response *res);
void admin_attendance_xlsx(request *req, response *res);
void admin_meetings(request *req, response *res);
void admin_revoke_join_link(request *req, response *res);
extern const struct form_spec revoke_link_form;
void admin_meeting_save(request *req, response *res);
void page_join(request *req, response *res);
void api_attendance(request *req, response *res);
void me_course_extras(request *req, json_t *app, json_t *enrolment);
json_t *attendance_grid(request *req, const char *edition, const char *course_slug);
/* The operations of attendance are in ../app/attendance.h. */
extern const struct form_spec attendance_import_form, attendance_confirm_form, attendance_match_form,
    attendance_unmatch_form,
    attendance_override_form, meeting_form;


/* certificates.c */
void admin_certificates(request *req, response *res);
void admin_certificates_issue(request *req, response *res);
void admin_certificates_preview(request *req, response *res);
void admin_certificates_grant(request *req, response *res);
void admin_certificates_revoke(request *req, response *res);
void page_verify(request *req, response *res);
void page_verify_lookup(request *req, response *res);
void page_keys(request *req, response *res);
void page_certificate_file(request *req, response *res);
void api_certificates(request *req, response *res);
extern const struct form_spec certificate_issue_form, certificate_grant_form,
    certificate_revoke_form;

/* verify_upload.c */
void page_verify_upload(request *req, response *res);
void page_signing_certificates(request *req, response *res);
extern const struct form_spec verify_upload_form;

/* people_names.c */
json_t *sort_by_label(json_t *arr);

/* messages.c: the storage layer's message_fn for pages (ud is the request),
 * drawn by app/messages.c. */
bool aula_message(void *ud, const char *kind, int64_t application_id, json_t *extra,
                  struct message *out);
/* The same message drawn in lang instead of the recipient's (previews). */
bool aula_message_preview(request *req, const char *kind, int64_t application_id, json_t *extra,
                          lang_t lang, struct message *out);

/* bulk_confirm.c: the confirmation page of a bulk action that emails people.
 * confirm_page starts it (with a fresh one-time token among its hidden
 * fields); recipients, skipped rows (with a bilingual reason), hidden
 * fields and one preview per language are added; confirm_show counts and
 * renders it, saying nothing_key when nobody would receive anything. */
json_t *confirm_page(request *req, response *res, const char *title_key, const char *action,
                     const char *back, const char *confirm_key);
void confirm_recipient(json_t *page, const char *name, const char *email, const char *language);
void confirm_skipped(json_t *page, const char *name, json_t *reason);
void confirm_hidden(json_t *page, const char *name, const char *value);
void confirm_preview(request *req, json_t *page, lang_t lang, const struct message *m);
void confirm_show(request *req, response *res, int status, json_t *page, const char *nothing_key);
/* A short digest of the ids (rows[i].key, in order) a confirmation is
 * about: the confirmation carries it, and the action refuses to go ahead
 * when the rows it would act on have a different one. */
const char *confirm_fingerprint(request *req, json_t *rows, const char *key);
/* Claims the confirmation's token: true the first time; otherwise answers
 * (a redirect to where the first submission led, else to fallback) and
 * returns false.  bulk_done records where it led. */
bool bulk_once(request *req, response *res, const char *kind, const char *token,
               const char *fallback);
void bulk_done(const char *token, const char *result);

/* Data changed: cached public pages must be rendered again. */
void programme_changed(void);

#endif
