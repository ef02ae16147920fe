-- Every run is written to runs.run about twice (queued; started and ended), and every write of a
-- changed status is a new row version in each index. These two served no query: job history is
-- ordered by run id (UUIDv7, launch order), through run_history_idx and its status and
-- execution-date siblings, and no query asks for a workspace's runs by status alone.
drop index if exists run_job_history_idx;
drop index if exists run_workspace_status_idx;
