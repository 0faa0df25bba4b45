import { describe, expect, it } from 'vitest';
import { isPure, lookupOp, opcode, OPS, opInfo } from '../../src/ir/opcodes.js';
import { TrapCode, TRAP_MESSAGES, trapFromName, trapName } from '../../src/ir/traps.js';
import { WASM_NUMERIC } from './wasm-names.js';

const WASM_MEMORY_TABLE = `
i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u
i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16 i64.store32
memory.size memory.grow memory.init data.drop memory.copy memory.fill
table.get table.set table.init elem.drop table.copy table.grow table.size table.fill
ref.null ref.is_null ref.func global.get global.set select
i32.const i64.const f32.const f64.const call
`.trim().split(/\s+/);

const SIMD_PREFIX = /^(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./;

describe('op table', () => {
  it('has every Wasm numeric op under its Wasm name (136 of them)', () => {
    expect(WASM_NUMERIC).toHaveLength(136);
    expect(WASM_NUMERIC.filter((n) => lookupOp(n) === undefined)).toEqual([]);
  });

  it('has every Wasm memory, table, reference, global and constant op', () => {
    expect(WASM_MEMORY_TABLE.filter((n) => lookupOp(n) === undefined)).toEqual([]);
  });

  it('has all 236 SIMD ops as v128 ops', () => {
    const simd = OPS.filter((o) => SIMD_PREFIX.test(o.name));
    expect(simd).toHaveLength(236);
    for (const o of simd) {
      const types = [...(o.params ?? []), ...(o.results ?? [])];
      expect(types).toContain('v128');
    }
  });

  it('numbers ops densely and names them uniquely', () => {
    OPS.forEach((o, k) => expect(o.code).toBe(k));
    expect(new Set(OPS.map((o) => o.name)).size).toBe(OPS.length);
    expect(opInfo(opcode('i32.add')).name).toBe('i32.add');
  });

  it('makes Wasm trapping arithmetic explicit: checks trap, the arithmetic does not', () => {
    const divS = opInfo(opcode('i32.div_s'));
    expect(divS.traps).toEqual([]);
    expect(divS.requires).toEqual(['i32.check_nonzero', 'i32.check_div_s']);
    expect(divS.speculatable).toBe(false);
    expect(opInfo(opcode('i64.rem_s')).requires).toEqual(['i64.check_nonzero']);
    expect(opInfo(opcode('i32.check_nonzero')).traps).toEqual([TrapCode.IntegerDivideByZero]);
    expect(opInfo(opcode('i64.check_div_s')).traps).toEqual([TrapCode.IntegerOverflow]);
    expect(opInfo(opcode('i64.trunc_f64_u')).requires).toEqual(['i64.check_trunc_f64_u']);
    expect(opInfo(opcode('i32.check_trunc_f32_s')).traps).toEqual([TrapCode.InvalidConversionToInteger, TrapCode.IntegerOverflow]);
    // Saturating truncations never trap.
    expect(isPure(opInfo(opcode('i32.trunc_sat_f32_s')))).toBe(true);
    for (const o of OPS) for (const r of o.requires) expect(lookupOp(r)).toBeDefined();
  });

  it('describes memory accesses', () => {
    expect(opInfo(opcode('i64.load32_s')).access).toEqual({ bytes: 4, signed: true, type: 'i64' });
    expect(opInfo(opcode('v128.load8x8_u')).access).toEqual({ bytes: 8, signed: false, type: 'v128' });
    expect(opInfo(opcode('v128.store16_lane')).lanes).toBe(8);
    for (const o of OPS) {
      if (o.kind === 'load' || o.kind === 'store') {
        expect(o.access).not.toBeNull();
        expect(o.imms.slice(0, 3).map((s) => s.key)).toEqual(['mem', 'offset', 'align']);
        expect(o.traps).toEqual([TrapCode.OutOfBoundsMemoryAccess]);
      }
      if (o.imms.some((s) => s.kind === 'lane')) expect(o.lanes).toBeGreaterThan(0);
    }
  });

  it('expresses call_indirect as table.check_call + call_ref', () => {
    const check = opInfo(opcode('table.check_call'));
    expect(check.traps).toEqual([TrapCode.UndefinedElement, TrapCode.UninitializedElement, TrapCode.IndirectCallTypeMismatch]);
    expect(check.results).toEqual(['funcref']);
    expect(opInfo(opcode('call_ref')).imms.map((s) => s.space)).toEqual(['type']);
  });

  it('marks exactly the five control ops as terminators', () => {
    expect(OPS.filter((o) => o.terminator).map((o) => o.name)).toEqual(['br', 'br_if', 'br_table', 'return', 'trap']);
  });

  it('classifies purity', () => {
    expect(isPure(opInfo(opcode('f64.nearest')))).toBe(true);
    expect(isPure(opInfo(opcode('i32.load')))).toBe(false);
    expect(isPure(opInfo(opcode('global.get')))).toBe(false);
    expect(isPure(opInfo(opcode('call')))).toBe(false);
    expect(isPure(opInfo(opcode('i32.check_nonzero')))).toBe(false);
  });
});

describe('trap codes', () => {
  it('keeps stable numbers and the spec messages', () => {
    expect(TrapCode.Unreachable).toBe(1);
    expect(TrapCode.CallStackExhausted).toBe(10);
    expect(TRAP_MESSAGES.slice(1)).toEqual([
      'unreachable', 'integer divide by zero', 'integer overflow', 'invalid conversion to integer',
      'out of bounds memory access', 'out of bounds table access', 'undefined element',
      'uninitialized element', 'indirect call type mismatch', 'call stack exhausted',
    ]);
    expect(trapName(TrapCode.OutOfBoundsTableAccess)).toBe('out_of_bounds_table_access');
    expect(trapFromName('integer_overflow')).toBe(TrapCode.IntegerOverflow);
    expect(trapFromName('nope')).toBeUndefined();
  });
});
