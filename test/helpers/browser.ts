// Where the browser tests find a Chromium, and whether they may skip without one.
//
// The browser is looked up on PATH (chromium, chromium-browser, google-chrome) or taken from
// TDXMODEL_CHROMIUM; no install location is assumed. Without one the browser tests skip with
// one visible line, unless TDXMODEL_REQUIRE_BROWSER=1 (CI sets it): then they fail, because
// a skipped browser test in CI would read as a passed one.

import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to drive, or undefined when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TDXMODEL_CHROMIUM;
  if (explicit) return executable(explicit) ? explicit : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of NAMES) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return undefined;
}

export const BROWSER_REQUIRED = process.env.TDXMODEL_REQUIRE_BROWSER === '1';

/** The one line a skipped browser suite prints, saying why and how to enable it. */
export const NO_BROWSER_LINE =
  'browser tests skipped: no chromium on PATH (apt-get install chromium, or set TDXMODEL_CHROMIUM=/path/to/chrome); ' +
  'TDXMODEL_REQUIRE_BROWSER=1 makes a missing browser fail instead';

/**
 * The browser for a test file: a path, or undefined to skip (after printing why). With
 * TDXMODEL_REQUIRE_BROWSER=1 a missing browser throws instead.
 */
export function browserOrSkip(file: string): string | undefined {
  const found = findChromium();
  if (found) return found;
  if (BROWSER_REQUIRED) throw new Error(`${file}: TDXMODEL_REQUIRE_BROWSER=1 but no chromium was found on PATH or in TDXMODEL_CHROMIUM`);
  console.warn(`${file}: ${NO_BROWSER_LINE}`);
  return undefined;
}
