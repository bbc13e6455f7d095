#!/usr/bin/env bash
# The main job in one command: build Switchboard (Native AOT) if the sources changed, install the pinned Claude Code
# CLI if `claude` is not on PATH, then start the router and drop into Claude Code through it.
#   ./run.sh                 interactive Claude Code through Switchboard
#   ./run.sh -p "hello"      any arguments go to claude unchanged
# Set SWITCHBOARD_HOME to use another config folder (default ~/.switchboard).
set -euo pipefail
repo="$(cd "$(dirname "$0")" && pwd)"
bin="$repo/artifacts/switchboard/switchboard"

command -v dotnet >/dev/null 2>&1 || { echo "run.sh: the .NET 10 SDK (dotnet) is required: https://dot.net" >&2; exit 1; }

if [ ! -x "$bin" ] || [ -n "$(find "$repo/src" "$repo/schema" -newer "$bin" -type f -print -quit)" ]; then
  echo "run.sh: building Switchboard (Native AOT, about a minute the first time)..." >&2
  dotnet publish "$repo/src/Switchboard/Switchboard.csproj" -c Release -o "$repo/artifacts/switchboard" --nologo -v quiet >&2
  touch "$bin"
fi

if ! command -v claude >/dev/null 2>&1; then
  tools="$repo/artifacts/claude-code"
  # (Re)install when the pin in tests/e2e changed since the last install.
  if [ ! -x "$tools/node_modules/.bin/claude" ] || ! cmp -s "$repo/tests/e2e/package-lock.json" "$tools/package-lock.json"; then
    command -v npm >/dev/null 2>&1 || { echo "run.sh: npm is needed to install Claude Code" >&2; exit 1; }
    echo "run.sh: installing the pinned Claude Code ($(sed -n 's/.*"@anthropic-ai\/claude-code": "\(.*\)".*/\1/p' "$repo/tests/e2e/package.json" | head -1)) into $tools..." >&2
    mkdir -p "$tools"
    cp "$repo/tests/e2e/package.json" "$repo/tests/e2e/package-lock.json" "$tools/"
    (cd "$tools" && npm ci --no-audit --no-fund --no-update-notifier --loglevel=error >&2)
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
fi

exec "$bin" code "$@"
