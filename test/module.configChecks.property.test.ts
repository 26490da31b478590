// The indexed implementation of the TDMR checks against a literal transcription of the
// module's loops (tdh_sys_config.c: quadratic, in source order), on random TDMR sets built to
// trip every check. Agreement on the exact 64-bit status, index bytes included, is the claim.

import { describe, expect, it } from 'vitest';
import {
  CmrRuns,
  STATUS,
  checkConfig,
  checkConfigExact,
  ConfigVerdicts,
  tdmrInfosOf,
  hexStatus,
  isPlainPa,
  keyIdLayout,
  packIndex,
  statusName,
  type CmrEntry,
  type ConfigEnv,
  type TdmrInfo,
} from '../src/model/module/index.js';
import { plainTdmrsPass } from '../src/model/module/configPlain.js';
import { tdmrTableOf, type TdmrTable } from '../src/construct/tdmrTable.js';
import { GiB, MiB, pamtSizes } from './module.fixture.js';
import { rng } from './helpers/randomPlatform.js';

const MAX = (1n << 64n) - 1n;
const fits = (b: bigint, s: bigint) => b <= MAX - s;
const isOverlap = (b: bigint, s: bigint, b2: bigint, s2: bigint) => !(b >= b2 + s2 || b2 >= b + s);

/** Transcription of the module's per-TDMR checks, loops and all. */
function literal(tdmrs: TdmrInfo[], env: ConfigEnv): bigint {
  const k = keyIdLayout(env.keyids);
  const max = env.maxReservedPerTdmr;
  const runs = new CmrRuns(env.cmrs);
  const rsv = (t: TdmrInfo, j: number) => t.reserved[j] ?? { offset: 0n, size: 0n };
  const pamt = (t: TdmrInfo) => [
    [t.pamt4kBase, t.pamt4kSize],
    [t.pamt2mBase, t.pamt2mSize],
    [t.pamt1gBase, t.pamt1gSize],
  ] as const;

  const overlapsAvailable = (t: TdmrInfo, pb: bigint, ps: bigint): boolean => {
    let start = t.base;
    let valid = false;
    for (let j = 0; j < max; j++) {
      const rs = t.base + rsv(t, j).offset;
      const re = rs + rsv(t, j).size;
      valid = rsv(t, j).size !== 0n;
      if (start === t.base + t.size) break;
      if (valid && start === rs) {
        start = re;
        continue;
      }
      const end = valid ? rs : t.base + t.size;
      if (isOverlap(pb, ps, start, end - start)) return true;
      if (!valid) break;
      start = re;
    }
    if (valid) {
      const end = t.base + t.size;
      if (end - start > 0n && isOverlap(pb, ps, start, end - start)) return true;
    }
    return false;
  };

  for (let i = 0; i < tdmrs.length; i++) {
    const t = tdmrs[i]!;
    if (!fits(t.base, t.size)) return packIndex(STATUS.TDX_INVALID_TDMR, i);
    if (i > 0 && t.base < tdmrs[i - 1]!.base) return packIndex(STATUS.TDX_NON_ORDERED_TDMR, i);
    if (i > 0 && t.base < tdmrs[i - 1]!.base + tdmrs[i - 1]!.size) return packIndex(STATUS.TDX_NON_ORDERED_TDMR, i);
    if (t.base % GiB !== 0n || t.size % GiB !== 0n || t.size <= 0n) return packIndex(STATUS.TDX_INVALID_TDMR, i);
    if (!isPlainPa(t.base, k)) return packIndex(STATUS.TDX_INVALID_TDMR, i);
    if (!isPlainPa(t.base + t.size - 1n, k)) return packIndex(STATUS.TDX_INVALID_TDMR, i);

    for (let j = 0; j < max; j++) {
      const { offset, size } = rsv(t, j);
      if (size === 0n) {
        if (j < max - 1 && rsv(t, j + 1).size !== 0n) return packIndex(STATUS.TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j);
      } else {
        if (!fits(offset, size)) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
        const prev = j > 0 ? rsv(t, j - 1) : { offset: 0n, size: 0n };
        if (j > 0 && offset < prev.offset) return packIndex(STATUS.TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j);
        if (j > 0 && offset < prev.offset + prev.size) return packIndex(STATUS.TDX_NON_ORDERED_RESERVED_IN_TDMR, i, j);
        if (offset % 4096n !== 0n || size % 4096n !== 0n) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
        if (!fits(t.base, offset)) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
        const rs = t.base + offset;
        if (!fits(rs, size)) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
        if (rs < t.base || rs + size > t.base + t.size) return packIndex(STATUS.TDX_INVALID_RESERVED_IN_TDMR, i, j);
      }
    }

    const level = (b: bigint, s: bigint, page: bigint, entry: number): boolean => {
      if (!fits(b, s)) return false;
      if (b % 4096n !== 0n || s % 4096n !== 0n) return false;
      if (!isPlainPa(b, k)) return false;
      if (!isPlainPa(BigInt.asUintN(64, b + s - 1n), k)) return false;
      return s >= (t.size / page) * BigInt(entry);
    };
    if (!level(t.pamt1gBase, t.pamt1gSize, GiB, env.pamtEntrySize[2])) return packIndex(STATUS.TDX_INVALID_PAMT, i, 2);
    if (!level(t.pamt2mBase, t.pamt2mSize, 2n * MiB, env.pamtEntrySize[1])) return packIndex(STATUS.TDX_INVALID_PAMT, i, 1);
    if (!level(t.pamt4kBase, t.pamt4kSize, 4096n, env.pamtEntrySize[0])) return packIndex(STATUS.TDX_INVALID_PAMT, i, 0);

    const mine = pamt(t);
    for (let j = 0; j < i; j++) {
      const theirs = pamt(tdmrs[j]!);
      for (let ps = 0; ps < 3; ps++) {
        const [b, s] = mine[ps]!;
        if (theirs.some(([b2, s2]) => isOverlap(b, s, b2, s2))) return packIndex(STATUS.TDX_PAMT_OVERLAP, i, ps, j);
      }
    }
    if (isOverlap(...mine[0], ...mine[1])) return packIndex(STATUS.TDX_PAMT_OVERLAP, i, 0, i);
    if (isOverlap(...mine[0], ...mine[2])) return packIndex(STATUS.TDX_PAMT_OVERLAP, i, 0, i);
    if (isOverlap(...mine[1], ...mine[2])) return packIndex(STATUS.TDX_PAMT_OVERLAP, i, 1, i);

    for (let j = 0; j <= i; j++) {
      for (let ps = 0; ps < 3; ps++) {
        if (overlapsAvailable(tdmrs[j]!, ...mine[ps]!)) return packIndex(STATUS.TDX_PAMT_OVERLAP, i, ps, j);
      }
      if (j < i) {
        const theirs = pamt(tdmrs[j]!);
        for (let ps = 0; ps < 3; ps++) {
          if (overlapsAvailable(t, ...theirs[ps]!)) return packIndex(STATUS.TDX_PAMT_OVERLAP, j, ps, i);
        }
      }
    }

    for (const ps of [2, 1, 0]) {
      const [b, s] = mine[ps]!;
      if (!runs.contains(b, b + s)) return packIndex(STATUS.TDX_PAMT_OUTSIDE_CMRS, i, ps);
    }

    let start = t.base;
    let valid = false;
    for (let j = 0; j < max; j++) {
      const rs = t.base + rsv(t, j).offset;
      const re = rs + rsv(t, j).size;
      valid = rsv(t, j).size !== 0n;
      if (start === t.base + t.size) break;
      if (valid && start === rs) {
        start = re;
        continue;
      }
      const end = valid ? rs : t.base + t.size;
      if (!runs.contains(start, end)) return packIndex(STATUS.TDX_TDMR_OUTSIDE_CMRS, i);
      if (!valid) break;
      start = re;
    }
    if (valid) {
      const end = t.base + t.size;
      if (end > start && !runs.contains(start, end)) return packIndex(STATUS.TDX_TDMR_OUTSIDE_CMRS, i);
    }
  }
  return STATUS.TDX_SUCCESS;
}


function randomCase(r: () => number): { tdmrs: TdmrInfo[]; env: ConfigEnv } {
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T,>(xs: T[]) => xs[int(xs.length)]!;
  const max = pick([2, 4, 16]);
  // CMRs: a few ranges at 64 MiB granularity over 0..40 GiB, sometimes touching.
  const cmrs: CmrEntry[] = [];
  let at = 0n;
  for (let n = 1 + int(5); n > 0; n--) {
    at += BigInt(int(3) === 0 ? 0 : int(64)) * 64n * MiB;
    const len = BigInt(1 + int(128)) * 64n * MiB;
    cmrs.push({ start: at, end: at + len });
    at += len;
  }
  const n = 1 + int(6);
  const tdmrs: TdmrInfo[] = [];
  let base = BigInt(int(2)) * GiB;
  for (let i = 0; i < n; i++) {
    const size = BigInt(1 + int(4)) * GiB;
    const [k4, m2, g1] = pamtSizes(size);
    const reserved: { offset: bigint; size: bigint }[] = [];
    let off = 0n;
    for (let j = int(max + 1); j > 0; j--) {
      off += BigInt(int(4)) * 64n * MiB;
      const len = BigInt(1 + int(4)) * 64n * MiB;
      if (off + len > size) break;
      reserved.push({ offset: off, size: len });
      off += len;
    }
    // PAMT: in the last reserved area (usually fine), in a random place, or outside TDMRs.
    const last = reserved[reserved.length - 1];
    // ... or where the next TDMR will probably be, to meet later TDMRs' usable memory.
    const where = int(5);
    const pb =
      where < 2 && last
        ? base + last.offset
        : where === 2
          ? BigInt(int(40 * 16)) * 64n * MiB
          : where === 3
            ? BigInt(40 + int(4)) * GiB
            : base + size + BigInt(int(32)) * 64n * MiB;
    const t: TdmrInfo = {
      base,
      size,
      pamt4kBase: pb,
      pamt4kSize: k4,
      pamt2mBase: pb + k4,
      pamt2mSize: m2,
      pamt1gBase: pb + k4 + m2,
      pamt1gSize: g1,
      reserved,
    };
    // Occasional perturbations, each aimed at one check.
    switch (int(24)) {
      case 0: t.base += 2n * MiB; break;
      case 1: t.pamt4kSize -= 4096n; break;
      case 2: t.pamt2mBase = t.pamt4kBase; break;
      case 3: if (reserved.length > 1) reserved.reverse(); break;
      case 4: if (reserved.length > 0) reserved.unshift({ offset: 0n, size: 0n }); break;
      case 5:
      case 9:
      case 10: t.base -= GiB * BigInt(1 + int(2)); break;
      case 6: if (reserved.length > 0) reserved[0]!.offset += 2048n; break;
      case 7: if (tdmrs.length > 0) { const q = tdmrs[int(tdmrs.length)]!; t.pamt1gBase = q.pamt2mBase; } break;
      case 11: if (tdmrs.length > 0) { const q = tdmrs[int(tdmrs.length)]!; t.pamt2mBase = q.pamt4kBase; t.pamt1gBase = q.pamt1gBase; } break;
      case 8: t.pamt1gBase = t.base + BigInt(int(Number(t.size / GiB))) * GiB; break;
      default: break;
    }
    if (t.base < 0n) t.base = 0n;
    while (t.reserved.length > max) t.reserved.pop();
    tdmrs.push(t);
    base += size + BigInt(int(3)) * GiB;
  }
  return {
    tdmrs,
    env: { cmrs, maxTdmrs: 64, maxReservedPerTdmr: max, pamtEntrySize: [16, 16, 16], keyids: { mktme: 31, tdx: 32 }, features0: 0n },
  };
}

describe('CONFIG checks: indexed implementation = the module’s literal loops', () => {
  it('agrees on 4000 random TDMR sets, exact status and index bytes', () => {
    const r = rng(20240611);
    const seen = new Map<string, number>();
    let plain = 0;
    for (let n = 0; n < 4000; n++) {
      const { tdmrs, env } = randomCase(r);
      const want = literal(tdmrs, env);
      const got = checkConfig({ tdmrs }, env).status;
      // The BigInt checks alone, without the all-pass shortcut on numbers, must agree too.
      const exact = checkConfigExact({ tdmrs }, env).status;
      if (got !== want || exact !== want) {
        throw new Error(`case ${n}: literal ${hexStatus(want)} vs model ${hexStatus(got)} / exact ${hexStatus(exact)}\n${JSON.stringify({ tdmrs, env }, (_, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v))}`);
      }
      // The shortcut says "all pass" only when they do, and says it for every passing set here.
      const passes = plainTdmrsPass({ tdmrs }, tdmrs.length, env, keyIdLayout(env.keyids), false);
      expect(passes, `case ${n}`).toBe(want === STATUS.TDX_SUCCESS);
      if (passes) plain++;
      const name = statusName(got);
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    expect(plain).toBeGreaterThan(100);
    // The generator must actually reach the checks it claims to test.
    for (const name of [
      'TDX_SUCCESS',
      'TDX_INVALID_TDMR',
      'TDX_NON_ORDERED_TDMR',
      'TDX_NON_ORDERED_RESERVED_IN_TDMR',
      'TDX_INVALID_RESERVED_IN_TDMR',
      'TDX_INVALID_PAMT',
      'TDX_PAMT_OVERLAP',
      'TDX_PAMT_OUTSIDE_CMRS',
      'TDX_TDMR_OUTSIDE_CMRS',
    ]) {
      expect(seen.get(name) ?? 0, `${name} in ${JSON.stringify([...seen])}`).toBeGreaterThan(10);
    }
  });

  it('the all-pass shortcut equals the BigInt checks under high addresses, KeyIDs, Dynamic PAMT and odd TDMR_INFO addresses', () => {
    const r = rng(20261201);
    const int = (n: number) => Math.floor(r() * n);
    let shortcutTaken = 0;
    for (let n = 0; n < 3000; n++) {
      const c = randomCase(r);
      // Move the whole layout up (KeyID bits start as low as bit 41 with 2048 KeyIDs).
      const shift = [0n, BigInt(int(1 << 14)) * GiB * 64n, (1n << 52n) - BigInt(1 + int(64)) * GiB][int(3)]!;
      const tdmrs = c.tdmrs.map((t) => ({
        ...t, base: t.base + shift, pamt4kBase: t.pamt4kBase + shift, pamt2mBase: t.pamt2mBase + shift, pamt1gBase: t.pamt1gBase + shift,
        reserved: t.reserved.map((a) => ({ ...a })),
      }));
      const mktme = int(4) === 0 ? int(1024) : 31;
      const tdx = int(4) === 0 ? 2 + int(1024) : 32;
      const dpamt = int(3) === 0;
      const env: ConfigEnv = {
        ...c.env,
        cmrs: c.env.cmrs.map((x) => ({ start: x.start + shift, end: x.end + shift })),
        keyids: { mktme, tdx },
        features0: dpamt ? 1n << 36n : 0n,
        pamtEntrySize: int(5) === 0 ? [int(3) * 8, 16, 16] : [16, 16, 16],
        ...(int(6) === 0 ? { maxPaBits: 46 + int(17) } : {}),
      };
      const r8 = BigInt(mktme + 1) | (dpamt && int(2) === 0 ? 1n << 16n : 0n);
      const tdmrPas = int(4) === 0 ? tdmrs.map((_, i) => (int(8) === 0 ? BigInt(int(1 << 20)) * 256n : 0x200000000n + 512n * BigInt(i)) << BigInt(int(3) === 0 ? int(12) : 0)) : undefined;
      const ops = { tdmrs, r8, tdmrPas };
      const exact = checkConfigExact(ops, env);
      expect(checkConfig(ops, env), `case ${n}`).toEqual(exact);
      const k = keyIdLayout(env.keyids, env.maxPaBits);
      if (exact.stage !== 'operands' && plainTdmrsPass(ops, tdmrs.length, env, k, exact.dynamicPamt)) shortcutTaken++;
    }
    expect(shortcutTaken).toBeGreaterThan(30);
  });

  it('the shortcut refuses a TDMR that runs into the KeyID bits even where nothing else would catch it', () => {
    // TDMR 0 ends 1 GiB above the lowest KeyID bit; that GiB is reserved, PAMTs and CMRs are low.
    const env: ConfigEnv = { cmrs: [{ start: 0n, end: 1n << 46n }], maxTdmrs: 64, maxReservedPerTdmr: 16, pamtEntrySize: [16, 16, 16], keyids: { mktme: 31, tdx: 32 }, features0: 0n };
    const start = keyIdLayout(env.keyids).start;
    const base = (1n << BigInt(start)) - 2n * GiB;
    const size = 3n * GiB;
    const [k4, m2, g1] = pamtSizes(size);
    const pb = base;
    const tdmrs: TdmrInfo[] = [{
      base, size, pamt4kBase: pb, pamt4kSize: k4, pamt2mBase: pb + k4, pamt2mSize: m2, pamt1gBase: pb + k4 + m2, pamt1gSize: g1,
      reserved: [{ offset: 0n, size: 64n * MiB }, { offset: 2n * GiB, size: GiB }],
    }];
    expect(statusName(checkConfigExact({ tdmrs }, env).status)).toBe('TDX_INVALID_TDMR');
    expect(plainTdmrsPass({ tdmrs }, 1, env, keyIdLayout(env.keyids), false)).toBe(false);
    expect(checkConfig({ tdmrs }, env)).toEqual(checkConfigExact({ tdmrs }, env));
    // A wider MAXPHYADDR puts the KeyID bits above 2^52, but the module's limit stays 2^52.
    const wide: ConfigEnv = { ...env, maxPaBits: 60, cmrs: [{ start: 0n, end: (1n << 52n) + 4n * GiB }] };
    expect(keyIdLayout(wide.keyids, 60).start).toBeGreaterThan(52);
    const high = tdmrs.map((t) => {
      const b = (1n << 52n) - 2n * GiB;
      return { ...t, base: b, pamt4kBase: b, pamt2mBase: b + k4, pamt1gBase: b + k4 + m2 };
    });
    expect(statusName(checkConfigExact({ tdmrs: high }, wide).status)).toBe('TDX_INVALID_TDMR');
    expect(plainTdmrsPass({ tdmrs: high }, 1, wide, keyIdLayout(wide.keyids, 60), false)).toBe(false);
  });

  it('a TDMR table is judged as its register-exact entries are, on the exact path and the plain one', () => {
    const r = rng(20261206);
    for (let n = 0; n < 1500; n++) {
      const { tdmrs, env } = randomCase(r);
      const table = exactTableOf(tdmrs);
      if (!table) continue;
      expect(tdmrInfosOf(table, env.maxReservedPerTdmr)).toEqual(tdmrs.map((t) => ({ ...t, reserved: t.reserved.slice(0, env.maxReservedPerTdmr) })));
      expect(checkConfig({ tdmrs: table }, env)).toEqual(checkConfig({ tdmrs }, env));
      expect(checkConfigExact({ tdmrs: table }, env)).toEqual(checkConfigExact({ tdmrs }, env));
    }
  });

  it('ConfigVerdicts remembers a table\'s verdict per operands, and checks register-exact arrays every time', () => {
    const r = rng(20261122);
    for (let n = 0; n < 500; n++) {
      const { tdmrs, env } = randomCase(r);
      const table = exactTableOf(tdmrs);
      if (!table) continue;
      const memo = new ConfigVerdicts();
      const fresh = checkConfig({ tdmrs }, env);
      expect(memo.verdict({ tdmrs: table }, env)).toEqual(fresh);
      // Asked again (a later sweep row): the same verdict object.
      expect(memo.verdict({ tdmrs: table }, env)).toBe(memo.verdict({ tdmrs: table }, env));
      // Other operands on the same table are judged afresh.
      const r8 = BigInt(env.keyids.mktme + 2);
      expect(memo.verdict({ tdmrs: table, r8 }, env)).toEqual(checkConfig({ tdmrs, r8 }, env));
    }
    const { tdmrs, env } = randomCase(rng(7));
    const memo = new ConfigVerdicts();
    expect(memo.verdict({ tdmrs }, env)).not.toBe(memo.verdict({ tdmrs }, env));
  });

  it('stays fast for far more TDMRs than a module allows', () => {
    // 4096 adjacent 1 GiB TDMRs with PAMTs in a reserved area at each one's end.
    const n = 4096;
    const tdmrs: TdmrInfo[] = [];
    for (let i = 0; i < n; i++) {
      const base = BigInt(i) * GiB;
      const [k4, m2, g1] = pamtSizes(GiB);
      const pb = base + GiB - 8n * MiB;
      tdmrs.push({ base, size: GiB, pamt4kBase: pb, pamt4kSize: k4, pamt2mBase: pb + k4, pamt2mSize: m2, pamt1gBase: pb + k4 + m2, pamt1gSize: g1, reserved: [{ offset: GiB - 8n * MiB, size: 8n * MiB }] });
    }
    const env: ConfigEnv = { cmrs: [{ start: 0n, end: BigInt(n) * GiB }], maxTdmrs: n, maxReservedPerTdmr: 16, pamtEntrySize: [16, 16, 16], keyids: { mktme: 31, tdx: 32 }, features0: 0n };
    const t0 = performance.now();
    expect(checkConfig({ tdmrs }, env).status).toBe(STATUS.TDX_SUCCESS);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

/** The flat table of register-exact entries whose values all fit a double exactly, else null. */
function exactTableOf(infos: TdmrInfo[]): TdmrTable | null {
  const exact = (b: bigint) => b >= 0n && b <= BigInt(Number.MAX_SAFE_INTEGER);
  for (const t of infos) {
    const values = [t.base, t.size, t.pamt4kBase, t.pamt4kSize, t.pamt2mBase, t.pamt2mSize, t.pamt1gBase, t.pamt1gSize, ...t.reserved.flatMap((a) => [a.offset, a.size])];
    if (!values.every(exact)) return null;
  }
  return tdmrTableOf(infos.map((t) => ({
    base: Number(t.base), size: Number(t.size), nid: 0,
    pamt4k: { base: Number(t.pamt4kBase), size: Number(t.pamt4kSize) },
    pamt2m: { base: Number(t.pamt2mBase), size: Number(t.pamt2mSize) },
    pamt1g: { base: Number(t.pamt1gBase), size: Number(t.pamt1gSize) },
    reserved: t.reserved.map((a) => ({ offset: Number(a.offset), size: Number(a.size) })),
  })));
}
