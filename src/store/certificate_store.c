/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "certificate_store.h"

#include <stdio.h>
#include <string.h>

#include "account_store.h"
#include "db.h"
#include "outbox_store.h"

bool certificate_next_number(const char *prefix, char *out, size_t n)
{
    sqlite3_stmt *st = db_stmt("SELECT count(*) FROM certificate WHERE number LIKE ? || '-%'");
    if (!st)
        return false;
    db_bind_text(st, 1, prefix);
    int count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    snprintf(out, n, "%s-%04d", prefix, count + 1);
    return true;
}

bool certificate_record(const char *number, int64_t enrolment_id, const char *facts,
                        const char *signature, const char *key_id, const char *pdf_sha256,
                        const char *by, const char *replaces, const struct message *mail,
                        int64_t application_id, const char *batch)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO certificate (number, enrolment_id, facts, signature, key_id, issued_at,"
        " issued_by, pdf_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, number);
        db_bind_int(st, 2, enrolment_id);
        db_bind_text(st, 3, facts);
        db_bind_text(st, 4, signature);
        db_bind_text(st, 5, key_id);
        db_bind_text(st, 6, now);
        db_bind_text(st, 7, by);
        db_bind_text(st, 8, pdf_sha256);
        ok = db_exec_stmt(st);
    }
    if (ok && replaces) {
        st = db_stmt("UPDATE certificate SET status = 'superseded', superseded_by = ?,"
                     " revoked_at = ? WHERE number = ? AND status = 'valid'");
        ok = st != NULL;
        if (ok) {
            db_bind_text(st, 1, number);
            db_bind_text(st, 2, now);
            db_bind_text(st, 3, replaces);
            ok = db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
        }
    }
    if (ok)
        ok = audit(by, replaces ? "certificate.reissue" : "certificate.issue", number, replaces);
    if (ok && mail)
        ok = outbox_queue("certificate", application_id, mail, batch);
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

/* Macros, not variables, so that the queries are built at compile time (a buffer
   filled on first use would be a data race between request threads). */
#define CERT_COLUMNS \
    "x.number, x.enrolment_id, x.facts, x.signature, x.key_id, x.status, x.issued_at," \
    " x.revoked_at, x.revoke_reason, x.superseded_by, e.slug, c.slug, a.email, a.account_id," \
    " a.given_names, a.family_names, x.pdf_sha256"

static json_t *cert_row(sqlite3_stmt *st)
{
    return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:I,"
                     " s:s, s:s, s:s?}",
        "number", db_col_text(st, 0), "enrolment_id", (json_int_t)sqlite3_column_int64(st, 1),
        "facts", db_col_text(st, 2), "signature", db_col_text(st, 3), "key_id",
        db_col_text(st, 4), "status", db_col_text(st, 5), "issued_at", db_col_text(st, 6),
        "revoked_at", db_col_text(st, 7), "revoke_reason", db_col_text(st, 8), "superseded_by",
        db_col_text(st, 9), "edition", db_col_text(st, 10), "course", db_col_text(st, 11),
        "email", db_col_text(st, 12), "account_id", (json_int_t)sqlite3_column_int64(st, 13),
        "given_names", db_col_text(st, 14), "family_names", db_col_text(st, 15),
        "pdf_sha256", db_col_text(st, 16));
}

#define WITH_JOINS(where)                                                                  \
    "SELECT " CERT_COLUMNS " FROM certificate x JOIN enrolment en ON en.id = x.enrolment_id"   \
    " JOIN application a ON a.id = en.application_id JOIN course c"                            \
    " ON c.id = en.course_id JOIN edition e ON e.id = c.edition_id " where

json_t *certificate_by_number(const char *number)
{
    static const char sql[] = WITH_JOINS("WHERE x.number = ?");
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return NULL;
    db_bind_text(st, 1, number);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? cert_row(st) : NULL;
    sqlite3_reset(st);
    return o;
}

json_t *certificate_by_pdf_sha256(const char *sha256_hex)
{
    static const char sql[] = WITH_JOINS("WHERE x.pdf_sha256 = ?");
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return NULL;
    db_bind_text(st, 1, sha256_hex);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? cert_row(st) : NULL;
    sqlite3_reset(st);
    return o;
}

bool certificate_issuer_name(char *out, size_t n)
{
    sqlite3_stmt *st = db_stmt("SELECT coalesce(name_es, name_en, short_name) FROM organisation"
                               " ORDER BY id LIMIT 1");
    out[0] = '\0';
    if (!st)
        return false;
    if (sqlite3_step(st) == SQLITE_ROW && db_col_text(st, 0))
        snprintf(out, n, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    return out[0] != '\0';
}

json_t *certificate_of_enrolment(int64_t enrolment_id)
{
    static const char sql[] = WITH_JOINS("WHERE x.enrolment_id = ? AND x.status = 'valid'");
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return NULL;
    db_bind_int(st, 1, enrolment_id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? cert_row(st) : NULL;
    sqlite3_reset(st);
    return o;
}

json_t *certificates_of_edition(const char *edition_slug)
{
    static const char sql[] = WITH_JOINS("WHERE e.slug = ? ORDER BY x.id");
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return arr;
    db_bind_text(st, 1, edition_slug);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, cert_row(st));
    sqlite3_reset(st);
    return arr;
}

json_t *certificates_revoked(void)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt("SELECT number, status, revoked_at, revoke_reason, superseded_by"
                               " FROM certificate WHERE status <> 'valid' ORDER BY number");
    if (!st)
        return arr;
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "number",
            db_col_text(st, 0), "status", db_col_text(st, 1), "at", db_col_text(st, 2),
            "reason", db_col_text(st, 3), "superseded_by", db_col_text(st, 4)));
    sqlite3_reset(st);
    return arr;
}

bool certificate_revoke(const char *number, const char *reason, const char *by)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt("UPDATE certificate SET status = 'revoked', revoked_at = ?,"
                               " revoke_reason = ? WHERE number = ? AND status = 'valid'");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, now);
        db_bind_text(st, 2, reason);
        db_bind_text(st, 3, number);
        ok = db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
    }
    if (ok)
        ok = audit(by, "certificate.revoke", number, reason);
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

bool eligibility_grant(int64_t enrolment_id, const char *reason, const char *by)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO eligibility_grant (enrolment_id, reason, granted_by, granted_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (enrolment_id) DO UPDATE SET reason = excluded.reason,"
        " granted_by = excluded.granted_by, granted_at = excluded.granted_at");
    bool ok = st != NULL;
    if (ok) {
        db_bind_int(st, 1, enrolment_id);
        db_bind_text(st, 2, reason);
        db_bind_text(st, 3, by);
        db_bind_text(st, 4, now);
        ok = db_exec_stmt(st);
    }
    if (ok) {
        char subject[64];
        snprintf(subject, sizeof subject, "enrolment:%lld", (long long)enrolment_id);
        ok = audit(by, "certificate.grant", subject, reason);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

json_t *eligibility_grant_of(int64_t enrolment_id)
{
    sqlite3_stmt *st = db_stmt("SELECT reason, granted_by, granted_at FROM eligibility_grant"
                               " WHERE enrolment_id = ?");
    if (!st)
        return NULL;
    db_bind_int(st, 1, enrolment_id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        o = json_pack("{s:s, s:s, s:s}", "reason", db_col_text(st, 0), "granted_by",
                      db_col_text(st, 1), "granted_at", db_col_text(st, 2));
    sqlite3_reset(st);
    return o;
}

json_t *signatories_of(const char *edition_slug)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt("SELECT s.name, s.title_es, s.title_en FROM signatory s"
                               " JOIN edition e ON e.id = s.edition_id WHERE e.slug = ?"
                               " ORDER BY s.sort_order, s.id");
    if (!st)
        return arr;
    db_bind_text(st, 1, edition_slug);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:s, s:{s:s?, s:s?}}", "name", db_col_text(st, 0),
                                             "title", "es", db_col_text(st, 1), "en",
                                             db_col_text(st, 2)));
    sqlite3_reset(st);
    return arr;
}

bool signatory_add(const char *edition_slug, const char *name, const char *title_es,
                   const char *title_en)
{
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO signatory (edition_id, sort_order, name, title_es, title_en)"
        " SELECT e.id, (SELECT coalesce(max(sort_order), -1) + 1 FROM signatory"
        " WHERE edition_id = e.id), ?, ?, ? FROM edition e WHERE e.slug = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, title_es);
    db_bind_text(st, 3, title_en);
    db_bind_text(st, 4, edition_slug);
    return db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
}
