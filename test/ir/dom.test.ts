import { describe, expect, it } from 'vitest';
import { computeDominators } from '../../src/ir/dom.js';
import { ir } from './helpers.js';

describe('dominators', () => {
  it('diamond with a loop and an unreachable block', () => {
    const f = ir(`func "t" (i32) -> () {
block0(v0: i32):
  br_if v0, block1, block2
block1:
  br block3
block2:
  br block3
block3:
  br_if v0, block4, block5
block4:
  br block3
block5:
  return
block6:
  br block5
}
`);
    const d = computeDominators(f);
    expect(d.idomOf(0)).toBeUndefined();
    expect([1, 2, 3].map((b) => d.idomOf(b))).toEqual([0, 0, 0]);
    expect(d.idomOf(4)).toBe(3);
    expect(d.idomOf(5)).toBe(3);
    expect(d.isReachable(6)).toBe(false);
    expect(d.idomOf(6)).toBeUndefined();
    expect(d.dominates(0, 5)).toBe(true);
    expect(d.dominates(1, 3)).toBe(false);
    expect(d.dominates(3, 4)).toBe(true);
    expect(d.dominates(3, 3)).toBe(true);
    expect(d.strictlyDominates(3, 3)).toBe(false);
    expect(d.dominates(6, 5)).toBe(false);
    expect(d.rpo[0]).toBe(0);
    expect(d.rpo).toHaveLength(6);
    const pre = d.preorder();
    expect(pre[0]).toBe(0);
    for (const b of pre) {
      const idom = d.idomOf(b);
      if (idom !== undefined) expect(pre.indexOf(idom)).toBeLessThan(pre.indexOf(b));
    }
    expect(d.cfg.preds[3]).toEqual([1, 2, 4]);
  });

  it('irreducible control flow', () => {
    const f = ir(`func "t" (i32) -> () {
block0(v0: i32):
  br_if v0, block1, block2
block1:
  br_if v0, block2, block3
block2:
  br_if v0, block1, block3
block3:
  return
}
`);
    const d = computeDominators(f);
    expect([1, 2, 3].map((b) => d.idomOf(b))).toEqual([0, 0, 0]);
  });

  it('a long chain', () => {
    const n = 2000;
    let text = 'func "chain" () -> () {\n';
    for (let k = 0; k < n; k++) text += `block${k}:\n  br block${k + 1}\n`;
    text += `block${n}:\n  return\n}\n`;
    const d = computeDominators(ir(text));
    expect(d.idomOf(n)).toBe(n - 1);
    expect(d.dominates(0, n)).toBe(true);
    expect(d.dominates(n, 0)).toBe(false);
  });
});
