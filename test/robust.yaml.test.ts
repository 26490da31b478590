// YAML documents get limits counted before the parser builds them, and hold one document.
import { describe, it, expect } from 'vitest';
import { parseJsonOrYaml, YAML_LIMITS } from '../src/platform/jsonOrYaml.js';
import { JSON_LIMITS } from '../src/platform/json.js';

describe('YAML documents', () => {
  it('one document, with or without markers, parses', () => {
    expect(parseJsonOrYaml('a: 1\n', 'f')).toEqual({ a: 1 });
    expect(parseJsonOrYaml('---\na: 1\n...\n', 'f')).toEqual({ a: 1 });
  });

  it('a second document is refused with its line', () => {
    expect(() => parseJsonOrYaml('a: 1\n---\nb: 2\n', 'f.yaml')).toThrow('f.yaml:2: a second YAML document');
  });

  it('over the token budget is refused before parsing, with the line where it ran out', () => {
    // `- 1\n` is four tokens: the budget runs out near line 1 + tokens / 4.
    expect(() => parseJsonOrYaml(`a:\n${'- 1\n'.repeat(YAML_LIMITS.tokens / 4 + 10)}`, 'big.yaml')).toThrow(/^big\.yaml:\d+: more than 1048576 YAML tokens/);
  });

  it('nesting is bounded as JSON bounds it', () => {
    expect(YAML_LIMITS.depth).toBe(JSON_LIMITS.depth);
    const ok = `a: ${'['.repeat(JSON_LIMITS.depth - 1)}${']'.repeat(JSON_LIMITS.depth - 1)}\n`;
    expect(() => parseJsonOrYaml(ok, 'f')).not.toThrow();
    const deep = `a: ${'['.repeat(JSON_LIMITS.depth + 1)}${']'.repeat(JSON_LIMITS.depth + 1)}\n`;
    expect(() => parseJsonOrYaml(deep, 'f')).toThrow(`f:1: nesting deeper than ${JSON_LIMITS.depth} levels`);
  });

  it('the token budget keeps every JSON limit out of reach but nesting', () => {
    // Each entry of a list is at least two tokens, each value at least one.
    expect(YAML_LIMITS.tokens / 2).toBeLessThan(JSON_LIMITS.arrayItems);
    expect(YAML_LIMITS.tokens).toBeLessThan(JSON_LIMITS.containers);
    expect(YAML_LIMITS.tokens).toBeLessThan(JSON_LIMITS.values);
  });

  it('duplicate keys and unknown tags are still refused', () => {
    expect(() => parseJsonOrYaml('a: 1\na: 2\n', 'f')).toThrow(/^f:2: /);
    expect(() => parseJsonOrYaml('a: !!js/function "x"\n', 'f')).toThrow(/^f:1: /);
  });
});
