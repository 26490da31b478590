// tdxmodel construct INPUT | --jsonl FILE|-

import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { parseCommand, choiceFlag, type CommandSpec } from './args.js';
import { INPUT_HELP, OUT } from './options.js';
import { ENGINES, loadEngine, type ConstructEngine } from '../kernels/engine.js';
import { canonicalResult } from '../construct/canonical.js';
import { toConstructInput } from '../construct/input.js';
import { loadPlatform, maxInputBytes } from '../platform/load.js';
import { parseJsonStrict } from '../platform/json.js';
import { validatePlatform } from '../platform/validate.js';
import { InputError, usageError } from '../platform/errors.js';
import type { ConstructInput } from '../construct/types.js';
import { writeOutput, openOutput, type Out, type Sink } from './output.js';

const BATCH = 256;

export const CONSTRUCT: CommandSpec = {
  name: 'construct',
  summary: "TDMR construction only: the kernel's RESULT (TDMRs, PAMTs, reserved areas, or the error the kernel returns) as one line of canonical JSON, byte-identical to the golden vectors.",
  usage: ['construct INPUT [options]', 'construct --jsonl FILE|- [--engine NAME]'],
  positional: INPUT_HELP,
  options: [
    { name: 'engine', value: 'NAME', choices: ENGINES, default: 'wasm', help: 'the WebAssembly engine or the TypeScript oracle (the kernel\'s loops, literally); same bytes' },
    { name: 'format', value: 'FMT', choices: ['json', 'text'], default: 'json', help: 'output format (below); not with --jsonl' },
    { name: 'jsonl', value: 'FILE', help: 'many inputs: one platform document (or {"input": document}) per line, one RESULT line out per line in order; an invalid line gets {"ok":false,...} in its place. Output goes to standard output' },
    OUT,
  ],
  formats: [
    'json  the RESULT as canonical JSON (one line)',
    'text  a table of TDMRs, PAMTs and reserved areas',
  ],
  examples: [
    'tdxmodel construct preset:default',
    'tdxmodel construct --jsonl platforms.jsonl > results.jsonl',
  ],
};

export async function constructCommand(argv: string[], out: Out): Promise<number> {
  const args = parseCommand(argv, CONSTRUCT);
  const engine = await loadEngine(choiceFlag(args, 'engine'));
  const jsonl = args.flags.get('jsonl');
  if (jsonl !== undefined) {
    if (args.positional.length) throw usageError('construct --jsonl takes no other input');
    // A stream of RESULT lines has one shape; a table per line would not be JSON Lines.
    if (args.flags.has('format')) throw usageError('construct --jsonl writes JSON Lines only: drop --format (use construct INPUT --format text for one table)');
    return constructJsonl(jsonl, engine, await openOutput(args.flags.get('out'), out));
  }
  if (args.positional.length !== 1) throw usageError(`usage: tdxmodel ${CONSTRUCT.usage[0]} | ${CONSTRUCT.usage[1]}`);
  const format = choiceFlag<'json' | 'text'>(args, 'format');
  const platform = await loadPlatform(args.positional[0]);
  const result = engine.one(toConstructInput(platform));
  if (format === 'json') {
    await writeOutput(args.flags.get('out'), canonicalResult(result) + '\n', out);
  } else {
    const { constructText } = await import('../report/constructText.js');
    await writeOutput(args.flags.get('out'), constructText(platform.name, result, platform.module.maxTdmrs, platform.module.maxReservedPerTdmr) + '\n', out);
  }
  return 0;
}

function invalidLine(message: string): string {
  return JSON.stringify({ ok: false, error: 'INVALID_INPUT', message });
}

/** The --jsonl input as a stream, refused as every other reader refuses it (load.ts). */
async function openJsonl(file: string): Promise<NodeJS.ReadableStream & { destroy(): void }> {
  if (file === '-') return process.stdin;
  try {
    if (statSync(file).isDirectory()) throw new InputError(file, 'is a directory, expected a file');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const s = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    s.once('open', () => resolve());
    s.once('error', (e: NodeJS.ErrnoException) => reject(new InputError(file, `cannot read: ${e.code ?? e.message}`)));
  });
  return s;
}

/**
 * One RESULT line per input line, in order; batches of lines go to the engine in one call.
 * The lines go to `sink` (standard output or --out, written whole or not at all).
 */
async function constructJsonl(file: string, engine: ConstructEngine, sink: Sink): Promise<number> {
  try {
    await streamJsonl(file, engine, sink);
    await sink.finish();
    return 0;
  } catch (e) {
    sink.discard();
    throw e;
  }
}

async function streamJsonl(file: string, engine: ConstructEngine, sink: Sink): Promise<void> {
  const stream = await openJsonl(file);
  const source = file === '-' ? '<stdin>' : file;
  try {
    await readLines(stream, source, engine, sink);
  } finally {
    // A reader that stopped early (a closed output pipe) must not keep the process waiting.
    if (stream !== process.stdin) stream.destroy();
  }
}

async function readLines(stream: NodeJS.ReadableStream, source: string, engine: ConstructEngine, sink: Sink): Promise<void> {
  // readline buffers a line whole: bound it, or one endless line exhausts memory. A JSONL
  // stream as such may be any length; each line is one input and gets the input limit.
  const limit = maxInputBytes();
  let run = 0;
  let lines = 1;
  const bounded = new Transform({
    transform(chunk: Buffer, _enc, done) {
      // Every line is measured, the ones that end inside this chunk as well as the last.
      let from = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, nl + 1)) {
        if (run + nl - from > limit) break;
        lines++;
        run = 0;
        from = nl + 1;
      }
      const end = chunk.indexOf(10, from);
      run += (end === -1 ? chunk.length : end) - from;
      if (run > limit) done(new InputError(`${source}: line ${lines}`, `line is over the ${limit}-byte input limit (set TDXMODEL_MAX_INPUT_BYTES to raise it)`));
      else done(null, chunk);
    },
  });
  // A read that fails midway (EIO, EISDIR) is bad input like any other unreadable file.
  stream.on('error', (e: NodeJS.ErrnoException) => bounded.destroy(e instanceof InputError ? e : new InputError(source, `cannot read: ${e.code ?? e.message}`)));
  const rl = createInterface({ input: stream.pipe(bounded), crlfDelay: Infinity });
  let lineNo = 0;
  let slots: (ConstructInput | string)[] = [];
  const flush = async (): Promise<void> => {
    const inputs = slots.filter((s): s is ConstructInput => typeof s !== 'string');
    const results = inputs.length ? engine.batch(inputs) : [];
    let k = 0;
    const text = slots.map((s) => (typeof s === 'string' ? s : canonicalResult(results[k++]))).join('\n') + '\n';
    slots = [];
    await sink.write(text);
  };
  for await (const line of rl) {
    lineNo++;
    const where = `line ${lineNo}`;
    try {
      if (line.trim() === '') throw new InputError(where, 'empty line');
      const doc = parseJsonStrict(line, where);
      const platformDoc = typeof doc === 'object' && doc !== null && !Array.isArray(doc) && 'input' in doc ? (doc as { input: unknown }).input : doc;
      slots.push(toConstructInput(validatePlatform(platformDoc)));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      slots.push(invalidLine(e.message.startsWith(where) ? e.message : `${where}: ${e.message}`));
    }
    if (slots.length >= BATCH) await flush();
  }
  if (slots.length) await flush();
}
