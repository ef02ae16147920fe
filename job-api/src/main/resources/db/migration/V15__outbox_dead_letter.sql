-- Outbox rows Kafka refused for good (a record larger than the topic or the producer takes, an invalid
-- record): the relay moves them here, in the transaction that relays the rest of their batch, and goes
-- on. Nothing retries them; operators read them here (docs/security.md, "Bounds"). A refused launch
-- command's run is failed (error code LAUNCH_COMMAND_REFUSED) in the same transaction.
create table outbox_dead_letter (
    id            bigint      primary key,  -- the outbox row's id
    topic         text        not null,
    message_key   text        not null,
    event_type    text,
    payload       text        not null,
    payload_bytes bigint      not null,
    reason        text        not null,
    created_at    timestamptz not null,
    refused_at    timestamptz not null default now()
);
create index outbox_dead_letter_refused_idx on outbox_dead_letter (refused_at);
