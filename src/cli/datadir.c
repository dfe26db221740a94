/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Looking after the data directory itself: the lock that tells aula
 * restore a server is running, and the permissions of what is inside it.
 *
 * The directory holds applicants' personal data, password hashes, live
 * tokens and sign-in links (the .eml files under mail/), so nothing in it may be open to
 * the machine's other users: directories 0700, files 0600.  main() sets the
 * umask so that new files come out that way; the walk here repairs what an
 * older version or a hand-made copy left looser. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

bool data_dir_lock(const char *dir, bool exclusive, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof path, "%s/aula.lock", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    /* flock needs no write access: a lock file another account created
     * (a command once run as root) still serves. */
    if (fd < 0 && errno == EACCES)
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    /* flock is released by the kernel when the process ends, however it
     * ends, so a crashed server never leaves a stale lock behind.  The
     * descriptor is kept open on purpose until then. */
    if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            snprintf(err, errlen,
                     exclusive ? "%s is in use by a running aula (aula serve, or a command)"
                               : "aula restore is replacing the database in %s; try again "
                                 "when it has finished",
                     dir);
        else
            snprintf(err, errlen, "cannot lock %s: %s", path, strerror(e));
        return false;
    }
    return true;
}

/* nftw() takes no user pointer; the walk runs before any thread starts. */
static struct {
    bool fix;
    uid_t owner;
    struct data_dir_report *r;
} walk;

static void note_example(char *buf, size_t n, const char *path, mode_t mode)
{
    if (!buf[0])
        snprintf(buf, n, "%s (%04o)", path, (unsigned)(mode & 07777));
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    struct data_dir_report *r = walk.r;
    if (type == FTW_SL || type == FTW_SLN)
        return 0; /* a link's own mode means nothing; its target is not ours */
    if (type == FTW_DNR || type == FTW_NS) {
        r->unreadable++;
        return 0;
    }
    if (st->st_uid != walk.owner) {
        r->foreign++;
        note_example(r->foreign_example, sizeof r->foreign_example, path, st->st_mode);
    }
    if (!(st->st_mode & 077))
        return 0;
    r->loose++;
    note_example(r->loose_example, sizeof r->loose_example, path, st->st_mode);
    if (!walk.fix)
        return 0;
    mode_t tight = st->st_mode & 0700;
    if (chmod(path, tight) != 0) {
        r->failed++;
        fprintf(stderr, "aula: %s is open to other users (%04o) and cannot be changed: %s\n",
                path, (unsigned)(st->st_mode & 07777), strerror(errno));
        return 0;
    }
    r->fixed++;
    if (r->fixed <= 10)
        fprintf(stderr, "aula: %s was open to other users (%04o); now %04o\n", path,
                (unsigned)(st->st_mode & 07777), (unsigned)tight);
    return 0;
}

bool data_dir_walk(const char *dir, bool fix, struct data_dir_report *r)
{
    memset(r, 0, sizeof *r);
    struct stat st;
    if (stat(dir, &st) != 0)
        return false;
    walk.fix = fix;
    walk.owner = st.st_uid;
    walk.r = r;
    bool ok = nftw(dir, visit, 16, FTW_PHYS) == 0;
    if (fix && r->fixed > 10)
        fprintf(stderr, "aula: ... and %d more\n", r->fixed - 10);
    if (fix && r->fixed > 0)
        fprintf(stderr,
                "aula: tightened the permissions of %d path%s in %s (directories 0700, files "
                "0600): they held personal data readable by other users of this machine\n",
                r->fixed, r->fixed == 1 ? "" : "s", dir);
    return ok;
}
