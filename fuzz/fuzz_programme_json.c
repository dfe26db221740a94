/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: the programme file.  The input is loaded as JSON the
 * way `aula import` loads it (duplicate keys rejected) and, more leniently
 * (any top-level value, NUL in strings), then checked by
 * programme_validate, which must never crash and must name the path of any
 * fault. */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "domain/programme.h"
#include "fuzz_check.h"

static void validate(json_t *root)
{
    char path[256], msg[256];
    path[0] = msg[0] = '\0';
    bool ok = programme_validate(root, path, sizeof path, msg, sizeof msg);
    if (ok) {
        FUZZ_CHECK(path[0] == '\0' && msg[0] == '\0');
        FUZZ_CHECK(json_is_object(root));
        FUZZ_CHECK(json_is_string(json_object_get(root, "format")) &&
                   strcmp(json_string_value(json_object_get(root, "format")),
                          PROGRAMME_FORMAT) == 0);
        FUZZ_CHECK(json_is_object(json_object_get(root, "edition")));
    } else {
        FUZZ_CHECK(path[0] == '$');
        FUZZ_CHECK(msg[0] != '\0');
    }
    /* The same answer again: validation keeps no state. */
    char path2[256], msg2[256];
    FUZZ_CHECK(programme_validate(root, path2, sizeof path2, msg2, sizeof msg2) == ok);
    if (!ok)
        FUZZ_CHECK(strcmp(path, path2) == 0 && strcmp(msg, msg2) == 0);
    /* A short path buffer is truncated, not overrun. */
    char tiny[4];
    programme_validate(root, tiny, sizeof tiny, msg2, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (root) {
        validate(root);
        json_decref(root);
    }
    root = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (root) {
        validate(root);
        json_decref(root);
    }
    return 0;
}
