/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Commands for the operator: aula restore (a backup back into place) and
 * aula doctor (is this installation ready to serve people?). */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../mail/smtp.h"
#include "../store/db.h"
#include "../store/keys.h"
#include "../store/pdf_keys.h"
#include "../store/settings_store.h"
#include "cli.h"

/* ---- aula restore ---------------------------------------------------- */

static bool fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

/* One line saying why FILE is refused; nothing has been changed then. */
static void refuse(const char *file, enum db_file_verdict v, const struct db_file_info *info)
{
    switch (v) {
    case DB_FILE_UNREADABLE:
        fprintf(stderr, "aula: cannot restore: %s; nothing was changed\n", info->detail);
        break;
    case DB_FILE_NOT_SQLITE:
        fprintf(stderr, "aula: cannot restore: %s is not an SQLite database; nothing was changed\n",
                file);
        break;
    case DB_FILE_DAMAGED:
        fprintf(stderr,
                "aula: cannot restore: %s is damaged (integrity check: %s); nothing was changed; "
                "try an older backup\n",
                file, info->detail);
        break;
    case DB_FILE_NOT_AULA:
        fprintf(stderr,
                "aula: cannot restore: %s is not an Aula database (%s); nothing was changed\n",
                file, info->detail);
        break;
    case DB_FILE_NEWER:
        fprintf(stderr,
                "aula: cannot restore: %s comes from a newer version of Aula (%s); install that "
                "version first; nothing was changed\n",
                file, info->detail);
        break;
    case DB_FILE_OK:
        break;
    }
}

/* Moves path (when it exists) to path_to; false only when it exists and
 * cannot be moved. */
static bool move_aside(const char *path, const char *to)
{
    if (access(path, F_OK) != 0)
        return true;
    return rename(path, to) == 0;
}

int cmd_restore(struct config *c, int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        fprintf(stderr, "usage: aula restore [--data DIR] FILE\n");
        return 2;
    }
    const char *file = argv[0];
    const char *dir = c->data_dir;
    struct stat st;
    if (stat(dir, &st) != 0) {
        /* Restoring onto a new machine: the directory is made as init would. */
        if (mkdir(dir, 0700) != 0) {
            fprintf(stderr, "aula: cannot create data directory %s: %s\n", dir, strerror(errno));
            return 1;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "aula: %s is not a directory\n", dir);
        return 1;
    }
    char err[900];
    /* Exclusive: no server or other command may have the database open
     * while it is replaced, nor start until it is. */
    if (!data_dir_lock(dir, true, err, sizeof err)) {
        fprintf(stderr, "aula: cannot restore: %s; stop it first (systemctl stop aula); "
                        "nothing was changed\n", err);
        return 1;
    }
    struct db_file_info info;
    enum db_file_verdict v = db_inspect_file(file, &info);
    if (v != DB_FILE_OK) {
        refuse(file, v, &info);
        return 1;
    }

    /* A private copy next to the database first, checked again, so the
     * rename that puts it in place is the only step that can't be undone. */
    char db[600], tmp[640];
    snprintf(db, sizeof db, "%s/aula.db", dir);
    snprintf(tmp, sizeof tmp, "%s/aula.db.restoring", dir);
    /* What an interrupted restore may have left; a stale journal would be
     * rolled into the new copy. */
    static const char *const tmp_sidecars[] = {"", "-journal", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof tmp_sidecars / sizeof tmp_sidecars[0]; i++) {
        char p[700];
        snprintf(p, sizeof p, "%s%s", tmp, tmp_sidecars[i]);
        unlink(p);
    }
    if (!db_copy_file(file, tmp, err, sizeof err)) {
        fprintf(stderr, "aula: cannot restore: %s; nothing was changed\n", err);
        unlink(tmp);
        return 1;
    }
    struct db_file_info copy;
    if (db_inspect_file(tmp, &copy) != DB_FILE_OK || !fsync_path(tmp, O_RDONLY)) {
        fprintf(stderr, "aula: cannot restore: the copy in %s did not check out (%s); is the "
                        "disk full? nothing was changed\n", tmp, copy.detail);
        unlink(tmp);
        return 1;
    }

    /* The database being replaced is kept with its -wal (which may hold
     * its last transactions when the server did not stop cleanly). */
    char stamp[32], kept[700];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(kept, sizeof kept, "%s.before-restore-%s", db, stamp);
    for (int i = 2; access(kept, F_OK) == 0 && i < 100; i++)
        snprintf(kept, sizeof kept, "%s.before-restore-%s-%d", db, stamp, i);
    bool had_db = access(db, F_OK) == 0;
    static const char *const sidecars[] = {"-wal", "-shm", "-journal"};
    if (had_db && rename(db, kept) != 0) {
        fprintf(stderr, "aula: cannot restore: cannot move %s aside: %s; nothing was changed\n",
                db, strerror(errno));
        unlink(tmp);
        return 1;
    }
    for (size_t i = 0; i < sizeof sidecars / sizeof sidecars[0]; i++) {
        char from[720], to[720];
        snprintf(from, sizeof from, "%s%s", db, sidecars[i]);
        snprintf(to, sizeof to, "%s%s", kept, sidecars[i]);
        if (!(had_db ? move_aside(from, to) : (unlink(from) == 0 || errno == ENOENT))) {
            fprintf(stderr, "aula: cannot restore: cannot move %s aside: %s\n", from,
                    strerror(errno));
            if (had_db)
                rename(kept, db);
            unlink(tmp);
            return 1;
        }
    }
    if (rename(tmp, db) != 0) {
        fprintf(stderr, "aula: cannot restore: cannot put %s in place: %s\n", db, strerror(errno));
        if (had_db)
            rename(kept, db);
        unlink(tmp);
        return 1;
    }
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
    printf("aula: restored %s from %s", db, file);
    if (copy.pending)
        printf(" (%d newer migration%s will be applied when aula serve starts)", copy.pending,
               copy.pending == 1 ? "" : "s");
    printf("\n");
    if (had_db)
        printf("aula: the previous database is kept as %s\n", kept);
    return 0;
}

/* ---- aula doctor ----------------------------------------------------- */

struct verdicts {
    int failed, warned;
};

static void say(struct verdicts *v, char level, const char *fmt, ...)
{
    const char *label = level == 'F' ? "FAIL" : level == 'W' ? "warn" : "ok";
    if (level == 'F')
        v->failed++;
    else if (level == 'W')
        v->warned++;
    char line[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("%-5s %s\n", label, line);
}

static int doctor_end(const struct verdicts *v)
{
    if (v->failed)
        printf("aula doctor: %d problem%s to fix%s\n", v->failed, v->failed == 1 ? "" : "s",
               v->warned ? ", and warnings above" : "");
    else
        printf("aula doctor: all checks passed%s\n", v->warned ? " (see the warnings)" : "");
    return v->failed ? 1 : 0;
}

static void check_permissions(struct verdicts *v, const char *dir)
{
    struct data_dir_report r;
    if (!data_dir_walk(dir, false, &r)) {
        say(v, 'F', "permissions: cannot walk %s: %s", dir, strerror(errno));
        return;
    }
    if (r.loose)
        say(v, 'F',
            "permissions: %d path%s in %s %s open to other users of this machine, e.g. %s; "
            "fix: aula init --data %s (tightens them), or chmod -R go-rwx %s",
            r.loose, r.loose == 1 ? "" : "s", dir, r.loose == 1 ? "is" : "are", r.loose_example,
            dir, dir);
    else
        say(v, 'O', "permissions: nothing in %s is open to other users", dir);
    if (r.foreign)
        say(v, 'F',
            "ownership: %d path%s not owned by the data directory's owner, e.g. %s; the server "
            "may fail to write them; fix: chown -R with the service's user (aula)",
            r.foreign, r.foreign == 1 ? " is" : "s are", r.foreign_example);
    if (r.unreadable)
        say(v, 'F', "permissions: %d path%s in %s cannot be read by you; run aula doctor as the "
                    "service's user (sudo -u aula aula doctor)",
            r.unreadable, r.unreadable == 1 ? "" : "s", dir);
}

static void check_keys(struct verdicts *v, const char *dir)
{
    char path[640];
    snprintf(path, sizeof path, "%s/keys/signing.key", dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        say(v, 'F', "signing key: %s is missing; certificates cannot be signed; run aula init "
                    "(or put back the keys/ folder of the backup of this installation)", path);
        return;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES],
        derived[crypto_sign_PUBLICKEYBYTES];
    bool loaded = keys_load(dir, pk, sk);
    bool match = loaded && crypto_sign_ed25519_sk_to_pk(derived, sk) == 0 &&
                 sodium_memcmp(derived, pk, sizeof pk) == 0;
    sodium_memzero(sk, sizeof sk);
    if (!loaded)
        say(v, 'F', "signing key: cannot read %s and signing.pub beside it", path);
    else if (!match)
        say(v, 'F', "signing key: %s does not match keys/signing.pub; put back both files "
                    "from the same backup", path);
    else if (st.st_mode & 077)
        say(v, 'F', "signing key: %s is %04o, readable by other users; fix: chmod 600 %s",
            path, (unsigned)(st.st_mode & 07777), path);
    else
        say(v, 'O', "signing key: %s is private (%04o) and matches signing.pub", path,
            (unsigned)(st.st_mode & 07777));
}

/* The X.509 identity that signs certificate PDFs: present, its key with it,
 * private, and not about to expire (PDF readers then call new signatures
 * invalid). */
static void check_document_signing(struct verdicts *v, const char *dir)
{
    char subject[300], keydir[640];
    long long not_after;
    snprintf(keydir, sizeof keydir, "%s/keys/pdf", dir);
    if (!pdf_keys_describe(dir, subject, sizeof subject, &not_after)) {
        say(v, 'F', "document signing: no usable certificate and key in %s; run aula serve or "
                    "aula init to make one, or aula keys import FILE.p12", keydir);
        return;
    }
    long long days = (not_after - (long long)time(NULL)) / 86400;
    if (days < 0)
        say(v, 'F', "document signing: the certificate %s expired; aula keys import a new one",
            subject);
    else if (days < 30)
        say(v, 'W', "document signing: the certificate %s expires in %lld days; aula keys import "
                    "a new one", subject, days);
    else
        say(v, 'O', "document signing: %s, valid for %lld more days", subject, days);
}

static void check_database(struct verdicts *v, const char *dir)
{
    char path[600];
    snprintf(path, sizeof path, "%s/aula.db", dir);
    if (access(path, F_OK) != 0) {
        say(v, 'F', "database: %s does not exist; run aula init, or aula restore a backup", path);
        return;
    }
    struct db_file_info info;
    switch (db_inspect_file(path, &info)) {
    case DB_FILE_OK:
        if (info.pending)
            say(v, 'O', "database: %s passes the integrity check; %d migration%s will be applied "
                        "when aula serve starts", path, info.pending,
                info.pending == 1 ? "" : "s");
        else
            say(v, 'O', "database: %s opens and passes the integrity check (%d migrations)", path,
                info.applied);
        break;
    case DB_FILE_UNREADABLE:
        say(v, 'F', "database: %s", info.detail);
        break;
    case DB_FILE_NOT_SQLITE:
        say(v, 'F', "database: %s is not an SQLite database; aula restore a backup", path);
        break;
    case DB_FILE_DAMAGED:
        say(v, 'F', "database: %s is damaged (integrity check: %s); stop aula and aula restore "
                    "the latest good backup", path, info.detail);
        break;
    case DB_FILE_NOT_AULA:
        say(v, 'F', "database: %s is not an Aula database (%s)", path, info.detail);
        break;
    case DB_FILE_NEWER:
        say(v, 'F', "database: %s was written by a newer version of Aula (%s); install that "
                    "version", path, info.detail);
        break;
    }
}

/* The SMTP URL as scheme://host:port, without any user or password. */
static void smtp_where(const char *url, char *buf, size_t n)
{
    snprintf(buf, n, "the SMTP server");
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        snprintf(buf, n, "%s://%s:%s", scheme, host, port);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
}

static void check_mail(struct verdicts *v, const struct config *c)
{
    if (!c->smtp_url[0]) {
        say(v, 'W', "mail: no SMTP server is set, so messages are only written to %s/mail and "
                    "nobody receives them; set [mail] smtp_url in aula.ini", c->data_dir);
        return;
    }
    char where[300], reply[300];
    smtp_where(c->smtp_url, where, sizeof where);
    struct smtp_config sc = {.url = c->smtp_url, .user = c->smtp_user,
                             .password = c->smtp_password, .timeout_seconds = 20};
    if (smtp_probe(&sc, reply, sizeof reply))
        say(v, 'O', "mail: %s answers (EHLO%s, NOOP %s); nothing was sent", where,
            c->smtp_user[0] ? ", AUTH" : "", reply);
    else
        say(v, 'F', "mail: %s does not answer as it should: %s; check [mail] smtp_url, "
                    "smtp_user and smtp_password", where, reply);
    if (!c->mail_from[0] || strstr(c->mail_from, "@localhost"))
        say(v, 'F', "mail: the sender is %s, which mail servers refuse; set [mail] from = "
                    "Aula <aula@your.domain>", c->mail_from[0] ? c->mail_from : "aula@localhost");
}

/* The public address set in the console (Settings), when aula.ini names
 * none: read from a database that passed its check, or "" if none is set. */
static void stored_base_url(const char *dir, char *buf, size_t n)
{
    buf[0] = '\0';
    char path[600];
    snprintf(path, sizeof path, "%s/aula.db", dir);
    struct db_file_info info;
    if (db_inspect_file(path, &info) != DB_FILE_OK)
        return;
    arena *a = arena_new(16 * 1024);
    if (!a)
        return;
    db_configure(path);
    const char *u = setting_get(a, "base_url");
    if (u)
        snprintf(buf, n, "%s", u);
    db_close_all();
    arena_free(a);
}

static void check_base_url(struct verdicts *v, const struct config *c, const char *dir)
{
    char stored[600];
    const char *u = c->base_url;
    if (!u[0]) {
        stored_base_url(dir, stored, sizeof stored);
        u = stored;
    }
    if (!u[0]) {
        say(v, 'F', "base_url: not set (neither in aula.ini nor in the console's Settings), so "
                    "links in emails and certificates name the listen address; set [server] "
                    "base_url = https://your.host in aula.ini, or the public address in Settings");
        return;
    }
    if (strncmp(u, "https://", 8) != 0) {
        say(v, 'F', "base_url: %s is not https; cookies are marked Secure only with an https "
                    "base_url; serve behind a TLS proxy and set base_url = https://...", u);
        return;
    }
    char host[256];
    snprintf(host, sizeof host, "%s", u + 8);
    host[strcspn(host, "/")] = '\0';
    if (host[0] == '[')
        host[strcspn(host, "]") + 1] = '\0';
    else
        host[strcspn(host, ":")] = '\0';
    if (strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
        strcmp(host, "[::1]") == 0 || strcmp(host, "0.0.0.0") == 0 || !host[0]) {
        say(v, 'F', "base_url: %s points at this machine itself; people cannot follow its "
                    "links; set the public name", u);
        return;
    }
    say(v, 'O', "base_url: %s", u);
}

static void check_disk(struct verdicts *v, const struct config *c)
{
    struct statvfs fs;
    if (statvfs(c->data_dir, &fs) != 0) {
        say(v, 'F', "disk: cannot tell the free space of %s: %s", c->data_dir, strerror(errno));
        return;
    }
    unsigned long long avail = (unsigned long long)fs.f_bavail * fs.f_frsize;
    double gib = (double)avail / (1024.0 * 1024 * 1024);
    if (avail < 512ull * 1024 * 1024)
        say(v, 'F', "disk: only %.2f GiB free for %s; the database, uploads and backups need "
                    "room; free some space", gib, c->data_dir);
    else if (avail < c->max_upload + 1024ull * 1024 * 1024)
        say(v, 'W', "disk: %.1f GiB free for %s, little beside the largest upload "
                    "(max_upload_mb)", gib, c->data_dir);
    else
        say(v, 'O', "disk: %.1f GiB free for %s", gib, c->data_dir);
}

static void check_clock(struct verdicts *v)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int year = tm.tm_year + 1900;
    if (year < 2024 || year >= 2100)
        say(v, 'F', "clock: the time is %s; sign-in links, reminders and certificates need the "
                    "right time; set up NTP (timedatectl set-ntp true)", stamp);
    else
        say(v, 'O', "clock: %s (UTC)", stamp);
}

int cmd_doctor(struct config *c, int argc, char **argv)
{
    if (argc > 0) {
        fprintf(stderr, "aula doctor: unexpected argument \"%s\"\n", argv[0]);
        return 2;
    }
    struct verdicts v = {0, 0};
    const char *dir = c->data_dir;
    struct stat st;
    if (stat(dir, &st) != 0) {
        say(&v, 'F', "data directory: %s does not exist (%s); run aula init --data %s, or pass "
                     "the right --data", dir, strerror(errno), dir);
        return doctor_end(&v);
    }
    if (!S_ISDIR(st.st_mode)) {
        say(&v, 'F', "data directory: %s is not a directory", dir);
        return doctor_end(&v);
    }
    if (access(dir, R_OK | X_OK) != 0) {
        say(&v, 'F', "data directory: %s cannot be read by you; run aula doctor as the user "
                     "the service runs as (sudo -u aula aula doctor)", dir);
        return doctor_end(&v);
    }
    if (access(dir, W_OK) != 0)
        say(&v, 'F', "data directory: %s cannot be written by you; the server could not store "
                     "anything", dir);
    else if (st.st_uid != geteuid())
        say(&v, 'W', "data directory: %s belongs to uid %u, you are uid %u; run aula doctor "
                     "as the service's user", dir, (unsigned)st.st_uid, (unsigned)geteuid());
    else
        say(&v, 'O', "data directory: %s (%04o)", dir, (unsigned)(st.st_mode & 07777));
    check_permissions(&v, dir);
    check_keys(&v, dir);
    check_document_signing(&v, dir);
    check_database(&v, dir);
    check_mail(&v, c);
    check_base_url(&v, c, dir);
    check_disk(&v, c);
    check_clock(&v);
    return doctor_end(&v);
}
