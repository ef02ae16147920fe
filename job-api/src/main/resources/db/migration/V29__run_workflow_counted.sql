-- Whether the run's success has counted for the workflows its job triggers. A run counts once in its
-- life: a real success (the run supervisor) or its first mark to SUCCESS; marking it FAILED and then
-- SUCCESS again does not count it a second time. A constant default: no table rewrite.
alter table run add column workflow_counted boolean not null default false;
