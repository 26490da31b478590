#!/usr/bin/env bash
# A sweep as CI would run it: the whole grid, the same grid in three shards merged back
# (byte-identical to the whole), and the rows where initialization failed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

node bin/tdxmodel.js sweep examples/sweep-spec.yaml --workers 2 --out "$out/all.csv"
for k in 1 2 3; do
  node bin/tdxmodel.js sweep examples/sweep-spec.yaml --workers 1 --shard "$k/3" --out "$out/shard$k.csv"
done
node bin/tdxmodel.js sweep --merge "$out"/shard*.csv --out "$out/merged.csv"
cmp "$out/all.csv" "$out/merged.csv"

echo "$(($(wc -l < "$out/all.csv") - 1)) rows; failed initializations:"
grep -c ',false,' "$out/all.csv" || true
node bin/tdxmodel.js sweep examples/sweep-spec.yaml --workers 2 --format jsonl --out "$out/all.jsonl"
head -n 2 "$out/all.jsonl"
