#!/usr/bin/env bash
# Latency of the charts' time series: 10,000 sessions x 24 h of reports (seeded as bench/evaluator.sh
# does: 14.4 M raw rows folded into per-minute rollups), then timed GET /api/v1/rollouts/{key}/metrics
# for 24 h at PT1M. Target: under 100 ms. Usage: bench/metrics-series.sh [sessions] [hours] [queries]
source "$(dirname "$0")/lib.sh"

SESSIONS="${1:-10000}"
HOURS="${2:-24}"
QUERIES="${3:-50}"
KEY=bench-metrics

command -v psql > /dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client > /dev/null; }
build_service
start_service -Drollout.evaluator.enabled=false
PGPASSWORD="$(embedded_pg_password)"
export PGPASSWORD
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(embedded_pg_port)" -U postgres -d postgres)

api POST /api/v1/rollouts "{\"key\":\"$KEY\",\"canarySessions\":[\"s1\",\"s2\"]}" > /dev/null
api POST "/api/v1/rollouts/$KEY/start" '{"force":true,"reason":"benchmark"}' > /dev/null

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
analyze;
SQL
echo "   seeded in $(( $(date +%s) - start )) s" >&2

to=$(date -u +%Y-%m-%dT%H:%M:00Z)
from=$(date -u -d "$to - $HOURS hours" +%Y-%m-%dT%H:%M:00Z)
url="$BASE_URL/api/v1/rollouts/$KEY/metrics?from=$from&to=$to&resolution=PT1M"
echo "== $QUERIES queries of $HOURS h at PT1M" >&2
for i in $(seq 1 "$QUERIES"); do
  curl -fsS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $ADMIN_TOKEN" "$url" >> "$OUT_DIR/metrics-series-times.txt"
done
python3 - "$rows" "$OUT_DIR/metrics-series-times.txt" <<'PY'
import json, statistics, sys
rows, times_file = sys.argv[1:]
times = sorted(float(line) * 1000 for line in open(times_file))
print(json.dumps({
    "raw_reports": int(rows),
    "queries": len(times),
    "median_ms": round(statistics.median(times), 2),
    "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
    "max_ms": round(times[-1], 2),
    "target_ms": 100,
}, indent=2))
PY
rm -f "$OUT_DIR/metrics-series-times.txt"
