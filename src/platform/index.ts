/**
 * The Platform of the runtime this code runs in, detected once and cached. Deno is tested first because it also
 * defines `process.versions.node` (Node compatibility); anything that is neither is a browser (window or worker).
 * Each host's module is loaded on demand, so a browser never loads the Node or Deno one.
 */
import type { Platform } from './platform.ts';

export type { Platform } from './platform.ts';

let detected: Promise<Platform> | undefined;

export function currentPlatform(): Promise<Platform> {
  detected ??= detect().catch((err: unknown) => {
    detected = undefined; // let a later call retry, e.g. after a failed chunk load
    throw err;
  });
  return detected;
}

async function detect(): Promise<Platform> {
  const host = globalThis as { Deno?: unknown; process?: { versions?: { node?: unknown } } };
  if (typeof host.Deno === 'object' && host.Deno !== null) return (await import('./deno.ts')).denoPlatform;
  if (typeof host.process?.versions?.node === 'string') return (await import('./node.ts')).nodePlatform;
  return (await import('./browser.ts')).browserPlatform;
}
