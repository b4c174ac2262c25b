-- Evaluator leadership as a lease (replaces the session advisory lock): one row, taken by the
-- replica that finds it free or expired, renewed while held. Expiry is computed by the database's
-- clock only, so the replicas' clocks never matter. The epoch grows by one at each take-over and is
-- the fencing token: a decision applies only in a transaction that finds its holder and epoch
-- still current (see EvaluatorLease).
create table evaluator_lease (
    name         varchar(32)  primary key,
    holder       varchar(200),
    epoch        bigint       not null,
    acquired_at  timestamptz,
    renewed_at   timestamptz,
    expires_at   timestamptz  not null
);
insert into evaluator_lease (name, holder, epoch, expires_at) values ('evaluator', null, 0, '-infinity');

-- The lease epoch of the leader that made each automatic decision (null for an operator's evaluate-now).
alter table evaluations add column lease_epoch bigint;
