// Library users prepare a platform once and simulate it many times: prepare() → PreparedPlatform,
// accepted by simulate() wherever a platform is. Same numbers as simulating the platform itself;
// the prepared platform is a snapshot of the platform as it was when prepared.
import { describe, it, expect } from 'vitest';
import { getPreset, prepare, simulate, validatePlatform, type Platform, type PreparedPlatform } from '../src/index.js';

const json = async (p: Platform | PreparedPlatform, opts: Parameters<typeof simulate>[1] = {}): Promise<string> => JSON.stringify(await simulate(p, opts));
const platform = (preset: string): Platform => validatePlatform(getPreset(preset));

describe('prepare: simulate a platform many times', () => {
  it.each([
    ['default', 'mainline'], ['default', 'parallel-tdmr'], ['2s-emr-17holes', 'mainline'], ['2s-spr-tdx10', 'v7-2022'], ['2s-gnr-1536g', 'parallel-tdmr'],
  ])('gives the numbers of the platform itself: %s under %s, with its trace and trials', async (preset, policy) => {
    const opts = { policy, trace: true, trials: 50, seed: 4, workers: 1 };
    expect(await json(prepare(platform(preset)), opts)).toBe(await json(platform(preset), opts));
  });

  it('reused under many policies and cost settings, gives what a fresh platform gives each time', async () => {
    const prepared = prepare(platform('default'));
    const settings = [
      { policy: 'mainline' },
      { policy: 'mainline', costOverrides: { tdmrInitCallUs: 12 } },
      { policy: 'parallel-tdmr', costOverrides: { lpInitUs: 30 } },
      { policy: 'v7-2022' },
      { policy: 'mainline' },
    ];
    for (const s of settings) expect(await json(prepared, s)).toBe(await json(platform('default'), s));
  });

  it('keeps the construction of its module limits from one call to the next', async () => {
    const prepared = prepare(platform('default'));
    expect(prepared.hasConstruction(prepared.defaultLimits())).toBe(false);
    await simulate(prepared, { costOverrides: { tdmrInitCallUs: 5 } });
    expect(prepared.hasConstruction(prepared.defaultLimits())).toBe(true);
  });

  it('neither changes nor freezes the platform it was given', () => {
    const p = platform('default');
    const before = JSON.stringify(p);
    prepare(p);
    expect(JSON.stringify(p)).toBe(before);
    expect(Object.isFrozen(p.cpus.lps)).toBe(false);
    expect(Object.isFrozen(p.cpus.lps[3])).toBe(false);
  });

  it('is a snapshot: a change to the platform after prepare() does not reach it; preparing again does', async () => {
    const p = platform('default');
    const prepared = prepare(p);
    p.cpus.lps[3].online = false;
    const changed = JSON.parse(await json(p));
    // The change matters: an LP that never ran LP.INIT fails TDH.SYS.CONFIG under mainline.
    expect(changed.outcome.initialized).toBe(false);
    expect(await json(prepared)).toBe(await json(platform('default')));
    expect(JSON.parse(await json(prepare(p)))).toEqual(changed);
  });
});
