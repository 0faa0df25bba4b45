/**
 * Control-flow graph and dominator tree.
 *
 * Dominators use Cooper, Harvey & Kennedy's "A Simple, Fast Dominance Algorithm":
 * iterate idom(b) = intersect(processed preds) in reverse postorder until stable.
 * For the small CFGs of Wasm functions it beats Lengauer-Tarjan in practice and is a
 * few lines. A pre/post numbering of the tree then answers `dominates` in O(1).
 */
import type { Block, Func } from './func.js';

export interface CFG {
  /** Successors per block id (edge order; duplicates kept). Empty for dead blocks. */
  readonly succs: readonly (readonly Block[])[];
  /** Predecessors per block id, one entry per edge. */
  readonly preds: readonly (readonly Block[])[];
}

export function computeCFG(f: Func): CFG {
  const succs: Block[][] = f.blocks.map(() => []);
  const preds: Block[][] = f.blocks.map(() => []);
  for (const b of f.layout) {
    const t = f.terminator(b);
    if (t === undefined) continue;
    for (const c of f.insts[t]!.targets) {
      succs[b]!.push(c.block);
      preds[c.block]?.push(b);
    }
  }
  return { succs, preds };
}

export class DomTree {
  /** Reachable blocks in reverse postorder (entry first). */
  readonly rpo: readonly Block[];
  /** Position in `rpo`, or -1 for unreachable blocks. */
  readonly rpoIndex: Int32Array;
  /** Immediate dominator; -1 for the entry and for unreachable blocks. */
  readonly idom: Int32Array;
  /** Dominator-tree children, in reverse postorder. */
  readonly children: readonly (readonly Block[])[];
  readonly cfg: CFG;
  private readonly pre: Int32Array;
  private readonly post: Int32Array;

  constructor(f: Func, cfg: CFG = computeCFG(f)) {
    this.cfg = cfg;
    const n = f.blocks.length;
    const entry = f.entry;

    // Reverse postorder by iterative DFS.
    const rpoIndex = new Int32Array(n).fill(-1);
    const visited = new Uint8Array(n);
    const postorder: Block[] = [];
    const stack: [Block, number][] = [[entry, 0]];
    visited[entry] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = cfg.succs[top[0]]!;
      if (top[1] < succ.length) {
        const s = succ[top[1]++]!;
        if (!visited[s]) {
          visited[s] = 1;
          stack.push([s, 0]);
        }
      } else {
        postorder.push(top[0]);
        stack.pop();
      }
    }
    const rpo = postorder.reverse();
    rpo.forEach((b, i) => (rpoIndex[b] = i));

    // Cooper-Harvey-Kennedy.
    const idom = new Int32Array(n).fill(-1);
    idom[entry] = entry;
    const intersect = (a: number, b: number): number => {
      while (a !== b) {
        while (rpoIndex[a]! > rpoIndex[b]!) a = idom[a]!;
        while (rpoIndex[b]! > rpoIndex[a]!) b = idom[b]!;
      }
      return a;
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (let k = 1; k < rpo.length; k++) {
        const b = rpo[k]!;
        let d = -1;
        for (const p of cfg.preds[b]!) {
          if (idom[p] === -1) continue; // unreachable or not yet processed
          d = d === -1 ? p : intersect(p, d);
        }
        if (d !== -1 && idom[b] !== d) {
          idom[b] = d;
          changed = true;
        }
      }
    }
    idom[entry] = -1;

    const children: Block[][] = Array.from({ length: n }, () => []);
    for (const b of rpo) if (idom[b]! >= 0) children[idom[b]!]!.push(b);

    // Pre/post numbers of the dominator tree, for O(1) dominance queries.
    const pre = new Int32Array(n).fill(-1);
    const post = new Int32Array(n).fill(-1);
    let clock = 0;
    const walk: [Block, number][] = [[entry, 0]];
    pre[entry] = clock++;
    while (walk.length > 0) {
      const top = walk[walk.length - 1]!;
      const kids = children[top[0]]!;
      if (top[1] < kids.length) {
        const c = kids[top[1]++]!;
        pre[c] = clock++;
        walk.push([c, 0]);
      } else {
        post[top[0]] = clock++;
        walk.pop();
      }
    }

    this.rpo = rpo;
    this.rpoIndex = rpoIndex;
    this.idom = idom;
    this.children = children;
    this.pre = pre;
    this.post = post;
  }

  isReachable(b: Block): boolean {
    return (this.rpoIndex[b] ?? -1) >= 0;
  }

  /** Does `a` dominate `b` (reflexive)? False if either is unreachable. */
  dominates(a: Block, b: Block): boolean {
    if (!this.isReachable(a) || !this.isReachable(b)) return false;
    return this.pre[a]! <= this.pre[b]! && this.post[b]! <= this.post[a]!;
  }

  strictlyDominates(a: Block, b: Block): boolean {
    return a !== b && this.dominates(a, b);
  }

  /** Immediate dominator of `b`, or undefined for the entry and unreachable blocks. */
  idomOf(b: Block): Block | undefined {
    const d = this.idom[b] ?? -1;
    return d >= 0 ? d : undefined;
  }

  /** Reachable blocks in dominator-tree preorder (every block after its dominators). */
  preorder(): Block[] {
    const out: Block[] = [];
    const entry = this.rpo[0];
    if (entry === undefined) return out;
    const stack: Block[] = [entry];
    while (stack.length > 0) {
      const b = stack.pop()!;
      out.push(b);
      const kids = this.children[b]!;
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]!);
    }
    return out;
  }
}

/** Blocks reachable from the entry (a cheaper question than dominance). */
export function reachableBlocks(f: Func): Uint8Array {
  const seen = new Uint8Array(f.blocks.length);
  const stack = [f.entry];
  seen[f.entry] = 1;
  while (stack.length > 0) {
    const t = f.terminator(stack.pop()!);
    if (t === undefined) continue;
    for (const c of f.insts[t]!.targets) {
      if (!seen[c.block]) {
        seen[c.block] = 1;
        stack.push(c.block);
      }
    }
  }
  return seen;
}

export function computeDominators(f: Func, cfg?: CFG): DomTree {
  return new DomTree(f, cfg);
}
