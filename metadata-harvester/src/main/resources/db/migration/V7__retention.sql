-- Retention: each workspace's policy as job-api last announced it (jobplane.workspace.retention), and how
-- far the purge of its log lines has got. A workspace with no row here is never purged.
create table runs.retention_policy (
    workspace    text primary key,
    logs_days    integer     not null,
    runs_days    integer     not null,
    policy       text        not null,
    announced_at timestamptz not null,
    -- Log lines of the workspace's runs that ended before (logs_purged_at, logs_purged_run) are gone:
    -- the logs purge goes on from there, in end order, and never reads a run twice.
    logs_purged_at  timestamptz not null default '-infinity',
    logs_purged_run text        not null default ''
);

-- The purges' batches: a workspace's ended runs in end order. A run gets its entry when it ends.
-- Built inside the migration's transaction (writes to the table wait meanwhile); on a large table build it
-- beforehand with "create index concurrently" and the same name and definition, and this one is skipped.
create index if not exists run_retention_idx on runs.run (workspace, finished_at, run_id) where finished_at is not null;
