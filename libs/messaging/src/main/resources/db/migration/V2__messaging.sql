-- Transactional outbox: events committed with the state change they report, published by the relay.
create table outbox_event (
    position     bigserial primary key,
    event_id     uuid        not null unique,
    call_id      uuid        not null,
    type         varchar(64) not null,
    payload      text        not null,
    occurred_at  timestamptz not null,
    published_at timestamptz
);
create index outbox_event_unpublished on outbox_event (position) where published_at is null;
create index outbox_event_published_at on outbox_event (published_at) where published_at is not null;

-- The number of the last event this service published about each call (the events' "sequence").
create table outbox_sequence (
    call_id       uuid primary key,
    last_sequence bigint not null
);

-- Inbox: ids of the events received, to skip redeliveries ...
create table processed_event (
    event_id    uuid primary key,
    source      varchar(64) not null,
    type        varchar(64) not null,
    call_id     uuid        not null,
    received_at timestamptz not null
);
create index processed_event_received_at on processed_event (received_at);

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
