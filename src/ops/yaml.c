/*
 * yaml.c - YAML to JSON for the OpenAPI document (docs/openapi.yaml is the
 * source; /api/v1/openapi.json serves it as JSON).  Built on libyaml's event
 * parser; scalars are typed the way YAML 1.2's core schema does for plain
 * scalars (null, true/false, integers, floats) and quoted scalars stay strings.
 */
#include "ops/ops.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static json_t *
scalar(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return json_stringn(v, n);
    if (n == 0 || !strcmp(v, "~") || !strcmp(v, "null"))
        return json_null();
    if (!strcmp(v, "true"))
        return json_true();
    if (!strcmp(v, "false"))
        return json_false();
    char *end;
    long long i = strtoll(v, &end, 10);
    if (*end == '\0' && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')) && !(v[0] == '0' && n > 1))
        return json_integer(i);
    double d = strtod(v, &end);
    if (*end == '\0' && (v[0] == '-' || v[0] == '.' || (v[0] >= '0' && v[0] <= '9')))
        return json_real(d);
    return json_stringn(v, n);
}

/* Parse one node starting at the event already in *ev. */
static json_t *
node(yaml_parser_t *p, yaml_event_t *ev, int depth, struct yw_err *err)
{
    if (depth > 64) {
        yw_fail(err, YW_EINVAL, "", "YAML nests too deeply");
        return NULL;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        return scalar(ev);
    case YAML_ALIAS_EVENT:
        yw_fail(err, YW_EINVAL, "", "YAML aliases are not supported");
        return NULL;
    case YAML_SEQUENCE_START_EVENT: {
        json_t *arr = json_array();
        for (;;) {
            yaml_event_t e;
            if (!yaml_parser_parse(p, &e)) {
                json_decref(arr);
                yw_fail(err, YW_EINVAL, "", "YAML error at line %zu: %s", p->problem_mark.line + 1,
                        p->problem ? p->problem : "?");
                return NULL;
            }
            if (e.type == YAML_SEQUENCE_END_EVENT) {
                yaml_event_delete(&e);
                return arr;
            }
            json_t *item = node(p, &e, depth + 1, err);
            yaml_event_delete(&e);
            if (item == NULL) {
                json_decref(arr);
                return NULL;
            }
            json_array_append_new(arr, item);
        }
    }
    case YAML_MAPPING_START_EVENT: {
        json_t *obj = json_object();
        for (;;) {
            yaml_event_t k;
            if (!yaml_parser_parse(p, &k)) {
                json_decref(obj);
                yw_fail(err, YW_EINVAL, "", "YAML error at line %zu: %s", p->problem_mark.line + 1,
                        p->problem ? p->problem : "?");
                return NULL;
            }
            if (k.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&k);
                return obj;
            }
            if (k.type != YAML_SCALAR_EVENT) {
                yaml_event_delete(&k);
                json_decref(obj);
                yw_fail(err, YW_EINVAL, "", "YAML mapping keys must be scalars");
                return NULL;
            }
            char *key = strndup((const char *)k.data.scalar.value, k.data.scalar.length);
            yaml_event_delete(&k);
            yaml_event_t v;
            if (!yaml_parser_parse(p, &v)) {
                free(key);
                json_decref(obj);
                yw_fail(err, YW_EINVAL, "", "YAML error at line %zu: %s", p->problem_mark.line + 1,
                        p->problem ? p->problem : "?");
                return NULL;
            }
            json_t *val = node(p, &v, depth + 1, err);
            yaml_event_delete(&v);
            if (val == NULL) {
                free(key);
                json_decref(obj);
                return NULL;
            }
            json_object_set_new(obj, key, val);
            free(key);
        }
    }
    default:
        yw_fail(err, YW_EINVAL, "", "unexpected YAML event %d", (int)ev->type);
        return NULL;
    }
}

int
yw_ops_yaml_to_json(const char *yaml, size_t n, char **out, size_t *outlen, struct yw_err *err)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the YAML parser");
    yaml_parser_set_input_string(&p, (const unsigned char *)yaml, n);
    json_t *root = NULL;
    int rc = YW_EINVAL;
    yaml_event_t ev;
    /* stream start, document start, root node */
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            yw_fail(err, YW_EINVAL, "", "YAML error at line %zu: %s", p.problem_mark.line + 1,
                    p.problem ? p.problem : "?");
            goto out;
        }
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
            yaml_event_delete(&ev);
            continue;
        }
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            yw_fail(err, YW_EINVAL, "", "the YAML document is empty");
            goto out;
        }
        root = node(&p, &ev, 0, err);
        yaml_event_delete(&ev);
        break;
    }
    if (root) {
        *out = json_dumps(root, JSON_COMPACT);
        *outlen = *out ? strlen(*out) : 0;
        rc = *out ? 0 : YW_EINTERNAL;
        json_decref(root);
    }
out:
    yaml_parser_delete(&p);
    return rc;
}
