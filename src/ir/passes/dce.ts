/**
 * dce: dead code elimination, aggressive about block parameters.
 *
 * Liveness starts from instructions with a side effect (stores and other writes,
 * calls, checks, anything that may trap — loads included — and terminators' own
 * operands) and flows backwards through operands. A block parameter is live only if
 * something live uses it; a branch argument is live only if the parameter it feeds
 * is. So a loop counter that only feeds itself disappears, while a load whose result
 * is unused stays (it may trap), and so does every check.
 *
 * Removed: instructions with no side effect none of whose results is live; parameters
 * of non-entry blocks that are not live, with their branch arguments.
 */
import type { Block, BlockCall, Func, Value } from '../func.js';
import { hasSideEffect, OPS } from '../opcodes.js';
import type { Pass } from './pass.js';

const SIDE_EFFECT: Uint8Array = Uint8Array.from(OPS, (info) => (hasSideEffect(info) ? 1 : 0));

export const dce: Pass = {
  name: 'dce',
  description: 'remove unused pure instructions and dead block parameters (never a trapping op)',
  needs: [],
  preserves: ['dom'],
  run(f: Func): boolean {
    const live = new Uint8Array(f.values.length);
    const work: Value[] = [];
    const mark = (v: Value): void => {
      if (!live[v]) {
        live[v] = 1;
        work.push(v);
      }
    };
    // Edges into each block, to propagate liveness from a param to its arguments.
    const incoming: (BlockCall[] | undefined)[] = new Array<BlockCall[] | undefined>(f.blocks.length);
    const rooted = new Uint8Array(f.insts.length);
    for (const b of f.layout) {
      for (const i of f.block(b).insts) {
        const d = f.insts[i]!;
        for (const c of d.targets) {
          const list = incoming[c.block];
          if (list === undefined) incoming[c.block] = [c];
          else list.push(c);
        }
        if (SIDE_EFFECT[d.op] === 1) {
          rooted[i] = 1;
          for (const v of d.args) mark(v);
        }
      }
    }
    for (const p of f.block(f.entry).params) mark(p);

    while (work.length > 0) {
      const v = work.pop()!;
      const vd = f.values[v]!;
      if (vd.kind === 'result') {
        for (const a of f.insts[vd.owner]!.args) mark(a);
      } else if (vd.kind === 'param') {
        const calls = incoming[vd.owner];
        if (calls !== undefined) for (const c of calls) mark(c.args[vd.index]!);
      }
    }

    const deadInsts: number[] = [];
    const deadParams = new Map<Block, number[]>();
    for (const b of f.layout) {
      for (const i of f.block(b).insts) {
        if (rooted[i] !== 0) continue;
        const results = f.insts[i]!.results;
        let used = false;
        for (let k = 0; k < results.length; k++) if (live[results[k]!]) used = true;
        if (!used) deadInsts.push(i);
      }
      if (b === f.entry) continue;
      const dead: number[] = [];
      f.block(b).params.forEach((p, k) => live[p] || dead.push(k));
      if (dead.length > 0) deadParams.set(b, dead);
    }
    f.removeInsts(deadInsts);
    f.removeBlockParams(deadParams);
    return deadInsts.length > 0 || deadParams.size > 0;
  },
};
