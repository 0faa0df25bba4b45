/**
 * One cold compile, for `kiln bench`'s throughput report: run as a fresh Node process,
 * it decodes, validates and compiles one module to an object (no link) through the same
 * `compileToObject` as `kiln compile --emit obj` (V8 tiering included: see
 * src/cli/v8-tiering.ts), and prints one JSON line: {seconds, cpuSeconds, jobs}.
 *
 *   node dist/bench/compile-once.js MODULE.wasm TARGET OPTLEVEL JOBS
 *
 * A fresh process is the point: V8 has not yet compiled kiln's own code, so this is the
 * compile speed a user sees on a first `kiln compile`, where the in-process measurement
 * (bench/build.ts timeCompile) sees it after warm-up.
 */
import { readFileSync } from 'node:fs';
import { compileToObject } from '../src/cli/build.js';
import { loadModule } from '../src/frontend/validate.js';
import type { OptLevel } from '../src/ir/pipeline.js';
import type { KilnTarget } from '../toolchain/cc.js';

export interface ColdCompileReport {
  seconds: number;
  cpuSeconds: number;
  jobs: number;
}

const [wasmPath, target, optLevel, jobs] = process.argv.slice(2);
if (!wasmPath || (target !== 'x86_64' && target !== 'aarch64') || !optLevel || !jobs) {
  console.error('usage: compile-once.js MODULE.wasm x86_64|aarch64 OPTLEVEL JOBS');
  process.exit(2);
}
const bytes = readFileSync(wasmPath);
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const loaded = loadModule(bytes);
if (!loaded.ok) {
  console.error(`${wasmPath}: ${loaded.error.kind} module: ${loaded.error.message}`);
  process.exit(1);
}
const r = await compileToObject(wasmPath, bytes, loaded.value, {
  target: target as KilnTarget,
  optLevel: Number(optLevel) as OptLevel,
  bounds: 'guard',
  jobs: Number(jobs),
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const c = process.cpuUsage(c0);
const report: ColdCompileReport = { seconds, cpuSeconds: (c.user + c.system) / 1e6, jobs: r.stats.jobs };
console.log(JSON.stringify(report));
