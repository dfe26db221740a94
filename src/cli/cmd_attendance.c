/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula attendance import: a Zoom report for a course day, from the shell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/attendance.h"
#include "../base/timeutil.h"
#include "../store/db.h"
#include "../store/programme_store.h"
#include "cli.h"

int cmd_attendance(struct config *c, int argc, char **argv)
{
    const char *event = NULL, *course = NULL, *date = NULL, *tz = NULL, *file = NULL;
    bool dry_run = false;
    if (argc < 1 || strcmp(argv[0], "import") != 0)
        goto usage;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--event") == 0 && i + 1 < argc)
            event = argv[++i];
        else if (strcmp(argv[i], "--course") == 0 && i + 1 < argc)
            course = argv[++i];
        else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc)
            date = argv[++i];
        else if (strcmp(argv[i], "--tz") == 0 && i + 1 < argc)
            tz = argv[++i];
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry_run = true;
        else if (!file && argv[i][0] != '-')
            file = argv[i];
        else
            goto usage;
    }
    if (!event || !course || !date || !file)
        goto usage;
    int y, m, d;
    if (!parse_date(date, &y, &m, &d)) {
        fprintf(stderr, "aula: --date takes YYYY-MM-DD\n");
        return 2;
    }
    if (tz && !tz_valid(tz)) {
        fprintf(stderr, "aula: unknown time zone \"%s\"\n", tz);
        return 2;
    }
    if (!open_data_dir(c, false))
        return 1;
    arena *a = arena_new(512u * 1024 * 1024);
    arena_set_current(a);
    json_t *p = programme_load(event, false);
    int rc = 1;
    if (!p) {
        fprintf(stderr, "aula: no edition \"%s\"\n", event);
    } else {
        /* Without --tz, the report is taken to be in the edition's zone. */
        if (!tz)
            tz = arena_strdup(a, json_string_value(json_object_get(json_object_get(p, "edition"), "time_zone")));
        /* The report's problems are explained in Spanish when the shell's
         * locale is Spanish (LANG=es_…), in English otherwise. */
        const char *env_lang = getenv("LANG");
        lang_t lang = env_lang && strncmp(env_lang, "es", 2) == 0 ? LANG_ES : LANG_EN;
        size_t rows = 0;
        const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        const char *note = NULL, *summary = NULL;
        struct app_ctx ctx = app_ctx_system(a, lang, "cli");
        struct attendance_report in = {.edition = event, .course = course, .date = date,
                                       .tz = tz, .path = file, .file_name = base};
        struct attendance_refusal why = {0};
        struct app_err err;
        if (dry_run) {
            /* What the import would store; nothing is changed. */
            if (attendance_summary_text(&ctx, &in, &summary, &why, &err)) {
                fputs(summary, stdout);
                rc = 0;
            } else {
                fprintf(stderr, "aula: %s: %s (%s)\n", file, why.why,
                        lang == LANG_ES ? "no se importó nada" : "nothing was imported");
            }
        } else if (attendance_import(&ctx, &in, &rows, &note, &why, &err)) {
            printf("aula: imported %zu rows for %s on %s (times in %s)\n", rows, course, date, tz);
            if (note)
                printf("aula: %s\n", note);
            rc = 0;
        } else {
            fprintf(stderr, "aula: %s: %s (%s)\n", file, why.why,
                    lang == LANG_ES ? "no se importó nada" : "nothing was imported");
        }
    }
    arena_set_current(NULL);
    arena_free(a);
    db_close_all();
    return rc;
usage:
    fprintf(stderr, "usage: aula attendance import [--data DIR] --event SLUG --course COURSE"
                    " --date YYYY-MM-DD [--tz ZONE] [--dry-run] FILE\n");
    return 2;
}
