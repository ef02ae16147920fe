-- Who changed what, when: one row per change, written in the transaction of the change.
create table audit_event (
    id          bigserial primary key,
    workspace   text        not null,
    actor       text        not null,
    action      text        not null,
    object_type text        not null,
    object_id   text        not null,
    at          timestamptz not null,
    -- The changed fields with their new values; secrets appear only as "(changed)".
    details     text
);
create index audit_event_workspace_idx on audit_event (workspace, id desc);

alter table job add column description text;
alter table job add column labels varchar(63)[] not null default '{}';

-- A deleted job takes its launch records with it; its runs stay in the run read model.
alter table run drop constraint run_job_id_fkey;
alter table run add constraint run_job_id_fkey foreign key (job_id) references job (id) on delete cascade;
