-- Every version of a rollout's plan (issue 13): version 1 is the plan the rollout was created with,
-- each accepted PUT .../plan adds the next. Append-only, like the audit log: a past plan is the
-- record of what the evaluator judged with, so it is never rewritten.
create table plan_versions (
    id           bigserial     primary key,
    rollout_key  varchar(63)   not null references rollouts (key),
    version      integer       not null,
    plan         jsonb         not null,
    changed_at   timestamptz   not null,
    changed_by   varchar(100)  not null,
    reason       varchar(2000),
    unique (rollout_key, version)
);

create function plan_versions_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'plan_versions is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger plan_versions_append_only before update or delete on plan_versions
    for each row execute function plan_versions_append_only();

-- Existing rollouts: their plan has never changed, so it is version 1, by whoever created the rollout.
insert into plan_versions (rollout_key, version, plan, changed_at, changed_by)
select r.key, 1, r.plan, r.created_at,
       coalesce((select e.actor from rollout_events e
                 where e.rollout_key = r.key and e.type = 'rollout.created' order by e.id limit 1), 'unknown')
from rollouts r;

-- The plan version in force, next to the plan it numbers.
alter table rollouts add column plan_version integer not null default 1;

-- Each journal entry names the plan version it judged with; every earlier entry judged with version 1.
alter table evaluations add column plan_version integer not null default 1;
