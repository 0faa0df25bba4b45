/**
 * x86-64 instruction selection: one IR function → MFunc<X64Inst> on virtual registers.
 *
 *   ir.Func ─ selectFunction ─▶ MFunc (vregs) ─ regalloc ─▶ MFunc (pregs) ─ emit.ts ─▶ bytes
 *
 * Conventions inside selected code (the invariants every lowering keeps):
 *   - an i32 value lives in a GPR with its upper 32 bits ZERO (every 32-bit x86 op writes
 *     its destination zero-extended; incoming i32 arguments and call results are
 *     re-zero-extended). So an i32 is directly usable as a 64-bit address index.
 *   - references (funcref/externref) are 64-bit pointers, null = 0; a funcref points at a
 *     `kiln_funcref` record (see vmctx.ts).
 *   - vmctx arrives in rdi and is copied to an ordinary vreg (regs.ts explains why it is
 *     not pinned); memory 0's base is loaded once at entry (bases never move).
 *   - constants are rematerialized at each use (cheaper than keeping them live), which
 *     also lets isel fold them into immediates and address displacements.
 *   - `mov_ri` (never `xor`) materializes integer constants, so a constant may be placed
 *     between a flag-setting compare and its jcc/cmov.
 *
 * Control flow: each IR block becomes an MBlock (same order, entry first). Lowerings that
 * need branches (u64→float, float min/max) split the current MBlock. A branch edge that
 * carries block arguments gets an edge block of its own holding the parallel copy (copy
 * to fresh temporaries, then to the parameters), so no IR-level critical edge remains;
 * the allocator splits its own via `X64_ISA.makeJump/retargetBranch`.
 *
 * Guard-mode addressing (--bounds guard): [membase + zext(index) + offset] with offset
 * < 2^31 as the displacement; larger static offsets are added as a 64-bit constant (the
 * 8 GiB reservation means the sum never wraps and always faults past the memory).
 *
 * CPU baseline: x86-64-v2 (SSE4.1 `roundss/roundsd` for ceil/floor/trunc/nearest,
 * POPCNT). clz/ctz use bsr/bsf with explicit zero handling (LZCNT/BMI1 are v3).
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
import type { CallTarget, Cond, FixedReg, Mem, Size, SseOp, Width, X64Inst } from './inst.js';
import { Cond as CC, X64_ISA, invertCond } from './inst.js';
import { INCOMING_ARGS_FROM_RBP, sysvCall } from './abi.js';
import { abiType, BlockUses, clsOf, constantOf, foldedDefs, fusedCompares, IS_RUNTIME_HELPER, loadMayMoveTo, MBuilder, nameParts, runtimeHelper, SelectError, touchesV128, truncRange, TWO31, TWO32, TWO63, TWO64, usesMemory0, type Const, type HelperArg } from '../isel-common.js';
import { RBP, RCX, RDI, RDX, RSI, RSP } from './regs.js';

export { isSimdType, SelectError } from '../isel-common.js';

export interface Selected {
  mfunc: MFunc<X64Inst>;
  /** Bytes of outgoing stack arguments/results the frame must reserve at [rsp]. */
  outgoingBytes: number;
  /** Emit the prologue's stack-limit check (vmctx in rdi); off for array-call trampolines. */
  stackCheck: boolean;
}

const INT_CC: Record<string, Cond> = {
  eq: CC.E, ne: CC.NE, lt_s: CC.L, lt_u: CC.B, gt_s: CC.G, gt_u: CC.A,
  le_s: CC.LE, le_u: CC.BE, ge_s: CC.GE, ge_u: CC.AE,
};
const SWAP_CC: Partial<Record<Cond, Cond>> = {
  [CC.L]: CC.G, [CC.G]: CC.L, [CC.B]: CC.A, [CC.A]: CC.B,
  [CC.LE]: CC.GE, [CC.GE]: CC.LE, [CC.BE]: CC.AE, [CC.AE]: CC.BE,
};

/** Builds MBlocks; shared by function and trampoline selection. */
class Builder extends MBuilder<X64Inst> {
  constructor() {
    super(X64_ISA);
  }

  imm64(v: bigint): Reg {
    const r = this.gpr();
    this.emit({ op: 'mov_ri', size: 64, dst: r, imm: v });
    return r;
  }

  imm32(v: number): Reg {
    const r = this.gpr();
    this.emit({ op: 'mov_ri', size: 32, dst: r, imm: BigInt(v >>> 0) });
    return r;
  }

  load64(base: Reg, disp: number): Reg {
    const r = this.gpr();
    this.emit({ op: 'load', width: 64, ext: 'zx', size: 64, dst: r, mem: { kind: 'addr', base, disp } });
    return r;
  }

  /** A float constant by bits (xorps for +0, else through a GPR). */
  fconstBits(ty: 'f32' | 'f64', bits: bigint): Reg {
    const r = this.fpr();
    if (bits === 0n) {
      this.emit({ op: 'xzero', dst: r });
      return r;
    }
    const g = this.gpr();
    this.emit({ op: 'mov_ri', size: ty === 'f32' ? 32 : 64, dst: g, imm: bits });
    this.emit({ op: 'mov_to_xmm', size: ty === 'f32' ? 32 : 64, dst: r, src: g });
    return r;
  }

  fconst(ty: 'f32' | 'f64', x: number): Reg {
    return this.fconstBits(ty, ty === 'f32' ? BigInt(f32Bits(x)) : f64Bits(x));
  }

  /**
   * A call in the SysV convention. `args` include vmctx when the callee wants it.
   * Returns result vregs (i32 results zero-extended; SysV leaves the upper half of eax
   * unspecified, but `kilnCallee`, a function kiln compiled, already zero-extends them).
   */
  call(callee: CallTarget, args: { reg: Reg; ty: Type }[], resTypes: readonly Type[], kilnCallee = false): Reg[] {
    const layout = sysvCall(args.map((a) => abiType(a.ty)), resTypes.map(abiType));
    const fixed: FixedReg[] = [];
    args.forEach((a, k) => {
      const loc = layout.params[k]!;
      if (loc.kind === 'reg') fixed.push({ reg: a.reg, preg: loc.reg });
      else this.storeTyped(a.ty, a.reg, { kind: 'addr', base: RSP, disp: loc.offset });
    });
    const rets: FixedReg[] = [];
    const out: Reg[] = [];
    resTypes.forEach((t, k) => {
      const loc = layout.results[k]!;
      const r = this.vreg(clsOf(t));
      out.push(r);
      if (loc.kind === 'reg') rets.push({ reg: r, preg: loc.reg });
    });
    this.emit({ op: 'call', callee, args: fixed, rets });
    this.outgoing = Math.max(this.outgoing, layout.stackBytes);
    resTypes.forEach((t, k) => {
      const loc = layout.results[k]!;
      if (loc.kind === 'stack') this.loadTyped(t, out[k]!, { kind: 'addr', base: RSP, disp: loc.offset });
      else if (t === 'i32' && !kilnCallee) this.emit({ op: 'ext_rr', from: 32, signed: false, size: 32, dst: out[k]!, src: out[k]! });
    });
    return out;
  }

  loadTyped(t: Type, dst: Reg, mem: Mem): void {
    switch (t) {
      case 'i32':
        return this.emit({ op: 'load', width: 32, ext: 'zx', size: 32, dst, mem });
      case 'f32':
        return this.emit({ op: 'xload', xop: 'movss', dst, mem });
      case 'f64':
        return this.emit({ op: 'xload', xop: 'movsd', dst, mem });
      case 'v128':
        return this.emit({ op: 'xload', xop: 'movdqu', dst, mem });
      default:
        return this.emit({ op: 'load', width: 64, ext: 'zx', size: 64, dst, mem });
    }
  }

  storeTyped(t: Type, src: Reg, mem: Mem): void {
    switch (t) {
      case 'i32':
        return this.emit({ op: 'store', width: 32, src, mem });
      case 'f32':
        return this.emit({ op: 'xstore', xop: 'movss', src, mem });
      case 'f64':
        return this.emit({ op: 'xstore', xop: 'movsd', src, mem });
      case 'v128':
        return this.emit({ op: 'xstore', xop: 'movdqu', src, mem });
      default:
        return this.emit({ op: 'store', width: 64, src, mem });
    }
  }

  finish(name: string, stackCheck: boolean): Selected {
    return {
      mfunc: this.finishBlocks(name),
      outgoingBytes: this.outgoing,
      stackCheck,
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
   * Values computed inside their single user (`foldable`): a shift by 1–3 as a scaled lea
   * index of an add, a full-width load as the memory operand of an ALU/SSE op.
   */
  private folded = new Set<Value>();
  private vm = 0;
  private uses: BlockUses;
  /** The IR instruction being selected. */
  private at = -1;
  private memBase0: Reg | undefined;

  constructor(
    private m: IrModule,
    private f: Func,
    private opts: SelectOptions,
  ) {
    super();
    this.uses = new BlockUses(f);
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
      this.uses.enter(b);
      for (const i of f.block(b).insts) {
        this.at = i;
        this.inst(i);
      }
    }
    return this.finish(f.name, true);
  }

  // ── values ──

  private constOf(v: Value): Const | undefined {
    return constantOf(this.f, v);
  }

  /** A constant usable as a signed 32-bit immediate of a `size`-bit op. */
  private immOf(v: Value): number | undefined {
    const c = this.constOf(v);
    if (!c) return undefined;
    if (c.ty === 'i32.const') return (c.imm as number) | 0;
    if (c.ty === 'i64.const') {
      const x = c.imm as bigint;
      return x >= -0x8000_0000n && x <= 0x7fff_ffffn ? Number(x) : undefined;
    }
    return undefined;
  }

  private reg(v: Value): Reg {
    const c = this.constOf(v);
    if (c) {
      switch (c.ty) {
        case 'i32.const':
          return this.imm32(c.imm as number);
        case 'i64.const':
          return this.imm64(c.imm as bigint);
        case 'f32.const':
          return this.fconstBits('f32', BigInt((c.imm as number) >>> 0));
        case 'f64.const':
          return this.fconstBits('f64', BigInt.asUintN(64, c.imm as bigint));
        case 'ref.null':
          return this.imm64(0n);
      }
    }
    if (this.vr[v] === undefined && this.folded.delete(v)) this.inst(this.f.defInst(v)!); // not folded after all: compute it here
    let r = this.vr[v];
    if (r === undefined) {
      r = this.vreg(clsOf(this.f.valueType(v)));
      this.vr[v] = r;
    }
    return r;
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
    const layout = sysvCall(['i64', ...f.params.map(abiType)], f.results.map(abiType));
    this.vm = this.gpr();
    this.emit({ op: 'mov_rr', size: 64, dst: this.vm, src: RDI });
    params.forEach((p, k) => {
      const loc = layout.params[k + 1]!;
      const t = f.params[k]!;
      const r = this.def(p);
      if (loc.kind === 'reg') {
        if (t === 'i32') this.emit({ op: 'ext_rr', from: 32, signed: false, size: 32, dst: r, src: loc.reg });
        else if (clsOf(t) === FPR) this.emit({ op: 'xmov', xop: 'movaps', dst: r, src: loc.reg });
        else this.emit({ op: 'mov_rr', size: 64, dst: r, src: loc.reg });
      } else {
        this.loadTyped(t, r, { kind: 'addr', base: RBP, disp: INCOMING_ARGS_FROM_RBP + loc.offset });
      }
    });
    if (usesMemory0(f)) this.memBase0 = this.load64(this.vm, VMCTX.mem0Base);
  }

  /** A constant shift amount of `shl` def `d` when it can be a lea scale (1–3), else undefined. */
  private leaShift(d: number): number | undefined {
    const data = this.f.inst(d);
    const n = opInfo(data.op).name;
    if (n !== 'i32.shl' && n !== 'i64.shl') return undefined;
    const k = this.immOf(data.args[1]!);
    if (k === undefined) return undefined;
    const amount = k & (n === 'i32.shl' ? 31 : 63);
    return amount >= 1 && amount <= 3 ? amount : undefined;
  }

  /** Whether def `d` is computed inside its single user `u` (see `folded`). */
  private foldable(d: number, u: number): boolean {
    const f = this.f;
    const dn = opInfo(f.inst(d).op).name as string;
    const ud = f.inst(u);
    const un = opInfo(ud.op).name as string;
    const v = f.inst(d).results[0]!;
    if (ud.args.length !== 2 || ud.args[0] === ud.args[1]) return false;
    if (this.leaShift(d) !== undefined) return un === `${dn.slice(0, 4)}add`;
    if (dn === 'i32.load' || dn === 'i64.load' || dn === 'f32.load' || dn === 'f64.load') {
      const ty = dn.slice(0, 3);
      const op = un.startsWith(`${ty}.`) ? un.slice(4) : '';
      const ops = ty[0] === 'i' ? ['add', 'sub', 'and', 'or', 'xor'] : ['add', 'sub', 'mul', 'div'];
      if (!ops.includes(op)) return false;
      // sub/div read the memory operand second; the others commute.
      if ((op === 'sub' || op === 'div') && ud.args[1] !== v) return false;
      if (ty[0] === 'i' && this.immOf(ud.args[0] === v ? ud.args[1]! : ud.args[0]!) !== undefined) return false;
      return loadMayMoveTo(f, d, u);
    }
    return false;
  }

  /** The memory operand of folded load `v` (its address computed here, at the user). */
  private foldedLoad(v: Value): Mem {
    this.folded.delete(v);
    const d = this.f.inst(this.f.defInst(v)!);
    return this.address(d.args[0]!, d.imms[1] as bigint, d.imms[0] as number, opInfo(d.op).access!.bytes);
  }

  /** True if `v` is a folded load (rather than a folded shift). */
  private isFoldedLoad(v: Value): boolean {
    return this.folded.has(v) && opInfo(this.f.inst(this.f.defInst(v)!).op).kind === 'load';
  }

  private fusable(n: string): boolean {
    const parts = nameParts(n);
    const ty = parts[0];
    const op = parts[1];
    if (ty === 'i32' || ty === 'i64') return op === 'eqz' || op in INT_CC;
    if (ty === 'f32' || ty === 'f64') return op === 'lt' || op === 'gt' || op === 'le' || op === 'ge';
    return false;
  }

  /** Sets flags for an integer/float compare `n` of (a, b); returns the condition meaning "true". */
  private compare(n: string, args: Value[]): Cond {
    const parts = nameParts(n);
    const ty = parts[0];
    const op = parts[1];
    if (ty === 'i32' || ty === 'i64') {
      const size: Size = ty === 'i32' ? 32 : 64;
      if (op === 'eqz') {
        const a = this.reg(args[0]!);
        this.emit({ op: 'alu_rr', aop: 'test', size, dst: a, src: a });
        return CC.E;
      }
      let cc = INT_CC[op]!;
      let [a, b] = args as [Value, Value];
      if (this.immOf(b) === undefined && this.immOf(a) !== undefined) {
        [a, b] = [b, a];
        cc = SWAP_CC[cc] ?? cc;
      }
      const imm = this.immOf(b);
      const ra = this.reg(a);
      if (imm !== undefined) {
        if (imm === 0 && (cc === CC.E || cc === CC.NE)) this.emit({ op: 'alu_rr', aop: 'test', size, dst: ra, src: ra });
        else this.emit({ op: 'alu_ri', aop: 'cmp', size, dst: ra, imm });
      } else {
        this.emit({ op: 'alu_rr', aop: 'cmp', size, dst: ra, src: this.reg(b) });
      }
      return cc;
    }
    const ucom: SseOp = ty === 'f32' ? 'ucomiss' : 'ucomisd';
    const a = this.reg(args[0]!);
    const b = this.reg(args[1]!);
    switch (op) {
      case 'lt':
        this.emit({ op: 'sse', sop: ucom, dst: b, src: a });
        return CC.A;
      case 'gt':
        this.emit({ op: 'sse', sop: ucom, dst: a, src: b });
        return CC.A;
      case 'le':
        this.emit({ op: 'sse', sop: ucom, dst: b, src: a });
        return CC.AE;
      case 'ge':
        this.emit({ op: 'sse', sop: ucom, dst: a, src: b });
        return CC.AE;
    }
    this.fail(`not a fusable compare ${n}`);
  }

  /** Flags for a boolean i32 value; returns the condition meaning "non-zero". */
  private cond(v: Value): Cond {
    if (this.deferred.has(v)) {
      const i = this.f.defInst(v)!;
      const d = this.f.inst(i);
      return this.compare(opInfo(d.op).name, d.args);
    }
    const r = this.reg(v);
    this.emit({ op: 'alu_rr', aop: 'test', size: 32, dst: r, src: r });
    return CC.NE;
  }

  private setBool(dst: Reg, cc: Cond): void {
    this.emit({ op: 'setcc', cc, dst });
    this.emit({ op: 'ext_rr', from: 8, signed: false, size: 32, dst, src: dst });
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

  /** Ends the current MBlock with a two-way branch and continues in a fresh one. */
  private split(): number {
    const b = this.newBlock();
    return b;
  }

  // ── memory ──

  private memBase(mem: number): Reg {
    if (mem === 0 && this.memBase0 !== undefined) return this.memBase0;
    return this.load64(this.memoryObject(this.vm, mem), MEMORY.base);
  }

  private memBound(mem: number): Reg {
    return this.memoryBound(this.vm, mem);
  }

  private address(index: Value, offset: bigint, mem: number, bytes: number): Mem {
    const base = this.memBase(mem);
    const c = this.constOf(index);
    if (c && c.ty === 'i32.const') {
      const total = BigInt((c.imm as number) >>> 0) + offset;
      if (total < 0x8000_0000n) return { kind: 'addr', base, disp: Number(total) };
      return { kind: 'addr', base, index: this.imm64(total), scale: 1, disp: 0 };
    }
    const idx = this.reg(index);
    if (offset < 0x8000_0000n) return { kind: 'addr', base, index: idx, scale: 1, disp: Number(offset) };
    const t = this.imm64(offset);
    this.emit({ op: 'alu_rr', aop: 'add', size: 64, dst: t, src: idx });
    return { kind: 'addr', base, index: t, scale: 1, disp: 0 };
  }

  /** end = zext(index) + offset + bytes (no 64-bit overflow: all three are < 2^33); trap if end > bound. */
  private boundsCheck(index: Value, offset: bigint, mem: number, bytes: number): void {
    const bound = this.memBound(mem);
    const extra = offset + BigInt(bytes);
    const end = this.gpr();
    const c = this.constOf(index);
    if (c && c.ty === 'i32.const') {
      this.emit({ op: 'mov_ri', size: 64, dst: end, imm: BigInt((c.imm as number) >>> 0) + extra });
    } else if (extra < 0x8000_0000n) {
      this.emit({ op: 'lea', size: 64, dst: end, mem: { kind: 'addr', base: this.reg(index), disp: Number(extra) } });
    } else {
      this.emit({ op: 'mov_ri', size: 64, dst: end, imm: extra });
      this.emit({ op: 'alu_rr', aop: 'add', size: 64, dst: end, src: this.reg(index) });
    }
    this.emit({ op: 'alu_rr', aop: 'cmp', size: 64, dst: end, src: bound });
    this.emit({ op: 'trap_if', cc: CC.A, code: TrapCode.OutOfBoundsMemoryAccess });
  }

  // ── tables, globals ──

  private tableObj(table: number): Reg {
    return this.tableObject(this.vm, table);
  }

  private helper(symbol: string, args: { reg: Reg; ty: Type }[], results: Type[] = []): Reg[] {
    return this.call({ kind: 'sym', symbol }, [{ reg: this.vm, ty: 'i64' }, ...args], results);
  }

  private helperArg(a: HelperArg): { reg: Reg; ty: Type } {
    return a.k === 'imm' ? this.k32(a.n) : { reg: this.reg(a.v), ty: 'i64' };
  }

  private k32(n: number): { reg: Reg; ty: Type } {
    return { reg: this.imm32(n), ty: 'i32' };
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
    if (touchesV128(f, d)) this.fail('SIMD is not yet supported by the x86-64 backend');
    const rt = IS_RUNTIME_HELPER[d.op] === 1 ? runtimeHelper(n, d.imms, A) : undefined;
    if (rt) {
      const outs = this.helper(rt.symbol, rt.args.map((a) => this.helperArg(a)), rt.results);
      if (res !== undefined) this.vr[res] = outs[0]!;
      return;
    }

    switch (n) {
      case 'br':
        this.parallelCopy(d.targets[0]!);
        this.emit({ op: 'jmp', target: this.mblock[d.targets[0]!.block]! });
        return;
      case 'br_if': {
        const t = this.edge(d.targets[0]!);
        const e = this.edge(d.targets[1]!);
        const cc = this.cond(A[0]!);
        this.emit({ op: 'jcc', cc, taken: t, notTaken: e });
        return;
      }
      case 'br_table': {
        const targets = d.targets.map((c) => this.edge(c));
        const nt = targets.length - 1;
        if (nt === 0) {
          this.emit({ op: 'jmp', target: targets[0]! });
          return;
        }
        // cmp + jae to the default inside the jump table (the index is a zero-extended i32).
        this.emit({ op: 'jmp_table', index: this.reg(A[0]!), tmp: this.gpr(), targets: targets.slice(0, nt), dflt: targets[nt]! });
        return;
      }
      case 'return':
        return this.ret(A);
      case 'trap':
        this.emit({ op: 'ud2', code: d.imms[0] as number });
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
          outs = this.call({ kind: 'reg', reg: code }, [{ reg: vmctx, ty: 'i64' }, ...args], ft.results);
        } else {
          outs = this.call({ kind: 'sym', symbol: this.opts.symbolOf(fi) }, [{ reg: this.vm, ty: 'i64' }, ...args], ft.results, true);
        }
        d.results.forEach((r, k) => this.vr[r] = outs[k]!);
        return;
      }
      case 'call_ref': {
        const ft = this.m.types[d.imms[0] as number]!;
        const fr = this.reg(A[0]!);
        const { code, vmctx } = this.funcrefCallee(fr);
        const args = A.slice(1).map((v, k) => ({ reg: this.reg(v), ty: ft.params[k]! }));
        const outs = this.call({ kind: 'reg', reg: code }, [{ reg: vmctx, ty: 'i64' }, ...args], ft.results);
        d.results.forEach((r, k) => this.vr[r] = outs[k]!);
        return;
      }
      case 'table.check_call': {
        const [table, type] = d.imms as [number, number];
        const idx = this.reg(A[0]!);
        const t = this.tableObj(table);
        const size = this.load64(t, TABLE.size);
        this.emit({ op: 'alu_rr', aop: 'cmp', size: 64, dst: idx, src: size });
        this.emit({ op: 'trap_if', cc: CC.AE, code: TrapCode.UndefinedElement });
        const elems = this.load64(t, TABLE.elems);
        const r = this.def(res!);
        this.emit({ op: 'load', width: 64, ext: 'zx', size: 64, dst: r, mem: { kind: 'addr', base: elems, index: idx, scale: 8, disp: 0 } });
        this.emit({ op: 'alu_rr', aop: 'test', size: 64, dst: r, src: r });
        this.emit({ op: 'trap_if', cc: CC.E, code: TrapCode.UninitializedElement });
        const sig = this.gpr();
        this.emit({ op: 'load', width: 32, ext: 'zx', size: 32, dst: sig, mem: { kind: 'addr', base: r, disp: FUNCREF.sigId } });
        const ids = this.load64(this.vm, VMCTX.sigIds);
        this.emit({ op: 'alu_rm', aop: 'cmp', size: 32, dst: sig, mem: { kind: 'addr', base: ids, disp: 4 * type } });
        this.emit({ op: 'trap_if', cc: CC.NE, code: TrapCode.IndirectCallTypeMismatch });
        return;
      }
      case 'global.get': {
        const cell = this.globalCell(this.vm, d.imms[0] as number);
        this.loadTyped(f.valueType(res!), this.def(res!), { kind: 'addr', base: cell, disp: 0 });
        return;
      }
      case 'global.set': {
        const cell = this.globalCell(this.vm, d.imms[0] as number);
        this.storeTyped(f.valueType(A[0]!), this.reg(A[0]!), { kind: 'addr', base: cell, disp: 0 });
        return;
      }
      case 'ref.null':
        return;
      case 'ref.is_null': {
        const a = this.reg(A[0]!);
        this.emit({ op: 'alu_rr', aop: 'test', size: 64, dst: a, src: a });
        this.setBool(this.def(res!), CC.E);
        return;
      }
      case 'ref.func': {
        const funcs = this.load64(this.vm, VMCTX.funcs);
        this.emit({ op: 'lea', size: 64, dst: this.def(res!), mem: { kind: 'addr', base: funcs, disp: (d.imms[0] as number) * FUNCREF.size } });
        return;
      }
      case 'memory.check_bounds': // --bounds explicit: the IR carries a check before each access
        this.boundsCheck(A[0]!, d.imms[1] as bigint, d.imms[0] as number, 0);
        return;
      case 'memory.size': {
        const b = this.memBound(d.imms[0] as number);
        this.emit({ op: 'shift_ri', sop: 'shr', size: 64, dst: b, imm: 16 });
        this.emit({ op: 'mov_rr', size: 32, dst: this.def(res!), src: b });
        return;
      }
      case 'table.size': {
        const t = this.tableObj(d.imms[0] as number);
        this.emit({ op: 'load', width: 32, ext: 'zx', size: 32, dst: this.def(res!), mem: { kind: 'addr', base: t, disp: TABLE.size } });
        return;
      }
    }

    if (info.kind === 'load') return this.load(n, d.imms, A[0]!, res!);
    if (info.kind === 'store') return this.store(n, d.imms, A[0]!, A[1]!, info.access!.bytes);
    const parts = nameParts(n);
    const ty = parts[0];
    const op = parts[1];
    if (ty === 'i32' || ty === 'i64') return this.intOp(ty, op, A, res);
    if (ty === 'f32' || ty === 'f64') return this.floatOp(ty, op, A, res!);
    this.fail(`unsupported IR op ${n}`);
  }

  private ret(A: Value[]): void {
    const f = this.f;
    const layout = sysvCall(['i64', ...f.params.map(abiType)], f.results.map(abiType));
    const rets: FixedReg[] = [];
    A.forEach((v, k) => {
      const loc = layout.results[k]!;
      const r = this.reg(v);
      if (loc.kind === 'reg') rets.push({ reg: r, preg: loc.reg });
      else this.storeTyped(f.results[k]!, r, { kind: 'addr', base: RBP, disp: INCOMING_ARGS_FROM_RBP + loc.offset });
    });
    this.emit({ op: 'ret', rets });
  }

  private select(A: Value[], res: Value): void {
    const t = this.f.valueType(res);
    const a = this.reg(A[0]!);
    const b = this.reg(A[1]!);
    if (clsOf(t) === GPR) {
      const r = this.def(res);
      this.emit({ op: 'mov_rr', size: 64, dst: r, src: a });
      const cc = this.cond(A[2]!);
      this.emit({ op: 'cmov', cc: invertCond(cc), size: 64, dst: r, src: b });
      return;
    }
    const ga = this.gpr();
    const gb = this.gpr();
    this.emit({ op: 'mov_from_xmm', size: 64, dst: ga, src: a });
    this.emit({ op: 'mov_from_xmm', size: 64, dst: gb, src: b });
    const cc = this.cond(A[2]!);
    this.emit({ op: 'cmov', cc: invertCond(cc), size: 64, dst: ga, src: gb });
    this.emit({ op: 'mov_to_xmm', size: 64, dst: this.def(res), src: ga });
  }

  private load(n: string, imms: unknown[], index: Value, res: Value): void {
    const mem = this.address(index, imms[1] as bigint, imms[0] as number, opInfo(this.f.inst(this.f.defInst(res)!).op).access!.bytes);
    const r = this.def(res);
    const trap = TrapCode.OutOfBoundsMemoryAccess;
    const L = (width: Width, ext: 'zx' | 'sx', size: Size): void => this.emit({ op: 'load', width, ext, size, dst: r, mem, trap });
    switch (n) {
      case 'i32.load': return L(32, 'zx', 32);
      case 'i64.load': return L(64, 'zx', 64);
      case 'i32.load8_s': return L(8, 'sx', 32);
      case 'i32.load8_u': return L(8, 'zx', 32);
      case 'i32.load16_s': return L(16, 'sx', 32);
      case 'i32.load16_u': return L(16, 'zx', 32);
      case 'i64.load8_s': return L(8, 'sx', 64);
      case 'i64.load8_u': return L(8, 'zx', 32);
      case 'i64.load16_s': return L(16, 'sx', 64);
      case 'i64.load16_u': return L(16, 'zx', 32);
      case 'i64.load32_s': return L(32, 'sx', 64);
      case 'i64.load32_u': return L(32, 'zx', 32);
      case 'f32.load': return this.emit({ op: 'xload', xop: 'movss', dst: r, mem, trap });
      case 'f64.load': return this.emit({ op: 'xload', xop: 'movsd', dst: r, mem, trap });
    }
    this.fail(`SIMD is not yet supported by the x86-64 backend (${n})`);
  }

  private store(n: string, imms: unknown[], index: Value, value: Value, bytes: number): void {
    const mem = this.address(index, imms[1] as bigint, imms[0] as number, bytes);
    const trap = TrapCode.OutOfBoundsMemoryAccess;
    const width: Width | undefined = (
      { 'i32.store': 32, 'i64.store': 64, 'i32.store8': 8, 'i32.store16': 16, 'i64.store8': 8, 'i64.store16': 16, 'i64.store32': 32 } as Record<string, Width>
    )[n];
    if (width !== undefined) {
      const imm = this.immOf(value);
      if (imm !== undefined) {
        const v = width === 8 ? (imm << 24) >> 24 : width === 16 ? (imm << 16) >> 16 : imm;
        return this.emit({ op: 'store_imm', width, imm: v, mem, trap });
      }
      return this.emit({ op: 'store', width, src: this.reg(value), mem, trap });
    }
    if (n === 'f32.store') return this.emit({ op: 'xstore', xop: 'movss', src: this.reg(value), mem, trap });
    if (n === 'f64.store') return this.emit({ op: 'xstore', xop: 'movsd', src: this.reg(value), mem, trap });
    this.fail(`SIMD is not yet supported by the x86-64 backend (${n})`);
  }

  private intOp(ty: 'i32' | 'i64', op: string, A: Value[], res: Value | undefined): void {
    const size: Size = ty === 'i32' ? 32 : 64;
    const emit = this.emit.bind(this);
    if (op in INT_CC || op === 'eqz') {
      const cc = this.compare(`${ty}.${op}`, A);
      this.setBool(this.def(res!), cc);
      return;
    }
    switch (op) {
      case 'add':
      case 'sub':
      case 'and':
      case 'or':
      case 'xor': {
        let [a, b] = A as [Value, Value];
        if (op !== 'sub') {
          // A folded operand (shift, load) and else an immediate go second.
          if (this.folded.has(a)) [a, b] = [b, a];
          else if (!this.folded.has(b) && this.immOf(b) === undefined && this.immOf(a) !== undefined) [a, b] = [b, a];
        }
        if (op === 'add' && this.lea(size, a, b, res!)) return;
        if (op === 'sub' && this.lea(size, a, b, res!, true)) return;
        const r = this.def(res!);
        emit({ op: 'mov_rr', size: 64, dst: r, src: this.reg(a) });
        if (this.isFoldedLoad(b)) return emit({ op: 'alu_rm', aop: op, size, dst: r, mem: this.foldedLoad(b), trap: TrapCode.OutOfBoundsMemoryAccess });
        const imm = this.immOf(b);
        if (imm !== undefined) emit({ op: 'alu_ri', aop: op, size, dst: r, imm });
        else emit({ op: 'alu_rr', aop: op, size, dst: r, src: this.reg(b) });
        return;
      }
      case 'mul': {
        let [a, b] = A as [Value, Value];
        if (this.immOf(b) === undefined && this.immOf(a) !== undefined) [a, b] = [b, a];
        const r = this.def(res!);
        const imm = this.immOf(b);
        if (imm !== undefined) return emit({ op: 'imul_rri', size, dst: r, src: this.reg(a), imm });
        emit({ op: 'mov_rr', size: 64, dst: r, src: this.reg(a) });
        emit({ op: 'imul_rr', size, dst: r, src: this.reg(b) });
        return;
      }
      case 'shl':
      case 'shr_s':
      case 'shr_u':
      case 'rotl':
      case 'rotr': {
        const sop = ({ shl: 'shl', shr_s: 'sar', shr_u: 'shr', rotl: 'rol', rotr: 'ror' } as const)[op];
        const r = this.def(res!);
        emit({ op: 'mov_rr', size: 64, dst: r, src: this.reg(A[0]!) });
        const imm = this.immOf(A[1]!);
        if (imm !== undefined) emit({ op: 'shift_ri', sop, size, dst: r, imm: imm & (size - 1) });
        else emit({ op: 'shift_rc', sop, size, dst: r, count: this.reg(A[1]!) });
        return;
      }
      case 'clz': {
        const a = this.reg(A[0]!);
        const r = this.def(res!);
        const c = this.imm32(size === 32 ? 63 : 127);
        emit({ op: 'bit', bop: 'bsr', size, dst: r, src: a });
        emit({ op: 'cmov', cc: CC.E, size, dst: r, src: c });
        emit({ op: 'alu_ri', aop: 'xor', size, dst: r, imm: size - 1 });
        return;
      }
      case 'ctz': {
        const a = this.reg(A[0]!);
        const r = this.def(res!);
        const c = this.imm32(size);
        emit({ op: 'bit', bop: 'bsf', size, dst: r, src: a });
        emit({ op: 'cmov', cc: CC.E, size, dst: r, src: c });
        return;
      }
      case 'popcnt':
        emit({ op: 'bit', bop: 'popcnt', size, dst: this.def(res!), src: this.reg(A[0]!) });
        return;
      case 'extend8_s':
        emit({ op: 'ext_rr', from: 8, signed: true, size, dst: this.def(res!), src: this.reg(A[0]!) });
        return;
      case 'extend16_s':
        emit({ op: 'ext_rr', from: 16, signed: true, size, dst: this.def(res!), src: this.reg(A[0]!) });
        return;
      case 'extend32_s':
      case 'extend_i32_s':
        emit({ op: 'ext_rr', from: 32, signed: true, size: 64, dst: this.def(res!), src: this.reg(A[0]!) });
        return;
      case 'extend_i32_u':
      case 'wrap_i64':
        emit({ op: 'mov_rr', size: 32, dst: this.def(res!), src: this.reg(A[0]!) });
        return;
      case 'check_nonzero': {
        const imm = this.immOf(A[0]!);
        if (imm !== undefined && imm !== 0) return;
        const b = this.reg(A[0]!);
        emit({ op: 'alu_rr', aop: 'test', size, dst: b, src: b });
        emit({ op: 'trap_if', cc: CC.E, code: TrapCode.IntegerDivideByZero });
        return;
      }
      case 'check_div_s': {
        const bi = this.immOf(A[1]!);
        if (bi !== undefined && bi !== -1) return;
        const t = size === 32 ? this.imm32(0x8000_0000) : this.imm64(-(1n << 63n));
        emit({ op: 'alu_rr', aop: 'xor', size, dst: t, src: this.reg(A[0]!) });
        const u = this.copy(GPR, this.reg(A[1]!));
        emit({ op: 'alu_ri', aop: 'add', size, dst: u, imm: 1 });
        emit({ op: 'alu_rr', aop: 'or', size, dst: t, src: u });
        emit({ op: 'trap_if', cc: CC.E, code: TrapCode.IntegerOverflow });
        return;
      }
      case 'div_s':
      case 'div_u':
      case 'rem_s':
      case 'rem_u': {
        const signed = op.endsWith('_s');
        const lo = this.copy(GPR, this.reg(A[0]!));
        const hi = this.gpr();
        if (signed) emit({ op: 'sign_ext_ax', size, src: lo, dst: hi });
        else emit({ op: 'mov_ri', size: 32, dst: hi, imm: 0n });
        let divisor = this.reg(A[1]!);
        if (op === 'rem_s') {
          // x % -1 = 0 without idiv's overflow fault: divide by 1 instead.
          const bi = this.immOf(A[1]!);
          if (bi === -1) {
            emit({ op: 'mov_ri', size: 32, dst: this.def(res!), imm: 0n });
            return;
          }
          if (bi === undefined) {
            const one = this.imm32(1);
            divisor = this.copy(GPR, divisor);
            emit({ op: 'alu_ri', aop: 'cmp', size, dst: divisor, imm: -1 });
            emit({ op: 'cmov', cc: CC.E, size, dst: divisor, src: one });
          }
        }
        const quot = this.gpr();
        const rem = this.gpr();
        emit({ op: 'div', signed, size, divisor, lo, hi, quot, rem, trap: TrapCode.IntegerDivideByZero });
        this.vr[res!] = op.startsWith('div') ? quot : rem;
        return;
      }
      case 'reinterpret_f32':
      case 'reinterpret_f64':
        emit({ op: 'mov_from_xmm', size, dst: this.def(res!), src: this.reg(A[0]!) });
        return;
    }
    if (op.startsWith('check_trunc_')) return this.checkTrunc(ty, op.slice('check_trunc_'.length), A[0]!);
    if (op.startsWith('trunc_sat_')) return this.truncSat(ty, op.slice('trunc_sat_'.length), A[0]!, res!);
    if (op.startsWith('trunc_')) return this.trunc(ty, op.slice('trunc_'.length), A[0]!, res!);
    this.fail(`unsupported IR op ${ty}.${op}`);
  }

  /**
   * a + b (or a - b) as one three-operand lea: a + imm, a + b, a + x*2^k (b = x << k
   * folded), x*2^k + imm. A 32-bit lea wraps like i32.add and zero-extends. False when
   * the operands do not fit (a folded load, an immediate lea cannot carry).
   */
  private lea(size: Size, a: Value, b: Value, res: Value, sub = false): boolean {
    const imm = (v: Value): number | undefined => {
      const k = this.immOf(v);
      if (k === undefined || !sub) return k;
      return k === -0x8000_0000 ? undefined : -k;
    };
    const ia = this.immOf(a);
    const ib = imm(b);
    if (sub && ib === undefined) return false;
    if (this.isFoldedLoad(b)) return false;
    const emitLea = (mem: Mem): boolean => {
      this.emit({ op: 'lea', size, dst: this.def(res), mem });
      return true;
    };
    if (!sub && this.folded.has(b)) {
      this.folded.delete(b);
      const sh = this.f.inst(this.f.defInst(b)!);
      const scale = (1 << this.leaShift(this.f.defInst(b)!)!) as 2 | 4 | 8;
      const x = this.reg(sh.args[0]!);
      if (ia !== undefined) {
        if (scale === 2) return emitLea({ kind: 'addr', base: x, index: x, scale: 1, disp: ia });
        return emitLea({ kind: 'addr', index: x, scale, disp: ia });
      }
      return emitLea({ kind: 'addr', base: this.reg(a), index: x, scale, disp: 0 });
    }
    // Plain a + b / a ± imm: lea only when `a` lives on (else mov + add lets the allocator
    // reuse a's register, which keeps loop-carried values in place).
    if (!this.uses.usedAfter(a, this.at) || this.constOf(a)) return false;
    if (ib !== undefined) {
      if (ib === 0) return false;
      return emitLea({ kind: 'addr', base: this.reg(a), disp: ib });
    }
    return emitLea({ kind: 'addr', base: this.reg(a), index: this.reg(b), scale: 1, disp: 0 });
  }

  private checkTrunc(ity: 'i32' | 'i64', suffix: string, x: Value): void {
    const fty = suffix.slice(0, 3) as 'f32' | 'f64';
    const signed = suffix.endsWith('_s');
    const ucom: SseOp = fty === 'f32' ? 'ucomiss' : 'ucomisd';
    const b = truncRange(ity, fty, signed);
    const xr = this.reg(x);
    const hi = this.fconst(fty, b.hi);
    const lo = this.fconst(fty, b.lo);
    this.emit({ op: 'sse', sop: ucom, dst: xr, src: xr });
    this.emit({ op: 'trap_if', cc: CC.P, code: TrapCode.InvalidConversionToInteger });
    this.emit({ op: 'sse', sop: ucom, dst: xr, src: hi });
    this.emit({ op: 'trap_if', cc: CC.AE, code: TrapCode.IntegerOverflow });
    this.emit({ op: 'sse', sop: ucom, dst: xr, src: lo });
    this.emit({ op: 'trap_if', cc: b.loIncl ? CC.B : CC.BE, code: TrapCode.IntegerOverflow });
  }

  /** cvtt to u64 for in-range inputs: inputs ≥ 2^63 are converted as x - 2^63 with the top bit set back. */
  private cvtU64(fty: 'f32' | 'f64', xr: Reg): Reg {
    const a = this.gpr();
    this.emit({ op: 'cvt_f2i', ty: fty, size: 64, dst: a, src: xr });
    const c = this.fconst(fty, TWO63);
    const t = this.copy(FPR, xr);
    this.emit({ op: 'sse', sop: fty === 'f32' ? 'subss' : 'subsd', dst: t, src: c });
    const b = this.gpr();
    this.emit({ op: 'cvt_f2i', ty: fty, size: 64, dst: b, src: t });
    const top = this.imm64(-(1n << 63n));
    this.emit({ op: 'alu_rr', aop: 'xor', size: 64, dst: b, src: top });
    this.emit({ op: 'sse', sop: fty === 'f32' ? 'ucomiss' : 'ucomisd', dst: xr, src: c });
    this.emit({ op: 'cmov', cc: CC.AE, size: 64, dst: a, src: b });
    return a;
  }

  private trunc(ity: 'i32' | 'i64', suffix: string, x: Value, res: Value): void {
    const fty = suffix.slice(0, 3) as 'f32' | 'f64';
    const signed = suffix.endsWith('_s');
    const xr = this.reg(x);
    if (ity === 'i32') {
      if (signed) return this.emit({ op: 'cvt_f2i', ty: fty, size: 32, dst: this.def(res), src: xr });
      const t = this.gpr();
      this.emit({ op: 'cvt_f2i', ty: fty, size: 64, dst: t, src: xr });
      this.emit({ op: 'mov_rr', size: 32, dst: this.def(res), src: t });
      return;
    }
    if (signed) return this.emit({ op: 'cvt_f2i', ty: fty, size: 64, dst: this.def(res), src: xr });
    this.vr[res] = this.cvtU64(fty, xr);
  }

  private truncSat(ity: 'i32' | 'i64', suffix: string, x: Value, res: Value): void {
    const fty = suffix.slice(0, 3) as 'f32' | 'f64';
    const signed = suffix.endsWith('_s');
    const ucom: SseOp = fty === 'f32' ? 'ucomiss' : 'ucomisd';
    const xr = this.reg(x);
    const zero = this.imm32(0);
    if (signed) {
      const size: Size = ity === 'i32' ? 32 : 64;
      const r = this.gpr();
      this.emit({ op: 'cvt_f2i', ty: fty, size, dst: r, src: xr });
      const hi = this.fconst(fty, ity === 'i32' ? TWO31 : TWO63);
      const max = ity === 'i32' ? this.imm32(0x7fff_ffff) : this.imm64((1n << 63n) - 1n);
      this.emit({ op: 'sse', sop: ucom, dst: xr, src: hi });
      this.emit({ op: 'cmov', cc: CC.AE, size, dst: r, src: max });
      this.emit({ op: 'sse', sop: ucom, dst: xr, src: xr });
      this.emit({ op: 'cmov', cc: CC.P, size, dst: r, src: zero });
      this.vr[res] = r;
      return;
    }
    const r = ity === 'i32' ? this.gpr() : this.cvtU64(fty, xr);
    if (ity === 'i32') this.emit({ op: 'cvt_f2i', ty: fty, size: 64, dst: r, src: xr });
    const fz = this.fconst(fty, 0);
    const hi = this.fconst(fty, ity === 'i32' ? TWO32 : TWO64);
    const max = ity === 'i32' ? this.imm64(0xffff_ffffn) : this.imm64(-1n);
    this.emit({ op: 'sse', sop: ucom, dst: xr, src: fz });
    this.emit({ op: 'cmov', cc: CC.BE, size: 64, dst: r, src: zero });
    this.emit({ op: 'sse', sop: ucom, dst: xr, src: hi });
    this.emit({ op: 'cmov', cc: CC.AE, size: 64, dst: r, src: max });
    this.vr[res] = r;
  }

  private floatOp(ty: 'f32' | 'f64', op: string, A: Value[], res: Value): void {
    const s = ty === 'f32' ? 'ss' : 'sd';
    const size: Size = ty === 'f32' ? 32 : 64;
    const emit = this.emit.bind(this);
    switch (op) {
      case 'add':
      case 'sub':
      case 'mul':
      case 'div': {
        let [a, b] = A as [Value, Value];
        if (this.isFoldedLoad(a)) [a, b] = [b, a]; // add/mul only (foldable)
        const r = this.def(res);
        emit({ op: 'xmov', xop: 'movaps', dst: r, src: this.reg(a) });
        if (this.isFoldedLoad(b)) return emit({ op: 'sse', sop: `${op}${s}` as SseOp, dst: r, src: this.foldedLoad(b), trap: TrapCode.OutOfBoundsMemoryAccess });
        emit({ op: 'sse', sop: `${op}${s}` as SseOp, dst: r, src: this.reg(b) });
        return;
      }
      case 'sqrt':
        emit({ op: 'sse', sop: `sqrt${s}` as SseOp, dst: this.def(res), src: this.reg(A[0]!) });
        return;
      case 'ceil':
      case 'floor':
      case 'trunc':
      case 'nearest': {
        const mode = ({ nearest: 0, floor: 1, ceil: 2, trunc: 3 } as const)[op];
        emit({ op: 'round', ty, mode, dst: this.def(res), src: this.reg(A[0]!) });
        return;
      }
      case 'abs':
      case 'neg':
      case 'copysign': {
        const g = this.gpr();
        emit({ op: 'mov_from_xmm', size, dst: g, src: this.reg(A[0]!) });
        const sign = size === 32 ? 0x8000_0000 : -(1n << 63n);
        if (op === 'neg') {
          if (size === 32) emit({ op: 'alu_ri', aop: 'xor', size, dst: g, imm: 0x8000_0000 });
          else emit({ op: 'alu_rr', aop: 'xor', size, dst: g, src: this.imm64(sign as bigint) });
        } else {
          if (size === 32) emit({ op: 'alu_ri', aop: 'and', size, dst: g, imm: 0x7fff_ffff });
          else emit({ op: 'alu_rr', aop: 'and', size, dst: g, src: this.imm64((1n << 63n) - 1n) });
          if (op === 'copysign') {
            const h = this.gpr();
            emit({ op: 'mov_from_xmm', size, dst: h, src: this.reg(A[1]!) });
            if (size === 32) emit({ op: 'alu_ri', aop: 'and', size, dst: h, imm: 0x8000_0000 });
            else emit({ op: 'alu_rr', aop: 'and', size, dst: h, src: this.imm64(sign as bigint) });
            emit({ op: 'alu_rr', aop: 'or', size, dst: g, src: h });
          }
        }
        emit({ op: 'mov_to_xmm', size, dst: this.def(res), src: g });
        return;
      }
      case 'min':
      case 'max':
        return this.minMax(ty, op, A, res);
      case 'eq':
      case 'ne': {
        const a = this.reg(A[0]!);
        const b = this.reg(A[1]!);
        emit({ op: 'sse', sop: ty === 'f32' ? 'ucomiss' : 'ucomisd', dst: a, src: b });
        const r = this.def(res);
        const t = this.gpr();
        this.setBool(r, op === 'eq' ? CC.E : CC.NE);
        this.setBool(t, op === 'eq' ? CC.NP : CC.P);
        emit({ op: 'alu_rr', aop: op === 'eq' ? 'and' : 'or', size: 32, dst: r, src: t });
        return;
      }
      case 'lt':
      case 'gt':
      case 'le':
      case 'ge': {
        const cc = this.compare(`${ty}.${op}`, A);
        this.setBool(this.def(res), cc);
        return;
      }
      case 'convert_i32_s':
        emit({ op: 'cvt_i2f', ty, size: 32, dst: this.def(res), src: this.reg(A[0]!) });
        return;
      case 'convert_i32_u':
      case 'convert_i64_s':
        emit({ op: 'cvt_i2f', ty, size: 64, dst: this.def(res), src: this.reg(A[0]!) });
        return;
      case 'convert_i64_u':
        return this.convertU64(ty, A[0]!, res);
      case 'demote_f64':
        emit({ op: 'sse', sop: 'cvtsd2ss', dst: this.def(res), src: this.reg(A[0]!) });
        return;
      case 'promote_f32':
        emit({ op: 'sse', sop: 'cvtss2sd', dst: this.def(res), src: this.reg(A[0]!) });
        return;
      case 'reinterpret_i32':
      case 'reinterpret_i64':
        emit({ op: 'mov_to_xmm', size, dst: this.def(res), src: this.reg(A[0]!) });
        return;
    }
    this.fail(`unsupported IR op ${ty}.${op}`);
  }

  /**
   * Wasm min/max: NaN if either operand is NaN (a + b propagates it, quieted), and
   * -0 < +0 (for equal operands, OR the bits for min, AND them for max). minss/maxss
   * alone return the second operand in both cases, which is wrong.
   */
  private minMax(ty: 'f32' | 'f64', op: 'min' | 'max', A: Value[], res: Value): void {
    const s = ty === 'f32' ? 'ss' : 'sd';
    const a = this.reg(A[0]!);
    const b = this.reg(A[1]!);
    const r = this.def(res);
    this.emit({ op: 'sse', sop: ty === 'f32' ? 'ucomiss' : 'ucomisd', dst: a, src: b });
    const nanB = this.split();
    const ordB = this.split();
    const neB = this.split();
    const eqB = this.split();
    const join = this.split();
    this.emit({ op: 'jcc', cc: CC.P, taken: nanB, notTaken: ordB });
    this.cur = ordB;
    this.emit({ op: 'jcc', cc: CC.NE, taken: neB, notTaken: eqB });
    this.cur = nanB;
    this.emit({ op: 'xmov', xop: 'movaps', dst: r, src: a });
    this.emit({ op: 'sse', sop: `add${s}` as SseOp, dst: r, src: b });
    this.emit({ op: 'jmp', target: join });
    this.cur = neB;
    this.emit({ op: 'xmov', xop: 'movaps', dst: r, src: a });
    this.emit({ op: 'sse', sop: `${op}${s}` as SseOp, dst: r, src: b });
    this.emit({ op: 'jmp', target: join });
    this.cur = eqB;
    this.emit({ op: 'xmov', xop: 'movaps', dst: r, src: a });
    this.emit({ op: 'sse', sop: op === 'min' ? 'orps' : 'andps', dst: r, src: b });
    this.emit({ op: 'jmp', target: join });
    this.cur = join;
  }

  /** u64 → float: negative (as signed) inputs are halved with the low bit kept sticky, converted, doubled. */
  private convertU64(ty: 'f32' | 'f64', x: Value, res: Value): void {
    const s = ty === 'f32' ? 'ss' : 'sd';
    const xr = this.reg(x);
    const r = this.def(res);
    this.emit({ op: 'alu_rr', aop: 'test', size: 64, dst: xr, src: xr });
    const big = this.split();
    const small = this.split();
    const join = this.split();
    this.emit({ op: 'jcc', cc: CC.S, taken: big, notTaken: small });
    this.cur = small;
    this.emit({ op: 'cvt_i2f', ty, size: 64, dst: r, src: xr });
    this.emit({ op: 'jmp', target: join });
    this.cur = big;
    const t = this.copy(GPR, xr);
    this.emit({ op: 'shift_ri', sop: 'shr', size: 64, dst: t, imm: 1 });
    const u = this.copy(GPR, xr);
    this.emit({ op: 'alu_ri', aop: 'and', size: 64, dst: u, imm: 1 });
    this.emit({ op: 'alu_rr', aop: 'or', size: 64, dst: t, src: u });
    this.emit({ op: 'cvt_i2f', ty, size: 64, dst: r, src: t });
    this.emit({ op: 'sse', sop: `add${s}` as SseOp, dst: r, src: r });
    this.emit({ op: 'jmp', target: join });
    this.cur = join;
  }
}

/**
 * The array-call trampoline of one signature:
 *   void tramp(void *code, kiln_vmctx *vmctx, const uint64_t *args, uint64_t *results)
 * loads each argument from its 8-byte slot, calls `code(vmctx, args...)` and stores each
 * result into its slot.
 */
export function selectTrampoline(sig: FuncType, name: string): Selected {
  const b = new Builder();
  b.cur = b.newBlock();
  const code = b.copy(GPR, RDI);
  const vm = b.copy(GPR, RSI);
  const argp = b.copy(GPR, RDX);
  const resp = b.copy(GPR, RCX);
  let slot = 0;
  const args = sig.params.map((t) => {
    if (t === 'v128') throw new SelectError('SIMD is not yet supported by the x86-64 backend');
    const r = b.vreg(clsOf(t));
    b.loadTyped(t, r, { kind: 'addr', base: argp, disp: 8 * slot++ });
    return { reg: r, ty: t };
  });
  const outs = b.call({ kind: 'reg', reg: code }, [{ reg: vm, ty: 'i64' }, ...args], sig.results);
  slot = 0;
  sig.results.forEach((t, k) => {
    if (t === 'v128') throw new SelectError('SIMD is not yet supported by the x86-64 backend');
    if (t === 'i32') b.emit({ op: 'store', width: 64, src: outs[k]!, mem: { kind: 'addr', base: resp, disp: 8 * slot++ } });
    else b.storeTyped(t, outs[k]!, { kind: 'addr', base: resp, disp: 8 * slot++ });
  });
  b.emit({ op: 'ret', rets: [] });
  return b.finish(name, false);
}
