-- The call follows its saga: the engineer's offer it waits on, cancellation and refund.
alter table repair_call
    add column assignment_id       uuid,
    add column engineer_id         uuid,
    add column engineer_name       varchar(100),
    add column offers_made         integer not null default 0,
    add column cancellation_reason varchar(32) check (cancellation_reason in ('CUSTOMER', 'NO_ENGINEER')),
    add column refunded_at         timestamptz;

-- Voids of failed payments now travel as CallPaymentFailed events through the outbox.
alter table repair_call drop column payment_void_pending;
