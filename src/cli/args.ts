// The option framework. Each command declares its options once, beside its code (a
// CommandSpec): name, value name, choices, default, whole-number range and help text. The same
// declaration parses the command line (on Node's util.parseArgs tokenizer) and prints
// `tdxmodel COMMAND --help`, so an option cannot exist without being documented.
//
// util.parseArgs alone would not do: its strict mode's messages do not suggest the closest
// option, and it has no choices, ranges or repeatable-with-choices checks. It is used
// non-strict, for tokenizing only (`--x=v`, `--x v`, `--`), and every token is checked here.

import { parseArgs as tokenize } from 'node:util';
import { usageError } from '../platform/errors.js';

export interface OptionSpec {
  /** The long name, without the dashes. */
  name: string;
  /** The value's name in help (`--out FILE`); absent: a flag that takes no value. */
  value?: string;
  /** The accepted values, checked at parse time (every one, for a repeatable option). */
  choices?: readonly string[];
  /** The default, as typed on the command line; a function for one that depends on the machine. */
  default?: string | (() => string);
  /** How help shows a computed default ("the number of CPUs"). */
  defaultHelp?: string;
  /** A whole number in [min, max], checked at parse time. */
  int?: { min: number; max: number };
  /** May be given more than once; values are kept in order. */
  repeat?: boolean;
  help: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Usage lines after "tdxmodel " (the first names the command). */
  usage: string[];
  /** What the positional arguments are. */
  positional?: string;
  options: OptionSpec[];
  /** Output formats and what each gives. */
  formats?: string[];
  /** Further reference paragraphs: settings, metrics, axes (each a heading and lines). */
  sections?: { title: string; lines: string[] }[];
  /** What exit code 1 means for this command (absent: the command does not use it). */
  exit1?: string;
  /** Exit codes beyond 0–3 the command uses ("130  interrupted ..."). */
  exitMore?: string[];
  examples: string[];
}

export interface ParsedArgs {
  positional: string[];
  /** Values given on the command line (defaults are not here: see value()). */
  flags: Map<string, string>;
  lists: Map<string, string[]>;
  bools: Set<string>;
  spec?: CommandSpec;
}

/** The legacy shape: three lists of names. Kept so a call written against it still parses. */
export interface FlagSpec {
  values: string[];
  repeat?: string[];
  bools: string[];
}

/** Options every command takes (handled by main before a command runs). */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'help', help: 'print this help and exit (also: -h, tdxmodel help COMMAND)' },
  { name: 'debug', help: 'on an internal error (exit 3), print the stack trace as well as the one-line message' },
];

function fromFlagSpec(spec: FlagSpec): CommandSpec {
  const options: OptionSpec[] = [
    ...spec.values.map((name) => ({ name, value: 'VALUE', help: '' })),
    ...(spec.repeat ?? []).map((name) => ({ name, value: 'VALUE', repeat: true, help: '' })),
    ...spec.bools.map((name) => ({ name, help: '' })),
  ];
  return { name: '', summary: '', usage: [], options, examples: [] };
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** The known name closest to `name`, if it is close enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function unknownOption(raw: string, spec: CommandSpec): never {
  const known = [...spec.options, ...GLOBAL_OPTIONS].map((o) => o.name);
  const near = raw.startsWith('--') ? closest(raw.slice(2), known) : undefined;
  throw usageError(`unknown option ${raw}${near ? ` (did you mean --${near}?)` : ''}${spec.name ? ` (tdxmodel ${spec.name} --help lists them)` : ''}`);
}

function checkValue(o: OptionSpec, v: string): void {
  if (o.choices && !o.choices.includes(v)) throw usageError(`--${o.name} must be one of ${o.choices.join(', ')}, got "${v}"`);
  if (o.int) {
    if (!/^[0-9]+$/.test(v)) throw usageError(`--${o.name} must be a whole number, got "${v}"`);
    const n = Number(v);
    if (n < o.int.min || n > o.int.max) throw usageError(`--${o.name} must be between ${o.int.min} and ${o.int.max}, got ${n}`);
  }
}

/** Parse a command line against a declaration: every option checked, nothing silently dropped. */
export function parseCommand(argv: string[], spec: CommandSpec): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: new Map(), lists: new Map(), bools: new Set(), spec };
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  const { tokens } = tokenize({ args: argv, strict: false, allowPositionals: true, tokens: true, options: stringOptions(spec) });
  for (const t of tokens) {
    if (t.kind === 'positional') {
      out.positional.push(t.value);
      continue;
    }
    if (t.kind === 'option-terminator') continue;
    // Short options are only -h and -V, which main() handles before a command runs.
    if (!t.rawName.startsWith('--')) unknownOption(t.rawName, spec);
    const o = byName.get(t.name);
    if (!o) unknownOption(t.rawName, spec);
    if (o.value === undefined) {
      if (t.value !== undefined) throw usageError(`--${o.name} takes no value`);
      out.bools.add(o.name);
      continue;
    }
    const v = t.value;
    // "--out --format json" means a forgotten value, not a file named "--format".
    if (v === undefined || (!t.inlineValue && v.startsWith('--'))) throw usageError(`--${o.name} needs a value`);
    checkValue(o, v);
    if (o.repeat) out.lists.set(o.name, [...(out.lists.get(o.name) ?? []), v]);
    else out.flags.set(o.name, v);
  }
  return out;
}

/** util.parseArgs options: value-taking ones declared as strings, so `--x v` takes v. */
function stringOptions(spec: CommandSpec): Record<string, { type: 'string'; multiple: boolean }> {
  const o: Record<string, { type: 'string'; multiple: boolean }> = {};
  for (const opt of spec.options) if (opt.value !== undefined) o[opt.name] = { type: 'string', multiple: true };
  return o;
}

/** Legacy entry point: three lists of names (no help, no checks beyond the names). */
export function parseArgs(argv: string[], spec: FlagSpec | CommandSpec): ParsedArgs {
  return parseCommand(argv, 'options' in spec ? spec : fromFlagSpec(spec));
}

function option(args: ParsedArgs, name: string): OptionSpec | undefined {
  return args.spec?.options.find((o) => o.name === name);
}

/** A value option's value: as given, else its declared default. */
export function value(args: ParsedArgs, name: string): string | undefined {
  const given = args.flags.get(name);
  if (given !== undefined) return given;
  const d = option(args, name)?.default;
  return typeof d === 'function' ? d() : d;
}

/** A whole-number option (range checked at parse time when declared; here for legacy calls). */
export function intFlag(args: ParsedArgs, name: string, dflt?: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = args.flags.get(name) ?? (dflt === undefined ? value(args, name) : undefined);
  if (v === undefined) {
    if (dflt === undefined) throw new Error(`--${name}: no value and no default declared`);
    return dflt;
  }
  checkValue({ name, int: option(args, name)?.int ?? { min, max }, help: '' }, v);
  return Number(v);
}

/** A choice option's value (the choices and default from the declaration when not passed). */
export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices?: readonly T[], dflt?: T): T {
  const v = args.flags.get(name) ?? dflt ?? value(args, name);
  if (v === undefined) throw new Error(`--${name}: no value and no default declared`);
  checkValue({ name, choices: choices ?? option(args, name)?.choices, help: '' }, v);
  return v as T;
}

// ---- help ----

const EXIT_CODES = (exit1?: string): string[] => [
  '0  the model ran (whatever the modeled outcome: a modeled failure is a result)',
  `1  ${exit1 ?? 'not used by this command'}`,
  '2  bad input or usage: one line on standard error naming the file, line or field and the rule',
  '3  internal error (a bug): please report it with the --debug output',
];

function optionLeft(o: OptionSpec): string {
  return `--${o.name}${o.value ? ` ${o.value}` : ''}`;
}

function optionRight(o: OptionSpec): string {
  const parts = [o.help];
  if (o.choices) parts.push(`one of: ${o.choices.join(', ')}`);
  if (o.int) parts.push(`${o.int.min} to ${o.int.max}`);
  if (o.defaultHelp !== undefined) parts.push(`default: ${o.defaultHelp}`);
  else if (typeof o.default === 'string') parts.push(`default: ${o.default}`);
  if (o.repeat) parts.push('repeatable');
  return parts.filter(Boolean).join('; ');
}

function optionRows(opts: OptionSpec[]): string[] {
  const width = Math.min(26, Math.max(...opts.map((o) => optionLeft(o).length)) + 2);
  return opts.map((o) => {
    const left = optionLeft(o);
    return left.length + 2 > width ? `  ${left}\n  ${' '.repeat(width)}${optionRight(o)}` : `  ${left.padEnd(width)}${optionRight(o)}`;
  });
}

/** `tdxmodel COMMAND --help`: usage, options with values and defaults, formats, exit codes, examples. */
export function commandHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  spec.usage.forEach((u, i) => lines.push(`${i === 0 ? 'usage: ' : '       '}tdxmodel ${u}`));
  lines.push('', spec.summary);
  if (spec.positional) lines.push('', spec.positional);
  if (spec.options.length) lines.push('', 'options:', ...optionRows(spec.options));
  lines.push('', 'global options:', ...optionRows(GLOBAL_OPTIONS));
  if (spec.formats?.length) lines.push('', 'formats (--format):', ...spec.formats.map((f) => `  ${f}`));
  for (const s of spec.sections ?? []) lines.push('', `${s.title}:`, ...s.lines.map((l) => `  ${l}`));
  lines.push('', 'exit codes:', ...[...EXIT_CODES(spec.exit1), ...(spec.exitMore ?? [])].map((l) => `  ${l}`));
  lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}
