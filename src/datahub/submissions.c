/*
 * submissions.c - which service a submission's prefill reads were for.
 *
 * When an application is submitted, cases asks the prefill providers again
 * inside its transaction (core/provider.h), and the hub ledgers each value it
 * gives (reads.c).  The provider is told the holder and the source only, not
 * the item nor the case, which cases has not numbered yet.  So the hub keeps
 * the ids of the entries it wrote in the transaction open on this thread,
 * and when cases publishes case.submitted in the same transaction it writes
 * the item code, its title and the case number into those entries: the
 * person's ledger says for which service and which case their data was read.
 * The list is forgotten when the transaction ends (committed or not), so an
 * entry of another transaction is never labelled.  A form saved as a draft
 * (no case.submitted) keeps the generic purpose.
 */
#include "datahub/internal.h"

#include "core/log.h"

#include <string.h>

#define PENDING_MAX 256

static _Thread_local struct {
    const struct yw_dbc *c;
    size_t n;
    int64_t ids[PENDING_MAX];
} pending;

static void
pending_forget(int64_t arg)
{
    (void)arg;
    pending.c = NULL;
    pending.n = 0;
}

void
yw_dh__submission_note(struct yw_dbc *c, int64_t ledger_id)
{
    if (pending.c != c) {
        pending.c = c;
        pending.n = 0;
        yw_db_after_tx(c, pending_forget, 0);
    }
    if (pending.n < PENDING_MAX)
        pending.ids[pending.n++] = ledger_id;
    else
        yw_log_warn("datahub", "more than %d prefill reads in one submission: the rest keep "
                               "the generic purpose", PENDING_MAX);
}

int
yw_dh__on_case_submitted(struct yw_dbc *c, const char *name, json_t *payload, void *ctx,
                         struct yw_err *err)
{
    (void)name;
    (void)ctx;
    if (pending.c != c || pending.n == 0)
        return 0;
    const char *code = json_string_value(json_object_get(payload, "code"));
    const char *case_no = json_string_value(json_object_get(payload, "case_no"));
    const char *title = json_string_value(json_object_get(payload, "title"));
    const char *subject = json_string_value(json_object_get(payload, "applicant_ident"));
    if (code == NULL || case_no == NULL || subject == NULL)
        return 0;
    struct yw_arena a;
    yw_arena_init(&a, 512);
    const char *text = yw_arena_printf(&a, "%s %s", code, title ? title : "");
    int rc = 0;
    for (size_t i = 0; i < pending.n && rc == 0; i++)
        rc = yw_db_run(c,
                       "UPDATE dh_ledger SET item_code = ?, case_no = ?, purpose_text = ? "
                       "WHERE id = ? AND subject = ? AND reader_kind = 'prefill'",
                       "sssis", code, case_no, text, pending.ids[i], subject);
    yw_arena_release(&a);
    pending.n = 0;
    if (rc)
        return yw_fail(err, rc, "", "cannot name the case in the ledger of its prefill reads");
    return 0;
}
