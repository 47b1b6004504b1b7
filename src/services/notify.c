/*
 * notify.c - notifications: templates per event and language, the in-app
 * inbox, the person's channel choices (svc_contacts) and the outgoing queue
 * (svc_outbox) that mailer.c sends from.
 *
 * A message is written in the same transaction as what caused it (a booking,
 * a case event another module published, a rectification report), so it
 * exists exactly when its cause committed.  Each is keyed by its event
 * (event_key, unique per account and per channel): an event redelivered or a
 * handler re-run after a busy retry makes no second message.
 */
#include "services/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/cnid.h"
#include "core/log.h"
#include "db/audit.h"
#include "identity/identity.h"

#include <stdio.h>
#include <string.h>

/* The template `name` in `lang` (falling back to zh) from svc_templates
 * (migration 0026 seeded the built-in texts; an administrator edits them):
 * 0, YW_ENOTFOUND for a name that is not a template, or the read's error. */
static int
tpl_load(struct yw_dbc *c, struct yw_arena *a, const char *name, const char *lang, char **title,
         char **body)
{
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(c, &s,
                           "SELECT title, body FROM svc_templates WHERE name = ? AND lang IN (?, "
                           "'zh') ORDER BY CASE WHEN lang = ? THEN 0 ELSE 1 END LIMIT 1",
                           "sss", name, lang, lang);
    if (rc)
        return rc;
    *title = yw_arena_strdup(a, yw_db_col_text(s, 0));
    *body = yw_arena_strdup(a, yw_db_col_text(s, 1));
    yw_db_reset(s);
    return 0;
}

bool
yw_svc__template_known(struct yw_dbc *c, const char *tpl)
{
    return yw_db_exists(c, "SELECT 1 FROM svc_templates WHERE name = ?", "s", tpl) == 0;
}

/* Is every {placeholder} of text one of the comma-separated names in vars,
 * and every brace part of one?  0, or YW_EFIELD on field with err. */
static int
placeholders_check(const char *text, const char *vars, const char *field, struct yw_err *err)
{
    for (const char *p = text; *p; p++) {
        if (*p == '}')
            return yw_fail(err, YW_EFIELD, field, "a '}' without its '{' / 有多余的 '}'");
        if (*p != '{')
            continue;
        const char *close = strchr(p, '}');
        size_t n = close ? (size_t)(close - p - 1) : 0;
        if (close == NULL || n == 0 || n > 32)
            return yw_fail(err, YW_EFIELD, field,
                           "a '{' that opens no placeholder / '{' 后不是占位符");
        for (size_t i = 1; i <= n; i++)
            if (!((p[i] >= 'a' && p[i] <= 'z') || p[i] == '_'))
                return yw_fail(err, YW_EFIELD, field, "bad placeholder {%.*s} / 占位符无效",
                               (int)n, p + 1);
        bool known = false;
        for (const char *v = vars; *v && !known;) {
            const char *e = strchr(v, ',');
            size_t vn = e ? (size_t)(e - v) : strlen(v);
            known = vn == n && !strncmp(v, p + 1, n);
            v += vn + (e ? 1 : 0);
        }
        if (!known)
            return yw_fail(err, YW_EFIELD, field,
                           "unknown placeholder {%.*s}: this message has %s / 未知占位符", (int)n,
                           p + 1, vars);
        p = close;
    }
    return 0;
}

static json_t *
template_row(struct yw_stmt *s)
{
    json_t *vars = json_array();
    for (const char *v = yw_db_col_text(s, 4); *v;) {
        const char *e = strchr(v, ',');
        size_t n = e ? (size_t)(e - v) : strlen(v);
        json_array_append_new(vars, json_stringn(v, n));
        v += n + (e ? 1 : 0);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "name", yw_db_col_text(s, 0), "lang",
                     yw_db_col_text(s, 1), "title", yw_db_col_text(s, 2), "body",
                     yw_db_col_text(s, 3), "vars", vars, "updated_at", yw_db_col_text(s, 5),
                     "updated_by", yw_db_col_text(s, 6));
}

#define TPL_COLS "name, lang, title, body, vars, updated_at, updated_by"

json_t *
yw_svc__templates_json(struct yw_dbc *c)
{
    struct yw_stmt *s =
        yw_db_query(c, "SELECT " TPL_COLS " FROM svc_templates ORDER BY name, lang DESC", "");
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(out, template_row(s));
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int
yw_svc__template_set(struct yw_dbc *c, const char *actor, const char *name, const char *lang,
                     const char *title, const char *body, json_t **out, struct yw_err *err)
{
    struct yw_arena a;
    yw_arena_init(&a, 512);
    char *vars = NULL;
    int rc = yw_db_one_text(c, &a, &vars,
                            "SELECT vars FROM svc_templates WHERE name = ? AND lang = ?", "ss",
                            name, lang);
    if (rc == YW_ENOTFOUND) {
        yw_arena_release(&a);
        return yw_fail(err, rc, "", "no template '%.60s' in '%.8s' / 没有这个消息模板", name,
                       lang);
    }
    if (rc) {
        yw_arena_release(&a);
        return yw_fail(err, rc, "", "cannot read the template");
    }
    if (!*title || !*body)
        rc = yw_fail(err, YW_EMISSING, *title ? "body" : "title",
                     "a template needs a title and a body / 标题和正文不能为空");
    else if (!(rc = placeholders_check(title, vars, "title", err)))
        rc = placeholders_check(body, vars, "body", err);
    yw_arena_release(&a);
    if (rc)
        return rc;
    char now[32];
    yw_svc__now_text(now);
    if ((rc = yw_db_run(c,
                        "UPDATE svc_templates SET title = ?, body = ?, updated_at = ?, "
                        "updated_by = ? WHERE name = ? AND lang = ?",
                        "ssssss", title, body, now, actor, name, lang)))
        return yw_fail(err, rc, "", "cannot store the template");
    char obj[80];
    snprintf(obj, sizeof obj, "%.60s/%.8s", name, lang);
    if ((rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                        .role = "admin",
                                                        .action = "notify.template",
                                                        .obj_type = "template",
                                                        .obj_id = obj,
                                                        .summary = "{}" })))
        return yw_fail(err, rc, "", "cannot write the audit record");
    struct yw_stmt *s = NULL;
    if ((rc = yw_db_one_row(c, &s,
                            "SELECT " TPL_COLS " FROM svc_templates WHERE name = ? AND lang = ?",
                            "ss", name, lang)))
        return yw_fail(err, rc, "", "cannot read the template");
    *out = template_row(s);
    yw_db_reset(s);
    return 0;
}

static char *
fill(struct yw_arena *a, const char *text, json_t *vars)
{
    struct yw_buf b;
    yw_buf_init(&b);
    for (const char *p = text; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close && close - p < 40) {
            char key[40];
            snprintf(key, sizeof key, "%.*s", (int)(close - p - 1), p + 1);
            const char *v = json_string_value(json_object_get(vars, key));
            yw_buf_adds(&b, v ? v : "");
            p = close + 1;
        } else {
            yw_buf_addc(&b, *p++);
        }
    }
    char *out = yw_arena_strndup(a, b.p ? b.p : "", b.n);
    yw_buf_release(&b);
    return out;
}

struct contact {
    char email[256];
    char channels[64];
    char lang[4];
};

static int
contact_get(struct yw_dbc *c, int64_t account, struct contact *ct)
{
    snprintf(ct->email, sizeof ct->email, "%s", "");
    snprintf(ct->channels, sizeof ct->channels, "%s", "inbox,email");
    snprintf(ct->lang, sizeof ct->lang, "%s", "zh");
    struct yw_stmt *s = NULL;
    int rc = yw_db_one_row(
        c, &s, "SELECT email, channels, lang FROM svc_contacts WHERE account_id = ?", "i", account);
    if (rc == YW_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    snprintf(ct->email, sizeof ct->email, "%s", yw_db_col_text(s, 0));
    snprintf(ct->channels, sizeof ct->channels, "%s", yw_db_col_text(s, 1));
    snprintf(ct->lang, sizeof ct->lang, "%s", yw_db_col_text(s, 2));
    yw_db_reset(s);
    return 0;
}

static bool
has_channel(const char *list, const char *ch)
{
    size_t n = strlen(ch);
    for (const char *p = list; (p = strstr(p, ch)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
            return true;
    return false;
}

int
yw_svc__notify(struct yw_dbc *c, int64_t account_id, const char *event_key, const char *tpl,
               json_t *vars, const char *link, const char *ics)
{
    if (account_id <= 0)
        return 0;
    struct contact ct;
    int rc = contact_get(c, account_id, &ct);
    if (rc)
        return rc;
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    char *ttitle = NULL, *tbody = NULL;
    if ((rc = tpl_load(c, &a, tpl, ct.lang, &ttitle, &tbody))) {
        if (rc == YW_ENOTFOUND) {
            yw_log_error("services", "unknown template '%s' (a bug)", tpl);
            rc = YW_EINVAL;
        }
        yw_arena_release(&a);
        return rc;
    }
    char *title = fill(&a, ttitle, vars);
    char *body = fill(&a, tbody, vars);
    char now[32];
    yw_svc__now_text(now);
    rc = yw_db_run(c,
                   "INSERT INTO svc_inbox (account_id, event_key, template, title, body, link, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, event_key) "
                   "DO NOTHING",
                   "issssss", account_id, event_key, tpl, title, body, link ? link : "", now);
    const struct yw_svc_settings *cfg = yw_svc__cfg();
    if (!rc && has_channel(ct.channels, "sms") && cfg->notify_sms_url && cfg->notify_sms_url[0]) {
        /* the account's own mobile number (identity's record) */
        struct yw_ident_account acc;
        if (yw_ident_account_get(c, &a, account_id, &acc) == 0 && acc.phone && acc.phone[0] &&
            yw_cnid_mobile_ok(acc.phone)) {
            char *text = yw_arena_printf(&a, "【徐汇一网通办】%s", body);
            rc = yw_db_run(c,
                           "INSERT INTO svc_outbox (channel, event_key, account_id, to_addr, "
                           "subject, body, status, attempts, next_at, created_at) VALUES ('sms', "
                           "?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (channel, event_key, "
                           "account_id) DO NOTHING",
                           "sisssss", event_key, account_id, acc.phone, title, text, now, now);
        }
    }
    if (!rc && has_channel(ct.channels, "email") && ct.email[0] && cfg->notify_smtp_url &&
        cfg->notify_smtp_url[0]) {
        rc = yw_db_run(c,
                       "INSERT INTO svc_outbox (channel, event_key, account_id, to_addr, subject, "
                       "body, ics, status, attempts, next_at, created_at) VALUES ('email', ?, ?, "
                       "?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (channel, event_key, "
                       "account_id) DO NOTHING",
                       "sissssss", event_key, account_id, ct.email, title, body, ics ? ics : "",
                       now, now);
    }
    yw_arena_release(&a);
    return rc;
}

/* The SMS provider (core/provider.h, issue 15): identity's one-time codes,
 * queued like any SMS of ours, whatever channels the person chose - the code
 * is what they asked for.  The outbox keeps the body until it is sent. */
int
yw_svc__sms_provider(struct yw_dbc *c, int64_t account_id, const char *phone, const char *key,
                     const char *text_zh, const char *text_en, void *ctx)
{
    (void)ctx;
    const struct yw_svc_settings *cfg = yw_svc__cfg();
    if (cfg->notify_sms_url == NULL || cfg->notify_sms_url[0] == '\0')
        return YW_EUNAVAIL;
    if (phone == NULL) /* only asked whether an SMS can be sent */
        return 0;
    if (!yw_cnid_mobile_ok(phone))
        return YW_EINVAL;
    struct contact ct;
    int rc = account_id > 0 ? contact_get(c, account_id, &ct) : 0;
    if (rc)
        return rc;
    bool en = account_id > 0 && !strcmp(ct.lang, "en");
    struct yw_arena a;
    yw_arena_init(&a, 512);
    char *text = yw_arena_printf(&a, "【徐汇一网通办】%s", en ? text_en : text_zh);
    char now[32];
    yw_svc__now_text(now);
    rc = yw_db_run(c,
                   "INSERT INTO svc_outbox (channel, event_key, account_id, to_addr, subject, "
                   "body, status, attempts, next_at, created_at) VALUES ('sms', ?, ?, ?, '', ?, "
                   "'pending', 0, ?, ?) ON CONFLICT (channel, event_key, account_id) DO NOTHING",
                   "sissss", key, account_id, phone, text, now, now);
    yw_arena_release(&a);
    return rc;
}

json_t *
yw_svc__inbox_json(struct yw_dbc *c, int64_t account_id, int64_t *unread)
{
    *unread = 0;
    if (yw_db_one_int(c, unread,
                      "SELECT COUNT(*) FROM svc_inbox WHERE account_id = ? AND read_at = ''", "i",
                      account_id))
        return NULL;
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT id, template, title, body, link, created_at, read_at "
                                    "FROM svc_inbox WHERE account_id = ? ORDER BY id DESC LIMIT "
                                    "100",
                                    "i", account_id);
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(
            out,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)yw_db_col_int(s, 0),
                      "template", yw_db_col_text(s, 1), "title", yw_db_col_text(s, 2), "body",
                      yw_db_col_text(s, 3), "link", yw_db_col_text(s, 4), "created_at",
                      yw_db_col_text(s, 5), "read", yw_db_col_text(s, 6)[0] != '\0'));
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int
yw_svc__inbox_read(struct yw_dbc *c, int64_t account_id, int64_t id, struct yw_err *err)
{
    char now[32];
    yw_svc__now_text(now);
    int64_t n = 0;
    int rc = yw_db_one_int(c, &n, "SELECT COUNT(*) FROM svc_inbox WHERE id = ? AND account_id = ?",
                           "ii", id, account_id);
    if (rc)
        return yw_fail(err, rc, "", "cannot read the inbox");
    if (n == 0)
        return yw_fail(err, YW_ENOTFOUND, "", "no message %lld of yours", (long long)id);
    rc = yw_db_run(c, "UPDATE svc_inbox SET read_at = ? WHERE id = ? AND read_at = ''", "si", now,
                   id);
    return rc ? yw_fail(err, rc, "", "cannot mark the message read") : 0;
}

int
yw_svc__contact_json(struct yw_dbc *c, int64_t account_id, json_t **out)
{
    struct contact ct;
    int rc = contact_get(c, account_id, &ct);
    if (rc)
        return rc;
    json_t *chs = json_array();
    for (const char *p = ct.channels; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(chs, json_stringn(p, n));
        p += n + (e ? 1 : 0);
    }
    *out = json_pack(
        "{s:s, s:o, s:s, s:b, s:b}", "email", ct.email, "channels", chs, "lang", ct.lang,
        "email_enabled", yw_svc__cfg()->notify_smtp_url && yw_svc__cfg()->notify_smtp_url[0],
        "sms_enabled", yw_svc__cfg()->notify_sms_url && yw_svc__cfg()->notify_sms_url[0]);
    return 0;
}

int
yw_svc__contact_set(struct yw_dbc *c, int64_t account_id, const char *email, const char *sms,
                    const char *channels, const char *lang, struct yw_err *err)
{
    if (email[0]) {
        const char *at = strchr(email, '@');
        if (at == NULL || at == email || strchr(at + 1, '.') == NULL || strchr(at + 1, '@') ||
            strpbrk(email, " \t\r\n<>,;\"()[]\\"))
            return yw_fail(err, YW_EFIELD, "email", "not an email address");
    }
    if (strcmp(lang, "zh") != 0 && strcmp(lang, "en") != 0)
        return yw_fail(err, YW_EFIELD, "lang", "lang is zh or en");
    char now[32];
    yw_svc__now_text(now);
    int rc = yw_db_run(c,
                       "INSERT INTO svc_contacts (account_id, email, sms, channels, lang, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE "
                       "SET email = excluded.email, sms = excluded.sms, channels = "
                       "excluded.channels, lang = excluded.lang, updated_at = excluded.updated_at",
                       "isssss", account_id, email, sms, channels, lang, now);
    if (rc)
        return yw_fail(err, rc, "", "cannot store the settings");
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)account_id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "applicant",
                                                     .action = "notify.settings",
                                                     .obj_type = "account",
                                                     .obj_id = actor,
                                                     .summary = "{}" });
}

json_t *
yw_svc__outbox_json(struct yw_dbc *c, const char *status)
{
    const char *st = status ? status : "";
    struct yw_stmt *s = yw_db_query(c,
                                    "SELECT id, channel, event_key, account_id, to_addr, subject, "
                                    "status, attempts, next_at, last_error, created_at, sent_at "
                                    "FROM svc_outbox WHERE (? = '' OR status = ?) ORDER BY id "
                                    "DESC LIMIT 200",
                                    "ss", st, st);
    if (s == NULL)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        /* the address is personal data: masked for operators */
        const char *to = yw_db_col_text(s, 4);
        const char *at = strchr(to, '@');
        char masked[300];
        if (!strcmp(yw_db_col_text(s, 1), "sms")) {
            char m[YW_CNID_PHONE_MASK];
            yw_cnid_mask_phone(to, m);
            snprintf(masked, sizeof masked, "%s", m);
        } else {
            snprintf(masked, sizeof masked, "%.1s***%s", to, at ? at : "");
        }
        json_array_append_new(
            out,
            json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id",
                      (json_int_t)yw_db_col_int(s, 0), "channel", yw_db_col_text(s, 1), "event_key",
                      yw_db_col_text(s, 2), "account_id", (json_int_t)yw_db_col_int(s, 3), "to",
                      masked, "subject", yw_db_col_text(s, 5), "status", yw_db_col_text(s, 6),
                      "attempts", (json_int_t)yw_db_col_int(s, 7), "next_at", yw_db_col_text(s, 8),
                      "last_error", yw_db_col_text(s, 9), "created_at", yw_db_col_text(s, 10),
                      "sent_at", yw_db_col_text(s, 11)));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int
yw_svc__outbox_retry(struct yw_dbc *c, int64_t id, struct yw_err *err)
{
    char now[32];
    yw_svc__now_text(now);
    int64_t changed = 0;
    int rc = yw_db_run_changes(c, &changed,
                               "UPDATE svc_outbox SET status = 'pending', attempts = 0, next_at = "
                               "?, locked_until = '' WHERE id = ? AND status = 'failed'",
                               "si", now, id);
    if (rc)
        return yw_fail(err, rc, "", "cannot requeue the message");
    if (changed == 0) {
        int64_t n = 0;
        yw_db_one_int(c, &n, "SELECT COUNT(*) FROM svc_outbox WHERE id = ?", "i", id);
        return n ? yw_fail(err, YW_ESTATE, "", "only a failed message is retried")
                 : yw_fail(err, YW_ENOTFOUND, "", "no message %lld", (long long)id);
    }
    char obj[24];
    snprintf(obj, sizeof obj, "%lld", (long long)id);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = "admin",
                                                     .role = "admin",
                                                     .action = "notify.retry",
                                                     .obj_type = "message",
                                                     .obj_id = obj,
                                                     .summary = "{}" });
}

/* ---- what other modules publish ---- */

int
yw_svc__on_case(struct yw_dbc *c, const char *name, json_t *payload, void *ctx, struct yw_err *err)
{
    (void)ctx;
    int64_t account = json_integer_value(json_object_get(payload, "applicant_id"));
    const char *case_no = json_string_value(json_object_get(payload, "case_no"));
    const char *title = json_string_value(json_object_get(payload, "title"));
    const char *dept = json_string_value(json_object_get(payload, "dept"));
    const char *code = json_string_value(json_object_get(payload, "code"));
    if (account <= 0 || case_no == NULL)
        return 0;
    json_t *vars = json_pack("{s:s, s:s}", "case_no", case_no, "title", title ? title : "");
    char key[96];
    snprintf(key, sizeof key, "%s:%s", name, case_no);
    int rc = 0;
    if (!strcmp(name, "case.supplement_requested")) {
        /* a case may be asked more than once: one message per request */
        int64_t n = 0;
        char like[112];
        snprintf(like, sizeof like, "%s%%", key);
        yw_db_one_int(c, &n,
                      "SELECT COUNT(*) FROM svc_inbox WHERE account_id = ? AND event_key LIKE ?",
                      "is", account, like);
        snprintf(key + strlen(key), sizeof key - strlen(key), ":%lld", (long long)n);
    }
    rc = yw_svc__notify(c, account, key, name, vars, "/cases.html", NULL);
    json_decref(vars);
    if (!rc && (!strcmp(name, "case.approved") || !strcmp(name, "case.denied")))
        rc = yw_svc__rating_open(c, "case", case_no, account, dept ? dept : "", code, "", title);
    if (rc)
        return yw_fail(err, rc, "", "services: cannot record the message of %s", name);
    return 0;
}

/* case.accepted, in the case's transaction: accepted at a window while the
 * applicant's number is in service there, the visit links the case (the
 * clerk may also type it).  Synchronous: the clerk finishes the number next,
 * and the visit must name the case by then. */
int
yw_svc__on_case_accepted(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                         struct yw_err *err)
{
    (void)name;
    (void)ctx;
    int64_t account = json_integer_value(json_object_get(payload, "applicant_id"));
    const char *case_no = json_string_value(json_object_get(payload, "case_no"));
    if (account <= 0 || case_no == NULL)
        return 0;
    char day[11];
    yw_cal_day_text(yw_svc__today(), day);
    int rc = yw_db_run(c,
                       "UPDATE svc_tickets SET case_no = ? WHERE account_id = ? AND day = ? AND "
                       "status = 'serving' AND case_no = ''",
                       "sis", case_no, account, day);
    return rc ? yw_fail(err, rc, "", "services: cannot link the visit of %s", case_no) : 0;
}

/* hotline.order_answered and hotline.order_closed: tell the citizen who
 * reported on the web (logged in, so the order names their account); a
 * phone caller is called back by the operator, not messaged. */
int
yw_svc__on_hotline(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                   struct yw_err *err)
{
    (void)ctx;
    const char *order = json_string_value(json_object_get(payload, "order_no"));
    const char *channel = json_string_value(json_object_get(payload, "channel"));
    json_int_t account = json_integer_value(json_object_get(payload, "caller_account_id"));
    if (order == NULL || account <= 0 || channel == NULL || strcmp(channel, "web") != 0)
        return 0;
    json_t *vars = json_pack("{s:s}", "order_no", order);
    char key[96];
    snprintf(key, sizeof key, "%s:%.60s", name, order);
    int rc = yw_svc__notify(c, (int64_t)account, key, name, vars, "/hotline.html", NULL);
    json_decref(vars);
    return rc ? yw_fail(err, rc, "", "services: cannot record the message of %s", name) : 0;
}

/* delivery.notice (selfservice): a paper result is in a locker, mailed or handed over. */
int
yw_svc__on_delivery(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                    struct yw_err *err)
{
    (void)name;
    (void)ctx;
    int64_t account = json_integer_value(json_object_get(payload, "applicant_id"));
    const char *case_no = json_string_value(json_object_get(payload, "case_no"));
    const char *kind = json_string_value(json_object_get(payload, "kind"));
    if (account <= 0 || case_no == NULL || kind == NULL)
        return 0;
    char tpl[48], key[96], comp[24];
    snprintf(tpl, sizeof tpl, "delivery.%s", kind);
    if (!yw_svc__template_known(c, tpl))
        return 0;
    snprintf(key, sizeof key, "%s:%s", tpl, case_no);
    snprintf(comp, sizeof comp, "%lld",
             (long long)json_integer_value(json_object_get(payload, "compartment")));
    json_t *vars = json_deep_copy(payload);
    json_object_set_new(vars, "compartment", json_string(comp));
    int rc = yw_svc__notify(c, account, key, tpl, vars, "/delivery.html", NULL);
    json_decref(vars);
    if (rc)
        return yw_fail(err, rc, "", "services: cannot record the message of %s", tpl);
    return 0;
}

int
yw_svc__on_license(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                   struct yw_err *err)
{
    (void)ctx;
    const char *ident = json_string_value(json_object_get(payload, "holder_ident"));
    const char *id = json_string_value(json_object_get(payload, "id"));
    const char *type = json_string_value(json_object_get(payload, "type"));
    if (ident == NULL || id == NULL)
        return 0;
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    struct yw_ident_account acc;
    int rc = yw_ident_account_by_ident(c, &a, ident, &acc);
    if (rc == YW_ENOTFOUND) {
        yw_arena_release(&a);
        return 0; /* a holder without an account: nobody to tell */
    }
    if (rc) {
        yw_arena_release(&a);
        return yw_fail(err, rc, "", "services: cannot read the license's holder");
    }
    struct yw_catalog_license_type lt;
    const char *title = yw_catalog_license_type(c, &a, type, &lt) == 0 ? lt.name : type;
    json_t *vars = json_pack("{s:s, s:s}", "title", title ? title : "", "id", id);
    char *key = yw_arena_printf(&a, "%s:%s", name, id);
    rc = yw_svc__notify(c, acc.id, key, name, vars, "/licenses.html", NULL);
    json_decref(vars);
    yw_arena_release(&a);
    return rc ? yw_fail(err, rc, "", "services: cannot record the message of %s", name) : 0;
}
