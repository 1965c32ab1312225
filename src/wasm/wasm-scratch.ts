/**
 * Writing a batch into the kernel's scratch region (assembly/scratch.ts). The region starts at a fixed base and
 * may grow while a batch is encoded; every growth detaches the views of `memory.buffer`, so a view is derived at
 * the start of each batch and again after each growth — never kept from one batch to the next.
 */
import type { KernelExports } from './kernel-abi.ts';
import type { KeySink } from './key-encoding.ts';

/**
 * Which use of the scratch region is current: every call that writes it bumps `current`, so that something left
 * there for later calls (a channel split's rows) can tell it has been overwritten.
 */
export class ScratchEpoch {
  current = 0;
}

/** Makes the scratch region at least `bytes` long and returns its base address. */
export function reserveScratch(wasm: KernelExports, bytes: number): number {
  const base = bytes <= 0xffffffff ? wasm.reserve(bytes) : 0;
  if (base === 0) {
    throw new RangeError(`the wasm kernel cannot grow its memory to ${bytes} bytes of scratch (batch too large)`);
  }
  return base;
}

/** A KeySink whose bytes are the scratch region: `pos` is an offset from `base`, where a batch's data starts. */
export class ScratchSink implements KeySink {
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  base = 0;

  constructor(private readonly wasm: KernelExports) {}

  /** Starts a batch that will need about `expectedBytes` of scratch (a hint; reserve grows it as needed). */
  begin(expectedBytes: number): void {
    this.pos = 0;
    this.remap(expectedBytes);
  }

  reserve(n: number): void {
    // A view detached by growth elsewhere has length 0, so it is re-derived here too.
    if (this.bytes.length - this.pos < n) this.remap(this.pos + n);
  }

  /** Ensures `bytes` of scratch and re-derives `bytes` over [base, end of memory). */
  private remap(bytes: number): void {
    this.base = reserveScratch(this.wasm, bytes);
    this.bytes = new Uint8Array(this.wasm.memory.buffer, this.base);
  }
}
