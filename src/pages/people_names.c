/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Sorting labels; the choices a candidate makes about themselves (form of
 * address, gender, institution) are in domain/address.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/address.h"
#include "people_names.h"

/* Folds the Latin letters with accents used in Spanish, Portuguese and
 * French to their base letter, for sorting names ("Perú" beside "Peru"). */
static void fold(const char *s, char *out, size_t n)
{
    static const char *const from[] = {"á", "à", "â", "ã", "ä", "å", "é", "è", "ê", "ë", "í",
                                       "ì", "î", "ï", "ó", "ò", "ô", "õ", "ö", "ú", "ù", "û",
                                       "ü", "ñ", "ç", "Á", "É", "Í", "Ó", "Ú", "Ñ", "Ç", "Å",
                                       "Ü", NULL};
    static const char to[] = "aaaaaaeeeeiiiiooooouuuuncAEIOUNCAU";
    size_t j = 0;
    while (*s && j + 1 < n) {
        int matched = 0;
        for (int i = 0; from[i]; i++) {
            size_t l = strlen(from[i]);
            if (strncmp(s, from[i], l) == 0) {
                out[j++] = to[i];
                s += l;
                matched = 1;
                break;
            }
        }
        if (!matched) {
            char c = *s++;
            out[j++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
    }
    out[j] = '\0';
}

static int by_label(const void *a, const void *b)
{
    char fa[256], fb[256];
    fold(json_string_value(json_object_get(*(json_t *const *)a, "label")), fa, sizeof fa);
    fold(json_string_value(json_object_get(*(json_t *const *)b, "label")), fb, sizeof fb);
    return strcmp(fa, fb);
}

json_t *sort_by_label(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return arr;
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(arr, i));
    qsort(items, n, sizeof *items, by_label);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, items[i]);
    free(items);
    return arr;
}
