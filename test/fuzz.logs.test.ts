// Fuzz: the kernel-log reader takes text pasted from anywhere. It documents that it never
// throws on content, so here even an InputError is a failure; and a long hostile line must
// not send a regular expression into exponential backtracking.
import { describe, it, expect } from 'vitest';
import { readKernelLog } from '../src/platform/importers/dmesg.js';
import { calibrate } from '../src/model/calibrate.js';
import { caseRng, excerpt, FUZZ_SEED, mutateText, randomBytes, randomJsonish, seedLogs, type Rng } from './helpers/fuzz.js';

const logs = seedLogs();

function mutatedLog(rng: Rng): string {
  const lines = rng.pick(logs).split('\n');
  // Line-level edits first (logs are excerpts: lines go missing, repeat, get cut), then bytes.
  for (let n = rng.int(4); n > 0; n--) {
    const i = rng.int(lines.length);
    switch (rng.int(4)) {
      case 0: lines.splice(i, 1); break;
      case 1: lines.splice(i, 0, lines[i]!); break;
      case 2: lines[i] = lines[i]!.slice(0, rng.int(lines[i]!.length + 1)) + (rng.chance(0.5) ? '...' : ''); break;
      default: lines[i] = lines[i]!.replace(/0x[0-9a-f]+|\d+/gi, (m) => (rng.chance(0.3) ? rng.pick(['0xffffffffffffffffffff', '99999999999999999999999', '-1', '0x', '']) : m)); break;
    }
  }
  let text = lines.join('\n');
  for (let n = rng.int(3); n > 0; n--) text = mutateText(text, rng);
  return text;
}

async function check(label: string, text: string): Promise<string | undefined> {
  const t0 = performance.now();
  try {
    const log = readKernelLog(text, 'fuzz.log');
    await calibrate([{ source: 'fuzz.log', log }]);
  } catch (e) {
    return `${label}: ${(e as Error).name}: ${(e as Error).message}\n${(e as Error).stack?.split('\n').slice(1, 4).join('\n')}\ninput: ${excerpt(text)}`;
  }
  const dt = performance.now() - t0;
  return dt > 2000 ? `${label}: took ${Math.round(dt)} ms\ninput: ${excerpt(text)}` : undefined;
}

describe(`fuzz kernel logs (FUZZ_SEED=${FUZZ_SEED})`, () => {
  it('readKernelLog + calibrate on 1500 mutated real logs', async () => {
    const failures: string[] = [];
    for (let i = 0; i < 1500 && failures.length < 5; i++) {
      const f = await check(`case ${i}`, mutatedLog(caseRng(20, i)));
      if (f) failures.push(f);
    }
    expect(failures).toEqual([]);
  });

  it('readKernelLog on 500 random byte strings and noise', async () => {
    const failures: string[] = [];
    for (let i = 0; i < 500 && failures.length < 5; i++) {
      const rng = caseRng(21, i);
      const f = await check(`case ${i}`, i % 2 ? randomBytes(rng, rng.int(2000)).toString('utf8') : randomJsonish(rng, rng.int(2000)));
      if (f) failures.push(f);
    }
    expect(failures).toEqual([]);
  });

  it('long adversarial lines stay linear', async () => {
    const n = 200_000;
    const hostile = [
      'NUMA: Node 0 ' + '[mem 0x0-0x1] + '.repeat(n / 16) + 'x',
      'virt/tdx: CMR: [0x' + '0'.repeat(n) + ', 0x1',
      'Nov 21 10:00:00 ' + 'a'.repeat(n) + ' kernel',
      'smpboot: CPU0: ' + ' (family: 0x6, model: 0x8f'.repeat(n / 26),
      'NUMA: Node 0 ' + '[mem 0x0-0x1]'.repeat(n / 13) + ' -',
      'virt/tdx: ' + '...'.repeat(n / 3),
      'virt/tdx: initialization failed: TDMR [0x' + '1'.repeat(n) + ',',
      'BIOS-e820: [mem 0x0-0x' + 'f'.repeat(n) + '] usable',
      '<1>'.repeat(n / 4),
      // Stamps and wrappers added for issue 11.2: colour codes, quotes, dmesg -x, journal notes.
      '\u001b['.repeat(n / 2),
      '\u001b[' + '1;'.repeat(n / 2),
      '> '.repeat(n / 2) + 'virt/tdx: CMR: [0x0, 0x1)',
      'kern  :info  : '.repeat(n / 15),
      '-- ' + 'x -- '.repeat(n / 5) + 'x',
      '[    1.000000] ' + 'h'.repeat(n) + ' kernel',
      '2024-11-21T10:00:00.' + '1'.repeat(n) + '+0000 host kernel: virt/tdx: module initialized',
      'Linux version '.repeat(n / 14),
    ];
    const failures: string[] = [];
    for (const [i, l] of hostile.entries()) {
      const f = await check(`line ${i}`, l);
      if (f) failures.push(f);
    }
    expect(failures).toEqual([]);
  });
});
