#!/usr/bin/env bash
# Sets up everything the tests need on a fresh machine (Debian packages, NuGet restore, the pinned Claude Code CLI
# from npm), then builds and runs every test.
# Prints a closing "N passed, N failed" line and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

need() { command -v "$1" >/dev/null 2>&1; }
need dotnet || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
need npm || { echo "test.sh: npm is required to install the pinned Claude Code CLI" >&2; exit 1; }

# Debian packages the end-to-end tests drive: tmux for the interactive /model picker, fish to evaluate `activate`,
# chromium for the dashboard, Wine to run the Windows build of switchboard.exe, PostgreSQL, Redis and HAProxy for team
# mode (the tests start their own servers in temporary folders; the packages' own services are never used).
missing=()
need tmux || missing+=(tmux)
need fish || missing+=(fish)
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
lean=()  # Wine's recommended packages (sound, fonts, printing) are a large download the tests do not use
[ -x /usr/bin/wine ] || lean+=(wine wine64)
if [ $((${#missing[@]} + ${#lean[@]})) -gt 0 ]; then
  need apt-get || { echo "test.sh: install ${missing[*]} ${lean[*]} (no apt-get here)" >&2; exit 1; }
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  [ ${#lean[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
fi

# The Claude Code version the end-to-end tests pin (tests/e2e/package-lock.json).
(cd tests/e2e && npm ci --no-audit --no-fund --no-update-notifier --loglevel=error)

dotnet build Switchboard.sln -c Release --nologo -v quiet
# The native sign-in test writes this machine's Claude Code policy for its loopback gateway and removes it after; a
# run killed in between would leave it to steer every later Claude Code here, so a leftover of that test goes first.
policy=/etc/claude-code/managed-settings.json
if [ -f "$policy" ] && grep -q '"forceLoginGatewayUrl": "https://127.0.0.1:' "$policy"; then rm -f "$policy"; fi
artifacts=tests/Switchboard.Tests/bin/Release/net10.0/artifacts
rm -f "$artifacts/reliability.tsv"
log=$(mktemp)
set +e
dotnet test --solution Switchboard.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Microsoft.Testing.Platform prints its own summary; CI reads the plain line below.
passed=$(grep -Eo 'succeeded: *[0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo 'failed: *[0-9]+' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}')
rm -f "$log"
[ -d "$artifacts" ] && echo "test artifacts (dashboard screenshots): $artifacts"
# The reliability suite's summary, from its tally (one line per case: kind, name, outcome, peak RSS in MB).
if [ -f "$artifacts/reliability.tsv" ]; then
  awk -F'\t' '{n[$1]++; o[$3]++} $4 != "-" && $4+0 > rss {rss = $4+0}
    END {printf "reliability: %d faults, %d bad inputs, %d load runs, %d security checks: %d crashes, %d malformed streams, %d leaks, %d other failures, peak RSS %.0f MB\n",
      n["fault"], n["bad-input"], n["load"], n["security"], o["crash"], o["malformed"], o["leak"], o["failed"], rss}' "$artifacts/reliability.tsv"
fi
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "${passed:-0}" -eq 0 ]; then echo "test.sh: no test ran" >&2; exit 1; fi
