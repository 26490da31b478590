// A bundle (scripts/bundle.mjs) stands in for the compiled module it was made from only while
// it is at least as new: after a `tsc` without the bundling step the compiled module wins, so
// stale code never runs. The command line (bin/tdxmodel.js) and the worker pools use this one rule.

import { statSync } from 'node:fs';

/** `bundle` when it exists and is at least as new as `plain`, else `plain`. */
export function freshest(bundle: URL, plain: URL): URL {
  const mtime = (u: URL): number => statSync(u, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  return mtime(bundle) >= mtime(plain) ? bundle : plain;
}
