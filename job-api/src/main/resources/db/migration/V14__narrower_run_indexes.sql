-- Every launch inserts a run and every run end updates it (a state change is never a HOT update), so
-- each index on api.run is written several times per run. The active runs are few (those held by
-- workers or on their way to one), so one partial index serves every question about them: active
-- runs of a job (a prefix), of a workspace, and the sweeper's search for silent workers (it reads
-- them all). last_seen_at is no longer indexed, so a heartbeat that changes nothing else is a HOT
-- update. Runs launched without an Idempotency-Key no longer take an entry in its unique index.
drop index run_active_job_idx;
drop index run_active_workspace_idx;
drop index run_heartbeat_idx;
create index run_active_idx on run (job_id, workspace) where state in ('DISPATCHED', 'RUNNING', 'CANCELLING');

alter table run drop constraint run_idempotency_unique;
create unique index run_idempotency_idx on run (workspace, job_id, idempotency_key) where idempotency_key is not null;
