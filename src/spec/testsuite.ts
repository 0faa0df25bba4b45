/**
 * Where the official testsuite lives: `../shared/wasm-testsuite` beside the kiln
 * checkout (never copied into the project), or `$KILN_TESTSUITE`. Missing is an error,
 * never a silent skip.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../../toolchain/tools.js';

export function testsuiteDir(): string {
  const dir = process.env.KILN_TESTSUITE ? resolve(process.env.KILN_TESTSUITE) : resolve(packageRoot(), '..', 'shared', 'wasm-testsuite');
  if (!existsSync(dir)) throw new Error(`kiln: the spec testsuite is not at ${dir} (set KILN_TESTSUITE to its directory)`);
  return dir;
}

/** The top-level `.wast` files (the Wasm 2.0 core suite), sorted. */
export function coreWastFiles(): string[] {
  const dir = testsuiteDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wast'))
    .sort()
    .map((f) => join(dir, f));
}
