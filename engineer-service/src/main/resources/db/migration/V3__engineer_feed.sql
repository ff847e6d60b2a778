-- Each engineer's own feed: every change of their assignments, numbered 1, 2, 3... per engineer,
-- what GET /engineers/{id}/assignments/stream sends (the number is the event's id). A client that
-- reconnects with the last id it saw is sent the entries after it, from here.

-- The last number given to each engineer's feed. Numbering takes this row's lock until commit, so
-- an engineer's entries commit in the order of their numbers: a reader that sees number n has
-- already seen every number below it.
create table engineer_feed_head (
    engineer_id uuid   primary key references engineer (id),
    last_seq    bigint not null check (last_seq > 0)
);

create table engineer_feed (
    engineer_id uuid        not null references engineer (id),
    seq         bigint      not null check (seq > 0),
    -- the SSE event name: assignment-offered, assignment-accepted, ...
    event       varchar(32) not null,
    -- the assignment as the API shows it; json (not jsonb) keeps it exactly as written, and it is
    -- only ever sent on as it is
    payload     json        not null,
    at          timestamptz not null,
    primary key (engineer_id, seq)
);

-- housekeeping: entries past their retention
create index engineer_feed_at on engineer_feed (at);
