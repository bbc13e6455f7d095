#!/usr/bin/env bash
# The load and soak run of issue 14 (not in CI): publishes Switchboard with Native AOT and drives it, in front of a
# scripted OpenAI-compatible upstream on loopback, through 10,000 streams at c=64, 500 open streams, 1,000 mid-stream
# disconnects, a 40 MB and a 10 MB body, then a minute and more idle; the whole thing twice (SOAK_ROUNDS). Switchboard's
# RSS is sampled throughout. Prints a table; writes bench/results/soak.md. About 4 minutes after the publish.
#   SOAK_BINARY=/path/to/switchboard bash bench/soak.sh   measures that binary instead of publishing (e.g. an older build)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$repo/bench/results"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

binary="${SOAK_BINARY:-}"
if [ -z "$binary" ]; then
  echo "soak: publishing Switchboard (Native AOT)..." >&2
  dotnet publish "$repo/src/Switchboard/Switchboard.csproj" -c Release -o "$work/switchboard" --nologo -v quiet > "$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
  binary="$work/switchboard/switchboard"
fi
dotnet build "$repo/bench/Switchboard.Bench/Switchboard.Bench.csproj" -c Release -o "$work/bench" --nologo -v quiet > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet "$work/bench/Switchboard.Bench.dll" soak --binary "$binary" --rounds "${SOAK_ROUNDS:-2}" --out "$out/soak.md"
