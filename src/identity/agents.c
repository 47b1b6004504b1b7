/*
 * agents.c - password changes and a company's agents (经办人).
 *
 * A company's own account (its administrator) authorizes registered persons,
 * by ID number and name, to act for it; the authorization can be revoked.
 * Each change is audited.  Changing a password ends every other session of the
 * account.
 */
#include "identity/internal.h"

#include "core/cnid.h"
#include "core/crypto.h"
#include "db/audit.h"
#include "db/events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* agent.changed (core/events.h): cases keeps the agent's own list in memory. */
static int
agent_changed(struct yw_dbc *c, int64_t company, int64_t agent, bool active, struct yw_err *err)
{
    json_t *p = json_pack("{s:I, s:I, s:b}", "enterprise_id", (json_int_t)company, "agent_id",
                          (json_int_t)agent, "active", active);
    int rc = yw_events_publish(c, YW_EV_AGENT_CHANGED, p, err);
    json_decref(p);
    return rc;
}

struct pw_tx {
    int64_t id;
    const char *hash;
    const char *keep_session;
};

static int
pw_update(struct yw_dbc *c, void *ctx)
{
    struct pw_tx *t = ctx;
    char id[24], now[32];
    snprintf(id, sizeof id, "%lld", (long long)t->id); /* the audit record's actor and object */
    yw_db_now_text(now);
    int rc = yw_db_run(c, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?",
                       "ssi", t->hash, now, t->id);
    if (rc == 0)
        rc = yw_db_run(c, "DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?", "is",
                       t->id, t->keep_session);
    if (rc == 0)
        rc = yw_ident__cache_changed(c, t->id);
    if (rc == 0)
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = id,
                                                       .action = "account.password_change",
                                                       .obj_type = "account",
                                                       .obj_id = id,
                                                       .summary = "{}" });
    return rc;
}

int
yw_ident__password_change(struct yw_app *app, const struct yw_principal *who, const char *old_pw,
                          const char *new_pw, struct yw_err *err)
{
    struct yw_dbc *c = yw_db_conn(app->db, err);
    if (c == NULL)
        return YW_EUNAVAIL;
    struct yw_stmt *s;
    char hash[128] = "";
    int rc = yw_db_one_row(c, &s, "SELECT password_hash FROM accounts WHERE id = ?", "i",
                           who->account_id);
    if (rc == 0) {
        snprintf(hash, sizeof hash, "%s", yw_db_col_text(s, 0));
        yw_db_reset(s);
    }
    /* a read that failed is not a wrong password (no row is: nothing verifies) */
    if (rc && rc != YW_ENOTFOUND)
        return yw_fail(err, rc, "", "cannot read the current password");
    if (!yw_password_verify(hash, old_pw, strlen(old_pw)))
        return yw_fail(err, YW_ECREDS, "old_password", "the current password is wrong");
    rc = yw_ident_password_check(new_pw, "new_password", err);
    if (rc)
        return rc;
    if (strcmp(old_pw, new_pw) == 0)
        return yw_fail(err, YW_EFIELD, "new_password",
                       "the new password must differ from the current one");
    char nh[128];
    if ((rc = yw_ident_password_hash(app, new_pw, nh)))
        return yw_fail(err, rc, "", "cannot hash the password");
    struct pw_tx t = { .id = who->account_id, .hash = nh, .keep_session = who->session };
    return yw_db_tx(app->db, YW_TX_WRITE, pw_update, &t, err);
}

int
yw_ident__agent_add(struct yw_dbc *c, const struct yw_principal *company, const char *id_number,
                    const char *name, int64_t *agent_id, struct yw_err *err)
{
    struct yw_cnid_person p;
    int rc = yw_cnid_check_id(id_number, strlen(id_number), &p, err);
    if (rc)
        return rc;
    struct yw_stmt *s;
    int64_t aid = 0;
    bool name_ok = false;
    rc = yw_db_one_row(
        c, &s,
        "SELECT a.id, a.name FROM accounts a JOIN person_profiles p ON p.account_id = a.id "
        "WHERE p.id_number = ? AND a.status = 'active'",
        "s", p.id);
    if (rc == 0) {
        aid = yw_db_col_int(s, 0);
        name_ok = strcmp(yw_db_col_text(s, 1), name) == 0;
        yw_db_reset(s);
    }
    if (rc && rc != YW_ENOTFOUND)
        return yw_fail(err, rc, "", "cannot look the agent up");
    /* Same answer for "no account" and "wrong name": the number alone must not
     * reveal whether someone has an account. */
    if (aid == 0 || !name_ok)
        return yw_fail(
            err, YW_ENOTFOUND, "id_number",
            "no registered person with this ID number and name; the agent must register first");
    char now[32], cid[24];
    yw_db_now_text(now);
    snprintf(cid, sizeof cid, "%lld",
             (long long)company->account_id); /* the audit record's actor and object */
    rc = yw_db_one_row(
        c, &s, "SELECT revoked_at FROM enterprise_agents WHERE enterprise_id = ? AND agent_id = ?",
        "ii", company->account_id, aid);
    bool existed = rc == 0, active = existed && yw_db_col_text(s, 0)[0] == '\0';
    if (existed)
        yw_db_reset(s);
    else if (rc != YW_ENOTFOUND)
        return yw_fail(err, rc, "", "cannot read the company's agents");
    if (active)
        return yw_fail(err, YW_ECONFLICT, "id_number",
                       "this person is already an agent of the company");
    if (existed)
        rc = yw_db_run(
            c,
            "UPDATE enterprise_agents SET revoked_at = '', authorized_at = ? WHERE enterprise_id = ? AND agent_id = ?",
            "sii", now, company->account_id, aid);
    else
        rc = yw_db_run(
            c,
            "INSERT INTO enterprise_agents (enterprise_id, agent_id, authorized_at) VALUES (?, ?, ?)",
            "iis", company->account_id, aid, now);
    if (rc == 0)
        rc = yw_ident__cache_changed(c, aid); /* the agent's /me lists the companies */
    if (rc == 0)
        rc = agent_changed(c, company->account_id, aid, true, err);
    if (rc)
        return rc;
    if (agent_id)
        *agent_id = aid;
    char summary[96];
    snprintf(summary, sizeof summary, "{\"agent\":%lld}", (long long)aid);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = cid,
                                                     .role = "enterprise",
                                                     .action = "agent.authorize",
                                                     .obj_type = "account",
                                                     .obj_id = cid,
                                                     .summary = summary });
}

int
yw_ident__agent_revoke(struct yw_dbc *c, const struct yw_principal *company, int64_t agent_id,
                       struct yw_err *err)
{
    char now[32], cid[24], agid[24];
    yw_db_now_text(now);
    snprintf(cid, sizeof cid, "%lld", (long long)company->account_id);
    snprintf(agid, sizeof agid, "%lld", (long long)agent_id);
    int64_t n = 0;
    int rc =
        yw_db_run_changes(c, &n,
                          "UPDATE enterprise_agents SET revoked_at = ? WHERE enterprise_id = ? "
                          "AND agent_id = ? AND revoked_at = ''",
                          "sii", now, company->account_id, agent_id);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(err, YW_ENOTFOUND, "", "no such agent");
    rc = yw_ident__cache_changed(c, agent_id);
    if (rc == 0)
        rc = agent_changed(c, company->account_id, agent_id, false, err);
    if (rc)
        return rc;
    char summary[96];
    snprintf(summary, sizeof summary, "{\"agent\":%s}", agid);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = cid,
                                                     .role = "enterprise",
                                                     .action = "agent.revoke",
                                                     .obj_type = "account",
                                                     .obj_id = cid,
                                                     .summary = summary });
}

json_t *
yw_ident__agents_json(struct yw_dbc *c, int64_t company_id)
{
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT a.id, a.name, p.id_number, a.phone, e.authorized_at FROM enterprise_agents e "
        "JOIN accounts a ON a.id = e.agent_id JOIN person_profiles p ON p.account_id = a.id "
        "WHERE e.enterprise_id = ? AND e.revoked_at = '' ORDER BY e.authorized_at",
        "i", company_id);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        char mid[19], mph[YW_CNID_PHONE_MASK];
        yw_cnid_mask_id(yw_db_col_text(s, 2), mid);
        yw_cnid_mask_phone(yw_db_col_text(s, 3), mph);
        json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                                              (json_int_t)yw_db_col_int(s, 0), "name",
                                              yw_db_col_text(s, 1), "id_number", mid, "phone", mph,
                                              "authorized_at", yw_db_col_text(s, 4)));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL; /* a failed read is never an empty list of agents */
    }
    return list;
}

json_t *
yw_ident__agent_of_json(struct yw_dbc *c, int64_t person_id)
{
    struct yw_stmt *s = yw_db_query(
        c,
        "SELECT a.id, a.name, a.login FROM enterprise_agents e JOIN accounts a "
        "ON a.id = e.enterprise_id WHERE e.agent_id = ? AND e.revoked_at = '' ORDER BY a.name",
        "i", person_id);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id",
                                              (json_int_t)yw_db_col_int(s, 0), "name",
                                              yw_db_col_text(s, 1), "uscc", yw_db_col_text(s, 2)));
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL; /* a failed read is never "agent of no company" */
    }
    return list;
}

json_t *
yw_ident__accounts_lookup(struct yw_dbc *c, const char *q, int64_t limit)
{
    /* Staff search applicants by exact identifier or by name prefix; personal
     * data is masked in the list (the full record is one audited read away). */
    char up[65], like[140];
    if (!yw_cnid_ident_normalize(q, up)) /* an identifier however typed: its stored form */
        snprintf(up, sizeof up, "%s", q);
    size_t k = 0;
    for (const char *p = q; *p && k < sizeof like - 3; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            like[k++] = '\\';
        like[k++] = *p;
    }
    like[k++] = '%';
    like[k] = '\0';
    struct yw_stmt *s =
        yw_db_query(c,
                    "SELECT id, kind, login, name, phone FROM accounts WHERE kind <> 'staff' "
                    "AND (login = ? OR name LIKE ? ESCAPE '\\') ORDER BY id LIMIT ?",
                    "ssi", up, like, limit);
    if (s == NULL)
        return NULL;
    json_t *list = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        const char *kind = yw_db_col_text(s, 1);
        char login[24], phone[YW_CNID_PHONE_MASK];
        if (!strcmp(kind, "person"))
            yw_cnid_mask_id(yw_db_col_text(s, 2), login);
        else
            snprintf(login, sizeof login, "%s", yw_db_col_text(s, 2));
        yw_cnid_mask_phone(yw_db_col_text(s, 4), phone);
        json_array_append_new(list,
                              json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                                        (json_int_t)yw_db_col_int(s, 0), "kind", kind, "login",
                                        login, "name", yw_db_col_text(s, 3), "phone", phone));
    }
    if (yw_db_finish(s, rc)) {
        json_decref(list);
        return NULL; /* a failed search is never "no such applicant" */
    }
    return list;
}

/* The length in bytes of the first `max` characters of UTF-8 text s. */
static size_t
utf8_prefix(const char *s, size_t max)
{
    size_t n = 0, chars = 0;
    for (; s[n]; n++)
        if (((unsigned char)s[n] & 0xC0) != 0x80 && chars++ == max)
            break;
    return n;
}

/* Real-name level (实名认证等级): 2 after online registration (identifier and
 * mobile checked), 3 once a window clerk has seen the person's documents (or
 * the company's legal representative's) in person.  Items name the level they
 * need.  Audited. */
int
yw_ident_set_realname(struct yw_dbc *c, int64_t account_id, int level, const char *method,
                      const struct yw_principal *by, struct yw_err *err)
{
    if (level < 1 || level > 3)
        return yw_fail(err, YW_EFIELD, "level", "the real-name level is 1, 2 or 3");
    if (method == NULL || *method == '\0')
        return yw_fail(err, YW_EMISSING, "method",
                       "say how the identity was checked (window, face ...)");
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)account_id); /* the audit record's object */
    struct yw_stmt *s;
    char kind[16] = "";
    int rc = yw_db_one_row(c, &s, "SELECT kind FROM accounts WHERE id = ?", "i", account_id);
    if (rc == 0) {
        snprintf(kind, sizeof kind, "%s", yw_db_col_text(s, 0));
        yw_db_reset(s);
    } else if (rc != YW_ENOTFOUND) { /* not "no such applicant" */
        return yw_fail(err, rc, "", "cannot read account %lld", (long long)account_id);
    }
    if (!strcmp(kind, "person"))
        rc = yw_db_run(c, "UPDATE person_profiles SET realname_level = ? WHERE account_id = ?",
                       "di", level, account_id);
    else if (!strcmp(kind, "enterprise"))
        rc = yw_db_run(c, "UPDATE enterprise_profiles SET realname_level = ? WHERE account_id = ?",
                       "di", level, account_id);
    else
        return yw_fail(err, YW_ENOTFOUND, "", "no such applicant");
    if (rc == 0)
        rc = yw_ident__cache_changed(c, account_id);
    if (rc)
        return rc;
    char actor[24];
    snprintf(actor, sizeof actor, "%lld", (long long)(by ? by->account_id : 0));
    /* the method is the clerk's text: jansson escapes it, and it is cut after
     * 40 characters, never inside one */
    json_t *o = json_pack("{s:i, s:s%}", "level", level, "method", method, utf8_prefix(method, 40));
    char *summary = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (summary == NULL) /* not valid UTF-8: jansson refuses it */
        return yw_fail(err, YW_EUTF8, "method", "the method is not valid text");
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = by ? actor : "seed",
                                                   .role = by ? "window_clerk" : "admin",
                                                   .action = "account.realname",
                                                   .obj_type = "account",
                                                   .obj_id = id,
                                                   .summary = summary });
    free(summary);
    return rc;
}

/* ---- a password reset at the window ---- */

struct reset_tx {
    int64_t id;
    const char *hash;
    const struct yw_principal *by;
};

static int
reset_update(struct yw_dbc *c, void *ctx)
{
    struct reset_tx *t = ctx;
    struct yw_stmt *s;
    char kind[16] = "", login[80] = "";
    int rc = yw_db_one_row(
        c, &s, "SELECT kind, login FROM accounts WHERE id = ? AND status = 'active'", "i", t->id);
    if (rc == 0) {
        snprintf(kind, sizeof kind, "%s", yw_db_col_text(s, 0));
        snprintf(login, sizeof login, "%s", yw_db_col_text(s, 1));
        yw_db_reset(s);
    }
    if (rc)
        return rc;
    if (strcmp(kind, "person") && strcmp(kind, "enterprise"))
        return YW_ENOTFOUND; /* staff passwords are the administrator's business */
    char now[32], id[24], actor[24];
    yw_db_now_text(now);
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    snprintf(actor, sizeof actor, "%lld", (long long)t->by->account_id);
    rc = yw_db_run(c, "UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?", "ssi",
                   t->hash, now, t->id);
    /* every session of the account ends; the failed logins of the account are
     * forgotten - its holder proved who they are in person */
    if (rc == 0)
        rc = yw_db_run(c, "DELETE FROM sessions WHERE account_id = ?", "i", t->id);
    if (rc == 0)
        rc = yw_db_run(c, "DELETE FROM login_failures WHERE login = ?", "s", login);
    if (rc == 0)
        rc = yw_ident__cache_changed(c, t->id);
    if (rc == 0)
        rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                       .role = "window_clerk",
                                                       .action = "account.password_reset",
                                                       .obj_type = "account",
                                                       .obj_id = id,
                                                       .summary = "{\"method\":\"window\"}" });
    return rc;
}

int
yw_ident__password_reset(struct yw_app *app, int64_t account_id, const struct yw_principal *by,
                         char temp[16], struct yw_err *err)
{
    /* a temporary password of 12 characters from an alphabet without look-alikes
     * (no 0/O, 1/l/I), always with a capital, a small letter and a digit */
    static const char upper[] = "ABCDEFGHJKMNPQRSTUVWXYZ", lower[] = "abcdefghijkmnpqrstuvwxyz",
                      digit[] = "23456789";
    unsigned char r[12];
    yw_random(r, sizeof r);
    for (int i = 0; i < 12; i++) {
        const char *set = i % 3 == 0 ? upper : i % 3 == 1 ? lower : digit;
        size_t n = strlen(set);
        temp[i] = set[r[i] % n];
    }
    temp[12] = '\0';
    char hash[128];
    int rc = yw_ident_password_hash(app, temp, hash);
    if (rc)
        return yw_fail(err, rc, "", "cannot hash the password");
    struct reset_tx t = { .id = account_id, .hash = hash, .by = by };
    rc = yw_db_tx(app->db, YW_TX_WRITE, reset_update, &t, err);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "no such applicant");
    return rc;
}
