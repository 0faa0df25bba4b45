/**
 * Differential test of constant folding's evaluator against the real thing: every
 * scalar IR op that mirrors a Wasm op is run in Node's WebAssembly on a spread of
 * inputs (boundaries, NaNs with payloads, signed zeros, random bits), and evalOp must
 * either agree bit for bit or decline (only allowed for NaN results and traps).
 */
import { describe, expect, it } from 'vitest';
import { evalCheck, evalOp } from '../../src/ir/passes/consteval.js';
import { opcode, OPS, opInfo, type OpInfo } from '../../src/ir/opcodes.js';
import { TrapCode } from '../../src/ir/traps.js';
import type { Type } from '../../src/ir/types.js';
import { WASM_NUMERIC } from './wasm-names.js';

const wasmOpcode = (name: string): number[] => {
  const k = WASM_NUMERIC.indexOf(name);
  if (k >= 0 && !name.includes('_sat_')) return [0x45 + k];
  const sat = ['i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u', 'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u'].indexOf(name);
  if (sat >= 0) return [0xfc, sat];
  throw new Error(`no wasm opcode for ${name}`);
};

/** Node's WebAssembly (the project's lib settings do not declare it). */
const WA = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (m: object) => { exports: Record<string, unknown> };
    RuntimeError: new () => Error;
  };
}).WebAssembly;

const VT: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
/** Floats cross the JS boundary as bits, so NaN payloads survive. */
const carrier = (t: Type): 'i32' | 'i64' => (t === 'f32' || t === 'i32' ? 'i32' : 'i64');
const toFloat: Partial<Record<Type, number>> = { f32: 0xbe, f64: 0xbf };
const fromFloat: Partial<Record<Type, number>> = { f32: 0xbc, f64: 0xbd };

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];

/** A module exporting `f`, computing `info` on raw-bit carriers. */
function compile(info: OpInfo): (...args: (number | bigint)[]) => number | bigint {
  const params = info.params as Type[];
  const result = info.results![0]!;
  const type = [0x60, ...vec(params.map((p) => [VT[carrier(p)]!])), ...vec([[VT[carrier(result)]!]])];
  const body: number[] = [0x00];
  params.forEach((p, k) => {
    body.push(0x20, k);
    if (toFloat[p]) body.push(toFloat[p]!);
  });
  body.push(...wasmOpcode(info.name));
  if (fromFloat[result]) body.push(fromFloat[result]!);
  body.push(0x0b);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[1, 0x66, 0x00, 0x00]])), // export "f" = func 0
    ...section(10, vec([[...leb(body.length), ...body]])),
  ];
  const inst = new WA.Instance(new WA.Module(new Uint8Array(bytes)));
  return inst.exports.f as (...args: (number | bigint)[]) => number | bigint;
}

// Deterministic pseudo-random bits.
let seed = 0x12345678;
const rnd32 = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};
const rnd64 = (): bigint => (BigInt(rnd32()) << 32n) | BigInt(rnd32());

const SPECIAL: Record<Type, (number | bigint)[]> = {
  i32: [0, 1, -1, 2, -2, 31, 32, 33, 0x7fffffff, -0x80000000, 0x12345678, 255, 65535],
  i64: [0n, 1n, -1n, 2n, 63n, 64n, 65n, (1n << 63n) - 1n, -(1n << 63n), 0x123456789abcdefn, (1n << 53n) + 1n, (1n << 32n)],
  // f32 bits: ±0, ±1, 0.5, 1.5, 2.5, -2.5, ±inf, NaNs, max, min subnormal, 2^31, 2^32, -2^31-ish, 2^63, 4294967295.5-ish
  f32: [0, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x7f800000, 0xff800000,
    0x7fc00000, 0xffc00001, 0x7fa00000, 0x7f7fffff, 1, 0x4f000000, 0x4f800000, 0xcf000000, 0xcf000001, 0x5f000000, 0x5f800000, 0xdf000000, 0x3effffff],
  f64: [0n, 1n << 63n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x3fe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n,
    0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000123n, 0x7ff4000000000000n, 1n,
    0x41e0000000000000n, 0x41efffffffe00000n, 0x41f0000000000000n, 0xc1e0000000000000n, 0xc1e0000000200000n, 0x43e0000000000000n,
    0x43f0000000000000n, 0xc3e0000000000000n, 0x3fdfffffffffffffn, 0x4330000000000001n],
  v128: [], funcref: [], externref: [],
};
const random = (t: Type): number | bigint => {
  switch (t) {
    case 'i32': return rnd32() | 0;
    case 'i64': return BigInt.asIntN(64, rnd64());
    case 'f32': return rnd32();
    default: return rnd64();
  }
};

/** Convert a wasm carrier result into our immediate encoding for `t`. */
function normalise(t: Type, x: number | bigint): number | bigint {
  switch (t) {
    case 'i32': return Number(x) | 0;
    case 'i64': return BigInt.asIntN(64, x as bigint);
    case 'f32': return Number(x) >>> 0;
    default: return BigInt.asUintN(64, x as bigint);
  }
}
/** Our encoding → the carrier wasm expects. */
function carry(t: Type, x: number | bigint): number | bigint {
  if (t === 'f32') return Number(x) | 0;
  if (t === 'f64') return BigInt.asIntN(64, x as bigint);
  return x;
}
function isNaNBits(t: Type, x: number | bigint): boolean {
  if (t === 'f32') return ((x as number) & 0x7f800000) === 0x7f800000 && ((x as number) & 0x7fffff) !== 0;
  if (t === 'f64') return ((x as bigint) & 0x7ff0000000000000n) === 0x7ff0000000000000n && ((x as bigint) & 0xfffffffffffffn) !== 0n;
  return false;
}

const SCALAR = new Set<Type>(['i32', 'i64', 'f32', 'f64']);
const mirrored = OPS.filter(
  (o) => (o.kind === 'numeric' || o.kind === 'unchecked') && o.params !== null && o.params.every((p) => SCALAR.has(p as Type)) && SCALAR.has(o.results?.[0] as Type),
);

describe('consteval agrees with WebAssembly', () => {
  it('covers every scalar numeric op', () => {
    expect(mirrored.length).toBe(136);
  });

  for (const info of mirrored) {
    it(info.name, () => {
      const run = compile(info);
      const params = info.params as Type[];
      const result = info.results![0]!;
      const inputs: (number | bigint)[][] = [];
      if (params.length === 1) {
        for (const a of SPECIAL[params[0]!]) inputs.push([a]);
      } else {
        for (const a of SPECIAL[params[0]!]) for (const b of SPECIAL[params[1]!]) inputs.push([a, b]);
      }
      for (let k = 0; k < 300; k++) inputs.push(params.map(random));
      let folded = 0;
      for (const args of inputs) {
        let expected: number | bigint | 'trap';
        try {
          expected = normalise(result, run(...args.map((a, k) => carry(params[k]!, a))));
        } catch (e) {
          if (!(e instanceof WA.RuntimeError)) throw e;
          expected = 'trap';
        }
        const got = evalOp(info.code, args);
        if (got === undefined) {
          // Declining is only allowed when Wasm leaves the result open or traps.
          expect(expected === 'trap' || isNaNBits(result, expected), `${info.name}(${args.join(', ')}) declined, wasm gives ${String(expected)}`).toBe(true);
        } else {
          folded++;
          expect(got, `${info.name}(${args.join(', ')})`).toBe(expected);
        }
      }
      expect(folded).toBeGreaterThan(0);
    });
  }
});

describe('evalCheck', () => {
  const c = (name: Parameters<typeof opcode>[0]) => opcode(name);
  it('decides division checks', () => {
    expect(evalCheck(c('i32.check_nonzero'), [0])).toBe(TrapCode.IntegerDivideByZero);
    expect(evalCheck(c('i64.check_nonzero'), [0n])).toBe(TrapCode.IntegerDivideByZero);
    expect(evalCheck(c('i32.check_nonzero'), [7])).toBe('pass');
    expect(evalCheck(c('i32.check_nonzero'), [undefined])).toBeUndefined();
    expect(evalCheck(c('i32.check_div_s'), [-0x80000000, -1])).toBe(TrapCode.IntegerOverflow);
    expect(evalCheck(c('i32.check_div_s'), [undefined, 3])).toBe('pass');
    expect(evalCheck(c('i64.check_div_s'), [5n, undefined])).toBe('pass');
    expect(evalCheck(c('i64.check_div_s'), [-(1n << 63n), undefined])).toBeUndefined();
  });
  it('decides truncation checks', () => {
    expect(evalCheck(c('i32.check_trunc_f32_s'), [0x7fc00000])).toBe(TrapCode.InvalidConversionToInteger);
    expect(evalCheck(c('i32.check_trunc_f32_s'), [0x4f000000])).toBe(TrapCode.IntegerOverflow); // 2^31
    expect(evalCheck(c('i32.check_trunc_f32_s'), [0xcf000000])).toBe('pass'); // -2^31
    expect(evalCheck(c('i32.check_trunc_f32_u'), [0xbf400000])).toBe('pass'); // -0.75 → 0
    expect(evalCheck(c('i64.check_trunc_f64_u'), [0x43f0000000000000n])).toBe(TrapCode.IntegerOverflow); // 2^64
    expect(evalCheck(c('i64.check_trunc_f64_s'), [0xc3e0000000000000n])).toBe('pass'); // -2^63
    expect(evalCheck(opInfo(c('i32.add')).code, [1, 2])).toBeUndefined();
  });
});
