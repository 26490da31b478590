import { describe, it, expect, afterEach } from 'vitest';
import { colorEnabled, red } from '../src/report/color.js';
import { table } from '../src/report/units.js';
import { runCli } from './helpers/cli.js';

describe('colour', () => {
  const saved = process.env.NO_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('only on a TTY, and never with NO_COLOR', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    delete process.env.NO_COLOR;
    expect(colorEnabled(tty)).toBe(true);
    expect(colorEnabled({ isTTY: false } as NodeJS.WriteStream)).toBe(false);
    process.env.NO_COLOR = '1';
    expect(colorEnabled(tty)).toBe(false);
  });

  it('piped output carries no escape codes', () => {
    expect(runCli(['simulate', 'preset:2s-emr-17holes']).stdout).not.toContain('\x1b[');
  });

  it('coloured cells do not break table alignment', () => {
    const t = table(['a', 'b'], [[red('x', true), 'y'], ['long cell', 'z']]).split('\n');
    const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    expect(strip(t[2]).indexOf('y')).toBe(strip(t[3]).indexOf('z'));
  });
});
