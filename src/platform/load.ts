// Reading an INPUT argument: a file path, "-" for standard input, or "preset:NAME".

import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { InputError, inFile, oneLine, usageError } from './errors.js';
import { parseJsonStrict } from './json.js';
import { validatePlatform, STRING_FIELDS } from './validate.js';
import type { Platform } from './types.js';

/**
 * Default input size limit. A platform of 4M memory regions (the validation limit) is about
 * 220 MB of JSON. TDXMODEL_MAX_INPUT_BYTES changes it, up to STRING_MAX.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
/** V8's longest string: a bigger input could not be decoded at all (0x1fffffe8 UTF-16 units). */
const STRING_MAX = 0x1fffffe8;
const CHUNK = 1 << 20;

/** The input size limit in force: TDXMODEL_MAX_INPUT_BYTES, or MAX_INPUT_BYTES. */
export function maxInputBytes(): number {
  const env = process.env.TDXMODEL_MAX_INPUT_BYTES;
  if (env === undefined || env === '') return MAX_INPUT_BYTES;
  if (!/^[0-9]+$/.test(env) || Number(env) < 1 || Number(env) > STRING_MAX) {
    throw usageError(`TDXMODEL_MAX_INPUT_BYTES must be a whole number of bytes from 1 to ${STRING_MAX}, got "${env}"`);
  }
  return Number(env);
}

export interface RawInput {
  text: string;
  source: string;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads a whole descriptor, never more than `limit` bytes: statSync's size says nothing about
 * /dev/zero, a pipe or a file still growing, so the bound is enforced while reading. A NUL
 * byte stops it at once, whatever the limit.
 */
function readBounded(fd: number, source: string, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A non-blocking standard input (a terminal, or a pipe Node has touched) has no data yet.
      if (code === 'EAGAIN') { Atomics.wait(sleeper, 0, 0, 10); continue; }
      if (code === 'EOF') break;
      throw new InputError(source, `cannot read: ${code ?? (e as Error).message}`);
    }
    if (n === 0) break;
    const got = buf.subarray(0, n);
    if (total === 0) refuseUtf16(got, source);
    if (got.indexOf(0) !== -1) throw new InputError(source, 'binary data (NUL byte), expected a text document');
    chunks.push(got);
    total += n;
    if (total > limit) throw overLimit(source, limit);
  }
  return Buffer.concat(chunks, total);
}

function overLimit(source: string, limit: number): InputError {
  return new InputError(source, `input is over the ${limit}-byte limit (set TDXMODEL_MAX_INPUT_BYTES to raise it)`);
}

function refuseUtf16(head: Buffer, source: string): void {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new InputError(source, 'UTF-16 text; save it as UTF-8');
  }
}

export function readText(spec: string): RawInput {
  const limit = maxInputBytes();
  if (spec === '-') return { text: readBounded(0, '<stdin>', limit).toString('utf8'), source: '<stdin>' };
  let fd: number;
  try {
    // A regular file's size is known up front: refuse a huge (or sparse) one without reading it.
    const st = statSync(spec);
    if (st.isDirectory()) throw new InputError(spec, 'is a directory, expected a file');
    if (st.isFile() && st.size > limit) throw overLimit(spec, limit);
    fd = openSync(spec, 'r');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(spec, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new InputError(spec, 'is a directory, expected a file');
    return { text: readBounded(fd, spec, limit).toString('utf8'), source: spec };
  } finally {
    closeSync(fd);
  }
}

/** The unvalidated document behind an INPUT argument, and where it came from. */
export async function loadDocument(spec: string): Promise<{ doc: unknown; source: string }> {
  if (spec.startsWith('preset:')) {
    const { getPreset } = await import('./presets.js');
    return { doc: structuredClone(getPreset(spec.slice('preset:'.length))), source: spec };
  }
  const { text, source } = readText(spec);
  // YAML is welcome too (platform-format.md §1); its parser loads only when a document needs it.
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  // Text with control characters is not YAML either: let the JSON reader name the line.
  const jsonOnly = first === '{' || first === '[' || first === undefined || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text);
  try {
    if (jsonOnly) return { doc: parseJsonStrict(text, source), source };
    const { parseJsonOrYaml } = await import('./jsonOrYaml.js');
    const doc = parseJsonOrYaml(text, source);
    // Lines of text are valid YAML too (one long string): such a "document" is a capture.
    const capture = typeof doc !== 'object' || doc === null ? await capturedOutput(text, source) : null;
    if (capture) throw capture;
    return { doc, source };
  } catch (e) {
    throw (e instanceof InputError && (await capturedOutput(text, source))) || e;
  }
}

/**
 * A file that is not a document but what a machine printed (a kernel log, /proc/iomem, lscpu):
 * say which command reads it, rather than where the JSON broke. Asked only after parsing
 * failed, so no document is ever taken for a log.
 */
async function capturedOutput(text: string, source: string): Promise<InputError | null> {
  const { detectFormat } = await import('./importers/detect.js');
  let kind: string;
  try {
    kind = detectFormat(text, source);
  } catch {
    return null;
  }
  const cmd = source === '<stdin>' ? '-' : source;
  if (kind === 'dmesg') return new InputError(source, `this looks like a kernel log, not a platform document: use tdxmodel explain ${cmd} (log beside model) or tdxmodel import ${cmd} (a document from it)`);
  return new InputError(source, `this looks like ${kind === 'iomem' ? '/proc/iomem' : kind === 'lscpu' ? 'lscpu -p output' : 'a /sys node listing'}, not a platform document: use tdxmodel import ${cmd} to build one from it`);
}

/** A platform from a file, stdin or a built-in preset, with --set overrides, validated. */
export async function loadPlatform(spec: string, sets: string[] = []): Promise<Platform> {
  const { doc, source } = await loadDocument(spec);
  applySets(doc, sets);
  try {
    return validatePlatform(doc);
  } catch (e) {
    // Syntax errors already carry "file:line"; field errors get the file in front.
    if (e instanceof InputError && e.where.startsWith(oneLine(source))) throw e;
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
    if (STRING_FIELDS.has(path.join('.'))) {
      // The text as typed; a JSON string literal ("1.10", as a sweep axis passes it) is unquoted.
      value = raw;
      if (raw.startsWith('"')) {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (typeof parsed === 'string') value = parsed;
        } catch {
          // not a JSON string: keep the text
        }
      }
    } else if (/^\s*[[{]/.test(raw)) {
      // An object or array is meant as JSON: read it as strictly as a document is.
      value = parseJsonStrict(raw, `--set ${path.join('.')}`);
    } else {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    let o = doc as Record<string, unknown>;
    for (const k of path.slice(0, -1)) {
      // Own fields only: "kernel.toString.x" must not find Object.prototype.toString.
      if (!Object.hasOwn(o, k) || o[k] === undefined) o[k] = {};
      if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) throw usageError(`--set ${path.join('.')}: ${k} is not an object`);
      o = o[k] as Record<string, unknown>;
    }
    o[path[path.length - 1]] = value;
  }
}
