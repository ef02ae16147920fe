-- Retention (docs/operating-runs.md, "Retention"): a workspace's policy (PUT /api/v1/workspaces/{ws}/retention);
-- a workspace without a row keeps the platform's defaults (jobplane.retention.default-*-days).
create table api.workspace_retention (
    workspace text primary key,
    logs_days integer     not null check (logs_days between 1 and 3650),
    runs_days integer     not null check (runs_days between 1 and 3650),
    set_by    text        not null,
    set_at    timestamptz not null,
    check (runs_days >= logs_days)
);

-- When the policies were last announced to the read model (jobplane.workspace.retention): one row, so
-- that of all replicas' sweepers one claims each announcement (update … where due returning).
create table api.retention_announcement (
    id           integer primary key check (id = 1),
    announced_at timestamptz not null
);
insert into api.retention_announcement (id, announced_at) values (1, '-infinity');

-- The purge's batch: a workspace's ended runs, oldest end first (a run that never started ended when
-- it was requested). Partial, so an active run never enters it; a run gets its entry once, when it ends.
-- Built inside the migration's transaction (writes to the table wait meanwhile); on a large table build it
-- beforehand with "create index concurrently" and the same name and definition, and this one is skipped.
create index if not exists run_retention_idx on api.run (workspace, (coalesce(finished_at, requested_at)))
    where state in ('SUCCESS', 'FAILED', 'STOPPED', 'UNKNOWN');
