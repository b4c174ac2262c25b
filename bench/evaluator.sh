#!/usr/bin/env bash
# Evaluation-pass latency at fleet scale: 10,000 sessions x 24 h of reports, one per session per
# minute (14.4 M raw rows, with their rollups and session state), then timed evaluation passes.
# Target: a pass under 100 ms. Usage: bench/evaluator.sh [sessions] [hours] [passes]
source "$(dirname "$0")/lib.sh"

SESSIONS="${1:-10000}"
HOURS="${2:-24}"
PASSES="${3:-20}"
KEY=bench-evaluator

command -v psql > /dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client > /dev/null; }
build_service
# Only the passes this script asks for are timed: no scheduled evaluator in the background.
start_service -Drollout.evaluator.enabled=false
PGPASSWORD="$(embedded_pg_password)"
export PGPASSWORD
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(embedded_pg_port)" -U postgres -d postgres)

api POST /api/v1/rollouts "{\"key\":\"$KEY\",\"canarySessions\":[\"s1\",\"s2\"]}" > /dev/null
api POST "/api/v1/rollouts/$KEY/start" '{"force":true,"reason":"benchmark"}' > /dev/null
api POST "/api/v1/rollouts/$KEY/advance" '{"force":true,"reason":"benchmark"}' > /dev/null

rows=$((SESSIONS * HOURS * 60))
echo "== seeding $SESSIONS sessions x $HOURS h = $rows raw reports (half new, half legacy)" >&2
start=$(date +%s)
"${PSQL[@]}" <<SQL
set synchronous_commit = off;
insert into telemetry_reports (report_id, rollout_key, session_id, path, period_start, period_end, cycles, errors,
    cycle_time_p50_ms, cycle_time_p95_ms, cycle_time_max_ms, memory_bytes, cpu_percent, flag_version, received_at)
select gen_random_uuid(), '$KEY', 's' || s, case when s % 2 = 0 then 'new' else 'legacy' end,
       t - interval '1 minute', t, 60, (random() < 0.0005)::int, 12, 40 + random() * 5, 90, 200000000 + s, 4.5, 3, t
from generate_series(1, $SESSIONS) s,
     generate_series(date_trunc('minute', now()) - interval '$HOURS hours' + interval '1 minute', date_trunc('minute', now()), interval '1 minute') t;
insert into telemetry_rollups
select rollout_key, path, date_trunc('minute', period_end), count(*), sum(cycles), sum(errors),
       sum(cycle_time_p95_ms * cycles), max(cycle_time_max_ms), max(memory_bytes), sum(cpu_percent)
from telemetry_reports where rollout_key = '$KEY' group by 1, 2, 3;
insert into telemetry_sessions
select rollout_key, session_id, path, min(period_end), max(period_end), min(memory_bytes), max(memory_bytes), max(flag_version)
from telemetry_reports where rollout_key = '$KEY' group by 1, 2, 3;
analyze;
SQL
echo "   seeded in $(( $(date +%s) - start )) s" >&2

echo "== $PASSES evaluation passes (POST /evaluate; server time from the rollout.evaluation.duration timer)" >&2
for i in $(seq 1 "$PASSES"); do
  curl -fsS -o /dev/null -w '%{time_total}\n' -X POST -H "Authorization: Bearer $ADMIN_TOKEN" \
    "$BASE_URL/api/v1/rollouts/$KEY/evaluate" >> "$OUT_DIR/evaluator-client-times.txt"
done
metrics=$(curl -fsS "$BASE_URL/q/metrics")
count=$(grep '^rollout_evaluation_duration_seconds_count' <<< "$metrics" | awk '{print $2}')
sum=$(grep '^rollout_evaluation_duration_seconds_sum' <<< "$metrics" | awk '{print $2}')
max=$(grep '^rollout_evaluation_duration_seconds_max' <<< "$metrics" | awk '{print $2}')
python3 - "$rows" "$count" "$sum" "$max" "$OUT_DIR/evaluator-client-times.txt" <<'PY'
import json, statistics, sys
rows, count, total, worst, times_file = sys.argv[1:]
times = sorted(float(line) * 1000 for line in open(times_file))
print(json.dumps({
    "raw_reports": int(rows),
    "passes": int(float(count)),
    "server_mean_pass_ms": round(float(total) / float(count) * 1000, 2),
    "server_max_pass_ms": round(float(worst) * 1000, 2),
    "http_round_trip_median_ms": round(statistics.median(times), 2),
    "http_round_trip_max_ms": round(times[-1], 2),
    "target_ms": 100,
}, indent=2))
PY
rm -f "$OUT_DIR/evaluator-client-times.txt"
