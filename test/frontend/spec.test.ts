/**
 * The spec testsuite's module-level assertions, on the decoder and validator:
 * every `module` must load, every binary `assert_invalid`/`assert_malformed` must be
 * rejected (with the right kind). Message agreement with the reference interpreter is
 * counted and printed, not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS } from '../../src/frontend/opcodes.js';
import { instrImms, loadModule, validateFunction, type ValidatedModule } from '../../src/frontend/validate.js';
import { convertWast, readModule, topLevelWastFiles, type ConvertedWast } from './spec-helper.js';

const files = topLevelWastFiles();
const converted = new Map<string, ConvertedWast>();

const stats = {
  accepted: 0,
  acceptFailures: 0,
  rejected: 0,
  rejectFailures: 0,
  exact: 0,
  prefix: 0,
  mismatched: [] as string[],
  byType: new Map<string, number>(),
};
const countType = (t: string) => stats.byType.set(t, (stats.byType.get(t) ?? 0) + 1);

beforeAll(async () => {
  for (const f of files) {
    const c = await convertWast(f);
    converted.set(c.name, c);
  }
});

afterAll(() => {
  const total = stats.exact + stats.prefix + stats.mismatched.length;
  console.log(
    `[spec frontend] modules accepted: ${stats.accepted} (failures ${stats.acceptFailures}); ` +
      `binary assertions rejected: ${stats.rejected} (failures ${stats.rejectFailures}); ` +
      `messages matching: ${stats.exact + stats.prefix}/${total} (${stats.exact} exact, ${stats.prefix} by prefix)`,
  );
  console.log(`[spec frontend] by command: ${[...stats.byType].map(([t, n]) => `${t} ${n}`).join(', ')}`);
  if (stats.mismatched.length) console.log(`[spec frontend] message mismatches:\n  ${stats.mismatched.slice(0, 60).join('\n  ')}`);
});

/** Every function's ValidatedFunc stream is well-formed: ends with `end`, offsets and immediates ordered. */
function checkStreams(v: ValidatedModule): string | null {
  const m = v.module;
  for (let i = 0; i < m.funcs.length; i++) {
    const r = validateFunction(v, m.numImportedFuncs + i);
    if (!r.ok) return `validateFunction(${i}) failed after validateModule passed: ${r.error.message}`;
    const f = r.value;
    if (f.count < 1 || OPS[f.ops[f.count - 1]!]!.name !== 'end') return `function ${i}: stream does not end with end`;
    if (f.offsets[f.count - 1]! !== m.funcs[i]!.bodyEnd - 1) return `function ${i}: last offset is not the body's end`;
    for (let k = 1; k < f.count; k++) {
      if (f.offsets[k]! <= f.offsets[k - 1]!) return `function ${i}: offsets not increasing at ${k}`;
      if (instrImms(f, k).length < 0 || f.immStart[k]! < f.immStart[k - 1]!) return `function ${i}: immStart not ordered`;
    }
    if (f.immStart[f.count] !== f.imms.length) return `function ${i}: immStart does not cover imms`;
    if (f.locals.length !== f.numParams + m.funcs[i]!.numLocals) return `function ${i}: locals length`;
  }
  return null;
}

describe('spec testsuite: decode + validate', () => {
  it('found the testsuite', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  for (const file of files) {
    const name = file.replace(/^.*\//, '').replace(/\.wast$/, '');
    it(name, () => {
      const c = converted.get(name)!;
      const problems: string[] = [];
      for (const cmd of c.commands) {
        if (!cmd.filename || !cmd.filename.endsWith('.wasm')) continue;
        const where = `${name}.wast:${cmd.line}`;
        if (cmd.type === 'module' || cmd.type === 'assert_unlinkable' || cmd.type === 'assert_uninstantiable') {
          const r = loadModule(readModule(c, cmd.filename));
          if (r.ok) {
            stats.accepted++;
            countType(cmd.type);
            const bad = checkStreams(r.value);
            if (bad) problems.push(`${where}: ${bad}`);
          }
          else {
            stats.acceptFailures++;
            problems.push(`${where}: valid module rejected: ${r.error.kind} @0x${r.error.offset.toString(16)}: ${r.error.message}`);
          }
        } else if ((cmd.type === 'assert_invalid' || cmd.type === 'assert_malformed') && cmd.module_type === 'binary') {
          const bytes = readModule(c, cmd.filename);
          const r = loadModule(bytes);
          const wantKind = cmd.type === 'assert_invalid' ? 'invalid' : 'malformed';
          if (r.ok) {
            stats.rejectFailures++;
            problems.push(`${where}: ${cmd.type} accepted (expected "${cmd.text}")`);
            continue;
          }
          const e = r.error;
          // wast2json writes text-format assert_invalid modules that use data.drop or
          // memory.init without data segments with no data count section: as a binary
          // that is malformed, which is also a correct rejection.
          const wabtArtifact = wantKind === 'invalid' && e.message === 'data count section required';
          if (e.kind !== wantKind && !wabtArtifact) {
            stats.rejectFailures++;
            problems.push(`${where}: expected ${wantKind} "${cmd.text}", got ${e.kind}: ${e.message}`);
            continue;
          }
          expect(e.offset).toBeGreaterThanOrEqual(0);
          expect(e.offset).toBeLessThanOrEqual(bytes.length);
          stats.rejected++;
          countType(cmd.type);
          const text = cmd.text ?? '';
          if (e.message === text) stats.exact++;
          else if (e.message.startsWith(text)) stats.prefix++;
          else stats.mismatched.push(`${where}: expected "${text}", got "${e.message}"`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
