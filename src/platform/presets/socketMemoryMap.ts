// Builds the memory side of a preset (memblock memory, CMRs, memblock reserved) from the way
// Intel server firmware lays out physical memory, so that presets differ in the numbers that
// matter and share one account of the layout:
//
// - Socket 0 holds the low memory: below 2 GiB a firmware-chosen list of usable ranges (the
//   e820 "usable" entries; gaps are ACPI tables, EFI runtime, firmware reserved), then the
//   32-bit MMIO window [2 GiB, 4 GiB), and its remaining DRAM from 4 GiB. Its DRAM therefore
//   ends at DRAM + 2 GiB in address space (case-14: 128 GiB per socket, socket 1 starts at
//   0x2080000000 = 130 GiB).
// - Every other socket follows contiguously, DRAM bytes = address bytes.
// - The top of each socket is not convertible and not usable (the CMR and the memblock range
//   stop short of the socket boundary): 288 MiB on socket 0 and 256 MiB on the others in
//   case-14 and case-15, 96 MiB / 64 MiB in case-05.
// - Sub-NUMA clustering splits a socket into equal NUMA nodes; the CMR stays one range per
//   socket, because convertibility is a property of DRAM, not of the NUMA split.
// - The struct-page array of each node (64 bytes per 4 KiB page) is a memblock reservation at
//   the top of the node: memblock allocates top-down, and the PAMT allocator must not take it.

import { hex } from '../../construct/hex.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const FOUR_G = 4 * GiB;
const TWO_G = 2 * GiB;

export type Range = [start: number, end: number];

export interface LowMap {
  /** Usable (memblock) ranges below 2 GiB, half-open, ascending; node 0. */
  usable: Range[];
  /** End of the low CMR (it starts at 1 MiB): DRAM below the TSEG/firmware top. */
  cmrEnd: number;
  /** Memblock reservations below 4 GiB (kernel image, initrd), with labels. */
  reserved: { start: number; end: number; label: string }[];
}

export interface SocketLayout {
  sockets: number;
  dramPerSocketGiB: number;
  /** NUMA nodes per socket (SNC2, SNC3); 1 = no sub-NUMA clustering. */
  snc: number;
  /** Non-convertible top of socket 0 and of the others, MiB. */
  topGapMiB: [socket0: number, others: number];
}

/** A range as a document writes it: hex strings in presets, plain integers where nobody reads it. */
export interface HexRange {
  start: string | number;
  end: string | number;
}

export interface LayoutDoc {
  memory: (HexRange & { node: number })[];
  cmrs: HexRange[];
  reserved: (HexRange & { label: string })[];
}


/**
 * The memory side of a platform document. Addresses are hex strings, as a reader of a preset
 * wants them; a sweep, which builds one per row and only validates it, passes `addr = Number`
 * to skip formatting and parsing them.
 */
export function buildLayout(low: LowMap, s: SocketLayout, addr: (n: number) => string | number = hex): LayoutDoc {
  const refused = layoutRefusal(s);
  if (refused) throw new Error(refused);
  const dram = s.dramPerSocketGiB * GiB;
  const perNode = dram / s.snc;
  const memory: (HexRange & { node: number })[] = [];
  const cmrs: HexRange[] = [{ start: addr(MiB), end: addr(low.cmrEnd) }];
  const reserved: (HexRange & { label: string })[] = low.reserved.map((r) => ({ start: addr(r.start), end: addr(r.end), label: r.label }));

  for (const [a, b] of low.usable) memory.push({ start: addr(a), end: addr(b), node: 0 });
  let socketStart = 0;
  for (let sock = 0; sock < s.sockets; sock++) {
    // Socket 0's DRAM is shifted up by the 2 GiB MMIO window above its low part.
    const socketEnd = sock === 0 ? dram + TWO_G : socketStart + dram;
    const gap = (sock === 0 ? s.topGapMiB[0] : s.topGapMiB[1]) * MiB;
    const usableEnd = socketEnd - gap;
    cmrs.push({ start: addr(sock === 0 ? FOUR_G : socketStart), end: addr(usableEnd) });
    for (let k = 0; k < s.snc; k++) {
      const node = sock * s.snc + k;
      const dramOffset = k * perNode;
      const start = sock === 0 ? (k === 0 ? FOUR_G : dramOffset + TWO_G) : socketStart + dramOffset;
      const end = k === s.snc - 1 ? usableEnd : (sock === 0 ? dramOffset + perNode + TWO_G : socketStart + dramOffset + perNode);
      memory.push({ start: addr(start), end: addr(end), node });
      const nodeBytes = sock === 0 && k === 0 ? perNode : end - start;
      const memmap = Math.ceil(nodeBytes / 64 / (2 * MiB)) * 2 * MiB;
      reserved.push({ start: addr(end - memmap), end: addr(end), label: `memmap node ${node}` });
    }
    socketStart = socketEnd;
  }
  return { memory, cmrs, reserved };
}

/**
 * Why buildLayout refuses a socket layout, or null: a caller that builds many (a sweep, where a
 * refused layout is a row's result) asks first instead of paying for a thrown error.
 */
export function layoutRefusal(s: SocketLayout): string | null {
  const perNode = (s.dramPerSocketGiB * GiB) / s.snc;
  return perNode < TWO_G || perNode % GiB !== 0 ? 'a NUMA node must hold a whole number of GiB, at least 2' : null;
}

/** Node distances: 10 local, `sameSocket` between SNC nodes of one socket, `remote` across sockets. */
export function distances(s: SocketLayout, sameSocket: number, remote: number): number[][] {
  const n = s.sockets * s.snc;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    if (i === j) return 10;
    return Math.floor(i / s.snc) === Math.floor(j / s.snc) ? sameSocket : remote;
  }));
}
