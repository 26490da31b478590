#!/usr/bin/env bash
# A sweep as CI would run it: the whole grid, the same grid in three shards merged back
# (byte-identical to the whole), the same with --shard auto, an HTML page, and the rows where
# initialization failed.
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
# The same shards as a scheduler starts them: --shard auto reads the index from the environment
# (Kubernetes: JOB_COMPLETION_INDEX; a CI matrix: TDXMODEL_SHARD_INDEX), the count from --shards.
for i in 0 1 2; do
  JOB_COMPLETION_INDEX=$i node bin/tdxmodel.js sweep examples/sweep-spec.yaml --workers 1 --shard auto --shards 3 --out "$out/auto$i.csv"
done
node bin/tdxmodel.js sweep --merge "$out"/auto*.csv --out "$out/auto.csv"
cmp "$out/all.csv" "$out/auto.csv"
# A page of plots (modeled init time against each axis, one series per policy) and the table.
node bin/tdxmodel.js sweep examples/sweep-spec.yaml --workers 1 --format html --out "$out/sweep.html"
grep -q '<svg' "$out/sweep.html"

echo "$(($(wc -l < "$out/all.csv") - 1)) rows; failed initializations:"
grep -c ',false,' "$out/all.csv" || true
node bin/tdxmodel.js sweep examples/sweep-spec.yaml --workers 2 --format jsonl --out "$out/all.jsonl"
head -n 2 "$out/all.jsonl"
