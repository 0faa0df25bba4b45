/**
 * `npm run fuzz -- --seconds N --seed S [--engines a,b,…] [--batch K] [--cases M] [--out DIR]`
 * Deterministic from its seed (the time budget only decides how many cases run).
 */
import { parseArgs } from 'node:util';
import { ALL_ENGINES, DEFAULT_ENGINES, fuzz } from './run.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    engines: { type: 'string' },
    batch: { type: 'string', default: '24' },
    cases: { type: 'string' },
    out: { type: 'string', default: 'test/fuzz/found' },
  },
});
const engines = values.engines === 'all' ? ALL_ENGINES : values.engines ? values.engines.split(',') : DEFAULT_ENGINES;
const t0 = Date.now();
const r = await fuzz({
  seed: Number(values.seed), seconds: Number(values.seconds), engines, batch: Number(values.batch),
  maxCases: values.cases ? Number(values.cases) : undefined, outDir: values.out, log: (s) => console.log(s),
});
console.log(`\nfuzz seed ${values.seed}: ${r.modules} modules, ${r.calls} export calls (${r.steps} steps) in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${r.skipped} generated modules skipped`);
console.log(`engines compared: ${r.engines.join(', ')} (oracle: interp)`);
console.log(`mismatches: ${r.mismatches.length}`);
for (const m of r.mismatches) console.log(`  ${m.caseId} ${m.engine} ${m.where}: expected ${m.expected}, got ${m.got}${m.file ? ` (${m.file})` : ''}`);
process.exit(r.mismatches.length ? 1 : 0);
