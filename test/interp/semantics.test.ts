/**
 * Exact Wasm semantics of the interpreter on hand-built IR:
 * - every scalar numeric op against Node's WebAssembly (V8) on boundaries, NaNs with
 *   payloads, signed zeros and random bits: integers and non-NaN floats bit for bit,
 *   NaN results must be NaNs (quiet where Wasm requires it), bit ops exact, traps where
 *   V8 traps;
 * - hand-picked tricky cases: NaN propagation, trunc boundaries, INT_MIN / -1, shifts
 *   by ≥ width, memory.grow failure, bounds checks at offset + index without wrap,
 *   call stack exhaustion, block-argument swaps.
 */
import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import { OPS, type OpInfo, type OpName } from '../../src/ir/opcodes.js';
import { TrapCode } from '../../src/ir/traps.js';
import type { FuncType, Type } from '../../src/ir/types.js';
import { Store, Trap, exportedFunc, importsFrom, instantiate, invoke, type Instance, type Val } from '../../src/ir/interp.js';
import { WASM_NUMERIC } from '../ir/wasm-names.js';

// ---- a V8 reference for one op ------------------------------------------------------------
const WA = (globalThis as unknown as {
  WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object) => { exports: Record<string, unknown> }; RuntimeError: new () => Error };
}).WebAssembly;
const SAT = ['i32.trunc_sat_f32_s', 'i32.trunc_sat_f32_u', 'i32.trunc_sat_f64_s', 'i32.trunc_sat_f64_u', 'i64.trunc_sat_f32_s', 'i64.trunc_sat_f32_u', 'i64.trunc_sat_f64_s', 'i64.trunc_sat_f64_u'];
function wasmOpcode(name: string): number[] {
  const s = SAT.indexOf(name);
  if (s >= 0) return [0xfc, s];
  const k = WASM_NUMERIC.indexOf(name);
  if (k < 0) throw new Error(`no wasm opcode for ${name}`);
  return [0x45 + k];
}
const VT: Record<string, number> = { i32: 0x7f, i64: 0x7e };
const carrier = (t: Type): 'i32' | 'i64' => (t === 'f32' || t === 'i32' ? 'i32' : 'i64');
const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
function v8Op(info: OpInfo): (...a: (number | bigint)[]) => number | bigint {
  const params = info.params as Type[];
  const result = info.results![0]!;
  const type = [0x60, ...vec(params.map((p) => [VT[carrier(p)]!])), ...vec([[VT[carrier(result)]!]])];
  const body: number[] = [0x00];
  params.forEach((p, k) => {
    body.push(0x20, k);
    if (p === 'f32') body.push(0xbe);
    if (p === 'f64') body.push(0xbf);
  });
  body.push(...wasmOpcode(info.name));
  if (result === 'f32') body.push(0xbc);
  if (result === 'f64') body.push(0xbd);
  body.push(0x0b);
  const bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, vec([type])), ...section(3, vec([[0]])), ...section(7, vec([[1, 0x66, 0, 0]])), ...section(10, vec([[...leb(body.length), ...body]]))];
  return new WA.Instance(new WA.Module(new Uint8Array(bytes))).exports.f as (...a: (number | bigint)[]) => number | bigint;
}

// ---- inputs -----------------------------------------------------------------------------
let seed = 0x9e3779b9;
const rnd32 = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};
const rnd64 = (): bigint => (BigInt(rnd32()) << 32n) | BigInt(rnd32());
const SPECIAL: Record<string, (number | bigint)[]> = {
  i32: [0, 1, -1, 2, -2, 31, 32, 33, 63, 64, 0x7fffffff, -0x80000000, 0x12345678, 255, 65535, 0x8000, 0x80],
  i64: [0n, 1n, -1n, 2n, 31n, 32n, 33n, 63n, 64n, 65n, (1n << 63n) - 1n, -(1n << 63n), 0x123456789abcdefn, (1n << 53n) + 1n, 1n << 32n, 0xffffffffn, -(1n << 32n), 0x80000000n],
  f32: [0, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7fa00000, 0xffa00005,
    0x7f7fffff, 1, 0x4f000000, 0x4f800000, 0xcf000000, 0xcf000001, 0x5f000000, 0x5f800000, 0xdf000000, 0x3effffff, 0x4effffff, 0x4f7fffff, 0xbf7fffff],
  f64: [0n, 1n << 63n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x3fe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
    0x7ff8000000000000n, 0xfff8000000000123n, 0x7ff4000000000000n, 0xfff0000000000001n, 1n, 0x41e0000000000000n, 0x41dfffffffffffffn, 0x41efffffffe00000n, 0x41f0000000000000n,
    0xc1e0000000000000n, 0xc1e0000000200000n, 0xc1e00000001fffffn, 0x43e0000000000000n, 0x43dfffffffffffffn, 0x43f0000000000000n, 0x43efffffffffffffn, 0xc3e0000000000000n,
    0xc3e0000000000001n, 0x3fdfffffffffffffn, 0x4330000000000001n, 0xbfefffffffffffffn],
};
const random = (t: Type): number | bigint => (t === 'i32' ? rnd32() | 0 : t === 'f32' ? rnd32() : t === 'i64' ? BigInt.asIntN(64, rnd64()) : rnd64());
const toVal = (t: Type, x: number | bigint): Val => (t === 'i32' ? Number(x) | 0 : t === 'f32' ? Number(x) >>> 0 : t === 'i64' ? BigInt.asIntN(64, x as bigint) : BigInt.asUintN(64, x as bigint));
const toCarrier = (t: Type, x: number | bigint): number | bigint => (t === 'f32' ? Number(x) | 0 : t === 'f64' ? BigInt.asIntN(64, x as bigint) : x);
const isNaNBits = (t: Type, x: Val): boolean =>
  t === 'f32' ? ((x as number) & 0x7f800000) === 0x7f800000 && ((x as number) & 0x7fffff) !== 0 : t === 'f64' ? ((x as bigint) & 0x7ff0000000000000n) === 0x7ff0000000000000n && ((x as bigint) & 0xfffffffffffffn) !== 0n : false;
const isQuiet = (t: Type, x: Val): boolean => (t === 'f32' ? ((x as number) & 0x00400000) !== 0 : ((x as bigint) & 0x0008000000000000n) !== 0n);
const BITWISE = /\.(neg|abs|copysign|reinterpret_\w+)$/;

// ---- the interpreter side ----------------------------------------------------------------------
const SCALAR = new Set(['i32', 'i64', 'f32', 'f64']);
const mirrored = OPS.filter((o) => (o.kind === 'numeric' || o.kind === 'unchecked') && o.params !== null && o.params.every((p) => SCALAR.has(p)) && SCALAR.has(o.results?.[0] ?? ''));

/** One module, one exported function per op: `op(params…)` with its checks (as the translator emits them). */
function opsModule(ops: OpInfo[]): { store: Store; inst: Instance } {
  const m = emptyModule();
  ops.forEach((info, k) => {
    const sig: FuncType = { params: info.params as Type[], results: [info.results![0]!] };
    m.types.push(sig);
    const b = new FuncBuilder(info.name, sig, moduleTypeEnv(m));
    b.ret([b.wasm(info.name as OpName, b.params)!]);
    m.funcs.push({ typeIndex: k, name: info.name, body: b.finish() });
    m.exports.push({ name: info.name, kind: 'func', index: k });
  });
  const store = new Store();
  return { store, inst: instantiate(store, m, importsFrom({})) };
}

describe('every scalar op agrees with V8', () => {
  const { store, inst } = opsModule(mirrored);
  it('covers every scalar numeric op', () => expect(mirrored.length).toBe(136));
  for (const info of mirrored) {
    it(info.name, () => {
      const params = info.params as Type[];
      const rt = info.results![0]!;
      const ref = v8Op(info);
      const f = exportedFunc(inst, info.name);
      const inputs: (number | bigint)[][] = [];
      if (params.length === 1) for (const a of SPECIAL[params[0]!]!) inputs.push([a]);
      else for (const a of SPECIAL[params[0]!]!) for (const b of SPECIAL[params[1]!]!) inputs.push([a, b]);
      for (let k = 0; k < 200; k++) inputs.push(params.map(random));
      for (const args of inputs) {
        const what = `${info.name}(${args.join(', ')})`;
        let want: Val | 'trap';
        try {
          want = toVal(rt, ref(...args.map((a, k) => toCarrier(params[k]!, a))));
        } catch (e) {
          if (!(e instanceof WA.RuntimeError)) throw e;
          want = 'trap';
        }
        let got: Val | 'trap';
        try {
          got = invoke(store, f, args.map((a, k) => toVal(params[k]!, a)))[0]!;
        } catch (e) {
          if (!(e instanceof Trap)) throw e;
          got = 'trap';
        }
        if (want !== 'trap' && isNaNBits(rt, want) && !BITWISE.test(info.name)) {
          expect(isNaNBits(rt, got as Val), `${what}: NaN expected, got ${String(got)}`).toBe(true);
          expect(isQuiet(rt, got as Val), `${what}: arithmetic NaN (quiet bit) expected`).toBe(true);
        } else {
          expect(got, what).toBe(want);
        }
      }
    });
  }
});

// ---- hand-built functions for the tricky cases -------------------------------------------
type Body = (b: FuncBuilder) => void;
function run(sig: FuncType, body: Body, args: Val[], setup?: (m: IrModule) => void): Val[] {
  const m = emptyModule();
  setup?.(m);
  m.types.push(sig);
  const b = new FuncBuilder('t', sig, moduleTypeEnv(m));
  body(b);
  m.funcs.push({ typeIndex: m.types.length - 1, name: 't', body: b.finish() });
  m.exports.push({ name: 't', kind: 'func', index: m.funcs.length - 1 });
  const store = new Store({ stackWords: 1 << 16, maxDepth: 1000 });
  const inst = instantiate(store, m, importsFrom({}));
  return invoke(store, exportedFunc(inst, 't'), args);
}
const trapOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof Trap) return e.message;
    throw e;
  }
  return 'no trap';
};
const unary = (op: OpName, from: Type, to: Type, x: Val): Val => run({ params: [from], results: [to] }, (b) => b.ret([b.wasm(op, b.params)!]), [x])[0]!;
const binary = (op: OpName, t: Type, x: Val, y: Val, rt: Type = t): Val => run({ params: [t, t], results: [rt] }, (b) => b.ret([b.wasm(op, b.params)!]), [x, y])[0]!;

describe('NaN bits', () => {
  it('bit ops and reinterpretations keep signalling payloads exactly', () => {
    expect(unary('f32.neg', 'f32', 'f32', 0x7fa00001)).toBe(0xffa00001);
    expect(unary('f32.abs', 'f32', 'f32', 0xffa00001)).toBe(0x7fa00001);
    expect(binary('f32.copysign', 'f32', 0x7fa00001, 0x80000000)).toBe(0xffa00001);
    expect(unary('f64.neg', 'f64', 'f64', 0x7ff4000000000001n)).toBe(0xfff4000000000001n);
    expect(unary('i32.reinterpret_f32', 'f32', 'i32', 0x7f800001)).toBe(0x7f800001);
    expect(unary('f64.reinterpret_i64', 'i64', 'f64', 0x7ff0000000000001n)).toBe(0x7ff0000000000001n);
    // select and block arguments move raw bits too
    const sel = run({ params: ['f64', 'f64', 'i32'], results: ['f64'] }, (b) => b.ret([b.select(b.params[0]!, b.params[1]!, b.params[2]!)]), [0x7ff0000000000005n, 0n, 1]);
    expect(sel[0]).toBe(0x7ff0000000000005n);
  });
  it('arithmetic on a signalling NaN gives a quiet NaN', () => {
    for (const op of ['f64.ceil', 'f64.floor', 'f64.trunc', 'f64.nearest', 'f64.sqrt'] as const) {
      const r = unary(op, 'f64', 'f64', 0x7ff4000000000000n) as bigint;
      expect(r & 0x7ff8000000000000n, op).toBe(0x7ff8000000000000n);
    }
    expect((binary('f64.min', 'f64', 0x7ff4000000000000n, 0n) as bigint) & 0x7ff8000000000000n).toBe(0x7ff8000000000000n);
    expect((binary('f32.add', 'f32', 0x7fa00000, 0x3f800000) as number) & 0x7fc00000).toBe(0x7fc00000);
    expect((unary('f32.demote_f64', 'f64', 'f32', 0x7ff4000000000000n) as number) & 0x7fc00000).toBe(0x7fc00000);
  });
  it('canonical NaN in gives canonical NaN out', () => {
    expect((binary('f32.mul', 'f32', 0x7fc00000, 0x40000000) as number) & 0x7fffffff).toBe(0x7fc00000);
    expect((binary('f64.sub', 'f64', 0x7ff8000000000000n, 0n) as bigint) & 0x7fffffffffffffffn).toBe(0x7ff8000000000000n);
  });
});

describe('trapping truncations at their boundaries', () => {
  const t = (op: OpName, from: Type, to: Type, x: Val): string => trapOf(() => unary(op, from, to, x));
  it('i32 from f32/f64', () => {
    expect(unary('i32.trunc_f32_s', 'f32', 'i32', 0xcf000000)).toBe(-2147483648); // -2^31
    expect(t('i32.trunc_f32_s', 'f32', 'i32', 0x4f000000)).toBe('integer overflow'); // 2^31
    expect(t('i32.trunc_f32_s', 'f32', 'i32', 0x7fc00000)).toBe('invalid conversion to integer');
    expect(unary('i32.trunc_f64_s', 'f64', 'i32', 0xc1e00000001fffffn)).toBe(-2147483648); // -2147483648.99…
    expect(t('i32.trunc_f64_s', 'f64', 'i32', 0xc1e0000000200000n)).toBe('integer overflow'); // -2147483649
    expect(unary('i32.trunc_f64_s', 'f64', 'i32', 0x41dfffffffffffffn)).toBe(2147483647); // 2147483647.99…
    expect(unary('i32.trunc_f64_u', 'f64', 'i32', 0xbfefffffffffffffn)).toBe(0); // -0.99…
    expect(t('i32.trunc_f64_u', 'f64', 'i32', 0xbff0000000000000n)).toBe('integer overflow'); // -1
    expect(unary('i32.trunc_f64_u', 'f64', 'i32', 0x41efffffffe00000n)).toBe(-1); // 4294967295
    expect(t('i32.trunc_f64_u', 'f64', 'i32', 0x41f0000000000000n)).toBe('integer overflow'); // 2^32
  });
  it('i64 from f32/f64', () => {
    expect(unary('i64.trunc_f64_s', 'f64', 'i64', 0xc3e0000000000000n)).toBe(-(1n << 63n));
    expect(t('i64.trunc_f64_s', 'f64', 'i64', 0x43e0000000000000n)).toBe('integer overflow'); // 2^63
    expect(unary('i64.trunc_f64_s', 'f64', 'i64', 0x43dfffffffffffffn)).toBe(9223372036854774784n);
    expect(t('i64.trunc_f64_s', 'f64', 'i64', 0xc3e0000000000001n)).toBe('integer overflow');
    expect(unary('i64.trunc_f64_u', 'f64', 'i64', 0x43efffffffffffffn)).toBe(-2048n); // 2^64 - 2048
    expect(t('i64.trunc_f64_u', 'f64', 'i64', 0x43f0000000000000n)).toBe('integer overflow');
    expect(unary('i64.trunc_f32_s', 'f32', 'i64', 0xdf000000)).toBe(-(1n << 63n));
    expect(t('i64.trunc_f32_u', 'f32', 'i64', 0x5f800000)).toBe('integer overflow'); // 2^64
    expect(t('i64.trunc_f32_u', 'f32', 'i64', 0xffc00000)).toBe('invalid conversion to integer');
  });
  it('saturating forms clamp and map NaN to 0', () => {
    expect(unary('i32.trunc_sat_f32_s', 'f32', 'i32', 0x7fc00000)).toBe(0);
    expect(unary('i32.trunc_sat_f64_u', 'f64', 'i32', 0x41f0000000000000n)).toBe(-1);
    expect(unary('i64.trunc_sat_f64_s', 'f64', 'i64', 0xfff0000000000000n)).toBe(-(1n << 63n));
    expect(unary('i64.trunc_sat_f64_s', 'f64', 'i64', 0x7ff0000000000000n)).toBe((1n << 63n) - 1n);
    expect(unary('i64.trunc_sat_f32_u', 'f32', 'i64', 0xbf800000)).toBe(0n);
  });
});

describe('integer edge cases', () => {
  it('INT_MIN / -1 traps, INT_MIN % -1 is 0, x / 0 traps', () => {
    expect(trapOf(() => binary('i32.div_s', 'i32', -0x80000000, -1))).toBe('integer overflow');
    expect(binary('i32.rem_s', 'i32', -0x80000000, -1)).toBe(0);
    expect(trapOf(() => binary('i64.div_s', 'i64', -(1n << 63n), -1n))).toBe('integer overflow');
    expect(binary('i64.rem_s', 'i64', -(1n << 63n), -1n)).toBe(0n);
    expect(trapOf(() => binary('i32.rem_u', 'i32', 5, 0))).toBe('integer divide by zero');
    expect(trapOf(() => binary('i64.div_u', 'i64', 5n, 0n))).toBe('integer divide by zero');
    expect(binary('i64.div_u', 'i64', -1n, 3n)).toBe(6148914691236517205n);
    expect(binary('i32.div_s', 'i32', -7, 2)).toBe(-3);
    expect(binary('i64.rem_s', 'i64', -7n, 2n)).toBe(-1n);
  });
  it('unchecked division still traps (the oracle stays exact on IR without checks)', () => {
    const r = (x: number, y: number) => run({ params: ['i32', 'i32'], results: ['i32'] }, (b) => b.ret([b.op('i32.div_s', b.params)]), [x, y]);
    expect(trapOf(() => r(1, 0))).toBe('integer divide by zero');
    expect(trapOf(() => r(-0x80000000, -1))).toBe('integer overflow');
  });
  it('shift counts are taken modulo the width', () => {
    expect(binary('i32.shl', 'i32', 1, 33)).toBe(2);
    expect(binary('i32.shr_u', 'i32', -1, 32)).toBe(-1);
    expect(binary('i32.rotr', 'i32', 0x12345678, 32)).toBe(0x12345678);
    expect(binary('i32.rotl', 'i32', 0x12345678, 36)).toBe(0x23456781);
    expect(binary('i64.shl', 'i64', 1n, 65n)).toBe(2n);
    expect(binary('i64.shl', 'i64', 1n, 63n)).toBe(-(1n << 63n));
    expect(binary('i64.shr_s', 'i64', -(1n << 63n), 127n)).toBe(-1n);
    expect(binary('i64.shr_u', 'i64', -(1n << 63n), 64n + 32n)).toBe(0x80000000n);
    expect(binary('i64.rotl', 'i64', 0x0123456789abcdefn, 64n + 4n)).toBe(0x123456789abcdef0n);
    expect(binary('i64.rotr', 'i64', 0x0123456789abcdefn, -4n)).toBe(0x123456789abcdef0n);
    expect(binary('i64.rotr', 'i64', 0x0123456789abcdefn, 32n)).toBe(BigInt.asIntN(64, 0x89abcdef01234567n));
  });
  it('i64 multiply wraps', () => {
    expect(binary('i64.mul', 'i64', 0x7fffffffffffffffn, 0x7fffffffffffffffn)).toBe(1n);
    expect(binary('i64.mul', 'i64', -(1n << 63n), -1n)).toBe(-(1n << 63n));
    expect(binary('i64.mul', 'i64', 0xffffffffn, 0xffffffffn)).toBe(0xfffffffe00000001n - (1n << 64n));
  });
});

describe('memory', () => {
  const withMem = (max?: bigint) => (m: IrModule) => {
    m.memories.push({ limits: max === undefined ? { min: 1n } : { min: 1n, max } });
  };
  it('memory.grow beyond the maximum fails with -1 and changes nothing', () => {
    const sig: FuncType = { params: ['i32'], results: ['i32', 'i32', 'i32'] };
    const r = run(
      sig,
      (b) => {
        b.store('i32.store', b.i32(100), b.i32(0x5a5a5a5a));
        const g = b.op('memory.grow', [b.params[0]!], [0]);
        b.ret([g, b.op('memory.size', [], [0]), b.load('i32.load', b.i32(100))]);
      },
      [2],
      withMem(2n),
    );
    expect(r).toEqual([-1, 1, 0x5a5a5a5a]);
    const ok = run(sig, (b) => b.ret([b.op('memory.grow', [b.params[0]!], [0]), b.op('memory.size', [], [0]), b.load('i32.load', b.i32(65536 + 100))]), [1], withMem(2n));
    expect(ok).toEqual([1, 2, 0]);
    // without a maximum the wasm32 limit applies
    expect(run(sig, (b) => b.ret([b.op('memory.grow', [b.params[0]!], [0]), b.op('memory.size', [], [0]), b.i32(0)]), [65536], withMem())).toEqual([-1, 1, 0]);
  });
  it('bounds checks use offset + index without wrapping', () => {
    const load = (addr: number, offset: number | bigint) =>
      trapOf(() => run({ params: ['i32'], results: ['i32'] }, (b) => b.ret([b.load('i32.load', b.params[0]!, { offset })]), [addr], withMem()));
    expect(load(65532, 0)).toBe('no trap');
    expect(load(65533, 0)).toBe('out of bounds memory access');
    expect(load(0, 65532)).toBe('no trap');
    expect(load(1, 65532)).toBe('out of bounds memory access');
    // 0xffffffff + 1 would wrap to 0 in 32 bits: it must trap
    expect(load(-1, 1)).toBe('out of bounds memory access');
    expect(load(1, 0xffffffff)).toBe('out of bounds memory access');
    expect(load(0, 1n << 32n)).toBe('out of bounds memory access');
    const store = (addr: number, offset: number) =>
      trapOf(() => run({ params: ['i32'], results: [] }, (b) => (b.store('i64.store', b.params[0]!, b.i64(1n), { offset }), b.ret([])), [addr], withMem()));
    expect(store(65528, 0)).toBe('no trap');
    expect(store(65529, 0)).toBe('out of bounds memory access');
    expect(store(-8, 8)).toBe('out of bounds memory access');
  });
  it('memory.fill / copy / init check the whole range before writing anything', () => {
    const sig: FuncType = { params: ['i32'], results: ['i32'] };
    const body = (op: 'memory.fill' | 'memory.copy') => (b: FuncBuilder) => {
      const then = b.block();
      const check = b.block();
      b.brIf(b.params[0]!, then, [], check);
      b.switchTo(then);
      b.inst(op, [b.i32(65530), b.i32(op === 'memory.fill' ? 7 : 0), b.i32(10)], op === 'memory.fill' ? [0] : [0, 0]);
      b.ret([b.i32(0)]);
      b.switchTo(check);
      b.ret([b.load('i32.load8_u', b.i32(65535))]);
    };
    for (const op of ['memory.fill', 'memory.copy'] as const) {
      const m = emptyModule();
      m.memories.push({ limits: { min: 1n } });
      m.types.push(sig);
      const b = new FuncBuilder('t', sig, moduleTypeEnv(m));
      body(op)(b);
      m.funcs.push({ typeIndex: 0, name: 't', body: b.finish() });
      m.data.push({ mode: { kind: 'active', memory: 0, offset: { kind: 'i32', value: 0 } }, bytes: new Uint8Array([42]) });
      const store = new Store();
      const inst = instantiate(store, m, importsFrom({}));
      expect(trapOf(() => invoke(store, inst.funcs[0]!, [1])), op).toBe('out of bounds memory access');
      expect(invoke(store, inst.funcs[0]!, [0]), op).toEqual([0]);
    }
  });
});

describe('calls', () => {
  it('deep recursion is the call stack exhausted trap, not a JS RangeError', () => {
    const m = emptyModule();
    m.types.push({ params: ['i32'], results: ['i32'] });
    m.funcs.push({ typeIndex: 0, name: 'rec' });
    const b = new FuncBuilder('rec', m.types[0]!, moduleTypeEnv(m));
    const [r] = b.call(0, [b.op('i32.add', [b.params[0]!, b.i32(1)])]);
    b.ret([r!]);
    m.funcs[0]!.body = b.finish();
    const store = new Store({ maxDepth: 5000 });
    const inst = instantiate(store, m, importsFrom({}));
    expect(trapOf(() => invoke(store, inst.funcs[0]!, [0]))).toBe('call stack exhausted');
    // the store is usable afterwards
    expect(store.depth).toBe(0);
  });
  it('block arguments are a parallel copy (swap in a loop)', () => {
    // (a, b) -> loop n times: (a, b) = (b, a)
    const r = run(
      { params: ['i32', 'i32', 'i32'], results: ['i32', 'i32'] },
      (b) => {
        const [a, c, n] = b.params;
        const loop = b.block(['i32', 'i32', 'i32']);
        const exit = b.block(['i32', 'i32']);
        b.br(loop, [a!, c!, n!]);
        b.switchTo(loop);
        const [x, y, k] = b.blockParams(loop);
        const k1 = b.op('i32.sub', [k!, b.i32(1)]);
        b.brIf(k1, loop, [y!, x!, k1], exit, [y!, x!]);
        b.switchTo(exit);
        b.ret(b.blockParams(exit));
      },
      [1, 2, 3],
    );
    expect(r).toEqual([2, 1]);
  });
});

describe('trap codes', () => {
  it('explicit trap carries its spec message', () => {
    expect(trapOf(() => run({ params: [], results: [] }, (b) => b.trap(TrapCode.Unreachable), []))).toBe('unreachable');
  });
});
