// Boot-to-boot variation (bootSigma): one log-normal factor per trial scales the whole
// TDMR.INIT phase; per-call noise stays beside it. Kernel and oracle agree bit for bit.
import { describe, it, expect } from 'vitest';
import type { TrialProgram } from '../src/kernels/trialProgram.js';
import { validateTrialProgram } from '../src/kernels/trialProgram.js';
import { runTrialsReference, normalsReference, expFast } from '../src/reference/trials.js';
import { runTrialsWasm, summarize } from '../src/kernels/trials.js';
import { rng as mulberry32 } from './helpers/randomPlatform.js';

/** A mainline-shaped program: fixed steps around one serial TDMR.INIT of 3 TDMRs (512 GiB). */
function mainlineLike(bootSigma: number | undefined, callSigma = 0): TrialProgram {
  const p: TrialProgram = {
    steps: [
      { name: 'LP.INIT', ops: [{ kind: 'serial', count: 224, fixedUs: 5, medianUs: 20, sigma: 0.2 }] },
      { name: 'alloc', ops: [{ kind: 'fixed', us: 107_000, sigma: 0 }] },
      { name: 'TDMR.INIT', ops: [{ kind: 'tdmrs', calls: [512, 65024, 65536], medianUs: 9, sigma: callSigma, lanes: 1 }] },
    ],
  };
  if (bootSigma !== undefined) p.bootSigma = bootSigma;
  return p;
}

const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer.slice(0)));

describe('boot-to-boot variation in the trials kernel and its oracle', () => {
  it('kernel = oracle bit for bit with bootSigma, on fixed programs', () => {
    for (const [boot, call] of [[0.16, 0], [0.16, 0.3], [4, 0], [0.5, 1.5]]) {
      const p = mainlineLike(boot, call);
      expect(bits(runTrialsWasm(p, 7, 0, 300))).toEqual(bits(runTrialsReference(p, 7, 0, 300)));
    }
  });

  it('kernel = oracle bit for bit on 500 random parallel-lane programs with random bootSigma and trial ranges', () => {
    const rnd = mulberry32(11_05);
    for (let i = 0; i < 500; i++) {
      const calls = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => Math.floor(rnd() * (rnd() < 0.5 ? 80 : 300_000)));
      const p: TrialProgram = {
        steps: [
          { name: 'a', ops: [{ kind: 'fixed', us: rnd() * 1000, sigma: rnd() < 0.5 ? 0 : rnd() }] },
          { name: 'b', ops: [{ kind: 'tdmrs', calls, medianUs: rnd() * 20, sigma: rnd() < 0.5 ? 0 : rnd(), lanes: 1 + Math.floor(rnd() * 4) }] },
        ],
        bootSigma: rnd() < 0.2 ? 0 : rnd() * 2,
      };
      const seed = Math.floor(rnd() * 2 ** 40);
      const first = Math.floor(rnd() * 1e6);
      expect(bits(runTrialsWasm(p, seed, first, 5)), `program ${i}`).toEqual(bits(runTrialsReference(p, seed, first, 5)));
    }
  });

  it('bootSigma = 0 and no bootSigma give the bits of a program without variation', () => {
    const none = runTrialsWasm(mainlineLike(undefined, 0.3), 3, 0, 50);
    expect(bits(runTrialsWasm(mainlineLike(0, 0.3), 3, 0, 50))).toEqual(bits(none));
    expect(bits(runTrialsReference(mainlineLike(0, 0.3), 3, 0, 50))).toEqual(bits(none));
  });

  it('draws one factor per trial, first in its stream, and multiplies only the TDMR.INIT phase by it', () => {
    const sigma = 0.25;
    const p = mainlineLike(sigma, 0);
    const width = p.steps.length + 1;
    const out = runTrialsReference(p, 99, 10, 20);
    const plain = runTrialsReference(mainlineLike(undefined, 0), 99, 10, 20);
    for (let t = 0; t < 20; t++) {
      const factor = expFast(sigma * normalsReference(99, 10 + t, 1)[0]);
      expect(out[t * width + 2]).toBe(factor * plain[t * width + 2]);
      // Steps before TDMR.INIT keep their value (LP.INIT's per-LP draws follow the boot draw, so
      // they are other draws of the same distribution: compare only the deterministic step).
      expect(out[t * width + 1]).toBe(plain[t * width + 1]);
    }
  });

  it('gives the whole phase the spread σ asks for, where per-call noise alone averages out', () => {
    const trials = 4000;
    const spread = (p: TrialProgram) => {
      const s = summarize(p, runTrialsWasm(p, 1, 0, trials), trials, 1).steps[2].stats;
      return s.p95 / s.p50;
    };
    // Per-call σ = 0.3 over 131072 calls: p95 within 0.2% of p50 (the false precision).
    expect(spread(mainlineLike(undefined, 0.3))).toBeLessThan(1.002);
    // Boot σ = 0.16: p95/p50 ≈ e^{1.645·0.16} = 1.301.
    expect(spread(mainlineLike(0.16, 0.3))).toBeGreaterThan(1.25);
    expect(spread(mainlineLike(0.16, 0.3))).toBeLessThan(1.35);
  });

  it('refuses a bootSigma outside [0, 4] naming program.bootSigma', () => {
    for (const bad of [-0.1, 4.5, Number.NaN, '0.2']) {
      expect(() => validateTrialProgram({ ...mainlineLike(undefined), bootSigma: bad })).toThrow(/program\.bootSigma/);
    }
  });
});
