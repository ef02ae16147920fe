-- GET .../runs searches every run of a workspace newest first by queued time (requested_at, then id)
-- in this table: it is written in the launch transaction, so a run is found as soon as its launch
-- answered. Every search starts with the workspace; with 1,000,000 runs each kind of search reads
-- a page's worth of index entries, not the workspace's runs:
--   run_search_idx             no filter, queued-time ranges, and the filters checked on the way
--                              (common statuses, triggers, users, tags, labels)
--   run_search_unfinished_idx  QUEUED / RUNNING / CANCELLING: few, and far apart among the others
--   run_search_ended_idx       one ended status (with another filter, e.g. STOPPED runs of a user)
--   run_search_started_idx,
--   run_search_finished_idx    narrow started / finished ranges anywhere in the past
-- (run_job_idx serves the job filter, run_tags_idx rare tags.) The partial indexes keep the write
-- cost down: a run takes an entry in the ended and finished indexes once, when it ends, and leaves
-- the unfinished one then.
create index run_search_idx on run (workspace, requested_at desc, id desc);
create index run_search_unfinished_idx on run (workspace, requested_at desc, id desc)
    where state in ('QUEUED', 'DISPATCHED', 'RUNNING', 'CANCELLING');
create index run_search_ended_idx on run (workspace, state, requested_at desc, id desc)
    where state in ('SUCCESS', 'FAILED', 'STOPPED');
create index run_search_started_idx on run (workspace, started_at) where started_at is not null;
create index run_search_finished_idx on run (workspace, finished_at) where finished_at is not null;
