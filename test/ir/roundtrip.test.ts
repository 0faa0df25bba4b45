import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { compact } from '../../src/ir/func.js';
import { OPS } from '../../src/ir/opcodes.js';
import { parseFloatBits, parseFunc, parseFuncs } from '../../src/ir/parse.js';
import { formatF32, formatF64, printFunc } from '../../src/ir/print.js';
import { verifyReport } from '../../src/ir/verify.js';
import { everyOpFunc, ir, sampleModule, structure } from './helpers.js';

describe('text format round trip', () => {
  it('prints, parses and reprints a function using every op identically', () => {
    const m = sampleModule();
    const f = everyOpFunc(m);
    expect(verifyReport(f, m)).toBe('');
    const text = printFunc(f);
    const used = new Set([...f.allInsts()].map((i) => OPS[f.inst(i).op]!.name));
    expect(used.size).toBe(OPS.length);
    const g = parseFunc(text);
    if (!g.ok) throw new Error(JSON.stringify(g.error));
    expect(printFunc(g.value)).toBe(text);
    expect(structure(g.value)).toEqual(structure(f));
    expect(verifyReport(g.value, m)).toBe('');
  });

  it('keeps sparse numbering and layout order', () => {
    const text = `func "sparse" (i32) -> (i32) {
block0(v3: i32):
  br block7(v3)
block7(v9: i32):
  v12 = i32.add v9, v3
  return v12
}
`;
    const f = ir(text);
    expect(printFunc(f)).toBe(text);
    expect(f.layout).toEqual([0, 7]);
    expect(verifyReport(f)).toBe('');
    expect(printFunc(compact(f))).toBe(`func "sparse" (i32) -> (i32) {
block0(v0: i32):
  br block1(v0)
block1(v1: i32):
  v2 = i32.add v1, v0
  return v2
}
`);
  });

  it('accepts comments, blank lines and several functions', () => {
    const r = parseFuncs(`
; two functions
func "a" () -> () {   ; header
block0:
  return
}

func "b \\"quoted\\"" () -> (i32) {
block0:
  v0 = i32.const 0x7fffffff ; hex
  return v0
}
`);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.map((f) => f.name)).toEqual(['a', 'b "quoted"']);
    expect(printFunc(r.value[1]!)).toContain('v0 = i32.const 2147483647');
  });

  it('round-trips float constants bit-exactly, NaN payloads included', () => {
    const f32s = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa12345, 0x00000001, 0x3dcccccd, 0x7f7fffff, 0x3f800000];
    const f64s = [0n, 1n << 63n, 0x7ff0000000000000n, 0x7ff8000000000000n, 0xfff0000000000001n, 0x7ff4000000000abcn, 1n, 0x3fb999999999999an, 0x7fefffffffffffffn];
    for (const bits of f32s) expect(Number(parseFloatBits(formatF32(bits), 32))).toBe(bits);
    for (const bits of f64s) expect(parseFloatBits(formatF64(bits), 64)).toBe(bits);
    expect(formatF32(0x3dcccccd)).toBe('0.1');
    expect(formatF32(0x7fc00000)).toBe('nan:0x400000');
    expect(formatF32(0xffa00000)).toBe('-nan:0x200000');
    expect(formatF64(1n << 63n)).toBe('-0');
    expect(formatF64(0xfff0000000000000n)).toBe('-inf');

    const b = new FuncBuilder('floats', { params: [], results: [] });
    for (const bits of f32s) b.f32Bits(bits);
    for (const bits of f64s) b.f64Bits(bits);
    b.ret();
    const f = b.finish();
    const text = printFunc(f);
    expect(printFunc(ir(text))).toBe(text);
    expect(structure(ir(text))).toEqual(structure(f));
  });

  it('round-trips integer extremes and v128 lanes', () => {
    const b = new FuncBuilder('ints', { params: [], results: [] });
    b.i32(-2147483648);
    b.i32(0xffffffff);
    b.i64(-(1n << 63n));
    b.i64((1n << 63n) - 1n);
    b.v128(Uint8Array.from({ length: 16 }, (_, k) => 255 - k));
    b.ret();
    const text = printFunc(b.finish());
    expect(text).toContain('i32.const -1\n');
    expect(text).toContain('i64.const -9223372036854775808');
    expect(printFunc(ir(text))).toBe(text);
  });
});

describe('parse errors', () => {
  const err = (text: string) => {
    const r = parseFunc(text);
    if (r.ok) throw new Error('expected a parse error');
    return r.error;
  };

  it('reports line and column', () => {
    expect(err('func "f" () -> () {\nblock0:\n  v0 = i32.bogus\n}\n')).toEqual({ line: 3, col: 8, message: "unknown op 'i32.bogus'" });
    expect(err('func "f" () -> () {\nblock0:\n  v0 = i32.const\n  return\n}\n').line).toBe(3);
    expect(err('func "f" () -> () {\nblock0:\n  br block4\n}\n')).toMatchObject({ line: 3, col: 6, message: 'block4 is not defined' });
    expect(err('func "f" () -> () {\nblock0:\n  v1 = i32.eqz v7\n  return\n}\n')).toMatchObject({ line: 3, col: 16, message: 'v7 is used but never defined' });
    expect(err('func "f" () -> () {\nblock0:\n  v1 = i32.const 1\n  v1 = i32.const 2\n  return\n}\n')).toMatchObject({ line: 4, message: 'v1 is defined twice' });
    expect(err('func "f" () -> () {\nblock0:\n  v1 = call func=0\n  return\n}\n')).toMatchObject({ line: 3, col: 3 });
    expect(err('func "f" () -> () {\nblock0:\n  v1 = i32.load mem=0 offset=0 align=3 v0\n}\n').message).toMatch(/power of two/);
    expect(err('func "f" () -> () {\nblock0:\n  trap oops\n}\n').message).toMatch(/unknown trap code/);
    expect(err('func "f" (i32 -> () {').message).toMatch(/expected/);
  });
});
