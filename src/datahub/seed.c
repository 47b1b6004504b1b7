/*
 * seed.c - the data hub's demo and load-test data (`ywtb seed`):
 *   demo   the catalog of data/datahub/resources.json (about 60 resources a
 *          district holds, owned by the catalog's departments), the demo
 *          citizen's and company's records, and on a first run one grant, one
 *          read in the citizen's ledger and the open data; idempotent.
 *   small / xuhui   generated resources up to 200 / 2,200 resources and
 *          5,000 / 50,000 data items in all (the reform's figures).
 */
#include "datahub/internal.h"

#include "core/cnid.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct demo {
    json_t *doc;
    int created, records;
    bool first;
    struct yw_err *err;
};

static int
demo_tx(struct yw_dbc *c, void *ctx)
{
    struct demo *d = ctx;
    d->created = d->records = 0;
    int64_t before = 0;
    int rc = yw_db_one_int(c, &before, "SELECT COUNT(*) FROM dh_resources", NULL);
    if (rc)
        return yw_fail(d->err, rc, "", "cannot read the data resources");
    d->first = before == 0;
    size_t i;
    json_t *res;
    json_array_foreach(json_object_get(d->doc, "resources"), i, res)
    {
        const char *code = json_string_value(json_object_get(res, "code"));
        if (yw_db_exists(c, "SELECT 1 FROM dh_resources WHERE code = ?", "s", code) == 0)
            continue;
        json_t *norm = NULL;
        if ((rc = yw_dh__res_check(res, &norm, d->err)))
            return yw_fail(d->err, rc, "", "resources.json: resource %zu (%s): %s", i,
                           code ? code : "?", d->err->msg);
        rc = yw_dh__res_create(c, norm, "seed", d->err);
        json_decref(norm);
        if (rc)
            return rc;
        d->created++;
        json_t *rows = json_object_get(json_object_get(d->doc, "records"), code);
        if (json_array_size(rows) == 0)
            continue;
        struct yw_arena a;
        yw_arena_init(&a, 4096);
        struct yw_dh_res r;
        int64_t batch = 0;
        if ((rc = yw_dh__res_get(c, &a, code, &r)) == 0)
            rc = yw_dh__batch_open(c, &r, "seed", "seed", NULL, NULL, &batch);
        size_t j;
        json_t *row;
        json_array_foreach(rows, j, row)
        {
            json_t *data = NULL;
            const char *subj, *rkey;
            if (rc == 0 && (rc = yw_dh__row_check(&r, row, &a, &data, &subj, &rkey, d->err)))
                yw_fail(d->err, rc, "", "resources.json: records of %s, row %zu: %s", code, j,
                        d->err->msg);
            if (rc == 0)
                rc = yw_dh__row_put(c, &r, batch, subj, rkey, data, NULL, NULL);
            json_decref(data);
            d->records += rc == 0;
        }
        if (rc == 0) {
            json_t *result = json_pack("{s:I}", "rows", (json_int_t)json_array_size(rows));
            rc =
                yw_dh__batch_close(c, &r, batch, (int64_t)json_array_size(rows), 0, result, "seed");
            json_decref(result);
        }
        yw_arena_release(&a);
        if (rc)
            return rc;
    }
    if (!d->first || d->created == 0)
        return 0;
    /* a first run: a grant of 户籍人口 to market regulation, read once for a
     * case, so the citizen's ledger and the grant list have something to show */
    struct yw_arena a;
    yw_arena_init(&a, 4096);
    struct yw_dh_res r;
    int64_t gid = 0, lid = 0;
    rc = yw_dh__res_get(c, &a, "GA-HJRK", &r);
    json_t *fields = json_pack("[s, s]", "name", "hukou_address");
    if (rc == 0)
        rc = yw_dh__grant_request(c, &r, "XH-SCJ", fields, "企业设立登记核验投资人户籍信息",
                                  "《中华人民共和国市场主体登记管理条例》第十六条", "2027-12-31",
                                  "seed", &gid, d->err);
    if (rc == 0)
        rc = yw_db_run(c,
                       "UPDATE dh_grants SET status = 'approved', fields = requested, "
                       "decided_by = 'seed', decided_at = created_at WHERE id = ?",
                       "i", gid);
    struct yw_dh_reader rd = { .kind = "staff",
                               .dept = "XH-SCJ",
                               .login = "reviewer",
                               .name = "李审核",
                               .purpose_code = "case",
                               .purpose_text = "企业设立登记",
                               .case_no = "XH20261201000001" };
    if (rc == 0)
        rc = yw_dh__ledger_add(c, &r, "310104199003072013", &rd, fields, &lid);
    json_decref(fields);
    yw_arena_release(&a);
    return rc;
}

static int
seed_demo(struct yw_app *app, FILE *out, struct yw_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/datahub/resources.json", app->cfg->data_dir);
    if (access(path, F_OK) != 0) { /* a data directory without the hub's demo (test fixtures) */
        if (out)
            fprintf(out, "datahub: no %s, no demo data resources added\n", path);
        return 0;
    }
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        return yw_fail(err, YW_EINVAL, "", "cannot read '%s': %s (line %d)", path, je.text,
                       je.line);
    struct demo d = { .doc = doc, .err = err };
    int rc = yw_db_tx(app->db, YW_TX_WRITE, demo_tx, &d, err);
    json_decref(doc);
    if (rc == 0 && out)
        fprintf(out, "datahub: %d data resources and %d records added\n", d.created, d.records);
    return rc;
}

struct scale {
    int64_t resources, items;
    int made;
    struct yw_err *err;
};

static const char *const DEPTS[] = { "XH-GAFJ",   "XH-MZJ",   "XH-RSJ",   "XH-GJJ", "XH-FGJ",
                                     "XH-GHZYJ",  "XH-SCJ",   "XH-SWJ",   "XH-CL",  "XH-JYJ",
                                     "XH-WJW",    "XH-YBJ",   "XH-STHJJ", "XH-FGW", "XH-JSGLW",
                                     "XH-WHLYJ",  "XH-YJGLJ", "XH-XFJ",   "XH-LRJ", "XH-CZJ",
                                     "XH-KWW",    "XH-SWW",   "XH-TYJ",   "XH-RFB", "XH-SFJ",
                                     "XH-TYJRSWJ" };
#define NDEPTS (sizeof DEPTS / sizeof DEPTS[0])

static int
scale_tx(struct yw_dbc *c, void *ctx)
{
    struct scale *s = ctx;
    s->made = 0;
    int64_t have = 0, items = 0;
    int rc = yw_db_one_int(c, &have, "SELECT COUNT(*) FROM dh_resources", NULL);
    if (rc)
        return rc;
    /* data items so far: the demo's are counted by their JSON arrays */
    struct yw_stmt *q = yw_db_query(c, "SELECT fields FROM dh_resources", NULL);
    if (q == NULL)
        return YW_EDB;
    while ((rc = yw_db_step(q)) == YW_ROW) {
        json_t *f = json_loads(yw_db_col_text(q, 0), 0, NULL);
        items += (int64_t)json_array_size(f);
        json_decref(f);
    }
    if ((rc = yw_db_finish(q, rc)))
        return rc;
    static const char *const TYPES[] = { "text", "number", "date", "text" };
    for (int64_t n = have; n < s->resources; n++) {
        int64_t left = s->resources - n;
        int nf = (int)((s->items - items) / left);
        if (nf < 3)
            nf = 3;
        if (nf > 200)
            nf = 200;
        bool person = n % 3 != 2;
        json_t *fields = json_array();
        json_array_append_new(fields,
                              json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b}", "key",
                                        person ? "id_number" : "uscc", "name",
                                        person ? "公民身份号码" : "统一社会信用代码", "name_en",
                                        person ? "Citizen ID number" : "Unified social credit code",
                                        "type", person ? "id_number" : "uscc", "sensitivity", 3,
                                        "masked", person, "required", 1));
        for (int k = 1; k < nf; k++) {
            char key[24], name[32], en[32];
            snprintf(key, sizeof key, "item_%03d", k);
            snprintf(name, sizeof name, "数据项%03d", k);
            snprintf(en, sizeof en, "Data item %03d", k);
            json_array_append_new(fields, json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b}", "key",
                                                    key, "name", name, "name_en", en, "type",
                                                    TYPES[k % 4], "sensitivity", 1 + k % 4,
                                                    "masked", k % 7 == 0, "required", 0));
        }
        char code[32], name[64], en[64];
        snprintf(code, sizeof code, "GEN-%05lld", (long long)n + 1);
        snprintf(name, sizeof name, "生成数据资源%05lld", (long long)n + 1);
        snprintf(en, sizeof en, "Generated resource %05lld", (long long)n + 1);
        static const char *const SHARES[] = { "conditional", "unconditional", "none" };
        static const char *const FREQS[] = { "realtime", "daily", "monthly", "yearly" };
        json_t *doc = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o}", "code", code,
            "dept", DEPTS[n % NDEPTS], "name", name, "name_en", en, "description",
            "为负载测试生成 (ywtb seed --scale)", "legal_basis", "负载测试", "subject_kind",
            person ? "person" : "enterprise", "share_type", SHARES[n % 3], "frequency",
            FREQS[n % 4], "subject_field", person ? "id_number" : "uscc", "record_key", "", "open",
            0, "self_view", 1, "fields", fields);
        rc = yw_dh__res_create(c, doc, "seed", s->err);
        json_decref(doc);
        if (rc)
            return rc;
        items += nf;
        s->made++;
    }
    return 0;
}

int
yw_dh__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err)
{
    if (!strcmp(what, "demo"))
        return seed_demo(app, out, err);
    struct scale s = { .err = err };
    if (!strcmp(what, "xuhui")) {
        s.resources = 2200;
        s.items = 50000;
    } else if (!strcmp(what, "small")) {
        s.resources = 200;
        s.items = 5000;
    } else {
        return 0;
    }
    int rc = seed_demo(app, out, err); /* the real catalog first, then the generated ones */
    if (rc == 0)
        rc = yw_db_tx(app->db, YW_TX_WRITE, scale_tx, &s, err);
    if (rc == 0 && out)
        fprintf(
            out,
            "datahub: %d generated data resources added (up to %lld resources, %lld data items)\n",
            s.made, (long long)s.resources, (long long)s.items);
    return rc;
}
