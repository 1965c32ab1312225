/** Blobs in a Map, available in every runtime. Copies on write and on read, so callers never share its buffers. */
import type { BlobStore, BlobStoreHooks } from './state-backend.ts';

export function memoryBlobStore(hooks: BlobStoreHooks = {}): BlobStore {
  const blobs = new Map<string, Uint8Array>();
  return {
    kind: 'memory',
    async write(entries) {
      const staged = entries.map(([path, bytes]) => [path, bytes.slice()] as const);
      hooks.beforeCommit?.(entries.map(([path]) => path)); // a throw here leaves the map untouched
      for (const [path, bytes] of staged) blobs.set(path, bytes);
    },
    async read(path) {
      return blobs.get(path)?.slice();
    },
    async list(prefix) {
      return [...blobs.keys()].filter((p) => p.startsWith(prefix)).sort();
    },
    async delete(path) {
      blobs.delete(path);
    },
    async close() {},
  };
}
