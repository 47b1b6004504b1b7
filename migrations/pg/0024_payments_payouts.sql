-- 0021_payments_payouts: how an approved refund reaches the payer, and the
-- window POS settlement file next to the gateway's;
-- (src/payments/refunds.c).  A gateway payment's refund is sent to the gateway
-- (queued -> sent -> refunded | failed, the gateway's signed refund
-- notification or a status query settling it); a window payment's refund is
-- paid back at the counter's POS and recorded by the clerk with the terminal
-- reference (refunded at once).  One row per approved refund.
CREATE TABLE pay_refund_payouts (
    refund_id     BIGINT PRIMARY KEY,
    channel       TEXT NOT NULL CHECK (channel IN ('gateway', 'window')),
    state         TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'refunded', 'failed')),
    provider_ref  TEXT NOT NULL DEFAULT '',
    sent_at       TEXT NOT NULL DEFAULT '',
    done_at       TEXT NOT NULL DEFAULT '',
    done_by       BIGINT NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT '',
    notify_url    TEXT NOT NULL DEFAULT '',
    next_try_ms   BIGINT NOT NULL DEFAULT 0,
    tries         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pay_refund_payouts_due ON pay_refund_payouts (state, next_try_ms);

-- Settlement files come from two sources: the gateway's (matched by order
-- number) and the window POS acquirer's (matched by the terminal reference the
-- clerk recorded).  A re-import replaces one day of one source.
ALTER TABLE pay_settlements ADD COLUMN source TEXT NOT NULL DEFAULT 'gateway';
CREATE INDEX pay_settlements_source ON pay_settlements (day, source, order_no);
