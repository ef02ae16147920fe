-- Schema `api` belongs to job-api: definitions teams make, launch records and the outbox.

create table connection (
    id                  uuid primary key,
    workspace           text        not null,
    name                text        not null,
    type                text        not null,
    host                text,
    port                integer,
    database_name       text,
    jdbc_url            text        not null,
    username            text,
    -- The password is sealed with AES-256-GCM; the key id lets keys rotate.
    password_key_id     text,
    password_ciphertext text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    created_by          text        not null,
    version             integer     not null default 0,
    constraint connection_name_unique unique (workspace, name)
);

create table job (
    id                        uuid primary key,
    workspace                 text        not null,
    name                      text        not null,
    type                      text        not null,
    destination_connection_id uuid references connection (id),
    continue_on_error         boolean     not null default false,
    status                    text        not null default 'ACTIVE',
    created_at                timestamptz not null,
    updated_at                timestamptz not null,
    created_by                text        not null,
    version                   integer     not null default 0,
    constraint job_name_unique unique (workspace, name)
);

create table task (
    id         uuid primary key,
    job_id     uuid    not null references job (id) on delete cascade,
    task_index integer not null,
    query      text    not null,
    is_active  boolean not null default true,
    constraint task_index_unique unique (job_id, task_index) deferrable initially deferred
);

-- One row per launch: the API's own record, so a run is never "not found" right after its 202.
create table run (
    id              uuid primary key,
    workspace       text        not null,
    job_id          uuid        not null references job (id),
    attempt         integer     not null,
    trigger         text        not null,
    idempotency_key text,
    requested_at    timestamptz not null,
    requested_by    text        not null,
    constraint run_idempotency_unique unique (workspace, job_id, idempotency_key)
);
create index run_job_idx on run (workspace, job_id, requested_at desc);

-- Transactional outbox: rows written with the change that caused them, relayed to Kafka in order.
create table outbox (
    id          bigserial primary key,
    topic       text        not null,
    message_key text        not null,
    payload     text        not null,
    created_at  timestamptz not null default now()
);
