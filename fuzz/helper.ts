/**
 * The `fuzzing-support` host, as a wasm module so every engine runs the same host code.
 * binaryen's -ttf modules import logging functions (log-i32 …) and a few others
 * (call-export, call-export-catch, sleep). For each such import the helper exports a function
 * of exactly that signature that folds every argument into an exported i64 global `hash`
 * (NaNs folded to one marker, as their bits are nondeterministic) and returns zeros.
 * The log hash is then one more observable compared across engines.
 */
import type { IrModule } from '../src/ir/module.js';
import { ModuleBuilder, OP, i64c, type ValT } from './wasm-enc.js';

export const HELPER_MODULE = 'fuzzing-support';
const NAN_MARK = 0x4e614e4e614e4e61n;
const K = 0x9e3779b97f4a7c15n;

function isNum(t: string): t is ValT {
  return t === 'i32' || t === 'i64' || t === 'f32' || t === 'f64';
}

/** The helper for `m`'s imports, or a reason the module cannot be hosted. */
export function buildHelper(m: IrModule): { wasm: Uint8Array } | { unsupported: string } | undefined {
  const b = new ModuleBuilder();
  const hash = b.global('i64', true, i64c(0), 'hash');
  let any = false;
  const done = new Set<string>();
  for (const f of m.funcs) {
    if (!f.import) continue;
    if (f.import.module !== HELPER_MODULE) return { unsupported: `import ${f.import.module}.${f.import.name}` };
    if (done.has(f.import.name)) continue;
    done.add(f.import.name);
    const t = m.types[f.typeIndex]!;
    if (!t.params.every(isNum) || !t.results.every(isNum)) return { unsupported: `non-numeric import ${f.import.name}` };
    const params = t.params as ValT[];
    const body: number[] = [];
    params.forEach((p, k) => {
      body.push(OP.global_get, hash, ...i64c(5), OP.i64_rotl);
      switch (p) {
        case 'i32': body.push(OP.local_get, k, OP.i64_extend_i32_u); break;
        case 'i64': body.push(OP.local_get, k); break;
        case 'f32': body.push(...i64c(NAN_MARK), OP.local_get, k, OP.i32_reinterpret_f32, OP.i64_extend_i32_u, OP.local_get, k, OP.local_get, k, 0x5c /* f32.ne */, OP.select); break;
        case 'f64': body.push(...i64c(NAN_MARK), OP.local_get, k, OP.i64_reinterpret_f64, OP.local_get, k, OP.local_get, k, 0x62 /* f64.ne */, OP.select); break;
      }
      body.push(OP.i64_xor, ...i64c(K), OP.i64_mul, OP.global_set, hash);
    });
    for (const r of t.results as ValT[]) {
      if (r === 'i32') body.push(OP.i32_const, 0);
      else if (r === 'i64') body.push(OP.i64_const, 0);
      else if (r === 'f32') body.push(OP.f32_const, 0, 0, 0, 0);
      else body.push(OP.f64_const, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    b.func(params, t.results as ValT[], [], body, f.import.name);
    any = true;
  }
  return any ? { wasm: b.encode() } : undefined;
}
