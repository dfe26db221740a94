/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The subcommands of the aula binary. */
#ifndef AULA_CLI_H
#define AULA_CLI_H

#include "config.h"

/* The web application, its routes and hooks (src/pages/routes.c): given to
 * the server by aula serve, which knows nothing else of the pages. */
struct server_app;
extern const struct server_app aula_app;

/* Each returns the process exit status.  argv holds the arguments after
 * the subcommand's name and the common flags. */
int cmd_init(struct config *c, int argc, char **argv);
int cmd_serve(struct config *c, int argc, char **argv);
int cmd_backup(struct config *c, int argc, char **argv);
int cmd_user(struct config *c, int argc, char **argv);
int cmd_token(struct config *c, int argc, char **argv);
int cmd_import(struct config *c, int argc, char **argv);
int cmd_export(struct config *c, int argc, char **argv);
int cmd_mail(struct config *c, int argc, char **argv);
int cmd_attendance(struct config *c, int argc, char **argv);
int cmd_certificates(struct config *c, int argc, char **argv);
int cmd_report(struct config *c, int argc, char **argv);
int cmd_verify(struct config *c, int argc, char **argv);
int cmd_keys(struct config *c, int argc, char **argv);
int cmd_restore(struct config *c, int argc, char **argv);
int cmd_doctor(struct config *c, int argc, char **argv);

/* Delivery settings from the configuration (cmd_mail.c). */
void configure_delivery(const struct config *c, bool with_reminders);

/* Creates the data directory (when missing) and opens and migrates the
 * database in it.  Prints one line and returns false on failure. */
bool open_data_dir(const struct config *c, bool create);

/* The data directory's lock file (datadir.c): shared by every command that
 * opens the directory, exclusive for aula restore; kept until exit.  False
 * with a message when another process holds it the other way. */
bool data_dir_lock(const char *dir, bool exclusive, char *err, size_t errlen);

/* What a walk over the data directory found (datadir.c). */
struct data_dir_report {
    int loose;      /* files and directories open to group or others */
    int fixed;      /* of those, tightened */
    int failed;     /* of those, not changeable */
    int foreign;    /* owned by another user than the directory itself */
    int unreadable; /* could not be looked at */
    char loose_example[700], foreign_example[700];
};
/* Walks dir without following links; with fix, takes group and other bits
 * away and prints one line per change (the first ten) and a summary. */
bool data_dir_walk(const char *dir, bool fix, struct data_dir_report *r);

#endif
