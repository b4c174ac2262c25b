-- A draft may carry the instant the evaluator starts it (null: started by hand), and when the
-- rollout.starting-soon notice went out for that schedule (null: not yet; cleared when the schedule moves).
alter table rollouts add column start_at timestamptz;
alter table rollouts add column starting_soon_sent_at timestamptz;

-- The evaluator selects scheduled drafts on every pass: only those rows, by their start.
create index rollouts_scheduled_start on rollouts (start_at) where status = 'DRAFT' and start_at is not null;
