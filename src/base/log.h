/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One-line messages on stderr, each with a UTC timestamp. */
#ifndef AULA_LOG_H
#define AULA_LOG_H

#include <stddef.h>

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_access(const char *method, const char *path, int status, size_t bytes, double ms);

#endif
