-- Runs carry the tags given at launch as "key=value" (keys [A-Za-z0-9_.-]{1,63} hold no '=', values of
-- at most 256 characters, at most 20 per run), sorted by key. Runs without tags take no entry in
-- their GIN index; a search for tags says tags <> '{}' to use it.
alter table run add column tags text[] not null default '{}';
create index run_tags_idx on run using gin (tags) where tags <> '{}';
