/**
 * The IR interpreter: kiln's exact oracle and its interpreted-execution baseline.
 *
 *   const store = new Store();
 *   const inst = instantiate(store, irModule, importsFrom({ env: { f: { kind: 'func', value: store.hostFunc(type, fn) } } }));
 *   const [r] = invoke(store, exportedFunc(inst, 'main'), [1, 2n]);
 *
 * Values at this API (`Val`): i32 signed number, i64 signed bigint, f32 raw bits
 * (u32 number), f64 raw bits (u64 bigint), v128 16 bytes, funcref FuncInst | null,
 * externref any host value (null = null reference). A trap throws `Trap` (its
 * `message` is the spec's text), a link failure `LinkError`.
 *
 * How it runs: interp/compile.ts pre-decodes each function on first call into an
 * Int32Array (slot-indexed registers, resolved branch targets, block arguments as
 * parallel copies); interp/exec.ts runs a whole call tree in one switch loop over a
 * shared register stack; interp/simd.ts has the v128 ops; interp/instance.ts does
 * instantiation in Wasm 2.0 order.
 */
export { Store, FuncInst, GlobalInst, MemoryInst, TableInst, Trap, LinkError, globalValue, setGlobalValue, type Val, type ExternVal, type Instance, type HostFn, type StoreOptions } from './interp/runtime.js';
export { instantiate, invoke, importsFrom, type Imports } from './interp/instance.js';

import type { ExternVal, FuncInst, Instance } from './interp/runtime.js';

/** The exported function `name` of `inst` (throws if there is none). */
export function exportedFunc(inst: Instance, name: string): FuncInst {
  const e = inst.exports.get(name);
  if (!e || e.kind !== 'func') throw new Error(`no exported function ${name}`);
  return e.value;
}

export function exportOf(inst: Instance, name: string): ExternVal | undefined {
  return inst.exports.get(name);
}
