// Named error factories for bad input. An InputError is a usage problem (exit code 2, one line
// on standard error); a modeled kernel or module failure is never an InputError.

export class InputError extends Error {
  readonly where: string;
  readonly rule: string;
  constructor(where: string, rule: string) {
    super(where ? `${where}: ${rule}` : rule);
    this.name = 'InputError';
    this.where = where;
    this.rule = rule;
  }
}

export function invalidField(path: string, rule: string): InputError {
  return new InputError(path, rule);
}

export function invalidLine(source: string, line: number, rule: string): InputError {
  return new InputError(`${source}:${line}`, rule);
}

export function usageError(rule: string): InputError {
  return new InputError('', rule);
}

/** Prefix an InputError with the file it came from, keeping its field path. */
export function inFile(file: string, err: unknown): unknown {
  if (err instanceof InputError) return new InputError(err.where ? `${file}: ${err.where}` : file, err.rule);
  return err;
}
