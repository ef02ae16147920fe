-- A job's Tailer identity (docs/dialects/tailer.md): the account, environment, configuration type
-- and configuration id by which Tailer's DAG API (/v1/dag/..., /v1/workflow/status,
-- /v1/configuration/status) names it. All four or none. The configuration id is the one of the
-- Tailer configuration file; table-to-table configurations are named in requests with the
-- environment appended ("<id>_<ENV>"), which the adapter strips before looking the job up.
alter table job
    add column tailer_account            text,
    add column tailer_environment        text,
    add column tailer_configuration_type text,
    add column tailer_configuration_id   text,
    add constraint job_tailer_identity_whole check (
        (tailer_account is null) = (tailer_environment is null)
        and (tailer_account is null) = (tailer_configuration_type is null)
        and (tailer_account is null) = (tailer_configuration_id is null));

-- One job per configuration in a workspace. Across workspaces the same identity may exist: a
-- request is resolved among the workspaces its token holds only, so no workspace learns of another's.
create unique index job_tailer_identity_unique
    on job (workspace, tailer_account, tailer_environment, tailer_configuration_id)
    where tailer_account is not null;
create index job_tailer_identity_lookup
    on job (tailer_account, tailer_environment, tailer_configuration_id)
    where tailer_account is not null;
