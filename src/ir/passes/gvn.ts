/**
 * gvn: global value numbering over the dominator tree (scoped hash table, as in
 * Cranelift's simple GVN). Walking blocks in dominator-tree preorder, an
 * instruction equal to one in a dominating position is replaced by it:
 * - pure ops (including constants and 'unchecked' arithmetic, whose identical twin
 *   already passed the same checks) with the same opcode, immediates and operands;
 *   commutative ops compare with operands sorted;
 * - checks: a check dominated by an identical check is deleted (it would pass).
 * Ops that read memory, globals or tables are left alone (no memory SSA yet).
 */
import type { Func, Inst, InstData, Value } from '../func.js';
import { isPure, OPS } from '../opcodes.js';
import type { Imm } from '../types.js';
import type { Pass, PassContext } from './pass.js';

/** Ops GVN numbers: pure ops with results, and checks. */
const NUMBERED: Uint8Array = Uint8Array.from(OPS, (info) => (info.kind === 'check' || (isPure(info) && info.results?.length !== 0) ? 1 : 0));

function immHash(x: Imm): number {
  if (typeof x === 'number') return x | 0; // equal under String() ⇒ equal hash (floats are raw bits)
  if (typeof x === 'bigint') return Number(BigInt.asIntN(32, x));
  if (x instanceof Uint8Array) {
    let h = 0;
    for (const byte of x) h = Math.imul(h, 31) + byte;
    return h;
  }
  return 0;
}

/** Immediates are equal as GVN keys (the old string keys: Uint8Array by bytes, others by String()). */
function sameImm(a: Imm, b: Imm): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, k) => x === b[k]);
  return String(a) === String(b);
}

export const gvn: Pass = {
  name: 'gvn',
  description: 'global value numbering of pure ops and checks over the dominator tree',
  needs: ['dom'],
  preserves: ['dom'],
  run(f: Func, ctx: PassContext): boolean {
    const dom = ctx.dom(f);
    // Substituted values map to results of kept instructions, never substituted themselves.
    const subst = new Int32Array(f.values.length).fill(-1);
    let substituted = false;
    // Scoped hash table: hash → instructions in scope with that hash (newest last).
    const table = new Map<number, Inst[]>();
    const undo: number[] = [];
    const removed: Inst[] = [];
    /** Operands of a commutative `d`, sorted (binary ops compare and hash without this copy). */
    const sortedArgs = (d: InstData): Value[] => [...d.args].sort((a, b) => a - b);
    /** The operands of `a` and `b` (same op) are equal in canonical order. */
    const sameArgs = (a: InstData, b: InstData): boolean => {
      const x = a.args;
      const y = b.args;
      if (x.length !== y.length) return false;
      if (OPS[a.op]!.commutative) {
        if (x.length === 2) {
          const x0 = x[0]!, x1 = x[1]!, y0 = y[0]!, y1 = y[1]!;
          return (x0 === y0 && x1 === y1) || (x0 === y1 && x1 === y0);
        }
        const sx = sortedArgs(a);
        const sy = sortedArgs(b);
        for (let k = 0; k < sx.length; k++) if (sx[k] !== sy[k]) return false;
        return true;
      }
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
      return true;
    };
    const equal = (i: Inst, j: Inst): boolean => {
      const a = f.insts[i]!;
      const b = f.insts[j]!;
      if (a.op !== b.op || a.imms.length !== b.imms.length || a.args.length !== b.args.length || a.results.length !== b.results.length) return false;
      for (let k = 0; k < a.imms.length; k++) if (!sameImm(a.imms[k]!, b.imms[k]!)) return false;
      if (!sameArgs(a, b)) return false;
      if (OPS[a.op]!.explicitResults) {
        for (let k = 0; k < a.results.length; k++) if (f.values[a.results[k]!]!.type !== f.values[b.results[k]!]!.type) return false;
      }
      return true;
    };

    // Iterative preorder walk; a scope marker records the undo-log height.
    const stack: { block: number; mark: number; entered: boolean }[] = [{ block: dom.rpo[0]!, mark: 0, entered: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.entered) {
        while (undo.length > top.mark) table.get(undo.pop()!)!.pop();
        stack.pop();
        continue;
      }
      top.entered = true;
      top.mark = undo.length;
      for (const i of f.block(top.block).insts) {
        const d = f.insts[i]!;
        if (substituted) f.substituteUses(i, subst);
        if (NUMBERED[d.op] !== 1 || (d.results.length === 0 && OPS[d.op]!.kind !== 'check')) continue;
        let h = Math.imul(d.op + 1, 0x9e3779b1);
        const da = d.args;
        if (OPS[d.op]!.commutative && da.length === 2) {
          const lo = da[0]! < da[1]! ? da[0]! : da[1]!;
          const hi = da[0]! < da[1]! ? da[1]! : da[0]!;
          h = Math.imul(h ^ lo, 0x85ebca6b) + 1;
          h = Math.imul(h ^ hi, 0x85ebca6b) + 1;
        } else {
          const args = OPS[d.op]!.commutative ? sortedArgs(d) : da;
          for (const v of args) h = Math.imul(h ^ v, 0x85ebca6b) + 1;
        }
        for (const x of d.imms) h = Math.imul(h ^ immHash(x), 0xc2b2ae35) + 7;
        let bucket = table.get(h);
        if (bucket === undefined) table.set(h, (bucket = []));
        let prior = -1;
        for (let n = bucket.length - 1; n >= 0; n--) {
          if (equal(i, bucket[n]!)) {
            prior = bucket[n]!;
            break;
          }
        }
        if (prior < 0) {
          bucket.push(i);
          undo.push(h);
          continue;
        }
        const pr = f.insts[prior]!.results;
        for (let k = 0; k < d.results.length; k++) subst[d.results[k]!] = pr[k]!;
        substituted = true;
        removed.push(i);
      }
      const kids = dom.children[top.block]!;
      for (let k = kids.length - 1; k >= 0; k--) stack.push({ block: kids[k]!, mark: 0, entered: false });
    }
    if (removed.length === 0) return false;
    f.removeInsts(removed);
    // Uses in unreachable blocks were not visited.
    if (dom.rpo.length < f.layout.length) {
      for (const b of f.layout) if (!dom.isReachable(b)) for (const i of f.block(b).insts) f.substituteUses(i, subst);
    }
    return true;
  },
};
