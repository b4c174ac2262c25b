#!/usr/bin/env bash
# Evaluation-pass latency at fleet scale: 10,000 sessions x 24 h of reports, one per session per
# minute (14.4 M raw rows, with their rollups and session state), then timed evaluation passes.
# Target: a pass under 100 ms. Usage: bench/evaluator.sh [sessions] [hours] [passes]
source "$(dirname "$0")/lib.sh"

SESSIONS="${1:-10000}"
HOURS="${2:-24}"
PASSES="${3:-20}"
KEY=bench-evaluator

build_service
# Only the passes this script asks for are timed: no scheduled evaluator in the background.
start_service -Drollout.evaluator.enabled=false

api POST /api/v1/rollouts "{\"key\":\"$KEY\",\"canarySessions\":[\"s1\",\"s2\"]}" > /dev/null
api POST "/api/v1/rollouts/$KEY/start" '{"force":true,"reason":"benchmark"}' > /dev/null
api POST "/api/v1/rollouts/$KEY/advance" '{"force":true,"reason":"benchmark"}' > /dev/null

rows=$(seed_fleet "$KEY" "$SESSIONS" "$HOURS")

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
