#!/usr/bin/env bash
# One evaluator pass when most rollouts are finished: 1,000 completed long ago (past the watch
# period, each with a journal) and 20 live ones. The pass selects the live rollouts in SQL and
# locks only those, so its time follows the 20, not the 1,020.
# Usage: bench/evaluator-many.sh [completed] [live] [passes]
source "$(dirname "$0")/lib.sh"

COMPLETED="${1:-1000}"
LIVE="${2:-20}"
PASSES="${3:-20}"

command -v psql > /dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client > /dev/null; }
build_service
# The scheduled evaluator runs every second; its whole pass is timed by rollout.evaluator.pass.duration.
start_service -Drollout.evaluator.interval=1s
PGPASSWORD="$(embedded_pg_password)"
export PGPASSWORD
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(embedded_pg_port)" -U postgres -d postgres)

echo "== $LIVE live rollouts (started, at the canary) and $COMPLETED completed 30 days ago" >&2
for i in $(seq 1 "$LIVE"); do
  api POST /api/v1/rollouts "{\"key\":\"live-$i\",\"canarySessions\":[\"s1\",\"s2\"]}" > /dev/null
  api POST "/api/v1/rollouts/live-$i/start" '{"force":true,"reason":"benchmark"}' > /dev/null
done
"${PSQL[@]}" <<SQL
set synchronous_commit = off;
insert into rollouts (key, description, status, step_index, plan, canary_sessions, auto_advance, ready_to_advance,
                      version, created_at, updated_at, step_entered_at, env_prefix, flag_variable)
select 'done-' || i, 'finished', 'COMPLETED', jsonb_array_length(plan -> 'steps') - 1, plan, canary_sessions, true, false,
       9, now() - interval '40 days', now() - interval '30 days', now() - interval '31 days', env_prefix, flag_variable
from rollouts, generate_series(1, $COMPLETED) i where key = 'live-1';
insert into evaluations (rollout_key, evaluated_at, rollout_version, status, step, action, reason, ready_to_advance,
                         exit_gates, entry_gates, triggers, streaks)
select r.key, r.updated_at - (n || ' minutes')::interval, 9, 'COMPLETED', 'full', 'NONE', 'completed: watched', false,
       '[]', '[]', '[]', '{}'
from rollouts r, generate_series(1, 20) n where r.key like 'done-%';
analyze;
SQL

# Passes before the seeding ran over the live rollouts alone: count from here.
metric() { grep "^$1" <<< "$2" | awk '{print $2}' | head -1; }
metrics=$(curl -fsS "$BASE_URL/q/metrics")
count0=$(metric rollout_evaluator_pass_duration_seconds_count "$metrics")
sum0=$(metric rollout_evaluator_pass_duration_seconds_sum "$metrics")
evaluations0=$(metric rollout_evaluations_total "$metrics")
echo "== waiting for $PASSES scheduled passes" >&2
for _ in $(seq 1 $((PASSES * 4))); do
  metrics=$(curl -fsS "$BASE_URL/q/metrics")
  count=$(metric rollout_evaluator_pass_duration_seconds_count "$metrics")
  if python3 -c "import sys; sys.exit(0 if float('${count:-0}') - float('${count0:-0}') >= $PASSES else 1)"; then
    break
  fi
  sleep 1
done
python3 - "$COMPLETED" "$LIVE" "${count0:-0}" "${sum0:-0}" "${evaluations0:-0}" \
  "$(metric rollout_evaluator_pass_duration_seconds_count "$metrics")" \
  "$(metric rollout_evaluator_pass_duration_seconds_sum "$metrics")" \
  "$(metric rollout_evaluations_total "$metrics")" <<'PY'
import json, sys
completed, live, count0, sum0, evaluations0, count, total, evaluations = sys.argv[1:]
passes = float(count) - float(count0)
print(json.dumps({
    "completed_rollouts": int(completed),
    "live_rollouts": int(live),
    "passes": int(passes),
    "rollouts_evaluated_per_pass": round((float(evaluations) - float(evaluations0)) / passes, 1),
    "mean_pass_ms": round((float(total) - float(sum0)) / passes * 1000, 2),
}, indent=2))
PY
