// tdxmodel guest decode VALUE [--format text|json]
// Explains a TDCALL/TDVMCALL status, leaf, sub-function, GetQuote status or register mask, given
// as hex (0x…), decimal, or a name. A value no table knows is reported as unknown (exit 0); a
// malformed one is a one-line usage error (exit 2).

import { parseArgs, choiceFlag } from './args.js';
import type { Out } from './output.js';
import { usageError } from '../platform/errors.js';
import {
  lookupValue, lookupName, hex, registersOf, tdcallStatusClass, type AbiMatch,
} from '../guest/abi.js';

const USAGE = 'usage: tdxmodel guest decode VALUE [--format text|json]  (VALUE: 0xHEX, decimal, or a name such as TDVMCALL_GET_QUOTE)';
const U64_MAX = (1n << 64n) - 1n;

export interface DecodeResult {
  input: string;
  /** Hex of the value, or null when a name matched nothing. */
  value: string | null;
  known: boolean;
  matches: {
    kind: string; name: string; value: string; summary: string; source: string;
    failureClass?: string; kernelReaction?: string; since?: string; detail?: string;
  }[];
  /** For an unknown value with bit 63 or 62 set: how a TDX module status would read. */
  statusClass?: { error: boolean; nonRecoverable: boolean; code: string };
}

function parseValue(input: string): bigint | null {
  const s = input.trim();
  if (/^0x[0-9a-f]+$/i.test(s)) {
    if (s.length > 2 + 16 && !/^0x0*[0-9a-f]{1,16}$/i.test(s)) throw usageError(`guest decode: ${input} does not fit in 64 bits`);
    return BigInt(s);
  }
  if (/^\d+$/.test(s)) {
    const v = BigInt(s);
    if (v > U64_MAX) throw usageError(`guest decode: ${input} does not fit in 64 bits`);
    return v;
  }
  if (/^[A-Za-z][A-Za-z0-9_.]*$/.test(s)) return null;
  throw usageError(`guest decode: "${input}" is not a hex number (0x…), a decimal number or a name`);
}

export function decodeValue(input: string): DecodeResult {
  const v = parseValue(input);
  const found: AbiMatch[] = v === null ? lookupName(input) : lookupValue(v);
  const matches = found.map((m) => ({
    kind: m.kind, name: m.name, value: hex(m.value), summary: m.summary, source: m.source,
    ...(m.failureClass ? { failureClass: m.failureClass } : {}),
    ...(m.kernelReaction ? { kernelReaction: m.kernelReaction } : {}),
    ...(m.since ? { since: m.since } : {}),
    ...(m.detail !== undefined ? { detail: hex(m.detail) } : {}),
  }));
  const result: DecodeResult = { input, value: v === null ? (found[0] ? hex(found[0].value) : null) : hex(v), known: matches.length > 0, matches };
  if (v !== null && matches.length === 0 && v >> 62n !== 0n) {
    const c = tdcallStatusClass(v);
    result.statusClass = { error: c.error, nonRecoverable: c.nonRecoverable, code: hex(c.code) };
  }
  return result;
}

export function decodeText(r: DecodeResult): string {
  if (!r.known) {
    const lines = [`${r.input}: unknown${r.value ? ` (${r.value})` : ''}: not a TDCALL leaf, TDVMCALL sub-function or status, GetQuote status or register mask this model knows`];
    if (r.statusClass) {
      lines.push(`  read as a TDX module status: class ${r.statusClass.code}, ${r.statusClass.error ? 'error' : 'warning'}${r.statusClass.nonRecoverable ? ', non-recoverable' : ''}`);
    }
    return `${lines.join('\n')}\n`;
  }
  const lines = [`${r.input} = ${r.value}: ${r.matches.length} meaning${r.matches.length > 1 ? 's' : ''}`];
  for (const m of r.matches) {
    lines.push(`  ${m.kind} ${m.name} (${m.value})${m.detail ? ` + detail ${m.detail}` : ''}${m.since ? ` [since ${m.since}]` : ''}`);
    lines.push(`    ${m.summary}`);
    if (m.kind === 'register-mask') lines.push(`    registers: ${registersOf(BigInt(m.value)).join(' ')}`);
    if (m.failureClass) lines.push(`    failure class: ${m.failureClass}`);
    if (m.kernelReaction) lines.push(`    kernel: ${m.kernelReaction}`);
    lines.push(`    source: ${m.source}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function guestDecodeCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['format'], bools: [] });
  if (args.positional.length !== 1) throw usageError(USAGE);
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  const r = decodeValue(args.positional[0]);
  await out.write(format === 'json' ? `${JSON.stringify(r)}\n` : decodeText(r));
  return 0;
}
