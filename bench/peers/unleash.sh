#!/usr/bin/env bash
# The same per-session read load on Unleash's frontend API, measured in the same run as ours so the
# two figures are side by side: one flag at 50% (flexibleRollout on userId) plus a strategy for a
# 100-id canary list (a userId IN constraint), i.e. the rollout bench/flags.sh seeds. Unleash 7.5.1 (the newest that runs on Node 20) is
# installed with npm into bench/out/unleash and runs on a database of the service's embedded
# PostgreSQL; its SDK-facing rate limits are raised for the run. Writes bench/out/unleash.md.
#
#   bench/peers/unleash.sh        # SKIP_BUILD=1 reuses target/quarkus-app; DURATION, WARMUP, CONNECTIONS, THREADS
source "$(dirname "$0")/../lib.sh"
source "$BENCH_DIR/flags-lib.sh"

UNLEASH_VERSION=7.5.1
UNLEASH_DIR="$OUT_DIR/unleash"
UNLEASH_ADMIN='*:*.bench-admin-secret'
UNLEASH_FRONTEND='default:development.bench-frontend-secret'
UNLEASH_PID=""
KEY=bench-flags
NO_LIMIT=100000000

ensure_wrk
command -v node > /dev/null || { echo "Unleash needs Node.js (20)" >&2; exit 1; }
command -v psql > /dev/null || apt-get install -y -qq postgresql-client > /dev/null
if [[ "$(node -p "require('$UNLEASH_DIR/node_modules/unleash-server/package.json').version" 2> /dev/null)" != "$UNLEASH_VERSION" ]]; then
  echo "== npm install unleash-server@$UNLEASH_VERSION" >&2
  mkdir -p "$UNLEASH_DIR"
  npm install --prefix "$UNLEASH_DIR" --no-audit --no-fund --silent "unleash-server@$UNLEASH_VERSION" > "$OUT_DIR/unleash-install.log" 2>&1
fi

build_service
start_service
stop_all() {
  if [[ -n "$UNLEASH_PID" ]] && kill -0 "$UNLEASH_PID" 2> /dev/null; then
    kill "$UNLEASH_PID" 2> /dev/null || true
    wait "$UNLEASH_PID" 2> /dev/null || true
  fi
  stop_service
}
trap stop_all EXIT

echo "== seeding rollout '$KEY' in rollout-controller" >&2
READER="$(seed_flags "$KEY")"

pg_port="$(embedded_pg_port)"
pg_password="$(embedded_pg_password)"
PGPASSWORD="$pg_password" psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -c 'create database unleash' postgres
unleash_port="$(free_port)"
UNLEASH_URL="http://127.0.0.1:$unleash_port"
echo "== starting Unleash $UNLEASH_VERSION on $UNLEASH_URL" >&2
(
  cd "$UNLEASH_DIR"
  export DATABASE_URL="postgres://postgres:$pg_password@127.0.0.1:$pg_port/unleash" DATABASE_SSL=false HTTP_PORT="$unleash_port" \
    INIT_ADMIN_API_TOKENS="$UNLEASH_ADMIN" INIT_FRONTEND_API_TOKENS="$UNLEASH_FRONTEND" LOG_LEVEL=warn \
    REGISTER_CLIENT_RATE_LIMIT_PER_MINUTE=$NO_LIMIT CLIENT_METRICS_RATE_LIMIT_PER_MINUTE=$NO_LIMIT \
    REGISTER_FRONTEND_RATE_LIMIT_PER_MINUTE=$NO_LIMIT FRONTEND_METRICS_RATE_LIMIT_PER_MINUTE=$NO_LIMIT
  exec node -e "import('unleash-server').then((unleash) => unleash.start())"
) > "$OUT_DIR/unleash.log" 2>&1 &
UNLEASH_PID=$!
for _ in $(seq 1 240); do
  curl -fsS "$UNLEASH_URL/health" > /dev/null 2>&1 && break
  kill -0 "$UNLEASH_PID" 2> /dev/null || { echo "Unleash exited; see $OUT_DIR/unleash.log" >&2; exit 1; }
  sleep 0.5
done

# unleash_admin METHOD PATH [JSON]: fails with Unleash's answer on an HTTP error.
unleash_admin() {
  local body=() answer
  [[ $# -ge 3 ]] && body=(-d "$3")
  if ! answer="$(curl -sS --fail-with-body -X "$1" -H "Authorization: $UNLEASH_ADMIN" -H 'Content-Type: application/json' \
      "${body[@]}" "$UNLEASH_URL$2")"; then
    echo "Unleash refused $1 $2: $answer" >&2
    exit 1
  fi
}
echo "== seeding flag '$KEY' in Unleash: userId IN canary-1..100, flexibleRollout 50% on userId" >&2
user_ids="$(python3 -c 'import json; print(json.dumps(["canary-%d" % i for i in range(1, 101)]))')"
features="/api/admin/projects/default/features"
unleash_admin POST "$features" "{\"name\":\"$KEY\",\"type\":\"release\"}"
unleash_admin POST "$features/$KEY/environments/development/strategies" \
  "{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"100\",\"stickiness\":\"userId\",\"groupId\":\"$KEY\"},
    \"constraints\":[{\"contextName\":\"userId\",\"operator\":\"IN\",\"values\":$user_ids}]}"
unleash_admin POST "$features/$KEY/environments/development/strategies" \
  "{\"name\":\"flexibleRollout\",\"parameters\":{\"rollout\":\"50\",\"stickiness\":\"userId\",\"groupId\":\"$KEY\"}}"
unleash_admin POST "$features/$KEY/environments/development/on"
# The frontend API serves from its own cache: wait until it answers with the flag for a canary id.
for _ in $(seq 1 120); do
  curl -fsS -H "Authorization: $UNLEASH_FRONTEND" "$UNLEASH_URL/api/frontend?userId=canary-1" | grep -q "\"$KEY\"" && break
  sleep 1
done
curl -fsS -H "Authorization: $UNLEASH_FRONTEND" "$UNLEASH_URL/api/frontend?userId=canary-1" | grep -q "\"$KEY\"" \
  || { echo "Unleash's frontend API never served '$KEY'" >&2; exit 1; }

# Same rollout, same answers: both bucket murmur3("<group>:<id>") the Unleash way, so every session
# must get the same decision from both.
BASE_URL="$BASE_URL" UNLEASH_URL="$UNLEASH_URL" READER="$READER" UNLEASH_FRONTEND="$UNLEASH_FRONTEND" KEY="$KEY" python3 - <<'PY'
import json, os, urllib.parse, urllib.request

def get(url, auth):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": auth}), timeout=5) as response:
        return json.load(response)

sessions = ["canary-%d" % i for i in range(1, 21)] + ["session-%d" % i for i in range(500)]
differ = []
for session in sessions:
    ours = get(f"{os.environ['BASE_URL']}/api/v1/rollouts/{os.environ['KEY']}/flags?session={urllib.parse.quote(session)}",
               "Bearer " + os.environ["READER"])["enabled"]
    theirs = any(t["name"] == os.environ["KEY"] and t["enabled"]
                 for t in get(f"{os.environ['UNLEASH_URL']}/api/frontend?userId={urllib.parse.quote(session)}",
                              os.environ["UNLEASH_FRONTEND"])["toggles"])
    if ours != theirs:
        differ.append(session)
if differ:
    raise SystemExit(f"decisions differ from Unleash for {len(differ)} of {len(sessions)} sessions, e.g. {differ[:5]}")
print(f"== same decision as Unleash for all {len(sessions)} sampled sessions", flush=True)
PY

wrk_session_script "$OUT_DIR/session.lua" "/api/v1/rollouts/$KEY/flags?session="
wrk_session_script "$OUT_DIR/unleash-session.lua" "/api/frontend?userId="
OURS=(-H "Authorization: Bearer $READER" -s "$OUT_DIR/session.lua" "$BASE_URL")
THEIRS=(-H "Authorization: $UNLEASH_FRONTEND" -s "$OUT_DIR/unleash-session.lua" "$UNLEASH_URL")
echo "== warm-up: $WARMUP of each server" >&2
wrk_warm "${OURS[@]}"
wrk_warm "${THEIRS[@]}"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION, one server at a time" >&2
wrk_run "rollout-controller per-session JSON" "${OURS[@]}"
ours_rss_mb=$(( $(peak_rss_kb) / 1024 ))
wrk_run "Unleash $UNLEASH_VERSION frontend API" "${THEIRS[@]}"
unleash_rss_mb=$(( $(awk '/VmHWM/ {print $2}' "/proc/$UNLEASH_PID/status") / 1024 ))

ours_rps="$(awk -F'|' 'NR == 1 {gsub(/ /, "", $3); print $3}' <<< "${WRK_ROWS[0]}")"
unleash_rps="$(awk -F'|' 'NR == 1 {gsub(/ /, "", $3); print $3}' <<< "${WRK_ROWS[1]}")"
report="$OUT_DIR/unleash.md"
{
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average before the runs: $load_before"
  echo
  wrk_table
  echo
  echo "Throughput ratio (rollout-controller / Unleash): $(python3 -c "print(f'{$ours_rps / $unleash_rps:.1f}')")x"
  echo "Peak RSS: rollout-controller JVM $ours_rss_mb MB, Unleash node $unleash_rss_mb MB (PostgreSQL separate for both)"
} > "$report"
cat "$report"
