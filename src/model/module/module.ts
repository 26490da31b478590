// The TDX module as the host kernel sees it during initialization: a state machine behind
// SEAMCALL, with try-locks over modeled time. Behaviour follows intel/tdx-module
// (src/vmm_dispatcher/tdx_vmm_dispatcher.c and api_calls/tdh_sys_*.c); see init-flow.md §1.

import {
  FEATURES0_DYNAMIC_PAMT,
  MAX_PA,
  MAX_PKGS,
  SZ_1G,
  ConfigVerdicts,
  isSharedPa,
  keyIdLayout,
  type KeyIdLayout,
} from './configChecks.js';
import { LEAF, MODELED_LEAVES, leafName } from './leaves.js';
import { SharexLock } from './locks.js';
import { SYS_INFO_STRUCT_SIZE, readSysField, sysInfoStruct } from './metadata.js';
import { gate, semanticsOf, type ModuleSemantics, type ModuleState } from './state.js';
import { STATUS, OPERAND, statusName, withOperand } from './status.js';
import { IA32_CORE_CAPABILITIES, sysInitPlatformStatus } from './sysInit.js';
import type { ModuleConfig, ModuleLp, SeamcallArgs, SeamcallResult, TdmrInfo } from './types.js';
import { TdmrTable } from '../../construct/tdmrTable.js';

/** PAMT entries TDH.SYS.TDMR.INIT initializes per call: 1024 4K pages, or 4096 with Dynamic PAMT. */
export const TDMR_INIT_CHUNK = 4n << 20n;
export const TDMR_INIT_CHUNK_DYNAMIC_PAMT = 16n << 20n;

export interface TdmrProgress {
  base: bigint;
  size: bigint;
  /** Bytes of the TDMR whose PAMT entries are initialized (the module's last_initialized − base). */
  initialized: bigint;
  /** `initialized` rounded down to 1 GiB: the part guests may use, and what RDX reports. */
  ready: bigint;
}

export interface TdmrInitBulkResult {
  /** SEAMCALLs issued (the first one included, even if it failed). */
  calls: number;
  /** Status of the last call issued. */
  status: bigint;
  name: string;
  /** The TDMR is fully initialized. */
  done: boolean;
  /** RDX of the last call: progress rounded down to 1 GiB, 0 on failure. */
  rdx: bigint;
  /** When the last call ends. */
  t1: number;
}

// The module's TDMR table as plain numbers, TDMR_WORDS per TDMR: base, end, the module's
// last_initialized, and when the TDMR's mutex (mutex_lock_t) is free again. Every value is
// exact: an accepted TDMR lies below MAX_PA (2^52), and last_initialized passes its end by
// less than a chunk at most.
const TDMR_WORDS = 4;
const T_BASE = 0;
const T_END = 1;
const T_LAST = 2;
const T_LOCK = 3;
const GIB = Number(SZ_1G);
const PA_LIMIT = 1n << BigInt(MAX_PA);
const NO_TDMRS: number[] = [];

const CHUNK = Number(TDMR_INIT_CHUNK);
const CHUNK_DYNAMIC_PAMT = Number(TDMR_INIT_CHUNK_DYNAMIC_PAMT);

function invalidRcx(): SeamcallResult {
  return resultRdx(withOperand(STATUS.TDX_OPERAND_INVALID, OPERAND.RCX), 0n);
}

/** The kernel maps a SEAMCALL that VMfailInvalid's (no module loaded) to -ENODEV. */
const NOT_LOADED = STATUS.VMFAILINVALID;

/** An answer with RDX only (TDMR.INIT): a literal, where result() would copy its extras in. */
function resultRdx(status: bigint, rdx: bigint): SeamcallResult {
  return { status, name: statusName(status), rdx };
}

function result(status: bigint, extra?: Omit<SeamcallResult, 'status' | 'name'>): SeamcallResult {
  // Most answers carry no registers: no object spread for them (a SEAMCALL is a few per row).
  const r: SeamcallResult = { status, name: statusName(status) };
  return extra ? Object.assign(r, extra) : r;
}

/**
 * What a module derives from its configuration alone, before any SEAMCALL: MCHECK's LP table,
 * the KeyID layout, and a memo of CONFIG verdicts. Built once per configuration by whoever owns
 * the configuration (a PreparedPlatform builds one per platform and hands it to every module it
 * simulates), or by the module itself.
 */
export interface ModuleTables {
  lps: LpTable;
  keys: KeyIdLayout;
  verdicts: ConfigVerdicts;
  /** Which generation's rules the configuration's version selects. */
  semantics: ModuleSemantics;
}

/** `lps`, when given, must be lpTable(cfg.lps) (an owner that shares one LP list across configurations passes its table). */
export function moduleTables(cfg: ModuleConfig, lps: LpTable = lpTable(cfg.lps)): ModuleTables {
  const keys = keyIdLayout(cfg.keyids, cfg.maxPaBits ?? MAX_PA);
  return { lps, keys, verdicts: new ConfigVerdicts(keys), semantics: semanticsOf(cfg.version) };
}

export class TdxModule {
  readonly semantics: ModuleSemantics;
  private readonly cfg: ModuleConfig;
  private readonly keys: KeyIdLayout;
  private readonly verdicts: ConfigVerdicts;
  /** MCHECK's LP table: position by LP id; per-LP state lives in arrays at that position. */
  private readonly lpIndex: ReadonlyMap<number, number>;
  /** Every LP's id is its position. */
  private readonly lpDense: boolean;
  /** No LP's MCHECK data fails an LP.INIT check (MSR, CPUID, package id). */
  private readonly lpClean: boolean;
  private readonly pkgCount: number;

  private sysState: ModuleState = 'SYSINIT_PENDING';
  /** Per-LP state by position: 1 once LP.INIT succeeded; when the LP's last SEAMCALL ends. See LpArrays. */
  private lpInitialized: Uint8Array;
  private lpBusyUntil: Float64Array;
  /** What remains of the per-LP state after a newer module took the arrays (restored on the next call), or null. */
  private lpSaved: SavedLpState | null = null;
  /**
   * Positions whose busy time may still be after lastT0 (every one that is, maybe others and
   * repeats): what evictLpState keeps without reading every LP.
   */
  private lateLps: number[] = [];
  private initCount = 0;
  /** Packages outside 0..30 whose key is programmed (made when first needed); see pkgConfiguredBits. */
  private pkgConfigured: Set<number> | null = null;
  /** Packages 0..30 whose key KEY.CONFIG programmed, one bit each (a platform has at most 8; others go to pkgConfigured). */
  private pkgConfiguredBits = 0;
  private pkgConfiguredCount = 0;
  private readonly globalLock = new SharexLock();
  /** Made when first needed (CONFIG). */
  private reserved: Set<number> | null = null;
  private globalHkid: number | null = null;
  private dynamicPamtEnabled = false;
  /** TDMRs recorded at CONFIG, TDMR_WORDS each (see T_BASE...), bases strictly ascending. */
  private tdmrs: number[] = NO_TDMRS;
  /** Index of the TDMR the last sysTdmrInit found (tdmrInitBulk reads it), or -1. */
  private tdmrHit = -1;

  private lastT0 = -Infinity;

  /** `tables` must be moduleTables(cfg) of this very configuration (built here when absent). */
  constructor(cfg: ModuleConfig, tables: ModuleTables = moduleTables(cfg)) {
    this.cfg = cfg;
    this.semantics = tables.semantics;
    this.keys = tables.keys;
    this.verdicts = tables.verdicts;
    ({ index: this.lpIndex, dense: this.lpDense, clean: this.lpClean, packages: this.pkgCount } = tables.lps);
    const lent = tables.lps.arrays;
    lent.lend(this);
    this.lpInitialized = lent.init;
    this.lpBusyUntil = lent.busy;
    for (const c of cfg.cmrs) {
      if (c.end < c.start) throw new RangeError(`CMR [${c.start}, ${c.end}) ends before it starts`);
    }
  }

  get state(): ModuleState {
    return this.sysState;
  }
  /** Successful TDH.SYS.LP.INIT calls; never decreases. */
  get initLps(): number {
    return this.initCount;
  }
  /** MCHECK's count: every BIOS-enabled LP. */
  get totalLps(): number {
    return this.cfg.lps.length;
  }
  /** MCHECK's count of packages. */
  get totalPkgs(): number {
    return this.pkgCount;
  }
  /** Packages whose global key TDH.SYS.KEY.CONFIG has programmed since CONFIG. */
  get configuredPkgs(): number[] {
    const pkgs = [...(this.pkgConfigured ?? [])];
    for (let p = 0; p < 31; p++) if (this.pkgConfiguredBits & (1 << p)) pkgs.push(p);
    return pkgs.sort((a, b) => a - b);
  }
  /** KeyIDs the module's key ownership table holds as reserved (the global KeyID, once CONFIG got that far). */
  get reservedKeyIds(): number[] {
    return [...(this.reserved ?? [])].sort((a, b) => a - b);
  }
  get globalKeyId(): number | null {
    return this.globalHkid;
  }
  /** Dynamic PAMT as requested at CONFIG (R8 bit 16) on a module that supports it. */
  get dynamicPamt(): boolean {
    return this.dynamicPamtEnabled;
  }

  /** Bytes of TDMR one TDH.SYS.TDMR.INIT covers. */
  chunkBytes(): bigint {
    return this.dynamicPamtEnabled ? TDMR_INIT_CHUNK_DYNAMIC_PAMT : TDMR_INIT_CHUNK;
  }

  tdmrProgress(): TdmrProgress[] {
    const t = this.tdmrs;
    const out: TdmrProgress[] = [];
    for (let w = 0; w < t.length; w += TDMR_WORDS) {
      const base = t[w + T_BASE];
      const end = t[w + T_END];
      const initialized = Math.min(t[w + T_LAST], end) - base;
      out.push({ base: BigInt(base), size: BigInt(end - base), initialized: BigInt(initialized), ready: BigInt(initialized - (initialized % GIB)) });
    }
    return out;
  }

  /**
   * One SEAMCALL by LP `lp` occupying [t0, t1) µs. Calls must come in nondecreasing t0 order and
   * an LP cannot start a call before its previous one ended; breaking either is a bug in the
   * caller and throws. A lock acquired by the call is held for the whole interval.
   */
  call(leaf: number, lp: number, args: SeamcallArgs, t0: number, t1: number): SeamcallResult {
    if (this.lpSaved) this.restoreLpState();
    const i = this.admit(lp, t0, t1);
    const refused = this.dispatchCheck(leaf);
    if (refused !== null) return result(refused);
    switch (leaf) {
      case LEAF.SYS_INIT:
        return this.sysInit(args, t0, t1);
      case LEAF.SYS_LP_INIT:
        return result(this.sysLpInit(i, t0, t1));
      case LEAF.SYS_INFO:
        return this.sysInfo(lp, args);
      case LEAF.SYS_RD:
        return this.sysRd(lp, args);
      case LEAF.SYS_CONFIG:
        return this.sysConfig(args, t0, t1);
      case LEAF.SYS_KEY_CONFIG:
        return this.sysKeyConfig(lp, t0, t1);
      case LEAF.SYS_TDMR_INIT:
        return this.sysTdmrInit(args, t0, t1);
      case LEAF.SYS_LP_SHUTDOWN:
        return this.sysLpShutdown();
      case LEAF.SYS_SHUTDOWN:
        return this.sysShutdown(lp, t0, t1);
      case LEAF.SYS_UPDATE:
        return this.sysUpdate(t0, t1);
      default:
        throw new RangeError(`${leafName(leaf)} is not modeled (modeled: ${[...MODELED_LEAVES].join(', ')})`);
    }
  }

  /**
   * Up to `maxCalls` (Infinity: as many as needed) back-to-back TDH.SYS.TDMR.INIT calls on the TDMR at `base` by `lp`, each
   * `perCallUs` long, starting at t0; stops early once the TDMR is done (the call that completes
   * it is the last, as in the kernel's loop) or when the first call fails. Same outcome, locks
   * and progress as issuing the calls one by one, at O(1) cost:
   *  - for the t0-ordering rule the bulk counts as one call at t0, so other LPs may issue calls
   *    at any t ≥ t0 afterwards;
   *  - the LP and the TDMR's mutex stay held until the returned t1, so another LP's TDMR.INIT of
   *    the same TDMR inside that span gets TDX_OPERAND_BUSY, and SYS.SHUTDOWN sees the LP busy;
   *  - module state is taken as it is at t0: a 1.0 LP.SHUTDOWN issued inside the span does not
   *    retroactively fail the bulk's later calls.
   */
  tdmrInitBulk(lp: number, base: bigint, maxCalls: number, t0: number, perCallUs: number): TdmrInitBulkResult {
    if (!(maxCalls === Infinity || (Number.isInteger(maxCalls) && maxCalls >= 1))) {
      throw new RangeError(`maxCalls must be a positive integer or Infinity, got ${maxCalls}`);
    }
    if (!(perCallUs >= 0)) throw new RangeError(`perCallUs must be >= 0, got ${perCallUs}`);
    this.tdmrHit = -1;
    const first = this.call(LEAF.SYS_TDMR_INIT, lp, { rcx: base }, t0, t0 + perCallUs);
    // The TDMR the call found, if it got that far; else looked up as the table has it.
    const w = (this.tdmrHit >= 0 ? this.tdmrHit : this.tdmrIndex(base)) * TDMR_WORDS;
    const t = this.tdmrs;
    if (first.status !== STATUS.TDX_SUCCESS || w < 0) {
      return {
        calls: 1,
        status: first.status,
        name: first.name,
        done: w >= 0 ? t[w + T_LAST] >= t[w + T_END] : false,
        rdx: first.rdx ?? 0n,
        t1: t0 + perCallUs,
      };
    }
    const chunk = this.chunkNumber();
    // A TDMR is whole GiB and chunks divide a GiB, so this is exact (as the BigInt ceiling was).
    const left = Math.ceil((t[w + T_END] - t[w + T_LAST]) / chunk);
    const more = Math.min(maxCalls - 1, left);
    const last = (t[w + T_LAST] += more * chunk);
    const calls = 1 + more;
    const t1 = t0 + calls * perCallUs;
    if (t1 > t[w + T_LOCK]) t[w + T_LOCK] = t1;
    this.setBusy(this.position(lp)!, t1);
    return {
      calls,
      status: STATUS.TDX_SUCCESS,
      name: statusName(STATUS.TDX_SUCCESS),
      done: last >= t[w + T_END],
      rdx: BigInt(last - (last % GIB)),
      t1,
    };
  }

  /** chunkBytes() as a number. */
  private chunkNumber(): number {
    return this.dynamicPamtEnabled ? CHUNK_DYNAMIC_PAMT : CHUNK;
  }

  /** Position of the TDMR based at `base` in the recorded table, or -1. */
  private tdmrIndex(base: bigint): number {
    const t = this.tdmrs;
    if (t.length === 0 || base < 0n || base >= PA_LIMIT) return -1;
    const b = Number(base);
    let lo = 0;
    let hi = t.length / TDMR_WORDS;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = t[mid * TDMR_WORDS + T_BASE];
      if (x === b) return mid;
      if (x < b) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /**
   * TDH.SYS.LP.INIT by lps[k] over [starts[k], starts[k] + perUs), in order, stopping at the
   * first call that fails: the same checks, state and locks as calling them one by one, without
   * a result object per LP (a platform has thousands).
   */
  lpInitBulk(lps: readonly number[], starts: ArrayLike<number>, perUs: number): LpInitBulkResult {
    if (this.lpSaved) this.restoreLpState();
    // LP.INIT changes neither sys_state nor "loaded": the dispatcher answers every call alike.
    const refused = lps.length ? this.dispatchCheck(LEAF.SYS_LP_INIT) : null;
    let k = refused === null ? this.lpInitPlain(lps, starts, perUs) : 0;
    for (; k < lps.length; k++) {
      const t0 = starts[k];
      const t1 = t0 + perUs;
      const i = this.admit(lps[k], t0, t1);
      const status = refused ?? this.sysLpInit(i, t0, t1);
      if (status !== STATUS.TDX_SUCCESS) return { succeeded: k, failure: result(status) };
    }
    return { succeeded: lps.length, failure: null };
  }

  /**
   * The leading calls of an LP.INIT series that plainly succeed, done on the per-LP arrays
   * directly (thousands of LPs per platform): LPs known by position, whose MCHECK data passes
   * every check, not yet initialized, idle, in t0 order, no exclusive holder. Returns how many
   * it did; lpInitBulk does the rest one by one, with every check and its exact status.
   */
  private lpInitPlain(lps: readonly number[], starts: ArrayLike<number>, perUs: number): number {
    if (!this.lpDense || !this.lpClean || this.sysState !== 'SYSINIT_DONE' || !(perUs >= 0)) return 0;
    // Shared requests never move the exclusive holder's end, and the series' starts do not go
    // back: if the first call gets the global lock, every later one does.
    if (lps.length === 0 || !this.globalLock.admitsShared(starts[0])) return 0;
    const n = this.lpInitialized.length;
    const init = this.lpInitialized;
    const busy = this.lpBusyUntil;
    let last = this.lastT0;
    let k = 0;
    for (; k < lps.length; k++) {
      const i = lps[k];
      const t0 = starts[k];
      // i >>> 0 === i: a whole number in [0, 2^32).
      if (i >>> 0 !== i || i >= n || init[i] || !(t0 >= last) || t0 < busy[i]) break;
      last = t0;
      busy[i] = t0 + perUs;
      init[i] = 1;
    }
    if (k === 0) return 0;
    // One shared hold for the whole series: its ends do not go back either (same length each).
    this.globalLock.tryShared(starts[0], starts[k - 1] + perUs);
    this.lastT0 = last;
    this.initCount += k;
    // The calls still running at the series' last start: a suffix, the ends being in order.
    for (let j = k - 1; j >= 0 && starts[j] + perUs > last; j--) this.noteLate(lps[j]);
    return k;
  }

  /**
   * A newer module on the same LP table takes the per-LP arrays (LpArrays.lend): keep what of
   * this module's per-LP state can still matter, compactly. A busy time at or before the last
   * call's start can never refuse a later call (calls come in nondecreasing t0 order, and every
   * check reads "starts before the LP's call ends"), so only later ones are kept (they are all
   * in lateLps); the initialized flags are all, none, or a copy. Called by LpArrays.lend only.
   * @internal
   */
  evictLpState(): void {
    const n = this.lpBusyUntil.length;
    const busy = this.lpBusyUntil;
    let kept: number[] | Float64Array;
    if (Number.isNaN(this.lastT0)) kept = busy.slice();
    else {
      kept = [];
      for (const p of this.lateLps) if (busy[p] > this.lastT0) kept.push(p, busy[p]);
    }
    const init = this.initCount === 0 ? 0 : this.initCount === n ? 1 : this.lpInitialized.slice();
    this.lpSaved = { n, init, busy: kept };
    this.lpInitialized = EMPTY_U8;
    this.lpBusyUntil = EMPTY_F64;
  }

  /** Per-LP arrays of this module's own, from what evictLpState kept. */
  private restoreLpState(): void {
    const { n, init, busy } = this.lpSaved!;
    this.lpSaved = null;
    this.lpInitialized = typeof init === 'number' ? new Uint8Array(n).fill(init) : init;
    if (busy instanceof Float64Array) this.lpBusyUntil = busy;
    else {
      this.lpBusyUntil = new Float64Array(n).fill(-Infinity);
      for (let k = 0; k < busy.length; k += 2) this.lpBusyUntil[busy[k]] = busy[k + 1];
      this.lateLps = [];
      for (let k = 0; k < busy.length; k += 2) this.lateLps.push(busy[k]);
    }
  }

  /** The dispatcher's refusal before any leaf handler runs, or null. */
  private dispatchCheck(leaf: number): bigint | null {
    if (!this.cfg.loaded) return NOT_LOADED;
    return gate(this.sysState, leaf, this.semantics);
  }

  /** The LP's position in MCHECK's table, after the caller-contract checks; marks it busy. */
  private admit(lp: number, t0: number, t1: number): number {
    const i = this.position(lp);
    if (i === undefined) throw new RangeError(`LP ${lp} is not among MCHECK's LPs`);
    if (!(t1 >= t0)) throw new RangeError(`call interval [${t0}, ${t1}) is empty or reversed`);
    if (t0 < this.lastT0) throw new RangeError(`calls must come in nondecreasing t0 order: ${t0} after ${this.lastT0}`);
    const busy = this.lpBusyUntil[i];
    if (t0 < busy) throw new RangeError(`LP ${lp} starts a SEAMCALL at ${t0} while its previous one runs until ${busy}`);
    this.lastT0 = t0;
    this.setBusy(i, t1);
    return i;
  }

  /** The LP at position i is busy until t1 (after lastT0, or at it). */
  private setBusy(i: number, t1: number): void {
    this.lpBusyUntil[i] = t1;
    if (t1 > this.lastT0) this.noteLate(i);
  }

  private noteLate(i: number): void {
    const late = this.lateLps;
    // Calls come in runs on one LP (the caller's CPU): listed once per run.
    if (late.length > 0 && late[late.length - 1] === i) return;
    if (late.length >= LATE_ROOM) {
      // Keep the list short on long runs: busy times at or before lastT0 no longer matter.
      let kept = 0;
      for (const p of late) if (this.lpBusyUntil[p] > this.lastT0) late[kept++] = p;
      late.length = kept;
    }
    late.push(i);
  }

  /** The LP's position in MCHECK's table, or undefined if MCHECK does not know it. */
  private position(lp: number): number | undefined {
    // LP ids are usually the positions themselves (0..n-1 in order): no lookup then.
    if (this.lpDense) return Number.isInteger(lp) && lp >= 0 && lp < this.lpInitialized.length ? lp : undefined;
    return this.lpIndex.get(lp);
  }

  private lpIsInit(lp: number): boolean {
    return this.lpInitialized[this.position(lp)!] === 1;
  }

  private sysInit(args: SeamcallArgs, t0: number, t1: number): SeamcallResult {
    if (!this.globalLock.tryExclusive(t0, t1)) return result(STATUS.TDX_SYS_BUSY);
    if ((args.rcx ?? 0n) !== 0n) return result(withOperand(STATUS.TDX_OPERAND_INVALID, OPERAND.RCX));
    if (this.sysState !== 'SYSINIT_PENDING') return result(STATUS.TDX_SYS_INIT_NOT_PENDING);
    const status = sysInitPlatformStatus(this.cfg.sysInitPlatformOk !== false, this.cfg.keyids, this.cfg.cmrs, this.keys);
    if (status !== STATUS.TDX_SUCCESS) return result(status);
    this.sysState = 'SYSINIT_DONE';
    this.initCount = 0;
    this.clearConfiguredPkgs();
    return result(STATUS.TDX_SUCCESS);
  }

  /** The LP at position i of MCHECK's table. */
  private sysLpInit(i: number, t0: number, t1: number): bigint {
    if (!this.globalLock.tryShared(t0, t1)) return STATUS.TDX_SYS_BUSY;
    if (this.sysState !== 'SYSINIT_DONE') return STATUS.TDX_SYS_LP_INIT_NOT_PENDING;
    if (this.lpInitialized[i]) return STATUS.TDX_SYS_LP_INIT_DONE;
    const info = this.cfg.lps[i];
    if (info.msrOk === false) return withOperand(STATUS.TDX_INCONSISTENT_MSR, IA32_CORE_CAPABILITIES);
    if (info.cpuidOk === false) return STATUS.TDX_INCONSISTENT_CPUID_FIELD;
    // The package id comes from the LP's x2APIC id; the module's per-package tables have 8 slots.
    if (info.package >= MAX_PKGS) return withOperand(STATUS.TDX_INVALID_PKG_ID, info.package);
    this.lpInitialized[i] = 1;
    this.initCount += 1;
    return STATUS.TDX_SUCCESS;
  }

  private sysInfo(lp: number, args: SeamcallArgs): SeamcallResult {
    if (!this.lpIsInit(lp)) return result(STATUS.TDX_SYS_LP_INIT_NOT_DONE, { rdx: 0n, r9: 0n });
    const invalid = (op: number) => result(withOperand(STATUS.TDX_OPERAND_INVALID, op), { rdx: 0n, r9: 0n });
    if (args.rcx !== undefined && !isSharedPa(args.rcx, 1024n, this.keys)) return invalid(OPERAND.RCX);
    if (args.rdx !== undefined && args.rdx < SYS_INFO_STRUCT_SIZE) return invalid(OPERAND.RDX);
    if (args.r8 !== undefined && !isSharedPa(args.r8, 512n, this.keys)) return invalid(OPERAND.R8);
    if (args.r9 !== undefined && args.r9 < 32n) return invalid(OPERAND.R9);
    return result(STATUS.TDX_SUCCESS, { rdx: SYS_INFO_STRUCT_SIZE, r9: 32n, info: sysInfoStruct(this.cfg) });
  }

  private sysRd(lp: number, args: SeamcallArgs): SeamcallResult {
    const field = args.field ?? args.rdx;
    if (field === undefined) throw new TypeError('TDH.SYS.RD needs a field id (args.field or args.rdx)');
    if (!this.lpIsInit(lp)) return result(STATUS.TDX_SYS_LP_INIT_NOT_DONE, { rdx: 0xffffffffffffffffn, r8: 0n });
    const r = readSysField(this.cfg, field);
    return { status: r.status, name: statusName(r.status), rdx: r.rdx, r8: r.r8 };
  }

  private sysConfig(args: SeamcallArgs, t0: number, t1: number): SeamcallResult {
    if (!this.globalLock.tryExclusive(t0, t1)) return result(STATUS.TDX_SYS_BUSY);
    if (this.sysState !== 'SYSINIT_DONE') return result(STATUS.TDX_SYS_CONFIG_NOT_PENDING);
    if (this.initCount < this.totalLps) return result(STATUS.TDX_SYS_CONFIG_NOT_PENDING);
    if (!args.tdmrs) throw new TypeError('TDH.SYS.CONFIG needs args.tdmrs (the TDMR_INFO array RCX points to)');
    const v = this.verdicts.verdict({ tdmrs: args.tdmrs, rcx: args.rcx, rdx: args.rdx, r8: args.r8, tdmrPas: args.tdmrPas }, this.cfg);
    if (v.keyIdReserved) {
      (this.reserved ??= new Set()).add(v.globalKeyId);
      this.globalHkid = v.globalKeyId;
      this.dynamicPamtEnabled = v.dynamicPamt;
    }
    if (v.status !== STATUS.TDX_SUCCESS) return result(v.status);
    const tdmrs = args.tdmrs;
    const n = Number(args.rdx ?? BigInt(tdmrs instanceof TdmrTable ? tdmrs.count : tdmrs.length));
    this.recordTdmrs(tdmrs, n);
    this.clearConfiguredPkgs();
    this.sysState = 'SYSCONFIG_DONE';
    return result(STATUS.TDX_SUCCESS);
  }

  /** The first n TDMRs of the accepted array become the module's TDMR table. */
  private recordTdmrs(tdmrs: readonly TdmrInfo[] | TdmrTable, n: number): void {
    // CONFIG accepted them: ordered, disjoint, below MAX_PA, so every value is an exact double.
    const t: number[] = new Array(n * TDMR_WORDS);
    for (let i = 0; i < n; i++) {
      const base = tdmrs instanceof TdmrTable ? tdmrs.base(i) : Number(tdmrs[i]!.base);
      const size = tdmrs instanceof TdmrTable ? tdmrs.size(i) : Number(tdmrs[i]!.size);
      const w = i * TDMR_WORDS;
      t[w + T_BASE] = base;
      t[w + T_END] = base + size;
      t[w + T_LAST] = base;
      t[w + T_LOCK] = -Infinity;
    }
    this.tdmrs = t;
  }

  private sysKeyConfig(lp: number, t0: number, t1: number): SeamcallResult {
    if (!this.globalLock.tryExclusive(t0, t1)) return result(STATUS.TDX_SYS_BUSY);
    if (this.sysState !== 'SYSCONFIG_DONE') return result(STATUS.TDX_SYS_KEY_CONFIG_NOT_PENDING);
    const pkg = this.cfg.lps[this.position(lp)!].package;
    if (!this.markConfigured(pkg)) return result(STATUS.TDX_KEY_CONFIGURED);
    if (++this.pkgConfiguredCount === this.pkgCount) this.sysState = 'SYS_READY';
    return result(STATUS.TDX_SUCCESS);
  }

  /** Records that package `pkg`'s key is programmed; false if it already was. */
  private markConfigured(pkg: number): boolean {
    if (Number.isInteger(pkg) && pkg >= 0 && pkg < 31) {
      const bit = 1 << pkg;
      if (this.pkgConfiguredBits & bit) return false;
      this.pkgConfiguredBits |= bit;
      return true;
    }
    const others = (this.pkgConfigured ??= new Set());
    if (others.has(pkg)) return false;
    others.add(pkg);
    return true;
  }

  private clearConfiguredPkgs(): void {
    this.pkgConfiguredBits = 0;
    this.pkgConfiguredCount = 0;
    this.pkgConfigured?.clear();
  }

  private sysTdmrInit(args: SeamcallArgs, t0: number, t1: number): SeamcallResult {
    const base = args.rcx;
    if (base === undefined) throw new TypeError('TDH.SYS.TDMR.INIT needs args.rcx (the TDMR base)');
    if (base < 0n || base % SZ_1G !== 0n || base >= PA_LIMIT || (base & this.keys.mask) !== 0n) return invalidRcx();
    const i = this.tdmrIndex(base);
    if (i < 0) return invalidRcx();
    this.tdmrHit = i;
    const t = this.tdmrs;
    const w = i * TDMR_WORDS;
    // The TDMR's mutex, a try-lock (locks.ts, MutexLock): held until the call ends.
    if (t[w + T_LOCK] > t0) return resultRdx(withOperand(STATUS.TDX_OPERAND_BUSY, OPERAND.RCX), 0n);
    t[w + T_LOCK] = t1;
    if (t[w + T_LAST] >= t[w + T_END]) return resultRdx(STATUS.TDX_TDMR_ALREADY_INITIALIZED, 0n);
    const last = (t[w + T_LAST] += this.chunkNumber());
    // Rounded down so that the VMM never uses a GiB whose PAMT is only partly initialized; a
    // TDMR is a whole number of GiB, so the completing call returns exactly base + size.
    return resultRdx(STATUS.TDX_SUCCESS, BigInt(last - (last % GIB)));
  }

  private sysLpShutdown(): SeamcallResult {
    if (this.semantics === '1.0') this.sysState = 'SYS_SHUTDOWN';
    return result(STATUS.TDX_SUCCESS);
  }

  private sysShutdown(lp: number, t0: number, t1: number): SeamcallResult {
    if (!this.globalLock.tryExclusive(t0, t1)) return result(STATUS.TDX_SYS_BUSY);
    // The module refuses to hand off while another LP is inside a SEAMCALL.
    const self = this.position(lp)!;
    for (let i = 0; i < this.lpBusyUntil.length; i++) {
      if (i !== self && this.lpBusyUntil[i] > t0) return result(STATUS.TDX_SYS_BUSY);
    }
    this.sysState = 'SYS_SHUTDOWN';
    return result(STATUS.TDX_SUCCESS);
  }

  private sysUpdate(t0: number, t1: number): SeamcallResult {
    if (!this.globalLock.tryExclusive(t0, t1)) return result(STATUS.TDX_SYS_BUSY);
    if (this.sysState !== 'SYSINIT_DONE' || this.initCount < this.totalLps) return result(STATUS.TDX_SYS_STATE_INCORRECT);
    if (!this.cfg.handoffValid) return result(STATUS.TDX_SYS_INVALID_HANDOFF);
    this.sysState = 'SYS_READY';
    return result(STATUS.TDX_SUCCESS);
  }
}

export interface LpInitBulkResult {
  /** Calls that succeeded, in order; the call after them (if any) is the one that failed. */
  succeeded: number;
  failure: SeamcallResult | null;
}

/** MCHECK's LP table of a configuration (see ModuleTables). */
export interface LpTable {
  /** Position by LP id; empty when dense. */
  index: ReadonlyMap<number, number>;
  dense: boolean;
  clean: boolean;
  packages: number;
  /** The per-LP state arrays the modules of this table work in, one module at a time. */
  arrays: LpArrays;
}

interface SavedLpState {
  n: number;
  /** Every LP initialized (1), none (0), or the flags. */
  init: 0 | 1 | Uint8Array;
  /** (position, busy until) pairs of the busy times that still matter, or every busy time. */
  busy: number[] | Float64Array;
}

const EMPTY_U8 = new Uint8Array(0);
/** Entries of TdxModule.lateLps before it is pruned. */
const LATE_ROOM = 64;
const EMPTY_F64 = new Float64Array(0);

/**
 * The per-LP state arrays of an LP table (initialized flags, busy-until times), lent to the
 * module built last on that table. A structural sweep builds a module per row on a handful of
 * LP tables (src/model/sweep/build.ts shares them between rows with the same CPUs), and typed
 * arrays of its own per module cost more to allocate than the row's LP.INIT work. Owner: the
 * LpTable (so a PreparedCpus, or a module built without one); lifetime: the table's. Lending
 * them to a new module first makes the previous borrower keep its state compactly
 * (TdxModule.evictLpState): that module still answers exactly as before, in arrays of its own
 * if it is ever called again. One thread only, like everything in a module.
 */
export class LpArrays {
  readonly init: Uint8Array;
  readonly busy: Float64Array;
  private borrower: TdxModule | null = null;

  constructor(n: number) {
    this.init = new Uint8Array(n);
    this.busy = new Float64Array(n);
  }

  /** Resets the arrays (no LP initialized, none busy) for `module`, whose they are until the next lend(). */
  lend(module: TdxModule): void {
    this.borrower?.evictLpState();
    this.borrower = module;
    this.init.fill(0);
    this.busy.fill(-Infinity);
  }
}

export function lpTable(lps: readonly ModuleLp[]): LpTable {
  let dense = true;
  let clean = true;
  const packages = new Set<number>();
  for (let i = 0; i < lps.length; i++) {
    const lp = lps[i];
    dense &&= lp.id === i;
    clean &&= lp.msrOk !== false && lp.cpuidOk !== false && lp.package < MAX_PKGS;
    packages.add(lp.package);
  }
  // LP ids 0..n-1 in order (every platform built from counts): the id is the position, no index.
  const index = new Map<number, number>();
  if (!dense) {
    lps.forEach((lp, i) => {
      if (index.has(lp.id)) throw new RangeError(`LP ${lp.id} listed twice`);
      index.set(lp.id, i);
    });
  }
  return { index, dense, clean, packages: packages.size, arrays: new LpArrays(lps.length) };
}

/** Whether the module advertises Dynamic PAMT (TDX_FEATURES0 bit 36). */
export function supportsDynamicPamt(cfg: Pick<ModuleConfig, 'features0'>): boolean {
  return (cfg.features0 & FEATURES0_DYNAMIC_PAMT) !== 0n;
}
