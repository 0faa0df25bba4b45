/**
 * AArch64 function emission: an allocated MFunc → machine code in a CodeBuffer, with the
 * frame around it (abi.ts layoutFrame / prologue / epilogue).
 *
 *   prologue      stack check (sp - frameSize < vmctx.stack_limit → trap stub), while x0 is
 *                 still vmctx; stp x29, x30, [sp, #-16]!; mov x29, sp; sub sp; callee saves
 *   blocks        in layout order, each bound to its label; a jump to the next block is
 *                 dropped and a two-way branch falls through when it can (EncodeCtx.nextBlock);
 *                 every `ret` is preceded by the epilogue
 *   trap stubs    one `udf #code` per trap code the function branches to (isel's
 *                 Selected.trapStubs, plus `call stack exhausted` for the prologue), each a
 *                 trap site the runtime's SIGILL handler maps to its message
 *
 * Spill slots resolve to [sp, #spillBase + slotOffset]: sp never moves inside the body.
 */

import { CodeBuffer, type FinishedCode, type Label } from '../codebuf.js';
import type { FunctionStats, TargetBackend } from '../compile.js';
import { CompileError } from '../compile.js';
import { allocateRegisters, type AllocResult } from '../regalloc/index.js';
import { TrapCode } from '../../ir/traps.js';
import { VMCTX } from '../vmctx.js';
import { epilogue, layoutFrame, prologue, type FrameLayout } from './abi.js';
import { encodeInst, type EncodeCtx } from './encode.js';
import { A64_ISA, type A64Inst } from './inst.js';
import { selectFunction, selectTrampoline, SIMD_UNSUPPORTED, type Selected } from './isel.js';
import { moduleUsesSimd } from '../isel-common.js';

/** Appends the function (prologue, blocks in order, epilogues, trap stubs) to `buf`. Returns its frame. */
export function emitFunction(sel: Selected, alloc: AllocResult, buf: CodeBuffer): FrameLayout {
  const mf = sel.mfunc;
  const frame = layoutFrame({ usedCalleeSaved: mf.usedCalleeSaved, spillAreaSize: alloc.spillAreaSize, outgoingBytes: sel.outgoingBytes });
  const labels: Label[] = mf.blocks.map(() => buf.newLabel());
  const stubCodes = [...sel.trapStubs];
  let stackStub = -1;
  if (sel.stackCheck) {
    stackStub = stubCodes.indexOf(TrapCode.CallStackExhausted);
    if (stackStub < 0) stackStub = stubCodes.push(TrapCode.CallStackExhausted) - 1;
  }
  const stubs: Label[] = stubCodes.map(() => buf.newLabel());
  const base: EncodeCtx = {
    blockLabel: (b) => labels[b]!,
    slotOffset: (s) => frame.spillBase + alloc.slotOffset[s]!,
  };
  const enc = (i: A64Inst, ctx: EncodeCtx = base): void => encodeInst(i, buf, ctx);

  for (const i of prologue(frame, sel.stackCheck ? { limitOffset: VMCTX.stackLimit, trap: stubs[stackStub]! } : undefined)) enc(i);
  mf.blocks.forEach((b, bi) => {
    buf.bindLabel(labels[bi]!);
    const ctx: EncodeCtx = bi + 1 < mf.blocks.length ? { ...base, nextBlock: bi + 1 } : base;
    for (const inst of b.insts) {
      if (inst.op === 'ret') for (const e of epilogue(frame)) enc(e);
      // isel's out-of-line branches name trap stubs by index; give them their labels.
      if (inst.op === 'bif') enc({ ...inst, label: stubs[inst.label]! }, ctx);
      else enc(inst, ctx);
    }
  });
  stubCodes.forEach((code, k) => {
    buf.bindLabel(stubs[k]!);
    enc({ op: 'udf', imm: code, trap: code });
  });
  return frame;
}

// ───────────────────────────── the AArch64 entry of the driver's target table ─────────────────────────────

function compileSelected(sel: Selected, checkAlloc: boolean | undefined): { code: FinishedCode; stats: FunctionStats } {
  const alloc = allocateRegisters(sel.mfunc, A64_ISA, { check: checkAlloc });
  const buf = new CodeBuffer();
  emitFunction(sel, alloc, buf);
  return { code: buf.finish(), stats: { spills: alloc.stats.spills, reloads: alloc.stats.reloads } };
}

export const A64_BACKEND: TargetBackend = {
  target: 'aarch64',
  machine: 'aarch64',
  padByte: 0,
  explicitBounds: true,
  checkModule(m) {
    if (moduleUsesSimd(m)) throw new CompileError(SIMD_UNSUPPORTED);
  },
  compileFunction(m, funcIndex, f, symbolOf, opts) {
    return compileSelected(selectFunction(m, funcIndex, f, { symbolOf, explicitBounds: opts.bounds === 'explicit' }), opts.checkAlloc);
  },
  compileTrampoline(sig, symbol) {
    return compileSelected(selectTrampoline(sig, symbol), false).code;
  },
};
