-- VDK's control service API over the native core (docs/dialects/vdk.md). A VDK data job is a STEPS
-- job of the team's workspace, found by its name; what VDK keeps beside the native job lives here.

-- A STEPS job may pin the package version its runs execute (a VDK deployment's job_version);
-- without a pin a launch takes the newest version, as before.
alter table job add column pinned_source_version integer;

-- The job's VDK config (DataJobConfig: contacts, schedule, db_default_type, notification flags)
-- exactly as it was given, so that it is returned as VDK returns it.
create table vdk_job (
    job_id  uuid  primary key references job (id) on delete cascade,
    config  jsonb not null default '{}'
);

-- The job's one deployment: the package version it runs, whether its schedule fires, and what VDK
-- records of it. Its schedule is the native job's schedule; enabled + cron make it fire.
create table vdk_deployment (
    job_id          uuid        primary key references job (id) on delete cascade,
    deployment_id   text        not null check (length(deployment_id) between 1 and 255),
    job_version     text        not null,
    vdk_version     text,
    python_version  text        not null,
    mode            text        not null check (mode in ('testing', 'release')),
    enabled         boolean     not null,
    schedule_cron   text,
    resources       jsonb       not null default '{}',
    deployed_by     text        not null,
    deployed_at     timestamptz not null
);

-- What an execution started through VDK's API records beyond the native run: who VDK says started it,
-- the operation id of the call, and the deployment as it was when it started. Scheduled runs have none.
create table vdk_execution (
    run_id      uuid primary key references run (id) on delete cascade,
    job_id      uuid not null,
    started_by  text not null,
    op_id       text,
    deployment  jsonb not null
);
create index vdk_execution_job on vdk_execution (job_id);
