/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The subcommands of the aula binary. */
#ifndef AULA_CLI_H
#define AULA_CLI_H

#include "config.h"

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
int cmd_verify(struct config *c, int argc, char **argv);

/* Delivery settings from the configuration (cmd_mail.c). */
void configure_delivery(const struct config *c, bool with_reminders);

/* Creates the data directory (when missing) and opens and migrates the
 * database in it.  Prints one line and returns false on failure. */
bool open_data_dir(const struct config *c, bool create);

#endif
