/** FileOps for Deno. `Deno` is typed locally with the slice used here (see deno.ts). */
import type { FileOps } from './file-blob-store.ts';

interface DenoFile {
  write(bytes: Uint8Array): Promise<number>;
  sync(): Promise<void>;
  close(): void;
}

declare const Deno: {
  mkdir(dir: string, options: { recursive: true }): Promise<void>;
  open(path: string, options: { write?: true; createNew?: true; read?: true }): Promise<DenoFile>;
  rename(from: string, to: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  readDir(dir: string): AsyncIterable<{ name: string; isDirectory: boolean }>;
  remove(path: string, options?: { recursive: true }): Promise<void>;
  makeTempDir(options: { prefix: string }): Promise<string>;
  build: { os: string };
  errors: { NotFound: new () => Error };
};

const isMissing = (err: unknown): boolean => err instanceof Deno.errors.NotFound;

async function unlessMissing<T>(run: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isMissing(err)) return fallback;
    throw err;
  }
}

async function syncFile(path: string, options: { write?: true; createNew?: true; read?: true }, bytes?: Uint8Array) {
  const file = await Deno.open(path, options);
  try {
    // write may write fewer bytes than asked; loop until all are out.
    for (let done = 0; bytes !== undefined && done < bytes.length;) done += await file.write(bytes.subarray(done));
    await file.sync();
  } finally {
    file.close();
  }
}

export function denoFileOps(): FileOps {
  return {
    mkdirp: (dir) => Deno.mkdir(dir, { recursive: true }),
    writeNewFileSynced: (path, bytes) => syncFile(path, { write: true, createNew: true }, bytes),
    rename: (from, to) => Deno.rename(from, to),
    async syncDir(dir) {
      if (Deno.build.os !== 'windows') await syncFile(dir, { read: true });
    },
    readFile: (path) => unlessMissing<Uint8Array | undefined>(() => Deno.readFile(path), undefined),
    readDir: (dir) =>
      unlessMissing(async () => {
        const entries: { name: string; isDirectory: boolean }[] = [];
        for await (const e of Deno.readDir(dir)) entries.push({ name: e.name, isDirectory: e.isDirectory });
        return entries;
      }, []),
    removeFile: (path) => unlessMissing(() => Deno.remove(path), undefined),
    removeTree: (path) => unlessMissing(() => Deno.remove(path, { recursive: true }), undefined),
    makeTempDir: (prefix) => Deno.makeTempDir({ prefix }),
  };
}
