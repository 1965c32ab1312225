/** The browser host (window or Web Worker): wasm comes over fetch, printed lines go to the console. */
import { indexedDbState } from './browser-indexeddb.ts';
import { fetchBytes, fetchWasm } from './fetch-wasm.ts';
import type { Platform } from './platform.ts';
import { spawnWebWorker } from './web-worker.ts';

export const browserPlatform: Platform = {
  name: 'browser',
  loadWasm: fetchWasm,
  writeLine(line) {
    console.log(line);
  },
  spawnWorker: spawnWebWorker,
  readBytes: fetchBytes,
  durableState: indexedDbState,
};
