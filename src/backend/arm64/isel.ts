/**
 * AArch64 instruction selection: one IR function → MFunc<A64Inst> on virtual registers.
 *
 *   ir.Func ─ selectFunction ─▶ MFunc (vregs) ─ regalloc ─▶ MFunc (pregs) ─ emit.ts ─▶ bytes
 *
 * Conventions inside selected code (the invariants every lowering keeps):
 *   - an i32 value lives in a GPR with its upper 32 bits ZERO: every i32 operation is a
 *     w-register operation (which zero-extends), and incoming i32 arguments and call
 *     results — whose upper halves AAPCS64 leaves unspecified — are re-zero-extended with
 *     `mov w, w`. So an i32 can be passed where a runtime helper wants a uint64_t.
 *   - references are 64-bit pointers (null = 0); a funcref points at a `kiln_funcref`.
 *   - vmctx arrives in x0 and is copied to an ordinary vreg; memory 0's base is loaded
 *     once at entry (bases never move).
 *   - constants are rematerialized at each use (movconst / fconst pseudos), and folded
 *     into add/sub, logical, compare and shift immediates where they fit.
 *
 * Traps: an unconditional `trap` is `udf #code` (a trap site). Conditional traps branch
 * (`bif`) to an out-of-line stub per trap code at the end of the function (`udf #code`,
 * a trap site): `Selected.trapStubs[k]` is the code of stub k, and the `label` of a `bif`
 * is that index k until emit.ts maps it to a code-buffer label. The runtime's SIGILL
 * handler finds the code through the trap table. Memory accesses carry their trap code
 * (guard pages: SIGSEGV at the access).
 *
 * Wasm semantics AArch64 gives for free (and the places that rely on it):
 *   - sdiv/udiv never trap (x/0 = 0, INT_MIN/-1 = INT_MIN): the IR's check ops supply the
 *     traps, and rem_s = a - (a/b)*b is 0 for INT_MIN % -1 without a special case;
 *   - lslv/lsrv/asrv/rorv mask the count by the width, as wasm does;
 *   - fmin/fmax propagate NaN and order -0 < +0; frintn rounds ties to even;
 *   - fcvtzs/fcvtzu saturate and map NaN to 0 — exactly the trunc_sat ops; the trapping
 *     truncations get explicit range checks (check_trunc_*) before them;
 *   - scvtf/ucvtf convert 64-bit integers with one correctly rounded step.
 *
 * Control flow: each IR block becomes an MBlock (same order, entry first). A branch edge
 * that carries block arguments gets an edge block of its own holding the parallel copy
 * (to fresh temporaries, then to the parameters). Compares whose only use is the br_if or
 * select right after them in the same block are fused (cmp/fcmp + b.cond / csel).
 *
 * --bounds explicit adds a check before each access: zext(idx) + offset + size > bound →
 * trap (bound reloaded from vmctx / the memory object each time: memory.grow and calls
 * change it).
 *
 * Guard-mode addressing: [membase, wIdx, uxtw] when the static offset is 0; otherwise
 * t = membase + uxtw(idx) and [t, #offset], the encoder materialising offsets beyond the
 * immediate forms in x16. The 8 GiB reservation means the sum never wraps and an
 * out-of-bounds access always faults.
 */

import type { MFunc, Reg } from '../minst.js';
import { FPR, GPR } from '../minst.js';
import type { Func, Value } from '../../ir/func.js';
import type { IrModule } from '../../ir/module.js';
import { opInfo } from '../../ir/opcodes.js';
import { TrapCode } from '../../ir/traps.js';
import type { FuncType, Type } from '../../ir/types.js';
import { f32Bits, f64Bits } from '../../ir/types.js';
import { FUNCREF, MEMORY, TABLE, VMCTX } from '../vmctx.js';
import { A64_ISA, isAddSubImm, invertCond, type A64Inst, type Amode, type BranchTest, type Cond, type Size } from './inst.js';
import { aapcs64Call, INCOMING_ARGS_FROM_FP } from './abi.js';
import { abiType, clsOf, constantOf, foldedDefs, fusedCompares, IS_RUNTIME_HELPER, MBuilder, nameParts, runtimeHelper, SelectError, touchesV128, truncRange, usesMemory0, type Const, type HelperArg } from '../isel-common.js';
import { encodeBitmask } from './imm.js';
import { FP, SP, X0, X1, X2, X3, XZR } from './regs.js';

export { isSimdType, SelectError } from '../isel-common.js';

export const SIMD_UNSUPPORTED = 'SIMD is not yet supported by the AArch64 backend';

export interface Selected {
  mfunc: MFunc<A64Inst>;
  /** Bytes of outgoing stack arguments/results the frame must reserve at [sp]. */
  outgoingBytes: number;
  /** Emit the prologue's stack-limit check (vmctx in x0); off for array-call trampolines. */
  stackCheck: boolean;
  /** Trap code of each out-of-line trap stub; a `bif`'s `label` indexes this list until emit. */
  trapStubs: number[];
}

const INT_CC: Record<string, Cond> = {
  eq: 'eq', ne: 'ne', lt_s: 'lt', lt_u: 'lo', gt_s: 'gt', gt_u: 'hi',
  le_s: 'le', le_u: 'ls', ge_s: 'ge', ge_u: 'hs',
};
/** The condition after swapping the compare's operands. */
const SWAP_CC: Partial<Record<Cond, Cond>> = {
  lt: 'gt', gt: 'lt', lo: 'hi', hi: 'lo', le: 'ge', ge: 'le', ls: 'hs', hs: 'ls',
};
/** After `fcmp a, b`: each wasm float compare is one condition, false when unordered (except ne). */
const FLOAT_CC: Record<string, Cond> = { eq: 'eq', ne: 'ne', lt: 'mi', le: 'ls', gt: 'gt', ge: 'ge' };

/** Builds MBlocks; shared by function and trampoline selection. */
class Builder extends MBuilder<A64Inst> {
  trapStubs: number[] = [];

  constructor() {
    super(A64_ISA);
  }

  imm(size: Size, v: bigint): Reg {
    const r = this.gpr();
    this.emit({ op: 'movconst', size, rd: r, imm: BigInt.asUintN(size, v) });
    return r;
  }

  load64(base: Reg, off: number): Reg {
    const r = this.gpr();
    this.emit({ op: 'ldr', bits: 64, rt: r, am: { k: 'imm', base, off } });
    return r;
  }

  fconstBits(size: Size, bits: bigint): Reg {
    const r = this.fpr();
    this.emit({ op: 'fconst', size, rd: r, bits: BigInt.asUintN(size, bits) });
    return r;
  }

  fconst(size: Size, x: number): Reg {
    return this.fconstBits(size, size === 32 ? BigInt(f32Bits(x) >>> 0) : f64Bits(x));
  }

  /** rd = rn + imm (64-bit), through an add/sub immediate when it fits. */
  addConst(rn: Reg, imm: number): Reg {
    const rd = this.gpr();
    if (imm === 0) this.emit({ op: 'mov', size: 64, rd, rm: rn });
    else if (isAddSubImm(Math.abs(imm))) {
      const a = Math.abs(imm);
      const lsl12 = a >= 4096;
      this.emit({ op: 'alui', fn: imm < 0 ? 'sub' : 'add', size: 64, rd, rn, imm12: lsl12 ? a / 4096 : a, lsl12 });
    } else this.emit({ op: 'alu', fn: 'add', size: 64, rd, rn, rm: this.imm(64, BigInt(imm)) });
    return rd;
  }

  /** Index of the out-of-line trap stub for `code` (one per code per function). */
  stub(code: number): number {
    let k = this.trapStubs.indexOf(code);
    if (k < 0) {
      this.trapStubs.push(code);
      k = this.trapStubs.length - 1;
    }
    return k;
  }

  trapIf(test: BranchTest, code: number): void {
    this.emit({ op: 'bif', test, label: this.stub(code) });
  }

  loadTyped(t: Type, dst: Reg, am: Amode): void {
    switch (t) {
      case 'i32':
        return this.emit({ op: 'ldr', bits: 32, rt: dst, am });
      case 'f32':
        return this.emit({ op: 'fldr', bits: 32, rt: dst, am });
      case 'f64':
        return this.emit({ op: 'fldr', bits: 64, rt: dst, am });
      case 'v128':
        return this.emit({ op: 'fldr', bits: 128, rt: dst, am });
      default:
        return this.emit({ op: 'ldr', bits: 64, rt: dst, am });
    }
  }

  storeTyped(t: Type, src: Reg, am: Amode): void {
    switch (t) {
      case 'i32':
        return this.emit({ op: 'str', bits: 32, rt: src, am });
      case 'f32':
        return this.emit({ op: 'fstr', bits: 32, rt: src, am });
      case 'f64':
        return this.emit({ op: 'fstr', bits: 64, rt: src, am });
      case 'v128':
        return this.emit({ op: 'fstr', bits: 128, rt: src, am });
      default:
        return this.emit({ op: 'str', bits: 64, rt: src, am });
    }
  }

  /**
   * A call in AAPCS64. `args` include vmctx when the callee wants it. Returns the result
   * vregs (i32 results zero-extended: AAPCS64 leaves their upper halves unspecified —
   * except `kilnCallee`, a function kiln compiled, whose i32 results are zero-extended
   * like every i32 in kiln code).
   */
  call(target: { sym: string } | { reg: Reg }, args: { reg: Reg; ty: Type }[], resTypes: readonly Type[], kilnCallee = false): Reg[] {
    const layout = aapcs64Call(args.map((a) => abiType(a.ty)), resTypes.map(abiType));
    const fixed: { reg: Reg; loc: Reg }[] = [];
    args.forEach((a, k) => {
      const loc = layout.params[k]!;
      if (loc.kind === 'reg') fixed.push({ reg: a.reg, loc: loc.reg });
      else this.storeTyped(a.ty, a.reg, { k: 'imm', base: SP, off: loc.offset });
    });
    const rets: { reg: Reg; loc: Reg }[] = [];
    const out: Reg[] = [];
    resTypes.forEach((t, k) => {
      const loc = layout.results[k]!;
      const r = this.vreg(clsOf(t));
      out.push(r);
      if (loc.kind === 'reg') rets.push({ reg: r, loc: loc.reg });
    });
    if ('sym' in target) this.emit({ op: 'bl', sym: target.sym, args: fixed, rets });
    else this.emit({ op: 'blr', rn: target.reg, args: fixed, rets });
    this.outgoing = Math.max(this.outgoing, layout.stackBytes);
    resTypes.forEach((t, k) => {
      const loc = layout.results[k]!;
      if (loc.kind === 'stack') this.loadTyped(t, out[k]!, { k: 'imm', base: SP, off: loc.offset });
      else if (t === 'i32' && !kilnCallee) this.emit({ op: 'mov', size: 32, rd: out[k]!, rm: out[k]! });
    });
    return out;
  }

  finish(name: string, stackCheck: boolean): Selected {
    return {
      mfunc: this.finishBlocks(name),
      outgoingBytes: this.outgoing,
      stackCheck,
      trapStubs: this.trapStubs,
    };
  }
}

export interface SelectOptions {
  /** Symbol of defined function `funcIndex` (direct calls). */
  symbolOf(funcIndex: number): string;
  /**
   * --bounds explicit. The checks themselves are IR ops (`memory.check_bounds`, inserted
   * after the pipeline by passes/check-elim.ts), each lowered to compare + trap; the
   * accesses are addressed as in guard mode and no guard pages are needed.
   */
  explicitBounds?: boolean;
}

export function selectFunction(m: IrModule, funcIndex: number, f: Func, opts: SelectOptions): Selected {
  return new FuncSel(m, f, opts).run();
}

class FuncSel extends Builder {
  private vr: Reg[] = [];
  private mblock: number[] = [];
  /** Compares emitted at their single use (a br_if or select right after them). */
  private deferred = new Set<Value>();
  /**
   * Values computed inside their single user (`foldable`): a shift by a constant as the
   * shifted-register operand of add/sub/and/orr/eor, a multiply as the product of madd/msub.
   */
  private folded = new Set<Value>();
  private vm = 0;
  private memBase0: Reg | undefined;

  constructor(
    private m: IrModule,
    private f: Func,
    private opts: SelectOptions,
  ) {
    super();
  }

  private fail(msg: string): never {
    throw new SelectError(`${this.f.name}: ${msg}`);
  }

  run(): Selected {
    const f = this.f;
    for (const b of f.layout) this.mblock[b] = this.newBlock();
    this.deferred = fusedCompares(f, (n) => this.fusable(n));
    this.folded = foldedDefs(f, (d, u) => this.foldable(d, u));
    this.cur = this.mblock[f.entry]!;
    this.entry();
    for (const b of f.layout) {
      this.cur = this.mblock[b]!;
      for (const i of f.block(b).insts) this.inst(i);
    }
    return this.finish(f.name, true);
  }

  // ── values ──

  private constOf(v: Value): Const | undefined {
    return constantOf(this.f, v);
  }

  /** An integer constant as a bigint (i32 sign-extended), or undefined. */
  private intConst(v: Value): bigint | undefined {
    const c = this.constOf(v);
    if (!c) return undefined;
    if (c.ty === 'i32.const') return BigInt((c.imm as number) | 0);
    if (c.ty === 'i64.const') return BigInt.asIntN(64, c.imm as bigint);
    return undefined;
  }

  private reg(v: Value): Reg {
    const c = this.constOf(v);
    if (c) {
      switch (c.ty) {
        case 'i32.const':
          return this.imm(32, BigInt((c.imm as number) >>> 0));
        case 'i64.const':
          return this.imm(64, c.imm as bigint);
        case 'f32.const':
          return this.fconstBits(32, BigInt((c.imm as number) >>> 0));
        case 'f64.const':
          return this.fconstBits(64, c.imm as bigint);
        case 'ref.null':
          return this.imm(64, 0n);
      }
    }
    if (this.vr[v] === undefined && this.folded.delete(v)) this.inst(this.f.defInst(v)!); // not folded after all: compute it here
    return this.def(v);
  }

  /** Shift kind and amount of a shift-by-constant def `d` that can be a shifted operand. */
  private shiftOperand(d: number): { shift: 'lsl' | 'lsr' | 'asr'; amount: number } | undefined {
    const data = this.f.inst(d);
    const parts = nameParts(opInfo(data.op).name as string);
    const ty = parts[0];
    const op = parts[1];
    const shift = ({ shl: 'lsl', shr_u: 'lsr', shr_s: 'asr' } as const)[op as 'shl'];
    if ((ty !== 'i32' && ty !== 'i64') || shift === undefined) return undefined;
    const k = this.intConst(data.args[1]!);
    if (k === undefined) return undefined;
    const amount = Number(BigInt.asUintN(6, k)) & (ty === 'i32' ? 31 : 63);
    return amount === 0 ? undefined : { shift, amount };
  }

  /** Whether def `d` is computed inside its single user `u` (see `folded`). */
  private foldable(d: number, u: number): boolean {
    const f = this.f;
    const dn = opInfo(f.inst(d).op).name as string;
    const ud = f.inst(u);
    const un = opInfo(ud.op).name as string;
    const v = f.inst(d).results[0]!;
    if (ud.args.length !== 2 || ud.args[0] === ud.args[1] || dn.slice(0, 4) !== un.slice(0, 4)) return false;
    const other = ud.args[0] === v ? ud.args[1]! : ud.args[0]!;
    if (this.constOf(other)) return false; // keep the immediate forms
    const op = un.slice(4);
    if (op === 'sub' && ud.args[1] !== v) return false; // only the second operand is shifted / multiplied
    if (this.shiftOperand(d) !== undefined) return ['add', 'sub', 'and', 'or', 'xor'].includes(op);
    if (dn.endsWith('.mul')) return op === 'add' || op === 'sub';
    return false;
  }

  /**
   * a op b with b folded: a ± (x shift k), a & | ^ (x shift k), a ± x*y (madd/msub).
   * False if b is not folded.
   */
  private foldedOperand(fn: 'add' | 'sub' | 'and' | 'orr' | 'eor', size: Size, a: Value, b: Value, res: Value): boolean {
    if (!this.folded.delete(b)) return false;
    const d = this.f.defInst(b)!;
    const data = this.f.inst(d);
    const sh = this.shiftOperand(d);
    if (sh) {
      this.emit({ op: 'alu', fn, size, rd: this.def(res), rn: this.reg(a), rm: this.reg(data.args[0]!), shift: sh.shift, amount: sh.amount });
      return true;
    }
    this.emit({ op: 'madd', fn: fn === 'sub' ? 'msub' : 'madd', size, rd: this.def(res), rn: this.reg(data.args[0]!), rm: this.reg(data.args[1]!), ra: this.reg(a) });
    return true;
  }

  /** Like reg(), but an integer zero constant is xzr (only for operands where 31 means zr). */
  private regZ(v: Value): Reg {
    const c = this.intConst(v);
    if (c === 0n || this.constOf(v)?.ty === 'ref.null') return XZR;
    return this.reg(v);
  }

  /** The vreg a definition writes. */
  private def(v: Value): Reg {
    let r = this.vr[v];
    if (r === undefined) {
      r = this.vreg(clsOf(this.f.valueType(v)));
      this.vr[v] = r;
    }
    return r;
  }

  // ── entry ──

  private entry(): void {
    const f = this.f;
    const params = f.block(f.entry).params;
    const layout = aapcs64Call(['i64', ...f.params.map(abiType)], f.results.map(abiType));
    this.vm = this.gpr();
    this.emit({ op: 'mov', size: 64, rd: this.vm, rm: X0 });
    params.forEach((p, k) => {
      const loc = layout.params[k + 1]!;
      const t = f.params[k]!;
      const r = this.def(p);
      if (loc.kind === 'reg') {
        if (t === 'i32') this.emit({ op: 'mov', size: 32, rd: r, rm: loc.reg });
        else if (clsOf(t) === FPR) this.emit({ op: 'vmov', rd: r, rn: loc.reg });
        else this.emit({ op: 'mov', size: 64, rd: r, rm: loc.reg });
      } else {
        this.loadTyped(t, r, { k: 'imm', base: FP, off: INCOMING_ARGS_FROM_FP + loc.offset });
      }
    });
    if (usesMemory0(f)) this.memBase0 = this.load64(this.vm, VMCTX.mem0Base);
  }

  private fusable(n: string): boolean {
    const parts = nameParts(n);
    const ty = parts[0];
    const op = parts[1];
    if (ty === 'i32' || ty === 'i64') return op === 'eqz' || op in INT_CC;
    if (ty === 'f32' || ty === 'f64') return op in FLOAT_CC;
    return false;
  }

  /** Sets flags for compare `n` of `args`; returns the condition meaning "true". */
  private compare(n: string, args: Value[]): Cond {
    const parts = nameParts(n);
    const ty = parts[0];
    const op = parts[1];
    if (ty === 'i32' || ty === 'i64') {
      const size: Size = ty === 'i32' ? 32 : 64;
      if (op === 'eqz') {
        this.emit({ op: 'alui', fn: 'subs', size, rd: XZR, rn: this.reg(args[0]!), imm12: 0 });
        return 'eq';
      }
      let cc = INT_CC[op]!;
      let [a, b] = args as [Value, Value];
      if (this.cmpImm(size, b) === undefined && this.cmpImm(size, a) !== undefined) {
        [a, b] = [b, a];
        cc = SWAP_CC[cc] ?? cc;
      }
      const ra = this.reg(a);
      const imm = this.cmpImm(size, b);
      if (imm !== undefined) this.emit({ op: 'alui', fn: imm < 0 ? 'adds' : 'subs', size, rd: XZR, rn: ra, imm12: Math.abs(imm) });
      else this.emit({ op: 'alu', fn: 'subs', size, rd: XZR, rn: ra, rm: this.regZ(b) });
      return cc;
    }
    const size: Size = ty === 'f32' ? 32 : 64;
    const a = this.reg(args[0]!);
    const c = this.constOf(args[1]!);
    if (c && ((c.ty === 'f32.const' && c.imm === 0) || (c.ty === 'f64.const' && c.imm === 0n))) this.emit({ op: 'fcmp', size, rn: a });
    else this.emit({ op: 'fcmp', size, rn: a, rm: this.reg(args[1]!) });
    const cc = FLOAT_CC[op];
    if (!cc) this.fail(`not a compare ${n}`);
    return cc;
  }

  /** An integer constant usable as a cmp/cmn immediate (|v| < 4096). */
  private cmpImm(size: Size, v: Value): number | undefined {
    const c = this.intConst(v);
    if (c === undefined) return undefined;
    const x = size === 32 ? BigInt.asIntN(32, c) : c;
    return x > -4096n && x < 4096n ? Number(x) : undefined;
  }

  /** The branch test for a boolean i32 value being non-zero. */
  private test(v: Value): BranchTest {
    if (this.deferred.has(v)) {
      const d = this.f.inst(this.f.defInst(v)!);
      const n = opInfo(d.op).name;
      const parts = nameParts(n);
      const ty = parts[0];
      const op = parts[1];
      // x == 0 / x != 0 / eqz x: cbz / cbnz, no flags.
      if (ty === 'i32' || ty === 'i64') {
        const size: Size = ty === 'i32' ? 32 : 64;
        if (op === 'eqz') return { k: 'zero', nz: false, size, rt: this.reg(d.args[0]!) };
        if (op === 'eq' || op === 'ne') {
          const [a, b] = d.args as [Value, Value];
          const zero = this.intConst(b) === 0n ? a : this.intConst(a) === 0n ? b : undefined;
          if (zero !== undefined) return { k: 'zero', nz: op === 'ne', size, rt: this.reg(zero) };
        }
      }
      return { k: 'cond', cond: this.compare(n, d.args) };
    }
    return { k: 'zero', nz: true, size: 32, rt: this.reg(v) };
  }

  /** Flags for a boolean i32 value; returns the condition meaning "non-zero". */
  private cond(v: Value): Cond {
    if (this.deferred.has(v)) {
      const d = this.f.inst(this.f.defInst(v)!);
      return this.compare(opInfo(d.op).name, d.args);
    }
    this.emit({ op: 'alui', fn: 'subs', size: 32, rd: XZR, rn: this.reg(v), imm12: 0 });
    return 'ne';
  }

  private cset(dst: Reg, cc: Cond): void {
    this.emit({ op: 'csel', fn: 'csinc', size: 32, rd: dst, rn: XZR, rm: XZR, cond: invertCond(cc) });
  }

  // ── control flow ──

  /** The MBlock an IR edge jumps to: the target itself, or an edge block with the parallel copy. */
  private edge(call: { block: number; args: Value[] }): number {
    const target = this.mblock[call.block]!;
    return call.args.length === 0 ? target : this.edgeBlock(target, () => this.parallelCopy(call));
  }

  /** Block arguments to the target's parameters. */
  private parallelCopy(call: { block: number; args: Value[] }): void {
    const params = this.f.block(call.block).params;
    this.parallelMoves(params.map((p) => clsOf(this.f.valueType(p))), (k) => this.reg(call.args[k]!), (k) => this.def(params[k]!));
  }

  // ── memory ──

  private memBase(mem: number): Reg {
    if (mem === 0 && this.memBase0 !== undefined) return this.memBase0;
    return this.load64(this.memoryObject(this.vm, mem), MEMORY.base);
  }

  private memBound(mem: number): Reg {
    return this.memoryBound(this.vm, mem);
  }

  /** base + zext(index) + offset as an addressing mode (offset < 2^32, never wraps in guard mode). */
  private address(index: Value, offset: bigint, mem: number, bytes: number): Amode {
    const base = this.memBase(mem);
    const c = this.constOf(index);
    if (c && c.ty === 'i32.const') return { k: 'imm', base, off: Number(BigInt((c.imm as number) >>> 0) + offset) };
    const idx = this.reg(index);
    if (offset === 0n) return { k: 'reg', base, index: idx, ext: 'uxtw' };
    const t = this.gpr();
    this.emit({ op: 'alux', fn: 'add', size: 64, rd: t, rn: base, rm: idx, ext: 'uxtw' });
    return { k: 'imm', base: t, off: Number(offset) };
  }

  /** end = zext(index) + offset + bytes (no 64-bit overflow: each is below 2^33); trap if end > bound. */
  private boundsCheck(index: Value, offset: bigint, mem: number, bytes: number): void {
    const bound = this.memBound(mem);
    const extra = offset + BigInt(bytes);
    const c = this.constOf(index);
    let end: Reg;
    if (c && c.ty === 'i32.const') end = this.imm(64, BigInt((c.imm as number) >>> 0) + extra);
    else {
      end = this.gpr();
      this.emit({ op: 'alux', fn: 'add', size: 64, rd: end, rn: this.imm(64, extra), rm: this.reg(index), ext: 'uxtw' });
    }
    this.emit({ op: 'alu', fn: 'subs', size: 64, rd: XZR, rn: end, rm: bound });
    this.trapIf({ k: 'cond', cond: 'hi' }, TrapCode.OutOfBoundsMemoryAccess);
  }

  // ── tables, globals, helpers ──

  private tableObj(table: number): Reg {
    return this.tableObject(this.vm, table);
  }

  private helper(symbol: string, args: { reg: Reg; ty: Type }[], results: Type[] = []): Reg[] {
    return this.call({ sym: symbol }, [{ reg: this.vm, ty: 'i64' }, ...args], results);
  }

  /** A helper argument: an i32 value is passed where the helper takes a 64-bit integer (upper half zero by invariant). */
  private helperArg(a: HelperArg): { reg: Reg; ty: Type } {
    return a.k === 'imm' ? this.k32(a.n) : { reg: this.reg(a.v), ty: 'i64' };
  }

  private k32(n: number): { reg: Reg; ty: Type } {
    return { reg: this.imm(32, BigInt(n)), ty: 'i32' };
  }

  // ── instructions ──

  private inst(i: number): void {
    const f = this.f;
    const d = f.inst(i);
    const info = opInfo(d.op);
    const n = info.name as string;
    const A = d.args;
    const res = d.results[0];
    if (info.kind === 'const') return; // rematerialized at uses
    if (res !== undefined && (this.deferred.has(res) || this.folded.has(res))) return;
    if (touchesV128(f, d)) this.fail(SIMD_UNSUPPORTED);
    const rt = IS_RUNTIME_HELPER[d.op] === 1 ? runtimeHelper(n, d.imms, A) : undefined;
    if (rt) {
      const outs = this.helper(rt.symbol, rt.args.map((a) => this.helperArg(a)), rt.results);
      if (res !== undefined) this.vr[res] = outs[0]!;
      return;
    }

    switch (n) {
      case 'br':
        this.parallelCopy(d.targets[0]!);
        this.emit({ op: 'jump', target: this.mblock[d.targets[0]!.block]! });
        return;
      case 'br_if': {
        const t = this.edge(d.targets[0]!);
        const e = this.edge(d.targets[1]!);
        this.emit({ op: 'brif', test: this.test(A[0]!), taken: t, notTaken: e });
        return;
      }
      case 'br_table': {
        const targets = d.targets.map((c) => this.edge(c));
        const dflt = targets.pop()!;
        if (targets.length === 0) {
          this.emit({ op: 'jump', target: dflt });
          return;
        }
        this.emit({ op: 'jumptable', idx: this.reg(A[0]!), targets, dflt });
        return;
      }
      case 'return':
        return this.ret(A);
      case 'trap':
        this.emit({ op: 'udf', imm: d.imms[0] as number, trap: d.imms[0] as number });
        return;
      case 'select':
        return this.select(A, res!);
      case 'call': {
        const fi = d.imms[0] as number;
        const decl = this.m.funcs[fi]!;
        const ft = this.m.types[decl.typeIndex]!;
        const args = A.map((v, k) => ({ reg: this.reg(v), ty: ft.params[k]! }));
        let outs: Reg[];
        if (decl.import) {
          const { code, vmctx } = this.funcEntry(this.vm, fi);
          outs = this.call({ reg: code }, [{ reg: vmctx, ty: 'i64' }, ...args], ft.results);
        } else {
          outs = this.call({ sym: this.opts.symbolOf(fi) }, [{ reg: this.vm, ty: 'i64' }, ...args], ft.results, true);
        }
        d.results.forEach((r, k) => (this.vr[r] = outs[k]!));
        return;
      }
      case 'call_ref': {
        const ft = this.m.types[d.imms[0] as number]!;
        const fr = this.reg(A[0]!);
        const { code, vmctx } = this.funcrefCallee(fr);
        const args = A.slice(1).map((v, k) => ({ reg: this.reg(v), ty: ft.params[k]! }));
        const outs = this.call({ reg: code }, [{ reg: vmctx, ty: 'i64' }, ...args], ft.results);
        d.results.forEach((r, k) => (this.vr[r] = outs[k]!));
        return;
      }
      case 'table.check_call': {
        const [table, type] = d.imms as [number, number];
        const idx = this.reg(A[0]!);
        const t = this.tableObj(table);
        const size = this.load64(t, TABLE.size);
        this.emit({ op: 'alu', fn: 'subs', size: 64, rd: XZR, rn: idx, rm: size });
        this.trapIf({ k: 'cond', cond: 'hs' }, TrapCode.UndefinedElement);
        const elems = this.load64(t, TABLE.elems);
        const r = this.def(res!);
        this.emit({ op: 'ldr', bits: 64, rt: r, am: { k: 'reg', base: elems, index: idx, ext: 'lsl', scaled: true } });
        this.trapIf({ k: 'zero', nz: false, size: 64, rt: r }, TrapCode.UninitializedElement);
        const sig = this.gpr();
        this.emit({ op: 'ldr', bits: 32, rt: sig, am: { k: 'imm', base: r, off: FUNCREF.sigId } });
        const ids = this.load64(this.vm, VMCTX.sigIds);
        const want = this.gpr();
        this.emit({ op: 'ldr', bits: 32, rt: want, am: { k: 'imm', base: ids, off: 4 * type } });
        this.emit({ op: 'alu', fn: 'subs', size: 32, rd: XZR, rn: sig, rm: want });
        this.trapIf({ k: 'cond', cond: 'ne' }, TrapCode.IndirectCallTypeMismatch);
        return;
      }
      case 'global.get': {
        const cell = this.globalCell(this.vm, d.imms[0] as number);
        this.loadTyped(f.valueType(res!), this.def(res!), { k: 'imm', base: cell, off: 0 });
        return;
      }
      case 'global.set': {
        const cell = this.globalCell(this.vm, d.imms[0] as number);
        const t = f.valueType(A[0]!);
        this.storeTyped(t, clsOf(t) === GPR ? this.regZ(A[0]!) : this.reg(A[0]!), { k: 'imm', base: cell, off: 0 });
        return;
      }
      case 'ref.null':
        return;
      case 'ref.is_null': {
        this.emit({ op: 'alui', fn: 'subs', size: 64, rd: XZR, rn: this.reg(A[0]!), imm12: 0 });
        this.cset(this.def(res!), 'eq');
        return;
      }
      case 'ref.func': {
        const funcs = this.load64(this.vm, VMCTX.funcs);
        this.vr[res!] = this.addConst(funcs, (d.imms[0] as number) * FUNCREF.size);
        return;
      }
      case 'memory.check_bounds': // --bounds explicit: the IR carries a check before each access
        this.boundsCheck(A[0]!, d.imms[1] as bigint, d.imms[0] as number, 0);
        return;
      case 'memory.size': {
        const b = this.memBound(d.imms[0] as number);
        this.emit({ op: 'shifti', fn: 'lsr', size: 64, rd: this.def(res!), rn: b, amount: 16 });
        return;
      }
      case 'table.size': {
        const t = this.tableObj(d.imms[0] as number);
        this.emit({ op: 'ldr', bits: 32, rt: this.def(res!), am: { k: 'imm', base: t, off: TABLE.size } });
        return;
      }
    }

    if (info.kind === 'load') return this.load(n, d.imms, A[0]!, res!);
    if (info.kind === 'store') return this.store(n, d.imms, A[0]!, A[1]!);
    const parts = nameParts(n);
    const ty = parts[0];
    const op = parts[1];
    if (ty === 'i32' || ty === 'i64') return this.intOp(ty, op, A, res);
    if (ty === 'f32' || ty === 'f64') return this.floatOp(ty, op, A, res!);
    this.fail(`unsupported IR op ${n}`);
  }

  private ret(A: Value[]): void {
    const f = this.f;
    const layout = aapcs64Call(['i64', ...f.params.map(abiType)], f.results.map(abiType));
    const rets: { reg: Reg; loc: Reg }[] = [];
    A.forEach((v, k) => {
      const loc = layout.results[k]!;
      const r = this.reg(v);
      if (loc.kind === 'reg') rets.push({ reg: r, loc: loc.reg });
      else this.storeTyped(f.results[k]!, r, { k: 'imm', base: FP, off: INCOMING_ARGS_FROM_FP + loc.offset });
    });
    this.emit({ op: 'ret', rets });
  }

  private select(A: Value[], res: Value): void {
    const t = this.f.valueType(res);
    if (clsOf(t) === GPR) {
      const a = this.regZ(A[0]!);
      const b = this.regZ(A[1]!);
      const cc = this.cond(A[2]!);
      this.emit({ op: 'csel', fn: 'csel', size: 64, rd: this.def(res), rn: a, rm: b, cond: cc });
      return;
    }
    const a = this.reg(A[0]!);
    const b = this.reg(A[1]!);
    const cc = this.cond(A[2]!);
    this.emit({ op: 'fcsel', size: t === 'f32' ? 32 : 64, rd: this.def(res), rn: a, rm: b, cond: cc });
  }

  private load(n: string, imms: unknown[], index: Value, res: Value): void {
    const bytes = ({ load8_s: 1, load8_u: 1, load16_s: 2, load16_u: 2, load32_s: 4, load32_u: 4 } as Record<string, number>)[nameParts(n)[1]] ?? (n.startsWith('i64') || n.startsWith('f64') ? 8 : 4);
    const am = this.address(index, imms[1] as bigint, imms[0] as number, bytes);
    const r = this.def(res);
    const trap = TrapCode.OutOfBoundsMemoryAccess;
    const L = (bits: 8 | 16 | 32 | 64, sx?: Size): void => this.emit(sx ? { op: 'ldr', bits, sx, rt: r, am, trap } : { op: 'ldr', bits, rt: r, am, trap });
    switch (n) {
      case 'i32.load': return L(32);
      case 'i64.load': return L(64);
      case 'i32.load8_s': return L(8, 32);
      case 'i32.load8_u': return L(8);
      case 'i32.load16_s': return L(16, 32);
      case 'i32.load16_u': return L(16);
      case 'i64.load8_s': return L(8, 64);
      case 'i64.load8_u': return L(8);
      case 'i64.load16_s': return L(16, 64);
      case 'i64.load16_u': return L(16);
      case 'i64.load32_s': return L(32, 64);
      case 'i64.load32_u': return L(32);
      case 'f32.load': return this.emit({ op: 'fldr', bits: 32, rt: r, am, trap });
      case 'f64.load': return this.emit({ op: 'fldr', bits: 64, rt: r, am, trap });
    }
    this.fail(`${SIMD_UNSUPPORTED} (${n})`);
  }

  private store(n: string, imms: unknown[], index: Value, value: Value): void {
    const bits = (
      { 'i32.store': 32, 'i64.store': 64, 'i32.store8': 8, 'i32.store16': 16, 'i64.store8': 8, 'i64.store16': 16, 'i64.store32': 32 } as Record<string, 8 | 16 | 32 | 64>
    )[n];
    const trap = TrapCode.OutOfBoundsMemoryAccess;
    if (bits !== undefined) {
      const src = this.regZ(value);
      const am = this.address(index, imms[1] as bigint, imms[0] as number, bits / 8);
      return this.emit({ op: 'str', bits, rt: src, am, trap });
    }
    if (n === 'f32.store' || n === 'f64.store') {
      const src = this.reg(value);
      const am = this.address(index, imms[1] as bigint, imms[0] as number, n === 'f32.store' ? 4 : 8);
      return this.emit({ op: 'fstr', bits: n === 'f32.store' ? 32 : 64, rt: src, am, trap });
    }
    this.fail(`${SIMD_UNSUPPORTED} (${n})`);
  }

  private intOp(ty: 'i32' | 'i64', op: string, A: Value[], res: Value | undefined): void {
    const size: Size = ty === 'i32' ? 32 : 64;
    const emit = this.emit.bind(this);
    if (op in INT_CC || op === 'eqz') {
      const cc = this.compare(`${ty}.${op}`, A);
      this.cset(this.def(res!), cc);
      return;
    }
    switch (op) {
      case 'add':
      case 'sub': {
        let [a, b] = A as [Value, Value];
        if (op === 'add' && ((this.intConst(b) === undefined && this.intConst(a) !== undefined) || this.folded.has(a))) [a, b] = [b, a];
        if (this.foldedOperand(op, size, a, b, res!)) return;
        const c = this.intConst(b);
        const r = this.def(res!);
        if (c !== undefined) {
          let x = size === 32 ? BigInt.asIntN(32, c) : c;
          if (op === 'sub') x = -x;
          const ax = x < 0n ? -x : x;
          if (ax < 4096n || (ax % 4096n === 0n && ax < 4096n * 4096n)) {
            const lsl12 = ax >= 4096n;
            const imm12 = Number(lsl12 ? ax / 4096n : ax);
            emit({ op: 'alui', fn: x < 0n ? 'sub' : 'add', size, rd: r, rn: this.reg(a), imm12, lsl12 });
            return;
          }
        }
        emit({ op: 'alu', fn: op, size, rd: r, rn: this.reg(a), rm: this.reg(b) });
        return;
      }
      case 'and':
      case 'or':
      case 'xor': {
        const fn = ({ and: 'and', or: 'orr', xor: 'eor' } as const)[op];
        let [a, b] = A as [Value, Value];
        if ((this.intConst(b) === undefined && this.intConst(a) !== undefined) || this.folded.has(a)) [a, b] = [b, a];
        if (this.foldedOperand(fn, size, a, b, res!)) return;
        const c = this.intConst(b);
        const r = this.def(res!);
        if (c !== undefined && encodeBitmask(size, c) !== undefined) {
          emit({ op: 'logi', fn, size, rd: r, rn: this.reg(a), imm: BigInt.asUintN(size, c) });
          return;
        }
        emit({ op: 'alu', fn, size, rd: r, rn: this.reg(a), rm: this.reg(b) });
        return;
      }
      case 'mul':
        emit({ op: 'madd', fn: 'madd', size, rd: this.def(res!), rn: this.reg(A[0]!), rm: this.reg(A[1]!), ra: XZR });
        return;
      case 'shl':
      case 'shr_s':
      case 'shr_u':
      case 'rotr': {
        const fn = ({ shl: 'lsl', shr_s: 'asr', shr_u: 'lsr', rotr: 'ror' } as const)[op];
        const c = this.intConst(A[1]!);
        const r = this.def(res!);
        if (c !== undefined) {
          const amount = Number(BigInt.asUintN(6, c)) & (size - 1);
          if (amount === 0) emit({ op: 'mov', size, rd: r, rm: this.reg(A[0]!) });
          else emit({ op: 'shifti', fn, size, rd: r, rn: this.reg(A[0]!), amount });
          return;
        }
        emit({ op: 'dp2', fn, size, rd: r, rn: this.reg(A[0]!), rm: this.reg(A[1]!) });
        return;
      }
      case 'rotl': {
        // rotl(x, n) = rotr(x, -n): rorv masks the negated count by the width.
        const c = this.intConst(A[1]!);
        const r = this.def(res!);
        if (c !== undefined) {
          const amount = (size - (Number(BigInt.asUintN(6, c)) & (size - 1))) & (size - 1);
          if (amount === 0) emit({ op: 'mov', size, rd: r, rm: this.reg(A[0]!) });
          else emit({ op: 'shifti', fn: 'ror', size, rd: r, rn: this.reg(A[0]!), amount });
          return;
        }
        const neg = this.gpr();
        emit({ op: 'alu', fn: 'sub', size, rd: neg, rn: XZR, rm: this.reg(A[1]!) });
        emit({ op: 'dp2', fn: 'ror', size, rd: r, rn: this.reg(A[0]!), rm: neg });
        return;
      }
      case 'clz':
        emit({ op: 'dp1', fn: 'clz', size, rd: this.def(res!), rn: this.reg(A[0]!) });
        return;
      case 'ctz': {
        const t = this.gpr();
        emit({ op: 'dp1', fn: 'rbit', size, rd: t, rn: this.reg(A[0]!) });
        emit({ op: 'dp1', fn: 'clz', size, rd: this.def(res!), rn: t });
        return;
      }
      case 'popcnt': {
        const t = this.fpr();
        emit({ op: 'fmov_from_gpr', size, rd: t, rn: this.reg(A[0]!) });
        emit({ op: 'cnt', rd: t, rn: t });
        emit({ op: 'addv', rd: t, rn: t });
        emit({ op: 'fmov_to_gpr', size: 32, rd: this.def(res!), rn: t });
        return;
      }
      case 'extend8_s':
        emit({ op: 'extend', fn: 'sxtb', size, rd: this.def(res!), rn: this.reg(A[0]!) });
        return;
      case 'extend16_s':
        emit({ op: 'extend', fn: 'sxth', size, rd: this.def(res!), rn: this.reg(A[0]!) });
        return;
      case 'extend32_s':
      case 'extend_i32_s':
        emit({ op: 'extend', fn: 'sxtw', size: 64, rd: this.def(res!), rn: this.reg(A[0]!) });
        return;
      case 'extend_i32_u':
        // The upper half of an i32 is already zero (see the invariants above): a plain,
        // coalescable 64-bit copy.
        emit({ op: 'mov', size: 64, rd: this.def(res!), rm: this.reg(A[0]!) });
        return;
      case 'wrap_i64':
        emit({ op: 'mov', size: 32, rd: this.def(res!), rm: this.reg(A[0]!) });
        return;
      case 'check_nonzero': {
        const c = this.intConst(A[0]!);
        if (c !== undefined && c !== 0n) return;
        if (c === 0n) return this.trapIf({ k: 'cond', cond: 'al' }, TrapCode.IntegerDivideByZero);
        this.trapIf({ k: 'zero', nz: false, size, rt: this.reg(A[0]!) }, TrapCode.IntegerDivideByZero);
        return;
      }
      case 'check_div_s': {
        // Traps when a == INT_MIN and b == -1: cmn b, #1; ccmp a, INT_MIN, #0, eq; b.eq.
        const cb = this.intConst(A[1]!);
        if (cb !== undefined && BigInt.asIntN(size, cb) !== -1n) return;
        const min = this.imm(size, 1n << BigInt(size - 1));
        emit({ op: 'alui', fn: 'adds', size, rd: XZR, rn: this.reg(A[1]!), imm12: 1 });
        emit({ op: 'ccmp', fn: 'ccmp', size, rn: this.reg(A[0]!), rm: min, nzcv: 0, cond: 'eq' });
        this.trapIf({ k: 'cond', cond: 'eq' }, TrapCode.IntegerOverflow);
        return;
      }
      case 'div_s':
      case 'div_u':
        emit({ op: 'dp2', fn: op === 'div_s' ? 'sdiv' : 'udiv', size, rd: this.def(res!), rn: this.reg(A[0]!), rm: this.reg(A[1]!) });
        return;
      case 'rem_s':
      case 'rem_u': {
        // a - (a / b) * b; INT_MIN % -1: sdiv gives INT_MIN and the msub wraps to 0.
        const a = this.reg(A[0]!);
        const b = this.reg(A[1]!);
        const q = this.gpr();
        emit({ op: 'dp2', fn: op === 'rem_s' ? 'sdiv' : 'udiv', size, rd: q, rn: a, rm: b });
        emit({ op: 'madd', fn: 'msub', size, rd: this.def(res!), rn: q, rm: b, ra: a });
        return;
      }
      case 'reinterpret_f32':
      case 'reinterpret_f64':
        emit({ op: 'fmov_to_gpr', size, rd: this.def(res!), rn: this.reg(A[0]!) });
        return;
    }
    if (op.startsWith('check_trunc_')) return this.checkTrunc(ty, op.slice('check_trunc_'.length), A[0]!);
    if (op.startsWith('trunc_sat_') || op.startsWith('trunc_')) {
      // fcvtzs/fcvtzu saturate and give 0 for NaN: the trunc_sat semantics, and in range
      // (after check_trunc) the plain truncation.
      const suffix = op.slice(op.startsWith('trunc_sat_') ? 'trunc_sat_'.length : 'trunc_'.length);
      const fsize: Size = suffix.startsWith('f32') ? 32 : 64;
      emit({ op: 'f2i', signed: suffix.endsWith('_s'), fsize, isize: size, rd: this.def(res!), rn: this.reg(A[0]!) });
      return;
    }
    this.fail(`unsupported IR op ${ty}.${op}`);
  }

  private checkTrunc(ity: 'i32' | 'i64', suffix: string, x: Value): void {
    const fty = suffix.slice(0, 3) as 'f32' | 'f64';
    const fsize: Size = fty === 'f32' ? 32 : 64;
    const b = truncRange(ity, fty, suffix.endsWith('_s'));
    const xr = this.reg(x);
    this.emit({ op: 'fcmp', size: fsize, rn: xr, rm: xr });
    this.trapIf({ k: 'cond', cond: 'vs' }, TrapCode.InvalidConversionToInteger);
    this.emit({ op: 'fcmp', size: fsize, rn: xr, rm: this.fconst(fsize, b.hi) });
    this.trapIf({ k: 'cond', cond: 'ge' }, TrapCode.IntegerOverflow);
    this.emit({ op: 'fcmp', size: fsize, rn: xr, rm: this.fconst(fsize, b.lo) });
    this.trapIf({ k: 'cond', cond: b.loIncl ? 'lt' : 'le' }, TrapCode.IntegerOverflow);
  }

  private floatOp(ty: 'f32' | 'f64', op: string, A: Value[], res: Value): void {
    const size: Size = ty === 'f32' ? 32 : 64;
    const emit = this.emit.bind(this);
    switch (op) {
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
      case 'min':
      case 'max': {
        const fn = ({ add: 'fadd', sub: 'fsub', mul: 'fmul', div: 'fdiv', min: 'fmin', max: 'fmax' } as const)[op];
        emit({ op: 'fp2', fn, size, rd: this.def(res), rn: this.reg(A[0]!), rm: this.reg(A[1]!) });
        return;
      }
      case 'sqrt':
      case 'ceil':
      case 'floor':
      case 'trunc':
      case 'nearest':
      case 'abs':
      case 'neg': {
        const fn = ({ sqrt: 'fsqrt', ceil: 'frintp', floor: 'frintm', trunc: 'frintz', nearest: 'frintn', abs: 'fabs', neg: 'fneg' } as const)[op];
        emit({ op: 'fp1', fn, size, rd: this.def(res), rn: this.reg(A[0]!) });
        return;
      }
      case 'copysign': {
        // Bits: sign of b, the rest of a (bfxil keeps b's sign bit, inserts a's low size-1 bits).
        const ga = this.gpr();
        const gb = this.gpr();
        emit({ op: 'fmov_to_gpr', size, rd: ga, rn: this.reg(A[0]!) });
        emit({ op: 'fmov_to_gpr', size, rd: gb, rn: this.reg(A[1]!) });
        emit({ op: 'bitfield', fn: 'bfxil', size, rd: gb, rn: ga, lsb: 0, width: size - 1 });
        emit({ op: 'fmov_from_gpr', size, rd: this.def(res), rn: gb });
        return;
      }
      case 'eq':
      case 'ne':
      case 'lt':
      case 'gt':
      case 'le':
      case 'ge': {
        const cc = this.compare(`${ty}.${op}`, A);
        this.cset(this.def(res), cc);
        return;
      }
      case 'convert_i32_s':
      case 'convert_i32_u':
      case 'convert_i64_s':
      case 'convert_i64_u':
        emit({ op: 'i2f', signed: op.endsWith('_s'), isize: op.includes('i32') ? 32 : 64, fsize: size, rd: this.def(res), rn: this.reg(A[0]!) });
        return;
      case 'demote_f64':
        emit({ op: 'fcvt', from: 64, to: 32, rd: this.def(res), rn: this.reg(A[0]!) });
        return;
      case 'promote_f32':
        emit({ op: 'fcvt', from: 32, to: 64, rd: this.def(res), rn: this.reg(A[0]!) });
        return;
      case 'reinterpret_i32':
      case 'reinterpret_i64':
        emit({ op: 'fmov_from_gpr', size, rd: this.def(res), rn: this.regZ(A[0]!) });
        return;
    }
    this.fail(`unsupported IR op ${ty}.${op}`);
  }
}

/**
 * The array-call trampoline of one signature:
 *   void tramp(void *code, kiln_vmctx *vmctx, const uint64_t *args, uint64_t *results)
 * loads each argument from its 8-byte slot, calls `code(vmctx, args...)` and stores each
 * result into its slot (i32 results zero-extended to the whole slot).
 */
export function selectTrampoline(sig: FuncType, name: string): Selected {
  const b = new Builder();
  b.cur = b.newBlock();
  const code = b.copy(GPR, X0);
  const vm = b.copy(GPR, X1);
  const argp = b.copy(GPR, X2);
  const resp = b.copy(GPR, X3);
  const args = sig.params.map((t, slot) => {
    if (t === 'v128') throw new SelectError(SIMD_UNSUPPORTED);
    const r = b.vreg(clsOf(t));
    b.loadTyped(t, r, { k: 'imm', base: argp, off: 8 * slot });
    return { reg: r, ty: t };
  });
  const outs = b.call({ reg: code }, [{ reg: vm, ty: 'i64' }, ...args], sig.results);
  sig.results.forEach((t, slot) => {
    if (t === 'v128') throw new SelectError(SIMD_UNSUPPORTED);
    if (t === 'i32') b.emit({ op: 'str', bits: 64, rt: outs[slot]!, am: { k: 'imm', base: resp, off: 8 * slot } });
    else b.storeTyped(t, outs[slot]!, { k: 'imm', base: resp, off: 8 * slot });
  });
  b.emit({ op: 'ret', rets: [] });
  return b.finish(name, false);
}
