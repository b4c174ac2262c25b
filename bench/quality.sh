#!/usr/bin/env bash
# Decision quality of the checklist's default plan on the pure engine (no service, no HTTP): per seed, 200 healthy
# rollouts with realistic noise (false trigger actions, time to completion), 200 with a 5% new-path error rate and
# 200 with a 60% slower cycle time injected at a random moment (detection rate, delay after the minimum sample).
# Seeds 1, 2 and 3 by default; the JSON ends up in bench/out/quality.json.
# Usage: bench/quality.sh [--runs 200] [--seeds 1,2,3] [--interval 60] [--detection-interval 10] [--error-regression 0.05]
#                         [--cycle-regression 1.6] [--sessions 500] [--canary 10] [--cycles-per-second 0.2]
#                         [--healthy-error-rate 0.0002]
source "$(dirname "$0")/lib.sh"

run_sim_class dev.rolloutcontroller.sim.DecisionQuality --summary "$OUT_DIR/quality.json" "$@"
