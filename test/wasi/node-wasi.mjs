// Reference runner: runs a WASI command on Node's own WASI (V8), in its own process.
// usage: node node-wasi.mjs PROG.wasm '{"preopens":{...},"env":{...}}' ARGS...
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasm, json, ...args] = process.argv.slice(2);
const { preopens, env } = JSON.parse(json);
const wasi = new WASI({ version: 'preview1', args: ['prog', ...args], env, preopens, returnOnExit: true });
const mod = await WebAssembly.compile(readFileSync(wasm));
const inst = await WebAssembly.instantiate(mod, { wasi_snapshot_preview1: wasi.wasiImport });
try {
  process.exitCode = wasi.start(inst) ?? 0;
} catch (e) {
  process.stderr.write(`wasm trap: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 134;
}
