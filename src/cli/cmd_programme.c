/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula import and aula export: programmes as JSON files. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/programme.h"
#include "../store/account_store.h"
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
    char path[512], msg[512];
    if (!programme_validate(root, path, sizeof path, msg, sizeof msg)) {
        fprintf(stderr, "aula: %s: %s: %s (nothing was imported)\n", argv[0], path, msg);
        json_decref(root);
        return 1;
    }
    if (!open_data_dir(c, true)) {
        json_decref(root);
        return 1;
    }
    char err[512];
    bool ok = programme_save(root, err, sizeof err);
    const char *slug = json_string_value(json_object_get(json_object_get(root, "edition"), "slug"));
    if (ok) {
        audit("cli", "programme.import", slug, argv[0]);
        printf("aula: imported edition %s\n", slug);
    } else {
        fprintf(stderr, "aula: %s: %s (nothing was imported)\n", argv[0], err);
    }
    json_decref(root);
    db_close_all();
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
