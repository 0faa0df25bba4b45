import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import type { OpName } from '../../src/ir/opcodes.js';
import { TrapCode } from '../../src/ir/traps.js';
import type { Type } from '../../src/ir/types.js';
import { compileIrModule } from '../../src/backend/compile.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { runExecutable } from '../../qemu/run.js';
import { buildCommand, failures, runSpecCommands, TARGETS } from './helpers.js';

/** A module exporting one function per op: `name(params) = op(params)`. */
function opsModule(ops: { name: string; op: OpName; params: Type[]; result: Type; imms?: (number | bigint)[] }[]): IrModule {
  const m = emptyModule();
  m.memories.push({ limits: { min: 1n, max: 2n } });
  for (const o of ops) {
    const ti = m.types.length;
    m.types.push({ params: o.params, results: [o.result] });
    const b = new FuncBuilder(o.name, m.types[ti]!, moduleTypeEnv(m));
    b.ret([b.wasm(o.op, b.params, o.imms ?? [])!]);
    m.funcs.push({ typeIndex: ti, name: o.name, body: b.finish() });
    m.exports.push({ name: o.name, kind: 'func', index: m.funcs.length - 1 });
  }
  return m;
}

const F = (x: number) => {
  const b = new Float32Array([x]);
  return `f32:${new Uint32Array(b.buffer)[0]}`;
};
const D = (x: number) => {
  const b = new Float64Array([x]);
  return `f64:${new BigUint64Array(b.buffer)[0]}`;
};

async function expectAllPass(target: KilnTarget, m: IrModule[], cmds: string[]): Promise<void> {
  const { lines, run } = await runSpecCommands(target, m, cmds);
  expect(run.stderr).toBe('');
  const bad = failures(lines).map((l) => `${l}   <- ${cmds[Number(l.split(' ')[0]) - 1]}`);
  expect(bad).toEqual([]);
}

describe.each(TARGETS)('scalar ops from IR on %s', (target) => {
  it('floats: min/max, copysign, nearest, compares', async () => {
    const f2: Type[] = ['f32', 'f32'];
    const d2: Type[] = ['f64', 'f64'];
    const m = opsModule([
      { name: 'fmin', op: 'f32.min', params: f2, result: 'f32' },
      { name: 'fmax', op: 'f32.max', params: f2, result: 'f32' },
      { name: 'dmin', op: 'f64.min', params: d2, result: 'f64' },
      { name: 'fcopysign', op: 'f32.copysign', params: f2, result: 'f32' },
      { name: 'dcopysign', op: 'f64.copysign', params: d2, result: 'f64' },
      { name: 'dneg', op: 'f64.neg', params: ['f64'], result: 'f64' },
      { name: 'fabs', op: 'f32.abs', params: ['f32'], result: 'f32' },
      { name: 'dnearest', op: 'f64.nearest', params: ['f64'], result: 'f64' },
      { name: 'flt', op: 'f32.lt', params: f2, result: 'i32' },
      { name: 'deq', op: 'f64.eq', params: d2, result: 'i32' },
      { name: 'dne', op: 'f64.ne', params: d2, result: 'i32' },
      { name: 'dsub', op: 'f64.sub', params: d2, result: 'f64' },
    ]);
    await expectAllPass(target, [m], [
      'module 0',
      `assert_return "fmin" ${F(1)} ${F(2)} -> ${F(1)}`,
      `assert_return "fmin" ${F(0)} ${F(-0)} -> ${F(-0)}`,
      `assert_return "fmin" ${F(-0)} ${F(0)} -> ${F(-0)}`,
      `assert_return "fmax" ${F(-0)} ${F(0)} -> ${F(0)}`,
      `assert_return "fmin" f32:0x7fc00000 ${F(1.5)} -> f32:nan:canonical`,
      `assert_return "fmin" ${F(1.5)} f32:0x7fa00000 -> f32:nan:arithmetic`,
      `assert_return "dmin" ${D(-3)} ${D(2)} -> ${D(-3)}`,
      `assert_return "fcopysign" ${F(3)} ${F(-1)} -> ${F(-3)}`,
      `assert_return "dcopysign" ${D(-3)} ${D(1)} -> ${D(3)}`,
      `assert_return "dneg" ${D(3)} -> ${D(-3)}`,
      `assert_return "fabs" ${F(-3)} -> ${F(3)}`,
      `assert_return "dnearest" ${D(2.5)} -> ${D(2)}`,
      `assert_return "dnearest" ${D(-3.5)} -> ${D(-4)}`,
      `assert_return "flt" ${F(1)} ${F(2)} -> i32:1`,
      `assert_return "flt" f32:0x7fc00000 ${F(2)} -> i32:0`,
      `assert_return "deq" ${D(1)} ${D(1)} -> i32:1`,
      `assert_return "deq" f64:0x7ff8000000000000 f64:0x7ff8000000000000 -> i32:0`,
      `assert_return "dne" f64:0x7ff8000000000000 f64:0x7ff8000000000000 -> i32:1`,
      `assert_return "dsub" ${D(1)} ${D(0.5)} -> ${D(0.5)}`,
    ]);
  });

  it('conversions: trapping and saturating truncation, unsigned conversions', async () => {
    const m = opsModule([
      { name: 'i32_trunc_f32_s', op: 'i32.trunc_f32_s', params: ['f32'], result: 'i32' },
      { name: 'i32_trunc_f64_u', op: 'i32.trunc_f64_u', params: ['f64'], result: 'i32' },
      { name: 'i64_trunc_f64_u', op: 'i64.trunc_f64_u', params: ['f64'], result: 'i64' },
      { name: 'i64_trunc_f32_s', op: 'i64.trunc_f32_s', params: ['f32'], result: 'i64' },
      { name: 'sat_i32_f32_s', op: 'i32.trunc_sat_f32_s', params: ['f32'], result: 'i32' },
      { name: 'sat_i32_f64_u', op: 'i32.trunc_sat_f64_u', params: ['f64'], result: 'i32' },
      { name: 'sat_i64_f64_u', op: 'i64.trunc_sat_f64_u', params: ['f64'], result: 'i64' },
      { name: 'sat_i64_f32_s', op: 'i64.trunc_sat_f32_s', params: ['f32'], result: 'i64' },
      { name: 'f64_convert_i64_u', op: 'f64.convert_i64_u', params: ['i64'], result: 'f64' },
      { name: 'f32_convert_i64_u', op: 'f32.convert_i64_u', params: ['i64'], result: 'f32' },
      { name: 'f32_convert_i32_u', op: 'f32.convert_i32_u', params: ['i32'], result: 'f32' },
      { name: 'wrap', op: 'i32.wrap_i64', params: ['i64'], result: 'i32' },
      { name: 'ext_s', op: 'i64.extend_i32_s', params: ['i32'], result: 'i64' },
      { name: 'ext_u', op: 'i64.extend_i32_u', params: ['i32'], result: 'i64' },
    ]);
    await expectAllPass(target, [m], [
      'module 0',
      `assert_return "i32_trunc_f32_s" ${F(-2147483648)} -> i32:-2147483648`,
      `assert_trap "i32_trunc_f32_s" ${F(2147483648)} -> "integer overflow"`,
      `assert_trap "i32_trunc_f32_s" f32:0x7fc00000 -> "invalid conversion to integer"`,
      `assert_return "i32_trunc_f64_u" ${D(4294967295.9)} -> i32:-1`,
      `assert_return "i32_trunc_f64_u" ${D(-0.9)} -> i32:0`,
      `assert_trap "i32_trunc_f64_u" ${D(-1)} -> "integer overflow"`,
      `assert_trap "i32_trunc_f64_u" ${D(4294967296)} -> "integer overflow"`,
      `assert_return "i64_trunc_f64_u" ${D(18446744073709549568)} -> i64:-2048`,
      `assert_return "i64_trunc_f64_u" ${D(9223372036854775808)} -> i64:0x8000000000000000`,
      `assert_trap "i64_trunc_f64_u" ${D(18446744073709551616)} -> "integer overflow"`,
      `assert_return "i64_trunc_f32_s" ${F(-9223372036854775808)} -> i64:0x8000000000000000`,
      `assert_trap "i64_trunc_f32_s" ${F(9223372036854775808)} -> "integer overflow"`,
      `assert_return "sat_i32_f32_s" ${F(3e9)} -> i32:0x7fffffff`,
      `assert_return "sat_i32_f32_s" ${F(-3e9)} -> i32:0x80000000`,
      `assert_return "sat_i32_f32_s" f32:0x7fc00000 -> i32:0`,
      `assert_return "sat_i32_f64_u" ${D(5e9)} -> i32:-1`,
      `assert_return "sat_i32_f64_u" ${D(-5)} -> i32:0`,
      `assert_return "sat_i32_f64_u" ${D(3e9)} -> i32:3000000000`,
      `assert_return "sat_i64_f64_u" ${D(1e20)} -> i64:-1`,
      `assert_return "sat_i64_f64_u" ${D(1e19)} -> i64:10000000000000000000`,
      `assert_return "sat_i64_f64_u" f64:0x7ff8000000000000 -> i64:0`,
      `assert_return "sat_i64_f32_s" ${F(1e19)} -> i64:0x7fffffffffffffff`,
      `assert_return "f64_convert_i64_u" i64:-1 -> ${D(18446744073709551616)}`,
      `assert_return "f64_convert_i64_u" i64:0x8000000000000401 -> ${D(9223372036854777856)}`,
      `assert_return "f32_convert_i64_u" i64:0xffffff7fffffffff -> ${F(18446742974197923840)}`,
      `assert_return "f32_convert_i32_u" i32:-1 -> ${F(4294967296)}`,
      'assert_return "wrap" i64:0x1234567890 -> i32:0x34567890',
      'assert_return "ext_s" i32:-1 -> i64:-1',
      'assert_return "ext_u" i32:-1 -> i64:0xffffffff',
    ]);
  });

  it('i64 ops: clz/ctz/popcnt, div/rem edge cases, shifts and compares', async () => {
    const l2: Type[] = ['i64', 'i64'];
    const m = opsModule([
      { name: 'clz', op: 'i64.clz', params: ['i64'], result: 'i64' },
      { name: 'ctz', op: 'i64.ctz', params: ['i64'], result: 'i64' },
      { name: 'clz32', op: 'i32.clz', params: ['i32'], result: 'i32' },
      { name: 'ctz32', op: 'i32.ctz', params: ['i32'], result: 'i32' },
      { name: 'popcnt', op: 'i64.popcnt', params: ['i64'], result: 'i64' },
      { name: 'div_s', op: 'i64.div_s', params: l2, result: 'i64' },
      { name: 'rem_s', op: 'i64.rem_s', params: l2, result: 'i64' },
      { name: 'rem_u', op: 'i64.rem_u', params: l2, result: 'i64' },
      { name: 'shr_s', op: 'i64.shr_s', params: l2, result: 'i64' },
      { name: 'rotr', op: 'i64.rotr', params: l2, result: 'i64' },
      { name: 'lt_u', op: 'i64.lt_u', params: l2, result: 'i32' },
      { name: 'eqz', op: 'i64.eqz', params: ['i64'], result: 'i32' },
      { name: 'ext8', op: 'i64.extend8_s', params: ['i64'], result: 'i64' },
    ]);
    await expectAllPass(target, [m], [
      'module 0',
      'assert_return "clz" i64:0 -> i64:64',
      'assert_return "clz" i64:1 -> i64:63',
      'assert_return "ctz" i64:0 -> i64:64',
      'assert_return "ctz" i64:0x8000000000000000 -> i64:63',
      'assert_return "clz32" i32:0 -> i32:32',
      'assert_return "clz32" i32:0x00008000 -> i32:16',
      'assert_return "ctz32" i32:0 -> i32:32',
      'assert_return "popcnt" i64:-1 -> i64:64',
      'assert_trap "div_s" i64:0x8000000000000000 i64:-1 -> "integer overflow"',
      'assert_trap "div_s" i64:1 i64:0 -> "integer divide by zero"',
      'assert_return "rem_s" i64:0x8000000000000000 i64:-1 -> i64:0',
      'assert_trap "rem_u" i64:1 i64:0 -> "integer divide by zero"',
      'assert_return "rem_u" i64:-1 i64:10 -> i64:5',
      'assert_return "shr_s" i64:-8 i64:65 -> i64:-4',
      'assert_return "rotr" i64:1 i64:1 -> i64:0x8000000000000000',
      'assert_return "lt_u" i64:1 i64:-1 -> i32:1',
      'assert_return "eqz" i64:0 -> i32:1',
      'assert_return "ext8" i64:0x80 -> i64:-128',
    ]);
  });
});

function memModule(): IrModule {
  const m = emptyModule();
  m.memories.push({ limits: { min: 1n, max: 3n } });
  m.globals.push({ type: 'i64', mutable: true, init: { kind: 'i64', value: 7n } });
  m.tables.push({ elemType: 'funcref', limits: { min: 4n } });
  m.types.push({ params: ['i32', 'i64'], results: [] }, { params: ['i32'], results: ['i64'] }, { params: ['i32'], results: ['i32'] }, { params: [], results: ['i32'] }, { params: ['i32', 'i32'], results: ['i32'] });
  const env = moduleTypeEnv(m);
  const fn = (name: string, ti: number, body: (b: FuncBuilder) => void) => {
    const b = new FuncBuilder(name, m.types[ti]!, env);
    body(b);
    m.funcs.push({ typeIndex: ti, name, body: b.finish() });
    m.exports.push({ name, kind: 'func', index: m.funcs.length - 1 });
  };
  fn('store', 0, (b) => {
    const [a, v] = b.params;
    b.store('i64.store', a!, v!, { offset: 8n });
    b.ret();
  });
  fn('load8', 1, (b) => b.ret([b.load('i64.load8_s', b.params[0]!, { offset: 8n })]));
  fn('load_far', 1, (b) => b.ret([b.load('i64.load', b.params[0]!, { offset: 0xfffffff0n })]));
  fn('grow', 2, (b) => b.ret([b.op('memory.grow', [b.params[0]!], [0])]));
  fn('size', 3, (b) => b.ret([b.op('memory.size', [], [0])]));
  fn('gadd', 1, (b) => {
    const g = b.globalGet(0);
    const s = b.op('i64.add', [g, b.op('i64.extend_i32_u', [b.params[0]!])]);
    b.globalSet(0, s);
    b.ret([b.globalGet(0)]);
  });
  // sel(c, x) = c ? x : 100 ; table: dispatch(i, x) = call_indirect type 2 table[i](x)
  fn('dispatch', 4, (b) => {
    const [i, x] = b.params;
    b.ret(b.callIndirect(2, 0, i!, [x!]));
  });
  fn('inc', 2, (b) => b.ret([b.op('i32.add', [b.params[0]!, b.i32(1)])]));
  fn('sw', 2, (b) => {
    const d = b.block(['i32']);
    const c0 = b.block();
    const c1 = b.block();
    b.brTable(b.params[0]!, [{ block: c0, args: [] }, { block: c1, args: [] }], { block: d, args: [b.i32(99)] });
    b.switchTo(c0);
    b.br(d, [b.i32(10)]);
    b.switchTo(c1);
    b.br(d, [b.select(b.i32(11), b.i32(12), b.op('i32.eqz', [b.params[0]!]))]);
    b.switchTo(d);
    b.ret([b.blockParams(d)[0]!]);
  });
  const inc = m.funcs.length - 2;
  m.elems.push({ type: 'funcref', mode: { kind: 'active', table: 0, offset: { kind: 'i32', value: 1 } }, items: [{ kind: 'ref.func', func: inc }, { kind: 'ref.func', func: 0 }] });
  return m;
}

describe.each(TARGETS)('memory, globals, tables and control flow from IR on %s', (target) => {
  it('runs loads/stores, memory.grow, globals, call_indirect and br_table', async () => {
    await expectAllPass(target, [memModule()], [
      'module 0',
      'assert_return "store" i32:0 i64:0x1122334455667788 -> ',
      'assert_return "load8" i32:0 -> i64:0xffffffffffffff88',
      'assert_return "load8" i32:7 -> i64:0x11',
      'assert_trap "load8" i32:65528 -> "out of bounds memory access"',
      'assert_trap "load_far" i32:0 -> "out of bounds memory access"',
      'assert_trap "store" i32:-1 i64:0 -> "out of bounds memory access"',
      'assert_return "size" -> i32:1',
      'assert_return "grow" i32:1 -> i32:1',
      'assert_return "size" -> i32:2',
      'assert_return "load8" i32:65528 -> i64:0',
      'assert_return "grow" i32:5 -> i32:-1',
      'assert_return "gadd" i32:3 -> i64:10',
      'assert_return "gadd" i32:-1 -> i64:4294967305',
      'assert_return "dispatch" i32:1 i32:41 -> i32:42',
      'assert_trap "dispatch" i32:0 i32:41 -> "uninitialized element"',
      'assert_trap "dispatch" i32:2 i32:41 -> "indirect call type mismatch"',
      'assert_trap "dispatch" i32:4 i32:41 -> "undefined element"',
      'assert_return "sw" i32:0 -> i32:10',
      'assert_return "sw" i32:1 -> i32:12',
      'assert_return "sw" i32:2 -> i32:99',
      'assert_return "sw" i32:-1 -> i32:99',
    ]);
  });

  it('traps from a command executable print the spec message and exit 134; recursion exhausts the stack', async () => {
    const codes: [number, string][] = [
      [TrapCode.Unreachable, 'unreachable'],
      [TrapCode.IntegerDivideByZero, 'integer divide by zero'],
      [TrapCode.IntegerOverflow, 'integer overflow'],
      [TrapCode.InvalidConversionToInteger, 'invalid conversion to integer'],
      [TrapCode.OutOfBoundsMemoryAccess, 'out of bounds memory access'],
      [TrapCode.OutOfBoundsTableAccess, 'out of bounds table access'],
      [TrapCode.UndefinedElement, 'undefined element'],
      [TrapCode.UninitializedElement, 'uninitialized element'],
      [TrapCode.IndirectCallTypeMismatch, 'indirect call type mismatch'],
      [TrapCode.CallStackExhausted, 'call stack exhausted'],
    ];
    for (const [code, msg] of codes) {
      const m = emptyModule();
      m.types.push({ params: [], results: [] });
      const b = new FuncBuilder('_start', m.types[0]!, moduleTypeEnv(m));
      if (code === TrapCode.CallStackExhausted) b.call(0, [], []);
      if (code === TrapCode.CallStackExhausted) b.ret();
      else b.trap(code as TrapCode);
      m.funcs.push({ typeIndex: 0, name: '_start', body: b.finish() });
      m.exports.push({ name: '_start', kind: 'func', index: 0 });
      const exe = await buildCommand(target, m);
      const r = await runExecutable(target, exe);
      expect(r.stderr.trimEnd(), msg).toBe(`wasm trap: ${msg}`);
      expect(r.exitCode, msg).toBe(134);
    }
  });

  it('compiles deterministically', () => {
    const a = compileIrModule(memModule(), { target }).object;
    const b = compileIrModule(memModule(), { target }).object;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
