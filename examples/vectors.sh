#!/usr/bin/env bash
# The kernel's golden vectors through the command line, both engines, byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."
vec=test/data/vectors/kernel-tdmr.jsonl

for engine in wasm ts; do
  node bin/tdxmodel.js construct --jsonl "$vec" --engine "$engine" > /tmp/tdxmodel-vectors.$engine
  node -e '
    const fs = require("fs");
    const exp = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.stringify(JSON.parse(l).expected));
    const got = fs.readFileSync(process.argv[2], "utf8").trim().split("\n");
    const bad = exp.filter((e, i) => e !== got[i]).length;
    console.log(`${process.argv[3]}: ${exp.length - bad}/${exp.length} vectors match`);
    process.exit(bad ? 1 : 0);
  ' "$vec" /tmp/tdxmodel-vectors.$engine "$engine"
done
