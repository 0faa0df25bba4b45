/**
 * `npm run fuzz -- --seconds N --seed S [--engines a,b@K,…] [--batch K] [--cases M] [--out DIR] [--reduce SECONDS] [--profile]`
 * Every mismatch is written to DIR as found and, reduced (reduce.ts, up to --reduce seconds, 0 = off), as <id>-<engine>-reduced.
 * An engine given as `name@K` runs on every K-th batch only (`all` = every engine on every batch;
 * `long` = the long run's mix, run.ts LONG_RUN_ENGINES).
 * Deterministic from its seed (the time budget only decides how many cases run).
 */
import { parseArgs } from 'node:util';
import { clock, wallClock } from './engines.js';
import { ALL_ENGINES, DEFAULT_ENGINES, LONG_RUN_ENGINES, fuzz } from './run.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    engines: { type: 'string' },
    batch: { type: 'string', default: '40' },
    cases: { type: 'string' },
    out: { type: 'string', default: 'test/fuzz/found' },
    profile: { type: 'boolean', default: false },
    reduce: { type: 'string', default: '300' },
  },
});
const engines = values.engines === 'all' ? ALL_ENGINES : values.engines === 'long' ? LONG_RUN_ENGINES : values.engines ? values.engines.split(',') : DEFAULT_ENGINES;
const t0 = Date.now();
const r = await fuzz({
  seed: Number(values.seed), seconds: Number(values.seconds), engines, batch: Number(values.batch),
  maxCases: values.cases ? Number(values.cases) : undefined, outDir: values.out, reduceMs: Number(values.reduce) * 1000, log: (s) => console.log(s),
});
console.log(`\nfuzz seed ${values.seed}: ${r.modules} modules, ${r.calls} export calls (${r.steps} steps) in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${r.skipped} generated modules skipped`);
console.log(`engines compared (modules run): ${Object.entries(r.perEngine).map(([k, v]) => `${k} ${v}`).join(', ')} (oracle: interp)`);
console.log(`mismatches: ${r.mismatches.length}`);
if (values.profile) {
  // CPU time: in-process work (compile, interp, generate) and child processes (link, run, v8).
  const total = [...clock.values()].reduce((a, b) => a + b, 0);
  console.log(`CPU by phase (total ${(total / 1000).toFixed(1)} s, ${(total / Math.max(1, r.modules)).toFixed(0)} ms/module):`);
  for (const [k, ms] of [...clock].sort((a, b) => b[1] - a[1])) {
    const wall = wallClock.get(k);
    console.log(`  ${k.padEnd(28)} ${(ms / 1000).toFixed(1).padStart(7)} s  ${((100 * ms) / total).toFixed(0).padStart(3)}%  ${(ms / Math.max(1, r.modules)).toFixed(1).padStart(6)} ms/module${wall !== undefined ? `  (wall ${(wall / 1000).toFixed(1)} s)` : ''}`);
  }
}
process.exit(r.mismatches.length ? 1 : 0);
