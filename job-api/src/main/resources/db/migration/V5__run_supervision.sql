-- The API supervises each run from launch to end: admission under concurrency limits, dispatch to
-- workers, heartbeats, lost workers, cancels. `state` is the run's place in that life:
--   QUEUED      waiting for admission (a concurrency limit, or a retry's backoff: not_before)
--   DISPATCHED  its launch command is on its way to, or held by, a worker
--   RUNNING     a worker started it
--   CANCELLING  a cancel was sent to its worker
--   SUCCESS, FAILED, STOPPED  ended; UNKNOWN for runs launched before supervision existed
alter table run add column state               text        not null default 'QUEUED';
alter table run add column execution_date      timestamptz;
alter table run add column parameters          text        not null default '{}';
alter table run add column task_ids            uuid[];
alter table run add column not_before          timestamptz;
alter table run add column dispatched_at       timestamptz;
alter table run add column started_at          timestamptz;
alter table run add column last_seen_at        timestamptz;
alter table run add column finished_at         timestamptz;
alter table run add column worker_id           text;
alter table run add column error_code          text;
alter table run add column cancel_requested_by text;
update run set state = 'UNKNOWN';

create index run_active_job_idx on run (job_id) where state in ('DISPATCHED', 'RUNNING', 'CANCELLING');
create index run_active_workspace_idx on run (workspace) where state in ('DISPATCHED', 'RUNNING', 'CANCELLING');
create index run_waiting_idx on run (workspace, id) where state = 'QUEUED';
create index run_heartbeat_idx on run (last_seen_at) where state in ('DISPATCHED', 'RUNNING', 'CANCELLING');
