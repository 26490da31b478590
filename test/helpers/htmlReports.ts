// Reports for the HTML tests: real simulations of presets, and a hostile one in which every
// string the report and the platform carry has script and markup appended.

import { simulatePlatform, type SimulationReport } from '../../src/workers/simulateRun.js';
import { validatePlatform } from '../../src/platform/validate.js';
import { getPreset } from '../../src/platform/presets.js';
import type { Platform } from '../../src/platform/types.js';

export const HOSTILE_NAME = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const PAYLOAD = `"'><script>alert(3)</script><img src=x onerror=alert(4)><svg onload=alert(5)>\`&amp;`;

export interface Case {
  report: SimulationReport;
  platform: Platform;
}

export async function presetCase(name: string, edit?: (doc: Record<string, unknown>) => void): Promise<Case> {
  const doc = structuredClone(getPreset(name)) as Record<string, unknown>;
  edit?.(doc);
  const platform = validatePlatform(doc);
  const report = await simulatePlatform(platform, { engine: 'ts' });
  return { report, platform };
}

/** Fields that are numbers in disguise (the model's hex addresses): poisoning them tests nothing. */
const HEX_KEYS = new Set(['base', 'size', 'offset']);

/** Append the payload, with a numbered marker, to every string; returns how many were changed. */
export function poison<T>(value: T): { value: T; count: number } {
  let count = 0;
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') {
      if (HEX_KEYS.has(key)) return v;
      return `${v}${PAYLOAD}[m${count++}]`;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x, k);
      return o;
    }
    return v;
  };
  return { value: walk(value, '') as T, count };
}

/** The default preset under a hostile name, then every report and platform string poisoned. */
export async function hostileCase(): Promise<Case & { strings: number }> {
  const c = await presetCase('default', (doc) => { doc.name = HOSTILE_NAME; });
  const r = poison(c.report);
  const p = poison({ name: c.platform.name, reserved: c.platform.reserved, hotplug: c.platform.hotplug });
  r.value.platform.name = HOSTILE_NAME;
  const platform: Platform = { ...c.platform, ...p.value, name: HOSTILE_NAME };
  return { report: r.value, platform, strings: r.count + p.count };
}
