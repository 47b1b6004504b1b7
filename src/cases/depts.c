/*
 * depts.c - the departments a case's answers name (the review tasks' and the
 * public status steps' department names), read through the catalog's reader
 * (catalog.h) once per distinct department of one answer.
 *
 * Cases used to join catalog's departments table into these queries; the
 * catalog now answers from its snapshot in the server, so a list that names
 * the same department on every row costs one lookup per department, not a
 * join per row.
 */
#include "cases/internal.h"

#include <string.h>

/* What a department the catalog does not know reads as: every field "", as
 * the LEFT JOIN's COALESCE(..., '') gave it. */
static const struct yw_catalog_dept no_dept = { "", "", "", "", "", "", "" };

void
yw_case__depts_init(struct yw_case_depts *d, struct yw_dbc *c)
{
    memset(d, 0, sizeof *d);
    d->c = c;
    yw_arena_init(&d->a, 1024);
}

void
yw_case__depts_release(struct yw_case_depts *d)
{
    yw_arena_release(&d->a);
}

int
yw_case__dept(struct yw_case_depts *d, const char *code, const struct yw_catalog_dept **out)
{
    *out = &no_dept;
    if (code == NULL)
        return 0;
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->memo[i].code, code)) {
            *out = &d->memo[i].d;
            return 0;
        }
    /* past the memo's size (more departments than one case ever has) a
     * department is read each time, into the spare slot */
    struct yw_case_dept_memo *m = d->n < YW_CASE_DEPTS_MEMO ? &d->memo[d->n] : &d->spare;
    int rc = yw_catalog_dept(d->c, &d->a, code, &m->d);
    if (rc == YW_ENOTFOUND)
        m->d = no_dept;
    else if (rc)
        return rc; /* not "no department": the answer would lose its name */
    m->code = yw_arena_strdup(&d->a, code);
    if (m != &d->spare)
        d->n++;
    *out = &m->d;
    return 0;
}
