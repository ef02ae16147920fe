-- A workspace's own quotas (QuotaLimits as JSON; a field left out takes the deployment's value,
-- jobplane.quotas.*). They can only tighten the deployment's.
alter table workspace add column quotas text not null default '{}';
