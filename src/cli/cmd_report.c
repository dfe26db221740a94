/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula report: the final report of an edition as PDF, XLSX or HTML. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../pages/pages.h"
#include "../pages/report.h"
#include "../store/db.h"
#include "cli.h"

/* "[####      ] step 2/4" on a terminal; nothing when output is a file. */
static void progress(int done, int total, const char *what)
{
    if (!isatty(STDERR_FILENO))
        return;
    int width = 20, filled = done * width / total;
    fprintf(stderr, "\r[");
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %-24s", what);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

int cmd_report(struct config *c, int argc, char **argv)
{
    const char *event = NULL, *language = "es", *format = "pdf", *out = NULL;
    bool participants = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--event") == 0 && i + 1 < argc)
            event = argv[++i];
        else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            language = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--participants") == 0)
            participants = true;
        else
            goto usage;
    }
    int lang = lang_parse(language);
    if (!event || !out || lang < 0 ||
        (strcmp(format, "pdf") != 0 && strcmp(format, "xlsx") != 0 && strcmp(format, "html") != 0))
        goto usage;
    if (!open_data_dir(c, false))
        return 1;
    arena *a = arena_new(1024u * 1024 * 1024);
    arena_set_current(a);
    request req = {.a = a, .lang = (lang_t)lang,
                   .user = {.id = 0, .email = "cli", .role = ROLE_ADMIN}};
    int rc = 1;
    progress(0, 2, "figures");
    json_t *rep = report_of(&req, event);
    if (!rep) {
        fprintf(stderr, "aula: no edition \"%s\"\n", event);
        goto done;
    }
    progress(1, 2, format);
    char err[256];
    if (!report_write(rep, format, (lang_t)lang, participants, out, err, sizeof err)) {
        fprintf(stderr, "aula: %s\n", err);
        goto done;
    }
    progress(2, 2, "done");
    printf("aula: %s written (%s)%s\n", out, json_string_value(json_object_get(rep, "fingerprint")),
           json_is_true(json_object_get(rep, "preliminary")) ? ", preliminary" : "");
    rc = 0;
done:
    arena_set_current(NULL);
    arena_free(a);
    db_close_all();
    return rc;
usage:
    fprintf(stderr, "usage: aula report [--data DIR] --event SLUG --lang es|en --format pdf|xlsx|html"
                    " [--participants] -o FILE\n");
    return 2;
}

/* Under AddressSanitizer: fontconfig keeps its configuration for the life of
 * the process once pango has loaded a font (for a report or a certificate),
 * and frees it only in FcFini, which nothing may call while another thread
 * could still draw.  Not ours to report; every other leak still is.  (A
 * plain build never calls this.) */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
