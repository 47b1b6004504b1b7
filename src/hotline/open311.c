/*
 * open311.c - Open311 GeoReport v2, so that a city's existing Open311 apps
 * and clients (FixMyStreet's Open311 sender, mobile 311 apps) work against
 * ywtb unchanged.  What the published specification
 * (wiki.open311.org/GeoReport_v2) asks for:
 *
 *   GET  services.{fmt}            the service list (our categories)
 *   GET  services/{code}.{fmt}     a service definition (its attributes)
 *   POST requests.{fmt}            create a request: form-encoded (as clients send it)
 *                                  or JSON; api_key required (hotline_open311_keys)
 *   GET  requests.{fmt}            requests by service_request_id, service_code,
 *                                  start_date, end_date, status (open|closed)
 *   GET  requests/{id}.{fmt}       one request
 *   GET  tokens/{token}.{fmt}      the request id of a token (ours are realtime:
 *                                  the token is the id)
 *
 * fmt is json or xml (FixMyStreet's client reads XML).  Errors are the
 * standard's list: [{"code":403,"description":"..."}] / <errors><error>.
 * A request's status is "open" until the order is closed (办结) and
 * "closed" after; status_notes carry the department's answer and
 * agency_responsible the department.  Callers' names and numbers are never
 * shown; the public list holds street matters (categories HL-1xx) and
 * requests that came in through Open311.
 */
#include "hotline/internal.h"

#include "catalog/catalog.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "http/ratelimit.h"

#include <stdlib.h>
#include <string.h>

static bool
want_xml(struct yw_req *req)
{
    size_t n = strlen(req->path);
    return n > 4 && strcmp(req->path + n - 4, ".xml") == 0;
}

/* A path parameter without its .json / .xml; NULL for another suffix. */
static const char *
strip_format(struct yw_req *req, const char *name)
{
    const char *p = yw_req_param(req, name);
    size_t n = strlen(p);
    if (n > 5 && strcmp(p + n - 5, ".json") == 0)
        return yw_arena_strndup(&req->arena, p, n - 5);
    if (n > 4 && strcmp(p + n - 4, ".xml") == 0)
        return yw_arena_strndup(&req->arena, p, n - 4);
    return NULL;
}

/* A JSON value as XML: objects become elements, arrays repeat `item`. */
static void
xml_value(struct yw_buf *b, const char *tag, json_t *v, const char *item)
{
    if (json_is_array(v)) {
        yw_buf_printf(b, "<%s>", tag);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) xml_value(b, item, x, "value");
        yw_buf_printf(b, "</%s>", tag);
        return;
    }
    if (json_is_object(v)) {
        yw_buf_printf(b, "<%s>", tag);
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            /* arrays inside: attributes > attribute, values > value */
            const char *sub = !strcmp(k, "attributes") ? "attribute" : "value";
            xml_value(b, k, x, sub);
        }
        yw_buf_printf(b, "</%s>", tag);
        return;
    }
    if (json_is_null(v)) {
        yw_buf_printf(b, "<%s/>", tag);
        return;
    }
    yw_buf_printf(b, "<%s>", tag);
    if (json_is_string(v))
        yw_buf_add_xml(b, json_string_value(v));
    else if (json_is_true(v))
        yw_buf_adds(b, "true");
    else if (json_is_false(v))
        yw_buf_adds(b, "false");
    else if (json_is_integer(v))
        yw_buf_printf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        yw_buf_printf(b, "%.6f", json_real_value(v));
    yw_buf_printf(b, "</%s>", tag);
}

/* v (stolen) as JSON, or as XML with root element `root` whose array items
 * are `item` elements: the bytes (malloc'd) and their content type. */
static void
serialize(struct yw_req *req, json_t *v, const char *root, const char *item, char **body,
          size_t *len, const char **ctype)
{
    if (!want_xml(req)) {
        *body = json_dumps(v, JSON_COMPACT);
        if (*body == NULL) /* only out of memory: jansson refuses nothing we build */
            *body = yw_xstrdup("[]");
        *len = strlen(*body);
        *ctype = "application/json; charset=utf-8";
        json_decref(v);
        return;
    }
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if (json_is_array(v)) {
        yw_buf_printf(&b, "<%s>", root);
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) xml_value(&b, item, x, "value");
        yw_buf_printf(&b, "</%s>", root);
    } else {
        xml_value(&b, root, v, item);
    }
    json_decref(v);
    *body = b.p;
    *len = b.n;
    *ctype = "text/xml; charset=utf-8";
}

/* Send v (stolen) as JSON, or as XML (see serialize). */
static int
send(struct yw_req *req, int status, json_t *v, const char *root, const char *item)
{
    if (!want_xml(req))
        return yw_resp_json(req, status, v);
    char *body = NULL;
    size_t len = 0;
    const char *ctype = NULL;
    serialize(req, v, root, item, &body, &len, &ctype);
    return yw_resp_take(req, status, ctype, body, len);
}

/* The standard's error list. */
static int
o311_error(struct yw_req *req, int status, const char *description)
{
    json_t *e = json_pack("[{s:i, s:s}]", "code", status, "description", description);
    return send(req, status, e, "errors", "error");
}

static bool
jurisdiction_ok(struct yw_req *req, const char *given)
{
    return given == NULL || given[0] == '\0' ||
           strcmp(given, yw_hotline__cfg()->hotline_jurisdiction) == 0;
}

static json_t *
service_json(const struct yw_hotline__category *c)
{
    return json_pack("{s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "service_code", c->code, "service_name",
                     c->name, "description", c->name_en, "metadata", c->attr != NULL, "type",
                     "realtime", "keywords", c->type, "group", c->group);
}

int
yw_hotline__h_o311_discovery(struct yw_req *req)
{
    const char *base = yw_req_base_url(req);
    json_t *d = json_pack(
        "{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s, s]}]}", "changeset", "2026-12-07T00:00:00Z",
        "contact", "上海市12345市民服务热线徐汇分中心 (XH-12345)", "key_service",
        "api keys: ask the hotline centre", "endpoints", "specification",
        "http://wiki.open311.org/GeoReport_v2", "url",
        yw_arena_printf(&req->arena, "%s/open311/v2", base), "changeset", "2026-12-07T00:00:00Z",
        "type", "production", "formats", "application/json", "text/xml");
    return yw_resp_json(req, 200, d);
}

int
yw_hotline__h_o311_services(struct yw_req *req)
{
    if (!jurisdiction_ok(req, yw_req_query(req, "jurisdiction_id")))
        return o311_error(req, 404, "jurisdiction_id not found");
    json_t *arr = json_array();
    for (size_t i = 0; i < yw_hotline__ncategories; i++)
        json_array_append_new(arr, service_json(&yw_hotline__categories[i]));
    return send(req, 200, arr, "services", "service");
}

int
yw_hotline__h_o311_service(struct yw_req *req)
{
    const char *code = strip_format(req, "code");
    const struct yw_hotline__category *c = code ? yw_hotline__category(code) : NULL;
    if (c == NULL)
        return o311_error(req, 404, "service_code not found");
    if (!jurisdiction_ok(req, yw_req_query(req, "jurisdiction_id")))
        return o311_error(req, 404, "jurisdiction_id not found");
    json_t *attrs = json_array();
    if (c->attr) {
        json_t *vals = json_array();
        for (const char *const *v = c->attr_values; *v; v++)
            json_array_append_new(vals, json_pack("{s:s, s:s}", "key", *v, "name", *v));
        json_array_append_new(attrs,
                              json_pack("{s:b, s:s, s:s, s:b, s:s, s:i, s:s, s:o}", "variable", 1,
                                        "code", c->attr, "datatype", "singlevaluelist", "required",
                                        1, "datatype_description", "", "order", 1, "description",
                                        c->attr_name, "values", vals));
    }
    json_t *d = json_pack("{s:s, s:o}", "service_code", c->code, "attributes", attrs);
    return send(req, 200, d, "service_definition", "attribute");
}

static const char *
iso(struct yw_arena *a, const char *stored)
{
    /* stored: 2026-12-07T02:00:00.000Z; Open311 wants W3C: drop the fraction */
    size_t n = strlen(stored);
    if (n == 24 && stored[19] == '.') {
        char *w = yw_arena_alloc(a, 21);
        memcpy(w, stored, 19);
        memcpy(w + 19, "Z", 2);
        return w;
    }
    return stored;
}

/* The departments' names a list has looked up, so that a page of requests
 * reads each department once. */
struct dept_names {
    const char *code[16], *name[16];
    int n;
    int64_t due_day; /* and the last expected_datetime written (orders of a page share days) */
    const char *expected;
};

/* A request as the standard shows it: its text fields, in the order they are
 * written, then address_id and zipcode (null: we keep neither) and lat/long. */
#define O311_NSTR 13
static const char *const o311_keys[O311_NSTR] = {
    "service_request_id", "status",           "status_notes",       "service_name",
    "service_code",       "description",      "agency_responsible", "service_notice",
    "requested_datetime", "updated_datetime", "expected_datetime",  "address",
    "media_url",
};
struct o311_row {
    const char *v[O311_NSTR];
    bool located;
    const char *lat, *lng; /* as stored: decimal degrees */
};

static void
request_fields(struct yw_req *req, const struct yw_hotline__order *o, struct dept_names *memo,
               struct o311_row *r)
{
    const struct yw_hotline__category *c = yw_hotline__category(o->category);
    const char *agency = "上海市12345市民服务热线徐汇分中心";
    if (o->dept[0]) {
        int i = 0;
        while (memo && i < memo->n && strcmp(memo->code[i], o->dept) != 0)
            i++;
        if (memo && i < memo->n) {
            agency = memo->name[i];
        } else {
            struct yw_catalog_dept d;
            if (yw_catalog_dept(req->db, &req->arena, o->dept, &d) == 0) {
                agency = d.name;
                if (memo && memo->n < 16) { /* o's text may not outlive this row */
                    memo->code[memo->n] = yw_arena_strdup(&req->arena, o->dept);
                    memo->name[memo->n++] = d.name;
                }
            }
        }
    }
    const char *expected = memo && memo->expected && memo->due_day == o->due_day
                               ? memo->expected
                               : NULL;
    if (expected == NULL) {
        char exp[32];
        yw_clock_format(yw_cal_end_of_day_ms(o->due_day), exp);
        expected = iso(&req->arena, yw_arena_strdup(&req->arena, exp));
        if (memo) {
            memo->due_day = o->due_day;
            memo->expected = expected;
        }
    }
    const char *v[O311_NSTR] = {
        o->order_no,
        yw_hotline__is_closed(o->status) ? "closed" : "open",
        o->answer,
        c ? c->name : o->category,
        o->category,
        o->content,
        agency,
        "",
        o->created_at, /* written without the fraction (json_date, xml) */
        o->updated_at,
        expected,
        o->address,
        o->media_url,
    };
    memcpy(r->v, v, sizeof v);
    r->located = o->lat[0] != '\0';
    r->lat = o->lat;
    r->lng = o->lng;
}

/* A JSON string as jansson writes it (compact, UTF-8 kept as it is). */
static void
json_str(struct yw_buf *b, const char *s)
{
    yw_buf_add_json_str(b, s, strlen(s));
}

/* A stored time (2026-12-07T02:00:00.000Z) as W3C without the fraction, as
 * iso() writes it, in t (32 bytes) - no arena copy for the two dates of
 * every request of a page. */
static const char *
w3c(char *t, const char *stored)
{
    if (strlen(stored) == 24 && stored[19] == '.') {
        memcpy(t, stored, 19);
        memcpy(t + 19, "Z", 2);
        return t;
    }
    return stored;
}

static void
json_date(struct yw_buf *b, const char *stored)
{
    char t[32];
    json_str(b, w3c(t, stored));
}

/* A coordinate as a JSON number: the stored text when it is one already (a
 * plain decimal, what intake stores), else as jansson writes a real (%.17g,
 * ".0" when that reads as an integer).  Writing the text saves a strtod and
 * a %.17g a coordinate - a fifth of a page's time in the profile - and says
 * what the caller gave (31.201, not 31.201000000000001). */
static void
json_num(struct yw_buf *b, const char *text)
{
    const char *p = text;
    if (*p == '-')
        p++;
    size_t digits = strspn(p, "0123456789");
    bool plain = digits > 0 && digits < 4 && (p[0] != '0' || digits == 1);
    if (plain && p[digits] == '.') {
        size_t frac = strspn(p + digits + 1, "0123456789");
        plain = frac > 0 && frac < 16 && p[digits + 1 + frac] == '\0';
    } else {
        plain = plain && p[digits] == '\0';
    }
    if (plain) {
        yw_buf_adds(b, text);
        return;
    }
    char t[40];
    snprintf(t, sizeof t, "%.17g", atof(text));
    yw_buf_adds(b, t);
    if (strpbrk(t, ".eE") == NULL)
        yw_buf_adds(b, ".0");
}

/* One request written straight into b, as JSON or as the XML serialize()
 * would write for the same object (every answer that lists requests is
 * built this way: no JSON tree). */
static void
write_request(struct yw_buf *b, bool xml, const struct o311_row *r)
{
    if (xml) {
        yw_buf_adds(b, "<request>");
        for (int i = 0; i < O311_NSTR; i++) {
            yw_buf_printf(b, "<%s>", o311_keys[i]);
            char t[32];
            yw_buf_add_xml(b, i == 8 || i == 9 ? w3c(t, r->v[i]) : r->v[i]);
            yw_buf_printf(b, "</%s>", o311_keys[i]);
        }
        yw_buf_adds(b, "<address_id/><zipcode/>");
        if (r->located)
            yw_buf_printf(b, "<lat>%.6f</lat><long>%.6f</long>", atof(r->lat), atof(r->lng));
        else
            yw_buf_adds(b, "<lat/><long/>");
        yw_buf_adds(b, "</request>");
        return;
    }
#define O311_KEY(k) { k, sizeof k - 1 }
    static const struct {
        const char *s;
        size_t n;
    } keys[O311_NSTR] = {
        O311_KEY("{\"service_request_id\":"), O311_KEY(",\"status\":"),
        O311_KEY(",\"status_notes\":"),       O311_KEY(",\"service_name\":"),
        O311_KEY(",\"service_code\":"),       O311_KEY(",\"description\":"),
        O311_KEY(",\"agency_responsible\":"), O311_KEY(",\"service_notice\":"),
        O311_KEY(",\"requested_datetime\":"), O311_KEY(",\"updated_datetime\":"),
        O311_KEY(",\"expected_datetime\":"),  O311_KEY(",\"address\":"),
        O311_KEY(",\"media_url\":"),
    };
#undef O311_KEY
    for (int i = 0; i < O311_NSTR; i++) { /* keys[i]: o311_keys[i] written as JSON */
        yw_buf_add(b, keys[i].s, keys[i].n);
        if (i == 8 || i == 9)
            json_date(b, r->v[i]);
        else
            json_str(b, r->v[i]);
    }
    yw_buf_adds(b, ",\"address_id\":null,\"zipcode\":null,\"lat\":");
    if (r->located)
        json_num(b, r->lat);
    else
        yw_buf_adds(b, "null");
    yw_buf_adds(b, ",\"long\":");
    if (r->located)
        json_num(b, r->lng);
    else
        yw_buf_adds(b, "null");
    yw_buf_addc(b, '}');
}

/* Requests written into an answer one by one, as a page's rows come from
 * the database (yw_hotline__o311_row_fn) or from an array. */
struct o311_writer {
    struct yw_req *req;
    struct yw_buf b;
    struct dept_names names;
    bool xml;
    int n;
    char last[64]; /* the last request's service_request_id (the next page's cursor) */
};

static void
writer_start(struct o311_writer *w, struct yw_req *req, int expect)
{
    memset(w, 0, sizeof *w);
    w->req = req;
    w->xml = want_xml(req);
    yw_buf_init(&w->b);
    yw_buf_grow(&w->b, (size_t)expect * 640 + 64); /* a request is about 540 bytes */
    yw_buf_adds(&w->b,
                w->xml ? "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests>" : "[");
}

static void
writer_row(void *ctx, const struct yw_hotline__order *o)
{
    struct o311_writer *w = ctx;
    struct o311_row r;
    request_fields(w->req, o, &w->names, &r);
    if (w->n++ && !w->xml)
        yw_buf_addc(&w->b, ',');
    write_request(&w->b, w->xml, &r);
    size_t n = strlen(o->order_no); /* (snprintf here was 7 % of a page) */
    if (n >= sizeof w->last)
        n = sizeof w->last - 1;
    memcpy(w->last, o->order_no, n);
    w->last[n] = '\0';
}

/* The answer's bytes (malloc'd) and *len. */
static char *
writer_end(struct o311_writer *w, size_t *len)
{
    yw_buf_adds(&w->b, w->xml ? "</service_requests>" : "]");
    *len = w->b.n;
    return w->b.p;
}

static int
send_requests(struct yw_req *req, const struct yw_hotline__order *items, int n)
{
    struct o311_writer w;
    writer_start(&w, req, n);
    for (int i = 0; i < n; i++)
        writer_row(&w, &items[i]);
    size_t len = 0;
    char *body = writer_end(&w, &len);
    return yw_resp_take(req, 200,
                        want_xml(req) ? "text/xml; charset=utf-8"
                                      : "application/json; charset=utf-8",
                        body, len);
}

/* Orders the public Open311 list may show (store.c's Open311 queries say
 * the same in SQL). */
static bool
public_order(const struct yw_hotline__order *o)
{
    return strncmp(o->category, "HL-1", 4) == 0 || strcmp(o->channel, "open311") == 0;
}

static int
parse_w3c(struct yw_req *req, const char *name, const char **out)
{
    const char *v = yw_req_query(req, name);
    *out = NULL;
    if (v == NULL || v[0] == '\0')
        return 0;
    int64_t ms;
    if (yw_clock_parse(v, &ms) != 0)
        return o311_error(req, 422,
                          yw_arena_printf(&req->arena, "%s is not a W3C date-time", name));
    char buf[32];
    yw_clock_format(ms, buf);
    *out = yw_arena_strdup(&req->arena, buf);
    return 0;
}

/* page_size (our extension, as other GeoReport servers name it): 1 to
 * 1000, the standard's most; hotline_open311_page when absent. */
static int
page_size(struct yw_req *req, int *out)
{
    const char *v = yw_req_query(req, "page_size");
    *out = (int)yw_hotline__cfg()->hotline_open311_page;
    if (v == NULL || v[0] == '\0')
        return 0;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (*end != '\0' || n < 1 || n > 1000)
        return o311_error(req, 422, "page_size is a whole number from 1 to 1000");
    *out = (int)n;
    return 0;
}

/* A page read from the database costs what a kept answer does not: at most
 * hotline_open311_reads_per_min of them a minute per client address (one
 * bucket shared by the nodes on PostgreSQL, as the router's route limits).
 * Kept answers are not counted, so a city's apps polling the first page are
 * never refused. */
#define O311_READ_SCOPE 0x4f333131u /* "O311": apart from the router's route indexes */
/* the shared bucket's name (rate_buckets.k "open311 read|ADDRESS"): short,
 * since every page compares it (collation-aware) down the key's index */
#define O311_READ_KEY "open311 read"

/* 429 in the standard's error list, with Retry-After. */
static int
read_refused(struct yw_req *req, unsigned retry)
{
    yw_resp_header(req, "Retry-After", yw_arena_printf(&req->arena, "%u", retry));
    return o311_error(req, 429,
                      yw_arena_printf(&req->arena,
                                      "too many pages read from your address; try again in %u "
                                      "seconds (请稍后再试)",
                                      retry));
}

/* Percent-encode v for a query string. */
static void
add_query(struct yw_buf *b, const char *name, const char *v)
{
    if (v == NULL || v[0] == '\0')
        return;
    yw_buf_printf(b, "%s%s=", b->n && b->p[b->n - 1] != '?' ? "&" : "", name);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~')
            yw_buf_addc(b, (char)*p);
        else
            yw_buf_printf(b, "%%%02X", *p);
    }
}

/* Link: <...requests.fmt?...&before=LAST>; rel="next" (RFC 8288), in the arena. */
static const char *
link_next(struct yw_req *req, const char *last, const char *since, const char *until,
          const char *code, const char *status, int limit)
{
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_printf(&b, "<%s/open311/v2/requests.%s?", yw_req_base_url(req),
                  want_xml(req) ? "xml" : "json");
    add_query(&b, "jurisdiction_id", yw_req_query(req, "jurisdiction_id"));
    add_query(&b, "service_code", code);
    add_query(&b, "status", status);
    add_query(&b, "start_date", since);
    add_query(&b, "end_date", until);
    add_query(&b, "page_size", yw_arena_printf(&req->arena, "%d", limit));
    add_query(&b, "before", last);
    yw_buf_adds(&b, ">; rel=\"next\"");
    const char *link = yw_arena_strndup(&req->arena, b.p, b.n);
    yw_buf_release(&b);
    return link;
}

int
yw_hotline__h_o311_requests(struct yw_req *req)
{
    if (!jurisdiction_ok(req, yw_req_query(req, "jurisdiction_id")))
        return o311_error(req, 404, "jurisdiction_id not found");
    const char *ids = yw_req_query(req, "service_request_id");
    const char *status = yw_req_query(req, "status");
    if (status && status[0] && strcmp(status, "open") && strcmp(status, "closed"))
        return o311_error(req, 422, "status is open or closed");
    const char *code = yw_req_query(req, "service_code");
    if (code && code[0] && yw_hotline__category(code) == NULL)
        return o311_error(req, 404, "service_code not found");
    if (ids && ids[0]) { /* a comma-separated list of ids */
        struct yw_hotline__order *found = yw_arena_alloc(&req->arena, sizeof *found * 200);
        char *list = yw_arena_strdup(&req->arena, ids), *save = NULL;
        int count = 0, k = 0;
        for (char *id = strtok_r(list, ",", &save); id && count < 200;
             id = strtok_r(NULL, ",", &save), count++) {
            int rc = yw_hotline__load(req->db, &req->arena, id, &found[k]);
            if (rc == 0 && public_order(&found[k]))
                k++;
            else if (rc && rc != YW_ENOTFOUND)
                return yw_fail(&req->err, rc, "", "cannot read the requests");
        }
        return send_requests(req, found, k);
    }
    struct yw_hotline__o311_query q = { 0 };
    q.category = code;
    q.closed = status && status[0] ? strcmp(status, "closed") == 0 : -1;
    const char *since = NULL, *until = NULL;
    int rc = parse_w3c(req, "start_date", &since);
    if (rc == 0 && req->status == 0)
        rc = parse_w3c(req, "end_date", &until);
    if (rc == 0 && req->status == 0)
        rc = page_size(req, &q.limit);
    if (rc || req->status)
        return rc;
    char buf[32];
    if (since == NULL) { /* without dates: the last 90 days, from the minute */
        int64_t from = yw_clock_now_ms() - 90LL * 86400000LL;
        yw_clock_format(from - from % 60000, buf);
        since = yw_arena_strdup(&req->arena, buf);
    }
    q.since = since;
    q.until = until; /* NULL: no end_date */
    const char *before = yw_req_query(req, "before");
    /* the question, as the cache knows it (o311_cache.c); jurisdiction_id
     * only because the Link header repeats it */
    const char *jur = yw_req_query(req, "jurisdiction_id");
    const char *key =
        yw_arena_printf(&req->arena, "%s|%d|%s|%s|%s|%d|%s|%d", want_xml(req) ? "xml" : "json",
                        q.closed, code ? code : "", q.since, q.until ? q.until : "", q.limit,
                        before ? before : "", jur && jur[0]);
    uint64_t gen = yw_hotline__o311_gen();
    char *body = NULL, *link = NULL;
    size_t len = 0;
    if (yw_hotline__o311_cache_get(key, gen, &body, &len, &link, &req->arena)) {
        if (link)
            yw_resp_header(req, "Link", link);
        return yw_resp_take(req, 200,
                            want_xml(req) ? "text/xml; charset=utf-8"
                                          : "application/json; charset=utf-8",
                            body, len);
    }
    /* The client's token: on PostgreSQL taken from the shared bucket in the
     * page's own statement (store.c, one round trip); on SQLite (one node)
     * from this node's buckets first. */
    unsigned per_min = (unsigned)yw_hotline__cfg()->hotline_open311_reads_per_min, retry = 0;
    int64_t now = yw_clock_now_ms();
    char rate_key[512];
    if (yw_db_engine(yw_dbc_db(req->db)) == YW_DB_PG && !yw_dbc_in_tx(req->db)) {
        q.rate_key = yw_ratelimit_shared_key(rate_key, sizeof rate_key, O311_READ_KEY,
                                             req->client_ip);
        q.rate_per_min = per_min;
        q.now_ms = now;
    } else if (!yw_ratelimit_take(O311_READ_SCOPE, req->client_ip, per_min, now, &retry)) {
        return read_refused(req, retry);
    }
    q.before = before;
    struct o311_writer w;
    writer_start(&w, req, q.limit);
    struct yw_hotline__o311_page page;
    rc = yw_hotline__o311_page(req->db, &q, writer_row, &w, &page);
    if (rc == 0 && page.refused)
        rc = read_refused(req, yw_ratelimit_retry_after(per_min, page.milli));
    else if (rc == 0 && page.cursor_missing)
        rc = o311_error(req, 404, "before: service_request_id not found");
    else if (rc)
        rc = yw_fail(&req->err, rc, "", "cannot list the requests");
    if (rc || req->status) {
        yw_buf_release(&w.b);
        return rc;
    }
    bool xml = w.xml;
    body = writer_end(&w, &len);
    const char *next = NULL;
    if (page.n == q.limit) /* there may be more: the next page starts after the last one */
        next = link_next(req, w.last, since, until, code, status, q.limit);
    const char *ctype = xml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
    yw_hotline__o311_cache_put(key, gen, body, len, next);
    if (next)
        yw_resp_header(req, "Link", next);
    return yw_resp_take(req, 200, ctype, body, len);
}

int
yw_hotline__h_o311_request(struct yw_req *req)
{
    const char *id = strip_format(req, "id");
    struct yw_hotline__order o;
    int rc = id ? yw_hotline__load(req->db, &req->arena, id, &o) : YW_ENOTFOUND;
    if (rc == YW_ENOTFOUND || (rc == 0 && !public_order(&o)))
        return o311_error(req, 404, "service_request_id not found");
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the request");
    return send_requests(req, &o, 1);
}

int
yw_hotline__h_o311_token(struct yw_req *req)
{
    const char *token = strip_format(req, "token");
    struct yw_hotline__order o;
    int rc = token ? yw_hotline__load(req->db, &req->arena, token, &o) : YW_ENOTFOUND;
    if (rc == YW_ENOTFOUND || (rc == 0 && strcmp(o.channel, "open311") != 0))
        return o311_error(req, 404, "token not found");
    if (rc)
        return yw_fail(&req->err, rc, "", "cannot read the token");
    json_t *arr = json_pack("[{s:s, s:s}]", "service_request_id", o.order_no, "token", o.order_no);
    return send(req, 200, arr, "service_requests", "request");
}

/* The client named by api_key in hotline_open311_keys ("name:key,..."), or NULL. */
static const char *
client_of(struct yw_req *req, const char *key)
{
    if (key == NULL || key[0] == '\0')
        return NULL;
    const char *keys = yw_hotline__cfg()->hotline_open311_keys;
    char *list = yw_arena_strdup(&req->arena, keys ? keys : ""), *save = NULL;
    const char *found = NULL;
    size_t kn = strlen(key);
    for (char *e = strtok_r(list, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(e, ':');
        if (colon == NULL)
            continue;
        *colon = '\0';
        const char *k = colon + 1;
        if (strlen(k) == kn && yw_ct_equal(k, key, kn) && found == NULL)
            found = e;
    }
    return found;
}

static const char *
body_text(struct yw_req *req, const char *name)
{
    json_t *v = json_object_get(req->body, name);
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_number(v))
        return yw_arena_printf(&req->arena, "%.17g", json_number_value(v));
    return NULL;
}

int
yw_hotline__h_o311_post(struct yw_req *req)
{
    const char *client = client_of(req, body_text(req, "api_key"));
    if (client == NULL)
        return o311_error(req, 403, "api_key is missing or not valid");
    if (!jurisdiction_ok(req, body_text(req, "jurisdiction_id")))
        return o311_error(req, 404, "jurisdiction_id not found");
    const char *code = body_text(req, "service_code");
    const struct yw_hotline__category *c = yw_hotline__category(code);
    if (code == NULL || code[0] == '\0')
        return o311_error(req, 400, "service_code is required");
    if (c == NULL)
        return o311_error(req, 404, "service_code not found");
    const char *lat = body_text(req, "lat"), *lng = body_text(req, "long");
    const char *addr = body_text(req, "address_string");
    const char *addr_id = body_text(req, "address_id");
    if ((lat == NULL || lng == NULL) && (addr == NULL || !addr[0]) &&
        (addr_id == NULL || !addr_id[0]))
        return o311_error(req, 400,
                          "a location is required: lat and long, address_string or "
                          "address_id");
    /* attributes: attribute[code]=value (form) or "attribute": {code: value} (JSON) */
    json_t *attrs = json_object();
    json_t *obj = json_object_get(req->body, "attribute");
    const char *k;
    json_t *v;
    if (json_is_object(obj))
        json_object_foreach(obj, k, v) if (json_is_string(v)) json_object_set(attrs, k, v);
    json_object_foreach(req->body, k, v)
    {
        size_t n = strlen(k);
        if (n > 11 && strncmp(k, "attribute[", 10) == 0 && k[n - 1] == ']' && json_is_string(v))
            json_object_set(attrs, yw_arena_strndup(&req->arena, k + 10, n - 11), v);
    }
    const char *first = body_text(req, "first_name"), *last = body_text(req, "last_name");
    struct yw_hotline__intake in = { 0 };
    in.channel = "open311";
    in.category = c->code;
    in.content = body_text(req, "description");
    if (in.content == NULL || in.content[0] == '\0')
        in.content = c->name;
    in.address = addr ? addr : addr_id;
    in.lat = lat;
    in.lng = lng;
    in.media_url = body_text(req, "media_url");
    in.caller_name = yw_arena_printf(&req->arena, "%s%s", last ? last : "", first ? first : "");
    in.caller_phone = body_text(req, "phone");
    in.client = client;
    in.attributes = attrs;
    in.callback_optional = true;
    struct yw_hotline__actor by = { 0, client, "", "open311_client" };
    struct yw_hotline__order o;
    int rc = yw_hotline__intake(req->db, &req->arena, &in, &by, &o, &req->err);
    json_decref(attrs);
    if (rc == YW_EFIELD || rc == YW_EMISSING) {
        const char *f = req->err.field;
        const char *what = !strcmp(f, "lng") ? "long" : f;
        return o311_error(req, 400, yw_arena_printf(&req->arena, "%s: %s", what, req->err.msg));
    }
    if (rc)
        return rc;
    json_t *out = json_pack("[{s:s, s:s, s:s}]", "service_request_id", o.order_no, "service_notice",
                            yw_arena_printf(&req->arena,
                                            "已受理，%d 个工作日内答复 (within %d "
                                            "working days)",
                                            o.limit_days, o.limit_days),
                            "account_id", "");
    return send(req, 201, out, "service_requests", "request");
}
