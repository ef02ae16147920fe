-- The grants read model (policy-migrator/README.md): an origin's grants, staged by generation and made
-- the origin's whole set in one transaction; the principals they name; each run's report. job-api reads
-- these tables (its grant queries); only policy-migrator writes them.
-- V1's placeholder tables were never used.
drop table "grant";
drop table principal;

-- Everyone a grant names, once per (type, source, name); removed when no grant names them any more.
create table policy.principal (
    workspace     text collate "C" not null,
    type          text collate "C" not null,
    source        text collate "C" not null,
    name          text collate "C" not null,
    first_seen_at timestamptz not null default now(),
    primary key (workspace, type, source, name)
);
create index principal_name_idx on policy.principal (workspace, name);

-- An origin's grants. grant_key identifies a grant within its origin: a digest of every field below
-- but the times and the run (principal, resource, privilege, grant option, provenance).
create table policy.grants (
    workspace        text collate "C" not null,
    origin           text collate "C" not null,
    grant_key        text collate "C" not null,
    principal_type   text collate "C" not null,
    principal_source text collate "C" not null,
    principal_name   text collate "C" not null,
    -- A catalog object (names as the policy wrote them; null below the level granted) or a location.
    res_catalog      text,
    res_database     text,
    res_table        text,
    res_column       text,
    res_location     text,
    res_pattern      boolean not null,
    privilege        text collate "C" not null,
    grant_option     boolean not null,
    prov_file        text,
    prov_policy_id   text,
    prov_policy_name text,
    prov_item        text,
    granted_at       timestamptz not null default now(),
    -- The run whose set granted it (a grant that stays is not written again).
    last_run_id      text not null,
    primary key (workspace, origin, grant_key)
);
-- Listing a workspace's grants in key order (cursor paging), a principal's, a privilege's.
create index grant_page_idx on policy.grants (workspace, grant_key, origin);
create index grant_principal_idx on policy.grants (workspace, principal_name, principal_type);
-- Grants on a table and what covers it: by lower-cased names; patterns and locations are few and scanned.
create index grant_object_idx on policy.grants (workspace, lower(res_catalog), lower(res_database), lower(res_table));
create index grant_pattern_idx on policy.grants (workspace) where res_pattern;

-- A generation's grants wait here until its commit and all of them are in.
create table policy.staged_grant (
    workspace        text collate "C" not null,
    origin           text collate "C" not null,
    generation       text collate "C" not null,
    grant_key        text collate "C" not null,
    principal_type   text not null,
    principal_source text not null,
    principal_name   text not null,
    res_catalog      text,
    res_database     text,
    res_table        text,
    res_column       text,
    res_location     text,
    res_pattern      boolean not null,
    privilege        text not null,
    grant_option     boolean not null,
    prov_file        text,
    prov_policy_id   text,
    prov_policy_name text,
    prov_item        text,
    staged_at        timestamptz not null default now(),
    primary key (workspace, origin, generation, grant_key)
);

-- The commit of a generation: how many distinct grants it holds, who sent it, when it was applied.
create table policy.grant_generation (
    workspace       text collate "C" not null,
    origin          text collate "C" not null,
    generation      text collate "C" not null,
    expected_grants bigint      not null,
    run_id          text        not null,
    attempt         integer     not null,
    observed_at     timestamptz,
    committed_at    timestamptz not null default now(),
    applied_at      timestamptz,
    -- Applied after a later generation of the origin: dropped, the later set stays.
    superseded      boolean     not null default false,
    primary key (workspace, origin, generation)
);
create index grant_generation_run_idx on policy.grant_generation (workspace, run_id);

-- Events applied, so a redelivered one is applied (and counted) once.
create table policy.applied_event (
    run_id     text collate "C" not null,
    attempt    integer     not null,
    event_id   text collate "C" not null,
    workspace  text        not null,
    event_type text        not null,
    applied_at timestamptz not null default now(),
    primary key (run_id, attempt, event_id)
);

-- What a run did: grants its sets added, revoked and left unchanged, and its completion.
create table policy.run_report (
    workspace          text collate "C" not null,
    run_id             text collate "C" not null,
    attempt            integer not null,
    origin             text    not null,
    grants_added       bigint  not null default 0,
    grants_revoked     bigint  not null default 0,
    grants_unchanged   bigint  not null default 0,
    generations_applied integer not null default 0,
    -- From the run's completion: the grants it found and items it left out.
    reported_grants    bigint,
    reported_left_out  bigint,
    completed_at       timestamptz,
    primary key (workspace, run_id, attempt)
);

-- The items a run left out, in the order they came.
create table policy.run_report_entry (
    id          bigserial primary key,
    workspace   text collate "C" not null,
    run_id      text collate "C" not null,
    attempt     integer not null,
    origin      text    not null,
    file        text,
    policy_id   text,
    policy_name text,
    item        text,
    kind        text    not null,
    reason      text    not null
);
create index run_report_entry_run_idx on policy.run_report_entry (workspace, run_id, attempt, id);
