/// <reference types="node" />
/**
 * Key groups of a batch of string keys: the wasm kernel's `keyGroups` (one call per batch: encode into wasm
 * memory, hash, copy the Int32 results out) against the plain-TS reference called once per key (baseline).
 * Keys look like user ids (`user-<n>`, 10,000 distinct), maxParallelism 128 (the default).
 */
import { currentPlatform } from '../src/platform/index.ts';
import { loadKernel } from '../src/wasm/kernel.ts';
import { referenceKeyGroup } from '../src/wasm/key-hash-reference.ts';
import { DEFAULT_OPTIONS, formatRate, measureInterleaved, perSecond, QUICK, report } from './harness.ts';

const BATCH = QUICK ? 16_384 : 65_536;
const MAX_PARALLELISM = 128;

const kernel = await loadKernel(await currentPlatform());
const keys = Array.from({ length: BATCH }, (_, i) => `user-${(i * 7919) % 10_000}`);
const wasmOut = new Int32Array(BATCH);
const referenceOut = new Int32Array(BATCH);

const timings = measureInterleaved({
  wasm: () => kernel.keyGroups(keys, MAX_PARALLELISM, wasmOut),
  reference: () => {
    for (let i = 0; i < BATCH; i++) referenceOut[i] = referenceKeyGroup(keys[i], MAX_PARALLELISM);
  },
});
const mismatch = wasmOut.findIndex((group, i) => group !== referenceOut[i]);
if (mismatch >= 0) throw new Error(`wasm and reference disagree on key ${JSON.stringify(keys[mismatch])}`);

const wasm = perSecond(BATCH, timings.wasm.medianMs);
const reference = perSecond(BATCH, timings.reference.medianMs);
const { warmup, reps } = DEFAULT_OPTIONS;
console.log(
  `batches of ${BATCH} string keys (keys/s), maxParallelism ${MAX_PARALLELISM}, median of ${reps} (after ${warmup} warm-up)`,
);
console.log(`  wasm kernel.keyGroups        ${formatRate(wasm)}  (${timings.wasm.medianMs.toFixed(2)} ms/batch)`);
console.log(
  `  TS referenceKeyGroup per key ${formatRate(reference)}  (${timings.reference.medianMs.toFixed(2)} ms/batch)`,
);
console.log(`  wasm memory after the run: ${(kernel.memoryBytes / 2 ** 20).toFixed(1)} MiB`);
report({ bench: 'key-hashing', eventsPerSec: wasm, baselineEventsPerSec: reference });
