#!/usr/bin/env node
// Runs the compiled CLI (npm ci builds it through the prepare script): its one-file bundle
// (dist/src/bundle/, scripts/bundle.mjs) when that is fresh, which starts ~20 ms sooner, else the
// compiled modules. main() turns every failure of a command into one line and an exit code; an
// error thrown outside it (a stray event emitter) is an internal error too: one line, exit 3,
// the stack only with --debug.
import { freshest } from '../dist/src/util/freshest.js';

const debug = process.argv.includes('--debug');
const internal = (err) => {
  try {
    process.stderr.write(`tdxmodel: internal error: ${err && err.message ? err.message : err}${debug ? `\n${err && err.stack}` : ' (run with --debug for details)'}\n`);
  } finally {
    process.exit(3);
  }
};
process.on('uncaughtException', internal);

const cli = freshest(new URL('../dist/src/bundle/cli.js', import.meta.url), new URL('../dist/src/cli.js', import.meta.url));
const { main } = await import(cli.href);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  internal,
);
