/*
 * sms.c - the SMS gateway that carries a kiosk's one-time login code to the
 * account's registered phone: a provider interface with one kind, an HTTP
 * gateway at ss_sms_url that takes the same JSON as the notification
 * gateway ({to, text, event}) and answers 2xx when it accepted the message.
 * The code is a secret: it goes straight to the gateway with no transaction
 * open and is never queued, logged or published as an event (only its salted
 * SM3 rests, in ss_otps).  With no gateway configured the kiosk cannot offer
 * this login (503).  Bounded to 10 seconds; the tests run a local simulator.
 */
#include "selfservice/internal.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

static size_t
discard(char *p, size_t size, size_t nmemb, void *ud)
{
    (void)p;
    (void)ud;
    return size * nmemb;
}

int
yw_ss__sms_send(const char *to, const char *text, const char *event, struct yw_err *err)
{
    const char *url = yw_ss__cfg()->ss_sms_url;
    if (url == NULL || !*url)
        return yw_fail(err, YW_EUNAVAIL, "",
                       "this hall sends no SMS codes (ss_sms_url): log in by scanning the QR code");
    json_t *body = json_pack("{s:s, s:s, s:s}", "to", to, "text", text, "event", event);
    char *json = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    CURL *h = curl_easy_init();
    if (h == NULL || json == NULL) {
        free(json);
        if (h)
            curl_easy_cleanup(h);
        return yw_fail(err, YW_EINTERNAL, "", "cannot prepare the SMS");
    }
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    /* the text held the code: wipe it before it goes back to the allocator */
    memset(json, 0, strlen(json));
    free(json);
    if (cc != CURLE_OK || status < 200 || status > 299)
        return yw_fail(err, YW_EUNAVAIL, "", "the SMS gateway did not take the code (%s, HTTP %ld)",
                       curl_easy_strerror(cc), status);
    return 0;
}
