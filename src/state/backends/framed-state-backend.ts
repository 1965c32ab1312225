/** The StateBackend every store shares: validates paths, frames before writing, verifies on read. */
import { frameBlob, unframeBlob } from './blob-framing.ts';
import { validateBlobPath, type BlobEntry, type BlobStore, type StateBackend } from './state-backend.ts';

export function framedStateBackend(store: BlobStore): StateBackend {
  const putAll = async (entries: readonly BlobEntry[]): Promise<void> => {
    const seen = new Set<string>();
    for (const [path] of entries) {
      validateBlobPath(path);
      if (seen.has(path)) throw new TypeError(`state blob path '${path}' appears twice in one batch`);
      seen.add(path);
    }
    // Serialize everything first: the IndexedDB store must not await anything once its transaction is open.
    const framed = entries.map(([path, bytes]): BlobEntry => [path, frameBlob(bytes)]);
    await store.write(framed);
  };
  return {
    kind: store.kind,
    put: (path, bytes) => putAll([[path, bytes]]),
    putAll,
    async get(path) {
      validateBlobPath(path);
      const framed = await store.read(path);
      return framed === undefined ? undefined : unframeBlob(path, framed);
    },
    list: (prefix) => store.list(prefix),
    async delete(path) {
      validateBlobPath(path);
      await store.delete(path);
    },
    close: () => store.close(),
  };
}
