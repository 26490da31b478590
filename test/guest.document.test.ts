// The TD document: field names, defaults and the list of defaulted fields, one-line errors.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { validateTd, applyTdSets, TD_FIELDS } from '../src/guest/document.js';
import { listTdPresets, getTdPreset } from '../src/guest/presets.js';
import { resolveGuestCosts } from '../src/guest/costs.js';
import { parseJsonOrYaml } from '../src/platform/jsonOrYaml.js';

describe('TD document', () => {
  it('fills every missing field with the upstream/Ubuntu default and lists it as defaulted', () => {
    const { td, defaulted } = validateTd({ vcpus: 8, memoryGiB: 16 });
    expect(td.firmware).toEqual({ accept: 'lazy', lazyAcceptMiB: 512 });
    expect(td.kernel).toEqual({ version: '6.8', acceptMemory: 'lazy', hz: 1000, swiotlbMiB: null });
    expect(td.host).toEqual({ privatePageSize: '4K', platform: 'sapphirerapids' });
    expect(td.workload.allocators).toBe(0);
    expect(td.attestation).toMatchObject({ path: 'configfs', pollMs: 1000, qgs: 'ok', qgsThreads: 4, requests: 1, concurrency: 1 });
    expect(defaulted).toContain('attestation.pollMs');
    expect(defaulted).toContain('host.privatePageSize');
    expect(defaulted).not.toContain('vcpus');
  });

  it('a given field is not listed as defaulted', () => {
    const { defaulted } = validateTd({ vcpus: 8, memoryGiB: 16, kernel: { hz: 250 } });
    expect(defaulted).not.toContain('kernel.hz');
    expect(defaulted).toContain('kernel.version');
  });

  it('has every field the issue names, with those names', () => {
    const { td } = validateTd({ vcpus: 1, memoryGiB: 1 });
    const paths = ['vcpus', 'memoryGiB', 'firmware.accept', 'firmware.lazyAcceptMiB', 'kernel.version', 'kernel.acceptMemory', 'kernel.hz',
      'host.privatePageSize', 'host.platform', 'workload.allocators', 'attestation.path', 'attestation.pollMs', 'attestation.qgs',
      'attestation.qgsThreads', 'attestation.requests', 'attestation.concurrency', 'costs'];
    for (const p of paths) {
      let o: unknown = td;
      for (const k of p.split('.')) o = (o as Record<string, unknown>)[k];
      expect(o, p).not.toBeUndefined();
    }
  });

  it.each([
    [{ memoryGiB: 16 }, /^vcpus: required/],
    [{ vcpus: 0, memoryGiB: 16 }, /^vcpus: must be from 1 to 4096, got 0/],
    [{ vcpus: 2.5, memoryGiB: 16 }, /^vcpus: must be a whole number/],
    [{ vcpus: 4, memoryGiB: 1.001 }, /^memoryGiB: must be a whole number of 2 MiB units/],
    [{ vcpus: 4, memoryGiB: 16, firmware: { accept: 'sometimes' } }, /^firmware.accept: must be one of eager, lazy, got "sometimes"/],
    [{ vcpus: 4, memoryGiB: 16, kernel: { version: '5.15' } }, /^kernel.version: must be 5.19 or later/],
    [{ vcpus: 4, memoryGiB: 16, kernel: { hz: 500 } }, /^kernel.hz: must be one of 100, 250, 300, 1000/],
    [{ vcpus: 4, memoryGiB: 16, host: { privatePageSize: '1G' } }, /^host.privatePageSize: must be one of 4K, 2M/],
    [{ vcpus: 4, memoryGiB: 16, attestation: { qgs: 'maybe' } }, /^attestation.qgs: must be one of ok, absent, silent/],
    [{ vcpus: 4, memoryGiB: 16, attestation: { pollMS: 10 } }, /^attestation.pollMS: unknown field/],
    [{ vcpus: 4, memoryGiB: 16, kernel: 'new' }, /^kernel: must be an object/],
    [{ vcpus: 4, memoryGiB: 16, costs: { acceptPageUs: 'fast' } }, /^costs.acceptPageUs: must be a finite number/],
    [{ vcpus: 4, memoryGiB: 1, kernel: { swiotlbMiB: 1024 } }, /^kernel.swiotlbMiB: must be smaller than the TD's memory/],
  ])('refuses %j naming the field and the rule', (doc, msg) => {
    expect(() => validateTd(doc)).toThrow(msg);
  });

  it('cost names and values are checked by the guest cost table', () => {
    expect(() => resolveGuestCosts({ nope: 1 })).toThrow(/^costs.nope: unknown guest cost parameter/);
    expect(() => resolveGuestCosts({ acceptPageUs: 0 })).toThrow(/^costs.acceptPageUs: must be > 0/);
    const c = resolveGuestCosts({ acceptPageUs: 3 }, { acceptFaultUs: 9 });
    expect(c.find((x) => x.name === 'acceptPageUs')).toMatchObject({ value: 3, label: 'set' });
    expect(c.find((x) => x.name === 'acceptFaultUs')).toMatchObject({ value: 9, label: 'override' });
  });

  it('every cost parameter has a default, a unit, a label and a source', () => {
    for (const p of resolveGuestCosts({})) {
      expect(Number.isFinite(p.value), p.name).toBe(true);
      expect(p.unit.length, p.name).toBeGreaterThan(0);
      expect(['measured', 'derived', 'assumed', 'source']).toContain(p.label);
      expect(p.source.length, p.name).toBeGreaterThan(10);
    }
  });

  it('--set edits the document before validation; a path outside the document is refused', () => {
    const doc = { vcpus: 4, memoryGiB: 16 };
    applyTdSets(doc, ['kernel.version=7.0', 'attestation.path=vsock']);
    expect(validateTd(doc).td.kernel.version).toBe('7.0');
    expect(validateTd(doc).td.attestation.path).toBe('vsock');
    expect(() => applyTdSets(doc, ['module.x=1'])).toThrow(/not a TD document field/);
  });

  it('reads YAML as well as JSON', () => {
    const doc = parseJsonOrYaml('vcpus: 4\nmemoryGiB: 16\nkernel:\n  version: "7.0"\n', 'td.yaml');
    expect(validateTd(doc).td.kernel.version).toBe('7.0');
  });

  it('every preset validates; an unknown preset names the valid ones', () => {
    for (const p of listTdPresets()) expect(() => validateTd(getTdPreset(p.name))).not.toThrow();
    expect(() => getTdPreset('nope')).toThrow(/td-small/);
  });

  it('the shipped JSON Schema has every validator field, with the same default', () => {
    const schema = JSON.parse(readFileSync(new URL('../schema/guest.schema.json', import.meta.url), 'utf8'));
    const walk = (tree: Record<string, unknown>, node: { properties: Record<string, { properties?: unknown; default?: unknown }> }, path: string): void => {
      expect(Object.keys(node.properties).filter((k) => k !== 'costs').sort(), path).toEqual(Object.keys(tree).sort());
      for (const [k, spec] of Object.entries(tree)) {
        const s = node.properties[k];
        if (typeof (spec as { check?: unknown }).check === 'function') expect(s.default, `${path}${k}`).toEqual((spec as { dflt?: unknown }).dflt);
        else walk(spec as Record<string, unknown>, s as never, `${path}${k}.`);
      }
    };
    walk(TD_FIELDS as Record<string, unknown>, schema, '');
  });

  it('the shipped JSON Schema names the same fields and enums', () => {
    const schema = JSON.parse(readFileSync(new URL('../schema/guest.schema.json', import.meta.url), 'utf8'));
    expect(schema.required).toEqual(['vcpus', 'memoryGiB']);
    expect(Object.keys(schema.properties).sort()).toEqual(['attestation', 'costs', 'firmware', 'host', 'kernel', 'memoryGiB', 'name', 'vcpus', 'workload'].sort());
    expect(schema.properties.firmware.properties.accept.enum).toEqual(['eager', 'lazy']);
    expect(schema.properties.host.properties.privatePageSize.enum).toEqual(['4K', '2M']);
    expect(schema.properties.attestation.properties.qgs.enum).toEqual(['ok', 'absent', 'silent']);
    expect(schema.properties.attestation.properties.pollMs.default).toBe(1000);
  });
});

describe('TD document: versions stay strings', () => {
  it('--set kernel.version=6.10 is the string "6.10", not the number 6.1', () => {
    const doc = { vcpus: 4, memoryGiB: 16 };
    applyTdSets(doc, ['kernel.version=6.10']);
    expect(validateTd(doc).td.kernel.version).toBe('6.10');
  });

  it('an unquoted YAML version is refused with a hint to quote it', () => {
    expect(() => validateTd(parseJsonOrYaml('vcpus: 4\nmemoryGiB: 16\nkernel:\n  version: 7.0\n', 't.yaml'))).toThrow(/quote it/);
  });
});
