// Usage mistakes: unknown commands and flags, flags missing their value, a value that is
// really the next flag, malformed numbers. Exit 2, one line, nothing on standard output.
import { describe, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { expectInputError } from './helpers/fuzz.js';

describe('command-line usage errors', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['simulate', 'preset:default', '--bogus'], /unknown option --bogus/],
    [['simulate', 'preset:default', '-x'], /unknown option -x/],
    [['simulate', 'preset:default', '--trials'], /--trials needs a value/],
    [['simulate', 'preset:default', '--out', '--format', 'json'], /--out needs a value/],
    [['simulate', 'preset:default', '--trials', '-5'], /--trials must be a whole number, got "-5"/],
    [['simulate', 'preset:default', '--trials', '1e3'], /--trials must be a whole number/],
    [['simulate', 'preset:default', '--seed', '99999999999999999999'], /--seed must be between/],
    [['simulate', 'preset:default', '--workers', '0'], /--workers must be between 1 and 256/],
    [['simulate', 'preset:default', '--format', 'xml'], /--format must be one of/],
    [['simulate', 'preset:default', '--trace=yes'], /--trace takes no value/],
    [['simulate'], /usage: tdxmodel simulate/],
    [['simulate', 'a.json', 'b.json'], /usage: tdxmodel simulate/],
    [['simulate', 'preset:nope'], /unknown preset "nope"/],
    [['simulate', '/nonexistent/platform.json'], /\/nonexistent\/platform\.json: cannot read: ENOENT/],
    [['simulate', '/tmp'], /\/tmp: is a directory/],
    [['construct', 'preset:default', '--engine', 'gpu'], /--engine must be one of wasm, ts/],
    [['gate', 'preset:default'], /usage: tdxmodel gate/],
    [['compare', 'preset:default'], /usage: tdxmodel compare/],
    [['calibrate'], /usage: tdxmodel calibrate/],
  ])('%j', (args, rule) => {
    expectInputError(runCli(args as string[]), { rule });
  });
});
