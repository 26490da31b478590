// Text taken from input is shown with what would move the cursor, change the terminal or show
// nothing written as an escape: in error messages and in text reports.
import { describe, it, expect } from 'vitest';
import { printable, oneLine, InputError } from '../src/platform/errors.js';
import { constructText } from '../src/report/constructText.js';

describe('printable', () => {
  it.each([
    ['ESC and BEL', 'a\x1b[31mb\x07', 'a\\u001b[31mb\\u0007'],
    ['C1 CSI and DEL', 'a\u009bb\x7f', 'a\\u009bb\\u007f'],
    ['zero-width space and joiner', 'memory\u200b\u200d', 'memory\\u200b\\u200d'],
    ['bidi override and isolate', '\u202eabc\u2066', '\\u202eabc\\u2066'],
    ['BOM and soft hyphen', '\ufeffa\u00adb', '\\ufeffa\\u00adb'],
    ['no-break and ideographic space', 'a\u00a0b\u3000c', 'a\\u00a0b\\u3000c'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['a tag character (astral)', 'a\u{e0041}', 'a\\u{e0041}'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['newline, return, tab', 'a\nb\rc\td', 'a\\nb\\rc\\td'],
  ])('escapes %s', (_name, input, shown) => {
    expect(printable(input)).toBe(shown);
  });

  it('leaves ordinary text, spaces and visible non-ASCII alone', () => {
    const s = 'preset:default 2.00 GiB µs × ≤ é 中文 😀';
    expect(printable(s)).toBe(s);
  });

  it('is idempotent: an escaped message escapes to itself', () => {
    const once = printable('x\u200by\x1b');
    expect(printable(once)).toBe(once);
  });

  it('error messages escape both the place and the rule, and cut long parts', () => {
    const e = new InputError('memory\u200b', 'unknown field "\x1b[2J"');
    expect(e.message).toBe('memory\\u200b: unknown field "\\u001b[2J"');
    expect(oneLine('x'.repeat(2000))).toMatch(/…\(2000 characters\)$/);
  });

  it('a text report shows a name from input escaped', () => {
    const text = constructText('evil\x1b]0;title\x07', { ok: false, error: 'x', warnings: [] } as never, 64, 16);
    expect(text.split('\n')[0]).toBe('platform evil\\u001b]0;title\\u0007');
  });
});
