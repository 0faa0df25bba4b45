/**
 * simplify-cfg: clean up control flow, to a fixed point.
 *
 * 1. br_if / br_table whose edges all go to the same block with the same arguments → br.
 * 2. Remove blocks unreachable from the entry.
 * 3. Block parameters: drop those never used; replace those that receive the same
 *    value on every incoming edge (ignoring edges passing the parameter to itself) by
 *    that value. Either way the matching branch arguments go too.
 * 4. Thread empty jumps: a block whose only instruction is `br C(args)` is bypassed;
 *    its predecessors branch to C directly, with the arguments rewritten. Only when
 *    the block's params are used nowhere but in that `br`: bypassing the block leaves
 *    it unreachable, and its params, which may be used in any block it dominates
 *    (put there by the translator or by step 3's substitution), die with it.
 * 5. Merge straight-line blocks: A ends in `br B(args)` and B has no other
 *    predecessor → B's params become args and B's instructions move into A.
 *
 * Why 3 and 4 keep SSA valid: a value that is not a parameter of block B and is used in
 * B's branch dominates B, hence every predecessor of B; a value reaching B on every
 * entering edge dominates B by the same argument. B's own params are defined only
 * while B is reachable, so 4 requires that nothing outside B uses them.
 */
import { computeCFG } from '../dom.js';
import type { Block, BlockCall, Func, Value } from '../func.js';
import { Op } from '../opcodes.js';
import type { Pass } from './pass.js';
import { removeUnreachableBlocks } from './util.js';

const sameCall = (a: BlockCall, b: BlockCall): boolean =>
  a.block === b.block && a.args.length === b.args.length && a.args.every((v, k) => v === b.args[k]);

/** Step 1. */
function simplifyBranches(f: Func): boolean {
  let changed = false;
  for (const b of f.layout) {
    const t = f.terminator(b);
    if (t === undefined) continue;
    const d = f.inst(t);
    if ((d.op === Op.br_if || d.op === Op.br_table) && d.targets.every((c) => sameCall(c, d.targets[0]!))) {
      f.rewriteInst(t, Op.br, [], [], [d.targets[0]!]);
      changed = true;
    }
  }
  return changed;
}

/**
 * Step 3, to its own fixed point: the analysis runs on counts and a substitution
 * table, sweeping the blocks with params until nothing changes (a param replaced or
 * dropped can make another param unused or single-valued: chains through loop nests
 * resolve here instead of one level per round), then rewrites the function once.
 */
function simplifyParams(f: Func): boolean {
  const entry = f.entry;
  const candidates = f.layout.filter((b) => b !== entry && f.block(b).params.length > 0);
  if (candidates.length === 0) return false;
  // One walk: use counts of every value, and the calls (edges) into blocks with params.
  const uses = new Int32Array(f.values.length);
  const incoming: (BlockCall[] | undefined)[] = new Array<BlockCall[] | undefined>(f.blocks.length);
  for (const b of f.layout) {
    for (const i of f.block(b).insts) {
      const d = f.insts[i]!;
      for (const v of d.args) uses[v]!++;
      for (const c of d.targets) {
        for (const v of c.args) uses[v]!++;
        if (c.args.length === 0) continue;
        const list = incoming[c.block];
        if (list === undefined) incoming[c.block] = [c];
        else list.push(c);
      }
    }
  }
  const subst = new Int32Array(f.values.length).fill(-1);
  const resolve = (v: Value): Value => {
    while (subst[v]! >= 0) v = subst[v]!;
    return v;
  };
  const dropped = new Uint8Array(f.values.length);
  let any = false;
  for (let again = true; again; ) {
    again = false;
    for (const b of candidates) {
      const params = f.block(b).params;
      const calls = incoming[b] ?? [];
      for (let k = 0; k < params.length; k++) {
        const param = params[k]!;
        if (dropped[param]) continue;
        if (uses[param] !== 0) {
          let unique = -1;
          let several = false;
          for (const c of calls) {
            const v = resolve(c.args[k]!);
            if (v === param || v === unique) continue;
            if (unique >= 0) {
              several = true; // two different values come in
              break;
            }
            unique = v;
          }
          if (several || unique < 0) continue;
          subst[param] = unique;
          uses[unique]! += uses[param]!;
        }
        // The param goes, and with it one use of each of its arguments.
        dropped[param] = 1;
        for (const c of calls) uses[resolve(c.args[k]!)]!--;
        any = again = true;
      }
    }
  }
  if (!any) return false;
  for (const b of f.layout) for (const i of f.block(b).insts) f.substituteUses(i, subst);
  const dead = new Map<Block, number[]>();
  for (const b of candidates) {
    const drop: number[] = [];
    f.block(b).params.forEach((p, k) => dropped[p] && drop.push(k));
    if (drop.length > 0) dead.set(b, drop);
  }
  f.removeBlockParams(dead);
  return true;
}

/**
 * Block params used by an instruction of another block, indexed by value. Stays exact
 * enough while threadJumps rewrites branches: a rewritten call only receives values
 * already used in the same terminator or in the bypassed block's `br`, where any
 * foreign param is already marked.
 */
function paramsUsedElsewhere(f: Func): Uint8Array {
  const marked = new Uint8Array(f.values.length);
  const mark = (v: Value, b: Block): void => {
    const d = f.values[v]!;
    if (d.kind === 'param' && d.owner !== b) marked[v] = 1;
  };
  for (const b of f.layout) {
    for (const i of f.block(b).insts) {
      const d = f.inst(i);
      for (const v of d.args) mark(v, b);
      for (const c of d.targets) for (const v of c.args) mark(v, b);
    }
  }
  return marked;
}

/** A block threadJumps may bypass: not the entry, only `br` to another block. */
function isJumpBlock(f: Func, b: Block, entry: Block): boolean {
  if (b === entry) return false;
  const insts = f.block(b).insts;
  if (insts.length !== 1) return false;
  const br = f.insts[insts[0]!]!;
  return br.op === Op.br && br.targets[0]!.block !== b;
}

/** Step 4. */
function threadJumps(f: Func): boolean {
  const entry = f.entry;
  // Rewriting only ever turns jump blocks into non-jump blocks (a `br` retargeted to
  // itself), so the blocks found here are all the sweep can bypass.
  const jumps: Block[] = [];
  let needParams = false;
  for (const b of f.layout) {
    if (!isJumpBlock(f, b, entry)) continue;
    jumps.push(b);
    if (f.block(b).params.length > 0) needParams = true;
  }
  if (jumps.length === 0) return false;
  let changed = false;
  const cfg = computeCFG(f);
  const preds = cfg.preds as Block[][];
  const usedElsewhere = needParams ? paramsUsedElsewhere(f) : undefined;
  for (const b of jumps) {
    if (!isJumpBlock(f, b, entry)) continue;
    const bd = f.block(b);
    const dest = f.insts[bd.insts[0]!]!.targets[0]!;
    // The block stays: something it dominates reads its params.
    if (usedElsewhere !== undefined && bd.params.some((p) => usedElsewhere[p] === 1)) continue;
    const moved: Block[] = [];
    for (const p of new Set(preds[b])) {
      if (p === b) continue;
      for (const c of f.insts[f.terminator(p)!]!.targets) {
        if (c.block !== b) continue;
        const incoming = c.args;
        c.block = dest.block;
        c.args = bd.params.length === 0 ? dest.args.slice() : dest.args.map((v) => {
          const k = bd.params.indexOf(v);
          return k >= 0 ? incoming[k]! : v;
        });
        moved.push(p);
        changed = true;
      }
    }
    // Keep the predecessor lists current for later blocks in this sweep.
    preds[b] = preds[b]!.filter((p) => p === b);
    preds[dest.block]!.push(...moved);
  }
  return changed;
}

/** Step 5. */
function mergeBlocks(f: Func): boolean {
  const entry = f.entry;
  const cfg = computeCFG(f);
  const subst = new Map<Value, Value>();
  const merged: Block[] = [];
  const isMerged = new Set<Block>();
  for (const a of f.layout) {
    if (isMerged.has(a)) continue;
    for (;;) {
      const ad = f.block(a);
      const t = ad.insts[ad.insts.length - 1]!;
      const d = f.inst(t);
      if (d.op !== Op.br) break;
      const { block: b, args } = d.targets[0]!;
      if (b === a || b === entry || cfg.preds[b]!.length !== 1) break;
      const bd = f.block(b);
      bd.params.forEach((p, k) => subst.set(p, args[k]!));
      // Drop a's br (the last instruction) and move b's instructions over.
      ad.insts.pop();
      f.inst(t).block = -1;
      for (const i of bd.insts) f.inst(i).block = a;
      ad.insts.push(...bd.insts);
      bd.insts = [];
      merged.push(b);
      isMerged.add(b);
      // b's successors now have a as predecessor.
      for (const s of cfg.succs[b]!) {
        const ps = cfg.preds[s] as Block[];
        for (let k = 0; k < ps.length; k++) if (ps[k] === b) ps[k] = a;
      }
      (cfg.succs as Block[][])[a] = [...cfg.succs[b]!];
    }
  }
  if (merged.length === 0) return false;
  f.replaceUses(subst);
  f.removeBlocks(merged); // kills b's params (now substituted) and nothing else: b is empty
  return true;
}

export const simplifyCfg: Pass = {
  name: 'simplify-cfg',
  description: 'fold trivial branches, drop unreachable blocks and unused/redundant block params, thread jumps, merge blocks',
  needs: [],
  preserves: [],
  run(f: Func): boolean {
    let changed = false;
    for (let round = 0; round < 100; round++) {
      let step = simplifyBranches(f); // same reachability: all edges went to one block
      // Only the input and jump threading leave blocks unreachable.
      if (round === 0) step = removeUnreachableBlocks(f) || step;
      step = simplifyParams(f) || step;
      if (threadJumps(f)) step = removeUnreachableBlocks(f) || true;
      step = mergeBlocks(f) || step;
      if (!step) break;
      changed = true;
    }
    return changed;
  },
};
