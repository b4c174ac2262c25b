#!/usr/bin/env bash
# Shared by the bench scripts: build the packaged service, start it on a free port with a throw-away
# embedded PostgreSQL, and stop both at exit. Source it; it defines BASE_URL, ADMIN_TOKEN, SERVICE_PID.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
OUT_DIR="$BENCH_DIR/out"
mkdir -p "$OUT_DIR"

ADMIN_TOKEN="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SERVICE_PID=""
SERVICE_DATA=""
# The packaged service to run; bench/ceiling.sh points it at a saved copy to measure an older build.
SERVICE_JAR="${SERVICE_JAR:-$REPO_DIR/target/quarkus-app/quarkus-run.jar}"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

build_service() {
  if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$SERVICE_JAR" ]]; then
    echo "== building the packaged service" >&2
    (cd "$REPO_DIR" && ./mvnw -B -q package -DskipTests)
  fi
}

# start_service [extra java -D options...]: starts the jar, waits until ready.
start_service() {
  local port
  port="$(free_port)"
  SERVICE_DATA="$(mktemp -d /tmp/rollout-bench-XXXXXX)"
  BASE_URL="http://127.0.0.1:$port"
  echo "== starting the service on $BASE_URL (data in $SERVICE_DATA)" >&2
  ROLLOUT_ADMIN_TOKEN="$ADMIN_TOKEN" ROLLOUT_EMBEDDED_DB_DATA_DIR="$SERVICE_DATA/pg" \
    java ${JAVA_OPTS:--Xmx512m} -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 "$@" \
    -jar "$SERVICE_JAR" > "$OUT_DIR/service.log" 2>&1 &
  SERVICE_PID=$!
  trap stop_service EXIT
  # READY_TIMEOUT (s, default 60): a machine busy with other work may need longer to start it.
  for _ in $(seq 1 $((${READY_TIMEOUT:-60} * 2))); do
    if curl -fsS "$BASE_URL/q/health/ready" > /dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  echo "the service did not become ready; see $OUT_DIR/service.log" >&2
  exit 1
}

stop_service() {
  if [[ -n "$SERVICE_PID" ]] && kill -0 "$SERVICE_PID" 2> /dev/null; then
    kill "$SERVICE_PID" 2> /dev/null || true
    wait "$SERVICE_PID" 2> /dev/null || true
  fi
  # The embedded PostgreSQL stops with the JVM; make sure no server of this run survives it.
  if [[ -n "$SERVICE_DATA" ]]; then
    pkill -f "postgres.*$SERVICE_DATA" 2> /dev/null || true
    rm -rf "$SERVICE_DATA"
  fi
}

# The embedded PostgreSQL's port, from the service log.
embedded_pg_port() {
  grep -o 'Embedded PostgreSQL listening on port [0-9]*' "$OUT_DIR/service.log" | grep -o '[0-9]*$' | tail -1
}

# The embedded server's generated superuser password (decision 0007), for psql as PGPASSWORD.
embedded_pg_password() {
  cat "$SERVICE_DATA/pg/rollout-superuser-password"
}

# api METHOD PATH [JSON]: authenticated call, fails on HTTP errors.
api() {
  local method="$1" path="$2" body="${3:-}"
  if [[ -n "$body" ]]; then
    curl -fsS -X "$method" -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
      -d "$body" "$BASE_URL$path"
  else
    curl -fsS -X "$method" -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE_URL$path"
  fi
}

# Peak resident memory (kB) of the service so far.
peak_rss_kb() {
  awk '/VmHWM/ {print $2}' "/proc/$SERVICE_PID/status"
}

# ---- The simulator, the drill, the load test and the decision-quality runs live in the test sources
# (src/test/java/dev/rolloutcontroller/sim); these run them outside Maven.

# sim_classpath: compiles the test sources (once; SKIP_BUILD=1 reuses them) and prints their classpath.
sim_classpath() {
  local deps="$REPO_DIR/target/sim-classpath.txt"
  if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$deps" || ! -d "$REPO_DIR/target/test-classes/dev/rolloutcontroller/sim" ]]; then
    echo "== compiling the simulator (test sources)" >&2
    (cd "$REPO_DIR" && ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$deps" >&2)
  fi
  echo "$REPO_DIR/target/test-classes:$REPO_DIR/target/classes:$(cat "$deps")"
}

# run_sim_class CLASS [args...]: runs a main class of the test sources (SIM_JAVA_OPTS, default -Xmx1g).
run_sim_class() {
  local class="$1" classpath
  shift
  classpath="$(sim_classpath)"
  java ${SIM_JAVA_OPTS:--Xmx1g} -cp "$classpath" "$class" "$@"
}

# cpu_ticks PID: clock ticks (1/getconf CLK_TCK s) of user + system time the process has used, children it
# waited for included. The command name in /proc/PID/stat may hold spaces, so fields count from its ')'.
cpu_ticks() {
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13 + $14 + $15}'
}

# pg_cpu_ticks: the same for the embedded PostgreSQL of start_service: its postmaster (with the backends it
# reaped) plus the backends alive now.
pg_cpu_ticks() {
  local postmaster total child
  postmaster="$(head -1 "$SERVICE_DATA/pg/postmaster.pid")"
  total="$(cpu_ticks "$postmaster")"
  for child in $(ps -o pid= --ppid "$postmaster"); do
    if [[ -r "/proc/$child/stat" ]]; then
      total=$((total + $(sed 's/^.*) //' "/proc/$child/stat" 2> /dev/null | awk '{print $12 + $13} END {if (NR == 0) print 0}')))
    fi
  done
  echo "$total"
}

# Resident memory (kB) of the service now.
rss_kb() {
  awk '/VmRSS/ {print $2}' "/proc/$SERVICE_PID/status"
}

# seed_fleet KEY SESSIONS HOURS: writes straight into the embedded database what SESSIONS sessions
# reporting once a minute for HOURS hours leave behind (half on each path): the raw reports, their
# per-minute rollups and the session state, as ingest would. Prints the number of raw reports.
seed_fleet() {
  local key="$1" sessions="$2" hours="$3"
  command -v psql > /dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client > /dev/null; }
  local rows=$((sessions * hours * 60)) start
  echo "== seeding $sessions sessions x $hours h = $rows raw reports (half new, half legacy)" >&2
  start=$(date +%s)
  PGPASSWORD="$(embedded_pg_password)" psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(embedded_pg_port)" \
    -U postgres -d postgres >&2 <<SQL
set synchronous_commit = off;
insert into telemetry_reports (report_id, rollout_key, session_id, path, period_start, period_end, cycles, errors,
    cycle_time_p50_ms, cycle_time_p95_ms, cycle_time_max_ms, memory_bytes, cpu_percent, flag_version, received_at)
select gen_random_uuid(), '$key', 's' || s, case when s % 2 = 0 then 'new' else 'legacy' end,
       t - interval '1 minute', t, 60, (random() < 0.0005)::int, 12, 40 + random() * 5, 90, 200000000 + s, 4.5, 3, t
from generate_series(1, $sessions) s,
     generate_series(date_trunc('minute', now()) - interval '$hours hours' + interval '1 minute', date_trunc('minute', now()), interval '1 minute') t;
insert into telemetry_rollups (rollout_key, path, minute, reports, cycles, errors, p95_weighted_sum, cycle_time_max_ms,
    memory_max_bytes, cpu_sum, sessions)
select rollout_key, path, date_trunc('minute', period_end), count(*), sum(cycles), sum(errors),
       sum(cycle_time_p95_ms * cycles), max(cycle_time_max_ms), max(memory_bytes), sum(cpu_percent), count(distinct session_id)
from telemetry_reports where rollout_key = '$key' group by 1, 2, 3;
insert into telemetry_sessions
select rollout_key, session_id, path, min(period_end), max(period_end), min(memory_bytes), max(memory_bytes), max(flag_version)
from telemetry_reports where rollout_key = '$key' group by 1, 2, 3;
analyze;
SQL
  echo "   seeded in $(( $(date +%s) - start )) s" >&2
  echo "$rows"
}
