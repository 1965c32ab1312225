/**
 * Checkpoint state backends (DESIGN.md §2): one byte-blob interface, framed and checksummed blobs, stored in
 * memory (every runtime) or in the host's durable storage (files in Node and Deno, IndexedDB in browsers).
 */
import type { Platform } from '../../platform/platform.ts';
import { framedStateBackend } from './framed-state-backend.ts';
import { memoryBlobStore } from './memory-blob-store.ts';
import type { StateBackend } from './state-backend.ts';

export { framedStateBackend } from './framed-state-backend.ts';
export { memoryBlobStore } from './memory-blob-store.ts';
export {
  CorruptBlobError,
  type BlobEntry,
  type BlobStore,
  type BlobStoreHooks,
  type DurableStateHost,
  type StateBackend,
} from './state-backend.ts';

/** A backend that keeps blobs in this process only. */
export function memoryStateBackend(): StateBackend {
  return framedStateBackend(memoryBlobStore());
}

/** The host's durable backend at `location`: a directory in Node and Deno, an IndexedDB database in browsers. */
export async function durableStateBackend(platform: Platform, location: string): Promise<StateBackend> {
  return framedStateBackend(await platform.durableState.openStore(location));
}
