/**
 * The reducer against an injected bug: an "engine" that is the interpreter on a miscompiled module
 * (every i32.and executed as i32.or). The reducer must keep the mismatch and shrink the module.
 */
import binaryen from 'binaryen';
import { expect, it } from 'vitest';
import { binaryenCase } from '../../fuzz/cases.js';
import { interpEngine, type Engine } from '../../fuzz/engines.js';
import { firstMismatch, type FuzzCase, type Mismatch } from '../../fuzz/outcome.js';
import { reduceCase, rewriteBinaryOps, mismatchSignature } from '../../fuzz/reduce.js';
import { Rng } from '../../fuzz/rng.js';

const andAsOr: Engine = {
  name: 'and-as-or',
  coarseTraps: false,
  run: (cases) => interpEngine.run(cases.map((c) => ({ ...c, wasm: rewriteBinaryOps(c.wasm, binaryen.AndInt32, binaryen.OrInt32).wasm }))),
};

it('shrinks a module while the injected miscompile still shows', async () => {
  const rng = new Rng(2024);
  let found: { c: FuzzCase; m: Mismatch } | undefined;
  for (let n = 0; n < 60 && !found; n++) {
    const c = await binaryenCase(rng.fork(), `inj${n}`);
    if ('skip' in c) continue;
    const [o] = await interpEngine.run([c]);
    const [g] = await andAsOr.run([c]);
    const m = firstMismatch(c, andAsOr.name, o!, g!, false);
    if (m) found = { c, m };
  }
  expect(found).toBeDefined();
  const { c, m } = found!;
  const r = await reduceCase(c, andAsOr, m, { budgetMs: 90_000, log: (s) => console.log(s) });
  console.log(`reducer: ${c.wasm.length} → ${r.c.wasm.length} bytes, ${c.steps.length} → ${r.c.steps.length} steps, ${r.tries} candidates, ${r.signature}`);
  // Still the same mismatch, at the last step, and an i32.and is still there.
  const [o] = await interpEngine.run([r.c]);
  const [g] = await andAsOr.run([r.c]);
  const m2 = firstMismatch(r.c, andAsOr.name, o!, g!, false);
  expect(m2?.step).toBe(r.c.steps.length - 1);
  expect(mismatchSignature(m2!)).toBe(mismatchSignature(m));
  expect(o).toEqual(r.expected);
  expect(rewriteBinaryOps(r.c.wasm, binaryen.AndInt32, binaryen.OrInt32).changed).toBeGreaterThan(0);
  // Under a 90 s budget on a loaded machine: 2264 → 1290 bytes, 17 → 2 steps (175 candidates).
  expect(r.c.wasm.length).toBeLessThan(c.wasm.length * 0.8);
  expect(r.c.steps.length).toBeLessThanOrEqual(3);
}, 300_000);
