import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../../src/ir/module.js';
import type { Func } from '../../../src/ir/func.js';
import { selectFunction } from '../../../src/backend/x64/isel.js';
import type { X64Inst } from '../../../src/backend/x64/inst.js';
import { Cond } from '../../../src/backend/x64/inst.js';
import { insertBoundsChecks } from '../../../src/ir/passes/check-elim.js';
import { CompileError, compileIrModule } from '../../../src/backend/compile.js';

function oneFunc(params: ('i32' | 'i64' | 'v128')[], results: ('i32' | 'i64' | 'v128')[], body: (b: FuncBuilder) => void): { m: IrModule; f: Func } {
  const m = emptyModule();
  m.memories.push({ limits: { min: 1n } });
  m.types.push({ params, results });
  const b = new FuncBuilder('f', m.types[0]!, moduleTypeEnv(m));
  body(b);
  const f = b.finish();
  m.funcs.push({ typeIndex: 0, name: 'f', body: f });
  m.exports.push({ name: 'f', kind: 'func', index: 0 });
  return { m, f };
}

function insts(m: IrModule, f: Func): X64Inst[] {
  return selectFunction(m, 0, f, { symbolOf: () => 'f' }).mfunc.blocks.flatMap((b) => b.insts);
}

describe('x86-64 isel', () => {
  it('folds a wasm offset below 2^31 into the displacement of [base + index]', () => {
    const { m, f } = oneFunc(['i32'], ['i32'], (b) => b.ret([b.load('i32.load', b.params[0]!, { offset: 16n })]));
    const ld = insts(m, f).find((i) => i.op === 'load' && i.trap !== undefined);
    expect(ld).toMatchObject({ op: 'load', width: 32, mem: { kind: 'addr', scale: 1, disp: 16 } });
    expect(ld?.op === 'load' && ld.mem.kind === 'addr' && ld.mem.index !== undefined).toBe(true);
  });

  it('adds a 64-bit constant for offsets ≥ 2^31 instead of a wrapping displacement', () => {
    const { m, f } = oneFunc(['i32'], ['i32'], (b) => b.ret([b.load('i32.load', b.params[0]!, { offset: 0x9000_0000n })]));
    const all = insts(m, f);
    const ld = all.find((i) => i.op === 'load' && i.trap !== undefined);
    expect(ld).toMatchObject({ mem: { kind: 'addr', disp: 0 } });
    expect(all.some((i) => i.op === 'mov_ri' && i.imm === 0x9000_0000n && i.size === 64)).toBe(true);
  });

  it('fuses a compare into the branch and uses immediates', () => {
    const { m, f } = oneFunc(['i32'], ['i32'], (b) => {
      const t = b.block();
      const e = b.block();
      b.brIf(b.op('i32.lt_s', [b.params[0]!, b.i32(100)]), t, [], e, []);
      b.switchTo(t);
      b.ret([b.op('i32.add', [b.params[0]!, b.i32(5)])]);
      b.switchTo(e);
      b.ret([b.i32(0)]);
    });
    const all = insts(m, f);
    expect(all.some((i) => i.op === 'setcc')).toBe(false);
    const k = all.findIndex((i) => i.op === 'jcc');
    expect(all[k]).toMatchObject({ op: 'jcc', cc: Cond.L });
    expect(all[k - 1]).toMatchObject({ op: 'alu_ri', aop: 'cmp', imm: 100 });
    expect(all.some((i) => i.op === 'alu_ri' && i.aop === 'add' && i.imm === 5)).toBe(true);
  });

  it('lowers br_table to one jump table that branches to the default itself', () => {
    const { m, f } = oneFunc(['i32'], ['i32'], (b) => {
      const bs = [b.block(), b.block(), b.block()];
      b.brTable(b.params[0]!, [{ block: bs[0]!, args: [] }, { block: bs[1]!, args: [] }], { block: bs[2]!, args: [] });
      bs.forEach((x, k) => {
        b.switchTo(x);
        b.ret([b.i32(k)]);
      });
    });
    const all = insts(m, f);
    const jt = all.find((i) => i.op === 'jmp_table');
    expect(jt?.op === 'jmp_table' && jt.targets.length).toBe(2);
    expect(jt?.op === 'jmp_table' && jt.dflt !== undefined && !jt.targets.includes(jt.dflt)).toBe(true);
    expect(all.some((i) => i.op === 'cmov' || i.op === 'jcc')).toBe(false);
  });

  it('checks index + offset + size against the current bound in explicit mode', () => {
    const { m, f } = oneFunc(['i32'], ['i32'], (b) => b.ret([b.load('i32.load', b.params[0]!, { offset: 16n })]));
    const checked = f.clone();
    insertBoundsChecks(checked);
    const all = selectFunction(m, 0, checked, { symbolOf: () => 'f', explicitBounds: true }).mfunc.blocks.flatMap((b) => b.insts);
    const k = all.findIndex((i) => i.op === 'trap_if');
    expect(all[k]).toMatchObject({ op: 'trap_if', cc: Cond.A, code: 5 });
    expect(all.some((i) => i.op === 'lea' && i.mem.kind === 'addr' && i.mem.disp === 20)).toBe(true);
    expect(insts(m, f).some((i) => i.op === 'trap_if')).toBe(false);
  });

  it('adds with lea when the first operand lives on, with mov + add when it dies', () => {
    const { m, f } = oneFunc(['i32', 'i32'], ['i32'], (b) => {
      const x = b.op('i32.add', [b.params[0]!, b.i32(7)]);
      const y = b.op('i32.add', [b.params[0]!, b.params[1]!]);
      b.ret([b.op('i32.xor', [x, y])]);
    });
    const all = insts(m, f);
    expect(all.filter((i) => i.op === 'lea')).toMatchObject([{ size: 32, mem: { kind: 'addr', disp: 7 } }]);
    expect(all.some((i) => i.op === 'alu_rr' && i.aop === 'add')).toBe(true);
  });

  it('folds a shift by 1-3 into the lea of its single add', () => {
    const { m, f } = oneFunc(['i32', 'i32'], ['i32'], (b) => b.ret([b.op('i32.add', [b.params[0]!, b.op('i32.shl', [b.params[1]!, b.i32(2)])])]));
    const all = insts(m, f);
    expect(all.some((i) => i.op === 'shift_ri')).toBe(false);
    expect(all.filter((i) => i.op === 'lea')).toMatchObject([{ size: 32, mem: { kind: 'addr', scale: 4, disp: 0 } }]);
  });

  it('uses a base-less [x*scale + disp] lea for a shifted index plus a constant', () => {
    const { m, f } = oneFunc(['i64'], ['i64'], (b) => b.ret([b.op('i64.add', [b.i64(100n), b.op('i64.shl', [b.params[0]!, b.i64(3n)])])]));
    const lea = insts(m, f).find((i) => i.op === 'lea');
    expect(lea).toMatchObject({ size: 64, mem: { kind: 'addr', scale: 8, disp: 100 } });
    expect(lea?.op === 'lea' && lea.mem.kind === 'addr' && lea.mem.base === undefined).toBe(true);
  });

  it('keeps a shift used twice as its own instruction', () => {
    const { m, f } = oneFunc(['i32', 'i32'], ['i32'], (b) => {
      const s = b.op('i32.shl', [b.params[1]!, b.i32(1)]);
      b.ret([b.op('i32.mul', [b.op('i32.add', [b.params[0]!, s]), s])]);
    });
    expect(insts(m, f).some((i) => i.op === 'shift_ri' && i.imm === 1)).toBe(true);
  });

  it('folds a single-use load into the SSE/ALU operation that consumes it', () => {
    const { m, f } = oneFunc(['i32', 'i32'], ['i32'], (b) => {
      const x = b.op('f64.convert_i32_s', [b.params[0]!]);
      const y = b.op('f64.add', [b.load('f64.load', b.params[1]!, { offset: 8n }), x]);
      const z = b.op('i32.sub', [b.op('i32.trunc_sat_f64_s', [y]), b.load('i32.load', b.params[1]!)]);
      b.ret([z]);
    });
    const all = insts(m, f);
    expect(all.some((i) => i.op === 'xload' || (i.op === 'load' && i.trap !== undefined))).toBe(false);
    expect(all.find((i) => i.op === 'sse' && i.sop === 'addsd')).toMatchObject({ src: { kind: 'addr', disp: 8 }, trap: 5 });
    expect(all.find((i) => i.op === 'alu_rm')).toMatchObject({ aop: 'sub', size: 32, trap: 5 });
  });

  it('does not move a load past a store', () => {
    const { m, f } = oneFunc(['i32', 'i32'], ['i32'], (b) => {
      const v = b.load('i32.load', b.params[1]!);
      b.store('i32.store', b.params[0]!, b.i32(7));
      b.ret([b.op('i32.add', [b.params[0]!, v])]);
    });
    const all = insts(m, f);
    const ld = all.findIndex((i) => i.op === 'load' && i.trap !== undefined);
    const st = all.findIndex((i) => i.op === 'store_imm');
    expect(ld).toBeGreaterThanOrEqual(0);
    expect(ld).toBeLessThan(st);
    expect(all.some((i) => i.op === 'alu_rm')).toBe(false);
  });

  it('trusts the zero-extended i32 result of a direct call to a kiln function', () => {
    const { m, f } = oneFunc(['i32'], ['i32'], (b) => b.ret([b.op('i32.xor', [b.call(0, [b.params[0]!], ['i32'])[0]!, b.i32(1)])]));
    const all = insts(m, f);
    const k = all.findIndex((i) => i.op === 'call');
    expect(k).toBeGreaterThan(0);
    expect(all.slice(k).some((i) => i.op === 'ext_rr')).toBe(false);
  });

  it('rejects SIMD with a clear error', () => {
    const { m } = oneFunc(['v128'], ['v128'], (b) => b.ret([b.params[0]!]));
    expect(() => compileIrModule(m, { target: 'x86_64' })).toThrow(CompileError);
    expect(() => compileIrModule(m, { target: 'x86_64' })).toThrow('SIMD is not yet supported by the x86-64 backend');
  });
});
