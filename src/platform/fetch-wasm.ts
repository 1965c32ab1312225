/**
 * Fetches and compiles a wasm module over HTTP(S) — the browser's way, also used by Node and Deno for non-file
 * URLs. Streaming compilation needs the server to send `Content-Type: application/wasm`; with any other type
 * (a misconfigured static server) the bytes are read whole and compiled instead.
 */
export async function fetchWasm(url: URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url.href}: HTTP ${response.status} ${response.statusText}`);
  const type = response.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.split(';')[0]?.trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** The bytes at an http(s) URL (or a URL relative to the page, in a browser). */
export async function fetchBytes(location: string | URL): Promise<Uint8Array> {
  const response = await fetch(location);
  if (!response.ok) throw new Error(`cannot read ${String(location)}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** An http(s) URL, as opposed to a path or a file: URL. */
export function isRemote(location: string | URL): boolean {
  return /^https?:/i.test(typeof location === 'string' ? location : location.protocol);
}
