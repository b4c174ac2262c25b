#!/usr/bin/env bash
# Flag reads under load: builds and starts the packaged service (embedded PostgreSQL in a temp dir),
# seeds a rollout at 50% with a 100-session canary list, and runs wrk (-t2 -c32 -d10s, after a 5 s
# warm-up of every scenario) on the per-session JSON read, the per-session env text, the 304 path and OFREP single.
# Prints req/s, p50 and p99 per scenario and the service's peak RSS; writes bench/out/flags.md.
#
#   bench/flags.sh        # SKIP_BUILD=1 reuses target/quarkus-app; DURATION, WARMUP, CONNECTIONS, THREADS
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/flags-lib.sh"

KEY=bench-flags

ensure_wrk
build_service
start_service

echo "== seeding rollout '$KEY': 50% with a 100-session canary list" >&2
READER="$(seed_flags "$KEY")"
ETAG="$(curl -fsS -o /dev/null -D - -H "Authorization: Bearer $READER" "$BASE_URL/api/v1/rollouts/$KEY/flags?session=session-42" \
  | awk 'tolower($1) == "etag:" {print $2}' | tr -d '\r')"

wrk_session_script "$OUT_DIR/session.lua" "/api/v1/rollouts/$KEY/flags?session="
cat > "$OUT_DIR/ofrep.lua" <<LUA
local i = 0
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i + 1
  return wrk.format("POST", "/ofrep/v1/evaluate/flags/$KEY", nil, '{"context":{"targetingKey":"session-' .. (i % 10000) .. '"}}')
end
LUA

AUTH=(-H "Authorization: Bearer $READER")
JSON=("${AUTH[@]}" -s "$OUT_DIR/session.lua" "$BASE_URL")
TEXT=("${AUTH[@]}" -H "Accept: text/plain" -s "$OUT_DIR/session.lua" "$BASE_URL")
NOT_MODIFIED=("${AUTH[@]}" -H "If-None-Match: $ETAG" "$BASE_URL/api/v1/rollouts/$KEY/flags?session=session-42")
OFREP=("${AUTH[@]}" -s "$OUT_DIR/ofrep.lua" "$BASE_URL")

echo "== warm-up: $WARMUP of each scenario" >&2
wrk_warm "${JSON[@]}"
wrk_warm "${TEXT[@]}"
wrk_warm "${NOT_MODIFIED[@]}"
wrk_warm "${OFREP[@]}"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION" >&2
wrk_run "per-session JSON" "${JSON[@]}"
wrk_run "per-session env text" "${TEXT[@]}"
wrk_run "304 (If-None-Match)" "${NOT_MODIFIED[@]}"
wrk_run "OFREP single" "${OFREP[@]}"

report="$OUT_DIR/flags.md"
{
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average before the runs: $load_before"
  echo
  wrk_table
  echo
  echo "Service peak RSS (VmHWM of the JVM; the embedded PostgreSQL is separate): $(( $(peak_rss_kb) / 1024 )) MB"
} > "$report"
cat "$report"
