-- GET .../runs (job-api) searches every run of a workspace in this table, newest first by queued time
-- (queued_at desc, then run_id desc; a run without queued_at, whose queued event has not been applied
-- yet, is not listed). The queued event now carries what the search filters on besides the run's own
-- fields; like the run's other identity fields they are filled once and never overwritten:
alter table run add column tags         jsonb;  -- tags given at launch, key to value ('{}' when none)
alter table run add column requested_by text;   -- who launched: a token subject, 'scheduler', 'workflow <id>'
alter table run add column job_labels   jsonb;  -- the job's labels at launch, an array of strings

-- Each search reads about a page's worth of index entries, whatever the workspace's size:
--   run_search_idx             no filter, queued ranges, cursors, and the filters checked on the way
--                              (common statuses, triggers, labels and tags)
--   run_search_job_idx         one or a few jobs (a branch per job, merged)
--   run_search_status_idx      one status (e.g. FAILED), or a status with another filter
--   run_search_unfinished_idx  QUEUED / RUNNING / CANCELLING: few, and far apart among the ended ones
--   run_search_user_idx        one or a few users (a branch per user, merged)
--   run_search_started_idx     narrow started ranges anywhere in the past (finished ranges use the
--                              retention index on (workspace, finished_at, run_id), V7)
--   run_search_tags_idx,
--   run_search_labels_idx      rare tags and labels (containment, @>)
-- This is the read side: metadata-harvester writes it in batches, off the launch path.
create index run_search_idx on run (workspace, queued_at desc, run_id desc) where queued_at is not null;
create index run_search_job_idx on run (workspace, job_id, queued_at desc, run_id desc) where queued_at is not null;
create index run_search_status_idx on run (workspace, status, queued_at desc, run_id desc) where queued_at is not null;
create index run_search_unfinished_idx on run (workspace, queued_at desc, run_id desc)
    where queued_at is not null and status in ('QUEUED', 'RUNNING', 'CANCELLING');
create index run_search_user_idx on run (workspace, requested_by, queued_at desc, run_id desc)
    where queued_at is not null and requested_by is not null;
create index run_search_started_idx on run (workspace, started_at) where queued_at is not null and started_at is not null;
create index run_search_tags_idx on run using gin (tags jsonb_path_ops) where queued_at is not null and tags <> '{}';
create index run_search_labels_idx on run using gin (job_labels jsonb_path_ops)
    where queued_at is not null and job_labels <> '[]';
