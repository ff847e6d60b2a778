-- When the gateway was last asked to charge the payment: until its charge deadline has passed
-- after that, a "no charge" answer to a refund may still change (the charge can land late).
alter table payment add column last_charge_requested_at timestamptz;
update payment set last_charge_requested_at = coalesce(charge_attempt_started_at, charged_at, created_at)
    where customer_id is not null;
