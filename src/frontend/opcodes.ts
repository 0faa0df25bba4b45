/**
 * THE table of WebAssembly 2.0 instructions: MVP, sign-extension, non-trapping
 * float-to-int (0xFC 0-7), bulk memory and reference types (0xFC 8-17, 0x25/0x26,
 * 0xD0-0xD2), multi-value (block types), and all of SIMD (0xFD).
 *
 * Each row gives the text name, the encoding (prefix byte or 0, then the opcode or the
 * u32 sub-opcode), the immediate kind, and for "plain" instructions the fixed type
 * signature. Decoding (decode.ts), validation (validate.ts), printing and the Wasm→IR
 * translator all read this table; ids (indices into OPS) are dense and stable within a
 * build, so instruction streams store ids, not names.
 *
 * Signature notation in rows: operand letters `i`=i32 `I`=i64 `f`=f32 `F`=f64 `v`=v128,
 * params before `:`, results after. A row with kind other than Plain needs the
 * validator's special rule (its signature depends on immediates or on the stack).
 */
import { F32, F64, I32, I64, V128, type ValType } from './module.js';

/** Immediate operand layouts. Comments give what readInstr() stores as int32 words. */
export enum Imm {
  None,
  /** [blocktype]: >=0 type index, BT_EMPTY, or -valtype. */
  BlockType,
  /** [depth] */
  Label,
  /** [n, depth_0 … depth_{n-1}, default] */
  BrTable,
  /** [funcidx] */
  Func,
  /** [typeidx, tableidx] */
  CallIndirect,
  /** [localidx] */
  Local,
  /** [globalidx] */
  Global,
  /** [tableidx] */
  Table,
  /** [align(log2), offset(u32)] */
  MemArg,
  /** [] — a reserved 0x00 byte (memory index in 2.0) */
  MemZero,
  /** [value] */
  I32,
  /** [lo, hi] */
  I64,
  /** [bits] */
  F32,
  /** [lo bits, hi bits] */
  F64,
  /** [w0, w1, w2, w3] (little-endian 32-bit words of the 16 bytes) */
  V128,
  /** [lane] */
  Lane,
  /** [align, offset, lane] */
  MemArgLane,
  /** [w0, w1, w2, w3] — 16 lane indices packed as bytes */
  Shuffle,
  /** [n, t_0 … t_{n-1}] */
  SelectT,
  /** [reftype] */
  RefType,
  /** [elemidx, tableidx] */
  TableInit,
  /** [dst tableidx, src tableidx] */
  TableCopy,
  /** [dataidx] + reserved 0x00 byte */
  MemInit,
  /** [dataidx] */
  Data,
  /** [] — two reserved 0x00 bytes */
  MemCopy,
  /** [elemidx] */
  Elem,
}

/** Validation rule. Plain = pop `params`, push `results`, check immediates. */
export enum Kind {
  Plain,
  Unreachable,
  Block,
  Loop,
  If,
  Else,
  End,
  Br,
  BrIf,
  BrTable,
  Return,
  Call,
  CallIndirect,
  Drop,
  Select,
  SelectT,
  LocalGet,
  LocalSet,
  LocalTee,
  GlobalGet,
  GlobalSet,
  TableGet,
  TableSet,
  TableInit,
  TableCopy,
  TableGrow,
  TableSize,
  TableFill,
  RefNull,
  RefIsNull,
  RefFunc,
}

export interface OpInfo {
  /** Dense index into OPS. */
  readonly id: number;
  /** Text-format name. */
  readonly name: string;
  /** 0 for single-byte opcodes, else 0xFC or 0xFD. */
  readonly prefix: number;
  /** The opcode byte, or the sub-opcode after the prefix. */
  readonly code: number;
  readonly imm: Imm;
  readonly kind: Kind;
  /** Fixed signature (Plain kind; for other kinds the parts that are fixed, else empty). */
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
  /** Natural alignment as log2 of the access size (memory accesses), else -1. */
  readonly align: number;
  /** Number of lanes addressed by a lane immediate, else 0. */
  readonly lanes: number;
}

/** Block type word for the empty block type (0x40). */
export const BT_EMPTY = -1;

const SIG: Record<string, ValType> = { i: I32, I: I64, f: F32, F: F64, v: V128 };

const ops: OpInfo[] = [];

function add(
  prefix: number,
  code: number,
  name: string,
  sig: string,
  imm: Imm = Imm.None,
  kind: Kind = Kind.Plain,
  align = -1,
  lanes = 0,
): void {
  const [p = '', r = ''] = sig.split(':');
  const params = [...p].map((c) => SIG[c]!);
  const results = [...r].map((c) => SIG[c]!);
  ops.push({ id: ops.length, name, prefix, code, imm, kind, params, results, align, lanes });
}
const op = (code: number, name: string, sig: string, imm?: Imm, kind?: Kind) => add(0, code, name, sig, imm, kind);
const special = (code: number, name: string, imm: Imm, kind: Kind) => add(0, code, name, '', imm, kind);
const mem = (code: number, name: string, sig: string, align: number) => add(0, code, name, sig, Imm.MemArg, Kind.Plain, align);
const fc = (code: number, name: string, sig: string, imm?: Imm, kind?: Kind) => add(0xfc, code, name, sig, imm, kind);
const fd = (code: number, name: string, sig: string, imm?: Imm) => add(0xfd, code, name, sig, imm);
const fdmem = (code: number, name: string, sig: string, align: number) => add(0xfd, code, name, sig, Imm.MemArg, Kind.Plain, align);
const fdlane = (code: number, name: string, sig: string, lanes: number) => add(0xfd, code, name, sig, Imm.Lane, Kind.Plain, -1, lanes);
const fdmemlane = (code: number, name: string, sig: string, align: number) =>
  add(0xfd, code, name, sig, Imm.MemArgLane, Kind.Plain, align, 16 >> align);

/** A run of same-signature opcodes with consecutive codes. */
function run(emit: (code: number, name: string, sig: string) => void, first: number, prefix: string, names: string, sig: string): void {
  names
    .trim()
    .split(/\s+/)
    .forEach((n, i) => emit(first + i, prefix + n, sig));
}

// ---- Control --------------------------------------------------------------
special(0x00, 'unreachable', Imm.None, Kind.Unreachable);
op(0x01, 'nop', '');
special(0x02, 'block', Imm.BlockType, Kind.Block);
special(0x03, 'loop', Imm.BlockType, Kind.Loop);
special(0x04, 'if', Imm.BlockType, Kind.If);
special(0x05, 'else', Imm.None, Kind.Else);
special(0x0b, 'end', Imm.None, Kind.End);
special(0x0c, 'br', Imm.Label, Kind.Br);
special(0x0d, 'br_if', Imm.Label, Kind.BrIf);
special(0x0e, 'br_table', Imm.BrTable, Kind.BrTable);
special(0x0f, 'return', Imm.None, Kind.Return);
special(0x10, 'call', Imm.Func, Kind.Call);
special(0x11, 'call_indirect', Imm.CallIndirect, Kind.CallIndirect);

// ---- Parametric -----------------------------------------------------------
special(0x1a, 'drop', Imm.None, Kind.Drop);
special(0x1b, 'select', Imm.None, Kind.Select);
special(0x1c, 'select', Imm.SelectT, Kind.SelectT);

// ---- Variables and tables -------------------------------------------------
special(0x20, 'local.get', Imm.Local, Kind.LocalGet);
special(0x21, 'local.set', Imm.Local, Kind.LocalSet);
special(0x22, 'local.tee', Imm.Local, Kind.LocalTee);
special(0x23, 'global.get', Imm.Global, Kind.GlobalGet);
special(0x24, 'global.set', Imm.Global, Kind.GlobalSet);
special(0x25, 'table.get', Imm.Table, Kind.TableGet);
special(0x26, 'table.set', Imm.Table, Kind.TableSet);

// ---- Memory ---------------------------------------------------------------
mem(0x28, 'i32.load', 'i:i', 2);
mem(0x29, 'i64.load', 'i:I', 3);
mem(0x2a, 'f32.load', 'i:f', 2);
mem(0x2b, 'f64.load', 'i:F', 3);
mem(0x2c, 'i32.load8_s', 'i:i', 0);
mem(0x2d, 'i32.load8_u', 'i:i', 0);
mem(0x2e, 'i32.load16_s', 'i:i', 1);
mem(0x2f, 'i32.load16_u', 'i:i', 1);
mem(0x30, 'i64.load8_s', 'i:I', 0);
mem(0x31, 'i64.load8_u', 'i:I', 0);
mem(0x32, 'i64.load16_s', 'i:I', 1);
mem(0x33, 'i64.load16_u', 'i:I', 1);
mem(0x34, 'i64.load32_s', 'i:I', 2);
mem(0x35, 'i64.load32_u', 'i:I', 2);
mem(0x36, 'i32.store', 'ii:', 2);
mem(0x37, 'i64.store', 'iI:', 3);
mem(0x38, 'f32.store', 'if:', 2);
mem(0x39, 'f64.store', 'iF:', 3);
mem(0x3a, 'i32.store8', 'ii:', 0);
mem(0x3b, 'i32.store16', 'ii:', 1);
mem(0x3c, 'i64.store8', 'iI:', 0);
mem(0x3d, 'i64.store16', 'iI:', 1);
mem(0x3e, 'i64.store32', 'iI:', 2);
op(0x3f, 'memory.size', ':i', Imm.MemZero);
op(0x40, 'memory.grow', 'i:i', Imm.MemZero);

// ---- Numeric --------------------------------------------------------------
op(0x41, 'i32.const', ':i', Imm.I32);
op(0x42, 'i64.const', ':I', Imm.I64);
op(0x43, 'f32.const', ':f', Imm.F32);
op(0x44, 'f64.const', ':F', Imm.F64);
op(0x45, 'i32.eqz', 'i:i');
run(op, 0x46, 'i32.', 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u', 'ii:i');
op(0x50, 'i64.eqz', 'I:i');
run(op, 0x51, 'i64.', 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u', 'II:i');
run(op, 0x5b, 'f32.', 'eq ne lt gt le ge', 'ff:i');
run(op, 0x61, 'f64.', 'eq ne lt gt le ge', 'FF:i');
run(op, 0x67, 'i32.', 'clz ctz popcnt', 'i:i');
run(op, 0x6a, 'i32.', 'add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr', 'ii:i');
run(op, 0x79, 'i64.', 'clz ctz popcnt', 'I:I');
run(op, 0x7c, 'i64.', 'add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr', 'II:I');
run(op, 0x8b, 'f32.', 'abs neg ceil floor trunc nearest sqrt', 'f:f');
run(op, 0x92, 'f32.', 'add sub mul div min max copysign', 'ff:f');
run(op, 0x99, 'f64.', 'abs neg ceil floor trunc nearest sqrt', 'F:F');
run(op, 0xa0, 'f64.', 'add sub mul div min max copysign', 'FF:F');
op(0xa7, 'i32.wrap_i64', 'I:i');
op(0xa8, 'i32.trunc_f32_s', 'f:i');
op(0xa9, 'i32.trunc_f32_u', 'f:i');
op(0xaa, 'i32.trunc_f64_s', 'F:i');
op(0xab, 'i32.trunc_f64_u', 'F:i');
op(0xac, 'i64.extend_i32_s', 'i:I');
op(0xad, 'i64.extend_i32_u', 'i:I');
op(0xae, 'i64.trunc_f32_s', 'f:I');
op(0xaf, 'i64.trunc_f32_u', 'f:I');
op(0xb0, 'i64.trunc_f64_s', 'F:I');
op(0xb1, 'i64.trunc_f64_u', 'F:I');
op(0xb2, 'f32.convert_i32_s', 'i:f');
op(0xb3, 'f32.convert_i32_u', 'i:f');
op(0xb4, 'f32.convert_i64_s', 'I:f');
op(0xb5, 'f32.convert_i64_u', 'I:f');
op(0xb6, 'f32.demote_f64', 'F:f');
op(0xb7, 'f64.convert_i32_s', 'i:F');
op(0xb8, 'f64.convert_i32_u', 'i:F');
op(0xb9, 'f64.convert_i64_s', 'I:F');
op(0xba, 'f64.convert_i64_u', 'I:F');
op(0xbb, 'f64.promote_f32', 'f:F');
op(0xbc, 'i32.reinterpret_f32', 'f:i');
op(0xbd, 'i64.reinterpret_f64', 'F:I');
op(0xbe, 'f32.reinterpret_i32', 'i:f');
op(0xbf, 'f64.reinterpret_i64', 'I:F');
// Sign extension.
op(0xc0, 'i32.extend8_s', 'i:i');
op(0xc1, 'i32.extend16_s', 'i:i');
op(0xc2, 'i64.extend8_s', 'I:I');
op(0xc3, 'i64.extend16_s', 'I:I');
op(0xc4, 'i64.extend32_s', 'I:I');

// ---- Reference types ------------------------------------------------------
special(0xd0, 'ref.null', Imm.RefType, Kind.RefNull);
special(0xd1, 'ref.is_null', Imm.None, Kind.RefIsNull);
special(0xd2, 'ref.func', Imm.Func, Kind.RefFunc);

// ---- 0xFC: saturating truncation, bulk memory, tables ---------------------
fc(0, 'i32.trunc_sat_f32_s', 'f:i');
fc(1, 'i32.trunc_sat_f32_u', 'f:i');
fc(2, 'i32.trunc_sat_f64_s', 'F:i');
fc(3, 'i32.trunc_sat_f64_u', 'F:i');
fc(4, 'i64.trunc_sat_f32_s', 'f:I');
fc(5, 'i64.trunc_sat_f32_u', 'f:I');
fc(6, 'i64.trunc_sat_f64_s', 'F:I');
fc(7, 'i64.trunc_sat_f64_u', 'F:I');
fc(8, 'memory.init', 'iii:', Imm.MemInit);
fc(9, 'data.drop', '', Imm.Data);
fc(10, 'memory.copy', 'iii:', Imm.MemCopy);
fc(11, 'memory.fill', 'iii:', Imm.MemZero);
fc(12, 'table.init', 'iii:', Imm.TableInit, Kind.TableInit);
fc(13, 'elem.drop', '', Imm.Elem);
fc(14, 'table.copy', 'iii:', Imm.TableCopy, Kind.TableCopy);
fc(15, 'table.grow', '', Imm.Table, Kind.TableGrow);
fc(16, 'table.size', ':i', Imm.Table, Kind.TableSize);
fc(17, 'table.fill', '', Imm.Table, Kind.TableFill);

// ---- 0xFD: SIMD -------------------------------------------------------------
fdmem(0x00, 'v128.load', 'i:v', 4);
fdmem(0x01, 'v128.load8x8_s', 'i:v', 3);
fdmem(0x02, 'v128.load8x8_u', 'i:v', 3);
fdmem(0x03, 'v128.load16x4_s', 'i:v', 3);
fdmem(0x04, 'v128.load16x4_u', 'i:v', 3);
fdmem(0x05, 'v128.load32x2_s', 'i:v', 3);
fdmem(0x06, 'v128.load32x2_u', 'i:v', 3);
fdmem(0x07, 'v128.load8_splat', 'i:v', 0);
fdmem(0x08, 'v128.load16_splat', 'i:v', 1);
fdmem(0x09, 'v128.load32_splat', 'i:v', 2);
fdmem(0x0a, 'v128.load64_splat', 'i:v', 3);
fdmem(0x0b, 'v128.store', 'iv:', 4);
fd(0x0c, 'v128.const', ':v', Imm.V128);
fd(0x0d, 'i8x16.shuffle', 'vv:v', Imm.Shuffle);
fd(0x0e, 'i8x16.swizzle', 'vv:v');
fd(0x0f, 'i8x16.splat', 'i:v');
fd(0x10, 'i16x8.splat', 'i:v');
fd(0x11, 'i32x4.splat', 'i:v');
fd(0x12, 'i64x2.splat', 'I:v');
fd(0x13, 'f32x4.splat', 'f:v');
fd(0x14, 'f64x2.splat', 'F:v');
fdlane(0x15, 'i8x16.extract_lane_s', 'v:i', 16);
fdlane(0x16, 'i8x16.extract_lane_u', 'v:i', 16);
fdlane(0x17, 'i8x16.replace_lane', 'vi:v', 16);
fdlane(0x18, 'i16x8.extract_lane_s', 'v:i', 8);
fdlane(0x19, 'i16x8.extract_lane_u', 'v:i', 8);
fdlane(0x1a, 'i16x8.replace_lane', 'vi:v', 8);
fdlane(0x1b, 'i32x4.extract_lane', 'v:i', 4);
fdlane(0x1c, 'i32x4.replace_lane', 'vi:v', 4);
fdlane(0x1d, 'i64x2.extract_lane', 'v:I', 2);
fdlane(0x1e, 'i64x2.replace_lane', 'vI:v', 2);
fdlane(0x1f, 'f32x4.extract_lane', 'v:f', 4);
fdlane(0x20, 'f32x4.replace_lane', 'vf:v', 4);
fdlane(0x21, 'f64x2.extract_lane', 'v:F', 2);
fdlane(0x22, 'f64x2.replace_lane', 'vF:v', 2);
run(fd, 0x23, 'i8x16.', 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u', 'vv:v');
run(fd, 0x2d, 'i16x8.', 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u', 'vv:v');
run(fd, 0x37, 'i32x4.', 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u', 'vv:v');
run(fd, 0x41, 'f32x4.', 'eq ne lt gt le ge', 'vv:v');
run(fd, 0x47, 'f64x2.', 'eq ne lt gt le ge', 'vv:v');
fd(0x4d, 'v128.not', 'v:v');
run(fd, 0x4e, 'v128.', 'and andnot or xor', 'vv:v');
fd(0x52, 'v128.bitselect', 'vvv:v');
fd(0x53, 'v128.any_true', 'v:i');
fdmemlane(0x54, 'v128.load8_lane', 'iv:v', 0);
fdmemlane(0x55, 'v128.load16_lane', 'iv:v', 1);
fdmemlane(0x56, 'v128.load32_lane', 'iv:v', 2);
fdmemlane(0x57, 'v128.load64_lane', 'iv:v', 3);
fdmemlane(0x58, 'v128.store8_lane', 'iv:', 0);
fdmemlane(0x59, 'v128.store16_lane', 'iv:', 1);
fdmemlane(0x5a, 'v128.store32_lane', 'iv:', 2);
fdmemlane(0x5b, 'v128.store64_lane', 'iv:', 3);
fdmem(0x5c, 'v128.load32_zero', 'i:v', 2);
fdmem(0x5d, 'v128.load64_zero', 'i:v', 3);
fd(0x5e, 'f32x4.demote_f64x2_zero', 'v:v');
fd(0x5f, 'f64x2.promote_low_f32x4', 'v:v');
run(fd, 0x60, 'i8x16.', 'abs neg popcnt', 'v:v');
fd(0x63, 'i8x16.all_true', 'v:i');
fd(0x64, 'i8x16.bitmask', 'v:i');
run(fd, 0x65, 'i8x16.', 'narrow_i16x8_s narrow_i16x8_u', 'vv:v');
run(fd, 0x67, 'f32x4.', 'ceil floor trunc nearest', 'v:v');
run(fd, 0x6b, 'i8x16.', 'shl shr_s shr_u', 'vi:v');
run(fd, 0x6e, 'i8x16.', 'add add_sat_s add_sat_u sub sub_sat_s sub_sat_u', 'vv:v');
run(fd, 0x74, 'f64x2.', 'ceil floor', 'v:v');
run(fd, 0x76, 'i8x16.', 'min_s min_u max_s max_u', 'vv:v');
fd(0x7a, 'f64x2.trunc', 'v:v');
fd(0x7b, 'i8x16.avgr_u', 'vv:v');
run(fd, 0x7c, 'i16x8.', 'extadd_pairwise_i8x16_s extadd_pairwise_i8x16_u', 'v:v');
run(fd, 0x7e, 'i32x4.', 'extadd_pairwise_i16x8_s extadd_pairwise_i16x8_u', 'v:v');
run(fd, 0x80, 'i16x8.', 'abs neg', 'v:v');
fd(0x82, 'i16x8.q15mulr_sat_s', 'vv:v');
fd(0x83, 'i16x8.all_true', 'v:i');
fd(0x84, 'i16x8.bitmask', 'v:i');
run(fd, 0x85, 'i16x8.', 'narrow_i32x4_s narrow_i32x4_u', 'vv:v');
run(fd, 0x87, 'i16x8.', 'extend_low_i8x16_s extend_high_i8x16_s extend_low_i8x16_u extend_high_i8x16_u', 'v:v');
run(fd, 0x8b, 'i16x8.', 'shl shr_s shr_u', 'vi:v');
run(fd, 0x8e, 'i16x8.', 'add add_sat_s add_sat_u sub sub_sat_s sub_sat_u', 'vv:v');
fd(0x94, 'f64x2.nearest', 'v:v');
run(fd, 0x95, 'i16x8.', 'mul min_s min_u max_s max_u', 'vv:v');
fd(0x9b, 'i16x8.avgr_u', 'vv:v');
run(fd, 0x9c, 'i16x8.', 'extmul_low_i8x16_s extmul_high_i8x16_s extmul_low_i8x16_u extmul_high_i8x16_u', 'vv:v');
run(fd, 0xa0, 'i32x4.', 'abs neg', 'v:v');
fd(0xa3, 'i32x4.all_true', 'v:i');
fd(0xa4, 'i32x4.bitmask', 'v:i');
run(fd, 0xa7, 'i32x4.', 'extend_low_i16x8_s extend_high_i16x8_s extend_low_i16x8_u extend_high_i16x8_u', 'v:v');
run(fd, 0xab, 'i32x4.', 'shl shr_s shr_u', 'vi:v');
fd(0xae, 'i32x4.add', 'vv:v');
fd(0xb1, 'i32x4.sub', 'vv:v');
run(fd, 0xb5, 'i32x4.', 'mul min_s min_u max_s max_u dot_i16x8_s', 'vv:v');
run(fd, 0xbc, 'i32x4.', 'extmul_low_i16x8_s extmul_high_i16x8_s extmul_low_i16x8_u extmul_high_i16x8_u', 'vv:v');
run(fd, 0xc0, 'i64x2.', 'abs neg', 'v:v');
fd(0xc3, 'i64x2.all_true', 'v:i');
fd(0xc4, 'i64x2.bitmask', 'v:i');
run(fd, 0xc7, 'i64x2.', 'extend_low_i32x4_s extend_high_i32x4_s extend_low_i32x4_u extend_high_i32x4_u', 'v:v');
run(fd, 0xcb, 'i64x2.', 'shl shr_s shr_u', 'vi:v');
fd(0xce, 'i64x2.add', 'vv:v');
fd(0xd1, 'i64x2.sub', 'vv:v');
fd(0xd5, 'i64x2.mul', 'vv:v');
run(fd, 0xd6, 'i64x2.', 'eq ne lt_s gt_s le_s ge_s', 'vv:v');
run(fd, 0xdc, 'i64x2.', 'extmul_low_i32x4_s extmul_high_i32x4_s extmul_low_i32x4_u extmul_high_i32x4_u', 'vv:v');
run(fd, 0xe0, 'f32x4.', 'abs neg', 'v:v');
fd(0xe3, 'f32x4.sqrt', 'v:v');
run(fd, 0xe4, 'f32x4.', 'add sub mul div min max pmin pmax', 'vv:v');
run(fd, 0xec, 'f64x2.', 'abs neg', 'v:v');
fd(0xef, 'f64x2.sqrt', 'v:v');
run(fd, 0xf0, 'f64x2.', 'add sub mul div min max pmin pmax', 'vv:v');
run(
  fd,
  0xf8,
  '',
  'i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u ' +
    'i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u',
  'v:v',
);

/** Every instruction, indexed by id. */
export const OPS: readonly OpInfo[] = ops;

/** Lookup tables from encoding to id (-1 = illegal). */
export const SINGLE_BYTE_OPS = new Int16Array(256).fill(-1);
export const FC_OPS = new Int16Array(18).fill(-1);
export const FD_OPS = new Int16Array(256).fill(-1);
for (const o of ops) {
  const table = o.prefix === 0 ? SINGLE_BYTE_OPS : o.prefix === 0xfc ? FC_OPS : FD_OPS;
  if (table[o.code] !== -1) throw new Error(`opcode table: duplicate encoding for ${o.name}`);
  table[o.code] = o.id;
}

/** Id of an instruction by text name (for `select`, the untyped form; `select_t` is the typed one). */
export const OP_BY_NAME: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const o of ops) {
    if (o.imm === Imm.SelectT) m.set('select_t', o.id);
    else if (!m.has(o.name)) m.set(o.name, o.id);
  }
  return m;
})();

/** Id by name; throws for unknown names (a programming error, not a module error). */
export function opId(name: string): number {
  const id = OP_BY_NAME.get(name);
  if (id === undefined) throw new Error(`no such wasm instruction: ${name}`);
  return id;
}

/** Id from an encoding, or -1. */
export function opByCode(prefix: number, code: number): number {
  if (prefix === 0) return code >= 0 && code < 256 ? SINGLE_BYTE_OPS[code]! : -1;
  const t = prefix === 0xfc ? FC_OPS : prefix === 0xfd ? FD_OPS : null;
  if (t === null || code < 0 || code >= t.length) return -1;
  return t[code]!;
}

/** Encoding bytes of an instruction's opcode (prefix + LEB128 sub-opcode). */
export function opcodeBytes(id: number): number[] {
  const o = OPS[id]!;
  if (o.prefix === 0) return [o.code];
  const out = [o.prefix];
  let v = o.code;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

// ---------------------------------------------------------------------------
// Printing (text-format syntax, flat form)
// ---------------------------------------------------------------------------

const REF_NAMES: Record<number, string> = { 0x70: 'func', 0x6f: 'extern' };
const VAL_NAMES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

const f32buf = new DataView(new ArrayBuffer(8));

function floatText(bitsLo: number, bitsHi: number | null): string {
  let v: number;
  let payload: bigint;
  let negative: boolean;
  if (bitsHi === null) {
    f32buf.setUint32(0, bitsLo >>> 0, true);
    v = f32buf.getFloat32(0, true);
    payload = BigInt(bitsLo & 0x7fffff);
    negative = (bitsLo & 0x80000000) !== 0;
  } else {
    f32buf.setUint32(0, bitsLo >>> 0, true);
    f32buf.setUint32(4, bitsHi >>> 0, true);
    v = f32buf.getFloat64(0, true);
    payload = (BigInt(bitsHi & 0xfffff) << 32n) | BigInt(bitsLo >>> 0);
    negative = (bitsHi & 0x80000000) !== 0;
  }
  if (Number.isNaN(v)) return `${negative ? '-' : ''}nan:0x${payload.toString(16)}`;
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function memargText(o: OpInfo, align: number, offset: number): string {
  const parts: string[] = [];
  if (offset !== 0) parts.push(`offset=${offset >>> 0}`);
  if (align >>> 0 !== o.align) parts.push(align >>> 0 < 32 ? `align=${2 ** (align >>> 0)}` : `align=2**${align >>> 0}`);
  return parts.join(' ');
}

/** Text form of one instruction given its id and immediate words (the layout of `Imm`). */
export function formatInstr(id: number, w: ArrayLike<number>): string {
  const o = OPS[id]!;
  const u = (k: number) => (w[k]! >>> 0).toString();
  const join = (...xs: string[]) => [o.name, ...xs.filter((x) => x !== '')].join(' ');
  switch (o.imm) {
    case Imm.None:
    case Imm.MemZero:
    case Imm.MemCopy:
      return o.name;
    case Imm.BlockType: {
      const bt = w[0]!;
      if (bt === BT_EMPTY) return o.name;
      if (bt < 0) return join(`(result ${VAL_NAMES[-bt] ?? '?'})`);
      return join(`(type ${bt})`);
    }
    case Imm.BrTable: {
      const n = w[0]!;
      const xs: string[] = [];
      for (let k = 1; k <= n + 1; k++) xs.push(u(k));
      return join(...xs);
    }
    case Imm.CallIndirect:
      return join(u(1), `(type ${u(0)})`);
    case Imm.MemArg:
      return join(memargText(o, w[0]!, w[1]!));
    case Imm.MemArgLane:
      return join(memargText(o, w[0]!, w[1]!), u(2));
    case Imm.I32:
      return join(String(w[0]! | 0));
    case Imm.I64:
      return join(BigInt.asIntN(64, (BigInt(w[1]! >>> 0) << 32n) | BigInt(w[0]! >>> 0)).toString());
    case Imm.F32:
      return join(floatText(w[0]!, null));
    case Imm.F64:
      return join(floatText(w[0]!, w[1]!));
    case Imm.V128:
      return join('i32x4', ...[0, 1, 2, 3].map((k) => `0x${(w[k]! >>> 0).toString(16).padStart(8, '0')}`));
    case Imm.Shuffle: {
      const lanes: string[] = [];
      for (let k = 0; k < 16; k++) lanes.push(String(((w[k >> 2]! >>> 0) >>> ((k & 3) * 8)) & 0xff));
      return join(...lanes);
    }
    case Imm.SelectT: {
      const n = w[0]!;
      const ts: string[] = [];
      for (let k = 1; k <= n; k++) ts.push(VAL_NAMES[w[k]!] ?? '?');
      return join(`(result${ts.map((t) => ' ' + t).join('')})`);
    }
    case Imm.RefType:
      return join(REF_NAMES[w[0]!] ?? '?');
    case Imm.TableInit:
      return join(u(1), u(0));
    default:
      // One or two plain indices/values: Label, Func, Local, Global, Table, Lane, Data, Elem, MemInit, TableCopy.
      return o.imm === Imm.TableCopy ? join(u(0), u(1)) : join(u(0));
  }
}
