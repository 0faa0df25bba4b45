/**
 * Converts spec testsuite .wast files with wabt's wast2json into a temp directory
 * (the testsuite is read from ../shared, never copied into the repo).
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const TESTSUITE = '/work/shared/wasm-testsuite';

export interface SpecCommand {
  type: string;
  line: number;
  filename?: string;
  text?: string;
  module_type?: 'binary' | 'text';
}

export interface ConvertedWast {
  name: string;
  dir: string;
  commands: SpecCommand[];
}

export function topLevelWastFiles(): string[] {
  if (!existsSync(TESTSUITE)) return [];
  return readdirSync(TESTSUITE)
    .filter((f) => f.endsWith('.wast'))
    .sort()
    .map((f) => join(TESTSUITE, f));
}

export function makeTempDir(tag: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `kiln-frontend-${tag}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs wast2json on one file; returns null (with the reason) if wabt cannot convert it. */
export async function convertWast(file: string, root: string): Promise<ConvertedWast | { error: string }> {
  const name = basename(file, '.wast');
  const dir = join(root, name);
  const json = join(dir, `${name}.json`);
  mkdirSync(dir, { recursive: true });
  const res = await execa('wast2json', [file, '-o', json], { reject: false, all: true, cwd: dir });
  if (res.exitCode !== 0) return { error: String(res.all ?? res.stderr) };
  const parsed = JSON.parse(readFileSync(json, 'utf8')) as { commands: SpecCommand[] };
  return { name, dir, commands: parsed.commands };
}

export function readModule(c: ConvertedWast, filename: string): Uint8Array {
  return new Uint8Array(readFileSync(join(c.dir, filename)));
}
