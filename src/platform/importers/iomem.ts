// /proc/iomem: the kernel's resource tree. Only top-level "System RAM" entries are memory the
// kernel manages; nested entries (Kernel code, Crash kernel, PCI windows inside reserved
// ranges) describe parts of their parent and would double count. Ends are inclusive.

import { invalidLine } from '../errors.js';
import { parseHex } from '../../construct/hex.js';

export interface IomemRange {
  line: number;
  start: number;
  /** Half-open: the printed inclusive end + 1. */
  end: number;
  name: string;
}

export interface Iomem {
  source: string;
  /** Top-level entries in file order. */
  top: IomemRange[];
  systemRam: IomemRange[];
}

export const IOMEM_LINE = /^(\s*)([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.*)$/;

export function readIomem(text: string, source: string): Iomem {
  const lines = text.split(/\r\n|\n|\r/);
  const out: Iomem = { source, top: [], systemRam: [] };
  let zeroed = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '' || /^\s*#/.test(raw)) continue;
    const m = IOMEM_LINE.exec(raw);
    if (!m) throw invalidLine(source, i + 1, 'not a /proc/iomem line (expected "start-end : name", hex addresses)');
    if (m[1].length > 0) continue;
    const start = parseHex(m[2]);
    const last = parseHex(m[3]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(last)) throw invalidLine(source, i + 1, 'address beyond 2^53');
    if (last < start) throw invalidLine(source, i + 1, 'range ends before it starts');
    if (start === 0 && last === 0) {
      zeroed++;
      continue;
    }
    const r = { line: i + 1, start, end: last + 1, name: m[4].trim() };
    out.top.push(r);
    if (r.name === 'System RAM') out.systemRam.push(r);
  }
  // Unprivileged readers get every address as zero: the file then says nothing about the layout.
  if (zeroed > 0 && out.top.length === 0) {
    throw invalidLine(source, 1, 'every address is zero (read as non-root); capture /proc/iomem as root');
  }
  return out;
}
