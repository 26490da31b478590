// The shipped JSON Schema agrees with the validator on what fields exist.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { listPresets } from '../src/platform/presets.js';

const schema = JSON.parse(readFileSync(new URL('../schema/platform.schema.json', import.meta.url), 'utf8'));

describe('platform JSON Schema', () => {
  it('names every top-level field the presets use, and memory is required', () => {
    expect(schema.required).toEqual(['memory']);
    for (const p of listPresets()) {
      for (const k of Object.keys(p.doc as object)) expect(Object.keys(schema.properties)).toContain(k);
    }
  });

  it('lists the nested fields of module, kernel and cpus that the presets use', () => {
    for (const p of listPresets()) {
      const d = p.doc as Record<string, Record<string, unknown>>;
      for (const sect of ['module', 'kernel', 'cpus', 'keyids'] as const) {
        for (const k of Object.keys(d[sect] ?? {})) expect(Object.keys(schema.properties[sect].properties)).toContain(k);
      }
    }
  });
});
