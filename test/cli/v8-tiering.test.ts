/**
 * The one-shot V8 tiering of `kiln compile`/`kiln run` (src/cli/v8-tiering.ts): with the
 * raised interrupt budget, a first compile leaves most of kiln's functions to V8's
 * baseline tiers instead of sending them to TurboFan. Counted with --trace-opt in fresh
 * processes (which functions V8 optimises is V8's business; that the knob moves it a lot
 * is ours). Speed itself is measured by `kiln bench` (cold rows), never asserted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';

let wasm: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-tiering-'));
  // Enough work for V8's default budget to optimise a good part of kiln: 200 functions with
  // loops, branches and locals.
  const funcs = Array.from({ length: 200 }, (_, i) => `(func $f${i} (export "f${i}") (param i32 i32) (result i32) (local i32 i32)
    (loop $l
      (local.set 2 (i32.add (local.get 2) (i32.mul (local.get 0) (i32.const ${i + 3}))))
      (if (i32.and (local.get 2) (i32.const 4)) (then (local.set 3 (i32.xor (local.get 3) (local.get 2)))) (else (local.set 3 (i32.sub (local.get 3) (local.get 1)))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
    (i32.add (local.get 2) (local.get 3)))`);
  writeFileSync(join(dir, 'm.wat'), `(module ${funcs.join('\n')})`);
  wasm = join(dir, 'm.wasm');
  await execa('wat2wasm', [join(dir, 'm.wat'), '-o', wasm]);
});

/** Functions V8 optimised with TurboFan while one fresh process compiled the module. */
async function optimisedDuringCompile(tuned: boolean): Promise<number> {
  const script = `
    const dist = ${JSON.stringify(join(process.cwd(), 'dist', 'src'))} + '/';
    const { readFileSync } = await import('node:fs');
    const { loadModule } = await import(dist + 'frontend/validate.js');
    const { compileModule } = await import(dist + 'backend/compile.js');
    const { tuneV8ForOneShotCompile } = await import(dist + 'cli/v8-tiering.js');
    if (${tuned}) tuneV8ForOneShotCompile();
    const loaded = loadModule(readFileSync(${JSON.stringify(wasm)}));
    compileModule(loaded.value, { target: 'x86_64', optLevel: 2 });`;
  const r = await execa('node', ['--trace-opt', '--input-type=module', '-e', script]);
  return r.stdout.split('\n').filter((l) => l.startsWith('[completed optimizing')).length;
}

describe('V8 tiering for one-shot compiles', () => {
  it('the raised interrupt budget sends far fewer of kiln\'s functions to TurboFan', async () => {
    const byDefault = await optimisedDuringCompile(false);
    const tuned = await optimisedDuringCompile(true);
    expect(byDefault).toBeGreaterThan(30);
    expect(tuned * 3).toBeLessThan(byDefault);
  }, 120_000);
});
