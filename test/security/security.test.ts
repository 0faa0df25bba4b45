/**
 * Security regression suite: every class in classes.ts on every native target and bounds
 * mode, at -O0 and -O2. One executable per configuration (all class modules linked once).
 * (A fault outside compiled code crashing loudly is covered by test/runtime/runtime.test.ts,
 * "does not swallow a NULL dereference outside compiled code".)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, compileModule } from '../../src/backend/compile.js';
import { loadModule } from '../../src/frontend/validate.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime } from '../../toolchain/runtime.js';
import { runExecutable } from '../../qemu/run.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { CLASSES } from './classes.js';

interface Config { target: KilnTarget; optLevel: 0 | 2; bounds: 'guard' | 'explicit' }
const CONFIGS: Config[] = [];
for (const target of ['x86_64', 'aarch64'] as KilnTarget[]) {
  for (const bounds of ['guard', 'explicit'] as const) {
    if (!BACKENDS[target] || (bounds === 'explicit' && !BACKENDS[target]!.explicitBounds)) continue;
    for (const optLevel of [0, 2] as const) CONFIGS.push({ target, optLevel, bounds });
  }
}

const work = mkdtempSync(join(tmpdir(), 'kiln-security-'));
const wasms: Uint8Array[] = [];
beforeAll(async () => {
  for (const [k, c] of CLASSES.entries()) {
    const src = join(work, `c${k}.wat`);
    writeFileSync(src, c.wat);
    await execa('wat2wasm', [src, '-o', join(work, `c${k}.wasm`)]);
    wasms.push(new Uint8Array(readFileSync(join(work, `c${k}.wasm`))));
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

for (const cfg of CONFIGS) {
  describe(`security ${cfg.target} -O${cfg.optLevel} --bounds ${cfg.bounds}`, () => {
    const results = new Map<number, string[]>();
    beforeAll(async () => {
      const objects: string[] = [];
      const modules: string[] = [];
      const lines: string[] = [];
      const owner: number[] = [];
      wasms.forEach((w, k) => {
        const v = loadModule(w);
        if (!v.ok) throw new Error(`class ${k}: ${v.error.message}`);
        const sym = `kiln_module_${k}`;
        const { object } = compileModule(v.value, { target: cfg.target, optLevel: cfg.optLevel, bounds: cfg.bounds, moduleSymbol: sym });
        const p = join(work, `${cfg.target}-${cfg.optLevel}-${cfg.bounds}-m${k}.o`);
        writeFileSync(p, object);
        objects.push(p);
        modules.push(sym);
        lines.push(`module ${k}`);
        owner.push(k);
        for (const c of CLASSES[k]!.cmds) {
          lines.push(c);
          owner.push(k);
        }
      });
      const exe = join(work, `${cfg.target}-${cfg.optLevel}-${cfg.bounds}.exe`);
      await linkExecutable({ target: cfg.target, objects, output: exe, entry: 'spec', modules, runtime: await buildRuntime(cfg.target) });
      const file = exe + '.cmds';
      writeFileSync(file, lines.join('\n') + '\n');
      const r = await runExecutable(cfg.target, exe, [file], { timeoutMs: 120_000 });
      const got = new Map<number, string>();
      for (const l of r.stdout.split('\n')) {
        const m = /^(\d+) (.*)$/.exec(l);
        if (m) got.set(Number(m[1]), m[2]!);
      }
      lines.forEach((l, i) => {
        const k = owner[i]!;
        const a = got.get(i + 1) ?? `no answer (process: exit ${r.exitCode} ${r.signal ?? ''} ${r.stderr.slice(0, 200)})`;
        if (a !== 'pass') (results.get(k) ?? results.set(k, []).get(k)!).push(`${l}: ${a}`);
        else if (!results.has(k)) results.set(k, []);
      });
    });
    for (const [k, c] of CLASSES.entries()) {
      it(c.name, () => {
        expect(results.get(k) ?? ['not run']).toEqual([]);
      });
    }
  });
}
