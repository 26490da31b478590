import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSources, parseSource } from '../src/platform/importers/merge.js';
import { detectFormat } from '../src/platform/importers/detect.js';
import { readIomem } from '../src/platform/importers/iomem.js';
import { readLscpu } from '../src/platform/importers/lscpu.js';
import { readSysNode } from '../src/platform/importers/sysNode.js';
import { validatePlatform } from '../src/platform/validate.js';
import { InputError } from '../src/platform/errors.js';
import { runCli } from './helpers/cli.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIX = path.join(HERE, 'fixtures/import');
const LOGS = path.resolve(HERE, 'data/real-logs');
const read = (f: string) => ({ file: f, text: readFileSync(path.join(FIX, f), 'utf8') });
const imp = (...files: string[]) => importSources(files.map(read));
type Mem = { start: string; end: string; node: number };

describe('format detection by content', () => {
  it.each([
    ['dmesg-e820-srat.txt', 'dmesg'], ['journal-memblock.txt', 'dmesg'], ['iomem.txt', 'iomem'],
    ['lscpu.txt', 'lscpu'], ['lscpu-offline.txt', 'lscpu'], ['sys-node.txt', 'sysnode'], ['sys-node-ls.txt', 'sysnode'],
  ])('%s is %s', (f, kind) => expect(detectFormat(read(f).text, f)).toBe(kind));
  it('ignores the file name', () => expect(detectFormat(read('iomem.txt').text, 'dmesg.txt')).toBe('iomem'));
  it('a grep of tdx lines without timestamps is a kernel log', () => expect(detectFormat('virt/tdx: module not loaded\n', 'x')).toBe('dmesg'));
  it('refuses unknown content with FILE:LINE', () => {
    expect(() => detectFormat('\nhello world\n', 'notes.txt')).toThrow(/^notes\.txt:2: unrecognized content/);
  });
});

describe('dmesg with e820, SRAT, NUMA and CPU lines', () => {
  const r = imp('dmesg-e820-srat.txt');
  const d = r.document as Record<string, any>;
  it('takes e820 usable ranges as memory and splits them at SRAT node boundaries', () => {
    expect(r.memoryFrom).toBe('e820');
    const mem = d.memory as Mem[];
    expect(mem.map((m) => m.node)).toEqual([0, 0, 0, 0, 1]);
    expect(mem[3]).toEqual({ start: '0x100000000', end: '0x1080000000', node: 0 });
    expect(mem[4]).toEqual({ start: '0x1080000000', end: '0x2080000000', node: 1 });
    // The inclusive e820 end 0x...5d168fff becomes the half-open 0x5d169000.
    expect(mem[1]).toEqual({ start: '0x100000', end: '0x5d169000', node: 0 });
  });
  it('reads CPUs, model, module, KeyIDs and CMRs', () => {
    expect(d.cpus).toEqual({ packages: 2, coresPerPackage: 4, threadsPerCore: 2, model: 'sapphirerapids' });
    expect(d.module).toEqual({ version: '1.5' });
    expect(d.keyids).toEqual({ mktme: 31, tdx: 32 });
    expect(d.cmrs).toHaveLength(3);
  });
  it('records provenance with file and lines', () => {
    expect(d.source.memory).toBe('dmesg-e820-srat.txt: BIOS-e820 usable lines 4-11');
    expect(d.source.nodes).toMatch(/SRAT lines 13-15/);
    expect(d.source.cmrs).toMatch(/CMR lines 27-29/);
    expect(Object.keys(d.source)).toContain('warnings');
  });
  it('passes validatePlatform', () => {
    const p = validatePlatform(d);
    expect(new Set(p.memory.map((m) => m.node))).toEqual(new Set([0, 1]));
  });
});

describe('memory edge cases', () => {
  it('page-trims e820 ranges: start up, end down', () => {
    const text = 'BIOS-e820: [mem 0x0000000000100800-0x0000000010000fff] usable\nBIOS-e820: [mem 0x0000000010001000-0x00000000100017ff] usable\n';
    const d = importSources([{ file: 'e.txt', text }]).document as { memory: Mem[] };
    expect(d.memory).toEqual([{ start: '0x101000', end: '0x10001000', node: 0 }]);
  });
  it('falls back to NUMA span lines when there is no SRAT', () => {
    const text = [
      'BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable',
      'BIOS-e820: [mem 0x0000000100000000-0x000000027fffffff] usable',
      'NUMA: Node 0 [mem 0x00000000-0x7fffffff] + [mem 0x100000000-0x17fffffff] -> [mem 0x00000000-0x17fffffff]',
      'NUMA: Node 1 [mem 0x180000000-0x1ffffffff] + [mem 0x200000000-0x27fffffff] -> [mem 0x180000000-0x27fffffff]',
    ].join('\n');
    const r = importSources([{ file: 'n.txt', text }]);
    expect((r.document.memory as Mem[]).map((m) => [m.start, m.end, m.node])).toEqual([
      ['0x100000', '0x80000000', 0], ['0x100000000', '0x180000000', 0], ['0x180000000', '0x280000000', 1],
    ]);
    expect((r.document.source as { nodes: string }).nodes).toMatch(/NUMA lines 3-4/);
  });
  it('prefers memblock node lines and keeps the cut-line note', () => {
    const r = imp('journal-memblock.txt');
    expect(r.memoryFrom).toBe('memblock');
    expect((r.document.memory as Mem[]).at(-1)).toEqual({ start: '0x1080000000', end: '0x2080000000', node: 1 });
    expect(r.warnings.join('\n')).toMatch(/cut by the poster/);
    expect((r.document.module as { version: string }).version).toBe('1.5.06');
    expect((r.document.cpus as { model: string }).model).toBe('emeraldrapids');
  });
  it('uses CMRs as node-0 memory, with a warning, when a log has no memory map', () => {
    for (const f of readdirSync(LOGS).filter((x) => /^case-.*\.txt$/.test(x))) {
      const r = importSources([{ file: f, text: readFileSync(path.join(LOGS, f), 'utf8') }]);
      expect(r.memoryFrom).toBe('cmrs');
      expect(r.warnings.some((w) => /CMR is taken as one memory range/.test(w))).toBe(true);
      expect((r.document.memory as Mem[]).every((m) => m.node === 0)).toBe(true);
      expect(() => validatePlatform(r.document)).not.toThrow();
    }
  });
  it('fails clearly when there is neither a memory map nor CMRs', () => {
    expect(() => importSources([{ file: 'k.txt', text: 'virt/tdx: BIOS enabled: private KeyID range [32, 64)\n' }]))
      .toThrow(/no memory map and no CMR lines/);
  });
});

describe('/proc/iomem', () => {
  it('reads top-level System RAM only', () => {
    const io = readIomem(read('iomem.txt').text, 'iomem.txt');
    expect(io.systemRam.map((r) => r.line)).toEqual([2, 5, 9, 12]);
    expect(io.systemRam[3].end).toBe(0x2080000000);
  });
  it('takes nodes from a sysfs listing', () => {
    const r = imp('iomem.txt', 'sys-node.txt');
    expect(r.memoryFrom).toBe('iomem');
    expect((r.document.memory as Mem[]).map((m) => m.node)).toEqual([0, 0, 0, 0, 1]);
    expect(r.document.source).toMatchObject({ memory: 'iomem.txt: System RAM lines 2-12', nodes: 'sys-node.txt: memory blocks lines 2-65' });
  });
  it('refuses a broken line with FILE:LINE', () => {
    expect(() => readIomem('00000000-00000fff : Reserved\n00001000-0009efff System RAM\n', 'io')).toThrow(/^io:2: not a \/proc\/iomem line/);
  });
  it('refuses an unprivileged (all-zero) capture', () => {
    expect(() => readIomem('00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n', 'io')).toThrow(/as non-root/);
  });
});

describe('lscpu -p', () => {
  it('a regular machine becomes counts', () => {
    const d = imp('journal-memblock.txt', 'lscpu.txt').document;
    expect(d.cpus).toEqual({ packages: 2, coresPerPackage: 4, threadsPerCore: 2, model: 'emeraldrapids' });
    expect(validatePlatform(d).cpus.lps).toHaveLength(16);
  });
  it('offline CPUs (lscpu -a, ONLINE column) become the offline list', () => {
    const d = imp('journal-memblock.txt', 'lscpu-offline.txt').document;
    expect((d.cpus as { offline: number[] }).offline).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    expect(validatePlatform(d).cpus.lps.filter((l) => !l.online).every((l) => l.thread === 1)).toBe(true);
  });
  it('an irregular numbering becomes an explicit LP list', () => {
    const d = imp('sys-node-ls.txt', 'lscpu-adjacent.txt').document;
    const lps = (d.cpus as { lps: { id: number; core: number; thread: number }[] }).lps;
    expect(lps.slice(0, 2)).toMatchObject([{ id: 0, core: 0, thread: 0 }, { id: 1, core: 0, thread: 1 }]);
    expect(validatePlatform(d).cpus.threadsPerCore).toBe(2);
  });
  it('refuses a short row with FILE:LINE', () => {
    expect(() => readLscpu('# CPU,Core,Socket,Node\n0,0,0,0\n1,1\n', 'l')).toThrow(/^l:3: lscpu -p row has 2 fields/);
  });
});

describe('/sys/devices/system/node listings', () => {
  it('joins blocks per node', () => {
    const s = readSysNode(read('sys-node.txt').text, 's');
    expect(s.blockSize).toBe(0x80000000);
    expect(s.ranges).toEqual([
      { node: 0, start: 0, end: 0x80000000 }, { node: 0, start: 0x100000000, end: 0x1080000000 }, { node: 1, start: 0x1080000000, end: 0x2080000000 },
    ]);
  });
  it('reads the per-node ls form', () => {
    const s = readSysNode(read('sys-node-ls.txt').text, 's');
    expect(s.ranges).toEqual([{ node: 0, start: 0, end: 4 * 0x8000000 }, { node: 1, start: 8 * 0x8000000, end: 10 * 0x8000000 }]);
  });
  it('alone, gives block-granular memory with a warning', () => {
    const r = imp('sys-node.txt');
    expect(r.memoryFrom).toBe('sysnode');
    expect(r.warnings[0]).toMatch(/holes inside a block are invisible/);
    expect(() => validatePlatform(r.document)).not.toThrow();
  });
  it('needs block_size_bytes', () => {
    expect(() => readSysNode('/sys/devices/system/node/node0/memory0\n', 's')).toThrow(InputError);
    expect(() => readSysNode('/sys/devices/system/node/node0/memory0\n', 's')).toThrow(/block_size_bytes/);
  });
  it('refuses a block on two nodes', () => {
    expect(() => parseSource({ file: 's', text: '/sys/devices/system/memory/block_size_bytes:8000000\n/sys/devices/system/node/node0/memory3\n/sys/devices/system/node/node1/memory3\n' }))
      .toThrow(/^s:3: memory block 3/);
  });
});

describe('tdxmodel import (command line)', () => {
  it('prints one valid platform document', () => {
    const r = runCli(['import', path.join(FIX, 'dmesg-e820-srat.txt'), path.join(FIX, 'lscpu.txt'), '--name', 'host-a']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.name).toBe('host-a');
    expect(d.cpus).toMatchObject({ packages: 2, coresPerPackage: 4, threadsPerCore: 2 });
    expect(() => validatePlatform(d)).not.toThrow();
  });
  it('bad input: one line FILE:LINE: rule, exit 2', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tdximp-'));
    const bad = path.join(dir, 'iomem');
    writeFileSync(bad, '00000000-00000fff : Reserved\nzzz\n');
    const r = runCli(['import', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`tdxmodel: ${bad}:2: not a /proc/iomem line (expected "start-end : name", hex addresses)\n`);
  });
  it('--out writes the file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tdximp-'));
    const out = path.join(dir, 'p.json');
    const r = runCli(['import', path.join(LOGS, 'case-14.txt'), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).source.memory).toMatch(/CMR lines/);
  });
});
