/**
 * Module-level translation: declarations, index spaces, constant expressions,
 * segments, names; the per-function API; and translateAndOptimise's printed output.
 */
import { describe, expect, it } from 'vitest';
import { translateAndOptimise, translateDecls, translateFunction, translateModule } from '../../src/frontend/translate.js';
import { parseModule } from '../../src/ir/parse.js';
import { printFunc, printModule } from '../../src/ir/print.js';
import { verifyModule } from '../../src/ir/verify.js';
import { load, translateWat, wat } from './helpers.js';

const MODULE = `(module $demo
  (type $t (func (param i32) (result i32)))
  (import "env" "f" (func $imp (type $t)))
  (import "env" "g" (global $base i32))
  (import "env" "m" (memory 1 4))
  (import "env" "t" (table 2 funcref))
  (global $counter (mut i32) (global.get $base))
  (global $wide i64 (i64.const -5))
  (global $d f64 (f64.const -nan:0x4))
  (global $v v128 (v128.const i32x4 1 2 3 4))
  (global $r externref (ref.null extern))
  (global $fr funcref (ref.func $inc))
  (table $own 3 5 funcref)
  (elem (table 1) (i32.const 1) func $inc)
  (elem $p funcref (ref.null func) (ref.func $imp))
  (elem declare func $start)
  (data (global.get $base) "ab")
  (data $pas "\\00\\ff")
  (func $inc (export "inc") (type $t)
    (global.set $counter (i32.add (global.get $counter) (local.get 0)))
    (call $imp (global.get $counter)))
  (func $start (drop (ref.func $start)))
  (start $start)
  (export "mem" (memory 0))
  (export "own" (table $own))
  (export "counter" (global $counter)))`;

describe('translate: module', () => {
  it('declarations mirror the Wasm index spaces, imports first', () => {
    const { m } = translateWat(MODULE);
    expect(m.name).toBe('demo');
    expect(m.types).toEqual([{ params: ['i32'], results: ['i32'] }, { params: [], results: [] }]);
    expect(m.funcs.map((f) => [f.name, f.typeIndex, f.import?.name ?? null, !!f.body])).toEqual([
      ['imp', 0, 'f', false],
      ['inc', 0, null, true],
      ['start', 1, null, true],
    ]);
    expect(m.globals[0]).toEqual({ type: 'i32', mutable: false, import: { module: 'env', name: 'g' } });
    expect(m.globals.slice(1).map((g) => g.init)).toEqual([
      { kind: 'global.get', global: 0 },
      { kind: 'i64', value: -5n },
      { kind: 'f64', bits: 0xfff0000000000004n },
      { kind: 'v128', bytes: Uint8Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]) },
      { kind: 'ref.null', type: 'externref' },
      { kind: 'ref.func', func: 1 },
    ]);
    expect(m.memories).toEqual([{ limits: { min: 1n, max: 4n }, import: { module: 'env', name: 'm' } }]);
    expect(m.tables).toEqual([
      { elemType: 'funcref', limits: { min: 2n }, import: { module: 'env', name: 't' } },
      { elemType: 'funcref', limits: { min: 3n, max: 5n } },
    ]);
    expect(m.elems.map((e) => [e.mode.kind, e.items])).toEqual([
      ['active', [{ kind: 'ref.func', func: 1 }]],
      ['passive', [{ kind: 'ref.null', type: 'funcref' }, { kind: 'ref.func', func: 0 }]],
      ['declarative', [{ kind: 'ref.func', func: 2 }]],
    ]);
    expect(m.data.map((d) => [d.mode, [...d.bytes]])).toEqual([
      [{ kind: 'active', memory: 0, offset: { kind: 'global.get', global: 0 } }, [0x61, 0x62]],
      [{ kind: 'passive' }, [0, 255]],
    ]);
    expect(m.exports).toEqual([
      { name: 'inc', kind: 'func', index: 1 },
      { name: 'mem', kind: 'memory', index: 0 },
      { name: 'own', kind: 'table', index: 1 },
      { name: 'counter', kind: 'global', index: 1 },
    ]);
    expect(m.start).toBe(2);
    expect(verifyModule(m)).toEqual([]);
  });

  it('the printed module parses back to the same text', () => {
    const { m } = translateWat(MODULE);
    const text = printModule(m);
    const back = parseModule(text);
    if (!back.ok) throw new Error(back.error.message);
    expect(printModule(back.value)).toBe(text);
  });

  it('translateFunction gives the same body as translateModule (functions are independent)', () => {
    const vm = load(wat(MODULE));
    const r = translateModule(vm);
    if (!r.ok) throw new Error(r.error.message);
    for (const index of [1, 2]) expect(printFunc(translateFunction(vm, index))).toBe(printFunc(r.value.funcs[index]!.body!));
    const decls = translateDecls(vm);
    expect(decls.funcs.every((f) => f.body === undefined)).toBe(true);
  });

  it('functions without names are called f<index>', () => {
    const bytes = wat('(module (func (nop)) (func (call 0)))');
    // wat2wasm --debug-names writes no names for unnamed functions.
    const r = translateModule(load(bytes));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.funcs.map((f) => f.name)).toEqual(['f0', 'f1']);
  });

  it('translateAndOptimise prints the module at each level', () => {
    const vm = load(wat(MODULE));
    for (const level of [0, 1, 2] as const) {
      const r = translateAndOptimise(vm, level);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value).toContain('func 1 type=0 "inc" (i32) -> (i32) {');
      const back = parseModule(r.value);
      expect(back.ok).toBe(true);
    }
    const o2 = translateAndOptimise(vm, 2);
    // -O2 drops the unused ref.func; -O0 keeps it.
    expect(o2.ok && o2.value).toContain('func 2 type=1 "start" () -> () {\nblock0:\n  return\n}');
    const o0 = translateAndOptimise(vm, 0);
    expect(o0.ok && o0.value).toContain('v0 = ref.func func=2');
  });
});
