#!/usr/bin/env bash
# Installs Azurite (the Azure Storage emulator, pinned by .ci/package-lock.json) into .ci/node_modules and starts it in the background on 127.0.0.1
# (blob 10000, queue 10001, table 10002), in memory. Prints its pid on stdout; logs go to .ci/azurite.log.
# Idempotent: when the ports already answer, it prints "running" and starts nothing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
blob_port="${AZURITE_BLOB_PORT:-10000}"
queue_port="${AZURITE_QUEUE_PORT:-10001}"
table_port="${AZURITE_TABLE_PORT:-10002}"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if answers "$blob_port" && answers "$queue_port"; then
  echo "running"
  exit 0
fi

bin="$here/node_modules/.bin/azurite"
if [ ! -x "$bin" ]; then
  if [ -f "$here/package-lock.json" ]; then
    # the versions pinned in .ci/package-lock.json
    npm ci --prefix "$here" --no-audit --no-fund --loglevel=error >&2
  else
    npm install --prefix "$here" --no-audit --no-fund --loglevel=error azurite@3 >&2
  fi
fi

nohup "$bin" --silent --inMemoryPersistence --skipApiVersionCheck --loose \
  --blobHost 127.0.0.1 --blobPort "$blob_port" \
  --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" \
  >"$here/azurite.log" 2>&1 </dev/null &
pid=$!

for _ in $(seq 1 120); do
  if answers "$blob_port" && answers "$queue_port"; then
    echo "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "azurite exited; see $here/azurite.log" >&2
    cat "$here/azurite.log" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "azurite did not answer on ports $blob_port/$queue_port within 60 s" >&2
kill "$pid" 2>/dev/null || true
exit 1
