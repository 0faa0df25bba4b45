/**
 * licm: loop-invariant code motion.
 *
 * Loops are natural loops: a back edge t → h where h dominates t; the body is h plus
 * every block that reaches t without passing h (loops sharing a header are one loop).
 * An instruction of the body is invariant when it is speculatable (pure, cannot trap,
 * requires no check — see `OpInfo.speculatable`) and every operand is defined outside
 * the body or by an instruction already hoisted. Invariant instructions move, in
 * dominance order, to the end of the loop's preheader.
 *
 * Only speculatable ops move, so executing one on a path where the loop body would
 * not have (the loop runs zero times, or the op sat in a conditional arm) has no
 * observable effect: no load, check, call, global read or unchecked division is ever
 * hoisted.
 *
 * Preheader: the single predecessor outside the loop when it ends in `br` to the
 * header; otherwise a new block, laid out just before the header, with the header's
 * parameter types, that the outside edges enter instead (`br header(params)`).
 * Inner loops go first, so what they hoist into a preheader inside an outer loop can
 * move on out of that loop.
 *
 * Not hoisted: integer add/sub of a constant (`x + 16`). Such an op costs one
 * instruction (or nothing, folded into an address mode), while hoisting it makes a new
 * value live across the whole loop; the register allocator has no rematerialisation,
 * so in a big loop (a bytecode interpreter's dispatch loop over stack-frame addresses)
 * that pressure turned into spills: hoisting them made bench/vm execute 29% more
 * instructions (valgrind counts), and no benchmark got faster from hoisting them.
 *
 * Why an operand defined outside the body may be used in the preheader: its definition
 * dominates the use in the body; a path from the entry to the preheader continues
 * into the header and on to that use without leaving the body, so the definition lies
 * on the part before the preheader.
 */
import type { Block, Func, Inst, Value } from '../func.js';
import { Op, OPS, opcode } from '../opcodes.js';
import type { Pass, PassContext } from './pass.js';

/** Add/sub ops that stay in the loop when one operand is a constant (see above). */
const CHEAP_WITH_CONST = new Set([opcode('i32.add'), opcode('i64.add'), opcode('i32.sub'), opcode('i64.sub')]);

function isConst(f: Func, v: Value): boolean {
  const def = f.defInst(v);
  return def !== undefined && OPS[f.insts[def]!.op]!.kind === 'const';
}

interface Loop {
  header: Block;
  /** Body blocks in reverse postorder (header first); preheaders of inner loops join it. */
  blocks: Block[];
  inBody: Set<Block>;
}

/** Natural loops of `f`, innermost (latest header in reverse postorder) first. */
function findLoops(f: Func, ctx: PassContext): Loop[] {
  const dom = ctx.dom(f);
  const preds = dom.cfg.preds;
  const loops: Loop[] = [];
  for (let k = dom.rpo.length - 1; k >= 0; k--) {
    const h = dom.rpo[k]!;
    const latches = preds[h]!.filter((p) => dom.dominates(h, p));
    if (latches.length === 0) continue;
    const inBody = new Set<Block>([h]);
    const work = [...latches];
    while (work.length > 0) {
      const b = work.pop()!;
      if (inBody.has(b) || !dom.isReachable(b)) continue;
      inBody.add(b);
      for (const p of preds[b]!) work.push(p);
    }
    const blocks = [...inBody].sort((a, b) => dom.rpoIndex[a]! - dom.rpoIndex[b]!);
    loops.push({ header: h, blocks, inBody });
  }
  return loops;
}

/** The block before `loop.header` to hoist into, creating one if needed. */
function preheader(f: Func, loop: Loop, loops: readonly Loop[]): Block {
  const h = loop.header;
  const outside: Block[] = [];
  for (const b of f.layout) {
    if (loop.inBody.has(b)) continue;
    const t = f.terminator(b);
    if (t !== undefined && f.insts[t]!.targets.some((c) => c.block === h)) outside.push(b);
  }
  if (outside.length === 1) {
    const t = f.insts[f.terminator(outside[0]!)!]!;
    if (t.op === Op.br) return outside[0]!;
  }
  const ph = f.createBlock(f.block(h).params.map((p) => f.valueType(p)));
  // Lay it out just before the header (createBlock appended it).
  f.layout.pop();
  f.layout.splice(f.layout.indexOf(h), 0, ph);
  for (const b of outside) {
    for (const c of f.insts[f.terminator(b)!]!.targets) if (c.block === h) c.block = ph;
  }
  f.addInst(ph, Op.br, [], [], [], [{ block: h, args: [...f.block(ph).params] }]);
  // Every loop containing the header also contains the preheader (all the header's
  // predecessors are in such a loop); it runs just before the header.
  for (const outer of loops) {
    if (outer === loop || !outer.inBody.has(h)) continue;
    outer.inBody.add(ph);
    outer.blocks.splice(outer.blocks.indexOf(h), 0, ph);
  }
  return ph;
}

export const licm: Pass = {
  name: 'licm',
  description: 'hoist loop-invariant pure, non-trapping instructions into loop preheaders',
  needs: ['dom'],
  preserves: [],
  run(f: Func, ctx: PassContext): boolean {
    const loops = findLoops(f, ctx);
    let changed = false;
    for (const loop of loops) {
      let ph = -1;
      const hoist = (i: Inst): void => {
        if (ph < 0) ph = preheader(f, loop, loops);
        f.detachInst(i);
        f.insertInst(ph, f.block(ph).insts.length - 1, i); // before the preheader's br
        changed = true;
      };
      for (const b of loop.blocks) {
        for (const i of [...f.block(b).insts]) {
          const d = f.insts[i]!;
          const info = OPS[d.op]!;
          if (!info.speculatable || d.results.length === 0 || info.kind === 'const') continue;
          // Operands from outside the body (hoisted ones included: they moved out).
          // Constants in the body are rematerialised at each use anyway: they move along.
          const consts: Inst[] = [];
          let invariant = true;
          for (const v of d.args) {
            if (!loop.inBody.has(f.defBlock(v))) continue;
            const def = f.defInst(v);
            if (def !== undefined && OPS[f.insts[def]!.op]!.kind === 'const') consts.push(def);
            else invariant = false;
          }
          if (!invariant) continue;
          if (CHEAP_WITH_CONST.has(d.op) && d.args.some((v) => isConst(f, v))) continue;
          for (const c of consts) if (loop.inBody.has(f.insts[c]!.block)) hoist(c);
          hoist(i);
        }
      }
    }
    return changed;
  },
};
