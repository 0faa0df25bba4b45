/**
 * THE table of IR operations. Verifier, printer, parser, interpreter, passes and
 * instruction selectors all read it; adding an op means one row here plus the places
 * that must give it meaning (interp, isel, fold if foldable).
 *
 * Conventions
 * - Pure numeric ops mirror Wasm 1:1 and keep Wasm's names (`i32.add`, `f64.nearest`,
 *   `i64.trunc_sat_f32_u`, every SIMD op). Their semantics are Wasm's.
 * - Wasm's trapping arithmetic is split into an explicit *check* op plus the arithmetic
 *   op, so passes see (and may drop) each check:
 *     i32.div_s a b  ==>  i32.check_nonzero b ; i32.check_div_s a b ; i32.div_s a b
 *     i32.rem_u a b  ==>  i32.check_nonzero b ; i32.rem_u a b
 *     i64.trunc_f64_u x  ==>  i64.check_trunc_f64_u x ; i64.trunc_f64_u x
 *   A check has no result and may trap (`traps`); the arithmetic op lists its checks in
 *   `requires`, has no trap of its own and is not `speculatable` (it must stay below its
 *   checks: hardware may fault on the inputs the checks exclude). The builder's `wasm()`
 *   emits the checks automatically. The interpreter still traps with the Wasm code if an
 *   unchecked op meets a bad input, so it stays an exact oracle even for buggy IR.
 * - `call_indirect` is `table.check_call` (table bounds, null entry and signature checks,
 *   yielding a funcref) followed by `call_ref` (a call through a checked funcref).
 * - Memory ops carry [mem, offset (u64 bigint), align (log2)] immediates; their access
 *   width and signedness are in `access`. Addresses are i32 (Wasm 2.0 memories).
 * - Calls use the Wasm function index space (imports first); a backend tells imports
 *   from defined functions through the module.
 * - Terminators: br, br_if, br_table, return, trap. Branch arguments live in
 *   `InstData.targets`, not in `args` (see func.ts).
 */
import type { FuncType, Imm, RefType, Type } from './types.js';
import { ALL_TRAPS, TrapCode } from './traps.js';

// ---------------------------------------------------------------------------------
// Names. Grouped by signature; the groups both build the table and give OpName its
// union type, so `opcode('i32.ad')` is a compile error.

const INT_UNARY = ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s'] as const;
const INT_BINARY = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr'] as const;
const INT_DIVREM = ['div_s', 'div_u', 'rem_s', 'rem_u'] as const;
const INT_COMPARE = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'] as const;
const FLOAT_UNARY = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'] as const;
const FLOAT_BINARY = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'] as const;
const FLOAT_COMPARE = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'] as const;
const INT_COMMUTATIVE: ReadonlySet<string> = new Set(['add', 'mul', 'and', 'or', 'xor', 'eq', 'ne']);

type I = 'i32' | 'i64';
type F = 'f32' | 'f64';
type NumericName =
  | `${I}.${(typeof INT_UNARY)[number] | (typeof INT_BINARY)[number] | (typeof INT_DIVREM)[number] | (typeof INT_COMPARE)[number] | 'eqz'}`
  | `${F}.${(typeof FLOAT_UNARY)[number] | (typeof FLOAT_BINARY)[number] | (typeof FLOAT_COMPARE)[number]}`;

/** [name, operand type, result type] */
const CONVERSIONS = [
  ['i32.wrap_i64', 'i64', 'i32'],
  ['i64.extend_i32_s', 'i32', 'i64'],
  ['i64.extend_i32_u', 'i32', 'i64'],
  ['i64.extend32_s', 'i64', 'i64'],
  ['f32.convert_i32_s', 'i32', 'f32'],
  ['f32.convert_i32_u', 'i32', 'f32'],
  ['f32.convert_i64_s', 'i64', 'f32'],
  ['f32.convert_i64_u', 'i64', 'f32'],
  ['f64.convert_i32_s', 'i32', 'f64'],
  ['f64.convert_i32_u', 'i32', 'f64'],
  ['f64.convert_i64_s', 'i64', 'f64'],
  ['f64.convert_i64_u', 'i64', 'f64'],
  ['f32.demote_f64', 'f64', 'f32'],
  ['f64.promote_f32', 'f32', 'f64'],
  ['i32.reinterpret_f32', 'f32', 'i32'],
  ['i64.reinterpret_f64', 'f64', 'i64'],
  ['f32.reinterpret_i32', 'i32', 'f32'],
  ['f64.reinterpret_i64', 'i64', 'f64'],
  ['i32.trunc_sat_f32_s', 'f32', 'i32'],
  ['i32.trunc_sat_f32_u', 'f32', 'i32'],
  ['i32.trunc_sat_f64_s', 'f64', 'i32'],
  ['i32.trunc_sat_f64_u', 'f64', 'i32'],
  ['i64.trunc_sat_f32_s', 'f32', 'i64'],
  ['i64.trunc_sat_f32_u', 'f32', 'i64'],
  ['i64.trunc_sat_f64_s', 'f64', 'i64'],
  ['i64.trunc_sat_f64_u', 'f64', 'i64'],
] as const;

/** Float->int truncations that trap in Wasm; each needs its `check_trunc` op. */
const TRAPPING_TRUNCS = [
  ['i32.trunc_f32_s', 'f32', 'i32'],
  ['i32.trunc_f32_u', 'f32', 'i32'],
  ['i32.trunc_f64_s', 'f64', 'i32'],
  ['i32.trunc_f64_u', 'f64', 'i32'],
  ['i64.trunc_f32_s', 'f32', 'i64'],
  ['i64.trunc_f32_u', 'f32', 'i64'],
  ['i64.trunc_f64_s', 'f64', 'i64'],
  ['i64.trunc_f64_u', 'f64', 'i64'],
] as const;
type TruncName = (typeof TRAPPING_TRUNCS)[number][0];
type TruncSuffix = TruncName extends `${I}.trunc_${infer S}` ? S : never;
type CheckName = `${I}.check_nonzero` | `${I}.check_div_s` | `${I}.check_trunc_${TruncSuffix}`;

/** [name, type, access bytes, signed] */
const SCALAR_LOADS = [
  ['i32.load', 'i32', 4, false],
  ['i64.load', 'i64', 8, false],
  ['f32.load', 'f32', 4, false],
  ['f64.load', 'f64', 8, false],
  ['i32.load8_s', 'i32', 1, true],
  ['i32.load8_u', 'i32', 1, false],
  ['i32.load16_s', 'i32', 2, true],
  ['i32.load16_u', 'i32', 2, false],
  ['i64.load8_s', 'i64', 1, true],
  ['i64.load8_u', 'i64', 1, false],
  ['i64.load16_s', 'i64', 2, true],
  ['i64.load16_u', 'i64', 2, false],
  ['i64.load32_s', 'i64', 4, true],
  ['i64.load32_u', 'i64', 4, false],
  ['v128.load', 'v128', 16, false],
  ['v128.load8x8_s', 'v128', 8, true],
  ['v128.load8x8_u', 'v128', 8, false],
  ['v128.load16x4_s', 'v128', 8, true],
  ['v128.load16x4_u', 'v128', 8, false],
  ['v128.load32x2_s', 'v128', 8, true],
  ['v128.load32x2_u', 'v128', 8, false],
  ['v128.load8_splat', 'v128', 1, false],
  ['v128.load16_splat', 'v128', 2, false],
  ['v128.load32_splat', 'v128', 4, false],
  ['v128.load64_splat', 'v128', 8, false],
  ['v128.load32_zero', 'v128', 4, false],
  ['v128.load64_zero', 'v128', 8, false],
] as const;

/** [name, stored type, access bytes] */
const SCALAR_STORES = [
  ['i32.store', 'i32', 4],
  ['i64.store', 'i64', 8],
  ['f32.store', 'f32', 4],
  ['f64.store', 'f64', 8],
  ['i32.store8', 'i32', 1],
  ['i32.store16', 'i32', 2],
  ['i64.store8', 'i64', 1],
  ['i64.store16', 'i64', 2],
  ['i64.store32', 'i64', 4],
  ['v128.store', 'v128', 16],
] as const;

const LANE_WIDTHS = ['8', '16', '32', '64'] as const;
type LaneMemName = `v128.${'load' | 'store'}${(typeof LANE_WIDTHS)[number]}_lane`;

/** SIMD ops v128 -> v128. */
const SIMD_UNARY = [
  'v128.not',
  'i8x16.abs', 'i8x16.neg', 'i8x16.popcnt',
  'i16x8.abs', 'i16x8.neg', 'i16x8.extadd_pairwise_i8x16_s', 'i16x8.extadd_pairwise_i8x16_u',
  'i16x8.extend_low_i8x16_s', 'i16x8.extend_high_i8x16_s', 'i16x8.extend_low_i8x16_u', 'i16x8.extend_high_i8x16_u',
  'i32x4.abs', 'i32x4.neg', 'i32x4.extadd_pairwise_i16x8_s', 'i32x4.extadd_pairwise_i16x8_u',
  'i32x4.extend_low_i16x8_s', 'i32x4.extend_high_i16x8_s', 'i32x4.extend_low_i16x8_u', 'i32x4.extend_high_i16x8_u',
  'i64x2.abs', 'i64x2.neg',
  'i64x2.extend_low_i32x4_s', 'i64x2.extend_high_i32x4_s', 'i64x2.extend_low_i32x4_u', 'i64x2.extend_high_i32x4_u',
  'f32x4.ceil', 'f32x4.floor', 'f32x4.trunc', 'f32x4.nearest', 'f32x4.abs', 'f32x4.neg', 'f32x4.sqrt',
  'f64x2.ceil', 'f64x2.floor', 'f64x2.trunc', 'f64x2.nearest', 'f64x2.abs', 'f64x2.neg', 'f64x2.sqrt',
  'i32x4.trunc_sat_f32x4_s', 'i32x4.trunc_sat_f32x4_u', 'f32x4.convert_i32x4_s', 'f32x4.convert_i32x4_u',
  'i32x4.trunc_sat_f64x2_s_zero', 'i32x4.trunc_sat_f64x2_u_zero',
  'f64x2.convert_low_i32x4_s', 'f64x2.convert_low_i32x4_u',
  'f32x4.demote_f64x2_zero', 'f64x2.promote_low_f32x4',
] as const;

const SIMD_INT_COMPARE = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'] as const;
const SIMD_I64_COMPARE = ['eq', 'ne', 'lt_s', 'gt_s', 'le_s', 'ge_s'] as const;
const SIMD_FLOAT_COMPARE = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'] as const;
type SimdCompareName =
  | `${'i8x16' | 'i16x8' | 'i32x4'}.${(typeof SIMD_INT_COMPARE)[number]}`
  | `i64x2.${(typeof SIMD_I64_COMPARE)[number]}`
  | `${'f32x4' | 'f64x2'}.${(typeof SIMD_FLOAT_COMPARE)[number]}`;

/** SIMD ops v128 v128 -> v128 (besides the compares). */
const SIMD_BINARY = [
  'i8x16.swizzle', 'v128.and', 'v128.andnot', 'v128.or', 'v128.xor',
  'i8x16.narrow_i16x8_s', 'i8x16.narrow_i16x8_u',
  'i8x16.add', 'i8x16.add_sat_s', 'i8x16.add_sat_u', 'i8x16.sub', 'i8x16.sub_sat_s', 'i8x16.sub_sat_u',
  'i8x16.min_s', 'i8x16.min_u', 'i8x16.max_s', 'i8x16.max_u', 'i8x16.avgr_u',
  'i16x8.narrow_i32x4_s', 'i16x8.narrow_i32x4_u', 'i16x8.q15mulr_sat_s',
  'i16x8.add', 'i16x8.add_sat_s', 'i16x8.add_sat_u', 'i16x8.sub', 'i16x8.sub_sat_s', 'i16x8.sub_sat_u', 'i16x8.mul',
  'i16x8.min_s', 'i16x8.min_u', 'i16x8.max_s', 'i16x8.max_u', 'i16x8.avgr_u',
  'i16x8.extmul_low_i8x16_s', 'i16x8.extmul_high_i8x16_s', 'i16x8.extmul_low_i8x16_u', 'i16x8.extmul_high_i8x16_u',
  'i32x4.add', 'i32x4.sub', 'i32x4.mul', 'i32x4.min_s', 'i32x4.min_u', 'i32x4.max_s', 'i32x4.max_u', 'i32x4.dot_i16x8_s',
  'i32x4.extmul_low_i16x8_s', 'i32x4.extmul_high_i16x8_s', 'i32x4.extmul_low_i16x8_u', 'i32x4.extmul_high_i16x8_u',
  'i64x2.add', 'i64x2.sub', 'i64x2.mul',
  'i64x2.extmul_low_i32x4_s', 'i64x2.extmul_high_i32x4_s', 'i64x2.extmul_low_i32x4_u', 'i64x2.extmul_high_i32x4_u',
  'f32x4.add', 'f32x4.sub', 'f32x4.mul', 'f32x4.div', 'f32x4.min', 'f32x4.max', 'f32x4.pmin', 'f32x4.pmax',
  'f64x2.add', 'f64x2.sub', 'f64x2.mul', 'f64x2.div', 'f64x2.min', 'f64x2.max', 'f64x2.pmin', 'f64x2.pmax',
] as const;

/** SIMD ops v128 -> i32. */
const SIMD_TESTS = [
  'v128.any_true', 'i8x16.all_true', 'i8x16.bitmask', 'i16x8.all_true', 'i16x8.bitmask',
  'i32x4.all_true', 'i32x4.bitmask', 'i64x2.all_true', 'i64x2.bitmask',
] as const;

/** SIMD shifts v128 i32 -> v128. */
const SIMD_SHIFTS = [
  'i8x16.shl', 'i8x16.shr_s', 'i8x16.shr_u', 'i16x8.shl', 'i16x8.shr_s', 'i16x8.shr_u',
  'i32x4.shl', 'i32x4.shr_s', 'i32x4.shr_u', 'i64x2.shl', 'i64x2.shr_s', 'i64x2.shr_u',
] as const;

/** [shape, scalar type, lanes, has signed/unsigned extract] */
const SHAPES = [
  ['i8x16', 'i32', 16, true],
  ['i16x8', 'i32', 8, true],
  ['i32x4', 'i32', 4, false],
  ['i64x2', 'i64', 2, false],
  ['f32x4', 'f32', 4, false],
  ['f64x2', 'f64', 2, false],
] as const;
type Shape = (typeof SHAPES)[number][0];
type LaneName =
  | `${Shape}.splat`
  | `${Shape}.replace_lane`
  | `${'i8x16' | 'i16x8'}.extract_lane_${'s' | 'u'}`
  | `${'i32x4' | 'i64x2' | 'f32x4' | 'f64x2'}.extract_lane`;

const OTHER_OPS = [
  'i32.const', 'i64.const', 'f32.const', 'f64.const', 'v128.const', 'i8x16.shuffle', 'v128.bitselect',
  'select', 'ref.null', 'ref.is_null', 'ref.func', 'global.get', 'global.set',
  'memory.size', 'memory.grow', 'memory.fill', 'memory.copy', 'memory.init', 'data.drop', 'memory.check_bounds',
  'table.get', 'table.set', 'table.size', 'table.grow', 'table.fill', 'table.copy', 'table.init', 'elem.drop',
  'table.check_call', 'call', 'call_ref',
  'br', 'br_if', 'br_table', 'return', 'trap',
] as const;

export type OpName =
  | NumericName
  | (typeof CONVERSIONS)[number][0]
  | TruncName
  | CheckName
  | (typeof SCALAR_LOADS)[number][0]
  | (typeof SCALAR_STORES)[number][0]
  | LaneMemName
  | (typeof SIMD_UNARY)[number]
  | (typeof SIMD_BINARY)[number]
  | SimdCompareName
  | (typeof SIMD_TESTS)[number]
  | (typeof SIMD_SHIFTS)[number]
  | LaneName
  | (typeof OTHER_OPS)[number];

// ---------------------------------------------------------------------------------
// Row shape.

/** Index into OPS. */
export type Opcode = number;

/**
 * How an immediate is stored (see `Imm` in types.ts) and printed:
 * - i32 / i64: signed integer constants (number / bigint), printed in decimal;
 * - f32 / f64: raw bits (number / bigint), printed as Wasm text floats (`1.5`, `-0`, `inf`, `nan:0x400000`);
 * - v128: Uint8Array(16), printed `i32x4 0x… 0x… 0x… 0x…`;
 * - shuffle: Uint8Array(16) of lane indices < 32, printed `[0 1 … 15]`;
 * - lane: lane index (< OpInfo.lanes);
 * - index: an index into the module's index space named by `space`;
 * - offset: u64 static offset (bigint);
 * - align: log2 of the alignment in bytes (printed in bytes, as `align=4`);
 * - trap: a TrapCode (printed by name, `integer_divide_by_zero`);
 * - reftype: 'funcref' | 'externref'.
 */
export type ImmKind = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'shuffle' | 'lane' | 'index' | 'offset' | 'align' | 'trap' | 'reftype';
export type IndexSpace = 'func' | 'type' | 'global' | 'mem' | 'table' | 'data' | 'elem';

export interface ImmSpec {
  /** Printed as `key=value`, unless `bare` (then just the value). */
  readonly key: string;
  readonly kind: ImmKind;
  readonly bare: boolean;
  /** For kind 'index': which index space it names. */
  readonly space?: IndexSpace;
}

/** Operand type pattern: a concrete type, any reference type, or any type at all (select). */
export type ParamType = Type | 'ref' | 'any';

/** Effects other than trapping, as bits; an op with effects 0 and no traps is pure. */
export const Effect = {
  ReadMemory: 1 << 0,
  WriteMemory: 1 << 1,
  ReadGlobal: 1 << 2,
  WriteGlobal: 1 << 3,
  ReadTable: 1 << 4,
  WriteTable: 1 << 5,
  ReadSegment: 1 << 6,
  WriteSegment: 1 << 7,
  /** Runs arbitrary code: reads and writes everything and may trap with any code. */
  Call: 1 << 8,
} as const;
export const ALL_EFFECTS = (1 << 9) - 1;
const WRITES = Effect.WriteMemory | Effect.WriteGlobal | Effect.WriteTable | Effect.WriteSegment | Effect.Call;

/**
 * Ops whose types are not fixed by the row are resolved by a rule (see
 * `resolveSignature`). The rule is named after the op it serves.
 */
export type SigRule =
  | 'select' | 'call' | 'call_ref' | 'global.get' | 'global.set'
  | 'table.get' | 'table.set' | 'table.grow' | 'table.fill' | 'ref.null'
  | 'br' | 'br_if' | 'br_table' | 'return';

export type OpKind =
  | 'const' // no operands, one result from an immediate
  | 'numeric' // pure scalar/SIMD computation
  | 'unchecked' // arithmetic defined only when its `requires` checks passed
  | 'check' // no result; traps when its condition fails
  | 'load' | 'store' | 'memory' // memory.size/grow/fill/copy/init, data.drop
  | 'table' // table.* and elem.drop, table.check_call
  | 'ref' | 'global' | 'call' | 'select' | 'terminator';

export interface MemAccess {
  /** Bytes read or written in memory. */
  readonly bytes: number;
  /** Sign-extending narrow load (i32.load8_s, v128.load8x8_s). */
  readonly signed: boolean;
  /** Type of the value loaded/stored (the result of a load, the stored operand of a store). */
  readonly type: Type;
}

export interface OpInfo {
  readonly code: Opcode;
  readonly name: OpName;
  readonly kind: OpKind;
  /** Operand types, or null when `rule` decides them (variadic or module-dependent). */
  readonly params: readonly ParamType[] | null;
  /** Result types, or null when `rule` decides them. */
  readonly results: readonly Type[] | null;
  readonly rule: SigRule | null;
  /** Results depend on operands or the module, so the text format annotates them (`v3: i32 = call …`). */
  readonly explicitResults: boolean;
  readonly imms: readonly ImmSpec[];
  readonly effects: number;
  /** Trap codes this op may raise; empty for ops that never trap. */
  readonly traps: readonly TrapCode[];
  readonly terminator: boolean;
  /** Operands may be swapped (GVN canonicalises). */
  readonly commutative: boolean;
  /** For loads/stores (incl. SIMD lane forms). */
  readonly access: MemAccess | null;
  /** For ops with a lane immediate: the number of lanes. */
  readonly lanes: number;
  /** Checks that must execute before this op with the same operands (kind 'unchecked'). */
  readonly requires: readonly OpName[];
  /** May be executed speculatively/hoisted: pure, no trap, no precondition. */
  readonly speculatable: boolean;
}

// ---------------------------------------------------------------------------------
// Building the table.

const rows: OpInfo[] = [];
const byName = new Map<string, Opcode>();

interface RowSpec {
  kind: OpKind;
  params?: readonly ParamType[] | null;
  results?: readonly Type[] | null;
  rule?: SigRule;
  explicitResults?: boolean;
  imms?: readonly ImmSpec[];
  effects?: number;
  traps?: readonly TrapCode[];
  terminator?: boolean;
  commutative?: boolean;
  access?: MemAccess;
  lanes?: number;
  requires?: readonly OpName[];
}

function row(name: OpName, s: RowSpec): void {
  if (byName.has(name)) throw new Error(`duplicate IR op ${name}`);
  const traps = s.traps ?? [];
  const effects = s.effects ?? 0;
  const requires = s.requires ?? [];
  const info: OpInfo = {
    code: rows.length,
    name,
    kind: s.kind,
    params: s.params === undefined ? [] : s.params,
    results: s.results === undefined ? [] : s.results,
    rule: s.rule ?? null,
    explicitResults: s.explicitResults ?? false,
    imms: s.imms ?? [],
    effects,
    traps,
    terminator: s.terminator ?? false,
    commutative: s.commutative ?? false,
    access: s.access ?? null,
    lanes: s.lanes ?? 0,
    requires,
    speculatable: effects === 0 && traps.length === 0 && requires.length === 0 && !(s.terminator ?? false),
  };
  rows.push(info);
  byName.set(name, info.code);
}

const imm = (key: string, kind: ImmKind, space?: IndexSpace): ImmSpec => ({ key, kind, bare: false, space });
const bare = (key: string, kind: ImmKind): ImmSpec => ({ key, kind, bare: true });
const MEMARG: readonly ImmSpec[] = [imm('mem', 'index', 'mem'), imm('offset', 'offset'), imm('align', 'align')];
const OOB_MEM = [TrapCode.OutOfBoundsMemoryAccess];
const OOB_TABLE = [TrapCode.OutOfBoundsTableAccess];

// Constants.
row('i32.const', { kind: 'const', results: ['i32'], imms: [bare('value', 'i32')] });
row('i64.const', { kind: 'const', results: ['i64'], imms: [bare('value', 'i64')] });
row('f32.const', { kind: 'const', results: ['f32'], imms: [bare('value', 'f32')] });
row('f64.const', { kind: 'const', results: ['f64'], imms: [bare('value', 'f64')] });
row('v128.const', { kind: 'const', results: ['v128'], imms: [bare('value', 'v128')] });

// Scalar numeric ops.
for (const t of ['i32', 'i64'] as const) {
  row(`${t}.eqz`, { kind: 'numeric', params: [t], results: ['i32'] });
  for (const n of INT_UNARY) row(`${t}.${n}`, { kind: 'numeric', params: [t], results: [t] });
  for (const n of INT_BINARY) row(`${t}.${n}`, { kind: 'numeric', params: [t, t], results: [t], commutative: INT_COMMUTATIVE.has(n) });
  for (const n of INT_COMPARE) row(`${t}.${n}`, { kind: 'numeric', params: [t, t], results: ['i32'], commutative: INT_COMMUTATIVE.has(n) });
  row(`${t}.check_nonzero`, { kind: 'check', params: [t], traps: [TrapCode.IntegerDivideByZero] });
  row(`${t}.check_div_s`, { kind: 'check', params: [t, t], traps: [TrapCode.IntegerOverflow] });
  for (const n of INT_DIVREM) {
    const requires: OpName[] = n === 'div_s' ? [`${t}.check_nonzero`, `${t}.check_div_s`] : [`${t}.check_nonzero`];
    row(`${t}.${n}`, { kind: 'unchecked', params: [t, t], results: [t], requires });
  }
}
for (const t of ['f32', 'f64'] as const) {
  for (const n of FLOAT_UNARY) row(`${t}.${n}`, { kind: 'numeric', params: [t], results: [t] });
  for (const n of FLOAT_BINARY) row(`${t}.${n}`, { kind: 'numeric', params: [t, t], results: [t] });
  for (const n of FLOAT_COMPARE) row(`${t}.${n}`, { kind: 'numeric', params: [t, t], results: ['i32'], commutative: n === 'eq' || n === 'ne' });
}
for (const [name, from, to] of CONVERSIONS) row(name, { kind: 'numeric', params: [from], results: [to] });
for (const [name, from, to] of TRAPPING_TRUNCS) {
  const check = name.replace('.trunc_', '.check_trunc_') as CheckName;
  row(check, { kind: 'check', params: [from], traps: [TrapCode.InvalidConversionToInteger, TrapCode.IntegerOverflow] });
  row(name, { kind: 'unchecked', params: [from], results: [to], requires: [check] });
}

// Memory.
for (const [name, type, bytes, signed] of SCALAR_LOADS) {
  row(name, { kind: 'load', params: ['i32'], results: [type], imms: MEMARG, effects: Effect.ReadMemory, traps: OOB_MEM, access: { bytes, signed, type } });
}
for (const [name, type, bytes] of SCALAR_STORES) {
  row(name, { kind: 'store', params: ['i32', type], imms: MEMARG, effects: Effect.WriteMemory, traps: OOB_MEM, access: { bytes, signed: false, type } });
}
for (const w of LANE_WIDTHS) {
  const bytes = Number(w) / 8;
  const lanes = 16 / bytes;
  const imms = [...MEMARG, imm('lane', 'lane')];
  row(`v128.load${w}_lane`, { kind: 'load', params: ['i32', 'v128'], results: ['v128'], imms, effects: Effect.ReadMemory, traps: OOB_MEM, access: { bytes, signed: false, type: 'v128' }, lanes });
  row(`v128.store${w}_lane`, { kind: 'store', params: ['i32', 'v128'], imms, effects: Effect.WriteMemory, traps: OOB_MEM, access: { bytes, signed: false, type: 'v128' }, lanes });
}
const MEM = imm('mem', 'index', 'mem');
row('memory.size', { kind: 'memory', results: ['i32'], imms: [MEM], effects: Effect.ReadMemory });
row('memory.grow', { kind: 'memory', params: ['i32'], results: ['i32'], imms: [MEM], effects: Effect.ReadMemory | Effect.WriteMemory });
row('memory.fill', { kind: 'memory', params: ['i32', 'i32', 'i32'], imms: [MEM], effects: Effect.ReadMemory | Effect.WriteMemory, traps: OOB_MEM });
row('memory.copy', { kind: 'memory', params: ['i32', 'i32', 'i32'], imms: [imm('dst', 'index', 'mem'), imm('src', 'index', 'mem')], effects: Effect.ReadMemory | Effect.WriteMemory, traps: OOB_MEM });
row('memory.init', { kind: 'memory', params: ['i32', 'i32', 'i32'], imms: [imm('data', 'index', 'data'), MEM], effects: Effect.ReadMemory | Effect.WriteMemory | Effect.ReadSegment, traps: OOB_MEM });
row('data.drop', { kind: 'memory', imms: [imm('data', 'index', 'data')], effects: Effect.WriteSegment });
/**
 * --bounds explicit: trap `out of bounds memory access` unless zext(index) + end <= the
 * memory's current byte size (end = the access's static offset + its width). Inserted
 * before each access by passes/check-elim.ts, which then deletes the ones an earlier
 * check implies (memories never shrink, so a passed check stays passed). Reads the
 * memory's size, hence ReadMemory.
 */
row('memory.check_bounds', { kind: 'check', params: ['i32'], imms: [MEM, imm('end', 'offset')], effects: Effect.ReadMemory, traps: OOB_MEM });

// SIMD (memory forms are above).
row('i8x16.shuffle', { kind: 'numeric', params: ['v128', 'v128'], results: ['v128'], imms: [imm('lanes', 'shuffle')] });
row('v128.bitselect', { kind: 'numeric', params: ['v128', 'v128', 'v128'], results: ['v128'] });
for (const n of SIMD_UNARY) row(n, { kind: 'numeric', params: ['v128'], results: ['v128'] });
for (const n of SIMD_BINARY) row(n, { kind: 'numeric', params: ['v128', 'v128'], results: ['v128'] });
for (const n of SIMD_TESTS) row(n, { kind: 'numeric', params: ['v128'], results: ['i32'] });
for (const n of SIMD_SHIFTS) row(n, { kind: 'numeric', params: ['v128', 'i32'], results: ['v128'] });
for (const [shape, scalar, lanes, signedExtract] of SHAPES) {
  const cmps = shape === 'i64x2' ? SIMD_I64_COMPARE : shape[0] === 'f' ? SIMD_FLOAT_COMPARE : SIMD_INT_COMPARE;
  for (const c of cmps) row(`${shape}.${c}` as SimdCompareName, { kind: 'numeric', params: ['v128', 'v128'], results: ['v128'] });
  row(`${shape}.splat`, { kind: 'numeric', params: [scalar], results: ['v128'] });
  const laneImm = [imm('lane', 'lane')];
  if (signedExtract) {
    for (const sx of ['s', 'u'] as const) {
      row(`${shape as 'i8x16' | 'i16x8'}.extract_lane_${sx}`, { kind: 'numeric', params: ['v128'], results: ['i32'], imms: laneImm, lanes });
    }
  } else {
    row(`${shape as 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2'}.extract_lane`, { kind: 'numeric', params: ['v128'], results: [scalar], imms: laneImm, lanes });
  }
  row(`${shape}.replace_lane`, { kind: 'numeric', params: ['v128', scalar], results: ['v128'], imms: laneImm, lanes });
}

// Select, references, globals.
row('select', { kind: 'select', params: ['any', 'any', 'i32'], results: null, rule: 'select', explicitResults: true });
row('ref.null', { kind: 'ref', results: null, rule: 'ref.null', imms: [bare('type', 'reftype')] });
row('ref.is_null', { kind: 'ref', params: ['ref'], results: ['i32'] });
row('ref.func', { kind: 'ref', results: ['funcref'], imms: [imm('func', 'index', 'func')] });
row('global.get', { kind: 'global', results: null, rule: 'global.get', explicitResults: true, imms: [imm('global', 'index', 'global')], effects: Effect.ReadGlobal });
row('global.set', { kind: 'global', params: ['any'], rule: 'global.set', imms: [imm('global', 'index', 'global')], effects: Effect.WriteGlobal });

// Tables.
const TABLE = imm('table', 'index', 'table');
row('table.get', { kind: 'table', params: ['i32'], results: null, rule: 'table.get', explicitResults: true, imms: [TABLE], effects: Effect.ReadTable, traps: OOB_TABLE });
row('table.set', { kind: 'table', params: ['i32', 'ref'], rule: 'table.set', imms: [TABLE], effects: Effect.WriteTable, traps: OOB_TABLE });
row('table.size', { kind: 'table', results: ['i32'], imms: [TABLE], effects: Effect.ReadTable });
row('table.grow', { kind: 'table', params: ['ref', 'i32'], results: ['i32'], rule: 'table.grow', imms: [TABLE], effects: Effect.ReadTable | Effect.WriteTable });
row('table.fill', { kind: 'table', params: ['i32', 'ref', 'i32'], rule: 'table.fill', imms: [TABLE], effects: Effect.ReadTable | Effect.WriteTable, traps: OOB_TABLE });
row('table.copy', { kind: 'table', params: ['i32', 'i32', 'i32'], imms: [imm('dst', 'index', 'table'), imm('src', 'index', 'table')], effects: Effect.ReadTable | Effect.WriteTable, traps: OOB_TABLE });
row('table.init', { kind: 'table', params: ['i32', 'i32', 'i32'], imms: [imm('elem', 'index', 'elem'), TABLE], effects: Effect.ReadTable | Effect.WriteTable | Effect.ReadSegment, traps: OOB_TABLE });
row('elem.drop', { kind: 'table', imms: [imm('elem', 'index', 'elem')], effects: Effect.WriteSegment });
/**
 * call_indirect, part 1: look up entry `index` of table `table` and check it is a
 * non-null function of type `type`. Traps `undefined element` (index >= table size),
 * `uninitialized element` (null entry), `indirect call type mismatch`. The resulting
 * funcref is known to have type `type`.
 */
row('table.check_call', {
  kind: 'table', params: ['i32'], results: ['funcref'],
  imms: [TABLE, imm('type', 'index', 'type')], effects: Effect.ReadTable,
  traps: [TrapCode.UndefinedElement, TrapCode.UninitializedElement, TrapCode.IndirectCallTypeMismatch],
});

// Calls. Any call may trap with any code (the callee may), including stack exhaustion.
row('call', { kind: 'call', params: null, results: null, rule: 'call', explicitResults: true, imms: [imm('func', 'index', 'func')], effects: Effect.Call, traps: ALL_TRAPS });
/** call_indirect, part 2: operands are (callee funcref from table.check_call, ...args of `type`). */
row('call_ref', { kind: 'call', params: null, results: null, rule: 'call_ref', explicitResults: true, imms: [imm('type', 'index', 'type')], effects: Effect.Call, traps: ALL_TRAPS });

// Terminators. Branch arguments are in InstData.targets.
row('br', { kind: 'terminator', terminator: true, rule: 'br' });
row('br_if', { kind: 'terminator', terminator: true, params: ['i32'], rule: 'br_if' });
row('br_table', { kind: 'terminator', terminator: true, params: ['i32'], rule: 'br_table' });
row('return', { kind: 'terminator', terminator: true, params: null, rule: 'return' });
row('trap', { kind: 'terminator', terminator: true, imms: [bare('code', 'trap')], traps: ALL_TRAPS });

// ---------------------------------------------------------------------------------
// Public lookups.

/** Every IR op, indexed by opcode. */
export const OPS: readonly OpInfo[] = rows;

/** IS_TERMINATOR[op] is 1 for br, br_if, br_table, return, trap (a fast path for hot loops). */
export const IS_TERMINATOR: Uint8Array = Uint8Array.from(rows, (r) => (r.terminator ? 1 : 0));

/** Opcode of a known op name (a typo is a type error). */
export function opcode(name: OpName): Opcode {
  const code = byName.get(name);
  if (code === undefined) throw new Error(`no IR op named ${name}`);
  return code;
}

/** Opcode for a name read from text, or undefined. */
export function lookupOp(name: string): Opcode | undefined {
  return byName.get(name);
}

export function opInfo(op: Opcode): OpInfo {
  const info = rows[op];
  if (info === undefined) throw new Error(`bad opcode ${op}`);
  return info;
}

/** Opcodes the passes and builders refer to directly. */
export const Op = {
  i32_const: opcode('i32.const'),
  i64_const: opcode('i64.const'),
  f32_const: opcode('f32.const'),
  f64_const: opcode('f64.const'),
  v128_const: opcode('v128.const'),
  select: opcode('select'),
  call: opcode('call'),
  call_ref: opcode('call_ref'),
  br: opcode('br'),
  br_if: opcode('br_if'),
  br_table: opcode('br_table'),
  return: opcode('return'),
  trap: opcode('trap'),
} as const;

/** The constant op producing a value of type `t` (reference types have none; use ref.null/ref.func). */
export function constOpFor(t: Type): Opcode | undefined {
  switch (t) {
    case 'i32': return Op.i32_const;
    case 'i64': return Op.i64_const;
    case 'f32': return Op.f32_const;
    case 'f64': return Op.f64_const;
    case 'v128': return Op.v128_const;
    default: return undefined;
  }
}

/** Pure: no effects, cannot trap, not a terminator. Unused pure ops may be deleted; equal ones merged. */
export function isPure(info: OpInfo): boolean {
  return info.effects === 0 && info.traps.length === 0 && !info.terminator;
}

/** Has an effect beyond producing its results (writes state, calls, traps, or ends the block). */
export function hasSideEffect(info: OpInfo): boolean {
  return (info.effects & WRITES) !== 0 || info.traps.length > 0 || info.terminator;
}

export function mayTrap(info: OpInfo): boolean {
  return info.traps.length > 0;
}

// ---------------------------------------------------------------------------------
// Signatures of polymorphic ops.

/** What the rules need to know about the enclosing module and function. */
export interface TypeEnv {
  /** Type of function `index` in the Wasm function index space (imports first). */
  funcType(index: number): FuncType | undefined;
  /** Entry `index` of the type section. */
  typeAt(index: number): FuncType | undefined;
  global(index: number): { type: Type; mutable: boolean } | undefined;
  tableType(index: number): RefType | undefined;
}

export interface ResolvedSig {
  /** Types of `args` (not branch arguments). */
  readonly params: readonly ParamType[];
  readonly results: readonly Type[];
}

/**
 * Operand and result types of one instance of `op` whose operands have `argTypes`.
 * For module-dependent ops without an env, returns undefined (the caller then trusts
 * the annotated result types).
 * `funcResults` is the enclosing function's results (for `return`).
 * Returns a string on a malformed instance (bad immediate index).
 */
export function resolveSignature(
  op: Opcode,
  imms: readonly Imm[],
  argTypes: readonly Type[],
  env: TypeEnv | undefined,
  funcResults: readonly Type[],
): ResolvedSig | string | undefined {
  const info = opInfo(op);
  if (info.rule === null) return { params: info.params ?? [], results: info.results ?? [] };
  switch (info.rule) {
    case 'select': {
      const t = argTypes[0];
      if (t === undefined) return 'select needs 3 operands';
      return { params: [t, t, 'i32'], results: [t] };
    }
    case 'br':
    case 'br_if':
    case 'br_table':
      return { params: info.params ?? [], results: [] };
    case 'return':
      return { params: funcResults, results: [] };
    case 'ref.null':
      return { params: [], results: [imms[0] as RefType] };
    case 'call': {
      if (!env) return undefined;
      const ft = env.funcType(imms[0] as number);
      if (!ft) return `unknown function ${imms[0]}`;
      return { params: ft.params, results: ft.results };
    }
    case 'call_ref': {
      if (!env) return undefined;
      const ft = env.typeAt(imms[0] as number);
      if (!ft) return `unknown type ${imms[0]}`;
      return { params: ['funcref', ...ft.params], results: ft.results };
    }
    case 'global.get':
    case 'global.set': {
      if (!env) return undefined;
      const g = env.global(imms[0] as number);
      if (!g) return `unknown global ${imms[0]}`;
      if (info.rule === 'global.set' && !g.mutable) return `global ${imms[0]} is immutable`;
      return info.rule === 'global.get' ? { params: [], results: [g.type] } : { params: [g.type], results: [] };
    }
    case 'table.get':
    case 'table.set':
    case 'table.grow':
    case 'table.fill': {
      if (!env) return undefined;
      const t = env.tableType(imms[0] as number);
      if (!t) return `unknown table ${imms[0]}`;
      switch (info.rule) {
        case 'table.get': return { params: ['i32'], results: [t] };
        case 'table.set': return { params: ['i32', t], results: [] };
        case 'table.grow': return { params: [t, 'i32'], results: ['i32'] };
        default: return { params: ['i32', t, 'i32'], results: [] };
      }
    }
  }
  return undefined;
}

/** Does a value of type `t` fit operand pattern `p`? */
export function typeMatches(p: ParamType, t: Type): boolean {
  if (p === 'any') return true;
  if (p === 'ref') return t === 'funcref' || t === 'externref';
  return p === t;
}
