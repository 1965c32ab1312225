/**
 * Durable state in IndexedDB via `idb`: one database per location with one object store `blobs`, key = blob path,
 * value = framed bytes (Uint8Array). Blobs arrive already framed (serialized), and each batch is ONE readwrite
 * transaction with no foreign await inside: awaiting anything else while it is open lets it auto-commit (DESIGN.md
 * §2). IndexedDB orders string keys by UTF-16 code units, the order StateBackend.list promises.
 */
import { deleteDB, openDB } from 'idb';
import type { BlobStore, BlobStoreHooks, DurableStateHost } from '../state/backends/state-backend.ts';

const STORE = 'blobs';

async function openIndexedDbStore(name: string, hooks: BlobStoreHooks = {}): Promise<BlobStore> {
  const db = await openDB(name, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });
  return {
    kind: 'indexeddb',
    async write(entries) {
      const tx = db.transaction(STORE, 'readwrite');
      const requests = [...entries.map(([path, bytes]) => tx.store.put(bytes, path)), tx.done];
      try {
        hooks.beforeCommit?.(entries.map(([path]) => path));
      } catch (err) {
        tx.abort(); // nothing of the batch becomes visible
        await Promise.allSettled(requests);
        throw err;
      }
      await Promise.all(requests);
    },
    async read(path) {
      const value: unknown = await db.get(STORE, path);
      if (value === undefined) return undefined;
      // Anything but bytes was not written by this store: hand back nothing that could verify.
      return value instanceof Uint8Array ? value : new Uint8Array(0);
    },
    async list(prefix) {
      const keys = await db.getAllKeys(STORE, IDBKeyRange.lowerBound(prefix));
      const paths: string[] = [];
      for (const key of keys) {
        if (typeof key !== 'string' || !key.startsWith(prefix)) break;
        paths.push(key);
      }
      return paths;
    },
    async delete(path) {
      await db.delete(STORE, path);
    },
    async close() {
      db.close();
    },
  };
}

export const indexedDbState: DurableStateHost = {
  kind: 'indexeddb',
  openStore: openIndexedDbStore,
  destroy: (name) => deleteDB(name),
  scratchLocation: async () => `rivulet-scratch-${crypto.randomUUID()}`,
};
