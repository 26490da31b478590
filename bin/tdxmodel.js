#!/usr/bin/env node
// Runs the compiled CLI (npm ci builds it through the prepare script).
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`tdxmodel: internal error: ${err && err.message ? err.message : err}\n`);
    process.exitCode = 3;
  },
);
