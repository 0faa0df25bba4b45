/**
 * SIMD ops for the interpreter. A v128 is 4 words of the register stack; each op
 * reads and writes lanes through typed-array views of the stack at the slot's offset,
 * so lane arithmetic wraps by storing into the lane's typed array and float lanes keep
 * the scalar ops' NaN behaviour. Handlers are indexed by IR opcode.
 */
import { lookupOp, opInfo } from '../opcodes.js';
import { TrapCode } from '../traps.js';
import { nearest } from '../passes/consteval.js';
import { Trap, type Store } from './runtime.js';

interface Views {
  i8: Int8Array;
  u8: Uint8Array;
  i16: Int16Array;
  u16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
  f32: Float32Array;
  f64: Float64Array;
  i64: BigInt64Array;
  u64: BigUint64Array;
}
type Sh = keyof Views;

const viewCache = new WeakMap<ArrayBufferLike, Views>();
function viewsOf(buf: ArrayBufferLike): Views {
  let v = viewCache.get(buf);
  if (!v) {
    v = {
      i8: new Int8Array(buf),
      u8: new Uint8Array(buf),
      i16: new Int16Array(buf),
      u16: new Uint16Array(buf),
      i32: new Int32Array(buf),
      u32: new Uint32Array(buf),
      f32: new Float32Array(buf),
      f64: new Float64Array(buf),
      i64: new BigInt64Array(buf),
      u64: new BigUint64Array(buf),
    };
    viewCache.set(buf, v);
  }
  return v;
}

const LANES: Record<Sh, number> = { i8: 16, u8: 16, i16: 8, u16: 8, i32: 4, u32: 4, f32: 4, f64: 2, i64: 2, u64: 2 };
/** Element index of word offset w in a view of shape sh. */
function at(sh: Sh, w: number): number {
  switch (LANES[sh]) {
    case 16:
      return w * 4;
    case 8:
      return w * 2;
    case 4:
      return w;
    default:
      return w >> 1;
  }
}

/** d, a, b, c are absolute word offsets; imm a lane index or objs index. */
type Handler = (v: Views, d: number, a: number, b: number, c: number, imm: number, objs: unknown[]) => void;
const H = new Map<string, Handler>();

// Scratch for ops whose output lanes depend on several input lanes.
const tmp = new Uint8Array(16);
const tmpI32 = new Int32Array(tmp.buffer);

/** JS passes a signalling f64 NaN through ceil/min/… unchanged; Wasm results are quiet (arithmetic) NaNs. */
function quiet64(v: Views, d: number): void {
  if (v.f64[d >> 1] !== v.f64[d >> 1]) v.i32[d + 1] |= 0x80000;
  if (v.f64[(d >> 1) + 1] !== v.f64[(d >> 1) + 1]) v.i32[d + 3] |= 0x80000;
}

function un(name: string, sh: Sh, f: (x: any) => any, out: Sh = sh): void {
  H.set(name, (v, d, a) => {
    const A = v[sh] as any;
    const R = v[out] as any;
    const ba = at(sh, a);
    const bd = at(out, d);
    for (let k = 0; k < LANES[sh]; k++) R[bd + k] = f(A[ba + k]);
    if (out === 'f64') quiet64(v, d);
  });
}
function bin(name: string, sh: Sh, f: (x: any, y: any) => any): void {
  H.set(name, (v, d, a, b) => {
    const A = v[sh] as any;
    const ba = at(sh, a);
    const bb = at(sh, b);
    const bd = at(sh, d);
    for (let k = 0; k < LANES[sh]; k++) A[bd + k] = f(A[ba + k], A[bb + k]);
    if (sh === 'f64') quiet64(v, d);
  });
}
/** Lane-wise compare: all ones or zero in a lane of the same width. */
function cmp(name: string, sh: Sh, f: (x: any, y: any) => boolean): void {
  const n = LANES[sh];
  const words = 4 / n; // i32 words per lane for 32/64-bit lanes
  H.set(name, (v, d, a, b) => {
    const A = v[sh] as any;
    const ba = at(sh, a);
    const bb = at(sh, b);
    if (n >= 8) {
      const R = (n === 16 ? v.i8 : v.i16) as any;
      const bd = at(n === 16 ? 'i8' : 'i16', d);
      for (let k = 0; k < n; k++) R[bd + k] = f(A[ba + k], A[bb + k]) ? -1 : 0;
    } else {
      for (let k = 0; k < n; k++) {
        const r = f(A[ba + k], A[bb + k]) ? -1 : 0;
        for (let j = 0; j < words; j++) v.i32[d + k * words + j] = r;
      }
    }
  });
}

const sat = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);
const INT_SHAPES = [
  ['i8x16', 'i8', 'u8', 8],
  ['i16x8', 'i16', 'u16', 16],
  ['i32x4', 'i32', 'u32', 32],
] as const;

// ---- bitwise ------------------------------------------------------------------------
H.set('v128.not', (v, d, a) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = ~v.i32[a + k]!;
});
H.set('v128.and', (v, d, a, b) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]! & v.i32[b + k]!;
});
H.set('v128.andnot', (v, d, a, b) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]! & ~v.i32[b + k]!;
});
H.set('v128.or', (v, d, a, b) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]! | v.i32[b + k]!;
});
H.set('v128.xor', (v, d, a, b) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]! ^ v.i32[b + k]!;
});
H.set('v128.bitselect', (v, d, a, b, c) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = (v.i32[a + k]! & v.i32[c + k]!) | (v.i32[b + k]! & ~v.i32[c + k]!);
});
H.set('v128.any_true', (v, d, a) => {
  v.i32[d] = (v.i32[a]! | v.i32[a + 1]! | v.i32[a + 2]! | v.i32[a + 3]!) !== 0 ? 1 : 0;
});

// ---- integer lanes ---------------------------------------------------------------------
for (const [shape, s, u, bits] of INT_SHAPES) {
  const min = -(2 ** (bits - 1));
  const max = 2 ** (bits - 1) - 1;
  const umax = 2 ** bits - 1;
  un(`${shape}.abs`, s, (x: number) => (x < 0 ? -x : x));
  un(`${shape}.neg`, s, (x: number) => -x);
  bin(`${shape}.add`, s, (x: number, y: number) => x + y);
  bin(`${shape}.sub`, s, (x: number, y: number) => x - y);
  bin(`${shape}.min_s`, s, (x: number, y: number) => (x < y ? x : y));
  bin(`${shape}.max_s`, s, (x: number, y: number) => (x > y ? x : y));
  bin(`${shape}.min_u`, u, (x: number, y: number) => (x < y ? x : y));
  bin(`${shape}.max_u`, u, (x: number, y: number) => (x > y ? x : y));
  if (bits < 32) {
    bin(`${shape}.add_sat_s`, s, (x: number, y: number) => sat(x + y, min, max));
    bin(`${shape}.sub_sat_s`, s, (x: number, y: number) => sat(x - y, min, max));
    bin(`${shape}.add_sat_u`, u, (x: number, y: number) => sat(x + y, 0, umax));
    bin(`${shape}.sub_sat_u`, u, (x: number, y: number) => sat(x - y, 0, umax));
    bin(`${shape}.avgr_u`, u, (x: number, y: number) => (x + y + 1) >>> 1);
  }
  cmp(`${shape}.eq`, s, (x, y) => x === y);
  cmp(`${shape}.ne`, s, (x, y) => x !== y);
  cmp(`${shape}.lt_s`, s, (x, y) => x < y);
  cmp(`${shape}.gt_s`, s, (x, y) => x > y);
  cmp(`${shape}.le_s`, s, (x, y) => x <= y);
  cmp(`${shape}.ge_s`, s, (x, y) => x >= y);
  cmp(`${shape}.lt_u`, u, (x, y) => x < y);
  cmp(`${shape}.gt_u`, u, (x, y) => x > y);
  cmp(`${shape}.le_u`, u, (x, y) => x <= y);
  cmp(`${shape}.ge_u`, u, (x, y) => x >= y);
  const n = LANES[s];
  H.set(`${shape}.all_true`, (v, d, a) => {
    const A = v[s];
    const ba = at(s, a);
    let r = 1;
    for (let k = 0; k < n; k++) if (A[ba + k] === 0) r = 0;
    v.i32[d] = r;
  });
  H.set(`${shape}.bitmask`, (v, d, a) => {
    const A = v[s];
    const ba = at(s, a);
    let r = 0;
    for (let k = 0; k < n; k++) if (A[ba + k]! < 0) r |= 1 << k;
    v.i32[d] = r;
  });
  const mask = bits - 1;
  for (const [op, view, f] of [
    ['shl', s, (x: number, k: number) => x << k],
    ['shr_s', s, (x: number, k: number) => x >> k],
    ['shr_u', u, (x: number, k: number) => x >>> k],
  ] as const) {
    H.set(`${shape}.${op}`, (v, d, a, b) => {
      const A = v[view];
      const k = v.i32[b]! & mask;
      const ba = at(view, a);
      const bd = at(view, d);
      for (let j = 0; j < n; j++) A[bd + j] = f(A[ba + j]!, k);
    });
  }
  H.set(`${shape}.splat`, (v, d, a) => {
    const A = v[s];
    const bd = at(s, d);
    const x = v.i32[a]!;
    for (let k = 0; k < n; k++) A[bd + k] = x;
  });
  H.set(`${shape}.replace_lane`, (v, d, a, b, _c, lane) => {
    for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]!;
    v[s][at(s, d) + lane] = v.i32[b]!;
  });
  if (bits < 32) {
    H.set(`${shape}.extract_lane_s`, (v, d, a, _b, _c, lane) => {
      v.i32[d] = v[s][at(s, a) + lane]!;
    });
    H.set(`${shape}.extract_lane_u`, (v, d, a, _b, _c, lane) => {
      v.i32[d] = v[u][at(u, a) + lane]!;
    });
  }
}
un('i8x16.popcnt', 'u8', (x: number) => {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
});
bin('i16x8.mul', 'i16', (x: number, y: number) => Math.imul(x, y));
bin('i32x4.mul', 'i32', (x: number, y: number) => Math.imul(x, y));
bin('i16x8.q15mulr_sat_s', 'i16', (x: number, y: number) => sat((x * y + 0x4000) >> 15, -32768, 32767));
H.set('i32x4.extract_lane', (v, d, a, _b, _c, lane) => {
  v.i32[d] = v.i32[a + lane]!;
});

// i64x2
un('i64x2.abs', 'i64', (x: bigint) => (x < 0n ? -x : x));
un('i64x2.neg', 'i64', (x: bigint) => -x);
bin('i64x2.add', 'i64', (x: bigint, y: bigint) => x + y);
bin('i64x2.sub', 'i64', (x: bigint, y: bigint) => x - y);
bin('i64x2.mul', 'i64', (x: bigint, y: bigint) => x * y);
cmp('i64x2.eq', 'i64', (x, y) => x === y);
cmp('i64x2.ne', 'i64', (x, y) => x !== y);
cmp('i64x2.lt_s', 'i64', (x, y) => x < y);
cmp('i64x2.gt_s', 'i64', (x, y) => x > y);
cmp('i64x2.le_s', 'i64', (x, y) => x <= y);
cmp('i64x2.ge_s', 'i64', (x, y) => x >= y);
H.set('i64x2.all_true', (v, d, a) => {
  v.i32[d] = (v.i32[a]! | v.i32[a + 1]!) !== 0 && (v.i32[a + 2]! | v.i32[a + 3]!) !== 0 ? 1 : 0;
});
H.set('i64x2.bitmask', (v, d, a) => {
  v.i32[d] = (v.i32[a + 1]! < 0 ? 1 : 0) | (v.i32[a + 3]! < 0 ? 2 : 0);
});
for (const [op, view, f] of [
  ['shl', 'i64', (x: bigint, k: bigint) => x << k],
  ['shr_s', 'i64', (x: bigint, k: bigint) => x >> k],
  ['shr_u', 'u64', (x: bigint, k: bigint) => x >> k],
] as const) {
  H.set(`i64x2.${op}`, (v, d, a, b) => {
    const A = v[view] as BigInt64Array;
    const k = BigInt(v.i32[b]! & 63);
    A[d >> 1] = f(A[a >> 1]!, k);
    A[(d >> 1) + 1] = f(A[(a >> 1) + 1]!, k);
  });
}
/** Copy word pairs/singles: splat, extract and replace of 32/64-bit lanes keep raw bits (NaN payloads). */
H.set('i64x2.splat', (v, d, a) => {
  v.i32[d] = v.i32[d + 2] = v.i32[a]!;
  v.i32[d + 1] = v.i32[d + 3] = v.i32[a + 1]!;
});
H.set('f64x2.splat', H.get('i64x2.splat')!);
H.set('f32x4.splat', (v, d, a) => {
  const x = v.i32[a]!;
  for (let k = 0; k < 4; k++) v.i32[d + k] = x;
});
H.set('f32x4.extract_lane', H.get('i32x4.extract_lane')!);
H.set('i64x2.extract_lane', (v, d, a, _b, _c, lane) => {
  v.i32[d] = v.i32[a + 2 * lane]!;
  v.i32[d + 1] = v.i32[a + 2 * lane + 1]!;
});
H.set('f64x2.extract_lane', H.get('i64x2.extract_lane')!);
H.set('f32x4.replace_lane', H.get('i32x4.replace_lane')!);
H.set('i64x2.replace_lane', (v, d, a, b, _c, lane) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]!;
  v.i32[d + 2 * lane] = v.i32[b]!;
  v.i32[d + 2 * lane + 1] = v.i32[b + 1]!;
});
H.set('f64x2.replace_lane', H.get('i64x2.replace_lane')!);

// ---- widening / narrowing ------------------------------------------------------------------
/** Output lane k of shape `out` from input lanes of shape `inp` (fn gets views and base indices). */
function widen(name: string, inp: Sh, out: Sh, fn: (A: any, B: any, ba: number, bb: number, k: number) => any): void {
  H.set(name, (v, d, a, b) => {
    const A = v[inp] as any;
    const ba = at(inp, a);
    const bb = at(inp, b);
    const R = v[out] as any;
    const bd = at(out, d);
    const n = LANES[out];
    // d never aliases a or b (fresh SSA slots), so writing lanes in place is safe.
    for (let k = 0; k < n; k++) R[bd + k] = fn(A, A, ba, bb, k);
  });
}
for (const [wide, narrowS, narrowU, shape] of [
  ['i16x8', 'i8', 'u8', 'i8x16'],
  ['i32x4', 'i16', 'u16', 'i16x8'],
] as const) {
  const out = wide === 'i16x8' ? 'i16' : 'i32';
  const half = LANES[out];
  widen(`${wide}.extend_low_${shape}_s`, narrowS, out, (A, _B, ba, _bb, k) => A[ba + k]);
  widen(`${wide}.extend_high_${shape}_s`, narrowS, out, (A, _B, ba, _bb, k) => A[ba + half + k]);
  widen(`${wide}.extend_low_${shape}_u`, narrowU, out, (A, _B, ba, _bb, k) => A[ba + k]);
  widen(`${wide}.extend_high_${shape}_u`, narrowU, out, (A, _B, ba, _bb, k) => A[ba + half + k]);
  widen(`${wide}.extadd_pairwise_${shape}_s`, narrowS, out, (A, _B, ba, _bb, k) => A[ba + 2 * k] + A[ba + 2 * k + 1]);
  widen(`${wide}.extadd_pairwise_${shape}_u`, narrowU, out, (A, _B, ba, _bb, k) => A[ba + 2 * k] + A[ba + 2 * k + 1]);
  for (const [sfx, view] of [
    ['s', narrowS],
    ['u', narrowU],
  ] as const) {
    widen(`${wide}.extmul_low_${shape}_${sfx}`, view, out, (A, B, ba, bb, k) => Math.imul(A[ba + k], B[bb + k]));
    widen(`${wide}.extmul_high_${shape}_${sfx}`, view, out, (A, B, ba, bb, k) => Math.imul(A[ba + half + k], B[bb + half + k]));
  }
}
widen('i64x2.extend_low_i32x4_s', 'i32', 'i64', (A, _B, ba, _bb, k) => BigInt(A[ba + k]));
widen('i64x2.extend_high_i32x4_s', 'i32', 'i64', (A, _B, ba, _bb, k) => BigInt(A[ba + 2 + k]));
widen('i64x2.extend_low_i32x4_u', 'u32', 'i64', (A, _B, ba, _bb, k) => BigInt(A[ba + k]));
widen('i64x2.extend_high_i32x4_u', 'u32', 'i64', (A, _B, ba, _bb, k) => BigInt(A[ba + 2 + k]));
widen('i64x2.extmul_low_i32x4_s', 'i32', 'i64', (A, B, ba, bb, k) => BigInt(A[ba + k]) * BigInt(B[bb + k]));
widen('i64x2.extmul_high_i32x4_s', 'i32', 'i64', (A, B, ba, bb, k) => BigInt(A[ba + 2 + k]) * BigInt(B[bb + 2 + k]));
widen('i64x2.extmul_low_i32x4_u', 'u32', 'i64', (A, B, ba, bb, k) => BigInt(A[ba + k]) * BigInt(B[bb + k]));
widen('i64x2.extmul_high_i32x4_u', 'u32', 'i64', (A, B, ba, bb, k) => BigInt(A[ba + 2 + k]) * BigInt(B[bb + 2 + k]));
widen('i32x4.dot_i16x8_s', 'i16', 'i32', (A, B, ba, bb, k) => (A[ba + 2 * k] * B[bb + 2 * k] + A[ba + 2 * k + 1] * B[bb + 2 * k + 1]) | 0);

for (const [name, inp, out, lo, hi] of [
  ['i8x16.narrow_i16x8_s', 'i16', 'i8', -128, 127],
  ['i8x16.narrow_i16x8_u', 'i16', 'u8', 0, 255],
  ['i16x8.narrow_i32x4_s', 'i32', 'i16', -32768, 32767],
  ['i16x8.narrow_i32x4_u', 'i32', 'u16', 0, 65535],
] as const) {
  H.set(name, (v, d, a, b) => {
    const A = v[inp];
    const n = LANES[inp];
    const R = v[out];
    const bd = at(out, d);
    for (let k = 0; k < n; k++) R[bd + k] = sat(A[at(inp, a) + k]!, lo, hi);
    for (let k = 0; k < n; k++) R[bd + n + k] = sat(A[at(inp, b) + k]!, lo, hi);
  });
}

// ---- shuffles ----------------------------------------------------------------------------
H.set('i8x16.swizzle', (v, d, a, b) => {
  const U = v.u8;
  for (let k = 0; k < 16; k++) {
    const i = U[b * 4 + k]!;
    tmp[k] = i < 16 ? U[a * 4 + i]! : 0;
  }
  for (let k = 0; k < 4; k++) v.i32[d + k] = tmpI32[k]!;
});
H.set('i8x16.shuffle', (v, d, a, b, _c, imm, objs) => {
  const mask = objs[imm] as Uint8Array;
  const U = v.u8;
  for (let k = 0; k < 16; k++) {
    const i = mask[k]!;
    tmp[k] = i < 16 ? U[a * 4 + i]! : U[b * 4 + i - 16]!;
  }
  for (let k = 0; k < 4; k++) v.i32[d + k] = tmpI32[k]!;
});

// ---- float lanes ---------------------------------------------------------------------------
for (const [shape, sh] of [
  ['f32x4', 'f32'],
  ['f64x2', 'f64'],
] as const) {
  bin(`${shape}.add`, sh, (x: number, y: number) => x + y);
  bin(`${shape}.sub`, sh, (x: number, y: number) => x - y);
  bin(`${shape}.mul`, sh, (x: number, y: number) => x * y);
  bin(`${shape}.div`, sh, (x: number, y: number) => x / y);
  bin(`${shape}.min`, sh, (x: number, y: number) => Math.min(x, y));
  bin(`${shape}.max`, sh, (x: number, y: number) => Math.max(x, y));
  // pmin/pmax return an operand unchanged (bits and all): select words, not values.
  const n = LANES[sh];
  const words = 4 / n;
  for (const [op, pickB] of [
    ['pmin', (x: number, y: number) => y < x],
    ['pmax', (x: number, y: number) => x < y],
  ] as const) {
    H.set(`${shape}.${op}`, (v, d, a, b) => {
      const A = v[sh];
      for (let k = 0; k < n; k++) {
        const src = pickB(A[at(sh, a) + k]!, A[at(sh, b) + k]!) ? b : a;
        for (let j = 0; j < words; j++) v.i32[d + k * words + j] = v.i32[src + k * words + j]!;
      }
    });
  }
  un(`${shape}.ceil`, sh, Math.ceil);
  un(`${shape}.floor`, sh, Math.floor);
  un(`${shape}.trunc`, sh, Math.trunc);
  un(`${shape}.nearest`, sh, nearest);
  un(`${shape}.sqrt`, sh, Math.sqrt);
  cmp(`${shape}.eq`, sh, (x, y) => x === y);
  cmp(`${shape}.ne`, sh, (x, y) => x !== y);
  cmp(`${shape}.lt`, sh, (x, y) => x < y);
  cmp(`${shape}.gt`, sh, (x, y) => x > y);
  cmp(`${shape}.le`, sh, (x, y) => x <= y);
  cmp(`${shape}.ge`, sh, (x, y) => x >= y);
}
H.set('f32x4.abs', (v, d, a) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]! & 0x7fffffff;
});
H.set('f32x4.neg', (v, d, a) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[a + k]! ^ -0x80000000;
});
H.set('f64x2.abs', (v, d, a) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = k & 1 ? v.i32[a + k]! & 0x7fffffff : v.i32[a + k]!;
});
H.set('f64x2.neg', (v, d, a) => {
  for (let k = 0; k < 4; k++) v.i32[d + k] = k & 1 ? v.i32[a + k]! ^ -0x80000000 : v.i32[a + k]!;
});

const satS32 = (x: number): number => (x !== x ? 0 : x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x) | 0);
const satU32 = (x: number): number => (x !== x || x <= 0 ? 0 : x >= 4294967295 ? -1 : Math.trunc(x) | 0);
un('i32x4.trunc_sat_f32x4_s', 'f32', satS32, 'i32');
un('i32x4.trunc_sat_f32x4_u', 'f32', satU32, 'i32');
un('f32x4.convert_i32x4_s', 'i32', (x: number) => x, 'f32');
un('f32x4.convert_i32x4_u', 'u32', (x: number) => x, 'f32');
for (const [name, f] of [
  ['i32x4.trunc_sat_f64x2_s_zero', satS32],
  ['i32x4.trunc_sat_f64x2_u_zero', satU32],
] as const) {
  H.set(name, (v, d, a) => {
    const x0 = v.f64[a >> 1]!;
    const x1 = v.f64[(a >> 1) + 1]!;
    v.i32[d] = f(x0);
    v.i32[d + 1] = f(x1);
    v.i32[d + 2] = 0;
    v.i32[d + 3] = 0;
  });
}
H.set('f64x2.convert_low_i32x4_s', (v, d, a) => {
  const x0 = v.i32[a]!;
  const x1 = v.i32[a + 1]!;
  v.f64[d >> 1] = x0;
  v.f64[(d >> 1) + 1] = x1;
});
H.set('f64x2.convert_low_i32x4_u', (v, d, a) => {
  const x0 = v.u32[a]!;
  const x1 = v.u32[a + 1]!;
  v.f64[d >> 1] = x0;
  v.f64[(d >> 1) + 1] = x1;
});
H.set('f32x4.demote_f64x2_zero', (v, d, a) => {
  const x0 = v.f64[a >> 1]!;
  const x1 = v.f64[(a >> 1) + 1]!;
  v.f32[d] = x0;
  v.f32[d + 1] = x1;
  v.i32[d + 2] = 0;
  v.i32[d + 3] = 0;
});
H.set('f64x2.promote_low_f32x4', (v, d, a) => {
  const x0 = v.f32[a]!;
  const x1 = v.f32[a + 1]!;
  v.f64[d >> 1] = x0;
  v.f64[(d >> 1) + 1] = x1;
});

// ---- dispatch ---------------------------------------------------------------------------------
const BY_OPCODE: (Handler | undefined)[] = [];
for (const [name, h] of H) {
  const op = lookupOp(name);
  if (op === undefined) throw new Error(`simd: no IR op ${name}`);
  BY_OPCODE[op] = h;
}

/** Names of SIMD ops this file implements (for tests). */
export function simdOpNames(): string[] {
  return [...H.keys()];
}

/** [SIMD, irop, d, a, b, c, imm] */
export function simdOp(irop: number, S: Store, fp: number, code: Int32Array, pc: number, objs: unknown[]): void {
  const h = BY_OPCODE[irop];
  if (!h) throw new Error(`interp: unsupported SIMD op ${opInfo(irop).name}`);
  h(viewsOf(S.i32.buffer), fp + code[pc + 2]!, fp + code[pc + 3]!, fp + code[pc + 4]!, fp + code[pc + 5]!, code[pc + 6]!, objs);
}

// ---- memory ----------------------------------------------------------------------------------
type MemHandler = (v: Views, mem: Uint8Array, ea: number, d: number, vec: number, lane: number) => void;
const M = new Map<string, { bytes: number; h: MemHandler }>();
const memTmp = new Uint8Array(8);
const memDv = new DataView(memTmp.buffer);

function load8(mem: Uint8Array, ea: number, n: number): DataView {
  for (let k = 0; k < n; k++) memTmp[k] = mem[ea + k]!;
  return memDv;
}
M.set('v128.load', {
  bytes: 16,
  h: (v, mem, ea, d) => {
    v.u8.set(mem.subarray(ea, ea + 16), d * 4);
  },
});
M.set('v128.store', {
  bytes: 16,
  h: (v, mem, ea, _d, vec) => {
    mem.set(v.u8.subarray(vec * 4, vec * 4 + 16), ea);
  },
});
for (const [name, inp, out, signed] of [
  ['v128.load8x8_s', 1, 'i16', true],
  ['v128.load8x8_u', 1, 'i16', false],
  ['v128.load16x4_s', 2, 'i32', true],
  ['v128.load16x4_u', 2, 'i32', false],
  ['v128.load32x2_s', 4, 'i64', true],
  ['v128.load32x2_u', 4, 'i64', false],
] as const) {
  M.set(name, {
    bytes: 8,
    h: (v, mem, ea, d) => {
      const dv = load8(mem, ea, 8);
      const n = 8 / inp;
      for (let k = 0; k < n; k++) {
        if (inp === 1) v.i16[d * 2 + k] = signed ? dv.getInt8(k) : dv.getUint8(k);
        else if (inp === 2) v.i32[d + k] = signed ? dv.getInt16(2 * k, true) : dv.getUint16(2 * k, true);
        else v.i64[(d >> 1) + k] = BigInt(signed ? dv.getInt32(4 * k, true) : dv.getUint32(4 * k, true));
      }
      void out;
    },
  });
}
for (const bytes of [1, 2, 4, 8] as const) {
  M.set(`v128.load${bytes * 8}_splat`, {
    bytes,
    h: (v, mem, ea, d) => {
      for (let k = 0; k < 16; k++) v.u8[d * 4 + k] = mem[ea + (k % bytes)]!;
    },
  });
  M.set(`v128.load${bytes * 8}_lane`, {
    bytes,
    h: (v, mem, ea, d, vec, lane) => {
      for (let k = 0; k < 4; k++) v.i32[d + k] = v.i32[vec + k]!;
      for (let k = 0; k < bytes; k++) v.u8[d * 4 + lane * bytes + k] = mem[ea + k]!;
    },
  });
  M.set(`v128.store${bytes * 8}_lane`, {
    bytes,
    h: (v, mem, ea, _d, vec, lane) => {
      for (let k = 0; k < bytes; k++) mem[ea + k] = v.u8[vec * 4 + lane * bytes + k]!;
    },
  });
  if (bytes >= 4) {
    M.set(`v128.load${bytes * 8}_zero`, {
      bytes,
      h: (v, mem, ea, d) => {
        for (let k = 0; k < 16; k++) v.u8[d * 4 + k] = k < bytes ? mem[ea + k]! : 0;
      },
    });
  }
}
const MEM_BY_OPCODE: ({ bytes: number; h: MemHandler } | undefined)[] = [];
for (const [name, h] of M) {
  const op = lookupOp(name);
  if (op === undefined) throw new Error(`simd: no IR op ${name}`);
  MEM_BY_OPCODE[op] = h;
}

/** [SIMD_MEM, irop, d, addr, vec, offset, lane] */
export function simdMemOp(irop: number, S: Store, fp: number, code: Int32Array, pc: number, mem: Uint8Array, _dv: DataView, memLen: number): void {
  const e = MEM_BY_OPCODE[irop];
  if (!e) throw new Error(`interp: unsupported SIMD memory op ${opInfo(irop).name}`);
  const v = viewsOf(S.i32.buffer);
  const ea = (v.i32[fp + code[pc + 3]!]! >>> 0) + (code[pc + 5]! >>> 0);
  if (ea + e.bytes > memLen) throw new Trap(TrapCode.OutOfBoundsMemoryAccess);
  e.h(v, mem, ea, fp + code[pc + 2]!, fp + code[pc + 4]!, code[pc + 6]!);
}
