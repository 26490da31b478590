// Output goes to standard output, or to a file written atomically (a temporary file renamed
// into place), so a failed run never leaves a half-written report behind.

import { writeFileSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { usageError } from '../platform/errors.js';

export interface Out {
  write(text: string): Promise<void>;
}

export const stdoutOut: Out = {
  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
    });
  },
};

export function writeFileAtomic(file: string, text: string): void {
  // A random name opened exclusively ('wx'): a file or symlink planted at a predictable
  // temporary name is never written through.
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw usageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function writeOutput(file: string | undefined, text: string, out: Out): Promise<void> {
  if (file === undefined || file === '-') await out.write(text);
  else writeFileAtomic(file, text);
}
