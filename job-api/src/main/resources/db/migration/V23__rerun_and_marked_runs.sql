-- Run operations: a rerun names the run it reruns (rerun_of); an operator may set an ended run's
-- status with a reason (marked_*); a queued run may have tasks skipped before it starts.
alter table api.run
    add column rerun_of uuid,
    add column marked_status text,
    add column marked_reason text,
    add column marked_by text,
    add column marked_at timestamptz,
    add column skipped_task_ids uuid[];
create index run_rerun_of on api.run (rerun_of) where rerun_of is not null;
