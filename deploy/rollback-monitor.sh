#!/usr/bin/env bash
# The checklist's ./scripts/rollback-monitor.sh for rollout-controller: rolls a rollout back with a
# reason, then prints progress until every session that reports is back on the legacy path having
# applied the rollback (GET /api/v1/rollouts/{key}/sessions?stale=true). Needs bash and curl only.
#
#   deploy/rollback-monitor.sh [--url URL] [--token TOKEN] [--timeout SECONDS] [--interval SECONDS] ROLLOUT_KEY REASON...
#
# Or from the environment (better for the token: arguments are visible to other users in ps):
# ROLLOUT_URL (http://localhost:8080), ROLLOUT_TOKEN (an operator token),
# ROLLOUT_TIMEOUT (300, the checklist's five minutes), ROLLOUT_INTERVAL (5).
# Exit 0: every reporting session came back within the timeout. Exit 1: the timeout passed; the
# sessions that have not come back are listed. Exit 2: usage, or the service refused the rollback.
# A rollout that is already rolled back is only watched, so the script can be run again.
set -uo pipefail

url="${ROLLOUT_URL:-http://localhost:8080}"
token="${ROLLOUT_TOKEN:-}"
timeout="${ROLLOUT_TIMEOUT:-300}"
interval="${ROLLOUT_INTERVAL:-5}"

usage() {
  sed -n '6,13p' "$0" | sed 's/^# *//' >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[[ $# -ge 2 && -n "$token" ]] || usage
[[ "$timeout" =~ ^[0-9]+$ && "$interval" =~ ^[0-9]+$ && "$interval" -ge 1 ]] || { echo "timeout and interval are whole seconds" >&2; exit 2; }
key="$1"
shift
reason="$*"
api="${url%/}/api/v1/rollouts/$key"

# JSON string escaping for the reason: backslash, quote, and control characters dropped.
json_string() {
  local s="${1//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\037')"
}

body=$(mktemp)
# The token goes to curl in a file readable by this user only, never on a command line (ps shows those).
headers=$(mktemp)
trap 'rm -f "$body" "$headers"' EXIT
chmod 600 "$headers"
printf 'Authorization: Bearer %s\n' "$token" >"$headers"

call() {
  curl -sS --max-time 10 -H @"$headers" "$@"
}

status=$(call -o "$body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -d "{\"reason\":$(json_string "$reason")}" "$api/rollback") || { echo "cannot reach $url" >&2; exit 2; }
if [[ "$status" == 200 ]]; then
  echo "rollout $key: rolled back (version $(grep -o '"version":[0-9]*' "$body" | head -1 | cut -d: -f2)), reason: $reason"
elif [[ "$status" == 409 ]] && call "$api" | grep -q '"status":"ROLLED_BACK"'; then
  echo "rollout $key: already rolled back; watching the sessions"
else
  echo "rollout $key: the rollback was refused (HTTP $status):" >&2
  cat "$body" >&2
  echo >&2
  exit 2
fi

start=$SECONDS
while true; do
  elapsed=$((SECONDS - start))
  if ! call -o "$body" -H 'Accept: text/plain' "$api/sessions?stale=true&limit=1000" --fail; then
    echo "[${elapsed}s] the service did not answer; retrying"
  else
    summary=$(head -1 "$body")
    stale=$(sed -n 's/.* stale=\([0-9]*\)$/\1/p' <<<"$summary")
    reporting=$(sed -n 's/.* reporting=\([0-9]*\) .*/\1/p' <<<"$summary")
    current=$(sed -n 's/.* current=\([0-9]*\) .*/\1/p' <<<"$summary")
    echo "[${elapsed}s] ${current:-?}/${reporting:-?} reporting sessions back on legacy with the rollback applied, ${stale:-?} not yet"
    if [[ "$stale" == 0 ]]; then
      [[ "$reporting" == 0 ]] && echo "rollout $key: no session has reported within the convergence window; check the daemons"
      echo "rollout $key: every reporting session is back on the legacy path (${elapsed}s)"
      exit 0
    fi
  fi
  if (( elapsed >= timeout )); then
    echo "rollout $key: ${stale:-?} session(s) not back after ${timeout}s:" >&2
    tail -n +2 "$body" | sed 's/^/  /' >&2
    exit 1
  fi
  sleep "$(( interval < timeout - elapsed ? interval : (timeout - elapsed > 0 ? timeout - elapsed : 1) ))"
done
