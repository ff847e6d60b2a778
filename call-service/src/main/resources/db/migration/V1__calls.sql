-- A customer's request for a repair engineer, and where it is in its saga.
create table repair_call (
    id                     uuid primary key,
    customer_id            varchar(64)  not null,
    appliance_type         varchar(32)  not null,
    region                 varchar(64)  not null,
    address                varchar(200) not null,
    description            varchar(1000),
    status                 varchar(32)  not null
        check (status in ('REQUESTED', 'PAYMENT_FAILED', 'PAID', 'ENGINEER_ASSIGNED', 'DISPATCHED', 'COMPLETED', 'CANCELLED')),
    failure_reason         varchar(32)
        check (failure_reason in ('PAYMENT_DECLINED', 'PAYMENT_UNAVAILABLE')),
    fee                    bigint       not null check (fee > 0),
    currency               char(3)      not null,
    payment_id             uuid,
    payment_decline_reason varchar(500),
    payment_void_pending   boolean      not null default false,
    created_at             timestamptz  not null,
    updated_at             timestamptz  not null,
    status_changed_at      timestamptz  not null,
    version                bigint       not null default 0
);

create index repair_call_customer on repair_call (customer_id, created_at desc);
-- "which calls are stuck in a step, and since when": also what the reconciler scans
create index repair_call_status_since on repair_call (status, status_changed_at);
create index repair_call_void_pending on repair_call (updated_at) where payment_void_pending;

-- Idempotency-Key of POST /calls: the call it created and, once final, the answer to replay.
create table call_request_key (
    idempotency_key       varchar(255) primary key,
    fingerprint           char(64)     not null,
    call_id               uuid         not null,
    state                 varchar(16)  not null check (state in ('IN_PROGRESS', 'COMPLETED')),
    locked_until          timestamptz  not null,
    response_status       integer,
    response_content_type varchar(100),
    response_body         text,
    response_location     varchar(300),
    created_at            timestamptz  not null,
    expires_at            timestamptz  not null
);

create index call_request_key_expiry on call_request_key (expires_at);
