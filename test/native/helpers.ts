import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileIrModule } from '../../src/backend/compile.js';
import type { IrModule } from '../../src/ir/module.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime } from '../../toolchain/runtime.js';
import { runExecutable, type RunResult } from '../../qemu/run.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kiln-${prefix}-`));
}

/** Compiles IR modules for x86-64, links them with the spec driver and runs `cmds`. */
export async function runSpecCommands(mods: IrModule[], cmds: string[]): Promise<{ lines: string[]; run: RunResult }> {
  const dir = tempDir('native');
  const objects: string[] = [];
  const modules: string[] = [];
  mods.forEach((m, k) => {
    const sym = `kiln_module_${k}`;
    const { object } = compileIrModule(m, { target: 'x86_64', moduleSymbol: sym, checkAlloc: true });
    const p = join(dir, `m${k}.o`);
    writeFileSync(p, object);
    objects.push(p);
    modules.push(sym);
  });
  const exe = join(dir, 'spec');
  await linkExecutable({ target: 'x86_64', objects, output: exe, entry: 'spec', modules, runtime: await buildRuntime('x86_64') });
  const file = join(dir, 'cmds.txt');
  writeFileSync(file, cmds.join('\n') + '\n');
  const run = await runExecutable('x86_64', exe, [file]);
  return { lines: run.stdout.trim().split('\n'), run };
}

/** Compiles one IR module and links it as a command executable (runs `_start`). */
export async function buildCommand(m: IrModule): Promise<string> {
  const dir = tempDir('native-cmd');
  const { object } = compileIrModule(m, { target: 'x86_64', checkAlloc: true });
  const p = join(dir, 'm.o');
  writeFileSync(p, object);
  const exe = join(dir, 'prog');
  await linkExecutable({ target: 'x86_64', objects: [p], output: exe, runtime: await buildRuntime('x86_64') });
  return exe;
}
