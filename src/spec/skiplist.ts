/** The checked-in list of spec commands kiln skips, with a reason for each (src/spec/skip.json). */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageRoot } from '../../toolchain/tools.js';
import type { SpecCommand } from './script.js';

interface SkipRule {
  engines: string[];
  match: Partial<Record<'type' | 'module_type' | 'text', string>>;
  reason: string;
}

interface SkipEntry {
  engines: string[];
  /** File name of the .wast script (no directory), or a path under the testsuite such as "proposals/memory64/load.wast". */
  file: string;
  line: number;
  reason: string;
}

export interface SkipList {
  rules: SkipRule[];
  entries: SkipEntry[];
}

export function loadSkipList(path = join(packageRoot(), 'src', 'spec', 'skip.json')): SkipList {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as SkipList;
  return { rules: raw.rules ?? [], entries: raw.entries ?? [] };
}

const appliesTo = (engines: string[], engine: string) => engines.includes('*') || engines.includes(engine);

/** The reason `cmd` of `wastPath` is skipped on `engine`, or undefined if it runs. */
export function skipReason(list: SkipList, engine: string, wastPath: string, cmd: SpecCommand): string | undefined {
  for (const r of list.rules) {
    if (!appliesTo(r.engines, engine)) continue;
    const fields = cmd as unknown as Record<string, unknown>;
    if (Object.entries(r.match).every(([k, v]) => fields[k] === v)) return r.reason;
  }
  const name = basename(wastPath);
  for (const e of list.entries) {
    if (e.line === cmd.line && appliesTo(e.engines, engine) && (e.file === name || wastPath.endsWith(`/${e.file}`))) return e.reason;
  }
  return undefined;
}
