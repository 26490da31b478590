// The sources never turn data into code: no eval, no Function constructor, and module loading
// only from literal specifiers (the CLI's lazy `import('./cli/x.js')` style).
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Source text with comments and string/template contents blanked, positions kept. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:\\])\/\/.*$/gm, (m, p: string) => p + ' '.repeat(m.length - p.length));
}

const files = sources(path.resolve('src'));

describe('no code from data', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('no eval( or new Function( anywhere in src/', () => {
    const hits: string[] = [];
    for (const f of files) {
      const lines = code(readFileSync(f, 'utf8')).split('\n');
      lines.forEach((l, i) => {
        if (/(^|[^\w.])eval\s*\(|new\s+Function\s*\(|(^|[^\w.])Function\s*\(\s*['"`]/.test(l)) hits.push(`${path.relative('.', f)}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('import() and require() take string literals only', () => {
    const hits: string[] = [];
    for (const f of files) {
      const lines = code(readFileSync(f, 'utf8')).split('\n');
      lines.forEach((l, i) => {
        for (const m of l.matchAll(/(?:^|[^\w.])(import|require(?:\.resolve)?)\s*\(\s*([^)]*)/g)) {
          const arg = m[2]!.trim();
          // The second form is the text of a worker bootstrap, checked by the next test.
          if (!/^(['"])[^'"`$]+\1\s*$/.test(arg) && !/^\$\{JSON\.stringify\(/.test(arg)) hits.push(`${path.relative('.', f)}:${i + 1}: ${l.trim()}`);
        }
      });
    }
    expect(hits).toEqual([]);
  });

  it('worker threads start from files, or from a fixed bootstrap whose only inputs are JSON-quoted module URLs', () => {
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (!/eval:\s*true/.test(code(text))) continue;
      // The one allowed form: pool.ts's tsx bootstrap, every interpolation JSON.stringify'd.
      const boots = [...text.matchAll(/`import\((\$\{[^`]*)`/g)].map((m) => m[0]);
      const unquoted = boots.flatMap((b) => [...b.matchAll(/\$\{([^}]*)\}/g)].map((x) => x[1]!)).filter((x) => !/^JSON\.stringify\(/.test(x));
      if (boots.length === 0 || unquoted.length) hits.push(`${path.relative('.', f)}: eval:true worker with ${boots.length ? `unquoted ${unquoted.join(', ')}` : 'an unrecognized bootstrap'}`);
    }
    expect(hits).toEqual([]);
  });
});
