/**
 * Everything Rivulet needs from its host runtime, behind one interface. Only files in src/platform/ may use
 * `node:*` modules, `Deno.*` or DOM-only globals; the rest of the engine receives a Platform.
 */
export interface Platform {
  /** Which host this is; used in diagnostics and by tests to show where they ran. */
  readonly name: 'node' | 'deno' | 'browser';
  /** Compiles a WebAssembly module shipped with the package (file on disk, or fetched in a browser). */
  loadWasm(url: URL): Promise<WebAssembly.Module>;
  /** Writes one line of user-requested output (`DataStream.print()`), without a trailing newline in `line`. */
  writeLine(line: string): void;
}
