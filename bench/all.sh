#!/usr/bin/env bash
# npm run bench: every benchmark scenario, JSON results in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
for b in construct constructNative simulate coldstart trials sweep workers importers guest-boot guest-attest; do
  [ -f "bench/$b.bench.ts" ] || continue
  echo "== $b"
  node --import tsx "bench/$b.bench.ts" --json "bench/results/$b.json"
done
