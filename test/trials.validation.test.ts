// Bad programs and options are refused in TypeScript, with the offending field named, before
// anything reaches the kernel (which cannot recover from bad input).
import { describe, it, expect } from 'vitest';
import { InputError } from '../src/platform/errors.js';
import { runTrialsWasm } from '../src/kernels/trials.js';
import { runTrialsReference } from '../src/reference/trials.js';
import { runTrials } from '../src/workers/pool.js';

const ok = { steps: [{ name: 'a', ops: [{ kind: 'fixed', us: 1, sigma: 0 }] }] };
const withOp = (op: unknown) => ({ steps: [{ name: 'a', ops: [op] }] });

describe('trial program validation', () => {
  const cases: [string, unknown, RegExp][] = [
    ['no steps', { steps: [] }, /program\.steps: must be a non-empty array/],
    ['nameless step', { steps: [{ name: '', ops: [] }] }, /program\.steps\[0\]\.name/],
    ['unknown kind', withOp({ kind: 'magic' }), /ops\[0\]\.kind: must be one of/],
    ['sigma too large', withOp({ kind: 'fixed', us: 1, sigma: 5 }), /ops\[0\]\.sigma: must be a log-normal sigma in \[0, 4\]/],
    ['negative us', withOp({ kind: 'fixed', us: -1, sigma: 0 }), /ops\[0\]\.us/],
    ['NaN median', withOp({ kind: 'serial', count: 1, fixedUs: 0, medianUs: NaN, sigma: 0 }), /ops\[0\]\.medianUs/],
    ['fractional count', withOp({ kind: 'parallel', count: 1.5, fixedUs: 0, medianUs: 1, sigma: 0 }), /ops\[0\]\.count: must be an integer/],
    ['fractional calls', withOp({ kind: 'tdmrs', calls: [1, 2.5], medianUs: 1, sigma: 0, lanes: 1 }), /ops\[0\]\.calls\[1\]/],
    ['zero lanes', withOp({ kind: 'tdmrs', calls: [1], medianUs: 1, sigma: 0, lanes: 0 }), /ops\[0\]\.lanes/],
    ['extra field', withOp({ kind: 'fixed', us: 1, sigma: 0, count: 3 }), /ops\[0\]\.count: unknown field/],
  ];
  for (const [what, program, message] of cases) {
    it(`refuses ${what}`, () => {
      for (const run of [runTrialsWasm, runTrialsReference]) {
        expect(() => run(program as never, 1, 0, 1)).toThrow(InputError);
        expect(() => run(program as never, 1, 0, 1)).toThrow(message);
      }
    });
  }

  it('refuses bad seeds, trial ranges and pool options', async () => {
    expect(() => runTrialsWasm(ok as never, -1, 0, 1)).toThrow(/seed/);
    expect(() => runTrialsWasm(ok as never, 2 ** 53, 0, 1)).toThrow(/seed/);
    expect(() => runTrialsWasm(ok as never, 1, 0.5, 1)).toThrow(/firstTrial/);
    await expect(runTrials(ok as never, { trials: 0, seed: 1, workers: 1 })).rejects.toThrow(/trials/);
    await expect(runTrials(ok as never, { trials: 10, seed: 1, workers: 0 })).rejects.toThrow(/workers/);
    await expect(runTrials(ok as never, { trials: 10, seed: 1.5, workers: 2 })).rejects.toThrow(/seed/);
  });
});
