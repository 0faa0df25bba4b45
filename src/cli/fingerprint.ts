/**
 * A fingerprint of the compiler itself, so cached executables (`kiln run`) are rebuilt
 * whenever kiln changes: the hash of every compiled module of kiln that is loaded from
 * disk. Computed once per process; a few milliseconds for the whole tree.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../toolchain/tools.js';

let cached: string | undefined;

function hashTree(hash: ReturnType<typeof createHash>, dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) hashTree(hash, p);
    else if (/\.(js|ts|c|h|json)$/.test(e.name) && !e.name.endsWith('.map')) hash.update(e.name).update(readFileSync(p));
  }
}

export function compilerFingerprint(): string {
  if (cached) return cached;
  const root = packageRoot();
  const hash = createHash('sha256');
  // dist/ when running the built CLI; src/ covers runs from source (tests) and the runtime's C sources.
  hashTree(hash, join(root, 'dist', 'src'));
  hashTree(hash, join(root, 'src'));
  cached = hash.digest('hex').slice(0, 16);
  return cached;
}
