// A document that may be JSON or YAML (platform documents, sweep specs): JSON goes through the
// strict JSON reader; anything else is YAML with duplicate keys, alias bombs, unknown tags and
// a second document refused, size and nesting bounded while parsing, and errors reported as
// FILE:LINE.

import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { InputError } from './errors.js';
import { JSON_LIMITS, parseJsonStrict } from './json.js';

/**
 * Limits for a YAML document, checked before its syntax tree grows past them. YAML costs far
 * more than JSON: the parser keeps every lexical token (about 120 bytes of heap each, measured
 * with yaml 2.9) and builds a node per value, at several µs per list entry on the development
 * VM (a 2^22-token document took 25-35 s to parse). So a pass of the lexer alone, which keeps
 * nothing, counts the tokens first (about 0.3 µs each) and refuses a document over the budget
 * before it is parsed: 2^20 tokens is about 260,000 list entries (`- 1` is four tokens); a
 * document that size parses in about 12 s and 280 MB on the (loaded) development VM, and a
 * 10 MB list of 5 million entries is refused after 1-2 s of lexing. Within it, the JSON limits (json.ts) cannot be reached
 * except nesting, which is checked while parsing. Big documents belong in JSON.
 */
export const YAML_LIMITS = {
  tokens: 1 << 20,
  depth: JSON_LIMITS.depth,
};

export function parseJsonOrYaml(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') return parseJsonStrict(body, source);
  if (body.trim() === '') throw new InputError(source, 'empty document');
  return parseYaml(body, source);
}

function parseYaml(body: string, source: string): unknown {
  const Y = yaml();
  const lines = new Y.LineCounter();
  const at = (offset: number): string => `${source}:${lines.linePos(offset).line || 1}`;
  const fail = (e: { message: string; pos?: [number, number] }): never => {
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(e.pos ? at(e.pos[0]) : source, msg);
  };
  try {
    // uniqueKeys: a repeated axis would silently drop values; maxAliasCount: alias bombs.
    // Warnings (an unknown tag such as !!js/function) are refused too: the value would
    // silently become a string, and the warning would go to standard error as a stack trace.
    const composer = new Y.Composer({ uniqueKeys: true, logLevel: 'silent' });
    let doc: Yaml.Document.Parsed | undefined;
    for (const d of composer.compose(boundedTokens(Y, body, source, lines, at), true, body.length)) {
      // parseDocument drops a second document silently when logging is off: refuse it.
      if (doc) throw new InputError(at(d.range[0]), 'a second YAML document (after "---"): a file holds one document');
      doc = d;
    }
    if (!doc) throw new InputError(source, 'empty document');
    if (doc.errors.length) return fail(doc.errors[0]);
    if (doc.warnings.length) return fail(doc.warnings[0]);
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof InputError) throw e;
    return fail(e as Error);
  }
}

/**
 * The parser's syntax tokens: the lexical tokens counted first (nothing kept), then fed to the
 * parser one at a time, checking the nesting of the collections being built
 * (the parser's stack: a flow `[[[…` or a run of `- - - …` nests without any new line).
 */
function* boundedTokens(Y: typeof Yaml, body: string, source: string, lines: Yaml.LineCounter, at: (offset: number) => string): Generator<Yaml.CST.Token> {
  let tokens = 0;
  let offset = 0;
  for (const lexeme of new Y.Lexer().lex(body)) {
    if (++tokens > YAML_LIMITS.tokens) {
      throw new InputError(`${source}:${lineAt(body, offset)}`, `more than ${YAML_LIMITS.tokens} YAML tokens (a tdxmodel input limit; write a document this big as JSON)`);
    }
    offset += lexeme.length;
  }
  const parser = new Y.Parser(lines.addNewLine);
  lines.addNewLine(0);
  for (const lexeme of new Y.Lexer().lex(body)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > YAML_LIMITS.depth) {
      const depth = parser.stack.filter((t) => t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection').length;
      if (depth > YAML_LIMITS.depth) throw new InputError(at(parser.offset), `nesting deeper than ${YAML_LIMITS.depth} levels`);
    }
  }
  yield* parser.end();
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

// The YAML parser is loaded on the first YAML document only: JSON inputs (and every sweep worker,
// which reads no document) do not pay the ~30 ms it takes to load.
let yamlModule: typeof Yaml | null = null;

function yaml(): typeof Yaml {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
