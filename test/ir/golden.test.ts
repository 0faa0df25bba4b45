/**
 * Golden text tests. Each `golden/*.ir` file holds:
 *
 *   ; run: fold, dce          <- passes to run, in order (or `; run: -O2`)
 *   func … { … }              <- input, any number of functions
 *   ; ==== expected ====
 *   func … { … }              <- output after the passes
 *
 * The test re-runs the passes (verifying after each) and compares the whole file with
 * `toMatchFileSnapshot`, so `npx vitest run -u test/ir` rewrites the expected part.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFuncs, formatParseError } from '../../src/ir/parse.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { printFuncs } from '../../src/ir/print.js';
import { formatVerifyError } from '../../src/ir/verify.js';
import { GOLDEN_MARKER, goldenCases } from './helpers.js';

describe('golden IR', () => {
  for (const { file, path, input, passes } of goldenCases(join(import.meta.dirname, 'golden'), /\.ir$/)) {
    it(file, async () => {
      const parsed = parseFuncs(input);
      if (!parsed.ok) throw new Error(formatParseError(parsed.error, file));
      for (const f of parsed.value) {
        const errors = runPipeline(f, passes, { verify: true });
        expect(errors.map(formatVerifyError)).toEqual([]);
      }
      await expect(input + GOLDEN_MARKER + printFuncs(parsed.value)).toMatchFileSnapshot(path);
    });
  }
});
