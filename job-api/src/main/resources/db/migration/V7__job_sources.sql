-- Uploaded step packages of STEPS jobs (VDK's data-job sources), one row per version.
create table job_source (
    id          bigserial primary key,
    job_id      uuid        not null references job (id) on delete cascade,
    version     integer     not null,
    sha256      text        not null,
    size_bytes  integer     not null,
    steps       text[]      not null,
    content     bytea       not null,
    uploaded_at timestamptz not null,
    uploaded_by text        not null,
    constraint job_source_version_unique unique (job_id, version)
);
