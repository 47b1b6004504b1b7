/*
 * qr.c - GET /api/v1/licenses/{id}/qr.svg: the QR code of a license's public
 * check address (<base>/verify.html?id=<id>) as SVG, for the license page.
 *
 * It is the symbol the license's print carries (pdf.h, yw_pdf_qr_svg: the
 * same libqrencode encoding, the same address from yw_req_base_url), so the
 * wallet needs no QR encoder of its own.  Only the license's holder and
 * staff may fetch it, like the license itself (anyone else: 404, never 403;
 * without login: 401): the route encodes nothing but addresses it builds
 * itself, so it cannot be used to make codes that point anywhere else under
 * the government's name.  Not audited, like the print: the address is on the
 * public check page and names nothing personal beyond the identifier the
 * caller already has.
 */
#include "licenses/internal.h"

#include "pdf/pdf.h"

#include <stdlib.h>
#include <string.h>

int
yw_lic__h_qr(struct yw_req *req)
{
    const char *id = yw_req_param(req, "id");
    json_t *o = NULL;
    int rc = yw_lic__license_json(req->db, id, false, &o);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no license '%.100s'", id);
    if (rc) /* a failed read is its error (500, 503 busy), never a 404 */
        return yw_fail(&req->err, rc, "", "cannot read license '%.100s'", id);
    const char *holder = json_string_value(json_object_get(json_object_get(o, "holder"), "ident"));
    bool visible =
        (req->who->roles & YW_ROLE_STAFF) || (holder && strcmp(holder, req->who->login) == 0);
    json_decref(o);
    if (!visible)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no license '%.100s'", id);
    const char *url =
        yw_arena_printf(&req->arena, "%s/verify.html?id=%s", yw_req_base_url(req), id);
    char *svg = NULL;
    size_t len = 0;
    rc = yw_pdf_qr_svg(url, &svg, &len, &req->err);
    if (rc)
        return rc;
    yw_resp_header(req, "Cache-Control", "private, no-store");
    return yw_resp_take(req, 200, "image/svg+xml", svg, len);
}
