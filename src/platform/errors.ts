// Named error factories for bad input. An InputError is a usage problem (exit code 2, one line
// on standard error); a modeled kernel or module failure is never an InputError.

// Longest field path or rule kept: a hostile document can put a megabyte key in a message.
const PART_MAX = 1000;

/**
 * Input ends up quoted in messages (keys, strings, file names). The CLI promises one line on
 * standard error, and a raw escape sequence or bidi override must not reach the terminal, so
 * control and formatting characters are written as escapes and very long parts are cut.
 */
export function oneLine(s: string): string {
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return t.length > PART_MAX ? `${t.slice(0, PART_MAX)}…(${t.length} characters)` : t;
}

export class InputError extends Error {
  readonly where: string;
  readonly rule: string;
  constructor(where: string, rule: string) {
    const w = oneLine(where);
    const r = oneLine(rule);
    super(w ? `${w}: ${r}` : r);
    this.name = 'InputError';
    this.where = w;
    this.rule = r;
  }
}

export function invalidField(path: string, rule: string): InputError {
  return new InputError(path, rule);
}

export function invalidLine(source: string, line: number, rule: string): InputError {
  return new InputError(`${source}:${line}`, rule);
}

export function usageError(rule: string): InputError {
  return new InputError('', rule);
}

/** Prefix an InputError with the file it came from, keeping its field path. */
export function inFile(file: string, err: unknown): unknown {
  if (err instanceof InputError) return new InputError(err.where ? `${oneLine(file)}: ${err.where}` : file, err.rule);
  return err;
}
