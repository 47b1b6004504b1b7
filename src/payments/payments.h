/*
 * payments.h - fees and payments (缴费): a case whose item has a fee waits in
 * 待缴费 (status on_hold, its clock paused) until the fee is paid at the
 * window, paid online through a payment gateway, or waived (减免) by a clerk;
 * refunds with a reason and finance's approval; an electronic receipt; and the
 * daily reconciliation of the gateway's settlement file.
 *
 * Payments never includes cases, nor cases payments: payments is a hold
 * provider (core/provider.h: it makes the order when a case reaches the point
 * its fee is due) and publishes payment.paid / payment.waived
 * (core/events.h), which cases subscribes to in order to resume the case.  It
 * reads the fee of an item through the catalog's header.  Nothing else calls
 * payments, so this header only exports the module.
 *
 * Tables payments owns: pay_orders, pay_notifications, pay_refunds, pay_settlements,
 * pay_refund_payouts.
 */
#ifndef YW_PAYMENTS_PAYMENTS_H
#define YW_PAYMENTS_PAYMENTS_H

#include "http/http.h"

extern const struct yw_module yw_payments_module;

#endif
