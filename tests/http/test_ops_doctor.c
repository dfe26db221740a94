/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula doctor: all checks pass on a fresh installation with a loopback SMTP
 * server (which receives nothing) or with no SMTP server at all (a warning);
 * it exits non-zero, with a line saying what to fix, on a missing data
 * directory, loose permissions, a readable signing key, a damaged database,
 * an SMTP server that does not answer, and a base_url people cannot use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static char root[256], data_dir[300], sink_dir[300];
static pid_t sink_pid;
static int sink_port;

/* Starts tests/py/smtp_sink.py on a loopback port. */
static bool sink_start(void)
{
    char script[512];
    source_path("tests/py/smtp_sink.py", script, sizeof script);
    int o[2];
    if (pipe(o))
        return false;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(o[1], 1);
        close(o[0]);
        execl("/usr/bin/python3", "python3", script, "--host", "127.0.0.1", "--port", "0",
              "--dir", sink_dir, (char *)NULL);
        _exit(127);
    }
    close(o[1]);
    sink_pid = pid;
    char buf[128] = "";
    size_t len = 0;
    struct pollfd p = {.fd = o[0], .events = POLLIN};
    while (len < sizeof buf - 1 && !strchr(buf, '\n') && poll(&p, 1, 10000) > 0) {
        ssize_t r = read(o[0], buf + len, sizeof buf - 1 - len);
        if (r <= 0)
            break;
        len += (size_t)r;
        buf[len] = '\0';
    }
    close(o[0]);
    if (sscanf(buf, "listening %d", &sink_port) != 1) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        sink_pid = 0;
        return false;
    }
    return true;
}

static void write_ini(const char *text)
{
    char p[400];
    snprintf(p, sizeof p, "%s/aula.ini", data_dir);
    /* aula.ini may hold the SMTP password: private like the rest. */
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static int setup(void **state)
{
    (void)state;
    umask(022);
    temp_dir(root, sizeof root);
    snprintf(data_dir, sizeof data_dir, "%s/data", root);
    snprintf(sink_dir, sizeof sink_dir, "%s/sink", root);
    prepare_demo(data_dir);
    return sink_start() ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (sink_pid) {
        kill(sink_pid, SIGTERM);
        waitpid(sink_pid, NULL, 0);
    }
    remove_tree(root);
    return 0;
}

static int doctor(char *out, size_t n)
{
    return run_aula(NULL, out, n, "doctor", "--data", data_dir, NULL);
}

static int sink_messages(void)
{
    DIR *d = opendir(sink_dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".eml") != NULL;
    closedir(d);
    return n;
}

static void expect(const char *out, const char *needle)
{
    if (!strstr(out, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, out);
}

static void healthy_with_smtp_sink(void **state)
{
    (void)state;
    char ini[600], out[8192];
    snprintf(ini, sizeof ini,
             "[server]\nbase_url = https://aula.example.org\n"
             "[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = Aula <aula@example.org>\n",
             sink_port);
    write_ini(ini);
    assert_int_equal(doctor(out, sizeof out), 0);
    expect(out, "ok    data directory:");
    expect(out, "ok    permissions:");
    expect(out, "ok    signing key:");
    expect(out, "ok    database:");
    expect(out, "passes the integrity check");
    char line[200];
    snprintf(line, sizeof line, "ok    mail: smtp://127.0.0.1:%d answers", sink_port);
    expect(out, line);
    expect(out, "ok    base_url: https://aula.example.org");
    expect(out, "ok    disk:");
    expect(out, "ok    clock:");
    expect(out, "aula doctor: all checks passed");
    assert_null(strstr(out, "FAIL"));
    /* It connected and sent nothing. */
    assert_int_equal(sink_messages(), 0);
    /* And it left nothing beside the stopped server's database. */
    char p[400];
    snprintf(p, sizeof p, "%s/aula.db-wal", data_dir);
    assert_int_not_equal(access(p, F_OK), 0);
}

static void warns_without_smtp(void **state)
{
    (void)state;
    char out[8192];
    write_ini("[server]\nbase_url = https://aula.example.org\n");
    assert_int_equal(doctor(out, sizeof out), 0);
    expect(out, "warn  mail: no SMTP server is set");
    assert_null(strstr(out, "FAIL"));
}

static void smtp_that_does_not_answer(void **state)
{
    (void)state;
    char out[8192];
    /* Port 1 on loopback: nobody listens there. */
    write_ini("[server]\nbase_url = https://aula.example.org\n"
              "[mail]\nsmtp_url = smtp://127.0.0.1:1\nsmtp_user = u\nsmtp_password = s3cret-pw\n"
              "from = Aula <aula@example.org>\n");
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  mail: smtp://127.0.0.1:1 does not answer");
    /* The password is never shown. */
    assert_null(strstr(out, "s3cret-pw"));
    write_ini("[server]\nbase_url = https://aula.example.org\n");
}

static void base_url_people_cannot_use(void **state)
{
    (void)state;
    char out[8192];
    write_ini("");
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  base_url: not set");
    write_ini("[server]\nbase_url = http://aula.example.org\n");
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  base_url: http://aula.example.org is not https");
    write_ini("[server]\nbase_url = https://localhost:8443\n");
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "points at this machine");
    write_ini("[server]\nbase_url = https://aula.example.org\n");
    assert_int_equal(doctor(out, sizeof out), 0);
}

/* An address set in the console's Settings counts as set; an insecure one
 * stored there is judged like one in aula.ini. */
static void base_url_set_in_the_console(void **state)
{
    (void)state;
    char out[8192], q[64];
    write_ini("");
    db_query(data_dir, "INSERT INTO site_setting (name, value, updated_at) VALUES "
                       "('base_url', 'https://console.example.org', '2026-12-02 08:00:00')",
             q, sizeof q);
    assert_int_equal(doctor(out, sizeof out), 0);
    expect(out, "ok    base_url: https://console.example.org");
    db_query(data_dir, "UPDATE site_setting SET value = 'http://console.example.org' "
                       "WHERE name = 'base_url'", q, sizeof q);
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  base_url: http://console.example.org is not https");
    db_query(data_dir, "DELETE FROM site_setting WHERE name = 'base_url'", q, sizeof q);
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  base_url: not set");
    write_ini("[server]\nbase_url = https://aula.example.org\n");
}

static void loose_permissions(void **state)
{
    (void)state;
    char out[8192], p[400];
    snprintf(p, sizeof p, "%s/aula.db", data_dir);
    chmod(p, 0644);
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  permissions: 1 path in");
    expect(out, "aula.db (0644)");
    expect(out, "aula doctor: 1 problem to fix");
    /* doctor looks; it does not change anything. */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    chmod(p, 0600);

    snprintf(p, sizeof p, "%s/keys/signing.key", data_dir);
    chmod(p, 0640);
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  signing key:");
    expect(out, "readable by other users");
    chmod(p, 0600);

    chmod(data_dir, 0755);
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  permissions:");
    chmod(data_dir, 0700);
    assert_int_equal(doctor(out, sizeof out), 0);
}

static void damaged_database(void **state)
{
    (void)state;
    char out[8192], p[400], saved[420];
    snprintf(p, sizeof p, "%s/aula.db", data_dir);
    snprintf(saved, sizeof saved, "%s/saved.db", root);
    assert_int_equal(run_aula(NULL, out, sizeof out, "backup", "--data", data_dir, saved, NULL), 0);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    FILE *f = fopen(p, "r+b");
    assert_non_null(f);
    fseek(f, st.st_size / 2, SEEK_SET);
    for (int i = 0; i < 16384; i++)
        fputc(i * 13 & 0xff, f);
    fclose(f);
    assert_int_equal(doctor(out, sizeof out), 1);
    expect(out, "FAIL  database:");
    expect(out, "is damaged");
    assert_int_equal(run_aula(NULL, out, sizeof out, "restore", "--data", data_dir, saved, NULL), 0);
    assert_int_equal(doctor(out, sizeof out), 0);
}

static void missing_data_directory(void **state)
{
    (void)state;
    char out[8192], missing[400];
    snprintf(missing, sizeof missing, "%s/nowhere", root);
    assert_int_equal(run_aula(NULL, out, sizeof out, "doctor", "--data", missing, NULL), 1);
    expect(out, "FAIL  data directory:");
    expect(out, "does not exist");
    /* Looking did not create it. */
    assert_int_not_equal(access(missing, F_OK), 0);
}

static void unreadable_data_directory(void **state)
{
    (void)state;
    if (geteuid() == 0)
        skip(); /* root reads everything */
    char out[8192];
    chmod(data_dir, 0000);
    int rc = doctor(out, sizeof out);
    chmod(data_dir, 0700);
    assert_int_equal(rc, 1);
    expect(out, "cannot be read by you");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthy_with_smtp_sink),
        cmocka_unit_test(warns_without_smtp),
        cmocka_unit_test(smtp_that_does_not_answer),
        cmocka_unit_test(base_url_people_cannot_use),
        cmocka_unit_test(base_url_set_in_the_console),
        cmocka_unit_test(loose_permissions),
        cmocka_unit_test(damaged_database),
        cmocka_unit_test(missing_data_directory),
        cmocka_unit_test(unreadable_data_directory),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
