// The RESULT object of tdmr-construction.md §5 as canonical JSON: keys in the spec's order,
// addresses and sizes as lowercase hex without leading zeros. A vector check is then a
// byte-for-byte string comparison.

import type { ConstructResult, PamtRange } from './types.js';
import { hex } from './hex.js';

const range = (r: PamtRange): string => `{"base":"${hex(r.base)}","size":"${hex(r.size)}"}`;
const strings = (ws: string[]): string => `[${ws.map((w) => JSON.stringify(w)).join(',')}]`;

export function canonicalResult(r: ConstructResult): string {
  if (!r.ok) {
    const tdmr = r.tdmr ? `,"tdmr":{"base":"${hex(r.tdmr.base)}","size":"${hex(r.tdmr.size)}"}` : '';
    return `{"ok":false,"error":"${r.error}"${tdmr},"warnings":${strings(r.warnings)}}`;
  }
  const tdmrs = r.tdmrs.map((t) => {
    const areas = t.reserved.map((a) => `{"offset":"${hex(a.offset)}","size":"${hex(a.size)}"}`).join(',');
    return `{"base":"${hex(t.base)}","size":"${hex(t.size)}","nid":${t.nid},"pamt4k":${range(t.pamt4k)},"pamt2m":${range(t.pamt2m)},"pamt1g":${range(t.pamt1g)},"reserved":[${areas}]}`;
  });
  return `{"ok":true,"tdmrs":[${tdmrs.join(',')}],"pamtKb":${r.pamtKb},"warnings":${strings(r.warnings)}}`;
}
