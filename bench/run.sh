#!/usr/bin/env bash
# The pass-through benchmark in one command: publishes Switchboard with Native AOT, starts a scripted Anthropic-format
# upstream and Switchboard in front of it (both on loopback), then measures the same streaming request direct and
# through Switchboard in one run. Prints the figures and PASS/MISS per target; writes bench/results/latest.md.
# --team: instead, local mode against team mode (a real PostgreSQL and Redis on loopback) and three team replicas behind
# a real HAProxy (Debian's postgresql, redis-server and haproxy, installed as test.sh installs them); writes
# bench/results/team.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/bench/results"
mkdir -p "$out"
work="$(mktemp -d)"
team=0; [ "${1:-}" = --team ] && team=1
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_ready() { for _ in $(seq 1 200); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; echo "bench: $1 never answered" >&2; exit 1; }

if [ "$team" = 1 ]; then
  missing=()
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  [ -x /usr/bin/redis-server ] || missing+=(redis-server)
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  if [ ${#missing[@]} -gt 0 ]; then  # as test.sh does
    command -v apt-get >/dev/null || { echo "bench: install ${missing[*]} (no apt-get here)" >&2; exit 1; }
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

echo "bench: publishing Switchboard (Native AOT)..." >&2
dotnet publish "$repo/src/Switchboard/Switchboard.csproj" -c Release -o "$work/switchboard" --nologo -v quiet > "$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
dotnet build "$repo/bench/Switchboard.Bench/Switchboard.Bench.csproj" -c Release -o "$work/bench" --nologo -v quiet > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

upstream_port=$(free_port)
switchboard_port=$(free_port)
# Pinning (BENCH_PIN=1, the default): the upstream and the load client share core 0 and Switchboard has core 1, as a
# router on a developer machine has its own CPU next to a remote upstream. BENCH_PIN=0 lets all three share both cores.
pin_client=(); pin_switchboard=()
if [ "${BENCH_PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin_client=(taskset -c 0); pin_switchboard=(taskset -c 1)
fi
"${pin_client[@]}" dotnet "$work/bench/Switchboard.Bench.dll" upstream --port "$upstream_port" > "$work/upstream.log" 2>&1 &
pids+=($!)

if [ "$team" = 1 ]; then
  until grep -q ready "$work/upstream.log"; do sleep 0.05; done
  # The bench starts both daemons, PostgreSQL, Redis and HAProxy itself; they inherit its core, the daemons get core 1.
  cpus=(); [ ${#pin_switchboard[@]} -gt 0 ] && cpus=(--cpus 1)
  "${pin_client[@]}" dotnet "$work/bench/Switchboard.Bench.dll" team --binary "$work/switchboard/switchboard" \
    --upstream "http://127.0.0.1:$upstream_port" --work "$work" "${cpus[@]}" --out "$out/team.md"
  exit 0
fi

export SWITCHBOARD_HOME="$work/home"
mkdir -p "$SWITCHBOARD_HOME"
cat > "$SWITCHBOARD_HOME/config.json" <<JSON
{ "defaultProvider": "anthropic", "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:$upstream_port" } } }
JSON
"${pin_switchboard[@]}" "$work/switchboard/switchboard" serve --port "$switchboard_port" > "$work/switchboard.log" 2>&1 &
switchboard_pid=$!
pids+=("$switchboard_pid")

wait_ready "http://127.0.0.1:$switchboard_port/health"
until grep -q ready "$work/upstream.log"; do sleep 0.05; done

"${pin_client[@]}" dotnet "$work/bench/Switchboard.Bench.dll" load \
  --direct "http://127.0.0.1:$upstream_port" --through "http://127.0.0.1:$switchboard_port" \
  --pid "$switchboard_pid" --out "$out/latest.md"

# What token counting adds to routing a 400 KB Claude Code request (in-process; see TokenCountRun.cs).
echo >&2; echo "bench: token counting for routing..." >&2
dotnet "$work/bench/Switchboard.Bench.dll" tokens --repo "$repo" | tee -a "$out/latest.md"
