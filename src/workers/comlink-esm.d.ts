// comlink 4.4.2 ships ESM builds (dist/esm/*.mjs) whose typings are named *.d.ts, which
// NodeNext resolution does not pair with .mjs files, and its package "main" is a UMD build
// that Node's ESM loader cannot take named exports from. We import the .mjs files directly
// and declare them here in terms of the package's own types.

declare module 'comlink/dist/esm/comlink.mjs' {
  export * from 'comlink';
}

declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  export interface NodeEndpoint {
    postMessage(message: any, transfer?: any[]): void;
    on(type: string, listener: (...args: any[]) => void, options?: {}): void;
    off(type: string, listener: (...args: any[]) => void, options?: {}): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
