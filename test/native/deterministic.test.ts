/** The same module compiled twice gives byte-identical objects, on both targets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../src/backend/compile.js';
import { loadModule } from '../../src/frontend/validate.js';
import { testsuiteDir } from '../../src/spec/testsuite.js';
import { convertWast } from '../../src/spec/wast2json.js';

describe.each(['x86_64', 'aarch64'] as const)('%s output is deterministic', (target) => {
  it('compiles every module of a script to byte-identical objects twice', async () => {
    let modules = 0;
    for (const name of ["address", "call_indirect", "conversions", "i64", "f64", "br_table", "memory_grow", "func"]) {
      const { dir, script } = await convertWast(join(testsuiteDir(), `${name}.wast`));
      for (const cmd of script.commands) {
        if (cmd.type !== 'module') continue;
        const r = loadModule(readFileSync(join(dir, cmd.filename!)));
        if (!r.ok) throw new Error(r.error.message);
        const a = compileModule(r.value, { target, optLevel: 2 }).object;
        const b = compileModule(r.value, { target, optLevel: 2 }).object;
        expect(Buffer.from(a).equals(Buffer.from(b)), `${name} line ${cmd.line}`).toBe(true);
        modules++;
      }
    }
    expect(modules).toBeGreaterThan(15);
  });
});
