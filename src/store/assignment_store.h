/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Who is on a programme item: people on sessions (speaker, moderator,
 * trainer) and the trainers of a course. */
#ifndef AULA_ASSIGNMENT_STORE_H
#define AULA_ASSIGNMENT_STORE_H

#include <stdbool.h>
#include <stdint.h>

/* Both refuse a person of another edition (false). */
bool session_person_add(int64_t session_id, int64_t person_id, const char *role);
bool session_person_remove(int64_t session_id, int64_t person_id, const char *role);
bool course_trainer_add(int64_t course_id, int64_t person_id);
bool course_trainer_remove(int64_t course_id, int64_t person_id);

#endif
