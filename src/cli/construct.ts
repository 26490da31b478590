// tdxmodel construct INPUT | --jsonl FILE|-

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { parseArgs, choiceFlag } from './args.js';
import { ENGINES, loadEngine, type ConstructEngine } from '../kernels/engine.js';
import { canonicalResult } from '../construct/canonical.js';
import { toConstructInput } from '../construct/input.js';
import { loadPlatform, maxInputBytes } from '../platform/load.js';
import { parseJsonStrict } from '../platform/json.js';
import { validatePlatform } from '../platform/validate.js';
import { InputError, usageError } from '../platform/errors.js';
import type { ConstructInput } from '../construct/types.js';
import { writeOutput, type Out } from './output.js';

const BATCH = 256;

export async function constructCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { values: ['engine', 'jsonl', 'format', 'out'], bools: [] });
  const engine = await loadEngine(choiceFlag(args, 'engine', ENGINES, 'wasm'));
  const jsonl = args.flags.get('jsonl');
  if (jsonl !== undefined) {
    if (args.positional.length) throw usageError('construct --jsonl takes no other input');
    return constructJsonl(jsonl, engine, out);
  }
  if (args.positional.length !== 1) throw usageError('usage: tdxmodel construct INPUT|- [--engine wasm|ts] [--format json|text] | --jsonl FILE|-');
  const format = choiceFlag(args, 'format', ['json', 'text'] as const, 'json');
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

/** One RESULT line per input line, in order; batches of lines go to the engine in one call. */
async function constructJsonl(file: string, engine: ConstructEngine, out: Out): Promise<number> {
  let stream: NodeJS.ReadableStream;
  if (file === '-') stream = process.stdin;
  else {
    const s = createReadStream(file);
    await new Promise<void>((resolve, reject) => {
      s.once('open', () => resolve());
      s.once('error', (e: NodeJS.ErrnoException) => reject(new InputError(file, `cannot read: ${e.code ?? e.message}`)));
    });
    stream = s;
  }
  // readline buffers a line whole: bound it, or one endless line exhausts memory. A JSONL
  // stream as such may be any length; each line is one input and gets the input limit.
  const limit = maxInputBytes();
  const source = file === '-' ? '<stdin>' : file;
  let run = 0;
  let lines = 1;
  const bounded = new Transform({
    transform(chunk: Buffer, _enc, done) {
      let from = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, nl + 1)) {
        lines++;
        run = 0;
        from = nl + 1;
      }
      run += chunk.length - from;
      if (run > limit) done(new InputError(`${source}: line ${lines}`, `line is over the ${limit}-byte input limit (set TDXMODEL_MAX_INPUT_BYTES to raise it)`));
      else done(null, chunk);
    },
  });
  stream.on('error', (e: Error) => bounded.destroy(e));
  const rl = createInterface({ input: stream.pipe(bounded), crlfDelay: Infinity });
  let lineNo = 0;
  let slots: (ConstructInput | string)[] = [];
  const flush = async (): Promise<void> => {
    const inputs = slots.filter((s): s is ConstructInput => typeof s !== 'string');
    const results = inputs.length ? engine.batch(inputs) : [];
    let k = 0;
    const text = slots.map((s) => (typeof s === 'string' ? s : canonicalResult(results[k++]))).join('\n') + '\n';
    slots = [];
    await out.write(text);
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
  return 0;
}
