/**
 * The fuzzer's own module generator, for shapes binaryen's -ttf rarely makes: deep block
 * nesting with a huge br_table, blocks and ifs with many parameters, memory accesses at
 * extreme static offsets, every trapping operator, call_indirect over same-arity signatures,
 * memory.grow, deep recursion, and integer/float operators against edge constants.
 * Each function is exported as `s<k>`; the returned signatures drive argument choice.
 */
import type { FuncType } from '../src/ir/types.js';
import { Rng } from './rng.js';
import { STATE_MUL, STATE_SEED } from './outcome.js';
import { ModuleBuilder, OP, i32c, i64c, memarg, uleb, type ValT } from './wasm-enc.js';

export const I32_EDGES = [0n, 1n, 2n, 7n, 8n, 31n, 32n, 33n, 63n, 64n, 0xffn, 0x100n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n, 0xfff8n, 0xfffcn, 0xfffen, 0xffffn, 0x7fffffffn, 0x80000000n, 0x80000001n, 0xfffffffen, 0xffffffffn];
export const I64_EDGES = [0n, 1n, 63n, 64n, 65n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, 0xfffffffffffffffen, 0xffffffffffffffffn];
export const F32_EDGES = [0x0n, 0x80000000n, 0x3f800000n, 0xbf800000n, 0x3f000000n, 0xbf000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0xffc00000n, 0x7fa00001n, 0x1n, 0x7f7fffffn, 0x4effffffn, 0x4f000000n, 0xcf000000n, 0xcf000001n, 0x4f800000n, 0x4f7fffffn, 0x5f000000n, 0xdf000000n, 0x5f800000n, 0xbf7fffffn, 0x3fc00000n];
export const F64_EDGES = [0x0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff4000000000001n, 0x1n, 0x41dfffffffc00000n, 0x41e0000000000000n, 0xc1e0000000000000n, 0xc1e0000000200000n, 0xc1e00000001fffffn, 0x41efffffffe00000n, 0x41f0000000000000n, 0x43e0000000000000n, 0xc3e0000000000000n, 0x43f0000000000000n, 0xbfefffffffffffffn, 0x3fe0000000000000n];

export const EDGES: Record<ValT, bigint[]> = { i32: I32_EDGES, i64: I64_EDGES, f32: F32_EDGES, f64: F64_EDGES };

const CONST: Record<ValT, (b: bigint) => number[]> = {
  i32: (b) => i32c(b),
  i64: (b) => i64c(b),
  f32: (b) => [OP.f32_const, ...le(b, 4)],
  f64: (b) => [OP.f64_const, ...le(b, 8)],
};
function le(b: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((b >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** Folds the value on top of the stack (of type t) into i64 local h. */
function fold(t: ValT, h: number): number[] {
  const toI64: Record<ValT, number[]> = { i32: [OP.i64_extend_i32_u], i64: [], f32: [OP.i32_reinterpret_f32, OP.i64_extend_i32_u], f64: [OP.i64_reinterpret_f64] };
  return [...toI64[t], OP.local_get, h, OP.i64_xor, ...i64c(0x100000001b3n), OP.i64_mul, OP.local_set, h];
}

// [opcode bytes, operand type, operand type 2 or undefined, result type]
type Op = [number[], ValT, ValT | undefined, ValT];
const OPS: Op[] = [];
for (let o = 0x6a; o <= 0x78; o++) OPS.push([[o], 'i32', 'i32', 'i32']);
for (let o = 0x46; o <= 0x4f; o++) OPS.push([[o], 'i32', 'i32', 'i32']);
for (let o = 0x7c; o <= 0x8a; o++) OPS.push([[o], 'i64', 'i64', 'i64']);
for (let o = 0x51; o <= 0x5a; o++) OPS.push([[o], 'i64', 'i64', 'i32']);
for (let o = 0x92; o <= 0x98; o++) OPS.push([[o], 'f32', 'f32', 'f32']);
for (let o = 0xa0; o <= 0xa6; o++) OPS.push([[o], 'f64', 'f64', 'f64']);
for (let o = 0x5b; o <= 0x60; o++) OPS.push([[o], 'f32', 'f32', 'i32']);
for (let o = 0x61; o <= 0x66; o++) OPS.push([[o], 'f64', 'f64', 'i32']);
for (const o of [0x67, 0x68, 0x69, 0x45, 0xc0, 0xc1]) OPS.push([[o], 'i32', undefined, 'i32']);
for (const o of [0x79, 0x7a, 0x7b, 0xc2, 0xc3, 0xc4]) OPS.push([[o], 'i64', undefined, 'i64']);
OPS.push([[0x50], 'i64', undefined, 'i32'], [[0xa7], 'i64', undefined, 'i32'], [[0xac], 'i32', undefined, 'i64'], [[0xad], 'i32', undefined, 'i64']);
for (let o = 0x8b; o <= 0x91; o++) OPS.push([[o], 'f32', undefined, 'f32']);
for (let o = 0x99; o <= 0x9f; o++) OPS.push([[o], 'f64', undefined, 'f64']);
const TRUNC: [number, ValT, ValT][] = [[0xa8, 'f32', 'i32'], [0xa9, 'f32', 'i32'], [0xaa, 'f64', 'i32'], [0xab, 'f64', 'i32'], [0xae, 'f32', 'i64'], [0xaf, 'f32', 'i64'], [0xb0, 'f64', 'i64'], [0xb1, 'f64', 'i64']];
for (const [o, a, r] of TRUNC) OPS.push([[o], a, undefined, r]);
TRUNC.forEach(([, a, r], k) => OPS.push([[0xfc, k], a, undefined, r]));
for (const [o, a, r] of [[0xb2, 'i32', 'f32'], [0xb3, 'i32', 'f32'], [0xb4, 'i64', 'f32'], [0xb5, 'i64', 'f32'], [0xb6, 'f64', 'f32'], [0xb7, 'i32', 'f64'], [0xb8, 'i32', 'f64'], [0xb9, 'i64', 'f64'], [0xba, 'i64', 'f64'], [0xbb, 'f32', 'f64'], [0xbc, 'f32', 'i32'], [0xbd, 'f64', 'i64'], [0xbe, 'i32', 'f32'], [0xbf, 'i64', 'f64']] as [number, ValT, ValT][]) OPS.push([[o], a, undefined, r]);
/** Bit-exact float ops (neg, abs, copysign, reinterpret): their results are compared by bits via i32/i64. */
const BIT_EXACT = new Set([0x8b, 0x8c, 0x98, 0x99, 0x9a, 0xa6]);

const ALL_T: ValT[] = ['i32', 'i64', 'f32', 'f64'];

export interface ShapesModule {
  wasm: Uint8Array;
  sigs: Record<string, FuncType>;
  globals: { name: string; type: ValT }[];
  hasStateFn: boolean;
}

export function generateShapes(rng: Rng): ShapesModule {
  const b = new ModuleBuilder();
  const sigs: Record<string, FuncType> = {};
  let n = 0;
  const add = (params: ValT[], results: ValT[], locals: ValT[], body: number[]): number => {
    const name = `s${n++}`;
    sigs[name] = { params, results };
    return b.func(params, results, locals, body, name);
  };
  const pages = rng.range(1, 3);
  b.memory = { min: pages, max: pages + rng.range(0, 2) };
  b.datas.push({ offset: rng.int(pages * 65536 - 64), bytes: [...rng.bytes(64)] });
  const g = b.global('i64', true, i64c(rng.u64()), 'g0');

  const kinds = rng.range(3, 8);
  for (let k = 0; k < kinds; k++) {
    switch (rng.int(8)) {
      case 0: { // deep nesting + br_table
        // Huge shapes are rare: their compile time (liveness over hundreds of blocks) dominates a fuzz run.
        const depth = rng.bool(0.1) ? rng.range(100, 600) : rng.range(8, 100);
        const entries = rng.bool(0.1) ? rng.range(1000, 5000) : rng.range(1, 64);
        const body: number[] = [];
        for (let d = 0; d < depth; d++) body.push(OP.block, 0x40);
        body.push(OP.local_get, 0, OP.br_table, ...uleb(entries));
        for (let e = 0; e < entries; e++) body.push(...uleb(rng.int(depth)));
        body.push(...uleb(rng.int(depth)));
        for (let d = 0; d < depth; d++) body.push(OP.end, OP.local_get, 1, ...i32c(31), OP.i32_mul, ...i32c(rng.u32()), OP.i32_add, OP.local_set, 1);
        body.push(OP.local_get, 1);
        add(['i32'], ['i32'], ['i32'], body);
        break;
      }
      case 1: { // block / if / loop with many parameters
        const np = rng.range(1, 24);
        const ts = Array.from({ length: np }, () => rng.pick(ALL_T));
        const params: ValT[] = ['i32', 'i32', 'i64', 'f32', 'f64'];
        const h = params.length;
        const bt = b.type(ts, ts);
        const body: number[] = [];
        for (const t of ts) {
          const p = params.indexOf(t, 1);
          body.push(...(rng.bool(0.5) && p >= 0 ? [OP.local_get, p] : CONST[t](rng.pick(EDGES[t]))));
        }
        const kind = rng.int(3);
        const top = ts[ts.length - 1]!;
        const modify: number[] = top === 'i32' ? [...i32c(rng.u32()), OP.i32_xor] : top === 'i64' ? [...i64c(rng.u64()), OP.i64_add] : top === 'f32' ? [0x8c] : [0x9a];
        if (kind === 0) body.push(OP.block, ...uleb(bt), OP.local_get, 0, OP.br_if, 0, ...modify, OP.end);
        else if (kind === 1) body.push(OP.local_get, 0, OP.if, ...uleb(bt), ...modify, OP.else, OP.end);
        else body.push(OP.loop, ...uleb(bt), OP.end);
        for (let i = ts.length - 1; i >= 0; i--) body.push(...fold(ts[i]!, h));
        body.push(OP.local_get, h);
        add(params, ['i64'], ['i64'], body);
        break;
      }
      case 2: { // memory access at an extreme static offset
        const acc = rng.pick([
          [OP.i32_load, 'i32', 2], [OP.i64_load, 'i64', 3], [OP.f32_load, 'f32', 2], [OP.f64_load, 'f64', 3],
          [OP.i32_load8_s, 'i32', 0], [OP.i32_load8_u, 'i32', 0], [OP.i32_load16_s, 'i32', 1], [OP.i32_load16_u, 'i32', 1],
          [OP.i64_load8_s, 'i64', 0], [OP.i64_load16_u, 'i64', 1], [OP.i64_load32_s, 'i64', 2], [OP.i64_load32_u, 'i64', 2],
        ] as [number, ValT, number][]);
        const off = rng.pick([0, 1, 7, 65535, 65536, 65536 * pages - 1, 65536 * pages, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, rng.u32()]);
        const align = rng.int(acc[2] + 1);
        const reint = acc[1] === 'f32' ? [OP.i32_reinterpret_f32] : acc[1] === 'f64' ? [OP.i64_reinterpret_f64] : [];
        const rt: ValT = acc[1] === 'f32' ? 'i32' : acc[1] === 'f64' ? 'i64' : acc[1];
        add(['i32'], [rt], [], [OP.local_get, 0, acc[0], ...memarg(align, off), ...reint]);
        const st = rng.pick([[OP.i32_store, 'i32', 2], [OP.i64_store, 'i64', 3], [OP.i32_store8, 'i32', 0], [OP.i32_store16, 'i32', 1], [OP.i64_store32, 'i64', 2], [OP.f64_store, 'f64', 3]] as [number, ValT, number][]);
        const soff = rng.pick([0, 3, 65535, 65536 * pages - 8, 0x80000000, 0xffffffff, rng.u32()]);
        add(['i32', st[1]], [], [], [OP.local_get, 0, OP.local_get, 1, st[0], ...memarg(rng.int(st[2] + 1), soff)]);
        break;
      }
      case 3: { // every trapping / edge operator: op(param, const) and op(param, param)
        for (let j = 0; j < 6; j++) {
          const [code, a, a2, r] = rng.pick(OPS);
          const exact = code.length === 1 && BIT_EXACT.has(code[0]!);
          const tail = exact && r === 'f32' ? [OP.i32_reinterpret_f32] : exact && r === 'f64' ? [OP.i64_reinterpret_f64] : [];
          const rr: ValT = tail.length ? (r === 'f32' ? 'i32' : 'i64') : r;
          if (a2 === undefined) add([a], [rr], [], [OP.local_get, 0, ...code, ...tail]);
          else if (rng.bool()) add([a, a2], [rr], [], [OP.local_get, 0, OP.local_get, 1, ...code, ...tail]);
          else {
            const c = CONST[a2](rng.pick(EDGES[a2]));
            add([a], [rr], [], rng.bool() ? [OP.local_get, 0, ...c, ...code, ...tail] : [...CONST[a](rng.pick(EDGES[a])), OP.local_get, 0, ...code, ...tail]);
          }
        }
        break;
      }
      case 4: { // memory.grow / size, then a store at the old end
        add(['i32'], ['i32'], ['i32'], [OP.local_get, 0, OP.memory_grow, 0, OP.local_tee, 1, OP.i32_const, 0x7f, OP.i32_eq, OP.if, 0x40, OP.else, OP.memory_size, 0, ...i32c(16), OP.i32_shl, ...i32c(4), OP.i32_sub, ...i32c(0x5a5a5a5a), OP.i32_store, 2, 0, OP.end, OP.local_get, 1, OP.memory_size, 0, ...i32c(16), OP.i32_shl, OP.i32_add]);
        break;
      }
      case 5: { // recursion (deep → exhaustion) through a global counter
        const self = b.imports.length + b.funcs.length;
        // Mostly bounded (depth < 4096, comparable everywhere); sometimes unbounded (exhaustion must trap on every engine).
        const bound = rng.bool(0.8) ? [...i32c(0xfff), OP.i32_and] : [];
        add(['i32'], ['i32'], [], [OP.local_get, 0, ...bound, OP.i32_eqz, OP.if, 0x7f, ...i32c(0), OP.else, OP.global_get, g, ...i64c(1), OP.i64_add, OP.global_set, g, OP.local_get, 0, ...i32c(1), OP.i32_sub, OP.call, ...uleb(self), ...i32c(1), OP.i32_add, OP.end]);
        break;
      }
      default: { // a straight-line mix with a global, a select and a local chain
        const t = rng.pick(ALL_T.slice(0, 2));
        const body: number[] = [OP.local_get, 0];
        for (let j = 0; j < rng.range(1, 12); j++) {
          const cands = OPS.filter((o) => o[1] === t && o[3] === t && (o[2] === undefined || o[2] === t));
          const [code, , a2] = rng.pick(cands);
          if (a2 !== undefined) body.push(...(rng.bool() ? CONST[t](rng.pick(EDGES[t])) : [OP.local_get, 0]));
          body.push(...code);
        }
        add([t], [t], [], body);
      }
    }
  }
  // call_indirect over same-arity, different-type signatures (and a null slot).
  const fI = b.func(['i32'], ['i32'], [], [OP.local_get, 0, ...i32c(1), OP.i32_add]);
  const fF = b.func(['f32'], ['i32'], [], [OP.local_get, 0, OP.i32_reinterpret_f32]);
  const fL = b.func(['i64'], ['i32'], [], [OP.local_get, 0, OP.i32_wrap_i64]);
  const fR = b.func(['i32'], ['i64'], [], [OP.local_get, 0, OP.i64_extend_i32_s]);
  const slots = [fI, fF, fL, fR, fI].sort(() => (rng.bool() ? 1 : -1));
  b.table = { min: slots.length + 2, max: slots.length + 2 };
  b.elems.push({ offset: 0, funcs: slots });
  add(['i32', 'i32'], ['i32'], [], [OP.local_get, 1, OP.local_get, 0, OP.call_indirect, ...uleb(b.type(['i32'], ['i32'])), 0]);
  // The state probe: the hash of all of memory (outcome.ts stateHash); g0 is observed as a global.
  const sfn = b.func([], ['i64'], ['i32', 'i32'], [
    ...i32c(STATE_SEED), OP.local_set, 1,
    OP.block, 0x40, OP.loop, 0x40,
    OP.local_get, 0, OP.memory_size, 0, ...i32c(16), OP.i32_shl, 0x4f /* i32.ge_u */, OP.br_if, 1,
    OP.local_get, 1, ...i32c(5), OP.i32_rotl, OP.local_get, 0, OP.i32_load, 2, 0, OP.i32_xor, ...i32c(STATE_MUL), OP.i32_mul, OP.local_set, 1,
    OP.local_get, 0, ...i32c(4), OP.i32_add, OP.local_set, 0, OP.br, 0, OP.end, OP.end,
    OP.local_get, 1, OP.i64_extend_i32_u,
  ]);
  b.exports.push({ name: '__fuzz_state', kind: 0, index: sfn });
  return { wasm: b.encode(), sigs, globals: [{ name: 'g0', type: 'i64' }], hasStateFn: true };
}
