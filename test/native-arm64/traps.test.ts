/**
 * Every wasm trap raised the way real code raises it — explicit checks branching to trap
 * stubs (division, conversion, call_indirect), guard-page faults (memory), runtime helpers
 * (table access), `udf` (unreachable) and the prologue's stack check (deep recursion) —
 * in a command executable under qemu: `wasm trap: <spec message>` on stderr, exit 134.
 */
import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import { TrapCode } from '../../src/ir/traps.js';
import { runExecutable } from '../../qemu/run.js';
import { buildCommand } from './helpers.js';

/** A module whose `_start` computes `body` and drops it; operands come from mutable globals so nothing folds. */
function startModule(body: (b: FuncBuilder, m: IrModule) => void, setup?: (m: IrModule) => void): IrModule {
  const m = emptyModule();
  m.types.push({ params: [], results: [] }, { params: ['i32'], results: ['i32'] }, { params: ['i64'], results: ['i64'] });
  m.globals.push({ type: 'i32', mutable: true, init: { kind: 'i32', value: 0 } }); // 0
  m.globals.push({ type: 'i32', mutable: true, init: { kind: 'i32', value: -1 } }); // -1
  m.globals.push({ type: 'i32', mutable: true, init: { kind: 'i32', value: -0x80000000 } }); // INT_MIN
  m.globals.push({ type: 'f64', mutable: true, init: { kind: 'f64', bits: 0x7ff8000000000000n } }); // NaN
  m.globals.push({ type: 'f64', mutable: true, init: { kind: 'f64', bits: 0x41f0000000000000n } }); // 2^32
  m.memories.push({ limits: { min: 1n, max: 1n } });
  m.tables.push({ elemType: 'funcref', limits: { min: 2n, max: 2n } });
  setup?.(m);
  const b = new FuncBuilder('_start', m.types[0]!, moduleTypeEnv(m));
  m.funcs.push({ typeIndex: 0, name: '_start' });
  body(b, m);
  if (!b.isTerminated()) b.ret();
  m.funcs[m.funcs.length - 1]!.body = b.finish();
  m.exports.push({ name: '_start', kind: 'func', index: m.funcs.length - 1 });
  return m;
}

const G = (b: FuncBuilder, g: number) => b.globalGet(g);
const sink = (b: FuncBuilder, v: unknown) => b.globalSet(0, v as number);

const CASES: [string, IrModule][] = [
  ['unreachable', startModule((b) => b.trap(TrapCode.Unreachable))],
  ['integer divide by zero', startModule((b) => sink(b, b.wasm('i32.rem_u', [G(b, 1), G(b, 0)])!))],
  ['integer overflow', startModule((b) => sink(b, b.wasm('i32.div_s', [G(b, 2), G(b, 1)])!))],
  ['invalid conversion to integer', startModule((b) => sink(b, b.wasm('i32.trunc_f64_u', [G(b, 3)])!))],
  ['integer overflow', startModule((b) => sink(b, b.wasm('i32.trunc_f64_u', [G(b, 4)])!))],
  ['out of bounds memory access', startModule((b) => sink(b, b.load('i32.load', G(b, 1), { offset: 8n })))],
  ['out of bounds memory access', startModule((b) => b.store('i64.store', b.op('i32.const', [], [65532]), b.i64(1)))],
  ['out of bounds table access', startModule((b) => b.op('table.get', [b.i32(2)], [0], 'funcref'))],
  ['undefined element', startModule((b) => sink(b, b.callIndirect(1, 0, b.i32(2), [G(b, 0)])[0]!))],
  ['uninitialized element', startModule((b) => sink(b, b.callIndirect(1, 0, b.i32(1), [G(b, 0)])[0]!))],
  ['indirect call type mismatch', startModule(
    (b) => sink(b, b.callIndirect(1, 0, b.i32(0), [G(b, 0)])[0]!),
    (m) => {
      // table[0] = a function of type (i64) -> i64, called as (i32) -> i32.
      const f = new FuncBuilder('g', m.types[2]!, moduleTypeEnv(m));
      f.ret([f.params[0]!]);
      m.funcs.push({ typeIndex: 2, name: 'g', body: f.finish() });
      m.elems.push({ type: 'funcref', mode: { kind: 'active', table: 0, offset: { kind: 'i32', value: 0 } }, items: [{ kind: 'ref.func', func: 0 }] });
    },
  )],
  ['call stack exhausted', startModule(
    (b) => sink(b, b.call(0, [G(b, 0)])[0]!),
    (m) => {
      // rec(x) = rec(x + 1) + x, never returning: frames with values live across the call.
      const f = new FuncBuilder('rec', m.types[1]!, moduleTypeEnv(m));
      m.funcs.push({ typeIndex: 1, name: 'rec' });
      const x = f.params[0]!;
      const r = f.call(0, [f.op('i32.add', [x, f.i32(1)])])[0]!;
      f.ret([f.op('i32.add', [r, x])]);
      m.funcs[0]!.body = f.finish();
    },
  )],
];

describe('AArch64 traps in command executables (qemu)', () => {
  it.each(CASES.map(([msg, m], k) => [`${k}: ${msg}`, msg, m] as const))('%s', { timeout: 120_000 }, async (_name, msg, m) => {
    const exe = await buildCommand(m);
    const r = await runExecutable('aarch64', exe);
    expect({ stderr: r.stderr.trim(), exit: r.exitCode }).toEqual({ stderr: `wasm trap: ${msg}`, exit: 134 });
  });
});
