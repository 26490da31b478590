/** Lowercase 0x-prefixed hex without leading zeros (the kernel's %llx). Exact below 2^53. */
export function hex(n: number): string {
  return '0x' + n.toString(16);
}
