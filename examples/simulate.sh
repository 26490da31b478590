#!/usr/bin/env bash
# The main job on built-in platforms, as a CI step would run it.
set -euo pipefail
cd "$(dirname "$0")/.."
node bin/tdxmodel.js simulate preset:default --expect-success
node bin/tdxmodel.js simulate preset:default --policy parallel-tdmr --trials 200 --seed 7 --format json > /dev/null
