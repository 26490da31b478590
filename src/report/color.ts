// Colour only for a person at a terminal: never in files, pipes or CI logs, never with NO_COLOR
// (https://no-color.org: any non-empty value).

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  const nc = process.env.NO_COLOR;
  if (nc !== undefined && nc !== '') return false;
  return !!stream.isTTY;
}

const wrap = (code: string) => (s: string, on = colorEnabled()): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export const green = wrap('32');
export const red = wrap('31');
export const bold = wrap('1');
export const dim = wrap('2');
