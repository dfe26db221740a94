/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/bulk_confirm.c. */
#ifndef AULA_PAGES_BULK_CONFIRM_H
#define AULA_PAGES_BULK_CONFIRM_H

#include "../http/http.h"

struct message;

/* The confirmation page of a bulk action that emails people.
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

#endif
