// Imports point one way (README, Layout): the domain (construct, platform, util) ← engines
// (kernels, reference) ← model ← report, workers ← cli, and no module imports itself back
// through others. Read from the sources' import statements (static, type-only and dynamic).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Layer of each top-level folder (or entry file) of src/: a file may import its own layer or lower ones. */
const LAYER: Record<string, number> = {
  util: 0, construct: 0, platform: 0,
  kernels: 1, reference: 1,
  // The guest side is a model beside the host's (it shares costs, documents and the pool).
  model: 2, guest: 2,
  report: 3, workers: 3,
  cli: 4,
  'cli.ts': 5, 'index.ts': 5, 'api.ts': 5,
};

/** Known exceptions ("from -> to", each with its reason in a comment); none today. */
const ALLOWED = new Set<string>();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Relative imports of every source file, as paths relative to src/ (.js read as its .ts). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const targets = [...text.matchAll(IMPORT)].map((m) => relative(SRC, resolve(dirname(file), (m[1] ?? m[2])!)).replace(/\.js$/, '.ts'));
    graph.set(relative(SRC, file), [...new Set(targets)]);
  }
  return graph;
}

const layerOf = (file: string): number => {
  const top = file.split('/')[0]!;
  const layer = LAYER[top];
  if (layer === undefined) throw new Error(`src/${top} has no layer in test/layers.test.ts: add it to LAYER`);
  return layer;
};

/** Every import cycle, as the files on it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import layers', () => {
  const graph = importGraph();

  it('reads a graph of the whole source tree', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('kernels/construct.ts')).toContain('kernels/constructAbi.ts');
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('imports only from the same layer or below', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const edge = `${file} -> ${target}`;
        if (layerOf(target) > layerOf(file) && !ALLOWED.has(edge)) upward.push(edge);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps the model free of report code', () => {
    const intoReport = [...graph].flatMap(([f, ts]) => (f.startsWith('model/') ? ts.filter((t) => t.startsWith('report/')).map((t) => `${f} -> ${t}`) : []));
    expect(intoReport).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    expect(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']], ['c.ts', ['a.ts']]]))).toEqual([['a.ts', 'b.ts']]);
  });
});
