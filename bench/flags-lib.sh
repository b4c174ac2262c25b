#!/usr/bin/env bash
# Shared by bench/flags.sh and bench/peers/*.sh (source it after lib.sh): the seeded rollout and the
# wrk plumbing. Settings: DURATION (10s), WARMUP (5s), CONNECTIONS (32), THREADS (2).

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-5s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
WRK_ROWS=()

ensure_wrk() {
  if ! command -v wrk > /dev/null 2>&1; then
    apt-get install -y -qq wrk > /dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk > /dev/null; }
  fi
}

# seed_flags KEY: a rollout at its gradual step (50%) with canary-1..canary-100 in the started
# service; prints a reader token.
seed_flags() {
  local canary reader percentage
  canary="$(python3 -c 'import json; print(json.dumps(["canary-%d" % i for i in range(1, 101)]))')"
  api POST /api/v1/rollouts "{\"key\":\"$1\",\"canarySessions\":$canary}" > /dev/null
  api POST "/api/v1/rollouts/$1/start" '{"reason":"bench","force":true}' > /dev/null
  api POST "/api/v1/rollouts/$1/advance" '{"reason":"bench","force":true}' > /dev/null
  reader="$(api POST /api/v1/tokens '{"name":"bench-reader","roles":["reader"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
  percentage="$(curl -fsS -H "Authorization: Bearer $reader" "$BASE_URL/api/v1/rollouts/$1/flags" | python3 -c 'import json,sys; print(json.load(sys.stdin)["percentage"])')"
  [[ "$percentage" == 50 ]] || { echo "seeding failed: percentage is $percentage" >&2; exit 1; }
  echo "$reader"
}

# wrk_session_script FILE PATH_PREFIX: a Lua script asking for another of 10,000 sessions on each
# request, as a fleet of daemons would: GET PATH_PREFIX<session-N>.
wrk_session_script() {
  cat > "$1" <<LUA
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "$2" .. "session-" .. (i % 10000))
end
LUA
}

# wrk_warm wrk-args...: load without measuring, so the JIT has compiled the path before any run.
wrk_warm() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" > /dev/null
}

# wrk_run NAME wrk-args...: the measured run; appends a Markdown table row to WRK_ROWS and keeps
# wrk's full output in $OUT_DIR/wrk-<name>.txt.
wrk_run() {
  local name="$1"
  shift
  local out rps p50 p99 errors
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@")"
  echo "$out" > "$OUT_DIR/wrk-${name//[^A-Za-z0-9]/-}.txt"
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<< "$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<< "$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<< "$out")"
  errors="$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' <<< "$out")"
  errors="$(( ${errors:-0} + $(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<< "$out") + 0 ))"
  WRK_ROWS+=("| $name | $rps | $p50 | $p99 | $errors |")
  echo "   $name: $rps req/s, p50 $p50, p99 $p99, errors $errors" >&2
}

wrk_table() {
  echo "| scenario | req/s | p50 | p99 | errors |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${WRK_ROWS[@]}"
}
