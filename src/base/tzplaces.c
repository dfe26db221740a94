/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "tzplaces.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct tz_place *places;
static size_t nplaces;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* One line: "CC\tCOORDS\tZONE[\tCOMMENT]"; zone1970.tab lists several
 * countries ("CH,DE,LI"), each becomes a place of that zone. */
static void add_line(char *line)
{
    char *codes = strtok(line, "\t\n");
    strtok(NULL, "\t\n");
    char *zone = strtok(NULL, "\t\n");
    if (!codes || !zone || *codes == '#')
        return;
    const char *slash = strchr(zone, '/');
    if (!slash)
        return;
    char *z = strdup(zone);
    char *region = strndup(zone, (size_t)(slash - zone));
    const char *last = strrchr(zone, '/') + 1;
    char *city = strdup(last);
    if (!z || !region || !city) {
        free(z), free(region), free(city);
        return;
    }
    for (char *p = city; *p; p++)
        if (*p == '_')
            *p = ' ';
    for (char *c = strtok(codes, ","); c; c = strtok(NULL, ",")) {
        struct tz_place *grown = realloc(places, (nplaces + 1) * sizeof *places);
        if (!grown || strlen(c) != 2)
            break;
        places = grown;
        struct tz_place *pl = &places[nplaces++];
        memcpy(pl->country, c, 3);
        pl->zone = z;
        pl->region = region;
        pl->city = city;
    }
}

static void load(void)
{
    /* zone.tab names a zone per country (Port of Spain for Trinidad and
     * Tobago), which is how people know their place. */
    FILE *f = fopen("/usr/share/zoneinfo/zone.tab", "r");
    if (!f)
        f = fopen("/usr/share/zoneinfo/zone1970.tab", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        /* strtok is not reentrant, but load runs once, under pthread_once. */
        add_line(line);
    }
    fclose(f);
}

const struct tz_place *tz_places(size_t *n)
{
    pthread_once(&once, load);
    *n = nplaces;
    return places;
}
