-- How far a task got: rows and bytes it read (jobplane.task.progress), growing within an attempt.
alter table task_run add column rows_processed bigint;
alter table task_run add column bytes_processed bigint;
