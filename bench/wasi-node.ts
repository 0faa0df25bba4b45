/**
 * The V8 engines of `kiln bench`: a minimal WASI command loader run as its own Node
 * process (`node [V8 flags] dist/bench/wasi-node.js program.wasm args…`), so each run pays
 * Node's start-up and V8's compilation exactly as a user running the module would.
 * Exit status is the guest's.
 */
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

/** The part of the JS WebAssembly API used here (the project's lib settings have no WebAssembly types). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

async function main(): Promise<number> {
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: wasi-node.js program.wasm [args...]\n');
    return 2;
  }
  const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
  const module = await wasm.compile(readFileSync(file));
  const instance = await wasm.instantiate(module, wasi.getImportObject());
  return wasi.start(instance);
}

process.exitCode = await main();
