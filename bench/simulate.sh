#!/usr/bin/env bash
# The fleet simulator. With --base-url it plays against that service (give --token and --rollout too). Without, it
# starts the packaged service (evaluator every second), creates a rollout of the checklist's plan with 20-second soaks,
# 30-second windows and no sign-off gates (so it runs by itself), starts it, and runs the simulator against it.
# Prints the simulator's JSON summary. Every option: bench/simulate.sh --help
# Examples:
#   bench/simulate.sh --duration 120 --cycles-per-second 20
#   bench/simulate.sh --duration 120 --cycles-per-second 20 --regression-at-percentage 50 --regression-error-rate 0.06
source "$(dirname "$0")/lib.sh"

for arg in "$@"; do
  if [[ "$arg" == --help || "$arg" == --base-url || "$arg" == --base-url=* ]]; then
    exec java ${SIM_JAVA_OPTS:--Xmx1g} -cp "$(sim_classpath)" dev.rolloutcontroller.sim.FleetSimulator "$@"
  fi
done

build_service
classpath="$(sim_classpath)"
start_service -Drollout.evaluator.interval=1s
key="sim-$(date +%s)"
plan=$(java -cp "$classpath" dev.rolloutcontroller.sim.DrillPlan 20 30 --no-sign-offs)
canary=$(python3 -c 'import json; print(json.dumps(["sim-h%d-s0" % h for h in range(5)]))')
api POST /api/v1/rollouts "{\"key\":\"$key\",\"canarySessions\":$canary,\"plan\":$plan}" > /dev/null
api POST "/api/v1/rollouts/$key/start" '{"reason":"simulation"}' > /dev/null
token=$(api POST /api/v1/tokens "{\"name\":\"$key-daemons\",\"roles\":[\"reader\",\"reporter\"]}" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
echo "== simulating against rollout $key" >&2
java ${SIM_JAVA_OPTS:--Xmx1g} -cp "$classpath" dev.rolloutcontroller.sim.FleetSimulator \
  --base-url "$BASE_URL" --token "$token" --rollout "$key" --summary "$OUT_DIR/simulate.json" "$@"
