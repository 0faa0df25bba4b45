import { describe, expect, it } from 'vitest';
import { FuncBuilder } from '../../src/ir/builder.js';
import { moduleTypeEnv } from '../../src/ir/module.js';
import { opcode } from '../../src/ir/opcodes.js';
import { verifyFunc, verifyModule, verifyReport } from '../../src/ir/verify.js';
import { ir, sampleModule } from './helpers.js';

/** Verify a one-block function body written in IR text; returns the messages. */
function errs(body: string, sig = '(i32, i64, f32, f64, v128, funcref, externref) -> (i32)', withModule = false): string[] {
  const f = ir(`func "t" ${sig} {\nblock0(v0: i32, v1: i64, v2: f32, v3: f64, v4: v128, v5: funcref, v6: externref):\n${body}\n}\n`);
  return verifyFunc(f, withModule ? sampleModule() : undefined).map((e) => e.message);
}

describe('verifier: instruction types', () => {
  it('accepts well-typed code', () => {
    expect(errs('  v10 = i32.add v0, v0\n  v11 = i64.extend_i32_u v10\n  return v10')).toEqual([]);
  });

  it('numeric: operand types and count', () => {
    expect(errs('  v10 = i32.add v0, v1\n  return v0')).toEqual(['i32.add operand 1 (v1) has type i64, expects i32']);
    expect(errs('  v10 = f64.sqrt v2\n  return v0')).toEqual(['f64.sqrt operand 0 (v2) has type f32, expects f64']);
    expect(errs('  v10 = i32.eqz v0, v0\n  return v0')).toEqual(['i32.eqz has 2 operands, expects 1']);
  });

  it('numeric: result types', () => {
    expect(errs('  v10: i64 = i32.add v0, v0\n  return v0')).toEqual(['i32.add results (i64) should be (i32)']);
  });

  it('SIMD: lane and shuffle immediates', () => {
    expect(errs('  v10 = i32x4.extract_lane lane=4 v4\n  return v0')).toEqual(['i32x4.extract_lane immediate lane: expects a lane index < 4']);
    expect(errs('  v10 = i8x16.shuffle lanes=[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32] v4, v4\n  return v0')).toEqual(['i8x16.shuffle immediate lanes: expects 16 lane indices < 32']);
    expect(errs('  v10 = i64x2.splat v0\n  return v0')).toEqual(['i64x2.splat operand 0 (v0) has type i32, expects i64']);
  });

  it('memory: alignment, address type, memory index', () => {
    expect(errs('  v10 = i32.load16_u mem=0 offset=0 align=4 v0\n  return v0')).toEqual(['i32.load16_u immediate align: alignment must not be larger than natural (2^1)']);
    expect(errs('  v10 = i32.load mem=0 offset=0 align=4 v1\n  return v0')).toEqual(['i32.load operand 0 (v1) has type i64, expects i32']);
    expect(errs('  i64.store32 mem=0 offset=0 align=4 v0, v0\n  return v0')).toEqual(['i64.store32 operand 1 (v0) has type i32, expects i64']);
    expect(errs('  v10 = i32.load mem=1 offset=0 align=4 v0\n  return v0', undefined, true)).toEqual(['i32.load immediate mem: mem index 1 out of range (1 defined)']);
  });

  it('calls, globals and tables against the module', () => {
    expect(errs('  v10: i32 = call func=0 v0\n  return v10', undefined, true)).toEqual([]);
    expect(errs('  v10: i64 = call func=0 v0\n  return v0', undefined, true)).toEqual(['call results (i64) should be (i32)']);
    expect(errs('  v10: i32 = call func=0 v1\n  return v0', undefined, true)).toEqual(['call operand 0 (v1) has type i64, expects i32']);
    expect(errs('  v10: i32 = call func=5 v0\n  return v0', undefined, true)).toContain('call: unknown function 5');
    expect(errs('  v10: i32 = call_ref type=0 v5, v0\n  return v10', undefined, true)).toEqual([]);
    expect(errs('  v10: i32 = call_ref type=0 v6, v0\n  return v10', undefined, true)).toEqual(['call_ref operand 0 (v6) has type externref, expects funcref']);
    expect(errs('  global.set global=0 v1\n  return v0', undefined, true)).toEqual(['global.set operand 0 (v1) has type i64, expects i32']);
    expect(errs('  table.set table=0 v0, v6\n  return v0', undefined, true)).toEqual(['table.set operand 1 (v6) has type externref, expects funcref']);
    // Without a module only the table's fixed parts are checked.
    expect(errs('  table.set table=0 v0, v6\n  return v0')).toEqual([]);
  });

  it('select: both arms agree', () => {
    expect(errs('  v10: f32 = select v2, v2, v0\n  return v0')).toEqual([]);
    expect(errs('  v10: f32 = select v2, v3, v0\n  return v0')).toEqual(['select operand 1 (v3) has type f64, expects f32']);
    expect(errs('  v10: f64 = select v2, v2, v0\n  return v0')).toEqual(['select results (f64) should be (f32)']);
  });

  it('checks, traps and references', () => {
    expect(errs('  i32.check_div_s v0, v0\n  v10 = i32.div_s v0, v0\n  return v10')).toEqual([]);
    expect(errs('  i64.check_nonzero v0\n  return v0')).toEqual(['i64.check_nonzero operand 0 (v0) has type i32, expects i64']);
    expect(errs('  v10 = ref.is_null v0\n  return v0')).toEqual(['ref.is_null operand 0 (v0) has type i32, expects ref']);
    const f = new FuncBuilder('t', { params: [], results: [] }).finish();
    f.addInst(f.entry, opcode('trap'), [], [99]);
    expect(verifyReport(f)).toMatch(/trap immediate code: expects a trap code/);
  });
});

describe('verifier: control flow and SSA', () => {
  it('requires exactly one terminator, at the end', () => {
    const f = new FuncBuilder('t', { params: ['i32'], results: [] }).finish();
    f.addInst(f.entry, opcode('i32.eqz'), [0], [], ['i32']);
    expect(verifyReport(f)).toMatch(/does not end with a terminator/);
    const g = new FuncBuilder('t', { params: [], results: [] }).finish();
    g.addInst(g.entry, opcode('return'), []);
    g.addInst(g.entry, opcode('return'), []);
    expect(verifyReport(g)).toMatch(/terminator return is not the last instruction/);
    const h = new FuncBuilder('t', { params: [], results: [] }).finish();
    expect(verifyReport(h)).toMatch(/block is empty/);
  });

  it('checks branch arity and argument types', () => {
    const text = (args: string) => `func "t" (i32) -> () {\nblock0(v0: i32):\n  br block1${args}\nblock1(v1: i32):\n  return\n}\n`;
    expect(verifyReport(ir(text('(v0)')))).toBe('');
    expect(verifyReport(ir(text('')))).toMatch(/passes 0 arguments to block1, which takes 1/);
    const g = ir(`func "t" (i64) -> () {\nblock0(v0: i64):\n  br block1(v0)\nblock1(v1: i32):\n  return\n}\n`);
    expect(verifyReport(g)).toMatch(/argument 0 to block1 has type i64, expects i32/);
  });

  it('checks br_if/br_table arguments on every edge', () => {
    const f = ir(`func "t" (i32) -> () {
block0(v0: i32):
  br_table v0, [block1(v0), block2], block1
block1(v1: i32):
  return
block2:
  return
}
`);
    expect(verifyReport(f)).toMatch(/br_table passes 0 arguments to block1/);
  });

  it('checks return values against the signature', () => {
    expect(errs('  return v1')).toEqual(['return operand 0 (v1) has type i64, expects i32']);
    expect(errs('  return')).toEqual(['return has 0 operands, expects 1']);
  });

  it('rejects branches to the entry block and mismatched entry params', () => {
    expect(verifyReport(ir('func "t" () -> () {\nblock0:\n  br block0\n}\n'))).toMatch(/branches to the entry block/);
    const f = ir('func "t" (i32) -> () {\nblock0:\n  return\n}\n');
    expect(verifyReport(f)).toMatch(/entry block params \(\) differ/);
  });

  it('requires definitions to dominate uses', () => {
    const f = ir(`func "t" (i32) -> (i32) {
block0(v0: i32):
  br_if v0, block1, block2
block1:
  v1 = i32.const 1
  br block3
block2:
  br block3
block3:
  return v1
}
`);
    expect(verifyReport(f)).toMatch(/block3: .*return operand 0 uses v1, whose definition in block1 does not dominate the use/);
    const g = ir(`func "t" () -> (i32) {
block0:
  v2 = i32.add v1, v1
  v1 = i32.const 1
  return v2
}
`);
    expect(verifyReport(g)).toMatch(/uses v1 before its definition/);
  });

  it('allows unreachable blocks but not their values in reachable code', () => {
    const ok = ir(`func "t" () -> (i32) {
block0:
  v0 = i32.const 0
  return v0
block1:
  v1 = i32.add v0, v0
  return v1
}
`);
    expect(verifyReport(ok)).toBe('');
    const bad = ir(`func "t" () -> (i32) {
block0:
  return v1
block1:
  v1 = i32.const 1
  br block0
}
`);
    expect(verifyReport(bad)).toMatch(/does not dominate/);
  });

  it('reports removed definitions', () => {
    const b = new FuncBuilder('t', { params: [], results: ['i32'] });
    const c = b.i32(1);
    b.ret([c]);
    const f = b.finish();
    f.removeInst(f.defInst(c)!);
    expect(verifyReport(f)).toMatch(/uses undefined value v0/);
  });
});

describe('verifier: modules', () => {
  it('checks declarations and bodies', () => {
    const m = sampleModule();
    const b = new FuncBuilder('g', { params: ['i32'], results: ['i32'] }, moduleTypeEnv(m));
    b.ret(b.call(0, b.params));
    m.funcs.push({ typeIndex: 0, name: 'g', body: b.finish() });
    m.exports.push({ name: 'g', kind: 'func', index: 1 });
    expect(verifyModule(m)).toEqual([]);
    m.funcs.push({ typeIndex: 0, name: 'late', import: { module: 'env', name: 'late' } });
    m.exports.push({ name: 'x', kind: 'memory', index: 3 });
    m.start = 9;
    m.globals.push({ type: 'i64', mutable: false, init: { kind: 'i32', value: 1 } });
    m.data.push({ mode: { kind: 'active', memory: 0, offset: { kind: 'global.get', global: 0 } }, bytes: new Uint8Array() });
    m.elems.push({ type: 'externref', mode: { kind: 'active', table: 0, offset: { kind: 'i32', value: 0 } }, items: [{ kind: 'ref.func', func: 7 }] });
    expect(verifyModule(m).map((e) => e.message)).toEqual([
      'func 2 is an import after a defined func',
      'global 1 initialiser has type i32, expects i64',
      'data 1 offset: global.get 0 must name an immutable imported global',
      'elem 1 has type externref, table 0 holds funcref',
      'elem 1 item 0: ref.func 7 does not exist',
      'elem 1 item 0 has type funcref, expects externref',
      'export "x" names memory 3, which does not exist',
      'start function 9 does not exist',
    ]);
  });
});
