/** Compiling IR modules for AArch64, linking them with the runtime and running them under qemu. */
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

/** Compiles IR modules for AArch64, links them with the spec driver and runs `cmds` under qemu. */
export async function runSpecCommands(mods: IrModule[], cmds: string[], optLevel: 0 | 1 | 2 = 0, bounds: 'guard' | 'explicit' = 'guard'): Promise<{ lines: string[]; run: RunResult }> {
  const dir = tempDir('a64-native');
  const objects: string[] = [];
  const modules: string[] = [];
  mods.forEach((m, k) => {
    const sym = `kiln_module_${k}`;
    const { object } = compileIrModule(m, { target: 'aarch64', moduleSymbol: sym, checkAlloc: true, optLevel, bounds });
    const p = join(dir, `m${k}.o`);
    writeFileSync(p, object);
    objects.push(p);
    modules.push(sym);
  });
  const exe = join(dir, 'spec');
  await linkExecutable({ target: 'aarch64', objects, output: exe, entry: 'spec', modules, runtime: await buildRuntime('aarch64') });
  const file = join(dir, 'cmds.txt');
  writeFileSync(file, cmds.join('\n') + '\n');
  const run = await runExecutable('aarch64', exe, [file]);
  return { lines: run.stdout.trim().split('\n'), run };
}

/** Lines of the driver's output that are neither passes nor the summary. */
export function failures(lines: string[]): string[] {
  return lines.filter((l) => !/ pass$/.test(l) && !l.startsWith('summary'));
}

/** Compiles one IR module and links it as a command executable (runs `_start`). */
export async function buildCommand(m: IrModule): Promise<string> {
  const dir = tempDir('a64-cmd');
  const { object } = compileIrModule(m, { target: 'aarch64', checkAlloc: true });
  const p = join(dir, 'm.o');
  writeFileSync(p, object);
  const exe = join(dir, 'prog');
  await linkExecutable({ target: 'aarch64', objects: [p], output: exe, runtime: await buildRuntime('aarch64') });
  return exe;
}
