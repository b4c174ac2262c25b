-- Webhook subscriptions. The secret is kept as given: HMAC signing needs the key itself, so it cannot
-- be hashed like an API token (docs/decisions/0005-webhook-outbox.md). The API never returns it.
create table webhook_subscriptions (
    id          uuid          primary key,
    url         varchar(2000) not null,
    events      jsonb,                 -- notification types; null: every type, including ones added later
    format      varchar(8)    not null check (format in ('json', 'slack')),
    secret      varchar(256),
    rollouts    jsonb,                 -- rollout keys; null: every rollout
    created_at  timestamptz   not null,
    created_by  varchar(100)  not null
);

-- The outbox: one row per audit event and matching subscription, inserted in the transaction that
-- writes the event. Workers claim due rows with FOR UPDATE SKIP LOCKED and push next_attempt_at
-- forward by a lease, so a row whose worker dies becomes due again instead of being lost.
create table webhook_deliveries (
    id                bigserial    primary key,
    subscription_id   uuid         not null references webhook_subscriptions (id) on delete cascade,
    event_id          bigint       not null,  -- rollout_events.id, without a foreign key: TRUNCATE of the
                                             -- audit log must reach its append-only trigger, not a key check
    type              varchar(32)  not null,
    rollout_key       varchar(63),
    status            varchar(10)  not null check (status in ('PENDING', 'DELIVERED', 'DEAD')),
    attempts          integer      not null default 0 check (attempts >= 0),
    next_attempt_at   timestamptz,   -- PENDING: when it is due (while an attempt runs: when its lease ends)
    last_attempt_at   timestamptz,
    last_http_status  integer,
    last_error        varchar(500),
    created_at        timestamptz  not null,
    delivered_at      timestamptz,
    check ((status = 'PENDING') = (next_attempt_at is not null))
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at, id) where status = 'PENDING';
create index webhook_deliveries_by_subscription on webhook_deliveries (subscription_id, id desc);
