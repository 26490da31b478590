// The one hex helper: every address, size, status and field the project prints or reads in
// hex goes through here, so the form is the same everywhere (the kernel's: lowercase, 0x).

/** Lowercase 0x-prefixed hex without leading zeros (the kernel's %llx). Exact below 2^53. */
export function hex(n: number | bigint): string {
  return '0x' + n.toString(16);
}

/** 0x and at least `digits` lowercase hex digits, zero-padded (the kernel's %0<digits>llx). */
export function hexPadded(n: number | bigint, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

const HEX_DIGITS = /^(?:0x)?([0-9a-f]+)$/i;

/**
 * Hex digits, with or without 0x, as a number (exact below 2^53; callers that need more check
 * Number.isSafeInteger or use parseHexBig). NaN when the text is not hex.
 */
export function parseHex(text: string): number {
  const m = HEX_DIGITS.exec(text);
  return m ? Number.parseInt(m[1]!, 16) : Number.NaN;
}

/** Hex digits, with or without 0x, as an exact BigInt; undefined when the text is not hex. */
export function parseHexBig(text: string): bigint | undefined {
  const m = HEX_DIGITS.exec(text);
  return m ? BigInt('0x' + m[1]!) : undefined;
}
