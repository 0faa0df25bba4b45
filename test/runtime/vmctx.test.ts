import { describe, expect, it } from 'vitest';
import {
  encodeStruct,
  FUNCREF,
  generateRuntimeHeader,
  layoutOf,
  MEMORY,
  STRUCTS,
  TABLE,
  TRAP_MESSAGES,
  TrapCode,
  VMCTX,
} from '../../src/backend/vmctx.js';

describe('vmctx layout', () => {
  it('keeps the hot fields at fixed offsets', () => {
    expect(VMCTX).toEqual({
      mem0Base: 0,
      mem0Bound: 8,
      stackLimit: 16,
      memories: 24,
      globals: 32,
      tables: 40,
      funcs: 48,
      sigIds: 56,
    });
    expect(MEMORY).toEqual({ base: 0, bound: 8 });
    expect(TABLE).toEqual({ elems: 0, size: 8 });
    expect(FUNCREF).toEqual({ code: 0, vmctx: 8, sigId: 16, size: 24 });
  });

  it('aligns every field naturally', () => {
    for (const s of STRUCTS) {
      const l = layoutOf(s.name);
      for (const [name, f] of l.fields) expect(f.offset % f.size, `${s.name}.${name}`).toBe(0);
      expect(l.size % l.align).toBe(0);
    }
  });

  it('numbers traps in the agreed order with the spec messages', () => {
    expect(TrapCode.None).toBe(0);
    expect(TrapCode.Unreachable).toBe(1);
    expect(TrapCode.CallStackExhausted).toBe(10);
    expect(TRAP_MESSAGES[TrapCode.OutOfBoundsMemoryAccess]).toBe('out of bounds memory access');
    expect(TRAP_MESSAGES[TrapCode.IndirectCallTypeMismatch]).toBe('indirect call type mismatch');
    expect(TRAP_MESSAGES).toHaveLength(11);
  });

  it('generates a deterministic header with a static assert per field', () => {
    const h = generateRuntimeHeader();
    expect(generateRuntimeHeader()).toBe(h);
    expect(h).toContain('_Static_assert(offsetof(struct kiln_vmctx, stack_limit) == 16, "kiln_vmctx.stack_limit");');
    expect(h).toContain('#define KILN_OFF_vmctx_mem0_bound 8');
    expect(h).toContain('#define KILN_TRAP_STACK_EXHAUSTED 10');
    const asserts = h.match(/_Static_assert\(offsetof/g)?.length ?? 0;
    expect(asserts).toBe(STRUCTS.reduce((n, s) => n + s.fields.length, 0));
  });
});

describe('encodeStruct', () => {
  it('lays out integers little-endian and pointers as ABS64 relocations', () => {
    const e = encodeStruct('kiln_export', {
      name: { symbol: '.Lname3' },
      name_len: 5,
      kind: 0,
      index: 0x01020304,
      code: { symbol: 'wasm_f7' },
      array_call: { symbol: 'kiln_tramp_2', addend: 0 },
    });
    expect(e.bytes.length).toBe(40);
    expect(Array.from(e.bytes.subarray(8, 20))).toEqual([5, 0, 0, 0, 0, 0, 0, 0, 4, 3, 2, 1]);
    expect(e.relocs).toEqual([
      { offset: 0, symbol: '.Lname3', addend: 0 },
      { offset: 24, symbol: 'wasm_f7', addend: 0 },
      { offset: 32, symbol: 'kiln_tramp_2', addend: 0 },
    ]);
  });

  it('handles 64-bit and negative values and rejects unknown fields', () => {
    const m = encodeStruct('kiln_module', { start_func: -1, abi_version: 1 });
    expect(new DataView(m.bytes.buffer).getInt32(layoutOf('kiln_module').fields.get('start_func')!.offset, true)).toBe(-1);
    const g = encodeStruct('kiln_global_desc', { init_lo: 0xffff_ffff_ffff_fffen });
    expect(new DataView(g.bytes.buffer).getBigUint64(16, true)).toBe(0xffff_ffff_ffff_fffen);
    expect(() => encodeStruct('kiln_export', { nope: 1 })).toThrow(/unknown field/);
    expect(() => encodeStruct('kiln_export', { kind: { symbol: 'x' } })).toThrow(/not a pointer/);
  });
});
