/*
 * types.c - the hotline's service categories (what a caller reports, and
 * the Open311 services), and the order types with their limits.
 *
 * Order types and their Shanghai limits in working days (沪府办〔2018〕62号
 * 《上海市"12345"市民服务热线工作管理办法》, CN-STANDARDS.md §6.1): general
 * questions and suggestions 1, hotline supervision and recheck 3, help
 * requests and complaints 5, complex matters after approval 15.  The
 * numbers are settings (hotline_limit_*), these are their defaults.
 */
#include "hotline/internal.h"

#include <string.h>

static const char *const severity[] = { "minor", "serious", NULL };
static const char *const noise_time[] = { "day", "night", NULL };

const struct yw_hotline__category yw_hotline__categories[] = {
    { "HL-001", "政策咨询", "Question about a policy", "咨询", "consult", "", NULL, NULL, NULL },
    { "HL-002", "意见建议", "Suggestion", "建议", "suggestion", "", NULL, NULL, NULL },
    { "HL-003", "一般求助", "Request for help", "求助", "help", "", NULL, NULL, NULL },
    { "HL-004", "一般投诉", "Complaint", "投诉", "complaint", "", NULL, NULL, NULL },
    { "HL-101", "道路破损", "Damaged road or pavement", "市政设施", "help", "XH-JSGLW", "severity",
      "破损程度 (minor 轻微 / serious 严重)", severity },
    { "HL-102", "路灯故障", "Street light out", "市政设施", "help", "XH-JSGLW", NULL, NULL, NULL },
    { "HL-103", "暴露垃圾", "Litter or fly-tipping", "市容环境", "complaint", "XH-LRJ", NULL, NULL,
      NULL },
    { "HL-104", "绿化损坏", "Damaged trees or greenery", "园林绿化", "help", "XH-LRJ", NULL, NULL,
      NULL },
    { "HL-105", "噪声扰民", "Noise", "环境保护", "complaint", "XH-STHJJ", "when",
      "发生时段 (day 白天 / night 夜间)", noise_time },
    { "HL-106", "群租整治", "Overcrowded rental", "房屋管理", "complaint", "XH-FGJ", NULL, NULL,
      NULL },
    { "HL-107", "消防通道堵塞", "Blocked fire lane", "消防安全", "complaint", "XH-XFJ", NULL, NULL,
      NULL },
    { "HL-108", "食品安全", "Food safety", "市场监管", "complaint", "XH-SCJ", NULL, NULL, NULL },
};
const size_t yw_hotline__ncategories =
    sizeof yw_hotline__categories / sizeof yw_hotline__categories[0];

const struct yw_hotline__category *
yw_hotline__category(const char *code)
{
    if (code == NULL)
        return NULL;
    for (size_t i = 0; i < yw_hotline__ncategories; i++)
        if (strcmp(yw_hotline__categories[i].code, code) == 0)
            return &yw_hotline__categories[i];
    return NULL;
}

int
yw_hotline__type_limit(const char *type)
{
    const struct yw_hotline_settings *s = yw_hotline__cfg();
    if (type == NULL)
        return -1;
    if (!strcmp(type, "consult") || !strcmp(type, "suggestion"))
        return (int)s->hotline_limit_general;
    if (!strcmp(type, "supervision"))
        return (int)s->hotline_limit_supervision;
    if (!strcmp(type, "help") || !strcmp(type, "complaint"))
        return (int)s->hotline_limit_help;
    if (!strcmp(type, "complex"))
        return (int)s->hotline_limit_complex;
    return -1;
}
