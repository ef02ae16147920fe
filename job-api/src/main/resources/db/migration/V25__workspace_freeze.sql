-- A workspace's freeze window (PUT /api/v1/workspaces/{ws}/freeze): from starts_at until ends_at no
-- new run is admitted; launches wait QUEUED (mode WAIT) or are refused (REFUSE), and schedules do not
-- fire (at the end their misfire policy decides). One window per workspace; deleting it ends it.
create table api.workspace_freeze (
    workspace text primary key,
    starts_at timestamptz not null,
    ends_at   timestamptz not null,
    mode      text not null check (mode in ('WAIT', 'REFUSE')),
    reason    text not null,
    set_by    text not null,
    set_at    timestamptz not null,
    check (ends_at > starts_at)
);
