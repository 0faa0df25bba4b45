import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { emptyModule, type IrModule } from '../../src/ir/module.js';
import { Store, instantiate, invoke, importsFrom, exportedFunc } from '../../src/ir/interp.js';

function moduleWith(build: (m: IrModule) => void): IrModule {
  const m = emptyModule();
  build(m);
  return m;
}

describe('interp basics', () => {
  it('adds and loops', () => {
    const m = moduleWith((m) => {
      m.types.push({ params: ['i32'], results: ['i32'] });
      // sum 1..n
      const b = new FuncBuilder('sum', m.types[0]!);
      const [n] = b.params;
      const loop = b.block(['i32', 'i32']);
      const exit = b.block(['i32']);
      b.br(loop, [n!, b.i32(0)]);
      b.switchTo(loop);
      const [i, acc] = b.blockParams(loop);
      const acc2 = b.op('i32.add', [acc!, i!]);
      const i2 = b.op('i32.sub', [i!, b.i32(1)]);
      b.brIf(i2, loop, [i2, acc2], exit, [acc2]);
      b.switchTo(exit);
      b.ret([b.blockParams(exit)[0]!]);
      m.funcs.push({ typeIndex: 0, name: 'sum', body: b.finish() });
      m.exports.push({ name: 'sum', kind: 'func', index: 0 });
    });
    const s = new Store();
    const inst = instantiate(s, m, importsFrom({}));
    expect(invoke(s, exportedFunc(inst, 'sum'), [100])).toEqual([5050]);
  });
});
