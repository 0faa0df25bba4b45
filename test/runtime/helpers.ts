import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { findCompiler, type KilnTarget } from '../../toolchain/cc.js';
import type { RuntimeBuild } from '../../toolchain/runtime.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kiln-${prefix}-`));
}

/** Compiles a fixture source (C or .S) for `target` against the runtime's generated header. */
export async function compileFixture(
  target: KilnTarget,
  rt: RuntimeBuild,
  source: string,
  output: string,
  defines: string[] = [],
): Promise<string> {
  const { cc } = findCompiler(target);
  await execa(cc, ['-std=gnu11', '-O1', '-g', '-Wall', '-I', rt.includeDir, ...defines, '-c', join(FIXTURES, source), '-o', output]);
  return output;
}
