/** The shared native-test helpers (test/native/helpers.ts) bound to AArch64, run under qemu. */
import type { IrModule } from '../../src/ir/module.js';
import type { RunResult } from '../../qemu/run.js';
import * as native from '../native/helpers.js';

export { failures, tempDir } from '../native/helpers.js';

/** Compiles IR modules for AArch64, links them with the spec driver and runs `cmds` under qemu. */
export function runSpecCommands(mods: IrModule[], cmds: string[], optLevel: 0 | 1 | 2 = 0, bounds: 'guard' | 'explicit' = 'guard'): Promise<{ lines: string[]; run: RunResult }> {
  return native.runSpecCommands('aarch64', mods, cmds, { optLevel, bounds });
}

/** Compiles one IR module and links it as a command executable (runs `_start`). */
export function buildCommand(m: IrModule): Promise<string> {
  return native.buildCommand('aarch64', m);
}
