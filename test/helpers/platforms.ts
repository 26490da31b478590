// Small platform documents for behaviour tests: each test states the one thing it changes.

export function twoSocket(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'test-2s',
    memory: [
      { start: '0x0', end: '0x9f000', node: 0 },
      { start: '0x100000', end: '0x7ff00000', node: 0 },
      { start: '0x100000000', end: '0x480000000', node: 0 },
      { start: '0x480000000', end: '0x880000000', node: 1 },
    ],
    reserved: [{ start: '0x0', end: '0x100000', label: 'low 1 MiB' }, { start: '0x1000000', end: '0x3000000', label: 'kernel' }],
    cpus: { packages: 2, coresPerPackage: 4, threadsPerCore: 2, model: 'sapphirerapids' },
    keyids: { mktme: 31, tdx: 32 },
    ...over,
  };
}
