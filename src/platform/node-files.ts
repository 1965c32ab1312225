/** FileOps for Node, from `process.getBuiltinModule` with the slice of Node's fs API typed locally (see node.ts). */
import type { FileOps } from './file-blob-store.ts';

interface NodeFileHandle {
  write(bytes: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

interface NodeFs {
  mkdir(dir: string, options: { recursive: true }): Promise<unknown>;
  open(path: string, flags: 'wx' | 'r'): Promise<NodeFileHandle>;
  rename(from: string, to: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readdir(dir: string, options: { withFileTypes: true }): Promise<{ name: string; isDirectory(): boolean }[]>;
  rm(path: string, options: { force: true; recursive?: boolean }): Promise<void>;
  mkdtemp(prefix: string): Promise<string>;
}

declare const process: {
  getBuiltinModule(id: 'node:fs/promises'): NodeFs;
  getBuiltinModule(id: 'node:os'): { tmpdir(): string };
  platform: string;
};

const isMissing = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'ENOENT';

export function nodeFileOps(): FileOps {
  const fs = process.getBuiltinModule('node:fs/promises');
  return {
    async mkdirp(dir) {
      await fs.mkdir(dir, { recursive: true });
    },
    async writeNewFileSynced(path, bytes) {
      const handle = await fs.open(path, 'wx');
      try {
        for (let done = 0; done < bytes.length;) {
          done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    rename: (from, to) => fs.rename(from, to),
    async syncDir(dir) {
      if (process.platform === 'win32') return; // directories cannot be opened for fsync there
      const handle = await fs.open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async readFile(path) {
      try {
        return await fs.readFile(path);
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },
    async readDir(dir) {
      try {
        const entries = await fs.readdir(dir, { withFileTypes: true });
        return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
      } catch (err) {
        if (isMissing(err)) return [];
        throw err;
      }
    },
    removeFile: (path) => fs.rm(path, { force: true }),
    removeTree: (path) => fs.rm(path, { force: true, recursive: true }),
    makeTempDir: (prefix) => fs.mkdtemp(`${process.getBuiltinModule('node:os').tmpdir()}/${prefix}`),
  };
}
