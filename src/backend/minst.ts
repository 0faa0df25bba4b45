/**
 * The machine layer's contract: what every target's instructions expose so that the
 * register allocator, the allocation checker and the code buffer stay ISA-agnostic.
 *
 *   ir.Func ─ <target>/isel ─▶ MFunc<I> (virtual regs) ─ regalloc ─▶ MFunc<I> (physical regs)
 *           ─ <target>/emit ─▶ CodeBuffer (bytes, fixups, trap sites) ─ elf ─▶ .o
 *
 * A target provides `TargetISA<I>` for its own instruction type `I` (declared in its
 * `inst.ts`) and a `RegisterFile` (its `regs.ts`). Registers are plain numbers:
 * physical registers are numbered by the target below VREG_BASE, virtual registers
 * are VREG_BASE + n. Virtual registers need not be in SSA form (block parameters are
 * lowered to moves on edges by isel), so the allocator works on live ranges.
 */

export type Reg = number;

/** First virtual register number; every number below is a target's physical register. */
export const VREG_BASE = 1024;

export function isVirtual(reg: Reg): boolean {
  return reg >= VREG_BASE;
}

/** 0: general-purpose integer registers; 1: float/vector registers (f32, f64 and v128 share them). */
export type RegClass = 0 | 1;
export const GPR: RegClass = 0;
export const FPR: RegClass = 1;

/** How an instruction touches a register operand. */
export const enum OpRole {
  /** Read at the start of the instruction. */
  Use = 0,
  /** Written at the end of the instruction (may share a register with a Use). */
  Def = 1,
  /** Read and then overwritten in place (x86 two-address forms). */
  UseDef = 2,
  /** Written before all uses are read: must not share a register with any Use of the instruction. */
  EarlyDef = 3,
}

export interface RegisterFile {
  /** Printable name of each physical register, indexed by its number. */
  readonly names: readonly string[];
  /** Class of each physical register, indexed by its number. */
  readonly classOf: readonly RegClass[];
  /** Registers the allocator may hand out, per class, in order of preference (caller-saved first). */
  readonly allocatable: readonly [readonly Reg[], readonly Reg[]];
  /** Registers a callee must preserve (the allocator reports which it used, the prologue saves them). */
  readonly calleeSaved: ReadonlySet<Reg>;
  /** Bytes a spill slot of each class occupies (FPR slots hold a whole v128). */
  readonly spillSlotSize: readonly [number, number];
}

/**
 * Visitor over an instruction's register operands. It returns the register to store
 * back into the operand, which is how the allocator rewrites virtual to physical
 * registers; returning `reg` unchanged leaves the operand as it was.
 * `fixed` names the physical register the operand must occupy at this instruction
 * (x86 shift counts in rcx, division in rax/rdx, call arguments and results).
 */
export type RegVisitor = (reg: Reg, role: OpRole, cls: RegClass, fixed: Reg | undefined) => Reg;

export interface MoveInfo {
  dst: Reg;
  src: Reg;
  cls: RegClass;
}

export interface TargetISA<I> {
  readonly name: 'x86_64' | 'aarch64';
  readonly regs: RegisterFile;
  /** Visit (and possibly rewrite) every register operand, in operand order. */
  mapRegs(inst: I, visit: RegVisitor): void;
  /** Physical registers destroyed by the instruction beyond its Def operands (a call clobbers the caller-saved set). */
  clobbers(inst: I): readonly Reg[];
  /** Block indices this instruction may transfer control to (empty for fall-through instructions). */
  branchTargets(inst: I): readonly number[];
  /** True for instructions that end a block (jumps, returns, traps, jump tables). */
  isTerminator(inst: I): boolean;
  /** A plain register-to-register copy, so the allocator can coalesce or drop it. */
  asMove(inst: I): MoveInfo | undefined;
  makeMove(cls: RegClass, dst: Reg, src: Reg): I;
  /** Store `src` to spill slot `slot` (the frame layout turns slots into stack addresses after allocation). */
  makeSpill(cls: RegClass, src: Reg, slot: number): I;
  /** Load spill slot `slot` into `dst`. */
  makeReload(cls: RegClass, dst: Reg, slot: number): I;
  /** Human-readable form, for listings (`--emit asm`) and test failures. */
  format(inst: I): string;

  // Edge splitting. Optional: the allocator needs both only when a critical edge (from
  // a block with several successors to one with several predecessors) must carry moves;
  // without them it throws on such an edge, so an ISA may leave them out if its isel
  // never produces critical edges.
  /** An unconditional jump to block `target` (the allocator ends each edge block it appends with one). */
  makeJump?(target: number): I;
  /**
   * Make every target of branch `inst` that is block `from` be block `to` instead, in
   * place; other targets are untouched. Afterwards `branchTargets(inst)` reports `to`
   * where it reported `from`.
   */
  retargetBranch?(inst: I, from: number, to: number): void;
}

/** A TargetISA that can split edges (both targets' isel and allocation rely on it). */
export type EdgeSplittingISA<I> = TargetISA<I> & Required<Pick<TargetISA<I>, 'makeJump' | 'retargetBranch'>>;

/**
 * A block ends with its terminator, or has none and falls through to the next block in
 * layout order (block index + 1, which must exist): its `succs` is then `[index + 1]`
 * and emission places nothing between the two. Emitters also drop a jump to the next
 * block, so isel may end every block with a terminator and lose nothing. Layout order
 * is therefore meaningful: the allocator never reorders blocks, places the moves of a
 * fall-through edge at the end of the block (it has one successor, so the edge is never
 * critical), and appends the edge blocks it creates after the last block.
 */
export interface MBlock<I> {
  insts: I[];
  /** Successor block indices, in the order of the terminator's targets (or `[index + 1]` for a fall-through). */
  succs: number[];
  preds: number[];
}

export interface MFunc<I> {
  name: string;
  /** Block 0 is the entry; block order is layout order (see MBlock on fall-through). */
  blocks: MBlock<I>[];
  /** Class of each virtual register, indexed by `vreg - VREG_BASE`. */
  vregClass: RegClass[];
  /**
   * Filled in by the allocator: the number of spill slots, one numbering shared by both
   * classes (slots 0 … spillSlots-1, the `slot` of makeSpill/makeReload). A slot's size
   * follows its class (`RegisterFile.spillSlotSize`), so slot numbers are not offsets:
   * the byte offset of each slot inside the spill area is the allocator's
   * `AllocResult.slotOffset[slot]`, and the area's size `AllocResult.spillAreaSize`
   * (a multiple of 16); the frame layout decides where the area starts.
   */
  spillSlots: number;
  /** Filled in by the allocator: the callee-saved registers it assigned, ascending (the prologue saves them). */
  usedCalleeSaved: Reg[];
}
