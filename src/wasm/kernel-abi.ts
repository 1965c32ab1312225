/**
 * The exports of build/rivulet.wasm (assembly/index.ts) as JS sees them. Addresses and lengths are byte offsets
 * into `memory`; i32 results arrive as signed JS numbers. Views of `memory.buffer` must be re-derived after every
 * call that can grow memory (`reserve`) — growth detaches the old ArrayBuffer.
 */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  /** Makes the scratch region `bytes` long and returns its stable base address; 0 if memory cannot grow. */
  reserve(bytes: number): number;
  /** MurmurHash3_x86_32 of raw bytes. */
  murmur3(ptr: number, len: number, seed: number): number;
  /** Flink `MathUtils.murmurHash` of a 32-bit hash. */
  flinkMurmur(code: number): number;
  /** out[i] = murmur3 (seed 0) of encoded key i; key i is data[offsets[i] .. offsets[i+1]). */
  keyHashes(data: number, offsets: number, count: number, out: number): void;
  /** out[i] = key group of encoded key i under maxParallelism. */
  keyGroups(data: number, offsets: number, count: number, maxParallelism: number, out: number): void;
}

const FUNCTIONS = ['reserve', 'murmur3', 'flinkMurmur', 'keyHashes', 'keyGroups'] as const;

/** Checks that `exports` is this ABI (a stale build/rivulet.wasm fails here, not mid-job). */
export function asKernelExports(exports: WebAssembly.Exports): KernelExports {
  const missing: string[] = FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (!(exports['memory'] instanceof WebAssembly.Memory)) missing.push('memory');
  if (missing.length > 0) {
    throw new Error(`build/rivulet.wasm lacks exports ${missing.join(', ')}; rebuild it with \`npm run build:wasm\``);
  }
  return exports as unknown as KernelExports;
}
