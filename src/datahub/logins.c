/*
 * logins.c - a person's logins to department systems through ywtb's single
 * sign-on (identity publishes oidc.login) land in their ledger (用数记录):
 * the system learnt who they are from ywtb, so the person sees when, which
 * system of which department, and which claims (scopes) it was given.  The
 * entry is written in the transaction that publishes the event (the token
 * exchange), so there is no login without its entry.
 */
#include "datahub/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
yw_dh__on_oidc_login(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                     struct yw_err *err)
{
    (void)name;
    (void)ctx;
    const char *subject = json_string_value(json_object_get(payload, "subject_ident"));
    const char *client = json_string_value(json_object_get(payload, "client_id"));
    const char *client_name = json_string_value(json_object_get(payload, "client_name"));
    const char *dept = json_string_value(json_object_get(payload, "dept"));
    json_t *scopes = json_object_get(payload, "scopes");
    if (subject == NULL || *subject == '\0' || client == NULL)
        return 0; /* nothing to show anyone */
    json_t *fields = json_array();
    if (json_is_array(scopes)) {
        size_t i;
        json_t *s;
        json_array_foreach(scopes, i, s) if (json_is_string(s)) json_array_append(fields, s);
    } else if (json_is_string(scopes)) { /* "openid profile" */
        char *copy = strdup(json_string_value(scopes)), *save = NULL;
        for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
            json_array_append_new(fields, json_string(w));
        free(copy);
    }
    struct yw_dh_res r = { .code = "SSO", .name = "一网通办统一身份认证", .dept = "XH-ZWFW" };
    struct yw_dh_reader rd = {
        .kind = "sso",
        .dept = dept ? dept : "",
        .login = client,
        .name = client_name ? client_name : client,
        .purpose_code = "login",
        .purpose_text = client_name ? client_name : client,
    };
    int64_t id = 0;
    int rc = yw_dh__ledger_add(c, &r, subject, &rd, fields, &id);
    json_decref(fields);
    if (rc)
        return yw_fail(err, rc, "", "cannot write the login to the ledger");
    return 0;
}
