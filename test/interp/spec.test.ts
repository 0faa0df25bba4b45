/**
 * The whole Wasm 2.0 core spec suite (SIMD included) on the interpreter: 0 failures.
 * KILN_SPEC_FILES=name1,name2 narrows the run (for debugging).
 */
import { describe, expect, it } from 'vitest';
import { interpEngine } from '../../src/spec/engine-interp.js';
import { formatTotals, runSpecFiles } from '../../src/spec/runner.js';
import { coreWastFiles } from '../../src/spec/testsuite.js';

describe('spec suite on the interpreter', () => {
  it('passes every core .wast with 0 failures', async () => {
    let files = coreWastFiles();
    const only = process.env.KILN_SPEC_FILES;
    if (only) files = files.filter((f) => only.split(',').some((n) => f.endsWith(`/${n}.wast`)));
    const { reports, totals } = await runSpecFiles(interpEngine, files, { jobs: 2 });
    const failures: string[] = [];
    for (const r of reports) {
      if (r.error) failures.push(`${r.file}: ${r.error}`);
      for (const f of r.failures) failures.push(`${r.file.split('/').pop()}:${f.line} ${f.type}: ${f.detail}`);
    }
    const skipReasons = new Map<string, number>();
    for (const r of reports) for (const s of r.skips) skipReasons.set(s.detail ?? '', (skipReasons.get(s.detail ?? '') ?? 0) + 1);
    console.log(`interp spec: ${files.length} files: ${formatTotals(totals)}`);
    for (const [why, n] of skipReasons) console.log(`  skipped ${n}: ${why}`);
    if (failures.length) console.log(failures.slice(0, 200).join('\n'));
    expect(failures.length).toBe(0);
  }, 600_000);
});
