-- Rollouts: one row each; the plan and canary list are documents read and written whole.
create table rollouts (
    key               varchar(63)  primary key,
    description       varchar(2000) not null default '',
    status            varchar(16)  not null check (status in ('DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED', 'ROLLED_BACK')),
    step_index        integer      not null check (step_index >= 0),
    plan              jsonb        not null,
    canary_sessions   jsonb        not null default '[]',
    auto_advance      boolean      not null default true,
    ready_to_advance  boolean      not null default false,
    version           bigint       not null check (version >= 1),
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    step_entered_at   timestamptz,
    env_prefix        varchar(64)  not null,
    flag_variable     varchar(64)  not null,
    stickiness_group  varchar(128)
);

-- API tokens: only the SHA-256 of the secret is stored.
create table api_tokens (
    id            uuid         primary key,
    name          varchar(100) not null,
    secret_hash   char(64)     not null unique,
    roles         varchar(200) not null,
    created_at    timestamptz  not null,
    created_by    varchar(100) not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create unique index api_tokens_active_name on api_tokens (name) where revoked_at is null;

-- The audit log. Append-only: the triggers below refuse UPDATE, DELETE and TRUNCATE.
create table rollout_events (
    id           bigserial    primary key,
    rollout_key  varchar(63),
    type         varchar(64)  not null,
    actor        varchar(100) not null,
    reason       varchar(2000),
    before       jsonb,
    after        jsonb,
    occurred_at  timestamptz  not null
);
create index rollout_events_by_rollout on rollout_events (rollout_key, id desc);

create function refuse_audit_change() returns trigger language plpgsql as $$
begin
    raise exception 'rollout_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger rollout_events_no_update before update or delete on rollout_events
    for each row execute function refuse_audit_change();
create trigger rollout_events_no_truncate before truncate on rollout_events
    for each statement execute function refuse_audit_change();
