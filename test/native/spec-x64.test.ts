/**
 * The spec testsuite on x86-64 native code: every top-level .wast file (SIMD files are
 * skipped through src/spec/skip.json / the engine's SIMD rule) compiled, linked once per
 * script and run with the runtime's spec driver. Asserts 0 failed.
 * Runs at -O2 and -O0 with guard pages, and at -O2 with explicit bounds checks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectWastFiles, formatTotals, runSpecFiles } from '../../src/spec/runner.js';
import { nativeEngine } from '../../src/spec/engine-native.js';
import { hostTarget } from '../../toolchain/cc.js';
import { convertWast } from '../../src/spec/wast2json.js';
import { testsuiteDir } from '../../src/spec/testsuite.js';
import { loadModule } from '../../src/frontend/validate.js';
import { compileModule } from '../../src/backend/compile.js';

const onX64 = hostTarget() === 'x86_64';

/** One full run of the suite on native x86-64 code with the given options; asserts 0 failed. */
async function runSuite(optLevel: 0 | 1 | 2, bounds: 'guard' | 'explicit'): Promise<void> {
  const suite = testsuiteDir();
  const only = process.env.KILN_SPEC_FILES?.split(',').filter(Boolean);
  const files = only ? only.map((f) => join(suite, f.endsWith('.wast') ? f : `${f}.wast`)) : collectWastFiles([suite]);
  const engine = nativeEngine({ target: 'x86_64', name: 'x86_64-linux', optLevel, bounds });
  const { reports, totals } = await runSpecFiles(engine, files, { jobs: 2 });
  const lines: string[] = [];
  for (const r of reports) {
    if (r.failed === 0) continue;
    lines.push(`${r.file.split('/').pop()}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.error ? ` ERROR ${r.error.slice(0, 500)}` : ''}`);
    for (const f of r.failures.slice(0, Number(process.env.KILN_SPEC_SHOW ?? 5))) lines.push(`   line ${f.line} ${f.type}: ${(f.detail ?? '').slice(0, 300)}`);
  }
  const skippedFiles = reports.filter((r) => r.skipped > 0 && r.passed === 0).length;
  console.log(`${lines.join('\n')}\nx86_64-linux -O${optLevel} ${bounds}: ${formatTotals(totals)} (${files.length} files, ${skippedFiles} skipped entirely)`);
  expect(totals.failed).toBe(0);
}

// KILN_SPEC_FILES=a.wast,b.wast narrows a run (names under the testsuite directory).
describe.runIf(onX64)('spec testsuite on x86_64-linux', () => {
  it('passes every non-SIMD command at -O2 (guard pages)', { timeout: 3_600_000 }, () => runSuite(2, 'guard'));
  it('passes every non-SIMD command at -O0 (guard pages)', { timeout: 3_600_000 }, () => runSuite(0, 'guard'));
  it('passes every non-SIMD command at -O2 with explicit bounds checks', { timeout: 3_600_000 }, () => runSuite(2, 'explicit'));

  it('compiles every module of a script to byte-identical objects twice', async () => {
    for (const name of ['address', 'call_indirect', 'conversions']) {
      const { dir, script } = await convertWast(join(testsuiteDir(), `${name}.wast`));
      for (const cmd of script.commands) {
        if (cmd.type !== 'module') continue;
        const r = loadModule(readFileSync(join(dir, cmd.filename!)));
        if (!r.ok) throw new Error(r.error.message);
        const a = compileModule(r.value, { target: 'x86_64', optLevel: 1 }).object;
        const b = compileModule(r.value, { target: 'x86_64', optLevel: 1 }).object;
        expect(Buffer.from(a).equals(Buffer.from(b)), `${name} line ${cmd.line}`).toBe(true);
      }
    }
  });
});
