/**
 * Inlining. Golden files `inline/inline-*.ir` hold a module (the callees must resolve):
 *
 *   ; run: inline             <- passes to run on every body (or `; run: -O2`)
 *   type … / func … { … }     <- input module
 *   ; ==== expected ====
 *   func … { … }              <- the bodies afterwards
 *
 * Bodies are optimised in a scrambled order: what gets inlined must not depend on it.
 * Execution tests compare the interpreter before and after inlining, traps included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Func } from '../../src/ir/func.js';
import { exportedFunc, importsFrom, instantiate, invoke, Store, Trap } from '../../src/ir/interp.js';
import type { IrModule } from '../../src/ir/module.js';
import { opcode } from '../../src/ir/opcodes.js';
import { formatParseError, parseModule } from '../../src/ir/parse.js';
import { InlineCallees, inlineCalls, MAX_CALLEE_SIZE } from '../../src/ir/passes/inline.js';
import type { Pass } from '../../src/ir/passes/pass.js';
import { optimizeModule, runPipeline, type OptLevel } from '../../src/ir/pipeline.js';
import { printFuncs, printModule } from '../../src/ir/print.js';
import { formatVerifyError, verifyModule } from '../../src/ir/verify.js';
import { GOLDEN_MARKER, goldenCases } from './helpers.js';

const DIR = join(import.meta.dirname, 'inline');

function parse(text: string, file = '<ir>'): IrModule {
  const r = parseModule(text);
  if (!r.ok) throw new Error(formatParseError(r.error, file));
  return r.value;
}

function bodies(m: IrModule): Func[] {
  return m.funcs.flatMap((d) => (d.body ? [d.body] : []));
}

/** Run `passes` over every body of `m` in the given order of function indices. */
function optimise(m: IrModule, passes: OptLevel | readonly Pass[], order: readonly number[]): void {
  const callees = InlineCallees.snapshot(m);
  for (const i of order) {
    const body = m.funcs[i]!.body;
    if (!body) continue;
    const errors = runPipeline(body, passes, { verify: true, module: m, funcIndex: i, callees });
    expect(errors.map(formatVerifyError)).toEqual([]);
  }
}

describe('inline golden IR', () => {
  for (const { file, path, input, passes } of goldenCases(DIR, /^inline-.*\.ir$/)) {
    it(file, async () => {
      const forward = parse(input, file);
      const n = forward.funcs.length;
      optimise(forward, passes, [...Array(n).keys()]);
      const backward = parse(input, file);
      optimise(backward, passes, [...Array(n).keys()].reverse());
      expect(printModule(backward)).toBe(printModule(forward));
      expect(verifyModule(forward).map(formatVerifyError)).toEqual([]);
      await expect(input + GOLDEN_MARKER + printFuncs(bodies(forward))).toMatchFileSnapshot(path);
    });
  }
});

type Outcome = { ok: unknown[] } | { trap: string };

function runAll(m: IrModule, name: string, inputs: unknown[][]): Outcome[] {
  const store = new Store();
  const ext = store.hostFunc({ params: ['i32'], results: ['i32'] }, (args) => [(((args[0] as number) * 3) | 0)]);
  const inst = instantiate(store, m, importsFrom({ env: { ext: { kind: 'func', value: ext } } }));
  return inputs.map((a) => {
    try {
      return { ok: invoke(store, exportedFunc(inst, name), a as never) };
    } catch (e) {
      if (e instanceof Trap) return { trap: e.message };
      throw e;
    }
  });
}

describe('inlining preserves behaviour', () => {
  const text = readFileSync(join(DIR, 'inline-basic.ir'), 'utf8').split(GOLDEN_MARKER)[0]! + 'export "caller" func 7\n';
  const inputs: unknown[][] = [];
  for (const a of [-5, 0, 3, 7, 100, 101, 5000, 65532, 65533, -1]) for (const b of [0, 1, 2, 7]) inputs.push([a, b]);

  it('gives the same results and the same traps as the calls did (interpreter)', () => {
    const plain = parse(text);
    const inlined = parse(text);
    expect(optimizeModule(inlined, 2, { verify: true }).map(formatVerifyError)).toEqual([]);
    // Something was inlined: the caller no longer calls clamp or load_div.
    const body = inlined.funcs[7]!.body!;
    const callees = [...body.allInsts()].filter((i) => body.inst(i).op === opcode('call')).map((i) => body.inst(i).imms[0]);
    expect(callees).not.toContain(1);
    expect(callees).not.toContain(2);
    expect(callees).toContain(4);
    const before = runAll(plain, 'caller', inputs);
    expect(before.some((o) => 'trap' in o && o.trap === 'integer divide by zero')).toBe(true);
    expect(before.some((o) => 'trap' in o && o.trap === 'out of bounds memory access')).toBe(true);
    expect(runAll(inlined, 'caller', inputs)).toEqual(before);
  });

  it('respects the size limit and the per-caller budget', () => {
    const m = parse(text);
    const callees = InlineCallees.snapshot(m);
    expect(callees.get(1)?.size).toBeLessThanOrEqual(MAX_CALLEE_SIZE);
    expect(callees.get(0)).toBeUndefined(); // import
    expect(callees.get(3)?.recursive).toBe(true); // calls itself: inlined into itself only
    expect(callees.get(1)?.recursive).toBe(false);
    expect(callees.get(4)).toBeUndefined(); // 31 multiplies
    // A caller of 60 chained calls to clamp (4 instructions) stops once its budget is spent.
    const calls = Array.from({ length: 60 }, (_, k) => `  v${k + 1}: i32 = call func=1 v${k}`).join('\n');
    const many = parse(text.replace(/\nfunc 7[^]*$/, `\nfunc 7 type=0 "many" (i32) -> (i32) {\nblock0(v0: i32):\n${calls}\n  return v60\n}\n`));
    const f = many.funcs[7]!.body!;
    expect(inlineCalls(f, 7, InlineCallees.snapshot(many))).toBe(true);
    const left = [...f.allInsts()].filter((i) => f.inst(i).op === opcode('call')).length;
    // Budget 120 + 61/2 = 150 instructions: 37 copies of 4.
    expect(left).toBe(60 - 37);
  });
});
