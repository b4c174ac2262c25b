#!/usr/bin/env bash
# What-if replay at fleet scale: 24 h of per-minute rollups as 10,000 sessions reporting once a minute produce
# them (half on each path), a rollout ACTIVE at canary for the whole period (its audit events backdated), and a
# journal entry every 10 s; then POST /replay of those 24 h at the 10 s cadence (8,641 passes judged by the engine).
# Target: under 2 s. Reports the HTTP time and the CPU time the service and PostgreSQL spent per replay.
# Usage: bench/replay.sh [sessions] [runs]   (SKIP_BUILD=1 reuses target/quarkus-app)
source "$(dirname "$0")/lib.sh"

SESSIONS="${1:-10000}"
RUNS="${2:-5}"
KEY=bench-replay

command -v psql > /dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client > /dev/null; }
build_service
start_service -Drollout.evaluator.enabled=false
PGPASSWORD="$(embedded_pg_password)"
export PGPASSWORD
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(embedded_pg_port)" -U postgres -d postgres)

api POST /api/v1/rollouts "{\"key\":\"$KEY\",\"canarySessions\":[\"s1\",\"s2\"]}" > /dev/null
TO=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)
FROM=$(date -u -d '-1 minute -24 hours' +%Y-%m-%dT%H:%M:%SZ)

echo "== seeding 25 h of rollups for $SESSIONS sessions, a start 25 h ago, and 8,640 journal entries" >&2
"${PSQL[@]}" <<SQL
insert into rollout_events (rollout_key, type, actor, reason, before, after, occurred_at)
values ('$KEY', 'rollout.started', 'bench', 'benchmark',
        '{"status":"DRAFT","step":"canary","stepIndex":0,"percentage":0,"canarySessions":["s1","s2"],"version":1}',
        '{"status":"ACTIVE","step":"canary","stepIndex":0,"percentage":10,"canarySessions":["s1","s2"],"version":2}',
        timestamptz '$FROM' - interval '1 hour');
insert into telemetry_rollups
select '$KEY', path, m, $SESSIONS / 2, ($SESSIONS / 2) * 60, (random() * $SESSIONS * 0.03)::bigint,
       ($SESSIONS / 2) * 60 * (40 + random() * 5), 90, 200000000 + $SESSIONS, ($SESSIONS / 2) * 4.5
from unnest(array['new', 'legacy']) path,
     generate_series(date_trunc('minute', timestamptz '$FROM') - interval '1 hour', timestamptz '$TO', interval '1 minute') m;
insert into evaluations (rollout_key, evaluated_at, rollout_version, status, step, action, reason, ready_to_advance,
                         exit_gates, entry_gates, triggers, streaks, plan_version)
select '$KEY', t, 2, 'ACTIVE', 'canary', 'NONE', 'holding at canary', false, '[]', '[]', '[]', '{}', 1
from generate_series(timestamptz '$FROM' + interval '3 seconds', timestamptz '$TO', interval '10 seconds') t;
analyze;
SQL

BODY="{\"from\":\"$FROM\",\"to\":\"$TO\"}"
echo "== $RUNS replays of $FROM .. $TO (plus one warm-up)" >&2
api POST "/api/v1/rollouts/$KEY/replay" "$BODY" > "$OUT_DIR/replay-response.json"
# CPU time of the service and of PostgreSQL per replay: what the replay costs, whatever else loads the machine.
TICK=$(getconf CLK_TCK)
for i in $(seq 1 "$RUNS"); do
  service_before=$(cpu_ticks "$SERVICE_PID"); pg_before=$(pg_cpu_ticks)
  curl -fsS -o /dev/null -w '%{time_total}\n' -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "$BODY" "$BASE_URL/api/v1/rollouts/$KEY/replay" >> "$OUT_DIR/replay-times.txt"
  echo "$(( $(cpu_ticks "$SERVICE_PID") - service_before )) $(( $(pg_cpu_ticks) - pg_before )) $TICK" >> "$OUT_DIR/replay-cpu.txt"
done
python3 - "$OUT_DIR/replay-response.json" "$OUT_DIR/replay-times.txt" "$OUT_DIR/replay-cpu.txt" "$(uptime)" <<'PY'
import json, statistics, sys
response = json.load(open(sys.argv[1]))
times = sorted(float(line) * 1000 for line in open(sys.argv[2]))
cpu = [[int(x) for x in line.split()] for line in open(sys.argv[3])]
service_cpu = sorted(s * 1000 / t for s, p, t in cpu)
pg_cpu = sorted(p * 1000 / t for s, p, t in cpu)
print(json.dumps({
    "passes": response["passes"],
    "replayed_actions": response["replayedActions"],
    "journal_entries": sum(response["actualActions"].values()),
    "runs_listed": len(response["decisions"]),
    "http_median_ms": round(statistics.median(times), 1),
    "http_max_ms": round(times[-1], 1),
    "service_cpu_ms_per_replay": service_cpu,
    "postgres_cpu_ms_per_replay": pg_cpu,
    "uptime": sys.argv[4].strip(),
    "target_ms": 2000,
}, indent=2))
PY
rm -f "$OUT_DIR/replay-times.txt" "$OUT_DIR/replay-cpu.txt"
