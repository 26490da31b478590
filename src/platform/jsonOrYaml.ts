// A document that may be JSON or YAML (platform documents, sweep specs): JSON goes through the
// strict JSON reader; anything else is YAML with duplicate keys, alias bombs and unknown tags
// refused, and errors reported as FILE:LINE.

import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { InputError } from './errors.js';
import { parseJsonStrict } from './json.js';

export function parseJsonOrYaml(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') return parseJsonStrict(body, source);
  if (body.trim() === '') throw new InputError(source, 'empty document');
  const fail = (e: { message: string; linePos?: { line: number }[] }): never => {
    const line = e.linePos?.[0]?.line;
    const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(line ? `${source}:${line}` : source, msg);
  };
  try {
    // uniqueKeys: a repeated axis would silently drop values; maxAliasCount: alias bombs.
    // Warnings (an unknown tag such as !!js/function) are refused too: the value would
    // silently become a string, and the warning would go to standard error as a stack trace.
    const doc = yaml().parseDocument(body, { uniqueKeys: true, logLevel: 'silent' });
    if (doc.errors.length) return fail(doc.errors[0]);
    if (doc.warnings.length) return fail(doc.warnings[0]);
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (e instanceof InputError) throw e;
    return fail(e as Error);
  }
}

// The YAML parser is loaded on the first YAML document only: JSON inputs (and every sweep worker,
// which reads no document) do not pay the ~30 ms it takes to load.
let yamlModule: typeof Yaml | null = null;

function yaml(): typeof Yaml {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
