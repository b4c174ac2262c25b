-- An evaluation pass whose decision could not be applied (a database error, a version race) is
-- journaled too: the decided action, and what went wrong. Null when the pass applied its decision.
alter table evaluations add column failure varchar(1000);

-- The journal's retention deletes old entries that changed nothing; this finds them without a scan.
create index evaluations_quiet_by_time on evaluations (evaluated_at) where action = 'NONE' and failure is null;

-- The evaluator's pass selects the live rollouts in SQL.
create index rollouts_live on rollouts (status, updated_at) where status in ('ACTIVE', 'PAUSED', 'COMPLETED');
