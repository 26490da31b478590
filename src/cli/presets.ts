// tdxmodel presets [--format text|json]        the built-in platforms
// tdxmodel presets --dump NAME [--out FILE]    one of them as an editable platform document

import { listPresets, getPresetInfo } from '../platform/presets.js';
import { validatePlatform } from '../platform/validate.js';
import { formatBytes, table } from '../report/units.js';
import { listTdPresets } from '../guest/presets.js';
import { usageError } from '../platform/errors.js';
import { writeOutput, type Out } from './output.js';
import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { OUT } from './options.js';

export const PRESETS: CommandSpec = {
  name: 'presets',
  summary: 'List the built-in platforms (use one as INPUT with preset:NAME), or write one as a platform document to edit (--dump).',
  usage: ['presets [--format text|json]', 'presets --dump NAME [--out FILE]'],
  options: [
    { name: 'dump', value: 'NAME', help: 'write preset NAME as a platform document (JSON, addresses in hex; fields in docs/platform-format.md) that validates and simulates exactly as preset:NAME; a TD preset as a TD document for tdxmodel guest' },
    { name: 'format', value: 'FMT', choices: ['text', 'json'], default: 'text', help: 'format of the list (below); not with --dump' },
    OUT,
  ],
  formats: [
    'text  a table: name, memblock memory (what the kernel sees: installed DRAM less what firmware keeps), sockets, LPs, CPU model, description',
    'json  the same rows as a JSON array (memory in bytes)',
  ],
  examples: [
    'tdxmodel presets',
    'tdxmodel presets --dump 2s-emr-17holes --out mine.json && tdxmodel simulate mine.json',
  ],
};

/** The document of a preset with its description and provenance, ready to edit and feed back. */
export function presetDocument(name: string): Record<string, unknown> {
  // A TD preset dumps as a TD document (tdxmodel guest reads it back).
  const td = listTdPresets().find((t) => t.name === name);
  if (td) return structuredClone(td.doc);
  const p = getPresetInfo(name);
  const { name: docName, ...rest } = p.doc;
  return { name: docName, description: p.description, source: p.source, ...rest };
}

export async function presetsCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, PRESETS);
  if (args.positional.length) throw usageError(`presets takes no arguments, got "${args.positional[0]}" (did you mean --dump ${args.positional[0]}?)`);
  const dump = args.flags.get('dump');
  if (dump !== undefined) {
    if (args.flags.has('format')) throw usageError('presets --dump writes a JSON platform document: drop --format');
    await writeOutput(args.flags.get('out'), JSON.stringify(presetDocument(dump), null, 2) + '\n', out);
    return 0;
  }
  const format = choiceFlag<'text' | 'json'>(args, 'format');
  const rows = listPresets().map((p) => {
    const v = validatePlatform(p.doc);
    const mem = v.memory.reduce((a, m) => a + m.end - m.start, 0);
    return { name: p.name, memory: mem, packages: v.cpus.packages, lps: v.cpus.lps.length, model: v.cpus.model, description: p.description, source: p.source };
  });
  // TD documents for `tdxmodel guest` (src/guest/presets.ts): JSON gets them under "kind": "td".
  const tds = listTdPresets().map((p) => ({ kind: 'td', name: p.name, description: p.description, source: p.source, doc: p.doc }));
  if (format === 'json') {
    await writeOutput(args.flags.get('out'), JSON.stringify([...rows, ...tds]) + '\n', out);
    return 0;
  }
  // The descriptions give installed DRAM; the column gives what the model sees (memblock).
  await writeOutput(args.flags.get('out'), table(['preset', 'memblock', 'sockets', 'LPs', 'CPU', 'description'],
    rows.map((r) => [r.name, formatBytes(r.memory), String(r.packages), String(r.lps), r.model, r.description])) +
    '\nmemblock: the memory the kernel sees at boot, installed DRAM less what firmware keeps (reservations, the PCI window, the top of each socket); descriptions give installed DRAM\n' +
    '\nTD presets (tdxmodel guest preset:NAME):\n' + table(['preset', 'description'], tds.map((t) => [t.name, t.description])) + '\n', out);
  return 0;
}
