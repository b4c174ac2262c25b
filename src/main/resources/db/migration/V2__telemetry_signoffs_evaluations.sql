-- Raw daemon reports: the dedup key and the source of truth, kept for rollout.telemetry.retention.
create table telemetry_reports (
    report_id          uuid         primary key,
    rollout_key        varchar(63)  not null references rollouts (key),
    session_id         varchar(128) not null,
    path               varchar(6)   not null check (path in ('new', 'legacy')),
    period_start       timestamptz  not null,
    period_end         timestamptz  not null,
    cycles             bigint       not null,
    errors             bigint       not null,
    cycle_time_p50_ms  double precision not null,
    cycle_time_p95_ms  double precision not null,
    cycle_time_max_ms  double precision not null,
    memory_bytes       bigint       not null,
    cpu_percent        double precision not null,
    flag_version       bigint,
    received_at        timestamptz  not null
);
create index telemetry_reports_by_age on telemetry_reports (period_end);

-- Per-minute aggregates per rollout and path, maintained on ingest: what the evaluator reads, so a
-- pass costs the same whether 10 or 10,000 sessions report. Kept after raw reports expire.
create table telemetry_rollups (
    rollout_key        varchar(63)  not null,
    path               varchar(6)   not null,
    minute             timestamptz  not null,
    reports            bigint       not null,
    cycles             bigint       not null,
    errors             bigint       not null,
    p95_weighted_sum   double precision not null,  -- Σ cycle_time_p95_ms × cycles
    cycle_time_max_ms  double precision not null,
    memory_max_bytes   bigint       not null,
    cpu_sum            double precision not null,
    primary key (rollout_key, path, minute)
);

-- Per-session state for growth and convergence checks (one row per session and path).
create table telemetry_sessions (
    rollout_key        varchar(63)  not null,
    session_id         varchar(128) not null,
    path               varchar(6)   not null,
    first_seen         timestamptz  not null,
    last_seen          timestamptz  not null,
    first_memory_bytes bigint       not null,
    last_memory_bytes  bigint       not null,
    flag_version       bigint,
    primary key (rollout_key, session_id, path)
);
create index telemetry_sessions_recent on telemetry_sessions (rollout_key, path, last_seen);

create table smoke_results (
    id           bigserial    primary key,
    rollout_key  varchar(63)  not null references rollouts (key),
    check_name   varchar(32)  not null,
    passed       boolean      not null,
    value        double precision,
    unit         varchar(32)  not null default '',
    session_id   varchar(128) not null default '',
    at           timestamptz  not null,
    received_at  timestamptz  not null,
    unique (rollout_key, check_name, session_id, at)
);
create index smoke_results_latest on smoke_results (rollout_key, check_name, at desc);

create table shadow_comparisons (
    id           bigserial    primary key,
    rollout_key  varchar(63)  not null references rollouts (key),
    session_id   varchar(128) not null,
    category     varchar(16)  not null,
    comparisons  bigint       not null,
    mismatches   bigint       not null,
    period_start timestamptz  not null,
    period_end   timestamptz  not null,
    received_at  timestamptz  not null,
    unique (rollout_key, session_id, category, period_start, period_end)
);
create index shadow_comparisons_window on shadow_comparisons (rollout_key, category, period_end);

create table signals (
    id           bigserial    primary key,
    rollout_key  varchar(63)  not null references rollouts (key),
    type         varchar(32)  not null,
    count        integer      not null,
    ref          varchar(200) not null default '',
    at           timestamptz  not null,
    received_at  timestamptz  not null,
    unique (rollout_key, type, ref, at)
);
create index signals_window on signals (rollout_key, type, at);

create table sign_offs (
    id            bigserial    primary key,
    rollout_key   varchar(63)  not null references rollouts (key),
    step          varchar(63)  not null,
    role          varchar(32)  not null,
    actor         varchar(100) not null,
    comment       varchar(2000),
    signed_at     timestamptz  not null,
    withdrawn_at  timestamptz,
    withdrawn_by  varchar(100)
);
create unique index sign_offs_active on sign_offs (rollout_key, step, role) where withdrawn_at is null;

-- The baseline captured when a rollout leaves a step (or set by an operator): metric -> value.
create table baselines (
    rollout_key  varchar(63)  primary key references rollouts (key),
    metrics      jsonb        not null,
    source       varchar(16)  not null,
    step         varchar(63),
    captured_at  timestamptz  not null
);

-- The decision journal: one row per evaluation pass of a rollout.
create table evaluations (
    id               bigserial    primary key,
    rollout_key      varchar(63)  not null references rollouts (key),
    evaluated_at     timestamptz  not null,
    rollout_version  bigint       not null,
    status           varchar(16)  not null,
    step             varchar(63)  not null,
    action           varchar(16)  not null,
    reason           varchar(4000) not null,
    ready_to_advance boolean      not null,
    exit_gates       jsonb        not null,
    entry_gates      jsonb        not null,
    triggers         jsonb        not null,
    streaks          jsonb        not null,
    convergence      jsonb
);
create index evaluations_by_rollout on evaluations (rollout_key, id desc);

-- When each step was reached by most reporting sessions (convergence), per rollout version.
alter table rollouts add column converged_at timestamptz;
