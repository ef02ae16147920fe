-- The catalog read model (schema `catalog`), built from jobplane.catalog-changes. A documented
-- interface: job-api reads these tables (read-only) to answer its catalog queries. Columns are only
-- ever added. See metadata-harvester/README.md, "The catalog read model".
--
-- Names are compared ignoring case: every object has a lower-cased key (`*_key`, collation "C" so
-- ordering, prefix filters and cursors are byte-wise) and the spelling last sent (`*_name`).

create table catalog.catalog_database (
    workspace     text collate "C" not null,
    catalog_key   text collate "C" not null,
    database_key  text collate "C" not null,
    catalog_name  text        not null,
    database_name text        not null,
    description   text,
    location      text,
    owner         text,
    parameters    jsonb       not null default '{}',
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    last_run_id   text,
    primary key (workspace, catalog_key, database_key)
);

create table catalog.catalog_table (
    workspace        text collate "C" not null,
    catalog_key      text collate "C" not null,
    database_key     text collate "C" not null,
    table_key        text collate "C" not null,
    catalog_name     text        not null,
    database_name    text        not null,
    table_name       text        not null,
    table_type       text,
    location         text,
    format           text,
    input_format     text,
    output_format    text,
    serde_library    text,
    serde_parameters jsonb       not null default '{}',
    columns          jsonb       not null default '[]',
    partition_keys   jsonb       not null default '[]',
    parameters       jsonb       not null default '{}',
    owner            text,
    stat_files       bigint,
    stat_bytes       bigint,
    stat_rows        bigint,
    warnings         jsonb       not null default '[]',
    schema_version   integer     not null default 1,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    last_run_id      text,
    primary key (workspace, catalog_key, database_key, table_key)
);

-- One row per schema a table has had: a new version only when its columns or partition keys change.
create table catalog.table_schema_version (
    workspace      text collate "C" not null,
    catalog_key    text collate "C" not null,
    database_key   text collate "C" not null,
    table_key      text collate "C" not null,
    version        integer     not null,
    columns        jsonb       not null,
    partition_keys jsonb       not null,
    created_at     timestamptz not null default now(),
    run_id         text,
    primary key (workspace, catalog_key, database_key, table_key, version)
);

-- A partition is identified by its values (case kept), in the order of the table's partition keys.
create table catalog.catalog_partition (
    workspace        text collate "C" not null,
    catalog_key      text collate "C" not null,
    database_key     text collate "C" not null,
    table_key        text collate "C" not null,
    partition_values text[] collate "C" not null,
    location         text,
    parameters       jsonb       not null default '{}',
    stat_files       bigint,
    stat_bytes       bigint,
    stat_rows        bigint,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    last_run_id      text,
    primary key (workspace, catalog_key, database_key, table_key, partition_values)
);

create table catalog.catalog_function (
    workspace     text collate "C" not null,
    catalog_key   text collate "C" not null,
    database_key  text collate "C" not null,
    function_key  text collate "C" not null,
    catalog_name  text        not null,
    database_name text        not null,
    function_name text        not null,
    class_name    text,
    owner         text,
    function_type text,
    resources     jsonb       not null default '[]',
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    last_run_id   text,
    primary key (workspace, catalog_key, database_key, function_key)
);

-- Records of a platform's own metadata, by kind (lower-cased), then source (the connection), then id.
create table catalog.platform_record (
    workspace   text collate "C" not null,
    kind        text collate "C" not null,
    source      text collate "C" not null,
    record_id   text collate "C" not null,
    json        jsonb       not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    last_run_id text,
    primary key (workspace, kind, source, record_id)
);

-- A replace (generation) in progress: its records wait here until the commit and all of them are in.
create table catalog.platform_staged_record (
    workspace  text collate "C" not null,
    kind       text collate "C" not null,
    source     text collate "C" not null,
    generation text collate "C" not null,
    record_id  text collate "C" not null,
    json       jsonb       not null,
    staged_at  timestamptz not null default now(),
    primary key (workspace, kind, source, generation, record_id)
);

-- The commit of a replace: how many records it holds, who sent it, and when it was swapped in.
create table catalog.platform_generation (
    workspace        text collate "C" not null,
    kind             text collate "C" not null,
    source           text collate "C" not null,
    generation       text collate "C" not null,
    expected_records bigint      not null,
    run_id           text        not null,
    attempt          integer     not null,
    observed_at      timestamptz,
    committed_at     timestamptz not null default now(),
    swapped_at       timestamptz,
    superseded       boolean     not null default false,
    primary key (workspace, kind, source, generation)
);

-- The ids of the events applied, per run and attempt: a redelivered event is neither applied nor counted again.
create table catalog.applied_event (
    run_id     text collate "C" not null,
    attempt    integer     not null,
    event_id   text collate "C" not null,
    workspace  text        not null,
    event_type text        not null,
    applied_at timestamptz not null default now(),
    primary key (run_id, attempt, event_id)
);

-- What a run did, per kind: databases, tables, partitions, columns, functions, platform_records.
create table catalog.run_report (
    workspace text collate "C" not null,
    run_id    text collate "C" not null,
    attempt   integer not null,
    kind      text collate "C" not null,
    added     bigint  not null default 0,
    changed   bigint  not null default 0,
    unchanged bigint  not null default 0,
    skipped   bigint  not null default 0,
    removed   bigint  not null default 0,
    primary key (workspace, run_id, attempt, kind)
);

-- How many events of each type of a run were applied (a commit once its replace is done).
create table catalog.run_report_event (
    workspace  text collate "C" not null,
    run_id     text collate "C" not null,
    attempt    integer not null,
    event_type text collate "C" not null,
    applied    bigint  not null default 0,
    primary key (workspace, run_id, attempt, event_type)
);

-- A run's jobplane.catalog.run.completed: how many events of each type it sent.
create table catalog.run_completion (
    workspace    text collate "C" not null,
    run_id       text collate "C" not null,
    attempt      integer     not null,
    emitted      jsonb       not null,
    completed_at timestamptz not null default now(),
    primary key (workspace, run_id, attempt)
);
