import { listPresets } from '../platform/presets.js';
import { validatePlatform } from '../platform/validate.js';
import { formatBytes, table } from '../report/units.js';
import type { Out } from './output.js';
import { parseArgs, choiceFlag } from './args.js';
import { listTdPresets } from '../guest/presets.js';

export async function presetsCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['format'], bools: [] });
  const format = choiceFlag(args, 'format', ['text', 'json'] as const, 'text');
  const rows = listPresets().map((p) => {
    const v = validatePlatform(p.doc);
    const mem = v.memory.reduce((a, m) => a + m.end - m.start, 0);
    return { name: p.name, memory: mem, packages: v.cpus.packages, lps: v.cpus.lps.length, model: v.cpus.model, description: p.description, source: p.source };
  });
  // TD documents for `tdxmodel guest` (src/guest/presets.ts): JSON gets them under "kind": "td".
  const tds = listTdPresets().map((p) => ({ kind: 'td', name: p.name, description: p.description, source: p.source, doc: p.doc }));
  if (format === 'json') {
    await out.write(JSON.stringify([...rows, ...tds]) + '\n');
    return 0;
  }
  await out.write(table(['preset', 'memory', 'sockets', 'LPs', 'CPU', 'description'],
    rows.map((r) => [r.name, formatBytes(r.memory), String(r.packages), String(r.lps), r.model, r.description])) + '\n');
  await out.write('\nTD presets (tdxmodel guest preset:NAME):\n' + table(['preset', 'description'], tds.map((t) => [t.name, t.description])) + '\n');
  return 0;
}
