-- Schema `runs` belongs to metadata-harvester. `run` and `task_run` are a documented read model:
-- job-api reads them (read-only) to answer status queries. See metadata-harvester/README.md.

-- Status precedence, so duplicated or reordered events converge on the same row.
create function status_rank(status text) returns integer
    language sql immutable parallel safe as
$$
select case status
           when 'QUEUED' then 0
           when 'RUNNING' then 1
           when 'CANCELLING' then 2
           when 'SUCCESS' then 3
           when 'FAILED' then 3
           when 'STOPPED' then 3
           else -1
       end
$$;

-- For tasks, a state inferred from the run's end (SKIPPED, STOPPED) yields to the task's own outcome.
create function task_status_rank(status text) returns integer
    language sql immutable parallel safe as
$$
select case status
           when 'PENDING' then 0
           when 'RUNNING' then 1
           when 'SKIPPED' then 2
           when 'STOPPED' then 3
           when 'SUCCESS' then 4
           when 'FAILED' then 4
           else -1
       end
$$;

create table run (
    run_id        text primary key,
    workspace     text        not null,
    job_id        text,
    job_name      text,
    attempt       integer     not null default 1,
    status        text        not null,
    trigger       text,
    queued_at     timestamptz,
    started_at    timestamptz,
    finished_at   timestamptz,
    error_message text,
    worker_id     text,
    updated_at    timestamptz not null default now()
);
create index run_job_history_idx on run (workspace, job_id, queued_at desc);
create index run_workspace_status_idx on run (workspace, status);

create table task_run (
    run_id        text    not null references run (run_id) on delete cascade,
    task_id       text    not null,
    task_index    integer not null,
    attempt       integer not null default 1,
    status        text    not null,
    rows_affected bigint,
    error_message text,
    started_at    timestamptz,
    finished_at   timestamptz,
    primary key (run_id, task_id)
);
create index task_run_task_idx on task_run (task_id, started_at desc);
