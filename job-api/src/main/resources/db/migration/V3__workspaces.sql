-- Workspace settings. Who may use a workspace is the token's business (its `workspaces` claim);
-- this table holds what the workspace itself is.
create table workspace (
    id           text primary key,
    display_name text        not null,
    description  text,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    created_by   text        not null,
    version      integer     not null default 0
);
