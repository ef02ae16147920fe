-- A workspace's own cap on active runs; null: the deployment's default
-- (jobplane.runs.max-active-per-workspace, itself absent = no cap).
alter table workspace add column max_active_runs integer check (max_active_runs between 1 and 100000);
