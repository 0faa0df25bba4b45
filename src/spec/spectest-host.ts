/**
 * The spec testsuite's `spectest` host module for the interpreter: print functions
 * (silent), global_i32 = 666, global_i64 = 666, global_f32 = 666.6, global_f64 = 666.6,
 * a funcref table of 10..20 and a memory of 1..2 pages.
 */
import { GlobalInst, MemoryInst, TableInst, setGlobalValue, type ExternVal, type Store } from '../ir/interp.js';
import { f32Bits, f64Bits, type Type } from '../ir/types.js';

export function spectestExports(store: Store): Map<string, ExternVal> {
  const out = new Map<string, ExternVal>();
  const fn = (name: string, params: Type[]): void => {
    out.set(name, { kind: 'func', value: store.hostFunc({ params, results: [] }, () => undefined, `spectest.${name}`) });
  };
  fn('print', []);
  fn('print_i32', ['i32']);
  fn('print_i64', ['i64']);
  fn('print_f32', ['f32']);
  fn('print_f64', ['f64']);
  fn('print_i32_f32', ['i32', 'f32']);
  fn('print_f64_f64', ['f64', 'f64']);
  const global = (name: string, type: Type, v: number | bigint): void => {
    const g = new GlobalInst(type, false);
    setGlobalValue(store, g, v);
    out.set(name, { kind: 'global', value: g });
  };
  global('global_i32', 'i32', 666);
  global('global_i64', 'i64', 666n);
  global('global_f32', 'f32', f32Bits(666.6));
  global('global_f64', 'f64', f64Bits(666.6));
  out.set('table', { kind: 'table', value: new TableInst('funcref', 10, 20) });
  out.set('memory', { kind: 'memory', value: new MemoryInst(1, 2, store.wasmMemories) });
  return out;
}
