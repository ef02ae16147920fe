-- Run-end notifications: webhooks of a workspace (job_id null) or of one job, and every mail or
-- webhook delivery with its attempts.
create table webhook (
    id         uuid        primary key,
    workspace  text        not null,
    job_id     uuid        references job (id) on delete cascade,
    url        text        not null,
    -- Run statuses that trigger it (SUCCESS, FAILED, STOPPED); null: every run end.
    events     text[],
    -- The signing secret, sealed: {"key_id": ..., "ciphertext": ...}. Never returned.
    secret     text        not null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    created_by text        not null,
    version    integer     not null default 0
);
create index webhook_workspace_idx on webhook (workspace, job_id);

-- One notification of one run attempt's end to one target: the job's mail (target 'email') or a
-- webhook (target its id). Unique per run, attempt and target, so a redelivered run-finished event
-- adds nothing. Sent from here and tried again until delivered or out of attempts.
create table notification (
    id              bigserial   primary key,
    workspace       text        not null,
    run_id          uuid        not null,
    run_attempt     integer     not null,
    job_id          uuid,
    channel         text        not null,
    target          text        not null,
    webhook_id      uuid        references webhook (id) on delete cascade,
    -- What is sent, fixed when the run ended: the webhook's JSON body, or the mail's recipients,
    -- subject and text as JSON.
    payload         text        not null,
    -- PENDING (due at next_attempt_at), DELIVERED, FAILED (no attempts left, or refused).
    state           text        not null default 'PENDING',
    attempts        integer     not null default 0,
    next_attempt_at timestamptz,
    created_at      timestamptz not null default now(),
    constraint notification_once unique (run_id, run_attempt, target)
);
create index notification_due_idx on notification (next_attempt_at) where state = 'PENDING';
create index notification_webhook_idx on notification (webhook_id, id);

-- Each try of a notification: when, the receiver's status code or the error, and what followed.
create table notification_attempt (
    notification_id bigint      not null references notification (id) on delete cascade,
    attempt         integer     not null,
    at              timestamptz not null,
    status_code     integer,
    error           text,
    -- DELIVERED, RETRY (tried again at next_attempt_at), FAILED
    outcome         text        not null,
    next_attempt_at timestamptz,
    primary key (notification_id, attempt)
);
