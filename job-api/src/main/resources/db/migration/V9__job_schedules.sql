-- One row per job that fires on its own: schedule enabled, a cron, status ACTIVE. job-api keeps it
-- in step with the job in the transaction that changes the job. Every replica's scheduler claims
-- due rows with FOR UPDATE SKIP LOCKED, launches the tick's run (idempotency key
-- schedule:<job_id>:<tick epoch second>, so even a race makes one run) and moves next_fire_at on.
create table job_schedule (
    job_id         uuid        primary key references job (id) on delete cascade,
    workspace      text        not null,
    cron           text        not null,
    timezone       text        not null,
    -- SKIP or RUN_ONCE: what a scheduler that was down does with the ticks it missed.
    misfire_policy text        not null,
    next_fire_at   timestamptz not null,
    last_fired_at  timestamptz,
    updated_at     timestamptz not null
);
create index job_schedule_due_idx on job_schedule (next_fire_at, job_id);
