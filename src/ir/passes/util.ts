/** Small CFG utilities shared by passes. */
import { reachableBlocks } from '../dom.js';
import type { Block, Func, Inst } from '../func.js';
import { Op } from '../opcodes.js';
import type { TrapCode } from '../traps.js';

/** Remove every block not reachable from the entry. Returns whether any was removed. */
export function removeUnreachableBlocks(f: Func): boolean {
  const reachable = reachableBlocks(f);
  const dead = f.layout.filter((b) => !reachable[b]);
  f.removeBlocks(dead);
  return dead.length > 0;
}

/**
 * Replace instruction `i` and everything after it in its block with `trap code`.
 * Successors may become unreachable: call removeUnreachableBlocks afterwards (values
 * defined after `i` can only be used in blocks that `i`'s block dominates).
 */
export function truncateWithTrap(f: Func, i: Inst, code: TrapCode): void {
  const b: Block = f.inst(i).block;
  const insts = f.block(b).insts;
  f.removeInsts(insts.slice(insts.indexOf(i)));
  f.addInst(b, Op.trap, [], [code]);
}
