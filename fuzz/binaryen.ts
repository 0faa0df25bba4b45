/**
 * binaryen as the fuzzer's module source: `wasm-opt -ttf` (translate-to-fuzz: any bytes →
 * a valid module) run in-process, and the JS API to add the state probe.
 *
 * The npm package ships wasm-opt as an Emscripten program whose start-up (compiling ~10 MB
 * of wasm) costs seconds; one `wasm-opt` per module would cap the fuzzer at a few modules a
 * second on a loaded machine. So the program is evaluated once with `noInitialRun` and its
 * `callMain` is called per module (~15 ms), with NODERAWFS reading and writing real files.
 */
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import binaryen from 'binaryen';
import { timed } from './engines.js';
import { STATE_MUL, STATE_SEED } from './outcome.js';

const require = createRequire(import.meta.url);

/** Features the native backends support (no SIMD, no reference types from the fuzzer, no threads/EH/GC). */
export const TTF_FEATURES = ['-mvp', '--enable-sign-ext', '--enable-nontrapping-float-to-int', '--enable-bulk-memory', '--enable-multivalue', '--enable-mutable-globals'];

interface WasmOptProgram {
  callMain(args: string[]): number;
}

let program: Promise<WasmOptProgram> | undefined;

function wasmOptPath(): string {
  return join(dirname(require.resolve('binaryen')), 'bin', 'wasm-opt');
}

function loadWasmOpt(): Promise<WasmOptProgram> {
  program ??= new Promise((resolve, reject) => {
    const file = wasmOptPath();
    let src = readFileSync(file, 'utf8');
    if (src.startsWith('#!')) src = '//' + src.slice(2);
    const errors: string[] = [];
    const Module: Record<string, unknown> = {
      noInitialRun: true,
      noExitRuntime: true,
      print: () => {},
      printErr: (s: string) => errors.push(s),
      onAbort: (what: unknown) => reject(new Error(`wasm-opt aborted: ${String(what)}`)),
    };
    Module.onRuntimeInitialized = () => {
      const callMain = Module.__callMain as (args: string[]) => number;
      resolve({ callMain: (args) => callMain(args) });
    };
    const wrapped = vm.runInThisContext(
      `(function (Module, require, module, __filename, __dirname, process) {${src}\n;Module.__callMain = callMain;})`,
      { filename: file },
    ) as (...a: unknown[]) => void;
    wrapped(Module, require, { exports: {} }, file, dirname(file), process);
  });
  return program;
}

let work: string | undefined;

/**
 * Random bytes → a valid module (binaryen's translate-to-fuzz), NaN-free (`--denan`) so that
 * memory and logs are comparable bit for bit across engines (wasm leaves NaN bits
 * nondeterministic; the shapes generator covers the bit-exact NaN cases instead).
 */
export async function translateToFuzz(bytes: Uint8Array, extra: string[] = []): Promise<Uint8Array> {
  const p = await loadWasmOpt();
  work ??= mkdtempSync(join(tmpdir(), 'kiln-ttf-'));
  const input = join(work, 'in.bin');
  const output = join(work, 'out.wasm');
  writeFileSync(input, bytes);
  rmSync(output, { force: true });
  // stderr of the program ("warning: …") goes to fd 2 directly; --denan gives it a pass to run.
  const rc = timed('generate', () => p.callMain([input, '-ttf', ...TTF_FEATURES, '--denan', ...extra, '-o', output]));
  if (rc !== 0 && rc !== undefined) throw new Error(`wasm-opt -ttf exited with ${rc}`);
  return new Uint8Array(readFileSync(output));
}

/**
 * Adds the state probe: `__fuzz_state() -> i64` hashes all of memory 0 (outcome.ts stateHash), and every defined global is exported as `__g<k>`.
 * Returns the new bytes and the exported global names with their types.
 */
export function addStateProbe(wasm: Uint8Array): { wasm: Uint8Array; globals: { name: string; type: 'i32' | 'i64' | 'f32' | 'f64' }[]; hasStateFn: boolean } {
  const m = binaryen.readBinary(wasm);
  try {
    m.setFeatures(binaryen.Features.MVP | binaryen.Features.SignExt | binaryen.Features.NontrappingFPToInt | binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt | binaryen.Features.CallIndirectOverlong | binaryen.Features.Multivalue | binaryen.Features.MutableGlobals);
    const globals: { name: string; type: 'i32' | 'i64' | 'f32' | 'f64' }[] = [];
    const typeName = new Map<number, 'i32' | 'i64' | 'f32' | 'f64'>([[binaryen.i32, 'i32'], [binaryen.i64, 'i64'], [binaryen.f32, 'f32'], [binaryen.f64, 'f64']]);
    const exported = new Set<string>();
    for (let i = 0; i < m.getNumExports(); i++) exported.add(binaryen.getExportInfo(m.getExportByIndex(i)).name);
    for (let i = 0; i < m.getNumGlobals(); i++) {
      const g = binaryen.getGlobalInfo(m.getGlobalByIndex(i));
      const t = typeName.get(g.type);
      if (!t) continue;
      const name = `__g${i}`;
      if (exported.has(name)) continue;
      m.addGlobalExport(g.name, name);
      globals.push({ name, type: t });
    }
    let hasStateFn = false;
    if (m.hasMemory()) {
      // The hash of outcome.ts stateHash. (local $i i32) (local $h i32) (local $n i32)
      const i = 0, h = 1, n = 2;
      const body = m.block(null, [
        m.local.set(n, m.i32.shl(m.memory.size(), m.i32.const(16))),
        m.local.set(h, m.i32.const(STATE_SEED)),
        m.block('done', [
          m.loop('next', m.block(null, [
            m.br('done', m.i32.ge_u(m.local.get(i, binaryen.i32), m.local.get(n, binaryen.i32))),
            m.local.set(h, m.i32.mul(
              m.i32.xor(m.i32.rotl(m.local.get(h, binaryen.i32), m.i32.const(5)), m.i32.load(0, 4, m.local.get(i, binaryen.i32))),
              m.i32.const(STATE_MUL))),
            m.local.set(i, m.i32.add(m.local.get(i, binaryen.i32), m.i32.const(4))),
            m.br('next'),
          ])),
        ]),
        m.i64.extend_u(m.local.get(h, binaryen.i32)),
      ], binaryen.i64);
      m.addFunction('__fuzz_state', binaryen.none, binaryen.i64, [binaryen.i32, binaryen.i32, binaryen.i32], body);
      m.addFunctionExport('__fuzz_state', '__fuzz_state');
      hasStateFn = true;
    }
    if (!m.validate()) throw new Error('state probe made the module invalid');
    return { wasm: m.emitBinary(), globals, hasStateFn };
  } finally {
    m.dispose();
  }
}
