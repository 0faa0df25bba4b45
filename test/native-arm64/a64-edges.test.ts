/**
 * AArch64-specific lowering edges, compiled from IR and run under qemu: immediate forms
 * (add/sub/logical/compare/shift immediates and their fallbacks), division checks with
 * constant operands, shift and rotate counts beyond the width, float rounding and NaN
 * edges, memory offsets beyond every immediate form, large jump tables with block
 * arguments, and calls with stack arguments, stack results, imports and recursion.
 */
import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import type { OpName } from '../../src/ir/opcodes.js';
import type { Type } from '../../src/ir/types.js';
import { failures, runSpecCommands } from './helpers.js';

type Body = (b: FuncBuilder) => void;

class ModuleMaker {
  m: IrModule = emptyModule();
  fn(name: string, params: Type[], results: Type[], body: Body, exported = true): number {
    const ti = this.m.types.length;
    this.m.types.push({ params, results });
    // Declared before the body is built, so the body may call itself.
    const decl: IrModule['funcs'][number] = { typeIndex: ti, name };
    this.m.funcs.push(decl);
    const fi = this.m.funcs.length - 1;
    const b = new FuncBuilder(name, this.m.types[ti]!, moduleTypeEnv(this.m));
    body(b);
    decl.body = b.finish();
    if (exported) this.m.exports.push({ name, kind: 'func', index: fi });
    return fi;
  }
}

const F = (x: number) => `f32:${new Uint32Array(new Float32Array([x]).buffer)[0]}`;
const D = (x: number) => `f64:${new BigUint64Array(new Float64Array([x]).buffer)[0]}`;

async function expectAllPass(mods: IrModule[], cmds: string[], optLevel: 0 | 2 = 0, bounds: 'guard' | 'explicit' = 'guard'): Promise<void> {
  const { lines, run } = await runSpecCommands(mods, cmds, optLevel, bounds);
  expect(run.stderr).toBe('');
  expect(failures(lines).map((l) => `${l}   <- ${cmds[Number(l.split(' ')[0]) - 1]}`)).toEqual([]);
  expect(lines.filter((l) => / pass$/.test(l))).toHaveLength(cmds.length);
}

/** `name(x) = op(x, K)` and `name_l(x) = op(K, x)` for a constant K. */
function withConst(mm: ModuleMaker, name: string, op: OpName, ty: 'i32' | 'i64', k: bigint, result: Type = ty): void {
  const c = (b: FuncBuilder) => (ty === 'i32' ? b.i32(Number(BigInt.asIntN(32, k))) : b.i64(k));
  mm.fn(name, [ty], [result], (b) => b.ret([b.wasm(op, [b.params[0]!, c(b)])!]));
  mm.fn(`${name}_l`, [ty], [result], (b) => b.ret([b.wasm(op, [c(b), b.params[0]!])!]));
}

describe('AArch64 integer immediates and checks (qemu)', () => {
  it('folds constants into add/sub/logical/compare/shift forms and falls back when they do not fit', async () => {
    const mm = new ModuleMaker();
    withConst(mm, 'add4095', 'i32.add', 'i32', 4095n);
    withConst(mm, 'add_4096k', 'i32.add', 'i32', 4096n * 5n);
    withConst(mm, 'add_big', 'i32.add', 'i32', 0x12345n);
    withConst(mm, 'sub_neg', 'i32.sub', 'i32', -7n);
    withConst(mm, 'sub_min', 'i32.sub', 'i32', -0x80000000n);
    withConst(mm, 'addl_neg', 'i64.add', 'i64', -4096n);
    withConst(mm, 'and_mask', 'i32.and', 'i32', 0xff00n);
    withConst(mm, 'and_odd', 'i32.and', 'i32', 0x12345n);
    withConst(mm, 'orl', 'i64.or', 'i64', 0x00ff00ff00ff00ffn);
    withConst(mm, 'xorl_odd', 'i64.xor', 'i64', 0x1234_5678_9abc_def0n);
    withConst(mm, 'lt_s_neg', 'i32.lt_s', 'i32', -5n, 'i32');
    withConst(mm, 'gt_u_big', 'i64.gt_u', 'i64', 0x1_0000_0000n, 'i32');
    withConst(mm, 'ge_u_4095', 'i32.ge_u', 'i32', 4095n, 'i32');
    withConst(mm, 'shl33', 'i32.shl', 'i32', 33n);
    withConst(mm, 'shrs_neg', 'i64.shr_s', 'i64', -1n);
    withConst(mm, 'rotl36', 'i32.rotl', 'i32', 36n);
    withConst(mm, 'rotl0', 'i64.rotl', 'i64', 64n);
    withConst(mm, 'mul_k', 'i64.mul', 'i64', -3n);
    await expectAllPass([mm.m], [
      'module 0',
      'assert_return "add4095" i32:1 -> i32:4096',
      'assert_return "add4095_l" i32:-4095 -> i32:0',
      'assert_return "add_4096k" i32:1 -> i32:20481',
      'assert_return "add_big" i32:-1 -> i32:0x12344',
      'assert_return "sub_neg" i32:1 -> i32:8',
      'assert_return "sub_neg_l" i32:1 -> i32:-8',
      'assert_return "sub_min" i32:1 -> i32:0x80000001',
      'assert_return "addl_neg" i64:0 -> i64:-4096',
      'assert_return "and_mask" i32:0x12345 -> i32:0x2300',
      'assert_return "and_odd_l" i32:-1 -> i32:0x12345',
      'assert_return "orl" i64:0x1000000000000000 -> i64:0x10ff00ff00ff00ff',
      'assert_return "xorl_odd" i64:-1 -> i64:0xedcba9876543210f',
      'assert_return "lt_s_neg" i32:-6 -> i32:1',
      'assert_return "lt_s_neg" i32:-5 -> i32:0',
      'assert_return "lt_s_neg_l" i32:-4 -> i32:1',
      'assert_return "lt_s_neg_l" i32:-5 -> i32:0',
      'assert_return "gt_u_big" i64:0x100000001 -> i32:1',
      'assert_return "gt_u_big_l" i64:-1 -> i32:0',
      'assert_return "gt_u_big_l" i64:5 -> i32:1',
      'assert_return "ge_u_4095" i32:-1 -> i32:1',
      'assert_return "ge_u_4095_l" i32:-1 -> i32:0',
      'assert_return "shl33" i32:3 -> i32:6',
      'assert_return "shl33_l" i32:33 -> i32:66',
      'assert_return "shrs_neg" i64:0x8000000000000000 -> i64:-1',
      'assert_return "rotl36" i32:0x80000001 -> i32:0x18',
      'assert_return "rotl0" i64:0x8000000000000001 -> i64:0x8000000000000001',
      'assert_return "rotl0_l" i64:65 -> i64:128',
      'assert_return "mul_k" i64:5 -> i64:-15',
    ]);
  });

  it('division checks with constant and variable operands', async () => {
    const mm = new ModuleMaker();
    for (const ty of ['i32', 'i64'] as const) {
      const k = (b: FuncBuilder, v: number) => (ty === 'i32' ? b.i32(v) : b.i64(v));
      mm.fn(`${ty}_div_s_m1`, [ty], [ty], (b) => b.ret([b.wasm(`${ty}.div_s`, [b.params[0]!, k(b, -1)])!]));
      mm.fn(`${ty}_rem_s_m1`, [ty], [ty], (b) => b.ret([b.wasm(`${ty}.rem_s`, [b.params[0]!, k(b, -1)])!]));
      mm.fn(`${ty}_div_u_0`, [ty], [ty], (b) => b.ret([b.wasm(`${ty}.div_u`, [b.params[0]!, k(b, 0)])!]));
      mm.fn(`${ty}_div_s_7`, [ty], [ty], (b) => b.ret([b.wasm(`${ty}.div_s`, [b.params[0]!, k(b, 7)])!]));
      mm.fn(`${ty}_rem_u`, [ty, ty], [ty], (b) => b.ret([b.wasm(`${ty}.rem_u`, [b.params[0]!, b.params[1]!])!]));
      mm.fn(`${ty}_div_s_min`, [ty], [ty], (b) => b.ret([b.wasm(`${ty}.div_s`, [ty === 'i32' ? b.i32(-0x80000000) : b.i64(-(1n << 63n)), b.params[0]!])!]));
    }
    await expectAllPass([mm.m], [
      'module 0',
      'assert_trap "i32_div_s_m1" i32:0x80000000 -> "integer overflow"',
      'assert_return "i32_div_s_m1" i32:7 -> i32:-7',
      'assert_return "i32_rem_s_m1" i32:0x80000000 -> i32:0',
      'assert_trap "i32_div_u_0" i32:7 -> "integer divide by zero"',
      'assert_return "i32_div_s_7" i32:-15 -> i32:-2',
      'assert_return "i32_rem_u" i32:-1 i32:7 -> i32:3',
      'assert_trap "i32_rem_u" i32:1 i32:0 -> "integer divide by zero"',
      'assert_trap "i32_div_s_min" i32:-1 -> "integer overflow"',
      'assert_trap "i32_div_s_min" i32:0 -> "integer divide by zero"',
      'assert_return "i32_div_s_min" i32:2 -> i32:0xc0000000',
      'assert_trap "i64_div_s_m1" i64:0x8000000000000000 -> "integer overflow"',
      'assert_return "i64_div_s_m1" i64:0x7fffffffffffffff -> i64:0x8000000000000001',
      'assert_return "i64_rem_s_m1" i64:0x8000000000000000 -> i64:0',
      'assert_trap "i64_div_u_0" i64:7 -> "integer divide by zero"',
      'assert_return "i64_div_s_7" i64:-15 -> i64:-2',
      'assert_return "i64_rem_u" i64:-1 i64:7 -> i64:1',
      'assert_trap "i64_div_s_min" i64:-1 -> "integer overflow"',
      'assert_return "i64_div_s_min" i64:-2 -> i64:0x4000000000000000',
    ]);
  });

  it('variable shifts and rotates mask their count like wasm', async () => {
    const mm = new ModuleMaker();
    for (const ty of ['i32', 'i64'] as const) {
      for (const op of ['shl', 'shr_s', 'shr_u', 'rotl', 'rotr'] as const) {
        mm.fn(`${ty}_${op}`, [ty, ty], [ty], (b) => b.ret([b.wasm(`${ty}.${op}`, [b.params[0]!, b.params[1]!])!]));
      }
    }
    await expectAllPass([mm.m], [
      'module 0',
      'assert_return "i32_shl" i32:1 i32:31 -> i32:0x80000000',
      'assert_return "i32_shl" i32:1 i32:32 -> i32:1',
      'assert_return "i32_shl" i32:1 i32:-1 -> i32:0x80000000',
      'assert_return "i32_shr_s" i32:0x80000000 i32:63 -> i32:-1',
      'assert_return "i32_shr_u" i32:0x80000000 i32:63 -> i32:1',
      'assert_return "i32_rotl" i32:0x80000001 i32:33 -> i32:3',
      'assert_return "i32_rotl" i32:0x12345678 i32:0 -> i32:0x12345678',
      'assert_return "i32_rotl" i32:0x12345678 i32:-4 -> i32:0x81234567',
      'assert_return "i32_rotr" i32:1 i32:-31 -> i32:0x80000000',
      'assert_return "i64_shl" i64:1 i64:64 -> i64:1',
      'assert_return "i64_shl" i64:1 i64:127 -> i64:0x8000000000000000',
      'assert_return "i64_shr_s" i64:0x8000000000000000 i64:-1 -> i64:-1',
      'assert_return "i64_shr_u" i64:0x8000000000000000 i64:0x1003f -> i64:1',
      'assert_return "i64_rotl" i64:0x8000000000000001 i64:65 -> i64:3',
      'assert_return "i64_rotl" i64:1 i64:0 -> i64:1',
      'assert_return "i64_rotr" i64:1 i64:0xffffffff00000001 -> i64:0x8000000000000000',
    ]);
  });
});

describe('AArch64 floats (qemu)', () => {
  it('rounding, sqrt, NaN propagation, demote/promote, reinterpret and float select', async () => {
    const mm = new ModuleMaker();
    const un = (name: string, op: OpName, p: Type, r: Type) => mm.fn(name, [p], [r], (b) => b.ret([b.wasm(op, [b.params[0]!])!]));
    un('fceil', 'f32.ceil', 'f32', 'f32');
    un('dfloor', 'f64.floor', 'f64', 'f64');
    un('dtrunc', 'f64.trunc', 'f64', 'f64');
    un('fnearest', 'f32.nearest', 'f32', 'f32');
    un('dsqrt', 'f64.sqrt', 'f64', 'f64');
    un('demote', 'f32.demote_f64', 'f64', 'f32');
    un('promote', 'f64.promote_f32', 'f32', 'f64');
    un('fbits', 'i32.reinterpret_f32', 'f32', 'i32');
    un('dfrom', 'f64.reinterpret_i64', 'i64', 'f64');
    un('cvt_s', 'f32.convert_i32_s', 'i32', 'f32');
    un('cvt_l_s', 'f64.convert_i64_s', 'i64', 'f64');
    mm.fn('dmax', ['f64', 'f64'], ['f64'], (b) => b.ret([b.wasm('f64.max', b.params)!]));
    // fsel(a, b) = a < b ? a : b (fused fcmp + fcsel); fsel0(a) = a >= 0 ? 1.5 : -2.5
    mm.fn('fsel', ['f64', 'f64'], ['f64'], (b) => b.ret([b.select(b.params[0]!, b.params[1]!, b.op('f64.lt', b.params))]));
    mm.fn('fsel0', ['f32'], ['f32'], (b) => b.ret([b.select(b.f32(1.5), b.f32(-2.5), b.op('f32.ge', [b.params[0]!, b.f32(0)]))]));
    mm.fn('isel', ['i64', 'i64', 'i32'], ['i64'], (b) => b.ret([b.select(b.params[0]!, b.params[1]!, b.params[2]!)]));
    mm.fn('iselz', ['i32'], ['i64'], (b) => b.ret([b.select(b.i64(0), b.i64(-1), b.params[0]!)]));
    await expectAllPass([mm.m], [
      'module 0',
      `assert_return "fceil" ${F(-0.5)} -> ${F(-0)}`,
      `assert_return "fceil" ${F(1.25)} -> ${F(2)}`,
      `assert_return "dfloor" ${D(-0.5)} -> ${D(-1)}`,
      `assert_return "dtrunc" ${D(-1.75)} -> ${D(-1)}`,
      `assert_return "fnearest" ${F(0.5)} -> ${F(0)}`,
      `assert_return "fnearest" ${F(1.5)} -> ${F(2)}`,
      `assert_return "fnearest" ${F(-0.5)} -> ${F(-0)}`,
      `assert_return "dsqrt" ${D(2)} -> ${D(Math.SQRT2)}`,
      `assert_return "dsqrt" ${D(-1)} -> f64:nan:canonical`,
      `assert_return "demote" ${D(1e300)} -> ${F(Infinity)}`,
      `assert_return "demote" f64:0x7ff4000000000000 -> f32:nan:arithmetic`,
      `assert_return "promote" ${F(0.1)} -> ${D(Math.fround(0.1))}`,
      `assert_return "fbits" ${F(-0)} -> i32:0x80000000`,
      `assert_return "dfrom" i64:0 -> ${D(0)}`,
      `assert_return "dfrom" i64:0x3ff0000000000000 -> ${D(1)}`,
      `assert_return "cvt_s" i32:-16777217 -> ${F(-16777216)}`,
      `assert_return "cvt_l_s" i64:0x8000000000000000 -> ${D(-9223372036854775808)}`,
      `assert_return "dmax" ${D(-0)} ${D(0)} -> ${D(0)}`,
      `assert_return "dmax" f64:0x7ff8000000000000 ${D(1)} -> f64:nan:canonical`,
      `assert_return "fsel" ${D(1)} ${D(2)} -> ${D(1)}`,
      `assert_return "fsel" ${D(3)} ${D(2)} -> ${D(2)}`,
      `assert_return "fsel" f64:0x7ff8000000000000 ${D(2)} -> ${D(2)}`,
      `assert_return "fsel0" ${F(-0)} -> ${F(1.5)}`,
      `assert_return "fsel0" ${F(-1)} -> ${F(-2.5)}`,
      `assert_return "fsel0" f32:0x7fc00000 -> ${F(-2.5)}`,
      'assert_return "isel" i64:1 i64:2 i32:0 -> i64:2',
      'assert_return "isel" i64:1 i64:2 i32:0x80000000 -> i64:1',
      'assert_return "iselz" i32:5 -> i64:0',
      'assert_return "iselz" i32:0 -> i64:-1',
    ]);
  });
});

describe('AArch64 memory addressing (qemu)', () => {
  it.each(['guard', 'explicit'] as const)('offsets beyond the immediate forms, constant addresses and out-of-bounds accesses (--bounds %s)', async (bounds) => {
    const mm = new ModuleMaker();
    mm.m.memories.push({ limits: { min: 2n, max: 2n } });
    // Offsets: 0 (register form), 4095*8 (scaled imm), 70001 (unaligned, through x16), 0xffffffff.
    for (const [name, off] of [['o0', 0n], ['oscaled', 32760n], ['obig', 70001n], ['omax', 0xffffffffn], ['o2g', 0x80000000n]] as const) {
      mm.fn(`st_${name}`, ['i32', 'i64'], [], (b) => {
        b.store('i64.store', b.params[0]!, b.params[1]!, { offset: off });
        b.ret();
      });
      mm.fn(`ld_${name}`, ['i32'], ['i64'], (b) => b.ret([b.load('i64.load', b.params[0]!, { offset: off })]));
    }
    mm.fn('ld16s_c', [], ['i32'], (b) => b.ret([b.load('i32.load16_s', b.i32(70001), { offset: 3n })]));
    mm.fn('ld_c_oob', [], ['i32'], (b) => b.ret([b.load('i32.load8_u', b.i32(-1), { offset: 1n })]));
    mm.fn('ld32s', ['i32'], ['i64'], (b) => b.ret([b.load('i64.load32_s', b.params[0]!)]));
    mm.fn('ld32u', ['i32'], ['i64'], (b) => b.ret([b.load('i64.load32_u', b.params[0]!)]));
    mm.fn('stf', ['i32', 'f64'], [], (b) => {
      b.store('f64.store', b.params[0]!, b.params[1]!, { offset: 100000n });
      b.ret();
    });
    mm.fn('ldf', ['i32'], ['f32'], (b) => b.ret([b.load('f32.load', b.params[0]!, { offset: 100004n })]));
    mm.fn('st0', ['i32'], [], (b) => {
      b.store('i32.store16', b.params[0]!, b.i32(0));
      b.ret();
    });
    await expectAllPass([mm.m], [
      'module 0',
      'assert_return "st_o0" i32:131064 i64:0x0102030405060708 -> ',
      'assert_return "ld_o0" i32:131064 -> i64:0x0102030405060708',
      'assert_trap "ld_o0" i32:131065 -> "out of bounds memory access"',
      'assert_return "st_oscaled" i32:8 i64:-2 -> ',
      'assert_return "ld_o0" i32:32768 -> i64:-2',
      'assert_return "st_obig" i32:3 i64:0x1122334455667788 -> ',
      'assert_return "ld_o0" i32:70004 -> i64:0x1122334455667788',
      'assert_return "ld_obig" i32:3 -> i64:0x1122334455667788',
      'assert_return "ld16s_c" -> i32:0x7788',
      'assert_trap "ld_obig" i32:61064 -> "out of bounds memory access"',
      'assert_trap "ld_omax" i32:0 -> "out of bounds memory access"',
      'assert_trap "st_omax" i32:-1 i64:1 -> "out of bounds memory access"',
      'assert_trap "ld_o2g" i32:0x80000000 -> "out of bounds memory access"',
      'assert_trap "ld_c_oob" -> "out of bounds memory access"',
      'assert_return "st_o0" i32:0 i64:0xfffffffe80000000 -> ',
      'assert_return "ld32s" i32:0 -> i64:0xffffffff80000000',
      'assert_return "ld32u" i32:0 -> i64:0x80000000',
      `assert_return "stf" i32:0 ${D(-1)} -> `,
      `assert_return "ldf" i32:0 -> ${F(-1.875)}`,
      'assert_return "st0" i32:5 -> ',
      'assert_return "ld_o0" i32:0 -> i64:0xff0000fe80000000',
      // The last bytes of memory: in bounds up to the end exactly, trapping one byte past it.
      'assert_return "ld_o0" i32:131064 -> i64:0x0102030405060708',
      'assert_trap "ld32s" i32:131069 -> "out of bounds memory access"',
      'assert_return "ld32u" i32:131068 -> i64:0x01020304',
    ], 0, bounds);
  });
});

describe('AArch64 control flow and calls (qemu)', () => {
  it('a 40-way br_table with block arguments, and a loop through it', async () => {
    const mm = new ModuleMaker();
    mm.fn('sw', ['i32', 'i64'], ['i64'], (b) => {
      const join = b.block(['i64', 'i32']);
      const cases = Array.from({ length: 40 }, () => b.block(['i64']));
      const x = b.params[1]!;
      b.brTable(b.params[0]!, cases.map((c) => ({ block: c, args: [x] })), { block: join, args: [x, b.i32(1000)] });
      cases.forEach((c, k) => {
        b.switchTo(c);
        const v = b.op('i64.mul', [b.blockParams(c)[0]!, b.i64(k + 1)]);
        b.br(join, [v, b.i32(k)]);
      });
      b.switchTo(join);
      const [v, k] = b.blockParams(join);
      b.ret([b.op('i64.add', [v!, b.op('i64.extend_i32_u', [k!])])]);
    });
    await expectAllPass([mm.m], [
      'module 0',
      'assert_return "sw" i32:0 i64:10 -> i64:10',
      'assert_return "sw" i32:7 i64:10 -> i64:87',
      'assert_return "sw" i32:39 i64:-1 -> i64:-1',
      'assert_return "sw" i32:40 i64:5 -> i64:1005',
      'assert_return "sw" i32:-1 i64:5 -> i64:1005',
    ]);
  });

  it('stack arguments, stack results, imports across modules, indirect calls and recursion', async () => {
    // Module 0 exports `mix` (12 i64 + 10 f64 params: both register files overflow to the stack)
    // and `many` (10 i64 results + 9 f64 results: extra results on the stack).
    const a = new ModuleMaker();
    const ip: Type[] = Array(12).fill('i64');
    const fp: Type[] = Array(10).fill('f64');
    const mix = a.fn('mix', [...ip, ...fp], ['i64'], (b) => {
      let acc = b.i64(0);
      b.params.slice(0, 12).forEach((p, k) => (acc = b.op('i64.add', [acc, b.op('i64.mul', [p, b.i64(k + 1)])])));
      let f = b.f64(0);
      b.params.slice(12).forEach((p, k) => (f = b.op('f64.add', [f, b.op('f64.mul', [p, b.f64(k + 1)])])));
      b.ret([b.op('i64.add', [acc, b.op('i64.trunc_sat_f64_s', [f])])]);
    });
    const many = a.fn('many', ['i64'], [...Array<Type>(10).fill('i64'), ...Array<Type>(9).fill('f64')], (b) => {
      const x = b.params[0]!;
      const ints = Array.from({ length: 10 }, (_, k) => b.op('i64.add', [x, b.i64(k)]));
      const fls = Array.from({ length: 9 }, (_, k) => b.op('f64.convert_i64_s', [b.op('i64.mul', [x, b.i64(k + 1)])]));
      b.ret([...ints, ...fls]);
    });
    // sum_many(x) = Σ many(x) (all 19 results, floats truncated)
    a.fn('sum_many', ['i64'], ['i64'], (b) => {
      const rs = b.call(many, [b.params[0]!]);
      let acc = b.i64(0);
      rs.slice(0, 10).forEach((r) => (acc = b.op('i64.add', [acc, r])));
      rs.slice(10).forEach((r) => (acc = b.op('i64.add', [acc, b.op('i64.trunc_sat_f64_s', [r])])));
      b.ret([acc]);
    });
    a.fn('call_mix', ['i64'], ['i64'], (b) => {
      const x = b.params[0]!;
      const ints = Array.from({ length: 12 }, (_, k) => b.op('i64.add', [x, b.i64(k)]));
      const fls = Array.from({ length: 10 }, (_, k) => b.f64(k + 0.5));
      b.ret(b.call(mix, [...ints, ...fls]));
    });
    // fib(n) recursive
    const fibType = a.m.types.length;
    const fib = a.m.funcs.length;
    a.fn('fib', ['i32'], ['i32'], (b) => {
      const n = b.params[0]!;
      const small = b.block();
      const big = b.block();
      b.brIf(b.op('i32.lt_u', [n, b.i32(2)]), small, [], big, []);
      b.switchTo(small);
      b.ret([n]);
      b.switchTo(big);
      const x = b.call(fib, [b.op('i32.sub', [n, b.i32(1)])])[0]!;
      const y = b.call(fib, [b.op('i32.sub', [n, b.i32(2)])])[0]!;
      b.ret([b.op('i32.add', [x, y])]);
    });
    void fibType;

    // Module 1 imports mix and fib from module 0 (registered as "a") and calls them, directly and via a table.
    const c = new ModuleMaker();
    c.m.types.push({ params: [...ip, ...fp], results: ['i64'] }, { params: ['i32'], results: ['i32'] });
    c.m.funcs.push({ typeIndex: 0, name: 'mix', import: { module: 'a', name: 'mix' } });
    c.m.funcs.push({ typeIndex: 1, name: 'fib', import: { module: 'a', name: 'fib' } });
    c.m.tables.push({ elemType: 'funcref', limits: { min: 2n } });
    c.m.elems.push({ type: 'funcref', mode: { kind: 'active', table: 0, offset: { kind: 'i32', value: 0 } }, items: [{ kind: 'ref.func', func: 1 }, { kind: 'ref.func', func: 0 }] });
    c.fn('imp_mix', ['i64', 'f64'], ['i64'], (b) => {
      const args = [...Array.from({ length: 12 }, () => b.params[0]!), ...Array.from({ length: 10 }, () => b.params[1]!)];
      b.ret(b.call(0, args));
    });
    c.fn('ind_fib', ['i32', 'i32'], ['i32'], (b) => b.ret(b.callIndirect(1, 0, b.params[0]!, [b.params[1]!])));

    const mixModel = (x: bigint): bigint => {
      let s = 0n;
      for (let k = 0n; k < 12n; k++) s += (x + k) * (k + 1n);
      let f = 0;
      for (let k = 0; k < 10; k++) f += (k + 0.5) * (k + 1);
      return s + BigInt(Math.trunc(f));
    };
    const manyModel = (x: bigint): bigint => {
      let s = 0n;
      for (let k = 0n; k < 10n; k++) s += x + k;
      for (let k = 1n; k <= 9n; k++) s += x * k;
      return s;
    };
    await expectAllPass([a.m, c.m], [
      'module 0 $a',
      `assert_return "call_mix" i64:3 -> i64:${mixModel(3n)}`,
      `assert_return "call_mix" i64:-100 -> i64:${mixModel(-100n)}`,
      `assert_return "sum_many" i64:7 -> i64:${manyModel(7n)}`,
      'assert_return "fib" i32:20 -> i32:6765',
      'register "a" $a',
      'module 1 $c',
      `assert_return $c "imp_mix" i64:2 ${D(2)} -> i64:${2n * 78n + 110n}`,
      'assert_return $c "ind_fib" i32:0 i32:15 -> i32:610',
      'assert_trap $c "ind_fib" i32:1 i32:15 -> "indirect call type mismatch"',
      'assert_trap $c "ind_fib" i32:2 i32:15 -> "undefined element"',
    ]);
  });
});
