/**
 * The spec testsuite on AArch64 native code under qemu-user (natively on an AArch64 host):
 * every top-level non-SIMD .wast file compiled, linked once per script (per batch of
 * modules) and run with the runtime's spec driver, two scripts at a time. Asserts 0 failed
 * and prints the totals with the skip count. SIMD modules in these files are skipped with
 * their reason (src/spec/skip.json, engine aarch64-linux); the simd_*.wast files themselves
 * are left out to keep the run short.
 * KILN_SPEC_FILES=a.wast,b.wast narrows the run; KILN_SPEC_OPT=0|1|2 picks the -O level;
 * KILN_SPEC_BOUNDS=explicit compiles with explicit bounds checks instead of guard pages.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectWastFiles, formatTotals, runSpecFiles } from '../../src/spec/runner.js';
import { nativeEngine } from '../../src/spec/engine-native.js';
import { findInPath, hostTarget } from '../../toolchain/cc.js';

const SUITE = '/work/shared/wasm-testsuite';
const canRun = existsSync(SUITE) && (hostTarget() === 'aarch64' || findInPath('qemu-aarch64') !== undefined);

describe.runIf(canRun)('spec testsuite on aarch64-linux', () => {
  it('passes every non-SIMD command', { timeout: 3_600_000 }, async () => {
    const only = process.env.KILN_SPEC_FILES?.split(',').filter(Boolean);
    const files = only
      ? only.map((f) => join(SUITE, f.endsWith('.wast') ? f : `${f}.wast`))
      : collectWastFiles([SUITE]).filter((f) => !basename(f).startsWith('simd_'));
    const optLevel = Number(process.env.KILN_SPEC_OPT ?? 0) as 0 | 1 | 2;
    const bounds = process.env.KILN_SPEC_BOUNDS === 'explicit' ? 'explicit' : 'guard';
    const engine = nativeEngine({
      target: 'aarch64', name: 'aarch64-linux', optLevel, bounds, timeoutMs: 300_000,
      simdReason: 'SIMD is not yet supported by the AArch64 backend',
    });
    const { reports, totals } = await runSpecFiles(engine, files, { jobs: 2 });
    const lines: string[] = [];
    for (const r of reports) {
      if (r.failed === 0) continue;
      lines.push(`${basename(r.file)}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.error ? ` ERROR ${r.error.slice(0, 500)}` : ''}`);
      for (const f of r.failures.slice(0, Number(process.env.KILN_SPEC_SHOW ?? 5))) lines.push(`   line ${f.line} ${f.type}: ${(f.detail ?? '').slice(0, 300)}`);
    }
    const simdSkips = reports.reduce((n, r) => n + r.skips.filter((s) => (s.detail ?? '').includes('SIMD')).length, 0);
    console.log(`${lines.join('\n')}\naarch64-linux spec: ${formatTotals(totals)} (${files.length} files; ${totals.skipped} skipped, ${simdSkips} of them SIMD)`);
    expect(totals.failed).toBe(0);
  });
});
