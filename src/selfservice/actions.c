/*
 * actions.c - what a person does at a kiosk besides logging in: apply for an
 * item, scan a paper material, print a result, each recorded in the audit
 * chain with the kiosk it happened at.
 *
 * The kiosk page does the work through the owning modules' own HTTP API (a
 * kiosk session is a normal session of the person): POST /api/v1/cases with
 * channel "kiosk" applies, POST /api/v1/files uploads the scanner's image, the
 * license and notice PDFs are fetched from licenses and cases, which check
 * the person may see them.  Then the page records the act here.  Only a
 * session opened at a kiosk (ss_kiosk_sessions) may record one, and the kiosk
 * named is the session's, never the page's word; a scan must name an upload
 * of this person (files.h), a case and a license their number's form.
 */
#include "selfservice/internal.h"

#include "db/audit.h"
#include "db/events.h"
#include "files/files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool
ref_ok(const char *r)
{
    size_t n = r ? strlen(r) : 0;
    if (n < 1 || n > 128) /* a license identifier is up to ~100 characters */
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((r[i] >= 'A' && r[i] <= 'Z') || (r[i] >= 'a' && r[i] <= 'z') ||
              (r[i] >= '0' && r[i] <= '9') || r[i] == '-' || r[i] == '_' || r[i] == '.'))
            return false;
    return true;
}

int
yw_ss__h_action(struct yw_req *req)
{
    char kiosk[20];
    int rc = yw_ss__kiosk_of(req, kiosk);
    if (rc)
        return rc;
    const char *action = yw_body_str(req, "action"), *ref = yw_body_str(req, "ref"),
               *what = yw_body_str(req, "what");
    bool apply = !strcmp(action, "apply"), scan = !strcmp(action, "scan"),
         print = !strcmp(action, "print");
    if (!apply && !scan && !print)
        return yw_fail(&req->err, YW_EFIELD, "action", "action is apply, scan or print");
    if (!ref_ok(ref))
        return yw_fail(&req->err, YW_EFIELD, "ref",
                       "ref is a case number, an upload or a license identifier");
    if (print && (what == NULL || (strcmp(what, "license") && strcmp(what, "notice") &&
                                   strcmp(what, "status"))))
        return yw_fail(&req->err, what ? YW_EFIELD : YW_EMISSING, "what",
                       "a print is of a license, a notice or a status sheet");
    json_t *sum = json_pack("{s:s, s:s}", "kiosk", kiosk, "ref", ref);
    if (print)
        json_object_set_new(sum, "what", json_string(what));
    if (scan) {
        struct yw_file_info fi;
        rc = yw_files_get(req->db, ref, &fi);
        if (rc == 0 && fi.owner != req->who->account_id)
            rc = YW_ENOTFOUND;
        if (rc) {
            json_decref(sum);
            return rc == YW_ENOTFOUND
                       ? yw_fail(&req->err, rc, "ref", "no upload '%.48s' of yours", ref)
                       : yw_fail(&req->err, rc, "", "cannot read the upload");
        }
        json_object_set_new(sum, "sha256", json_string(fi.sha256));
        json_object_set_new(sum, "mime", json_string(fi.mime));
        if (what && *what)
            json_object_set_new(sum, "material", json_string(what));
    }
    char actor[24], act[24];
    snprintf(actor, sizeof actor, "%lld", (long long)req->who->account_id);
    snprintf(act, sizeof act, "kiosk.%s", action);
    char *text = json_dumps(sum, JSON_COMPACT);
    json_decref(sum);
    rc = yw_audit_add(req->db, &(struct yw_audit_entry){ .actor = actor,
                                                         .role = "",
                                                         .action = act,
                                                         .obj_type = scan    ? "file"
                                                                     : apply ? "case"
                                                                             : what,
                                                         .obj_id = ref,
                                                         .summary = text ? text : "{}" });
    free(text);
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot record the kiosk action");
    if (print) {
        /* the license's use log and the case's timeline say it too (licenses, cases) */
        json_t *ev = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "what", what, "ref", ref, "kiosk",
                               kiosk, "account_id", (json_int_t)req->who->account_id,
                               "account_ident", req->who->login ? req->who->login : "",
                               "account_name", req->who->name ? req->who->name : "");
        rc = yw_events_publish(req->db, YW_EV_KIOSK_PRINTED, ev, &req->err);
        json_decref(ev);
        if (rc)
            return rc;
    }
    return yw_resp_json(req, 201,
                        json_pack("{s:s, s:s, s:s}", "action", action, "ref", ref, "kiosk", kiosk));
}
