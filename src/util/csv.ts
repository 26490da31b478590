// CSV writing and reading (RFC 4180 quoting, "\n" record ends). Text cells are also defused
// against formula injection: a spreadsheet runs a cell that starts with =, +, -, @, tab or CR as
// a formula, and a sweep's cells echo text the user (or a shared spec file) wrote, so such a
// cell gets a leading apostrophe, which spreadsheets show as text. Only such cells change:
// numbers are written as numbers, and a text cell that is a plain number ("-5", "+1.5e3") is
// data, not a formula, so it is written as it is and a script comparing values still matches.

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One text cell, defused and quoted as needed. */
export function csvText(s: string): string {
  const safe = FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One cell: null/undefined and non-finite numbers are empty; booleans are true/false. */
export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvText(v);
}

/** One record, without its line end. */
export function csvRecord(values: readonly CsvValue[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) s += (i ? ',' : '') + csvCell(values[i]);
  return s;
}

export interface CsvRecord {
  /** The record's text as written, without its line end. */
  raw: string;
  fields: string[];
  /** 1-based line the record starts on. */
  line: number;
}

/**
 * Splits CSV text into records, honouring quoted fields (which may hold commas, quotes and line
 * ends). Accepts "\n" and "\r\n" record ends. Throws on an unterminated quote or a stray quote
 * inside an unquoted field, with the line.
 */
export function parseCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const len = text.length;
  let pos = 0;
  let line = 1;
  while (pos < len) {
    const start = pos;
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[pos] === '"') {
        pos++;
        for (;;) {
          if (pos >= len) throw new SyntaxError(`line ${startLine}: unterminated quoted field`);
          const c = text[pos];
          if (c === '"') {
            if (text[pos + 1] === '"') {
              field += '"';
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          pos++;
        }
        const after = text[pos];
        if (after !== undefined && after !== ',' && after !== '\n' && !(after === '\r' && text[pos + 1] === '\n')) {
          throw new SyntaxError(`line ${line}: text after a closing quote`);
        }
      } else {
        while (pos < len) {
          const c = text[pos];
          if (c === ',' || c === '\n' || (c === '\r' && text[pos + 1] === '\n')) break;
          if (c === '"') throw new SyntaxError(`line ${line}: a quote inside an unquoted field`);
          field += c;
          pos++;
        }
      }
      fields.push(field);
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      break;
    }
    const raw = text.slice(start, pos);
    if (text[pos] === '\r') pos++;
    if (text[pos] === '\n') {
      pos++;
      line++;
    }
    out.push({ raw, fields, line: startLine });
  }
  return out;
}
