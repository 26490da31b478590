// CSV cells: RFC 4180 quoting, formula-injection defusing of text (not of numbers), and the
// reader the shard merge uses, which must give back exactly the records written.
import { describe, it, expect } from 'vitest';
import { csvCell, csvRecord, csvText, parseCsv } from '../src/util/csv.js';

describe('csv', () => {
  it('quotes commas, quotes and line ends (RFC 4180)', () => {
    expect(csvText('plain')).toBe('plain');
    expect(csvText('a,b')).toBe('"a,b"');
    expect(csvText('say "hi"')).toBe('"say ""hi"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('cr\rhere')).toBe('"cr\rhere"');
    expect(csvText('')).toBe('');
  });

  it('defuses text that a spreadsheet would run as a formula', () => {
    expect(csvText('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvText('+1+1')).toBe("'+1+1");
    expect(csvText('-2+3')).toBe("'-2+3");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\tx')).toBe("'\tx");
    expect(csvText('\rx')).toBe('"\'\rx"');
    expect(csvText('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers, even negative ones; empty for null and non-finite', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(1.25)).toBe('1.25');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('a text cell that is a plain number is data, not a formula: written unchanged', () => {
    expect(csvCell('-5')).toBe('-5');
    expect(csvText('-1.5e3')).toBe('-1.5e3');
    expect(csvText('+7')).toBe('+7');
    expect(csvText('-5 ')).toBe("'-5 ");
    expect(csvText('-ENOSPC')).toBe("'-ENOSPC");
  });

  it('reads back what it wrote, record by record', () => {
    const rows = [['index', 'name', 'message'], ['0', 'a,b', 'say "hi"'], ['1', 'two\nlines', ''], ['2', '', 'x']];
    const text = rows.map((r) => csvRecord(r)).join('\n') + '\n';
    const parsed = parseCsv(text);
    expect(parsed.map((r) => r.fields)).toEqual(rows);
    expect(parsed.map((r) => r.raw)).toEqual(rows.map((r) => csvRecord(r)));
    expect(parsed.map((r) => r.line)).toEqual([1, 2, 3, 5]);
    expect(parseCsv('a,b\r\nc,d\r\n').map((r) => r.fields)).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('refuses broken quoting with the line', () => {
    expect(() => parseCsv('a\n"open,b\n')).toThrow(/line 2: unterminated/);
    expect(() => parseCsv('a"b\n')).toThrow(/line 1: a quote inside/);
    expect(() => parseCsv('"a"b\n')).toThrow(/line 1: text after a closing quote/);
  });
});
