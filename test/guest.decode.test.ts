// tdxmodel guest decode VALUE: explains a status, leaf, sub-function or mask; unknown → says so,
// exit 0; malformed → one line, exit 2.
import { describe, it, expect } from 'vitest';
import { guestDecodeCommand } from '../src/cli/guestDecode.js';
import { InputError } from '../src/platform/errors.js';

async function decode(...argv: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await guestDecodeCommand(argv, { write: async (s: string) => { text += s; } });
  return { code, text };
}

describe('guest decode', () => {
  it('a TDVMCALL sub-function in hex', async () => {
    const r = await decode('0x10002');
    expect(r.code).toBe(0);
    expect(r.text).toContain('TDVMCALL_GET_QUOTE');
  });

  it('decimal 1 is both TDG.VP.INFO and TDVMCALL_STATUS_RETRY', async () => {
    const r = await decode('1');
    expect(r.text).toContain('TDG.VP.INFO');
    expect(r.text).toContain('TDVMCALL_STATUS_RETRY');
  });

  it('a name resolves to its value', async () => {
    const r = await decode('TDG.MR.REPORT', '--format', 'json');
    const j = JSON.parse(r.text);
    expect(j.value).toBe('0x4');
    expect(j.known).toBe(true);
  });

  it('a GHCI-style name (GetQuote, MapGPA) finds the sub-function', async () => {
    expect(JSON.parse((await decode('GetQuote', '--format', 'json')).text).matches[0].name).toBe('TDVMCALL_GET_QUOTE');
    expect(JSON.parse((await decode('MapGPA', '--format', 'json')).text).value).toBe('0x10001');
  });

  it('a module status with an operand id, with its failure class and kernel reaction, as JSON', async () => {
    const j = JSON.parse((await decode('0x8000020000000001', '--format', 'json')).text);
    expect(j.matches[0]).toMatchObject({ name: 'TDX_OPERAND_BUSY', detail: '0x1', failureClass: 'guest-misuse' });
    expect(j.matches[0].kernelReaction).toContain('-EBUSY');
  });

  it('the register mask lists its registers', async () => {
    expect((await decode('0xFC00')).text).toContain('registers: R10 R11 R12 R13 R14 R15');
  });

  it('an unknown value says so and exits 0', async () => {
    const r = await decode('0x7777');
    expect(r.code).toBe(0);
    expect(r.text).toContain('unknown');
    const n = await decode('NO_SUCH_THING', '--format', 'json');
    expect(JSON.parse(n.text)).toMatchObject({ known: false, value: null });
  });

  it('an unknown error-class value is read as a module status class', async () => {
    expect((await decode('0xC0FFEE0000000000')).text).toContain('class 0xC0FFEE00, error, non-recoverable');
  });

  it('malformed input is one InputError (exit 2)', async () => {
    await expect(decode('12abc')).rejects.toThrow(InputError);
    await expect(decode('0x1ffffffffffffffff')).rejects.toThrow(/64 bits/);
    await expect(decode('18446744073709551616')).rejects.toThrow(/64 bits/);
    await expect(decode()).rejects.toThrow(/usage/);
  });
});
