/*
 * commands.c - the licenses module's `ywtb` commands:
 *
 *   ywtb verify license FILE... --keys KEYS [--status LIST]
 *       checks license documents offline, without a database, the way a
 *       department's system or a citizen's verifier would - documents in the
 *       RFC 8785 canonical form (signature.canon "jcs") and those signed
 *       before it (no canon) alike (docs/LICENSES.md);
 *   ywtb import licenses FILE --db URL
 *       bulk-imports licenses issued before ywtb (import.c), all or none.
 */
#include "licenses/licenses.h"

#include "core/calendar.h"
#include "core/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static json_t *
load_json_file(const char *path, const char *what)
{
    json_error_t je;
    json_t *v = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (v == NULL)
        fprintf(stderr, "ywtb: cannot read %s '%s': %s (line %d)\n", what, path, je.text, je.line);
    return v;
}

/* `ywtb verify license FILE... --keys KEYS [--status LIST]`: offline, no database. */
static int
verify_license(struct yw_cli *cli)
{
    const char *keys_path = yw_cli_opt(cli, "keys"), *status_path = yw_cli_opt(cli, "status");
    if (keys_path == NULL) {
        yw_cli_help(cli);
        return 2;
    }
    json_t *keys = load_json_file(keys_path, "keys");
    json_t *status = status_path ? load_json_file(status_path, "status list") : NULL;
    if (keys == NULL || (status_path && status == NULL)) {
        json_decref(keys);
        json_decref(status);
        return 1;
    }
    /* GET /api/v1/keys wraps the keys: accept both shapes */
    json_t *k = json_object_get(keys, "keys") ? json_object_get(keys, "keys") : keys;
    int64_t today = yw_cal_day_of_ms(yw_clock_now_ms());
    /* One document: one line as ever.  Several (a process costs more than a
     * verification): one line each, named, and exit 0 only when all are valid. */
    int ndocs = cli->nargs, bad = 0;
    for (int i = 0; i < ndocs; i++) {
        const char *name = cli->args[i];
        json_t *doc = load_json_file(name, "license document");
        struct yw_lic_verdict v;
        int rc = doc ? yw_lic_verify_offline(doc, k, status, today, &v) : YW_EINVAL;
        json_decref(doc);
        if (rc == 0 && ndocs == 1)
            printf("%s: %s (%s; status %s)\n", v.valid ? "VALID" : "INVALID", v.reason, v.code,
                   v.status);
        else if (rc == 0)
            printf("%s: %s: %s (%s; status %s)\n", name, v.valid ? "VALID" : "INVALID", v.reason,
                   v.code, v.status);
        else if (ndocs > 1)
            printf("%s: UNREADABLE\n", name);
        bad += rc != 0 || !v.valid;
    }
    if (ndocs > 1)
        printf("%d of %d documents valid\n", ndocs - bad, ndocs);
    json_decref(keys);
    json_decref(status);
    return bad ? 1 : 0;
}

/* `ywtb import licenses FILE --db URL` */
static int
import_licenses(struct yw_cli *cli)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    struct yw_err err = { 0 };
    int64_t n = 0;
    int64_t t0 = yw_clock_mono_ns();
    rc = yw_lic_import(cli->app, cli->args[0], stderr, &n, &err);
    if (rc) {
        fprintf(stderr, "ywtb: import: %s\n", err.msg[0] ? err.msg : yw_strerror(rc));
        return 1;
    }
    printf("imported %lld licenses in %.1f s\n", (long long)n,
           (double)(yw_clock_mono_ns() - t0) / 1e9);
    return 0;
}

static const struct yw_option verify_options[] = {
    { "keys", "KEYS", "the published keys (GET /api/v1/keys), a JSON file" },
    { "status", "LIST",
      "a department's signed status list (GET /api/v1/licenses/status-lists/{dept})" },
    { NULL },
};

const struct yw_command yw_lic_commands[] = {
    {
        .name = "verify license",
        .summary = "check license documents offline",
        .usage = "FILE... --keys KEYS [--status LIST]",
        .help =
            "Checks each license document (GET /api/v1/licenses/{id}/document) offline against the\n"
            "published keys and, when given, a department's signed status list: one line per\n"
            "document.  Exit status 0 when all are valid, 1 when not.  Documents signed in the\n"
            "RFC 8785 canonical form (signature.canon \"jcs\") and those signed before it (no\n"
            "canon) both verify; a signature with another alg or distid does not.  The format\n"
            "is in docs/LICENSES.md.\n",
        .options = verify_options,
        .min_args = 1,
        .max_args = -1,
        .run = verify_license,
    },
    {
        .name = "import licenses",
        .summary = "bulk-import licenses from NDJSON or CSV, all rows or none",
        .usage = "FILE --db URL",
        .help =
            "Imports licenses from NDJSON ({type, holder_ident, holder_name, fields, valid_from,\n"
            "valid_until} a line) or CSV (header: type,holder_ident,holder_name,valid_from,valid_until,\n"
            "field.KEY...).  All rows or none: every bad row is reported with its line number.\n",
        .min_args = 1,
        .max_args = 1,
        .run = import_licenses,
    },
    { NULL },
};
