-- Tailer-style workflows: a WORKFLOW job's trigger jobs and target jobs, which triggers have
-- succeeded since it last fired, and each firing (its targets launched once, even after a crash).
create table workflow (
    job_id        uuid primary key references job (id) on delete cascade,
    workspace     text        not null,
    fire_count    integer     not null default 0,
    last_fired_at timestamptz,
    defined_at    timestamptz not null
);

create table workflow_edge (
    workflow_id uuid not null references workflow (job_id) on delete cascade,
    job_id      uuid not null references job (id),
    role        text not null check (role in ('TRIGGER', 'TARGET')),
    primary key (workflow_id, role, job_id)
);
-- A run's end looks up the workflows its job triggers.
create index workflow_edge_trigger_idx on workflow_edge (job_id) where role = 'TRIGGER';

create table workflow_trigger_state (
    workflow_id    uuid        not null references workflow (job_id) on delete cascade,
    trigger_job_id uuid        not null,
    run_id         uuid        not null,
    succeeded_at   timestamptz not null,
    primary key (workflow_id, trigger_job_id)
);

create table workflow_fire (
    workflow_id uuid        not null references workflow (job_id) on delete cascade,
    seq         integer     not null,
    fired_at    timestamptz not null,
    launched_at timestamptz,
    outcome     text,
    primary key (workflow_id, seq)
);
create index workflow_fire_pending_idx on workflow_fire (fired_at) where launched_at is null;
