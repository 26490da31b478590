// Bridge from the construction result (JS numbers, src/construct/types.ts) to the module's
// register-width TDMR_INFO (bigint), so a policy can hand its TDMRs straight to CONFIG.

import type { Tdmr } from '../../construct/types.js';
import type { TdmrInfo } from './types.js';

export function toTdmrInfo(t: Tdmr): TdmrInfo {
  return {
    base: BigInt(t.base),
    size: BigInt(t.size),
    pamt4kBase: BigInt(t.pamt4k.base),
    pamt4kSize: BigInt(t.pamt4k.size),
    pamt2mBase: BigInt(t.pamt2m.base),
    pamt2mSize: BigInt(t.pamt2m.size),
    pamt1gBase: BigInt(t.pamt1g.base),
    pamt1gSize: BigInt(t.pamt1g.size),
    reserved: t.reserved.map((r) => ({ offset: BigInt(r.offset), size: BigInt(r.size) })),
  };
}
