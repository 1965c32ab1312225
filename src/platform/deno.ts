/** The Deno host. `Deno` is typed locally with the slice used here rather than pulling in Deno's type library. */
import { denoFileOps } from './deno-files.ts';
import { filesState } from './files-state.ts';
import { fetchBytes, fetchWasm, isRemote } from './fetch-wasm.ts';
import type { Platform } from './platform.ts';
import { spawnWebWorker } from './web-worker.ts';

declare const Deno: {
  readFile(path: URL | string): Promise<Uint8Array<ArrayBuffer>>;
  stdout: { writeSync(bytes: Uint8Array): number };
};

const utf8 = new TextEncoder();

export const denoPlatform: Platform = {
  name: 'deno',
  async loadWasm(url) {
    if (url.protocol !== 'file:') return fetchWasm(url);
    return WebAssembly.compile(await Deno.readFile(url));
  },
  writeLine(line) {
    const bytes = utf8.encode(line + '\n');
    // writeSync may write fewer bytes than asked (a pipe that is full); loop until all are out.
    for (let done = 0; done < bytes.length;) done += Deno.stdout.writeSync(bytes.subarray(done));
  },
  spawnWorker: spawnWebWorker,
  async readBytes(location) {
    if (isRemote(location)) return fetchBytes(location);
    // A file: URL given as a string is a URL, not a path named 'file:…'.
    if (typeof location === 'string' && location.startsWith('file:')) location = new URL(location);
    return Deno.readFile(location);
  },
  durableState: filesState(denoFileOps()),
};
