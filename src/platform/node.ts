/**
 * The Node.js host. Built-ins come from `process.getBuiltinModule` (Node ≥ 20.16) instead of `node:*` imports,
 * so this file needs no @types/node and no bundler ever sees a `node:` specifier; the typing below is the slice of
 * Node's API used here.
 */
import { nodeFileOps } from './node-files.ts';
import { filesState } from './files-state.ts';
import { fetchBytes, fetchWasm, isRemote } from './fetch-wasm.ts';
import { spawnNodeWorker } from './node-worker.ts';
import type { Platform } from './platform.ts';

interface NodeFsPromises {
  readFile(path: URL | string): Promise<Uint8Array<ArrayBuffer>>;
}

declare const process: {
  getBuiltinModule(id: 'node:fs/promises'): NodeFsPromises;
  stdout: { write(chunk: string): boolean };
};

export const nodePlatform: Platform = {
  name: 'node',
  async loadWasm(url) {
    if (url.protocol !== 'file:') return fetchWasm(url);
    const bytes = await process.getBuiltinModule('node:fs/promises').readFile(url);
    return WebAssembly.compile(bytes);
  },
  writeLine(line) {
    process.stdout.write(line + '\n');
  },
  spawnWorker: spawnNodeWorker,
  async readBytes(location) {
    if (isRemote(location)) return fetchBytes(location);
    // A file: URL given as a string is a URL, not a path named 'file:…'.
    if (typeof location === 'string' && location.startsWith('file:')) location = new URL(location);
    return process.getBuiltinModule('node:fs/promises').readFile(location);
  },
  durableState: filesState(nodeFileOps()),
};
