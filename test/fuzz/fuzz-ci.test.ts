/** CI budget of differential fuzzing: a fixed seed, ~2 minutes; `npm run fuzz` runs longer. */
import { expect, it } from 'vitest';
import { DEFAULT_ENGINES, fuzz } from '../../fuzz/run.js';

it('fixed-seed differential fuzzing finds no mismatch', async () => {
  const r = await fuzz({ seed: 3, seconds: 100, maxCases: 48, engines: DEFAULT_ENGINES, batch: 16 });
  console.log(`fuzz: ${r.modules} modules, ${r.calls} export calls, engines ${r.engines.join(', ')}, ${r.mismatches.length} mismatches`);
  expect(r.mismatches.map((m) => `${m.caseId} ${m.engine} ${m.step}: ${m.expected} vs ${m.got}`)).toEqual([]);
}, 400_000);
