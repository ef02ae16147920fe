-- Runs carry the tags given at launch ("key=value", keys [A-Za-z0-9_.-]{1,63}, values of at most 256
-- characters, at most 20 per run), and a workspace's runs are searched newest first by their queued
-- time (requested_at, then id). The search reads this table: it is written in the launch transaction,
-- so a run is found as soon as its launch answered. Every search starts with the workspace, so one
-- index serves the unfiltered listing, queued-time ranges and the filters checked on the way
-- (status, trigger, requested_by, started and finished ranges); run_job_idx serves the job filter,
-- run_active_idx and run_waiting_idx the few unfinished runs; tags have a GIN index of their own
-- (runs without tags take no entry).
alter table run add column tags text[] not null default '{}';
create index run_search_idx on run (workspace, requested_at desc, id desc);
create index run_tags_idx on run using gin (tags) where tags <> '{}';
