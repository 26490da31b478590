// Large, regular importer inputs of a chosen size: the robustness tests check how each
// importer's time grows with them, and bench/importers.bench.ts times them at full size.

const GIB = 2 ** 30;
const hex16 = (n: number): string => '0x' + n.toString(16).padStart(16, '0');

/** A kernel log with n usable e820 ranges and n SRAT ranges over 8 nodes (node assignment's worst case before). */
export function e820SratLog(n: number): string {
  const lines: string[] = [];
  const perNode = Math.ceil(n / 8);
  for (let i = 0; i < n; i++) {
    const start = (4 + i) * GIB;
    lines.push(`[    0.000000] BIOS-e820: [mem ${hex16(start)}-${hex16(start + GIB - 4096 - 1)}] usable`);
  }
  for (let i = 0; i < n; i++) {
    const start = (4 + i) * GIB;
    lines.push(`[    0.010000] ACPI: SRAT: Node ${Math.floor(i / perNode)} PXM ${Math.floor(i / perNode)} [mem ${hex16(start)}-${hex16(start + GIB - 1)}]`);
  }
  return lines.join('\n') + '\n';
}

/** `lscpu -p` with n threads on one core of one socket (per-CPU lookups were quadratic before). */
export function lscpuOneCore(n: number): string {
  const rows = ['# The following is the parsable format, which can be fed to other', '# CPU,Core,Socket,Node'];
  for (let i = 0; i < n; i++) rows.push(`${i},0,0,0`);
  return rows.join('\n') + '\n';
}

/** `lscpu -p` with n CPUs, one per core, spread over 8 sockets. */
export function lscpuManyCores(n: number): string {
  const rows = ['# CPU,Core,Socket,Node'];
  const perSocket = Math.ceil(n / 8);
  for (let i = 0; i < n; i++) rows.push(`${i},${i},${Math.floor(i / perSocket)},0`);
  return rows.join('\n') + '\n';
}

/** /proc/iomem with n System RAM ranges and a reserved gap after each. */
export function iomemText(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const start = (4 + i) * GIB;
    lines.push(`${start.toString(16)}-${(start + GIB - 4096 - 1).toString(16)} : System RAM`);
    lines.push(`${(start + GIB - 4096).toString(16)}-${(start + GIB - 1).toString(16)} : Reserved`);
  }
  return lines.join('\n') + '\n';
}

/** A sysfs node listing of n 128 MiB memory blocks over 8 nodes, every other block present. */
export function sysNodeText(n: number): string {
  const lines = ['/sys/devices/system/memory/block_size_bytes:8000000'];
  const perNode = Math.ceil(n / 8);
  for (let i = 0; i < n; i++) lines.push(`/sys/devices/system/node/node${Math.floor(i / perNode)}/memory${2 * i}`);
  return lines.join('\n') + '\n';
}

/** A journal of `boots` boots, each a short successful TDX initialization with CMRs. */
export function manyBootsJournal(boots: number): string {
  const lines: string[] = [];
  for (let b = 0; b < boots; b++) {
    lines.push(`-- Boot ${b.toString(16).padStart(32, '0')} --`);
    lines.push('Nov 21 10:00:00.000001 host kernel: Linux version 6.8.0-1007-intel (buildd@lcy02)');
    lines.push('Nov 21 10:00:02.605559 host kernel: virt/tdx: BIOS enabled: private KeyID range [32, 64)');
    lines.push('Nov 21 10:00:10.456524 host kernel: virt/tdx: CMR: [0x100000, 0x77800000)');
    lines.push('Nov 21 10:00:10.456528 host kernel: virt/tdx: CMR: [0x100000000, 0x1080000000)');
    lines.push('Nov 21 10:00:10.900000 host kernel: virt/tdx: 530452 KB allocated for PAMT');
    lines.push('Nov 21 10:00:10.900004 host kernel: virt/tdx: module initialized');
  }
  return lines.join('\n') + '\n';
}
