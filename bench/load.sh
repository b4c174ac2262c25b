#!/usr/bin/env bash
# The daemon load test: a simulated fleet against the packaged service (evaluator at its default 10 s), a rollout at
# 50% so both paths run, and for each run the service's CPU (from /proc ticks over the steady state, warm-up and
# read-back excluded), its peak and final RSS, the embedded PostgreSQL's CPU, the simulator's p99 latency of flag
# reads and report posts, failed requests and lost reports. Medians over RUNS fresh services.
#   bench/load.sh        500 sessions (50 daemons x 10), each polling its flags every second with If-None-Match
#                        (per-session GET) and reporting every 10 s
#   bench/load.sh 10k    10,000 sessions (1,000 daemons x 10), each daemon polling the fleet view every second with
#                        If-None-Match and deciding for its sessions in one bulk request when it changed
# Environment: DURATION (seconds, 300), RUNS (3), HOSTS, SESSIONS_PER_HOST, POLL_MODE (session|host|stream),
# POLL_INTERVAL (1), REPORT_INTERVAL (10), SIM_THREADS (8). Targets: CPU < 50%, RSS < 512 MB, 0 errors, 0 lost.
source "$(dirname "$0")/lib.sh"

VARIANT="${1:-500}"
case "$VARIANT" in
  500) HOSTS="${HOSTS:-50}"; SESSIONS_PER_HOST="${SESSIONS_PER_HOST:-10}"; POLL_MODE="${POLL_MODE:-session}" ;;
  10k) HOSTS="${HOSTS:-1000}"; SESSIONS_PER_HOST="${SESSIONS_PER_HOST:-10}"; POLL_MODE="${POLL_MODE:-host}" ;;
  *) echo "usage: bench/load.sh [500|10k]" >&2; exit 2 ;;
esac
DURATION="${DURATION:-300}"
RUNS="${RUNS:-3}"
WARMUP=10
if (( DURATION < 2 * WARMUP + 10 )); then
  echo "DURATION must be at least $((2 * WARMUP + 10)) s" >&2
  exit 2
fi

build_service
sim_classpath > /dev/null
RESULTS="$OUT_DIR/load-$VARIANT.jsonl"
: > "$RESULTS"
for run in $(seq 1 "$RUNS"); do
  start_service
  key="load-$VARIANT-$run"
  canary=$(python3 -c 'import json; print(json.dumps(["sim-h%d-s0" % h for h in range(10)]))')
  api POST /api/v1/rollouts "{\"key\":\"$key\",\"canarySessions\":$canary}" > /dev/null
  api POST "/api/v1/rollouts/$key/start" '{"force":true,"reason":"load test"}' > /dev/null
  api POST "/api/v1/rollouts/$key/advance" '{"force":true,"reason":"load test at 50%"}' > /dev/null
  token=$(api POST /api/v1/tokens "{\"name\":\"load-daemons-$run\",\"roles\":[\"reader\",\"reporter\"]}" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  echo "== run $run of $RUNS: $((HOSTS * SESSIONS_PER_HOST)) sessions ($HOSTS x $SESSIONS_PER_HOST, $POLL_MODE polls) for $DURATION s" >&2
  SKIP_BUILD=1 run_sim_class dev.rolloutcontroller.sim.FleetSimulator --base-url "$BASE_URL" --token "$token" --rollout "$key" \
    --hosts "$HOSTS" --sessions-per-host "$SESSIONS_PER_HOST" --poll-mode "$POLL_MODE" \
    --poll-interval "${POLL_INTERVAL:-1}" --report-interval "${REPORT_INTERVAL:-10}" --threads "${SIM_THREADS:-8}" \
    --seed "$run" --duration "$DURATION" --summary "$OUT_DIR/load-$VARIANT-$run.json" > /dev/null &
  simulator=$!
  sleep "$WARMUP"
  jvm0=$(cpu_ticks "$SERVICE_PID"); pg0=$(pg_cpu_ticks); t0=$(date +%s.%N)
  sleep $((DURATION - 2 * WARMUP))
  jvm1=$(cpu_ticks "$SERVICE_PID"); pg1=$(pg_cpu_ticks); t1=$(date +%s.%N)
  rss_end=$(rss_kb)
  wait "$simulator"
  peak=$(peak_rss_kb)
  python3 - "$OUT_DIR/load-$VARIANT-$run.json" "$(getconf CLK_TCK)" "$jvm0" "$jvm1" "$pg0" "$pg1" "$t0" "$t1" \
    "$rss_end" "$peak" "$load_before" "$(nproc)" >> "$RESULTS" <<'PY'
import json, sys
summary, hz, jvm0, jvm1, pg0, pg1, t0, t1, rss, peak, load, cores = sys.argv[1:]
s = json.load(open(summary))
wall = float(t1) - float(t0)
cpu = (int(jvm1) - int(jvm0)) / int(hz) / wall * 100
pg = (int(pg1) - int(pg0)) / int(hz) / wall * 100
r = s["reports"]
lat = s["latencyMs"]
print(json.dumps({
    "sessions": s["fleet"]["sessions"], "pollMode": s["fleet"]["pollMode"], "durationSeconds": s["durationSeconds"],
    "serviceCpuPercentOfOneCore": round(cpu, 1), "serviceCpuShareOfMachine": round(cpu / int(cores), 1),
    "postgresCpuPercentOfOneCore": round(pg, 1),
    "servicePeakRssMb": round(int(peak) / 1024, 1), "serviceRssAtEndMb": round(int(rss) / 1024, 1),
    "flagReadsPerSecond": round(s["flagReads"]["total"] / s["durationSeconds"], 1),
    "notModifiedShare": s["flagReads"]["notModifiedShare"],
    "flagReadP99Ms": lat.get("flagReads", {}).get("p99Ms"), "flagEvaluateP99Ms": lat.get("flagEvaluate", {}).get("p99Ms"),
    "reportPostP99Ms": lat.get("reports", {}).get("p99Ms"),
    "reportsGenerated": r["generated"], "reportsStored": r["stored"],
    "errors": s["errors"], "lostReports": (r["lost"] or 0) + r["notDelivered"], "missedPolls": s["missedPolls"],
    "loadAverageBefore": float(load),
}))
PY
  tail -1 "$RESULTS" >&2
  stop_service
done
python3 - "$RESULTS" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
median = {k: round(statistics.median(r[k] for r in runs if r[k] is not None), 2) for k in keys}
print(json.dumps({"runs": len(runs), "median": median, "each": runs}, indent=2))
PY
