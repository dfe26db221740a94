/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "outbox_store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "db.h"

/* s with every occurrence of from replaced by to, in a; s itself when from
 * does not occur.  NULL only when out of memory. */
static const char *replace_all(arena *a, const char *s, const char *from, const char *to)
{
    if (!s || !strstr(s, from))
        return s;
    size_t nf = strlen(from), nt = strlen(to), n = 0;
    for (const char *p = strstr(s, from); p; p = strstr(p + nf, from))
        n++;
    char *out = arena_alloc(a, strlen(s) - n * nf + n * nt + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p; (p = strstr(s, from)); s = p + nf) {
        memcpy(o, s, (size_t)(p - s));
        o += p - s;
        memcpy(o, to, nt);
        o += nt;
    }
    strcpy(o, s);
    return out;
}

/* Secrets shorter than this are not treated as such: masking them could
 * hit ordinary words.  Every token Aula makes is far longer. */
enum { SECRET_MIN = 16 };

static bool outbox_insert(const char *kind, int64_t application_id, const struct message *m,
                          const char *batch, const char *subject, const char *body_text,
                          const char *body_html, const char *secret);

bool outbox_queue(const char *kind, int64_t application_id, const struct message *m,
                  const char *batch)
{
    /* The stored text carries the mask where the secret is, so the console
     * (and anything else reading the outbox) never sees it. */
    const char *secret = m->secret && strlen(m->secret) >= SECRET_MIN ? m->secret : NULL;
    const char *subject = m->subject, *text = m->body_text, *html = m->body_html;
    if (secret) {
        arena *a = arena_new(4 * (strlen(text ? text : "") + strlen(html ? html : "") +
                                  strlen(subject ? subject : "")) + 4096);
        if (!a)
            return false;
        subject = replace_all(a, subject, secret, OUTBOX_MASK);
        text = replace_all(a, text, secret, OUTBOX_MASK);
        html = replace_all(a, html, secret, OUTBOX_MASK);
        bool ok = (subject || !m->subject) && (text || !m->body_text) &&
                  (html || !m->body_html) &&
                  outbox_insert(kind, application_id, m, batch, subject, text, html, secret);
        arena_free(a);
        return ok;
    }
    return outbox_insert(kind, application_id, m, batch, subject, text, html, NULL);
}

static bool outbox_insert(const char *kind, int64_t application_id, const struct message *m,
                          const char *batch, const char *subject, const char *body_text,
                          const char *body_html, const char *secret)
{
    char now[32], mid[33];
    unsigned char raw[16];
    db_now(now);
    /* The Message-ID is fixed when the message is queued, so a message sent
     * again after a crash carries the same one and mail programs can tell
     * it is a duplicate. */
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(mid, sizeof mid, raw, sizeof raw);
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO outbox (created_at, kind, to_addr, to_name, language, subject, body_text,"
        " body_html, calendar, reply_to, application_id, next_attempt_at, message_id, batch,"
        " attachment_path, attachment_name, attachment_type, secret)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st || !m->to_addr || !subject || !body_text)
        return false;
    db_bind_text(st, 1, now);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, m->to_addr);
    db_bind_text(st, 4, m->to_name);
    db_bind_text(st, 5, m->language ? m->language : "es");
    db_bind_text(st, 6, subject);
    db_bind_text(st, 7, body_text);
    db_bind_text(st, 8, body_html);
    db_bind_text(st, 9, m->calendar);
    db_bind_text(st, 10, m->reply_to);
    if (application_id)
        db_bind_int(st, 11, application_id);
    db_bind_text(st, 12, now);
    db_bind_text(st, 13, mid);
    db_bind_text(st, 14, batch);
    db_bind_text(st, 15, m->attachment_path);
    db_bind_text(st, 16, m->attachment_name);
    db_bind_text(st, 17, m->attachment_type);
    db_bind_text(st, 18, secret);
    return db_exec_stmt(st);
}

bool outbox_claim(arena *a, struct outbox_row *out)
{
    char now[32];
    db_now(now);
    /* One statement finds and takes the row, so two workers never take the
     * same message. */
    sqlite3_stmt *st = db_stmt(
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ?1"
        " WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ?1"
        "             ORDER BY next_attempt_at, id LIMIT 1) AND status = 'queued'"
        " RETURNING id, attempts, kind, to_addr, to_name, subject, body_text, body_html,"
        " calendar, reply_to, message_id, created_at, attachment_path, attachment_name,"
        " attachment_type, secret,"
        /* The sender's name: the organisation of the recipient's edition (or
         * the first one), in the message's language. */
        " (SELECT CASE WHEN outbox.language = 'en' THEN coalesce(o.name_en, o.name_es)"
        "              ELSE coalesce(o.name_es, o.name_en) END"
        "  FROM organisation o LEFT JOIN edition e ON e.organisation_id = o.id"
        "  LEFT JOIN application ap ON ap.edition_id = e.id AND ap.id = outbox.application_id"
        "  ORDER BY ap.id IS NULL, o.id LIMIT 1)");
    if (!st)
        return false;
    db_bind_text(st, 1, now);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        out->id = sqlite3_column_int64(st, 0);
        out->attempts = sqlite3_column_int(st, 1);
        const char **fields[] = {&out->kind, &out->to_addr, &out->to_name, &out->subject,
                                 &out->body_text, &out->body_html, &out->calendar,
                                 &out->reply_to, &out->message_id, &out->created_at,
                                 &out->attachment_path, &out->attachment_name,
                                 &out->attachment_type};
        for (int i = 0; i < 13; i++)
            *fields[i] = arena_strdup(a, db_col_text(st, 2 + i));
        out->organisation = arena_strdup(a, db_col_text(st, 16));
        /* The secret goes back in only now, for delivery. */
        const char *secret = db_col_text(st, 15);
        if (secret && *secret) {
            out->subject = replace_all(a, out->subject, OUTBOX_MASK, secret);
            out->body_text = replace_all(a, out->body_text, OUTBOX_MASK, secret);
            out->body_html = replace_all(a, out->body_html, OUTBOX_MASK, secret);
        }
    }
    /* Step to the end so the update is complete before the reset. */
    while (found && sqlite3_step(st) == SQLITE_ROW)
        ;
    sqlite3_reset(st);
    return found;
}

static bool update(const char *sql, int64_t id, const char *a, const char *b)
{
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return false;
    db_bind_text(st, 1, a);
    db_bind_text(st, 2, b);
    db_bind_int(st, 3, id);
    return db_exec_stmt(st);
}

bool outbox_mark_sent(int64_t id)
{
    char now[32];
    db_now(now);
    return update("UPDATE outbox SET status = 'sent', sent_at = ?1, last_error = ?2, secret = NULL"
                  " WHERE id = ?3", id, now, NULL);
}

bool outbox_mark_retry(int64_t id, const char *next_attempt_at, const char *error)
{
    return update("UPDATE outbox SET status = 'queued', next_attempt_at = ?1, last_error = ?2"
                  " WHERE id = ?3", id, next_attempt_at, error);
}

bool outbox_mark_failed(int64_t id, const char *error)
{
    return update("UPDATE outbox SET status = 'failed', last_error = ?2, claimed_at = ?1"
                  " WHERE id = ?3", id, NULL, error);
}

int outbox_recover(void)
{
    sqlite3_stmt *st = db_stmt("UPDATE outbox SET status = 'queued' WHERE status = 'sending'");
    if (!st || !db_exec_stmt(st))
        return -1;
    return sqlite3_changes(db_conn());
}

bool outbox_resend(int64_t id)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt("UPDATE outbox SET status = 'queued', attempts = 0,"
                               " next_attempt_at = ? WHERE id = ? AND status = 'failed'");
    if (!st)
        return false;
    db_bind_text(st, 1, now);
    db_bind_int(st, 2, id);
    return db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
}

json_t *outbox_message(int64_t id)
{
    sqlite3_stmt *st = db_stmt("SELECT id, kind, to_addr, to_name, language, subject, body_text,"
                               " status FROM outbox WHERE id = ?");
    if (!st)
        return NULL;
    db_bind_int(st, 1, id);
    json_t *m = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        m = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:s, s:s}", "id",
                      (json_int_t)sqlite3_column_int64(st, 0), "kind", db_col_text(st, 1), "to",
                      db_col_text(st, 2), "to_name", db_col_text(st, 3),
                      "language", db_col_text(st, 4), "subject", db_col_text(st, 5), "body",
                      db_col_text(st, 6), "status", db_col_text(st, 7));
    sqlite3_reset(st);
    return m;
}

json_t *outbox_batch_progress(const char *batch)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT sum(status = 'queued'), sum(status = 'sending'), sum(status = 'sent'),"
        " sum(status = 'failed'), count(*) FROM outbox WHERE batch = ?");
    if (!st)
        return NULL;
    db_bind_text(st, 1, batch);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        o = json_pack("{s:I, s:I, s:I, s:I, s:I}", "queued", (json_int_t)sqlite3_column_int64(st, 0),
                      "sending", (json_int_t)sqlite3_column_int64(st, 1),
                      "sent", (json_int_t)sqlite3_column_int64(st, 2),
                      "failed", (json_int_t)sqlite3_column_int64(st, 3),
                      "total", (json_int_t)sqlite3_column_int64(st, 4));
    sqlite3_reset(st);
    if (!o)
        return NULL;
    json_t *failures = json_array();
    st = db_stmt("SELECT id, to_addr, last_error FROM outbox WHERE batch = ? AND status = 'failed'"
                 " ORDER BY id");
    if (st) {
        db_bind_text(st, 1, batch);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(failures, json_pack("{s:I, s:s, s:s?}", "id",
                (json_int_t)sqlite3_column_int64(st, 0), "to", db_col_text(st, 1), "error",
                db_col_text(st, 2)));
        sqlite3_reset(st);
    }
    json_object_set_new(o, "failures", failures);
    /* What the batch sends, for the page's title. */
    st = db_stmt("SELECT kind FROM outbox WHERE batch = ? ORDER BY id LIMIT 1");
    if (st) {
        db_bind_text(st, 1, batch);
        if (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(o, "kind", json_string(db_col_text(st, 0)));
        sqlite3_reset(st);
    }
    json_int_t total = json_integer_value(json_object_get(o, "total"));
    json_int_t done = json_integer_value(json_object_get(o, "sent")) +
                      json_integer_value(json_object_get(o, "failed"));
    json_object_set_new(o, "percent", json_integer(total ? done * 100 / total : 100));
    json_object_set_new(o, "finished", json_boolean(done == total));
    return o;
}

int outbox_pending(void)
{
    sqlite3_stmt *st = db_stmt("SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending')");
    if (!st)
        return -1;
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}
