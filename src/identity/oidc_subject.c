/*
 * oidc_subject.c - the subject identifier (`sub`) a relying party learns for
 * a person (OpenID Connect Core 8).
 *
 * A client registered with subject_type "public" sees the account's id: the
 * same number in every system, which carries nothing personal (never the ID
 * number).  A client registered "pairwise" (Core 8.1) sees an identifier of
 * its own *sector*: base64url(HMAC-SHA256(k, sector "\n" account_id)), 43
 * characters, where k is derived from the server's secret key (oidc_keys.c,
 * label "ywtb oidc pairwise subject v1").  So:
 *   - it is stable: the same person gets the same sub at every login, from
 *     every node (they share the secret key);
 *   - clients of one sector (one department's systems on one host, or those
 *     the administrator registered with one sector_identifier) see one sub,
 *     so they can match their records; clients of different sectors cannot
 *     match theirs by sub;
 *   - nothing in it can be turned back into the account or the ID number
 *     without the secret key.
 * The sector is the client's sector_identifier, else the host its redirect
 * URIs share (registration refuses a pairwise client whose URIs name several
 * hosts without one).  Changing the secret key changes every pairwise sub -
 * one more reason it never changes (it also seals the signing keys).
 */
#include "identity/internal.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t key_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char pair_key[32];
static bool have_key;

bool
yw_ident__sector_ok(const char *host)
{
    size_t n = strlen(host);
    if (n == 0 || n > 253 || host[0] == '.' || host[0] == '-' || host[n - 1] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)host[i];
        if (!(isalnum(ch) || ch == '-' || ch == '.') || (ch == '.' && host[i + 1] == '.'))
            return false;
    }
    return true;
}

/* The host of an absolute http(s) URI (lower-cased, without the port). */
static bool
host_of(const char *uri, char host[256])
{
    const char *p = strstr(uri, "://");
    if (p == NULL)
        return false;
    p += 3;
    size_t n = strcspn(p, ":/?#");
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++)
        host[i] = (char)tolower((unsigned char)p[i]);
    host[n] = '\0';
    return true;
}

int
yw_ident__uris_host(const char *uris_json, char host[256])
{
    json_t *arr = json_loads(uris_json ? uris_json : "[]", 0, NULL);
    int rc = YW_ENOTFOUND;
    size_t i;
    json_t *v;
    host[0] = '\0';
    json_array_foreach(arr, i, v)
    {
        char h[256];
        const char *u = json_string_value(v);
        if (u == NULL || !host_of(u, h)) {
            rc = YW_EINVAL;
            break;
        }
        if (rc == YW_ENOTFOUND) {
            snprintf(host, 256, "%s", h);
            rc = 0;
        } else if (strcmp(host, h)) {
            rc = YW_ECONFLICT;
            break;
        }
    }
    json_decref(arr);
    return rc;
}

int
yw_ident__subject(struct yw_app *app, const struct yw_ident_client_rec *cl, int64_t account_id,
                  char out[YW_IDENT_SUB_MAX], struct yw_err *err)
{
    if (!cl->pairwise) {
        snprintf(out, YW_IDENT_SUB_MAX, "%lld", (long long)account_id);
        return 0;
    }
    char sector[256];
    if (cl->sector && cl->sector[0])
        snprintf(sector, sizeof sector, "%s", cl->sector);
    else if (yw_ident__uris_host(cl->redirect_uris, sector))
        return yw_fail(err, YW_EINVAL, "sector_identifier",
                       "the pairwise client '%s' has no single sector", cl->client_id);
    pthread_mutex_lock(&key_mu);
    int rc = 0;
    if (!have_key) {
        rc = yw_ident__secret_derive(app, "ywtb oidc pairwise subject v1", pair_key, err);
        have_key = rc == 0;
    }
    pthread_mutex_unlock(&key_mu);
    if (rc)
        return rc;
    char msg[300];
    int mn = snprintf(msg, sizeof msg, "%s\n%lld", sector, (long long)account_id);
    unsigned char mac[32];
    unsigned int mlen = 0;
    if (HMAC(EVP_sha256(), pair_key, sizeof pair_key, (const unsigned char *)msg, (size_t)mn, mac,
             &mlen) == NULL)
        return yw_fail(err, YW_ECRYPTO, "", "cannot derive the subject identifier");
    struct yw_buf b;
    yw_buf_init(&b);
    yw_ident__b64url(mac, sizeof mac, &b);
    snprintf(out, YW_IDENT_SUB_MAX, "%.*s", (int)b.n, b.p);
    yw_buf_release(&b);
    return 0;
}
