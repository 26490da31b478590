// Text written straight into UTF-8 bytes. A sweep writes millions of short rows: made as strings,
// each row was a rope of a dozen pieces, flattened and encoded again on its way to the file,
// and that garbage was most of a capacity sweep's allocation. Written here, a row is a few
// byte copies into one buffer, and a chunk's bytes cross to the writing thread without a copy.
//
// The bytes are what Buffer.from(text, 'utf8') gives for the same text: ASCII is copied as is;
// anything else goes through TextEncoder, which (like Buffer) writes a lone surrogate as U+FFFD.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Output as it comes from a producer of text: a string, or its UTF-8 bytes. */
export type TextChunk = string | Uint8Array;

/** A TextChunk as a string. */
export function textOf(chunk: TextChunk): string {
  return typeof chunk === 'string' ? chunk : decoder.decode(chunk);
}

/** s as UTF-8 bytes (for a piece written many times: ByteText.bytes copies it without reading a string). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decimal digits of a non-negative integer below 2^53, least significant first (scratch). */
const digits = new Uint8Array(16);

/** How many decimal digits a non-negative int32 has. */
function int32Digits(v: number): number {
  let n = 1;
  let limit = 10;
  while (n < 10 && v >= limit) {
    n++;
    limit *= 10;
  }
  return n;
}

/** Buffers a ByteText keeps for reuse at most (recycle): a writer has a chunk or two in flight. */
const SPARES = 4;

export class ByteText {
  private buf: Uint8Array;
  private pos = 0;
  /** Buffers handed out by take() and given back (recycle), ready to be written again. */
  private readonly spares: Uint8Array[] = [];

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.pos;
  }

  /** Room for n more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Appends s as UTF-8. */
  add(s: string): void {
    const n = s.length;
    // A UTF-16 unit never takes more than 3 bytes (a surrogate pair: 4 bytes for 2 units).
    this.room(3 * n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        p += encoder.encodeInto(s.slice(i), buf.subarray(p)).written;
        break;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  /** Appends bytes (a piece encoded once with utf8()). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    const p = this.pos;
    // A row's pieces are a few dozen bytes: a loop costs less than set()'s call.
    if (n > 64) buf.set(b, p);
    else for (let i = 0; i < n; i++) buf[p + i] = b[i];
    this.pos = p + n;
  }

  /** A copy of the bytes written from offset `from` (length at that time) to now. */
  copySince(from: number): Uint8Array {
    return this.buf.slice(from, this.pos);
  }

  /** Appends one ASCII character by its code. */
  ascii(code: number): void {
    this.room(1);
    this.buf[this.pos++] = code;
  }

  /** Appends a non-negative integer below 2^53 in decimal, as String() writes it. */
  uint(x: number): void {
    if (x <= 0x7fffffff) {
      // Int32 arithmetic (a division by 10 compiles to a multiplication), digits written in place from the last.
      let v = x | 0;
      const n = int32Digits(v);
      this.room(n);
      const buf = this.buf;
      let p = this.pos + n;
      this.pos = p;
      do {
        const q = (v / 10) | 0;
        buf[--p] = 48 + v - q * 10;
        v = q;
      } while (v !== 0);
      return;
    }
    let n = 0;
    do {
      const q = Math.floor(x / 10);
      digits[n++] = 48 + (x - q * 10);
      x = q;
    } while (x > 0);
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    while (n > 0) buf[p++] = digits[--n];
    this.pos = p;
  }

  /**
   * The bytes written since the last take(), a view of a buffer that is now the caller's alone
   * (a worker can transfer it); writing goes on in a spare buffer or a new one.
   */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = this.spares.pop() ?? new Uint8Array(this.buf.length);
    this.pos = 0;
    return out;
  }

  /**
   * Gives back bytes take() handed out (or another ByteText of the same size did), once nothing
   * reads them any more: their buffer is written again instead of a new one being made, whose
   * first writes would each fault in a fresh page. A transferred (detached) buffer is dropped.
   */
  recycle(bytes: Uint8Array): void {
    const buffer = bytes.buffer;
    if (buffer.byteLength === this.buf.length && this.spares.length < SPARES) this.spares.push(new Uint8Array(buffer));
  }
}
