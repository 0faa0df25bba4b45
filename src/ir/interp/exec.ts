/**
 * The interpreter's dispatch loop.
 *
 * Code is an Int32Array of instructions `[op, operands…]` produced by compile.ts;
 * operands are word offsets into the current frame of the register stack (see
 * runtime.ts for the value layout), branch targets are code indices. One loop runs a
 * whole call tree: calls push (pc, fp, function) on the store's frame stack instead of
 * recursing in JS, so deep Wasm recursion ends as the `call stack exhausted` trap and
 * calls between instances cost no more than calls within one. Host functions are the
 * only JS calls.
 *
 * The op numbers are a `const enum` so that the switch compiles to a jump table.
 */
import { Trap, type FuncInst, type Store, type MemoryInst, type TableInst, type GlobalInst, readVal, readHostVal, writeHostVal, type Val } from './runtime.js';
import { TrapCode } from '../traps.js';
import { inTruncRange, truncRange, type TruncRange } from '../trunc.js';
import { nearest, bigintToF32Bits } from '../passes/consteval.js';
import { compileFuncInst } from './compile.js';
import { simdOp, simdMemOp } from './simd.js';

export const enum X {
  // Control and data movement.
  JMP, BR_IF, BR_UNLESS, BR_TABLE, RET, TRAP, CALL, CALL_REF,
  MOV1, MOV2, MOV4, K1, K2, K4, SEL1, SEL2, SEL4,
  GGET1, GGET2, GGET4, GSET1, GSET2, GSET4,
  REF_IS_NULL,
  MEM_SIZE, MEM_GROW, MEM_FILL, MEM_COPY, MEM_INIT, DATA_DROP, MEM_CHECK,
  TABLE_GET, TABLE_SET, TABLE_SIZE, TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT, ELEM_DROP, CHECK_CALL,
  SIMD, SIMD_MEM,
  // Superinstructions (compile.ts): an i32 op with a constant right operand, [op, d, a, k].
  I32_ADD_K, I32_MUL_K, I32_AND_K, I32_OR_K, I32_XOR_K, I32_SHL_K, I32_SHR_S_K, I32_SHR_U_K,
  I32_EQ_K, I32_NE_K, I32_LT_S_K, I32_LT_U_K, I32_GT_S_K, I32_GT_U_K, I32_LE_S_K, I32_LE_U_K, I32_GE_S_K, I32_GE_U_K,
  // Compare and branch, [op, a, b, target] / [op, a, k, target]; jump when the compare holds.
  BR_EQ, BR_NE, BR_LT_S, BR_LT_U, BR_GT_S, BR_GT_U, BR_LE_S, BR_LE_U, BR_GE_S, BR_GE_U,
  BR_EQ_K, BR_NE_K, BR_LT_S_K, BR_LT_U_K, BR_GT_S_K, BR_GT_U_K, BR_LE_S_K, BR_LE_U_K, BR_GE_S_K, BR_GE_U_K,
  // Scalar numeric ops and memory accesses, named after their IR op.
  I32_EQZ, I32_CLZ, I32_CTZ, I32_POPCNT, I32_EXTEND8_S, I32_EXTEND16_S, I32_ADD, I32_SUB, I32_MUL, I32_AND, I32_OR, I32_XOR, I32_SHL, I32_SHR_S, I32_SHR_U, I32_ROTL, I32_ROTR, I32_EQ, I32_NE, I32_LT_S, I32_LT_U, I32_GT_S, I32_GT_U, I32_LE_S, I32_LE_U, I32_GE_S, I32_GE_U, I32_CHECK_NONZERO, I32_CHECK_DIV_S, I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I64_EQZ, I64_CLZ, I64_CTZ, I64_POPCNT, I64_EXTEND8_S, I64_EXTEND16_S, I64_ADD, I64_SUB, I64_MUL, I64_AND, I64_OR, I64_XOR, I64_SHL, I64_SHR_S, I64_SHR_U, I64_ROTL, I64_ROTR, I64_EQ, I64_NE, I64_LT_S, I64_LT_U, I64_GT_S, I64_GT_U, I64_LE_S, I64_LE_U, I64_GE_S, I64_GE_U, I64_CHECK_NONZERO, I64_CHECK_DIV_S, I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U, F32_ABS, F32_NEG, F32_CEIL, F32_FLOOR, F32_TRUNC, F32_NEAREST, F32_SQRT, F32_ADD, F32_SUB, F32_MUL, F32_DIV, F32_MIN, F32_MAX, F32_COPYSIGN, F32_EQ, F32_NE, F32_LT, F32_GT, F32_LE, F32_GE, F64_ABS, F64_NEG, F64_CEIL, F64_FLOOR, F64_TRUNC, F64_NEAREST, F64_SQRT, F64_ADD, F64_SUB, F64_MUL, F64_DIV, F64_MIN, F64_MAX, F64_COPYSIGN, F64_EQ, F64_NE, F64_LT, F64_GT, F64_LE, F64_GE, I32_WRAP_I64, I64_EXTEND_I32_S, I64_EXTEND_I32_U, I64_EXTEND32_S, F32_CONVERT_I32_S, F32_CONVERT_I32_U, F32_CONVERT_I64_S, F32_CONVERT_I64_U, F64_CONVERT_I32_S, F64_CONVERT_I32_U, F64_CONVERT_I64_S, F64_CONVERT_I64_U, F32_DEMOTE_F64, F64_PROMOTE_F32, I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F32_U, I32_TRUNC_SAT_F64_S, I32_TRUNC_SAT_F64_U, I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F32_U, I64_TRUNC_SAT_F64_S, I64_TRUNC_SAT_F64_U, I32_CHECK_TRUNC_F32_S, I32_TRUNC_F32_S, I32_CHECK_TRUNC_F32_U, I32_TRUNC_F32_U, I32_CHECK_TRUNC_F64_S, I32_TRUNC_F64_S, I32_CHECK_TRUNC_F64_U, I32_TRUNC_F64_U, I64_CHECK_TRUNC_F32_S, I64_TRUNC_F32_S, I64_CHECK_TRUNC_F32_U, I64_TRUNC_F32_U, I64_CHECK_TRUNC_F64_S, I64_TRUNC_F64_S, I64_CHECK_TRUNC_F64_U, I64_TRUNC_F64_U, I32_LOAD, I64_LOAD, I32_LOAD8_S, I32_LOAD8_U, I32_LOAD16_S, I32_LOAD16_U, I64_LOAD8_S, I64_LOAD8_U, I64_LOAD16_S, I64_LOAD16_U, I64_LOAD32_S, I64_LOAD32_U, I32_STORE, I64_STORE, I32_STORE8, I32_STORE16,
}

/** IR op name -> exec op for ops encoded as [op, results…, args…] (loads/stores add the static offset). */
export const SCALAR_OPS: Readonly<Record<string, X>> = {
  'i32.eqz': X.I32_EQZ,
  'i32.clz': X.I32_CLZ,
  'i32.ctz': X.I32_CTZ,
  'i32.popcnt': X.I32_POPCNT,
  'i32.extend8_s': X.I32_EXTEND8_S,
  'i32.extend16_s': X.I32_EXTEND16_S,
  'i32.add': X.I32_ADD,
  'i32.sub': X.I32_SUB,
  'i32.mul': X.I32_MUL,
  'i32.and': X.I32_AND,
  'i32.or': X.I32_OR,
  'i32.xor': X.I32_XOR,
  'i32.shl': X.I32_SHL,
  'i32.shr_s': X.I32_SHR_S,
  'i32.shr_u': X.I32_SHR_U,
  'i32.rotl': X.I32_ROTL,
  'i32.rotr': X.I32_ROTR,
  'i32.eq': X.I32_EQ,
  'i32.ne': X.I32_NE,
  'i32.lt_s': X.I32_LT_S,
  'i32.lt_u': X.I32_LT_U,
  'i32.gt_s': X.I32_GT_S,
  'i32.gt_u': X.I32_GT_U,
  'i32.le_s': X.I32_LE_S,
  'i32.le_u': X.I32_LE_U,
  'i32.ge_s': X.I32_GE_S,
  'i32.ge_u': X.I32_GE_U,
  'i32.check_nonzero': X.I32_CHECK_NONZERO,
  'i32.check_div_s': X.I32_CHECK_DIV_S,
  'i32.div_s': X.I32_DIV_S,
  'i32.div_u': X.I32_DIV_U,
  'i32.rem_s': X.I32_REM_S,
  'i32.rem_u': X.I32_REM_U,
  'i64.eqz': X.I64_EQZ,
  'i64.clz': X.I64_CLZ,
  'i64.ctz': X.I64_CTZ,
  'i64.popcnt': X.I64_POPCNT,
  'i64.extend8_s': X.I64_EXTEND8_S,
  'i64.extend16_s': X.I64_EXTEND16_S,
  'i64.add': X.I64_ADD,
  'i64.sub': X.I64_SUB,
  'i64.mul': X.I64_MUL,
  'i64.and': X.I64_AND,
  'i64.or': X.I64_OR,
  'i64.xor': X.I64_XOR,
  'i64.shl': X.I64_SHL,
  'i64.shr_s': X.I64_SHR_S,
  'i64.shr_u': X.I64_SHR_U,
  'i64.rotl': X.I64_ROTL,
  'i64.rotr': X.I64_ROTR,
  'i64.eq': X.I64_EQ,
  'i64.ne': X.I64_NE,
  'i64.lt_s': X.I64_LT_S,
  'i64.lt_u': X.I64_LT_U,
  'i64.gt_s': X.I64_GT_S,
  'i64.gt_u': X.I64_GT_U,
  'i64.le_s': X.I64_LE_S,
  'i64.le_u': X.I64_LE_U,
  'i64.ge_s': X.I64_GE_S,
  'i64.ge_u': X.I64_GE_U,
  'i64.check_nonzero': X.I64_CHECK_NONZERO,
  'i64.check_div_s': X.I64_CHECK_DIV_S,
  'i64.div_s': X.I64_DIV_S,
  'i64.div_u': X.I64_DIV_U,
  'i64.rem_s': X.I64_REM_S,
  'i64.rem_u': X.I64_REM_U,
  'f32.abs': X.F32_ABS,
  'f32.neg': X.F32_NEG,
  'f32.ceil': X.F32_CEIL,
  'f32.floor': X.F32_FLOOR,
  'f32.trunc': X.F32_TRUNC,
  'f32.nearest': X.F32_NEAREST,
  'f32.sqrt': X.F32_SQRT,
  'f32.add': X.F32_ADD,
  'f32.sub': X.F32_SUB,
  'f32.mul': X.F32_MUL,
  'f32.div': X.F32_DIV,
  'f32.min': X.F32_MIN,
  'f32.max': X.F32_MAX,
  'f32.copysign': X.F32_COPYSIGN,
  'f32.eq': X.F32_EQ,
  'f32.ne': X.F32_NE,
  'f32.lt': X.F32_LT,
  'f32.gt': X.F32_GT,
  'f32.le': X.F32_LE,
  'f32.ge': X.F32_GE,
  'f64.abs': X.F64_ABS,
  'f64.neg': X.F64_NEG,
  'f64.ceil': X.F64_CEIL,
  'f64.floor': X.F64_FLOOR,
  'f64.trunc': X.F64_TRUNC,
  'f64.nearest': X.F64_NEAREST,
  'f64.sqrt': X.F64_SQRT,
  'f64.add': X.F64_ADD,
  'f64.sub': X.F64_SUB,
  'f64.mul': X.F64_MUL,
  'f64.div': X.F64_DIV,
  'f64.min': X.F64_MIN,
  'f64.max': X.F64_MAX,
  'f64.copysign': X.F64_COPYSIGN,
  'f64.eq': X.F64_EQ,
  'f64.ne': X.F64_NE,
  'f64.lt': X.F64_LT,
  'f64.gt': X.F64_GT,
  'f64.le': X.F64_LE,
  'f64.ge': X.F64_GE,
  'i32.wrap_i64': X.I32_WRAP_I64,
  'i64.extend_i32_s': X.I64_EXTEND_I32_S,
  'i64.extend_i32_u': X.I64_EXTEND_I32_U,
  'i64.extend32_s': X.I64_EXTEND32_S,
  'f32.convert_i32_s': X.F32_CONVERT_I32_S,
  'f32.convert_i32_u': X.F32_CONVERT_I32_U,
  'f32.convert_i64_s': X.F32_CONVERT_I64_S,
  'f32.convert_i64_u': X.F32_CONVERT_I64_U,
  'f64.convert_i32_s': X.F64_CONVERT_I32_S,
  'f64.convert_i32_u': X.F64_CONVERT_I32_U,
  'f64.convert_i64_s': X.F64_CONVERT_I64_S,
  'f64.convert_i64_u': X.F64_CONVERT_I64_U,
  'f32.demote_f64': X.F32_DEMOTE_F64,
  'f64.promote_f32': X.F64_PROMOTE_F32,
  'i32.reinterpret_f32': X.MOV1,
  'i64.reinterpret_f64': X.MOV2,
  'f32.reinterpret_i32': X.MOV1,
  'f64.reinterpret_i64': X.MOV2,
  'i32.trunc_sat_f32_s': X.I32_TRUNC_SAT_F32_S,
  'i32.trunc_sat_f32_u': X.I32_TRUNC_SAT_F32_U,
  'i32.trunc_sat_f64_s': X.I32_TRUNC_SAT_F64_S,
  'i32.trunc_sat_f64_u': X.I32_TRUNC_SAT_F64_U,
  'i64.trunc_sat_f32_s': X.I64_TRUNC_SAT_F32_S,
  'i64.trunc_sat_f32_u': X.I64_TRUNC_SAT_F32_U,
  'i64.trunc_sat_f64_s': X.I64_TRUNC_SAT_F64_S,
  'i64.trunc_sat_f64_u': X.I64_TRUNC_SAT_F64_U,
  'i32.check_trunc_f32_s': X.I32_CHECK_TRUNC_F32_S,
  'i32.trunc_f32_s': X.I32_TRUNC_F32_S,
  'i32.check_trunc_f32_u': X.I32_CHECK_TRUNC_F32_U,
  'i32.trunc_f32_u': X.I32_TRUNC_F32_U,
  'i32.check_trunc_f64_s': X.I32_CHECK_TRUNC_F64_S,
  'i32.trunc_f64_s': X.I32_TRUNC_F64_S,
  'i32.check_trunc_f64_u': X.I32_CHECK_TRUNC_F64_U,
  'i32.trunc_f64_u': X.I32_TRUNC_F64_U,
  'i64.check_trunc_f32_s': X.I64_CHECK_TRUNC_F32_S,
  'i64.trunc_f32_s': X.I64_TRUNC_F32_S,
  'i64.check_trunc_f32_u': X.I64_CHECK_TRUNC_F32_U,
  'i64.trunc_f32_u': X.I64_TRUNC_F32_U,
  'i64.check_trunc_f64_s': X.I64_CHECK_TRUNC_F64_S,
  'i64.trunc_f64_s': X.I64_TRUNC_F64_S,
  'i64.check_trunc_f64_u': X.I64_CHECK_TRUNC_F64_U,
  'i64.trunc_f64_u': X.I64_TRUNC_F64_U,
  'i32.load': X.I32_LOAD,
  'i64.load': X.I64_LOAD,
  'f32.load': X.I32_LOAD,
  'f64.load': X.I64_LOAD,
  'i32.load8_s': X.I32_LOAD8_S,
  'i32.load8_u': X.I32_LOAD8_U,
  'i32.load16_s': X.I32_LOAD16_S,
  'i32.load16_u': X.I32_LOAD16_U,
  'i64.load8_s': X.I64_LOAD8_S,
  'i64.load8_u': X.I64_LOAD8_U,
  'i64.load16_s': X.I64_LOAD16_S,
  'i64.load16_u': X.I64_LOAD16_U,
  'i64.load32_s': X.I64_LOAD32_S,
  'i64.load32_u': X.I64_LOAD32_U,
  'i32.store': X.I32_STORE,
  'i64.store': X.I64_STORE,
  'f32.store': X.I32_STORE,
  'f64.store': X.I64_STORE,
  'i32.store8': X.I32_STORE8,
  'i32.store16': X.I32_STORE16,
  'i64.store8': X.I32_STORE8,
  'i64.store16': X.I32_STORE16,
  'i64.store32': X.I32_STORE,
};

const TWO32 = 4294967296;

function trap(code: TrapCode): never {
  throw new Trap(code);
}

/** High 32 bits of the unsigned 64-bit product of two u32s. */
function mulhiu(x: number, y: number): number {
  const xl = x & 0xffff;
  const xh = x >>> 16;
  const yl = y & 0xffff;
  const yh = y >>> 16;
  let t = xl * yl;
  const k0 = t >>> 16;
  t = xh * yl + k0;
  const w1 = t & 0xffff;
  const w2 = t >>> 16;
  t = xl * yh + w1;
  const k1 = t >>> 16;
  return (xh * yh + w2 + k1) | 0;
}

function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

/** Write integer-valued double `t` (|t| < 2^64) as i64 words at `w`. */
function putI64(I: Int32Array, w: number, t: number): void {
  const hi = Math.floor(t / TWO32);
  I[w] = (t - hi * TWO32) | 0;
  I[w + 1] = hi | 0;
}

/** Trap of a trapping float->int truncation (x is already a double), or 0. */
// The trapping truncations' domains (src/ir/trunc.ts). The f64 form of each range is exact
// for f32 operands too, since every f32 value is an f64 value.
const TRUNC_I32_S = truncRange('i32', 'f64', true);
const TRUNC_I32_U = truncRange('i32', 'f64', false);
const TRUNC_I64_S = truncRange('i64', 'f64', true);
const TRUNC_I64_U = truncRange('i64', 'f64', false);

function truncCheck(x: number, range: TruncRange): void {
  if (x !== x) trap(TrapCode.InvalidConversionToInteger);
  if (!inTruncRange(x, range)) trap(TrapCode.IntegerOverflow);
}

function i64Big(I: Int32Array, w: number): bigint {
  return (BigInt(I[w + 1]!) << 32n) | BigInt(I[w]! >>> 0);
}
function u64Big(I: Int32Array, w: number): bigint {
  return (BigInt(I[w + 1]! >>> 0) << 32n) | BigInt(I[w]! >>> 0);
}
function putBig(I: Int32Array, w: number, v: bigint): void {
  I[w] = Number(BigInt.asIntN(32, v));
  I[w + 1] = Number(BigInt.asIntN(32, v >> 32n));
}
function i64ToNumber(I: Int32Array, w: number): number {
  return I[w + 1]! * TWO32 + (I[w]! >>> 0);
}
function u64ToNumber(I: Int32Array, w: number): number {
  return (I[w + 1]! >>> 0) * TWO32 + (I[w]! >>> 0);
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_REFS: number[] = [];

/**
 * Run `fn` (a Wasm function whose arguments are already in the frame at `fp0`) and
 * return its results. Re-entrant: a host function may call `execute` again; the nested
 * run uses the stack above the caller's frame (`store.sp`, `store.depth`).
 */
export function execute(S: Store, entry: FuncInst, fp0: number): Val[] {
  const I = S.i32;
  const F = S.f32;
  const D = S.f64;
  const framePc = S.framePc;
  const frameFp = S.frameFp;
  const frameFn = S.frameFn;
  const maxDepth = S.maxDepth;
  const stackWords = S.stackWords;
  const baseDepth = S.depth;
  const baseSp = S.sp;

  let fn = entry;
  let cc = fn.code!;
  let code = cc.code;
  let objs = cc.objs;
  let fsize = cc.frameWords;
  let fp = fp0;
  let pc = 0;
  let depth = baseDepth;
  let mem: MemoryInst | undefined = fn.instance!.memories[0];
  let dv: DataView = mem ? mem.dv : (undefined as unknown as DataView);
  let u8: Uint8Array = mem ? mem.u8 : EMPTY_BYTES;
  let memLen = mem ? mem.buffer.byteLength : 0;

  try {
    for (;;) {
      switch (code[pc]) {
        // ---- control -----------------------------------------------------------
        case X.JMP:
          pc = code[pc + 1]!;
          break;
        case X.BR_IF:
          pc = I[fp + code[pc + 1]!] !== 0 ? code[pc + 2]! : pc + 3;
          break;
        case X.BR_UNLESS:
          pc = I[fp + code[pc + 1]!] === 0 ? code[pc + 2]! : pc + 3;
          break;
        case X.BR_TABLE: {
          const i = I[fp + code[pc + 1]!]! >>> 0;
          const n = code[pc + 2]!;
          pc = code[pc + 3 + (i < n ? i : n)]!;
          break;
        }
        case X.RET: {
          const n = code[pc + 1]!;
          if (depth === baseDepth) {
            const res: Val[] = new Array(n);
            const rt = fn.type.results;
            for (let k = 0; k < n; k++) res[k] = readVal(S, I, fp + code[pc + 2 + 2 * k]!, rt[k]!);
            S.depth = baseDepth;
            S.sp = baseSp;
            return res;
          }
          depth--;
          const cfn = frameFn[depth]!;
          const cpc = framePc[depth]!;
          const cfp = frameFp[depth]!;
          frameFn[depth] = undefined;
          cc = cfn.code!;
          const ccode = cc.code;
          let p = cpc + 4 + 3 * ccode[cpc + 3]!;
          const nres = ccode[p]!;
          p++;
          for (let k = 0; k < nres; k++, p += 2) {
            const src = fp + code[pc + 2 + 2 * k]!;
            const dst = cfp + ccode[p]!;
            const nw = ccode[p + 1]!;
            I[dst] = I[src]!;
            if (nw > 1) {
              I[dst + 1] = I[src + 1]!;
              if (nw > 2) {
                I[dst + 2] = I[src + 2]!;
                I[dst + 3] = I[src + 3]!;
              }
            }
          }
          fn = cfn;
          code = ccode;
          objs = cc.objs;
          fsize = cc.frameWords;
          fp = cfp;
          pc = p;
          mem = fn.instance!.memories[0];
          if (mem) {
            dv = mem.dv;
            u8 = mem.u8;
            memLen = mem.buffer.byteLength;
          }
          break;
        }
        case X.TRAP:
          trap(code[pc + 1]! as TrapCode);
        // falls through (trap never returns)
        case X.CALL:
        case X.CALL_REF: {
          let callee: FuncInst;
          if (code[pc] === X.CALL) {
            callee = S.funcs[code[pc + 1]!]!;
          } else {
            // call_ref: the callee handle was checked by table.check_call; re-check for exactness on unchecked IR.
            const h = I[fp + code[pc + 1]!]!;
            if (h < 0) trap(TrapCode.UninitializedElement);
            callee = S.funcs[h]!;
            if (callee.typeId !== code[pc + 2]) trap(TrapCode.IndirectCallTypeMismatch);
          }
          const nargs = code[pc + 3]!;
          if (callee.host !== undefined) {
            const pt = callee.type.params;
            const args: unknown[] = new Array(nargs);
            for (let k = 0; k < nargs; k++) args[k] = readHostVal(S, I, fp + code[pc + 4 + 3 * k]!, pt[k]!);
            S.sp = fp + fsize;
            S.depth = depth;
            const r = callee.host(...args);
            let p = pc + 4 + 3 * nargs;
            const nres = code[p]!;
            p++;
            const rt = callee.type.results;
            if (nres === 1) writeHostVal(S, I, fp + code[p]!, rt[0]!, r);
            else if (nres > 1) {
              const arr = r as unknown[];
              for (let k = 0; k < nres; k++) writeHostVal(S, I, fp + code[p + 2 * k]!, rt[k]!, arr[k]);
            }
            pc = p + 2 * nres;
            if (mem) {
              mem.sync();
              dv = mem.dv;
              u8 = mem.u8;
              memLen = mem.buffer.byteLength;
            }
            break;
          }
          const ncc = callee.code ?? compileFuncInst(callee);
          const nfp = fp + fsize;
          if (depth >= maxDepth || nfp + ncc.frameWords > stackWords) trap(TrapCode.CallStackExhausted);
          let p = pc + 4;
          for (let k = 0; k < nargs; k++, p += 3) {
            const src = fp + code[p]!;
            const dst = nfp + code[p + 1]!;
            const nw = code[p + 2]!;
            I[dst] = I[src]!;
            if (nw > 1) {
              I[dst + 1] = I[src + 1]!;
              if (nw > 2) {
                I[dst + 2] = I[src + 2]!;
                I[dst + 3] = I[src + 3]!;
              }
            }
          }
          framePc[depth] = pc;
          frameFp[depth] = fp;
          frameFn[depth] = fn;
          depth++;
          const sameInstance = callee.instance === fn.instance;
          fn = callee;
          cc = ncc;
          code = ncc.code;
          objs = ncc.objs;
          fsize = ncc.frameWords;
          fp = nfp;
          pc = 0;
          if (!sameInstance) {
            mem = fn.instance!.memories[0];
            if (mem) {
              dv = mem.dv;
              u8 = mem.u8;
              memLen = mem.buffer.byteLength;
            }
          }
          break;
        }

        // ---- superinstructions -----------------------------------------------------
        case X.I32_ADD_K:
          I[fp + code[pc + 1]!] = (I[fp + code[pc + 2]!]! + code[pc + 3]!) | 0;
          pc += 4;
          break;
        case X.I32_MUL_K:
          I[fp + code[pc + 1]!] = Math.imul(I[fp + code[pc + 2]!]!, code[pc + 3]!);
          pc += 4;
          break;
        case X.I32_AND_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! & code[pc + 3]!;
          pc += 4;
          break;
        case X.I32_OR_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! | code[pc + 3]!;
          pc += 4;
          break;
        case X.I32_XOR_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! ^ code[pc + 3]!;
          pc += 4;
          break;
        case X.I32_SHL_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! << code[pc + 3]!;
          pc += 4;
          break;
        case X.I32_SHR_S_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >> code[pc + 3]!;
          pc += 4;
          break;
        case X.I32_SHR_U_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> code[pc + 3]!;
          pc += 4;
          break;
        case X.I32_EQ_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! === code[pc + 3]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_NE_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! !== code[pc + 3]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LT_S_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! < code[pc + 3]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LT_U_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 < code[pc + 3]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GT_S_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! > code[pc + 3]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GT_U_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 > code[pc + 3]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LE_S_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! <= code[pc + 3]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LE_U_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 <= code[pc + 3]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GE_S_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >= code[pc + 3]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GE_U_K:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 >= code[pc + 3]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.BR_EQ:
          pc = I[fp + code[pc + 1]!]! === I[fp + code[pc + 2]!]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_EQ_K:
          pc = I[fp + code[pc + 1]!]! === code[pc + 2]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_NE:
          pc = I[fp + code[pc + 1]!]! !== I[fp + code[pc + 2]!]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_NE_K:
          pc = I[fp + code[pc + 1]!]! !== code[pc + 2]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LT_S:
          pc = I[fp + code[pc + 1]!]! < I[fp + code[pc + 2]!]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LT_S_K:
          pc = I[fp + code[pc + 1]!]! < code[pc + 2]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LT_U:
          pc = I[fp + code[pc + 1]!]! >>> 0 < I[fp + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LT_U_K:
          pc = I[fp + code[pc + 1]!]! >>> 0 < code[pc + 2]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GT_S:
          pc = I[fp + code[pc + 1]!]! > I[fp + code[pc + 2]!]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GT_S_K:
          pc = I[fp + code[pc + 1]!]! > code[pc + 2]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GT_U:
          pc = I[fp + code[pc + 1]!]! >>> 0 > I[fp + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GT_U_K:
          pc = I[fp + code[pc + 1]!]! >>> 0 > code[pc + 2]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LE_S:
          pc = I[fp + code[pc + 1]!]! <= I[fp + code[pc + 2]!]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LE_S_K:
          pc = I[fp + code[pc + 1]!]! <= code[pc + 2]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LE_U:
          pc = I[fp + code[pc + 1]!]! >>> 0 <= I[fp + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_LE_U_K:
          pc = I[fp + code[pc + 1]!]! >>> 0 <= code[pc + 2]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GE_S:
          pc = I[fp + code[pc + 1]!]! >= I[fp + code[pc + 2]!]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GE_S_K:
          pc = I[fp + code[pc + 1]!]! >= code[pc + 2]! ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GE_U:
          pc = I[fp + code[pc + 1]!]! >>> 0 >= I[fp + code[pc + 2]!]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;
        case X.BR_GE_U_K:
          pc = I[fp + code[pc + 1]!]! >>> 0 >= code[pc + 2]! >>> 0 ? code[pc + 3]! : pc + 4;
          break;

        // ---- moves, constants, select ----------------------------------------------
        case X.MOV1:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]!;
          pc += 3;
          break;
        case X.MOV2: {
          const d = fp + code[pc + 1]!;
          const a = fp + code[pc + 2]!;
          I[d] = I[a]!;
          I[d + 1] = I[a + 1]!;
          pc += 3;
          break;
        }
        case X.MOV4: {
          const d = fp + code[pc + 1]!;
          const a = fp + code[pc + 2]!;
          I[d] = I[a]!;
          I[d + 1] = I[a + 1]!;
          I[d + 2] = I[a + 2]!;
          I[d + 3] = I[a + 3]!;
          pc += 3;
          break;
        }
        case X.K1:
          I[fp + code[pc + 1]!] = code[pc + 2]!;
          pc += 3;
          break;
        case X.K2: {
          const d = fp + code[pc + 1]!;
          I[d] = code[pc + 2]!;
          I[d + 1] = code[pc + 3]!;
          pc += 4;
          break;
        }
        case X.K4: {
          const d = fp + code[pc + 1]!;
          I[d] = code[pc + 2]!;
          I[d + 1] = code[pc + 3]!;
          I[d + 2] = code[pc + 4]!;
          I[d + 3] = code[pc + 5]!;
          pc += 6;
          break;
        }
        case X.SEL1:
          I[fp + code[pc + 1]!] = I[fp + code[pc + (I[fp + code[pc + 4]!] !== 0 ? 2 : 3)]!]!;
          pc += 5;
          break;
        case X.SEL2: {
          const d = fp + code[pc + 1]!;
          const a = fp + code[pc + (I[fp + code[pc + 4]!] !== 0 ? 2 : 3)]!;
          I[d] = I[a]!;
          I[d + 1] = I[a + 1]!;
          pc += 5;
          break;
        }
        case X.SEL4: {
          const d = fp + code[pc + 1]!;
          const a = fp + code[pc + (I[fp + code[pc + 4]!] !== 0 ? 2 : 3)]!;
          I[d] = I[a]!;
          I[d + 1] = I[a + 1]!;
          I[d + 2] = I[a + 2]!;
          I[d + 3] = I[a + 3]!;
          pc += 5;
          break;
        }

        // ---- globals, references ---------------------------------------------------
        case X.GGET1:
          I[fp + code[pc + 1]!] = (objs[code[pc + 2]!] as GlobalInst).words[0]!;
          pc += 3;
          break;
        case X.GGET2: {
          const g = (objs[code[pc + 2]!] as GlobalInst).words;
          const d = fp + code[pc + 1]!;
          I[d] = g[0]!;
          I[d + 1] = g[1]!;
          pc += 3;
          break;
        }
        case X.GGET4: {
          const g = (objs[code[pc + 2]!] as GlobalInst).words;
          const d = fp + code[pc + 1]!;
          I[d] = g[0]!;
          I[d + 1] = g[1]!;
          I[d + 2] = g[2]!;
          I[d + 3] = g[3]!;
          pc += 3;
          break;
        }
        case X.GSET1:
          (objs[code[pc + 2]!] as GlobalInst).words[0] = I[fp + code[pc + 1]!]!;
          pc += 3;
          break;
        case X.GSET2: {
          const g = (objs[code[pc + 2]!] as GlobalInst).words;
          const a = fp + code[pc + 1]!;
          g[0] = I[a]!;
          g[1] = I[a + 1]!;
          pc += 3;
          break;
        }
        case X.GSET4: {
          const g = (objs[code[pc + 2]!] as GlobalInst).words;
          const a = fp + code[pc + 1]!;
          g[0] = I[a]!;
          g[1] = I[a + 1]!;
          g[2] = I[a + 2]!;
          g[3] = I[a + 3]!;
          pc += 3;
          break;
        }
        case X.REF_IS_NULL:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! < 0 ? 1 : 0;
          pc += 3;
          break;

        // ---- memory ------------------------------------------------------------------
        case X.I32_LOAD: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 4 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          I[fp + code[pc + 1]!] = dv.getInt32(ea, true);
          pc += 4;
          break;
        }
        case X.I64_LOAD: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 8 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const d = fp + code[pc + 1]!;
          I[d] = dv.getInt32(ea, true);
          I[d + 1] = dv.getInt32(ea + 4, true);
          pc += 4;
          break;
        }
        case X.I32_LOAD8_S: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 1 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          I[fp + code[pc + 1]!] = (u8[ea]! << 24) >> 24;
          pc += 4;
          break;
        }
        case X.I32_LOAD8_U: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 1 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          I[fp + code[pc + 1]!] = u8[ea]!;
          pc += 4;
          break;
        }
        case X.I32_LOAD16_S: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 2 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          I[fp + code[pc + 1]!] = dv.getInt16(ea, true);
          pc += 4;
          break;
        }
        case X.I32_LOAD16_U: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 2 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          I[fp + code[pc + 1]!] = dv.getUint16(ea, true);
          pc += 4;
          break;
        }
        case X.I64_LOAD8_S: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 1 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const d = fp + code[pc + 1]!;
          const v = (u8[ea]! << 24) >> 24;
          I[d] = v;
          I[d + 1] = v >> 31;
          pc += 4;
          break;
        }
        case X.I64_LOAD8_U: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 1 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const d = fp + code[pc + 1]!;
          I[d] = u8[ea]!;
          I[d + 1] = 0;
          pc += 4;
          break;
        }
        case X.I64_LOAD16_S: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 2 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const d = fp + code[pc + 1]!;
          const v = dv.getInt16(ea, true);
          I[d] = v;
          I[d + 1] = v >> 31;
          pc += 4;
          break;
        }
        case X.I64_LOAD16_U: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 2 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const d = fp + code[pc + 1]!;
          I[d] = dv.getUint16(ea, true);
          I[d + 1] = 0;
          pc += 4;
          break;
        }
        case X.I64_LOAD32_S: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 4 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const d = fp + code[pc + 1]!;
          const v = dv.getInt32(ea, true);
          I[d] = v;
          I[d + 1] = v >> 31;
          pc += 4;
          break;
        }
        case X.I64_LOAD32_U: {
          const ea = (I[fp + code[pc + 2]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 4 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const d = fp + code[pc + 1]!;
          I[d] = dv.getInt32(ea, true);
          I[d + 1] = 0;
          pc += 4;
          break;
        }
        case X.I32_STORE: {
          const ea = (I[fp + code[pc + 1]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 4 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          dv.setInt32(ea, I[fp + code[pc + 2]!]!, true);
          pc += 4;
          break;
        }
        case X.I64_STORE: {
          const ea = (I[fp + code[pc + 1]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 8 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          const a = fp + code[pc + 2]!;
          dv.setInt32(ea, I[a]!, true);
          dv.setInt32(ea + 4, I[a + 1]!, true);
          pc += 4;
          break;
        }
        case X.I32_STORE8: {
          const ea = (I[fp + code[pc + 1]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 1 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          u8[ea] = I[fp + code[pc + 2]!]!;
          pc += 4;
          break;
        }
        case X.I32_STORE16: {
          const ea = (I[fp + code[pc + 1]!]! >>> 0) + (code[pc + 3]! >>> 0);
          if (ea + 2 > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          dv.setInt16(ea, I[fp + code[pc + 2]!]!, true);
          pc += 4;
          break;
        }
        case X.MEM_SIZE:
          I[fp + code[pc + 1]!] = memLen / 65536;
          pc += 2;
          break;
        case X.MEM_GROW: {
          const r = mem!.grow(I[fp + code[pc + 2]!]! >>> 0);
          I[fp + code[pc + 1]!] = r;
          dv = mem!.dv;
          u8 = mem!.u8;
          memLen = mem!.buffer.byteLength;
          pc += 3;
          break;
        }
        case X.MEM_CHECK: {
          // [MEM_CHECK, index, end lo, end hi]: zext(index) + end must not pass the memory's size.
          const ea = (I[fp + code[pc + 1]!]! >>> 0) + (code[pc + 2]! >>> 0) + code[pc + 3]! * 4294967296;
          if (ea > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          pc += 4;
          break;
        }
        case X.MEM_FILL: {
          const d = I[fp + code[pc + 1]!]! >>> 0;
          const v = I[fp + code[pc + 2]!]! & 0xff;
          const n = I[fp + code[pc + 3]!]! >>> 0;
          if (d + n > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          u8.fill(v, d, d + n);
          pc += 4;
          break;
        }
        case X.MEM_COPY: {
          const d = I[fp + code[pc + 1]!]! >>> 0;
          const s = I[fp + code[pc + 2]!]! >>> 0;
          const n = I[fp + code[pc + 3]!]! >>> 0;
          if (d + n > memLen || s + n > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          u8.copyWithin(d, s, s + n);
          pc += 4;
          break;
        }
        case X.MEM_INIT: {
          const d = I[fp + code[pc + 1]!]! >>> 0;
          const s = I[fp + code[pc + 2]!]! >>> 0;
          const n = I[fp + code[pc + 3]!]! >>> 0;
          const seg = fn.instance!.data[code[pc + 4]!] ?? EMPTY_BYTES;
          if (s + n > seg.length || d + n > memLen) trap(TrapCode.OutOfBoundsMemoryAccess);
          u8.set(seg.subarray(s, s + n), d);
          pc += 5;
          break;
        }
        case X.DATA_DROP:
          fn.instance!.data[code[pc + 1]!] = null;
          pc += 2;
          break;

        // ---- tables ------------------------------------------------------------------
        case X.TABLE_GET: {
          const t = (objs[code[pc + 3]!] as TableInst).elems;
          const i = I[fp + code[pc + 2]!]! >>> 0;
          if (i >= t.length) trap(TrapCode.OutOfBoundsTableAccess);
          I[fp + code[pc + 1]!] = t[i]!;
          pc += 4;
          break;
        }
        case X.TABLE_SET: {
          const t = (objs[code[pc + 3]!] as TableInst).elems;
          const i = I[fp + code[pc + 1]!]! >>> 0;
          if (i >= t.length) trap(TrapCode.OutOfBoundsTableAccess);
          t[i] = I[fp + code[pc + 2]!]!;
          pc += 4;
          break;
        }
        case X.TABLE_SIZE:
          I[fp + code[pc + 1]!] = (objs[code[pc + 2]!] as TableInst).elems.length;
          pc += 3;
          break;
        case X.TABLE_GROW:
          I[fp + code[pc + 1]!] = (objs[code[pc + 4]!] as TableInst).grow(I[fp + code[pc + 3]!]! >>> 0, I[fp + code[pc + 2]!]!);
          pc += 5;
          break;
        case X.TABLE_FILL: {
          const t = (objs[code[pc + 4]!] as TableInst).elems;
          const i = I[fp + code[pc + 1]!]! >>> 0;
          const v = I[fp + code[pc + 2]!]!;
          const n = I[fp + code[pc + 3]!]! >>> 0;
          if (i + n > t.length) trap(TrapCode.OutOfBoundsTableAccess);
          t.fill(v, i, i + n);
          pc += 5;
          break;
        }
        case X.TABLE_COPY: {
          const dt = (objs[code[pc + 4]!] as TableInst).elems;
          const st = (objs[code[pc + 5]!] as TableInst).elems;
          const d = I[fp + code[pc + 1]!]! >>> 0;
          const s = I[fp + code[pc + 2]!]! >>> 0;
          const n = I[fp + code[pc + 3]!]! >>> 0;
          if (d + n > dt.length || s + n > st.length) trap(TrapCode.OutOfBoundsTableAccess);
          if (dt === st) dt.copyWithin(d, s, s + n);
          else for (let k = 0; k < n; k++) dt[d + k] = st[s + k]!;
          pc += 6;
          break;
        }
        case X.TABLE_INIT: {
          const t = (objs[code[pc + 5]!] as TableInst).elems;
          const seg = fn.instance!.elems[code[pc + 4]!] ?? EMPTY_REFS;
          const d = I[fp + code[pc + 1]!]! >>> 0;
          const s = I[fp + code[pc + 2]!]! >>> 0;
          const n = I[fp + code[pc + 3]!]! >>> 0;
          if (s + n > seg.length || d + n > t.length) trap(TrapCode.OutOfBoundsTableAccess);
          for (let k = 0; k < n; k++) t[d + k] = seg[s + k]!;
          pc += 6;
          break;
        }
        case X.ELEM_DROP:
          fn.instance!.elems[code[pc + 1]!] = null;
          pc += 2;
          break;
        case X.CHECK_CALL: {
          const t = (objs[code[pc + 3]!] as TableInst).elems;
          const i = I[fp + code[pc + 2]!]! >>> 0;
          if (i >= t.length) trap(TrapCode.UndefinedElement);
          const h = t[i]!;
          if (h < 0) trap(TrapCode.UninitializedElement);
          if (S.funcs[h]!.typeId !== code[pc + 4]) trap(TrapCode.IndirectCallTypeMismatch);
          I[fp + code[pc + 1]!] = h;
          pc += 5;
          break;
        }

        // ---- SIMD (in simd.ts) -------------------------------------------------------
        case X.SIMD:
          simdOp(code[pc + 1]!, S, fp, code, pc, objs);
          pc += 7;
          break;
        case X.SIMD_MEM:
          simdMemOp(code[pc + 1]!, S, fp, code, pc, u8, dv, memLen);
          pc += 7;
          break;

        // ---- i32 ---------------------------------------------------------------------
        case X.I32_EQZ:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!] === 0 ? 1 : 0;
          pc += 3;
          break;
        case X.I32_CLZ:
          I[fp + code[pc + 1]!] = Math.clz32(I[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.I32_CTZ:
          I[fp + code[pc + 1]!] = ctz32(I[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.I32_POPCNT:
          I[fp + code[pc + 1]!] = popcnt32(I[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.I32_EXTEND8_S:
          I[fp + code[pc + 1]!] = (I[fp + code[pc + 2]!]! << 24) >> 24;
          pc += 3;
          break;
        case X.I32_EXTEND16_S:
          I[fp + code[pc + 1]!] = (I[fp + code[pc + 2]!]! << 16) >> 16;
          pc += 3;
          break;
        case X.I32_ADD:
          I[fp + code[pc + 1]!] = (I[fp + code[pc + 2]!]! + I[fp + code[pc + 3]!]!) | 0;
          pc += 4;
          break;
        case X.I32_SUB:
          I[fp + code[pc + 1]!] = (I[fp + code[pc + 2]!]! - I[fp + code[pc + 3]!]!) | 0;
          pc += 4;
          break;
        case X.I32_MUL:
          I[fp + code[pc + 1]!] = Math.imul(I[fp + code[pc + 2]!]!, I[fp + code[pc + 3]!]!);
          pc += 4;
          break;
        case X.I32_AND:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! & I[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.I32_OR:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! | I[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.I32_XOR:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! ^ I[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.I32_SHL:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! << I[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.I32_SHR_S:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >> I[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.I32_SHR_U:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> I[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.I32_ROTL: {
          const a = I[fp + code[pc + 2]!]!;
          const k = I[fp + code[pc + 3]!]!;
          I[fp + code[pc + 1]!] = (a << k) | (a >>> (32 - (k & 31)));
          pc += 4;
          break;
        }
        case X.I32_ROTR: {
          const a = I[fp + code[pc + 2]!]!;
          const k = I[fp + code[pc + 3]!]!;
          I[fp + code[pc + 1]!] = (a >>> k) | (a << (32 - (k & 31)));
          pc += 4;
          break;
        }
        case X.I32_EQ:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!] === I[fp + code[pc + 3]!] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_NE:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!] !== I[fp + code[pc + 3]!] ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LT_S:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! < I[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LT_U:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 < I[fp + code[pc + 3]!]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GT_S:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! > I[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GT_U:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 > I[fp + code[pc + 3]!]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LE_S:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! <= I[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_LE_U:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 <= I[fp + code[pc + 3]!]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GE_S:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >= I[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;
        case X.I32_GE_U:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0 >= I[fp + code[pc + 3]!]! >>> 0 ? 1 : 0;
          pc += 4;
          break;
        case X.I32_CHECK_NONZERO:
          if (I[fp + code[pc + 1]!] === 0) trap(TrapCode.IntegerDivideByZero);
          pc += 2;
          break;
        case X.I32_CHECK_DIV_S:
          if (I[fp + code[pc + 1]!] === -0x80000000 && I[fp + code[pc + 2]!] === -1) trap(TrapCode.IntegerOverflow);
          pc += 3;
          break;
        case X.I32_DIV_S: {
          const a = I[fp + code[pc + 2]!]!;
          const b = I[fp + code[pc + 3]!]!;
          if (b === 0) trap(TrapCode.IntegerDivideByZero);
          if (a === -0x80000000 && b === -1) trap(TrapCode.IntegerOverflow);
          I[fp + code[pc + 1]!] = (a / b) | 0;
          pc += 4;
          break;
        }
        case X.I32_DIV_U: {
          const b = I[fp + code[pc + 3]!]! >>> 0;
          if (b === 0) trap(TrapCode.IntegerDivideByZero);
          I[fp + code[pc + 1]!] = ((I[fp + code[pc + 2]!]! >>> 0) / b) | 0;
          pc += 4;
          break;
        }
        case X.I32_REM_S: {
          const b = I[fp + code[pc + 3]!]!;
          if (b === 0) trap(TrapCode.IntegerDivideByZero);
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! % b | 0;
          pc += 4;
          break;
        }
        case X.I32_REM_U: {
          const b = I[fp + code[pc + 3]!]! >>> 0;
          if (b === 0) trap(TrapCode.IntegerDivideByZero);
          I[fp + code[pc + 1]!] = (I[fp + code[pc + 2]!]! >>> 0) % b | 0;
          pc += 4;
          break;
        }

        // ---- i64 (as lo/hi word pairs; BigInt only for division) ------------------------
        case X.I64_EQZ: {
          const a = fp + code[pc + 2]!;
          I[fp + code[pc + 1]!] = (I[a]! | I[a + 1]!) === 0 ? 1 : 0;
          pc += 3;
          break;
        }
        case X.I64_CLZ: {
          const a = fp + code[pc + 2]!;
          const d = fp + code[pc + 1]!;
          const hi = I[a + 1]!;
          I[d] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(I[a]!);
          I[d + 1] = 0;
          pc += 3;
          break;
        }
        case X.I64_CTZ: {
          const a = fp + code[pc + 2]!;
          const d = fp + code[pc + 1]!;
          const lo = I[a]!;
          I[d] = lo !== 0 ? ctz32(lo) : 32 + ctz32(I[a + 1]!);
          I[d + 1] = 0;
          pc += 3;
          break;
        }
        case X.I64_POPCNT: {
          const a = fp + code[pc + 2]!;
          const d = fp + code[pc + 1]!;
          I[d] = popcnt32(I[a]!) + popcnt32(I[a + 1]!);
          I[d + 1] = 0;
          pc += 3;
          break;
        }
        case X.I64_EXTEND8_S: {
          const d = fp + code[pc + 1]!;
          const v = (I[fp + code[pc + 2]!]! << 24) >> 24;
          I[d] = v;
          I[d + 1] = v >> 31;
          pc += 3;
          break;
        }
        case X.I64_EXTEND16_S: {
          const d = fp + code[pc + 1]!;
          const v = (I[fp + code[pc + 2]!]! << 16) >> 16;
          I[d] = v;
          I[d + 1] = v >> 31;
          pc += 3;
          break;
        }
        case X.I64_EXTEND32_S:
        case X.I64_EXTEND_I32_S: {
          const d = fp + code[pc + 1]!;
          const v = I[fp + code[pc + 2]!]!;
          I[d] = v;
          I[d + 1] = v >> 31;
          pc += 3;
          break;
        }
        case X.I64_EXTEND_I32_U: {
          const d = fp + code[pc + 1]!;
          I[d] = I[fp + code[pc + 2]!]!;
          I[d + 1] = 0;
          pc += 3;
          break;
        }
        case X.I32_WRAP_I64:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]!;
          pc += 3;
          break;
        case X.I64_ADD: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          const d = fp + code[pc + 1]!;
          const lo = (I[a]! >>> 0) + (I[b]! >>> 0);
          I[d + 1] = (I[a + 1]! + I[b + 1]! + (lo > 0xffffffff ? 1 : 0)) | 0;
          I[d] = lo | 0;
          pc += 4;
          break;
        }
        case X.I64_SUB: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          const d = fp + code[pc + 1]!;
          const lo = (I[a]! >>> 0) - (I[b]! >>> 0);
          I[d + 1] = (I[a + 1]! - I[b + 1]! - (lo < 0 ? 1 : 0)) | 0;
          I[d] = lo | 0;
          pc += 4;
          break;
        }
        case X.I64_MUL: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          const d = fp + code[pc + 1]!;
          const al = I[a]!;
          const bl = I[b]!;
          const hi = (Math.imul(I[a + 1]!, bl) + Math.imul(al, I[b + 1]!) + mulhiu(al >>> 0, bl >>> 0)) | 0;
          I[d] = Math.imul(al, bl);
          I[d + 1] = hi;
          pc += 4;
          break;
        }
        case X.I64_AND: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          const d = fp + code[pc + 1]!;
          I[d] = I[a]! & I[b]!;
          I[d + 1] = I[a + 1]! & I[b + 1]!;
          pc += 4;
          break;
        }
        case X.I64_OR: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          const d = fp + code[pc + 1]!;
          I[d] = I[a]! | I[b]!;
          I[d + 1] = I[a + 1]! | I[b + 1]!;
          pc += 4;
          break;
        }
        case X.I64_XOR: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          const d = fp + code[pc + 1]!;
          I[d] = I[a]! ^ I[b]!;
          I[d + 1] = I[a + 1]! ^ I[b + 1]!;
          pc += 4;
          break;
        }
        case X.I64_SHL: {
          const a = fp + code[pc + 2]!;
          const d = fp + code[pc + 1]!;
          const k = I[fp + code[pc + 3]!]! & 63;
          const lo = I[a]!;
          const hi = I[a + 1]!;
          if (k === 0) {
            I[d] = lo;
            I[d + 1] = hi;
          } else if (k < 32) {
            I[d + 1] = (hi << k) | (lo >>> (32 - k));
            I[d] = lo << k;
          } else {
            I[d + 1] = lo << (k - 32);
            I[d] = 0;
          }
          pc += 4;
          break;
        }
        case X.I64_SHR_S: {
          const a = fp + code[pc + 2]!;
          const d = fp + code[pc + 1]!;
          const k = I[fp + code[pc + 3]!]! & 63;
          const lo = I[a]!;
          const hi = I[a + 1]!;
          if (k === 0) {
            I[d] = lo;
            I[d + 1] = hi;
          } else if (k < 32) {
            I[d] = (lo >>> k) | (hi << (32 - k));
            I[d + 1] = hi >> k;
          } else {
            I[d] = hi >> (k - 32);
            I[d + 1] = hi >> 31;
          }
          pc += 4;
          break;
        }
        case X.I64_SHR_U: {
          const a = fp + code[pc + 2]!;
          const d = fp + code[pc + 1]!;
          const k = I[fp + code[pc + 3]!]! & 63;
          const lo = I[a]!;
          const hi = I[a + 1]!;
          if (k === 0) {
            I[d] = lo;
            I[d + 1] = hi;
          } else if (k < 32) {
            I[d] = (lo >>> k) | (hi << (32 - k));
            I[d + 1] = hi >>> k;
          } else {
            I[d] = hi >>> (k - 32);
            I[d + 1] = 0;
          }
          pc += 4;
          break;
        }
        case X.I64_ROTL:
        case X.I64_ROTR: {
          const a = fp + code[pc + 2]!;
          const d = fp + code[pc + 1]!;
          let k = I[fp + code[pc + 3]!]! & 63;
          if (code[pc] === X.I64_ROTR) k = (64 - k) & 63;
          let lo = I[a]!;
          let hi = I[a + 1]!;
          if (k >= 32) {
            const t = lo;
            lo = hi;
            hi = t;
            k -= 32;
          }
          if (k === 0) {
            I[d] = lo;
            I[d + 1] = hi;
          } else {
            I[d] = (lo << k) | (hi >>> (32 - k));
            I[d + 1] = (hi << k) | (lo >>> (32 - k));
          }
          pc += 4;
          break;
        }
        case X.I64_EQ: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          I[fp + code[pc + 1]!] = I[a] === I[b] && I[a + 1] === I[b + 1] ? 1 : 0;
          pc += 4;
          break;
        }
        case X.I64_NE: {
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          I[fp + code[pc + 1]!] = I[a] !== I[b] || I[a + 1] !== I[b + 1] ? 1 : 0;
          pc += 4;
          break;
        }
        case X.I64_LT_S:
        case X.I64_LT_U:
        case X.I64_GT_S:
        case X.I64_GT_U:
        case X.I64_LE_S:
        case X.I64_LE_U:
        case X.I64_GE_S:
        case X.I64_GE_U: {
          const op = code[pc]!;
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          const signed = op === X.I64_LT_S || op === X.I64_GT_S || op === X.I64_LE_S || op === X.I64_GE_S;
          let ah = I[a + 1]!;
          let bh = I[b + 1]!;
          if (!signed) {
            ah >>>= 0;
            bh >>>= 0;
          }
          // cmp: -1, 0, 1
          let c: number;
          if (ah !== bh) c = ah < bh ? -1 : 1;
          else {
            const al = I[a]! >>> 0;
            const bl = I[b]! >>> 0;
            c = al === bl ? 0 : al < bl ? -1 : 1;
          }
          let r: boolean;
          if (op === X.I64_LT_S || op === X.I64_LT_U) r = c < 0;
          else if (op === X.I64_GT_S || op === X.I64_GT_U) r = c > 0;
          else if (op === X.I64_LE_S || op === X.I64_LE_U) r = c <= 0;
          else r = c >= 0;
          I[fp + code[pc + 1]!] = r ? 1 : 0;
          pc += 4;
          break;
        }
        case X.I64_CHECK_NONZERO: {
          const a = fp + code[pc + 1]!;
          if ((I[a]! | I[a + 1]!) === 0) trap(TrapCode.IntegerDivideByZero);
          pc += 2;
          break;
        }
        case X.I64_CHECK_DIV_S: {
          const a = fp + code[pc + 1]!;
          const b = fp + code[pc + 2]!;
          if (I[a] === 0 && I[a + 1] === -0x80000000 && I[b] === -1 && I[b + 1] === -1) trap(TrapCode.IntegerOverflow);
          pc += 3;
          break;
        }
        case X.I64_DIV_S:
        case X.I64_DIV_U:
        case X.I64_REM_S:
        case X.I64_REM_U: {
          const op = code[pc]!;
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          if ((I[b]! | I[b + 1]!) === 0) trap(TrapCode.IntegerDivideByZero);
          let r: bigint;
          if (op === X.I64_DIV_S || op === X.I64_REM_S) {
            const x = i64Big(I, a);
            const y = i64Big(I, b);
            if (op === X.I64_DIV_S) {
              if (y === -1n && x === -(1n << 63n)) trap(TrapCode.IntegerOverflow);
              r = x / y;
            } else r = x % y;
          } else {
            const x = u64Big(I, a);
            const y = u64Big(I, b);
            r = op === X.I64_DIV_U ? x / y : x % y;
          }
          putBig(I, fp + code[pc + 1]!, r);
          pc += 4;
          break;
        }

        // ---- f32 (raw bits in I, values through F) ---------------------------------------
        case X.F32_ABS:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! & 0x7fffffff;
          pc += 3;
          break;
        case X.F32_NEG:
          I[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! ^ -0x80000000;
          pc += 3;
          break;
        case X.F32_COPYSIGN:
          I[fp + code[pc + 1]!] = (I[fp + code[pc + 2]!]! & 0x7fffffff) | (I[fp + code[pc + 3]!]! & -0x80000000);
          pc += 4;
          break;
        case X.F32_CEIL:
          F[fp + code[pc + 1]!] = Math.ceil(F[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.F32_FLOOR:
          F[fp + code[pc + 1]!] = Math.floor(F[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.F32_TRUNC:
          F[fp + code[pc + 1]!] = Math.trunc(F[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.F32_NEAREST:
          F[fp + code[pc + 1]!] = nearest(F[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.F32_SQRT:
          F[fp + code[pc + 1]!] = Math.sqrt(F[fp + code[pc + 2]!]!);
          pc += 3;
          break;
        case X.F32_ADD:
          F[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! + F[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.F32_SUB:
          F[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! - F[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.F32_MUL:
          F[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! * F[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.F32_DIV:
          F[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! / F[fp + code[pc + 3]!]!;
          pc += 4;
          break;
        case X.F32_MIN:
          F[fp + code[pc + 1]!] = Math.min(F[fp + code[pc + 2]!]!, F[fp + code[pc + 3]!]!);
          pc += 4;
          break;
        case X.F32_MAX:
          F[fp + code[pc + 1]!] = Math.max(F[fp + code[pc + 2]!]!, F[fp + code[pc + 3]!]!);
          pc += 4;
          break;
        case X.F32_EQ:
          I[fp + code[pc + 1]!] = F[fp + code[pc + 2]!] === F[fp + code[pc + 3]!] ? 1 : 0;
          pc += 4;
          break;
        case X.F32_NE:
          I[fp + code[pc + 1]!] = F[fp + code[pc + 2]!] !== F[fp + code[pc + 3]!] ? 1 : 0;
          pc += 4;
          break;
        case X.F32_LT:
          I[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! < F[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;
        case X.F32_GT:
          I[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! > F[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;
        case X.F32_LE:
          I[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! <= F[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;
        case X.F32_GE:
          I[fp + code[pc + 1]!] = F[fp + code[pc + 2]!]! >= F[fp + code[pc + 3]!]! ? 1 : 0;
          pc += 4;
          break;

        // ---- f64 (D is indexed by word offset / 2; frames and slots are 8-byte aligned) ----
        case X.F64_ABS: {
          const d = fp + code[pc + 1]!;
          const a = fp + code[pc + 2]!;
          I[d] = I[a]!;
          I[d + 1] = I[a + 1]! & 0x7fffffff;
          pc += 3;
          break;
        }
        case X.F64_NEG: {
          const d = fp + code[pc + 1]!;
          const a = fp + code[pc + 2]!;
          I[d] = I[a]!;
          I[d + 1] = I[a + 1]! ^ -0x80000000;
          pc += 3;
          break;
        }
        case X.F64_COPYSIGN: {
          const d = fp + code[pc + 1]!;
          const a = fp + code[pc + 2]!;
          const b = fp + code[pc + 3]!;
          I[d] = I[a]!;
          I[d + 1] = (I[a + 1]! & 0x7fffffff) | (I[b + 1]! & -0x80000000);
          pc += 4;
          break;
        }
        case X.F64_CEIL: {
          const d = fp + code[pc + 1]!;
          const r = Math.ceil(D[(fp + code[pc + 2]!) >> 1]!);
          D[d >> 1] = r;
          if (r !== r) I[d + 1] |= 0x80000; // JS passes a signalling NaN through unchanged; Wasm quiets it
          pc += 3;
          break;
        }
        case X.F64_FLOOR: {
          const d = fp + code[pc + 1]!;
          const r = Math.floor(D[(fp + code[pc + 2]!) >> 1]!);
          D[d >> 1] = r;
          if (r !== r) I[d + 1] |= 0x80000; // JS passes a signalling NaN through unchanged; Wasm quiets it
          pc += 3;
          break;
        }
        case X.F64_TRUNC: {
          const d = fp + code[pc + 1]!;
          const r = Math.trunc(D[(fp + code[pc + 2]!) >> 1]!);
          D[d >> 1] = r;
          if (r !== r) I[d + 1] |= 0x80000; // JS passes a signalling NaN through unchanged; Wasm quiets it
          pc += 3;
          break;
        }
        case X.F64_NEAREST: {
          const d = fp + code[pc + 1]!;
          const r = nearest(D[(fp + code[pc + 2]!) >> 1]!);
          D[d >> 1] = r;
          if (r !== r) I[d + 1] |= 0x80000; // JS passes a signalling NaN through unchanged; Wasm quiets it
          pc += 3;
          break;
        }
        case X.F64_SQRT:
          D[(fp + code[pc + 1]!) >> 1] = Math.sqrt(D[(fp + code[pc + 2]!) >> 1]!);
          pc += 3;
          break;
        case X.F64_ADD:
          D[(fp + code[pc + 1]!) >> 1] = D[(fp + code[pc + 2]!) >> 1]! + D[(fp + code[pc + 3]!) >> 1]!;
          pc += 4;
          break;
        case X.F64_SUB:
          D[(fp + code[pc + 1]!) >> 1] = D[(fp + code[pc + 2]!) >> 1]! - D[(fp + code[pc + 3]!) >> 1]!;
          pc += 4;
          break;
        case X.F64_MUL:
          D[(fp + code[pc + 1]!) >> 1] = D[(fp + code[pc + 2]!) >> 1]! * D[(fp + code[pc + 3]!) >> 1]!;
          pc += 4;
          break;
        case X.F64_DIV:
          D[(fp + code[pc + 1]!) >> 1] = D[(fp + code[pc + 2]!) >> 1]! / D[(fp + code[pc + 3]!) >> 1]!;
          pc += 4;
          break;
        case X.F64_MIN: {
          const d = fp + code[pc + 1]!;
          const r = Math.min(D[(fp + code[pc + 2]!) >> 1]!, D[(fp + code[pc + 3]!) >> 1]!);
          D[d >> 1] = r;
          if (r !== r) I[d + 1] |= 0x80000;
          pc += 4;
          break;
        }
        case X.F64_MAX: {
          const d = fp + code[pc + 1]!;
          const r = Math.max(D[(fp + code[pc + 2]!) >> 1]!, D[(fp + code[pc + 3]!) >> 1]!);
          D[d >> 1] = r;
          if (r !== r) I[d + 1] |= 0x80000;
          pc += 4;
          break;
        }
        case X.F64_EQ:
          I[fp + code[pc + 1]!] = D[(fp + code[pc + 2]!) >> 1] === D[(fp + code[pc + 3]!) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case X.F64_NE:
          I[fp + code[pc + 1]!] = D[(fp + code[pc + 2]!) >> 1] !== D[(fp + code[pc + 3]!) >> 1] ? 1 : 0;
          pc += 4;
          break;
        case X.F64_LT:
          I[fp + code[pc + 1]!] = D[(fp + code[pc + 2]!) >> 1]! < D[(fp + code[pc + 3]!) >> 1]! ? 1 : 0;
          pc += 4;
          break;
        case X.F64_GT:
          I[fp + code[pc + 1]!] = D[(fp + code[pc + 2]!) >> 1]! > D[(fp + code[pc + 3]!) >> 1]! ? 1 : 0;
          pc += 4;
          break;
        case X.F64_LE:
          I[fp + code[pc + 1]!] = D[(fp + code[pc + 2]!) >> 1]! <= D[(fp + code[pc + 3]!) >> 1]! ? 1 : 0;
          pc += 4;
          break;
        case X.F64_GE:
          I[fp + code[pc + 1]!] = D[(fp + code[pc + 2]!) >> 1]! >= D[(fp + code[pc + 3]!) >> 1]! ? 1 : 0;
          pc += 4;
          break;

        // ---- conversions -------------------------------------------------------------
        case X.F32_CONVERT_I32_S:
          F[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]!;
          pc += 3;
          break;
        case X.F32_CONVERT_I32_U:
          F[fp + code[pc + 1]!] = I[fp + code[pc + 2]!]! >>> 0;
          pc += 3;
          break;
        case X.F32_CONVERT_I64_S:
        case X.F32_CONVERT_I64_U: {
          const a = fp + code[pc + 2]!;
          const signed = code[pc] === X.F32_CONVERT_I64_S;
          const v = signed ? i64ToNumber(I, a) : u64ToNumber(I, a);
          // Below 2^53 the double is exact and the f32 store rounds once; above, round from the exact integer.
          if (Math.abs(v) < 9007199254740992) F[fp + code[pc + 1]!] = v;
          else I[fp + code[pc + 1]!] = bigintToF32Bits(signed ? i64Big(I, a) : u64Big(I, a));
          pc += 3;
          break;
        }
        case X.F64_CONVERT_I32_S:
          D[(fp + code[pc + 1]!) >> 1] = I[fp + code[pc + 2]!]!;
          pc += 3;
          break;
        case X.F64_CONVERT_I32_U:
          D[(fp + code[pc + 1]!) >> 1] = I[fp + code[pc + 2]!]! >>> 0;
          pc += 3;
          break;
        case X.F64_CONVERT_I64_S:
          // hi * 2^32 is exact, so the sum rounds once.
          D[(fp + code[pc + 1]!) >> 1] = i64ToNumber(I, fp + code[pc + 2]!);
          pc += 3;
          break;
        case X.F64_CONVERT_I64_U:
          D[(fp + code[pc + 1]!) >> 1] = u64ToNumber(I, fp + code[pc + 2]!);
          pc += 3;
          break;
        case X.F32_DEMOTE_F64:
          F[fp + code[pc + 1]!] = D[(fp + code[pc + 2]!) >> 1]!;
          pc += 3;
          break;
        case X.F64_PROMOTE_F32:
          D[(fp + code[pc + 1]!) >> 1] = F[fp + code[pc + 2]!]!;
          pc += 3;
          break;
        case X.I32_TRUNC_SAT_F32_S:
        case X.I32_TRUNC_SAT_F64_S: {
          const x = code[pc] === X.I32_TRUNC_SAT_F32_S ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          I[fp + code[pc + 1]!] = x !== x ? 0 : x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x) | 0;
          pc += 3;
          break;
        }
        case X.I32_TRUNC_SAT_F32_U:
        case X.I32_TRUNC_SAT_F64_U: {
          const x = code[pc] === X.I32_TRUNC_SAT_F32_U ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          I[fp + code[pc + 1]!] = x !== x || x <= 0 ? 0 : x >= 4294967295 ? -1 : Math.trunc(x) | 0;
          pc += 3;
          break;
        }
        case X.I64_TRUNC_SAT_F32_S:
        case X.I64_TRUNC_SAT_F64_S: {
          const x = code[pc] === X.I64_TRUNC_SAT_F32_S ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          const d = fp + code[pc + 1]!;
          if (x !== x) {
            I[d] = 0;
            I[d + 1] = 0;
          } else if (x <= -9223372036854775808) {
            I[d] = 0;
            I[d + 1] = -0x80000000;
          } else if (x >= 9223372036854775808) {
            I[d] = -1;
            I[d + 1] = 0x7fffffff;
          } else putI64(I, d, Math.trunc(x));
          pc += 3;
          break;
        }
        case X.I64_TRUNC_SAT_F32_U:
        case X.I64_TRUNC_SAT_F64_U: {
          const x = code[pc] === X.I64_TRUNC_SAT_F32_U ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          const d = fp + code[pc + 1]!;
          if (x !== x || x <= 0) {
            I[d] = 0;
            I[d + 1] = 0;
          } else if (x >= 18446744073709551616) {
            I[d] = -1;
            I[d + 1] = -1;
          } else putI64(I, d, Math.trunc(x));
          pc += 3;
          break;
        }
        case X.I32_CHECK_TRUNC_F32_S:
          truncCheck(F[fp + code[pc + 1]!]!, TRUNC_I32_S);
          pc += 2;
          break;
        case X.I32_CHECK_TRUNC_F64_S:
          truncCheck(D[(fp + code[pc + 1]!) >> 1]!, TRUNC_I32_S);
          pc += 2;
          break;
        case X.I32_CHECK_TRUNC_F32_U:
          truncCheck(F[fp + code[pc + 1]!]!, TRUNC_I32_U);
          pc += 2;
          break;
        case X.I32_CHECK_TRUNC_F64_U:
          truncCheck(D[(fp + code[pc + 1]!) >> 1]!, TRUNC_I32_U);
          pc += 2;
          break;
        case X.I64_CHECK_TRUNC_F32_S:
          truncCheck(F[fp + code[pc + 1]!]!, TRUNC_I64_S);
          pc += 2;
          break;
        case X.I64_CHECK_TRUNC_F64_S:
          truncCheck(D[(fp + code[pc + 1]!) >> 1]!, TRUNC_I64_S);
          pc += 2;
          break;
        case X.I64_CHECK_TRUNC_F32_U:
          truncCheck(F[fp + code[pc + 1]!]!, TRUNC_I64_U);
          pc += 2;
          break;
        case X.I64_CHECK_TRUNC_F64_U:
          truncCheck(D[(fp + code[pc + 1]!) >> 1]!, TRUNC_I64_U);
          pc += 2;
          break;
        case X.I32_TRUNC_F32_S:
        case X.I32_TRUNC_F64_S: {
          const x = code[pc] === X.I32_TRUNC_F32_S ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          truncCheck(x, TRUNC_I32_S);
          I[fp + code[pc + 1]!] = Math.trunc(x) | 0;
          pc += 3;
          break;
        }
        case X.I32_TRUNC_F32_U:
        case X.I32_TRUNC_F64_U: {
          const x = code[pc] === X.I32_TRUNC_F32_U ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          truncCheck(x, TRUNC_I32_U);
          I[fp + code[pc + 1]!] = Math.trunc(x) | 0;
          pc += 3;
          break;
        }
        case X.I64_TRUNC_F32_S:
        case X.I64_TRUNC_F64_S: {
          const f32 = code[pc] === X.I64_TRUNC_F32_S;
          const x = f32 ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          truncCheck(x, TRUNC_I64_S);
          putI64(I, fp + code[pc + 1]!, Math.trunc(x));
          pc += 3;
          break;
        }
        case X.I64_TRUNC_F32_U:
        case X.I64_TRUNC_F64_U: {
          const x = code[pc] === X.I64_TRUNC_F32_U ? F[fp + code[pc + 2]!]! : D[(fp + code[pc + 2]!) >> 1]!;
          truncCheck(x, TRUNC_I64_U);
          putI64(I, fp + code[pc + 1]!, Math.trunc(x));
          pc += 3;
          break;
        }
        default:
          throw new Error(`interp: bad exec op ${code[pc]} at ${pc} in ${fn.name}`);
      }
    }
  } catch (e) {
    for (let k = baseDepth; k < depth; k++) frameFn[k] = undefined;
    S.depth = baseDepth;
    S.sp = baseSp;
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new Trap(TrapCode.CallStackExhausted);
    throw e;
  }
}
