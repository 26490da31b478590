// What the text report says about time: the 80% interval, when guests can use TDX, and that
// TDMR.INIT progress is the module's, not memory a guest has.
import { describe, it, expect } from 'vitest';
import { simulatePlatform } from '../src/workers/simulateRun.js';
import { validatePlatform } from '../src/platform/validate.js';
import { getPreset } from '../src/platform/presets.js';
import { simulateText } from '../src/report/simulateText.js';
import { registerPolicy } from '../src/model/policies/registry.js';
import { mainline } from '../src/model/policies/mainline.js';
import { runCli } from './helpers/cli.js';

const platform = validatePlatform(getPreset('default'));
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('simulate text on time', () => {
  it('the outcome line says guests can use TDX when tdx_enable() returns, under the chosen policy', async () => {
    const r = await simulatePlatform(platform, {});
    const outcome = plain(simulateText(r)).split('\n').find((l) => l.startsWith('OUTCOME'))!;
    expect(outcome).toMatch(/guests can use TDX from 1\.298 s, when tdx_enable\(\) returns \(no TD before it under the mainline policy\)/);
  });

  it('TDMR.INIT progress is labelled module progress, not memory a guest can use', async () => {
    const text = plain(simulateText(await simulatePlatform(platform, {})));
    expect(text).not.toMatch(/^READY/m);
    expect(text).toMatch(/^PROGRESS TDMR\.INIT initialized 50% of TDX memory at 710\.8 ms, .*\(module progress, not memory a guest can use before tdx_enable\(\) returns\)$/m);
  });

  it('a policy that lets KVM create a TD before tdx_enable() returns is said so', async () => {
    registerPolicy({ ...mainline, name: 'test-early-guests', guestsBeforeEnableReturns: true });
    const text = plain(simulateText(await simulatePlatform(platform, { policy: 'test-early-guests' })));
    expect(text).toMatch(/the test-early-guests policy lets KVM create a TD before tdx_enable\(\) returns/);
    expect(text).toMatch(/\(guests may use each GiB as it completes\)/);
  });

  it('prints the 80% interval of init time and window with σ and its parameter name', async () => {
    const r = await simulatePlatform(platform, {});
    const line = plain(simulateText(r)).split('\n').find((l) => l.startsWith('80%'))!;
    expect(line).toMatch(/^80% {6}init 1\.\d{3} s–1\.\d{3} s, window \(TDMR construction → last TDMR\.INIT\) 1\.\d{3} s–1\.\d{3} s: .*σ 0\.18 \(costs\.tdmrInitBootSigma\)$/);
  });
});

describe('tdmrChunkBytes on the command line', () => {
  it('is refused with exit 2 and one line: the chunk is fixed by the TDX module', () => {
    const r = runCli(['simulate', 'preset:default', '--set', 'costs.tdmrChunkBytes=8388608']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/costs\.tdmrChunkBytes: fixed by the TDX module \(intel\/tdx-module tdh_sys_tdmr_init\.c/);
  });

  it('is still listed among the parameters, labelled source', () => {
    const j = JSON.parse(runCli(['simulate', 'preset:default', '--format', 'json']).stdout);
    expect(j.parameters.find((p: { name: string }) => p.name === 'tdmrChunkBytes')).toMatchObject({ value: 4194304, label: 'source' });
    expect(j.intervals.level).toBe(0.8);
  });
});
