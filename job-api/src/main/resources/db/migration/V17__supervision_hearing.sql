-- What each job-api replica's run supervision has heard of jobplane.run-events (RunSupervisor,
-- SupervisionHearing): the partitions it follows, up to when it recorded every event that reached
-- them, and since when it has heard without a break. The sweeper judges a silent worker lost only
-- while every partition is followed by a replica that has been hearing for the whole window.
create table supervision_hearing (
    replica          text primary key,
    partitions       integer[] not null,
    partition_count  integer not null,
    heard_up_to      timestamptz,
    hearing_since    timestamptz,
    looked_at        timestamptz not null
);
