/*
 * file_access.c - the file access provider of cases (core/provider.h): an
 * upload that is a material of a case may be seen by whoever may see that
 * case.
 *
 * Files keeps an upload to its uploader and asks the registered providers for
 * anyone else; it never includes cases.  So the applicant of a case sees a
 * material the window uploaded for them, the reviewers of the departments with
 * a task on the case see its materials, and a reviewer of another department,
 * the hotline or the data officer - who get 404 for the case - get 404 for its
 * files too.  The rule is the case's own (yw_case__check_visible), applied to
 * every case (a bundle and its sub-cases included) that names the upload as a
 * material, so the two can never disagree.
 */
#include "cases/internal.h"

#include "core/provider.h"

#include <string.h>

/* Cases read per query; an upload is the material of a handful of cases at
 * most, so one page nearly always does. */
#define PAGE     32
#define PAGE_SQL "32"

/* The next page of ids of the cases that have upload `file_id` as a material,
 * after case id `after`, in id order, archived cases (archive.c) included.
 * 0 with *n set, or the step's error. */
static int
material_cases(struct yw_dbc *c, const char *file_id, int64_t after, int64_t *ids, int *n)
{
    *n = 0;
    struct yw_stmt *s =
        yw_db_prepare(c, "SELECT case_id FROM case_materials WHERE source = 'file' AND ref = ? "
                         "AND case_id > ? UNION ALL SELECT case_id FROM case_materials_archive "
                         "WHERE source = 'file' AND ref = ? AND case_id > ? ORDER BY 1 LIMIT " PAGE_SQL);
    if (s == NULL)
        return YW_EDB;
    yw_db_bind_str(s, 1, file_id);
    yw_db_bind_int(s, 2, after);
    yw_db_bind_str(s, 3, file_id);
    yw_db_bind_int(s, 4, after);
    int rc;
    while ((rc = yw_db_step(s)) == YW_ROW && *n < PAGE)
        ids[(*n)++] = yw_db_col_int(s, 0);
    yw_db_reset(s);
    return rc == YW_DONE || rc == YW_ROW ? 0 : (rc < 0 ? rc : YW_EDB);
}

/* yw_file_access_fn: 0 when `who` may see one of the cases that hold the
 * upload as a material, YW_ENOTFOUND when none (or it is no material at all),
 * or the error of a read that failed. */
static int
case_file_access(struct yw_dbc *c, const char *file_id, const struct yw_principal *who, void *ctx)
{
    (void)ctx;
    if (who == NULL)
        return YW_ENOTFOUND;
    struct yw_arena a;
    yw_arena_init(&a, 2048);
    int64_t ids[PAGE], after = 0;
    int n, rc;
    do {
        if ((rc = material_cases(c, file_id, after, ids, &n)))
            goto out;
        for (int i = 0; i < n; i++) {
            struct yw_case k;
            rc = yw_case__load_id(c, &a, ids[i], &k);
            if (rc == YW_ENOTFOUND) /* the materials name it, so it was there a moment ago */
                continue;
            if (rc == 0)
                rc = yw_case__check_visible(c, &k, who);
            if (rc != YW_ENOTFOUND)
                goto out; /* a yes, or a failed read */
        }
        if (n > 0)
            after = ids[n - 1];
    } while (n == PAGE);
    rc = YW_ENOTFOUND;
out:
    yw_arena_release(&a);
    return rc;
}

void
yw_cases__file_access_register(void)
{
    yw_provider_add_file_access("cases", case_file_access, NULL);
}
