/*
 * names.c - what a license shows of the catalog: the names of its type and of
 * its issuing department, a department's credit code, a type's fields.
 *
 * The catalog owns departments and license_types; licenses read them through
 * catalog.h (in the server that is the catalog's in-memory snapshot, no
 * query), never in their own SQL.  A list of licenses, uses or keys names the
 * same few codes over and over, so each code is read once per list: the
 * entries live in the names' arena until yw_lic__names_release.
 *
 * yw_lic__rows is the one loop of the module's list reads (step every row,
 * add it, finish; the names at hand; a failed read never a short list).
 */
#include "licenses/internal.h"

#include <string.h>

struct yw_lic_name {
    struct yw_lic_name *next;
    bool is_dept;
    bool found; /* false: the catalog has no such code */
    const char *code;
    union {
        struct yw_catalog_dept dept;
        struct yw_catalog_license_type type;
    } u;
};

/* What a LEFT JOIN gave for a code the catalog does not have: empty columns. */
static const struct yw_catalog_dept no_dept = { "", "", "", "", "", "", "" };
static const struct yw_catalog_license_type no_type = { "", "", "", "", "", "", 0, "" };

void
yw_lic__names_init(struct yw_lic_names *n, struct yw_dbc *c)
{
    n->c = c;
    n->head = NULL;
    yw_arena_init(&n->arena, 1024);
}

void
yw_lic__names_release(struct yw_lic_names *n)
{
    yw_arena_release(&n->arena);
    n->head = NULL;
}

/* The entry of code, read through catalog.h the first time: 0 with *out
 * (NULL when the catalog has no such code, code NULL included), or the
 * read's error. */
static int
lookup(struct yw_lic_names *n, bool is_dept, const char *code, const struct yw_lic_name **out)
{
    *out = NULL;
    if (code == NULL)
        return 0;
    struct yw_lic_name *e;
    for (e = n->head; e; e = e->next)
        if (e->is_dept == is_dept && !strcmp(e->code, code))
            break;
    if (e == NULL) {
        e = yw_arena_zalloc(&n->arena, sizeof *e);
        int rc = is_dept ? yw_catalog_dept(n->c, &n->arena, code, &e->u.dept)
                         : yw_catalog_license_type(n->c, &n->arena, code, &e->u.type);
        if (rc && rc != YW_ENOTFOUND)
            return rc; /* not remembered: a failed read is never "no such code" */
        e->is_dept = is_dept;
        e->found = rc == 0;
        e->code = yw_arena_strdup(&n->arena, code);
        e->next = n->head;
        n->head = e;
    }
    if (e->found)
        *out = e;
    return 0;
}

int
yw_lic__names_dept(struct yw_lic_names *n, const char *code, const struct yw_catalog_dept **out)
{
    const struct yw_lic_name *e;
    int rc = lookup(n, true, code, &e);
    *out = e ? &e->u.dept : &no_dept;
    return rc;
}

int
yw_lic__names_type(struct yw_lic_names *n, const char *code,
                   const struct yw_catalog_license_type **out)
{
    const struct yw_lic_name *e;
    int rc = lookup(n, false, code, &e);
    *out = e ? &e->u.type : &no_type;
    return rc;
}

json_t *
yw_lic__rows(struct yw_dbc *c, struct yw_stmt *s, json_t *into, yw_lic_row_fn fn, void *ctx,
             int *rcp)
{
    int rc = YW_EDB; /* s NULL: the statement could not be prepared */
    if (s) {
        struct yw_lic_names names;
        yw_lic__names_init(&names, c);
        while ((rc = yw_db_step(s)) == YW_ROW && (rc = fn(s, &names, into, ctx)) == 0)
            ;
        rc = yw_db_finish(s, rc);
        yw_lic__names_release(&names);
    }
    if (rcp)
        *rcp = rc;
    if (rc) {
        json_decref(into);
        return NULL;
    }
    return into;
}
