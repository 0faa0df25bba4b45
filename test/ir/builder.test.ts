import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { moduleTypeEnv } from '../../src/ir/module.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { printFunc } from '../../src/ir/print.js';
import { TrapCode } from '../../src/ir/traps.js';
import { verifyReport } from '../../src/ir/verify.js';
import { sampleModule } from './helpers.js';

describe('FuncBuilder', () => {
  it('builds Wasm-shaped code: checks, memory, call_indirect, control flow', () => {
    const m = sampleModule();
    const b = new FuncBuilder('shape', { params: ['i32', 'f64'], results: ['i32'] }, moduleTypeEnv(m));
    const [x, y] = b.params;
    const q = b.wasm('i32.div_s', [x!, b.i32(3)])!;
    const t = b.wasm('i32.trunc_f64_u', [y!])!;
    const v = b.load('i32.load16_s', q, { offset: 6 });
    b.store('i32.store8', t, v);
    const [r] = b.callIndirect(0, 0, x!, [v]);
    const exit = b.block(['i32']);
    const other = b.block();
    b.brIf(r!, exit, [r!], other);
    b.switchTo(other);
    b.trap(TrapCode.Unreachable);
    b.switchTo(exit);
    b.ret(b.blockParams(exit));
    const f = b.finish();
    expect(verifyReport(f, m)).toBe('');
    expect(printFunc(f)).toBe(`func "shape" (i32, f64) -> (i32) {
block0(v0: i32, v1: f64):
  v2 = i32.const 3
  i32.check_nonzero v2
  i32.check_div_s v0, v2
  v3 = i32.div_s v0, v2
  i32.check_trunc_f64_u v1
  v4 = i32.trunc_f64_u v1
  v5 = i32.load16_s mem=0 offset=6 align=2 v3
  i32.store8 mem=0 offset=0 align=1 v4, v5
  v6 = table.check_call table=0 type=0 v0
  v7: i32 = call_ref type=0 v6, v5
  br_if v7, block1(v7), block2
block1(v8: i32):
  return v8
block2:
  trap unreachable
}
`);
  });

  it('refuses to append after a terminator or to guess module-dependent types', () => {
    const b = new FuncBuilder('t', { params: [], results: [] });
    b.ret();
    expect(() => b.i32(1)).toThrow(/already terminated/);
    const c = new FuncBuilder('t', { params: [], results: [] });
    expect(() => c.call(0, [])).toThrow(/result types needed/);
    expect(c.call(0, [], ['i64'])).toHaveLength(1);
  });
});

describe('scale', () => {
  it('optimises a 4000-block function in linear-ish time', () => {
    const b = new FuncBuilder('big', { params: ['i32'], results: ['i32'] });
    let x = b.params[0]!;
    for (let k = 0; k < 2000; k++) {
      const blk = b.block(['i32', 'i32']);
      const empty = b.block();
      const c = b.i32(k);
      const y = b.op('i32.add', [x, c]);
      b.brIf(y, blk, [y, c], empty, []);
      b.switchTo(empty);
      b.br(blk, [x, x]);
      b.switchTo(blk);
      const [p, q] = b.blockParams(blk);
      x = b.op('i32.mul', [p!, p!]);
      b.op('i32.sub', [q!, q!]);
    }
    b.ret([x]);
    const f = b.finish();
    const start = performance.now();
    expect(runPipeline(f, 2)).toEqual([]);
    // Quadratic behaviour took ~4 s here; linear takes well under one.
    expect(performance.now() - start).toBeLessThan(3000);
    expect(verifyReport(f)).toBe('');
  });
});
