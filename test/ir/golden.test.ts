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
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFuncs, formatParseError } from '../../src/ir/parse.js';
import { passByName, runPipeline, type OptLevel } from '../../src/ir/pipeline.js';
import type { Pass } from '../../src/ir/passes/pass.js';
import { printFuncs } from '../../src/ir/print.js';
import { formatVerifyError } from '../../src/ir/verify.js';

const DIR = join(import.meta.dirname, 'golden');
const MARKER = '; ==== expected ====\n';

describe('golden IR', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ir')).sort()) {
    it(file, async () => {
      const path = join(DIR, file);
      const text = readFileSync(path, 'utf8');
      const input = text.includes(MARKER) ? text.slice(0, text.indexOf(MARKER)) : text.endsWith('\n') ? text : text + '\n';
      const run = /^; run: (.*)$/m.exec(input);
      if (!run) throw new Error(`${file}: missing '; run: passes' line`);
      const spec = run[1]!.trim();
      const passes: OptLevel | Pass[] = /^-O[012]$/.test(spec)
        ? (Number(spec[2]) as OptLevel)
        : spec.split(/\s*,\s*/).map((n) => {
            const p = passByName(n);
            if (!p) throw new Error(`${file}: unknown pass ${n}`);
            return p;
          });
      const parsed = parseFuncs(input);
      if (!parsed.ok) throw new Error(formatParseError(parsed.error, file));
      for (const f of parsed.value) {
        const errors = runPipeline(f, passes, { verify: true });
        expect(errors.map(formatVerifyError)).toEqual([]);
      }
      await expect(input + MARKER + printFuncs(parsed.value)).toMatchFileSnapshot(path);
    });
  }
});
