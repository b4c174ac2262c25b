#!/usr/bin/env bash
# The end-to-end rollout drill: the packaged service on its embedded PostgreSQL with the evaluator ticking every
# second, the checklist's plan with 10-second soaks and 30-second windows, sign-offs given with role tokens, and a
# simulated fleet (10 hosts x 10 sessions, 1-second polls, reports every 2 s) through four scenarios:
#   healthy     canary -> gradual -> full -> COMPLETED by the evaluator, every gate PASS in the journal
#   regression  6% new-path errors at 50% -> rolled back; every session on legacy within 1 interval + 1 s; no report lost
#   hold-band   1% errors -> neither advance nor rollback; after the fix it advances
#   no-data     nothing reports -> holds, never advances, never rolls back
# Prints the drill's JSON report (also in bench/out/drill.json) and exits non-zero if any check failed.
# Usage: bench/drill.sh [Drill options, e.g. --scenarios regression --poll-mode host --hosts 50]
#        RUNS=3 bench/drill.sh ...   repeats the drill on fresh services and prints the median timings.
source "$(dirname "$0")/lib.sh"

RUNS="${RUNS:-1}"
build_service
sim_classpath > /dev/null
status=0
for run in $(seq 1 "$RUNS"); do
  start_service -Drollout.evaluator.interval=1s
  echo "== drill run $run of $RUNS" >&2
  if ! SKIP_BUILD=1 run_sim_class dev.rolloutcontroller.sim.Drill --base-url "$BASE_URL" --admin-token "$ADMIN_TOKEN" \
      --evaluation-interval 1 "$@" > "$OUT_DIR/drill-$run.json"; then
    status=1
  fi
  stop_service
done
cp "$OUT_DIR/drill-$RUNS.json" "$OUT_DIR/drill.json"
cat "$OUT_DIR/drill.json"
python3 - "$OUT_DIR" "$RUNS" <<'PY'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
reports = [json.load(open(f"{out}/drill-{i}.json")) for i in range(1, runs + 1)]
def median(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None
figures = {}
for name in [s["scenario"] for s in reports[0]["scenarios"]]:
    runs_of = [next(s for s in r["scenarios"] if s["scenario"] == name) for r in reports]
    entry = {"passed": sum(s["passed"] for s in runs_of), "runs": runs, "medianSeconds": median([s["seconds"] for s in runs_of])}
    timing = [s["simulation"]["regression"] for s in runs_of if s["simulation"]["regression"]]
    if name == "regression" and timing:
        entry["medianInjectionToDecisionSeconds"] = median([t["injectionToDecisionSeconds"] for t in timing])
        entry["medianDecisionToLastLegacySeconds"] = median([t["decisionToLastLegacySeconds"] for t in timing])
        entry["medianInjectionToLastLegacySeconds"] = median([t["injectionToLastLegacySeconds"] for t in timing])
    entry["reportsLost"] = sum((s["simulation"]["reports"]["lost"] or 0) for s in runs_of)
    figures[name] = entry
print(json.dumps({"runs": runs, "scenarios": figures}, indent=2))
PY
exit "$status"
