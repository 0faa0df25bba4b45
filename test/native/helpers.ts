/**
 * Compiling IR modules for a target, linking them with the runtime and running them
 * (natively on the host's target, under qemu otherwise: qemu/run.ts decides).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileIrModule } from '../../src/backend/compile.js';
import type { IrModule } from '../../src/ir/module.js';
import type { KilnTarget } from '../../toolchain/cc.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime } from '../../toolchain/runtime.js';
import { runExecutable, type RunResult } from '../../qemu/run.js';

/** Both native targets, for `describe.each`. */
export const TARGETS: readonly KilnTarget[] = ['x86_64', 'aarch64'];

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kiln-${prefix}-`));
}

export interface NativeOptions {
  optLevel?: 0 | 1 | 2;
  bounds?: 'guard' | 'explicit';
}

/** Compiles IR modules for `target`, links them with the spec driver and runs `cmds`. */
export async function runSpecCommands(
  target: KilnTarget,
  mods: IrModule[],
  cmds: string[],
  opts: NativeOptions = {},
): Promise<{ lines: string[]; run: RunResult }> {
  const dir = tempDir(`${target}-native`);
  const objects: string[] = [];
  const modules: string[] = [];
  mods.forEach((m, k) => {
    const sym = `kiln_module_${k}`;
    const { object } = compileIrModule(m, { target, moduleSymbol: sym, checkAlloc: true, ...opts });
    const p = join(dir, `m${k}.o`);
    writeFileSync(p, object);
    objects.push(p);
    modules.push(sym);
  });
  const exe = join(dir, 'spec');
  await linkExecutable({ target, objects, output: exe, entry: 'spec', modules, runtime: await buildRuntime(target) });
  const file = join(dir, 'cmds.txt');
  writeFileSync(file, cmds.join('\n') + '\n');
  const run = await runExecutable(target, exe, [file]);
  return { lines: run.stdout.trim().split('\n'), run };
}

/** Lines of the driver's output that are neither passes nor the summary. */
export function failures(lines: string[]): string[] {
  return lines.filter((l) => !/ pass$/.test(l) && !l.startsWith('summary'));
}

/** Compiles one IR module for `target` and links it as a command executable (runs `_start`). */
export async function buildCommand(target: KilnTarget, m: IrModule): Promise<string> {
  const dir = tempDir(`${target}-cmd`);
  const { object } = compileIrModule(m, { target, checkAlloc: true });
  const p = join(dir, 'm.o');
  writeFileSync(p, object);
  const exe = join(dir, 'prog');
  await linkExecutable({ target, objects: [p], output: exe, runtime: await buildRuntime(target) });
  return exe;
}
