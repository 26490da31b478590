import type { ConstructResult } from '../construct/types.js';
import { hex } from '../construct/hex.js';
import { formatBytes, table } from './units.js';
import { printable } from '../platform/errors.js';

/** A readable account of one construction: the TDMRs, their PAMTs and reserved areas. */
export function constructText(name: string, r: ConstructResult, maxTdmrs: number, maxReserved: number): string {
  // The name comes from the input: shown with unprintable characters escaped.
  const lines: string[] = [`platform ${printable(name)}`];
  if (!r.ok) {
    lines.push(`construction FAILED: ${r.error}${r.tdmr ? ` in TDMR [${hex(r.tdmr.base)}, ${hex(r.tdmr.base + r.tdmr.size)})` : ''}`);
  } else {
    const rows = r.tdmrs.map((t, i) => [
      String(i), hex(t.base), hex(t.base + t.size), formatBytes(t.size), String(t.nid),
      hex(t.pamt4k.base), formatBytes(t.pamt4k.size + t.pamt2m.size + t.pamt1g.size), `${t.reserved.length}/${maxReserved}`,
    ]);
    lines.push(`${r.tdmrs.length} TDMRs of ${maxTdmrs}, PAMT ${r.pamtKb} KB (${formatBytes(r.pamtKb * 1024)})`, '');
    lines.push(table(['#', 'base', 'end', 'size', 'node', 'PAMT at', 'PAMT', 'reserved'], rows));
    const perNode = new Map<number, number>();
    for (const t of r.tdmrs) perNode.set(t.nid, (perNode.get(t.nid) ?? 0) + t.pamt4k.size + t.pamt2m.size + t.pamt1g.size);
    lines.push('', table(['node', 'PAMT'], [...perNode].sort((a, b) => a[0] - b[0]).map(([n, b]) => [String(n), formatBytes(b)])));
  }
  if (r.warnings.length) lines.push('', 'kernel log:', ...r.warnings.map((w) => `  virt/tdx: ${w}`));
  return lines.join('\n');
}
