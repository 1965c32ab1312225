/** The file-system DurableStateHost of Node and Deno, given the host's FileOps. */
import type { DurableStateHost } from '../state/backends/state-backend.ts';
import { fileBlobStore, type FileOps } from './file-blob-store.ts';

export function filesState(fs: FileOps): DurableStateHost {
  return {
    kind: 'files',
    openStore: (dir, hooks) => fileBlobStore(fs, dir, hooks),
    destroy: (dir) => fs.removeTree(dir),
    scratchLocation: () => fs.makeTempDir('rivulet-state-'),
  };
}
