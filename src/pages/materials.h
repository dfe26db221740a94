/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/materials.c. */
#ifndef AULA_PAGES_MATERIALS_H
#define AULA_PAGES_MATERIALS_H

#include "../http/http.h"

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

#endif
