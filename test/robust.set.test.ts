// --set paths and values are user input too: prototype-pollution paths, names that only exist
// on Object.prototype, and JSON values with duplicated keys are refused, exit 2, one line.
import { describe, it, expect } from 'vitest';
import { applySets } from '../src/platform/load.js';
import { splitSets } from '../src/model/run.js';
import { runCli } from './helpers/cli.js';
import { expectInputError } from './helpers/fuzz.js';

describe('--set', () => {
  it.each([
    ['__proto__.x=1', /--set __proto__\.x: only name, module/],
    ['module.__proto__.polluted=1', /--set module\.__proto__\.polluted: not a field path/],
    ['constructor.prototype.polluted=1', /only name, module/],
    ['kernel.constructor.prototype.polluted=1', /not a field path/],
    ['costs.__proto__=1', /--set costs\.__proto__: not a cost parameter name/],
    ['costs.a.b=1', /not a cost parameter name/],
    ['costs.constructor=1', /costs\.constructor: unknown cost parameter/],
    ['module={"maxTdmrs":1,"maxTdmrs":2}', /--set module:1: duplicated key "maxTdmrs"/],
    ['module={"__proto__":{"polluted":1}}', /module\.__proto__: unknown field/],
    ['kernel.toString.x=1', /kernel\.toString: unknown field/],
    ['module.maxTdmrs=0x10000000000000000', /module\.maxTdmrs: hex value .* overflows 64 bits/],
    ['module.maxTdmrs', /--set needs PATH=VALUE/],
  ])('%s is refused', (set, rule) => {
    const r = runCli(['simulate', 'preset:default', '--set', set]);
    expectInputError(r, { rule });
  });

  it('nothing reaches Object.prototype in-process', () => {
    const hostile = ['module.__proto__.polluted=1', 'constructor.prototype.polluted=1', 'costs.__proto__=1', 'kernel.toString.polluted=1', 'module={"__proto__":{"polluted":1}}'];
    for (const s of hostile) {
      try {
        applySets({ module: {}, kernel: {} }, [s]);
        splitSets([s]);
      } catch { /* refused is fine */ }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof Object.prototype.toString).toBe('function');
  });
});
