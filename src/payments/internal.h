/*
 * internal.h - shared inside src/payments only (and by tools/paysim, the
 * gateway simulator, for the HTTP client and the notification signing).
 */
#ifndef YW_PAYMENTS_INTERNAL_H
#define YW_PAYMENTS_INTERNAL_H

#include "payments/payments.h"

#include "core/mem.h"
#include "core/sm2.h"
#include "db/db.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- settings.c ---- */
struct yw_pay_settings {
    char *pay_gateway_url;   /* "" = no online payment */
    char *pay_gateway_key;   /* PEM file of the gateway's public key (SM2 or RSA) */
    char *pay_gateway_sign;  /* sm2 | rsa: how the gateway signs */
    char *pay_notify_url;    /* where the gateway posts notifications; "" = this request's host */
    int64_t pay_order_ttl;   /* seconds an unpaid order stays payable */
    int64_t pay_query_every; /* seconds between status queries of an unsettled gateway order */
    char *pay_payee;         /* the receiving unit printed on receipts */
};
extern const struct yw_settings yw_pay__settings_table;
const struct yw_pay_settings *yw_pay__cfg(void);
void yw_pay__cfg_set(struct yw_app *app);

/* ---- orders.c: rows ---- */
struct yw_pay_order {
    int64_t id, case_id, payer_id, amount_fen, paid_fen, refunded_fen, paid_by, expires_ms,
        gateway_at_ms, next_query_ms;
    int queries, version;
    const char *order_no, *case_no, *item_code, *title, *dept, *payer_name, *payer_ident, *point,
        *status, *channel, *provider_ref, *fee_text, *fee_basis, *paid_at, *paid_day, *note,
        *receipt_no, *created_at;
};
/* Who acts on an order (an account, or "system" for the gateway). */
struct yw_pay_actor {
    int64_t id;
    const char *name, *role;
};
int yw_pay__load(struct yw_dbc *c, struct yw_arena *a, const char *order_no,
                 struct yw_pay_order *out);
int yw_pay__load_id(struct yw_dbc *c, struct yw_arena *a, int64_t id, struct yw_pay_order *out);
json_t *yw_pay__order_json(const struct yw_pay_order *o, bool staff);
/* 0 when who may see the order (its payer, or staff who handle payments);
 * YW_ENOTFOUND otherwise. */
int yw_pay__visible(const struct yw_pay_order *o, const struct yw_principal *who);
/* Orders for a list: the payer's own (payer_id > 0), or every one matching
 * case_no / status (staff).  NULL when the read failed. */
json_t *yw_pay__list(struct yw_dbc *c, struct yw_arena *a, int64_t payer_id, const char *case_no,
                     const char *status, int64_t limit, bool staff);
/* unpaid -> paid (once): records how, publishes payment.paid (the case goes
 * on) and the audit record.  YW_ESTATE when the order is not unpaid; an
 * expired order cannot be paid. */
int yw_pay__settle(struct yw_dbc *c, struct yw_pay_order *o, const char *channel,
                   const char *provider_ref, int64_t paid_fen, const struct yw_pay_actor *who,
                   struct yw_err *err);
/* unpaid -> waived (减免) with the reason: payment.waived. */
int yw_pay__waive(struct yw_dbc *c, struct yw_pay_order *o, const char *reason,
                  const struct yw_pay_actor *who, struct yw_err *err);
/* expired -> a new unpaid order for the same fee and case (重新开具), with a
 * fresh pay_order_ttl; its number in new_no.  The case keeps waiting for it. */
int yw_pay__reissue(struct yw_dbc *c, struct yw_pay_order *o, const struct yw_pay_actor *who,
                    char *new_no, size_t new_no_n, struct yw_err *err);
/* Audit record of an action on an order. */
int yw_pay__audit(struct yw_dbc *c, const struct yw_pay_actor *who, const char *action,
                  const char *order_no, const char *summary);

/* ---- fees.c ---- */
/* The fee of a catalog item document: its amount in fen and the point it is
 * due ("submitted", or "approved" when the amount depends on the decision).
 * YW_ENOTFOUND when the item has no fee a machine can charge. */
int yw_pay__fee_of(json_t *item, int64_t *fen, const char **point);
/* The hold provider (core/provider.h) and the case.withdrawn subscriber. */
void yw_pay__hold_register(void);

/* ---- gateway.c ---- */
int yw_pay__gateway_init(struct yw_app *app, struct yw_err *err);
void yw_pay__gateway_shutdown(void);
bool yw_pay__gateway_on(void);
/* Start a gateway payment of an unpaid order: the URL of the gateway's page. */
int yw_pay__start(struct yw_dbc *c, struct yw_arena *a, struct yw_pay_order *o,
                  const char *base_url, const char **pay_url, struct yw_err *err);
/* A notification from the gateway (the parsed body): verified, checked
 * against the order and applied once.  *duplicate when it changed nothing
 * because it was already applied. */
int yw_pay__notify(struct yw_dbc *c, struct yw_arena *a, json_t *body, bool *duplicate,
                   struct yw_err *err);
/* Verify a gateway document's "sign" (SM2 over the JCS form of the object
 * without "sign") with key (PEM).  0 or YW_ECRYPTO / YW_EINVAL. */
int yw_pay__verify(const struct yw_sm2_key *key, json_t *doc, struct yw_err *err);
/* A gateway document (notification, answer) verified with the configured key. */
int yw_pay__verify_gateway(json_t *doc, struct yw_err *err);
/* Keep a notification the gateway sent in pay_notifications. */
int yw_pay__log_notification(struct yw_dbc *c, json_t *body, const char *order_no,
                             const char *verdict);
/* The server's database (the gateway job and after-commit sends). */
struct yw_db *yw_pay__db(void);
/* Sign doc in place: sign_type "SM2" and sign (the simulator signs so). */
int yw_pay__sign(const struct yw_sm2_key *key, json_t *doc);

/* ---- rsa.c: gateways that sign with RSA-SHA256 (sign_type RSA2) ---- */
EVP_PKEY *yw_pay__rsa_load_public(const char *pem, size_t n);
/* A new 2048-bit key; its public half (PEM) appended to public_pem. */
EVP_PKEY *yw_pay__rsa_generate(struct yw_buf *public_pem);
int yw_pay__rsa_sign(EVP_PKEY *key, json_t *doc);
int yw_pay__rsa_verify(EVP_PKEY *key, json_t *doc, struct yw_err *err);

/* ---- http.c: a small blocking HTTP/1.1 client (gateway and simulator) ---- */
/* method url ("http://host:port/path?query" only) with an optional JSON body;
 * *status and the response body appended to out.  0, or YW_EIO / YW_EINVAL. */
int yw_pay__http(const char *method, const char *url, const char *body, int timeout_ms, int *status,
                 struct yw_buf *out);

/* ---- refunds.c ---- */
int yw_pay__refund_request(struct yw_dbc *c, struct yw_arena *a, struct yw_pay_order *o,
                           int64_t amount_fen, const char *reason, const struct yw_pay_actor *who,
                           json_t **out, struct yw_err *err);
int yw_pay__refund_decide(struct yw_dbc *c, struct yw_arena *a, const char *refund_no, bool approve,
                          const char *note, const char *base_url, const struct yw_pay_actor *who,
                          json_t **out, int64_t *queued_id, struct yw_err *err);
json_t *yw_pay__refunds(struct yw_dbc *c, const char *status, int64_t order_id);
/* One refund by its number, as yw_pay__refunds lists it, into *out (the caller
 * owns it): 0, YW_ENOTFOUND, or the read's error. */
int yw_pay__refund_json(struct yw_dbc *c, const char *refund_no, json_t **out);

/* ---- payouts.c: an approved refund paid back (gateway or window) ---- */
/* Queue an approved refund of a gateway payment for sending (in the approving
 * transaction); base_url gives the refund notification's address. */
int yw_pay__payout_queue(struct yw_dbc *c, int64_t refund_id, const char *base_url);
/* Send a queued refund to the gateway, or ask about a sent one: outside any
 * transaction; claimed, so one node does it. */
void yw_pay__payout_try(struct yw_db *db, int64_t refund_id);
/* The gateway job's round: queued and unsettled refunds that are due. */
void yw_pay__payouts_round(struct yw_db *db);
/* The gateway's signed refund notification: verified, checked, applied once. */
int yw_pay__refund_notify(struct yw_dbc *c, json_t *body, bool *duplicate, struct yw_err *err);
/* The window paid an approved refund back at the POS (terminal_ref). */
int yw_pay__refund_window(struct yw_dbc *c, const char *refund_no, const char *terminal_ref,
                          const struct yw_pay_actor *who, struct yw_err *err);

/* ---- recon.c ---- */
/* source: "gateway" (order_no,trade_no,amount_fen) or "pos" (terminal_ref,amount_fen[,order_no]). */
int yw_pay__settlement_import(struct yw_dbc *c, const char *day, const char *source,
                              const char *csv, int *lines, const struct yw_pay_actor *who,
                              struct yw_err *err);
/* The day's reconciliation: {day, matched, mismatches:[{kind, order_no, ...}]}. */
int yw_pay__recon(struct yw_dbc *c, const char *day, json_t **out, struct yw_err *err);
/* The same as an XLSX workbook (malloc'd). */
int yw_pay__recon_xlsx(json_t *report, char **out, size_t *len, struct yw_err *err);

/* ---- receipt.c ---- */
/* An amount in capitals (人民币大写) as receipts print it: 12000 fen ->
 * 壹佰贰拾元整, 100005 -> 壹仟元零伍分; up to 9999亿. */
void yw_pay__capitals(int64_t fen, char *out, size_t n);
int yw_pay__receipt_pdf(const struct yw_pay_order *o, const char *base_url, char **out, size_t *len,
                        struct yw_err *err);

/* Day text (Shanghai) of now: "YYYY-MM-DD". */
void yw_pay__today(char day[11]);

#endif
