// explain --format html: one self-contained page, log beside model, every log text escaped.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';

const CASE14 = new URL('data/real-logs/case-14.txt', import.meta.url).pathname;

describe('explain --format html', () => {
  it('a real log: side by side, diagnosis, the model sections, no scripts or remote resources', () => {
    const r = runCli(['explain', CASE14, '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(r.stdout).toContain('id="side-by-side"');
    expect(r.stdout).toContain('id="model-memory-map"');
    expect(r.stdout).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('hostile text in the log is shown, not run', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-explain-'));
    const log = path.join(dir, 'evil.txt');
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    writeFileSync(log, [
      '[    5.3] virt/tdx: BIOS enabled: private KeyID range [64, 128)',
      '[   15.9] virt/tdx: CMR: [0x100000, 0x80000000)',
      '[   15.9] virt/tdx: CMR: [0x100000000, 0x1080000000)',
      `[   16.5] virt/tdx: initialization failed: TDMR [0x0, 0x80000000): reserved areas exhausted. ${evil}`,
      '[   16.5] virt/tdx: module initialization failed (-28)',
    ].join('\n') + '\n');
    const out = path.join(dir, 'report.html');
    expect(runCli(['explain', log, '--format', 'html', '--out', out]).code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
