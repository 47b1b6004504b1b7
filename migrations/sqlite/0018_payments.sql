-- 0018_payments: fee orders, the notifications gateways sent, refunds and the
-- providers' settlement lines (src/payments/).  Never edit: add a new number.

-- One order per fee a case owes (its item's fee, at the point the fee is due).
-- Amounts are in fen (分), integers.  status: unpaid, paid, waived, expired,
-- cancelled.  next_query_ms: when the query job asks the gateway next.
CREATE TABLE pay_orders (
    id            INTEGER PRIMARY KEY,
    order_no      TEXT NOT NULL DEFAULT '',
    case_id       INTEGER NOT NULL,
    case_no       TEXT NOT NULL,
    item_code     TEXT NOT NULL,
    title         TEXT NOT NULL,
    dept_code     TEXT NOT NULL,
    payer_id      INTEGER NOT NULL,
    payer_name    TEXT NOT NULL,
    payer_ident   TEXT NOT NULL,
    point         TEXT NOT NULL CHECK (point IN ('submitted', 'approved')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    fee_text      TEXT NOT NULL DEFAULT '',
    fee_basis     TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'waived', 'expired', 'cancelled')),
    channel       TEXT NOT NULL DEFAULT '',
    provider_ref  TEXT NOT NULL DEFAULT '',
    paid_fen      INTEGER NOT NULL DEFAULT 0,
    refunded_fen  INTEGER NOT NULL DEFAULT 0,
    paid_at       TEXT NOT NULL DEFAULT '',
    paid_day      TEXT NOT NULL DEFAULT '',
    paid_by       INTEGER NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT '',
    receipt_no    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    expires_ms    INTEGER NOT NULL,
    gateway_at_ms INTEGER NOT NULL DEFAULT 0,
    next_query_ms INTEGER NOT NULL DEFAULT 0,
    queries       INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX pay_orders_no ON pay_orders (order_no);
CREATE INDEX pay_orders_case ON pay_orders (case_id, point);
CREATE INDEX pay_orders_payer ON pay_orders (payer_id, id);
CREATE INDEX pay_orders_query ON pay_orders (status, next_query_ms);
CREATE INDEX pay_orders_day ON pay_orders (paid_day, channel);

-- Every notification a gateway sent, accepted or refused, with why.
CREATE TABLE pay_notifications (
    id          INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    order_no    TEXT NOT NULL DEFAULT '',
    notify_id   TEXT NOT NULL DEFAULT '',
    verdict     TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX pay_notifications_order ON pay_notifications (order_no, id);

-- Refunds: requested with a reason, approved or rejected by finance.
CREATE TABLE pay_refunds (
    id            INTEGER PRIMARY KEY,
    refund_no     TEXT NOT NULL DEFAULT '',
    order_id      INTEGER NOT NULL REFERENCES pay_orders (id),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected')),
    requested_by  INTEGER NOT NULL,
    requested_at  TEXT NOT NULL,
    decided_by    INTEGER NOT NULL DEFAULT 0,
    decided_at    TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pay_refunds_order ON pay_refunds (order_id);
CREATE INDEX pay_refunds_status ON pay_refunds (status, id);

-- The provider's settlement file of a day, one row per line (a re-import of the
-- same day replaces it).
CREATE TABLE pay_settlements (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    order_no    TEXT NOT NULL,
    trade_no    TEXT NOT NULL DEFAULT '',
    amount_fen  INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX pay_settlements_day ON pay_settlements (day, order_no);
