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
  /**
   * Multi-module executables (spec driver: `module K`, `register`): the metadata symbol of
   * each module, in order. The link step generates the NULL-terminated `kiln_modules[]`
   * list the runtime reads. Omitted: the single module's `kiln_module` symbol is used.
   */
  modules?: string[];
}

const C_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Compiles the `kiln_modules[]` list naming `symbols` into `output`. */
async function compileModuleList(cc: string, includeDir: string, symbols: string[], output: string): Promise<void> {
  for (const s of symbols) if (!C_IDENT.test(s)) throw new ToolchainError(`bad module symbol ${JSON.stringify(s)}`);
  const src = [
    '#include "kiln_rt.h"',
    ...symbols.map((s) => `extern const kiln_module_t ${s};`),
    `const kiln_module_t *const kiln_modules[] = { ${[...symbols.map((s) => `&${s}`), '0'].join(', ')} };`,
    '',
  ].join('\n');
  const r = await execa(cc, ['-x', 'c', '-std=gnu11', '-c', '-I', includeDir, '-o', output, '-'], {
    input: src,
    reject: false,
    all: true,
  });
  if (r.exitCode !== 0) throw new ToolchainError(`compiling the module list failed:\n${r.all ?? ''}`);
}

export async function linkExecutable(opts: LinkOptions): Promise<void> {
  const { target, objects, output } = opts;
  const { cc } = findCompiler(target);
  const rt = opts.runtime ?? (await buildRuntime(target));
  const entry = rt.entries[opts.entry ?? 'command'];
  const tmp = join(dirname(output), `.${basename(output)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const listObj = opts.modules ? `${tmp}.modules.o` : undefined;
  const args = [
    '-static',
    '-no-pie',
    '-pthread',
    '-Wl,-z,noexecstack',
    ...(opts.extraArgs ?? []),
    '-o',
    tmp,
    ...objects,
    ...(listObj ? [listObj] : []),
    entry,
    rt.archive,
    '-lm',
  ];
  try {
    if (listObj) await compileModuleList(cc, rt.includeDir, opts.modules!, listObj);
    const r = await execa(cc, args, { reject: false, all: true });
    if (r.exitCode !== 0) throw new ToolchainError(`linking ${output} for ${target} failed:\n${r.all ?? ''}`);
    await rename(tmp, output);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    if (listObj) await rm(listObj, { force: true });
  }
}
