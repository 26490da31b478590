// Largest and smallest of a list without spreading it into arguments: a spread of a few
// hundred thousand values overflows the stack, and inputs here can be that long.

export function maxOf(xs: readonly number[], empty = -Infinity): number {
  let m = empty;
  for (const x of xs) if (x > m) m = x;
  return m;
}

export function minOf(xs: readonly number[], empty = Infinity): number {
  let m = empty;
  for (const x of xs) if (x < m) m = x;
  return m;
}
