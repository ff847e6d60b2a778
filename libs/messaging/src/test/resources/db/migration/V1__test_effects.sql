-- What TestSteps did: one row per applied event, in the order applied.
create table test_effect (
    position   bigserial primary key,
    call_id    uuid        not null,
    event_type varchar(64) not null,
    sequence   bigint      not null,
    detail     varchar(200)
);
