/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Shared by the fuzz targets: an invariant check that survives NDEBUG and
 * names the broken invariant before aborting (libFuzzer then saves the
 * input as a crash). */
#ifndef AULA_FUZZ_CHECK_H
#define AULA_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
                    #cond);                                                       \
            abort();                                                              \
        }                                                                         \
    } while (0)

#endif
