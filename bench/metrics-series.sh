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
# GC pauses go to a log of their own, so a slow query can be told apart from a collection.
GC_LOG="$OUT_DIR/metrics-series-gc.log"
rm -f "$GC_LOG"
start_service -Drollout.evaluator.enabled=false "-Xlog:gc:file=$GC_LOG:uptime"

api POST /api/v1/rollouts "{\"key\":\"$KEY\",\"canarySessions\":[\"s1\",\"s2\"]}" > /dev/null
api POST "/api/v1/rollouts/$KEY/start" '{"force":true,"reason":"benchmark"}' > /dev/null

rows=$(seed_fleet "$KEY" "$SESSIONS" "$HOURS")

to=$(date -u +%Y-%m-%dT%H:%M:00Z)
from=$(date -u -d "$to - $HOURS hours" +%Y-%m-%dT%H:%M:00Z)
url="$BASE_URL/api/v1/rollouts/$KEY/metrics?from=$from&to=$to&resolution=PT1M"
query() {
  curl -fsS -o /dev/null -w '%{time_total} %{size_download}\n' -H "Authorization: Bearer $ADMIN_TOKEN" "$url"
}
# The first query after start pays for class loading and a cold JIT: reported apart, not in the figures.
first=$(query)
echo "== $QUERIES queries of $HOURS h at PT1M" >&2
gc_before=$(grep -c 'Pause' "$GC_LOG" || true)
load_before=$(cut -d' ' -f1 /proc/loadavg)
for i in $(seq 1 "$QUERIES"); do
  query >> "$OUT_DIR/metrics-series-times.txt"
done
load_after=$(cut -d' ' -f1 /proc/loadavg)
gc_pauses=$(tail -n +"$((gc_before + 1))" "$GC_LOG" | grep 'Pause' || true)
python3 - "$rows" "$OUT_DIR/metrics-series-times.txt" "$first" "$load_before" "$load_after" "$(nproc)" "$gc_pauses" <<'PY'
import json, re, statistics, sys
rows, times_file, first, load_before, load_after, cores, gc = sys.argv[1:]
runs = [line.split() for line in open(times_file)]
in_order = [float(t) * 1000 for t, _ in runs]
times = sorted(in_order)
pauses = [float(ms) for ms in re.findall(r"([0-9.]+)ms", gc)]
print(json.dumps({
    "raw_reports": int(rows),
    "queries": len(times),
    "response_bytes": int(runs[0][1]),
    "first_query_ms": round(float(first.split()[0]) * 1000, 2),
    "median_ms": round(statistics.median(times), 2),
    "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
    "max_ms": round(times[-1], 2),
    "over_target": [[i + 1, round(t, 1)] for i, t in enumerate(in_order) if t > 100],
    "gc_pauses_during_queries": len(pauses),
    "gc_pause_max_ms": max(pauses, default=0),
    "load_average_1m": [float(load_before), float(load_after)],
    "cores": int(cores),
    "target_ms": 100,
}, indent=2))
PY
rm -f "$OUT_DIR/metrics-series-times.txt"
