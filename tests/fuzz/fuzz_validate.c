/*
 * fuzz_validate.c - libFuzzer harness for the router's JSON body checks
 * (src/http/validate.c after the parse of src/http/server.c): the input is a
 * request body, parsed as the server parses it and checked against the field
 * list of a real route, picked by the input's first byte among every route of
 * every module that declares body fields.
 *
 * Beyond "no crash, no leak, no undefined behaviour", a body the check accepts
 * must be what the handlers are promised: an object, every required field
 * present and not null, every present field of its type, every string valid
 * UTF-8 without NUL and within its length in characters, every array within its
 * item count, and no undeclared field unless the route is YW_R_LAX.
 */
#include "http/internal.h"
#include "modules.h"

#include "core/utf8.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct yw_route *routes[512];
static size_t nroutes;

static void
collect(void)
{
    for (size_t m = 0; m < yw_nmodules; m++)
        for (size_t i = 0; i < yw_modules[m]->nroutes; i++)
            if (yw_modules[m]->routes[i].body && nroutes < sizeof routes / sizeof routes[0])
                routes[nroutes++] = &yw_modules[m]->routes[i];
}

static void
fail(const struct yw_route *rt, const char *what, const char *name)
{
    fprintf(stderr, "validate accepted a body for %s %s: %s '%s'\n", rt->method, rt->path, what,
            name);
    abort();
}

/* What a handler may rely on once the check passed. */
static void
promise(const struct yw_route *rt, json_t *body)
{
    if (!json_is_object(body))
        fail(rt, "not an object", "");
    for (const struct yw_field *f = rt->body; f->name; f++) {
        json_t *v = json_object_get(body, f->name);
        if (v == NULL || json_is_null(v)) {
            if (f->required)
                fail(rt, "a required field is missing", f->name);
            continue;
        }
        size_t max = f->max_len ? f->max_len : 1000;
        switch (f->type) {
        case YW_F_STRING: {
            if (!json_is_string(v))
                fail(rt, "not a string", f->name);
            const char *s = json_string_value(v);
            size_t n = json_string_length(v);
            if (!yw_utf8_valid(s, n) || memchr(s, 0, n))
                fail(rt, "a string that is not UTF-8 text", f->name);
            if (yw_utf8_len(s, n) > max)
                fail(rt, "a string over its length", f->name);
            break;
        }
        case YW_F_INT:
            if (!json_is_integer(v))
                fail(rt, "not an integer", f->name);
            break;
        case YW_F_NUMBER:
            if (!json_is_number(v))
                fail(rt, "not a number", f->name);
            break;
        case YW_F_BOOL:
            if (!json_is_boolean(v))
                fail(rt, "not a boolean", f->name);
            break;
        case YW_F_OBJECT:
            if (!json_is_object(v))
                fail(rt, "not an object", f->name);
            break;
        case YW_F_ARRAY:
            if (!json_is_array(v))
                fail(rt, "not an array", f->name);
            if (json_array_size(v) > max)
                fail(rt, "an array over its size", f->name);
            break;
        case YW_F_ANY:
            break;
        }
    }
    if (rt->flags & YW_R_LAX)
        return;
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (const struct yw_field *f = rt->body; f->name; f++)
            known |= strcmp(f->name, key) == 0;
        if (!known)
            fail(rt, "an undeclared field", key);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (nroutes == 0)
        collect();
    if (size < 1 || nroutes == 0)
        return 0;
    const struct yw_route *rt = routes[data[0] % nroutes];
    struct yw_req req;
    memset(&req, 0, sizeof req);
    yw_arena_init(&req.arena, 2048);
    req.resp_fd = -1;
    req.route = rt;
    json_error_t jerr;
    /* as server.c parses a body: duplicate keys refused; an empty body is {} */
    req.body = size == 1
                   ? json_object()
                   : json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &jerr);
    if (req.body) {
        int rc = yw_http__validate(&req, rt->body, !(rt->flags & YW_R_LAX));
        if (rc == 0)
            promise(rt, req.body);
        else if (req.err.msg[0] == '\0')
            fail(rt, "a refusal without a message", req.err.field);
        /* issue 16 item 4: a refusal - message and field - is valid UTF-8 whatever the input */
        if (rc != 0 && (!yw_utf8_valid(req.err.msg, strlen(req.err.msg)) ||
                        !yw_utf8_valid(req.err.field, strlen(req.err.field))))
            fail(rt, "a refusal that is not UTF-8", req.err.field);
        json_decref(req.body);
    }
    yw_arena_release(&req.arena);
    return 0;
}
