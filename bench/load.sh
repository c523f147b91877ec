#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Server under load: 200 concurrent clients doing no-op syncs over HTTPS on
# loopback, bounded to a few seconds per run. Prints
#   server_noop_syncs_per_s N syncs/s (target 5000)
#   server_p99_ms N ms at R syncs/s (target 20)
#   server_p99_saturated_ms N ms (info)
# as medians of RUNS runs. Usage: bench/load.sh BUILDDIR [RUNS]
# REGIE_LOAD_SERVER_ARGS adds server options (e.g. "--threads 1"); the
# server's default is one listener thread per CPU, at most 8.
#
# Throughput is measured saturated: every connection syncs again as soon
# as it has its answer. Latency is measured at the target rate: each of
# the 200 clients syncs again after a random pause (bench/load-paced.lua,
# mean 38 ms, so ~5,000 syncs/s are offered). At saturation the latency is
# the queue, not the server: with 200 closed-loop connections the mean is
# 200 / rate (Little's law); that p99 is printed as information
# (docs/decisions.md 15).
set -euo pipefail
builddir="$1"
runs="${2:-3}"
seconds="${REGIE_LOAD_SECONDS:-5}"
# shellcheck disable=SC2206 # word splitting wanted
server_args=(${REGIE_LOAD_SERVER_ARGS:-})
connections=200

data=$(mktemp -d)
log="$data/server.log"
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT

"$builddir/server/regie-server" --demo --dossiers 2000 --listen 127.0.0.1:0 --data "$data/db" \
  "${server_args[@]}" >"$log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 600); do
  url=$(sed -n 's/^regie-server: listening on //p' "$log" | head -n1)
  [ -n "$url" ] && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "regie-server did not start" >&2; exit 1; }

# The demo certificate is self-signed: pin it for curl, trust it for wrk.
cert="$data/db/tls/cert.pem"
token=$(curl -sS --cacert "$cert" -H 'Regie-Protocol: 1' -H 'Content-Type: application/json' \
          -d '{"username":"fatima","password":"demo-fatima"}' "${url}api/v1/session" | jq -r .token)
[ -n "$token" ] && [ "$token" != null ] || { echo "sign-in failed" >&2; exit 1; }

# Pull to the end once: from then on every pull is a no-op sync.
cursor=0
while :; do
  end=$(curl -sS --cacert "$cert" -H 'Regie-Protocol: 1' -H "Authorization: Bearer $token" \
          "${url}api/v1/sync/pull?cursor=$cursor&limit=20000" | tail -n1)
  cursor=$(echo "$end" | cut -f2)
  [ "$(echo "$end" | cut -f3)" = 0 ] && break
done

# wrk's latency percentile as milliseconds.
p99_ms () {
  local p99
  p99=$(awk '$1 == "99%" {print $2}')
  case "$p99" in
    *us) echo "${p99%us}" | awk '{printf "%.3f", $1 / 1000}' ;;
    *ms) echo "${p99%ms}" ;;
    *s)  echo "${p99%s}" | awk '{printf "%.1f", $1 * 1000}' ;;
    *)   echo nan ;;
  esac
}

# One wrk run; extra arguments go to wrk (the pacing script).
load_run () {
  local out errors
  out=$(wrk -t2 -c$connections -d"${seconds}s" --latency "$@" \
          -H 'Regie-Protocol: 1' -H "Authorization: Bearer $token" \
          "${url}api/v1/sync/pull?cursor=$cursor" 2>&1)
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  [ -z "$errors" ] || echo "# wrk saw $errors non-2xx answers" >&2
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | p99_ms)"
}

rates=(); sat_p99s=(); paced_rates=(); p99s=()
for _ in $(seq 1 "$runs"); do
  read -r rate p99 < <(load_run)
  rates+=("$rate"); sat_p99s+=("$p99")
  read -r rate p99 < <(load_run -s "$(dirname "$0")/load-paced.lua")
  paced_rates+=("$rate"); p99s+=("$p99")
  # Other work on the machine moves these figures a lot: keep it with them.
  echo "# run: saturated ${rates[-1]} syncs/s, p99 ${sat_p99s[-1]} ms; paced ${paced_rates[-1]} syncs/s, p99 ${p99s[-1]} ms; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done

median () { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'server_noop_syncs_per_s %.0f syncs/s (target 5000)\n' "$(median "${rates[@]}")"
printf 'server_p99_ms %s ms at %.0f syncs/s offered by %d clients (target 20)\n' \
  "$(median "${p99s[@]}")" "$(median "${paced_rates[@]}")" "$connections"
printf 'server_p99_saturated_ms %s ms (info: every client syncs again at once; mean = %d / rate)\n' \
  "$(median "${sat_p99s[@]}")" "$connections"
