// `tdxmodel presets --dump NAME` writes a document a user can edit and feed back: for every
// preset it validates to the same platform and simulates to the same bytes as preset:NAME.

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../src/cli.js';
import { listPresets } from '../src/platform/presets.js';
import { validatePlatform } from '../src/platform/validate.js';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, { write: async (t) => { out += t; } });
  return { code, out };
}

const dir = mkdtempSync(path.join(tmpdir(), 'tdxmodel-dump-'));

describe('presets --dump', () => {
  it.each(listPresets().map((p) => p.name))('%s: the dumped document simulates exactly as the preset', async (name) => {
    const file = path.join(dir, `${name}.json`);
    expect((await run(['presets', '--dump', name, '--out', file])).code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.description).toBe(listPresets().find((p) => p.name === name)!.description);
    expect(validatePlatform(doc)).toEqual(validatePlatform(listPresets().find((p) => p.name === name)!.doc));
    const fromFile = await run(['simulate', file, '--format', 'json']);
    const fromPreset = await run(['simulate', `preset:${name}`, '--format', 'json']);
    expect(fromFile.code).toBe(0);
    expect(fromFile.out).toBe(fromPreset.out);
  });

  it('writes to standard output without --out, addresses as hex strings', async () => {
    const r = await run(['presets', '--dump', 'default']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).memory[0].start).toMatch(/^0x[0-9a-f]+$/);
  });

  it('refuses an unknown preset, naming the valid ones', async () => {
    expect((await run(['presets', '--dump', 'nope'])).code).toBe(2);
  });
});
