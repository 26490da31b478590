#!/usr/bin/env bash
# Runs the library example (CI runs every examples/*.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
node examples/library.mjs
