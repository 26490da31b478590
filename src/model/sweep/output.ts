// Sweep rows as text: CSV (with a header) or JSON Lines, and the merge of shard outputs back
// into the unsharded output. Row text depends only on the plan and the row's numbers, never on
// how rows were chunked or which worker ran them, so any split gives the same bytes.

import { InputError } from '../../platform/errors.js';
import { csvCell, csvRecord, csvText, parseCsv } from '../../util/csv.js';
import { writeNumberText } from '../../util/numberText.js';
import { ByteText, textOf, utf8 } from '../../util/byteText.js';
import { CAPACITY, NUM_COLUMNS, NUMS, STR_COLUMNS, STRS, type ChunkRows, type RowRange, type SweepEvaluator } from './evaluate.js';
import { advanceGridIndices, gridValueIndices, rowValues, type SweepPlan } from './spec.js';

export type SweepFormat = 'csv' | 'jsonl';

/** Results after the error and step columns; the machine's totals (capacity) come after the axes. */
const RESULT_END = NUMS - CAPACITY;

export function header(plan: SweepPlan): string[] {
  return ['index', ...plan.axes.map((a) => a.name), ...NUM_COLUMNS.slice(RESULT_END), 'initialized', 'error', 'step', ...NUM_COLUMNS.slice(1, RESULT_END), 'message'];
}

/** The header line (CSV only; JSON Lines has none), with its line end. */
export function headerText(plan: SweepPlan, format: SweepFormat): string {
  return format === 'csv' ? csvRecord(header(plan)) + '\n' : '';
}

function axisCell(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return csvText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return csvCell(v);
  return csvText(JSON.stringify(v));
}

const num = (x: number): number | null => (Number.isNaN(x) ? null : x);

const csvStr = (s: string): string => (s === '' ? '' : csvText(s));
const jsonStr = (s: string): string => (s === '' ? 'null' : JSON.stringify(s));

/**
 * A number cell, appended to out: what csvCell (csv) or JSON.stringify writes for x (NaN and
 * ±Infinity: nothing, or null); writeNumberText is String(x), faster for a row's integers and
 * 3-decimal times.
 */
function writeNum(out: ByteText, x: number, csv: boolean): void {
  if (Number.isFinite(x)) writeNumberText(out, x);
  else if (!csv) out.add('null');
}

/**
 * What a plan's rows have in common in one format, made once: in a grid, every axis value's cell
 * (CSV) or `,"name":value` member (JSON Lines); the members' keys. A row is then a few copies of
 * ready pieces (bytes, for what every row writes) and its own numbers, with no object per row.
 */
interface RowPieces {
  csv: boolean;
  /** Grid only: [axis][value index] → the value's CSV cell preceded by the comma, or its `,"name":value` member, as bytes. */
  axes: Uint8Array[][] | null;
  /** `,"name":` of each axis (list mode formats its values per row). */
  jsonAxisKeys: string[];
  /** `,"column":` of each numeric and text column, as bytes. */
  numKeys: Uint8Array[];
  strKeys: Uint8Array[];
  /**
   * JSON.stringify writes an object's integer-like keys first and a repeated key once; when an
   * axis name would do either, rows go through an object as before (formatRowsJsonObjects).
   */
  jsonPlain: boolean;
  /** The bytes of a grid row's axes but the last (fastest), and their value indices. */
  headIdx: number[];
  head: Uint8Array | null;
  /** The bytes of the platform block (capacity, outcome, TDMR counts: BLOCK_NUMS and the error and step), and its values. */
  blockNums: Float64Array;
  blockStrs: string[];
  block: Uint8Array | null;
}

/**
 * The numeric columns a row writes between its axes and its times, in order around the error
 * and step: the machine's totals, initialized, then the TDMR counts. Neighbouring rows of a
 * capacity sweep (one platform) write the same block.
 */
/** The time columns after the block. */
const TIMES_FROM = 4;
const BLOCK_NUMS: readonly number[] = [...Array.from({ length: CAPACITY }, (_, j) => RESULT_END + j), 0, ...Array.from({ length: TIMES_FROM - 1 }, (_, j) => 1 + j)];

function rowPieces(plan: SweepPlan, format: SweepFormat): RowPieces {
  const key = (name: string): string => ',' + JSON.stringify(name) + ':';
  const names = plan.axes.map((a) => a.name);
  const keys = ['index', ...names, ...NUM_COLUMNS, ...STR_COLUMNS];
  const csv = format === 'csv';
  const axes = plan.mode === 'list'
    ? null
    : plan.axes.map((a) => a.values.map((v) => utf8(csv ? ',' + axisCell(v) : key(a.name) + JSON.stringify(v === undefined ? null : v))));
  return {
    csv,
    axes,
    jsonAxisKeys: names.map(key),
    numKeys: NUM_COLUMNS.map((c) => utf8(key(c))),
    strKeys: STR_COLUMNS.map((c) => utf8(key(c))),
    jsonPlain: new Set(keys).size === keys.length && !keys.some((k) => String(Number(k) >>> 0) === k && Number(k) < 2 ** 32 - 1),
    headIdx: new Array<number>(plan.axes.length).fill(-1),
    head: null,
    blockNums: new Float64Array(BLOCK_NUMS.length).fill(NaN),
    blockStrs: ['', ''],
    block: null,
  };
}

/**
 * A plan's rows as UTF-8 text in one format. The pieces every row shares are made once, when the
 * runner (or a worker) makes its RowText for the plan, and live as long as it keeps it; so does
 * the buffer rows are written into.
 */
export class RowText {
  private readonly pieces: RowPieces;
  private readonly out = new ByteText();
  /** The rows of the chunk being written (evaluated into, chunk after chunk: only their text leaves). */
  private evaluated: ChunkRows | undefined;

  constructor(
    readonly plan: SweepPlan,
    readonly format: SweepFormat,
  ) {
    this.pieces = rowPieces(plan, format);
  }

  /** The text of rows [0, rows.count) of a chunk whose first row has global index first, step apart. */
  rows(rows: ChunkRows, first: number, step: number): Uint8Array {
    writeRows(this.out, this.pieces, this.plan, this.format, rows, first, step);
    return this.out.take();
  }

  /** Gives back a chunk's bytes once they are written out (ByteText.recycle): the next chunks are written into them. */
  recycle(bytes: Uint8Array): void {
    this.out.recycle(bytes);
  }

  /** One chunk evaluated and written, with its tallies. */
  chunk(evaluator: SweepEvaluator, r: RowRange): ChunkOutput {
    const rows = (this.evaluated = evaluator.evaluate(r, this.evaluated));
    let failed = 0;
    let invalid = 0;
    for (let i = 0; i < rows.count; i++) {
      if (rows.nums[i * NUMS] !== 1) failed++;
      if (rows.strs[i * STRS] === 'INVALID') invalid++;
    }
    return { bytes: this.rows(rows, r.start, r.step), failed, invalid };
  }
}

/** The text of rows [0, rows.count) of a chunk whose first row has global index first, step apart (pieces made for this call). */
export function formatRows(plan: SweepPlan, format: SweepFormat, rows: ChunkRows, first: number, step: number): string {
  return textOf(new RowText(plan, format).rows(rows, first, step));
}

// A row is written by two small functions (its index and axes; its results) rather than one
// loop body: each is optimized on its own after a few hundred rows, where one large body
// waited tens of milliseconds for its optimized code while the first rows ran slowly.
function writeRows(out: ByteText, p: RowPieces, plan: SweepPlan, format: SweepFormat, rows: ChunkRows, first: number, step: number): void {
  if (format === 'jsonl' && !p.jsonPlain) {
    out.add(formatRowsJsonObjects(plan, rows, first, step));
    return;
  }
  const idx = plan.mode === 'list' ? null : gridValueIndices(plan, first, new Array(plan.axes.length));
  for (let i = 0; i < rows.count; i++) {
    const index = first + i * step;
    if (idx) writeGridAxes(out, p, idx, index);
    else writeListAxes(out, p, plan, index);
    writeResults(out, p, rows.nums, i * NUMS, rows.strs, i * STRS);
    if (idx) advanceGridIndices(plan, idx, step);
  }
}

/** A grid row's index and axis cells (value indices idx). */
function writeGridAxes(out: ByteText, p: RowPieces, idx: number[], index: number): void {
  if (!p.csv) out.add('{"index":');
  out.uint(index);
  writeAxesHead(out, p, idx);
  const last = idx.length - 1;
  out.bytes(p.axes![last][idx[last]]);
}

/** A list row's index and axis cells. */
function writeListAxes(out: ByteText, p: RowPieces, plan: SweepPlan, index: number): void {
  const values = rowValues(plan, index);
  if (p.csv) {
    out.uint(index);
    for (const v of values) {
      out.ascii(COMMA);
      out.add(axisCell(v));
    }
    return;
  }
  out.add('{"index":');
  out.uint(index);
  // Every row has every column (null where a list entry leaves an axis unset), in the CSV
  // header's order: the merge tells shards of two sweeps apart by their columns. A for loop,
  // not for-of on the entry: its unset axes are holes.
  for (let a = 0; a < plan.axes.length; a++) {
    out.add(p.jsonAxisKeys[a]);
    out.add(JSON.stringify(values[a] === undefined ? null : values[a]));
  }
}

/** A row's results after its axes (nums from n, strs from t), and its line end. */
function writeResults(out: ByteText, p: RowPieces, nums: Float64Array, n: number, strs: string[], t: number): void {
  writeBlock(out, p, nums, n, strs, t);
  if (p.csv) {
    for (let k = TIMES_FROM; k < RESULT_END; k++) {
      out.ascii(COMMA);
      writeNum(out, nums[n + k], true);
    }
    out.ascii(COMMA);
    out.add(csvStr(strs[t + 2]));
    out.ascii(NEWLINE);
  } else {
    for (let k = TIMES_FROM; k < RESULT_END; k++) {
      out.bytes(p.numKeys[k]);
      writeNum(out, nums[n + k], false);
    }
    out.bytes(p.strKeys[2]);
    out.add(jsonStr(strs[t + 2]));
    out.add('}\n');
  }
}

const COMMA = 0x2c;
const NEWLINE = 0x0a;

/** A grid row's axis cells but the last: the previous row's bytes while those indices stay. */
function writeAxesHead(out: ByteText, p: RowPieces, idx: number[]): void {
  const last = idx.length - 1;
  let same = p.head !== null;
  for (let a = 0; a < last && same; a++) same = idx[a] === p.headIdx[a];
  if (same) {
    out.bytes(p.head!);
    return;
  }
  const from = out.length;
  for (let a = 0; a < last; a++) {
    out.bytes(p.axes![a][idx[a]]);
    p.headIdx[a] = idx[a];
  }
  p.head = out.copySince(from);
}

/**
 * The platform block of row n (BLOCK_NUMS around the error and step): the previous row's bytes
 * when its values are the same (a capacity sweep's rows of one platform), else written and kept.
 */
function writeBlock(out: ByteText, p: RowPieces, nums: Float64Array, n: number, strs: string[], t: number): void {
  let same = p.block !== null && strs[t] === p.blockStrs[0] && strs[t + 1] === p.blockStrs[1];
  for (let j = 0; j < BLOCK_NUMS.length && same; j++) same = nums[n + BLOCK_NUMS[j]] === p.blockNums[j];
  if (same) {
    out.bytes(p.block!);
    return;
  }
  for (let j = 0; j < BLOCK_NUMS.length; j++) p.blockNums[j] = nums[n + BLOCK_NUMS[j]];
  p.blockStrs[0] = strs[t];
  p.blockStrs[1] = strs[t + 1];
  const from = out.length;
  const init = nums[n] === 1;
  if (p.csv) {
    for (let k = RESULT_END; k < NUMS; k++) {
      out.ascii(COMMA);
      writeNum(out, nums[n + k], true);
    }
    out.add(init ? ',true,' : ',false,');
    out.add(csvStr(strs[t]));
    out.ascii(COMMA);
    out.add(csvStr(strs[t + 1]));
    for (let k = 1; k < TIMES_FROM; k++) {
      out.ascii(COMMA);
      writeNum(out, nums[n + k], true);
    }
  } else {
    for (let k = RESULT_END; k < NUMS; k++) {
      out.bytes(p.numKeys[k]);
      writeNum(out, nums[n + k], false);
    }
    out.bytes(p.numKeys[0]);
    out.add(init ? 'true' : 'false');
    out.bytes(p.strKeys[0]);
    out.add(jsonStr(strs[t]));
    out.bytes(p.strKeys[1]);
    out.add(jsonStr(strs[t + 1]));
    for (let k = 1; k < TIMES_FROM; k++) {
      out.bytes(p.numKeys[k]);
      writeNum(out, nums[n + k], false);
    }
  }
  p.block = out.copySince(from);
}

/** JSON Lines through one object per row, for axis names JSON.stringify would reorder or merge. */
function formatRowsJsonObjects(plan: SweepPlan, rows: ChunkRows, first: number, step: number): string {
  let out = '';
  const names = plan.axes.map((a) => a.name);
  for (let i = 0; i < rows.count; i++) {
    const index = first + i * step;
    const values = rowValues(plan, index);
    const n = i * NUMS;
    const t = i * STRS;
    const o: Record<string, unknown> = { index };
    for (let a = 0; a < names.length; a++) o[names[a]] = values[a] === undefined ? null : values[a];
    for (let k = RESULT_END; k < NUMS; k++) o[NUM_COLUMNS[k]] = num(rows.nums[n + k]);
    o.initialized = rows.nums[n] === 1;
    o[STR_COLUMNS[0]] = rows.strs[t] || null;
    o[STR_COLUMNS[1]] = rows.strs[t + 1] || null;
    for (let k = 1; k < RESULT_END; k++) o[NUM_COLUMNS[k]] = num(rows.nums[n + k]);
    o[STR_COLUMNS[2]] = rows.strs[t + 2] || null;
    out += JSON.stringify(o) + '\n';
  }
  return out;
}

/**
 * A chunk's rows as output text (UTF-8) and their tallies (for the summary line), made in the
 * thread that evaluated them: a worker hands the bytes over without a copy, and the thread that
 * writes the output only passes them on, leaving the cores to the workers.
 */
export interface ChunkOutput {
  bytes: Uint8Array;
  /** Rows whose initialization failed (a modeled failure or an invalid combination). */
  failed: number;
  /** Rows whose combination of values was not a valid platform. */
  invalid: number;
}

interface ShardRow {
  index: number;
  text: string;
  file: string;
}

/**
 * Joins shard outputs (any order, any split) into the output of the unsharded sweep. Refuses
 * mixed formats or headers, a row in two files, and a gap in the indices (a missing shard
 * leaves one; with the modulo split even a missing last shard does, unless it was empty).
 */
export function mergeShards(files: { name: string; text: string }[]): string {
  if (files.length === 0) throw new InputError('', 'sweep --merge needs at least one file');
  let format: SweepFormat | null = null;
  let head: string | null = null;
  let headFile = '';
  // JSON Lines: the column names of the first row seen, the header's equivalent.
  let columns: string | null = null;
  let columnsFile = '';
  const rows: ShardRow[] = [];
  for (const f of files) {
    const text = f.text.charCodeAt(0) === 0xfeff ? f.text.slice(1) : f.text;
    const fmt: SweepFormat = text.trimStart().startsWith('{') || text.trim() === '' ? 'jsonl' : 'csv';
    if (format !== null && fmt !== format && text.trim() !== '') throw new InputError(f.name, `is ${fmt === 'csv' ? 'CSV' : 'JSON Lines'}, the other files are not`);
    if (text.trim() !== '') format = format ?? fmt;
    if (fmt === 'csv') {
      let records;
      try {
        records = parseCsv(text);
      } catch (e) {
        throw new InputError(f.name, `not CSV: ${(e as Error).message}`);
      }
      if (!records.length || records[0].fields[0] !== 'index') throw new InputError(f.name, 'not a sweep CSV (the header must start with "index")');
      if (head === null) {
        head = records[0].raw;
        headFile = f.name;
      } else if (records[0].raw !== head) {
        throw new InputError(f.name, `its header differs from ${headFile}'s: not shards of one sweep`);
      }
      for (const r of records.slice(1)) rows.push({ index: indexOf(r.fields[0], `${f.name}:${r.line}`), text: r.raw, file: f.name });
    } else {
      text.split('\n').forEach((line, i) => {
        const l = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (l === '') return;
        let o: unknown;
        try {
          o = JSON.parse(l);
        } catch {
          throw new InputError(`${f.name}:${i + 1}`, 'not a JSON line');
        }
        const keys = o !== null && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o).join(',') : '';
        if (columns === null) {
          columns = keys;
          columnsFile = f.name;
        } else if (keys !== columns) {
          throw new InputError(`${f.name}:${i + 1}`, `its columns differ from ${columnsFile}'s: not shards of one sweep`);
        }
        const idx = (o as { index?: unknown })?.index;
        rows.push({ index: indexOf(typeof idx === 'number' ? String(idx) : '', `${f.name}:${i + 1}`), text: l, file: f.name });
      });
    }
  }
  rows.sort((a, b) => a.index - b.index);
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && rows[i].index === rows[i - 1].index) {
      throw new InputError(rows[i].file, `row ${rows[i].index} is also in ${rows[i - 1].file}: overlapping shards`);
    }
    if (rows[i].index !== i) throw new InputError('', `row ${i} is in none of the files: a shard is missing or was interrupted`);
  }
  const body = rows.map((r) => r.text + '\n').join('');
  return head !== null ? head + '\n' + body : body;
}

function indexOf(s: string, where: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(s)) throw new InputError(where, `not a sweep row (index "${s}")`);
  return Number(s);
}
