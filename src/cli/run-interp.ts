/**
 * Running a WASI command module on kiln's IR interpreter, with Node's own WASI
 * implementation as the system interface: memories are WebAssembly.Memory objects,
 * so `node:wasi` reads the interpreter's memory directly, and every
 * `wasi_snapshot_preview1` import is bound to the matching `wasi.wasiImport` function.
 *
 * Exit code: the program's `proc_exit` code (or 0 when `_start` returns); a trap prints
 * `wasm trap: <message>` on stderr and gives 134, as the native runtime does.
 */
import { WASI } from 'node:wasi';
import { loadModule } from '../frontend/validate.js';
import { translateModule } from '../frontend/translate.js';
import { Store, Trap, exportedFunc, instantiate, invoke, type ExternVal, type HostFn } from '../ir/interp.js';
import { funcTypeOf } from '../ir/module.js';
import { trapReport } from '../ir/traps.js';

const WASI_MODULES = new Set(['wasi_snapshot_preview1', 'wasi_unstable']);

export interface RunWasiOptions {
  /** File descriptors the guest's stdin/stdout/stderr map to (default 0, 1, 2). */
  stdin?: number;
  stdout?: number;
  stderr?: number;
  /** Where the trap report goes (default: process.stderr). */
  report?: { write(s: string): unknown };
}

/**
 * Runs `_start` of `wasmBytes`. `args` is argv including argv[0]; `preopens` maps guest
 * paths to host directories (as node:wasi takes them). Invalid modules and unresolved
 * imports throw an Error whose message the CLI prints.
 */
export async function runWasiInterp(
  wasmBytes: Uint8Array,
  args: string[],
  env: Record<string, string>,
  preopens: Record<string, string>,
  opts: RunWasiOptions = {},
): Promise<number> {
  const loaded = loadModule(wasmBytes);
  if (!loaded.ok) throw new Error(`${loaded.error.kind} module at 0x${loaded.error.offset.toString(16)}: ${loaded.error.message}`);
  const translated = translateModule(loaded.value);
  if (!translated.ok) throw new Error(`translation failed: ${translated.error.message}`);
  const module = translated.value;

  const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true, stdin: opts.stdin ?? 0, stdout: opts.stdout ?? 1, stderr: opts.stderr ?? 2 });
  const wasiImport = wasi.wasiImport as Record<string, HostFn>;
  const store = new Store({ wasmMemories: true });
  const hostFuncs = new Map<string, ExternVal>();
  module.funcs.forEach((f, i) => {
    if (!f.import || !WASI_MODULES.has(f.import.module)) return;
    const fn = wasiImport[f.import.name];
    if (typeof fn !== 'function') return; // left unresolved: instantiate reports it
    hostFuncs.set(`${f.import.module}\0${f.import.name}`, { kind: 'func', value: store.hostFunc(funcTypeOf(module, i)!, fn, `${f.import.module}.${f.import.name}`) });
  });
  const inst = instantiate(store, module, (m, n) => hostFuncs.get(`${m}\0${n}`));
  const mem = inst.memories[0];
  if (!mem?.wasm) throw new Error('the module has no memory for WASI to use');
  const start = exportedFunc(inst, '_start');
  try {
    const code = wasi.start({
      exports: {
        memory: mem.wasm,
        _start: () => {
          invoke(store, start, []);
        },
      },
    } as unknown as object);
    return code ?? 0;
  } catch (e) {
    if (e instanceof Trap) {
      (opts.report ?? process.stderr).write(`${trapReport(e.code)}\n`);
      return 134;
    }
    throw e;
  }
}
