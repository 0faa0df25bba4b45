/**
 * The official testsuite on native code, for both targets: every top-level .wast file
 * compiled, linked once per script and run with the runtime's spec driver (AArch64 under
 * qemu-aarch64 on an x86-64 host). Asserts 0 failed and prints totals with the skip count;
 * skips (SIMD modules while the backends lack SIMD, text-format assert_malformed) come
 * only from src/spec/skip.json. Each target runs at -O2 and -O0 with guard pages and at
 * -O2 with explicit bounds checks. KILN_SPEC_FILES=a.wast,b.wast narrows a run.
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/spec/engines.js';
import { collectWastFiles, formatTotals, runSpecFiles } from '../../src/spec/runner.js';
import { testsuiteDir } from '../../src/spec/testsuite.js';
import { findInPath, hostTarget } from '../../toolchain/cc.js';

async function runSuite(engineName: string, optLevel: 0 | 2, bounds: 'guard' | 'explicit'): Promise<void> {
  const suite = testsuiteDir();
  const only = process.env.KILN_SPEC_FILES?.split(',').filter(Boolean);
  const files = only ? only.map((f) => join(suite, f.endsWith('.wast') ? f : `${f}.wast`)) : collectWastFiles([suite]);
  const engine = createEngine(engineName, { optLevel, bounds })!;
  const { reports, totals } = await runSpecFiles(engine, files, { jobs: 2 });
  const lines: string[] = [];
  for (const r of reports) {
    if (r.failed === 0) continue;
    lines.push(`${basename(r.file)}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.error ? ` ERROR ${r.error.slice(0, 500)}` : ''}`);
    for (const f of r.failures.slice(0, 5)) lines.push(`   line ${f.line} ${f.type}: ${(f.detail ?? '').slice(0, 300)}`);
  }
  const simdSkips = reports.reduce((n, r) => n + r.skips.filter((s) => (s.detail ?? '').includes('SIMD')).length, 0);
  console.log(
    `${lines.join('\n')}\n${engineName} -O${optLevel} ${bounds}: ${formatTotals(totals)} ` +
      `(${files.length} files; ${totals.skipped} skipped: ${simdSkips} SIMD, ${totals.skipped - simdSkips} text-format)`,
  );
  expect(totals.failed).toBe(0);
  expect(totals.passed).toBeGreaterThan(0);
}

const targets = [
  { engine: 'x86_64-linux', runnable: hostTarget() === 'x86_64' || findInPath('qemu-x86_64') !== undefined },
  { engine: 'aarch64-linux', runnable: hostTarget() === 'aarch64' || findInPath('qemu-aarch64') !== undefined },
];

describe.each(targets)('spec testsuite on $engine', ({ engine, runnable }) => {
  it.runIf(runnable)('passes every non-SIMD command at -O2 (guard pages)', { timeout: 3_600_000 }, () => runSuite(engine, 2, 'guard'));
  it.runIf(runnable)('passes every non-SIMD command at -O0 (guard pages)', { timeout: 3_600_000 }, () => runSuite(engine, 0, 'guard'));
  it.runIf(runnable)('passes every non-SIMD command at -O2 with explicit bounds checks', { timeout: 3_600_000 }, () => runSuite(engine, 2, 'explicit'));
});
