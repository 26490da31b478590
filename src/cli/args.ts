// A small argument parser: the command line contract is fixed by platform-format.md §2, and
// flags are few, so a dependency would buy nothing.

import { usageError } from '../platform/errors.js';

export interface FlagSpec {
  /** Flags that take a value. */
  values: string[];
  /** Flags that may repeat (collected in order). */
  repeat?: string[];
  /** Boolean flags. */
  bools: string[];
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string>;
  lists: Map<string, string[]>;
  bools: Set<string>;
}

export function parseArgs(argv: string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: new Map(), lists: new Map(), bools: new Set() };
  const values = new Set(spec.values);
  const repeat = new Set(spec.repeat ?? []);
  const bools = new Set(spec.bools);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-' || !a.startsWith('-')) {
      out.positional.push(a);
      continue;
    }
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!a.startsWith('--')) throw usageError(`unknown option ${a}`);
    if (bools.has(name)) {
      if (eq > 0) throw usageError(`--${name} takes no value`);
      out.bools.add(name);
      continue;
    }
    if (values.has(name) || repeat.has(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      // "--out --format json" means a forgotten value, not a file named "--format".
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw usageError(`--${name} needs a value`);
      if (repeat.has(name)) out.lists.set(name, [...(out.lists.get(name) ?? []), v]);
      else out.flags.set(name, v);
      continue;
    }
    throw usageError(`unknown option --${name}`);
  }
  return out;
}

export function intFlag(args: ParsedArgs, name: string, dflt: number, min: number, max: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return dflt;
  if (!/^[0-9]+$/.test(v)) throw usageError(`--${name} must be a whole number, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw usageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], dflt: T): T {
  const v = args.flags.get(name);
  if (v === undefined) return dflt;
  if (!(choices as readonly string[]).includes(v)) throw usageError(`--${name} must be one of ${choices.join(', ')}, got "${v}"`);
  return v as T;
}
