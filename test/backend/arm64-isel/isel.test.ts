/**
 * AArch64 instruction selection and emission, inspected without running: which
 * instructions isel picks (addressing modes, fused compares, explicit division checks,
 * jump tables, immediates), and what emit.ts lays out around them (stack check, trap
 * stubs and trap sites, fallthrough, epilogues, trampolines). Execution is covered under
 * qemu in test/native-arm64/.
 */
import { describe, expect, it } from 'vitest';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import { insertBoundsChecks } from '../../../src/ir/passes/check-elim.js';
import { CompileError, compileIrModule } from '../../../src/backend/compile.js';
import { allocateRegisters } from '../../../src/backend/regalloc/index.js';
import { A64_BACKEND, emitFunction } from '../../../src/backend/arm64/emit.js';
import { A64_ISA, type A64Inst } from '../../../src/backend/arm64/inst.js';
import { selectFunction, selectTrampoline, type Selected } from '../../../src/backend/arm64/isel.js';
import { FuncBuilder } from '../../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../../src/ir/module.js';
import { TrapCode } from '../../../src/ir/traps.js';
import type { Type } from '../../../src/ir/types.js';
import { VMCTX } from '../../../src/backend/vmctx.js';
import { XZR } from '../../../src/backend/arm64/regs.js';

function oneFunc(params: Type[], results: Type[], body: (b: FuncBuilder) => void, setup?: (m: IrModule) => void): { m: IrModule; sel: Selected } {
  const m = emptyModule();
  setup?.(m);
  const ti = m.types.length;
  m.types.push({ params, results });
  const b = new FuncBuilder('f', m.types[ti]!, moduleTypeEnv(m));
  body(b);
  m.funcs.push({ typeIndex: ti, name: 'f', body: b.finish() });
  return { m, sel: selectFunction(m, m.funcs.length - 1, m.funcs[m.funcs.length - 1]!.body!, { symbolOf: () => 'f' }) };
}

const insts = (s: Selected): A64Inst[] => s.mfunc.blocks.flatMap((b) => b.insts);
const ops = (s: Selected): string[] => insts(s).map((i) => i.op);
const withMem = (m: IrModule) => m.memories.push({ limits: { min: 1n } });

/** Allocates and emits; returns the code words and the finished code. */
function emitWords(sel: Selected) {
  const alloc = allocateRegisters(sel.mfunc, A64_ISA, { check: true });
  const buf = new CodeBuffer();
  emitFunction(sel, alloc, buf);
  const code = buf.finish();
  const dv = new DataView(code.bytes.buffer, code.bytes.byteOffset);
  const words = Array.from({ length: code.bytes.length / 4 }, (_, k) => dv.getUint32(4 * k, true));
  return { code, words };
}

describe('AArch64 isel: memory', () => {
  it('uses [base, wIdx, uxtw] when the static offset is 0', () => {
    const { sel } = oneFunc(['i32'], ['i32'], (b) => b.ret([b.load('i32.load', b.params[0]!)]), withMem);
    const ld = insts(sel).find((i) => i.op === 'ldr' && i.trap !== undefined) as A64Inst & { op: 'ldr' };
    expect(ld.am).toMatchObject({ k: 'reg', ext: 'uxtw' });
    expect(ld.trap).toBe(TrapCode.OutOfBoundsMemoryAccess);
  });

  it('adds zext(index) to the base and keeps the static offset (up to 2^32-1) as the displacement', () => {
    const { sel } = oneFunc(['i32', 'i64'], [], (b) => {
      b.store('i64.store', b.params[0]!, b.params[1]!, { offset: 0xffffffffn });
      b.ret();
    }, withMem);
    const add = insts(sel).find((i) => i.op === 'alux') as A64Inst & { op: 'alux' };
    expect(add).toMatchObject({ fn: 'add', size: 64, ext: 'uxtw' });
    const st = insts(sel).find((i) => i.op === 'str') as A64Inst & { op: 'str' };
    expect(st.am).toEqual({ k: 'imm', base: add.rd, off: 0xffffffff });
    // The encoder materialises the offset in x16 and still records the trap at the access.
    const { code, words } = emitWords(sel);
    const site = code.trapSites.find((t) => t.code === TrapCode.OutOfBoundsMemoryAccess)!;
    expect((words[site.offset / 4]! & 0xfffffc00) >>> 0).toBe((0xf8206800 | (16 << 16)) >>> 0); // str xT, [xN, x16]
  });

  it('stores zero from xzr and folds a constant address into the displacement', () => {
    const { sel } = oneFunc([], [], (b) => {
      b.store('i32.store', b.i32(64), b.i32(0), { offset: 4n });
      b.ret();
    }, withMem);
    const st = insts(sel).find((i) => i.op === 'str') as A64Inst & { op: 'str' };
    expect(A64_ISA.format(st)).toMatch(/^str wzr, \[.*, #68\]$/);
  });
});

describe('AArch64 isel: arithmetic', () => {
  it('division: explicit zero and overflow checks branch to trap stubs; sdiv itself never traps', () => {
    const { sel } = oneFunc(['i32', 'i32'], ['i32'], (b) => b.ret([b.wasm('i32.div_s', b.params)!]));
    expect(ops(sel)).toEqual(expect.arrayContaining(['bif', 'ccmp', 'dp2']));
    const bifs = insts(sel).filter((i): i is A64Inst & { op: 'bif' } => i.op === 'bif');
    expect(bifs.map((i) => sel.trapStubs[i.label])).toEqual([TrapCode.IntegerDivideByZero, TrapCode.IntegerOverflow]);
    expect(bifs[0]!.test).toMatchObject({ k: 'zero', nz: false, size: 32 });
  });

  it('division by a non-zero, non-(-1) constant needs no check; rem_s is sdiv + msub', () => {
    const { sel } = oneFunc(['i64'], ['i64'], (b) => b.ret([b.wasm('i64.rem_s', [b.params[0]!, b.i64(7)])!]));
    expect(ops(sel)).not.toContain('bif');
    expect(insts(sel).filter((i) => i.op === 'dp2' || i.op === 'madd').map((i) => `${i.op}:${(i as { fn: string }).fn}`)).toEqual(['dp2:sdiv', 'madd:msub']);
  });

  it('folds immediates: add/sub imm12, logical bitmasks, compares, shifts; rotl by a variable negates the count', () => {
    const { sel } = oneFunc(['i32', 'i64'], ['i32'], (b) => {
      const [x, y] = b.params;
      const a = b.op('i32.add', [x!, b.i32(-4095)]);
      const c = b.op('i32.and', [a, b.i32(0xff)]);
      const d = b.op('i32.shl', [c, b.i32(35)]);
      const e = b.op('i32.rotl', [d, x!]);
      const f = b.op('i64.lt_u', [y!, b.i64(100)]);
      b.ret([b.op('i32.add', [e, f])]);
    });
    const text = insts(sel).map((i) => A64_ISA.format(i)).join('\n');
    expect(text).toMatch(/^sub %w\S+, %w\S+, #0xfff$/m);
    expect(text).toMatch(/^and %w\S+, %w\S+, #0xff$/m);
    expect(text).toMatch(/^lsl %w\S+, %w\S+, #3$/m);
    expect(text).toMatch(/^neg %w/m);
    expect(text).toMatch(/^ror %w\S+, %w\S+, %w/m);
    expect(text).toMatch(/^cmp %x\S+, #0x64$/m);
    expect(ops(sel)).not.toContain('movconst');
  });

  it('fuses a compare into br_if and select', () => {
    const { sel } = oneFunc(['f64', 'f64'], ['f64'], (b) => {
      const [x, y] = b.params;
      const t = b.block();
      const e = b.block();
      b.brIf(b.op('f64.gt', [x!, y!]), t, [], e, []);
      b.switchTo(t);
      b.ret([b.select(x!, y!, b.op('f64.lt', [x!, y!]))]);
      b.switchTo(e);
      b.ret([y!]);
    });
    const is = insts(sel);
    expect(is.filter((i) => i.op === 'fcmp')).toHaveLength(2);
    expect(is.find((i) => i.op === 'brif')).toMatchObject({ test: { k: 'cond', cond: 'gt' } });
    expect(is.find((i) => i.op === 'fcsel')).toMatchObject({ cond: 'mi' });
    expect(ops(sel)).not.toContain('csel');
  });

  it('trapping truncation checks NaN (invalid conversion) and both bounds (overflow) before fcvtzs', () => {
    const { sel } = oneFunc(['f64'], ['i32'], (b) => b.ret([b.wasm('i32.trunc_f64_s', b.params)!]));
    const bifs = insts(sel).filter((i): i is A64Inst & { op: 'bif' } => i.op === 'bif');
    expect(bifs.map((i) => [i.test.k === 'cond' ? i.test.cond : '', sel.trapStubs[i.label]])).toEqual([
      ['vs', TrapCode.InvalidConversionToInteger],
      ['ge', TrapCode.IntegerOverflow],
      ['le', TrapCode.IntegerOverflow],
    ]);
    expect(insts(sel).find((i) => i.op === 'f2i')).toMatchObject({ signed: true, fsize: 64, isize: 32 });
  });
});

describe('AArch64 isel: control flow and calls', () => {
  it('br_table becomes a jumptable whose edges carry the block arguments', () => {
    const { sel } = oneFunc(['i32'], ['i32'], (b) => {
      const j = b.block(['i32']);
      b.brTable(b.params[0]!, [0, 1, 2].map((k) => ({ block: j, args: [b.i32(k * 10)] })), { block: j, args: [b.i32(-1)] });
      b.switchTo(j);
      b.ret([b.blockParams(j)[0]!]);
    });
    const jt = insts(sel).find((i) => i.op === 'jumptable') as A64Inst & { op: 'jumptable' };
    expect(jt.targets).toHaveLength(3);
    for (const t of [...jt.targets, jt.dflt]) expect(sel.mfunc.blocks[t]!.insts.at(-1)).toMatchObject({ op: 'jump' });
    const { words } = emitWords(sel);
    expect(words).toContain(0xd61f0200); // br x16
  });

  it('passes vmctx in x0, stack arguments at [sp], and zero-extends i32 results', () => {
    const params: Type[] = Array(9).fill('i64');
    const { sel } = oneFunc(['i64'], ['i32'], (b) => {
      b.ret(b.call(0, Array(9).fill(b.params[0]!)));
    }, (m) => {
      m.types.push({ params, results: ['i32'] });
      m.funcs.push({ typeIndex: 0, name: 'g', import: { module: 'env', name: 'g' } });
    });
    const call = insts(sel).find((i) => i.op === 'blr') as A64Inst & { op: 'blr' };
    expect(call.args.map((a) => a.loc)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sel.outgoingBytes).toBe(16);
    const is = insts(sel);
    expect(is.some((i) => i.op === 'str' && i.am.k === 'imm' && i.am.off === 0)).toBe(true);
    expect(is[is.indexOf(call) + 1]).toMatchObject({ op: 'mov', size: 32 });
  });
});

describe('AArch64 emission', () => {
  it('checks the stack limit first, drops jumps to the next block and puts trap stubs after the code', () => {
    const { sel } = oneFunc(['i32', 'i32'], ['i32'], (b) => {
      const l = b.block(['i32']);
      b.br(l, [b.wasm('i32.div_u', b.params)!]);
      b.switchTo(l);
      b.ret([b.blockParams(l)[0]!]);
    });
    const { code, words } = emitWords(sel);
    // sub x17, sp, #16 ; ldr x16, [x0, #stack_limit] ; cmp x17, x16 ; b.lo stub
    expect(words[1]).toBe((0xf9400010 | ((VMCTX.stackLimit / 8) << 10)) >>> 0);
    expect(words[2]).toBe(0xeb10023f);
    expect(words[3]! & 0xff00001f).toBe(0x54000003);
    expect(words.filter((w) => (w & 0xfc000000) === 0x14000000)).toHaveLength(0); // no unconditional b
    expect(code.trapSites.map((t) => t.code).sort()).toEqual([TrapCode.IntegerDivideByZero, TrapCode.CallStackExhausted].sort());
    for (const t of code.trapSites) expect(words[t.offset / 4]).toBe(t.code); // udf #code
    const ret = words.indexOf(0xd65f03c0);
    expect(ret).toBeGreaterThan(0);
    expect(code.trapSites.every((t) => t.offset / 4 > ret)).toBe(true);
  });

  it('trampolines have no stack check and call through x0 with vmctx from x1', () => {
    const sel = selectTrampoline({ params: ['i32', 'f64'], results: ['i32'] }, 't');
    expect(sel.stackCheck).toBe(false);
    const { code, words } = emitWords(sel);
    expect(code.trapSites).toEqual([]);
    expect(words[0]).toBe(0xa9bf7bfd); // stp x29, x30, [sp, #-16]!
  });

  it('rejects SIMD modules with a clear error and compiles deterministically', () => {
    const { m } = oneFunc([], [], (b) => b.ret());
    const o1 = compileIrModule(m, { target: 'aarch64' }).object;
    const o2 = compileIrModule(m, { target: 'aarch64' }).object;
    expect(Buffer.from(o1).equals(Buffer.from(o2))).toBe(true);
    const s = emptyModule();
    s.types.push({ params: ['v128'], results: [] });
    const b = new FuncBuilder('v', s.types[0]!, moduleTypeEnv(s));
    b.ret();
    s.funcs.push({ typeIndex: 0, name: 'v', body: b.finish() });
    expect(() => A64_BACKEND.checkModule(s)).toThrow(CompileError);
    expect(() => compileIrModule(s, { target: 'aarch64' })).toThrow('SIMD is not yet supported by the AArch64 backend');
  });
});

describe('AArch64 isel: zero tests', () => {
  it('br_if on eqz / == 0 / != 0 becomes cbz / cbnz without a compare', () => {
    for (const [op, nz] of [['i64.eqz', false], ['i32.eq', false], ['i32.ne', true]] as const) {
      const { sel } = oneFunc(['i64', 'i32'], ['i32'], (b) => {
        const t = b.block();
        const e = b.block();
        const c = op === 'i64.eqz' ? b.op(op, [b.params[0]!]) : b.op(op, [b.i32(0), b.params[1]!]);
        b.brIf(c, t, [], e, []);
        b.switchTo(t);
        b.ret([b.i32(1)]);
        b.switchTo(e);
        b.ret([b.i32(2)]);
      });
      const br = insts(sel).find((i) => i.op === 'brif') as A64Inst & { op: 'brif' };
      expect(br.test, op).toMatchObject({ k: 'zero', nz, size: op.startsWith('i64') ? 64 : 32 });
      expect(ops(sel).filter((o) => o === 'alu' || o === 'alui' || o === 'csel'), op).toEqual([]);
    }
  });
});

describe('AArch64 isel: --bounds explicit', () => {
  it('compares zext(index) + offset + size with the current bound before the access', () => {
    const m = emptyModule();
    m.memories.push({ limits: { min: 1n } });
    m.types.push({ params: ['i32'], results: ['i64'] });
    const b = new FuncBuilder('f', m.types[0]!, moduleTypeEnv(m));
    b.ret([b.load('i64.load', b.params[0]!, { offset: 100n })]);
    m.funcs.push({ typeIndex: 0, name: 'f', body: b.finish() });
    const checked = m.funcs[0]!.body!.clone();
    insertBoundsChecks(checked);
    const sel = selectFunction(m, 0, checked, { symbolOf: () => 'f', explicitBounds: true });
    const is = insts(sel);
    expect(is.find((i) => i.op === 'movconst' && i.imm === 108n)).toBeDefined();
    expect(is.find((i) => i.op === 'ldr' && i.am.k === 'imm' && i.am.off === VMCTX.mem0Bound)).toBeDefined();
    const check = is.find((i): i is A64Inst & { op: 'bif' } => i.op === 'bif')!;
    expect(check.test).toEqual({ k: 'cond', cond: 'hi' });
    expect(sel.trapStubs[check.label]).toBe(TrapCode.OutOfBoundsMemoryAccess);
    expect(is.indexOf(check)).toBeLessThan(is.findIndex((i) => i.op === 'ldr' && i.trap !== undefined));
    const guard = selectFunction(m, 0, m.funcs[0]!.body!, { symbolOf: () => 'f' });
    expect(ops(guard)).not.toContain('bif');
  });
});

describe('AArch64 isel: operand fusion', () => {
  it('folds a constant shift into the shifted-register operand of add/sub/eor', () => {
    const { sel } = oneFunc(['i32', 'i32', 'i64', 'i64'], ['i32', 'i64'], (b) => {
      const [x, y, p, q] = b.params as [number, number, number, number];
      const s = b.op('i32.sub', [x, b.op('i32.shl', [y, b.i32(3)])]);
      const t = b.op('i64.xor', [b.op('i64.shr_u', [q, b.i64(7n)]), p]);
      b.ret([s, t]);
    });
    const all = insts(sel);
    expect(all.some((i) => i.op === 'shifti')).toBe(false);
    expect(all.filter((i) => i.op === 'alu')).toMatchObject([
      { fn: 'sub', size: 32, shift: 'lsl', amount: 3 },
      { fn: 'eor', size: 64, shift: 'lsr', amount: 7 },
    ]);
  });

  it('fuses a single-use multiply into madd/msub, and not a shift into the first operand of sub', () => {
    const { sel } = oneFunc(['i32', 'i32', 'i32'], ['i32', 'i32'], (b) => {
      const [x, y, z] = b.params as [number, number, number];
      const m1 = b.op('i32.add', [b.op('i32.mul', [x, y]), z]);
      const m2 = b.op('i32.sub', [b.op('i32.shl', [x, b.i32(2)]), z]);
      b.ret([m1, m2]);
    });
    const all = insts(sel);
    expect(all.filter((i) => i.op === 'madd')).toMatchObject([{ fn: 'madd', size: 32 }]);
    expect(all.filter((i) => i.op === 'madd' && i.ra === XZR)).toHaveLength(0);
    expect(all.some((i) => i.op === 'shifti' && i.fn === 'lsl' && i.amount === 2)).toBe(true);
  });
});
