/*
 * audit_log.c - the operator's side of the audit log's Merkle tree
 * (db/audit.h): the periodic seal (every audit_seal_seconds, once across
 * nodes: the seal's advisory lock), `ywtb audit seal` on demand, and the
 * public routes an outside auditor uses - the signed tree heads, the log's
 * public keys, the inclusion proof of one record and the consistency proof
 * between two tree sizes (RFC 9162's get-sth, get-proof-by-hash and
 * get-sth-consistency, with SM3 and SM2).
 *
 * The signing key's private half is sealed under the deployment's secret key
 * (secret_key, or the file secret_key_file), as the licenses' keys are, and
 * read by the same code (yw_app_secret, core/secret.h) with the same rule: no new key file
 * while the database holds keys sealed under the old secret.  The periodic
 * sealer reads the secret once when it starts; `ywtb audit seal` once per run.
 */
#include "ops/internal.h"

#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/audit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- settings ---- */

#define T struct yw_ops_settings
static const struct yw_setting rows[] = {
    YW_SET_INT(T, audit_seal_seconds, "60", 0, 86400,
               "how often (seconds) the audit log's new records are sealed into its signed "
               "Merkle tree (0: only by `ywtb audit seal`)"),
};
#undef T

const struct yw_settings yw_ops__settings_table = {
    .owner = "ops",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_ops_settings),
};

/* ---- the secret key ---- */

/* The module's sealed_keys hook (http.h): the audit log's tree-head key. */
int
yw_ops__sealed_keys(struct yw_dbc *c, const char **what)
{
    bool audit = false;
    int rc = yw_audit_key_exists(c, &audit);
    if (rc == 0 && audit)
        *what = "audit log";
    return rc;
}

/* ---- the periodic seal ---- */

/* The secret is read once, when the sealer starts, and kept (wiped when it
 * stops): a changed key file takes effect at the next start. */
static struct yw_app *the_app;
static unsigned char sealer_secret[32];
static pthread_t sealer;
static bool sealer_started;
static atomic_bool sealer_run;

static void *
sealer_main(void *arg)
{
    int64_t every = (int64_t)(intptr_t)arg;
    int64_t ticks = 0;
    while (atomic_load(&sealer_run)) {
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
        if (++ticks % (every * 10))
            continue; /* every audit_seal_seconds, but stop within 100 ms */
        struct yw_err err = { 0 };
        int64_t sealed = 0;
        struct yw_audit_sth h;
        int rc = yw_audit_seal(the_app->db, sealer_secret, 0, &sealed, &h, &err);
        if (rc)
            yw_log_warn("ops", "sealing the audit log failed: %s",
                        err.msg[0] ? err.msg : yw_strerror(rc));
        else if (sealed)
            yw_log_info("ops", "audit log sealed: %lld records, tree of %lld", (long long)sealed,
                        (long long)h.tree_size);
    }
    return NULL;
}

int
yw_ops__sealer_start(struct yw_app *app, struct yw_err *err)
{
    const struct yw_ops_settings *s = yw_config_values(app->cfg, &yw_ops__settings_table);
    if (app->db == NULL || s == NULL || s->audit_seal_seconds <= 0)
        return 0;
    int rc = yw_app_secret(app, "ops", NULL, sealer_secret, err);
    if (rc)
        return rc;
    the_app = app;
    atomic_store(&sealer_run, true);
    if (pthread_create(&sealer, NULL, sealer_main, (void *)(intptr_t)s->audit_seal_seconds) != 0) {
        yw_wipe(sealer_secret, sizeof sealer_secret);
        return yw_fail(err, YW_EINTERNAL, "", "cannot start the audit seal job");
    }
    sealer_started = true;
    return 0;
}

void
yw_ops__sealer_stop(void)
{
    if (!sealer_started)
        return;
    atomic_store(&sealer_run, false);
    pthread_join(sealer, NULL);
    sealer_started = false;
    yw_wipe(sealer_secret, sizeof sealer_secret);
}

/* ---- `ywtb audit seal` ---- */

int
yw_ops__cmd_audit_seal(struct yw_cli *cli)
{
    if (yw_cli_open(cli, true))
        return 1;
    unsigned char secret[32];
    struct yw_err err = { 0 };
    int64_t sealed = 0;
    struct yw_audit_sth h = { 0 };
    int rc = yw_app_secret(cli->app, "ops", NULL, secret, &err);
    if (rc == 0)
        rc = yw_audit_seal(cli->app->db, secret, 0, &sealed, &h, &err);
    yw_wipe(secret, sizeof secret);
    if (rc) {
        fprintf(stderr, "ywtb: %s\n", err.msg);
        return 1;
    }
    struct yw_dbc *c = yw_db_conn(cli->app->db, &err);
    if (sealed == 0 && c && yw_audit_sth_latest(c, &h) != 0)
        memset(&h, 0, sizeof h);
    if (sealed)
        printf("sealed %lld records: tree of %lld, root %s, signed by key %s\n",
               (long long)sealed, (long long)h.tree_size, h.root_hash, h.key_id);
    else if (h.tree_size)
        printf("nothing new to seal (or another node is sealing): tree of %lld, root %s\n",
               (long long)h.tree_size, h.root_hash);
    else
        printf("nothing to seal: the audit log is empty\n");
    return 0;
}

/* ---- public routes ---- */

static json_t *
sth_json(const struct yw_audit_sth *h)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "tree_size", (json_int_t)h->tree_size,
                     "timestamp", (json_int_t)h->timestamp_ms, "root_hash", h->root_hash,
                     "key_id", h->key_id, "signature", h->signature, "algorithm",
                     "SM3 Merkle tree (RFC 9162 structure), SM2 signature with SM3 and ID "
                     "1234567812345678 over \"ywtb-sth-v1\\n<tree_size>\\n<timestamp>\\n<root_hash>\\n\"");
}

static json_t *
hex_list(const unsigned char (*p)[YW_SM3_LEN], int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        char hex[YW_AUDIT_HEX];
        yw_hex(p[i], YW_SM3_LEN, hex);
        json_array_append_new(a, json_string(hex));
    }
    return a;
}

int
yw_ops__h_sth(struct yw_req *req)
{
    struct yw_audit_sth h;
    int rc = yw_audit_sth_latest(req->db, &h);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_ENOTFOUND, "",
                       "the audit log has no signed tree head yet (nothing sealed)");
    if (rc)
        return rc;
    return yw_resp_json(req, 200, sth_json(&h));
}

static int
add_sth(void *ctx, const struct yw_audit_sth *h)
{
    json_array_append_new(ctx, sth_json(h));
    return 0;
}

int
yw_ops__h_sths(struct yw_req *req)
{
    int64_t after = 0, limit = 100;
    int rc = yw_req_query_int(req, "after", 0, 0, INT64_MAX / 2, &after);
    if (rc == 0)
        rc = yw_req_query_int(req, "limit", 100, 1, 1000, &limit);
    if (rc)
        return rc;
    json_t *list = json_array();
    if ((rc = yw_audit_sth_list(req->db, after, (int)limit, add_sth, list))) {
        json_decref(list);
        return rc;
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "heads", list));
}

static int
add_key(void *ctx, const char *key_id, const char *pem, int64_t created_ms, bool active)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:I, s:b}", "key_id", key_id, "public_pem",
                                         pem, "created", (json_int_t)created_ms, "active",
                                         active));
    return 0;
}

int
yw_ops__h_keys(struct yw_req *req)
{
    json_t *list = json_array();
    int rc = yw_audit_keys(req->db, add_key, list);
    if (rc) {
        json_decref(list);
        return rc;
    }
    return yw_resp_json(req, 200, json_pack("{s:o}", "keys", list));
}

/* The tree size a proof is asked against: ?tree_size=, else the latest head's. */
static int
proof_size(struct yw_req *req, const char *name, int64_t *size)
{
    struct yw_audit_sth h;
    int rc = yw_audit_sth_latest(req->db, &h);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_ENOTFOUND, "",
                       "the audit log has no signed tree head yet (nothing sealed)");
    if (rc)
        return rc;
    if ((rc = yw_req_query_int(req, name, h.tree_size, 1, INT64_MAX / 2, size)))
        return rc;
    if (*size > h.tree_size)
        return yw_fail(&req->err, YW_EFIELD, name,
                       "the tree has %lld records; %s is larger", (long long)h.tree_size, name);
    struct yw_audit_sth at;
    rc = yw_audit_sth_at(req->db, *size, &at);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EFIELD, name, "no signed tree head has %lld records",
                       (long long)*size);
    return rc;
}

int
yw_ops__h_inclusion(struct yw_req *req)
{
    int64_t seq = 0, size = 0;
    int rc = yw_req_query_int(req, "seq", 0, 1, INT64_MAX / 2, &seq);
    if (rc)
        return rc;
    if (seq == 0)
        return yw_fail(&req->err, YW_EFIELD, "seq", "seq (the record's number) is required");
    if ((rc = proof_size(req, "tree_size", &size)))
        return rc;
    unsigned char path[YW_AUDIT_MAX_PROOF][YW_SM3_LEN];
    int n = 0;
    int64_t leaf = -1;
    char rh[YW_AUDIT_HEX];
    rc = yw_audit_inclusion(req->db, seq, size, &leaf, rh, path, &n);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_ENOTFOUND, "", "no audit record %lld", (long long)seq);
    if (rc == YW_ESTATE)
        return yw_fail(&req->err, YW_ESTATE, "",
                       "audit record %lld is not in the tree of %lld records (sealed later, or "
                       "not yet)",
                       (long long)seq, (long long)size);
    if (rc)
        return rc;
    unsigned char lh[YW_SM3_LEN];
    char lhex[YW_AUDIT_HEX];
    yw_audit_leaf_hash(rh, lh);
    yw_hex(lh, YW_SM3_LEN, lhex);
    return yw_resp_json(req, 200,
                        json_pack("{s:I, s:I, s:I, s:s, s:s, s:o}", "seq", (json_int_t)seq,
                                  "leaf_index", (json_int_t)leaf, "tree_size", (json_int_t)size,
                                  "record_hash", rh, "leaf_hash", lhex, "audit_path",
                                  hex_list((const unsigned char(*)[YW_SM3_LEN])path, n)));
}

int
yw_ops__h_consistency(struct yw_req *req)
{
    int64_t first = 0, second = 0;
    int rc = yw_req_query_int(req, "first", 0, 1, INT64_MAX / 2, &first);
    if (rc)
        return rc;
    if (first == 0)
        return yw_fail(&req->err, YW_EFIELD, "first", "first (the older tree size) is required");
    if ((rc = proof_size(req, "second", &second)))
        return rc;
    struct yw_audit_sth at;
    rc = yw_audit_sth_at(req->db, first, &at);
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, YW_EFIELD, "first", "no signed tree head has %lld records",
                       (long long)first);
    if (rc)
        return rc;
    if (first > second)
        return yw_fail(&req->err, YW_EFIELD, "first", "first must not be larger than second");
    unsigned char proof[YW_AUDIT_MAX_PROOF][YW_SM3_LEN];
    int n = 0;
    if ((rc = yw_audit_consistency(req->db, first, second, proof, &n)))
        return rc == YW_EINVAL ? yw_fail(&req->err, YW_EFIELD, "first", "bad tree sizes") : rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:I, s:I, s:o}", "first", (json_int_t)first, "second",
                                  (json_int_t)second, "consistency",
                                  hex_list((const unsigned char(*)[YW_SM3_LEN])proof, n)));
}
