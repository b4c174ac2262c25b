#!/usr/bin/env bash
# The flag read against the framework's ceiling, side by side in one run: a bare Quarkus endpoint
# (bench/ceiling/, same Quarkus version, one @NonBlocking GET returning a constant JSON body) and the
# packaged service run at the same time with the same JVM options. For each connection count (32,
# then 128) the scenarios alternate with the bare endpoint, bare / per-session JSON / bare / env text /
# bare / 304, so the machine's other load hits both alike; each flag figure is divided by the bare run
# just before it. Every request of the bare and per-session scenarios asks for another of 10,000
# session ids. RSS of both JVMs is sampled every 0.5 s under load. Beside requests/s, each run reports
# the server's CPU time per request (user + system, from /proc): on a machine shared with other work,
# throughput follows whatever else runs, while the CPU a request costs moves far less, so the ratio
# of CPU per request is the steadier measure of the overhead. Writes bench/out/ceiling.md.
#
#   bench/ceiling.sh        # SKIP_BUILD=1 reuses both builds; ROUNDS (1), DURATION (10s), WARMUP (5s),
#                           # CONNECTION_LEVELS ("32 128"), THREADS (2), JAVA_OPTS (below), SERVICE_JAR, READY_TIMEOUT
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/flags-lib.sh"

KEY=bench-flags
ROUNDS="${ROUNDS:-1}"
CONNECTION_LEVELS="${CONNECTION_LEVELS:-32 128}"
# The heap of deploy/ (Dockerfile, Kubernetes, systemd), for both JVMs.
export JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
CEILING_DIR="$BENCH_DIR/ceiling"
CEILING_PID=""
RSS_SAMPLER_PID=""

ensure_wrk
build_service
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$CEILING_DIR/target/quarkus-app/quarkus-run.jar" ]]; then
  echo "== building the bare endpoint (bench/ceiling)" >&2
  (cd "$REPO_DIR" && ./mvnw -B -q -f "$CEILING_DIR/pom.xml" package)
fi
start_service

stop_all() {
  [[ -n "$RSS_SAMPLER_PID" ]] && kill "$RSS_SAMPLER_PID" 2> /dev/null || true
  if [[ -n "$CEILING_PID" ]] && kill -0 "$CEILING_PID" 2> /dev/null; then
    kill "$CEILING_PID" 2> /dev/null || true
    wait "$CEILING_PID" 2> /dev/null || true
  fi
  stop_service
}
trap stop_all EXIT

ceiling_port="$(free_port)"
CEILING_URL="http://127.0.0.1:$ceiling_port"
echo "== starting the bare endpoint on $CEILING_URL" >&2
java $JAVA_OPTS -Dquarkus.http.port="$ceiling_port" -Dquarkus.http.host=127.0.0.1 \
  -jar "$CEILING_DIR/target/quarkus-app/quarkus-run.jar" > "$OUT_DIR/ceiling.log" 2>&1 &
CEILING_PID=$!
for _ in $(seq 1 $((${READY_TIMEOUT:-60} * 2))); do
  curl -fsS -o /dev/null "$CEILING_URL/ceiling" 2> /dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "$CEILING_URL/ceiling" || { echo "the bare endpoint did not start; see $OUT_DIR/ceiling.log" >&2; exit 1; }

echo "== seeding rollout '$KEY': 50% with a 100-session canary list" >&2
READER="$(seed_flags "$KEY")"
ETAG="$(curl -fsS -o /dev/null -D - -H "Authorization: Bearer $READER" "$BASE_URL/api/v1/rollouts/$KEY/flags?session=session-42" \
  | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')"

wrk_session_script "$OUT_DIR/session.lua" "/api/v1/rollouts/$KEY/flags?session="
wrk_session_script "$OUT_DIR/ceiling.lua" "/ceiling?session="
AUTH=(-H "Authorization: Bearer $READER")
# scenario_args NAME: wrk's arguments for a scenario. wrk drops a -H header without a space after
# its colon, so every header is written "Name: value".
scenario_args() {
  case "$1" in
    bare) ARGS=(-s "$OUT_DIR/ceiling.lua" "$CEILING_URL") ;;
    json) ARGS=("${AUTH[@]}" -s "$OUT_DIR/session.lua" "$BASE_URL") ;;
    env) ARGS=("${AUTH[@]}" -H "Accept: text/plain" -s "$OUT_DIR/session.lua" "$BASE_URL") ;;
    304) ARGS=("${AUTH[@]}" -H "If-None-Match: $ETAG" "$BASE_URL/api/v1/rollouts/$KEY/flags?session=session-42") ;;
  esac
}
declare -A LABEL=([json]="per-session JSON" [env]="per-session env text" [304]="304 (If-None-Match)")
declare -A GOAL=([json]=0.80 [env]=0.85 [304]=0.85)

# measure NAME CONNECTIONS: one wrk run; sets RPS, P99 (ms) and CPU_US (server CPU µs per request).
measure() {
  local out pid ticks_before requests
  scenario_args "$1"
  pid=$([[ "$1" == bare ]] && echo "$CEILING_PID" || echo "$SERVICE_PID")
  ticks_before="$(cpu_ticks "$pid")"
  out="$(wrk -t"$THREADS" -c"$2" -d"$DURATION" --latency "${ARGS[@]}")"
  echo "$out" > "$OUT_DIR/ceiling-wrk-$1-c$2.txt"
  requests="$(awk '/requests in/ {print $1}' <<< "$out")"
  CPU_US="$(awk -v t="$(( $(cpu_ticks "$pid") - ticks_before ))" -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN {printf "%.1f", t / hz * 1e6 / n}')"
  RPS="$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")"
  BYTES="$(awk '/requests in/ {v = $5; if (v ~ /GB$/) m = 1073741824; else if (v ~ /MB$/) m = 1048576; else if (v ~ /KB$/) m = 1024; else m = 1;
    sub(/[KMG]?B$/, "", v); printf "%d", v * m / $1}' <<< "$out")"
  P99="$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000} printf "%.2f", v}' <<< "$out")"
  # A wrong status is a broken run; socket timeouts are what an overloaded machine does, counted and shown.
  local wrong
  wrong="$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' <<< "$out")"
  [[ -z "$wrong" ]] || { echo "$1 at -c$2: $wrong answers not 2xx/3xx; see $OUT_DIR/ceiling-wrk-$1-c$2.txt" >&2; exit 1; }
  TIMEOUTS="$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<< "$out")"
  TIMEOUTS="${TIMEOUTS:-0}"
}

sample_rss() {
  while true; do
    echo "$(awk '/VmRSS/ {print $2}' "/proc/$CEILING_PID/status") $(awk '/VmRSS/ {print $2}' "/proc/$SERVICE_PID/status")"
    sleep 0.5
  done
}

echo "== warm-up: $WARMUP of each scenario at -c128" >&2
for name in bare json env 304; do
  scenario_args "$name"
  wrk -t"$THREADS" -c128 -d"$WARMUP" "${ARGS[@]}" > /dev/null
done

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
sample_rss > "$OUT_DIR/ceiling-rss.txt" &
RSS_SAMPLER_PID=$!
ROWS=()
for connections in $CONNECTION_LEVELS; do
  p99_goal=$([[ "$connections" -le 32 ]] && echo 3 || echo 6)
  for round in $(seq 1 "$ROUNDS"); do
    for name in json env 304; do
      measure bare "$connections"
      bare_rps="$RPS" bare_p99="$P99" bare_cpu="$CPU_US" bare_timeouts="$TIMEOUTS" bare_bytes="$BYTES"
      measure "$name" "$connections"
      ratio="$(awk -v a="$RPS" -v b="$bare_rps" 'BEGIN {printf "%.2f", a / b}')"
      cpu_ratio="$(awk -v a="$CPU_US" -v b="$bare_cpu" 'BEGIN {printf "%.2f", b / a}')"
      verdict="$(awk -v r="$ratio" -v g="${GOAL[$name]}" -v p="$P99" -v pg="$p99_goal" \
        'BEGIN {print (r >= g ? "ratio met" : "ratio missed") ", " (p < pg ? "p99 met" : "p99 missed")}')"
      ROWS+=("| $connections | $round | ${LABEL[$name]} | $RPS | $P99 | $CPU_US | $bare_rps | $bare_p99 | $bare_cpu | **$ratio** | $cpu_ratio | ${GOAL[$name]} | $verdict (p99 < $p99_goal ms) | $TIMEOUTS / $bare_timeouts | $BYTES / $bare_bytes |")
      echo "   -c$connections round $round ${LABEL[$name]}: $RPS req/s p99 $P99 ms ${CPU_US} µs CPU/req;" \
        "bare $bare_rps req/s p99 $bare_p99 ms ${bare_cpu} µs CPU/req; ratio $ratio, CPU ratio $cpu_ratio" >&2
    done
  done
done
kill "$RSS_SAMPLER_PID" 2> /dev/null || true
RSS_SAMPLER_PID=""
peak_bare="$(awk '{if ($1 > m) m = $1} END {print int(m / 1024)}' "$OUT_DIR/ceiling-rss.txt")"
peak_service="$(awk '{if ($2 > m) m = $2} END {print int(m / 1024)}' "$OUT_DIR/ceiling-rss.txt")"

report="$OUT_DIR/ceiling.md"
{
  echo "bench/ceiling.sh: wrk -t$THREADS -d$DURATION, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), tree $(git -C "$REPO_DIR" describe --always --dirty)," \
    "service $SERVICE_JAR, JAVA_OPTS '$JAVA_OPTS' for both JVMs, load average before the runs: $load_before"
  echo
  echo "| conns | round | scenario | req/s | p99 ms | CPU µs/req | bare req/s | bare p99 ms | bare CPU µs/req | req/s ratio | CPU ratio (bare/flag) | goal | goals | socket errors (flag / bare) | bytes read per answer, headers included (flag / bare) |"
  echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Peak RSS under load (VmRSS sampled every 0.5 s): bare endpoint $peak_bare MB, service $peak_service MB" \
    "(+$((peak_service - peak_bare)) MB; goal at most +100 MB; the service's embedded PostgreSQL is a separate process)."
} > "$report"
cat "$report"
