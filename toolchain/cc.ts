/**
 * Finding the C toolchain per target: the compiler that builds the runtime and links
 * executables, and the matching archiver. Overridable with KILN_CC_X86_64 / KILN_CC_AARCH64.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type KilnTarget = 'x86_64' | 'aarch64';
export const TARGETS: readonly KilnTarget[] = ['x86_64', 'aarch64'];

export class ToolchainError extends Error {
  override name = 'ToolchainError';
}

/** The target this process runs on, if it is one kiln supports. */
export function hostTarget(): KilnTarget | undefined {
  if (process.arch === 'x64') return 'x86_64';
  if (process.arch === 'arm64') return 'aarch64';
  return undefined;
}

/** Absolute path of an executable on PATH (or `cmd` itself if it contains a slash and is executable). */
export function findInPath(cmd: string): string | undefined {
  const candidates = cmd.includes('/') ? [cmd] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, cmd));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

const ENV_VAR: Record<KilnTarget, string> = { x86_64: 'KILN_CC_X86_64', aarch64: 'KILN_CC_AARCH64' };

function compilerCandidates(target: KilnTarget): string[] {
  const native = hostTarget() === target;
  const cross = target === 'x86_64' ? 'x86_64-linux-gnu-gcc' : 'aarch64-linux-gnu-gcc';
  return native ? ['gcc', 'cc', cross] : [cross];
}

export interface CCompiler {
  target: KilnTarget;
  /** Absolute path of the compiler driver. */
  cc: string;
  /** Absolute path of the archiver for the target. */
  ar: string;
}

const cache = new Map<KilnTarget, CCompiler>();

/** The C compiler and archiver for `target`; throws ToolchainError naming the package to install. */
export function findCompiler(target: KilnTarget): CCompiler {
  const hit = cache.get(target);
  if (hit) return hit;
  const override = process.env[ENV_VAR[target]];
  const names = override ? [override] : compilerCandidates(target);
  for (const name of names) {
    const cc = findInPath(name);
    if (!cc) continue;
    // The archiver next to a cross gcc is <prefix>-ar; a native gcc uses plain ar.
    const m = /^(.*-)g?cc(-[0-9.]+)?$/.exec(cc);
    const ar = (m && findInPath(`${m[1]}ar`)) || findInPath('ar');
    if (!ar) throw new ToolchainError(`no archiver (ar) found for ${target}: install binutils`);
    const found = { target, cc, ar };
    cache.set(target, found);
    return found;
  }
  const pkg = target === 'aarch64' ? 'gcc-aarch64-linux-gnu' : 'gcc';
  throw new ToolchainError(
    `no C compiler for ${target} (tried ${names.join(', ')}): install the ${pkg} package or set ${ENV_VAR[target]}`,
  );
}
