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
