// Human units for text output: binary sizes (KiB…TiB) and times (µs/ms/s).

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${bytes} B`;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return String(us);
  const a = Math.abs(us);
  if (a < 1000) return `${a < 10 ? us.toFixed(2) : us.toFixed(1)} µs`;
  if (a < 1e6) return `${(us / 1000).toFixed(a < 1e4 ? 2 : 1)} ms`;
  return `${(us / 1e6).toFixed(a < 1e7 ? 3 : 2)} s`;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (s: string): number => s.replace(ANSI, '').length;
const pad = (s: string, w: number, left: boolean): string => {
  const fill = ' '.repeat(Math.max(0, w - visible(s)));
  return left ? fill + s : s + fill;
};

/** Right-align numeric-looking cells, left-align the rest; colour codes take no width. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ''))));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+0-9.,x]+( [a-zA-Zµ]+)?%?$/.test(r[i] ?? '')));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => pad(c, widths[i], numeric[i])).join('  ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}
