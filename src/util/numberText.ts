// A number's text exactly as String(x) (and JSON.stringify, for a finite x) writes it, written
// as bytes and made faster for the numbers a sweep row holds: integers, and times rounded to the
// nanosecond (3 decimals, r3). In a row's text, String() of a non-integer double was the largest
// single cost (V8 runs its shortest-digits conversion in the runtime, through its number-string
// cache).
//
// Why the fast text is String(x): ECMAScript's Number::toString writes the fewest significant
// digits whose decimal value rounds to x (the closest such, when several). Below 2^31 in
// magnitude the spacing of doubles is at most 2^-22, far below 0.001. If D = m/1000 (an integer m)
// rounds to x, D written with its trailing zeros trimmed has at most p + 4 digits (p: the
// position of its leading digit); any other decimal that rounds to x lies within 2^-22 of D, so
// it is not a multiple of 0.001, has a digit at 10^-4 or below and the same leading position
// (D is at least 0.001 from the next power of ten), hence at least p + 5 digits. So D's digits
// are String(x)'s; the layout matches too (no exponent: 0.001 <= |x| < 2^31 lies inside
// String's fixed-notation range [1e-6, 1e21); below 1 it writes "0.", as here). Anything else
// (larger magnitudes, more decimals, NaN, infinities) is String(x) itself.

import type { ByteText } from './byteText.js';

/** |m| below this: m / 1000 fits an int32 and |x| < 2^31 (see the header). */
const M_LIMIT = 2147483647000;

/** String(x) appended to out as bytes, for any number x (the fallback makes the string). */
export function writeNumberText(out: ByteText, x: number): void {
  const i = x | 0;
  if (i === x) {
    if (i < 0) out.ascii(45); // '-'
    out.uint(i < 0 ? -i : i);
    return;
  }
  const m = Math.round(x * 1000);
  if (!(m < M_LIMIT && m > -M_LIMIT) || m / 1000 !== x) {
    out.add(String(x));
    return;
  }
  const a = m < 0 ? -m : m;
  const whole = (a / 1000) | 0;
  if (m < 0) out.ascii(45);
  out.uint(whole);
  // The thousandths f: '.', then up to three digits, trailing zeros trimmed ("" for 0, ".5" for 500).
  const f = a - whole * 1000;
  if (f === 0) return;
  const d1 = (f / 100) | 0;
  const d2 = ((f / 10) | 0) - d1 * 10;
  const d3 = f - ((f / 10) | 0) * 10;
  out.ascii(46); // '.'
  out.ascii(48 + d1);
  if (d2 === 0 && d3 === 0) return;
  out.ascii(48 + d2);
  if (d3 !== 0) out.ascii(48 + d3);
}
