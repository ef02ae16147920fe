-- Named concurrency pools of a workspace (PUT /api/v1/workspaces/{ws}/pools/{name}): a job that names
-- one (execution.pool) takes execution.pool_slots of its slots for each run from admission until the
-- run ends. A pool a job names cannot be deleted.
create table api.pool (
    workspace   text not null,
    name        text not null,
    slots       integer not null check (slots between 1 and 10000),
    description text,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    primary key (workspace, name)
);

-- The pool a run holds slots of, and how many, written when it is admitted (its job may change while
-- it runs); null for a run of a job without a pool. Admission sums them over the active runs.
alter table api.run add column pool text;
alter table api.run add column pool_slots integer;
-- Admission takes the due queued runs by priority (higher first), then in launch order.
alter table api.run add column priority integer not null default 0;

-- Admission's queue read, and a queued run's position, follow this index.
drop index api.run_waiting_idx;
create index run_waiting_idx on api.run (workspace, priority desc, id) where state = 'QUEUED';
