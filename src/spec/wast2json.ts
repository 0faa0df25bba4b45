/**
 * Converts `.wast` spec scripts with wabt's wast2json, caching the output by the
 * content hash of the script (and the converter flags) so repeated runs and CI
 * re-runs skip the conversion.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { kilnCacheDir } from '../../toolchain/runtime.js';
import { requireTool } from '../../toolchain/tools.js';
import type { SpecScript } from './script.js';

/** Bump when the cached layout changes so stale entries are ignored. */
const CACHE_VERSION = 1;

function wastCacheDir(): string {
  const dir = join(kilnCacheDir(), 'wast');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface ConvertedScript {
  /** Directory holding the JSON and every module file it names. */
  dir: string;
  script: SpecScript;
}

/** wast2json flags for the proposals under wasm-testsuite/proposals/<name>/. */
export function proposalFlags(wastPath: string): string[] {
  const m = /proposals\/([^/]+)\//.exec(wastPath);
  if (!m) return [];
  const flags: Record<string, string[]> = {
    'tail-call': ['--enable-tail-call'],
    'extended-const': ['--enable-extended-const'],
    memory64: ['--enable-memory64'],
    'multi-memory': ['--enable-multi-memory'],
    threads: ['--enable-threads'],
    'exception-handling': ['--enable-exceptions'],
  };
  return flags[m[1]!] ?? [];
}

export async function convertWast(wastPath: string): Promise<ConvertedScript> {
  const source = readFileSync(wastPath);
  const flags = proposalFlags(wastPath);
  const key = createHash('sha256').update(`v${CACHE_VERSION}\0${flags.join(' ')}\0`).update(source).digest('hex').slice(0, 24);
  const stem = basename(wastPath).replace(/\.wast$/, '');
  const dir = join(wastCacheDir(), `${stem}-${key}`);
  const jsonPath = join(dir, `${stem}.json`);
  if (!existsSync(jsonPath)) {
    // Convert into a private directory and rename it into place, so concurrent runs never see half a conversion.
    const tmp = mkdtempSync(join(wastCacheDir(), `.tmp-${stem}-`));
    try {
      const r = await execa(requireTool('wast2json'), [...flags, wastPath, '-o', join(tmp, `${stem}.json`)], { reject: false });
      if (r.exitCode !== 0) throw new Error(`wast2json failed on ${wastPath}: ${r.stderr.trim()}`);
      try {
        renameSync(tmp, dir);
      } catch (e) {
        // Another process won the race; its result is identical.
        if (!existsSync(jsonPath)) throw e;
        rmSync(tmp, { recursive: true, force: true });
      }
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
  }
  return { dir, script: JSON.parse(readFileSync(jsonPath, 'utf8')) as SpecScript };
}
