-- Connection types beyond postgresql (mysql, hive_metastore, filesystem, http). Each row keeps the
-- fields of its type; secrets of any kind live sealed in `secrets` as {field: {key_id, ciphertext}}.
alter table connection alter column jdbc_url drop not null;
alter table connection add column base_path text;
alter table connection add column base_url text;
alter table connection add column headers text not null default '{}';
alter table connection add column secrets text not null default '{}';
update connection
   set secrets = json_build_object('password', json_build_object('key_id', password_key_id, 'ciphertext', password_ciphertext))::text
 where password_ciphertext is not null;
alter table connection drop column password_key_id;
alter table connection drop column password_ciphertext;

-- Every CData Sync job parameter, grouped as JSON (`settings`); LakeFormation's typed `parameter`
-- with its data-source secrets sealed apart in `secrets`.
alter table job add column source_connection_id uuid references connection (id);
alter table job add column pipeline_id text;
alter table job add column settings text not null default '{}';
alter table job add column parameter text;
alter table job add column secrets text not null default '{}';
create index job_source_connection_idx on job (source_connection_id);
create index job_destination_connection_idx on job (destination_connection_id);
