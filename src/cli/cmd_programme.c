/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula import and aula export: programmes as JSON files. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/programme.h"
#include "../store/db.h"
#include "../store/evaluation_store.h"
#include "../store/programme_store.h"
#include "cli.h"

int cmd_import(struct config *c, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: aula import [--data DIR] FILE.json\n");
        return 2;
    }
    json_error_t jerr;
    json_t *root = json_load_file(argv[0], JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        fprintf(stderr, "aula: %s line %d column %d: %s\n", argv[0], jerr.line, jerr.column,
                jerr.text);
        return 1;
    }
    arena *a = arena_new(64u * 1024 * 1024);
    if (!a) {
        json_decref(root);
        return 1;
    }
    struct app_ctx ctx = app_ctx_system(a, LANG_EN, "cli");
    struct app_err err;
    const char *why = NULL, *slug = NULL;
    /* A file that breaks a rule is refused before the data directory is
     * touched. */
    if (!programme_import_check(&ctx, root, &why, &err)) {
        fprintf(stderr, "aula: %s: %s (nothing was imported)\n", argv[0], why);
        json_decref(root);
        arena_free(a);
        return 1;
    }
    if (!open_data_dir(c, true)) {
        json_decref(root);
        arena_free(a);
        return 1;
    }
    bool ok = programme_import(&ctx, root, argv[0], &slug, &why, &err);
    if (ok)
        printf("aula: imported edition %s\n", slug);
    else
        fprintf(stderr, "aula: %s: %s (nothing was imported)\n", argv[0], why);
    json_decref(root);
    db_close_all();
    arena_free(a);
    return ok ? 0 : 1;
}

int cmd_export(struct config *c, int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: aula export [--data DIR] SLUG\n");
        return 2;
    }
    if (!open_data_dir(c, false))
        return 1;
    json_t *p = programme_load(argv[0], false);
    if (p)
        evaluation_attach_to_programme(p);
    int rc = 0;
    if (!p) {
        fprintf(stderr, "aula: no edition \"%s\"\n", argv[0]);
        rc = 1;
    } else {
        json_dumpf(p, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(p);
    }
    db_close_all();
    return rc;
}
