/**
 * The external tools kiln relies on, read from toolchain/packages.json (the same file
 * toolchain/setup.sh installs from), and how to find each one on this machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { findInPath } from './cc.js';

export interface ToolSpec {
  name: string;
  /** Executable to look up on PATH (either this or `path`). */
  command?: string;
  versionArgs?: string[];
  /** A file that must exist (libraries, sysroots). */
  path?: string;
  package: string;
  purpose: string;
}

export interface ToolStatus {
  spec: ToolSpec;
  found: boolean;
  /** Absolute path of the executable or file. */
  location?: string;
  /** First line of the tool's version output. */
  version?: string;
}

/** Root of the kiln package (works from src/ under vitest and from dist/ after a build). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('kiln: cannot find the package root');
    dir = up;
  }
  return dir;
}

export function loadToolSpecs(): ToolSpec[] {
  const file = join(packageRoot(), 'toolchain', 'packages.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { tools: ToolSpec[] }).tools;
}

export async function checkTool(spec: ToolSpec): Promise<ToolStatus> {
  if (spec.path) {
    return { spec, found: existsSync(spec.path), location: spec.path };
  }
  const location = spec.command ? findInPath(spec.command) : undefined;
  if (!location) return { spec, found: false };
  const r = await execa(location, spec.versionArgs ?? ['--version'], { reject: false, timeout: 10_000 });
  const text = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => l.trim() !== '') ?? '';
  return { spec, found: true, location, version: text.trim() };
}

/** Resolves a required tool or throws an error telling the user which package provides it. */
export function requireTool(name: string): string {
  const spec = loadToolSpecs().find((t) => t.name === name);
  if (!spec) throw new Error(`kiln: no tool named ${name} in toolchain/packages.json`);
  const location = spec.command ? findInPath(spec.command) : spec.path && existsSync(spec.path) ? spec.path : undefined;
  if (!location) {
    throw new ToolMissingError(`${spec.command ?? spec.path} not found: install the Debian package ${spec.package} (or run toolchain/setup.sh)`);
  }
  return location;
}

export class ToolMissingError extends Error {}
