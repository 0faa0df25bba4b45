/**
 * x86-64 function emission: an allocated MFunc → machine code in a CodeBuffer, with the
 * frame around it.
 *
 * Frame (rbp-based, rsp fixed inside the body):
 *
 *      [rbp + 16 ...]   incoming stack arguments / extra results (abi.ts)
 *      [rbp + 8]        return address
 *      [rbp]            saved rbp
 *      [rbp - 8*k]      callee-saved registers the allocator used (pushed in order)
 *      ... padding to 16 ...
 *      [rsp + out ...]  spill slots (AllocResult.slotOffset)
 *      [rsp ...]        outgoing stack arguments / results (isel's outgoingBytes)
 *
 * Prologue: the stack-limit check comes first, while vmctx is still in rdi:
 *      cmp rsp, [rdi + stack_limit]      (frames > STACK_FRAME_UNCHECKED: lea r11, [rsp - size] first)
 *      jae ok; ud2                       (trap site: call stack exhausted)
 * then push rbp; mov rbp, rsp; push callee-saved; sub rsp, frame.
 * Epilogue before every `ret`: lea rsp, [rbp - 8k]; pop callee-saved; pop rbp.
 */

import { CodeBuffer, type FinishedCode, type Label } from '../codebuf.js';
import type { FunctionStats, TargetBackend } from '../compile.js';
import { CompileError } from '../compile.js';
import { allocateRegisters } from '../regalloc/index.js';
import { selectFunction, selectTrampoline, type Selected } from './isel.js';
import { moduleUsesSimd } from '../isel-common.js';
import type { MFunc, Reg } from '../minst.js';
import type { AllocResult } from '../regalloc/index.js';
import { STACK_FRAME_UNCHECKED, VMCTX } from '../vmctx.js';
import { TrapCode } from '../../ir/traps.js';
import { encodeInst, NOPS, type EncodeContext } from './encode.js';
import { Cond, X64_ISA, type X64Inst } from './inst.js';
import { RBP, RDI, RSP, SCRATCH_GPR } from './regs.js';

export interface FrameInput {
  outgoingBytes: number;
  stackCheck: boolean;
}

export interface FrameLayout {
  saved: Reg[];
  /** Bytes subtracted from rsp after the pushes. */
  frameBytes: number;
  spillBase: number;
}

export function layoutFrame(mf: MFunc<X64Inst>, alloc: AllocResult, input: FrameInput): FrameLayout {
  const saved = mf.usedCalleeSaved.filter((r) => r !== RBP && r !== RSP);
  const body = input.outgoingBytes + alloc.spillAreaSize;
  // After push rbp, rsp is 16-aligned; each push moves it by 8.
  let frameBytes = body;
  if ((saved.length * 8 + frameBytes) % 16 !== 0) frameBytes += 8;
  return { saved, frameBytes, spillBase: input.outgoingBytes };
}

/** Appends the function (prologue, blocks in order, epilogues) to `buf`. Returns its start offset. */
export function emitFunction(mf: MFunc<X64Inst>, alloc: AllocResult, input: FrameInput, buf: CodeBuffer): number {
  const frame = layoutFrame(mf, alloc, input);
  const start = buf.offset;
  const labels: Label[] = mf.blocks.map(() => buf.newLabel());
  // A block that is only a jump (an edge block whose moves all went away) is jumped over:
  // branches to it go straight to where it leads.
  const through = (b: number): number => {
    for (let k = 0; k < mf.blocks.length; k++) {
      const insts = mf.blocks[b]!.insts;
      if (insts.length !== 1 || insts[0]!.op !== 'jmp' || insts[0]!.target === b) return b;
      b = insts[0]!.target;
    }
    return b;
  };
  const base: EncodeContext = {
    blockLabel: (b) => labels[through(b)]!,
    slot: (i) => ({ base: RSP, disp: frame.spillBase + alloc.slotOffset[i]! }),
  };
  const enc = (i: X64Inst, ctx: EncodeContext = base): void => encodeInst(i, buf, ctx);

  if (input.stackCheck) {
    const total = 8 + frame.saved.length * 8 + frame.frameBytes;
    const limit = { kind: 'addr' as const, base: RDI, disp: VMCTX.stackLimit };
    if (total > STACK_FRAME_UNCHECKED) {
      enc({ op: 'lea', size: 64, dst: SCRATCH_GPR, mem: { kind: 'addr', base: RSP, disp: -total } });
      enc({ op: 'alu_rm', aop: 'cmp', size: 64, dst: SCRATCH_GPR, mem: limit });
    } else {
      enc({ op: 'alu_rm', aop: 'cmp', size: 64, dst: RSP, mem: limit });
    }
    enc({ op: 'trap_if', cc: Cond.B, code: TrapCode.CallStackExhausted });
  }
  enc({ op: 'push', src: RBP });
  enc({ op: 'mov_rr', size: 64, dst: RBP, src: RSP });
  for (const r of frame.saved) enc({ op: 'push', src: r });
  if (frame.frameBytes > 0) enc({ op: 'sp_adjust', delta: -frame.frameBytes });

  mf.blocks.forEach((b, bi) => {
    if (b.preds.some((p) => p >= bi)) padToLoopAlignment(buf);
    buf.bindLabel(labels[bi]!);
    // One context per block (not per instruction): jumps to the next block are dropped.
    const ctx: EncodeContext = bi + 1 < mf.blocks.length ? { ...base, nextBlock: bi + 1 } : base;
    for (const inst of b.insts) {
      if (inst.op === 'ret') {
        if (frame.saved.length > 0) enc({ op: 'lea', size: 64, dst: RSP, mem: { kind: 'addr', base: RBP, disp: -8 * frame.saved.length } });
        else if (frame.frameBytes > 0) enc({ op: 'mov_rr', size: 64, dst: RSP, src: RBP });
        for (let k = frame.saved.length - 1; k >= 0; k--) enc({ op: 'pop', dst: frame.saved[k]! });
        enc({ op: 'pop', dst: RBP });
      }
      enc(inst, ctx);
    }
  });
  return start;
}

/** Bytes a loop header (the target of a backward edge in layout order) is aligned to. */
export const LOOP_ALIGN = 16;

/**
 * Pads with as few NOPs as possible up to the next LOOP_ALIGN boundary (function code is
 * placed 16-aligned, so buffer offsets align like addresses). Executed at most once per
 * entry into the loop, when the block before falls through.
 */
export function padToLoopAlignment(buf: CodeBuffer): void {
  let n = (LOOP_ALIGN - (buf.offset % LOOP_ALIGN)) % LOOP_ALIGN;
  while (n > 0) {
    const k = Math.min(n, NOPS.length - 1);
    buf.emitBytes(NOPS[k]!);
    n -= k;
  }
}

// ───────────────────────────── the x86-64 entry of the driver's target table ─────────────────────────────

function compileSelected(sel: Selected, checkAlloc: boolean | undefined): { code: FinishedCode; stats: FunctionStats } {
  const alloc = allocateRegisters(sel.mfunc, X64_ISA, { check: checkAlloc });
  const buf = new CodeBuffer();
  emitFunction(sel.mfunc, alloc, sel, buf);
  return { code: buf.finish(), stats: { spills: alloc.stats.spills, reloads: alloc.stats.reloads } };
}

export const X64_BACKEND: TargetBackend = {
  target: 'x86_64',
  machine: 'x86_64',
  padByte: 0xcc,
  explicitBounds: true,
  checkModule(m) {
    if (moduleUsesSimd(m)) throw new CompileError('SIMD is not yet supported by the x86-64 backend');
  },
  compileFunction(m, funcIndex, f, symbolOf, opts) {
    return compileSelected(selectFunction(m, funcIndex, f, { symbolOf, explicitBounds: opts.bounds === 'explicit' }), opts.checkAlloc);
  },
  compileTrampoline(sig, symbol) {
    return compileSelected(selectTrampoline(sig, symbol), false).code;
  },
};
