// The WASM kernel and the TypeScript oracle must agree bit for bit on any valid program, seed
// and trial range (see the header of assembly/trials.ts for why this is exact, not approximate).
import { describe, it, expect } from 'vitest';
import type { TrialOp, TrialProgram } from '../src/kernels/trialProgram.js';
import { SEED_MAX, SIGMA_MAX } from '../src/kernels/trialProgram.js';
import { runTrialsReference } from '../src/reference/trials.js';
import { runTrialsWasm } from '../src/kernels/trials.js';
import { rng as mulberry32 } from './helpers/randomPlatform.js';


function randomProgram(rnd: () => number): TrialProgram {
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const us = () => (rnd() < 0.1 ? 0 : rnd() < 0.05 ? 1e12 * rnd() : rnd() * 10_000);
  // σ = 0 (draws nothing), the bound itself, and ordinary values.
  const sigma = () => [0, 0, SIGMA_MAX, rnd() * 0.1, rnd() * 1.5][int(0, 4)];
  const op = (): TrialOp => {
    switch (int(0, 3)) {
      case 0:
        return { kind: 'fixed', us: us(), sigma: sigma() };
      case 1:
        return { kind: 'serial', count: int(0, 40), fixedUs: us(), medianUs: us(), sigma: sigma() };
      case 2:
        return { kind: 'parallel', count: int(0, 40), fixedUs: us(), medianUs: us(), sigma: sigma() };
      default: {
        // Both sides of the exact/approximate threshold (64 calls), and very large TDMRs.
        const calls = Array.from({ length: int(0, 6) }, () =>
          [int(0, 3), int(60, 68), int(65, 100_000), int(0, 2 ** 40)][int(0, 3)],
        );
        return { kind: 'tdmrs', calls, medianUs: us(), sigma: sigma(), lanes: int(1, 5) };
      }
    }
  };
  const steps = Array.from({ length: int(1, 4) }, (_, s) => ({ name: `s${s}`, ops: Array.from({ length: int(0, 4) }, op) }));
  // Boot-to-boot variation: absent, 0, or a σ (one draw per trial scaling every 'tdmrs' op).
  const boot = int(0, 2);
  return boot === 0 ? { steps } : { steps, bootSigma: boot === 1 ? 0 : sigma() };
}

describe('trials kernel = TypeScript oracle, bit for bit', () => {
  it('on 2000 random programs, seeds and trial ranges', () => {
    const rnd = mulberry32(20240601);
    let compared = 0;
    for (let i = 0; i < 2000; i++) {
      const program = randomProgram(rnd);
      const seed = rnd() < 0.2 ? [0, 1, 2 ** 32 - 1, 2 ** 32, SEED_MAX][i % 5] : Math.floor(rnd() * SEED_MAX);
      const firstTrial = rnd() < 0.5 ? Math.floor(rnd() * 100) : Math.floor(rnd() * 2 ** 39);
      const count = 1 + Math.floor(rnd() * 3);
      const wasm = runTrialsWasm(program, seed, firstTrial, count);
      const ref = runTrialsReference(program, seed, firstTrial, count);
      expect(wasm.length).toBe(ref.length);
      // Compare bit patterns so that -0/+0 or NaN could not hide a difference.
      const a = new BigUint64Array(wasm.buffer, wasm.byteOffset, wasm.length);
      const b = new BigUint64Array(ref.buffer, ref.byteOffset, ref.length);
      for (let j = 0; j < a.length; j++) {
        if (a[j] !== b[j]) {
          throw new Error(`program ${i} word ${j}: wasm ${wasm[j]} != oracle ${ref[j]}\n${JSON.stringify({ program, seed, firstTrial, count })}`);
        }
      }
      for (const v of wasm) expect(Number.isFinite(v) && v >= 0).toBe(true);
      compared += a.length;
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('on the 3840-LP hot path over 200 trials', () => {
    const program: TrialProgram = {
      steps: [
        { name: 'lp-serial', ops: [{ kind: 'serial', count: 3840, fixedUs: 5, medianUs: 20, sigma: 0.25 }] },
        { name: 'lp-broadcast', ops: [{ kind: 'parallel', count: 3840, fixedUs: 10, medianUs: 20, sigma: 0.25 }] },
      ],
    };
    const wasm = runTrialsWasm(program, 77, 1000, 200);
    const ref = runTrialsReference(program, 77, 1000, 200);
    expect(Buffer.from(wasm.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
  });

  it('a trial does not depend on the batch it is run in', () => {
    const program = randomProgram(mulberry32(5));
    const whole = runTrialsWasm(program, 9, 0, 50);
    const width = program.steps.length + 1;
    const part = runTrialsWasm(program, 9, 17, 5);
    expect(Array.from(part)).toEqual(Array.from(whole.subarray(17 * width, 22 * width)));
  });
});
