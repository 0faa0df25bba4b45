/**
 * Instantiation (Wasm 2.0 order) and invocation.
 *
 *   1. resolve and type-check imports      -> LinkError ("unknown import", "incompatible import type")
 *   2. allocate functions, globals (initialisers evaluated in order), tables, memories
 *   3. exports
 *   4. active element segments, in order: table.init then elem.drop; declarative ones dropped
 *   5. active data segments, in order: memory.init then data.drop
 *   6. the start function
 * A trap in 4–6 is thrown as a Trap; effects already made on imported tables and
 * memories stay (that is the spec's behaviour, and linking.wast checks it).
 */
import type { ConstExpr, IrModule } from '../module.js';
import { TrapCode } from '../traps.js';
import type { FuncType, Type } from '../types.js';
import { compileFuncInst, paramOffsets } from './compile.js';
import { execute } from './exec.js';
import { warmUp } from './warmup.js';
import {
  FuncInst,
  GlobalInst,
  LinkError,
  MemoryInst,
  TableInst,
  Trap,
  readVal,
  writeHostVal,
  writeVal,
  readHostVal,
  type ExternVal,
  type Instance,
  type Store,
  type Val,
} from './runtime.js';

/** What imports resolve against: module name -> field name -> value. */
export type Imports = (module: string, name: string) => ExternVal | undefined;

export function importsFrom(map: Record<string, Record<string, ExternVal>>): Imports {
  return (m, n) => map[m]?.[n];
}

function limitsMatch(min: number, max: number | undefined, wantMin: bigint, wantMax: bigint | undefined): boolean {
  if (min < Number(wantMin)) return false;
  if (wantMax === undefined) return true;
  return max !== undefined && max <= Number(wantMax);
}

function sameType(a: FuncType, b: FuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length && a.params.every((t, k) => t === b.params[k]) && a.results.every((t, k) => t === b.results[k]);
}

/** Evaluate a constant expression to raw words (written into `out` at 0). */
function evalConst(inst: Instance, e: ConstExpr, t: Type, out: Int32Array): void {
  switch (e.kind) {
    case 'i32':
      out[0] = e.value;
      return;
    case 'i64':
      writeVal(inst.store, out, 0, 'i64', e.value);
      return;
    case 'f32':
      out[0] = e.bits | 0;
      return;
    case 'f64':
      writeVal(inst.store, out, 0, 'f64', e.bits);
      return;
    case 'v128':
      writeVal(inst.store, out, 0, 'v128', e.bytes);
      return;
    case 'ref.null':
      out[0] = -1;
      return;
    case 'ref.func':
      out[0] = inst.funcs[e.func]!.id;
      return;
    case 'global.get': {
      const g = inst.globals[e.global];
      if (!g) throw new Error(`interp: constant expression reads unknown global ${e.global}`);
      out.set(g.words);
      return;
    }
  }
  void t;
}

const scratch = new Int32Array(4);
function constI32(inst: Instance, e: ConstExpr): number {
  evalConst(inst, e, 'i32', scratch);
  return scratch[0]!;
}

export interface InstantiateOptions {
  /** Called for each import name before the type check (unused by default). */
  name?: string;
}

/**
 * Instantiate `module` in `store`. Throws LinkError when imports do not resolve or do
 * not match, Trap when segment initialisation or the start function traps.
 */
export function instantiate(store: Store, module: IrModule, imports: Imports): Instance {
  const inst: Instance = {
    store,
    module,
    funcs: [],
    globals: [],
    memories: [],
    tables: [],
    typeIds: module.types.map((t) => store.typeId(t)),
    data: [],
    elems: [],
    exports: new Map(),
  };

  // 1–2. Imports and allocation, in index-space order.
  const resolve = (im: { module: string; name: string }, kind: ExternVal['kind']): ExternVal => {
    const v = imports(im.module, im.name);
    if (!v) throw new LinkError(`unknown import ${im.module}.${im.name}`);
    if (v.kind !== kind) throw new LinkError(`incompatible import type for ${im.module}.${im.name}: expected ${kind}, got ${v.kind}`);
    return v;
  };
  for (const [k, f] of module.funcs.entries()) {
    const type = module.types[f.typeIndex];
    if (!type) throw new Error(`interp: function ${k} has unknown type ${f.typeIndex}`);
    if (f.import) {
      const v = resolve(f.import, 'func').value as FuncInst;
      if (!sameType(v.type, type)) throw new LinkError(`incompatible import type for ${f.import.module}.${f.import.name}: function type mismatch`);
      inst.funcs.push(v);
    } else {
      inst.funcs.push(store.newFunc(type, inst, f.body, undefined, f.name));
    }
  }
  for (const t of module.tables) {
    if (t.import) {
      const v = resolve(t.import, 'table').value as TableInst;
      if (v.elemType !== t.elemType || !limitsMatch(v.size, v.declaredMax, t.limits.min, t.limits.max)) {
        throw new LinkError(`incompatible import type for ${t.import.module}.${t.import.name}: table type mismatch`);
      }
      inst.tables.push(v);
    }
  }
  for (const m of module.memories) {
    if (m.import) {
      const v = resolve(m.import, 'memory').value as MemoryInst;
      if (!limitsMatch(v.pages, v.declaredMax, m.limits.min, m.limits.max)) {
        throw new LinkError(`incompatible import type for ${m.import.module}.${m.import.name}: memory type mismatch`);
      }
      inst.memories.push(v);
    }
  }
  for (const g of module.globals) {
    if (g.import) {
      const v = resolve(g.import, 'global').value as GlobalInst;
      if (v.type !== g.type || v.mutable !== g.mutable) throw new LinkError(`incompatible import type for ${g.import.module}.${g.import.name}: global type mismatch`);
      inst.globals.push(v);
    }
  }
  // Defined globals (initialisers may read imported globals and name functions).
  for (const g of module.globals) {
    if (g.import) continue;
    const gi = new GlobalInst(g.type, g.mutable);
    if (g.init) evalConst(inst, g.init, g.type, gi.words);
    inst.globals.push(gi);
  }
  for (const t of module.tables) {
    if (!t.import) inst.tables.push(new TableInst(t.elemType, Number(t.limits.min), t.limits.max === undefined ? undefined : Number(t.limits.max)));
  }
  for (const m of module.memories) {
    if (!m.import) inst.memories.push(new MemoryInst(Number(m.limits.min), m.limits.max === undefined ? undefined : Number(m.limits.max), store.wasmMemories));
  }

  // 3. Exports.
  for (const e of module.exports) {
    switch (e.kind) {
      case 'func':
        inst.exports.set(e.name, { kind: 'func', value: inst.funcs[e.index]! });
        break;
      case 'global':
        inst.exports.set(e.name, { kind: 'global', value: inst.globals[e.index]! });
        break;
      case 'memory':
        inst.exports.set(e.name, { kind: 'memory', value: inst.memories[e.index]! });
        break;
      case 'table':
        inst.exports.set(e.name, { kind: 'table', value: inst.tables[e.index]! });
        break;
    }
  }

  // Segment contents.
  const item = new Int32Array(4);
  for (const seg of module.elems) {
    inst.elems.push(
      seg.items.map((e) => {
        evalConst(inst, e, seg.type, item);
        return item[0]!;
      }),
    );
  }
  for (const seg of module.data) inst.data.push(seg.bytes);

  // 4. Active and declarative element segments.
  module.elems.forEach((seg, k) => {
    if (seg.mode.kind === 'active') {
      const t = inst.tables[seg.mode.table]!;
      const items = inst.elems[k]!;
      const d = constI32(inst, seg.mode.offset) >>> 0;
      if (d + items.length > t.size) throw new Trap(TrapCode.OutOfBoundsTableAccess);
      for (let j = 0; j < items.length; j++) t.elems[d + j] = items[j]!;
      inst.elems[k] = null;
    } else if (seg.mode.kind === 'declarative') {
      inst.elems[k] = null;
    }
  });
  // 5. Active data segments.
  module.data.forEach((seg, k) => {
    if (seg.mode.kind !== 'active') return;
    const m = inst.memories[seg.mode.memory]!;
    const d = constI32(inst, seg.mode.offset) >>> 0;
    if (d + seg.bytes.length > m.buffer.byteLength) throw new Trap(TrapCode.OutOfBoundsMemoryAccess);
    m.u8.set(seg.bytes, d);
    inst.data[k] = null;
  });
  // 6. Start.
  if (module.start !== undefined) invoke(store, inst.funcs[module.start]!, []);
  return inst;
}

/**
 * Call `f` with API values `args` (see runtime.ts for the representation); returns its
 * results. Throws Trap on a trap.
 */
export function invoke(store: Store, f: FuncInst, args: readonly Val[]): Val[] {
  const pt = f.type.params;
  if (args.length !== pt.length) throw new TypeError(`${f.name}: expected ${pt.length} arguments, got ${args.length}`);
  warmUp();
  store.ensureStack();
  const I = store.i32;
  if (f.host) {
    // Host function called directly: convert through the JS convention.
    const tmp = new Int32Array(4);
    const hostArgs = args.map((a, k) => {
      writeVal(store, tmp, 0, pt[k]!, a);
      return readHostVal(store, tmp, 0, pt[k]!);
    });
    const r = f.host(...hostArgs);
    const rt = f.type.results;
    const list = rt.length === 1 ? [r] : rt.length === 0 ? [] : (r as unknown[]);
    return rt.map((t, k) => {
      writeHostVal(store, tmp, 0, t, list[k]);
      return readVal(store, tmp, 0, t);
    });
  }
  const cc = f.code ?? compileFuncInst(f);
  const fp = store.sp + (store.sp & 1);
  if (store.depth >= store.maxDepth || fp + cc.frameWords > store.stackWords) throw new Trap(TrapCode.CallStackExhausted);
  const offs = paramOffsets(pt);
  args.forEach((a, k) => writeVal(store, I, fp + offs[k]!, pt[k]!, a));
  return execute(store, f, fp);
}
