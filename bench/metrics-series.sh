#!/usr/bin/env bash
# Latency of the charts' time series: 10,000 sessions x 24 h of reports (seed_fleet in bench/lib.sh:
# 14.4 M raw rows folded into per-minute rollups), then timed GET /api/v1/rollouts/{key}/metrics
# for 24 h at PT1M. Target: under 100 ms. Usage: bench/metrics-series.sh [sessions] [hours] [queries]
source "$(dirname "$0")/lib.sh"

SESSIONS="${1:-10000}"
HOURS="${2:-24}"
QUERIES="${3:-50}"
KEY=bench-metrics

build_service
start_service -Drollout.evaluator.enabled=false

api POST /api/v1/rollouts "{\"key\":\"$KEY\",\"canarySessions\":[\"s1\",\"s2\"]}" > /dev/null
api POST "/api/v1/rollouts/$KEY/start" '{"force":true,"reason":"benchmark"}' > /dev/null

rows=$(seed_fleet "$KEY" "$SESSIONS" "$HOURS")

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
