/*
 * seed.c - demo work orders for `ywtb seed --demo`: one in each state the
 * workbench shows, among them one of the demo citizen (so the portal's "my
 * orders" is not empty) and one dispatched to XH-SCJ (the demo reviewer's
 * department).  Idempotent: nothing is added when orders exist.
 */
#include "hotline/internal.h"

#include "catalog/catalog.h"
#include "identity/identity.h"

#include <string.h>

struct demo {
    const char *category, *content, *address, *lat, *lng, *name, *phone;
    bool citizen;
    const char *steps[4]; /* actions after intake */
    const char *dept;
};

static const struct demo demos[] = {
    { "HL-103",
      "小区门口垃圾堆放三天无人清运",
      "徐汇区漕溪北路 88 弄",
      "31.1890",
      "121.4370",
      "张小明",
      "13800000001",
      true,
      { NULL },
      "" },
    { "HL-108",
      "某面馆后厨卫生状况差，疑似使用过期食材",
      "徐汇区天钥桥路 100 号",
      "31.1950",
      "121.4380",
      "陈女士",
      "13900000002",
      false,
      { "dispatch", NULL },
      "XH-SCJ" },
    { "HL-101",
      "人行道地砖松动，老人险些绊倒",
      "徐汇区肇嘉浜路 500 号",
      "31.2010",
      "121.4520",
      "刘先生",
      "021-64870000",
      false,
      { "dispatch", "sign", NULL },
      "XH-JSGLW" },
    { "HL-001",
      "咨询居住证积分办理需要哪些材料",
      "",
      NULL,
      NULL,
      "王先生",
      "13700000003",
      false,
      { NULL },
      "" },
};

struct ctx {
    struct yw_arena arena;
    int added, grids, events, knowledge;
};

/* A few answers for the knowledge base (知识库). */
static const char *const knowledge[][3] = {
    { "HL-001", "居住证积分办理需要哪些材料？",
      "身份证、居住证、学历证明、社保缴纳证明，可在“一网通办”在线申请或到社区事务受理服务中心办理。" },
    { "HL-001", "新生儿如何办理社保卡？",
      "出生医学证明、户口簿和监护人身份证，在“一网通办”或社区事务受理服务中心申领。" },
    { "HL-003", "夜间施工噪声可以找谁？",
      "22 时至次日 6 时的施工需取得夜间施工许可；未取得的可拨打 12345 或 110 反映，由生态环境部门处理。" },
};

static int
seed_knowledge(struct yw_dbc *c, int *added)
{
    int64_t n = 0;
    int rc = yw_db_one_int(c, &n, "SELECT COUNT(*) FROM hotline_knowledge", NULL);
    *added = 0;
    for (size_t i = 0; rc == 0 && n == 0 && i < sizeof knowledge / sizeof knowledge[0]; i++) {
        int64_t id;
        rc = yw_hotline__knowledge_add(c, knowledge[i][0], knowledge[i][1], knowledge[i][2], "demo",
                                       &id);
        if (rc == 0)
            (*added)++;
    }
    return rc;
}

/* The demo grid and one event a grid worker reported in it. */
static int
seed_grid(struct yw_dbc *c, struct ctx *x)
{
    struct yw_err err = { 0 };
    int rc = yw_hotline__demo_grid(c, &x->grids, &err);
    int64_t n = 0;
    if (rc == 0)
        rc = yw_db_one_int(c, &n, "SELECT COUNT(*) FROM hotline_events", NULL);
    if (rc || n > 0)
        return rc;
    struct yw_hotline__report in = { "event",    "市容环境",
                                     "暴露垃圾", "漕溪北路人行道旁堆放建筑垃圾",
                                     "31.189",   "121.437",
                                     NULL,       NULL };
    struct yw_hotline__actor by = { 0, "周网格", "XH-12345", "grid_worker" };
    struct yw_hotline__event e;
    rc = yw_hotline__event_report(c, &x->arena, &in, &by, &e, &err);
    if (rc == 0)
        x->events = 1;
    return rc;
}

static int
seed_tx(struct yw_dbc *c, void *p)
{
    struct ctx *x = p;
    x->added = x->grids = x->events = x->knowledge = 0;
    int rc = seed_grid(c, x);
    if (rc == 0)
        rc = seed_knowledge(c, &x->knowledge);
    int64_t n = 0;
    if (rc == 0)
        rc = yw_db_one_int(c, &n, "SELECT COUNT(*) FROM hotline_orders", NULL);
    if (rc || n > 0)
        return rc;
    struct yw_ident_account citizen = { 0 };
    bool have_citizen =
        yw_ident_account_by_ident(c, &x->arena, "310104199003072013", &citizen) == 0;
    for (size_t i = 0; i < sizeof demos / sizeof demos[0]; i++) {
        const struct demo *d = &demos[i];
        struct yw_hotline__intake in = { 0 };
        in.category = d->category;
        in.content = d->content;
        in.address = d->address;
        in.lat = d->lat;
        in.lng = d->lng;
        in.caller_name = d->name;
        in.caller_phone = d->phone;
        if (d->citizen && have_citizen) {
            in.channel = "web";
            in.caller_account_id = citizen.id;
            in.caller_ident = citizen.ident;
        } else {
            in.channel = "phone";
        }
        struct yw_hotline__actor by = { 0, "demo", "XH-12345", "hotline_operator" };
        struct yw_hotline__order o;
        struct yw_err err = { 0 };
        rc = yw_hotline__intake(c, &x->arena, &in, &by, &o, &err);
        /* a catalog without the department (a test fixture's) keeps the order received */
        bool dept_known = d->dept[0] && yw_catalog_dept_exists(c, d->dept) == 0;
        for (int s = 0; rc == 0 && dept_known && s < 4 && d->steps[s]; s++) {
            json_t *args = json_pack("{s:s}", "dept", d->dept);
            struct yw_hotline__actor step_by = by;
            if (strcmp(d->steps[s], "dispatch") != 0)
                step_by.dept = d->dept;
            rc = yw_hotline__step(c, &x->arena, &o, d->steps[s], args, &step_by, &err);
            json_decref(args);
        }
        if (rc)
            return rc;
        x->added++;
    }
    return 0;
}

int
yw_hotline__seed(struct yw_app *app, const char *what, FILE *out, struct yw_err *err)
{
    if (strcmp(what, "demo") != 0)
        return 0;
    struct ctx x;
    yw_arena_init(&x.arena, 0);
    int rc = yw_db_tx(app->db, YW_TX_WRITE, seed_tx, &x, err);
    if (rc == 0)
        fprintf(
            out,
            "hotline: %d demo work orders, %d unit grids, %d grid events, %d knowledge entries\n",
            x.added, x.grids, x.events, x.knowledge);
    yw_arena_release(&x.arena);
    return rc;
}
