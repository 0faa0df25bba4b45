import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { emptyModule, moduleTypeEnv, type IrModule } from '../../src/ir/module.js';
import { failures, runSpecCommands, TARGETS } from './helpers.js';

function i32Module(): IrModule {
  const m = emptyModule();
  m.types.push({ params: ['i32', 'i32'], results: ['i32'] }, { params: ['i32'], results: ['i32'] });
  const env = moduleTypeEnv(m);
  const add = (name: string, op: 'i32.add' | 'i32.sub' | 'i32.div_s' | 'i32.rem_s' | 'i32.div_u' | 'i32.shl' | 'i32.rotl' | 'i32.lt_s') => {
    const b = new FuncBuilder(name, m.types[0]!, env);
    const [x, y] = b.params;
    b.ret([b.wasm(op, [x!, y!])!]);
    m.funcs.push({ typeIndex: 0, name, body: b.finish() });
    m.exports.push({ name, kind: 'func', index: m.funcs.length - 1 });
  };
  add('add', 'i32.add');
  add('sub', 'i32.sub');
  add('div_s', 'i32.div_s');
  add('rem_s', 'i32.rem_s');
  add('div_u', 'i32.div_u');
  add('shl', 'i32.shl');
  add('rotl', 'i32.rotl');
  add('lt_s', 'i32.lt_s');
  // fac(n) = loop with block params
  const b = new FuncBuilder('fac', m.types[1]!, env);
  const [n] = b.params;
  const loop = b.block(['i32', 'i32']);
  const done = b.block(['i32']);
  b.br(loop, [n!, b.i32(1)]);
  b.switchTo(loop);
  const [k, acc] = b.blockParams(loop);
  const acc2 = b.op('i32.mul', [acc!, k!]);
  const k2 = b.op('i32.sub', [k!, b.i32(1)]);
  const more = b.op('i32.gt_s', [k2, b.i32(0)]);
  b.brIf(more, loop, [k2, acc2], done, [acc2]);
  b.switchTo(done);
  b.ret([b.blockParams(done)[0]!]);
  m.funcs.push({ typeIndex: 1, name: 'fac', body: b.finish() });
  m.exports.push({ name: 'fac', kind: 'func', index: m.funcs.length - 1 });
  return m;
}

describe.each(TARGETS)('native code from IR on %s', (target) => {
  it('runs i32 arithmetic, traps and a loop', async () => {
    const { lines, run } = await runSpecCommands(target, [i32Module()], [
      'module 0',
      'assert_return "add" i32:2 i32:3 -> i32:5',
      'assert_return "sub" i32:2 i32:3 -> i32:-1',
      'assert_return "div_s" i32:-7 i32:2 -> i32:-3',
      'assert_trap "div_s" i32:1 i32:0 -> "integer divide by zero"',
      'assert_trap "div_s" i32:0x80000000 i32:-1 -> "integer overflow"',
      'assert_return "rem_s" i32:0x80000000 i32:-1 -> i32:0',
      'assert_return "rem_s" i32:-7 i32:2 -> i32:-1',
      'assert_return "div_u" i32:-1 i32:2 -> i32:0x7fffffff',
      'assert_return "shl" i32:1 i32:33 -> i32:2',
      'assert_return "rotl" i32:0x80000001 i32:1 -> i32:3',
      'assert_return "lt_s" i32:-1 i32:1 -> i32:1',
      'assert_return "fac" i32:5 -> i32:120',
      'assert_return "fac" i32:10 -> i32:3628800',
    ]);
    expect(run.stderr).toBe('');
    expect(failures(lines)).toEqual([]);
  });
});
