-- Schema `policy` belongs to policy-migrator: principals and grants materialised from
-- permission-migration runs. The materialisation arrives with the permission-migration jobs.

create table principal (
    id        text primary key,
    workspace text not null,
    name      text not null,
    type      text not null,
    source    text,
    constraint principal_name_unique unique (workspace, type, name)
);

create table "grant" (
    id            text primary key,
    workspace     text        not null,
    principal_id  text        not null references principal (id) on delete cascade,
    resource      text        not null,
    privilege     text        not null,
    source_run_id text,
    granted_at    timestamptz not null,
    constraint grant_unique unique (workspace, principal_id, resource, privilege)
);
create index grant_resource_idx on "grant" (workspace, resource);
