-- The visit fee of a call. At most one payment per call: call_id is unique, and concurrent
-- POST /payments for one call rely on that constraint (the loser reads the winner's row).
CREATE TABLE payment (
    id                        uuid         PRIMARY KEY,
    call_id                   uuid         NOT NULL,
    -- NULL only on a void tombstone: a call voided before any payment was asked for.
    customer_id               varchar(64),
    amount                    bigint       NOT NULL CHECK (amount >= 0),
    currency                  varchar(3)   NOT NULL,
    status                    varchar(16)  NOT NULL
        CHECK (status IN ('PENDING', 'APPROVED', 'DECLINED', 'VOIDED', 'REFUNDED')),
    decline_reason            varchar(200),
    void_reason               varchar(200),
    -- The client's Idempotency-Key of the request that created the payment, for tracing.
    idempotency_key           varchar(255),
    -- When the running charge attempt started; NULL when none runs. A PENDING payment whose
    -- attempt is older than payment.pending-takeover-age is resumed by the next retry.
    charge_attempt_started_at timestamptz,
    -- When this service learned that the gateway took the money (set with refunded_at when a
    -- void finds a charge whose attempt died). VOIDED with charged_at set and refunded_at NULL:
    -- a refund is owed.
    charged_at                timestamptz,
    refunded_at               timestamptz,
    created_at                timestamptz  NOT NULL,
    updated_at                timestamptz  NOT NULL,
    CONSTRAINT payment_call_id_unique UNIQUE (call_id),
    CONSTRAINT payment_customer_unless_tombstone
        CHECK (customer_id IS NOT NULL OR status = 'VOIDED'),
    CONSTRAINT payment_refund_after_charge
        CHECK (refunded_at IS NULL OR charged_at IS NOT NULL)
);

-- GET /payments?customerId=... pages newest first.
CREATE INDEX payment_customer_created_idx ON payment (customer_id, created_at DESC, id);

-- The simulated card gateway's own ledger (SimulatedCardGateway). A real gateway keeps this on
-- its side; the simulation keeps it in a table so that, like a real gateway, it still knows a
-- charge reference after a restart and never charges one reference twice.
CREATE TABLE gateway_charge (
    reference      varchar(64)  PRIMARY KEY,
    customer_id    varchar(64)  NOT NULL,
    amount         bigint       NOT NULL CHECK (amount > 0),
    currency       varchar(3)   NOT NULL,
    outcome        varchar(16)  NOT NULL CHECK (outcome IN ('APPROVED', 'DECLINED')),
    decline_reason varchar(200),
    -- How many charge requests carried this reference (retries and resumed charges): one charge.
    requests       integer      NOT NULL DEFAULT 1,
    charged_at     timestamptz  NOT NULL,
    refunded_at    timestamptz,
    CONSTRAINT gateway_charge_refund_only_approved CHECK (refunded_at IS NULL OR outcome = 'APPROVED')
);

CREATE INDEX gateway_charge_customer_idx ON gateway_charge (customer_id);
