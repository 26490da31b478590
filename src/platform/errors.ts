// Named error factories for bad input. An InputError is a usage problem (exit code 2, one line
// on standard error); a modeled kernel or module failure is never an InputError.

// Longest field path or rule kept: a hostile document can put a megabyte key in a message.
const PART_MAX = 1000;

/**
 * Characters that move the cursor, change the terminal's state or show nothing: controls (C0,
 * DEL, C1), format characters (zero-width spaces and joiners, bidi embeddings and overrides,
 * the BOM, soft hyphen, tags), line and paragraph separators, lone surrogates, spaces other
 * than U+0020 (a no-break space looks like a space), invisible Hangul fillers and variation
 * selectors. A field name "memory\u200b" must not look like "memory" on screen.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Zs}\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;

/**
 * Text taken from input, made safe to show: every character above written as an escape
 * (\n, \r, \t, \u200b, \u{e0041}), so what is on screen is what is in the input. Used in error
 * messages (through oneLine) and wherever a text report shows a name, label or file from input.
 */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    if (c === ' ') return c;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Input ends up quoted in messages (keys, strings, file names). The CLI promises one line on
 * standard error, and a raw escape sequence or bidi override must not reach the terminal, so
 * unprintable characters are written as escapes (printable) and very long parts are cut.
 */
export function oneLine(s: string): string {
  const t = printable(s);
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
