/*
 * validate.c - check a JSON body against the field list of its route, so that
 * handlers only ever see bodies of the declared shape: an object, required
 * fields present, every field of its type, strings within their length, and
 * (unless the route is YW_R_LAX) no field that is not declared.
 */
#include "http/internal.h"

#include "core/utf8.h"

#include <string.h>

static const char *
type_name(enum yw_ftype t)
{
    switch (t) {
    case YW_F_STRING:
        return "a string";
    case YW_F_INT:
        return "an integer";
    case YW_F_NUMBER:
        return "a number";
    case YW_F_BOOL:
        return "true or false";
    case YW_F_OBJECT:
        return "an object";
    case YW_F_ARRAY:
        return "an array";
    case YW_F_ANY:
        return "any value";
    }
    return "?";
}

static bool
type_ok(json_t *v, enum yw_ftype t)
{
    switch (t) {
    case YW_F_STRING:
        return json_is_string(v);
    case YW_F_INT:
        return json_is_integer(v);
    case YW_F_NUMBER:
        return json_is_number(v);
    case YW_F_BOOL:
        return json_is_boolean(v);
    case YW_F_OBJECT:
        return json_is_object(v);
    case YW_F_ARRAY:
        return json_is_array(v);
    case YW_F_ANY:
        return true;
    }
    return false;
}

int
yw_http__validate(struct yw_req *req, const struct yw_field *fields, bool strict)
{
    json_t *body = req->body;
    if (!json_is_object(body))
        return yw_fail(&req->err, YW_EJSON, "", "the body must be a JSON object");
    for (const struct yw_field *f = fields; f && f->name; f++) {
        json_t *v = json_object_get(body, f->name);
        if (v == NULL || json_is_null(v)) {
            if (f->required)
                return yw_fail(&req->err, YW_EMISSING, f->name, "field '%s' is required", f->name);
            continue;
        }
        if (!type_ok(v, f->type))
            return yw_fail(&req->err, YW_EFIELD, f->name, "field '%s' must be %s", f->name,
                           type_name(f->type));
        size_t max = f->max_len ? f->max_len : 1000;
        if (json_is_string(v)) {
            const char *s = json_string_value(v);
            size_t n = json_string_length(v);
            /* jansson accepts \u0000 inside strings: refuse NUL and bad text */
            if (!yw_utf8_valid(s, n))
                return yw_fail(&req->err, YW_EUTF8, f->name, "field '%s' is not valid text",
                               f->name);
            if (yw_utf8_len(s, n) > max)
                return yw_fail(&req->err, YW_EFIELD, f->name,
                               "field '%s' is longer than %zu characters", f->name, max);
        } else if (json_is_array(v) && json_array_size(v) > max) {
            return yw_fail(&req->err, YW_EFIELD, f->name, "field '%s' has more than %zu items",
                           f->name, max);
        }
    }
    if (strict) {
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v)
        {
            bool known = false;
            for (const struct yw_field *f = fields; f && f->name; f++)
                if (strcmp(f->name, key) == 0) {
                    known = true;
                    break;
                }
            if (!known) {
                size_t kn = strlen(key);
                if (!yw_utf8_valid(key, kn))
                    return yw_fail(&req->err, YW_EUNKNOWN, "",
                                   "the body has a field that is not known");
                /* at most 60 characters of the name, never half of one (issue 16 item 4) */
                char name[64];
                yw_err_format(name, sizeof name, "%.60s", key);
                return yw_fail(&req->err, YW_EUNKNOWN, name, "field '%s' is not known here", name);
            }
        }
    }
    return 0;
}

const char *
yw_body_str(struct yw_req *req, const char *name)
{
    json_t *v = req->body ? json_object_get(req->body, name) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

bool
yw_body_has(struct yw_req *req, const char *name)
{
    json_t *v = req->body ? json_object_get(req->body, name) : NULL;
    return v != NULL && !json_is_null(v);
}
