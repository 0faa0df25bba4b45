/**
 * The link step: compiled module object(s) + one runtime entry object + libkiln_rt.a → a
 * static executable. The linker writes a temporary file next to the output, renamed into
 * place only on success, so a failed link never leaves a partial executable behind.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import { findCompiler, ToolchainError, type KilnTarget } from './cc.js';
import { buildRuntime, type EntryKind, type RuntimeBuild } from './runtime.js';

export interface LinkOptions {
  target: KilnTarget;
  /** Object files of the compiled module(s), plus any extra objects (order kept). */
  objects: string[];
  output: string;
  /** `command` (default): runs `_start`; `spec`: the spec driver reading a command list. */
  entry?: EntryKind;
  /** A runtime already built (default: buildRuntime(target)). */
  runtime?: RuntimeBuild;
  /** Extra arguments for the compiler driver, before the objects. */
  extraArgs?: string[];
}

export async function linkExecutable(opts: LinkOptions): Promise<void> {
  const { target, objects, output } = opts;
  const { cc } = findCompiler(target);
  const rt = opts.runtime ?? (await buildRuntime(target));
  const entry = rt.entries[opts.entry ?? 'command'];
  const tmp = join(dirname(output), `.${basename(output)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const args = [
    '-static',
    '-no-pie',
    '-pthread',
    '-Wl,-z,noexecstack',
    ...(opts.extraArgs ?? []),
    '-o',
    tmp,
    ...objects,
    entry,
    rt.archive,
    '-lm',
  ];
  try {
    const r = await execa(cc, args, { reject: false, all: true });
    if (r.exitCode !== 0) throw new ToolchainError(`linking ${output} for ${target} failed:\n${r.all ?? ''}`);
    await rename(tmp, output);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
