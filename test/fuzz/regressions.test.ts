/** Every committed fuzz reproducer (test/fuzz/regressions/<id>.wasm + .json) on every engine, forever. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_ENGINES, engineByName } from '../../fuzz/run.js';
import { interpEngine } from '../../fuzz/engines.js';
import { firstMismatch, type Arg, type FuzzCase, type Step } from '../../fuzz/outcome.js';
import type { Type } from '../../src/ir/types.js';

const DIR = join(import.meta.dirname, 'regressions');
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')) : [];

function parseArg(s: string): Arg {
  const [t, v] = s.split(':') as [string, string];
  return { type: t as Type, bits: t.startsWith('ref') ? 0n : BigInt(v) };
}

function load(file: string): { c: FuzzCase; expected: string[] } {
  const j = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  const base = join(DIR, file.replace(/\.json$/, ''));
  const steps: Step[] = j.steps.map((s: { kind: string; name?: string; args?: string[] }) => (s.kind === 'call' ? { kind: 'call', name: s.name, args: s.args!.map(parseArg) } : s));
  const c: FuzzCase = { id: file, wasm: readFileSync(`${base}.wasm`), steps, sigs: j.sigs, globals: j.globals, hasStateFn: j.hasStateFn, helper: j.helper ? readFileSync(`${base}.helper.wasm`) : undefined };
  return { c, expected: j.expected };
}

describe('fuzz regressions', () => {
  it.runIf(files.length === 0)('has no reproducers yet', () => expect(files).toEqual([]));
  for (const f of files) {
    it(f, async () => {
      const { c, expected } = load(f);
      const [oracle] = await interpEngine.run([c]);
      expect(oracle).toEqual(expected);
      for (const name of ALL_ENGINES) {
        const e = engineByName(name);
        const [got] = await e.run([c]);
        expect(firstMismatch(c, e.name, oracle!, got!, e.coarseTraps)).toBeUndefined();
      }
    }, 300_000);
  }
});
