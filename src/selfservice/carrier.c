/*
 * carrier.c - the carrier that mails a result: one interface, two kinds.
 * With no ss_carrier_url the carrier is "manual": staff type the waybill
 * number they were given.  With one, ywtb POSTs the shipment as JSON
 * ({case_no, recipient, phone, address}) to that URL and takes the waybill
 * number from the answer ({tracking_no}); the tests run a local simulator.
 * Called with no transaction open (libcurl, bounded to 10 seconds).
 */
#include "selfservice/internal.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct sink {
    char buf[4096];
    size_t n;
};

static size_t
collect(char *p, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t n = size * nmemb;
    size_t room = sizeof s->buf - 1 - s->n;
    size_t k = n < room ? n : room;
    memcpy(s->buf + s->n, p, k);
    s->n += k;
    s->buf[s->n] = '\0';
    return n;
}

static bool
tracking_ok(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    if (n < 6 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9')))
            return false;
    return true;
}

int
yw_ss__carrier_waybill(struct yw_arena *a, const char *case_no, const char *recipient,
                       const char *phone, const char *address, const char *manual,
                       const char **tracking, struct yw_err *err)
{
    const char *url = yw_ss__cfg()->ss_carrier_url;
    if (url == NULL || !*url) {
        if (!tracking_ok(manual))
            return yw_fail(err, manual ? YW_EFIELD : YW_EMISSING, "tracking_no",
                           "tracking_no is 6 to 32 capital letters or digits");
        *tracking = yw_arena_strdup(a, manual);
        return 0;
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "case_no", case_no, "recipient", recipient,
                             "phone", phone, "address", address);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    CURL *h = curl_easy_init();
    if (h == NULL || text == NULL) {
        free(text);
        if (h)
            curl_easy_cleanup(h);
        return yw_fail(err, YW_EINTERNAL, "", "cannot ask the carrier");
    }
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    struct sink s = { .n = 0 };
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    free(text);
    if (cc != CURLE_OK || status != 200)
        return yw_fail(err, YW_EUNAVAIL, "", "the carrier did not answer (%s, HTTP %ld)",
                       curl_easy_strerror(cc), status);
    json_t *ans = json_loads(s.buf, 0, NULL);
    const char *t = json_string_value(json_object_get(ans, "tracking_no"));
    int rc = 0;
    if (!tracking_ok(t))
        rc = yw_fail(err, YW_EUNAVAIL, "", "the carrier's answer has no valid tracking_no");
    else
        *tracking = yw_arena_strdup(a, t);
    json_decref(ans);
    return rc;
}
