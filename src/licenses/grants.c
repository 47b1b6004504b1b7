/*
 * grants.c - a holder lets someone outside see one license for a while: a
 * bank opening an account, a landlord, another department.  The holder gets a
 * random code to hand over; whoever has it sees the license (and can check
 * its signature) until it expires or the holder revokes it.  Every view is a
 * use in the holder's log.
 */
#include "licenses/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <stdio.h>
#include <string.h>

int
yw_lic__grant_create(struct yw_dbc *c, const char *license_id, const char *grantee,
                     const char *purpose, int64_t hours, const char *actor, char code_out[32],
                     char expires_out[32], struct yw_err *err)
{
    if (grantee == NULL || !*grantee || yw_utf8_len(grantee, strlen(grantee)) > 100)
        return yw_fail(err, YW_EFIELD, "grantee",
                       "name who may see the license (1 to 100 characters)");
    if (purpose == NULL || !*purpose || yw_utf8_len(purpose, strlen(purpose)) > 200)
        return yw_fail(err, YW_EFIELD, "purpose", "say why (1 to 200 characters)");
    if (hours < 1 || hours > 24 * 30)
        return yw_fail(err, YW_EFIELD, "hours", "a grant lasts 1 hour to 30 days");
    /* 10 characters of a 32-letter alphabet without look-alikes: easy to read out */
    static const char alpha[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    unsigned char raw[10];
    yw_random(raw, sizeof raw);
    for (int i = 0; i < 10; i++)
        code_out[i] = alpha[raw[i] % 32];
    code_out[10] = '\0';
    char now[32];
    yw_db_now_text(now);
    yw_clock_format(yw_clock_now_ms() + hours * 3600 * 1000, expires_out);
    int rc = yw_db_run(
        c,
        "INSERT INTO license_grants (code, license_id, grantee, purpose, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        "ssssss", code_out, license_id, grantee, purpose, now, expires_out);
    if (rc)
        return rc;
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "{\"grantee\":");
    yw_buf_add_json_str(&b, grantee, strlen(grantee));
    yw_buf_printf(&b, ",\"hours\":%lld}", (long long)hours);
    rc = yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                   .role = "holder",
                                                   .action = "license.grant",
                                                   .obj_type = "license",
                                                   .obj_id = license_id,
                                                   .summary = b.p });
    yw_buf_release(&b);
    return rc;
}

int
yw_lic__grant_revoke(struct yw_dbc *c, const char *license_id, const char *code, const char *actor,
                     struct yw_err *err)
{
    char now[32];
    yw_db_now_text(now);
    int64_t n = 0;
    int rc = yw_db_run_changes(
        c, &n,
        "UPDATE license_grants SET revoked_at = ? WHERE code = ? AND license_id = ? AND "
        "revoked_at = ''",
        "sss", now, code, license_id);
    if (rc)
        return rc;
    if (n == 0)
        return yw_fail(err, YW_ENOTFOUND, "", "no active grant '%.20s' on this license", code);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .role = "holder",
                                                     .action = "license.grant_revoke",
                                                     .obj_type = "license",
                                                     .obj_id = license_id,
                                                     .summary = "{}" });
}

static int
grant_row(struct yw_stmt *s, struct yw_lic_names *names, json_t *list, void *now)
{
    (void)names;
    bool active = yw_db_col_text(s, 5)[0] == '\0' && strcmp(yw_db_col_text(s, 4), now) > 0;
    json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "code",
                                          yw_db_col_text(s, 0), "grantee", yw_db_col_text(s, 1),
                                          "purpose", yw_db_col_text(s, 2), "created_at",
                                          yw_db_col_text(s, 3), "expires_at", yw_db_col_text(s, 4),
                                          "revoked_at", yw_db_col_text(s, 5), "views",
                                          (json_int_t)yw_db_col_int(s, 6), "active", active));
    return 0;
}

json_t *
yw_lic__grants_json(struct yw_dbc *c, const char *license_id)
{
    char now[32];
    yw_db_now_text(now);
    /* NULL when a read fails: it never hides a grant the holder may want to revoke */
    return yw_lic__rows(
        c,
        yw_db_query(c,
                    "SELECT code, grantee, purpose, created_at, expires_at, revoked_at, views "
                    "FROM license_grants WHERE license_id = ? ORDER BY created_at DESC",
                    "s", license_id),
        json_array(), grant_row, now, NULL);
}

/* Use a grant code: the license when the grant is active (and the view is
 * logged for the holder), YW_ENOTFOUND otherwise (expired, revoked, unknown
 * all look the same). */
int
yw_lic__grant_open(struct yw_dbc *c, const char *code, json_t **license, struct yw_err *err)
{
    char now[32];
    yw_db_now_text(now);
    struct yw_stmt *s;
    int rc =
        yw_db_one_row(c, &s,
                      "SELECT license_id, grantee, purpose FROM license_grants WHERE code = ? AND "
                      "revoked_at = '' AND expires_at > ?",
                      "ss", code, now);
    if (rc == YW_ENOTFOUND)
        return yw_fail(err, rc, "", "this code is unknown, expired or was revoked");
    if (rc)
        return rc;
    char id[128], grantee[400], purpose[700];
    snprintf(id, sizeof id, "%s", yw_db_col_text(s, 0));
    snprintf(grantee, sizeof grantee, "%s", yw_db_col_text(s, 1));
    snprintf(purpose, sizeof purpose, "%s", yw_db_col_text(s, 2));
    yw_db_reset(s);
    if ((rc =
             yw_db_run(c, "UPDATE license_grants SET views = views + 1 WHERE code = ?", "s", code)))
        return rc;
    char why[1200];
    snprintf(why, sizeof why, "授权查看：%s（%s）", grantee, purpose);
    if ((rc = yw_lic__log_use(c, id, "", "", "", why, grantee)))
        return rc;
    rc = yw_lic__license_json(c, id, true, license);
    if (rc && rc != YW_ENOTFOUND)
        return yw_fail(err, rc, "", "cannot read the license of this code");
    return rc ? yw_fail(err, rc, "", "this code is unknown, expired or was revoked") : 0;
}
