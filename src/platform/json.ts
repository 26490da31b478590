// A strict JSON reader for documents from outside: it refuses duplicated keys (JSON.parse keeps
// the last silently, which hides mistakes in hand-written platforms), tolerates a UTF-8 BOM and
// CRLF line ends, and reports the line of a syntax error.

import { InputError } from './errors.js';

export function parseJsonStrict(text: string, source: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new InputError(source, 'empty document');
  let pos = 0;
  const len = text.length;

  const lineOf = (p: number): number => {
    let line = 1;
    for (let i = 0; i < p && i < len; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  };
  const fail = (rule: string, p = pos): never => {
    throw new InputError(`${source}:${lineOf(p)}`, rule);
  };
  const ws = (): void => {
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };
  const value = (depth: number, path: string): unknown => {
    if (depth > 64) fail('nesting deeper than 64 levels');
    ws();
    if (pos >= len) fail('unexpected end of document');
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj: Record<string, unknown> = Object.create(null);
      ws();
      if (text[pos] === '}') { pos++; return { ...obj }; }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('expected a quoted key');
        const keyAt = pos;
        const key = str();
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicated key "${key}" in ${path || 'the document'}`, keyAt);
        ws();
        if (text[pos] !== ':') fail('expected ":" after a key');
        pos++;
        obj[key] = value(depth + 1, path ? `${path}.${key}` : key);
        ws();
        if (text[pos] === ',') { pos++; continue; }
        if (text[pos] === '}') { pos++; return { ...obj }; }
        fail('expected "," or "}" in an object');
      }
    }
    if (c === '[') {
      pos++;
      const arr: unknown[] = [];
      ws();
      if (text[pos] === ']') { pos++; return arr; }
      for (;;) {
        arr.push(value(depth + 1, `${path}[${arr.length}]`));
        ws();
        if (text[pos] === ',') { pos++; continue; }
        if (text[pos] === ']') { pos++; return arr; }
        fail('expected "," or "]" in an array');
      }
    }
    if (c === '"') return str();
    const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(pos, pos + 400));
    if (m) { pos += m[0].length; return Number(m[0]); }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, pos)) { pos += lit.length; return v; }
    }
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
