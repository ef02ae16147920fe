-- A backfill launches one run per schedule tick of a range; it is cancelled as a whole.
create table backfill (
    id           uuid        primary key,
    workspace    text        not null,
    job_id       uuid        not null references job (id) on delete cascade,
    range_from   timestamptz not null,
    range_to     timestamptz not null,
    requested_by text        not null,
    requested_at timestamptz not null,
    cancelled_by text,
    cancelled_at timestamptz
);
create index backfill_job_idx on backfill (workspace, job_id);

alter table run add column backfill_id uuid references backfill (id) on delete cascade;
create index run_backfill_idx on run (backfill_id) where backfill_id is not null;
