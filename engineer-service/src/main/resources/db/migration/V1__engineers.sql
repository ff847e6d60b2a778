-- Repair engineers and what they repair.
create table engineer (
    id            uuid primary key,
    name          varchar(100) not null,
    region        varchar(64)  not null,
    active        boolean      not null default true,
    registered_at timestamptz  not null,
    version       bigint       not null default 0
);

create index engineer_region on engineer (region, name, id);

create table engineer_skill (
    engineer_id uuid        not null references engineer (id),
    skill       varchar(32) not null
        check (skill in ('WASHER', 'DRYER', 'REFRIGERATOR', 'AIR_CONDITIONER', 'TV', 'DISHWASHER', 'MICROWAVE', 'OVEN', 'AIR_PURIFIER')),
    primary key (engineer_id, skill)
);

-- matching: the engineers with a skill
create index engineer_skill_by_skill on engineer_skill (skill, engineer_id);

-- A call as call-service described it (CallRequested), and where its dispatch to an engineer stands.
create table dispatch (
    call_id          uuid primary key,
    customer_id      varchar(64)   not null,
    appliance_type   varchar(32)   not null
        check (appliance_type in ('WASHER', 'DRYER', 'REFRIGERATOR', 'AIR_CONDITIONER', 'TV', 'DISHWASHER', 'MICROWAVE', 'OVEN', 'AIR_PURIFIER')),
    region           varchar(64)   not null,
    address          varchar(200)  not null,
    description      varchar(1000),
    state            varchar(32)   not null
        check (state in ('AWAITING_PAYMENT', 'OFFERED', 'DISPATCHED', 'COMPLETED', 'NO_ENGINEER', 'CANCELLED', 'PAYMENT_FAILED')),
    offers_made      integer       not null default 0 check (offers_made >= 0),
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    state_changed_at timestamptz   not null,
    version          bigint        not null default 0
);

-- "which calls are stuck in a state, and since when"
create index dispatch_state_since on dispatch (state, state_changed_at);

-- One offer of a call to one engineer.
create table assignment (
    id             uuid primary key,
    call_id        uuid         not null references dispatch (call_id),
    engineer_id    uuid         not null references engineer (id),
    engineer_name  varchar(100) not null,
    status         varchar(16)  not null
        check (status in ('OFFERED', 'ACCEPTED', 'REJECTED', 'EXPIRED', 'WITHDRAWN', 'COMPLETED')),
    appliance_type varchar(32)  not null,
    region         varchar(64)  not null,
    address        varchar(200) not null,
    offered_at     timestamptz  not null,
    expires_at     timestamptz  not null,
    responded_at   timestamptz,
    completed_at   timestamptz,
    version        bigint       not null default 0,
    -- a call is never offered to the same engineer twice
    constraint assignment_once_per_engineer unique (call_id, engineer_id)
);

-- at most one engineer holds a call at a time
create unique index assignment_one_open_per_call on assignment (call_id) where status in ('OFFERED', 'ACCEPTED');
-- an engineer's assignments, newest first; matching counts their open ones and today's
create index assignment_engineer on assignment (engineer_id, offered_at desc);
-- the expiry job: open offers by deadline
create index assignment_offer_deadline on assignment (expires_at) where status = 'OFFERED';
