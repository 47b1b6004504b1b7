/*
 * settings.c - payments' settings: the gateway (where it is, its public key,
 * where it sends notifications), how long an order stays payable and how often
 * an unsettled gateway order is queried (docs/OPERATIONS.md).
 */
#include "payments/internal.h"

#include <pthread.h>
#include <stddef.h>

static const char *const sign_kinds[] = { "sm2", "rsa", NULL };

#define T struct yw_pay_settings
static const struct yw_setting rows[] = {
    YW_SET_STR(T, pay_gateway_url, "",
               "base URL of the payment gateway (统一公共支付平台); empty: window payments only"),
    YW_SET_STR(T, pay_gateway_key, "",
               "PEM file of the gateway's public key: notifications and query answers must "
               "carry its signature"),
    YW_SET_ENUM(T, pay_gateway_sign, "sm2", sign_kinds,
                "how the gateway signs: sm2 (SM2 with SM3) or rsa (RSA-SHA256, sign_type RSA2)"),
    YW_SET_STR(T, pay_notify_url, "",
               "URL the gateway posts notifications to (empty: this server's address + "
               "/api/v1/payments/notify)"),
    YW_SET_INT(T, pay_order_ttl, "259200", 60, 86400 * 90,
               "seconds an unpaid fee order stays payable"),
    YW_SET_INT(T, pay_query_every, "60", 1, 86400,
               "seconds between status queries of a gateway payment not yet notified"),
    YW_SET_STR(T, pay_payee, "上海市徐汇区财政局",
               "the receiving unit (收款单位) printed on receipts"),
};
#undef T

const struct yw_settings yw_pay__settings_table = {
    .owner = "payments",
    .rows = rows,
    .nrows = sizeof rows / sizeof rows[0],
    .size = sizeof(struct yw_pay_settings),
};

static struct yw_pay_settings defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;
static const struct yw_pay_settings *current;

static void
make_defaults(void)
{
    yw_settings_init(&yw_pay__settings_table, &defaults);
}

void
yw_pay__cfg_set(struct yw_app *app)
{
    current = app && app->cfg ? yw_config_values(app->cfg, &yw_pay__settings_table) : NULL;
}

const struct yw_pay_settings *
yw_pay__cfg(void)
{
    if (current)
        return current;
    pthread_once(&defaults_once, make_defaults);
    return &defaults;
}
