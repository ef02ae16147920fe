-- API tokens: credentials for scripts, each for one workspace and one role, with an expiry.
-- The token's value is never stored: only the SHA-256 of its text, which is what a request's token
-- is looked up by. Revoked and expired tokens stay listed (and refused) until deleted by an operator.
create table api_token (
    id           uuid        primary key,
    workspace    text        not null,
    name         text        not null,
    description  text,
    role         text        not null check (role in ('VIEWER', 'OPERATOR', 'EDITOR', 'ADMIN')),
    token_hash   bytea       not null unique check (octet_length(token_hash) = 32),
    created_by   text        not null,
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   text
);
create index api_token_workspace_idx on api_token (workspace, created_at desc);
