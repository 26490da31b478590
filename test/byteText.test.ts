// ByteText writes what Buffer.from(text, 'utf8') would: the sweep's output files are these bytes.

import { describe, expect, it } from 'vitest';
import { ByteText, textOf } from '../src/util/byteText.js';
import { rng } from './helpers/randomPlatform.js';

/** A random string of ASCII, Latin-1, BMP, astral (surrogate pairs) and lone surrogates. */
function randomText(r: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const kind = r();
    if (kind < 0.7) s += String.fromCharCode(Math.floor(r() * 0x80));
    else if (kind < 0.8) s += String.fromCharCode(0x80 + Math.floor(r() * 0x780));
    else if (kind < 0.9) s += String.fromCharCode(0x800 + Math.floor(r() * 0xd000));
    else if (kind < 0.97) s += String.fromCodePoint(0x10000 + Math.floor(r() * 0xfffff));
    else s += String.fromCharCode(0xd800 + Math.floor(r() * 0x800));
  }
  return s;
}

describe('ByteText', () => {
  it('adds each text as the bytes Buffer.from(text, "utf8") gives, through many buffer growths', () => {
    const r = rng(7);
    const out = new ByteText(8);
    // Each piece is encoded alone: a lone surrogate at the end of one never pairs with the next's.
    const expected: Buffer[] = [];
    for (let i = 0; i < 5000; i++) {
      const s = randomText(r, Math.floor(r() * 40));
      out.add(s);
      expected.push(Buffer.from(s, 'utf8'));
      if (r() < 0.3) {
        out.ascii(0x2c);
        expected.push(Buffer.from(','));
      }
    }
    expect(Buffer.from(out.take()).equals(Buffer.concat(expected))).toBe(true);
  });

  it('writes integers as String() does, from 0 to 2^53 - 1', () => {
    const r = rng(8);
    const values = [0, 1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 1e15, 2 ** 53 - 1];
    for (let i = 0; i < 100_000; i++) values.push(Math.floor(r() ** 4 * 2 ** 53));
    const out = new ByteText(16);
    for (const x of values) {
      out.uint(x);
      out.ascii(10);
    }
    expect(textOf(out.take())).toBe(values.map((x) => String(x) + '\n').join(''));
  });

  it('take() hands over the bytes written so far, which later writing leaves alone, and starts again empty', () => {
    const out = new ByteText(16);
    out.add('first');
    const a = out.take();
    expect(out.length).toBe(0);
    out.add('second');
    const b = out.take();
    expect(textOf(a)).toBe('first');
    expect(textOf(b)).toBe('second');
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('writes again into a buffer given back (recycle), and only then', () => {
    const out = new ByteText(16);
    out.add('one');
    const a = out.take();
    out.recycle(a);
    out.add('two'); // into the buffer taken before recycle: a new one
    const b = out.take();
    expect(textOf(a)).toBe('one');
    out.add('three'); // into a's buffer, given back
    const c = out.take();
    expect(c.buffer).toBe(a.buffer);
    expect(textOf(c)).toBe('three');
    expect(textOf(b)).toBe('two');
  });

  it('does not keep a buffer of another size, or one moved to another thread', () => {
    const out = new ByteText(16);
    out.recycle(new Uint8Array(8));
    const moved = new ByteText(16);
    moved.add('x');
    const m = moved.take();
    structuredClone(m.buffer, { transfer: [m.buffer] });
    out.recycle(m);
    out.add('y');
    const first = out.take();
    out.add('z');
    const second = out.take();
    expect(first.buffer.byteLength).toBe(16);
    expect(second.buffer).not.toBe(first.buffer);
    expect(textOf(first) + textOf(second)).toBe('yz');
  });
});
