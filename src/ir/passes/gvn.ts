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
import type { Func, Inst, Value } from '../func.js';
import { isPure, OPS } from '../opcodes.js';
import type { Pass, PassContext } from './pass.js';

function immKey(x: unknown): string {
  return x instanceof Uint8Array ? Array.from(x).join('.') : String(x);
}

export const gvn: Pass = {
  name: 'gvn',
  description: 'global value numbering of pure ops and checks over the dominator tree',
  needs: ['dom'],
  preserves: ['dom'],
  run(f: Func, ctx: PassContext): boolean {
    const dom = ctx.dom(f);
    const subst = new Map<Value, Value>();
    const resolve = (v: Value): Value => subst.get(v) ?? v;
    const table = new Map<string, Inst>();
    const undo: string[] = [];
    const removed: Inst[] = [];

    // Iterative preorder walk; a scope marker records the undo-log height.
    const stack: { block: number; mark: number; entered: boolean }[] = [{ block: dom.rpo[0]!, mark: 0, entered: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.entered) {
        while (undo.length > top.mark) table.delete(undo.pop()!);
        stack.pop();
        continue;
      }
      top.entered = true;
      top.mark = undo.length;
      for (const i of f.block(top.block).insts) {
        f.mapUses(i, resolve);
        const d = f.inst(i);
        const info = OPS[d.op]!;
        const check = info.kind === 'check';
        if (!check && !(isPure(info) && d.results.length > 0)) continue;
        let args = d.args;
        if (info.commutative) args = [...args].sort((a, b) => a - b);
        const types = info.explicitResults ? d.results.map((r) => f.valueType(r)).join(',') : '';
        const key = `${d.op}|${d.imms.map(immKey).join(',')}|${args.join(',')}|${types}`;
        const prior = table.get(key);
        if (prior === undefined) {
          table.set(key, i);
          undo.push(key);
          continue;
        }
        const pd = f.inst(prior);
        d.results.forEach((r, k) => subst.set(r, pd.results[k]!));
        removed.push(i);
      }
      const kids = dom.children[top.block]!;
      for (let k = kids.length - 1; k >= 0; k--) stack.push({ block: kids[k]!, mark: 0, entered: false });
    }
    f.removeInsts(removed);
    // Uses in unreachable blocks were not visited.
    f.replaceUses(subst);
    return removed.length > 0;
  },
};
