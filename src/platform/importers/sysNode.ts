// Memory-block listings from sysfs: which NUMA node each memory block belongs to.
//
// Accepted format (documented for users; capture it with):
//
//     grep -H . /sys/devices/system/memory/block_size_bytes
//     ls -d /sys/devices/system/node/node*/memory*
//
// which prints
//
//     /sys/devices/system/memory/block_size_bytes:80000000
//     /sys/devices/system/node/node0/memory0
//     /sys/devices/system/node/node0/memory1
//     /sys/devices/system/node/node1/memory64
//
// (-H: grep prints no file name for a single file without it.) A bare value line (`cat
// block_size_bytes`, before any node line) is read as the block size too.
// Also read: `grep -H . /sys/devices/system/node/node*/memory*/phys_index` lines (`…/memory32/phys_index:00000020`,
// the block number in hex), other `…/nodeN/memoryM/<attr>:<value>` lines (the path alone
// carries what is needed), and the per-node form `/sys/devices/system/node/node0` followed by
// lines of bare `memoryM` names (`ls` of the node directory). block_size_bytes is hex without
// 0x, as sysfs prints it. Block M covers [M × size, (M + 1) × size).
//
// Why blocks and not `nodeN/meminfo`: meminfo gives per-node totals, no addresses, so it
// cannot place memory; the block list can, to block granularity (128 MiB–2 GiB).

import { InputError, invalidLine } from '../errors.js';
import { parseHex } from '../../construct/hex.js';

export interface NodeBlockRange {
  node: number;
  start: number;
  end: number;
}

export interface SysNode {
  source: string;
  blockSize: number;
  /** Consecutive same-node blocks joined, ascending. */
  ranges: NodeBlockRange[];
  lines: [number, number];
}

// Paths may carry a prefix before /sys (a host's sysfs mounted at /host/sys in a container).
const BLOCK_SIZE = /^(?:\/[^\s:]*)?\/sys\/devices\/system\/memory\/block_size_bytes:\s*(?:0x)?([0-9a-fA-F]+)$/;
const NODE_BLOCK = /^(?:\/[^\s:]*)?\/sys\/devices\/system\/node\/node(\d+)\/memory(\d+)(?:\/([a-z_]+)(?::\s*(\S+))?)?\/?$/;
const NODE_DIR = /^(?:\/[^\s:]*)?\/sys\/devices\/system\/node\/node(\d+)\/?:?$/;
const BARE_BLOCK = /^memory(\d+)$/;

export function readSysNode(text: string, source: string): SysNode {
  const lines = text.split(/\r\n|\n|\r/);
  let blockSize: number | undefined;
  const blocks = new Map<number, { node: number; line: number }>();
  let currentNode: number | undefined;
  let first = 0;
  let last = 0;
  const add = (index: number, node: number, line: number): void => {
    const prev = blocks.get(index);
    if (prev && prev.node !== node) throw invalidLine(source, line, `memory block ${index} is listed under node ${prev.node} (line ${prev.line}) and node ${node}`);
    blocks.set(index, { node, line });
    if (!first) first = line;
    last = line;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    const lineNo = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    let m = BLOCK_SIZE.exec(raw);
    if (m) {
      blockSize = parseHex(m[1]);
      if (!blockSize || blockSize % 4096 !== 0) throw invalidLine(source, lineNo, `block_size_bytes ${m[1]} is not a multiple of 4 KiB`);
      continue;
    }
    // `cat block_size_bytes` (or grep without -H): the value alone, hex without 0x.
    if (blockSize === undefined && currentNode === undefined && /^(?:0x)?[0-9a-fA-F]+$/.test(raw)) {
      blockSize = parseInt(raw.replace(/^0x/, ''), 16);
      if (!blockSize || blockSize % 4096 !== 0) throw invalidLine(source, lineNo, `block size ${raw} is not a multiple of 4 KiB`);
      continue;
    }
    m = NODE_BLOCK.exec(raw);
    if (m) {
      // phys_index is the block number again, in hex: a mismatch means a garbled paste.
      if (m[3] === 'phys_index' && m[4] !== undefined && parseHex(m[4]) !== Number(m[2])) {
        throw invalidLine(source, lineNo, `phys_index ${m[4]} does not match memory${m[2]}`);
      }
      add(Number(m[2]), Number(m[1]), lineNo);
      continue;
    }
    m = NODE_DIR.exec(raw);
    if (m) {
      currentNode = Number(m[1]);
      continue;
    }
    const names = raw.split(/\s+/);
    if (currentNode !== undefined && names.length > 0) {
      let any = false;
      for (const n of names) {
        const b = BARE_BLOCK.exec(n);
        if (b) {
          add(Number(b[1]), currentNode, lineNo);
          any = true;
        }
      }
      // `ls` of a node directory also lists cpu*, meminfo, distance...: those are not memory.
      if (any || names.every((n) => /^[a-z_0-9]+$/.test(n))) continue;
    }
    if (/^(?:\/[^\s:]*)?\/sys\/devices\/system\//.test(raw)) continue;
    throw invalidLine(source, lineNo, 'not a /sys/devices/system/node listing line (expected /sys/devices/system/node/nodeN/memoryM)');
  }
  if (blocks.size === 0) throw invalidLine(source, 1, 'no memory blocks listed (expected /sys/devices/system/node/nodeN/memoryM lines)');
  if (blockSize === undefined) {
    throw new InputError(source, 'no block_size_bytes line: add the output of `grep -H . /sys/devices/system/memory/block_size_bytes`');
  }
  const ranges: NodeBlockRange[] = [];
  for (const [index, b] of [...blocks].sort((a, c) => a[0] - c[0])) {
    const start = index * blockSize;
    const end = start + blockSize;
    if (!Number.isSafeInteger(end)) throw invalidLine(source, b.line, `memory${index} lies beyond 2^53`);
    const prev = ranges[ranges.length - 1];
    if (prev && prev.end === start && prev.node === b.node) prev.end = end;
    else ranges.push({ node: b.node, start, end });
  }
  return { source, blockSize, ranges, lines: [first, last] };
}
