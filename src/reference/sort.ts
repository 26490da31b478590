// lib/sort.c: the kernel's bottom-up heapsort. The kernel sorts reserved areas with a
// comparator that is only consistent for non-overlapping areas; when areas do overlap (a PAMT
// placed in a hole), the result depends on this exact algorithm, so it is reproduced step for
// step rather than replaced by Array.prototype.sort.

export function kernelSort<T>(a: T[], cmp: (x: T, y: T) => number): void {
  const num = a.length;
  let n = num;
  let i = num >> 1;
  if (i === 0) return;
  const swap = (x: number, y: number): void => {
    const t = a[x];
    a[x] = a[y];
    a[y] = t;
  };
  const parent = (k: number): number => (k - 1) >> 1;
  for (;;) {
    if (i) i--;
    else if (--n) swap(0, n);
    else break;
    // Find the sift-down path to a leaf, one compare per level.
    let b = i;
    let c: number;
    let d: number;
    for (;;) {
      c = 2 * b + 1;
      d = c + 1;
      if (!(d < n)) break;
      b = cmp(a[c], a[d]) >= 0 ? c : d;
    }
    if (d === n) b = c;
    // Backtrack to where element i belongs, then rotate it into place.
    while (b !== i && cmp(a[i], a[b]) >= 0) b = parent(b);
    c = b;
    while (b !== i) {
      b = parent(b);
      swap(b, c);
    }
  }
}
