/**
 * Building functions. The translator and the tests use this instead of poking at
 * Func's arrays:
 *
 *   const b = new FuncBuilder('add1', { params: ['i32'], results: ['i32'] });
 *   const [x] = b.params;
 *   const one = b.i32(1);
 *   const y = b.op('i32.add', [x, one]);
 *   const exit = b.block(['i32']);
 *   b.br(exit, [y]);
 *   b.switchTo(exit);
 *   b.ret([b.blockParams(exit)[0]]);
 *   const f = b.finish();
 *
 * Result types come from the op table; ops whose results depend on the module (call,
 * global.get, table.get, call_ref) need a TypeEnv or explicit result types.
 * Misuse (appending after a terminator, unknown result types) throws: it is a bug in
 * the caller, not an input error. Run the verifier for everything else.
 */
import { Func, type Block, type BlockCall, type Inst, type Value } from './func.js';
import { opcode, opInfo, resolveSignature, type OpName, type TypeEnv } from './opcodes.js';
import type { TrapCode } from './traps.js';
import { f32Bits, f64Bits, type FuncType, type Imm, type RefType, type Type } from './types.js';

export { f32Bits, f32FromBits, f64Bits, f64FromBits } from './types.js';

export interface MemArg {
  /** Static offset (u64). Default 0. */
  offset?: bigint | number;
  /** Memory index. Default 0. */
  mem?: number;
  /** log2 of the alignment in bytes. Default: the natural alignment of the access. */
  align?: number;
}

export class FuncBuilder {
  readonly func: Func;
  readonly env: TypeEnv | undefined;
  private cur: Block;

  /** Creates the function and its entry block (whose params are the function's params). */
  constructor(name: string, sig: FuncType, env?: TypeEnv) {
    this.func = new Func(name, sig);
    this.env = env;
    this.cur = this.func.createBlock(sig.params);
  }

  get entry(): Block {
    return this.func.entry;
  }

  /** The function's parameters (the entry block's params). */
  get params(): Value[] {
    return [...this.func.block(this.func.entry).params];
  }

  /** The block instructions are appended to. */
  get current(): Block {
    return this.cur;
  }

  /** A new block (appended to the layout) with parameters of the given types. */
  block(paramTypes: readonly Type[] = []): Block {
    return this.func.createBlock(paramTypes);
  }

  blockParams(b: Block): Value[] {
    return [...this.func.block(b).params];
  }

  switchTo(b: Block): void {
    this.cur = b;
  }

  /** Has the current block got its terminator? */
  isTerminated(b: Block = this.cur): boolean {
    return this.func.terminator(b) !== undefined;
  }

  /** Result types of `name` applied to `args`, from the table (and the env for module-dependent ops). */
  resultTypes(name: OpName, args: readonly Value[], imms: readonly Imm[]): Type[] | undefined {
    const op = opcode(name);
    const sig = resolveSignature(op, imms, args.map((a) => this.func.valueType(a)), this.env, this.func.results);
    if (typeof sig === 'string') throw new Error(`${name}: ${sig}`);
    return sig === undefined ? undefined : [...sig.results];
  }

  /** Append any op; returns the instruction. `resultTypes` is needed only when the table cannot tell. */
  inst(name: OpName, args: readonly Value[], imms: readonly Imm[] = [], resultTypes?: readonly Type[], targets: readonly BlockCall[] = []): Inst {
    if (this.isTerminated()) throw new Error(`block${this.cur} is already terminated (appending ${name})`);
    const types = resultTypes ?? this.resultTypes(name, args, imms);
    if (types === undefined) throw new Error(`${name}: result types needed (no module env)`);
    return this.func.addInst(this.cur, opcode(name), args, imms, types, targets);
  }

  /** Append an op with exactly one result and return that result. */
  op(name: OpName, args: readonly Value[], imms: readonly Imm[] = [], resultType?: Type): Value {
    const i = this.inst(name, args, imms, resultType === undefined ? undefined : [resultType]);
    return this.func.result(i);
  }

  /**
   * Append a Wasm-level numeric op: for div/rem and trapping truncations, first the
   * checks the table lists in `requires` (with the same operands), then the op.
   * Returns its result (undefined for ops without one).
   */
  wasm(name: OpName, args: readonly Value[], imms: readonly Imm[] = []): Value | undefined {
    for (const check of opInfo(opcode(name)).requires) {
      // check_nonzero looks at the divisor only; the other checks take all operands.
      const checkArgs = check.endsWith('check_nonzero') ? [args[args.length - 1]!] : args;
      this.inst(check, checkArgs);
    }
    const i = this.inst(name, args, imms);
    return this.func.inst(i).results[0];
  }

  // --- constants ----------------------------------------------------------------

  i32(value: number): Value {
    return this.op('i32.const', [], [value | 0]);
  }
  i64(value: bigint | number): Value {
    return this.op('i64.const', [], [BigInt.asIntN(64, BigInt(value))]);
  }
  /** f32 constant from a JS number (rounded to f32). */
  f32(value: number): Value {
    return this.op('f32.const', [], [f32Bits(value)]);
  }
  f32Bits(bits: number): Value {
    return this.op('f32.const', [], [bits >>> 0]);
  }
  f64(value: number): Value {
    return this.op('f64.const', [], [f64Bits(value)]);
  }
  f64Bits(bits: bigint): Value {
    return this.op('f64.const', [], [BigInt.asUintN(64, bits)]);
  }
  v128(bytes: Uint8Array): Value {
    if (bytes.length !== 16) throw new Error('v128 constant needs 16 bytes');
    return this.op('v128.const', [], [bytes.slice()]);
  }
  refNull(type: RefType): Value {
    return this.op('ref.null', [], [type]);
  }

  // --- memory, globals, tables, calls ------------------------------------------------

  private memImms(name: OpName, m: MemArg): Imm[] {
    const access = opInfo(opcode(name)).access;
    if (!access) throw new Error(`${name} is not a memory access`);
    return [m.mem ?? 0, BigInt(m.offset ?? 0), m.align ?? Math.log2(access.bytes)];
  }

  /** A load (`i32.load8_s`, `v128.load32_zero`, …) from `addr` + offset. */
  load(name: OpName, addr: Value, m: MemArg = {}): Value {
    return this.op(name, [addr], this.memImms(name, m));
  }

  store(name: OpName, addr: Value, value: Value, m: MemArg = {}): void {
    this.inst(name, [addr, value], this.memImms(name, m));
  }

  /** `v128.loadN_lane` / `v128.storeN_lane`. */
  loadLane(name: OpName, addr: Value, vec: Value, lane: number, m: MemArg = {}): Value {
    return this.op(name, [addr, vec], [...this.memImms(name, m), lane]);
  }
  storeLane(name: OpName, addr: Value, vec: Value, lane: number, m: MemArg = {}): void {
    this.inst(name, [addr, vec], [...this.memImms(name, m), lane]);
  }

  globalGet(index: number, type?: Type): Value {
    return this.op('global.get', [], [index], type);
  }
  globalSet(index: number, value: Value): void {
    this.inst('global.set', [value], [index]);
  }

  select(ifNonZero: Value, ifZero: Value, cond: Value): Value {
    return this.op('select', [ifNonZero, ifZero, cond]);
  }

  /** Direct call (function index space: imports first). Returns the results. */
  call(func: number, args: readonly Value[], resultTypes?: readonly Type[]): Value[] {
    return [...this.func.inst(this.inst('call', args, [func], resultTypes)).results];
  }

  /**
   * Wasm `call_indirect type table`: `table.check_call` (bounds, null and signature
   * checks) then `call_ref` through the checked reference.
   */
  callIndirect(typeIndex: number, table: number, index: Value, args: readonly Value[], resultTypes?: readonly Type[]): Value[] {
    const callee = this.op('table.check_call', [index], [table, typeIndex]);
    return [...this.func.inst(this.inst('call_ref', [callee, ...args], [typeIndex], resultTypes)).results];
  }

  // --- terminators ----------------------------------------------------------------

  br(target: Block, args: readonly Value[] = []): void {
    this.inst('br', [], [], [], [{ block: target, args: [...args] }]);
  }

  /** Branch to `ifNonZero` when cond ≠ 0, else to `ifZero`. */
  brIf(cond: Value, ifNonZero: Block, nonZeroArgs: readonly Value[], ifZero: Block, zeroArgs: readonly Value[] = []): void {
    this.inst('br_if', [cond], [], [], [
      { block: ifNonZero, args: [...nonZeroArgs] },
      { block: ifZero, args: [...zeroArgs] },
    ]);
  }

  /** `entries[index]`, or `deflt` when index ≥ entries.length (unsigned). */
  brTable(index: Value, entries: readonly BlockCall[], deflt: BlockCall): void {
    this.inst('br_table', [index], [], [], [...entries, deflt]);
  }

  ret(values: readonly Value[] = []): void {
    this.inst('return', values, [], []);
  }

  trap(code: TrapCode): void {
    this.inst('trap', [], [code], []);
  }

  /** The finished function (the builder must not be used afterwards). */
  finish(): Func {
    return this.func;
  }
}
