-- STEPS jobs: properties (plain) and secrets (sealed) their steps see as environment variables,
-- and the step package version each run executes (pinned at launch, kept for its retries).
alter table job add column properties   text not null default '{}';
alter table job add column step_secrets text not null default '{}';
alter table run add column source_version integer;
