/**
 * The differential fuzzing loop: seeded batches of cases (binaryen -ttf modules and the
 * shapes generator), run on the interpreter (oracle) and every other engine, compared step
 * by step. Mismatches are re-checked on a reduced plan (only the instantiation and the
 * failing step) and written as reproducers: <id>.wasm (+ helper) and <id>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryenCase, shapesCase } from './cases.js';
import { interpEngine, nativeEngine, timed, v8Engine, type Engine, type NativeConfig } from './engines.js';
import { describeStep, driverArg, firstMismatch, type FuzzCase, type Mismatch } from './outcome.js';
import { reduceCase, writeRegression } from './reduce.js';
import { Rng } from './rng.js';

export interface FuzzOptions {
  seed: number;
  seconds: number;
  /** Stop after this many cases (modules) even if time remains. */
  maxCases?: number;
  engines: string[];
  batch: number;
  /** Where reproducers are written (not committed until their bug is fixed). */
  outDir?: string;
  /** Time for the module-level reducer per mismatch (reduce.ts; 0 = off). Needs outDir. */
  reduceMs?: number;
  log?: (s: string) => void;
}

export interface FuzzReport {
  modules: number;
  calls: number;
  steps: number;
  skipped: number;
  engines: string[];
  /** Modules each engine ran (engines given as `name@K` run on every K-th batch only). */
  perEngine: Record<string, number>;
  mismatches: (Mismatch & { where: string; file?: string })[];
}

export const DEFAULT_ENGINES = ['x64-O0-guard', 'x64-O2-guard', 'x64-O0-explicit', 'x64-O2-explicit', 'v8'];
export const ALL_ENGINES = [...DEFAULT_ENGINES, 'a64-O0-guard', 'a64-O2-guard'];
/**
 * The long run's mix (fuzz/long-run.sh): the oracle, V8 and x86-64 -O2 guard on every module; the
 * other native configurations take turns (AArch64 under qemu costs ~100 ms CPU per instance).
 */
export const LONG_RUN_ENGINES = ['x64-O2-guard', 'v8', 'x64-O0-guard@2', 'x64-O2-explicit@2', 'x64-O0-explicit@4', 'a64-O2-guard@4', 'a64-O0-guard@8'];

export function engineByName(name: string): Engine {
  if (name === 'v8') return v8Engine;
  if (name === 'interp') return interpEngine;
  const m = /^(x64|a64)-O([012])-(guard|explicit)$/.exec(name);
  if (!m) throw new Error(`unknown engine ${name} (known: ${ALL_ENGINES.join(', ')})`);
  const cfg: NativeConfig = { target: m[1] === 'x64' ? 'x86_64' : 'aarch64', optLevel: Number(m[2]) as 0 | 1 | 2, bounds: m[3] as 'guard' | 'explicit' };
  return nativeEngine(cfg);
}

/** Only the instantiation and step `k` (plus the state step if that is `k`). */
function reducedPlan(c: FuzzCase, k: number): FuzzCase {
  return { ...c, id: `${c.id}-r`, steps: [c.steps[0]!, ...(k > 0 ? [c.steps[k]!] : [])] };
}

export function writeReproducer(dir: string, c: FuzzCase, m: Mismatch, expected: string[]): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${c.id}-${m.engine}`);
  writeFileSync(`${base}.wasm`, c.wasm);
  if (c.helper) writeFileSync(`${base}.helper.wasm`, c.helper);
  const json = {
    found: { engine: m.engine, step: m.step, expected: m.expected, got: m.got },
    sigs: c.sigs,
    globals: c.globals,
    hasStateFn: c.hasStateFn,
    helper: c.helper !== undefined,
    steps: c.steps.map((s) => (s.kind === 'call' ? { kind: 'call', name: s.name, args: s.args.map(driverArg) } : s)),
    expected,
  };
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 1) + '\n');
  return `${base}.wasm`;
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const log = opts.log ?? (() => {});
  // `name@K`: the engine runs on every K-th batch (AArch64 under qemu costs ~100 ms per instance).
  const engines = opts.engines.map((spec) => {
    const [name, every] = spec.split('@') as [string, string | undefined];
    return { engine: engineByName(name), every: every ? Math.max(1, Number(every)) : 1 };
  });
  const rng = new Rng(opts.seed);
  const deadline = Date.now() + opts.seconds * 1000;
  const report: FuzzReport = { modules: 0, calls: 0, steps: 0, skipped: 0, engines: ['interp', ...engines.map((e) => e.engine.name)], perEngine: {}, mismatches: [] };
  let n = 0;
  let batchNo = 0;
  while (Date.now() < deadline && (opts.maxCases === undefined || report.modules < opts.maxCases)) {
    const batch: FuzzCase[] = [];
    const want = Math.min(opts.batch, opts.maxCases === undefined ? opts.batch : opts.maxCases - report.modules);
    while (batch.length < want) {
      const r = rng.fork();
      const id = `s${opts.seed}-${n++}`;
      const c = r.bool(0.6) ? await binaryenCase(r, id) : timed('generate', () => shapesCase(r, id));
      if ('skip' in c) report.skipped++;
      else batch.push(c);
    }
    const oracle = await interpEngine.run(batch);
    report.perEngine.interp = (report.perEngine.interp ?? 0) + batch.length;
    for (const [j, { engine: e, every }] of engines.entries()) {
      if ((batchNo + j) % every !== 0) continue; // offset by position: rotating engines take turns
      if (Date.now() > deadline + 60_000) break;
      report.perEngine[e.name] = (report.perEngine[e.name] ?? 0) + batch.length;
      const got = await e.run(batch);
      for (const [i, c] of batch.entries()) {
        const m = firstMismatch(c, e.name, oracle[i]!, got[i]!, e.coarseTraps);
        if (!m) continue;
        // Re-check on the reduced plan; keep the smaller reproducer when it still fails.
        let repro = c;
        let mm: Mismatch = m;
        const small = reducedPlan(c, m.step);
        const [so] = await interpEngine.run([small]);
        const [sg] = await e.run([small]);
        const m2 = firstMismatch(small, e.name, so!, sg!, e.coarseTraps);
        if (m2) {
          repro = small;
          mm = m2;
        }
        let file = opts.outDir ? writeReproducer(opts.outDir, repro, mm, (repro === c ? oracle[i]! : so!)) : undefined;
        if (opts.outDir && opts.reduceMs) {
          const r = await reduceCase(c, e, m, { budgetMs: opts.reduceMs, log });
          file = writeRegression(opts.outDir, `${c.id}-${e.name}-reduced`, r, [e.name], `found by fuzz seed ${opts.seed}: ${describeStep(c.steps[m.step]!)}`);
          log(`reduced ${c.id}: ${r.bytesBefore} → ${r.c.wasm.length} bytes, ${r.c.steps.length} steps (${r.tries} candidates) → ${file}`);
        }
        report.mismatches.push({ ...mm, where: describeStep(repro.steps[mm.step]!), file });
        log(`MISMATCH ${c.id} on ${e.name} at ${describeStep(c.steps[m.step]!)}: interp ${m.expected} vs ${m.got}${file ? ` → ${file}` : ''}`);
      }
    }
    batchNo++;
    report.modules += batch.length;
    for (const c of batch) {
      report.steps += c.steps.length;
      report.calls += c.steps.filter((s) => s.kind === 'call').length;
    }
    log(`${report.modules} modules, ${report.calls} calls, ${report.mismatches.length} mismatches`);
  }
  return report;
}
