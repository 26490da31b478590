#!/usr/bin/env bash
# A performance gate as CI runs it: write a baseline, re-run (passes), then a change that makes
# initialization slower must fail the gate with exit code 1.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
node bin/tdxmodel.js gate --baseline "$tmp/baseline.json" --write-baseline preset:default preset:2s-spr-256g
node bin/tdxmodel.js gate --baseline "$tmp/baseline.json" --tolerance time=5% preset:default preset:2s-spr-256g
# --set stands in for a slower kernel here; --allow-option-change accepts that the options differ.
if node bin/tdxmodel.js gate --baseline "$tmp/baseline.json" --allow-option-change --set costs.tdmrInitCallUs=12 preset:default preset:2s-spr-256g; then
  echo "the gate should have failed on a 33% slower TDMR.INIT"; exit 1
fi
echo "gate example: regression caught"
