/**
 * Tricky control flow, checked two ways: the translation (at -O0 and after -O2)
 * verifies, and evaluating it gives what V8 gives for the same Wasm, traps included.
 * Plus structural checks of the SSA construction (which locals become parameters).
 */
import { describe, expect, it } from 'vitest';
import { translateFunction } from '../../src/frontend/translate.js';
import type { IrModule } from '../../src/ir/module.js';
import { optimizeModule } from '../../src/ir/pipeline.js';
import { printFunc } from '../../src/ir/print.js';
import { formatVerifyError } from '../../src/ir/verify.js';
import type { Const } from '../../src/ir/passes/consteval.js';
import { evalFunc, IrTrap } from './mini-eval.js';
import { translateWat } from './helpers.js';

type Outcome = Const[] | 'trap';

/** Node's WebAssembly (the project's lib settings do not declare it). */
const WebAssembly = (globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
    RuntimeError: new (...a: unknown[]) => Error;
  };
}).WebAssembly;

function v8Run(bytes: Uint8Array, name: string, args: readonly Const[]): Outcome {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const fn = inst.exports[name] as (...a: unknown[]) => unknown;
  try {
    const r = fn(...args);
    return r === undefined ? [] : Array.isArray(r) ? (r as Const[]) : [r as Const];
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return 'trap';
    throw e;
  }
}

function irRun(m: IrModule, index: number, args: readonly Const[]): Outcome {
  try {
    return evalFunc(m, index, args);
  } catch (e) {
    if (e instanceof IrTrap) return 'trap';
    throw e;
  }
}

/** Translate `text`, then compare every export named in `cases` against V8 at -O0 and -O2. */
function agree(text: string, cases: Record<string, Const[][]>): IrModule {
  const { m, bytes, vm } = translateWat(text);
  const m2 = translateWat(text).m;
  expect(optimizeModule(m2, 2, { verify: true }).map(formatVerifyError)).toEqual([]);
  for (const [name, inputs] of Object.entries(cases)) {
    const exp = vm.module.exports.find((e) => e.name === name && e.kind === 'func');
    if (!exp) throw new Error(`no export ${name}`);
    for (const args of inputs) {
      const want = v8Run(bytes, name, args);
      expect({ name, args, got: irRun(m, exp.index, args) }).toEqual({ name, args, got: want });
      expect({ name, args, O2: irRun(m2, exp.index, args) }).toEqual({ name, args, O2: want });
    }
  }
  return m;
}

const small = [[0], [1], [2], [3], [7], [-1]];

describe('translate: control flow against V8', () => {
  it('br out of nested blocks with values, locals changed on the way', () => {
    agree(
      `(module
        (func (export "nested") (param i32) (result i32)
          (local $x i32)
          (block $outer (result i32)
            (block $mid (result i32)
              (block $inner
                (local.set $x (i32.const 5))
                (drop (br_if $outer (i32.const 10) (i32.eq (local.get 0) (i32.const 0))))
                (local.set $x (i32.const 6))
                (drop (br_if $mid (i32.const 20) (i32.eq (local.get 0) (i32.const 1))))
                (local.set $x (i32.const 7))
                (br_if $inner (i32.eq (local.get 0) (i32.const 2)))
                (local.set $x (i32.const 8)))
              (i32.const 30))
            (local.get $x) (i32.add))
          (local.get $x) (i32.mul)))`,
      { nested: small },
    );
  });

  it('loop with parameters and a result (multi-value), exits through an if arm', () => {
    agree(
      `(module
        (func (export "fib") (param $n i32) (result i64)
          (local $a i64) (local $b i64) (local $k i32)
          (i64.const 0) (i64.const 1) (local.get $n)
          (loop $l (param i64 i64 i32) (result i64)
            (local.set $k) (local.set $b) (local.set $a)
            (if (result i64) (i32.eqz (local.get $k))
              (then (local.get $a))
              (else
                (local.get $b) (i64.add (local.get $a) (local.get $b)) (i32.sub (local.get $k) (i32.const 1))
                (br $l))))))`,
      { fib: [[0], [1], [2], [10], [50], [90]] },
    );
  });

  it('unreachable code is skipped: after br, return, unreachable, and after an end nothing reaches', () => {
    const m = agree(
      `(module
        (func (export "dead") (param i32) (result i32)
          (block $b (result i32)
            (br $b (i32.const 1))
            (drop (i32.add (unreachable)))
            (block (loop (br 0)))
            (i32.const 2))
          (drop)
          (if (result i32) (local.get 0)
            (then (return (i32.const 7)) (i32.const 99))
            (else (unreachable)))
          (i32.const 1) (i32.add))
        (func (export "dead2") (param i32) (result i32)
          (block (return (local.get 0)))
          (i32.const 5) (i32.const 6) (i32.add))
        (func (export "dead_loop_end") (param i32) (result i32)
          (loop $l (result i32)
            (br_if $l (i32.eqz (local.get 0)))
            (return (i32.const 3)))
          (drop) (i32.const 4)))`,
      { dead: [[0], [1]], dead2: small, dead_loop_end: [[1], [5]] },
    );
    // No constants from dead code survive: dead2 is `return v0`.
    const dead2 = m.funcs[1]!.body!;
    expect(printFunc(dead2)).toBe(`func "f1" (i32) -> (i32) {\nblock0(v0: i32):\n  return v0\n}\n`);
  });

  it('br_table to a loop label and a block label (loop label arity is its params, not results)', () => {
    agree(
      `(module
        (func (export "mix") (param $n i32) (result i32)
          (local $steps i32)
          (block $done (result i32)
            (local.get $n)
            (loop $l (param i32) (result i64)
              (local.set $n)
              (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
              (i32.div_u (local.get $n) (i32.const 2))
              (i32.lt_u (local.get $n) (i32.const 2))
              (br_table $l $done))
            (drop) (i32.const -1))
          (i32.mul (local.get $steps) (i32.const 1000)) (i32.add)))`,
      { mix: [[0], [1], [5], [1000], [-1]] },
    );
  });

  it('br_table with many targets, some repeated, carrying two values to each', () => {
    agree(
      `(module
        (func (export "sw") (param i32) (result i32 i32)
          (local $t i32)
          (block $a (result i32 i32)
            (block $b (result i32 i32)
              (block $c (result i32 i32)
                (local.set $t (i32.const 3))
                (i32.const 1) (i32.const 2)
                (br_table $a $c $b $c $a $b (local.get 0)))
              (local.set $t (i32.const 4))
              (i32.add) (local.get $t))
            (i32.mul) (local.get $t))
          (local.get $t) (i32.add)))`,
      { sw: [[0], [1], [2], [3], [4], [5], [6], [100], [-1]] },
    );
  });

  it('function-level br_if and br_table return through the function label', () => {
    agree(
      `(module
        (func (export "early") (param i32) (result i32)
          (br_if 0 (i32.const 42) (local.get 0))
          (drop)
          (br_table 0 0 (i32.const 7) (i32.const 1))))`,
      { early: small },
    );
  });

  it('if without else assigning locals; nested ifs; select', () => {
    agree(
      `(module
        (func (export "clamp") (param $x i32) (param $lo i32) (param $hi i32) (result i32)
          (local $r i32)
          (local.set $r (local.get $x))
          (if (i32.lt_s (local.get $x) (local.get $lo)) (then (local.set $r (local.get $lo))))
          (if (i32.gt_s (local.get $x) (local.get $hi))
            (then
              (if (i32.gt_s (local.get $hi) (local.get $lo))
                (then (local.set $r (local.get $hi)))
                (else (local.set $r (select (local.get $lo) (local.get $hi) (local.get $x)))))))
          (local.get $r)))`,
      { clamp: [[5, 0, 10], [-5, 0, 10], [50, 0, 10], [50, 10, 0], [5, 10, 0], [0, 10, 0]] },
    );
  });

  it('trapping arithmetic traps where V8 does (checks precede the op)', () => {
    agree(
      `(module
        (func (export "divs") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
        (func (export "remu") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
        (func (export "rems") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1))))`,
      {
        divs: [[7, 2], [7, 0], [-2147483648, -1], [-7, 2]],
        remu: [[7n, 2n], [7n, 0n], [-1n, 3n]],
        rems: [[-2147483648, -1], [7, 0], [-7, 2]],
      },
    );
  });

  it('calls between defined functions, recursion', () => {
    agree(
      `(module
        (func $fac (export "fac") (param i64) (result i64)
          (if (result i64) (i64.eqz (local.get 0))
            (then (i64.const 1))
            (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))`,
      { fac: [[0n], [1n], [5n], [20n], [25n]] },
    );
  });
});

describe('translate: SSA construction', () => {
  it('a loop header carries only the locals the loop assigns', () => {
    const { vm } = translateWat(`(module
      (func (param i32) (result i32)
        (local i32 i32 i32 i32 i32 i32 i32 i32)
        (loop $l
          (local.set 3 (i32.add (local.get 3) (local.get 5)))
          (br_if $l (i32.lt_u (local.get 3) (local.get 0))))
        (local.get 3)))`);
    const f = translateFunction(vm, 0);
    const header = f.layout[1]!;
    expect(f.block(header).params.length).toBe(1);
  });

  it('a merge gets a parameter only for locals whose incoming values differ', () => {
    const { vm } = translateWat(`(module
      (func (param i32) (result i32)
        (local i32 i32)
        (local.set 1 (i32.const 1))
        (if (local.get 0)
          (then (local.set 1 (i32.const 1)) (local.set 2 (i32.const 5)))
          (else (local.set 2 (i32.const 5))))
        (i32.add (local.get 1) (local.get 2))))`);
    const f = translateFunction(vm, 0);
    // local 1 and local 2 both differ between the arms (distinct constants): two params.
    const merge = f.layout[f.layout.length - 1]!;
    expect(f.block(merge).params.length).toBe(2);
    const { vm: vm2 } = translateWat(`(module
      (func (param i32) (result i32)
        (local i32)
        (local.set 1 (i32.const 1))
        (if (local.get 0) (then (local.get 0) (local.set 0)))
        (local.get 1)))`);
    // local 0 is reassigned to itself in one arm: same value on both edges, no param.
    const g = translateFunction(vm2, 0);
    expect(g.layout.every((b) => b === g.entry || g.block(b).params.length === 0)).toBe(true);
  });

  it('a block nothing branches to adds no IR block', () => {
    const { vm } = translateWat(`(module
      (func (param i32) (result i32)
        (block (result i32) (block (result i32) (i32.add (local.get 0) (i32.const 1))))))`);
    expect(translateFunction(vm, 0).layout.length).toBe(1);
  });
});
