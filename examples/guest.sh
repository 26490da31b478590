#!/usr/bin/env bash
# The guest side as CI runs it: built-in TDs in every format, a what-if (2M host mappings),
# determinism across --workers, a bad document refused with exit 2, and a TD sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

node bin/tdxmodel.js presets | grep -q td-dstack-248
node bin/tdxmodel.js guest preset:td-small
node bin/tdxmodel.js guest preset:td-dstack-248 --format json --out "$out/dstack.json"
node bin/tdxmodel.js guest preset:td-dstack-248 --set host.privatePageSize=2M --format csv --out "$out/dstack-2m.csv"
node bin/tdxmodel.js guest preset:td-small --set attestation.pollMs=10 --format html --out "$out/small.html"
grep -q '^boot,toInitSeconds,' "$out/dstack-2m.csv"

# Same seed, same bytes, whatever the number of workers.
args=(guest preset:td-small --set workload.allocators=4 --set costs.acceptJitter=0.2 --trials 20 --seed 3 --format json)
node bin/tdxmodel.js "${args[@]}" --workers 1 > "$out/w1.json"
node bin/tdxmodel.js "${args[@]}" --workers 2 > "$out/w2.json"
cmp "$out/w1.json" "$out/w2.json"

# Bad input: one line, exit 2.
set +e
echo '{"vcpus": 0, "memoryGiB": 8}' | node bin/tdxmodel.js guest - 2> "$out/err.txt"
code=$?
set -e
test "$code" -eq 2
grep -q 'vcpus: must be from 1 to 4096' "$out/err.txt"

node bin/tdxmodel.js sweep examples/guest-sweep.yaml --out "$out/tds.csv"
# The same table in two shards, merged back: the same bytes.
node bin/tdxmodel.js sweep examples/guest-sweep.yaml --shard 1/2 --out "$out/s1.csv"
node bin/tdxmodel.js sweep examples/guest-sweep.yaml --shard 2/2 --out "$out/s2.csv"
node bin/tdxmodel.js sweep --merge "$out/s1.csv" "$out/s2.csv" --out "$out/merged.csv"
cmp "$out/tds.csv" "$out/merged.csv"
echo "$(($(wc -l < "$out/tds.csv") - 1)) TD rows"
head -n 3 "$out/tds.csv"
