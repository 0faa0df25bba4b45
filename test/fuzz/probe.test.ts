/** The oracle hashes memory in JS (outcome.ts stateHash); it must equal the module's own __fuzz_state. */
import { expect, it } from 'vitest';
import { binaryenCase, shapesCase } from '../../fuzz/cases.js';
import { runCaseInterp, setInterpStateFn } from '../../fuzz/engines.js';
import { Rng } from '../../fuzz/rng.js';

it('the JS state hash equals __fuzz_state run in the interpreter', async () => {
  const rng = new Rng(77);
  let compared = 0;
  for (let n = 0; n < 10; n++) {
    const r = rng.fork();
    const c = n % 2 ? await binaryenCase(r, `p${n}`) : shapesCase(r, `p${n}`);
    if ('skip' in c || !c.hasStateFn) continue;
    const js = runCaseInterp(c);
    setInterpStateFn(true);
    try {
      expect(runCaseInterp(c)).toEqual(js);
    } finally {
      setInterpStateFn(false);
    }
    compared += js.filter((o) => o.startsWith('state i64:')).length;
  }
  expect(compared).toBeGreaterThan(5);
}, 120_000);
