/**
 * The spec-suite check for the translator, shared by the shard files (vitest runs
 * test files in parallel workers, so two shards use both cores).
 *
 * For every `module` command of every top-level .wast (found by src/spec/testsuite.ts,
 * which throws when the suite is missing; converted by src/spec/wast2json.ts, cached
 * on disk): decode + validate once, translate every function, verify, round-trip the
 * text format, run the -O2 pipeline with verification after each pass, verify the
 * result again. Then every assert_return / assert_trap whose function the small
 * evaluator in mini-eval.ts can run (integer and control-flow code: no memory,
 * globals or tables) is evaluated on the -O0 and the -O2 translation and compared
 * with the script's expectation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModule } from '../../src/frontend/validate.js';
import { translateModule } from '../../src/frontend/translate.js';
import { coreWastFiles } from '../../src/spec/testsuite.js';
import { convertWast, type ConvertedScript } from '../../src/spec/wast2json.js';
import { parseFunc, formatParseError } from '../../src/ir/parse.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { printFunc } from '../../src/ir/print.js';
import { formatVerifyError, verifyFunc, verifyModule } from '../../src/ir/verify.js';
import type { IrModule } from '../../src/ir/module.js';
import type { Const } from '../../src/ir/passes/consteval.js';
import type { SpecCommand, SpecValue } from '../../src/spec/script.js';
import { evalFunc, IrTrap, Unsupported } from './mini-eval.js';

/**
 * -O2 failures that are bugs in a pass, not in the translation (the translation itself
 * verified). Listed so the suite stays green while the pass is fixed; each entry needs
 * a reproduction marked `it.fails` (in test/translate/passes-known.test.ts), which
 * starts failing once the pass is fixed. Empty: keep it that way.
 */
export const KNOWN_O2_FAILURES: ReadonlyMap<string, string> = new Map();

export interface Counts {
  modules: number;
  functions: number;
  insts: number;
  knownO2: number;
  /** Assertions evaluated (on both -O0 and -O2) and skipped (unsupported by mini-eval). */
  evaluated: number;
  skipped: number;
}

/** The module's translation before and after -O2 (the bodies of `o0` are clones). */
export interface Translated {
  o0: IrModule;
  o2: IrModule;
  exports: Map<string, number>;
}

/** Check one module's bytes; returns problems (empty when all is well). */
export function checkModule(bytes: Uint8Array, where: string, counts: Counts, problems: string[]): Translated | undefined {
  const loaded = loadModule(bytes);
  if (!loaded.ok) return void problems.push(`${where}: does not load: ${loaded.error.message}`);
  const t = translateModule(loaded.value);
  if (!t.ok) return void problems.push(`${where}: translation failed: ${t.error.message}`);
  const m = t.value;
  const o0: IrModule = { ...m, funcs: m.funcs.map((d) => ({ ...d })) };
  const exports = new Map<string, number>();
  for (const e of m.exports) if (e.kind === 'func') exports.set(e.name, e.index);
  counts.modules++;
  const modErrors = verifyModule(m).filter((e) => e.func === '<module>');
  for (const e of modErrors) problems.push(`${where}: ${formatVerifyError(e)}`);
  m.funcs.forEach((decl, index) => {
    const f = decl.body;
    if (!f) return;
    counts.functions++;
    counts.insts += f.insts.length;
    const at = `${where} func ${index}`;
    const errs = verifyFunc(f, m);
    if (errs.length > 0) {
      problems.push(`${at}: translation does not verify: ${errs.slice(0, 3).map(formatVerifyError).join('; ')}`);
      return;
    }
    const text = printFunc(f);
    const parsed = parseFunc(text);
    if (!parsed.ok) problems.push(`${at}: printed IR does not parse: ${formatParseError(parsed.error)}`);
    else if (printFunc(parsed.value) !== text) problems.push(`${at}: text round trip differs`);
    o0.funcs[index]!.body = f.clone();
    const opt = runPipeline(f, 2, { verify: true, module: m });
    if (opt.length > 0) {
      if (KNOWN_O2_FAILURES.has(at)) {
        counts.knownO2++;
        decl.body = o0.funcs[index]!.body!.clone(); // evaluate the unoptimised body instead
        return;
      }
      problems.push(`${at}: -O2: ${opt.slice(0, 3).map(formatVerifyError).join('; ')}`);
      return;
    }
    const again = verifyFunc(f, m);
    if (again.length > 0) problems.push(`${at}: after -O2: ${again.slice(0, 3).map(formatVerifyError).join('; ')}`);
    const text2 = printFunc(f);
    const parsed2 = parseFunc(text2);
    if (!parsed2.ok || printFunc(parsed2.value) !== text2) problems.push(`${at}: -O2 text round trip differs`);
  });
  return { o0, o2: m, exports };
}

/** A script value as mini-eval's constant, or undefined when it cannot be compared exactly. */
function specConst(v: SpecValue): Const | undefined {
  if (typeof v.value !== 'string' || v.value.startsWith('nan:')) return undefined;
  switch (v.type) {
    case 'i32':
      return Number(v.value) | 0;
    case 'i64':
      return BigInt.asIntN(64, BigInt(v.value));
    case 'f32':
      return Number(v.value) >>> 0;
    case 'f64':
      return BigInt.asUintN(64, BigInt(v.value));
    default:
      return undefined;
  }
}

/** Evaluate one assert_return / assert_trap on both translations. */
export function checkAssertion(t: Translated, cmd: SpecCommand, where: string, counts: Counts, problems: string[]): void {
  const action = cmd.action;
  if (!action || action.type !== 'invoke') return;
  const index = t.exports.get(action.field);
  const args = (action.args ?? []).map(specConst);
  const expected = cmd.type === 'assert_return' ? (cmd.expected ?? []).map(specConst) : [];
  if (index === undefined || args.includes(undefined) || expected.includes(undefined)) {
    counts.skipped++;
    return;
  }
  const want = cmd.type === 'assert_trap' ? `trap: ${cmd.text}` : expected;
  const outcomes: unknown[] = [];
  for (const m of [t.o0, t.o2]) {
    try {
      outcomes.push(evalFunc(m, index, args as Const[]));
    } catch (e) {
      if (e instanceof IrTrap) outcomes.push(`trap: ${e.message}`);
      else if (e instanceof Unsupported || e instanceof RangeError) {
        counts.skipped++;
        return;
      } else throw e;
    }
  }
  counts.evaluated++;
  const show = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  if (show(outcomes[0]) !== show(want)) problems.push(`${where}: ${action.field} at -O0 gave ${show(outcomes[0])}, expected ${show(want)}`);
  if (show(outcomes[1]) !== show(want)) problems.push(`${where}: ${action.field} at -O2 gave ${show(outcomes[1])}, expected ${show(want)}`);
}

/** Registers the suite for the files with index ≡ shard (mod shards). */
export function specShard(shard: number, shards: number): void {
  // Throws when the suite is missing: a spec check that silently runs nothing is worse than a failure.
  const files = coreWastFiles().filter((_, k) => k % shards === shard);
  const converted = new Map<string, ConvertedScript>();
  const counts: Counts = { modules: 0, functions: 0, insts: 0, knownO2: 0, evaluated: 0, skipped: 0 };

  beforeAll(async () => {
    for (const f of files) converted.set(f, await convertWast(f));
  });
  afterAll(() => {
    console.log(`[spec translate ${shard + 1}/${shards}] ${files.length} scripts, ${counts.modules} modules, ${counts.functions} functions, ${counts.insts} IR instructions: translated, verified, -O2, round-tripped` + (counts.knownO2 ? ` (${counts.knownO2} known -O2 pass failures)` : ''));
    console.log(`[spec translate ${shard + 1}/${shards}] assertions evaluated at -O0 and -O2: ${counts.evaluated} (${counts.skipped} need more than mini-eval models)`);
  });

  describe(`spec testsuite: translate (shard ${shard + 1}/${shards})`, () => {
    for (const file of files) {
      const name = file.replace(/^.*\//, '').replace(/\.wast$/, '');
      it(name, () => {
        const c = converted.get(file)!;
        const problems: string[] = [];
        let current: Translated | undefined;
        const named = new Map<string, Translated>();
        for (const cmd of c.script.commands) {
          const where = `${name}.wast:${cmd.line}`;
          if (cmd.type === 'module' && cmd.filename?.endsWith('.wasm')) {
            const bytes = new Uint8Array(readFileSync(join(c.dir, cmd.filename)));
            current = checkModule(bytes, where, counts, problems);
            if (current && cmd.name) named.set(cmd.name, current);
          } else if (cmd.type === 'assert_return' || cmd.type === 'assert_trap') {
            const t = cmd.action?.module ? named.get(cmd.action.module) : current;
            if (t) checkAssertion(t, cmd, where, counts, problems);
          }
        }
        expect(problems.slice(0, 20)).toEqual([]);
      });
    }
  });
}
