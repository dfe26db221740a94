/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "retry.h"

long retry_delay(int attempts, long base, long max)
{
    if (attempts < 1)
        attempts = 1;
    long d = base > 0 ? base : 1;
    for (int i = 1; i < attempts && d < max; i++)
        d *= 2;
    return d < max ? d : max;
}
