/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula: the command-line front door.  Common flags (--data, --listen) are
 * read here; everything else belongs to the subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "../app/app.h"
#include "../base/arena.h"
#include "cli.h"

#ifndef AULA_VERSION
#define AULA_VERSION "0.0.0"
#endif

struct command {
    const char *name;
    int (*run)(struct config *, int, char **);
    const char *usage;
    const char *help;
};

static const struct command commands[] = {
    {"init", cmd_init, "aula init [--data DIR]",
     "Creates the data directory, its database and the certificate signing keys."},
    {"serve", cmd_serve, "aula serve [--data DIR] [--listen ADDR:PORT]",
     "Serves the web site until SIGTERM or SIGINT (default 127.0.0.1:8080)."},
    {"backup", cmd_backup, "aula backup [--data DIR] FILE",
     "Writes a consistent copy of the database to FILE while the server runs."},
    {"restore", cmd_restore, "aula restore [--data DIR] FILE",
     "Puts a backup made by aula backup back in place of the database.  Refused while\n"
     "aula serve (or another aula command) uses the data directory, and when FILE is not\n"
     "a sound Aula database of this version or older; nothing is changed then.  The\n"
     "database it replaces is kept beside it as aula.db.before-restore-TIME."},
    {"doctor", cmd_doctor, "aula doctor [--data DIR]",
     "Checks the installation: data directory and key permissions, the database's\n"
     "integrity, the SMTP server (connects, sends nothing), base_url, free disk space and\n"
     "the clock.  One line per check with what to fix; exits 1 when something is wrong."},
    {"user", cmd_user, "aula user add [--data DIR] --role admin|coordinator|trainer EMAIL",
     "Creates a staff account or changes its role.  The password is read from\n"
     "standard input when it is not a terminal, otherwise generated and printed."},
    {"token", cmd_token, "aula token create [--data DIR] EMAIL",
     "Prints a new API token for an existing account."},
    {"import", cmd_import, "aula import [--data DIR] FILE.json",
     "Loads an edition's programme, replacing the edition with the same slug.\n"
     "Nothing is loaded when the file has any fault; the fault's JSON path is shown."},
    {"mail", cmd_mail, "aula mail send [--data DIR]",
     "Delivers the queued messages that are due and exits (for cron or a single run)."},
    {"attendance", cmd_attendance,
     "aula attendance import [--data DIR] --event SLUG --course COURSE --date YYYY-MM-DD [--tz ZONE] [--dry-run] FILE",
     "Imports a Zoom participants report for a course day, replacing that day's import.\n"
     "A report of another day is refused; of one with several days only that day's is kept.\n"
     "--tz is the time zone of the account that exported it (default: the edition's).\n"
     "--dry-run prints what would be imported and changes nothing."},
    {"report", cmd_report,
     "aula report [--data DIR] --event SLUG --lang es|en --format pdf|xlsx|html [--participants] -o FILE",
     "Writes the edition's final report (figures, charts, texts) as PDF, XLSX or HTML."},
    {"certificates", cmd_certificates,
     "aula certificates issue [--data DIR] --event SLUG --course COURSE",
     "Issues the certificates of everyone eligible for the course (signed PDF, emailed)."},
    {"verify", cmd_verify, "aula verify [--data DIR] FILE.pdf",
     "Checks a certificate offline: the PDF's document signature over every byte (by one of\n"
     "this installation's signing certificates), nothing added after it, the signed facts,\n"
     "and that it is the file as issued.  Says which check failed.  Valid (exit 0), tampered,\n"
     "modified, not ours or unreadable (1), revoked or superseded as of the last list this\n"
     "installation knows (3)."},
    {"keys", cmd_keys, "aula keys import [--data DIR] FILE.p12",
     "Installs an organisation's own document signing certificate, key and chain from a\n"
     "PKCS#12 file (password from AULA_P12_PASSWORD, else the first line of standard input)\n"
     "and signs certificate PDFs with it from now on.  Earlier certificates stay verifiable."},
    {"export", cmd_export, "aula export [--data DIR] SLUG",
     "Writes an edition's programme as JSON to standard output."},
};

static void usage(FILE *out)
{
    fprintf(out, "Aula %s: training programmes from announcement to final report.\n\n"
                 "Usage:\n", AULA_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %s\n", commands[i].usage);
    fprintf(out, "\nEvery command takes --data DIR (default ./aula-data, or AULA_DATA)\n"
                 "and --config FILE (default DIR/aula.ini if present, or AULA_CONFIG).\n"
                 "Settings: the configuration file, then the environment, then flags.\n"
                 "aula CMD --help describes one command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("aula %s\n", AULA_VERSION);
        return 0;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            cmd = &commands[i];
    if (!cmd) {
        fprintf(stderr, "aula: unknown command \"%s\"; see aula --help\n", argv[1]);
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "aula: libsodium failed to initialise\n");
        return 1;
    }
    json_arena_init();
    /* Everything aula writes (database, backups, mail, uploads, keys) holds
     * personal data or secrets: only its owner may read it. */
    umask(077);

    /* Flags first, as they decide where aula.ini is. */
    const char *data = NULL, *listen = NULL, *config_file = NULL;
    char **rest = calloc((size_t)argc, sizeof *rest);
    int nrest = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("Usage: %s\n\n%s\n", cmd->usage, cmd->help);
            free(rest);
            return 0;
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else if (strncmp(argv[i], "--data=", 7) == 0) {
            data = argv[i] + 7;
        } else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_file = argv[++i];
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            config_file = argv[i] + 9;
        } else if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
            listen = argv[++i];
        } else if (strncmp(argv[i], "--listen=", 9) == 0) {
            listen = argv[i] + 9;
        } else {
            rest[nrest++] = argv[i];
        }
    }
    struct config cfg;
    config_defaults(&cfg);
    if (!data)
        data = getenv("AULA_DATA");
    if (data && *data)
        snprintf(cfg.data_dir, sizeof cfg.data_dir, "%s", data);
    if (!config_file)
        config_file = getenv("AULA_CONFIG");
    if (config_file && strlen(config_file) >= sizeof cfg.config_file) {
        fprintf(stderr, "aula: the configuration file's name is too long\n");
        free(rest);
        return 2;
    }
    if (config_file && *config_file)
        snprintf(cfg.config_file, sizeof cfg.config_file, "%s", config_file);
    char err[600];
    if (!config_load_file(&cfg, err, sizeof err)) {
        fprintf(stderr, "aula: %s\n", err);
        free(rest);
        return 1;
    }
    config_from_env(&cfg);
    if (listen && !config_set_listen(&cfg, listen)) {
        fprintf(stderr, "aula: --listen takes ADDR:PORT, such as 127.0.0.1:8080\n");
        free(rest);
        return 2;
    }
    /* Every command's operations read the installation from here. */
    app_configure(&(struct app_config){
        .data_dir = cfg.data_dir,
        .base_url = *cfg.base_url ? cfg.base_url : NULL,
        .max_upload = cfg.max_upload,
        .timestamp_url = *cfg.timestamp_url ? cfg.timestamp_url : NULL,
    });
    int rc = cmd->run(&cfg, nrest, rest);
    free(rest);
    return rc;
}
