// Reading an INPUT argument: a file path, "-" for standard input, or "preset:NAME".

import { readFileSync, statSync } from 'node:fs';
import { InputError, inFile, usageError } from './errors.js';
import { parseJsonStrict } from './json.js';
import { validatePlatform } from './validate.js';
import type { Platform } from './types.js';

/** Larger inputs are refused before reading: a platform document of 1M regions is ~70 MB. */
export const MAX_INPUT_BYTES = 1 << 30;

export interface RawInput {
  text: string;
  source: string;
}

export function readText(spec: string): RawInput {
  if (spec === '-') {
    let buf: Buffer;
    try {
      buf = readFileSync(0);
    } catch (e) {
      throw usageError(`cannot read standard input: ${(e as Error).message}`);
    }
    return { text: decode(buf, '<stdin>'), source: '<stdin>' };
  }
  let size: number;
  try {
    const st = statSync(spec);
    if (st.isDirectory()) throw new InputError(spec, 'is a directory, expected a file');
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(spec, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (size > MAX_INPUT_BYTES) throw new InputError(spec, `file is ${size} bytes; the limit is ${MAX_INPUT_BYTES} (1 GiB)`);
  return { text: decode(readFileSync(spec), spec), source: spec };
}

function decode(buf: Buffer, source: string): string {
  if (buf.length > MAX_INPUT_BYTES) throw new InputError(source, `input is over the ${MAX_INPUT_BYTES}-byte limit`);
  // A NUL byte never appears in a text document: refuse binary garbage up front.
  if (buf.indexOf(0) !== -1) throw new InputError(source, 'binary data (NUL byte), expected a text document');
  return buf.toString('utf8');
}

/** The unvalidated document behind an INPUT argument, and where it came from. */
export async function loadDocument(spec: string): Promise<{ doc: unknown; source: string }> {
  if (spec.startsWith('preset:')) {
    const { getPreset } = await import('./presets.js');
    return { doc: structuredClone(getPreset(spec.slice('preset:'.length))), source: spec };
  }
  const { text, source } = readText(spec);
  return { doc: parseJsonStrict(text, source), source };
}

/** A platform from a file, stdin or a built-in preset, with --set overrides, validated. */
export async function loadPlatform(spec: string, sets: string[] = []): Promise<Platform> {
  const { doc, source } = await loadDocument(spec);
  applySets(doc, sets);
  try {
    return validatePlatform(doc);
  } catch (e) {
    // Syntax errors already carry "file:line"; field errors get the file in front.
    if (e instanceof InputError && e.where.startsWith(source)) throw e;
    throw inFile(source, e);
  }
}

const SET_ROOTS = new Set(['name', 'module', 'keyids', 'kernel', 'cpus', 'costs', 'nodeDistance']);

/**
 * --set PATH=VALUE on the document before validation, so an override is checked by the same
 * rules as the document itself. VALUE is JSON when it parses as JSON, else a string.
 */
export function applySets(doc: unknown, sets: string[]): void {
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw usageError(`--set needs PATH=VALUE, got "${s}"`);
    const path = s.slice(0, eq).split('.');
    const raw = s.slice(eq + 1);
    if (!SET_ROOTS.has(path[0])) throw usageError(`--set ${path.join('.')}: only ${[...SET_ROOTS].join(', ')} fields can be set`);
    if (path.some((k) => k === '' || k === '__proto__' || k === 'constructor' || k === 'prototype')) {
      throw usageError(`--set ${path.join('.')}: not a field path`);
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let o = doc as Record<string, unknown>;
    for (const k of path.slice(0, -1)) {
      if (o[k] === undefined) o[k] = {};
      if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) throw usageError(`--set ${path.join('.')}: ${k} is not an object`);
      o = o[k] as Record<string, unknown>;
    }
    o[path[path.length - 1]] = value;
  }
}
