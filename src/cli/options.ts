// Options and help sections that several commands share, declared once. A command's own
// options sit in its own file, beside its code. Nothing here loads the model (construct and
// import start fast); the policy and cost sections are in modelOptions.ts.

import type { OptionSpec, ParsedArgs } from './args.js';
import { usageError } from '../platform/errors.js';

export const INPUT_HELP = 'INPUT: a platform document (JSON or YAML; fields in docs/platform-format.md), - for standard input, or preset:NAME (tdxmodel presets lists them; tdxmodel presets --dump NAME writes one to edit).';

export const SET: OptionSpec = {
  name: 'set', value: 'KEY=VALUE', repeat: true,
  help: 'override a platform field before validation (module.maxTdmrs=32, kernel.holes=cmr, kernel.initCpus=4) or a cost parameter (costs.tdmrInitCallUs=7); VALUE is JSON, except that a string field keeps the text as typed',
};

export const ENGINE: OptionSpec = {
  name: 'engine', value: 'NAME', choices: ['wasm', 'ts'], default: 'wasm',
  help: 'TDMR construction engine: the WebAssembly kernel or the TypeScript oracle (same bytes)',
};

export const OUT: OptionSpec = { name: 'out', value: 'FILE', defaultHelp: 'standard output', help: 'write the report to FILE (atomically: all or nothing); - is standard output' };

export function format(choices: readonly string[], dflt: string): OptionSpec {
  return { name: 'format', value: 'FMT', choices, default: dflt, help: 'output format (below)' };
}

export const BOOT: OptionSpec = {
  name: 'boot', value: 'N', defaultHelp: 'the last boot (-1)',
  help: 'which boot of a log holding several (journal "-- Boot" lines, "Linux version" lines, timestamps going back, a new CMR list after an outcome): 1 the first, -1 the last',
};

/** `--boot N`: 1-based, negative from the end (-1 the last). Shared by import, explain and calibrate (BOOT above). */
export function bootFlag(args: ParsedArgs): number | undefined {
  const v = args.flags.get('boot');
  if (v === undefined) return undefined;
  if (!/^-?[1-9][0-9]{0,8}$/.test(v)) throw usageError(`--boot must be a boot number (1 the first, -1 the last), got "${v}"`);
  return Number(v);
}
