/**
 * Golden translations. Each `golden/NAME.wat` is assembled (wat2wasm), translated,
 * and printed at -O0 (the whole module) and -O2 (the bodies); the result must verify
 * after every pass and match `golden/NAME.ir`. `npx vitest run -u test/translate`
 * rewrites the .ir files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translateModule } from '../../src/frontend/translate.js';
import { optimizeModule } from '../../src/ir/pipeline.js';
import { printFuncs, printModule } from '../../src/ir/print.js';
import { formatVerifyError } from '../../src/ir/verify.js';
import { load, wat } from './helpers.js';

const DIR = join(import.meta.dirname, 'golden');

describe('golden translations', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.wat')).sort()) {
    it(file, async () => {
      const source = readFileSync(join(DIR, file), 'utf8');
      const vm = load(wat(source));
      const translate = () => {
        const r = translateModule(vm);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      };
      const m0 = translate();
      expect(optimizeModule(m0, 0, { verify: true }).map(formatVerifyError)).toEqual([]);
      const m2 = translate();
      expect(optimizeModule(m2, 2, { verify: true }).map(formatVerifyError)).toEqual([]);
      const bodies = m2.funcs.flatMap((d) => (d.body ? [d.body] : []));
      const text =
        `; Translation of ${file} (test/translate/golden.test.ts; npx vitest run -u test/translate to update)\n` +
        `; ==== -O0 ====\n${printModule(m0)}\n; ==== -O2 ====\n${printFuncs(bodies)}`;
      await expect(text).toMatchFileSnapshot(join(DIR, file.replace(/\.wat$/, '.ir')));
    });
  }
});
