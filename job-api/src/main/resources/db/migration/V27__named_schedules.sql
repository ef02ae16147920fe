-- Several schedules per job: a row per schedule that fires, keyed by (job_id, name). A job's single
-- `schedule` is its schedule named 'default', so every existing row becomes that one and keeps its
-- pending tick. overlap_policy says what a tick does while the job has a run that has not ended
-- (ALLOW, SKIP, BUFFER_ONE, CANCEL_OTHER); ALLOW is what every schedule did before.
alter table job_schedule add column name text not null default 'default';
alter table job_schedule add column overlap_policy text not null default 'ALLOW';
alter table job_schedule alter column name drop default;
alter table job_schedule drop constraint job_schedule_pkey;
alter table job_schedule add primary key (job_id, name);
drop index job_schedule_due_idx;
create index job_schedule_due_idx on job_schedule (next_fire_at, job_id, name);
