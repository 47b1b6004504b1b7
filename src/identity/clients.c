/*
 * clients.c - the client registry: every system that talks to ywtb with its
 * own credentials.  A department system reads ywtb's APIs with
 * client_credentials (the data hub, license verification); a relying party
 * logs people in through the OpenID Connect provider.  One registry, so a
 * department system holds one credential for everything.
 *
 * An administrator registers a client (name, department, confidential or
 * public, exact redirect URIs, allowed scopes and grant types, token
 * lifetimes, the ID token's algorithm, the lowest real-name level it admits,
 * whether it may see full ID numbers).  A confidential client's secret - 256
 * random bits - is shown once, in the answer that made it, and stored as its
 * SM3 hash only (a random secret needs no slow hash: nothing can be guessed
 * from it).  Rotating makes a new secret and the old one stops working at
 * once; disabling stops the client and revokes every token it holds.  Each
 * change writes its audit record in the same transaction.
 *
 *   POST /api/v1/admin/clients                        register (201, with client_secret once)
 *   GET  /api/v1/admin/clients                        list (?dept=)
 *   GET  /api/v1/admin/clients/{client_id}            one client
 *   PUT  /api/v1/admin/clients/{client_id}            change its settings (not its kind)
 *   POST /api/v1/admin/clients/{client_id}/secret     rotate the secret (shown once)
 *   POST /api/v1/admin/clients/{client_id}/disable    stop it; revokes its tokens
 *   POST /api/v1/admin/clients/{client_id}/enable
 */
#include "identity/internal.h"

#include "core/clock.h"
#include "core/crypto.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The scopes ywtb itself gives a meaning (claims of the ID token and
 * userinfo); others are API scopes a department system is allowed, named
 * by the module that checks them. */
static const char *const oidc_scopes[] = { "openid",  "profile",        "id_number", "phone",
                                           "company", "offline_access", NULL };
static const char *const grant_names[] = { "authorization_code", "refresh_token",
                                           "client_credentials", NULL };

#define TTL_ACCESS_DEFAULT  900
#define TTL_REFRESH_DEFAULT 86400

static const char *
col_dup(struct yw_arena *a, struct yw_stmt *s, int col)
{
    return yw_arena_strdup(a, yw_db_col_text(s, col));
}

#define CLIENT_COLS                                                                                \
    "client_id, name, dept_code, kind, secret_hash, redirect_uris, logout_uris, scopes, "          \
    "grant_types, access_ttl, refresh_ttl, id_token_alg, min_acr, full_id_number, status, "        \
    "created_at, updated_at, secret_at, jwks, subject_type, sector_identifier"

static void
read_client(struct yw_stmt *s, struct yw_arena *a, struct yw_ident_client_rec *out)
{
    *out = (struct yw_ident_client_rec){
        .client_id = col_dup(a, s, 0),
        .name = col_dup(a, s, 1),
        .dept = col_dup(a, s, 2),
        .kind = col_dup(a, s, 3),
        .secret_hash = col_dup(a, s, 4),
        .redirect_uris = col_dup(a, s, 5),
        .logout_uris = col_dup(a, s, 6),
        .scopes = col_dup(a, s, 7),
        .grant_types = col_dup(a, s, 8),
        .access_ttl = yw_db_col_int(s, 9),
        .refresh_ttl = yw_db_col_int(s, 10),
        .id_token_alg = col_dup(a, s, 11),
        .min_acr = yw_db_col_int(s, 12),
        .full_id_number = yw_db_col_int(s, 13) != 0,
        .status = col_dup(a, s, 14),
        .created_at = col_dup(a, s, 15),
        .updated_at = col_dup(a, s, 16),
        .secret_at = col_dup(a, s, 17),
        .jwks = col_dup(a, s, 18),
        .pairwise = !strcmp(yw_db_col_text(s, 19), "pairwise"),
        .sector = col_dup(a, s, 20),
    };
}

int
yw_ident__client_load(struct yw_dbc *c, struct yw_arena *a, const char *client_id,
                      struct yw_ident_client_rec *out)
{
    memset(out, 0, sizeof *out);
    if (!yw_ident__client_id_ok(client_id))
        return YW_ENOTFOUND;
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT " CLIENT_COLS " FROM oidc_clients WHERE client_id = ?",
                           "s", client_id);
    if (rc)
        return rc;
    read_client(s, a, out);
    yw_db_reset(s);
    return 0;
}

int
yw_ident_client_get(struct yw_dbc *c, struct yw_arena *a, const char *client_id,
                    struct yw_ident_client *out)
{
    memset(out, 0, sizeof *out);
    struct yw_ident_client_rec r;
    int rc = yw_ident__client_load(c, a, client_id, &r);
    if (rc)
        return rc;
    *out = (struct yw_ident_client){ .client_id = r.client_id,
                                     .name = r.name,
                                     .dept = r.dept,
                                     .kind = r.kind,
                                     .status = r.status,
                                     .scopes = r.scopes };
    return 0;
}

bool
yw_ident__secret_matches(const struct yw_ident_client_rec *cl, const char *secret)
{
    if (secret == NULL || cl->secret_hash == NULL || strlen(cl->secret_hash) != 64)
        return false;
    char h[65];
    if (yw_sm3_hex(secret, strlen(secret), h) != 0)
        return false;
    return yw_ct_equal(h, cl->secret_hash, 64);
}

/* ---- JSON ---- */

static json_t *
words_json(const char *list)
{
    json_t *arr = json_array();
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, ' ');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, k));
        p += k;
    }
    return arr;
}

static json_t *
client_json_base(const struct yw_ident_client_rec *cl)
{
    json_t *ru = json_loads(cl->redirect_uris, 0, NULL), *lu = json_loads(cl->logout_uris, 0, NULL);
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:s, s:I, s:b, s:s, s:s, s:s, s:s*}",
        "client_id", cl->client_id, "name", cl->name, "dept", cl->dept, "kind", cl->kind,
        "redirect_uris", ru ? ru : json_array(), "post_logout_redirect_uris",
        lu ? lu : json_array(), "scopes", words_json(cl->scopes), "grant_types",
        words_json(cl->grant_types), "access_token_ttl", (json_int_t)cl->access_ttl,
        "refresh_token_ttl", (json_int_t)cl->refresh_ttl, "id_token_alg", cl->id_token_alg,
        "min_acr", (json_int_t)cl->min_acr, "full_id_number", cl->full_id_number, "status",
        cl->status, "created_at", cl->created_at, "updated_at", cl->updated_at, "secret_rotated_at",
        cl->secret_at[0] ? cl->secret_at : NULL);
}

/* The client as the registry shows it: its settings, how it authenticates at
 * the token endpoint and, for private_key_jwt, its public keys. */
json_t *
yw_ident__client_json(const struct yw_ident_client_rec *cl)
{
    json_t *o = client_json_base(cl);
    bool keys = cl->jwks && cl->jwks[0];
    json_object_set_new(o, "token_endpoint_auth_method",
                        json_string(keys                                ? "private_key_jwt"
                                    : !strcmp(cl->kind, "confidential") ? "client_secret_basic"
                                                                        : "none"));
    json_t *set = keys ? json_loads(cl->jwks, 0, NULL) : NULL;
    if (set)
        json_object_set_new(o, "jwks", set);
    json_object_set_new(o, "subject_type", json_string(cl->pairwise ? "pairwise" : "public"));
    if (cl->sector && cl->sector[0])
        json_object_set_new(o, "sector_identifier", json_string(cl->sector));
    return o;
}

/* ---- validation ---- */

static bool
in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

/* A scope name: a known OpenID scope or an API scope [a-z][a-z0-9_.:-]{0,63}. */
static bool
scope_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == ':' || c == '-'))
            return false;
    }
    return true;
}

static bool
loopback_host(const char *p)
{
    static const char *const hosts[] = { "127.0.0.1", "localhost", "[::1]", NULL };
    for (size_t i = 0; hosts[i]; i++) {
        size_t n = strlen(hosts[i]);
        if (!strncmp(p, hosts[i], n) && (p[n] == '\0' || p[n] == ':' || p[n] == '/'))
            return true;
    }
    return false;
}

/* A redirect URI a client may register: absolute, https (http only on the
 * loopback address, RFC 8252 7.3), no fragment, printable ASCII. */
bool
yw_ident__redirect_uri_ok(const char *u)
{
    size_t n = strlen(u);
    if (n < 10 || n > 500)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f || u[i] == '#' ||
            u[i] == '\\')
            return false;
    const char *host;
    if (!strncmp(u, "https://", 8))
        host = u + 8;
    else if (!strncmp(u, "http://", 7) && loopback_host(u + 7))
        host = u + 7;
    else
        return false;
    return *host && *host != '/' && *host != ':' && *host != '?' && !strchr(host, '@');
}

static bool
dept_ok(const char *d)
{
    size_t n = strlen(d);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)d[i]) && d[i] != '-' && d[i] != '_')
            return false;
    return true;
}

/* The settings a registration or a change carries, checked. */
struct client_in {
    const char *name, *dept, *kind, *id_token_alg;
    char *redirect_uris, *logout_uris; /* JSON text */
    char *jwks;                        /* JSON text of the JWK Set, "" for none */
    struct yw_buf scopes, grants;
    int64_t access_ttl, refresh_ttl, min_acr;
    int full_id_number;
    const char *subject_type, *sector; /* "public" | "pairwise"; a host or "" */
};

static void
client_in_release(struct client_in *in)
{
    free(in->redirect_uris);
    free(in->logout_uris);
    free(in->jwks);
    yw_buf_release(&in->scopes);
    yw_buf_release(&in->grants);
}

/* A list of URIs from the body: JSON text of the array into *out. */
static int
uris_in(json_t *arr, const char *field, char **out, struct yw_err *err)
{
    json_t *clean = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *u = json_string_value(v);
        if (u == NULL || !yw_ident__redirect_uri_ok(u)) {
            json_decref(clean);
            return yw_fail(err, YW_EFIELD, field,
                           "%s[%zu] must be an absolute https URI without a fragment (http only "
                           "on 127.0.0.1 or localhost), at most 500 characters",
                           field, i);
        }
        size_t j;
        json_t *w;
        json_array_foreach(clean, j, w) if (!strcmp(json_string_value(w), u))
        {
            json_decref(clean);
            return yw_fail(err, YW_EFIELD, field, "%s lists '%.80s' twice", field, u);
        }
        json_array_append(clean, v);
    }
    *out = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    return 0;
}

static int
words_in(json_t *arr, const char *field, const char *const *known, bool free_form,
         struct yw_buf *out, struct yw_err *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);
        bool ok = s && (in_list(known, s) || (free_form && scope_ok(s)));
        if (!ok)
            return yw_fail(err, YW_EFIELD, field,
                           free_form ? "%s[%zu] is not a scope name (a-z 0-9 _ . : -, at most 64)"
                                     : "%s[%zu] is not one of the names this field takes",
                           field, i);
        if (yw_ident__word_in(out->p, s))
            return yw_fail(err, YW_EFIELD, field, "%s lists '%s' twice", field, s);
        if (out->n)
            yw_buf_addc(out, ' ');
        yw_buf_adds(out, s);
    }
    if (out->p == NULL)
        yw_buf_adds(out, "");
    return 0;
}

/* The client's public keys for private_key_jwt: {"keys": [1..5 EC P-256
 * public JWKs]} as JSON text into *out; {"keys": []} removes them ("") and
 * the client authenticates with its secret again. */
static int
jwks_in(json_t *set, char **out, struct yw_err *err)
{
    json_t *keys = json_object_get(set, "keys");
    if (!json_is_object(set) || json_object_size(set) != 1 || !json_is_array(keys) ||
        json_array_size(keys) > 5)
        return yw_fail(err, YW_EFIELD, "jwks",
                       "jwks must be a JWK Set {\"keys\": [...]} of at most 5 keys");
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k)
    {
        if (!yw_ident__client_jwk_ok(k))
            return yw_fail(err, YW_EFIELD, "jwks",
                           "jwks.keys[%zu] must be a public EC P-256 key (kty EC, crv P-256, x, "
                           "y on the curve; no private part d; use sig, alg ES256)",
                           i);
        const char *kid = json_string_value(json_object_get(k, "kid"));
        size_t j;
        json_t *o;
        json_array_foreach(
            keys, j,
            o) if (j < i && kid && json_string_value(json_object_get(o, "kid")) &&
                   !strcmp(kid, json_string_value(json_object_get(
                                    o, "kid")))) return yw_fail(err, YW_EFIELD, "jwks",
                                                                "jwks lists the kid '%s' twice",
                                                                kid);
    }
    *out = json_array_size(keys) ? json_dumps(set, JSON_COMPACT | JSON_SORT_KEYS) : yw_xstrdup("");
    return 0;
}

static int
int_in(struct yw_req *req, const char *field, int64_t dflt, int64_t lo, int64_t hi, int64_t *out)
{
    json_t *v = json_object_get(req->body, field);
    if (v == NULL || json_is_null(v)) {
        *out = dflt;
        return 0;
    }
    int64_t x = json_integer_value(v);
    if (x < lo || x > hi)
        return yw_fail(&req->err, YW_EFIELD, field, "%s must be from %lld to %lld", field,
                       (long long)lo, (long long)hi);
    *out = x;
    return 0;
}

/* Read and check the body.  `old` is the client being changed (PUT), whose
 * values stand for the fields the body leaves out; NULL for a registration. */
static int subject_in(struct yw_req *req, const struct yw_ident_client_rec *old,
                      struct client_in *in, struct yw_err *err);

static int
client_in_read(struct yw_req *req, const struct yw_ident_client_rec *old, struct client_in *in)
{
    struct yw_err *err = &req->err;
    memset(in, 0, sizeof *in);
    yw_buf_init(&in->scopes);
    yw_buf_init(&in->grants);
    if (old && yw_body_has(req, "kind"))
        return yw_fail(err, YW_EUNKNOWN, "kind",
                       "a client's kind cannot change: register a new client");
    in->name = yw_body_str(req, "name");
    if (in->name == NULL)
        in->name = old ? old->name : "";
    size_t nl = yw_utf8_len(in->name, strlen(in->name));
    if (nl == 0 || nl > 100)
        return yw_fail(err, YW_EFIELD, "name", "the name must be 1 to 100 characters");
    in->dept = yw_body_str(req, "dept");
    if (in->dept == NULL)
        in->dept = old ? old->dept : "";
    if (!dept_ok(in->dept))
        return yw_fail(err, YW_EFIELD, "dept",
                       "dept must be a department code (1 to 32 of A-Z a-z 0-9 - _)");
    in->kind = old ? old->kind : yw_body_str(req, "kind");
    if (in->kind == NULL || (strcmp(in->kind, "confidential") && strcmp(in->kind, "public")))
        return yw_fail(err, YW_EFIELD, "kind", "kind must be 'confidential' or 'public'");
    bool confidential = !strcmp(in->kind, "confidential");

    json_t *ru = json_object_get(req->body, "redirect_uris");
    json_t *lu = json_object_get(req->body, "post_logout_redirect_uris");
    json_t *sc = json_object_get(req->body, "scopes");
    json_t *gt = json_object_get(req->body, "grant_types");
    int rc;
    if (ru && !json_is_null(ru))
        rc = uris_in(ru, "redirect_uris", &in->redirect_uris, err);
    else
        in->redirect_uris = yw_xstrdup(old ? old->redirect_uris : "[]"), rc = 0;
    if (rc)
        return rc;
    if (lu && !json_is_null(lu))
        rc = uris_in(lu, "post_logout_redirect_uris", &in->logout_uris, err);
    else
        in->logout_uris = yw_xstrdup(old ? old->logout_uris : "[]"), rc = 0;
    if (rc)
        return rc;
    if (sc && !json_is_null(sc))
        rc = words_in(sc, "scopes", oidc_scopes, true, &in->scopes, err);
    else
        yw_buf_adds(&in->scopes, old ? old->scopes : ""), rc = 0;
    if (rc)
        return rc;
    if (gt && !json_is_null(gt))
        rc = words_in(gt, "grant_types", grant_names, false, &in->grants, err);
    else if (old)
        yw_buf_adds(&in->grants, old->grant_types), rc = 0;
    else
        rc = yw_fail(err, YW_EMISSING, "grant_types",
                     "grant_types is required: authorization_code, refresh_token, "
                     "client_credentials");
    if (rc)
        return rc;
    if (in->grants.n == 0)
        return yw_fail(err, YW_EFIELD, "grant_types", "a client needs at least one grant type");
    bool code = yw_ident__word_in(in->grants.p, "authorization_code");
    if (yw_ident__word_in(in->grants.p, "client_credentials") && !confidential)
        return yw_fail(err, YW_EFIELD, "grant_types",
                       "client_credentials needs a confidential client (one with a secret)");
    if (yw_ident__word_in(in->grants.p, "refresh_token") && !code)
        return yw_fail(err, YW_EFIELD, "grant_types",
                       "refresh_token comes with authorization_code");
    if (code && !strcmp(in->redirect_uris, "[]"))
        return yw_fail(err, YW_EFIELD, "redirect_uris",
                       "authorization_code needs at least one redirect URI");
    if (code && !yw_ident__word_in(in->scopes.p, "openid"))
        return yw_fail(err, YW_EFIELD, "scopes",
                       "a client that logs people in (authorization_code) needs the scope openid");

    if ((rc = int_in(req, "access_token_ttl", old ? old->access_ttl : TTL_ACCESS_DEFAULT, 60, 86400,
                     &in->access_ttl)) ||
        (rc = int_in(req, "refresh_token_ttl", old ? old->refresh_ttl : TTL_REFRESH_DEFAULT, 0,
                     30 * 86400, &in->refresh_ttl)) ||
        (rc = int_in(req, "min_acr", old ? old->min_acr : 0, 0, 3, &in->min_acr)))
        return rc;
    in->id_token_alg = yw_body_str(req, "id_token_alg");
    if (in->id_token_alg == NULL)
        in->id_token_alg = old ? old->id_token_alg : "ES256";
    if (strcmp(in->id_token_alg, "ES256") && strcmp(in->id_token_alg, YW_IDENT_ALG_SM2))
        return yw_fail(err, YW_EFIELD, "id_token_alg", "id_token_alg must be 'ES256' or '%s'",
                       YW_IDENT_ALG_SM2);
    json_t *jw = json_object_get(req->body, "jwks");
    if (jw && !json_is_null(jw)) {
        if ((rc = jwks_in(jw, &in->jwks, err)))
            return rc;
    } else
        in->jwks = yw_xstrdup(old && old->jwks ? old->jwks : "");
    if (in->jwks[0] && !confidential)
        return yw_fail(err, YW_EFIELD, "jwks",
                       "only a confidential client authenticates with its keys (private_key_jwt)");
    json_t *fi = json_object_get(req->body, "full_id_number");
    in->full_id_number = fi && !json_is_null(fi) ? json_is_true(fi) : old ? old->full_id_number : 0;
    return subject_in(req, old, in, err);
}

/* subject_type and sector_identifier (OpenID Connect Core 8.1): a pairwise
 * client's sector is its sector_identifier, else the one host all its
 * redirect URIs share - a client whose URIs name several hosts must say
 * which sector it is (the sector decides the sub its users get, so it is
 * never guessed). */
static int
subject_in(struct yw_req *req, const struct yw_ident_client_rec *old, struct client_in *in,
           struct yw_err *err)
{
    in->subject_type = yw_body_str(req, "subject_type");
    if (in->subject_type == NULL)
        in->subject_type = old && old->pairwise ? "pairwise" : "public";
    if (strcmp(in->subject_type, "public") && strcmp(in->subject_type, "pairwise"))
        return yw_fail(err, YW_EFIELD, "subject_type",
                       "subject_type must be 'public' or 'pairwise'");
    in->sector = yw_body_str(req, "sector_identifier");
    if (in->sector == NULL)
        in->sector = old && old->sector ? old->sector : "";
    if (in->sector[0] && !yw_ident__sector_ok(in->sector))
        return yw_fail(err, YW_EFIELD, "sector_identifier",
                       "sector_identifier must be a host name (letters, digits, '-' and '.', at "
                       "most 253 characters), such as 'shebao.xuhui.example'");
    if (!strcmp(in->subject_type, "pairwise") && !in->sector[0]) {
        char host[256];
        int rc = yw_ident__uris_host(in->redirect_uris, host);
        if (rc == YW_ENOTFOUND)
            return yw_fail(err, YW_EFIELD, "sector_identifier",
                           "a pairwise client needs redirect URIs or a sector_identifier");
        if (rc)
            return yw_fail(err, YW_EFIELD, "sector_identifier",
                           "the redirect URIs name several hosts: say which sector the client "
                           "belongs to with sector_identifier");
    }
    return 0;
}

/* ---- the changes ---- */

static const char *
actor_of(struct yw_req *req, char buf[24])
{
    snprintf(buf, 24, "%lld", (long long)req->who->account_id);
    return buf;
}

static int
audit(struct yw_req *req, const char *action, const char *client_id, json_t *summary)
{
    char actor[24];
    char *s = json_dumps(summary, JSON_COMPACT);
    json_decref(summary);
    int rc = yw_audit_add(req->db, &(struct yw_audit_entry){ .actor = actor_of(req, actor),
                                                             .role = "admin",
                                                             .action = action,
                                                             .obj_type = "client",
                                                             .obj_id = client_id,
                                                             .summary = s ? s : "{}" });
    free(s);
    return rc;
}

static void
new_secret(char secret[64], char hash[65])
{
    yw_random_token(32, secret, 64);
    yw_sm3_hex(secret, strlen(secret), hash);
}

static int
answer_client(struct yw_req *req, int status, const char *client_id, const char *secret)
{
    struct yw_ident_client_rec cl;
    int rc = yw_ident__client_load(req->db, &req->arena, client_id, &cl);
    if (rc)
        return rc == YW_ENOTFOUND ? yw_fail(&req->err, YW_EDB, "", "cannot read the client back")
                                  : rc;
    json_t *body = json_pack("{s:o}", "client", yw_ident__client_json(&cl));
    if (secret)
        json_object_set_new(body, "client_secret", json_string(secret));
    if (secret)
        yw_resp_header(req, "Cache-Control", "no-store");
    return yw_resp_json(req, status, body);
}

int
yw_ident__h_client_add(struct yw_req *req)
{
    struct client_in in;
    int rc = client_in_read(req, NULL, &in);
    if (rc) {
        client_in_release(&in);
        return rc;
    }
    unsigned char rnd[10];
    yw_random(rnd, sizeof rnd);
    char id[32] = "ywc";
    yw_hex(rnd, sizeof rnd, id + 3);
    char secret[64] = "", hash[65] = "", now[32];
    bool confidential = !strcmp(in.kind, "confidential");
    if (confidential)
        new_secret(secret, hash);
    yw_clock_format(yw_clock_now_ms(), now);
    rc = yw_db_run(
        req->db,
        "INSERT INTO oidc_clients (client_id, name, dept_code, kind, secret_hash, "
        "redirect_uris, logout_uris, scopes, grant_types, access_ttl, refresh_ttl, "
        "id_token_alg, min_acr, full_id_number, status, created_at, updated_at, "
        "secret_at, jwks, subject_type, sector_identifier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)",
        "sssssssssiisidssssss", id, in.name, in.dept, in.kind, hash, in.redirect_uris,
        in.logout_uris, in.scopes.p, in.grants.p, in.access_ttl, in.refresh_ttl, in.id_token_alg,
        in.min_acr, in.full_id_number, now, now, confidential ? now : "", in.jwks,
        in.subject_type, in.sector);
    if (rc == 0)
        rc = audit(req, "client.register", id,
                   json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", in.name, "dept", in.dept, "kind",
                             in.kind, "scopes", in.scopes.p, "grant_types", in.grants.p));
    client_in_release(&in);
    if (rc)
        return rc;
    rc = answer_client(req, 201, id, confidential ? secret : NULL);
    yw_wipe(secret, sizeof secret);
    return rc;
}

int
yw_ident__h_client_list(struct yw_req *req)
{
    const char *dept = yw_req_query(req, "dept");
    struct yw_stmt *s =
        dept && *dept ? yw_db_query(req->db,
                                    "SELECT " CLIENT_COLS " FROM oidc_clients WHERE dept_code = ? "
                                    "ORDER BY created_at, client_id LIMIT 1000",
                                    "s", dept)
                      : yw_db_query(req->db,
                                    "SELECT " CLIENT_COLS " FROM oidc_clients ORDER BY created_at, "
                                    "client_id LIMIT 1000",
                                    NULL);
    if (s == NULL)
        return yw_fail(&req->err, YW_EDB, "", "cannot read the clients");
    json_t *items = json_array();
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        struct yw_ident_client_rec cl;
        read_client(s, &req->arena, &cl);
        json_array_append_new(items, yw_ident__client_json(&cl));
    }
    if ((rc = yw_db_finish(s, rc))) {
        json_decref(items);
        return yw_fail(&req->err, rc, "", "cannot read the clients");
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "items", items));
}

static int
load_param(struct yw_req *req, struct yw_ident_client_rec *cl)
{
    int rc = yw_ident__client_load(req->db, &req->arena, yw_req_param(req, "client_id"), cl);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no such client");
    return rc;
}

int
yw_ident__h_client_get(struct yw_req *req)
{
    struct yw_ident_client_rec cl;
    int rc = load_param(req, &cl);
    if (rc)
        return rc;
    return yw_resp_json(req, 200, json_pack("{s:o}", "client", yw_ident__client_json(&cl)));
}

int
yw_ident__h_client_put(struct yw_req *req)
{
    struct yw_ident_client_rec cl;
    int rc = load_param(req, &cl);
    if (rc)
        return rc;
    struct client_in in;
    if ((rc = client_in_read(req, &cl, &in))) {
        client_in_release(&in);
        return rc;
    }
    char now[32];
    yw_clock_format(yw_clock_now_ms(), now);
    rc = yw_db_run(req->db,
                   "UPDATE oidc_clients SET name = ?, dept_code = ?, redirect_uris = ?, "
                   "logout_uris = ?, scopes = ?, grant_types = ?, access_ttl = ?, refresh_ttl = ?, "
                   "id_token_alg = ?, min_acr = ?, full_id_number = ?, jwks = ?, subject_type = ?, "
                   "sector_identifier = ?, updated_at = ? WHERE client_id = ?",
                   "ssssssiisidsssss", in.name, in.dept, in.redirect_uris, in.logout_uris,
                   in.scopes.p, in.grants.p, in.access_ttl, in.refresh_ttl, in.id_token_alg,
                   in.min_acr, in.full_id_number, in.jwks, in.subject_type, in.sector, now,
                   cl.client_id);
    if (rc == 0) /* the userinfo answers kept in memory follow its settings */
        rc = yw_ident__cache_changed(req->db, YW_DB_AFTER_TX_ALL);
    if (rc == 0)
        rc = yw_ident__clients_changed(req->db);
    if (rc == 0)
        rc = audit(req, "client.change", cl.client_id,
                   json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", in.name, "dept", in.dept,
                             "scopes", in.scopes.p, "grant_types", in.grants.p, "subject_type",
                             in.subject_type, "sector_identifier", in.sector));
    client_in_release(&in);
    if (rc)
        return rc;
    return answer_client(req, 200, cl.client_id, NULL);
}

int
yw_ident__h_client_secret(struct yw_req *req)
{
    struct yw_ident_client_rec cl;
    int rc = load_param(req, &cl);
    if (rc)
        return rc;
    if (strcmp(cl.kind, "confidential"))
        return yw_fail(&req->err, YW_ESTATE, "", "a public client has no secret");
    char secret[64], hash[65], now[32];
    new_secret(secret, hash);
    yw_clock_format(yw_clock_now_ms(), now);
    rc = yw_db_run(req->db,
                   "UPDATE oidc_clients SET secret_hash = ?, secret_at = ?, updated_at = ? "
                   "WHERE client_id = ?",
                   "ssss", hash, now, now, cl.client_id);
    if (rc == 0) /* the old secret stops at once on every node */
        rc = yw_ident__clients_changed(req->db);
    if (rc == 0)
        rc = audit(req, "client.secret_rotate", cl.client_id, json_object());
    if (rc == 0)
        rc = answer_client(req, 200, cl.client_id, secret);
    yw_wipe(secret, sizeof secret);
    return rc;
}

static int
set_status(struct yw_req *req, const char *status)
{
    struct yw_ident_client_rec cl;
    int rc = load_param(req, &cl);
    if (rc)
        return rc;
    if (!strcmp(cl.status, status))
        return answer_client(req, 200, cl.client_id, NULL);
    char now[32];
    yw_clock_format(yw_clock_now_ms(), now);
    rc =
        yw_db_run(req->db, "UPDATE oidc_clients SET status = ?, updated_at = ? WHERE client_id = ?",
                  "sss", status, now, cl.client_id);
    int64_t revoked = 0;
    if (rc == 0 && !strcmp(status, "disabled"))
        rc = yw_db_run_changes(req->db, &revoked,
                               "UPDATE oidc_tokens SET status = 'revoked' WHERE client_id = ? "
                               "AND status = 'active'",
                               "s", cl.client_id);
    if (rc == 0 && revoked > 0)
        rc = yw_ident__cache_changed(req->db, YW_DB_AFTER_TX_ALL);
    if (rc == 0)
        rc = yw_ident__clients_changed(req->db);
    if (rc == 0)
        rc = audit(req, !strcmp(status, "disabled") ? "client.disable" : "client.enable",
                   cl.client_id, json_pack("{s:I}", "tokens_revoked", (json_int_t)revoked));
    if (rc)
        return rc;
    return answer_client(req, 200, cl.client_id, NULL);
}

int
yw_ident__h_client_disable(struct yw_req *req)
{
    return set_status(req, "disabled");
}

int
yw_ident__h_client_enable(struct yw_req *req)
{
    return set_status(req, "active");
}

const struct yw_field yw_ident__client_body[] = {
    { "name", YW_F_STRING, false, 100 },
    { "dept", YW_F_STRING, false, 32 },
    { "kind", YW_F_STRING, false, 16 },
    { "redirect_uris", YW_F_ARRAY, false, 10 },
    { "post_logout_redirect_uris", YW_F_ARRAY, false, 10 },
    { "scopes", YW_F_ARRAY, false, 30 },
    { "grant_types", YW_F_ARRAY, false, 3 },
    { "access_token_ttl", YW_F_INT, false, 0 },
    { "refresh_token_ttl", YW_F_INT, false, 0 },
    { "id_token_alg", YW_F_STRING, false, 16 },
    { "min_acr", YW_F_INT, false, 0 },
    { "full_id_number", YW_F_BOOL, false, 0 },
    { "jwks", YW_F_OBJECT, false, 0 },
    { "subject_type", YW_F_STRING, false, 16 },
    { "sector_identifier", YW_F_STRING, false, 253 },
    { NULL, 0, false, 0 },
};
