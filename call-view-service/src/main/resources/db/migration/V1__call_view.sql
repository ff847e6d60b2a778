-- The projection: four tables that a rebuild recreates side by side (schema callview_rebuild,
-- "create table ... (like public.<table> including all)") and swaps in. Indexes keep the names
-- PostgreSQL chooses by default, so that a rebuilt table gets exactly the same ones.

-- One row per call: each source's latest facts, and what they imply (status, version).
create table call_view (
    call_id             uuid primary key,

    -- call-service's facts (call-events)
    customer_id         varchar(64),
    appliance_type      varchar(32),
    region              varchar(64),
    address             varchar(200),
    description         varchar(1000),
    fee                 bigint,
    currency            varchar(3),
    -- the last step call-service reported: REQUESTED, PAID, PAYMENT_FAILED or CANCELLED
    call_step           varchar(16),
    failure_reason      text,
    cancellation_reason text,
    call_payment_id     uuid,
    requested_at        timestamptz,
    paid_at             timestamptz,
    payment_failed_at   timestamptz,
    cancelled_at        timestamptz,

    -- payment-service's facts (payment-events)
    payment_id          uuid,
    payment_status      varchar(16),
    refunded_at         timestamptz,

    -- engineer-service's facts (engineer-events)
    -- the last step of the offers engineer-service reported: OFFERED, ACCEPTED, REJECTED, EXPIRED,
    -- WITHDRAWN, COMPLETED or NO_ENGINEER
    offer_step          varchar(16),
    assignment_id       uuid,
    engineer_id         uuid,
    engineer_name       text,
    offers_made         integer     not null default 0,
    assigned_at         timestamptz,
    dispatched_at       timestamptz,
    completed_at        timestamptz,

    -- implied by the facts above
    status              varchar(32),
    last_event_at       timestamptz,
    -- how many events are applied to this row: the id of the stream's Server-Sent Events
    version             bigint      not null default 0
);
-- The API lists only calls whose CallRequested is applied (requested_at set), newest first.
create index on call_view (requested_at desc, call_id);
create index on call_view (customer_id, requested_at desc, call_id);
create index on call_view (status, requested_at desc, call_id);
create index on call_view (engineer_id, requested_at desc, call_id);

-- Inbox: ids of the events applied or parked, to skip redeliveries ...
create table processed_event (
    event_id    uuid primary key,
    source      varchar(64) not null,
    type        varchar(64) not null,
    call_id     uuid        not null,
    received_at timestamptz not null
);
create index on processed_event (received_at);

-- ... the last event applied per source and call, to apply each source's events in order ...
create table event_stream (
    source        varchar(64) not null,
    call_id       uuid        not null,
    last_sequence bigint      not null,
    primary key (source, call_id)
);

-- ... and the events that arrived early, until the ones before them are applied.
create table deferred_event (
    source      varchar(64) not null,
    call_id     uuid        not null,
    sequence    bigint      not null,
    payload     text        not null,
    received_at timestamptz not null,
    primary key (source, call_id, sequence)
);

-- Rebuilds of the projection from the topics (POST /admin/rebuild): one row per run, so that
-- every replica answers GET /admin/rebuild and at most one run is active at a time.
create table rebuild_run (
    id            uuid primary key,
    state         varchar(16) not null,
    requested_at  timestamptz not null,
    heartbeat_at  timestamptz not null,
    finished_at   timestamptz,
    records_read  bigint      not null default 0,
    -- per topic: the position read up to and the end of the topic when last looked at (JSON)
    topics        text        not null default '[]',
    rows_before   bigint,
    rows_after    bigint,
    failure       text
);
create index on rebuild_run (requested_at desc);
