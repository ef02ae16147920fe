-- History, last status and logs. Run ids are UUIDv7 strings: ordering them orders runs by launch time.
alter table run add column execution_date      timestamptz;
alter table run add column error_code          text;
alter table run add column cancel_requested_by text;

-- Job history (newest first, cursor = run id), with or without a status filter, and by execution date.
create index run_history_idx on run (workspace, job_id, run_id desc);
create index run_history_status_idx on run (workspace, job_id, status, run_id desc);
create index run_history_execution_idx on run (workspace, job_id, execution_date desc, run_id desc);
-- One task's history and the last run of every task.
create index task_run_history_idx on task_run (task_id, run_id desc);

-- Log lines of run attempts, size-capped per task by the workers.
create table run_log (
    run_id     text        not null,
    attempt    integer     not null,
    seq        bigint      not null,
    task_id    text,
    task_index integer,
    level      text        not null,
    message    text        not null,
    truncated  boolean     not null default false,
    at         timestamptz not null,
    primary key (run_id, attempt, seq)
);
