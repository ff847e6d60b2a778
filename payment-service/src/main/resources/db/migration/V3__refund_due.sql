-- A refund asked for (by a void, a cancelled call, or a charge approved after its void) and not
-- yet settled by the gateway: set in the transaction that asks for it, cleared in the one that
-- records the gateway's answer. The refund worker (RefundWorker) tries again whatever is due,
-- so a refund is made even when the process that asked for it dies before reaching the gateway.
ALTER TABLE payment ADD COLUMN refund_due_at timestamptz;

CREATE INDEX payment_refund_due_idx ON payment (refund_due_at) WHERE refund_due_at IS NOT NULL;
