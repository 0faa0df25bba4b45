/** The checked-in list of spec commands kiln skips, with a reason for each (src/spec/skip.json). */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageRoot } from '../../toolchain/tools.js';
import { loadModule } from '../frontend/validate.js';
import { translateModule } from '../frontend/translate.js';
import { moduleUsesSimd } from '../backend/isel-common.js';
import type { SpecCommand } from './script.js';

export interface SkipRule {
  engines: string[];
  /** Globs (`*`, `?`) over the script's file name, or its path under the testsuite; absent: every script. */
  files?: string[];
  /** Command fields that must all be equal; absent: every command. */
  match?: Partial<Record<'type' | 'module_type' | 'text', string>>;
  /**
   * Only `module` commands whose module has this type somewhere (signatures, globals,
   * values): exactly what a backend without SIMD rejects, so the rule skips those modules
   * and, through them, the commands that need their instances.
   */
  moduleUses?: 'v128';
  reason: string;
}

export interface SkipEntry {
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

const names = (wastPath: string, file: string) => file === basename(wastPath) || wastPath.endsWith(`/${file}`);

function globRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`(^|/)${body}$`);
}

function moduleUsesV128(dir: string, file: string): boolean {
  const r = loadModule(readFileSync(join(dir, file)));
  if (!r.ok) return false;
  const t = translateModule(r.value);
  return t.ok && moduleUsesSimd(t.value);
}

/**
 * The reason `cmd` of `wastPath` is skipped on `engine`, or undefined if it runs. `dir`
 * holds the script's module binaries (wast2json output), for rules with `moduleUses`.
 */
export function skipReason(list: SkipList, engine: string, wastPath: string, cmd: SpecCommand, dir?: string): string | undefined {
  for (const r of list.rules) {
    if (!appliesTo(r.engines, engine)) continue;
    if (r.files && !r.files.some((g) => globRegExp(g).test(wastPath))) continue;
    const fields = cmd as unknown as Record<string, unknown>;
    if (r.match && !Object.entries(r.match).every(([k, v]) => fields[k] === v)) continue;
    if (r.moduleUses === 'v128' && !(cmd.type === 'module' && cmd.filename && dir !== undefined && moduleUsesV128(dir, cmd.filename))) continue;
    return r.reason;
  }
  for (const e of list.entries) {
    if (e.line === cmd.line && appliesTo(e.engines, engine) && names(wastPath, e.file)) return e.reason;
  }
  return undefined;
}
