/**
 * Warming the dispatch loop: V8 optimises `execute` (one big switch) from the type
 * feedback its bytecode has collected, and a case that never ran has none, so the
 * first time a program reaches a new op the optimised code is thrown away and
 * rebuilt (each time costing 50–400 ms of compilation on a busy machine). Running one
 * synthetic function that executes nearly every case once, before the first real
 * call, gives every case feedback up front.
 */
import { FuncBuilder } from '../builder.js';
import { emptyModule, moduleTypeEnv } from '../module.js';
import { OPS, type OpName } from '../opcodes.js';
import type { Type } from '../types.js';
import { importsFrom, instantiate, invoke } from './instance.js';
import { Store } from './runtime.js';

let done = false;

const SCALAR = new Set(['i32', 'i64', 'f32', 'f64']);
const INT_CMPS = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];

export function warmUp(): void {
  if (done) return;
  done = true;
  const m = emptyModule();
  const sig = { params: ['i32', 'i64', 'f32', 'f64'] as Type[], results: ['i32'] as Type[] };
  m.types.push(sig, { params: ['i32'], results: ['i32'] });
  m.memories.push({ limits: { min: 1n } });
  m.globals.push({ type: 'i32', mutable: true, init: { kind: 'i32', value: 0 } }, { type: 'i64', mutable: true, init: { kind: 'i64', value: 0n } });
  m.globals.push({ type: 'v128', mutable: true, init: { kind: 'v128', bytes: new Uint8Array(16) } });
  m.tables.push({ elemType: 'funcref', limits: { min: 2n } });
  m.funcs.push({ typeIndex: 0, name: 'warm' }, { typeIndex: 1, name: 'id' });
  m.elems.push({ type: 'funcref', mode: { kind: 'active', table: 0, offset: { kind: 'i32', value: 0 } }, items: [{ kind: 'ref.func', func: 1 }] });
  m.data.push({ mode: { kind: 'passive' }, bytes: new Uint8Array(4) });
  const env = moduleTypeEnv(m);

  const id = new FuncBuilder('id', m.types[1]!, env);
  id.ret([id.params[0]!]);
  m.funcs[1]!.body = id.finish();

  const b = new FuncBuilder('warm', sig, env);
  const [a, l, f, d] = b.params as [number, number, number, number];
  const byType: Record<string, number> = { i32: a, i64: l, f32: f, f64: d };
  for (const info of OPS) {
    const name = info.name;
    if (info.kind === 'numeric' || info.kind === 'unchecked') {
      if (!info.params || !info.params.every((p) => SCALAR.has(p)) || !SCALAR.has(info.results?.[0] ?? '')) continue;
      b.wasm(name as OpName, info.params.map((p) => byType[p]!));
    } else if ((info.kind === 'load' || info.kind === 'store') && info.access && info.access.type !== 'v128') {
      if (info.kind === 'load') b.load(name as OpName, a);
      else b.store(name as OpName, a, byType[info.access.type]!);
    }
  }
  // Constant operands and compare-and-branch forms.
  for (const op of ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', ...INT_CMPS]) b.op(`i32.${op}` as OpName, [a, b.i32(3)]);
  for (const op of [...INT_CMPS, 'eqz']) {
    for (const k of [false, true]) {
      const next = b.block();
      const cond = op === 'eqz' ? b.op('i32.eqz', [a]) : b.op(`i32.${op}` as OpName, [a, k ? b.i32(5) : b.params[0]!]);
      b.brIf(cond, next, [], next, []);
      b.switchTo(next);
    }
  }
  // Moves, select, globals, memory and table ops, calls.
  const join = b.block(['i32', 'i64', 'v128']);
  const v = b.v128(new Uint8Array(16));
  b.br(join, [a, l, v]);
  b.switchTo(join);
  const [ja, jl, jv] = b.blockParams(join) as [number, number, number];
  b.select(ja, a, a);
  b.select(jl, l, a);
  b.select(jv, v, a);
  b.globalSet(0, b.globalGet(0, 'i32'));
  b.globalSet(1, b.globalGet(1, 'i64'));
  b.globalSet(2, b.globalGet(2, 'v128'));
  b.op('memory.size', [], [0]);
  b.op('memory.grow', [b.i32(0)], [0]);
  b.inst('memory.fill', [a, a, b.i32(1)], [0]);
  b.inst('memory.copy', [a, a, b.i32(1)], [0, 0]);
  b.inst('memory.init', [a, b.i32(0), b.i32(1)], [0, 0]);
  b.inst('data.drop', [], [0]);
  const r = b.op('table.get', [b.i32(0)], [0], 'funcref');
  b.inst('table.set', [b.i32(1), r], [0]);
  b.op('ref.is_null', [r]);
  b.op('table.size', [], [0]);
  b.op('table.grow', [b.refNull('funcref'), b.i32(0)], [0]);
  b.inst('table.fill', [b.i32(1), r, b.i32(1)], [0]);
  b.inst('table.copy', [b.i32(0), b.i32(0), b.i32(1)], [0, 0]);
  b.inst('table.init', [b.i32(0), b.i32(0), b.i32(0)], [0, 0]);
  b.inst('elem.drop', [], [0]);
  b.op('i8x16.add', [v, v]);
  b.load('v128.load', a);
  const [c1] = b.call(1, [a]);
  const [c2] = b.callIndirect(1, 0, b.i32(0), [c1!]);
  const e0 = b.block();
  const e1 = b.block(['i32']);
  b.brTable(b.i32(0), [{ block: e0, args: [] }], { block: e1, args: [c2!] });
  b.switchTo(e0);
  b.ret([a]);
  b.switchTo(e1);
  b.ret([b.blockParams(e1)[0]!]);
  m.funcs[0]!.body = b.finish();

  const store = new Store({ stackWords: 1 << 12, maxDepth: 16 });
  const inst = instantiate(store, m, importsFrom({}));
  invoke(store, inst.funcs[0]!, [8, 3n, 0x3fc00000, 0x3ff8000000000000n]);
}
