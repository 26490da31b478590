// A strict JSON reader for documents from outside: it refuses duplicated keys (JSON.parse keeps
// the last silently, which hides mistakes in hand-written platforms), tolerates a UTF-8 BOM and
// CRLF line ends, and reports the line of a syntax error.

import { InputError } from './errors.js';

/**
 * Size limits, checked while parsing so a hostile document is refused before it is built:
 * a platform of 4M memory regions parses (and constructs, in about 20 s and 1.6 GB), ten
 * million would exhaust the default V8 heap. Documented in README.md (Limits).
 */
export const JSON_LIMITS = {
  /** Entries of any one array: 2^22, the memory-region limit of validate.ts. */
  arrayItems: 1 << 22,
  /** Objects and arrays in all: each costs ~100 bytes of heap however little text it takes. */
  containers: 1 << 23,
  /** Values of any kind in all. */
  values: 1 << 25,
  /** Nesting depth: the reader recurses, and no platform document nests deeper than 6. */
  depth: 64,
};

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

export function parseJsonStrict(text: string, source: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(source, 'empty document');
  let pos = 0;
  const len = text.length;
  let containers = 0;
  let values = 0;

  const lineOf = (p: number): number => {
    let line = 1;
    for (let i = 0; i < p && i < len; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  };
  const fail = (rule: string, p = pos): never => {
    // A cut-off file is the commonest syntax error: say so rather than what was expected.
    if (p >= len && !rule.startsWith('unexpected end')) rule = `unexpected end of document (${rule})`;
    throw new InputError(`${source}:${lineOf(p)}`, rule);
  };
  const ws = (): void => {
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };
  const limit = (what: string, max: number, path: string): never =>
    fail(`${path || 'the document'}: more than ${max} ${what} (a tdxmodel input limit)`);
  const value = (depth: number, path: string): unknown => {
    if (depth > JSON_LIMITS.depth) fail(`nesting deeper than ${JSON_LIMITS.depth} levels`);
    if (++values > JSON_LIMITS.values) limit('values in all', JSON_LIMITS.values, '');
    ws();
    if (pos >= len) fail('unexpected end of document');
    const c = text[pos];
    if (c === '{' || c === '[') {
      if (++containers > JSON_LIMITS.containers) limit('objects and arrays in all', JSON_LIMITS.containers, '');
    }
    if (c === '{') {
      pos++;
      // A plain object, not a null-prototype one: those are dictionary-mode and cost several
      // times the memory. "__proto__" is defined as an own field so it cannot set the prototype.
      const obj: Record<string, unknown> = {};
      ws();
      if (text[pos] === '}') { pos++; return obj; }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('expected a quoted key');
        const keyAt = pos;
        const key = str();
        if (Object.hasOwn(obj, key)) fail(`duplicated key "${key}" in ${path || 'the document'}`, keyAt);
        ws();
        if (text[pos] !== ':') fail('expected ":" after a key');
        pos++;
        const v = value(depth + 1, path ? `${path}.${key}` : key);
        if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[key] = v;
        ws();
        if (text[pos] === ',') { pos++; continue; }
        if (text[pos] === '}') { pos++; return obj; }
        fail('expected "," or "}" in an object');
      }
    }
    if (c === '[') {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === ']') { pos++; return arr; }
      for (;;) {
        if (arr.length >= JSON_LIMITS.arrayItems) limit('entries', JSON_LIMITS.arrayItems, path);
        arr.push(value(depth + 1, `${path}[${arr.length}]`));
        ws();
        if (text[pos] === ',') { pos++; continue; }
        if (text[pos] === ']') { pos++; return arr; }
        fail('expected "," or "]" in an array');
      }
    }
    if (c === '"') return str();
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m) { pos += m[0].length; return Number(m[0]); }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, pos)) { pos += lit.length; return v; }
    }
    const word = /-?(?:NaN|Infinity)/y;
    word.lastIndex = pos;
    const w = word.exec(text);
    if (w) fail(`${w[0]} is not a JSON number (JSON has no NaN or Infinity)`);
    return fail(`unexpected character ${JSON.stringify(c)}`);
  };
  const str = (): string => {
    const start = pos;
    pos++;
    let out = '';
    for (;;) {
      if (pos >= len) fail('unterminated string', start);
      const c = text.charCodeAt(pos);
      if (c === 34) { pos++; return out; }
      if (c === 92) {
        const e = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) { out += simple[e]; pos += 2; continue; }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
          continue;
        }
        fail('bad escape in a string');
      }
      if (c < 32) fail('control character in a string');
      // Copy the plain run up to the next quote, backslash or control character at once.
      let end = pos + 1;
      while (end < len) {
        const d = text.charCodeAt(end);
        if (d === 34 || d === 92 || d < 32) break;
        end++;
      }
      out += text.slice(pos, end);
      pos = end;
    }
  };
  const v = value(0, '');
  ws();
  if (pos < len) fail('unexpected text after the document');
  return v;
}
