/*
 * oauth.c - what every OAuth 2.0 endpoint of the provider shares: the
 * application/x-www-form-urlencoded body (RFC 6749 appendix B), the client's
 * credentials from `Authorization: Basic` or the body (client_secret_basic,
 * client_secret_post; RFC 6749 2.3.1) or a signed client assertion
 * (private_key_jwt; RFC 7523 2.2, OpenID Connect Core 9), the standard error body
 * {"error", "error_description"} (RFC 6749 5.2) and the lists of scopes and
 * grant types kept as space-separated words.
 *
 * Why its own parser: the router's bodies are JSON, and its errors have
 * ywtb's shape; an OAuth client library expects RFC 6749's.  Routes with
 * YW_R_FORM get the body's bytes and answer every error themselves.
 */
#include "identity/internal.h"

#include "core/sm2.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int
yw_ident__oauth_error(struct yw_req *req, int status, const char *error, const char *fmt, ...)
{
    char desc[256];
    va_list ap;
    va_start(ap, fmt);
    yw_err_vformat(desc, sizeof desc, fmt, ap);
    va_end(ap);
    yw_resp_header(req, "Cache-Control", "no-store");
    yw_resp_header(req, "Pragma", "no-cache");
    if (status == 401) {
        const char *auth = yw_req_header(req, "Authorization");
        if (auth && !strncasecmp(auth, "Basic ", 6))
            yw_resp_header(req, "WWW-Authenticate", "Basic realm=\"ywtb\"");
    }
    return yw_resp_json(req, status,
                        json_pack("{s:s, s:s}", "error", error, "error_description", desc));
}

int
yw_ident__form_parse(struct yw_req *req, json_t **out, const char **why)
{
    *out = NULL;
    const char *ct = yw_req_header(req, "Content-Type");
    if (req->raw_len > 0 &&
        (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0 ||
         (ct[33] != '\0' && ct[33] != ';' && ct[33] != ' '))) {
        *why = "send the parameters as application/x-www-form-urlencoded";
        return YW_EMEDIA;
    }
    json_t *o = json_object();
    const char *p = req->raw_body ? req->raw_body : "", *end = p + req->raw_len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) {
            const char *eq = memchr(p, '=', (size_t)(stop - p));
            const char *kend = eq ? eq : stop;
            char *k = yw_http_form_decode(&req->arena, p, (size_t)(kend - p));
            char *v = eq ? yw_http_form_decode(&req->arena, eq + 1, (size_t)(stop - eq - 1))
                         : yw_arena_strdup(&req->arena, "");
            if (k == NULL || v == NULL) {
                json_decref(o);
                *why = "a parameter is not well-formed (percent-encoded UTF-8 text)";
                return YW_EINVAL;
            }
            if (*k == '\0' || json_object_get(o, k)) {
                json_decref(o);
                *why = *k ? "a parameter is given more than once" : "a parameter has no name";
                return YW_EINVAL;
            }
            /* an empty value is the same as an absent parameter (RFC 6749 3.1) */
            if (*v)
                json_object_set_new(o, k, json_string(v));
        }
        p = stop + 1;
    }
    *out = o;
    return 0;
}

const char *
yw_ident__form_str(json_t *form, const char *name)
{
    return json_string_value(json_object_get(form, name));
}

int
yw_ident__client_creds(struct yw_req *req, json_t *form, struct yw_ident_creds *out,
                       const char **why)
{
    memset(out, 0, sizeof *out);
    const char *auth = yw_req_header(req, "Authorization");
    const char *pid = yw_ident__form_str(form, "client_id");
    const char *psecret = yw_ident__form_str(form, "client_secret");
    const char *atype = yw_ident__form_str(form, "client_assertion_type");
    const char *assertion = yw_ident__form_str(form, "client_assertion");
    if (atype || assertion) {
        /* private_key_jwt (RFC 7523 2.2): the client is the assertion's sub,
         * read here unverified only to find its keys; the token endpoint
         * verifies the signature and every claim */
        if (!atype || !assertion ||
            strcmp(atype, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")) {
            *why = "client_assertion needs client_assertion_type "
                   "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
            return YW_EINVAL;
        }
        if ((auth && *auth) || psecret) {
            *why = "authenticate with one method: a client assertion, Basic or client_secret";
            return YW_EINVAL;
        }
        const char *d1 = strchr(assertion, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
        struct yw_buf pb;
        yw_buf_init(&pb);
        json_t *claims = NULL;
        if (d2 && yw_ident__unb64url(d1 + 1, (size_t)(d2 - d1 - 1), &pb) == 0)
            claims = json_loadb(pb.p, pb.n, 0, NULL);
        yw_buf_release(&pb);
        const char *sub = json_string_value(json_object_get(claims, "sub"));
        char *id = sub ? yw_arena_strdup(&req->arena, sub) : NULL;
        json_decref(claims);
        if (id == NULL) {
            *why = "client_assertion is not a JWT with the client_id as sub";
            return YW_EINVAL;
        }
        if (pid && strcmp(pid, id) != 0) {
            *why = "client_id in the body is not the client the assertion is about";
            return YW_EINVAL;
        }
        out->client_id = id;
        out->assertion = assertion;
        out->method = YW_IDENT_AUTH_JWT;
        return 0;
    }
    if (auth && !strncasecmp(auth, "Basic ", 6)) {
        struct yw_buf b;
        yw_buf_init(&b);
        const char *enc = auth + 6;
        while (*enc == ' ')
            enc++;
        int rc = yw_unbase64(enc, &b);
        const char *colon = rc == 0 && b.p ? memchr(b.p, ':', b.n) : NULL;
        if (colon == NULL) {
            yw_buf_release(&b);
            *why = "the Basic credentials are not base64 of client_id:client_secret";
            return YW_EINVAL;
        }
        char *id = yw_http_form_decode(&req->arena, b.p, (size_t)(colon - b.p));
        char *secret = yw_http_form_decode(&req->arena, colon + 1, b.n - (size_t)(colon - b.p) - 1);
        yw_buf_release(&b);
        if (id == NULL || secret == NULL) {
            *why = "the Basic credentials are not well-formed";
            return YW_EINVAL;
        }
        if (psecret) {
            *why = "authenticate with one method: Basic or client_secret in the body, not both";
            return YW_EINVAL;
        }
        if (pid && strcmp(pid, id) != 0) {
            *why = "client_id in the body is not the client that authenticated";
            return YW_EINVAL;
        }
        out->client_id = id;
        out->secret = secret;
        out->method = YW_IDENT_AUTH_BASIC;
        return 0;
    }
    if (auth && *auth) {
        *why = "the Authorization header of a client is Basic";
        return YW_EINVAL;
    }
    out->client_id = pid;
    out->secret = psecret;
    out->method = psecret ? YW_IDENT_AUTH_POST : YW_IDENT_AUTH_NONE;
    if (psecret && !pid) {
        *why = "client_secret needs client_id";
        return YW_EINVAL;
    }
    return 0;
}

bool
yw_ident__word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    if (n == 0)
        return false;
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        const char *e = strchr(p, ' ');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && !memcmp(p, word, n))
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

bool
yw_ident__client_id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}
