/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The column names of Zoom's reports, and how a header cell is compared
 * with them (see zoom_headers.h). */
#include "zoom_headers.h"

#include <string.h>
#include <strings.h>

const char *const zoom_role_label[R_COUNT] = {
    [R_NAME] = "Name (Original Name)", [R_EMAIL] = "User Email",
    [R_JOIN] = "Join Time", [R_LEAVE] = "Leave Time",
};

/* Column names of every report shape in each interface language, after
 * header_key(): lower case, accents removed, curly apostrophes and
 * full-width brackets made ASCII, '_' as ' ', single spaces, no space next
 * to a bracket, no trailing ':'.  The participants export (all header
 * generations), the webinar attendee report, the legacy and current
 * meeting blocks, the combined meetings-and-participants export and the
 * unique-users export use these names; the Spanish, Portuguese, French,
 * Russian and Japanese ones are those Zoom writes with its web portal in
 * that language (seen in real exports, see the reference on Zoom reports). */
static const struct {
    const char *key;
    enum role role;
    const char *lang; /* the interface language the name tells, or NULL */
} aliases[] = {
    /* English: legacy Title Case and current sentence case alike. */
    {"name(original name)", R_NAME, "en"}, {"user name(original name)", R_NAME, "en"},
    {"name", R_NAME, NULL}, {"user name", R_NAME, "en"}, {"participant", R_NAME, "en"},
    {"participant name", R_NAME, "en"}, {"display name", R_NAME, "en"},
    {"user email", R_EMAIL, NULL}, {"email", R_EMAIL, NULL}, {"e-mail", R_EMAIL, NULL},
    {"email address", R_EMAIL, NULL}, {"user email address", R_EMAIL, NULL},
    {"join time", R_JOIN, "en"}, {"leave time", R_LEAVE, "en"},
    {"guest", R_GUEST, NULL}, {"is guest", R_GUEST, NULL},
    {"in waiting room", R_WAITING, NULL}, {"status", R_STATUS, NULL},
    {"attended", R_ATTENDED, NULL},
    {"total duration(minutes)", R_TOTAL, "en"}, {"total duration", R_TOTAL, "en"},
    {"topic", R_TOPIC, NULL}, {"meeting id", R_MEETING_ID, NULL},
    {"webinar id", R_WEBINAR_ID, NULL}, {"id", R_ID, NULL}, {"host", R_HOST, NULL},
    {"host name", R_HOST, NULL}, {"start time", R_START, NULL},
    {"actual start time", R_START, NULL}, {"total participant minutes", R_USAGE, NULL},
    /* Spanish. */
    {"nombre(nombre original)", R_NAME, "es"}, {"nombre de usuario(nombre original)", R_NAME, "es"},
    {"nombre", R_NAME, "es"}, {"e-mail del usuario", R_EMAIL, NULL},
    {"correo electronico", R_EMAIL, NULL}, {"correo electronico del usuario", R_EMAIL, NULL},
    {"hora para unirse", R_JOIN, "es"}, {"hora de entrada", R_JOIN, NULL},
    {"hora de ingreso", R_JOIN, "es"}, {"hora para salir", R_LEAVE, "es"},
    {"hora de salida", R_LEAVE, NULL}, {"invitado", R_GUEST, NULL},
    {"es invitado", R_GUEST, NULL}, {"en la sala de espera", R_WAITING, NULL},
    {"sala de espera", R_WAITING, NULL}, {"asistio", R_ATTENDED, NULL},
    {"duracion total(minutos)", R_TOTAL, "es"}, {"tema", R_TOPIC, NULL},
    {"id de reunion", R_MEETING_ID, NULL}, {"id de la reunion", R_MEETING_ID, NULL},
    {"id del seminario web", R_WEBINAR_ID, NULL}, {"anfitrion", R_HOST, NULL},
    {"nombre del anfitrion", R_HOST, NULL}, {"hora de inicio", R_START, NULL},
    {"minutos totales de participantes", R_USAGE, NULL},
    /* Portuguese (Brazil). */
    {"nome(nome original)", R_NAME, "pt"}, {"nome de usuario(nome original)", R_NAME, "pt"},
    {"nome", R_NAME, "pt"}, {"e-mail do usuario", R_EMAIL, NULL},
    {"ingressar na hora", R_JOIN, "pt"}, {"horario de entrada", R_JOIN, "pt"},
    {"hora de saida", R_LEAVE, "pt"}, {"horario de saida", R_LEAVE, "pt"},
    {"convidado", R_GUEST, NULL}, {"e convidado", R_GUEST, NULL},
    {"na sala de espera", R_WAITING, NULL}, {"compareceu", R_ATTENDED, NULL},
    {"duracao total(minutos)", R_TOTAL, "pt"}, {"topico", R_TOPIC, NULL},
    {"id da reuniao", R_MEETING_ID, NULL}, {"id do webinar", R_WEBINAR_ID, NULL},
    {"anfitriao", R_HOST, NULL}, {"nome do anfitriao", R_HOST, NULL},
    {"horario de inicio", R_START, NULL},
    /* French. */
    {"nom(nom original)", R_NAME, "fr"}, {"nom d'utilisateur(nom original)", R_NAME, "fr"},
    {"nom", R_NAME, "fr"}, {"adresse e-mail de l'utilisateur", R_EMAIL, NULL},
    {"adresse e-mail", R_EMAIL, NULL}, {"e-mail de l'utilisateur", R_EMAIL, NULL},
    {"courriel", R_EMAIL, NULL}, {"heure d'arrivee", R_JOIN, "fr"},
    {"heure de connexion", R_JOIN, "fr"}, {"heure de depart", R_LEAVE, "fr"},
    {"heure de deconnexion", R_LEAVE, "fr"}, {"invite", R_GUEST, NULL},
    {"est invite", R_GUEST, NULL}, {"salle d'attente", R_WAITING, NULL},
    {"dans la salle d'attente", R_WAITING, NULL}, {"a participe", R_ATTENDED, NULL},
    {"duree totale(minutes)", R_TOTAL, "fr"}, {"sujet", R_TOPIC, NULL},
    {"id de reunion", R_MEETING_ID, NULL}, {"id du webinaire", R_WEBINAR_ID, NULL},
    {"hote", R_HOST, NULL}, {"nom de l'hote", R_HOST, NULL}, {"heure de debut", R_START, NULL},
    /* Russian. */
    {"имя(первоначальное имя)", R_NAME, "ru"}, {"имя пользователя(первоначальное имя)", R_NAME, "ru"},
    {"имя", R_NAME, "ru"}, {"электронная почта", R_EMAIL, NULL},
    {"электронная почта пользователя", R_EMAIL, NULL}, {"время подключения", R_JOIN, "ru"},
    {"время отключения", R_LEAVE, "ru"}, {"гость", R_GUEST, NULL},
    {"в зале ожидания", R_WAITING, NULL}, {"общая длительность(мин)", R_TOTAL, "ru"},
    {"тема", R_TOPIC, NULL}, {"идентификатор конференции", R_MEETING_ID, NULL},
    {"идентификатор вебинара", R_WEBINAR_ID, NULL}, {"организатор", R_HOST, NULL},
    {"время начала", R_START, NULL},
    /* Japanese (full-width brackets already made ASCII). */
    {"名前(元の名前)", R_NAME, "ja"}, {"ユーザー名(元の名前)", R_NAME, "ja"}, {"名前", R_NAME, "ja"},
    {"ユーザーメール", R_EMAIL, NULL}, {"メールアドレス", R_EMAIL, NULL},
    {"参加時刻", R_JOIN, "ja"}, {"退出時刻", R_LEAVE, "ja"}, {"ゲスト", R_GUEST, NULL},
    {"待機室", R_WAITING, NULL}, {"合計時間(分)", R_TOTAL, "ja"}, {"トピック", R_TOPIC, NULL},
    {"ミーティングid", R_MEETING_ID, NULL}, {"ウェビナーid", R_WEBINAR_ID, NULL},
    {"ホスト", R_HOST, NULL}, {"開始時刻", R_START, NULL},
};

/* Reads one UTF-8 character at *p (valid UTF-8: the file was checked or
 * converted before); returns its code point and steps *p past it. */
static unsigned next_cp(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned c = s[0];
    int n = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
    if (n)
        c &= 0x3fu >> n;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *p += i;
            return 0xfffd;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *p += n + 1;
    return c;
}

static size_t put_cp(char *o, unsigned c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xc0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xe0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        o[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (c >> 18));
    o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    o[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

/* One character folded for comparing names: lower case, Latin accents
 * removed, typographic apostrophes, brackets and spaces made ASCII.  Only
 * the scripts of the interface languages above are folded. */
static unsigned fold_cp(unsigned c)
{
    /* Latin-1 letters U+00C0..U+00FF without their accents. */
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xc0 && c <= 0xff && c != 0xd7 && c != 0xf7 && c != 0xdf && c != 0xde && c != 0xfe &&
        c != 0xd0 && c != 0xf0)
        return (unsigned char)latin1[c - 0xc0];
    if (c >= 0x410 && c <= 0x42f) /* Cyrillic capitals */
        return c + 32;
    if (c >= 0x400 && c <= 0x40f)
        return c + 80;
    if (c == 0x451) /* ё reads as е */
        return 0x435;
    if (c >= 0xff21 && c <= 0xff3a) /* full-width Latin */
        return c - 0xff21 + 'a';
    if (c >= 0xff41 && c <= 0xff5a)
        return c - 0xff41 + 'a';
    switch (c) {
    case 0xff08: case 0x2768: case 0xfe59: return '(';
    case 0xff09: case 0x2769: case 0xfe5a: return ')';
    case 0x2018: case 0x2019: case 0x02bc: case 0x00b4: case 0x0060: case 0x2032: return '\'';
    case 0x00a0: case 0x202f: case 0x2007: case 0x3000: case '\t': case '_': return ' ';
    case 0x2010: case 0x2011: case 0x2013: return '-';
    default: return c;
    }
}

/* The comparison form of a header cell (see aliases[]); false when it is
 * too long to be one. */
bool zoom_header_key(const char *s, char *out, size_t n)
{
    size_t k = 0;
    bool space = false;
    while (*s) {
        unsigned c = fold_cp(next_cp(&s));
        if (c == ' ') {
            space = k > 0 && out[k - 1] != '(';
            continue;
        }
        if (k + 6 >= n)
            return false;
        if (space && c != ')' && c != '(')
            out[k++] = ' ';
        space = false;
        k += put_cp(out + k, c);
    }
    while (k > 0 && out[k - 1] == ':')
        k--;
    out[k] = '\0';
    return true;
}

void zoom_map_header(const struct csv *c, struct cols *m)
{
    for (int r = 0; r < R_COUNT; r++)
        m->at[r] = -1;
    m->lang = NULL;
    char key[128];
    for (size_t i = 0; i < c->nf; i++) {
        if (!c->f[i][0] || !zoom_header_key(c->f[i], key, sizeof key))
            continue;
        for (size_t a = 0; a < sizeof aliases / sizeof aliases[0]; a++)
            if (strcmp(key, aliases[a].key) == 0) {
                if (m->at[aliases[a].role] < 0) {
                    m->at[aliases[a].role] = (int)i;
                    if (aliases[a].lang && (aliases[a].role == R_NAME || !m->lang))
                        m->lang = aliases[a].lang;
                }
                break;
            }
    }
}

/* Yes in the interface languages: Yes, Y, Sí, Sim, Oui, Да, はい (and
 * true, 1 from the API).  Anything else, empty included, is no. */
bool zoom_yes(const char *s)
{
    static const char *const words[] = {"yes", "y", "true", "1", "si", "sim", "oui", "да", "はい"};
    /* The common answers first: this runs for two cells of every row. */
    if (!*s || strcasecmp(s, "no") == 0)
        return false;
    if (strcasecmp(s, "yes") == 0)
        return true;
    char key[16];
    if (!zoom_header_key(s, key, sizeof key))
        return false;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(key, words[i]) == 0)
            return true;
    return false;
}

/* The separator of the file's header row: ',', or ';' (a spreadsheet's
 * re-save in a locale with decimal commas), or a tab (a spreadsheet's
 * "Unicode text").  The first that reveals a known header row within the
 * first 64 rows wins; ',' when none does. */
char zoom_detect_separator(const char *data, size_t len, char *buf)
{
    static const char seps[] = {',', ';', '\t'};
    for (size_t s = 0; s < sizeof seps; s++) {
        struct csv c;
        csv_init(&c, data, len, buf);
        c.sep = seps[s];
        int seen = 0;
        while (seen < 64 && csv_next(&c) == 1) {
            if (!csv_nonempty(&c))
                continue;
            seen++;
            struct cols m;
            zoom_map_header(&c, &m);
            if ((has(&m, R_NAME) && (has(&m, R_JOIN) || has(&m, R_TOTAL))) ||
                (has(&m, R_TOPIC) && (has(&m, R_MEETING_ID) || has(&m, R_ID) ||
                                      has(&m, R_WEBINAR_ID))) ||
                has(&m, R_USAGE))
                return seps[s];
        }
    }
    return ',';
}
